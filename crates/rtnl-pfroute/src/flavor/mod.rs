//! Which OS's routing-socket dialect a buffer is in.
//!
//! The flavour is a run-time value so that every dialect can be parsed (and
//! tested) on any host. Each flavour's facts live in one table in its own
//! module (`freebsd.rs`, `openbsd.rs`, `netbsd.rs`, `darwin.rs`); nothing
//! else in the crate matches on the flavour.

mod darwin;
mod freebsd;
mod netbsd;
mod openbsd;

use crate::layout::{IfmaLayout, Spec};
use crate::msgtype::MsgType;
use crate::sockaddr::Rtax;

/// `sizeof` of the C structs a flavour's messages are made of (LP64), as
/// the flavour's tables describe them. `None`: the OS has no such struct.
/// The parsers never rely on these for a received message (they read
/// `msglen`, OpenBSD's `hdrlen` and `sa_len`); they are published so that a
/// host build can check the tables against its C headers (the `rtnl`
/// crate's BSD backend asserts them against the `libc` crate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderSizes {
    /// `struct rt_msghdr`.
    pub rt_msghdr: usize,
    /// `struct rt_metrics` (inside `rt_msghdr`).
    pub rt_metrics: usize,
    /// Darwin `struct rt_msghdr2` (`NET_RT_DUMP2`).
    pub rt_msghdr2: Option<usize>,
    /// `struct if_msghdr`.
    pub if_msghdr: usize,
    /// `struct if_data` (inside `if_msghdr`).
    pub if_data: usize,
    /// Darwin `struct if_msghdr2` (`NET_RT_IFLIST2`).
    pub if_msghdr2: Option<usize>,
    /// Darwin `struct if_data64` (inside `if_msghdr2`).
    pub if_data64: Option<usize>,
    /// `struct ifa_msghdr` (NetBSD: the 8.0+ layout).
    pub ifa_msghdr: usize,
    /// `struct ifma_msghdr` (FreeBSD, Darwin).
    pub ifma_msghdr: Option<usize>,
    /// Darwin `struct ifma_msghdr2`.
    pub ifma_msghdr2: Option<usize>,
    /// `struct if_announcemsghdr` (not Darwin).
    pub if_announcemsghdr: Option<usize>,
    /// `struct sockaddr_dl` (its `sdl_data` array size differs per OS).
    pub sockaddr_dl: usize,
    /// `struct sockaddr_in` (16 everywhere).
    pub sockaddr_in: usize,
    /// `struct sockaddr_in6` (28 everywhere).
    pub sockaddr_in6: usize,
}

/// An OS dialect of PF_ROUTE messages (LP64 layouts; see the crate docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// FreeBSD 13/14 (amd64/arm64).
    FreeBsd,
    /// OpenBSD 7.x (amd64).
    OpenBsd,
    /// NetBSD 8 and later (10 checked); the layout is the same on 32 and
    /// 64 bit.
    NetBsd,
    /// macOS / Darwin (x86_64 and arm64 share one layout).
    Darwin,
}

impl Flavor {
    /// Every flavour, for tests and tools that try each.
    pub const ALL: [Flavor; 4] = [
        Flavor::FreeBsd,
        Flavor::OpenBsd,
        Flavor::NetBsd,
        Flavor::Darwin,
    ];

