//! Policy rules: `ip rule show` (iproute2's `print_rule`).

use rtnl::RuleFilter;
use rtnl_wire::names::RULE_ACTIONS;
use rtnl_wire::rtm::RTM_DELRULE;
use rtnl_wire::{Fixed, Message};
use serde_json::Value as Json;

use rtnl_wire::names::ROUTE_PROTOCOLS;

use crate::args::{Arg, Parsed, Verb};
use crate::ctx::{CliError, Ctx};
use crate::names::{host_len, protocol_name, route_type_name, table_name, Attrs, AF_INET};
use crate::out::Out;
use crate::prefix::Sel;
use crate::setter::{kw, named_or_all, parse_num, wrong, Words};

const FIB_RULE_INVERT: u32 = 0x2;
const FIB_RULE_UNRESOLVED: u32 = 0x4;
const FIB_RULE_IIF_DETACHED: u32 = 0x8;
const FIB_RULE_OIF_DETACHED: u32 = 0x10;
const FR_ACT_TO_TBL: u8 = 1;
const FR_ACT_GOTO: u8 = 2;
const FR_ACT_NOP: u8 = 3;
const RTN_NAT: u8 = 10;
const RTPROT_KERNEL: u32 = 2;

/// The selectors of `rule show`, for help, the manual page and completion.
pub const SELECTORS: &[Arg] = &[
    kw(
        "from",
        Some("PREFIX"),
        "only rules from inside PREFIX (also src)",
    ),
    kw(
        "to",
        Some("PREFIX"),
        "only rules to inside PREFIX (also dst; `to` may be left out)",
    ),
    kw(
        "priority",
        Some("N"),
        "only the rule of this priority (also pref, order)",
    ),
    kw(
        "table",
        Some("ID|NAME"),
        "only rules pointing at this table (also lookup)",
    ),
    kw("not", None, "only inverted rules"),
    kw("tos", Some("TOS"), "only rules of this TOS"),
    kw(
        "fwmark",
        Some("MARK[/MASK]"),
        "only rules of this firewall mark (and mask)",
    ),
    kw(
        "iif",
        Some("NAME"),
        "only rules of this input link (also dev)",
    ),
    kw("oif", Some("NAME"), "only rules of this output link"),
    kw("l3mdev", None, "only l3mdev rules"),
    kw(
        "uidrange",
        Some("START-END"),
        "only rules of this UID range",
    ),
    kw("ipproto", Some("PROTO"), "only rules of this IP protocol"),
    kw(
        "sport",
        Some("PORT[-PORT]"),
        "only rules of this source port range",
    ),
    kw(
        "dport",
        Some("PORT[-PORT]"),
        "only rules of this destination port range",
    ),
    kw("tun_id", Some("ID"), "only rules of this tunnel id"),
    kw(
        "protocol",
        Some("PROTO"),
        "only rules installed by this protocol",
    ),
];

/// What `rule show` lists (iproute2's `iprule_list_flush_or_save` and
/// `filter_nlmsg`). Every selector compares one field for equality, but
/// the prefixes (as `root`) and the family.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Select {
    table: Option<u32>,
    priority: Option<u64>,
    not: bool,
    tos: Option<u8>,
    /// iproute2 checks a mark or mask of 0 as "not given".
    fwmark: Option<u64>,
    fwmask: Option<u64>,
    iif: Option<String>,
    oif: Option<String>,
    l3mdev: bool,
    uidrange: Option<(u64, u64)>,
    ipproto: Option<u32>,
    sport: Option<(u64, u64)>,
    dport: Option<(u64, u64)>,
    tun_id: Option<u64>,
    protocol: Option<u32>,
    from: Option<Sel>,
    to: Option<Sel>,
}

