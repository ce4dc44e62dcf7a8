//! The emulated RTNL socket of the BSDs and macOS: requests are answered
//! from sysctl routing dumps translated into RTNL, replies wait in a queue
//! whose descriptor poll/select can watch.

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicU32, Ordering};

use rtnl_pfroute::Flavor;

use super::answer::answer;
use super::plan;
use super::replies::Replies;
use super::sysctl::Sysctl;
use crate::sys::Recv;

/// Sockets opened so far by this process (for distinct port ids).
static OPENED: AtomicU32 = AtomicU32::new(0);

/// An emulated RTNL socket.
#[derive(Debug)]
pub struct Socket {
    flavor: Flavor,
    port_id: u32,
    replies: Replies,
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
        let nth = OPENED.fetch_add(1, Ordering::Relaxed);
        Ok(Socket {
            flavor,
            port_id: plan::port_id(std::process::id(), nth),
            replies: Replies::new()?,
        })
    }

    /// The socket's port id: stable, non-zero, distinct per socket.
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// Answers request bytes (one or more messages): reads the routing
    /// dumps they need and queues the reply datagrams Linux would send.
    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let out = answer(self.flavor, Self::platform(), bytes, &mut Sysctl)?;
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
                format!(
                    "nothing to receive: the {} emulator only answers requests \
                     (notifications need bind)",
                    Self::platform()
                ),
            )),
        }
    }

    /// The next reply datagram, or `None` when none is queued.
    pub fn try_recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Recv>> {
        Ok(self.replies.pop().map(|d| {
            *buf = d;
            Recv::Data
        }))
    }
}

impl AsRawFd for Socket {
    /// Readable exactly while a reply datagram is queued.
    fn as_raw_fd(&self) -> RawFd {
        self.replies.fd()
    }
}
