//! Monitoring: joining the RTNL multicast groups ([`IpRoute::bind`]), the
//! notification stream (`recv`, `try_recv`, `get`), overruns as explicit
//! events with an optional resync, and the async cache thread.
//!
//! # The stream
//!
//! After `bind`, [`IpRoute::recv`] returns the bytes of one message at a
//! time, in the order the kernel sent them:
//!
//! - notifications (`RTM_NEW*` / `RTM_DEL*`, sequence number 0 unless the
//!   change was made through this same socket);
//! - an **overrun marker** where notifications were lost: a bare 16-byte
//!   header of type `NLMSG_OVERRUN` (the form the BSD emulator also emits
//!   for OpenBSD's RTM_DESYNC). It comes after every message that was
//!   queued before the loss (a few that followed the loss may precede it);
//!   the object keeps working;
//! - with [`BindOptions::resync`], right after each marker, a fresh dump of
//!   every bound object family: the kernel's dump messages (flag
//!   `NLM_F_MULTI`, our port id, a sequence number) ending with one
//!   `NLMSG_DONE`. Applying the dump and then every later notification in
//!   order rebuilds an exact view. Notifications already queued when the
//!   dump ran still come after it, so such a view can step back briefly;
//!   it is exact once the stream is drained (`try_recv` gives `None`),
//!   which is also when a loss marked late, after messages that followed
//!   it, has had its resync.
//!
//! # The event-loop contract
//!
//! [`IpRoute::as_raw_fd`](std::os::fd::AsRawFd) works with
//! poll/epoll/select, but requests read the socket too and set aside any
//! notification they meet, where poll cannot see it. So: **wait on the fd
//! only when [`IpRoute::has_pending`] is false**; after it becomes
//! readable, call [`IpRoute::try_recv`] until it returns `None`. With the
//! async cache the fd is the queue's eventfd, readable exactly while the
//! queue holds something. On Windows the same contract holds for
//! `IpRoute::as_raw_handle` (`AsRawHandle`): a manual-reset event,
//! signalled exactly while the emulator's queue holds a reply or
//! notification, for `WaitForSingleObject`/`WaitForMultipleObjects`.

// Until the BSD emulator feeds the monitor thread, only Linux uses all of it.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

mod groups;
pub(crate) mod queue;

#[cfg(target_os = "linux")]
mod netlink;

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

use rtnl_wire::message::Message;
use rtnl_wire::netlink::{NlHeader, NLMSG_DONE, NLMSG_OVERRUN, NLM_F_MULTI};

use crate::error::{Error, Result};
use crate::filter::{AddrFilter, DumpFilter, LinkFilter, NeighFilter, RouteFilter, RuleFilter};
use crate::iproute::IpRoute;
use crate::sys::Recv;

pub use groups::Groups;
pub(crate) use groups::SharedGroups;
use groups::{AF_INET, AF_INET6};
use queue::{overrun_marker, Monitor, Popped};

/// How to bind: the groups, and the optional async cache, resync and
/// receive buffer size.
///
/// ```no_run
/// # fn main() -> rtnl::Result<()> {
/// use rtnl::{BindOptions, Groups, IpRoute};
/// let mut ipr = IpRoute::new()?;
/// ipr.bind_with(
///     &BindOptions::new(Groups::LINK | Groups::ROUTE)
///         .async_cache(true)
///         .resync(true)
///         .rcvbuf(1 << 20),
/// )?;
/// loop {
///     for m in ipr.get()? {
///         println!("{m:?}");
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindOptions {
    groups: Groups,
    async_cache: bool,
    queue_capacity: usize,
    rcvbuf: Option<usize>,
    resync: bool,
}

impl Default for BindOptions {
    fn default() -> BindOptions {
        BindOptions::new(Groups::DEFAULT)
    }
}

impl BindOptions {
    /// Joins `groups`; no thread, no resync, the receive buffer as opened.
    pub fn new(groups: Groups) -> BindOptions {
        BindOptions {
            groups,
            async_cache: false,
            queue_capacity: 65536,
            rcvbuf: None,
            resync: false,
        }
    }

