//! Real kernel bytes: dumps recorded by `fixtures/record.sh` in a throwaway
//! network namespace (see that script for what was configured and how to
//! re-record). Every message must parse and re-encode byte for byte, every
//! attribute the tables know must decode to its typed value, and the objects
//! the script created must read back with the values it gave them.

use std::net::IpAddr;

use rtnl_wire::attr::Attr;
use rtnl_wire::family::{
    addr::AddrView, link::LinkView, neigh::NeighView, route::RouteView, rule::RuleView,
};
use rtnl_wire::names;
use rtnl_wire::netlink::{MessageWriter, Messages, NLMSG_DONE, NLM_F_MULTI};
use rtnl_wire::rtm::{self, Family};
use rtnl_wire::value::Via;
use rtnl_wire::{Fixed, Message, Value};

const FIXTURES: &[(&str, &[u8])] = &[
    ("links", include_bytes!("fixtures/links.bin")),
    ("addrs", include_bytes!("fixtures/addrs.bin")),
    ("routes4", include_bytes!("fixtures/routes4.bin")),
    ("routes6", include_bytes!("fixtures/routes6.bin")),
    ("neigh", include_bytes!("fixtures/neigh.bin")),
    ("rules", include_bytes!("fixtures/rules.bin")),
];

fn fixture(name: &str) -> Vec<Message> {
    let bytes = FIXTURES.iter().find(|f| f.0 == name).unwrap().1;
    Message::parse_all(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The objects of a dump (without NLMSG_DONE).
fn objects(name: &str) -> Vec<Message> {
    fixture(name)
        .into_iter()
        .filter(|m| m.family().is_some())
        .collect()
}

fn link<'a>(links: &'a [Message], ifname: &str) -> &'a Message {
    links
        .iter()
        .find(|m| m.get_attr("IFLA_IFNAME").and_then(Value::as_str) == Some(ifname))
        .unwrap_or_else(|| panic!("no link {ifname}"))
}

fn index(m: &Message) -> i32 {
    match m.fixed {
        Fixed::Link(h) => h.index,
        _ => panic!("not a link"),
    }
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn route<'a>(routes: &'a [Message], dst: &str) -> &'a Message {
    routes
        .iter()
        .find(|m| m.get_attr("RTA_DST").and_then(Value::as_ip) == Some(ip(dst)))
        .unwrap_or_else(|| panic!("no route to {dst}"))
}

fn rt(m: &Message) -> rtnl_wire::family::route::RtMsg {
    match m.fixed {
        Fixed::Route(h) => h,
        _ => panic!("not a route"),
    }
}

