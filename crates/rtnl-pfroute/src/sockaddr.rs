//! The sockaddrs that follow a routing-message header.
//!
//! After the header comes one sockaddr for each bit set in `*_addrs`, in
//! ascending bit (RTAX) order. Each occupies `sa_len` rounded up to the
//! flavour's unit (8 on FreeBSD/OpenBSD/NetBSD, 4 on Darwin); `sa_len == 0`
//! occupies exactly one unit. The rounding is on the *length*, never on the
//! absolute offset (FreeBSD's 20-byte `ifa_msghdr` puts the first sockaddr at
//! offset 20).
//!
//! Corner cases handled here, each because a real kernel produces it:
//!
//! - **Unpadded last sockaddr** (Darwin `rt_msg1`): the advance is clamped to
//!   the bytes left, so padding is never required.
//! - **Bitmask claims more than the message holds** (Darwin IPv6 `RTA_BRD`):
//!   decoding stops cleanly; the absent slots are reported by
//!   [`Addrs::missing`], not as an error, because the kernel does this
//!   routinely. A sockaddr whose `sa_len` runs past the message *is* an error
//!   ([`Error::SockaddrOverrun`]): that means the bytes are corrupt.
//! - **Truncated netmasks** (`sa_len` shorter than the struct): bytes past
//!   `sa_len` read as zero, for every sockaddr.
//! - **Mis-familied netmasks** (family 0, 0xff or anything but INET/INET6):
//!   the family of `RTA_DST` (else `RTA_IFA`) is used, as xnu's `rtm_scrub`
//!   does. The mask's port bytes are never read.
//! - **Zero-length sockaddrs**: a netmask becomes the all-zero mask of the
//!   hinted family (/0); any other slot becomes [`SockAddr::Unspec`]. The
//!   family byte of a zero-length sockaddr is ignored (it is outside `sa_len`).
//! - **KAME embedded scope** in `fe80::/10` and link/interface-local
//!   multicast: moved into `scope_id` and cleared from the address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::{Error, Result};
use crate::Flavor;

/// `AF_INET`, the same on every flavour (`AF_INET6` and friends are not; see
/// [`Flavor::af_inet6`]).
pub const AF_INET: u8 = 2;
/// `AF_UNSPEC`, the same on every flavour.
pub const AF_UNSPEC: u8 = 0;

/// `sizeof(struct sockaddr_in)`, the same on every flavour.
pub const SOCKADDR_IN_LEN: usize = 16;
/// `sizeof(struct sockaddr_in6)`, the same on every flavour; only a
/// sockaddr this long carries `sin6_scope_id`.
pub const SOCKADDR_IN6_LEN: usize = 28;

/// Size of the fixed part of `sockaddr_dl` (len, family, index, type, nlen,
/// alen, slen).
const SDL_FIXED: usize = 8;

/// An address slot (`RTAX_*`), i.e. one bit of `*_addrs`.
///
/// Bit 8 is `RTAX_TAG` on NetBSD and `RTAX_SRC` on OpenBSD; bits 9..=14 exist
/// only on OpenBSD. [`Flavor::rtax_slots`] lists each flavour's slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rtax {
    /// `RTAX_DST`: destination.
    Dst,
    /// `RTAX_GATEWAY`: gateway (or `sockaddr_dl` for interface routes).
    Gateway,
    /// `RTAX_NETMASK`: netmask.
    Netmask,
    /// `RTAX_GENMASK`: cloning mask.
    Genmask,
    /// `RTAX_IFP`: interface name (`sockaddr_dl`).
    Ifp,
    /// `RTAX_IFA`: interface address.
    Ifa,
    /// `RTAX_AUTHOR`: author of a redirect.
    Author,
    /// `RTAX_BRD`: broadcast or point-to-point destination address.
    Brd,
    /// `RTAX_TAG` (NetBSD, bit 8).
    Tag,
    /// `RTAX_SRC` (OpenBSD, bit 8).
    Src,
    /// `RTAX_SRCMASK` (OpenBSD).
    SrcMask,
    /// `RTAX_LABEL` (OpenBSD, `sockaddr_rtlabel`).
    Label,
    /// `RTAX_BFD` (OpenBSD).
    Bfd,
    /// `RTAX_DNS` (OpenBSD, `sockaddr_rtdns`).
    Dns,
    /// `RTAX_STATIC` (OpenBSD, `sockaddr_rtstatic`).
    Static,
    /// `RTAX_SEARCH` (OpenBSD, `sockaddr_rtsearch`).
    Search,
}

