//! Change notifications: `NotifyIpInterfaceChange`,
//! `NotifyUnicastIpAddressChange` and `NotifyRouteChange2` (all
//! `AF_UNSPEC`, with the initial notification) feeding an emulated
//! socket's queue.
//!
//! The system calls the callbacks on its own threads (serialized per
//! registration). Each one copies its row into `rtnl_winsnap`'s types
//! (`iphlp.rs`), and, when the socket is bound to the row's group, reads
//! the object's current state (a fresh `GetAdaptersAddresses`, and
//! `GetIpForwardEntry2` for a route: a row is trusted for its key only, not
//! to be complete), lets `rtnl_winsnap::callback_message` decide the
//! message (present: `RTM_NEW*`; gone: `RTM_DEL*`) and queues its bytes
//! when the socket wants them. A lookup that fails, a change without a row
//! and a panic (caught: it must not cross the FFI boundary) each queue an
//! overrun marker: loss is never silent (a row of a family RTNL has no
//! message for is ignored). `MibInitialNotification` is only
//! counted (per registration, for tests): it marks the registration, not a
//! change.
//!
//! The context the callbacks get is one strong count of an `Arc<Shared>`
//! turned into a raw pointer. `cancel` (and drop) calls
//! `CancelMibChangeNotify2` on every handle, which returns only once no
//! callback of that registration runs (Microsoft: calling it from the
//! callback itself deadlocks, because it waits for the callback), and only
//! then takes the count back: after that no callback can touch the queue.
//! The thread that cancels holds no lock a callback waits for (the queue's
//! lock is only held inside `push`/`pop`).
//!
//! There is no neighbour notification: iphlpapi has no `Notify*` function
//! for the neighbour table (`MIB_IPNET_ROW2`).

use std::ffi::c_void;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use rtnl_winsnap::{callback_message, ChangedRow, Lookup, NotificationKind, Snapshot};
use windows_sys::Win32::Foundation::{HANDLE, NO_ERROR};
use windows_sys::Win32::NetworkManagement::IpHelper::{
    CancelMibChangeNotify2, NotifyIpInterfaceChange, NotifyRouteChange2,
    NotifyUnicastIpAddressChange, MIB_IPFORWARD_ROW2, MIB_IPINTERFACE_ROW, MIB_NOTIFICATION_TYPE,
    MIB_UNICASTIPADDRESS_ROW,
};
use windows_sys::Win32::Networking::WinSock::AF_UNSPEC;

use super::iphlp;
use crate::monitor::queue::Queue;
use crate::monitor::SharedGroups;
use crate::Groups;

/// The three registrations, in the order they are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Interface = 0,
    Address = 1,
    Route = 2,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Interface, Kind::Address, Kind::Route];

    /// The registering function, for messages.
    fn function(self) -> &'static str {
        match self {
            Kind::Interface => "NotifyIpInterfaceChange",
            Kind::Address => "NotifyUnicastIpAddressChange",
            Kind::Route => "NotifyRouteChange2",
        }
    }
}

/// What the callbacks share: the queue and groups of the socket, and
/// counters.
#[derive(Debug)]
pub(crate) struct Shared {
    queue: Arc<Queue>,
    groups: SharedGroups,
    /// `MibInitialNotification`s delivered, per registration (`Kind`).
    initial: [AtomicU32; 3],
    /// Callback bodies that panicked (each queued an overrun marker).
    panics: AtomicU32,
}

/// The registered callbacks of one bound socket. Dropping it cancels them
/// and waits until none runs.
#[derive(Debug)]
pub(crate) struct Registrations {
    /// The handles the `Notify*` functions returned (as integers: a raw
    /// handle is not `Send`), with what registered them.
    handles: Vec<(Kind, usize)>,
    /// The callbacks' context: one strong count of `shared`, taken back
    /// after every registration was cancelled. Null once taken back (or
    /// deliberately leaked after a failed cancel).
    context: *const Shared,
    /// Our own count: tests see the context's count drop back to it.
    #[cfg_attr(not(test), allow(dead_code))]
    shared: Arc<Shared>,
}

