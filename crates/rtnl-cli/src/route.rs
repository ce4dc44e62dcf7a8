//! Routes: `ip route show` (iproute2's `print_route`).
//!
//! One renderer, [`render`], prints a route from [`RouteFields`]. The
//! fields come from an owned `Message` (every caller, and any route the fast
//! path does not take) or, for `route show`, straight from the receive
//! buffer ([`fast`]), rendered into the streamer's buffer
//! ([`crate::out::Direct`]).

// A path the fuzz crate's `#[path]` include of this file resolves the same
// way (there this file counts as a `mod.rs`).
#[path = "route/fast.rs"]
mod fast;
#[path = "route/select.rs"]
mod select;

pub(crate) use select::{Select, SELECTORS};

use std::net::IpAddr;

use rtnl::RouteFilter;
use rtnl_wire::attr::Attr;
use rtnl_wire::family::route::{
    RtMsg, RTAX_CC_ALGO, RTAX_FEATURES, RTAX_HOPLIMIT, RTAX_LOCK, RTAX_RTO_MIN, RTAX_RTT,
    RTAX_RTTVAR,
};
use rtnl_wire::names::{METRIC_NAMES, ROUTE_PREFS, ROUTE_PROTOCOLS, ROUTE_TYPES, SCOPES, TABLES};
use rtnl_wire::netlink::NlMsg;
use rtnl_wire::rtm::RTM_DELROUTE;
use rtnl_wire::value::NextHop;
use rtnl_wire::{Fixed, Message, Value};

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::names::{
    family_name, for_each_route_flag, host_len, name_or, Attrs, LinkCache, LinkName, AF_INET,
    AF_INET6,
};
use crate::out::{push_u64, CHex, Out, Sink, Streamer, Val};

const RT_TABLE_MAIN: u32 = 254;
const RTN_UNICAST: u8 = 1;
const RTN_MULTICAST: u8 = 5;
const RTPROT_BOOT: u8 = 3;
const RTM_F_CLONED: u32 = 0x200;
/// `RTAX_FEATURE_ECN`.
const RTAX_FEATURE_ECN: u64 = 1;
/// USER_HZ: route expiry times come in these ticks.
const USER_HZ: u64 = 100;

/// How a listing prints its routes.
#[derive(Debug, Clone, Copy, Default)]
pub struct RouteStyle {
    /// The table asked for; `None` for `table all` (then each route names
    /// its table unless it is main).
    pub table: Option<u32>,
    /// `-d`.
    pub details: bool,
    /// Listing routes of one device: `dev` is not repeated on each line.
    pub one_dev: bool,
    /// Listing routes of one protocol: `proto` is not repeated either.
    pub one_proto: bool,
    /// Listing routes of one scope (`scope`), tos, metric or input link:
    /// none of these is repeated.
    pub one_scope: bool,
    /// See `one_scope`.
    pub one_tos: bool,
    /// See `one_scope`.
    pub one_metric: bool,
    /// See `one_scope`.
    pub one_iif: bool,
    /// Listing routes via one gateway address (`via ADDR`): RTA_GATEWAY is
    /// not printed.
    pub one_gateway: bool,
    /// Listing routes of one source address (`src ADDR`): not printed.
    pub one_prefsrc: bool,
}

/// `rtnl route show [table ID|NAME|all] [dev NAME] [proto PROTO] [SELECTOR
/// ...]`, the selectors of [`select::Select`].
pub fn show(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let links = ctx.link_cache()?;
    let select = Select::parse(ctx, &links, p.words(), ctx.opts.family)?;
    let filter = select.dump_filter(ctx.opts.family);
    let style = select.style(ctx.opts.details);
    // Stream, on two threads: the reader thread receives the dump (the
    // kernel builds each datagram inside that thread's recvmsg) and hands
    // batches of messages over while this one renders and writes the
    // previous ones. Memory stays bounded by the batches in flight, however
    // large the table.
    let mut out = Streamer::new(ctx.out(), ctx.opts.pretty);
    let write_err = |e: std::io::Error| CliError::failed(format!("write to stdout: {e}"));
    let ipr = ctx.ipr()?;
    let interrupted = std::thread::scope(|s| -> Result<bool, CliError> {
        let (batches, empties, reader) = read_ahead(s, ipr, &filter);
        for batch in &batches {
            for m in rtnl_wire::netlink::Messages::new(&batch) {
                let m = m.map_err(|source| rtnl::Error::Decode {
                    op: "dump routes".into(),
                    source,
                })?;
                let fast = out.direct_ok();
                show_one(&mut out, &m, &links, style, &select, fast)?;
            }
            out.written().map_err(write_err)?;
            // The reader may be gone already: then the buffer just drops.
            let _ = empties.send(batch);
        }
        // Returns once the channel closed: the reader ended, with this.
        reader.join().expect("the dump reader thread panicked")
    })?;
    out.finish().map(drop).map_err(write_err)?;
    if interrupted {
        // As `ip` does: the listing is out, but it may be inconsistent.
        return Err(CliError {
            msg: "Dump was interrupted and may be inconsistent.".into(),
            code: 2,
        });
    }
    Ok(())
}

/// The family `route show` and `route flush` work on: like `ip`, one table
/// is IPv4 unless `-6` (or `-4`/`-f`) says otherwise; `table all` is every
/// family.
pub fn table_family(family: u8, table: Option<u32>) -> u8 {
    match (family, table) {
        (0, Some(_)) => AF_INET,
        (f, _) => f,
    }
}

/// Bytes of messages handed over at once by the dump reader.
const BATCH: usize = 256 * 1024;
/// Batches in flight between the reader and the renderer.
const IN_FLIGHT: usize = 4;

