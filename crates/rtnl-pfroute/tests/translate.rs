//! Routing-socket bytes (built by the fixture from the reference layouts) →
//! parse → translate → RTNL bytes → parsed back with rtnl-wire, checked field
//! by field, for every flavour.

mod fixture;

use std::net::IpAddr;

use fixture::*;
use rtnl_pfroute::{parse_message, Flavor, Ignored, Origin, Outcome, RtFlag, Translator};
use rtnl_wire::netlink::{NLMSG_OVERRUN, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use rtnl_wire::rtm::*;
use rtnl_wire::{Fixed, Message, Value};

const MAC: [u8; 6] = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn sdl_len(f: Flavor) -> usize {
    if f == Flavor::FreeBsd {
        54
    } else {
        0
    }
}

fn bit(f: Flavor, flag: RtFlag) -> u32 {
    f.rtf_bit(flag).unwrap()
}

fn run(t: &mut Translator, bytes: &[u8], origin: Origin) -> Outcome {
    let m = parse_message(t.flavor(), bytes).unwrap();
    t.translate(&m, origin)
}

/// The produced message, encoded and parsed back.
fn reparse(o: &Outcome) -> Message {
    let m = o
        .message()
        .unwrap_or_else(|| panic!("expected a message, got {o:?}"));
    let bytes = m.to_bytes();
    let mut all: Vec<_> = Message::parse_all(&bytes).collect();
    assert_eq!(all.len(), 1);
    all.remove(0).unwrap()
}

fn translate(t: &mut Translator, bytes: &[u8], origin: Origin) -> Message {
    reparse(&run(t, bytes, origin))
}

fn ignored(t: &mut Translator, bytes: &[u8], origin: Origin) -> Ignored {
    match run(t, bytes, origin) {
        Outcome::Ignored(i) => i,
        other => panic!("expected ignored, got {other:?}"),
    }
}

fn u32a(m: &Message, name: &str) -> Option<u32> {
    m.get_attr(name).and_then(Value::as_u32)
}
fn ipa(m: &Message, name: &str) -> Option<IpAddr> {
    m.get_attr(name).and_then(Value::as_ip)
}
fn bytesa<'a>(m: &'a Message, name: &str) -> Option<&'a [u8]> {
    m.get_attr(name).and_then(Value::as_bytes)
}
fn structa(m: &Message, name: &str) -> Vec<u64> {
    match m.get_attr(name) {
        Some(Value::Struct(v)) => v.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

// ------------------------------------------------------------------ links

/// Link state "up" per flavour (§1).
fn up_state(f: Flavor) -> u8 {
    match f {
        Flavor::OpenBsd => 4,
        _ => 2,
    }
}

fn ether_ifinfo(f: Flavor, flags: u32, with_sdl: bool) -> Vec<u8> {
    let h = If {
        index: 3,
        flags,
        addrs: if with_sdl { RTA_IFP } else { 0 },
        ift: 6,
        addrlen: 6,
        hdrlen: 14,
        link_state: up_state(f),
        mtu: 1500,
        counters: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        oqdrops: 12,
        ..If::default()
    };
    let sas = if with_sdl {
        vec![sdl(3, 6, "em0", &MAC, sdl_len(f))]
    } else {
        vec![]
    };
    if_msg(f, &h, &sas, true)
}

#[test]
fn ifinfo_to_newlink_every_flavor() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        // UP | BROADCAST | RUNNING | SIMPLEX | MULTICAST (BSD bits).
        let m = translate(&mut t, &ether_ifinfo(f, 0x8843, true), Origin::Dump);
        assert_eq!(m.header.kind, RTM_NEWLINK, "{f:?}");
        let Fixed::Link(h) = &m.fixed else { panic!() };
        assert_eq!(h.index, 3);
        assert_eq!(h.kind, 1, "ARPHRD_ETHER");
        // UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP, no SIMPLEX (Linux SLAVE).
        assert_eq!(h.flags, 0x1 | 0x2 | 0x40 | 0x1000 | 0x10000, "{f:?}");
        assert_eq!(h.change, 0, "dumps have no ifi_change");
        assert_eq!(m.get_attr("IFLA_IFNAME").unwrap().as_str(), Some("em0"));
        assert_eq!(u32a(&m, "IFLA_MTU"), Some(1500));
        assert_eq!(u32a(&m, "IFLA_TXQLEN"), Some(0));
        assert_eq!(u32a(&m, "IFLA_OPERSTATE"), Some(6), "IF_OPER_UP");
        assert_eq!(u32a(&m, "IFLA_CARRIER"), Some(1));
        assert_eq!(bytesa(&m, "IFLA_ADDRESS"), Some(&MAC[..]));
        assert_eq!(bytesa(&m, "IFLA_BROADCAST"), Some(&[0xff; 6][..]));
        assert!(m.get_attr("IFLA_QDISC").is_none());
        let s = structa(&m, "IFLA_STATS64");
        assert_eq!(s.len(), 25);
        let oq = if matches!(f, Flavor::FreeBsd | Flavor::OpenBsd) {
            12
        } else {
            0
        };
        // rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors,
        // rx_dropped, tx_dropped, multicast, collisions.
        assert_eq!(&s[..10], &[1, 3, 6, 7, 2, 4, 10, oq, 8, 5], "{f:?}");
        assert_eq!(s[23], 11, "rx_nohandler = noproto");
        assert!(s[10..23].iter().all(|&v| v == 0));
        let s32 = structa(&m, "IFLA_STATS");
        assert_eq!(s32.len(), 24);
        assert_eq!(&s32[..], &s[..24]);
    }
}

