//! `-d` details of IFLA_LINKINFO: the kind, and per kind the fields of
//! IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA in iproute2's order and spelling.
//!
//! Most fields are one attribute printed one way, so each kind is a table
//! of [`Field`]s; the few that are printed in a special way (vxlan's
//! `ttl auto`, macvlan's mode names) have their own [`Style`].

use rtnl_wire::attr::Attr;
use serde_json::Value as Json;

use crate::names::{Attrs, LinkCache};
use crate::out::{fill, Out};

/// How one attribute is printed.
#[derive(Clone, Copy)]
enum Style {
    /// `print_uint`.
    Uint,
    /// `print_int`.
    Int,
    /// `print_on_off`: JSON bool, `on`/`off`.
    OnOff,
    /// `print_0xhex`: `0x..` string.
    Hex,
    /// `struct ifla_bridge_id`: `8000.2e:a0:c5:73:d4:bb`.
    BridgeId,
    /// A jiffies timer: `   0.00` in text, a number in JSON.
    Timer,
    /// A hardware address.
    Mac,
    /// A link index printed as its name.
    Ifname,
    /// Anything else: a function.
    Custom(fn(&mut Out, &[Attr], &LinkCache)),
}

/// One printed field: the attribute, its JSON key, its text template.
struct Field {
    attr: &'static str,
    key: &'static str,
    text: &'static str,
    style: Style,
}

const fn f(attr: &'static str, key: &'static str, text: &'static str, style: Style) -> Field {
    Field {
        attr,
        key,
        text,
        style,
    }
}

/// Prints IFLA_LINKINFO (`print_linktype`).
pub fn print_linkinfo(o: &mut Out, info: &[Attr], links: &LinkCache) {
    o.open_object(Some("linkinfo"));
    if let Some(kind) = info.str_of("IFLA_INFO_KIND") {
        o.nl();
        o.string("info_kind", "    {} ", kind);
        if let Some(fields) = data_fields(kind) {
            o.open_object(Some("info_data"));
            if let Some(data) = info.nested("IFLA_INFO_DATA") {
                print_fields(o, fields, data, links);
            }
            o.close();
        }
    }
    if let Some(kind) = info.str_of("IFLA_INFO_SLAVE_KIND") {
        o.nl();
        o.any(
            Some("info_slave_kind"),
            &format!("    {kind}_slave "),
            Json::from(kind),
        );
        if let Some(fields) = slave_data_fields(kind) {
            o.open_object(Some("info_slave_data"));
            if let Some(data) = info.nested("IFLA_INFO_SLAVE_DATA") {
                print_fields(o, fields, data, links);
            }
            o.close();
        }
    }
    o.close();
}

/// The IFLA_INFO_DATA fields of the kinds whose details this CLI prints.
/// Kinds without an entry (veth, ifb ...) print no `info_data`, as `ip`.
fn data_fields(kind: &str) -> Option<&'static [Field]> {
    Some(match kind {
        "bridge" => BRIDGE,
        "vxlan" => VXLAN,
        "macvlan" | "macvtap" => MACVLAN,
        _ => return None,
    })
}

fn slave_data_fields(kind: &str) -> Option<&'static [Field]> {
    Some(match kind {
        "bridge" => BRIDGE_SLAVE,
        _ => return None,
    })
}

fn print_fields(o: &mut Out, fields: &[Field], data: &[Attr], links: &LinkCache) {
    for fd in fields {
        if let Style::Custom(func) = fd.style {
            func(o, data, links);
            continue;
        }
        let Some(v) = data.val(fd.attr) else {
            continue;
        };
        let n = v.as_u64().unwrap_or_default();
        match fd.style {
            Style::Uint => o.uint(fd.key, fd.text, n),
            Style::Int => o.int(fd.key, fd.text, n as i64),
            Style::OnOff => o.on_off(fd.key, fd.text, n != 0),
            Style::Hex => o.hex(fd.key, fd.text, n),
            Style::BridgeId => {
                let id = bridge_id(v.as_bytes().unwrap_or_default());
                o.string(fd.key, fd.text, &id);
            }
            Style::Timer => {
                let (sec, cs) = jiffies(n);
                o.any(
                    Some(fd.key),
                    &fill(fd.text, format!("{sec:4}.{cs:02}")),
                    Json::from(sec as f64 + cs as f64 / 100.0),
                );
            }
            Style::Mac => {
                let mac = rtnl_wire::value::hex_colon(v.as_bytes().unwrap_or_default());
                o.string(fd.key, fd.text, &mac);
            }
            Style::Ifname => o.string(fd.key, fd.text, &links.name(n as u32)),
            Style::Custom(_) => {}
        }
    }
}