/// Starts the dump of `filter` on a thread of scope `s`: it sends batches
/// of whole messages (about [`BATCH`] bytes each; at most [`IN_FLIGHT`]
/// wait) and takes spent buffers back for reuse. The thread returns
/// whether the kernel marked the dump interrupted. When the receiver is
/// dropped early (a write failed), the thread stops at its next send and
/// drops the dump, which drains the rest from the socket.
#[allow(clippy::type_complexity)]
fn read_ahead<'scope, 'env>(
    s: &'scope std::thread::Scope<'scope, 'env>,
    ipr: &'env mut rtnl::IpRoute,
    filter: &'env RouteFilter,
) -> (
    std::sync::mpsc::Receiver<Vec<u8>>,
    std::sync::mpsc::Sender<Vec<u8>>,
    std::thread::ScopedJoinHandle<'scope, Result<bool, CliError>>,
) {
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = s.spawn(move || -> Result<bool, CliError> {
        let mut interrupted = false;
        let mut dump = ipr.stream(filter)?;
        let mut batch = Vec::with_capacity(BATCH + 64 * 1024);
        while let Some(m) = dump.next_msg() {
            match m {
                Ok(m) => {
                    batch.extend_from_slice(m.bytes);
                    batch.resize(rtnl_wire::netlink::align(batch.len()), 0);
                }
                Err(rtnl::Error::DumpInterrupted { .. }) => interrupted = true,
                Err(e) => return Err(e.into()),
            }
            if batch.len() >= BATCH {
                let next = empty_rx
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(BATCH + 64 * 1024));
                if full_tx.send(std::mem::replace(&mut batch, next)).is_err() {
                    return Ok(interrupted); // the renderer stopped
                }
                batch.clear();
            }
        }
        if !batch.is_empty() {
            let _ = full_tx.send(batch);
        }
        Ok(interrupted)
    });
    (full_rx, empty_tx, reader)
}

/// Renders one message of a route dump into `out`, unless `route show`
/// skips it. With `fast`, a route [`fast::fields`] takes is rendered
/// straight from the buffer; any other goes through an owned `Message`.
pub(crate) fn show_one<W: std::io::Write>(
    out: &mut Streamer<W>,
    m: &NlMsg<'_>,
    links: &LinkCache,
    style: RouteStyle,
    select: &Select,
    fast: bool,
) -> Result<(), CliError> {
    if let Some(f) = fast.then(|| fast::fields(m)).flatten() {
        if select.keeps(&f) {
            render(out.direct(), &f, links, style);
        }
        return Ok(());
    }
    let r = Message::parse(m).map_err(|e| {
        CliError::from(rtnl::Error::Decode {
            op: "dump routes".into(),
            source: e,
        })
    })?;
    let Some(f) = RouteFields::of_message(&r) else {
        return Ok(());
    };
    if select.keeps(&f) {
        let mut o = out.out();
        render(&mut o, &f, links, style);
        out.push(o)
            .map_err(|e| CliError::failed(format!("write to stdout: {e}")))?;
    }
    Ok(())
}

/// A table id from a number or a name of `rtnl_wire::names::TABLES`.
pub fn parse_table(s: &str) -> Result<u32, CliError> {
    parse_name(&rtnl_wire::names::TABLES, s, "table id")
}

fn parse_name(table: &rtnl_wire::names::Names, s: &str, what: &str) -> Result<u32, CliError> {
    table.value(s).or_else(|| parse_u32(s)).ok_or_else(|| {
        CliError::usage(format!(
            "Error: argument \"{s}\" is wrong: {what} value is invalid"
        ))
    })
}

fn parse_u32(s: &str) -> Option<u32> {
    match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// `RTA_VIA` (`struct rtvia`), borrowed.
#[derive(Debug, Clone, Copy)]
pub struct ViaRef<'a> {
    /// The address family.
    pub family: u16,
    /// The address bytes.
    pub addr: &'a [u8],
}

/// RTA_GATEWAY and RTA_VIA of a route or a next hop.
#[derive(Debug, Clone, Copy, Default)]
pub struct HopAddrs<'a> {
    /// RTA_GATEWAY.
    pub gateway: Option<IpAddr>,
    /// RTA_VIA.
    pub via: Option<ViaRef<'a>>,
}

impl<'a> HopAddrs<'a> {
    fn of_attrs(attrs: &'a [Attr]) -> HopAddrs<'a> {
        HopAddrs {
            gateway: attrs.ip_of("RTA_GATEWAY"),
            via: match attrs.val("RTA_VIA") {
                Some(Value::Via(v)) => Some(ViaRef {
                    family: v.family,
                    addr: &v.addr,
                }),
                _ => None,
            },
        }
    }
}

/// The RTA_CACHEINFO fields `ip` prints (0 when absent).
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheInfo {
    expires: u64,
    error: u64,
    id: u64,
    ts: u64,
    tsage: u64,
}

impl CacheInfo {
    /// The fields, read by their names in `RTA_CACHEINFO_STRUCT` through
    /// `field(name)`.
    fn read(field: impl Fn(&str) -> Option<u64>) -> CacheInfo {
        let f = |n| field(n).unwrap_or(0);
        CacheInfo {
            expires: f("rta_expires"),
            error: f("rta_error"),
            id: f("rta_id"),
            ts: f("rta_ts"),
            tsage: f("rta_tsage"),
        }
    }
}

/// RTA_METRICS as `ip` reads it: the first attribute of each `RTAX_*`
/// number up to RTAX_FASTOPEN_NO_COOKIE.
#[derive(Debug, Clone, Copy, Default)]
pub struct Metrics<'a> {
    /// Bit `n`: `RTAX_n` is present.
    present: u32,
    /// Its value as a number (0 when it is not one).
    val: [u64; 18],
    /// RTAX_CC_ALGO as a string.
    cc: Option<&'a str>,
}

