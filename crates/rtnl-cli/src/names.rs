//! Shared lookups for every object's rendering: the link index → name
//! cache, attribute accessors, and value names from `rtnl_wire::names`
//! with the fallbacks and orders iproute2 uses when printing them.

use std::collections::BTreeMap;
use std::net::IpAddr;

use rtnl_wire::attr::{Attr, AttrKind};
use rtnl_wire::family::link::{IfInfoMsg, LinkView, IFLA_TXQLEN};
use rtnl_wire::names::{self, Names};
use rtnl_wire::{Fixed, Message, Value};

pub use rtnl_wire::names::{AF_INET, AF_INET6, AF_PACKET, IFF_POINTOPOINT, IFF_RUNNING, IFF_UP};

/// What the renderers need to know about one link.
#[derive(Debug, Clone)]
pub struct LinkEntry {
    /// IFLA_IFNAME.
    pub name: String,
    /// `IFF_*` flags.
    pub flags: u32,
    /// `ARPHRD_*` type.
    pub hw_type: u16,
    /// IFLA_TXQLEN.
    pub txqlen: Option<u32>,
}

/// Link index → name, flags and type, from one link dump
/// (iproute2's `ll_map`).
#[derive(Debug, Default)]
pub struct LinkCache {
    by_index: BTreeMap<u32, LinkEntry>,
}

impl LinkCache {
    /// Builds the cache from RTM_NEWLINK messages.
    pub fn from_links(links: &[Message]) -> LinkCache {
        let mut cache = LinkCache::default();
        for m in links {
            if let (Fixed::Link(h), Some(name)) = (&m.fixed, m.str_of("IFLA_IFNAME")) {
                cache.insert(h, name, m.u32_of("IFLA_TXQLEN"));
            }
        }
        cache
    }

    /// Adds or refreshes one link from an RTM_NEWLINK message (a link
    /// event, as `ip monitor` keeps its map current).
    pub fn update(&mut self, m: &Message) {
        if let (Fixed::Link(h), Some(name)) = (&m.fixed, m.str_of("IFLA_IFNAME")) {
            self.insert(h, name, m.u32_of("IFLA_TXQLEN"));
        }
    }

    /// Forgets every link's queue length (`ip monitor` never prints it).
    pub fn forget_txqlen(&mut self) {
        for e in self.by_index.values_mut() {
            e.txqlen = None;
        }
    }

    /// Forgets link `index` (after its RTM_DELLINK).
    pub fn remove(&mut self, index: u32) {
        self.by_index.remove(&index);
    }

    /// Adds one link from a borrowed RTM_NEWLINK (a streamed dump).
    pub fn add_view(&mut self, v: &LinkView<'_>) {
        if let Some(name) = v.name() {
            let txqlen = v.attr(IFLA_TXQLEN).and_then(|a| a.u32());
            self.insert(&v.hdr, name, txqlen);
        }
    }

    fn insert(&mut self, h: &IfInfoMsg, name: &str, txqlen: Option<u32>) {
        self.by_index.insert(
            h.index as u32,
            LinkEntry {
                name: name.to_string(),
                flags: h.flags,
                hw_type: h.kind,
                txqlen,
            },
        );
    }

    /// The name of link `index` as `ip` prints it: `*` for 0, `if<N>` when
    /// unknown.
    pub fn name(&self, index: u32) -> String {
        if index == 0 {
            return "*".into();
        }
        match self.by_index.get(&index) {
            Some(e) => e.name.clone(),
            None => format!("if{index}"),
        }
    }

    /// [`LinkCache::name`] without an allocation.
    pub fn name_ref(&self, index: u32) -> LinkName<'_> {
        match index {
            0 => LinkName::Name("*"),
            _ => match self.by_index.get(&index) {
                Some(e) => LinkName::Name(&e.name),
                None => LinkName::Unknown(index),
            },
        }
    }

    /// The index of the link named `name`.
    pub fn index_of(&self, name: &str) -> Option<u32> {
        self.by_index
            .iter()
            .find(|(_, e)| e.name == name)
            .map(|(i, _)| *i)
    }

    /// The link's `IFF_*` flags, 0 when unknown (as `ll_index_to_flags`).
    pub fn flags(&self, index: u32) -> u32 {
        self.by_index.get(&index).map_or(0, |e| e.flags)
    }

    /// The link's transmit queue length, when known.
    pub fn txqlen(&self, index: u32) -> Option<u32> {
        self.by_index.get(&index).and_then(|e| e.txqlen)
    }

    /// The link's hardware type, when known.
    pub fn hw_type(&self, index: u32) -> Option<u16> {
        self.by_index.get(&index).map(|e| e.hw_type)
    }
}

