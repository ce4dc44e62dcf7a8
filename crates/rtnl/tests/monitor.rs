//! Notifications: after add_membership the fd becomes readable when the
//! kernel reports a change, and recv()/get() hand the message out.

mod common;

use std::fmt::Write as _;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use common::*;
use rtnl::wire::message::{Fixed, Message};
use rtnl::wire::rtm::groups::{RTNLGRP_IPV4_ROUTE, RTNLGRP_LINK};
use rtnl::wire::rtm::{RTM_DELLINK, RTM_NEWLINK};
use rtnl::{IpRoute, LinkFilter};

/// Calls `get()` until a message satisfies `pred` (bounded by a deadline
/// enforced with poll, so a missing notification fails instead of hanging).
fn get_until(ipr: &mut IpRoute, what: &str, mut pred: impl FnMut(&Message) -> bool) -> Message {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            readable(ipr.as_raw_fd(), left.as_millis() as i32),
            "no notification for {what}"
        );
        for m in ipr.get().unwrap() {
            assert_eq!(m.header.pid, 0, "notification not from the kernel");
            assert_eq!(m.header.seq, 0, "notification with a sequence number");
            if pred(&m) {
                return m;
            }
        }
    }
}

fn link_named(m: &Message, kind: u16, name: &str) -> bool {
    m.header.kind == kind && attr_str(m, "IFLA_IFNAME") == Some(name)
}

#[test]
fn link_notifications_wake_poll_then_come_out_of_recv_and_get() {
    let Some(ns) = Netns::new("link_notifications_wake_poll_then_come_out_of_recv_and_get") else {
        return;
    };
    let mut ipr = ns.open();
    ipr.add_membership(&[RTNLGRP_LINK]).unwrap();
    let fd = ipr.as_raw_fd();
    assert!(!readable(fd, 0), "readable before anything happened");

    ns.ip(&["link", "add", "ifb5", "type", "ifb"]);
    assert!(readable(fd, 5000), "the fd never became readable");
    // recv(): the bytes of exactly one message.
    let bytes = ipr.recv().unwrap();
    let msgs: Vec<Message> = Message::parse_all(&bytes)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(link_named(&msgs[0], RTM_NEWLINK, "ifb5"), "{:?}", msgs[0]);
    assert_eq!(msgs[0].header.pid, 0);
    assert_eq!(bytes.len(), msgs[0].header.len as usize);

    // get(): parsed.
    ns.ip(&["link", "set", "ifb5", "mtu", "1400"]);
    get_until(&mut ipr, "mtu change", |m| {
        link_named(m, RTM_NEWLINK, "ifb5") && attr_u64(m, "IFLA_MTU") == Some(1400)
    });
    ns.ip(&["link", "del", "ifb5"]);
    get_until(&mut ipr, "link deletion", |m| {
        link_named(m, RTM_DELLINK, "ifb5")
    });
}

#[test]
fn notifications_arriving_during_a_request_are_kept_for_recv() {
    let Some(ns) = Netns::new("notifications_arriving_during_a_request_are_kept_for_recv") else {
        return;
    };
    let mut ipr = ns.open();
    ipr.add_membership(&[RTNLGRP_LINK]).unwrap();
    ns.ip(&["link", "add", "ifb6", "type", "ifb"]);
    assert!(readable(ipr.as_raw_fd(), 5000));

    // The notification is read (and set aside) while the dump is answered.
    let links = ipr.get_links(&LinkFilter::default()).unwrap();
    assert_eq!(links.len(), 2);
    assert!(links.iter().all(|m| m.header.kind == RTM_NEWLINK));
    assert!(links.iter().all(|m| m.header.seq != 0));
    let ifb6 = ipr.get_link_by_name("ifb6").unwrap();
    assert!(matches!(ifb6.fixed, Fixed::Link(_)));

    // A watchdog makes sure recv() cannot block forever if the backlog was
    // lost: it changes another link after a while, which would be seen first.
    let name = ns.name.clone();
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if wait.recv_timeout(Duration::from_secs(3)).is_err() {
            let _ = batch(&name, "link add ifbwatch type ifb\n");
        }
    });
    let m = ipr.get().unwrap();
    done.send(()).unwrap();
    watchdog.join().unwrap();
    assert!(
        link_named(&m[0], RTM_NEWLINK, "ifb6"),
        "the notification received during the dump was lost: {m:?}"
    );
}

/// poll(2) cannot see a notification a request already set aside:
/// `has_pending()` does, and `try_recv()` hands it out without blocking.
#[test]
fn has_pending_reports_what_poll_cannot_see() {
    let Some(ns) = Netns::new("has_pending_reports_what_poll_cannot_see") else {
        return;
    };
    let mut ipr = ns.open();
    ipr.bind(rtnl::Groups::LINK).unwrap();
    assert!(!ipr.has_pending());
    assert_eq!(ipr.try_recv().unwrap(), None);
    ns.ip(&["link", "add", "ifb7", "type", "ifb"]);
    assert!(readable(ipr.as_raw_fd(), 5000));
    ipr.get_links(&LinkFilter::default()).unwrap();
    // The notification is in the backlog now, not in the socket.
    assert!(!readable(ipr.as_raw_fd(), 0));
    assert!(ipr.has_pending());
    assert_eq!(ipr.pending(), 1);
    let m = ipr.try_get().unwrap().expect("the set-aside notification");
    assert!(link_named(&m[0], RTM_NEWLINK, "ifb7"), "{m:?}");
    assert!(!ipr.has_pending());
    assert_eq!(ipr.try_recv().unwrap(), None);
}

