//! Neighbour rows to `RTM_NEWNEIGH`.

use std::net::IpAddr;

use rtnl_wire::family::neigh::NdMsg;
use rtnl_wire::names::*;
use rtnl_wire::rtm::RTM_NEWNEIGH;
use rtnl_wire::{Fixed, Message, Value};

use crate::iphlp::neigh_state;
use crate::{family_of, v4_broadcast, Neighbour, Snapshot};

/// `NUD_*` for an `NL_NEIGHBOR_STATE` (unknown values → `NUD_NONE`, 0).
pub fn nud(state: u32) -> u16 {
    match state {
        neigh_state::UNREACHABLE => NUD_FAILED,
        neigh_state::INCOMPLETE => NUD_INCOMPLETE,
        neigh_state::PROBE => NUD_PROBE,
        neigh_state::DELAY => NUD_DELAY,
        neigh_state::STALE => NUD_STALE,
        neigh_state::REACHABLE => NUD_REACHABLE,
        neigh_state::PERMANENT => NUD_PERMANENT,
        _ => 0,
    }
}

/// Whether Linux would keep this entry as `NUD_NOARP`: a multicast or
/// broadcast destination, or any entry on a loopback adapter.
fn noarp(snap: &Snapshot, n: &Neighbour) -> bool {
    if snap.adapter(n.if_index).is_some_and(|a| a.is_loopback()) {
        return true;
    }
    match n.address {
        IpAddr::V4(v4) => {
            v4.is_multicast()
                || v4.is_broadcast()
                || snap
                    .adapter(n.if_index)
                    .into_iter()
                    .flat_map(|a| a.unicast.iter())
                    .any(|u| match u.address {
                        IpAddr::V4(a) => v4_broadcast(a, u.prefix_len) == Some(v4),
                        IpAddr::V6(_) => false,
                    })
        }
        IpAddr::V6(v6) => v6.is_multicast(),
    }
}

/// The `RTM_NEWNEIGH` for one neighbour row (`snap` tells loopback
/// adapters and subnet broadcast addresses apart).
pub fn neigh_message(snap: &Snapshot, n: &Neighbour) -> Message {
    let state = if noarp(snap, n) {
        NUD_NOARP
    } else {
        nud(n.state)
    };
    let mut flags = 0;
    if n.is_router && n.address.is_ipv6() {
        flags |= NTF_ROUTER;
    }
    let mut m = Message::new(
        RTM_NEWNEIGH,
        0,
        Fixed::Neigh(NdMsg {
            family: family_of(&n.address),
            ifindex: i32::try_from(n.if_index).unwrap_or(i32::MAX),
            state,
            flags,
            kind: RTN_UNICAST,
        }),
    );
    m.push_attr("NDA_DST", Value::Ip(n.address));
    let lladdr_known = !matches!(state, NUD_INCOMPLETE | NUD_FAILED | 0);
    if lladdr_known && !n.physical_address.is_empty() {
        m.push_attr("NDA_LLADDR", Value::LinkAddr(n.physical_address.clone()));
    }
    m
}
