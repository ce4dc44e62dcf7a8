//! Helpers shared by the integration tests: walking the attribute tables from
//! the family tables down through every nest.
#![allow(dead_code)]

use rtnl_wire::attr::{AttrKind, AttrSpec, Table};
use rtnl_wire::family::{addr, link, neigh, route, rule};
use rtnl_wire::rtm::{self, Family};
use rtnl_wire::Fixed;

/// Link kinds tried against every `NestedByKind` lookup; the lookups are
/// functions, so the tables behind them are found by asking.
pub const KIND_CANDIDATES: &[&str] = &[
    "veth",
    "vxlan",
    "macvlan",
    "macvtap",
    "bridge",
    "bond",
    "vlan",
    "dummy",
    "ifb",
    "gre",
    "gretap",
    "ipip",
    "sit",
    "ip6tnl",
    "ip6gre",
    "vti",
    "vrf",
    "wireguard",
    "ipvlan",
    "geneve",
    "tun",
    "team",
    "hsr",
    "macsec",
    "xfrm",
    "bareudp",
    "gtp",
    "nlmon",
    "erspan",
    "can",
    "netkit",
];

/// The five family tables with their message family.
pub fn family_tables() -> [(Family, &'static Table); 5] {
    [
        (Family::Link, &link::LINK),
        (Family::Addr, &addr::ADDR),
        (Family::Route, &route::ROUTE),
        (Family::Neigh, &neigh::NEIGH),
        (Family::Rule, &rule::RULE),
    ]
}

/// A default fixed header for a family.
pub fn default_fixed(f: Family) -> Fixed {
    match f {
        Family::Link => Fixed::Link(Default::default()),
        Family::Addr => Fixed::Addr(Default::default()),
        Family::Route => Fixed::Route(Default::default()),
        Family::Neigh => Fixed::Neigh(Default::default()),
        Family::Rule => Fixed::Rule(Default::default()),
    }
}

/// The RTM_NEW* type of a family.
pub fn new_type(f: Family) -> u16 {
    f.new_type()
}

/// One step from a table into a nested table.
#[derive(Clone, Copy, Debug)]
pub enum Step {
    /// `Nested(t)`: the attribute's payload is an attribute list.
    Nested(&'static AttrSpec),
    /// `NestedByKind`: the nest, the sibling that names the kind, the kind name.
    ByKind(&'static AttrSpec, &'static AttrSpec, &'static str),
    /// `Multipath(t)`: the attributes of an `rtnexthop`.
    Multipath(&'static AttrSpec),
}

/// Every table reachable from a family table, with the first path that
/// reaches it (from the family table given as the root).
#[derive(Clone, Debug)]
pub struct TablePath {
    pub root: Family,
    pub steps: Vec<Step>,
    pub table: &'static Table,
}

fn same(a: &Table, b: &Table) -> bool {
    std::ptr::eq(a, b)
}

/// Breadth-first walk of all tables.
pub fn table_paths() -> Vec<TablePath> {
    let mut out: Vec<TablePath> = Vec::new();
    let mut queue: std::collections::VecDeque<TablePath> = family_tables()
        .into_iter()
        .map(|(root, table)| TablePath {
            root,
            steps: vec![],
            table,
        })
        .collect();
    while let Some(p) = queue.pop_front() {
        if out.iter().any(|o| same(o.table, p.table)) {
            continue;
        }
        for spec in p.table.attrs {
            let mut next = |step: Step, table: &'static Table| {
                let mut steps = p.steps.clone();
                steps.push(step);
                queue.push_back(TablePath {
                    root: p.root,
                    steps,
                    table,
                });
            };
            match spec.kind {
                AttrKind::Nested(t) => next(Step::Nested(spec), t),
                AttrKind::Multipath(t) => next(Step::Multipath(spec), t),
                AttrKind::NestedByKind { kind_attr, lookup } => {
                    let kind_spec = p.table.by_id(kind_attr).unwrap_or_else(|| {
                        panic!("{}: kind attribute {kind_attr} not in table", spec.name)
                    });
                    for k in KIND_CANDIDATES {
                        if let Some(t) = lookup(k) {
                            next(Step::ByKind(spec, kind_spec, k), t);
                        }
                    }
                }
                _ => {}
            }
        }
        out.push(p);
    }
    out
}

/// Every reachable table, once.
pub fn all_tables() -> Vec<&'static Table> {
    table_paths().into_iter().map(|p| p.table).collect()
}

/// The kind names a `NestedByKind` lookup accepts.
pub fn kinds_of(lookup: fn(&str) -> Option<&'static Table>) -> Vec<&'static str> {
    KIND_CANDIDATES
        .iter()
        .copied()
        .filter(|k| lookup(k).is_some())
        .collect()
}

/// The message type, as a sanity helper for callers that only know the family.
pub fn rtm_new(f: Family) -> u16 {
    let t = f.new_type();
    assert_eq!(
        rtm::type_name(t).map(|n| n.starts_with("RTM_NEW")),
        Some(true)
    );
    t
}
