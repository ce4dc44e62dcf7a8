//! Checks every number this crate hard-codes against the system's kernel UAPI
//! headers, by generating C files of `_Static_assert`s and compiling them with
//! `cc -fsyntax-only`.
//!
//! Names the installed headers do not have (they are older than the tables)
//! are skipped and listed. Without `cc` or the headers the test prints why and
//! passes, unless `RTNL_WIRE_REQUIRE_HEADERS=1` is set.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::process::{Command, Stdio};

use rtnl_wire::attr::AttrKind;
use rtnl_wire::names::{self, Names};
use rtnl_wire::netlink::{self, ext_ack, NLMSG_HDRLEN};
use rtnl_wire::nla::{NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK};
use rtnl_wire::rtm::{self, groups};

/// Headers for the attribute tables and message constants.
const TABLE_HEADERS: &[&str] = &[
    "sys/socket.h",
    "linux/rtnetlink.h",
    "linux/if_link.h",
    "linux/if_addr.h",
    "linux/neighbour.h",
    "linux/fib_rules.h",
    "linux/if_bridge.h",
    "linux/veth.h",
    "linux/netlink.h",
    "linux/if_arp.h",
];

/// Headers for the value-name tables of names.rs. `<linux/if.h>` is kept out
/// of the other file: it clashes with `<net/if.h>` should anything pull it in.
const NAME_HEADERS: &[&str] = &[
    "sys/socket.h",
    "linux/if.h",
    "linux/rtnetlink.h",
    "linux/if_addr.h",
    "linux/neighbour.h",
    "linux/fib_rules.h",
    "linux/if_arp.h",
    "linux/icmpv6.h",
];

/// One constant to check: its C spelling, the C expression to compare (so a
/// u16 mask can be cast), our value, and where it came from.
#[derive(Debug, Clone)]
struct Check {
    name: String,
    expr: String,
    value: u64,
    origin: String,
}

fn check(name: &str, value: u64, origin: &str) -> Check {
    Check {
        name: name.to_string(),
        expr: format!("(unsigned long long)({name})"),
        value,
        origin: origin.to_string(),
    }
}

fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

fn source_with(headers: &[&str], body: &str) -> String {
    let mut s = String::new();
    for h in headers {
        s.push_str(&format!("#include <{h}>\n"));
    }
    s.push_str(body);
    s
}

