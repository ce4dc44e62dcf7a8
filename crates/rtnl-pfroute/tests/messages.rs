//! Every message type of every flavour, built from the reference layouts.

mod fixture;

use fixture::*;
use rtnl_pfroute::{
    parse_message, AnnounceWhat, Error, Flavor, Message, MsgType, RtFlag, SockAddr,
};
use std::net::{Ipv4Addr, Ipv6Addr};

fn parse(f: Flavor, bytes: &[u8]) -> Message {
    parse_message(f, bytes).unwrap_or_else(|e| panic!("{f:?}: {e}"))
}

fn route(f: Flavor, bytes: &[u8]) -> rtnl_pfroute::RouteMessage {
    match parse(f, bytes) {
        Message::Route(r) => r,
        other => panic!("{f:?}: expected a route, got {other:?}"),
    }
}

fn v4(a: [u8; 4]) -> SockAddr {
    SockAddr::Inet {
        addr: Ipv4Addr::from(a),
        port: 0,
    }
}

const UP_GW_DONE_STATIC: u32 = 0x1 | 0x2 | 0x40 | 0x800;

fn sample_rt(f: Flavor, ty: u8) -> Rt {
    Rt {
        ty,
        index: 3,
        flags: UP_GW_DONE_STATIC,
        addrs: RTA_DST | RTA_GATEWAY | RTA_NETMASK,
        pid: 4242,
        seq: 7,
        errno: 17,
        inits: 0x4,
        mtu: 1400,
        hopcount: 2,
        expire: 3600,
        pksent: 99,
        tableid: if f == Flavor::OpenBsd { 5 } else { 0 },
        priority: 8,
        ..Rt::default()
    }
}

fn sample_sas() -> Vec<Vec<u8>> {
    vec![
        sin([10, 0, 0, 0]),
        sin([192, 168, 1, 1]),
        sin([255, 0, 0, 0]),
    ]
}

#[test]
fn route_header_fields_every_flavor() {
    for f in Flavor::ALL {
        let bytes = rt_msg(f, &sample_rt(f, rtm(f, "ADD")), &sample_sas(), true);
        let r = route(f, &bytes);
        assert_eq!(r.msg_type, MsgType::Add, "{f:?}");
        assert_eq!(r.index, 3, "{f:?}");
        assert_eq!(r.flags.bits(), UP_GW_DONE_STATIC, "{f:?}");
        assert!(r.flags.contains(RtFlag::Static) && r.flags.contains(RtFlag::Gateway));
        assert_eq!(r.pid, Some(4242), "{f:?}");
        assert_eq!(r.seq, Some(7), "{f:?}");
        // Pitfall 7: errno is at 24 (FreeBSD/NetBSD/Darwin) or 32 (OpenBSD),
        // not at 28.
        assert_eq!(r.errno, Some(17), "{f:?}");
        assert_eq!(r.inits, 0x4, "{f:?}");
        assert_eq!(r.metrics.mtu, 1400, "{f:?}");
        assert_eq!(r.metrics.hopcount, 2, "{f:?}");
        assert_eq!(r.metrics.expire, 3600, "{f:?}");
        assert_eq!(r.metrics.pksent, 99, "{f:?}");
        assert_eq!(r.addrs.bitmask(), 0x7);
        assert_eq!(r.addrs.dst(), Some(&v4([10, 0, 0, 0])));
        assert_eq!(r.addrs.gateway(), Some(&v4([192, 168, 1, 1])));
        assert_eq!(r.addrs.netmask(), Some(&v4([255, 0, 0, 0])));
        assert_eq!(r.prefix_len().map(|p| p.len), Some(8));
        assert!(!r.addrs.is_short());
        match f {
            Flavor::OpenBsd => {
                assert_eq!(r.table, Some(5));
                assert_eq!(r.priority, Some(8));
                assert_eq!(r.use_count, None);
            }
            Flavor::FreeBsd => {
                // The fib is not in the FreeBSD header.
                assert_eq!(r.table, None);
                assert_eq!(r.priority, None);
                assert_eq!(r.metrics.weight, Some(0));
            }
            Flavor::NetBsd | Flavor::Darwin => {
                assert_eq!(r.table, None);
                assert!(r.use_count.is_some());
            }
        }
        assert_eq!(r.refcnt, None);
    }
}

