//! rtnl-pfroute: the first byte picks the flavour; the rest is a routing
//! socket read or sysctl dump. Parse every message, translate in both
//! origins, and check that what translates is valid RTNL.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use rtnl_pfroute::{parse_messages, Flavor, Messages, Origin, Translator};
use rtnl_wire::netlink::MessageWriter;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, buf)) = data.split_first() else {
        return;
    };
    let f = Flavor::ALL[pick as usize % Flavor::ALL.len()];
    let mut n = 0;
    let mut framer = Messages::new(f, buf);
    for v in framer.by_ref() {
        n += 1;
        assert!(n <= buf.len() / 4 + 1, "framing did not end");
        let Ok(v) = v else { break };
        let _ = (
            v.bytes(),
            v.offset(),
            v.msglen(),
            v.version(),
            v.raw_type(),
            v.msg_type(),
        );
        let _ = v.parse();
    }
    let _ = (framer.skipped(), framer.position());
    for m in parse_messages(f, buf).take(buf.len() + 2).flatten() {
        let _ = format!("{m:?}");
        if let Some(a) = m.addrs() {
            for (_, sa) in a.iter() {
                let _ = sa.prefix_len();
            }
        }
    }
    let mut t = Translator::new(f);
    let events = t.translate_buffer(buf, Origin::Event);
    let snap = t.snapshot(buf);
    for m in events.iter().filter_map(|o| o.message()).chain(&snap) {
        common::check_roundtrip(m);
    }
    let _ = t.reconcile_links(&[]);
    let mut req = MessageWriter::new();
    for ty in [18u16, 22, 26, 30] {
        let m = req.begin_message(ty, 0x301, 1, 2);
        req.put_bytes(&[0; 16]);
        req.end_message(m);
    }
    for dgram in rtnl_pfroute::emulate(f, req.as_bytes(), &snap) {
        for m in rtnl_wire::Message::parse_all(&dgram) {
            m.expect("emulated reply parses");
        }
    }
});
