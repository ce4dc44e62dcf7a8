//! Named network namespaces, compatible with `ip netns`: add, delete, list,
//! and enter (for `exec`). An `IpRoute` inside a namespace, by name, path
//! or pid, is [`IpRoute::in_netns`](crate::IpRoute::in_netns).

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::sys::linux::netns_admin;
pub use crate::sys::linux::netns_admin::NETNS_RUN_DIR;
use crate::NetnsRef;

fn named(op: String, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::InvalidInput {
        return Error::InvalidArgument {
            arg: op,
            reason: e.to_string(),
        };
    }
    Error::io(op, e)
}

/// Creates `/run/netns/NAME` holding a new network namespace
/// (`ip netns add NAME`); returns its path.
pub fn add(name: &str) -> Result<PathBuf> {
    netns_admin::netns_add(name).map_err(|e| named(format!("add network namespace {name:?}"), e))
}

/// Deletes the named namespace (`ip netns del NAME`).
pub fn del(name: &str) -> Result<()> {
    netns_admin::netns_del(name).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::NotFound {
                what: "network namespace",
                name: name.to_string(),
            }
        } else {
            named(format!("delete network namespace {name:?}"), e)
        }
    })
}

/// The names of the named namespaces, sorted (`ip netns list`).
pub fn list() -> Result<Vec<String>> {
    netns_admin::netns_list().map_err(|e| Error::io("list network namespaces", e))
}

/// Moves the calling thread into `ns` for good, with a private mount
/// namespace and `/sys` remounted, as `ip netns exec` does before running
/// a program. For single-threaded processes about to exec.
pub fn enter(ns: &NetnsRef) -> Result<()> {
    netns_admin::netns_enter(ns).map_err(|e| {
        named(
            format!("enter network namespace {}", ns.path().display()),
            e,
        )
    })
}
