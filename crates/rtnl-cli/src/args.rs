//! The command line: global options, objects, verbs and their arguments,
//! all described by tables. Matching follows `ip`: options and names may
//! be abbreviated to any prefix, the first table entry that the prefix
//! matches wins (`l` is `link`, `r` is `route`, `ru` is `rule`), and `show`
//! is the verb when none is given. Help text is generated from the same
//! tables.

use crate::ctx::{CliError, Ctx, Opts};
use crate::names::{AF_INET, AF_INET6, AF_PACKET};
use crate::{addr, link, neigh, raw, route, rule};

/// A global option (`-json`), matched by prefix like `ip` (`-j`, `--json`).
pub struct GlobalOpt {
    /// The full name, with one leading dash.
    pub name: &'static str,
    /// The value it takes, if any (a metavar for help).
    pub value: Option<&'static str>,
    /// One line of help.
    pub help: &'static str,
    /// Only the exact name matches (`-4`, `-6`).
    pub exact: bool,
    apply: fn(&mut Opts, Option<&str>) -> Result<(), CliError>,
}

/// One argument keyword of a verb.
pub struct Arg {
    /// The keyword (`dev`, `table`, `--raw`).
    pub keyword: &'static str,
    /// The metavar when it takes a value.
    pub value: Option<&'static str>,
    /// One line of help.
    pub help: &'static str,
}

/// What a command runs.
pub type RunFn = fn(&mut Ctx, &Parsed) -> Result<(), CliError>;

/// A verb of an object (`show`).
pub struct Verb {
    /// Its names in matching order (`show`, `lst`, `list`); empty for an
    /// object whose only verb is implicit (`decode`).
    pub names: &'static [&'static str],
    /// Its arguments.
    pub args: &'static [Arg],
    /// The argument a bare word fills (`rtnl link show eth0` is `dev eth0`).
    pub bare: Option<&'static str>,
    /// One line of help.
    pub help: &'static str,
    /// The implementation.
    pub run: RunFn,
}

/// An object (`link`), with the names it answers to in matching order.
pub struct Object {
    /// Its names (`neighbor`, `neighbour`); the first is canonical.
    pub names: &'static [&'static str],
    /// One line of help.
    pub help: &'static str,
    /// Its verbs; the first is the default.
    pub verbs: &'static [Verb],
}

impl std::fmt::Debug for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Object({})", self.names.join("|"))
    }
}

impl std::fmt::Debug for Verb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Verb({})", self.names.join("|"))
    }
}

/// The arguments a verb was given.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    values: Vec<(&'static str, Option<String>)>,
    /// For verbs whose `bare` is [`WORDS`]: the argument words, unparsed.
    words: Vec<String>,
}

/// A verb's `bare` value saying that it reads its argument words itself
/// (`route add ... nexthop ... nexthop ...`, `link add NAME type veth peer
/// name P`): the `args` table is then only its help.
pub const WORDS: &str = "...";

/// A verb's `bare` value when it reads its own words (as [`WORDS`]) and a
/// bare word among them names a device (`link show eth0`): completion then
/// offers device names for bare words.
pub const WORDS_DEV: &str = "...dev";

/// True when verb `v` reads its argument words itself.
pub fn reads_words(v: &Verb) -> bool {
    v.bare.is_some_and(|b| b.starts_with(WORDS))
}

impl Parsed {
    /// The value of keyword `k`.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(key, _)| *key == k)
            .and_then(|(_, v)| v.as_deref())
    }
    /// True when keyword `k` was given.
    pub fn flag(&self, k: &str) -> bool {
        self.values.iter().any(|(key, _)| *key == k)
    }
    /// The unparsed argument words of a [`WORDS`] verb.
    pub fn words(&self) -> &[String] {
        &self.words
    }
}

fn set_family(o: &mut Opts, v: Option<&str>) -> Result<(), CliError> {
    o.family = match v.unwrap_or_default() {
        "inet" | "ipv4" => AF_INET,
        "inet6" | "ipv6" => AF_INET6,
        "link" | "packet" => AF_PACKET,
        other => {
            return Err(CliError::usage(format!(
                "Error: argument \"{other}\" is wrong: invalid protocol family"
            )))
        }
    };
    Ok(())
}

