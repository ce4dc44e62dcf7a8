//! The benchmark's network namespace (deleted on drop and on SIGINT, SIGTERM,
//! SIGHUP) and child processes run inside it, measured one by one.

use std::ffi::CString;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use rtnl::NetnsRef;

/// Prefix of the namespaces this program makes: `rtnl-bench-PID`.
pub const PREFIX: &str = "rtnl-bench-";

/// The namespace file the signal handler unmounts and removes.
static SIGNAL_PATH: OnceLock<CString> = OnceLock::new();

extern "C" fn on_signal(sig: libc::c_int) {
    // Only async-signal-safe calls here: umount2, unlink, _exit.
    if let Some(p) = SIGNAL_PATH.get() {
        // SAFETY: `p` is a valid NUL-terminated path that lives for ever.
        unsafe {
            libc::umount2(p.as_ptr(), libc::MNT_DETACH);
            libc::unlink(p.as_ptr());
        }
    }
    // SAFETY: _exit is async-signal-safe.
    unsafe { libc::_exit(128 + sig) };
}

/// A named namespace that is deleted when dropped.
pub struct Netns {
    pub name: String,
    file: File,
}

impl Netns {
    /// Deletes leftovers of runs that were killed (their pid is gone), then
    /// makes `rtnl-bench-PID` and installs the signal path.
    pub fn create() -> Result<Netns, String> {
        if let Ok(names) = rtnl::netns::list() {
            for n in names {
                let Some(pid) = n.strip_prefix(PREFIX) else {
                    continue;
                };
                if pid.parse::<u32>().is_ok() && !PathBuf::from(format!("/proc/{pid}")).exists() {
                    eprintln!("rtnl-bench: deleting stale namespace {n}");
                    let _ = rtnl::netns::del(&n);
                }
            }
        }
        let name = format!("{PREFIX}{}", std::process::id());
        let path = rtnl::netns::add(&name).map_err(|e| e.to_string())?;
        let c = CString::new(path.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
        let _ = SIGNAL_PATH.set(c);
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
            // SAFETY: installing a handler that only makes async-signal-safe
            // calls.
            unsafe { libc::signal(sig, on_signal as *const () as libc::sighandler_t) };
        }
        let file = File::open(&path).map_err(|e| format!("open {}: {e}", path.display()))?;
        Ok(Netns { name, file })
    }

    /// The namespace as the library names it.
    pub fn as_ref(&self) -> NetnsRef {
        NetnsRef::Name(self.name.clone())
    }

    /// Makes `cmd` start inside the namespace and die with this process.
    pub fn enter_on_exec(&self, cmd: &mut Command) {
        let fd = self.file.as_raw_fd();
        // SAFETY: the closure only makes raw syscalls (setns, prctl), which
        // are safe between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setns(fd, libc::CLONE_NEWNET) != 0 {
                    return Err(io::Error::last_os_error());
                }
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        if let Err(e) = rtnl::netns::del(&self.name) {
            eprintln!("rtnl-bench: deleting namespace {}: {e}", self.name);
        }
    }
}

/// What one child process did.
pub struct Finished {
    /// From spawn to reaped, seconds.
    pub wall: f64,
    pub stdout: String,
    pub stderr: String,
    /// The child's peak resident set, KiB (ru_maxrss from wait4).
    pub maxrss_kb: u64,
    /// The child's CPU time, user + system, seconds (all its threads).
    pub cpu_s: f64,
    pub success: bool,
    pub status: String,
}

/// The line the `__exec` helper ends its stderr with:
/// `MARK maxrss_kb wall_s cpu_s`.
pub const MARK: &str = "__rtnl_bench_rusage__";
/// The line the helper starts its stderr with: `MARK_PID pid`.
pub const MARK_PID: &str = "__rtnl_bench_pid__";

