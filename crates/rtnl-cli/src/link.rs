//! Links: one RTM_NEWLINK message in `ip link` / `ip addr` form
//! (iproute2's `print_linkinfo`).

use rtnl_wire::family::link::IfInfoMsg;
use rtnl_wire::names::{LINK_FLAGS, LINK_MODES, OPERSTATES};
use rtnl_wire::rtm::RTM_DELLINK;
use rtnl_wire::{Fixed, Message};
use serde_json::Value as Json;

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::names::{
    group_name, hexstring, hwaddr, link_type_name, Attrs, LinkCache, AF_PACKET, IFF_POINTOPOINT,
    IFF_RUNNING, IFF_UP,
};
use crate::out::{fill, Out};
use crate::{addr, link_kinds, link_stats};

/// `rtnl link show`: the listing `ip addr` uses, without addresses.
pub fn show(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    addr::list(ctx, p, true)
}

/// How a link is being listed.
#[derive(Debug, Clone, Copy)]
pub struct LinkStyle {
    /// `ip link` (true) or `ip addr` (false): `mode` and `addrgenmode` only
    /// show in the former.
    pub do_link: bool,
    /// The address family filter (0, AF_PACKET, AF_INET ...): the
    /// `link/ether` line only shows without an IP family filter.
    pub family: u8,
    /// `-d`.
    pub details: bool,
    /// `-s` given this many times: `ip link` prints the counters.
    pub stats: u8,
    /// `-h` / `-iec` for those counters.
    pub units: link_stats::Units,
}

/// The header and name of a link message (None when it is not a link
/// with a name), after `Deleted ` for an RTM_DELLINK: how both forms of a
/// link start (iproute2's `print_linkinfo`).
fn begin_link<'m>(o: &mut Out, m: &'m Message) -> Option<(&'m IfInfoMsg, &'m str)> {
    let Fixed::Link(h) = &m.fixed else {
        return None;
    };
    let name = m.str_of("IFLA_IFNAME")?;
    if m.header.kind == RTM_DELLINK {
        o.flag("deleted", "Deleted ");
    }
    Some((h, name))
}

/// Prints one link (without its addresses). Returns false when the
/// message is not a link with a name.
pub fn print_link(o: &mut Out, m: &Message, links: &LinkCache, style: LinkStyle) -> bool {
    let Some((h, name)) = begin_link(o, m) else {
        return false;
    };
    o.int("ifindex", "{}: ", h.index.into());
    let m_down = print_name_and_link(o, name, m, links, false);
    print_link_flags(o, h.flags, m_down);

    if let Some(mtu) = m.u64_of("IFLA_MTU") {
        o.int("mtu", "mtu {} ", mtu as i64);
    }
    if let Some(q) = m.str_of("IFLA_QDISC") {
        o.string("qdisc", "qdisc {} ", q);
    }
    if let Some(master) = m.u32_of("IFLA_MASTER") {
        o.string("master", "master {} ", &links.name(master));
    }
    if let Some(state) = m.u32_of("IFLA_OPERSTATE") {
        match OPERSTATES.name(state) {
            Some(s) => o.any(Some("operstate"), &fill("state {} ", s), Json::from(s)),
            None => o.any(
                Some("operstate_index"),
                &format!("state {state:#x} "),
                Json::from(state),
            ),
        }
    }
    if style.do_link {
        if let Some(mode) = m.u32_of("IFLA_LINKMODE") {
            // iproute2 names only DEFAULT and DORMANT; others print as numbers.
            match LINK_MODES.name(mode).filter(|_| mode < 2) {
                Some(s) => o.string("linkmode", "mode {} ", s),
                None => o.int("linkmode_index", "mode {} ", mode.into()),
            }
        }
    }
    if let Some(g) = m.u32_of("IFLA_GROUP") {
        o.string("group", "group {} ", &group_name(g));
    }
    // Without IFLA_TXQLEN (IPv6 link dumps) `ip` asks the device; the
    // full link dump has the same number.
    match m
        .u32_of("IFLA_TXQLEN")
        .or_else(|| links.txqlen(h.index as u32))
    {
        Some(q) if q != 0 => o.int("txqlen", "qlen {}", q.into()),
        _ => {}
    }
    if let Some(ev) = m.u32_of("IFLA_EVENT") {
        print_event(o, ev);
    }

    if style.family == 0 || style.family == AF_PACKET || style.details {
        print_link_layer(o, h.kind, h.flags, m);
    }

    if let Some(id) = m.i32_of("IFLA_LINK_NETNSID") {
        if o.is_json() {
            o.put(Some("link_netnsid"), Json::from(id));
        } else if id >= 0 {
            // Naming the namespace needs RTM_GETNSID, which the library
            // does not offer: always the number.
            o.text(&format!(" link-netnsid {id}"));
        } else {
            o.text(" link-netnsid unknown");
        }
    }
    if let Some(id) = m.i32_of("IFLA_NEW_NETNSID") {
        o.text(&format!(" new-netnsid {id}"));
    }
    if let Some(id) = m.i32_of("IFLA_NEW_IFINDEX") {
        o.text(&format!(" new-ifindex {id}"));
    }
    if m.u32_of("IFLA_PROTO_DOWN").is_some_and(|v| v != 0) {
        o.flag("proto_down", " protodown on ");
    }

    if style.details {
        print_details(o, m, links, style);
    }

    if let Some(alias) = m.str_of("IFLA_IFALIAS") {
        if style.do_link || style.details {
            o.text("\n    ");
            o.string("ifalias", "alias {}", alias);
        }
    }

    if style.do_link && style.stats > 0 {
        o.nl();
        link_stats::print(o, m, style.stats, style.units);
    }

    if let Some(props) = m.nested("IFLA_PROP_LIST") {
        o.open_array(Some("altnames"));
        for a in props.iter().filter(|a| a.name() == Some("IFLA_ALT_IFNAME")) {
            if let Some(alt) = a.value.as_str() {
                o.text("\n    altname ");
                o.item("{}", alt);
            }
        }
        o.close();
    }
    o.eol();
    true
}

