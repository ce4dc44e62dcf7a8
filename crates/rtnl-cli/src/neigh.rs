//! Neighbours: `ip neigh show` (iproute2's `print_neigh`).

use rtnl::NeighFilter;
use rtnl_wire::names::NEIGH_STATES;
use rtnl_wire::rtm::{RTM_DELNEIGH, RTM_GETNEIGH};
use rtnl_wire::{Fixed, Message};

use rtnl_wire::names::ROUTE_PROTOCOLS;
use serde_json::Value as Json;

use crate::args::{Arg, Parsed, Verb};
use crate::ctx::{CliError, Ctx};
use crate::names::{hwaddr, protocol_name, Attrs, LinkCache};
use crate::out::Out;
use crate::prefix::Sel;
use crate::setter::{kw, named_or_all, parse_num, wrong, Words};

const NTF_PROXY: u8 = 0x08;
const NTF_EXT_LEARNED: u8 = 0x10;
const NTF_OFFLOADED: u8 = 0x20;
const NTF_ROUTER: u8 = 0x80;
const NTF_EXT_MANAGED: u32 = 0x1;
const NUD_NOARP: u16 = 0x40;
const NUD_PERMANENT: u16 = 0x80;
/// USER_HZ: cache times come in these ticks.
const USER_HZ: u64 = 100;

/// The selectors of `neigh show`, for help, the manual page and completion.
pub const SELECTORS: &[Arg] = &[
    kw(
        "to",
        Some("PREFIX"),
        "only entries in PREFIX (`to` may be left out)",
    ),
    kw("dev", Some("NAME"), "only entries on this link"),
    kw(
        "master",
        Some("DEVICE"),
        "only entries on ports of this master",
    ),
    kw("nomaster", None, "only entries on links without a master"),
    kw(
        "nud",
        Some("STATE"),
        "only entries in this state (repeat; all, none, permanent, reachable ...)",
    ),
    kw("proxy", None, "proxy entries instead"),
    kw("protocol", Some("PROTO"), "only entries of this protocol"),
    kw("unused", None, "only entries nothing refers to"),
];

/// What `neigh show` lists (iproute2's `do_show_or_flush` and the checks
/// of `print_neigh`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Select {
    filter: NeighFilter,
    /// NUD states shown; 0x100 stands for "no state" (`nud none`).
    states: u32,
    to: Option<Sel>,
    protocol: Option<u32>,
    unused: bool,
}

impl Select {
    /// Reads the words of `neigh show`, or of `neigh flush` (`flush`),
    /// which leaves permanent entries alone unless `nud` names them.
    fn parse(
        ctx: &mut Ctx,
        links: &LinkCache,
        words: &[String],
        flush: bool,
    ) -> Result<Select, CliError> {
        let noarp = u32::from(NUD_NOARP);
        let mut s = Select {
            filter: NeighFilter {
                family: ctx.opts.family,
                ..Default::default()
            },
            // By default every state but NOARP (and for flush, PERMANENT).
            states: if flush {
                !(u32::from(NUD_PERMANENT) | noarp)
            } else {
                0xff & !noarp
            },
            to: None,
            protocol: None,
            unused: false,
        };
        let mut states_given = false;
        let mut w = Words::new(words);
        while let Some(word) = w.next_word() {
            match word {
                "dev" => {
                    if s.filter.ifindex.is_some() {
                        return Err(wrong("dev", "given twice"));
                    }
                    s.filter.ifindex = Some(ctx.device_index(links, w.value("dev")?)?);
                }
                "master" => s.filter.master = Some(ctx.device_index(links, w.value("master")?)?),
                // The kernel's "no master" (-1).
                "nomaster" => s.filter.master = Some(u32::MAX),
                "unused" => s.unused = true,
                "proxy" => s.filter.proxy = true,
                "nud" => {
                    if !states_given {
                        states_given = true;
                        s.states = 0;
                    }
                    let mut state = nud_state(w.value("nud")?)?;
                    if flush && state == !0 {
                        state &= !noarp;
                    }
                    s.states |= state;
                }
                "protocol" | "proto" => {
                    s.protocol = named_or_all(&ROUTE_PROTOCOLS, w.value("protocol")?, "protocol")?
                        .map(u32::from)
                }
                _ => {
                    let v = if word == "to" { w.value("to")? } else { word };
                    s.to = Sel::parse("to", v, s.filter.family)?;
                    if let Some(to) = s.to.filter(|_| s.filter.family == 0) {
                        s.filter.family = to.family();
                    }
                }
            }
        }
        Ok(s)
    }

