//! Neighbours: `ip neigh show` (iproute2's `print_neigh`).

use rtnl::NeighFilter;
use rtnl_wire::names::NEIGH_STATES;
use rtnl_wire::rtm::{RTM_DELNEIGH, RTM_GETNEIGH};
use rtnl_wire::{Fixed, Message};

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::names::{hwaddr, protocol_name, Attrs, LinkCache};
use crate::out::Out;

const NTF_PROXY: u8 = 0x08;
const NTF_EXT_LEARNED: u8 = 0x10;
const NTF_OFFLOADED: u8 = 0x20;
const NTF_ROUTER: u8 = 0x80;
const NTF_EXT_MANAGED: u32 = 0x1;
const NUD_NOARP: u16 = 0x40;

/// `rtnl neigh show [dev NAME] [proxy]`.
pub fn show(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let links = ctx.link_cache()?;
    let ifindex = match p.get("dev") {
        Some(d) => Some(ctx.device_index(&links, d)?),
        None => None,
    };
    let filter = NeighFilter {
        family: ctx.opts.family,
        ifindex,
        proxy: p.flag("proxy"),
        ..Default::default()
    };
    let entries = ctx.ipr()?.get_neighbours(&filter)?;
    let mut o = ctx.out();
    for n in &entries {
        if shown_by_default(n) {
            print_neigh(&mut o, n, &links, ifindex.is_none());
        }
    }
    ctx.emit(o)
}

/// `ip neigh` hides NOARP-only and stateless entries unless they are proxy
/// or externally learned ones.
fn shown_by_default(m: &Message) -> bool {
    let Fixed::Neigh(h) = &m.fixed else {
        return false;
    };
    let wanted = 0xff & !NUD_NOARP;
    h.state & wanted != 0 || h.flags & (NTF_PROXY | NTF_EXT_LEARNED) != 0
}

/// Prints one neighbour entry; `with_dev` is false when listing one link.
pub fn print_neigh(o: &mut Out, m: &Message, links: &LinkCache, with_dev: bool) {
    let Fixed::Neigh(h) = &m.fixed else {
        return;
    };
    o.open_object(None);
    if m.header.kind == RTM_DELNEIGH {
        o.flag("deleted", "Deleted ");
    } else if m.header.kind == RTM_GETNEIGH {
        o.null("miss", "miss ");
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
