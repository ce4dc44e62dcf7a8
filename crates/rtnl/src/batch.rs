//! The bulk path: many requests pipelined through one socket. Requests go
//! down in windows of up to [`WINDOW`] messages per `send`; the kernel
//! handles every message of a datagram in order and queues one answer each,
//! which are then read and matched on sequence numbers. This is what makes
//! 100 000 route adds take about as long as `ip -batch` or less.

use rtnl_wire::message::Message;
use rtnl_wire::netlink::{MessageWriter, Messages, NLMSG_ERROR, NLM_F_ACK, NLM_F_REQUEST};

use crate::error::{Error, Result};
use crate::iproute::{answered_with_data, IpRoute};
use crate::request::Request;

/// Messages per datagram. Their acks must fit in the receive buffer: the
/// kernel drops an answer that does not.
pub const WINDOW: usize = 256;

/// The outcome of [`IpRoute::request_batch`].
#[derive(Debug)]
pub struct BatchOutcome {
    /// One result per request sent, in order: the messages answering it,
    /// or its error. Requests after `results.len()` were not sent.
    pub results: Vec<Result<Vec<Message>>>,
}

impl BatchOutcome {
    /// The index and error of the first request that failed.
    pub fn first_error(&self) -> Option<(usize, &Error)> {
        self.results
            .iter()
            .enumerate()
            .find_map(|(i, r)| r.as_ref().err().map(|e| (i, e)))
    }
    /// How many requests succeeded.
    pub fn succeeded(&self) -> usize {
        self.results.iter().filter(|r| r.is_ok()).count()
    }
}

impl IpRoute {
    /// Sends `reqs` pipelined, [`WINDOW`] at a time, and collects each
    /// one's answer. With `stop_on_error`, no window is sent after one
    /// that had a failure; requests already sent in that window have taken
    /// effect (the kernel does not stop inside a datagram), and their
    /// results say so. An `Err` is a socket failure, after which nothing is
    /// known about the window in flight.
    /// Run as root, this example works in a namespace of its own: 100 routes
    /// in one batch.
    ///
    /// ```
    /// # fn main() -> rtnl::Result<()> {
    /// use rtnl::request::{route_add, LinkChange, Route};
    /// use rtnl::{IpRoute, NetnsRef};
    /// use std::net::{IpAddr, Ipv4Addr};
    /// use std::os::unix::fs::MetadataExt;
    /// if std::fs::metadata("/proc/self").map_or(true, |m| m.uid() != 0) {
    ///     println!("skipped: needs root");
    ///     return Ok(());
    /// }
    /// // A throwaway namespace, deleted when `ns` drops: also on `?` or a panic.
    /// struct Throwaway(String);
    /// impl Drop for Throwaway {
    ///     fn drop(&mut self) {
    ///         let _ = rtnl::netns::del(&self.0);
    ///     }
    /// }
    /// let ns = Throwaway(format!("rtnl-doc-batch-{}", std::process::id()));
    /// rtnl::netns::add(&ns.0)?;
    /// let mut ipr = IpRoute::in_netns(&NetnsRef::Name(ns.0.clone()))?;
    /// let lo = ipr.link_index("lo")?;
    /// ipr.link_set(lo, &LinkChange { up: Some(true), ..Default::default() })?;
    /// let mut reqs = (0..100u8)
    ///     .map(|i| {
    ///         route_add(&Route {
    ///             dst: Some(rtnl::request::IpNet::new(IpAddr::V4(Ipv4Addr::new(10, 20, i, 0)), 24)?),
    ///             oif: Some(lo),
    ///             ..Default::default()
    ///         })
    ///     })
    ///     .collect::<rtnl::Result<Vec<_>>>()?;
    /// let outcome = ipr.request_batch(&mut reqs, true)?;
    /// assert_eq!(outcome.succeeded(), 100);
    /// assert!(outcome.first_error().is_none());
    /// # Ok(()) }
    /// ```
    pub fn request_batch(
        &mut self,
        reqs: &mut [Request],
        stop_on_error: bool,
    ) -> Result<BatchOutcome> {
        let mut results: Vec<Result<Vec<Message>>> = Vec::with_capacity(reqs.len());
        let mut w = MessageWriter::new();
        let port = self.port_id();
        for chunk in reqs.chunks_mut(WINDOW) {
            // Keep the window's sequence numbers consecutive (no wrap).
            if self.seq > u32::MAX - 2 * WINDOW as u32 {
                self.seq = 0;
            }
            let first = self.seq.wrapping_add(1);
            w.clear();
            for r in chunk.iter_mut() {
                r.msg.header.seq = self.next_seq();
                r.msg.header.pid = port;
                r.msg.header.flags |= NLM_F_REQUEST | NLM_F_ACK;
                r.msg.emit(&mut w);
            }
            let op = match chunk {
                [one] => one.op.clone(),
                _ => format!("batch of {} requests", chunk.len()),
            };
            self.make_room(&op)?;
            self.sock
                .send(w.as_bytes())
                .map_err(|e| Error::io(format!("{op}: send"), e))?;
            let mut answers: Vec<Vec<Message>> = vec![Vec::new(); chunk.len()];
            let mut done: Vec<Option<Option<Error>>> = (0..chunk.len()).map(|_| None).collect();
            let mut remaining = chunk.len();
            while remaining > 0 {
                self.recv_into_rx(&op)?;
                let rx = std::mem::take(&mut self.rx);
                let mut res = Ok(());
                for m in Messages::new(&rx) {
                    let m = match m {
                        Ok(m) => m,
                        Err(source) => {
                            res = Err(Error::Decode {
                                op: op.clone(),
                                source,
                            });
                            break;
                        }
                    };
                    let i = m.header.seq.wrapping_sub(first) as usize;
                    // Not an answer of this window: a notification, kept
                    // for `recv()`, or a leftover answer of ours, dropped.
                    if m.header.pid != port || i >= chunk.len() || done[i].is_some() {
                        self.set_aside(m.bytes, m.header.pid, false);
                        continue;
                    }
                    // The notification of a change this window made (see
                    // `answered_with_data`), should it come unicast.
                    if m.header.kind != NLMSG_ERROR
                        && !answered_with_data(chunk[i].msg.header.kind, chunk[i].msg.header.flags)
                    {
                        self.backlog.push_back(m.bytes.to_vec());
                        continue;
                    }
                    if m.header.kind == NLMSG_ERROR {
                        done[i] = Some(self.kernel_error(&m, &chunk[i].op));
                        remaining -= 1;
                        continue;
                    }
                    match Message::parse(&m) {
                        Ok(p) => answers[i].push(p),
                        Err(source) => {
                            res = Err(Error::Decode {
                                op: chunk[i].op.clone(),
                                source,
                            });
                            break;
                        }
                    }
                }
                self.rx = rx;
                res?;
            }
            let mut failed = false;
            for (d, a) in done.into_iter().zip(answers) {
                match d.flatten() {
                    None => results.push(Ok(a)),
                    Some(e) => {
                        failed = true;
                        results.push(Err(e));
                    }
                }
            }
            if failed && stop_on_error {
                break;
            }
        }
        Ok(BatchOutcome { results })
    }
}
