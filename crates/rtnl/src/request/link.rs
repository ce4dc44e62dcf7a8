//! Links: `ip link add`, `ip link set`, `ip link del`.

use std::net::IpAddr;
use std::sync::Arc;

use rtnl_wire::attr::Attr;
use rtnl_wire::family::link::{IfInfoMsg, LINK, LINKINFO, VXLAN};
use rtnl_wire::message::{Fixed, Message};
use rtnl_wire::names::IFF_UP;
use rtnl_wire::netlink::{MessageWriter, NLM_F_CREATE, NLM_F_EXCL};
use rtnl_wire::rtm::{RTM_DELLINK, RTM_NEWLINK};
use rtnl_wire::view::FixedHeader;
use rtnl_wire::Value;

use super::{check_ifname, invalid, Request};
use crate::error::Result;
use crate::iproute::IpRoute;
#[cfg(target_os = "linux")]
use crate::NetnsRef;

/// The peer of a veth pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VethPeer {
    /// The peer's name.
    pub name: String,
    /// Create the peer in this namespace instead (`peer name P netns NS`).
    #[cfg(target_os = "linux")]
    pub netns: Option<NetnsRef>,
    /// The peer's MTU.
    pub mtu: Option<u32>,
    /// The peer's link-layer address.
    pub address: Option<Vec<u8>>,
}

/// A VXLAN device's parameters (`ip link add NAME type vxlan id VNI ...`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vxlan {
    /// The VXLAN network identifier (24 bits).
    pub id: u32,
    /// The UDP destination port (`dstport`); the kernel's default is 8472.
    pub dstport: Option<u16>,
    /// The local address (`local`).
    pub local: Option<IpAddr>,
    /// The unicast remote (`remote`).
    pub remote: Option<IpAddr>,
    /// The multicast group (`group`); needs `dev`.
    pub group: Option<IpAddr>,
    /// The underlying device's index (`dev`).
    pub dev: Option<u32>,
    /// The TTL (`ttl`); 0 inherits.
    pub ttl: Option<u8>,
    /// Whether unknown source addresses are learned (`[no]learning`).
    pub learning: Option<bool>,
}

/// A macvlan mode (`IFLA_MACVLAN_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MacvlanMode {
    /// `private`.
    Private,
    /// `vepa` (the kernel's default).
    #[default]
    Vepa,
    /// `bridge`.
    Bridge,
    /// `passthru`.
    Passthru,
    /// `source`.
    Source,
}

impl MacvlanMode {
    /// The mode named as `ip` names it.
    pub fn from_name(s: &str) -> Result<MacvlanMode> {
        Ok(match s {
            "private" => MacvlanMode::Private,
            "vepa" => MacvlanMode::Vepa,
            "bridge" => MacvlanMode::Bridge,
            "passthru" => MacvlanMode::Passthru,
            "source" => MacvlanMode::Source,
            _ => {
                return Err(invalid(
                    format!("mode {s}"),
                    "not a macvlan mode (private, vepa, bridge, passthru, source)",
                ))
            }
        })
    }

    fn value(self) -> u32 {
        match self {
            MacvlanMode::Private => 1,
            MacvlanMode::Vepa => 2,
            MacvlanMode::Bridge => 4,
            MacvlanMode::Passthru => 8,
            MacvlanMode::Source => 16,
        }
    }
}

/// The kind of a new link and its kind-specific data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkKind {
    /// A veth pair.
    Veth(VethPeer),
    /// A bridge.
    Bridge,
    /// A VXLAN tunnel.
    Vxlan(Vxlan),
    /// A macvlan on the parent given by [`LinkSpec::link`].
    Macvlan(MacvlanMode),
    /// An intermediate functional block.
    Ifb,
    /// Any other kind, sent with IFLA_INFO_KIND only.
    Other(String),
}

impl LinkKind {
    /// The kernel's kind name.
    pub fn name(&self) -> &str {
        match self {
            LinkKind::Veth(_) => "veth",
            LinkKind::Bridge => "bridge",
            LinkKind::Vxlan(_) => "vxlan",
            LinkKind::Macvlan(_) => "macvlan",
            LinkKind::Ifb => "ifb",
            LinkKind::Other(k) => k,
        }
    }
}