impl<'a> Metrics<'a> {
    fn of_attrs(attrs: &'a [Attr]) -> Metrics<'a> {
        let mut m = Metrics::default();
        for id in 1u16..=17 {
            if let Some(a) = attrs.iter().find(|a| a.id == id) {
                m.present |= 1 << id;
                m.val[usize::from(id)] = a.value.as_u64().unwrap_or(0);
                if id == RTAX_CC_ALGO {
                    m.cc = a.value.as_str();
                }
            }
        }
        m
    }
}

/// RTA_METRICS: decoded attributes, or the checked nest of a view (read
/// into [`Metrics`] only when printed).
#[derive(Debug, Clone, Copy)]
pub enum MetricsSrc<'a> {
    /// From an owned message.
    Owned(&'a [Attr]),
    /// A nest already checked by `fast::fields`.
    Wire(&'a [u8]),
}

impl<'a> MetricsSrc<'a> {
    fn read(&self) -> Metrics<'a> {
        match *self {
            MetricsSrc::Owned(a) => Metrics::of_attrs(a),
            MetricsSrc::Wire(p) => fast::metrics_of(p),
        }
    }
}

/// One next hop of RTA_MULTIPATH.
#[derive(Debug, Clone, Copy)]
pub struct Hop<'a> {
    flags: u8,
    hops: u8,
    ifindex: i32,
    addrs: HopAddrs<'a>,
    flow: Option<u32>,
}

/// RTA_MULTIPATH: decoded hops, or the checked payload of a view.
#[derive(Debug, Clone, Copy)]
pub enum Hops<'a> {
    /// From an owned message.
    Owned(&'a [NextHop]),
    /// `struct rtnexthop` records, already checked by `fast::fields`.
    Wire(&'a [u8]),
}

impl<'a> Hops<'a> {
    fn for_each(&self, mut f: impl FnMut(usize, Hop<'a>)) {
        match *self {
            Hops::Owned(hops) => {
                for (i, h) in hops.iter().enumerate() {
                    f(
                        i,
                        Hop {
                            flags: h.flags,
                            hops: h.hops,
                            ifindex: h.ifindex,
                            addrs: HopAddrs::of_attrs(&h.attrs),
                            flow: h.attrs.u32_of("RTA_FLOW"),
                        },
                    );
                }
            }
            Hops::Wire(p) => fast::for_each_hop(p, f),
        }
    }
}

/// Everything `ip route show` prints of one route, borrowed from an owned
/// [`Message`] or straight from the receive buffer ([`fast`]). Both fill it
/// with the same meaning (the first attribute of each number, a value that
/// does not fit its table type counts as absent), so [`render`] is the only
/// place that decides what is printed, and how.
#[derive(Debug, Clone, Copy)]
pub struct RouteFields<'a> {
    deleted: bool,
    h: RtMsg,
    table: u32,
    dst: Option<IpAddr>,
    src: Option<IpAddr>,
    nhid: Option<u64>,
    addrs: HopAddrs<'a>,
    oif: Option<u32>,
    prefsrc: Option<IpAddr>,
    priority: Option<u64>,
    mark: Option<u64>,
    flow: Option<u32>,
    uid: Option<u64>,
    cacheinfo: Option<CacheInfo>,
    metrics: Option<MetricsSrc<'a>>,
    iif: Option<u32>,
    pref: Option<u32>,
    ttl_propagate: Option<u64>,
    hops: Option<Hops<'a>>,
}

impl<'a> RouteFields<'a> {
    /// The fields of an owned route message (`None` for another family).
    pub fn of_message(m: &'a Message) -> Option<RouteFields<'a>> {
        let Fixed::Route(h) = &m.fixed else {
            return None;
        };
        Some(RouteFields {
            deleted: m.header.kind == RTM_DELROUTE,
            h: *h,
            table: m.u32_of("RTA_TABLE").unwrap_or(h.table.into()),
            dst: m.ip_of("RTA_DST"),
            src: m.ip_of("RTA_SRC"),
            nhid: m.u64_of("RTA_NH_ID"),
            addrs: HopAddrs::of_attrs(&m.attrs),
            oif: m.u32_of("RTA_OIF"),
            prefsrc: m.ip_of("RTA_PREFSRC"),
            priority: m.u64_of("RTA_PRIORITY"),
            mark: m.u64_of("RTA_MARK"),
            flow: m.u32_of("RTA_FLOW"),
            uid: m.u64_of("RTA_UID"),
            cacheinfo: m
                .has("RTA_CACHEINFO")
                .then(|| CacheInfo::read(|f| m.field("RTA_CACHEINFO", f))),
            metrics: m.nested("RTA_METRICS").map(MetricsSrc::Owned),
            iif: m.u32_of("RTA_IIF"),
            pref: m.u32_of("RTA_PREF"),
            ttl_propagate: m.u64_of("RTA_TTL_PROPAGATE"),
            hops: match m.val("RTA_MULTIPATH") {
                Some(Value::Multipath(hops)) => Some(Hops::Owned(hops)),
                _ => None,
            },
        })
    }

    /// A cloned (cache) entry: only `table cache` shows it.
    pub fn cloned(&self) -> bool {
        self.h.flags & RTM_F_CLONED != 0
    }
}

/// Prints one route.
pub fn print_route(o: &mut Out, m: &Message, links: &LinkCache, style: RouteStyle) {
    if let Some(f) = RouteFields::of_message(m) {
        render(o, &f, links, style);
    }
}

/// `a` or `a/len` when `len` is not the host length.
struct Prefix(IpAddr, u8, Option<u8>);

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Prefix(a, len, host) if Some(*len) != *host => write!(f, "{a}/{len}"),
            Prefix(a, ..) => write!(f, "{a}"),
        }
    }
}

impl Val for Prefix {
    fn push(&self, buf: &mut Vec<u8>, json: bool) {
        let Prefix(a, len, host) = *self;
        a.push(buf, json);
        if Some(len) != host {
            buf.push(b'/');
            push_u64(buf, len.into());
        }
    }
}

