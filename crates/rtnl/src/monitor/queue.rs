//! The monitor machinery: one thread runs a *source* (any closure that
//! waits for messages and feeds them in) and fills a bounded queue whose
//! readiness signal (`sys::signal::Signal`: an eventfd, a pipe, a Windows
//! event) is set exactly while the queue holds something. Nothing here
//! knows about netlink: the Linux async cache feeds it from the netlink
//! socket; the BSD emulator's thread feeds it from its PF_ROUTE socket;
//! Windows' iphlpapi callbacks push into it from the system's threads. The
//! emulators also queue their request replies here (`push_reply`, never
//! dropped), so one queue and one descriptor carry everything, in order.
//!
//! A message that does not fit is never dropped silently: the queue records
//! the loss and hands out an NLMSG_OVERRUN marker at that place in the
//! stream.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use crate::sys::signal::Signal;

/// The 16 bytes of an NLMSG_OVERRUN marker: a bare header, sequence and
/// port id 0.
pub(crate) fn overrun_marker() -> Vec<u8> {
    let mut v = Vec::with_capacity(16);
    rtnl_wire::netlink::NlHeader {
        len: 16,
        kind: rtnl_wire::netlink::NLMSG_OVERRUN,
        flags: 0,
        seq: 0,
        pid: 0,
    }
    .emit(&mut v);
    v
}

/// What a pop found.
#[derive(Debug)]
pub(crate) enum Popped {
    /// One message's bytes (or an overrun marker).
    Item(Vec<u8>),
    /// Nothing queued (only without blocking).
    Empty,
    /// The source failed or ended; nothing more will come.
    Closed(io::Error),
}

#[derive(Debug)]
struct Inner {
    items: VecDeque<Vec<u8>>,
    capacity: usize,
    /// Messages were lost after the last queued item: a marker is owed.
    lost: bool,
    /// Why the source stopped, once it has.
    closed: Option<(io::ErrorKind, String)>,
    signal: Signal,
    pushed: u64,
    dropped: u64,
}

impl Inner {
    /// Keeps the descriptor readable exactly while a pop would return
    /// something without blocking.
    fn refresh(&mut self) {
        if !self.items.is_empty() || self.lost || self.closed.is_some() {
            self.signal.set();
        } else {
            self.signal.clear();
        }
    }
}

/// A bounded queue of messages with a readiness descriptor.
#[derive(Debug)]
pub(crate) struct Queue {
    inner: Mutex<Inner>,
    ready: Condvar,
    #[cfg(unix)]
    fd: std::os::fd::RawFd,
    /// The event's handle, as an integer (a raw handle is not `Send`).
    #[cfg(windows)]
    handle: usize,
}