    /// Starts one reader thread that drains the socket into a bounded
    /// queue; the object's fd becomes the queue's eventfd. Requests still
    /// work: the thread hands their replies to the caller.
    pub fn async_cache(mut self, on: bool) -> BindOptions {
        self.async_cache = on;
        self
    }

    /// How many messages the async cache's queue holds (default 65536).
    /// When it is full, messages are dropped and an overrun marker takes
    /// their place.
    pub fn queue_capacity(mut self, messages: usize) -> BindOptions {
        self.queue_capacity = messages.max(1);
        self
    }

    /// Sets the socket's receive buffer (`SO_RCVBUFFORCE` when privileged,
    /// else `SO_RCVBUF` capped by `net.core.rmem_max`).
    pub fn rcvbuf(mut self, bytes: usize) -> BindOptions {
        self.rcvbuf = Some(bytes);
        self
    }

    /// After each overrun marker, deliver a fresh dump of the bound object
    /// families in the stream (see the [module docs](crate::monitor)).
    pub fn resync(mut self, on: bool) -> BindOptions {
        self.resync = on;
        self
    }
}

/// The async cache: the monitor thread and the channel its replies come on.
#[derive(Debug)]
struct Cache {
    monitor: Monitor,
    replies: mpsc::Receiver<Vec<u8>>,
}

/// Per-`IpRoute` monitoring state.
#[derive(Debug)]
pub(crate) struct State {
    groups: Groups,
    resync: bool,
    /// A resync dump (or a marker) waiting to be handed out, before the
    /// backlog.
    front: VecDeque<Vec<u8>>,
    /// Set once the socket was drained after the pending overrun.
    drained: bool,
    cache: Option<Cache>,
    /// Spoofed datagrams the cache thread dropped.
    spoofed: Arc<AtomicU64>,
}

impl Default for State {
    fn default() -> State {
        State {
            groups: Groups::NONE,
            resync: false,
            front: VecDeque::new(),
            drained: false,
            cache: None,
            spoofed: Arc::default(),
        }
    }
}

impl State {
    /// True while the async cache thread reads the socket.
    pub(crate) fn cached(&self) -> bool {
        self.cache.is_some()
    }

    /// The readiness fd of the async cache's queue, if there is one.
    #[cfg(unix)]
    pub(crate) fn fd(&self) -> Option<std::os::fd::RawFd> {
        self.cache.as_ref().map(|c| c.monitor.queue().fd())
    }

    /// Spoofed datagrams dropped by the cache thread.
    pub(crate) fn spoofed(&self) -> u64 {
        self.spoofed.load(Ordering::Relaxed)
    }
}

/// True for the error a socket reports after its receive buffer overflowed.
pub(crate) fn is_enobufs(e: &io::Error) -> bool {
    cfg!(target_os = "linux") && e.raw_os_error() == Some(crate::errno::ENOBUFS)
}

/// True when `bytes` is an overrun marker (an `NLMSG_OVERRUN` header).
pub fn is_overrun(bytes: &[u8]) -> bool {
    NlHeader::parse(bytes).is_ok_and(|h| h.kind == NLMSG_OVERRUN)
}

