//! The async cache thread: started only when asked for, stopped and joined
//! promptly when the object is closed or dropped. Counted in
//! /proc/self/task, so this file holds a single test (one test thread).

mod common;

use std::time::{Duration, Instant};

use common::*;
use rtnl::{BindOptions, Groups};

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[test]
fn the_cache_thread_starts_only_when_asked_and_stops_on_close() {
    let Some(ns) = Netns::new("the_cache_thread_starts_only_when_asked_and_stops_on_close") else {
        return;
    };
    let base = threads();
    let mut plain = ns.open();
    plain.bind(Groups::default()).unwrap();
    assert_eq!(threads(), base, "bind() without the cache started a thread");

    let mut cached = ns.open();
    cached
        .bind_with(&BindOptions::new(Groups::LINK).async_cache(true))
        .unwrap();
    assert_eq!(threads(), base + 1, "exactly one reader thread");
    // Binding again does not start another.
    cached
        .bind_with(&BindOptions::new(Groups::ROUTE).async_cache(true))
        .unwrap();
    assert_eq!(threads(), base + 1);
    // Requests work through the thread.
    assert!(cached.link_lookup("lo").unwrap().is_some());
    ns.ip(&["link", "add", "ifb9", "type", "ifb"]);
    let m = cached.get().unwrap();
    assert_eq!(m[0].header.kind, rtnl::wire::rtm::RTM_NEWLINK);

    let t = Instant::now();
    cached.close();
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "close took {:?}",
        t.elapsed()
    );
    assert_eq!(threads(), base, "the thread outlived close()");

    let mut dropped = ns.open();
    dropped
        .bind_with(&BindOptions::default().async_cache(true))
        .unwrap();
    assert_eq!(threads(), base + 1);
    drop(dropped);
    assert_eq!(threads(), base, "the thread outlived drop");
    drop(plain);
}
