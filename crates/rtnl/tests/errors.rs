//! Kernel errors: errno, the extended-ack text and a Display naming the
//! operation; EPERM says CAP_NET_ADMIN is needed.

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::process::Command;

use common::*;
use rtnl::wire::family::route::RtMsg;
use rtnl::wire::message::{Fixed, Message};
use rtnl::wire::netlink::{NLM_F_CREATE, NLM_F_EXCL};
use rtnl::wire::rtm::RTM_NEWROUTE;
use rtnl::wire::Value;
use rtnl::{Error, IpRoute, KernelError, LinkFilter};

/// An RTM_NEWROUTE for `10.9.9.0/24` in the main table with extra attributes.
fn new_route(attrs: &[(&str, Value)]) -> Message {
    let mut m = Message::new(
        RTM_NEWROUTE,
        NLM_F_CREATE | NLM_F_EXCL,
        Fixed::Route(RtMsg {
            family: AF_INET,
            dst_len: 24,
            table: 254,
            protocol: 4,
            scope: 0,
            kind: 1,
            ..Default::default()
        }),
    );
    assert!(m.push_attr("RTA_DST", Value::Ip(IpAddr::V4(Ipv4Addr::new(10, 9, 9, 0)))));
    for (name, value) in attrs {
        assert!(m.push_attr(name, value.clone()), "{name}");
    }
    m
}

fn kernel_error(ipr: &mut IpRoute, msg: &mut Message, op: &str) -> KernelError {
    match ipr.request(msg, op) {
        Err(Error::Kernel(k)) => k,
        other => panic!("{op}: expected a kernel error, got {other:?}"),
    }
}

/// Checks that Display has the op, the errno name and text, and the
/// kernel's message.
fn check_display(k: &KernelError, name: &str) {
    let shown = Error::Kernel(k.clone()).to_string();
    assert!(shown.contains(&k.op), "{shown}");
    assert!(shown.contains(name), "{shown}");
    assert!(
        shown.contains(rtnl::errno::text(k.errno).unwrap()),
        "{shown}"
    );
    if let Some(text) = &k.message {
        assert!(shown.contains(text.as_str()), "{shown}");
    }
    assert_eq!(Error::Kernel(k.clone()).errno(), Some(k.errno));
}

#[test]
fn rejected_requests_carry_errno_and_extended_ack() {
    let Some(ns) = Netns::new("rejected_requests_carry_errno_and_extended_ack") else {
        return;
    };
    ns.batch(
        "link add v0 type veth peer name v1
link set v0 up
link set v1 up
addr add 10.1.0.1/24 dev v0
",
    );
    let v0 = ns.index("v0");
    let mut ipr = ns.open();

    // RTA_OIF of a link that does not exist (Linux sends no text for this
    // one).
    let k = kernel_error(
        &mut ipr,
        &mut new_route(&[("RTA_OIF", Value::U32(9999))]),
        "add route 10.9.9.0/24 dev #9999",
    );
    eprintln!("missing oif: {k}");
    assert_eq!(k.errno, 19, "{k}");
    check_display(&k, "ENODEV");

    // An IPv6 address given as RTA_GATEWAY of an IPv4 route: the kernel
    // reads its first four bytes and finds no such neighbour.
    let k = kernel_error(
        &mut ipr,
        &mut new_route(&[
            ("RTA_OIF", Value::U32(v0)),
            (
                "RTA_GATEWAY",
                Value::Ip(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))),
            ),
        ]),
        "add route 10.9.9.0/24 via 2001:db8::1",
    );
    eprintln!("gateway of the wrong family: {k}");
    assert_eq!(k.errno, 101, "{k}");
    assert!(
        k.message.as_deref().unwrap_or_default().contains("gateway"),
        "no extended ack text: {k:?}"
    );
    check_display(&k, "ENETUNREACH");

    // A gateway that is not reachable through the link.
    let k = kernel_error(
        &mut ipr,
        &mut new_route(&[
            ("RTA_OIF", Value::U32(v0)),
            (
                "RTA_GATEWAY",
                Value::Ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))),
            ),
        ]),
        "add route 10.9.9.0/24 via 192.0.2.1",
    );
    eprintln!("unreachable gateway: {k}");
    assert_eq!(k.errno, 101, "{k}");
    assert!(k.message.is_some(), "no extended ack text: {k:?}");
    check_display(&k, "ENETUNREACH");

    // An attribute of the wrong size: the policy check names it by offset.
    let k = kernel_error(
        &mut ipr,
        &mut new_route(&[
            ("RTA_OIF", Value::U32(v0)),
            ("RTA_PRIORITY", Value::Raw(vec![1, 2])),
        ]),
        "add route 10.9.9.0/24 metric ?",
    );
    eprintln!("short RTA_PRIORITY: {k}");
    assert_eq!(k.errno, 34, "{k}");
    assert!(
        k.message.as_deref().unwrap_or_default().contains("policy"),
        "no extended ack text: {k:?}"
    );
    // netlink header 16 + rtmsg 12 + RTA_DST 8 + RTA_OIF 8.
    assert_eq!(k.offset, Some(44), "{k:?}");
    check_display(&k, "ERANGE");

    // The same route twice: EEXIST (no text from the kernel here is fine).
    let mut ok = new_route(&[("RTA_OIF", Value::U32(v0))]);
    if let Fixed::Route(h) = &mut ok.fixed {
        h.scope = 253;
    }
    ipr.request(&mut ok.clone(), "add route").unwrap();
    let k = kernel_error(&mut ipr, &mut ok, "add route 10.9.9.0/24 dev v0 again");
    assert_eq!(k.errno, 17, "{k}");
    check_display(&k, "EEXIST");

    // The socket stays usable after errors.
    assert_eq!(ipr.get_links(&LinkFilter::default()).unwrap().len(), 3);
}