impl Rtax {
    /// The slot's index (`RTAX_*` value).
    pub const fn index(self) -> u8 {
        match self {
            Rtax::Dst => 0,
            Rtax::Gateway => 1,
            Rtax::Netmask => 2,
            Rtax::Genmask => 3,
            Rtax::Ifp => 4,
            Rtax::Ifa => 5,
            Rtax::Author => 6,
            Rtax::Brd => 7,
            Rtax::Tag | Rtax::Src => 8,
            Rtax::SrcMask => 9,
            Rtax::Label => 10,
            Rtax::Bfd => 11,
            Rtax::Dns => 12,
            Rtax::Static => 13,
            Rtax::Search => 14,
        }
    }

    /// The slot's `RTA_*` bit.
    pub const fn bit(self) -> u32 {
        1 << self.index()
    }

    /// Whether the slot holds a mask, whose family byte cannot be trusted.
    const fn is_mask(self) -> bool {
        matches!(self, Rtax::Netmask | Rtax::Genmask | Rtax::SrcMask)
    }

    /// Whether the slot holds an OpenBSD special sockaddr (`sockaddr_rtlabel`,
    /// `sockaddr_rtdns`, ...) that is not a real address even when its family
    /// is `AF_INET`/`AF_INET6`; such slots are kept raw.
    const fn is_opaque(self) -> bool {
        matches!(
            self,
            Rtax::Label | Rtax::Bfd | Rtax::Dns | Rtax::Static | Rtax::Search
        )
    }
}

/// A decoded `sockaddr_dl` (link-layer address, `AF_LINK`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkAddr {
    /// `sdl_index`: interface index (0 when not set).
    pub index: u16,
    /// `sdl_type`: interface type (`IFT_*`).
    pub if_type: u8,
    /// Interface name (`sdl_nlen` bytes, not NUL-terminated on the wire;
    /// non-UTF-8 bytes are replaced).
    pub name: String,
    /// Link-layer address (`sdl_alen` bytes; empty for `link#N` gateways).
    pub lladdr: Vec<u8>,
}

/// One decoded sockaddr.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SockAddr {
    /// `AF_INET` (also a netmask inferred to be IPv4).
    Inet {
        /// Address (network order on the wire).
        addr: Ipv4Addr,
        /// Port (0 for masks).
        port: u16,
    },
    /// `AF_INET6` (also a netmask inferred to be IPv6).
    Inet6 {
        /// Address, with any KAME-embedded scope cleared.
        addr: Ipv6Addr,
        /// Port (0 for masks).
        port: u16,
        /// `sin6_flowinfo` (network order on the wire).
        flowinfo: u32,
        /// Zone: the KAME-embedded index, else `sin6_scope_id`.
        scope_id: u32,
    },
    /// `AF_LINK`.
    Link(LinkAddr),
    /// Zero-length sockaddr, or `AF_UNSPEC` with no body: a placeholder whose
    /// value is "unspecified" (its family is implied by context).
    Unspec,
    /// Any other family, or an opaque OpenBSD slot: the `sa_len` bytes as
    /// they were.
    Other {
        /// `sa_family` as found (0 when `sa_len` < 2).
        family: u8,
        /// The sockaddr's `sa_len` bytes, header included.
        bytes: Vec<u8>,
    },
}

impl SockAddr {
    /// The IP address, for [`SockAddr::Inet`] and [`SockAddr::Inet6`].
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            SockAddr::Inet { addr, .. } => Some(IpAddr::V4(*addr)),
            SockAddr::Inet6 { addr, .. } => Some(IpAddr::V6(*addr)),
            _ => None,
        }
    }

    /// The link-layer address, for [`SockAddr::Link`].
    pub fn link(&self) -> Option<&LinkAddr> {
        match self {
            SockAddr::Link(l) => Some(l),
            _ => None,
        }
    }

    /// The prefix length when this sockaddr is used as a netmask; `None` for
    /// non-IP sockaddrs.
    pub fn prefix_len(&self) -> Option<PrefixLen> {
        match self {
            SockAddr::Inet { addr, .. } => Some(prefix_len(&addr.octets())),
            SockAddr::Inet6 { addr, .. } => Some(prefix_len(&addr.octets())),
            _ => None,
        }
    }
}

/// Result of [`prefix_len`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PrefixLen {
    /// Number of leading one bits.
    pub len: u8,
    /// `false` when a one bit follows the first zero bit (for example
    /// `255.0.255.0`); `len` then counts only the leading ones.
    pub contiguous: bool,
}

