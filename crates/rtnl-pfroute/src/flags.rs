//! Flag and type translations: `RTF_*` names, `IFF_*` to Linux, link state to
//! Linux operstate, `IFT_*` to Linux `ARPHRD_*`.
//!
//! The per-flavour values are tables in the flavour modules; this module only
//! holds the logic that walks them and the tables that are the same on every
//! flavour (IANA `ifType` numbers).

use core::fmt;

use crate::linux;
use crate::Flavor;

/// BSD `IFF_UP`; bits 0x1..=0x200 (except 0x20) mean the same on every flavour.
const BSD_IFF_UP: u32 = 0x1;
/// BSD `IFF_RUNNING` (FreeBSD `IFF_DRV_RUNNING`, merged into `ifm_flags`).
const BSD_IFF_RUNNING: u32 = 0x40;

/// A named `RTF_*` route flag. Which bit it is (and whether it exists at all)
/// depends on the flavour; see [`Flavor::rtf_bit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RtFlag {
    /// `RTF_UP`: route usable.
    Up,
    /// `RTF_GATEWAY`: destination is a gateway.
    Gateway,
    /// `RTF_HOST`: host entry (no netmask).
    Host,
    /// `RTF_REJECT`: unreachable (maps to `RTN_UNREACHABLE`).
    Reject,
    /// `RTF_DYNAMIC`: created by a redirect.
    Dynamic,
    /// `RTF_MODIFIED`: modified by a redirect.
    Modified,
    /// `RTF_DONE`: message confirmed.
    Done,
    /// `RTF_MASK` (NetBSD 0x80).
    Mask,
    /// `RTF_DELCLONE` (Darwin 0x80).
    DelClone,
    /// `RTF_CLONING` (OpenBSD, Darwin 0x100).
    Cloning,
    /// `RTF_CONNECTED` (NetBSD 0x100, OpenBSD 0x800000).
    Connected,
    /// `RTF_XRESOLVE` (FreeBSD, Darwin 0x200).
    XResolve,
    /// `RTF_LLINFO` / `RTF_LLDATA` (0x400): ARP/NDP entry, a neighbour not a route.
    LlInfo,
    /// `RTF_STATIC`: added by hand (maps to `RTPROT_STATIC`).
    Static,
    /// `RTF_BLACKHOLE`: discard silently (maps to `RTN_BLACKHOLE`).
    Blackhole,
    /// `RTF_NOIFREF` (Darwin 0x2000).
    NoIfRef,
    /// `RTF_PROTO1`.
    Proto1,
    /// `RTF_PROTO2`.
    Proto2,
    /// `RTF_PROTO3`.
    Proto3,
    /// `RTF_ANNOUNCE`: proxy ARP/NDP (OpenBSD alias of PROTO2; NetBSD 0x20000).
    Announce,
    /// `RTF_CLONED` (OpenBSD 0x10000).
    Cloned,
    /// `RTF_SRC` (NetBSD 0x10000).
    Src,
    /// `RTF_PRCLONING` (Darwin 0x10000).
    PrCloning,
    /// `RTF_WASCLONED` (Darwin 0x20000).
    WasCloned,
    /// `RTF_CACHED` (OpenBSD 0x20000).
    Cached,
    /// `RTF_MPATH` (OpenBSD 0x40000).
    Mpath,
    /// `RTF_FIXEDMTU` (FreeBSD 0x80000).
    FixedMtu,
    /// `RTF_PINNED` (FreeBSD, Darwin 0x100000).
    Pinned,
    /// `RTF_MPLS` (OpenBSD 0x100000).
    Mpls,
    /// `RTF_UPDATING` (NetBSD 0x100000).
    Updating,
    /// `RTF_LOCAL`: address of this host (maps to `RTN_LOCAL`).
    Local,
    /// `RTF_BROADCAST`: broadcast address (maps to `RTN_BROADCAST`).
    Broadcast,
    /// `RTF_MULTICAST`: multicast address (maps to `RTN_MULTICAST`).
    Multicast,
    /// `RTF_STICKY` (FreeBSD 0x10000000).
    Sticky,
    /// `RTF_GWFLAG_COMPAT` (FreeBSD 0x80000000).
    GwFlagCompat,
    /// `RTF_BFD` (OpenBSD 0x1000000).
    Bfd,
    /// `RTF_IFSCOPE` (Darwin 0x1000000): route scoped to `rtm_index`.
    IfScope,
    /// `RTF_CONDEMNED` (Darwin).
    Condemned,
    /// `RTF_IFREF` (Darwin).
    IfRef,
    /// `RTF_PROXY` (Darwin).
    Proxy,
    /// `RTF_ROUTER` (Darwin).
    Router,
    /// `RTF_DEAD` (Darwin).
    Dead,
    /// `RTF_GLOBAL` (Darwin).
    Global,
}

