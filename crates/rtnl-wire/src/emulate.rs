//! Answering RTNL requests from a snapshot of translated messages, with the
//! bytes a Linux kernel would send.
//!
//! Every platform without a kernel RTNL (the BSDs and macOS through
//! rtnl-pfroute's translator, Windows through its iphlpapi snapshot) answers
//! requests here, so that `IpRoute` above sees the same replies everywhere.
//! Pure code: no I/O.
//!
//! [`emulate`] takes request bytes (one or more netlink messages) and a
//! snapshot (the platform's objects already translated into RTNL messages)
//! and returns the reply datagrams:
//!
//! - **Dumps** (`RTM_GETLINK`, `RTM_GETADDR`, `RTM_GETROUTE`,
//!   `RTM_GETNEIGH` with `NLM_F_DUMP`): every matching `RTM_NEW*` message of
//!   the snapshot with `NLM_F_MULTI` and the request's seq and pid, then
//!   `NLMSG_DONE` (payload `0i32`, `NLM_F_MULTI`). Order as Linux: links by
//!   index; addresses, routes and neighbours IPv4 first, then IPv6 (the
//!   per-family dumpers run in family order), addresses by index and routes
//!   by table within a family; the snapshot order otherwise.
//! - **Filters**, as the kernel applies them under strict checking:
//!   the request family (`AF_UNSPEC` = all; a link dump for `AF_BRIDGE`
//!   lists bridge ports, of which there are none); links: `IFLA_MASTER` and
//!   the `IFLA_LINKINFO` kind (no BSD link has either, so these give empty
//!   dumps, as on a Linux host without bridges); addresses: `ifa_index`;
//!   routes: `rtm_table`/`RTA_TABLE`, `RTA_OIF`, `rtm_protocol`,
//!   `rtm_type`, and `RTM_F_CLONED` (cloned routes only when asked, and
//!   then only those); neighbours: `NDA_IFINDEX`, `NDA_MASTER` and
//!   `NTF_PROXY` (proxy entries only when asked, and then only those).
//!   A filtered dump sets `NLM_F_DUMP_FILTERED` on its object messages. An
//!   `ifa_index` or `RTA_OIF` naming no link of the snapshot ends the dump
//!   with `NLMSG_DONE` carrying `-ENODEV`, as Linux does.
//! - **`RTM_GETLINK` without `NLM_F_DUMP`**: the link by `ifi_index`, else
//!   by `IFLA_IFNAME`, as one message (no `NLM_F_MULTI`); `-ENODEV` when
//!   none.
//! - **Everything else** (`RTM_NEW*`, `RTM_DEL*`, `RTM_SET*`, rule dumps,
//!   single-object gets other than links, unknown types): `NLMSG_ERROR`
//!   with `-EOPNOTSUPP` and the extended-ack text
//!   `"RTM_NEWROUTE is not supported on <platform>"`
//!   (`NLM_F_CAPPED | NLM_F_ACK_TLVS`, the request header echoed).
//! - `NLM_F_ACK` on a successful non-dump request adds an ack
//!   (`NLMSG_ERROR` with 0). Messages without `NLM_F_REQUEST` and control
//!   messages (types below 16) are skipped, acked when they ask. A framing
//!   error ends the request buffer, as in the kernel.
//!
//! The reply is cut into datagrams of at most [`MAX_DATAGRAM`] bytes, never
//! inside a message; each request's answer starts a new datagram, and a
//! message larger than the limit travels alone.

use crate::errno::{ENODEV, EOPNOTSUPP};
use crate::family::addr::AddrView;
use crate::family::link::{LinkView, IFLA_MASTER};
use crate::family::neigh::{NeighView, NDA_IFINDEX, NDA_MASTER};
use crate::family::route::{RouteView, RtMsg, RTA_OIF, RTA_TABLE};
use crate::names::{AF_BRIDGE, AF_INET, AF_INET6, NTF_PROXY, RTM_F_CLONED};
use crate::netlink::{
    ext_ack, MessageWriter, Messages, NlHeader, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_ACK_TLVS,
    NLM_F_CAPPED, NLM_F_DUMP, NLM_F_DUMP_FILTERED, NLM_F_MULTI, NLM_F_REQUEST,
};
use crate::rtm::{self, Family};
use crate::{Fixed, Message};

