//! Unicast addresses to `RTM_NEWADDR`.

use std::net::IpAddr;

use rtnl_wire::family::addr::IfAddrMsg;
use rtnl_wire::names::*;
use rtnl_wire::rtm::RTM_NEWADDR;
use rtnl_wire::{Fixed, Message, Value};

use crate::iphlp::{dad, suffix_origin, INFINITE_LIFETIME};
use crate::{family_of, link_flags, v4_broadcast, Adapter, UnicastAddress};

/// The `RT_SCOPE_*` Linux gives an address: host for `127/8` and `::1`,
/// link for `fe80::/10`, site for `fec0::/10`, else universe.
pub fn scope_of(ip: &IpAddr) -> u8 {
    match ip {
        IpAddr::V4(v4) if v4.is_loopback() => RT_SCOPE_HOST,
        IpAddr::V6(v6) if v6.is_loopback() => RT_SCOPE_HOST,
        IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80 => RT_SCOPE_LINK,
        IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfec0 => RT_SCOPE_SITE,
        _ => RT_SCOPE_UNIVERSE,
    }
}

/// The `IFA_F_*` flags of an address (see the crate docs).
fn addr_flags(u: &UnicastAddress) -> u32 {
    let mut f = 0;
    if u.valid_lifetime == INFINITE_LIFETIME {
        f |= IFA_F_PERMANENT;
    }
    match u.dad_state {
        dad::TENTATIVE => f |= IFA_F_TENTATIVE,
        dad::DUPLICATE => f |= IFA_F_TENTATIVE | IFA_F_DADFAILED,
        dad::DEPRECATED => f |= IFA_F_DEPRECATED,
        _ => {}
    }
    if u.address.is_ipv6() && u.suffix_origin == suffix_origin::RANDOM {
        f |= IFA_F_TEMPORARY;
    }
    f
}

/// The `RTM_NEWADDR` for one address of adapter `a`, attributes in the
/// kernel's order.
pub fn addr_message(a: &Adapter, u: &UnicastAddress) -> Message {
    let family = family_of(&u.address);
    let max = if u.address.is_ipv4() { 32 } else { 128 };
    let prefixlen = u.prefix_len.min(max);
    let flags = addr_flags(u);
    let mut m = Message::new(
        RTM_NEWADDR,
        0,
        Fixed::Addr(IfAddrMsg {
            family,
            prefixlen,
            flags: (flags & 0xff) as u8,
            scope: scope_of(&u.address),
            index: a.index(),
        }),
    );
    m.push_attr("IFA_ADDRESS", Value::Ip(u.address));
    if let IpAddr::V4(v4) = u.address {
        m.push_attr("IFA_LOCAL", Value::Ip(u.address));
        if link_flags(a) & IFF_BROADCAST != 0 {
            if let Some(brd) = v4_broadcast(v4, prefixlen) {
                m.push_attr("IFA_BROADCAST", Value::Ip(IpAddr::V4(brd)));
            }
        }
        let label = crate::link::c_str(&a.friendly_name);
        if !label.is_empty() {
            m.push_attr("IFA_LABEL", Value::Str(label.into()));
        }
        m.push_attr("IFA_FLAGS", Value::U32(flags));
        m.push_attr("IFA_CACHEINFO", cacheinfo(u));
    } else {
        m.push_attr("IFA_CACHEINFO", cacheinfo(u));
        m.push_attr("IFA_FLAGS", Value::U32(flags));
    }
    m
}

/// `struct ifa_cacheinfo`: preferred, valid, cstamp, tstamp.
fn cacheinfo(u: &UnicastAddress) -> Value {
    Value::Struct(vec![
        u64::from(u.preferred_lifetime),
        u64::from(u.valid_lifetime),
        0,
        0,
    ])
}
