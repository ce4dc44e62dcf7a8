//! Dump filters: what to ask the kernel for, and the same test applied on
//! our side. With NETLINK_GET_STRICT_CHK the kernel filters the dump itself
//! (much less to read on large tables); the local check keeps the answer right
//! on kernels or emulators that ignore a filter.

use rtnl_wire::family::{addr::*, link::*, neigh::*, route::*, rule::*};
use rtnl_wire::netlink::MessageWriter;
use rtnl_wire::nla::NLA_F_NESTED;
use rtnl_wire::rtm::Family;
use rtnl_wire::view::FixedHeader;

/// A dump request: the family, the request's fixed header and attributes,
/// and the local match.
pub trait DumpFilter {
    /// The object family dumped.
    fn family(&self) -> Family;
    /// Writes the fixed header and filter attributes of the request.
    fn write_request(&self, w: &mut MessageWriter);
    /// True when the object message `payload` passes the filter.
    fn matches(&self, payload: &[u8]) -> bool;
    /// A short description for error messages (`dump routes table 100`).
    fn describe(&self) -> String;
}

fn put_fixed<H: FixedHeader>(w: &mut MessageWriter, h: H) {
    let mut b = Vec::with_capacity(H::LEN);
    h.emit(&mut b);
    w.put_bytes(&b);
}

/// Which links to dump.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkFilter {
    /// `ifi_family` of the request: 0 for the ordinary link dump;
    /// AF_INET6 asks the kernel's IPv6 code, which answers with the links
    /// that have IPv6 state (what `ip -6 addr` lists).
    pub family: u8,
    /// Only ports of this master (IFLA_MASTER; filtered by the kernel).
    pub master: Option<u32>,
    /// Only links of this kind (`veth`, `bridge` ...; filtered by the kernel).
    pub kind: Option<String>,
}

impl DumpFilter for LinkFilter {
    fn family(&self) -> Family {
        Family::Link
    }
    fn write_request(&self, w: &mut MessageWriter) {
        put_fixed(
            w,
            IfInfoMsg {
                family: self.family,
                ..Default::default()
            },
        );
        if let Some(m) = self.master {
            w.put_u32(IFLA_MASTER, m);
        }
        if let Some(k) = &self.kind {
            let n = w.begin_nested(IFLA_LINKINFO | NLA_F_NESTED);
            w.put_str(IFLA_INFO_KIND, k);
            w.end_nested(n);
        }
    }
    fn matches(&self, payload: &[u8]) -> bool {
        let Ok(v) = LinkView::parse(payload) else {
            return true;
        };
        self.master.is_none_or(|m| v.master() == Some(m))
            && self.kind.as_deref().is_none_or(|k| v.kind() == Some(k))
    }
    fn describe(&self) -> String {
        let mut s = match self.family {
            0 => "dump links".to_string(),
            f => format!("dump links of family {f}"),
        };
        if let Some(m) = self.master {
            s += &format!(" master {m}");
        }
        if let Some(k) = &self.kind {
            s += &format!(" type {k}");
        }
        s
    }
}

/// Which addresses to dump.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddrFilter {
    /// AF_INET (2), AF_INET6 (10) or 0 for both.
    pub family: u8,
    /// Only addresses of this link.
    pub index: Option<u32>,
}

impl DumpFilter for AddrFilter {
    fn family(&self) -> Family {
        Family::Addr
    }
    fn write_request(&self, w: &mut MessageWriter) {
        // The link is checked locally, not by the kernel: Linux skips its
        // NLM_F_DUMP_INTR bookkeeping on a dump filtered by ifa_index, so a
        // filtered dump racing a change comes back silently inconsistent
        // (addresses missing or repeated, never flagged).
        put_fixed(
            w,
            IfAddrMsg {
                family: self.family,
                ..Default::default()
            },
        );
    }
    fn matches(&self, payload: &[u8]) -> bool {
        let Ok(v) = AddrView::parse(payload) else {
            return true;
        };
        (self.family == 0 || v.hdr.family == self.family)
            && self.index.is_none_or(|i| v.hdr.index == i)
    }
    fn describe(&self) -> String {
        match self.index {
            Some(i) => format!("dump addresses of link {i}"),
            None => "dump addresses".into(),
        }
    }
}

/// Which routes to dump.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteFilter {
    /// AF_INET, AF_INET6 or 0 for all.
    pub family: u8,
    /// Only this table (None: every table).
    pub table: Option<u32>,
    /// Only routes through this link.
    pub oif: Option<u32>,
    /// Only routes of this protocol (`RTPROT_*`).
    pub protocol: Option<u8>,
    /// Only routes of this type (`RTN_*`).
    pub kind: Option<u8>,
}

