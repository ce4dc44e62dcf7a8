//! Soak: a bounded, mixed workload in a namespace of its own, watching the
//! process for leaks.
//!
//! For `RTNL_SOAK_SECS` seconds (default 20; at least 4) one thread loops
//! over:
//!
//! - opening and closing objects (`IpRoute::in_netns`, with a request on
//!   each), and closing and re-binding an object with the async cache
//!   every 20 rounds (its thread stopped and a new one started);
//! - a route storm through a second socket: 256 routes added and deleted
//!   in pipelined batches, which two bound objects receive: one with the
//!   async cache and a queue of 256 (so that it overruns in every round:
//!   the overrun markers are counted), one without a thread and with
//!   resync;
//! - dumps: collected through the cache thread, collected on the plain
//!   bound object (notifications set aside meanwhile), streamed and
//!   dropped after one message;
//! - errors: requests the kernel refuses (a missing link, a missing
//!   address, a route through a missing link, a batch that stops at a
//!   failure), a missing namespace;
//! - reading both notification streams until they are empty, checking
//!   that the route storm's notifications arrive.
//!
//! Every second it samples the descriptors (`/proc/self/fd`), threads
//! (`/proc/self/task`) and resident memory (`VmRSS`). After a warm-up (a
//! quarter of the run, at least 2 s) the test fails if descriptors or
//! threads exceed the warm-up's highest count at all (after a moment to
//! settle, as an exiting thread lingers in /proc), or resident memory
//! exceeds the warm-up's highest by more than `RSS_SLACK_KIB`.
//!
//! This file holds a single test so that nothing else in the process opens
//! descriptors or starts threads while it counts them.

mod common;

use std::time::{Duration, Instant};

use common::*;
use rtnl::monitor::is_overrun;
use rtnl::request::{addr_del, route_add, route_del, IpNet, Route};
use rtnl::{BindOptions, Error, Groups, IpRoute, LinkFilter, NetnsRef, RouteFilter};

/// Default run time in seconds; `RTNL_SOAK_SECS` overrides it.
const DEFAULT_SECS: u64 = 20;
/// Routes in table 100, dumped every round.
const TABLE: usize = 1000;
/// Routes of the storm (table 200), added and deleted every round.
const STORM: usize = 256;
/// How much resident memory may grow past the warm-up's highest. Measured:
/// about 4.5 MiB in all, still creeping up by some 300 KiB between 5 and
/// 20 s (buffers reaching their largest burst, the allocator's per-thread
/// caches) and flat after 25 s.
const RSS_SLACK_KIB: u64 = 3 * 1024;

fn rss_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    fds: usize,
    tasks: usize,
    rss: u64,
}

impl Sample {
    fn now() -> Sample {
        Sample {
            fds: count("/proc/self/fd"),
            tasks: count("/proc/self/task"),
            rss: rss_kib(),
        }
    }
}

fn storm_routes() -> Vec<Route> {
    (0..STORM)
        .map(|i| Route {
            dst: Some(IpNet::new(format!("10.250.{i}.0").parse().unwrap(), 24).unwrap()),
            oif: Some(1),
            table: Some(200),
            ..Default::default()
        })
        .collect()
}

fn cached(ns: &NetnsRef) -> IpRoute {
    let mut ipr = IpRoute::in_netns(ns).unwrap();
    ipr.bind_with(
        &BindOptions::new(Groups::ROUTE | Groups::ADDR | Groups::LINK)
            .async_cache(true)
            .queue_capacity(STORM),
    )
    .unwrap();
    ipr
}

/// Reads everything waiting; returns (messages, overrun markers).
fn drain(ipr: &mut IpRoute) -> (usize, usize) {
    let (mut msgs, mut overruns) = (0, 0);
    while let Some(b) = ipr.try_recv().unwrap() {
        if is_overrun(&b) {
            overruns += 1;
        } else {
            msgs += 1;
        }
    }
    (msgs, overruns)
}

fn expect_kernel_error<T: std::fmt::Debug>(r: rtnl::Result<T>, errno: i32, what: &str) {
    match r {
        Err(Error::Kernel(k)) => assert_eq!(k.errno, errno, "{what}: {k}"),
        other => panic!("{what}: {other:?}"),
    }
}

/// One round of the workload.
struct Round<'a> {
    nsref: &'a NetnsRef,
    cached: IpRoute,
    plain: IpRoute,
    storm: IpRoute,
    routes: Vec<Route>,
    seen: (usize, usize),
    overruns: usize,
}

