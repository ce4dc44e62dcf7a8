//! The dump emulator: RTNL request bytes + a snapshot translated from
//! fixture routing-socket bytes → the reply datagrams, parsed back.

mod fixture;

use std::net::IpAddr;

use fixture::*;
use fixture::{RTA_DST, RTA_GATEWAY, RTA_NETMASK};
use rtnl_pfroute::{emulate, Flavor, RtFlag, Translator};
use rtnl_wire::emulate::MAX_DATAGRAM;
use rtnl_wire::family::addr::IfAddrMsg;
use rtnl_wire::family::link::{IfInfoMsg, IFLA_IFNAME, IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MASTER};
use rtnl_wire::family::neigh::{NdMsg, NDA_IFINDEX, NDA_MASTER};
use rtnl_wire::family::route::{RtMsg, RTA_OIF, RTA_TABLE};
use rtnl_wire::netlink::*;
use rtnl_wire::nla::NLA_F_NESTED;
use rtnl_wire::rtm::*;
use rtnl_wire::view::FixedHeader;
use rtnl_wire::{Fixed, Message, Value};

const MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];
const F: Flavor = Flavor::FreeBsd;

fn bit(flag: RtFlag) -> u32 {
    F.rtf_bit(flag).unwrap()
}

fn link(index: u16, name: &str) -> Vec<u8> {
    let h = If {
        index,
        flags: 0x8843,
        addrs: RTA_IFP,
        ift: 6,
        link_state: 2,
        mtu: 1500,
        ..If::default()
    };
    if_msg(F, &h, &[sdl(index, 6, name, &MAC, 54)], true)
}

fn addr(index: u16, sas: &[Vec<u8>], addrs: u32) -> Vec<u8> {
    ifa_msg(
        F,
        &Ifa {
            ty: rtm(F, "NEWADDR"),
            index,
            addrs,
            ..Ifa::default()
        },
        sas,
        true,
    )
}

fn route(index: u16, flags: u32, sas: &[Vec<u8>], addrs: u32) -> Vec<u8> {
    rt_msg(
        F,
        &Rt {
            ty: rtm(F, "GET"),
            index,
            flags,
            addrs,
            ..Rt::default()
        },
        sas,
        true,
    )
}

fn v6(last: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    a[15] = last;
    a
}

/// Two links (em0 = 1, em1 = 2), addresses v6 then v4 (the dump must put v4
/// first), routes in two tables plus a local one, neighbours incl. a proxy.
fn snapshot() -> Vec<Message> {
    let buf = dump_bytes();
    let mut t = Translator::new(F);
    let snap = t.snapshot(&buf);
    assert_eq!(snap.len(), 2 + 3 + 4 + 3);
    snap
}

/// The sysctl-style dump behind [`snapshot`].
fn dump_bytes() -> Vec<u8> {
    let mut buf = Vec::new();
    buf.extend(link(2, "em1"));
    buf.extend(link(1, "em0"));
    let mut m64 = [0u8; 16];
    m64[..8].fill(0xff);
    buf.extend(addr(
        1,
        &[sin6(F, m64, 0), sin6(F, v6(1), 0)],
        RTA_NETMASK | RTA_IFA,
    ));
    buf.extend(addr(
        2,
        &[sin([255, 255, 255, 0]), sin([10, 0, 2, 1])],
        RTA_NETMASK | RTA_IFA,
    ));
    buf.extend(addr(
        1,
        &[sin([255, 255, 255, 0]), sin([10, 0, 1, 1])],
        RTA_NETMASK | RTA_IFA,
    ));
    let gw = bit(RtFlag::Up) | bit(RtFlag::Gateway) | bit(RtFlag::Static);
    buf.extend(route(
        1,
        gw,
        &[sin([0; 4]), sin([10, 0, 1, 254]), sin([0; 4])],
        RTA_DST | RTA_GATEWAY | RTA_NETMASK,
    ));
    buf.extend(route(
        2,
        bit(RtFlag::Up),
        &[
            sin([10, 0, 2, 0]),
            sdl(2, 6, "", &[], 54),
            sin([255, 255, 255, 0]),
        ],
        RTA_DST | RTA_GATEWAY | RTA_NETMASK,
    ));
    buf.extend(route(
        1,
        bit(RtFlag::Up) | bit(RtFlag::Host) | bit(RtFlag::Local),
        &[sin([10, 0, 1, 1]), sdl(1, 6, "", &[], 54)],
        RTA_DST | RTA_GATEWAY,
    ));
    buf.extend(route(
        1,
        gw,
        &[
            sin6(F, [0; 16], 0),
            sin6(F, v6(0xfe), 0),
            sin6(F, [0; 16], 0),
        ],
        RTA_DST | RTA_GATEWAY | RTA_NETMASK,
    ));
    let ll = bit(RtFlag::Up) | bit(RtFlag::Host) | bit(RtFlag::LlInfo);
    buf.extend(route(
        1,
        ll,
        &[sin([10, 0, 1, 5]), sdl(1, 6, "", &MAC, 54)],
        RTA_DST | RTA_GATEWAY,
    ));
    buf.extend(route(
        2,
        ll | bit(RtFlag::Proto2),
        &[sin([10, 0, 2, 5]), sdl(2, 6, "", &MAC, 54)],
        RTA_DST | RTA_GATEWAY,
    ));
    buf.extend(route(
        2,
        ll,
        &[sin6(F, v6(5), 0), sdl(2, 6, "", &MAC, 54)],
        RTA_DST | RTA_GATEWAY,
    ));
    buf
}

