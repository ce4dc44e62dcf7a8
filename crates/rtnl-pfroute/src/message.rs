//! Parsed, owned representations of routing messages, and the parser that
//! builds them from one message's bytes.

use crate::error::{Error, Result};
use crate::field::{opt, Field};
use crate::flags::{self, RtFlag, RtFlags};
use crate::layout::{AnnounceLayout, IfLayout, IfaLayout, IfmaLayout, RtLayout, Spec, IFNAMSIZ};
use crate::msgtype::{MsgType, Shape};
use crate::sockaddr::{parse_addrs, Addrs, LinkAddr, PrefixLen, SockAddr};
use crate::Flavor;

/// Size of the header every message starts with (`msglen`, `version`, `type`).
pub const COMMON_HEADER_LEN: usize = 4;

/// `IFAN_ARRIVAL` / `IFAN_DEPARTURE`: 0 and 1 on every flavour that has
/// `RTM_IFANNOUNCE`.
const IFAN_ARRIVAL: u16 = 0;
const IFAN_DEPARTURE: u16 = 1;

/// One parsed routing message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A route message (`rt_msghdr`: `RTM_ADD`, `RTM_DELETE`, `RTM_CHANGE`,
    /// `RTM_GET`, `RTM_MISS`, ..., and Darwin's `rt_msghdr2` `RTM_GET2`).
    /// ARP/NDP entries arrive as these too, with [`RtFlag::LlInfo`].
    Route(RouteMessage),
    /// Interface status (`RTM_IFINFO`, Darwin `RTM_IFINFO2`).
    Interface(InterfaceInfo),
    /// Interface address added, removed or changed (`RTM_NEWADDR`,
    /// `RTM_DELADDR`, NetBSD `RTM_CHGADDR` and the compat `RTM_ONEWADDR` /
    /// `RTM_ODELADDR`).
    Address(AddressMessage),
    /// Multicast membership (`RTM_NEWMADDR`, `RTM_DELMADDR`, Darwin
    /// `RTM_NEWMADDR2`).
    Multicast(MulticastMessage),
    /// Interface arrival or departure (`RTM_IFANNOUNCE`).
    Announce(AnnounceMessage),
    /// OpenBSD `RTM_DESYNC`: the socket overflowed and messages were lost;
    /// the consumer must re-dump everything.
    Desync,
    /// A type this crate does not decode (unknown to the flavour, or known
    /// but opaque such as `RTM_IEEE80211`): the whole message as it was.
    Other {
        /// The raw `*_type` byte.
        msg_type: u8,
        /// The `msglen` bytes of the message, header included.
        raw: Vec<u8>,
    },
}

impl Message {
    /// The message's sockaddrs, for the variants that carry them.
    pub fn addrs(&self) -> Option<&Addrs> {
        match self {
            Message::Route(m) => Some(&m.addrs),
            Message::Interface(m) => Some(&m.addrs),
            Message::Address(m) => Some(&m.addrs),
            Message::Multicast(m) => Some(&m.addrs),
            Message::Announce(_) | Message::Desync | Message::Other { .. } => None,
        }
    }
}

/// `rt_metrics`, widened to 64 bits. Fields a flavour lacks are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RouteMetrics {
    /// `rmx_locks`: metrics the kernel must not change.
    pub locks: u64,
    /// `rmx_mtu`.
    pub mtu: u64,
    /// `rmx_hopcount`.
    pub hopcount: u64,
    /// `rmx_expire`: expiry time (0 = never).
    pub expire: i64,
    /// `rmx_recvpipe`.
    pub recvpipe: u64,
    /// `rmx_sendpipe`.
    pub sendpipe: u64,
    /// `rmx_ssthresh`.
    pub ssthresh: u64,
    /// `rmx_rtt`.
    pub rtt: u64,
    /// `rmx_rttvar`.
    pub rttvar: u64,
    /// `rmx_pksent` (OpenBSD's `rtm_use`).
    pub pksent: u64,
    /// FreeBSD `rmx_weight` (also `rmx_state`: ND state in NDP dumps).
    pub weight: Option<u64>,
    /// FreeBSD `rmx_nhidx`.
    pub nhidx: Option<u64>,
    /// OpenBSD `rmx_refcnt`.
    pub refcnt: Option<u64>,
}

