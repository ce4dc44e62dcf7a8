//! `rtnl rule add | delete`, with `ip rule`'s syntax.

use rtnl::request::{self, Request, Rule};

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::names::{AF_INET, AF_INET6};
use crate::route::parse_table;
use crate::setter::{describe, lib_err, parse_num, parse_prefix, run_plan, wrong, Devs, Words};

/// `rtnl rule add [from PREFIX] [to PREFIX] [iif DEV] [oif DEV]
/// [fwmark M[/MASK]] [priority N] [table T | blackhole | unreachable | prohibit]`.
pub fn add(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_add)
}
/// `rtnl rule delete ...`: the first rule matching the given fields.
pub fn del(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_del)
}

fn parse(ctx: &Ctx, words: &[String]) -> Result<Rule, CliError> {
    let family = ctx.opts.family;
    let mut r = Rule {
        family: if family == AF_INET || family == AF_INET6 {
            family
        } else {
            0
        },
        ..Default::default()
    };
    let mut w = Words::new(words);
    while let Some(word) = w.next_word() {
        match word {
            "from" => r.from = parse_prefix(w.value("from")?, family)?,
            "to" => r.to = parse_prefix(w.value("to")?, family)?,
            "iif" | "dev" => r.iif = Some(w.value("iif")?.to_string()),
            "oif" => r.oif = Some(w.value("oif")?.to_string()),
            "priority" | "pref" | "preference" | "order" => r.priority = Some(w.num("priority")?),
            "table" | "lookup" => r.table = Some(parse_table(w.value("table")?)?),
            "tos" | "dsfield" => r.tos = w.num("tos")?,
            "fwmark" => {
                let v = w.value("fwmark")?;
                let (mark, mask) = match v.split_once('/') {
                    Some((m, k)) => (m, Some(k)),
                    None => (v, None),
                };
                r.fwmark = Some(parse_num(mark).ok_or_else(|| wrong(v, "invalid fwmark"))?);
                if let Some(k) = mask {
                    r.fwmask = Some(parse_num(k).ok_or_else(|| wrong(v, "invalid fwmark mask"))?);
                }
            }
            "action" | "type" => {
                r.action = Some(Rule::action_from_name(w.value("action")?).map_err(lib_err)?)
            }
            "blackhole" | "unreachable" | "prohibit" | "nop" => {
                r.action = Some(Rule::action_from_name(word).map_err(lib_err)?)
            }
            _ => return Err(wrong(word, "unknown rule option")),
        }
    }
    Ok(r)
}

/// Plans `rule add`.
pub fn plan_add(ctx: &mut Ctx, _: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let mut req = request::rule_add(&parse(ctx, words)?).map_err(lib_err)?;
    req.op = describe("add", "rule", words);
    Ok(req)
}
/// Plans `rule delete`.
pub fn plan_del(ctx: &mut Ctx, _: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let mut req = request::rule_del(&parse(ctx, words)?).map_err(lib_err)?;
    req.op = describe("delete", "rule", words);
    Ok(req)
}

use crate::args::{Arg, Verb};
use crate::setter::{kw, verb};

const RULE_ARGS: &[Arg] = &[
    kw("from", Some("PREFIX"), "source prefix"),
    kw("to", Some("PREFIX"), "destination prefix"),
    kw("iif", Some("DEV"), "input link"),
    kw("oif", Some("DEV"), "output link"),
    kw("fwmark", Some("MARK[/MASK]"), "firewall mark"),
    kw("priority", Some("N"), "priority (pref)"),
    kw("table", Some("ID|NAME"), "look up this table"),
    kw(
        "blackhole|unreachable|prohibit",
        None,
        "the action instead of a table",
    ),
];

/// `rule add`.
pub const ADD: Verb = verb(&["add"], RULE_ARGS, "add a rule", add);
/// `rule delete`.
pub const DEL: Verb = verb(
    &["delete", "del"],
    RULE_ARGS,
    "delete the first rule matching",
    del,
);
