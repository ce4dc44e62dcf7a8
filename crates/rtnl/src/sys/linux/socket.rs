//! The NETLINK_ROUTE socket: close-on-exec, extended ack and strict checking
//! on, datagrams read whole whatever their size, senders other than the
//! kernel dropped.

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use crate::sys::signal::cvt;
use crate::sys::Recv;

const SOL_NETLINK: libc::c_int = 270;
const NETLINK_EXT_ACK: libc::c_int = 11;
const NETLINK_GET_STRICT_CHK: libc::c_int = 12;
const NETLINK_CAP_ACK: libc::c_int = 10;
/// Each datagram carries the multicast group it was sent to (0 for
/// unicast) in an `nl_pktinfo` control message.
const NETLINK_PKTINFO: libc::c_int = 3;

/// Default receive buffer: large enough that a dump's datagrams and a burst
/// of notifications fit.
const RCVBUF: libc::c_int = 4 << 20;
const SNDBUF: libc::c_int = 1 << 20;

/// A NETLINK_ROUTE socket bound to a kernel-assigned port id.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    port_id: u32,
}

fn setsockopt_int(
    fd: RawFd,
    level: libc::c_int,
    name: libc::c_int,
    val: libc::c_int,
) -> io::Result<()> {
    // SAFETY: `val` lives across the call and its size is passed exactly.
    cvt(unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&val as *const libc::c_int).cast(),
            mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    })
    .map(drop)
}

impl Socket {
    /// Opens and binds a NETLINK_ROUTE socket in the calling thread's
    /// network namespace.
    pub fn open() -> io::Result<Socket> {
        // SAFETY: plain socket(2) call; the result is checked.
        let raw = cvt(unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        })?;
        // SAFETY: `raw` is a freshly created descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // Best effort: old kernels lack some of these; requests still work.
        let _ = setsockopt_int(raw, SOL_NETLINK, NETLINK_EXT_ACK, 1);
        let _ = setsockopt_int(raw, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
        // Errors echo only the request header, not the whole request.
        let _ = setsockopt_int(raw, SOL_NETLINK, NETLINK_CAP_ACK, 1);
        // A bound socket also hears its own changes by multicast, with its
        // port id and the request's sequence number: only the group tells
        // such a notification from a reply.
        let _ = setsockopt_int(raw, SOL_NETLINK, NETLINK_PKTINFO, 1);
        let _ = setsockopt_int(raw, libc::SOL_SOCKET, libc::SO_SNDBUF, SNDBUF);
        // SO_RCVBUFFORCE passes the rmem_max limit when privileged.
        if setsockopt_int(raw, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, RCVBUF).is_err() {
            let _ = setsockopt_int(raw, libc::SOL_SOCKET, libc::SO_RCVBUF, RCVBUF);
        }
        // SAFETY: sockaddr_nl is plain data; all-zero is a valid value.
        let mut addr: libc::sockaddr_nl = unsafe { mem::zeroed() };
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        let len = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: `addr` is a valid sockaddr_nl of `len` bytes.
        cvt(unsafe { libc::bind(raw, (&addr as *const libc::sockaddr_nl).cast(), len) })?;
        let mut out_len = len;
        // SAFETY: `addr` has room for `out_len` bytes, which getsockname updates.
        cvt(unsafe {
            libc::getsockname(
                raw,
                (&mut addr as *mut libc::sockaddr_nl).cast(),
                &mut out_len,
            )
        })?;
        Ok(Socket {
            fd,
            port_id: addr.nl_pid,
        })
    }

    /// The port id the kernel assigned.
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// Sends request bytes (one or more messages) to the kernel.
    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        // SAFETY: sockaddr_nl is plain data; all-zero is a valid value.
        let mut addr: libc::sockaddr_nl = unsafe { mem::zeroed() };
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        loop {
            // SAFETY: `bytes` and `addr` are valid for the lengths passed.
            let r = unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    0,
                    (&addr as *const libc::sockaddr_nl).cast(),
                    mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            };
            if r >= 0 {
                return Ok(());
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    /// Receives one whole datagram into `buf` (replacing its content). The
    /// buffer grows to the datagram's size first, so nothing is truncated.
    pub fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        self.recv_flags(buf, 0)
    }