/// Prefix length of a netmask given in network byte order.
///
/// Counts the leading one bits and says whether the rest is all zero. Masks
/// longer than 255 bits saturate (no IP mask is).
pub fn prefix_len(mask: &[u8]) -> PrefixLen {
    let mut len: u32 = 0;
    let mut seen_zero = false;
    let mut contiguous = true;
    for &byte in mask {
        if seen_zero {
            contiguous &= byte == 0;
            continue;
        }
        let ones = byte.leading_ones();
        len += ones;
        if ones < 8 {
            seen_zero = true;
            // Bits after the first zero inside this byte must be zero too.
            contiguous &= byte.checked_shl(ones).unwrap_or(0) == 0;
        }
    }
    PrefixLen {
        len: u8::try_from(len).unwrap_or(u8::MAX),
        contiguous,
    }
}

/// The sockaddrs of one message, by slot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Addrs {
    bitmask: u32,
    missing: u32,
    entries: Vec<(Rtax, SockAddr)>,
}

impl Addrs {
    /// The raw `*_addrs` bitmask from the header.
    pub fn bitmask(&self) -> u32 {
        self.bitmask
    }

    /// Bits that the bitmask set but for which the message had no bytes left
    /// (Darwin omits a trailing IPv6 `RTA_BRD`). 0 when nothing is missing.
    pub fn missing(&self) -> u32 {
        self.missing
    }

    /// Whether the bitmask claimed more sockaddrs than the message held.
    pub fn is_short(&self) -> bool {
        self.missing != 0
    }

    /// The sockaddr in `slot`, if present.
    pub fn get(&self, slot: Rtax) -> Option<&SockAddr> {
        self.entries
            .iter()
            .find(|(r, _)| *r == slot)
            .map(|(_, sa)| sa)
    }

    /// `RTAX_DST`.
    pub fn dst(&self) -> Option<&SockAddr> {
        self.get(Rtax::Dst)
    }
    /// `RTAX_GATEWAY`.
    pub fn gateway(&self) -> Option<&SockAddr> {
        self.get(Rtax::Gateway)
    }
    /// `RTAX_NETMASK`.
    pub fn netmask(&self) -> Option<&SockAddr> {
        self.get(Rtax::Netmask)
    }
    /// `RTAX_GENMASK`.
    pub fn genmask(&self) -> Option<&SockAddr> {
        self.get(Rtax::Genmask)
    }
    /// `RTAX_IFP`.
    pub fn ifp(&self) -> Option<&SockAddr> {
        self.get(Rtax::Ifp)
    }
    /// `RTAX_IFA`.
    pub fn ifa(&self) -> Option<&SockAddr> {
        self.get(Rtax::Ifa)
    }
    /// `RTAX_AUTHOR`.
    pub fn author(&self) -> Option<&SockAddr> {
        self.get(Rtax::Author)
    }
    /// `RTAX_BRD`.
    pub fn brd(&self) -> Option<&SockAddr> {
        self.get(Rtax::Brd)
    }

    /// All present sockaddrs in slot order.
    pub fn iter(&self) -> impl Iterator<Item = &(Rtax, SockAddr)> {
        self.entries.iter()
    }

    /// Number of present sockaddrs.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no sockaddr is present.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Flavor {
    /// Bytes a sockaddr of `sa_len` occupies: `sa_len` rounded up to the
    /// flavour's unit, and one whole unit when `sa_len` is 0 (FreeBSD
    /// `SA_SIZE`, OpenBSD `ROUNDUP`, NetBSD `RT_ROUNDUP`, Darwin `ROUNDUP32`).
    pub fn sa_roundup(self, sa_len: usize) -> usize {
        let unit = self.sa_align();
        if sa_len == 0 {
            unit
        } else {
            1 + ((sa_len - 1) | (unit - 1))
        }
    }
}

/// One sockaddr cut out of the message, before decoding.
struct RawSa<'a> {
    slot: Rtax,
    offset: usize,
    body: &'a [u8],
}

impl RawSa<'_> {
    /// `sa_family`, or 0 when `sa_len` < 2 (the byte is not part of it).
    fn family(&self) -> u8 {
        self.body.get(1).copied().unwrap_or(AF_UNSPEC)
    }
}