impl IpRoute {
    /// Joins `groups` (e.g. `Groups::default()`: links, addresses, routes,
    /// neighbours, rules, nexthops) so that `recv()`/`get()` return their
    /// notifications. No thread is started.
    /// Run as root, this example works in a namespace of its own: it binds,
    /// adds an address through a second socket, and receives the notification.
    ///
    /// ```
    /// # fn main() -> rtnl::Result<()> {
    /// use rtnl::wire::rtm::RTM_NEWADDR;
    /// use rtnl::{request::AddrOpts, Groups, IpRoute, NetnsRef};
    /// use std::os::unix::fs::MetadataExt;
    /// if std::fs::metadata("/proc/self").map_or(true, |m| m.uid() != 0) {
    ///     println!("skipped: needs root");
    ///     return Ok(());
    /// }
    /// // A throwaway namespace, deleted when `ns` drops: also on `?` or a panic.
    /// struct Throwaway(String);
    /// impl Drop for Throwaway {
    ///     fn drop(&mut self) {
    ///         let _ = rtnl::netns::del(&self.0);
    ///     }
    /// }
    /// let ns = Throwaway(format!("rtnl-doc-bind-{}", std::process::id()));
    /// rtnl::netns::add(&ns.0)?;
    /// let mut ipr = IpRoute::in_netns(&NetnsRef::Name(ns.0.clone()))?;
    /// ipr.bind(Groups::LINK | Groups::ADDR)?;
    /// let mut other = IpRoute::in_netns(&NetnsRef::Name(ns.0.clone()))?;
    /// let lo = other.link_index("lo")?;
    /// other.addr_add(lo, "10.9.0.1/24".parse()?, &AddrOpts::default())?;
    /// let event = loop {
    ///     let msgs = ipr.get()?; // blocks until the next notification
    ///     if let Some(m) = msgs.into_iter().find(|m| m.header.kind == RTM_NEWADDR) {
    ///         break m;
    ///     }
    /// };
    /// println!("{event:?}");
    /// # Ok(()) }
    /// ```
    pub fn bind(&mut self, groups: Groups) -> Result<()> {
        self.bind_with(&BindOptions::new(groups))
    }

    /// Binds with options: groups, the async cache thread, resync after
    /// overruns, the receive buffer size. Binding again adds groups.
    pub fn bind_with(&mut self, opts: &BindOptions) -> Result<()> {
        if let Some(platform) = self.emulator() {
            // The emulators always run their source (a monitor thread on
            // the BSDs and in replays, callbacks on Windows) feeding the
            // socket's own queue: `async_cache` and `rcvbuf` have nothing
            // to change.
            self.sock
                .bind(opts.groups, opts.queue_capacity)
                .map_err(|e| match e.kind() {
                    io::ErrorKind::Unsupported => Error::Unsupported {
                        platform,
                        op: "bind".into(),
                    },
                    _ => Error::io("bind: start the notification source", e),
                })?;
            self.mon.groups |= opts.groups;
            self.mon.resync = opts.resync;
            return Ok(());
        }
        #[cfg(target_os = "linux")]
        {
            if let Some(bytes) = opts.rcvbuf {
                self.set_rcvbuf(bytes)?;
            }
            self.add_membership(&opts.groups.numbers())?;
            self.mon.groups |= opts.groups;
            self.mon.resync = opts.resync;
            if opts.async_cache && self.mon.cache.is_none() {
                self.start_cache(opts.queue_capacity)?;
            }
            Ok(())
        }
        #[cfg(not(target_os = "linux"))]
        Err(Error::Unsupported {
            platform: IpRoute::platform(),
            op: "bind".into(),
        })
    }

    /// The groups joined through `bind`.
    pub fn groups(&self) -> Groups {
        self.mon.groups
    }

    /// True when an async cache thread reads the socket.
    pub fn has_async_cache(&self) -> bool {
        self.mon.cached()
    }

    /// Sets the receive buffer (`SO_RCVBUFFORCE` when privileged, else
    /// `SO_RCVBUF`) and returns the size in force as the kernel reports it
    /// (its accounting counts twice the bytes asked for).
    #[cfg(target_os = "linux")]
    pub fn set_rcvbuf(&mut self, bytes: usize) -> Result<usize> {
        self.sock
            .set_rcvbuf(bytes)
            .map_err(|e| Error::io(format!("set the receive buffer to {bytes} bytes"), e))
    }

    #[cfg(target_os = "linux")]
    fn start_cache(&mut self, capacity: usize) -> Result<()> {
        // What is queued already belongs before anything the thread reads.
        self.drain_socket(usize::MAX)?;
        if self.overrun.take().is_some() {
            self.backlog.push_back(overrun_marker());
        }
        let sock = self
            .sock
            .try_clone()
            .map_err(|e| Error::io("start the monitor thread", e))?;
        let (monitor, replies) = netlink::spawn(sock, capacity, self.mon.spoofed.clone())
            .map_err(|e| Error::io("start the monitor thread", e))?;
        self.mon.cache = Some(Cache { monitor, replies });
        Ok(())
    }

    /// Closes the object; with an async cache, stops and joins its thread
    /// (as dropping does).
    pub fn close(self) {}

