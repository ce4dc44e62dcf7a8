//! `RTM_IFINFO` / `RTM_IFINFO2` / `RTM_IFANNOUNCE` to `RTM_NEWLINK` /
//! `RTM_DELLINK`.

use rtnl_wire::attr::Attr;
use rtnl_wire::family::link::{IfInfoMsg, LINK};
use rtnl_wire::rtm::{RTM_DELLINK, RTM_NEWLINK};
use rtnl_wire::{Fixed, Message as RtnlMessage, Value};

use super::{Origin, Translator};
use crate::linux;
use crate::message::{IfStats, InterfaceInfo};

/// Fields of `rtnl_link_stats64` (25 in current kernels) and of
/// `rtnl_link_stats` (24).
const STATS64_FIELDS: usize = 25;
const STATS32_FIELDS: usize = 24;

/// `ifi_change` Linux sends when a device registers.
const CHANGE_ALL: u32 = u32::MAX;

/// `rtnl_link_stats64` from the BSD counters: rx/tx packets, bytes, errors,
/// rx_dropped = iqdrops, tx_dropped = oqdrops (Darwin: the send-queue
/// drops), multicast = imcasts, collisions, rx_nohandler = noproto; every
/// other field 0.
fn stats64(s: &IfStats, tx_dropped: u64) -> Vec<u64> {
    let mut v = vec![0u64; STATS64_FIELDS];
    v[0] = s.ipackets;
    v[1] = s.opackets;
    v[2] = s.ibytes;
    v[3] = s.obytes;
    v[4] = s.ierrors;
    v[5] = s.oerrors;
    v[6] = s.iqdrops;
    v[7] = tx_dropped;
    v[8] = s.imcasts;
    v[9] = s.collisions;
    v[23] = s.noproto;
    v
}

/// Whether Linux gives links of this type an all-ones broadcast address.
fn all_ones_broadcast(arphrd: u16) -> bool {
    matches!(
        arphrd,
        linux::ARPHRD_ETHER
            | linux::ARPHRD_IEEE80211
            | linux::ARPHRD_FDDI
            | linux::ARPHRD_IEEE802_TR
    )
}

impl Translator {
    pub(super) fn link(&mut self, m: &InterfaceInfo, origin: Origin) -> RtnlMessage {
        let index = u32::from(m.index);
        self.learn_sdl(index, m.addrs.ifp());
        let flags = m.linux_flags();
        let arphrd = m.arphrd();
        let entry = self.entry(index);
        let change = match (origin, entry.flags) {
            (Origin::Dump, _) => 0,
            (Origin::Event, None) => CHANGE_ALL,
            (Origin::Event, Some(old)) => old ^ flags,
        };
        entry.flags = Some(flags);
        let name = entry.name.clone();
        let lladdr = entry.lladdr.clone();

        let mut msg = RtnlMessage::new(
            RTM_NEWLINK,
            0,
            Fixed::Link(IfInfoMsg {
                family: 0,
                kind: arphrd,
                index: i32::from(m.index),
                flags,
                change,
            }),
        );
        if let Some(name) = name {
            msg.push_attr("IFLA_IFNAME", Value::Str(name));
        }
        let txqlen = m.send_queue.map_or(0, |q| q.maxlen);
        msg.push_attr("IFLA_TXQLEN", Value::U32(txqlen));
        msg.push_attr("IFLA_OPERSTATE", Value::U8(m.operstate()));
        msg.push_attr("IFLA_LINKMODE", Value::U8(0));
        let mtu = u32::try_from(m.mtu).unwrap_or(u32::MAX);
        msg.push_attr("IFLA_MTU", Value::U32(mtu));
        let carrier = flags & linux::IFF_LOWER_UP != 0;
        msg.push_attr("IFLA_CARRIER", Value::U8(u8::from(carrier)));
        if arphrd == linux::ARPHRD_LOOPBACK && lladdr.is_empty() {
            // Linux's lo: 00:00:00:00:00:00 brd 00:00:00:00:00:00.
            msg.push_attr("IFLA_ADDRESS", Value::LinkAddr(vec![0; 6]));
            msg.push_attr("IFLA_BROADCAST", Value::LinkAddr(vec![0; 6]));
        } else if !lladdr.is_empty() {
            let brd = all_ones_broadcast(arphrd).then(|| vec![0xff; lladdr.len()]);
            msg.push_attr("IFLA_ADDRESS", Value::LinkAddr(lladdr));
            if let Some(brd) = brd {
                msg.push_attr("IFLA_BROADCAST", Value::LinkAddr(brd));
            }
        }
        let tx_dropped = m
            .stats
            .oqdrops
            .or(m.send_queue.map(|q| u64::from(q.drops)))
            .unwrap_or(0);
        let s64 = stats64(&m.stats, tx_dropped);
        let s32: Vec<u64> = s64
            .iter()
            .take(STATS32_FIELDS)
            .map(|v| v & u64::from(u32::MAX))
            .collect();
        msg.push_attr("IFLA_STATS64", Value::Struct(s64));
        msg.push_attr("IFLA_STATS", Value::Struct(s32));

        self.entry(index).last = Some(msg.clone());
        msg
    }

    /// `RTM_IFANNOUNCE` arrival: `RTM_NEWLINK` with the index and name (and
    /// what the cache knows: a re-arrival replays the last link message with
    /// the new name).
    pub(super) fn new_link_announced(&mut self, index: u32, name: &str) -> RtnlMessage {
        let entry = self.entry(index);
        entry.name = Some(name.to_string());
        let mut msg = match entry.last.take() {
            Some(mut last) => {
                last.attrs.retain(|a| a.name() != Some("IFLA_IFNAME"));
                last
            }
            None => RtnlMessage::new(
                RTM_NEWLINK,
                0,
                Fixed::Link(IfInfoMsg {
                    kind: linux::ARPHRD_NONE,
                    ..IfInfoMsg::default()
                }),
            ),
        };
        if let Fixed::Link(h) = &mut msg.fixed {
            h.index = i32::try_from(index).unwrap_or(i32::MAX);
            h.change = CHANGE_ALL;
        }
        if let Some(a) = Attr::new(&LINK, "IFLA_IFNAME", Value::Str(name.to_string())) {
            msg.attrs.insert(0, a);
        }
        msg.header.kind = RTM_NEWLINK;
        msg.header.flags = 0;
        entry.last = Some(msg.clone());
        msg
    }

    /// `RTM_DELLINK` for `index`: the last link message (or a minimal one),
    /// and the index is forgotten.
    pub(super) fn del_link(&mut self, index: u32, name: Option<&str>) -> RtnlMessage {
        let entry = self.links.remove(&index).unwrap_or_default();
        let name = name
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .or(entry.name);
        let mut msg = entry.last.unwrap_or_else(|| {
            let mut m = RtnlMessage::new(
                RTM_DELLINK,
                0,
                Fixed::Link(IfInfoMsg {
                    kind: linux::ARPHRD_NONE,
                    index: i32::try_from(index).unwrap_or(i32::MAX),
                    ..IfInfoMsg::default()
                }),
            );
            if let Some(n) = &name {
                m.push_attr("IFLA_IFNAME", Value::Str(n.clone()));
            }
            m
        });
        msg.header.kind = RTM_DELLINK;
        msg.header.flags = 0;
        if let Fixed::Link(h) = &mut msg.fixed {
            h.change = 0;
        }
        msg
    }
}
