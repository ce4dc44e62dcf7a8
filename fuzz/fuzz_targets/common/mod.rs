//! Checks shared by the targets.
#![allow(dead_code)]

use rtnl_wire::nla::NlaIter;
use rtnl_wire::Message;

/// A parsed message re-encodes, and the encoding parses back to the same
/// message (`nlmsg_len` aside: it is recomputed) and encodes to the same bytes.
pub fn check_roundtrip(m: &Message) {
    let bytes = m.to_bytes();
    let mut again: Vec<_> = Message::parse_all(&bytes).collect();
    assert_eq!(again.len(), 1, "re-encoding gave {} messages", again.len());
    let again = again
        .pop()
        .unwrap()
        .unwrap_or_else(|e| panic!("re-encoded message does not parse: {e}\n{m:?}"));
    let (mut a, mut b) = (m.clone(), again.clone());
    a.header.len = 0;
    b.header.len = 0;
    assert_eq!(a, b, "re-parse differs");
    assert_eq!(again.to_bytes(), bytes, "second encoding differs");
    // Formatting never panics.
    let _ = format!("{m:?}");
    let _ = m.to_json().to_string();
}

/// Walks every attribute as if it were nested, to `depth` levels, checking
/// that iteration ends within the bytes present.
pub fn walk(buf: &[u8], depth: usize) {
    let mut n = 0;
    for a in NlaIter::new(buf) {
        n += 1;
        assert!(n <= buf.len() / 4 + 1, "attribute iteration did not end");
        let Ok(a) = a else { break };
        let _ = (a.kind(), a.raw_kind(), a.flag_bits(), a.u8(), a.u16());
        let _ = (a.u32(), a.u64(), a.str(), a.ip());
        if depth > 0 {
            walk(a.payload(), depth - 1);
        }
    }
}

/// The recorded dumps (crates/rtnl-wire/tests/fixtures), parsed.
pub fn fixture_snapshot() -> Vec<Message> {
    let mut out = Vec::new();
    for buf in [
        &include_bytes!("../../../crates/rtnl-wire/tests/fixtures/links.bin")[..],
        include_bytes!("../../../crates/rtnl-wire/tests/fixtures/addrs.bin"),
        include_bytes!("../../../crates/rtnl-wire/tests/fixtures/routes4.bin"),
        include_bytes!("../../../crates/rtnl-wire/tests/fixtures/routes6.bin"),
        include_bytes!("../../../crates/rtnl-wire/tests/fixtures/neigh.bin"),
    ] {
        out.extend(
            Message::parse_all(buf)
                .filter_map(Result::ok)
                .filter(|m| m.family().is_some()),
        );
    }
    out
}
