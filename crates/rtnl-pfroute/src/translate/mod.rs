//! Translation of parsed routing-socket messages into the RTNL messages a
//! Linux kernel would have sent for the same event or table entry.
//!
//! A [`Translator`] holds what the translation needs to remember between
//! messages: the flavour, the routing table the messages belong to, and a
//! small cache per interface index (name, hardware address, flags, the last
//! link message). [`Translator::translate`] turns one parsed [`Message`] into
//! an [`Outcome`]: an RTNL message, an overrun, or an explicit
//! [`Ignored`] reason. It never panics, whatever the message holds.
//!
//! Whether a message came from the routing socket or from a sysctl dump
//! matters ([`Origin`]): `RTM_GET` in a dump is a table entry, on the socket
//! it is another process's query; and `ifi_change` is 0 in dumps, as in
//! Linux dumps.
//!
//! # What maps to what
//!
//! | routing socket | RTNL |
//! | --- | --- |
//! | `RTM_IFINFO` / `RTM_IFINFO2` | `RTM_NEWLINK` (rules below) |
//! | `RTM_IFANNOUNCE` arrival / departure | `RTM_NEWLINK` / `RTM_DELLINK` |
//! | `RTM_NEWADDR` / `RTM_CHGADDR` / `RTM_DELADDR` (IP only) | `RTM_NEWADDR` / `RTM_DELADDR` |
//! | `RTM_ADD` / `RTM_CHANGE` / `RTM_DELETE`, dump `RTM_GET` | `RTM_NEWROUTE` / `RTM_DELROUTE` |
//! | the same for ARP/NDP entries | `RTM_NEWNEIGH` / `RTM_DELNEIGH` |
//! | OpenBSD `RTM_DESYNC` | one `NLMSG_OVERRUN` ([`Outcome::Overrun`]) |
//! | `RTM_NEWMADDR` / `RTM_DELMADDR` | ignored ([`Ignored::Multicast`]) |
//! | `RTM_MISS`, `RTM_LOCK`, `RTM_LOSING`, `RTM_REDIRECT`, `RTM_RESOLVE` (of a route) ... | ignored ([`Ignored::NoEquivalent`]) |
//! | any echo with `rtm_errno != 0` | ignored ([`Ignored::Failed`]) |
//! | `RTM_GET` read from the socket | ignored ([`Ignored::QueryReply`]) |
//!
//! **Links.** `ifinfomsg`: `ARPHRD_*` from `ifi_type`, Linux `IFF_*` with
//! `IFF_LOWER_UP` from the link state ([`linux_link_flags`](crate::flags::linux_link_flags)), and
//! `ifi_change` = the flags that changed since the last message for the index
//! (`0xffffffff` for an index not seen before, as Linux sends on register; 0
//! in dumps). Attributes in the kernel's order: `IFLA_IFNAME` (from the
//! `RTA_IFP` `sockaddr_dl`, else from the cache, since socket `RTM_IFINFO`
//! messages carry no sockaddr; absent when never learnt), `IFLA_TXQLEN`
//! (Darwin `ifm_snd_maxlen`, else 0), `IFLA_OPERSTATE`, `IFLA_LINKMODE` 0,
//! `IFLA_MTU`, `IFLA_CARRIER`, `IFLA_ADDRESS` and `IFLA_BROADCAST`
//! (all-ones for Ethernet-like links; loopback gets Linux's all-zero
//! address and broadcast), `IFLA_STATS64` and `IFLA_STATS` from the
//! `if_data` counters. No `IFLA_QDISC`.
//!
//! **Interface departures on Darwin.** Darwin has no `RTM_IFANNOUNCE`: an
//! `RTM_IFINFO` for a new index simply yields `RTM_NEWLINK` (with
//! `ifi_change` all ones), but nothing announces a departure. The caller
//! detects departures by re-listing the interfaces (`NET_RT_IFLIST`, or
//! `if_nameindex`), for instance after any `RTM_IFINFO`/`RTM_DELADDR` and
//! after an overrun, and passes the indices present to
//! [`Translator::reconcile_links`], which yields an `RTM_DELLINK` for every
//! index that vanished.
//!
//! **Addresses.** `ifaddrmsg`: family, prefix length from `RTA_NETMASK`
//! (full length without one; a non-contiguous mask counts its leading ones
//! only, since RTNL cannot express it), scope host for `127/8` and `::1`,
//! link for `fe80::/10`, site for `fec0::/10`, else global, and the index
//! from the header (a KAME scope id that disagrees with it is ignored; it is
//! used only when the header index is 0). IPv4 as Linux sends it:
//! `IFA_ADDRESS` (the peer from `RTA_BRD` on point-to-point links, else the
//! address), `IFA_LOCAL`, `IFA_BROADCAST` (broadcast links with `RTA_BRD`),
//! `IFA_LABEL` (the interface name), `IFA_FLAGS` = `IFA_F_PERMANENT` (BSD
//! IPv4 addresses have no kernel lifetimes) and an `IFA_CACHEINFO` with
//! infinite lifetimes. IPv6 as Linux sends it: only `IFA_ADDRESS`, or
//! `IFA_LOCAL` + `IFA_ADDRESS` (peer) on point-to-point links; no label.
//! `IFA_FLAGS` for IPv6: NetBSD's `ifam_addrflags` (`IN6_IFF_*`) map to
//! `IFA_F_TENTATIVE`, `DADFAILED`, `DEPRECATED`, `NODAD`, `TEMPORARY`, and
//! `PERMANENT` unless the address was autoconfigured; the other flavours do
//! not say whether an IPv6 address is static or autoconfigured, so their
//! flags are 0 (neither permanent nor dynamic is claimed) and no
//! `IFA_CACHEINFO` is sent. A point-to-point link is known from the cached
//! `IFF_POINTOPOINT` flag; for an interface not seen yet, an IPv6 `RTA_BRD`
//! is a peer, and an IPv4 `RTA_BRD` is a peer unless it is the subnet's
//! broadcast address. Link-level (`AF_LINK`) addresses update the cache and
//! yield [`Ignored::NotIp`].
//!
//! **Routes** and **neighbours**: see the `route` and `neigh` submodule
//! sources; in short, `RTF_*` give the type, protocol and scope, the table
//! is OpenBSD's `rtm_tableid` or the caller's [`Translator::set_table`]
//! (0 = Linux main, 254; local and broadcast routes of the main table go to
//! table local, 255, as on Linux), and entries with `RTF_LLINFO` (or a host
//! route whose gateway is a `sockaddr_dl` carrying a hardware address)
//! become neighbours.
//!
//! **Multicast memberships.** RTNL's link, address, route, neighbour and
//! rule families have no multicast membership message. Linux 6.13 added
//! `RTM_NEWMULTICAST` (56) / `RTM_DELMULTICAST` (57) notifications, but the
//! UAPI headers this project is checked against only have
//! `RTM_GETMULTICAST` (58) and `rtnl-wire` does not know these types, so
//! `RTM_NEWMADDR`/`RTM_DELMADDR` are ignored rather than invented.
//!
//! **Header of produced messages.** `nlmsg_seq` and `nlmsg_pid` are 0 (the
//! kernel's own notifications); `NLM_F_CREATE | NLM_F_EXCL` for a route
//! added, `NLM_F_REPLACE` for a route changed, 0 otherwise.
//! [`emulate`](crate::emulate()) rewrites the header for dump replies.

