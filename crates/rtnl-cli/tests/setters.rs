//! `rtnl link|addr|route|neigh|rule` changes, `netns`, and `-batch`, run
//! in a fresh namespace and checked with `ip -j` afterwards; error cases
//! checked for their message and exit code.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value as Json;

fn ok(ns: &Netns, cmd: &str) {
    let args: Vec<&str> = cmd.split_whitespace().collect();
    let out = rtnl_out(&ns.name, &args);
    assert!(
        out.status.success(),
        "rtnl {cmd}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn fails(ns: &Netns, cmd: &str, code: i32, text: &str) {
    let args: Vec<&str> = cmd.split_whitespace().collect();
    let out = rtnl_out(&ns.name, &args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "rtnl {cmd}: {err}");
    assert!(err.contains(text), "rtnl {cmd}: {err:?} lacks {text:?}");
}

fn ipj(ns: &Netns, cmd: &str) -> Json {
    let mut args = vec!["-j"];
    args.extend(cmd.split_whitespace());
    let out = ip_out(&ns.name, &args);
    assert!(out.status.success(), "ip {cmd}");
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return Json::Array(vec![]);
    }
    serde_json::from_str(&text).unwrap()
}

#[test]
fn link_addr_route_neigh_rule_commands() {
    if skip() {
        return;
    }
    let Some(ns) = Netns::new() else { return };
    ok(&ns, "link add v0 type veth peer name v1");
    ok(&ns, "link add br0 type bridge");
    ok(
        &ns,
        "link add vx0 type vxlan id 42 dstport 4789 remote 10.0.0.2 local 10.0.0.1 ttl 4",
    );
    ok(&ns, "link add mv0 link v1 type macvlan mode private");
    ok(&ns, "link add ifb0 type ifb");
    ok(&ns, "link set dev v0 up mtu 1400 master br0 txqueuelen 600");
    ok(&ns, "link set v1 up alias peer-side");
    let v0 = &ipj(&ns, "link show dev v0")[0];
    assert_eq!(
        (&v0["mtu"], &v0["master"], &v0["txqlen"]),
        (&Json::from(1400), &Json::from("br0"), &Json::from(600))
    );
    assert_eq!(ipj(&ns, "link show dev v1")[0]["ifalias"], "peer-side");
    assert_eq!(
        ipj(&ns, "-d link show dev mv0")[0]["linkinfo"]["info_data"]["mode"],
        "private"
    );
    assert_eq!(
        ipj(&ns, "-d link show dev vx0")[0]["linkinfo"]["info_data"]["id"],
        42
    );
    ok(&ns, "link set dev v0 nomaster");
    assert!(ipj(&ns, "link show dev v0")[0].get("master").is_none());

    ok(&ns, "addr add 10.0.0.1/24 dev v1 brd + label v1:x");
    ok(
        &ns,
        "addr add 2001:db8::1/64 dev v1 nodad valid_lft 200 preferred_lft 100",
    );
    ok(&ns, "-6 addr replace 2001:db8::1/64 dev v1 nodad");
    let a = ipj(&ns, "addr show dev v1")[0]["addr_info"].clone();
    assert!(a
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["local"] == "10.0.0.1"
            && x["broadcast"] == "10.0.0.255"
            && x["label"] == "v1:x"));

    ok(
        &ns,
        "route add 10.1.0.0/16 via 10.0.0.9 dev v1 metric 5 proto static mtu 1300",
    );
    ok(&ns, "route add blackhole 10.30.0.0/16 table 100");
    ok(
        &ns,
        "route add 10.21.0.0/16 nexthop via 10.0.0.9 dev v1 weight 2 nexthop via 10.0.0.8 dev v1",
    );
    ok(
        &ns,
        "route replace 10.1.0.0/16 via 10.0.0.8 dev v1 metric 5",
    );
    let r = &ipj(&ns, "route show 10.1.0.0/16")[0];
    assert_eq!(
        (&r["gateway"], &r["metric"]),
        (&Json::from("10.0.0.8"), &Json::from(5))
    );
    let mp = &ipj(&ns, "route show 10.21.0.0/16")[0];
    assert_eq!(mp["nexthops"][0]["weight"], 2);
    assert_eq!(ipj(&ns, "route show table 100")[0]["type"], "blackhole");
    // `route get` prints what `ip route get` prints, text and JSON.
    for args in [
        &["route", "get", "10.1.2.3"][..],
        &["-j", "route", "get", "10.1.2.3"],
    ] {
        let ours = rtnl_out(&ns.name, args);
        let theirs = ip_out(&ns.name, args);
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout)
        );
    }
    ok(&ns, "route flush table 100");
    assert_eq!(ipj(&ns, "route show table 100"), Json::Array(vec![]));
    // Flush takes route show's selectors, and needs at least one.
    for r in ["10.80.1.0/24", "10.80.2.0/24", "10.81.0.0/16"] {
        ok(&ns, &format!("route add {r} via 10.0.0.9 dev v1"));
    }
    ok(&ns, "route add 10.80.3.0/24 via 10.0.0.9 dev v1 metric 7");
    ok(&ns, "route flush root 10.80.0.0/16 metric 0");
    let dsts = |ns: &Netns| -> Vec<String> {
        ipj(ns, "route show root 10.80.0.0/15")
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["dst"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(dsts(&ns), ["10.80.3.0/24", "10.81.0.0/16"]);
    fails(&ns, "route flush", 255, "requires arguments");
    ok(&ns, "route flush 10.81.0.0/16");
    assert_eq!(dsts(&ns), ["10.80.3.0/24"]);
    ok(&ns, "route flush via 10.0.0.9 metric 7");
    assert!(dsts(&ns).is_empty());
    ok(&ns, "route del 10.1.0.0/16");

    ok(
        &ns,
        "neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v1 nud permanent",
    );
    ok(
        &ns,
        "neigh replace 10.0.0.5 lladdr 02:00:00:00:00:06 dev v1 nud reachable",
    );
    ok(&ns, "neigh add proxy 10.0.0.6 dev v1");
    let n = &ipj(&ns, "neigh show dev v1")[0];
    assert_eq!(n["lladdr"], "02:00:00:00:00:06");
    assert_eq!(ipj(&ns, "neigh show proxy")[0]["dst"], "10.0.0.6");
    ok(&ns, "neigh del 10.0.0.5 dev v1");
    // Flush: permanent entries stay unless `nud` names them.
    for (a, nud) in [("7", "permanent"), ("8", "stale"), ("9", "reachable")] {
        ok(
            &ns,
            &format!("neigh add 10.0.0.{a} lladdr 02:00:00:00:00:0{a} dev v1 nud {nud}"),
        );
    }
    let dsts = |ns: &Netns| -> Vec<String> {
        let mut v: Vec<String> = ipj(ns, "-4 neigh show dev v1 nud all")
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["dst"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(dsts(&ns), ["10.0.0.7", "10.0.0.8", "10.0.0.9"]);
    fails(&ns, "neigh flush", 255, "Flush requires arguments");
    ok(&ns, "neigh flush dev v1 nud stale");
    assert_eq!(dsts(&ns), ["10.0.0.7", "10.0.0.9"]);
    ok(&ns, "neigh flush dev v1");
    assert_eq!(dsts(&ns), ["10.0.0.7"]);
    ok(&ns, "neigh flush to 10.0.0.0/24 nud all");
    assert!(dsts(&ns).is_empty());

    ok(&ns, "rule add from 10.1.0.0/24 table 100 pref 1000");
    ok(&ns, "rule add fwmark 0x7/0xff unreachable pref 1001");
    let rules = ipj(&ns, "rule show");
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["priority"] == 1001 && r["action"] == "unreachable"));
    ok(&ns, "rule del pref 1001");
    // Flush takes rule show's selectors; the priority 0 rule stays.
    ok(&ns, "rule add from 10.7.0.0/16 table 100 pref 2000");
    ok(&ns, "rule add from 10.8.0.0/16 table 100 pref 2001");
    ok(&ns, "rule add from 10.9.0.0/16 table 200 pref 2002");
    let prios = |ns: &Netns| -> Vec<u64> {
        ipj(ns, "rule show")
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["priority"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(prios(&ns), [0, 1000, 2000, 2001, 2002, 32766, 32767]);
    ok(&ns, "rule flush table 100 from 10.7.0.0/16");
    assert_eq!(prios(&ns), [0, 1000, 2001, 2002, 32766, 32767]);
    ok(&ns, "rule flush table 100");
    assert_eq!(prios(&ns), [0, 2002, 32766, 32767]);
    ok(&ns, "rule flush pref 0");
    assert_eq!(prios(&ns), [0, 2002, 32766, 32767]);
    ok(&ns, "rule flush pref 2002");
    assert_eq!(prios(&ns), [0, 32766, 32767]);

    // Address flush takes addr show's address selectors.
    ok(&ns, "addr add 10.0.7.1/24 dev v1");
    ok(&ns, "addr add 10.0.8.1/24 dev v1 label v1:keep");
    ok(&ns, "addr add 10.0.9.1/24 dev v1 scope link");
    let locals = |ns: &Netns| -> Vec<String> {
        ipj(ns, "-4 addr show dev v1")[0]["addr_info"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["local"].as_str().unwrap().to_string())
            .collect()
    };
    let before = locals(&ns);
    assert!(before.contains(&"10.0.7.1".to_string()), "{before:?}");
    ok(&ns, "addr flush dev v1 to 10.0.7.0/24");
    ok(&ns, "addr flush v1 scope link");
    let after = locals(&ns);
    assert!(
        !after.iter().any(|a| a == "10.0.7.1" || a == "10.0.9.1"),
        "{after:?}"
    );
    assert!(after.contains(&"10.0.8.1".to_string()), "{after:?}");
    ok(&ns, "addr flush label v1:k*");
    assert!(!locals(&ns).contains(&"10.0.8.1".to_string()));
    fails(&ns, "addr flush", 255, "Flush requires arguments");
    fails(
        &ns,
        "addr flush master v1",
        255,
        "selects links, not addresses",
    );
    ok(&ns, "addr flush dev v1");
    assert_eq!(
        ipj(&ns, "addr show dev v1")[0]["addr_info"],
        Json::Array(vec![])
    );
    ok(&ns, "link del dev v0");
    assert!(!ip_out(&ns.name, &["link", "show", "v1"]).status.success());

    // Errors: bad arguments (255), unknown devices (1), kernel refusals (2).
    fails(
        &ns,
        "addr add 10.0.0.1/33 dev br0",
        255,
        "prefix length 33 is over 32",
    );
    fails(
        &ns,
        "addr add 10.0.0.1/24 dev nosuch",
        1,
        "Cannot find device \"nosuch\"",
    );
    fails(
        &ns,
        "route add 10.0.0.0/8 via 10.0.0.x",
        255,
        "\"via\" needs an IPv4 or IPv6 address",
    );
    fails(
        &ns,
        "link add br0 type bridge",
        2,
        "add link br0 type bridge: File exists (EEXIST)",
    );
    fails(&ns, "link add v9 type veth", 255, "a veth needs its peer");
    fails(
        &ns,
        "route add 10.2.0.0/16 via 10.99.0.1",
        2,
        "add route 10.2.0.0/16 via 10.99.0.1: ",
    );
    fails(
        &ns,
        "link add x9 type macvlan",
        255,
        "a macvlan needs its parent",
    );
}

fn batch(ns: &Netns, args: &[&str], input: &str) -> std::process::Output {
    let mut full = vec!["-n", ns.name.as_str()];
    full.extend_from_slice(args);
    full.extend(["-batch", "-"]);
    let mut child = Command::new(RTNL)
        .args(&full)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn batch_stops_or_forces_and_names_the_line() {
    if skip() {
        return;
    }
    let Some(ns) = Netns::new() else { return };
    let mut text = String::from("link add v0 type veth peer name v1\nlink set v0 up\naddr add 10.0.0.1/24 dev v0\n# a comment\n\n");
    for i in 0..3000 {
        text += &format!(
            "route add 10.{}.{}.0/24 via 10.0.0.9\n",
            100 + i / 256,
            i % 256
        );
    }
    let out = batch(&ns, &[], &text);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        ipj(&ns, "route show via 10.0.0.9")
            .as_array()
            .unwrap()
            .len(),
        3000
    );

    // Stops at the first failing line, naming it.
    let out = batch(&ns, &[], "route add 10.7.0.0/16 via 10.0.0.9\nroute add 10.100.0.0/24 via 10.0.0.9\naddr add 10.8.0.1/40 dev v0\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("add route 10.100.0.0/24 via 10.0.0.9: File exists (EEXIST)"),
        "{err}"
    );
    assert!(err.contains("Command failed -:2"), "{err}");
    assert!(!err.contains(":3"), "{err}");

    // With -force it goes on and reports every failure.
    let out = batch(&ns, &["-force"], "route add 10.100.0.0/24 via 10.0.0.9\naddr add 10.8.0.1/40 dev v0\nroute add 10.9.0.0/16 via 10.0.0.9\nlink set dev nosuch up\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    for l in ["-:1", "-:2", "-:4"] {
        assert!(err.contains(&format!("Command failed {l}")), "{err}");
    }
    assert!(err.contains("prefix length 40 is over 32"), "{err}");
    assert!(!ipj(&ns, "route show 10.9.0.0/16")
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn netns_commands_are_shared_with_ip() {
    if skip() {
        return;
    }
    let name = format!("rtnl-cli-nsc-{}", std::process::id());
    struct Guard(String);
    impl Drop for Guard {
        fn drop(&mut self) {
            let _ = Command::new("ip").args(["netns", "del", &self.0]).output();
        }
    }
    let _g = Guard(name.clone());
    assert!(rtnl_out("", &["netns", "add", &name]).status.success());
    let ip_list = Command::new("ip").args(["netns", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&ip_list.stdout).contains(&name));
    let ours = rtnl_out("", &["netns", "list"]);
    assert!(String::from_utf8_lossy(&ours.stdout)
        .lines()
        .any(|l| l == name));
    let exec = rtnl_out("", &["netns", "exec", &name, "ip", "-j", "link", "show"]);
    let links: Json = serde_json::from_slice(&exec.stdout).unwrap();
    assert_eq!(links.as_array().unwrap().len(), 1, "only lo inside");
    assert!(rtnl_out(&name, &["link", "add", "ifb1", "type", "ifb"])
        .status
        .success());
    assert!(ip_out(&name, &["link", "show", "ifb1"]).status.success());
    let again = rtnl_out("", &["netns", "add", &name]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("File exists"));
    assert!(rtnl_out("", &["netns", "del", &name]).status.success());
    let ip_list = Command::new("ip").args(["netns", "list"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&ip_list.stdout).contains(&name));
}
