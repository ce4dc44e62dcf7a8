//! The BSD emulator end to end, through `IpRoute`, on this host: a
//! `Replay` of each flavour (FreeBSD, OpenBSD, NetBSD, Darwin) built from
//! byte fixtures (rtnl-pfroute's builders, written from the reference
//! layouts) answers the getters and filters, refuses setters naming the
//! platform, and, once bound, delivers routing-socket messages as RTNL
//! notifications through the monitor thread, the queue and the pollable
//! fd, with loss as an overrun marker followed by a resync dump. Only the
//! sysctl and PF_ROUTE system calls are not the real ones.
#![cfg(unix)]

#[path = "../../rtnl-pfroute/tests/fixture/mod.rs"]
mod fixture;

use std::net::IpAddr;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use fixture as fx;
use rtnl::monitor::is_overrun;
use rtnl::replay::{Flavor, IpFamily, Replay};
use rtnl::wire::netlink::{NlHeader, NLMSG_DONE};
use rtnl::wire::rtm::{RTM_DELLINK, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE};
use rtnl::wire::{Fixed, Message};
use rtnl::{AddrFilter, BindOptions, Error, Groups, IpRoute, LinkFilter, NeighFilter, RouteFilter};
use rtnl_pfroute::RtFlag;

const MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x02];
const GW_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];

fn bit(f: Flavor, flag: RtFlag) -> u32 {
    f.rtf_bit(flag).unwrap_or(0)
}

fn up_state(f: Flavor) -> u8 {
    match f {
        Flavor::Darwin => 1,
        _ => 4,
    }
}

fn ifinfo(f: Flavor, index: u16, name: &str, mac: &[u8], flags: u32, ift: u8) -> Vec<u8> {
    let h = fx::If {
        index,
        flags,
        addrs: fx::RTA_IFP,
        ift,
        addrlen: mac.len() as u8,
        link_state: up_state(f),
        mtu: 1500,
        ..Default::default()
    };
    let min = if f == Flavor::FreeBsd { 54 } else { 0 };
    fx::if_msg(f, &h, &[fx::sdl(index, ift, name, mac, min)], true)
}

fn newaddr(f: Flavor, index: u16, addr: [u8; 4], len: u8) -> Vec<u8> {
    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
    let h = fx::Ifa {
        ty: fx::rtm(f, "NEWADDR"),
        index,
        addrs: fx::RTA_NETMASK | fx::RTA_IFA,
        ..Default::default()
    };
    fx::ifa_msg(
        f,
        &h,
        &[fx::sin(mask.to_be_bytes()), fx::sin(addr)],
        f != Flavor::Darwin,
    )
}

/// lo0 (1) and em0 (2, 10.1.0.7/24).
fn links(f: Flavor) -> Vec<u8> {
    let loopback = 0x1 | 0x8 | 0x40 | 0x8000; // UP|LOOPBACK|RUNNING|MULTICAST
    let ether = 0x1 | 0x2 | 0x40 | 0x8000; // UP|BROADCAST|RUNNING|MULTICAST
    [
        ifinfo(f, 1, "lo0", &[], loopback, 24),
        ifinfo(f, 2, "em0", &MAC, ether, 6),
        newaddr(f, 2, [10, 1, 0, 7], 24),
    ]
    .concat()
}

fn route_msg(f: Flavor, ty: &str, dst: [u8; 4], len: u8, gw: [u8; 4], table: u16) -> Vec<u8> {
    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
    let h = fx::Rt {
        ty: fx::rtm(f, ty),
        index: 2,
        flags: bit(f, RtFlag::Up)
            | bit(f, RtFlag::Gateway)
            | bit(f, RtFlag::Static)
            | bit(f, RtFlag::Done),
        addrs: fx::RTA_DST | fx::RTA_GATEWAY | fx::RTA_NETMASK,
        tableid: table,
        ..Default::default()
    };
    fx::rt_msg(
        f,
        &h,
        &[fx::sin(dst), fx::sin(gw), fx::sin(mask.to_be_bytes())],
        true,
    )
}

fn arp(f: Flavor) -> Vec<u8> {
    let h = fx::Rt {
        ty: fx::rtm(f, "GET"),
        index: 2,
        flags: bit(f, RtFlag::Up) | bit(f, RtFlag::Host) | bit(f, RtFlag::LlInfo),
        addrs: fx::RTA_DST | fx::RTA_GATEWAY,
        ..Default::default()
    };
    let min = if f == Flavor::FreeBsd { 54 } else { 0 };
    fx::rt_msg(
        f,
        &h,
        &[fx::sin([10, 1, 0, 1]), fx::sdl(2, 6, "", &GW_MAC, min)],
        true,
    )
}