impl Round<'_> {
    fn run(&mut self, i: usize) {
        // Open and close.
        for _ in 0..3 {
            let mut ipr = IpRoute::in_netns(self.nsref).unwrap();
            assert_eq!(ipr.link_lookup("lo").unwrap(), Some(1));
        }
        if i % 20 == 19 {
            self.cached = cached(self.nsref);
        }
        // The storm, through a second socket.
        let mut adds: Vec<_> = self.routes.iter().map(|r| route_add(r).unwrap()).collect();
        let mut dels: Vec<_> = self.routes.iter().map(|r| route_del(r).unwrap()).collect();
        let out = self.storm.request_batch(&mut adds, true).unwrap();
        assert_eq!(out.succeeded(), STORM);
        // Dumps: through the cache thread, on the plain bound object while
        // notifications wait, and one dropped early.
        let table = RouteFilter {
            table: Some(100),
            ..Default::default()
        };
        assert_eq!(self.cached.get_routes(&table).unwrap().len(), TABLE);
        assert_eq!(self.plain.get_routes(&table).unwrap().len(), TABLE);
        assert_eq!(
            self.plain.get_links(&LinkFilter::default()).unwrap().len(),
            1
        );
        {
            let mut dump = self.storm.stream(&table).unwrap();
            assert!(dump.next_msg().unwrap().is_ok());
        }
        let out = self.storm.request_batch(&mut dels, true).unwrap();
        assert_eq!(out.succeeded(), STORM);
        // Errors.
        expect_kernel_error(self.cached.get_link(999_999), 19, "missing link");
        expect_kernel_error(
            self.plain
                .addr_del(1, "10.251.0.1/32".parse().unwrap())
                .map(drop),
            99,
            "missing address",
        );
        let mut bad = self.routes[0].clone();
        bad.oif = Some(999_999);
        expect_kernel_error(self.storm.route_add(&bad), 19, "route via a missing link");
        let mut mixed = vec![
            route_add(&self.routes[0]).unwrap(),
            route_add(&bad).unwrap(),
            route_del(&self.routes[0]).unwrap(),
            addr_del(1, "10.251.0.1/32".parse().unwrap()).unwrap(),
        ];
        let out = self.storm.request_batch(&mut mixed, true).unwrap();
        // The window holds all four: the kernel does not stop inside it.
        assert_eq!(out.results.len(), 4);
        assert_eq!(out.first_error().map(|(i, _)| i), Some(1));
        assert!(matches!(
            self.cached.link_index("nope"),
            Err(Error::NotFound { .. })
        ));
        assert!(IpRoute::in_netns(&NetnsRef::Name("rtnl-lib-soak-missing".into())).is_err());
        // Both streams, read to the end.
        let (m, o) = drain(&mut self.cached);
        self.seen.0 += m;
        self.overruns += o;
        let (m, o) = drain(&mut self.plain);
        self.seen.1 += m;
        self.overruns += o;
    }
}

#[test]
fn soak_mixed_workload_keeps_fds_threads_and_memory_flat() {
    let Some(ns) = Netns::new("soak_mixed_workload_keeps_fds_threads_and_memory_flat") else {
        return;
    };
    let secs = std::env::var("RTNL_SOAK_SECS")
        .ok()
        .map(|s| s.parse::<u64>().expect("RTNL_SOAK_SECS: seconds"))
        .unwrap_or(DEFAULT_SECS)
        .max(4);
    let warmup = Duration::from_secs(secs / 4).max(Duration::from_secs(2));
    let mut cmds = String::from("link set lo up\n");
    for i in 0..TABLE {
        cmds += &format!(
            "route add 10.{}.{}.0/24 dev lo table 100\n",
            i >> 8,
            i & 255
        );
    }
    ns.batch(&cmds);
    let nsref = ns.nsref();
    let mut plain = IpRoute::in_netns(&nsref).unwrap();
    plain
        .bind_with(&BindOptions::new(Groups::ROUTE | Groups::ADDR).resync(true))
        .unwrap();
    let mut round = Round {
        nsref: &nsref,
        cached: cached(&nsref),
        plain,
        storm: IpRoute::in_netns(&nsref).unwrap(),
        routes: storm_routes(),
        seen: (0, 0),
        overruns: 0,
    };

    let start = Instant::now();
    let end = start + Duration::from_secs(secs);
    let mut next_sample = start;
    let mut peak = Sample::default();
    let mut samples = Vec::new();
    let mut rounds = 0;
    while Instant::now() < end {
        round.run(rounds);
        rounds += 1;
        let now = Instant::now();
        if now < next_sample {
            continue;
        }
        next_sample = now + Duration::from_secs(1);
        let s = Sample::now();
        let at = now - start;
        samples.push((at, s));
        if at <= warmup {
            peak.fds = peak.fds.max(s.fds);
            peak.tasks = peak.tasks.max(s.tasks);
            peak.rss = peak.rss.max(s.rss);
            continue;
        }
        let fds = if s.fds > peak.fds {
            settle("/proc/self/fd", peak.fds, Duration::from_secs(2))
        } else {
            s.fds
        };
        let tasks = if s.tasks > peak.tasks {
            settle("/proc/self/task", peak.tasks, Duration::from_secs(2))
        } else {
            s.tasks
        };
        assert!(
            fds <= peak.fds,
            "descriptors grew to {fds} after {at:?} (warm-up peak {}); samples {samples:?}",
            peak.fds
        );
        assert!(
            tasks <= peak.tasks,
            "threads grew to {tasks} after {at:?} (warm-up peak {}); samples {samples:?}",
            peak.tasks
        );
        assert!(
            s.rss <= peak.rss + RSS_SLACK_KIB,
            "resident memory grew to {} KiB after {at:?} (warm-up peak {} KiB); samples {samples:?}",
            s.rss,
            peak.rss
        );
    }
    let last = samples.last().map(|s| s.1).unwrap_or_default();
    eprintln!(
        "soak: {rounds} rounds in {:?}; notifications {} (cached) {} (plain), {} overruns; \
         warm-up peak {peak:?}, last {last:?}",
        start.elapsed(),
        round.seen.0,
        round.seen.1,
        round.overruns
    );
    assert!(samples.len() >= 3, "too few samples: {samples:?}");
    // The storm was seen by both bound objects, and overran the small queue.
    assert!(round.seen.0 >= rounds && round.seen.1 >= rounds * STORM);
    assert!(round.overruns > 0);
}
