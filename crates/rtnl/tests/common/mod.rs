//! Shared helpers for the integration tests: a network namespace per test
//! (deleted by a guard even when the test panics), `ip` wrappers, the rich
//! namespace setup and small decoders shared by several tests.
//!
//! Every test runs inside its own namespace and configures it with
//! `ip -n NS ...`: the host's interfaces are never touched. Tests skip (with a
//! printed message) when not run as root or when `ip` is missing.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use rtnl::wire::message::{Fixed, Message};
use rtnl::wire::Value;
use rtnl::{IpRoute, NetnsRef};
use serde_json::Value as Json;

pub const AF_INET: u8 = libc::AF_INET as u8;
pub const AF_INET6: u8 = libc::AF_INET6 as u8;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Why the tests cannot run here, if they cannot.
pub fn skip_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not running as root".into());
    }
    match Command::new("ip").arg("-V").output() {
        Ok(o) if o.status.success() => None,
        Ok(_) => Some("`ip -V` failed".into()),
        Err(e) => Some(format!("`ip` is missing ({e})")),
    }
}

/// A network namespace owned by one test; deleted on drop.
#[derive(Debug)]
pub struct Netns {
    pub name: String,
}

impl Netns {
    /// Creates `rtnl-lib-<pid>-<n>`, or returns `None` (after printing why)
    /// when the test must be skipped.
    pub fn new(test: &str) -> Option<Netns> {
        if let Some(why) = skip_reason() {
            eprintln!("SKIP {test}: {why}");
            return None;
        }
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("rtnl-lib-{}-{n}", std::process::id());
        let out = Command::new("ip")
            .args(["netns", "add", &name])
            .output()
            .expect("run ip netns add");
        if !out.status.success() {
            eprintln!(
                "SKIP {test}: cannot create a network namespace: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(Netns { name })
    }

    /// The reference `IpRoute::in_netns` takes.
    pub fn nsref(&self) -> NetnsRef {
        NetnsRef::Name(self.name.clone())
    }

    /// An `IpRoute` inside the namespace.
    pub fn open(&self) -> IpRoute {
        IpRoute::in_netns(&self.nsref()).expect("IpRoute::in_netns")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("ip")
            .arg("-n")
            .arg(&self.name)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run ip")
    }

    /// Runs `ip -n NS args...`; panics with ip's stderr on failure.
    pub fn ip(&self, args: &[&str]) {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "ip -n {} {}: {}",
            self.name,
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `ip -n NS args...` and returns whether it succeeded.
    pub fn try_ip(&self, args: &[&str]) -> bool {
        self.run(args).status.success()
    }

    /// `ip -n NS -j args...`, parsed.
    pub fn ip_json(&self, args: &[&str]) -> Json {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "ip -n {} -j {}: {}",
            self.name,
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        if text.trim().is_empty() {
            return Json::Array(vec![]);
        }
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("ip -j {args:?}: {e}: {text}"))
    }

    /// Runs `ip -n NS -batch FILE` with `commands` (one per line).
    pub fn batch(&self, commands: &str) {
        batch(&self.name, commands).unwrap_or_else(|e| panic!("{e}"));
    }

    /// Runs a shell-free command inside the namespace (`ip netns exec`).
    pub fn exec(&self, cmd: &[&str]) -> Output {
        Command::new("ip")
            .args(["netns", "exec", &self.name])
            .args(cmd)
            .stdin(Stdio::null())
            .output()
            .expect("run ip netns exec")
    }

    /// The index of a link, as `ip` reports it.
    pub fn index(&self, name: &str) -> u32 {
        let j = self.ip_json(&["link", "show", "dev", name]);
        j[0]["ifindex"].as_u64().expect("ifindex") as u32
    }

    /// Builds the rich namespace the getter tests compare against `ip -j`:
    /// veth (v0/v1), bridge br0 with v1 as port, vxlan vx0, macvlan mv0 on
    /// v0, ifb0; IPv4 and IPv6 addresses; routes in main and table 100
    /// (multipath, blackhole, unreachable, several protocols); permanent and
    /// proxy neighbours; IPv4 and IPv6 rules.
    pub fn setup_rich(&self) {
        self.batch(
            "link set lo up
link add v0 type veth peer name v1
link add br0 type bridge
link set v1 master br0
link add vx0 type vxlan id 42 dstport 4789
link add mv0 link v0 type macvlan mode bridge
link add ifb0 type ifb
link set v0 mtu 1400
link set v0 up
link set v1 up
link set br0 up
link set mv0 up
link set ifb0 up
addr add 10.1.0.1/24 dev v0
addr add 10.1.0.2/24 dev v0
addr add 10.2.0.1/24 dev br0
addr add 10.3.0.1/24 dev mv0
addr add 10.4.0.1/32 dev ifb0
addr add 2001:db8:1::1/64 dev v0 nodad
addr add 2001:db8:4::1/64 dev ifb0 nodad
route add 10.10.0.0/16 via 10.1.0.254 dev v0 proto static
route add 10.11.0.0/16 dev br0 proto boot
route add 10.12.0.0/16 via 10.2.0.254 dev br0 metric 50 proto 77
route add 10.20.0.0/16 via 10.1.0.254 dev v0 table 100 proto static
route add 10.21.0.0/16 table 100 proto static nexthop via 10.1.0.254 dev v0 nexthop via 10.2.0.254 dev br0
route add 10.22.0.0/16 table 100 nexthop via 10.2.0.253 dev br0 weight 3 nexthop via 10.3.0.254 dev mv0
route add blackhole 10.30.0.0/16 table 100
route add unreachable 10.31.0.0/16
route add prohibit 10.32.0.0/16 table 100
route add 2001:db8:2::/64 via 2001:db8:1::fe dev v0 proto static
route add 2001:db8:3::/64 dev v0 table 100
route add 2001:db8:5::/64 table 100 nexthop via 2001:db8:1::fd dev v0 nexthop via 2001:db8:4::fd dev ifb0
neigh add 10.1.0.254 lladdr 02:00:00:00:00:01 dev v0 nud permanent
neigh add 10.2.0.254 lladdr 02:00:00:00:00:02 dev br0 nud permanent
neigh add 10.2.0.253 lladdr 02:00:00:00:00:04 dev br0 nud permanent
neigh add 2001:db8:1::fe lladdr 02:00:00:00:00:03 dev v0 nud permanent
neigh add proxy 10.1.0.100 dev v0
neigh add proxy 10.2.0.100 dev br0
neigh add proxy 2001:db8:1::100 dev v0
rule add from 10.1.0.0/24 table 100 pref 1000
rule add to 10.9.0.0/16 table 200 pref 1001
rule add fwmark 7 table 100 pref 1002
",
        );
        self.ip(&[
            "-6",
            "rule",
            "add",
            "from",
            "2001:db8:1::/64",
            "table",
            "100",
            "pref",
            "1000",
        ]);
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Runs `ip -n NS -batch FILE` (usable from a thread without a `Netns`).
pub fn batch(ns: &str, commands: &str) -> Result<(), String> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("rtnl-lib-{}-{n}.batch", std::process::id()));
    {
        let mut f = std::fs::File::create(&path).map_err(|e| format!("{path:?}: {e}"))?;
        f.write_all(commands.as_bytes())
            .map_err(|e| format!("{path:?}: {e}"))?;
    }
    let out = Command::new("ip")
        .args(["-n", ns, "-batch"])
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("run ip -batch: {e}"));
    let _ = std::fs::remove_file(&path);
    let out = out?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip -n {ns} -batch: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

// ---------------------------------------------------------------------------
// Decoding helpers shared by the tests.

/// An attribute as u64, when it holds an integer.
pub fn attr_u64(m: &Message, name: &str) -> Option<u64> {
    m.get_attr(name).and_then(Value::as_u64)
}

/// An attribute as a string.
pub fn attr_str<'a>(m: &'a Message, name: &str) -> Option<&'a str> {
    m.get_attr(name).and_then(Value::as_str)
}