    /// How many messages are waiting that `try_recv()` returns without
    /// reading the socket: set aside by requests, queued by the cache
    /// thread, a resync dump, an owed overrun marker. Datagrams still in
    /// the socket are not counted: the fd reports those.
    pub fn pending(&self) -> usize {
        self.mon.front.len()
            + self.backlog.len()
            + usize::from(self.overrun.is_some())
            + self
                .mon
                .cache
                .as_ref()
                .map_or(0, |c| c.monitor.queue().len())
    }

    /// True when [`IpRoute::pending`] is not zero: call `recv()` or
    /// `try_recv()` before waiting on the fd.
    pub fn has_pending(&self) -> bool {
        self.pending() > 0
    }

    /// The next message like [`IpRoute::recv`], or `None` at once when
    /// nothing is waiting.
    pub fn try_recv(&mut self) -> Result<Option<Vec<u8>>> {
        self.next_message(false)
    }

    /// The next message parsed like [`IpRoute::get`], or `None` at once
    /// when nothing is waiting.
    pub fn try_get(&mut self) -> Result<Option<Vec<Message>>> {
        match self.try_recv()? {
            Some(b) => parse(&b).map(Some),
            None => Ok(None),
        }
    }

    /// `(queued, dropped because the queue was full)` for the async cache.
    pub fn cache_counts(&self) -> Option<(u64, u64)> {
        self.mon.cache.as_ref().map(|c| c.monitor.queue().counts())
    }

    /// Records an overrun met while reading the socket.
    pub(crate) fn note_overrun(&mut self, e: io::Error) {
        self.overrun = Some(e);
        self.mon.drained = false;
    }

    /// The core of `recv` and `try_recv`.
    pub(crate) fn next_message(&mut self, block: bool) -> Result<Option<Vec<u8>>> {
        loop {
            if let Some(b) = self.mon.front.pop_front() {
                return Ok(Some(b));
            }
            if let Some(b) = self.backlog.pop_front() {
                if is_overrun(&b) {
                    // An emulator's marker, placed where the loss was.
                    return self.overrun_event(b).map(Some);
                }
                return Ok(Some(b));
            }
            if self.mon.cache.is_some() {
                return self.next_cached(block);
            }
            if self.overrun.is_some() {
                // The messages queued before the loss come first.
                if !self.mon.drained {
                    self.mon.drained = true;
                    let budget = self.sock_rcvbuf();
                    self.drain_socket(budget)?;
                    continue;
                }
                self.overrun = None;
                self.mon.drained = false;
                return self.overrun_event(overrun_marker()).map(Some);
            }
            let r = if block {
                self.sock.recv(&mut self.rx).map(Some)
            } else {
                self.sock.try_recv(&mut self.rx)
            };
            match r {
                Ok(None) => return Ok(None),
                Ok(Some(r @ (Recv::Data | Recv::Multicast))) => {
                    self.stash_rx("receive", r == Recv::Multicast)?
                }
                Ok(Some(Recv::Spoofed(_))) => self.spoofed += 1,
                Ok(Some(Recv::Overrun)) => self.lost_here(),
                Err(e) if is_enobufs(&e) => self.note_overrun(e),
                Err(e) => return Err(Error::io("receive", e)),
            }
        }
    }

    fn next_cached(&mut self, block: bool) -> Result<Option<Vec<u8>>> {
        let queue = match &self.mon.cache {
            Some(c) => c.monitor.queue().clone(),
            None => return Ok(None),
        };
        match queue.pop(block) {
            Popped::Item(b) if is_overrun(&b) && self.mon.resync => {
                match self.resync_dump() {
                    Ok(snapshot) => queue.push_front_all(snapshot),
                    Err(e) => {
                        queue.push_front_all(vec![b]);
                        return Err(e);
                    }
                }
                Ok(Some(b))
            }
            Popped::Item(b) => Ok(Some(b)),
            Popped::Empty => Ok(None),
            Popped::Closed(e) => Err(Error::io("receive from the monitor thread", e)),
        }
    }

    /// An emulated socket reported lost notifications at this point of
    /// the stream: the marker takes its place in the backlog.
    pub(crate) fn lost_here(&mut self) {
        self.backlog.push_back(overrun_marker());
    }

