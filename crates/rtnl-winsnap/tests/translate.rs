//! Field-by-field checks of the translation, from a snapshot shaped like
//! what a Windows host with one Ethernet adapter returns.

use std::net::IpAddr;

use rtnl_winsnap::iphlp::*;
use rtnl_winsnap::*;
use rtnl_wire::emulate::emulate;
use rtnl_wire::names::*;
use rtnl_wire::netlink::{MessageWriter, NLMSG_DONE, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST};
use rtnl_wire::rtm::*;
use rtnl_wire::{Fixed, Message, Value};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn addr(a: &str, len: u8, dad_state: u32, valid: u32, suffix: u32) -> UnicastAddress {
    UnicastAddress {
        address: ip(a),
        prefix_len: len,
        prefix_origin: prefix_origin::MANUAL,
        suffix_origin: suffix,
        dad_state,
        valid_lifetime: valid,
        preferred_lifetime: valid,
    }
}

fn loopback() -> Adapter {
    Adapter {
        if_index: 1,
        ipv6_if_index: 1,
        luid: 0x18000000000000,
        adapter_name: "{3E1A2B4C-0000-0000-0000-000000000001}".into(),
        friendly_name: "Loopback Pseudo-Interface 1".into(),
        description: "Software Loopback Interface 1".into(),
        physical_address: vec![],
        mtu: u32::MAX,
        if_type: if_type::SOFTWARE_LOOPBACK,
        oper_status: oper::UP,
        flags: adapter_flags::IPV4_ENABLED | adapter_flags::IPV6_ENABLED,
        unicast: vec![
            addr(
                "::1",
                128,
                dad::PREFERRED,
                INFINITE_LIFETIME,
                suffix_origin::WELL_KNOWN,
            ),
            addr(
                "127.0.0.1",
                8,
                dad::PREFERRED,
                INFINITE_LIFETIME,
                suffix_origin::WELL_KNOWN,
            ),
        ],
    }
}

fn ethernet() -> Adapter {
    Adapter {
        if_index: 7,
        ipv6_if_index: 7,
        luid: 0x6008001000000,
        adapter_name: "{9F3C1A2B-1111-2222-3333-444455556666}".into(),
        friendly_name: "Ethernet".into(),
        description: "Intel(R) Ethernet Connection".into(),
        physical_address: vec![0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
        mtu: 1500,
        if_type: if_type::ETHERNET_CSMACD,
        oper_status: oper::UP,
        flags: adapter_flags::DHCP_ENABLED | adapter_flags::IPV4_ENABLED,
        unicast: vec![
            addr(
                "fe80::11:22ff:fe33:4455",
                64,
                dad::PREFERRED,
                INFINITE_LIFETIME,
                suffix_origin::LINK_LAYER_ADDRESS,
            ),
            addr(
                "2001:db8::1234",
                64,
                dad::DEPRECATED,
                3600,
                suffix_origin::RANDOM,
            ),
            addr(
                "192.168.1.20",
                24,
                dad::PREFERRED,
                86400,
                suffix_origin::DHCP,
            ),
        ],
    }
}

fn route(dst: &str, len: u8, hop: &str, ifi: u32, metric: u32, protocol: u32) -> Route {
    Route {
        if_index: ifi,
        luid: 0,
        destination: ip(dst),
        prefix_len: len,
        next_hop: ip(hop),
        metric,
        protocol,
        origin: route_origin::MANUAL,
        valid_lifetime: INFINITE_LIFETIME,
        preferred_lifetime: INFINITE_LIFETIME,
    }
}

fn neighbour(a: &str, mac: &[u8], ifi: u32, state: u32) -> Neighbour {
    Neighbour {
        if_index: ifi,
        luid: 0,
        address: ip(a),
        physical_address: mac.to_vec(),
        state,
        is_router: false,
        is_unreachable: false,
    }
}

fn snapshot() -> Snapshot {
    Snapshot {
        adapters: vec![loopback(), ethernet()],
        routes: vec![
            route("0.0.0.0", 0, "192.168.1.1", 7, 25, proto::NETMGMT),
            route("192.168.1.0", 24, "0.0.0.0", 7, 256, proto::LOCAL),
            route("192.168.1.20", 32, "0.0.0.0", 7, 256, proto::LOCAL),
            route("192.168.1.255", 32, "0.0.0.0", 7, 256, proto::LOCAL),
            route("127.0.0.0", 8, "0.0.0.0", 1, 256, proto::LOCAL),
            route("224.0.0.0", 4, "0.0.0.0", 7, 256, proto::LOCAL),
            route("255.255.255.255", 32, "0.0.0.0", 7, 256, proto::LOCAL),
            route("fe80::", 64, "::", 7, 256, proto::LOCAL),
            route("ff00::", 8, "::", 7, 256, proto::LOCAL),
            Route {
                origin: route_origin::ROUTER_ADVERTISEMENT,
                ..route("::", 0, "fe80::1", 7, 256, proto::OTHER)
            },
        ],
        neighbours: vec![
            neighbour(
                "192.168.1.1",
                &[0, 0x0c, 0x29, 1, 2, 3],
                7,
                neigh_state::REACHABLE,
            ),
            neighbour("192.168.1.9", &[0; 6], 7, neigh_state::INCOMPLETE),
            neighbour("192.168.1.255", &[0xff; 6], 7, neigh_state::PERMANENT),
            neighbour(
                "224.0.0.22",
                &[1, 0, 0x5e, 0, 0, 0x16],
                7,
                neigh_state::PERMANENT,
            ),
            Neighbour {
                is_router: true,
                ..neighbour("fe80::1", &[0, 0x0c, 0x29, 1, 2, 3], 7, neigh_state::STALE)
            },
        ],
    }
}

fn names(m: &Message) -> Vec<&'static str> {
    m.attrs.iter().filter_map(|a| a.name()).collect()
}

