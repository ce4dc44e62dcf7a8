//! The pure part of notifications: one changed row and the notification
//! type of a `Notify*Change` callback to an `RTM_NEW*` / `RTM_DEL*` message.

use rtnl_wire::Message;

use crate::iphlp::notification as n;
use crate::{addr_message, link_message, neigh_message, route_message, Adapter};
use crate::{Neighbour, Route, Snapshot, UnicastAddress};

/// `MIB_NOTIFICATION_TYPE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// `MibParameterNotification`: an object changed.
    ParameterChange,
    /// `MibAddInstance`: an object appeared.
    AddInstance,
    /// `MibDeleteInstance`: an object went away.
    DeleteInstance,
    /// `MibInitialNotification`: sent once when the callback is registered.
    InitialNotification,
    /// A value this crate does not know.
    Other(u32),
}

impl NotificationKind {
    /// From the raw `MIB_NOTIFICATION_TYPE`.
    pub fn from_raw(v: u32) -> NotificationKind {
        match v {
            n::PARAMETER_CHANGE => NotificationKind::ParameterChange,
            n::ADD_INSTANCE => NotificationKind::AddInstance,
            n::DELETE_INSTANCE => NotificationKind::DeleteInstance,
            n::INITIAL_NOTIFICATION => NotificationKind::InitialNotification,
            v => NotificationKind::Other(v),
        }
    }
}

/// The object a callback reported, as snapshot types.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// An interface (`NotifyIpInterfaceChange`), looked up as an adapter.
    Link(&'a Adapter),
    /// A unicast address (`NotifyUnicastIpAddressChange`) of the adapter
    /// with RTNL index `if_index`.
    Addr {
        /// The adapter's index.
        if_index: u32,
        /// The address row.
        addr: &'a UnicastAddress,
    },
    /// A route (`NotifyRouteChange2`).
    Route(&'a Route),
    /// A neighbour.
    Neigh(&'a Neighbour),
}

/// The RTNL message for one notification, or `None` when there is nothing
/// to say (`MibInitialNotification`, unknown types). `snap` is the state
/// the row is read against: the adapter of an address (for its label and
/// flags; a minimal adapter with the index when it is gone), and the
/// addresses that make a route local or broadcast.
pub fn notification(
    snap: &Snapshot,
    change: Change<'_>,
    kind: NotificationKind,
) -> Option<Message> {
    let delete = match kind {
        NotificationKind::AddInstance | NotificationKind::ParameterChange => false,
        NotificationKind::DeleteInstance => true,
        NotificationKind::InitialNotification | NotificationKind::Other(_) => return None,
    };
    let mut m = match change {
        Change::Link(a) => link_message(a),
        Change::Addr { if_index, addr } => match snap.adapter(if_index) {
            Some(a) => addr_message(a, addr),
            None => addr_message(
                &Adapter {
                    if_index,
                    ..Adapter::default()
                },
                addr,
            ),
        },
        Change::Route(r) => route_message(snap, r),
        Change::Neigh(nb) => neigh_message(snap, nb),
    };
    if delete {
        let family = m.family()?;
        m.header.kind = family.del_type();
    }
    Some(m)
}

/// The row a `Notify*Change` callback was given, as snapshot types.
/// Only the row's key is trusted (nothing promises that every field of a
/// notification row is filled in, and the object may have changed again
/// since), so the callback
/// reads the object's current state ([`ChangedRow::lookup`]) and
/// [`callback_message`] reports that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangedRow {
    /// `MIB_IPINTERFACE_ROW` (`NotifyIpInterfaceChange`): one IP family of
    /// an interface.
    Interface {
        /// `InterfaceIndex`.
        if_index: u32,
        /// `InterfaceLuid`.
        luid: u64,
    },
    /// `MIB_UNICASTIPADDRESS_ROW` (`NotifyUnicastIpAddressChange`).
    Addr {
        /// `InterfaceIndex`.
        if_index: u32,
        /// The address part of the row.
        addr: UnicastAddress,
    },
    /// `MIB_IPFORWARD_ROW2` (`NotifyRouteChange2`).
    Route(Route),
}

/// What a callback reads from the system before it can translate its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Nothing: the notification says nothing (`MibInitialNotification`,
    /// an unknown type).
    Nothing,
    /// The adapters (`GetAdaptersAddresses`): the link itself, the address
    /// and its adapter (label, flags).
    Adapters,
    /// The adapters (which classify a route as local or broadcast) and the
    /// route's own current row (`GetIpForwardEntry2`), put in
    /// [`Snapshot::routes`] when it still exists.
    AdaptersAndRoute,
}