/// `tests/data/freebsd-dump.bin` is this dump, written out so that tools
/// outside this crate (the CLI's `decode --pfroute` test) can read a real
/// capture-shaped file. `RTNL_BLESS=1` rewrites it after a deliberate change.
#[test]
fn golden_dump_file_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/freebsd-dump.bin");
    let bytes = dump_bytes();
    if std::env::var_os("RTNL_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &bytes).unwrap();
    }
    let on_disk = std::fs::read(&path)
        .expect("tests/data/freebsd-dump.bin (run with RTNL_BLESS=1 to create)");
    assert_eq!(
        on_disk, bytes,
        "tests/data/freebsd-dump.bin is stale: rerun with RTNL_BLESS=1"
    );
}

/// A request: type, flags, fixed header, then `extra` attributes.
fn request<H: FixedHeader>(kind: u16, flags: u16, h: H, extra: &[(u16, u32)]) -> Vec<u8> {
    let mut w = MessageWriter::new();
    let m = w.begin_message(kind, NLM_F_REQUEST | flags, 77, 4242);
    let mut b = Vec::new();
    h.emit(&mut b);
    w.put_bytes(&b);
    for (k, v) in extra {
        w.put_u32(*k, *v);
    }
    w.end_message(m);
    w.into_vec()
}

/// Replies parsed: (datagram count, messages). Checks that no message
/// straddles datagrams and that every datagram respects the size cap.
fn replies(req: &[u8], snap: &[Message]) -> (usize, Vec<Message>) {
    let datagrams = emulate(F, req, snap);
    let mut out = Vec::new();
    for d in &datagrams {
        assert!(d.len() <= MAX_DATAGRAM, "datagram of {} bytes", d.len());
        for m in Message::parse_all(d) {
            out.push(m.unwrap());
        }
    }
    (datagrams.len(), out)
}

/// Checks the dump framing and returns the object messages.
fn dump_objects(msgs: &[Message], filtered: bool) -> &[Message] {
    let (done, objs) = msgs.split_last().unwrap();
    assert_eq!(done.header.kind, NLMSG_DONE);
    assert_eq!(done.header.flags, NLM_F_MULTI);
    assert_eq!((done.header.seq, done.header.pid), (77, 4242));
    assert_eq!(done.fixed, Fixed::Done(0));
    for m in objs {
        let mut want = NLM_F_MULTI;
        if filtered {
            want |= NLM_F_DUMP_FILTERED;
        }
        assert_eq!(m.header.flags, want);
        assert_eq!((m.header.seq, m.header.pid), (77, 4242));
    }
    objs
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn link_dump_in_index_order() {
    let snap = snapshot();
    let (_, msgs) = replies(
        &request(RTM_GETLINK, NLM_F_DUMP, IfInfoMsg::default(), &[]),
        &snap,
    );
    let objs = dump_objects(&msgs, false);
    let names: Vec<_> = objs
        .iter()
        .map(|m| m.get_attr("IFLA_IFNAME").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(names, ["em0", "em1"]);
    assert!(objs.iter().all(|m| m.header.kind == RTM_NEWLINK));
    // IFLA_MASTER: no BSD link has a master, so nothing matches (as Linux).
    let (_, msgs) = replies(
        &request(
            RTM_GETLINK,
            NLM_F_DUMP,
            IfInfoMsg::default(),
            &[(IFLA_MASTER, 1)],
        ),
        &snap,
    );
    assert!(dump_objects(&msgs, true).is_empty());
    // A kind filter likewise.
    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 77, 4242);
    let mut b = Vec::new();
    IfInfoMsg::default().emit(&mut b);
    w.put_bytes(&b);
    let n = w.begin_nested(IFLA_LINKINFO | NLA_F_NESTED);
    w.put_str(IFLA_INFO_KIND, "bridge");
    w.end_nested(n);
    w.end_message(m);
    let (_, msgs) = replies(w.as_bytes(), &snap);
    assert!(dump_objects(&msgs, true).is_empty());
    // AF_BRIDGE: bridge ports, none.
    let h = IfInfoMsg {
        family: 7,
        ..IfInfoMsg::default()
    };
    let (_, msgs) = replies(&request(RTM_GETLINK, NLM_F_DUMP, h, &[]), &snap);
    assert!(dump_objects(&msgs, false).is_empty());
}

#[test]
fn legacy_short_dump_request() {
    // An rtgenmsg (one byte of family) instead of the full header.
    let snap = snapshot();
    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 77, 4242);
    w.put_bytes(&[0]);
    w.end_message(m);
    let (_, msgs) = replies(w.as_bytes(), &snap);
    assert_eq!(dump_objects(&msgs, false).len(), 2);
}

