//! Owned, parsed messages, shaped like pyroute2's: the netlink header, the
//! family's fixed fields, and attributes addressable by their kernel names.

use std::fmt;

use serde_json::{json, Value as Json};

use crate::attr::{self, decode_all, Attr};
use crate::error::DecodeError;
use crate::family::{
    addr::IfAddrMsg, link::IfInfoMsg, neigh::NdMsg, route::RtMsg, rule::FibRuleHdr,
};
use crate::netlink::{
    align, ErrorMsg, MessageWriter, Messages, NlHeader, NlMsg, NLMSG_DONE, NLMSG_ERROR,
    NLMSG_HDRLEN,
};
use crate::rtm::{type_name, Family};
use crate::value::{attrs_json, hex_colon, Value};
use crate::view::FixedHeader;

/// The fixed part of a message, by family.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fixed {
    /// RTM_*LINK.
    Link(IfInfoMsg),
    /// RTM_*ADDR.
    Addr(IfAddrMsg),
    /// RTM_*ROUTE.
    Route(RtMsg),
    /// RTM_*NEIGH.
    Neigh(NdMsg),
    /// RTM_*RULE.
    Rule(FibRuleHdr),
    /// NLMSG_ERROR (an error, or an ack when the code is 0). Re-encoding
    /// writes the original payload back from `raw`.
    Error(ErrorMsg, Vec<u8>),
    /// NLMSG_DONE with its status.
    Done(i32),
    /// Any other message type: the payload, verbatim.
    Other(Vec<u8>),
}

/// An owned RTNL message.
#[derive(Clone, PartialEq)]
pub struct Message {
    /// The netlink header as received (`len` is recomputed when encoding).
    pub header: NlHeader,
    /// The family's fixed header.
    pub fixed: Fixed,
    /// The attributes, in wire order.
    pub attrs: Vec<Attr>,
}

impl Message {
    /// Parses one framed message.
    pub fn parse(msg: &NlMsg<'_>) -> Result<Message, DecodeError> {
        let p = msg.payload;
        let (fixed, attrs) = match Family::of_type(msg.header.kind) {
            Some(Family::Link) => fixed_and_attrs(p, Fixed::Link)?,
            Some(Family::Addr) => fixed_and_attrs(p, Fixed::Addr)?,
            Some(Family::Route) => fixed_and_attrs(p, Fixed::Route)?,
            Some(Family::Neigh) => fixed_and_attrs(p, Fixed::Neigh)?,
            Some(Family::Rule) => fixed_and_attrs(p, Fixed::Rule)?,
            None => match msg.header.kind {
                NLMSG_ERROR => (
                    Fixed::Error(ErrorMsg::parse(msg.header.flags, p)?, p.to_vec()),
                    Vec::new(),
                ),
                NLMSG_DONE if p.len() == 4 => (
                    Fixed::Done(i32::from_ne_bytes([p[0], p[1], p[2], p[3]])),
                    Vec::new(),
                ),
                _ => (Fixed::Other(p.to_vec()), Vec::new()),
            },
        };
        Ok(Message {
            header: msg.header,
            fixed,
            attrs,
        })
    }

