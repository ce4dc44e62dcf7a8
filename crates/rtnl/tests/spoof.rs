//! Datagrams not sent by the kernel are dropped: a second netlink socket in
//! the same namespace sends forged messages straight to the IpRoute's port.

mod common;

use std::os::fd::AsRawFd;

use common::*;
use rtnl::wire::family::link::{IfInfoMsg, IFLA_IFNAME};
use rtnl::wire::family::route::{RtMsg, RTA_DST, RTA_OIF, RTA_TABLE};
use rtnl::wire::message::Message;
use rtnl::wire::netlink::{MessageWriter, NLMSG_DONE, NLMSG_ERROR, NLM_F_MULTI};
use rtnl::wire::rtm::groups::RTNLGRP_LINK;
use rtnl::wire::rtm::{RTM_NEWLINK, RTM_NEWROUTE};
use rtnl::wire::view::FixedHeader;
use rtnl::LinkFilter;

/// A forged RTM_NEWROUTE for 10.66.0.0/16 that claims to come from the
/// kernel (header pid 0).
fn forged_route(seq: u32) -> Vec<u8> {
    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_NEWROUTE, 0, seq, 0);
    let mut fixed = Vec::new();
    RtMsg {
        family: AF_INET,
        dst_len: 16,
        table: 254,
        protocol: 4,
        kind: 1,
        ..Default::default()
    }
    .emit(&mut fixed);
    w.put_bytes(&fixed);
    w.put_u32(RTA_TABLE, 254);
    w.put_attr(RTA_DST, &[10, 66, 0, 0]);
    w.put_u32(RTA_OIF, 1);
    w.end_message(m);
    w.into_vec()
}

fn is_forged_route(m: &Message) -> bool {
    m.header.kind == RTM_NEWROUTE
        && attr_ip(m, "RTA_DST").map(|a| a.to_string()) == Some("10.66.0.0".into())
}

#[test]
fn forged_notifications_never_come_out_of_recv_or_get() {
    let Some(ns) = Netns::new("forged_notifications_never_come_out_of_recv_or_get") else {
        return;
    };
    let mut ipr = ns.open();
    ipr.add_membership(&[RTNLGRP_LINK]).unwrap();
    let (forger, forger_port) = raw_netlink_socket_in(&ns);
    assert_ne!(forger_port, ipr.port_id());
    assert_eq!(ipr.spoofed_dropped(), 0);

    // get(): the forged datagram is queued first, the real notification after.
    raw_send_to(&forger, ipr.port_id(), &forged_route(0));
    assert!(
        readable(ipr.as_raw_fd(), 2000),
        "the forged datagram did not arrive"
    );
    ns.ip(&["link", "add", "ifb7", "type", "ifb"]);
    let msgs = ipr.get().unwrap();
    assert!(!msgs.is_empty());
    for m in &msgs {
        assert!(
            !is_forged_route(m),
            "forged message returned by get(): {m:?}"
        );
        assert_eq!(m.header.kind, RTM_NEWLINK, "{m:?}");
        assert_eq!(m.header.pid, 0);
    }
    assert_eq!(ipr.spoofed_dropped(), 1);

    // recv(): the same, with raw bytes.
    raw_send_to(&forger, ipr.port_id(), &forged_route(0));
    assert!(readable(ipr.as_raw_fd(), 2000));
    ns.ip(&["link", "set", "ifb7", "up"]);
    loop {
        let bytes = ipr.recv().unwrap();
        let m = Message::parse_all(&bytes).next().unwrap().unwrap();
        assert!(!is_forged_route(&m), "forged message returned by recv()");
        assert_eq!(m.header.kind, RTM_NEWLINK);
        if attr_str(&m, "IFLA_IFNAME") == Some("ifb7")
            && matches!(m.fixed, rtnl::wire::Fixed::Link(h) if h.flags & 1 != 0)
        {
            break;
        }
    }
    assert_eq!(ipr.spoofed_dropped(), 2);
}

/// A forged answer to the next request (right sequence number, our port
/// id in the header, sent before the kernel can answer).
#[test]
fn forged_replies_cannot_hijack_requests() {
    let Some(ns) = Netns::new("forged_replies_cannot_hijack_requests") else {
        return;
    };
    ns.ip(&["link", "add", "ifb0", "type", "ifb"]);
    let mut ipr = ns.open();
    let (forger, _) = raw_netlink_socket_in(&ns);
    let port = ipr.port_id();

    // A fresh IpRoute numbers its first request 1: forge a one-link dump
    // answer with that sequence number, ended by NLMSG_DONE.
    let mut w = MessageWriter::new();
    let m = w.begin_message(RTM_NEWLINK, NLM_F_MULTI, 1, port);
    let mut fixed = Vec::new();
    IfInfoMsg {
        index: 77,
        ..Default::default()
    }
    .emit(&mut fixed);
    w.put_bytes(&fixed);
    w.put_str(IFLA_IFNAME, "evil0");
    w.end_message(m);
    let d = w.begin_message(NLMSG_DONE, NLM_F_MULTI, 1, port);
    w.put_bytes(&0i32.to_ne_bytes());
    w.end_message(d);
    raw_send_to(&forger, port, w.as_bytes());
    assert!(readable(ipr.as_raw_fd(), 2000));

    let links = ipr.get_links(&LinkFilter::default()).unwrap();
    let names: Vec<&str> = links
        .iter()
        .filter_map(|m| attr_str(m, "IFLA_IFNAME"))
        .collect();
    assert_eq!(sorted(&names), ["ifb0", "lo"], "{links:?}");
    assert_eq!(ipr.spoofed_dropped(), 1);

    // The next request is number 2: forge an error for it.
    let mut w = MessageWriter::new();
    let e = w.begin_message(NLMSG_ERROR, 0, 2, port);
    w.put_bytes(&(-1i32).to_ne_bytes());
    let mut echoed = Vec::new();
    rtnl::wire::netlink::NlHeader {
        len: 16,
        kind: 18,
        flags: 5,
        seq: 2,
        pid: port,
    }
    .emit(&mut echoed);
    w.put_bytes(&echoed);
    w.end_message(e);
    raw_send_to(&forger, port, w.as_bytes());
    assert!(readable(ipr.as_raw_fd(), 2000));
    let lo = ipr.get_link_by_name("lo").unwrap();
    assert_eq!(link_index(&lo), 1);
    assert_eq!(ipr.spoofed_dropped(), 2);

    // Nothing forged was kept for recv() either: the socket is quiet.
    assert!(!readable(ipr.as_raw_fd(), 100));
}