fn str_attr<'a>(m: &'a Message, n: &str) -> Option<&'a str> {
    m.get_attr(n).and_then(Value::as_str)
}

fn u32_attr(m: &Message, n: &str) -> Option<u32> {
    m.get_attr(n).and_then(Value::as_u32)
}

fn ip_attr(m: &Message, n: &str) -> Option<IpAddr> {
    m.get_attr(n).and_then(Value::as_ip)
}

fn bytes_attr<'a>(m: &'a Message, n: &str) -> Option<&'a [u8]> {
    m.get_attr(n).and_then(Value::as_bytes)
}

#[test]
fn ethernet_link() {
    let m = link_message(&ethernet());
    assert_eq!(m.header.kind, RTM_NEWLINK);
    let Fixed::Link(h) = m.fixed else { panic!() };
    assert_eq!(
        (h.family, h.kind, h.index, h.change),
        (0, ARPHRD_ETHER, 7, 0)
    );
    assert_eq!(
        h.flags,
        IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP
    );
    assert_eq!(
        names(&m),
        [
            "IFLA_IFNAME",
            "IFLA_OPERSTATE",
            "IFLA_LINKMODE",
            "IFLA_MTU",
            "IFLA_CARRIER",
            "IFLA_IFALIAS",
            "IFLA_ADDRESS",
            "IFLA_BROADCAST",
            "IFLA_PROP_LIST"
        ]
    );
    assert_eq!(str_attr(&m, "IFLA_IFNAME"), Some("Ethernet"));
    assert_eq!(m.get_attr("IFLA_OPERSTATE"), Some(&Value::U8(IF_OPER_UP)));
    assert_eq!(m.get_attr("IFLA_CARRIER"), Some(&Value::U8(1)));
    assert_eq!(u32_attr(&m, "IFLA_MTU"), Some(1500));
    assert_eq!(
        str_attr(&m, "IFLA_IFALIAS"),
        Some("Intel(R) Ethernet Connection")
    );
    assert_eq!(
        bytes_attr(&m, "IFLA_ADDRESS"),
        Some(&[2, 0x11, 0x22, 0x33, 0x44, 0x55][..])
    );
    assert_eq!(bytes_attr(&m, "IFLA_BROADCAST"), Some(&[0xff; 6][..]));
    assert_eq!(
        m.get_nested(&["IFLA_PROP_LIST", "IFLA_ALT_IFNAME"])
            .and_then(Value::as_str),
        Some("{9F3C1A2B-1111-2222-3333-444455556666}")
    );
    // Survives the wire.
    let again = Message::parse_all(&m.to_bytes()).next().unwrap().unwrap();
    assert_eq!(
        again,
        Message {
            header: again.header,
            ..m
        }
    );
}

#[test]
fn loopback_link() {
    let m = link_message(&loopback());
    let Fixed::Link(h) = m.fixed else { panic!() };
    assert_eq!((h.kind, h.index), (ARPHRD_LOOPBACK, 1));
    assert_eq!(h.flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP);
    assert_eq!(m.get_attr("IFLA_MTU"), None, "unknown MTU is left out");
    assert_eq!(bytes_attr(&m, "IFLA_ADDRESS"), Some(&[0; 6][..]));
    assert_eq!(bytes_attr(&m, "IFLA_BROADCAST"), Some(&[0; 6][..]));
}