/// Decodes the sockaddrs in `msg[start..]` named by `bitmask`. `base` is the
/// offset of `msg` in the caller's buffer, for error offsets.
pub(crate) fn parse_addrs(
    flavor: Flavor,
    msg: &[u8],
    start: usize,
    bitmask: u32,
    base: usize,
) -> Result<Addrs> {
    // Pass 1: cut. Netmasks need the family of RTA_DST or RTA_IFA, and IFA
    // comes after NETMASK, so decoding waits until every slot is cut.
    let mut raw: Vec<RawSa<'_>> = Vec::new();
    let mut missing = 0;
    let mut off = start;
    for &slot in flavor.rtax_slots() {
        if bitmask & slot.bit() == 0 {
            continue;
        }
        let rest = msg.get(off..).unwrap_or_default();
        let Some(&sa_len) = rest.first() else {
            missing |= slot.bit();
            continue;
        };
        let sa_len = usize::from(sa_len);
        let Some(body) = rest.get(..sa_len) else {
            return Err(Error::SockaddrOverrun {
                offset: base + off,
                sa_len,
                available: rest.len(),
            });
        };
        raw.push(RawSa {
            slot,
            offset: base + off,
            body,
        });
        // Clamp: Darwin does not pad the last sockaddr.
        off += flavor.sa_roundup(sa_len).min(rest.len());
    }

    let family_of = |slot: Rtax| {
        raw.iter()
            .find(|r| r.slot == slot && !r.body.is_empty())
            .map(RawSa::family)
            .filter(|&f| f == AF_INET || f == flavor.af_inet6())
    };
    let ip_hint = family_of(Rtax::Dst).or_else(|| family_of(Rtax::Ifa));
    let src_hint = family_of(Rtax::Src).or(ip_hint);

    // Pass 2: decode.
    let mut entries = Vec::with_capacity(raw.len());
    for r in &raw {
        let hint = if r.slot == Rtax::SrcMask {
            src_hint
        } else {
            ip_hint
        };
        entries.push((r.slot, decode(flavor, r, hint)?));
    }
    Ok(Addrs {
        bitmask,
        missing,
        entries,
    })
}

/// Copies `body[from..from + N]` into an array, zero-filling whatever lies
/// past `sa_len` (truncated masks, short sockaddrs).
fn bytes_at<const N: usize>(body: &[u8], from: usize) -> [u8; N] {
    let mut out = [0u8; N];
    for (i, b) in out.iter_mut().enumerate() {
        *b = body.get(from + i).copied().unwrap_or(0);
    }
    out
}

fn decode(flavor: Flavor, r: &RawSa<'_>, hint: Option<u8>) -> Result<SockAddr> {
    let family = r.family();
    if r.slot.is_opaque() {
        return Ok(if r.body.is_empty() {
            SockAddr::Unspec
        } else {
            SockAddr::Other {
                family,
                bytes: r.body.to_vec(),
            }
        });
    }
    if r.slot.is_mask() {
        let is_ip = family == AF_INET || family == flavor.af_inet6();
        let effective = if is_ip { Some(family) } else { hint };
        return Ok(match effective {
            Some(AF_INET) => SockAddr::Inet {
                addr: Ipv4Addr::from(bytes_at::<4>(r.body, 4)),
                port: 0,
            },
            Some(f) if f == flavor.af_inet6() => SockAddr::Inet6 {
                addr: Ipv6Addr::from(bytes_at::<16>(r.body, 8)),
                port: 0,
                flowinfo: 0,
                scope_id: 0,
            },
            _ => unspec_or_other(r),
        });
    }
    // Zero-length (or length-1) sockaddr: nothing but a placeholder.
    if r.body.len() < 2 {
        return Ok(SockAddr::Unspec);
    }
    if family == AF_INET {
        Ok(SockAddr::Inet {
            addr: Ipv4Addr::from(bytes_at::<4>(r.body, 4)),
            port: u16::from_be_bytes(bytes_at::<2>(r.body, 2)),
        })
    } else if family == flavor.af_inet6() {
        Ok(decode_inet6(r.body))
    } else if family == flavor.af_link() {
        decode_link(r)
    } else {
        Ok(unspec_or_other(r))
    }
}

fn unspec_or_other(r: &RawSa<'_>) -> SockAddr {
    let family = r.family();
    if r.body.len() <= 2 && family == AF_UNSPEC {
        SockAddr::Unspec
    } else {
        SockAddr::Other {
            family,
            bytes: r.body.to_vec(),
        }
    }
}

/// Whether KAME may have embedded a zone in bytes 2..4: link-local unicast
/// (`fe80::/10`) and interface-/link-local multicast (`ffX1::`, `ffX2::`,
/// the KAME `IN6_IS_ADDR_MC_*LOCAL` tests, which cover `ff01::/16` and
/// `ff02::/16`).
fn kame_scoped(a: &[u8; 16]) -> bool {
    (a[0] == 0xfe && a[1] & 0xc0 == 0x80) || (a[0] == 0xff && matches!(a[1] & 0x0f, 0x01 | 0x02))
}