/// A route message (`rt_msghdr` / Darwin `rt_msghdr2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMessage {
    /// Which message.
    pub msg_type: MsgType,
    /// `rtm_flags` (`RTF_*`), with names per flavour.
    pub flags: RtFlags,
    /// `rtm_index`: interface index.
    pub index: u16,
    /// `rtm_pid`: sender (`None` in Darwin `rt_msghdr2`).
    pub pid: Option<i32>,
    /// `rtm_seq` (`None` in Darwin `rt_msghdr2`).
    pub seq: Option<i32>,
    /// `rtm_errno` (`None` in Darwin `rt_msghdr2`).
    pub errno: Option<i32>,
    /// Routing table: OpenBSD `rtm_tableid`. `None` elsewhere (the FreeBSD
    /// fib is not in the header).
    pub table: Option<u32>,
    /// OpenBSD `rtm_priority`.
    pub priority: Option<u8>,
    /// OpenBSD `rtm_mpls`.
    pub mpls: Option<u8>,
    /// `rtm_fmask` (FreeBSD, OpenBSD).
    pub fmask: Option<u32>,
    /// `rtm_inits`: which metrics are being initialised.
    pub inits: u64,
    /// `rtm_use` (NetBSD, Darwin).
    pub use_count: Option<u64>,
    /// Darwin `rt_msghdr2` `rtm_refcnt`.
    pub refcnt: Option<u32>,
    /// Darwin `rt_msghdr2` `rtm_parentflags`.
    pub parent_flags: Option<u32>,
    /// `rtm_rmx`.
    pub metrics: RouteMetrics,
    /// The sockaddrs (`rtm_addrs`).
    pub addrs: Addrs,
}

impl RouteMessage {
    /// The destination prefix length.
    ///
    /// From `RTA_NETMASK` when present (a zero-length mask is /0). Without a
    /// netmask the route is a host route (the BSDs drop the mask for
    /// `RTF_HOST`), so the length is 32 or 128 by the destination's family.
    /// `None` when neither says (for example a non-IP destination).
    pub fn prefix_len(&self) -> Option<PrefixLen> {
        match self.addrs.netmask() {
            Some(mask) => mask.prefix_len(),
            None => self.addrs.dst().and_then(full_prefix),
        }
    }

    /// Whether this is an ARP/NDP entry (`RTF_LLINFO` / `RTF_LLDATA`), i.e.
    /// a neighbour rather than a route.
    pub fn is_neighbor(&self) -> bool {
        self.flags.contains(RtFlag::LlInfo)
    }
}

fn full_prefix(sa: &SockAddr) -> Option<PrefixLen> {
    let len = match sa {
        SockAddr::Inet { .. } => 32,
        SockAddr::Inet6 { .. } => 128,
        _ => return None,
    };
    Some(PrefixLen {
        len,
        contiguous: true,
    })
}

/// Interface counters from `if_data` / `if_data64`, widened to 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IfStats {
    /// Packets received.
    pub ipackets: u64,
    /// Input errors.
    pub ierrors: u64,
    /// Packets sent.
    pub opackets: u64,
    /// Output errors.
    pub oerrors: u64,
    /// Collisions.
    pub collisions: u64,
    /// Bytes received.
    pub ibytes: u64,
    /// Bytes sent.
    pub obytes: u64,
    /// Multicast packets received.
    pub imcasts: u64,
    /// Multicast packets sent.
    pub omcasts: u64,
    /// Input drops.
    pub iqdrops: u64,
    /// Output drops (FreeBSD, OpenBSD).
    pub oqdrops: Option<u64>,
    /// Packets for unknown protocols.
    pub noproto: u64,
}

/// Darwin `if_msghdr2` send-queue fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SendQueue {
    /// `ifm_snd_len`.
    pub len: u32,
    /// `ifm_snd_maxlen`.
    pub maxlen: u32,
    /// `ifm_snd_drops`.
    pub drops: u32,
    /// `ifm_timer`.
    pub timer: u32,
}

