//! Request builders: links, addresses, routes, neighbours and rules, the way
//! `ip` and pyroute2 say them. Every builder checks its arguments first
//! (refusing bad ones with [`Error::InvalidArgument`] before anything is
//! sent) and produces a [`Request`]: an RTNL message with its
//! `NLM_F_CREATE` / `EXCL` / `REPLACE` / `APPEND` flags written out, and the
//! name of the operation that errors carry. The `IpRoute` methods
//! (`link_add`, `addr_add`, `route_add` ...) send one request through
//! [`IpRoute::request`]; [`IpRoute::request_batch`] pipelines many.
//!
//! ```no_run
//! # fn main() -> rtnl::Result<()> {
//! use rtnl::request::{AddrOpts, LinkChange, LinkSpec, Route};
//! let mut ipr = rtnl::IpRoute::new()?;
//! ipr.link_add(&LinkSpec::veth("v0", "v1"))?;
//! let v0 = ipr.link_index("v0")?;
//! ipr.link_set(v0, &LinkChange { up: Some(true), mtu: Some(1400), ..Default::default() })?;
//! ipr.addr_add(v0, "10.0.0.1/24".parse()?, &AddrOpts::default())?;
//! ipr.route_add(&Route {
//!     dst: Some("10.1.0.0/16".parse()?),
//!     gateway: Some("10.0.0.9".parse().unwrap()),
//!     ..Default::default()
//! })?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use rtnl_wire::message::Message;

use crate::error::{Error, Result};
use crate::iproute::IpRoute;

mod addr;
mod link;
mod neigh;
mod route;
mod rule;

pub use addr::{addr_add, addr_del, addr_replace, AddrOpts};
pub use link::{
    link_add, link_del, link_set, LinkChange, LinkKind, LinkSpec, MacvlanMode, Master, VethPeer,
    Vxlan,
};
pub use neigh::{neigh_add, neigh_del, neigh_replace, Neigh};
pub use route::{
    route_add, route_append, route_change, route_del, route_get, route_replace, Nexthop, Route,
    RouteQuery, RouteType,
};
pub use rule::{rule_add, rule_del, Rule};

/// One request: the message and the operation it performs, as errors name
/// it (`add route 10.1.0.0/16 via 10.0.0.9`).
#[derive(Debug, Clone)]
pub struct Request {
    /// The RTNL message. Its sequence number and port id are filled in when
    /// it is sent.
    pub msg: Message,
    /// What it does, for error messages.
    pub op: String,
    /// Files the message refers to by descriptor (IFLA_NET_NS_FD), kept
    /// open until the request has been sent.
    pub files: Vec<std::sync::Arc<std::fs::File>>,
}

impl Request {
    /// A request of `msg` described as `op`.
    pub fn new(msg: Message, op: impl Into<String>) -> Request {
        Request {
            msg,
            op: op.into(),
            files: Vec::new(),
        }
    }
}

/// An IP address with a prefix length: `10.0.0.1/24`, `2001:db8::/64`. A
/// bare address has the full length (32 or 128).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNet {
    /// The address.
    pub addr: IpAddr,
    /// The prefix length.
    pub prefix_len: u8,
}

impl IpNet {
    /// `addr/prefix_len`, refused when the length is too long for the
    /// family.
    pub fn new(addr: IpAddr, prefix_len: u8) -> Result<IpNet> {
        if prefix_len > max_len(addr) {
            return Err(invalid(
                format!("{addr}/{prefix_len}"),
                format!(
                    "prefix length {prefix_len} is over {} for {}",
                    max_len(addr),
                    family_word(addr)
                ),
            ));
        }
        Ok(IpNet { addr, prefix_len })
    }

    /// The address family (AF_INET or AF_INET6).
    pub fn family(&self) -> u8 {
        family_of(self.addr)
    }

    /// The IPv4 broadcast address of this network (`brd +`).
    pub fn broadcast(&self) -> Option<Ipv4Addr> {
        match self.addr {
            IpAddr::V4(a) => {
                let host = u32::MAX.checked_shr(self.prefix_len.into()).unwrap_or(0);
                Some(Ipv4Addr::from(u32::from(a) | host))
            }
            IpAddr::V6(_) => None,
        }
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix_len)
    }
}

