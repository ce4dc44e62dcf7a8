//! Adapters to `RTM_NEWLINK`.

use rtnl_wire::attr::Attr;
use rtnl_wire::family::link::{prop::PROP_LIST, IfInfoMsg};
use rtnl_wire::names::*;
use rtnl_wire::rtm::RTM_NEWLINK;
use rtnl_wire::{Fixed, Message, Value};

use crate::iphlp::{adapter_flags, if_type, oper};
use crate::Adapter;

/// `ARPHRD_*` for an `IfType`: Ethernet and Wi-Fi (Linux reports Wi-Fi
/// links as Ethernet) and virtual adapters with a 6-byte MAC → ether,
/// software loopback → loopback, PPP → ppp, token ring, FDDI, ATM, SLIP and
/// IEEE 1394 → their own, anything else → none.
pub fn arphrd(a: &Adapter) -> u16 {
    match a.if_type {
        if_type::ETHERNET_CSMACD | if_type::IEEE80211 => ARPHRD_ETHER,
        if_type::PROP_VIRTUAL if a.physical_address.len() == 6 => ARPHRD_ETHER,
        if_type::SOFTWARE_LOOPBACK => ARPHRD_LOOPBACK,
        if_type::PPP => ARPHRD_PPP,
        if_type::ISO88025_TOKENRING => ARPHRD_IEEE802_TR,
        if_type::FDDI => ARPHRD_FDDI,
        if_type::ATM => ARPHRD_ATM,
        if_type::SLIP => ARPHRD_SLIP,
        if_type::IEEE1394 => ARPHRD_IEEE1394,
        _ => ARPHRD_NONE,
    }
}

/// `IF_OPER_*` for an `IfOperStatus` (unknown values → `IF_OPER_UNKNOWN`).
pub fn operstate(oper_status: u32) -> u8 {
    match oper_status {
        oper::UP => IF_OPER_UP,
        oper::DOWN => IF_OPER_DOWN,
        oper::TESTING => IF_OPER_TESTING,
        oper::DORMANT => IF_OPER_DORMANT,
        oper::NOT_PRESENT => IF_OPER_NOTPRESENT,
        oper::LOWER_LAYER_DOWN => IF_OPER_LOWERLAYERDOWN,
        _ => IF_OPER_UNKNOWN,
    }
}

fn point_to_point(if_type: u32) -> bool {
    matches!(
        if_type,
        if_type::PPP | if_type::TUNNEL | if_type::WWANPP | if_type::WWANPP2 | if_type::SLIP
    )
}

/// Linux `IFF_*` flags of an adapter (see the crate docs).
pub fn link_flags(a: &Adapter) -> u32 {
    let s = a.oper_status;
    let mut f = 0;
    if matches!(
        s,
        oper::UP | oper::TESTING | oper::DORMANT | oper::LOWER_LAYER_DOWN
    ) {
        f |= IFF_UP;
    }
    if matches!(s, oper::UP | oper::DORMANT) {
        f |= IFF_LOWER_UP;
    }
    if s == oper::UP {
        f |= IFF_RUNNING;
    }
    if s == oper::DORMANT {
        f |= IFF_DORMANT;
    }
    if a.is_loopback() {
        f |= IFF_LOOPBACK;
    } else {
        if point_to_point(a.if_type) {
            f |= IFF_POINTOPOINT | IFF_NOARP;
        } else {
            f |= IFF_BROADCAST;
        }
        if a.flags & adapter_flags::NO_MULTICAST == 0 {
            f |= IFF_MULTICAST;
        }
    }
    f
}

/// Whether Linux gives links of this type an all-ones broadcast address.
fn all_ones_broadcast(arphrd: u16) -> bool {
    matches!(
        arphrd,
        ARPHRD_ETHER | ARPHRD_IEEE80211 | ARPHRD_FDDI | ARPHRD_IEEE802_TR
    )
}

/// The `RTM_NEWLINK` for one adapter, attributes in the kernel's order.
pub fn link_message(a: &Adapter) -> Message {
    let kind = arphrd(a);
    let flags = link_flags(a);
    let mut m = Message::new(
        RTM_NEWLINK,
        0,
        Fixed::Link(IfInfoMsg {
            family: 0,
            kind,
            index: i32::try_from(a.index()).unwrap_or(i32::MAX),
            flags,
            change: 0,
        }),
    );
    if !c_str(&a.friendly_name).is_empty() {
        m.push_attr("IFLA_IFNAME", Value::Str(c_str(&a.friendly_name).into()));
    }
    m.push_attr("IFLA_OPERSTATE", Value::U8(operstate(a.oper_status)));
    m.push_attr("IFLA_LINKMODE", Value::U8(0));
    if a.mtu != u32::MAX {
        m.push_attr("IFLA_MTU", Value::U32(a.mtu));
    }
    let carrier = flags & IFF_LOWER_UP != 0;
    m.push_attr("IFLA_CARRIER", Value::U8(u8::from(carrier)));
    if !c_str(&a.description).is_empty() {
        m.push_attr("IFLA_IFALIAS", Value::Str(c_str(&a.description).into()));
    }
    let mac = &a.physical_address;
    if kind == ARPHRD_LOOPBACK && mac.is_empty() {
        // Linux's lo: 00:00:00:00:00:00 brd 00:00:00:00:00:00.
        m.push_attr("IFLA_ADDRESS", Value::LinkAddr(vec![0; 6]));
        m.push_attr("IFLA_BROADCAST", Value::LinkAddr(vec![0; 6]));
    } else if !mac.is_empty() {
        m.push_attr("IFLA_ADDRESS", Value::LinkAddr(mac.clone()));
        if all_ones_broadcast(kind) {
            m.push_attr("IFLA_BROADCAST", Value::LinkAddr(vec![0xff; mac.len()]));
        }
    }
    if !c_str(&a.adapter_name).is_empty() {
        if let Some(alt) = Attr::new(
            &PROP_LIST,
            "IFLA_ALT_IFNAME",
            Value::Str(c_str(&a.adapter_name).into()),
        ) {
            m.push_attr("IFLA_PROP_LIST", Value::Nested(vec![alt]));
        }
    }
    m
}

/// The text of a Windows string up to its first NUL, as a C reader sees
/// it (`PWSTR`s end there): RTNL strings are NUL-terminated and cannot carry
/// one inside, so a name holding a NUL would not re-parse as a string.
pub(crate) fn c_str(s: &str) -> &str {
    s.split('\0').next().unwrap_or_default()
}
