//! Policy rules: `ip rule show` (iproute2's `print_rule`).

use rtnl::RuleFilter;
use rtnl_wire::names::RULE_ACTIONS;
use rtnl_wire::rtm::RTM_DELRULE;
use rtnl_wire::{Fixed, Message};
use serde_json::Value as Json;

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::names::{host_len, protocol_name, route_type_name, table_name, Attrs, AF_INET};
use crate::out::Out;

const FIB_RULE_INVERT: u32 = 0x2;
const FIB_RULE_UNRESOLVED: u32 = 0x4;
const FIB_RULE_IIF_DETACHED: u32 = 0x8;
const FIB_RULE_OIF_DETACHED: u32 = 0x10;
const FR_ACT_TO_TBL: u8 = 1;
const FR_ACT_GOTO: u8 = 2;
const FR_ACT_NOP: u8 = 3;
const RTN_NAT: u8 = 10;
const RTPROT_KERNEL: u32 = 2;

/// `rtnl rule show [table ID]`: IPv4 unless -6.
pub fn show(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let family = match ctx.opts.family {
        0 => AF_INET,
        f => f,
    };
    let table = p.get("table").map(crate::route::parse_table).transpose()?;
    let rules = ctx.ipr()?.get_rules(&RuleFilter { family, table })?;
    let details = ctx.opts.details;
    let mut o = ctx.out();
    for r in &rules {
        print_rule(&mut o, r, details);
    }
    ctx.emit(o)
}

/// Prints one rule.
pub fn print_rule(o: &mut Out, m: &Message, details: bool) {
    let Fixed::Rule(h) = &m.fixed else {
        return;
    };
    let hlen = host_len(h.family);
    o.open_object(None);
    if m.header.kind == RTM_DELRULE {
        o.flag("deleted", "Deleted ");
    }
    o.uint("priority", "{}:\t", m.u64_of("FRA_PRIORITY").unwrap_or(0));
    if h.flags & FIB_RULE_INVERT != 0 {
        o.null("not", "not ");
    }
    match m.ip_of("FRA_SRC") {
        Some(src) => {
            o.text("from ");
            o.string("src", "{}", &src.to_string());
            if Some(h.src_len) != hlen {
                o.uint("srclen", "/{}", h.src_len.into());
            }
        }
        None if h.src_len != 0 => {
            o.string("src", "from {}", "0");
            o.uint("srclen", "/{}", h.src_len.into());
        }
        None => o.string("src", "from {}", "all"),
    }
    match m.ip_of("FRA_DST") {
        Some(dst) => {
            o.text(" to ");
            o.string("dst", "{}", &dst.to_string());
            if Some(h.dst_len) != hlen {
                o.uint("dstlen", "/{}", h.dst_len.into());
            }
        }
        None if h.dst_len != 0 => {
            o.string("dst", " to {}", "0");
            o.uint("dstlen", "/{}", h.dst_len.into());
        }
        None => {}
    }
    if h.tos != 0 {
        o.string("tos", " tos {}", &format!("0x{:02x}", h.tos));
    }
    if m.has("FRA_FWMARK") || m.has("FRA_FWMASK") {
        let mark = m.u64_of("FRA_FWMARK").unwrap_or(0);
        o.hex("fwmark", " fwmark {}", mark);
        match m.u64_of("FRA_FWMASK") {
            Some(mask) if mask != 0xffff_ffff => o.hex("fwmask", "/{}", mask),
            _ => {}
        }
    }
    if let Some(iif) = m.str_of("FRA_IIFNAME") {
        o.text(" iif ");
        o.string("iif", "{}", iif);
        if h.flags & FIB_RULE_IIF_DETACHED != 0 {
            o.null("iif_detached", " [detached]");
        }
    }
    if let Some(oif) = m.str_of("FRA_OIFNAME") {
        o.text(" oif ");
        o.string("oif", "{}", oif);
        if h.flags & FIB_RULE_OIF_DETACHED != 0 {
            o.null("oif_detached", " [detached]");
        }
    }
    if m.u64_of("FRA_L3MDEV").is_some_and(|v| v != 0) {
        o.null("l3mdev", " lookup [l3mdev-table]");
    }
    if let (Some(start), Some(end)) = (
        m.field("FRA_UID_RANGE", "start"),
        m.field("FRA_UID_RANGE", "end"),
    ) {
        o.uint("uid_start", " uidrange {}", start);
        o.uint("uid_end", "-{}", end);
    }
    if let Some(proto) = m.u32_of("FRA_IP_PROTO") {
        o.string("ipproto", " ipproto {}", &ip_proto_name(proto));
    }
    for (attr, word) in [("FRA_SPORT_RANGE", "sport"), ("FRA_DPORT_RANGE", "dport")] {
        if let (Some(start), Some(end)) = (m.field(attr, "start"), m.field(attr, "end")) {
            let text = format!(" {word} {{}}");
            if start == end {
                o.uint(word, &text, start);
            } else {
                o.uint(&format!("{word}_start"), &text, start);
                o.uint(&format!("{word}_end"), "-{}", end);
            }
        }
    }
    if let Some(id) = m.u64_of("FRA_TUN_ID") {
        o.uint("tun_id", " tun_id {}", id);
    }
    let table = m.u32_of("FRA_TABLE").unwrap_or(h.table.into());
    if table != 0 {
        o.string("table", " lookup {}", &table_name(table));
        if let Some(pl) = m.i32_of("FRA_SUPPRESS_PREFIXLEN").filter(|p| *p != -1) {
            o.int("suppress_prefixlen", " suppress_prefixlength {}", pl.into());
        }
        if let Some(g) = m.i32_of("FRA_SUPPRESS_IFGROUP").filter(|g| *g != -1) {
            o.string(
                "suppress_ifgroup",
                " suppress_ifgroup {}",
                &crate::names::group_name(g as u32),
            );
        }
    }
    if let Some(flow) = m.u32_of("FRA_FLOW") {
        let (from, to) = (flow >> 16, flow & 0xffff);
        if from != 0 {
            o.string("flow_from", " realms {}/", &from.to_string());
        } else {
            o.text(" realms ");
        }
        o.string("flow_to", "{}", &to.to_string());
    }
    match h.action {
        RTN_NAT => o.null("masquerade", " masquerade"),
        FR_ACT_GOTO => {
            match m.u64_of("FRA_GOTO") {
                Some(g) => o.uint("goto", " goto {}", g),
                None => o.string("goto", " goto {}", "none"),
            }
            if h.flags & FIB_RULE_UNRESOLVED != 0 {
                o.null("unresolved", " [unresolved]");
            }
        }
        FR_ACT_NOP => o.null("nop", " nop"),
        FR_ACT_TO_TBL => {}
        a => {
            let name = RULE_ACTIONS
                .name(a.into())
                .map(str::to_string)
                .unwrap_or_else(|| route_type_name(a.into()));
            o.any(Some("action"), &format!(" {name}"), Json::from(name));
        }
    }
    if let Some(p) = m.u32_of("FRA_PROTOCOL") {
        if (p != 0 && p != RTPROT_KERNEL) || details {
            o.string("protocol", " proto {}", &protocol_name(p));
        }
    }
    o.eol();
    o.close();
}

/// IP protocol numbers `ip` prints by name (from /etc/protocols, here the
/// common ones).
fn ip_proto_name(p: u32) -> String {
    match p {
        1 => "icmp".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        58 => "ipv6-icmp".into(),
        132 => "sctp".into(),
        p => p.to_string(),
    }
}
