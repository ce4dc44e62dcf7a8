//! Shared test machinery: a network namespace per test (deleted on drop,
//! panics included), the topology the comparisons run against, runners
//! for `rtnl` and `ip`, and field-by-field comparison of their outputs.
#![allow(dead_code)]

use std::fs::File;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value as Json;

/// The binary under test.
pub const RTNL: &str = env!("CARGO_BIN_EXE_rtnl");

/// Values that change between two runs taken a moment apart, so they are
/// compared for presence and type only:
/// - bridge and bridge port timers count jiffies while the test runs;
/// - address lifetimes count down in seconds, and a run may straddle a
///   second boundary.
pub const TICKING: &[&str] = &[
    "used",
    "confirmed",
    "updated",
    "hello_timer",
    "tcn_timer",
    "topology_change_timer",
    "gc_timer",
    "hold_timer",
    "message_age_timer",
    "forward_delay_timer",
    "valid_life_time",
    "preferred_life_time",
];

/// Why the namespace tests cannot run here, if they cannot.
pub fn skip_reason() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let euid = status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(2))
        .unwrap_or("");
    if euid != "0" {
        return Some("not root: network namespaces need CAP_SYS_ADMIN".into());
    }
    match Command::new("ip").arg("-V").output() {
        Ok(o) if o.status.success() => None,
        _ => Some("`ip` (iproute2) is not installed".into()),
    }
}