#[test]
fn oper_status_and_types() {
    let mut a = ethernet();
    for (st, state, up, lower, running) in [
        (oper::DOWN, IF_OPER_DOWN, false, false, false),
        (
            oper::LOWER_LAYER_DOWN,
            IF_OPER_LOWERLAYERDOWN,
            true,
            false,
            false,
        ),
        (oper::DORMANT, IF_OPER_DORMANT, true, true, false),
        (oper::TESTING, IF_OPER_TESTING, true, false, false),
        (oper::NOT_PRESENT, IF_OPER_NOTPRESENT, false, false, false),
        (oper::UNKNOWN, IF_OPER_UNKNOWN, false, false, false),
        (99, IF_OPER_UNKNOWN, false, false, false),
    ] {
        a.oper_status = st;
        assert_eq!(operstate(st), state);
        let f = link_flags(&a);
        assert_eq!(f & IFF_UP != 0, up, "{st}");
        assert_eq!(f & IFF_LOWER_UP != 0, lower, "{st}");
        assert_eq!(f & IFF_RUNNING != 0, running, "{st}");
        let m = link_message(&a);
        assert_eq!(
            m.get_attr("IFLA_CARRIER"),
            Some(&Value::U8(u8::from(lower)))
        );
    }
    a.oper_status = oper::UP;
    a.flags |= adapter_flags::NO_MULTICAST;
    assert_eq!(link_flags(&a) & IFF_MULTICAST, 0);
    a.if_type = if_type::PPP;
    assert_eq!(arphrd(&a), ARPHRD_PPP);
    assert_eq!(
        link_flags(&a) & (IFF_POINTOPOINT | IFF_NOARP | IFF_BROADCAST),
        IFF_POINTOPOINT | IFF_NOARP
    );
    a.if_type = if_type::IEEE80211;
    assert_eq!(arphrd(&a), ARPHRD_ETHER);
    a.if_type = if_type::TUNNEL;
    assert_eq!(arphrd(&a), ARPHRD_NONE);
    a.if_type = if_type::PROP_VIRTUAL;
    assert_eq!(arphrd(&a), ARPHRD_ETHER);
    a.physical_address.clear();
    assert_eq!(arphrd(&a), ARPHRD_NONE);
    // IPv6-only adapter: the IPv6 index.
    a.if_index = 0;
    a.ipv6_if_index = 12;
    let Fixed::Link(h) = link_message(&a).fixed else {
        panic!()
    };
    assert_eq!(h.index, 12);
}

#[test]
fn ipv4_address() {
    let a = ethernet();
    let m = addr_message(&a, &a.unicast[2]);
    assert_eq!(m.header.kind, RTM_NEWADDR);
    let Fixed::Addr(h) = m.fixed else { panic!() };
    assert_eq!(
        (h.family, h.prefixlen, h.flags, h.scope, h.index),
        (AF_INET, 24, 0, RT_SCOPE_UNIVERSE, 7)
    );
    assert_eq!(
        names(&m),
        [
            "IFA_ADDRESS",
            "IFA_LOCAL",
            "IFA_BROADCAST",
            "IFA_LABEL",
            "IFA_FLAGS",
            "IFA_CACHEINFO"
        ]
    );
    assert_eq!(ip_attr(&m, "IFA_ADDRESS"), Some(ip("192.168.1.20")));
    assert_eq!(ip_attr(&m, "IFA_LOCAL"), Some(ip("192.168.1.20")));
    assert_eq!(ip_attr(&m, "IFA_BROADCAST"), Some(ip("192.168.1.255")));
    assert_eq!(str_attr(&m, "IFA_LABEL"), Some("Ethernet"));
    assert_eq!(
        u32_attr(&m, "IFA_FLAGS"),
        Some(0),
        "a DHCP lease is not permanent"
    );
    assert_eq!(
        m.get_attr("IFA_CACHEINFO"),
        Some(&Value::Struct(vec![86400, 86400, 0, 0]))
    );
}

