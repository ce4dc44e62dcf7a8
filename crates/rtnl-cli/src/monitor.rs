//! `rtnl monitor [all|link|address|route|neigh|rule]... [-t] [--count N]`:
//! notifications as `ip monitor` prints them, through the same per-object
//! renderers as the listings; `-j` prints one JSON object per line.
//! Overruns are printed, never hidden.

use std::time::{SystemTime, UNIX_EPOCH};

use rtnl::monitor::is_overrun;
use rtnl::Groups;
use rtnl_wire::rtm::*;
use rtnl_wire::{Fixed, Message};
use serde_json::Value as Json;

use crate::args::Parsed;
use crate::ctx::{write_stdout, CliError, Ctx};
use crate::link::{print_link, LinkStyle};
use crate::names::{LinkCache, AF_INET, AF_INET6};
use crate::out::Out;
use crate::route::RouteStyle;

/// The text `rtnl monitor` prints where notifications were lost.
pub const OVERRUN_TEXT: &str = "Overrun: notifications were lost";

/// Runs until interrupted, or until `--count N` events were printed.
pub fn run(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let v4 = ctx.opts.family != AF_INET6;
    let v6 = ctx.opts.family != AF_INET;
    let pick = |a: Groups, b: Groups| match (v4, v6) {
        (true, false) => a,
        (false, true) => b,
        _ => a | b,
    };
    let table = [
        ("link", Groups::LINK),
        ("address", pick(Groups::IPV4_ADDR, Groups::IPV6_ADDR)),
        ("route", pick(Groups::IPV4_ROUTE, Groups::IPV6_ROUTE)),
        ("neigh", Groups::NEIGH),
        ("rule", pick(Groups::IPV4_RULE, Groups::IPV6_RULE)),
    ];
    let mut groups = Groups::NONE;
    for (word, g) in table {
        if p.flag(word) {
            groups |= g;
        }
    }
    let banner = p.flag("all");
    if groups.is_empty() {
        groups = table.iter().fold(Groups::NONE, |acc, (_, g)| acc | *g);
    }
    let count = match p.get("--count") {
        Some(n) => Some(
            n.parse::<u64>()
                .map_err(|_| CliError::usage(format!("Error: \"{n}\" is not a valid count.")))?,
        ),
        None => None,
    };
    let timestamps = p.flag("-t");
    ctx.ipr()?.bind(groups)?;
    // The names of links, kept current from the link events. `ip monitor`
    // does not show the queue length (`qlen`), which the listing's
    // renderer shows whenever the cache knows it: the cache never does.
    let mut links = LinkCache::from_links(&ctx.links()?.0);
    links.forget_txqlen();
    let details = ctx.opts.details;
    let json = ctx.opts.json;
    let mut seen = 0u64;
    while count.is_none_or(|c| seen < c) {
        let bytes = ctx.ipr()?.recv()?;
        let text = if is_overrun(&bytes) {
            if json {
                "{\"overrun\":true}\n".to_string()
            } else {
                format!("{OVERRUN_TEXT}\n")
            }
        } else {
            let Some(Ok(mut m)) = Message::parse_all(&bytes).next() else {
                continue;
            };
            // `ip monitor` does not show the queue length (`qlen`): the
            // listing's renderer shows it whenever it is known.
            m.attrs.retain(|a| a.name() != Some("IFLA_TXQLEN"));
            if let Fixed::Link(_) = &m.fixed {
                links.update(&m);
            }
            let rendered = render(&m, &links, details, ctx.out());
            if let (Fixed::Link(h), RTM_DELLINK) = (&m.fixed, m.header.kind) {
                links.remove(h.index as u32);
            }
            let Some((label, body)) = rendered else {
                continue;
            };
            let mut s = String::new();
            if timestamps && !json {
                s += &timestamp_line(SystemTime::now());
            }
            if banner && !json {
                s += label;
            }
            s += &body;
            s
        };
        write_stdout(text.as_bytes())?;
        seen += 1;
    }
    Ok(())
}

/// One event in `ip monitor`'s form (or one JSON object and a newline),
/// rendered into `o` (plain, `-o` or JSON), with the `all` banner that goes
/// before it.
fn render(
    m: &Message,
    links: &LinkCache,
    details: bool,
    mut o: Out,
) -> Option<(&'static str, String)> {
    let json = o.is_json();
    let label = match m.header.kind {
        RTM_NEWLINK | RTM_DELLINK => {
            o.open_object(None);
            let style = LinkStyle {
                do_link: false,
                family: 0,
                details,
                stats: 0,
                units: crate::link_stats::Units::Plain,
            };
            if !print_link(&mut o, m, links, style) {
                return None;
            }
            o.close();
            "[LINK]"
        }
        RTM_NEWADDR | RTM_DELADDR => {
            if !matches!(m.fixed, Fixed::Addr(_)) {
                return None;
            }
            // `ip monitor` prints addresses one per entry, prefixed with
            // their link: `2: eth0    inet ...`.
            o.open_object(None);
            crate::addr::print_addr(&mut o, m, links, crate::addr::AddrForm::WithLink);
            o.close();
            "[ADDR]"
        }
        RTM_NEWROUTE | RTM_DELROUTE => {
            let style = RouteStyle {
                table: None,
                details,
                one_dev: false,
                one_proto: false,
                ..Default::default()
            };
            crate::route::print_route(&mut o, m, links, style);
            "[ROUTE]"
        }
        RTM_NEWNEIGH | RTM_DELNEIGH | RTM_GETNEIGH => {
            crate::neigh::print_neigh(
                &mut o,
                m,
                links,
                crate::neigh::NeighStyle {
                    with_dev: true,
                    ..Default::default()
                },
            );
            "[NEIGH]"
        }
        RTM_NEWRULE | RTM_DELRULE => {
            crate::rule::print_rule(&mut o, m, details);
            "[RULE]"
        }
        _ => return None,
    };
    if !json {
        return Some((label, o.finish(false)));
    }
    let one = match o.into_json() {
        Json::Array(mut a) if !a.is_empty() => a.remove(0),
        other => other,
    };
    Some((label, format!("{one}\n")))
}

/// `ip -t monitor`'s line: `Timestamp: Thu Jan  1 00:00:00 1970 123456 usec`
/// (UTC).
fn timestamp_line(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const WDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "Timestamp: {} {} {:2} {:02}:{:02}:{:02} {} {} usec\n",
        WDAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        day,
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        year,
        d.subsec_micros()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_read_like_asctime() {
        let t = UNIX_EPOCH + Duration::new(0, 5_000);
        assert_eq!(
            timestamp_line(t),
            "Timestamp: Thu Jan  1 00:00:00 1970 5 usec\n"
        );
        let t = UNIX_EPOCH + Duration::new(1_709_210_096, 123_456_000);
        assert_eq!(
            timestamp_line(t),
            "Timestamp: Thu Feb 29 12:34:56 2024 123456 usec\n"
        );
    }
}