#[test]
fn ifinfo_event_uses_name_cache_and_reports_change() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let first = translate(&mut t, &ether_ifinfo(f, 0x8843, true), Origin::Event);
        let Fixed::Link(h) = &first.fixed else {
            panic!()
        };
        assert_eq!(
            h.change,
            u32::MAX,
            "{f:?}: a new index, as Linux on register"
        );
        // Socket RTM_IFINFO: no sockaddr, interface now down.
        let m = translate(&mut t, &ether_ifinfo(f, 0x8842, false), Origin::Event);
        let Fixed::Link(h) = &m.fixed else { panic!() };
        assert_eq!(h.flags, 0x2 | 0x40 | 0x1000, "{f:?}");
        assert_eq!(h.change, 0x1 | 0x10000, "UP and LOWER_UP changed");
        assert_eq!(m.get_attr("IFLA_IFNAME").unwrap().as_str(), Some("em0"));
        assert_eq!(bytesa(&m, "IFLA_ADDRESS"), Some(&MAC[..]), "MAC from cache");
        assert_eq!(u32a(&m, "IFLA_OPERSTATE"), Some(2), "IF_OPER_DOWN");
        assert_eq!(u32a(&m, "IFLA_CARRIER"), Some(0));
        assert_eq!(t.link_name(3), Some("em0"));
    }
}

#[test]
fn ifinfo_without_any_name_has_no_ifname() {
    let mut t = Translator::new(Flavor::FreeBsd);
    let m = translate(
        &mut t,
        &ether_ifinfo(Flavor::FreeBsd, 0x1, false),
        Origin::Event,
    );
    assert!(m.get_attr("IFLA_IFNAME").is_none());
    t.learn_link(3, "em0");
    let m = translate(
        &mut t,
        &ether_ifinfo(Flavor::FreeBsd, 0x1, false),
        Origin::Event,
    );
    assert_eq!(m.get_attr("IFLA_IFNAME").unwrap().as_str(), Some("em0"));
}

#[test]
fn loopback_link_looks_like_linux_lo() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let h = If {
            index: 1,
            flags: 0x1 | 0x8 | 0x40 | 0x8000,
            addrs: RTA_IFP,
            ift: 24,
            mtu: 16384,
            ..If::default()
        };
        let bytes = if_msg(f, &h, &[sdl(1, 24, "lo0", &[], sdl_len(f))], true);
        let m = translate(&mut t, &bytes, Origin::Dump);
        let Fixed::Link(hdr) = &m.fixed else { panic!() };
        assert_eq!(hdr.kind, 772, "ARPHRD_LOOPBACK");
        assert_eq!(hdr.flags & 0x8, 0x8);
        assert_eq!(bytesa(&m, "IFLA_ADDRESS"), Some(&[0u8; 6][..]));
        assert_eq!(bytesa(&m, "IFLA_BROADCAST"), Some(&[0u8; 6][..]));
        assert_eq!(u32a(&m, "IFLA_MTU"), Some(16384));
    }
}

#[test]
fn darwin_ifinfo2_txqlen_and_departure_by_reconcile() {
    let f = Flavor::Darwin;
    let mut t = Translator::new(f);
    let h = If {
        index: 4,
        flags: 0x8863,
        addrs: RTA_IFP,
        ift: 6,
        mtu: 1500,
        counters: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        ..If::default()
    };
    let bytes = darwin_if2_msg(&h, [3, 50, 7, 0], &[sdl(4, 6, "en0", &MAC, 0)]);
    let m = translate(&mut t, &bytes, Origin::Event);
    let Fixed::Link(hdr) = &m.fixed else { panic!() };
    assert_eq!(hdr.change, u32::MAX, "unseen index: a new link");
    // Darwin has no link state: RUNNING gives LOWER_UP.
    assert_eq!(hdr.flags & 0x10000, 0x10000);
    assert_eq!(u32a(&m, "IFLA_TXQLEN"), Some(50), "ifm_snd_maxlen");
    assert_eq!(
        structa(&m, "IFLA_STATS64")[7],
        7,
        "tx_dropped = ifm_snd_drops"
    );
    assert_eq!(t.known_links().collect::<Vec<_>>(), vec![4]);

    assert!(t.reconcile_links(&[4]).is_empty());
    let gone = t.reconcile_links(&[]);
    assert_eq!(gone.len(), 1);
    let d = Message::parse_all(&gone[0].to_bytes())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(d.header.kind, RTM_DELLINK);
    let Fixed::Link(hdr) = &d.fixed else { panic!() };
    assert_eq!(hdr.index, 4);
    assert_eq!(d.get_attr("IFLA_IFNAME").unwrap().as_str(), Some("en0"));
    assert_eq!(t.known_links().count(), 0);
}

#[test]
fn ifannounce_arrival_and_departure() {
    for f in [Flavor::FreeBsd, Flavor::OpenBsd, Flavor::NetBsd] {
        let mut t = Translator::new(f);
        let m = translate(&mut t, &announce_msg(f, 7, "tun0", 0), Origin::Event);
        assert_eq!(m.header.kind, RTM_NEWLINK, "{f:?}");
        let Fixed::Link(h) = &m.fixed else { panic!() };
        assert_eq!(h.index, 7);
        assert_eq!(m.get_attr("IFLA_IFNAME").unwrap().as_str(), Some("tun0"));
        assert_eq!(t.link_name(7), Some("tun0"));

        let m = translate(&mut t, &announce_msg(f, 7, "tun0", 1), Origin::Event);
        assert_eq!(m.header.kind, RTM_DELLINK);
        let Fixed::Link(h) = &m.fixed else { panic!() };
        assert_eq!(h.index, 7);
        assert_eq!(m.get_attr("IFLA_IFNAME").unwrap().as_str(), Some("tun0"));
        assert_eq!(t.link_name(7), None, "forgotten");

        assert_eq!(
            ignored(&mut t, &announce_msg(f, 7, "tun0", 9), Origin::Event),
            Ignored::AnnounceOther(9)
        );
    }
}

