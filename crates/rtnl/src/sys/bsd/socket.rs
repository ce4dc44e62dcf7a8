//! The emulated RTNL socket of the BSDs and macOS: requests are answered
//! from routing dumps translated into RTNL, and once bound a monitor thread
//! translates routing-socket messages into notifications; both wait in one
//! queue whose descriptor poll/select can watch.
//!
//! Where the dumps and the routing socket come from is given at opening:
//! the host's sysctl and PF_ROUTE (`Socket::open` on the BSDs), or a
//! replayed capture (`crate::replay`), on any Unix.

use std::fmt;
use std::io;
use std::os::fd::{AsRawFd, RawFd};

use rtnl_pfroute::Flavor;

use super::answer::{answer, Dumper};
use super::events::{self, EventSource, RouteIo};
use crate::sys::emulated::{Emulated, Source};
use crate::sys::Recv;
use crate::Groups;

/// Opens the routing socket a bound emulator reads.
pub(crate) type OpenEvents = Box<dyn FnMut() -> io::Result<Box<dyn RouteIo>> + Send>;

/// An emulated RTNL socket.
pub struct Socket {
    flavor: Flavor,
    platform: &'static str,
    dumper: Box<dyn Dumper + Send>,
    open_events: OpenEvents,
    emu: Emulated,
}

impl fmt::Debug for Socket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket")
            .field("flavor", &self.flavor)
            .field("platform", &self.platform)
            .field("emu", &self.emu)
            .finish_non_exhaustive()
    }
}

impl Socket {
    /// The platform name used in messages (`freebsd`, `openbsd`, `netbsd`,
    /// `macos`, `ios`).
    #[cfg(bsd)]
    pub fn platform() -> &'static str {
        std::env::consts::OS
    }

    /// Opens an emulated socket on the host's sysctl and PF_ROUTE: nothing
    /// is read until a request is sent.
    #[cfg(bsd)]
    pub fn open() -> io::Result<Socket> {
        use super::route_socket::RoutingSocket;
        use super::sysctl::Sysctl;
        let flavor = Flavor::host().ok_or_else(|| {
            io::Error::new(io::ErrorKind::Unsupported, "not a BSD routing-socket host")
        })?;
        Socket::with(
            flavor,
            Self::platform(),
            Box::new(Sysctl),
            Box::new(move || Ok(Box::new(RoutingSocket::open(flavor)?) as Box<dyn RouteIo>)),
        )
    }

    /// An emulator of `flavor` (named `platform` in errors) over `dumper`,
    /// whose `bind` reads the routing socket `open_events` gives.
    pub(crate) fn with(
        flavor: Flavor,
        platform: &'static str,
        dumper: Box<dyn Dumper + Send>,
        open_events: OpenEvents,
    ) -> io::Result<Socket> {
        Ok(Socket {
            flavor,
            platform,
            dumper,
            open_events,
            emu: Emulated::open(platform)?,
        })
    }

    /// The platform this socket emulates.
    pub fn emulator(&self) -> Option<&'static str> {
        Some(self.platform)
    }

    /// The socket's port id: stable, non-zero, distinct per socket.
    pub fn port_id(&self) -> u32 {
        self.emu.port_id()
    }

    /// Answers request bytes (one or more messages): reads the routing
    /// dumps they need and queues the reply datagrams Linux would send.
    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let out = answer(self.flavor, self.platform, bytes, self.dumper.as_mut())?;
        self.emu.answer(out);
        Ok(())
    }

    /// Starts the monitor thread on a routing socket (once; a later call
    /// widens the groups).
    pub fn bind(&mut self, groups: Groups, capacity: usize) -> io::Result<()> {
        let flavor = self.flavor;
        let open_events = &mut self.open_events;
        self.emu.bind(groups, capacity, |queue, groups| {
            let src = EventSource::new(flavor, open_events()?, groups)?;
            Ok(Box::new(events::spawn(src, queue)?) as Source)
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
}

impl AsRawFd for Socket {
    /// Readable exactly while a reply or a notification waits.
    fn as_raw_fd(&self) -> RawFd {
        self.emu.fd()
    }
}