#[test]
fn single_link_get() {
    let snap = snapshot();
    let h = IfInfoMsg {
        index: 2,
        ..IfInfoMsg::default()
    };
    let (n, msgs) = replies(&request(RTM_GETLINK, NLM_F_ACK, h, &[]), &snap);
    assert_eq!(n, 2, "the link, then the ack, each a datagram");
    assert_eq!(msgs[0].header.kind, RTM_NEWLINK);
    assert_eq!(msgs[0].header.flags, 0);
    assert_eq!(msgs[0].header.seq, 77);
    assert_eq!(
        msgs[0].get_attr("IFLA_IFNAME").unwrap().as_str(),
        Some("em1")
    );
    let Fixed::Error(e, _) = &msgs[1].fixed else {
        panic!()
    };
    assert_eq!(e.code, 0);
    // By name.
    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_GETLINK, NLM_F_REQUEST, 5, 6);
    let mut b = Vec::new();
    IfInfoMsg::default().emit(&mut b);
    w.put_bytes(&b);
    w.put_str(IFLA_IFNAME, "em0");
    w.end_message(m);
    let (_, msgs) = replies(w.as_bytes(), &snap);
    assert_eq!(msgs.len(), 1);
    let Fixed::Link(l) = &msgs[0].fixed else {
        panic!()
    };
    assert_eq!(l.index, 1);
    // Missing: ENODEV.
    let h = IfInfoMsg {
        index: 99,
        ..IfInfoMsg::default()
    };
    let (_, msgs) = replies(&request(RTM_GETLINK, 0, h, &[]), &snap);
    let Fixed::Error(e, _) = &msgs[0].fixed else {
        panic!()
    };
    assert_eq!(e.code, -19);
}

#[test]
fn addr_dump_family_and_index_filters() {
    let snap = snapshot();
    let (_, msgs) = replies(
        &request(RTM_GETADDR, NLM_F_DUMP, IfAddrMsg::default(), &[]),
        &snap,
    );
    let objs = dump_objects(&msgs, false);
    let got: Vec<(u8, u32)> = objs
        .iter()
        .map(|m| match &m.fixed {
            Fixed::Addr(h) => (h.family, h.index),
            _ => panic!(),
        })
        .collect();
    assert_eq!(got, [(2, 1), (2, 2), (10, 1)], "IPv4 by index, then IPv6");

    let h = IfAddrMsg {
        family: 10,
        ..IfAddrMsg::default()
    };
    let (_, msgs) = replies(&request(RTM_GETADDR, NLM_F_DUMP, h, &[]), &snap);
    let objs = dump_objects(&msgs, false);
    assert_eq!(objs.len(), 1);
    assert_eq!(
        objs[0].get_attr("IFA_ADDRESS").and_then(Value::as_ip),
        Some(ip("2001:db8::1"))
    );

    let h = IfAddrMsg {
        index: 2,
        ..IfAddrMsg::default()
    };
    let (_, msgs) = replies(&request(RTM_GETADDR, NLM_F_DUMP, h, &[]), &snap);
    let objs = dump_objects(&msgs, true);
    assert_eq!(objs.len(), 1);
    assert_eq!(
        objs[0].get_attr("IFA_LOCAL").and_then(Value::as_ip),
        Some(ip("10.0.2.1"))
    );

    let h = IfAddrMsg {
        index: 42,
        ..IfAddrMsg::default()
    };
    let (_, msgs) = replies(&request(RTM_GETADDR, NLM_F_DUMP, h, &[]), &snap);
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].fixed, Fixed::Done(-19), "ENODEV in NLMSG_DONE");
}

