//! The PF_ROUTE half of monitoring: routing-socket messages translated into
//! the RTNL notifications Linux would send, filtered by the bound groups,
//! fed by one monitor thread ([`spawn`]) into the emulated socket's queue,
//! where they wait behind the same descriptor as request replies.
//!
//! The system calls sit behind [`RouteIo`] (`route_socket.rs` on the BSDs),
//! so that the thread, the translation, the group filter, loss and
//! Darwin's departure tracking are tested on every host with scripted
//! fixture messages.
//!
//! On Darwin, which never announces departures, every `RTM_IFINFO`,
//! `RTM_IFINFO2` or `RTM_DELADDR` (and every loss) re-lists the interfaces
//! and [`Translator::reconcile_links`] turns each vanished index into
//! `RTM_DELLINK`. Elsewhere a loss re-lists them too: an `RTM_IFANNOUNCE`
//! departure may be what was lost.

use std::io;
use std::os::fd::RawFd;
use std::sync::Arc;

use rtnl_pfroute::{Flavor, MsgType, Origin, Outcome, Translator};
use rtnl_wire::rtm::RTM_NEWLINK;
use rtnl_wire::Fixed;

use crate::monitor::queue::{Feed, Monitor, Queue};
use crate::monitor::SharedGroups;
use crate::sys::signal::wait_readable;

/// Largest routing message read at once (messages are far smaller; a read
/// returns one message and never splits it).
const READ_BUF: usize = 64 * 1024;

/// What one read of the routing socket gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// One message of this many bytes is at the start of the buffer.
    Data(usize),
    /// The socket's buffer overflowed (`ENOBUFS`): messages were lost.
    Lost,
    /// Nothing waits.
    Empty,
}

/// The system side of the monitor thread.
pub(crate) trait RouteIo: Send + 'static {
    /// The descriptor that becomes readable when a message waits.
    fn fd(&self) -> RawFd;
    /// Reads one message without blocking.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<Read>;
    /// A fresh interface list (`NET_RT_IFLIST` / Darwin `NET_RT_IFLIST2`).
    fn links(&mut self) -> io::Result<Vec<u8>>;
}

impl RouteIo for Box<dyn RouteIo> {
    fn fd(&self) -> RawFd {
        (**self).fd()
    }
    fn read(&mut self, buf: &mut [u8]) -> io::Result<Read> {
        (**self).read(buf)
    }
    fn links(&mut self) -> io::Result<Vec<u8>> {
        (**self).links()
    }
}

/// A routing socket and the translation state of its messages.
#[derive(Debug)]
pub(crate) struct EventSource<I> {
    io: I,
    flavor: Flavor,
    translator: Translator,
    groups: SharedGroups,
    buf: Vec<u8>,
}

impl<I: RouteIo> EventSource<I> {
    /// Learns the current interfaces (names, flags) first, so that later
    /// messages that carry no `sockaddr_dl` are named and Darwin can tell
    /// which interfaces left.
    pub(crate) fn new(flavor: Flavor, mut io: I, groups: SharedGroups) -> io::Result<Self> {
        let mut translator = Translator::new(flavor);
        // The snapshot's messages are not sent: this only fills the cache.
        let _ = translator.snapshot(&io.links()?);
        Ok(EventSource {
            io,
            flavor,
            translator,
            groups,
            buf: vec![0; READ_BUF],
        })
    }

    /// Reads every message waiting on the socket and hands each
    /// notification of the bound groups to `feed`, each loss (`ENOBUFS`,
    /// OpenBSD `RTM_DESYNC`) as an overrun.
    pub(crate) fn pump(&mut self, feed: &Feed) -> io::Result<()> {
        loop {
            let got = match self.io.read(&mut self.buf)? {
                Read::Empty => return Ok(()),
                Read::Lost => {
                    feed.overrun();
                    self.reconcile(feed)?;
                    continue;
                }
                Read::Data(n) => n.min(self.buf.len()),
            };
            let mut lost = false;
            for o in self
                .translator
                .translate_buffer(&self.buf[..got], Origin::Event)
            {
                match o {
                    Outcome::Message(m) => {
                        let bytes = m.to_bytes();
                        if self.groups.wants(&bytes) {
                            feed.push(bytes);
                        }
                    }
                    Outcome::Overrun(_) => {
                        feed.overrun();
                        lost = true;
                    }
                    Outcome::Ignored(_) => {}
                }
            }
            if lost || self.departures_possible(got) {
                self.reconcile(feed)?;
            }
            if feed.stopping() {
                return Ok(());
            }
        }
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
    /// `RTM_DELLINK`.
    fn reconcile(&mut self, feed: &Feed) -> io::Result<()> {
        let dump = self.io.links()?;
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
            if self.groups.wants(&bytes) {
                feed.push(bytes);
            }
        }
        Ok(())
    }
}

