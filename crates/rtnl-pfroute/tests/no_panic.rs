//! Property tests: any bytes give values, errors or skips; never a panic, and
//! framing always ends.

mod fixture;

use fixture::*;
use proptest::prelude::*;
use rtnl_pfroute::{emulate, parse_message, parse_messages, Flavor, Messages, Origin, Translator};

fn flavor() -> impl Strategy<Value = Flavor> {
    prop::sample::select(Flavor::ALL.to_vec())
}

/// Exercises every entry point on `buf` and checks framing terminates.
fn exercise(f: Flavor, buf: &[u8]) {
    let _ = parse_message(f, buf);
    // Each framed message is >= 4 bytes, so at most len/4 + 1 items (one
    // trailing error) can come out.
    let n = Messages::new(f, buf).take(buf.len() + 2).count();
    assert!(n <= buf.len() / 4 + 1);
    let mut total = 0;
    for m in parse_messages(f, buf).take(buf.len() + 2) {
        total += 1;
        if let Ok(m) = m {
            if let Some(a) = m.addrs() {
                for (_, sa) in a.iter() {
                    let _ = sa.prefix_len();
                }
            }
            if let rtnl_pfroute::Message::Interface(i) = &m {
                let _ = (i.linux_flags(), i.operstate(), i.arphrd());
            }
            if let rtnl_pfroute::Message::Route(r) = &m {
                let _ = (r.prefix_len(), r.flags.to_string());
            }
        }
    }
    assert!(total <= buf.len() / 4 + 1);
    translate(f, buf);
}

/// Parse + translate in both origins; every produced RTNL message must
/// re-parse, and a dump answered from the snapshot must frame.
fn translate(f: Flavor, buf: &[u8]) {
    let mut t = Translator::new(f);
    let events = t.translate_buffer(buf, Origin::Event);
    assert!(events.len() <= buf.len() / 4 + 1);
    let snap = t.snapshot(buf);
    for m in events.iter().filter_map(|o| o.message()).chain(&snap) {
        let bytes = m.to_bytes();
        for r in rtnl_wire::Message::parse_all(&bytes) {
            r.unwrap();
        }
    }
    let _ = t.reconcile_links(&[]);
    let mut req = rtnl_wire::netlink::MessageWriter::new();
    for ty in [18u16, 22, 26, 30] {
        let m = req.begin_message(ty, 0x301, 1, 2);
        req.put_bytes(&[0; 16]);
        req.end_message(m);
    }
    for d in emulate(f, req.as_bytes(), &snap) {
        assert!(d.len() <= rtnl_wire::emulate::MAX_DATAGRAM);
        for r in rtnl_wire::Message::parse_all(&d) {
            r.unwrap();
        }
    }
}

/// A valid message of some type for `f`, to mutate.
fn seed(f: Flavor, which: u8) -> Vec<u8> {
    let sas = [
        sin([10, 0, 0, 0]),
        sin6(f, [0xfe, 0x80, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0),
        vec![6, 0xff, 0, 0, 0xff, 0xff],
        sdl(1, 6, "em0", &[1, 2, 3, 4, 5, 6], 0),
    ];
    match (which % 5, f) {
        (0, _) => rt_msg(
            f,
            &Rt {
                ty: 1,
                addrs: 0x1 | 0x2 | 0x4 | 0x10,
                ..Rt::default()
            },
            &sas,
            f != Flavor::Darwin,
        ),
        (1, _) => if_msg(
            f,
            &If {
                addrs: 0x10,
                ..If::default()
            },
            &sas[3..],
            true,
        ),
        (2, _) => ifa_msg(
            f,
            &Ifa {
                ty: rtm(f, "NEWADDR"),
                addrs: 0x4 | 0x10 | 0x20 | 0x80,
                ..Ifa::default()
            },
            &[sas[2].clone(), sas[3].clone(), sas[1].clone()],
            false,
        ),
        (3, Flavor::Darwin) => darwin_if2_msg(&If::default(), [0; 4], &[]),
        (3, _) => announce_msg(f, 1, "em0", 0),
        (_, Flavor::FreeBsd | Flavor::Darwin) => {
            ifma_msg(f, rtm(f, "NEWMADDR"), 1, 0x20, None, &sas[..1], false)
        }
        (_, _) => rt_msg(
            f,
            &Rt {
                ty: 4,
                ..Rt::default()
            },
            &[],
            true,
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(f in flavor(), buf in prop::collection::vec(any::<u8>(), 0..600)) {
        exercise(f, &buf);
    }

    /// Arbitrary request bytes never make the emulator panic.
    #[test]
    fn arbitrary_requests_never_panic(f in flavor(), req in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = emulate(f, &req, &[]);
    }

    /// Requests with a sound netlink header and an arbitrary body.
    #[test]
    fn arbitrary_request_bodies_never_panic(
        f in flavor(),
        kind in 0u16..100,
        flags in any::<u16>(),
        body in prop::collection::vec(any::<u8>(), 0..120),
    ) {
        let mut w = rtnl_wire::netlink::MessageWriter::new();
        let m = w.begin_message(kind, flags, 1, 2);
        w.put_bytes(&body);
        w.end_message(m);
        for d in emulate(f, w.as_bytes(), &[]) {
            for r in rtnl_wire::Message::parse_all(&d) {
                r.unwrap();
            }
        }
    }

    /// Arbitrary bytes behind a plausible common header, so the type
    /// parsers (not just framing) see garbage.
    #[test]
    fn arbitrary_bodies_never_panic(
        f in flavor(),
        ty in 0u8..0x20,
        body in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let mut buf = vec![0u8, 0, f.rtm_version(), ty];
        buf.extend_from_slice(&body);
        let len = buf.len() as u16;
        buf[..2].copy_from_slice(&len.to_le_bytes());
        exercise(f, &buf);
    }

    /// Valid messages with random bytes overwritten (lengths, bitmasks,
    /// sa_len, nlen/alen...).
    #[test]
    fn mutated_messages_never_panic(
        f in flavor(),
        which in any::<u8>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut buf = seed(f, which);
        for (i, v) in &edits {
            let at = i.index(buf.len());
            buf[at] = *v;
        }
        exercise(f, &buf);
        let end = cut.index(buf.len() + 1);
        exercise(f, &buf[..end]);
        // Many copies back to back, as a dump.
        let many = buf.repeat(3);
        exercise(f, &many);
    }

    /// A valid header with random bitmask and random sockaddr bytes.
    #[test]
    fn random_sockaddr_lists_never_panic(
        f in flavor(),
        addrs in any::<u32>(),
        sas in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut buf = rt_msg(f, &Rt { ty: 4, addrs, ..Rt::default() }, &[], true);
        buf.extend_from_slice(&sas);
        let ty = buf[3];
        let buf = finish(buf, f, ty);
        exercise(f, &buf);
    }
}
