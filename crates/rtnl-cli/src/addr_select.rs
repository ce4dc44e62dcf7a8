//! What `link show` and `addr show` list: the selectors iproute2's
//! `ipaddr_list_flush_or_save` reads, applied as its `print_linkinfo`
//! (links), `ipaddr_filter` (which links keep their place in `ip addr`)
//! and `print_addrinfo` (addresses) apply them.

use rtnl_wire::names::{ADDR_FLAGS, SCOPES};
use rtnl_wire::{Fixed, Message};

use crate::args::Arg;
use crate::ctx::{CliError, Ctx};
use crate::names::{Attrs, LinkCache, IFF_UP};
use crate::prefix::Sel;
use crate::setter::{kw, named_or_all, parse_num, wrong, Words};

// Each selector's help once; the lists below pick from them.
const DEV: Arg = kw(
    "dev",
    Some("NAME"),
    "only this link (`dev` may be left out)",
);
const UP: Arg = kw("up", None, "only links that are up");
const GROUP: Arg = kw("group", Some("GROUP"), "only links of this group");
const MASTER: Arg = kw("master", Some("DEVICE"), "only ports of this master");
const NOMASTER: Arg = kw("nomaster", None, "only links without a master");
const TYPE: Arg = kw(
    "type",
    Some("KIND"),
    "only links of this kind (KIND_slave: only ports of such a master)",
);
const TO: Arg = kw("to", Some("PREFIX"), "only addresses in PREFIX");
const SCOPE: Arg = kw("scope", Some("SCOPE"), "only addresses of this scope");
const LABEL: Arg = kw(
    "label",
    Some("PATTERN"),
    "only addresses whose label matches (shell pattern)",
);
const FLAG: Arg = kw(
    "FLAG",
    None,
    "[-]permanent, dynamic, secondary, primary, temporary, tentative, deprecated, dadfailed ...",
);

/// The selectors of `link show`.
pub const LINK_SELECTORS: &[Arg] = &[DEV, UP, GROUP, MASTER, NOMASTER, TYPE];

/// The selectors of `addr show`: the link ones and the address ones.
pub const ADDR_SELECTORS: &[Arg] = &[
    DEV, UP, TO, SCOPE, LABEL, FLAG, GROUP, MASTER, NOMASTER, TYPE,
];

/// The selectors of `addr flush`: the address ones and `dev`.
pub const FLUSH_SELECTORS: &[Arg] = &[DEV, TO, SCOPE, LABEL, FLAG];

/// Where iproute2 applies the link selectors, which decides which of them
/// hold in a given listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkChecks {
    /// `print_linkinfo` runs (not for `ip -o addr`): it checks `up`, then
    /// (unless `label` was given) `group`, `master`, the kind and the port
    /// kind.
    pub linkinfo_runs: bool,
    /// The link dump asks the kernel to match `master`/`nomaster` and the
    /// kind: only a dump of no family does (`ip addr` without -4/-6).
    pub kernel_filters: bool,
}

/// `master DEV` or `nomaster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Master {
    Index(u32),
    None,
}

/// Everything a `link show` / `addr show` selects on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// `dev`: the link's index.
    pub dev: Option<u32>,
    up: bool,
    group: Option<u32>,
    master: Option<Master>,
    kind: Option<String>,
    slave_kind: Option<String>,
    to: Option<Sel>,
    scope: Option<u8>,
    /// Address flags that must be set (`flags`) among those that are
    /// looked at (`flag_mask`).
    flags: u32,
    flag_mask: u32,
    label: Option<String>,
}