#[test]
fn departure_replays_last_link() {
    let f = Flavor::FreeBsd;
    let mut t = Translator::new(f);
    translate(&mut t, &ether_ifinfo(f, 0x8843, true), Origin::Dump);
    let m = translate(&mut t, &announce_msg(f, 3, "em0", 1), Origin::Event);
    assert_eq!(m.header.kind, RTM_DELLINK);
    assert_eq!(u32a(&m, "IFLA_MTU"), Some(1500));
    assert_eq!(bytesa(&m, "IFLA_ADDRESS"), Some(&MAC[..]));
}

// ------------------------------------------------------------------ addresses

fn newaddr(f: Flavor, ty: &str, index: u16, sas: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let addrs = sas.iter().fold(0, |a, (b, _)| a | b);
    let list: Vec<Vec<u8>> = sas.iter().map(|(_, s)| s.clone()).collect();
    ifa_msg(
        f,
        &Ifa {
            ty: rtm(f, ty),
            index,
            addrs,
            ..Ifa::default()
        },
        &list,
        f != Flavor::Darwin,
    )
}

#[test]
fn ipv4_address_on_broadcast_link() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let bytes = newaddr(
            f,
            "NEWADDR",
            3,
            &[
                (RTA_NETMASK, sin([255, 255, 255, 0])),
                (RTA_IFP, sdl(3, 6, "em0", &MAC, sdl_len(f))),
                (RTA_IFA, sin([192, 168, 1, 10])),
                (RTA_BRD, sin([192, 168, 1, 255])),
            ],
        );
        let m = translate(&mut t, &bytes, Origin::Event);
        assert_eq!(m.header.kind, RTM_NEWADDR, "{f:?}");
        let Fixed::Addr(h) = &m.fixed else { panic!() };
        assert_eq!((h.family, h.prefixlen, h.scope, h.index), (2, 24, 0, 3));
        assert_eq!(h.flags, 0x80, "IFA_F_PERMANENT");
        assert_eq!(ipa(&m, "IFA_ADDRESS"), Some(ip("192.168.1.10")));
        assert_eq!(ipa(&m, "IFA_LOCAL"), Some(ip("192.168.1.10")));
        assert_eq!(ipa(&m, "IFA_BROADCAST"), Some(ip("192.168.1.255")));
        assert_eq!(m.get_attr("IFA_LABEL").unwrap().as_str(), Some("em0"));
        assert_eq!(u32a(&m, "IFA_FLAGS"), Some(0x80));
        assert_eq!(
            structa(&m, "IFA_CACHEINFO")[..2],
            [0xffff_ffff, 0xffff_ffff],
            "forever"
        );

        let del = newaddr(
            f,
            "DELADDR",
            3,
            &[
                (RTA_NETMASK, sin([255, 255, 255, 0])),
                (RTA_IFA, sin([192, 168, 1, 10])),
            ],
        );
        let m = translate(&mut t, &del, Origin::Event);
        assert_eq!(m.header.kind, RTM_DELADDR);
        assert_eq!(
            m.get_attr("IFA_LABEL").unwrap().as_str(),
            Some("em0"),
            "name from cache"
        );
        assert!(m.get_attr("IFA_BROADCAST").is_none());
    }
}

#[test]
fn ipv4_point_to_point_peer() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        // Unknown link: the peer is recognised by not being the broadcast.
        let bytes = newaddr(
            f,
            "NEWADDR",
            5,
            &[
                (RTA_NETMASK, sin([255, 255, 255, 255])),
                (RTA_IFA, sin([10, 0, 0, 1])),
                (RTA_BRD, sin([10, 0, 0, 2])),
            ],
        );
        let m = translate(&mut t, &bytes, Origin::Dump);
        let Fixed::Addr(h) = &m.fixed else { panic!() };
        assert_eq!(h.prefixlen, 32);
        assert_eq!(ipa(&m, "IFA_ADDRESS"), Some(ip("10.0.0.2")), "{f:?}");
        assert_eq!(ipa(&m, "IFA_LOCAL"), Some(ip("10.0.0.1")));
        assert!(m.get_attr("IFA_BROADCAST").is_none());

        // Known POINTOPOINT link, peer inside a /24.
        let link = If {
            index: 5,
            flags: 0x1 | 0x10 | 0x40 | 0x8000,
            addrs: RTA_IFP,
            ift: 23,
            ..If::default()
        };
        translate(
            &mut t,
            &if_msg(f, &link, &[sdl(5, 23, "tun0", &[], sdl_len(f))], true),
            Origin::Dump,
        );
        let bytes = newaddr(
            f,
            "NEWADDR",
            5,
            &[
                (RTA_NETMASK, sin([255, 255, 255, 0])),
                (RTA_IFA, sin([10, 0, 0, 1])),
                (RTA_BRD, sin([10, 0, 0, 255])),
            ],
        );
        let m = translate(&mut t, &bytes, Origin::Dump);
        assert_eq!(ipa(&m, "IFA_ADDRESS"), Some(ip("10.0.0.255")));
        assert_eq!(ipa(&m, "IFA_LOCAL"), Some(ip("10.0.0.1")));
        assert_eq!(m.get_attr("IFA_LABEL").unwrap().as_str(), Some("tun0"));
    }
}

#[test]
fn loopback_and_noncontiguous_ipv4() {
    let f = Flavor::NetBsd;
    let mut t = Translator::new(f);
    let bytes = newaddr(
        f,
        "NEWADDR",
        1,
        &[
            (RTA_NETMASK, sin([255, 0, 0, 0])),
            (RTA_IFA, sin([127, 0, 0, 1])),
        ],
    );
    let m = translate(&mut t, &bytes, Origin::Dump);
    let Fixed::Addr(h) = &m.fixed else { panic!() };
    assert_eq!((h.prefixlen, h.scope), (8, 254), "scope host");

    let bytes = newaddr(
        f,
        "NEWADDR",
        1,
        &[
            (RTA_NETMASK, sin([255, 0, 255, 0])),
            (RTA_IFA, sin([10, 1, 2, 3])),
        ],
    );
    let m = translate(&mut t, &bytes, Origin::Dump);
    let Fixed::Addr(h) = &m.fixed else { panic!() };
    assert_eq!(h.prefixlen, 8, "leading ones of a non-contiguous mask");
}

