//! The emulated RTNL socket of the BSDs and macOS: requests are answered
//! from sysctl routing dumps translated into RTNL, replies wait in a queue
//! whose descriptor poll/select can watch.

use std::io;
use std::os::fd::{AsRawFd, RawFd};

use rtnl_pfroute::Flavor;

use super::answer::answer;
use super::events::{self, EventSource};
use super::route_socket::RoutingSocket;
use super::sysctl::Sysctl;
use crate::sys::emulated::{Emulated, Source};
use crate::sys::Recv;
use crate::Groups;

/// An emulated RTNL socket.
#[derive(Debug)]
pub struct Socket {
    flavor: Flavor,
    emu: Emulated,
}

impl Socket {
    /// The platform name used in messages (`freebsd`, `openbsd`, `netbsd`,
    /// `macos`, `ios`).
    pub fn platform() -> &'static str {
        std::env::consts::OS
    }

    /// Opens an emulated socket: nothing is read until a request is sent.
    pub fn open() -> io::Result<Socket> {
        let flavor = Flavor::host().ok_or_else(|| {
            io::Error::new(io::ErrorKind::Unsupported, "not a BSD routing-socket host")
        })?;
        Ok(Socket {
            flavor,
            emu: Emulated::open(Self::platform())?,
        })
    }

    /// The socket's port id: stable, non-zero, distinct per socket.
    pub fn port_id(&self) -> u32 {
        self.emu.port_id()
    }

    /// Answers request bytes (one or more messages): reads the routing
    /// dumps they need and queues the reply datagrams Linux would send.
    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let out = answer(self.flavor, Self::platform(), bytes, &mut Sysctl)?;
        self.emu.answer(out);
        Ok(())
    }

    /// Starts the monitor thread on a PF_ROUTE socket (once; a later call
    /// widens the groups).
    pub fn bind(&mut self, groups: Groups, capacity: usize) -> io::Result<()> {
        let flavor = self.flavor;
        self.emu.bind(groups, capacity, |queue, groups| {
            let src = EventSource::new(flavor, RoutingSocket::open(flavor)?, groups)?;
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
