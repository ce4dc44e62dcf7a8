//! ARP/NDP entries (route messages with `RTF_LLINFO` / `RTF_LLDATA`) to
//! `RTM_NEWNEIGH` / `RTM_DELNEIGH`.
//!
//! - `ndm_family` from `RTAX_DST`; `ndm_ifindex` = the gateway
//!   `sockaddr_dl`'s index, else `rtm_index`; `ndm_type` unicast.
//! - State: `RTF_STATIC` → `NUD_PERMANENT`; FreeBSD IPv6 entries carry the
//!   ND state in `rmx_state` (`ND6_LLINFO_INCOMPLETE` 0, `REACHABLE` 1,
//!   `STALE` 2, `DELAY` 3, `PROBE` 4: the KAME values) and map to the Linux
//!   state of the same name; otherwise a hardware address → `NUD_REACHABLE`
//!   and none → `NUD_INCOMPLETE`. (A Darwin MAC zeroed by `rtm_scrub` is
//!   reported as it came, reachable with an all-zero address.)
//! - `NDA_DST`; `NDA_LLADDR` when there is a hardware address (Linux omits
//!   it for incomplete entries).
//! - Flags: `NTF_PROXY` for published entries (`RTF_ANNOUNCE`, which is
//!   `RTF_PROTO2` on FreeBSD; Darwin `RTF_PROXY`), `NTF_ROUTER` for IPv6 routers (FreeBSD sets
//!   `RTF_GATEWAY` on them, Darwin `RTF_ROUTER`).
//! - Entries for the host's own addresses (`RTF_LOCAL`, FreeBSD
//!   `RTF_PINNED`) are ignored: Linux has no neighbour for them.

use rtnl_wire::family::neigh::NdMsg;
use rtnl_wire::rtm::{RTM_DELNEIGH, RTM_NEWNEIGH};
use rtnl_wire::{Fixed, Message as RtnlMessage, Value};

use super::route::Action;
use super::{ip_of, Ignored, Outcome, Translator};
use crate::flags::RtFlag;
use crate::message::RouteMessage;
use crate::sockaddr::SockAddr;
use crate::{linux, Flavor};

/// Linux `NUD_*` for a FreeBSD `ND6_LLINFO_*` value.
fn nd6_state(state: u64) -> Option<u16> {
    Some(match state {
        0 => linux::NUD_INCOMPLETE,
        1 => linux::NUD_REACHABLE,
        2 => linux::NUD_STALE,
        3 => linux::NUD_DELAY,
        4 => linux::NUD_PROBE,
        _ => return None,
    })
}

impl Translator {
    pub(super) fn neigh(&mut self, m: &RouteMessage, action: Action) -> Outcome {
        let f = |flag| m.flags.contains(flag);
        if f(RtFlag::Local) || (self.flavor == Flavor::FreeBsd && f(RtFlag::Pinned)) {
            return Outcome::Ignored(Ignored::OwnAddress);
        }
        let Some((family, dst)) = ip_of(m.addrs.dst()) else {
            return Outcome::Ignored(match m.addrs.dst() {
                None | Some(SockAddr::Unspec) => Ignored::Missing("RTA_DST"),
                Some(_) => Ignored::NotIp,
            });
        };
        let link = m.addrs.gateway().and_then(SockAddr::link);
        let lladdr = link.map(|l| l.lladdr.clone()).unwrap_or_default();
        let ifindex = match link.map_or(0, |l| l.index) {
            0 => m.index,
            i => i,
        };
        let state = if f(RtFlag::Static) {
            linux::NUD_PERMANENT
        } else {
            let nd = (self.flavor == Flavor::FreeBsd && family == linux::AF_INET6)
                .then(|| m.metrics.weight.and_then(nd6_state))
                .flatten();
            match nd {
                Some(s) => s,
                None if lladdr.is_empty() => linux::NUD_INCOMPLETE,
                None => linux::NUD_REACHABLE,
            }
        };
        let mut flags = 0;
        // FreeBSD spells RTF_ANNOUNCE as RTF_PROTO2 (netinet/if_ether.h).
        let freebsd_pub = self.flavor == Flavor::FreeBsd && f(RtFlag::Proto2);
        if f(RtFlag::Announce) || f(RtFlag::Proxy) || freebsd_pub {
            flags |= linux::NTF_PROXY;
        }
        if family == linux::AF_INET6 && (f(RtFlag::Gateway) || f(RtFlag::Router)) {
            flags |= linux::NTF_ROUTER;
        }
        let kind = match action {
            Action::New { .. } => RTM_NEWNEIGH,
            Action::Del => RTM_DELNEIGH,
        };
        let mut msg = RtnlMessage::new(
            kind,
            0,
            Fixed::Neigh(NdMsg {
                family,
                ifindex: i32::from(ifindex),
                state,
                flags,
                kind: linux::RTN_UNICAST,
            }),
        );
        msg.push_attr("NDA_DST", Value::Ip(dst));
        if !lladdr.is_empty() && state != linux::NUD_INCOMPLETE {
            msg.push_attr("NDA_LLADDR", Value::LinkAddr(lladdr));
        }
        Outcome::Message(msg)
    }
}
