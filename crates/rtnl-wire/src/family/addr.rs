//! Addresses: `struct ifaddrmsg` and the IFA_* table.

use std::net::IpAddr;

use crate::attr::{StructSpec, Table};
use crate::attr_table;
use crate::view::{u32_at, FixedHeader, View};

/// `struct ifaddrmsg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IfAddrMsg {
    /// AF_INET or AF_INET6.
    pub family: u8,
    /// Prefix length.
    pub prefixlen: u8,
    /// `IFA_F_*` flags (the low 8; IFA_FLAGS holds all 32).
    pub flags: u8,
    /// `RT_SCOPE_*`.
    pub scope: u8,
    /// Interface index.
    pub index: u32,
}

impl FixedHeader for IfAddrMsg {
    const NAME: &'static str = "ifaddrmsg";
    const LEN: usize = 8;
    fn table() -> &'static Table {
        &ADDR
    }
    fn decode(b: &[u8]) -> Self {
        IfAddrMsg {
            family: b[0],
            prefixlen: b[1],
            flags: b[2],
            scope: b[3],
            index: u32_at(b, 4),
        }
    }
    fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[self.family, self.prefixlen, self.flags, self.scope]);
        out.extend_from_slice(&self.index.to_ne_bytes());
    }
}

/// `struct ifa_cacheinfo`.
pub static IFA_CACHEINFO_STRUCT: StructSpec = StructSpec {
    name: "ifa_cacheinfo",
    width: 4,
    fields: &["ifa_preferred", "ifa_valid", "cstamp", "tstamp"],
    big_endian: false,
};

attr_table! {
    /// IFA_* attributes of RTM_*ADDR messages.
    pub static ADDR = "addr" {
        IFA_ADDRESS = 1 => Ip,
        IFA_LOCAL = 2 => Ip,
        IFA_LABEL = 3 => Str,
        IFA_BROADCAST = 4 => Ip,
        IFA_ANYCAST = 5 => Ip,
        IFA_CACHEINFO = 6 => Struct(&IFA_CACHEINFO_STRUCT),
        IFA_MULTICAST = 7 => Ip,
        IFA_FLAGS = 8 => U32,
        IFA_RT_PRIORITY = 9 => U32,
        IFA_TARGET_NETNSID = 10 => S32,
        IFA_PROTO = 11 => U8,
    }
}

/// An address message borrowed from a buffer.
pub type AddrView<'a> = View<'a, IfAddrMsg>;

impl<'a> AddrView<'a> {
    /// IFA_ADDRESS (the peer on point-to-point links).
    pub fn address(&self) -> Option<IpAddr> {
        self.attr(IFA_ADDRESS)?.ip()
    }
    /// IFA_LOCAL (the local address; on broadcast links equal to IFA_ADDRESS).
    pub fn local(&self) -> Option<IpAddr> {
        self.attr(IFA_LOCAL)?.ip()
    }
    /// IFA_LABEL.
    pub fn label(&self) -> Option<&'a str> {
        self.attr(IFA_LABEL)?.str()
    }
    /// All flags: IFA_FLAGS when present, else the header's 8 bits.
    pub fn flags(&self) -> u32 {
        self.attr(IFA_FLAGS)
            .and_then(|a| a.u32())
            .unwrap_or(self.hdr.flags.into())
    }
}
