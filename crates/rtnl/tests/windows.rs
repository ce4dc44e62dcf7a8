//! The Windows backend against the machine it runs on (under Wine in CI:
//! `scripts/windows-test.sh`, which also compares the dumps with Linux's).
#![cfg(windows)]

use rtnl::wire::names::IFF_LOOPBACK;
use rtnl::wire::rtm::RTM_NEWADDR;
use rtnl::wire::{Fixed, Message, Value};
use rtnl::{AddrFilter, Error, IpRoute, LinkFilter, NeighFilter, RouteFilter};

fn link_index(m: &Message) -> u32 {
    match m.fixed {
        Fixed::Link(h) => h.index as u32,
        _ => panic!("not a link: {m:?}"),
    }
}

#[test]
fn platform_is_windows() {
    assert_eq!(IpRoute::platform(), "windows");
}

#[test]
fn links_addresses_routes_neighbours() {
    let mut ipr = IpRoute::new().unwrap();
    let links = ipr.get_links(&LinkFilter::default()).unwrap();
    assert!(!links.is_empty());
    let indexes: Vec<u32> = links.iter().map(link_index).collect();
    let mut sorted = indexes.clone();
    sorted.sort_unstable();
    assert_eq!(indexes, sorted, "links come by index, as on Linux");
    assert!(links.iter().all(|l| l.get_attr("IFLA_IFNAME").is_some()));
    assert!(
        links
            .iter()
            .any(|l| matches!(l.fixed, Fixed::Link(h) if h.flags & IFF_LOOPBACK != 0)),
        "a loopback link"
    );

    // One link by index and by name: the same message as in the dump.
    let first = &links[links.len() - 1];
    let name = first
        .get_attr("IFLA_IFNAME")
        .and_then(Value::as_str)
        .unwrap();
    let by_index = ipr.get_link(link_index(first)).unwrap();
    assert_eq!(
        (by_index.fixed.clone(), &by_index.attrs),
        (first.fixed.clone(), &first.attrs)
    );
    assert_eq!(ipr.link_lookup(name).unwrap(), Some(link_index(first)));
    assert_eq!(ipr.link_lookup("no-such-link").unwrap(), None);

    let addrs = ipr.get_addr(&AddrFilter::default()).unwrap();
    for a in &addrs {
        let Fixed::Addr(h) = a.fixed else { panic!() };
        assert!(indexes.contains(&h.index), "address on a known link: {a:?}");
        assert!(a.get_attr("IFA_ADDRESS").is_some());
    }
    assert!(addrs.iter().any(|a| {
        a.get_attr("IFA_ADDRESS").and_then(Value::as_ip) == Some("127.0.0.1".parse().unwrap())
    }));

    for r in ipr.get_routes(&RouteFilter::default()).unwrap() {
        let oif = r.get_attr("RTA_OIF").and_then(Value::as_u32).unwrap();
        assert!(indexes.contains(&oif), "route via a known link: {r:?}");
    }
    for n in ipr.get_neighbours(&NeighFilter::default()).unwrap() {
        let Fixed::Neigh(h) = n.fixed else { panic!() };
        assert!(indexes.contains(&(h.ifindex as u32)));
    }
}

#[test]
fn setters_are_unsupported_and_named() {
    let mut ipr = IpRoute::new().unwrap();
    let mut req = Message::new(RTM_NEWADDR, 0, Fixed::Addr(Default::default()));
    match ipr.request(&mut req, "add address") {
        Err(Error::Unsupported { platform, op }) => {
            assert_eq!((platform, op.as_str()), ("windows", "add address"));
        }
        other => panic!("expected Unsupported, got {other:?}"),
    }
    // The socket still answers afterwards.
    assert!(!ipr.get_links(&LinkFilter::default()).unwrap().is_empty());
}

/// `dump()` gives every family Windows has and leaves out rules (which it
/// cannot dump) instead of failing; `get_rules` itself says unsupported.
#[test]
fn dump_leaves_out_what_windows_cannot_dump() {
    let mut ipr = IpRoute::new().unwrap();
    let all = ipr.dump().unwrap();
    let links = ipr.get_links(&LinkFilter::default()).unwrap();
    assert!(all.len() > links.len(), "links and more: {}", all.len());
    assert!(all.iter().any(|m| m.header.kind == RTM_NEWADDR));
    let err = ipr.get_rules(&rtnl::RuleFilter::default()).unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
}
