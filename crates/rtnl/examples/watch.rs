//! Prints link, address, route, neighbour and rule changes as they happen,
//! one line each, like `ip monitor`.
//!
//! Run: `cargo run -p rtnl --example watch` (Linux; stop with Ctrl-C).
//! `-- --count N` exits after N events; `-- --netns NAME` watches a named
//! namespace instead of this one.

use rtnl::wire::{Fixed, Message};
use rtnl::{monitor, Groups, IpRoute};

fn summary(m: &Message) -> String {
    let kind = m.type_name().unwrap_or("?");
    let what = match &m.fixed {
        Fixed::Link(h) => format!(
            "link {} index {}",
            m.get_attr("IFLA_IFNAME")
                .and_then(|v| v.as_str())
                .unwrap_or("?"),
            h.index
        ),
        Fixed::Addr(h) => format!(
            "addr {:?}/{} dev {}",
            m.get_attr("IFA_ADDRESS").and_then(|v| v.as_ip()),
            h.prefixlen,
            h.index
        ),
        Fixed::Route(h) => format!(
            "route {:?}/{} table {}",
            m.get_attr("RTA_DST").and_then(|v| v.as_ip()),
            h.dst_len,
            h.table
        ),
        _ => format!("{:?}", m.family()),
    };
    format!("{kind} {what}")
}

fn main() -> rtnl::Result<()> {
    let mut count: Option<usize> = None;
    let mut netns: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--count", Some(n)) => count = n.parse().ok(),
            ("--netns", Some(n)) => netns = Some(n),
            _ => {
                eprintln!("usage: watch [--count N] [--netns NAME]");
                std::process::exit(2);
            }
        }
    }
    let mut ipr = match netns {
        #[cfg(target_os = "linux")]
        Some(name) => IpRoute::in_netns(&rtnl::NetnsRef::Name(name))?,
        #[cfg(not(target_os = "linux"))]
        Some(_) => panic!("--netns needs Linux"),
        None => IpRoute::new()?,
    };
    ipr.bind(Groups::default())?;
    // Tells a script (or the test) that nothing after this line is missed.
    println!("watching");
    let mut seen = 0;
    while count.is_none_or(|n| seen < n) {
        let bytes = ipr.recv()?;
        if monitor::is_overrun(&bytes) {
            println!("overrun: events were lost");
            continue;
        }
        for m in Message::parse_all(&bytes) {
            match m {
                Ok(m) => println!("{}", summary(&m)),
                Err(e) => println!("undecodable: {e}"),
            }
            seen += 1;
        }
    }
    Ok(())
}
