//! Neighbours: `struct ndmsg` and the NDA_* table.

use std::net::IpAddr;

use crate::attr::{StructSpec, Table};
use crate::attr_table;
use crate::view::{u16_at, u32_at, FixedHeader, View};

/// `struct ndmsg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NdMsg {
    /// AF_INET, AF_INET6, AF_BRIDGE ...
    pub family: u8,
    /// Interface index.
    pub ifindex: i32,
    /// `NUD_*` state.
    pub state: u16,
    /// `NTF_*` flags.
    pub flags: u8,
    /// `RTN_*` type.
    pub kind: u8,
}

impl FixedHeader for NdMsg {
    const NAME: &'static str = "ndmsg";
    const LEN: usize = 12;
    fn table() -> &'static Table {
        &NEIGH
    }
    fn decode(b: &[u8]) -> Self {
        NdMsg {
            family: b[0],
            ifindex: u32_at(b, 4) as i32,
            state: u16_at(b, 8),
            flags: b[10],
            kind: b[11],
        }
    }
    fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[self.family, 0, 0, 0]);
        out.extend_from_slice(&self.ifindex.to_ne_bytes());
        out.extend_from_slice(&self.state.to_ne_bytes());
        out.extend_from_slice(&[self.flags, self.kind]);
    }
}

/// `struct nda_cacheinfo`.
pub static NDA_CACHEINFO_STRUCT: StructSpec = StructSpec {
    name: "nda_cacheinfo",
    width: 4,
    fields: &["ndm_confirmed", "ndm_used", "ndm_updated", "ndm_refcnt"],
    big_endian: false,
};

attr_table! {
    /// NDA_* attributes of RTM_*NEIGH messages.
    pub static NEIGH = "neigh" {
        NDA_DST = 1 => Ip,
        NDA_LLADDR = 2 => LinkAddr,
        NDA_CACHEINFO = 3 => Struct(&NDA_CACHEINFO_STRUCT),
        NDA_PROBES = 4 => U32,
        NDA_VLAN = 5 => U16,
        NDA_PORT = 6 => U16Be,
        NDA_VNI = 7 => U32,
        NDA_IFINDEX = 8 => U32,
        NDA_MASTER = 9 => U32,
        NDA_LINK_NETNSID = 10 => S32,
        NDA_SRC_VNI = 11 => U32,
        NDA_PROTOCOL = 12 => U8,
        NDA_NH_ID = 13 => U32,
        NDA_FDB_EXT_ATTRS = 14 => Bytes,
        NDA_FLAGS_EXT = 15 => U32,
        NDA_NDM_STATE_MASK = 16 => U16,
        NDA_NDM_FLAGS_MASK = 17 => U8,
    }
}

/// A neighbour message borrowed from a buffer.
pub type NeighView<'a> = View<'a, NdMsg>;

impl<'a> NeighView<'a> {
    /// NDA_DST.
    pub fn dst(&self) -> Option<IpAddr> {
        self.attr(NDA_DST)?.ip()
    }
    /// NDA_LLADDR.
    pub fn lladdr(&self) -> Option<&'a [u8]> {
        self.attr(NDA_LLADDR).map(|a| a.payload())
    }
}
