//! The host side of [`RouteIo`]: a non-blocking PF_ROUTE socket, and the
//! interface list from sysctl.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use rtnl_pfroute::Flavor;

use super::events::{Read, RouteIo};
use super::plan::{self, Source};
use super::sysctl;
use crate::sys::signal::cvt;

/// A routing socket that hears every change of the host.
#[derive(Debug)]
pub(crate) struct RoutingSocket {
    fd: OwnedFd,
    flavor: Flavor,
}

impl RoutingSocket {
    /// Opens a non-blocking, close-on-exec PF_ROUTE socket.
    pub(crate) fn open(flavor: Flavor) -> io::Result<RoutingSocket> {
        // SAFETY: plain socket(2) call; the result is checked.
        let raw = cvt(unsafe {
            libc::socket(
                libc::c_int::from(flavor.af_route()),
                libc::SOCK_RAW,
                libc::AF_UNSPEC,
            )
        })?;
        // SAFETY: `raw` is a fresh descriptor nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: fcntl on a descriptor we own.
        cvt(unsafe { libc::fcntl(raw, libc::F_SETFD, libc::FD_CLOEXEC) })?;
        // SAFETY: fcntl on a descriptor we own.
        let fl = cvt(unsafe { libc::fcntl(raw, libc::F_GETFL) })?;
        // SAFETY: fcntl on a descriptor we own.
        cvt(unsafe { libc::fcntl(raw, libc::F_SETFL, fl | libc::O_NONBLOCK) })?;
        Ok(RoutingSocket { fd, flavor })
    }
}

impl RouteIo for RoutingSocket {
    fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<Read> {
        loop {
            // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
            let n = unsafe { libc::read(self.fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                return Ok(Read::Data(n as usize));
            }
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the routing socket was closed",
                ));
            }
            let e = io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::ENOBUFS) => return Ok(Read::Lost),
                _ if e.kind() == io::ErrorKind::WouldBlock => return Ok(Read::Empty),
                _ => return Err(e),
            }
        }
    }

    fn links(&mut self) -> io::Result<Vec<u8>> {
        sysctl::dump(&plan::mib(self.flavor, Source::Links, None))
    }
}
