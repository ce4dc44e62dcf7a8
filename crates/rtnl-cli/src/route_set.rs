//! `rtnl route add | delete | replace | append | change | get | flush`, with
//! `ip route`'s syntax.

use rtnl::request::{self, Nexthop, Request, Route, RouteQuery, RouteType};
use rtnl_wire::names::{METRIC_NAMES, ROUTE_PROTOCOLS, SCOPES};

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::names::{AF_INET, AF_INET6};
use crate::route::{parse_table, print_route, RouteFields, RouteStyle, Select};
use crate::setter::{
    describe, lib_err, named, parse_addr, parse_num, parse_prefix, run_plan, wrong, Devs, Words,
};

/// `rtnl route add [TYPE] PREFIX [via ADDR] [dev DEV] [src ADDR]
/// [metric N] [table T] [scope S] [proto P] [onlink] [mtu N ...]
/// [nexthop via ADDR dev DEV weight W ...]`.
pub fn add(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_add)
}
/// `rtnl route delete ROUTE`.
pub fn del(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_del)
}
/// `rtnl route replace ROUTE`.
pub fn replace(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_replace)
}
/// `rtnl route append ROUTE`.
pub fn append(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_append)
}
/// `rtnl route change ROUTE`.
pub fn change(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_change)
}

/// Reads one `via [inet|inet6] ADDR`.
fn via(w: &mut Words) -> Result<std::net::IpAddr, CliError> {
    let mut v = w.value("via")?;
    if v == "inet" || v == "inet6" {
        v = w.value("via")?;
    }
    parse_addr("via", v)
}