#[test]
fn negative_expire_is_sign_extended() {
    for f in Flavor::ALL {
        let mut h = sample_rt(f, rtm(f, "GET"));
        h.expire = -5;
        let r = route(f, &rt_msg(f, &h, &sample_sas(), true));
        assert_eq!(r.metrics.expire, -5, "{f:?}");
    }
}

#[test]
fn every_route_type_every_flavor() {
    let names: &[(&str, MsgType)] = &[
        ("ADD", MsgType::Add),
        ("DELETE", MsgType::Delete),
        ("CHANGE", MsgType::Change),
        ("GET", MsgType::Get),
        ("LOSING", MsgType::Losing),
        ("REDIRECT", MsgType::Redirect),
        ("MISS", MsgType::Miss),
        ("LOCK", MsgType::Lock),
        ("RESOLVE", MsgType::Resolve),
        ("PROPOSAL", MsgType::Proposal),
    ];
    for f in Flavor::ALL {
        for &(name, ty) in names {
            let exists = !matches!(
                (name, f),
                ("LOCK", Flavor::OpenBsd)
                    | ("RESOLVE", Flavor::NetBsd)
                    | (
                        "PROPOSAL",
                        Flavor::FreeBsd | Flavor::NetBsd | Flavor::Darwin
                    )
            );
            if !exists {
                assert_eq!(f.msg_type_number(ty), None, "{f:?} {name}");
                continue;
            }
            let n = rtm(f, name);
            assert_eq!(f.msg_type(n), Some(ty), "{f:?} {name}");
            assert_eq!(f.msg_type_number(ty), Some(n), "{f:?} {name}");
            let r = route(f, &rt_msg(f, &sample_rt(f, n), &sample_sas(), true));
            assert_eq!(r.msg_type, ty, "{f:?} {name}");
        }
    }
}

#[test]
fn miss_with_only_dst() {
    for f in Flavor::ALL {
        let h = Rt {
            ty: rtm(f, "MISS"),
            addrs: RTA_DST,
            ..Rt::default()
        };
        let r = route(f, &rt_msg(f, &h, &[sin([8, 8, 8, 8])], false));
        assert_eq!(r.msg_type, MsgType::Miss);
        assert_eq!(r.addrs.len(), 1);
        // No netmask: a host route.
        assert_eq!(r.prefix_len().map(|p| p.len), Some(32));
    }
}

#[test]
fn darwin_rt_msghdr2_has_refcnt_not_pid() {
    let h = Rt {
        index: 4,
        flags: 0x1 | 0x2,
        addrs: RTA_DST | RTA_GATEWAY,
        refcnt: 3,
        parent_flags: 0x100,
        mtu: 9000,
        ..Rt::default()
    };
    let bytes = darwin_rt2_msg(&h, &[sin([0; 4]), sin([10, 0, 0, 1])]);
    let r = route(Flavor::Darwin, &bytes);
    assert_eq!(r.msg_type, MsgType::Get2);
    assert_eq!(r.pid, None);
    assert_eq!(r.seq, None);
    assert_eq!(r.errno, None);
    assert_eq!(r.refcnt, Some(3));
    assert_eq!(r.parent_flags, Some(0x100));
    assert_eq!(r.metrics.mtu, 9000);
    assert_eq!(r.index, 4);
    assert_eq!(r.addrs.gateway(), Some(&v4([10, 0, 0, 1])));
}

fn sample_if(f: Flavor) -> If {
    If {
        index: 2,
        flags: 0x8843,
        addrs: RTA_IFP,
        ift: 6,
        addrlen: 6,
        hdrlen: 14,
        link_state: match f {
            Flavor::OpenBsd => 4,
            _ => 2,
        },
        mtu: 1500,
        metric: 0,
        counters: [10, 1, 20, 2, 3, 1000, 2000, 5, 6, 7, 8],
        oqdrops: 9,
        tableid: 1,
        xflags: 0x10,
        rdomain: 1,
    }
}

