//! Parsing of BSD and macOS routing-socket (PF_ROUTE) messages, every
//! flavour on every host.
//!
//! This is pure code: no I/O, no `unsafe`, and no `cfg(target_os)` in the
//! parsers. The OS dialect is a run-time [`Flavor`] (FreeBSD 13/14, OpenBSD
//! 7.x, NetBSD 8+, Darwin; LP64 layouts, little-endian), so every dialect is
//! parsed and tested on any machine. [`Flavor::host`] only picks a default.
//!
//! The pieces, in the style of smoltcp's `wire` module:
//!
//! - [`Messages`] frames a buffer holding many messages (a sysctl dump or a
//!   socket read) into [`MessageView`]s by `msglen`, skipping messages of
//!   another `RTM_VERSION` and never reading past the buffer.
//! - [`MessageView::parse`] / [`parse_message`] / [`parse_messages`] decode
//!   into the owned [`Message`] enum: [`RouteMessage`], [`InterfaceInfo`],
//!   [`AddressMessage`], [`MulticastMessage`], [`AnnounceMessage`],
//!   [`Message::Desync`] and [`Message::Other`].
//! - [`Addrs`] / [`SockAddr`] hold the sockaddrs, decoded with each OS's
//!   rounding rule and its corner cases (truncated and mis-familied
//!   netmasks, zero-length sockaddrs, Darwin's unpadded last sockaddr, KAME
//!   scope, bitmasks that claim more than the message holds); see
//!   [`sockaddr`]. [`prefix_len`] turns a mask into a prefix length.
//! - [`flags`] translates `IFF_*`, link state and `IFT_*` to Linux values
//!   and names `RTF_*` bits ([`RtFlags`]).
//! - [`translate`]: a [`Translator`] turns parsed messages into the
//!   `rtnl_wire` messages a Linux kernel would have sent (links, addresses,
//!   routes, neighbours, overruns), or says why a message has no RTNL
//!   counterpart ([`Ignored`]).
//! - [`emulate()`] answers RTNL dump requests from a snapshot of
//!   translated messages with the reply bytes Linux would send.
//!
//! Any input yields a value, an [`Error`] (which says what and at which
//! offset) or a skipped message: never a panic or an endless loop.
//!
//! # Example
//!
//! A FreeBSD `RTM_IFANNOUNCE` (type 0x11, 24 bytes) followed by a message of
//! a foreign version, which is skipped:
//!
//! ```
//! use rtnl_pfroute::{AnnounceWhat, Flavor, Message, Messages};
//!
//! let mut buf = vec![0u8; 24];
//! buf[0] = 24; // msglen
//! buf[2] = 5; // RTM_VERSION
//! buf[3] = 0x11; // RTM_IFANNOUNCE
//! buf[4] = 3; // ifan_index
//! buf[6..10].copy_from_slice(b"em0\0"); // ifan_name
//! buf[22] = 1; // ifan_what = IFAN_DEPARTURE
//! buf.extend_from_slice(&[8, 0, 99, 1, 0, 0, 0, 0]); // version 99
//!
//! let mut msgs = Messages::new(Flavor::FreeBsd, &buf);
//! let view = msgs.next().unwrap().unwrap();
//! match view.parse().unwrap() {
//!     Message::Announce(a) => {
//!         assert_eq!((a.index, a.name.as_str()), (3, "em0"));
//!         assert_eq!(a.what, AnnounceWhat::Departure);
//!     }
//!     other => panic!("unexpected {other:?}"),
//! }
//! assert!(msgs.next().is_none());
//! assert_eq!(msgs.skipped(), 1);
//! ```
//!
//! # Tests and fixtures
//!
//! The byte fixtures live in the integration tests (`tests/fixture/`), built
//! from the reference layouts independently of this crate's tables, so the
//! tests check the tables rather than repeat them. They are not part of the
//! public API.
//!
//! # Not covered
//!
//! FreeBSD's `NET_RT_IFLISTL` headers (`if_msghdrl`, `ifa_msghdrl`) reuse the
//! `RTM_IFINFO`/`RTM_NEWADDR` numbers and cannot be recognised from the bytes;
//! ask for `NET_RT_IFLIST` instead. 32-bit layouts (FreeBSD i386/armv7
//! `u_long` metrics) and big-endian hosts are out of scope.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod field;
pub mod flags;
mod flavor;
mod framing;
mod layout;
pub mod linux;
mod message;
mod msgtype;
pub mod sockaddr;
pub mod translate;

/// Answers RTNL requests from a snapshot of translated messages, as the Linux
/// kernel would ([`rtnl_wire::emulate`], with this flavour's platform name in
/// its "not supported" texts).
pub fn emulate(flavor: Flavor, request: &[u8], snapshot: &[rtnl_wire::Message]) -> Vec<Vec<u8>> {
    rtnl_wire::emulate::emulate(flavor.platform(), request, snapshot)
}
pub use error::{Error, Result};
pub use flags::{LinkState, RtFlag, RtFlags};
pub use flavor::{Flavor, HeaderSizes};
pub use framing::{parse_messages, MessageView, Messages};
pub use message::{
    parse_message, AddressMessage, AnnounceMessage, AnnounceWhat, IfStats, InterfaceInfo, Message,
    MulticastMessage, RouteMessage, RouteMetrics, SendQueue, COMMON_HEADER_LEN,
};
pub use msgtype::MsgType;
pub use sockaddr::{prefix_len, Addrs, LinkAddr, PrefixLen, Rtax, SockAddr};
pub use translate::{overrun_message, Ignored, Origin, Outcome, Translator};
