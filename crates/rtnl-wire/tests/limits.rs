//! Declared lengths never drive allocation or loops beyond the bytes
//! present (issue 8, part 2): a message claiming 4 GiB, an attribute
//! claiming more than its parent, nesting thousands deep, and RTA_MULTIPATH
//! with rtnh_len 0 or huge each give a clear error (or, inside a nest, the
//! payload kept verbatim as `Value::Raw`), in bounded time and memory.
//!
//! Memory is measured with a counting allocator that counts only the
//! allocations of the thread being measured: the test harness runs tests on
//! several threads at once, and their buffers (and the harness's own output
//! capture) would otherwise land in another test's peak. That shared count
//! once failed CI with a 9840-byte "peak" for a decode that needs a few
//! hundred bytes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

use rtnl_wire::attr::{decode_all, MAX_DEPTH};
use rtnl_wire::family::link::{IfInfoMsg, LinkView, IFLA_IFNAME, IFLA_LINKINFO};
use rtnl_wire::family::route::{RouteView, RtMsg, ROUTE, RTA_MULTIPATH, RTA_OIF};
use rtnl_wire::netlink::{ErrorMsg, MessageWriter, Messages, NLM_F_ACK_TLVS};
use rtnl_wire::nla::{NlaIter, NLA_F_NESTED};
use rtnl_wire::rtm::{RTM_NEWLINK, RTM_NEWROUTE};
use rtnl_wire::view::FixedHeader;
use rtnl_wire::{DecodeError, Message, Value};

struct Counting;

thread_local! {
    // Const-initialised `Cell`s of plain integers: no lazy initialisation
    // and no destructor, so touching them from inside the allocator cannot
    // itself allocate. Signed, because this thread may free memory that
    // was allocated before the measurement began.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn grew(by: usize) {
    let now = LIVE.get() + by as isize;
    LIVE.set(now);
    PEAK.set(PEAK.get().max(now));
}

