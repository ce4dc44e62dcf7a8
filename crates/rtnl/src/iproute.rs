//! `IpRoute`: the one implementation of the RTNL API above the platform
//! transports. Requests go down as RTNL bytes; replies and notifications come
//! up as RTNL bytes.

use std::collections::VecDeque;

use rtnl_wire::family::link::IfInfoMsg;
use rtnl_wire::message::Message;
use rtnl_wire::netlink::{
    MessageWriter, Messages, NlMsg, NLMSG_ERROR, NLM_F_ACK, NLM_F_DUMP, NLM_F_ECHO, NLM_F_REQUEST,
};
use rtnl_wire::rtm::{Family, RTM_GETLINK};

use crate::dump::Dump;
use crate::error::{Error, Result};
use crate::filter::{AddrFilter, DumpFilter, LinkFilter, NeighFilter, RouteFilter, RuleFilter};
use crate::monitor::is_enobufs;
use crate::sys::{self, Recv};

/// How many times a collected dump is retried when the kernel flags it as
/// interrupted by concurrent changes.
const DUMP_ATTEMPTS: u32 = 5;

/// An RTNL socket: requests, dumps and (once bound) notifications.
///
/// One `IpRoute` is one socket with its own sequence numbers. It is `Send`
/// but not `Sync`: methods take `&mut self`, so replies can never go to the
/// wrong caller. Open one per thread, or put it behind a `Mutex`.
///
/// The compiler refuses to share one between threads without a lock:
///
/// ```compile_fail
/// fn shared<T: Sync>(_: &T) {}
/// let ipr = rtnl::IpRoute::new().unwrap();
/// shared(&ipr); // error: `IpRoute` is not `Sync`
/// ```
///
/// while moving it to another thread, or sharing it in a `Mutex`, works:
///
/// ```
/// fn sendable<T: Send>() {}
/// fn shared<T: Sync>() {}
/// sendable::<rtnl::IpRoute>();
/// shared::<std::sync::Mutex<rtnl::IpRoute>>();
/// ```
pub struct IpRoute {
    pub(crate) sock: sys::Socket,
    pub(crate) seq: u32,
    /// The datagram being read.
    pub(crate) rx: Vec<u8>,
    /// Messages that arrived while a reply was awaited and belong to no
    /// request (notifications), oldest first; `recv()` hands them out.
    pub(crate) backlog: VecDeque<Vec<u8>>,
    pub(crate) spoofed: u64,
    /// An overrun (ENOBUFS: notifications were lost) met while a request
    /// waited for its answer; `recv()` reports it after the backlog.
    pub(crate) overrun: Option<std::io::Error>,
    /// Monitoring: bound groups, resync, the async cache (`monitor/`).
    pub(crate) mon: crate::monitor::State,
}

impl std::fmt::Debug for IpRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IpRoute")
            .field("port_id", &self.port_id())
            .field("seq", &self.seq)
            .finish()
    }
}

impl IpRoute {
    /// Opens an RTNL socket in the current network namespace.
    /// ```
    /// # fn main() -> rtnl::Result<()> {
    /// let mut ipr = rtnl::IpRoute::new()?;
    /// println!("{} socket, port id {}", rtnl::IpRoute::platform(), ipr.port_id());
    /// let lo = ipr.link_index("lo")?;
    /// assert!(lo > 0);
    /// # Ok(()) }
    /// ```
    pub fn new() -> Result<IpRoute> {
        let sock = sys::Socket::open().map_err(|e| Error::io("open RTNL socket", e))?;
        Ok(Self::with_socket(sock))
    }

    /// Opens an RTNL socket inside another network namespace, without
    /// moving the calling thread there.
    #[cfg(target_os = "linux")]
    pub fn in_netns(ns: &crate::NetnsRef) -> Result<IpRoute> {
        let sock = sys::linux::open_in_netns(ns).map_err(|e| {
            Error::io(
                format!("open RTNL socket in namespace {}", ns.path().display()),
                e,
            )
        })?;
        Ok(Self::with_socket(sys::Socket::Netlink(sock)))
    }

    pub(crate) fn with_socket(sock: sys::Socket) -> IpRoute {
        IpRoute {
            sock,
            seq: 0,
            rx: Vec::with_capacity(64 * 1024),
            backlog: VecDeque::new(),
            spoofed: 0,
            overrun: None,
            mon: Default::default(),
        }
    }