/// Runs `f` on `ipr` in another thread and fails the test if it does not
/// finish in time (instead of hanging the test run).
fn within<R: Send + 'static>(
    secs: u64,
    what: &str,
    mut ipr: IpRoute,
    f: impl FnOnce(&mut IpRoute) -> R + Send + 'static,
) -> (IpRoute, R) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let r = f(&mut ipr);
        let _ = tx.send((ipr, r));
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("{what}: no answer within {secs} s"))
}

/// A namespace with a veth pair and an IpRoute bound to the IPv4 route
/// group that has been sent far more notifications than its receive buffer
/// holds, none of them read.
fn overrun_socket(test: &str) -> Option<(Netns, IpRoute)> {
    let ns = Netns::new(test)?;
    ns.batch("link add v0 type veth peer name v1\nlink set v0 up\nlink set v1 up\n");
    let mut ipr = ns.open();
    ipr.add_membership(&[RTNLGRP_IPV4_ROUTE]).unwrap();
    let mut cmds = String::new();
    for i in 0..40_000 {
        writeln!(cmds, "route add 10.{}.{}.0/24 dev v0", i >> 8, i & 255).unwrap();
    }
    ns.batch(&cmds);
    Some((ns, ipr))
}

/// Waits for the notification of `192.168.99.0/24`, added by the caller.
fn see_route_99(ipr: &mut IpRoute) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        assert!(
            Instant::now() < deadline,
            "no notification after the overrun"
        );
        match ipr.get() {
            Ok(msgs) => {
                if msgs.iter().any(|m| {
                    attr_ip(m, "RTA_DST").map(|a| a.to_string()) == Some("192.168.99.0".into())
                }) {
                    return;
                }
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// Socket overrun (ENOBUFS) is an NLMSG_OVERRUN marker in the stream, not
/// swallowed, and the socket keeps working after it.
#[test]
fn overrun_is_a_marker_in_the_stream() {
    let Some((ns, ipr)) = overrun_socket("overrun_is_a_marker_in_the_stream") else {
        return;
    };
    let (ipr, (n, overrun)) = within(20, "recv() until the overrun marker", ipr, |ipr| {
        let mut n = 0;
        while let Some(b) = ipr.try_recv().unwrap() {
            if rtnl::monitor::is_overrun(&b) {
                assert_eq!(b.len(), 16);
                return (n, true);
            }
            n += 1;
        }
        (n, false)
    });
    assert!(
        overrun,
        "40000 unread notifications and no overrun marker ({n} read)"
    );

    let v0 = ns.index("v0");
    let (ipr, found) = within(20, "link_lookup after the overrun", ipr, |ipr| {
        ipr.link_lookup("v0")
    });
    assert_eq!(found.unwrap(), Some(v0));
    ns.ip(&["route", "add", "192.168.99.0/24", "dev", "v0"]);
    within(20, "notification after the overrun", ipr, see_route_99);
}

/// A request on a socket whose receive buffer is full of unread
/// notifications still gets its answer (the kernel drops replies that do
/// not fit), and the overrun is still reported by recv() afterwards.
#[test]
fn requests_answer_on_an_overrun_socket() {
    let Some((ns, ipr)) = overrun_socket("requests_answer_on_an_overrun_socket") else {
        return;
    };
    let v0 = ns.index("v0");
    let (ipr, found) = within(20, "link_lookup on a full socket", ipr, |ipr| {
        ipr.link_lookup("v0")
    });
    assert_eq!(found.unwrap(), Some(v0));
    let (ipr, links) = within(20, "get_links on a full socket", ipr, |ipr| {
        ipr.get_links(&LinkFilter::default())
    });
    assert_eq!(links.unwrap().len(), 3);

    // The notifications read while waiting come out of recv(), then the
    // overrun itself.
    let (ipr, (n, overrun)) = within(20, "recv() until the overrun marker", ipr, |ipr| {
        let mut n = 0;
        for _ in 0..100_000 {
            let b = ipr.recv().unwrap();
            if rtnl::monitor::is_overrun(&b) {
                return (n, true);
            }
            let m = Message::parse_all(&b).next().unwrap().unwrap();
            assert_eq!(m.header.kind, rtnl::wire::rtm::RTM_NEWROUTE);
            n += 1;
        }
        (n, false)
    });
    assert!(
        overrun,
        "the overrun was swallowed ({n} notifications read)"
    );
    assert!(n > 100, "only {n} notifications before the overrun");
    ns.ip(&["route", "add", "192.168.99.0/24", "dev", "v0"]);
    within(20, "notification after the overrun", ipr, see_route_99);
}