    /// Whether `print_neigh` prints entry `m`.
    fn keeps(&self, m: &Message) -> bool {
        let Fixed::Neigh(h) = &m.fixed else {
            return false;
        };
        let state = u32::from(h.state);
        // Proxy and externally learned entries show whatever their state.
        let special = h.flags & (NTF_PROXY | NTF_EXT_LEARNED) != 0;
        if self.states & state == 0 && !special && (state != 0 || self.states & 0x100 == 0) {
            return false;
        }
        // As `inet_addr_match_rta`: a prefix of length 0 or without a
        // family, or an entry without NDA_DST, passes.
        if let Some(to) = self.to.filter(|t| t.bits() > 0 && t.family() != 0) {
            if m.ip_of("NDA_DST")
                .is_some_and(|d| !to.holds(h.family, Some(d)))
            {
                return false;
            }
        }
        if self
            .protocol
            .is_some_and(|p| m.u32_of("NDA_PROTOCOL").unwrap_or(0) != p)
        {
            return false;
        }
        !(self.unused
            && m.field("NDA_CACHEINFO", "ndm_refcnt")
                .is_some_and(|r| r != 0))
    }
}

/// A NUD state word as iproute2's `nud_state_a2n` reads it: a name, `all`,
/// or one state bit as a number. `none` (no state) is 0x100.
fn nud_state(v: &str) -> Result<u32, CliError> {
    let state = match v {
        "all" => !0,
        "none" => 0,
        _ => match NEIGH_STATES.value(v) {
            Some(s) => s,
            None => parse_num::<u32>(v)
                .filter(|n| *n < 0x100 && n.count_ones() <= 1)
                .ok_or_else(|| wrong(v, "nud state is bad"))?,
        },
    };
    Ok(if state == 0 { 0x100 } else { state })
}

/// `rtnl neigh show [SELECTOR ...]`.
pub fn show(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let links = ctx.link_cache()?;
    let select = Select::parse(ctx, &links, p.words(), false)?;
    let entries = ctx.ipr()?.get_neighbours(&select.filter)?;
    let style = NeighStyle {
        with_dev: select.filter.ifindex.is_none(),
        stats: ctx.opts.stats > 0,
        brief: ctx.opts.brief,
    };
    let mut o = ctx.out();
    for n in entries.iter().filter(|n| select.keeps(n)) {
        print_neigh(&mut o, n, &links, style);
    }
    ctx.emit(o)
}

/// `rtnl neigh flush SELECTOR ...`: deletes the entries `neigh show` with
/// the same selectors lists, permanent ones only when `nud` names them.
pub fn flush(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    if p.words().is_empty() {
        return Err(CliError::usage("Flush requires arguments."));
    }
    let links = ctx.link_cache()?;
    let select = Select::parse(ctx, &links, p.words(), true)?;
    ctx.ipr()?
        .neigh_flush_where(&select.filter, |m| select.keeps(m))
        .map_err(crate::setter::lib_err)?;
    Ok(())
}

/// `neigh flush`.
pub const FLUSH: Verb = crate::setter::verb(
    &["flush"],
    SELECTORS,
    "delete the entries neigh show lists with the same selectors (not permanent ones unless nud says so)",
    flush,
);

/// How neighbour entries are printed.
#[derive(Debug, Clone, Copy, Default)]
pub struct NeighStyle {
    /// False when listing one link: `dev` is not repeated.
    pub with_dev: bool,
    /// `-s`: cache times and probes.
    pub stats: bool,
    /// `-br`: address, link and link-layer address in columns.
    pub brief: bool,
}

