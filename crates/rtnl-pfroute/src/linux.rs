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
