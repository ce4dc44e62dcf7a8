//! The readiness descriptor of a monitor queue: an eventfd on Linux, a
//! non-blocking pipe on the other Unix systems, a manual-reset event on
//! Windows (signalled as a descriptor is readable). It is readable
//! exactly while the queue it belongs to holds something.

// Until the BSD emulator feeds the monitor thread, only Linux uses all of it.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::io;

#[cfg(unix)]
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
#[cfg(windows)]
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle, RawHandle};

/// A C call's result: a negative value means `errno` says what failed.
#[cfg(unix)]
pub(crate) fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// A descriptor that can be made readable (`set`) and not (`clear`).
#[derive(Debug)]
pub struct Signal {
    /// The end poll/epoll/select watch.
    #[cfg(unix)]
    read: OwnedFd,
    /// The end written to (a pipe's other end); `None` for an eventfd.
    #[cfg(all(unix, not(target_os = "linux")))]
    write: OwnedFd,
    /// A manual-reset event: signalled while set (closed on drop).
    #[cfg(windows)]
    event: OwnedHandle,
    set: bool,
}

impl Signal {
    /// A new signal, not readable.
    #[cfg(target_os = "linux")]
    pub fn new() -> io::Result<Signal> {
        // SAFETY: plain eventfd(2) call; the result is checked.
        let fd = cvt(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })?;
        Ok(Signal {
            // SAFETY: a fresh descriptor nothing else owns.
            read: unsafe { OwnedFd::from_raw_fd(fd) },
            set: false,
        })
    }

    /// A new signal, not readable.
    #[cfg(all(unix, not(target_os = "linux")))]
    pub fn new() -> io::Result<Signal> {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
        cvt(unsafe { libc::pipe(fds.as_mut_ptr()) })?;
        // SAFETY: two fresh descriptors nothing else owns.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        for fd in [read.as_raw_fd(), write.as_raw_fd()] {
            // SAFETY: fcntl on a descriptor we own.
            cvt(unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) })?;
            // SAFETY: fcntl on a descriptor we own.
            let fl = cvt(unsafe { libc::fcntl(fd, libc::F_GETFL) })?;
            // SAFETY: fcntl on a descriptor we own.
            cvt(unsafe { libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK) })?;
        }
        Ok(Signal {
            read,
            write,
            set: false,
        })
    }

    /// A new signal, not signalled.
    #[cfg(windows)]
    pub fn new() -> io::Result<Signal> {
        use windows_sys::Win32::System::Threading::CreateEventW;
        // SAFETY: no security attributes and no name: a fresh anonymous
        // event, manual-reset (1), not signalled (0). The result is checked.
        let h = unsafe { CreateEventW(std::ptr::null(), 1, 0, std::ptr::null()) };
        if h.is_null() {
            return Err(io::Error::last_os_error());
        }
        Ok(Signal {
            // SAFETY: a fresh handle nothing else owns.
            event: unsafe { OwnedHandle::from_raw_handle(h) },
            set: false,
        })
    }

    /// A new signal (no descriptor on this platform).
    #[cfg(not(any(unix, windows)))]
    pub fn new() -> io::Result<Signal> {
        Ok(Signal { set: false })
    }

    /// Makes the descriptor readable (idempotent).
    pub fn set(&mut self) {
        if self.set {
            return;
        }
        self.set = true;
        #[cfg(target_os = "linux")]
        {
            let one: u64 = 1;
            // SAFETY: writes the 8 bytes of `one` to an eventfd we own. It
            // cannot fail: the counter is 0 or 1 here, far from overflow.
            let _ = unsafe {
                libc::write(
                    self.read.as_raw_fd(),
                    (&one as *const u64).cast(),
                    std::mem::size_of::<u64>(),
                )
            };
        }
        #[cfg(all(unix, not(target_os = "linux")))]
        {
            let b = 1u8;
            // SAFETY: writes one byte from `b` to a pipe we own; the pipe
            // holds at most one byte, so it never blocks or fills.
            let _ = unsafe { libc::write(self.write.as_raw_fd(), (&b as *const u8).cast(), 1) };
        }
        #[cfg(windows)]
        {
            // SAFETY: SetEvent on an event handle we own; it cannot fail
            // on a valid event handle.
            let _ = unsafe {
                windows_sys::Win32::System::Threading::SetEvent(self.event.as_raw_handle())
            };
        }
    }

    /// Makes the descriptor not readable (idempotent).
    pub fn clear(&mut self) {
        if !self.set {
            return;
        }
        self.set = false;
        #[cfg(unix)]
        {
            let mut buf = [0u8; 8];
            // SAFETY: reads at most 8 bytes into `buf` from a non-blocking
            // descriptor we own (an eventfd reads exactly 8).
            let _ = unsafe { libc::read(self.read.as_raw_fd(), buf.as_mut_ptr().cast(), 8) };
        }
        #[cfg(windows)]
        {
            // SAFETY: ResetEvent on an event handle we own.
            let _ = unsafe {
                windows_sys::Win32::System::Threading::ResetEvent(self.event.as_raw_handle())
            };
        }
    }

    /// The descriptor to watch.
    #[cfg(unix)]
    pub fn as_raw_fd(&self) -> RawFd {
        self.read.as_raw_fd()
    }

    /// The event to wait on (`WaitForSingleObject`,
    /// `WaitForMultipleObjects`): signalled while set.
    #[cfg(windows)]
    pub fn as_raw_handle(&self) -> RawHandle {
        self.event.as_raw_handle()
    }
}

/// Waits until one of `fds` is readable (or has an error or hang-up), for
/// at most `timeout_ms` (-1: no limit). Returns which are ready.
#[cfg(unix)]
pub fn wait_readable(fds: &[RawFd], timeout_ms: i32) -> io::Result<Vec<bool>> {
    let mut p: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    loop {
        // SAFETY: `p` is a valid array of `p.len()` pollfd structures.
        let r = unsafe { libc::poll(p.as_mut_ptr(), p.len() as libc::nfds_t, timeout_ms) };
        if r >= 0 {
            return Ok(p.iter().map(|p| p.revents != 0).collect());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Waits until the event `h` is signalled, for at most `timeout_ms`
/// (`u32::MAX`: no limit). Returns whether it is.
#[cfg(windows)]
pub fn wait_signalled(h: RawHandle, timeout_ms: u32) -> io::Result<bool> {
    use windows_sys::Win32::Foundation::{WAIT_OBJECT_0, WAIT_TIMEOUT};
    // SAFETY: waits on a handle the caller keeps open; nothing is written.
    match unsafe { windows_sys::Win32::System::Threading::WaitForSingleObject(h, timeout_ms) } {
        WAIT_OBJECT_0 => Ok(true),
        WAIT_TIMEOUT => Ok(false),
        _ => Err(io::Error::last_os_error()),
    }
}

/// A new descriptor (close-on-exec) for the open file description `fd`
/// refers to, owned by the caller: it stays valid whatever happens to
/// `fd`.
#[cfg(all(unix, feature = "tokio"))]
pub fn dup_fd(fd: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) only reads `fd`; an invalid one fails
    // with EBADF, which is checked.
    let new = cvt(unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) })?;
    // SAFETY: a fresh descriptor nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}
