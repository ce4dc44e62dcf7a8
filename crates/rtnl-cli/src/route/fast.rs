//! The fast path of `route show`: [`RouteFields`] read straight from a
//! message in the receive buffer, with no owned `Message` and no
//! allocation. Types come from the attribute tables (`ROUTE`, `METRICS`,
//! `RTA_CACHEINFO_STRUCT`), as for the generic decoder.
//!
//! It only takes routes it reads exactly as the generic path does: every
//! top-level attribute must be one of [`KNOWN`] and fit its table type,
//! nests must be laid out canonically, next hops may only carry RTA_GATEWAY,
//! RTA_VIA and RTA_FLOW. Anything else gives `None`, and the caller renders
//! that route from an owned `Message`: correctness never depends on this
//! module, only speed.

use std::net::IpAddr;
use std::sync::OnceLock;

use rtnl_wire::attr::{tiles_exactly, AttrKind, Table};
use rtnl_wire::family::route::{
    RtMsg, METRICS, ROUTE, RTAX_CC_ALGO, RTA_CACHEINFO, RTA_DST, RTA_EXPIRES, RTA_FLOW,
    RTA_GATEWAY, RTA_IIF, RTA_MARK, RTA_METRICS, RTA_MULTIPATH, RTA_NH_ID, RTA_OIF, RTA_PAD,
    RTA_PREF, RTA_PREFSRC, RTA_PRIORITY, RTA_SRC, RTA_TABLE, RTA_TTL_PROPAGATE, RTA_UID, RTA_VIA,
};
use rtnl_wire::netlink::NlMsg;
use rtnl_wire::nla::{Nla, NlaIter};
use rtnl_wire::rtm::{Family, RTM_DELROUTE};
use rtnl_wire::view::View;

use super::{CacheInfo, Hop, HopAddrs, Hops, Metrics, MetricsSrc, RouteFields, ViaRef};

/// Bit `n`: the fast path takes attribute `RTA_n`. These are the
/// attributes `render` reads, plus RTA_EXPIRES and RTA_PAD, which it does
/// not print (so any value of theirs renders the same).
const KNOWN: u32 = bit(RTA_DST)
    | bit(RTA_SRC)
    | bit(RTA_IIF)
    | bit(RTA_OIF)
    | bit(RTA_GATEWAY)
    | bit(RTA_PRIORITY)
    | bit(RTA_PREFSRC)
    | bit(RTA_METRICS)
    | bit(RTA_MULTIPATH)
    | bit(RTA_FLOW)
    | bit(RTA_CACHEINFO)
    | bit(RTA_TABLE)
    | bit(RTA_MARK)
    | bit(RTA_VIA)
    | bit(RTA_PREF)
    | bit(RTA_EXPIRES)
    | bit(RTA_PAD)
    | bit(RTA_UID)
    | bit(RTA_TTL_PROPAGATE)
    | bit(RTA_NH_ID);

/// Attributes a next hop may carry on the fast path.
const HOP_KNOWN: u32 = bit(RTA_GATEWAY) | bit(RTA_VIA) | bit(RTA_FLOW);

const fn bit(id: u16) -> u32 {
    1 << id
}

fn known(set: u32, id: u16) -> bool {
    id < 32 && set & (1 << id) != 0
}