impl ChangedRow {
    /// What to read before [`callback_message`] for a notification of
    /// `kind` about this row.
    pub fn lookup(&self, kind: NotificationKind) -> Lookup {
        match kind {
            NotificationKind::InitialNotification | NotificationKind::Other(_) => Lookup::Nothing,
            _ => match self {
                ChangedRow::Interface { .. } | ChangedRow::Addr { .. } => Lookup::Adapters,
                ChangedRow::Route(_) => Lookup::AdaptersAndRoute,
            },
        }
    }

    /// The RTNL multicast group (`RTNLGRP_*`) its notification belongs
    /// to: a socket not bound to it needs no lookup at all.
    pub fn group(&self) -> u32 {
        use rtnl_wire::rtm::groups::*;
        let v6 = |ip: &std::net::IpAddr| ip.is_ipv6();
        match self {
            ChangedRow::Interface { .. } => RTNLGRP_LINK,
            ChangedRow::Addr { addr, .. } if v6(&addr.address) => RTNLGRP_IPV6_IFADDR,
            ChangedRow::Addr { .. } => RTNLGRP_IPV4_IFADDR,
            ChangedRow::Route(r) if v6(&r.destination) => RTNLGRP_IPV6_ROUTE,
            ChangedRow::Route(_) => RTNLGRP_IPV4_ROUTE,
        }
    }
}

/// Whether two route rows name the same route (the key of
/// `MIB_IPFORWARD_ROW2`: interface, destination prefix, next hop).
fn same_route(a: &Route, b: &Route) -> bool {
    a.if_index == b.if_index
        && a.destination == b.destination
        && a.prefix_len == b.prefix_len
        && a.next_hop == b.next_hop
}

/// The RTNL notification for a callback's `row`, from what the system
/// holds now (`now`, read as [`ChangedRow::lookup`] says). The object's
/// current state decides, whatever the notification type said, since the
/// state may have moved on between the change and the lookup:
///
/// - present: `RTM_NEW*` with its current data (so an interface that lost
///   one IP family but still exists, `MibDeleteInstance` of its
///   `MIB_IPINTERFACE_ROW`, gives `RTM_NEWLINK`);
/// - gone: `RTM_DEL*` from the row (a link as a minimal adapter with the
///   row's index and LUID; an address with the row's data, on its adapter
///   when that still exists).
///
/// `None` for `MibInitialNotification` and unknown types.
pub fn callback_message(
    now: &Snapshot,
    row: &ChangedRow,
    kind: NotificationKind,
) -> Option<Message> {
    if row.lookup(kind) == Lookup::Nothing {
        return None;
    }
    let present = NotificationKind::ParameterChange;
    let gone = NotificationKind::DeleteInstance;
    match row {
        ChangedRow::Interface { if_index, luid } => match now.adapter(*if_index) {
            Some(a) => notification(now, Change::Link(a), present),
            None => {
                let minimal = Adapter {
                    if_index: *if_index,
                    luid: *luid,
                    ..Adapter::default()
                };
                notification(now, Change::Link(&minimal), gone)
            }
        },
        ChangedRow::Addr { if_index, addr } => {
            let current = now
                .adapter(*if_index)
                .and_then(|a| a.unicast.iter().find(|u| u.address == addr.address));
            let if_index = *if_index;
            match current {
                Some(u) => notification(now, Change::Addr { if_index, addr: u }, present),
                None => notification(now, Change::Addr { if_index, addr }, gone),
            }
        }
        ChangedRow::Route(r) => match now.routes.iter().find(|c| same_route(c, r)) {
            Some(c) => notification(now, Change::Route(c), present),
            None => notification(now, Change::Route(r), gone),
        },
    }
}