#[test]
fn ipv6_addresses() {
    let a = ethernet();
    let ll = addr_message(&a, &a.unicast[0]);
    let Fixed::Addr(h) = ll.fixed else { panic!() };
    assert_eq!(
        (h.family, h.prefixlen, h.scope, h.index),
        (AF_INET6, 64, RT_SCOPE_LINK, 7)
    );
    assert_eq!(names(&ll), ["IFA_ADDRESS", "IFA_CACHEINFO", "IFA_FLAGS"]);
    assert_eq!(u32_attr(&ll, "IFA_FLAGS"), Some(IFA_F_PERMANENT));
    assert_eq!(h.flags as u32, IFA_F_PERMANENT);

    let tmp = addr_message(&a, &a.unicast[1]);
    let Fixed::Addr(h) = tmp.fixed else { panic!() };
    assert_eq!(h.scope, RT_SCOPE_UNIVERSE);
    assert_eq!(
        u32_attr(&tmp, "IFA_FLAGS"),
        Some(IFA_F_DEPRECATED | IFA_F_TEMPORARY)
    );

    let lo = loopback();
    let m = addr_message(&lo, &lo.unicast[0]);
    let Fixed::Addr(h) = m.fixed else { panic!() };
    assert_eq!((h.scope, h.prefixlen, h.index), (RT_SCOPE_HOST, 128, 1));
    let m = addr_message(&lo, &lo.unicast[1]);
    let Fixed::Addr(h) = m.fixed else { panic!() };
    assert_eq!(h.scope, RT_SCOPE_HOST);
    assert_eq!(
        m.get_attr("IFA_BROADCAST"),
        None,
        "no broadcast on loopback"
    );

    let mut u = a.unicast[0].clone();
    u.dad_state = dad::TENTATIVE;
    assert_eq!(
        u32_attr(&addr_message(&a, &u), "IFA_FLAGS"),
        Some(IFA_F_PERMANENT | IFA_F_TENTATIVE)
    );
    u.dad_state = dad::DUPLICATE;
    assert_eq!(
        u32_attr(&addr_message(&a, &u), "IFA_FLAGS"),
        Some(IFA_F_PERMANENT | IFA_F_TENTATIVE | IFA_F_DADFAILED)
    );
    assert_eq!(scope_of(&ip("fec0::1")), RT_SCOPE_SITE);
}

fn route_hdr(m: &Message) -> rtnl_wire::family::route::RtMsg {
    match m.fixed {
        Fixed::Route(h) => h,
        _ => panic!("not a route"),
    }
}

