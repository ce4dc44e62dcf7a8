//! `rtnl-bench --quick` end to end: every row is in the JSON, measured or
//! with the reason it was not. Needs root (it builds a namespace); skipped
//! otherwise.

#![cfg(target_os = "linux")]

use std::process::Command;
use std::time::{Duration, Instant};

const ROWS: &[&str] = &[
    "dump.raw",
    "dump.stream",
    "dump.owned",
    "dump.rtnl-j",
    "dump.ip-j",
    "dump.pyroute2",
    "dump.rtnetlink",
    "bulk.add.lib",
    "bulk.add.rtnl-batch",
    "bulk.add.ip-batch",
    "bulk.del.lib",
    "bulk.del.rtnl-batch",
    "bulk.del.ip-batch",
    "storm.rtnl-async-cache",
    "storm.ip-monitor",
];

/// Rows that need nothing outside this crate and must have been measured.
const MEASURED: &[&str] = &[
    "dump.raw",
    "dump.stream",
    "dump.owned",
    "dump.rtnetlink",
    "bulk.add.lib",
    "bulk.del.lib",
    "storm.rtnl-async-cache",
];

#[test]
fn quick_run_writes_every_row() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: rtnl-bench needs root to build a network namespace");
        return;
    }
    let json = std::env::temp_dir().join(format!("rtnl-bench-smoke-{}.json", std::process::id()));
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_rtnl-bench"))
        .args(["--quick", "--json"])
        .arg(&json)
        // No nested cargo build of the rtnl binary from inside a test.
        .env_remove("CARGO")
        .output()
        .expect("run rtnl-bench");
    let took = start.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "rtnl-bench failed:\n{stdout}\n{stderr}"
    );
    assert!(took < Duration::from_secs(120), "--quick took {took:?}");
    let text = std::fs::read_to_string(&json).expect("the JSON file");
    let _ = std::fs::remove_file(&json);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let rows = v["rows"].as_array().expect("rows");
    for key in ROWS {
        let row = rows
            .iter()
            .find(|r| r["key"] == *key)
            .unwrap_or_else(|| panic!("no row {key} in {text}"));
        let measured = row["median_s"].is_number();
        assert!(
            measured || row["note"].is_string(),
            "row {key} has neither a time nor a reason: {row}"
        );
        if MEASURED.contains(key) {
            assert!(measured, "row {key} was not measured: {row}");
        }
    }
    assert_eq!(v["targets"].as_array().map(Vec::len), Some(6), "{text}");
    assert!(stdout.contains("Targets:"), "{stdout}");
    // The namespace is gone.
    let left = std::fs::read_dir("/run/netns")
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .ends_with(&format!("-{}", out_pid(&stderr)))
                })
                .count()
        })
        .unwrap_or(0);
    assert_eq!(left, 0, "the namespace was left behind");
}

/// The pid in "namespace rtnl-bench-PID" of the bench's stderr.
fn out_pid(stderr: &str) -> String {
    stderr
        .split("namespace rtnl-bench-")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or("none")
        .to_string()
}