/// Prints one route (iproute2's `print_route`).
pub fn render<S: Sink>(o: &mut S, r: &RouteFields, links: &LinkCache, style: RouteStyle) {
    let h = &r.h;
    let table = r.table;
    let hlen = host_len(h.family);
    o.open_object(None);
    if r.deleted {
        o.flag("deleted", "Deleted ");
    }
    if h.kind != RTN_UNICAST || style.details {
        o.string("type", "{} ", name_or(&ROUTE_TYPES, h.kind.into()));
    }
    match r.dst {
        Some(a) => o.string("dst", "{} ", Prefix(a, h.dst_len, hlen)),
        None if h.dst_len != 0 => o.string("dst", "{} ", format_args!("0/{} ", h.dst_len)),
        None => o.string("dst", "{} ", "default"),
    }
    match r.src {
        Some(a) => o.string("from", "from {} ", Prefix(a, h.src_len, hlen)),
        None if h.src_len != 0 => o.string("src", "from {} ", format_args!("0/{}", h.src_len)),
        None => {}
    }
    if let Some(nh) = r.nhid {
        o.uint("nhid", "nhid {} ", nh);
    }
    if h.tos != 0 && !style.one_tos {
        o.string("tos", "tos {} ", format_args!("0x{:02x}", h.tos));
    }
    let addrs = HopAddrs {
        gateway: r.addrs.gateway.filter(|_| !style.one_gateway),
        ..r.addrs
    };
    print_hop_addrs(o, &addrs);
    if let Some(oif) = r.oif.filter(|_| !style.one_dev) {
        print_ifidx(o, "dev", "dev {} ", links.name_ref(oif));
    }
    if table != 0 && (table != RT_TABLE_MAIN || style.details) && style.table.is_none() {
        o.string("table", "table {} ", name_or(&TABLES, table));
    }
    if h.flags & RTM_F_CLONED == 0 {
        if (h.protocol != RTPROT_BOOT || style.details) && !style.one_proto {
            o.string(
                "protocol",
                "proto {} ",
                name_or(&ROUTE_PROTOCOLS, h.protocol.into()),
            );
        }
        if (h.scope != 0 || style.details) && !style.one_scope {
            o.string("scope", "scope {} ", name_or(&SCOPES, h.scope.into()));
        }
    }
    if let Some(src) = r.prefsrc.filter(|_| !style.one_prefsrc) {
        o.string("prefsrc", "src {} ", src);
    }
    if let Some(metric) = r.priority.filter(|_| !style.one_metric) {
        o.uint("metric", "metric {} ", metric);
    }
    print_rt_flags(o, h.flags);
    if let Some(mark) = r.mark.filter(|m| *m != 0) {
        if mark >= 16 {
            o.any_uint(Some("mark"), format_args!("mark {mark:#x} "), mark);
        } else {
            o.any_uint(Some("mark"), format_args!("mark {mark} "), mark);
        }
    }
    if let Some(flow) = r.flow {
        print_flow(o, flow);
    }
    if let Some(uid) = r.uid {
        o.uint("uid", "uid {} ", uid);
    }
    if h.family == AF_INET && h.flags & RTM_F_CLONED != 0 {
        print_cache_flags(o, h.flags);
    }
    if h.family == AF_INET || h.family == AF_INET6 {
        if let Some(ci) = &r.cacheinfo {
            print_cacheinfo(o, ci);
        }
    }
    if let Some(metrics) = &r.metrics {
        print_metrics(o, &metrics.read());
    }
    if let Some(iif) = r.iif.filter(|_| !style.one_iif) {
        print_ifidx(o, "iif", "iif {} ", links.name_ref(iif));
    }
    if let Some(pref) = r.pref {
        match ROUTE_PREFS.name(pref) {
            Some(n) => o.string("pref", "pref {}", n),
            None => o.uint("pref", "{}", pref.into()),
        }
    }
    if let Some(p) = r.ttl_propagate {
        let word = if p != 0 { "enabled" } else { "disabled" };
        o.any_bool(
            Some("ttl-propogate"),
            format_args!("ttl-propogate {word}"),
            p != 0,
        );
    }
    if let Some(hops) = &r.hops {
        print_multipath(o, h.flags, h.kind, hops, links);
    }
    o.eol();
    o.close();
}

/// The host of an RTA_VIA: an IP address, or colon-separated hex.
struct ViaHost<'a>(&'a [u8]);

impl std::fmt::Display for ViaHost<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match rtnl_wire::value::ip_from_bytes(self.0) {
            Some(ip) => write!(f, "{ip}"),
            None => f.write_str(&rtnl_wire::value::hex_colon(self.0)),
        }
    }
}

impl Val for ViaHost<'_> {}

/// RTA_GATEWAY and RTA_VIA of a route or a next hop.
fn print_hop_addrs<S: Sink>(o: &mut S, a: &HopAddrs) {
    if let Some(gw) = a.gateway {
        o.string("gateway", "via {} ", gw);
    }
    if let Some(via) = a.via {
        let fam = family_name(via.family as u8).unwrap_or("???");
        let host = ViaHost(via.addr);
        if o.is_json() {
            o.open_object(Some("via"));
            o.put_str(Some("family"), fam);
            o.put_str(Some("host"), host);
            o.close();
        } else {
            o.text_fmt(format_args!("via {fam} {host} "));
        }
    }
}

/// `dev NAME` / `iif NAME`: `template` is `"{key} {} "`.
fn print_ifidx<S: Sink>(o: &mut S, key: &str, template: &str, name: LinkName) {
    o.string(key, template, name);
}

fn print_rt_flags<S: Sink>(o: &mut S, flags: u32) {
    o.open_array(Some("flags"));
    for_each_route_flag(flags, |prefix, name| {
        o.item("{} ", format_args!("{prefix}{name}"))
    });
    o.close();
}

/// RTA_FLOW: realms, by number (names from /etc/iproute2/rt_realms are not read).
fn print_flow<S: Sink>(o: &mut S, flow: u32) {
    let (from, to) = (flow >> 16, flow & 0xffff);
    if o.is_json() {
        o.open_object(Some("flow"));
        if from != 0 {
            o.put_str(Some("from"), Realm(from));
        }
        o.put_str(Some("to"), Realm(to));
        o.close();
    } else if from != 0 {
        o.text_fmt(format_args!("realms {}/{} ", Realm(from), Realm(to)));
    } else {
        o.text_fmt(format_args!("realm {} ", Realm(to)));
    }
}

/// A realm by number, `unknown` for 0.
struct Realm(u32);

