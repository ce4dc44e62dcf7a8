//! bind(): events for every object type, with and without the async cache
//! thread; the fd with poll; overruns in a storm of 20k route changes, each
//! gap marked, and resync rebuilding the exact final state.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use common::*;
use rtnl::monitor::is_overrun;
use rtnl::wire::message::{Fixed, Message};
use rtnl::wire::netlink::{NLMSG_DONE, NLM_F_MULTI};
use rtnl::wire::rtm::*;
use rtnl::{BindOptions, Groups, IpRoute, LinkFilter};

/// Reads (poll-bounded, following the event-loop contract) until `pred`
/// matches a message; returns every message seen on the way.
fn wait_for(ipr: &mut IpRoute, what: &str, pred: impl Fn(&Message) -> bool) -> Vec<Message> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    loop {
        while let Some(b) = ipr.try_recv().unwrap() {
            assert!(
                !is_overrun(&b),
                "unexpected overrun while waiting for {what}"
            );
            for m in Message::parse_all(&b) {
                let m = m.unwrap();
                let hit = pred(&m);
                seen.push(m);
                if hit {
                    return seen;
                }
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero() && readable(ipr.as_raw_fd(), left.as_millis() as i32),
            "no event for {what}; seen: {:#?}",
            seen.iter().map(|m| m.type_name()).collect::<Vec<_>>()
        );
    }
}

fn name_is(m: &Message, name: &str) -> bool {
    attr_str(m, "IFLA_IFNAME") == Some(name)
}

fn ip_is(m: &Message, attr: &str, ip: &str) -> bool {
    attr_ip(m, attr).map(|a| a.to_string()).as_deref() == Some(ip)
}

