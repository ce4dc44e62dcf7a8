//! Multicast groups: the set a socket is bound to ([`Groups`]), the group a
//! notification belongs to ([`group_of`], used by the emulators, which
//! filter what they translate), and a set shared with a notification source
//! that keeps running while `bind` adds groups ([`SharedGroups`]).

use std::ops::{BitOr, BitOrAssign};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rtnl_wire::rtm::{self, groups::*};

/// A set of RTNL multicast groups (`RTNLGRP_*` numbers below 64).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Groups(u64);

impl Groups {
    /// No group.
    pub const NONE: Groups = Groups(0);
    /// Links (`RTNLGRP_LINK`).
    pub const LINK: Groups = Groups::group(RTNLGRP_LINK);
    /// IPv4 addresses.
    pub const IPV4_ADDR: Groups = Groups::group(RTNLGRP_IPV4_IFADDR);
    /// IPv6 addresses.
    pub const IPV6_ADDR: Groups = Groups::group(RTNLGRP_IPV6_IFADDR);
    /// IPv4 and IPv6 addresses.
    pub const ADDR: Groups = Groups::IPV4_ADDR.union(Groups::IPV6_ADDR);
    /// IPv4 routes.
    pub const IPV4_ROUTE: Groups = Groups::group(RTNLGRP_IPV4_ROUTE);
    /// IPv6 routes.
    pub const IPV6_ROUTE: Groups = Groups::group(RTNLGRP_IPV6_ROUTE);
    /// IPv4 and IPv6 routes.
    pub const ROUTE: Groups = Groups::IPV4_ROUTE.union(Groups::IPV6_ROUTE);
    /// Neighbours.
    pub const NEIGH: Groups = Groups::group(RTNLGRP_NEIGH);
    /// IPv4 rules.
    pub const IPV4_RULE: Groups = Groups::group(RTNLGRP_IPV4_RULE);
    /// IPv6 rules.
    pub const IPV6_RULE: Groups = Groups::group(RTNLGRP_IPV6_RULE);
    /// IPv4 and IPv6 rules.
    pub const RULE: Groups = Groups::IPV4_RULE.union(Groups::IPV6_RULE);
    /// Nexthop objects (`RTNLGRP_NEXTHOP`, group 32).
    pub const NEXTHOP: Groups = Groups::group(RTNLGRP_NEXTHOP);
    /// What `bind(Groups::default())` joins: links, addresses, routes,
    /// neighbours and rules of both IP families, and nexthops.
    pub const DEFAULT: Groups = Groups::LINK
        .union(Groups::ADDR)
        .union(Groups::ROUTE)
        .union(Groups::NEIGH)
        .union(Groups::RULE)
        .union(Groups::NEXTHOP);

    /// The group numbered `n` (`RTNLGRP_*`); numbers above 63 give `NONE`.
    pub const fn group(n: u32) -> Groups {
        if n == 0 || n > 63 {
            Groups(0)
        } else {
            Groups(1 << n)
        }
    }

    /// Both sets.
    pub const fn union(self, other: Groups) -> Groups {
        Groups(self.0 | other.0)
    }

    /// True when every group of `other` is in `self`.
    pub const fn contains(self, other: Groups) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when no group is in the set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The `RTNLGRP_*` numbers, ascending.
    pub fn numbers(self) -> Vec<u32> {
        (1..64).filter(|n| self.0 & (1 << n) != 0).collect()
    }
}

impl Default for Groups {
    fn default() -> Groups {
        Groups::DEFAULT
    }
}

impl BitOr for Groups {
    type Output = Groups;
    fn bitor(self, rhs: Groups) -> Groups {
        self.union(rhs)
    }
}

impl BitOrAssign for Groups {
    fn bitor_assign(&mut self, rhs: Groups) {
        *self = self.union(rhs);
    }
}

impl std::fmt::Debug for Groups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Groups{:?}", self.numbers())
    }
}