#[test]
fn ifinfo_every_flavor() {
    let mac = [0, 0x11, 0x22, 0x33, 0x44, 0x55];
    for f in Flavor::ALL {
        let min = if f == Flavor::FreeBsd { 54 } else { 0 };
        let sa = sdl(2, 6, "em0", &mac, min);
        let bytes = if_msg(f, &sample_if(f), &[sa], f != Flavor::Darwin);
        let i = match parse(f, &bytes) {
            Message::Interface(i) => i,
            other => panic!("{f:?}: {other:?}"),
        };
        assert_eq!(i.msg_type, MsgType::IfInfo);
        assert_eq!(i.index, 2, "{f:?}");
        assert_eq!(i.flags, 0x8843, "{f:?}");
        assert_eq!(i.if_type, 6, "{f:?}");
        assert_eq!(i.addr_len, 6, "{f:?}");
        assert_eq!(i.hdr_len, 14, "{f:?}");
        assert_eq!(i.mtu, 1500, "{f:?}");
        let s = i.stats;
        assert_eq!(
            [
                s.ipackets,
                s.ierrors,
                s.opackets,
                s.oerrors,
                s.collisions,
                s.ibytes,
                s.obytes,
                s.imcasts,
                s.omcasts,
                s.iqdrops,
                s.noproto
            ],
            [10, 1, 20, 2, 3, 1000, 2000, 5, 6, 7, 8],
            "{f:?}"
        );
        assert_eq!(i.name(), Some("em0"), "{f:?}");
        assert_eq!(i.link().map(|l| l.lladdr.as_slice()), Some(&mac[..]));
        assert_eq!(i.link().map(|l| l.index), Some(2));
        assert_eq!(i.arphrd(), 1);
        // UP|BROADCAST|RUNNING|MULTICAST + LOWER_UP (carrier up).
        assert_eq!(
            i.linux_flags(),
            0x1 | 0x2 | 0x40 | 0x1000 | 0x10000,
            "{f:?}"
        );
        assert_eq!(i.operstate(), 6, "{f:?}");
        match f {
            Flavor::Darwin => assert_eq!(i.link_state, None),
            Flavor::OpenBsd => {
                assert_eq!(i.link_state, Some(4));
                assert_eq!(i.table, Some(1));
                assert_eq!(i.xflags, Some(0x10));
                assert_eq!(i.rdomain, Some(1));
                assert_eq!(s.oqdrops, Some(9));
            }
            Flavor::FreeBsd => {
                assert_eq!(i.link_state, Some(2));
                assert_eq!(s.oqdrops, Some(9));
            }
            Flavor::NetBsd => {
                assert_eq!(i.link_state, Some(2));
                assert_eq!(s.oqdrops, None);
            }
        }
    }
}

#[test]
fn netbsd_ifinfo_uses_renumbered_type_and_u64_mtu() {
    let f = Flavor::NetBsd;
    let mut bytes = if_msg(f, &sample_if(f), &[], true);
    assert_eq!(bytes[3], 0x14);
    // The old numbers are compat types, not decoded as IFINFO.
    bytes[3] = 0xe;
    assert!(matches!(
        parse(f, &bytes),
        Message::Other { msg_type: 0xe, .. }
    ));
    bytes[3] = 0x14;
    // mtu is a u64 at if_data+8: a high half must show.
    put32(&mut bytes, 16 + 12, 1);
    let Message::Interface(i) = parse(f, &bytes) else {
        panic!()
    };
    assert_eq!(i.mtu, (1 << 32) | 1500);
}

#[test]
fn darwin_ifinfo2_has_64bit_counters() {
    let mut h = sample_if(Flavor::Darwin);
    h.counters[5] = 1 << 40; // ibytes beyond u32
    let bytes = darwin_if2_msg(&h, [1, 2, 3, 4], &[sdl(2, 6, "en0", &[1; 6], 0)]);
    let Message::Interface(i) = parse(Flavor::Darwin, &bytes) else {
        panic!()
    };
    assert_eq!(i.msg_type, MsgType::IfInfo2);
    assert_eq!(i.stats.ibytes, 1 << 40);
    assert_eq!(i.stats.noproto, 8);
    assert_eq!(i.mtu, 1500);
    let q = i.send_queue.unwrap();
    assert_eq!((q.len, q.maxlen, q.drops, q.timer), (1, 2, 3, 4));
    assert_eq!(i.name(), Some("en0"));
}

