//! Windows network state as plain Rust, and its translation into the RTNL
//! messages a Linux kernel would send for the same objects.
//!
//! The Windows backend of `rtnl` (`crates/rtnl/src/sys/windows`) calls
//! `GetAdaptersAddresses`, `GetIpForwardTable2` and `GetIpNetTable2` and
//! copies what they return into a [`Snapshot`]: [`Adapter`]s with their
//! [`UnicastAddress`]es, [`Route`]s (`MIB_IPFORWARD_ROW2`) and
//! [`Neighbour`]s (`MIB_IPNET_ROW2`). Everything from there on is pure code
//! in this crate, tested on Linux: [`Snapshot::to_rtnl`] gives the RTNL
//! messages that `rtnl_wire::emulate::emulate` answers dump requests from,
//! and [`notification`] / [`callback_message`] turn one row of a
//! `Notify*Change` callback into an `RTM_NEW*` / `RTM_DEL*` message.
//!
//! The snapshot keeps iphlpapi's raw numbers ([`iphlp`] names them), so an
//! unknown value is translated as "unknown" rather than lost or rejected.
//! No input panics.
//!
//! # What maps to what
//!
//! **Links** ([`link_message`]): `ifi_index` = `IfIndex` (`Ipv6IfIndex`
//! when `IfIndex` is 0, for an IPv6-only adapter); `IFLA_IFNAME` = the
//! friendly name (the interface alias, `Ethernet`, what `netsh` and
//! PowerShell call the interface); `IFLA_ALT_IFNAME` inside
//! `IFLA_PROP_LIST` = the adapter GUID name (`{4D36E972-...}`), shown by
//! `ip` as `altname` (getting a link by name matches `IFLA_IFNAME`
//! only); `IFLA_IFALIAS` = the description (the driver's text);
//! `IFLA_MTU`; `IFLA_ADDRESS` = the MAC and `IFLA_BROADCAST` all ones for
//! Ethernet-like types (loopback gets Linux's all-zero address and
//! broadcast). `ifi_type` from `IfType` ([`arphrd`]). `IfOperStatus` gives
//! `IFLA_OPERSTATE` ([`operstate`]), `IFLA_CARRIER` and the flags: `IFF_UP`
//! for every state but down, not-present and unknown (iphlpapi has no
//! administrative state; a disabled adapter reports down), `IFF_LOWER_UP`
//! for up and dormant, `IFF_RUNNING` for up, `IFF_DORMANT` for dormant;
//! `IFF_LOOPBACK` for the software loopback, `IFF_POINTOPOINT | IFF_NOARP`
//! for PPP, tunnel and WWAN types, `IFF_BROADCAST` for the others, and
//! `IFF_MULTICAST` unless `IP_ADAPTER_NO_MULTICAST` (never on loopback, as
//! Linux's `lo`). `IFLA_LINKMODE` 0. No statistics, queue length or qdisc:
//! iphlpapi's adapter list has none.
//!
//! **Addresses** ([`addr_message`]): family, `OnLinkPrefixLength`, scope
//! host for `127/8` and `::1`, link for `fe80::/10`, site for `fec0::/10`,
//! else global, as Linux (and `ip addr add`) choose. Flags:
//! `IFA_F_PERMANENT` when the valid lifetime is infinite (as Linux marks
//! addresses without lifetimes), DAD tentative → `IFA_F_TENTATIVE`,
//! duplicate → `IFA_F_TENTATIVE | IFA_F_DADFAILED`, deprecated →
//! `IFA_F_DEPRECATED`, and a random IPv6 suffix → `IFA_F_TEMPORARY`.
//! IPv4 as Linux sends it: `IFA_ADDRESS`, `IFA_LOCAL`, `IFA_BROADCAST` (the
//! subnet's broadcast address, for prefixes shorter than 31 on broadcast
//! links, as `ip addr add ... brd +` and DHCP clients set it), `IFA_LABEL`
//! (the link name), `IFA_FLAGS`, `IFA_CACHEINFO`; IPv6: `IFA_ADDRESS`,
//! `IFA_CACHEINFO`, `IFA_FLAGS`. `IFA_CACHEINFO` carries the preferred and
//! valid lifetimes; its creation and update stamps are 0 (the adapter list
//! does not say when an address appeared).
//!
//! **Routes** ([`route_message`]): Windows keeps one table holding what
//! Linux splits into `main` and `local`. A host route to one of this
//! host's addresses and any route inside `127.0.0.0/8` become `local`
//! routes (`RTN_LOCAL`, scope host) in table local (255); a host route to
//! an IPv4 broadcast address (`255.255.255.255`, or a subnet's broadcast
//! address) becomes `RTN_BROADCAST`, scope link, table local; multicast
//! destinations (`224.0.0.0/4`, `ff00::/8`) become `RTN_MULTICAST` in
//! table local, as Linux's `ff00::/8`. Everything else is `RTN_UNICAST` in
//! table main (254), scope link when the next hop is unspecified (on-link),
//! else universe. `RTA_GATEWAY` when there is a next hop, `RTA_OIF`,
//! `RTA_PRIORITY` = the route's own metric (Windows adds the interface
//! metric when it chooses a route; that sum is not a route attribute), and
//! for IPv4 `RTA_PREFSRC` = the address of the same interface inside the
//! destination prefix for on-link and local routes, as Linux's `proto
//! kernel ... src` routes. IPv6 routes carry `RTA_PREF` medium, as Linux's.
//! The protocol ([`rtprot`]): `MIB_IPPROTO_LOCAL` → `kernel`, `NETMGMT` and
//! the `NT_*STATIC*` kinds → `static`, `ICMP` → `redirect`, the routing
//! protocols → their `RTPROT_*`, `DHCP` → `dhcp`, and a route whose origin is
//! a router advertisement → `ra`; anything else `unspec`.
//!
//! **Neighbours** ([`neigh_message`]): `NL_NEIGHBOR_STATE` → `NUD_*` of
//! the same name ([`nud`]; unreachable → `NUD_FAILED`), except that
//! entries for multicast and broadcast addresses, and entries on a loopback
//! adapter, are `NUD_NOARP`, as Linux keeps them. `NDA_DST`, and
//! `NDA_LLADDR` unless the entry is incomplete or failed (Linux omits it
//! then). `IsRouter` → `NTF_ROUTER` (IPv6).
//!
//! **Notifications** ([`notification`]): `MibAddInstance` and
//! `MibParameterNotification` give `RTM_NEW*`, `MibDeleteInstance` gives
//! `RTM_DEL*` (the same message with the type changed, as Linux sends the
//! object's last state), `MibInitialNotification` gives nothing: it marks
//! the registration, not a change. A callback's row is trusted for its
//! key only (it may be incomplete, or already stale), so the Windows
//! backend reads the object again and [`callback_message`] reports its
//! current state instead: present gives `RTM_NEW*` with the current data,
//! gone gives `RTM_DEL*` from the row ([`ChangedRow::lookup`] says what to
//! read).
//!
//! Produced messages have `nlmsg_seq` and `nlmsg_pid` 0 and no flags, as the
//! kernel's own notifications; `emulate` rewrites the header for replies.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod addr;
pub mod iphlp;
mod link;
mod neigh;
mod notify;
mod route;

