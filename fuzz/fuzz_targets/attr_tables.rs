//! attr::decode_all over every attribute table: the first byte picks the
//! table, the rest is the attribute area. What decodes re-encodes, and the
//! encoding decodes to the same attributes.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use rtnl_wire::attr::{decode_all, emit_all, Table};
use rtnl_wire::family::{addr, link, neigh, route, rule};
use rtnl_wire::netlink::MessageWriter;
use rtnl_wire::value::attrs_json;

fn tables() -> [&'static Table; 16] {
    [
        &link::LINK,
        &link::XDP,
        &link::prop::PROP_LIST,
        &link::af_spec::AF_SPEC,
        &link::af_spec::INET,
        &link::af_spec::INET6,
        &link::LINKINFO,
        &link::VETH,
        &link::MACVLAN,
        &link::VXLAN,
        &link::BRIDGE,
        &link::BRIDGE_PORT,
        &addr::ADDR,
        &neigh::NEIGH,
        &route::ROUTE,
        &rule::RULE,
    ]
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, area)) = data.split_first() else {
        return;
    };
    let all = tables();
    let extra: [&'static Table; 1] = [&route::METRICS];
    let table = all
        .iter()
        .chain(&extra)
        .nth(pick as usize % 17)
        .copied()
        .unwrap();
    let Ok(attrs) = decode_all(table, area) else {
        return;
    };
    let mut w = MessageWriter::new();
    emit_all(&attrs, &mut w);
    let bytes = w.into_vec();
    let again = decode_all(table, &bytes).expect("re-encoded attributes decode");
    assert_eq!(attrs, again, "re-decode differs");
    let mut w2 = MessageWriter::new();
    emit_all(&again, &mut w2);
    assert_eq!(w2.as_bytes(), &bytes[..]);
    // When the area is exactly tiled with zero padding, the bytes come back.
    let _ = attrs_json(&attrs).to_string();
    for a in &attrs {
        let _ = format!("{:?}", a.value);
    }
});