impl std::fmt::Display for Realm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            0 => f.write_str("unknown"),
            r => write!(f, "{r}"),
        }
    }
}

impl Val for Realm {}

/// `cache <flags>` of a cloned IPv4 route (`ip route get`), with the
/// `RTCF_*` flags in the high bits named as iproute2 names them.
fn print_cache_flags<S: Sink>(o: &mut S, flags: u32) {
    const RTCF: &[(u32, &str)] = &[
        (0x8000_0000, "local"),
        (0x4000_0000, "reject"),
        (0x2000_0000, "mc"),
        (0x1000_0000, "brd"),
        (0x0800_0000, "dst-nat"),
        (0x0080_0000, "src-nat"),
        (0x0040_0000, "masq"),
        (0x0002_0000, "dst-direct"),
        (0x0400_0000, "src-direct"),
        (0x0004_0000, "redirected"),
        (0x0100_0000, "redirect"),
        (0x0020_0000, "fastroute"),
        (0x0001_0000, "notify"),
        (0x0008_0000, "proxy"),
    ];
    let mut rest = flags & !0xffff;
    o.text("\n    cache ");
    o.open_array(Some("cache"));
    if rest != 0 {
        o.text("<");
    }
    let mut first = true;
    for &(bit, name) in RTCF {
        if rest & bit != 0 {
            rest &= !bit;
            if !first {
                o.text(",");
            }
            first = false;
            o.item("{}", name);
        }
    }
    if rest != 0 {
        if !first {
            o.text(",");
        }
        o.item("{}", format_args!("{rest:#x}"));
    }
    if flags & !0xffff != 0 {
        o.text("> ");
    }
    o.close();
}

/// RTA_CACHEINFO: expiry, error, IP id and timestamps when set.
fn print_cacheinfo<S: Sink>(o: &mut S, c: &CacheInfo) {
    let expires = c.expires as u32 as i32;
    if expires != 0 {
        o.int(
            "expires",
            "expires {}sec ",
            i64::from(expires) / USER_HZ as i64,
        );
    }
    if c.error != 0 {
        o.uint("error", "error {} ", c.error);
    }
    let id = c.id;
    if id != 0 {
        o.any_str(Some("ipid"), format_args!("ipid 0x{id:04x} "), CHex(id));
    }
    let (ts, tsage) = (c.ts, c.tsage);
    if ts != 0 || tsage != 0 {
        o.any_str(Some("ts"), format_args!("ts {ts:#x}"), CHex(ts));
        o.uint("tsage", "tsage {}sec ", tsage);
    }
}

/// A metric in milliseconds: `1.5s ` or `300ms `.
struct Millis(u64);

impl std::fmt::Display for Millis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 >= 1000 {
            write!(f, "{}s ", self.0 as f64 / 1e3)
        } else {
            write!(f, "{}ms ", self.0)
        }
    }
}

/// RTA_METRICS: `mtu 1400`, or `metrics: [{mtu: 1400}]`.
fn print_metrics<S: Sink>(o: &mut S, metrics: &Metrics) {
    o.open_array(Some("metrics"));
    o.open_object(None);
    let lock = metrics.val[usize::from(RTAX_LOCK)];
    // RTAX_* numbers 2 ..= 17, in number order as `ip` walks them.
    for id in 2u16..=17 {
        let present = metrics.present & (1 << id) != 0;
        let locked = lock & (1 << id) != 0;
        if !present && !locked {
            continue;
        }
        let val = metrics.val[usize::from(id)];
        // RTAX_HOPLIMIT -1 means "default".
        if id == RTAX_HOPLIMIT && val as u32 == u32::MAX {
            continue;
        }
        let name = METRIC_NAMES.name(id.into()).unwrap_or("metric");
        if !o.is_json() {
            if METRIC_NAMES.name(id.into()).is_some() {
                o.text_fmt(format_args!("{name} "));
            } else {
                o.text_fmt(format_args!("metric {id} "));
            }
            if locked {
                o.text("lock ");
            }
        }
        match id {
            RTAX_FEATURES => {
                if val & RTAX_FEATURE_ECN != 0 {
                    o.null("ecn", "ecn ");
                }
                if val & !RTAX_FEATURE_ECN != 0 {
                    o.hex("features", "{} ", val);
                }
            }
            // Milliseconds (RTT and RTTVAR scaled as the kernel keeps them).
            RTAX_RTT | RTAX_RTTVAR | RTAX_RTO_MIN => {
                let ms = match id {
                    RTAX_RTT => val / 8,
                    RTAX_RTTVAR => val / 4,
                    _ => val,
                };
                o.any_uint(Some(name), format_args!("{}", Millis(ms)), ms);
            }
            RTAX_CC_ALGO => o.string("congestion", "{} ", metrics.cc.unwrap_or_default()),
            _ => o.uint(name, "{} ", val),
        }
    }
    o.close();
    o.close();
}

/// RTA_MULTIPATH: one `nexthop via ... dev ... weight N` line per hop.
fn print_multipath<S: Sink>(o: &mut S, rt_flags: u32, rt_kind: u8, hops: &Hops, links: &LinkCache) {
    let mcast_cache = rt_flags & RTM_F_CLONED != 0 && rt_kind == RTN_MULTICAST;
    o.open_array(Some("nexthops"));
    hops.for_each(|i, hop| {
        o.open_object(None);
        if mcast_cache {
            o.text(if i == 0 { "Oifs: " } else { " " });
        } else {
            o.text("\n\tnexthop ");
        }
        print_hop_addrs(o, &hop.addrs);
        if let Some(flow) = hop.flow {
            print_flow(o, flow);
        }
        let dev = links.name_ref(hop.ifindex as u32);
        if mcast_cache {
            o.string("dev", "{}", dev);
            if hop.hops != 1 {
                o.int("ttl", "(ttl>{})", hop.hops.into());
            }
            o.text(" ");
        } else {
            o.string("dev", "dev {} ", dev);
            o.int("weight", "weight {} ", i64::from(hop.hops) + 1);
        }
        print_rt_flags(o, hop.flags.into());
        o.close();
    });
    o.close();
}

