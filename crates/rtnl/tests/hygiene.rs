//! Resource hygiene: opening and closing IpRoute in a namespace 10,000
//! times (every 20th bound with the async cache, so its thread and eventfd
//! come and go too), and the error paths of opening, leave no descriptors
//! and no threads behind. (Panics in user code: `panics.rs`; a long mixed
//! workload: `soak.rs`.)
//!
//! This file holds a single test so that nothing else in the process opens
//! descriptors or starts threads while it counts them.

mod common;

use std::time::Duration;

use common::*;
use rtnl::{Error, IpRoute, NetnsRef};

#[test]
fn open_close_cycles_leave_no_fds_or_threads() {
    let Some(ns) = Netns::new("open_close_cycles_leave_no_fds_or_threads") else {
        return;
    };
    let nsref = ns.nsref();
    // Warm up anything lazily initialised (the allocator, std's thread
    // machinery) before counting.
    drop(IpRoute::in_netns(&nsref).unwrap());

    let fds = count("/proc/self/fd");
    let tasks = count("/proc/self/task");

    for i in 0..10_000 {
        let mut ipr = IpRoute::in_netns(&nsref).unwrap();
        if i % 100 == 0 {
            // Now and then use it, so that the sockets are real.
            assert_eq!(ipr.link_lookup("lo").unwrap(), Some(1));
        }
        if i % 20 == 0 {
            // And bind some with the async cache: its thread and eventfd
            // go with the object.
            ipr.bind_with(&rtnl::BindOptions::new(rtnl::Groups::LINK).async_cache(true))
                .unwrap();
            if i % 100 == 0 {
                assert_eq!(ipr.link_lookup("lo").unwrap(), Some(1));
            }
        }
    }
    // The error paths release what they took too.
    for _ in 0..200 {
        match IpRoute::in_netns(&NetnsRef::Name("rtnl-lib-no-such-namespace".into())) {
            Err(Error::Io { op, source }) => {
                assert!(op.contains("rtnl-lib-no-such-namespace"), "{op}");
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("missing namespace: {other:?}"),
        }
        assert!(IpRoute::in_netns(&NetnsRef::Name("../etc".into())).is_err());
    }

    let fds_after = settle("/proc/self/fd", fds, Duration::from_secs(5));
    let tasks_after = settle("/proc/self/task", tasks, Duration::from_secs(5));
    assert_eq!(fds_after, fds, "descriptors leaked");
    assert_eq!(tasks_after, tasks, "threads leaked");
}