use std::net::IpAddr;

pub use addr::{addr_message, scope_of};
pub use link::{arphrd, link_flags, link_message, operstate};
pub use neigh::{neigh_message, nud};
pub use notify::{callback_message, notification, Change, ChangedRow, Lookup, NotificationKind};
pub use route::{route_message, rtprot};

use rtnl_wire::Message;

/// One network adapter, as `GetAdaptersAddresses` describes it
/// (`IP_ADAPTER_ADDRESSES_LH`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Adapter {
    /// `IfIndex` (IPv4 interface index; 0 when IPv4 is not enabled).
    pub if_index: u32,
    /// `Ipv6IfIndex` (0 when IPv6 is not enabled).
    pub ipv6_if_index: u32,
    /// `Luid` (`NET_LUID`, its 64-bit value).
    pub luid: u64,
    /// `AdapterName`: the adapter's GUID in braces.
    pub adapter_name: String,
    /// `FriendlyName`: the interface alias (`Ethernet`, `Wi-Fi`).
    pub friendly_name: String,
    /// `Description`: the driver's description of the adapter.
    pub description: String,
    /// `PhysicalAddress` (its first `PhysicalAddressLength` bytes).
    pub physical_address: Vec<u8>,
    /// `Mtu` (`u32::MAX` when unknown).
    pub mtu: u32,
    /// `IfType` ([`iphlp::if_type`]).
    pub if_type: u32,
    /// `OperStatus` ([`iphlp::oper`]).
    pub oper_status: u32,
    /// `Flags` ([`iphlp::adapter_flags`]).
    pub flags: u32,
    /// `FirstUnicastAddress` list, in order.
    pub unicast: Vec<UnicastAddress>,
}

