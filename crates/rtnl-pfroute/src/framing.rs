//! Splitting a buffer that holds many messages (a sysctl dump or one socket
//! read) into messages.
//!
//! Framing trusts only `msglen`: each step consumes exactly `msglen` bytes,
//! `msglen` must be at least the 4-byte common header (so `msglen == 0`
//! cannot loop), and it must not run past the buffer. A framing error ends
//! the iteration (after the error is yielded once), since nothing after it
//! can be located. Messages whose version is not the flavour's
//! `RTM_VERSION` are skipped, as Go's `ParseRIB` does, and counted.

use crate::error::Result;
use crate::message::{common_header, parse_body, Message};
use crate::msgtype::MsgType;
use crate::Flavor;

/// One framed message: its bytes (exactly `msglen` long) and where it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageView<'a> {
    flavor: Flavor,
    offset: usize,
    bytes: &'a [u8],
}

impl<'a> MessageView<'a> {
    /// The message's bytes, header included (`msglen` long).
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Offset of the message in the framed buffer.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// `*_msglen`.
    pub fn msglen(&self) -> usize {
        self.bytes.len()
    }

    /// `*_version` (always the flavour's `RTM_VERSION`: others are skipped).
    pub fn version(&self) -> u8 {
        self.bytes.get(2).copied().unwrap_or(0)
    }

    /// The raw `*_type` byte.
    pub fn raw_type(&self) -> u8 {
        self.bytes.get(3).copied().unwrap_or(0)
    }

    /// The named type, `None` if the flavour does not know the number.
    pub fn msg_type(&self) -> Option<MsgType> {
        self.flavor.msg_type(self.raw_type())
    }

    /// Decodes the message. Error offsets count from the start of the framed
    /// buffer.
    pub fn parse(&self) -> Result<Message> {
        parse_body(self.flavor, self.bytes, self.offset)
    }
}

/// Iterator over the messages in a buffer; see the module docs.
#[derive(Debug, Clone)]
pub struct Messages<'a> {
    flavor: Flavor,
    buf: &'a [u8],
    pos: usize,
    skipped: usize,
    done: bool,
}

impl<'a> Messages<'a> {
    /// Frames `buf` as messages of `flavor`.
    pub fn new(flavor: Flavor, buf: &'a [u8]) -> Messages<'a> {
        Messages {
            flavor,
            buf,
            pos: 0,
            skipped: 0,
            done: false,
        }
    }

    /// Messages skipped so far because their version did not match.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Offset of the next message to be framed.
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<MessageView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        // Every loop turn either returns or advances `pos` by `msglen >= 4`,
        // so this terminates within `buf.len() / 4` turns.
        while !self.done {
            let rest = self.buf.get(self.pos..).unwrap_or_default();
            if rest.is_empty() {
                self.done = true;
                return None;
            }
            let (msglen, version, _) = match common_header(rest, self.pos) {
                Ok(h) => h,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            let offset = self.pos;
            self.pos += msglen;
            if version != self.flavor.rtm_version() {
                self.skipped += 1;
                continue;
            }
            let bytes = rest.get(..msglen).unwrap_or_default();
            return Some(Ok(MessageView {
                flavor: self.flavor,
                offset,
                bytes,
            }));
        }
        None
    }
}

impl core::iter::FusedIterator for Messages<'_> {}

/// Frames `buf` and parses each message.
///
/// A message that fails to parse yields an `Err` and iteration goes on with
/// the next one (its `msglen` was sound); a framing error is yielded once and
/// ends the iteration.
pub fn parse_messages(flavor: Flavor, buf: &[u8]) -> impl Iterator<Item = Result<Message>> + '_ {
    Messages::new(flavor, buf).map(|view| view.and_then(|v| v.parse()))
}
