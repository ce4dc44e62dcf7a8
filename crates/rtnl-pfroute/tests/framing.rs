//! Framing a buffer of many messages (sysctl dump, socket read).

mod fixture;

use fixture::*;
use rtnl_pfroute::{parse_message, parse_messages, Error, Flavor, Message, Messages, MsgType};

fn dump(f: Flavor) -> (Vec<u8>, usize) {
    // IFINFO + NEWADDR + GET, FreeBSD/OpenBSD-sysctl style: each message
    // padded to a multiple of 8 inside its msglen.
    let mut buf = Vec::new();
    let ifm = if_msg(
        f,
        &If {
            index: 1,
            addrs: RTA_IFP,
            flags: 0x1,
            ..If::default()
        },
        &[sdl(1, 24, "lo0", &[], 0)],
        true,
    );
    let mut ifa = ifa_msg(
        f,
        &Ifa {
            ty: rtm(f, "NEWADDR"),
            index: 1,
            addrs: RTA_IFA,
            ..Ifa::default()
        },
        &[sin([127, 0, 0, 1])],
        true,
    );
    ifa.resize(ifa.len().next_multiple_of(8), 0);
    let ifa = finish(ifa, f, rtm(f, "NEWADDR"));
    let rt = rt_msg(
        f,
        &Rt {
            ty: rtm(f, "GET"),
            addrs: RTA_DST | RTA_GATEWAY,
            flags: 0x1 | 0x4,
            ..Rt::default()
        },
        &[sin([127, 0, 0, 1]), sdl(1, 24, "", &[], 0)],
        true,
    );
    for m in [&ifm, &ifa, &rt] {
        buf.extend_from_slice(m);
    }
    (buf, 3)
}

#[test]
fn frames_and_parses_a_dump_every_flavor() {
    for f in Flavor::ALL {
        let (buf, n) = dump(f);
        let msgs: Vec<Message> = parse_messages(f, &buf)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{f:?}: {e}"));
        assert_eq!(msgs.len(), n);
        assert!(matches!(msgs[0], Message::Interface(_)));
        assert!(matches!(msgs[1], Message::Address(_)));
        assert!(matches!(&msgs[2], Message::Route(r) if r.msg_type == MsgType::Get));
        let views: Vec<_> = Messages::new(f, &buf).map(Result::unwrap).collect();
        assert_eq!(views[0].offset(), 0);
        assert_eq!(views[1].offset(), views[0].msglen());
        assert_eq!(views[2].msg_type(), Some(MsgType::Get));
        assert_eq!(views[2].version(), version(f));
        assert_eq!(views.iter().map(|v| v.msglen()).sum::<usize>(), buf.len());
    }
}

#[test]
fn foreign_versions_are_skipped_and_counted() {
    for f in Flavor::ALL {
        let (mut buf, n) = dump(f);
        let mut alien = rt_msg(
            f,
            &Rt {
                ty: 1,
                ..Rt::default()
            },
            &[],
            true,
        );
        alien[2] = version(f) + 1;
        buf.splice(0..0, alien.iter().copied());
        buf.extend_from_slice(&alien);
        let mut it = Messages::new(f, &buf);
        let got = it.by_ref().map(Result::unwrap).count();
        assert_eq!(got, n);
        assert_eq!(it.skipped(), 2);
        assert_eq!(it.position(), buf.len());
        // parse_message says why instead of skipping.
        assert!(matches!(
            parse_message(f, &alien),
            Err(Error::BadVersion { expected, .. }) if expected == version(f)
        ));
    }
}

#[test]
fn msglen_zero_stops_with_an_error() {
    for f in Flavor::ALL {
        let (mut buf, n) = dump(f);
        let at = buf.len();
        buf.extend_from_slice(&[0, 0, version(f), 1, 0, 0, 0, 0]);
        let (buf2, _) = dump(f);
        buf.extend_from_slice(&buf2);
        let items: Vec<_> = Messages::new(f, &buf).collect();
        assert_eq!(items.len(), n + 1);
        assert_eq!(
            items[n],
            Err(Error::MsgLenTooSmall {
                offset: at,
                msglen: 0,
                min: 4
            })
        );
    }
}

