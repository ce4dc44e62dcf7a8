//! Property tests: every attribute of every table round-trips through the
//! wire; whole generated messages round-trip; views agree with owned
//! messages; arbitrary bytes never panic and finish quickly.

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use common::{family_tables, table_paths, Step, TablePath};
use proptest::prelude::*;
use proptest::sample::subsequence;
use proptest::test_runner::{Config, TestRunner};
use rtnl_wire::attr::{decode_all, Attr, AttrKind, AttrSpec, Table};
use rtnl_wire::family::{
    addr::{AddrView, IfAddrMsg},
    link::{IfInfoMsg, LinkView},
    neigh::{NdMsg, NeighView},
    route::{RouteView, RtMsg, ROUTE},
    rule::{FibRuleHdr, RuleView},
};
use rtnl_wire::netlink::{ErrorMsg, MessageWriter, Messages, NlHeader};
use rtnl_wire::nla::{NlaIter, NLA_F_NESTED, NLA_F_NET_BYTEORDER};
use rtnl_wire::rtm::Family;
use rtnl_wire::value::{NextHop, Via};
use rtnl_wire::view::{FixedHeader, View};
use rtnl_wire::{Fixed, Message, Value};

// ---------------------------------------------------------------- generators

/// A generated attribute, and the kind name its `NestedByKind` table needs
/// from a sibling (`(sibling attribute number, kind)`).
#[derive(Clone, Debug)]
struct Gen {
    attr: Attr,
    needs: Option<(u16, &'static str)>,
}

fn ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|a| IpAddr::V4(Ipv4Addr::from(a))),
        any::<[u8; 16]>().prop_map(|a| IpAddr::V6(Ipv6Addr::from(a))),
    ]
}

fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[^\\x00]{0,20}").unwrap()
}

fn attr_of(spec: &'static AttrSpec, flag_bits: u16, value: Value) -> Attr {
    Attr {
        id: spec.id,
        flag_bits,
        spec: Some(spec),
        value,
    }
}

/// A valid value for `spec`; nests recurse at most `depth` levels.
fn gen_attr(table: &'static Table, spec: &'static AttrSpec, depth: u32) -> BoxedStrategy<Gen> {
    let plain = |s: BoxedStrategy<Value>| -> BoxedStrategy<Gen> {
        (
            s,
            prop_oneof![4 => Just(0u16), 1 => Just(NLA_F_NET_BYTEORDER)],
        )
            .prop_map(move |(v, f)| Gen {
                attr: attr_of(spec, f, v),
                needs: None,
            })
            .boxed()
    };
    let nested_bits = || prop_oneof![3 => Just(NLA_F_NESTED), 1 => Just(0u16)];
    match spec.kind {
        AttrKind::Flag => plain(Just(Value::Flag).boxed()),
        AttrKind::U8 => plain(any::<u8>().prop_map(Value::U8).boxed()),
        AttrKind::U16 | AttrKind::U16Be => plain(any::<u16>().prop_map(Value::U16).boxed()),
        AttrKind::U32 | AttrKind::U32Be => plain(any::<u32>().prop_map(Value::U32).boxed()),
        AttrKind::U64 | AttrKind::U64Be => plain(any::<u64>().prop_map(Value::U64).boxed()),
        AttrKind::S32 => plain(any::<i32>().prop_map(Value::S32).boxed()),
        AttrKind::Str => plain(text().prop_map(Value::Str).boxed()),
        AttrKind::Bytes => plain(
            prop::collection::vec(any::<u8>(), 0..40)
                .prop_map(Value::Bytes)
                .boxed(),
        ),
        AttrKind::LinkAddr => plain(
            prop::collection::vec(any::<u8>(), 0..=32)
                .prop_map(Value::LinkAddr)
                .boxed(),
        ),
        AttrKind::Ip => plain(ip().prop_map(Value::Ip).boxed()),
        AttrKind::Struct(s) => {
            let max = if s.width == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * s.width)) - 1
            };
            let n = s.fields.len().max(4) + 2;
            plain(
                prop::collection::vec(0..=max, 1..n)
                    .prop_map(Value::Struct)
                    .boxed(),
            )
        }
        AttrKind::Via => plain(
            (any::<u16>(), prop::collection::vec(any::<u8>(), 0..=16))
                .prop_map(|(family, addr)| Value::Via(Via { family, addr }))
                .boxed(),
        ),
        AttrKind::Nested(t) => (gen_attrs(t, depth.saturating_sub(1), 4), nested_bits())
            .prop_map(move |(children, f)| Gen {
                attr: attr_of(spec, f, Value::Nested(children)),
                needs: None,
            })
            .boxed(),
        AttrKind::NestedByKind { kind_attr, lookup } => {
            let kinds = common::kinds_of(lookup);
            assert!(!kinds.is_empty(), "{}: no kind has a table", spec.name);
            (prop::sample::select(kinds), nested_bits())
                .prop_flat_map(move |(k, f)| {
                    let t = lookup(k).unwrap();
                    gen_attrs(t, depth.saturating_sub(1), 4).prop_map(move |children| Gen {
                        attr: attr_of(spec, f, Value::Nested(children)),
                        needs: Some((kind_attr, k)),
                    })
                })
                .boxed()
        }
        AttrKind::Multipath(t) => {
            let hop = (
                any::<u8>(),
                any::<u8>(),
                any::<i32>(),
                gen_attrs(t, depth.saturating_sub(1), 3),
            )
                .prop_map(|(flags, hops, ifindex, attrs)| NextHop {
                    flags,
                    hops,
                    ifindex,
                    attrs,
                });
            (prop::collection::vec(hop, 0..4), nested_bits())
                .prop_map(move |(hops, f)| Gen {
                    attr: attr_of(spec, f, Value::Multipath(hops)),
                    needs: None,
                })
                .boxed()
        }
        _ => panic!(
            "{} in {}: a kind this test cannot generate",
            spec.name, table.name
        ),
    }
}