#[test]
fn newaddr_and_deladdr_every_flavor() {
    for f in Flavor::ALL {
        for (name, ty) in [("NEWADDR", MsgType::NewAddr), ("DELADDR", MsgType::DelAddr)] {
            let h = Ifa {
                ty: rtm(f, name),
                index: 5,
                flags: 0x1,
                addrs: RTA_NETMASK | RTA_IFA | RTA_BRD,
                metric: 3,
                pid: 77,
                addrflags: 0x20,
                tableid: 2,
            };
            let sas = [
                sin([255, 255, 255, 0]),
                sin([192, 0, 2, 10]),
                sin([192, 0, 2, 255]),
            ];
            let bytes = ifa_msg(f, &h, &sas, true);
            let a = match parse(f, &bytes) {
                Message::Address(a) => a,
                other => panic!("{f:?}: {other:?}"),
            };
            assert_eq!(a.msg_type, ty, "{f:?}");
            assert_eq!(a.index, 5, "{f:?}");
            // OpenBSD: flags at 16, not 12 (Go's bug).
            assert_eq!(a.flags, 0x1, "{f:?}");
            assert_eq!(a.metric, 3, "{f:?}");
            assert_eq!(a.address(), Some(&v4([192, 0, 2, 10])));
            assert_eq!(a.addrs.brd(), Some(&v4([192, 0, 2, 255])));
            assert_eq!(a.prefix_len().map(|p| p.len), Some(24));
            match f {
                Flavor::NetBsd => {
                    assert_eq!(a.pid, Some(77));
                    assert_eq!(a.addr_flags, Some(0x20));
                }
                Flavor::OpenBsd => assert_eq!(a.table, Some(2)),
                _ => assert_eq!((a.pid, a.addr_flags, a.table), (None, None, None)),
            }
        }
    }
}

#[test]
fn netbsd_chgaddr_and_compat_ifa70() {
    let f = Flavor::NetBsd;
    let h = Ifa {
        ty: rtm(f, "CHGADDR"),
        index: 9,
        addrs: RTA_IFA,
        ..Ifa::default()
    };
    let Message::Address(a) = parse(f, &ifa_msg(f, &h, &[sin([1, 2, 3, 4])], true)) else {
        panic!()
    };
    assert_eq!((a.msg_type, a.index), (MsgType::ChgAddr, 9));

    for (name, ty) in [
        ("ONEWADDR", MsgType::OldNewAddr),
        ("ODELADDR", MsgType::OldDelAddr),
    ] {
        let h = Ifa {
            ty: rtm(f, name),
            index: 6,
            flags: 0x1,
            metric: 4,
            addrs: RTA_IFA,
            ..Ifa::default()
        };
        let Message::Address(a) = parse(f, &netbsd_ifa70_msg(&h, &[sin([5, 6, 7, 8])])) else {
            panic!()
        };
        assert_eq!(a.msg_type, ty);
        assert_eq!((a.index, a.flags, a.metric), (6, 0x1, 4));
        assert_eq!(a.address(), Some(&v4([5, 6, 7, 8])));
    }
}

#[test]
fn multicast_freebsd_and_darwin() {
    let group = {
        let mut a = [0u8; 16];
        a[0] = 0xff;
        a[1] = 0x02;
        a[15] = 1;
        a
    };
    for f in [Flavor::FreeBsd, Flavor::Darwin] {
        for (name, ty) in [
            ("NEWMADDR", MsgType::NewMaddr),
            ("DELMADDR", MsgType::DelMaddr),
        ] {
            let sas = [
                sdl(0, 6, "", &[0x33, 0x33, 0, 0, 0, 1], 0),
                sdl(4, 6, "en0", &[], 0),
                sin6(f, group, 0),
            ];
            let bytes = ifma_msg(
                f,
                rtm(f, name),
                4,
                RTA_GATEWAY | RTA_IFP | RTA_IFA,
                None,
                &sas,
                true,
            );
            let Message::Multicast(m) = parse(f, &bytes) else {
                panic!("{f:?}")
            };
            assert_eq!((m.msg_type, m.index, m.refcount), (ty, 4, None));
            assert_eq!(
                m.addrs
                    .gateway()
                    .and_then(|s| s.link())
                    .map(|l| l.lladdr.clone()),
                Some(vec![0x33, 0x33, 0, 0, 0, 1])
            );
            assert_eq!(
                m.addrs.ifa().and_then(|s| s.ip()),
                Some(Ipv6Addr::from(group).into())
            );
        }
    }
    // Darwin NEWMADDR2 carries a refcount.
    let f = Flavor::Darwin;
    let bytes = ifma_msg(
        f,
        rtm(f, "NEWMADDR2"),
        4,
        RTA_IFA,
        Some(2),
        &[sin([224, 0, 0, 1])],
        true,
    );
    let Message::Multicast(m) = parse(f, &bytes) else {
        panic!()
    };
    assert_eq!((m.msg_type, m.refcount), (MsgType::NewMaddr2, Some(2)));
    assert_eq!(m.addrs.ifa(), Some(&v4([224, 0, 0, 1])));
}

