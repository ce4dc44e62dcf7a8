//! The netlink layer: the 16-byte message header, framing of a buffer that
//! holds many messages, and the control messages (NLMSG_DONE, NLMSG_ERROR with
//! extended ack).
//!
//! Everything here borrows the caller's buffer; nothing allocates except
//! [`ErrorMsg`], which copies the (short) extended-ack text.

use crate::error::DecodeError;
use crate::nla::{NlaIter, NLA_HDRLEN};

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;

/// Rounds `len` up to the 4-byte netlink alignment.
pub const fn align(len: usize) -> usize {
    (len + 3) & !3
}

/// Control message types (`NLMSG_*`).
pub mod types {
    /// Nothing; skip it.
    pub const NLMSG_NOOP: u16 = 1;
    /// An error or, with error 0, an acknowledgement.
    pub const NLMSG_ERROR: u16 = 2;
    /// End of a multipart dump.
    pub const NLMSG_DONE: u16 = 3;
    /// Data lost (never sent by Linux; used by our emulators and by the
    /// socket layer to report ENOBUFS in the stream).
    pub const NLMSG_OVERRUN: u16 = 4;
}
pub use types::*;

/// Header flags (`NLM_F_*`).
pub mod flags {
    /// A request (every message from user space to the kernel).
    pub const NLM_F_REQUEST: u16 = 0x01;
    /// Part of a multipart answer, ended by NLMSG_DONE.
    pub const NLM_F_MULTI: u16 = 0x02;
    /// Ask for an acknowledgement.
    pub const NLM_F_ACK: u16 = 0x04;
    /// Echo the request back.
    pub const NLM_F_ECHO: u16 = 0x08;
    /// The dump was changed by a concurrent writer: its content is inconsistent.
    pub const NLM_F_DUMP_INTR: u16 = 0x10;
    /// The dump was filtered as requested (strict checking).
    pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
    /// GET: return the whole table.
    pub const NLM_F_ROOT: u16 = 0x100;
    /// GET: return all matching entries.
    pub const NLM_F_MATCH: u16 = 0x200;
    /// GET: atomic snapshot (unused by rtnetlink).
    pub const NLM_F_ATOMIC: u16 = 0x400;
    /// `NLM_F_ROOT | NLM_F_MATCH`.
    pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
    /// NEW: replace an existing object.
    pub const NLM_F_REPLACE: u16 = 0x100;
    /// NEW: fail if the object exists.
    pub const NLM_F_EXCL: u16 = 0x200;
    /// NEW: create if it does not exist.
    pub const NLM_F_CREATE: u16 = 0x400;
    /// NEW: append to the end of a list.
    pub const NLM_F_APPEND: u16 = 0x800;
    /// ERROR/ACK: the original request's payload was left out.
    pub const NLM_F_CAPPED: u16 = 0x100;
    /// ERROR/ACK: extended-ack TLVs follow.
    pub const NLM_F_ACK_TLVS: u16 = 0x200;
}
pub use flags::*;

/// Extended-ack attribute types (`NLMSGERR_ATTR_*`).
pub mod ext_ack {
    /// Human-readable error text.
    pub const NLMSGERR_ATTR_MSG: u16 = 1;
    /// Offset of the offending attribute in the request.
    pub const NLMSGERR_ATTR_OFFS: u16 = 2;
    /// An opaque cookie.
    pub const NLMSGERR_ATTR_COOKIE: u16 = 3;
    /// The policy of the offending attribute.
    pub const NLMSGERR_ATTR_POLICY: u16 = 4;
    /// The type of a missing attribute.
    pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
    /// Offset of the nest that misses an attribute.
    pub const NLMSGERR_ATTR_MISS_NEST: u16 = 6;
}

/// A decoded `struct nlmsghdr` (host byte order on the wire, as netlink is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct NlHeader {
    /// Total length of the message, header included.
    pub len: u32,
    /// Message type (`NLMSG_*` or `RTM_*`).
    pub kind: u16,
    /// `NLM_F_*` flags.
    pub flags: u16,
    /// Sequence number.
    pub seq: u32,
    /// Sender port id: 0 for the kernel.
    pub pid: u32,
}