/// One link in `ip -br` form: `name  STATE  ` and, when listing links
/// (`family` AF_PACKET), `ADDR <FLAGS>` (iproute2's
/// `print_linkinfo_brief`). The caller ends the line. Returns false when
/// the message is not a link with a name.
pub fn print_link_brief(o: &mut Out, m: &Message, links: &LinkCache, family: u8) -> bool {
    let Some((h, name)) = begin_link(o, m) else {
        return false;
    };
    let m_down = print_name_and_link(o, name, m, links, true);
    if let Some(state) = m.u32_of("IFLA_OPERSTATE") {
        match OPERSTATES.name(state) {
            Some(s) => o.any(Some("operstate"), &format!("{s:<14} "), Json::from(s)),
            None => o.any(
                Some("operstate_index"),
                &format!("state {state:#x}"),
                Json::from(state),
            ),
        }
    }
    if family == AF_PACKET {
        if let Some(a) = m.bytes_of("IFLA_ADDRESS") {
            o.string("address", "{} ", &hwaddr(a, Some(h.kind)));
        }
        print_link_flags(o, h.flags, m_down);
    }
    true
}

/// `name@peer:` (or `name:`; with `brief`, padded to 16 columns), and in
/// JSON the `link` / `link_index` keys. Returns true when the lower link
/// is known to be down (`M-DOWN`).
fn print_name_and_link(
    o: &mut Out,
    name: &str,
    m: &Message,
    links: &LinkCache,
    brief: bool,
) -> bool {
    let mut shown = name.to_string();
    let mut m_down = false;
    if let Some(iflink) = m.u32_of("IFLA_LINK") {
        let lower = if iflink == 0 {
            o.put(Some("link"), Json::Null);
            Some("NONE".to_string())
        } else if m.has("IFLA_LINK_NETNSID") {
            // The lower link lives in another namespace: only its index is known.
            o.put(Some("link_index"), Json::from(iflink));
            Some(format!("if{iflink}"))
        } else {
            let lname = links.name(iflink);
            o.put(Some("link"), Json::from(lname.as_str()));
            m_down = links.flags(iflink) & IFF_UP == 0;
            Some(lname)
        };
        if let (Some(l), false) = (lower, o.is_json()) {
            shown = format!("{name}@{l}");
        }
    }
    let text = if brief {
        format!("{shown:<16} ")
    } else {
        format!("{shown}: ")
    };
    o.any(Some("ifname"), &text, Json::from(shown.as_str()));
    m_down
}