/// Seconds and hundredths of a USER_HZ (100 Hz) tick count, as
/// `__jiffies_to_tv` does it.
fn jiffies(j: u64) -> (u64, u64) {
    let usec = j.saturating_mul(10_000);
    (usec / 1_000_000, (usec % 1_000_000) / 10_000)
}

/// `struct ifla_bridge_id { u8 prio[2]; u8 addr[6]; }` as
/// `br_dump_bridge_id` prints it (`ether_ntoa` style: no zero padding).
fn bridge_id(b: &[u8]) -> String {
    if b.len() < 8 {
        return String::new();
    }
    let mac: Vec<String> = b[2..8].iter().map(|x| format!("{x:x}")).collect();
    format!("{:02x}{:02x}.{}", b[0], b[1], mac.join(":"))
}

/// A field printed entirely by `func`.
const fn custom(func: fn(&mut Out, &[Attr], &LinkCache)) -> Field {
    f("", "", "", Style::Custom(func))
}

use Style::*;

#[rustfmt::skip]
const BRIDGE: &[Field] = &[
    f("IFLA_BR_FORWARD_DELAY", "forward_delay", "forward_delay {} ", Uint),
    f("IFLA_BR_HELLO_TIME", "hello_time", "hello_time {} ", Uint),
    f("IFLA_BR_MAX_AGE", "max_age", "max_age {} ", Uint),
    f("IFLA_BR_AGEING_TIME", "ageing_time", "ageing_time {} ", Uint),
    f("IFLA_BR_STP_STATE", "stp_state", "stp_state {} ", Uint),
    f("IFLA_BR_PRIORITY", "priority", "priority {} ", Uint),
    f("IFLA_BR_VLAN_FILTERING", "vlan_filtering", "vlan_filtering {} ", Uint),
    custom(bridge_vlan_protocol),
    f("IFLA_BR_BRIDGE_ID", "bridge_id", "bridge_id {} ", BridgeId),
    custom(bridge_root_id),
    f("IFLA_BR_ROOT_PORT", "root_port", "root_port {} ", Uint),
    f("IFLA_BR_ROOT_PATH_COST", "root_path_cost", "root_path_cost {} ", Uint),
    f("IFLA_BR_TOPOLOGY_CHANGE", "topology_change", "topology_change {} ", Uint),
    f("IFLA_BR_TOPOLOGY_CHANGE_DETECTED", "topology_change_detected", "topology_change_detected {} ", Uint),
    f("IFLA_BR_HELLO_TIMER", "hello_timer", "hello_timer {} ", Timer),
    f("IFLA_BR_TCN_TIMER", "tcn_timer", "tcn_timer {} ", Timer),
    f("IFLA_BR_TOPOLOGY_CHANGE_TIMER", "topology_change_timer", "topology_change_timer {} ", Timer),
    f("IFLA_BR_GC_TIMER", "gc_timer", "gc_timer {} ", Timer),
    f("IFLA_BR_VLAN_DEFAULT_PVID", "vlan_default_pvid", "vlan_default_pvid {} ", Uint),
    f("IFLA_BR_VLAN_STATS_ENABLED", "vlan_stats_enabled", "vlan_stats_enabled {} ", Uint),
    f("IFLA_BR_VLAN_STATS_PER_PORT", "vlan_stats_per_port", "vlan_stats_per_port {} ", Uint),
    f("IFLA_BR_GROUP_FWD_MASK", "group_fwd_mask", "group_fwd_mask {} ", Hex),
    f("IFLA_BR_GROUP_ADDR", "group_addr", "group_address {} ", Mac),
    f("IFLA_BR_MCAST_SNOOPING", "mcast_snooping", "mcast_snooping {} ", Uint),
    custom(bridge_boolopts),
    f("IFLA_BR_MCAST_ROUTER", "mcast_router", "mcast_router {} ", Uint),
    f("IFLA_BR_MCAST_QUERY_USE_IFADDR", "mcast_query_use_ifaddr", "mcast_query_use_ifaddr {} ", Uint),
    f("IFLA_BR_MCAST_QUERIER", "mcast_querier", "mcast_querier {} ", Uint),
    f("IFLA_BR_MCAST_HASH_ELASTICITY", "mcast_hash_elasticity", "mcast_hash_elasticity {} ", Uint),
    f("IFLA_BR_MCAST_HASH_MAX", "mcast_hash_max", "mcast_hash_max {} ", Uint),
    f("IFLA_BR_MCAST_LAST_MEMBER_CNT", "mcast_last_member_cnt", "mcast_last_member_count {} ", Uint),
    f("IFLA_BR_MCAST_STARTUP_QUERY_CNT", "mcast_startup_query_cnt", "mcast_startup_query_count {} ", Uint),
    f("IFLA_BR_MCAST_LAST_MEMBER_INTVL", "mcast_last_member_intvl", "mcast_last_member_interval {} ", Uint),
    f("IFLA_BR_MCAST_MEMBERSHIP_INTVL", "mcast_membership_intvl", "mcast_membership_interval {} ", Uint),
    f("IFLA_BR_MCAST_QUERIER_INTVL", "mcast_querier_intvl", "mcast_querier_interval {} ", Uint),
    f("IFLA_BR_MCAST_QUERY_INTVL", "mcast_query_intvl", "mcast_query_interval {} ", Uint),
    f("IFLA_BR_MCAST_QUERY_RESPONSE_INTVL", "mcast_query_response_intvl", "mcast_query_response_interval {} ", Uint),
    f("IFLA_BR_MCAST_STARTUP_QUERY_INTVL", "mcast_startup_query_intvl", "mcast_startup_query_interval {} ", Uint),
    f("IFLA_BR_MCAST_STATS_ENABLED", "mcast_stats_enabled", "mcast_stats_enabled {} ", Uint),
    f("IFLA_BR_MCAST_IGMP_VERSION", "mcast_igmp_version", "mcast_igmp_version {} ", Uint),
    f("IFLA_BR_MCAST_MLD_VERSION", "mcast_mld_version", "mcast_mld_version {} ", Uint),
    f("IFLA_BR_NF_CALL_IPTABLES", "nf_call_iptables", "nf_call_iptables {} ", Uint),
    f("IFLA_BR_NF_CALL_IP6TABLES", "nf_call_ip6tables", "nf_call_ip6tables {} ", Uint),
    f("IFLA_BR_NF_CALL_ARPTABLES", "nf_call_arptables", "nf_call_arptables {} ", Uint),
];

