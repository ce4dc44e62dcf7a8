//! What the emulated sockets (the BSDs and macOS, Windows) share: one
//! queue that carries the replies the emulator produced for each request
//! and, once bound, the notifications its source translated, in the order
//! they happened, behind one readiness signal (a pipe on the BSDs, an event
//! on Windows) that is set exactly while something waits. The platform
//! modules add how requests are answered and what feeds notifications (a
//! monitor thread reading PF_ROUTE; iphlpapi callbacks).
//!
//! Built on every host, so that Linux tests drive it with fixture sources.

use std::io;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::monitor::queue::{Popped, Queue};
use crate::monitor::{is_overrun, SharedGroups};
use crate::sys::Recv;

/// How many notifications wait before the queue drops them (and owes an
/// overrun marker), unless `BindOptions::queue_capacity` says otherwise.
pub(crate) const DEFAULT_CAPACITY: usize = 65536;

/// Sockets opened so far by this process (for distinct port ids).
static OPENED: AtomicU32 = AtomicU32::new(0);

/// A stable, non-zero port id for the `nth` emulated socket of process
/// `pid`: the pid for the first (as Linux gives the first netlink socket),
/// then values with the top bit set, which no pid has.
pub(crate) fn port_id(pid: u32, nth: u32) -> u32 {
    if nth == 0 && pid != 0 {
        pid
    } else {
        0x8000_0000 | ((pid & 0x3ff) << 21) | (nth & 0x1f_ffff) | u32::from(nth == 0)
    }
}

/// The notification source of a bound socket (a monitor thread, callback
/// registrations): held only to be dropped, which stops it and waits until
/// it can no longer touch the queue.
pub(crate) type Source = Box<dyn std::fmt::Debug + Send>;

/// The platform-independent half of an emulated RTNL socket.
#[derive(Debug)]
pub(crate) struct Emulated {
    platform: &'static str,
    port_id: u32,
    queue: Arc<Queue>,
    groups: SharedGroups,
    /// Holds its own reference to the queue; dropping it stops it.
    source: Option<Source>,
}

impl Emulated {
    /// A socket with a new port id and an empty queue.
    pub(crate) fn open(platform: &'static str) -> io::Result<Emulated> {
        let nth = OPENED.fetch_add(1, Ordering::Relaxed);
        Ok(Emulated {
            platform,
            port_id: port_id(std::process::id(), nth),
            queue: Arc::new(Queue::new(DEFAULT_CAPACITY)?),
            groups: SharedGroups::default(),
            source: None,
        })
    }

    pub(crate) fn port_id(&self) -> u32 {
        self.port_id
    }

    /// Queues the reply datagrams of a request, after everything waiting.
    pub(crate) fn answer(&self, datagrams: impl IntoIterator<Item = Vec<u8>>) {
        for d in datagrams {
            self.queue.push_reply(d);
        }
    }

    /// Whether a notification source runs.
    pub(crate) fn is_bound(&self) -> bool {
        self.source.is_some()
    }

    /// Adds `groups` to what the source delivers; starts the source with
    /// `start` (given the queue and the shared group set) on the first
    /// call. `capacity` bounds the notifications waiting.
    pub(crate) fn bind(
        &mut self,
        groups: crate::Groups,
        capacity: usize,
        start: impl FnOnce(Arc<Queue>, SharedGroups) -> io::Result<Source>,
    ) -> io::Result<()> {
        self.queue.set_capacity(capacity);
        self.groups.add(groups);
        if self.source.is_none() {
            self.source = Some(start(self.queue.clone(), self.groups.clone())?);
        }
        Ok(())
    }

