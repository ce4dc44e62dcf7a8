//! `ip -s link`: a link's counters (IFLA_STATS64, or the 32-bit
//! IFLA_STATS of older kernels), in iproute2's `print_stats64` layout.
//!
//! Plain text is a table whose columns widen to the longest number in
//! them, so every number is known before the first header is printed.
//! JSON is `stats64` (or `stats`) with `rx` and `tx` objects. `-s -s` adds
//! the error counters.

use rtnl_wire::Message;
use serde_json::Value as Json;

use crate::names::Attrs;
use crate::out::Out;

/// One counter of `struct rtnl_link_stats64`, by its field name in the
/// attribute table; absent (a shorter struct) reads as 0, as in iproute2.
struct Stats<'a> {
    m: &'a Message,
    attr: &'static str,
}

impl Stats<'_> {
    fn get(&self, field: &str) -> u64 {
        self.m.field(self.attr, field).unwrap_or(0)
    }
}

/// A JSON counter: key and field name.
type Counter = (&'static str, &'static str);

const RX: &[Counter] = &[
    ("bytes", "rx_bytes"),
    ("packets", "rx_packets"),
    ("errors", "rx_errors"),
    ("dropped", "rx_dropped"),
    ("over_errors", "rx_over_errors"),
    ("multicast", "multicast"),
];
const RX_ERRORS: &[Counter] = &[
    ("length_errors", "rx_length_errors"),
    ("crc_errors", "rx_crc_errors"),
    ("frame_errors", "rx_frame_errors"),
    ("fifo_errors", "rx_fifo_errors"),
    ("missed_errors", "rx_missed_errors"),
];
const TX: &[Counter] = &[
    ("bytes", "tx_bytes"),
    ("packets", "tx_packets"),
    ("errors", "tx_errors"),
    ("dropped", "tx_dropped"),
    ("carrier_errors", "tx_carrier_errors"),
    ("collisions", "collisions"),
];
const TX_ERRORS: &[Counter] = &[
    ("aborted_errors", "tx_aborted_errors"),
    ("fifo_errors", "tx_fifo_errors"),
    ("window_errors", "tx_window_errors"),
    ("heartbeat_errors", "tx_heartbeat_errors"),
];

/// How the plain table writes a number (`-h`, `-iec`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Units {
    /// Every digit.
    #[default]
    Plain,
    /// `2.58M`: powers of 1000.
    Si,
    /// `2.46Mi`: powers of 1024.
    Iec,
}

impl Units {
    /// From the global options.
    pub fn of(o: &crate::ctx::Opts) -> Units {
        match (o.human, o.iec) {
            (false, _) => Units::Plain,
            (true, false) => Units::Si,
            (true, true) => Units::Iec,
        }
    }

    /// `v` as iproute2's `print_num` writes it: with a unit prefix and
    /// up to two decimals once it reaches the base.
    fn format(self, v: u64) -> String {
        let (base, suffix) = match self {
            Units::Plain => return v.to_string(),
            Units::Si => (1000u64, ""),
            Units::Iec => (1024, "i"),
        };
        if v < base {
            return v.to_string();
        }
        const PREFIXES: &[u8] = b"kMGTPE";
        let (mut pow, mut i) = (1u64, 0);
        loop {
            pow *= base;
            if v / base < pow || i + 1 == PREFIXES.len() {
                break;
            }
            i += 1;
        }
        // Fewer decimals as the integer part grows: 2.58M, 25.8M, 258M.
        let whole = v / pow;
        let decimals = if whole < 10 {
            2
        } else if whole < 100 {
            1
        } else {
            0
        };
        format!(
            "{:.decimals$}{}{suffix}",
            v as f64 / pow as f64,
            PREFIXES[i] as char
        )
    }
}

/// Prints the counters of link `m` (nothing when it carries none), `level`
/// being how many times `-s` was given. Plain text starts on the current
/// line and ends without a line break, as `__print_link_stats`.
pub fn print(o: &mut Out, m: &Message, level: u8, units: Units) {
    let attr = if m.has("IFLA_STATS64") {
        "IFLA_STATS64"
    } else if m.has("IFLA_STATS") {
        "IFLA_STATS"
    } else {
        return;
    };
    let s = Stats { m, attr };
    let carrier_changes = m.u32_of("IFLA_CARRIER_CHANGES").map(u64::from);
    if o.is_json() {
        json(o, &s, carrier_changes, level);
    } else {
        o.text(&table(&s, carrier_changes, level, units));
    }
}

