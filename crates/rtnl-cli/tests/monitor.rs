//! `rtnl monitor` against `ip monitor`: the same changes, the same lines.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Kills the monitors it holds when dropped, even when the test panics.
struct Kill(Vec<std::process::Child>);

impl Drop for Kill {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Runs `rtnl -n NS ARGS` and `ip -n NS IP_ARGS` (`monitor OBJECTS`, after
/// any global options) while `change` runs; returns (rtnl's output, ip's
/// output).
fn both(
    ns: &Netns,
    rtnl_args: &[&str],
    ip_args: &[&str],
    change: impl FnOnce(),
) -> (String, String) {
    let mut args = vec!["-n", ns.name.as_str()];
    args.extend_from_slice(rtnl_args);
    let ours = Command::new(RTNL)
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut guard = Kill(vec![ours]);
    let theirs = Command::new("ip")
        .args(["-n", &ns.name])
        .args(ip_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    guard.0.push(theirs);
    std::thread::sleep(Duration::from_millis(500));
    change();
    // rtnl exits by itself after --count events; ip is stopped.
    let deadline = Instant::now() + Duration::from_secs(10);
    while guard.0[0].try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "rtnl monitor did not exit after --count events"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let mut theirs = guard.0.pop().unwrap();
    let ours = guard.0.pop().unwrap();
    let _ = theirs.kill();
    let ours = ours.wait_with_output().unwrap();
    let theirs = theirs.wait_with_output().unwrap();
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    (
        String::from_utf8(ours.stdout).unwrap(),
        String::from_utf8(theirs.stdout).unwrap(),
    )
}

#[test]
fn monitor_prints_what_ip_monitor_prints() {
    if skip() {
        return;
    }
    let Some(ns) = Netns::new() else { return };
    // A link that stays down: these changes make exactly nine events.
    let (ours, theirs) = both(
        &ns,
        &["monitor", "link", "address", "route", "--count", "9"],
        &["monitor", "link", "address", "route"],
        || {
            ns.ip(&["link", "add", "ifbm", "type", "ifb"]);
            ns.ip(&["link", "set", "ifbm", "mtu", "1400"]);
            ns.ip(&["addr", "add", "10.9.0.1/24", "dev", "ifbm"]);
            ns.ip(&["route", "add", "blackhole", "10.8.0.0/16", "table", "100"]);
            ns.ip(&["route", "del", "blackhole", "10.8.0.0/16", "table", "100"]);
            ns.ip(&["addr", "del", "10.9.0.1/24", "dev", "ifbm"]);
            ns.ip(&["link", "del", "ifbm"]);
        },
    );
    assert!(ours.contains("Deleted "), "{ours}");
    assert_eq!(ours, theirs, "rtnl monitor:\n{ours}\nip monitor:\n{theirs}");
}

/// `-o`: each event on one line, as `ip -o monitor` prints it.
#[test]
fn monitor_oneline_prints_what_ip_prints() {
    if skip() {
        return;
    }
    let Some(ns) = Netns::new() else { return };
    let (ours, theirs) = both(
        &ns,
        &["-o", "monitor", "link", "address", "--count", "4"],
        &["-o", "monitor", "link", "address"],
        || {
            ns.ip(&["link", "add", "ifbo", "type", "ifb"]);
            ns.ip(&["addr", "add", "10.9.1.1/24", "dev", "ifbo"]);
            ns.ip(&["addr", "del", "10.9.1.1/24", "dev", "ifbo"]);
            ns.ip(&["link", "del", "ifbo"]);
        },
    );
    assert_eq!(ours.lines().count(), 4, "{ours}");
    assert!(ours.contains('\\'), "{ours}");
    assert_eq!(
        ours, theirs,
        "rtnl -o monitor:\n{ours}\nip -o monitor:\n{theirs}"
    );
}

#[test]
fn monitor_json_prints_one_object_per_line_and_timestamps() {
    if skip() {
        return;
    }
    let Some(ns) = Netns::new() else { return };
    let (ours, _) = both(
        &ns,
        &["-j", "monitor", "link", "--count", "2"],
        &["monitor", "link"],
        || {
            ns.ip(&["link", "add", "ifbj", "type", "ifb"]);
            ns.ip(&["link", "del", "ifbj"]);
        },
    );
    let lines: Vec<serde_json::Value> = ours
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{ours}");
    assert_eq!(lines[0]["ifname"], "ifbj");
    assert_eq!(lines[1]["deleted"], true);
    let (ours, _) = both(
        &ns,
        &["monitor", "link", "-t", "--count", "1"],
        &["monitor", "link"],
        || {
            ns.ip(&["link", "add", "ifbt", "type", "ifb"]);
        },
    );
    assert!(ours.starts_with("Timestamp: "), "{ours}");
    assert!(ours.lines().next().unwrap().ends_with(" usec"), "{ours}");
}
