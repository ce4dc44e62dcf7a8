//! Filling the namespace through the library's batch path: an `ifb0` link
//! that is up (10.0.0.1/24, fd00::1/64), veth pairs with addresses, and the
//! route sets the benchmark dumps, adds, deletes and storms with.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Instant;

use rtnl::request::{self, AddrOpts, IpNet, LinkChange, LinkSpec, Request, Route};
use rtnl::wire::message::Fixed;
use rtnl::{IpRoute, LinkFilter};

/// A set of routes: where its destinations start and which table it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    /// 100.64.0.0 + i /32 via 10.0.0.2 dev ifb0, table 100: the dumped table.
    Dump4,
    /// 2001:db8:(i>>16):(i&0xffff)::/64 via fd00::2 dev ifb0, table 200.
    Dump6,
    /// 198.18.0.0 + i /32 via 10.0.0.2 dev ifb0, table 300: bulk adds/deletes.
    Bulk,
    /// 172.32.0.0 + i /32 via 10.0.0.2 dev ifb0, table 400: the storm.
    Storm,
}

pub const BULK: Set = Set::Bulk;

impl Set {
    pub fn table(self) -> u32 {
        match self {
            Set::Dump4 => 100,
            Set::Dump6 => 200,
            Set::Bulk => 300,
            Set::Storm => 400,
        }
    }

    /// The i-th destination.
    pub fn dst(self, i: usize) -> IpNet {
        let v4 = |base: [u8; 4]| IpNet {
            addr: IpAddr::V4(Ipv4Addr::from(u32::from(Ipv4Addr::from(base)) + i as u32)),
            prefix_len: 32,
        };
        match self {
            Set::Dump4 => v4([100, 64, 0, 0]),
            Set::Bulk => v4([198, 18, 0, 0]),
            Set::Storm => v4([172, 32, 0, 0]),
            Set::Dump6 => IpNet {
                addr: IpAddr::V6(Ipv6Addr::new(
                    0x2001,
                    0xdb8,
                    (i >> 16) as u16,
                    (i & 0xffff) as u16,
                    0,
                    0,
                    0,
                    0,
                )),
                prefix_len: 64,
            },
        }
    }

    fn gateway(self) -> IpAddr {
        match self {
            Set::Dump6 => IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 2)),
            _ => IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
        }
    }

    /// The i-th route; for a delete only what identifies it.
    pub fn route(self, i: usize, oif: u32, delete: bool) -> Route {
        let dst = self.dst(i);
        let mut r = Route {
            family: dst.family(),
            dst: Some(dst),
            table: Some(self.table()),
            ..Default::default()
        };
        if !delete {
            r.gateway = Some(self.gateway());
            r.oif = Some(oif);
        }
        r
    }

    /// The i-th route as a line of `ip -batch`.
    pub fn batch_line(self, i: usize, delete: bool) -> String {
        let dst = self.dst(i);
        let table = self.table();
        if delete {
            format!("route del {dst} table {table}\n")
        } else {
            format!(
                "route add {dst} via {} dev ifb0 table {table}\n",
                self.gateway()
            )
        }
    }
}

/// Requests per `request_batch` call while populating (bounds memory).
const CHUNK: usize = 50_000;

/// Sends `reqs` through `request_batch`, failing on the first error.
pub fn send_all(ipr: &mut IpRoute, mut reqs: Vec<Request>) -> Result<(), String> {
    let n = reqs.len();
    let out = ipr
        .request_batch(&mut reqs, true)
        .map_err(|e| e.to_string())?;
    if let Some((i, e)) = out.first_error() {
        return Err(format!("request {i} of {n}: {e}"));
    }
    if out.results.len() != n {
        return Err(format!(
            "only {} of {n} requests were sent",
            out.results.len()
        ));
    }
    Ok(())
}

