//! Every getter against `ip -j` on the same namespace, `dump()` and
//! `dump_raw()` against the getters, and byte-exact re-encoding of every
//! message the kernel sends in those dumps.

mod common;

use std::collections::BTreeMap;

use common::*;
use rtnl::wire::message::{Fixed, Message};
use rtnl::wire::netlink::NLMSG_HDRLEN;
use rtnl::{
    AddrFilter, DumpFilter, Error, IpRoute, LinkFilter, NeighFilter, RouteFilter, RuleFilter,
};
use serde_json::Value as Json;

// ---------------------------------------------------------------------------
// Links

/// `(index, name, mtu, flags, master, kind)`.
type LinkKey = (u32, String, u32, u32, Option<u32>, Option<String>);

/// The IFF_* flags `ip` prints by name (IFF_RUNNING is never printed).
const IFF_NAMES: &[(&str, u32)] = &[
    ("UP", 0x1),
    ("BROADCAST", 0x2),
    ("DEBUG", 0x4),
    ("LOOPBACK", 0x8),
    ("POINTOPOINT", 0x10),
    ("NOTRAILERS", 0x20),
    ("NOARP", 0x80),
    ("PROMISC", 0x100),
    ("ALLMULTI", 0x200),
    ("MASTER", 0x400),
    ("SLAVE", 0x800),
    ("MULTICAST", 0x1000),
    ("PORTSEL", 0x2000),
    ("AUTOMEDIA", 0x4000),
    ("DYNAMIC", 0x8000),
    ("LOWER_UP", 0x10000),
    ("DORMANT", 0x20000),
    ("ECHO", 0x40000),
];
const IFF_PRINTED: u32 = 0x7ffff & !0x40;

fn link_key(m: &Message) -> LinkKey {
    let Fixed::Link(h) = &m.fixed else {
        panic!("not a link: {m:?}")
    };
    (
        h.index as u32,
        attr_str(m, "IFLA_IFNAME").expect("IFLA_IFNAME").to_string(),
        attr_u64(m, "IFLA_MTU").expect("IFLA_MTU") as u32,
        h.flags & IFF_PRINTED,
        attr_u64(m, "IFLA_MASTER").map(|v| v as u32),
        m.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
            .and_then(|v| v.as_str())
            .map(str::to_string),
    )
}

