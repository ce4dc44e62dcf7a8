//! Routes: `ip route add | replace | append | change | del | get | flush`.

use std::fmt::Write as _;
use std::net::IpAddr;

use rtnl_wire::attr::Attr;
use rtnl_wire::family::route::{RtMsg, METRICS, ROUTE};
use rtnl_wire::message::{Fixed, Message};
use rtnl_wire::names::{
    RTM_F_CLONED, RTNH_F_ONLINK, RTN_ANYCAST, RTN_BLACKHOLE, RTN_BROADCAST, RTN_LOCAL,
    RTN_MULTICAST, RTN_NAT, RTN_PROHIBIT, RTN_THROW, RTN_UNICAST, RTN_UNREACHABLE, RTN_UNSPEC,
    RTPROT_BOOT, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN,
};
use rtnl_wire::netlink::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use rtnl_wire::rtm::{RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE};
use rtnl_wire::value::{NextHop, Via};
use rtnl_wire::Value;

use super::{family_of, invalid, IpNet, Request, AF_INET, AF_INET6};
use crate::error::{Error, Result};
use crate::filter::RouteFilter;
use crate::iproute::IpRoute;

/// ESRCH: the route is already gone.
const ESRCH: i32 = 3;
/// `RTM_F_FIB_MATCH`: `ip route get fibmatch`.
const RTM_F_FIB_MATCH: u32 = 0x2000;

/// A route type (`RTN_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RouteType {
    /// `unicast`.
    #[default]
    Unicast,
    /// `local`.
    Local,
    /// `broadcast`.
    Broadcast,
    /// `anycast`.
    Anycast,
    /// `multicast`.
    Multicast,
    /// `blackhole`: silently discard.
    Blackhole,
    /// `unreachable`: ICMP host unreachable.
    Unreachable,
    /// `prohibit`: ICMP administratively prohibited.
    Prohibit,
    /// `throw`: continue with the next rule.
    Throw,
    /// `nat`.
    Nat,
}

impl RouteType {
    /// The type named as `ip` names it (`blackhole` ...).
    pub fn from_name(s: &str) -> Result<RouteType> {
        let v = rtnl_wire::names::ROUTE_TYPES.value(s).ok_or_else(|| {
            invalid(
                s,
                "not a route type (unicast, local, blackhole, unreachable, prohibit, throw ...)",
            )
        })?;
        [
            RouteType::Unicast,
            RouteType::Local,
            RouteType::Broadcast,
            RouteType::Anycast,
            RouteType::Multicast,
            RouteType::Blackhole,
            RouteType::Unreachable,
            RouteType::Prohibit,
            RouteType::Throw,
            RouteType::Nat,
        ]
        .into_iter()
        .find(|t| u32::from(t.value()) == v)
        .ok_or_else(|| invalid(s, "this route type cannot be added"))
    }

    /// The `RTN_*` value.
    pub fn value(self) -> u8 {
        match self {
            RouteType::Unicast => RTN_UNICAST,
            RouteType::Local => RTN_LOCAL,
            RouteType::Broadcast => RTN_BROADCAST,
            RouteType::Anycast => RTN_ANYCAST,
            RouteType::Multicast => RTN_MULTICAST,
            RouteType::Blackhole => RTN_BLACKHOLE,
            RouteType::Unreachable => RTN_UNREACHABLE,
            RouteType::Prohibit => RTN_PROHIBIT,
            RouteType::Throw => RTN_THROW,
            RouteType::Nat => RTN_NAT,
        }
    }
}

/// One next hop of a multipath route (`nexthop via ADDR dev DEV weight W`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Nexthop {
    /// The gateway.
    pub gateway: Option<IpAddr>,
    /// The output link's index.
    pub oif: Option<u32>,
    /// Weight, 1 to 256 (0 is taken as 1).
    pub weight: u16,
    /// `onlink`: the gateway is on the link even without a matching prefix.
    pub onlink: bool,
}

