//! Forward rows to `RTM_NEWROUTE`.

use std::net::IpAddr;

use rtnl_wire::family::route::RtMsg;
use rtnl_wire::names::*;
use rtnl_wire::rtm::RTM_NEWROUTE;
use rtnl_wire::{Fixed, Message, Value};

use crate::iphlp::{proto, route_origin};
use crate::{family_of, in_prefix, v4_broadcast, Route, Snapshot};

/// The `RTPROT_*` of a route from its `Protocol` and `Origin` (see the
/// crate docs).
pub fn rtprot(protocol: u32, origin: u32) -> u8 {
    if origin == route_origin::ROUTER_ADVERTISEMENT {
        return RTPROT_RA;
    }
    match protocol {
        proto::LOCAL => RTPROT_KERNEL,
        proto::NETMGMT | proto::NT_STATIC | proto::NT_STATIC_NON_DOD | proto::NT_AUTOSTATIC => {
            RTPROT_STATIC
        }
        proto::ICMP => RTPROT_REDIRECT,
        proto::RIP => RTPROT_RIP,
        proto::IS_IS => RTPROT_ISIS,
        proto::OSPF => RTPROT_OSPF,
        proto::BGP => RTPROT_BGP,
        proto::EIGRP => RTPROT_EIGRP,
        proto::DHCP => RTPROT_DHCP,
        _ => RTPROT_UNSPEC,
    }
}

fn full_len(ip: &IpAddr) -> u8 {
    if ip.is_ipv4() {
        32
    } else {
        128
    }
}

/// What a route is on Linux: (type, table, scope).
fn classify(snap: &Snapshot, r: &Route, dst_len: u8) -> (u8, u32, u8) {
    let dst = r.destination;
    let host = dst_len == full_len(&dst);
    let own = host && snap.addresses().any(|(_, u)| u.address == dst);
    let loopback_net = matches!(dst, IpAddr::V4(v4) if v4.is_loopback() && dst_len >= 8);
    if own || loopback_net {
        return (RTN_LOCAL, RT_TABLE_LOCAL, RT_SCOPE_HOST);
    }
    if let IpAddr::V4(v4) = dst {
        let subnet_brd = snap.addresses().any(|(a, u)| match u.address {
            IpAddr::V4(x) => a.index() == r.if_index && v4_broadcast(x, u.prefix_len) == Some(v4),
            IpAddr::V6(_) => false,
        });
        if host && (v4.is_broadcast() || subnet_brd) {
            return (RTN_BROADCAST, RT_TABLE_LOCAL, RT_SCOPE_LINK);
        }
    }
    let multicast = match dst {
        IpAddr::V4(v4) => v4.is_multicast() && dst_len >= 4,
        IpAddr::V6(v6) => v6.is_multicast() && dst_len >= 8,
    };
    if multicast {
        return (RTN_MULTICAST, RT_TABLE_LOCAL, RT_SCOPE_UNIVERSE);
    }
    let scope = if r.next_hop.is_unspecified() {
        RT_SCOPE_LINK
    } else {
        RT_SCOPE_UNIVERSE
    };
    (RTN_UNICAST, RT_TABLE_MAIN, scope)
}

/// The IPv4 address of the route's interface inside its destination prefix
/// (Linux's `src` on `proto kernel` routes), for on-link and local routes.
fn prefsrc(snap: &Snapshot, r: &Route, dst_len: u8, kind: u8) -> Option<IpAddr> {
    if !r.destination.is_ipv4() || !(r.next_hop.is_unspecified() || kind == RTN_LOCAL) {
        return None;
    }
    if !matches!(kind, RTN_UNICAST | RTN_LOCAL) {
        return None;
    }
    snap.adapter(r.if_index)?
        .unicast
        .iter()
        .map(|u| u.address)
        .find(|a| a.is_ipv4() && in_prefix(a, &r.destination, dst_len))
}

/// The `RTM_NEWROUTE` for one forward row, attributes in the kernel's
/// order (`snap` tells local and broadcast destinations apart).
pub fn route_message(snap: &Snapshot, r: &Route) -> Message {
    let dst = r.destination;
    let dst_len = r.prefix_len.min(full_len(&dst));
    let (kind, table, scope) = classify(snap, r, dst_len);
    let v4 = dst.is_ipv4();
    let mut m = Message::new(
        RTM_NEWROUTE,
        0,
        Fixed::Route(RtMsg {
            family: family_of(&dst),
            dst_len,
            src_len: 0,
            tos: 0,
            table: u8::try_from(table).unwrap_or(RT_TABLE_COMPAT as u8),
            protocol: if kind == RTN_UNICAST {
                rtprot(r.protocol, r.origin)
            } else {
                // Local, broadcast and multicast routes come with addresses
                // and interfaces: Linux's kernel routes.
                RTPROT_KERNEL
            },
            scope,
            kind,
            flags: 0,
        }),
    );
    m.push_attr("RTA_TABLE", Value::U32(table));
    if dst_len > 0 {
        m.push_attr("RTA_DST", Value::Ip(dst));
    }
    if v4 && r.metric != 0 {
        m.push_attr("RTA_PRIORITY", Value::U32(r.metric));
    }
    if let Some(src) = prefsrc(snap, r, dst_len, kind) {
        m.push_attr("RTA_PREFSRC", Value::Ip(src));
    }
    let gateway = !r.next_hop.is_unspecified() && r.next_hop.is_ipv4() == v4;
    if gateway {
        m.push_attr("RTA_GATEWAY", Value::Ip(r.next_hop));
    }
    m.push_attr("RTA_OIF", Value::U32(r.if_index));
    if !v4 {
        m.push_attr("RTA_PRIORITY", Value::U32(r.metric));
        m.push_attr("RTA_PREF", Value::U8(ICMPV6_ROUTER_PREF_MEDIUM));
    }
    m
}
