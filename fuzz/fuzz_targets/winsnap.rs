//! rtnl-winsnap: arbitrary snapshots (built with `arbitrary`) into RTNL.
//! Every message re-encodes and re-parses identically; the emulator answers
//! dumps from the snapshot; every notification row translates.
#![no_main]
mod common;

use std::net::IpAddr;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use rtnl_winsnap::{
    notification, Adapter, Change, Neighbour, NotificationKind, Route, Snapshot, UnicastAddress,
};
use rtnl_wire::netlink::MessageWriter;

/// Small numbers most of the time, so indices and enum values collide with
/// each other and with the named iphlpapi values.
fn num(u: &mut Unstructured) -> arbitrary::Result<u32> {
    Ok(if u.arbitrary::<bool>()? {
        u.int_in_range(0..=32)?
    } else {
        u.arbitrary()?
    })
}

fn ip(u: &mut Unstructured) -> arbitrary::Result<IpAddr> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => IpAddr::from([10, 0, 0, u.int_in_range(0..=3)?]),
        1 => IpAddr::from([0u8; 4]),
        _ => IpAddr::arbitrary(u)?,
    })
}

fn unicast(u: &mut Unstructured) -> arbitrary::Result<UnicastAddress> {
    Ok(UnicastAddress {
        address: ip(u)?,
        prefix_len: u.arbitrary()?,
        prefix_origin: num(u)?,
        suffix_origin: num(u)?,
        dad_state: num(u)?,
        valid_lifetime: u.arbitrary()?,
        preferred_lifetime: u.arbitrary()?,
    })
}

fn adapter(u: &mut Unstructured) -> arbitrary::Result<Adapter> {
    let n = u.int_in_range(0..=3)?;
    Ok(Adapter {
        if_index: num(u)?,
        ipv6_if_index: num(u)?,
        luid: u.arbitrary()?,
        adapter_name: u.arbitrary()?,
        friendly_name: u.arbitrary()?,
        description: u.arbitrary()?,
        physical_address: u.arbitrary()?,
        mtu: u.arbitrary()?,
        if_type: num(u)?,
        oper_status: num(u)?,
        flags: u.arbitrary()?,
        unicast: (0..n).map(|_| unicast(u)).collect::<Result<_, _>>()?,
    })
}

fn route(u: &mut Unstructured) -> arbitrary::Result<Route> {
    Ok(Route {
        if_index: num(u)?,
        luid: u.arbitrary()?,
        destination: ip(u)?,
        prefix_len: u.arbitrary()?,
        next_hop: ip(u)?,
        metric: u.arbitrary()?,
        protocol: num(u)?,
        origin: num(u)?,
        valid_lifetime: u.arbitrary()?,
        preferred_lifetime: u.arbitrary()?,
    })
}

fn neighbour(u: &mut Unstructured) -> arbitrary::Result<Neighbour> {
    Ok(Neighbour {
        if_index: num(u)?,
        luid: u.arbitrary()?,
        address: ip(u)?,
        physical_address: u.arbitrary()?,
        state: num(u)?,
        is_router: u.arbitrary()?,
        is_unreachable: u.arbitrary()?,
    })
}

fn snapshot(u: &mut Unstructured) -> arbitrary::Result<Snapshot> {
    let (a, r, n) = (
        u.int_in_range(0..=4)?,
        u.int_in_range(0..=4)?,
        u.int_in_range(0..=4)?,
    );
    Ok(Snapshot {
        adapters: (0..a).map(|_| adapter(u)).collect::<Result<_, _>>()?,
        routes: (0..r).map(|_| route(u)).collect::<Result<_, _>>()?,
        neighbours: (0..n).map(|_| neighbour(u)).collect::<Result<_, _>>()?,
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(snap) = snapshot(&mut u) else { return };
    let msgs = snap.to_rtnl();
    for m in &msgs {
        common::check_roundtrip(m);
    }
    let mut req = MessageWriter::new();
    for ty in [18u16, 22, 26, 30] {
        let m = req.begin_message(ty, 0x301, 1, 2);
        req.put_bytes(&[0; 16]);
        req.end_message(m);
    }
    for dgram in rtnl_wire::emulate::emulate("windows", req.as_bytes(), &msgs) {
        for m in rtnl_wire::Message::parse_all(&dgram) {
            m.expect("emulated reply parses");
        }
    }
    let kind = NotificationKind::from_raw(u.int_in_range(0..=4).unwrap_or(0));
    let mut changes: Vec<Change> = Vec::new();
    for a in &snap.adapters {
        changes.push(Change::Link(a));
        for addr in &a.unicast {
            changes.push(Change::Addr {
                if_index: a.index(),
                addr,
            });
        }
    }
    let stray = unicast(&mut u).ok();
    if let Some(addr) = &stray {
        changes.push(Change::Addr {
            if_index: 999,
            addr,
        });
    }
    changes.extend(snap.routes.iter().map(Change::Route));
    changes.extend(snap.neighbours.iter().map(Change::Neigh));
    for c in changes {
        if let Some(m) = notification(&snap, c, kind) {
            common::check_roundtrip(&m);
        }
    }
});
