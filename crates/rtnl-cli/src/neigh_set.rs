//! `rtnl neighbour add | replace | delete`, with `ip neigh`'s syntax.

use rtnl::request::{self, parse_lladdr, Neigh, Request};

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::setter::{describe, lib_err, parse_addr, run_plan, wrong, Devs, Words};

/// `rtnl neighbour add { ADDR [lladdr LL] [nud STATE] | proxy ADDR } dev DEV [router]`.
pub fn add(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_add)
}
/// `rtnl neighbour replace ...` (same arguments as add).
pub fn replace(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_replace)
}
/// `rtnl neighbour delete { ADDR | proxy ADDR } dev DEV`.
pub fn del(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_del)
}

fn parse(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Neigh, CliError> {
    let mut w = Words::new(words);
    let mut dst = None;
    let mut dev = None;
    let mut lladdr = None;
    let mut state = None;
    let mut proxy = false;
    let mut router = false;
    while let Some(word) = w.next_word() {
        match word {
            "dev" => dev = Some(w.value("dev")?),
            "lladdr" => lladdr = Some(parse_lladdr(w.value("lladdr")?).map_err(lib_err)?),
            "nud" => state = Some(Neigh::state_from_name(w.value("nud")?).map_err(lib_err)?),
            "proxy" => {
                proxy = true;
                dst = Some(parse_addr("proxy", w.value("proxy")?)?);
            }
            "router" => router = true,
            "to" => dst = Some(parse_addr("to", w.value("to")?)?),
            _ if dst.is_none() => dst = Some(parse_addr("to", word)?),
            _ => return Err(wrong(word, "unknown neighbour option")),
        }
    }
    let dst = dst
        .ok_or_else(|| CliError::usage("Not enough information: a neighbour needs its address."))?;
    let dev = dev
        .ok_or_else(|| CliError::usage("Not enough information: \"dev\" argument is required."))?;
    let mut n = Neigh::new(dst, devs.index(ctx, dev)?);
    n.lladdr = lladdr;
    n.proxy = proxy;
    n.router = router;
    if let Some(s) = state {
        n.state = s;
    }
    Ok(n)
}

/// Plans `neighbour add`.
pub fn plan_add(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let mut req = request::neigh_add(&parse(ctx, devs, words)?).map_err(lib_err)?;
    req.op = describe("add", "neighbour", words);
    Ok(req)
}
/// Plans `neighbour replace`.
pub fn plan_replace(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let mut req = request::neigh_replace(&parse(ctx, devs, words)?).map_err(lib_err)?;
    req.op = describe("replace", "neighbour", words);
    Ok(req)
}
/// Plans `neighbour delete`.
pub fn plan_del(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let mut req = request::neigh_del(&parse(ctx, devs, words)?).map_err(lib_err)?;
    req.op = describe("delete", "neighbour", words);
    Ok(req)
}

use crate::args::{Arg, Verb};
use crate::setter::{kw, verb};

const NEIGH_ARGS: &[Arg] = &[
    kw("ADDR", None, "the protocol address"),
    kw("proxy", Some("ADDR"), "a proxy entry instead"),
    kw("lladdr", Some("LLADDR"), "the link-layer address"),
    kw(
        "nud",
        Some("STATE"),
        "permanent (default), noarp, reachable, stale, none",
    ),
    kw("dev", Some("DEV"), "the link"),
    kw("router", None, "IPv6: the neighbour is a router"),
];

/// `neighbour add`.
pub const ADD: Verb = verb(&["add"], NEIGH_ARGS, "add a neighbour entry", add);
/// `neighbour replace`.
pub const REPLACE: Verb = verb(
    &["replace", "change"],
    NEIGH_ARGS,
    "add or change a neighbour entry",
    replace,
);
/// `neighbour delete`.
pub const DEL: Verb = verb(
    &["delete", "del"],
    NEIGH_ARGS,
    "delete a neighbour entry",
    del,
);
