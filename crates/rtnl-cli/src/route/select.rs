//! What `route show` lists: its selectors, read and applied the way `ip
//! route show` reads and applies them (iproute2's
//! `iproute_list_flush_or_save` and `filter_nlmsg`).
//!
//! The table, device and protocol also go to the kernel (a strict dump
//! filters there); every selector is applied here as well, to each route,
//! on the fast path and the generic one alike.

use std::net::IpAddr;

use rtnl_wire::names::{ROUTE_PROTOCOLS, ROUTE_TYPES, SCOPES};

use rtnl::RouteFilter;

use super::{parse_table, RouteFields, RouteStyle};
use crate::args::Arg;
use crate::ctx::{CliError, Ctx};
use crate::names::{LinkCache, AF_INET, AF_INET6};
use crate::prefix::Sel;
use crate::setter::{kw, named, named_or_all, wrong, Words};

/// The selectors, for help, the manual page and completion (`route show`
/// and `route flush` take the same).
pub const SELECTORS: &[Arg] = &[
    kw(
        "table",
        Some("{ ID | NAME | all }"),
        "the table (default main)",
    ),
    kw(
        "dev",
        Some("NAME"),
        "only routes through this link (also oif)",
    ),
    kw("proto", Some("PROTO"), "only routes of this protocol"),
    kw(
        "to",
        Some("[ root | match | exact ] PREFIX"),
        "routes inside (root), covering (match) or equal to (exact) PREFIX",
    ),
    kw(
        "from",
        Some("[ root | match | exact ] PREFIX"),
        "the same for the source prefix",
    ),
    kw(
        "via",
        Some("[ inet | inet6 ] PREFIX"),
        "only routes through a gateway in PREFIX",
    ),
    kw(
        "src",
        Some("PREFIX"),
        "only routes whose preferred source is in PREFIX",
    ),
    kw("scope", Some("SCOPE"), "only routes of this scope"),
    kw(
        "type",
        Some("TYPE"),
        "only routes of this type (unicast, local, blackhole ...)",
    ),
    kw("iif", Some("NAME"), "only routes from this input link"),
    kw("metric", Some("N"), "only routes of this metric"),
    kw("mark", Some("N"), "only routes with this firewall mark"),
    kw("tos", Some("TOS"), "only routes with this TOS"),
];

/// A `to`/`from` selector: `root P`, `match P`, or `[exact] P` (both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct PrefixSel {
    root: Option<Sel>,
    covers: Option<Sel>,
}

impl PrefixSel {
    /// Reads `[root|match|exact] PREFIX` from `w`, `first` being its first
    /// word. As in iproute2 the two halves are separate: `root` sets one,
    /// `match` the other, `exact` (or a bare prefix) both, and a later one
    /// replaces only what it sets.
    fn read(
        &mut self,
        key: &str,
        first: &str,
        w: &mut Words<'_>,
        family: u8,
    ) -> Result<(), CliError> {
        match first {
            "root" => self.root = Sel::parse(key, w.value("root")?, family)?,
            "match" => self.covers = Sel::parse(key, w.value("match")?, family)?,
            "exact" => self.exact(key, w.value("exact")?, family)?,
            p => self.exact(key, p, family)?,
        }
        Ok(())
    }

    fn exact(&mut self, key: &str, p: &str, family: u8) -> Result<(), CliError> {
        let s = Sel::parse(key, p, family)?;
        *self = PrefixSel { root: s, covers: s };
        Ok(())
    }

    fn keeps(&self, family: u8, addr: Option<IpAddr>, len: u8) -> bool {
        self.root.is_none_or(|s| s.root(family, addr, len))
            && self.covers.is_none_or(|s| s.covers(family, addr, len))
    }
}

/// Everything `route show` selects on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Select {
    /// `table`: `None` for `all` (default main). The dump asks the
    /// kernel for it.
    pub table: Option<u32>,
    /// `proto`.
    pub protocol: Option<u8>,
    /// `dev` / `oif`.
    pub oif: Option<u32>,
    /// `iif`.
    pub iif: Option<u32>,
    /// `scope`.
    pub scope: Option<u8>,
    /// `type`.
    pub kind: Option<u8>,
    /// `tos` / `dsfield`.
    pub tos: Option<u8>,
    /// `mark`.
    pub mark: Option<u32>,
    /// `metric` / `priority` / `preference`.
    pub metric: Option<u32>,
    to: PrefixSel,
    from: PrefixSel,
    via: Option<Sel>,
    prefsrc: Option<Sel>,
}

