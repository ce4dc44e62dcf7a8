//! Netlink framing, owned parse, and re-encode identity: every message that
//! parses re-encodes, and the encoding parses back to the same message.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use rtnl_wire::netlink::{Messages, NLMSG_HDRLEN};
use rtnl_wire::Message;

fuzz_target!(|data: &[u8]| {
    let mut framed = 0;
    for m in Messages::new(data) {
        framed += 1;
        assert!(
            framed <= data.len() / NLMSG_HDRLEN + 1,
            "framing did not end"
        );
        let Ok(m) = m else { break };
        assert_eq!(m.bytes.len(), m.header.len as usize);
        let _ = m.error();
        let _ = (m.header.is_multi(), m.header.is_dump_interrupted());
        if let Ok(msg) = Message::parse(&m) {
            common::check_roundtrip(&msg);
            let _ = (msg.family(), msg.type_name(), msg.table());
            for a in &msg.attrs {
                let _ = a.display_name();
                if let Some(n) = a.name() {
                    let _ = msg.get_attrs(n).count();
                    let _ = msg.get_nested(&[n, "IFLA_INFO_KIND"]);
                }
            }
        }
    }
    // parse_all agrees with framing + parse.
    let n = Message::parse_all(data).count();
    assert_eq!(n, framed);
});
