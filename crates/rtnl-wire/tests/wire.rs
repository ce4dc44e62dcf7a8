//! Unit tests of the netlink layer: NLMSG_ERROR with extended ack (capped and
//! not), NLM_F_DUMP_INTR, and every DecodeError variant with its offsets and
//! text.

use rtnl_wire::attr::{decode_all, Attr, MAX_DEPTH};
use rtnl_wire::family::{
    addr::{AddrView, IfAddrMsg},
    link::{IfInfoMsg, LinkView, IFLA_IFNAME, IFLA_MTU, VXLAN},
    neigh::{NdMsg, NeighView},
    route::{RouteView, RtMsg, ROUTE, RTA_DST, RTA_GATEWAY, RTA_MULTIPATH, RTA_OIF},
    rule::{FibRuleHdr, RuleView},
};
use rtnl_wire::netlink::{
    ext_ack::*, ErrorMsg, MessageWriter, Messages, NlHeader, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK,
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_CREATE, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
};
use rtnl_wire::nla::{NlaIter, NLA_F_NESTED};
use rtnl_wire::rtm::{self, Family, RTM_NEWLINK, RTM_NEWROUTE};
use rtnl_wire::view::FixedHeader;
use rtnl_wire::{DecodeError, Fixed, Message, Value};

/// An RTM_NEWROUTE request whose first attribute has type 1 (RTA_DST), the
/// same number as NLMSGERR_ATTR_MSG: a parser that skips the wrong amount of
/// echoed request reads it as the error text.
fn route_request(seq: u32, pad_last: bool) -> Vec<u8> {
    let mut w = MessageWriter::new();
    let m = w.begin_message(
        RTM_NEWROUTE,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE,
        seq,
        4242,
    );
    let mut fixed = vec![];
    RtMsg {
        family: 2,
        dst_len: 24,
        table: 254,
        protocol: 3,
        kind: 1,
        ..Default::default()
    }
    .emit(&mut fixed);
    w.put_bytes(&fixed);
    w.put_attr(RTA_DST, b"BAD\0"); // would read as the message "BAD"
    w.put_attr(RTA_GATEWAY, &[10, 0, 0, 99]);
    w.put_u32(RTA_OIF, 7);
    w.end_message(m);
    let mut req = w.into_vec();
    if !pad_last {
        // A last attribute of 5 bytes, unpadded: nlmsg_len = 16 + 12 + 24 + 9.
        let mut extra = vec![9u8, 0, IFLA_IFNAME as u8, 0];
        extra.extend_from_slice(b"eth0\0");
        req.extend_from_slice(&extra);
        let len = req.len() as u32;
        req[..4].copy_from_slice(&len.to_ne_bytes());
    }
    req
}

/// The kernel's reply layout: error code, then the request (all of it unless
/// capped), padded to 4, then the TLVs; `nlmsg_len` counts the TLVs' padding
/// but not the padding of an unaligned payload without TLVs.
fn error_reply(
    code: i32,
    flags: u16,
    request: &[u8],
    tlvs: &dyn Fn(&mut MessageWriter),
) -> Vec<u8> {
    let mut body = code.to_ne_bytes().to_vec();
    if flags & NLM_F_CAPPED != 0 {
        body.extend_from_slice(&request[..16]);
    } else {
        body.extend_from_slice(request);
    }
    let mut t = MessageWriter::new();
    tlvs(&mut t);
    if !t.is_empty() {
        while body.len() & 3 != 0 {
            body.push(0);
        }
        body.extend_from_slice(t.as_bytes());
    }
    let mut out = vec![];
    NlHeader {
        len: 16 + body.len() as u32,
        kind: NLMSG_ERROR,
        flags,
        seq: 5,
        pid: 4242,
    }
    .emit(&mut out);
    out.extend_from_slice(&body);
    out
}

