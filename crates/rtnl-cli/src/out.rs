//! One output path for plain text and JSON, in the manner of iproute2's
//! `json_print.c`: every field is printed once, with its JSON key and its
//! plain-text form side by side, so the two outputs always agree on which
//! fields appear and in what order.
//!
//! Plain-text templates hold one `{}` where the value goes (`"mtu {} "`).

use std::fmt::{self, Display};
use std::io::Write;

use serde_json::{Map, Value as Json};

/// Fills the first `{}` of `template` with `value`.
pub fn fill(template: &str, value: impl Display) -> String {
    match template.find("{}") {
        Some(i) => format!("{}{}{}", &template[..i], value, &template[i + 2..]),
        None => template.to_string(),
    }
}

/// C's `%#x`: `0` for zero, `0x..` otherwise.
pub fn c_hex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

enum Frame {
    Object(Option<String>, Map<String, Json>),
    Array(Option<String>, Vec<Json>),
}

/// Where rendering goes: a text buffer, or a JSON document under
/// construction whose root is an array (as `ip -j` prints).
pub struct Out {
    json: bool,
    /// `-o`: a line break inside an object prints as `\` (iproute2's
    /// `_SL_`); only [`Out::eol`] ends a line.
    oneline: bool,
    text: String,
    stack: Vec<Frame>,
}

impl Out {
    /// Plain text output.
    pub fn plain() -> Out {
        Out {
            json: false,
            oneline: false,
            text: String::new(),
            stack: Vec::new(),
        }
    }

    /// Plain text output, one line per object (`ip -o`).
    pub fn oneline() -> Out {
        Out {
            oneline: true,
            ..Out::plain()
        }
    }

    /// JSON output: a root array that `open_object(None)` adds entries to.
    pub fn json() -> Out {
        Out {
            json: true,
            oneline: false,
            text: String::new(),
            stack: vec![Frame::Array(None, Vec::new())],
        }
    }

    /// True for `-o` plain output.
    pub fn is_oneline(&self) -> bool {
        self.oneline
    }

    /// Every piece of plain text goes through here, so that `-o` turns
    /// each line break into `\`.
    fn push_plain(&mut self, s: &str) {
        if self.oneline && s.contains('\n') {
            self.text.push_str(&s.replace('\n', "\\"));
        } else {
            self.text.push_str(s);
        }
    }

    /// True when building JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Text for the plain output only.
    pub fn text(&mut self, s: &str) {
        if !self.json {
            self.push_plain(s);
        }
    }

    /// A line break in plain output (`print_nl()`, `_SL_`): `\` with `-o`.
    pub fn nl(&mut self) {
        self.text("\n");
    }

    /// The end of an object's last line in plain output: a line break
    /// even with `-o`.
    pub fn eol(&mut self) {
        if !self.json {
            self.text.push('\n');
        }
    }

    /// A JSON value only (`PRINT_JSON`). With `key` `None` the value is an
    /// array element.
    pub fn put(&mut self, key: Option<&str>, v: Json) {
        if !self.json {
            return;
        }
        match self.stack.last_mut() {
            Some(Frame::Object(_, m)) => {
                m.insert(key.unwrap_or_default().to_string(), v);
            }
            Some(Frame::Array(_, a)) => a.push(v),
            None => {}
        }
    }

    /// A field in both outputs (`PRINT_ANY`): `v` in JSON, `text` in plain.
    pub fn any(&mut self, key: Option<&str>, text: &str, v: Json) {
        if self.json {
            self.put(key, v);
        } else {
            self.push_plain(text);
        }
    }

    /// A string field (`print_string(PRINT_ANY, ...)`).
    pub fn string(&mut self, key: &str, template: &str, v: &str) {
        self.any(Some(key), &fill(template, v), Json::from(v));
    }

    /// An array element string.
    pub fn item(&mut self, template: &str, v: &str) {
        self.any(None, &fill(template, v), Json::from(v));
    }

    /// An unsigned number field.
    pub fn uint(&mut self, key: &str, template: &str, v: u64) {
        self.any(Some(key), &fill(template, v), Json::from(v));
    }

