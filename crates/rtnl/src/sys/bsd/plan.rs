//! What the BSD emulator must read to answer a request: the sysctl routing
//! dumps (`NET_RT_IFLIST`, `NET_RT_DUMP`, `NET_RT_FLAGS`) with each OS's
//! MIB, and which notifications belong to which RTNL group. Pure code,
//! built and tested on every host; the flavour is a run-time value.

use rtnl_pfroute::Flavor;
use rtnl_wire::family::route::RouteView;
use rtnl_wire::netlink::{Messages, NLM_F_DUMP, NLM_F_REQUEST};
use rtnl_wire::rtm::Family;

/// `CTL_NET`, the same on every BSD.
pub(crate) const CTL_NET: i32 = 4;
/// `NET_RT_DUMP`: the routing table (1 everywhere).
pub(crate) const NET_RT_DUMP: i32 = 1;
/// `NET_RT_FLAGS`: routes (or lltable entries) by flag (2 everywhere).
pub(crate) const NET_RT_FLAGS: i32 = 2;
/// The link-layer entry flag: `RTF_LLINFO` (FreeBSD, OpenBSD, Darwin) or
/// `RTF_LLDATA` (FreeBSD, NetBSD), 0x400 on every BSD. With
/// `NET_RT_FLAGS` it selects the ARP/NDP entries (FreeBSD and NetBSD then
/// dump their lltables, which needs a non-zero address family).
pub(crate) const RTF_LLINFO: i32 = 0x400;

/// Linux address families in RTNL requests.
const LINUX_AF_INET: u8 = 2;
const LINUX_AF_INET6: u8 = 10;

/// An address family of a dump, in the host's numbering once turned into
/// a MIB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Af {
    /// Every family (MIB af 0).
    Any,
    /// IPv4.
    Inet,
    /// IPv6.
    Inet6,
}

impl Af {
    /// The family a Linux request asks for (`AF_UNSPEC` = all); `None` for
    /// families the BSDs have no table of (bridge, MPLS ...), which the
    /// emulator answers with an empty dump.
    fn of_linux(family: u8) -> Option<Af> {
        match family {
            0 => Some(Af::Any),
            LINUX_AF_INET => Some(Af::Inet),
            LINUX_AF_INET6 => Some(Af::Inet6),
            _ => None,
        }
    }

    /// The flavour's number (`AF_INET6` is 28, 24 or 30).
    pub(crate) fn number(self, flavor: Flavor) -> i32 {
        match self {
            Af::Any => 0,
            Af::Inet => 2,
            Af::Inet6 => i32::from(flavor.af_inet6()),
        }
    }
}

/// OpenBSD's highest routing table id (`RT_TABLEID_MAX`, sys/socket.h).
pub(crate) const OPENBSD_RT_TABLEID_MAX: u32 = 255;

/// Which routing table a route dump reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Table {
    /// The process's table (FreeBSD fib, OpenBSD rtable; the only one on
    /// NetBSD and Darwin), reported as Linux main (254) and local (255).
    Default,
    /// Every table: each FreeBSD fib (`net.fibs`), each OpenBSD rtable
    /// that exists; the one table of NetBSD and Darwin.
    All,
    /// One numbered table (FreeBSD fib, OpenBSD rtable).
    One(u32),
}

impl Table {
    /// The table(s) a Linux route request names: 0 = all; main (254) and
    /// local (255) are the BSD default table, whose local and broadcast
    /// routes the translator files under local; any other number is that
    /// BSD table.
    fn of_linux(table: u32) -> Table {
        match table {
            0 => Table::All,
            254 | 255 => Table::Default,
            t => Table::One(t),
        }
    }
}

/// One sysctl dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Source {
    /// Interfaces and their addresses (`NET_RT_IFLIST`, `NET_RT_IFLIST2`
    /// on Darwin).
    Links,
    /// Routes (`NET_RT_DUMP`).
    Routes {
        /// Address family.
        af: Af,
        /// Table.
        table: Table,
    },
    /// ARP (IPv4) or NDP (IPv6) entries (`NET_RT_FLAGS` with
    /// [`RTF_LLINFO`]); never [`Af::Any`].
    Neighbours {
        /// Address family.
        af: Af,
    },
}