fn bridge_vlan_protocol(o: &mut Out, d: &[Attr], _: &LinkCache) {
    let Some(p) = d.u64_of("IFLA_BR_VLAN_PROTOCOL") else {
        return;
    };
    let name = match p {
        0x8100 => "802.1Q".to_string(),
        0x88a8 => "802.1ad".to_string(),
        p => format!("[{p}]"),
    };
    o.string("vlan_protocol", "vlan_protocol {} ", &name);
}

/// iproute2 6.1 prints `designated_root` from IFLA_BR_BRIDGE_ID's bytes
/// whenever IFLA_BR_ROOT_ID is present; reproduced as is.
fn bridge_root_id(o: &mut Out, d: &[Attr], _: &LinkCache) {
    if d.has("IFLA_BR_ROOT_ID") {
        let id = bridge_id(d.bytes_of("IFLA_BR_BRIDGE_ID").unwrap_or_default());
        o.string("root_id", "designated_root {} ", &id);
    }
}

fn bridge_boolopts(o: &mut Out, d: &[Attr], _: &LinkCache) {
    let (Some(val), Some(mask)) = (
        d.field("IFLA_BR_MULTI_BOOLOPT", "optval"),
        d.field("IFLA_BR_MULTI_BOOLOPT", "optmask"),
    ) else {
        return;
    };
    // BR_BOOLOPT_NO_LL_LEARN = 0, BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1.
    for (bit, key, text) in [
        (1u64, "no_linklocal_learn", "no_linklocal_learn {} "),
        (2, "mcast_vlan_snooping", "mcast_vlan_snooping {} "),
    ] {
        if mask & bit != 0 {
            o.uint(key, text, u64::from(val & bit != 0));
        }
    }
}