/// Gives every `NestedByKind` attribute the sibling that names its kind.
fn fix_kinds(table: &'static Table, mut gens: Vec<Gen>) -> Vec<Attr> {
    let needs: Vec<(u16, &str)> = gens.iter().filter_map(|g| g.needs).collect();
    for (kind_attr, k) in needs {
        let spec = table.by_id(kind_attr).unwrap();
        let sibling = Gen {
            attr: attr_of(spec, 0, Value::Str(k.to_string())),
            needs: None,
        };
        match gens.iter_mut().find(|g| g.attr.id == kind_attr) {
            Some(g) => *g = sibling,
            None => gens.insert(0, sibling),
        }
    }
    gens.into_iter().map(|g| g.attr).collect()
}

/// Up to `max` distinct attributes of `table`, in random order.
fn gen_attrs(table: &'static Table, depth: u32, max: usize) -> BoxedStrategy<Vec<Attr>> {
    if depth == 0 {
        return Just(Vec::new()).boxed();
    }
    let specs: Vec<&'static AttrSpec> = table.attrs.iter().collect();
    let max = max.min(specs.len());
    subsequence(specs, 0..=max)
        .prop_shuffle()
        .prop_flat_map(move |specs| {
            specs
                .into_iter()
                .map(|s| gen_attr(table, s, depth))
                .collect::<Vec<_>>()
        })
        .prop_map(move |gens| fix_kinds(table, gens))
        .boxed()
}

