//! One `IpRoute` shared by many threads through `Arc<Mutex<IpRoute>>`.
//!
//! `IpRoute` is `Send` but not `Sync` (its doc tests show it); every method
//! takes `&mut self`, so a `Mutex` is how threads share one socket. These
//! tests drive such a shared object hard, inside a namespace of their own,
//! and check that nothing crosses between callers:
//!
//! - `shared_socket_answers_every_caller_with_its_own_reply`: 8 threads x
//!   1000 requests, each taking the lock for one call, so that their
//!   requests interleave on the socket: link lookups (by name, by index,
//!   and of a name that does not exist: a kernel error), an address added,
//!   seen in the thread's own filtered address dump, and deleted (unique
//!   per thread and request), route lookups, route dumps, link dumps
//!   (some collected, some dropped after the first message). Every answer
//!   is checked against what *that* thread asked for (its link, its
//!   address, its route, its error), and at the end nothing is left
//!   over on the socket or in the backlog.
//! - `bound_socket_*` (without and with the async cache): the same object
//!   is bound to the IPv4 address group while the 8 threads make requests
//!   (their own address changes included), a second socket changes other
//!   addresses, and a consumer thread reads the notification stream with
//!   `recv`/`try_recv` under the same lock, following the event-loop
//!   contract. Every address change, made through either socket, comes
//!   out of the stream exactly once, its `RTM_NEWADDR` before its
//!   `RTM_DELADDR`; nothing else comes out of it (no dump message, no ack,
//!   no error, no get reply, no overrun); and the replies are still right.
//! - `batched_changes_*`: the same for `request_batch` on a bound socket:
//!   each change of a pipelined window is notified once, in the stream,
//!   and its result holds no message.
//!
//! - `leftover_answers_never_reach_the_stream`: a dump forgotten half-way
//!   leaves datagrams behind; the next requests still get their answers,
//!   and the leftovers are dropped, not handed out as notifications.
//! - `own_changes_keep_their_place_*`: a second socket adds an address,
//!   then the bound object deletes it, 200 times: the stream is exactly
//!   add, delete, add, delete ... in the kernel's order, with the async
//!   cache too.
//!
//! The kernel stamps the notification of a change with the port id and
//! sequence number of the request that made it, so a bound socket receives
//! its own changes' notifications looking like part of the answer. Before
//! `answered_with_data` (iproute.rs) they were taken as the reply and never
//! reached the stream; the `bound_socket_*` tests lost 800 of 1200 changes.
//! Then, with the async cache, they went through the reply channel and came
//! out ahead of older notifications; now the socket reads each datagram's
//! multicast group (`NETLINK_PKTINFO`) and every multicast datagram goes
//! to the stream, in order.

mod common;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use common::*;
use rtnl::monitor::is_overrun;
use rtnl::request::{addr_add, addr_del, AddrOpts, IpNet, RouteQuery};
use rtnl::wire::message::{Fixed, Message};
use rtnl::wire::netlink::NLM_F_MULTI;
use rtnl::wire::rtm::{RTM_DELADDR, RTM_NEWADDR};
use rtnl::{AddrFilter, BindOptions, Error, Groups, IpRoute, LinkFilter, RouteFilter};

const THREADS: usize = 8;
const REQUESTS: usize = 1000;
/// Requests per cycle of the mix below; `REQUESTS` is a multiple of it, so
/// every address a thread adds is deleted again.
const CYCLE: usize = 10;
/// Addresses the second socket adds and deletes in the bound tests.
const WRITER_ADDRS: usize = 400;

fn lock(m: &Mutex<IpRoute>) -> MutexGuard<'_, IpRoute> {
    m.lock()
        .expect("a thread panicked while holding the IpRoute")
}