#[cfg(test)]
mod tests {
    //! The fast path (views into [`Direct`]) against the generic path
    //! (owned `Message` into `Out`, serialized by `serde_json`): the same
    //! bytes for a varied set of routes, in every output format and style.

    use std::net::IpAddr;

    use rtnl_wire::family::link::IfInfoMsg;
    use rtnl_wire::family::route::{METRICS, ROUTE};
    use rtnl_wire::netlink::Messages;
    use rtnl_wire::rtm::{RTM_NEWLINK, RTM_NEWROUTE};
    use rtnl_wire::value::Via;

    use super::*;

    fn ip(s: &str) -> Value {
        Value::Ip(s.parse::<IpAddr>().unwrap())
    }

    fn attr(name: &str, v: Value) -> Attr {
        Attr::new(&ROUTE, name, v).unwrap()
    }

    fn metric(name: &str, v: Value) -> Attr {
        Attr::new(&METRICS, name, v).unwrap()
    }

    fn raw(id: u16, bytes: &[u8]) -> Attr {
        Attr {
            id,
            flag_bits: 0,
            spec: ROUTE.by_id(id),
            value: Value::Raw(bytes.to_vec()),
        }
    }

    fn links() -> LinkCache {
        let names = [(1, "lo"), (2, "eth0"), (3, "we\"ird\\\u{1}\té")];
        let msgs: Vec<Message> = names
            .iter()
            .map(|&(index, name)| {
                let mut m = Message::new(
                    RTM_NEWLINK,
                    0,
                    Fixed::Link(IfInfoMsg {
                        index,
                        ..Default::default()
                    }),
                );
                m.push_attr("IFLA_IFNAME", Value::Str(name.into()));
                m
            })
            .collect();
        LinkCache::from_links(&msgs)
    }

    fn route(kind: u16, h: RtMsg, attrs: Vec<Attr>) -> Vec<u8> {
        let mut m = Message::new(kind, 0, Fixed::Route(h));
        m.attrs = attrs;
        m.to_bytes()
    }

    fn v4(dst_len: u8, table: u8, protocol: u8, scope: u8, kind: u8) -> RtMsg {
        RtMsg {
            family: AF_INET,
            dst_len,
            table,
            protocol,
            scope,
            kind,
            ..Default::default()
        }
    }

    fn v6(dst_len: u8, kind: u8) -> RtMsg {
        RtMsg {
            family: AF_INET6,
            dst_len,
            table: 254,
            protocol: 9,
            kind,
            ..Default::default()
        }
    }

