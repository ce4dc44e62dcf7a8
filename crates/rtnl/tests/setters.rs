//! Request builders against the kernel: every change is made through the
//! library in a fresh namespace and checked with `ip -j` afterwards; every
//! refusal is checked for its message.

mod common;

use std::net::IpAddr;

use common::*;
use rtnl::request::{
    AddrOpts, IpNet, LinkChange, LinkSpec, MacvlanMode, Master, Neigh, Nexthop, Route, RouteQuery,
    RouteType, Rule, Vxlan,
};
use rtnl::wire::family::route::RTAX_MTU;
use rtnl::{Error, NeighFilter, NetnsRef, RouteFilter};
use serde_json::Value as Json;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn net(s: &str) -> IpNet {
    s.parse().unwrap()
}

fn link(ns: &Netns, name: &str) -> Json {
    ns.ip_json(&["-d", "link", "show", "dev", name])[0].clone()
}

fn kernel_err(r: rtnl::Result<()>) -> rtnl::KernelError {
    match r {
        Err(Error::Kernel(k)) => k,
        other => panic!("expected a kernel error, got {other:?}"),
    }
}

#[test]
fn links_add_set_delete() {
    let Some(ns) = Netns::new("links_add_set_delete") else {
        return;
    };
    let mut ipr = ns.open();
    ipr.link_add(&LinkSpec::veth("v0", "v1")).unwrap();
    ipr.link_add(&LinkSpec::bridge("br0")).unwrap();
    ipr.link_add(&LinkSpec::ifb("ifb0")).unwrap();
    let v0 = ipr.link_index("v0").unwrap();
    let v1 = ipr.link_index("v1").unwrap();
    let br = ipr.link_index("br0").unwrap();
    ipr.link_add(&LinkSpec::vxlan(
        "vx0",
        Vxlan {
            id: 42,
            dstport: Some(4789),
            local: Some(ip("10.0.0.1")),
            remote: Some(ip("10.0.0.2")),
            ttl: Some(7),
            ..Default::default()
        },
    ))
    .unwrap();
    ipr.link_add(&LinkSpec::vxlan(
        "vx1",
        Vxlan {
            id: 43,
            group: Some(ip("239.1.1.1")),
            dev: Some(v0),
            ..Default::default()
        },
    ))
    .unwrap();
    ipr.link_add(&LinkSpec::macvlan("mv0", v1, MacvlanMode::Bridge))
        .unwrap();

    assert_eq!(link(&ns, "v0")["linkinfo"]["info_kind"], "veth");
    assert_eq!(link(&ns, "v1")["link"], "v0");
    assert_eq!(link(&ns, "br0")["linkinfo"]["info_kind"], "bridge");
    assert_eq!(link(&ns, "ifb0")["linkinfo"]["info_kind"], "ifb");
    let vx = &link(&ns, "vx0")["linkinfo"]["info_data"];
    assert_eq!(
        (
            &vx["id"],
            &vx["port"],
            &vx["local"],
            &vx["remote"],
            &vx["ttl"]
        ),
        (
            &Json::from(42),
            &Json::from(4789),
            &Json::from("10.0.0.1"),
            &Json::from("10.0.0.2"),
            &Json::from(7)
        )
    );
    let vx1 = &link(&ns, "vx1")["linkinfo"]["info_data"];
    assert_eq!(vx1["group"], "239.1.1.1");
    assert_eq!(vx1["link"], "v0");
    let mv = link(&ns, "mv0");
    assert_eq!(mv["linkinfo"]["info_data"]["mode"], "bridge");
    assert_eq!(mv["link"], "v1");

    ipr.link_set(
        v0,
        &LinkChange {
            up: Some(true),
            mtu: Some(1400),
            master: Some(Master::Index(br)),
            txqueuelen: Some(500),
            alias: Some("uplink".into()),
            address: Some(vec![2, 0, 0, 0, 0, 0x42]),
            ..Default::default()
        },
    )
    .unwrap();
    let j = link(&ns, "v0");
    assert_eq!(j["mtu"], 1400);
    assert_eq!(j["master"], "br0");
    assert_eq!(j["txqlen"], 500);
    assert_eq!(j["ifalias"], "uplink");
    assert_eq!(j["address"], "02:00:00:00:00:42");
    assert!(j["flags"].as_array().unwrap().contains(&Json::from("UP")));

    ipr.link_set(
        v0,
        &LinkChange {
            up: Some(false),
            master: Some(Master::NoMaster),
            name: Some("v0new".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let j = link(&ns, "v0new");
    assert!(j.get("master").is_none(), "{j}");
    assert!(!j["flags"].as_array().unwrap().contains(&Json::from("UP")));

    ipr.link_del(v0).unwrap();
    assert!(!ns.try_ip(&["link", "show", "dev", "v0new"]));
    assert!(
        !ns.try_ip(&["link", "show", "dev", "v1"]),
        "the peer goes too"
    );

    // Errors: a duplicate names the operation; a bad kind is refused by
    // the kernel with its text; bad names never leave the process.
    let k = kernel_err(ipr.link_add(&LinkSpec::bridge("br0")));
    assert_eq!(k.errno, 17);
    assert!(
        Error::Kernel(k.clone())
            .to_string()
            .starts_with("add link br0 type bridge: File exists (EEXIST)"),
        "{k:?}"
    );
    let e = ipr
        .link_add(&LinkSpec::new(
            "x0",
            rtnl::request::LinkKind::Other("nosuchkind".into()),
        ))
        .unwrap_err();
    assert!(e.to_string().contains("add link x0 type nosuchkind"), "{e}");
    let e = ipr.link_add(&LinkSpec::veth("v0", "")).unwrap_err();
    assert!(matches!(e, Error::InvalidArgument { .. }));
    assert_eq!(
        e.to_string(),
        "invalid argument \"peer name \": an interface name cannot be empty"
    );
    let e = ipr.link_index("nosuch").unwrap_err();
    assert_eq!(e.to_string(), "device \"nosuch\" not found");
}

#[test]
fn links_move_between_namespaces() {
    let Some(a) = Netns::new("links_move_between_namespaces a") else {
        return;
    };
    let Some(b) = Netns::new("links_move_between_namespaces b") else {
        return;
    };
    let mut ipr = a.open();
    // A veth whose peer is created directly in the other namespace.
    let mut spec = LinkSpec::veth("va", "vb");
    if let rtnl::request::LinkKind::Veth(p) = &mut spec.kind {
        p.netns = Some(b.nsref());
    }
    ipr.link_add(&spec).unwrap();
    assert_eq!(link(&a, "va")["ifname"], "va");
    assert_eq!(link(&b, "vb")["ifname"], "vb");
    // Move a link by name, then by path, then into a namespace by pid.
    ipr.link_add(&LinkSpec::ifb("ifbx")).unwrap();
    let i = ipr.link_index("ifbx").unwrap();
    ipr.link_set(
        i,
        &LinkChange {
            netns: Some(b.nsref()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!a.try_ip(&["link", "show", "dev", "ifbx"]));
    assert_eq!(link(&b, "ifbx")["ifname"], "ifbx");
    let mut ipb = IpRouteAt::path(&b);
    let j = ipb.link_index("ifbx").unwrap();
    ipb.link_set(
        j,
        &LinkChange {
            netns: Some(NetnsRef::Path(a.nsref().path())),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(link(&a, "ifbx")["ifname"], "ifbx");
}

/// `IpRoute::in_netns` by path rather than by name.
struct IpRouteAt;
impl IpRouteAt {
    fn path(ns: &Netns) -> rtnl::IpRoute {
        rtnl::IpRoute::in_netns(&NetnsRef::Path(ns.nsref().path())).unwrap()
    }
}

#[test]
fn addresses_add_replace_delete_flush() {
    let Some(ns) = Netns::new("addresses_add_replace_delete_flush") else {
        return;
    };
    ns.batch("link add v0 type veth peer name v1\nlink set v0 up\nlink set v1 up\n");
    let mut ipr = ns.open();
    let v0 = ipr.link_index("v0").unwrap();
    let a = net("10.0.0.1/24");
    ipr.addr_add(
        v0,
        a,
        &AddrOpts {
            broadcast: a.broadcast(),
            label: Some("v0:one".into()),
            ..Default::default()
        },
    )
    .unwrap();
    ipr.addr_add(
        v0,
        net("10.9.0.1/32"),
        &AddrOpts {
            peer: Some(net("10.9.0.2/30")),
            ..Default::default()
        },
    )
    .unwrap();
    ipr.addr_add(
        v0,
        net("2001:db8::1/64"),
        &AddrOpts {
            nodad: true,
            noprefixroute: true,
            valid_lft: Some(300),
            preferred_lft: Some(100),
            ..Default::default()
        },
    )
    .unwrap();
    let infos = |ns: &Netns| ns.ip_json(&["addr", "show", "dev", "v0"])[0]["addr_info"].clone();
    let find = |j: &Json, local: &str| -> Json {
        j.as_array()
            .unwrap()
            .iter()
            .find(|x| x["local"] == local)
            .cloned()
            .unwrap_or(Json::Null)
    };
    let j = infos(&ns);
    let v4 = find(&j, "10.0.0.1");
    assert_eq!(v4["broadcast"], "10.0.0.255");
    assert_eq!(v4["label"], "v0:one");
    let p = find(&j, "10.9.0.1");
    assert_eq!(
        (&p["address"], &p["prefixlen"]),
        (&Json::from("10.9.0.2"), &Json::from(30))
    );
    let v6 = find(&j, "2001:db8::1");
    assert_eq!(v6["nodad"], true);
    assert_eq!(v6["noprefixroute"], true);
    assert_eq!(
        v6["valid_life_time"].as_u64().map(|v| v <= 300 && v > 290),
        Some(true)
    );
    assert_eq!(
        v6["preferred_life_time"].as_u64().map(|v| v <= 100),
        Some(true)
    );
    // No prefix route for the IPv6 address.
    let r6 = ns.ip_json(&["-6", "route", "show", "2001:db8::/64"]);
    assert_eq!(r6, Json::Array(vec![]));

    // Replace changes the lifetime; add again is EEXIST with the op.
    ipr.addr_replace(
        v0,
        net("2001:db8::1/64"),
        &AddrOpts {
            nodad: true,
            valid_lft: Some(1000),
            ..Default::default()
        },
    )
    .unwrap();
    let v6 = find(&infos(&ns), "2001:db8::1");
    assert!(v6["valid_life_time"].as_u64().unwrap() > 900, "{v6}");
    let k = kernel_err(ipr.addr_add(v0, a, &AddrOpts::default()));
    assert_eq!(k.errno, 17);
    assert!(k.op.starts_with("add address 10.0.0.1/24"), "{k:?}");

    ipr.addr_del(v0, net("10.9.0.1/30")).unwrap();
    assert_eq!(find(&infos(&ns), "10.9.0.1"), Json::Null);
    let k = kernel_err(ipr.addr_del(v0, net("10.77.0.1/24")));
    assert_eq!(k.errno, 99, "{k:?}");

    ipr.addr_add(v0, net("10.0.0.2/24"), &AddrOpts::default())
        .unwrap();
    let n = ipr.addr_flush(v0, 0).unwrap();
    assert!(n >= 2, "{n}");
    assert_eq!(infos(&ns), Json::Array(vec![]));

    // Refused before sending.
    let e = "10.0.0.1/33".parse::<IpNet>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid argument \"10.0.0.1/33\": prefix length 33 is over 32 for IPv4"
    );
    let e = "2001:db8::/129".parse::<IpNet>().unwrap_err();
    assert!(e.to_string().contains("over 128 for IPv6"));
    let e = "10.0.0.x/8".parse::<IpNet>().unwrap_err();
    assert!(e.to_string().contains("not an IPv4 or IPv6 address"), "{e}");
}

#[test]
fn routes_add_replace_append_get_delete_flush() {
    let Some(ns) = Netns::new("routes_add_replace_append_get_delete_flush") else {
        return;
    };
    ns.batch(
        "link add v0 type veth peer name v1
link add v2 type veth peer name v3
link set v0 up
link set v1 up
link set v2 up
link set v3 up
addr add 10.0.0.1/24 dev v0
addr add 10.0.1.1/24 dev v2
addr add 2001:db8::1/64 dev v0 nodad
",
    );
    let mut ipr = ns.open();
    let v0 = ipr.link_index("v0").unwrap();
    let v2 = ipr.link_index("v2").unwrap();
    let route = |dst: &str| Route {
        dst: Some(net(dst)),
        ..Default::default()
    };
    ipr.route_add(&Route {
        gateway: Some(ip("10.0.0.9")),
        oif: Some(v0),
        metric: Some(7),
        protocol: Some(4),
        prefsrc: Some(ip("10.0.0.1")),
        metrics: vec![(RTAX_MTU, 1300)],
        ..route("10.1.0.0/16")
    })
    .unwrap();
    let j = ns.ip_json(&["route", "show", "10.1.0.0/16"])[0].clone();
    assert_eq!(j["gateway"], "10.0.0.9");
    assert_eq!(j["dev"], "v0");
    assert_eq!(j["metric"], 7);
    assert_eq!(j["protocol"], "static");
    assert_eq!(j["prefsrc"], "10.0.0.1");
    assert_eq!(j["metrics"][0]["mtu"], 1300);

    // Types, tables, scope, onlink.
    for (t, dst) in [
        (RouteType::Blackhole, "10.30.0.0/16"),
        (RouteType::Unreachable, "10.31.0.0/16"),
        (RouteType::Prohibit, "10.32.0.0/16"),
    ] {
        ipr.route_add(&Route {
            kind: Some(t),
            table: Some(100),
            ..route(dst)
        })
        .unwrap();
    }
    ipr.route_add(&Route {
        kind: Some(RouteType::Local),
        oif: Some(v0),
        table: Some(1000),
        ..route("10.40.0.1/32")
    })
    .unwrap();
    ipr.route_add(&Route {
        gateway: Some(ip("192.168.7.1")),
        oif: Some(v0),
        onlink: true,
        ..route("10.50.0.0/16")
    })
    .unwrap();
    ipr.route_add(&Route {
        oif: Some(v0),
        scope: Some(253),
        ..route("10.60.0.0/16")
    })
    .unwrap();
    let t100 = ns.ip_json(&["route", "show", "table", "100"]);
    let types: Vec<&str> = t100
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["blackhole", "unreachable", "prohibit"]);
    let local = ns.ip_json(&["route", "show", "table", "1000"])[0].clone();
    assert_eq!(local["type"], "local");
    let onlink = ns.ip_json(&["route", "show", "10.50.0.0/16"])[0].clone();
    assert_eq!(onlink["flags"], Json::from(vec!["onlink"]));
    let scoped = ns.ip_json(&["route", "show", "10.60.0.0/16"])[0].clone();
    assert_eq!(scoped["scope"], "link");

    // Multipath with weights.
    ipr.route_add(&Route {
        nexthops: vec![
            Nexthop {
                gateway: Some(ip("10.0.0.9")),
                oif: Some(v0),
                weight: 3,
                ..Default::default()
            },
            Nexthop {
                gateway: Some(ip("10.0.1.9")),
                oif: Some(v2),
                weight: 1,
                ..Default::default()
            },
        ],
        ..route("10.70.0.0/16")
    })
    .unwrap();
    let mp = ns.ip_json(&["route", "show", "10.70.0.0/16"])[0].clone();
    let hops = mp["nexthops"].as_array().unwrap();
    assert_eq!(hops[0]["weight"], 3);
    assert_eq!(hops[1]["dev"], "v2");

    // Replace, append, IPv6.
    ipr.route_replace(&Route {
        gateway: Some(ip("10.0.1.9")),
        metric: Some(7),
        ..route("10.1.0.0/16")
    })
    .unwrap();
    let j = ns.ip_json(&["route", "show", "10.1.0.0/16"]);
    assert_eq!(j.as_array().unwrap().len(), 1);
    assert_eq!(j[0]["gateway"], "10.0.1.9");
    ipr.route_add(&Route {
        gateway: Some(ip("2001:db8::9")),
        ..route("2001:db8:1::/64")
    })
    .unwrap();
    ipr.route_append(&Route {
        gateway: Some(ip("2001:db8::a")),
        ..route("2001:db8:1::/64")
    })
    .unwrap();
    let j = ns.ip_json(&["-6", "route", "show", "2001:db8:1::/64"]);
    assert_eq!(j[0]["nexthops"].as_array().map(Vec::len), Some(2), "{j}");

    // Get answers like `ip route get`.
    let m = ipr.route_get(&RouteQuery::to(ip("10.1.2.3"))).unwrap();
    assert_eq!(attr_ip(&m, "RTA_GATEWAY"), Some(ip("10.0.1.9")));
    assert_eq!(attr_u64(&m, "RTA_OIF"), Some(v2.into()));
    let theirs = ns.ip_json(&["route", "get", "10.1.2.3"])[0].clone();
    assert_eq!(theirs["gateway"], "10.0.1.9");

    // Errors carry the op, errno and ext-ack text.
    let k = kernel_err(ipr.route_add(&Route {
        gateway: Some(ip("10.0.1.9")),
        metric: Some(7),
        ..route("10.1.0.0/16")
    }));
    assert_eq!(k.errno, 17);
    assert_eq!(k.op, "add route 10.1.0.0/16 via 10.0.1.9 metric 7");
    let k = kernel_err(ipr.route_add(&route("10.1.2.3/16")));
    assert_eq!(k.errno, 22);
    assert!(
        k.message.as_deref().unwrap_or("").contains("prefix"),
        "{k:?}"
    );
    let k = kernel_err(ipr.route_add(&Route {
        gateway: Some(ip("10.99.0.1")),
        ..route("10.80.0.0/16")
    }));
    assert!(k.message.is_some(), "ext-ack text expected: {k:?}");
    let e = ipr
        .route_add(&Route {
            family: AF_INET6,
            gateway: Some(ip("10.0.0.9")),
            ..route("2001:db8:9::/64")
        })
        .unwrap_err();
    assert!(matches!(e, Error::InvalidArgument { .. }), "{e}");

    // Delete, flush.
    ipr.route_del(&route("10.1.0.0/16")).unwrap();
    assert_eq!(
        ns.ip_json(&["route", "show", "10.1.0.0/16"]),
        Json::Array(vec![])
    );
    let k = kernel_err(ipr.route_del(&route("10.1.0.0/16")));
    assert_eq!(k.errno, 3);
    let n = ipr
        .route_flush(&RouteFilter {
            family: AF_INET,
            table: Some(100),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        ns.ip_json(&["route", "show", "table", "100"]),
        Json::Array(vec![])
    );
}

#[test]
fn neighbours_and_rules() {
    let Some(ns) = Netns::new("neighbours_and_rules") else {
        return;
    };
    ns.batch("link add v0 type veth peer name v1\nlink set v0 up\n");
    let mut ipr = ns.open();
    let v0 = ipr.link_index("v0").unwrap();
    let mut n = Neigh::new(ip("10.0.0.5"), v0);
    n.lladdr = Some(vec![2, 0, 0, 0, 0, 5]);
    ipr.neigh_add(&n).unwrap();
    let mut reach = n.clone();
    reach.state = Neigh::state_from_name("reachable").unwrap();
    reach.lladdr = Some(vec![2, 0, 0, 0, 0, 6]);
    ipr.neigh_replace(&reach).unwrap();
    let mut noarp = Neigh::new(ip("2001:db8::5"), v0);
    noarp.state = Neigh::state_from_name("noarp").unwrap();
    noarp.lladdr = Some(vec![2, 0, 0, 0, 0, 7]);
    ipr.neigh_add(&noarp).unwrap();
    let mut proxy = Neigh::new(ip("10.0.0.6"), v0);
    proxy.proxy = true;
    ipr.neigh_add(&proxy).unwrap();
    let j = ns.ip_json(&["neigh", "show", "nud", "all", "dev", "v0"]);
    let e = j
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["dst"] == "10.0.0.5")
        .unwrap();
    assert_eq!(e["lladdr"], "02:00:00:00:00:06");
    assert_eq!(e["state"], Json::from(vec!["REACHABLE"]));
    assert!(j
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["dst"] == "2001:db8::5" && e["state"] == Json::from(vec!["NOARP"])));
    let p = ns.ip_json(&["neigh", "show", "proxy"]);
    assert_eq!(p[0]["dst"], "10.0.0.6");
    ipr.neigh_del(&n).unwrap();
    ipr.neigh_del(&proxy).unwrap();
    assert!(!ns
        .ip_json(&["neigh", "show", "dev", "v0"])
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["dst"] == "10.0.0.5"));
    let k = kernel_err(ipr.neigh_add(&noarp));
    assert_eq!(k.errno, 17);
    assert!(Neigh::state_from_name("bogus").is_err());

    // Flush what a predicate picks among a filtered dump: here the IPv6
    // entries of v0, which leaves the proxy table and IPv4 alone.
    let mut keep4 = Neigh::new(ip("10.0.0.7"), v0);
    keep4.lladdr = Some(vec![2, 0, 0, 0, 0, 8]);
    ipr.neigh_add(&keep4).unwrap();
    let filter = NeighFilter {
        ifindex: Some(v0),
        ..Default::default()
    };
    let n6 = ipr
        .neigh_flush_where(&filter, |m| {
            matches!(&m.fixed, rtnl::wire::Fixed::Neigh(h) if h.family == 10)
                && m.get_attr("NDA_DST").and_then(|v| v.as_ip()) == Some(ip("2001:db8::5"))
        })
        .unwrap();
    assert_eq!(n6, 1);
    let left = ns.ip_json(&["neigh", "show", "nud", "all", "dev", "v0"]);
    let dsts: Vec<&str> = left
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["dst"].as_str())
        .collect();
    assert!(
        dsts.contains(&"10.0.0.7") && !dsts.contains(&"2001:db8::5"),
        "{dsts:?}"
    );

    // Rules.
    ipr.rule_add(&Rule {
        from: Some(net("10.1.0.0/24")),
        table: Some(100),
        priority: Some(1000),
        ..Default::default()
    })
    .unwrap();
    ipr.rule_add(&Rule {
        to: Some(net("10.9.0.0/16")),
        iif: Some("v0".into()),
        fwmark: Some(7),
        fwmask: Some(0xff),
        action: Some(Rule::action_from_name("blackhole").unwrap()),
        priority: Some(1001),
        ..Default::default()
    })
    .unwrap();
    ipr.rule_add(&Rule {
        family: AF_INET6,
        oif: Some("v0".into()),
        action: Some(Rule::action_from_name("unreachable").unwrap()),
        priority: Some(1002),
        ..Default::default()
    })
    .unwrap();
    ipr.rule_add(&Rule {
        action: Some(Rule::action_from_name("prohibit").unwrap()),
        priority: Some(1003),
        ..Default::default()
    })
    .unwrap();
    let rules = ns.ip_json(&["rule", "show"]);
    let by_pref = |p: u64| -> Json {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["priority"] == p)
            .cloned()
            .unwrap_or(Json::Null)
    };
    assert_eq!(by_pref(1000)["src"], "10.1.0.0");
    assert_eq!(by_pref(1000)["table"], "100");
    let r = by_pref(1001);
    assert_eq!(
        (
            &r["dst"],
            &r["iif"],
            &r["fwmark"],
            &r["fwmask"],
            &r["action"]
        ),
        (
            &Json::from("10.9.0.0"),
            &Json::from("v0"),
            &Json::from("0x7"),
            &Json::from("0xff"),
            &Json::from("blackhole")
        )
    );
    assert_eq!(by_pref(1003)["action"], "prohibit");
    let r6 = ns.ip_json(&["-6", "rule", "show"]);
    assert!(r6
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["priority"] == 1002 && r["oif"] == "v0" && r["action"] == "unreachable"));
    ipr.rule_del(&Rule {
        priority: Some(1001),
        ..Default::default()
    })
    .unwrap();
    assert!(!ns
        .ip_json(&["rule", "show"])
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["priority"] == 1001));
    let k = kernel_err(ipr.rule_del(&Rule {
        priority: Some(4242),
        ..Default::default()
    }));
    assert_eq!(k.errno, 2, "{k:?}");
}

