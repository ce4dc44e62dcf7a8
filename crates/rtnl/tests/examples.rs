//! Runs the example programs (`cargo run --example NAME`) and checks what
//! they print. `list` and the routing-socket `decode` run as anyone; the
//! route and watch examples need root (they make throwaway namespaces) and
//! skip with a message otherwise.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::process::{Command, Stdio};

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// `cargo run -q -p PKG --example NAME -- ARGS`, with this build's target
/// directory (inherited through CARGO_TARGET_DIR, or the workspace default).
fn example(pkg: &str, name: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "-q", "-p", pkg, "--example", name, "--"])
        .args(args);
    c
}

fn run(pkg: &str, name: &str, args: &[&str]) -> String {
    let out = example(pkg, name, args).output().expect("run cargo");
    assert!(out.status.success(), "example {name}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn list_prints_links_like_ip_a() {
    let out = run("rtnl", "list", &[]);
    let lo = out
        .lines()
        .find(|l| l.contains(": lo: <"))
        .expect("lo listed");
    assert!(lo.contains("LOOPBACK") && lo.contains("mtu "), "{out}");
    if !out.contains("inet 127.0.0.1/8") && out.contains("<LOOPBACK,UP") {
        panic!("lo is up without 127.0.0.1: {out}");
    }
}

#[test]
fn decode_translates_the_freebsd_capture() {
    let out = run("rtnl-pfroute", "decode", &[]);
    assert!(out.contains("  -> RTM_NEWLINK"), "{out}");
    assert!(out.contains("  -> RTM_NEWROUTE"), "{out}");
    let last = out.lines().last().unwrap();
    assert!(
        last.ends_with("(2236 bytes)") && last.contains("routing-socket messages"),
        "{last}"
    );
}

#[test]
fn route_netns_adds_and_removes_a_route() {
    let out = run("rtnl", "route_netns", &[]);
    if !is_root() {
        assert_eq!(out.trim(), "skipped: needs root");
        eprintln!("skipped: needs root");
        return;
    }
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("created namespace rtnl-example-"),
        "{out}"
    );
    assert!(
        out.contains("added: ip route add 10.10.0.0/16 dev lo\nmain table: 1 route(s)"),
        "{out}"
    );
    assert!(
        out.contains("removed: ip route del 10.10.0.0/16 dev lo\nmain table: 0 route(s)"),
        "{out}"
    );
    let ns = lines[0].trim_start_matches("created namespace ");
    assert!(lines.last().unwrap().ends_with(ns), "{out}");
    assert!(
        !rtnl::netns::list().unwrap().iter().any(|n| n == ns),
        "{ns} left behind"
    );
}

#[test]
fn watch_prints_a_change_and_stops_after_count() {
    if !is_root() {
        eprintln!("skipped: needs root");
        return;
    }
    struct Throwaway(String);
    impl Drop for Throwaway {
        fn drop(&mut self) {
            let _ = rtnl::netns::del(&self.0);
        }
    }
    let ns = Throwaway(format!("rtnl-example-watch-{}", std::process::id()));
    rtnl::netns::add(&ns.0).unwrap();
    let mut child = example("rtnl", "watch", &["--count", "1", "--netns", &ns.0])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap(); // bound: nothing after this is missed
    assert_eq!(line.trim(), "watching");
    let mut ipr = rtnl::IpRoute::in_netns(&rtnl::NetnsRef::Name(ns.0.clone())).unwrap();
    let lo = ipr.link_index("lo").unwrap();
    ipr.addr_add(lo, "10.9.0.1/24".parse().unwrap(), &Default::default())
        .unwrap();
    line.clear();
    out.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("RTM_NEWADDR addr Some(10.9.0.1)/24"),
        "{line}"
    );
    let status = child.wait().unwrap();
    assert!(status.success());
}