// SAFETY: `context` is only an owned strong count of an `Arc<Shared>`
// (`Shared` is `Send + Sync`); it is used from whichever thread cancels,
// once, and the handles are plain values any thread may cancel.
unsafe impl Send for Registrations {}

impl Registrations {
    /// Registers the three callbacks (`AF_UNSPEC`, initial notification
    /// on). Items they translate go to `queue` when `groups` wants them. On
    /// a failure, what was registered is cancelled and the error names the
    /// function and the system's text.
    pub(crate) fn register(queue: Arc<Queue>, groups: SharedGroups) -> io::Result<Registrations> {
        let shared = Arc::new(Shared {
            queue,
            groups,
            initial: Default::default(),
            panics: AtomicU32::new(0),
        });
        let mut regs = Registrations {
            handles: Vec::with_capacity(Kind::ALL.len()),
            context: Arc::into_raw(shared.clone()),
            shared,
        };
        let ctx = regs.context.cast::<c_void>();
        for kind in Kind::ALL {
            let mut handle: HANDLE = std::ptr::null_mut();
            // SAFETY: `ctx` stays valid until every registration is
            // cancelled (`cancel`); the callbacks match the function
            // pointer types; `handle` is written on success.
            let rc = unsafe {
                match kind {
                    Kind::Interface => NotifyIpInterfaceChange(
                        AF_UNSPEC,
                        Some(changed::<MIB_IPINTERFACE_ROW>),
                        ctx,
                        true,
                        &mut handle,
                    ),
                    Kind::Address => NotifyUnicastIpAddressChange(
                        AF_UNSPEC,
                        Some(changed::<MIB_UNICASTIPADDRESS_ROW>),
                        ctx,
                        true,
                        &mut handle,
                    ),
                    Kind::Route => NotifyRouteChange2(
                        AF_UNSPEC,
                        Some(changed::<MIB_IPFORWARD_ROW2>),
                        ctx,
                        true,
                        &mut handle,
                    ),
                }
            };
            if rc != NO_ERROR {
                let e = iphlp::win_err(kind.function(), rc);
                return Err(match regs.cancel() {
                    Ok(()) => e,
                    Err(c) => io::Error::new(e.kind(), format!("{e} (and then {c})")),
                });
            }
            regs.handles.push((kind, handle as usize));
        }
        Ok(regs)
    }

    /// Cancels every registration (`CancelMibChangeNotify2`, which waits
    /// for running callbacks), then releases the callbacks' context.
    /// Calling it again does nothing. When a cancel fails the context is
    /// leaked rather than freed (that registration might still call back)
    /// and the first error is returned.
    pub(crate) fn cancel(&mut self) -> io::Result<()> {
        let mut failed = None;
        for (kind, h) in self.handles.drain(..) {
            // A null handle (Wine 8's semi-stubs return one) registered
            // nothing that could be cancelled.
            if h == 0 {
                continue;
            }
            // SAFETY: a handle a Notify function returned, cancelled once
            // (drained); this thread holds no lock a callback waits for.
            let rc = unsafe { CancelMibChangeNotify2(h as HANDLE) };
            if rc != NO_ERROR && failed.is_none() {
                let call = format!("CancelMibChangeNotify2 ({})", kind.function());
                failed = Some(iphlp::win_err(&call, rc));
            }
        }
        let context = std::mem::replace(&mut self.context, std::ptr::null());
        match failed {
            None => {
                if !context.is_null() {
                    // SAFETY: the strong count `register` turned into the
                    // context, taken back once: no registration is left to
                    // call back with it.
                    drop(unsafe { Arc::from_raw(context) });
                }
                Ok(())
            }
            // Leaked on purpose: a callback may still run with it.
            Some(e) => Err(e),
        }
    }

    /// `MibInitialNotification`s delivered so far, per registration
    /// (interfaces, addresses, routes).
    #[cfg(test)]
    fn initial(&self) -> [u32; 3] {
        let n = |k: Kind| self.shared.initial[k as usize].load(Ordering::Acquire);
        [n(Kind::Interface), n(Kind::Address), n(Kind::Route)]
    }
}