    /// A signed number field.
    pub fn int(&mut self, key: &str, template: &str, v: i64) {
        self.any(Some(key), &fill(template, v), Json::from(v));
    }

    /// `print_bool(PRINT_ANY, key, text, true)`: `true` in JSON, `text` in plain.
    pub fn flag(&mut self, key: &str, text: &str) {
        self.any(Some(key), text, Json::Bool(true));
    }

    /// `print_null`: `null` in JSON, `text` in plain.
    pub fn null(&mut self, key: &str, text: &str) {
        self.any(Some(key), text, Json::Null);
    }

    /// `print_on_off`: a JSON bool, `on`/`off` in plain.
    pub fn on_off(&mut self, key: &str, template: &str, v: bool) {
        let word = if v { "on" } else { "off" };
        self.any(Some(key), &fill(template, word), Json::Bool(v));
    }

    /// `print_0xhex`: the `%#llx` string in JSON, the same in plain.
    pub fn hex(&mut self, key: &str, template: &str, v: u64) {
        let s = c_hex(v);
        self.any(Some(key), &fill(template, &s), Json::from(s));
    }

    /// Opens a JSON object (under `key`, or as an array element).
    pub fn open_object(&mut self, key: Option<&str>) {
        if self.json {
            self.stack
                .push(Frame::Object(key.map(str::to_string), Map::new()));
        }
    }

    /// Opens a JSON array.
    pub fn open_array(&mut self, key: Option<&str>) {
        if self.json {
            self.stack
                .push(Frame::Array(key.map(str::to_string), Vec::new()));
        }
    }

    /// Closes the innermost object or array.
    pub fn close(&mut self) {
        if !self.json || self.stack.len() < 2 {
            return;
        }
        let (key, v) = match self.stack.pop() {
            Some(Frame::Object(k, m)) => (k, Json::Object(m)),
            Some(Frame::Array(k, a)) => (k, Json::Array(a)),
            None => return,
        };
        self.put(key.as_deref(), v);
    }

    /// The JSON document built so far (the root array).
    pub fn into_json(mut self) -> Json {
        while self.stack.len() > 1 {
            self.close();
        }
        match self.stack.pop() {
            Some(Frame::Array(_, a)) => Json::Array(a),
            Some(Frame::Object(_, m)) => Json::Object(m),
            None => Json::Null,
        }
    }

    /// The finished output: the text, or the JSON document (compact, or
    /// indented with `pretty`) and a newline.
    pub fn finish(self, pretty: bool) -> String {
        if !self.json {
            return self.text;
        }
        let doc = self.into_json();
        let mut s = if pretty {
            serde_json::to_string_pretty(&doc)
        } else {
            serde_json::to_string(&doc)
        }
        .unwrap_or_default();
        s.push('\n');
        s
    }
}

/// C's `%#x` without an allocation: `0` for zero, `0x..` otherwise.
#[derive(Debug, Clone, Copy)]
pub struct CHex(pub u64);

impl Display for CHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

/// A value a [`Sink`] prints. `Display` gives its text (what [`Out`]
/// stores); [`Direct`] calls `push`, which the common kinds override to
/// write the same text without going through `fmt`.
pub trait Val: Display {
    /// Appends the text of `self` to `buf`; with `json`, escaped as the
    /// body of a JSON string.
    fn push(&self, buf: &mut Vec<u8>, json: bool) {
        let _ = fmt::write(&mut BufWrite { buf, escape: json }, format_args!("{self}"));
    }
}

impl Val for &str {
    fn push(&self, buf: &mut Vec<u8>, json: bool) {
        if json {
            json_escape_into(buf, self);
        } else {
            put(buf, self.as_bytes());
        }
    }
}

impl Val for fmt::Arguments<'_> {}
impl Val for CHex {}

impl Val for u64 {
    fn push(&self, buf: &mut Vec<u8>, _json: bool) {
        push_u64(buf, *self);
    }
}

impl Val for i64 {
    fn push(&self, buf: &mut Vec<u8>, _json: bool) {
        push_i64(buf, *self);
    }
}