/// A link's name as [`LinkCache::name`] spells it, borrowed.
#[derive(Debug, Clone, Copy)]
pub enum LinkName<'a> {
    /// The name (or `*` for index 0).
    Name(&'a str),
    /// An index the cache does not know: `if<N>`.
    Unknown(u32),
}

impl std::fmt::Display for LinkName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkName::Name(n) => f.write_str(n),
            LinkName::Unknown(i) => write!(f, "if{i}"),
        }
    }
}

impl crate::out::Val for LinkName<'_> {
    fn push(&self, buf: &mut Vec<u8>, json: bool) {
        match self {
            LinkName::Name(n) => n.push(buf, json),
            LinkName::Unknown(i) => {
                buf.extend_from_slice(b"if");
                crate::out::push_u64(buf, (*i).into());
            }
        }
    }
}

/// Attribute accessors by kernel name, on a message or a nested list.
pub trait Attrs {
    /// The attributes.
    fn attr_list(&self) -> &[Attr];

    /// The first attribute named `name`.
    fn find(&self, name: &str) -> Option<&Attr> {
        rtnl_wire::attr::find(self.attr_list(), name)
    }
    /// The value of `name`.
    fn val(&self, name: &str) -> Option<&Value> {
        self.find(name).map(|a| &a.value)
    }
    /// True when `name` is present.
    fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }
    /// `name` as an unsigned integer.
    fn u64_of(&self, name: &str) -> Option<u64> {
        self.val(name)?.as_u64()
    }
    /// `name` as a u32.
    fn u32_of(&self, name: &str) -> Option<u32> {
        self.val(name)?.as_u32()
    }
    /// `name` as an i32 (signed attributes, or unsigned ones read as C does).
    fn i32_of(&self, name: &str) -> Option<i32> {
        match self.val(name)? {
            Value::S32(v) => Some(*v),
            v => v.as_u64().map(|x| x as u32 as i32),
        }
    }
    /// `name` as a string.
    fn str_of(&self, name: &str) -> Option<&str> {
        self.val(name)?.as_str()
    }
    /// `name` as an IP address.
    fn ip_of(&self, name: &str) -> Option<IpAddr> {
        self.val(name)?.as_ip()
    }
    /// `name` as bytes.
    fn bytes_of(&self, name: &str) -> Option<&[u8]> {
        self.val(name)?.as_bytes()
    }
    /// The attributes nested in `name`.
    fn nested(&self, name: &str) -> Option<&[Attr]> {
        self.val(name)?.as_nested()
    }
    /// One field of a struct attribute, by the field name of its table.
    fn field(&self, name: &str, field: &str) -> Option<u64> {
        let a = self.find(name)?;
        let Value::Struct(values) = &a.value else {
            return None;
        };
        let AttrKind::Struct(spec) = a.spec?.kind else {
            return None;
        };
        let i = spec.fields.iter().position(|f| *f == field)?;
        values.get(i).copied()
    }
}

impl Attrs for [Attr] {
    fn attr_list(&self) -> &[Attr] {
        self
    }
}

impl Attrs for Message {
    fn attr_list(&self) -> &[Attr] {
        &self.attrs
    }
}

/// The name of `v` in `table`, or the number.
pub fn name_or_num(table: &Names, v: u32) -> String {
    name_or(table, v).to_string()
}

/// [`name_or_num`] without an allocation: displays as the name or the number.
#[derive(Debug, Clone, Copy)]
pub enum NameOr {
    /// The table's name for the value.
    Name(&'static str),
    /// A value the table does not name.
    Num(u32),
}

impl std::fmt::Display for NameOr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameOr::Name(n) => f.write_str(n),
            NameOr::Num(v) => write!(f, "{v}"),
        }
    }
}

impl crate::out::Val for NameOr {
    fn push(&self, buf: &mut Vec<u8>, json: bool) {
        match self {
            NameOr::Name(n) => n.push(buf, json),
            NameOr::Num(v) => crate::out::push_u64(buf, (*v).into()),
        }
    }
}

/// The name of `v` in `table`, or the number, as a [`NameOr`].
pub fn name_or(table: &Names, v: u32) -> NameOr {
    table.name(v).map_or(NameOr::Num(v), NameOr::Name)
}

/// A routing table's name (`main`, `local` ...) or number.
pub fn table_name(id: u32) -> String {
    name_or_num(&names::TABLES, id)
}

/// A route protocol's name (`kernel`, `boot` ...) or number.
pub fn protocol_name(p: u32) -> String {
    name_or_num(&names::ROUTE_PROTOCOLS, p)
}

/// A scope's name (`global`, `link` ...) or number.
pub fn scope_name(s: u32) -> String {
    name_or_num(&names::SCOPES, s)
}

