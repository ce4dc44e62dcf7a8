//! Routes: `struct rtmsg` and the RTA_* / RTAX_* tables.

use std::net::IpAddr;

use crate::attr::{StructSpec, Table};
use crate::attr_table;
use crate::view::{u32_at, FixedHeader, View};

/// `struct rtmsg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RtMsg {
    /// AF_INET, AF_INET6 ...
    pub family: u8,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Source prefix length.
    pub src_len: u8,
    /// TOS / DSCP.
    pub tos: u8,
    /// Table id (low 8 bits; RTA_TABLE holds the full id).
    pub table: u8,
    /// `RTPROT_*`.
    pub protocol: u8,
    /// `RT_SCOPE_*`.
    pub scope: u8,
    /// `RTN_*` route type.
    pub kind: u8,
    /// `RTM_F_*` flags.
    pub flags: u32,
}

impl FixedHeader for RtMsg {
    const NAME: &'static str = "rtmsg";
    const LEN: usize = 12;
    fn table() -> &'static Table {
        &ROUTE
    }
    fn decode(b: &[u8]) -> Self {
        RtMsg {
            family: b[0],
            dst_len: b[1],
            src_len: b[2],
            tos: b[3],
            table: b[4],
            protocol: b[5],
            scope: b[6],
            kind: b[7],
            flags: u32_at(b, 8),
        }
    }
    fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[
            self.family,
            self.dst_len,
            self.src_len,
            self.tos,
            self.table,
            self.protocol,
            self.scope,
            self.kind,
        ]);
        out.extend_from_slice(&self.flags.to_ne_bytes());
    }
}

/// `struct rta_cacheinfo`.
pub static RTA_CACHEINFO_STRUCT: StructSpec = StructSpec {
    name: "rta_cacheinfo",
    width: 4,
    fields: &[
        "rta_clntref",
        "rta_lastuse",
        "rta_expires",
        "rta_error",
        "rta_used",
        "rta_id",
        "rta_ts",
        "rta_tsage",
    ],
    big_endian: false,
};

/// `struct rta_mfc_stats`.
pub static RTA_MFC_STATS_STRUCT: StructSpec = StructSpec {
    name: "rta_mfc_stats",
    width: 8,
    fields: &["mfcs_packets", "mfcs_bytes", "mfcs_wrong_if"],
    big_endian: false,
};

attr_table! {
    /// RTA_* attributes of RTM_*ROUTE messages (and of RTA_MULTIPATH hops).
    pub static ROUTE = "route" {
        RTA_DST = 1 => Ip,
        RTA_SRC = 2 => Ip,
        RTA_IIF = 3 => U32,
        RTA_OIF = 4 => U32,
        RTA_GATEWAY = 5 => Ip,
        RTA_PRIORITY = 6 => U32,
        RTA_PREFSRC = 7 => Ip,
        RTA_METRICS = 8 => Nested(&METRICS),
        RTA_MULTIPATH = 9 => Multipath(&ROUTE),
        RTA_PROTOINFO = 10 => Bytes,
        RTA_FLOW = 11 => U32,
        RTA_CACHEINFO = 12 => Struct(&RTA_CACHEINFO_STRUCT),
        RTA_SESSION = 13 => Bytes,
        RTA_MP_ALGO = 14 => U32,
        RTA_TABLE = 15 => U32,
        RTA_MARK = 16 => U32,
        RTA_MFC_STATS = 17 => Struct(&RTA_MFC_STATS_STRUCT),
        RTA_VIA = 18 => Via,
        RTA_NEWDST = 19 => Bytes,
        RTA_PREF = 20 => U8,
        RTA_ENCAP_TYPE = 21 => U16,
        RTA_ENCAP = 22 => Bytes,
        RTA_EXPIRES = 23 => U64,
        RTA_PAD = 24 => Bytes,
        RTA_UID = 25 => U32,
        RTA_TTL_PROPAGATE = 26 => U8,
        RTA_IP_PROTO = 27 => U8,
        RTA_SPORT = 28 => U16Be,
        RTA_DPORT = 29 => U16Be,
        RTA_NH_ID = 30 => U32,
        RTA_FLOWLABEL = 31 => U32Be,
    }
}

attr_table! {
    /// RTAX_* metrics inside RTA_METRICS.
    pub static METRICS = "metrics" {
        RTAX_LOCK = 1 => U32,
        RTAX_MTU = 2 => U32,
        RTAX_WINDOW = 3 => U32,
        RTAX_RTT = 4 => U32,
        RTAX_RTTVAR = 5 => U32,
        RTAX_SSTHRESH = 6 => U32,
        RTAX_CWND = 7 => U32,
        RTAX_ADVMSS = 8 => U32,
        RTAX_REORDERING = 9 => U32,
        RTAX_HOPLIMIT = 10 => U32,
        RTAX_INITCWND = 11 => U32,
        RTAX_FEATURES = 12 => U32,
        RTAX_RTO_MIN = 13 => U32,
        RTAX_INITRWND = 14 => U32,
        RTAX_QUICKACK = 15 => U32,
        RTAX_CC_ALGO = 16 => Str,
        RTAX_FASTOPEN_NO_COOKIE = 17 => U32,
    }
}

/// A route message borrowed from a buffer.
pub type RouteView<'a> = View<'a, RtMsg>;

impl<'a> RouteView<'a> {
    /// RTA_DST.
    pub fn dst(&self) -> Option<IpAddr> {
        self.attr(RTA_DST)?.ip()
    }
    /// RTA_GATEWAY.
    pub fn gateway(&self) -> Option<IpAddr> {
        self.attr(RTA_GATEWAY)?.ip()
    }
    /// RTA_OIF.
    pub fn oif(&self) -> Option<u32> {
        self.attr(RTA_OIF)?.u32()
    }
    /// RTA_PRIORITY (the metric).
    pub fn priority(&self) -> Option<u32> {
        self.attr(RTA_PRIORITY)?.u32()
    }
    /// RTA_PREFSRC.
    pub fn prefsrc(&self) -> Option<IpAddr> {
        self.attr(RTA_PREFSRC)?.ip()
    }
    /// The full table id: RTA_TABLE when present, else the header's 8 bits.
    pub fn table(&self) -> u32 {
        self.attr(RTA_TABLE)
            .and_then(|a| a.u32())
            .unwrap_or(self.hdr.table.into())
    }
}