mod addr;
mod link;
mod neigh;
mod route;

use std::collections::BTreeMap;
use std::net::IpAddr;

use rtnl_wire::netlink::NLMSG_OVERRUN;
use rtnl_wire::{Fixed, Message as RtnlMessage};

use crate::message::{AnnounceWhat, Message};
use crate::msgtype::MsgType;
use crate::sockaddr::SockAddr;
use crate::{linux, parse_messages, Error, Flavor};

/// Where a routing message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Read from a routing socket: a change notification (or an echo).
    Event,
    /// From a sysctl dump (`NET_RT_DUMP`, `NET_RT_FLAGS`, `NET_RT_IFLIST`):
    /// a table entry.
    Dump,
}

/// Why a routing message translates to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ignored {
    /// A message type RTNL has no counterpart for (`RTM_MISS`, `RTM_LOCK`,
    /// `RTM_LOSING`, `RTM_REDIRECT`, `RTM_RESOLVE` of a route, OpenBSD
    /// `RTM_PROPOSAL`, ...).
    NoEquivalent(MsgType),
    /// The echo of a request that failed (`rtm_errno` != 0): nothing changed.
    Failed {
        /// The BSD errno of the failure.
        errno: i32,
    },
    /// `RTM_GET` read from the socket: the answer to some process's query,
    /// not a change.
    QueryReply,
    /// Multicast membership (`RTM_NEWMADDR` / `RTM_DELMADDR`): no RTNL
    /// message in the families this project speaks (see the module docs).
    Multicast,
    /// The address or destination is not IPv4/IPv6 (for example the
    /// link-level address of an interface).
    NotIp,
    /// A sockaddr the translation needs is absent (named by its slot).
    Missing(&'static str),
    /// A neighbour entry for one of this host's own addresses (FreeBSD
    /// `RTF_PINNED`, or `RTF_LOCAL`): Linux keeps no neighbour for those.
    OwnAddress,
    /// `RTM_IFANNOUNCE` with an `ifan_what` other than arrival/departure.
    AnnounceOther(u16),
    /// A message the parser kept opaque ([`Message::Other`]).
    Opaque {
        /// The raw type byte.
        msg_type: u8,
    },
    /// The bytes did not parse (only from [`Translator::translate_buffer`]).
    Malformed(Error),
}

