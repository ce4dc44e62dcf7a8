//! Panics in user code called by the library leave nothing behind.
//!
//! The public API runs user code in these places:
//!
//! - `Dump::for_each(f)`: the closure, once per message;
//! - the body of a `while let Some(m) = dump.next_msg()/next_view()` loop,
//!   which holds the `Dump` (and so the socket) while it runs;
//! - `IpRoute::dump_raw(out)`: the caller's `std::io::Write`;
//! - a caller's own `DumpFilter` (`stream`, `dump_filtered`): its
//!   `family`, `write_request`, `matches` and `describe`, called while the
//!   dump is read;
//! - the tokio front: the caller's code between polls of an
//!   `AsyncIpRoute` request future or of its notification `Stream`.
//!
//! (`request_batch` and the request builders take plain data; the monitor
//! thread runs no user code.)
//!
//! One test walks through all of them, each with a dump large enough to
//! span several datagrams (3000 routes in table 100), and checks after
//! each that:
//!
//! - no descriptor and no thread is left over (`/proc/self/fd`,
//!   `/proc/self/task`), and a namespace made by a thread that panicked is
//!   gone;
//! - an `IpRoute` that survives the panic (caught with `catch_unwind`, or
//!   taken back from a poisoned `Mutex`) has nothing stale left on the
//!   socket or in its backlog and answers the next requests correctly;
//! - dropping a bound object whose async-cache thread is running, while a
//!   second socket floods it with route changes, returns promptly when the
//!   owning thread panics;
//! - a `DumpFilter` that panics in `matches` while holding a lock, so that
//!   its `describe` then panics too (a poisoned `Mutex`), makes the dump
//!   fail with a panic and not abort the process: dropping the dump during
//!   the unwinding must not call the filter again (a second panic there
//!   aborts). This case runs in a child process, so that an abort is a
//!   failed assertion and not a lost test binary.
//!
//! Everything that counts descriptors or threads is in this one test, so
//! nothing else in the process opens or starts any meanwhile.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use rtnl::request::{route_add, route_del, AddrOpts, IpNet, Route};
use rtnl::wire::family::route::RtMsg;
use rtnl::wire::message::Message;
use rtnl::wire::netlink::MessageWriter;
use rtnl::wire::rtm::{Family, RTM_NEWADDR};
use rtnl::{BindOptions, DumpFilter, Groups, IpRoute, NetnsRef, RouteFilter};

const TEST: &str = "panics_in_user_code_leave_nothing_behind";
/// Set in the child process: the namespace to work in.
const CHILD_ENV: &str = "RTNL_PANICS_CHILD_NS";
/// Routes in table 100: several datagrams of dump.
const ROUTES: usize = 3000;
/// How long dropping a bound object may take, panic included.
const PROMPT: Duration = Duration::from_secs(2);

#[derive(Clone, Copy)]
struct Base {
    fds: usize,
    tasks: usize,
}

impl Base {
    fn now() -> Base {
        Base {
            fds: count("/proc/self/fd"),
            tasks: count("/proc/self/task"),
        }
    }

    fn check(self, after: &str) {
        assert_eq!(
            settle("/proc/self/fd", self.fds, Duration::from_secs(5)),
            self.fds,
            "descriptors left after {after}"
        );
        assert_eq!(
            settle("/proc/self/task", self.tasks, Duration::from_secs(5)),
            self.tasks,
            "threads left after {after}"
        );
    }
}

fn table100() -> RouteFilter {
    RouteFilter {
        table: Some(100),
        ..Default::default()
    }
}

/// `lo` up and `ROUTES` routes `10.a.b.0/24 dev lo table 100`.
fn fill(ns: &str) {
    let mut cmds = String::from("link set lo up\n");
    for i in 0..ROUTES {
        cmds += &format!(
            "route add 10.{}.{}.0/24 dev lo table 100\n",
            i >> 8,
            i & 255
        );
    }
    batch(ns, &cmds).unwrap();
}

/// The object is clean and answers right: nothing stale on the socket or
/// set aside, a get is answered by its own reply, a full dump is whole.
fn check_clean(ipr: &mut IpRoute, after: &str) {
    assert_eq!(ipr.pending(), 0, "messages set aside after {after}");
    assert!(
        !readable(std::os::fd::AsRawFd::as_raw_fd(ipr), 0),
        "a datagram left on the socket after {after}"
    );
    let lo = ipr.get_link(1).unwrap();
    assert_eq!(attr_str(&lo, "IFLA_IFNAME"), Some("lo"), "after {after}");
    assert_eq!(
        ipr.get_routes(&table100()).unwrap().len(),
        ROUTES,
        "after {after}"
    );
    assert_eq!(ipr.pending(), 0, "after {after}");
}

