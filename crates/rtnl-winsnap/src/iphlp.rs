//! The iphlpapi numbers the snapshot types carry, as the Windows SDK
//! (`ifdef.h`, `ipifcons.h`, `iptypes.h`, `nldef.h`, `netioapi.h`,
//! `iprtrmib.h`) defines them. The snapshot keeps the raw numbers, so values
//! this crate does not know still reach the translation (which treats them
//! as "unknown").

/// `IF_OPER_STATUS`.
pub mod oper {
    #![allow(missing_docs)]
    pub const UP: u32 = 1;
    pub const DOWN: u32 = 2;
    pub const TESTING: u32 = 3;
    pub const UNKNOWN: u32 = 4;
    pub const DORMANT: u32 = 5;
    pub const NOT_PRESENT: u32 = 6;
    pub const LOWER_LAYER_DOWN: u32 = 7;
}

/// `IFTYPE` (`IF_TYPE_*`, the IANA ifType numbers).
pub mod if_type {
    #![allow(missing_docs)]
    pub const OTHER: u32 = 1;
    pub const ETHERNET_CSMACD: u32 = 6;
    pub const ISO88025_TOKENRING: u32 = 9;
    pub const FDDI: u32 = 15;
    pub const PPP: u32 = 23;
    pub const SOFTWARE_LOOPBACK: u32 = 24;
    pub const SLIP: u32 = 28;
    pub const ATM: u32 = 37;
    pub const PROP_VIRTUAL: u32 = 53;
    pub const IEEE80211: u32 = 71;
    pub const TUNNEL: u32 = 131;
    pub const IEEE1394: u32 = 144;
    pub const WWANPP: u32 = 243;
    pub const WWANPP2: u32 = 244;
}

/// `IP_ADAPTER_*` bits of `IP_ADAPTER_ADDRESSES::Flags`.
pub mod adapter_flags {
    #![allow(missing_docs)]
    pub const DDNS_ENABLED: u32 = 0x01;
    pub const REGISTER_ADAPTER_SUFFIX: u32 = 0x02;
    pub const DHCP_ENABLED: u32 = 0x04;
    pub const RECEIVE_ONLY: u32 = 0x08;
    pub const NO_MULTICAST: u32 = 0x10;
    pub const IPV6_OTHER_STATEFUL_CONFIG: u32 = 0x20;
    pub const NETBIOS_OVER_TCPIP_ENABLED: u32 = 0x40;
    pub const IPV4_ENABLED: u32 = 0x80;
    pub const IPV6_ENABLED: u32 = 0x100;
    pub const IPV6_MANAGE_ADDRESS_CONFIG: u32 = 0x200;
}

/// `NL_DAD_STATE` (`IP_DAD_STATE`).
pub mod dad {
    #![allow(missing_docs)]
    pub const INVALID: u32 = 0;
    pub const TENTATIVE: u32 = 1;
    pub const DUPLICATE: u32 = 2;
    pub const DEPRECATED: u32 = 3;
    pub const PREFERRED: u32 = 4;
}

/// `NL_PREFIX_ORIGIN`.
pub mod prefix_origin {
    #![allow(missing_docs)]
    pub const OTHER: u32 = 0;
    pub const MANUAL: u32 = 1;
    pub const WELL_KNOWN: u32 = 2;
    pub const DHCP: u32 = 3;
    pub const ROUTER_ADVERTISEMENT: u32 = 4;
}

/// `NL_SUFFIX_ORIGIN`.
pub mod suffix_origin {
    #![allow(missing_docs)]
    pub const OTHER: u32 = 0;
    pub const MANUAL: u32 = 1;
    pub const WELL_KNOWN: u32 = 2;
    pub const DHCP: u32 = 3;
    pub const LINK_LAYER_ADDRESS: u32 = 4;
    pub const RANDOM: u32 = 5;
}

/// `NL_ROUTE_PROTOCOL` / `MIB_IPFORWARD_PROTO` (`MIB_IPPROTO_*`).
pub mod proto {
    #![allow(missing_docs)]
    pub const OTHER: u32 = 1;
    pub const LOCAL: u32 = 2;
    pub const NETMGMT: u32 = 3;
    pub const ICMP: u32 = 4;
    pub const EGP: u32 = 5;
    pub const GGP: u32 = 6;
    pub const HELLO: u32 = 7;
    pub const RIP: u32 = 8;
    pub const IS_IS: u32 = 9;
    pub const ES_IS: u32 = 10;
    pub const CISCO: u32 = 11;
    pub const BBN: u32 = 12;
    pub const OSPF: u32 = 13;
    pub const BGP: u32 = 14;
    pub const IDPR: u32 = 15;
    pub const EIGRP: u32 = 16;
    pub const DVMRP: u32 = 17;
    pub const RPL: u32 = 18;
    pub const DHCP: u32 = 19;
    pub const NT_AUTOSTATIC: u32 = 10002;
    pub const NT_STATIC: u32 = 10006;
    pub const NT_STATIC_NON_DOD: u32 = 10007;
}

/// `NL_ROUTE_ORIGIN`.
pub mod route_origin {
    #![allow(missing_docs)]
    pub const MANUAL: u32 = 0;
    pub const WELL_KNOWN: u32 = 1;
    pub const DHCP: u32 = 2;
    pub const ROUTER_ADVERTISEMENT: u32 = 3;
    pub const SIX_TO_FOUR: u32 = 4;
}

/// `NL_NEIGHBOR_STATE`.
pub mod neigh_state {
    #![allow(missing_docs)]
    pub const UNREACHABLE: u32 = 0;
    pub const INCOMPLETE: u32 = 1;
    pub const PROBE: u32 = 2;
    pub const DELAY: u32 = 3;
    pub const STALE: u32 = 4;
    pub const REACHABLE: u32 = 5;
    pub const PERMANENT: u32 = 6;
}

/// `MIB_NOTIFICATION_TYPE`.
pub mod notification {
    #![allow(missing_docs)]
    pub const PARAMETER_CHANGE: u32 = 0;
    pub const ADD_INSTANCE: u32 = 1;
    pub const DELETE_INSTANCE: u32 = 2;
    pub const INITIAL_NOTIFICATION: u32 = 3;
}

/// An infinite lifetime (`0xffffffff` seconds), as in iphlpapi and in
/// Linux's `ifa_cacheinfo`.
pub const INFINITE_LIFETIME: u32 = u32::MAX;
