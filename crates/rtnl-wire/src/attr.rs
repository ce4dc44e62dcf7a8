//! Attribute tables: for each family, the kernel name, number and value type
//! of every attribute. They are the one source of truth: decoding, encoding,
//! names, display and JSON all read them.
//!
//! A table is written with [`attr_table!`](crate::attr_table), which also defines a `pub const`
//! for each attribute number, so the number is written once.

use crate::error::DecodeError;
use crate::netlink::MessageWriter;
use crate::nla::{NlaIter, NLA_F_NESTED, NLA_HDRLEN};
use crate::value::{ip_from_bytes, NextHop, Value, Via};

/// Deepest nesting the decoder follows; deeper input is an error, so hostile
/// bytes cannot exhaust the stack.
pub const MAX_DEPTH: usize = 32;

/// How an attribute's payload is laid out.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AttrKind {
    /// No payload: presence is the value.
    Flag,
    /// One byte.
    U8,
    /// Host-order u16.
    U16,
    /// Host-order u32.
    U32,
    /// Host-order u64.
    U64,
    /// Network-order u64 (tunnel ids).
    U64Be,
    /// Host-order i32.
    S32,
    /// Network-order u16 (ports).
    U16Be,
    /// Network-order u32.
    U32Be,
    /// NUL-terminated string.
    Str,
    /// Opaque bytes.
    Bytes,
    /// An IPv4 or IPv6 address, told apart by length.
    Ip,
    /// A hardware (link-layer) address.
    LinkAddr,
    /// A C struct of equally wide unsigned fields (`rtnl_link_stats64`, `ifa_cacheinfo`, ...).
    Struct(&'static StructSpec),
    /// A nested list of attributes from another table.
    Nested(&'static Table),
    /// A nested list whose table depends on a string sibling attribute
    /// (IFLA_INFO_DATA depends on IFLA_INFO_KIND).
    NestedByKind {
        /// The sibling attribute holding the kind name.
        kind_attr: u16,
        /// Finds the table for a kind name.
        lookup: fn(&str) -> Option<&'static Table>,
    },
    /// RTA_MULTIPATH: `struct rtnexthop` records, each followed by attributes of the given table.
    Multipath(&'static Table),
    /// RTA_VIA: `struct rtvia` (address family, address).
    Via,
}

/// A fixed-layout struct of equally wide unsigned integers. Newer kernels
/// append fields: a payload with more or fewer whole fields still decodes, and
/// unnamed fields are called `field<N>`.
#[derive(Debug)]
pub struct StructSpec {
    /// The C name.
    pub name: &'static str,
    /// Width of every field in bytes: 2, 4 or 8.
    pub width: usize,
    /// Field names in order.
    pub fields: &'static [&'static str],
    /// Fields in network byte order (`__be16` ports ...) instead of host order.
    pub big_endian: bool,
}

impl StructSpec {
    /// Field `i` of the struct payload `p`, as the decoder reads it; `None`
    /// past the end.
    pub fn field(&self, p: &[u8], i: usize) -> Option<u64> {
        p.chunks_exact(self.width).nth(i).map(|c| self.read(c))
    }

    /// Reads one field of `self.width` bytes.
    fn read(&self, c: &[u8]) -> u64 {
        let mut b = [0u8; 8];
        if self.big_endian {
            b[8 - c.len()..].copy_from_slice(c);
            u64::from_be_bytes(b)
        } else if cfg!(target_endian = "little") {
            b[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(b)
        } else {
            b[8 - c.len()..].copy_from_slice(c);
            u64::from_be_bytes(b)
        }
    }

    /// Appends one field, narrowed to `self.width` bytes.
    fn write(&self, v: u64, out: &mut Vec<u8>) {
        let w = self.width;
        if self.big_endian {
            out.extend_from_slice(&v.to_be_bytes()[8 - w..]);
        } else if cfg!(target_endian = "little") {
            out.extend_from_slice(&v.to_le_bytes()[..w]);
        } else {
            out.extend_from_slice(&v.to_be_bytes()[8 - w..]);
        }
    }
}

/// One attribute of a table.
#[derive(Debug)]
pub struct AttrSpec {
    /// The attribute number.
    pub id: u16,
    /// The kernel's name (`IFLA_IFNAME`).
    pub name: &'static str,
    /// The payload layout.
    pub kind: AttrKind,
}

/// All attributes of one family or one nest, sorted by number.
#[derive(Debug)]
pub struct Table {
    /// Short name of the table (`link`, `linkinfo`, `vxlan` ...).
    pub name: &'static str,
    /// The attributes, sorted by `id`.
    pub attrs: &'static [AttrSpec],
}

impl Table {
    /// The attribute with number `id`.
    pub fn by_id(&self, id: u16) -> Option<&'static AttrSpec> {
        // Tables are `'static` statics; re-borrow the slice as 'static.
        let attrs: &'static [AttrSpec] = self.attrs;
        attrs
            .binary_search_by_key(&id, |a| a.id)
            .ok()
            .map(|i| &attrs[i])
    }

    /// The attribute named `name` (kernel spelling, case-insensitive).
    pub fn by_name(&self, name: &str) -> Option<&'static AttrSpec> {
        let attrs: &'static [AttrSpec] = self.attrs;
        attrs.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// Defines an attribute [`Table`] and a `pub const` per attribute number.
///
/// ```
/// use rtnl_wire::attr_table;
/// attr_table! {
///     /// A toy table.
///     pub static TOY = "toy" {
///         /// The name.
///         TOY_NAME = 1 => Str,
///         TOY_MTU = 2 => U32,
///     }
/// }
/// assert_eq!(TOY_MTU, 2);
/// assert_eq!(TOY.by_id(1).unwrap().name, "TOY_NAME");
/// ```
#[macro_export]
macro_rules! attr_table {
    ($(#[$m:meta])* $vis:vis static $table:ident = $tname:literal {
        $($(#[$am:meta])* $name:ident = $id:literal => $kind:expr),* $(,)?
    }) => {
        $( #[doc = concat!("`", stringify!($name), "`: attribute number ", stringify!($id), " of table `", $tname, "`.")] $(#[$am])* pub const $name: u16 = $id; )*
        $(#[$m])* $vis static $table: $crate::attr::Table = $crate::attr::Table {
            name: $tname,
            attrs: &[ $( $crate::attr::AttrSpec {
                id: $id,
                name: stringify!($name),
                kind: {
                    #[allow(unused_imports)]
                    use $crate::attr::AttrKind::*;
                    $kind
                },
            } ),* ],
        };
    };
}

/// One attribute of an owned message: its number, its flag bits as received,
/// the table entry that describes it (if known) and its value.
#[derive(Clone)]
pub struct Attr {
    /// The attribute number (without flag bits).
    pub id: u16,
    /// NLA_F_NESTED / NLA_F_NET_BYTEORDER as they were on the wire.
    pub flag_bits: u16,
    /// What the table says about this attribute; `None` when unknown.
    pub spec: Option<&'static AttrSpec>,
    /// The value; [`Value::Raw`] when unknown or not decodable as its type.
    pub value: Value,
}

impl Attr {
    /// Builds an attribute of `table` by kernel name. Nested values get
    /// NLA_F_NESTED, as current kernels expect.
    pub fn new(table: &Table, name: &str, value: Value) -> Option<Attr> {
        let spec = table.by_name(name)?;
        let flag_bits = match spec.kind {
            AttrKind::Nested(_) | AttrKind::NestedByKind { .. } => NLA_F_NESTED,
            _ => 0,
        };
        Some(Attr {
            id: spec.id,
            flag_bits,
            spec: Some(spec),
            value,
        })
    }

    /// The kernel name, or `None` for an attribute the table does not know.
    pub fn name(&self) -> Option<&'static str> {
        self.spec.map(|s| s.name)
    }

    /// The kernel name, or `UNKNOWN_<n>`.
    pub fn display_name(&self) -> std::borrow::Cow<'static, str> {
        match self.spec {
            Some(s) => s.name.into(),
            None => format!("UNKNOWN_{}", self.id).into(),
        }
    }

    /// Finds a nested attribute by name (for `Value::Nested`).
    pub fn get(&self, name: &str) -> Option<&Attr> {
        match &self.value {
            Value::Nested(children) => find(children, name),
            _ => None,
        }
    }

    /// Appends this attribute's wire form.
    pub fn emit(&self, w: &mut MessageWriter) {
        let raw_kind = self.id | self.flag_bits;
        let kind = self.spec.map(|s| s.kind);
        match &self.value {
            Value::Flag => w.put_attr(raw_kind, &[]),
            Value::U8(v) => w.put_attr(raw_kind, &[*v]),
            Value::U16(v) => match kind {
                Some(AttrKind::U16Be) => w.put_attr(raw_kind, &v.to_be_bytes()),
                _ => w.put_attr(raw_kind, &v.to_ne_bytes()),
            },
            Value::U32(v) => match kind {
                Some(AttrKind::U32Be) => w.put_attr(raw_kind, &v.to_be_bytes()),
                _ => w.put_attr(raw_kind, &v.to_ne_bytes()),
            },
            Value::U64(v) => match kind {
                Some(AttrKind::U64Be) => w.put_attr(raw_kind, &v.to_be_bytes()),
                _ => w.put_attr(raw_kind, &v.to_ne_bytes()),
            },
            Value::S32(v) => w.put_attr(raw_kind, &v.to_ne_bytes()),
            Value::Str(s) => w.put_str(raw_kind, s),
            Value::Ip(ip) => match ip {
                std::net::IpAddr::V4(a) => w.put_attr(raw_kind, &a.octets()),
                std::net::IpAddr::V6(a) => w.put_attr(raw_kind, &a.octets()),
            },
            Value::Bytes(b) | Value::LinkAddr(b) | Value::Raw(b) => w.put_attr(raw_kind, b),
            Value::Struct(fields) => {
                let mut payload = Vec::new();
                if let Some(AttrKind::Struct(spec)) = kind {
                    for &f in fields {
                        spec.write(f, &mut payload);
                    }
                } else {
                    // No table entry: the only width-preserving choice.
                    fields
                        .iter()
                        .for_each(|f| payload.extend_from_slice(&f.to_ne_bytes()));
                }
                w.put_attr(raw_kind, &payload);
            }
            Value::Via(via) => {
                let mut payload = via.family.to_ne_bytes().to_vec();
                payload.extend_from_slice(&via.addr);
                w.put_attr(raw_kind, &payload);
            }
            Value::Nested(children) => {
                let m = w.begin_nested(raw_kind);
                emit_all(children, w);
                w.end_nested(m);
            }
            Value::Multipath(hops) => {
                let m = w.begin_nested(raw_kind);
                for hop in hops {
                    w.pad();
                    let start = w.len();
                    w.put_bytes(&0u16.to_ne_bytes());
                    w.put_bytes(&[hop.flags, hop.hops]);
                    w.put_bytes(&hop.ifindex.to_ne_bytes());
                    emit_all(&hop.attrs, w);
                    let len = (w.len() - start).min(u16::MAX as usize) as u16;
                    w.patch_u16(start, len);
                }
                w.end_nested(m);
            }
        }
    }
}

impl PartialEq for Attr {
    fn eq(&self, other: &Self) -> bool {
        let same_spec = match (self.spec, other.spec) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (None, None) => true,
            _ => false,
        };
        self.id == other.id
            && self.flag_bits == other.flag_bits
            && same_spec
            && self.value == other.value
    }
}

impl std::fmt::Debug for Attr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {:?}", self.display_name(), self.value)
    }
}