    /// Parses every message in a buffer. Framing errors end the list with an
    /// error; a message whose body is malformed yields an error in its place.
    ///
    /// Decoding bytes from any source (a socket, a file written by
    /// `rtnl dump --raw`, a capture):
    ///
    /// ```
    /// use rtnl_wire::message::Message;
    /// use rtnl_wire::netlink::MessageWriter;
    /// use rtnl_wire::rtm::RTM_NEWLINK;
    /// use rtnl_wire::{family::link::IfInfoMsg, view::FixedHeader, Fixed};
    ///
    /// // Two messages back to back, as one datagram or file holds them.
    /// let mut bytes = Vec::new();
    /// for (index, name) in [(1, "lo"), (2, "eth0")] {
    ///     let mut m = Message::new(RTM_NEWLINK, 0, Fixed::Link(IfInfoMsg { index, ..Default::default() }));
    ///     m.push_attr("IFLA_IFNAME", rtnl_wire::Value::Str(name.into()));
    ///     bytes.extend(m.to_bytes());
    /// }
    /// let names: Vec<String> = Message::parse_all(&bytes)
    ///     .map(|m| m.unwrap().get_attr("IFLA_IFNAME").unwrap().as_str().unwrap().to_string())
    ///     .collect();
    /// assert_eq!(names, ["lo", "eth0"]);
    /// ```
    pub fn parse_all(buf: &[u8]) -> impl Iterator<Item = Result<Message, DecodeError>> + '_ {
        Messages::new(buf).map(|m| m.and_then(|m| Message::parse(&m)))
    }

    /// A new request or object message of `kind` with a fixed header and no attributes.
    pub fn new(kind: u16, flags: u16, fixed: Fixed) -> Message {
        Message {
            header: NlHeader {
                kind,
                flags,
                ..Default::default()
            },
            fixed,
            attrs: Vec::new(),
        }
    }

    /// The family of this message, when it is an RTNL object message.
    pub fn family(&self) -> Option<Family> {
        Family::of_type(self.header.kind)
    }

    /// The message type's name (`RTM_NEWLINK` ...), or `None` when unknown.
    pub fn type_name(&self) -> Option<&'static str> {
        type_name(self.header.kind)
    }

    /// The attribute table for this message's family.
    pub fn table(&self) -> Option<&'static attr::Table> {
        Some(match self.fixed {
            Fixed::Link(_) => IfInfoMsg::table(),
            Fixed::Addr(_) => IfAddrMsg::table(),
            Fixed::Route(_) => RtMsg::table(),
            Fixed::Neigh(_) => NdMsg::table(),
            Fixed::Rule(_) => FibRuleHdr::table(),
            _ => return None,
        })
    }

    /// The first attribute named `name` (`"IFLA_IFNAME"`).
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        attr::find(&self.attrs, name)
    }

    /// The value of the first attribute named `name`, as pyroute2's `get_attr`.
    pub fn get_attr(&self, name: &str) -> Option<&Value> {
        self.attr(name).map(|a| &a.value)
    }

    /// Every attribute named `name` (some, like IFLA_ALT_IFNAME, repeat).
    pub fn get_attrs<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.attrs
            .iter()
            .filter(move |a| a.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .map(|a| &a.value)
    }

    /// The value at a path of nested names, as pyroute2's `get_nested`:
    /// `get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])`.
    pub fn get_nested(&self, path: &[&str]) -> Option<&Value> {
        let (first, rest) = path.split_first()?;
        let mut attr = self.attr(first)?;
        for name in rest {
            attr = attr.get(name)?;
        }
        Some(&attr.value)
    }

    /// Adds an attribute of this message's table by kernel name. Returns
    /// `false` (and adds nothing) when the table has no such attribute.
    pub fn push_attr(&mut self, name: &str, value: Value) -> bool {
        match self.table().and_then(|t| Attr::new(t, name, value)) {
            Some(a) => {
                self.attrs.push(a);
                true
            }
            None => false,
        }
    }

    /// Appends the wire form to `w`, computing the length.
    pub fn emit(&self, w: &mut MessageWriter) {
        let h = &self.header;
        let m = w.begin_message(h.kind, h.flags, h.seq, h.pid);
        let mut fixed = Vec::with_capacity(16);
        match &self.fixed {
            Fixed::Link(f) => f.emit(&mut fixed),
            Fixed::Addr(f) => f.emit(&mut fixed),
            Fixed::Route(f) => f.emit(&mut fixed),
            Fixed::Neigh(f) => f.emit(&mut fixed),
            Fixed::Rule(f) => f.emit(&mut fixed),
            Fixed::Error(_, raw) | Fixed::Other(raw) => fixed.extend_from_slice(raw),
            Fixed::Done(code) => fixed.extend_from_slice(&code.to_ne_bytes()),
        }
        w.put_bytes(&fixed);
        attr::emit_all(&self.attrs, w);
        // Attributes end padded; only a verbatim payload (error, unknown
        // type) can end unaligned, and its length must stay as received.
        w.end_message_exact(m);
    }

    /// The wire form. `nlmsg_len` counts exactly the header, fixed part and
    /// attributes; the buffer is padded to 4 bytes after it, so wire forms can
    /// be concatenated.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = MessageWriter::new();
        self.emit(&mut w);
        w.into_vec()
    }

    /// A JSON form close to pyroute2's message dump: header, fixed fields by
    /// their C names, and `attrs` as `[name, value]` pairs.
    pub fn to_json(&self) -> Json {
        let header = json!({
            "length": self.header.len,
            "type": self.type_name().map(Json::from).unwrap_or_else(|| json!(self.header.kind)),
            "flags": self.header.flags,
            "sequence_number": self.header.seq,
            "pid": self.header.pid,
        });
        let mut out = match &self.fixed {
            Fixed::Link(f) => {
                json!({"family": f.family, "ifi_type": f.kind, "index": f.index, "flags": f.flags, "change": f.change})
            }
            Fixed::Addr(f) => {
                json!({"family": f.family, "prefixlen": f.prefixlen, "flags": f.flags, "scope": f.scope, "index": f.index})
            }
            Fixed::Route(f) => json!({
                "family": f.family, "dst_len": f.dst_len, "src_len": f.src_len, "tos": f.tos, "table": f.table,
                "proto": f.protocol, "scope": f.scope, "type": f.kind, "flags": f.flags,
            }),
            Fixed::Neigh(f) => {
                json!({"family": f.family, "ifindex": f.ifindex, "state": f.state, "flags": f.flags, "ndm_type": f.kind})
            }
            Fixed::Rule(f) => json!({
                "family": f.family, "dst_len": f.dst_len, "src_len": f.src_len, "tos": f.tos, "table": f.table,
                "action": f.action, "flags": f.flags,
            }),
            Fixed::Error(e, _) => json!({
                "error": e.code, "msg": e.message, "offset": e.offset,
            }),
            Fixed::Done(code) => json!({"status": code}),
            Fixed::Other(raw) => json!({"payload": hex_colon(raw)}),
        };
        if let Json::Object(m) = &mut out {
            m.insert("attrs".into(), attrs_json(&self.attrs));
            m.insert("header".into(), header);
        }
        out
    }
}

