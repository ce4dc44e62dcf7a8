//! Linux values the translations in [`flags`](crate::flags) produce.
//!
//! Kept here (rather than taken from `libc`) because parsing must work for
//! every flavour on every host, and `libc` only has the host's constants.

/// `IFF_UP`.
pub const IFF_UP: u32 = 0x1;
/// `IFF_BROADCAST`.
pub const IFF_BROADCAST: u32 = 0x2;
/// `IFF_DEBUG`.
pub const IFF_DEBUG: u32 = 0x4;
/// `IFF_LOOPBACK`.
pub const IFF_LOOPBACK: u32 = 0x8;
/// `IFF_POINTOPOINT`.
pub const IFF_POINTOPOINT: u32 = 0x10;
/// `IFF_NOTRAILERS`.
pub const IFF_NOTRAILERS: u32 = 0x20;
/// `IFF_RUNNING`.
pub const IFF_RUNNING: u32 = 0x40;
/// `IFF_NOARP`.
pub const IFF_NOARP: u32 = 0x80;
/// `IFF_PROMISC`.
pub const IFF_PROMISC: u32 = 0x100;
/// `IFF_ALLMULTI`.
pub const IFF_ALLMULTI: u32 = 0x200;
/// `IFF_MASTER`.
pub const IFF_MASTER: u32 = 0x400;
/// `IFF_SLAVE`.
pub const IFF_SLAVE: u32 = 0x800;
/// `IFF_MULTICAST`.
pub const IFF_MULTICAST: u32 = 0x1000;
/// `IFF_PORTSEL`.
pub const IFF_PORTSEL: u32 = 0x2000;
/// `IFF_AUTOMEDIA`.
pub const IFF_AUTOMEDIA: u32 = 0x4000;
/// `IFF_DYNAMIC`.
pub const IFF_DYNAMIC: u32 = 0x8000;
/// `IFF_LOWER_UP`.
pub const IFF_LOWER_UP: u32 = 0x10000;
/// `IFF_DORMANT`.
pub const IFF_DORMANT: u32 = 0x20000;

/// `IF_OPER_UNKNOWN`.
pub const IF_OPER_UNKNOWN: u8 = 0;
/// `IF_OPER_DOWN`.
pub const IF_OPER_DOWN: u8 = 2;
/// `IF_OPER_UP`.
pub const IF_OPER_UP: u8 = 6;

/// `ARPHRD_ETHER`.
pub const ARPHRD_ETHER: u16 = 1;
/// `ARPHRD_IEEE802` (token ring style 802.x).
pub const ARPHRD_IEEE802: u16 = 6;
/// `ARPHRD_ATM`.
pub const ARPHRD_ATM: u16 = 19;
/// `ARPHRD_IEEE1394`.
pub const ARPHRD_IEEE1394: u16 = 24;
/// `ARPHRD_INFINIBAND`.
pub const ARPHRD_INFINIBAND: u16 = 32;
/// `ARPHRD_SLIP`.
pub const ARPHRD_SLIP: u16 = 256;
/// `ARPHRD_PPP`.
pub const ARPHRD_PPP: u16 = 512;
/// `ARPHRD_TUNNEL` (IPIP).
pub const ARPHRD_TUNNEL: u16 = 768;
/// `ARPHRD_TUNNEL6`.
pub const ARPHRD_TUNNEL6: u16 = 769;
/// `ARPHRD_LOOPBACK`.
pub const ARPHRD_LOOPBACK: u16 = 772;
/// `ARPHRD_FDDI`.
pub const ARPHRD_FDDI: u16 = 774;
/// `ARPHRD_SIT`.
pub const ARPHRD_SIT: u16 = 776;
/// `ARPHRD_IEEE802_TR`.
pub const ARPHRD_IEEE802_TR: u16 = 800;
/// `ARPHRD_IEEE80211` (raw 802.11 frames).
pub const ARPHRD_IEEE80211: u16 = 801;
/// `ARPHRD_NONE`.
pub const ARPHRD_NONE: u16 = 0xfffe;