#[test]
fn eperm_display_names_cap_net_admin() {
    let k = KernelError {
        op: "add route 10.0.0.0/8".into(),
        errno: 1,
        message: None,
        offset: None,
    };
    let shown = Error::Kernel(k).to_string();
    assert!(shown.contains("add route 10.0.0.0/8"), "{shown}");
    assert!(shown.contains("EPERM"), "{shown}");
    assert!(shown.contains("CAP_NET_ADMIN"), "{shown}");

    let k = KernelError {
        op: "x".into(),
        errno: 4242,
        message: Some("odd".into()),
        offset: Some(20),
    };
    let shown = k.to_string();
    assert!(shown.contains("4242") && shown.contains("odd"), "{shown}");
}

/// The child half of `eperm_from_the_kernel_without_cap_net_admin`: runs
/// without CAP_NET_ADMIN, in the namespace named by the environment.
fn eperm_child(ns: &str) {
    let mut ipr = IpRoute::in_netns(&rtnl::NetnsRef::Name(ns.into())).unwrap();
    // Reading needs no capability.
    assert!(!ipr.get_links(&LinkFilter::default()).unwrap().is_empty());
    let mut m = new_route(&[("RTA_OIF", Value::U32(1))]);
    let k = kernel_error(&mut ipr, &mut m, "add route 10.9.9.0/24 dev lo");
    assert_eq!(k.errno, 1, "{k}");
    let shown = Error::Kernel(k).to_string();
    assert!(shown.contains("EPERM"), "{shown}");
    assert!(shown.contains("CAP_NET_ADMIN"), "{shown}");
    println!("EPERM-CHILD-OK {shown}");
}

#[test]
fn eperm_from_the_kernel_without_cap_net_admin() {
    if let Ok(ns) = std::env::var("RTNL_TEST_EPERM_CHILD") {
        eperm_child(&ns);
        return;
    }
    let Some(ns) = Netns::new("eperm_from_the_kernel_without_cap_net_admin") else {
        return;
    };
    ns.ip(&["link", "set", "lo", "up"]);
    let exe = std::env::current_exe().unwrap();
    let out = match Command::new("setpriv")
        .args(["--inh-caps=-all", "--bounding-set=-net_admin", "--"])
        .arg(&exe)
        .args([
            "--exact",
            "eperm_from_the_kernel_without_cap_net_admin",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RTNL_TEST_EPERM_CHILD", &ns.name)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("SKIP eperm_from_the_kernel_without_cap_net_admin: setpriv: {e}");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("EPERM-CHILD-OK"),
        "child without CAP_NET_ADMIN failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    // The parent, with the capability, may add the same route.
    let mut ipr = ns.open();
    let mut m = new_route(&[("RTA_OIF", Value::U32(1))]);
    if let Fixed::Route(h) = &mut m.fixed {
        h.scope = 253;
    }
    ipr.request(&mut m, "add route").unwrap();
}