impl Listing {
    /// Reads the words of `link show` / `addr show`. `family` is the one
    /// `-4`/`-6` asked for; `to PREFIX` sets it when none was given, as in
    /// `ip`, so the family to list is returned too.
    pub fn parse(
        ctx: &mut Ctx,
        links: &LinkCache,
        words: &[String],
        family: u8,
    ) -> Result<(Listing, u8), CliError> {
        let mut l = Listing::default();
        let mut family = family;
        let mut w = Words::new(words);
        while let Some(word) = w.next_word() {
            match word {
                "to" => {
                    let v = w.value("to")?;
                    l.to = Sel::parse("to", v, family)?;
                    if let Some(to) = l.to.filter(|_| family == 0) {
                        family = to.family();
                    }
                }
                "scope" => l.scope = named_or_all(&SCOPES, w.value("scope")?, "scope")?,
                "up" => l.up = true,
                "label" => l.label = Some(w.value("label")?.to_string()),
                "group" => {
                    let v = w.value("group")?;
                    l.group = Some(match v {
                        "default" => 0,
                        _ => parse_num(v).ok_or_else(|| wrong(v, "invalid \"group\" value"))?,
                    });
                }
                "master" => {
                    let v = w.value("master")?;
                    l.master = Some(Master::Index(ctx.device_index(links, v)?));
                }
                "nomaster" => l.master = Some(Master::None),
                "type" => {
                    let v = w.value("type")?;
                    match v.strip_suffix("_slave") {
                        Some(k) => l.slave_kind = Some(k.to_string()),
                        None => l.kind = Some(v.to_string()),
                    }
                }
                _ if l.flag(word) => {}
                _ => {
                    let name = if word == "dev" { w.value("dev")? } else { word };
                    if l.dev.is_some() {
                        return Err(CliError::usage(format!(
                            "Error: either \"dev\" is duplicate, or \"{name}\" is a garbage."
                        )));
                    }
                    l.dev = Some(ctx.device_index(links, name)?);
                }
            }
        }
        Ok((l, family))
    }

    /// An address flag word (`permanent`, `-tentative`, `dynamic`,
    /// `primary` ...), as iproute2's `get_filter`; false when `word` is none.
    fn flag(&mut self, word: &str) -> bool {
        let (mut invert, name) = match word.strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, word),
        };
        let name = match name {
            "dynamic" => {
                invert = !invert;
                "permanent"
            }
            "primary" => {
                invert = !invert;
                "secondary"
            }
            "temporary" => "secondary",
            n => n,
        };
        let Some(mask) = ADDR_FLAGS.value(name) else {
            return false;
        };
        if invert {
            self.flags &= !mask;
        } else {
            self.flags |= mask;
        }
        self.flag_mask |= mask;
        true
    }

    /// Whether a link is listed (`dev`, then the checks of `how`).
    pub fn link_passes(&self, m: &Message, how: LinkChecks) -> bool {
        let Fixed::Link(h) = &m.fixed else {
            return false;
        };
        if self.dev.is_some_and(|i| h.index as u32 != i) {
            return false;
        }
        let linkinfo_runs = how.linkinfo_runs && self.label.is_none();
        if how.linkinfo_runs && self.up && h.flags & IFF_UP == 0 {
            return false;
        }
        let info = m.nested("IFLA_LINKINFO").unwrap_or_default();
        if how.kernel_filters || linkinfo_runs {
            match self.master {
                Some(Master::Index(i)) if m.u32_of("IFLA_MASTER") != Some(i) => return false,
                Some(Master::None) if m.has("IFLA_MASTER") => return false,
                _ => {}
            }
            if let Some(k) = &self.kind {
                if info.str_of("IFLA_INFO_KIND") != Some(k.as_str()) {
                    return false;
                }
            }
        }
        if !linkinfo_runs {
            return true;
        }
        if self
            .group
            .is_some_and(|g| m.u32_of("IFLA_GROUP").is_some_and(|have| have != g))
        {
            return false;
        }
        if let Some(k) = &self.slave_kind {
            if info.str_of("IFLA_INFO_SLAVE_KIND") != Some(k.as_str()) {
                return false;
            }
        }
        true
    }

    /// Whether addresses of link `m` are printed: `ip -o addr` checks `up`
    /// per address, not per link (see [`LinkChecks`]).
    pub fn addrs_of_link_shown(&self, m: &Message) -> bool {
        !self.up || matches!(&m.fixed, Fixed::Link(h) if h.flags & IFF_UP != 0)
    }

    /// A selector given that only selects links (not `dev`), by its
    /// keyword.
    pub fn link_selector(&self) -> Option<&'static str> {
        if self.up {
            Some("up")
        } else if self.group.is_some() {
            Some("group")
        } else if self.master == Some(Master::None) {
            Some("nomaster")
        } else if self.master.is_some() {
            Some("master")
        } else if self.kind.is_some() || self.slave_kind.is_some() {
            Some("type")
        } else {
            None
        }
    }

    /// True when links are not printed, only their addresses (`label`).
    pub fn hides_links(&self) -> bool {
        self.label.is_some()
    }

    /// Whether an address is listed (family aside: the caller's dump asks
    /// for it). `links` names a link for an address without a label.
    pub fn addr_passes(&self, a: &Message, links: &LinkCache) -> bool {
        let Fixed::Addr(h) = &a.fixed else {
            return false;
        };
        if self.scope.is_some_and(|s| h.scope != s) {
            return false;
        }
        let flags = a.u32_of("IFA_FLAGS").unwrap_or(h.flags.into());
        if (self.flags ^ flags) & self.flag_mask != 0 {
            return false;
        }
        if let Some(pattern) = &self.label {
            let label = match a.str_of("IFA_LABEL") {
                Some(l) => l.to_string(),
                None => links.name(h.index),
            };
            if !glob(pattern.as_bytes(), label.as_bytes()) {
                return false;
            }
        }
        // As `inet_addr_match_rta`: a prefix of length 0 or without a
        // family, or an address without IFA_LOCAL/IFA_ADDRESS, passes.
        if let Some(to) = self.to.filter(|t| t.bits() > 0 && t.family() != 0) {
            let local = a.ip_of("IFA_LOCAL").or_else(|| a.ip_of("IFA_ADDRESS"));
            if local.is_some_and(|l| !to.holds(h.family, Some(l))) {
                return false;
            }
        }
        true
    }
}