/// Create, change and delete one object of every type; each shows up.
fn every_object_type(ns: &Netns, ipr: &mut IpRoute) {
    ns.ip(&["link", "add", "ifb3", "type", "ifb"]);
    wait_for(ipr, "link created", |m| {
        m.header.kind == RTM_NEWLINK && name_is(m, "ifb3")
    });
    ns.ip(&["link", "set", "ifb3", "mtu", "1300", "up"]);
    wait_for(ipr, "link changed", |m| {
        m.header.kind == RTM_NEWLINK && name_is(m, "ifb3") && attr_u64(m, "IFLA_MTU") == Some(1300)
    });
    // A request in the middle: its answer is not mixed with notifications.
    let idx = ipr.link_lookup("ifb3").unwrap().expect("ifb3");
    assert_eq!(ipr.get_links(&LinkFilter::default()).unwrap().len(), 2);

    ns.ip(&["addr", "add", "10.7.0.1/24", "dev", "ifb3"]);
    wait_for(ipr, "address added", |m| {
        m.header.kind == RTM_NEWADDR && ip_is(m, "IFA_LOCAL", "10.7.0.1")
    });
    ns.ip(&["addr", "add", "2001:db8:7::1/64", "dev", "ifb3", "nodad"]);
    wait_for(ipr, "IPv6 address added", |m| {
        m.header.kind == RTM_NEWADDR && ip_is(m, "IFA_ADDRESS", "2001:db8:7::1")
    });
    ns.ip(&[
        "route",
        "add",
        "10.8.0.0/16",
        "via",
        "10.7.0.2",
        "table",
        "100",
    ]);
    wait_for(ipr, "route added", |m| {
        m.header.kind == RTM_NEWROUTE && ip_is(m, "RTA_DST", "10.8.0.0")
    });
    ns.ip(&[
        "route",
        "replace",
        "10.8.0.0/16",
        "via",
        "10.7.0.3",
        "table",
        "100",
    ]);
    wait_for(ipr, "route changed", |m| {
        m.header.kind == RTM_NEWROUTE && ip_is(m, "RTA_GATEWAY", "10.7.0.3")
    });
    ns.ip(&["-6", "route", "add", "2001:db8:8::/64", "dev", "ifb3"]);
    wait_for(ipr, "IPv6 route added", |m| {
        m.header.kind == RTM_NEWROUTE && ip_is(m, "RTA_DST", "2001:db8:8::")
    });
    ns.ip(&[
        "neigh",
        "add",
        "10.7.0.9",
        "lladdr",
        "02:00:00:00:00:09",
        "dev",
        "ifb3",
    ]);
    wait_for(ipr, "neighbour added", |m| {
        m.header.kind == RTM_NEWNEIGH && ip_is(m, "NDA_DST", "10.7.0.9")
    });
    ns.ip(&[
        "neigh",
        "change",
        "10.7.0.9",
        "lladdr",
        "02:00:00:00:00:0a",
        "dev",
        "ifb3",
    ]);
    wait_for(ipr, "neighbour changed", |m| {
        m.header.kind == RTM_NEWNEIGH
            && m.get_attr("NDA_LLADDR")
                .map(|v| format!("{v:?}"))
                .is_some_and(|s| s.contains("0a") || s.contains("10"))
    });
    ns.ip(&["neigh", "del", "10.7.0.9", "dev", "ifb3"]);
    wait_for(ipr, "neighbour deleted", |m| {
        m.header.kind == RTM_DELNEIGH && ip_is(m, "NDA_DST", "10.7.0.9")
    });
    ns.ip(&[
        "rule",
        "add",
        "from",
        "10.7.0.0/24",
        "table",
        "100",
        "pref",
        "900",
    ]);
    wait_for(ipr, "rule added", |m| {
        m.header.kind == RTM_NEWRULE && attr_u64(m, "FRA_PRIORITY") == Some(900)
    });
    ns.ip(&[
        "-6",
        "rule",
        "add",
        "from",
        "2001:db8:7::/64",
        "table",
        "100",
        "pref",
        "901",
    ]);
    wait_for(ipr, "IPv6 rule added", |m| {
        m.header.kind == RTM_NEWRULE && attr_u64(m, "FRA_PRIORITY") == Some(901)
    });
    ns.ip(&["rule", "del", "pref", "900"]);
    wait_for(ipr, "rule deleted", |m| {
        m.header.kind == RTM_DELRULE && attr_u64(m, "FRA_PRIORITY") == Some(900)
    });
    ns.ip(&["route", "del", "10.8.0.0/16", "table", "100"]);
    wait_for(ipr, "route deleted", |m| {
        m.header.kind == RTM_DELROUTE && ip_is(m, "RTA_DST", "10.8.0.0")
    });
    ns.ip(&["addr", "del", "10.7.0.1/24", "dev", "ifb3"]);
    wait_for(ipr, "address deleted", |m| {
        m.header.kind == RTM_DELADDR && ip_is(m, "IFA_LOCAL", "10.7.0.1")
    });
    ns.ip(&["link", "del", "ifb3"]);
    let seen = wait_for(ipr, "link deleted", |m| {
        m.header.kind == RTM_DELLINK && name_is(m, "ifb3")
    });
    assert!(seen.iter().all(|m| m.header.seq == 0 && m.header.pid == 0));
    assert!(matches!(ipr.get_link(idx), Err(e) if e.errno() == Some(19)));
}

#[test]
fn events_for_every_object_type() {
    let Some(ns) = Netns::new("events_for_every_object_type") else {
        return;
    };
    let mut ipr = ns.open();
    ipr.bind(Groups::default()).unwrap();
    assert!(!ipr.has_async_cache());
    assert!(ipr.groups().contains(Groups::NEXTHOP | Groups::RULE));
    every_object_type(&ns, &mut ipr);
}

#[test]
fn events_for_every_object_type_with_the_async_cache() {
    let Some(ns) = Netns::new("events_for_every_object_type_with_the_async_cache") else {
        return;
    };
    let mut ipr = ns.open();
    ipr.bind_with(&BindOptions::default().async_cache(true))
        .unwrap();
    assert!(ipr.has_async_cache());
    let fd = ipr.as_raw_fd();
    assert!(
        !readable(fd, 0),
        "the eventfd is readable with nothing queued"
    );
    every_object_type(&ns, &mut ipr);
    // Nothing left: the eventfd is quiet again.
    while ipr.try_recv().unwrap().is_some() {}
    assert!(!readable(fd, 0));
    ns.ip(&["link", "add", "ifb4", "type", "ifb"]);
    assert!(readable(fd, 5000), "the eventfd never became readable");
    assert!(ipr.has_pending());
}