#[test]
fn route_dump_filters() {
    let snap = snapshot();
    let dump = |h: RtMsg, extra: &[(u16, u32)]| {
        let (_, msgs) = replies(&request(RTM_GETROUTE, NLM_F_DUMP, h, extra), &snap);
        msgs
    };
    let msgs = dump(RtMsg::default(), &[]);
    let objs = dump_objects(&msgs, false);
    let got: Vec<(u8, u8)> = objs
        .iter()
        .map(|m| match &m.fixed {
            Fixed::Route(h) => (h.family, h.table),
            _ => panic!(),
        })
        .collect();
    assert_eq!(got, [(2, 254), (2, 254), (2, 255), (10, 254)]);

    let msgs = dump(RtMsg::default(), &[(RTA_TABLE, 255)]);
    let objs = dump_objects(&msgs, true);
    assert_eq!(objs.len(), 1);
    let Fixed::Route(h) = &objs[0].fixed else {
        panic!()
    };
    assert_eq!(h.kind, 2, "local");

    let msgs = dump(
        RtMsg {
            table: 254,
            family: 2,
            ..RtMsg::default()
        },
        &[],
    );
    assert_eq!(dump_objects(&msgs, true).len(), 2);

    let msgs = dump(RtMsg::default(), &[(RTA_OIF, 2)]);
    let objs = dump_objects(&msgs, true);
    assert_eq!(objs.len(), 1);
    assert_eq!(
        objs[0].get_attr("RTA_DST").and_then(Value::as_ip),
        Some(ip("10.0.2.0"))
    );

    let msgs = dump(
        RtMsg {
            protocol: 4,
            ..RtMsg::default()
        },
        &[],
    );
    assert_eq!(dump_objects(&msgs, true).len(), 2, "the two static routes");

    let msgs = dump(
        RtMsg {
            family: 10,
            ..RtMsg::default()
        },
        &[],
    );
    assert_eq!(dump_objects(&msgs, false).len(), 1);

    let msgs = dump(
        RtMsg {
            flags: 0x200,
            ..RtMsg::default()
        },
        &[],
    );
    assert!(dump_objects(&msgs, true).is_empty(), "no cloned routes");

    let msgs = dump(RtMsg::default(), &[(RTA_OIF, 9)]);
    assert_eq!(msgs.last().unwrap().fixed, Fixed::Done(-19));
}

#[test]
fn neigh_dump_filters() {
    let snap = snapshot();
    let dump = |h: NdMsg, extra: &[(u16, u32)]| {
        let (_, msgs) = replies(&request(RTM_GETNEIGH, NLM_F_DUMP, h, extra), &snap);
        msgs
    };
    let msgs = dump(NdMsg::default(), &[]);
    let objs = dump_objects(&msgs, false);
    let got: Vec<(u8, i32)> = objs
        .iter()
        .map(|m| match &m.fixed {
            Fixed::Neigh(h) => (h.family, h.ifindex),
            _ => panic!(),
        })
        .collect();
    assert_eq!(got, [(2, 1), (10, 2)], "ARP then NDP, proxy entry left out");

    let msgs = dump(NdMsg::default(), &[(NDA_IFINDEX, 2)]);
    assert_eq!(dump_objects(&msgs, true).len(), 1);

    let msgs = dump(
        NdMsg {
            flags: 0x08,
            ..NdMsg::default()
        },
        &[],
    );
    let objs = dump_objects(&msgs, false);
    assert_eq!(objs.len(), 1);
    assert_eq!(
        objs[0].get_attr("NDA_DST").and_then(Value::as_ip),
        Some(ip("10.0.2.5"))
    );

    let msgs = dump(
        NdMsg {
            family: 10,
            ..NdMsg::default()
        },
        &[],
    );
    assert_eq!(dump_objects(&msgs, false).len(), 1);

    let msgs = dump(NdMsg::default(), &[(NDA_MASTER, 3)]);
    assert!(dump_objects(&msgs, true).is_empty());
}

fn expect_eopnotsupp(req: &[u8], op: &str) {
    let (_, msgs) = replies(req, &snapshot());
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.header.kind, NLMSG_ERROR);
    assert_eq!(m.header.flags, NLM_F_CAPPED | NLM_F_ACK_TLVS);
    assert_eq!((m.header.seq, m.header.pid), (77, 4242));
    let Fixed::Error(e, _) = &m.fixed else {
        panic!()
    };
    assert_eq!(e.code, -95);
    assert_eq!(
        e.message.as_deref(),
        Some(format!("{op} is not supported on freebsd").as_str())
    );
    assert_eq!(e.request.seq, 77);
}