fn shrank(by: usize) {
    LIVE.set(LIVE.get() - by as isize);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        shrank(l.size());
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            grew(new - l.size());
        } else {
            shrank(l.size() - new);
        }
        System.realloc(p, l, new)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f`, asserting it takes under a second and that its allocations
/// (on this thread) peak below `max_bytes` above what was live before.
fn bounded<T>(max_bytes: usize, f: impl FnOnce() -> T) -> T {
    let base = LIVE.get();
    PEAK.set(base);
    let t = Instant::now();
    let out = f();
    let took = t.elapsed();
    let peak = (PEAK.get() - base).max(0) as usize;
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert!(
        peak <= max_bytes,
        "allocated {peak} bytes, limit {max_bytes}"
    );
    out
}

fn link_msg(body: impl FnOnce(&mut MessageWriter)) -> Vec<u8> {
    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_NEWLINK, 0, 1, 0);
    let mut hdr = Vec::new();
    IfInfoMsg::default().emit(&mut hdr);
    w.put_bytes(&hdr);
    body(&mut w);
    w.end_message(m);
    w.into_vec()
}

fn route_msg(body: impl FnOnce(&mut MessageWriter)) -> Vec<u8> {
    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_NEWROUTE, 0, 1, 0);
    let mut hdr = Vec::new();
    RtMsg::default().emit(&mut hdr);
    w.put_bytes(&hdr);
    body(&mut w);
    w.end_message(m);
    w.into_vec()
}

#[test]
fn message_claiming_4_gib_is_one_error() {
    let mut buf = link_msg(|w| w.put_str(IFLA_IFNAME, "lo"));
    buf[..4].copy_from_slice(&u32::MAX.to_ne_bytes());
    let items: Vec<_> = bounded(4096, || Messages::new(&buf).collect());
    assert_eq!(items.len(), 1);
    let err = items[0].as_ref().unwrap_err();
    assert_eq!(
        *err,
        DecodeError::LengthPastEnd {
            offset: 0,
            len: u32::MAX,
            available: buf.len()
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "netlink message at offset 0 claims length 4294967295 but only {} bytes remain",
            buf.len()
        )
    );
    let owned: Vec<_> = bounded(4096, || Message::parse_all(&buf).collect());
    assert!(matches!(
        owned[..],
        [Err(DecodeError::LengthPastEnd { .. })]
    ));
    // The same after a good message: the first parses, then one error.
    let mut two = link_msg(|w| w.put_str(IFLA_IFNAME, "lo"));
    let first = two.len();
    two.extend_from_slice(&buf);
    let items: Vec<_> = bounded(16384, || Message::parse_all(&two).collect());
    assert!(items[0].is_ok());
    assert!(matches!(
        items[1..],
        [Err(DecodeError::LengthPastEnd { offset, len: u32::MAX, .. })] if offset == first
    ));
}

#[test]
fn error_message_echo_claiming_4_gib_is_bounded() {
    // NLMSG_ERROR whose echoed request header claims u32::MAX bytes: the
    // ext-ack TLVs are then looked for past the end, and not found.
    let mut payload = (-22i32).to_ne_bytes().to_vec();
    payload.extend_from_slice(&u32::MAX.to_ne_bytes());
    payload.extend_from_slice(&[0; 12]);
    payload.extend_from_slice(&[8, 0, 1, 0, b'x', 0, 0, 0]);
    let e = bounded(4096, || ErrorMsg::parse(NLM_F_ACK_TLVS, &payload)).unwrap();
    assert_eq!(e.code, -22);
    assert_eq!(e.message, None);
}

#[test]
fn attribute_claiming_more_than_its_parent() {
    // Top level: an attribute claiming 0xffff bytes in a short message is
    // an error naming its offset.
    let mut buf = link_msg(|w| w.put_str(IFLA_IFNAME, "eth0"));
    let at = 16 + IfInfoMsg::LEN;
    buf[at..at + 2].copy_from_slice(&0xffffu16.to_ne_bytes());
    let r = bounded(4096, || Message::parse_all(&buf).next().unwrap());
    let err = r.unwrap_err();
    assert_eq!(
        err,
        DecodeError::BadAttribute {
            offset: 0,
            reason: "length runs past the end of its container"
        }
    );
    assert_eq!(
        err.to_string(),
        "attribute at offset 0 is malformed: length runs past the end of its container"
    );
    // Views see the same error and stop.
    let view = LinkView::parse(&buf[16..]).unwrap();
    let items: Vec<_> = view.attrs().collect();
    assert!(matches!(
        items[..],
        [Err(DecodeError::BadAttribute { offset: 0, .. })]
    ));
    assert_eq!(view.name(), None);

    // Inside a nest: the child claims more than the nest holds. The nest
    // is kept verbatim (so the message still re-encodes exactly), and
    // walking it by hand gives the error.
    let buf = link_msg(|w| {
        let n = w.begin_nested(IFLA_LINKINFO | NLA_F_NESTED);
        w.put_bytes(&[0xff, 0xff, 1, 0, b'v', b'e', b't', b'h']);
        w.end_nested(n);
    });
    let m = bounded(4096, || Message::parse_all(&buf).next().unwrap()).unwrap();
    let raw = m.get_attr("IFLA_LINKINFO").unwrap();
    assert!(matches!(raw, Value::Raw(b) if b.len() == 8), "{raw:?}");
    assert_eq!(m.to_bytes(), buf);
    let view = LinkView::parse(&buf[16..]).unwrap();
    let inner: Vec<_> = view.attr(IFLA_LINKINFO).unwrap().nested().nested_items();
    assert!(matches!(
        inner[..],
        [Err(DecodeError::BadAttribute { offset: 0, .. })]
    ));
}

/// Collects a nested iterator (a helper so the test reads left to right).
trait NestedItems<'a> {
    fn nested_items(self) -> Vec<Result<rtnl_wire::nla::Nla<'a>, DecodeError>>;
}
impl<'a> NestedItems<'a> for NlaIter<'a> {
    fn nested_items(self) -> Vec<Result<rtnl_wire::nla::Nla<'a>, DecodeError>> {
        self.collect()
    }
}

/// `depth` attributes of type `kind`, each the only child of the previous.
fn deep(w: &mut MessageWriter, kind: u16, depth: usize) {
    let marks: Vec<_> = (0..depth).map(|_| w.begin_nested(kind)).collect();
    for m in marks.into_iter().rev() {
        w.end_nested(m);
    }
}

#[test]
fn nesting_thousands_deep() {
    // 16000 levels: as deep as a u16 length allows. The link tables end
    // after a few levels, so the rest is one raw payload; nothing recurses
    // per level.
    let buf = link_msg(|w| deep(w, IFLA_LINKINFO | NLA_F_NESTED, 16000));
    assert!(buf.len() > 64_000);
    let m = bounded(4 * buf.len(), || Message::parse_all(&buf).next().unwrap()).unwrap();
    assert_eq!(m.to_bytes(), buf);

    // Through the one self-recursive table (a route's RTA_MULTIPATH hops
    // carry route attributes, RTA_MULTIPATH included): an error at
    // MAX_DEPTH levels, not a stack overflow.
    let mut area = MessageWriter::new();
    let levels = 3000;
    let mut marks = Vec::new();
    for _ in 0..levels {
        let mp = area.begin_nested(RTA_MULTIPATH);
        let hop_at = area.as_bytes().len();
        area.put_bytes(&[0; 8]); // struct rtnexthop, length patched below
        marks.push((mp, hop_at));
    }
    let mut bytes = area.into_vec();
    // Close from the inside out: each hop's length runs to the end of the
    // bytes after it, each RTA_MULTIPATH's likewise.
    for &(_, hop_at) in marks.iter().rev() {
        let len = (bytes.len() - hop_at) as u16;
        bytes[hop_at..hop_at + 2].copy_from_slice(&len.to_ne_bytes());
        let nla_at = hop_at - 4;
        let len = (bytes.len() - nla_at) as u16;
        bytes[nla_at..nla_at + 2].copy_from_slice(&len.to_ne_bytes());
    }
    assert!(bytes.len() > 30_000);
    let r = bounded(1 << 20, || decode_all(&ROUTE, &bytes));
    assert_eq!(r, Err(DecodeError::TooDeep(MAX_DEPTH)));
    assert_eq!(
        DecodeError::TooDeep(MAX_DEPTH).to_string(),
        "attributes nested deeper than 32 levels"
    );
    // Views never recurse on their own.
    let buf = route_msg(|w| w.put_bytes(&bytes));
    let v = RouteView::parse(&buf[16..]).unwrap();
    assert!(bounded(4096, || v.attr(RTA_MULTIPATH)).is_some());
}

#[test]
fn multipath_with_lying_rtnh_len() {
    let hop = |len: u16, rest: &[u8]| {
        let mut b = len.to_ne_bytes().to_vec();
        b.extend_from_slice(&[0, 0, 2, 0, 0, 0]);
        b.extend_from_slice(rest);
        b
    };
    let oif = [8u8, 0, RTA_OIF as u8, 0, 3, 0, 0, 0];
    for payload in [
        hop(0, &[]),                                // rtnh_len 0
        hop(0, &oif),                               // 0, with bytes after
        hop(4, &[]),                                // shorter than rtnexthop
        hop(0xffff, &oif),                          // past the end
        hop(17, &oif),                              // not a multiple of 4
        [hop(16, &oif), hop(0xfff0, &[])].concat(), // second hop lies
    ] {
        let buf = route_msg(|w| w.put_attr(RTA_MULTIPATH, &payload));
        let m = bounded(4096, || Message::parse_all(&buf).next().unwrap()).unwrap();
        assert_eq!(
            m.get_attr("RTA_MULTIPATH"),
            Some(&Value::Raw(payload.clone())),
            "{payload:?}"
        );
        assert_eq!(m.to_bytes(), buf);
    }
    // Many minimal hops (rtnh_len 8, no attributes): one per 8 bytes, no more.
    let payload: Vec<u8> = (0..8000).flat_map(|_| hop(8, &[])).collect();
    let buf = route_msg(|w| w.put_attr(RTA_MULTIPATH, &payload));
    let m = bounded(64 * 8000, || Message::parse_all(&buf).next().unwrap()).unwrap();
    match m.get_attr("RTA_MULTIPATH") {
        Some(Value::Multipath(hops)) => assert_eq!(hops.len(), 8000),
        other => panic!("{other:?}"),
    }
    assert_eq!(m.to_bytes(), buf);
}