/// A link to create (`ip link add`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSpec {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: LinkKind,
    /// The parent link's index (`link DEV`; macvlan needs one).
    pub link: Option<u32>,
    /// MTU.
    pub mtu: Option<u32>,
    /// Link-layer address.
    pub address: Option<Vec<u8>>,
    /// Transmit queue length.
    pub txqueuelen: Option<u32>,
    /// Index of the master (bridge) to enslave it to.
    pub master: Option<u32>,
    /// Create it up.
    pub up: bool,
    /// Create it in this namespace.
    #[cfg(target_os = "linux")]
    pub netns: Option<NetnsRef>,
}

impl LinkSpec {
    /// A link of `kind` with nothing else set.
    pub fn new(name: &str, kind: LinkKind) -> LinkSpec {
        LinkSpec {
            name: name.to_string(),
            kind,
            link: None,
            mtu: None,
            address: None,
            txqueuelen: None,
            master: None,
            up: false,
            #[cfg(target_os = "linux")]
            netns: None,
        }
    }
    /// `ip link add NAME type veth peer name PEER`.
    pub fn veth(name: &str, peer: &str) -> LinkSpec {
        LinkSpec::new(
            name,
            LinkKind::Veth(VethPeer {
                name: peer.to_string(),
                ..Default::default()
            }),
        )
    }
    /// `ip link add NAME type bridge`.
    pub fn bridge(name: &str) -> LinkSpec {
        LinkSpec::new(name, LinkKind::Bridge)
    }
    /// `ip link add NAME type vxlan id VNI ...`.
    pub fn vxlan(name: &str, vxlan: Vxlan) -> LinkSpec {
        LinkSpec::new(name, LinkKind::Vxlan(vxlan))
    }
    /// `ip link add NAME link PARENT type macvlan mode MODE`.
    pub fn macvlan(name: &str, parent: u32, mode: MacvlanMode) -> LinkSpec {
        let mut s = LinkSpec::new(name, LinkKind::Macvlan(mode));
        s.link = Some(parent);
        s
    }
    /// `ip link add NAME type ifb`.
    pub fn ifb(name: &str) -> LinkSpec {
        LinkSpec::new(name, LinkKind::Ifb)
    }
}

/// A master to set (`master DEV`) or clear (`nomaster`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Master {
    /// Enslave to the link with this index.
    Index(u32),
    /// Release from its master.
    NoMaster,
}

/// Changes to an existing link (`ip link set`). Fields left `None` are not
/// touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkChange {
    /// `up` / `down`.
    pub up: Option<bool>,
    /// `mtu`.
    pub mtu: Option<u32>,
    /// `name` (rename).
    pub name: Option<String>,
    /// `address`.
    pub address: Option<Vec<u8>>,
    /// `master` / `nomaster`.
    pub master: Option<Master>,
    /// `txqueuelen`.
    pub txqueuelen: Option<u32>,
    /// `alias` (an empty string clears it).
    pub alias: Option<String>,
    /// `netns`: move the link to this namespace.
    #[cfg(target_os = "linux")]
    pub netns: Option<NetnsRef>,
}

fn push(m: &mut Message, name: &str, v: Value) {
    let ok = m.push_attr(name, v);
    debug_assert!(ok, "{name} is in the link table");
}

/// IFLA_NET_NS_PID or IFLA_NET_NS_FD for `ns`; an opened namespace file is
/// kept in `files` until the request is sent.
#[cfg(target_os = "linux")]
fn netns_attr(
    ns: &Option<NetnsRef>,
    files: &mut Vec<Arc<std::fs::File>>,
) -> Result<Option<(&'static str, Value)>> {
    match ns {
        None => Ok(None),
        Some(NetnsRef::Pid(pid)) => Ok(Some(("IFLA_NET_NS_PID", Value::U32(*pid)))),
        Some(r) => {
            use std::os::fd::AsRawFd;
            let f = std::fs::File::open(r.path()).map_err(|e| {
                invalid(
                    format!("netns {}", r.path().display()),
                    format!("cannot open the namespace: {e}"),
                )
            })?;
            let fd = f.as_raw_fd() as u32;
            files.push(Arc::new(f));
            Ok(Some(("IFLA_NET_NS_FD", Value::U32(fd))))
        }
    }
}