#[test]
fn routes() {
    let s = snapshot();
    let msgs: Vec<Message> = s.routes.iter().map(|r| route_message(&s, r)).collect();

    // default via 192.168.1.1 dev Ethernet proto static metric 25
    let m = &msgs[0];
    let h = route_hdr(m);
    assert_eq!(
        (h.family, h.dst_len, h.table, h.protocol, h.scope, h.kind),
        (
            AF_INET,
            0,
            254,
            RTPROT_STATIC,
            RT_SCOPE_UNIVERSE,
            RTN_UNICAST
        )
    );
    assert_eq!(
        names(m),
        ["RTA_TABLE", "RTA_PRIORITY", "RTA_GATEWAY", "RTA_OIF"]
    );
    assert_eq!(u32_attr(m, "RTA_TABLE"), Some(254));
    assert_eq!(u32_attr(m, "RTA_PRIORITY"), Some(25));
    assert_eq!(ip_attr(m, "RTA_GATEWAY"), Some(ip("192.168.1.1")));
    assert_eq!(u32_attr(m, "RTA_OIF"), Some(7));

    // 192.168.1.0/24 dev Ethernet proto kernel scope link src 192.168.1.20
    let m = &msgs[1];
    let h = route_hdr(m);
    assert_eq!(
        (h.dst_len, h.table, h.protocol, h.scope, h.kind),
        (24, 254, RTPROT_KERNEL, RT_SCOPE_LINK, RTN_UNICAST)
    );
    assert_eq!(
        names(m),
        [
            "RTA_TABLE",
            "RTA_DST",
            "RTA_PRIORITY",
            "RTA_PREFSRC",
            "RTA_OIF"
        ]
    );
    assert_eq!(ip_attr(m, "RTA_DST"), Some(ip("192.168.1.0")));
    assert_eq!(ip_attr(m, "RTA_PREFSRC"), Some(ip("192.168.1.20")));

    // local 192.168.1.20 table local scope host
    let h = route_hdr(&msgs[2]);
    assert_eq!(
        (h.dst_len, h.table, h.protocol, h.scope, h.kind),
        (32, 255, RTPROT_KERNEL, RT_SCOPE_HOST, RTN_LOCAL)
    );
    assert_eq!(ip_attr(&msgs[2], "RTA_PREFSRC"), Some(ip("192.168.1.20")));
    // broadcast 192.168.1.255 table local scope link
    let h = route_hdr(&msgs[3]);
    assert_eq!(
        (h.table, h.scope, h.kind),
        (255, RT_SCOPE_LINK, RTN_BROADCAST)
    );
    assert_eq!(msgs[3].get_attr("RTA_PREFSRC"), None);
    // local 127.0.0.0/8 dev lo
    let h = route_hdr(&msgs[4]);
    assert_eq!(
        (h.dst_len, h.table, h.scope, h.kind),
        (8, 255, RT_SCOPE_HOST, RTN_LOCAL)
    );
    assert_eq!(ip_attr(&msgs[4], "RTA_PREFSRC"), Some(ip("127.0.0.1")));
    // multicast 224.0.0.0/4
    let h = route_hdr(&msgs[5]);
    assert_eq!((h.table, h.kind), (255, RTN_MULTICAST));
    // 255.255.255.255
    let h = route_hdr(&msgs[6]);
    assert_eq!((h.table, h.kind), (255, RTN_BROADCAST));

    // fe80::/64 dev Ethernet proto kernel metric 256 pref medium
    let m = &msgs[7];
    let h = route_hdr(m);
    assert_eq!(
        (h.family, h.dst_len, h.table, h.protocol, h.scope, h.kind),
        (AF_INET6, 64, 254, RTPROT_KERNEL, RT_SCOPE_LINK, RTN_UNICAST)
    );
    assert_eq!(
        names(m),
        [
            "RTA_TABLE",
            "RTA_DST",
            "RTA_OIF",
            "RTA_PRIORITY",
            "RTA_PREF"
        ]
    );
    assert_eq!(u32_attr(m, "RTA_PRIORITY"), Some(256));
    // multicast ff00::/8 table local
    let h = route_hdr(&msgs[8]);
    assert_eq!(
        (h.table, h.kind, h.protocol),
        (255, RTN_MULTICAST, RTPROT_KERNEL)
    );
    // default via fe80::1 proto ra
    let m = &msgs[9];
    let h = route_hdr(m);
    assert_eq!(
        (h.dst_len, h.protocol, h.scope),
        (0, RTPROT_RA, RT_SCOPE_UNIVERSE)
    );
    assert_eq!(ip_attr(m, "RTA_GATEWAY"), Some(ip("fe80::1")));
}

#[test]
fn route_protocols() {
    assert_eq!(
        rtprot(proto::LOCAL, route_origin::WELL_KNOWN),
        RTPROT_KERNEL
    );
    assert_eq!(rtprot(proto::NT_STATIC, 0), RTPROT_STATIC);
    assert_eq!(rtprot(proto::NT_STATIC_NON_DOD, 0), RTPROT_STATIC);
    assert_eq!(rtprot(proto::NT_AUTOSTATIC, 0), RTPROT_STATIC);
    assert_eq!(rtprot(proto::ICMP, 0), RTPROT_REDIRECT);
    assert_eq!(rtprot(proto::OSPF, 0), RTPROT_OSPF);
    assert_eq!(rtprot(proto::BGP, 0), RTPROT_BGP);
    assert_eq!(rtprot(proto::RIP, 0), RTPROT_RIP);
    assert_eq!(rtprot(proto::IS_IS, 0), RTPROT_ISIS);
    assert_eq!(rtprot(proto::EIGRP, 0), RTPROT_EIGRP);
    assert_eq!(rtprot(proto::DHCP, route_origin::DHCP), RTPROT_DHCP);
    assert_eq!(
        rtprot(proto::OTHER, route_origin::ROUTER_ADVERTISEMENT),
        RTPROT_RA
    );
    assert_eq!(rtprot(proto::OTHER, 0), RTPROT_UNSPEC);
    assert_eq!(rtprot(12345, 0), RTPROT_UNSPEC);
}

