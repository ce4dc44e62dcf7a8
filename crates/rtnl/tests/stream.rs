//! Streaming a large table through zero-copy views, and stopping a dump
//! early without upsetting the next request on the same socket.

mod common;

use std::fmt::Write as _;
use std::net::IpAddr;

use common::*;
use rtnl::wire::family::route::RtMsg;
use rtnl::{IpRoute, LinkFilter, RouteFilter};

const N: usize = 20_000;

/// A namespace with `N` routes `10.a.b.0/24 dev v0 table 100`.
fn big_table(test: &str) -> Option<(Netns, u32)> {
    let ns = Netns::new(test)?;
    ns.batch(
        "link add v0 type veth peer name v1
link set v0 up
link set v1 up
route add 192.168.77.0/24 dev v0
",
    );
    let mut cmds = String::with_capacity(N * 48);
    for i in 0..N {
        writeln!(
            cmds,
            "route add 10.{}.{}.0/24 dev v0 table 100",
            i >> 8,
            i & 255
        )
        .unwrap();
    }
    ns.batch(&cmds);
    let v0 = ns.index("v0");
    Some((ns, v0))
}

/// The route number encoded in a destination `10.a.b.0/24`.
fn route_no(dst: Option<IpAddr>, dst_len: u8) -> usize {
    match dst {
        Some(IpAddr::V4(a)) if dst_len == 24 => {
            let o = a.octets();
            assert_eq!((o[0], o[3]), (10, 0), "unexpected dst {a}");
            ((o[1] as usize) << 8) | o[2] as usize
        }
        other => panic!("unexpected dst {other:?}/{dst_len}"),
    }
}

fn table100() -> RouteFilter {
    RouteFilter {
        table: Some(100),
        ..Default::default()
    }
}

/// Streams table 100 and checks every route; returns how many were seen.
fn stream_all(ipr: &mut IpRoute, v0: u32) -> usize {
    let filter = table100();
    let mut seen = vec![false; N];
    let mut n = 0;
    let mut dump = ipr.stream(&filter).unwrap();
    while let Some(r) = dump.next_view::<RtMsg>() {
        let r = r.unwrap();
        assert_eq!(r.hdr.family, AF_INET);
        assert_eq!(r.table(), 100);
        assert_eq!(r.oif(), Some(v0));
        let i = route_no(r.dst(), r.hdr.dst_len);
        assert!(i < N, "route {i} out of range");
        assert!(!seen[i], "route {i} seen twice");
        seen[i] = true;
        n += 1;
    }
    assert!(!dump.interrupted());
    drop(dump);
    assert!(seen.iter().all(|&s| s), "some routes missing");
    n
}

#[test]
fn stream_20k_routes_through_views() {
    let Some((ns, v0)) = big_table("stream_20k_routes_through_views") else {
        return;
    };
    let mut ipr = ns.open();
    assert_eq!(stream_all(&mut ipr, v0), N);
    // Twice on the same socket: nothing is left over from the first pass.
    assert_eq!(stream_all(&mut ipr, v0), N);

    // for_each sees the same count.
    let filter = table100();
    let mut n = 0;
    ipr.stream(&filter)
        .unwrap()
        .for_each(|m| {
            assert!(m.bytes.len() >= 16);
            n += 1;
        })
        .unwrap();
    assert_eq!(n, N);

    // The collecting getter agrees.
    assert_eq!(ipr.get_routes(&filter).unwrap().len(), N);
}

#[test]
fn dropping_a_dump_early_keeps_the_socket_in_step() {
    let Some((ns, v0)) = big_table("dropping_a_dump_early_keeps_the_socket_in_step") else {
        return;
    };
    let mut ipr = ns.open();
    let filter = table100();

    for stop_after in [0usize, 1, 10, 500, N - 1] {
        {
            let mut dump = ipr.stream(&filter).unwrap();
            for _ in 0..stop_after {
                let r = dump.next_view::<RtMsg>().expect("more routes").unwrap();
                assert_eq!(r.oif(), Some(v0));
            }
            // Dropped here with (most of) the dump unread.
        }
        // The next requests on the same IpRoute answer correctly.
        assert_eq!(
            ipr.link_lookup("v0").unwrap(),
            Some(v0),
            "after {stop_after}"
        );
        let main = ipr
            .get_routes(&RouteFilter {
                family: AF_INET,
                table: Some(254),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(main.len(), 1, "main table after {stop_after}: {main:?}");
        let links = ipr.get_links(&LinkFilter::default()).unwrap();
        assert_eq!(links.len(), 3, "links after {stop_after}");
        assert_eq!(stream_all(&mut ipr, v0), N, "after {stop_after}");
    }
}
