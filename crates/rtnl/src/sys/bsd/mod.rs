//! The BSDs and macOS (FreeBSD, OpenBSD, NetBSD, Darwin): an emulated RTNL
//! socket. A request is answered from sysctl(3) routing dumps
//! (`NET_RT_IFLIST`/`IFLIST2`, `NET_RT_DUMP`, `NET_RT_FLAGS` with the
//! link-layer flag) translated by rtnl-pfroute into the messages Linux
//! would send, and `rtnl_wire::emulate` builds the replies Linux would send
//! (setters get EOPNOTSUPP with an extended-ack text). Replies wait in a
//! queue whose pipe is readable while one waits.
//!
//! The pure pieces (`plan`: request to dumps and MIBs, notification
//! groups, port ids; `answer`: dumps to replies through a `Dumper`;
//! `replies`: the queue) build on every host and are tested on Linux. The
//! system calls (`sysctl`, `socket`, `events`: the PF_ROUTE reader the
//! monitor thread calls, `sizes`: compile-time layout checks against
//! `libc`) build only on the BSD targets.

// On hosts other than the BSDs only the tests use the pure pieces.
#![cfg_attr(
    not(any(
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "macos",
        target_os = "ios"
    )),
    allow(dead_code)
)]

mod answer;
mod plan;
mod replies;

#[cfg(any(
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    target_os = "ios"
))]
// Not called yet: `IpRoute::bind` on the BSDs still answers Unsupported
// until the monitor machinery (crate::monitor) starts a thread on it; see
// events.rs for the intended call.
#[allow(dead_code)]
mod events;
#[cfg(any(
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    target_os = "ios"
))]
mod sizes;
#[cfg(any(
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    target_os = "ios"
))]
mod socket;
#[cfg(any(
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    target_os = "ios"
))]
mod sysctl;

#[cfg(any(
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    target_os = "ios"
))]
pub use socket::Socket;