fn ll6(f: Flavor, index: u16) -> Vec<u8> {
    // fe80::1; KAME flavours embed the scope in bytes 2..4, FreeBSD uses
    // sin6_scope_id.
    let mut a = [0u8; 16];
    a[0] = 0xfe;
    a[1] = 0x80;
    a[15] = 1;
    if f == Flavor::FreeBsd {
        sin6(f, a, u32::from(index))
    } else {
        a[2..4].copy_from_slice(&index.to_be_bytes());
        sin6(f, a, 0)
    }
}

fn mask6(f: Flavor, len: usize) -> Vec<u8> {
    let mut a = [0u8; 16];
    for b in a.iter_mut().take(len / 8) {
        *b = 0xff;
    }
    sin6(f, a, 0)
}

#[test]
fn ipv6_link_local_address() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        t.learn_link(3, "em0");
        let bytes = newaddr(
            f,
            "NEWADDR",
            3,
            &[(RTA_NETMASK, mask6(f, 64)), (RTA_IFA, ll6(f, 3))],
        );
        let m = translate(&mut t, &bytes, Origin::Dump);
        let Fixed::Addr(h) = &m.fixed else { panic!() };
        assert_eq!(
            (h.family, h.prefixlen, h.scope, h.index),
            (10, 64, 253, 3),
            "{f:?}"
        );
        assert_eq!(ipa(&m, "IFA_ADDRESS"), Some(ip("fe80::1")), "{f:?}");
        assert!(
            m.get_attr("IFA_LOCAL").is_none(),
            "Linux IPv6: IFA_ADDRESS only"
        );
        assert!(m.get_attr("IFA_LABEL").is_none(), "no label for IPv6");
        // Only NetBSD says whether an IPv6 address is autoconfigured.
        let want = if f == Flavor::NetBsd { 0x80 } else { 0 };
        assert_eq!(u32a(&m, "IFA_FLAGS"), Some(want), "{f:?}");
    }
}

#[test]
fn ipv6_scope_index_fills_missing_header_index() {
    let f = Flavor::OpenBsd;
    let mut t = Translator::new(f);
    let bytes = newaddr(f, "NEWADDR", 0, &[(RTA_IFA, ll6(f, 9))]);
    let m = translate(&mut t, &bytes, Origin::Dump);
    let Fixed::Addr(h) = &m.fixed else { panic!() };
    assert_eq!((h.index, h.prefixlen), (9, 128));
}

#[test]
fn netbsd_ipv6_addrflags() {
    let f = Flavor::NetBsd;
    let mut t = Translator::new(f);
    let mut a = [0u8; 16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = 0xb8;
    a[15] = 5;
    let h = Ifa {
        ty: rtm(f, "NEWADDR"),
        index: 2,
        addrs: RTA_NETMASK | RTA_IFA,
        // TENTATIVE | AUTOCONF
        addrflags: 0x02 | 0x40,
        ..Ifa::default()
    };
    let bytes = ifa_msg(f, &h, &[mask6(f, 64), sin6(f, a, 0)], true);
    let m = translate(&mut t, &bytes, Origin::Dump);
    let Fixed::Addr(hdr) = &m.fixed else { panic!() };
    assert_eq!(hdr.scope, 0);
    assert_eq!(
        u32a(&m, "IFA_FLAGS"),
        Some(0x40),
        "tentative, not permanent"
    );
    assert!(m.get_attr("IFA_CACHEINFO").is_none());
}

#[test]
fn link_level_address_is_ignored_but_learnt() {
    let f = Flavor::Darwin;
    let mut t = Translator::new(f);
    let bytes = newaddr(f, "NEWADDR", 4, &[(RTA_IFA, sdl(4, 6, "en0", &MAC, 0))]);
    assert_eq!(ignored(&mut t, &bytes, Origin::Dump), Ignored::NotIp);
    assert_eq!(t.link_name(4), Some("en0"));
    let bytes = newaddr(f, "NEWADDR", 4, &[]);
    assert_eq!(
        ignored(&mut t, &bytes, Origin::Dump),
        Ignored::Missing("RTA_IFA")
    );
}

// ------------------------------------------------------------------ routes

fn route(f: Flavor, ty: &str, h: Rt, sas: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let addrs = sas.iter().fold(0, |a, (b, _)| a | b);
    let list: Vec<Vec<u8>> = sas.iter().map(|(_, s)| s.clone()).collect();
    rt_msg(
        f,
        &Rt {
            ty: rtm(f, ty),
            addrs,
            ..h
        },
        &list,
        true,
    )
}

fn up_gw_static(f: Flavor) -> u32 {
    bit(f, RtFlag::Up) | bit(f, RtFlag::Gateway) | bit(f, RtFlag::Static) | bit(f, RtFlag::Done)
}

#[test]
fn default_route_via_gateway() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let bytes = route(
            f,
            "ADD",
            Rt {
                index: 3,
                flags: up_gw_static(f),
                ..Rt::default()
            },
            &[
                (RTA_DST, sin([0, 0, 0, 0])),
                (RTA_GATEWAY, sin([192, 168, 1, 1])),
                // Zero-length mask: /0 (Darwin sends these).
                (RTA_NETMASK, vec![]),
            ],
        );
        let m = translate(&mut t, &bytes, Origin::Event);
        assert_eq!(m.header.kind, RTM_NEWROUTE, "{f:?}");
        assert_eq!(m.header.flags, NLM_F_CREATE | NLM_F_EXCL);
        assert_eq!((m.header.seq, m.header.pid), (0, 0));
        let Fixed::Route(h) = &m.fixed else { panic!() };
        assert_eq!(h.family, 2);
        assert_eq!(h.dst_len, 0, "{f:?}");
        assert_eq!(h.table, 254);
        assert_eq!(h.protocol, 4, "static");
        assert_eq!(h.scope, 0, "universe");
        assert_eq!(h.kind, 1, "unicast");
        assert!(m.get_attr("RTA_DST").is_none(), "no RTA_DST for default");
        assert_eq!(u32a(&m, "RTA_TABLE"), Some(254));
        assert_eq!(ipa(&m, "RTA_GATEWAY"), Some(ip("192.168.1.1")));
        assert_eq!(u32a(&m, "RTA_OIF"), Some(3));
        assert!(m.get_attr("RTA_PRIORITY").is_none());
        assert!(m.get_attr("RTA_PREFSRC").is_none());
    }
}