    /// The next datagram; waits for a notification when bound, fails at
    /// once when nothing can arrive.
    pub(crate) fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        if !self.is_bound() {
            return match self.try_recv(buf)? {
                Some(r) => Ok(r),
                None => Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "nothing to receive: the {} emulator answers requests at once, \
                         and notifications need bind",
                        self.platform
                    ),
                )),
            };
        }
        let p = self.queue.pop(true);
        self.popped(p, buf)
            .map(|r| r.expect("a blocking pop returns an item or fails"))
    }

    /// The next datagram, or `None` when none waits.
    pub(crate) fn try_recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Recv>> {
        let p = self.queue.pop(false);
        self.popped(p, buf)
    }

    fn popped(&self, p: Popped, buf: &mut Vec<u8>) -> io::Result<Option<Recv>> {
        match p {
            Popped::Item(b) if is_overrun(&b) => Ok(Some(Recv::Overrun)),
            Popped::Item(b) => {
                *buf = b;
                Ok(Some(Recv::Data))
            }
            Popped::Empty => Ok(None),
            Popped::Closed(e) => Err(io::Error::new(
                e.kind(),
                format!("the {} notification source stopped: {e}", self.platform),
            )),
        }
    }

    /// The readiness descriptor: readable exactly while a datagram waits.
    #[cfg(unix)]
    pub(crate) fn fd(&self) -> std::os::fd::RawFd {
        self.queue.fd()
    }

    /// The readiness event: signalled exactly while a datagram waits.
    #[cfg(windows)]
    pub(crate) fn handle(&self) -> std::os::windows::io::RawHandle {
        self.queue.handle()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::monitor::queue::Monitor;
    use crate::sys::signal::wait_readable;
    use crate::Groups;

    #[test]
    fn port_ids_are_stable_distinct_and_non_zero() {
        assert_eq!(port_id(4242, 0), 4242);
        let ids: Vec<u32> = (0..1000).map(|n| port_id(4242, n)).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
        assert!(ids.iter().all(|&p| p != 0));
        assert_ne!(port_id(0, 0), 0);
        assert_eq!(port_id(4242, 5), port_id(4242, 5));
    }

    #[test]
    fn unbound_replies_in_order_then_a_clear_error() {
        let mut s = Emulated::open("testos").unwrap();
        let mut buf = Vec::new();
        assert_eq!(wait_readable(&[s.fd()], 0).unwrap(), vec![false]);
        s.answer(vec![vec![1], vec![2]]);
        assert_eq!(wait_readable(&[s.fd()], 0).unwrap(), vec![true]);
        assert_eq!(s.recv(&mut buf).unwrap(), Recv::Data);
        assert_eq!(buf, [1]);
        assert_eq!(s.try_recv(&mut buf).unwrap(), Some(Recv::Data));
        assert_eq!(buf, [2]);
        assert_eq!(s.try_recv(&mut buf).unwrap(), None);
        assert_eq!(wait_readable(&[s.fd()], 0).unwrap(), vec![false]);
        let e = s.recv(&mut buf).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        assert!(e.to_string().contains("testos"), "{e}");
    }

    #[test]
    fn a_source_shares_the_queue_with_replies_and_loss_is_a_marker() {
        let mut s = Emulated::open("testos").unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<Option<Vec<u8>>>();
        let rx = std::sync::Mutex::new(rx);
        s.bind(Groups::LINK, 2, |queue, groups| {
            assert_eq!(groups.get(), Groups::LINK);
            let m = Monitor::spawn_into(queue, "test-source", move |feed| {
                if wait_readable(&[feed.stop_fd()], 5)?[0] {
                    return Ok(());
                }
                while let Ok(item) = rx.lock().unwrap().try_recv() {
                    match item {
                        Some(b) => feed.push(b),
                        None => feed.overrun(),
                    }
                }
                Ok(())
            })?;
            Ok(Box::new(m) as Source)
        })
        .unwrap();
        // A second bind widens the groups and keeps the source.
        s.bind(Groups::ROUTE, 2, |_, _| panic!("started twice"))
            .unwrap();
        assert_eq!(s.groups.get(), Groups::LINK | Groups::ROUTE);

        let mut buf = Vec::new();
        tx.send(Some(vec![10])).unwrap();
        assert_eq!(s.recv(&mut buf).unwrap(), Recv::Data);
        assert_eq!(buf, [10]);
        // A reply lands behind the notifications already queued.
        tx.send(Some(vec![11])).unwrap();
        assert_eq!(wait_readable(&[s.fd()], 5000).unwrap(), vec![true]);
        s.answer(vec![vec![20]]);
        assert_eq!(s.recv(&mut buf).unwrap(), Recv::Data);
        assert_eq!(buf, [11]);
        assert_eq!(s.recv(&mut buf).unwrap(), Recv::Data);
        assert_eq!(buf, [20]);
        // A reported loss becomes Recv::Overrun at its place.
        tx.send(Some(vec![12])).unwrap();
        tx.send(None).unwrap();
        tx.send(Some(vec![13])).unwrap();
        let mut got = Vec::new();
        while got.len() < 3 {
            match s.recv(&mut buf).unwrap() {
                Recv::Data => got.push(Some(buf.clone())),
                Recv::Overrun => got.push(None),
                Recv::Spoofed(_) | Recv::Multicast => unreachable!(),
            }
        }
        assert_eq!(got, vec![Some(vec![12]), None, Some(vec![13])]);
        // Replies are never dropped, whatever the capacity (2).
        s.answer((0..10u8).map(|i| vec![i]));
        for i in 0..10u8 {
            assert_eq!(s.try_recv(&mut buf).unwrap(), Some(Recv::Data));
            assert_eq!(buf, [i]);
        }
        let t = std::time::Instant::now();
        drop(s);
        assert!(t.elapsed() < std::time::Duration::from_secs(2));
    }
}
