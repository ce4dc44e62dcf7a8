//! The async front: requests as async fns, notifications as a Stream.
#![cfg(feature = "tokio")]

mod common;

use std::time::Duration;

use common::*;
use futures_core::Stream;
use rtnl::tokio::AsyncIpRoute;
use rtnl::wire::rtm::RTM_NEWLINK;
use rtnl::{BindOptions, Groups, LinkFilter};

/// `Stream::poll_next` as a future, without a futures-util dependency.
async fn next<S: Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)).await
}

async fn link_event(cache: bool, test: &str) {
    let Some(ns) = Netns::new(test) else {
        return;
    };
    let mut ipr = ns.open();
    ipr.bind_with(&BindOptions::new(Groups::LINK).async_cache(cache))
        .unwrap();
    let mut aipr = AsyncIpRoute::new(ipr).unwrap();
    assert_eq!(
        aipr.get_links(LinkFilter::default()).await.unwrap().len(),
        1
    );
    let name = ns.name.clone();
    tokio::task::spawn_blocking(move || {
        std::thread::sleep(Duration::from_millis(100));
        batch(&name, "link add ifbt type ifb\n").unwrap();
    });
    let msgs = tokio::time::timeout(Duration::from_secs(10), next(&mut aipr))
        .await
        .expect("no link event within 10 s")
        .unwrap()
        .unwrap();
    assert_eq!(msgs[0].header.kind, RTM_NEWLINK);
    assert_eq!(attr_str(&msgs[0], "IFLA_IFNAME"), Some("ifbt"));
    // A request after the event, then the async next() again.
    assert!(aipr.link_lookup("ifbt").await.unwrap().is_some());
    ns.ip(&["link", "set", "ifbt", "up"]);
    let m = tokio::time::timeout(Duration::from_secs(10), aipr.get())
        .await
        .expect("no second event")
        .unwrap();
    assert_eq!(m[0].header.kind, RTM_NEWLINK);
}

#[tokio::test]
async fn a_link_event_arrives_on_the_stream() {
    link_event(false, "a_link_event_arrives_on_the_stream").await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_link_event_arrives_on_the_stream_with_the_async_cache() {
    link_event(
        true,
        "a_link_event_arrives_on_the_stream_with_the_async_cache",
    )
    .await;
}
