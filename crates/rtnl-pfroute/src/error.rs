//! The one error type of this crate.
//!
//! Every variant names the byte offset where the problem was found. When a
//! message is reached through [`Messages`](crate::Messages) the offset is
//! counted from the start of the whole buffer; when a single message is parsed
//! with [`parse_message`](crate::parse_message) it is counted from the start
//! of that message.

/// What is wrong with a routing-socket buffer, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Fewer bytes are left than the 4-byte common header
    /// (`msglen`, `version`, `type`) needs.
    #[error("truncated header at offset {offset}: need {needed} bytes, {available} available")]
    TruncatedHeader {
        /// Where the header starts.
        offset: usize,
        /// Bytes a header needs.
        needed: usize,
        /// Bytes that are left.
        available: usize,
    },

    /// `msglen` is smaller than the header of the message's type (or than the
    /// 4-byte common header; `msglen` 0 lands here, so framing never loops).
    #[error("msglen {msglen} at offset {offset} is smaller than the {min}-byte header")]
    MsgLenTooSmall {
        /// Where the message starts.
        offset: usize,
        /// The `msglen` field.
        msglen: usize,
        /// The smallest `msglen` the message type allows.
        min: usize,
    },

    /// `msglen` claims more bytes than the buffer holds.
    #[error("msglen {msglen} at offset {offset} runs past the buffer ({available} bytes left)")]
    MsgLenPastBuffer {
        /// Where the message starts.
        offset: usize,
        /// The `msglen` field.
        msglen: usize,
        /// Bytes left in the buffer from `offset`.
        available: usize,
    },

    /// OpenBSD's `*_hdrlen` is smaller than the header this crate knows, or
    /// points past `msglen`.
    #[error("hdrlen {hdrlen} at offset {offset} is outside {min}..={msglen}")]
    BadHdrLen {
        /// Where the message starts.
        offset: usize,
        /// The `hdrlen` field.
        hdrlen: usize,
        /// The known header size.
        min: usize,
        /// The message's `msglen`.
        msglen: usize,
    },

    /// The message's version is not the flavour's `RTM_VERSION` (only from
    /// [`parse_message`](crate::parse_message); framing skips such messages).
    #[error("message at offset {offset} has version {version}, expected {expected}")]
    BadVersion {
        /// Where the message starts.
        offset: usize,
        /// The version byte.
        version: u8,
        /// The flavour's `RTM_VERSION`.
        expected: u8,
    },

    /// A sockaddr's `sa_len` runs past the end of its message.
    #[error("sockaddr at offset {offset} has sa_len {sa_len}, only {available} bytes remain")]
    SockaddrOverrun {
        /// Where the sockaddr starts.
        offset: usize,
        /// Its `sa_len`.
        sa_len: usize,
        /// Bytes left in the message from `offset`.
        available: usize,
    },

    /// A sockaddr's `sa_len` is impossible for its family (for example a
    /// `sockaddr_dl` shorter than its 8 fixed bytes).
    #[error("sockaddr at offset {offset} (family {family}) has bad sa_len {sa_len}: {reason}")]
    BadSaLen {
        /// Where the sockaddr starts.
        offset: usize,
        /// Its `sa_family`.
        family: u8,
        /// Its `sa_len`.
        sa_len: usize,
        /// Why the length is wrong.
        reason: &'static str,
    },

    /// A `sockaddr_dl` whose name, address and selector lengths do not fit
    /// in its `sdl_len`.
    #[error(
        "sockaddr_dl at offset {offset}: nlen {nlen} + alen {alen} + slen {slen} \
         exceed the {room} data bytes of sdl_len {sa_len}"
    )]
    LinkDataOverrun {
        /// Where the sockaddr starts.
        offset: usize,
        /// `sdl_nlen`.
        nlen: usize,
        /// `sdl_alen`.
        alen: usize,
        /// `sdl_slen`.
        slen: usize,
        /// `sdl_len`.
        sa_len: usize,
        /// Data bytes available after the 8 fixed bytes.
        room: usize,
    },
}

/// Shorthand for results of this crate.
pub type Result<T> = core::result::Result<T, Error>;
