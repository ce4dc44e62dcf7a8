//! The RTNL (rtnetlink) wire format, with no I/O: every platform's backend
//! produces and consumes these bytes.
//!
//! Three ways to read a message, from cheapest to richest:
//!
//! 1. [`netlink::Messages`] frames a buffer, [`view::View`] gives typed
//!    accessors over a message without copying it (`RouteView::dst()`).
//! 2. [`message::Message`] owns a parsed message whose attributes are
//!    addressable by kernel name, nested too, and re-encode byte-exact.
//! 3. [`netlink::MessageWriter`] builds requests.
//!
//! The attribute tables in [`family`] are the one source of truth for
//! attribute names, numbers and value types.
//!
//! ```
//! use rtnl_wire::{family::link::*, message::Message, netlink::MessageWriter, rtm::RTM_NEWLINK, view::FixedHeader};
//!
//! let mut w = MessageWriter::new();
//! let m = w.begin_message(RTM_NEWLINK, 0, 1, 0);
//! let mut hdr = Vec::new();
//! IfInfoMsg { index: 1, ..Default::default() }.emit(&mut hdr);
//! w.put_bytes(&hdr);
//! w.put_str(IFLA_IFNAME, "lo");
//! w.end_message(m);
//!
//! let msg = Message::parse_all(w.as_bytes()).next().unwrap().unwrap();
//! assert_eq!(msg.get_attr("IFLA_IFNAME").unwrap().as_str(), Some("lo"));
//! assert_eq!(msg.to_bytes(), w.as_bytes());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod attr;
pub mod emulate;
pub mod errno;
pub mod error;
pub mod family;
pub mod message;
pub mod names;
pub mod netlink;
pub mod nla;
pub mod rtm;
pub mod value;
pub mod view;

pub use error::DecodeError;
pub use message::{Fixed, Message};
pub use value::Value;
