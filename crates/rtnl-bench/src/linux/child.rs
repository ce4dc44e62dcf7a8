//! The hidden `__child KIND [ARG]` subcommand: one measurement per process,
//! started inside the namespace, so that its peak memory is its own. It
//! prints one JSON line: `{"secs": .., "count": ..}` (and more for some).

use std::hint::black_box;
use std::time::Instant;

use rtnl::wire::family::route::RtMsg;
use rtnl::{IpRoute, RouteFilter};
use serde_json::{json, Value};

use super::setup;

pub fn main(argv: &[String]) -> i32 {
    let kind = argv.first().map(String::as_str).unwrap_or("");
    let arg = argv
        .get(1)
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    let out = match kind {
        "raw" => raw_dump(),
        "stream" => stream(),
        "owned" => owned(),
        "rtnetlink" => rtnetlink_dump(),
        "batch" => batch(arg),
        _ => Err(format!("unknown child kind {kind:?}")),
    };
    match out {
        Ok(v) => {
            println!("{v}");
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// The physical limit: one dump request, a 64 KiB buffer, a walk over the
/// netlink headers, nothing parsed.
fn raw_dump() -> Result<Value, String> {
    let err = |what: &str| format!("{what}: {}", std::io::Error::last_os_error());
    // SAFETY: plain socket syscalls on a descriptor owned here; buffers are
    // locals of the sizes passed.
    unsafe {
        let fd = libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_ROUTE,
        );
        if fd < 0 {
            return Err(err("socket"));
        }
        let mut sa: libc::sockaddr_nl = std::mem::zeroed();
        sa.nl_family = libc::AF_NETLINK as u16;
        if libc::bind(
            fd,
            &sa as *const _ as *const libc::sockaddr,
            std::mem::size_of::<libc::sockaddr_nl>() as u32,
        ) != 0
        {
            return Err(err("bind"));
        }
        // nlmsghdr (16) + rtmsg (12): RTM_GETROUTE, NLM_F_REQUEST|NLM_F_DUMP.
        let mut req = [0u8; 28];
        req[0..4].copy_from_slice(&28u32.to_ne_bytes());
        req[4..6].copy_from_slice(&(libc::RTM_GETROUTE).to_ne_bytes());
        req[6..8].copy_from_slice(&((libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16).to_ne_bytes());
        req[8..12].copy_from_slice(&1u32.to_ne_bytes());
        let start = Instant::now();
        if libc::send(fd, req.as_ptr().cast(), req.len(), 0) != req.len() as isize {
            return Err(err("send"));
        }
        let mut buf = vec![0u8; 64 * 1024];
        let (mut count, mut bytes) = (0u64, 0u64);
        'outer: loop {
            let n = libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0);
            if n < 0 {
                if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(err("recv"));
            }
            let n = n as usize;
            bytes += n as u64;
            let mut off = 0;
            while off + 16 <= n {
                let len = u32::from_ne_bytes(buf[off..off + 4].try_into().unwrap()) as usize;
                let kind = u16::from_ne_bytes(buf[off + 4..off + 6].try_into().unwrap());
                if kind == libc::NLMSG_DONE as u16 {
                    break 'outer;
                }
                if kind == libc::NLMSG_ERROR as u16 {
                    return Err("the dump failed (NLMSG_ERROR)".into());
                }
                count += 1;
                if len < 16 {
                    return Err("malformed message".into());
                }
                off += (len + 3) & !3;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        libc::close(fd);
        Ok(json!({"secs": secs, "count": count, "bytes": bytes}))
    }
}

/// rtnl's streaming dump, reading dst, gateway, oif and table of each route.
fn stream() -> Result<Value, String> {
    let mut ipr = IpRoute::new().map_err(|e| e.to_string())?;
    let filter = RouteFilter::default();
    let start = Instant::now();
    let mut dump = ipr.stream(&filter).map_err(|e| e.to_string())?;
    let (mut count, mut acc) = (0u64, 0u64);
    while let Some(r) = dump.next_view::<RtMsg>() {
        let r = r.map_err(|e| e.to_string())?;
        count += 1;
        acc = acc
            .wrapping_add(u64::from(r.dst().is_some()))
            .wrapping_add(u64::from(r.gateway().is_some()))
            .wrapping_add(u64::from(r.oif().unwrap_or(0)))
            .wrapping_add(u64::from(r.table()));
    }
    drop(dump);
    let secs = start.elapsed().as_secs_f64();
    Ok(json!({"secs": secs, "count": count, "checksum": black_box(acc)}))
}

/// rtnl's owned, parsed messages: `get_routes`, all held at once.
fn owned() -> Result<Value, String> {
    let mut ipr = IpRoute::new().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let routes = ipr
        .get_routes(&RouteFilter::default())
        .map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let count = black_box(&routes).len();
    Ok(json!({"secs": secs, "count": count}))
}

/// The rtnetlink crate's dump (tokio current-thread runtime), consumed item
/// by item, reading the same four fields.
fn rtnetlink_dump() -> Result<Value, String> {
    use futures_util::TryStreamExt;
    use rtnetlink::packet_route::route::{RouteAttribute, RouteMessage};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let (conn, handle, _) = rtnetlink::new_connection().map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        let start = Instant::now();
        // An empty message has family AF_UNSPEC: every family, every table.
        let mut routes = handle.route().get(RouteMessage::default()).execute();
        let (mut count, mut acc) = (0u64, 0u64);
        while let Some(r) = routes.try_next().await.map_err(|e| e.to_string())? {
            count += 1;
            let mut table = u32::from(r.header.table);
            for a in &r.attributes {
                match a {
                    RouteAttribute::Destination(_) | RouteAttribute::Gateway(_) => acc += 1,
                    RouteAttribute::Oif(o) => acc = acc.wrapping_add(u64::from(*o)),
                    RouteAttribute::Table(t) => table = *t,
                    _ => {}
                }
            }
            acc = acc.wrapping_add(u64::from(table));
        }
        let secs = start.elapsed().as_secs_f64();
        Ok(json!({"secs": secs, "count": count, "checksum": black_box(acc)}))
    })
}

/// `n` route adds then their deletes through `request_batch`.
fn batch(n: usize) -> Result<Value, String> {
    let mut ipr = IpRoute::new().map_err(|e| e.to_string())?;
    let oif = setup::ifb_index(&mut ipr)?;
    let start = Instant::now();
    setup::batch_routes(&mut ipr, setup::BULK, 0, n, oif, false)?;
    let add = start.elapsed().as_secs_f64();
    let start = Instant::now();
    setup::batch_routes(&mut ipr, setup::BULK, 0, n, oif, true)?;
    let del = start.elapsed().as_secs_f64();
    Ok(json!({"secs": add, "del_secs": del, "count": n}))
}