impl RtFlag {
    /// The flag's name without `RTF_`, as `route monitor` prints it.
    pub const fn name(self) -> &'static str {
        use RtFlag::*;
        match self {
            Up => "UP",
            Gateway => "GATEWAY",
            Host => "HOST",
            Reject => "REJECT",
            Dynamic => "DYNAMIC",
            Modified => "MODIFIED",
            Done => "DONE",
            Mask => "MASK",
            DelClone => "DELCLONE",
            Cloning => "CLONING",
            Connected => "CONNECTED",
            XResolve => "XRESOLVE",
            LlInfo => "LLINFO",
            Static => "STATIC",
            Blackhole => "BLACKHOLE",
            NoIfRef => "NOIFREF",
            Proto1 => "PROTO1",
            Proto2 => "PROTO2",
            Proto3 => "PROTO3",
            Announce => "ANNOUNCE",
            Cloned => "CLONED",
            Src => "SRC",
            PrCloning => "PRCLONING",
            WasCloned => "WASCLONED",
            Cached => "CACHED",
            Mpath => "MPATH",
            FixedMtu => "FIXEDMTU",
            Pinned => "PINNED",
            Mpls => "MPLS",
            Updating => "UPDATING",
            Local => "LOCAL",
            Broadcast => "BROADCAST",
            Multicast => "MULTICAST",
            Sticky => "STICKY",
            GwFlagCompat => "GWFLAG_COMPAT",
            Bfd => "BFD",
            IfScope => "IFSCOPE",
            Condemned => "CONDEMNED",
            IfRef => "IFREF",
            Proxy => "PROXY",
            Router => "ROUTER",
            Dead => "DEAD",
            Global => "GLOBAL",
        }
    }
}

/// Raw `rtm_flags` together with the flavour that gives the bits meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtFlags {
    bits: u32,
    flavor: Flavor,
}

impl RtFlags {
    /// Wraps raw `RTF_*` bits of `flavor`.
    pub const fn new(flavor: Flavor, bits: u32) -> RtFlags {
        RtFlags { bits, flavor }
    }

    /// The raw bits.
    pub const fn bits(&self) -> u32 {
        self.bits
    }

    /// The flavour the bits belong to.
    pub const fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// Whether `flag` is set; `false` when the flavour has no such flag.
    pub fn contains(&self, flag: RtFlag) -> bool {
        self.flavor
            .rtf_bit(flag)
            .is_some_and(|bit| self.bits & bit != 0)
    }

    /// The named flags that are set, in bit order (an aliased bit yields each
    /// of its names).
    pub fn iter(&self) -> impl Iterator<Item = RtFlag> + '_ {
        self.flavor
            .spec()
            .rtf
            .iter()
            .filter(|(bit, _)| self.bits & bit != 0)
            .map(|&(_, flag)| flag)
    }

    /// Set bits that have no name on this flavour.
    pub fn unknown_bits(&self) -> u32 {
        let known = self
            .flavor
            .spec()
            .rtf
            .iter()
            .fold(0, |acc, (bit, _)| acc | bit);
        self.bits & !known
    }
}

impl fmt::Display for RtFlags {
    /// Comma-separated names, e.g. `UP,GATEWAY,DONE,STATIC`; unnamed bits are
    /// shown as one hex number at the end.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for flag in self.iter() {
            if !first {
                f.write_str(",")?;
            }
            first = false;
            f.write_str(flag.name())?;
        }
        let rest = self.unknown_bits();
        if rest != 0 {
            if !first {
                f.write_str(",")?;
            }
            write!(f, "{rest:#x}")?;
        }
        Ok(())
    }
}

/// What an interface's `ifi_link_state` says about the carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkState {
    /// The driver does not report a state (or an unknown value).
    Unknown,
    /// No carrier.
    Down,
    /// Carrier present.
    Up,
}

impl Flavor {
    /// The bit of `flag` on this flavour, or `None` when the flavour lacks it.
    pub fn rtf_bit(self, flag: RtFlag) -> Option<u32> {
        self.spec()
            .rtf
            .iter()
            .find(|&&(_, f)| f == flag)
            .map(|&(bit, _)| bit)
    }

    /// Interprets a raw `ifi_link_state` (FreeBSD/NetBSD: 0/1/2 =
    /// unknown/down/up; OpenBSD: 0 unknown, 1 invalid, 2..=3 down, 4 and up
    /// up).
    pub fn link_state(self, raw: u32) -> LinkState {
        let spec = self.spec();
        spec.link_states
            .iter()
            .find(|&&(v, _)| v == raw)
            .map_or(spec.link_state_rest, |&(_, s)| s)
    }
}