/// Builds `ip link add` for `spec`: RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL.
pub fn link_add(spec: &LinkSpec) -> Result<Request> {
    check_ifname("name", &spec.name)?;
    let mut files = Vec::new();
    let mut m = Message::new(
        RTM_NEWLINK,
        NLM_F_CREATE | NLM_F_EXCL,
        Fixed::Link(IfInfoMsg {
            flags: if spec.up { IFF_UP } else { 0 },
            change: if spec.up { IFF_UP } else { 0 },
            ..Default::default()
        }),
    );
    push(&mut m, "IFLA_IFNAME", Value::Str(spec.name.clone()));
    if let Some(l) = spec.link {
        push(&mut m, "IFLA_LINK", Value::U32(l));
    }
    if let Some(v) = spec.mtu {
        push(&mut m, "IFLA_MTU", Value::U32(v));
    }
    if let Some(a) = &spec.address {
        push(&mut m, "IFLA_ADDRESS", Value::LinkAddr(a.clone()));
    }
    if let Some(v) = spec.txqueuelen {
        push(&mut m, "IFLA_TXQLEN", Value::U32(v));
    }
    if let Some(v) = spec.master {
        push(&mut m, "IFLA_MASTER", Value::U32(v));
    }
    #[cfg(target_os = "linux")]
    if let Some((n, v)) = netns_attr(&spec.netns, &mut files)? {
        push(&mut m, n, v);
    }
    let kind = spec.kind.name();
    if kind.is_empty() {
        return Err(invalid("type", "a link kind cannot be empty"));
    }
    let mut info = vec![attr(&LINKINFO, "IFLA_INFO_KIND", Value::Str(kind.into()))];
    let mut op = format!("add link {} type {kind}", spec.name);
    let data: Vec<Attr> = match &spec.kind {
        LinkKind::Veth(peer) => {
            check_ifname("peer name", &peer.name)?;
            op += &format!(" peer {}", peer.name);
            vec![attr(
                &rtnl_wire::family::link::VETH,
                "VETH_INFO_PEER",
                Value::Bytes(veth_peer(peer, &mut files)?),
            )]
        }
        LinkKind::Vxlan(v) => {
            op += &format!(" id {}", v.id);
            vxlan_data(v)?
        }
        LinkKind::Macvlan(mode) => {
            if spec.link.is_none() {
                return Err(invalid(
                    "link",
                    "a macvlan needs its parent device (link DEV)",
                ));
            }
            vec![attr(
                &rtnl_wire::family::link::MACVLAN,
                "IFLA_MACVLAN_MODE",
                Value::U32(mode.value()),
            )]
        }
        LinkKind::Bridge | LinkKind::Ifb | LinkKind::Other(_) => Vec::new(),
    };
    if !data.is_empty() {
        info.push(attr(&LINKINFO, "IFLA_INFO_DATA", Value::Nested(data)));
    }
    push(&mut m, "IFLA_LINKINFO", Value::Nested(info));
    Ok(Request { msg: m, op, files })
}

fn attr(table: &rtnl_wire::attr::Table, name: &str, v: Value) -> Attr {
    Attr::new(table, name, v).unwrap_or_else(|| panic!("{name} is in table {}", table.name))
}

