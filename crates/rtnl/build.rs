//! One name for the systems with a BSD routing socket (FreeBSD, OpenBSD,
//! NetBSD, macOS, iOS): `cfg(bsd)`, instead of the five-line `target_os`
//! list at every place that needs it.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(bsd)");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(
        os.as_str(),
        "freebsd" | "openbsd" | "netbsd" | "macos" | "ios"
    ) {
        println!("cargo::rustc-cfg=bsd");
    }
}
