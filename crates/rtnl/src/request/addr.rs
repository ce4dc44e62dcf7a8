//! Addresses: `ip addr add | replace | del | flush`.

use std::net::{IpAddr, Ipv4Addr};

use rtnl_wire::family::addr::IfAddrMsg;
use rtnl_wire::message::{Fixed, Message};
use rtnl_wire::names::{IFA_F_NODAD, IFA_F_NOPREFIXROUTE};
use rtnl_wire::netlink::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use rtnl_wire::rtm::{RTM_DELADDR, RTM_NEWADDR};
use rtnl_wire::Value;

use super::{invalid, IpNet, Request, AF_INET};
use crate::error::Result;
use crate::filter::AddrFilter;
use crate::iproute::IpRoute;

/// Lifetime "forever" in IFA_CACHEINFO.
const INFINITY_LIFE_TIME: u32 = u32::MAX;
/// EADDRNOTAVAIL: the address is already gone.
const EADDRNOTAVAIL: i32 = 99;

/// Options of `ip addr add` beyond the address itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddrOpts {
    /// `peer ADDR[/LEN]`: the other end of a point-to-point link; its
    /// prefix length becomes the address's.
    pub peer: Option<IpNet>,
    /// `broadcast ADDR` (IPv4 only); see [`IpNet::broadcast`] for `brd +`.
    pub broadcast: Option<Ipv4Addr>,
    /// `label NAME` (IPv4 only).
    pub label: Option<String>,
    /// `scope` (`RT_SCOPE_*`).
    pub scope: Option<u8>,
    /// `metric` of the prefix route.
    pub metric: Option<u32>,
    /// `nodad` (IPv6): skip duplicate address detection.
    pub nodad: bool,
    /// `noprefixroute`: add no prefix route.
    pub noprefixroute: bool,
    /// `valid_lft` in seconds; `None` is forever.
    pub valid_lft: Option<u32>,
    /// `preferred_lft` in seconds; `None` is forever (or `valid_lft`).
    pub preferred_lft: Option<u32>,
}

fn base(kind: u16, flags: u16, index: u32, net: &IpNet, scope: u8) -> Result<Message> {
    if index == 0 {
        return Err(invalid("dev", "link index 0 names no link"));
    }
    Ok(Message::new(
        kind,
        flags,
        Fixed::Addr(IfAddrMsg {
            family: net.family(),
            prefixlen: net.prefix_len,
            flags: 0,
            scope,
            index,
        }),
    ))
}

fn build(
    kind: u16,
    flags: u16,
    index: u32,
    net: IpNet,
    o: &AddrOpts,
    verb: &str,
) -> Result<Request> {
    let v4 = net.family() == AF_INET;
    let mut prefix = net;
    if let Some(p) = o.peer {
        if p.family() != net.family() {
            return Err(invalid(
                format!("peer {p}"),
                "the peer's family differs from the address's",
            ));
        }
        prefix.prefix_len = p.prefix_len;
    }
    let mut m = base(kind, flags, index, &prefix, o.scope.unwrap_or(0))?;
    m.push_attr("IFA_LOCAL", Value::Ip(net.addr));
    m.push_attr(
        "IFA_ADDRESS",
        Value::Ip(o.peer.map_or(net.addr, |p| p.addr)),
    );
    if let Some(b) = o.broadcast {
        if !v4 {
            return Err(invalid(
                format!("broadcast {b}"),
                "a broadcast address is for IPv4 addresses only",
            ));
        }
        m.push_attr("IFA_BROADCAST", Value::Ip(IpAddr::V4(b)));
    }
    if let Some(l) = &o.label {
        if !v4 {
            return Err(invalid(
                format!("label {l}"),
                "labels are for IPv4 addresses only",
            ));
        }
        if l.is_empty() || l.len() > 15 {
            return Err(invalid(format!("label {l}"), "a label is 1 to 15 bytes"));
        }
        m.push_attr("IFA_LABEL", Value::Str(l.clone()));
    }
    let mut aflags = 0;
    if o.nodad {
        aflags |= IFA_F_NODAD;
    }
    if o.noprefixroute {
        aflags |= IFA_F_NOPREFIXROUTE;
    }
    if let Fixed::Addr(h) = &mut m.fixed {
        h.flags = (aflags & 0xff) as u8;
    }
    if aflags != 0 {
        m.push_attr("IFA_FLAGS", Value::U32(aflags));
    }
    if let Some(metric) = o.metric {
        m.push_attr("IFA_RT_PRIORITY", Value::U32(metric));
    }
    if o.valid_lft.is_some() || o.preferred_lft.is_some() {
        let valid = o.valid_lft.unwrap_or(INFINITY_LIFE_TIME);
        let preferred = o.preferred_lft.unwrap_or(valid);
        if valid == 0 {
            return Err(invalid("valid_lft 0", "the valid lifetime must be over 0"));
        }
        if preferred > valid {
            return Err(invalid(
                format!("preferred_lft {preferred}"),
                format!("the preferred lifetime is over the valid lifetime ({valid})"),
            ));
        }
        m.push_attr(
            "IFA_CACHEINFO",
            Value::Struct(vec![preferred.into(), valid.into(), 0, 0]),
        );
    }
    let mut op = format!("{verb} address {net}");
    if let Some(p) = o.peer {
        op += &format!(" peer {p}");
    }
    op += &format!(" on link {index}");
    Ok(Request::new(m, op))
}

