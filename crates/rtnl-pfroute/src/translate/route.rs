//! Route messages (`rt_msghdr`) to `RTM_NEWROUTE` / `RTM_DELROUTE`, or to
//! neighbours (see `neigh.rs`).
//!
//! Rules, in the order they are applied:
//!
//! - Which message: `RTM_ADD` → `RTM_NEWROUTE` (`NLM_F_CREATE|NLM_F_EXCL`),
//!   `RTM_CHANGE` → `RTM_NEWROUTE` (`NLM_F_REPLACE`), `RTM_DELETE` →
//!   `RTM_DELROUTE`, `RTM_GET`/`RTM_GET2` → `RTM_NEWROUTE` in dumps and
//!   ignored on the socket. An echo with `rtm_errno != 0` is ignored.
//! - ARP/NDP entries (`RTF_LLINFO`/`RTF_LLDATA`, or `RTF_HOST` with a
//!   `sockaddr_dl` gateway holding a hardware address) are neighbours.
//! - Family and `RTA_DST` from `RTAX_DST` (`RTA_DST` omitted for a /0);
//!   `dst_len` from the netmask, 32/128 for `RTF_HOST` or without a mask; a
//!   non-contiguous mask counts its leading ones.
//! - Type: `RTF_BLACKHOLE` → blackhole, `RTF_REJECT` → unreachable,
//!   `RTF_LOCAL` → local, `RTF_BROADCAST` → broadcast, `RTF_MULTICAST` →
//!   multicast, else unicast.
//! - Protocol: local, broadcast and `RTF_CONNECTED` routes → kernel;
//!   `RTF_STATIC` → static; `RTF_DYNAMIC`/`RTF_MODIFIED` → redirect;
//!   `RTF_UP` without `RTF_GATEWAY` → kernel; else boot.
//! - Scope: local → host; broadcast and directly connected unicast (no
//!   `RTF_GATEWAY`) → link; else universe.
//! - Table: OpenBSD `rtm_tableid`, else the translator's table; BSD 0 →
//!   main (254); local and broadcast routes of main → local (255).
//!   `rtm_table` is the id, or `RT_TABLE_COMPAT` above 255; `RTA_TABLE`
//!   always carries the full id.
//! - Next hop: an IP gateway with `RTF_GATEWAY` → `RTA_GATEWAY` (`RTA_VIA`
//!   when its family differs from the destination's); a `sockaddr_dl`
//!   gateway → `RTA_OIF` = its `sdl_index`; else `RTA_OIF` = `rtm_index`.
//!   Blackhole and unreachable routes carry neither (BSD points them at
//!   `lo0`, Linux at nothing).
//! - `RTA_PREFSRC` for kernel routes: `RTAX_IFA`, else an IP gateway without
//!   `RTF_GATEWAY` (OpenBSD's connected routes name the local address so).
//! - `RTA_PRIORITY`: OpenBSD `rtm_priority` when non-zero; the other BSDs
//!   have no route metric that means the same, so none is sent.
//! - `RTA_METRICS` / `RTAX_MTU` when `rmx_mtu` is non-zero; on FreeBSD,
//!   which fills `rmx_mtu` from the interface for every route, only with
//!   `RTF_FIXEDMTU`.
//! - `RTM_F_CLONED` in `rtm_flags` for cloned routes (OpenBSD `RTF_CLONED`,
//!   Darwin `RTF_WASCLONED`), which Linux dumps only on request.

use std::net::IpAddr;

use rtnl_wire::attr::Attr;
use rtnl_wire::family::route::{RtMsg, METRICS};
use rtnl_wire::netlink::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use rtnl_wire::rtm::{RTM_DELROUTE, RTM_NEWROUTE};
use rtnl_wire::value::Via;
use rtnl_wire::{Fixed, Message as RtnlMessage, Value};

use super::addr::unspecified;
use super::{full_len, ip_of, linux_family, Ignored, Origin, Outcome, Translator};
use crate::flags::RtFlag;
use crate::message::RouteMessage;
use crate::msgtype::MsgType;
use crate::sockaddr::SockAddr;
use crate::{linux, Flavor};

/// What a route or neighbour message does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    New { replace: bool },
    Del,
}

impl Translator {
    pub(super) fn route(&mut self, m: &RouteMessage, origin: Origin) -> Outcome {
        if let Some(errno) = m.errno.filter(|&e| e != 0) {
            return Outcome::Ignored(Ignored::Failed { errno });
        }
        let neighbour = is_neighbour(m);
        let action = match (m.msg_type, origin) {
            (MsgType::Add | MsgType::OldAdd, _) => Action::New { replace: false },
            (MsgType::Change, _) => Action::New { replace: true },
            (MsgType::Delete | MsgType::OldDel, _) => Action::Del,
            (MsgType::Get | MsgType::Get2, Origin::Dump) => Action::New { replace: false },
            (MsgType::Get | MsgType::Get2 | MsgType::GetSilent, Origin::Event) => {
                return Outcome::Ignored(Ignored::QueryReply)
            }
            // An ARP/NDP entry that got its hardware address.
            (MsgType::Resolve | MsgType::LlinfoUpd, _) if neighbour => {
                Action::New { replace: true }
            }
            (other, _) => return Outcome::Ignored(Ignored::NoEquivalent(other)),
        };
        if neighbour {
            return self.neigh(m, action);
        }
        self.unicast_route(m, action)
    }

