//! Replaying a BSD or macOS machine's routing state, on any Unix: an
//! [`IpRoute`] whose requests are answered from sysctl dumps you supply
//! (`NET_RT_IFLIST`, `NET_RT_DUMP`, `NET_RT_FLAGS` bytes, as captured on
//! that machine) and whose notifications, once bound, come from
//! routing-socket messages you feed in. It runs the very emulator the BSD
//! backend runs (the same translation, the same answers, the same monitor
//! thread and queue); only the two system calls are replaced. So a program
//! written against `IpRoute` can be tested against FreeBSD, OpenBSD,
//! NetBSD or macOS behaviour on a Linux CI machine.
//!
//! ```
//! use rtnl::replay::{Flavor, Replay};
//! use rtnl::{IpRoute, LinkFilter};
//! # fn main() -> rtnl::Result<()> {
//! let replay = Replay::new(Flavor::FreeBsd);
//! // An empty interface list: the machine has no interfaces.
//! replay.set_links(Vec::new());
//! let mut ipr = IpRoute::replay(&replay)?;
//! assert_eq!(ipr.emulator(), Some("freebsd"));
//! assert!(ipr.get_links(&LinkFilter::default())?.is_empty());
//! // Setters are refused as on FreeBSD itself.
//! assert!(matches!(
//!     ipr.link_del(1),
//!     Err(rtnl::Error::Unsupported { platform: "freebsd", .. })
//! ));
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::os::fd::RawFd;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

pub use rtnl_pfroute::Flavor;

use crate::error::{Error, Result};
use crate::iproute::IpRoute;
use crate::sys::bsd::{self, Dumper, Read, RouteIo};
use crate::sys::signal::Signal;

/// An IP version, for the route and neighbour dumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IpFamily {
    /// IPv4 (`AF_INET`).
    V4,
    /// IPv6 (the flavour's `AF_INET6`).
    V6,
}

/// `NET_RT_DUMP` and `NET_RT_FLAGS`: the same on every BSD.
const NET_RT_DUMP: i32 = 1;
const NET_RT_FLAGS: i32 = 2;

/// A BSD routing state to replay. Clones share it: what is set or fed
/// through one is seen by every `IpRoute` made from any of them.
#[derive(Debug, Clone)]
pub struct Replay {
    flavor: Flavor,
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    links: Vec<u8>,
    /// By family and table (0: the default table).
    routes: BTreeMap<(IpFamily, u32), Vec<u8>>,
    neighbours: BTreeMap<IpFamily, Vec<u8>>,
    /// The routing sockets of bound objects.
    listeners: Vec<Weak<Listener>>,
}

/// One bound object's routing socket: the reads waiting, and a descriptor
/// readable while any does.
#[derive(Debug)]
struct Listener {
    reads: Mutex<VecDeque<Option<Vec<u8>>>>,
    signal: Mutex<Signal>,
    fd: RawFd,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update is a single assignment or push: a panic elsewhere
    // leaves consistent data.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Replay {
    /// An empty machine of `flavor`: no interfaces, routes or neighbours.
    pub fn new(flavor: Flavor) -> Replay {
        Replay {
            flavor,
            state: Arc::default(),
        }
    }

    /// The flavour replayed.
    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// The interface list: the bytes of `NET_RT_IFLIST` (Darwin:
    /// `NET_RT_IFLIST2`), `RTM_IFINFO` and `RTM_NEWADDR` messages.
    pub fn set_links(&self, dump: impl Into<Vec<u8>>) {
        lock(&self.state).links = dump.into();
    }

    /// The routes of one family and table: the bytes of `NET_RT_DUMP`.
    /// Table 0 is the default table (FreeBSD fib 0, OpenBSD rtable 0, the
    /// only table of NetBSD and Darwin); another number is a FreeBSD fib or
    /// OpenBSD rtable, which exists once set.
    pub fn set_routes(&self, family: IpFamily, table: u32, dump: impl Into<Vec<u8>>) {
        lock(&self.state)
            .routes
            .insert((family, table), dump.into());
    }

    /// The neighbours of one family: the bytes of `NET_RT_FLAGS` with the
    /// link-layer flag (the ARP or NDP entries).
    pub fn set_neighbours(&self, family: IpFamily, dump: impl Into<Vec<u8>>) {
        lock(&self.state).neighbours.insert(family, dump.into());
    }

    /// Delivers one read of a routing socket (one message, as the kernel
    /// hands them out) to every bound object.
    pub fn event(&self, message: &[u8]) {
        self.deliver(Some(message.to_vec()));
    }