/// Runs `f`, which must panic, and returns the panic's message.
fn must_panic(what: &str, f: impl FnOnce()) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(()) => panic!("{what}: no panic"),
        Err(p) => p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default(),
    }
}

/// A caller's filter: every route, but `matches` counts under a lock and
/// panics at message `panic_at` while holding it, which poisons the lock;
/// `describe` reads the count through the same lock, so after the panic it
/// panics too.
struct Counting {
    seen: Mutex<usize>,
    panic_at: usize,
}

impl DumpFilter for Counting {
    fn family(&self) -> Family {
        Family::Route
    }
    fn write_request(&self, w: &mut MessageWriter) {
        let mut b = Vec::new();
        rtnl::wire::view::FixedHeader::emit(&RtMsg::default(), &mut b);
        w.put_bytes(&b);
    }
    fn matches(&self, _payload: &[u8]) -> bool {
        let mut n = self.seen.lock().unwrap();
        *n += 1;
        assert!(*n < self.panic_at, "the caller's filter gives up");
        true
    }
    fn describe(&self) -> String {
        format!("counting dump, {} seen", self.seen.lock().unwrap())
    }
}

/// The child process: the poisoning filter, then the checks.
fn child(ns: &str) {
    let mut ipr = IpRoute::in_netns(&NetnsRef::Name(ns.to_string())).unwrap();
    let filter = Counting {
        seen: Mutex::new(0),
        panic_at: 10,
    };
    let msg = must_panic("poisoning filter", || {
        let _ = ipr.dump_filtered(&filter);
    });
    assert!(msg.contains("gives up"), "{msg}");
    assert!(filter.seen.is_poisoned());
    check_clean(&mut ipr, "a filter that panicked and poisoned its lock");
    println!("CHILD-OK");
}

/// A writer that fails by panicking after a few messages.
struct PanickingWriter(usize);

impl std::io::Write for PanickingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += 1;
        assert!(self.0 < 5, "the caller's writer panics");
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn storm(ns: NetnsRef, stop: Arc<AtomicBool>) {
    let mut ipr = IpRoute::in_netns(&ns).unwrap();
    let routes: Vec<Route> = (0..256u32)
        .map(|i| Route {
            dst: Some(IpNet::new(format!("10.250.{i}.0").parse().unwrap(), 24).unwrap()),
            oif: Some(1),
            table: Some(200),
            ..Default::default()
        })
        .collect();
    while !stop.load(Ordering::Relaxed) {
        let mut adds: Vec<_> = routes.iter().map(|r| route_add(r).unwrap()).collect();
        let mut dels: Vec<_> = routes.iter().map(|r| route_del(r).unwrap()).collect();
        assert_eq!(ipr.request_batch(&mut adds, true).unwrap().succeeded(), 256);
        assert_eq!(ipr.request_batch(&mut dels, true).unwrap().succeeded(), 256);
    }
}

/// Stops and joins the storm thread when dropped (also while unwinding).
struct StopStorm(Arc<AtomicBool>, Option<std::thread::JoinHandle<()>>);

impl Drop for StopStorm {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        if let Some(t) = self.1.take() {
            let _ = t.join();
        }
    }
}