    fn unicast_route(&mut self, m: &RouteMessage, action: Action) -> Outcome {
        let f = |flag| m.flags.contains(flag);
        let gw = m.addrs.gateway();
        let gw_ip = ip_of(gw);
        let (family, dst) = match (ip_of(m.addrs.dst()), gw_ip) {
            (Some(d), _) => d,
            // A zero-length destination: the family comes from the gateway.
            (None, Some((fam, _))) if matches!(m.addrs.dst(), Some(SockAddr::Unspec)) => {
                (fam, unspecified(fam))
            }
            (None, _) => {
                return Outcome::Ignored(match m.addrs.dst() {
                    None => Ignored::Missing("RTA_DST"),
                    Some(_) => Ignored::NotIp,
                })
            }
        };
        let dst_len = if f(RtFlag::Host) {
            full_len(family)
        } else {
            m.prefix_len().map_or(full_len(family), |p| p.len)
        }
        .min(full_len(family));

        let kind = if f(RtFlag::Blackhole) {
            linux::RTN_BLACKHOLE
        } else if f(RtFlag::Reject) {
            linux::RTN_UNREACHABLE
        } else if f(RtFlag::Local) {
            linux::RTN_LOCAL
        } else if f(RtFlag::Broadcast) {
            linux::RTN_BROADCAST
        } else if f(RtFlag::Multicast) {
            linux::RTN_MULTICAST
        } else {
            linux::RTN_UNICAST
        };
        let via_gateway = f(RtFlag::Gateway);
        let protocol =
            if matches!(kind, linux::RTN_LOCAL | linux::RTN_BROADCAST) || f(RtFlag::Connected) {
                linux::RTPROT_KERNEL
            } else if f(RtFlag::Static) {
                linux::RTPROT_STATIC
            } else if f(RtFlag::Dynamic) || f(RtFlag::Modified) {
                linux::RTPROT_REDIRECT
            } else if f(RtFlag::Up) && !via_gateway {
                linux::RTPROT_KERNEL
            } else {
                linux::RTPROT_BOOT
            };
        let scope = match kind {
            linux::RTN_LOCAL => linux::RT_SCOPE_HOST,
            linux::RTN_BROADCAST => linux::RT_SCOPE_LINK,
            linux::RTN_UNICAST if !via_gateway => linux::RT_SCOPE_LINK,
            _ => linux::RT_SCOPE_UNIVERSE,
        };
        let mut table = self.linux_table(m.table);
        if table == linux::RT_TABLE_MAIN && matches!(kind, linux::RTN_LOCAL | linux::RTN_BROADCAST)
        {
            table = linux::RT_TABLE_LOCAL;
        }
        let cloned = f(RtFlag::Cloned) || f(RtFlag::WasCloned);

        let (kind_nl, flags_nl) = match action {
            Action::New { replace: false } => (RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL),
            Action::New { replace: true } => (RTM_NEWROUTE, NLM_F_REPLACE),
            Action::Del => (RTM_DELROUTE, 0),
        };
        let mut msg = RtnlMessage::new(
            kind_nl,
            flags_nl,
            Fixed::Route(RtMsg {
                family,
                dst_len,
                src_len: 0,
                tos: 0,
                table: u8::try_from(table).unwrap_or(linux::RT_TABLE_COMPAT as u8),
                protocol,
                scope,
                kind,
                flags: if cloned { linux::RTM_F_CLONED } else { 0 },
            }),
        );
        msg.push_attr("RTA_TABLE", Value::U32(table));
        if dst_len != 0 {
            msg.push_attr("RTA_DST", Value::Ip(dst));
        }
        if let Some(p) = m.priority.filter(|&p| p != 0) {
            msg.push_attr("RTA_PRIORITY", Value::U32(u32::from(p)));
        }
        let mtu_meaningful = self.flavor != Flavor::FreeBsd || f(RtFlag::FixedMtu);
        if m.metrics.mtu != 0 && mtu_meaningful {
            let mtu = u32::try_from(m.metrics.mtu).unwrap_or(u32::MAX);
            if let Some(a) = Attr::new(&METRICS, "RTAX_MTU", Value::U32(mtu)) {
                msg.push_attr("RTA_METRICS", Value::Nested(vec![a]));
            }
        }
        if protocol == linux::RTPROT_KERNEL {
            let src = ip_of(m.addrs.ifa())
                .or(gw_ip.filter(|_| !via_gateway))
                .filter(|(fam, ip)| *fam == family && !ip.is_unspecified());
            if let Some((_, ip)) = src {
                msg.push_attr("RTA_PREFSRC", Value::Ip(ip));
            }
        }
        if matches!(kind, linux::RTN_BLACKHOLE | linux::RTN_UNREACHABLE) {
            return Outcome::Message(msg);
        }
        if let (true, Some((gw_family, ip))) = (via_gateway, gw_ip) {
            if gw_family == family {
                msg.push_attr("RTA_GATEWAY", Value::Ip(ip));
            } else {
                msg.push_attr("RTA_VIA", Value::Via(via(ip)));
            }
        }
        let sdl_index = gw.and_then(SockAddr::link).map_or(0, |l| l.index);
        let oif = if sdl_index != 0 { sdl_index } else { m.index };
        if oif != 0 {
            msg.push_attr("RTA_OIF", Value::U32(u32::from(oif)));
        }
        Outcome::Message(msg)
    }
}

fn via(ip: IpAddr) -> Via {
    Via {
        family: u16::from(linux_family(&ip)),
        addr: match ip {
            IpAddr::V4(a) => a.octets().to_vec(),
            IpAddr::V6(a) => a.octets().to_vec(),
        },
    }
}

/// Whether a route message is an ARP/NDP entry.
pub(super) fn is_neighbour(m: &RouteMessage) -> bool {
    if m.is_neighbor() {
        return true;
    }
    m.flags.contains(RtFlag::Host)
        && m.addrs
            .gateway()
            .and_then(SockAddr::link)
            .is_some_and(|l| !l.lladdr.is_empty())
}
