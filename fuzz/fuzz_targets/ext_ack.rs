//! NLMSG_ERROR / NLMSG_DONE payloads with extended-ack TLVs. The first two
//! bytes are the header flags, the rest the payload.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use rtnl_wire::netlink::{ErrorMsg, MessageWriter, NLMSG_DONE, NLMSG_ERROR};
use rtnl_wire::Message;

fuzz_target!(|data: &[u8]| {
    let Some((f, payload)) = data.split_first_chunk::<2>() else {
        return;
    };
    let flags = u16::from_ne_bytes(*f);
    for parsed in [
        ErrorMsg::parse(flags, payload),
        ErrorMsg::parse_done(flags, payload),
    ] {
        match parsed {
            Ok(e) => {
                let _ = e.errno();
                if let Some(text) = &e.message {
                    // Lossy UTF-8 may grow each byte to 3.
                    assert!(text.len() <= 3 * payload.len());
                }
            }
            Err(_) => assert!(payload.len() < 4),
        }
    }
    // The same payloads framed as messages go through the owned parse too.
    for kind in [NLMSG_ERROR, NLMSG_DONE] {
        let mut w = MessageWriter::new();
        let m = w.begin_message(kind, flags, 1, 0);
        w.put_bytes(payload);
        w.end_message_exact(m);
        for msg in Message::parse_all(w.as_bytes()) {
            if let Ok(msg) = msg {
                common::check_roundtrip(&msg);
            }
        }
    }
});