/// An attribute as an IP address.
pub fn attr_ip(m: &Message, name: &str) -> Option<std::net::IpAddr> {
    m.get_attr(name).and_then(Value::as_ip)
}

/// Link index of a link message.
pub fn link_index(m: &Message) -> u32 {
    match &m.fixed {
        Fixed::Link(h) => h.index as u32,
        other => panic!("not a link: {other:?}"),
    }
}

/// The `ip -j` name of a route type (None for unicast, which ip omits).
pub fn route_type_name(kind: u8) -> Option<&'static str> {
    Some(match kind {
        1 => return None,
        2 => "local",
        3 => "broadcast",
        4 => "anycast",
        5 => "multicast",
        6 => "blackhole",
        7 => "unreachable",
        8 => "prohibit",
        9 => "throw",
        10 => "nat",
        _ => "unknown",
    })
}

/// The table id of an `ip -j route` entry (ip omits `main`).
pub fn ip_table_id(j: &Json) -> u32 {
    match j.get("table").and_then(Json::as_str) {
        None => 254,
        Some("main") => 254,
        Some("local") => 255,
        Some("default") => 253,
        Some(n) => n.parse().unwrap_or_else(|_| panic!("table name {n:?}")),
    }
}

/// An `ip -j` protocol name as a number (ip omits `boot`).
pub fn ip_proto_id(j: &Json) -> u8 {
    match j.get("protocol").and_then(Json::as_str) {
        None => 3,
        Some("redirect") => 1,
        Some("kernel") => 2,
        Some("boot") => 3,
        Some("static") => 4,
        Some("ra") => 9,
        Some(n) => n.parse().unwrap_or_else(|_| panic!("protocol name {n:?}")),
    }
}

