//! `rtnl` against `ip` (iproute2) on the same namespace: plain output line
//! by line and `-j` output field by field, for every object, with and
//! without `-d`. Each test builds its own namespace.

mod common;

use common::{assert_same, compare, skip, Netns};

/// Builds a fresh namespace with the test topology and checks that every
/// command in `cmds` prints the same as `ip`, plain and with `-j`.
fn same_as_ip(cmds: &[&str]) {
    if skip() {
        return;
    }
    let Some(ns) = Netns::with_topology() else {
        return;
    };
    assert_same(&ns, cmds);
}

#[test]
fn links_match_ip() {
    same_as_ip(&[
        "link",
        "link show",
        "l",
        "link show dev veth0",
        "link show veth4",
        "link show dev vpeer0",
        "link show dev veth0-alt",
        "link show up",
        "link show type veth",
        "link show type bridge_slave",
        "link show master br0",
        "-4 link",
        "-d link",
        "-d link show dev br0",
        "-d link show dev veth2",
        "-d link show dev vxlan42",
        "-d link show dev mv0",
    ]);
}

#[test]
fn addresses_match_ip() {
    same_as_ip(&[
        "addr",
        "a",
        "address show",
        "addr show dev veth0",
        "addr show veth1",
        "addr show dev lo",
        "-4 addr",
        "-6 addr",
        "-6 addr show dev veth2",
        "-0 addr",
        "-f inet addr",
        "-d addr",
        "-d addr show dev vxlan42",
    ]);
}

#[test]
fn routes_match_ip() {
    same_as_ip(&[
        "route",
        "r",
        "route show",
        "-4 route",
        "-6 route",
        "route show table 100",
        "-6 route show table 100",
        "route show table main",
        "route show table local",
        "route show table all",
        "-6 route show table all",
        "route show dev veth0",
        "route show proto kernel",
        "-6 route show proto kernel",
        "route show table all proto static",
        "-d route",
        "-d -6 route",
        "-d route show table all",
    ]);
}

#[test]
fn neighbours_match_ip() {
    same_as_ip(&[
        "neigh",
        "n",
        "neighbour show",
        "neigh show dev veth0",
        "-4 neigh",
        "-6 neigh",
        "neigh show proxy",
        "-6 neigh show proxy",
        "-d neigh",
    ]);
}

#[test]
fn rules_match_ip() {
    same_as_ip(&[
        "rule",
        "ru",
        "rule show",
        "-6 rule",
        "-d rule",
        "rule show table 100",
    ]);
}

/// The comparison machinery itself finds differences (so an empty diff
/// list means something).
#[test]
fn comparison_notices_differences() {
    if skip() {
        return;
    }
    let Some(ns) = Netns::new() else {
        return;
    };
    ns.ipw("link set lo up");
    // `ip route` lists table main and `rtnl route show table local` does
    // not: compare the two outputs by hand.
    let a = common::ip_out(&ns.name, &["-j", "route", "show", "table", "local"]);
    let b = common::rtnl_out(&ns.name, &["-j", "route"]);
    let ja: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let jb: serde_json::Value = serde_json::from_slice(&b.stdout).unwrap();
    assert!(!common::json_diff(&ja, &jb).is_empty());
    assert!(compare(&ns.name, &["link"]).is_empty());
}
