//! Reading iphlpapi's tables and rows into `rtnl_winsnap` snapshot types.
//! With `notify.rs` (the callbacks), the only `unsafe` code of the Windows
//! backend: every pointer read is of memory
//! the API returned and still owns (the adapter buffer is ours; the MIB
//! tables are freed with `FreeMibTable` when the guard drops).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use rtnl_winsnap::{Adapter, Neighbour, Route, Snapshot, UnicastAddress};
use windows_sys::Win32::Foundation::{
    ERROR_BUFFER_OVERFLOW, ERROR_FILE_NOT_FOUND, ERROR_NOT_FOUND, NO_ERROR,
};
use windows_sys::Win32::NetworkManagement::IpHelper::{
    FreeMibTable, GetAdaptersAddresses, GetIpForwardEntry2, GetIpForwardTable2, GetIpNetTable2,
    GAA_FLAG_SKIP_ANYCAST, GAA_FLAG_SKIP_DNS_SERVER, GAA_FLAG_SKIP_MULTICAST,
    IP_ADAPTER_ADDRESSES_LH, MIB_IPFORWARD_ROW2, MIB_IPFORWARD_TABLE2, MIB_IPINTERFACE_ROW,
    MIB_IPNET_ROW2, MIB_IPNET_TABLE2, MIB_UNICASTIPADDRESS_ROW,
};
use windows_sys::Win32::Networking::WinSock::{
    AF_INET, AF_INET6, AF_UNSPEC, SOCKADDR_IN, SOCKADDR_IN6, SOCKADDR_INET, SOCKET_ADDRESS,
};

/// The adapters, and the routes and neighbours when asked for.
pub fn snapshot(routes: bool, neighbours: bool) -> io::Result<Snapshot> {
    let mut s = Snapshot {
        adapters: adapters()?,
        ..Snapshot::default()
    };
    for family in [AF_INET, AF_INET6] {
        if routes {
            s.routes.extend(route_rows(family)?);
        }
        if neighbours {
            s.neighbours.extend(neighbour_rows(family)?);
        }
    }
    Ok(s)
}

/// `ERROR_INVALID_FUNCTION`: what Wine 8 returns for the IPv6 neighbour
/// table, which it does not implement.
const ERROR_INVALID_FUNCTION: u32 = 1;
/// `ERROR_NOT_SUPPORTED`: what Windows returns for a family whose stack is
/// not installed.
const ERROR_NOT_SUPPORTED: u32 = 50;

/// Whether a `Get*Table2` failure for one family means "this family has no
/// table here" (an empty table) rather than an error.
fn family_unavailable(rc: u32) -> bool {
    matches!(rc, ERROR_INVALID_FUNCTION | ERROR_NOT_SUPPORTED)
}

/// An error naming the failed call and the system's text for `code`.
pub(super) fn win_err(call: &str, code: u32) -> io::Error {
    let e = io::Error::from_raw_os_error(code as i32);
    io::Error::new(e.kind(), format!("{call}: {e}"))
}

/// How many times `GetAdaptersAddresses` is retried when adapters appear
/// between the size query and the call.
const ADAPTER_ATTEMPTS: usize = 5;

