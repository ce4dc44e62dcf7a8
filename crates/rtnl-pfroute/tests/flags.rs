//! Flag and type translation tables (reference §5), and per-flavour numbers.

mod fixture;

use rtnl_pfroute::flags::{iff_to_linux, ift_to_arphrd, linux_link_flags, lower_up, operstate};
use rtnl_pfroute::linux::*;
use rtnl_pfroute::{Flavor, LinkState, MsgType, RtFlag, RtFlags};

#[test]
fn iff_common_bits_and_multicast() {
    // BSD UP|BROADCAST|RUNNING|SIMPLEX|MULTICAST (the usual 0x8843).
    for f in Flavor::ALL {
        assert_eq!(
            iff_to_linux(f, 0x8843),
            IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST,
            "{f:?}"
        );
        // Bits 0x1..=0x200 except 0x20 keep their value.
        for bit in [0x1, 0x2, 0x4, 0x8, 0x10, 0x40, 0x80, 0x100, 0x200] {
            assert_eq!(iff_to_linux(f, bit), bit, "{f:?} {bit:#x}");
        }
        // OACTIVE, SIMPLEX, LINK0..2 must never leak into MASTER/SLAVE/
        // MULTICAST/PORTSEL/AUTOMEDIA.
        assert_eq!(
            iff_to_linux(f, 0x400 | 0x800 | 0x1000 | 0x2000 | 0x4000),
            0,
            "{f:?}"
        );
        // FreeBSD's extra high bits have no Linux meaning.
        assert_eq!(iff_to_linux(f, 0x00ff_0000), 0, "{f:?}");
    }
    // 0x20 is NOTRAILERS only on NetBSD and Darwin.
    assert_eq!(iff_to_linux(Flavor::NetBsd, 0x20), IFF_NOTRAILERS);
    assert_eq!(iff_to_linux(Flavor::Darwin, 0x20), IFF_NOTRAILERS);
    assert_eq!(iff_to_linux(Flavor::FreeBsd, 0x20), 0);
    assert_eq!(iff_to_linux(Flavor::OpenBsd, 0x20), 0);
}

#[test]
fn link_state_tables() {
    for f in [Flavor::FreeBsd, Flavor::NetBsd] {
        assert_eq!(f.link_state(0), LinkState::Unknown);
        assert_eq!(f.link_state(1), LinkState::Down);
        assert_eq!(f.link_state(2), LinkState::Up);
        assert_eq!(f.link_state(3), LinkState::Unknown);
    }
    let o = Flavor::OpenBsd;
    assert_eq!(o.link_state(0), LinkState::Unknown);
    assert_eq!(o.link_state(1), LinkState::Unknown); // INVALID
    assert_eq!(o.link_state(2), LinkState::Down);
    assert_eq!(o.link_state(3), LinkState::Down); // KALIVE_DOWN
    for s in [4, 5, 6, 7] {
        assert_eq!(o.link_state(s), LinkState::Up); // LINK_STATE_IS_UP: >= 4
    }
}