fn gen_fixed(f: Family) -> BoxedStrategy<Fixed> {
    match f {
        Family::Link => (
            any::<u8>(),
            any::<u16>(),
            any::<i32>(),
            any::<u32>(),
            any::<u32>(),
        )
            .prop_map(|(family, kind, index, flags, change)| {
                Fixed::Link(IfInfoMsg {
                    family,
                    kind,
                    index,
                    flags,
                    change,
                })
            })
            .boxed(),
        Family::Addr => (any::<[u8; 4]>(), any::<u32>())
            .prop_map(|(b, index)| {
                Fixed::Addr(IfAddrMsg {
                    family: b[0],
                    prefixlen: b[1],
                    flags: b[2],
                    scope: b[3],
                    index,
                })
            })
            .boxed(),
        Family::Route => (any::<[u8; 8]>(), any::<u32>())
            .prop_map(|(b, flags)| {
                Fixed::Route(RtMsg {
                    family: b[0],
                    dst_len: b[1],
                    src_len: b[2],
                    tos: b[3],
                    table: b[4],
                    protocol: b[5],
                    scope: b[6],
                    kind: b[7],
                    flags,
                })
            })
            .boxed(),
        Family::Neigh => (
            any::<u8>(),
            any::<i32>(),
            any::<u16>(),
            any::<u8>(),
            any::<u8>(),
        )
            .prop_map(|(family, ifindex, state, flags, kind)| {
                Fixed::Neigh(NdMsg {
                    family,
                    ifindex,
                    state,
                    flags,
                    kind,
                })
            })
            .boxed(),
        Family::Rule => (any::<[u8; 6]>(), any::<u32>())
            .prop_map(|(b, flags)| {
                Fixed::Rule(FibRuleHdr {
                    family: b[0],
                    dst_len: b[1],
                    src_len: b[2],
                    tos: b[3],
                    table: b[4],
                    action: b[5],
                    flags,
                })
            })
            .boxed(),
    }
}

fn gen_header(f: Family) -> impl Strategy<Value = NlHeader> {
    (any::<u16>(), any::<u32>(), any::<u32>()).prop_map(move |(flags, seq, pid)| NlHeader {
        len: 0,
        kind: f.new_type() + [0, 1][(seq % 2) as usize], // NEW or DEL
        flags,
        seq,
        pid,
    })
}

/// A whole message of family `f` with up to 12 top-level attributes, nests
/// three deep.
fn gen_message(f: Family, table: &'static Table) -> BoxedStrategy<Message> {
    (gen_header(f), gen_fixed(f), gen_attrs(table, 3, 12))
        .prop_map(|(header, fixed, attrs)| Message {
            header,
            fixed,
            attrs,
        })
        .boxed()
}

/// Route messages that always carry RTA_MULTIPATH with hops, and RTA_VIA both
/// at the top and inside hops.
fn gen_multipath_route() -> BoxedStrategy<Message> {
    let spec = |n| ROUTE.by_name(n).unwrap();
    let via = (any::<u16>(), prop::collection::vec(any::<u8>(), 0..=16)).prop_map(
        move |(family, addr)| attr_of(spec("RTA_VIA"), 0, Value::Via(Via { family, addr })),
    );
    let gw = ip().prop_map(move |a| attr_of(spec("RTA_GATEWAY"), 0, Value::Ip(a)));
    let hop = (
        any::<u8>(),
        any::<u8>(),
        any::<i32>(),
        prop_oneof![via.clone(), gw],
        gen_attrs(&ROUTE, 1, 3),
    )
        .prop_map(|(flags, hops, ifindex, first, more)| {
            let first_id = first.id;
            let mut attrs = vec![first];
            attrs.extend(more.into_iter().filter(|a| a.id != first_id));
            NextHop {
                flags,
                hops,
                ifindex,
                attrs,
            }
        });
    (
        gen_header(Family::Route),
        gen_fixed(Family::Route),
        prop::collection::vec(hop, 1..5),
        via,
        gen_attrs(&ROUTE, 2, 6),
    )
        .prop_map(move |(header, fixed, hops, via, rest)| {
            let mut attrs = vec![
                attr_of(spec("RTA_MULTIPATH"), 0, Value::Multipath(hops)),
                via,
            ];
            attrs.extend(rest.into_iter().filter(|a| !matches!(a.id, 9 | 18)));
            Message {
                header,
                fixed,
                attrs,
            }
        })
        .boxed()
}

// ------------------------------------------------------------------ checks