#[test]
fn neighbours() {
    let s = snapshot();
    let msgs: Vec<Message> = s.neighbours.iter().map(|n| neigh_message(&s, n)).collect();
    let hdr = |m: &Message| match m.fixed {
        Fixed::Neigh(h) => h,
        _ => panic!(),
    };
    let h = hdr(&msgs[0]);
    assert_eq!(
        (h.family, h.ifindex, h.state, h.flags, h.kind),
        (AF_INET, 7, NUD_REACHABLE, 0, RTN_UNICAST)
    );
    assert_eq!(names(&msgs[0]), ["NDA_DST", "NDA_LLADDR"]);
    assert_eq!(ip_attr(&msgs[0], "NDA_DST"), Some(ip("192.168.1.1")));
    assert_eq!(
        bytes_attr(&msgs[0], "NDA_LLADDR"),
        Some(&[0, 0x0c, 0x29, 1, 2, 3][..])
    );
    assert_eq!(hdr(&msgs[1]).state, NUD_INCOMPLETE);
    assert_eq!(names(&msgs[1]), ["NDA_DST"], "no lladdr while incomplete");
    assert_eq!(hdr(&msgs[2]).state, NUD_NOARP, "subnet broadcast");
    assert_eq!(hdr(&msgs[3]).state, NUD_NOARP, "multicast");
    assert_eq!(
        bytes_attr(&msgs[3], "NDA_LLADDR"),
        Some(&[1, 0, 0x5e, 0, 0, 0x16][..])
    );
    let h = hdr(&msgs[4]);
    assert_eq!(
        (h.family, h.state, h.flags),
        (AF_INET6, NUD_STALE, NTF_ROUTER)
    );
    for (st, nud_) in [
        (neigh_state::UNREACHABLE, NUD_FAILED),
        (neigh_state::PROBE, NUD_PROBE),
        (neigh_state::DELAY, NUD_DELAY),
        (neigh_state::PERMANENT, NUD_PERMANENT),
        (77, 0),
    ] {
        assert_eq!(nud(st), nud_);
    }
    let failed = neighbour(
        "192.168.1.3",
        &[1, 2, 3, 4, 5, 6],
        7,
        neigh_state::UNREACHABLE,
    );
    assert_eq!(names(&neigh_message(&s, &failed)), ["NDA_DST"]);
    let on_lo = neighbour("127.0.0.5", &[], 1, neigh_state::PERMANENT);
    assert_eq!(hdr(&neigh_message(&s, &on_lo)).state, NUD_NOARP);
}

#[test]
fn notifications() {
    let s = snapshot();
    let eth = ethernet();
    let k = NotificationKind::from_raw;
    assert_eq!(k(0), NotificationKind::ParameterChange);
    assert_eq!(k(9), NotificationKind::Other(9));
    assert!(notification(
        &s,
        Change::Link(&eth),
        k(notification::INITIAL_NOTIFICATION)
    )
    .is_none());
    assert!(notification(&s, Change::Link(&eth), k(42)).is_none());
    let m = notification(&s, Change::Link(&eth), k(notification::ADD_INSTANCE)).unwrap();
    assert_eq!(m.header.kind, RTM_NEWLINK);
    let m = notification(&s, Change::Link(&eth), k(notification::PARAMETER_CHANGE)).unwrap();
    assert_eq!(m.header.kind, RTM_NEWLINK);
    let m = notification(&s, Change::Link(&eth), k(notification::DELETE_INSTANCE)).unwrap();
    assert_eq!(m.header.kind, RTM_DELLINK);
    assert_eq!(str_attr(&m, "IFLA_IFNAME"), Some("Ethernet"));

    let change = Change::Addr {
        if_index: 7,
        addr: &eth.unicast[2],
    };
    let m = notification(&s, change, k(notification::DELETE_INSTANCE)).unwrap();
    assert_eq!(m.header.kind, RTM_DELADDR);
    assert_eq!(str_attr(&m, "IFA_LABEL"), Some("Ethernet"));
    // The adapter already gone: index kept, no label.
    let change = Change::Addr {
        if_index: 99,
        addr: &eth.unicast[2],
    };
    let m = notification(&s, change, k(notification::ADD_INSTANCE)).unwrap();
    assert!(matches!(m.fixed, Fixed::Addr(h) if h.index == 99));
    assert_eq!(m.get_attr("IFA_LABEL"), None);

    let m = notification(
        &s,
        Change::Route(&s.routes[0]),
        k(notification::ADD_INSTANCE),
    )
    .unwrap();
    assert_eq!(m.header.kind, RTM_NEWROUTE);
    let m = notification(
        &s,
        Change::Route(&s.routes[0]),
        k(notification::DELETE_INSTANCE),
    )
    .unwrap();
    assert_eq!(m.header.kind, RTM_DELROUTE);
    let m = notification(
        &s,
        Change::Neigh(&s.neighbours[0]),
        k(notification::DELETE_INSTANCE),
    )
    .unwrap();
    assert_eq!(m.header.kind, RTM_DELNEIGH);
    assert_eq!((m.header.seq, m.header.pid, m.header.flags), (0, 0, 0));
}

