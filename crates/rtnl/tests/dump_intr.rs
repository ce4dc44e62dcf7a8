//! NLM_F_DUMP_INTR: dumps raced against a writer that keeps changing the
//! tables. Every result is either consistent or reported as interrupted;
//! never a silently inconsistent table.

mod common;

use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use rtnl::wire::family::addr::IfAddrMsg;
use rtnl::wire::family::route::RtMsg;
use rtnl::wire::message::Fixed;
use rtnl::wire::view::View;
use rtnl::{AddrFilter, Error, IpRoute, RouteFilter};

/// Stable addresses `10.200.a.b/32` on ifb0 (scope global).
const STABLE_ADDRS: usize = 4000;
/// Stable routes `10.a.b.0/24` in table 100.
const STABLE_ROUTES: usize = 20_000;
/// Addresses and routes the writer adds and deletes, over and over.
const CHURN: usize = 150;

fn stable_addr_no(ip: IpAddr) -> Option<usize> {
    match ip {
        IpAddr::V4(a) if a.octets()[..2] == [10, 200] => {
            Some(((a.octets()[2] as usize) << 8) | a.octets()[3] as usize)
        }
        _ => None,
    }
}

fn stable_route_no(ip: Option<IpAddr>, len: u8) -> Option<usize> {
    match ip {
        Some(IpAddr::V4(a)) if len == 24 && a.octets()[0] == 10 => {
            Some(((a.octets()[1] as usize) << 8) | a.octets()[2] as usize)
        }
        _ => None,
    }
}

/// What one streamed attempt saw.
#[derive(Debug, Default)]
struct Attempt {
    /// The library reported the dump as interrupted.
    interrupted: bool,
    /// How many times each stable object was seen.
    counts: Vec<u32>,
}