/// Finds the first attribute named `name` in a list.
pub fn find<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a Attr> {
    attrs
        .iter()
        .find(|a| a.spec.is_some_and(|s| s.name.eq_ignore_ascii_case(name)))
}

/// Appends every attribute of `attrs`.
pub fn emit_all(attrs: &[Attr], w: &mut MessageWriter) {
    for a in attrs {
        a.emit(w);
    }
}

/// Decodes an attribute area with `table`. A malformed attribute header is an
/// error (the area cannot be walked past it); a payload that does not fit its
/// type is kept as [`Value::Raw`], so re-encoding gives the same bytes.
pub fn decode_all(table: &'static Table, buf: &[u8]) -> Result<Vec<Attr>, DecodeError> {
    decode_area(table, buf, 0)
}

fn decode_area(table: &'static Table, buf: &[u8], depth: usize) -> Result<Vec<Attr>, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::TooDeep(MAX_DEPTH));
    }
    let mut out = Vec::new();
    for nla in NlaIter::new(buf) {
        let nla = nla?;
        let spec = table.by_id(nla.kind());
        let value = match spec {
            Some(spec) => decode_value(spec.kind, nla.payload(), buf, depth)?,
            None => Value::Raw(nla.payload().to_vec()),
        };
        out.push(Attr {
            id: nla.kind(),
            flag_bits: nla.flag_bits(),
            spec,
            value,
        });
    }
    Ok(out)
}

