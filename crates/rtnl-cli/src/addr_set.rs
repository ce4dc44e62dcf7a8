//! `rtnl address add | replace | delete | flush`, with `ip addr`'s syntax.

use rtnl::request::{self, AddrOpts, IpNet, Request};

use rtnl::AddrFilter;

use crate::addr_select::Listing;
use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::names::AF_PACKET;
use crate::setter::{describe, lib_err, parse_num, parse_prefix, run_plan, wrong, Devs, Words};

/// `rtnl address add ADDR/LEN dev DEV [peer P] [broadcast B|+] [label L]
/// [scope S] [metric N] [valid_lft N|forever] [preferred_lft N|forever]
/// [nodad] [noprefixroute]`.
pub fn add(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_add)
}

/// `rtnl address replace ...` (same arguments as add).
pub fn replace(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_replace)
}

/// `rtnl address delete ADDR/LEN dev DEV`.
pub fn del(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_del)
}

struct AddrArgs {
    local: IpNet,
    index: u32,
    opts: AddrOpts,
}

fn lifetime(w: &mut Words, key: &str) -> Result<Option<u32>, CliError> {
    let v = w.value(key)?;
    if v == "forever" {
        return Ok(None);
    }
    parse_num(v)
        .map(Some)
        .ok_or_else(|| wrong(v, &format!("\"{key}\" is a number of seconds or forever")))
}

fn parse(
    ctx: &mut Ctx,
    devs: &mut Devs,
    words: &[String],
    verb: &str,
) -> Result<AddrArgs, CliError> {
    let family = ctx.opts.family;
    let mut w = Words::new(words);
    let mut local = None;
    let mut dev = None;
    let mut o = AddrOpts::default();
    let mut brd_auto = false;
    while let Some(word) = w.next_word() {
        match word {
            "dev" => dev = Some(w.value("dev")?),
            "local" => local = parse_prefix(w.value("local")?, family)?,
            "peer" | "remote" => o.peer = parse_prefix(w.value("peer")?, family)?,
            "broadcast" | "brd" => match w.value("broadcast")? {
                "+" => brd_auto = true,
                "-" => {}
                b => {
                    o.broadcast = Some(
                        b.parse()
                            .map_err(|_| wrong(b, "\"broadcast\" needs an IPv4 address, + or -"))?,
                    )
                }
            },
            "label" => o.label = Some(w.value("label")?.to_string()),
            "scope" => {
                let s = w.value("scope")?;
                o.scope = Some(
                    rtnl_wire::names::SCOPES
                        .value(s)
                        .map(|v| v as u8)
                        .or_else(|| parse_num(s))
                        .ok_or_else(|| wrong(s, "invalid \"scope\" value"))?,
                );
            }
            "metric" | "priority" | "preference" => o.metric = Some(w.num("metric")?),
            "valid_lft" => o.valid_lft = lifetime(&mut w, "valid_lft")?,
            "preferred_lft" => o.preferred_lft = lifetime(&mut w, "preferred_lft")?,
            "nodad" => o.nodad = true,
            "noprefixroute" => o.noprefixroute = true,
            _ if local.is_none() => local = parse_prefix(word, family)?,
            _ => return Err(wrong(word, "unknown address option")),
        }
    }
    let local = local.ok_or_else(|| {
        CliError::usage(format!(
            "Not enough information: \"local\" argument is required for \"address {verb}\"."
        ))
    })?;
    let dev = dev
        .ok_or_else(|| CliError::usage("Not enough information: \"dev\" argument is required."))?;
    if brd_auto {
        o.broadcast = local.broadcast();
    }
    if let Some(l) = &o.label {
        if !l.starts_with(dev) {
            return Err(CliError::usage(format!(
                "\"{dev}\" is not a prefix of label \"{l}\": a label must begin with the device name"
            )));
        }
    }
    let index = devs.index(ctx, dev)?;
    Ok(AddrArgs {
        local,
        index,
        opts: o,
    })
}

/// Plans `address add`.
pub fn plan_add(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let a = parse(ctx, devs, words, "add")?;
    let mut req = request::addr_add(a.index, a.local, &a.opts).map_err(lib_err)?;
    req.op = describe("add", "address", words);
    Ok(req)
}

/// Plans `address replace`.
pub fn plan_replace(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let a = parse(ctx, devs, words, "replace")?;
    let mut req = request::addr_replace(a.index, a.local, &a.opts).map_err(lib_err)?;
    req.op = describe("replace", "address", words);
    Ok(req)
}

/// Plans `address delete`.
pub fn plan_del(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let a = parse(ctx, devs, words, "delete")?;
    let mut req = request::addr_del(a.index, a.local).map_err(lib_err)?;
    req.op = describe("delete", "address", words);
    Ok(req)
}

/// `rtnl address flush SELECTOR ...`: deletes the addresses `addr show`
/// with the same address selectors lists (of `-4`/`-6`'s family when
/// given).
pub fn flush(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    if p.words().is_empty() {
        return Err(CliError::usage(
            "Flush requires arguments: rtnl address flush dev DEV (or to, scope, label ...)",
        ));
    }
    if ctx.opts.family == AF_PACKET {
        return Err(CliError::usage("Cannot flush link addresses."));
    }
    let (_, cache) = ctx.links()?;
    let (sel, family) = Listing::parse(ctx, &cache, p.words(), ctx.opts.family)?;
    // `ip addr flush` reads `up`, `master`, `type` ... but applies none of
    // them, so it would flush every address: refused here instead.
    if let Some(word) = sel.link_selector() {
        return Err(wrong(
            word,
            "selects links, not addresses: flush takes dev, to, scope, label and flags",
        ));
    }
    let filter = AddrFilter {
        family,
        index: sel.dev,
    };
    ctx.ipr()?
        .addr_flush_where(&filter, |m| sel.addr_passes(m, &cache))
        .map_err(lib_err)?;
    Ok(())
}

use crate::args::{Arg, Verb};
use crate::setter::{kw, verb};

const ADDR_ARGS: &[Arg] = &[
    kw("ADDR/LEN", None, "the address (local ADDR/LEN)"),
    kw("dev", Some("DEV"), "the link"),
    kw(
        "peer",
        Some("ADDR/LEN"),
        "the other end of a point-to-point link",
    ),
    kw(
        "broadcast",
        Some("ADDR|+"),
        "IPv4 broadcast (+ computes it)",
    ),
    kw(
        "label",
        Some("LABEL"),
        "IPv4 label, starting with the device name",
    ),
    kw("scope", Some("SCOPE"), "global, link, host or a number"),
    kw("metric", Some("N"), "metric of the prefix route"),
    kw("valid_lft", Some("SECS|forever"), "valid lifetime"),
    kw("preferred_lft", Some("SECS|forever"), "preferred lifetime"),
    kw("nodad", None, "IPv6: no duplicate address detection"),
    kw("noprefixroute", None, "add no prefix route"),
];

/// `address add`.
pub const ADD: Verb = verb(&["add"], ADDR_ARGS, "add an address", add);
/// `address replace`.
pub const REPLACE: Verb = verb(&["replace"], ADDR_ARGS, "add or change an address", replace);
/// `address delete`.
pub const DEL: Verb = verb(
    &["delete", "del"],
    &[
        kw("ADDR/LEN", None, "the address"),
        kw("dev", Some("DEV"), "the link"),
    ],
    "delete an address",
    del,
);
/// `address flush`.
pub const FLUSH: Verb = verb(
    &["flush"],
    crate::addr_select::FLUSH_SELECTORS,
    "delete the addresses addr show lists with the same selectors",
    flush,
);