/// A namespace with ifb links `d0..d7`, up, each with the address
/// `172.16.T.1/24` (and so the route `172.16.T.0/24 dev dT`; it also keeps
/// the routes: removing a link's last IPv4 address flushes them). Returns
/// it and the links' indexes.
fn setup(test: &str) -> Option<(Netns, Vec<u32>)> {
    let ns = Netns::new(test)?;
    let mut cmds = String::from("link set lo up\n");
    for t in 0..THREADS {
        cmds += &format!("link add d{t} type ifb\nlink set d{t} up\n");
        cmds += &format!("addr add 172.16.{t}.1/24 dev d{t}\n");
    }
    ns.batch(&cmds);
    let idx = (0..THREADS).map(|t| ns.index(&format!("d{t}"))).collect();
    Some((ns, idx))
}

/// The address thread `t` adds in cycle `c`: unique per thread and cycle.
fn worker_addr(t: usize, c: usize) -> Ipv4Addr {
    Ipv4Addr::new(10, 1 + t as u8, (c >> 8) as u8, c as u8)
}

/// The address the second socket adds as its `i`th (on `lo`).
fn writer_addr(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(10, 200, (i >> 8) as u8, i as u8)
}

fn net32(a: Ipv4Addr) -> IpNet {
    IpNet::new(IpAddr::V4(a), 32).unwrap()
}

fn addr_of(m: &Message) -> Option<IpAddr> {
    attr_ip(m, "IFA_LOCAL").or_else(|| attr_ip(m, "IFA_ADDRESS"))
}

/// Thread `t`'s share of requests through the shared object, each call
/// under the lock on its own; panics on the first wrong answer.
fn worker(ipr: &Mutex<IpRoute>, t: usize, idx: &[u32]) {
    let me = idx[t];
    let name = format!("d{t}");
    let all_links = idx.len() + 1;
    for i in 0..REQUESTS {
        let c = i / CYCLE;
        let addr = worker_addr(t, c);
        match i % CYCLE {
            0 => assert_eq!(lock(ipr).link_index(&name).unwrap(), me, "thread {t}"),
            1 => {
                let m = lock(ipr).get_link(me).unwrap();
                assert_eq!(link_index(&m), me, "thread {t}: {m:?}");
                assert_eq!(attr_str(&m, "IFLA_IFNAME"), Some(name.as_str()));
            }
            2 => lock(ipr)
                .addr_add(me, net32(addr), &AddrOpts::default())
                .unwrap_or_else(|e| panic!("thread {t}: add {addr}: {e}")),
            3 => {
                // Only this thread's link, which holds its own address and
                // the one just added.
                let got = lock(ipr)
                    .get_addr(&AddrFilter {
                        family: AF_INET,
                        index: Some(me),
                    })
                    .unwrap();
                let got: Vec<_> = got
                    .iter()
                    .map(|m| match &m.fixed {
                        Fixed::Addr(h) => (h.index, addr_of(m)),
                        other => panic!("thread {t}: not an address: {other:?}"),
                    })
                    .collect();
                let base = IpAddr::V4(Ipv4Addr::new(172, 16, t as u8, 1));
                assert_eq!(
                    got,
                    vec![(me, Some(base)), (me, Some(IpAddr::V4(addr)))],
                    "thread {t}"
                );
            }
            4 => {
                let dst = IpAddr::V4(Ipv4Addr::new(172, 16, t as u8, 2 + (c % 250) as u8));
                let m = lock(ipr).route_get(&RouteQuery::to(dst)).unwrap();
                assert_eq!(attr_ip(&m, "RTA_DST"), Some(dst), "thread {t}: {m:?}");
                assert_eq!(attr_u64(&m, "RTA_OIF"), Some(me as u64), "thread {t}");
            }
            5 => lock(ipr)
                .addr_del(me, net32(addr))
                .unwrap_or_else(|e| panic!("thread {t}: delete {addr}: {e}")),
            6 if c.is_multiple_of(2) => {
                let links = lock(ipr).get_links(&LinkFilter::default()).unwrap();
                assert_eq!(links.len(), all_links, "thread {t}");
                assert!(links.iter().any(|m| link_index(m) == me));
            }
            6 => {
                // A dump dropped after its first message: the rest must
                // not answer anyone's next request.
                let mut g = lock(ipr);
                let filter = LinkFilter::default();
                let mut dump = g.stream(&filter).unwrap();
                assert!(dump.next_msg().unwrap().is_ok());
            }
            7 => assert_eq!(
                lock(ipr).link_lookup(&format!("nope{t}")).unwrap(),
                None,
                "thread {t}"
            ),
            8 => {
                let routes = lock(ipr)
                    .get_routes(&RouteFilter {
                        family: AF_INET,
                        table: Some(254),
                        oif: Some(me),
                        ..Default::default()
                    })
                    .unwrap();
                let keys: Vec<_> = routes.iter().map(route_key).collect();
                assert_eq!(keys.len(), 1, "thread {t}: {keys:?}");
                assert_eq!(keys[0].2, format!("172.16.{t}.0/24"), "thread {t}");
                assert_eq!(keys[0].4, vec![me], "thread {t}");
            }
            9 => match lock(ipr).get_link(1_000_000 + t as u32) {
                Err(Error::Kernel(k)) => assert_eq!(k.errno, 19, "thread {t}: {k}"),
                other => panic!("thread {t}: link {}: {other:?}", 1_000_000 + t),
            },
            _ => unreachable!(),
        }
    }
}

