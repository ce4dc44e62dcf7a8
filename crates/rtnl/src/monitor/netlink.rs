//! The Linux source of the async cache: the reader thread drains the
//! netlink socket, hands replies to our requests (port id ours, sequence
//! number set) to the waiting caller, and queues everything else.

use std::io;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use rtnl_wire::netlink::Messages;

use super::queue::{Feed, Monitor};
use crate::sys::signal::wait_readable;
use crate::sys::{Recv, Socket};

/// Starts the reader thread on a second handle of the socket. Returns the
/// monitor and the channel on which reply datagrams arrive.
pub(crate) fn spawn(
    sock: Socket,
    capacity: usize,
    spoofed: Arc<AtomicU64>,
) -> io::Result<(Monitor, mpsc::Receiver<Vec<u8>>)> {
    let (tx, rx) = mpsc::channel();
    let port = sock.port_id();
    let mut buf = Vec::with_capacity(64 * 1024);
    // After ENOBUFS: how many more bytes may still be older than the loss
    // (what the receive buffer held when it overflowed). The marker goes
    // after them.
    let mut drain: Option<usize> = None;
    let mut sock = sock;
    let monitor = Monitor::spawn(capacity, "rtnl-monitor", move |feed| {
        let ready = wait_readable(&[sock.as_raw_fd(), feed.stop_fd()], -1)?;
        if ready[1] {
            return Ok(());
        }
        loop {
            match sock.try_recv(&mut buf) {
                Ok(None) => break,
                Ok(Some(Recv::Spoofed(_))) => {
                    spoofed.fetch_add(1, Ordering::Relaxed);
                }
                Ok(Some(r @ (Recv::Data | Recv::Multicast))) => {
                    route(&buf, port, r == Recv::Multicast, feed, &tx);
                    if let Some(left) = drain.as_mut() {
                        *left = left.saturating_sub(buf.len());
                        if *left == 0 {
                            drain = None;
                            feed.overrun();
                        }
                    }
                }
                // Only emulated sockets report loss this way.
                Ok(Some(Recv::Overrun)) => feed.overrun(),
                Err(e) if super::is_enobufs(&e) => drain = Some(sock.rcvbuf()?.max(1)),
                Err(e) => return Err(e),
            }
            if feed.stopping() {
                return Ok(());
            }
        }
        if drain.take().is_some() {
            feed.overrun();
        }
        Ok(())
    })?;
    Ok((monitor, rx))
}

/// Replies (our port id, a sequence number, not multicast) go to the
/// caller as one datagram; every other message is queued on its own, in
/// the order read: the notifications of our own changes carry our port id
/// and the request's sequence number, but come by multicast.
fn route(buf: &[u8], port: u32, multicast: bool, feed: &Feed, replies: &mpsc::Sender<Vec<u8>>) {
    let mut reply = Vec::new();
    for m in Messages::new(buf) {
        match m {
            Ok(m) if !multicast && m.header.pid == port && m.header.seq != 0 => {
                reply.extend_from_slice(m.bytes);
                reply.resize(rtnl_wire::netlink::align(reply.len()), 0);
            }
            Ok(m) => feed.push(m.bytes.to_vec()),
            Err(_) => {
                // Framing is lost: hand the rest over whole; get() reports
                // the decode error.
                feed.push(buf.to_vec());
                break;
            }
        }
    }
    if !reply.is_empty() {
        // The caller may be gone (a dropped IpRoute): nothing waits then.
        let _ = replies.send(reply);
    }
}