#[test]
fn no_multicast_messages_on_openbsd_netbsd() {
    assert_eq!(Flavor::OpenBsd.msg_type_number(MsgType::NewMaddr), None);
    assert_eq!(Flavor::NetBsd.msg_type_number(MsgType::NewMaddr), None);
    assert_eq!(Flavor::Darwin.msg_type_number(MsgType::IfAnnounce), None);
}

#[test]
fn darwin_delmaddr_50_bytes_unpadded_last() {
    // golang/go#44740: 16 + 20 + 14, the last sockaddr_dl unpadded.
    let f = Flavor::Darwin;
    let sas = [
        sdl(0, 6, "", &[0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb], 0), // 14 bytes
        sdl(5, 6, "en0", &[0xa, 0xb, 0xc, 0xd, 0xe, 0xf], 20),
        sdl(0, 6, "", &[0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb], 0),
    ];
    // IFA (bit 5) holds the 14-byte group as the last sockaddr.
    let bytes = ifma_msg(
        f,
        rtm(f, "DELMADDR"),
        5,
        RTA_IFP | RTA_IFA,
        None,
        &sas[1..],
        false,
    );
    assert_eq!(bytes.len(), 50);
    let Message::Multicast(m) = parse(f, &bytes) else {
        panic!()
    };
    assert_eq!(
        m.addrs
            .ifp()
            .and_then(|s| s.link())
            .map(|l| l.name.as_str()),
        Some("en0")
    );
    assert_eq!(
        m.addrs.ifa().and_then(|s| s.link()).map(|l| l.lladdr.len()),
        Some(6)
    );
    assert!(!m.addrs.is_short());
}

#[test]
fn announce_every_flavor_that_has_it() {
    for f in [Flavor::FreeBsd, Flavor::OpenBsd, Flavor::NetBsd] {
        for (what, expect) in [
            (0, AnnounceWhat::Arrival),
            (1, AnnounceWhat::Departure),
            (7, AnnounceWhat::Other(7)),
        ] {
            let bytes = announce_msg(f, 12, "vlan100", what);
            let Message::Announce(a) = parse(f, &bytes) else {
                panic!("{f:?}")
            };
            assert_eq!(a.index, 12, "{f:?}");
            assert_eq!(a.name, "vlan100", "{f:?}");
            assert_eq!(a.what, expect, "{f:?}");
        }
        // A 16-byte name has no NUL.
        let bytes = announce_msg(f, 1, "abcdefghijklmnop", 0);
        let Message::Announce(a) = parse(f, &bytes) else {
            panic!()
        };
        assert_eq!(a.name, "abcdefghijklmnop");
    }
    assert_eq!(announce_msg(Flavor::OpenBsd, 1, "x", 0).len(), 26);
}

#[test]
fn openbsd_desync() {
    let f = Flavor::OpenBsd;
    let bytes = rt_msg(
        f,
        &Rt {
            ty: rtm(f, "DESYNC"),
            ..Rt::default()
        },
        &[],
        true,
    );
    assert_eq!(parse(f, &bytes), Message::Desync);
    // Even a bare 4-byte DESYNC means "resync".
    let bare = [4, 0, 5, 0x10];
    assert_eq!(parse(f, &bare), Message::Desync);
}

#[test]
fn unknown_and_opaque_types_are_other() {
    for f in Flavor::ALL {
        let mut bytes = rt_msg(f, &sample_rt(f, 0x7f), &sample_sas(), true);
        bytes[3] = 0x7f;
        match parse(f, &bytes) {
            Message::Other { msg_type, raw } => {
                assert_eq!(msg_type, 0x7f);
                assert_eq!(raw, bytes);
            }
            other => panic!("{other:?}"),
        }
    }
    for f in [Flavor::FreeBsd, Flavor::NetBsd] {
        // RTM_IEEE80211: announce header + event data; kept raw.
        let mut bytes = announce_msg(f, 1, "wlan0", 0);
        bytes.extend_from_slice(&[1, 2, 3, 4]);
        let bytes = finish(bytes, f, rtm(f, "IEEE80211"));
        assert!(matches!(parse(f, &bytes), Message::Other { .. }));
    }
}

