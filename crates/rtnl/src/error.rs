//! The errors the library returns. Each names what was being done and why it
//! failed, with the kernel's extended-ack text when it sent one.

use std::fmt;
use std::io;

use rtnl_wire::DecodeError;

use crate::errno;

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
        (e.code < 0).then(|| {
            Error::Kernel(KernelError {
                op: op.to_string(),
                errno: e.errno(),
                message: e.message,
                offset: e.offset,
            })
        })
    }

    pub(crate) fn io(op: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            op: op.into(),
            source,
        }
    }
}