/// True when `buf` is exactly tiled by well-formed attributes with zeroed
/// padding, i.e. when re-encoding its decoded attributes gives back `buf`.
/// A nest is decoded only then (otherwise it stays `Value::Raw`); readers
/// that take a nest's bytes directly use this to agree with the decoder.
pub fn tiles_exactly(buf: &[u8]) -> bool {
    if buf.len() & 3 != 0 {
        return false;
    }
    let mut it = NlaIter::new(buf);
    loop {
        let start = it.position();
        match it.next() {
            None => break,
            Some(Err(_)) => return false,
            Some(Ok(nla)) => {
                let used = start + NLA_HDRLEN + nla.payload().len();
                let padding = buf.get(used..it.position());
                if !matches!(padding, Some(pad) if pad.iter().all(|&b| b == 0)) {
                    return false;
                }
            }
        }
    }
    it.position() == buf.len()
}

fn decode_value(
    kind: AttrKind,
    p: &[u8],
    siblings: &[u8],
    depth: usize,
) -> Result<Value, DecodeError> {
    let raw = || Value::Raw(p.to_vec());
    Ok(match kind {
        AttrKind::Flag if p.is_empty() => Value::Flag,
        AttrKind::U8 if p.len() == 1 => Value::U8(p[0]),
        AttrKind::U16 if p.len() == 2 => Value::U16(u16::from_ne_bytes([p[0], p[1]])),
        AttrKind::U16Be if p.len() == 2 => Value::U16(u16::from_be_bytes([p[0], p[1]])),
        AttrKind::U32 | AttrKind::U32Be | AttrKind::S32 if p.len() == 4 => {
            let b = [p[0], p[1], p[2], p[3]];
            match kind {
                AttrKind::U32 => Value::U32(u32::from_ne_bytes(b)),
                AttrKind::U32Be => Value::U32(u32::from_be_bytes(b)),
                _ => Value::S32(i32::from_ne_bytes(b)),
            }
        }
        AttrKind::U64 if p.len() == 8 => {
            Value::U64(u64::from_ne_bytes(p.try_into().unwrap_or_default()))
        }
        AttrKind::U64Be if p.len() == 8 => {
            Value::U64(u64::from_be_bytes(p.try_into().unwrap_or_default()))
        }
        AttrKind::Str => match p.split_last() {
            Some((0, s)) if !s.contains(&0) => match std::str::from_utf8(s) {
                Ok(s) => Value::Str(s.to_owned()),
                Err(_) => raw(),
            },
            _ => raw(),
        },
        AttrKind::Bytes => Value::Bytes(p.to_vec()),
        AttrKind::LinkAddr => Value::LinkAddr(p.to_vec()),
        AttrKind::Ip => ip_from_bytes(p).map(Value::Ip).unwrap_or_else(raw),
        AttrKind::Struct(spec)
            if !p.is_empty() && p.chunks_exact(spec.width).remainder().is_empty() =>
        {
            Value::Struct(p.chunks_exact(spec.width).map(|c| spec.read(c)).collect())
        }
        AttrKind::Via if p.len() >= 2 => Value::Via(Via {
            family: u16::from_ne_bytes([p[0], p[1]]),
            addr: p[2..].to_vec(),
        }),
        AttrKind::Nested(table) => nested(table, p, depth)?,
        AttrKind::NestedByKind { kind_attr, lookup } => {
            let table = NlaIter::find(siblings, kind_attr)
                .and_then(|k| k.str())
                .and_then(lookup);
            match table {
                Some(table) => nested(table, p, depth)?,
                None => raw(),
            }
        }
        AttrKind::Multipath(table) => multipath(table, p, depth)?.unwrap_or_else(raw),
        _ => raw(),
    })
}

