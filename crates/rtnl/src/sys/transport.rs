//! Linux's `sys::Socket`: the kernel's netlink socket, or a BSD emulator
//! replaying captured routing state (`crate::replay`). Both speak the same
//! RTNL bytes; the few netlink-only calls (groups, buffer sizes, a second
//! handle for the cache thread) say so when asked of an emulator.

use std::io;
use std::os::fd::{AsRawFd, RawFd};

use super::{bsd, linux, Recv};
use crate::Groups;

/// The transport under an `IpRoute` on Linux.
#[derive(Debug)]
pub enum Socket {
    /// A NETLINK_ROUTE socket.
    Netlink(linux::Socket),
    /// A BSD emulator over replayed bytes.
    Emulated(bsd::Socket),
}

impl From<bsd::Socket> for Socket {
    fn from(s: bsd::Socket) -> Socket {
        Socket::Emulated(s)
    }
}

/// The error of a netlink-only call on an emulator.
fn not_netlink(call: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("{call} needs a netlink socket, not an emulator"),
    )
}

impl Socket {
    /// The platform name used in messages.
    pub fn platform() -> &'static str {
        "linux"
    }

    /// Opens and binds a NETLINK_ROUTE socket.
    pub fn open() -> io::Result<Socket> {
        linux::Socket::open().map(Socket::Netlink)
    }

    /// The platform an emulator answers for; `None` for netlink.
    pub fn emulator(&self) -> Option<&'static str> {
        match self {
            Socket::Netlink(_) => None,
            Socket::Emulated(s) => s.emulator(),
        }
    }

    pub fn port_id(&self) -> u32 {
        match self {
            Socket::Netlink(s) => s.port_id(),
            Socket::Emulated(s) => s.port_id(),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Socket::Netlink(s) => s.send(bytes),
            Socket::Emulated(s) => s.send(bytes),
        }
    }

    pub fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        match self {
            Socket::Netlink(s) => s.recv(buf),
            Socket::Emulated(s) => s.recv(buf),
        }
    }

    pub fn try_recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Recv>> {
        match self {
            Socket::Netlink(s) => s.try_recv(buf),
            Socket::Emulated(s) => s.try_recv(buf),
        }
    }

    /// An emulator's `bind`: starts its notification source.
    pub fn bind(&mut self, groups: Groups, capacity: usize) -> io::Result<()> {
        match self {
            Socket::Netlink(_) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "a netlink socket joins multicast groups instead",
            )),
            Socket::Emulated(s) => s.bind(groups, capacity),
        }
    }

    pub fn add_membership(&mut self, group: u32) -> io::Result<()> {
        match self {
            Socket::Netlink(s) => s.add_membership(group),
            Socket::Emulated(_) => Err(not_netlink("joining a multicast group")),
        }
    }

    pub fn try_clone(&self) -> io::Result<Socket> {
        match self {
            Socket::Netlink(s) => s.try_clone().map(Socket::Netlink),
            Socket::Emulated(_) => Err(not_netlink("a second handle")),
        }
    }

    pub fn set_rcvbuf(&mut self, bytes: usize) -> io::Result<usize> {
        match self {
            Socket::Netlink(s) => s.set_rcvbuf(bytes),
            Socket::Emulated(_) => Err(not_netlink("the receive buffer size")),
        }
    }

    pub fn rcvbuf(&self) -> io::Result<usize> {
        match self {
            Socket::Netlink(s) => s.rcvbuf(),
            Socket::Emulated(_) => Err(not_netlink("the receive buffer size")),
        }
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        match self {
            Socket::Netlink(s) => s.as_raw_fd(),
            Socket::Emulated(s) => s.as_raw_fd(),
        }
    }
}