/// A thread that owns a namespace, a route storm and a bound object with
/// the async cache panics in a dump callback; everything it held is gone
/// soon after, and the unwinding (drain, monitor thread stopped and
/// joined, storm stopped, namespace deleted) is prompt.
fn owner_thread_panics(base: Base) {
    let ns_name = Arc::new(Mutex::new(String::new()));
    let panicked_at = Arc::new(Mutex::new(None::<Instant>));
    let dropped_in = Arc::new(Mutex::new(None::<Duration>));
    let h = {
        let (ns_name, panicked_at, dropped_in) =
            (ns_name.clone(), panicked_at.clone(), dropped_in.clone());
        std::thread::spawn(move || {
            let ns = Netns::new("owner_thread_panics").expect("a namespace");
            *ns_name.lock().unwrap() = ns.name.clone();
            fill(&ns.name);
            let stop = Arc::new(AtomicBool::new(false));
            let storm = {
                let (nsref, stop) = (ns.nsref(), stop.clone());
                std::thread::spawn(move || storm(nsref, stop))
            };
            let _storm = StopStorm(stop, Some(storm));
            // Times the object's drop alone, during the unwinding.
            struct Timed(Option<IpRoute>, Arc<Mutex<Option<Duration>>>);
            impl Drop for Timed {
                fn drop(&mut self) {
                    let t = Instant::now();
                    drop(self.0.take());
                    *self.1.lock().unwrap() = Some(t.elapsed());
                }
            }
            let mut ipr = ns.open();
            ipr.bind_with(&BindOptions::new(Groups::ROUTE | Groups::LINK).async_cache(true))
                .unwrap();
            let mut ipr = Timed(Some(ipr), dropped_in);
            let ipr = ipr.0.as_mut().unwrap();
            // Wait until the storm reaches the cache's queue.
            let deadline = Instant::now() + Duration::from_secs(10);
            while ipr.pending() == 0 {
                assert!(Instant::now() < deadline, "the storm is not seen");
                std::thread::sleep(Duration::from_millis(10));
            }
            let filter = table100();
            let mut n = 0;
            ipr.stream(&filter)
                .unwrap()
                .for_each(|_| {
                    n += 1;
                    if n == 10 {
                        *panicked_at.lock().unwrap() = Some(Instant::now());
                        panic!("the owner's callback panics");
                    }
                })
                .unwrap();
        })
    };
    assert!(h.join().is_err(), "the owner thread did not panic");
    let unwound = panicked_at.lock().unwrap().expect("panicked").elapsed();
    let dropped = dropped_in.lock().unwrap().expect("dropped");
    eprintln!("owner thread: object dropped in {dropped:?}, all unwound in {unwound:?}");
    assert!(
        dropped < PROMPT,
        "dropping the bound object took {dropped:?}"
    );
    assert!(unwound < PROMPT * 2, "unwinding took {unwound:?}");
    let name = ns_name.lock().unwrap().clone();
    assert!(!name.is_empty());
    assert!(
        !rtnl::netns::list().unwrap().contains(&name),
        "namespace {name} left behind"
    );
    base.check("a panic in a thread owning a bound object");
}

#[cfg(feature = "tokio")]
fn tokio_tasks_panic(ns: &Netns, base: Base) {
    use rtnl::tokio::AsyncIpRoute;
    use std::future::Future;
    use std::task::Poll;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // A panic in the loop over the notification stream.
    for cache in [false, true] {
        let (nsref, name) = (ns.nsref(), ns.name.clone());
        let r = rt.block_on(async move {
            tokio::spawn(async move {
                let mut ipr = IpRoute::in_netns(&nsref).unwrap();
                ipr.bind_with(&BindOptions::new(Groups::IPV4_ADDR).async_cache(cache))
                    .unwrap();
                let mut aipr = AsyncIpRoute::new(ipr).unwrap();
                tokio::task::spawn_blocking(move || {
                    batch(
                        &name,
                        "addr add 10.99.0.1/32 dev lo\naddr del 10.99.0.1/32 dev lo\n",
                    )
                    .unwrap()
                });
                let msgs = tokio::time::timeout(Duration::from_secs(10), aipr.next())
                    .await
                    .expect("no notification")
                    .expect("the stream is endless");
                assert!(!msgs.unwrap().is_empty());
                panic!("user code in the stream loop panics");
            })
            .await
        });
        assert!(r.unwrap_err().is_panic());
    }
    // A panic while a request is in flight on the blocking pool: its future
    // is dropped half-way; the request finishes there and the object is
    // dropped with it.
    let nsref = ns.nsref();
    let r = rt.block_on(async move {
        tokio::spawn(async move {
            let mut aipr = AsyncIpRoute::new(IpRoute::in_netns(&nsref).unwrap()).unwrap();
            let mut fut = Box::pin(aipr.get_routes(table100()));
            // (On a very busy machine the request may even be done by now.)
            std::future::poll_fn(|cx| {
                let _ = fut.as_mut().poll(cx);
                Poll::Ready(())
            })
            .await;
            panic!("user code panics while a request is in flight");
        })
        .await
    });
    assert!(r.unwrap_err().is_panic());
    // Dropping the runtime waits for the blocking pool.
    drop(rt);
    base.check("panics in tokio tasks");
}