/// `GetAdaptersAddresses(AF_UNSPEC)`: every adapter with its unicast
/// addresses.
pub(super) fn adapters() -> io::Result<Vec<Adapter>> {
    // 15 KB is Microsoft's recommended first guess.
    let mut size: u32 = 15 * 1024;
    for _ in 0..ADAPTER_ATTEMPTS {
        // u64 elements: the buffer is 8-byte aligned, as the structures need.
        let mut buf = vec![0u64; (size as usize).div_ceil(8)];
        let flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
        // SAFETY: `buf` is writable and holds at least `size` bytes; the
        // call writes at most `size` bytes and updates `size`.
        let rc = unsafe {
            GetAdaptersAddresses(
                u32::from(AF_UNSPEC),
                flags,
                std::ptr::null(),
                buf.as_mut_ptr().cast::<IP_ADAPTER_ADDRESSES_LH>(),
                &mut size,
            )
        };
        match rc {
            NO_ERROR => {
                let mut out = Vec::new();
                let mut p = buf.as_ptr().cast::<IP_ADAPTER_ADDRESSES_LH>();
                while !p.is_null() {
                    // SAFETY: `p` is the head of the list the call wrote
                    // into `buf`, or a `Next` link inside it; `buf` lives
                    // until the end of this function.
                    let a = unsafe { &*p };
                    out.push(adapter(a));
                    p = a.Next;
                }
                return Ok(out);
            }
            // ERROR_NO_DATA: no adapters at all.
            232 => return Ok(Vec::new()),
            ERROR_BUFFER_OVERFLOW => continue,
            e => return Err(win_err("GetAdaptersAddresses", e)),
        }
    }
    Err(io::Error::other(
        "GetAdaptersAddresses: the adapter list kept growing",
    ))
}

fn adapter(a: &IP_ADAPTER_ADDRESSES_LH) -> Adapter {
    let mut unicast = Vec::new();
    let mut u = a.FirstUnicastAddress;
    while !u.is_null() {
        // SAFETY: a node of the unicast list inside the adapter buffer.
        let ua = unsafe { &*u };
        if let Some(address) = socket_address(&ua.Address) {
            unicast.push(UnicastAddress {
                address,
                prefix_len: ua.OnLinkPrefixLength,
                prefix_origin: ua.PrefixOrigin as u32,
                suffix_origin: ua.SuffixOrigin as u32,
                dad_state: ua.DadState as u32,
                valid_lifetime: ua.ValidLifetime,
                preferred_lifetime: ua.PreferredLifetime,
            });
        }
        u = ua.Next;
    }
    let mac_len = (a.PhysicalAddressLength as usize).min(a.PhysicalAddress.len());
    Adapter {
        // SAFETY: the union's two views are the same 8 bytes, both plain
        // integers.
        if_index: unsafe { a.Anonymous1.Anonymous.IfIndex },
        ipv6_if_index: a.Ipv6IfIndex,
        // SAFETY: as above: `Value` is the whole 64-bit LUID.
        luid: unsafe { a.Luid.Value },
        // SAFETY: a NUL-terminated ANSI string in the adapter buffer, or null.
        adapter_name: unsafe { ansi(a.AdapterName) },
        // SAFETY: NUL-terminated UTF-16 strings in the buffer, or null.
        friendly_name: unsafe { wide(a.FriendlyName) },
        // SAFETY: as above.
        description: unsafe { wide(a.Description) },
        physical_address: a.PhysicalAddress[..mac_len].to_vec(),
        mtu: a.Mtu,
        if_type: a.IfType,
        oper_status: a.OperStatus as u32,
        // SAFETY: both views of the union are the same u32.
        flags: unsafe { a.Anonymous2.Flags },
        unicast,
    }
}

/// # Safety
/// `p` is null or points to a NUL-terminated byte string.
unsafe fn ansi(p: *const u8) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the caller's contract.
    let s = unsafe { std::ffi::CStr::from_ptr(p.cast()) };
    s.to_string_lossy().into_owned()
}

/// # Safety
/// `p` is null or points to a NUL-terminated UTF-16 string.
unsafe fn wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut len = 0;
    // SAFETY: the string is NUL-terminated, so every unit up to the NUL
    // is readable.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` units were just read.
    String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, len) })
}

/// The IP address of a `SOCKET_ADDRESS`, if it is IPv4 or IPv6.
fn socket_address(sa: &SOCKET_ADDRESS) -> Option<IpAddr> {
    let p = sa.lpSockaddr;
    let len = usize::try_from(sa.iSockaddrLength).ok()?;
    if p.is_null() || len < 2 {
        return None;
    }
    // SAFETY: `p` points to at least `len` (>= 2) readable bytes; the
    // family is the first field.
    let family = unsafe { std::ptr::read_unaligned(p.cast::<u16>()) };
    match family {
        AF_INET if len >= std::mem::size_of::<SOCKADDR_IN>() => {
            // SAFETY: `len` covers a whole SOCKADDR_IN.
            let sin = unsafe { std::ptr::read_unaligned(p.cast::<SOCKADDR_IN>()) };
            Some(v4(&sin))
        }
        AF_INET6 if len >= std::mem::size_of::<SOCKADDR_IN6>() => {
            // SAFETY: `len` covers a whole SOCKADDR_IN6.
            let sin6 = unsafe { std::ptr::read_unaligned(p.cast::<SOCKADDR_IN6>()) };
            Some(v6(&sin6))
        }
        _ => None,
    }
}