fn fixed_and_attrs<H: FixedHeader>(
    p: &[u8],
    wrap: fn(H) -> Fixed,
) -> Result<(Fixed, Vec<Attr>), DecodeError> {
    let hdr = H::parse(p)?;
    let attrs = decode_all(H::table(), p.get(align(H::LEN)..).unwrap_or_default())?;
    Ok((wrap(hdr), attrs))
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.type_name() {
            Some(n) => write!(f, "{n}")?,
            None => write!(f, "type {}", self.header.kind)?,
        }
        write!(
            f,
            " seq={} pid={} flags={:#x} ",
            self.header.seq, self.header.pid, self.header.flags
        )?;
        let mut d = f.debug_struct(match &self.fixed {
            Fixed::Link(_) => "ifinfomsg",
            Fixed::Addr(_) => "ifaddrmsg",
            Fixed::Route(_) => "rtmsg",
            Fixed::Neigh(_) => "ndmsg",
            Fixed::Rule(_) => "fib_rule_hdr",
            Fixed::Error(..) => "nlmsgerr",
            Fixed::Done(_) => "done",
            Fixed::Other(_) => "payload",
        });
        match &self.fixed {
            Fixed::Link(h) => d.field("hdr", h),
            Fixed::Addr(h) => d.field("hdr", h),
            Fixed::Route(h) => d.field("hdr", h),
            Fixed::Neigh(h) => d.field("hdr", h),
            Fixed::Rule(h) => d.field("hdr", h),
            Fixed::Error(e, _) => d.field("error", e),
            Fixed::Done(c) => d.field("status", c),
            Fixed::Other(raw) => d.field("bytes", &raw.len()),
        };
        for a in &self.attrs {
            d.field(&a.display_name(), &a.value);
        }
        d.finish()
    }
}

