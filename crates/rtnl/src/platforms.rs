//! What works where: the facts behind the README's "Platforms today" table.
//!
//! `tests/readme_platforms.rs` checks every row of that table against
//! [`PLATFORM_SUPPORT`]: each cell must begin with the [`Support::word`] of
//! its entry, and the capabilities this host's backend can show cheaply
//! (reading, binding; changing the network inside a throwaway namespace
//! when root) are exercised on the platform the test runs on.
//!
//! ```
//! use rtnl::{Support, PLATFORM_SUPPORT};
//! let read = PLATFORM_SUPPORT.iter().find(|c| c.name.starts_with("read")).unwrap();
//! assert_eq!(read.linux, Support::Yes);
//! ```

/// How far one capability goes on one group of platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Implemented and run in CI on that platform.
    Yes,
    /// Implemented and compile-checked in CI, never run there yet.
    CompileChecked,
    /// Refused at run time with [`Error::Unsupported`](crate::Error::Unsupported).
    Unsupported,
    /// Not implemented yet (the call says unsupported).
    NotYet,
    /// Does not apply to that platform.
    NotApplicable,
}

impl Support {
    /// The words a README cell with this status begins with.
    pub fn word(self) -> &'static str {
        match self {
            Support::Yes => "yes",
            Support::CompileChecked => "implemented, compile-checked only",
            Support::Unsupported => "`Error::Unsupported`",
            Support::NotYet => "not yet",
            Support::NotApplicable => "n/a",
        }
    }
}

/// One row of the platform table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capability {
    /// The row's first cell, as the README writes it.
    pub name: &'static str,
    /// Linux (netlink).
    pub linux: Support,
    /// FreeBSD, OpenBSD, NetBSD and macOS (the PF_ROUTE emulator).
    pub bsd: Support,
    /// Windows (the iphlpapi emulator).
    pub windows: Support,
}

impl Capability {
    /// The status for a platform as [`IpRoute::platform`](crate::IpRoute::platform)
    /// names it (`linux`, `freebsd`, `macos`, `windows` ...); `None` for a
    /// platform rtnl has no backend for.
    pub fn on(&self, platform: &str) -> Option<Support> {
        match platform {
            "linux" => Some(self.linux),
            "freebsd" | "openbsd" | "netbsd" | "macos" | "ios" => Some(self.bsd),
            "windows" => Some(self.windows),
            _ => None,
        }
    }
}

/// The capabilities per platform, in the README table's order.
pub const PLATFORM_SUPPORT: &[Capability] = &[
    Capability {
        name: "read links, addresses, routes, neighbours, rules",
        linux: Support::Yes,
        bsd: Support::CompileChecked,
        windows: Support::Yes,
    },
    Capability {
        name: "change the network",
        linux: Support::Yes,
        bsd: Support::Unsupported,
        windows: Support::Unsupported,
    },
    Capability {
        name: "monitoring",
        linux: Support::Yes,
        bsd: Support::CompileChecked,
        windows: Support::Yes,
    },
    Capability {
        name: "routing-socket messages into RTNL",
        linux: Support::Yes,
        bsd: Support::Yes,
        windows: Support::NotApplicable,
    },
];
