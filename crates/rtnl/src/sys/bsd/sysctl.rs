//! sysctl(3) routing dumps: the size-then-read pattern, retried while the
//! table grows between the two calls.

use std::io;

use super::answer::Dumper;

/// How many times a dump is retried when the table outgrew the buffer
/// between the size query and the read (golang.org/x/net retries 3 times;
/// busy routers deserve a few more).
const ATTEMPTS: u32 = 8;

/// Reads the dump `mib` whole.
pub(crate) fn dump(mib: &[libc::c_int]) -> io::Result<Vec<u8>> {
    let mut mib = mib.to_vec();
    let mut last = io::Error::from_raw_os_error(libc::ENOMEM);
    for _ in 0..ATTEMPTS {
        let mut needed: libc::size_t = 0;
        // SAFETY: `mib` holds `mib.len()` ints; with a null `oldp` the
        // kernel only writes the size it needs into `needed`.
        let r = unsafe {
            libc::sysctl(
                mib.as_mut_ptr(),
                mib.len() as libc::c_uint,
                std::ptr::null_mut(),
                &mut needed,
                std::ptr::null_mut(),
                0,
            )
        };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if needed == 0 {
            return Ok(Vec::new());
        }
        // Room for some growth between the calls.
        let mut buf = vec![0u8; needed + needed / 8 + 1024];
        let mut len: libc::size_t = buf.len();
        // SAFETY: `buf` is valid for writes of `len` bytes; the kernel
        // writes at most `len` and stores the length it wrote in `len`.
        let r = unsafe {
            libc::sysctl(
                mib.as_mut_ptr(),
                mib.len() as libc::c_uint,
                buf.as_mut_ptr().cast(),
                &mut len,
                std::ptr::null_mut(),
                0,
            )
        };
        if r == 0 {
            buf.truncate(len);
            return Ok(buf);
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::ENOMEM) | Some(libc::EINTR) => last = e,
            _ => return Err(e),
        }
    }
    Err(io::Error::new(
        last.kind(),
        format!("routing table kept growing during {ATTEMPTS} sysctl reads: {last}"),
    ))
}

/// The number of FreeBSD fibs (`net.fibs`); 1 elsewhere.
fn fibs() -> io::Result<u32> {
    #[cfg(target_os = "freebsd")]
    {
        let mut n: libc::c_int = 0;
        let mut len: libc::size_t = std::mem::size_of::<libc::c_int>();
        // SAFETY: the name is NUL-terminated and `n` has room for the
        // `len` bytes the kernel writes.
        let r = unsafe {
            libc::sysctlbyname(
                c"net.fibs".as_ptr(),
                (&mut n as *mut libc::c_int).cast(),
                &mut len,
                std::ptr::null(),
                0,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n.max(1) as u32)
    }
    #[cfg(not(target_os = "freebsd"))]
    Ok(1)
}

/// The host's sysctl, as the emulator's [`Dumper`].
#[derive(Debug, Default)]
pub(crate) struct Sysctl;

impl Dumper for Sysctl {
    fn dump(&mut self, mib: &[i32]) -> io::Result<Option<Vec<u8>>> {
        match dump(mib) {
            Ok(b) => Ok(Some(b)),
            // A table out of range: FreeBSD EINVAL for a fib, OpenBSD
            // ENOENT for an rtable. Only table dumps carry a 7th element.
            Err(e)
                if mib.len() > 6
                    && matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOENT)) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn fibs(&mut self) -> io::Result<u32> {
        fibs()
    }
}
