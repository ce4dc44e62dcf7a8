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
