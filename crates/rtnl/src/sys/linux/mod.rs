//! Linux: the kernel speaks RTNL itself over a NETLINK_ROUTE socket.

mod netns;
mod socket;

pub use netns::{open_in_netns, NetnsRef};
pub use socket::Socket;