/// `msg` -> bytes -> Message is the identity (with `len` filled in), and
/// re-encoding the parsed message gives the same bytes.
fn assert_roundtrip(msg: &Message) -> Result<Vec<u8>, TestCaseError> {
    let bytes = msg.to_bytes();
    prop_assert_eq!(bytes.len() % 4, 0);
    let parsed: Vec<Message> = Message::parse_all(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    prop_assert_eq!(parsed.len(), 1);
    let mut expected = msg.clone();
    expected.header.len = bytes.len() as u32;
    prop_assert_eq!(&parsed[0], &expected);
    prop_assert_eq!(parsed[0].to_bytes(), bytes.clone());
    Ok(bytes)
}

/// The payload an attribute value must have on the wire, from the kind
/// alone (an independent encoder for the scalar kinds).
fn expected_payload(kind: AttrKind, v: &Value) -> Option<Vec<u8>> {
    Some(match (kind, v) {
        (AttrKind::Flag, Value::Flag) => vec![],
        (AttrKind::U8, Value::U8(x)) => vec![*x],
        (AttrKind::U16, Value::U16(x)) => x.to_ne_bytes().to_vec(),
        (AttrKind::U16Be, Value::U16(x)) => x.to_be_bytes().to_vec(),
        (AttrKind::U32, Value::U32(x)) => x.to_ne_bytes().to_vec(),
        (AttrKind::U32Be, Value::U32(x)) => x.to_be_bytes().to_vec(),
        (AttrKind::U64, Value::U64(x)) => x.to_ne_bytes().to_vec(),
        (AttrKind::U64Be, Value::U64(x)) => x.to_be_bytes().to_vec(),
        (AttrKind::S32, Value::S32(x)) => x.to_ne_bytes().to_vec(),
        (AttrKind::Str, Value::Str(s)) => [s.as_bytes(), &[0]].concat(),
        (AttrKind::Ip, Value::Ip(IpAddr::V4(a))) => a.octets().to_vec(),
        (AttrKind::Ip, Value::Ip(IpAddr::V6(a))) => a.octets().to_vec(),
        (AttrKind::Bytes, Value::Bytes(b)) | (AttrKind::LinkAddr, Value::LinkAddr(b)) => b.clone(),
        (AttrKind::Struct(s), Value::Struct(f)) => f
            .iter()
            .flat_map(|x| match (s.width, s.big_endian) {
                (2, false) => (*x as u16).to_ne_bytes().to_vec(),
                (2, true) => (*x as u16).to_be_bytes().to_vec(),
                (4, false) => (*x as u32).to_ne_bytes().to_vec(),
                (4, true) => (*x as u32).to_be_bytes().to_vec(),
                (_, false) => x.to_ne_bytes().to_vec(),
                (_, true) => x.to_be_bytes().to_vec(),
            })
            .collect(),
        (AttrKind::Via, Value::Via(via)) => [&via.family.to_ne_bytes()[..], &via.addr].concat(),
        _ => return None,
    })
}

/// Wraps `leaf` (attributes of `path.table`) into the top-level attributes
/// of a `path.root` message.
fn wrap(path: &TablePath, leaf: Vec<Attr>) -> Vec<Attr> {
    let mut attrs = leaf;
    for step in path.steps.iter().rev() {
        attrs = match *step {
            Step::Nested(spec) => vec![attr_of(spec, NLA_F_NESTED, Value::Nested(attrs))],
            Step::ByKind(spec, kind_spec, k) => vec![
                attr_of(kind_spec, 0, Value::Str(k.into())),
                attr_of(spec, NLA_F_NESTED, Value::Nested(attrs)),
            ],
            Step::Multipath(spec) => vec![attr_of(
                spec,
                0,
                Value::Multipath(vec![NextHop {
                    flags: 1,
                    hops: 2,
                    ifindex: 3,
                    attrs,
                }]),
            )],
        };
    }
    attrs
}

/// `PROPTEST_CASES` overrides the number of cases (for long fuzzing runs).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn runner(n: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(n),
        failure_persistence: None,
        ..Config::default()
    })
}

// ------------------------------------------------------------------- tests