/// A route, as `ip route add` takes it. Unset fields take `ip`'s defaults:
/// table main, protocol boot, type unicast, the scope from the type and
/// whether there is a gateway. On delete, unset fields match anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    /// AF_INET or AF_INET6; 0 infers it from the addresses (IPv4 when
    /// there are none).
    pub family: u8,
    /// The type; `None` is unicast (on delete: any type).
    pub kind: Option<RouteType>,
    /// The destination; `None` is `default`.
    pub dst: Option<IpNet>,
    /// `from`: the source prefix (IPv6 source routing).
    pub src: Option<IpNet>,
    /// `via`.
    pub gateway: Option<IpAddr>,
    /// `dev`: the output link's index.
    pub oif: Option<u32>,
    /// `src`: the preferred source address.
    pub prefsrc: Option<IpAddr>,
    /// `metric` (priority).
    pub metric: Option<u32>,
    /// `table`; `None` is main.
    pub table: Option<u32>,
    /// `scope` (`RT_SCOPE_*`).
    pub scope: Option<u8>,
    /// `proto` (`RTPROT_*`).
    pub protocol: Option<u8>,
    /// `tos`.
    pub tos: u8,
    /// `onlink`.
    pub onlink: bool,
    /// `nexthop ...` entries of a multipath route.
    pub nexthops: Vec<Nexthop>,
    /// RTA_METRICS: `(RTAX_*, value)` pairs, e.g. `(RTAX_MTU, 1400)`.
    pub metrics: Vec<(u16, u32)>,
}

impl Route {
    /// The address family this route is of, from its fields.
    pub fn infer_family(&self) -> u8 {
        if self.family != 0 {
            return self.family;
        }
        self.dst
            .map(|d| d.family())
            .or(self.src.map(|s| s.family()))
            .or(self.prefsrc.map(family_of))
            .or(self.gateway.map(family_of))
            .or(self.nexthops.iter().find_map(|n| n.gateway.map(family_of)))
            .unwrap_or(AF_INET)
    }
}

fn attr(name: &str, v: Value) -> Attr {
    Attr::new(&ROUTE, name, v).unwrap_or_else(|| panic!("{name} is in the route table"))
}

/// RTA_GATEWAY, or RTA_VIA when the gateway's family differs (IPv4 routes
/// via IPv6 gateways).
fn gateway_attr(family: u8, gw: IpAddr) -> Result<Attr> {
    if family_of(gw) == family {
        Ok(attr("RTA_GATEWAY", Value::Ip(gw)))
    } else if family == AF_INET {
        let addr = match gw {
            IpAddr::V6(a) => a.octets().to_vec(),
            IpAddr::V4(a) => a.octets().to_vec(),
        };
        Ok(attr(
            "RTA_VIA",
            Value::Via(Via {
                family: AF_INET6.into(),
                addr,
            }),
        ))
    } else {
        Err(invalid(
            format!("via {gw}"),
            "an IPv6 route cannot have an IPv4 gateway",
        ))
    }
}

fn describe(verb: &str, r: &Route, family: u8) -> String {
    let mut s = format!("{verb} route ");
    if let Some(k) = r.kind.filter(|k| *k != RouteType::Unicast) {
        let name = rtnl_wire::names::ROUTE_TYPES
            .name(k.value().into())
            .unwrap_or("?");
        s += name;
        s += " ";
    }
    match r.dst {
        None => s += "default",
        Some(d) if d.prefix_len == if family == AF_INET6 { 128 } else { 32 } => {
            let _ = write!(s, "{}", d.addr);
        }
        Some(d) => {
            let _ = write!(s, "{d}");
        }
    }
    if let Some(f) = r.src {
        let _ = write!(s, " from {f}");
    }
    if let Some(g) = r.gateway {
        let _ = write!(s, " via {g}");
    }
    if let Some(o) = r.oif {
        let _ = write!(s, " dev {o}");
    }
    for n in &r.nexthops {
        s += " nexthop";
        if let Some(g) = n.gateway {
            let _ = write!(s, " via {g}");
        }
        if let Some(o) = n.oif {
            let _ = write!(s, " dev {o}");
        }
        if n.weight > 1 {
            let _ = write!(s, " weight {}", n.weight);
        }
    }
    if let Some(t) = r.table.filter(|t| *t != RT_TABLE_MAIN) {
        let _ = write!(s, " table {t}");
    }
    if let Some(m) = r.metric {
        let _ = write!(s, " metric {m}");
    }
    s
}

