//! The PF_ROUTE half of monitoring: a routing socket read, its messages
//! translated into the RTNL notifications Linux would send, filtered by the
//! bound groups. The monitor thread (`crate::monitor`'s machinery) calls
//! [`EventSource::pump`] whenever [`EventSource::fd`] is readable, feeding
//! its queue:
//!
//! ```ignore
//! let mut src = EventSource::open(groups)?;
//! Monitor::spawn(capacity, "rtnl-pfroute", move |feed| {
//!     if wait_readable(&[src.fd(), feed.stop_fd()], -1)?[1] {
//!         return Ok(());
//!     }
//!     src.pump(&mut |m| feed.push(m), &mut || feed.overrun())
//! })
//! ```
//!
//! On Darwin, which never announces departures, every `RTM_IFINFO`,
//! `RTM_IFINFO2` or `RTM_DELADDR` (and every overrun) re-lists the
//! interfaces and [`Translator::reconcile_links`] turns each vanished index
//! into `RTM_DELLINK`.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use rtnl_pfroute::{Flavor, MsgType, Origin, Outcome, Translator};
use rtnl_wire::rtm::RTM_NEWLINK;
use rtnl_wire::Fixed;

use super::plan::{self, Source};
use super::sysctl;
use crate::monitor::Groups;

/// Largest routing message read at once (messages are far smaller; a read
/// returns one message and never splits it).
const READ_BUF: usize = 64 * 1024;

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// A routing socket and the translation state of its messages.
#[derive(Debug)]
pub(crate) struct EventSource {
    fd: OwnedFd,
    flavor: Flavor,
    translator: Translator,
    groups: Groups,
    buf: Vec<u8>,
}

impl EventSource {
    /// Opens a non-blocking, close-on-exec PF_ROUTE socket for `groups`
    /// and learns the current interfaces (names, flags), so that later
    /// messages that carry no `sockaddr_dl` are named and Darwin can tell
    /// which interfaces left.
    pub(crate) fn open(groups: Groups) -> io::Result<EventSource> {
        let flavor = Flavor::host().ok_or_else(|| {
            io::Error::new(io::ErrorKind::Unsupported, "not a BSD routing-socket host")
        })?;
        // SAFETY: plain socket(2) call; the result is checked.
        let raw = cvt(unsafe {
            libc::socket(
                libc::c_int::from(flavor.af_route()),
                libc::SOCK_RAW,
                libc::AF_UNSPEC,
            )
        })?;
        // SAFETY: `raw` is a fresh descriptor nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: fcntl on a descriptor we own.
        cvt(unsafe { libc::fcntl(raw, libc::F_SETFD, libc::FD_CLOEXEC) })?;
        // SAFETY: fcntl on a descriptor we own.
        let fl = cvt(unsafe { libc::fcntl(raw, libc::F_GETFL) })?;
        // SAFETY: fcntl on a descriptor we own.
        cvt(unsafe { libc::fcntl(raw, libc::F_SETFL, fl | libc::O_NONBLOCK) })?;
        let mut translator = Translator::new(flavor);
        // The snapshot's messages are not sent: this only fills the cache.
        let _ = translator.snapshot(&sysctl::dump(&plan::mib(flavor, Source::Links, None))?);
        Ok(EventSource {
            fd,
            flavor,
            translator,
            groups,
            buf: vec![0; READ_BUF],
        })
    }

    /// The routing socket, to wait on.
    pub(crate) fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Reads every message queued on the socket without blocking and hands
    /// each notification of the bound groups to `push` (RTNL bytes), each
    /// loss (`ENOBUFS`, OpenBSD `RTM_DESYNC`) to `overrun`.
    pub(crate) fn pump(
        &mut self,
        push: &mut dyn FnMut(Vec<u8>),
        overrun: &mut dyn FnMut(),
    ) -> io::Result<()> {
        loop {
            // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
            let n = unsafe {
                libc::read(
                    self.fd.as_raw_fd(),
                    self.buf.as_mut_ptr().cast(),
                    self.buf.len(),
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                match e.raw_os_error() {
                    Some(libc::EINTR) => continue,
                    Some(libc::ENOBUFS) => {
                        overrun();
                        self.reconcile(push)?;
                        continue;
                    }
                    _ if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                    _ => return Err(e),
                }
            }
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the routing socket was closed",
                ));
            }
            let got = n as usize;
            let mut lost = false;
            for o in self
                .translator
                .translate_buffer(&self.buf[..got], Origin::Event)
            {
                match o {
                    Outcome::Message(m) => {
                        let bytes = m.to_bytes();
                        if self.wanted(&bytes) {
                            push(bytes);
                        }
                    }
                    Outcome::Overrun(_) => {
                        overrun();
                        lost = true;
                    }
                    Outcome::Ignored(_) => {}
                }
            }
            if lost || self.departures_possible(got) {
                self.reconcile(push)?;
            }
        }
    }

    /// Whether a notification belongs to a bound group.
    fn wanted(&self, bytes: &[u8]) -> bool {
        plan::group_of(bytes).is_some_and(|g| self.groups.contains(Groups::group(g)))
    }

    /// Darwin: whether the message just read may follow an interface's
    /// departure (`RTM_IFINFO`, `RTM_IFINFO2`, `RTM_DELADDR`).
    fn departures_possible(&self, got: usize) -> bool {
        self.flavor == Flavor::Darwin
            && rtnl_pfroute::Messages::new(self.flavor, &self.buf[..got])
                .flatten()
                .any(|v| {
                    matches!(
                        v.msg_type(),
                        Some(MsgType::IfInfo | MsgType::IfInfo2 | MsgType::DelAddr)
                    )
                })
    }

    /// Re-lists the interfaces and reports those that left as
    /// `RTM_DELLINK` (the only way on Darwin; after an overrun elsewhere).
    fn reconcile(&mut self, push: &mut dyn FnMut(Vec<u8>)) -> io::Result<()> {
        let dump = sysctl::dump(&plan::mib(self.flavor, Source::Links, None))?;
        let present: Vec<u32> = Translator::new(self.flavor)
            .snapshot(&dump)
            .iter()
            .filter(|m| m.header.kind == RTM_NEWLINK)
            .filter_map(|m| match &m.fixed {
                Fixed::Link(h) => Some(h.index as u32),
                _ => None,
            })
            .collect();
        for m in self.translator.reconcile_links(&present) {
            let bytes = m.to_bytes();
            if self.wanted(&bytes) {
                push(bytes);
            }
        }
        Ok(())
    }
}
