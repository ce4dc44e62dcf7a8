//! Neighbours: `ip neigh add | replace | del`.

use std::net::IpAddr;

use rtnl_wire::family::neigh::NdMsg;
use rtnl_wire::message::{Fixed, Message};
use rtnl_wire::names::{NEIGH_STATES, NTF_PROXY, NTF_ROUTER, NUD_PERMANENT};
use rtnl_wire::netlink::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use rtnl_wire::rtm::{RTM_DELNEIGH, RTM_NEWNEIGH};
use rtnl_wire::Value;

use super::{family_of, invalid, Request};
use crate::error::Result;
use crate::filter::NeighFilter;
use crate::iproute::IpRoute;

/// A neighbour entry (`ip neigh add ADDR lladdr LLADDR dev DEV nud STATE`),
/// or a proxy entry (`ip neigh add proxy ADDR dev DEV`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neigh {
    /// The protocol address.
    pub dst: IpAddr,
    /// The link's index.
    pub ifindex: u32,
    /// The link-layer address.
    pub lladdr: Option<Vec<u8>>,
    /// `NUD_*` state; permanent by default.
    pub state: u16,
    /// A proxy entry (NTF_PROXY).
    pub proxy: bool,
    /// `router` (IPv6).
    pub router: bool,
}

impl Neigh {
    /// A permanent entry for `dst` on link `ifindex` with no lladdr yet.
    pub fn new(dst: IpAddr, ifindex: u32) -> Neigh {
        Neigh {
            dst,
            ifindex,
            lladdr: None,
            state: NUD_PERMANENT,
            proxy: false,
            router: false,
        }
    }

    /// A `NUD_*` state from its `ip` name (`permanent`, `reachable`,
    /// `noarp`, `stale`, `none` ...).
    pub fn state_from_name(s: &str) -> Result<u16> {
        if s.eq_ignore_ascii_case("none") {
            return Ok(0);
        }
        NEIGH_STATES.value(s).map(|v| v as u16).ok_or_else(|| {
            invalid(
                format!("nud {s}"),
                "not a neighbour state (permanent, noarp, reachable, stale, none ...)",
            )
        })
    }
}

fn build(kind: u16, flags: u16, n: &Neigh, verb: &str) -> Result<Request> {
    if n.ifindex == 0 {
        return Err(invalid("dev", "a neighbour entry needs its device"));
    }
    let mut ntf = 0;
    if n.proxy {
        ntf |= NTF_PROXY;
    }
    if n.router {
        ntf |= NTF_ROUTER;
    }
    let mut m = Message::new(
        kind,
        flags,
        Fixed::Neigh(NdMsg {
            family: family_of(n.dst),
            ifindex: n.ifindex as i32,
            state: if n.proxy { 0 } else { n.state },
            flags: ntf,
            kind: 0,
        }),
    );
    m.push_attr("NDA_DST", Value::Ip(n.dst));
    if let Some(l) = &n.lladdr {
        if n.proxy {
            return Err(invalid("lladdr", "a proxy entry has no link-layer address"));
        }
        m.push_attr("NDA_LLADDR", Value::LinkAddr(l.clone()));
    }
    let what = if n.proxy {
        "proxy neighbour"
    } else {
        "neighbour"
    };
    Ok(Request::new(
        m,
        format!("{verb} {what} {} on link {}", n.dst, n.ifindex),
    ))
}

/// Builds `ip neigh add`: NLM_F_CREATE|NLM_F_EXCL.
pub fn neigh_add(n: &Neigh) -> Result<Request> {
    build(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, n, "add")
}
/// Builds `ip neigh replace`: NLM_F_CREATE|NLM_F_REPLACE.
pub fn neigh_replace(n: &Neigh) -> Result<Request> {
    build(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, n, "replace")
}
/// Builds `ip neigh del`.
pub fn neigh_del(n: &Neigh) -> Result<Request> {
    let mut n = n.clone();
    n.lladdr = None;
    build(RTM_DELNEIGH, 0, &n, "delete")
}

/// ENOENT: the entry is already gone.
const ENOENT: i32 = 2;

/// A delete request for a neighbour message from a dump.
fn del_from_dump(m: &Message) -> Option<Request> {
    let Fixed::Neigh(h) = &m.fixed else {
        return None;
    };
    let dst = m.get_attr("NDA_DST").and_then(Value::as_ip)?;
    let mut d = Message::new(RTM_DELNEIGH, 0, Fixed::Neigh(*h));
    d.push_attr("NDA_DST", Value::Ip(dst));
    Some(Request::new(
        d,
        format!("delete neighbour {dst} on link {}", h.ifindex),
    ))
}

impl IpRoute {
    /// Deletes the neighbour entries `filter` selects that `keep` accepts
    /// (`ip neigh flush dev eth0`). Entries that expire meanwhile are not
    /// errors; a failure says how many were deleted before it. Returns how
    /// many were deleted.
    pub fn neigh_flush_where(
        &mut self,
        filter: &NeighFilter,
        keep: impl FnMut(&Message) -> bool,
    ) -> Result<usize> {
        let entries = self.dump_filtered_where(filter, keep)?;
        self.delete_each("neighbours", &entries, del_from_dump, ENOENT)
    }

    /// Adds a neighbour entry (`ip neigh add`).
    pub fn neigh_add(&mut self, n: &Neigh) -> Result<()> {
        self.execute(neigh_add(n)?).map(drop)
    }
    /// Adds or replaces a neighbour entry (`ip neigh replace`).
    pub fn neigh_replace(&mut self, n: &Neigh) -> Result<()> {
        self.execute(neigh_replace(n)?).map(drop)
    }
    /// Deletes a neighbour entry (`ip neigh del`).
    pub fn neigh_del(&mut self, n: &Neigh) -> Result<()> {
        self.execute(neigh_del(n)?).map(drop)
    }
}