impl Select {
    fn parse(words: &[String], family: u8) -> Result<Select, CliError> {
        let mut s = Select::default();
        let mut w = Words::new(words);
        while let Some(word) = w.next_word() {
            match word {
                "priority" | "pref" | "preference" | "order" => {
                    s.priority = Some(w.num("priority")?)
                }
                "not" => s.not = true,
                "tos" | "dsfield" => s.tos = Some(w.num("tos")?),
                "fwmark" => {
                    let v = w.value("fwmark")?;
                    let (mark, mask) = match v.split_once('/') {
                        Some((m, k)) => (m, Some(k)),
                        None => (v, None),
                    };
                    s.fwmark =
                        Some(parse_num(mark).ok_or_else(|| wrong(v, "fwmark value is invalid"))?)
                            .filter(|m| *m != 0);
                    if let Some(k) = mask {
                        s.fwmask =
                            Some(parse_num(k).ok_or_else(|| wrong(v, "fwmask value is invalid"))?)
                                .filter(|k| *k != 0);
                    }
                }
                "iif" | "dev" => s.iif = Some(w.value("iif")?.to_string()),
                "oif" => s.oif = Some(w.value("oif")?.to_string()),
                "l3mdev" => s.l3mdev = true,
                "uidrange" => {
                    let v = w.value("uidrange")?;
                    s.uidrange =
                        Some(range(v, false).ok_or_else(|| wrong(v, "invalid UID range"))?);
                }
                "ipproto" => {
                    let v = w.value("ipproto")?;
                    s.ipproto = Some(
                        ip_proto_value(v).ok_or_else(|| wrong(v, "invalid \"ipproto\" value"))?,
                    );
                }
                "sport" => {
                    let v = w.value("sport")?;
                    s.sport = Some(range(v, true).ok_or_else(|| wrong(v, "invalid port range"))?);
                }
                "dport" => {
                    let v = w.value("dport")?;
                    s.dport = Some(range(v, true).ok_or_else(|| wrong(v, "invalid port range"))?);
                }
                "tun_id" => s.tun_id = Some(w.num("tun_id")?),
                "table" | "lookup" => s.table = Some(crate::route::parse_table(w.value("table")?)?),
                "protocol" | "proto" => {
                    s.protocol = named_or_all(&ROUTE_PROTOCOLS, w.value("protocol")?, "protocol")?
                        .map(u32::from)
                }
                "from" | "src" => s.from = Sel::parse("from", w.value("from")?, family)?,
                _ => {
                    let v = if matches!(word, "to" | "dst") {
                        w.value("to")?
                    } else {
                        word
                    };
                    s.to = Sel::parse("to", v, family)?;
                }
            }
        }
        Ok(s)
    }

    fn keeps(&self, m: &Message) -> bool {
        let Fixed::Rule(h) = &m.fixed else {
            return false;
        };
        let num = |attr: &str| m.u64_of(attr).unwrap_or(0);
        let eq = |want: Option<u64>, attr: &str| want.is_none_or(|w| w == num(attr));
        let range_eq = |want: Option<(u64, u64)>, attr: &str| {
            want.is_none_or(|(a, b)| {
                m.field(attr, "start") == Some(a) && m.field(attr, "end") == Some(b)
            })
        };
        // As `inet_addr_match_rta`: a rule without the address passes.
        let prefix = |sel: Option<Sel>, attr: &str, len: u8| {
            sel.is_none_or(|s| {
                s.family_ok(h.family)
                    && s.bits() <= len
                    && m.ip_of(attr).is_none_or(|a| s.holds(h.family, Some(a)))
            })
        };
        let name_eq = |want: &Option<String>, attr: &str| {
            want.as_ref()
                .is_none_or(|w| m.str_of(attr) == Some(w.as_str()))
        };
        let table = m.u32_of("FRA_TABLE").unwrap_or(h.table.into());
        eq(self.priority, "FRA_PRIORITY")
            && (!self.not || h.flags & FIB_RULE_INVERT != 0)
            && prefix(self.from, "FRA_SRC", h.src_len)
            && prefix(self.to, "FRA_DST", h.dst_len)
            && self.tos.is_none_or(|t| h.tos == t)
            && eq(self.fwmark, "FRA_FWMARK")
            && eq(self.fwmask, "FRA_FWMASK")
            && name_eq(&self.iif, "FRA_IIFNAME")
            && name_eq(&self.oif, "FRA_OIFNAME")
            && (!self.l3mdev || num("FRA_L3MDEV") != 0)
            && range_eq(self.uidrange, "FRA_UID_RANGE")
            && self.ipproto.is_none_or(|p| num("FRA_IP_PROTO") == u64::from(p))
            && range_eq(self.sport, "FRA_SPORT_RANGE")
            && range_eq(self.dport, "FRA_DPORT_RANGE")
            && self.tun_id.is_none_or(|t| m.has("FRA_TUN_ID") && num("FRA_TUN_ID") == t)
            && self.table.is_none_or(|t| table == t)
            // Only a rule that names its protocol is checked for it.
            && self.protocol.is_none_or(|p| m.u32_of("FRA_PROTOCOL").is_none_or(|have| have == p))
    }
}

