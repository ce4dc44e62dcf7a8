//! The RTNL object families: each module holds the fixed header, the
//! attribute tables and the typed view of one kind of object.

pub mod addr;
pub mod link;
pub mod neigh;
pub mod route;
pub mod rule;