fn run_workers(ipr: &Arc<Mutex<IpRoute>>, idx: &[u32]) {
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let ipr = ipr.clone();
            let idx = idx.to_vec();
            std::thread::Builder::new()
                .name(format!("worker-{t}"))
                .spawn(move || worker(&ipr, t, &idx))
                .unwrap()
        })
        .collect();
    for h in handles {
        h.join().expect("a worker failed");
    }
}

#[test]
fn shared_socket_answers_every_caller_with_its_own_reply() {
    let Some((ns, idx)) = setup("shared_socket_answers_every_caller_with_its_own_reply") else {
        return;
    };
    let ipr = Arc::new(Mutex::new(ns.open()));
    let t0 = Instant::now();
    run_workers(&ipr, &idx);
    eprintln!(
        "{} requests from {THREADS} threads in {:?}",
        THREADS * REQUESTS,
        t0.elapsed()
    );
    let mut ipr = lock(&ipr);
    // Nothing stray: no reply was left on the socket or set aside.
    assert_eq!(ipr.pending(), 0);
    assert!(!readable(ipr.as_raw_fd(), 0), "a datagram is left over");
    assert_eq!(ipr.try_recv().unwrap(), None);
    // And the object answers as before.
    assert_eq!(ipr.link_index("d3").unwrap(), idx[3]);
    let left = ipr
        .get_addr(&AddrFilter {
            family: AF_INET,
            ..Default::default()
        })
        .unwrap();
    assert!(
        left.iter().all(|m| !matches!(
            addr_of(m),
            Some(IpAddr::V4(a)) if a.octets()[0] == 10
        )) && left.len() == THREADS + 1,
        "an address was not deleted: {left:?}"
    );
}

/// What the consumer saw: per (kind, address), the positions in the
/// stream where it came.
#[derive(Default)]
struct Seen {
    at: BTreeMap<(u16, Ipv4Addr), Vec<usize>>,
    total: usize,
}