impl Val for std::net::IpAddr {
    fn push(&self, buf: &mut Vec<u8>, json: bool) {
        match self {
            // Dotted decimal, as `Ipv4Addr`'s `Display`; nothing to escape.
            std::net::IpAddr::V4(a) => {
                let [a, b, c, d] = a.octets();
                push_u64(buf, a.into());
                buf.push(b'.');
                push_u64(buf, b.into());
                buf.push(b'.');
                push_u64(buf, c.into());
                buf.push(b'.');
                push_u64(buf, d.into());
            }
            std::net::IpAddr::V6(_) => {
                let _ = fmt::write(&mut BufWrite { buf, escape: json }, format_args!("{self}"));
            }
        }
    }
}

/// The printing calls every renderer is written with, so that one renderer
/// serves both [`Out`] (a `serde_json` document, for everything) and
/// [`Direct`] (bytes written as they are rendered, for long listings).
/// Values are `Display`: `Direct` formats them straight into its buffer.
pub trait Sink {
    /// True when building JSON.
    fn is_json(&self) -> bool;
    /// Text for the plain output only.
    fn text(&mut self, s: &str);
    /// Formatted text for the plain output only.
    fn text_fmt(&mut self, a: fmt::Arguments<'_>);
    /// The end of an object's last line (a line break even with `-o`).
    fn eol(&mut self);
    /// A JSON string only (`PRINT_JSON`).
    fn put_str(&mut self, key: Option<&str>, v: impl Val);
    /// `PRINT_ANY` with a JSON string and its own plain text.
    fn any_str(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: impl Val);
    /// `PRINT_ANY` with a JSON number and its own plain text.
    fn any_uint(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: u64);
    /// `PRINT_ANY` with a JSON bool and its own plain text.
    fn any_bool(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: bool);
    /// A string field (`print_string(PRINT_ANY, ...)`).
    fn string(&mut self, key: &str, template: &str, v: impl Val);
    /// An array element string.
    fn item(&mut self, template: &str, v: impl Val);
    /// An unsigned number field.
    fn uint(&mut self, key: &str, template: &str, v: u64);
    /// A signed number field.
    fn int(&mut self, key: &str, template: &str, v: i64);
    /// `true` in JSON, `text` in plain.
    fn flag(&mut self, key: &str, text: &str);
    /// `null` in JSON, `text` in plain.
    fn null(&mut self, key: &str, text: &str);
    /// `print_0xhex`.
    fn hex(&mut self, key: &str, template: &str, v: u64);
    /// Opens a JSON object.
    fn open_object(&mut self, key: Option<&str>);
    /// Opens a JSON array.
    fn open_array(&mut self, key: Option<&str>);
    /// Closes the innermost object or array.
    fn close(&mut self);
}

impl Sink for Out {
    fn is_json(&self) -> bool {
        self.json
    }
    fn text(&mut self, s: &str) {
        Out::text(self, s)
    }
    fn text_fmt(&mut self, a: fmt::Arguments<'_>) {
        if !self.json {
            self.push_plain(&a.to_string());
        }
    }
    fn eol(&mut self) {
        Out::eol(self)
    }
    fn put_str(&mut self, key: Option<&str>, v: impl Val) {
        if self.json {
            self.put(key, Json::from(v.to_string()));
        }
    }
    fn any_str(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: impl Val) {
        if self.json {
            self.put(key, Json::from(v.to_string()));
        } else {
            self.push_plain(&text.to_string());
        }
    }
    fn any_uint(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: u64) {
        if self.json {
            self.put(key, Json::from(v));
        } else {
            self.push_plain(&text.to_string());
        }
    }
    fn any_bool(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: bool) {
        if self.json {
            self.put(key, Json::Bool(v));
        } else {
            self.push_plain(&text.to_string());
        }
    }
    fn string(&mut self, key: &str, template: &str, v: impl Val) {
        Out::string(self, key, template, &v.to_string())
    }
    fn item(&mut self, template: &str, v: impl Val) {
        Out::item(self, template, &v.to_string())
    }
    fn uint(&mut self, key: &str, template: &str, v: u64) {
        Out::uint(self, key, template, v)
    }
    fn int(&mut self, key: &str, template: &str, v: i64) {
        Out::int(self, key, template, v)
    }
    fn flag(&mut self, key: &str, text: &str) {
        Out::flag(self, key, text)
    }
    fn null(&mut self, key: &str, text: &str) {
        Out::null(self, key, text)
    }
    fn hex(&mut self, key: &str, template: &str, v: u64) {
        Out::hex(self, key, template, v)
    }
    fn open_object(&mut self, key: Option<&str>) {
        Out::open_object(self, key)
    }
    fn open_array(&mut self, key: Option<&str>) {
        Out::open_array(self, key)
    }
    fn close(&mut self) {
        Out::close(self)
    }
}

/// Appends a short piece. Pieces of a route (keys, names, separators) are
/// a few bytes: pushed one by one, they cost less than a copy call each.
#[inline]
fn put(buf: &mut Vec<u8>, s: &[u8]) {
    if s.len() <= 16 {
        for &b in s {
            buf.push(b);
        }
    } else {
        buf.extend_from_slice(s);
    }
}

/// Appends a JSON string body (no quotes) escaped exactly as `serde_json`
/// escapes it: `"`, `\` and the control characters, `\b \t \n \f \r` by
/// name and the others as `\u00XX` with lower-case hex; nothing else.
pub fn json_escape_into(buf: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if !b.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\') {
        put(buf, b);
        return;
    }
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c >= 0x20 && c != b'"' && c != b'\\' {
            continue;
        }
        buf.extend_from_slice(&b[start..i]);
        start = i + 1;
        match c {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            0x08 => buf.extend_from_slice(b"\\b"),
            0x0c => buf.extend_from_slice(b"\\f"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[(c >> 4) as usize]);
                buf.push(HEX[(c & 0xf) as usize]);
            }
        }
    }
    buf.extend_from_slice(&b[start..]);
}