impl Select {
    /// Reads `route show`'s words. `family` is `-4`/`-6`'s (0: none).
    pub fn parse(
        ctx: &mut Ctx,
        links: &LinkCache,
        words: &[String],
        family: u8,
    ) -> Result<Select, CliError> {
        let mut s = Select {
            table: Some(super::RT_TABLE_MAIN),
            ..Select::default()
        };
        let mut w = Words::new(words);
        while let Some(word) = w.next_word() {
            match word {
                "table" => {
                    s.table = match w.value("table")? {
                        "all" => None,
                        t => Some(parse_table(t)?),
                    }
                }
                "proto" | "protocol" => {
                    s.protocol = named_or_all(&ROUTE_PROTOCOLS, w.value("protocol")?, "protocol")?
                }
                "scope" => s.scope = named_or_all(&SCOPES, w.value("scope")?, "scope")?,
                "type" => s.kind = Some(named(&ROUTE_TYPES, w.value("type")?, "type")?),
                "tos" | "dsfield" => s.tos = Some(w.num("tos")?),
                "dev" | "oif" => s.oif = Some(ctx.device_index(links, w.value("dev")?)?),
                "iif" => s.iif = Some(ctx.device_index(links, w.value("iif")?)?),
                "mark" => s.mark = Some(w.num("mark")?),
                "metric" | "priority" | "preference" => s.metric = Some(w.num("metric")?),
                "via" => {
                    let mut v = w.value("via")?;
                    let mut af = family;
                    if let Some(named) = family_word(v) {
                        af = named;
                        v = w.value("via")?;
                    }
                    s.via = Sel::parse("via", v, af)?;
                }
                "src" => s.prefsrc = Sel::parse("src", w.value("src")?, family)?,
                "from" => {
                    let first = w.value("from")?;
                    s.from.read("from", first, &mut w, family)?;
                }
                "realms" | "vrf" | "cached" | "cloned" | "cache" => {
                    return Err(wrong(word, "not supported by rtnl route show"));
                }
                "to" => {
                    let first = w.value("to")?;
                    s.to.read("to", first, &mut w, family)?;
                }
                // A bare word is the destination, as after `to`; one
                // that is no prefix either was most likely a misspelt
                // keyword.
                _ => s.to.read("to", word, &mut w, family).map_err(|e| {
                    if looks_like_prefix(word) {
                        e
                    } else {
                        not_a_keyword(word)
                    }
                })?,
            }
        }
        Ok(s)
    }

    /// Whether `route show` lists route `f`.
    pub(crate) fn keeps(&self, f: &RouteFields<'_>) -> bool {
        let h = &f.h;
        let eq = |want: Option<u32>, have: Option<u64>| {
            want.is_none_or(|w| u64::from(w) == have.unwrap_or(0))
        };
        // A cloned (cache) entry only shows with `table cache`. The table
        // is the kernel's to select (the dump asks for it).
        !f.cloned()
            && self.protocol.is_none_or(|p| h.protocol == p)
            && self.scope.is_none_or(|sc| h.scope == sc)
            && self.kind.is_none_or(|k| h.kind == k)
            && self.tos.is_none_or(|t| h.tos == t)
            && self.to.keeps(h.family, f.dst, h.dst_len)
            && self.from.keeps(h.family, f.src, h.src_len)
            && self.via.is_none_or(|v| {
                let (family, gw) = match (f.addrs.gateway, f.addrs.via) {
                    (Some(g), _) => (h.family, Some(g)),
                    (None, Some(via)) => (via_family(via.family), via_addr(via.addr)),
                    (None, None) => (h.family, None),
                };
                v.holds(family, gw)
            })
            && self.prefsrc.is_none_or(|p| p.holds(h.family, f.prefsrc))
            // `ip route show dev X` wants RTA_OIF itself: multipath
            // routes through X are not listed.
            && eq(self.oif, f.oif.map(u64::from))
            && eq(self.iif, f.iif.map(u64::from))
            && eq(self.mark, f.mark)
            && eq(self.metric, f.priority)
    }

    /// The dump request: the family (`-4`/`-6`, or IPv4 for one table, as
    /// `ip` does) and what the kernel can select itself.
    pub fn dump_filter(&self, family: u8) -> RouteFilter {
        RouteFilter {
            family: super::table_family(family, self.table),
            table: self.table,
            oif: self.oif,
            protocol: self.protocol,
            ..Default::default()
        }
    }