/// What one routing message becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The RTNL message Linux would have sent.
    Message(RtnlMessage),
    /// Messages were lost (OpenBSD `RTM_DESYNC`): one `NLMSG_OVERRUN`
    /// message (see [`overrun_message`]); the consumer must re-dump.
    Overrun(RtnlMessage),
    /// Nothing to send, and why.
    Ignored(Ignored),
}

impl Outcome {
    /// The RTNL message, for [`Outcome::Message`] and [`Outcome::Overrun`].
    pub fn message(&self) -> Option<&RtnlMessage> {
        match self {
            Outcome::Message(m) | Outcome::Overrun(m) => Some(m),
            Outcome::Ignored(_) => None,
        }
    }

    /// The RTNL message, consuming the outcome.
    pub fn into_message(self) -> Option<RtnlMessage> {
        match self {
            Outcome::Message(m) | Outcome::Overrun(m) => Some(m),
            Outcome::Ignored(_) => None,
        }
    }
}

/// The `NLMSG_OVERRUN` message that reports lost messages: a bare 16-byte
/// netlink header (type [`NLMSG_OVERRUN`], no flags, seq and pid 0, empty
/// payload). Used for OpenBSD `RTM_DESYNC`, and by the caller for a routing
/// socket read that fails with `ENOBUFS`.
pub fn overrun_message() -> RtnlMessage {
    RtnlMessage::new(NLMSG_OVERRUN, 0, Fixed::Other(Vec::new()))
}

/// What is remembered about one interface index.
#[derive(Debug, Clone, Default)]
struct LinkEntry {
    name: Option<String>,
    lladdr: Vec<u8>,
    /// Linux `IFF_*` of the last link message.
    flags: Option<u32>,
    /// The last `RTM_NEWLINK` produced, replayed as `RTM_DELLINK`.
    last: Option<RtnlMessage>,
}

/// Turns routing messages of one flavour into RTNL messages; see the
/// module docs.
#[derive(Debug, Clone)]
pub struct Translator {
    flavor: Flavor,
    table: u32,
    links: BTreeMap<u32, LinkEntry>,
}

impl Translator {
    /// A translator for `flavor` with an empty interface cache and table 0
    /// (the default BSD table, Linux `RT_TABLE_MAIN`).
    pub fn new(flavor: Flavor) -> Translator {
        Translator {
            flavor,
            table: 0,
            links: BTreeMap::new(),
        }
    }

    /// The flavour.
    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// Sets the BSD routing table the route messages belong to when the
    /// header does not say: the FreeBSD fib (which is not in `rt_msghdr`),
    /// a NetBSD/Darwin table is always 0. OpenBSD's `rtm_tableid` wins over
    /// this. BSD table 0 is reported as Linux main (254); any other number
    /// as itself.
    pub fn set_table(&mut self, table: u32) {
        self.table = table;
    }

    /// Builder form of [`Translator::set_table`].
    pub fn with_table(mut self, table: u32) -> Translator {
        self.table = table;
        self
    }

    /// Records an interface name learnt elsewhere (`if_indextoname`, a
    /// previous dump), for messages that lack the `sockaddr_dl`.
    pub fn learn_link(&mut self, index: u32, name: &str) {
        self.links.entry(index).or_default().name = Some(name.to_string());
    }

    /// The cached name of `index`.
    pub fn link_name(&self, index: u32) -> Option<&str> {
        self.links.get(&index).and_then(|l| l.name.as_deref())
    }