impl FromStr for IpNet {
    type Err = Error;
    fn from_str(s: &str) -> Result<IpNet> {
        let (a, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let addr = parse_ip(a).map_err(|_| invalid(s, "not an IPv4 or IPv6 address"))?;
        let len = match len {
            None => max_len(addr),
            Some(l) => l.parse::<u8>().map_err(|_| {
                invalid(
                    s,
                    format!(
                        "prefix length {l:?} is not a number from 0 to {}",
                        max_len(addr)
                    ),
                )
            })?,
        };
        IpNet::new(addr, len).map_err(|_| {
            invalid(
                s,
                format!(
                    "prefix length {len} is over {} for {}",
                    max_len(addr),
                    family_word(addr)
                ),
            )
        })
    }
}

/// Parses an IPv4 or IPv6 address, refusing anything else with the
/// argument named.
pub fn parse_ip(s: &str) -> Result<IpAddr> {
    s.parse::<IpAddr>()
        .map_err(|_| invalid(s, "not an IPv4 or IPv6 address"))
}

/// Parses a link-layer address (`02:00:00:00:00:01`, or `0200.0000.0001`).
pub fn parse_lladdr(s: &str) -> Result<Vec<u8>> {
    let bad = || invalid(s, "not a link-layer address (like 02:00:00:00:00:01)");
    let parts: Vec<&str> = if s.contains(':') {
        s.split(':').collect()
    } else if s.contains('.') && s.len() == 14 {
        let hex: String = s.split('.').collect();
        return (0..6)
            .map(|i| {
                hex.get(i * 2..i * 2 + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(bad)
            })
            .collect();
    } else {
        return Err(bad());
    };
    if parts.is_empty() || parts.len() > 32 {
        return Err(bad());
    }
    parts
        .iter()
        .map(|p| {
            if p.is_empty() || p.len() > 2 {
                Err(bad())
            } else {
                u8::from_str_radix(p, 16).map_err(|_| bad())
            }
        })
        .collect()
}

/// `Error::InvalidArgument`.
pub(crate) fn invalid(arg: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        arg: arg.into(),
        reason: reason.into(),
    }
}

pub(crate) const AF_INET: u8 = rtnl_wire::names::AF_INET;
pub(crate) const AF_INET6: u8 = rtnl_wire::names::AF_INET6;

pub(crate) fn family_of(a: IpAddr) -> u8 {
    match a {
        IpAddr::V4(_) => AF_INET,
        IpAddr::V6(_) => AF_INET6,
    }
}

fn max_len(a: IpAddr) -> u8 {
    match a {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

fn family_word(a: IpAddr) -> &'static str {
    match a {
        IpAddr::V4(_) => "IPv4",
        IpAddr::V6(_) => "IPv6",
    }
}

/// Checks a link name the way the kernel's `dev_valid_name` does.
pub(crate) fn check_ifname(what: &str, name: &str) -> Result<()> {
    let reason = if name.is_empty() {
        "an interface name cannot be empty"
    } else if name.len() > 15 {
        "an interface name is at most 15 bytes"
    } else if name == "." || name == ".." {
        "\".\" and \"..\" are not interface names"
    } else if name.contains(['/', ':']) || name.chars().any(char::is_whitespace) {
        "an interface name cannot contain '/', ':' or whitespace"
    } else {
        return Ok(());
    };
    Err(invalid(format!("{what} {name}"), reason))
}

impl IpRoute {
    /// Sends a built request and collects its answers (see
    /// [`IpRoute::request`]).
    pub fn execute(&mut self, mut req: Request) -> Result<Vec<Message>> {
        self.request(&mut req.msg, &req.op)
    }

    /// Deletes each of `items` (messages of a dump) with the request `del`
    /// builds for it: what every flush does. An item that is already gone
    /// (the kernel answers `gone`: it went with another, or on its own) is
    /// not an error. A failure names the flush and how many items were
    /// deleted before it. Returns how many were deleted.
    pub(crate) fn delete_each(
        &mut self,
        what: &str,
        items: &[Message],
        del: fn(&Message) -> Option<Request>,
        gone: i32,
    ) -> Result<usize> {
        let total = items.len();
        let mut deleted = 0;
        for m in items {
            let Some(req) = del(m) else {
                continue;
            };
            match self.execute(req) {
                Ok(_) => deleted += 1,
                Err(Error::Kernel(k)) if k.errno == gone => {}
                Err(Error::Kernel(mut k)) => {
                    k.op = format!(
                        "flush {what} ({deleted} of {total} deleted before): {}",
                        k.op
                    );
                    return Err(Error::Kernel(k));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(deleted)
    }

    /// The index of the link named `name`, or `Error::NotFound`.
    pub fn link_index(&mut self, name: &str) -> Result<u32> {
        self.link_lookup(name)?.ok_or_else(|| Error::NotFound {
            what: "device",
            name: name.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipnet_parses_and_refuses() {
        let n: IpNet = "10.0.0.1/24".parse().unwrap();
        assert_eq!(n.prefix_len, 24);
        assert_eq!(n.broadcast(), Some(Ipv4Addr::new(10, 0, 0, 255)));
        assert_eq!("10.0.0.1".parse::<IpNet>().unwrap().prefix_len, 32);
        assert_eq!("2001:db8::1".parse::<IpNet>().unwrap().prefix_len, 128);
        let e = "10.0.0.1/33".parse::<IpNet>().unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid argument \"10.0.0.1/33\": prefix length 33 is over 32 for IPv4"
        );
        let e = "2001:db8::/129".parse::<IpNet>().unwrap_err().to_string();
        assert!(e.contains("over 128 for IPv6"), "{e}");
        let e = "10.0.0/8".parse::<IpNet>().unwrap_err().to_string();
        assert!(e.contains("not an IPv4 or IPv6 address"), "{e}");
        let e = "10.0.0.0/x".parse::<IpNet>().unwrap_err().to_string();
        assert!(e.contains("is not a number"), "{e}");
        assert_eq!(
            "0.0.0.0/0".parse::<IpNet>().unwrap().broadcast(),
            Some(Ipv4Addr::BROADCAST)
        );
    }

    #[test]
    fn lladdr_parses() {
        assert_eq!(
            parse_lladdr("02:00:00:00:00:0a").unwrap(),
            vec![2, 0, 0, 0, 0, 10]
        );
        assert_eq!(
            parse_lladdr("0200.0000.000a").unwrap(),
            vec![2, 0, 0, 0, 0, 10]
        );
        assert!(parse_lladdr("02:00:0g").is_err());
        assert!(parse_lladdr("nothing").is_err());
    }

    #[test]
    fn ifnames_are_checked() {
        assert!(check_ifname("name", "v0").is_ok());
        assert!(check_ifname("name", "").is_err());
        assert!(check_ifname("name", "a/b").is_err());
        assert!(check_ifname("name", "0123456789abcdef").is_err());
    }
}