fn ip_links(ns: &Netns) -> Vec<LinkKey> {
    let j = ns.ip_json(&["-d", "link", "show"]);
    let names: BTreeMap<String, u32> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["ifname"].as_str().unwrap().to_string(),
                l["ifindex"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    j.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let mut flags = 0;
            for f in l["flags"].as_array().unwrap() {
                let f = f.as_str().unwrap();
                if let Some((_, bit)) = IFF_NAMES.iter().find(|(n, _)| *n == f) {
                    flags |= bit;
                } else {
                    assert!(
                        f == "M-DOWN" || f == "NO-CARRIER",
                        "unknown flag name {f} from ip"
                    );
                }
            }
            (
                l["ifindex"].as_u64().unwrap() as u32,
                l["ifname"].as_str().unwrap().to_string(),
                l["mtu"].as_u64().unwrap() as u32,
                flags,
                l.get("master")
                    .and_then(Json::as_str)
                    .map(|m| *names.get(m).expect("master name")),
                l.get("linkinfo")
                    .and_then(|i| i.get("info_kind"))
                    .and_then(Json::as_str)
                    .map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn links_match_ip() {
    let Some(ns) = Netns::new("links_match_ip") else {
        return;
    };
    ns.setup_rich();
    let mut ipr = ns.open();

    compare_stable(
        "get_links",
        || {
            ipr.get_links(&LinkFilter::default())
                .unwrap()
                .iter()
                .map(link_key)
                .collect()
        },
        || ip_links(&ns),
    );

    // Every kind the rich namespace has is reported.
    let links = ip_links(&ns);
    for kind in ["veth", "bridge", "vxlan", "macvlan", "ifb"] {
        assert!(
            links.iter().any(|l| l.5.as_deref() == Some(kind)),
            "ip shows no {kind} link: {links:?}"
        );
        compare_stable(
            &format!("get_links kind {kind}"),
            || {
                ipr.get_links(&LinkFilter {
                    kind: Some(kind.into()),
                    ..Default::default()
                })
                .unwrap()
                .iter()
                .map(link_key)
                .collect()
            },
            || {
                ip_links(&ns)
                    .into_iter()
                    .filter(|l| l.5.as_deref() == Some(kind))
                    .collect()
            },
        );
    }

    // Ports of br0: v1 only, also as `ip link show master br0` sees it.
    let br0 = ns.index("br0");
    let ports: Vec<String> = ipr
        .get_links(&LinkFilter {
            master: Some(br0),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .map(|m| link_key(m).1)
        .collect();
    let ip_ports: Vec<String> = ns
        .ip_json(&["link", "show", "master", "br0"])
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ifname"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ports, vec!["v1".to_string()]);
    assert_eq!(ports, ip_ports);

    // v0's MTU was set to 1400; mv0 sits on v0 (IFLA_LINK).
    let v0 = ipr.get_link_by_name("v0").unwrap();
    assert_eq!(attr_u64(&v0, "IFLA_MTU"), Some(1400));
    let mv0 = ipr.get_link_by_name("mv0").unwrap();
    assert_eq!(
        attr_u64(&mv0, "IFLA_LINK").map(|v| v as u32),
        Some(ns.index("v0"))
    );
}

#[test]
fn single_link_lookups() {
    let Some(ns) = Netns::new("single_link_lookups") else {
        return;
    };
    ns.setup_rich();
    let mut ipr = ns.open();
    let names = ip_link_names(&ns);
    assert!(names.len() >= 7, "{names:?}");

    for (name, &index) in &names {
        let by_name = ipr.get_link_by_name(name).unwrap();
        assert_eq!(link_index(&by_name), index, "get_link_by_name({name})");
        assert_eq!(attr_str(&by_name, "IFLA_IFNAME"), Some(name.as_str()));

        let by_index = ipr.get_link(index).unwrap();
        assert_eq!(link_index(&by_index), index);
        assert_eq!(attr_str(&by_index, "IFLA_IFNAME"), Some(name.as_str()));

        assert_eq!(ipr.link_lookup(name).unwrap(), Some(index), "{name}");
    }

    let links = ipr.get_links(&LinkFilter::default()).unwrap();
    for (name, &index) in &names {
        assert_eq!(rtnl::link_name(&links, index), Some(name.as_str()));
    }
    assert_eq!(rtnl::link_name(&links, 99_999), None);

    // Missing: link_lookup says None, the getters say ENODEV naming the op.
    assert_eq!(ipr.link_lookup("nosuchlink0").unwrap(), None);
    match ipr.get_link_by_name("nosuchlink0") {
        Err(Error::Kernel(k)) => {
            assert_eq!(k.errno, 19, "{k}");
            assert!(k.op.contains("nosuchlink0"), "op {:?}", k.op);
            let text = Error::Kernel(k.clone()).to_string();
            assert!(text.contains("nosuchlink0"), "{text}");
            assert!(text.contains("ENODEV"), "{text}");
        }
        other => panic!("get_link_by_name(missing): {other:?}"),
    }
    match ipr.get_link(99_999) {
        Err(e) => {
            assert_eq!(e.errno(), Some(19), "{e}");
            assert!(e.to_string().contains("99999"), "{e}");
        }
        Ok(m) => panic!("get_link(99999) found {m:?}"),
    }
    // The socket is still in step after the errors.
    assert_eq!(ipr.link_lookup("v0").unwrap(), Some(names["v0"]));
}

// ---------------------------------------------------------------------------
// Addresses

/// `(index, family, address, prefixlen)`.
type AddrKey = (u32, u8, String, u8);

fn addr_key(m: &Message) -> AddrKey {
    let Fixed::Addr(h) = &m.fixed else {
        panic!("not an address: {m:?}")
    };
    let ip = attr_ip(m, "IFA_LOCAL")
        .or_else(|| attr_ip(m, "IFA_ADDRESS"))
        .expect("address");
    (h.index, h.family, ip.to_string(), h.prefixlen)
}

fn ip_addrs(ns: &Netns) -> Vec<AddrKey> {
    let mut out = Vec::new();
    for l in ns.ip_json(&["addr", "show"]).as_array().unwrap() {
        let index = l["ifindex"].as_u64().unwrap() as u32;
        for a in l["addr_info"].as_array().unwrap() {
            let family = match a["family"].as_str().unwrap() {
                "inet" => AF_INET,
                "inet6" => AF_INET6,
                f => panic!("family {f}"),
            };
            out.push((
                index,
                family,
                a["local"].as_str().unwrap().to_string(),
                a["prefixlen"].as_u64().unwrap() as u8,
            ));
        }
    }
    out
}

#[test]
fn addresses_match_ip() {
    let Some(ns) = Netns::new("addresses_match_ip") else {
        return;
    };
    ns.setup_rich();
    let mut ipr = ns.open();
    let v0 = ns.index("v0");
    let ifb0 = ns.index("ifb0");

    let cases: Vec<(AddrFilter, &str)> = vec![
        (AddrFilter::default(), "all"),
        (
            AddrFilter {
                family: AF_INET,
                ..Default::default()
            },
            "inet",
        ),
        (
            AddrFilter {
                family: AF_INET6,
                ..Default::default()
            },
            "inet6",
        ),
        (
            AddrFilter {
                index: Some(v0),
                ..Default::default()
            },
            "v0",
        ),
        (
            AddrFilter {
                family: AF_INET,
                index: Some(v0),
            },
            "inet v0",
        ),
        (
            AddrFilter {
                family: AF_INET6,
                index: Some(ifb0),
            },
            "inet6 ifb0",
        ),
    ];
    for (filter, what) in cases {
        compare_stable(
            &format!("get_addr {what}"),
            || {
                ipr.get_addr(&filter)
                    .unwrap()
                    .iter()
                    .map(addr_key)
                    .collect()
            },
            || {
                ip_addrs(&ns)
                    .into_iter()
                    .filter(|a| filter.family == 0 || a.1 == filter.family)
                    .filter(|a| filter.index.is_none_or(|i| a.0 == i))
                    .collect()
            },
        );
    }
    // Spot checks, so that an empty namespace cannot pass.
    let v4 = ipr
        .get_addr(&AddrFilter {
            family: AF_INET,
            index: Some(v0),
        })
        .unwrap();
    let mut got: Vec<String> = v4.iter().map(|m| addr_key(m).2).collect();
    got.sort();
    assert_eq!(got, ["10.1.0.1", "10.1.0.2"]);

    // A filter on a missing link: nothing (the link is matched on our side,
    // so that the kernel's consistency check stays on), never another
    // link's addresses.
    let none = ipr
        .get_addr(&AddrFilter {
            family: AF_INET,
            index: Some(99_999),
        })
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(ipr.link_lookup("v0").unwrap(), Some(v0));
}

// ---------------------------------------------------------------------------
// Routes

fn ip_routes(ns: &Netns, names: &BTreeMap<String, u32>) -> Vec<(RouteKey, u8)> {
    let mut out = Vec::new();
    for (flag, family) in [("-4", AF_INET), ("-6", AF_INET6)] {
        for r in ns
            .ip_json(&[flag, "route", "show", "table", "all"])
            .as_array()
            .unwrap()
        {
            out.push((ip_route_key(family, r, names), ip_proto_id(r)));
        }
    }
    out
}

fn our_routes(ipr: &mut IpRoute, f: &RouteFilter) -> Vec<(RouteKey, u8)> {
    ipr.get_routes(f)
        .unwrap_or_else(|e| panic!("get_routes({f:?}): {e}"))
        .iter()
        .map(|m| {
            let Fixed::Route(h) = &m.fixed else {
                panic!("not a route {m:?}")
            };
            (route_key(m), h.protocol)
        })
        .collect()
}

#[test]
fn routes_match_ip() {
    let Some(ns) = Netns::new("routes_match_ip") else {
        return;
    };
    ns.setup_rich();
    let mut ipr = ns.open();
    let names = ip_link_names(&ns);
    let (v0, br0, mv0, ifb0) = (names["v0"], names["br0"], names["mv0"], names["ifb0"]);

    let f = |family: u8,
             table: Option<u32>,
             oif: Option<u32>,
             protocol: Option<u8>,
             kind: Option<u8>| RouteFilter {
        family,
        table,
        oif,
        protocol,
        kind,
    };
    let cases = vec![
        f(0, None, None, None, None),
        f(AF_INET, None, None, None, None),
        f(AF_INET6, None, None, None, None),
        f(0, Some(100), None, None, None),
        f(AF_INET, Some(100), None, None, None),
        f(AF_INET6, Some(100), None, None, None),
        f(AF_INET, Some(254), None, None, None),
        f(AF_INET, Some(255), None, None, None),
        f(0, None, Some(v0), None, None),
        f(0, None, Some(br0), None, None),
        f(AF_INET, Some(100), Some(br0), None, None),
        f(0, None, Some(mv0), None, None),
        f(AF_INET6, None, Some(ifb0), None, None),
        f(0, None, None, Some(4), None),
        f(AF_INET, None, None, Some(77), None),
        f(0, None, None, Some(2), None),
        f(AF_INET, Some(100), None, Some(4), None),
        f(0, None, None, None, Some(6)),
        f(AF_INET, None, None, None, Some(7)),
        f(AF_INET, None, None, None, Some(2)),
        f(AF_INET6, Some(255), None, None, Some(2)),
        f(AF_INET, None, Some(v0), Some(2), Some(1)),
    ];
    for filter in &cases {
        compare_stable(
            &format!("get_routes {filter:?}"),
            || our_routes(&mut ipr, filter),
            || {
                ip_routes(&ns, &names)
                    .into_iter()
                    .filter(|(k, proto)| {
                        (filter.family == 0 || k.0 == filter.family)
                            && filter.table.is_none_or(|t| k.3 == t)
                            && filter.oif.is_none_or(|o| k.4.contains(&o))
                            && filter.protocol.is_none_or(|p| *proto == p)
                            && filter
                                .kind
                                .is_none_or(|t| k.1 == route_type_name(t).unwrap_or("unicast"))
                    })
                    .collect()
            },
        );
    }

    // Multipath routes are found by the oif of any hop.
    let by_br0 = our_routes(&mut ipr, &f(0, Some(100), Some(br0), None, None));
    let dsts: Vec<&str> = by_br0.iter().map(|(k, _)| k.2.as_str()).collect();
    assert!(dsts.contains(&"10.21.0.0/16"), "{dsts:?}");
    assert!(dsts.contains(&"10.22.0.0/16"), "{dsts:?}");
    assert!(!dsts.contains(&"10.20.0.0/16"), "{dsts:?}");
    let by_mv0 = our_routes(&mut ipr, &f(AF_INET, Some(100), Some(mv0), None, None));
    let dsts: Vec<&str> = by_mv0.iter().map(|(k, _)| k.2.as_str()).collect();
    assert_eq!(dsts, ["10.22.0.0/16"]);
    let by_ifb0 = our_routes(&mut ipr, &f(AF_INET6, Some(100), Some(ifb0), None, None));
    let dsts: Vec<&str> = by_ifb0.iter().map(|(k, _)| k.2.as_str()).collect();
    assert_eq!(dsts, ["2001:db8:5::/64"]);

    // Table 100 holds exactly what was put there.
    let t100 = our_routes(&mut ipr, &f(AF_INET, Some(100), None, None, None));
    let mut dsts: Vec<(String, String)> = t100
        .iter()
        .map(|(k, _)| (k.1.clone(), k.2.clone()))
        .collect();
    dsts.sort();
    let want = [
        ("blackhole", "10.30.0.0/16"),
        ("prohibit", "10.32.0.0/16"),
        ("unicast", "10.20.0.0/16"),
        ("unicast", "10.21.0.0/16"),
        ("unicast", "10.22.0.0/16"),
    ];
    assert_eq!(
        dsts,
        want.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );

    // A table that does not exist: the kernel refuses an IPv4-only dump
    // with ENOENT and a message; an AF_UNSPEC dump is empty. Either way no
    // other table's routes come back.
    match ipr.get_routes(&f(AF_INET, Some(4242), None, None, None)) {
        Err(Error::Kernel(k)) => {
            assert_eq!(k.errno, 2, "{k}");
            assert!(k.op.contains("table 4242"), "{k}");
            let text = k.message.as_deref().unwrap_or_default();
            assert!(text.contains("table does not exist"), "{k}");
            let shown = k.to_string();
            assert!(shown.contains("ENOENT") && shown.contains(text), "{shown}");
        }
        other => panic!("routes of a missing table: {other:?}"),
    }
    assert!(ipr
        .get_routes(&f(0, Some(4242), None, None, None))
        .unwrap()
        .is_empty());
    assert!(!ipr
        .get_routes(&f(0, Some(100), None, None, None))
        .unwrap()
        .is_empty());
}

// ---------------------------------------------------------------------------
// Neighbours

/// `(family, ifindex, dst, proxy)`.
type NeighKey = (u8, u32, String, bool);

fn neigh_key(m: &Message) -> NeighKey {
    let Fixed::Neigh(h) = &m.fixed else {
        panic!("not a neighbour: {m:?}")
    };
    (
        h.family,
        h.ifindex as u32,
        attr_ip(m, "NDA_DST").map_or("-".into(), |a| a.to_string()),
        h.flags & 0x08 != 0,
    )
}

fn ip_neighs(ns: &Netns, names: &BTreeMap<String, u32>) -> Vec<NeighKey> {
    let mut out = Vec::new();
    for (flag, family) in [("-4", AF_INET), ("-6", AF_INET6)] {
        for (args, proxy) in [
            (vec![flag, "neigh", "show", "nud", "all"], false),
            (vec![flag, "neigh", "show", "proxy"], true),
        ] {
            for n in ns.ip_json(&args).as_array().unwrap() {
                out.push((
                    family,
                    names[n["dev"].as_str().unwrap()],
                    n["dst"].as_str().unwrap().to_string(),
                    proxy,
                ));
            }
        }
    }
    out
}

#[test]
fn neighbours_match_ip() {
    let Some(ns) = Netns::new("neighbours_match_ip") else {
        return;
    };
    ns.setup_rich();
    let mut ipr = ns.open();
    let names = ip_link_names(&ns);
    let (v0, br0) = (names["v0"], names["br0"]);

    let nf = |family: u8, ifindex: Option<u32>, proxy: bool| NeighFilter {
        family,
        ifindex,
        proxy,
        ..Default::default()
    };
    let cases = vec![
        nf(0, None, false),
        nf(AF_INET, None, false),
        nf(AF_INET6, None, false),
        nf(0, Some(v0), false),
        nf(AF_INET, Some(br0), false),
        nf(0, None, true),
        nf(AF_INET, None, true),
        nf(AF_INET6, None, true),
        nf(0, Some(br0), true),
        nf(AF_INET6, Some(v0), true),
    ];
    for filter in &cases {
        compare_stable(
            &format!("get_neighbours {filter:?}"),
            || {
                ipr.get_neighbours(filter)
                    .unwrap_or_else(|e| panic!("{filter:?}: {e}"))
                    .iter()
                    .map(neigh_key)
                    .collect()
            },
            || {
                ip_neighs(&ns, &names)
                    .into_iter()
                    .filter(|n| filter.family == 0 || n.0 == filter.family)
                    .filter(|n| filter.ifindex.is_none_or(|i| n.1 == i))
                    .filter(|n| n.3 == filter.proxy)
                    .collect()
            },
        );
    }
    let proxies: Vec<NeighKey> = ipr
        .get_neighbours(&nf(0, None, true))
        .unwrap()
        .iter()
        .map(neigh_key)
        .collect();
    let want = vec![
        (AF_INET, v0, "10.1.0.100".to_string(), true),
        (AF_INET, br0, "10.2.0.100".to_string(), true),
        (AF_INET6, v0, "2001:db8:1::100".to_string(), true),
    ];
    assert_eq!(sorted(&proxies), sorted(&want));
    // Permanent entries only: the kernel adds NOARP multicast entries
    // (224.0.0.22 ...) of its own.
    let perm: Vec<NeighKey> = ipr
        .get_neighbours(&nf(AF_INET, Some(br0), false))
        .unwrap()
        .iter()
        .filter(|m| matches!(&m.fixed, Fixed::Neigh(h) if h.state == 0x80))
        .map(neigh_key)
        .collect();
    assert_eq!(
        sorted(&perm),
        sorted(&[
            (AF_INET, br0, "10.2.0.253".to_string(), false),
            (AF_INET, br0, "10.2.0.254".to_string(), false),
        ])
    );
}

// ---------------------------------------------------------------------------
// Rules

/// `(family, priority, table)`.
type RuleKey = (u8, u32, u32);

fn rule_key(m: &Message) -> RuleKey {
    let Fixed::Rule(h) = &m.fixed else {
        panic!("not a rule: {m:?}")
    };
    (
        h.family,
        attr_u64(m, "FRA_PRIORITY").unwrap_or(0) as u32,
        attr_u64(m, "FRA_TABLE").map_or(h.table as u32, |t| t as u32),
    )
}

fn ip_rules(ns: &Netns) -> Vec<RuleKey> {
    let mut out = Vec::new();
    for (flag, family) in [("-4", AF_INET), ("-6", AF_INET6)] {
        for r in ns.ip_json(&[flag, "rule", "show"]).as_array().unwrap() {
            out.push((
                family,
                r["priority"].as_u64().unwrap() as u32,
                ip_table_id(r),
            ));
        }
    }
    out
}

#[test]
fn rules_match_ip() {
    let Some(ns) = Netns::new("rules_match_ip") else {
        return;
    };
    ns.setup_rich();
    let mut ipr = ns.open();
    let rf = |family: u8, table: Option<u32>| RuleFilter { family, table };
    for filter in [
        rf(0, None),
        rf(AF_INET, None),
        rf(AF_INET6, None),
        rf(0, Some(100)),
        rf(AF_INET, Some(200)),
        rf(AF_INET6, Some(255)),
    ] {
        compare_stable(
            &format!("get_rules {filter:?}"),
            || {
                // ip shows IPv4 and IPv6 rules; the kernel's AF_UNSPEC dump
                // also has the multicast-routing families (128, 129).
                ipr.get_rules(&filter)
                    .unwrap()
                    .iter()
                    .map(rule_key)
                    .filter(|r| r.0 == AF_INET || r.0 == AF_INET6)
                    .collect()
            },
            || {
                ip_rules(&ns)
                    .into_iter()
                    .filter(|r| filter.family == 0 || r.0 == filter.family)
                    .filter(|r| filter.table.is_none_or(|t| r.2 == t))
                    .collect()
            },
        );
    }
    for m in ipr.get_rules(&rf(0, None)).unwrap() {
        let k = rule_key(&m);
        assert!(
            [AF_INET, AF_INET6, 128, 129].contains(&k.0),
            "rule of family {}: {m:?}",
            k.0
        );
    }
    let t100 = ipr.get_rules(&rf(0, Some(100))).unwrap();
    assert_eq!(
        sorted(&t100.iter().map(rule_key).collect::<Vec<_>>()),
        vec![
            (AF_INET, 1000, 100),
            (AF_INET, 1002, 100),
            (AF_INET6, 1000, 100)
        ]
    );
}

// ---------------------------------------------------------------------------
// dump() and dump_raw()

/// A family-independent identity of an object message.
fn object_key(m: &Message) -> String {
    match &m.fixed {
        Fixed::Link(_) => {
            let k = link_key(m);
            format!("link {} {:?}", k.0, k.1)
        }
        Fixed::Addr(_) => format!("addr {:?}", addr_key(m)),
        Fixed::Route(_) => format!("route {:?}", route_key(m)),
        Fixed::Neigh(_) => format!("neigh {:?}", neigh_key(m)),
        Fixed::Rule(_) => format!("rule {:?}", rule_key(m)),
        _ => panic!("not an object message: {m:?}"),
    }
}

fn getters_keys(ipr: &mut IpRoute) -> Vec<String> {
    let mut v = Vec::new();
    for m in ipr.get_links(&LinkFilter::default()).unwrap() {
        v.push(object_key(&m));
    }
    for m in ipr.get_addr(&AddrFilter::default()).unwrap() {
        v.push(object_key(&m));
    }
    for m in ipr.get_routes(&RouteFilter::default()).unwrap() {
        v.push(object_key(&m));
    }
    for m in ipr.get_neighbours(&NeighFilter::default()).unwrap() {
        v.push(object_key(&m));
    }
    for m in ipr.get_rules(&RuleFilter::default()).unwrap() {
        v.push(object_key(&m));
    }
    v
}

#[test]
fn dump_and_dump_raw_hold_every_object() {
    let Some(ns) = Netns::new("dump_and_dump_raw_hold_every_object") else {
        return;
    };
    ns.setup_rich();
    let mut ipr = ns.open();
    let mut other = ns.open();

    compare_stable(
        "dump() vs the getters",
        || ipr.dump().unwrap().iter().map(object_key).collect(),
        || getters_keys(&mut other),
    );

    let mut ipr2 = ns.open();
    compare_stable(
        "dump_raw() vs dump()",
        || {
            let mut raw = Vec::new();
            ipr2.dump_raw(&mut raw).unwrap();
            let msgs: Vec<Message> = Message::parse_all(&raw)
                .collect::<Result<_, _>>()
                .expect("dump_raw bytes parse");
            for m in &msgs {
                assert!(
                    m.family().is_some(),
                    "non-object message in dump_raw: {m:?}"
                );
            }
            msgs.iter().map(object_key).collect()
        },
        || ipr.dump().unwrap().iter().map(object_key).collect(),
    );

    // The rich objects are all there.
    let all: Vec<String> = ipr.dump().unwrap().iter().map(object_key).collect();
    for needle in [
        "\"vx0\"",
        "\"mv0\"",
        "\"ifb0\"",
        "\"10.1.0.2\"",
        "\"10.21.0.0/16\"",
        "\"2001:db8:5::/64\"",
        "\"10.1.0.254\"",
    ] {
        assert!(
            all.iter().any(|k| k.contains(needle)),
            "{needle} missing from dump()"
        );
    }
    assert!(all.iter().any(|k| k.starts_with("rule (2, 1002, 100)")));
}

// ---------------------------------------------------------------------------
// Byte-exact re-encoding

#[test]
fn kernel_messages_reencode_byte_exact() {
    let Some(ns) = Netns::new("kernel_messages_reencode_byte_exact") else {
        return;
    };
    ns.setup_rich();
    // Some traffic-free extras that add attribute variety.
    ns.batch(
        "link set vx0 up
link add br1 type bridge
link set br1 up
route add 10.40.0.0/16 via 10.1.0.254 dev v0 mtu 1300 advmss 1200 table 100
route add 2001:db8:6::/64 via 2001:db8:1::fe dev v0 metric 7 pref high
rule add iif v0 oif br0 table 100 pref 1500
rule add ipproto tcp dport 80-90 table 100 pref 1501
",
    );
    let mut ipr = ns.open();
    let filters: Vec<Box<dyn DumpFilter>> = vec![
        Box::new(LinkFilter::default()),
        Box::new(AddrFilter::default()),
        Box::new(RouteFilter::default()),
        Box::new(NeighFilter::default()),
        Box::new(NeighFilter {
            proxy: true,
            ..Default::default()
        }),
        Box::new(NeighFilter {
            family: libc::AF_BRIDGE as u8,
            ..Default::default()
        }),
        Box::new(RuleFilter::default()),
    ];
    let mut failures = Vec::new();
    let mut count = 0;
    for f in &filters {
        let mut dump = ipr.stream(f.as_ref()).unwrap();
        while let Some(m) = dump.next_msg() {
            let m = m.unwrap_or_else(|e| panic!("{}: {e}", f.describe()));
            count += 1;
            let parsed = Message::parse(&m).unwrap_or_else(|e| panic!("{}: {e}", f.describe()));
            let again = parsed.to_bytes();
            if again != m.bytes {
                let at = again
                    .iter()
                    .zip(m.bytes)
                    .position(|(a, b)| a != b)
                    .unwrap_or(again.len().min(m.bytes.len()));
                failures.push(format!(
                    "{}: {:?} ({} bytes, re-encoded {}): first difference at byte {at} (payload offset {})\n  got  {:02x?}\n  want {:02x?}\n  {parsed:?}",
                    f.describe(),
                    parsed.type_name(),
                    m.bytes.len(),
                    again.len(),
                    at.saturating_sub(NLMSG_HDRLEN),
                    &again[at.saturating_sub(8)..(at + 24).min(again.len())],
                    &m.bytes[at.saturating_sub(8)..(at + 24).min(m.bytes.len())],
                ));
            }
        }
    }
    eprintln!("{count} messages re-encoded");
    assert!(count > 50, "only {count} messages");
    assert!(
        failures.is_empty(),
        "{} of {count} messages do not re-encode byte-exact:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
