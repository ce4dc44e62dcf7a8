//! Sockaddr corner cases (reference §3, §4, pitfalls 1–5, 13, 15).

mod fixture;

use fixture::*;
use rtnl_pfroute::{parse_message, Error, Flavor, Message, PrefixLen, Rtax, SockAddr};
use std::net::{Ipv4Addr, Ipv6Addr};

fn route(f: Flavor, bytes: &[u8]) -> rtnl_pfroute::RouteMessage {
    match parse_message(f, bytes) {
        Ok(Message::Route(r)) => r,
        other => panic!("{f:?}: {other:?}"),
    }
}

fn addr_msg(f: Flavor, bytes: &[u8]) -> rtnl_pfroute::AddressMessage {
    match parse_message(f, bytes) {
        Ok(Message::Address(a)) => a,
        other => panic!("{f:?}: {other:?}"),
    }
}

fn get(f: Flavor, addrs: u32) -> Rt {
    Rt {
        ty: rtm(f, "GET"),
        flags: 0x1,
        addrs,
        ..Rt::default()
    }
}

fn v4(a: [u8; 4]) -> SockAddr {
    SockAddr::Inet {
        addr: Ipv4Addr::from(a),
        port: 0,
    }
}

fn v6mask(prefix: u32) -> SockAddr {
    let bits = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    };
    SockAddr::Inet6 {
        addr: Ipv6Addr::from(bits),
        port: 0,
        flowinfo: 0,
        scope_id: 0,
    }
}

fn v6(s: &str) -> [u8; 16] {
    s.parse::<Ipv6Addr>().unwrap().octets()
}

#[test]
fn rounding_unit_per_flavor_after_odd_sockaddr() {
    // A 17-byte sockaddr_dl (NetBSD "wm0" + MAC) followed by an IPv4 address:
    // the second one starts at 24 on the 8-unit BSDs and at 20 on Darwin.
    for f in Flavor::ALL {
        let dl = sdl(1, 6, "wm0", &[1, 2, 3, 4, 5, 6], 0);
        assert_eq!(dl.len(), 17);
        let bytes = rt_msg(
            f,
            &get(f, RTA_GATEWAY | RTA_IFA),
            &[dl, sin([10, 1, 2, 3])],
            true,
        );
        assert_eq!(bytes.len(), rt_size(f) + roundup(f, 17) + 16);
        let r = route(f, &bytes);
        assert_eq!(r.addrs.ifa(), Some(&v4([10, 1, 2, 3])), "{f:?}");
        assert_eq!(f.sa_roundup(17), if f == Flavor::Darwin { 20 } else { 24 });
    }
}

#[test]
fn freebsd_ifa_sockaddrs_start_at_unaligned_20() {
    let f = Flavor::FreeBsd;
    let h = Ifa {
        ty: rtm(f, "NEWADDR"),
        addrs: RTA_NETMASK | RTA_IFA,
        ..Ifa::default()
    };
    let bytes = ifa_msg(f, &h, &[sin([255, 255, 0, 0]), sin([172, 16, 0, 1])], true);
    let a = addr_msg(f, &bytes);
    assert_eq!(a.address(), Some(&v4([172, 16, 0, 1])));
    assert_eq!(a.prefix_len().map(|p| p.len), Some(16));
}