/// A machine with two links, an address, a default route, a route in a
/// second table (FreeBSD fib 2 / OpenBSD rtable 3, where there are
/// tables) and one ARP entry.
fn machine(f: Flavor) -> Replay {
    let r = Replay::new(f);
    r.set_links(links(f));
    r.set_routes(
        IpFamily::V4,
        0,
        route_msg(f, "GET", [0, 0, 0, 0], 0, [10, 1, 0, 1], 0),
    );
    if let Some(t) = second_table(f) {
        r.set_routes(
            IpFamily::V4,
            t,
            route_msg(f, "GET", [10, 9, 0, 0], 16, [10, 1, 0, 2], t as u16),
        );
    }
    r.set_neighbours(IpFamily::V4, arp(f));
    r
}

fn second_table(f: Flavor) -> Option<u32> {
    match f {
        Flavor::FreeBsd => Some(2),
        Flavor::OpenBsd => Some(3),
        _ => None,
    }
}

fn ip(m: &Message, name: &str) -> Option<IpAddr> {
    m.get_attr(name).and_then(|v| v.as_ip())
}

fn u32_attr(m: &Message, name: &str) -> Option<u32> {
    m.get_attr(name).and_then(|v| v.as_u64()).map(|v| v as u32)
}

#[test]
fn getters_filters_and_setters_per_flavour() {
    for f in Flavor::ALL {
        let mut ipr = IpRoute::replay(&machine(f)).unwrap();
        assert_eq!(ipr.emulator(), Some(f.platform()));

        let links = ipr.get_links(&LinkFilter::default()).unwrap();
        let names: Vec<(u32, &str)> = links
            .iter()
            .map(|m| {
                let Fixed::Link(h) = &m.fixed else { panic!() };
                (
                    h.index as u32,
                    m.get_attr("IFLA_IFNAME").unwrap().as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(names, [(1, "lo0"), (2, "em0")], "{f:?}");
        assert_eq!(ipr.link_index("em0").unwrap(), 2, "{f:?}");
        assert_eq!(u32_attr(&links[1], "IFLA_MTU"), Some(1500), "{f:?}");

        let addrs = ipr.get_addr(&AddrFilter::default()).unwrap();
        assert_eq!(addrs.len(), 1, "{f:?}: {addrs:?}");
        let Fixed::Addr(h) = &addrs[0].fixed else {
            panic!()
        };
        assert_eq!((h.index, h.prefixlen), (2, 24), "{f:?}");
        assert_eq!(
            ip(&addrs[0], "IFA_LOCAL"),
            Some("10.1.0.7".parse().unwrap())
        );

        // The default table (Linux main).
        let main = ipr
            .get_routes(&RouteFilter {
                family: 2,
                table: Some(254),
                ..Default::default()
            })
            .unwrap();
        let default = main
            .iter()
            .find(|m| matches!(&m.fixed, Fixed::Route(h) if h.dst_len == 0))
            .unwrap_or_else(|| panic!("{f:?}: no default route in {main:?}"));
        assert_eq!(
            ip(default, "RTA_GATEWAY"),
            Some("10.1.0.1".parse().unwrap())
        );
        assert_eq!(u32_attr(default, "RTA_OIF"), Some(2), "{f:?}");

        // Every table: the second one too where the flavour has tables.
        let all = ipr
            .get_routes(&RouteFilter {
                family: 2,
                table: None,
                ..Default::default()
            })
            .unwrap();
        let tables: Vec<u32> = all
            .iter()
            .filter_map(|m| u32_attr(m, "RTA_TABLE"))
            .collect();
        match second_table(f) {
            Some(t) => {
                assert!(tables.contains(&t), "{f:?}: {tables:?}");
                let only = ipr
                    .get_routes(&RouteFilter {
                        family: 2,
                        table: Some(t),
                        ..Default::default()
                    })
                    .unwrap();
                assert_eq!(only.len(), 1, "{f:?}: {only:?}");
                assert_eq!(ip(&only[0], "RTA_DST"), Some("10.9.0.0".parse().unwrap()));
            }
            None => assert!(tables.iter().all(|&t| t == 254 || t == 255), "{f:?}"),
        }

        let neigh = ipr.get_neighbours(&NeighFilter::default()).unwrap();
        let n = neigh
            .iter()
            .find(|m| ip(m, "NDA_DST") == Some("10.1.0.1".parse().unwrap()))
            .unwrap_or_else(|| panic!("{f:?}: {neigh:?}"));
        assert_eq!(
            n.get_attr("NDA_LLADDR").and_then(|v| v.as_bytes()),
            Some(&GW_MAC[..])
        );

        // A filter the emulator applies as the kernel would.
        let em0 = ipr
            .get_addr(&AddrFilter {
                index: Some(1),
                ..Default::default()
            })
            .unwrap();
        assert!(em0.is_empty(), "{f:?}: lo0 has no address here");

        // Everything at once leaves out what the platform cannot dump.
        assert!(!ipr.dump().unwrap().is_empty());

        // Setters: refused, naming the platform and the operation.
        match ipr.link_del(2) {
            Err(Error::Unsupported { platform, op }) => {
                assert_eq!(platform, f.platform());
                assert!(op.contains("link"), "{op}");
            }
            other => panic!("{f:?}: {other:?}"),
        }
        // A netlink-only call says why.
        assert!(ipr.add_membership(&[1]).is_err());
    }
}

/// Waits (bounded) until the object has something for `try_recv`.
fn next(ipr: &mut IpRoute) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(b) = ipr.try_recv().unwrap() {
            return b;
        }
        assert!(Instant::now() < deadline, "nothing within 5 s");
        let mut p = libc::pollfd {
            fd: ipr.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(&mut p, 1, 100) };
    }
}

fn kind(b: &[u8]) -> u16 {
    NlHeader::parse(b).unwrap().kind
}

#[test]
fn bound_objects_receive_translated_notifications_between_replies() {
    for f in Flavor::ALL {
        let replay = machine(f);
        let mut ipr = IpRoute::replay(&replay).unwrap();
        ipr.bind(Groups::LINK | Groups::IPV4_ROUTE).unwrap();
        assert!(!ipr.has_pending());

        replay.event(&route_msg(f, "ADD", [10, 2, 0, 0], 24, [10, 1, 0, 1], 0));
        let b = next(&mut ipr);
        let m = &Message::parse_all(&b).next().unwrap().unwrap();
        assert_eq!(m.header.kind, RTM_NEWROUTE, "{f:?}");
        assert_eq!(ip(m, "RTA_DST"), Some("10.2.0.0".parse().unwrap()));

        // An address is not in the bound groups: nothing comes.
        replay.event(&newaddr(f, 2, [10, 1, 0, 8], 24));
        // A request answered while a notification waits: the reply is
        // the request's, the notification stays for recv.
        replay.event(&ifinfo(f, 2, "em0", &MAC, 0x1 | 0x2 | 0x8000, 6));
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(ipr.get_links(&LinkFilter::default()).unwrap().len(), 2);
        let b = next(&mut ipr);
        assert_eq!(kind(&b), RTM_NEWLINK, "{f:?}");
        assert!(ipr.try_recv().unwrap().is_none(), "{f:?}: the address came");

        // A second bound object of the same replay hears the same.
        let mut other = IpRoute::replay(&replay).unwrap();
        other.bind(Groups::ADDR).unwrap();
        replay.event(&newaddr(f, 2, [10, 1, 0, 9], 24));
        assert_eq!(kind(&next(&mut other)), RTM_NEWADDR, "{f:?}");

        let t = Instant::now();
        drop(ipr);
        drop(other);
        assert!(t.elapsed() < Duration::from_secs(2), "{f:?}");
    }
}

#[test]
fn a_loss_is_an_overrun_then_a_resync_dump_and_departures_are_found() {
    for f in Flavor::ALL {
        let replay = machine(f);
        let mut ipr = IpRoute::replay(&replay).unwrap();
        ipr.bind_with(&BindOptions::new(Groups::LINK | Groups::ADDR).resync(true))
            .unwrap();
        // em0 leaves while the routing socket overflows.
        replay.set_links(ifinfo(f, 1, "lo0", &[], 0x1 | 0x8 | 0x40, 24));
        replay.lose();
        let marker = next(&mut ipr);
        assert!(is_overrun(&marker), "{f:?}");
        // The resync dump: the links now, then the (no) addresses, DONE.
        let mut kinds = Vec::new();
        loop {
            let b = next(&mut ipr);
            kinds.push(kind(&b));
            if kinds.last() == Some(&NLMSG_DONE) {
                break;
            }
        }
        assert_eq!(kinds, [RTM_NEWLINK, NLMSG_DONE], "{f:?}");
        // The departure the loss hid, found by re-listing the interfaces.
        let b = next(&mut ipr);
        assert_eq!(kind(&b), RTM_DELLINK, "{f:?}");
        let m = &Message::parse_all(&b).next().unwrap().unwrap();
        let Fixed::Link(h) = &m.fixed else { panic!() };
        assert_eq!(h.index, 2, "{f:?}");
    }
}