/// VETH_INFO_PEER: a `struct ifinfomsg` followed by the peer's attributes.
fn veth_peer(peer: &VethPeer, files: &mut Vec<Arc<std::fs::File>>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    IfInfoMsg::default().emit(&mut out);
    let mut attrs = vec![attr(&LINK, "IFLA_IFNAME", Value::Str(peer.name.clone()))];
    if let Some(v) = peer.mtu {
        attrs.push(attr(&LINK, "IFLA_MTU", Value::U32(v)));
    }
    if let Some(a) = &peer.address {
        attrs.push(attr(&LINK, "IFLA_ADDRESS", Value::LinkAddr(a.clone())));
    }
    #[cfg(target_os = "linux")]
    if let Some((n, v)) = netns_attr(&peer.netns, files)? {
        attrs.push(attr(&LINK, n, v));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = files;
    let mut w = MessageWriter::new();
    rtnl_wire::attr::emit_all(&attrs, &mut w);
    out.extend_from_slice(w.as_bytes());
    Ok(out)
}

fn vxlan_data(v: &Vxlan) -> Result<Vec<Attr>> {
    if v.id >= 1 << 24 {
        return Err(invalid(
            format!("id {}", v.id),
            "a VXLAN id (VNI) is below 16777216",
        ));
    }
    if v.remote.is_some() && v.group.is_some() {
        return Err(invalid("group", "give either remote or group, not both"));
    }
    let mut d = vec![attr(&VXLAN, "IFLA_VXLAN_ID", Value::U32(v.id))];
    let ip = |d: &mut Vec<Attr>, v4: &str, v6: &str, a: IpAddr| {
        let name = if a.is_ipv4() { v4 } else { v6 };
        d.push(attr(&VXLAN, name, Value::Ip(a)));
    };
    if let Some(g) = v.group {
        if !g.is_multicast() {
            return Err(invalid(
                format!("group {g}"),
                "a VXLAN group must be a multicast address (use remote for unicast)",
            ));
        }
        if v.dev.is_none() {
            return Err(invalid(
                format!("group {g}"),
                "a multicast group needs the underlying device (dev DEV)",
            ));
        }
        ip(&mut d, "IFLA_VXLAN_GROUP", "IFLA_VXLAN_GROUP6", g);
    }
    if let Some(r) = v.remote {
        if r.is_multicast() {
            return Err(invalid(
                format!("remote {r}"),
                "a VXLAN remote must be unicast (use group for multicast)",
            ));
        }
        ip(&mut d, "IFLA_VXLAN_GROUP", "IFLA_VXLAN_GROUP6", r);
    }
    if let Some(l) = v.local {
        if let Some(r) = v.remote.or(v.group) {
            if r.is_ipv4() != l.is_ipv4() {
                return Err(invalid(
                    format!("local {l}"),
                    "local and remote/group must be of the same family",
                ));
            }
        }
        ip(&mut d, "IFLA_VXLAN_LOCAL", "IFLA_VXLAN_LOCAL6", l);
    }
    if let Some(dev) = v.dev {
        d.push(attr(&VXLAN, "IFLA_VXLAN_LINK", Value::U32(dev)));
    }
    if let Some(t) = v.ttl {
        d.push(attr(&VXLAN, "IFLA_VXLAN_TTL", Value::U8(t)));
    }
    if let Some(p) = v.dstport {
        d.push(attr(&VXLAN, "IFLA_VXLAN_PORT", Value::U16(p)));
    }
    if let Some(l) = v.learning {
        d.push(attr(&VXLAN, "IFLA_VXLAN_LEARNING", Value::U8(l.into())));
    }
    Ok(d)
}

/// Builds `ip link set` for link `index`: RTM_NEWLINK without NLM_F_CREATE.
pub fn link_set(index: u32, change: &LinkChange) -> Result<Request> {
    if index == 0 {
        return Err(invalid("dev", "link index 0 names no link"));
    }
    #[cfg_attr(not(target_os = "linux"), allow(unused_mut))]
    let mut files = Vec::new();
    let (flags, mask) = match change.up {
        Some(true) => (IFF_UP, IFF_UP),
        Some(false) => (0, IFF_UP),
        None => (0, 0),
    };
    let mut m = Message::new(
        RTM_NEWLINK,
        0,
        Fixed::Link(IfInfoMsg {
            index: index as i32,
            flags,
            change: mask,
            ..Default::default()
        }),
    );
    let mut what = Vec::new();
    if let Some(up) = change.up {
        what.push(if up { "up".to_string() } else { "down".into() });
    }
    if let Some(n) = &change.name {
        check_ifname("name", n)?;
        push(&mut m, "IFLA_IFNAME", Value::Str(n.clone()));
        what.push(format!("name {n}"));
    }
    if let Some(v) = change.mtu {
        push(&mut m, "IFLA_MTU", Value::U32(v));
        what.push(format!("mtu {v}"));
    }
    if let Some(a) = &change.address {
        push(&mut m, "IFLA_ADDRESS", Value::LinkAddr(a.clone()));
        what.push(format!("address {}", rtnl_wire::value::hex_colon(a)));
    }
    match change.master {
        Some(Master::Index(i)) => {
            if i == index {
                return Err(invalid("master", "a link cannot be its own master"));
            }
            push(&mut m, "IFLA_MASTER", Value::U32(i));
            what.push(format!("master {i}"));
        }
        Some(Master::NoMaster) => {
            push(&mut m, "IFLA_MASTER", Value::U32(0));
            what.push("nomaster".into());
        }
        None => {}
    }
    if let Some(v) = change.txqueuelen {
        push(&mut m, "IFLA_TXQLEN", Value::U32(v));
        what.push(format!("txqueuelen {v}"));
    }
    if let Some(a) = &change.alias {
        if a.len() >= 256 {
            return Err(invalid("alias", "an alias is at most 255 bytes"));
        }
        push(&mut m, "IFLA_IFALIAS", Value::Str(a.clone()));
        what.push(format!("alias {a:?}"));
    }
    #[cfg(target_os = "linux")]
    if let Some((n, v)) = netns_attr(&change.netns, &mut files)? {
        push(&mut m, n, v);
        if let Some(ns) = &change.netns {
            what.push(format!("netns {}", ns.path().display()));
        }
    }
    if what.is_empty() {
        return Err(invalid("link set", "nothing to change"));
    }
    Ok(Request {
        msg: m,
        op: format!("set link {index} {}", what.join(" ")),
        files,
    })
}

/// Builds `ip link del` for link `index`.
pub fn link_del(index: u32) -> Result<Request> {
    if index == 0 {
        return Err(invalid("dev", "link index 0 names no link"));
    }
    Ok(Request::new(
        Message::new(
            RTM_DELLINK,
            0,
            Fixed::Link(IfInfoMsg {
                index: index as i32,
                ..Default::default()
            }),
        ),
        format!("delete link {index}"),
    ))
}

impl IpRoute {
    /// Creates a link (`ip link add`).
    pub fn link_add(&mut self, spec: &LinkSpec) -> Result<()> {
        self.execute(link_add(spec)?).map(drop)
    }
    /// Changes a link (`ip link set`).
    pub fn link_set(&mut self, index: u32, change: &LinkChange) -> Result<()> {
        self.execute(link_set(index, change)?).map(drop)
    }
    /// Deletes a link (`ip link del`); a veth's peer goes with it.
    pub fn link_del(&mut self, index: u32) -> Result<()> {
        self.execute(link_del(index)?).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn veth_request_carries_the_peer() {
        let r = link_add(&LinkSpec::veth("v0", "v1")).unwrap();
        assert_eq!(r.msg.header.flags, NLM_F_CREATE | NLM_F_EXCL);
        let peer = r
            .msg
            .get_nested(&["IFLA_LINKINFO", "IFLA_INFO_DATA", "VETH_INFO_PEER"])
            .and_then(Value::as_bytes)
            .unwrap();
        let attrs = rtnl_wire::attr::decode_all(&LINK, &peer[16..]).unwrap();
        assert_eq!(
            rtnl_wire::attr::find(&attrs, "IFLA_IFNAME").unwrap().value,
            Value::Str("v1".into())
        );
        assert_eq!(r.op, "add link v0 type veth peer v1");
    }

    #[test]
    fn bad_links_are_refused() {
        let e = link_add(&LinkSpec::veth("v0", "")).unwrap_err().to_string();
        assert!(e.contains("peer name"), "{e}");
        let mut m = LinkSpec::new("m0", LinkKind::Macvlan(MacvlanMode::Bridge));
        assert!(link_add(&m).unwrap_err().to_string().contains("parent"));
        m.link = Some(2);
        assert!(link_add(&m).is_ok());
        let e = link_add(&LinkSpec::vxlan(
            "vx",
            Vxlan {
                id: 1 << 24,
                ..Default::default()
            },
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("16777216"), "{e}");
        assert!(link_set(3, &LinkChange::default()).is_err());
    }
}