/// Adds (or deletes) routes `from..to` of `set` through `request_batch`.
pub fn batch_routes(
    ipr: &mut IpRoute,
    set: Set,
    from: usize,
    to: usize,
    oif: u32,
    delete: bool,
) -> Result<(), String> {
    let mut i = from;
    while i < to {
        let end = (i + CHUNK).min(to);
        let reqs = (i..end)
            .map(|k| {
                let r = set.route(k, oif, delete);
                if delete {
                    request::route_del(&r)
                } else {
                    request::route_add(&r)
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        send_all(ipr, reqs)?;
        i = end;
    }
    Ok(())
}

pub fn ifb_index(ipr: &mut IpRoute) -> Result<u32, String> {
    ipr.link_lookup("ifb0")
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "no ifb0 in the namespace".to_string())
}

/// One line of the population report.
pub struct Step {
    pub what: String,
    pub count: usize,
    pub secs: f64,
}

fn timed(
    steps: &mut Vec<Step>,
    what: &str,
    count: usize,
    f: impl FnOnce() -> Result<(), String>,
) -> Result<(), String> {
    let start = Instant::now();
    f()?;
    let secs = start.elapsed().as_secs_f64();
    eprintln!("  {what}: {count} in {secs:.2} s");
    steps.push(Step {
        what: what.to_string(),
        count,
        secs,
    });
    Ok(())
}

/// lo and ifb0 up with their addresses, `veth` pairs with an IPv4 address
/// on each end, `v6` IPv6 routes. `before_veths` runs once ifb0 has its
/// addresses. Returns ifb0's index.
pub fn base(
    ipr: &mut IpRoute,
    veth: usize,
    v6: usize,
    steps: &mut Vec<Step>,
    before_veths: impl FnOnce() -> Result<(), String>,
) -> Result<u32, String> {
    let e = |e: rtnl::Error| e.to_string();
    ipr.link_set(
        1,
        &LinkChange {
            up: Some(true),
            ..Default::default()
        },
    )
    .map_err(e)?;
    let mut ifb = LinkSpec::ifb("ifb0");
    ifb.up = true;
    ipr.link_add(&ifb).map_err(e)?;
    let oif = ifb_index(ipr)?;
    ipr.addr_add(oif, "10.0.0.1/24".parse().map_err(e)?, &AddrOpts::default())
        .map_err(e)?;
    let nodad = AddrOpts {
        nodad: true,
        ..Default::default()
    };
    ipr.addr_add(oif, "fd00::1/64".parse().map_err(e)?, &nodad)
        .map_err(e)?;
    before_veths()?;

    timed(steps, "veth pairs (up)", veth, || {
        let mut reqs = Vec::with_capacity(veth);
        for i in 0..veth {
            let mut spec = LinkSpec::veth(&format!("va{i}"), &format!("vb{i}"));
            spec.up = true;
            reqs.push(request::link_add(&spec).map_err(e)?);
        }
        send_all(ipr, reqs)
    })?;
    timed(steps, "veth addresses", 2 * veth, || {
        let links = ipr.get_links(&LinkFilter::default()).map_err(e)?;
        let index: HashMap<String, u32> = links
            .iter()
            .filter_map(|m| {
                let Fixed::Link(h) = &m.fixed else {
                    return None;
                };
                let name = m.get_attr("IFLA_IFNAME")?.as_str()?;
                Some((name.to_string(), h.index as u32))
            })
            .collect();
        let mut reqs = Vec::with_capacity(2 * veth);
        for i in 0..veth {
            // 172.16.0.0/12 in /30s: .1 on va, .2 on vb.
            let net = 0xac10_0000u32 + 4 * i as u32;
            for (end, host) in [("va", 1), ("vb", 2)] {
                let name = format!("{end}{i}");
                let idx = *index.get(&name).ok_or(format!("no link {name}"))?;
                let addr = IpNet::new(IpAddr::V4(Ipv4Addr::from(net + host)), 30).map_err(e)?;
                reqs.push(request::addr_add(idx, addr, &AddrOpts::default()).map_err(e)?);
            }
        }
        send_all(ipr, reqs)
    })?;
    timed(steps, "IPv6 routes (table 200)", v6, || {
        batch_routes(ipr, Set::Dump6, 0, v6, oif, false)
    })?;
    Ok(oif)
}