#[test]
fn truncated_v4_masks() {
    // (mask bytes, expected mask): Darwin `06 02 00 00 ff ff`, golang/net
    // `07 ff ff ff ff ff ff 00` (family 0xff), FreeBSD-ish
    // `07 00 00 00 ff ff ff 00` (family 0), NetBSD sa_len 7 family 255, and a
    // 5-byte /8.
    let cases: &[(&[u8], [u8; 4], u8)] = &[
        (&[6, 2, 0, 0, 0xff, 0xff], [255, 255, 0, 0], 16),
        (
            &[7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            [255, 255, 255, 0],
            24,
        ),
        (&[7, 0, 0, 0, 0xff, 0xff, 0xff], [255, 255, 255, 0], 24),
        (&[7, 0xff, 0, 0, 0xff, 0xff, 0xf0], [255, 255, 240, 0], 20),
        (&[5, 0, 0, 0, 0xff], [255, 0, 0, 0], 8),
        // sa_len 4: nothing of the address is present: /0.
        (&[4, 0xff, 0xff, 0xff], [0, 0, 0, 0], 0),
        // Pitfall 5: the port bytes are 0xff and must not be read as mask.
        (
            &[8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0],
            [255, 255, 255, 0],
            24,
        ),
    ];
    for f in Flavor::ALL {
        for (mask, expect, plen) in cases {
            // DST, NETMASK, IFA with the mask in the middle: the IFA proves
            // the advance after the truncated mask was right.
            let sas = [sin([10, 0, 0, 0]), mask.to_vec(), sin([10, 0, 0, 1])];
            let bytes = rt_msg(f, &get(f, RTA_DST | RTA_NETMASK | RTA_IFA), &sas, true);
            let r = route(f, &bytes);
            assert_eq!(r.addrs.netmask(), Some(&v4(*expect)), "{f:?} {mask:02x?}");
            assert_eq!(r.prefix_len().map(|p| p.len), Some(*plen));
            assert_eq!(r.addrs.ifa(), Some(&v4([10, 0, 0, 1])), "{f:?} {mask:02x?}");
        }
    }
}

#[test]
fn truncated_v6_masks() {
    for f in Flavor::ALL {
        let fam = af_inet6(f);
        // Darwin `0e 1e 00 00 00 00 00 00 ff ff ff ff ff ff` -> /48, also with
        // family 0 and 0xff; and a 24-byte mask (no scope id) -> /128.
        let cases: Vec<(Vec<u8>, u32)> = vec![
            (
                vec![
                    0x0e, fam, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                ],
                48,
            ),
            (
                vec![
                    0x0e, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                ],
                48,
            ),
            (
                vec![
                    0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0xff,
                ],
                64,
            ),
            ([vec![24, 0xff], vec![0xff; 22]].concat(), 128),
            (vec![8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0),
        ];
        for (mask, plen) in cases {
            let dst = sin6(f, v6("2001:db8::"), 0);
            let sas = [dst, mask.clone(), sin6(f, v6("2001:db8::1"), 0)];
            let bytes = rt_msg(f, &get(f, RTA_DST | RTA_NETMASK | RTA_IFA), &sas, true);
            let r = route(f, &bytes);
            assert_eq!(r.addrs.netmask(), Some(&v6mask(plen)), "{f:?} {mask:02x?}");
            assert_eq!(r.prefix_len().map(|p| u32::from(p.len)), Some(plen));
            assert_eq!(
                r.addrs.ifa().and_then(|s| s.ip()),
                Some(Ipv6Addr::from(v6("2001:db8::1")).into())
            );
        }
    }
}

#[test]
fn mask_family_hint_comes_from_ifa_without_dst() {
    for f in Flavor::ALL {
        let h = Ifa {
            ty: rtm(f, "NEWADDR"),
            addrs: RTA_NETMASK | RTA_IFA,
            ..Ifa::default()
        };
        let mask = vec![
            0x0e, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        let bytes = ifa_msg(f, &h, &[mask, sin6(f, v6("2001:db8::5"), 0)], true);
        let a = addr_msg(f, &bytes);
        assert_eq!(a.addrs.netmask(), Some(&v6mask(48)), "{f:?}");
        assert_eq!(a.prefix_len().map(|p| p.len), Some(48));
    }
}

#[test]
fn mask_without_any_hint_is_kept_raw() {
    for f in Flavor::ALL {
        let mask = vec![6, 0xff, 0, 0, 0xff, 0xff];
        let bytes = rt_msg(f, &get(f, RTA_NETMASK), std::slice::from_ref(&mask), true);
        let r = route(f, &bytes);
        assert_eq!(
            r.addrs.netmask(),
            Some(&SockAddr::Other {
                family: 0xff,
                bytes: mask
            })
        );
        assert_eq!(r.prefix_len(), None);
    }
}

#[test]
fn zero_length_netmask_is_slash_zero_and_takes_one_unit() {
    for f in Flavor::ALL {
        // `00 1e 00 00`: len 0 with a stale family byte (golang/net fixture):
        // the family byte is ignored, the DST family decides.
        for v6dst in [false, true] {
            let dst = if v6dst {
                sin6(f, [0; 16], 0)
            } else {
                sin([0; 4])
            };
            let mut bytes = rt_msg(f, &get(f, RTA_DST | RTA_NETMASK | RTA_IFA), &[], true);
            bytes.extend_from_slice(&dst);
            bytes.resize(bytes.len() + roundup(f, dst.len()) - dst.len(), 0);
            // The zero-length mask occupies exactly one unit.
            let mut zero = vec![0u8; unit(f)];
            zero[1] = 0x1e;
            bytes.extend_from_slice(&zero);
            bytes.extend_from_slice(&sin([10, 0, 0, 9]));
            let bytes = finish(bytes, f, rtm(f, "GET"));
            let r = route(f, &bytes);
            let expect = if v6dst { v6mask(0) } else { v4([0; 4]) };
            assert_eq!(r.addrs.netmask(), Some(&expect), "{f:?}");
            assert_eq!(r.prefix_len().map(|p| p.len), Some(0));
            assert_eq!(r.addrs.ifa(), Some(&v4([10, 0, 0, 9])), "{f:?}");
        }
    }
}

#[test]
fn zero_length_non_mask_is_unspec_placeholder() {
    // NetBSD dumps show len-0 AF_UNSPEC placeholders in set slots.
    for f in Flavor::ALL {
        let mut bytes = rt_msg(
            f,
            &get(f, RTA_DST | RTA_IFA | RTA_BRD),
            &[sin([1, 1, 1, 1])],
            true,
        );
        bytes.resize(bytes.len() + unit(f), 0);
        bytes.extend_from_slice(&sin([2, 2, 2, 2]));
        let r = route(f, &finish(bytes, f, rtm(f, "GET")));
        assert_eq!(r.addrs.ifa(), Some(&SockAddr::Unspec), "{f:?}");
        assert_eq!(r.addrs.brd(), Some(&v4([2, 2, 2, 2])), "{f:?}");
    }
}

#[test]
fn zero_length_last_sockaddr_at_end_of_message() {
    // A len-0 sockaddr with fewer bytes left than one unit: clamp, no error.
    let f = Flavor::Darwin;
    let mut bytes = rt_msg(f, &get(f, RTA_DST | RTA_NETMASK), &[sin([0; 4])], true);
    bytes.push(0);
    let r = route(f, &finish(bytes, f, rtm(f, "GET")));
    assert_eq!(r.addrs.netmask(), Some(&v4([0; 4])));
}

#[test]
fn darwin_unpadded_last_sockaddr() {
    let f = Flavor::Darwin;
    // A 6-byte truncated mask as the very last bytes of the message.
    let sas = [
        sin([10, 0, 0, 0]),
        sin([10, 0, 0, 1]),
        vec![6, 2, 0, 0, 0xff, 0xff],
    ];
    let bytes = rt_msg(f, &get(f, RTA_DST | RTA_GATEWAY | RTA_NETMASK), &sas, false);
    assert_eq!(bytes.len(), 92 + 16 + 16 + 6);
    let r = route(f, &bytes);
    assert_eq!(r.addrs.netmask(), Some(&v4([255, 255, 0, 0])));
    assert!(!r.addrs.is_short());
    // And an 18-byte sockaddr_dl last (not a multiple of 4).
    let dl = sdl(7, 6, "utun4319", &[], 0);
    assert_eq!(dl.len(), 16);
    let dl = [dl, vec![0, 0]].concat();
    let mut dl = dl;
    dl[0] = 18;
    let bytes = rt_msg(f, &get(f, RTA_IFP), &[dl], false);
    let r = route(f, &bytes);
    let l = r.addrs.ifp().and_then(|s| s.link()).unwrap();
    assert_eq!((l.index, l.name.as_str()), (7, "utun4319"));
}

#[test]
fn bitmask_claims_more_than_present() {
    // Darwin IPv6 NEWADDR sets RTA_BRD but omits it (pitfall 13): the
    // present addresses are returned and `missing` names the absent bit.
    for f in Flavor::ALL {
        let h = Ifa {
            ty: rtm(f, "NEWADDR"),
            addrs: RTA_NETMASK | RTA_IFP | RTA_IFA | RTA_BRD,
            ..Ifa::default()
        };
        let sas = [
            sin6(f, v6("ffff:ffff:ffff:ffff::"), 0),
            sdl(4, 6, "en0", &[1, 2, 3, 4, 5, 6], 0),
            sin6(f, v6("2001:db8::2"), 0),
        ];
        let bytes = ifa_msg(f, &h, &sas, f != Flavor::Darwin);
        let a = addr_msg(f, &bytes);
        assert!(a.addrs.is_short(), "{f:?}");
        assert_eq!(a.addrs.missing(), RTA_BRD);
        assert_eq!(a.addrs.len(), 3);
        assert_eq!(a.addrs.brd(), None);
        assert_eq!(a.prefix_len().map(|p| p.len), Some(64));
    }
}

#[test]
fn sockaddr_overrunning_message_is_an_error() {
    for f in Flavor::ALL {
        let mut sa = sin([1, 2, 3, 4]);
        sa[0] = 40; // claims 40 bytes, 16 present
        let bytes = rt_msg(f, &get(f, RTA_DST), &[sa], false);
        assert_eq!(
            parse_message(f, &bytes),
            Err(Error::SockaddrOverrun {
                offset: rt_size(f),
                sa_len: 40,
                available: 16
            }),
            "{f:?}"
        );
    }
}

#[test]
fn sockaddr_dl_bounds() {
    for f in Flavor::ALL {
        // nlen claims more than sdl_len holds.
        let mut dl = sdl(1, 6, "em0", &[1, 2, 3, 4, 5, 6], 0);
        dl[5] = 30;
        let bytes = rt_msg(f, &get(f, RTA_IFP), &[dl], true);
        assert!(
            matches!(
                parse_message(f, &bytes),
                Err(Error::LinkDataOverrun {
                    nlen: 30,
                    alen: 6,
                    ..
                })
            ),
            "{f:?}"
        );
        // sdl shorter than its 8 fixed bytes.
        let bytes = rt_msg(f, &get(f, RTA_IFP), &[vec![6, AF_LINK, 1, 0, 6, 0]], true);
        assert!(matches!(
            parse_message(f, &bytes),
            Err(Error::BadSaLen { sa_len: 6, .. })
        ));
        // 0xff lengths mean "don't care" (= 0).
        let mut dl = sdl(3, 24, "", &[], 8);
        dl[5] = 0xff;
        dl[6] = 0xff;
        dl[7] = 0xff;
        let r = route(f, &rt_msg(f, &get(f, RTA_GATEWAY), &[dl], true));
        let l = r.addrs.gateway().and_then(|s| s.link()).unwrap();
        assert_eq!(
            (l.index, l.if_type, l.name.as_str(), l.lladdr.len()),
            (3, 24, "", 0)
        );
        // FreeBSD-sized (54+) sdl with a name longer than Darwin's sdl_data[12].
        let dl = sdl(9, 6, "bridge1234567890", &[1, 2, 3, 4, 5, 6], 56);
        let r = route(f, &rt_msg(f, &get(f, RTA_IFP), &[dl], true));
        let l = r.addrs.ifp().and_then(|s| s.link()).unwrap();
        assert_eq!(l.name, "bridge1234567890");
        assert_eq!(l.lladdr, vec![1, 2, 3, 4, 5, 6]);
    }
}

#[test]
fn link_gateway_of_interface_route() {
    // `link#N`: index only.
    for f in Flavor::ALL {
        let r = route(
            f,
            &rt_msg(
                f,
                &get(f, RTA_DST | RTA_GATEWAY),
                &[sin([192, 0, 2, 0]), sdl(5, 6, "", &[], 0)],
                true,
            ),
        );
        let l = r.addrs.gateway().and_then(|s| s.link()).unwrap();
        assert_eq!((l.index, l.name.as_str(), l.lladdr.len()), (5, "", 0));
    }
}

#[test]
fn kame_embedded_scope() {
    for f in Flavor::ALL {
        // fe80:4::1 with scope_id 0 -> fe80::1 %4.
        let dst = sin6(f, v6("fe80:4::1"), 0);
        // ff02:3::fb -> ff02::fb %3.
        let gw = sin6(f, v6("ff02:3::fb"), 0);
        // fe80::2 with sin6_scope_id 9 (FreeBSD's recovered form).
        let ifa = sin6(f, v6("fe80::2"), 9);
        // Not scoped: 2001:4:: keeps its bytes and takes no zone.
        let brd = sin6(f, v6("2001:4::1"), 0);
        let bytes = rt_msg(
            f,
            &get(f, RTA_DST | RTA_GATEWAY | RTA_IFA | RTA_BRD),
            &[dst, gw, ifa, brd],
            true,
        );
        let r = route(f, &bytes);
        let zone = |s: Option<&SockAddr>| match s {
            Some(SockAddr::Inet6 { addr, scope_id, .. }) => (*addr, *scope_id),
            other => panic!("{other:?}"),
        };
        assert_eq!(zone(r.addrs.dst()), (v6("fe80::1").into(), 4), "{f:?}");
        assert_eq!(zone(r.addrs.gateway()), (v6("ff02::fb").into(), 3), "{f:?}");
        assert_eq!(zone(r.addrs.ifa()), (v6("fe80::2").into(), 9), "{f:?}");
        assert_eq!(zone(r.addrs.brd()), (v6("2001:4::1").into(), 0), "{f:?}");
    }
}

#[test]
fn short_inet6_sockaddr_does_not_panic() {
    // golang/go#70528, #71557: AF_INET6 with sa_len 2 (and 0).
    for f in Flavor::ALL {
        let bytes = rt_msg(
            f,
            &get(f, RTA_DST | RTA_GATEWAY),
            &[vec![2, af_inet6(f)], sin([1, 2, 3, 4])],
            true,
        );
        let r = route(f, &bytes);
        assert_eq!(
            r.addrs.dst(),
            Some(&SockAddr::Inet6 {
                addr: Ipv6Addr::UNSPECIFIED,
                port: 0,
                flowinfo: 0,
                scope_id: 0
            })
        );
        assert_eq!(r.addrs.gateway(), Some(&v4([1, 2, 3, 4])));
    }
}

#[test]
fn port_and_flowinfo_are_network_order() {
    let f = Flavor::FreeBsd;
    let mut s6 = sin6(f, v6("2001:db8::1"), 0);
    s6[2..4].copy_from_slice(&443u16.to_be_bytes());
    s6[4..8].copy_from_slice(&0x12345u32.to_be_bytes());
    let r = route(
        f,
        &rt_msg(
            f,
            &get(f, RTA_DST | RTA_GATEWAY),
            &[sin_port([1, 1, 1, 1], 53), s6],
            true,
        ),
    );
    assert_eq!(
        r.addrs.dst(),
        Some(&SockAddr::Inet {
            addr: Ipv4Addr::new(1, 1, 1, 1),
            port: 53
        })
    );
    match r.addrs.gateway() {
        Some(SockAddr::Inet6 { port, flowinfo, .. }) => {
            assert_eq!((*port, *flowinfo), (443, 0x12345))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn openbsd_extra_slots() {
    let f = Flavor::OpenBsd;
    // DST, then RTA_SRC (0x100), RTA_SRCMASK (0x200, truncated, family 0),
    // RTA_LABEL (0x400, sockaddr_rtlabel, kept raw).
    let mut label = vec![0u8; 34];
    label[0] = 34;
    label[2..7].copy_from_slice(b"hello");
    let sas = [
        sin6(f, v6("2001:db8::"), 0),
        sin([10, 0, 0, 0]),
        vec![6, 0, 0, 0, 0xff, 0xff],
        label.clone(),
    ];
    let r = route(
        f,
        &rt_msg(f, &get(f, RTA_DST | 0x100 | 0x200 | 0x400), &sas, true),
    );
    assert_eq!(r.addrs.get(Rtax::Src), Some(&v4([10, 0, 0, 0])));
    // SRCMASK takes its family from SRC, not from the IPv6 DST.
    assert_eq!(r.addrs.get(Rtax::SrcMask), Some(&v4([255, 255, 0, 0])));
    assert_eq!(
        r.addrs.get(Rtax::Label),
        Some(&SockAddr::Other {
            family: 0,
            bytes: label
        })
    );
    // Bit 8 is not TAG on OpenBSD.
    assert_eq!(r.addrs.get(Rtax::Tag), None);
}

#[test]
fn bits_beyond_the_flavors_slots_are_ignored() {
    // FreeBSD has 8 slots: bit 8 set, with trailing bytes, decodes nothing
    // more and is not reported missing.
    let f = Flavor::FreeBsd;
    let r = route(
        f,
        &rt_msg(
            f,
            &get(f, RTA_DST | 0x100),
            &[sin([1, 2, 3, 4]), sin([5, 6, 7, 8])],
            true,
        ),
    );
    assert_eq!(r.addrs.len(), 1);
    assert!(!r.addrs.is_short());
    assert_eq!(r.addrs.bitmask(), RTA_DST | 0x100);
}

#[test]
fn prefix_len_via_sockaddr() {
    assert_eq!(
        v4([255, 255, 0, 255]).prefix_len(),
        Some(PrefixLen {
            len: 16,
            contiguous: false
        })
    );
    assert_eq!(SockAddr::Unspec.prefix_len(), None);
    assert_eq!(
        rtnl_pfroute::prefix_len(&[0xff, 0xff, 0xff, 0xfc]),
        PrefixLen {
            len: 30,
            contiguous: true
        }
    );
}

#[test]
fn unknown_family_is_other() {
    for f in Flavor::ALL {
        let sa = vec![8, 99, 1, 2, 3, 4, 5, 6];
        let r = route(
            f,
            &rt_msg(f, &get(f, RTA_DST), std::slice::from_ref(&sa), true),
        );
        assert_eq!(
            r.addrs.dst(),
            Some(&SockAddr::Other {
                family: 99,
                bytes: sa
            })
        );
    }
}

#[test]
fn every_genmask_and_author_slot() {
    for f in Flavor::ALL {
        let all = RTA_DST
            | RTA_GATEWAY
            | RTA_NETMASK
            | RTA_GENMASK
            | RTA_IFP
            | RTA_IFA
            | RTA_AUTHOR
            | RTA_BRD;
        let sas = [
            sin([10, 0, 0, 0]),
            sin([10, 0, 0, 1]),
            vec![7, 0, 0, 0, 255, 255, 255],
            vec![6, 0xff, 0, 0, 255, 255],
            sdl(1, 6, "em0", &[1, 2, 3, 4, 5, 6], 0),
            sin([10, 0, 0, 2]),
            sin([10, 0, 0, 3]),
            sin([10, 0, 0, 255]),
        ];
        let r = route(f, &rt_msg(f, &get(f, all), &sas, true));
        assert_eq!(r.addrs.len(), 8);
        assert_eq!(r.addrs.genmask(), Some(&v4([255, 255, 0, 0])));
        assert_eq!(r.addrs.author(), Some(&v4([10, 0, 0, 3])));
        assert_eq!(r.addrs.brd(), Some(&v4([10, 0, 0, 255])));
        let order: Vec<Rtax> = r.addrs.iter().map(|(slot, _)| *slot).collect();
        assert_eq!(&order[..], &f.rtax_slots()[..8]);
    }
}