impl NlHeader {
    /// Reads a header from the first 16 bytes of `buf`.
    pub fn parse(buf: &[u8]) -> Result<Self, DecodeError> {
        let b: &[u8; NLMSG_HDRLEN] = buf
            .get(..NLMSG_HDRLEN)
            .and_then(|s| s.try_into().ok())
            .ok_or(DecodeError::TruncatedHeader {
                offset: 0,
                available: buf.len(),
            })?;
        Ok(NlHeader {
            len: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
            kind: u16::from_ne_bytes([b[4], b[5]]),
            flags: u16::from_ne_bytes([b[6], b[7]]),
            seq: u32::from_ne_bytes([b[8], b[9], b[10], b[11]]),
            pid: u32::from_ne_bytes([b[12], b[13], b[14], b[15]]),
        })
    }

    /// Appends the 16 header bytes to `out`.
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.len.to_ne_bytes());
        out.extend_from_slice(&self.kind.to_ne_bytes());
        out.extend_from_slice(&self.flags.to_ne_bytes());
        out.extend_from_slice(&self.seq.to_ne_bytes());
        out.extend_from_slice(&self.pid.to_ne_bytes());
    }

    /// True when the message is part of a multipart answer.
    pub fn is_multi(&self) -> bool {
        self.flags & NLM_F_MULTI != 0
    }

    /// True when the kernel flagged the dump as inconsistent.
    pub fn is_dump_interrupted(&self) -> bool {
        self.flags & NLM_F_DUMP_INTR != 0
    }
}

/// One netlink message borrowed from a receive buffer.
#[derive(Debug, Clone, Copy)]
pub struct NlMsg<'a> {
    /// The decoded header.
    pub header: NlHeader,
    /// The bytes after the header, up to `nlmsg_len`.
    pub payload: &'a [u8],
    /// The whole message, header included, up to `nlmsg_len`.
    pub bytes: &'a [u8],
}

impl<'a> NlMsg<'a> {
    /// Decodes the payload of an NLMSG_ERROR message.
    pub fn error(&self) -> Option<Result<ErrorMsg, DecodeError>> {
        (self.header.kind == NLMSG_ERROR).then(|| ErrorMsg::parse(self.header.flags, self.payload))
    }
}

/// Iterates over the messages of a buffer holding zero or more netlink
/// messages, back to back, each aligned to 4 bytes.
///
/// A length that is too small or runs past the buffer yields one error, then
/// the iterator ends: framing cannot be recovered after a lying length.
#[derive(Debug, Clone)]
pub struct Messages<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Messages<'a> {
    /// Starts iterating over `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Messages { buf, pos: 0 }
    }

    /// Offset of the next message in the buffer.
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<NlMsg<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..).filter(|r| !r.is_empty())?;
        let offset = self.pos;
        let fail = |this: &mut Self, e| {
            this.pos = this.buf.len();
            Some(Err(e))
        };
        let header = match NlHeader::parse(rest) {
            Ok(h) => h,
            Err(_) => {
                return fail(
                    self,
                    DecodeError::TruncatedHeader {
                        offset,
                        available: rest.len(),
                    },
                )
            }
        };
        let len = header.len as usize;
        if len < NLMSG_HDRLEN {
            return fail(
                self,
                DecodeError::LengthTooSmall {
                    offset,
                    len: header.len,
                },
            );
        }
        if len > rest.len() {
            return fail(
                self,
                DecodeError::LengthPastEnd {
                    offset,
                    len: header.len,
                    available: rest.len(),
                },
            );
        }
        // The trailing pad of the last message may be absent.
        self.pos = (offset + align(len)).min(self.buf.len());
        Some(Ok(NlMsg {
            header,
            payload: &rest[NLMSG_HDRLEN..len],
            bytes: &rest[..len],
        }))
    }
}