/// `<BROADCAST,MULTICAST,UP,LOWER_UP> `, or the `flags` array.
fn print_link_flags(o: &mut Out, flags: u32, m_down: bool) {
    o.open_array(Some("flags"));
    o.text("<");
    let mut items: Vec<String> = Vec::new();
    if flags & IFF_UP != 0 && flags & IFF_RUNNING == 0 {
        items.push("NO-CARRIER".into());
    }
    let (named, rest) = LINK_FLAGS.flags(flags & !IFF_RUNNING);
    items.extend(named.iter().map(|s| s.to_string()));
    if rest != 0 {
        items.push(format!("{rest:x}"));
    }
    for (i, it) in items.iter().enumerate() {
        let sep = if i + 1 < items.len() { "," } else { "" };
        o.any(None, &format!("{it}{sep}"), Json::from(it.as_str()));
    }
    if m_down {
        o.any(None, ",M-DOWN", Json::from("M-DOWN"));
    }
    o.close();
    o.text("> ");
}

fn print_event(o: &mut Out, ev: u32) {
    const EVENTS: &[&str] = &[
        "NONE",
        "REBOOT",
        "FEATURE CHANGE",
        "BONDING FAILOVER",
        "NOTIFY PEERS",
        "RESEND IGMP",
        "BONDING OPTION",
    ];
    match EVENTS.get(ev as usize) {
        Some(_) if ev == 0 => {}
        Some(name) => o.string("event", "event {} ", name),
        None => o.int("event", "event {} ", ev.into()),
    }
}

/// The `    link/ether ADDR brd ADDR` line.
fn print_link_layer(o: &mut Out, hw_type: u16, flags: u32, m: &Message) {
    o.nl();
    o.string("link_type", "    link/{} ", &link_type_name(hw_type));
    let hw = Some(hw_type);
    let address = m.bytes_of("IFLA_ADDRESS");
    if let Some(a) = address {
        o.string("address", "{}", &hwaddr(a, hw));
    }
    if let Some(b) = m.bytes_of("IFLA_BROADCAST") {
        if flags & IFF_POINTOPOINT != 0 {
            o.text(" peer ");
            o.put(Some("link_pointtopoint"), Json::Bool(true));
        } else {
            o.text(" brd ");
        }
        o.string("broadcast", "{}", &hwaddr(b, hw));
    }
    if let Some(p) = m.bytes_of("IFLA_PERM_ADDRESS") {
        if address != Some(p) {
            o.text(" permaddr ");
            o.string("permaddr", "{}", &hwaddr(p, hw));
        }
    }
}