/// A route's identity, in a shape both sides can produce:
/// `(family, type, dst, table, oifs, metric)`.
pub type RouteKey = (u8, String, String, u32, Vec<u32>, u32);

/// The destination as `ip` prints it: `default`, a host address without a
/// prefix length, or `addr/len`.
pub fn dst_string(family: u8, dst: Option<std::net::IpAddr>, dst_len: u8) -> String {
    let full = if family == AF_INET6 { 128 } else { 32 };
    match dst {
        None if dst_len == 0 => "default".into(),
        None => format!("?/{dst_len}"),
        Some(a) if dst_len == full => a.to_string(),
        Some(a) => format!("{a}/{dst_len}"),
    }
}

/// Every link index a route uses: RTA_OIF and each multipath hop's.
pub fn route_oifs(m: &Message) -> Vec<u32> {
    let mut v = Vec::new();
    if let Some(o) = attr_u64(m, "RTA_OIF") {
        v.push(o as u32);
    }
    if let Some(Value::Multipath(hops)) = m.get_attr("RTA_MULTIPATH") {
        v.extend(hops.iter().map(|h| h.ifindex as u32));
    }
    v.sort_unstable();
    v
}

/// The key of a route message.
pub fn route_key(m: &Message) -> RouteKey {
    let Fixed::Route(h) = &m.fixed else {
        panic!("not a route: {m:?}")
    };
    let table = attr_u64(m, "RTA_TABLE").map_or(h.table as u32, |t| t as u32);
    (
        h.family,
        route_type_name(h.kind).unwrap_or("unicast").to_string(),
        dst_string(h.family, attr_ip(m, "RTA_DST"), h.dst_len),
        table,
        route_oifs(m),
        attr_u64(m, "RTA_PRIORITY").unwrap_or(0) as u32,
    )
}

/// The key of an `ip -j route` entry; `names` maps link names to indexes.
pub fn ip_route_key(family: u8, j: &Json, names: &BTreeMap<String, u32>) -> RouteKey {
    let dev = |j: &Json| -> Option<u32> {
        j.get("dev")
            .and_then(Json::as_str)
            .map(|d| *names.get(d).unwrap_or_else(|| panic!("unknown dev {d}")))
    };
    let mut oifs: Vec<u32> = dev(j).into_iter().collect();
    if let Some(hops) = j.get("nexthops").and_then(Json::as_array) {
        oifs.extend(hops.iter().filter_map(dev));
    }
    oifs.sort_unstable();
    (
        family,
        j.get("type")
            .and_then(Json::as_str)
            .unwrap_or("unicast")
            .to_string(),
        j["dst"].as_str().expect("dst").to_string(),
        ip_table_id(j),
        oifs,
        j.get("metric").and_then(Json::as_u64).unwrap_or(0) as u32,
    )
}

/// Link name -> index, from `ip -j link show`.
pub fn ip_link_names(ns: &Netns) -> BTreeMap<String, u32> {
    ns.ip_json(&["link", "show"])
        .as_array()
        .expect("array")
        .iter()
        .map(|l| {
            (
                l["ifname"].as_str().unwrap().to_string(),
                l["ifindex"].as_u64().unwrap() as u32,
            )
        })
        .collect()
}