    /// The overrun marker, after queuing the resync dump when asked for.
    fn overrun_event(&mut self, marker: Vec<u8>) -> Result<Vec<u8>> {
        if self.mon.resync {
            match self.resync_dump() {
                Ok(snapshot) => self.mon.front.extend(snapshot),
                Err(e) => {
                    self.mon.front.push_front(marker);
                    return Err(e);
                }
            }
        }
        Ok(marker)
    }

    /// The dump filters covering the bound groups.
    fn resync_filters(&self) -> Vec<Box<dyn DumpFilter>> {
        let g = self.mon.groups;
        let family = |v4: Groups, v6: Groups| -> Option<u8> {
            match (g.intersects(v4), g.intersects(v6)) {
                (true, true) => Some(0),
                (true, false) => Some(AF_INET),
                (false, true) => Some(AF_INET6),
                (false, false) => None,
            }
        };
        let mut f: Vec<Box<dyn DumpFilter>> = Vec::new();
        if g.intersects(Groups::LINK) {
            f.push(Box::new(LinkFilter::default()));
        }
        if let Some(family) = family(Groups::IPV4_ADDR, Groups::IPV6_ADDR) {
            f.push(Box::new(AddrFilter {
                family,
                ..Default::default()
            }));
        }
        if let Some(family) = family(Groups::IPV4_ROUTE, Groups::IPV6_ROUTE) {
            f.push(Box::new(RouteFilter {
                family,
                ..Default::default()
            }));
        }
        if g.intersects(Groups::NEIGH) {
            f.push(Box::new(NeighFilter::default()));
            f.push(Box::new(NeighFilter {
                proxy: true,
                ..Default::default()
            }));
        }
        if let Some(family) = family(Groups::IPV4_RULE, Groups::IPV6_RULE) {
            f.push(Box::new(RuleFilter {
                family,
                ..Default::default()
            }));
        }
        f
    }

    /// Dumps every bound family (retrying interrupted dumps) and returns
    /// the messages, ending with one NLMSG_DONE. Notifications met
    /// meanwhile stay queued after it.
    fn resync_dump(&mut self) -> Result<Vec<Vec<u8>>> {
        const ATTEMPTS: u32 = 5;
        // A dump asked for while the receive buffer is full starts with an
        // ENOBUFS error but goes on as the buffer empties.
        const FULL_ATTEMPTS: u32 = 200;
        let mut out = Vec::new();
        let mut seq = 0;
        for filter in self.resync_filters() {
            let mut done = false;
            let mut interruptions = 0;
            let mut continued = false;
            let mut out_partial = Vec::new();
            for _ in 0..FULL_ATTEMPTS {
                let mut msgs = Vec::new();
                let mut interrupted = false;
                let mut full = false;
                let mut dump = if continued {
                    // The kernel refused to *start* with ENOBUFS but keeps
                    // the dump running: the rest comes with the same seq.
                    let seq = self.seq;
                    crate::dump::Dump::new(self, filter.as_ref(), seq)
                } else {
                    self.stream(filter.as_ref())?
                };
                continued = false;
                while let Some(m) = dump.next_msg() {
                    match m {
                        Ok(m) => {
                            seq = m.header.seq;
                            msgs.push(m.bytes.to_vec());
                        }
                        Err(Error::DumpInterrupted { .. }) => interrupted = true,
                        Err(e) if e.errno() == Some(crate::errno::ENOBUFS) => full = true,
                        Err(e) => return Err(e),
                    }
                }
                drop(dump);
                if full {
                    out_partial.extend(msgs);
                    continued = true;
                    continue;
                }
                let msgs = std::mem::take(&mut out_partial).into_iter().chain(msgs);
                if interrupted {
                    drop(msgs);
                    interruptions += 1;
                    if interruptions == ATTEMPTS {
                        break;
                    }
                    continue;
                }
                out.extend(msgs);
                done = true;
                break;
            }
            if !done {
                return Err(Error::DumpInterrupted {
                    op: format!("resync: {}", filter.describe()),
                    attempts: ATTEMPTS,
                });
            }
        }
        let mut end = Vec::with_capacity(20);
        NlHeader {
            len: 20,
            kind: NLMSG_DONE,
            flags: NLM_F_MULTI,
            seq,
            pid: self.port_id(),
        }
        .emit(&mut end);
        end.extend_from_slice(&0i32.to_ne_bytes());
        out.push(end);
        Ok(out)
    }