#[test]
fn connected_subnet_route() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let bytes = route(
            f,
            "GET",
            Rt {
                index: 3,
                flags: bit(f, RtFlag::Up) | bit(f, RtFlag::Done),
                ..Rt::default()
            },
            &[
                (RTA_DST, sin([192, 168, 1, 0])),
                (RTA_GATEWAY, sdl(3, 6, "", &[], 0)),
                (RTA_NETMASK, sin([255, 255, 255, 0])),
                (RTA_IFA, sin([192, 168, 1, 10])),
            ],
        );
        let m = translate(&mut t, &bytes, Origin::Dump);
        let Fixed::Route(h) = &m.fixed else { panic!() };
        assert_eq!(
            (h.dst_len, h.protocol, h.scope, h.kind),
            (24, 2, 253, 1),
            "{f:?}"
        );
        assert_eq!(ipa(&m, "RTA_DST"), Some(ip("192.168.1.0")));
        assert!(m.get_attr("RTA_GATEWAY").is_none());
        assert_eq!(u32a(&m, "RTA_OIF"), Some(3), "from the sdl gateway");
        assert_eq!(ipa(&m, "RTA_PREFSRC"), Some(ip("192.168.1.10")));
        assert_eq!(m.header.flags, NLM_F_CREATE | NLM_F_EXCL);
    }
}

#[test]
fn host_route_change_delete_and_ignored_kinds() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let sas = [
            (RTA_DST, sin([10, 9, 8, 7])),
            (RTA_GATEWAY, sin([192, 168, 1, 1])),
        ];
        let h = Rt {
            index: 3,
            flags: up_gw_static(f) | bit(f, RtFlag::Host),
            ..Rt::default()
        };
        let m = translate(&mut t, &route(f, "CHANGE", h.clone(), &sas), Origin::Event);
        assert_eq!(m.header.kind, RTM_NEWROUTE);
        assert_eq!(m.header.flags, NLM_F_REPLACE);
        let Fixed::Route(rh) = &m.fixed else { panic!() };
        assert_eq!(rh.dst_len, 32);
        assert_eq!(ipa(&m, "RTA_DST"), Some(ip("10.9.8.7")));

        let m = translate(&mut t, &route(f, "DELETE", h.clone(), &sas), Origin::Event);
        assert_eq!(m.header.kind, RTM_DELROUTE);
        assert_eq!(m.header.flags, 0);

        assert_eq!(
            ignored(&mut t, &route(f, "GET", h.clone(), &sas), Origin::Event),
            Ignored::QueryReply
        );
        let failed = Rt {
            errno: 17,
            pid: 1234,
            ..h.clone()
        };
        assert_eq!(
            ignored(&mut t, &route(f, "ADD", failed, &sas), Origin::Event),
            Ignored::Failed { errno: 17 }
        );
        let i = ignored(&mut t, &route(f, "MISS", h.clone(), &sas), Origin::Event);
        assert!(matches!(i, Ignored::NoEquivalent(_)), "{i:?}");
        if f != Flavor::OpenBsd {
            let i = ignored(&mut t, &route(f, "LOCK", h.clone(), &sas), Origin::Event);
            assert!(matches!(i, Ignored::NoEquivalent(_)));
        }
        if f != Flavor::NetBsd {
            let i = ignored(&mut t, &route(f, "RESOLVE", h.clone(), &sas), Origin::Event);
            assert!(matches!(i, Ignored::NoEquivalent(_)));
        }
    }
}

