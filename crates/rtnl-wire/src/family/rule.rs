//! Policy rules: `struct fib_rule_hdr` and the FRA_* table.

use crate::attr::{StructSpec, Table};
use crate::attr_table;
use crate::view::{u32_at, FixedHeader, View};

/// `struct fib_rule_hdr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FibRuleHdr {
    /// AF_INET or AF_INET6.
    pub family: u8,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Source prefix length.
    pub src_len: u8,
    /// TOS.
    pub tos: u8,
    /// Table id (low 8 bits; FRA_TABLE holds the full id).
    pub table: u8,
    /// `FR_ACT_*`.
    pub action: u8,
    /// `FIB_RULE_*` flags.
    pub flags: u32,
}

impl FixedHeader for FibRuleHdr {
    const NAME: &'static str = "fib_rule_hdr";
    const LEN: usize = 12;
    fn table() -> &'static Table {
        &RULE
    }
    fn decode(b: &[u8]) -> Self {
        FibRuleHdr {
            family: b[0],
            dst_len: b[1],
            src_len: b[2],
            tos: b[3],
            table: b[4],
            action: b[7],
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
            0,
            0,
            self.action,
        ]);
        out.extend_from_slice(&self.flags.to_ne_bytes());
    }
}

/// `struct fib_rule_uid_range`.
pub static UID_RANGE: StructSpec = StructSpec {
    name: "fib_rule_uid_range",
    width: 4,
    fields: &["start", "end"],
    big_endian: false,
};
/// `struct fib_rule_port_range`.
pub static PORT_RANGE: StructSpec = StructSpec {
    name: "fib_rule_port_range",
    width: 2,
    fields: &["start", "end"],
    big_endian: false,
};

attr_table! {
    /// FRA_* attributes of RTM_*RULE messages.
    pub static RULE = "rule" {
        FRA_DST = 1 => Ip,
        FRA_SRC = 2 => Ip,
        FRA_IIFNAME = 3 => Str,
        FRA_GOTO = 4 => U32,
        FRA_PRIORITY = 6 => U32,
        FRA_FWMARK = 10 => U32,
        FRA_FLOW = 11 => U32,
        FRA_TUN_ID = 12 => U64Be,
        FRA_SUPPRESS_IFGROUP = 13 => U32,
        FRA_SUPPRESS_PREFIXLEN = 14 => U32,
        FRA_TABLE = 15 => U32,
        FRA_FWMASK = 16 => U32,
        FRA_OIFNAME = 17 => Str,
        FRA_PAD = 18 => Bytes,
        FRA_L3MDEV = 19 => U8,
        FRA_UID_RANGE = 20 => Struct(&UID_RANGE),
        FRA_PROTOCOL = 21 => U8,
        FRA_IP_PROTO = 22 => U8,
        FRA_SPORT_RANGE = 23 => Struct(&PORT_RANGE),
        FRA_DPORT_RANGE = 24 => Struct(&PORT_RANGE),
        FRA_DSCP = 25 => U8,
        FRA_FLOWLABEL = 26 => U32Be,
        FRA_FLOWLABEL_MASK = 27 => U32Be,
        FRA_SPORT_MASK = 28 => U16,
        FRA_DPORT_MASK = 29 => U16,
        FRA_DSCP_MASK = 30 => U8,
    }
}

/// A rule message borrowed from a buffer.
pub type RuleView<'a> = View<'a, FibRuleHdr>;

impl<'a> RuleView<'a> {
    /// The full table id: FRA_TABLE when present, else the header's 8 bits.
    pub fn table(&self) -> u32 {
        self.attr(FRA_TABLE)
            .and_then(|a| a.u32())
            .unwrap_or(self.hdr.table.into())
    }
    /// FRA_PRIORITY.
    pub fn priority(&self) -> Option<u32> {
        self.attr(FRA_PRIORITY)?.u32()
    }
}