fn build(kind: u16, flags: u16, r: &Route, verb: &str) -> Result<Request> {
    let del = kind == RTM_DELROUTE;
    let family = r.infer_family();
    if family != AF_INET && family != AF_INET6 {
        return Err(invalid(
            format!("family {family}"),
            "routes are IPv4 (2) or IPv6 (10)",
        ));
    }
    let check = |what: &str, a: IpAddr| -> Result<()> {
        if family_of(a) != family {
            return Err(invalid(
                format!("{what} {a}"),
                format!(
                    "an {} address in an {} route",
                    if family_of(a) == AF_INET {
                        "IPv4"
                    } else {
                        "IPv6"
                    },
                    if family == AF_INET { "IPv4" } else { "IPv6" }
                ),
            ));
        }
        Ok(())
    };
    if let Some(d) = r.dst {
        check("to", d.addr)?;
    }
    if let Some(s) = r.src {
        check("from", s.addr)?;
    }
    if let Some(p) = r.prefsrc {
        check("src", p)?;
    }
    if !r.nexthops.is_empty() && (r.gateway.is_some() || r.oif.is_some()) {
        return Err(invalid(
            "nexthop",
            "give either via/dev or nexthop entries, not both",
        ));
    }
    let rtype = match r.kind {
        Some(k) => k.value(),
        None if del => RTN_UNSPEC,
        None => RTN_UNICAST,
    };
    let has_gw = r.gateway.is_some() || !r.nexthops.is_empty();
    let scope = r.scope.unwrap_or(match rtype {
        RTN_LOCAL | RTN_NAT => RT_SCOPE_HOST,
        RTN_BROADCAST | RTN_MULTICAST | RTN_ANYCAST => RT_SCOPE_LINK,
        RTN_UNICAST | RTN_UNSPEC if del => RT_SCOPE_NOWHERE,
        RTN_UNICAST | RTN_UNSPEC if !has_gw => RT_SCOPE_LINK,
        _ => RT_SCOPE_UNIVERSE,
    });
    let table = r.table.unwrap_or(RT_TABLE_MAIN);
    let protocol = r.protocol.unwrap_or(if del { 0 } else { RTPROT_BOOT });
    let dst_len = r.dst.map_or(0, |d| d.prefix_len);
    let mut m = Message::new(
        kind,
        flags,
        Fixed::Route(RtMsg {
            family,
            dst_len,
            src_len: r.src.map_or(0, |s| s.prefix_len),
            tos: r.tos,
            table: if table < 256 { table as u8 } else { 0 },
            protocol,
            scope,
            kind: rtype,
            flags: if r.onlink { RTNH_F_ONLINK.into() } else { 0 },
        }),
    );
    if let Some(d) = r
        .dst
        .filter(|d| d.prefix_len > 0 || !d.addr.is_unspecified())
    {
        m.attrs.push(attr("RTA_DST", Value::Ip(d.addr)));
    }
    if let Some(s) = r.src.filter(|s| s.prefix_len > 0) {
        m.attrs.push(attr("RTA_SRC", Value::Ip(s.addr)));
    }
    if let Some(p) = r.prefsrc {
        m.attrs.push(attr("RTA_PREFSRC", Value::Ip(p)));
    }
    if let Some(g) = r.gateway {
        m.attrs.push(gateway_attr(family, g)?);
    }
    if let Some(o) = r.oif {
        if o == 0 {
            return Err(invalid("dev", "link index 0 names no link"));
        }
        m.attrs.push(attr("RTA_OIF", Value::U32(o)));
    }
    if let Some(p) = r.metric {
        m.attrs.push(attr("RTA_PRIORITY", Value::U32(p)));
    }
    m.attrs.push(attr("RTA_TABLE", Value::U32(table)));
    if !r.metrics.is_empty() {
        let mut ms = Vec::new();
        for &(id, v) in &r.metrics {
            let spec = METRICS
                .by_id(id)
                .filter(|s| matches!(s.kind, rtnl_wire::attr::AttrKind::U32))
                .ok_or_else(|| invalid(format!("metric {id}"), "not a numeric RTAX_* metric"))?;
            ms.push(Attr::new(&METRICS, spec.name, Value::U32(v)).expect("in table"));
        }
        m.attrs.push(attr("RTA_METRICS", Value::Nested(ms)));
    }
    if !r.nexthops.is_empty() {
        let mut hops = Vec::new();
        for n in &r.nexthops {
            let weight = n.weight.max(1);
            if weight > 256 {
                return Err(invalid(
                    format!("weight {weight}"),
                    "a next hop's weight is 1 to 256",
                ));
            }
            let mut attrs = Vec::new();
            if let Some(g) = n.gateway {
                attrs.push(gateway_attr(family, g)?);
            }
            hops.push(NextHop {
                flags: if n.onlink { RTNH_F_ONLINK } else { 0 },
                hops: (weight - 1) as u8,
                ifindex: n.oif.unwrap_or(0) as i32,
                attrs,
            });
        }
        m.attrs.push(attr("RTA_MULTIPATH", Value::Multipath(hops)));
    }
    Ok(Request::new(m, describe(verb, r, family)))
}