/// Size of the netlink header, re-exported for callers that frame by hand.
pub const HEADER_LEN: usize = NLMSG_HDRLEN;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::link::*;
    use crate::nla::NLA_F_NESTED;
    use crate::rtm::RTM_NEWLINK;

    fn veth_link() -> Vec<u8> {
        let mut w = MessageWriter::new();
        let m = w.begin_message(RTM_NEWLINK, 0, 1, 0);
        let mut fixed = vec![];
        IfInfoMsg {
            family: 0,
            kind: 1,
            index: 7,
            flags: 0x1043,
            change: 0,
        }
        .emit(&mut fixed);
        w.put_bytes(&fixed);
        w.put_str(IFLA_IFNAME, "veth0");
        w.put_u32(IFLA_MTU, 1500);
        w.put_attr(IFLA_ADDRESS, &[2, 0, 0, 0, 0, 1]);
        let li = w.begin_nested(IFLA_LINKINFO);
        w.put_str(IFLA_INFO_KIND, "vxlan");
        let d = w.begin_nested(IFLA_INFO_DATA);
        w.put_u32(IFLA_VXLAN_ID, 42);
        w.put_attr(IFLA_VXLAN_PORT, &4789u16.to_be_bytes());
        w.end_nested(d);
        w.end_nested(li);
        w.put_attr(999, b"unknown");
        w.end_message(m);
        w.into_vec()
    }

    #[test]
    fn owned_message_by_name_and_byte_exact() {
        let bytes = veth_link();
        let msg = Message::parse_all(&bytes).next().unwrap().unwrap();
        assert_eq!(
            msg.get_attr("IFLA_IFNAME").and_then(Value::as_str),
            Some("veth0")
        );
        assert_eq!(msg.get_attr("ifla_mtu").and_then(Value::as_u32), Some(1500));
        assert_eq!(
            msg.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
                .and_then(Value::as_str),
            Some("vxlan")
        );
        assert_eq!(
            msg.get_nested(&["IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_VXLAN_PORT"])
                .and_then(Value::as_u32),
            Some(4789)
        );
        assert_eq!(
            msg.attrs.last().unwrap().value,
            Value::Raw(b"unknown".to_vec())
        );
        assert_eq!(msg.to_bytes(), bytes);
        let j = msg.to_json();
        assert_eq!(j["header"]["type"], "RTM_NEWLINK");
        assert_eq!(j["attrs"][0][0], "IFLA_IFNAME");
        assert!(format!("{msg:?}").contains("IFLA_IFNAME: \"veth0\""));
    }

    #[test]
    fn built_message_sets_nested_flag() {
        let mut m = Message::new(RTM_NEWLINK, 0, Fixed::Link(IfInfoMsg::default()));
        assert!(m.push_attr("IFLA_IFNAME", Value::Str("x".into())));
        assert!(!m.push_attr("RTA_DST", Value::U8(0)));
        let info = Attr::new(&LINKINFO, "IFLA_INFO_KIND", Value::Str("bridge".into())).unwrap();
        assert!(m.push_attr("IFLA_LINKINFO", Value::Nested(vec![info])));
        assert_eq!(m.attrs[1].flag_bits, NLA_F_NESTED);
        let again = Message::parse_all(&m.to_bytes()).next().unwrap().unwrap();
        assert_eq!(
            again
                .get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
                .and_then(Value::as_str),
            Some("bridge")
        );
    }

    #[test]
    fn truncated_body_is_an_error() {
        let mut w = MessageWriter::new();
        let m = w.begin_message(RTM_NEWLINK, 0, 1, 0);
        w.put_bytes(&[0; 8]);
        w.end_message(m);
        let err = Message::parse_all(w.as_bytes())
            .next()
            .unwrap()
            .unwrap_err();
        assert!(matches!(
            err,
            DecodeError::TruncatedBody {
                what: "ifinfomsg",
                ..
            }
        ));
    }
}