impl Queue {
    /// An empty queue holding at most `capacity` messages.
    pub(crate) fn new(capacity: usize) -> io::Result<Queue> {
        let signal = Signal::new()?;
        #[cfg(unix)]
        let fd = signal.as_raw_fd();
        #[cfg(windows)]
        let handle = signal.as_raw_handle() as usize;
        Ok(Queue {
            inner: Mutex::new(Inner {
                items: VecDeque::new(),
                capacity: capacity.max(1),
                lost: false,
                closed: None,
                signal,
                pushed: 0,
                dropped: 0,
            }),
            ready: Condvar::new(),
            #[cfg(unix)]
            fd,
            #[cfg(windows)]
            handle,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while the lock was held leaves consistent data (every
        // update is a single push or pop), so poisoning is ignored.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The readiness descriptor.
    #[cfg(unix)]
    pub(crate) fn fd(&self) -> std::os::fd::RawFd {
        self.fd
    }

    /// The readiness event: signalled exactly while something waits (as
    /// the descriptor is readable on Unix).
    #[cfg(windows)]
    pub(crate) fn handle(&self) -> std::os::windows::io::RawHandle {
        self.handle as std::os::windows::io::RawHandle
    }

    /// Appends one message; when the queue is full the message is dropped
    /// and an overrun marker is owed in its place.
    pub(crate) fn push(&self, item: Vec<u8>) {
        let mut g = self.lock();
        if g.items.len() >= g.capacity {
            g.lost = true;
            g.dropped += 1;
        } else {
            if g.lost {
                g.lost = false;
                g.items.push_back(overrun_marker());
            }
            g.items.push_back(item);
            g.pushed += 1;
        }
        g.refresh();
        drop(g);
        self.ready.notify_one();
    }

    /// Appends a reply datagram, whatever the capacity: replies are
    /// bounded by the requests that asked for them, and losing one would
    /// leave its caller waiting.
    pub(crate) fn push_reply(&self, item: Vec<u8>) {
        let mut g = self.lock();
        g.items.push_back(item);
        g.refresh();
        drop(g);
        self.ready.notify_one();
    }

    /// Sets how many notifications the queue holds before it drops them.
    pub(crate) fn set_capacity(&self, capacity: usize) {
        self.lock().capacity = capacity.max(1);
    }

    /// Records that the source lost messages (after everything pushed so
    /// far): an overrun marker comes next.
    pub(crate) fn overrun(&self) {
        let mut g = self.lock();
        g.lost = true;
        g.refresh();
        drop(g);
        self.ready.notify_one();
    }

    /// Puts messages back at the front (the consumer's own resync dump),
    /// whatever the capacity.
    pub(crate) fn push_front_all(&self, items: Vec<Vec<u8>>) {
        let mut g = self.lock();
        for item in items.into_iter().rev() {
            g.items.push_front(item);
        }
        g.refresh();
    }

    /// Marks the queue closed: the source ended with `e`.
    pub(crate) fn close(&self, e: &io::Error) {
        let mut g = self.lock();
        if g.closed.is_none() {
            g.closed = Some((e.kind(), e.to_string()));
        }
        g.refresh();
        drop(g);
        self.ready.notify_all();
    }

    /// Takes the next message, waiting for one when `block` is set.
    pub(crate) fn pop(&self, block: bool) -> Popped {
        let mut g = self.lock();
        loop {
            let got = match g.items.pop_front() {
                Some(item) => Some(item),
                None if g.lost => {
                    g.lost = false;
                    Some(overrun_marker())
                }
                None => None,
            };
            if let Some(item) = got {
                g.refresh();
                return Popped::Item(item);
            }
            if let Some((kind, text)) = &g.closed {
                return Popped::Closed(io::Error::new(*kind, text.clone()));
            }
            if !block {
                g.refresh();
                return Popped::Empty;
            }
            g = self.ready.wait(g).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// How many messages (and owed markers) are waiting.
    pub(crate) fn len(&self) -> usize {
        let g = self.lock();
        g.items.len() + usize::from(g.lost)
    }

    /// `(pushed, dropped because the queue was full)`.
    pub(crate) fn counts(&self) -> (u64, u64) {
        let g = self.lock();
        (g.pushed, g.dropped)
    }
}

/// What the source closure is given: where to put messages, and how to
/// know it must stop.
#[derive(Debug)]
pub(crate) struct Feed {
    queue: Arc<Queue>,
    stop: Arc<Stop>,
}

#[derive(Debug)]
struct Stop {
    flag: AtomicBool,
    signal: Mutex<Signal>,
    #[cfg(unix)]
    fd: std::os::fd::RawFd,
}

impl Feed {
    /// Queues one message.
    pub(crate) fn push(&self, item: Vec<u8>) {
        self.queue.push(item);
    }
    /// Reports lost messages.
    pub(crate) fn overrun(&self) {
        self.queue.overrun();
    }
    /// True once the owner asked the thread to stop.
    pub(crate) fn stopping(&self) -> bool {
        self.stop.flag.load(Ordering::Acquire)
    }
    /// A descriptor that becomes readable when the thread must stop: the
    /// source waits on it beside its own.
    #[cfg(unix)]
    pub(crate) fn stop_fd(&self) -> std::os::fd::RawFd {
        self.stop.fd
    }
}

/// A running monitor thread and its queue. Dropping it stops and joins the
/// thread.
#[derive(Debug)]
pub(crate) struct Monitor {
    queue: Arc<Queue>,
    stop: Arc<Stop>,
    thread: Option<JoinHandle<()>>,
}

impl Monitor {
    /// Starts a thread that calls `source` until it fails or the monitor is
    /// dropped. Each call waits (on its own descriptor and
    /// [`Feed::stop_fd`]) and pushes what arrived.
    pub(crate) fn spawn<F>(capacity: usize, name: &str, source: F) -> io::Result<Monitor>
    where
        F: FnMut(&Feed) -> io::Result<()> + Send + 'static,
    {
        Monitor::spawn_into(Arc::new(Queue::new(capacity)?), name, source)
    }

    /// Like [`Monitor::spawn`], feeding an existing queue (an emulator's,
    /// which already carries its replies).
    pub(crate) fn spawn_into<F>(queue: Arc<Queue>, name: &str, mut source: F) -> io::Result<Monitor>
    where
        F: FnMut(&Feed) -> io::Result<()> + Send + 'static,
    {
        let signal = Signal::new()?;
        let stop = Arc::new(Stop {
            flag: AtomicBool::new(false),
            #[cfg(unix)]
            fd: signal.as_raw_fd(),
            signal: Mutex::new(signal),
        });
        let feed = Feed {
            queue: queue.clone(),
            stop: stop.clone(),
        };
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let end = loop {
                    if feed.stopping() {
                        break io::Error::other("the monitor was stopped");
                    }
                    if let Err(e) = source(&feed) {
                        break e;
                    }
                };
                feed.queue.close(&end);
            })?;
        Ok(Monitor {
            queue,
            stop,
            thread: Some(thread),
        })
    }

    /// The queue the thread fills.
    pub(crate) fn queue(&self) -> &Arc<Queue> {
        &self.queue
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.stop.flag.store(true, Ordering::Release);
        self.stop
            .signal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .set();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::time::Duration;

    #[test]
    fn a_full_queue_owes_a_marker_at_the_gap() {
        let q = Queue::new(2).unwrap();
        for i in 0..5u8 {
            q.push(vec![i]);
        }
        let mut out = Vec::new();
        while let Popped::Item(b) = q.pop(false) {
            out.push(b);
        }
        assert_eq!(out, vec![vec![0], vec![1], overrun_marker()]);
        q.push(vec![9]);
        assert_eq!(q.counts(), (3, 3));
        assert!(matches!(q.pop(false), Popped::Item(b) if b == vec![9]));
        // The marker comes before the first message after the gap.
        q.push(vec![1]);
        q.push(vec![2]);
        q.push(vec![3]);
        assert!(matches!(q.pop(false), Popped::Item(b) if b == vec![1]));
        q.push(vec![4]);
        let all: Vec<Vec<u8>> = std::iter::from_fn(|| match q.pop(false) {
            Popped::Item(b) => Some(b),
            _ => None,
        })
        .collect();
        assert_eq!(all, vec![vec![2], overrun_marker(), vec![4]]);
    }

    #[cfg(unix)]
    #[test]
    fn the_fd_is_readable_exactly_while_something_waits() {
        use crate::sys::signal::wait_readable;
        let q = Queue::new(4).unwrap();
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![false]);
        q.push(vec![1]);
        q.push(vec![2]);
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![true]);
        q.pop(false);
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![true]);
        q.pop(false);
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![false]);
        q.overrun();
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![true]);
        assert!(matches!(q.pop(false), Popped::Item(b) if b == overrun_marker()));
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![false]);
    }

    #[cfg(windows)]
    #[test]
    fn the_handle_is_signalled_exactly_while_something_waits() {
        use crate::sys::signal::wait_signalled;
        let q = Queue::new(1).unwrap();
        let on = || wait_signalled(q.handle(), 0).unwrap();
        assert!(!on());
        q.push(vec![1]);
        assert!(on());
        q.push(vec![2]); // dropped: a marker is owed
        q.pop(false);
        assert!(on(), "the owed marker waits");
        assert!(matches!(q.pop(false), Popped::Item(b) if b == overrun_marker()));
        assert!(!on());
        q.push_reply(vec![3]);
        assert!(on());
        q.pop(false);
        assert!(!on());
        // A blocked consumer is woken by a push from another thread.
        let q = Arc::new(q);
        let q2 = q.clone();
        let t = std::thread::spawn(move || q2.push(vec![4]));
        assert!(wait_signalled(q.handle(), 5000).unwrap());
        t.join().unwrap();
        assert!(matches!(q.pop(true), Popped::Item(b) if b == vec![4]));
        assert!(!wait_signalled(q.handle(), 0).unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn any_source_feeds_the_queue_and_drop_joins_the_thread() {
        use crate::sys::signal::wait_readable;
        let (tx, rx) = std::sync::mpsc::channel::<u8>();
        let rx = Mutex::new(rx);
        let m = Monitor::spawn(8, "test-monitor", move |feed| {
            // A source that waits on its stop descriptor with a timeout,
            // as a real one waits on its socket beside it.
            if wait_readable(&[feed.stop_fd()], 10)?[0] {
                return Ok(());
            }
            while let Ok(b) = rx.lock().unwrap().try_recv() {
                feed.push(vec![b]);
            }
            Ok(())
        })
        .unwrap();
        tx.send(7).unwrap();
        assert_eq!(wait_readable(&[m.queue().fd()], 5000).unwrap(), vec![true]);
        assert!(matches!(m.queue().pop(true), Popped::Item(b) if b == vec![7]));
        let q = m.queue().clone();
        let t = std::time::Instant::now();
        drop(m);
        assert!(t.elapsed() < Duration::from_secs(2));
        assert!(matches!(q.pop(true), Popped::Closed(_)));
    }
}