fn full_tlvs(w: &mut MessageWriter) {
    w.put_str(NLMSGERR_ATTR_MSG, "Nexthop has invalid gateway");
    w.put_u32(NLMSGERR_ATTR_OFFS, 36);
    w.put_u32(NLMSGERR_ATTR_MISS_TYPE, 5);
    w.put_u32(NLMSGERR_ATTR_MISS_NEST, 28);
    w.put_attr(NLMSGERR_ATTR_COOKIE, &[1, 2, 3, 4, 5, 6, 7, 8]);
    let p = w.begin_nested(NLMSGERR_ATTR_POLICY | NLA_F_NESTED);
    w.put_u32(1, 3);
    w.end_nested(p);
}

fn parse_error(bytes: &[u8]) -> ErrorMsg {
    let msgs: Vec<_> = Messages::new(bytes).collect::<Result<_, _>>().unwrap();
    assert_eq!(msgs.len(), 1);
    msgs[0].error().expect("an NLMSG_ERROR").unwrap()
}

#[test]
fn extended_ack_with_the_whole_request_echoed() {
    for pad_last in [true, false] {
        let req = route_request(5, pad_last);
        assert_eq!(req.len() & 3 == 0, pad_last);
        let bytes = error_reply(-22, NLM_F_ACK_TLVS, &req, &full_tlvs);
        let e = parse_error(&bytes);
        assert_eq!(e.code, -22);
        assert_eq!(e.errno(), 22);
        assert_eq!(e.request, NlHeader::parse(&req).unwrap());
        assert_eq!(e.request.len as usize, req.len());
        assert_eq!(
            e.message.as_deref(),
            Some("Nexthop has invalid gateway"),
            "pad_last={pad_last}"
        );
        assert_eq!(e.offset, Some(36));
        assert_eq!(e.missing_type, Some(5));
        assert_eq!(e.missing_nest, Some(28));

        // The owned message keeps the payload and re-encodes it unchanged.
        let m = Message::parse_all(&bytes).next().unwrap().unwrap();
        match &m.fixed {
            Fixed::Error(parsed, raw) => {
                assert_eq!(parsed, &e);
                assert_eq!(raw[..], bytes[16..]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(m.to_bytes(), bytes);
        assert_eq!(m.type_name(), Some("NLMSG_ERROR"));
        let j = m.to_json();
        assert_eq!(j["error"], -22);
        assert_eq!(j["msg"], "Nexthop has invalid gateway");
    }
}

#[test]
fn extended_ack_capped_and_plain_errors() {
    let req = route_request(6, true);
    // Capped: only the request header is echoed.
    let bytes = error_reply(-17, NLM_F_CAPPED | NLM_F_ACK_TLVS, &req, &|w| {
        w.put_str(NLMSGERR_ATTR_MSG, "File exists");
        w.put_u32(NLMSGERR_ATTR_MISS_TYPE, 1);
    });
    let e = parse_error(&bytes);
    assert_eq!(
        (e.errno(), e.message.as_deref(), e.missing_type, e.offset),
        (17, Some("File exists"), Some(1), None)
    );
    assert_eq!(e.request.seq, 6);

    // No TLVs, whole request echoed: the request's attributes are not TLVs.
    let bytes = error_reply(-1, 0, &req, &|_| {});
    let e = parse_error(&bytes);
    assert_eq!((e.errno(), e.message.clone(), e.offset), (1, None, None));

    // An unaligned request echoed without TLVs gives an unaligned nlmsg_len,
    // as the kernel's NLMSG_LENGTH does; re-encoding keeps that length and
    // pads after it, as the kernel's datagram does.
    let odd = route_request(7, false);
    let bytes = error_reply(-95, 0, &odd, &|_| {});
    assert_ne!(bytes.len() & 3, 0);
    let m = Message::parse_all(&bytes).next().unwrap().unwrap();
    let again = m.to_bytes();
    assert_eq!(again[..bytes.len()], bytes[..]);
    assert_eq!(again.len(), (bytes.len() + 3) & !3);
    assert!(again[bytes.len()..].iter().all(|&b| b == 0));
    assert_eq!(NlHeader::parse(&again).unwrap().len as usize, bytes.len());
    let mut two = MessageWriter::new();
    m.emit(&mut two);
    m.emit(&mut two);
    let again: Vec<_> = Message::parse_all(two.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(again, [m.clone(), m]);

    // An ack: code 0, capped.
    let bytes = error_reply(0, NLM_F_CAPPED, &req, &|_| {});
    let e = parse_error(&bytes);
    assert_eq!((e.code, e.errno(), e.message), (0, 0, None));
    assert_eq!(e.request.kind, RTM_NEWROUTE);

    // Very old kernels or emulators may send the code alone.
    let mut w = MessageWriter::new();
    let m = w.begin_message(NLMSG_ERROR, 0, 1, 0);
    w.put_bytes(&(-13i32).to_ne_bytes());
    w.end_message(m);
    let e = parse_error(w.as_bytes());
    assert_eq!((e.errno(), e.request), (13, NlHeader::default()));

    // TLV flag set but the claimed request runs past the payload: no text, no panic.
    let mut bytes = error_reply(-22, NLM_F_ACK_TLVS, &req, &full_tlvs);
    bytes[20..24].copy_from_slice(&5000u32.to_ne_bytes());
    assert_eq!(parse_error(&bytes).message, None);

    assert_eq!(
        ErrorMsg {
            code: i32::MIN,
            ..Default::default()
        }
        .errno(),
        i32::MAX
    );
}

#[test]
fn dump_interrupted_flag_is_visible() {
    let mut w = MessageWriter::new();
    for (i, flags) in [NLM_F_MULTI, NLM_F_MULTI | NLM_F_DUMP_INTR]
        .into_iter()
        .enumerate()
    {
        let m = w.begin_message(RTM_NEWLINK, flags, 9, 0);
        let mut fixed = vec![];
        IfInfoMsg {
            index: i as i32 + 1,
            ..Default::default()
        }
        .emit(&mut fixed);
        w.put_bytes(&fixed);
        w.put_str(IFLA_IFNAME, "x");
        w.end_message(m);
    }
    let m = w.begin_message(NLMSG_DONE, NLM_F_MULTI | NLM_F_DUMP_INTR, 9, 0);
    w.put_bytes(&0i32.to_ne_bytes());
    w.end_message(m);

    assert_eq!(NLM_F_DUMP_INTR, 0x10);
    let framed: Vec<_> = Messages::new(w.as_bytes()).map(Result::unwrap).collect();
    let intr: Vec<bool> = framed
        .iter()
        .map(|m| m.header.is_dump_interrupted())
        .collect();
    assert_eq!(intr, [false, true, true]);
    assert!(framed.iter().all(|m| m.header.is_multi()));
    let owned: Vec<Message> = Message::parse_all(w.as_bytes())
        .map(Result::unwrap)
        .collect();
    assert_eq!(owned[1].header.flags & NLM_F_DUMP_INTR, NLM_F_DUMP_INTR);
    assert!(owned[1].header.is_dump_interrupted());
    assert!(matches!(owned[2].fixed, Fixed::Done(0)));
    // The flag survives re-encoding.
    let again = NlHeader::parse(&owned[1].to_bytes()).unwrap();
    assert!(again.is_dump_interrupted());
}

// ------------------------------------------------------------ DecodeError

fn link_message(attrs: &[u8]) -> Vec<u8> {
    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_NEWLINK, 0, 1, 0);
    w.put_bytes(&[0; 16]);
    w.put_bytes(attrs);
    w.end_message(m);
    w.into_vec()
}

#[test]
fn truncated_header() {
    let e = Messages::new(&[0u8; 10]).next().unwrap().unwrap_err();
    assert_eq!(
        e,
        DecodeError::TruncatedHeader {
            offset: 0,
            available: 10
        }
    );
    assert_eq!(
        e.to_string(),
        "truncated netlink header at offset 0: 10 bytes left, 16 needed"
    );
    assert!(matches!(
        NlHeader::parse(&[1, 2, 3]),
        Err(DecodeError::TruncatedHeader { available: 3, .. })
    ));

    // After a good message: the offset is where the fragment starts.
    let mut buf = link_message(&[]);
    buf.extend_from_slice(&[1, 2, 3, 4, 5]);
    let out: Vec<_> = Messages::new(&buf).collect();
    assert_eq!(out.len(), 2);
    assert_eq!(
        out[1].as_ref().unwrap_err(),
        &DecodeError::TruncatedHeader {
            offset: 32,
            available: 5
        }
    );
    // Message::parse_all reports the same, then ends.
    let out: Vec<_> = Message::parse_all(&buf).collect();
    assert_eq!(out.len(), 2);
    assert!(matches!(
        out[1],
        Err(DecodeError::TruncatedHeader { offset: 32, .. })
    ));
}

#[test]
fn length_too_small_and_past_end() {
    let mut buf = link_message(&[]);
    buf[..4].copy_from_slice(&15u32.to_ne_bytes());
    let mut it = Messages::new(&buf);
    let e = it.next().unwrap().unwrap_err();
    assert_eq!(e, DecodeError::LengthTooSmall { offset: 0, len: 15 });
    assert_eq!(
        e.to_string(),
        "netlink message at offset 0 claims length 15, less than its 16-byte header"
    );
    assert!(
        it.next().is_none(),
        "framing cannot recover after a lying length"
    );

    buf[..4].copy_from_slice(&0u32.to_ne_bytes());
    assert!(matches!(
        Messages::new(&buf).next(),
        Some(Err(DecodeError::LengthTooSmall { len: 0, .. }))
    ));

    let mut two = link_message(&[]);
    two.extend_from_slice(&link_message(&[]));
    two[32..36].copy_from_slice(&100u32.to_ne_bytes());
    let out: Vec<_> = Messages::new(&two).collect();
    let e = out[1].clone().unwrap_err();
    assert_eq!(
        e,
        DecodeError::LengthPastEnd {
            offset: 32,
            len: 100,
            available: 32
        }
    );
    assert_eq!(
        e.to_string(),
        "netlink message at offset 32 claims length 100 but only 32 bytes remain"
    );
    assert!(matches!(
        Message::parse_all(&two).nth(1),
        Some(Err(DecodeError::LengthPastEnd { .. }))
    ));
}

#[test]
fn truncated_body_for_every_fixed_header() {
    let cases: &[(u16, &str, usize)] = &[
        (rtm::RTM_NEWLINK, "ifinfomsg", 16),
        (rtm::RTM_NEWADDR, "ifaddrmsg", 8),
        (rtm::RTM_NEWROUTE, "rtmsg", 12),
        (rtm::RTM_NEWNEIGH, "ndmsg", 12),
        (rtm::RTM_NEWRULE, "fib_rule_hdr", 12),
        (NLMSG_ERROR, "nlmsgerr", 4),
    ];
    for &(kind, what, needed) in cases {
        let mut w = MessageWriter::new();
        let m = w.begin_message(kind, 0, 1, 0);
        w.put_bytes(&vec![0; needed - 1]);
        w.end_message_exact(m);
        let e = Message::parse_all(w.as_bytes())
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(
            e,
            DecodeError::TruncatedBody {
                what,
                needed,
                available: needed - 1
            },
            "{what}"
        );
        assert_eq!(
            e.to_string(),
            format!(
                "{what} needs {needed} bytes but the message body holds {}",
                needed - 1
            )
        );
        // A body of exactly the header's size is fine.
        let mut w = MessageWriter::new();
        let m = w.begin_message(kind, 0, 1, 0);
        w.put_bytes(&vec![0; needed]);
        w.end_message(m);
        assert!(
            Message::parse_all(w.as_bytes()).next().unwrap().is_ok(),
            "{what}"
        );
    }
    let short = [0u8; 7];
    assert!(matches!(
        LinkView::parse(&short),
        Err(DecodeError::TruncatedBody {
            what: "ifinfomsg",
            ..
        })
    ));
    assert!(matches!(
        AddrView::parse(&short),
        Err(DecodeError::TruncatedBody {
            what: "ifaddrmsg",
            ..
        })
    ));
    assert!(matches!(
        RouteView::parse(&short),
        Err(DecodeError::TruncatedBody { what: "rtmsg", .. })
    ));
    assert!(matches!(
        NeighView::parse(&short),
        Err(DecodeError::TruncatedBody { what: "ndmsg", .. })
    ));
    assert!(matches!(
        RuleView::parse(&short),
        Err(DecodeError::TruncatedBody {
            what: "fib_rule_hdr",
            ..
        })
    ));
    assert_eq!(
        (
            IfInfoMsg::LEN,
            IfAddrMsg::LEN,
            RtMsg::LEN,
            NdMsg::LEN,
            FibRuleHdr::LEN
        ),
        (16, 8, 12, 12, 12)
    );
}

#[test]
fn bad_attribute_both_reasons() {
    // A good attribute, then one claiming 2 bytes (less than its header).
    let mut attrs = MessageWriter::new();
    attrs.put_u32(IFLA_MTU, 1500);
    attrs.put_bytes(&[2, 0, 3, 0]);
    let e = Message::parse_all(&link_message(attrs.as_bytes()))
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        e,
        DecodeError::BadAttribute {
            offset: 8,
            reason: "length shorter than the attribute header"
        }
    );
    assert_eq!(
        e.to_string(),
        "attribute at offset 8 is malformed: length shorter than the attribute header"
    );

    // One claiming more than the message holds.
    let long = [40u8, 0, 3, 0, b'e', b't', b'h', 0];
    let e = Message::parse_all(&link_message(&long))
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        e,
        DecodeError::BadAttribute {
            offset: 0,
            reason: "length runs past the end of its container"
        }
    );

    // The iterator yields the error once, then stops.
    let mut it = NlaIter::new(&long);
    assert!(it.next().unwrap().is_err());
    assert!(it.next().is_none());
    assert!(decode_all(&ROUTE, &long).is_err());
    // The view's accessors stop at the bad attribute instead of failing.
    let mut body = vec![0u8; 16];
    body.extend_from_slice(&long);
    assert_eq!(LinkView::parse(&body).unwrap().name(), None);

    // Inside a nest the same bytes are kept raw: the message still decodes
    // and re-encodes unchanged.
    let mut attrs = MessageWriter::new();
    let n = attrs.begin_nested(rtnl_wire::family::link::IFLA_LINKINFO | NLA_F_NESTED);
    attrs.put_bytes(&long);
    attrs.end_nested(n);
    let bytes = link_message(attrs.as_bytes());
    let m = Message::parse_all(&bytes).next().unwrap().unwrap();
    assert_eq!(
        m.get_attr("IFLA_LINKINFO"),
        Some(&Value::Raw(long.to_vec()))
    );
    assert_eq!(m.to_bytes(), bytes);
}

#[test]
fn too_deep() {
    // RTA_MULTIPATH hops may hold RTA_MULTIPATH: a chain deeper than MAX_DEPTH.
    fn chain(w: &mut MessageWriter, depth: usize) {
        let m = w.begin_nested(RTA_MULTIPATH);
        let start = w.len();
        w.put_bytes(&[0, 0, 0, 0, 1, 0, 0, 0]);
        if depth > 0 {
            chain(w, depth - 1);
        }
        let len = (w.len() - start) as u16;
        w.patch_u16(start, len);
        w.end_nested(m);
    }
    let mut attrs = MessageWriter::new();
    chain(&mut attrs, MAX_DEPTH + 5);
    let e = decode_all(&ROUTE, attrs.as_bytes()).unwrap_err();
    assert_eq!(e, DecodeError::TooDeep(MAX_DEPTH));
    assert_eq!(
        e.to_string(),
        format!("attributes nested deeper than {MAX_DEPTH} levels")
    );

    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_NEWROUTE, 0, 1, 0);
    w.put_bytes(&[0; 12]);
    w.put_bytes(attrs.as_bytes());
    w.end_message(m);
    assert_eq!(
        Message::parse_all(w.as_bytes()).next().unwrap(),
        Err(DecodeError::TooDeep(MAX_DEPTH))
    );

    // Just within the limit decodes, and re-encodes unchanged.
    let mut ok = MessageWriter::new();
    chain(&mut ok, MAX_DEPTH - 1);
    let attrs = decode_all(&ROUTE, ok.as_bytes()).unwrap();
    let mut again = MessageWriter::new();
    rtnl_wire::attr::emit_all(&attrs, &mut again);
    assert_eq!(again.as_bytes(), ok.as_bytes());
}

