//! Named network namespaces the way iproute2 keeps them: a namespace is
//! pinned by bind-mounting its `ns/net` file onto `/run/netns/NAME`, with
//! `/run/netns` itself a shared mount, so `ip netns` sees ours and we see
//! its. Creating one unshares in a short-lived thread: the calling thread
//! never changes namespace.

use std::ffi::CString;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::NetnsRef;

/// Where named namespaces live.
pub const NETNS_RUN_DIR: &str = "/run/netns";

fn cstr(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_encoded_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
}

fn check(r: libc::c_int) -> io::Result<()> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn mount(src: &str, target: &Path, fstype: &str, flags: libc::c_ulong) -> io::Result<()> {
    let src = CString::new(src).expect("no NUL");
    let fstype = CString::new(fstype).expect("no NUL");
    let target = cstr(target)?;
    // SAFETY: every pointer is a valid NUL-terminated string that lives
    // across the call; data is NULL, which mount(2) allows.
    check(unsafe {
        libc::mount(
            src.as_ptr(),
            target.as_ptr(),
            fstype.as_ptr(),
            flags,
            std::ptr::null(),
        )
    })
}

/// Checks a namespace name as `ip netns` does.
pub fn check_name(name: &str) -> io::Result<()> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("invalid namespace name {name:?}"),
        ));
    }
    Ok(())
}

/// Makes /run/netns exist and be a shared mount (iproute2's `netns_add`
/// prologue).
fn prepare_run_dir() -> io::Result<()> {
    let dir = Path::new(NETNS_RUN_DIR);
    match fs::DirBuilder::new()
        .mode(0o755)
        .recursive(true)
        .create(dir)
    {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io::Error::new(e.kind(), format!("{NETNS_RUN_DIR}: {e}"))),
    }
    let mut bound = false;
    loop {
        match mount("none", dir, "none", libc::MS_SHARED | libc::MS_REC) {
            Ok(()) => return Ok(()),
            // Not a mount point yet: bind it onto itself, then retry.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) && !bound => {
                mount(NETNS_RUN_DIR, dir, "none", libc::MS_BIND | libc::MS_REC)
                    .map_err(|e| io::Error::new(e.kind(), format!("bind {NETNS_RUN_DIR}: {e}")))?;
                bound = true;
            }
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("make {NETNS_RUN_DIR} shared: {e}"),
                ))
            }
        }
    }
}

/// Creates the named namespace `/run/netns/NAME` (`ip netns add NAME`).
pub fn netns_add(name: &str) -> io::Result<PathBuf> {
    check_name(name)?;
    prepare_run_dir()?;
    let path = Path::new(NETNS_RUN_DIR).join(name);
    OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o0)
        .open(&path)
        .map_err(|e| io::Error::new(e.kind(), format!("create {}: {e}", path.display())))?;
    let target = path.clone();
    let made = std::thread::spawn(move || -> io::Result<()> {
        // SAFETY: unshare(2) affects only this thread, which ends right
        // after the bind mount.
        check(unsafe { libc::unshare(libc::CLONE_NEWNET) })
            .map_err(|e| io::Error::new(e.kind(), format!("unshare network namespace: {e}")))?;
        mount("/proc/thread-self/ns/net", &target, "none", libc::MS_BIND).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("bind namespace to {}: {e}", target.display()),
            )
        })
    })
    .join()
    .unwrap_or_else(|_| Err(io::Error::other("namespace thread panicked")));
    if let Err(e) = made {
        let _ = fs::remove_file(&path);
        return Err(e);
    }
    Ok(path)
}

/// Deletes the named namespace (`ip netns del NAME`): unmounts and removes
/// its file. The namespace itself lives on while processes or sockets use it.
pub fn netns_del(name: &str) -> io::Result<()> {
    check_name(name)?;
    let path = Path::new(NETNS_RUN_DIR).join(name);
    let c = cstr(&path)?;
    // SAFETY: `c` is a valid NUL-terminated path. Failure (not mounted) is
    // fine: removing the file reports a missing namespace.
    unsafe { libc::umount2(c.as_ptr(), libc::MNT_DETACH) };
    fs::remove_file(&path)
        .map_err(|e| io::Error::new(e.kind(), format!("remove {}: {e}", path.display())))
}

/// The named namespaces, sorted (`ip netns list`).
pub fn netns_list() -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    match fs::read_dir(NETNS_RUN_DIR) {
        Ok(dir) => {
            for e in dir {
                let name = e?.file_name().to_string_lossy().into_owned();
                if name != "." && name != ".." {
                    out.push(name);
                }
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io::Error::new(e.kind(), format!("{NETNS_RUN_DIR}: {e}"))),
    }
    out.sort();
    Ok(out)
}

/// Moves the calling thread into namespace `ns` for good, the way
/// `ip netns exec` does before running a program: the network namespace,
/// then a private mount namespace with `/sys` remounted so it shows the new
/// namespace's devices. Meant for a single-threaded process about to
/// `exec`; files under /etc/netns/NAME are not bind-mounted.
pub fn netns_enter(ns: &NetnsRef) -> io::Result<()> {
    let path = ns.path();
    let f = File::open(&path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    // SAFETY: setns(2) on a descriptor we own.
    check(unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) })
        .map_err(|e| io::Error::new(e.kind(), format!("setns {}: {e}", path.display())))?;
    // SAFETY: plain unshare(2) of the mount namespace.
    check(unsafe { libc::unshare(libc::CLONE_NEWNS) })
        .map_err(|e| io::Error::new(e.kind(), format!("unshare mount namespace: {e}")))?;
    // Keep our mounts from propagating back to the parent namespace.
    mount(
        "none",
        Path::new("/"),
        "none",
        libc::MS_SLAVE | libc::MS_REC,
    )
    .map_err(|e| io::Error::new(e.kind(), format!("make / a slave mount: {e}")))?;
    let sys = Path::new("/sys");
    let c = cstr(sys)?;
    // SAFETY: valid path; failure means /sys was not mounted, which is fine.
    unsafe { libc::umount2(c.as_ptr(), libc::MNT_DETACH) };
    let name = match ns {
        NetnsRef::Name(n) => n.clone(),
        _ => "sysfs".into(),
    };
    mount(&name, sys, "sysfs", 0).map_err(|e| io::Error::new(e.kind(), format!("mount sysfs: {e}")))
}