impl Adapter {
    /// The interface index RTNL uses: `IfIndex`, or `Ipv6IfIndex` for an
    /// adapter without IPv4.
    pub fn index(&self) -> u32 {
        if self.if_index != 0 {
            self.if_index
        } else {
            self.ipv6_if_index
        }
    }

    /// Whether this is the software loopback.
    pub fn is_loopback(&self) -> bool {
        self.if_type == iphlp::if_type::SOFTWARE_LOOPBACK
    }
}

/// One unicast address of an adapter (`IP_ADAPTER_UNICAST_ADDRESS_LH`, or
/// the address part of a `MIB_UNICASTIPADDRESS_ROW`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnicastAddress {
    /// The address (an IPv6 scope id is not kept: the adapter says it).
    pub address: IpAddr,
    /// `OnLinkPrefixLength`.
    pub prefix_len: u8,
    /// `PrefixOrigin` ([`iphlp::prefix_origin`]).
    pub prefix_origin: u32,
    /// `SuffixOrigin` ([`iphlp::suffix_origin`]).
    pub suffix_origin: u32,
    /// `DadState` ([`iphlp::dad`]).
    pub dad_state: u32,
    /// `ValidLifetime` in seconds ([`iphlp::INFINITE_LIFETIME`] = forever).
    pub valid_lifetime: u32,
    /// `PreferredLifetime` in seconds.
    pub preferred_lifetime: u32,
}

/// One route (`MIB_IPFORWARD_ROW2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `InterfaceIndex`.
    pub if_index: u32,
    /// `InterfaceLuid`.
    pub luid: u64,
    /// `DestinationPrefix.Prefix`.
    pub destination: IpAddr,
    /// `DestinationPrefix.PrefixLength`.
    pub prefix_len: u8,
    /// `NextHop` (unspecified for an on-link route).
    pub next_hop: IpAddr,
    /// `Metric` (the route's own part of the metric).
    pub metric: u32,
    /// `Protocol` ([`iphlp::proto`]).
    pub protocol: u32,
    /// `Origin` ([`iphlp::route_origin`]).
    pub origin: u32,
    /// `ValidLifetime` in seconds.
    pub valid_lifetime: u32,
    /// `PreferredLifetime` in seconds.
    pub preferred_lifetime: u32,
}

/// One neighbour (`MIB_IPNET_ROW2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    /// `InterfaceIndex`.
    pub if_index: u32,
    /// `InterfaceLuid`.
    pub luid: u64,
    /// `Address`.
    pub address: IpAddr,
    /// `PhysicalAddress` (its first `PhysicalAddressLength` bytes).
    pub physical_address: Vec<u8>,
    /// `State` ([`iphlp::neigh_state`]).
    pub state: u32,
    /// `IsRouter`.
    pub is_router: bool,
    /// `IsUnreachable`.
    pub is_unreachable: bool,
}