fn nested(table: &'static Table, p: &[u8], depth: usize) -> Result<Value, DecodeError> {
    if !tiles_exactly(p) {
        return Ok(Value::Raw(p.to_vec()));
    }
    Ok(Value::Nested(decode_area(table, p, depth + 1)?))
}

/// `struct rtnexthop { u16 len; u8 flags; u8 hops; i32 ifindex; }` then attributes.
const RTNH_LEN: usize = 8;

fn multipath(table: &'static Table, p: &[u8], depth: usize) -> Result<Option<Value>, DecodeError> {
    let mut hops = Vec::new();
    let mut pos = 0;
    while pos < p.len() {
        let Some(h) = p.get(pos..pos + RTNH_LEN) else {
            return Ok(None);
        };
        let len = u16::from_ne_bytes([h[0], h[1]]) as usize;
        if len < RTNH_LEN || len & 3 != 0 {
            return Ok(None);
        }
        let Some(body) = p.get(pos + RTNH_LEN..pos + len) else {
            return Ok(None);
        };
        if !tiles_exactly(body) {
            return Ok(None);
        }
        hops.push(NextHop {
            flags: h[2],
            hops: h[3],
            ifindex: i32::from_ne_bytes([h[4], h[5], h[6], h[7]]),
            attrs: decode_area(table, body, depth + 1)?,
        });
        pos += len;
    }
    Ok(Some(Value::Multipath(hops)))
}