#[test]
fn msglen_below_common_header() {
    for f in Flavor::ALL {
        for len in 1..4u8 {
            let buf = [len, 0, version(f), 1, 0, 0];
            let items: Vec<_> = Messages::new(f, &buf).collect();
            assert_eq!(items.len(), 1);
            assert!(matches!(items[0], Err(Error::MsgLenTooSmall { .. })));
        }
    }
}

#[test]
fn msglen_past_buffer() {
    for f in Flavor::ALL {
        let (buf, n) = dump(f);
        let cut = &buf[..buf.len() - 3];
        let items: Vec<_> = Messages::new(f, cut).collect();
        assert_eq!(items.len(), n);
        assert!(matches!(
            items[n - 1],
            Err(Error::MsgLenPastBuffer { available, .. }) if available + 3 == items_len_last(&buf, f)
        ));
        // parse_message on the cut last message says the same.
        let last_off = Messages::new(f, &buf)
            .map(Result::unwrap)
            .last()
            .unwrap()
            .offset();
        assert!(matches!(
            parse_message(f, &cut[last_off..]),
            Err(Error::MsgLenPastBuffer { offset: 0, .. })
        ));
    }
}

fn items_len_last(buf: &[u8], f: Flavor) -> usize {
    Messages::new(f, buf)
        .map(Result::unwrap)
        .last()
        .unwrap()
        .msglen()
}

#[test]
fn trailing_bytes_shorter_than_a_header() {
    for f in Flavor::ALL {
        let (mut buf, n) = dump(f);
        let at = buf.len();
        buf.extend_from_slice(&[0, 0]);
        let items: Vec<_> = Messages::new(f, &buf).collect();
        assert_eq!(items.len(), n + 1);
        assert_eq!(
            items[n],
            Err(Error::TruncatedHeader {
                offset: at,
                needed: 4,
                available: 2
            })
        );
    }
}

#[test]
fn empty_buffer_yields_nothing() {
    for f in Flavor::ALL {
        assert_eq!(Messages::new(f, &[]).count(), 0);
    }
}

#[test]
fn a_bad_message_does_not_stop_the_next() {
    for f in Flavor::ALL {
        let (good, n) = dump(f);
        // A route message too short for its header, but framed correctly.
        let bad = finish(vec![0u8; 16], f, rtm(f, "ADD"));
        let mut buf = bad.clone();
        buf.extend_from_slice(&good);
        let items: Vec<_> = parse_messages(f, &buf).collect();
        assert_eq!(items.len(), n + 1);
        assert!(matches!(
            items[0],
            Err(Error::MsgLenTooSmall {
                offset: 0,
                msglen: 16,
                ..
            })
        ));
        assert!(items[1..].iter().all(Result::is_ok));
    }
}

#[test]
fn error_offsets_count_from_the_buffer_start() {
    for f in Flavor::ALL {
        let (mut buf, _) = dump(f);
        let at = buf.len();
        let mut sa = sin([1, 2, 3, 4]);
        sa[0] = 200;
        buf.extend_from_slice(&rt_msg(
            f,
            &Rt {
                ty: 1,
                addrs: RTA_DST,
                ..Rt::default()
            },
            &[sa],
            false,
        ));
        let last = parse_messages(f, &buf).last().unwrap();
        assert_eq!(
            last,
            Err(Error::SockaddrOverrun {
                offset: at + rt_size(f),
                sa_len: 200,
                available: 16
            })
        );
    }
}

#[test]
fn errors_display_what_and_where() {
    let e = Error::MsgLenPastBuffer {
        offset: 8,
        msglen: 300,
        available: 20,
    };
    assert_eq!(
        e.to_string(),
        "msglen 300 at offset 8 runs past the buffer (20 bytes left)"
    );
    fn send_sync<T: Send + Sync + std::error::Error>(_: T) {}
    send_sync(e);
}
