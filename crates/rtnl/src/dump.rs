//! Streaming dumps: walk a dump of any size one message at a time, borrowing
//! each from the receive buffer, without holding the table in memory.

use rtnl_wire::netlink::{
    ErrorMsg, Messages, NlHeader, NlMsg, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN,
};
use rtnl_wire::view::{FixedHeader, View};

use crate::error::{Error, Result};
use crate::filter::DumpFilter;
use crate::iproute::IpRoute;

/// A dump in progress. Call [`Dump::next_msg`] (or [`Dump::next_view`]) until
/// it returns `None`.
///
/// If the kernel flags the dump as interrupted (NLM_F_DUMP_INTR: the table
/// changed while it was read), the last item is
/// [`Error::DumpInterrupted`]: the messages already seen may be inconsistent.
/// Dropping an unfinished dump reads the rest of it, so the socket is clean
/// for the next request.
pub struct Dump<'a> {
    ipr: &'a mut IpRoute,
    filter: &'a dyn DumpFilter,
    seq: u32,
    pos: usize,
    /// No more items for the caller.
    finished: bool,
    /// Our NLMSG_DONE / NLMSG_ERROR was read (or the socket failed): nothing
    /// of this dump is left on the socket.
    complete: bool,
    interrupted: bool,
}

impl<'a> Dump<'a> {
    pub(crate) fn new(ipr: &'a mut IpRoute, filter: &'a dyn DumpFilter, seq: u32) -> Self {
        ipr.rx.clear();
        Dump {
            ipr,
            filter,
            seq,
            pos: 0,
            finished: false,
            complete: false,
            interrupted: false,
        }
    }