/// What a consumer rebuilds from the stream: the /24 routes under 10/8.
#[derive(Default, Debug)]
struct View {
    routes: BTreeSet<u32>,
    /// Inside a resync dump: the snapshot being collected.
    snapshot: Option<BTreeSet<u32>>,
    events: u64,
    overruns: u64,
    resyncs: u64,
    /// Event order numbers seen (for gap checks without resync).
    order: Vec<Option<u32>>,
    sentinel: bool,
}

fn route_id(m: &Message) -> Option<u32> {
    let Fixed::Route(h) = &m.fixed else {
        return None;
    };
    match attr_ip(m, "RTA_DST")? {
        std::net::IpAddr::V4(a) if h.dst_len == 24 && a.octets()[0] == 10 => {
            let o = a.octets();
            Some(u32::from(o[1]) << 8 | u32::from(o[2]))
        }
        _ => None,
    }
}

impl View {
    fn feed(&mut self, bytes: &[u8]) {
        if is_overrun(bytes) {
            self.overruns += 1;
            self.order.push(None);
            return;
        }
        let m = Message::parse_all(bytes).next().unwrap().unwrap();
        if m.header.kind == NLMSG_DONE {
            let snap = self.snapshot.take().unwrap_or_default();
            self.routes = snap;
            self.resyncs += 1;
            return;
        }
        if ip_is(&m, "RTA_DST", "192.168.99.0") {
            self.sentinel = true;
        }
        let Some(id) = route_id(&m) else { return };
        if m.header.flags & NLM_F_MULTI != 0 && m.header.seq != 0 {
            self.snapshot.get_or_insert_with(BTreeSet::new).insert(id);
            return;
        }
        self.events += 1;
        self.order.push(Some(id));
        if m.header.kind == RTM_NEWROUTE {
            self.routes.insert(id);
        } else if m.header.kind == RTM_DELROUTE {
            self.routes.remove(&id);
        }
    }
}

const STORM: u32 = 20_000;

fn storm_commands(verb: &str, range: std::ops::Range<u32>) -> String {
    let mut s = String::new();
    for i in range {
        writeln!(s, "route {verb} 10.{}.{}.0/24 dev ifb0", i >> 8, i & 255).unwrap();
    }
    s
}

/// Reads until the sentinel route has shown up and the stream has then
/// stayed quiet for a while (bounded in time).
///
/// The sentinel is not the end of the stream: a loss that came before it
/// may be marked after it (a few messages that followed a loss may precede
/// its marker), the marker's resync dump follows, and with the async cache
/// older notifications may still be queued when a resync dump already
/// holds the sentinel. Stopping at the sentinel left the view short of
/// those (the flaky "resynced view differs" of earlier runs).
fn read_to_sentinel(ipr: &mut IpRoute, view: &mut View) {
    const QUIET: Duration = Duration::from_millis(500);
    let deadline = Instant::now() + Duration::from_secs(60);
    view.sentinel = false;
    let mut last = Instant::now();
    loop {
        assert!(Instant::now() < deadline, "no sentinel: {view:?}");
        match ipr.try_recv().unwrap() {
            Some(b) => {
                view.feed(&b);
                last = Instant::now();
            }
            None if view.sentinel && view.overruns == view.resyncs && last.elapsed() >= QUIET => {
                break
            }
            None => {
                readable(ipr.as_raw_fd(), 50);
            }
        }
    }
}