    #[cfg(target_os = "linux")]
    fn sock_rcvbuf(&self) -> usize {
        self.sock.rcvbuf().unwrap_or(usize::MAX).max(1)
    }

    #[cfg(not(target_os = "linux"))]
    fn sock_rcvbuf(&self) -> usize {
        usize::MAX
    }

    /// Moves up to `budget` bytes of queued datagrams to the backlog
    /// without blocking. An overrun met on the way restarts the budget.
    fn drain_socket(&mut self, budget: usize) -> Result<()> {
        let mut left = budget;
        while left > 0 {
            match self.sock.try_recv(&mut self.rx) {
                Ok(None) => break,
                Ok(Some(r @ (Recv::Data | Recv::Multicast))) => {
                    left = left.saturating_sub(self.rx.len().max(1));
                    self.stash_rx("receive", r == Recv::Multicast)?;
                }
                Ok(Some(Recv::Spoofed(_))) => self.spoofed += 1,
                Ok(Some(Recv::Overrun)) => self.lost_here(),
                Err(e) if is_enobufs(&e) => {
                    self.overrun = Some(e);
                    left = self.sock_rcvbuf();
                }
                Err(e) => return Err(Error::io("receive", e)),
            }
        }
        Ok(())
    }

    /// With the async cache: the next reply datagram for a waiting request.
    pub(crate) fn cached_reply(&mut self, op: &str) -> Result<()> {
        let Some(cache) = &self.mon.cache else {
            return Err(Error::io(op, io::Error::other("no async cache")));
        };
        match cache.replies.recv() {
            Ok(d) => {
                self.rx = d;
                Ok(())
            }
            Err(_) => Err(Error::io(
                format!("{op}: receive"),
                io::Error::other("the monitor thread has stopped"),
            )),
        }
    }
}

/// Parses the bytes `recv()` returned.
pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<Message>> {
    Message::parse_all(bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| Error::Decode {
            op: "receive".into(),
            source,
        })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use rtnl_wire::rtm::RTM_NEWLINK;

    /// A namespace deleted on drop.
    struct Ns(String);
    impl Drop for Ns {
        fn drop(&mut self) {
            let _ = crate::netns::del(&self.0);
        }
    }

    /// What an emulated socket's `Recv::Overrun` does (`lost_here`),
    /// driven on a real socket: the marker comes at its place in the
    /// stream, then the resync dump ending with NLMSG_DONE, then what
    /// followed the loss.
    #[test]
    fn a_loss_reported_in_place_is_a_marker_then_a_resync() {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: needs root");
            return;
        }
        let ns = Ns(format!("rtnl-unit-lost-{}", std::process::id()));
        crate::netns::add(&ns.0).unwrap();
        let mut ipr = IpRoute::in_netns(&crate::NetnsRef::Name(ns.0.clone())).unwrap();
        ipr.bind_with(&BindOptions::new(Groups::LINK).resync(true))
            .unwrap();
        ipr.backlog.push_back(b"before".to_vec());
        ipr.lost_here();
        ipr.backlog.push_back(b"after".to_vec());
        assert_eq!(ipr.try_recv().unwrap().unwrap(), b"before");
        assert!(is_overrun(&ipr.try_recv().unwrap().unwrap()));
        let mut kinds = Vec::new();
        loop {
            let b = ipr.try_recv().unwrap().expect("the resync dump");
            let h = NlHeader::parse(&b).unwrap();
            kinds.push(h.kind);
            if h.kind == NLMSG_DONE {
                break;
            }
        }
        assert!(kinds.contains(&RTM_NEWLINK), "{kinds:?}");
        assert_eq!(ipr.try_recv().unwrap().unwrap(), b"after");
        assert!(ipr.try_recv().unwrap().is_none());
    }
}