/// Builds `ip route add`: NLM_F_CREATE|NLM_F_EXCL.
pub fn route_add(r: &Route) -> Result<Request> {
    build(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r, "add")
}
/// Builds `ip route replace`: NLM_F_CREATE|NLM_F_REPLACE.
pub fn route_replace(r: &Route) -> Result<Request> {
    build(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r, "replace")
}
/// Builds `ip route append`: NLM_F_CREATE|NLM_F_APPEND.
pub fn route_append(r: &Route) -> Result<Request> {
    build(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND, r, "append")
}
/// Builds `ip route change`: NLM_F_REPLACE (the route must exist).
pub fn route_change(r: &Route) -> Result<Request> {
    build(RTM_NEWROUTE, NLM_F_REPLACE, r, "change")
}
/// Builds `ip route del`.
pub fn route_del(r: &Route) -> Result<Request> {
    build(RTM_DELROUTE, 0, r, "delete")
}

/// What `ip route get` asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteQuery {
    /// The destination.
    pub dst: IpAddr,
    /// `from`.
    pub src: Option<IpAddr>,
    /// `iif`: the input link (an input route lookup).
    pub iif: Option<u32>,
    /// `oif`.
    pub oif: Option<u32>,
    /// `mark`.
    pub mark: Option<u32>,
    /// `fibmatch`: return the FIB entry rather than the resolved route.
    pub fibmatch: bool,
}

impl RouteQuery {
    /// A plain lookup of `dst`.
    pub fn to(dst: IpAddr) -> RouteQuery {
        RouteQuery {
            dst,
            src: None,
            iif: None,
            oif: None,
            mark: None,
            fibmatch: false,
        }
    }
}

/// Builds `ip route get`.
pub fn route_get(q: &RouteQuery) -> Result<Request> {
    let family = family_of(q.dst);
    if let Some(s) = q.src.filter(|s| family_of(*s) != family) {
        return Err(invalid(
            format!("from {s}"),
            "the source's family differs from the destination's",
        ));
    }
    let full = if family == AF_INET { 32 } else { 128 };
    let mut m = Message::new(
        RTM_GETROUTE,
        0,
        Fixed::Route(RtMsg {
            family,
            dst_len: full,
            src_len: if q.src.is_some() { full } else { 0 },
            flags: if q.fibmatch { RTM_F_FIB_MATCH } else { 0 },
            ..Default::default()
        }),
    );
    m.attrs.push(attr("RTA_DST", Value::Ip(q.dst)));
    if let Some(s) = q.src {
        m.attrs.push(attr("RTA_SRC", Value::Ip(s)));
    }
    if let Some(i) = q.iif {
        m.attrs.push(attr("RTA_IIF", Value::U32(i)));
    }
    if let Some(o) = q.oif {
        m.attrs.push(attr("RTA_OIF", Value::U32(o)));
    }
    if let Some(k) = q.mark {
        m.attrs.push(attr("RTA_MARK", Value::U32(k)));
    }
    Ok(Request::new(m, format!("get route to {}", q.dst)))
}

/// A delete request for a route message from a dump.
fn del_from_dump(m: &Message) -> Option<Request> {
    let Fixed::Route(h) = &m.fixed else {
        return None;
    };
    let mut d = Message::new(RTM_DELROUTE, 0, Fixed::Route(*h));
    d.attrs = m
        .attrs
        .iter()
        .filter(|a| {
            !matches!(
                a.name(),
                Some("RTA_CACHEINFO" | "RTA_EXPIRES" | "RTA_PREF" | "RTA_MFC_STATS")
            )
        })
        .cloned()
        .collect();
    let dst = m.get_attr("RTA_DST").and_then(Value::as_ip);
    let shown = match dst {
        Some(a) => format!("{a}/{}", h.dst_len),
        None => "default".into(),
    };
    Some(Request::new(d, format!("delete route {shown}")))
}

