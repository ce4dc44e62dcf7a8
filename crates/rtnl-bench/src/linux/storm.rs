//! The route storm: N adds then the deletion of all of them (table 400),
//! pipelined through `request_batch`, while a monitor consumes the
//! notifications: rtnl's async cache, then `ip monitor route`.

use std::io::{BufRead, BufReader};
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rtnl::monitor::is_overrun;
use rtnl::{BindOptions, Groups, IpRoute};
use serde_json::json;

use super::ns::{self, Netns};
use super::report::Row;
use super::setup::{self, Set};

/// What the monitor saw: events, overruns, when the last came, the
/// cache's (queued, dropped).
type Seen = (u64, u64, Instant, Option<(u64, u64)>);

/// How long the monitor may stay silent after the producer is done.
const QUIET: Duration = Duration::from_secs(2);

/// Adds then deletes `n` routes; returns the producer's seconds.
fn produce(netns: &Netns, n: usize, oif: u32) -> Result<f64, String> {
    let mut ipr = IpRoute::in_netns(&netns.as_ref()).map_err(|e| e.to_string())?;
    let start = Instant::now();
    setup::batch_routes(&mut ipr, Set::Storm, 0, n, oif, false)?;
    setup::batch_routes(&mut ipr, Set::Storm, 0, n, oif, true)?;
    Ok(start.elapsed().as_secs_f64())
}

fn wait_readable(fd: i32, ms: i32) {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    unsafe { libc::poll(&mut p, 1, ms) };
}

/// rtnl with the async cache, a 512 MiB receive buffer and a 1M-message
/// queue.
pub fn rtnl_cache(netns: &Netns, n: usize, oif: u32) -> Row {
    let mut row = Row::new(
        "storm",
        "storm.rtnl-async-cache",
        "rtnl async cache (rcvbuf 512 MiB, queue 1M)",
        n,
    );
    let expected = 2 * n as u64;
    row.extra.insert("expected".into(), json!(expected));
    let done = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = mpsc::channel();
    let name = netns.as_ref();
    let flag = done.clone();
    let consumer = thread::spawn(move || -> Result<Seen, String> {
        let mut ipr = IpRoute::in_netns(&name).map_err(|e| e.to_string())?;
        ipr.bind_with(
            &BindOptions::new(Groups::IPV4_ROUTE)
                .async_cache(true)
                .rcvbuf(512 << 20)
                .queue_capacity(1 << 20),
        )
        .map_err(|e| e.to_string())?;
        let _ = ready_tx.send(());
        let (mut events, mut overruns) = (0u64, 0u64);
        let mut last = Instant::now();
        let mut done_at: Option<Instant> = None;
        loop {
            while let Some(b) = ipr.try_recv().map_err(|e| e.to_string())? {
                if is_overrun(&b) {
                    overruns += 1;
                } else {
                    events += 1;
                }
                last = Instant::now();
            }
            if events >= expected {
                break;
            }
            if flag.load(Ordering::Acquire) {
                let d = *done_at.get_or_insert_with(Instant::now);
                if d.elapsed() > QUIET && last.elapsed() > QUIET {
                    break;
                }
            }
            wait_readable(ipr.as_raw_fd(), 50);
        }
        Ok((events, overruns, last, ipr.cache_counts()))
    });
    if ready_rx.recv().is_err() {
        row.note = Some(match consumer.join() {
            Ok(Err(e)) => format!("monitor failed: {e}"),
            _ => "monitor failed".into(),
        });
        return row;
    }
    let start = Instant::now();
    let produced = produce(netns, n, oif);
    done.store(true, Ordering::Release);
    let consumed = consumer.join();
    match (produced, consumed) {
        (Ok(p), Ok(Ok((events, overruns, last, counts)))) => {
            row.secs.push(last.duration_since(start).as_secs_f64());
            row.count = Some(events);
            row.extra.insert("overruns".into(), json!(overruns));
            row.extra.insert("producer_s".into(), json!(p));
            if let Some((queued, dropped)) = counts {
                row.extra.insert("queued".into(), json!(queued));
                row.extra.insert("queue_dropped".into(), json!(dropped));
            }
            row.note = Some(format!("{events}/{expected} events, {overruns} overruns"));
        }
        (Err(e), _) => row.note = Some(format!("producer failed: {e}")),
        (_, Ok(Err(e))) => row.note = Some(format!("monitor failed: {e}")),
        (_, Err(_)) => row.note = Some("monitor panicked".into()),
    }
    row
}

