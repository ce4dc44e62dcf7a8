//! The BSDs and macOS (FreeBSD, OpenBSD, NetBSD, Darwin): an emulated RTNL
//! socket. A request is answered from sysctl(3) routing dumps
//! (`NET_RT_IFLIST`/`IFLIST2`, `NET_RT_DUMP`, `NET_RT_FLAGS` with the
//! link-layer flag) translated by rtnl-pfroute into the messages Linux
//! would send, and `rtnl_wire::emulate` builds the replies Linux would send
//! (setters get EOPNOTSUPP with an extended-ack text). Replies wait in a
//! queue (`sys::emulated`), shared with the notifications that `bind`'s
//! monitor thread translates from a PF_ROUTE socket, behind one pipe that
//! is readable while something waits.
//!
//! The pieces without system calls (`plan`: request to dumps and MIBs;
//! `answer`: dumps to replies through a `Dumper`; `events`: the monitor
//! thread over a `RouteIo`; `socket`: the emulated socket over any
//! `Dumper` and `RouteIo`) build on every Unix host: Linux tests them with
//! fixtures, and `crate::replay` runs them over captured bytes. The system
//! calls (`sysctl`, `route_socket`, `sizes`: compile-time layout checks
//! against `libc`) build only on the BSD targets.

// On hosts other than the BSDs only tests and replays use these pieces.
#![cfg_attr(not(bsd), allow(dead_code))]

mod answer;
#[cfg(unix)]
mod events;
mod plan;
#[cfg(unix)]
mod socket;

/// Message builders written from the reference layouts, shared with
/// rtnl-pfroute's own tests.
#[cfg(test)]
#[path = "../../../../rtnl-pfroute/tests/fixture/mod.rs"]
mod fixture;

#[cfg(bsd)]
mod route_socket;
#[cfg(bsd)]
mod sizes;
#[cfg(bsd)]
mod sysctl;

#[cfg(unix)]
pub(crate) use answer::Dumper;
#[cfg(unix)]
pub(crate) use events::{Read, RouteIo};
#[cfg(unix)]
pub(crate) use plan::iflist_op;
#[cfg(unix)]
pub use socket::Socket;
