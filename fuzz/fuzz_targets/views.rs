//! Zero-copy views: every family's header on every message, every accessor,
//! and agreement with the owned parse.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use rtnl_wire::family::{
    addr::{AddrView, IfAddrMsg},
    link::{IfInfoMsg, LinkView},
    neigh::{NdMsg, NeighView},
    route::{RouteView, RtMsg},
    rule::{FibRuleHdr, RuleView},
};
use rtnl_wire::netlink::Messages;
use rtnl_wire::view::{FixedHeader, View};
use rtnl_wire::{Fixed, Message};

fn generic<H: FixedHeader>(payload: &[u8]) -> Option<View<'_, H>> {
    let v = View::<H>::parse(payload);
    assert_eq!(v.is_ok(), H::parse(payload).is_ok());
    let v = v.ok()?;
    let mut round = Vec::new();
    v.hdr.emit(&mut round);
    assert_eq!(round.len(), H::LEN);
    assert_eq!(H::decode(&round), v.hdr);
    let bytes = v.attr_bytes();
    let n = v.attrs().count();
    assert!(n <= bytes.len() / 4 + 1);
    let ids = [1u16, 2, 3, 4, 5, 6, 7, 8];
    let got = v.attrs_into(ids);
    for (id, g) in ids.iter().zip(got) {
        assert_eq!(g, v.attr(*id), "attrs_into disagrees with attr({id})");
    }
    common::walk(bytes, 8);
    Some(v)
}

fuzz_target!(|data: &[u8]| {
    for m in Messages::new(data).map_while(Result::ok) {
        let p = m.payload;
        let owned = Message::parse(&m).ok();
        if let Some(v) = generic::<IfInfoMsg>(p) {
            let v: LinkView = v;
            let _ = (v.index(), v.name(), v.mtu(), v.address(), v.master());
            let _ = (v.link(), v.operstate(), v.kind());
            if let Some(Message {
                fixed: Fixed::Link(h),
                ..
            }) = &owned
            {
                assert_eq!(*h, v.hdr);
            }
        }
        if let Some(v) = generic::<IfAddrMsg>(p) {
            let v: AddrView = v;
            let _ = (v.address(), v.local(), v.label(), v.flags());
            if let Some(Message {
                fixed: Fixed::Addr(h),
                ..
            }) = &owned
            {
                assert_eq!(*h, v.hdr);
            }
        }
        if let Some(v) = generic::<RtMsg>(p) {
            let v: RouteView = v;
            let _ = (
                v.dst(),
                v.gateway(),
                v.oif(),
                v.priority(),
                v.prefsrc(),
                v.table(),
            );
            if let Some(Message {
                fixed: Fixed::Route(h),
                ..
            }) = &owned
            {
                assert_eq!(*h, v.hdr);
            }
        }
        if let Some(v) = generic::<NdMsg>(p) {
            let v: NeighView = v;
            let _ = (v.dst(), v.lladdr());
            if let Some(Message {
                fixed: Fixed::Neigh(h),
                ..
            }) = &owned
            {
                assert_eq!(*h, v.hdr);
            }
        }
        if let Some(v) = generic::<FibRuleHdr>(p) {
            let v: RuleView = v;
            let _ = (v.table(), v.priority());
            if let Some(Message {
                fixed: Fixed::Rule(h),
                ..
            }) = &owned
            {
                assert_eq!(*h, v.hdr);
            }
        }
    }
});