/// `ip monitor route`: lines on stdout, overruns as "No buffer space"
/// errors on stderr.
pub fn ip_monitor(netns: &Netns, me: &std::path::Path, n: usize, oif: u32) -> Row {
    let mut row = Row::new("storm", "storm.ip-monitor", "ip monitor route", n);
    let expected = 2 * n as u64;
    row.extra.insert("expected".into(), json!(expected));
    // Through the __exec helper, for ip's own peak memory.
    let mut cmd = Command::new(me);
    cmd.args(["__exec", "ip", "monitor", "route"]);
    netns.enter_on_exec(&mut cmd);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            row.note = Some(format!("cannot run ip monitor: {e}"));
            return row;
        }
    };
    let pid = child.id() as libc::pid_t;
    let lines = Arc::new(AtomicU64::new(0));
    let last = Arc::new(Mutex::new(Instant::now()));
    let out = child.stdout.take().map(|o| {
        let (lines, last) = (lines.clone(), last.clone());
        thread::spawn(move || {
            for l in BufReader::new(o).lines() {
                if l.is_err() {
                    break;
                }
                lines.fetch_add(1, Ordering::Relaxed);
                *last.lock().unwrap() = Instant::now();
            }
        })
    });
    let ip_pid = Arc::new(AtomicI32::new(0));
    let err = child.stderr.take().map(|e| {
        let ip_pid = ip_pid.clone();
        thread::spawn(move || {
            let mut text = String::new();
            let mut overruns = 0u64;
            for l in BufReader::new(e).lines().map_while(Result::ok) {
                if let Some(p) = l.strip_prefix(ns::MARK_PID) {
                    ip_pid.store(p.trim().parse().unwrap_or(0), Ordering::Release);
                } else if l.contains("No buffer space") || l.contains("overrun") {
                    overruns += 1;
                }
                text += &l;
                text.push('\n');
            }
            (overruns, ns::parse_marks(&text).1)
        })
    });
    // ip has no "ready" signal: give it time to bind.
    thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let produced = produce(netns, n, oif);
    let done_at = Instant::now();
    while lines.load(Ordering::Relaxed) < expected
        && !(done_at.elapsed() > QUIET && last.lock().unwrap().elapsed() > QUIET)
    {
        thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: signalling ip (started by the helper we started), by its
    // pid, or else the helper itself.
    let ip = ip_pid.load(Ordering::Acquire);
    unsafe { libc::kill(if ip > 0 { ip } else { pid }, libc::SIGTERM) };
    let _ = ns::wait4(pid);
    if let Some(t) = out {
        let _ = t.join();
    }
    let (overruns, marks) = err.and_then(|t| t.join().ok()).unwrap_or((0, None));
    let events = lines.load(Ordering::Relaxed);
    match produced {
        Ok(p) => {
            let end = *last.lock().unwrap();
            row.secs.push(end.duration_since(start).as_secs_f64());
            row.count = Some(events);
            row.extra.insert("overruns".into(), json!(overruns));
            row.extra.insert("producer_s".into(), json!(p));
            row.note = Some(format!(
                "{events}/{expected} lines, {overruns} ENOBUFS errors"
            ));
        }
        Err(e) => row.note = Some(format!("producer failed: {e}")),
    }
    if let Some(ns::Marks { maxrss_kb: kb, .. }) = marks {
        row.rss_kb.push(kb);
    }
    row
}