/// Translates the flavour's `IFF_*` bits to Linux `IFF_*` bits.
///
/// Bits 0x1..=0x200 keep their value (0x20 only where it is NOTRAILERS), BSD
/// `IFF_MULTICAST` 0x8000 becomes Linux 0x1000, and every BSD bit that means
/// something else on Linux (OACTIVE 0x400, SIMPLEX 0x800, LINK0..2) is
/// dropped. `IFF_LOWER_UP` is not a BSD flag: see [`linux_link_flags`].
pub fn iff_to_linux(flavor: Flavor, bsd_flags: u32) -> u32 {
    flavor
        .spec()
        .iff
        .iter()
        .filter(|(bsd, _)| bsd_flags & bsd != 0)
        .fold(0, |acc, (_, linux)| acc | linux)
}

/// Whether the carrier is up, for Linux `IFF_LOWER_UP`.
///
/// Uses the flavour's link state; when it is missing (Darwin has no
/// `ifi_link_state`) or unknown, falls back to `IFF_RUNNING`, which is what a
/// driver without carrier detection effectively reports.
pub fn lower_up(flavor: Flavor, bsd_flags: u32, link_state: Option<u32>) -> bool {
    match link_state.map(|s| flavor.link_state(s)) {
        Some(LinkState::Up) => true,
        Some(LinkState::Down) => false,
        Some(LinkState::Unknown) | None => bsd_flags & BSD_IFF_RUNNING != 0,
    }
}

/// Linux `ifi_flags` for an interface: [`iff_to_linux`] plus `IFF_LOWER_UP`
/// when the interface is up and [`lower_up`] says the carrier is.
pub fn linux_link_flags(flavor: Flavor, bsd_flags: u32, link_state: Option<u32>) -> u32 {
    let mut flags = iff_to_linux(flavor, bsd_flags);
    if bsd_flags & BSD_IFF_UP != 0 && lower_up(flavor, bsd_flags, link_state) {
        flags |= linux::IFF_LOWER_UP;
    }
    flags
}

/// Linux `IFLA_OPERSTATE` (`IF_OPER_*`) for an interface.
///
/// Administratively down is `IF_OPER_DOWN`. Otherwise the link state decides
/// (unknown stays `IF_OPER_UNKNOWN`, as Linux reports for `lo`); without a
/// link state (Darwin) `IFF_RUNNING` decides between UP and DOWN.
pub fn operstate(flavor: Flavor, bsd_flags: u32, link_state: Option<u32>) -> u8 {
    if bsd_flags & BSD_IFF_UP == 0 {
        return linux::IF_OPER_DOWN;
    }
    match link_state.map(|s| flavor.link_state(s)) {
        Some(LinkState::Up) => linux::IF_OPER_UP,
        Some(LinkState::Down) => linux::IF_OPER_DOWN,
        Some(LinkState::Unknown) => linux::IF_OPER_UNKNOWN,
        None if bsd_flags & BSD_IFF_RUNNING != 0 => linux::IF_OPER_UP,
        None => linux::IF_OPER_DOWN,
    }
}

/// IANA `ifType` numbers (the same on every BSD) to Linux `ARPHRD_*`.
///
/// Linux shows Wi-Fi stations, VLANs and bridges as Ethernet, so those map to
/// `ARPHRD_ETHER`; raw 802.11 devices (`IFT_IEEE80211`) map to
/// `ARPHRD_IEEE80211`.
const IFT_IANA: &[(u8, u16)] = &[
    (1, linux::ARPHRD_NONE),         // IFT_OTHER (e.g. Darwin utun)
    (6, linux::ARPHRD_ETHER),        // IFT_ETHER
    (7, linux::ARPHRD_ETHER),        // IFT_ISO88023
    (9, linux::ARPHRD_IEEE802_TR),   // IFT_ISO88025 (token ring)
    (15, linux::ARPHRD_FDDI),        // IFT_FDDI
    (23, linux::ARPHRD_PPP),         // IFT_PPP
    (24, linux::ARPHRD_LOOPBACK),    // IFT_LOOP
    (28, linux::ARPHRD_SLIP),        // IFT_SLIP
    (37, linux::ARPHRD_ATM),         // IFT_ATM
    (53, linux::ARPHRD_NONE),        // IFT_PROPVIRTUAL (e.g. FreeBSD tun)
    (71, linux::ARPHRD_IEEE80211),   // IFT_IEEE80211
    (131, linux::ARPHRD_TUNNEL),     // IFT_TUNNEL
    (135, linux::ARPHRD_ETHER),      // IFT_L2VLAN
    (144, linux::ARPHRD_IEEE1394),   // IFT_IEEE1394
    (199, linux::ARPHRD_INFINIBAND), // IFT_INFINIBAND
    (209, linux::ARPHRD_ETHER),      // IFT_BRIDGE
];

/// Translates an interface type (`ifi_type` / `sdl_type`, `IFT_*`) to Linux
/// `ARPHRD_*`. Unknown types give `ARPHRD_NONE`.
pub fn ift_to_arphrd(flavor: Flavor, ift: u8) -> u16 {
    flavor
        .spec()
        .ift_private
        .iter()
        .chain(IFT_IANA)
        .find(|&&(t, _)| t == ift)
        .map_or(linux::ARPHRD_NONE, |&(_, a)| a)
}
