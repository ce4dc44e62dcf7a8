//! Shapes of the per-flavour header tables.
//!
//! Each flavour module (`flavor/*.rs`) fills one [`Spec`] with the offsets of
//! its structs; the parsers in `message.rs` only ever read through these
//! tables, so every offset lives in exactly one place. Offsets of embedded
//! structs (`rt_metrics`, `if_data`) are relative to the embedded struct and
//! moved by the header's `*_off` when read.

use crate::field::Field;
use crate::flags::LinkState;
use crate::flags::RtFlag;
use crate::msgtype::MsgType;
use crate::sockaddr::Rtax;

/// `rt_msghdr` (and Darwin's `rt_msghdr2`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RtLayout {
    pub(crate) size: usize,
    pub(crate) index: Field,
    pub(crate) flags: Field,
    pub(crate) addrs: Field,
    pub(crate) pid: Option<Field>,
    pub(crate) seq: Option<Field>,
    pub(crate) errno: Option<Field>,
    pub(crate) fmask: Option<Field>,
    pub(crate) use_count: Option<Field>,
    pub(crate) inits: Field,
    pub(crate) tableid: Option<Field>,
    pub(crate) priority: Option<Field>,
    pub(crate) mpls: Option<Field>,
    pub(crate) refcnt: Option<Field>,
    pub(crate) parent_flags: Option<Field>,
    pub(crate) metrics_off: usize,
    pub(crate) metrics: MetricsLayout,
}

/// `rt_metrics`, relative to `RtLayout::metrics_off`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MetricsLayout {
    pub(crate) locks: Field,
    pub(crate) mtu: Field,
    pub(crate) hopcount: Field,
    pub(crate) expire: Field,
    pub(crate) recvpipe: Field,
    pub(crate) sendpipe: Field,
    pub(crate) ssthresh: Field,
    pub(crate) rtt: Field,
    pub(crate) rttvar: Field,
    pub(crate) pksent: Field,
    pub(crate) weight: Option<Field>,
    pub(crate) nhidx: Option<Field>,
    pub(crate) refcnt: Option<Field>,
}

/// `if_msghdr` (and Darwin's `if_msghdr2`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct IfLayout {
    pub(crate) size: usize,
    pub(crate) addrs: Field,
    pub(crate) flags: Field,
    pub(crate) index: Field,
    pub(crate) tableid: Option<Field>,
    pub(crate) xflags: Option<Field>,
    pub(crate) snd_len: Option<Field>,
    pub(crate) snd_maxlen: Option<Field>,
    pub(crate) snd_drops: Option<Field>,
    pub(crate) timer: Option<Field>,
    pub(crate) data_off: usize,
    pub(crate) data: IfDataLayout,
}

/// `if_data` / `if_data64`, relative to `IfLayout::data_off`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IfDataLayout {
    pub(crate) if_type: Field,
    pub(crate) physical: Option<Field>,
    pub(crate) addrlen: Field,
    pub(crate) hdrlen: Field,
    pub(crate) link_state: Option<Field>,
    pub(crate) mtu: Field,
    pub(crate) metric: Field,
    pub(crate) rdomain: Option<Field>,
    pub(crate) baudrate: Field,
    pub(crate) ipackets: Field,
    pub(crate) ierrors: Field,
    pub(crate) opackets: Field,
    pub(crate) oerrors: Field,
    pub(crate) collisions: Field,
    pub(crate) ibytes: Field,
    pub(crate) obytes: Field,
    pub(crate) imcasts: Field,
    pub(crate) omcasts: Field,
    pub(crate) iqdrops: Field,
    pub(crate) oqdrops: Option<Field>,
    pub(crate) noproto: Field,
}

/// `ifa_msghdr`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IfaLayout {
    pub(crate) size: usize,
    pub(crate) addrs: Field,
    pub(crate) flags: Field,
    pub(crate) index: Field,
    pub(crate) metric: Field,
    pub(crate) tableid: Option<Field>,
    pub(crate) pid: Option<Field>,
    pub(crate) addrflags: Option<Field>,
}

/// `ifma_msghdr` / `ifma_msghdr2`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IfmaLayout {
    pub(crate) size: usize,
    pub(crate) addrs: Field,
    pub(crate) flags: Field,
    pub(crate) index: Field,
    pub(crate) refcount: Option<Field>,
}

/// `if_announcemsghdr`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnnounceLayout {
    pub(crate) size: usize,
    pub(crate) index: Field,
    pub(crate) what: Field,
    pub(crate) name_off: usize,
}

/// Length of `ifan_name` (`IFNAMSIZ`), the same on every flavour.
pub(crate) const IFNAMSIZ: usize = 16;

/// Everything one flavour needs: the single source of truth per OS.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    /// `RTM_VERSION`.
    pub(crate) version: u8,
    /// Sockaddr rounding unit (`sizeof(long)` / 8 / 4, see `sockaddr.rs`).
    pub(crate) sa_unit: usize,
    pub(crate) af_inet6: u8,
    pub(crate) af_link: u8,
    pub(crate) af_route: u8,
    /// OpenBSD: `*_hdrlen` at offset 4 says where the sockaddrs start.
    pub(crate) hdrlen: Option<crate::field::Field>,
    /// The RTAX slots this flavour defines, in bit order.
    pub(crate) rtax: &'static [Rtax],
    /// `RTM_*` numbers.
    pub(crate) msg_types: &'static [(u8, MsgType)],
    pub(crate) rt: RtLayout,
    pub(crate) rt2: Option<RtLayout>,
    pub(crate) ifm: IfLayout,
    pub(crate) ifm2: Option<IfLayout>,
    pub(crate) ifam: IfaLayout,
    pub(crate) ifam_old: Option<IfaLayout>,
    pub(crate) ifmam: Option<IfmaLayout>,
    pub(crate) ifmam2: Option<IfmaLayout>,
    pub(crate) ifan: Option<AnnounceLayout>,
    /// `RTF_*` bit to name; one bit may carry two names (aliases).
    pub(crate) rtf: &'static [(u32, RtFlag)],
    /// BSD `IFF_*` bit to Linux `IFF_*` bit; bits not listed are dropped.
    pub(crate) iff: &'static [(u32, u32)],
    /// `ifi_link_state` value to state; values not listed use
    /// `link_state_rest`.
    pub(crate) link_states: &'static [(u32, LinkState)],
    pub(crate) link_state_rest: LinkState,
    /// OS-private `IFT_*` values (outside the IANA range) to Linux `ARPHRD_*`.
    pub(crate) ift_private: &'static [(u8, u16)],
    /// `sizeof(struct sockaddr_dl)` in the C headers. Only reported (see
    /// [`HeaderSizes`](crate::HeaderSizes)): parsing goes by `sdl_len`.
    pub(crate) sdl_size: usize,
}