impl DumpFilter for RouteFilter {
    fn family(&self) -> Family {
        Family::Route
    }
    fn write_request(&self, w: &mut MessageWriter) {
        put_fixed(
            w,
            RtMsg {
                family: self.family,
                protocol: self.protocol.unwrap_or(0),
                kind: self.kind.unwrap_or(0),
                ..Default::default()
            },
        );
        if let Some(t) = self.table {
            w.put_u32(RTA_TABLE, t);
        }
        if let Some(o) = self.oif {
            w.put_u32(RTA_OIF, o);
        }
    }
    fn matches(&self, payload: &[u8]) -> bool {
        let Ok(v) = RouteView::parse(payload) else {
            return true;
        };
        (self.family == 0 || v.hdr.family == self.family)
            && self.table.is_none_or(|t| v.table() == t)
            && self.protocol.is_none_or(|p| v.hdr.protocol == p)
            && self.kind.is_none_or(|k| v.hdr.kind == k)
            && self.oif.is_none_or(|o| {
                // A multipath route passes when any hop uses the link.
                v.oif() == Some(o)
                    || v.attr(RTA_MULTIPATH)
                        .is_some_and(|mp| multipath_uses(mp.payload(), o))
            })
    }
    fn describe(&self) -> String {
        let mut s = "dump routes".to_string();
        if let Some(t) = self.table {
            s += &format!(" table {t}");
        }
        s
    }
}

/// True when an RTA_MULTIPATH payload has a hop through `oif`.
fn multipath_uses(mut p: &[u8], oif: u32) -> bool {
    while p.len() >= 8 {
        let len = u16::from_ne_bytes([p[0], p[1]]) as usize;
        if u32::from_ne_bytes([p[4], p[5], p[6], p[7]]) == oif {
            return true;
        }
        if len < 8 {
            return false;
        }
        p = p.get(rtnl_wire::netlink::align(len)..).unwrap_or_default();
    }
    false
}

/// Which neighbours to dump.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeighFilter {
    /// AF_INET, AF_INET6, AF_BRIDGE or 0 for all.
    pub family: u8,
    /// Only entries on this link.
    pub ifindex: Option<u32>,
    /// Only entries on ports of this master.
    pub master: Option<u32>,
    /// Proxy entries instead of the neighbour table.
    pub proxy: bool,
}

/// `NTF_PROXY`.
const NTF_PROXY: u8 = 0x08;

impl DumpFilter for NeighFilter {
    fn family(&self) -> Family {
        Family::Neigh
    }
    fn write_request(&self, w: &mut MessageWriter) {
        put_fixed(
            w,
            NdMsg {
                family: self.family,
                flags: if self.proxy { NTF_PROXY } else { 0 },
                ..Default::default()
            },
        );
        if let Some(i) = self.ifindex {
            w.put_u32(NDA_IFINDEX, i);
        }
        if let Some(m) = self.master {
            w.put_u32(NDA_MASTER, m);
        }
    }
    fn matches(&self, payload: &[u8]) -> bool {
        let Ok(v) = NeighView::parse(payload) else {
            return true;
        };
        (self.family == 0 || v.hdr.family == self.family)
            && self.ifindex.is_none_or(|i| v.hdr.ifindex as u32 == i)
            && (self.proxy == (v.hdr.flags & NTF_PROXY != 0))
    }
    fn describe(&self) -> String {
        if self.proxy {
            "dump proxy neighbours"
        } else {
            "dump neighbours"
        }
        .into()
    }
}

/// Which rules to dump.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleFilter {
    /// AF_INET, AF_INET6 or 0 for both.
    pub family: u8,
    /// Only rules pointing at this table (checked locally: the kernel has no rule filters).
    pub table: Option<u32>,
}

impl DumpFilter for RuleFilter {
    fn family(&self) -> Family {
        Family::Rule
    }
    fn write_request(&self, w: &mut MessageWriter) {
        put_fixed(
            w,
            FibRuleHdr {
                family: self.family,
                ..Default::default()
            },
        );
    }
    fn matches(&self, payload: &[u8]) -> bool {
        let Ok(v) = RuleView::parse(payload) else {
            return true;
        };
        (self.family == 0 || v.hdr.family == self.family)
            && self.table.is_none_or(|t| v.table() == t)
    }
    fn describe(&self) -> String {
        "dump rules".into()
    }
}