impl Groups {
    /// Any of `other`'s groups in `self`.
    pub(crate) fn intersects(self, other: Groups) -> bool {
        self.0 & other.0 != 0
    }
}

/// RTNL's address families (Linux numbers on every platform).
pub(crate) const AF_INET: u8 = 2;
pub(crate) const AF_INET6: u8 = 10;

/// The RTNL multicast group (`RTNLGRP_*`) a notification belongs to, from
/// its bytes (type and family); `None` for messages of no group.
pub(crate) fn group_of(bytes: &[u8]) -> Option<u32> {
    let kind = u16::from_ne_bytes([*bytes.get(4)?, *bytes.get(5)?]);
    let family = bytes.get(16).copied();
    let v4_v6 = |v4: u32, v6: u32| match family {
        Some(AF_INET) => Some(v4),
        Some(AF_INET6) => Some(v6),
        _ => None,
    };
    match kind {
        rtm::RTM_NEWLINK | rtm::RTM_DELLINK => Some(RTNLGRP_LINK),
        rtm::RTM_NEWADDR | rtm::RTM_DELADDR => v4_v6(RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR),
        rtm::RTM_NEWROUTE | rtm::RTM_DELROUTE => v4_v6(RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE),
        rtm::RTM_NEWNEIGH | rtm::RTM_DELNEIGH => Some(RTNLGRP_NEIGH),
        rtm::RTM_NEWRULE | rtm::RTM_DELRULE => v4_v6(RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE),
        _ => None,
    }
}

/// The groups an emulated socket is bound to, shared with the source that
/// produces its notifications (a monitor thread, system callbacks): a later
/// `bind` widens the set without restarting the source.
#[derive(Debug, Clone, Default)]
pub(crate) struct SharedGroups(Arc<AtomicU64>);

impl SharedGroups {
    /// Adds `groups` to the set.
    pub(crate) fn add(&self, groups: Groups) {
        self.0.fetch_or(groups.0, Ordering::AcqRel);
    }

    /// The set now.
    pub(crate) fn get(&self) -> Groups {
        Groups(self.0.load(Ordering::Acquire))
    }

    /// Whether the notification `bytes` belongs to a group in the set.
    pub(crate) fn wants(&self, bytes: &[u8]) -> bool {
        group_of(bytes).is_some_and(|g| self.get().contains(Groups::group(g)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_groups() {
        let msg = |kind: u16, family: u8| {
            let mut b = vec![0u8; 20];
            b[4..6].copy_from_slice(&kind.to_ne_bytes());
            b[16] = family;
            b
        };
        assert_eq!(group_of(&msg(rtm::RTM_DELLINK, 0)), Some(RTNLGRP_LINK));
        assert_eq!(
            group_of(&msg(rtm::RTM_NEWADDR, 10)),
            Some(RTNLGRP_IPV6_IFADDR)
        );
        assert_eq!(
            group_of(&msg(rtm::RTM_DELROUTE, 2)),
            Some(RTNLGRP_IPV4_ROUTE)
        );
        assert_eq!(group_of(&msg(rtm::RTM_NEWNEIGH, 10)), Some(RTNLGRP_NEIGH));
        assert_eq!(group_of(&msg(rtm::RTM_NEWRULE, 2)), Some(RTNLGRP_IPV4_RULE));
        assert_eq!(group_of(&msg(rtm::RTM_NEWROUTE, 7)), None);
        assert_eq!(group_of(&msg(rtnl_wire::netlink::NLMSG_OVERRUN, 0)), None);
        assert_eq!(group_of(&[1, 2, 3]), None);
    }

    #[test]
    fn a_shared_set_widens_for_every_holder() {
        let a = SharedGroups::default();
        let b = a.clone();
        let link = {
            let mut m = vec![0u8; 20];
            m[4..6].copy_from_slice(&rtm::RTM_NEWLINK.to_ne_bytes());
            m
        };
        assert!(!b.wants(&link));
        a.add(Groups::LINK);
        assert!(b.wants(&link));
        assert_eq!(b.get(), Groups::LINK);
    }
}