/// The decoded payload of an NLMSG_ERROR message.
///
/// `code` is 0 for an acknowledgement, otherwise a negative errno as the kernel
/// sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorMsg {
    /// 0 (ack) or a negative errno.
    pub code: i32,
    /// Header of the request this answers.
    pub request: NlHeader,
    /// `NLMSGERR_ATTR_MSG`: the kernel's explanation.
    pub message: Option<String>,
    /// `NLMSGERR_ATTR_OFFS`: offset in the request of the attribute at fault.
    pub offset: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_TYPE`: the attribute the kernel wanted and did not get.
    pub missing_type: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_NEST`: offset of the nest that lacks it.
    pub missing_nest: Option<u32>,
}

impl ErrorMsg {
    /// Parses the payload of an NLMSG_ERROR message. `flags` are the header
    /// flags of the error message (they say whether the request was capped and
    /// whether TLVs follow).
    pub fn parse(flags: u16, payload: &[u8]) -> Result<Self, DecodeError> {
        let code = payload
            .get(..4)
            .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or(DecodeError::TruncatedBody {
                what: "nlmsgerr",
                needed: 4,
                available: payload.len(),
            })?;
        // The request header is always echoed; older kernels may cut even that.
        let request = payload
            .get(4..)
            .map(NlHeader::parse)
            .and_then(Result::ok)
            .unwrap_or_default();
        let mut out = ErrorMsg {
            code,
            request,
            ..Default::default()
        };
        if flags & NLM_F_ACK_TLVS == 0 {
            return Ok(out);
        }
        let echoed = if flags & NLM_F_CAPPED != 0 {
            NLMSG_HDRLEN
        } else {
            request.len as usize
        };
        if let Some(tlvs) = payload.get(align(4 + echoed)..) {
            out.read_ext_ack(tlvs);
        }
        Ok(out)
    }

    /// Parses the payload of an NLMSG_DONE: the dump's status (0, or a
    /// negative errno when a dump fails after it started), then extended-ack
    /// TLVs when `flags` has NLM_F_ACK_TLVS. There is no echoed request.
    pub fn parse_done(flags: u16, payload: &[u8]) -> Result<Self, DecodeError> {
        let code = payload
            .get(..4)
            .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or(DecodeError::TruncatedBody {
                what: "NLMSG_DONE status",
                needed: 4,
                available: payload.len(),
            })?;
        let mut out = ErrorMsg {
            code,
            ..Default::default()
        };
        if flags & NLM_F_ACK_TLVS != 0 {
            out.read_ext_ack(payload.get(4..).unwrap_or_default());
        }
        Ok(out)
    }

    /// Reads the extended-ack TLVs (message, offset, missing attribute).
    fn read_ext_ack(&mut self, tlvs: &[u8]) {
        for nla in NlaIter::new(tlvs).flatten() {
            match nla.kind() {
                ext_ack::NLMSGERR_ATTR_MSG => {
                    let text = nla.payload().split(|&b| b == 0).next().unwrap_or_default();
                    self.message = Some(String::from_utf8_lossy(text).into_owned());
                }
                ext_ack::NLMSGERR_ATTR_OFFS => self.offset = nla.u32(),
                ext_ack::NLMSGERR_ATTR_MISS_TYPE => self.missing_type = nla.u32(),
                ext_ack::NLMSGERR_ATTR_MISS_NEST => self.missing_nest = nla.u32(),
                _ => {}
            }
        }
    }

    /// The errno (positive), or 0 for an ack.
    pub fn errno(&self) -> i32 {
        self.code.checked_neg().unwrap_or(i32::MAX)
    }
}

/// Appends netlink messages to a byte buffer: header, fixed part and
/// attributes, with the lengths filled in when each part ends.
///
/// Many messages can be written into one buffer and sent with one `send`,
/// which is how batches are pipelined.
#[derive(Debug, Default, Clone)]
pub struct MessageWriter {
    buf: Vec<u8>,
}

/// Where an open message or nest starts (returned by `begin_*`, given back to `end_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "an open message or nest must be closed"]
pub struct Mark(usize);

