//! Network namespaces: open a socket inside another namespace without moving
//! the calling thread. A short-lived thread enters the namespace, opens the
//! socket and exits; the socket stays bound to that namespace.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::path::PathBuf;

use super::Socket;

/// Where a namespace is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetnsRef {
    /// A name under /run/netns, as `ip netns` makes them.
    Name(String),
    /// A path to a namespace file (`/proc/PID/ns/net`, a bind mount ...).
    Path(PathBuf),
    /// The network namespace of a process.
    Pid(u32),
}

impl NetnsRef {
    /// The namespace file's path.
    pub fn path(&self) -> PathBuf {
        match self {
            NetnsRef::Name(n) => PathBuf::from("/run/netns").join(n),
            NetnsRef::Path(p) => p.clone(),
            NetnsRef::Pid(pid) => PathBuf::from(format!("/proc/{pid}/ns/net")),
        }
    }
}

/// Opens a netlink socket inside the namespace `ns`.
pub fn open_in_netns(ns: &NetnsRef) -> io::Result<Socket> {
    let path = ns.path();
    if let NetnsRef::Name(n) = ns {
        if n.is_empty() || n.contains('/') || n == "." || n == ".." {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bad namespace name {n:?}"),
            ));
        }
    }
    let file = File::open(&path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    std::thread::spawn(move || {
        // SAFETY: setns(2) on a descriptor we own; it affects only this
        // thread, which ends right after opening the socket.
        if unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Socket::open()
    })
    .join()
    .unwrap_or_else(|_| Err(io::Error::other("namespace thread panicked")))
}