/// For every attribute of every reachable table: a valid value, wrapped in
/// the nests that lead to its table, survives encode -> decode unchanged, and
/// scalar values have the wire form their kind says.
#[test]
fn every_attribute_of_every_table_roundtrips() {
    let mut count = 0;
    for path in table_paths() {
        for spec in path.table.attrs {
            count += 1;
            let table = path.table;
            let strategy = gen_attr(table, spec, 2).prop_map(move |g| fix_kinds(table, vec![g]));
            let path = path.clone();
            let mut r = runner(48);
            r.run(&strategy, |leaf| {
                // The attribute alone, against the independent encoder.
                let attr = leaf.iter().find(|a| a.id == spec.id).unwrap();
                if let Some(want) = expected_payload(spec.kind, &attr.value) {
                    let mut w = MessageWriter::new();
                    attr.emit(&mut w);
                    let nla = NlaIter::new(w.as_bytes()).next().unwrap().unwrap();
                    prop_assert_eq!(nla.payload(), &want[..], "{}", spec.name);
                    prop_assert_eq!(nla.raw_kind(), spec.id | attr.flag_bits);
                }
                // In a message, through all the nests above its table.
                let msg = Message {
                    header: NlHeader {
                        kind: path.root.new_type(),
                        seq: 9,
                        ..Default::default()
                    },
                    fixed: common::default_fixed(path.root),
                    attrs: wrap(&path, leaf.clone()),
                };
                assert_roundtrip(&msg)?;
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{} ({}): {e}", spec.name, path.table.name));
        }
    }
    assert!(count > 300, "only {count} attributes walked");
}

proptest! {
    #![proptest_config(Config { cases: cases(256), failure_persistence: None, ..Config::default() })]

    #[test]
    fn link_messages_roundtrip(m in gen_message(Family::Link, family_tables()[0].1)) {
        let bytes = assert_roundtrip(&m)?;
        check_link_view(&m, &bytes)?;
    }

    #[test]
    fn addr_messages_roundtrip(m in gen_message(Family::Addr, family_tables()[1].1)) {
        let bytes = assert_roundtrip(&m)?;
        check_addr_view(&m, &bytes)?;
    }

    #[test]
    fn route_messages_roundtrip(m in gen_message(Family::Route, family_tables()[2].1)) {
        let bytes = assert_roundtrip(&m)?;
        check_route_view(&m, &bytes)?;
    }

    #[test]
    fn multipath_routes_roundtrip(m in gen_multipath_route()) {
        let bytes = assert_roundtrip(&m)?;
        check_route_view(&m, &bytes)?;
        let Some(Value::Multipath(hops)) = m.get_attr("RTA_MULTIPATH") else {
            return Err(TestCaseError::fail("no multipath"));
        };
        prop_assert!(!hops.is_empty());
        for hop in hops {
            // The first RTA_GATEWAY, or RTA_VIA holding an IP address.
            let via_or_gw = hop.attrs.iter().find_map(|a| match &a.value {
                Value::Via(v) => v.ip(),
                Value::Ip(ip) if a.name() == Some("RTA_GATEWAY") => Some(*ip),
                _ => None,
            });
            prop_assert_eq!(hop.gateway(), via_or_gw);
        }
    }

    #[test]
    fn neigh_messages_roundtrip(m in gen_message(Family::Neigh, family_tables()[3].1)) {
        let bytes = assert_roundtrip(&m)?;
        check_neigh_view(&m, &bytes)?;
    }

    #[test]
    fn rule_messages_roundtrip(m in gen_message(Family::Rule, family_tables()[4].1)) {
        let bytes = assert_roundtrip(&m)?;
        check_rule_view(&m, &bytes)?;
    }

    /// Several messages in one buffer frame back into the same messages.
    #[test]
    fn batches_frame_back(ms in prop::collection::vec(
        prop_oneof![
            gen_message(Family::Link, family_tables()[0].1),
            gen_message(Family::Addr, family_tables()[1].1),
            gen_multipath_route(),
            gen_message(Family::Rule, family_tables()[4].1),
        ], 1..5)) {
        let mut w = MessageWriter::new();
        for m in &ms {
            m.emit(&mut w);
        }
        let parsed: Vec<Message> = Message::parse_all(w.as_bytes()).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(parsed.len(), ms.len());
        for (p, m) in parsed.iter().zip(&ms) {
            prop_assert_eq!(&p.attrs, &m.attrs);
            prop_assert_eq!(&p.fixed, &m.fixed);
        }
        let framed: Vec<_> = Messages::new(w.as_bytes()).map(Result::unwrap).collect();
        let again: Vec<u8> = framed.iter().flat_map(|m| m.bytes.to_vec()).collect();
        prop_assert_eq!(again, w.as_bytes().to_vec());
    }
}

// -------------------------------------------------------- views vs. owned

fn view_of<'a, H: FixedHeader>(bytes: &'a [u8]) -> Result<View<'a, H>, TestCaseError> {
    let nl = Messages::new(bytes).next().unwrap().unwrap();
    View::<H>::parse(nl.payload).map_err(|e| TestCaseError::fail(e.to_string()))
}

