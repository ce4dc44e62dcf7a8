//! `rtnl route show`'s two renderers against each other. The fast path
//! (crates/rtnl-cli/src/route/fast.rs) reads routes straight from the
//! receive buffer and must either print exactly what the generic path
//! (owned `Message`) prints, or decline the route; it must never take a
//! route the generic decoder rejects.
//!
//! Input: one mode byte (output form and listing style), then netlink
//! messages. RTM_NEWLINK messages among them fill the link-name cache, as
//! the CLI's link dump does; every message goes through both renderers.
#![no_main]
#![allow(dead_code, unused_imports, unused_macros)]

include!(concat!(env!("OUT_DIR"), "/cli_mods.rs"));

use libfuzzer_sys::fuzz_target;
use rtnl_wire::netlink::Messages;
use rtnl_wire::rtm::RTM_NEWLINK;
use rtnl_wire::Message;

use names::LinkCache;
use out::Streamer;
use route::RouteStyle;

/// `(json, pretty)`: compact JSON, pretty JSON, text.
const FORMS: [(bool, bool); 3] = [(true, false), (true, true), (false, false)];

fn style(n: u8) -> RouteStyle {
    match n % 4 {
        0 => RouteStyle {
            table: None,
            details: false,
            one_dev: false,
            one_proto: false,
            ..Default::default()
        },
        1 => RouteStyle {
            table: None,
            details: true,
            one_dev: false,
            one_proto: false,
            ..Default::default()
        },
        2 => RouteStyle {
            table: Some(254),
            details: false,
            one_dev: true,
            one_proto: true,
            ..Default::default()
        },
        _ => RouteStyle {
            table: Some(254),
            details: true,
            one_dev: false,
            one_proto: true,
            ..Default::default()
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let (json, pretty) = FORMS[usize::from(mode & 3) % 3];
    let style = style(mode >> 2);
    let mut select = route::Select::default();
    select.oif = (mode & 0x80 != 0).then_some(2);

    let msgs: Vec<_> = Messages::new(bytes).map_while(Result::ok).collect();
    let links: Vec<Message> = msgs
        .iter()
        .filter(|m| m.header.kind == RTM_NEWLINK)
        .filter_map(|m| Message::parse(m).ok())
        .collect();
    let links = LinkCache::from_links(&links);

    let mut fast = Streamer::with_writer(Vec::new(), json, pretty);
    let mut generic = Streamer::with_writer(Vec::new(), json, pretty);
    for m in &msgs {
        let a = route::show_one(&mut fast, m, &links, style, &select, true);
        let b = route::show_one(&mut generic, m, &links, style, &select, false);
        match (&a, &b) {
            (Ok(()), Ok(())) => {}
            (Err(x), Err(y)) => {
                assert_eq!(x.msg, y.msg, "the paths fail differently");
                break;
            }
            _ => panic!(
                "one path failed: fast {:?}, generic {:?}",
                a.err().map(|e| e.msg),
                b.err().map(|e| e.msg)
            ),
        }
    }
    let fast = fast.finish().expect("write to a Vec");
    let generic = generic.finish().expect("write to a Vec");
    if fast != generic {
        panic!(
            "fast and generic output differ:\nfast:    {}\ngeneric: {}",
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&generic)
        );
    }
    if json {
        // The listing is one JSON document.
        serde_json::from_slice::<serde_json::Value>(&fast).expect("valid JSON");
    }
});