/// Interface status (`RTM_IFINFO`, Darwin `RTM_IFINFO2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceInfo {
    /// Which message (`IfInfo` or `IfInfo2`).
    pub msg_type: MsgType,
    /// The flavour, which gives `flags` and `link_state` their meaning.
    pub flavor: Flavor,
    /// `ifm_index`.
    pub index: u16,
    /// `ifm_flags`: the flavour's raw `IFF_*` (see [`Self::linux_flags`]).
    pub flags: u32,
    /// `ifi_link_state` raw (`None` on Darwin, which has none).
    pub link_state: Option<u32>,
    /// `ifi_type` (`IFT_*`).
    pub if_type: u8,
    /// `ifi_physical` (FreeBSD, Darwin).
    pub physical: Option<u8>,
    /// `ifi_addrlen`: link-layer address length.
    pub addr_len: u8,
    /// `ifi_hdrlen`: link-layer header length.
    pub hdr_len: u8,
    /// `ifi_mtu`.
    pub mtu: u64,
    /// `ifi_metric`.
    pub metric: u64,
    /// `ifi_baudrate`.
    pub baudrate: u64,
    /// Counters.
    pub stats: IfStats,
    /// OpenBSD `ifm_tableid`.
    pub table: Option<u16>,
    /// OpenBSD `ifm_xflags`.
    pub xflags: Option<u32>,
    /// OpenBSD `ifi_rdomain`.
    pub rdomain: Option<u32>,
    /// Darwin `if_msghdr2` send queue.
    pub send_queue: Option<SendQueue>,
    /// The sockaddrs (usually just `RTA_IFP`, the interface's `sockaddr_dl`).
    pub addrs: Addrs,
}

impl InterfaceInfo {
    /// The `RTA_IFP` link address, which carries the name and MAC.
    pub fn link(&self) -> Option<&LinkAddr> {
        self.addrs.ifp().and_then(SockAddr::link)
    }

    /// Interface name from `RTA_IFP`.
    pub fn name(&self) -> Option<&str> {
        self.link().map(|l| l.name.as_str())
    }

    /// Linux `ifi_flags` (see [`flags::linux_link_flags`]).
    pub fn linux_flags(&self) -> u32 {
        flags::linux_link_flags(self.flavor, self.flags, self.link_state)
    }

    /// Linux `IF_OPER_*` (see [`flags::operstate`]).
    pub fn operstate(&self) -> u8 {
        flags::operstate(self.flavor, self.flags, self.link_state)
    }

    /// Linux `ARPHRD_*` for `if_type` (see [`flags::ift_to_arphrd`]).
    pub fn arphrd(&self) -> u16 {
        flags::ift_to_arphrd(self.flavor, self.if_type)
    }
}

/// Interface address message (`ifa_msghdr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressMessage {
    /// Which message (`NewAddr`, `DelAddr`, `ChgAddr`, `OldNewAddr`, ...).
    pub msg_type: MsgType,
    /// `ifam_index`.
    pub index: u16,
    /// `ifam_flags` (route flags of the address entry, raw).
    pub flags: u32,
    /// `ifam_metric`.
    pub metric: i32,
    /// OpenBSD `ifam_tableid`.
    pub table: Option<u16>,
    /// NetBSD `ifam_pid`.
    pub pid: Option<i32>,
    /// NetBSD `ifam_addrflags` (`IN6_IFF_*`-style).
    pub addr_flags: Option<u32>,
    /// The sockaddrs: `RTA_IFA` address, `RTA_NETMASK`, `RTA_BRD`, `RTA_IFP`.
    pub addrs: Addrs,
}

impl AddressMessage {
    /// The address (`RTA_IFA`).
    pub fn address(&self) -> Option<&SockAddr> {
        self.addrs.ifa()
    }

    /// Prefix length from `RTA_NETMASK`, else the full length of the address.
    pub fn prefix_len(&self) -> Option<PrefixLen> {
        match self.addrs.netmask() {
            Some(mask) => mask.prefix_len(),
            None => self.addrs.ifa().and_then(full_prefix),
        }
    }
}

