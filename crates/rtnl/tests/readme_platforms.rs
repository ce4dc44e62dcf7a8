//! The README's "Platforms today" table against `rtnl::PLATFORM_SUPPORT`:
//! every capability row's cells begin with the status the library states,
//! and the statuses for the platform this test runs on are checked where
//! that is cheap.

use rtnl::{Capability, Support, PLATFORM_SUPPORT};

const README: &str = include_str!("../../../README.md");
const HEADER: &str = "| | Linux | FreeBSD / OpenBSD / NetBSD / macOS | Windows |";
/// Rows that describe, rather than state a capability.
const NOT_CAPABILITIES: &[&str] = &["checked in CI"];

fn table() -> Vec<Vec<String>> {
    let start = README
        .find("## Platforms today")
        .expect("README has a Platforms today section");
    let rest = &README[start..];
    let mut lines = rest.lines().skip_while(|l| !l.starts_with('|'));
    assert_eq!(lines.next(), Some(HEADER), "the table's columns changed");
    lines
        .skip(1) // |---|
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn readme_table_matches_platform_support() {
    let rows = table();
    let mut seen = Vec::new();
    for row in &rows {
        assert_eq!(row.len(), 4, "row {row:?}");
        if NOT_CAPABILITIES.contains(&row[0].as_str()) {
            continue;
        }
        let cap: &Capability = PLATFORM_SUPPORT
            .iter()
            .find(|c| c.name == row[0])
            .unwrap_or_else(|| panic!("README row {:?} is not in PLATFORM_SUPPORT", row[0]));
        for (cell, (platform, status)) in row[1..].iter().zip([
            ("Linux", cap.linux),
            ("BSD/macOS", cap.bsd),
            ("Windows", cap.windows),
        ]) {
            assert!(
                cell.to_lowercase()
                    .starts_with(&status.word().to_lowercase()),
                "README says {cell:?} for {:?} on {platform}; the library says {status:?} ({:?})",
                cap.name,
                status.word()
            );
        }
        seen.push(cap.name);
    }
    for c in PLATFORM_SUPPORT {
        assert!(seen.contains(&c.name), "{:?} has no README row", c.name);
    }
}

fn on_this_platform(name: &str) -> Option<Support> {
    PLATFORM_SUPPORT
        .iter()
        .find(|c| c.name.starts_with(name))
        .and_then(|c| c.on(rtnl::IpRoute::platform()))
}

#[test]
fn this_platform_behaves_as_stated() {
    let platform = rtnl::IpRoute::platform();
    let Some(read) = on_this_platform("read") else {
        eprintln!("skipped: rtnl has no backend for {platform}");
        return;
    };
    let mut ipr = rtnl::IpRoute::new().expect("open");
    if read == Support::Yes {
        let links = ipr.get_links(&Default::default()).expect("get_links");
        assert!(!links.is_empty(), "no links on {platform}");
    }
    let bound = ipr.bind(rtnl::Groups::LINK);
    match on_this_platform("monitoring").unwrap() {
        Support::Yes => assert!(bound.is_ok(), "bind on {platform}: {bound:?}"),
        _ => assert!(
            matches!(bound, Err(rtnl::Error::Unsupported { .. })),
            "bind on {platform}: {bound:?}"
        ),
    }
    // Changing the network: in a throwaway namespace, as root, on Linux.
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(on_this_platform("change"), Some(Support::Yes));
        if std::fs::metadata("/proc/self").map_or(true, |m| m.uid() != 0) {
            eprintln!("skipped the change check: needs root");
            return;
        }
        struct Throwaway(String);
        impl Drop for Throwaway {
            fn drop(&mut self) {
                let _ = rtnl::netns::del(&self.0);
            }
        }
        let ns = Throwaway(format!("rtnl-test-platforms-{}", std::process::id()));
        rtnl::netns::add(&ns.0).unwrap();
        let mut ipr = rtnl::IpRoute::in_netns(&rtnl::NetnsRef::Name(ns.0.clone())).unwrap();
        let lo = ipr.link_index("lo").unwrap();
        ipr.addr_add(lo, "10.9.0.1/24".parse().unwrap(), &Default::default())
            .expect("addr_add in a namespace");
    }
}