/// The sysctl dumps needed to answer `request` (one or more RTNL messages),
/// without duplicates, links first (the translator learns interface names
/// and flags from them, and the emulator checks `ifa_index`, `RTA_OIF` and
/// single-link gets against them). Empty when no message needs data:
/// setters, rule dumps and the like, which the emulator refuses.
pub(crate) fn sources(request: &[u8]) -> Vec<Source> {
    let mut out = Vec::new();
    for msg in Messages::new(request) {
        let Ok(msg) = msg else { break };
        let h = msg.header;
        if h.flags & NLM_F_REQUEST == 0 {
            continue;
        }
        let Some(family) = Family::of_type(h.kind) else {
            continue;
        };
        if h.kind != family.get_type() {
            continue; // a setter: the emulator refuses it.
        }
        let dump = h.flags & NLM_F_DUMP != 0;
        let af = msg.payload.first().copied().unwrap_or(0);
        match family {
            Family::Link => out.push(Source::Links),
            Family::Addr if dump => out.push(Source::Links),
            Family::Route if dump => {
                out.push(Source::Links);
                let table = RouteView::parse(msg.payload).map_or(0, |v| v.table());
                if let Some(af) = Af::of_linux(af) {
                    out.push(Source::Routes {
                        af,
                        table: Table::of_linux(table),
                    });
                }
            }
            Family::Neigh if dump => {
                out.push(Source::Links);
                let afs: &[Af] = match Af::of_linux(af) {
                    Some(Af::Any) => &[Af::Inet, Af::Inet6],
                    Some(Af::Inet) => &[Af::Inet],
                    Some(Af::Inet6) => &[Af::Inet6],
                    None => &[],
                };
                out.extend(afs.iter().map(|&af| Source::Neighbours { af }));
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `NET_RT_IFLIST` as the flavour numbers it: 3 on FreeBSD and OpenBSD, 6
/// on NetBSD 8+ (5 and below are the compat formats), and Darwin's
/// `NET_RT_IFLIST2` (6, 64-bit counters and the send queue).
pub(crate) fn iflist_op(flavor: Flavor) -> i32 {
    match flavor {
        Flavor::FreeBsd | Flavor::OpenBsd => 3,
        Flavor::NetBsd | Flavor::Darwin => 6,
    }
}

/// Whether a route dump's MIB takes a table as its 7th element (FreeBSD
/// fib, OpenBSD rtable); NetBSD and Darwin have one table.
pub(crate) fn has_tables(flavor: Flavor) -> bool {
    matches!(flavor, Flavor::FreeBsd | Flavor::OpenBsd)
}

/// The MIB of a dump: `{CTL_NET, PF_ROUTE, 0, af, op, arg [, table]}`.
/// `table` is a FreeBSD fib / OpenBSD rtable, only for route dumps on
/// flavours with tables; `None` otherwise (the process's table).
pub(crate) fn mib(flavor: Flavor, source: Source, table: Option<u32>) -> Vec<i32> {
    let route = i32::from(flavor.af_route());
    let (af, op, arg) = match source {
        Source::Links => (0, iflist_op(flavor), 0),
        Source::Routes { af, .. } => (af.number(flavor), NET_RT_DUMP, 0),
        Source::Neighbours { af } => (af.number(flavor), NET_RT_FLAGS, RTF_LLINFO),
    };
    let mut m = vec![CTL_NET, route, 0, af, op, arg];
    if let (Source::Routes { .. }, Some(t), true) = (source, table, has_tables(flavor)) {
        m.push(t as i32);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtnl_wire::family::route::RTA_TABLE;
    use rtnl_wire::netlink::{MessageWriter, NLM_F_ACK};
    use rtnl_wire::rtm;

    fn request(kind: u16, flags: u16, payload: &[u8]) -> Vec<u8> {
        let mut w = MessageWriter::new();
        let m = w.begin_message(kind, NLM_F_REQUEST | flags, 1, 77);
        w.put_bytes(payload);
        w.end_message(m);
        w.into_vec()
    }

    fn rtmsg(family: u8, table: u8) -> Vec<u8> {
        let mut b = vec![0u8; 12];
        b[0] = family;
        b[4] = table;
        b
    }

    #[test]
    fn each_dump_reads_what_it_answers_from() {
        assert_eq!(
            sources(&request(rtm::RTM_GETLINK, NLM_F_DUMP, &[0; 16])),
            vec![Source::Links]
        );
        // A single-link get needs the interface list too.
        assert_eq!(
            sources(&request(rtm::RTM_GETLINK, NLM_F_ACK, &[0; 16])),
            vec![Source::Links]
        );
        assert_eq!(
            sources(&request(
                rtm::RTM_GETADDR,
                NLM_F_DUMP,
                &[10, 0, 0, 0, 0, 0, 0, 0]
            )),
            vec![Source::Links]
        );
        assert_eq!(
            sources(&request(rtm::RTM_GETROUTE, NLM_F_DUMP, &rtmsg(2, 0))),
            vec![
                Source::Links,
                Source::Routes {
                    af: Af::Inet,
                    table: Table::All
                }
            ]
        );
        assert_eq!(
            sources(&request(rtm::RTM_GETROUTE, NLM_F_DUMP, &rtmsg(0, 254))),
            vec![
                Source::Links,
                Source::Routes {
                    af: Af::Any,
                    table: Table::Default
                }
            ]
        );
        assert_eq!(
            sources(&request(rtm::RTM_GETNEIGH, NLM_F_DUMP, &[0; 12])),
            vec![
                Source::Links,
                Source::Neighbours { af: Af::Inet },
                Source::Neighbours { af: Af::Inet6 }
            ]
        );
        assert_eq!(
            sources(&request(rtm::RTM_GETNEIGH, NLM_F_DUMP, &[10; 12])),
            vec![Source::Links, Source::Neighbours { af: Af::Inet6 }]
        );
    }

    #[test]
    fn rta_table_wins_over_the_header() {
        let mut w = MessageWriter::new();
        let m = w.begin_message(rtm::RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 1, 77);
        w.put_bytes(&rtmsg(2, 252));
        w.put_u32(RTA_TABLE, 1000);
        w.end_message(m);
        assert_eq!(
            sources(w.as_bytes()),
            vec![
                Source::Links,
                Source::Routes {
                    af: Af::Inet,
                    table: Table::One(1000)
                }
            ]
        );
    }

    #[test]
    fn setters_rules_and_foreign_families_read_nothing() {
        for kind in [
            rtm::RTM_NEWROUTE,
            rtm::RTM_DELADDR,
            rtm::RTM_SETLINK,
            rtm::RTM_NEWNEIGH,
            rtm::RTM_GETRULE,
        ] {
            assert!(sources(&request(kind, NLM_F_ACK | NLM_F_DUMP, &[2; 16])).is_empty());
        }
        // A bridge neighbour dump: links only, no ARP/NDP table.
        assert_eq!(
            sources(&request(rtm::RTM_GETNEIGH, NLM_F_DUMP, &[7; 12])),
            vec![Source::Links]
        );
        // Not a request: nothing.
        let mut w = MessageWriter::new();
        let m = w.begin_message(rtm::RTM_GETLINK, NLM_F_DUMP, 1, 77);
        w.put_bytes(&[0; 16]);
        w.end_message(m);
        assert!(sources(w.as_bytes()).is_empty());
    }

    #[test]
    fn several_requests_share_their_dumps() {
        let mut b = request(rtm::RTM_GETLINK, NLM_F_DUMP, &[0; 16]);
        b.extend(request(rtm::RTM_GETADDR, NLM_F_DUMP, &[0; 8]));
        b.extend(request(rtm::RTM_GETLINK, NLM_F_DUMP, &[0; 16]));
        assert_eq!(sources(&b), vec![Source::Links]);
    }

    #[test]
    fn mibs_per_flavour() {
        let n6 = Source::Neighbours { af: Af::Inet6 };
        assert_eq!(
            mib(Flavor::FreeBsd, Source::Links, None),
            [4, 17, 0, 0, 3, 0]
        );
        assert_eq!(
            mib(Flavor::OpenBsd, Source::Links, None),
            [4, 17, 0, 0, 3, 0]
        );
        assert_eq!(
            mib(Flavor::NetBsd, Source::Links, None),
            [4, 34, 0, 0, 6, 0]
        );
        assert_eq!(
            mib(Flavor::Darwin, Source::Links, None),
            [4, 17, 0, 0, 6, 0]
        );
        assert_eq!(mib(Flavor::FreeBsd, n6, None), [4, 17, 0, 28, 2, 0x400]);
        assert_eq!(mib(Flavor::OpenBsd, n6, None), [4, 17, 0, 24, 2, 0x400]);
        assert_eq!(mib(Flavor::NetBsd, n6, None), [4, 34, 0, 24, 2, 0x400]);
        assert_eq!(mib(Flavor::Darwin, n6, None), [4, 17, 0, 30, 2, 0x400]);
        let r4 = Source::Routes {
            af: Af::Inet,
            table: Table::One(3),
        };
        assert_eq!(mib(Flavor::FreeBsd, r4, Some(3)), [4, 17, 0, 2, 1, 0, 3]);
        assert_eq!(mib(Flavor::OpenBsd, r4, Some(3)), [4, 17, 0, 2, 1, 0, 3]);
        assert_eq!(mib(Flavor::NetBsd, r4, Some(3)), [4, 34, 0, 2, 1, 0]);
        assert_eq!(mib(Flavor::Darwin, r4, None), [4, 17, 0, 2, 1, 0]);
    }
}