/// `AF_INET` (the same number on Linux and every BSD).
pub const AF_INET: u8 = 2;
/// `AF_BRIDGE`.
pub const AF_BRIDGE: u8 = 7;
/// Linux `AF_INET6` (10; the BSDs use 24, 28 or 30).
pub const AF_INET6: u8 = 10;

/// `RTN_UNICAST`.
pub const RTN_UNICAST: u8 = 1;
/// `RTN_LOCAL`.
pub const RTN_LOCAL: u8 = 2;
/// `RTN_BROADCAST`.
pub const RTN_BROADCAST: u8 = 3;
/// `RTN_MULTICAST`.
pub const RTN_MULTICAST: u8 = 5;
/// `RTN_BLACKHOLE`.
pub const RTN_BLACKHOLE: u8 = 6;
/// `RTN_UNREACHABLE`.
pub const RTN_UNREACHABLE: u8 = 7;

/// `RTPROT_REDIRECT`.
pub const RTPROT_REDIRECT: u8 = 1;
/// `RTPROT_KERNEL`.
pub const RTPROT_KERNEL: u8 = 2;
/// `RTPROT_BOOT`.
pub const RTPROT_BOOT: u8 = 3;
/// `RTPROT_STATIC`.
pub const RTPROT_STATIC: u8 = 4;

/// `RT_SCOPE_UNIVERSE`.
pub const RT_SCOPE_UNIVERSE: u8 = 0;
/// `RT_SCOPE_SITE`.
pub const RT_SCOPE_SITE: u8 = 200;
/// `RT_SCOPE_LINK`.
pub const RT_SCOPE_LINK: u8 = 253;
/// `RT_SCOPE_HOST`.
pub const RT_SCOPE_HOST: u8 = 254;

/// `RT_TABLE_COMPAT`: `rtm_table` of a route whose table id exceeds 255.
pub const RT_TABLE_COMPAT: u32 = 252;
/// `RT_TABLE_MAIN`.
pub const RT_TABLE_MAIN: u32 = 254;
/// `RT_TABLE_LOCAL`.
pub const RT_TABLE_LOCAL: u32 = 255;

/// `RTM_F_CLONED`: a cloned (cached) route.
pub const RTM_F_CLONED: u32 = 0x200;

/// `NUD_INCOMPLETE`.
pub const NUD_INCOMPLETE: u16 = 0x01;
/// `NUD_REACHABLE`.
pub const NUD_REACHABLE: u16 = 0x02;
/// `NUD_STALE`.
pub const NUD_STALE: u16 = 0x04;
/// `NUD_DELAY`.
pub const NUD_DELAY: u16 = 0x08;
/// `NUD_PROBE`.
pub const NUD_PROBE: u16 = 0x10;
/// `NUD_PERMANENT`.
pub const NUD_PERMANENT: u16 = 0x80;

/// `NTF_PROXY`: a proxy (published) entry.
pub const NTF_PROXY: u8 = 0x08;
/// `NTF_ROUTER`: the neighbour is an IPv6 router.
pub const NTF_ROUTER: u8 = 0x80;

/// `IFA_F_TEMPORARY`.
pub const IFA_F_TEMPORARY: u32 = 0x01;
/// `IFA_F_NODAD`.
pub const IFA_F_NODAD: u32 = 0x02;
/// `IFA_F_DADFAILED`.
pub const IFA_F_DADFAILED: u32 = 0x08;
/// `IFA_F_DEPRECATED`.
pub const IFA_F_DEPRECATED: u32 = 0x20;
/// `IFA_F_TENTATIVE`.
pub const IFA_F_TENTATIVE: u32 = 0x40;
/// `IFA_F_PERMANENT`.
pub const IFA_F_PERMANENT: u32 = 0x80;

/// `ENODEV`.
pub const ENODEV: i32 = 19;
/// `EINVAL`.
pub const EINVAL: i32 = 22;
/// `EOPNOTSUPP`.
pub const EOPNOTSUPP: i32 = 95;
