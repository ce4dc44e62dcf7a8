//! The dump emulator: arbitrary request bytes against the recorded
//! fixture snapshot. Every reply datagram frames and parses, and stays
//! within MAX_DATAGRAM unless it carries a single message.
#![no_main]
mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rtnl_wire::emulate::{emulate, MAX_DATAGRAM};
use rtnl_wire::Message;

static SNAP: OnceLock<Vec<Message>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let snap = SNAP.get_or_init(common::fixture_snapshot);
    for (i, platform) in ["freebsd", "windows"].into_iter().enumerate() {
        // The second run sees an empty snapshot.
        let snap: &[Message] = if i == 0 { snap } else { &[] };
        let out = emulate(platform, data, snap);
        for dgram in &out {
            let msgs: Vec<_> = Message::parse_all(dgram)
                .map(|m| m.expect("emulator reply parses"))
                .collect();
            assert!(!msgs.is_empty(), "empty datagram");
            assert!(dgram.len() <= MAX_DATAGRAM || msgs.len() == 1);
            for m in &msgs {
                common::check_roundtrip(m);
            }
        }
    }
});
