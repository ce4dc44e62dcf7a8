//! Rows, the printed table, the targets and the JSON.

use serde_json::{json, Map, Value};

/// One measured line: several rounds of one thing.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// `dump`, `bulk` or `storm`.
    pub section: &'static str,
    /// Stable id, e.g. `dump.stream`.
    pub key: String,
    /// What it is, for people.
    pub name: String,
    /// IPv4 routes in table 100 (dump), requests (bulk), routes (storm).
    pub size: usize,
    /// What the measurement saw: messages, routes, events.
    pub count: Option<u64>,
    /// Seconds per round.
    pub secs: Vec<f64>,
    /// Peak RSS per round, KiB.
    pub rss_kb: Vec<u64>,
    /// CPU time (user + system, every thread) per round, seconds: a
    /// program that overlaps work on two threads shows less wall time
    /// than CPU time.
    pub cpu_s: Vec<f64>,
    /// Time relative to the row's reference (raw dump, `ip -batch`).
    pub ratio: Option<f64>,
    /// Extra numbers (overruns, events expected ...).
    pub extra: Map<String, Value>,
    /// Why it was not measured, or a remark.
    pub note: Option<String>,
}

impl Row {
    pub fn new(section: &'static str, key: &str, name: &str, size: usize) -> Row {
        Row {
            section,
            key: key.to_string(),
            name: name.to_string(),
            size,
            ..Default::default()
        }
    }

    pub fn median(&self) -> Option<f64> {
        median(&self.secs)
    }

    pub fn min(&self) -> Option<f64> {
        self.secs.iter().copied().reduce(f64::min)
    }

    pub fn max(&self) -> Option<f64> {
        self.secs.iter().copied().reduce(f64::max)
    }

    pub fn peak_kb(&self) -> Option<u64> {
        self.rss_kb.iter().copied().max()
    }

    pub fn to_json(&self) -> Value {
        json!({
            "section": self.section,
            "key": self.key,
            "name": self.name,
            "size": self.size,
            "count": self.count,
            "rounds": self.secs.len(),
            "median_s": self.median(),
            "min_s": self.min(),
            "max_s": self.max(),
            "secs": self.secs,
            "ratio": self.ratio,
            "peak_rss_kb": self.peak_kb(),
            "cpu_median_s": median(&self.cpu_s),
            "extra": self.extra,
            "note": self.note,
        })
    }
}

pub fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    Some(if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    })
}

pub fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

pub fn mib(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}

/// The rows as a Markdown table (also what is printed).
pub fn table(rows: &[Row], ratio_head: &str) -> String {
    let mut out = format!(
        "| test | size | seen | time (median) | min–max | {ratio_head} | CPU (median) | peak RSS |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    for r in rows {
        let seen = r.count.map_or("–".into(), |c| c.to_string());
        let (t, spread) = match (r.median(), r.min(), r.max()) {
            (Some(m), Some(lo), Some(hi)) => (secs(m), format!("{}–{}", secs(lo), secs(hi))),
            _ => ("–".into(), "–".into()),
        };
        let ratio = r.ratio.map_or("–".into(), |x| format!("{x:.2}×"));
        let rss = r.peak_kb().map_or("–".into(), mib);
        let cpu = median(&r.cpu_s).map_or("–".into(), secs);
        let mut name = r.name.clone();
        if let Some(n) = &r.note {
            name += &format!(" ({n})");
        }
        out += &format!(
            "| {name} | {} | {seen} | {t} | {spread} | {ratio} | {cpu} | {rss} |\n",
            r.size
        );
    }
    out
}

/// One target: PASS or MISS with the numbers, never an assertion.
#[derive(Debug, Clone)]
pub struct Target {
    pub what: String,
    pub pass: Option<bool>,
    pub detail: String,
}

impl Target {
    pub fn line(&self) -> String {
        let verdict = match self.pass {
            Some(true) => "PASS",
            Some(false) => "MISS",
            None => "N/A ",
        };
        format!("{verdict}  {}: {}", self.what, self.detail)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "target": self.what,
            "verdict": match self.pass { Some(true) => "PASS", Some(false) => "MISS", None => "N/A" },
            "detail": self.detail,
        })
    }
}