/// Builds `ip addr add`: RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL.
pub fn addr_add(index: u32, net: IpNet, opts: &AddrOpts) -> Result<Request> {
    build(
        RTM_NEWADDR,
        NLM_F_CREATE | NLM_F_EXCL,
        index,
        net,
        opts,
        "add",
    )
}

/// Builds `ip addr replace`: RTM_NEWADDR with NLM_F_CREATE|NLM_F_REPLACE.
pub fn addr_replace(index: u32, net: IpNet, opts: &AddrOpts) -> Result<Request> {
    build(
        RTM_NEWADDR,
        NLM_F_CREATE | NLM_F_REPLACE,
        index,
        net,
        opts,
        "replace",
    )
}

/// Builds `ip addr del`.
pub fn addr_del(index: u32, net: IpNet) -> Result<Request> {
    build(RTM_DELADDR, 0, index, net, &AddrOpts::default(), "delete")
}

/// A delete request for an address message from a dump.
fn del_from_dump(m: &Message) -> Option<Request> {
    let Fixed::Addr(h) = &m.fixed else {
        return None;
    };
    let mut d = Message::new(RTM_DELADDR, 0, Fixed::Addr(*h));
    let local = m.get_attr("IFA_LOCAL").and_then(Value::as_ip);
    let address = m.get_attr("IFA_ADDRESS").and_then(Value::as_ip);
    if let Some(a) = local {
        d.push_attr("IFA_LOCAL", Value::Ip(a));
    }
    if let Some(a) = address {
        d.push_attr("IFA_ADDRESS", Value::Ip(a));
    }
    let shown = local.or(address)?;
    Some(Request::new(
        d,
        format!("delete address {shown}/{} on link {}", h.prefixlen, h.index),
    ))
}