/// Parses a route the way `ip route` does.
pub fn parse_route(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Route, CliError> {
    let family = ctx.opts.family;
    let mut r = Route {
        family: if family == AF_INET || family == AF_INET6 {
            family
        } else {
            0
        },
        ..Default::default()
    };
    let mut w = Words::new(words);
    let mut have_dst = false;
    while let Some(word) = w.next_word() {
        match word {
            "to" => {
                r.dst = parse_prefix(w.value("to")?, family)?;
                have_dst = true;
            }
            "from" => r.src = parse_prefix(w.value("from")?, family)?,
            "via" => r.gateway = Some(via(&mut w)?),
            "dev" | "oif" => r.oif = Some(devs.index(ctx, w.value("dev")?)?),
            "src" => r.prefsrc = Some(parse_addr("src", w.value("src")?)?),
            "metric" | "priority" | "preference" => r.metric = Some(w.num("metric")?),
            "table" => r.table = Some(parse_table(w.value("table")?)?),
            "scope" => r.scope = Some(named(&SCOPES, w.value("scope")?, "scope")?),
            "proto" | "protocol" => {
                r.protocol = Some(named(&ROUTE_PROTOCOLS, w.value("proto")?, "protocol")?)
            }
            "tos" | "dsfield" => r.tos = w.num("tos")?,
            "onlink" => r.onlink = true,
            "type" => r.kind = Some(RouteType::from_name(w.value("type")?).map_err(lib_err)?),
            "nexthop" => {
                let mut nh = Nexthop::default();
                loop {
                    match w.peek() {
                        Some("via") => {
                            w.next_word();
                            nh.gateway = Some(via(&mut w)?);
                        }
                        Some("dev") => {
                            w.next_word();
                            nh.oif = Some(devs.index(ctx, w.value("dev")?)?);
                        }
                        Some("weight") => {
                            w.next_word();
                            let v = w.value("weight")?;
                            nh.weight = parse_num(v)
                                .filter(|n| (1..=256).contains(n))
                                .ok_or_else(|| wrong(v, "\"weight\" is 1 to 256"))?;
                        }
                        Some("onlink") => {
                            w.next_word();
                            nh.onlink = true;
                        }
                        _ => break,
                    }
                }
                r.nexthops.push(nh);
            }
            _ if METRIC_NAMES.value(word).is_some() && word != "lock" && word != "congctl" => {
                let id = METRIC_NAMES.value(word).unwrap_or(0) as u16;
                r.metrics.push((id, w.num(word)?));
            }
            _ if !have_dst && r.kind.is_none() && RouteType::from_name(word).is_ok() => {
                r.kind = Some(RouteType::from_name(word).map_err(lib_err)?);
            }
            _ if !have_dst => {
                r.dst = parse_prefix(word, family)?;
                have_dst = true;
            }
            _ => return Err(wrong(word, "unknown route option")),
        }
    }
    if !have_dst {
        return Err(CliError::usage(
            "Error: a route needs its destination (PREFIX or default).",
        ));
    }
    Ok(r)
}

fn plan(
    ctx: &mut Ctx,
    devs: &mut Devs,
    words: &[String],
    verb: &str,
    build: fn(&Route) -> rtnl::Result<Request>,
) -> Result<Request, CliError> {
    let r = parse_route(ctx, devs, words)?;
    let mut req = build(&r).map_err(lib_err)?;
    req.op = describe(verb, "route", words);
    Ok(req)
}

/// Plans `route add`.
pub fn plan_add(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    plan(ctx, devs, words, "add", request::route_add)
}
/// Plans `route delete`.
pub fn plan_del(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    plan(ctx, devs, words, "delete", request::route_del)
}
/// Plans `route replace`.
pub fn plan_replace(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    plan(ctx, devs, words, "replace", request::route_replace)
}
/// Plans `route append`.
pub fn plan_append(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    plan(ctx, devs, words, "append", request::route_append)
}
/// Plans `route change`.
pub fn plan_change(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    plan(ctx, devs, words, "change", request::route_change)
}

/// `rtnl route get ADDR [from ADDR] [iif DEV] [oif DEV] [mark N]
/// [fibmatch]`: the route the kernel would use, printed like `ip route get`.
pub fn get(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut devs = Devs::default();
    let mut w = Words::new(p.words());
    let mut dst = None;
    let mut q = RouteQuery::to(std::net::Ipv4Addr::UNSPECIFIED.into());
    while let Some(word) = w.next_word() {
        match word {
            "to" => dst = Some(parse_addr("to", w.value("to")?)?),
            "from" => q.src = Some(parse_addr("from", w.value("from")?)?),
            "iif" => q.iif = Some(devs.index(ctx, w.value("iif")?)?),
            "oif" | "dev" => q.oif = Some(devs.index(ctx, w.value("oif")?)?),
            "mark" => q.mark = Some(w.num("mark")?),
            "fibmatch" => q.fibmatch = true,
            _ if dst.is_none() => {
                let a = word.split('/').next().unwrap_or(word);
                dst = Some(parse_addr("to", a)?);
            }
            _ => return Err(wrong(word, "unknown route get option")),
        }
    }
    q.dst = dst.ok_or_else(|| CliError::usage("Error: \"route get\" needs a destination."))?;
    let m = ctx.ipr()?.route_get(&q).map_err(lib_err)?;
    let (_, links) = ctx.links()?;
    let mut o = ctx.out();
    let style = RouteStyle {
        table: None,
        details: ctx.opts.details,
        one_dev: false,
        one_proto: false,
        ..Default::default()
    };
    print_route(&mut o, &m, &links, style);
    ctx.emit(o)
}

/// `rtnl route flush [SELECTOR ...]`: deletes the routes `route show`
/// with the same selectors lists (at least one is needed, as with `ip`).
pub fn flush(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    if p.words().is_empty() {
        return Err(CliError::usage("\"rtnl route flush\" requires arguments."));
    }
    let links = ctx.link_cache()?;
    let select = Select::parse(ctx, &links, p.words(), ctx.opts.family)?;
    let filter = select.dump_filter(ctx.opts.family);
    ctx.ipr()?
        .route_flush_where(&filter, |m| {
            RouteFields::of_message(m).is_some_and(|f| select.keeps(&f))
        })
        .map_err(lib_err)?;
    Ok(())
}

use crate::args::{Arg, Verb};
use crate::setter::{kw, verb};

const ROUTE_ARGS: &[Arg] = &[
    kw(
        "TYPE",
        None,
        "unicast, local, blackhole, unreachable, prohibit, throw",
    ),
    kw("PREFIX", None, "the destination (ADDR/LEN or default)"),
    kw("via", Some("ADDR"), "gateway"),
    kw("dev", Some("DEV"), "output link"),
    kw("src", Some("ADDR"), "preferred source address"),
    kw("from", Some("PREFIX"), "source prefix"),
    kw("metric", Some("N"), "metric (priority)"),
    kw("table", Some("ID|NAME"), "table (default main)"),
    kw("scope", Some("SCOPE"), "scope"),
    kw("proto", Some("PROTO"), "protocol (default boot)"),
    kw("onlink", None, "the gateway is on the link"),
    kw(
        "mtu",
        Some("N"),
        "and advmss, hoplimit, window, initcwnd, initrwnd ...: metrics",
    ),
    kw(
        "nexthop",
        Some("via ADDR dev DEV weight W"),
        "a multipath next hop (repeat)",
    ),
];

/// `route add`.
pub const ADD: Verb = verb(&["add"], ROUTE_ARGS, "add a route", add);
/// `route delete`.
pub const DEL: Verb = verb(&["delete", "del"], ROUTE_ARGS, "delete a route", del);
/// `route replace`.
pub const REPLACE: Verb = verb(&["replace"], ROUTE_ARGS, "add or replace a route", replace);
/// `route append`.
pub const APPEND: Verb = verb(
    &["append"],
    ROUTE_ARGS,
    "add a route after those with the same destination",
    append,
);
/// `route change`.
pub const CHANGE: Verb = verb(&["change"], ROUTE_ARGS, "change an existing route", change);
/// `route get`.
pub const GET: Verb = verb(
    &["get"],
    &[
        kw("ADDR", None, "the destination"),
        kw("from", Some("ADDR"), "source address"),
        kw("iif", Some("DEV"), "input link"),
        kw("oif", Some("DEV"), "output link"),
        kw("mark", Some("N"), "firewall mark"),
        kw("fibmatch", None, "the matching FIB entry instead"),
    ],
    "the route the kernel would use, as ip route get prints it",
    get,
);
/// `route flush`.
pub const FLUSH: Verb = verb(
    &["flush"],
    crate::route::SELECTORS,
    "delete the routes route show lists with the same selectors",
    flush,
);
