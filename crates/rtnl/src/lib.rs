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
#![warn(missing_docs)]

mod batch;
mod dump;
mod error;
mod filter;
mod iproute;
pub mod monitor;
#[cfg(target_os = "linux")]
pub mod netns;
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
#[cfg(target_os = "linux")]
pub use sys::linux::NetnsRef;

pub use rtnl_wire as wire;
/// Linux errno names and texts (RTNL carries Linux numbers on every platform).
pub use rtnl_wire::errno;