/// Sorted copy, for multiset comparisons.
pub fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// Compares what the library reports with what `ip` reports, tolerating
/// changes the kernel makes on its own (IPv6 neighbour entries, ...): takes
/// `ip`'s view before and after ours and retries while they differ.
pub fn compare_stable<T: Ord + Clone + std::fmt::Debug>(
    what: &str,
    mut ours: impl FnMut() -> Vec<T>,
    mut theirs: impl FnMut() -> Vec<T>,
) {
    let mut last = None;
    for _ in 0..5 {
        let before = sorted(&theirs());
        let mine = sorted(&ours());
        let after = sorted(&theirs());
        if before != after {
            std::thread::sleep(std::time::Duration::from_millis(200));
            continue;
        }
        if mine == after {
            return;
        }
        last = Some((mine, after));
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    match last {
        Some((mine, ip)) => {
            let only_ours: Vec<_> = mine.iter().filter(|x| !ip.contains(x)).collect();
            let only_ip: Vec<_> = ip.iter().filter(|x| !mine.contains(x)).collect();
            panic!("{what}: library and ip disagree\nonly in library: {only_ours:#?}\nonly in ip: {only_ip:#?}")
        }
        None => panic!("{what}: ip's view never settled"),
    }
}

/// Opens a raw NETLINK_ROUTE socket inside the namespace (for tests that
/// need a second, independent sender). Returns the fd and its port id.
pub fn raw_netlink_socket_in(ns: &Netns) -> (std::os::fd::OwnedFd, u32) {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let file = std::fs::File::open(ns.nsref().path()).expect("open netns file");
    std::thread::spawn(move || {
        // SAFETY: setns on an fd we own; affects only this short-lived thread.
        let r = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
        assert_eq!(r, 0, "setns: {}", std::io::Error::last_os_error());
        // SAFETY: plain socket(2) call, checked below.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        };
        assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
        // SAFETY: fresh descriptor owned by nothing else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: sockaddr_nl is plain data; zero is valid.
        let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        let mut len = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: addr is a valid sockaddr_nl of len bytes.
        let r = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_nl).cast(),
                len,
            )
        };
        assert_eq!(r, 0, "bind: {}", std::io::Error::last_os_error());
        // SAFETY: addr has room for len bytes.
        let r = unsafe {
            libc::getsockname(
                fd.as_raw_fd(),
                (&mut addr as *mut libc::sockaddr_nl).cast(),
                &mut len,
            )
        };
        assert_eq!(r, 0, "getsockname: {}", std::io::Error::last_os_error());
        (fd, addr.nl_pid)
    })
    .join()
    .expect("netns thread")
}

/// Sends `bytes` from a raw netlink socket to port `to`.
pub fn raw_send_to(fd: &std::os::fd::OwnedFd, to: u32, bytes: &[u8]) {
    use std::os::fd::AsRawFd;
    // SAFETY: sockaddr_nl is plain data; zero is valid.
    let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    addr.nl_pid = to;
    // SAFETY: bytes and addr are valid for the lengths passed.
    let r = unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            bytes.as_ptr().cast(),
            bytes.len(),
            0,
            (&addr as *const libc::sockaddr_nl).cast(),
            std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    };
    assert_eq!(
        r,
        bytes.len() as isize,
        "sendto port {to}: {}",
        std::io::Error::last_os_error()
    );
}

/// poll(2) for readability with a timeout in milliseconds.
pub fn readable(fd: std::os::fd::RawFd, timeout_ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let r = unsafe { libc::poll(&mut p, 1, timeout_ms) };
    assert!(r >= 0, "poll: {}", std::io::Error::last_os_error());
    r == 1 && p.revents & libc::POLLIN != 0
}

/// How many entries `dir` has (`/proc/self/fd`, `/proc/self/task`).
pub fn count(dir: &str) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

/// `count(dir)`, waiting up to `wait` for it to come down to `want`:
/// threads that ended may linger in /proc for a moment.
pub fn settle(dir: &str, want: usize, wait: std::time::Duration) -> usize {
    let deadline = std::time::Instant::now() + wait;
    loop {
        let n = count(dir);
        if n <= want || std::time::Instant::now() > deadline {
            return n;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
