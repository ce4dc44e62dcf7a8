//! `RTM_NEWADDR` / `RTM_DELADDR` (and NetBSD `RTM_CHGADDR`, the compat
//! `RTM_ONEWADDR` / `RTM_ODELADDR`) to `RTM_NEWADDR` / `RTM_DELADDR`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use rtnl_wire::family::addr::IfAddrMsg;
use rtnl_wire::rtm::{RTM_DELADDR, RTM_NEWADDR};
use rtnl_wire::{Fixed, Message as RtnlMessage, Value};

use super::{full_len, ip_of, is_p2p, Ignored, Outcome, Translator};
use crate::linux;
use crate::message::AddressMessage;
use crate::msgtype::MsgType;
use crate::sockaddr::SockAddr;

/// KAME `IN6_IFF_*` (NetBSD `ifam_addrflags` for IPv6).
const IN6_IFF_TENTATIVE: u32 = 0x02;
const IN6_IFF_DUPLICATED: u32 = 0x04;
const IN6_IFF_DEPRECATED: u32 = 0x10;
const IN6_IFF_NODAD: u32 = 0x20;
const IN6_IFF_AUTOCONF: u32 = 0x40;
const IN6_IFF_TEMPORARY: u32 = 0x80;

/// Infinite lifetime in `ifa_cacheinfo`.
const INFINITY_LIFE_TIME: u64 = 0xffff_ffff;

/// Linux `IFA_F_*` for NetBSD's `IN6_IFF_*`.
fn in6_flags(bsd: u32) -> u32 {
    let mut f = 0;
    for (b, l) in [
        (IN6_IFF_TENTATIVE, linux::IFA_F_TENTATIVE),
        (IN6_IFF_DUPLICATED, linux::IFA_F_DADFAILED),
        (IN6_IFF_DEPRECATED, linux::IFA_F_DEPRECATED),
        (IN6_IFF_NODAD, linux::IFA_F_NODAD),
        (IN6_IFF_TEMPORARY, linux::IFA_F_TEMPORARY),
    ] {
        if bsd & b != 0 {
            f |= l;
        }
    }
    if bsd & (IN6_IFF_AUTOCONF | IN6_IFF_TEMPORARY) == 0 {
        f |= linux::IFA_F_PERMANENT;
    }
    f
}

/// Linux's scope for an interface address.
pub(super) fn addr_scope(ip: &IpAddr) -> u8 {
    match ip {
        IpAddr::V4(a) if a.is_loopback() => linux::RT_SCOPE_HOST,
        IpAddr::V4(_) => linux::RT_SCOPE_UNIVERSE,
        IpAddr::V6(a) if a.is_loopback() => linux::RT_SCOPE_HOST,
        IpAddr::V6(a) => match a.segments()[0] & 0xffc0 {
            0xfe80 => linux::RT_SCOPE_LINK,
            0xfec0 => linux::RT_SCOPE_SITE,
            _ => linux::RT_SCOPE_UNIVERSE,
        },
    }
}

/// The subnet broadcast address of `a`/`len`.
fn subnet_broadcast(a: Ipv4Addr, len: u8) -> Ipv4Addr {
    let host = u32::MAX.checked_shr(u32::from(len)).unwrap_or(0);
    Ipv4Addr::from(u32::from(a) | host)
}

impl Translator {
    pub(super) fn addr(&mut self, m: &AddressMessage) -> Outcome {
        let kind = match m.msg_type {
            MsgType::NewAddr | MsgType::ChgAddr | MsgType::OldNewAddr => RTM_NEWADDR,
            MsgType::DelAddr | MsgType::OldDelAddr => RTM_DELADDR,
            other => return Outcome::Ignored(Ignored::NoEquivalent(other)),
        };
        let header_index = u32::from(m.index);
        self.learn_sdl(header_index, m.addrs.ifp());
        let ifa = m.address();
        if matches!(ifa, Some(SockAddr::Link(_))) {
            self.learn_sdl(header_index, ifa);
            return Outcome::Ignored(Ignored::NotIp);
        }
        let Some((family, local)) = ip_of(ifa) else {
            return Outcome::Ignored(match ifa {
                None | Some(SockAddr::Unspec) => Ignored::Missing("RTA_IFA"),
                Some(_) => Ignored::NotIp,
            });
        };
        // The header's index is authoritative; a KAME scope id only fills in
        // for a missing one.
        let scope_id = match ifa {
            Some(SockAddr::Inet6 { scope_id, .. }) => *scope_id,
            _ => 0,
        };
        let index = if header_index == 0 {
            scope_id
        } else {
            header_index
        };
        let prefixlen = if m.addrs.netmask().is_some() {
            m.prefix_len().map_or(full_len(family), |p| p.len)
        } else {
            full_len(family)
        }
        .min(full_len(family));

        let brd = ip_of(m.addrs.brd())
            .filter(|(f, ip)| *f == family && !ip.is_unspecified())
            .map(|(_, ip)| ip);
        let link = self.links.get(&index);
        let name = link.and_then(|l| l.name.clone());
        let p2p = match (link.and_then(|l| l.flags), brd, local) {
            (_, None, _) => false,
            (Some(flags), Some(_), _) => is_p2p(flags),
            (None, Some(_), IpAddr::V6(_)) => true,
            (None, Some(IpAddr::V4(b)), IpAddr::V4(a)) => b != subnet_broadcast(a, prefixlen),
            (None, Some(_), _) => false,
        };
        let peer = if p2p { brd } else { None };

        let flags = match local {
            IpAddr::V4(_) => linux::IFA_F_PERMANENT,
            IpAddr::V6(_) => m.addr_flags.map_or(0, in6_flags),
        };
        let mut msg = RtnlMessage::new(
            kind,
            0,
            Fixed::Addr(IfAddrMsg {
                family,
                prefixlen,
                flags: (flags & 0xff) as u8,
                scope: addr_scope(&local),
                index,
            }),
        );
        let cacheinfo = Value::Struct(vec![INFINITY_LIFE_TIME, INFINITY_LIFE_TIME, 0, 0]);
        let permanent = flags & linux::IFA_F_PERMANENT != 0;
        match local {
            IpAddr::V4(_) => {
                msg.push_attr("IFA_ADDRESS", Value::Ip(peer.unwrap_or(local)));
                msg.push_attr("IFA_LOCAL", Value::Ip(local));
                if let (false, Some(b)) = (p2p, brd) {
                    msg.push_attr("IFA_BROADCAST", Value::Ip(b));
                }
                if let Some(n) = name {
                    msg.push_attr("IFA_LABEL", Value::Str(n));
                }
                msg.push_attr("IFA_FLAGS", Value::U32(flags));
                if permanent {
                    msg.push_attr("IFA_CACHEINFO", cacheinfo);
                }
            }
            IpAddr::V6(_) => {
                match peer {
                    Some(p) => {
                        msg.push_attr("IFA_LOCAL", Value::Ip(local));
                        msg.push_attr("IFA_ADDRESS", Value::Ip(p));
                    }
                    None => {
                        msg.push_attr("IFA_ADDRESS", Value::Ip(local));
                    }
                }
                if permanent {
                    msg.push_attr("IFA_CACHEINFO", cacheinfo);
                }
                msg.push_attr("IFA_FLAGS", Value::U32(flags));
            }
        }
        Outcome::Message(msg)
    }
}

/// `::` and `0.0.0.0` of a Linux family.
pub(super) fn unspecified(family: u8) -> IpAddr {
    if family == linux::AF_INET6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    }
}