impl Seen {
    /// Checks that `bytes` (one `recv`/`try_recv` item) is an IPv4 address
    /// notification, and records it.
    fn record(&mut self, bytes: &[u8], ports: (u32, u32)) {
        assert!(!is_overrun(bytes), "notifications were lost (overrun)");
        let msgs: Vec<Message> = Message::parse_all(bytes)
            .collect::<Result<_, _>>()
            .expect("decode");
        assert_eq!(msgs.len(), 1, "one message per item: {msgs:?}");
        let m = &msgs[0];
        let k = m.header.kind;
        assert!(
            k == RTM_NEWADDR || k == RTM_DELADDR,
            "not an address notification: {m:?}"
        );
        assert_eq!(m.header.flags & NLM_F_MULTI, 0, "a dump message: {m:?}");
        // Stamped with the port id of the socket that made the change.
        assert!(
            m.header.pid == ports.0 || m.header.pid == ports.1,
            "{m:?} from port {} (ours {ports:?})",
            m.header.pid
        );
        let Some(IpAddr::V4(a)) = addr_of(m) else {
            panic!("not an IPv4 address: {m:?}")
        };
        self.at.entry((k, a)).or_default().push(self.total);
        self.total += 1;
    }
}

/// Reads what is waiting, following the event-loop contract: `recv()` only
/// when something is known to wait (so it cannot block with the lock
/// held), then `try_recv()` until it returns `None`.
fn consume(ipr: &Mutex<IpRoute>, seen: &mut Seen, ports: (u32, u32)) {
    let mut g = lock(ipr);
    if g.has_pending() || readable(g.as_raw_fd(), 0) {
        let b = g.recv().unwrap();
        seen.record(&b, ports);
    }
    while let Some(b) = g.try_recv().unwrap() {
        seen.record(&b, ports);
    }
}

