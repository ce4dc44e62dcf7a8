//! Linux: the kernel speaks RTNL itself over a NETLINK_ROUTE socket.

mod netns;
pub mod netns_admin;
mod socket;

pub use netns::{open_in_netns, NetnsRef};
pub use socket::Socket;