#[test]
fn route_types_from_flags() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let sas = [
            (RTA_DST, sin([10, 0, 0, 0])),
            (RTA_GATEWAY, sin([127, 0, 0, 1])),
            (RTA_NETMASK, sin([255, 0, 0, 0])),
        ];
        let up_static = bit(f, RtFlag::Up) | bit(f, RtFlag::Static);
        let cases = [(RtFlag::Blackhole, 6u8), (RtFlag::Reject, 7)];
        for (flag, want) in cases {
            let h = Rt {
                index: 1,
                flags: up_static | bit(f, RtFlag::Gateway) | bit(f, flag),
                ..Rt::default()
            };
            let m = translate(&mut t, &route(f, "ADD", h, &sas), Origin::Event);
            let Fixed::Route(rh) = &m.fixed else { panic!() };
            assert_eq!(rh.kind, want, "{f:?} {flag:?}");
            assert_eq!(rh.scope, 0);
            assert!(m.get_attr("RTA_GATEWAY").is_none(), "Linux: no next hop");
            assert!(m.get_attr("RTA_OIF").is_none());
        }
        // Local: host route of an own address, table local.
        let h = Rt {
            index: 3,
            flags: bit(f, RtFlag::Up) | bit(f, RtFlag::Host) | bit(f, RtFlag::Local),
            ..Rt::default()
        };
        let sas = [
            (RTA_DST, sin([192, 168, 1, 10])),
            (RTA_GATEWAY, sdl(3, 6, "", &[], 0)),
        ];
        let m = translate(&mut t, &route(f, "GET", h, &sas), Origin::Dump);
        let Fixed::Route(rh) = &m.fixed else { panic!() };
        assert_eq!(
            (rh.kind, rh.scope, rh.protocol, rh.table),
            (2, 254, 2, 255),
            "{f:?}"
        );
        assert_eq!(u32a(&m, "RTA_TABLE"), Some(255));
        assert_eq!(ipa(&m, "RTA_DST"), Some(ip("192.168.1.10")));
        // Broadcast.
        let h = Rt {
            index: 3,
            flags: bit(f, RtFlag::Up) | bit(f, RtFlag::Host) | bit(f, RtFlag::Broadcast),
            ..Rt::default()
        };
        let sas = [
            (RTA_DST, sin([192, 168, 1, 255])),
            (RTA_GATEWAY, sdl(3, 6, "", &[], 0)),
        ];
        let m = translate(&mut t, &route(f, "GET", h, &sas), Origin::Dump);
        let Fixed::Route(rh) = &m.fixed else { panic!() };
        assert_eq!((rh.kind, rh.scope, rh.table), (3, 253, 255), "{f:?}");
        // Redirect-made route.
        let h = Rt {
            index: 3,
            flags: bit(f, RtFlag::Up)
                | bit(f, RtFlag::Gateway)
                | bit(f, RtFlag::Host)
                | bit(f, RtFlag::Dynamic),
            ..Rt::default()
        };
        let sas = [
            (RTA_DST, sin([8, 8, 8, 8])),
            (RTA_GATEWAY, sin([192, 168, 1, 2])),
        ];
        let m = translate(&mut t, &route(f, "GET", h, &sas), Origin::Dump);
        let Fixed::Route(rh) = &m.fixed else { panic!() };
        assert_eq!(rh.protocol, 1, "redirect");
        // Gateway route without STATIC: boot.
        let h = Rt {
            index: 3,
            flags: bit(f, RtFlag::Up) | bit(f, RtFlag::Gateway),
            ..Rt::default()
        };
        let m = translate(&mut t, &route(f, "GET", h, &sas), Origin::Dump);
        let Fixed::Route(rh) = &m.fixed else { panic!() };
        assert_eq!(rh.protocol, 3, "boot");
    }
    // OpenBSD multicast is bit 0x200, others 0x800000; NetBSD has none.
    for f in [Flavor::FreeBsd, Flavor::OpenBsd, Flavor::Darwin] {
        let mut t = Translator::new(f);
        let h = Rt {
            index: 3,
            flags: bit(f, RtFlag::Up) | bit(f, RtFlag::Multicast),
            ..Rt::default()
        };
        let sas = [
            (RTA_DST, sin([224, 0, 0, 0])),
            (RTA_GATEWAY, sdl(3, 6, "", &[], 0)),
            (RTA_NETMASK, sin([240, 0, 0, 0])),
        ];
        let m = translate(&mut t, &route(f, "GET", h, &sas), Origin::Dump);
        let Fixed::Route(rh) = &m.fixed else { panic!() };
        assert_eq!((rh.kind, rh.dst_len), (5, 4), "{f:?}");
    }
}

#[test]
fn openbsd_table_priority_and_mtu() {
    let f = Flavor::OpenBsd;
    let mut t = Translator::new(f);
    let h = Rt {
        index: 2,
        flags: up_gw_static(f),
        tableid: 5,
        priority: 8,
        mtu: 1400,
        ..Rt::default()
    };
    let sas = [
        (RTA_DST, sin([10, 0, 0, 0])),
        (RTA_GATEWAY, sin([10, 1, 1, 1])),
        (RTA_NETMASK, sin([255, 0, 0, 0])),
    ];
    let m = translate(&mut t, &route(f, "GET", h, &sas), Origin::Dump);
    let Fixed::Route(rh) = &m.fixed else { panic!() };
    assert_eq!((rh.table, rh.dst_len), (5, 8));
    assert_eq!(u32a(&m, "RTA_TABLE"), Some(5));
    assert_eq!(u32a(&m, "RTA_PRIORITY"), Some(8));
    assert_eq!(
        m.get_nested(&["RTA_METRICS", "RTAX_MTU"])
            .and_then(Value::as_u32),
        Some(1400)
    );
    // A table above 255: rtm_table says COMPAT.
    let h = Rt {
        flags: up_gw_static(f),
        tableid: 1000,
        ..Rt::default()
    };
    let m = translate(&mut t, &route(f, "GET", h, &sas), Origin::Dump);
    let Fixed::Route(rh) = &m.fixed else { panic!() };
    assert_eq!(rh.table, 252);
    assert_eq!(u32a(&m, "RTA_TABLE"), Some(1000));
}

#[test]
fn freebsd_fib_from_caller_and_fixed_mtu() {
    let f = Flavor::FreeBsd;
    let mut t = Translator::new(f).with_table(3);
    let sas = [
        (RTA_DST, sin([10, 0, 0, 0])),
        (RTA_GATEWAY, sin([10, 1, 1, 1])),
        (RTA_NETMASK, sin([255, 0, 0, 0])),
    ];
    let h = Rt {
        index: 1,
        flags: up_gw_static(f),
        mtu: 1500,
        ..Rt::default()
    };
    let m = translate(&mut t, &route(f, "GET", h.clone(), &sas), Origin::Dump);
    assert_eq!(u32a(&m, "RTA_TABLE"), Some(3));
    assert!(
        m.get_attr("RTA_METRICS").is_none(),
        "nh_mtu is not a route MTU"
    );
    let fixed = Rt {
        flags: h.flags | bit(f, RtFlag::FixedMtu),
        ..h
    };
    let m = translate(&mut t, &route(f, "GET", fixed, &sas), Origin::Dump);
    assert_eq!(
        m.get_nested(&["RTA_METRICS", "RTAX_MTU"])
            .and_then(Value::as_u32),
        Some(1500)
    );
}