fn json(o: &mut Out, s: &Stats<'_>, carrier_changes: Option<u64>, level: u8) {
    let put = |o: &mut Out, list: &[Counter]| {
        for (key, field) in list {
            o.put(Some(key), Json::from(s.get(field)));
        }
    };
    // Counters that only show when not zero.
    let nonzero = |o: &mut Out, key: &str, field: &str| {
        let v = s.get(field);
        if v != 0 {
            o.put(Some(key), Json::from(v));
        }
    };
    o.open_object(Some(if s.attr == "IFLA_STATS64" {
        "stats64"
    } else {
        "stats"
    }));
    o.open_object(Some("rx"));
    put(o, RX);
    nonzero(o, "compressed", "rx_compressed");
    if level > 1 {
        put(o, RX_ERRORS);
        nonzero(o, "nohandler", "rx_nohandler");
        nonzero(o, "otherhost", "rx_otherhost_dropped");
    }
    o.close();
    o.open_object(Some("tx"));
    put(o, TX);
    nonzero(o, "compressed", "tx_compressed");
    if level > 1 {
        put(o, TX_ERRORS);
        if let Some(cc) = carrier_changes {
            o.put(Some("carrier_changes"), Json::from(cc));
        }
    }
    o.close();
    o.close();
}

/// Digits of `v` in decimal.
fn digits(v: u64) -> usize {
    v.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// The plain table. Columns start as wide as their longest header
/// (`*X errors:`, `packets`, `errors`, `dropped`, `heartbt`, `overrun`,
/// `compressed`, `otherhost`) and widen to fit every number printed in
/// them, across all rows (iproute2's `size_columns`).
fn table(s: &Stats<'_>, carrier_changes: Option<u64>, level: u8, units: Units) -> String {
    let g = |f: &str| s.get(f);
    let rx = [
        g("rx_bytes"),
        g("rx_packets"),
        g("rx_errors"),
        g("rx_dropped"),
        g("rx_missed_errors"),
        g("multicast"),
        g("rx_compressed"),
    ];
    let rx_err = [
        0,
        g("rx_length_errors"),
        g("rx_crc_errors"),
        g("rx_frame_errors"),
        g("rx_fifo_errors"),
        g("rx_over_errors"),
        g("rx_nohandler"),
        g("rx_otherhost_dropped"),
    ];
    let tx = [
        g("tx_bytes"),
        g("tx_packets"),
        g("tx_errors"),
        g("tx_dropped"),
        g("tx_carrier_errors"),
        g("collisions"),
        g("tx_compressed"),
    ];
    let tx_err = [
        0,
        0,
        g("tx_aborted_errors"),
        g("tx_fifo_errors"),
        g("tx_window_errors"),
        g("tx_heartbeat_errors"),
        carrier_changes.unwrap_or(0),
    ];
    let mut cols = [10, 7, 6, 7, 7, 7, 10, 9];
    // With unit prefixes the columns keep their header widths.
    let mut size = |row: &[u64]| {
        if units != Units::Plain {
            return;
        }
        for (c, v) in cols.iter_mut().zip(row) {
            *c = (*c).max(digits(*v));
        }
    };
    size(&rx);
    if level > 1 {
        size(&rx_err);
    }
    size(&tx);
    if level > 1 {
        size(&tx_err);
    }
    let c = cols;
    let mut t = String::new();
    counter_row(
        &mut t,
        "RX",
        ["bytes", "packets", "errors", "dropped", "missed", "mcast"],
        &rx,
        &c,
        units,
    );
    if level > 1 {
        let (nohandler, otherhost) = (rx_err[6] != 0, rx_err[7] != 0);
        t.push_str(&format!(
            "\n    RX errors:{:w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$}{:>w6$}{:>w7$}\n",
            "",
            "length",
            "crc",
            "frame",
            "fifo",
            "overrun",
            optional(nohandler, " nohandler"),
            optional(otherhost, " otherhost"),
            w0 = c[0] - 10,
            w1 = c[1],
            w2 = c[2],
            w3 = c[3],
            w4 = c[4],
            w5 = c[5],
            w6 = if nohandler { c[6] + 1 } else { 0 },
            w7 = if otherhost { c[7] + 1 } else { 0 },
        ));
        t.push_str(&" ".repeat(c[0] + 5));
        numbers(&mut t, &c[1..6], &rx_err[1..6], units);
        if nohandler {
            numbers(&mut t, &c[6..7], &rx_err[6..7], units);
        }
        if otherhost {
            numbers(&mut t, &c[7..8], &rx_err[7..8], units);
        }
    }
    t.push('\n');
    counter_row(
        &mut t,
        "TX",
        [
            "bytes", "packets", "errors", "dropped", "carrier", "collsns",
        ],
        &tx,
        &c,
        units,
    );
    if level > 1 {
        t.push_str(&format!(
            "\n    TX errors:{:w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$}\n",
            "",
            "aborted",
            "fifo",
            "window",
            "heartbt",
            optional(carrier_changes.is_some(), "transns"),
            w0 = c[0] - 10,
            w1 = c[1],
            w2 = c[2],
            w3 = c[3],
            w4 = c[4],
            w5 = c[5],
        ));
        t.push_str(&" ".repeat(c[0] + 5));
        let n = if carrier_changes.is_some() { 6 } else { 5 };
        numbers(&mut t, &c[1..n], &tx_err[2..n + 1], units);
    }
    t
}

/// `word` when `on`, else an empty column.
fn optional(on: bool, word: &'static str) -> &'static str {
    if on {
        word
    } else {
        ""
    }
}

/// Right-aligned numbers, each followed by a space (`print_num`).
fn numbers(t: &mut String, cols: &[usize], vals: &[u64], units: Units) {
    for (w, v) in cols.iter().zip(vals) {
        t.push_str(&format!("{:>w$} ", units.format(*v)));
    }
}

/// The `    RX: bytes packets ...` header and its numbers: six columns,
/// and a seventh (`compressed`) when its count is not zero.
fn counter_row(
    t: &mut String,
    label: &str,
    words: [&str; 6],
    vals: &[u64; 7],
    c: &[usize; 8],
    units: Units,
) {
    let compressed = vals[6] != 0;
    t.push_str(&format!("    {label}: {:>w$}", words[0], w = c[0] - 4));
    for (word, w) in words[1..].iter().zip(&c[1..6]) {
        t.push_str(&format!(" {word:>w$}"));
    }
    t.push_str(&format!(
        " {:>w$}\n    ",
        optional(compressed, "compressed"),
        w = c[6]
    ));
    let n = if compressed { 7 } else { 6 };
    numbers(t, &c[..n], &vals[..n], units);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtnl_wire::family::link::{IfInfoMsg, LINK_STATS64};
    use rtnl_wire::rtm::RTM_NEWLINK;
    use rtnl_wire::{Fixed, Value};

    /// A link whose `attr` holds `set` (by field name), the rest 0.
    fn link(attr: &str, set: &[(&str, u64)], carrier_changes: Option<u32>) -> Message {
        let mut m = Message::new(RTM_NEWLINK, 0, Fixed::Link(IfInfoMsg::default()));
        let values = LINK_STATS64
            .fields
            .iter()
            .map(|f| set.iter().find(|(k, _)| k == f).map_or(0, |(_, v)| *v))
            .collect();
        m.push_attr(attr, Value::Struct(values));
        if let Some(cc) = carrier_changes {
            m.push_attr("IFLA_CARRIER_CHANGES", Value::U32(cc));
        }
        m
    }

    fn render(m: &Message, level: u8, json: bool) -> String {
        let mut o = if json { Out::json() } else { Out::plain() };
        o.open_object(None);
        print(&mut o, m, level, Units::Plain);
        o.close();
        o.finish(false)
    }

    /// Columns widen to the longest number in them across all four rows,
    /// and the optional columns (compressed, nohandler, transns) appear
    /// only when they have something to show. Written out by hand from
    /// iproute2's `print_stats64`.
    #[test]
    fn columns_widen_and_optional_ones_appear() {
        let m = link(
            "IFLA_STATS64",
            &[
                ("rx_bytes", 12_345_678_901_234),
                ("rx_packets", 1000),
                ("rx_compressed", 7),
                ("rx_nohandler", 5),
                ("tx_bytes", 999),
                ("tx_packets", 123_456_789_012),
            ],
            Some(3),
        );
        let want = concat!(
            "    RX:      bytes      packets errors dropped  missed   mcast compressed\n",
            "    12345678901234         1000      0       0       0       0          7 \n",
            "    RX errors:           length    crc   frame    fifo overrun  nohandler\n",
            "                              0      0       0       0       0          5 \n",
            "    TX:      bytes      packets errors dropped carrier collsns           \n",
            "               999 123456789012      0       0       0       0 \n",
            "    TX errors:          aborted   fifo  window heartbt transns\n",
            "                              0      0       0       0       3 ",
        );
        assert_eq!(render(&m, 2, false), want);
        // One -s: the error rows go, and the columns they sized shrink back.
        let want1 = concat!(
            "    RX:      bytes      packets errors dropped  missed   mcast compressed\n",
            "    12345678901234         1000      0       0       0       0          7 \n",
            "    TX:      bytes      packets errors dropped carrier collsns           \n",
            "               999 123456789012      0       0       0       0 ",
        );
        assert_eq!(render(&m, 1, false), want1);
    }

    #[test]
    fn json_keys_follow_ip() {
        let m = link(
            "IFLA_STATS64",
            &[
                ("rx_bytes", 10),
                ("rx_otherhost_dropped", 2),
                ("tx_compressed", 1),
            ],
            Some(4),
        );
        let one: serde_json::Value = serde_json::from_str(&render(&m, 1, true)).unwrap();
        let s = &one[0]["stats64"];
        let keys =
            |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            keys(&s["rx"]),
            [
                "bytes",
                "packets",
                "errors",
                "dropped",
                "over_errors",
                "multicast"
            ]
        );
        assert_eq!(
            keys(&s["tx"]),
            [
                "bytes",
                "packets",
                "errors",
                "dropped",
                "carrier_errors",
                "collisions",
                "compressed"
            ]
        );
        assert_eq!(s["rx"]["bytes"], 10);
        let two: serde_json::Value = serde_json::from_str(&render(&m, 2, true)).unwrap();
        let s = &two[0]["stats64"];
        assert_eq!(s["rx"]["otherhost"], 2);
        assert!(s["rx"].get("nohandler").is_none(), "zero: left out");
        assert_eq!(s["tx"]["carrier_changes"], 4);
        assert_eq!(s["rx"]["missed_errors"], 0);
    }

    /// `-h` / `-iec`: iproute2's `print_num`.
    #[test]
    fn human_units() {
        let si = |v| Units::Si.format(v);
        assert_eq!(si(999), "999");
        assert_eq!(si(1000), "1.00k");
        assert_eq!(si(2_581_630), "2.58M");
        assert_eq!(si(25_816_300), "25.8M");
        assert_eq!(si(258_163_000), "258M");
        assert_eq!(si(u64::MAX), "18.4E");
        assert_eq!(Units::Iec.format(1023), "1023");
        assert_eq!(Units::Iec.format(1024), "1.00ki");
        assert_eq!(Units::Iec.format(3 << 30), "3.00Gi");
        assert_eq!(Units::Plain.format(2_581_630), "2581630");
        // The columns keep their header widths.
        let m = link("IFLA_STATS64", &[("rx_bytes", 12_345_678_901_234)], None);
        let mut o = Out::plain();
        print(&mut o, &m, 1, Units::Si);
        assert!(o.finish(false).contains("\n         12.3T       0 "));
    }

    /// Older kernels send only the 32-bit IFLA_STATS: `stats`, not `stats64`.
    #[test]
    fn thirty_two_bit_counters_are_stats() {
        let m = link("IFLA_STATS", &[("tx_bytes", 77)], None);
        let v: serde_json::Value = serde_json::from_str(&render(&m, 1, true)).unwrap();
        assert_eq!(v[0]["stats"]["tx"]["bytes"], 77);
        assert!(v[0].get("stats64").is_none());
        // No carrier changes: no `transns` column.
        assert!(render(&m, 2, false).contains(" heartbt        \n"));
        // No counters at all: nothing.
        let bare = Message::new(RTM_NEWLINK, 0, Fixed::Link(IfInfoMsg::default()));
        assert_eq!(render(&bare, 2, false), "");
    }
}