/// `fmt::Write` into a byte buffer, JSON-escaped or not.
struct BufWrite<'a> {
    buf: &'a mut Vec<u8>,
    escape: bool,
}

impl fmt::Write for BufWrite<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.escape {
            json_escape_into(self.buf, s);
        } else {
            self.buf.extend_from_slice(s.as_bytes());
        }
        Ok(())
    }
}

/// Appends `v` in decimal, as `serde_json` (itoa) and `{}` both print it.
pub fn push_u64(buf: &mut Vec<u8>, mut v: u64) {
    // Most numbers printed are bytes of addresses and prefix lengths:
    // pushed digit by digit, without a copy call.
    if v < 1000 {
        if v >= 100 {
            buf.push(b'0' + (v / 100) as u8);
        }
        if v >= 10 {
            buf.push(b'0' + (v / 10 % 10) as u8);
        }
        buf.push(b'0' + (v % 10) as u8);
        return;
    }
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

fn push_i64(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    push_u64(buf, v.unsigned_abs());
}

/// Deepest JSON nesting [`Direct`] tracks (route output needs 4).
const MAX_NEST: usize = 63;

/// A [`Sink`] that writes its output straight into a byte buffer: plain
/// text, or JSON byte-identical to what [`Out::finish`] prints for the same
/// calls (compact, or indented as `serde_json`'s pretty printer indents a
/// whole document). The root array is open from the start; [`Direct::end`]
/// closes it. Nothing is allocated per call once the buffer has grown.
pub struct Direct {
    buf: Vec<u8>,
    json: bool,
    pretty: bool,
    /// Open containers, the root array included (1 in JSON).
    depth: usize,
    /// Bit `d`: the container at depth `d + 1` has an element.
    nonempty: u64,
    /// Bit `d`: the container at depth `d + 1` is an array.
    arrays: u64,
}

impl Direct {
    /// A writer for plain text, or for JSON (`pretty`: indented).
    pub fn new(json: bool, pretty: bool) -> Direct {
        Direct {
            buf: Vec::with_capacity(1 << 18),
            json,
            pretty,
            depth: usize::from(json),
            nonempty: 0,
            arrays: 1,
        }
    }

    /// Forgets the bytes rendered so far (they were written out).
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// Starts an element of the innermost container: separator,
    /// indentation and, in an object, the key.
    fn begin(&mut self, key: Option<&str>) {
        let bit = 1u64 << (self.depth - 1).min(MAX_NEST);
        let had = self.nonempty & bit != 0;
        if self.depth == 1 {
            self.buf.push(if had { b',' } else { b'[' });
        } else if had {
            self.buf.push(b',');
        }
        self.nonempty |= bit;
        if self.pretty {
            self.newline(self.depth);
        }
        if self.arrays & bit == 0 {
            self.buf.push(b'"');
            json_escape_into(&mut self.buf, key.unwrap_or_default());
            put(&mut self.buf, if self.pretty { b"\": " } else { b"\":" });
        }
    }

    fn newline(&mut self, indent: usize) {
        self.buf.push(b'\n');
        for _ in 0..indent {
            self.buf.extend_from_slice(b"  ");
        }
    }

    fn json_str(&mut self, key: Option<&str>, v: impl Val) {
        self.begin(key);
        self.buf.push(b'"');
        v.push(&mut self.buf, true);
        self.buf.push(b'"');
    }

    fn json_raw(&mut self, key: Option<&str>, v: &[u8]) {
        self.begin(key);
        put(&mut self.buf, v);
    }

    fn json_uint(&mut self, key: Option<&str>, v: u64) {
        self.begin(key);
        push_u64(&mut self.buf, v);
    }

    fn plain_fmt(&mut self, a: fmt::Arguments<'_>) {
        let _ = fmt::write(
            &mut BufWrite {
                buf: &mut self.buf,
                escape: false,
            },
            a,
        );
    }

    /// `fill(template, v)` straight into the buffer.
    fn fill(&mut self, template: &str, v: impl Val) {
        match template.find("{}") {
            Some(i) => {
                put(&mut self.buf, &template.as_bytes()[..i]);
                v.push(&mut self.buf, false);
                put(&mut self.buf, &template.as_bytes()[i + 2..]);
            }
            None => self.buf.extend_from_slice(template.as_bytes()),
        }
    }

    fn open(&mut self, key: Option<&str>, array: bool) {
        if !self.json {
            return;
        }
        self.begin(key);
        self.buf.push(if array { b'[' } else { b'{' });
        self.depth += 1;
        let bit = 1u64 << (self.depth - 1).min(MAX_NEST);
        self.nonempty &= !bit;
        if array {
            self.arrays |= bit;
        } else {
            self.arrays &= !bit;
        }
    }

    /// Appends one serialized JSON value as the next root element (a route
    /// the generic path rendered). `pretty` text is indented one level
    /// deeper, as it sits inside the root array.
    fn root_value(&mut self, v: &Json) -> std::io::Result<()> {
        debug_assert_eq!(self.depth, 1);
        self.begin(None);
        if self.pretty {
            let s = serde_json::to_string_pretty(v).map_err(std::io::Error::other)?;
            for (i, line) in s.split('\n').enumerate() {
                if i > 0 {
                    self.newline(1);
                }
                self.buf.extend_from_slice(line.as_bytes());
            }
            Ok(())
        } else {
            serde_json::to_writer(&mut self.buf, v).map_err(std::io::Error::other)
        }
    }

    /// Closes the root array (JSON) and ends the output with a newline.
    pub fn end(&mut self) {
        if !self.json {
            return;
        }
        while self.depth > 1 {
            Sink::close(self);
        }
        if self.nonempty & 1 == 0 {
            self.buf.extend_from_slice(b"[]");
        } else {
            if self.pretty {
                self.buf.push(b'\n');
            }
            self.buf.push(b']');
        }
        self.buf.push(b'\n');
        self.depth = 0;
    }
}

impl Sink for Direct {
    fn is_json(&self) -> bool {
        self.json
    }
    fn text(&mut self, s: &str) {
        if !self.json {
            self.buf.extend_from_slice(s.as_bytes());
        }
    }
    fn text_fmt(&mut self, a: fmt::Arguments<'_>) {
        if !self.json {
            self.plain_fmt(a);
        }
    }
    // `Direct` never renders `-o` output (the route listing takes the
    // generic path for it), so its line breaks are all plain.
    fn eol(&mut self) {
        self.text("\n");
    }
    fn put_str(&mut self, key: Option<&str>, v: impl Val) {
        if self.json {
            self.json_str(key, v);
        }
    }
    fn any_str(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: impl Val) {
        if self.json {
            self.json_str(key, v);
        } else {
            self.plain_fmt(text);
        }
    }
    fn any_uint(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: u64) {
        if self.json {
            self.json_uint(key, v);
        } else {
            self.plain_fmt(text);
        }
    }
    fn any_bool(&mut self, key: Option<&str>, text: fmt::Arguments<'_>, v: bool) {
        if self.json {
            self.json_raw(key, if v { b"true" } else { b"false" });
        } else {
            self.plain_fmt(text);
        }
    }
    fn string(&mut self, key: &str, template: &str, v: impl Val) {
        if self.json {
            self.json_str(Some(key), v);
        } else {
            self.fill(template, v);
        }
    }
    fn item(&mut self, template: &str, v: impl Val) {
        if self.json {
            self.json_str(None, v);
        } else {
            self.fill(template, v);
        }
    }
    fn uint(&mut self, key: &str, template: &str, v: u64) {
        if self.json {
            self.json_uint(Some(key), v);
        } else {
            self.fill(template, v);
        }
    }
    fn int(&mut self, key: &str, template: &str, v: i64) {
        if self.json {
            self.begin(Some(key));
            push_i64(&mut self.buf, v);
        } else {
            self.fill(template, v);
        }
    }
    fn flag(&mut self, key: &str, text: &str) {
        if self.json {
            self.json_raw(Some(key), b"true");
        } else {
            self.buf.extend_from_slice(text.as_bytes());
        }
    }
    fn null(&mut self, key: &str, text: &str) {
        if self.json {
            self.json_raw(Some(key), b"null");
        } else {
            self.buf.extend_from_slice(text.as_bytes());
        }
    }
    fn hex(&mut self, key: &str, template: &str, v: u64) {
        if self.json {
            self.json_str(Some(key), CHex(v));
        } else {
            self.fill(template, CHex(v));
        }
    }
    fn open_object(&mut self, key: Option<&str>) {
        self.open(key, false);
    }
    fn open_array(&mut self, key: Option<&str>) {
        self.open(key, true);
    }
    fn close(&mut self) {
        // As `Out::close`: the root array is closed only by `end`.
        if !self.json || self.depth < 2 {
            return;
        }
        let bit = 1u64 << (self.depth - 1).min(MAX_NEST);
        let array = self.arrays & bit != 0;
        if self.nonempty & bit != 0 && self.pretty {
            self.newline(self.depth - 1);
        }
        self.buf.push(if array { b']' } else { b'}' });
        self.depth -= 1;
    }
}

/// Bytes gathered before one write to the output.
const WRITE_CHUNK: usize = 1 << 18;

/// Writes a listing while it is rendered, one object at a time, so that
/// memory does not grow with the table (`rtnl -j route show table all` on a
/// full BGP table). Objects come either as an [`Out`] (the generic path) or
/// are rendered straight into [`Streamer::direct`]; both end up in one
/// buffer, written out in large writes. The output is byte for byte what
/// [`Out::finish`] would print for the whole listing, pretty JSON included.
pub struct Streamer<W: Write = Stdout> {
    d: Direct,
    w: W,
    /// The output was closed (`| head`): stop writing, not an error.
    closed: bool,
    /// `-o`: objects are rendered into [`Out::oneline`]s (never directly).
    oneline: bool,
}

/// Stdout for [`Streamer`]: a duplicate of descriptor 1 when there is one,
/// so that each large write goes straight to it (std's stdout is line
/// buffered, and looks for the last newline of every write).
pub enum Stdout {
    /// The duplicated descriptor.
    #[cfg(unix)]
    Fd(std::fs::File),
    /// std's stdout.
    Std(std::io::StdoutLock<'static>),
}

impl Stdout {
    fn open() -> Stdout {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let out = std::io::stdout();
            if let Ok(fd) = out.as_fd().try_clone_to_owned() {
                return Stdout::Fd(std::fs::File::from(fd));
            }
        }
        Stdout::Std(std::io::stdout().lock())
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            #[cfg(unix)]
            Stdout::Fd(f) => f.write(buf),
            Stdout::Std(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            #[cfg(unix)]
            Stdout::Fd(f) => f.flush(),
            Stdout::Std(s) => s.flush(),
        }
    }
}

impl Streamer {
    /// A streamer to stdout for the output `out` stands for (plain or JSON).
    pub fn new(out: Out, pretty: bool) -> Streamer {
        Streamer {
            oneline: out.is_oneline(),
            ..Streamer::with_writer(Stdout::open(), out.is_json(), pretty)
        }
    }
}

impl<W: Write> Streamer<W> {
    /// A streamer to `w`.
    pub fn with_writer(w: W, json: bool, pretty: bool) -> Streamer<W> {
        Streamer {
            d: Direct::new(json, pretty && json),
            w,
            closed: false,
            oneline: false,
        }
    }

    /// A fresh `Out` to render the next object into.
    pub fn out(&self) -> Out {
        if self.d.json {
            Out::json()
        } else if self.oneline {
            Out::oneline()
        } else {
            Out::plain()
        }
    }

    /// True when objects may be rendered into [`Streamer::direct`]: not
    /// with `-o`, whose line breaks only [`Out`] turns into `\`.
    pub fn direct_ok(&self) -> bool {
        !self.oneline
    }

    /// Writes what `o` holds (one or more rendered objects).
    pub fn push(&mut self, o: Out) -> std::io::Result<()> {
        if self.d.json {
            if let Json::Array(items) = o.into_json() {
                for v in &items {
                    self.d.root_value(v)?;
                }
            }
        } else {
            self.d.buf.extend_from_slice(o.text.as_bytes());
        }
        self.written()
    }

    /// Where to render the next object directly; call
    /// [`Streamer::written`] after each one.
    pub fn direct(&mut self) -> &mut Direct {
        &mut self.d
    }

    /// Writes the buffer out once it is large.
    pub fn written(&mut self) -> std::io::Result<()> {
        if self.d.buf.len() >= WRITE_CHUNK {
            self.write_out()?;
        }
        Ok(())
    }

    /// Ends the listing (closes the JSON array) and flushes. Gives the
    /// writer back.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.d.end();
        self.write_out()?;
        match self.w.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            r => r?,
        }
        Ok(self.w)
    }

    fn write_out(&mut self) -> std::io::Result<()> {
        if !self.closed {
            match self.w.write_all(&self.d.buf) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => self.closed = true,
                r => r?,
            }
        }
        self.d.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_calls_make_text_and_json() {
        fn render(o: &mut Out) {
            o.open_object(None);
            o.uint("mtu", "mtu {} ", 1500);
            o.open_array(Some("flags"));
            o.text("<");
            o.item("{}", "UP");
            o.text(">");
            o.close();
            o.hex("fwmark", "fwmark {}", 16);
            o.nl();
            o.close();
        }
        let mut t = Out::plain();
        render(&mut t);
        assert_eq!(t.finish(false), "mtu 1500 <UP>fwmark 0x10\n");
        let mut j = Out::json();
        render(&mut j);
        assert_eq!(
            j.finish(false),
            "[{\"mtu\":1500,\"flags\":[\"UP\"],\"fwmark\":\"0x10\"}]\n"
        );
    }

    #[test]
    fn c_hex_of_zero_has_no_prefix() {
        assert_eq!(c_hex(0), "0");
        assert_eq!(c_hex(0x8001), "0x8001");
        assert_eq!(fill("a {} b", 1), "a 1 b");
    }
}