#[test]
fn pipelined_batch_reports_each_request() {
    let Some(ns) = Netns::new("pipelined_batch_reports_each_request") else {
        return;
    };
    ns.batch("link add v0 type veth peer name v1\nlink set v0 up\naddr add 10.0.0.1/24 dev v0\n");
    let mut ipr = ns.open();
    let v0 = ipr.link_index("v0").unwrap();
    let mut reqs = Vec::new();
    for i in 0..2000u32 {
        reqs.push(
            rtnl::request::route_add(&Route {
                dst: Some(net(&format!("10.{}.{}.0/24", 100 + i / 256, i % 256))),
                gateway: Some(ip("10.0.0.9")),
                oif: Some(v0),
                ..Default::default()
            })
            .unwrap(),
        );
    }
    // A duplicate in the middle fails alone.
    reqs.insert(1000, reqs[10].clone());
    let out = ipr.request_batch(&mut reqs, false).unwrap();
    assert_eq!(out.results.len(), 2001);
    assert_eq!(out.succeeded(), 2000);
    let (i, e) = out.first_error().unwrap();
    assert_eq!(i, 1000);
    assert!(e.to_string().contains("File exists"), "{e}");
    let n = ns.ip_json(&["route", "show", "via", "10.0.0.9"]);
    assert_eq!(n.as_array().unwrap().len(), 2000);
    // Stopping: nothing after the failing window is sent.
    let mut again: Vec<_> = reqs[..600].to_vec();
    let out = ipr.request_batch(&mut again, true).unwrap();
    assert_eq!(out.results.len(), rtnl::BATCH_WINDOW);
    // The socket is still in step after a batch.
    assert!(ipr.link_index("v0").is_ok());
}

