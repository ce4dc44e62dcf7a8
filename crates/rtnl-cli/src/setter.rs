//! What every changing command shares: reading `ip`-style argument words,
//! resolving device names (cached, so a batch of 100 000 routes looks each
//! device up once), turning library errors into `ip`'s messages and exit
//! codes, and running a planned request.

use std::collections::HashMap;

use rtnl::request::{IpNet, Request};

use crate::args::{Arg, Parsed, RunFn, Verb, WORDS};
use crate::ctx::{CliError, Ctx};

/// Builds the request a command line asks for, without sending it.
pub type PlanFn = fn(&mut Ctx, &mut Devs, &[String]) -> Result<Request, CliError>;

/// Device name → index, looked up on first use.
#[derive(Debug, Default)]
pub struct Devs {
    map: HashMap<String, u32>,
}

impl Devs {
    /// The index of device `name`, or `Cannot find device "name"`.
    pub fn index(&mut self, ctx: &mut Ctx, name: &str) -> Result<u32, CliError> {
        if let Some(i) = self.map.get(name) {
            return Ok(*i);
        }
        match ctx.ipr()?.link_lookup(name) {
            Ok(Some(i)) => {
                self.map.insert(name.to_string(), i);
                Ok(i)
            }
            Ok(None) => Err(CliError::failed(format!("Cannot find device \"{name}\""))),
            Err(e) => Err(lib_err(e)),
        }
    }

    /// Forgets every name (after links were added, renamed or deleted).
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

/// A library error as the CLI reports it: bad arguments exit 255 like
/// `ip`'s usage errors, a missing device 1, a refused request 2.
pub fn lib_err(e: rtnl::Error) -> CliError {
    match e {
        rtnl::Error::InvalidArgument { .. } => CliError::usage(format!("Error: {e}")),
        rtnl::Error::NotFound {
            what: "device",
            name,
        } => CliError::failed(format!("Cannot find device \"{name}\"")),
        rtnl::Error::NotFound { .. } => CliError::failed(format!("Error: {e}")),
        other => CliError::from(other),
    }
}

/// `Error: argument "X" is wrong: WHY` (exit 255).
pub fn wrong(arg: &str, why: &str) -> CliError {
    CliError::usage(format!("Error: argument \"{arg}\" is wrong: {why}"))
}

/// The words of a command line, read the way `ip` reads them.
pub struct Words<'a> {
    words: &'a [String],
    pos: usize,
}

impl<'a> Words<'a> {
    /// Reads `words`.
    pub fn new(words: &'a [String]) -> Words<'a> {
        Words { words, pos: 0 }
    }

    /// The next word.
    pub fn next_word(&mut self) -> Option<&'a str> {
        let w = self.words.get(self.pos)?;
        self.pos += 1;
        Some(w)
    }

    /// The next word without taking it.
    pub fn peek(&self) -> Option<&'a str> {
        self.words.get(self.pos).map(String::as_str)
    }

    /// The value after keyword `key`, or "Command line is not complete".
    pub fn value(&mut self, key: &str) -> Result<&'a str, CliError> {
        self.next_word().ok_or_else(|| {
            CliError::usage(format!(
                "Error: argument \"{key}\" needs a value. Command line is not complete."
            ))
        })
    }

    /// The value after `key` as a number (decimal or 0x hex).
    pub fn num<T: TryFrom<u64>>(&mut self, key: &str) -> Result<T, CliError> {
        let v = self.value(key)?;
        parse_num(v).ok_or_else(|| wrong(v, &format!("\"{key}\" value is invalid")))
    }
}

/// A number, decimal or `0x` hex, that fits `T`.
pub fn parse_num<T: TryFrom<u64>>(s: &str) -> Option<T> {
    let v = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok()?,
        None => s.parse::<u64>().ok()?,
    };
    T::try_from(v).ok()
}

/// A prefix: `ADDR[/LEN]`, with `default`/`all`/`any` as `None`.
pub fn parse_prefix(s: &str, family: u8) -> Result<Option<IpNet>, CliError> {
    if matches!(s, "default" | "all" | "any") {
        return Ok(None);
    }
    let net: IpNet = s.parse().map_err(lib_err)?;
    if family != 0 && net.family() != family {
        return Err(wrong(s, "the address family differs from -4/-6"));
    }
    Ok(Some(net))
}

/// A value of a names table by name or number (`ip`'s `rtnl_*_a2n`):
/// `Error: argument "x" is wrong: "WHAT" value is invalid` otherwise.
pub fn named(table: &rtnl_wire::names::Names, s: &str, what: &str) -> Result<u8, CliError> {
    table
        .value(s)
        .map(|v| v as u8)
        .or_else(|| parse_num(s))
        .ok_or_else(|| wrong(s, &format!("\"{what}\" value is invalid")))
}

/// [`named`] for a selector, where `all` selects nothing (`None`).
pub fn named_or_all(
    table: &rtnl_wire::names::Names,
    s: &str,
    what: &str,
) -> Result<Option<u8>, CliError> {
    match s {
        "all" => Ok(None),
        _ => named(table, s, what).map(Some),
    }
}

/// An address, refused with `ip`'s wording.
pub fn parse_addr(key: &str, s: &str) -> Result<std::net::IpAddr, CliError> {
    s.parse()
        .map_err(|_| wrong(s, &format!("\"{key}\" needs an IPv4 or IPv6 address")))
}

/// The request's operation as the user typed it: `add route 10.0.0.0/8 via ...`.
pub fn describe(verb: &str, object: &str, words: &[String]) -> String {
    let mut s = format!("{verb} {object}");
    for w in words {
        s.push(' ');
        s.push_str(w);
    }
    s
}

/// Runs a planned command: builds the request and sends it.
pub fn run_plan(ctx: &mut Ctx, p: &Parsed, plan: PlanFn) -> Result<(), CliError> {
    let mut devs = Devs::default();
    let req = plan(ctx, &mut devs, p.words())?;
    ctx.ipr()?.execute(req).map_err(lib_err)?;
    Ok(())
}

/// A keyword for help text.
pub const fn kw(keyword: &'static str, value: Option<&'static str>, help: &'static str) -> Arg {
    Arg {
        keyword,
        value,
        help,
    }
}

/// A verb that reads its own words (`bare` is [`WORDS`]).
pub const fn verb(
    names: &'static [&'static str],
    args: &'static [Arg],
    help: &'static str,
    run: RunFn,
) -> Verb {
    Verb {
        names,
        args,
        bare: Some(WORDS),
        help,
        run,
    }
}