#[test]
fn openbsd_sockaddrs_start_at_hdrlen() {
    let f = Flavor::OpenBsd;
    let h = sample_rt(f, rtm(f, "GET"));
    let mut bytes = rt_msg(f, &h, &sample_sas(), true);
    // A longer future header: 8 extra bytes between the struct and the
    // sockaddrs, with hdrlen saying so.
    bytes.splice(96..96, [0xee; 8]);
    put16(&mut bytes, 4, 104);
    let bytes = finish(bytes, f, h.ty);
    let r = route(f, &bytes);
    assert_eq!(r.addrs.dst(), Some(&v4([10, 0, 0, 0])));
    assert_eq!(r.addrs.netmask(), Some(&v4([255, 0, 0, 0])));
}

#[test]
fn openbsd_bad_hdrlen_is_an_error() {
    let f = Flavor::OpenBsd;
    let mut bytes = rt_msg(f, &sample_rt(f, 1), &sample_sas(), true);
    put16(&mut bytes, 4, 40);
    assert!(matches!(
        parse_message(f, &bytes),
        Err(Error::BadHdrLen {
            hdrlen: 40,
            min: 96,
            ..
        })
    ));
    put16(&mut bytes, 4, 4000);
    assert!(matches!(
        parse_message(f, &bytes),
        Err(Error::BadHdrLen { .. })
    ));
}

#[test]
fn header_shorter_than_type_needs() {
    for f in Flavor::ALL {
        let full = rt_msg(f, &sample_rt(f, 1), &[], true);
        let short = finish(full[..40].to_vec(), f, 1);
        assert_eq!(
            parse_message(f, &short),
            Err(Error::MsgLenTooSmall {
                offset: 0,
                msglen: 40,
                min: rt_size(f)
            }),
            "{f:?}"
        );
    }
}

#[test]
fn freebsd_arp_and_ndp_dump_entries() {
    let f = Flavor::FreeBsd;
    // IPv4: {rt_msghdr; sockaddr_in; sockaddr_dl(54)} = 224.
    let h = Rt {
        ty: rtm(f, "GET"),
        index: 1,
        flags: 0x1 | 0x4 | 0x400,
        addrs: RTA_DST | RTA_GATEWAY,
        ..Rt::default()
    };
    let mac = [2, 0, 0, 0, 0, 1];
    let bytes = rt_msg(f, &h, &[sin([192, 0, 2, 1]), sdl(1, 6, "", &mac, 54)], true);
    assert_eq!(bytes.len(), 224);
    let r = route(f, &bytes);
    assert!(r.is_neighbor());
    assert_eq!(
        r.addrs
            .gateway()
            .and_then(|s| s.link())
            .map(|l| l.lladdr.clone()),
        Some(mac.to_vec())
    );
    // IPv6: {rt_msghdr; sockaddr_in6; u32 pad; sockaddr_dl(54)} = 240, with
    // the ND state in rmx_state (= rmx_weight).
    let mut h6 = h.clone();
    h6.weight = 1;
    let mut a = [0u8; 16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[15] = 9;
    let bytes = rt_msg(f, &h6, &[sin6(f, a, 0), sdl(1, 6, "", &mac, 54)], true);
    assert_eq!(bytes.len(), 240);
    let r = route(f, &bytes);
    assert_eq!(r.metrics.weight, Some(1));
    assert_eq!(
        r.addrs.dst().and_then(|s| s.ip()),
        Some(Ipv6Addr::from(a).into())
    );
    assert_eq!(r.prefix_len().map(|p| p.len), Some(128));
}

#[test]
fn route_flags_display() {
    let r = route(
        Flavor::Darwin,
        &rt_msg(
            Flavor::Darwin,
            &Rt {
                ty: 1,
                flags: 0x1 | 0x2 | 0x40 | 0x800 | 0x1000000,
                ..Rt::default()
            },
            &[],
            true,
        ),
    );
    assert_eq!(r.flags.to_string(), "UP,GATEWAY,DONE,STATIC,IFSCOPE");
    assert!(r.flags.contains(RtFlag::IfScope));
}