#[test]
fn operstate_and_lower_up() {
    let up_running = 0x1 | 0x40;
    // FreeBSD/NetBSD 2 = up, OpenBSD 4 = up.
    assert_eq!(operstate(Flavor::FreeBsd, up_running, Some(2)), IF_OPER_UP);
    assert_eq!(operstate(Flavor::NetBsd, up_running, Some(1)), IF_OPER_DOWN);
    assert_eq!(operstate(Flavor::OpenBsd, up_running, Some(4)), IF_OPER_UP);
    // The same raw value means different things per flavour.
    assert_eq!(
        operstate(Flavor::OpenBsd, up_running, Some(2)),
        IF_OPER_DOWN
    );
    assert_eq!(operstate(Flavor::FreeBsd, up_running, Some(2)), IF_OPER_UP);
    assert_eq!(
        operstate(Flavor::FreeBsd, up_running, Some(0)),
        IF_OPER_UNKNOWN
    );
    // Admin down wins.
    assert_eq!(operstate(Flavor::FreeBsd, 0x40, Some(2)), IF_OPER_DOWN);
    // Darwin: no link state; RUNNING decides.
    assert_eq!(operstate(Flavor::Darwin, up_running, None), IF_OPER_UP);
    assert_eq!(operstate(Flavor::Darwin, 0x1, None), IF_OPER_DOWN);

    assert!(lower_up(Flavor::OpenBsd, 0, Some(6)));
    assert!(!lower_up(Flavor::OpenBsd, 0x40, Some(2)));
    // Unknown falls back to RUNNING.
    assert!(lower_up(Flavor::FreeBsd, 0x40, Some(0)));
    assert!(!lower_up(Flavor::FreeBsd, 0, Some(0)));

    assert_eq!(
        linux_link_flags(Flavor::FreeBsd, up_running, Some(2)),
        IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    // No LOWER_UP while administratively down.
    assert_eq!(
        linux_link_flags(Flavor::FreeBsd, 0x40, Some(2)),
        IFF_RUNNING
    );
    assert_eq!(linux_link_flags(Flavor::FreeBsd, 0x1, Some(1)), IFF_UP);
}

#[test]
fn ift_to_arphrd_table() {
    for f in Flavor::ALL {
        assert_eq!(ift_to_arphrd(f, 6), ARPHRD_ETHER);
        assert_eq!(ift_to_arphrd(f, 24), ARPHRD_LOOPBACK);
        assert_eq!(ift_to_arphrd(f, 23), ARPHRD_PPP);
        assert_eq!(ift_to_arphrd(f, 71), ARPHRD_IEEE80211);
        assert_eq!(ift_to_arphrd(f, 131), ARPHRD_TUNNEL);
        assert_eq!(ift_to_arphrd(f, 135), ARPHRD_ETHER);
        assert_eq!(ift_to_arphrd(f, 209), ARPHRD_ETHER);
        assert_eq!(ift_to_arphrd(f, 1), ARPHRD_NONE);
        assert_eq!(ift_to_arphrd(f, 250), ARPHRD_NONE);
    }
    assert_eq!(ift_to_arphrd(Flavor::Darwin, 0x37), ARPHRD_TUNNEL);
    assert_eq!(ift_to_arphrd(Flavor::FreeBsd, 0xf0), ARPHRD_TUNNEL);
}

#[test]
fn rtf_names_per_flavor() {
    // LOCAL / BROADCAST / MULTICAST move around (§5.1).
    let local = |f: Flavor| f.rtf_bit(RtFlag::Local);
    assert_eq!(local(Flavor::FreeBsd), Some(0x200000));
    assert_eq!(local(Flavor::OpenBsd), Some(0x200000));
    assert_eq!(local(Flavor::NetBsd), Some(0x40000));
    assert_eq!(local(Flavor::Darwin), Some(0x200000));
    assert_eq!(Flavor::NetBsd.rtf_bit(RtFlag::Broadcast), Some(0x80000));
    assert_eq!(Flavor::OpenBsd.rtf_bit(RtFlag::Multicast), Some(0x200));
    assert_eq!(Flavor::NetBsd.rtf_bit(RtFlag::Multicast), None);
    assert_eq!(Flavor::FreeBsd.rtf_bit(RtFlag::Multicast), Some(0x800000));

    for f in Flavor::ALL {
        for (flag, bit) in [
            (RtFlag::Up, 0x1),
            (RtFlag::Gateway, 0x2),
            (RtFlag::Host, 0x4),
            (RtFlag::Reject, 0x8),
            (RtFlag::Dynamic, 0x10),
            (RtFlag::Modified, 0x20),
            (RtFlag::Done, 0x40),
            (RtFlag::LlInfo, 0x400),
            (RtFlag::Static, 0x800),
            (RtFlag::Blackhole, 0x1000),
            (RtFlag::Proto2, 0x4000),
            (RtFlag::Proto1, 0x8000),
        ] {
            assert_eq!(f.rtf_bit(flag), Some(bit), "{f:?} {flag:?}");
        }
    }

    // 0x40000 is LOCAL on NetBSD, PROTO3 on FreeBSD/Darwin, MPATH on OpenBSD.
    let names = |f: Flavor| RtFlags::new(f, 0x40000).iter().collect::<Vec<_>>();
    assert_eq!(names(Flavor::NetBsd), vec![RtFlag::Local]);
    assert_eq!(names(Flavor::FreeBsd), vec![RtFlag::Proto3]);
    assert_eq!(names(Flavor::Darwin), vec![RtFlag::Proto3]);
    assert_eq!(names(Flavor::OpenBsd), vec![RtFlag::Mpath]);

    // OpenBSD 0x4000 is both PROTO2 and ANNOUNCE.
    let o = RtFlags::new(Flavor::OpenBsd, 0x4000);
    assert!(o.contains(RtFlag::Proto2) && o.contains(RtFlag::Announce));
    assert_eq!(o.to_string(), "PROTO2,ANNOUNCE");

    // Unnamed bits are kept and shown.
    let u = RtFlags::new(Flavor::FreeBsd, 0x1 | 0x80);
    assert_eq!(u.unknown_bits(), 0x80);
    assert_eq!(u.to_string(), "UP,0x80");
    assert!(!u.contains(RtFlag::IfScope));
}

#[test]
fn per_flavor_numbers_match_the_reference() {
    use Flavor::*;
    let expect = [
        (FreeBsd, 5, 8, 28, 17),
        (OpenBsd, 5, 8, 24, 17),
        (NetBsd, 4, 8, 24, 34),
        (Darwin, 5, 4, 30, 17),
    ];
    for (f, ver, unit, af6, afroute) in expect {
        assert_eq!(f.rtm_version(), ver);
        assert_eq!(f.sa_align(), unit);
        assert_eq!(f.af_inet6(), af6);
        assert_eq!(f.af_link(), 18);
        assert_eq!(f.af_route(), afroute);
    }
    assert_eq!(FreeBsd.rtax_slots().len(), 8);
    assert_eq!(Darwin.rtax_slots().len(), 8);
    assert_eq!(NetBsd.rtax_slots().len(), 9);
    assert_eq!(OpenBsd.rtax_slots().len(), 15);

    for (f, ty, n) in [
        (FreeBsd, MsgType::IfAnnounce, 0x11),
        (OpenBsd, MsgType::IfAnnounce, 0xf),
        (NetBsd, MsgType::IfAnnounce, 0x10),
        (NetBsd, MsgType::IfInfo, 0x14),
        (NetBsd, MsgType::NewAddr, 0x16),
        (NetBsd, MsgType::DelAddr, 0x17),
        (NetBsd, MsgType::ChgAddr, 0x18),
        (OpenBsd, MsgType::Desync, 0x10),
        (Darwin, MsgType::IfInfo2, 0x12),
        (Darwin, MsgType::NewMaddr2, 0x13),
        (Darwin, MsgType::Get2, 0x14),
        (FreeBsd, MsgType::NewMaddr, 0xf),
        (FreeBsd, MsgType::DelMaddr, 0x10),
    ] {
        assert_eq!(f.msg_type_number(ty), Some(n), "{f:?} {ty:?}");
        assert_eq!(f.msg_type(n), Some(ty), "{f:?} {n:#x}");
    }
}