/// The fields of a route message in the receive buffer, or `None` when the
/// generic path must render it.
pub fn fields<'a>(m: &NlMsg<'a>) -> Option<RouteFields<'a>> {
    if Family::of_type(m.header.kind) != Some(Family::Route) {
        return None;
    }
    let v = View::<RtMsg>::parse(m.payload).ok()?;
    let h = v.hdr;
    let mut f = RouteFields {
        deleted: m.header.kind == RTM_DELROUTE,
        h,
        table: h.table.into(),
        dst: None,
        src: None,
        nhid: None,
        addrs: HopAddrs::default(),
        oif: None,
        prefsrc: None,
        priority: None,
        mark: None,
        flow: None,
        uid: None,
        cacheinfo: None,
        metrics: None,
        iif: None,
        pref: None,
        ttl_propagate: None,
        hops: None,
    };
    // One pass; the first attribute of each number counts, as the generic
    // accessors find it. One that does not read as its table type: `None`.
    let mut seen = 0u32;
    for nla in v.attrs() {
        let a = nla.ok()?;
        let id = a.kind();
        if !known(KNOWN, id) {
            return None;
        }
        if seen & bit(id) != 0 {
            continue;
        }
        seen |= bit(id);
        match id {
            RTA_TABLE => f.table = u32_of(a)?,
            RTA_DST => f.dst = Some(ip(a)?),
            RTA_SRC => f.src = Some(ip(a)?),
            RTA_NH_ID => f.nhid = Some(num(a)?),
            RTA_GATEWAY => f.addrs.gateway = Some(ip(a)?),
            RTA_VIA => f.addrs.via = Some(via(a)?),
            RTA_OIF => f.oif = Some(u32_of(a)?),
            RTA_PREFSRC => f.prefsrc = Some(ip(a)?),
            RTA_PRIORITY => f.priority = Some(num(a)?),
            RTA_MARK => f.mark = Some(num(a)?),
            RTA_FLOW => f.flow = Some(u32_of(a)?),
            RTA_UID => f.uid = Some(num(a)?),
            RTA_CACHEINFO => f.cacheinfo = Some(cacheinfo(a)?),
            RTA_METRICS => f.metrics = Some(metrics(a)?),
            RTA_IIF => f.iif = Some(u32_of(a)?),
            RTA_PREF => f.pref = Some(u32_of(a)?),
            RTA_TTL_PROPAGATE => f.ttl_propagate = Some(num(a)?),
            RTA_MULTIPATH => f.hops = Some(hops(a)?),
            // RTA_EXPIRES, RTA_PAD: not printed.
            _ => {}
        }
    }
    Some(f)
}

/// The kind table `t` gives attribute `a`. `ROUTE` is read from an
/// array built from it once, instead of a search per attribute.
fn kind_in(t: &'static Table, a: Nla) -> Option<AttrKind> {
    static ROUTE_KINDS: OnceLock<[Option<AttrKind>; 32]> = OnceLock::new();
    if std::ptr::eq(t, &ROUTE) {
        let kinds = ROUTE_KINDS.get_or_init(|| {
            let mut k = [None; 32];
            for s in ROUTE.attrs.iter().filter(|s| s.id < 32) {
                k[usize::from(s.id)] = Some(s.kind);
            }
            k
        });
        return kinds.get(usize::from(a.kind())).copied().flatten();
    }
    t.by_id(a.kind()).map(|s| s.kind)
}

/// An integer attribute of `t`, as the generic decoder and
/// `Value::as_u64` read it.
fn num_in(t: &'static Table, a: Nla) -> Option<u64> {
    let p = a.payload();
    match kind_in(t, a)? {
        AttrKind::U8 => a.u8().map(u64::from),
        AttrKind::U16 => a.u16().map(u64::from),
        AttrKind::U16Be => p.try_into().ok().map(|b| u16::from_be_bytes(b).into()),
        AttrKind::U32 => a.u32().map(u64::from),
        AttrKind::U32Be => p.try_into().ok().map(|b| u32::from_be_bytes(b).into()),
        AttrKind::U64 => a.u64(),
        AttrKind::U64Be => p.try_into().ok().map(u64::from_be_bytes),
        _ => None,
    }
}

fn num(a: Nla) -> Option<u64> {
    num_in(&ROUTE, a)
}

fn u32_of(a: Nla) -> Option<u32> {
    num(a).and_then(|v| u32::try_from(v).ok())
}

fn ip(a: Nla) -> Option<IpAddr> {
    match kind_in(&ROUTE, a)? {
        AttrKind::Ip => a.ip(),
        _ => None,
    }
}

fn via(a: Nla) -> Option<ViaRef> {
    let p = a.payload();
    match kind_in(&ROUTE, a)? {
        AttrKind::Via if p.len() >= 2 => Some(ViaRef {
            family: u16::from_ne_bytes([p[0], p[1]]),
            addr: &p[2..],
        }),
        _ => None,
    }
}

/// A `Str` attribute as the generic decoder reads it: NUL-terminated, no
/// other NUL, UTF-8.
fn str_of(p: &[u8]) -> Option<&str> {
    match p.split_last() {
        Some((0, s)) if !s.contains(&0) => std::str::from_utf8(s).ok(),
        _ => None,
    }
}