/// Starts the monitor thread: it waits on the routing socket (and its stop
/// descriptor) and pumps into `queue` until the returned monitor drops. A
/// read error ends the thread and closes the queue with it, so `recv`
/// reports it instead of waiting forever.
pub(crate) fn spawn<I: RouteIo>(mut src: EventSource<I>, queue: Arc<Queue>) -> io::Result<Monitor> {
    Monitor::spawn_into(queue, "rtnl-pfroute", move |feed| {
        if wait_readable(&[src.io.fd(), feed.stop_fd()], -1)?[1] {
            return Ok(());
        }
        src.pump(feed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::bsd::fixture::{self as fx, Ifa, Rt};
    use crate::sys::emulated::{Emulated, Source};
    use crate::sys::signal::Signal;
    use crate::sys::Recv;
    use crate::Groups;
    use rtnl_wire::rtm;
    use std::collections::VecDeque;
    use std::sync::Mutex;
    use std::time::Duration;

    /// A routing socket played from a script: each item is one read.
    #[derive(Debug, Default)]
    struct Script {
        reads: VecDeque<Read>,
        data: VecDeque<Vec<u8>>,
        links: Vec<u8>,
        links_asked: usize,
    }

    #[derive(Debug, Clone)]
    struct Scripted {
        script: Arc<Mutex<Script>>,
        signal: Arc<Mutex<Signal>>,
        fd: RawFd,
    }

    impl Scripted {
        fn new(links: Vec<u8>) -> Scripted {
            let signal = Signal::new().unwrap();
            let fd = signal.as_raw_fd();
            Scripted {
                script: Arc::new(Mutex::new(Script {
                    links,
                    ..Script::default()
                })),
                signal: Arc::new(Mutex::new(signal)),
                fd,
            }
        }
        fn message(&self, bytes: Vec<u8>) {
            let mut s = self.script.lock().unwrap();
            s.reads.push_back(Read::Data(bytes.len()));
            s.data.push_back(bytes);
            self.signal.lock().unwrap().set();
        }
        fn lose(&self) {
            self.script.lock().unwrap().reads.push_back(Read::Lost);
            self.signal.lock().unwrap().set();
        }
        fn set_links(&self, links: Vec<u8>) {
            self.script.lock().unwrap().links = links;
        }
    }

    impl RouteIo for Scripted {
        fn fd(&self) -> RawFd {
            self.fd
        }
        fn read(&mut self, buf: &mut [u8]) -> io::Result<Read> {
            let mut s = self.script.lock().unwrap();
            let r = match s.reads.pop_front() {
                Some(Read::Data(n)) => {
                    let d = s.data.pop_front().unwrap();
                    buf[..n].copy_from_slice(&d);
                    Read::Data(n)
                }
                Some(r) => r,
                None => Read::Empty,
            };
            if s.reads.is_empty() {
                self.signal.lock().unwrap().clear();
            }
            Ok(r)
        }
        fn links(&mut self) -> io::Result<Vec<u8>> {
            let mut s = self.script.lock().unwrap();
            s.links_asked += 1;
            Ok(s.links.clone())
        }
    }

    fn ifinfo(f: Flavor, index: u16, name: &str) -> Vec<u8> {
        let h = fx::If {
            index,
            flags: 0x1 | 0x2 | 0x40 | 0x8000,
            ift: 6,
            addrlen: 6,
            link_state: 2,
            mtu: 1500,
            addrs: fx::RTA_IFP,
            ..Default::default()
        };
        let sdl = fx::sdl(index, 6, name, &[2, 0, 0, 0, 0, index as u8], 0);
        fx::if_msg(f, &h, &[sdl], true)
    }

    fn route_add(f: Flavor, dst: [u8; 4], gw: [u8; 4]) -> Vec<u8> {
        let h = Rt {
            ty: fx::rtm(f, "ADD"),
            index: 2,
            flags: 0x1 | 0x2 | 0x800, // UP|GATEWAY|STATIC
            addrs: fx::RTA_DST | fx::RTA_GATEWAY | fx::RTA_NETMASK,
            ..Default::default()
        };
        fx::rt_msg(
            f,
            &h,
            &[fx::sin(dst), fx::sin(gw), fx::sin([255, 255, 255, 0])],
            true,
        )
    }

    fn new_addr(f: Flavor, index: u16, addr: [u8; 4]) -> Vec<u8> {
        let h = Ifa {
            ty: fx::rtm(f, "NEWADDR"),
            index,
            addrs: fx::RTA_NETMASK | fx::RTA_IFA,
            ..Default::default()
        };
        fx::ifa_msg(f, &h, &[fx::sin([255, 255, 255, 0]), fx::sin(addr)], true)
    }

    /// An emulated socket bound to `groups`, its thread fed by `io`.
    fn bound(f: Flavor, io: Scripted, groups: Groups, capacity: usize) -> Emulated {
        let mut s = Emulated::open("testbsd").unwrap();
        s.bind(groups, capacity, |queue, groups| {
            let src = EventSource::new(f, io, groups)?;
            Ok(Box::new(spawn(src, queue)?) as Source)
        })
        .unwrap();
        s
    }

    /// The next event: a message's type, or `None` for an overrun.
    fn next(s: &mut Emulated) -> Option<(u16, Vec<u8>)> {
        assert_eq!(
            wait_readable(&[s.fd()], 5000).unwrap(),
            vec![true],
            "no event within 5 s"
        );
        let mut buf = Vec::new();
        match s.recv(&mut buf).unwrap() {
            Recv::Data => Some((u16::from_ne_bytes([buf[4], buf[5]]), buf)),
            Recv::Overrun => None,
            Recv::Spoofed(_) | Recv::Multicast => unreachable!(),
        }
    }

    #[test]
    fn routing_messages_become_rtnl_notifications_in_order_with_replies_between() {
        for f in [
            Flavor::FreeBsd,
            Flavor::OpenBsd,
            Flavor::NetBsd,
            Flavor::Darwin,
        ] {
            let io = Scripted::new(ifinfo(f, 2, "em0"));
            let mut s = bound(f, io.clone(), Groups::default(), 100);
            io.message(route_add(f, [10, 1, 0, 0], [192, 168, 0, 1]));
            let (kind, bytes) = next(&mut s).expect("a route");
            assert_eq!(kind, rtm::RTM_NEWROUTE, "{f:?}");
            let v = rtnl_wire::family::route::RouteView::parse(&bytes[16..]).unwrap();
            assert_eq!(v.hdr.dst_len, 24, "{f:?}");
            // A reply queued now comes after what the thread queued before.
            io.message(new_addr(f, 2, [10, 1, 0, 7]));
            assert_eq!(wait_readable(&[s.fd()], 5000).unwrap(), vec![true]);
            std::thread::sleep(Duration::from_millis(50));
            s.answer(vec![b"reply".to_vec()]);
            assert_eq!(next(&mut s).unwrap().0, rtm::RTM_NEWADDR, "{f:?}");
            let mut buf = Vec::new();
            assert_eq!(s.recv(&mut buf).unwrap(), Recv::Data);
            assert_eq!(buf, b"reply");
            let t = std::time::Instant::now();
            drop(s);
            assert!(t.elapsed() < Duration::from_secs(2), "{f:?}");
        }
    }

    #[test]
    fn only_bound_groups_are_delivered() {
        let f = Flavor::FreeBsd;
        let io = Scripted::new(ifinfo(f, 2, "em0"));
        let mut s = bound(f, io.clone(), Groups::IPV4_ADDR, 100);
        io.message(route_add(f, [10, 1, 0, 0], [192, 168, 0, 1]));
        io.message(new_addr(f, 2, [10, 1, 0, 7]));
        assert_eq!(next(&mut s).unwrap().0, rtm::RTM_NEWADDR);
        let mut buf = Vec::new();
        assert_eq!(s.try_recv(&mut buf).unwrap(), None);
        // Binding again widens the set for the running thread.
        s.bind(Groups::IPV4_ROUTE, 100, |_, _| unreachable!())
            .unwrap();
        io.message(route_add(f, [10, 2, 0, 0], [192, 168, 0, 1]));
        assert_eq!(next(&mut s).unwrap().0, rtm::RTM_NEWROUTE);
    }

    #[test]
    fn loss_is_an_overrun_in_place_and_departures_are_reconciled() {
        let f = Flavor::FreeBsd;
        let io = Scripted::new([ifinfo(f, 2, "em0"), ifinfo(f, 3, "em1")].concat());
        let mut s = bound(f, io.clone(), Groups::default(), 100);
        io.message(new_addr(f, 2, [10, 1, 0, 7]));
        // em1 leaves while the socket overflows: the announcement is lost.
        io.set_links(ifinfo(f, 2, "em0"));
        io.lose();
        io.message(new_addr(f, 2, [10, 1, 0, 8]));
        assert_eq!(next(&mut s).unwrap().0, rtm::RTM_NEWADDR);
        assert_eq!(next(&mut s), None, "the overrun, in place");
        let (kind, bytes) = next(&mut s).unwrap();
        assert_eq!(kind, rtm::RTM_DELLINK);
        let link = rtnl_wire::family::link::LinkView::parse(&bytes[16..]).unwrap();
        assert_eq!((link.hdr.index, link.name()), (3, Some("em1")));
        assert_eq!(next(&mut s).unwrap().0, rtm::RTM_NEWADDR);
    }

    #[test]
    fn openbsd_desync_is_an_overrun() {
        let f = Flavor::OpenBsd;
        let io = Scripted::new(ifinfo(f, 2, "em0"));
        let mut s = bound(f, io.clone(), Groups::default(), 100);
        let h = Rt {
            ty: fx::rtm(f, "DESYNC"),
            ..Default::default()
        };
        io.message(fx::rt_msg(f, &h, &[], true));
        assert_eq!(next(&mut s), None);
    }

    #[test]
    fn darwin_reports_a_vanished_interface_after_ifinfo() {
        let f = Flavor::Darwin;
        let io = Scripted::new([ifinfo(f, 2, "en0"), ifinfo(f, 4, "utun1")].concat());
        let mut s = bound(f, io.clone(), Groups::LINK, 100);
        io.set_links(ifinfo(f, 2, "en0"));
        io.message(ifinfo(f, 2, "en0"));
        assert_eq!(next(&mut s).unwrap().0, rtm::RTM_NEWLINK);
        let (kind, bytes) = next(&mut s).unwrap();
        assert_eq!(kind, rtm::RTM_DELLINK);
        let link = rtnl_wire::family::link::LinkView::parse(&bytes[16..]).unwrap();
        assert_eq!((link.hdr.index, link.name()), (4, Some("utun1")));
    }

    #[test]
    fn a_full_queue_drops_and_owes_one_marker() {
        let f = Flavor::NetBsd;
        let io = Scripted::new(ifinfo(f, 2, "em0"));
        let mut s = bound(f, io.clone(), Groups::default(), 2);
        for i in 0..5 {
            io.message(new_addr(f, 2, [10, 1, 0, i]));
        }
        // Wait until the thread has read all five.
        let t = std::time::Instant::now();
        while !io.script.lock().unwrap().reads.is_empty() {
            assert!(t.elapsed() < Duration::from_secs(5));
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(50));
        let kinds: Vec<Option<u16>> = std::iter::from_fn(|| {
            let mut buf = Vec::new();
            match s.try_recv(&mut buf).unwrap()? {
                Recv::Data => Some(Some(u16::from_ne_bytes([buf[4], buf[5]]))),
                _ => Some(None),
            }
        })
        .collect();
        assert_eq!(
            kinds,
            vec![Some(rtm::RTM_NEWADDR), Some(rtm::RTM_NEWADDR), None]
        );
    }

    #[test]
    fn a_read_error_closes_the_stream_with_its_reason() {
        #[derive(Debug)]
        struct Broken(Signal);
        impl RouteIo for Broken {
            fn fd(&self) -> RawFd {
                self.0.as_raw_fd()
            }
            fn read(&mut self, _: &mut [u8]) -> io::Result<Read> {
                Err(io::Error::other("routing socket gone"))
            }
            fn links(&mut self) -> io::Result<Vec<u8>> {
                Ok(Vec::new())
            }
        }
        let mut signal = Signal::new().unwrap();
        signal.set();
        let mut s = Emulated::open("testbsd").unwrap();
        s.bind(Groups::default(), 10, |queue, groups| {
            let src = EventSource::new(Flavor::FreeBsd, Broken(signal), groups)?;
            Ok(Box::new(spawn(src, queue)?) as Source)
        })
        .unwrap();
        let e = s.recv(&mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("routing socket gone"), "{e}");
    }
}