/// `fnmatch(pattern, s, 0)`: `*`, `?`, `[...]` (with `!` or `^` to
/// negate, and ranges) and `\` escapes.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|i| glob(&p[1..], &s[i..])),
        Some(b'?') => !s.is_empty() && glob(&p[1..], &s[1..]),
        Some(b'[') => match (class(&p[1..]), s.first()) {
            (Some((matches, len)), Some(&c)) => matches(c) && glob(&p[1 + len..], &s[1..]),
            // An unclosed `[` is an ordinary character.
            (None, Some(b'[')) => glob(&p[1..], &s[1..]),
            _ => false,
        },
        Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob(&p[2..], &s[1..]),
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

/// A bracket expression after its `[`: a test for one character and how
/// many pattern bytes it took (with the closing `]`); `None` if unclosed.
fn class(p: &[u8]) -> Option<(impl Fn(u8) -> bool + '_, usize)> {
    let negate = matches!(p.first(), Some(b'!' | b'^'));
    let start = usize::from(negate);
    // A `]` first in the set is a member, not the end.
    let end = start + 1 + p.get(start + 1..)?.iter().position(|&c| c == b']')?;
    let set = &p[start..end];
    let test = move |c: u8| {
        let mut i = 0;
        let mut hit = false;
        while i < set.len() {
            if i + 2 < set.len() && set[i + 1] == b'-' {
                hit |= (set[i]..=set[i + 2]).contains(&c);
                i += 3;
            } else {
                hit |= set[i] == c;
                i += 1;
            }
        }
        hit != negate
    };
    Some((test, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_as_fnmatch() {
        let g = |p: &str, s: &str| glob(p.as_bytes(), s.as_bytes());
        assert!(g("veth0:*", "veth0:main"));
        assert!(g("veth0*", "veth0"));
        assert!(!g("veth0:*", "veth0"));
        assert!(g("veth?", "veth1"));
        assert!(!g("veth?", "veth12"));
        assert!(g("veth[0-2]", "veth1"));
        assert!(!g("veth[!0-2]", "veth1"));
        assert!(g("veth[^0-2]", "veth5"));
        assert!(g("a[]]b", "a]b"));
        assert!(g("a\\*", "a*"));
        assert!(!g("a\\*", "ab"));
        assert!(g("a[b", "a[b"));
        assert!(g("*", ""));
        assert!(!g("", "x"));
    }

    #[test]
    fn flag_words_as_get_filter() {
        let mut l = Listing::default();
        assert!(l.flag("permanent"));
        assert_eq!((l.flags, l.flag_mask), (0x80, 0x80));
        let mut l = Listing::default();
        assert!(l.flag("dynamic"));
        assert_eq!((l.flags, l.flag_mask), (0, 0x80));
        let mut l = Listing::default();
        assert!(l.flag("primary") && l.flag("-tentative"));
        assert_eq!((l.flags, l.flag_mask), (0, 0x41));
        let mut l = Listing::default();
        assert!(l.flag("temporary") && l.flag("-dynamic"));
        assert_eq!((l.flags, l.flag_mask), (0x81, 0x81));
        assert!(!Listing::default().flag("veth0"));
    }
}
