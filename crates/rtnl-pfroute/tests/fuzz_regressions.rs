//! Inputs found by the fuzz targets in fuzz/ (see fuzz/RUNS.md), kept as
//! regression tests.

use rtnl_pfroute::{Flavor, Origin, Translator};
use rtnl_wire::{Message, Value};

/// Every translated message re-encodes and parses back to itself.
fn assert_roundtrips(m: &Message) {
    let again = Message::parse_all(&m.to_bytes()).next().unwrap().unwrap();
    let (mut a, mut b) = (m.clone(), again);
    a.header.len = 0;
    b.header.len = 0;
    assert_eq!(a, b);
}

/// A FreeBSD RTM_IFINFO whose `sockaddr_dl` name (`sdl_nlen` 0x25 bytes)
/// holds `em1\x02` and then NULs and more bytes. The name used to keep the
/// inner NULs, and an IFLA_IFNAME string with a NUL inside re-parses as raw
/// bytes. The name now ends at the first NUL, as for a C reader.
#[test]
fn sdl_name_with_inner_nul_ends_there() {
    let buf = include_bytes!("data/fuzz-sdl-name-nul.bin");
    let mut t = Translator::new(Flavor::FreeBsd);
    let events = t.translate_buffer(buf, Origin::Event);
    let snap = t.snapshot(buf);
    let msgs: Vec<&Message> = events
        .iter()
        .filter_map(|o| o.message())
        .chain(&snap)
        .collect();
    assert!(!msgs.is_empty());
    for m in &msgs {
        assert_roundtrips(m);
    }
    let names: Vec<&str> = msgs
        .iter()
        .filter_map(|m| m.get_attr("IFLA_IFNAME").and_then(Value::as_str))
        .collect();
    assert!(names.contains(&"em1\u{2}"), "{names:?}");
    assert!(names.iter().all(|n| !n.contains('\0')));
}