    /// The next object message of the dump, borrowed until the next call.
    #[allow(clippy::should_implement_trait)]
    pub fn next_msg(&mut self) -> Option<Result<NlMsg<'_>>> {
        loop {
            if self.finished {
                return None;
            }
            if self.pos >= self.ipr.rx.len() {
                if let Err(e) = self.ipr.recv_datagram(self.filter) {
                    self.finished = true;
                    self.complete = true;
                    return Some(Err(e));
                }
                self.pos = 0;
                continue;
            }
            let rest = &self.ipr.rx[self.pos..];
            let header = match NlHeader::parse(rest) {
                Ok(h) if (h.len as usize) >= NLMSG_HDRLEN && (h.len as usize) <= rest.len() => h,
                Ok(h) => {
                    return self.fail_decode(rtnl_wire::DecodeError::LengthPastEnd {
                        offset: self.pos,
                        len: h.len,
                        available: rest.len(),
                    })
                }
                Err(e) => return self.fail_decode(e),
            };
            let start = self.pos;
            let end = start + header.len as usize;
            self.pos =
                (start + rtnl_wire::netlink::align(header.len as usize)).min(self.ipr.rx.len());
            if header.seq != self.seq || header.pid != self.ipr.port_id() {
                // Not this dump's: a notification on a bound socket, kept
                // for recv() (a leftover answer of ours is dropped).
                let bytes = self.ipr.rx[start..end].to_vec();
                self.ipr.set_aside(&bytes, header.pid, false);
                continue;
            }
            if header.is_dump_interrupted() {
                self.interrupted = true;
            }
            match header.kind {
                NLMSG_DONE => {
                    self.finished = true;
                    self.complete = true;
                    let err = done_error(
                        header.flags,
                        &self.ipr.rx[start + NLMSG_HDRLEN..end],
                        self.filter,
                        self.ipr.emulator(),
                    );
                    self.ipr.rx.clear();
                    if let Some(e) = err {
                        return Some(Err(e));
                    }
                    if self.interrupted {
                        return Some(Err(Error::DumpInterrupted {
                            op: self.filter.describe(),
                            attempts: 1,
                        }));
                    }
                    return None;
                }
                NLMSG_ERROR => {
                    self.finished = true;
                    self.complete = true;
                    let msg = NlMsg {
                        header,
                        payload: &self.ipr.rx[start + NLMSG_HDRLEN..end],
                        bytes: &self.ipr.rx[start..end],
                    };
                    let err = self.ipr.kernel_error(&msg, &self.filter.describe());
                    self.ipr.rx.clear();
                    // An ack (code 0) ends a dump too, but a kernel never sends one for a dump.
                    return err.map(Err);
                }
                _ => {}
            }
            let payload = &self.ipr.rx[start + NLMSG_HDRLEN..end];
            if !self.filter.matches(payload) {
                continue;
            }
            let bytes = &self.ipr.rx[start..end];
            return Some(Ok(NlMsg {
                header,
                payload: &bytes[NLMSG_HDRLEN..],
                bytes,
            }));
        }
    }

    /// The next object message as a typed view of family `H`.
    pub fn next_view<H: FixedHeader>(&mut self) -> Option<Result<View<'_, H>>> {
        let op = self.filter.describe();
        self.next_msg().map(|r| {
            r.and_then(|m| {
                View::parse(m.payload).map_err(|source| Error::Decode {
                    op: op.clone(),
                    source,
                })
            })
        })
    }

    /// Calls `f` on every remaining message.
    pub fn for_each(mut self, mut f: impl FnMut(NlMsg<'_>)) -> Result<()> {
        while let Some(m) = self.next_msg() {
            f(m?);
        }
        Ok(())
    }

    /// True once the kernel flagged the dump as interrupted.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// A message of this datagram does not frame: report it once. The rest
    /// of the dump is still drained on drop, datagram by datagram.
    fn fail_decode<T>(&mut self, source: rtnl_wire::DecodeError) -> Option<Result<T>> {
        self.finished = true;
        self.pos = self.ipr.rx.len();
        Some(Err(Error::Decode {
            op: self.filter.describe(),
            source,
        }))
    }

    /// Reads and drops what is left of this dump, up to its NLMSG_DONE or
    /// NLMSG_ERROR, keeping other senders' messages for `recv()`. A datagram
    /// that does not frame is skipped from the first bad message on.
    fn drain(&mut self) {
        let port = self.ipr.port_id();
        while !self.complete {
            if self.pos >= self.ipr.rx.len() {
                // Not `recv_datagram(self.filter)`: this runs in `Drop`,
                // also while a panic unwinds (from the caller's loop, or
                // from the filter itself), and must not call the caller's
                // filter again: a second panic there aborts the process.
                if self.ipr.recv_into_rx("drain a dropped dump").is_err() {
                    break;
                }
                self.pos = 0;
            }
            let rx = std::mem::take(&mut self.ipr.rx);
            for m in Messages::new(rx.get(self.pos..).unwrap_or_default()).map_while(|m| m.ok()) {
                let ours = m.header.seq == self.seq && m.header.pid == port;
                if !ours {
                    self.ipr.set_aside(m.bytes, m.header.pid, false);
                } else if matches!(m.header.kind, NLMSG_DONE | NLMSG_ERROR) {
                    self.complete = true;
                    break;
                }
            }
            self.ipr.rx = rx;
            self.pos = self.ipr.rx.len();
        }
        self.ipr.rx.clear();
    }
}

/// The error an NLMSG_DONE carries: a dump that fails after it started (a
/// filter the kernel refuses, a table that does not exist ...) ends with
/// NLMSG_DONE holding a negative errno and ext-ack TLVs, not with NLMSG_ERROR.
fn done_error(
    flags: u16,
    payload: &[u8],
    filter: &dyn DumpFilter,
    emulator: Option<&'static str>,
) -> Option<Error> {
    let status = ErrorMsg::parse_done(flags, payload).ok()?;
    Error::from_status(&filter.describe(), status, emulator)
}

impl Drop for Dump<'_> {
    fn drop(&mut self) {
        // Read the rest so that its datagrams do not answer the next request.
        self.drain();
    }
}