#[test]
fn changes_and_unanswerable_requests_are_eopnotsupp() {
    expect_eopnotsupp(
        &request(
            RTM_NEWROUTE,
            NLM_F_CREATE | NLM_F_ACK,
            RtMsg::default(),
            &[],
        ),
        "RTM_NEWROUTE",
    );
    expect_eopnotsupp(
        &request(RTM_DELADDR, NLM_F_ACK, IfAddrMsg::default(), &[]),
        "RTM_DELADDR",
    );
    expect_eopnotsupp(
        &request(RTM_SETLINK, 0, IfInfoMsg::default(), &[]),
        "RTM_SETLINK",
    );
    expect_eopnotsupp(
        &request(RTM_NEWNEIGH, 0, NdMsg::default(), &[]),
        "RTM_NEWNEIGH",
    );
    expect_eopnotsupp(
        &request(
            RTM_GETRULE,
            NLM_F_DUMP,
            rtnl_wire::family::rule::FibRuleHdr::default(),
            &[],
        ),
        "RTM_GETRULE",
    );
    expect_eopnotsupp(
        &request(RTM_GETROUTE, 0, RtMsg::default(), &[]),
        "RTM_GETROUTE",
    );
    expect_eopnotsupp(
        &request(58, NLM_F_DUMP, IfAddrMsg::default(), &[]),
        "message type 58",
    );
}

#[test]
fn control_messages_and_non_requests() {
    let snap = snapshot();
    // A NOOP asking for an ack gets one; without NLM_F_REQUEST nothing.
    let mut w = MessageWriter::new();
    let m = w.begin_message(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 1, 2);
    w.end_message(m);
    let m = w.begin_message(RTM_GETLINK, NLM_F_DUMP, 3, 4);
    w.put_bytes(&[0; 16]);
    w.end_message(m);
    let (_, msgs) = replies(w.as_bytes(), &snap);
    assert_eq!(msgs.len(), 1);
    let Fixed::Error(e, _) = &msgs[0].fixed else {
        panic!()
    };
    assert_eq!((e.code, msgs[0].header.seq), (0, 1));
}

#[test]
fn batch_of_requests_answers_each_in_turn() {
    let snap = snapshot();
    let mut req = request(RTM_GETLINK, NLM_F_DUMP, IfInfoMsg::default(), &[]);
    req.extend(request(RTM_NEWLINK, 0, IfInfoMsg::default(), &[]));
    req.extend(request(RTM_GETNEIGH, NLM_F_DUMP, NdMsg::default(), &[]));
    let (n, msgs) = replies(&req, &snap);
    assert_eq!(n, 3);
    let kinds: Vec<u16> = msgs.iter().map(|m| m.header.kind).collect();
    assert_eq!(
        kinds,
        [
            RTM_NEWLINK,
            RTM_NEWLINK,
            NLMSG_DONE,
            NLMSG_ERROR,
            RTM_NEWNEIGH,
            RTM_NEWNEIGH,
            NLMSG_DONE
        ]
    );
}

#[test]
fn large_dumps_split_into_datagrams_of_at_most_32k() {
    let mut buf = Vec::new();
    for i in 0..3000u32 {
        let b = i.to_be_bytes();
        buf.extend(route(
            1,
            bit(RtFlag::Up) | bit(RtFlag::Gateway) | bit(RtFlag::Static),
            &[
                sin([10, b[1], b[2], b[3]]),
                sin([192, 168, 0, 1]),
                sin([255, 255, 255, 255]),
            ],
            RTA_DST | RTA_GATEWAY | RTA_NETMASK,
        ));
    }
    let snap = Translator::new(F).snapshot(&buf);
    assert_eq!(snap.len(), 3000);
    let req = request(RTM_GETROUTE, NLM_F_DUMP, RtMsg::default(), &[]);
    let datagrams = emulate(F, &req, &snap);
    assert!(datagrams.len() > 1);
    let mut total = 0;
    for d in &datagrams {
        assert!(d.len() <= MAX_DATAGRAM);
        // Each datagram frames on its own: no message was split.
        for m in Message::parse_all(d) {
            m.unwrap();
            total += 1;
        }
    }
    assert_eq!(total, 3001);
    let last = Message::parse_all(datagrams.last().unwrap())
        .last()
        .unwrap()
        .unwrap();
    assert_eq!(last.header.kind, NLMSG_DONE);
}
