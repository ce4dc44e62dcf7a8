//! RTNL message types (`RTM_*`) and the object family each belongs to.

/// Which kind of object an RTNL message carries; picks the fixed header and
/// the attribute table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Links (`ifinfomsg`, IFLA_*).
    Link,
    /// Addresses (`ifaddrmsg`, IFA_*).
    Addr,
    /// Routes (`rtmsg`, RTA_*).
    Route,
    /// Neighbours (`ndmsg`, NDA_*).
    Neigh,
    /// Policy rules (`fib_rule_hdr`, FRA_*).
    Rule,
}

macro_rules! message_types {
    ($($name:ident = $val:literal => $fam:ident),* $(,)?) => {
        $( #[doc = concat!("`", stringify!($name), "`: RTNL message type ", stringify!($val), " (", stringify!($fam), " family).")] pub const $name: u16 = $val; )*
        /// `(type, name, family)` for every RTNL message type this crate knows.
        pub static TYPES: &[(u16, &str, Family)] = &[ $( ($val, stringify!($name), Family::$fam) ),* ];
    };
}

message_types! {
    RTM_NEWLINK = 16 => Link,
    RTM_DELLINK = 17 => Link,
    RTM_GETLINK = 18 => Link,
    RTM_SETLINK = 19 => Link,
    RTM_NEWADDR = 20 => Addr,
    RTM_DELADDR = 21 => Addr,
    RTM_GETADDR = 22 => Addr,
    RTM_NEWROUTE = 24 => Route,
    RTM_DELROUTE = 25 => Route,
    RTM_GETROUTE = 26 => Route,
    RTM_NEWNEIGH = 28 => Neigh,
    RTM_DELNEIGH = 29 => Neigh,
    RTM_GETNEIGH = 30 => Neigh,
    RTM_NEWRULE = 32 => Rule,
    RTM_DELRULE = 33 => Rule,
    RTM_GETRULE = 34 => Rule,
}

impl Family {
    /// The family of an RTNL message type, if it is one this crate decodes.
    pub fn of_type(kind: u16) -> Option<Family> {
        TYPES.iter().find(|t| t.0 == kind).map(|t| t.2)
    }
    /// The RTM_GET* type that dumps this family.
    pub fn get_type(self) -> u16 {
        match self {
            Family::Link => RTM_GETLINK,
            Family::Addr => RTM_GETADDR,
            Family::Route => RTM_GETROUTE,
            Family::Neigh => RTM_GETNEIGH,
            Family::Rule => RTM_GETRULE,
        }
    }
    /// The RTM_NEW* type of this family.
    pub fn new_type(self) -> u16 {
        self.get_type() - 2
    }
    /// The RTM_DEL* type of this family.
    pub fn del_type(self) -> u16 {
        self.get_type() - 1
    }
}

/// The kernel name of a message type (`RTM_NEWLINK`, `NLMSG_DONE` ...).
pub fn type_name(kind: u16) -> Option<&'static str> {
    use crate::netlink::*;
    Some(match kind {
        NLMSG_NOOP => "NLMSG_NOOP",
        NLMSG_ERROR => "NLMSG_ERROR",
        NLMSG_DONE => "NLMSG_DONE",
        NLMSG_OVERRUN => "NLMSG_OVERRUN",
        _ => return TYPES.iter().find(|t| t.0 == kind).map(|t| t.1),
    })
}

/// True for RTM_DEL* types (the object went away).
pub fn is_del(kind: u16) -> bool {
    Family::of_type(kind).is_some_and(|f| f.del_type() == kind)
}

/// Multicast groups (`RTNLGRP_*`), as numbers for NETLINK_ADD_MEMBERSHIP.
pub mod groups {
    #![allow(missing_docs)]
    pub const RTNLGRP_LINK: u32 = 1;
    pub const RTNLGRP_NOTIFY: u32 = 2;
    pub const RTNLGRP_NEIGH: u32 = 3;
    pub const RTNLGRP_TC: u32 = 4;
    pub const RTNLGRP_IPV4_IFADDR: u32 = 5;
    pub const RTNLGRP_IPV4_MROUTE: u32 = 6;
    pub const RTNLGRP_IPV4_ROUTE: u32 = 7;
    pub const RTNLGRP_IPV4_RULE: u32 = 8;
    pub const RTNLGRP_IPV6_IFADDR: u32 = 9;
    pub const RTNLGRP_IPV6_MROUTE: u32 = 10;
    pub const RTNLGRP_IPV6_ROUTE: u32 = 11;
    pub const RTNLGRP_IPV6_IFINFO: u32 = 12;
    pub const RTNLGRP_IPV6_PREFIX: u32 = 18;
    pub const RTNLGRP_IPV6_RULE: u32 = 19;
    pub const RTNLGRP_NSID: u32 = 28;
    pub const RTNLGRP_NEXTHOP: u32 = 32;
}
