//! Attribute values of owned messages, their display and their JSON form.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{json, Map, Value as Json};

use crate::attr::{Attr, AttrKind};

/// The decoded value of one attribute.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// Present, no payload.
    Flag,
    /// One byte.
    U8(u8),
    /// A u16 (host value; the table says the wire order).
    U16(u16),
    /// A u32 (host value; the table says the wire order).
    U32(u32),
    /// A u64.
    U64(u64),
    /// An i32.
    S32(i32),
    /// A string (sent NUL-terminated).
    Str(String),
    /// Opaque bytes the table calls opaque.
    Bytes(Vec<u8>),
    /// An IP address.
    Ip(IpAddr),
    /// A hardware address.
    LinkAddr(Vec<u8>),
    /// The fields of a fixed struct, in order.
    Struct(Vec<u64>),
    /// Nested attributes.
    Nested(Vec<Attr>),
    /// RTA_MULTIPATH next hops.
    Multipath(Vec<NextHop>),
    /// RTA_VIA.
    Via(Via),
    /// Bytes the table does not describe, or that do not fit the table's
    /// type; kept verbatim so they re-encode unchanged.
    Raw(Vec<u8>),
}

/// One next hop of RTA_MULTIPATH (`struct rtnexthop` and its attributes).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NextHop {
    /// `RTNH_F_*` flags.
    pub flags: u8,
    /// Weight minus one.
    pub hops: u8,
    /// Output interface.
    pub ifindex: i32,
    /// RTA_* attributes of this hop (RTA_GATEWAY, RTA_VIA ...).
    pub attrs: Vec<Attr>,
}

impl NextHop {
    /// The hop's gateway (RTA_GATEWAY, or RTA_VIA with an IP family).
    pub fn gateway(&self) -> Option<IpAddr> {
        self.attrs.iter().find_map(|a| match &a.value {
            Value::Ip(ip) if a.name() == Some("RTA_GATEWAY") => Some(*ip),
            Value::Via(v) => v.ip(),
            _ => None,
        })
    }
}

/// `struct rtvia`: a next hop of another address family.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Via {
    /// Address family (AF_INET 2, AF_INET6 10 ...).
    pub family: u16,
    /// The address bytes.
    pub addr: Vec<u8>,
}

impl Via {
    /// The address as an IP address, when it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        ip_from_bytes(&self.addr)
    }
}

/// An IPv4 address from 4 bytes or an IPv6 address from 16.
pub fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => Some(IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))),
        16 => <[u8; 16]>::try_from(b)
            .ok()
            .map(|a| IpAddr::V6(Ipv6Addr::from(a))),
        _ => None,
    }
}

/// Formats bytes as colon-separated hex (`aa:bb:cc`), as `ip` prints
/// hardware addresses.
pub fn hex_colon(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push_str(&format!("{x:02x}"));
    }
    s
}

impl Value {
    /// The value as an unsigned integer, whatever its width.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::U8(v) => Some(v.into()),
            Value::U16(v) => Some(v.into()),
            Value::U32(v) => Some(v.into()),
            Value::U64(v) => Some(v),
            Value::S32(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }
    /// The value as a u32 when it fits.
    pub fn as_u32(&self) -> Option<u32> {
        self.as_u64().and_then(|v| u32::try_from(v).ok())
    }
    /// The value as a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    /// The value as an IP address.
    pub fn as_ip(&self) -> Option<IpAddr> {
        match self {
            Value::Ip(ip) => Some(*ip),
            Value::Via(v) => v.ip(),
            _ => None,
        }
    }
    /// The value's bytes (for bytes, hardware addresses and raw values).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) | Value::LinkAddr(b) | Value::Raw(b) => Some(b),
            _ => None,
        }
    }
    /// Nested attributes.
    pub fn as_nested(&self) -> Option<&[Attr]> {
        match self {
            Value::Nested(v) => Some(v),
            _ => None,
        }
    }

    /// The JSON form: numbers, strings, `true` for flags, hex strings for
    /// bytes, objects for structs (field names from `kind`), and
    /// `{"attrs": [[name, value], ...]}` for nests, as pyroute2 prints them.
    pub fn to_json(&self, kind: Option<AttrKind>) -> Json {
        match self {
            Value::Flag => Json::Bool(true),
            Value::U8(v) => json!(v),
            Value::U16(v) => json!(v),
            Value::U32(v) => json!(v),
            Value::U64(v) => json!(v),
            Value::S32(v) => json!(v),
            Value::Str(s) => json!(s),
            Value::Ip(ip) => json!(ip.to_string()),
            Value::Bytes(b) | Value::LinkAddr(b) | Value::Raw(b) => json!(hex_colon(b)),
            Value::Struct(fields) => {
                let names = match kind {
                    Some(AttrKind::Struct(s)) => s.fields,
                    _ => &[],
                };
                let mut m = Map::new();
                for (i, v) in fields.iter().enumerate() {
                    let name = names.get(i).map(|s| s.to_string()).unwrap_or_else(|| format!("field{i}"));
                    m.insert(name, json!(v));
                }
                Json::Object(m)
            }
            Value::Nested(attrs) => json!({ "attrs": attrs_json(attrs) }),
            Value::Multipath(hops) => Json::Array(
                hops.iter()
                    .map(|h| {
                        json!({"flags": h.flags, "hops": h.hops, "ifindex": h.ifindex, "attrs": attrs_json(&h.attrs)})
                    })
                    .collect(),
            ),
            Value::Via(v) => match v.ip() {
                Some(ip) => json!({"family": v.family, "addr": ip.to_string()}),
                None => json!({"family": v.family, "addr": hex_colon(&v.addr)}),
            },
        }
    }
}

/// `[[name, value], ...]` for a list of attributes.
pub fn attrs_json(attrs: &[Attr]) -> Json {
    Json::Array(
        attrs
            .iter()
            .map(|a| json!([a.display_name(), a.value.to_json(a.spec.map(|s| s.kind))]))
            .collect(),
    )
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Flag => f.write_str("true"),
            Value::U8(v) => write!(f, "{v}"),
            Value::U16(v) => write!(f, "{v}"),
            Value::U32(v) => write!(f, "{v}"),
            Value::U64(v) => write!(f, "{v}"),
            Value::S32(v) => write!(f, "{v}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Ip(ip) => write!(f, "{ip}"),
            Value::Bytes(b) | Value::LinkAddr(b) => f.write_str(&hex_colon(b)),
            Value::Raw(b) => write!(f, "raw[{}]", hex_colon(b)),
            Value::Struct(v) => write!(f, "{v:?}"),
            Value::Nested(a) => f.debug_list().entries(a).finish(),
            Value::Multipath(h) => f.debug_list().entries(h).finish(),
            Value::Via(v) => match v.ip() {
                Some(ip) => write!(f, "via {ip}"),
                None => write!(f, "via family {} {}", v.family, hex_colon(&v.addr)),
            },
        }
    }
}
