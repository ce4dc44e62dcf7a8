//! Adds and removes a route inside a throwaway network namespace that it
//! creates and deletes itself (even on failure), so the host is never
//! touched. Needs root; without it, prints "skipped: needs root".
//!
//! Run: `sudo cargo run -p rtnl --example route_netns` (Linux).

#[cfg(target_os = "linux")]
fn main() -> rtnl::Result<()> {
    use rtnl::request::{LinkChange, Route};
    use rtnl::{IpRoute, NetnsRef, RouteFilter};
    use std::os::unix::fs::MetadataExt;

    if std::fs::metadata("/proc/self").map_or(true, |m| m.uid() != 0) {
        println!("skipped: needs root");
        return Ok(());
    }
    /// Deletes the namespace when dropped: on success, `?` and panics.
    struct Throwaway(String);
    impl Drop for Throwaway {
        fn drop(&mut self) {
            match rtnl::netns::del(&self.0) {
                Ok(()) => println!("deleted namespace {}", self.0),
                Err(e) => eprintln!("{e}"),
            }
        }
    }
    let ns = Throwaway(format!("rtnl-example-{}", std::process::id()));
    rtnl::netns::add(&ns.0)?;
    println!("created namespace {}", ns.0);
    let mut ipr = IpRoute::in_netns(&NetnsRef::Name(ns.0.clone()))?;

    let lo = ipr.link_index("lo")?;
    ipr.link_set(
        lo,
        &LinkChange {
            up: Some(true),
            ..Default::default()
        },
    )?;
    let route = Route {
        dst: Some("10.10.0.0/16".parse()?),
        oif: Some(lo),
        ..Default::default()
    };
    let main = RouteFilter {
        table: Some(254),
        ..Default::default()
    };
    ipr.route_add(&route)?;
    println!("added: ip route add 10.10.0.0/16 dev lo");
    println!("main table: {} route(s)", ipr.get_routes(&main)?.len());
    ipr.route_del(&route)?;
    println!("removed: ip route del 10.10.0.0/16 dev lo");
    println!("main table: {} route(s)", ipr.get_routes(&main)?.len());
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("skipped: network namespaces are Linux only");
}