impl Drop for Registrations {
    fn drop(&mut self) {
        let _ = self.cancel();
    }
}

/// A notification row type: its registration, and how it becomes a
/// `ChangedRow` and what reads its object's current state.
trait Row: Copy {
    const KIND: Kind;
    fn changed(&self) -> Option<ChangedRow>;
    /// The system's current state for `lookup` (not `Lookup::Nothing`).
    fn now(&self, lookup: Lookup) -> io::Result<Snapshot> {
        let _ = lookup;
        Ok(Snapshot {
            adapters: iphlp::adapters()?,
            ..Snapshot::default()
        })
    }
}

impl Row for MIB_IPINTERFACE_ROW {
    const KIND: Kind = Kind::Interface;
    fn changed(&self) -> Option<ChangedRow> {
        let (if_index, luid) = iphlp::interface_key(self);
        Some(ChangedRow::Interface { if_index, luid })
    }
}

impl Row for MIB_UNICASTIPADDRESS_ROW {
    const KIND: Kind = Kind::Address;
    fn changed(&self) -> Option<ChangedRow> {
        let (if_index, addr) = iphlp::unicast_row(self)?;
        Some(ChangedRow::Addr { if_index, addr })
    }
}

impl Row for MIB_IPFORWARD_ROW2 {
    const KIND: Kind = Kind::Route;
    fn changed(&self) -> Option<ChangedRow> {
        iphlp::route(self).map(ChangedRow::Route)
    }
    fn now(&self, lookup: Lookup) -> io::Result<Snapshot> {
        let mut now = Snapshot {
            adapters: iphlp::adapters()?,
            ..Snapshot::default()
        };
        if lookup == Lookup::AdaptersAndRoute {
            now.routes.extend(iphlp::route_entry(self)?);
        }
        Ok(now)
    }
}

/// The callback of every registration.
///
/// # Safety
/// `ctx` is null or the context `register` passed, alive until the
/// registration is cancelled; `row` is null or a row valid for the call.
unsafe extern "system" fn changed<R: Row>(
    ctx: *const c_void,
    row: *const R,
    kind: MIB_NOTIFICATION_TYPE,
) {
    if ctx.is_null() {
        return;
    }
    // SAFETY: the caller's contract: a live `Shared`.
    let shared = unsafe { &*ctx.cast::<Shared>() };
    // SAFETY: the caller's contract; the row is copied at once.
    let row = unsafe { row.as_ref() }.copied();
    let kind = NotificationKind::from_raw(kind as u32);
    if catch_unwind(AssertUnwindSafe(|| shared.on_change(row, kind))).is_err() {
        shared.panics.fetch_add(1, Ordering::AcqRel);
        // What the callback was about is lost: say so. (Pushing cannot
        // panic; the guard only keeps a second panic from unwinding.)
        let _ = catch_unwind(AssertUnwindSafe(|| shared.queue.overrun()));
    }
}