/// Largest datagram [`emulate`] returns (32 KiB, the size of Linux's dump
/// buffers).
pub const MAX_DATAGRAM: usize = 32 * 1024;

/// Smallest message type that is not a netlink control message.
const NLMSG_MIN_TYPE: u16 = 16;

/// Answers the requests in `request` from `snapshot`; see the module docs.
pub fn emulate(platform: &str, request: &[u8], snapshot: &[Message]) -> Vec<Vec<u8>> {
    let mut out = Replies::default();
    for msg in Messages::new(request) {
        let Ok(msg) = msg else { break };
        let h = msg.header;
        if h.flags & NLM_F_REQUEST == 0 || h.kind < NLMSG_MIN_TYPE {
            if h.flags & NLM_F_ACK != 0 {
                out.single(ack(&h, 0, None));
            }
            continue;
        }
        let family = Family::of_type(h.kind);
        let is_get = family.is_some_and(|f| f.get_type() == h.kind);
        match family {
            Some(f) if is_get && h.flags & NLM_F_DUMP != 0 && f != Family::Rule => {
                out.dump(&h, dump(f, msg.payload, snapshot));
            }
            Some(Family::Link) if is_get => match get_link(msg.payload, snapshot) {
                Some(link) => {
                    let mut m = link.clone();
                    m.header = NlHeader {
                        len: 0,
                        kind: m.header.kind,
                        flags: 0,
                        seq: h.seq,
                        pid: h.pid,
                    };
                    out.single(m.to_bytes());
                    if h.flags & NLM_F_ACK != 0 {
                        out.single(ack(&h, 0, None));
                    }
                }
                None => out.single(ack(&h, -ENODEV, Some("no such device"))),
            },
            _ => {
                let op = rtm::type_name(h.kind)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("message type {}", h.kind));
                let text = format!("{op} is not supported on {}", platform);
                out.single(ack(&h, -EOPNOTSUPP, Some(&text)));
            }
        }
    }
    out.finish()
}

/// An `NLMSG_ERROR` for `req` with `code` (0 = ack), the request header
/// echoed (`NLM_F_CAPPED`) and, with a text, `NLM_F_ACK_TLVS` +
/// `NLMSGERR_ATTR_MSG`.
fn ack(req: &NlHeader, code: i32, text: Option<&str>) -> Vec<u8> {
    let mut flags = NLM_F_CAPPED;
    if text.is_some() {
        flags |= NLM_F_ACK_TLVS;
    }
    let mut w = MessageWriter::new();
    let m = w.begin_message(NLMSG_ERROR, flags, req.seq, req.pid);
    w.put_bytes(&code.to_ne_bytes());
    let mut echoed = Vec::with_capacity(16);
    req.emit(&mut echoed);
    w.put_bytes(&echoed);
    if let Some(t) = text {
        w.put_str(ext_ack::NLMSGERR_ATTR_MSG, t);
    }
    w.end_message(m);
    w.into_vec()
}

/// The outcome of a dump: messages to send (already filtered), whether a
/// filter was set, and the status `NLMSG_DONE` carries.
struct DumpReply<'a> {
    msgs: Vec<&'a Message>,
    filtered: bool,
    status: i32,
}

impl<'a> DumpReply<'a> {
    fn error(code: i32) -> DumpReply<'a> {
        DumpReply {
            msgs: Vec::new(),
            filtered: false,
            status: -code,
        }
    }
}

