//! Lists the links with their addresses (like `ip address`), then the
//! routes of the main table (like `ip route`), in this namespace.
//!
//! Run: `cargo run -p rtnl --example list`
//! (`-- --netns NAME` to look inside a named namespace, on Linux).

use rtnl::wire::names::{LINK_FLAGS, LINK_TYPES, OPERSTATES, SCOPES};
use rtnl::wire::{Fixed, Message};
use rtnl::{link_name, AddrFilter, IpRoute, LinkFilter, RouteFilter};

fn open() -> rtnl::Result<IpRoute> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => IpRoute::new(),
        #[cfg(target_os = "linux")]
        [flag, name] if flag == "--netns" => IpRoute::in_netns(&rtnl::NetnsRef::Name(name.clone())),
        _ => {
            eprintln!("usage: list [--netns NAME]");
            std::process::exit(2);
        }
    }
}

fn str_attr<'a>(m: &'a Message, name: &str) -> Option<&'a str> {
    m.get_attr(name).and_then(|v| v.as_str())
}

fn main() -> rtnl::Result<()> {
    let mut ipr = open()?;
    let links = ipr.get_links(&LinkFilter::default())?;
    let addrs = ipr.get_addr(&AddrFilter::default())?;
    for link in &links {
        let Fixed::Link(h) = &link.fixed else {
            continue;
        };
        let (flags, _) = LINK_FLAGS.flags(h.flags);
        let mtu = link
            .get_attr("IFLA_MTU")
            .and_then(|v| v.as_u32())
            .unwrap_or(0);
        let state = link
            .get_attr("IFLA_OPERSTATE")
            .and_then(|v| v.as_u32())
            .and_then(|s| OPERSTATES.name(s))
            .unwrap_or("UNKNOWN");
        println!(
            "{}: {}: <{}> mtu {mtu} state {state}",
            h.index,
            str_attr(link, "IFLA_IFNAME").unwrap_or("?"),
            flags.join(",")
        );
        let mac: Vec<String> = link
            .get_attr("IFLA_ADDRESS")
            .and_then(|v| v.as_bytes())
            .unwrap_or_default()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let kind = LINK_TYPES.name(h.kind.into()).unwrap_or("none");
        println!("    link/{kind} {}", mac.join(":"));
        for a in addrs.iter() {
            let Fixed::Addr(ah) = &a.fixed else { continue };
            if ah.index != h.index as u32 {
                continue;
            }
            let ip = a
                .get_attr("IFA_LOCAL")
                .or(a.get_attr("IFA_ADDRESS"))
                .and_then(|v| v.as_ip());
            let Some(ip) = ip else { continue };
            let fam = if ip.is_ipv4() { "inet" } else { "inet6" };
            let scope = SCOPES.name(ah.scope.into()).unwrap_or("?");
            println!("    {fam} {ip}/{} scope {scope}", ah.prefixlen);
        }
    }
    let main = RouteFilter {
        table: Some(254),
        ..Default::default()
    };
    for r in ipr.get_routes(&main)? {
        let Fixed::Route(rh) = &r.fixed else { continue };
        let mut line = match r.get_attr("RTA_DST").and_then(|v| v.as_ip()) {
            Some(dst) => format!("{dst}/{}", rh.dst_len),
            None => "default".to_string(),
        };
        if let Some(gw) = r.get_attr("RTA_GATEWAY").and_then(|v| v.as_ip()) {
            line += &format!(" via {gw}");
        }
        if let Some(oif) = r.get_attr("RTA_OIF").and_then(|v| v.as_u32()) {
            line += &format!(" dev {}", link_name(&links, oif).unwrap_or("?"));
        }
        println!("{line}");
    }
    Ok(())
}