#[rustfmt::skip]
const BRIDGE_SLAVE: &[Field] = &[
    custom(port_state),
    f("IFLA_BRPORT_PRIORITY", "priority", "priority {} ", Int),
    f("IFLA_BRPORT_COST", "cost", "cost {} ", Int),
    f("IFLA_BRPORT_MODE", "hairpin", "hairpin {} ", OnOff),
    f("IFLA_BRPORT_GUARD", "guard", "guard {} ", OnOff),
    f("IFLA_BRPORT_PROTECT", "root_block", "root_block {} ", OnOff),
    f("IFLA_BRPORT_FAST_LEAVE", "fastleave", "fastleave {} ", OnOff),
    f("IFLA_BRPORT_LEARNING", "learning", "learning {} ", OnOff),
    f("IFLA_BRPORT_UNICAST_FLOOD", "flood", "flood {} ", OnOff),
    f("IFLA_BRPORT_ID", "id", "port_id {} ", Hex),
    f("IFLA_BRPORT_NO", "no", "port_no {} ", Hex),
    f("IFLA_BRPORT_DESIGNATED_PORT", "designated_port", "designated_port {} ", Uint),
    f("IFLA_BRPORT_DESIGNATED_COST", "designated_cost", "designated_cost {} ", Uint),
    f("IFLA_BRPORT_BRIDGE_ID", "bridge_id", "designated_bridge {} ", BridgeId),
    f("IFLA_BRPORT_ROOT_ID", "root_id", "designated_root {} ", BridgeId),
    f("IFLA_BRPORT_HOLD_TIMER", "hold_timer", "hold_timer {} ", Timer),
    f("IFLA_BRPORT_MESSAGE_AGE_TIMER", "message_age_timer", "message_age_timer {} ", Timer),
    f("IFLA_BRPORT_FORWARD_DELAY_TIMER", "forward_delay_timer", "forward_delay_timer {} ", Timer),
    f("IFLA_BRPORT_TOPOLOGY_CHANGE_ACK", "topology_change_ack", "topology_change_ack {} ", Uint),
    f("IFLA_BRPORT_CONFIG_PENDING", "config_pending", "config_pending {} ", Uint),
    f("IFLA_BRPORT_PROXYARP", "proxy_arp", "proxy_arp {} ", OnOff),
    f("IFLA_BRPORT_PROXYARP_WIFI", "proxy_arp_wifi", "proxy_arp_wifi {} ", OnOff),
    f("IFLA_BRPORT_MULTICAST_ROUTER", "multicast_router", "mcast_router {} ", Uint),
    custom(port_fast_leave_text),
    f("IFLA_BRPORT_MCAST_FLOOD", "mcast_flood", "mcast_flood {} ", OnOff),
    f("IFLA_BRPORT_BCAST_FLOOD", "bcast_flood", "bcast_flood {} ", OnOff),
    f("IFLA_BRPORT_MCAST_TO_UCAST", "mcast_to_unicast", "mcast_to_unicast {} ", OnOff),
    f("IFLA_BRPORT_NEIGH_SUPPRESS", "neigh_suppress", "neigh_suppress {} ", OnOff),
    custom(port_group_fwd_mask),
    f("IFLA_BRPORT_VLAN_TUNNEL", "vlan_tunnel", "vlan_tunnel {} ", OnOff),
    f("IFLA_BRPORT_ISOLATED", "isolated", "isolated {} ", OnOff),
    f("IFLA_BRPORT_LOCKED", "locked", "locked {} ", OnOff),
    f("IFLA_BRPORT_BACKUP_PORT", "backup_port", "backup_port {} ", Ifname),
];

fn port_state(o: &mut Out, d: &[Attr], _: &LinkCache) {
    const STATES: &[&str] = &[
        "disabled",
        "listening",
        "learning",
        "forwarding",
        "blocking",
    ];
    let Some(s) = d.u64_of("IFLA_BRPORT_STATE") else {
        return;
    };
    match STATES.get(s as usize) {
        Some(name) => o.string("state", "state {} ", name),
        None => o.int("state_index", "state ({}) ", s as i64),
    }
}

/// `mcast_fast_leave` repeats IFLA_BRPORT_FAST_LEAVE in text only.
fn port_fast_leave_text(o: &mut Out, d: &[Attr], _: &LinkCache) {
    if let Some(v) = d.u64_of("IFLA_BRPORT_FAST_LEAVE") {
        let word = if v != 0 { "on" } else { "off" };
        o.text(&fill("mcast_fast_leave {} ", word));
    }
}