/// Streams a dump and checks the streaming contract against the flags the
/// kernel actually put on the messages: when any message carries
/// NLM_F_DUMP_INTR, the last item is `Error::DumpInterrupted` and
/// `interrupted()` is set; when none does, the dump ends with `None`.
fn stream_attempt<H: rtnl::wire::view::FixedHeader>(
    ipr: &mut IpRoute,
    filter: &dyn rtnl::DumpFilter,
    n: usize,
    mut stable_no: impl FnMut(&View<'_, H>) -> Option<usize>,
) -> Attempt {
    let mut a = Attempt {
        counts: vec![0; n],
        ..Default::default()
    };
    let mut kernel_flagged = false;
    let mut dump = ipr.stream(filter).unwrap();
    let mut seen = 0usize;
    loop {
        match dump.next_msg() {
            None => break,
            Some(Ok(m)) => {
                kernel_flagged |= m.header.is_dump_interrupted();
                let v = View::<H>::parse(m.payload).unwrap();
                if let Some(i) = stable_no(&v) {
                    a.counts[i] += 1;
                }
                seen += 1;
                // Give the writer time to act between the kernel's batches.
                if seen.is_multiple_of(300) {
                    std::thread::sleep(Duration::from_micros(300));
                }
            }
            Some(Err(Error::DumpInterrupted { attempts, op })) => {
                assert_eq!(attempts, 1, "{op}");
                assert!(dump.interrupted(), "DumpInterrupted without interrupted()");
                assert!(
                    dump.next_msg().is_none(),
                    "items after DumpInterrupted: it must be the last"
                );
                a.interrupted = true;
                break;
            }
            Some(Err(e)) => panic!("{}: {e}", filter.describe()),
        }
    }
    assert_eq!(dump.interrupted(), a.interrupted);
    // Object messages flagged, or only NLMSG_DONE (which the stream does not
    // hand out): either way the library must have said so.
    if kernel_flagged {
        assert!(
            a.interrupted,
            "the kernel flagged the dump but the library did not report it"
        );
    }
    a
}

/// How far a dump is from the stable set: (missing, seen twice or more).
fn inconsistency(counts: &[u32]) -> (usize, usize) {
    (
        counts.iter().filter(|&&c| c == 0).count(),
        counts.iter().filter(|&&c| c > 1).count(),
    )
}

/// Checks a dump the kernel did not flag. Linux bumps the address
/// generation counter only after the address list changed (in a notifier),
/// so a dump batch that starts in that window sees a shifted list under the
/// old counter: one address repeated or skipped, unflagged. That kernel race
/// is tolerated when it is rare and small; anything else fails.
fn check_unflagged(what: &str, counts: &[u32], kernel_races: &mut u32) {
    let (missing, twice) = inconsistency(counts);
    if missing + twice == 0 {
        return;
    }
    assert!(
        missing + twice <= 2,
        "{what}: an unflagged dump is inconsistent: {missing} stable objects missing, {twice} seen more than once"
    );
    eprintln!("{what}: kernel race: unflagged dump with {missing} missing, {twice} repeated");
    *kernel_races += 1;
}

#[test]
fn dumps_racing_a_writer_are_consistent_or_interrupted() {
    let Some(ns) = Netns::new("dumps_racing_a_writer_are_consistent_or_interrupted") else {
        return;
    };
    let mut setup = String::from(
        "link add v0 type veth peer name v1
link set v0 up
link set v1 up
link add ifb0 type ifb
link set ifb0 up
",
    );
    for i in 0..STABLE_ADDRS {
        writeln!(setup, "addr add 10.200.{}.{}/32 dev ifb0", i >> 8, i & 255).unwrap();
    }
    for i in 0..STABLE_ROUTES {
        writeln!(
            setup,
            "route add 10.{}.{}.0/24 dev v0 table 100",
            i >> 8,
            i & 255
        )
        .unwrap();
    }
    ns.batch(&setup);
    let ifb0 = ns.index("ifb0");

    // The writer: host-scope addresses are inserted in front of the global
    // ones, so adding and deleting them shifts the stable addresses'
    // positions under a dump in progress; routes change in the same table.
    let mut churn = String::new();
    for i in 0..CHURN {
        writeln!(churn, "addr add 10.201.0.{i}/32 dev ifb0 scope host").unwrap();
        writeln!(churn, "route add 172.16.0.{i}/32 dev v0 table 100").unwrap();
    }
    for i in 0..CHURN {
        writeln!(churn, "addr del 10.201.0.{i}/32 dev ifb0").unwrap();
        writeln!(churn, "route del 172.16.0.{i}/32 dev v0 table 100").unwrap();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicU64::new(0));
    let writer = {
        let (stop, rounds, name) = (stop.clone(), rounds.clone(), ns.name.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                batch(&name, &churn)?;
                rounds.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<(), String>(())
        })
    };

    let mut ipr = ns.open();
    let addr_filter = AddrFilter {
        family: AF_INET,
        index: Some(ifb0),
    };
    let route_filter = RouteFilter {
        family: AF_INET,
        table: Some(100),
        ..Default::default()
    };
    let (mut addr_intr, mut route_intr, mut getter_intr, mut attempts) = (0, 0, 0, 0);
    let mut kernel_races = 0u32;
    let deadline = Instant::now() + Duration::from_secs(12);
    while Instant::now() < deadline && attempts < 60 {
        attempts += 1;

        let a = stream_attempt::<IfAddrMsg>(&mut ipr, &addr_filter, STABLE_ADDRS, |v| {
            v.local().and_then(stable_addr_no)
        });
        if a.interrupted {
            addr_intr += 1;
        } else {
            check_unflagged("streamed addresses", &a.counts, &mut kernel_races);
        }

        let r = stream_attempt::<RtMsg>(&mut ipr, &route_filter, STABLE_ROUTES, |v| {
            stable_route_no(v.dst(), v.hdr.dst_len)
        });
        if r.interrupted {
            route_intr += 1;
        } else {
            // The IPv4 FIB resumes a dump by key, not by position: an
            // unflagged route dump must be exact.
            assert_eq!(
                inconsistency(&r.counts),
                (0, 0),
                "streamed routes: unflagged and inconsistent"
            );
        }

        // The collecting getter retries; what it returns is consistent.
        match ipr.get_addr(&addr_filter) {
            Ok(v) => {
                let mut counts = vec![0u32; STABLE_ADDRS];
                for m in &v {
                    assert!(matches!(m.fixed, Fixed::Addr(_)));
                    if let Some(i) = attr_ip(m, "IFA_LOCAL").and_then(stable_addr_no) {
                        counts[i] += 1;
                    }
                }
                check_unflagged("get_addr", &counts, &mut kernel_races);
            }
            Err(Error::DumpInterrupted { attempts, .. }) => {
                assert!(attempts > 1, "get_addr gave up after {attempts} attempt");
                getter_intr += 1;
            }
            Err(e) => panic!("get_addr: {e}"),
        }
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap().unwrap();
    let rounds = rounds.load(Ordering::Relaxed);
    eprintln!(
        "{attempts} attempts against {rounds} writer rounds: kernel flagged {addr_intr} address dumps, \
         {route_intr} route dumps; get_addr gave up {getter_intr} times; {kernel_races} unflagged kernel races"
    );
    assert!(rounds > 0, "the writer never ran");
    // Unflagged inconsistencies come only from the kernel's narrow race
    // window, so they must be rare (a filtered dump that the kernel never
    // flags would be inconsistent nearly every time).
    assert!(
        kernel_races <= 2 + attempts / 10,
        "{kernel_races} unflagged inconsistent dumps in {attempts} attempts"
    );
    if addr_intr + route_intr == 0 {
        eprintln!("note: the kernel never flagged NLM_F_DUMP_INTR in this run");
    }

    // Quiet again: the same socket answers consistently.
    let a = stream_attempt::<IfAddrMsg>(&mut ipr, &addr_filter, STABLE_ADDRS, |v| {
        v.local().and_then(stable_addr_no)
    });
    assert!(!a.interrupted);
    assert_eq!(inconsistency(&a.counts), (0, 0), "addresses after the race");
}