impl IpRoute {
    /// Adds an address (`ip addr add ADDR/LEN dev ...`).
    ///
    /// Run as root, this example works in a namespace of its own:
    ///
    /// ```
    /// # fn main() -> rtnl::Result<()> {
    /// use rtnl::{request::AddrOpts, AddrFilter, IpRoute, NetnsRef};
    /// use std::os::unix::fs::MetadataExt;
    /// if std::fs::metadata("/proc/self").map_or(true, |m| m.uid() != 0) {
    ///     println!("skipped: needs root");
    ///     return Ok(());
    /// }
    /// // A throwaway namespace, deleted when `ns` drops: also on `?` or a panic.
    /// struct Throwaway(String);
    /// impl Drop for Throwaway {
    ///     fn drop(&mut self) {
    ///         let _ = rtnl::netns::del(&self.0);
    ///     }
    /// }
    /// let ns = Throwaway(format!("rtnl-doc-addr-{}", std::process::id()));
    /// rtnl::netns::add(&ns.0)?;
    /// let mut ipr = IpRoute::in_netns(&NetnsRef::Name(ns.0.clone()))?;
    /// let lo = ipr.link_index("lo")?;
    /// ipr.addr_add(lo, "10.9.0.1/24".parse()?, &AddrOpts::default())?;
    /// let addrs = ipr.get_addr(&AddrFilter { index: Some(lo), ..Default::default() })?;
    /// let want: std::net::IpAddr = "10.9.0.1".parse().unwrap();
    /// assert!(addrs
    ///     .iter()
    ///     .any(|a| a.get_attr("IFA_ADDRESS").and_then(|v| v.as_ip()) == Some(want)));
    /// ipr.addr_del(lo, "10.9.0.1/24".parse()?)?;
    /// # Ok(()) }
    /// ```
    pub fn addr_add(&mut self, index: u32, net: IpNet, opts: &AddrOpts) -> Result<()> {
        self.execute(addr_add(index, net, opts)?).map(drop)
    }
    /// Adds or changes an address (`ip addr replace`).
    pub fn addr_replace(&mut self, index: u32, net: IpNet, opts: &AddrOpts) -> Result<()> {
        self.execute(addr_replace(index, net, opts)?).map(drop)
    }
    /// Deletes an address (`ip addr del`).
    pub fn addr_del(&mut self, index: u32, net: IpNet) -> Result<()> {
        self.execute(addr_del(index, net)?).map(drop)
    }

    /// Deletes every address of link `index` of `family` (0 for all), as
    /// `ip addr flush dev ...`. Returns how many were deleted. Addresses
    /// that vanish on their own meanwhile (IPv4 secondaries go with their
    /// primary) are not errors. A failure says how many were deleted
    /// before it.
    pub fn addr_flush(&mut self, index: u32, family: u8) -> Result<usize> {
        let filter = AddrFilter {
            family,
            index: Some(index),
        };
        self.addr_flush_where(&filter, |_| true)
    }

    /// Deletes the addresses `filter` selects that `keep` accepts (`ip
    /// addr flush scope global`, `label eth0:*` ...), as
    /// [`IpRoute::addr_flush`] does.
    pub fn addr_flush_where(
        &mut self,
        filter: &AddrFilter,
        mut keep: impl FnMut(&Message) -> bool,
    ) -> Result<usize> {
        let addrs = self.dump_filtered_where(filter, |m| {
            family_of_msg(m).is_none_or(|f| filter.family == 0 || f == filter.family) && keep(m)
        })?;
        self.delete_each("addresses", &addrs, del_from_dump, EADDRNOTAVAIL)
    }
}

fn family_of_msg(m: &Message) -> Option<u8> {
    match &m.fixed {
        Fixed::Addr(h) => Some(h.family),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_requests() {
        let r = addr_add(
            3,
            "10.0.0.1/24".parse().unwrap(),
            &AddrOpts {
                broadcast: Some(Ipv4Addr::new(10, 0, 0, 255)),
                label: Some("v0:1".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(r.msg.header.flags, NLM_F_CREATE | NLM_F_EXCL);
        assert_eq!(r.op, "add address 10.0.0.1/24 on link 3");
        let e = addr_add(
            3,
            "2001:db8::1/64".parse().unwrap(),
            &AddrOpts {
                broadcast: Some(Ipv4Addr::new(10, 0, 0, 255)),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("IPv4 addresses only"), "{e}");
        let e = addr_add(
            3,
            "2001:db8::1/64".parse().unwrap(),
            &AddrOpts {
                valid_lft: Some(10),
                preferred_lft: Some(20),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("over the valid lifetime"), "{e}");
        let r = addr_add(
            3,
            "10.0.0.1/32".parse().unwrap(),
            &AddrOpts {
                peer: Some("10.0.0.2/30".parse().unwrap()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(matches!(r.msg.fixed, Fixed::Addr(h) if h.prefixlen == 30));
    }
}
