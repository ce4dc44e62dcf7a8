//! The errors the library returns. Each names what was being done and why it
//! failed, with the kernel's extended-ack text when it sent one.
//!
//! [`Error`]'s documentation has the table of every variant, and of every
//! [`DecodeError`] a malformed reply can carry, with the message each prints
//! (the unit tests at the end of this file check those texts).

use std::fmt;
use std::io;

use rtnl_wire::DecodeError;

use crate::errno;

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong.
///
/// # The errors and their messages
///
/// `Display` gives one line that says what was being done, then why it
/// failed. `op` is the operation as the library names it (`dump links`,
/// `add route`, `set link 2` ...).
///
/// | variant | example message | when |
/// | --- | --- | --- |
/// | [`Error::Kernel`] | `add route: File exists (EEXIST)` | the kernel (or, off Linux, the emulator) answered a request with an errno; see [`KernelError`] |
/// | [`Error::Kernel`], with extended ack | `add route: Invalid argument (EINVAL): Nexthop has invalid gateway` | as above, and the kernel explained (`NLMSGERR_ATTR_MSG`) |
/// | [`Error::Kernel`], EPERM | `set link 2: Operation not permitted (EPERM) (changing the network needs CAP_NET_ADMIN: run as root or grant the capability)` | a change was refused for lack of privilege |
/// | [`Error::Kernel`], unknown errno | `dump routes: error 4095` | an errno with no Linux name |
/// | [`Error::Io`] | `open RTNL socket: Permission denied (os error 13)` | a socket call failed (open, bind, send, receive, setns ...); [`Error::errno`] gives the OS error |
/// | [`Error::Decode`] | `dump links: malformed reply: netlink message at offset 0 claims length 4294967295 but only 36 bytes remain` | a reply was not valid RTNL; the source is a [`DecodeError`] (table below) |
/// | [`Error::DumpInterrupted`] | `dump links: the dump was interrupted by concurrent changes 5 times; its content would be inconsistent` | the kernel set `NLM_F_DUMP_INTR` on every attempt (collected dumps retry; streamed dumps report the first) |
/// | [`Error::Unsupported`] | `add route is not supported on freebsd` | the platform's emulator cannot do the operation (it answered EOPNOTSUPP) |
/// | [`Error::InvalidArgument`] | `invalid argument "10.0.0.1/33": prefix length 33 is longer than 32` | an argument was refused before anything was sent |
/// | [`Error::NotFound`] | `device "eth9" not found` | a device, link, route or network namespace named by the caller does not exist |
///
/// [`DecodeError`] (from `rtnl_wire`, inside [`Error::Decode`]); offsets of
/// framing errors count from the start of the received buffer, offsets of
/// attribute errors from the start of the attribute area being walked:
///
/// | variant | example message | when |
/// | --- | --- | --- |
/// | `TruncatedHeader` | `truncated netlink header at offset 32: 8 bytes left, 16 needed` | fewer than 16 bytes remain where a message should start |
/// | `LengthTooSmall` | `netlink message at offset 0 claims length 8, less than its 16-byte header` | `nlmsg_len` is below 16 |
/// | `LengthPastEnd` | `netlink message at offset 0 claims length 4294967295 but only 36 bytes remain` | `nlmsg_len` runs past the buffer (nothing is allocated for the claim) |
/// | `TruncatedBody` | `ifinfomsg needs 16 bytes but the message body holds 8` | the family's fixed header (`ifinfomsg`, `rtmsg`, `nlmsgerr` ...) is cut short |
/// | `BadAttribute` | `attribute at offset 4 is malformed: length shorter than the attribute header` | an attribute claims fewer than 4 bytes |
/// | `BadAttribute` | `attribute at offset 0 is malformed: length runs past the end of its container` | an attribute claims more than its message (or nest) holds; inside a nest the payload is kept raw instead |
/// | `TooDeep` | `attributes nested deeper than 32 levels` | decoding recursed past `rtnl_wire::attr::MAX_DEPTH` (only `RTA_MULTIPATH` inside its own hops can) |
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The kernel (or the platform's emulator) refused a request.
    #[error("{0}")]
    Kernel(KernelError),
    /// A socket call failed.
    #[error("{op}: {source}")]
    Io {
        /// What was being done (`open netlink socket`, `receive` ...).
        op: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Bytes that are not valid RTNL.
    #[error("{op}: malformed reply: {source}")]
    Decode {
        /// What was being read.
        op: String,
        /// What is wrong with the bytes.
        #[source]
        source: DecodeError,
    },
    /// A dump changed while it was read (NLM_F_DUMP_INTR) and retries did not
    /// give a consistent table.
    #[error("{op}: the dump was interrupted by concurrent changes {attempts} times; its content would be inconsistent")]
    DumpInterrupted {
        /// The dump.
        op: String,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The platform cannot do this.
    #[error("{op} is not supported on {platform}")]
    Unsupported {
        /// The platform (`freebsd`, `windows` ...).
        platform: &'static str,
        /// The operation.
        op: String,
    },
    /// An argument was refused before anything was sent.
    #[error("invalid argument {arg:?}: {reason}")]
    InvalidArgument {
        /// The argument as given.
        arg: String,
        /// Why it was refused.
        reason: String,
    },
    /// A named object (device, namespace ...) does not exist.
    #[error("{what} {name:?} not found")]
    NotFound {
        /// What kind of object.
        what: &'static str,
        /// Its name.
        name: String,
    },
}

/// A request the kernel answered with an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    /// What was asked (`dump routes`, `get link 7` ...).
    pub op: String,
    /// The errno (positive).
    pub errno: i32,
    /// The kernel's extended-ack message.
    pub message: Option<String>,
    /// Offset of the offending attribute in the request, if the kernel said.
    pub offset: Option<u32>,
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.op)?;
        match (errno::text(self.errno), errno::name(self.errno)) {
            (Some(text), Some(name)) => write!(f, "{text} ({name})")?,
            _ => write!(f, "error {}", self.errno)?,
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if self.errno == errno::EPERM {
            write!(
                f,
                " (changing the network needs CAP_NET_ADMIN: run as root or grant the capability)"
            )?;
        }
        Ok(())
    }
}