fn more_stats(o: &mut Opts, _: Option<&str>) -> Result<(), CliError> {
    o.stats = o.stats.saturating_add(1);
    Ok(())
}

/// The global options, in `ip`'s matching order.
pub static GLOBAL_OPTS: &[GlobalOpt] = &[
    GlobalOpt {
        name: "-family",
        value: Some("{ inet | inet6 | link }"),
        help: "address family",
        exact: false,
        apply: set_family,
    },
    GlobalOpt {
        name: "-force",
        value: None,
        help: "with -batch: go on after a failing line",
        exact: false,
        apply: |o, _| {
            o.force = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-4",
        value: None,
        help: "IPv4 only (-family inet)",
        exact: true,
        apply: |o, _| {
            o.family = AF_INET;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-6",
        value: None,
        help: "IPv6 only (-family inet6)",
        exact: true,
        apply: |o, _| {
            o.family = AF_INET6;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-0",
        value: None,
        help: "link layer only (-family link)",
        exact: true,
        apply: |o, _| {
            o.family = AF_PACKET;
            Ok(())
        },
    },
    // Before -help, as in `ip`: `-h` is -human.
    GlobalOpt {
        name: "-human",
        value: None,
        help: "with -s, counters with unit prefixes (2.58M)",
        exact: false,
        apply: |o, _| {
            o.human = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-human-readable",
        value: None,
        help: "the same as -human",
        exact: false,
        apply: |o, _| {
            o.human = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-iec",
        value: None,
        help: "with -h, powers of 1024 (2.46Mi)",
        exact: false,
        apply: |o, _| {
            o.iec = true;
            Ok(())
        },
    },
    // `ip` matches `-stats` first, then `-statistics`: both spellings.
    GlobalOpt {
        name: "-stats",
        value: None,
        help: "link statistics (twice: error counters too)",
        exact: false,
        apply: more_stats,
    },
    GlobalOpt {
        name: "-statistics",
        value: None,
        help: "the same as -stats",
        exact: false,
        apply: more_stats,
    },
    GlobalOpt {
        name: "-details",
        value: None,
        help: "more detail (link kinds, all route fields)",
        exact: false,
        apply: |o, _| {
            o.details = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-oneline",
        value: None,
        help: "one line per object ('\\' where a line would break)",
        exact: false,
        apply: |o, _| {
            o.oneline = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-Version",
        value: None,
        help: "print the version and exit",
        exact: false,
        apply: |o, _| {
            o.version = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-json",
        value: None,
        help: "JSON output, as `ip -j`",
        exact: false,
        apply: |o, _| {
            o.json = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-pretty",
        value: None,
        help: "indent JSON output",
        exact: false,
        apply: |o, _| {
            o.pretty = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-help",
        value: None,
        help: "print this help",
        exact: false,
        apply: |o, _| {
            o.help = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-batch",
        value: Some("FILE"),
        help: "run the commands of FILE (- for stdin), like ip -batch",
        exact: false,
        apply: |o, v| {
            o.batch = v.map(str::to_string);
            Ok(())
        },
    },
    // After -batch, as in `ip`: `-b` is -batch, `-br` is -brief.
    GlobalOpt {
        name: "-brief",
        value: None,
        help: "brief listing of links and addresses (a table)",
        exact: false,
        apply: |o, _| {
            o.brief = true;
            Ok(())
        },
    },
    GlobalOpt {
        name: "-netns",
        value: Some("NETNS"),
        help: "run in the network namespace /run/netns/NETNS",
        exact: false,
        apply: |o, v| {
            o.netns = v.map(str::to_string);
            Ok(())
        },
    },
];

const SHOW: &[&str] = &["show", "lst", "list"];

/// A keyword that takes a value.
const fn arg(keyword: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg {
        keyword,
        value: Some(value),
        help,
    }
}

/// A keyword on its own.
const fn flag(keyword: &'static str, help: &'static str) -> Arg {
    Arg {
        keyword,
        value: None,
        help,
    }
}

/// The objects, in `ip`'s matching order.
pub static OBJECTS: &[Object] = &[
    Object {
        names: &["address"],
        help: "protocol (IP) addresses of links",
        verbs: &[Verb {
            names: SHOW,
            args: crate::addr_select::ADDR_SELECTORS,
            bare: Some(WORDS_DEV),
            help: "list links and their addresses",
            run: addr::show,
        }, crate::addr_set::ADD, crate::addr_set::REPLACE, crate::addr_set::DEL, crate::addr_set::FLUSH],
    },
    Object {
        names: &["route"],
        help: "routing table entries",
        verbs: &[Verb {
            names: SHOW,
            args: route::SELECTORS,
            bare: Some(WORDS),
            help: "list routes",
            run: route::show,
        }, crate::route_set::ADD, crate::route_set::DEL, crate::route_set::REPLACE, crate::route_set::APPEND, crate::route_set::CHANGE, crate::route_set::GET, crate::route_set::FLUSH],
    },
    Object {
        names: &["rule"],
        help: "routing policy rules",
        verbs: &[Verb {
            names: SHOW,
            args: rule::SELECTORS,
            bare: Some(WORDS),
            help: "list rules",
            run: rule::show,
        }, crate::rule_set::ADD, crate::rule_set::DEL, rule::FLUSH],
    },
    Object {
        names: &["neighbour", "neighbor"],
        help: "neighbour (ARP / NDISC) entries",
        verbs: &[Verb {
            names: SHOW,
            args: neigh::SELECTORS,
            bare: Some(WORDS),
            help: "list neighbours",
            run: neigh::show,
        }, crate::neigh_set::ADD, crate::neigh_set::REPLACE, crate::neigh_set::DEL, neigh::FLUSH],
    },
    Object {
        names: &["link"],
        help: "network devices",
        verbs: &[Verb {
            names: SHOW,
            args: crate::addr_select::LINK_SELECTORS,
            bare: Some(WORDS_DEV),
            help: "list links",
            run: link::show,
        }, crate::link_set::ADD, crate::link_set::SET, crate::link_set::DEL],
    },
    crate::netns::OBJECT,
    Object {
        names: &["dump"],
        help: "everything (links, addresses, routes, neighbours, rules) as RTNL messages",
        verbs: &[Verb {
            names: &[],
            args: &[flag(
                "--raw",
                "write the RTNL bytes instead of decoding them",
            )],
            bare: None,
            help: "print every message (Debug form, or JSON with -j)",
            run: raw::dump,
        }],
    },
    Object {
        names: &["decode"],
        help: "decode RTNL bytes from a file or stdin",
        verbs: &[Verb {
            names: &[],
            args: &[
                flag("-j", "a JSON array of messages"),
                arg(
                    "--pfroute",
                    "FLAVOR",
                    "the bytes are BSD routing-socket messages (freebsd, openbsd, netbsd, darwin): translate them into RTNL",
                ),
                flag(
                    "--events",
                    "with --pfroute: the bytes were read from a PF_ROUTE socket, not a sysctl dump",
                ),
                flag("--raw", "with --pfroute: write the RTNL bytes instead of decoding them"),
                arg("file", "FILE", "read FILE instead of stdin"),
            ],
            bare: Some("file"),
            help: "print each message (Debug form, or JSON with -j)",
            run: raw::decode,
        }],
    },
    Object {
        names: &["monitor"],
        help: "watch for changes (links, addresses, routes, neighbours, rules)",
        verbs: &[Verb {
            names: &[],
            args: &[
                flag("all", "every object, each event labelled ([LINK] ...)"),
                flag("link", "link events"),
                flag("address", "address events"),
                flag("route", "route events"),
                flag("neigh", "neighbour events"),
                flag("rule", "rule events"),
                flag("-t", "a timestamp line before each event"),
                arg("--count", "N", "exit after N events (for tests)"),
            ],
            bare: None,
            help: "print events as they happen (-j: one JSON object per line) until interrupted",
            run: crate::monitor::run,
        }],
    },
    Object {
        names: &["completion"],
        help: "a shell completion script (bash, zsh, fish)",
        verbs: &[Verb {
            names: &[],
            args: &[arg("shell", "{ bash | zsh | fish }", "the shell")],
            bare: Some("shell"),
            help: "print the completion script for the shell, generated from these tables",
            run: crate::completion::run,
        }],
    },
    Object {
        names: &["man"],
        help: "the manual page, in roff (rtnl man | man -l -)",
        verbs: &[Verb {
            names: &[],
            args: &[],
            bare: None,
            help: "print the man page, generated from these tables",
            run: crate::man::run,
        }],
    },
    Object {
        names: &["help"],
        help: "this text",
        verbs: &[Verb {
            names: &[],
            args: &[],
            bare: None,
            help: "print usage",
            run: |_, _| crate::ctx::write_stdout(usage().as_bytes()),
        }],
    },
];

/// `ip`'s `matches()`: `prefix` is a non-empty prefix of `word`.
fn matches(prefix: &str, word: &str) -> bool {
    !prefix.is_empty() && word.starts_with(prefix)
}

/// Parses the command line and runs the command.
pub fn run(argv: &[String]) -> Result<(), CliError> {
    let (opts, rest) = parse_opts(argv)?;
    if opts.version {
        let v = format!(
            "rtnl {}, platform {}\n",
            env!("CARGO_PKG_VERSION"),
            rtnl::IpRoute::platform()
        );
        return crate::ctx::write_stdout(v.as_bytes());
    }
    if opts.help {
        return crate::ctx::write_stdout(usage().as_bytes());
    }
    if let Some(file) = opts.batch.clone() {
        return crate::batch::run(opts, &file);
    }
    let Some((word, rest)) = rest.split_first() else {
        // `ip` with no object prints its usage and fails.
        return Err(CliError::usage(usage().trim_end().to_string()));
    };
    let obj = find_object(word)?;
    let (verb, args) = find_verb(obj, rest)?;
    if args.first().is_some_and(|a| a == "help") {
        return crate::ctx::write_stdout(object_usage(obj).as_bytes());
    }
    let parsed = parse_args(obj, verb, args)?;
    let mut ctx = Ctx::new(opts);
    (verb.run)(&mut ctx, &parsed)
}

/// Splits the global options off the front of `argv`.
pub fn parse_opts(argv: &[String]) -> Result<(Opts, &[String]), CliError> {
    let mut opts = Opts::default();
    let mut i = 0;
    while let Some(arg) = argv.get(i) {
        if arg == "--" {
            i += 1;
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            break;
        }
        // `--json` is `-json`.
        let opt = arg
            .strip_prefix('-')
            .filter(|o| o.starts_with('-'))
            .unwrap_or(arg);
        let found = GLOBAL_OPTS.iter().find(|g| {
            if g.exact {
                g.name == opt
            } else {
                opt.len() > 1 && matches(opt, g.name)
            }
        });
        let Some(g) = found else {
            return Err(CliError::usage(format!(
                "Option \"{arg}\" is unknown, try \"rtnl -help\"."
            )));
        };
        let value = match g.value {
            Some(_) => {
                i += 1;
                Some(argv.get(i).ok_or_else(incomplete)?.as_str())
            }
            None => None,
        };
        (g.apply)(&mut opts, value)?;
        i += 1;
        if opts.version || opts.help {
            // Like `ip -V`: nothing after matters.
            break;
        }
    }
    Ok((opts, &argv[i..]))
}

fn incomplete() -> CliError {
    CliError::usage("Command line is not complete. Try option \"help\"")
}

/// The object a word names.
pub fn find_object(word: &str) -> Result<&'static Object, CliError> {
    OBJECTS
        .iter()
        .find(|o| o.names.iter().any(|n| matches(word, n)))
        .ok_or_else(|| {
            let names: Vec<&str> = OBJECTS.iter().map(|o| o.names[0]).collect();
            CliError::failed(format!(
                "Object \"{word}\" is unknown, try \"rtnl help\".{}\nValid objects: {}",
                suggestion(word, OBJECTS.iter().flat_map(|o| o.names.iter().copied())),
                names.join(", ")
            ))
        })
}

/// The verb the arguments start with (or the default), and the rest.
pub fn find_verb<'a>(
    obj: &'static Object,
    args: &'a [String],
) -> Result<(&'static Verb, &'a [String]), CliError> {
    let default = &obj.verbs[0];
    let Some(first) = args.first() else {
        return Ok((default, args));
    };
    if default.names.is_empty() || first == "help" {
        return Ok((default, args));
    }
    if let Some(v) = obj
        .verbs
        .iter()
        .find(|v| v.names.iter().any(|n| matches(first, n)))
    {
        return Ok((v, &args[1..]));
    }
    let names: Vec<&str> = obj
        .verbs
        .iter()
        .flat_map(|v| v.names.iter().copied())
        .collect();
    Err(CliError::usage(format!(
        "Command \"{first}\" is unknown, try \"rtnl {} help\".{}\nValid commands: {}",
        obj.names[0],
        suggestion(first, names.iter().copied()),
        names.join(", ")
    )))
}

/// Reads a verb's keyword arguments.
pub fn parse_args(obj: &Object, verb: &Verb, args: &[String]) -> Result<Parsed, CliError> {
    let mut p = Parsed::default();
    if reads_words(verb) {
        p.words = args.to_vec();
        return Ok(p);
    }
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let (key, value) = match verb.args.iter().find(|s| s.keyword == a) {
            Some(spec) if spec.value.is_some() => {
                i += 1;
                (
                    spec.keyword,
                    Some(args.get(i).ok_or_else(incomplete)?.clone()),
                )
            }
            Some(spec) => (spec.keyword, None),
            None => match verb.bare {
                Some(bare) if !a.starts_with('-') => (bare, Some(a.clone())),
                _ => return Err(not_understood(obj, verb, a)),
            },
        };
        if p.flag(key) {
            return Err(CliError::usage(format!(
                "Error: either \"{key}\" is duplicate, or \"{a}\" is a garbage."
            )));
        }
        p.values.push((key, value));
        i += 1;
    }
    Ok(p)
}

/// `Error: argument "tabel" is not understood by "rtnl route".`, with a
/// suggestion and the verb's keywords.
pub fn not_understood(obj: &Object, verb: &Verb, word: &str) -> CliError {
    let keys: Vec<&str> = verb.args.iter().map(|s| s.keyword).collect();
    CliError::usage(format!(
        "Error: argument \"{word}\" is not understood by \"rtnl {}\".{}\nValid arguments: {}",
        obj.names[0],
        suggestion(word, keys.iter().copied()),
        if keys.is_empty() {
            "none".to_string()
        } else {
            keys.join(", ")
        }
    ))
}

/// ` Did you mean "link"?` when a candidate is close to `word`.
fn suggestion<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let best = candidates
        .map(|c| (edit_distance(word, c), c))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, c)) if d > 0 && d <= (word.len() / 2).max(1) + 1 => {
            format!("\nDid you mean \"{c}\"?")
        }
        _ => String::new(),
    }
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The top-level usage, from the tables.
pub fn usage() -> String {
    let mut s = String::from("Usage: rtnl [ OPTIONS ] OBJECT { COMMAND | help }\n\nOBJECT:\n");
    for o in OBJECTS {
        s += &format!("    {:<10} {}\n", o.names[0], o.help);
    }
    s += "\nOPTIONS:\n";
    for g in GLOBAL_OPTS {
        let name = match g.value {
            Some(v) => format!("{} {v}", g.name),
            None => g.name.to_string(),
        };
        s += &format!("    {name:<32} {}\n", g.help);
    }
    s += "\nCOMMANDS (rtnl OBJECT help for what each argument means):\n";
    for o in OBJECTS {
        for v in o.verbs {
            s += &format!("    {}\n", synopsis(o, v));
        }
    }
    s += "\nOptions and names may be abbreviated: rtnl -j l, rtnl -6 r.\n";
    s
}

/// One verb's synopsis line: `rtnl link { show | lst | list } [ dev NAME ] [ up ]`.
pub fn synopsis(obj: &Object, v: &Verb) -> String {
    let verb = match v.names {
        [] => String::new(),
        [one] => format!(" {one}"),
        many => format!(" {{ {} }}", many.join(" | ")),
    };
    let args: Vec<String> = v
        .args
        .iter()
        .map(|a| match a.value {
            Some(m) => format!("[ {} {m} ]", a.keyword),
            None => format!("[ {} ]", a.keyword),
        })
        .collect();
    format!("rtnl {}{verb} {}", obj.names[0], args.join(" "))
        .trim_end()
        .to_string()
}

/// One object's usage, from the tables.
pub fn object_usage(obj: &Object) -> String {
    let mut s = String::new();
    for v in obj.verbs {
        s += &format!("Usage: {}\n", synopsis(obj, v));
        s += &format!("    {}\n", v.help);
        for a in v.args {
            s += &format!("    {:<10} {}\n", a.keyword, a.help);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn objects_abbreviate_like_ip() {
        for (w, name) in [
            ("l", "link"),
            ("li", "link"),
            ("a", "address"),
            ("addr", "address"),
            ("r", "route"),
            ("ro", "route"),
            ("ru", "rule"),
            ("n", "neighbour"),
            ("neighbor", "neighbour"),
            ("d", "dump"),
            ("de", "decode"),
        ] {
            assert_eq!(find_object(w).unwrap().names[0], name, "{w}");
        }
    }

    #[test]
    fn unknown_object_names_it_and_suggests() {
        let e = find_object("lnik").unwrap_err();
        assert_eq!(e.code, 1);
        assert!(e
            .msg
            .starts_with("Object \"lnik\" is unknown, try \"rtnl help\"."));
        assert!(e.msg.contains("Did you mean \"link\"?"));
        assert!(e.msg.contains("link, "));
    }

    #[test]
    fn options_abbreviate_and_take_values() {
        let argv = words("-j -p -d -6 -n ns1 link");
        let (o, rest) = parse_opts(&argv).unwrap();
        assert!(o.json && o.pretty && o.details);
        assert_eq!(o.family, AF_INET6);
        assert_eq!(o.netns.as_deref(), Some("ns1"));
        assert_eq!(rest, &words("link")[..]);
        let argv = words("--json -details -netns x r");
        let (o, _) = parse_opts(&argv).unwrap();
        assert!(o.json && o.details);
        assert!(parse_opts(&words("-x")).is_err());
        assert!(parse_opts(&words("-n")).is_err());
    }

    /// `-s` counts, both spellings; `-b` is -batch and `-br` -brief, as in `ip`.
    #[test]
    fn stats_brief_and_oneline() {
        let (o, _) = parse_opts(&words("-s -statistics -o -br link")).unwrap();
        assert_eq!(o.stats, 2);
        assert!(o.oneline && o.brief);
        let (o, _) = parse_opts(&words("-stats link")).unwrap();
        assert_eq!(o.stats, 1);
        let (o, _) = parse_opts(&words("-b f")).unwrap();
        assert_eq!(o.batch.as_deref(), Some("f"));
        assert!(!o.brief);
        let (o, _) = parse_opts(&words("-oneline -brief link")).unwrap();
        assert!(o.oneline && o.brief && o.batch.is_none());
    }

    #[test]
    fn verbs_default_to_show_and_abbreviate() {
        let obj = find_object("link").unwrap();
        let (v, rest) = find_verb(obj, &[]).unwrap();
        assert_eq!(v.names[0], "show");
        assert!(rest.is_empty());
        // `link show` reads its selectors itself: the words pass through.
        let argv = words("sh dev eth0");
        let (v, rest) = find_verb(obj, &argv).unwrap();
        assert_eq!(v.names[0], "show");
        let p = parse_args(obj, v, rest).unwrap();
        assert_eq!(p.words(), &words("dev eth0")[..]);
        // A keyword verb: `shell` takes a value, a bare word fills `bare`.
        let completion = find_object("completion").unwrap();
        for line in ["shell zsh", "zsh"] {
            let argv = words(line);
            let (v, rest) = find_verb(completion, &argv).unwrap();
            let p = parse_args(completion, v, rest).unwrap();
            assert_eq!(p.get("shell"), Some("zsh"));
        }
        let Err(e) = find_verb(obj, &words("shwo")) else {
            panic!("shwo is not a verb");
        };
        assert!(e
            .msg
            .starts_with("Command \"shwo\" is unknown, try \"rtnl link help\"."));
        assert!(e.msg.contains("Did you mean \"show\"?"));
    }

    #[test]
    fn usage_lists_every_object() {
        let u = usage();
        for o in OBJECTS {
            assert!(u.contains(o.names[0]));
        }
        assert!(
            object_usage(find_object("route").unwrap()).contains("[ table { ID | NAME | all } ]")
        );
    }
}