/// Everything one round of iphlpapi calls returned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// `GetAdaptersAddresses(AF_UNSPEC, ...)`, in the order returned.
    pub adapters: Vec<Adapter>,
    /// `GetIpForwardTable2(AF_UNSPEC)`.
    pub routes: Vec<Route>,
    /// `GetIpNetTable2(AF_UNSPEC)`.
    pub neighbours: Vec<Neighbour>,
}

impl Snapshot {
    /// The adapter whose RTNL index is `index`.
    pub fn adapter(&self, index: u32) -> Option<&Adapter> {
        self.adapters
            .iter()
            .find(|a| a.index() == index || (index != 0 && a.ipv6_if_index == index))
    }

    /// Every unicast address of every adapter, with the adapter.
    pub fn addresses(&self) -> impl Iterator<Item = (&Adapter, &UnicastAddress)> {
        self.adapters
            .iter()
            .flat_map(|a| a.unicast.iter().map(move |u| (a, u)))
    }

    /// The RTNL messages of the whole snapshot: links, then addresses,
    /// routes and neighbours (the order within a kind is the snapshot's;
    /// `emulate` sorts as Linux does).
    ///
    /// ```
    /// use rtnl_winsnap::{iphlp, Adapter, Snapshot, UnicastAddress};
    ///
    /// let snapshot = Snapshot {
    ///     adapters: vec![Adapter {
    ///         if_index: 4,
    ///         friendly_name: "Ethernet".into(),
    ///         physical_address: vec![2, 0, 0, 0, 0, 1],
    ///         mtu: 1500,
    ///         if_type: iphlp::if_type::ETHERNET_CSMACD,
    ///         oper_status: iphlp::oper::UP,
    ///         unicast: vec![UnicastAddress {
    ///             address: "192.0.2.10".parse().unwrap(),
    ///             prefix_len: 24,
    ///             prefix_origin: 0,
    ///             suffix_origin: 0,
    ///             dad_state: 0,
    ///             valid_lifetime: u32::MAX,
    ///             preferred_lifetime: u32::MAX,
    ///         }],
    ///         ..Default::default()
    ///     }],
    ///     ..Default::default()
    /// };
    /// let msgs = snapshot.to_rtnl(); // RTM_NEWLINK, then RTM_NEWADDR
    /// assert_eq!(msgs.len(), 2);
    /// assert_eq!(msgs[0].get_attr("IFLA_IFNAME").unwrap().as_str(), Some("Ethernet"));
    /// assert_eq!(msgs[1].get_attr("IFA_LABEL").unwrap().as_str(), Some("Ethernet"));
    /// ```
    pub fn to_rtnl(&self) -> Vec<Message> {
        let mut out: Vec<Message> = self.adapters.iter().map(link_message).collect();
        out.extend(self.addresses().map(|(a, u)| addr_message(a, u)));
        out.extend(self.routes.iter().map(|r| route_message(self, r)));
        out.extend(self.neighbours.iter().map(|n| neigh_message(self, n)));
        out
    }
}

/// The subnet broadcast address of an IPv4 address with prefix `len`, when
/// the prefix is shorter than 31 (no broadcast on /31 and /32).
pub(crate) fn v4_broadcast(addr: std::net::Ipv4Addr, len: u8) -> Option<std::net::Ipv4Addr> {
    if len >= 31 {
        return None;
    }
    let host_mask = u32::MAX >> len;
    Some((u32::from(addr) | host_mask).into())
}

/// Whether `ip` lies inside `prefix`/`len` (same family).
pub(crate) fn in_prefix(ip: &IpAddr, prefix: &IpAddr, len: u8) -> bool {
    match (ip, prefix) {
        (IpAddr::V4(a), IpAddr::V4(p)) => {
            let len = u32::from(len.min(32));
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            u32::from(*a) & mask == u32::from(*p) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(p)) => {
            let len = u32::from(len.min(128));
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            u128::from(*a) & mask == u128::from(*p) & mask
        }
        _ => false,
    }
}

/// The Linux address family of an address.
pub(crate) fn family_of(ip: &IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => rtnl_wire::names::AF_INET,
        IpAddr::V6(_) => rtnl_wire::names::AF_INET6,
    }
}
