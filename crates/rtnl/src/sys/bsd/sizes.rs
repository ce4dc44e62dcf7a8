//! Compile-time checks that rtnl-pfroute's per-flavour tables (which parse
//! every flavour on every host) agree with the C structs of the host as the
//! `libc` crate declares them. Only structs `libc` has for the target are
//! checked; the rest rest on the reference's layout program (rtnl-pfroute's
//! `header_sizes_match_the_reference` test).

use core::mem::size_of;

use rtnl_pfroute::{Flavor, HeaderSizes};

/// The host flavour's sizes.
#[allow(dead_code)]
const HOST: HeaderSizes = match Flavor::host() {
    Some(f) => f.header_sizes(),
    None => panic!("the BSD backend is built for a BSD or Darwin target only"),
};

/// `Some(n)` as `n` (0 for `None`, which no struct size equals).
#[allow(dead_code)]
const fn some(n: Option<usize>) -> usize {
    match n {
        Some(n) => n,
        None => 0,
    }
}

// Every BSD: sockaddr_in / sockaddr_in6 / sockaddr_dl.
const _: () = assert!(size_of::<libc::sockaddr_in>() == HOST.sockaddr_in);
const _: () = assert!(size_of::<libc::sockaddr_in6>() == HOST.sockaddr_in6);
const _: () = assert!(size_of::<libc::sockaddr_dl>() == HOST.sockaddr_dl);

#[cfg(target_os = "freebsd")]
mod freebsd {
    use super::*;
    const _: () = assert!(size_of::<libc::if_msghdr>() == HOST.if_msghdr);
    const _: () = assert!(size_of::<libc::if_data>() == HOST.if_data);
    const _: () = assert!(size_of::<libc::ifa_msghdr>() == HOST.ifa_msghdr);
    const _: () = assert!(size_of::<libc::ifma_msghdr>() == some(HOST.ifma_msghdr));
    const _: () = assert!(size_of::<libc::if_announcemsghdr>() == some(HOST.if_announcemsghdr));
}

#[cfg(target_os = "openbsd")]
mod openbsd {
    use super::*;
    const _: () = assert!(size_of::<libc::if_msghdr>() == HOST.if_msghdr);
    const _: () = assert!(size_of::<libc::if_data>() == HOST.if_data);
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
mod darwin {
    use super::*;
    const _: () = assert!(size_of::<libc::rt_msghdr>() == HOST.rt_msghdr);
    const _: () = assert!(size_of::<libc::rt_metrics>() == HOST.rt_metrics);
    const _: () = assert!(size_of::<libc::rt_msghdr2>() == some(HOST.rt_msghdr2));
    const _: () = assert!(size_of::<libc::if_msghdr>() == HOST.if_msghdr);
    const _: () = assert!(size_of::<libc::if_data>() == HOST.if_data);
    const _: () = assert!(size_of::<libc::if_msghdr2>() == some(HOST.if_msghdr2));
    const _: () = assert!(size_of::<libc::if_data64>() == some(HOST.if_data64));
    const _: () = assert!(size_of::<libc::ifa_msghdr>() == HOST.ifa_msghdr);
    const _: () = assert!(size_of::<libc::ifma_msghdr>() == some(HOST.ifma_msghdr));
    const _: () = assert!(size_of::<libc::ifma_msghdr2>() == some(HOST.ifma_msghdr2));
}