fn u32_attr(attrs: &[(u16, u32)], id: u16) -> Option<u32> {
    attrs.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

/// Top-level u32 attributes of a request's attribute area.
fn request_u32s(area: &[u8]) -> Vec<(u16, u32)> {
    crate::nla::NlaIter::new(area)
        .flatten()
        .filter_map(|a| Some((a.kind(), a.u32()?)))
        .collect()
}

fn link_exists(snapshot: &[Message], index: u32) -> bool {
    snapshot.iter().any(|m| {
        m.header.kind == rtm::RTM_NEWLINK
            && matches!(&m.fixed, Fixed::Link(h) if h.index as u32 == index)
    })
}

/// The family byte of a request payload (0 when empty).
fn request_family(payload: &[u8]) -> u8 {
    payload.first().copied().unwrap_or(0)
}

/// Family order of Linux's per-family dumpers: IPv4, then IPv6.
fn family_rank(f: u8) -> u8 {
    match f {
        AF_INET => 0,
        AF_INET6 => 1,
        _ => 2,
    }
}

fn dump<'a>(family: Family, payload: &[u8], snapshot: &'a [Message]) -> DumpReply<'a> {
    let new_type = family.new_type();
    let objects = snapshot.iter().filter(|m| m.header.kind == new_type);
    let want_family = request_family(payload);
    let fam_ok = |f: u8| want_family == 0 || f == want_family;
    let mut filtered = false;
    let mut msgs: Vec<&Message> = match family {
        Family::Link => {
            // Short (legacy rtgenmsg) requests carry no filters.
            let v = LinkView::parse(payload).ok();
            let attrs = v.map(|v| v.attr_bytes()).unwrap_or_default();
            let master = u32_attr(&request_u32s(attrs), IFLA_MASTER).filter(|&m| m != 0);
            let kind = v.and_then(|v| v.kind().map(str::to_string));
            filtered = master.is_some() || kind.is_some();
            if want_family == AF_BRIDGE {
                Vec::new()
            } else {
                let mut l: Vec<&Message> = objects
                    .filter(|m| master.is_none_or(|mi| link_master(m) == Some(mi)))
                    .filter(|m| kind.is_none() || link_kind(m) == kind.as_deref())
                    .collect();
                l.sort_by_key(|m| match &m.fixed {
                    Fixed::Link(h) => h.index,
                    _ => 0,
                });
                l
            }
        }
        Family::Addr => {
            let index = AddrView::parse(payload).map_or(0, |v| v.hdr.index);
            if index != 0 {
                if !link_exists(snapshot, index) {
                    return DumpReply::error(ENODEV);
                }
                filtered = true;
            }
            let mut l: Vec<&Message> = objects
                .filter(|m| match &m.fixed {
                    Fixed::Addr(h) => fam_ok(h.family) && (index == 0 || h.index == index),
                    _ => false,
                })
                .collect();
            l.sort_by_key(|m| match &m.fixed {
                Fixed::Addr(h) => (family_rank(h.family), h.index),
                _ => (3, 0),
            });
            l
        }
        Family::Route => {
            let v = RouteView::parse(payload).ok();
            let attrs = request_u32s(v.map(|v| v.attr_bytes()).unwrap_or_default());
            let hdr = v.map(|v| v.hdr).unwrap_or_default();
            let table = u32_attr(&attrs, RTA_TABLE).unwrap_or(u32::from(hdr.table));
            let oif = u32_attr(&attrs, RTA_OIF).filter(|&o| o != 0);
            let cloned = hdr.flags & RTM_F_CLONED != 0;
            if let Some(o) = oif {
                if !link_exists(snapshot, o) {
                    return DumpReply::error(ENODEV);
                }
            }
            filtered = table != 0 || oif.is_some() || hdr.protocol != 0 || hdr.kind != 0 || cloned;
            let mut l: Vec<&Message> = objects
                .filter(|m| {
                    let Fixed::Route(h) = &m.fixed else {
                        return false;
                    };
                    let t = route_table(m, h);
                    fam_ok(h.family)
                        && (table == 0 || t == table)
                        && (hdr.protocol == 0 || h.protocol == hdr.protocol)
                        && (hdr.kind == 0 || h.kind == hdr.kind)
                        && ((h.flags & RTM_F_CLONED != 0) == cloned)
                        && oif.is_none_or(|o| {
                            m.get_attr("RTA_OIF").and_then(|v| v.as_u32()) == Some(o)
                        })
                })
                .collect();
            l.sort_by_key(|m| match &m.fixed {
                Fixed::Route(h) => (family_rank(h.family), route_table(m, h)),
                _ => (3, 0),
            });
            l
        }
        Family::Neigh => {
            let v = NeighView::parse(payload).ok();
            let attrs = request_u32s(v.map(|v| v.attr_bytes()).unwrap_or_default());
            let proxy = v.is_some_and(|v| v.hdr.flags & NTF_PROXY != 0);
            let ifindex = u32_attr(&attrs, NDA_IFINDEX).filter(|&i| i != 0);
            let master = u32_attr(&attrs, NDA_MASTER).filter(|&i| i != 0);
            filtered = ifindex.is_some() || master.is_some();
            let mut l: Vec<&Message> = objects
                .filter(|m| {
                    let Fixed::Neigh(h) = &m.fixed else {
                        return false;
                    };
                    fam_ok(h.family)
                        && ifindex.is_none_or(|i| h.ifindex as u32 == i)
                        // No BSD neighbour sits on a bridge port.
                        && master.is_none()
                        && ((h.flags & NTF_PROXY != 0) == proxy)
                })
                .collect();
            l.sort_by_key(|m| match &m.fixed {
                Fixed::Neigh(h) => family_rank(h.family),
                _ => 3,
            });
            l
        }
        Family::Rule => Vec::new(),
    };
    msgs.retain(|m| m.family() == Some(family));
    DumpReply {
        msgs,
        filtered,
        status: 0,
    }
}