fn u32_of(m: &Message, name: &str) -> Option<u32> {
    match m.get_attr(name)? {
        Value::U32(v) => Some(*v),
        _ => None,
    }
}
fn ip_of(m: &Message, name: &str) -> Option<IpAddr> {
    match m.get_attr(name)? {
        Value::Ip(v) => Some(*v),
        _ => None,
    }
}
fn str_of<'a>(m: &'a Message, name: &str) -> Option<&'a str> {
    m.get_attr(name)?.as_str()
}
fn bytes_of<'a>(m: &'a Message, name: &str) -> Option<&'a [u8]> {
    m.get_attr(name)?.as_bytes()
}

/// `attrs_into` agrees with one `attr` call per number.
fn check_attrs_into<H: FixedHeader>(v: &View<'_, H>, ids: [u16; 4]) -> Result<(), TestCaseError> {
    let got = v.attrs_into(ids);
    for (i, id) in ids.iter().enumerate() {
        prop_assert_eq!(got[i], v.attr(*id));
    }
    let n = v.attrs().map(Result::unwrap).count();
    prop_assert!(n >= got.iter().flatten().count());
    Ok(())
}

fn check_link_view(m: &Message, bytes: &[u8]) -> Result<(), TestCaseError> {
    let v: LinkView = view_of(bytes)?;
    let Fixed::Link(h) = &m.fixed else {
        unreachable!()
    };
    prop_assert_eq!(&v.hdr, h);
    prop_assert_eq!(v.index(), h.index);
    prop_assert_eq!(v.name(), str_of(m, "IFLA_IFNAME"));
    prop_assert_eq!(v.mtu(), u32_of(m, "IFLA_MTU"));
    prop_assert_eq!(v.address(), bytes_of(m, "IFLA_ADDRESS"));
    prop_assert_eq!(v.master(), u32_of(m, "IFLA_MASTER"));
    prop_assert_eq!(v.link(), u32_of(m, "IFLA_LINK"));
    let operstate = match m.get_attr("IFLA_OPERSTATE") {
        Some(Value::U8(x)) => Some(*x),
        _ => None,
    };
    prop_assert_eq!(v.operstate(), operstate);
    let kind = m
        .get_nested(&["IFLA_LINKINFO", "IFLA_INFO_KIND"])
        .and_then(Value::as_str);
    prop_assert_eq!(v.kind(), kind);
    check_attrs_into(&v, [3, 4, 18, 10])
}

fn check_addr_view(m: &Message, bytes: &[u8]) -> Result<(), TestCaseError> {
    let v: AddrView = view_of(bytes)?;
    let Fixed::Addr(h) = &m.fixed else {
        unreachable!()
    };
    prop_assert_eq!(&v.hdr, h);
    prop_assert_eq!(v.address(), ip_of(m, "IFA_ADDRESS"));
    prop_assert_eq!(v.local(), ip_of(m, "IFA_LOCAL"));
    prop_assert_eq!(v.label(), str_of(m, "IFA_LABEL"));
    prop_assert_eq!(v.flags(), u32_of(m, "IFA_FLAGS").unwrap_or(h.flags.into()));
    check_attrs_into(&v, [1, 2, 3, 8])
}

fn check_route_view(m: &Message, bytes: &[u8]) -> Result<(), TestCaseError> {
    let v: RouteView = view_of(bytes)?;
    let Fixed::Route(h) = &m.fixed else {
        unreachable!()
    };
    prop_assert_eq!(&v.hdr, h);
    prop_assert_eq!(v.dst(), ip_of(m, "RTA_DST"));
    prop_assert_eq!(v.gateway(), ip_of(m, "RTA_GATEWAY"));
    prop_assert_eq!(v.oif(), u32_of(m, "RTA_OIF"));
    prop_assert_eq!(v.priority(), u32_of(m, "RTA_PRIORITY"));
    prop_assert_eq!(v.prefsrc(), ip_of(m, "RTA_PREFSRC"));
    prop_assert_eq!(v.table(), u32_of(m, "RTA_TABLE").unwrap_or(h.table.into()));
    check_attrs_into(&v, [1, 5, 9, 15])
}