/// Prints one neighbour entry (iproute2's `print_neigh`).
pub fn print_neigh(o: &mut Out, m: &Message, links: &LinkCache, style: NeighStyle) {
    let Fixed::Neigh(h) = &m.fixed else {
        return;
    };
    let with_dev = style.with_dev;
    o.open_object(None);
    if m.header.kind == RTM_DELNEIGH {
        o.flag("deleted", "Deleted ");
    } else if m.header.kind == RTM_GETNEIGH {
        o.null("miss", "miss ");
    }
    if style.brief {
        print_brief(o, m, links, with_dev);
        o.close();
        return;
    }
    if let Some(dst) = m.ip_of("NDA_DST") {
        o.string("dst", "{} ", &dst.to_string());
    }
    if with_dev && h.ifindex != 0 {
        o.text("dev ");
        o.string("dev", "{} ", &links.name(h.ifindex as u32));
    }
    if let Some(ll) = m.bytes_of("NDA_LLADDR") {
        o.text("lladdr ");
        o.string(
            "lladdr",
            "{} ",
            &hwaddr(ll, links.hw_type(h.ifindex as u32)),
        );
    }
    let ext = m.u32_of("NDA_FLAGS_EXT").unwrap_or(0);
    if h.flags & NTF_ROUTER != 0 {
        o.null("router", "router ");
    }
    if h.flags & NTF_PROXY != 0 {
        o.null("proxy", "proxy ");
    }
    if ext & NTF_EXT_MANAGED != 0 {
        o.null("managed", "managed ");
    }
    if h.flags & NTF_EXT_LEARNED != 0 {
        o.null("extern_learn", "extern_learn ");
    }
    if h.flags & NTF_OFFLOADED != 0 {
        o.null("offload", "offload ");
    }
    if style.stats {
        print_cacheinfo(o, m);
        if let Some(p) = m.u32_of("NDA_PROBES") {
            o.uint("probes", "probes {} ", p.into());
        }
    }
    if h.state != 0 {
        o.open_array(Some("state"));
        for name in NEIGH_STATES.flags(h.state.into()).0 {
            o.item("{} ", name);
        }
        o.close();
    }
    if let Some(p) = m.u32_of("NDA_PROTOCOL").filter(|p| *p != 0) {
        o.string("protocol", "proto {} ", &protocol_name(p));
    }
    o.eol();
    o.close();
}

/// `-s`: ` ref N used U/C/U`, in seconds (iproute2's `print_cacheinfo`).
fn print_cacheinfo(o: &mut Out, m: &Message) {
    if !m.has("NDA_CACHEINFO") {
        return;
    }
    let f = |name| m.field("NDA_CACHEINFO", name).unwrap_or(0);
    if f("ndm_refcnt") != 0 {
        o.uint("refcnt", " ref {}", f("ndm_refcnt"));
    }
    // The kernel reports clock ticks (USER_HZ, 100 a second).
    o.uint("used", " used {}", f("ndm_used") / USER_HZ);
    o.uint("confirmed", "/{}", f("ndm_confirmed") / USER_HZ);
    o.uint("updated", "/{}", f("ndm_updated") / USER_HZ);
}

/// `-br`: `ADDR DEV LLADDR` in columns (iproute2's `print_neigh_brief`).
fn print_brief(o: &mut Out, m: &Message, links: &LinkCache, with_dev: bool) {
    let Fixed::Neigh(h) = &m.fixed else {
        return;
    };
    if let Some(dst) = m.ip_of("NDA_DST") {
        let d = dst.to_string();
        o.any(Some("dst"), &format!("{d:<39} "), Json::from(d));
    }
    if with_dev && h.ifindex != 0 {
        let name = links.name(h.ifindex as u32);
        o.any(Some("dev"), &format!("{name:<16} "), Json::from(name));
    }
    if let Some(ll) = m.bytes_of("NDA_LLADDR") {
        o.string("lladdr", "{}", &hwaddr(ll, links.hw_type(h.ifindex as u32)));
    }
    o.eol();
}
