//! Names for `RTM_*` message types.
//!
//! The numbers differ between flavours (NetBSD renumbered the address and
//! interface messages; `RTM_IFANNOUNCE` is 0x11, 0xf or 0x10), so a type is
//! only a name here; [`Flavor::msg_type`](crate::Flavor::msg_type) and
//! [`Flavor::msg_type_number`](crate::Flavor::msg_type_number) translate using
//! the flavour's table.

/// A routing message type, named independently of its per-flavour number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MsgType {
    /// `RTM_ADD`: add a route.
    Add,
    /// `RTM_DELETE`: delete a route.
    Delete,
    /// `RTM_CHANGE`: change gateway, metrics or flags.
    Change,
    /// `RTM_GET`: report a route (also every entry of a route dump).
    Get,
    /// `RTM_LOSING`: the kernel suspects partitioning.
    Losing,
    /// `RTM_REDIRECT`: told to use a different route.
    Redirect,
    /// `RTM_MISS`: lookup failed.
    Miss,
    /// `RTM_LOCK`: lock metrics (not on OpenBSD).
    Lock,
    /// `RTM_OLDADD` (NetBSD, Darwin).
    OldAdd,
    /// `RTM_OLDDEL` (NetBSD, Darwin).
    OldDel,
    /// `RTM_RESOLVE`: route created by cloning (not on NetBSD).
    Resolve,
    /// `RTM_NEWADDR`: address added to an interface.
    NewAddr,
    /// `RTM_DELADDR`: address removed from an interface.
    DelAddr,
    /// `RTM_CHGADDR` (NetBSD): address changed.
    ChgAddr,
    /// `RTM_IFINFO`: interface status.
    IfInfo,
    /// `RTM_NEWMADDR` (FreeBSD, Darwin): multicast membership added.
    NewMaddr,
    /// `RTM_DELMADDR` (FreeBSD, Darwin): multicast membership removed.
    DelMaddr,
    /// `RTM_IFANNOUNCE` (not Darwin): interface arrival or departure.
    IfAnnounce,
    /// `RTM_IEEE80211` (FreeBSD, NetBSD): 802.11 event; not decoded.
    Ieee80211,
    /// `RTM_DESYNC` (OpenBSD): messages were lost, re-dump everything.
    Desync,
    /// `RTM_INVALIDATE` (OpenBSD).
    Invalidate,
    /// `RTM_BFD` (OpenBSD); not decoded.
    Bfd,
    /// `RTM_PROPOSAL` (OpenBSD): configuration proposal.
    Proposal,
    /// `RTM_CHGADDRATTR` (OpenBSD).
    ChgAddrAttr,
    /// `RTM_80211INFO` (OpenBSD); not decoded.
    Ieee80211Info,
    /// `RTM_SOURCE` (OpenBSD): source address selection changed.
    Source,
    /// `RTM_SETGATE` (NetBSD).
    SetGate,
    /// `RTM_LLINFO_UPD` (NetBSD).
    LlinfoUpd,
    /// `RTM_ONEWADDR` (NetBSD compat_70, 24-byte `ifa_msghdr70`).
    OldNewAddr,
    /// `RTM_ODELADDR` (NetBSD compat_70, 24-byte `ifa_msghdr70`).
    OldDelAddr,
    /// `RTM_OCHGADDR` (NetBSD compat); not decoded.
    OldChgAddr,
    /// `RTM_OOIFINFO` (NetBSD compat, pre-1.5); not decoded.
    OldOldIfInfo,
    /// `RTM_OIFINFO` (NetBSD compat); not decoded.
    OldIfInfo,
    /// `RTM_GET_SILENT` (Darwin, private).
    GetSilent,
    /// `RTM_IFINFO2` (Darwin, `NET_RT_IFLIST2`): `if_msghdr2` with 64-bit counters.
    IfInfo2,
    /// `RTM_NEWMADDR2` (Darwin, `NET_RT_IFLIST2`).
    NewMaddr2,
    /// `RTM_GET2` (Darwin, `NET_RT_DUMP2`): `rt_msghdr2`.
    Get2,
    /// `RTM_GET_EXT` (Darwin, private); not decoded.
    GetExt,
}

/// Which header a message type uses; decides the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Route,
    Route2,
    IfInfo,
    IfInfo2,
    Addr,
    AddrOld,
    Maddr,
    Maddr2,
    Announce,
    Desync,
    /// Known type whose body this crate does not decode.
    Opaque,
}

impl MsgType {
    /// The header shape used by this type. Which exact layout is then taken
    /// from the flavour's table.
    pub(crate) const fn shape(self) -> Shape {
        use MsgType::*;
        match self {
            Add | Delete | Change | Get | Losing | Redirect | Miss | Lock | OldAdd | OldDel
            | Resolve | GetSilent | Invalidate | Proposal | ChgAddrAttr | Source | SetGate
            | LlinfoUpd => Shape::Route,
            Get2 => Shape::Route2,
            IfInfo => Shape::IfInfo,
            IfInfo2 => Shape::IfInfo2,
            NewAddr | DelAddr | ChgAddr => Shape::Addr,
            OldNewAddr | OldDelAddr => Shape::AddrOld,
            NewMaddr | DelMaddr => Shape::Maddr,
            NewMaddr2 => Shape::Maddr2,
            IfAnnounce => Shape::Announce,
            Desync => Shape::Desync,
            Ieee80211 | Bfd | Ieee80211Info | OldChgAddr | OldOldIfInfo | OldIfInfo | GetExt => {
                Shape::Opaque
            }
        }
    }
}