/// Adds 20k routes then deletes the first 10k while the consumer reads
/// concurrently with a small receive buffer: every loss is marked, and the
/// resynced view ends equal to the kernel's table.
fn storm(test: &str, opts: BindOptions) {
    let Some(ns) = Netns::new(test) else {
        return;
    };
    ns.batch("link add ifb0 type ifb\nlink set ifb0 up\n");
    let mut ipr = ns.open();
    ipr.bind_with(&opts.rcvbuf(32 * 1024).resync(true)).unwrap();
    let mut view = View::default();
    // The first adds with nobody reading: the buffer (or the async
    // cache's queue) overflows for sure, however the machine is loaded.
    const UNREAD: u32 = 1000;
    ns.batch(&storm_commands("add", 0..UNREAD));
    let name = ns.name.clone();
    let adds = std::thread::spawn(move || {
        batch(&name, &storm_commands("add", UNREAD..STORM)).unwrap();
        batch(&name, &storm_commands("del", 0..STORM / 2)).unwrap();
        batch(&name, "route add 192.168.99.0/24 dev ifb0\n").unwrap();
    });
    read_to_sentinel(&mut ipr, &mut view);
    adds.join().unwrap();
    let expected: BTreeSet<u32> = (STORM / 2..STORM).collect();
    eprintln!(
        "{test}: {} events, {} overruns, {} resyncs, cache counts {:?}",
        view.events,
        view.overruns,
        view.resyncs,
        ipr.cache_counts()
    );
    assert!(
        view.events + view.overruns > 0 && view.overruns >= 1,
        "no overrun with a 32 KiB buffer: {} events",
        view.events
    );
    assert_eq!(
        view.overruns, view.resyncs,
        "each overrun brings one resync"
    );
    // Never a silent gap: every event lost is covered by a marker, so the
    // view (snapshot, then later events) is exactly the kernel's.
    let extra: Vec<u32> = view.routes.difference(&expected).copied().collect();
    let missing: Vec<u32> = expected.difference(&view.routes).copied().collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "the resynced view differs: {} extra ({:?}..{:?}), {} missing ({:?}..{:?})",
        extra.len(),
        extra.first(),
        extra.last(),
        missing.len(),
        missing.first(),
        missing.last()
    );
    // And the object still answers requests.
    assert!(ipr.link_lookup("ifb0").unwrap().is_some());
}

#[test]
fn storm_with_resync_rebuilds_the_exact_view() {
    storm(
        "storm_with_resync_rebuilds_the_exact_view",
        BindOptions::new(Groups::ROUTE),
    );
}

#[test]
fn storm_with_the_async_cache_and_a_small_queue() {
    storm(
        "storm_with_the_async_cache_and_a_small_queue",
        BindOptions::new(Groups::IPV4_ROUTE)
            .async_cache(true)
            .queue_capacity(500),
    );
}

/// Without resync and without reading during the storm, the marker sits
/// exactly where the gap is: the events before it are consecutive from the
/// first route, the events after it are consecutive up to the last, and the
/// counts add up.
#[test]
fn overrun_marker_sits_at_the_gap() {
    let Some(ns) = Netns::new("overrun_marker_sits_at_the_gap") else {
        return;
    };
    ns.batch("link add ifb0 type ifb\nlink set ifb0 up\n");
    let mut ipr = ns.open();
    ipr.bind_with(&BindOptions::new(Groups::IPV4_ROUTE).rcvbuf(64 * 1024))
        .unwrap();
    ns.batch(&storm_commands("add", 0..STORM));
    let mut view = View::default();
    while let Some(b) = ipr.try_recv().unwrap() {
        view.feed(&b);
    }
    ns.batch("route add 10.255.255.0/24 dev ifb0\n");
    assert!(readable(ipr.as_raw_fd(), 5000));
    while let Some(b) = ipr.try_recv().unwrap() {
        view.feed(&b);
    }
    eprintln!(
        "overrun_marker_sits_at_the_gap: {} events, {} overruns",
        view.events, view.overruns
    );
    assert_eq!(
        view.overruns,
        1,
        "{:?}",
        &view.order[..10.min(view.order.len())]
    );
    let pos = view.order.iter().position(Option::is_none).unwrap();
    let before: Vec<u32> = view.order[..pos].iter().map(|x| x.unwrap()).collect();
    let after: Vec<u32> = view.order[pos + 1..].iter().map(|x| x.unwrap()).collect();
    assert!(
        before.len() > 10,
        "only {} events before the marker",
        before.len()
    );
    assert_eq!(
        before,
        (0..before.len() as u32).collect::<Vec<_>>(),
        "a gap before the marker"
    );
    assert_eq!(after, vec![0xffff], "events after the marker");
    assert!(view.events < u64::from(STORM));
}