#[cfg(test)]
mod tests {
    use super::*;

    attr_table! {
        static INNER = "inner" {
            IN_A = 1 => U16Be,
            IN_B = 2 => Str,
        }
    }
    attr_table! {
        static OUTER = "outer" {
            OUT_KIND = 1 => Str,
            OUT_NEST = 2 => Nested(&INNER),
            OUT_BYKIND = 3 => NestedByKind { kind_attr: OUT_KIND, lookup: |k| (k == "inner").then_some(&INNER) },
            OUT_IP = 4 => Ip,
            OUT_FLAG = 5 => Flag,
        }
    }

    fn roundtrip(attrs: &[Attr]) -> Vec<u8> {
        let mut w = MessageWriter::new();
        emit_all(attrs, &mut w);
        w.into_vec()
    }

    #[test]
    fn decodes_by_table_and_reencodes() {
        let mut w = MessageWriter::new();
        w.put_str(OUT_KIND, "inner");
        let n = w.begin_nested(OUT_BYKIND | NLA_F_NESTED);
        w.put_attr(IN_A, &4789u16.to_be_bytes());
        w.put_str(IN_B, "x");
        w.end_nested(n);
        w.put_attr(OUT_IP, &[10, 0, 0, 1]);
        w.put_attr(OUT_FLAG, &[]);
        w.put_attr(77, &[1, 2, 3]);
        w.put_attr(OUT_IP, &[1, 2, 3]); // wrong length: kept raw
        let bytes = w.into_vec();
        let attrs = decode_all(&OUTER, &bytes).unwrap();
        assert_eq!(
            find(&attrs, "OUT_BYKIND")
                .unwrap()
                .get("IN_A")
                .unwrap()
                .value,
            Value::U16(4789)
        );
        assert_eq!(attrs[2].value, Value::Ip("10.0.0.1".parse().unwrap()));
        assert_eq!(attrs[3].value, Value::Flag);
        assert_eq!(attrs[4].name(), None);
        assert_eq!(attrs[5].value, Value::Raw(vec![1, 2, 3]));
        assert_eq!(roundtrip(&attrs), bytes);
        assert_eq!(OUTER.by_id(OUT_NEST).unwrap().name, "OUT_NEST");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        attr_table! {
            static SELF_NEST = "self" {
                SN = 1 => Nested(&SELF_NEST),
            }
        }
        let mut w = MessageWriter::new();
        let marks: Vec<_> = (0..100).map(|_| w.begin_nested(SN)).collect();
        for m in marks.into_iter().rev() {
            w.end_nested(m);
        }
        let bytes = w.into_vec();
        assert_eq!(
            decode_all(&SELF_NEST, &bytes),
            Err(DecodeError::TooDeep(MAX_DEPTH))
        );
    }
}