fn check_neigh_view(m: &Message, bytes: &[u8]) -> Result<(), TestCaseError> {
    let v: NeighView = view_of(bytes)?;
    let Fixed::Neigh(h) = &m.fixed else {
        unreachable!()
    };
    prop_assert_eq!(&v.hdr, h);
    prop_assert_eq!(v.dst(), ip_of(m, "NDA_DST"));
    prop_assert_eq!(v.lladdr(), bytes_of(m, "NDA_LLADDR"));
    check_attrs_into(&v, [1, 2, 3, 4])
}

fn check_rule_view(m: &Message, bytes: &[u8]) -> Result<(), TestCaseError> {
    let v: RuleView = view_of(bytes)?;
    let Fixed::Rule(h) = &m.fixed else {
        unreachable!()
    };
    prop_assert_eq!(&v.hdr, h);
    prop_assert_eq!(v.table(), u32_of(m, "FRA_TABLE").unwrap_or(h.table.into()));
    prop_assert_eq!(v.priority(), u32_of(m, "FRA_PRIORITY"));
    check_attrs_into(&v, [6, 10, 15, 16])
}

// ------------------------------------------------------- hostile bytes

/// Runs every decoder over `bytes`; whatever parses re-encodes to something
/// that parses to the same message. Panics are failures; so is slowness.
fn decode_everything(bytes: &[u8]) -> Result<(), TestCaseError> {
    let start = Instant::now();
    let n = Messages::new(bytes).count();
    prop_assert!(n <= bytes.len() / 16 + 1);
    for m in Messages::new(bytes).flatten() {
        let _ = m.error();
        let _ = m.header.is_dump_interrupted();
    }
    for r in Message::parse_all(bytes) {
        let Ok(m) = r else { continue };
        let _ = m.to_json();
        let _ = format!("{m:?}");
        let again = m.to_bytes();
        let back: Vec<_> = Message::parse_all(&again).collect();
        prop_assert_eq!(back.len(), 1);
        let mut back = back
            .into_iter()
            .next()
            .unwrap()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        back.header.len = m.header.len;
        prop_assert_eq!(&back, &m, "re-encoding changed the message");
    }
    let _ = NlaIter::new(bytes).count();
    let nested: usize = NlaIter::new(bytes)
        .map_while(Result::ok)
        .map(|a| a.nested().count())
        .sum();
    prop_assert!(nested <= bytes.len() / 4);
    let _ = View::<IfInfoMsg>::parse(bytes).map(|v| {
        (
            v.name(),
            v.mtu(),
            v.address(),
            v.master(),
            v.link(),
            v.operstate(),
            v.kind(),
        )
    });
    let _ = View::<IfAddrMsg>::parse(bytes).map(|v| (v.address(), v.local(), v.label(), v.flags()));
    let _ = View::<RtMsg>::parse(bytes).map(|v| {
        (
            v.dst(),
            v.gateway(),
            v.oif(),
            v.priority(),
            v.prefsrc(),
            v.table(),
        )
    });
    let _ = View::<NdMsg>::parse(bytes).map(|v| (v.dst(), v.lladdr()));
    let _ = View::<FibRuleHdr>::parse(bytes)
        .map(|v| (v.table(), v.priority(), v.attrs_into([1, 2, 3, 4])));
    for flags in [0, 0x100, 0x200, 0x300] {
        let _ = ErrorMsg::parse(flags, bytes);
    }
    for t in common::all_tables() {
        let _ = decode_all(t, bytes);
    }
    prop_assert!(
        start.elapsed() < Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    Ok(())
}

/// Valid messages with a few bytes changed, cut or extended: they get past
/// the framing and reach the nested decoders.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let msg = prop_oneof![
        gen_message(Family::Link, family_tables()[0].1),
        gen_message(Family::Addr, family_tables()[1].1),
        gen_multipath_route(),
        gen_message(Family::Neigh, family_tables()[3].1),
        gen_message(Family::Rule, family_tables()[4].1),
    ];
    (
        msg,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(m, edits, cut, do_cut)| {
            let mut b = m.to_bytes();
            for (i, v) in edits {
                let i = i.index(b.len());
                // Keep the outer length right most of the time so the body is decoded.
                if i >= 4 {
                    b[i] = v;
                }
            }
            if do_cut {
                let n = cut.index(b.len() + 1);
                b.truncate(n);
                let len = (b.len() as u32).to_ne_bytes();
                if b.len() >= 4 {
                    b[..4].copy_from_slice(&len);
                }
            }
            b
        })
}