/// Multicast membership message (`ifma_msghdr`, Darwin `ifma_msghdr2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MulticastMessage {
    /// Which message (`NewMaddr`, `DelMaddr`, `NewMaddr2`).
    pub msg_type: MsgType,
    /// `ifmam_index`.
    pub index: u16,
    /// `ifmam_flags`.
    pub flags: u32,
    /// Darwin `ifmam_refcount` (`RTM_NEWMADDR2`).
    pub refcount: Option<u32>,
    /// The sockaddrs: `RTA_IFA` group, `RTA_GATEWAY` link-layer group, `RTA_IFP`.
    pub addrs: Addrs,
}

/// `ifan_what`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnnounceWhat {
    /// `IFAN_ARRIVAL`.
    Arrival,
    /// `IFAN_DEPARTURE`.
    Departure,
    /// Any other value.
    Other(u16),
}

/// Interface arrival/departure (`if_announcemsghdr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnounceMessage {
    /// `ifan_index`.
    pub index: u16,
    /// `ifan_name`, up to the first NUL.
    pub name: String,
    /// `ifan_what`.
    pub what: AnnounceWhat,
}

/// Parses one message of `flavor` from the start of `bytes`.
///
/// `bytes` may be longer than the message (only `msglen` bytes are used) but
/// not shorter. The version must match; error offsets count from the start
/// of `bytes`.
pub fn parse_message(flavor: Flavor, bytes: &[u8]) -> Result<Message> {
    let (msglen, version, _) = common_header(bytes, 0)?;
    if version != flavor.rtm_version() {
        return Err(Error::BadVersion {
            offset: 0,
            version,
            expected: flavor.rtm_version(),
        });
    }
    let msg = bytes.get(..msglen).unwrap_or_default();
    parse_body(flavor, msg, 0)
}

/// Reads and checks the common header at the start of `bytes`: returns
/// (`msglen`, version, type). `base` is the offset of `bytes` in the caller's
/// buffer.
pub(crate) fn common_header(bytes: &[u8], base: usize) -> Result<(usize, u8, u8)> {
    let (Some(len), Some(&version), Some(&ty)) = (bytes.get(..2), bytes.get(2), bytes.get(3))
    else {
        return Err(Error::TruncatedHeader {
            offset: base,
            needed: COMMON_HEADER_LEN,
            available: bytes.len(),
        });
    };
    let msglen = usize::from(u16::from_le_bytes([len[0], len[1]]));
    if msglen < COMMON_HEADER_LEN {
        return Err(Error::MsgLenTooSmall {
            offset: base,
            msglen,
            min: COMMON_HEADER_LEN,
        });
    }
    if msglen > bytes.len() {
        return Err(Error::MsgLenPastBuffer {
            offset: base,
            msglen,
            available: bytes.len(),
        });
    }
    Ok((msglen, version, ty))
}

/// Parses a message whose framing (`msglen == msg.len()`, version) has been
/// checked. `base` is its offset in the caller's buffer.
pub(crate) fn parse_body(flavor: Flavor, msg: &[u8], base: usize) -> Result<Message> {
    let spec = flavor.spec();
    let raw_type = msg.get(3).copied().unwrap_or(0);
    let other = || Message::Other {
        msg_type: raw_type,
        raw: msg.to_vec(),
    };
    let Some(ty) = flavor.msg_type(raw_type) else {
        return Ok(other());
    };
    let cx = Cx {
        flavor,
        spec,
        msg,
        base,
    };
    // A shape whose layout the flavour lacks cannot occur with the tables as
    // written, but falls back to Other rather than failing.
    Ok(match ty.shape() {
        Shape::Route => Message::Route(cx.route(ty, &spec.rt)?),
        Shape::Route2 => match &spec.rt2 {
            Some(l) => Message::Route(cx.route(ty, l)?),
            None => other(),
        },
        Shape::IfInfo => Message::Interface(cx.interface(ty, &spec.ifm)?),
        Shape::IfInfo2 => match &spec.ifm2 {
            Some(l) => Message::Interface(cx.interface(ty, l)?),
            None => other(),
        },
        Shape::Addr => Message::Address(cx.address(ty, &spec.ifam)?),
        Shape::AddrOld => match &spec.ifam_old {
            Some(l) => Message::Address(cx.address(ty, l)?),
            None => other(),
        },
        Shape::Maddr => match &spec.ifmam {
            Some(l) => Message::Multicast(cx.multicast(ty, l)?),
            None => other(),
        },
        Shape::Maddr2 => match &spec.ifmam2 {
            Some(l) => Message::Multicast(cx.multicast(ty, l)?),
            None => other(),
        },
        Shape::Announce => match &spec.ifan {
            Some(l) => Message::Announce(cx.announce(l)?),
            None => other(),
        },
        // No body to check: any DESYNC means "resync", whatever else it holds.
        Shape::Desync => Message::Desync,
        Shape::Opaque => other(),
    })
}

