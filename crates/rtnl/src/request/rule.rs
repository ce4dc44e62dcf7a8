//! Policy rules: `ip rule add | del`.

use std::fmt::Write as _;

use rtnl_wire::family::rule::FibRuleHdr;
use rtnl_wire::message::{Fixed, Message};
use rtnl_wire::names::{FR_ACT_TO_TBL, FR_ACT_UNSPEC, RT_TABLE_MAIN, RULE_ACTIONS};
use rtnl_wire::netlink::{NLM_F_CREATE, NLM_F_EXCL};
use rtnl_wire::rtm::{RTM_DELRULE, RTM_NEWRULE};
use rtnl_wire::Value;

use super::{check_ifname, invalid, IpNet, Request, AF_INET};
use crate::error::Result;
use crate::filter::RuleFilter;
use crate::iproute::IpRoute;

/// A policy rule (`ip rule add from PREFIX to PREFIX iif DEV oif DEV
/// fwmark M/MASK priority N table T | blackhole | unreachable | prohibit`).
/// On delete, unset fields match anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    /// AF_INET or AF_INET6; 0 infers it from `from` / `to` (IPv4 when
    /// neither is given).
    pub family: u8,
    /// `from`.
    pub from: Option<IpNet>,
    /// `to`.
    pub to: Option<IpNet>,
    /// `iif` (a name: the link need not exist yet).
    pub iif: Option<String>,
    /// `oif`.
    pub oif: Option<String>,
    /// `table`; on add with no action, main.
    pub table: Option<u32>,
    /// `priority` / `pref`.
    pub priority: Option<u32>,
    /// `fwmark`.
    pub fwmark: Option<u32>,
    /// The fwmark's mask.
    pub fwmask: Option<u32>,
    /// `FR_ACT_*`: `to_tbl`, `blackhole`, `unreachable`, `prohibit` ...;
    /// `None` is `to_tbl` on add.
    pub action: Option<u8>,
    /// `tos`.
    pub tos: u8,
}

impl Rule {
    /// An `FR_ACT_*` action from its `ip` name.
    pub fn action_from_name(s: &str) -> Result<u8> {
        let s = if s == "table" || s == "lookup" {
            "to_tbl"
        } else {
            s
        };
        RULE_ACTIONS.value(s).map(|v| v as u8).ok_or_else(|| {
            invalid(
                s,
                "not a rule action (to_tbl, goto, nop, blackhole, unreachable, prohibit)",
            )
        })
    }
}

fn build(kind: u16, flags: u16, r: &Rule, verb: &str) -> Result<Request> {
    let del = kind == RTM_DELRULE;
    let family = if r.family != 0 {
        r.family
    } else {
        r.from
            .map(|f| f.family())
            .or(r.to.map(|t| t.family()))
            .unwrap_or(AF_INET)
    };
    for (what, n) in [("from", r.from), ("to", r.to)] {
        if let Some(n) = n.filter(|n| n.family() != family) {
            return Err(invalid(
                format!("{what} {n}"),
                "the prefix's family differs from the rule's",
            ));
        }
    }
    let action = match r.action {
        Some(a) => a,
        None if del && r.table.is_none() => FR_ACT_UNSPEC,
        None => FR_ACT_TO_TBL,
    };
    let table = match r.table {
        Some(t) => t,
        None if action == FR_ACT_TO_TBL && !del => RT_TABLE_MAIN,
        None => 0,
    };
    let mut m = Message::new(
        kind,
        flags,
        Fixed::Rule(FibRuleHdr {
            family,
            dst_len: r.to.map_or(0, |n| n.prefix_len),
            src_len: r.from.map_or(0, |n| n.prefix_len),
            tos: r.tos,
            table: if table < 256 { table as u8 } else { 0 },
            action,
            flags: 0,
        }),
    );
    let mut op = format!("{verb} rule");
    if let Some(p) = r.priority {
        m.push_attr("FRA_PRIORITY", Value::U32(p));
        let _ = write!(op, " priority {p}");
    }
    if let Some(n) = r.from {
        m.push_attr("FRA_SRC", Value::Ip(n.addr));
        let _ = write!(op, " from {n}");
    }
    if let Some(n) = r.to {
        m.push_attr("FRA_DST", Value::Ip(n.addr));
        let _ = write!(op, " to {n}");
    }
    if let Some(i) = &r.iif {
        check_ifname("iif", i)?;
        m.push_attr("FRA_IIFNAME", Value::Str(i.clone()));
        let _ = write!(op, " iif {i}");
    }
    if let Some(o) = &r.oif {
        check_ifname("oif", o)?;
        m.push_attr("FRA_OIFNAME", Value::Str(o.clone()));
        let _ = write!(op, " oif {o}");
    }
    if let Some(f) = r.fwmark {
        m.push_attr("FRA_FWMARK", Value::U32(f));
        let _ = write!(op, " fwmark {f:#x}");
    }
    if let Some(f) = r.fwmask {
        if r.fwmark.is_none() {
            return Err(invalid(format!("mask {f:#x}"), "a mask needs a fwmark"));
        }
        m.push_attr("FRA_FWMASK", Value::U32(f));
        let _ = write!(op, "/{f:#x}");
    }
    if table != 0 {
        m.push_attr("FRA_TABLE", Value::U32(table));
        let _ = write!(op, " table {table}");
    }
    if action != FR_ACT_TO_TBL && action != FR_ACT_UNSPEC {
        let _ = write!(op, " {}", RULE_ACTIONS.name(action.into()).unwrap_or("?"));
    }
    Ok(Request::new(m, op))
}

/// Builds `ip rule add`: NLM_F_CREATE|NLM_F_EXCL.
pub fn rule_add(r: &Rule) -> Result<Request> {
    build(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, r, "add")
}
/// Builds `ip rule del`.
pub fn rule_del(r: &Rule) -> Result<Request> {
    build(RTM_DELRULE, 0, r, "delete")
}

/// ENOENT: the rule is already gone.
const ENOENT: i32 = 2;

/// A delete request for a rule message from a dump: the same selectors,
/// as `ip rule flush` sends them back.
fn del_from_dump(m: &Message) -> Option<Request> {
    let Fixed::Rule(h) = &m.fixed else {
        return None;
    };
    let mut d = Message::new(RTM_DELRULE, 0, Fixed::Rule(*h));
    d.attrs = m.attrs.clone();
    let prio = m.get_attr("FRA_PRIORITY").and_then(Value::as_u32)?;
    Some(Request::new(d, format!("delete rule {prio}")))
}

impl IpRoute {
    /// Deletes the rules `filter` selects that `keep` accepts (`ip rule
    /// flush`). As with `ip`, only rules that carry a priority are deleted:
    /// the priority 0 `local` rule never is, but `main` and `default`
    /// are when selected. A failure says how many were deleted before it.
    /// Returns how many were deleted.
    pub fn rule_flush_where(
        &mut self,
        filter: &RuleFilter,
        mut keep: impl FnMut(&Message) -> bool,
    ) -> Result<usize> {
        let rules =
            self.dump_filtered_where(filter, |m| m.get_attr("FRA_PRIORITY").is_some() && keep(m))?;
        self.delete_each("rules", &rules, del_from_dump, ENOENT)
    }

    /// Adds a rule (`ip rule add`).
    pub fn rule_add(&mut self, r: &Rule) -> Result<()> {
        self.execute(rule_add(r)?).map(drop)
    }
    /// Deletes the first rule matching `r` (`ip rule del`).
    pub fn rule_del(&mut self, r: &Rule) -> Result<()> {
        self.execute(rule_del(r)?).map(drop)
    }
}