/// What `-d` adds: counters of the device, its kind's details, IPv6
/// address generation mode, queue and offload sizes.
fn print_details(o: &mut Out, m: &Message, links: &LinkCache, style: LinkStyle) {
    for (attr, key, template) in [
        ("IFLA_PROMISCUITY", "promiscuity", " promiscuity {} "),
        ("IFLA_ALLMULTI", "allmulti", " allmulti {} "),
        ("IFLA_MIN_MTU", "min_mtu", "minmtu {} "),
        ("IFLA_MAX_MTU", "max_mtu", "maxmtu {} "),
    ] {
        if let Some(v) = m.u64_of(attr) {
            o.uint(key, template, v);
        }
    }
    if let Some(info) = m.nested("IFLA_LINKINFO") {
        link_kinds::print_linkinfo(o, info, links);
    }
    if style.do_link {
        if let Some(af) = m.nested("IFLA_AF_SPEC") {
            print_addr_gen_mode(o, af);
        }
    }
    for (attr, key, template) in [
        ("IFLA_NUM_TX_QUEUES", "num_tx_queues", "numtxqueues {} "),
        ("IFLA_NUM_RX_QUEUES", "num_rx_queues", "numrxqueues {} "),
        ("IFLA_GSO_MAX_SIZE", "gso_max_size", "gso_max_size {} "),
        ("IFLA_GSO_MAX_SEGS", "gso_max_segs", "gso_max_segs {} "),
        ("IFLA_TSO_MAX_SIZE", "tso_max_size", "tso_max_size {} "),
        ("IFLA_TSO_MAX_SEGS", "tso_max_segs", "tso_max_segs {} "),
        ("IFLA_GRO_MAX_SIZE", "gro_max_size", "gro_max_size {} "),
    ] {
        if let Some(v) = m.u64_of(attr) {
            o.uint(key, template, v);
        }
    }
    if let Some(s) = m.str_of("IFLA_PHYS_PORT_NAME") {
        o.string("phys_port_name", "portname {} ", s);
    }
    if let Some(b) = m.bytes_of("IFLA_PHYS_PORT_ID") {
        o.string("phys_port_id", "portid {} ", &hexstring(b));
    }
    if let Some(b) = m.bytes_of("IFLA_PHYS_SWITCH_ID") {
        o.string("phys_switch_id", "switchid {} ", &hexstring(b));
    }
    if let Some(s) = m.str_of("IFLA_PARENT_DEV_BUS_NAME") {
        o.string("parentbus", "parentbus {} ", s);
    }
    if let Some(s) = m.str_of("IFLA_PARENT_DEV_NAME") {
        o.string("parentdev", "parentdev {} ", s);
    }
}

/// `addrgenmode eui64` from IFLA_AF_SPEC / AF_INET6.
fn print_addr_gen_mode(o: &mut Out, af_spec: &[rtnl_wire::attr::Attr]) {
    let Some(mode) = af_spec
        .nested("AF_INET6")
        .and_then(|v6| v6.u32_of("IFLA_INET6_ADDR_GEN_MODE"))
    else {
        return;
    };
    let name = match mode {
        0 => "eui64".to_string(),
        1 => "none".to_string(),
        2 => "stable_secret".to_string(),
        3 => "random".to_string(),
        m => format!("{m:#04x}"),
    };
    o.string("inet6_addr_gen_mode", "addrgenmode {} ", &name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtnl_wire::family::link::IfInfoMsg;
    use rtnl_wire::rtm::RTM_NEWLINK;
    use rtnl_wire::Value;

    fn link(index: i32, name: &str, flags: u32, iflink: Option<u32>) -> Message {
        let mut m = Message::new(
            RTM_NEWLINK,
            0,
            Fixed::Link(IfInfoMsg {
                kind: 1,
                index,
                flags,
                ..Default::default()
            }),
        );
        m.push_attr("IFLA_IFNAME", Value::Str(name.into()));
        if let Some(l) = iflink {
            m.push_attr("IFLA_LINK", Value::U32(l));
        }
        m.push_attr("IFLA_MTU", Value::U32(1480));
        m
    }

    fn render(m: &Message, links: &LinkCache, json: bool) -> String {
        let mut o = if json { Out::json() } else { Out::plain() };
        o.open_object(None);
        let style = LinkStyle {
            do_link: true,
            family: AF_PACKET,
            details: false,
            stats: 0,
            units: link_stats::Units::Plain,
        };
        print_link(&mut o, m, links, style);
        o.close();
        o.finish(false)
    }

    #[test]
    fn lower_link_zero_is_none() {
        let m = link(5, "tunl0", 0x80, Some(0));
        let links = LinkCache::from_links(std::slice::from_ref(&m));
        assert!(render(&m, &links, false).starts_with("5: tunl0@NONE: <NOARP> mtu 1480 "));
        assert!(render(&m, &links, true)
            .starts_with("[{\"ifindex\":5,\"link\":null,\"ifname\":\"tunl0\""));
    }

    #[test]
    fn down_lower_link_adds_m_down_and_no_carrier() {
        let lower = link(2, "veth5", 0x1002, None);
        let m = link(3, "veth4", 0x1003, Some(2));
        let links = LinkCache::from_links(&[lower, m.clone()]);
        assert!(render(&m, &links, false)
            .starts_with("3: veth4@veth5: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> "));
    }
}