/// Collects the names of attributes the tables know but whose payload did not
/// fit the table's type.
fn untyped(prefix: &str, attrs: &[Attr], out: &mut Vec<String>) {
    for a in attrs {
        let path = format!("{prefix}/{}", a.display_name());
        match &a.value {
            Value::Raw(b) if a.spec.is_some() => out.push(format!("{path} ({} bytes)", b.len())),
            Value::Nested(children) => untyped(&path, children, out),
            Value::Multipath(hops) => {
                for h in hops {
                    untyped(&path, &h.attrs, out)
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_message_parses_and_reencodes_byte_exact() {
    for &(name, bytes) in FIXTURES {
        let mut count = 0;
        let mut all = MessageWriter::new();
        let framed: Vec<_> = Messages::new(bytes).collect::<Result<_, _>>().unwrap();
        assert!(framed.len() > 2, "{name}: only {} messages", framed.len());
        for (i, nl) in framed.iter().enumerate() {
            let m = Message::parse(nl).unwrap_or_else(|e| panic!("{name} #{i}: {e}"));
            assert_eq!(
                m.to_bytes(),
                nl.bytes,
                "{name} #{i} re-encodes differently: {m:?}"
            );
            assert_eq!(m.header, nl.header);
            assert!(nl.header.is_multi(), "{name} #{i}");
            assert!(!nl.header.is_dump_interrupted(), "{name} #{i}");
            m.emit(&mut all);
            // JSON and Debug render every message.
            assert!(m.to_json()["attrs"].is_array());
            assert!(!format!("{m:?}").is_empty());
            count += 1;
        }
        assert_eq!(
            all.as_bytes(),
            bytes,
            "{name}: the dump re-encodes differently"
        );
        let last = framed.last().unwrap();
        assert_eq!(last.header.kind, NLMSG_DONE, "{name}");
        assert!(matches!(
            Message::parse(last).unwrap().fixed,
            Fixed::Done(0)
        ));
        let objs = objects(name);
        assert_eq!(objs.len(), count - 1, "{name}");
        for m in &objs {
            assert_eq!(m.header.flags & NLM_F_MULTI, NLM_F_MULTI);
            assert!(m.type_name().unwrap().starts_with("RTM_NEW"));
        }
    }
}

/// The tables' value types match what this kernel sends: no attribute the
/// tables name is left as raw bytes.
#[test]
fn every_known_attribute_decodes_to_its_type() {
    let mut bad = Vec::new();
    for &(name, _) in FIXTURES {
        for (i, m) in objects(name).iter().enumerate() {
            untyped(&format!("{name}#{i}"), &m.attrs, &mut bad);
        }
    }
    assert!(
        bad.is_empty(),
        "attributes not decoded as their table says:\n{}",
        bad.join("\n")
    );
}

/// The zero-copy views read the same values as the owned messages.
#[test]
fn views_agree_with_owned_messages() {
    for &(name, bytes) in FIXTURES {
        for nl in Messages::new(bytes).map(Result::unwrap) {
            let m = Message::parse(&nl).unwrap();
            let ipv = |n| m.get_attr(n).and_then(Value::as_ip);
            let u32v = |n| m.get_attr(n).and_then(Value::as_u32);
            let strv = |n| m.get_attr(n).and_then(Value::as_str);
            let bytesv = |n| m.get_attr(n).and_then(Value::as_bytes);
            match (m.family(), &m.fixed) {
                (Some(Family::Link), Fixed::Link(h)) => {
                    let v = LinkView::parse(nl.payload).unwrap();
                    assert_eq!(v.hdr, *h);
                    assert_eq!(v.name(), strv("IFLA_IFNAME"));
                    assert_eq!(v.mtu(), u32v("IFLA_MTU"));
                    assert_eq!(v.address(), bytesv("IFLA_ADDRESS"));
                    assert_eq!(v.master(), u32v("IFLA_MASTER"));
                    assert_eq!(v.link(), u32v("IFLA_LINK"));
                    assert_eq!(v.operstate().map(u32::from), u32v("IFLA_OPERSTATE"));
                    assert_eq!(
                        v.kind(),
                        m.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
                            .and_then(Value::as_str)
                    );
                }
                (Some(Family::Addr), Fixed::Addr(h)) => {
                    let v = AddrView::parse(nl.payload).unwrap();
                    assert_eq!(v.hdr, *h);
                    assert_eq!(v.address(), ipv("IFA_ADDRESS"));
                    assert_eq!(v.local(), ipv("IFA_LOCAL"));
                    assert_eq!(v.label(), strv("IFA_LABEL"));
                    assert_eq!(v.flags(), u32v("IFA_FLAGS").unwrap());
                }
                (Some(Family::Route), Fixed::Route(h)) => {
                    let v = RouteView::parse(nl.payload).unwrap();
                    assert_eq!(v.hdr, *h);
                    assert_eq!(v.dst(), ipv("RTA_DST"));
                    assert_eq!(v.gateway(), ipv("RTA_GATEWAY"));
                    assert_eq!(v.oif(), u32v("RTA_OIF"));
                    assert_eq!(v.priority(), u32v("RTA_PRIORITY"));
                    assert_eq!(v.prefsrc(), ipv("RTA_PREFSRC"));
                    assert_eq!(v.table(), u32v("RTA_TABLE").unwrap());
                }
                (Some(Family::Neigh), Fixed::Neigh(h)) => {
                    let v = NeighView::parse(nl.payload).unwrap();
                    assert_eq!(v.hdr, *h);
                    assert_eq!(v.dst(), ipv("NDA_DST"));
                    assert_eq!(v.lladdr(), bytesv("NDA_LLADDR"));
                }
                (Some(Family::Rule), Fixed::Rule(h)) => {
                    let v = RuleView::parse(nl.payload).unwrap();
                    assert_eq!(v.hdr, *h);
                    assert_eq!(v.table(), u32v("FRA_TABLE").unwrap());
                    assert_eq!(v.priority(), u32v("FRA_PRIORITY"));
                }
                (None, Fixed::Done(_)) => {}
                other => panic!("{name}: unexpected {other:?}"),
            }
        }
    }
}

#[test]
fn links() {
    let links = objects("links");
    assert!(links.iter().all(|m| m.header.kind == rtm::RTM_NEWLINK));
    let lo = link(&links, "lo");
    assert_eq!(
        names::LINK_TYPES.name(match lo.fixed {
            Fixed::Link(h) => h.kind.into(),
            _ => 0,
        }),
        Some("loopback")
    );

    // veth pair: each names the other with IFLA_LINK.
    let (v0, v1) = (link(&links, "veth0"), link(&links, "veth1"));
    for (a, b) in [(v0, v1), (v1, v0)] {
        assert_eq!(
            a.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
                .and_then(Value::as_str),
            Some("veth")
        );
        assert_eq!(
            a.get_attr("IFLA_LINK").and_then(Value::as_u32),
            Some(index(b) as u32)
        );
        assert_eq!(a.get_attr("IFLA_MTU").and_then(Value::as_u32), Some(1500));
        assert!(matches!(a.get_attr("IFLA_ADDRESS"), Some(Value::LinkAddr(mac)) if mac.len() == 6));
        let Fixed::Link(h) = a.fixed else {
            unreachable!()
        };
        let (flags, rest) = names::LINK_FLAGS.flags(h.flags);
        assert!(
            flags.contains(&"UP") && flags.contains(&"LOWER_UP"),
            "{flags:?}"
        );
        assert_eq!(rest, 0);
        assert!(matches!(a.get_attr("IFLA_STATS64"), Some(Value::Struct(f)) if f.len() >= 23));
        assert!(matches!(
            a.get_nested(&["IFLA_AF_SPEC", "AF_INET6", "IFLA_INET6_CACHEINFO"]),
            Some(Value::Struct(f)) if f.len() == 4
        ));
    }

    // Bridge and its port.
    let br = link(&links, "br0");
    assert_eq!(
        br.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
            .and_then(Value::as_str),
        Some("bridge")
    );
    let br_data = |n| br.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_DATA", n]);
    assert_eq!(br_data("IFLA_BR_PRIORITY"), Some(&Value::U16(32768)));
    assert_eq!(br_data("IFLA_BR_FORWARD_DELAY"), Some(&Value::U32(1500)));
    assert!(matches!(
        br_data("IFLA_BR_HELLO_TIMER"),
        Some(Value::U64(_))
    ));
    assert!(matches!(br_data("IFLA_BR_MULTI_BOOLOPT"), Some(Value::Struct(f)) if f.len() == 2));
    assert!(matches!(
        br.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_BR_GROUP_ADDR"]),
        Some(Value::LinkAddr(a)) if a[..] == [0x01, 0x80, 0xc2, 0, 0, 0]
    ));
    assert_eq!(
        v1.get_attr("IFLA_MASTER").and_then(Value::as_u32),
        Some(index(br) as u32)
    );
    assert_eq!(
        v1.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_SLAVE_KIND"])
            .and_then(Value::as_str),
        Some("bridge")
    );
    // Forwarding (3), port number 1.
    assert_eq!(
        v1.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_SLAVE_DATA", "IFLA_BRPORT_STATE"]),
        Some(&Value::U8(3))
    );
    assert_eq!(
        v1.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_SLAVE_DATA", "IFLA_BRPORT_NO"]),
        Some(&Value::U16(1))
    );
    assert_eq!(v0.get_attr("IFLA_MASTER"), None);

    // vxlan id 42, port 4789 (big-endian on the wire), local 10.0.0.1.
    let vx = link(&links, "vx0");
    let data = |n| vx.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_DATA", n]);
    assert_eq!(data("IFLA_VXLAN_ID"), Some(&Value::U32(42)));
    assert_eq!(data("IFLA_VXLAN_PORT"), Some(&Value::U16(4789)));
    assert_eq!(data("IFLA_VXLAN_LOCAL"), Some(&Value::Ip(ip("10.0.0.1"))));
    assert_eq!(data("IFLA_VXLAN_LEARNING"), Some(&Value::U8(1)));
    assert_eq!(data("IFLA_VXLAN_AGEING"), Some(&Value::U32(300)));
    // A flag in requests, a u8 in dumps.
    assert_eq!(data("IFLA_VXLAN_TTL_INHERIT"), Some(&Value::U8(0)));
    let json = vx.to_json().to_string();
    assert!(json.contains(r#"["IFLA_VXLAN_ID",42]"#), "{json}");
    assert!(json.contains(r#"["IFLA_VXLAN_PORT",4789]"#), "{json}");

    // macvlan in bridge mode (MACVLAN_MODE_BRIDGE = 4) on veth2.
    let mv = link(&links, "mv0");
    assert_eq!(
        mv.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
            .and_then(Value::as_str),
        Some("macvlan")
    );
    assert_eq!(
        mv.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_MACVLAN_MODE"]),
        Some(&Value::U32(4))
    );
    assert_eq!(
        mv.get_attr("IFLA_LINK").and_then(Value::as_u32),
        Some(index(link(&links, "veth2")) as u32)
    );
}

#[test]
fn addrs() {
    let addrs = objects("addrs");
    let find = |a: &str| {
        addrs
            .iter()
            .find(|m| m.get_attr("IFA_ADDRESS").and_then(Value::as_ip) == Some(ip(a)))
            .unwrap_or_else(|| panic!("no address {a}"))
    };
    let a = find("10.0.0.1");
    assert_eq!(a.get_attr("IFA_LOCAL"), Some(&Value::Ip(ip("10.0.0.1"))));
    assert_eq!(
        a.get_attr("IFA_BROADCAST"),
        Some(&Value::Ip(ip("10.0.0.255")))
    );
    assert_eq!(
        a.get_attr("IFA_LABEL").and_then(Value::as_str),
        Some("veth0:a")
    );
    let Fixed::Addr(h) = a.fixed else {
        unreachable!()
    };
    assert_eq!((h.family, h.prefixlen, h.scope), (2, 24, 0));
    assert_eq!(names::ADDR_FLAGS.flags(h.flags.into()).0, ["permanent"]);
    assert!(
        matches!(a.get_attr("IFA_CACHEINFO"), Some(Value::Struct(f)) if f[0] == u32::MAX as u64)
    );

    let b = find("10.1.0.1");
    assert_eq!(
        b.get_attr("IFA_BROADCAST"),
        Some(&Value::Ip(ip("10.1.0.255")))
    );
    assert_eq!(
        b.get_attr("IFA_LABEL").and_then(Value::as_str),
        Some("mv0:x")
    );

    let v6 = find("2001:db8::1");
    let Fixed::Addr(h) = v6.fixed else {
        unreachable!()
    };
    assert_eq!((h.family, h.prefixlen), (10, 64));
    let flags = v6.get_attr("IFA_FLAGS").and_then(Value::as_u32).unwrap();
    assert_eq!(names::ADDR_FLAGS.flags(flags).0, ["nodad", "permanent"]);
    assert_eq!(v6.get_attr("IFA_LABEL"), None);
}

#[test]
fn ipv4_routes() {
    let routes = objects("routes4");
    let r = route(&routes, "192.168.10.0");
    assert_eq!(r.get_attr("RTA_GATEWAY"), Some(&Value::Ip(ip("10.0.0.2"))));
    assert_eq!(r.get_attr("RTA_PRIORITY"), Some(&Value::U32(50)));
    assert_eq!(
        names::ROUTE_PROTOCOLS.name(rt(r).protocol.into()),
        Some("boot")
    );
    assert_eq!(names::ROUTE_TYPES.name(rt(r).kind.into()), Some("unicast"));

    let r = route(&routes, "192.168.11.0");
    assert_eq!(names::SCOPES.name(rt(r).scope.into()), Some("link"));
    assert_eq!(r.get_attr("RTA_GATEWAY"), None);

    let r = route(&routes, "192.168.12.0");
    assert_eq!(
        r.get_nested(&["RTA_METRICS", "RTAX_MTU"]),
        Some(&Value::U32(1400))
    );

    // Multipath: weight 2 via veth0, weight 3 via mv0 (hops = weight - 1).
    let r = route(&routes, "192.168.13.0");
    let Some(Value::Multipath(hops)) = r.get_attr("RTA_MULTIPATH") else {
        panic!("no multipath: {r:?}")
    };
    let got: Vec<_> = hops.iter().map(|h| (h.gateway(), h.hops + 1)).collect();
    assert_eq!(got, [(Some(ip("10.0.0.2")), 2), (Some(ip("10.1.0.2")), 3)]);
    assert!(hops.iter().all(|h| h.ifindex > 0 && h.flags == 0));
    assert_eq!(r.get_attr("RTA_GATEWAY"), None);

    let r = route(&routes, "192.168.14.0");
    assert_eq!(
        names::ROUTE_TYPES.name(rt(r).kind.into()),
        Some("blackhole")
    );
    let r = route(&routes, "192.168.15.0");
    assert_eq!(
        names::ROUTE_TYPES.name(rt(r).kind.into()),
        Some("unreachable")
    );

    let r = route(&routes, "192.168.16.0");
    assert_eq!(r.get_attr("RTA_TABLE"), Some(&Value::U32(100)));
    assert_eq!(rt(r).table, 100);

    // IPv4 route through an IPv6 next hop: RTA_VIA.
    let r = route(&routes, "192.168.17.0");
    assert_eq!(
        r.get_attr("RTA_VIA"),
        Some(&Value::Via(Via {
            family: 10,
            addr: ip6_octets("2001:db8::2")
        }))
    );
    assert_eq!(
        r.get_attr("RTA_VIA").and_then(Value::as_ip),
        Some(ip("2001:db8::2"))
    );

    // The local table is in the dump too.
    assert!(routes
        .iter()
        .any(|m| m.get_attr("RTA_TABLE") == Some(&Value::U32(255))));
}

fn ip6_octets(s: &str) -> Vec<u8> {
    s.parse::<std::net::Ipv6Addr>().unwrap().octets().to_vec()
}

#[test]
fn ipv6_routes() {
    let routes = objects("routes6");
    let r = route(&routes, "2001:db8:1::");
    assert_eq!(
        r.get_attr("RTA_GATEWAY"),
        Some(&Value::Ip(ip("2001:db8::2")))
    );
    assert_eq!(r.get_attr("RTA_PRIORITY"), Some(&Value::U32(100)));
    assert!(matches!(r.get_attr("RTA_CACHEINFO"), Some(Value::Struct(f)) if f.len() == 8));

    let r = route(&routes, "2001:db8:2::");
    let Some(Value::Multipath(hops)) = r.get_attr("RTA_MULTIPATH") else {
        panic!("no multipath: {r:?}")
    };
    let got: Vec<_> = hops.iter().map(|h| (h.gateway(), h.hops + 1)).collect();
    assert_eq!(
        got,
        [(Some(ip("2001:db8::2")), 1), (Some(ip("2001:db8:f::2")), 4)]
    );

    let r = route(&routes, "2001:db8:3::");
    assert_eq!(
        r.get_nested(&["RTA_METRICS", "RTAX_MTU"]),
        Some(&Value::U32(1300))
    );
    let r = route(&routes, "2001:db8:4::");
    assert_eq!(
        names::ROUTE_TYPES.name(rt(r).kind.into()),
        Some("blackhole")
    );
    let r = route(&routes, "2001:db8:5::");
    assert_eq!(
        names::ROUTE_TYPES.name(rt(r).kind.into()),
        Some("unreachable")
    );
    let r = route(&routes, "2001:db8:6::");
    assert_eq!(r.get_attr("RTA_TABLE"), Some(&Value::U32(100)));
    assert_eq!(
        r.get_attr("RTA_PREF")
            .map(|v| names::ROUTE_PREFS.name(v.as_u32().unwrap())),
        Some(Some("medium"))
    );
}

#[test]
fn neighbours() {
    let neigh = objects("neigh");
    for (dst, mac) in [
        ("10.0.0.5", [2, 0, 0, 0, 0, 5]),
        ("2001:db8::5", [2, 0, 0, 0, 0, 6]),
    ] {
        let n = neigh
            .iter()
            .find(|m| m.get_attr("NDA_DST").and_then(Value::as_ip) == Some(ip(dst)))
            .unwrap_or_else(|| panic!("no neighbour {dst}"));
        let Fixed::Neigh(h) = n.fixed else {
            unreachable!()
        };
        assert_eq!(names::NEIGH_STATES.name(h.state.into()), Some("PERMANENT"));
        assert_eq!(h.family, if dst.contains(':') { 10 } else { 2 });
        assert_eq!(
            n.get_attr("NDA_LLADDR"),
            Some(&Value::LinkAddr(mac.to_vec()))
        );
        assert!(matches!(n.get_attr("NDA_CACHEINFO"), Some(Value::Struct(f)) if f.len() == 4));
    }
    // The multicast entries the kernel made itself are NOARP.
    assert!(neigh
        .iter()
        .any(|m| matches!(m.fixed, Fixed::Neigh(h) if h.state == 0x40)));
}

#[test]
fn rules() {
    let rules = objects("rules");
    let by_prio = |p: u32| {
        rules
            .iter()
            .find(|m| m.get_attr("FRA_PRIORITY") == Some(&Value::U32(p)))
            .unwrap_or_else(|| panic!("no rule {p}"))
    };
    let r = by_prio(1000);
    assert_eq!(r.get_attr("FRA_FWMARK"), Some(&Value::U32(0x10)));
    assert_eq!(r.get_attr("FRA_FWMASK"), Some(&Value::U32(u32::MAX)));
    assert_eq!(r.get_attr("FRA_TABLE"), Some(&Value::U32(100)));
    let Fixed::Rule(h) = r.fixed else {
        unreachable!()
    };
    assert_eq!(h.family, 2);
    assert_eq!(names::RULE_ACTIONS.name(h.action.into()), Some("to_tbl"));

    let r = by_prio(1001);
    assert_eq!(r.get_attr("FRA_FWMARK"), Some(&Value::U32(0x20)));
    assert_eq!(r.get_attr("FRA_FWMASK"), Some(&Value::U32(0xff)));
    assert!(matches!(r.fixed, Fixed::Rule(h) if h.family == 10));

    let r = by_prio(1002);
    assert_eq!(r.get_attr("FRA_SRC"), Some(&Value::Ip(ip("10.0.0.0"))));
    assert_eq!(r.get_attr("FRA_DST"), Some(&Value::Ip(ip("192.168.0.0"))));
    assert!(matches!(r.fixed, Fixed::Rule(h) if h.src_len == 24 && h.dst_len == 16));

    // The default rules: main at 32766, default at 32767.
    assert_eq!(by_prio(32766).get_attr("FRA_TABLE"), Some(&Value::U32(254)));
}