fn cacheinfo(a: Nla) -> Option<CacheInfo> {
    let p = a.payload();
    let AttrKind::Struct(spec) = kind_in(&ROUTE, a)? else {
        return None;
    };
    if p.is_empty() || p.len() % spec.width != 0 {
        return None;
    }
    Some(CacheInfo::read(|name| {
        let i = spec.fields.iter().position(|f| *f == name)?;
        spec.field(p, i)
    }))
}

fn metrics(a: Nla) -> Option<MetricsSrc> {
    let AttrKind::Nested(table) = kind_in(&ROUTE, a)? else {
        return None;
    };
    if !std::ptr::eq(table, &METRICS) || !tiles_exactly(a.payload()) {
        return None;
    }
    Some(MetricsSrc::Wire(a.payload()))
}

/// The metrics of a nest [`metrics`] accepted, read as
/// `Metrics::of_attrs` reads the decoded ones.
pub(super) fn metrics_of(p: &[u8]) -> Metrics<'_> {
    let table = &METRICS;
    let mut m = Metrics::default();
    for nla in NlaIter::new(p).map_while(Result::ok) {
        let id = nla.kind();
        if !(1..=17).contains(&id) || m.present & (1 << id) != 0 {
            continue;
        }
        m.present |= 1 << id;
        m.val[usize::from(id)] = num_in(table, nla).unwrap_or(0);
        if id == RTAX_CC_ALGO && matches!(kind_in(table, nla), Some(AttrKind::Str)) {
            m.cc = str_of(nla.payload());
        }
    }
    m
}

/// `struct rtnexthop`: length, flags, hops, ifindex.
const RTNH_LEN: usize = 8;

/// RTA_MULTIPATH, when the generic decoder would decode it (the checks of
/// its `multipath`) and every hop carries only [`HOP_KNOWN`] attributes.
fn hops(a: Nla) -> Option<Hops> {
    let AttrKind::Multipath(table) = kind_in(&ROUTE, a)? else {
        return None;
    };
    if !std::ptr::eq(table, &ROUTE) {
        return None;
    }
    let p = a.payload();
    let mut pos = 0;
    while pos < p.len() {
        let h = p.get(pos..pos + RTNH_LEN)?;
        let len = usize::from(u16::from_ne_bytes([h[0], h[1]]));
        if len < RTNH_LEN || len & 3 != 0 {
            return None;
        }
        let body = p.get(pos + RTNH_LEN..pos + len)?;
        if !tiles_exactly(body) {
            return None;
        }
        for nla in NlaIter::new(body).map_while(Result::ok) {
            if !known(HOP_KNOWN, nla.kind()) {
                return None;
            }
        }
        pos += len;
    }
    Some(Hops::Wire(p))
}

/// Calls `f` for each hop of a payload [`hops`] accepted. A hop attribute
/// that does not fit its type counts as absent, as `Attrs::ip_of` and
/// `u32_of` see it.
pub(super) fn for_each_hop<'a>(p: &'a [u8], mut f: impl FnMut(usize, Hop<'a>)) {
    let mut pos = 0;
    let mut i = 0;
    while let Some(h) = p.get(pos..pos + RTNH_LEN) {
        let len = usize::from(u16::from_ne_bytes([h[0], h[1]]));
        let Some(body) = p.get(pos + RTNH_LEN..pos + len) else {
            return;
        };
        let mut at: [Option<Nla<'a>>; 32] = [None; 32];
        for nla in NlaIter::new(body).map_while(Result::ok) {
            if known(HOP_KNOWN, nla.kind()) && at[usize::from(nla.kind())].is_none() {
                at[usize::from(nla.kind())] = Some(nla);
            }
        }
        let a = |id: u16| at[usize::from(id)];
        f(
            i,
            Hop {
                flags: h[2],
                hops: h[3],
                ifindex: i32::from_ne_bytes([h[4], h[5], h[6], h[7]]),
                addrs: HopAddrs {
                    gateway: a(RTA_GATEWAY).and_then(ip),
                    via: a(RTA_VIA).and_then(via),
                },
                flow: a(RTA_FLOW).and_then(u32_of),
            },
        );
        i += 1;
        pos += len.max(RTNH_LEN);
    }
}