/// A route type's name (`unicast`, `blackhole` ...) or number.
pub fn route_type_name(t: u32) -> String {
    name_or_num(&names::ROUTE_TYPES, t)
}

/// A hardware type's name (`ether`, `loopback` ...) or `[N]`.
pub fn link_type_name(t: u16) -> String {
    names::LINK_TYPES
        .name(t.into())
        .map(str::to_string)
        .unwrap_or_else(|| format!("[{t}]"))
}

/// A link group's name. Only group 0 has a name (`default`) unless
/// /etc/iproute2/group says more, which is not read.
pub fn group_name(g: u32) -> String {
    if g == 0 {
        "default".into()
    } else {
        g.to_string()
    }
}

/// An address family as `ip` names it (`inet`, `inet6`, `link` ...).
pub fn family_name(f: u8) -> Option<&'static str> {
    names::FAMILIES.name(f.into())
}

/// Route and next-hop flags in `ip route`'s order, with their names:
/// `RTNH_F_*` from NEXTHOP_FLAGS, then the `RTM_F_*` offload flags from
/// ROUTE_FLAGS with the `rt_` prefix `ip` gives them (`cloned` is printed
/// elsewhere, as `ip` does).
///
/// Calls `f(prefix, name)` for each flag, in order (`prefix` is `""` or
/// `"rt_"`); the bits are tested as `Names::flags` tests them.
pub fn for_each_route_flag(flags: u32, mut f: impl FnMut(&'static str, &'static str)) {
    if flags == 0 {
        return;
    }
    let named = |table: &Names, v: u32, f: &mut dyn FnMut(&'static str)| {
        for &(bit, name) in table.entries {
            if bit != 0 && v & bit == bit {
                f(name);
            }
        }
    };
    named(&names::NEXTHOP_FLAGS, flags, &mut |n| f("", n));
    named(
        &names::ROUTE_FLAGS,
        flags & !names::RTM_F_CLONED,
        &mut |n| f("rt_", n),
    );
}

/// An address flag's name as `ip` spells it.
pub fn addr_flag_name(bit: u32) -> Option<&'static str> {
    names::ADDR_FLAGS.name(bit)
}

/// `ARPHRD_TUNNEL`, `ARPHRD_SIT`, `ARPHRD_IPGRE`: 4-byte addresses are IPv4.
const V4_TUNNEL_TYPES: &[u16] = &[768, 776, 778];
/// `ARPHRD_TUNNEL6`, `ARPHRD_IP6GRE`: 16-byte addresses are IPv6.
const V6_TUNNEL_TYPES: &[u16] = &[769, 823];

/// A hardware address as `ip` prints it for a link of `hw_type`.
pub fn hwaddr(b: &[u8], hw_type: Option<u16>) -> String {
    let t = hw_type.unwrap_or(0);
    let as_ip = match b.len() {
        4 if V4_TUNNEL_TYPES.contains(&t) => rtnl_wire::value::ip_from_bytes(b),
        16 if V6_TUNNEL_TYPES.contains(&t) => rtnl_wire::value::ip_from_bytes(b),
        _ => None,
    };
    match as_ip {
        Some(ip) => ip.to_string(),
        None => rtnl_wire::value::hex_colon(b),
    }
}

/// Bytes as plain hex without separators (`hexstring_n2a`).
pub fn hexstring(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The number of bits in an address of family `f`.
pub fn host_len(f: u8) -> Option<u8> {
    match f {
        AF_INET => Some(32),
        AF_INET6 => Some(128),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_flags_in_ip_order() {
        let (n, rest) = names::LINK_FLAGS.flags(0x11043 & !IFF_RUNNING);
        assert_eq!(n, ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]);
        assert_eq!(rest, 0);
    }

    fn route_flag_names(flags: u32) -> Vec<String> {
        let mut out = Vec::new();
        for_each_route_flag(flags, |prefix, name| out.push(format!("{prefix}{name}")));
        out
    }

    #[test]
    fn route_flags_spelled_like_ip() {
        assert_eq!(
            route_flag_names(0x1 | 0x4 | 0x10),
            ["dead", "onlink", "linkdown"]
        );
        assert_eq!(route_flag_names(0x4000 | 0x200), ["rt_offload"]);
    }

    #[test]
    fn tunnel_addresses_print_as_ip() {
        assert_eq!(hwaddr(&[10, 0, 0, 1], Some(768)), "10.0.0.1");
        assert_eq!(hwaddr(&[2, 0, 0, 0, 0, 1], Some(1)), "02:00:00:00:00:01");
        assert_eq!(link_type_name(9999), "[9999]");
    }
}