fn port_group_fwd_mask(o: &mut Out, d: &[Attr], _: &LinkCache) {
    let Some(mask) = d.u64_of("IFLA_BRPORT_GROUP_FWD_MASK") else {
        return;
    };
    o.hex("group_fwd_mask", "group_fwd_mask {} ", mask);
    // Bits iproute2 names; the others print as hex values.
    let names = |bit: u32| match bit {
        0 => Some("stp"),
        2 => Some("lacp"),
        14 => Some("lldp"),
        _ => None,
    };
    let parts: Vec<String> = (0..16)
        .filter(|b| mask & (1 << b) != 0)
        .map(|b| names(b).map_or_else(|| format!("{:#x}", 1u32 << b), str::to_string))
        .collect();
    let s = if parts.is_empty() {
        "0x0".to_string()
    } else {
        parts.join(",")
    };
    o.string("group_fwd_mask_str", "group_fwd_mask_str {} ", &s);
}

const MACVLAN: &[Field] = &[custom(macvlan)];

fn macvlan(o: &mut Out, d: &[Attr], _: &LinkCache) {
    let Some(mode) = d.u64_of("IFLA_MACVLAN_MODE") else {
        return;
    };
    let name = match mode {
        1 => "private",
        2 => "vepa",
        4 => "bridge",
        8 => "passthru",
        16 => "source",
        _ => "unknown",
    };
    o.string("mode", "mode {} ", name);
    let flags = d.u64_of("IFLA_MACVLAN_FLAGS").unwrap_or(0);
    if flags & 1 != 0 {
        o.flag("nopromisc", "nopromisc ");
    }
    if flags & 2 != 0 {
        o.flag("nodst", "nodst ");
    }
    if let Some(v) = d.u64_of("IFLA_MACVLAN_BC_QUEUE_LEN") {
        o.uint("bcqueuelen", "bcqueuelen {} ", v);
    }
    if let Some(v) = d.u64_of("IFLA_MACVLAN_BC_QUEUE_LEN_USED") {
        o.uint("usedbcqueuelen", "usedbcqueuelen {} ", v);
    }
    if mode != 16 {
        return;
    }
    let Some(count) = d.u64_of("IFLA_MACVLAN_MACADDR_COUNT") else {
        return;
    };
    o.int("macaddr_count", "remotes ({}) ", count as i64);
    let Some(data) = d.nested("IFLA_MACVLAN_MACADDR_DATA") else {
        return;
    };
    o.open_array(Some("macaddr_data"));
    for a in data
        .iter()
        .filter(|a| a.name() == Some("IFLA_MACVLAN_MACADDR"))
    {
        if let Some(mac) = a.value.as_bytes().filter(|b| b.len() >= 6) {
            o.item("{} ", &rtnl_wire::value::hex_colon(&mac[..6]));
        }
    }
    o.close();
}

const VXLAN: &[Field] = &[custom(vxlan)];

