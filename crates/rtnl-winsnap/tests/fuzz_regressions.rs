//! Inputs found by the fuzz targets in fuzz/ (see fuzz/RUNS.md), kept as
//! regression tests.

use rtnl_winsnap::{Adapter, Snapshot, UnicastAddress};
use rtnl_wire::{Message, Value};

fn assert_roundtrips(m: &Message) {
    let again = Message::parse_all(&m.to_bytes()).next().unwrap().unwrap();
    let (mut a, mut b) = (m.clone(), again);
    a.header.len = 0;
    b.header.len = 0;
    assert_eq!(a, b);
}

/// Adapter strings holding a NUL (the fuzzer's description was fifteen
/// NULs) became RTNL strings with a NUL inside, which re-parse as raw
/// bytes. Windows strings end at their first NUL; so do the attributes now.
#[test]
fn strings_with_nul_end_there() {
    let snap = Snapshot {
        adapters: vec![Adapter {
            if_index: 3,
            friendly_name: "Ether\0net".into(),
            description: "\0".repeat(15),
            adapter_name: "{GUID}\0junk".into(),
            mtu: 1500,
            if_type: 6,
            oper_status: 1,
            unicast: vec![UnicastAddress {
                address: "10.0.0.1".parse().unwrap(),
                prefix_len: 24,
                prefix_origin: 0,
                suffix_origin: 0,
                dad_state: 4,
                valid_lifetime: u32::MAX,
                preferred_lifetime: u32::MAX,
            }],
            ..Adapter::default()
        }],
        ..Snapshot::default()
    };
    let msgs = snap.to_rtnl();
    for m in &msgs {
        assert_roundtrips(m);
    }
    assert_eq!(
        msgs[0].get_attr("IFLA_IFNAME").and_then(Value::as_str),
        Some("Ether")
    );
    assert_eq!(msgs[0].get_attr("IFLA_IFALIAS"), None);
    assert_eq!(
        msgs[0]
            .get_nested(&["IFLA_PROP_LIST", "IFLA_ALT_IFNAME"])
            .and_then(Value::as_str),
        Some("{GUID}")
    );
    assert_eq!(
        msgs[1].get_attr("IFA_LABEL").and_then(Value::as_str),
        Some("Ether")
    );
}