/// Returns true (and says so) when the test must be skipped.
pub fn skip() -> bool {
    match skip_reason() {
        Some(why) => {
            eprintln!("skipping: {why}");
            true
        }
        None => false,
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A network namespace under /run/netns, deleted when dropped.
pub struct Netns {
    /// Its name.
    pub name: String,
    /// Keeps an unnamed peer namespace alive (see [`Netns::with_topology`]).
    peer: Option<File>,
}

impl Netns {
    /// Creates `rtnl-cli-<pid>-<n>`; `None` (with a message) when the
    /// system refuses.
    pub fn new() -> Option<Netns> {
        let name = unique_name();
        let out = Command::new("ip")
            .args(["netns", "add", &name])
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!(
                "skipping: cannot create a network namespace: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(Netns { name, peer: None })
    }

    /// A namespace holding [`build_topology`]'s devices, settled.
    pub fn with_topology() -> Option<Netns> {
        let mut ns = Netns::new()?;
        ns.peer = Some(build_topology(&ns));
        settle(&ns.name);
        Some(ns)
    }

    /// Runs `ip -n NS ARGS` and panics when it fails.
    pub fn ip(&self, args: &[&str]) {
        let mut full = vec!["-n", self.name.as_str()];
        full.extend_from_slice(args);
        let out = Command::new("ip").args(&full).output().expect("run ip");
        assert!(
            out.status.success(),
            "ip {}: {}",
            full.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `ip -n NS` with the words of `cmd`.
    pub fn ipw(&self, cmd: &str) {
        self.ip(&cmd.split_whitespace().collect::<Vec<_>>());
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .output();
        // Dropping the file then frees the unnamed peer namespace.
        self.peer.take();
    }
}

fn unique_name() -> String {
    format!(
        "rtnl-cli-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Builds the test network in `ns`: veth pairs, a bridge with a port,
/// vxlan, macvlan, ifb, a veth whose peer is in another (unnamed)
/// namespace, IPv4/IPv6 addresses, routes of many kinds in tables main
/// and 100, neighbours and rules. Returns the file that keeps the peer
/// namespace alive.
pub fn build_topology(n: &Netns) -> File {
    // Accepting DAD instantly keeps addresses from being "tentative" for
    // a while; the waiting in `settle` covers the rest.
    for cmd in [
        "link set lo up",
        "link add veth0 type veth peer name veth1",
        "link add br0 type bridge",
        "link add veth2 type veth peer name veth3",
        "link set veth2 master br0",
        "link add vxlan42 type vxlan id 42 dstport 4789 local 10.9.9.1 dev veth0",
        "link add mv0 link veth1 type macvlan mode bridge",
        "link add ifb0 type ifb",
        // veth4 is up, its peer down: NO-CARRIER and M-DOWN.
        "link add veth4 type veth peer name veth5",
        "link property add dev veth0 altname veth0-alt",
    ] {
        n.ipw(cmd);
    }
    n.ip(&["link", "set", "veth1", "alias", "uplink port"]);
    for d in [
        "veth0", "veth1", "br0", "veth2", "veth3", "vxlan42", "mv0", "ifb0", "veth4",
    ] {
        n.ip(&["link", "set", d, "up"]);
    }
    // A veth whose peer lives in a namespace without a name: `@if<N>` and
    // `link-netnsid 0`.
    // The name goes when `named` drops; the open file keeps the namespace.
    let named = Netns::new().expect("create the peer namespace");
    n.ip(&[
        "link",
        "add",
        "vpeer0",
        "type",
        "veth",
        "peer",
        "name",
        "vpeer1",
        "netns",
        &named.name,
    ]);
    let peer = File::open(format!("/run/netns/{}", named.name)).expect("open peer namespace");
    drop(named);

    for cmd in [
        "addr add 10.9.9.1/24 broadcast 10.9.9.255 dev veth0 label veth0:main",
        "addr add 10.9.8.1/24 dev veth0 label veth0:sec",
        "addr add 10.9.9.3/24 dev veth0",
        "addr add 10.9.9.2/24 dev veth1",
        "addr add 10.70.0.1 peer 10.70.0.2/32 dev veth1",
        "addr add 10.71.0.1/24 dev veth1 metric 20",
        "addr add 10.72.0.1/24 dev veth1 valid_lft 1000 preferred_lft 500",
        "addr add 192.168.50.1/24 brd + dev br0",
        "addr add 2001:db8::1/64 dev veth0",
        "addr add 2001:db8:1::1/64 dev br0 nodad",
        "route add 10.50.0.0/16 via 10.9.9.254 metric 50",
        "route add 10.51.0.0/16 dev veth0 scope link",
        "route add 10.52.0.0/16 via 10.9.9.254 mtu 1400",
        "route add 10.53.0.0/16 nexthop via 10.9.9.253 weight 2 nexthop via 10.9.9.252 weight 3",
        "route add blackhole 10.54.0.0/16",
        "route add unreachable 10.55.0.0/16",
        "route add prohibit 10.58.0.0/16",
        "route add 10.56.0.1 via 10.9.9.254",
        "route add 10.57.0.0/16 via 10.99.0.1 dev veth0 onlink",
        "route add 10.61.0.0/16 via 10.9.9.254 src 10.9.9.1 proto static",
        "route add 10.63.0.0/16 via 10.9.9.254 mtu lock 1300 advmss 1200 initcwnd 10 rtt 100ms rttvar 2s",
        "route add default via 10.9.9.254",
        "route add 10.60.0.0/16 via 10.9.9.254 table 100",
        "route add throw 10.59.0.0/16 table 100",
        "-6 route add 2001:db8:5::/64 via 2001:db8::fe metric 100",
        "-6 route add 2001:db8:6::/64 dev veth0 table 100",
        "-6 route add 2001:db8:7::/64 nexthop via 2001:db8::fe dev veth0 weight 1 nexthop via 2001:db8::fd dev veth0 weight 2",
        "-6 route add 2001:db8:8::/64 via 2001:db8::fe pref high",
        "neigh add 10.9.9.100 lladdr 02:00:00:00:00:01 dev veth0 nud permanent",
        "neigh add 10.9.9.101 lladdr 02:00:00:00:00:04 dev veth0 nud noarp",
        "neigh add 10.9.9.102 lladdr 02:00:00:00:00:05 dev veth0 nud stale",
        "-6 neigh add 2001:db8::100 lladdr 02:00:00:00:00:02 dev veth0 nud permanent",
        "-6 neigh add 2001:db8::101 lladdr 02:00:00:00:00:03 dev veth0 router nud permanent",
        "neigh add proxy 10.9.9.200 dev veth0",
        "-6 neigh add proxy 2001:db8::200 dev veth0",
        "rule add fwmark 0x10 table 100 priority 100",
        "rule add from 10.9.0.0/16 to 10.8.0.0/16 table 100 priority 200",
        "rule add not from 10.1.0.0/16 table 100 priority 400",
        "rule add iif veth0 table 100 priority 500",
        "rule add oif veth1 table 100 priority 600",
        "rule add blackhole priority 700",
        "rule add fwmark 0x20/0xff table 100 priority 800",
        "rule add uidrange 100-200 table 100 pref 900",
        "rule add ipproto tcp dport 80 table 100 pref 1000",
        "rule add sport 1000-2000 table 100 pref 1100",
        "rule add from 10.2.0.0/16 goto 32766 pref 1200",
        "rule add nop pref 1300",
        "rule add table 100 suppress_prefixlength 0 pref 1400",
        "rule add from 10.3.0.0/16 table 100 pref 1500 protocol static",
        "rule add from 10.4.0.0/16 unreachable pref 1600",
        "-6 rule add from 2001:db8::/32 table 100 priority 300",
    ] {
        n.ipw(cmd);
    }
    peer
}

/// Waits until addresses are out of DAD and link states stop changing.
pub fn settle(ns: &str) {
    let mut last = String::new();
    for _ in 0..100 {
        let now = mask_ticking(&ip_out(ns, &["addr"]).stdout);
        if now == last && !now.contains("tentative") {
            return;
        }
        last = now;
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("namespace {ns} did not settle:\n{last}");
}

/// Runs `ip -n NS ARGS`.
pub fn ip_out(ns: &str, args: &[&str]) -> Output {
    let mut full = vec!["-n", ns];
    full.extend_from_slice(args);
    Command::new("ip").args(&full).output().expect("run ip")
}

/// Runs `rtnl -n NS ARGS` (no namespace when `ns` is empty).
pub fn rtnl_out(ns: &str, args: &[&str]) -> Output {
    let mut full = Vec::new();
    if !ns.is_empty() {
        full.extend(["-n", ns]);
    }
    full.extend_from_slice(args);
    Command::new(RTNL).args(&full).output().expect("run rtnl")
}

/// Text with the ticking numbers (see [`TICKING`]) replaced by `#`.
pub fn mask_ticking(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        out.push_str(&mask_line(line));
    }
    out
}

fn mask_line(line: &str) -> String {
    const WORDS: &[&str] = &[
        "hello_timer ",
        "tcn_timer ",
        "topology_change_timer ",
        "gc_timer ",
        "hold_timer ",
        "message_age_timer ",
        "forward_delay_timer ",
        "valid_lft ",
        "preferred_lft ",
        // `-s neigh`: used/confirmed/updated seconds.
        " used ",
    ];
    let mut s = line.to_string();
    for w in WORDS {
        let mut from = 0;
        while let Some(pos) = s[from..].find(w) {
            let start = from + pos + w.len();
            let rest = &s[start..];
            let skip_sp = rest.len() - rest.trim_start_matches(' ').len();
            let num = rest[skip_sp..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '/'))
                .unwrap_or(rest.len() - skip_sp);
            if num > 0 {
                s.replace_range(start..start + skip_sp + num, "#");
            }
            from = start;
        }
    }
    s
}

/// Compares two JSON documents field by field: same keys in the same
/// order, same values, numbers by value; keys in [`TICKING`] only need the
/// same type. Returns the differences, each with its path.
pub fn json_diff(ip: &Json, ours: &Json) -> Vec<String> {
    let mut diffs = Vec::new();
    walk(ip, ours, "$", &mut diffs);
    diffs
}

fn walk(a: &Json, b: &Json, path: &str, diffs: &mut Vec<String>) {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            let kx: Vec<&String> = x.keys().collect();
            let ky: Vec<&String> = y.keys().collect();
            if kx != ky {
                diffs.push(format!(
                    "{path}: keys differ:\n  ip:   {kx:?}\n  rtnl: {ky:?}"
                ));
            }
            for (k, va) in x {
                let Some(vb) = y.get(k) else { continue };
                let p = format!("{path}.{k}");
                if TICKING.contains(&k.as_str()) {
                    if std::mem::discriminant(va) != std::mem::discriminant(vb) {
                        diffs.push(format!("{p}: type differs: ip {va} rtnl {vb}"));
                    }
                    continue;
                }
                walk(va, vb, &p, diffs);
            }
        }
        (Json::Array(x), Json::Array(y)) => {
            if x.len() != y.len() {
                diffs.push(format!(
                    "{path}: {} entries from ip, {} from rtnl",
                    x.len(),
                    y.len()
                ));
            }
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                walk(va, vb, &format!("{path}[{i}]"), diffs);
            }
        }
        (Json::Number(x), Json::Number(y)) => {
            if x.as_f64() != y.as_f64() {
                diffs.push(format!("{path}: ip {x} rtnl {y}"));
            }
        }
        _ => {
            if a != b {
                diffs.push(format!("{path}: ip {a} rtnl {b}"));
            }
        }
    }
}

/// Runs one command through `ip` and `rtnl` with `-j` and without, and
/// returns every difference: plain output line by line (ticking numbers
/// masked), JSON field by field.
pub fn compare(ns: &str, args: &[&str]) -> Vec<String> {
    let mut diffs = Vec::new();
    let what = args.join(" ");

    let ip = ip_out(ns, args);
    let ours = rtnl_out(ns, args);
    assert!(
        ip.status.success(),
        "ip {what}: {}",
        String::from_utf8_lossy(&ip.stderr)
    );
    assert!(
        ours.status.success(),
        "rtnl {what}: {}",
        String::from_utf8_lossy(&ours.stderr)
    );
    let (a, b) = (mask_ticking(&ip.stdout), mask_ticking(&ours.stdout));
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    for i in 0..la.len().max(lb.len()) {
        let (x, y) = (la.get(i).copied(), lb.get(i).copied());
        if x != y {
            diffs.push(format!(
                "`{what}` line {}:\n  ip:   {:?}\n  rtnl: {:?}",
                i + 1,
                x.unwrap_or("<none>"),
                y.unwrap_or("<none>")
            ));
        }
    }
    if a.is_empty() {
        diffs.push(format!(
            "`{what}`: ip printed nothing; the comparison is empty"
        ));
    }

    let mut jargs = vec!["-j"];
    jargs.extend_from_slice(args);
    let ip = ip_out(ns, &jargs);
    let ours = rtnl_out(ns, &jargs);
    let parse = |o: &Output, who: &str| -> Json {
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "{who} -j {what}: not JSON ({e}): {}",
                String::from_utf8_lossy(&o.stdout)
            )
        })
    };
    let (mut ja, jb) = (parse(&ip, "ip"), parse(&ours, "rtnl"));
    // `ip -j link show up` (and `type X_slave`) prints an empty object
    // for every link its local filter rejects: it opens the object before
    // filtering. rtnl prints nothing for them; drop those from ip's side.
    if let Json::Array(items) = &mut ja {
        items.retain(|v| v.as_object().is_none_or(|o| !o.is_empty()));
        // The same for addresses that `addr show`'s selectors reject:
        // `ip -j` leaves an empty object in `addr_info` for each.
        for item in items.iter_mut() {
            if let Some(Json::Array(addrs)) = item.get_mut("addr_info") {
                addrs.retain(|v| v.as_object().is_none_or(|o| !o.is_empty()));
            }
        }
    }
    diffs.extend(
        json_diff(&ja, &jb)
            .into_iter()
            .map(|d| format!("`-j {what}` {d}")),
    );
    diffs
}

/// Runs [`compare`] for each command and fails with every difference.
pub fn assert_same(ns: &Netns, commands: &[&str]) {
    let mut all = Vec::new();
    for c in commands {
        let args: Vec<&str> = c.split_whitespace().collect();
        all.extend(compare(&ns.name, &args));
    }
    assert!(all.is_empty(), "rtnl differs from ip:\n{}", all.join("\n"));
}