    /// Makes every bound object's routing socket report `ENOBUFS`, as one
    /// does after it overflowed: notifications were lost.
    pub fn lose(&self) {
        self.deliver(None);
    }

    fn deliver(&self, read: Option<Vec<u8>>) {
        let mut st = lock(&self.state);
        st.listeners.retain(|l| l.strong_count() > 0);
        for l in st.listeners.iter().filter_map(Weak::upgrade) {
            lock(&l.reads).push_back(read.clone());
            lock(&l.signal).set();
        }
    }

    /// A routing socket for a bound object: registered now, it receives
    /// what is fed from now on.
    fn listen(&self) -> io::Result<Box<dyn RouteIo>> {
        let signal = Signal::new()?;
        let fd = signal.as_raw_fd();
        let listener = Arc::new(Listener {
            reads: Mutex::default(),
            signal: Mutex::new(signal),
            fd,
        });
        lock(&self.state).listeners.push(Arc::downgrade(&listener));
        Ok(Box::new(Listening {
            listener,
            replay: self.clone(),
        }))
    }
}

/// The emulator's dumps, read from the replayed state.
#[derive(Debug)]
struct Dumps(Replay);

impl Dumps {
    /// The family a MIB's fourth element names.
    fn family(&self, af: i32) -> Option<IpFamily> {
        match af {
            2 => Some(IpFamily::V4),
            a if a == i32::from(self.0.flavor.af_inet6()) => Some(IpFamily::V6),
            _ => None,
        }
    }
}

impl Dumper for Dumps {
    fn dump(&mut self, mib: &[i32]) -> io::Result<Option<Vec<u8>>> {
        let st = lock(&self.0.state);
        let (af, op) = (mib.get(3).copied(), mib.get(4).copied());
        Ok(match op {
            Some(op) if op == bsd::iflist_op(self.0.flavor) => Some(st.links.clone()),
            Some(NET_RT_DUMP) => {
                let table = mib.get(6).map_or(0, |&t| t as u32);
                let families = match af.and_then(|a| self.family(a)) {
                    Some(f) => vec![f],
                    // af 0: every family, as the kernel dumps them.
                    None => vec![IpFamily::V4, IpFamily::V6],
                };
                let exists = table == 0
                    || families
                        .iter()
                        .any(|&f| st.routes.contains_key(&(f, table)));
                exists.then(|| {
                    families
                        .iter()
                        .filter_map(|&f| st.routes.get(&(f, table)))
                        .flatten()
                        .copied()
                        .collect()
                })
            }
            Some(NET_RT_FLAGS) => Some(
                af.and_then(|a| self.family(a))
                    .and_then(|f| st.neighbours.get(&f).cloned())
                    .unwrap_or_default(),
            ),
            _ => Some(Vec::new()),
        })
    }

    fn fibs(&mut self) -> io::Result<u32> {
        let st = lock(&self.0.state);
        Ok(st.routes.keys().map(|&(_, t)| t + 1).max().unwrap_or(1))
    }
}

/// A bound object's end of the replay.
#[derive(Debug)]
struct Listening {
    listener: Arc<Listener>,
    replay: Replay,
}

impl RouteIo for Listening {
    fn fd(&self) -> RawFd {
        self.listener.fd
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<Read> {
        let mut reads = lock(&self.listener.reads);
        let r = match reads.pop_front() {
            Some(Some(m)) => {
                // A read truncates what does not fit, as recv(2) does.
                let n = m.len().min(buf.len());
                buf[..n].copy_from_slice(&m[..n]);
                Read::Data(n)
            }
            Some(None) => Read::Lost,
            None => Read::Empty,
        };
        if reads.is_empty() {
            lock(&self.listener.signal).clear();
        }
        Ok(r)
    }

    fn links(&mut self) -> io::Result<Vec<u8>> {
        Ok(lock(&self.replay.state).links.clone())
    }
}

impl IpRoute {
    /// An object answered by the BSD emulator from `replay` (see the
    /// [module docs](crate::replay)): getters read its dumps, setters are
    /// refused as on that platform, and `bind` starts the emulator's
    /// monitor thread on the messages fed to it.
    pub fn replay(replay: &Replay) -> Result<IpRoute> {
        let platform = replay.flavor.platform();
        let events = replay.clone();
        let sock = bsd::Socket::with(
            replay.flavor,
            platform,
            Box::new(Dumps(replay.clone())),
            Box::new(move || events.listen()),
        )
        .map_err(|e| Error::io("open a replay", e))?;
        // On Linux the transport wraps the emulator; on the BSDs it is one.
        #[allow(clippy::useless_conversion)]
        let sock = sock.into();
        Ok(IpRoute::with_socket(sock))
    }
}
