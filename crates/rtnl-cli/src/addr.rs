//! Addresses: `ip addr show` (links with their addresses) and the listing
//! `ip link show` shares with it (iproute2's `ipaddr_list_flush_or_save`
//! and `print_addrinfo`).

use rtnl::{AddrFilter, LinkFilter};
use rtnl_wire::rtm::RTM_DELADDR;
use rtnl_wire::{Fixed, Message};
use serde_json::Value as Json;

use crate::addr_select::{LinkChecks, Listing};
use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::link::{print_link, print_link_brief, LinkStyle};
use crate::link_stats;
use crate::names::{
    addr_flag_name, family_name, scope_name, Attrs, LinkCache, AF_INET6, AF_PACKET,
};
use crate::out::Out;

/// `rtnl addr show`.
pub fn show(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    list(ctx, p, false)
}

/// Lists links, and unless `do_link` their addresses.
pub fn list(ctx: &mut Ctx, p: &Parsed, do_link: bool) -> Result<(), CliError> {
    let (all, cache) = ctx.links()?;
    // `to PREFIX` narrows the family of the addresses (and of what is
    // printed of links), but not of the link dump, which -4/-6 choose.
    // `ip link` always lists link-layer information, whatever -4/-6 say.
    let family = if do_link { AF_PACKET } else { ctx.opts.family };
    let (sel, family) = Listing::parse(ctx, &cache, p.words(), family)?;
    let index = sel.dev;
    // `ip -6 addr` lists links from the kernel's IPv6 link dump, which
    // carries fewer attributes (no qdisc, group or master); a single
    // device is asked for without a family and comes back whole.
    let inet6_links = if !do_link && ctx.opts.family == AF_INET6 && index.is_none() {
        Some(ctx.ipr()?.get_links(&LinkFilter {
            family: AF_INET6,
            ..Default::default()
        })?)
    } else {
        None
    };
    let brief = ctx.opts.brief;
    // `ip -o addr` prints each address on a line of its own, led by its
    // link, and not the link itself.
    let addrs_alone = ctx.opts.oneline && !brief && family != AF_PACKET;
    let checks = LinkChecks {
        linkinfo_runs: !addrs_alone,
        kernel_filters: !do_link && ctx.opts.family == 0,
    };
    let links: Vec<&Message> = inet6_links
        .as_ref()
        .unwrap_or(&all)
        .iter()
        .filter(|m| sel.link_passes(m, checks))
        .collect();
    let addrs = if family == AF_PACKET {
        Vec::new()
    } else {
        ctx.ipr()?.get_addr(&AddrFilter { family, index })?
    };
    let style = LinkStyle {
        do_link,
        family,
        details: ctx.opts.details,
        stats: ctx.opts.stats,
        units: link_stats::Units::of(&ctx.opts),
    };
    let form = if brief {
        AddrForm::Brief
    } else if addrs_alone {
        AddrForm::WithLink
    } else {
        AddrForm::Listed
    };
    let mut o = ctx.out();
    for link in links {
        let Fixed::Link(h) = &link.fixed else {
            continue;
        };
        let idx = h.index as u32;
        let of_link = addrs.iter().filter(|a| addr_index(a) == Some(idx));
        let mine: Vec<&Message> = of_link
            .clone()
            .filter(|a| sel.addr_passes(a, &cache))
            .collect();
        // iproute2's `ipaddr_filter`: a link stays when one of its
        // addresses is listed, or when it has none at all and no IP
        // family was asked for.
        if family != AF_PACKET && mine.is_empty() && (family != 0 || of_link.count() > 0) {
            continue;
        }
        o.open_object(None);
        let link_shown = !sel.hides_links() && (brief || !addrs_alone);
        if link_shown && brief {
            print_link_brief(&mut o, link, &cache, family);
        } else if link_shown {
            print_link(&mut o, link, &cache, style);
        }
        if family != AF_PACKET {
            o.open_array(Some("addr_info"));
            let shown = checks.linkinfo_runs || sel.addrs_of_link_shown(link);
            for a in mine.into_iter().filter(|_| shown) {
                o.open_object(None);
                print_addr(&mut o, a, &cache, form);
                o.close();
            }
            o.close();
        }
        if brief {
            o.eol();
        } else if !do_link && link_shown && style.stats > 0 {
            link_stats::print(&mut o, link, style.stats, style.units);
            o.nl();
        }
        o.close();
    }
    ctx.emit(o)
}

fn addr_index(m: &Message) -> Option<u32> {
    match &m.fixed {
        Fixed::Addr(h) => Some(h.index),
        _ => None,
    }
}

