//! `rtnl-bench`: measures rtnl's dumps, bulk changes and monitoring against
//! a raw netlink loop (the physical limit), `ip` (iproute2), pyroute2 and
//! the rtnetlink crate, inside a network namespace it builds and deletes.
//!
//! ```sh
//! cargo run --release -p rtnl-bench -- [--quick] [--routes 100000,1000000]
//!     [--v6 100000] [--veth 2000] [--rounds 3] [--json out.json]
//! ```
//!
//! Linux only: on other systems the binary says so and exits.

#[cfg(target_os = "linux")]
mod linux;

#[cfg(target_os = "linux")]
fn main() {
    std::process::exit(linux::main());
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("rtnl-bench: Linux only (it measures netlink dumps in a network namespace)");
    std::process::exit(2);
}
