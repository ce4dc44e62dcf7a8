//! Lists links, addresses and routes of this namespace, like `ip a` and `ip r`.
//!
//! Run: `cargo run --example list`

use rtnl::{AddrFilter, IpRoute, LinkFilter, RouteFilter};

fn main() -> rtnl::Result<()> {
    let mut ipr = IpRoute::new()?;
    let links = ipr.get_links(&LinkFilter::default())?;
    for link in &links {
        println!("{link:?}");
    }
    for addr in ipr.get_addr(&AddrFilter::default())? {
        println!("{addr:?}");
    }
    for route in ipr.get_routes(&RouteFilter::default())? {
        println!("{route:?}");
    }
    Ok(())
}
