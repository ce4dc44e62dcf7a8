//! The Windows backend: RTNL answered from iphlpapi.
//!
//! Each request that needs the system's state (`send`) takes a fresh
//! snapshot: `GetAdaptersAddresses(AF_UNSPEC)` always (routes and
//! neighbours are classified against the addresses), `GetIpForwardTable2`
//! for route requests and `GetIpNetTable2` for neighbour requests, each per
//! family (a family whose table the system does not provide, as IPv6
//! neighbours under Wine 8, counts as empty). They are copied into `rtnl_winsnap`'s plain types
//! (`iphlp.rs`, the only `unsafe` code), translated into RTNL by
//! `rtnl_winsnap` (pure, tested on Linux), and the request is answered by
//! `rtnl_wire::emulate` with the bytes Linux would send. Setters and other
//! requests get emulate's `EOPNOTSUPP` with an extended-ack text naming the
//! message type, which `IpRoute` turns into an error naming the operation.
//!
//! Replies are queued by `send` itself, before it returns, so there is
//! nothing to wait for and no handle to poll: `try_recv` empties the queue,
//! and `recv` on an empty queue fails at once with `WouldBlock` (nothing
//! else can arrive until notifications are wired in).

mod iphlp;

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicU32, Ordering};

use rtnl_wire::netlink::Messages;
use rtnl_wire::rtm::Family;

use crate::sys::Recv;

/// Sockets opened so far by this process (for distinct port ids).
static OPENED: AtomicU32 = AtomicU32::new(0);

/// An emulated RTNL socket answering from iphlpapi.
#[derive(Debug)]
pub struct Socket {
    port_id: u32,
    replies: VecDeque<Vec<u8>>,
}

impl Socket {
    /// The platform name used in messages.
    pub fn platform() -> &'static str {
        "windows"
    }

    /// Opens an emulated socket: nothing is read until a request is sent.
    pub fn open() -> io::Result<Socket> {
        let nth = OPENED.fetch_add(1, Ordering::Relaxed);
        // Like Linux's autobind: the process id for the first socket, then
        // distinct non-zero numbers.
        let pid = std::process::id();
        let port_id = match nth {
            0 => pid,
            n => pid ^ (n.wrapping_mul(0x9e37_79b9) | 0x8000_0000),
        }
        .max(1);
        Ok(Socket {
            port_id,
            replies: VecDeque::new(),
        })
    }

    /// The socket's port id: non-zero, distinct per socket.
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// Answers request bytes (one or more messages) and queues the reply
    /// datagrams. The system is read only when a request is a dump or a
    /// get; a setter is refused without reading anything.
    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let wants = |f: Family| gets(bytes, f);
        let snapshot = if [Family::Link, Family::Addr, Family::Route, Family::Neigh]
            .into_iter()
            .any(wants)
        {
            iphlp::snapshot(wants(Family::Route), wants(Family::Neigh))?.to_rtnl()
        } else {
            Vec::new()
        };
        let out = rtnl_wire::emulate::emulate(Self::platform(), bytes, &snapshot);
        self.replies.extend(out);
        Ok(())
    }

    /// The next reply datagram. Nothing else can arrive on this socket, so
    /// with nothing queued this fails at once instead of waiting forever.
    pub fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        match self.try_recv(buf)? {
            Some(r) => Ok(r),
            None => Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                "nothing to receive: the windows emulator only answers requests",
            )),
        }
    }

    /// The next reply datagram, or `None` when none is queued.
    pub fn try_recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Recv>> {
        Ok(self.replies.pop_front().map(|d| {
            *buf = d;
            Recv::Data
        }))
    }
}

/// Whether any message of the request reads objects of `family` (its
/// `RTM_GET*`).
fn gets(bytes: &[u8], family: Family) -> bool {
    Messages::new(bytes)
        .flatten()
        .any(|m| m.header.kind == family.get_type())
}