proptest! {
    #![proptest_config(Config { cases: cases(512), failure_persistence: None, ..Config::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        decode_everything(&bytes)?;
    }

    #[test]
    fn arbitrary_bodies_behind_a_valid_header(kind in 0u16..40, flags in any::<u16>(),
                                                body in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut w = MessageWriter::new();
        let m = w.begin_message(kind, flags, 1, 0);
        w.put_bytes(&body);
        w.end_message(m);
        decode_everything(w.as_bytes())?;
        decode_everything(&w.as_bytes()[16..])?;
    }

    #[test]
    fn mutated_messages_never_panic(bytes in mutated()) {
        decode_everything(&bytes)?;
        if bytes.len() > 16 {
            decode_everything(&bytes[16..])?;
        }
    }
}

/// The worst input a small buffer can hold: RTA_MULTIPATH inside
/// RTA_MULTIPATH as deep as it goes, many hops wide. Decoding stops at
/// MAX_DEPTH with an error and stays fast.
#[test]
fn deep_and_wide_multipath_is_bounded() {
    fn nest(w: &mut MessageWriter, depth: usize) {
        let m = w.begin_nested(9);
        for _ in 0..2 {
            w.pad();
            let start = w.len();
            w.put_bytes(&[0, 0, 0, 0, 1, 0, 0, 0]);
            if depth > 0 {
                nest(w, depth - 1);
            }
            let len = (w.len() - start) as u16;
            w.patch_u16(start, len);
        }
        w.end_nested(m);
    }
    for depth in [5, 20, 31, 40, 60] {
        let mut w = MessageWriter::new();
        let m = w.begin_message(24, 0, 1, 0);
        w.put_bytes(&[0; 12]);
        // 2^depth hops would not fit in u16 lengths: grow only a chain.
        let mut inner = MessageWriter::new();
        nest_chain(&mut inner, depth);
        w.put_bytes(inner.as_bytes());
        w.end_message(m);
        let start = Instant::now();
        let r: Vec<_> = Message::parse_all(w.as_bytes()).collect();
        assert!(start.elapsed() < Duration::from_secs(1));
        if depth > rtnl_wire::attr::MAX_DEPTH {
            assert!(
                matches!(r[0], Err(rtnl_wire::DecodeError::TooDeep(_))),
                "depth {depth}: {:?}",
                r[0]
            );
        } else {
            assert_eq!(
                r[0].as_ref().unwrap().to_bytes(),
                w.as_bytes(),
                "depth {depth}"
            );
        }
    }
    let mut w = MessageWriter::new();
    nest(&mut w, 6);
    let start = Instant::now();
    let attrs = decode_all(&ROUTE, w.as_bytes()).unwrap();
    assert!(start.elapsed() < Duration::from_secs(1));
    let mut again = MessageWriter::new();
    rtnl_wire::attr::emit_all(&attrs, &mut again);
    assert_eq!(again.as_bytes(), w.as_bytes());

    fn nest_chain(w: &mut MessageWriter, depth: usize) {
        let m = w.begin_nested(9);
        let start = w.len();
        w.put_bytes(&[0, 0, 0, 0, 1, 0, 0, 0]);
        if depth > 0 {
            nest_chain(w, depth - 1);
        }
        let len = (w.len() - start) as u16;
        w.patch_u16(start, len);
        w.end_nested(m);
    }
}