#[test]
fn panics_in_user_code_leave_nothing_behind() {
    if let Ok(ns) = std::env::var(CHILD_ENV) {
        child(&ns);
        return;
    }
    let Some(ns) = Netns::new(TEST) else {
        return;
    };
    fill(&ns.name);
    // One line per panic, without a backtrace: most panics here are meant.
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    // Warm up what is initialised lazily (the allocator, the thread and
    // panic machinery) before counting.
    {
        let mut ipr = ns.open();
        ipr.bind_with(&BindOptions::new(Groups::LINK).async_cache(true))
            .unwrap();
        must_panic("warm-up", || panic!("warm-up"));
        let _ = std::thread::spawn(|| panic!("warm-up thread")).join();
    }
    let base = Base::now();

    // 1. The closure of Dump::for_each.
    let mut ipr = ns.open();
    let filter = table100();
    let mut n = 0;
    must_panic("for_each", || {
        ipr.stream(&filter)
            .unwrap()
            .for_each(|_| {
                n += 1;
                assert!(n < 10, "the caller's closure panics");
            })
            .unwrap();
    });
    check_clean(&mut ipr, "a panic in Dump::for_each");

    // 2. The body of a loop over next_view, which holds the Dump.
    must_panic("next_view loop", || {
        let mut dump = ipr.stream(&filter).unwrap();
        let mut n = 0;
        while let Some(r) = dump.next_view::<RtMsg>() {
            r.unwrap();
            n += 1;
            assert!(n < 1000, "the caller's loop body panics");
        }
    });
    check_clean(&mut ipr, "a panic in a next_view loop");

    // 3. The caller's Write in dump_raw.
    must_panic("dump_raw", || {
        let _ = ipr.dump_raw(&mut PanickingWriter(0));
    });
    check_clean(&mut ipr, "a panic in dump_raw's writer");

    // 4. The caller's DumpFilter::matches (its describe still works).
    struct Picky;
    impl DumpFilter for Picky {
        fn family(&self) -> Family {
            Family::Route
        }
        fn write_request(&self, w: &mut MessageWriter) {
            table100().write_request(w)
        }
        fn matches(&self, payload: &[u8]) -> bool {
            assert!(payload.len() < 16, "the caller's filter panics");
            true
        }
        fn describe(&self) -> String {
            "picky dump".into()
        }
    }
    must_panic("DumpFilter::matches", || {
        let _ = ipr.dump_filtered(&Picky);
    });
    check_clean(&mut ipr, "a panic in DumpFilter::matches");
    drop(ipr);
    base.check("panics caught on a plain object");

    // 5. A thread panics while holding the object's Mutex mid-dump; the
    // others take the object back from the poisoned lock.
    let shared = Arc::new(Mutex::new(ns.open()));
    let h = {
        let shared = shared.clone();
        std::thread::spawn(move || {
            let mut g = shared.lock().unwrap();
            let filter = table100();
            let mut n = 0;
            g.stream(&filter)
                .unwrap()
                .for_each(|_| {
                    n += 1;
                    assert!(n < 100, "a thread panics holding the lock");
                })
                .unwrap();
        })
    };
    assert!(h.join().is_err());
    assert!(shared.is_poisoned());
    {
        let mut g = shared.lock().unwrap_or_else(|p| p.into_inner());
        check_clean(&mut g, "a panic holding the Mutex");
    }
    drop(shared);
    base.check("a panic holding the Mutex");

    // 6. A bound object with the async cache survives a caught panic: the
    // dump is drained through the thread, and notifications still come,
    // once each.
    let mut ipr = ns.open();
    ipr.bind_with(&BindOptions::new(Groups::IPV4_ADDR).async_cache(true))
        .unwrap();
    let mut n = 0;
    must_panic("for_each on a cached object", || {
        ipr.stream(&filter)
            .unwrap()
            .for_each(|_| {
                n += 1;
                assert!(n < 10, "the caller's closure panics");
            })
            .unwrap();
    });
    check_clean(&mut ipr, "a panic on a cached object");
    let mut other = ns.open();
    let net: IpNet = "10.98.0.1/32".parse().unwrap();
    other.addr_add(1, net, &AddrOpts::default()).unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&ipr);
    assert!(readable(fd, 5000), "no notification after the panic");
    let m = Message::parse_all(&ipr.recv().unwrap())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].header.kind, RTM_NEWADDR);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(ipr.try_recv().unwrap(), None, "a notification came twice");
    other.addr_del(1, net).unwrap();
    drop((ipr, other));
    base.check("a panic on a cached object");

    // 7. The owning thread panics: the bound object's drop (monitor thread
    // running, a storm coming in) is prompt, and its namespace goes.
    owner_thread_panics(base);

    // 8. The tokio front.
    #[cfg(feature = "tokio")]
    tokio_tasks_panic(&ns, base);

    // 9. A filter whose describe panics after its matches did: in a child
    // process, where an abort cannot take this test down with it.
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &ns.name)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains("CHILD-OK"),
        "the child failed ({}): {text}",
        out.status
    );
    base.check("everything");
}