    /// The interface indices seen so far, ascending.
    pub fn known_links(&self) -> impl Iterator<Item = u32> + '_ {
        self.links.keys().copied()
    }

    /// Forgets every interface not in `present` and returns an
    /// `RTM_DELLINK` for each: how departures are detected on Darwin, which
    /// has no `RTM_IFANNOUNCE` (see the module docs), and how a resync after
    /// an overrun catches interfaces that left meanwhile.
    pub fn reconcile_links(&mut self, present: &[u32]) -> Vec<RtnlMessage> {
        let gone: Vec<u32> = self
            .links
            .keys()
            .copied()
            .filter(|i| !present.contains(i))
            .collect();
        gone.into_iter()
            .map(|index| self.del_link(index, None))
            .collect()
    }

    /// Translates one parsed message.
    pub fn translate(&mut self, msg: &Message, origin: Origin) -> Outcome {
        match msg {
            Message::Interface(m) => Outcome::Message(self.link(m, origin)),
            Message::Announce(a) => match a.what {
                AnnounceWhat::Arrival => {
                    Outcome::Message(self.new_link_announced(u32::from(a.index), &a.name))
                }
                AnnounceWhat::Departure => {
                    Outcome::Message(self.del_link(u32::from(a.index), Some(&a.name)))
                }
                AnnounceWhat::Other(n) => Outcome::Ignored(Ignored::AnnounceOther(n)),
            },
            Message::Address(m) => self.addr(m),
            Message::Route(m) => self.route(m, origin),
            Message::Multicast(_) => Outcome::Ignored(Ignored::Multicast),
            Message::Desync => Outcome::Overrun(overrun_message()),
            Message::Other { msg_type, .. } => Outcome::Ignored(Ignored::Opaque {
                msg_type: *msg_type,
            }),
        }
    }

    /// Shorthand for [`Translator::translate`] with [`Origin::Event`].
    pub fn translate_event(&mut self, msg: &Message) -> Outcome {
        self.translate(msg, Origin::Event)
    }

    /// Shorthand for [`Translator::translate`] with [`Origin::Dump`].
    pub fn translate_dump(&mut self, msg: &Message) -> Outcome {
        self.translate(msg, Origin::Dump)
    }

    /// Frames, parses and translates a whole buffer (a socket read or a
    /// sysctl dump). A message that does not parse gives
    /// [`Ignored::Malformed`]; a framing error ends the list.
    pub fn translate_buffer(&mut self, buf: &[u8], origin: Origin) -> Vec<Outcome> {
        let flavor = self.flavor;
        parse_messages(flavor, buf)
            .map(|m| match m {
                Ok(m) => self.translate(&m, origin),
                Err(e) => Outcome::Ignored(Ignored::Malformed(e)),
            })
            .collect()
    }

    /// The RTNL messages of a sysctl dump, in order, dropping what
    /// translates to nothing: the snapshot [`emulate`](crate::emulate())
    /// answers from.
    ///
    /// ```
    /// use rtnl_pfroute::{Flavor, Translator};
    ///
    /// // A FreeBSD sysctl dump (NET_RT_IFLIST + NET_RT_DUMP), captured once.
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/freebsd-dump.bin");
    /// let bytes = std::fs::read(path).unwrap();
    /// let rtnl = Translator::new(Flavor::FreeBsd).snapshot(&bytes);
    /// assert!(!rtnl.is_empty());
    /// for m in &rtnl {
    ///     println!("{m:?}"); // the RTM_NEWLINK / NEWADDR / NEWROUTE Linux would send
    /// }
    /// ```
    pub fn snapshot(&mut self, buf: &[u8]) -> Vec<RtnlMessage> {
        self.translate_buffer(buf, Origin::Dump)
            .into_iter()
            .filter_map(|o| match o {
                Outcome::Message(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    fn entry(&mut self, index: u32) -> &mut LinkEntry {
        self.links.entry(index).or_default()
    }

    /// Learns name and hardware address from a `sockaddr_dl`.
    fn learn_sdl(&mut self, index: u32, sa: Option<&SockAddr>) {
        let Some(l) = sa.and_then(SockAddr::link) else {
            return;
        };
        let index = if l.index != 0 {
            u32::from(l.index)
        } else {
            index
        };
        if index == 0 {
            return;
        }
        let e = self.entry(index);
        if !l.name.is_empty() {
            e.name = Some(l.name.clone());
        }
        if !l.lladdr.is_empty() {
            e.lladdr = l.lladdr.clone();
        }
    }

    /// The Linux table id of a route whose BSD table is `bsd` (None: the
    /// caller's table).
    fn linux_table(&self, bsd: Option<u32>) -> u32 {
        match bsd.unwrap_or(self.table) {
            0 => linux::RT_TABLE_MAIN,
            t => t,
        }
    }
}

/// Linux address family and address of an IP sockaddr.
fn ip_of(sa: Option<&SockAddr>) -> Option<(u8, IpAddr)> {
    let ip = sa?.ip()?;
    Some((linux_family(&ip), ip))
}

fn linux_family(ip: &IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => linux::AF_INET,
        IpAddr::V6(_) => linux::AF_INET6,
    }
}

/// Full prefix length of a Linux family.
fn full_len(family: u8) -> u8 {
    if family == linux::AF_INET6 {
        128
    } else {
        32
    }
}

/// Whether the flavour's `IFF_POINTOPOINT` (0x10 everywhere) is set in Linux
/// flags (the bit keeps its value).
fn is_p2p(linux_flags: u32) -> bool {
    linux_flags & linux::IFF_POINTOPOINT != 0
}
