//! Routes: `ip route show` (iproute2's `print_route`).

use rtnl::RouteFilter;
use rtnl_wire::attr::Attr;
use rtnl_wire::names::{METRIC_NAMES, ROUTE_PREFS};
use rtnl_wire::rtm::RTM_DELROUTE;
use rtnl_wire::value::NextHop;
use rtnl_wire::{Fixed, Message, Value};
use serde_json::Value as Json;

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::names::{
    family_name, host_len, protocol_name, route_flag_names, route_type_name, scope_name,
    table_name, Attrs, LinkCache, AF_INET, AF_INET6,
};
use crate::out::{c_hex, Out, Streamer};

const RT_TABLE_MAIN: u32 = 254;
const RTN_UNICAST: u8 = 1;
const RTN_MULTICAST: u8 = 5;
const RTPROT_BOOT: u8 = 3;
const RTM_F_CLONED: u32 = 0x200;
/// `RTAX_FEATURE_ECN`.
const RTAX_FEATURE_ECN: u64 = 1;
/// USER_HZ: route expiry times come in these ticks.
const USER_HZ: u64 = 100;

/// Which routes a listing shows and how.
#[derive(Debug, Clone, Copy)]
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
}

/// `rtnl route show [table ID|NAME|all] [dev NAME] [proto PROTO]`.
pub fn show(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let table = match p.get("table") {
        None => Some(RT_TABLE_MAIN),
        Some("all") => None,
        Some(t) => Some(parse_table(t)?),
    };
    let protocol = match p.get("proto") {
        None | Some("all") => None,
        Some(v) => Some(parse_name(&rtnl_wire::names::ROUTE_PROTOCOLS, v, "protocol")? as u8),
    };
    // Like `ip`, a listing of one table is IPv4 unless -6 says otherwise.
    let family = match (ctx.opts.family, table) {
        (0, Some(_)) => AF_INET,
        (f, _) => f,
    };
    let (_, links) = ctx.links()?;
    let oif = match p.get("dev") {
        Some(d) => Some(ctx.device_index(&links, d)?),
        None => None,
    };
    let filter = RouteFilter {
        family,
        table,
        oif,
        protocol,
        ..Default::default()
    };
    let style = RouteStyle {
        table,
        details: ctx.opts.details,
        one_dev: oif.is_some(),
        one_proto: protocol.is_some(),
    };
    // Stream: each route is parsed, rendered and written before the next is
    // read, so a table of a million routes needs no more memory than one.
    let mut out = Streamer::new(ctx.out(), ctx.opts.pretty);
    let write_err = |e: std::io::Error| CliError::failed(format!("write to stdout: {e}"));
    let mut interrupted = false;
    let mut dump = ctx.ipr()?.stream(&filter)?;
    while let Some(m) = dump.next_msg() {
        let m = match m {
            Ok(m) => m,
            Err(rtnl::Error::DumpInterrupted { .. }) => {
                interrupted = true;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let r = Message::parse(&m).map_err(|e| {
            CliError::from(rtnl::Error::Decode {
                op: "dump routes".into(),
                source: e,
            })
        })?;
        // A cloned (cache) entry only shows with `table cache`.
        if matches!(&r.fixed, Fixed::Route(h) if h.flags & RTM_F_CLONED != 0) {
            continue;
        }
        // `ip route show dev X` wants RTA_OIF itself: multipath routes
        // through X are not listed.
        if oif.is_some() && r.u32_of("RTA_OIF") != oif {
            continue;
        }
        let mut o = out.out();
        print_route(&mut o, &r, &links, style);
        out.push(o).map_err(write_err)?;
    }
    drop(dump);
    out.finish().map_err(write_err)?;
    if interrupted {
        // As `ip` does: the listing is out, but it may be inconsistent.
        return Err(CliError {
            msg: "Dump was interrupted and may be inconsistent.".into(),
            code: 2,
        });
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

/// Prints one route.
pub fn print_route(o: &mut Out, m: &Message, links: &LinkCache, style: RouteStyle) {
    let Fixed::Route(h) = &m.fixed else {
        return;
    };
    let table = m.u32_of("RTA_TABLE").unwrap_or(h.table.into());
    let hlen = host_len(h.family);
    o.open_object(None);
    if m.header.kind == RTM_DELROUTE {
        o.flag("deleted", "Deleted ");
    }
    if h.kind != RTN_UNICAST || style.details {
        o.string("type", "{} ", &route_type_name(h.kind.into()));
    }
    let dst = match m.ip_of("RTA_DST") {
        Some(a) if Some(h.dst_len) != hlen => format!("{a}/{}", h.dst_len),
        Some(a) => a.to_string(),
        None if h.dst_len != 0 => format!("0/{} ", h.dst_len),
        None => "default".into(),
    };
    o.string("dst", "{} ", &dst);
    match m.ip_of("RTA_SRC") {
        Some(a) => {
            let src = if Some(h.src_len) != hlen {
                format!("{a}/{}", h.src_len)
            } else {
                a.to_string()
            };
            o.string("from", "from {} ", &src);
        }
        None if h.src_len != 0 => o.string("src", "from {} ", &format!("0/{}", h.src_len)),
        None => {}
    }
    if let Some(nh) = m.u64_of("RTA_NH_ID") {
        o.uint("nhid", "nhid {} ", nh);
    }
    if h.tos != 0 {
        o.string("tos", "tos {} ", &format!("0x{:02x}", h.tos));
    }
    print_hop_addrs(o, m.attrs.as_slice());
    if let Some(oif) = m.u32_of("RTA_OIF").filter(|_| !style.one_dev) {
        print_ifidx(o, "dev", &links.name(oif));
    }
    if table != 0 && (table != RT_TABLE_MAIN || style.details) && style.table.is_none() {
        o.string("table", "table {} ", &table_name(table));
    }
    if h.flags & RTM_F_CLONED == 0 {
        if (h.protocol != RTPROT_BOOT || style.details) && !style.one_proto {
            o.string("protocol", "proto {} ", &protocol_name(h.protocol.into()));
        }
        if h.scope != 0 || style.details {
            o.string("scope", "scope {} ", &scope_name(h.scope.into()));
        }
    }
    if let Some(src) = m.ip_of("RTA_PREFSRC") {
        o.any(
            Some("prefsrc"),
            &format!("src {src} "),
            Json::from(src.to_string()),
        );
    }
    if let Some(metric) = m.u64_of("RTA_PRIORITY") {
        o.uint("metric", "metric {} ", metric);
    }
    print_rt_flags(o, h.flags);
    if let Some(mark) = m.u64_of("RTA_MARK").filter(|m| *m != 0) {
        let text = if mark >= 16 {
            format!("mark {mark:#x} ")
        } else {
            format!("mark {mark} ")
        };
        o.any(Some("mark"), &text, Json::from(mark));
    }
    if let Some(flow) = m.u32_of("RTA_FLOW") {
        print_flow(o, flow);
    }
    if let Some(uid) = m.u64_of("RTA_UID") {
        o.uint("uid", "uid {} ", uid);
    }
    if h.family == AF_INET && h.flags & RTM_F_CLONED != 0 {
        print_cache_flags(o, h.flags);
    }
    if (h.family == AF_INET || h.family == AF_INET6) && m.has("RTA_CACHEINFO") {
        print_cacheinfo(o, m);
    }
    if let Some(metrics) = m.nested("RTA_METRICS") {
        print_metrics(o, metrics);
    }
    if let Some(iif) = m.u32_of("RTA_IIF") {
        print_ifidx(o, "iif", &links.name(iif));
    }
    if let Some(pref) = m.u32_of("RTA_PREF") {
        match ROUTE_PREFS.name(pref) {
            Some(n) => o.string("pref", "pref {}", n),
            None => o.uint("pref", "{}", pref.into()),
        }
    }
    if let Some(p) = m.u64_of("RTA_TTL_PROPAGATE") {
        let word = if p != 0 { "enabled" } else { "disabled" };
        o.any(
            Some("ttl-propogate"),
            &format!("ttl-propogate {word}"),
            Json::Bool(p != 0),
        );
    }
    if let Some(Value::Multipath(hops)) = m.val("RTA_MULTIPATH") {
        print_multipath(o, h.flags, h.kind, hops, links);
    }
    o.text("\n");
    o.close();
}

/// RTA_GATEWAY and RTA_VIA of a route or a next hop.
fn print_hop_addrs(o: &mut Out, attrs: &[Attr]) {
    if let Some(gw) = attrs.ip_of("RTA_GATEWAY") {
        o.any(
            Some("gateway"),
            &format!("via {gw} "),
            Json::from(gw.to_string()),
        );
    }
    if let Some(Value::Via(via)) = attrs.val("RTA_VIA") {
        let fam = family_name(via.family as u8).unwrap_or("???");
        let host = via
            .ip()
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| rtnl_wire::value::hex_colon(&via.addr));
        if o.is_json() {
            o.open_object(Some("via"));
            o.put(Some("family"), Json::from(fam));
            o.put(Some("host"), Json::from(host));
            o.close();
        } else {
            o.text(&format!("via {fam} {host} "));
        }
    }
}

fn print_ifidx(o: &mut Out, key: &str, name: &str) {
    o.any(Some(key), &format!("{key} {name} "), Json::from(name));
}

fn print_rt_flags(o: &mut Out, flags: u32) {
    o.open_array(Some("flags"));
    for name in route_flag_names(flags) {
        o.item("{} ", &name);
    }
    o.close();
}

/// RTA_FLOW: realms, by number (names from /etc/iproute2/rt_realms are not read).
fn print_flow(o: &mut Out, flow: u32) {
    let (from, to) = (flow >> 16, flow & 0xffff);
    if o.is_json() {
        o.open_object(Some("flow"));
        if from != 0 {
            o.put(Some("from"), Json::from(realm_name(from)));
        }
        o.put(Some("to"), Json::from(realm_name(to)));
        o.close();
    } else if from != 0 {
        o.text(&format!("realms {}/{} ", realm_name(from), realm_name(to)));
    } else {
        o.text(&format!("realm {} ", realm_name(to)));
    }
}

fn realm_name(r: u32) -> String {
    if r == 0 {
        "unknown".into()
    } else {
        r.to_string()
    }
}

/// `cache <flags>` of a cloned IPv4 route (`ip route get`), with the
/// `RTCF_*` flags in the high bits named as iproute2 names them.
fn print_cache_flags(o: &mut Out, flags: u32) {
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
        o.item("{}", &format!("{rest:#x}"));
    }
    if flags & !0xffff != 0 {
        o.text("> ");
    }
    o.close();
}

/// RTA_CACHEINFO: expiry, error, IP id and timestamps when set.
fn print_cacheinfo(o: &mut Out, m: &Message) {
    let field = |f: &str| m.field("RTA_CACHEINFO", f).unwrap_or(0);
    let expires = field("rta_expires") as u32 as i32;
    if expires != 0 {
        o.int(
            "expires",
            "expires {}sec ",
            i64::from(expires) / USER_HZ as i64,
        );
    }
    let error = field("rta_error");
    if error != 0 {
        o.uint("error", "error {} ", error);
    }
    let id = field("rta_id");
    if id != 0 {
        o.any(
            Some("ipid"),
            &format!("ipid 0x{id:04x} "),
            Json::from(c_hex(id)),
        );
    }
    let (ts, tsage) = (field("rta_ts"), field("rta_tsage"));
    if ts != 0 || tsage != 0 {
        o.any(Some("ts"), &format!("ts {ts:#x}"), Json::from(c_hex(ts)));
        o.uint("tsage", "tsage {}sec ", tsage);
    }
}

/// RTA_METRICS: `mtu 1400`, or `metrics: [{mtu: 1400}]`.
fn print_metrics(o: &mut Out, metrics: &[Attr]) {
    o.open_array(Some("metrics"));
    o.open_object(None);
    let lock = metrics.u64_of("RTAX_LOCK").unwrap_or(0);
    // RTAX_* numbers 2 ..= 17, in number order as `ip` walks them.
    for id in 2u16..=17 {
        let attr = metrics.iter().find(|a| a.id == id);
        let locked = lock & (1 << id) != 0;
        if attr.is_none() && !locked {
            continue;
        }
        let val = attr.and_then(|a| a.value.as_u64()).unwrap_or(0);
        // RTAX_HOPLIMIT -1 means "default".
        if id == 10 && val as u32 == u32::MAX {
            continue;
        }
        let name = METRIC_NAMES.name(id.into()).unwrap_or("metric");
        if !o.is_json() {
            if METRIC_NAMES.name(id.into()).is_some() {
                o.text(&format!("{name} "));
            } else {
                o.text(&format!("metric {id} "));
            }
            if locked {
                o.text("lock ");
            }
        }
        match id {
            // RTAX_FEATURES
            12 => {
                if val & RTAX_FEATURE_ECN != 0 {
                    o.null("ecn", "ecn ");
                }
                if val & !RTAX_FEATURE_ECN != 0 {
                    o.hex("features", "{} ", val);
                }
            }
            // RTAX_RTT, RTAX_RTTVAR, RTAX_RTO_MIN: milliseconds (scaled).
            4 | 5 | 13 => {
                let ms = match id {
                    4 => val / 8,
                    5 => val / 4,
                    _ => val,
                };
                let text = if ms >= 1000 {
                    format!("{}s ", ms as f64 / 1e3)
                } else {
                    format!("{ms}ms ")
                };
                o.any(Some(name), &text, Json::from(ms));
            }
            // RTAX_CC_ALGO
            16 => {
                let cc = attr.and_then(|a| a.value.as_str()).unwrap_or_default();
                o.string("congestion", "{} ", cc);
            }
            _ => o.uint(name, "{} ", val),
        }
    }
    o.close();
    o.close();
}

/// RTA_MULTIPATH: one `nexthop via ... dev ... weight N` line per hop.
fn print_multipath(o: &mut Out, rt_flags: u32, rt_kind: u8, hops: &[NextHop], links: &LinkCache) {
    let mcast_cache = rt_flags & RTM_F_CLONED != 0 && rt_kind == RTN_MULTICAST;
    o.open_array(Some("nexthops"));
    for (i, hop) in hops.iter().enumerate() {
        o.open_object(None);
        if mcast_cache {
            o.text(if i == 0 { "Oifs: " } else { " " });
        } else {
            o.text("\n\tnexthop ");
        }
        print_hop_addrs(o, &hop.attrs);
        if let Some(flow) = hop.attrs.u32_of("RTA_FLOW") {
            print_flow(o, flow);
        }
        let dev = links.name(hop.ifindex as u32);
        if mcast_cache {
            o.string("dev", "{}", &dev);
            if hop.hops != 1 {
                o.int("ttl", "(ttl>{})", hop.hops.into());
            }
            o.text(" ");
        } else {
            o.string("dev", "dev {} ", &dev);
            o.int("weight", "weight {} ", i64::from(hop.hops) + 1);
        }
        print_rt_flags(o, hop.flags.into());
        o.close();
    }
    o.close();
}
