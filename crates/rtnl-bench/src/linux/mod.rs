//! The Linux benchmark: build the namespace, measure, report.

mod child;
mod ns;
mod report;
mod setup;
mod storm;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rtnl::IpRoute;
use serde_json::{json, Value};

use ns::Netns;
use report::{median, mib, secs, Row, Target};
use setup::Set;

const USAGE: &str = "\
usage: rtnl-bench [--quick] [--routes N[,N...]] [--v6 N] [--veth N] [--rounds N]
                  [--bulk N] [--storm N] [--py-max N] [--py-rounds N] [--no-py]
                  [--rtnl PATH] [--json FILE]

Builds a network namespace (rtnl-bench-PID, deleted on exit), fills it
through rtnl's batch path, and measures route dumps (raw netlink, rtnl
streaming and owned, rtnl -j / ip -j, pyroute2, the rtnetlink crate), bulk
adds and deletes (request_batch, rtnl -batch, ip -batch) and a monitored
route storm. Needs root.

  --routes   IPv4 routes in table 100, one measurement per size (100000,1000000)
  --v6       IPv6 routes in table 200 (100000)
  --veth     veth pairs, up, an IPv4 address on each end, no IPv6 (2000)
  --rounds   rounds per measurement (3)
  --bulk     routes added then deleted in the bulk test (100000)
  --storm    routes added then deleted while monitoring (200000)
  --py-max   largest --routes size pyroute2 is run at (100000)
  --py-rounds  rounds for pyroute2, which is slow (1)
  --quick    10000 routes (v4 and v6), 200 veths, 1 round, 10000 bulk, 20000 storm
  --json     write the results as JSON to FILE";

#[derive(Debug, Clone)]
struct Args {
    routes: Vec<usize>,
    v6: usize,
    veth: usize,
    rounds: usize,
    bulk: usize,
    storm: usize,
    py_max: usize,
    py_rounds: usize,
    no_py: bool,
    rtnl: Option<PathBuf>,
    json: Option<PathBuf>,
    quick: bool,
}

impl Args {
    fn parse(argv: &[String]) -> Result<Option<Args>, String> {
        let mut a = Args {
            routes: vec![100_000, 1_000_000],
            v6: 100_000,
            veth: 2000,
            rounds: 3,
            bulk: 100_000,
            storm: 200_000,
            py_max: 100_000,
            py_rounds: 1,
            no_py: false,
            rtnl: None,
            json: None,
            quick: false,
        };
        if argv.iter().any(|s| s == "--quick") {
            a.quick = true;
            a.routes = vec![10_000];
            a.v6 = 10_000;
            a.veth = 200;
            a.rounds = 1;
            a.bulk = 10_000;
            a.storm = 20_000;
            a.py_max = 10_000;
        }
        let mut it = argv.iter();
        while let Some(flag) = it.next() {
            let mut value = || {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            let num = |s: String| {
                s.replace('_', "")
                    .parse::<usize>()
                    .map_err(|_| format!("{flag}: not a number: {s}"))
            };
            match flag.as_str() {
                "--quick" => {}
                "-h" | "--help" => return Ok(None),
                "--routes" => {
                    a.routes = value()?
                        .split(',')
                        .map(|s| num(s.to_string()))
                        .collect::<Result<_, _>>()?;
                    a.routes.sort_unstable();
                    a.routes.dedup();
                }
                "--v6" => a.v6 = num(value()?)?,
                "--veth" => a.veth = num(value()?)?,
                "--rounds" => a.rounds = num(value()?)?.max(1),
                "--bulk" => a.bulk = num(value()?)?.min(131_072),
                "--storm" => a.storm = num(value()?)?,
                "--py-max" => a.py_max = num(value()?)?,
                "--py-rounds" => a.py_rounds = num(value()?)?.max(1),
                "--no-py" => a.no_py = true,
                "--rtnl" => a.rtnl = Some(value()?.into()),
                "--json" => a.json = Some(value()?.into()),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if a.routes.is_empty() {
            return Err("--routes needs at least one size".into());
        }
        Ok(Some(a))
    }
}

pub fn main() -> i32 {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.first().map(String::as_str) == Some("__child") {
        return child::main(&argv[1..]);
    }
    if argv.first().map(String::as_str) == Some("__exec") {
        return ns::exec_helper(&argv[1..]);
    }
    let args = match Args::parse(&argv) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return 0;
        }
        Err(e) => {
            eprintln!("rtnl-bench: {e}\n{USAGE}");
            return 2;
        }
    };
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("rtnl-bench: needs root (it builds a network namespace)");
        return 2;
    }
    match run(&args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("rtnl-bench: {e}");
            1
        }
    }
}

