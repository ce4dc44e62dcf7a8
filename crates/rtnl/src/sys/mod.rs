//! One module per platform, each providing `Socket`: a transport that takes
//! RTNL request bytes and gives back RTNL reply and notification bytes.
//! On Linux that is the kernel's netlink socket; elsewhere an emulator.
//!
//! Every `Socket` has the same inherent API (mio's layout: one facade, one
//! module per OS):
//!
//! - `open() -> io::Result<Socket>`
//! - `send(&mut self, &[u8]) -> io::Result<()>`
//! - `recv(&mut self, &mut Vec<u8>) -> io::Result<Recv>`: one datagram, whole
//! - `try_recv(&mut self, &mut Vec<u8>) -> io::Result<Option<Recv>>`: the
//!   same without blocking (`None` when nothing is queued)
//! - `port_id(&self) -> u32`
//! - `platform() -> &'static str`

#[cfg(target_os = "linux")]
pub mod linux;
/// Linux's transport: netlink, or a replayed BSD emulator.
#[cfg(target_os = "linux")]
mod transport;
#[cfg(target_os = "linux")]
pub use transport::Socket;

pub mod signal;

/// The queue and readiness signal every emulated socket shares. Built on
/// every host: Linux tests drive it with fixture sources.
#[cfg_attr(target_os = "linux", allow(dead_code))]
mod emulated;

/// The BSDs and macOS: an emulator over sysctl dumps and PF_ROUTE. Its
/// pieces without system calls build (and are tested) on every host; on
/// every Unix they also serve `crate::replay`.
pub(crate) mod bsd;
#[cfg(bsd)]
pub use bsd::Socket;

/// Windows: an emulator over iphlpapi tables (`rtnl-winsnap` translates).
#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::Socket;

#[cfg(not(any(target_os = "linux", bsd, windows)))]
mod unsupported;
#[cfg(not(any(target_os = "linux", bsd, windows)))]
pub use unsupported::Socket;

/// What one `recv` produced.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recv {
    /// A datagram from the kernel is in the buffer.
    Data,
    /// A datagram the kernel multicast to a joined group is in the buffer:
    /// every message in it is a notification, even one that carries this
    /// socket's port id and a request's sequence number (the kernel stamps
    /// the notification of a change with the requester's).
    Multicast,
    /// A datagram from another sender (port id not 0) was read and dropped:
    /// only the kernel may speak to us.
    Spoofed(u32),
    /// Notifications were lost here (an emulator's queue overflowed, a
    /// routing socket's `ENOBUFS`, OpenBSD's `RTM_DESYNC`); nothing is in
    /// the buffer. The Linux socket reports loss as an `ENOBUFS` error
    /// instead, because the kernel cannot say where the gap is.
    Overrun,
}