fn v4(sin: &SOCKADDR_IN) -> IpAddr {
    // SAFETY: every view of IN_ADDR is the same 4 bytes.
    let raw = unsafe { sin.sin_addr.S_un.S_addr };
    // S_addr is in network order: its bytes in memory are the address.
    IpAddr::V4(Ipv4Addr::from(raw.to_ne_bytes()))
}

fn v6(sin6: &SOCKADDR_IN6) -> IpAddr {
    // SAFETY: every view of IN6_ADDR is the same 16 bytes.
    IpAddr::V6(Ipv6Addr::from(unsafe { sin6.sin6_addr.u.Byte }))
}

/// The IP address of a `SOCKADDR_INET` (unspecified of the row's family
/// when the family is neither).
fn inet(sa: &SOCKADDR_INET) -> Option<IpAddr> {
    // SAFETY: `si_family` overlays the family field of both variants.
    match unsafe { sa.si_family } {
        // SAFETY: the family says which variant is valid.
        AF_INET => Some(v4(unsafe { &sa.Ipv4 })),
        // SAFETY: as above.
        AF_INET6 => Some(v6(unsafe { &sa.Ipv6 })),
        _ => None,
    }
}

/// A MIB table returned by iphlpapi, freed on drop.
struct MibTable<T> {
    ptr: *mut T,
}

impl<T> Drop for MibTable<T> {
    fn drop(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: the pointer came from Get*Table2 and is freed once.
            unsafe { FreeMibTable(self.ptr.cast()) };
        }
    }
}

/// The rows of a `{ NumEntries: u32, Table: [Row; 1] }` table.
///
/// # Safety
/// `n` rows of type `R` are laid out from `rows` and outlive `'a`.
unsafe fn rows<'a, R>(n: u32, rows: *const R) -> &'a [R] {
    if n == 0 {
        return &[];
    }
    // SAFETY: the caller's contract: `n` rows are laid out from `rows`.
    unsafe { std::slice::from_raw_parts(rows, n as usize) }
}

fn route_rows(family: u16) -> io::Result<Vec<Route>> {
    let mut t = MibTable::<MIB_IPFORWARD_TABLE2> {
        ptr: std::ptr::null_mut(),
    };
    // SAFETY: the call stores a table pointer in `t.ptr`, freed by `t`.
    let rc = unsafe { GetIpForwardTable2(family, &mut t.ptr) };
    if rc != NO_ERROR {
        // Wine leaves a freed pointer behind on failure: never free it.
        t.ptr = std::ptr::null_mut();
        if family_unavailable(rc) {
            return Ok(Vec::new());
        }
        return Err(win_err("GetIpForwardTable2", rc));
    }
    if t.ptr.is_null() {
        return Ok(Vec::new());
    }
    // SAFETY: a table just returned: `NumEntries` rows from `Table`.
    let rows: &[MIB_IPFORWARD_ROW2] = unsafe {
        let tab = &*t.ptr;
        rows(tab.NumEntries, std::ptr::addr_of!(tab.Table).cast())
    };
    Ok(rows.iter().filter_map(route).collect())
}