impl MessageWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Wraps an existing buffer (appending to it).
    pub fn from_vec(buf: Vec<u8>) -> Self {
        MessageWriter { buf }
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Takes the bytes written so far.
    pub fn into_vec(self) -> Vec<u8> {
        self.buf
    }

    /// Forgets everything written (keeps the allocation).
    pub fn clear(&mut self) {
        self.buf.clear()
    }

    /// Starts a message; its length is set by [`MessageWriter::end_message`].
    pub fn begin_message(&mut self, kind: u16, flags: u16, seq: u32, pid: u32) -> Mark {
        self.pad();
        let start = self.buf.len();
        NlHeader {
            len: 0,
            kind,
            flags,
            seq,
            pid,
        }
        .emit(&mut self.buf);
        Mark(start)
    }

    /// Ends the message started at `mark`, padding it to 4 bytes.
    pub fn end_message(&mut self, mark: Mark) {
        self.pad();
        self.patch_len32(mark.0);
    }

    /// Ends the message started at `mark` like [`MessageWriter::end_message`],
    /// but `nlmsg_len` counts only the bytes written, not the padding after
    /// them, as the kernel's `NLMSG_LENGTH` does for a payload that is not a
    /// multiple of 4. The padding is still written, so the buffer stays
    /// aligned and the next message starts where a reader expects it.
    pub fn end_message_exact(&mut self, mark: Mark) {
        self.patch_len32(mark.0);
        self.pad();
    }

    /// Appends raw bytes (a fixed family header, for instance).
    pub fn put_bytes(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Appends one attribute whose payload is `payload`, then pads.
    pub fn put_attr(&mut self, kind: u16, payload: &[u8]) {
        self.pad();
        let len = NLA_HDRLEN + payload.len();
        self.buf
            .extend_from_slice(&(len.min(u16::MAX as usize) as u16).to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.buf.extend_from_slice(payload);
        self.pad();
    }

    /// Appends a u8 attribute.
    pub fn put_u8(&mut self, kind: u16, v: u8) {
        self.put_attr(kind, &[v]);
    }
    /// Appends a u16 attribute in host order.
    pub fn put_u16(&mut self, kind: u16, v: u16) {
        self.put_attr(kind, &v.to_ne_bytes());
    }
    /// Appends a u32 attribute in host order.
    pub fn put_u32(&mut self, kind: u16, v: u32) {
        self.put_attr(kind, &v.to_ne_bytes());
    }
    /// Appends a u64 attribute in host order.
    pub fn put_u64(&mut self, kind: u16, v: u64) {
        self.put_attr(kind, &v.to_ne_bytes());
    }
    /// Appends a NUL-terminated string attribute.
    pub fn put_str(&mut self, kind: u16, s: &str) {
        self.pad();
        let len = NLA_HDRLEN + s.len() + 1;
        self.buf
            .extend_from_slice(&(len.min(u16::MAX as usize) as u16).to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(0);
        self.pad();
    }

    /// Opens a nested attribute. `kind` should carry `NLA_F_NESTED` where the
    /// kernel expects it (the caller decides: some old attributes must not).
    pub fn begin_nested(&mut self, kind: u16) -> Mark {
        self.pad();
        let start = self.buf.len();
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        Mark(start)
    }

    /// Closes the nest opened at `mark`; its length includes the padding of
    /// its last child, as the kernel's `nla_nest_end` does.
    pub fn end_nested(&mut self, mark: Mark) {
        self.pad();
        let len = (self.buf.len() - mark.0).min(u16::MAX as usize) as u16;
        self.buf[mark.0..mark.0 + 2].copy_from_slice(&len.to_ne_bytes());
    }

    /// Current length of the buffer (for callers that write their own
    /// length-prefixed structures, such as `rtnexthop`).
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True when nothing was written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Overwrites a u16 at `at` (used to back-patch a length).
    pub fn patch_u16(&mut self, at: usize, v: u16) {
        if let Some(s) = self.buf.get_mut(at..at + 2) {
            s.copy_from_slice(&v.to_ne_bytes());
        }
    }

    fn patch_len32(&mut self, at: usize) {
        let len = (self.buf.len() - at) as u32;
        self.buf[at..at + 4].copy_from_slice(&len.to_ne_bytes());
    }

    /// Pads with zeros to the next 4-byte boundary.
    pub fn pad(&mut self) {
        let n = align(self.buf.len()) - self.buf.len();
        self.buf.extend_from_slice(&[0u8; 3][..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_many_messages_and_stops_on_lies() {
        let mut w = MessageWriter::new();
        let m = w.begin_message(NLMSG_DONE, NLM_F_MULTI, 7, 0);
        w.put_bytes(&0i32.to_ne_bytes());
        w.end_message(m);
        let m = w.begin_message(16, 0, 8, 0);
        w.put_str(3, "eth0");
        w.end_message(m);
        let mut bytes = w.into_vec();
        let msgs: Vec<_> = Messages::new(&bytes).collect::<Result<_, _>>().unwrap();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].header.seq, 7);
        assert_eq!(msgs[1].header.len as usize, 16 + 12);
        // Lie about the second message's length.
        let second = align(msgs[0].header.len as usize);
        bytes[second..second + 4].copy_from_slice(&1000u32.to_ne_bytes());
        let out: Vec<_> = Messages::new(&bytes).collect();
        assert_eq!(out.len(), 2);
        assert!(matches!(
            out[1],
            Err(DecodeError::LengthPastEnd { len: 1000, .. })
        ));
        bytes[second..second + 4].copy_from_slice(&3u32.to_ne_bytes());
        let out: Vec<_> = Messages::new(&bytes).collect();
        assert!(matches!(
            out[1],
            Err(DecodeError::LengthTooSmall { len: 3, .. })
        ));
        let out: Vec<_> = Messages::new(&bytes[..second + 5]).collect();
        assert!(matches!(
            out[1],
            Err(DecodeError::TruncatedHeader { available: 5, .. })
        ));
    }

    #[test]
    fn done_status_with_extended_ack() {
        let mut w = MessageWriter::new();
        let m = w.begin_message(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 3, 0);
        w.put_bytes(&(-2i32).to_ne_bytes());
        w.put_str(ext_ack::NLMSGERR_ATTR_MSG, "ipv4: FIB table does not exist");
        w.end_message(m);
        let bytes = w.into_vec();
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        let e = ErrorMsg::parse_done(msg.header.flags, msg.payload).unwrap();
        assert_eq!(e.errno(), 2);
        assert_eq!(e.message.as_deref(), Some("ipv4: FIB table does not exist"));
        // Without NLM_F_ACK_TLVS the bytes after the status are not read.
        let e = ErrorMsg::parse_done(NLM_F_MULTI, msg.payload).unwrap();
        assert_eq!(e.message, None);
        assert!(ErrorMsg::parse_done(0, &[1, 2]).is_err());
    }

    #[test]
    fn parses_extended_ack() {
        let mut w = MessageWriter::new();
        let m = w.begin_message(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1, 0);
        w.put_bytes(&(-22i32).to_ne_bytes());
        NlHeader {
            len: 40,
            kind: 24,
            flags: 5,
            seq: 1,
            pid: 99,
        }
        .emit(&mut vec![]);
        let mut req = vec![];
        NlHeader {
            len: 40,
            kind: 24,
            flags: 5,
            seq: 1,
            pid: 99,
        }
        .emit(&mut req);
        w.put_bytes(&req);
        w.put_str(ext_ack::NLMSGERR_ATTR_MSG, "Nexthop has invalid gateway");
        w.put_u32(ext_ack::NLMSGERR_ATTR_OFFS, 36);
        w.end_message(m);
        let bytes = w.into_vec();
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        let e = msg.error().unwrap().unwrap();
        assert_eq!(e.code, -22);
        assert_eq!(e.errno(), 22);
        assert_eq!(e.request.pid, 99);
        assert_eq!(e.message.as_deref(), Some("Nexthop has invalid gateway"));
        assert_eq!(e.offset, Some(36));
    }
}
