//! One RTNL (rtnetlink) API on every OS.
//!
//! [`IpRoute`] speaks RTNL: requests are RTNL messages, answers and
//! notifications are RTNL messages. On Linux the kernel answers over a
//! netlink socket; other platforms get an emulator behind the same type.
//!
//! ```no_run
//! # fn main() -> rtnl::Result<()> {
//! use rtnl::{IpRoute, LinkFilter};
//! let mut ipr = IpRoute::new()?;
//! for link in ipr.get_links(&LinkFilter::default())? {
//!     println!("{:?}", link.get_attr("IFLA_IFNAME"));
//! }
//! # Ok(()) }
//! ```
//!
//! # Where to start
//!
//! Each entry point has an example that runs as a doc test; the ones that
//! change the network make their own throwaway namespace when run as root
//! and print `skipped: needs root` otherwise.
//!
//! | to | see |
//! |---|---|
//! | open a socket (here, or in a namespace) | [`IpRoute::new`], [`IpRoute::in_netns`] |
//! | list links, addresses, routes ... | [`IpRoute::get_links`], [`IpRoute::get_addr`], [`IpRoute::get_routes`] |
//! | stream a dump of any size | [`IpRoute::stream`], [`Dump`] |
//! | add an address | [`IpRoute::addr_add`] |
//! | add a route | [`IpRoute::route_add`] |
//! | pipeline many requests | [`IpRoute::request_batch`] |
//! | watch for changes | [`IpRoute::bind`], [`IpRoute::get`], [`monitor`] |
//! | decode RTNL bytes from anywhere | [`wire::message::Message::parse_all`] |
//! | async (feature `tokio`) | `rtnl::tokio::AsyncIpRoute` |
//! | what works on which OS | [`PLATFORM_SUPPORT`] |
//!
//! Runnable programs are in `crates/rtnl/examples` (`cargo run -p rtnl
//! --example list`), and `docs/pyroute2-migration.md` maps pyroute2's
//! `IPRoute` calls to these.
#![warn(missing_docs)]

mod batch;
mod dump;
mod error;
mod filter;
mod iproute;
pub mod monitor;
#[cfg(target_os = "linux")]
pub mod netns;
mod platforms;
#[cfg(unix)]
pub mod replay;
pub mod request;
mod sys;
#[cfg(all(feature = "tokio", unix))]
pub mod tokio;

pub use batch::{BatchOutcome, WINDOW as BATCH_WINDOW};
pub use dump::Dump;
pub use error::{Error, KernelError, Result};
pub use filter::{AddrFilter, DumpFilter, LinkFilter, NeighFilter, RouteFilter, RuleFilter};
pub use iproute::{link_name, IpRoute};
pub use monitor::{BindOptions, Groups};
pub use platforms::{Capability, Support, PLATFORM_SUPPORT};
#[cfg(target_os = "linux")]
pub use sys::linux::NetnsRef;

pub use rtnl_wire as wire;
/// Linux errno names and texts (RTNL carries Linux numbers on every platform).
pub use rtnl_wire::errno;

/// The snippets of `docs/pyroute2-migration.md`, compiled (and, where they
/// are not `no_run`, run) as doc tests so that the guide stays true.
#[cfg(all(doctest, target_os = "linux"))]
#[doc = include_str!("../../../docs/pyroute2-migration.md")]
pub struct Pyroute2Migration;
