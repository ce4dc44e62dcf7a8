//! The Windows backend against the machine it runs on (under Wine in CI:
//! `scripts/windows-test.sh`, which also compares the dumps with Linux's).
#![cfg(windows)]

use rtnl::wire::names::IFF_LOOPBACK;
use rtnl::wire::rtm::RTM_NEWADDR;
use rtnl::wire::{Fixed, Message, Value};
use rtnl::{AddrFilter, Error, Groups, IpRoute, LinkFilter, NeighFilter, RouteFilter};

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

/// Whether the event `h` is signalled now (a wait with timeout 0).
fn signalled(h: std::os::windows::io::RawHandle) -> bool {
    use windows_sys::Win32::Foundation::{WAIT_OBJECT_0, WAIT_TIMEOUT};
    use windows_sys::Win32::System::Threading::WaitForSingleObject;
    // SAFETY: waits on the socket's event, which `ipr` keeps open.
    match unsafe { WaitForSingleObject(h, 0) } {
        WAIT_OBJECT_0 => true,
        WAIT_TIMEOUT => false,
        other => panic!(
            "WaitForSingleObject: {other}: {}",
            std::io::Error::last_os_error()
        ),
    }
}

/// `bind` registers the change callbacks; requests are still answered
/// while bound; the raw handle is signalled exactly while something waits
/// in the queue (a dump's unread replies here: Wine 8 delivers no change
/// notifications); drop cancels the callbacks promptly.
#[test]
fn bind_requests_and_the_readiness_handle() {
    use std::os::windows::io::AsRawHandle;
    use std::time::{Duration, Instant};

    let mut ipr = IpRoute::new().unwrap();
    let h = ipr.as_raw_handle();
    assert!(!h.is_null());
    assert!(!signalled(h), "nothing waits yet");
    ipr.bind(Groups::default()).unwrap();
    assert_eq!(ipr.groups(), Groups::default());
    // Binding again widens the groups and keeps the registrations.
    ipr.bind(Groups::LINK).unwrap();
    assert_eq!(ipr.as_raw_handle(), h, "one handle for the object's life");
    // The initial notifications queue nothing.
    assert!(!signalled(h));
    assert!(ipr.try_recv().unwrap().is_none());

    let links = ipr.get_links(&LinkFilter::default()).unwrap();
    assert!(!links.is_empty());
    assert!(!ipr.get_addr(&AddrFilter::default()).unwrap().is_empty());
    assert!(!signalled(h), "the replies were read");
    assert!(!ipr.has_pending());

    let filter = LinkFilter::default();
    let mut dump = ipr.stream(&filter).unwrap();
    assert!(signalled(h), "the dump's replies wait");
    let mut n = 0;
    while let Some(m) = dump.next_msg() {
        m.unwrap();
        n += 1;
    }
    drop(dump);
    assert_eq!(n, links.len());
    assert!(!signalled(h), "all read");
    assert!(ipr.try_recv().unwrap().is_none());

    let t = Instant::now();
    drop(ipr);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}