/// What every header parser needs.
struct Cx<'a> {
    flavor: Flavor,
    spec: &'static Spec,
    msg: &'a [u8],
    base: usize,
}

impl Cx<'_> {
    /// Checks that the fixed header fits and returns where the sockaddrs
    /// start: the header size, or OpenBSD's `hdrlen`.
    fn body_start(&self, size: usize) -> Result<usize> {
        let msglen = self.msg.len();
        if msglen < size {
            return Err(Error::MsgLenTooSmall {
                offset: self.base,
                msglen,
                min: size,
            });
        }
        let Some(field) = self.spec.hdrlen else {
            return Ok(size);
        };
        let hdrlen = usize::from(field.read_u16(self.msg));
        if hdrlen < size || hdrlen > msglen {
            return Err(Error::BadHdrLen {
                offset: self.base,
                hdrlen,
                min: size,
                msglen,
            });
        }
        Ok(hdrlen)
    }

    fn read(&self, f: Field) -> u64 {
        f.read(self.msg)
    }

    fn addrs(&self, start: usize, bitmask: u32) -> Result<Addrs> {
        parse_addrs(self.flavor, self.msg, start, bitmask, self.base)
    }

    fn route(&self, msg_type: MsgType, l: &RtLayout) -> Result<RouteMessage> {
        let start = self.body_start(l.size)?;
        let m = &l.metrics;
        let at = |f: Field| f.at(l.metrics_off);
        let msg = self.msg;
        let bitmask = l.addrs.read_u32(msg);
        Ok(RouteMessage {
            msg_type,
            flags: RtFlags::new(self.flavor, l.flags.read_u32(msg)),
            index: l.index.read_u16(msg),
            pid: l.pid.map(|f| f.read_i32(msg)),
            seq: l.seq.map(|f| f.read_i32(msg)),
            errno: l.errno.map(|f| f.read_i32(msg)),
            table: opt(l.tableid, msg).map(|v| v as u32),
            priority: opt(l.priority, msg).map(|v| v as u8),
            mpls: opt(l.mpls, msg).map(|v| v as u8),
            fmask: opt(l.fmask, msg).map(|v| v as u32),
            inits: self.read(l.inits),
            use_count: opt(l.use_count, msg),
            refcnt: opt(l.refcnt, msg).map(|v| v as u32),
            parent_flags: opt(l.parent_flags, msg).map(|v| v as u32),
            metrics: RouteMetrics {
                locks: self.read(at(m.locks)),
                mtu: self.read(at(m.mtu)),
                hopcount: self.read(at(m.hopcount)),
                expire: at(m.expire).read_signed(msg),
                recvpipe: self.read(at(m.recvpipe)),
                sendpipe: self.read(at(m.sendpipe)),
                ssthresh: self.read(at(m.ssthresh)),
                rtt: self.read(at(m.rtt)),
                rttvar: self.read(at(m.rttvar)),
                pksent: self.read(at(m.pksent)),
                weight: m.weight.map(|f| self.read(at(f))),
                nhidx: m.nhidx.map(|f| self.read(at(f))),
                refcnt: m.refcnt.map(|f| self.read(at(f))),
            },
            addrs: self.addrs(start, bitmask)?,
        })
    }

    fn interface(&self, msg_type: MsgType, l: &IfLayout) -> Result<InterfaceInfo> {
        let start = self.body_start(l.size)?;
        let d = &l.data;
        let at = |f: Field| f.at(l.data_off);
        let msg = self.msg;
        let rd = |f: Field| self.read(at(f));
        let send_queue = match (l.snd_len, l.snd_maxlen, l.snd_drops, l.timer) {
            (Some(len), Some(maxlen), Some(drops), Some(timer)) => Some(SendQueue {
                len: len.read_u32(msg),
                maxlen: maxlen.read_u32(msg),
                drops: drops.read_u32(msg),
                timer: timer.read_u32(msg),
            }),
            _ => None,
        };
        Ok(InterfaceInfo {
            msg_type,
            flavor: self.flavor,
            index: l.index.read_u16(msg),
            flags: l.flags.read_u32(msg),
            link_state: d.link_state.map(|f| rd(f) as u32),
            if_type: at(d.if_type).read_u8(msg),
            physical: d.physical.map(|f| at(f).read_u8(msg)),
            addr_len: at(d.addrlen).read_u8(msg),
            hdr_len: at(d.hdrlen).read_u8(msg),
            mtu: rd(d.mtu),
            metric: rd(d.metric),
            baudrate: rd(d.baudrate),
            stats: IfStats {
                ipackets: rd(d.ipackets),
                ierrors: rd(d.ierrors),
                opackets: rd(d.opackets),
                oerrors: rd(d.oerrors),
                collisions: rd(d.collisions),
                ibytes: rd(d.ibytes),
                obytes: rd(d.obytes),
                imcasts: rd(d.imcasts),
                omcasts: rd(d.omcasts),
                iqdrops: rd(d.iqdrops),
                oqdrops: d.oqdrops.map(rd),
                noproto: rd(d.noproto),
            },
            table: l.tableid.map(|f| f.read_u16(msg)),
            xflags: l.xflags.map(|f| f.read_u32(msg)),
            rdomain: d.rdomain.map(|f| rd(f) as u32),
            send_queue,
            addrs: self.addrs(start, l.addrs.read_u32(msg))?,
        })
    }

    fn address(&self, msg_type: MsgType, l: &IfaLayout) -> Result<AddressMessage> {
        let start = self.body_start(l.size)?;
        let msg = self.msg;
        Ok(AddressMessage {
            msg_type,
            index: l.index.read_u16(msg),
            flags: l.flags.read_u32(msg),
            metric: l.metric.read_i32(msg),
            table: l.tableid.map(|f| f.read_u16(msg)),
            pid: l.pid.map(|f| f.read_i32(msg)),
            addr_flags: l.addrflags.map(|f| f.read_u32(msg)),
            addrs: self.addrs(start, l.addrs.read_u32(msg))?,
        })
    }

    fn multicast(&self, msg_type: MsgType, l: &IfmaLayout) -> Result<MulticastMessage> {
        let start = self.body_start(l.size)?;
        let msg = self.msg;
        Ok(MulticastMessage {
            msg_type,
            index: l.index.read_u16(msg),
            flags: l.flags.read_u32(msg),
            refcount: l.refcount.map(|f| f.read_u32(msg)),
            addrs: self.addrs(start, l.addrs.read_u32(msg))?,
        })
    }

    fn announce(&self, l: &AnnounceLayout) -> Result<AnnounceMessage> {
        // No sockaddrs follow; only the header must fit (and hdrlen be sane).
        self.body_start(l.size)?;
        let msg = self.msg;
        let name = msg
            .get(l.name_off..l.name_off + IFNAMSIZ)
            .unwrap_or_default();
        let name = name.split(|&b| b == 0).next().unwrap_or_default();
        let what = match l.what.read_u16(msg) {
            IFAN_ARRIVAL => AnnounceWhat::Arrival,
            IFAN_DEPARTURE => AnnounceWhat::Departure,
            n => AnnounceWhat::Other(n),
        };
        Ok(AnnounceMessage {
            index: l.index.read_u16(msg),
            name: String::from_utf8_lossy(name).into_owned(),
            what,
        })
    }
}
