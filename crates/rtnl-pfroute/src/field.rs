//! Fixed-offset integer fields, read without panicking.
//!
//! Routing-message headers are C structs in host byte order. Every target in
//! scope (amd64, arm64) is little-endian, and a parser must be able to read
//! any flavour on any host (tests run on Linux), so fields are always read as
//! little-endian rather than with the parsing machine's native order.

/// Width and signedness of a header field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Width {
    U8,
    U16,
    U32,
    I32,
    U64,
    I64,
}

impl Width {
    const fn size(self) -> usize {
        match self {
            Width::U8 => 1,
            Width::U16 => 2,
            Width::U32 | Width::I32 => 4,
            Width::U64 | Width::I64 => 8,
        }
    }
}

/// One field of a header: its offset from the start of the header (or of the
/// embedded struct it sits in) and its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) off: usize,
    pub(crate) width: Width,
}

impl Field {
    pub(crate) const fn u8(off: usize) -> Field {
        Field {
            off,
            width: Width::U8,
        }
    }
    pub(crate) const fn u16(off: usize) -> Field {
        Field {
            off,
            width: Width::U16,
        }
    }
    pub(crate) const fn u32(off: usize) -> Field {
        Field {
            off,
            width: Width::U32,
        }
    }
    pub(crate) const fn i32(off: usize) -> Field {
        Field {
            off,
            width: Width::I32,
        }
    }
    pub(crate) const fn u64(off: usize) -> Field {
        Field {
            off,
            width: Width::U64,
        }
    }
    pub(crate) const fn i64(off: usize) -> Field {
        Field {
            off,
            width: Width::I64,
        }
    }

    /// The same field moved by `base` bytes (for structs embedded in a header,
    /// such as `rt_metrics` or `if_data`).
    pub(crate) const fn at(self, base: usize) -> Field {
        Field {
            off: self.off + base,
            width: self.width,
        }
    }

    /// One past the field's last byte.
    pub(crate) const fn end(self) -> usize {
        self.off + self.width.size()
    }

    /// Reads the field as a signed value (sign-extending `I32`/`I64`,
    /// zero-extending the rest). A field that is not inside `buf` reads as 0:
    /// callers check the header length first, this only keeps a layout bug
    /// from turning into a panic.
    pub(crate) fn read_signed(self, buf: &[u8]) -> i64 {
        let raw = self.read(buf);
        match self.width {
            Width::I32 => i64::from(raw as u32 as i32),
            _ => raw as i64,
        }
    }

    /// Reads the field zero-extended to 64 bits (little-endian); 0 when the
    /// field is not inside `buf`.
    pub(crate) fn read(self, buf: &[u8]) -> u64 {
        let Some(bytes) = buf.get(self.off..self.end()) else {
            return 0;
        };
        bytes
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
    }

    pub(crate) fn read_u8(self, buf: &[u8]) -> u8 {
        self.read(buf) as u8
    }
    pub(crate) fn read_u16(self, buf: &[u8]) -> u16 {
        self.read(buf) as u16
    }
    pub(crate) fn read_u32(self, buf: &[u8]) -> u32 {
        self.read(buf) as u32
    }
    pub(crate) fn read_i32(self, buf: &[u8]) -> i32 {
        self.read_signed(buf) as i32
    }
}

/// Reads an optional field; `None` when the flavour's header lacks it.
pub(crate) fn opt(field: Option<Field>, buf: &[u8]) -> Option<u64> {
    field.map(|f| f.read(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_little_endian_and_sign_extends() {
        let b = [0x34, 0x12, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];
        assert_eq!(Field::u16(0).read(&b), 0x1234);
        assert_eq!(Field::i32(2).read_signed(&b), -1);
        assert_eq!(Field::u32(2).read_signed(&b), 0xffff_ffff);
        assert_eq!(Field::u64(2).read(&b), 0xffff_ffff);
        // Out of bounds reads as zero instead of panicking.
        assert_eq!(Field::u64(8).read(&b), 0);
        assert_eq!(Field::u8(100).read(&b), 0);
    }
}