    /// How the listing prints: what a selector fixes is not repeated on
    /// each line.
    pub fn style(&self, details: bool) -> RouteStyle {
        RouteStyle {
            table: self.table,
            details,
            one_dev: self.oif.is_some(),
            one_proto: self.protocol.is_some(),
            one_scope: self.scope.is_some(),
            one_tos: self.tos.is_some(),
            one_metric: self.metric.is_some(),
            one_iif: self.iif.is_some(),
            one_gateway: self.via.is_some_and(|v| v.is_host()),
            one_prefsrc: self.prefsrc.is_some_and(|p| p.is_host()),
        }
    }
}

/// Whether `word` could be meant as a prefix (a digit or `:` first, or a
/// prefix word) rather than a keyword.
fn looks_like_prefix(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit() || c == ':')
        || matches!(word, "default" | "all" | "any" | "root" | "match" | "exact")
}

/// The parser's own message for an unknown argument of `route show`.
fn not_a_keyword(word: &str) -> CliError {
    match crate::args::find_object("route") {
        Ok(obj) => crate::args::not_understood(obj, &obj.verbs[0], word),
        Err(e) => e,
    }
}

/// `inet` / `inet6` before a `via` address.
fn family_word(s: &str) -> Option<u8> {
    match s {
        "inet" | "ipv4" => Some(AF_INET),
        "inet6" | "ipv6" => Some(AF_INET6),
        _ => None,
    }
}

fn via_family(family: u16) -> u8 {
    u8::try_from(family).unwrap_or(0)
}

fn via_addr(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => <[u8; 4]>::try_from(b).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(b).ok().map(IpAddr::from),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefix::tests::{ip, sel};

    #[test]
    fn root_match_and_exact() {
        let net = sel("10.50.0.0/16", 0);
        // root: inside the prefix, as long or longer.
        assert!(net.root(AF_INET, ip("10.50.0.0"), 16));
        assert!(net.root(AF_INET, ip("10.50.7.0"), 24));
        assert!(!net.root(AF_INET, ip("10.0.0.0"), 8));
        assert!(!net.root(AF_INET, ip("10.51.0.0"), 16));
        assert!(!net.root(AF_INET6, ip("::"), 16));
        // match: covering the prefix, as long or shorter (default included).
        let host = sel("10.50.1.1", 0);
        assert!(host.covers(AF_INET, ip("10.50.0.0"), 16));
        assert!(host.covers(AF_INET, None, 0));
        assert!(!host.covers(AF_INET, ip("10.51.0.0"), 16));
        assert!(!net.covers(AF_INET, ip("10.50.1.0"), 24));
        // exact: both.
        let mut exact = PrefixSel::default();
        exact.exact("to", "10.50.0.0/16", 0).unwrap();
        assert!(exact.keeps(AF_INET, ip("10.50.0.0"), 16));
        assert!(!exact.keeps(AF_INET, ip("10.50.1.0"), 24));
        assert!(!exact.keeps(AF_INET, ip("10.0.0.0"), 8));
        // default: only the default route (of any family without -4/-6).
        let mut d = PrefixSel::default();
        d.exact("to", "default", 0).unwrap();
        assert!(d.keeps(AF_INET, None, 0));
        assert!(d.keeps(AF_INET6, None, 0));
        assert!(!d.keeps(AF_INET, ip("10.0.0.0"), 8));
        // `match A root B`: both halves hold, as two iproute2 fields.
        let words: Vec<String> = ["10.0.0.0/8"].map(String::from).to_vec();
        let mut both = PrefixSel {
            root: None,
            covers: Some(sel("10.50.1.1", 0)),
        };
        both.read("to", "root", &mut Words::new(&words), 0).unwrap();
        assert_eq!(
            both.root,
            Some(sel("10.0.0.0/8", 0)),
            "root replaced only its half"
        );
        assert!(both.keeps(AF_INET, ip("10.50.0.0"), 16));
        assert!(both.keeps(AF_INET, ip("10.50.1.0"), 24));
        assert!(
            !both.keeps(AF_INET, ip("10.60.0.0"), 16),
            "does not cover 10.50.1.1"
        );
        assert!(!both.keeps(AF_INET, None, 0), "not inside 10/8");
    }
}