impl IpRoute {
    /// Adds a route (`ip route add`).
    /// Run as root, this example works in a namespace of its own:
    ///
    /// ```
    /// # fn main() -> rtnl::Result<()> {
    /// use rtnl::request::{LinkChange, Route};
    /// use rtnl::{IpRoute, NetnsRef, RouteFilter};
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
    /// let ns = Throwaway(format!("rtnl-doc-route-{}", std::process::id()));
    /// rtnl::netns::add(&ns.0)?;
    /// let mut ipr = IpRoute::in_netns(&NetnsRef::Name(ns.0.clone()))?;
    /// let lo = ipr.link_index("lo")?;
    /// ipr.link_set(lo, &LinkChange { up: Some(true), ..Default::default() })?;
    /// let route = Route {
    ///     dst: Some("10.10.0.0/16".parse()?),
    ///     oif: Some(lo),
    ///     ..Default::default()
    /// };
    /// ipr.route_add(&route)?; // ip route add 10.10.0.0/16 dev lo
    /// let main = ipr.get_routes(&RouteFilter { table: Some(254), ..Default::default() })?;
    /// assert_eq!(main.len(), 1);
    /// ipr.route_del(&route)?;
    /// # Ok(()) }
    /// ```
    pub fn route_add(&mut self, r: &Route) -> Result<()> {
        self.execute(route_add(r)?).map(drop)
    }
    /// Adds or replaces a route (`ip route replace`).
    pub fn route_replace(&mut self, r: &Route) -> Result<()> {
        self.execute(route_replace(r)?).map(drop)
    }
    /// Adds a route after existing ones of the same key (`ip route append`).
    pub fn route_append(&mut self, r: &Route) -> Result<()> {
        self.execute(route_append(r)?).map(drop)
    }
    /// Changes an existing route (`ip route change`).
    pub fn route_change(&mut self, r: &Route) -> Result<()> {
        self.execute(route_change(r)?).map(drop)
    }
    /// Deletes a route (`ip route del`).
    pub fn route_del(&mut self, r: &Route) -> Result<()> {
        self.execute(route_del(r)?).map(drop)
    }
    /// Looks a route up (`ip route get`): the kernel's answer.
    pub fn route_get(&mut self, q: &RouteQuery) -> Result<Message> {
        let req = route_get(q)?;
        let op = req.op.clone();
        self.execute(req)?
            .into_iter()
            .find(|m| matches!(m.fixed, Fixed::Route(_)))
            .ok_or(Error::NotFound {
                what: "route",
                name: op,
            })
    }
    /// Deletes every route `filter` selects (`ip route flush table N`),
    /// except cloned (cache) entries. Returns how many were deleted. A
    /// failure says how many were deleted before it.
    pub fn route_flush(&mut self, filter: &RouteFilter) -> Result<usize> {
        self.route_flush_where(filter, |_| true)
    }
    /// [`IpRoute::route_flush`] of only the routes `keep` accepts among
    /// those `filter` selects: for selections a `RouteFilter` cannot
    /// express (`ip route flush root 10.0.0.0/8`, `via`, `scope` ...).
    pub fn route_flush_where(
        &mut self,
        filter: &RouteFilter,
        mut keep: impl FnMut(&Message) -> bool,
    ) -> Result<usize> {
        let routes = self.dump_filtered_where(filter, |m| {
            !matches!(&m.fixed, Fixed::Route(h) if h.flags & RTM_F_CLONED != 0) && keep(m)
        })?;
        self.delete_each("routes", &routes, del_from_dump, ESRCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_requests_read_like_ip() {
        let r = Route {
            dst: Some("10.1.0.0/16".parse().unwrap()),
            gateway: Some("10.0.0.9".parse().unwrap()),
            ..Default::default()
        };
        let req = route_add(&r).unwrap();
        assert_eq!(req.op, "add route 10.1.0.0/16 via 10.0.0.9");
        assert_eq!(req.msg.header.flags, NLM_F_CREATE | NLM_F_EXCL);
        let Fixed::Route(h) = req.msg.fixed else {
            panic!()
        };
        assert_eq!((h.scope, h.protocol, h.kind, h.table), (0, 3, 1, 254));
        let e = route_add(&Route {
            dst: Some("10.1.0.0/16".parse().unwrap()),
            gateway: Some("2001:db8::1".parse().unwrap()),
            family: AF_INET6,
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("IPv4 address in an IPv6 route"), "{e}");
        let e = route_add(&Route {
            nexthops: vec![Nexthop {
                weight: 300,
                ..Default::default()
            }],
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("weight"), "{e}");
    }
}