    /// The platform this build's backend is for (`linux`, `freebsd`,
    /// `windows` ...). An object can be answered by an emulator of another
    /// one ([`IpRoute::replay`]): [`IpRoute::emulator`] says which.
    pub fn platform() -> &'static str {
        sys::Socket::platform()
    }

    /// The socket's port id.
    pub fn port_id(&self) -> u32 {
        self.sock.port_id()
    }

    /// How many datagrams from senders other than the kernel were dropped.
    pub fn spoofed_dropped(&self) -> u64 {
        self.spoofed + self.mon.spoofed()
    }

    pub(crate) fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1).max(1);
        self.seq
    }

    /// Reads one datagram from the kernel into `rx`, skipping spoofed ones.
    pub(crate) fn recv_datagram(&mut self, ctx: &dyn DumpFilter) -> Result<()> {
        self.recv_into_rx(&ctx.describe())
    }

    /// Reads one datagram for a request or dump that waits for its answer.
    /// An overrun is remembered for `recv()` rather than failing the
    /// request: it means notifications were lost, while the answer (queued
    /// by the kernel when the request was sent, or produced as it is read)
    /// is still to come.
    pub(crate) fn recv_into_rx(&mut self, op: &str) -> Result<()> {
        if self.mon.cached() {
            // The async cache thread reads the socket and hands replies over.
            return self.cached_reply(op);
        }
        loop {
            match self.sock.recv(&mut self.rx) {
                Ok(Recv::Data) => return Ok(()),
                // A notification, even of our own change: not the answer.
                Ok(Recv::Multicast) => self.stash_rx(op, true)?,
                Ok(Recv::Spoofed(_)) => self.spoofed += 1,
                Ok(Recv::Overrun) => self.lost_here(),
                Err(e) if is_enobufs(&e) => self.note_overrun(e),
                Err(e) => return Err(Error::io(format!("{op}: receive"), e)),
            }
        }
    }

    /// Moves every datagram already queued on the socket to the backlog
    /// before a request is sent. The kernel answers a request while it is
    /// being sent and drops an answer that does not fit in the receive
    /// buffer, so a bound socket whose buffer is full of unread
    /// notifications would wait forever for its reply.
    pub(crate) fn make_room(&mut self, op: &str) -> Result<()> {
        if self.mon.cached() {
            // The async cache thread keeps the socket drained.
            return Ok(());
        }
        loop {
            match self.sock.try_recv(&mut self.rx) {
                Ok(None) => return Ok(()),
                Ok(Some(r @ (Recv::Data | Recv::Multicast))) => {
                    self.stash_rx(op, r == Recv::Multicast)?
                }
                Ok(Some(Recv::Spoofed(_))) => self.spoofed += 1,
                Ok(Some(Recv::Overrun)) => self.lost_here(),
                Err(e) if is_enobufs(&e) => self.note_overrun(e),
                Err(e) => return Err(Error::io(format!("{op}: receive"), e)),
            }
        }
    }

    /// Sets each message of the datagram in `rx` aside for `recv()` (see
    /// [`IpRoute::set_aside`]).
    pub(crate) fn stash_rx(&mut self, op: &str, multicast: bool) -> Result<()> {
        let rx = std::mem::take(&mut self.rx);
        for m in Messages::new(&rx) {
            let m = match m {
                Ok(m) => m,
                Err(source) => {
                    self.rx = rx;
                    return Err(Error::Decode {
                        op: op.to_string(),
                        source,
                    });
                }
            };
            self.set_aside(m.bytes, m.header.pid, multicast);
        }
        self.rx = rx;
        Ok(())
    }

    /// Keeps a message met while waiting for something else for `recv()`,
    /// unless it is a leftover answer: a unicast message with our port id
    /// that no request waits for any more (one abandoned half-way by an
    /// I/O error, or a `Dump` that was forgotten), which is not a
    /// notification and is dropped. (The notifications of our own changes
    /// carry our port id too, but come by multicast.)
    pub(crate) fn set_aside(&mut self, bytes: &[u8], pid: u32, multicast: bool) {
        if multicast || pid != self.port_id() {
            self.backlog.push_back(bytes.to_vec());
        }
    }

    /// Turns an NLMSG_ERROR into `Some(error)`, or `None` for an ack.
    pub(crate) fn kernel_error(&self, msg: &NlMsg<'_>, op: &str) -> Option<Error> {
        match msg.error()? {
            Err(source) => Some(Error::Decode {
                op: op.to_string(),
                source,
            }),
            Ok(e) => Error::from_status(op, e, self.emulator()),
        }
    }

    /// The platform whose emulator answers this object (`freebsd`,
    /// `windows` ...; a replay's flavour), or `None` when the kernel does.
    pub fn emulator(&self) -> Option<&'static str> {
        self.sock.emulator()
    }

    /// Starts a dump with `filter` and returns it as a stream.
    ///
    /// ```
    /// # fn main() -> rtnl::Result<()> {
    /// use rtnl::{IpRoute, RouteFilter};
    /// let mut ipr = IpRoute::new()?;
    /// let filter = RouteFilter { family: libc::AF_INET as u8, ..Default::default() };
    /// let mut dump = ipr.stream(&filter)?;
    /// let mut n = 0;
    /// while let Some(route) = dump.next_view::<rtnl_wire::family::route::RtMsg>() {
    ///     let route = route?;
    ///     if route.gateway().is_some() { n += 1; }
    /// }
    /// println!("{n} routes via a gateway");
    /// # Ok(()) }
    /// ```
    pub fn stream<'a>(&'a mut self, filter: &'a dyn DumpFilter) -> Result<Dump<'a>> {
        let seq = self.next_seq();
        let mut w = MessageWriter::new();
        let m = w.begin_message(
            filter.family().get_type(),
            NLM_F_REQUEST | NLM_F_DUMP,
            seq,
            self.port_id(),
        );
        filter.write_request(&mut w);
        w.end_message(m);
        self.make_room(&filter.describe())?;
        self.sock
            .send(w.as_bytes())
            .map_err(|e| Error::io(format!("{}: send", filter.describe()), e))?;
        Ok(Dump::new(self, filter, seq))
    }

    /// Runs a dump and collects owned messages, retrying when the kernel
    /// flags it as interrupted.
    pub fn dump_filtered(&mut self, filter: &dyn DumpFilter) -> Result<Vec<Message>> {
        self.dump_filtered_where(filter, |_| true)
    }

    /// [`IpRoute::dump_filtered`] keeping only the messages `keep`
    /// accepts: memory grows with what is kept, not with the table (a
    /// flush of a few routes out of a full table).
    pub(crate) fn dump_filtered_where(
        &mut self,
        filter: &dyn DumpFilter,
        mut keep: impl FnMut(&Message) -> bool,
    ) -> Result<Vec<Message>> {
        for _ in 0..DUMP_ATTEMPTS {
            let mut out = Vec::new();
            let mut dump = self.stream(filter)?;
            let mut interrupted = false;
            while let Some(m) = dump.next_msg() {
                match m {
                    Ok(m) => {
                        let m = Message::parse(&m).map_err(|source| Error::Decode {
                            op: filter.describe(),
                            source,
                        })?;
                        if keep(&m) {
                            out.push(m);
                        }
                    }
                    Err(Error::DumpInterrupted { .. }) => interrupted = true,
                    Err(e) => return Err(e),
                }
            }
            if !interrupted {
                return Ok(out);
            }
        }
        Err(Error::DumpInterrupted {
            op: filter.describe(),
            attempts: DUMP_ATTEMPTS,
        })
    }

    /// Links, optionally filtered (`ip link show`).
    /// ```
    /// # fn main() -> rtnl::Result<()> {
    /// use rtnl::{IpRoute, LinkFilter};
    /// let mut ipr = IpRoute::new()?;
    /// for link in ipr.get_links(&LinkFilter::default())? {
    ///     let name = link.get_attr("IFLA_IFNAME").and_then(|v| v.as_str());
    ///     let mtu = link.get_attr("IFLA_MTU").and_then(|v| v.as_u32());
    ///     println!("{name:?} mtu {mtu:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get_links(&mut self, filter: &LinkFilter) -> Result<Vec<Message>> {
        self.dump_filtered(filter)
    }

    /// One link by index (`ip link show dev ...` by index).
    pub fn get_link(&mut self, index: u32) -> Result<Message> {
        self.get_link_by(index, None)
    }

    /// One link by name (or alternative name).
    pub fn get_link_by_name(&mut self, name: &str) -> Result<Message> {
        self.get_link_by(0, Some(name))
    }

    fn get_link_by(&mut self, index: u32, name: Option<&str>) -> Result<Message> {
        let mut req = Message::new(
            RTM_GETLINK,
            NLM_F_REQUEST | NLM_F_ACK,
            rtnl_wire::Fixed::Link(IfInfoMsg {
                index: index as i32,
                ..Default::default()
            }),
        );
        if let Some(n) = name {
            req.push_attr("IFLA_IFNAME", rtnl_wire::Value::Str(n.to_string()));
        }
        let op = match name {
            Some(n) => format!("get link {n:?}"),
            None => format!("get link {index}"),
        };
        let replies = self.request(&mut req, &op)?;
        replies
            .into_iter()
            .find(|m| m.family() == Some(Family::Link))
            .ok_or_else(|| Error::NotFound {
                what: "link",
                name: name.map(str::to_string).unwrap_or(index.to_string()),
            })
    }

    /// The index of the link named `name`, or `None` if there is none
    /// (pyroute2's `link_lookup(ifname=...)`).
    pub fn link_lookup(&mut self, name: &str) -> Result<Option<u32>> {
        match self.get_link_by_name(name) {
            Ok(m) => Ok(match m.fixed {
                rtnl_wire::Fixed::Link(h) => Some(h.index as u32),
                _ => None,
            }),
            Err(Error::Kernel(k)) if k.errno == 19 => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Addresses (`ip addr show`).
    pub fn get_addr(&mut self, filter: &AddrFilter) -> Result<Vec<Message>> {
        self.dump_filtered(filter)
    }

    /// Routes (`ip route show`).
    pub fn get_routes(&mut self, filter: &RouteFilter) -> Result<Vec<Message>> {
        self.dump_filtered(filter)
    }

    /// Neighbours (`ip neigh show`).
    pub fn get_neighbours(&mut self, filter: &NeighFilter) -> Result<Vec<Message>> {
        self.dump_filtered(filter)
    }

    /// Policy rules (`ip rule show`).
    pub fn get_rules(&mut self, filter: &RuleFilter) -> Result<Vec<Message>> {
        self.dump_filtered(filter)
    }

    /// Everything: links, addresses, routes of every table and family,
    /// neighbours and rules. A family the platform cannot dump (rules on
    /// the BSDs and Windows) is left out rather than failing the whole.
    pub fn dump(&mut self) -> Result<Vec<Message>> {
        let mut out = Vec::new();
        self.each_family(|ipr, f| {
            out.extend(ipr.dump_filtered(f)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Writes the RTNL bytes of a full dump (every object message, as
    /// received) to `out`; families the platform cannot dump are left out,
    /// as in [`IpRoute::dump`].
    pub fn dump_raw(&mut self, out: &mut dyn std::io::Write) -> Result<()> {
        self.each_family(|ipr, f| {
            let mut dump = ipr.stream(f)?;
            while let Some(m) = dump.next_msg() {
                out.write_all(m?.bytes)
                    .map_err(|e| Error::io("write dump", e))?;
            }
            Ok(())
        })
    }

    /// Runs `each` with the unfiltered dump of every family, in `ip`'s
    /// order, skipping the families the platform reports as unsupported.
    fn each_family(
        &mut self,
        mut each: impl FnMut(&mut Self, &dyn DumpFilter) -> Result<()>,
    ) -> Result<()> {
        let (links, addrs, routes, neigh, rules) = (
            LinkFilter::default(),
            AddrFilter::default(),
            RouteFilter::default(),
            NeighFilter::default(),
            RuleFilter::default(),
        );
        let filters: [&dyn DumpFilter; 5] = [&links, &addrs, &routes, &neigh, &rules];
        for f in filters {
            match each(self, f) {
                Ok(()) | Err(Error::Unsupported { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Sends `msg` as a request with NLM_F_ACK and collects the messages
    /// answering it, up to the ack. `op` names the request in errors.
    pub fn request(&mut self, msg: &mut Message, op: &str) -> Result<Vec<Message>> {
        let seq = self.next_seq();
        msg.header.seq = seq;
        msg.header.pid = self.port_id();
        msg.header.flags |= NLM_F_REQUEST | NLM_F_ACK;
        self.make_room(op)?;
        self.sock
            .send(&msg.to_bytes())
            .map_err(|e| Error::io(format!("{op}: send"), e))?;
        let data = answered_with_data(msg.header.kind, msg.header.flags);
        let mut out = Vec::new();
        loop {
            self.recv_into_rx(op)?;
            let rx = std::mem::take(&mut self.rx);
            let mut done = None;
            for m in Messages::new(&rx) {
                let m = m.map_err(|source| Error::Decode {
                    op: op.to_string(),
                    source,
                })?;
                if m.header.seq != seq || m.header.pid != self.port_id() {
                    self.set_aside(m.bytes, m.header.pid, false);
                    continue;
                }
                if m.header.kind != NLMSG_ERROR && !data {
                    // The notification of this very change (see
                    // `answered_with_data`), should it come unicast.
                    self.backlog.push_back(m.bytes.to_vec());
                    continue;
                }
                if m.header.kind == NLMSG_ERROR {
                    done = Some(self.kernel_error(&m, op));
                    break;
                }
                out.push(Message::parse(&m).map_err(|source| Error::Decode {
                    op: op.to_string(),
                    source,
                })?);
            }
            self.rx = rx;
            match done {
                Some(None) => return Ok(out),
                Some(Some(e)) => return Err(e),
                None => {}
            }
        }
    }

    /// The next RTNL message bytes that belong to no request: notifications
    /// once bound, or anything left in the backlog. Blocks until one arrives.
    /// Each call returns the bytes of one message.
    ///
    /// When notifications were lost (the socket's receive buffer or the
    /// async cache's queue overflowed), the stream holds an overrun marker
    /// at that place: a bare `NLMSG_OVERRUN` header
    /// ([`monitor::is_overrun`](crate::monitor::is_overrun)), followed by a
    /// fresh dump when bound with resync. See [`crate::monitor`].
    pub fn recv(&mut self) -> Result<Vec<u8>> {
        loop {
            if let Some(b) = self.next_message(true)? {
                return Ok(b);
            }
        }
    }

    /// The next messages, parsed (pyroute2's `get()`).
    pub fn get(&mut self) -> Result<Vec<Message>> {
        let bytes = self.recv()?;
        Message::parse_all(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| Error::Decode {
                op: "receive".into(),
                source,
            })
    }

    /// Joins RTNL multicast groups (`RTNLGRP_*` numbers) so that `recv()`
    /// and `get()` return notifications.
    #[cfg(target_os = "linux")]
    pub fn add_membership(&mut self, groups: &[u32]) -> Result<()> {
        for &g in groups {
            self.sock
                .add_membership(g)
                .map_err(|e| Error::io(format!("join multicast group {g}"), e))?;
        }
        Ok(())
    }
}

/// The socket's descriptor, for poll/epoll/select. On the BSDs and macOS:
/// the emulator's reply queue, readable while a reply waits.
#[cfg(any(target_os = "linux", bsd,))]
impl std::os::fd::AsRawFd for IpRoute {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        // With the async cache: the queue's eventfd.
        self.mon.fd().unwrap_or_else(|| self.sock.as_raw_fd())
    }
}

/// True when a request of this type and flags is answered with objects
/// before its ack: an `RTM_GET*` request (`RTM_BASE + 4n + 2`), or any
/// request with `NLM_F_ECHO`. A change without `NLM_F_ECHO` is answered by
/// its ack alone, and a message before the ack that carries its sequence
/// number and our port id is the notification of that change: the kernel
/// stamps notifications with the requester's port id and sequence number
/// and multicasts them to every member of the group, this socket included
/// when it is bound. It belongs to the notification stream, not to the
/// reply. (With `NLM_F_ECHO` the kernel sends that copy to the requester
/// as the reply and leaves it out of the multicast.)
pub(crate) fn answered_with_data(kind: u16, flags: u16) -> bool {
    (kind >= 16 && kind % 4 == 2) || flags & NLM_F_ECHO != 0
}

/// Returns the name of link `index` from a set of link messages.
pub fn link_name(links: &[Message], index: u32) -> Option<&str> {
    links.iter().find_map(|m| match &m.fixed {
        rtnl_wire::Fixed::Link(h) if h.index as u32 == index => {
            rtnl_wire::attr::find(&m.attrs, "IFLA_IFNAME").and_then(|a| a.value.as_str())
        }
        _ => None,
    })
}