/// One route row as a snapshot route (`None` for a family that is neither
/// IPv4 nor IPv6).
pub(super) fn route(r: &MIB_IPFORWARD_ROW2) -> Option<Route> {
    let destination = inet(&r.DestinationPrefix.Prefix)?;
    let next_hop = inet(&r.NextHop).unwrap_or(match destination {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    });
    Some(Route {
        if_index: r.InterfaceIndex,
        // SAFETY: `Value` is the whole 64-bit LUID.
        luid: unsafe { r.InterfaceLuid.Value },
        destination,
        prefix_len: r.DestinationPrefix.PrefixLength,
        next_hop,
        metric: r.Metric,
        protocol: r.Protocol as u32,
        origin: r.Origin as u32,
        valid_lifetime: r.ValidLifetime,
        preferred_lifetime: r.PreferredLifetime,
    })
}

/// The current row of the route `key` names (its interface, destination
/// and next hop): `GetIpForwardEntry2`. `None` when the route, or its
/// interface, no longer exists.
pub(super) fn route_entry(key: &MIB_IPFORWARD_ROW2) -> io::Result<Option<Route>> {
    let mut row = *key;
    // SAFETY: `row` is a whole MIB_IPFORWARD_ROW2 the call reads the key
    // of and fills in.
    match unsafe { GetIpForwardEntry2(&mut row) } {
        NO_ERROR => Ok(route(&row)),
        ERROR_NOT_FOUND | ERROR_FILE_NOT_FOUND => Ok(None),
        e => Err(win_err("GetIpForwardEntry2", e)),
    }
}

/// The key of an interface row: `(InterfaceIndex, InterfaceLuid)`.
pub(super) fn interface_key(r: &MIB_IPINTERFACE_ROW) -> (u32, u64) {
    // SAFETY: `Value` is the whole 64-bit LUID.
    (r.InterfaceIndex, unsafe { r.InterfaceLuid.Value })
}

/// A unicast address row as `(InterfaceIndex, address)` (`None` for a
/// family that is neither IPv4 nor IPv6).
pub(super) fn unicast_row(r: &MIB_UNICASTIPADDRESS_ROW) -> Option<(u32, UnicastAddress)> {
    let address = inet(&r.Address)?;
    Some((
        r.InterfaceIndex,
        UnicastAddress {
            address,
            prefix_len: r.OnLinkPrefixLength,
            prefix_origin: r.PrefixOrigin as u32,
            suffix_origin: r.SuffixOrigin as u32,
            dad_state: r.DadState as u32,
            valid_lifetime: r.ValidLifetime,
            preferred_lifetime: r.PreferredLifetime,
        },
    ))
}

fn neighbour_rows(family: u16) -> io::Result<Vec<Neighbour>> {
    let mut t = MibTable::<MIB_IPNET_TABLE2> {
        ptr: std::ptr::null_mut(),
    };
    // SAFETY: the call stores a table pointer in `t.ptr`, freed by `t`.
    let rc = unsafe { GetIpNetTable2(family, &mut t.ptr) };
    if rc != NO_ERROR {
        // Wine leaves a freed pointer behind on failure: never free it.
        t.ptr = std::ptr::null_mut();
        if family_unavailable(rc) {
            return Ok(Vec::new());
        }
        return Err(win_err("GetIpNetTable2", rc));
    }
    if t.ptr.is_null() {
        return Ok(Vec::new());
    }
    // SAFETY: a table just returned: `NumEntries` rows from `Table`.
    let rows: &[MIB_IPNET_ROW2] = unsafe {
        let tab = &*t.ptr;
        rows(tab.NumEntries, std::ptr::addr_of!(tab.Table).cast())
    };
    Ok(rows
        .iter()
        .filter_map(|r| {
            let address = inet(&r.Address)?;
            let len = (r.PhysicalAddressLength as usize).min(r.PhysicalAddress.len());
            // SAFETY: both views of the union are the same byte.
            let flags = unsafe { r.Anonymous.Flags };
            Some(Neighbour {
                if_index: r.InterfaceIndex,
                // SAFETY: `Value` is the whole 64-bit LUID.
                luid: unsafe { r.InterfaceLuid.Value },
                address,
                physical_address: r.PhysicalAddress[..len].to_vec(),
                state: r.State as u32,
                is_router: flags & 1 != 0,
                is_unreachable: flags & 2 != 0,
            })
        })
        .collect())
}