/// The hidden `__exec PROGRAM ARGS...` helper. A child's ru_maxrss counts
/// the memory of the process it was forked from until its exec (Linux
/// carries the old image's high-water mark over), so the big benchmark
/// process does not fork the measured programs itself: this small, freshly
/// exec'd helper does, reaps the program with wait4 and reports its peak
/// and wall time on stderr. The floor left is the helper's own size.
pub fn exec_helper(argv: &[String]) -> i32 {
    let Some(program) = argv.first() else {
        eprintln!("__exec: no program");
        return 2;
    };
    let mut cmd = Command::new(program);
    cmd.args(&argv[1..]);
    // SAFETY: prctl is a raw syscall, safe between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let start = Instant::now();
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("__exec {program}: {e}");
            return 127;
        }
    };
    let pid = child.id() as libc::pid_t;
    eprintln!("{MARK_PID} {pid}");
    match wait4(pid) {
        Ok((status, ru)) => {
            let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            eprintln!(
                "{MARK} {} {} {}",
                ru.ru_maxrss,
                start.elapsed().as_secs_f64(),
                tv(ru.ru_utime) + tv(ru.ru_stime)
            );
            if libc::WIFEXITED(status) {
                libc::WEXITSTATUS(status)
            } else {
                128 + libc::WTERMSIG(status)
            }
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// The helper's report on the program it ran.
#[derive(Debug, Clone, Copy)]
pub struct Marks {
    pub maxrss_kb: u64,
    pub wall: f64,
    pub cpu_s: f64,
}

/// Reads the helper's marker lines out of `stderr`: the rest of it, and
/// what the helper reported.
pub fn parse_marks(stderr: &str) -> (String, Option<Marks>) {
    let mut rest = String::new();
    let mut found = None;
    for line in stderr.lines() {
        if line.starts_with(MARK_PID) {
            continue;
        }
        if let Some(v) = line.strip_prefix(MARK) {
            let mut w = v.split_whitespace();
            if let (Some(kb), Some(wall), Some(cpu)) = (w.next(), w.next(), w.next()) {
                if let (Ok(maxrss_kb), Ok(wall), Ok(cpu_s)) =
                    (kb.parse(), wall.parse(), cpu.parse())
                {
                    found = Some(Marks {
                        maxrss_kb,
                        wall,
                        cpu_s,
                    });
                }
            }
            continue;
        }
        rest += line;
        rest.push('\n');
    }
    (rest, found)
}

/// Runs `program args` to its end inside `ns`, through the `__exec` helper
/// (`me`); stdout to /dev/null unless `capture`. The peak memory and wall
/// time are the program's alone.
pub fn run(
    ns: &Netns,
    me: &std::path::Path,
    program: &std::ffi::OsStr,
    args: &[&str],
    capture: bool,
) -> Result<Finished, String> {
    let mut cmd = Command::new(me);
    cmd.arg("__exec").arg(program).args(args);
    ns.enter_on_exec(&mut cmd);
    cmd.stdin(Stdio::null()).stderr(Stdio::piped());
    cmd.stdout(if capture {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("run {program:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut err_pipe = child.stderr.take();
    let errs = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(p) = err_pipe.as_mut() {
            let _ = p.read_to_string(&mut s);
        }
        s
    });
    let mut stdout = String::new();
    if let Some(mut p) = child.stdout.take() {
        let _ = p.read_to_string(&mut stdout);
    }
    let (status, _) = wait4(pid)?;
    let outer = start.elapsed().as_secs_f64();
    let (stderr, marks) = parse_marks(&errs.join().unwrap_or_default());
    let m = marks.unwrap_or(Marks {
        maxrss_kb: 0,
        wall: outer,
        cpu_s: 0.0,
    });
    Ok(Finished {
        wall: m.wall,
        stdout,
        stderr,
        maxrss_kb: m.maxrss_kb,
        cpu_s: m.cpu_s,
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 && marks.is_some(),
        status: describe_status(status),
    })
}

/// Reaps `pid`, returning its wait status and resource usage.
pub fn wait4(pid: libc::pid_t) -> Result<(i32, libc::rusage), String> {
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        if r == pid {
            return Ok((status, ru));
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(format!("wait4 {pid}: {e}"));
        }
    }
}

fn describe_status(status: i32) -> String {
    if libc::WIFEXITED(status) {
        format!("exit {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!("killed by signal {}", libc::WTERMSIG(status))
    } else {
        format!("status {status}")
    }
}