#[test]
fn ipv6_route_with_link_local_gateway() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let h = Rt {
            index: 3,
            flags: up_gw_static(f),
            ..Rt::default()
        };
        let mut dst = [0u8; 16];
        dst[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        let sas = [
            (RTA_DST, sin6(f, dst, 0)),
            (RTA_GATEWAY, ll6(f, 3)),
            (RTA_NETMASK, mask6(f, 32)),
        ];
        let m = translate(&mut t, &route(f, "ADD", h, &sas), Origin::Event);
        let Fixed::Route(rh) = &m.fixed else { panic!() };
        assert_eq!((rh.family, rh.dst_len), (10, 32), "{f:?}");
        assert_eq!(ipa(&m, "RTA_DST"), Some(ip("2001:db8::")));
        assert_eq!(ipa(&m, "RTA_GATEWAY"), Some(ip("fe80::1")), "{f:?}");
        assert_eq!(u32a(&m, "RTA_OIF"), Some(3));
    }
}

#[test]
fn ipv4_route_via_ipv6_gateway_uses_rta_via() {
    let f = Flavor::FreeBsd;
    let mut t = Translator::new(f);
    let h = Rt {
        index: 3,
        flags: up_gw_static(f),
        ..Rt::default()
    };
    let sas = [
        (RTA_DST, sin([10, 0, 0, 0])),
        (RTA_GATEWAY, ll6(f, 3)),
        (RTA_NETMASK, sin([255, 0, 0, 0])),
    ];
    let m = translate(&mut t, &route(f, "ADD", h, &sas), Origin::Event);
    assert!(m.get_attr("RTA_GATEWAY").is_none());
    assert_eq!(ipa(&m, "RTA_VIA"), Some(ip("fe80::1")));
}

#[test]
fn cloned_routes_are_flagged() {
    for (f, flag) in [
        (Flavor::OpenBsd, RtFlag::Cloned),
        (Flavor::Darwin, RtFlag::WasCloned),
    ] {
        let mut t = Translator::new(f);
        let h = Rt {
            index: 3,
            flags: up_gw_static(f) | bit(f, RtFlag::Host) | bit(f, flag),
            ..Rt::default()
        };
        let sas = [
            (RTA_DST, sin([1, 1, 1, 1])),
            (RTA_GATEWAY, sin([192, 168, 1, 1])),
        ];
        let m = translate(&mut t, &route(f, "GET", h, &sas), Origin::Dump);
        let Fixed::Route(rh) = &m.fixed else { panic!() };
        assert_eq!(rh.flags, 0x200, "RTM_F_CLONED");
    }
}

#[test]
fn darwin_get2_dump_entry() {
    let f = Flavor::Darwin;
    let mut t = Translator::new(f);
    let h = Rt {
        index: 4,
        flags: up_gw_static(f),
        addrs: RTA_DST | RTA_GATEWAY | RTA_NETMASK,
        ..Rt::default()
    };
    let bytes = darwin_rt2_msg(&h, &[sin([0, 0, 0, 0]), sin([10, 0, 0, 1]), vec![]]);
    let m = translate(&mut t, &bytes, Origin::Dump);
    assert_eq!(m.header.kind, RTM_NEWROUTE);
    assert_eq!(ipa(&m, "RTA_GATEWAY"), Some(ip("10.0.0.1")));
    assert_eq!(u32a(&m, "RTA_OIF"), Some(4));
}

// ------------------------------------------------------------------ neighbours

fn arp(f: Flavor, ty: &str, flags: u32, lladdr: &[u8]) -> Vec<u8> {
    route(
        f,
        ty,
        Rt {
            index: 3,
            flags: bit(f, RtFlag::Up) | bit(f, RtFlag::Host) | bit(f, RtFlag::LlInfo) | flags,
            ..Rt::default()
        },
        &[
            (RTA_DST, sin([192, 168, 1, 20])),
            (RTA_GATEWAY, sdl(3, 6, "", lladdr, sdl_len(f))),
        ],
    )
}

#[test]
fn arp_entries_become_neighbours() {
    for f in Flavor::ALL {
        let mut t = Translator::new(f);
        let m = translate(&mut t, &arp(f, "GET", 0, &MAC), Origin::Dump);
        assert_eq!(m.header.kind, RTM_NEWNEIGH, "{f:?}");
        let Fixed::Neigh(h) = &m.fixed else { panic!() };
        assert_eq!((h.family, h.ifindex, h.state, h.kind), (2, 3, 0x02, 1));
        assert_eq!(ipa(&m, "NDA_DST"), Some(ip("192.168.1.20")));
        assert_eq!(bytesa(&m, "NDA_LLADDR"), Some(&MAC[..]));

        let m = translate(
            &mut t,
            &arp(f, "ADD", bit(f, RtFlag::Static), &MAC),
            Origin::Event,
        );
        let Fixed::Neigh(h) = &m.fixed else { panic!() };
        assert_eq!(h.state, 0x80, "NUD_PERMANENT");

        let m = translate(&mut t, &arp(f, "GET", 0, &[]), Origin::Dump);
        let Fixed::Neigh(h) = &m.fixed else { panic!() };
        assert_eq!(h.state, 0x01, "NUD_INCOMPLETE");
        assert!(m.get_attr("NDA_LLADDR").is_none());

        let m = translate(&mut t, &arp(f, "DELETE", 0, &MAC), Origin::Event);
        assert_eq!(m.header.kind, RTM_DELNEIGH);

        let publish = f
            .rtf_bit(RtFlag::Announce)
            .or(f.rtf_bit(RtFlag::Proxy))
            .unwrap_or(0);
        if publish != 0 {
            let m = translate(&mut t, &arp(f, "GET", publish, &MAC), Origin::Dump);
            let Fixed::Neigh(h) = &m.fixed else { panic!() };
            assert_eq!(h.flags, 0x08, "{f:?}: NTF_PROXY for published entries");
        }

        if f.rtf_bit(RtFlag::Local).is_some() {
            assert_eq!(
                ignored(
                    &mut t,
                    &arp(f, "GET", bit(f, RtFlag::Local), &MAC),
                    Origin::Dump
                ),
                Ignored::OwnAddress
            );
        }
    }
    // OpenBSD announces resolution with RTM_RESOLVE.
    let f = Flavor::OpenBsd;
    let mut t = Translator::new(f);
    let m = translate(&mut t, &arp(f, "RESOLVE", 0, &MAC), Origin::Event);
    assert_eq!(m.header.kind, RTM_NEWNEIGH);
}