/// `A-B`, or with `single_ok` a lone `A` (meaning `A-A`), as iproute2's
/// `sscanf("%u-%u")` reads ranges.
fn range(v: &str, single_ok: bool) -> Option<(u64, u64)> {
    match v.split_once('-') {
        Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
        None if single_ok => v.parse().ok().map(|a| (a, a)),
        None => None,
    }
}

/// The selectors of `rule show`/`rule flush` and their dump request:
/// IPv4 unless -6.
fn selection(ctx: &Ctx, p: &Parsed) -> Result<(Select, RuleFilter), CliError> {
    let family = match ctx.opts.family {
        0 => AF_INET,
        f => f,
    };
    let select = Select::parse(p.words(), family)?;
    let filter = RuleFilter {
        family,
        table: select.table,
    };
    Ok((select, filter))
}

/// `rtnl rule show [SELECTOR ...]`: IPv4 unless -6.
pub fn show(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let (select, filter) = selection(ctx, p)?;
    let rules = ctx.ipr()?.get_rules(&filter)?;
    let details = ctx.opts.details;
    let mut o = ctx.out();
    for r in rules.iter().filter(|r| select.keeps(r)) {
        print_rule(&mut o, r, details);
    }
    ctx.emit(o)
}

/// `rtnl rule flush [SELECTOR ...]`: deletes the rules `rule show` with
/// the same selectors lists (IPv4 unless -6), but the priority 0 `local`
/// rule; without selectors, every other rule, `main` and `default` too, as
/// `ip rule flush` does.
pub fn flush(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let (select, filter) = selection(ctx, p)?;
    ctx.ipr()?
        .rule_flush_where(&filter, |m| select.keeps(m))
        .map_err(crate::setter::lib_err)?;
    Ok(())
}

/// `rule flush`.
pub const FLUSH: Verb = crate::setter::verb(
    &["flush"],
    SELECTORS,
    "delete the rules rule show lists with the same selectors (not the priority 0 one)",
    flush,
);

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
/// common ones), for printing and reading.
const IP_PROTOCOLS: &[(u32, &str)] = &[
    (1, "icmp"),
    (6, "tcp"),
    (17, "udp"),
    (58, "ipv6-icmp"),
    (132, "sctp"),
];

fn ip_proto_name(p: u32) -> String {
    match IP_PROTOCOLS.iter().find(|(n, _)| *n == p) {
        Some((_, name)) => (*name).into(),
        None => p.to_string(),
    }
}

/// A protocol by name or number (`inet_proto_a2n`).
pub fn ip_proto_value(s: &str) -> Option<u32> {
    IP_PROTOCOLS
        .iter()
        .find(|(_, name)| *name == s)
        .map(|(n, _)| *n)
        .or_else(|| parse_num::<u8>(s).map(u32::from))
}