/// The programs compared, found or installed before the namespace exists.
struct Tools {
    me: PathBuf,
    rtnl: Result<PathBuf, String>,
    ip: Result<String, String>,
    python: Result<PathBuf, String>,
}

impl Tools {
    fn find(args: &Args) -> Result<Tools, String> {
        let me = std::env::current_exe().map_err(|e| format!("own path: {e}"))?;
        let dir = me.parent().unwrap_or(Path::new(".")).to_path_buf();
        let target = dir.parent().unwrap_or(Path::new(".")).to_path_buf();
        let rtnl = find_rtnl(args, &dir, &target);
        let ip = match Command::new("ip").arg("-V").output() {
            Ok(o) if o.status.success() => {
                Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
            }
            _ => Err("ip (iproute2) not found".to_string()),
        };
        let python = if args.no_py {
            Err("--no-py".to_string())
        } else {
            pyroute2_venv(&target.join("pyroute2-venv"))
        };
        Ok(Tools {
            me,
            rtnl,
            ip,
            python,
        })
    }
}

/// `--rtnl`, else `rtnl` beside this binary or in the release directory;
/// under `cargo run --release`, built if missing.
fn find_rtnl(args: &Args, dir: &Path, target: &Path) -> Result<PathBuf, String> {
    if let Some(p) = &args.rtnl {
        return if p.exists() {
            Ok(p.clone())
        } else {
            Err(format!("{} does not exist", p.display()))
        };
    }
    let release = target.join("release").join("rtnl");
    for p in [dir.join("rtnl"), release.clone()] {
        if p.exists() {
            return Ok(p);
        }
    }
    let Ok(cargo) = std::env::var("CARGO") else {
        return Err("rtnl binary not found (cargo build --release -p rtnl-cli)".into());
    };
    if dir.file_name().is_none_or(|n| n != "release") {
        return Err("rtnl binary not found (cargo build --release -p rtnl-cli)".into());
    }
    eprintln!("rtnl-bench: building the rtnl binary (release)");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rtnl-cli/Cargo.toml");
    let ok = Command::new(cargo)
        .args(["build", "--release", "-p", "rtnl-cli", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target)
        .status()
        .is_ok_and(|s| s.success());
    if ok && release.exists() {
        Ok(release)
    } else {
        Err("could not build the rtnl binary".into())
    }
}

/// A venv with pyroute2 under the target directory, made on first use.
fn pyroute2_venv(venv: &Path) -> Result<PathBuf, String> {
    let py = venv.join("bin/python");
    let has = |py: &Path| {
        Command::new(py)
            .args(["-c", "import pyroute2"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if py.exists() && has(&py) {
        return Ok(py);
    }
    eprintln!("rtnl-bench: installing pyroute2 into {}", venv.display());
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv)
        .output()
        .map_err(|e| format!("python3 not available: {e}"))?;
    if !made.status.success() {
        return Err(format!(
            "python3 -m venv failed: {}",
            String::from_utf8_lossy(&made.stderr).trim()
        ));
    }
    let pip = Command::new(venv.join("bin/pip"))
        .args(["install", "-q", "pyroute2"])
        .output()
        .map_err(|e| format!("pip: {e}"))?;
    if pip.status.success() && has(&py) {
        Ok(py)
    } else {
        Err(format!(
            "pip install pyroute2 failed: {}",
            String::from_utf8_lossy(&pip.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ))
    }
}

fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// One sample: seconds, what was seen, peak RSS.
struct Sample {
    secs: f64,
    count: Option<u64>,
    rss_kb: u64,
    /// User + system CPU of the whole process, all threads.
    cpu_s: f64,
    extra: Value,
}

/// Runs the hidden subcommand `kind` in a child inside the namespace.
fn child(netns: &Netns, tools: &Tools, kind: &str, arg: usize) -> Result<Sample, String> {
    let arg = arg.to_string();
    let f = ns::run(
        netns,
        &tools.me,
        tools.me.as_os_str(),
        &["__child", kind, &arg],
        true,
    )?;
    if !f.success {
        return Err(format!("{kind}: {} {}", f.status, f.stderr.trim()));
    }
    let v: Value = serde_json::from_str(f.stdout.trim())
        .map_err(|e| format!("{kind}: bad output {:?}: {e}", f.stdout))?;
    Ok(Sample {
        secs: v["secs"].as_f64().unwrap_or(f.wall),
        count: v["count"].as_u64(),
        rss_kb: f.maxrss_kb,
        cpu_s: f.cpu_s,
        extra: v,
    })
}

/// Runs an outside program inside the namespace, stdout to /dev/null; the
/// time is the whole process, start-up included.
fn external(netns: &Netns, me: &Path, program: &Path, argv: &[&str]) -> Result<Sample, String> {
    let f = ns::run(netns, me, program.as_os_str(), argv, false)?;
    if !f.success {
        return Err(format!(
            "{} {}: {} {}",
            program.display(),
            argv.join(" "),
            f.status,
            f.stderr.trim()
        ));
    }
    Ok(Sample {
        secs: f.wall,
        count: None,
        rss_kb: f.maxrss_kb,
        cpu_s: f.cpu_s,
        extra: Value::Null,
    })
}

const PYROUTE2: &str = "
import json, time
from pyroute2 import IPRoute
ipr = IPRoute()
t = time.perf_counter()
routes = ipr.get_routes()
n = len(routes) if hasattr(routes, '__len__') else sum(1 for _ in routes)
dt = time.perf_counter() - t
print(json.dumps({'secs': dt, 'count': n}))
";

fn pyroute2(netns: &Netns, me: &Path, py: &Path) -> Result<Sample, String> {
    let f = ns::run(netns, me, py.as_os_str(), &["-c", PYROUTE2], true)?;
    if !f.success {
        return Err(format!("pyroute2: {} {}", f.status, f.stderr.trim()));
    }
    let v: Value = serde_json::from_str(f.stdout.trim())
        .map_err(|e| format!("pyroute2: bad output {:?}: {e}", f.stdout))?;
    Ok(Sample {
        secs: v["secs"].as_f64().unwrap_or(f.wall),
        count: v["count"].as_u64(),
        rss_kb: f.maxrss_kb,
        cpu_s: f.cpu_s,
        extra: v,
    })
}

fn record(row: &mut Row, s: Result<Sample, String>) {
    match s {
        Ok(s) => {
            row.secs.push(s.secs);
            row.rss_kb.push(s.rss_kb);
            row.cpu_s.push(s.cpu_s);
            if s.count.is_some() {
                row.count = s.count;
            }
            if let Some(b) = s.extra.get("bytes") {
                row.extra.insert("bytes".into(), b.clone());
            }
        }
        Err(e) => {
            eprintln!("  {}: {e}", row.key);
            row.note = Some(e);
        }
    }
}

/// The dump measurements at one table size, rounds interleaved.
fn dumps(netns: &Netns, tools: &Tools, args: &Args, size: usize) -> Vec<Row> {
    let d = |key: &str, name: &str| Row::new("dump", key, name, size);
    let mut rows = vec![
        d("dump.raw", "raw netlink dump, headers only"),
        d("dump.stream", "rtnl stream, dst/gateway/oif/table"),
        d("dump.owned", "rtnl get_routes (owned)"),
        d("dump.rtnl-j", "rtnl -j route show table all"),
        d("dump.ip-j", "ip -j route show table all"),
        d("dump.pyroute2", "pyroute2 get_routes"),
        d("dump.rtnetlink", "rtnetlink crate stream"),
    ];
    let py_runs = size <= args.py_max;
    for round in 0..args.rounds {
        eprintln!("  dumps at {size}: round {}/{}", round + 1, args.rounds);
        record(&mut rows[0], child(netns, tools, "raw", 0));
        record(&mut rows[1], child(netns, tools, "stream", 0));
        record(&mut rows[2], child(netns, tools, "owned", 0));
        let show = ["-j", "route", "show", "table", "all"];
        match &tools.rtnl {
            Ok(p) => record(&mut rows[3], external(netns, &tools.me, p, &show)),
            Err(e) => rows[3].note = Some(e.clone()),
        }
        match &tools.ip {
            Ok(_) => record(
                &mut rows[4],
                external(netns, &tools.me, Path::new("ip"), &show),
            ),
            Err(e) => rows[4].note = Some(e.clone()),
        }
        match (&tools.python, py_runs) {
            (Err(e), _) => rows[5].note = Some(format!("not installed: {e}")),
            (Ok(_), false) => {
                rows[5].note = Some(format!(
                    "skipped above {} routes: about 5 KB and 95 µs per route",
                    args.py_max
                ))
            }
            (Ok(py), true) if round < args.py_rounds => {
                record(&mut rows[5], pyroute2(netns, &tools.me, py))
            }
            _ => {}
        }
        record(&mut rows[6], child(netns, tools, "rtnetlink", 0));
    }
    if let Some(raw) = rows[0].median() {
        for r in &mut rows {
            r.ratio = r.median().map(|m| m / raw);
        }
    }
    rows
}

/// Bulk adds and deletes: request_batch, `rtnl -batch`, `ip -batch`.
fn bulk(netns: &Netns, tools: &Tools, args: &Args) -> Result<Vec<Row>, String> {
    let n = args.bulk;
    let b = |key: &str, name: &str| Row::new("bulk", key, name, n);
    let mut rows = vec![
        b("bulk.add.lib", "route add: rtnl request_batch"),
        b("bulk.add.rtnl-batch", "route add: rtnl -batch"),
        b("bulk.add.ip-batch", "route add: ip -batch"),
        b("bulk.del.lib", "route del: rtnl request_batch"),
        b("bulk.del.rtnl-batch", "route del: rtnl -batch"),
        b("bulk.del.ip-batch", "route del: ip -batch"),
    ];
    let dir = std::env::temp_dir().join(format!("rtnl-bench-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let add_file = dir.join("add.batch");
    let del_file = dir.join("del.batch");
    let write = |path: &Path, delete: bool| -> Result<(), String> {
        let mut f = std::io::BufWriter::new(
            fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
        );
        for i in 0..n {
            f.write_all(Set::Bulk.batch_line(i, delete).as_bytes())
                .map_err(|e| e.to_string())?;
        }
        f.flush().map_err(|e| e.to_string())
    };
    write(&add_file, false)?;
    write(&del_file, true)?;
    let (add_s, del_s) = (add_file.to_string_lossy(), del_file.to_string_lossy());
    let ip_path = tools.ip.clone().map(|_| PathBuf::from("ip"));
    for round in 0..args.rounds {
        eprintln!("  bulk {n}: round {}/{}", round + 1, args.rounds);
        match child(netns, tools, "batch", n) {
            Ok(s) => {
                rows[0].secs.push(s.secs);
                rows[0].rss_kb.push(s.rss_kb);
                rows[3]
                    .secs
                    .push(s.extra["del_secs"].as_f64().unwrap_or(f64::NAN));
                rows[3].rss_kb.push(s.rss_kb);
            }
            Err(e) => {
                rows[0].note = Some(e.clone());
                rows[3].note = Some(e);
            }
        }
        for (tool, add_row, del_row) in [(&tools.rtnl, 1, 4), (&ip_path, 2, 5)] {
            match tool {
                Ok(p) => {
                    record(
                        &mut rows[add_row],
                        external(netns, &tools.me, p, &["-batch", &add_s]),
                    );
                    record(
                        &mut rows[del_row],
                        external(netns, &tools.me, p, &["-batch", &del_s]),
                    );
                }
                Err(e) => {
                    rows[add_row].note = Some(e.clone());
                    rows[del_row].note = Some(e.clone());
                }
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
    for (ip, range) in [(2, 0..3), (5, 3..6)] {
        if let Some(r) = rows[ip].median() {
            for k in range {
                rows[k].ratio = rows[k].median().map(|m| m / r);
            }
        }
    }
    Ok(rows)
}

fn find<'a>(rows: &'a [Row], key: &str, size: usize) -> Option<&'a Row> {
    rows.iter().find(|r| r.key == key && r.size == size)
}

/// The rows of one section, in order.
fn section(rows: &[Row], name: &str) -> Vec<Row> {
    rows.iter().filter(|r| r.section == name).cloned().collect()
}

fn targets(rows: &[Row], largest: usize) -> Vec<Target> {
    let med = |k: &str| find(rows, k, largest).and_then(Row::median);
    let mut t = Vec::new();
    let mut ratio_target = |what: String,
                            num: Option<f64>,
                            den: Option<f64>,
                            limit: f64,
                            at_most: bool,
                            label: &str| {
        let (pass, detail) = match (num, den) {
            (Some(a), Some(b)) if b > 0.0 => {
                let x = a / b;
                let pass = if at_most { x <= limit } else { x >= limit };
                (
                    Some(pass),
                    format!("{label} = {x:.2} ({} / {})", secs(a), secs(b)),
                )
            }
            _ => (None, "not measured".to_string()),
        };
        t.push(Target { what, pass, detail });
    };
    ratio_target(
        format!("streaming at {largest} ≤ 1.5× raw"),
        med("dump.stream"),
        med("dump.raw"),
        1.5,
        true,
        "stream/raw",
    );
    ratio_target(
        format!("owned at {largest} ≤ 4× raw"),
        med("dump.owned"),
        med("dump.raw"),
        4.0,
        true,
        "owned/raw",
    );
    ratio_target(
        format!("rtnl -j ≥ 3× faster than ip -j at {largest}"),
        med("dump.ip-j"),
        med("dump.rtnl-j"),
        3.0,
        false,
        "ip/rtnl",
    );
    ratio_target(
        format!("streaming ≥ 3× faster than rtnetlink at {largest}"),
        med("dump.rtnetlink"),
        med("dump.stream"),
        3.0,
        false,
        "rtnetlink/stream",
    );
    let bulk_size = rows
        .iter()
        .find(|r| r.key == "bulk.add.lib")
        .map_or(0, |r| r.size);
    let bmed = |k: &str| find(rows, k, bulk_size).and_then(Row::median);
    ratio_target(
        format!("request_batch adds faster than ip -batch ({bulk_size} routes)"),
        bmed("bulk.add.ip-batch"),
        bmed("bulk.add.lib"),
        1.0,
        false,
        "ip/lib",
    );
    let storm = rows.iter().find(|r| r.key == "storm.rtnl-async-cache");
    let (pass, detail) = match storm {
        Some(r) if r.count.is_some() => {
            let ov = r.extra.get("overruns").and_then(Value::as_u64).unwrap_or(0);
            let exp = r.extra.get("expected").and_then(Value::as_u64).unwrap_or(0);
            let ev = r.count.unwrap_or(0);
            (
                Some(ov == 0 && ev == exp),
                format!(
                    "{ov} overruns, {ev}/{exp} events in {}",
                    secs(r.median().unwrap_or(0.0))
                ),
            )
        }
        Some(r) => (None, r.note.clone().unwrap_or_default()),
        None => (None, "not measured".into()),
    };
    t.push(Target {
        what: "zero overruns in the storm with the async cache".into(),
        pass,
        detail,
    });
    // rtnl reads the dump on a second thread while it renders: say what
    // the wall-time ratio costs in CPU.
    let cpu = |k: &str| find(rows, k, largest).and_then(|r| median(&r.cpu_s));
    if let (Some(rc), Some(ic)) = (cpu("dump.rtnl-j"), cpu("dump.ip-j")) {
        if let Some(j) = t.get_mut(2) {
            j.detail += &format!(
                "; CPU (user+sys, two threads for rtnl, one for ip): rtnl {}, ip {} ({:.2}×)",
                secs(rc),
                secs(ic),
                ic / rc
            );
        }
    }
    // The kernel's share is the raw dump: compare what each adds to it.
    if let (Some(rn), Some(st), Some(raw)) =
        (med("dump.rtnetlink"), med("dump.stream"), med("dump.raw"))
    {
        if let Some(last) = t.get_mut(3) {
            let over = if st - raw > 0.001 {
                format!("{:.1}×", (rn - raw) / (st - raw))
            } else {
                "the stream adds under 1 ms".into()
            };
            last.detail += &format!(
                "; beyond the raw dump ({}): rtnetlink +{}, stream +{} ({over}); \
                 rtnetlink/raw = {:.2}, so 3× needs a stream faster than the raw dump",
                secs(raw),
                secs(rn - raw),
                secs((st - raw).max(0.0)),
                rn / raw
            );
        }
    }
    t
}

fn run(args: &Args) -> Result<(), String> {
    let load_start = loadavg();
    let tools = Tools::find(args)?;
    let netns = Netns::create()?;
    eprintln!("rtnl-bench: namespace {} (load {load_start})", netns.name);
    let mut ipr = IpRoute::in_netns(&netns.as_ref()).map_err(|e| e.to_string())?;
    let mut steps = Vec::new();
    // Without IPv6 on the veths: 4000 links doing DAD and router
    // solicitation for seconds after they come up made the first timed
    // round 10-60x slower than the others.
    let no_v6 = || {
        let f = ns::run(
            &netns,
            &tools.me,
            "sysctl".as_ref(),
            &["-qw", "net.ipv6.conf.default.disable_ipv6=1"],
            false,
        )?;
        if f.success {
            Ok(())
        } else {
            Err(format!("sysctl: {} {}", f.status, f.stderr.trim()))
        }
    };
    let oif = setup::base(&mut ipr, args.veth, args.v6, &mut steps, no_v6)?;
    // The floor of every peak-memory figure: the __exec helper running `true`.
    let floor_kb = ns::run(&netns, &tools.me, "true".as_ref(), &[], false)
        .map(|f| f.maxrss_kb)
        .unwrap_or(0);

    let mut rows: Vec<Row> = Vec::new();
    let mut have = 0;
    for &size in &args.routes {
        let start = Instant::now();
        setup::batch_routes(&mut ipr, Set::Dump4, have, size, oif, false)?;
        let s = start.elapsed().as_secs_f64();
        eprintln!("  IPv4 routes {have}..{size}: {s:.2} s");
        steps.push(setup::Step {
            what: format!("IPv4 routes (table 100) {have}..{size}"),
            count: size - have,
            secs: s,
        });
        have = size;
        // Let the namespace settle (deferred frees, workqueues) before
        // timing.
        std::thread::sleep(std::time::Duration::from_secs(if args.quick {
            0
        } else {
            3
        }));
        rows.extend(dumps(&netns, &tools, args, size));
    }
    rows.extend(bulk(&netns, &tools, args)?);
    eprintln!("  storm {}: rtnl async cache", args.storm);
    rows.push(storm::rtnl_cache(&netns, args.storm, oif));
    eprintln!("  storm {}: ip monitor route", args.storm);
    rows.push(storm::ip_monitor(&netns, &tools.me, args.storm, oif));
    drop(ipr);
    let load_end = loadavg();

    let largest = *args.routes.last().unwrap_or(&0);
    let targets = targets(&rows, largest);
    let memory = memory(&rows, &args.routes);
    let text = render(
        args,
        &tools,
        &steps,
        &rows,
        &targets,
        &memory,
        &load_start,
        &load_end,
        floor_kb,
    );
    println!("{text}");

    if let Some(path) = &args.json {
        let v = json!({
            "machine": {
                "kernel": fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim(),
                "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
                "load_start": load_start,
                "load_end": load_end,
                "ip": tools.ip.clone().unwrap_or_default(),
                "rss_floor_kb": floor_kb,
            },
            "args": {
                "routes": args.routes, "v6": args.v6, "veth": args.veth, "rounds": args.rounds,
                "bulk": args.bulk, "storm": args.storm, "quick": args.quick,
                "py_max": args.py_max, "py_rounds": args.py_rounds,
            },
            "population": steps.iter().map(|s| json!({"what": s.what, "count": s.count, "secs": s.secs})).collect::<Vec<_>>(),
            "rows": rows.iter().map(Row::to_json).collect::<Vec<_>>(),
            "memory": memory.iter().map(|(k, v)| json!({"what": k, "value": v})).collect::<Vec<_>>(),
            "targets": targets.iter().map(Target::to_json).collect::<Vec<_>>(),
        });
        let s = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?;
        fs::write(path, s + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("rtnl-bench: wrote {}", path.display());
    }
    drop(netns);
    Ok(())
}

/// Streaming peak per size, and owned bytes per route:
/// (owned peak − streaming peak) / routes seen.
fn memory(rows: &[Row], sizes: &[usize]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for &size in sizes {
        let stream = find(rows, "dump.stream", size).and_then(Row::peak_kb);
        let owned = find(rows, "dump.owned", size);
        if let Some(s) = stream {
            out.push((format!("stream peak RSS at {size}"), json!(s * 1024)));
        }
        if let (Some(s), Some(o)) = (stream, owned) {
            if let (Some(p), Some(n)) = (o.peak_kb(), o.count.filter(|&n| n > 0)) {
                let per = (p.saturating_sub(s) * 1024) as f64 / n as f64;
                out.push((
                    format!("owned bytes per route at {size}"),
                    json!(per.round()),
                ));
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn render(
    args: &Args,
    tools: &Tools,
    steps: &[setup::Step],
    rows: &[Row],
    targets: &[Target],
    memory: &[(String, Value)],
    load_start: &str,
    load_end: &str,
    floor_kb: u64,
) -> String {
    let mut s = String::new();
    s += &format!(
        "\nrtnl-bench: {} CPUs, kernel {}, load {load_start} at start, {load_end} at end; {} round(s){}\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim(),
        args.rounds,
        if args.quick { ", --quick" } else { "" },
    );
    s += &format!(
        "Peak RSS is each program's own ru_maxrss (wait4 in a small helper); \
         the helper running `true` shows {}: read smaller figures as at most that.\n",
        mib(floor_kb)
    );
    if let Err(e) = &tools.python {
        s += &format!("pyroute2: not installed ({e})\n");
    }
    s += "\nPopulation (rtnl request_batch):\n\n| what | count | time | per second |\n|---|---:|---:|---:|\n";
    for st in steps {
        s += &format!(
            "| {} | {} | {} | {:.0} |\n",
            st.what,
            st.count,
            secs(st.secs),
            st.count as f64 / st.secs.max(1e-9)
        );
    }
    s += &format!(
        "\nDumps (size = IPv4 routes in table 100; the namespace also holds {} IPv6 routes and {} veth pairs; \
         seen = messages; the CLIs list every family, as the dumps do):\n\n",
        args.v6, args.veth
    );
    let dump_rows = section(rows, "dump");
    s += &report::table(&dump_rows, "× raw");
    s += "\nBulk (seen = –, size = routes):\n\n";
    let bulk_rows = section(rows, "bulk");
    s += &report::table(&bulk_rows, "× ip -batch");
    s += "\nRoute storm (size = routes added then deleted; seen = events received):\n\n";
    let storm_rows = section(rows, "storm");
    s += &report::table(&storm_rows, "–");
    s += "\nMemory:\n";
    for (k, v) in memory {
        if k.contains("RSS") {
            s += &format!("  {k}: {}\n", mib(v.as_u64().unwrap_or(0) / 1024));
        } else {
            s += &format!("  {k}: {v} B\n");
        }
    }
    s += "\nTargets:\n";
    for t in targets {
        s += &format!("  {}\n", t.line());
    }
    s
}
