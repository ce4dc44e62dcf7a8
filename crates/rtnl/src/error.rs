//! The errors the library returns. Each names what was being done and why it
//! failed, with the kernel's extended-ack text when it sent one.

use std::fmt;
use std::io;

use rtnl_wire::DecodeError;

use crate::errno;

/// Whether replies come from an emulator rather than a kernel's RTNL (every
/// platform but Linux).
const EMULATED: bool = !cfg!(target_os = "linux");

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong.
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
    /// an ack or a successful dump.
    pub(crate) fn from_status(op: &str, e: rtnl_wire::netlink::ErrorMsg) -> Option<Self> {
        Self::from_status_on(op, e, EMULATED.then(crate::sys::Socket::platform))
    }

    /// [`Error::from_status`] for a platform whose answers come from an
    /// emulator (`Some(platform)`): there EOPNOTSUPP means the platform
    /// cannot do the operation at all, reported as [`Error::Unsupported`].
    fn from_status_on(
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
        match Error::from_status_on("add route", refused(), Some("freebsd")) {
            Some(Error::Unsupported { platform, op }) => {
                assert_eq!((platform, op.as_str()), ("freebsd", "add route"));
            }
            other => panic!("unexpected {other:?}"),
        }
        // From a kernel it stays a kernel error with its text.
        match Error::from_status_on("add route", refused(), None) {
            Some(Error::Kernel(k)) => {
                assert_eq!(k.errno, errno::EOPNOTSUPP);
                assert!(k.message.unwrap().contains("not supported on freebsd"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
