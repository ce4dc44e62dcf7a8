//! Decoding errors: what is wrong with the bytes, and where.

use thiserror::Error;

/// Why a buffer could not be decoded as netlink / RTNL.
///
/// Variants that point at bytes carry an offset so that a user looking at a
/// hex dump can find the fault: framing errors count from the start of the
/// buffer handed to [`Messages`](crate::netlink::Messages); attribute errors
/// count from the start of the attribute area being walked (the message
/// body after its fixed header, or the payload of the enclosing nest).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Fewer bytes remain than a netlink header needs.
    #[error("truncated netlink header at offset {offset}: {available} bytes left, 16 needed")]
    TruncatedHeader {
        /// Where the header starts.
        offset: usize,
        /// How many bytes were left.
        available: usize,
    },
    /// `nlmsg_len` is smaller than the header itself.
    #[error(
        "netlink message at offset {offset} claims length {len}, less than its 16-byte header"
    )]
    LengthTooSmall {
        /// Where the message starts.
        offset: usize,
        /// The length it claims.
        len: u32,
    },
    /// `nlmsg_len` runs past the end of the buffer.
    #[error(
        "netlink message at offset {offset} claims length {len} but only {available} bytes remain"
    )]
    LengthPastEnd {
        /// Where the message starts.
        offset: usize,
        /// The length it claims.
        len: u32,
        /// How many bytes were there.
        available: usize,
    },
    /// A fixed family header (ifinfomsg, rtmsg, ...) is cut short.
    #[error("{what} needs {needed} bytes but the message body holds {available}")]
    TruncatedBody {
        /// The structure that was expected.
        what: &'static str,
        /// Its size.
        needed: usize,
        /// What the message held.
        available: usize,
    },
    /// An attribute header or its claimed length does not fit.
    #[error("attribute at offset {offset} is malformed: {reason}")]
    BadAttribute {
        /// Offset of the attribute inside the attribute area.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Nesting deeper than [`crate::attr::MAX_DEPTH`].
    #[error("attributes nested deeper than {0} levels")]
    TooDeep(usize),
}
