//! No snapshot, however odd, makes the translation or the emulator panic,
//! and every produced message survives the wire.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use rtnl_winsnap::*;
use rtnl_wire::emulate::emulate;
use rtnl_wire::netlink::{MessageWriter, NLM_F_DUMP, NLM_F_REQUEST};
use rtnl_wire::Message;

fn any_ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<u32>().prop_map(|v| IpAddr::V4(Ipv4Addr::from(v))),
        any::<u128>().prop_map(|v| IpAddr::V6(Ipv6Addr::from(v))),
        prop_oneof![
            Just("0.0.0.0"),
            Just("::"),
            Just("127.0.0.1"),
            Just("255.255.255.255"),
            Just("ff02::1"),
            Just("10.0.0.255")
        ]
        .prop_map(|s| s.parse().unwrap()),
    ]
}

fn small() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..12, any::<u32>()]
}

fn unicast() -> impl Strategy<Value = UnicastAddress> {
    (
        any_ip(),
        any::<u8>(),
        small(),
        small(),
        small(),
        any::<u32>(),
        any::<u32>(),
    )
        .prop_map(
            |(address, prefix_len, prefix_origin, suffix_origin, dad_state, v, p)| UnicastAddress {
                address,
                prefix_len,
                prefix_origin,
                suffix_origin,
                dad_state,
                valid_lifetime: v,
                preferred_lifetime: p,
            },
        )
}

fn adapter() -> impl Strategy<Value = Adapter> {
    (
        (
            0u32..6,
            0u32..6,
            any::<u64>(),
            ".{0,20}",
            ".{0,20}",
            ".{0,20}",
        ),
        (
            proptest::collection::vec(any::<u8>(), 0..9),
            any::<u32>(),
            prop_oneof![Just(6u32), Just(24), Just(23), Just(53), any::<u32>()],
            small(),
            any::<u32>(),
        ),
        proptest::collection::vec(unicast(), 0..4),
    )
        .prop_map(
            |(
                (if_index, ipv6_if_index, luid, an, fname, descr),
                (mac, mtu, if_type, oper_status, flags),
                unicast,
            )| Adapter {
                if_index,
                ipv6_if_index,
                luid,
                adapter_name: an,
                friendly_name: fname,
                description: descr,
                physical_address: mac,
                mtu,
                if_type,
                oper_status,
                flags,
                unicast,
            },
        )
}

fn route() -> impl Strategy<Value = Route> {
    (
        0u32..6,
        any_ip(),
        any::<u8>(),
        any_ip(),
        any::<u32>(),
        small(),
        small(),
    )
        .prop_map(
            |(if_index, destination, prefix_len, next_hop, metric, protocol, origin)| Route {
                if_index,
                luid: 0,
                destination,
                prefix_len,
                next_hop,
                metric,
                protocol,
                origin,
                valid_lifetime: u32::MAX,
                preferred_lifetime: u32::MAX,
            },
        )
}

fn neighbour() -> impl Strategy<Value = Neighbour> {
    (
        0u32..6,
        any_ip(),
        proptest::collection::vec(any::<u8>(), 0..33),
        small(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(if_index, address, physical_address, state, is_router, is_unreachable)| Neighbour {
                if_index,
                luid: 0,
                address,
                physical_address,
                state,
                is_router,
                is_unreachable,
            },
        )
}

fn snapshot() -> impl Strategy<Value = Snapshot> {
    (
        proptest::collection::vec(adapter(), 0..4),
        proptest::collection::vec(route(), 0..6),
        proptest::collection::vec(neighbour(), 0..6),
    )
        .prop_map(|(adapters, routes, neighbours)| Snapshot {
            adapters,
            routes,
            neighbours,
        })
}

proptest! {
    #[test]
    fn translation_never_panics_and_reencodes(s in snapshot(), kind in 0u32..5) {
        for m in s.to_rtnl() {
            let bytes = m.to_bytes();
            let again = Message::parse_all(&bytes).next().unwrap().unwrap();
            prop_assert_eq!(again.to_bytes(), bytes);
        }
        let nk = NotificationKind::from_raw(kind);
        for a in &s.adapters {
            let _ = notification(&s, Change::Link(a), nk);
            for u in &a.unicast {
                let _ = notification(&s, Change::Addr { if_index: a.index(), addr: u }, nk);
            }
        }
        for r in &s.routes {
            let _ = notification(&s, Change::Route(r), nk);
        }
        for n in &s.neighbours {
            let _ = notification(&s, Change::Neigh(n), nk);
        }
        // A callback's row read against a snapshot that may or may not
        // hold its object (the first adapter's rows against the others).
        let rest = Snapshot { adapters: s.adapters.iter().skip(1).cloned().collect(), ..s.clone() };
        for a in &s.adapters {
            let row = ChangedRow::Interface { if_index: a.index(), luid: a.luid };
            for now in [&s, &rest] {
                let _ = callback_message(now, &row, nk);
                for u in &a.unicast {
                    let row = ChangedRow::Addr { if_index: a.index(), addr: u.clone() };
                    let _ = callback_message(now, &row, nk);
                }
            }
        }
        for r in &s.routes {
            let _ = callback_message(&rest, &ChangedRow::Route(r.clone()), nk);
        }
        let rtnl = s.to_rtnl();
        for kind in [18u16, 22, 26, 30] {
            let mut w = MessageWriter::new();
            let m = w.begin_message(kind, NLM_F_REQUEST | NLM_F_DUMP, 1, 1);
            w.put_bytes(&[0u8; 16]);
            w.end_message(m);
            for d in emulate("windows", w.as_bytes(), &rtnl) {
                for m in Message::parse_all(&d) {
                    prop_assert!(m.is_ok());
                }
            }
        }
    }
}