impl Error {
    /// The errno behind this error, if it has one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Kernel(k) => Some(k.errno),
            Error::Io { source, .. } => source.raw_os_error(),
            _ => None,
        }
    }

    /// The error an NLMSG_ERROR or NLMSG_DONE status stands for: `None` for
    /// an ack or a successful dump. When the answers come from an emulator
    /// (`Some(platform)`), EOPNOTSUPP means the platform cannot do the
    /// operation at all, reported as [`Error::Unsupported`].
    pub(crate) fn from_status(
        op: &str,
        e: rtnl_wire::netlink::ErrorMsg,
        emulator: Option<&'static str>,
    ) -> Option<Self> {
        (e.code < 0).then(|| match emulator {
            Some(platform) if e.errno() == errno::EOPNOTSUPP => Error::Unsupported {
                platform,
                op: op.to_string(),
            },
            _ => Error::Kernel(KernelError {
                op: op.to_string(),
                errno: e.errno(),
                message: e.message,
                offset: e.offset,
            }),
        })
    }

    pub(crate) fn io(op: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            op: op.into(),
            source,
        }
    }
}

#[cfg(test)]
mod emulated_tests {
    use super::*;
    use rtnl_wire::netlink::{MessageWriter, Messages, NLM_F_ACK, NLM_F_REQUEST};

    /// The emulator's answer to a route add, as an `ErrorMsg`.
    fn refused() -> rtnl_wire::netlink::ErrorMsg {
        let mut w = MessageWriter::new();
        let m = w.begin_message(
            rtnl_wire::rtm::RTM_NEWROUTE,
            NLM_F_REQUEST | NLM_F_ACK,
            3,
            9,
        );
        w.put_bytes(&[2; 12]);
        w.end_message(m);
        let out = rtnl_wire::emulate::emulate("freebsd", w.as_bytes(), &[]);
        let msg = Messages::new(&out[0]).next().unwrap().unwrap();
        msg.error().unwrap().unwrap()
    }