    /// The routes, and whether the fast path takes each.
    fn routes() -> Vec<(Vec<u8>, bool)> {
        let gw = |s: &str| vec![attr("RTA_GATEWAY", ip(s))];
        let hop = |flags, hops, ifindex, attrs| NextHop {
            flags,
            hops,
            ifindex,
            attrs,
        };
        let cache = |v: Vec<u64>| attr("RTA_CACHEINFO", Value::Struct(v));
        let mut out = vec![
            // The benchmark's route: table 100, gateway, device.
            (
                route(
                    RTM_NEWROUTE,
                    v4(32, 100, 3, 0, 1),
                    vec![
                        attr("RTA_TABLE", Value::U32(100)),
                        attr("RTA_DST", ip("100.64.1.2")),
                        attr("RTA_GATEWAY", ip("10.0.0.2")),
                        attr("RTA_OIF", Value::U32(2)),
                    ],
                ),
                true,
            ),
            // Default route, main table, static, metric.
            (
                route(
                    RTM_NEWROUTE,
                    v4(0, 254, 4, 0, 1),
                    vec![
                        attr("RTA_TABLE", Value::U32(254)),
                        attr("RTA_PRIORITY", Value::U32(100)),
                        attr("RTA_GATEWAY", ip("192.168.1.1")),
                        attr("RTA_OIF", Value::U32(3)),
                    ],
                ),
                true,
            ),
            // Local and broadcast in table local, prefsrc, link and host scope.
            (
                route(
                    RTM_NEWROUTE,
                    v4(32, 255, 2, 254, 2),
                    vec![
                        attr("RTA_TABLE", Value::U32(255)),
                        attr("RTA_DST", ip("127.0.0.1")),
                        attr("RTA_PREFSRC", ip("127.0.0.1")),
                        attr("RTA_OIF", Value::U32(1)),
                    ],
                ),
                true,
            ),
            (
                route(
                    RTM_NEWROUTE,
                    v4(32, 255, 2, 253, 3),
                    vec![
                        attr("RTA_TABLE", Value::U32(255)),
                        attr("RTA_DST", ip("10.0.0.255")),
                        attr("RTA_PREFSRC", ip("10.0.0.1")),
                        attr("RTA_OIF", Value::U32(2)),
                    ],
                ),
                true,
            ),
            // A prefix; an unknown device; unknown type, protocol, scope and
            // table numbers; a big table id; tos; offload flags.
            (
                route(
                    RTM_NEWROUTE,
                    RtMsg {
                        tos: 0x10,
                        flags: 0x4000 | 0x8 | 0x1,
                        ..v4(24, 252, 77, 99, 42)
                    },
                    vec![
                        attr("RTA_TABLE", Value::U32(100_000)),
                        attr("RTA_DST", ip("10.1.2.0")),
                        attr("RTA_OIF", Value::U32(99)),
                    ],
                ),
                true,
            ),
            // Blackhole, no device; the weird device name as iif; mark,
            // uid, nhid, flow realms, ttl propagation.
            (
                route(
                    RTM_NEWROUTE,
                    v4(8, 254, 4, 0, 6),
                    vec![
                        attr("RTA_DST", ip("10.0.0.0")),
                        attr("RTA_IIF", Value::U32(3)),
                        attr("RTA_MARK", Value::U32(0x1234)),
                        attr("RTA_UID", Value::U32(1000)),
                        attr("RTA_NH_ID", Value::U32(7)),
                        attr("RTA_FLOW", Value::U32(0x0003_0004)),
                        attr("RTA_TTL_PROPAGATE", Value::U8(1)),
                    ],
                ),
                true,
            ),
            (
                route(
                    RTM_NEWROUTE,
                    v4(16, 254, 4, 0, 7),
                    vec![
                        attr("RTA_DST", ip("10.9.0.0")),
                        attr("RTA_MARK", Value::U32(5)),
                        attr("RTA_FLOW", Value::U32(9)),
                        attr("RTA_TTL_PROPAGATE", Value::U8(0)),
                        attr("RTA_OIF", Value::U32(3)),
                    ],
                ),
                true,
            ),
            // Source prefixes with and without RTA_SRC, dst_len without RTA_DST.
            (
                route(
                    RTM_NEWROUTE,
                    RtMsg {
                        src_len: 16,
                        ..v4(0, 254, 4, 0, 1)
                    },
                    vec![
                        attr("RTA_SRC", ip("172.16.0.0")),
                        attr("RTA_OIF", Value::U32(2)),
                    ],
                ),
                true,
            ),
            (
                route(
                    RTM_NEWROUTE,
                    RtMsg {
                        src_len: 8,
                        ..v4(24, 254, 4, 0, 1)
                    },
                    vec![attr("RTA_OIF", Value::U32(2))],
                ),
                true,
            ),
            // RTA_VIA: an IPv4 route through an IPv6 gateway, and one of an
            // unknown family.
            (
                route(
                    RTM_NEWROUTE,
                    v4(32, 254, 4, 0, 1),
                    vec![
                        attr("RTA_DST", ip("10.5.5.5")),
                        attr(
                            "RTA_VIA",
                            Value::Via(Via {
                                family: AF_INET6.into(),
                                addr: "fe80::1"
                                    .parse::<std::net::Ipv6Addr>()
                                    .unwrap()
                                    .octets()
                                    .to_vec(),
                            }),
                        ),
                        attr("RTA_OIF", Value::U32(2)),
                    ],
                ),
                true,
            ),
            (
                route(
                    RTM_NEWROUTE,
                    v4(32, 254, 4, 0, 1),
                    vec![
                        attr("RTA_DST", ip("10.5.5.6")),
                        attr(
                            "RTA_VIA",
                            Value::Via(Via {
                                family: 99,
                                addr: vec![1, 2, 3],
                            }),
                        ),
                    ],
                ),
                true,
            ),
            // Multipath: gateways, flags, weights, a flow, an RTA_VIA hop.
            (
                route(
                    RTM_NEWROUTE,
                    v4(24, 254, 4, 0, 1),
                    vec![
                        attr("RTA_TABLE", Value::U32(254)),
                        attr("RTA_DST", ip("10.2.0.0")),
                        attr(
                            "RTA_MULTIPATH",
                            Value::Multipath(vec![
                                hop(0, 0, 2, gw("10.0.0.2")),
                                hop(0x1 | 0x4, 4, 3, {
                                    let mut a = gw("10.0.0.3");
                                    a.push(attr("RTA_FLOW", Value::U32(0x10002)));
                                    a
                                }),
                                hop(
                                    0,
                                    1,
                                    0,
                                    vec![attr(
                                        "RTA_VIA",
                                        Value::Via(Via {
                                            family: AF_INET6.into(),
                                            addr: vec![0; 16],
                                        }),
                                    )],
                                ),
                            ]),
                        ),
                    ],
                ),
                true,
            ),
            // IPv6: cache info (expiry, error, id, timestamps), pref
            // (named and not), metrics of every shape, RTA_EXPIRES.
            (
                route(
                    RTM_NEWROUTE,
                    v6(64, 1),
                    vec![
                        attr("RTA_TABLE", Value::U32(254)),
                        attr("RTA_DST", ip("2001:db8:1::")),
                        attr("RTA_PRIORITY", Value::U32(1024)),
                        attr("RTA_GATEWAY", ip("fe80::1")),
                        attr("RTA_OIF", Value::U32(2)),
                        cache(vec![0, 0, 179_999, 0, 0, 0, 0, 0]),
                        attr("RTA_PREF", Value::U8(1)),
                        attr("RTA_EXPIRES", Value::U64(1799)),
                        attr(
                            "RTA_METRICS",
                            Value::Nested(vec![
                                metric("RTAX_LOCK", Value::U32(1 << 2 | 1 << 7)),
                                metric("RTAX_MTU", Value::U32(1400)),
                                metric("RTAX_RTT", Value::U32(8 * 1500)),
                                metric("RTAX_RTTVAR", Value::U32(4 * 30)),
                                metric("RTAX_HOPLIMIT", Value::U32(64)),
                                metric("RTAX_FEATURES", Value::U32(1 | 4)),
                                metric("RTAX_RTO_MIN", Value::U32(200)),
                                metric("RTAX_CC_ALGO", Value::Str("cubic".into())),
                                metric("RTAX_QUICKACK", Value::U32(1)),
                            ]),
                        ),
                    ],
                ),
                true,
            ),
            (
                route(
                    RTM_NEWROUTE,
                    v6(128, 1),
                    vec![
                        attr("RTA_DST", ip("2001:db8::5")),
                        attr("RTA_OIF", Value::U32(3)),
                        cache(vec![1, 2, u64::from(-500i32 as u32), 113, 5, 0x1234, 9, 3]),
                        attr("RTA_PREF", Value::U8(2)),
                        attr(
                            "RTA_METRICS",
                            Value::Nested(vec![
                                metric("RTAX_HOPLIMIT", Value::U32(u32::MAX)),
                                metric("RTAX_FEATURES", Value::U32(1)),
                                raw(30, &[1, 0, 0, 0]),
                            ]),
                        ),
                    ],
                ),
                true,
            ),
            // IPv6 multicast / anycast types, default route, no cache info.
            (
                route(
                    RTM_NEWROUTE,
                    v6(8, 5),
                    vec![
                        attr("RTA_DST", ip("ff00::")),
                        attr("RTA_OIF", Value::U32(2)),
                    ],
                ),
                true,
            ),
            (
                route(
                    RTM_NEWROUTE,
                    v6(0, 1),
                    vec![
                        attr("RTA_GATEWAY", ip("fe80::1")),
                        attr("RTA_OIF", Value::U32(2)),
                        attr(
                            "RTA_MULTIPATH",
                            Value::Multipath(vec![
                                hop(0, 0, 2, gw("fe80::2")),
                                hop(0x10, 1, 3, gw("fe80::3")),
                            ]),
                        ),
                    ],
                ),
                true,
            ),
            // A deleted route; a duplicate RTA_DST (the first counts).
            (
                route(
                    RTM_DELROUTE,
                    v4(32, 254, 4, 0, 1),
                    vec![
                        attr("RTA_DST", ip("10.7.7.7")),
                        attr("RTA_DST", ip("10.8.8.8")),
                        attr("RTA_OIF", Value::U32(0)),
                    ],
                ),
                true,
            ),
            // A cloned entry: skipped by both.
            (
                route(
                    RTM_NEWROUTE,
                    RtMsg {
                        flags: RTM_F_CLONED,
                        ..v4(32, 254, 2, 0, 1)
                    },
                    vec![attr("RTA_DST", ip("10.3.3.3"))],
                ),
                true,
            ),
        ];
        // The generic path only: an attribute no table knows, one the fast
        // path does not read, values that do not fit their type, a
        // malformed nest.
        let slow = [
            vec![attr("RTA_DST", ip("10.4.0.1")), raw(99, &[1, 2, 3])],
            vec![
                attr("RTA_DST", ip("10.4.0.2")),
                attr("RTA_ENCAP_TYPE", Value::U16(1)),
            ],
            vec![attr("RTA_DST", ip("10.4.0.3")), raw(4, &[2, 0])],
            vec![raw(1, &[10, 4, 0])],
            vec![
                attr("RTA_DST", ip("10.4.0.5")),
                raw(8, &[8, 0, 2, 0, 1, 2, 3]),
            ],
            vec![
                attr("RTA_DST", ip("10.4.0.6")),
                raw(9, &[16, 0, 0, 0, 2, 0, 0, 0]),
            ],
            vec![
                attr("RTA_DST", ip("10.4.0.7")),
                attr(
                    "RTA_MULTIPATH",
                    Value::Multipath(vec![hop(0, 0, 2, vec![raw(99, &[0; 4])])]),
                ),
            ],
        ];
        for attrs in slow {
            out.push((route(RTM_NEWROUTE, v4(32, 254, 4, 0, 1), attrs), false));
        }
        out
    }

