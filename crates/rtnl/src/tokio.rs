//! The async front (cargo feature `tokio`): the same `IpRoute`, with
//! requests as async fns and notifications as a [`futures_core::Stream`].
//!
//! Notifications are awaited through tokio's `AsyncFd` on the object's fd
//! (the socket, or the async cache's eventfd), following the event-loop
//! contract of [`crate::monitor`]: `try_recv` until nothing is left, then
//! wait for readiness. Requests run on tokio's blocking pool, so they never
//! stall the runtime.
//!
//! ```no_run
//! # async fn f() -> rtnl::Result<()> {
//! use rtnl::tokio::AsyncIpRoute;
//! use rtnl::{Groups, IpRoute, LinkFilter};
//! let mut ipr = IpRoute::new()?;
//! ipr.bind(Groups::LINK)?;
//! let mut ipr = AsyncIpRoute::new(ipr)?;
//! println!("{} links", ipr.get_links(LinkFilter::default()).await?.len());
//! while let Some(msgs) = ipr.next().await {
//!     println!("{:?}", msgs?);
//! }
//! # Ok(()) }
//! ```

use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use rtnl_wire::message::Message;
use tokio::io::unix::AsyncFd;

use crate::error::{Error, Result};
use crate::filter::{AddrFilter, LinkFilter, NeighFilter, RouteFilter, RuleFilter};
use crate::iproute::IpRoute;

/// The fd registered with tokio: a duplicate of the object's, owned here,
/// so it stays open for as long as tokio watches it.
#[derive(Debug)]
struct Fd(OwnedFd);

impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

/// An [`IpRoute`] for tokio. Bind (and start the async cache) before
/// wrapping: the fd is registered once.
#[derive(Debug)]
pub struct AsyncIpRoute {
    ipr: Option<IpRoute>,
    fd: AsyncFd<Fd>,
}

fn gone() -> Error {
    Error::io(
        "async request",
        std::io::Error::other("an earlier request on this object was cancelled mid-way"),
    )
}

impl AsyncIpRoute {
    /// Wraps `ipr`; must be called inside a tokio runtime.
    pub fn new(ipr: IpRoute) -> Result<AsyncIpRoute> {
        let err = |e| Error::io("register the fd with tokio", e);
        let owned = crate::sys::signal::dup_fd(ipr.as_raw_fd()).map_err(err)?;
        // Deprecated because a borrowed fd could be closed while tokio
        // watches it; this one is owned by the `AsyncFd` itself.
        #[allow(deprecated)]
        let fd = AsyncFd::with_interest(Fd(owned), tokio::io::Interest::READABLE).map_err(err)?;
        Ok(AsyncIpRoute { ipr: Some(ipr), fd })
    }

    /// The wrapped object (for synchronous calls), unless a cancelled
    /// request took it.
    pub fn get_mut(&mut self) -> Option<&mut IpRoute> {
        self.ipr.as_mut()
    }

    /// Unwraps the object.
    pub fn into_inner(self) -> Option<IpRoute> {
        self.ipr
    }

    /// Runs a synchronous request on the blocking pool.
    async fn run<T: Send + 'static>(
        &mut self,
        f: impl FnOnce(&mut IpRoute) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let mut ipr = self.ipr.take().ok_or_else(gone)?;
        let (ipr, r) = tokio::task::spawn_blocking(move || {
            let r = f(&mut ipr);
            (ipr, r)
        })
        .await
        .map_err(|e| Error::io("async request", std::io::Error::other(e.to_string())))?;
        self.ipr = Some(ipr);
        r
    }

    /// [`IpRoute::get_links`].
    pub async fn get_links(&mut self, filter: LinkFilter) -> Result<Vec<Message>> {
        self.run(move |i| i.get_links(&filter)).await
    }

    /// [`IpRoute::get_link`].
    pub async fn get_link(&mut self, index: u32) -> Result<Message> {
        self.run(move |i| i.get_link(index)).await
    }

    /// [`IpRoute::link_lookup`].
    pub async fn link_lookup(&mut self, name: &str) -> Result<Option<u32>> {
        let name = name.to_string();
        self.run(move |i| i.link_lookup(&name)).await
    }

    /// [`IpRoute::get_addr`].
    pub async fn get_addr(&mut self, filter: AddrFilter) -> Result<Vec<Message>> {
        self.run(move |i| i.get_addr(&filter)).await
    }

    /// [`IpRoute::get_routes`].
    pub async fn get_routes(&mut self, filter: RouteFilter) -> Result<Vec<Message>> {
        self.run(move |i| i.get_routes(&filter)).await
    }

    /// [`IpRoute::get_neighbours`].
    pub async fn get_neighbours(&mut self, filter: NeighFilter) -> Result<Vec<Message>> {
        self.run(move |i| i.get_neighbours(&filter)).await
    }

    /// [`IpRoute::get_rules`].
    pub async fn get_rules(&mut self, filter: RuleFilter) -> Result<Vec<Message>> {
        self.run(move |i| i.get_rules(&filter)).await
    }

    /// [`IpRoute::request`].
    pub async fn request(&mut self, mut msg: Message, op: &str) -> Result<Vec<Message>> {
        let op = op.to_string();
        self.run(move |i| i.request(&mut msg, &op)).await
    }

    /// Polls for the next message's bytes (as [`IpRoute::recv`]).
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<Vec<u8>>> {
        loop {
            let ipr = self.ipr.as_mut().ok_or_else(gone)?;
            if let Some(b) = ipr.try_recv()? {
                return Poll::Ready(Ok(b));
            }
            let mut guard = ready!(self.fd.poll_read_ready(cx))
                .map_err(|e| Error::io("wait for notifications", e))?;
            let ipr = self.ipr.as_mut().ok_or_else(gone)?;
            match ipr.try_recv()? {
                Some(b) => return Poll::Ready(Ok(b)),
                None => guard.clear_ready(),
            }
        }
    }

    /// The next message's bytes (as [`IpRoute::recv`]).
    pub async fn recv(&mut self) -> Result<Vec<u8>> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// The next message, parsed (as [`IpRoute::get`]).
    pub async fn get(&mut self) -> Result<Vec<Message>> {
        let b = self.recv().await?;
        crate::monitor::parse(&b)
    }

    /// The next notification, parsed; `None` never comes (the stream is
    /// endless), errors come as `Some(Err(..))`.
    pub async fn next(&mut self) -> Option<Result<Vec<Message>>> {
        Some(self.get().await)
    }
}

impl futures_core::Stream for AsyncIpRoute {
    type Item = Result<Vec<Message>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let r = ready!(this.poll_recv(cx));
        Poll::Ready(Some(r.and_then(|b| crate::monitor::parse(&b))))
    }
}
