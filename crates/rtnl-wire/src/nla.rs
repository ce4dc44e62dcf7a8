//! Netlink attributes (NLA / rtattr): a 4-byte header (length, type) and a
//! payload, padded to 4 bytes. Iteration borrows the buffer and never allocates.

use crate::error::DecodeError;
use crate::netlink::align;

/// Size of `struct nlattr`.
pub const NLA_HDRLEN: usize = 4;
/// Type bit: the payload is a nested attribute list.
pub const NLA_F_NESTED: u16 = 0x8000;
/// Type bit: the payload is in network byte order.
pub const NLA_F_NET_BYTEORDER: u16 = 0x4000;
/// Mask of the type bits that carry the attribute number.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// One attribute borrowed from a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nla<'a> {
    raw_kind: u16,
    payload: &'a [u8],
}

impl<'a> Nla<'a> {
    /// The attribute number, without the NESTED / NET_BYTEORDER bits.
    pub fn kind(&self) -> u16 {
        self.raw_kind & NLA_TYPE_MASK
    }
    /// The type field as sent, flag bits included.
    pub fn raw_kind(&self) -> u16 {
        self.raw_kind
    }
    /// The NESTED / NET_BYTEORDER bits as sent.
    pub fn flag_bits(&self) -> u16 {
        self.raw_kind & !NLA_TYPE_MASK
    }
    /// The payload (without padding).
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
    /// The payload as a u8, if it is exactly one byte.
    pub fn u8(&self) -> Option<u8> {
        match self.payload {
            [b] => Some(*b),
            _ => None,
        }
    }
    /// The payload as a host-order u16, if it is exactly two bytes.
    pub fn u16(&self) -> Option<u16> {
        self.payload.try_into().ok().map(u16::from_ne_bytes)
    }
    /// The payload as a host-order u32, if it is exactly four bytes.
    pub fn u32(&self) -> Option<u32> {
        self.payload.try_into().ok().map(u32::from_ne_bytes)
    }
    /// The payload as a host-order u64, if it is exactly eight bytes.
    pub fn u64(&self) -> Option<u64> {
        self.payload.try_into().ok().map(u64::from_ne_bytes)
    }
    /// The payload as a string, up to its first NUL.
    pub fn str(&self) -> Option<&'a str> {
        let s = self.payload.split(|&b| b == 0).next().unwrap_or_default();
        std::str::from_utf8(s).ok()
    }
    /// The payload as an IPv4 or IPv6 address (by its length).
    pub fn ip(&self) -> Option<std::net::IpAddr> {
        crate::value::ip_from_bytes(self.payload)
    }
    /// Iterates over the attributes nested in this one's payload.
    pub fn nested(&self) -> NlaIter<'a> {
        NlaIter::new(self.payload)
    }
}

/// Iterates over an attribute area. A malformed attribute yields one error,
/// then the iterator ends. Fewer than four bytes left at the end (padding a
/// sender did not count) end the iteration quietly.
#[derive(Debug, Clone)]
pub struct NlaIter<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> NlaIter<'a> {
    /// Iterates over the attributes in `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        NlaIter { buf, pos: 0 }
    }

    /// Finds the first attribute of number `kind` (flag bits ignored).
    /// Malformed bytes end the search.
    pub fn find(buf: &'a [u8], kind: u16) -> Option<Nla<'a>> {
        NlaIter::new(buf)
            .map_while(Result::ok)
            .find(|a| a.kind() == kind)
    }

    /// Offset of the next attribute.
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for NlaIter<'a> {
    type Item = Result<Nla<'a>, DecodeError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..)?;
        if rest.len() < NLA_HDRLEN {
            self.pos = self.buf.len();
            return None;
        }
        let len = u16::from_ne_bytes([rest[0], rest[1]]) as usize;
        let raw_kind = u16::from_ne_bytes([rest[2], rest[3]]);
        let offset = self.pos;
        if len < NLA_HDRLEN || len > rest.len() {
            self.pos = self.buf.len();
            let reason = if len < NLA_HDRLEN {
                "length shorter than the attribute header"
            } else {
                "length runs past the end of its container"
            };
            return Some(Err(DecodeError::BadAttribute { offset, reason }));
        }
        self.pos = (offset + align(len)).min(self.buf.len());
        Some(Ok(Nla {
            raw_kind,
            payload: &rest[NLA_HDRLEN..len],
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::MessageWriter;

    #[test]
    fn nested_building_pads_and_iterates() {
        let mut w = MessageWriter::new();
        let n = w.begin_nested(18 | NLA_F_NESTED);
        w.put_str(1, "veth");
        w.put_u8(9, 7);
        w.end_nested(n);
        w.put_u32(4, 1500);
        let bytes = w.into_vec();
        assert_eq!(bytes.len() % 4, 0);
        let attrs: Vec<_> = NlaIter::new(&bytes).collect::<Result<_, _>>().unwrap();
        assert_eq!(attrs.len(), 2);
        assert_eq!(attrs[0].kind(), 18);
        assert_eq!(attrs[0].flag_bits(), NLA_F_NESTED);
        let inner: Vec<_> = attrs[0].nested().map(Result::unwrap).collect();
        assert_eq!(inner[0].str(), Some("veth"));
        assert_eq!(inner[1].u8(), Some(7));
        assert_eq!(attrs[1].u32(), Some(1500));
        assert_eq!(NlaIter::find(&bytes, 4).and_then(|a| a.u32()), Some(1500));
    }

    #[test]
    fn lying_lengths_are_errors() {
        let bytes = [200u8, 0, 1, 0, 0, 0, 0, 0];
        let v: Vec<_> = NlaIter::new(&bytes).collect();
        assert_eq!(v.len(), 1);
        assert!(v[0].is_err());
        let bytes = [2u8, 0, 1, 0];
        assert!(NlaIter::new(&bytes).next().unwrap().is_err());
        assert!(NlaIter::new(&[1, 2]).next().is_none());
    }
}