#[test]
fn freebsd_lltable_entries() {
    let f = Flavor::FreeBsd;
    let mut t = Translator::new(f);
    // Own address: PINNED.
    assert_eq!(
        ignored(
            &mut t,
            &arp(f, "GET", bit(f, RtFlag::Pinned), &MAC),
            Origin::Dump
        ),
        Ignored::OwnAddress
    );
    // IPv6 entry with the ND state in rmx_state (STALE = 2) and a router.
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    a[15] = 7;
    let bytes = route(
        f,
        "GET",
        Rt {
            index: 3,
            flags: bit(f, RtFlag::Up)
                | bit(f, RtFlag::Host)
                | bit(f, RtFlag::LlInfo)
                | bit(f, RtFlag::Gateway),
            weight: 2,
            ..Rt::default()
        },
        &[
            (RTA_DST, sin6(f, a, 0)),
            (RTA_GATEWAY, sdl(3, 6, "", &MAC, 54)),
        ],
    );
    let m = translate(&mut t, &bytes, Origin::Dump);
    let Fixed::Neigh(h) = &m.fixed else { panic!() };
    assert_eq!((h.family, h.state, h.flags), (10, 0x04, 0x80));
    assert_eq!(ipa(&m, "NDA_DST"), Some(ip("2001:db8::7")));
}

#[test]
fn host_route_with_mac_gateway_is_a_neighbour() {
    let f = Flavor::NetBsd;
    let mut t = Translator::new(f);
    let bytes = route(
        f,
        "GET",
        Rt {
            index: 2,
            flags: bit(f, RtFlag::Up) | bit(f, RtFlag::Host),
            ..Rt::default()
        },
        &[
            (RTA_DST, sin([10, 0, 0, 9])),
            (RTA_GATEWAY, sdl(2, 6, "wm0", &MAC, 0)),
        ],
    );
    let m = translate(&mut t, &bytes, Origin::Dump);
    assert_eq!(m.header.kind, RTM_NEWNEIGH);
    let Fixed::Neigh(h) = &m.fixed else { panic!() };
    assert_eq!(h.ifindex, 2);
}

// ------------------------------------------------------------------ the rest

#[test]
fn multicast_desync_and_opaque() {
    for f in [Flavor::FreeBsd, Flavor::Darwin] {
        let mut t = Translator::new(f);
        let bytes = ifma_msg(
            f,
            rtm(f, "NEWMADDR"),
            1,
            RTA_IFA,
            None,
            &[sin([224, 0, 0, 1])],
            true,
        );
        assert_eq!(ignored(&mut t, &bytes, Origin::Event), Ignored::Multicast);
    }
    let f = Flavor::OpenBsd;
    let mut t = Translator::new(f);
    let desync = rt_msg(
        f,
        &Rt {
            ty: rtm(f, "DESYNC"),
            ..Rt::default()
        },
        &[],
        true,
    );
    let o = run(&mut t, &desync, Origin::Event);
    assert!(matches!(o, Outcome::Overrun(_)));
    let m = reparse(&o);
    assert_eq!(m.header.kind, NLMSG_OVERRUN);
    assert_eq!(o.message().unwrap().to_bytes().len(), 16);

    let f = Flavor::FreeBsd;
    let mut t = Translator::new(f);
    let mut raw = vec![0u8; 24];
    raw[3] = rtm(f, "IEEE80211");
    let raw = finish(raw, f, rtm(f, "IEEE80211"));
    assert_eq!(
        ignored(&mut t, &raw, Origin::Event),
        Ignored::Opaque { msg_type: 0x12 }
    );
}

#[test]
fn translate_buffer_and_snapshot() {
    let f = Flavor::FreeBsd;
    let mut buf = ether_ifinfo(f, 0x8843, true);
    buf.extend(newaddr(
        f,
        "NEWADDR",
        3,
        &[
            (RTA_NETMASK, sin([255, 255, 255, 0])),
            (RTA_IFA, sin([192, 168, 1, 10])),
        ],
    ));
    buf.extend(arp(f, "GET", 0, &MAC));
    buf.extend(route(
        f,
        "MISS",
        Rt::default(),
        &[(RTA_DST, sin([1, 2, 3, 4]))],
    ));
    let mut t = Translator::new(f);
    let out = t.translate_buffer(&buf, Origin::Dump);
    assert_eq!(out.len(), 4);
    assert!(matches!(out[3], Outcome::Ignored(Ignored::NoEquivalent(_))));
    let snap = Translator::new(f).snapshot(&buf);
    let kinds: Vec<u16> = snap.iter().map(|m| m.header.kind).collect();
    assert_eq!(kinds, vec![RTM_NEWLINK, RTM_NEWADDR, RTM_NEWNEIGH]);
    // The address got its label from the link before it.
    assert_eq!(snap[1].get_attr("IFA_LABEL").unwrap().as_str(), Some("em0"));
    // Malformed bytes are reported, not panicked on.
    let mut bad = buf.clone();
    bad[0] = 10; // msglen smaller than the if_msghdr
    let out = Translator::new(f).translate_buffer(&bad, Origin::Dump);
    assert!(matches!(out[0], Outcome::Ignored(Ignored::Malformed(_))));
}
