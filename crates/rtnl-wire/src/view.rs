//! Zero-copy views: a family's fixed header, decoded, plus the attribute area
//! borrowed from the receive buffer. Typed accessors scan the area on demand,
//! so walking a dump allocates nothing per message.

use crate::attr::Table;
use crate::error::DecodeError;
use crate::netlink::align;
use crate::nla::{Nla, NlaIter};

/// A family's fixed header (`ifinfomsg`, `rtmsg` ...).
pub trait FixedHeader: Sized + Copy + std::fmt::Debug + PartialEq {
    /// The C struct name, for error messages.
    const NAME: &'static str;
    /// Its size on the wire.
    const LEN: usize;
    /// The family's attribute table.
    fn table() -> &'static Table;
    /// Decodes the header from exactly `LEN` bytes.
    fn decode(b: &[u8]) -> Self;
    /// Appends the `LEN` header bytes.
    fn emit(&self, out: &mut Vec<u8>);

    /// Decodes the header at the start of a message payload.
    fn parse(payload: &[u8]) -> Result<Self, DecodeError> {
        payload
            .get(..Self::LEN)
            .map(Self::decode)
            .ok_or(DecodeError::TruncatedBody {
                what: Self::NAME,
                needed: Self::LEN,
                available: payload.len(),
            })
    }
}

/// A message of family `H` borrowed from a buffer.
#[derive(Debug, Clone, Copy)]
pub struct View<'a, H> {
    /// The decoded fixed header.
    pub hdr: H,
    attrs: &'a [u8],
}

impl<'a, H: FixedHeader> View<'a, H> {
    /// Views a message payload (the bytes after the netlink header).
    pub fn parse(payload: &'a [u8]) -> Result<Self, DecodeError> {
        let hdr = H::parse(payload)?;
        let attrs = payload.get(align(H::LEN)..).unwrap_or_default();
        Ok(View { hdr, attrs })
    }

    /// The raw attribute area.
    pub fn attr_bytes(&self) -> &'a [u8] {
        self.attrs
    }

    /// Iterates over the top-level attributes.
    pub fn attrs(&self) -> NlaIter<'a> {
        NlaIter::new(self.attrs)
    }

    /// The first top-level attribute with number `id`.
    #[inline]
    pub fn attr(&self, id: u16) -> Option<Nla<'a>> {
        NlaIter::find(self.attrs, id)
    }

    /// Reads several attributes in one pass: `out[i]` receives the attribute
    /// numbered `ids[i]`. Cheaper than one scan per accessor on hot paths.
    pub fn attrs_into<const N: usize>(&self, ids: [u16; N]) -> [Option<Nla<'a>>; N] {
        let mut out = [None; N];
        for nla in self.attrs().map_while(Result::ok) {
            if let Some(i) = ids.iter().position(|&id| id == nla.kind()) {
                if out[i].is_none() {
                    out[i] = Some(nla);
                }
            }
        }
        out
    }
}

/// Reads a u32 at `off` of a fixed header slice known to be long enough.
pub(crate) fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

/// Reads a u16 at `off` of a fixed header slice known to be long enough.
pub(crate) fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_ne_bytes([b[off], b[off + 1]])
}
