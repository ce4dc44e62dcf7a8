//! Linux errno values as RTNL carries them in NLMSG_ERROR. The emulators on
//! other systems report the same numbers, so the names and texts live here
//! rather than in the host's C library.

/// `(errno, name, text)` for the errors RTNL requests commonly return.
static ERRNOS: &[(i32, &str, &str)] = &[
    (1, "EPERM", "Operation not permitted"),
    (2, "ENOENT", "No such file or directory"),
    (3, "ESRCH", "No such process"),
    (4, "EINTR", "Interrupted system call"),
    (5, "EIO", "Input/output error"),
    (9, "EBADF", "Bad file descriptor"),
    (11, "EAGAIN", "Resource temporarily unavailable"),
    (12, "ENOMEM", "Cannot allocate memory"),
    (13, "EACCES", "Permission denied"),
    (16, "EBUSY", "Device or resource busy"),
    (17, "EEXIST", "File exists"),
    (19, "ENODEV", "No such device"),
    (22, "EINVAL", "Invalid argument"),
    (28, "ENOSPC", "No space left on device"),
    (34, "ERANGE", "Numerical result out of range"),
    (52, "EBADE", "Invalid exchange"),
    (61, "ENODATA", "No data available"),
    (71, "EPROTO", "Protocol error"),
    (90, "EMSGSIZE", "Message too long"),
    (93, "EPROTONOSUPPORT", "Protocol not supported"),
    (95, "EOPNOTSUPP", "Operation not supported"),
    (
        97,
        "EAFNOSUPPORT",
        "Address family not supported by protocol",
    ),
    (98, "EADDRINUSE", "Address already in use"),
    (99, "EADDRNOTAVAIL", "Cannot assign requested address"),
    (100, "ENETDOWN", "Network is down"),
    (101, "ENETUNREACH", "Network is unreachable"),
    (105, "ENOBUFS", "No buffer space available"),
    (110, "ETIMEDOUT", "Connection timed out"),
    (113, "EHOSTUNREACH", "No route to host"),
];

/// EPERM.
pub const EPERM: i32 = 1;
/// ENODEV.
pub const ENODEV: i32 = 19;
/// EINVAL.
pub const EINVAL: i32 = 22;
/// ENOBUFS: the socket's receive buffer overflowed.
pub const ENOBUFS: i32 = 105;
/// EOPNOTSUPP.
pub const EOPNOTSUPP: i32 = 95;

/// The symbolic name of a Linux errno (`EEXIST`).
pub fn name(errno: i32) -> Option<&'static str> {
    ERRNOS.iter().find(|e| e.0 == errno).map(|e| e.1)
}

/// The strerror text of a Linux errno.
pub fn text(errno: i32) -> Option<&'static str> {
    ERRNOS.iter().find(|e| e.0 == errno).map(|e| e.2)
}