// -------------------------------------------------------------- odds and ends

#[test]
fn message_types_and_families() {
    for &(t, name, fam) in rtm::TYPES {
        assert_eq!(Family::of_type(t), Some(fam));
        assert_eq!(rtm::type_name(t), Some(name));
        assert_eq!(rtm::is_del(t), name.starts_with("RTM_DEL"));
        assert_eq!(fam.new_type() + 1, fam.del_type());
        assert_eq!(fam.del_type() + 1, fam.get_type());
        assert!(name.starts_with("RTM_"));
    }
    for (t, n) in [
        (1, "NLMSG_NOOP"),
        (2, "NLMSG_ERROR"),
        (3, "NLMSG_DONE"),
        (4, "NLMSG_OVERRUN"),
    ] {
        assert_eq!(rtm::type_name(t), Some(n));
        assert_eq!(Family::of_type(t), None);
    }
    assert_eq!(rtm::type_name(1000), None);
    assert_eq!(Family::Link.get_type(), rtm::RTM_GETLINK);
}

#[test]
fn flag_attributes_sent_as_flags_decode_as_their_table_says() {
    // IFLA_VXLAN_TTL_INHERIT: the kernel takes a flag and dumps a u8.
    let a = Attr::new(&VXLAN, "IFLA_VXLAN_TTL_INHERIT", Value::Flag).unwrap();
    let mut w = MessageWriter::new();
    a.emit(&mut w);
    assert_eq!(w.as_bytes(), [4, 0, 28, 0]);
    let back = decode_all(&VXLAN, w.as_bytes()).unwrap();
    assert_eq!(back[0].value, Value::Raw(vec![]));
    let mut w2 = MessageWriter::new();
    rtnl_wire::attr::emit_all(&back, &mut w2);
    assert_eq!(w2.as_bytes(), w.as_bytes());
}

#[test]
fn owned_message_accessors() {
    let mut m = Message::new(
        RTM_NEWLINK,
        NLM_F_REQUEST,
        Fixed::Link(IfInfoMsg::default()),
    );
    assert!(m.push_attr("IFLA_ALT_IFNAME", Value::Str("a".into())));
    assert!(m.push_attr("ifla_alt_ifname", Value::Str("b".into())));
    assert!(!m.push_attr("IFLA_NOPE", Value::U8(1)));
    let alts: Vec<_> = m
        .get_attrs("IFLA_ALT_IFNAME")
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(alts, ["a", "b"]);
    assert_eq!(m.family(), Some(Family::Link));
    assert!(std::ptr::eq(
        m.table().unwrap(),
        &rtnl_wire::family::link::LINK
    ));
    let other = Message::new(77, 0, Fixed::Other(vec![1, 2, 3]));
    assert!(other.table().is_none());
    let bytes = other.to_bytes();
    assert_eq!(
        (NlHeader::parse(&bytes).unwrap().len, bytes.len()),
        (19, 20)
    );
    assert_eq!(
        Message::parse_all(&other.to_bytes())
            .next()
            .unwrap()
            .unwrap()
            .fixed,
        Fixed::Other(vec![1, 2, 3])
    );
}