/// Runs `cc` on `source` from stdin with extra `args`; returns (success, stdout, stderr).
fn run_cc(args: &[&str], source: &str) -> Option<(bool, String, String)> {
    let mut child = Command::new(cc())
        .args(["-x", "c", "-std=c11"])
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(source.as_bytes())
        .ok()?;
    let out = child.wait_with_output().ok()?;
    Some((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// Every identifier that appears in the preprocessed headers or as a macro.
fn header_identifiers(headers: &[&str]) -> Result<HashSet<String>, String> {
    let src = source_with(headers, "");
    let (ok_e, text, err_e) = run_cc(&["-E", "-P"], &src).ok_or("cannot run cc")?;
    if !ok_e {
        return Err(format!("headers do not preprocess: {}", err_e.trim()));
    }
    let (ok_m, macros, err_m) = run_cc(&["-E", "-dM"], &src).ok_or("cannot run cc")?;
    if !ok_m {
        return Err(format!("cc -dM failed: {}", err_m.trim()));
    }
    let mut ids = HashSet::new();
    for t in [text, macros] {
        ids.extend(
            t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
    }
    Ok(ids)
}

/// What compiling one group of checks found.
struct Outcome {
    checked: usize,
    skipped: Vec<String>,
    wrong: Vec<String>,
}

/// Compiles the checks whose names the headers know; reports wrong numbers.
fn verify(headers: &[&str], checks: &[Check]) -> Result<Outcome, String> {
    let ids = header_identifiers(headers)?;
    let (present, absent): (Vec<&Check>, Vec<&Check>) =
        checks.iter().partition(|c| ids.contains(&c.name));
    let mut body = String::new();
    for (i, c) in present.iter().enumerate() {
        body.push_str(&format!(
            "_Static_assert({} == {}ULL, \"{i}:{}\");\n",
            c.expr, c.value, c.name
        ));
    }
    let src = source_with(headers, &body);
    let (ok, _, stderr) = run_cc(&["-fsyntax-only"], &src).ok_or("cannot run cc")?;
    let mut wrong = Vec::new();
    if !ok {
        for (i, c) in present.iter().enumerate() {
            if stderr.contains(&format!("\"{i}:{}\"", c.name)) {
                wrong.push(format!(
                    "{} ({}) = {} here, but the header says otherwise",
                    c.name, c.origin, c.value
                ));
            }
        }
        if wrong.is_empty() {
            return Err(format!("cc failed for another reason:\n{stderr}"));
        }
    }
    Ok(Outcome {
        checked: present.len(),
        skipped: absent.iter().map(|c| c.name.clone()).collect(),
        wrong,
    })
}

/// Every attribute of every reachable table, the message types, groups and
/// netlink constants.
fn table_checks() -> Vec<Check> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for t in common::all_tables() {
        for a in t.attrs {
            // IFLA_ALT_IFNAME is in two tables with the same number.
            if seen.insert((a.name, a.id)) {
                out.push(check(a.name, a.id.into(), &format!("table {}", t.name)));
            }
        }
    }
    for &(v, name, _) in rtm::TYPES {
        out.push(check(name, v.into(), "rtm::TYPES"));
    }
    let g: &[(&str, u32)] = &[
        ("RTNLGRP_LINK", groups::RTNLGRP_LINK),
        ("RTNLGRP_NOTIFY", groups::RTNLGRP_NOTIFY),
        ("RTNLGRP_NEIGH", groups::RTNLGRP_NEIGH),
        ("RTNLGRP_TC", groups::RTNLGRP_TC),
        ("RTNLGRP_IPV4_IFADDR", groups::RTNLGRP_IPV4_IFADDR),
        ("RTNLGRP_IPV4_MROUTE", groups::RTNLGRP_IPV4_MROUTE),
        ("RTNLGRP_IPV4_ROUTE", groups::RTNLGRP_IPV4_ROUTE),
        ("RTNLGRP_IPV4_RULE", groups::RTNLGRP_IPV4_RULE),
        ("RTNLGRP_IPV6_IFADDR", groups::RTNLGRP_IPV6_IFADDR),
        ("RTNLGRP_IPV6_MROUTE", groups::RTNLGRP_IPV6_MROUTE),
        ("RTNLGRP_IPV6_ROUTE", groups::RTNLGRP_IPV6_ROUTE),
        ("RTNLGRP_IPV6_IFINFO", groups::RTNLGRP_IPV6_IFINFO),
        ("RTNLGRP_IPV6_PREFIX", groups::RTNLGRP_IPV6_PREFIX),
        ("RTNLGRP_IPV6_RULE", groups::RTNLGRP_IPV6_RULE),
        ("RTNLGRP_NSID", groups::RTNLGRP_NSID),
        ("RTNLGRP_NEXTHOP", groups::RTNLGRP_NEXTHOP),
    ];
    for &(n, v) in g {
        out.push(check(n, v.into(), "rtm::groups"));
    }
    use netlink::flags::*;
    let nl: &[(&str, u64)] = &[
        ("NLMSG_NOOP", netlink::NLMSG_NOOP.into()),
        ("NLMSG_ERROR", netlink::NLMSG_ERROR.into()),
        ("NLMSG_DONE", netlink::NLMSG_DONE.into()),
        ("NLMSG_OVERRUN", netlink::NLMSG_OVERRUN.into()),
        ("NLM_F_REQUEST", NLM_F_REQUEST.into()),
        ("NLM_F_MULTI", NLM_F_MULTI.into()),
        ("NLM_F_ACK", NLM_F_ACK.into()),
        ("NLM_F_ECHO", NLM_F_ECHO.into()),
        ("NLM_F_DUMP_INTR", NLM_F_DUMP_INTR.into()),
        ("NLM_F_DUMP_FILTERED", NLM_F_DUMP_FILTERED.into()),
        ("NLM_F_ROOT", NLM_F_ROOT.into()),
        ("NLM_F_MATCH", NLM_F_MATCH.into()),
        ("NLM_F_ATOMIC", NLM_F_ATOMIC.into()),
        ("NLM_F_DUMP", NLM_F_DUMP.into()),
        ("NLM_F_REPLACE", NLM_F_REPLACE.into()),
        ("NLM_F_EXCL", NLM_F_EXCL.into()),
        ("NLM_F_CREATE", NLM_F_CREATE.into()),
        ("NLM_F_APPEND", NLM_F_APPEND.into()),
        ("NLM_F_CAPPED", NLM_F_CAPPED.into()),
        ("NLM_F_ACK_TLVS", NLM_F_ACK_TLVS.into()),
        ("NLMSGERR_ATTR_MSG", ext_ack::NLMSGERR_ATTR_MSG.into()),
        ("NLMSGERR_ATTR_OFFS", ext_ack::NLMSGERR_ATTR_OFFS.into()),
        ("NLMSGERR_ATTR_COOKIE", ext_ack::NLMSGERR_ATTR_COOKIE.into()),
        ("NLMSGERR_ATTR_POLICY", ext_ack::NLMSGERR_ATTR_POLICY.into()),
        (
            "NLMSGERR_ATTR_MISS_TYPE",
            ext_ack::NLMSGERR_ATTR_MISS_TYPE.into(),
        ),
        (
            "NLMSGERR_ATTR_MISS_NEST",
            ext_ack::NLMSGERR_ATTR_MISS_NEST.into(),
        ),
        ("NLMSG_HDRLEN", NLMSG_HDRLEN as u64),
        ("NLA_HDRLEN", NLA_HDRLEN as u64),
        ("NLA_F_NESTED", NLA_F_NESTED.into()),
        ("NLA_F_NET_BYTEORDER", NLA_F_NET_BYTEORDER.into()),
    ];
    for &(n, v) in nl {
        out.push(check(n, v, "netlink"));
    }
    // `~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)` is an int in C: compare as u16.
    out.push(Check {
        expr: "(unsigned short)(NLA_TYPE_MASK)".into(),
        ..check("NLA_TYPE_MASK", NLA_TYPE_MASK.into(), "nla")
    });
    out
}

fn name_tables() -> Vec<(&'static str, &'static Names)> {
    vec![
        ("ROUTE_TYPES", &names::ROUTE_TYPES),
        ("ROUTE_PROTOCOLS", &names::ROUTE_PROTOCOLS),
        ("SCOPES", &names::SCOPES),
        ("TABLES", &names::TABLES),
        ("FAMILIES", &names::FAMILIES),
        ("LINK_FLAGS", &names::LINK_FLAGS),
        ("OPERSTATES", &names::OPERSTATES),
        ("LINK_MODES", &names::LINK_MODES),
        ("LINK_TYPES", &names::LINK_TYPES),
        ("ADDR_FLAGS", &names::ADDR_FLAGS),
        ("NEIGH_STATES", &names::NEIGH_STATES),
        ("NEIGH_FLAGS", &names::NEIGH_FLAGS),
        ("RULE_ACTIONS", &names::RULE_ACTIONS),
        ("NEXTHOP_FLAGS", &names::NEXTHOP_FLAGS),
        ("ROUTE_FLAGS", &names::ROUTE_FLAGS),
        ("ROUTE_PREFS", &names::ROUTE_PREFS),
        ("METRIC_NAMES", &names::METRIC_NAMES),
    ]
}

fn name_checks() -> Vec<Check> {
    let mut out = Vec::new();
    for (table, names) in name_tables() {
        assert_eq!(names.entries.len(), names.c_names.len(), "names::{table}");
        for (&(v, ip), c) in names.entries.iter().zip(names.c_names) {
            out.push(check(c, v.into(), &format!("names::{table} \"{ip}\"")));
        }
    }
    out
}

/// `Err` is a reason to skip.
fn toolchain_ready() -> Result<(), String> {
    match run_cc(&["-fsyntax-only"], &source_with(TABLE_HEADERS, "")) {
        None => Err(format!("cannot run `{}`", cc())),
        Some((true, ..)) => match run_cc(&["-fsyntax-only"], &source_with(NAME_HEADERS, "")) {
            Some((true, ..)) => Ok(()),
            Some((false, _, e)) => Err(format!("kernel headers missing or broken: {}", e.trim())),
            None => Err("cc stopped working".into()),
        },
        Some((false, _, e)) => Err(format!(
            "kernel UAPI headers missing (install linux-libc-dev): {}",
            e.trim()
        )),
    }
}

fn skip_or_fail(why: &str) -> bool {
    if std::env::var("RTNL_WIRE_REQUIRE_HEADERS").as_deref() == Ok("1") {
        panic!("header check required but impossible: {why}");
    }
    eprintln!("SKIPPED: header check not run: {why}");
    true
}

fn report(what: &str, o: &Outcome) {
    println!(
        "{what}: {} names checked against the headers, {} skipped (absent from these headers)",
        o.checked,
        o.skipped.len()
    );
    if !o.skipped.is_empty() {
        println!("  skipped: {}", o.skipped.join(" "));
    }
}

#[test]
fn attribute_tables_match_kernel_headers() {
    if let Err(why) = toolchain_ready() {
        if skip_or_fail(&why) {
            return;
        }
    }
    let checks = table_checks();
    let o = verify(TABLE_HEADERS, &checks).unwrap();
    report("attribute tables, message types, groups, netlink", &o);
    assert!(o.wrong.is_empty(), "wrong numbers:\n{}", o.wrong.join("\n"));
    // Even old (4.x) headers know a few hundred of these names; far fewer
    // means the name scan is broken and the test would prove nothing.
    assert!(
        o.checked > 250,
        "only {} names found in the headers",
        o.checked
    );
}

#[test]
fn name_tables_match_kernel_headers() {
    if let Err(why) = toolchain_ready() {
        if skip_or_fail(&why) {
            return;
        }
    }
    let checks = name_checks();
    let o = verify(NAME_HEADERS, &checks).unwrap();
    report("names.rs value tables", &o);
    assert!(o.wrong.is_empty(), "wrong numbers:\n{}", o.wrong.join("\n"));
    assert!(
        o.checked > 120,
        "only {} names found in the headers",
        o.checked
    );
}

/// The check must be able to fail: a wrong number is reported, by name.
#[test]
fn a_wrong_number_is_caught() {
    if let Err(why) = toolchain_ready() {
        if skip_or_fail(&why) {
            return;
        }
    }
    let mut checks = table_checks();
    let ifname = checks.iter_mut().find(|c| c.name == "IFLA_IFNAME").unwrap();
    ifname.value += 1;
    let grp = checks
        .iter_mut()
        .find(|c| c.name == "RTNLGRP_LINK")
        .unwrap();
    grp.value = 2;
    let o = verify(TABLE_HEADERS, &checks).unwrap();
    assert_eq!(o.wrong.len(), 2, "{:?}", o.wrong);
    assert!(o.wrong[0].starts_with("IFLA_IFNAME") || o.wrong[1].starts_with("IFLA_IFNAME"));

    let mut checks = name_checks();
    checks.push(check("RTM_F_OFFLOAD_FAILED", 0x20000, "deliberately wrong"));
    let o = verify(NAME_HEADERS, &checks).unwrap();
    assert!(
        o.wrong
            .iter()
            .any(|w| w.starts_with("RTM_F_OFFLOAD_FAILED")),
        "{:?}",
        o.wrong
    );
}

/// Every reachable table is sorted by number (`Table::by_id` searches
/// binarily), has unique numbers and names, and the walk reaches every nest
/// the families are known to have.
#[test]
fn tables_are_sorted_unique_and_all_reached() {
    let tables = common::all_tables();
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name).collect();
    for expected in [
        "link",
        "linkinfo",
        "xdp",
        "prop_list",
        "af_spec",
        "inet",
        "inet6",
        "veth",
        "vxlan",
        "macvlan",
        "bridge",
        "bridge_slave",
        "addr",
        "route",
        "metrics",
        "neigh",
        "rule",
    ] {
        assert!(
            names.contains(expected),
            "table {expected} not reached; got {names:?}"
        );
    }
    for t in &tables {
        for w in t.attrs.windows(2) {
            assert!(
                w[0].id < w[1].id,
                "table {}: {} not before {}",
                t.name,
                w[0].name,
                w[1].name
            );
        }
        let mut seen = HashSet::new();
        for a in t.attrs {
            assert!(
                seen.insert(a.name.to_ascii_uppercase()),
                "{}: {} twice",
                t.name,
                a.name
            );
            assert!(a.id != 0, "{}: {} numbered 0", t.name, a.name);
            assert!(std::ptr::eq(t.by_id(a.id).unwrap(), a));
            assert!(std::ptr::eq(
                t.by_name(&a.name.to_ascii_lowercase()).unwrap(),
                a
            ));
            if let AttrKind::Struct(s) = a.kind {
                assert!(
                    matches!(s.width, 2 | 4 | 8),
                    "{}: width {}",
                    s.name,
                    s.width
                );
            }
        }
    }
}

/// names.rs: every table maps names both ways and flag tables hold single bits.
#[test]
fn name_tables_are_consistent() {
    for (table, n) in name_tables() {
        let mut values = HashSet::new();
        for &(v, name) in n.entries {
            assert!(values.insert(v), "{table}: {v} twice");
            assert_eq!(n.name(v), Some(name));
            assert_eq!(
                n.value(&name.to_ascii_uppercase()),
                Some(v),
                "{table} {name}"
            );
        }
        if table.ends_with("FLAGS") || table == "NEIGH_STATES" {
            for &(v, name) in n.entries {
                assert_eq!(v.count_ones(), 1, "{table}: {name} = {v:#x} is not one bit");
            }
            let all = n.entries.iter().fold(0, |a, e| a | e.0);
            let (set, rest) = n.flags(all | 0x4000_0000);
            assert_eq!(set.len(), n.entries.len());
            assert_eq!(rest, 0x4000_0000);
        }
    }
}