    /// Like [`Socket::recv`], but returns `None` at once when no datagram
    /// is queued.
    pub fn try_recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Recv>> {
        match self.recv_flags(buf, libc::MSG_DONTWAIT) {
            Ok(r) => Ok(Some(r)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn recv_flags(&mut self, buf: &mut Vec<u8>, flags: libc::c_int) -> io::Result<Recv> {
        let fd = self.fd.as_raw_fd();
        // Learn the datagram's size without consuming it.
        let size = loop {
            // SAFETY: a zero-length peek with MSG_TRUNC writes nothing and
            // returns the datagram's real length.
            let r = unsafe {
                libc::recv(
                    fd,
                    std::ptr::null_mut(),
                    0,
                    libc::MSG_PEEK | libc::MSG_TRUNC | flags,
                )
            };
            if r >= 0 {
                break r as usize;
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        };
        buf.clear();
        buf.reserve(size.max(1));
        // SAFETY: sockaddr_nl is plain data; all-zero is a valid value.
        let mut from: libc::sockaddr_nl = unsafe { mem::zeroed() };
        // Room for one nl_pktinfo control message, aligned for cmsghdr.
        let mut control = [0u64; 4];
        let (n, group) = loop {
            let mut iov = libc::iovec {
                iov_base: buf.as_mut_ptr().cast(),
                iov_len: buf.capacity(),
            };
            // SAFETY: msghdr is plain data; all-zero is a valid value.
            let mut msg: libc::msghdr = unsafe { mem::zeroed() };
            msg.msg_name = (&mut from as *mut libc::sockaddr_nl).cast();
            msg.msg_namelen = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = mem::size_of_val(&control) as _;
            // SAFETY: every pointer in `msg` is to a live local or to the
            // spare capacity of `buf` (at least `size` bytes), which is only
            // read back up to what recvmsg reports it wrote.
            let r = unsafe { libc::recvmsg(fd, &mut msg, flags) };
            if r >= 0 {
                break (r as usize, pktinfo_group(&msg));
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        };
        // SAFETY: recvmsg initialised the first `n` bytes (n <= capacity).
        unsafe { buf.set_len(n.min(buf.capacity())) };
        if from.nl_pid != 0 {
            buf.clear();
            return Ok(Recv::Spoofed(from.nl_pid));
        }
        if group != 0 || from.nl_groups != 0 {
            return Ok(Recv::Multicast);
        }
        Ok(Recv::Data)
    }

    /// Joins a multicast group (RTNLGRP_*), any number, above 31 too.
    pub fn add_membership(&mut self, group: u32) -> io::Result<()> {
        const NETLINK_ADD_MEMBERSHIP: libc::c_int = 1;
        setsockopt_int(
            self.fd.as_raw_fd(),
            SOL_NETLINK,
            NETLINK_ADD_MEMBERSHIP,
            group as libc::c_int,
        )
    }

    /// A second handle on the same socket (same port id), for a reader
    /// thread; both must be dropped to close it.
    pub fn try_clone(&self) -> io::Result<Socket> {
        Ok(Socket {
            fd: self.fd.try_clone()?,
            port_id: self.port_id,
        })
    }

    /// Sets the receive buffer to `bytes` (`SO_RCVBUFFORCE` when
    /// privileged, else `SO_RCVBUF`, which the kernel caps at rmem_max) and
    /// returns the size in force, as the kernel reports it.
    pub fn set_rcvbuf(&mut self, bytes: usize) -> io::Result<usize> {
        let fd = self.fd.as_raw_fd();
        let v = bytes.min(libc::c_int::MAX as usize / 2) as libc::c_int;
        if setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, v).is_err() {
            setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_RCVBUF, v)?;
        }
        self.rcvbuf()
    }

    /// The receive buffer size in force (`SO_RCVBUF`: the kernel's
    /// accounting limit, twice what was asked).
    pub fn rcvbuf(&self) -> io::Result<usize> {
        let mut v: libc::c_int = 0;
        let mut len = mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: `v` has room for the `len` bytes getsockopt writes.
        cvt(unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&mut v as *mut libc::c_int).cast(),
                &mut len,
            )
        })?;
        Ok(v.max(0) as usize)
    }
}

/// The multicast group of a received datagram, from its `NETLINK_PKTINFO`
/// control message; 0 for unicast (or when the kernel sent none).
fn pktinfo_group(msg: &libc::msghdr) -> u32 {
    // SAFETY: `msg` was filled by recvmsg; the CMSG_* macros stay within
    // `msg_control`/`msg_controllen`, and each data read is bounds-checked
    // against the control message's length first.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(msg);
        while !c.is_null() {
            let h = &*c;
            if h.cmsg_level == SOL_NETLINK
                && h.cmsg_type == NETLINK_PKTINFO
                && h.cmsg_len as usize >= libc::CMSG_LEN(4) as usize
            {
                return std::ptr::read_unaligned(libc::CMSG_DATA(c).cast::<u32>());
            }
            c = libc::CMSG_NXTHDR(msg, c);
        }
    }
    0
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}