impl Shared {
    /// One callback's work: count, or translate and queue.
    fn on_change<R: Row>(&self, row: Option<R>, kind: NotificationKind) {
        match kind {
            NotificationKind::InitialNotification => {
                self.initial[R::KIND as usize].fetch_add(1, Ordering::AcqRel);
                return;
            }
            NotificationKind::Other(_) => return,
            _ => {}
        }
        // A change without a row: something changed that cannot be told.
        let Some(row) = row else {
            self.queue.overrun();
            return;
        };
        // A family RTNL has no message for: nothing to tell.
        let Some(changed) = row.changed() else {
            return;
        };
        // Not bound to its group: no lookup, and nothing to lose.
        if !self.groups.get().contains(Groups::group(changed.group())) {
            return;
        }
        let lookup = changed.lookup(kind);
        if lookup == Lookup::Nothing {
            return;
        }
        let Ok(now) = row.now(lookup) else {
            self.queue.overrun();
            return;
        };
        if let Some(msg) = callback_message(&now, &changed, kind) {
            let bytes = msg.to_bytes();
            if self.groups.wants(&bytes) {
                self.queue.push(bytes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::queue::Popped;
    use rtnl_wire::rtm::{RTM_DELADDR, RTM_DELLINK};
    use rtnl_wire::{Fixed, Message};
    use std::time::{Duration, Instant};
    use windows_sys::Win32::NetworkManagement::IpHelper::{
        MibAddInstance, MibDeleteInstance, IP_ADDRESS_PREFIX,
    };
    use windows_sys::Win32::Networking::WinSock::{
        AF_INET, IN_ADDR, IN_ADDR_0, SOCKADDR_IN, SOCKADDR_INET,
    };

    fn bound(groups: Groups) -> (Arc<Queue>, SharedGroups) {
        let g = SharedGroups::default();
        g.add(groups);
        (Arc::new(Queue::new(64).unwrap()), g)
    }

    fn drain(q: &Queue) -> Vec<Vec<u8>> {
        std::iter::from_fn(|| match q.pop(false) {
            Popped::Item(b) => Some(b),
            _ => None,
        })
        .collect()
    }

    /// Whether this runs under Wine (its ntdll exports `wine_get_version`).
    fn under_wine() -> bool {
        use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};
        // SAFETY: NUL-terminated names; ntdll is loaded in every process
        // and the handle is not released.
        unsafe {
            let ntdll = GetModuleHandleA(c"ntdll.dll".as_ptr().cast());
            !ntdll.is_null() && GetProcAddress(ntdll, c"wine_get_version".as_ptr().cast()).is_some()
        }
    }

    /// Registers for real: the initial notifications arrive (and are only
    /// counted), anything else queued is a well-formed link, address or
    /// route notification, and cancel releases the context. Windows sends
    /// one initial notification per registration; Wine 8 only for
    /// addresses (its `NotifyIpInterfaceChange` and `NotifyRouteChange2`
    /// are stubs that accept the registration and never call back).
    #[test]
    fn register_sees_the_initial_notifications_and_cancel_releases_the_context() {
        let (queue, groups) = bound(Groups::DEFAULT);
        let mut regs = Registrations::register(queue.clone(), groups).unwrap();
        assert_eq!(regs.handles.len(), 3);
        let wine = under_wine();
        let done = |n: [u32; 3]| if wine { n[1] == 1 } else { n == [1, 1, 1] };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(regs.initial()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        // Time for a late or duplicate one to show.
        std::thread::sleep(Duration::from_millis(100));
        let n = regs.initial();
        println!("initial notifications (interfaces, addresses, routes): {n:?}, wine: {wine}");
        if wine {
            assert_eq!(n[1], 1, "{n:?}");
            assert!(n.iter().all(|&c| c <= 1), "{n:?}");
        } else {
            assert_eq!(n, [1, 1, 1], "one initial notification each");
        }
        assert_eq!(Arc::strong_count(&regs.shared), 2, "ours and the context");
        regs.cancel().unwrap();
        assert_eq!(
            Arc::strong_count(&regs.shared),
            1,
            "the context was released"
        );
        regs.cancel().unwrap();
        assert_eq!(regs.shared.panics.load(Ordering::Acquire), 0);
        // Nothing bogus: a quiet machine (Wine) queues nothing at all; a
        // real change meanwhile would be a proper notification.
        for b in drain(&queue) {
            let m = Message::parse_all(&b).next().unwrap().unwrap();
            assert!(
                matches!(m.header.kind, 16..=17 | 20..=21 | 24..=25),
                "unexpected {m:?}"
            );
        }
        assert_eq!(queue.counts().1, 0, "nothing dropped");
    }

    fn address_row(ip: [u8; 4], prefix_len: u8, if_index: u32) -> MIB_UNICASTIPADDRESS_ROW {
        let mut r = MIB_UNICASTIPADDRESS_ROW::default();
        r.Address.Ipv4 = SOCKADDR_IN {
            sin_family: AF_INET,
            sin_port: 0,
            sin_addr: IN_ADDR {
                S_un: IN_ADDR_0 {
                    S_addr: u32::from_ne_bytes(ip),
                },
            },
            sin_zero: [0; 8],
        };
        r.OnLinkPrefixLength = prefix_len;
        r.InterfaceIndex = if_index;
        r
    }

    /// The callbacks themselves, called as the system would, with rows
    /// of objects that do not exist: the lookups run for real and the
    /// objects are reported gone.
    #[test]
    fn callbacks_translate_filter_and_report_loss() {
        let (queue, groups) = bound(Groups::LINK | Groups::IPV4_ADDR);
        let shared = Arc::new(Shared {
            queue: queue.clone(),
            groups: groups.clone(),
            initial: Default::default(),
            panics: AtomicU32::new(0),
        });
        let ctx = Arc::as_ptr(&shared).cast::<c_void>();

        // An address that is on no adapter: gone, RTM_DELADDR from the row.
        let row = address_row([192, 0, 2, 99], 24, 999_999);
        // SAFETY: a live context and a valid row, as the system passes.
        unsafe { changed::<MIB_UNICASTIPADDRESS_ROW>(ctx, &row, MibAddInstance) };
        let got = drain(&queue);
        assert_eq!(got.len(), 1, "{got:?}");
        let m = Message::parse_all(&got[0]).next().unwrap().unwrap();
        assert_eq!(m.header.kind, RTM_DELADDR);
        assert!(matches!(m.fixed, Fixed::Addr(h) if h.index == 999_999 && h.prefixlen == 24));
        assert_eq!(
            m.get_attr("IFA_ADDRESS").and_then(rtnl_wire::Value::as_ip),
            Some("192.0.2.99".parse().unwrap())
        );

        // An interface that does not exist: a minimal RTM_DELLINK.
        let iface = MIB_IPINTERFACE_ROW {
            Family: AF_INET,
            InterfaceIndex: 999_998,
            ..Default::default()
        };
        // SAFETY: as above.
        unsafe { changed::<MIB_IPINTERFACE_ROW>(ctx, &iface, MibDeleteInstance) };
        let got = drain(&queue);
        assert_eq!(got.len(), 1, "{got:?}");
        let m = Message::parse_all(&got[0]).next().unwrap().unwrap();
        assert_eq!(m.header.kind, RTM_DELLINK);
        assert!(matches!(m.fixed, Fixed::Link(h) if h.index == 999_998));

        // Routes are not bound: nothing is read or queued.
        let mut prefix = SOCKADDR_INET::default();
        prefix.si_family = AF_INET;
        let route = MIB_IPFORWARD_ROW2 {
            DestinationPrefix: IP_ADDRESS_PREFIX {
                Prefix: prefix,
                PrefixLength: 24,
            },
            ..Default::default()
        };
        // SAFETY: as above.
        unsafe { changed::<MIB_IPFORWARD_ROW2>(ctx, &route, MibAddInstance) };
        assert!(drain(&queue).is_empty());
        // A row of a family RTNL cannot express: nothing to tell.
        let odd = MIB_UNICASTIPADDRESS_ROW::default();
        // SAFETY: as above.
        unsafe { changed::<MIB_UNICASTIPADDRESS_ROW>(ctx, &odd, MibAddInstance) };
        assert!(drain(&queue).is_empty());

        // A change without a row is a loss; the initial notification and
        // an unknown type are not; a null context is ignored.
        // SAFETY: as above (null rows and contexts are allowed).
        unsafe {
            changed::<MIB_UNICASTIPADDRESS_ROW>(ctx, std::ptr::null(), 3);
            changed::<MIB_UNICASTIPADDRESS_ROW>(ctx, std::ptr::null(), 77);
            changed::<MIB_UNICASTIPADDRESS_ROW>(std::ptr::null(), &row, MibAddInstance);
        }
        assert!(drain(&queue).is_empty());
        assert_eq!(
            shared.initial[Kind::Address as usize].load(Ordering::Acquire),
            1
        );
        // SAFETY: as above.
        unsafe { changed::<MIB_UNICASTIPADDRESS_ROW>(ctx, std::ptr::null(), MibAddInstance) };
        assert_eq!(drain(&queue), vec![crate::monitor::queue::overrun_marker()]);
        assert_eq!(shared.panics.load(Ordering::Acquire), 0);
    }
}