    /// The flavour's name as the command line spells it (`freebsd`,
    /// `openbsd`, `netbsd`, `darwin`).
    pub const fn name(self) -> &'static str {
        match self {
            Flavor::FreeBsd => "freebsd",
            Flavor::OpenBsd => "openbsd",
            Flavor::NetBsd => "netbsd",
            Flavor::Darwin => "darwin",
        }
    }

    /// The platform's name in messages (`freebsd` ... `macos`).
    pub const fn platform(self) -> &'static str {
        match self {
            Flavor::Darwin => "macos",
            f => f.name(),
        }
    }

    /// The flavour named `name` ([`Flavor::name`], or `macos` for Darwin),
    /// case-insensitive.
    pub fn from_name(name: &str) -> Option<Flavor> {
        if name.eq_ignore_ascii_case("macos") {
            return Some(Flavor::Darwin);
        }
        Flavor::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The flavour of the OS this crate was compiled for, or `None` when it is
    /// not a BSD or Darwin (Linux, Windows, ...). Only picks a default: the
    /// parsers never look at the compile target.
    pub const fn host() -> Option<Flavor> {
        if cfg!(target_os = "freebsd") {
            Some(Flavor::FreeBsd)
        } else if cfg!(target_os = "openbsd") {
            Some(Flavor::OpenBsd)
        } else if cfg!(target_os = "netbsd") {
            Some(Flavor::NetBsd)
        } else if cfg!(any(
            target_os = "macos",
            target_os = "ios",
            target_os = "tvos",
            target_os = "watchos",
            target_os = "visionos"
        )) {
            Some(Flavor::Darwin)
        } else {
            None
        }
    }

    /// The flavour's table.
    pub(crate) const fn spec(self) -> &'static Spec {
        match self {
            Flavor::FreeBsd => &freebsd::SPEC,
            Flavor::OpenBsd => &openbsd::SPEC,
            Flavor::NetBsd => &netbsd::SPEC,
            Flavor::Darwin => &darwin::SPEC,
        }
    }

    /// `RTM_VERSION` (5, except NetBSD 4). Messages with another version are
    /// skipped by [`Messages`](crate::Messages).
    pub const fn rtm_version(self) -> u8 {
        self.spec().version
    }

    /// Sockaddr rounding unit in bytes (8, except Darwin 4).
    pub const fn sa_align(self) -> usize {
        self.spec().sa_unit
    }

    /// `AF_INET6`: 28 FreeBSD, 24 OpenBSD/NetBSD, 30 Darwin.
    pub const fn af_inet6(self) -> u8 {
        self.spec().af_inet6
    }

    /// `AF_LINK` (18 everywhere checked, but kept per flavour).
    pub const fn af_link(self) -> u8 {
        self.spec().af_link
    }

    /// `AF_ROUTE` / `PF_ROUTE`: 17, except NetBSD 34 (for sysctl MIBs).
    pub const fn af_route(self) -> u8 {
        self.spec().af_route
    }

    /// The address slots this flavour defines, in bit order.
    pub const fn rtax_slots(self) -> &'static [Rtax] {
        self.spec().rtax
    }

    /// Names a raw `rtm_type`; `None` when the flavour has no such type.
    pub fn msg_type(self, raw: u8) -> Option<MsgType> {
        self.spec()
            .msg_types
            .iter()
            .find(|&&(n, _)| n == raw)
            .map(|&(_, t)| t)
    }

    /// The C sizes of this flavour's routing-message structs, from its
    /// tables (for compile-time checks against the `libc` crate's structs
    /// on the host; see [`HeaderSizes`]).
    pub const fn header_sizes(self) -> HeaderSizes {
        const fn size_of(l: &Option<IfmaLayout>) -> Option<usize> {
            match l {
                Some(l) => Some(l.size),
                None => None,
            }
        }
        let s = self.spec();
        HeaderSizes {
            rt_msghdr: s.rt.size,
            rt_metrics: s.rt.size - s.rt.metrics_off,
            rt_msghdr2: match &s.rt2 {
                Some(l) => Some(l.size),
                None => None,
            },
            if_msghdr: s.ifm.size,
            if_data: s.ifm.size - s.ifm.data_off,
            if_msghdr2: match &s.ifm2 {
                Some(l) => Some(l.size),
                None => None,
            },
            if_data64: match &s.ifm2 {
                Some(l) => Some(l.size - l.data_off),
                None => None,
            },
            ifa_msghdr: s.ifam.size,
            ifma_msghdr: size_of(&s.ifmam),
            ifma_msghdr2: size_of(&s.ifmam2),
            if_announcemsghdr: match &s.ifan {
                Some(l) => Some(l.size),
                None => None,
            },
            sockaddr_dl: s.sdl_size,
            sockaddr_in: crate::sockaddr::SOCKADDR_IN_LEN,
            sockaddr_in6: crate::sockaddr::SOCKADDR_IN6_LEN,
        }
    }

    /// The number of `ty` on this flavour; `None` when it has no such type.
    pub fn msg_type_number(self, ty: MsgType) -> Option<u8> {
        self.spec()
            .msg_types
            .iter()
            .find(|&&(_, t)| t == ty)
            .map(|&(n, _)| n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Field;
    use crate::layout::{IfLayout, RtLayout};

    fn fits(f: Field, size: usize, what: &str) {
        assert!(
            f.end() <= size,
            "{what}: field at {} overruns {size}",
            f.off
        );
    }

    fn check_rt(l: &RtLayout, flavor: Flavor) {
        let s = l.size;
        for f in [l.index, l.flags, l.addrs, l.inits].into_iter().chain(
            [
                l.pid,
                l.seq,
                l.errno,
                l.fmask,
                l.use_count,
                l.tableid,
                l.priority,
                l.mpls,
                l.refcnt,
                l.parent_flags,
            ]
            .into_iter()
            .flatten(),
        ) {
            fits(f, s, &format!("{flavor:?} rt"));
        }
        let m = l.metrics;
        for f in [
            m.locks, m.mtu, m.hopcount, m.expire, m.recvpipe, m.sendpipe, m.ssthresh, m.rtt,
            m.rttvar, m.pksent,
        ]
        .into_iter()
        .chain([m.weight, m.nhidx, m.refcnt].into_iter().flatten())
        {
            fits(f.at(l.metrics_off), s, &format!("{flavor:?} rt_metrics"));
        }
    }

    fn check_if(l: &IfLayout, flavor: Flavor) {
        let s = l.size;
        for f in [l.addrs, l.flags, l.index].into_iter().chain(
            [
                l.tableid,
                l.xflags,
                l.snd_len,
                l.snd_maxlen,
                l.snd_drops,
                l.timer,
            ]
            .into_iter()
            .flatten(),
        ) {
            fits(f, s, &format!("{flavor:?} if"));
        }
        let d = l.data;
        for f in [
            d.if_type,
            d.addrlen,
            d.hdrlen,
            d.mtu,
            d.metric,
            d.baudrate,
            d.ipackets,
            d.ierrors,
            d.opackets,
            d.oerrors,
            d.collisions,
            d.ibytes,
            d.obytes,
            d.imcasts,
            d.omcasts,
            d.iqdrops,
            d.noproto,
        ]
        .into_iter()
        .chain(
            [d.physical, d.link_state, d.rdomain, d.oqdrops]
                .into_iter()
                .flatten(),
        ) {
            fits(f.at(l.data_off), s, &format!("{flavor:?} if_data"));
        }
    }

    /// Every field of every table lies inside its header, so the
    /// "header length checked first" rule really covers every read.
    #[test]
    fn every_field_fits_its_header() {
        for flavor in Flavor::ALL {
            let s = flavor.spec();
            check_rt(&s.rt, flavor);
            if let Some(rt2) = &s.rt2 {
                check_rt(rt2, flavor);
            }
            check_if(&s.ifm, flavor);
            if let Some(ifm2) = &s.ifm2 {
                check_if(ifm2, flavor);
            }
            for a in [Some(s.ifam), s.ifam_old].into_iter().flatten() {
                for f in [a.addrs, a.flags, a.index, a.metric]
                    .into_iter()
                    .chain([a.tableid, a.pid, a.addrflags].into_iter().flatten())
                {
                    fits(f, a.size, &format!("{flavor:?} ifa"));
                }
            }
            for m in [s.ifmam, s.ifmam2].into_iter().flatten() {
                for f in [m.addrs, m.flags, m.index].into_iter().chain(m.refcount) {
                    fits(f, m.size, &format!("{flavor:?} ifma"));
                }
            }
            if let Some(a) = s.ifan {
                fits(a.index, a.size, "ifan index");
                fits(a.what, a.size, "ifan what");
                assert!(a.name_off + crate::layout::IFNAMSIZ <= a.size);
            }
            if let Some(h) = s.hdrlen {
                fits(h, 6, "hdrlen");
            }
        }
    }

    /// Type numbers are unique per flavour in both directions.
    #[test]
    fn msg_type_tables_are_bijective() {
        for flavor in Flavor::ALL {
            let t = flavor.spec().msg_types;
            for (i, (n, ty)) in t.iter().enumerate() {
                for (m, other) in &t[i + 1..] {
                    assert_ne!(n, m, "{flavor:?} number {n} twice");
                    assert_ne!(ty, other, "{flavor:?} {ty:?} twice");
                }
            }
        }
    }

    #[test]
    fn rtax_slots_are_in_bit_order() {
        for flavor in Flavor::ALL {
            let slots = flavor.rtax_slots();
            for w in slots.windows(2) {
                assert!(w[0].index() < w[1].index());
            }
        }
    }

    /// The published sizes are the reference's Appendix A.
    #[test]
    fn header_sizes_match_the_reference() {
        let f = Flavor::FreeBsd.header_sizes();
        assert_eq!(
            (
                f.rt_msghdr,
                f.rt_metrics,
                f.if_msghdr,
                f.if_data,
                f.ifa_msghdr
            ),
            (152, 112, 168, 152, 20)
        );
        assert_eq!((f.ifma_msghdr, f.if_announcemsghdr), (Some(16), Some(24)));
        assert_eq!((f.sockaddr_dl, f.sockaddr_in, f.sockaddr_in6), (54, 16, 28));
        let o = Flavor::OpenBsd.header_sizes();
        assert_eq!(
            (
                o.rt_msghdr,
                o.rt_metrics,
                o.if_msghdr,
                o.if_data,
                o.ifa_msghdr
            ),
            (96, 56, 168, 144, 24)
        );
        assert_eq!((o.ifma_msghdr, o.if_announcemsghdr), (None, Some(26)));
        assert_eq!(o.sockaddr_dl, 32);
        let n = Flavor::NetBsd.header_sizes();
        assert_eq!(
            (
                n.rt_msghdr,
                n.rt_metrics,
                n.if_msghdr,
                n.if_data,
                n.ifa_msghdr
            ),
            (120, 80, 152, 136, 32)
        );
        assert_eq!((n.ifma_msghdr, n.if_announcemsghdr), (None, Some(24)));
        assert_eq!(n.sockaddr_dl, 32);
        let d = Flavor::Darwin.header_sizes();
        assert_eq!(
            (
                d.rt_msghdr,
                d.rt_metrics,
                d.if_msghdr,
                d.if_data,
                d.ifa_msghdr
            ),
            (92, 56, 112, 96, 20)
        );
        assert_eq!(
            (d.rt_msghdr2, d.if_msghdr2, d.if_data64, d.ifma_msghdr2),
            (Some(92), Some(160), Some(128), Some(20))
        );
        assert_eq!((d.ifma_msghdr, d.if_announcemsghdr), (Some(16), None));
        assert_eq!(d.sockaddr_dl, 20);
    }

    #[test]
    fn host_is_none_on_linux() {
        if cfg!(target_os = "linux") {
            assert_eq!(Flavor::host(), None);
        }
    }
}