fn dump_request(kind: u16, family: u8) -> Vec<u8> {
    let mut w = MessageWriter::new();
    let m = w.begin_message(kind, NLM_F_REQUEST | NLM_F_DUMP, 5, 4242);
    // rtgenmsg-sized header padded to the family's fixed header.
    let len = match kind {
        RTM_GETLINK => 16,
        RTM_GETADDR => 8,
        _ => 12,
    };
    let mut hdr = vec![0u8; len];
    hdr[0] = family;
    w.put_bytes(&hdr);
    w.end_message(m);
    w.into_vec()
}

fn replies(req: &[u8], snap: &[Message]) -> Vec<Message> {
    emulate("windows", req, snap)
        .iter()
        .flat_map(|d| {
            Message::parse_all(d)
                .map(Result::unwrap)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn snapshot_answers_dumps_like_linux() {
    let s = snapshot();
    let rtnl = s.to_rtnl();
    assert_eq!(rtnl.len(), 2 + 5 + s.routes.len() + s.neighbours.len());

    let links = replies(&dump_request(RTM_GETLINK, 0), &rtnl);
    assert_eq!(links.len(), 3);
    assert!(links[..2].iter().all(|m| m.header.kind == RTM_NEWLINK
        && m.header.flags == NLM_F_MULTI
        && (m.header.seq, m.header.pid) == (5, 4242)));
    assert_eq!(links[2].header.kind, NLMSG_DONE);

    let addrs = replies(&dump_request(RTM_GETADDR, AF_INET), &rtnl);
    let v4: Vec<IpAddr> = addrs
        .iter()
        .filter_map(|m| ip_attr(m, "IFA_ADDRESS"))
        .collect();
    assert_eq!(
        v4,
        [ip("127.0.0.1"), ip("192.168.1.20")],
        "IPv4 only, by index"
    );

    let addrs = replies(&dump_request(RTM_GETADDR, 0), &rtnl);
    let fams: Vec<u8> = addrs
        .iter()
        .filter_map(|m| match m.fixed {
            Fixed::Addr(h) => Some(h.family),
            _ => None,
        })
        .collect();
    assert_eq!(
        fams,
        [AF_INET, AF_INET, AF_INET6, AF_INET6, AF_INET6],
        "IPv4 first"
    );

    let routes = replies(&dump_request(RTM_GETROUTE, AF_INET6), &rtnl);
    assert_eq!(routes.len(), 3 + 1);
    let neigh = replies(&dump_request(RTM_GETNEIGH, 0), &rtnl);
    assert_eq!(neigh.len(), 5 + 1);
}

#[test]
fn setters_are_unsupported() {
    let rtnl = snapshot().to_rtnl();
    let mut m = Message::new(
        RTM_NEWROUTE,
        NLM_F_REQUEST | rtnl_wire::netlink::NLM_F_ACK,
        Fixed::Route(Default::default()),
    );
    m.header.seq = 3;
    let out = replies(&m.to_bytes(), &rtnl);
    match &out[0].fixed {
        Fixed::Error(e, _) => {
            assert_eq!(e.code, -rtnl_wire::errno::EOPNOTSUPP);
            assert_eq!(
                e.message.as_deref(),
                Some("RTM_NEWROUTE is not supported on windows")
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A callback's row and type: what it must read, and the message its
/// object's current state gives.
#[test]
fn callback_rows() {
    use rtnl_wire::rtm::groups::*;
    let k = NotificationKind::from_raw;
    let (add, change, del, init) = (
        k(notification::ADD_INSTANCE),
        k(notification::PARAMETER_CHANGE),
        k(notification::DELETE_INSTANCE),
        k(notification::INITIAL_NOTIFICATION),
    );
    let eth = ethernet();
    let iface = ChangedRow::Interface {
        if_index: 7,
        luid: eth.luid,
    };
    let v6_addr = ChangedRow::Addr {
        if_index: 7,
        addr: eth.unicast[0].clone(),
    };
    let default = snapshot().routes[0].clone();
    let rt = ChangedRow::Route(default.clone());

    // Which lookup, which group.
    for row in [&iface, &v6_addr, &rt] {
        assert_eq!(row.lookup(init), Lookup::Nothing);
        assert_eq!(row.lookup(k(77)), Lookup::Nothing);
    }
    for kind in [add, change, del] {
        assert_eq!(iface.lookup(kind), Lookup::Adapters);
        assert_eq!(v6_addr.lookup(kind), Lookup::Adapters);
        assert_eq!(rt.lookup(kind), Lookup::AdaptersAndRoute);
    }
    assert_eq!(iface.group(), RTNLGRP_LINK);
    assert_eq!(v6_addr.group(), RTNLGRP_IPV6_IFADDR);
    let v4_addr = ChangedRow::Addr {
        if_index: 7,
        addr: eth.unicast[2].clone(),
    };
    assert_eq!(v4_addr.group(), RTNLGRP_IPV4_IFADDR);
    assert_eq!(rt.group(), RTNLGRP_IPV4_ROUTE);
    let v6_rt = ChangedRow::Route(snapshot().routes[9].clone());
    assert_eq!(v6_rt.group(), RTNLGRP_IPV6_ROUTE);

    // What the system holds now: the adapters, and the route's current row.
    let now = Snapshot {
        adapters: vec![loopback(), eth.clone()],
        routes: vec![Route {
            metric: 99,
            ..default.clone()
        }],
        neighbours: vec![],
    };
    let gone = Snapshot {
        adapters: vec![loopback()],
        ..Snapshot::default()
    };
    for kind in [init, k(77)] {
        assert!(callback_message(&now, &iface, kind).is_none());
        assert!(callback_message(&now, &rt, kind).is_none());
    }

    // Links: present gives its current state, whatever the type said (one
    // IP family leaving an interface that still exists); gone gives a
    // minimal RTM_DELLINK with the row's index.
    for kind in [add, change, del] {
        let m = callback_message(&now, &iface, kind).unwrap();
        assert_eq!(m.header.kind, RTM_NEWLINK);
        assert_eq!(str_attr(&m, "IFLA_IFNAME"), Some("Ethernet"));
        assert_eq!((m.header.seq, m.header.pid), (0, 0));
        let m = callback_message(&gone, &iface, kind).unwrap();
        assert_eq!(m.header.kind, RTM_DELLINK);
        assert!(matches!(m.fixed, Fixed::Link(h) if h.index == 7));
    }

    // Addresses: the adapter's current entry (a partial row is completed),
    // or the row itself when the address is gone.
    let partial = ChangedRow::Addr {
        if_index: 7,
        addr: UnicastAddress {
            prefix_len: 0,
            valid_lifetime: 0,
            ..eth.unicast[2].clone()
        },
    };
    let m = callback_message(&now, &partial, add).unwrap();
    assert_eq!(m.header.kind, RTM_NEWADDR);
    assert_eq!(
        m,
        addr_message(&eth, &eth.unicast[2]),
        "the adapter's entry, not the partial row"
    );
    let m = callback_message(&now, &partial, del).unwrap();
    assert_eq!(m.header.kind, RTM_NEWADDR, "still there: its current state");
    let mut without = eth.clone();
    without.unicast.remove(2);
    let now_without = Snapshot {
        adapters: vec![loopback(), without],
        ..Snapshot::default()
    };
    let m = callback_message(&now_without, &partial, del).unwrap();
    assert_eq!(m.header.kind, RTM_DELADDR);
    assert_eq!(str_attr(&m, "IFA_LABEL"), Some("Ethernet"), "adapter kept");
    assert_eq!(ip_attr(&m, "IFA_ADDRESS"), Some(ip("192.168.1.20")));
    // Adapter gone too: the row's index, no label.
    let m = callback_message(&gone, &partial, change).unwrap();
    assert_eq!(m.header.kind, RTM_DELADDR);
    assert!(matches!(m.fixed, Fixed::Addr(h) if h.index == 7));
    assert_eq!(m.get_attr("IFA_LABEL"), None);

    // Routes: the current row (metric 99) when it exists, else the row.
    let m = callback_message(&now, &rt, change).unwrap();
    assert_eq!(m.header.kind, RTM_NEWROUTE);
    assert_eq!(u32_attr(&m, "RTA_PRIORITY"), Some(99));
    let m = callback_message(&gone, &rt, add).unwrap();
    assert_eq!(m.header.kind, RTM_DELROUTE);
    assert_eq!(u32_attr(&m, "RTA_PRIORITY"), Some(25));
    assert_eq!(ip_attr(&m, "RTA_GATEWAY"), Some(ip("192.168.1.1")));
    // Another next hop is another route.
    let other = ChangedRow::Route(Route {
        next_hop: ip("192.168.1.2"),
        ..default
    });
    assert_eq!(
        callback_message(&now, &other, add).unwrap().header.kind,
        RTM_DELROUTE
    );
}