/// `IFA_F_PERMANENT`, `IFA_F_SECONDARY`, `IFA_F_DEPRECATED`.
const IFA_F_SECONDARY: u32 = 0x01;
const IFA_F_DEPRECATED: u32 = 0x20;
const IFA_F_PERMANENT: u32 = 0x80;
/// Lifetime meaning "forever".
const INFINITY_LIFE_TIME: u64 = 0xffff_ffff;

/// How [`print_addr`] prints an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrForm {
    /// Under its link, as `ip addr`.
    Listed,
    /// Led by its link, `2: eth0    inet ...`, as `ip -o addr` and `ip
    /// monitor` print it.
    WithLink,
    /// `ip -br addr`: the address and prefix length only, on the link's line.
    Brief,
}

/// One address, as the `    inet 10.0.0.1/24 ...` lines of `ip addr`
/// (iproute2's `print_addrinfo`).
pub fn print_addr(o: &mut Out, m: &Message, links: &LinkCache, form: AddrForm) {
    let Fixed::Addr(h) = &m.fixed else {
        return;
    };
    let flags = m.u32_of("IFA_FLAGS").unwrap_or(h.flags.into());
    let local = m.ip_of("IFA_LOCAL").or_else(|| m.ip_of("IFA_ADDRESS"));
    let address = m.ip_of("IFA_ADDRESS").or(local);

    if m.header.kind == RTM_DELADDR {
        o.flag("deleted", "Deleted ");
    }
    if form == AddrForm::WithLink {
        let name = links.name(h.index);
        o.any(
            Some("index"),
            &format!("{}: {name}", h.index),
            Json::from(h.index),
        );
        o.put(Some("dev"), Json::from(name));
    }
    if form != AddrForm::Brief {
        match family_name(h.family) {
            Some(name) => o.string("family", "    {} ", name),
            None => o.int("family_index", "    family {} ", h.family.into()),
        }
    }
    if let Some(local) = local {
        o.string("local", "{}", &local.to_string());
        if let Some(peer) = address.filter(|a| *a != local) {
            o.text(" peer ");
            o.string("address", "{}", &peer.to_string());
        }
        o.int("prefixlen", "/{} ", h.prefixlen.into());
        if let Some(metric) = m.u64_of("IFA_RT_PRIORITY") {
            o.uint("metric", "metric {} ", metric);
        }
    }
    if form == AddrForm::Brief {
        return;
    }
    if let Some(brd) = m.ip_of("IFA_BROADCAST") {
        o.text("brd ");
        o.string("broadcast", "{} ", &brd.to_string());
    }
    if let Some(any) = m.ip_of("IFA_ANYCAST") {
        o.text("any ");
        o.string("anycast", "{} ", &any.to_string());
    }
    o.string("scope", "scope {} ", &scope_name(h.scope.into()));
    print_addr_flags(o, h.family, flags);
    if let Some(label) = m.str_of("IFA_LABEL") {
        o.string("label", "{}", label);
    }
    if m.has("IFA_CACHEINFO") {
        let valid = m.field("IFA_CACHEINFO", "ifa_valid").unwrap_or(0);
        let preferred = m.field("IFA_CACHEINFO", "ifa_preferred").unwrap_or(0);
        o.nl();
        o.text("       valid_lft ");
        lifetime(o, "valid_life_time", valid, false);
        o.text(" preferred_lft ");
        lifetime(
            o,
            "preferred_life_time",
            preferred,
            flags & IFA_F_DEPRECATED != 0,
        );
    }
    o.eol();
}

fn lifetime(o: &mut Out, key: &str, v: u64, signed: bool) {
    if v == INFINITY_LIFE_TIME {
        o.put(Some(key), Json::from(v));
        o.text("forever");
    } else if signed {
        o.int(key, "{}sec", v as u32 as i32 as i64);
    } else {
        o.uint(key, "{}sec", v);
    }
}

/// `ip`'s `print_ifa_flags`: named flags in table order, `dynamic` for a
/// missing PERMANENT, `temporary` for SECONDARY on IPv6, then any rest as hex.
fn print_addr_flags(o: &mut Out, family: u8, flags: u32) {
    let mut rest = flags;
    for bit in (0..12).map(|b| 1u32 << b) {
        let Some(name) = addr_flag_name(bit) else {
            continue;
        };
        if bit == IFA_F_PERMANENT {
            if flags & bit == 0 {
                o.flag("dynamic", "dynamic ");
            }
        } else if flags & bit != 0 {
            if bit == IFA_F_SECONDARY && family == AF_INET6 {
                o.flag("temporary", "temporary ");
            } else {
                o.text(&format!("{name} "));
                o.put(Some(name), Json::Bool(true));
            }
        }
        rest &= !bit;
    }
    if rest != 0 {
        o.any(
            Some("ifa_flags"),
            &format!("flags {rest:02x} "),
            Json::from(format!("{rest:02x}")),
        );
    }
}