fn decode_inet6(body: &[u8]) -> SockAddr {
    let mut addr = bytes_at::<16>(body, 8);
    let mut scope_id = 0;
    let embedded = u16::from_be_bytes([addr[2], addr[3]]);
    if kame_scoped(&addr) && embedded != 0 {
        scope_id = u32::from(embedded);
        addr[2] = 0;
        addr[3] = 0;
    } else if body.len() >= SOCKADDR_IN6_LEN {
        // Host order, like every non-address field.
        scope_id = u32::from_le_bytes(bytes_at::<4>(body, 24));
    }
    SockAddr::Inet6 {
        addr: Ipv6Addr::from(addr),
        port: u16::from_be_bytes(bytes_at::<2>(body, 2)),
        flowinfo: u32::from_be_bytes(bytes_at::<4>(body, 4)),
        scope_id,
    }
}

fn decode_link(r: &RawSa<'_>) -> Result<SockAddr> {
    let body = r.body;
    if body.len() < SDL_FIXED {
        return Err(Error::BadSaLen {
            offset: r.offset,
            family: r.family(),
            sa_len: body.len(),
            reason: "sockaddr_dl shorter than its 8 fixed bytes",
        });
    }
    // Go treats 0xff lengths as "don't care" ("some platforms"); so do we.
    let len_at = |i: usize| match body.get(i).copied().unwrap_or(0) {
        0xff => 0,
        n => usize::from(n),
    };
    let (nlen, alen, slen) = (len_at(5), len_at(6), len_at(7));
    let room = body.len() - SDL_FIXED;
    if nlen + alen + slen > room {
        return Err(Error::LinkDataOverrun {
            offset: r.offset,
            nlen,
            alen,
            slen,
            sa_len: body.len(),
            room,
        });
    }
    let name = body.get(SDL_FIXED..SDL_FIXED + nlen).unwrap_or_default();
    let lladdr = body
        .get(SDL_FIXED + nlen..SDL_FIXED + nlen + alen)
        .unwrap_or_default();
    Ok(SockAddr::Link(LinkAddr {
        index: u16::from_le_bytes(bytes_at::<2>(body, 2)),
        if_type: body.get(4).copied().unwrap_or(0),
        // A NUL inside `sdl_nlen` ends the name, as it does for C readers;
        // RTNL strings cannot carry one.
        name: String::from_utf8_lossy(name.split(|&b| b == 0).next().unwrap_or_default())
            .into_owned(),
        lladdr: lladdr.to_vec(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_len_contiguous_and_not() {
        assert_eq!(
            prefix_len(&[255, 255, 255, 0]),
            PrefixLen {
                len: 24,
                contiguous: true
            }
        );
        assert_eq!(
            prefix_len(&[255, 255, 240, 0]),
            PrefixLen {
                len: 20,
                contiguous: true
            }
        );
        assert_eq!(
            prefix_len(&[0; 16]),
            PrefixLen {
                len: 0,
                contiguous: true
            }
        );
        assert_eq!(
            prefix_len(&[255; 16]),
            PrefixLen {
                len: 128,
                contiguous: true
            }
        );
        assert_eq!(
            prefix_len(&[255, 0, 255, 0]),
            PrefixLen {
                len: 8,
                contiguous: false
            }
        );
        assert_eq!(
            prefix_len(&[0b1101_0000, 0, 0, 0]),
            PrefixLen {
                len: 2,
                contiguous: false
            }
        );
    }

    #[test]
    fn roundup_per_flavor() {
        for f in Flavor::ALL {
            let unit = f.sa_align();
            assert_eq!(f.sa_roundup(0), unit);
            assert_eq!(f.sa_roundup(1), unit);
            assert_eq!(f.sa_roundup(unit), unit);
            assert_eq!(f.sa_roundup(unit + 1), 2 * unit);
        }
        assert_eq!(Flavor::Darwin.sa_roundup(14), 16);
        assert_eq!(Flavor::Darwin.sa_roundup(20), 20);
        assert_eq!(Flavor::FreeBsd.sa_roundup(54), 56);
        assert_eq!(Flavor::NetBsd.sa_roundup(17), 24);
        assert_eq!(Flavor::OpenBsd.sa_roundup(28), 32);
    }

    #[test]
    fn kame_scope_rules() {
        let mut a = [0u8; 16];
        a[0] = 0xfe;
        a[1] = 0x80;
        assert!(kame_scoped(&a));
        a[1] = 0xc0; // fec0:: site-local: not KAME-scoped here
        assert!(!kame_scoped(&a));
        a[0] = 0xff;
        a[1] = 0x02;
        assert!(kame_scoped(&a));
        a[1] = 0x05;
        assert!(!kame_scoped(&a));
    }
}
