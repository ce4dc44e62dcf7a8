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
//! Replies and notifications share the socket's queue (`sys::emulated`):
//! `send` queues the replies before it returns; `bind` registers
//! `NotifyIpInterfaceChange`, `NotifyUnicastIpAddressChange` and
//! `NotifyRouteChange2` (`notify.rs`), whose callbacks, on the system's
//! threads, translate each row and queue the RTNL notification. The
//! queue's event handle (`AsRawHandle`) is signalled exactly while
//! something waits. Unbound, `recv` on an empty queue fails at once with
//! `WouldBlock`; bound, it waits for the next notification.

mod iphlp;
mod notify;

use std::io;
use std::os::windows::io::{AsRawHandle, RawHandle};

use rtnl_wire::netlink::Messages;
use rtnl_wire::rtm::Family;

use crate::sys::emulated::{Emulated, Source};
use crate::sys::Recv;
use crate::Groups;

/// An emulated RTNL socket answering from iphlpapi.
#[derive(Debug)]
pub struct Socket {
    emu: Emulated,
}

impl Socket {
    /// The platform name used in messages.
    pub fn platform() -> &'static str {
        "windows"
    }

    /// Opens an emulated socket: nothing is read until a request is sent.
    pub fn open() -> io::Result<Socket> {
        Ok(Socket {
            emu: Emulated::open(Self::platform())?,
        })
    }

    /// The platform this socket emulates.
    pub fn emulator(&self) -> Option<&'static str> {
        Some(Self::platform())
    }

    /// The socket's port id: non-zero, distinct per socket.
    pub fn port_id(&self) -> u32 {
        self.emu.port_id()
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
        self.emu.answer(rtnl_wire::emulate::emulate(
            Self::platform(),
            bytes,
            &snapshot,
        ));
        Ok(())
    }

    /// Registers the change notifications for `groups` (once; a later
    /// call widens the groups).
    pub fn bind(&mut self, groups: Groups, capacity: usize) -> io::Result<()> {
        self.emu.bind(groups, capacity, |queue, groups| {
            Ok(Box::new(notify::Registrations::register(queue, groups)?) as Source)
        })
    }

    /// The next datagram: a queued reply or, once bound, the next
    /// notification (waiting for it).
    pub fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        self.emu.recv(buf)
    }

    /// The next datagram, or `None` when none is queued.
    pub fn try_recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Recv>> {
        self.emu.try_recv(buf)
    }

    /// The queue's readiness event: signalled exactly while a datagram
    /// waits.
    pub fn as_raw_handle(&self) -> RawHandle {
        self.emu.handle()
    }
}

/// The socket's readiness event, for `WaitForSingleObject` /
/// `WaitForMultipleObjects` (and event loops built on them): a
/// manual-reset event signalled exactly while a reply or notification
/// waits in the emulator's queue. The contract is the fd's on Unix (see
/// [`crate::monitor`]): wait on it only when
/// [`IpRoute::has_pending`](crate::IpRoute::has_pending) is false, then
/// call `try_recv` until it returns `None`. The handle belongs to the
/// object: do not close it.
impl AsRawHandle for crate::IpRoute {
    fn as_raw_handle(&self) -> RawHandle {
        self.sock.as_raw_handle()
    }
}

/// Whether any message of the request reads objects of `family` (its
/// `RTM_GET*`).
fn gets(bytes: &[u8], family: Family) -> bool {
    Messages::new(bytes)
        .flatten()
        .any(|m| m.header.kind == family.get_type())
}