    fn styles() -> Vec<RouteStyle> {
        let s = |table, details, one_dev, one_proto| RouteStyle {
            table,
            details,
            one_dev,
            one_proto,
            ..Default::default()
        };
        vec![
            s(None, false, false, false),
            s(None, true, false, false),
            s(Some(254), false, true, true),
        ]
    }

    /// Renders `routes` as `route show` does: `fast` or all generic.
    fn show(routes: &[Vec<u8>], json: bool, pretty: bool, style: RouteStyle, fast: bool) -> String {
        let links = links();
        let mut out = Streamer::with_writer(Vec::new(), json, pretty);
        for bytes in routes {
            let m = Messages::new(bytes).next().unwrap().unwrap();
            show_one(&mut out, &m, &links, style, &Select::default(), fast).unwrap();
        }
        String::from_utf8(out.finish().unwrap()).unwrap()
    }

    #[test]
    fn fast_path_takes_what_it_reads_and_nothing_else() {
        for (i, (bytes, fast)) in routes().iter().enumerate() {
            let m = Messages::new(bytes).next().unwrap().unwrap();
            assert_eq!(fast::fields(&m).is_some(), *fast, "route {i}");
            // Whatever it takes, the generic decoder reads without error.
            assert!(Message::parse(&m).is_ok());
        }
    }

    #[test]
    fn fast_and_generic_paths_print_the_same_bytes() {
        let routes: Vec<Vec<u8>> = routes().into_iter().map(|r| r.0).collect();
        for style in styles() {
            for (json, pretty) in [(true, false), (true, true), (false, false)] {
                // Each route alone, then all of them in one listing.
                let singles = routes.iter().map(std::slice::from_ref);
                for set in singles.chain([&routes[..]]) {
                    let a = show(set, json, pretty, style, true);
                    let b = show(set, json, pretty, style, false);
                    assert_eq!(a, b, "json {json} pretty {pretty} {style:?}");
                }
            }
        }
    }

    #[test]
    fn streamed_output_is_what_out_finish_prints() {
        // The streamer (pretty JSON included) against one `Out` document
        // finished at the end, as listings were printed before streaming.
        let routes: Vec<Vec<u8>> = routes().into_iter().map(|r| r.0).collect();
        let links = links();
        let style = styles()[0];
        for (json, pretty) in [(true, false), (true, true), (false, false)] {
            let mut o = if json { Out::json() } else { Out::plain() };
            for bytes in &routes {
                let m = Messages::new(bytes).next().unwrap().unwrap();
                let r = Message::parse(&m).unwrap();
                if RouteFields::of_message(&r).is_some_and(|f| Select::default().keeps(&f)) {
                    print_route(&mut o, &r, &links, style);
                }
            }
            assert_eq!(show(&routes, json, pretty, style, true), o.finish(pretty));
        }
        // An empty listing.
        assert_eq!(show(&[], true, false, style, true), "[]\n");
        assert_eq!(show(&[], true, true, style, true), "[]\n");
        assert_eq!(show(&[], false, false, style, true), "");
    }

    #[test]
    fn device_names_are_escaped_as_serde_json_escapes_them() {
        let routes = [route(
            RTM_NEWROUTE,
            v4(32, 254, 4, 0, 1),
            vec![
                attr("RTA_DST", ip("10.0.0.9")),
                attr("RTA_OIF", Value::U32(3)),
            ],
        )];
        let s = show(&routes, true, false, styles()[0], true);
        assert!(s.contains(r#""dev":"we\"ird\\\u0001\té""#), "{s}");
    }
}