    #[test]
    fn an_emulators_eopnotsupp_is_unsupported() {
        match Error::from_status("add route", refused(), Some("freebsd")) {
            Some(Error::Unsupported { platform, op }) => {
                assert_eq!((platform, op.as_str()), ("freebsd", "add route"));
            }
            other => panic!("unexpected {other:?}"),
        }
        // From a kernel it stays a kernel error with its text.
        match Error::from_status("add route", refused(), None) {
            Some(Error::Kernel(k)) => {
                assert_eq!(k.errno, errno::EOPNOTSUPP);
                assert!(k.message.unwrap().contains("not supported on freebsd"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// The messages in the table on [`Error`], one per row.
#[cfg(test)]
mod table_tests {
    use super::*;

    fn kernel(op: &str, errno: i32, message: Option<&str>) -> Error {
        Error::Kernel(KernelError {
            op: op.into(),
            errno,
            message: message.map(str::to_string),
            offset: None,
        })
    }

    #[test]
    fn error_messages() {
        let rows: Vec<(Error, &str)> = vec![
            (kernel("add route", 17, None), "add route: File exists (EEXIST)"),
            (
                kernel("add route", 22, Some("Nexthop has invalid gateway")),
                "add route: Invalid argument (EINVAL): Nexthop has invalid gateway",
            ),
            (
                kernel("set link 2", errno::EPERM, None),
                "set link 2: Operation not permitted (EPERM) (changing the network needs CAP_NET_ADMIN: run as root or grant the capability)",
            ),
            (kernel("dump routes", 4095, None), "dump routes: error 4095"),
            (
                Error::Decode {
                    op: "dump links".into(),
                    source: DecodeError::LengthPastEnd {
                        offset: 0,
                        len: u32::MAX,
                        available: 36,
                    },
                },
                "dump links: malformed reply: netlink message at offset 0 claims length 4294967295 but only 36 bytes remain",
            ),
            (
                Error::DumpInterrupted {
                    op: "dump links".into(),
                    attempts: 5,
                },
                "dump links: the dump was interrupted by concurrent changes 5 times; its content would be inconsistent",
            ),
            (
                Error::Unsupported {
                    platform: "freebsd",
                    op: "add route".into(),
                },
                "add route is not supported on freebsd",
            ),
            (
                Error::InvalidArgument {
                    arg: "10.0.0.1/33".into(),
                    reason: "prefix length 33 is longer than 32".into(),
                },
                "invalid argument \"10.0.0.1/33\": prefix length 33 is longer than 32",
            ),
            (
                Error::NotFound {
                    what: "device",
                    name: "eth9".into(),
                },
                "device \"eth9\" not found",
            ),
        ];
        for (e, text) in rows {
            assert_eq!(e.to_string(), text);
        }
        // The kernel rows print KernelError's Display unchanged.
        let k = KernelError {
            op: "add route".into(),
            errno: 17,
            message: None,
            offset: Some(28),
        };
        assert_eq!(k.to_string(), "add route: File exists (EEXIST)");
        // OS texts are the platform's; this one is Linux's.
        let io = Error::io("open RTNL socket", io::Error::from_raw_os_error(13));
        assert_eq!(io.errno(), Some(13));
        #[cfg(target_os = "linux")]
        assert_eq!(
            io.to_string(),
            "open RTNL socket: Permission denied (os error 13)"
        );
    }

    #[test]
    fn decode_error_messages() {
        let rows = [
            (
                DecodeError::TruncatedHeader {
                    offset: 32,
                    available: 8,
                },
                "truncated netlink header at offset 32: 8 bytes left, 16 needed",
            ),
            (
                DecodeError::LengthTooSmall { offset: 0, len: 8 },
                "netlink message at offset 0 claims length 8, less than its 16-byte header",
            ),
            (
                DecodeError::LengthPastEnd {
                    offset: 0,
                    len: u32::MAX,
                    available: 36,
                },
                "netlink message at offset 0 claims length 4294967295 but only 36 bytes remain",
            ),
            (
                DecodeError::TruncatedBody {
                    what: "ifinfomsg",
                    needed: 16,
                    available: 8,
                },
                "ifinfomsg needs 16 bytes but the message body holds 8",
            ),
            (
                DecodeError::BadAttribute {
                    offset: 4,
                    reason: "length shorter than the attribute header",
                },
                "attribute at offset 4 is malformed: length shorter than the attribute header",
            ),
            (
                DecodeError::BadAttribute {
                    offset: 0,
                    reason: "length runs past the end of its container",
                },
                "attribute at offset 0 is malformed: length runs past the end of its container",
            ),
            (
                DecodeError::TooDeep(rtnl_wire::attr::MAX_DEPTH),
                "attributes nested deeper than 32 levels",
            ),
        ];
        for (e, text) in &rows {
            assert_eq!(e.to_string(), *text);
        }
        // The two BadAttribute reasons are the ones the decoder produces.
        let short = rtnl_wire::nla::NlaIter::new(&[2, 0, 1, 0]).next().unwrap();
        let long = rtnl_wire::nla::NlaIter::new(&[200, 0, 1, 0])
            .next()
            .unwrap();
        assert_eq!(
            short.unwrap_err().to_string(),
            rows[4].1.replace("offset 4", "offset 0")
        );
        assert_eq!(long.unwrap_err().to_string(), rows[5].1);
    }
}