#[test]
fn named_namespaces_are_shared_with_ip() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIP named_namespaces_are_shared_with_ip: {why}");
        return;
    }
    let name = format!("rtnl-lib-ns-{}", std::process::id());
    struct Guard(String);
    impl Drop for Guard {
        fn drop(&mut self) {
            let _ = std::process::Command::new("ip")
                .args(["netns", "del", &self.0])
                .output();
        }
    }
    let _g = Guard(name.clone());
    rtnl::netns::add(&name).unwrap();
    let out = std::process::Command::new("ip")
        .args(["netns", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&name));
    assert!(rtnl::netns::list().unwrap().contains(&name));
    let e = rtnl::netns::add(&name).unwrap_err();
    assert!(e.to_string().contains("File exists"), "{e}");
    // It is a fresh namespace: only lo.
    let mut ipr = rtnl::IpRoute::in_netns(&NetnsRef::Name(name.clone())).unwrap();
    let links = ipr.get_links(&Default::default()).unwrap();
    assert_eq!(links.len(), 1);
    ipr.link_add(&LinkSpec::ifb("ifb9")).unwrap();
    let out = std::process::Command::new("ip")
        .args(["-n", &name, "link", "show", "ifb9"])
        .output()
        .unwrap();
    assert!(out.status.success());
    drop(ipr);
    rtnl::netns::del(&name).unwrap();
    assert!(!rtnl::netns::list().unwrap().contains(&name));
    assert!(matches!(
        rtnl::netns::del(&name),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        rtnl::netns::add("a/b"),
        Err(Error::InvalidArgument { .. })
    ));
    // An IpRoute by pid: our own namespace.
    let mut own = rtnl::IpRoute::in_netns(&NetnsRef::Pid(std::process::id())).unwrap();
    assert!(own.link_index("lo").is_ok());
}