fn bound_socket(cache: bool, test: &str) {
    let Some((ns, idx)) = setup(test) else {
        return;
    };
    let mut bound = ns.open();
    bound
        .bind_with(&BindOptions::new(Groups::IPV4_ADDR).async_cache(cache))
        .unwrap();
    assert_eq!(bound.has_async_cache(), cache);
    let mut writer = ns.open();
    let ports = (bound.port_id(), writer.port_id());
    let fd = bound.as_raw_fd();
    let ipr = Arc::new(Mutex::new(bound));
    let t0 = Instant::now();

    let done = Arc::new(AtomicBool::new(false));
    let consumer = {
        let (ipr, done) = (ipr.clone(), done.clone());
        std::thread::spawn(move || {
            let mut seen = Seen::default();
            while !done.load(Ordering::Acquire) {
                // Wait without the lock; the fd may be readable for a
                // datagram a request will take first, which is fine.
                readable(fd, 5);
                consume(&ipr, &mut seen, ports);
            }
            seen
        })
    };
    let lo = writer.link_index("lo").unwrap();
    let second = std::thread::spawn(move || {
        // Add and delete, with a few addresses alive at any time.
        for i in 0..WRITER_ADDRS + 4 {
            if i < WRITER_ADDRS {
                writer
                    .addr_add(lo, net32(writer_addr(i)), &AddrOpts::default())
                    .unwrap();
            }
            if i >= 4 {
                writer.addr_del(lo, net32(writer_addr(i - 4))).unwrap();
            }
        }
    });
    run_workers(&ipr, &idx);
    second.join().expect("the second socket failed");
    done.store(true, Ordering::Release);
    let mut seen = consumer.join().expect("the consumer failed");

    // Every change: THREADS * cycles of our own, WRITER_ADDRS of the
    // second socket's, each added and deleted.
    let cycles = REQUESTS / CYCLE;
    let want = 2 * (THREADS * cycles + WRITER_ADDRS);
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.total < want && Instant::now() < deadline {
        readable(fd, 50);
        consume(&ipr, &mut seen, ports);
    }
    // Anything more (a duplicate) would come now.
    std::thread::sleep(Duration::from_millis(200));
    consume(&ipr, &mut seen, ports);
    eprintln!(
        "cache {cache}: {} requests and {want} notifications in {:?}",
        THREADS * REQUESTS,
        t0.elapsed()
    );

    let mut expected: Vec<Ipv4Addr> = (0..WRITER_ADDRS).map(writer_addr).collect();
    for t in 0..THREADS {
        expected.extend((0..cycles).map(|c| worker_addr(t, c)));
    }
    let mut missing = Vec::new();
    for a in &expected {
        let new = seen.at.remove(&(RTM_NEWADDR, *a)).unwrap_or_default();
        let del = seen.at.remove(&(RTM_DELADDR, *a)).unwrap_or_default();
        if new.len() != 1 || del.len() != 1 {
            missing.push(format!("{a}: new {new:?} del {del:?}"));
        } else {
            assert!(new[0] < del[0], "{a}: deleted before added in the stream");
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} changes not seen exactly once, e.g. {:?}",
        missing.len(),
        expected.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(
        seen.at.is_empty(),
        "unexpected notifications: {:?}",
        seen.at
    );
    assert_eq!(seen.total, want);
    let mut g = lock(&ipr);
    assert_eq!(g.pending(), 0);
    assert_eq!(g.try_recv().unwrap(), None);
    // Replies still go to the caller after all that.
    assert_eq!(g.link_index("d5").unwrap(), idx[5]);
    assert_eq!(g.try_recv().unwrap(), None);
}

#[test]
fn bound_socket_without_cache_keeps_replies_and_notifications_apart() {
    bound_socket(
        false,
        "bound_socket_without_cache_keeps_replies_and_notifications_apart",
    );
}

#[test]
fn bound_socket_with_cache_keeps_replies_and_notifications_apart() {
    bound_socket(
        true,
        "bound_socket_with_cache_keeps_replies_and_notifications_apart",
    );
}

fn batched_changes(cache: bool, test: &str) {
    let Some(ns) = Netns::new(test) else {
        return;
    };
    let mut ipr = ns.open();
    ipr.bind_with(&BindOptions::new(Groups::IPV4_ADDR).async_cache(cache))
        .unwrap();
    let lo = ipr.link_index("lo").unwrap();
    // More than one window (rtnl::BATCH_WINDOW is 256).
    let n = 300;
    let addrs: Vec<Ipv4Addr> = (0..n).map(writer_addr).collect();
    let mut adds: Vec<_> = addrs
        .iter()
        .map(|a| addr_add(lo, net32(*a), &AddrOpts::default()).unwrap())
        .collect();
    let mut dels: Vec<_> = addrs
        .iter()
        .map(|a| addr_del(lo, net32(*a)).unwrap())
        .collect();
    for reqs in [&mut adds, &mut dels] {
        let outcome = ipr.request_batch(reqs, true).unwrap();
        assert_eq!(outcome.succeeded(), n);
        for r in &outcome.results {
            assert_eq!(r.as_ref().unwrap().len(), 0, "a notification as a reply");
        }
    }
    let ports = (ipr.port_id(), ipr.port_id());
    let fd = ipr.as_raw_fd();
    let ipr = Mutex::new(ipr);
    let mut seen = Seen::default();
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.total < 2 * n && Instant::now() < deadline {
        consume(&ipr, &mut seen, ports);
        readable(fd, 50);
    }
    std::thread::sleep(Duration::from_millis(100));
    consume(&ipr, &mut seen, ports);
    for a in &addrs {
        let new = seen.at.remove(&(RTM_NEWADDR, *a)).unwrap_or_default();
        let del = seen.at.remove(&(RTM_DELADDR, *a)).unwrap_or_default();
        assert!(
            new.len() == 1 && del.len() == 1 && new[0] < del[0],
            "{a}: new at {new:?}, del at {del:?}"
        );
    }
    assert!(seen.at.is_empty(), "unexpected: {:?}", seen.at);
}

#[test]
fn batched_changes_on_a_bound_socket_are_notified_once() {
    batched_changes(false, "batched_changes_on_a_bound_socket_are_notified_once");
}

#[test]
fn batched_changes_on_a_cached_socket_are_notified_once() {
    batched_changes(true, "batched_changes_on_a_cached_socket_are_notified_once");
}

/// A second socket adds `10.200.x.y/32` on `lo`, then `bound` deletes it,
/// for 200 addresses; returns the stream as (type, address).
fn own_changes_keep_their_place(cache: bool, test: &str) {
    let Some(ns) = Netns::new(test) else {
        return;
    };
    ns.ip(&["link", "set", "lo", "up"]);
    let mut bound = ns.open();
    bound
        .bind_with(&BindOptions::new(Groups::IPV4_ADDR).async_cache(cache))
        .unwrap();
    let mut other = ns.open();
    let lo = other.link_index("lo").unwrap();
    const N: usize = 200;
    for i in 0..N {
        let a = net32(writer_addr(i));
        other.addr_add(lo, a, &AddrOpts::default()).unwrap();
        bound.addr_del(lo, a).unwrap();
    }
    let mut stream = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while stream.len() < 2 * N {
        assert!(Instant::now() < deadline, "only {} events", stream.len());
        let Some(b) = bound.try_recv().unwrap() else {
            readable(bound.as_raw_fd(), 100);
            continue;
        };
        assert!(!is_overrun(&b), "an overrun");
        for m in Message::parse_all(&b) {
            let m = m.unwrap();
            stream.push((m.header.kind, addr_of(&m).unwrap()));
        }
    }
    let want: Vec<(u16, IpAddr)> = (0..N)
        .flat_map(|i| {
            let a = IpAddr::V4(writer_addr(i));
            [(RTM_NEWADDR, a), (RTM_DELADDR, a)]
        })
        .collect();
    assert_eq!(stream, want);
}

#[test]
fn own_changes_keep_their_place_without_cache() {
    own_changes_keep_their_place(false, "own_changes_keep_their_place_without_cache");
}

#[test]
fn own_changes_keep_their_place_with_cache() {
    own_changes_keep_their_place(true, "own_changes_keep_their_place_with_cache");
}

/// A dump abandoned half-way without draining (`mem::forget`) leaves its
/// datagrams on the socket: the next request must still get its own
/// answer, and the leftovers must not come out of the stream as
/// notifications.
#[test]
fn leftover_answers_never_reach_the_stream() {
    let Some(ns) = Netns::new("leftover_answers_never_reach_the_stream") else {
        return;
    };
    let mut cmds = String::from("link set lo up\naddr add 10.0.0.1/8 dev lo\n");
    for i in 0..3000 {
        cmds += &format!(
            "route add 11.0.{}.{}/32 dev lo table 100\n",
            i / 256,
            i % 256
        );
    }
    ns.batch(&cmds);
    let mut ipr = ns.open();
    ipr.bind(Groups::LINK).unwrap();
    let filter = RouteFilter {
        table: Some(100),
        ..Default::default()
    };
    let mut dump = ipr.stream(&filter).unwrap();
    assert!(dump.next_msg().unwrap().is_ok());
    std::mem::forget(dump);
    // The next request is answered, through the rest of the dump.
    assert_eq!(ipr.link_index("lo").unwrap(), 1);
    let routes = ipr.get_routes(&filter).unwrap();
    assert_eq!(routes.len(), 3000);
    // A real notification still comes; no leftover comes with it.
    ns.ip(&["link", "set", "lo", "mtu", "1500"]);
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.is_empty() {
        assert!(Instant::now() < deadline, "no notification");
        while let Some(b) = ipr.try_recv().unwrap() {
            seen.push(b);
        }
        readable(ipr.as_raw_fd(), 100);
    }
    for b in &seen {
        let m = Message::parse_all(b).next().unwrap().unwrap();
        assert_eq!(m.header.pid, 0, "a leftover answer in the stream: {m:?}");
        assert_ne!(m.header.flags & NLM_F_MULTI, NLM_F_MULTI, "{m:?}");
    }
}