/// `vxlan_print_opt`: too many one-off rules for a table.
fn vxlan(o: &mut Out, d: &[Attr], links: &LinkCache) {
    let nonzero = |name: &str| d.u64_of(name).is_some_and(|v| v != 0);
    if nonzero("IFLA_VXLAN_COLLECT_METADATA") {
        o.flag("external", "external ");
    }
    if nonzero("IFLA_VXLAN_VNIFILTER") {
        o.flag("vnifilter", "vnifilter");
    }
    if let Some(id) = d.u64_of("IFLA_VXLAN_ID") {
        o.uint("id", "id {} ", id);
    }
    let group = d.ip_of("IFLA_VXLAN_GROUP").or_else(|| {
        d.ip_of("IFLA_VXLAN_GROUP6")
            .filter(|_| !d.has("IFLA_VXLAN_GROUP"))
    });
    if let Some(g) = group.filter(|g| !g.is_unspecified()) {
        let key = match (g.is_ipv4(), g.is_multicast()) {
            (true, true) => "group",
            (true, false) => "remote",
            (false, true) => "group6",
            (false, false) => "remote6",
        };
        let word = if g.is_multicast() { "group" } else { "remote" };
        o.string(key, &format!("{word} {{}} "), &g.to_string());
    }
    let local = d.ip_of("IFLA_VXLAN_LOCAL").or_else(|| {
        d.ip_of("IFLA_VXLAN_LOCAL6")
            .filter(|_| !d.has("IFLA_VXLAN_LOCAL"))
    });
    if let Some(l) = local.filter(|l| !l.is_unspecified()) {
        let key = if l.is_ipv4() { "local" } else { "local6" };
        o.string(key, "local {} ", &l.to_string());
    }
    if let Some(link) = d.u32_of("IFLA_VXLAN_LINK").filter(|l| *l != 0) {
        o.string("link", "dev {} ", &links.name(link));
    }
    if let (Some(low), Some(high)) = (
        d.field("IFLA_VXLAN_PORT_RANGE", "low"),
        d.field("IFLA_VXLAN_PORT_RANGE", "high"),
    ) {
        if o.is_json() {
            o.open_object(Some("port_range"));
            o.put(Some("low"), Json::from(low));
            o.put(Some("high"), Json::from(high));
            o.close();
        } else {
            o.text(&format!("srcport {low} {high} "));
        }
    }
    if let Some(p) = d.u64_of("IFLA_VXLAN_PORT") {
        o.uint("port", "dstport {} ", p);
    }
    if let Some(l) = d.u64_of("IFLA_VXLAN_LEARNING") {
        o.put(Some("learning"), Json::Bool(l != 0));
        if l == 0 {
            o.text("nolearning ");
        }
    }
    for (attr, key, text) in [
        ("IFLA_VXLAN_PROXY", "proxy", "proxy "),
        ("IFLA_VXLAN_RSC", "rsc", "rsc "),
        ("IFLA_VXLAN_L2MISS", "l2miss", "l2miss "),
        ("IFLA_VXLAN_L3MISS", "l3miss", "l3miss "),
    ] {
        if nonzero(attr) {
            o.flag(key, text);
        }
    }
    let tos = d.u64_of("IFLA_VXLAN_TOS").unwrap_or(0);
    if tos != 0 {
        if o.is_json() || tos != 1 {
            o.hex("tos", "tos {} ", tos);
        } else {
            o.text("tos inherit ");
        }
    }
    let ttl_inherit = d.u64_of("IFLA_VXLAN_TTL_INHERIT").is_some_and(|v| v != 0);
    if ttl_inherit {
        o.text("ttl inherit ");
    } else if let Some(ttl) = d.u64_of("IFLA_VXLAN_TTL") {
        if o.is_json() || ttl != 0 {
            o.uint("ttl", "ttl {} ", ttl);
        } else {
            o.text("ttl auto ");
        }
    }
    if let Some(df) = d.u64_of("IFLA_VXLAN_DF") {
        match df {
            0 => o.put(Some("df"), Json::from("unset")),
            1 => o.string("df", "df {} ", "set"),
            2 => o.string("df", "df {} ", "inherit"),
            _ => {}
        }
    }
    if let Some(label) = d.u64_of("IFLA_VXLAN_LABEL").filter(|l| *l != 0) {
        o.hex("label", "flowlabel {} ", label);
    }
    if let Some(age) = d.u64_of("IFLA_VXLAN_AGEING") {
        if age == 0 {
            o.any(Some("ageing"), "ageing none ", Json::from(0));
        } else {
            o.uint("ageing", "ageing {} ", age);
        }
    }
    if let Some(max) = d.u64_of("IFLA_VXLAN_LIMIT").filter(|m| *m != 0) {
        o.uint("limit", "maxaddr {} ", max);
    }
    for (attr, key, text) in [
        ("IFLA_VXLAN_UDP_CSUM", "udp_csum", "udpcsum "),
        (
            "IFLA_VXLAN_UDP_ZERO_CSUM6_TX",
            "udp_zero_csum6_tx",
            "udp6zerocsumtx ",
        ),
        (
            "IFLA_VXLAN_UDP_ZERO_CSUM6_RX",
            "udp_zero_csum6_rx",
            "udp6zerocsumrx ",
        ),
    ] {
        if let Some(v) = d.u64_of(attr) {
            let prefix = if v == 0 { "no" } else { "" };
            o.any(Some(key), &format!("{prefix}{text}"), Json::Bool(v != 0));
        }
    }
    for (attr, key, text) in [
        ("IFLA_VXLAN_REMCSUM_TX", "remcsum_tx", "remcsumtx "),
        ("IFLA_VXLAN_REMCSUM_RX", "remcsum_rx", "remcsumrx "),
    ] {
        if nonzero(attr) {
            o.flag(key, text);
        }
    }
    if d.has("IFLA_VXLAN_GBP") {
        o.flag("gbp", "gbp ");
    }
    if d.has("IFLA_VXLAN_GPE") {
        o.flag("gpe", "gpe ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bridge_ids_and_timers_like_ip() {
        assert_eq!(
            bridge_id(&[0x80, 0, 0x02, 0xa0, 0xc5, 0x73, 0x04, 0xbb]),
            "8000.2:a0:c5:73:4:bb"
        );
        assert_eq!(jiffies(29275), (292, 75));
        assert_eq!(jiffies(0), (0, 0));
    }
}