fn route_table(m: &Message, h: &RtMsg) -> u32 {
    m.get_attr("RTA_TABLE")
        .and_then(|v| v.as_u32())
        .unwrap_or(u32::from(h.table))
}

fn link_master(m: &Message) -> Option<u32> {
    m.get_attr("IFLA_MASTER").and_then(|v| v.as_u32())
}

fn link_kind(m: &Message) -> Option<&str> {
    m.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
        .and_then(|v| v.as_str())
}

/// `RTM_GETLINK` without `NLM_F_DUMP`: by index, else by name.
fn get_link<'a>(payload: &[u8], snapshot: &'a [Message]) -> Option<&'a Message> {
    let v = LinkView::parse(payload).ok()?;
    let links = snapshot
        .iter()
        .filter(|m| m.header.kind == rtm::RTM_NEWLINK);
    if v.hdr.index > 0 {
        let want = v.hdr.index;
        return links
            .into_iter()
            .find(|m| matches!(&m.fixed, Fixed::Link(h) if h.index == want));
    }
    let name = v.name()?;
    links
        .into_iter()
        .find(|m| m.get_attr("IFLA_IFNAME").and_then(|v| v.as_str()) == Some(name))
}

/// Reply datagrams under construction.
#[derive(Default)]
struct Replies {
    done: Vec<Vec<u8>>,
    cur: Vec<u8>,
}

impl Replies {
    /// Appends one message, starting a new datagram when it would not fit.
    fn push(&mut self, bytes: Vec<u8>) {
        if !self.cur.is_empty() && self.cur.len() + bytes.len() > MAX_DATAGRAM {
            self.done.push(std::mem::take(&mut self.cur));
        }
        if self.cur.is_empty() {
            self.cur = bytes;
        } else {
            self.cur.extend_from_slice(&bytes);
        }
    }

    /// Closes the current datagram.
    fn flush(&mut self) {
        if !self.cur.is_empty() {
            self.done.push(std::mem::take(&mut self.cur));
        }
    }

    /// One message as its own datagram.
    fn single(&mut self, bytes: Vec<u8>) {
        self.flush();
        self.push(bytes);
        self.flush();
    }

    fn dump(&mut self, req: &NlHeader, reply: DumpReply<'_>) {
        self.flush();
        let mut flags = NLM_F_MULTI;
        if reply.filtered {
            flags |= NLM_F_DUMP_FILTERED;
        }
        for m in reply.msgs {
            let mut m = m.clone();
            m.header = NlHeader {
                len: 0,
                kind: m.header.kind,
                flags,
                seq: req.seq,
                pid: req.pid,
            };
            self.push(m.to_bytes());
        }
        let mut done = Message::new(NLMSG_DONE, NLM_F_MULTI, Fixed::Done(reply.status));
        done.header.seq = req.seq;
        done.header.pid = req.pid;
        self.push(done.to_bytes());
        self.flush();
    }

    fn finish(mut self) -> Vec<Vec<u8>> {
        self.flush();
        self.done
    }
}
