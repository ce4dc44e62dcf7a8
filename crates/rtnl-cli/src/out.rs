//! One output path for plain text and JSON, in the manner of iproute2's
//! `json_print.c`: every field is printed once, with its JSON key and its
//! plain-text form side by side, so the two outputs always agree on which
//! fields appear and in what order.
//!
//! Plain-text templates hold one `{}` where the value goes (`"mtu {} "`).

use std::fmt::Display;

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
    text: String,
    stack: Vec<Frame>,
}

impl Out {
    /// Plain text output.
    pub fn plain() -> Out {
        Out {
            json: false,
            text: String::new(),
            stack: Vec::new(),
        }
    }

    /// JSON output: a root array that `open_object(None)` adds entries to.
    pub fn json() -> Out {
        Out {
            json: true,
            text: String::new(),
            stack: vec![Frame::Array(None, Vec::new())],
        }
    }

    /// True when building JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Text for the plain output only.
    pub fn text(&mut self, s: &str) {
        if !self.json {
            self.text.push_str(s);
        }
    }

    /// A line break in plain output (`print_nl()`).
    pub fn nl(&mut self) {
        self.text("\n");
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
            self.text.push_str(text);
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

/// Writes a listing while it is rendered, one object at a time, so that
/// memory does not grow with the table (`rtnl -j route show table all` on a
/// full BGP table). Plain text goes out as is; compact JSON goes out as the
/// same root array [`Out::finish`] would print, byte for byte. Pretty JSON
/// is indented as one document, so it is collected and printed at the end.
pub struct Streamer {
    json: bool,
    pretty: bool,
    /// Objects written so far (JSON separators), or the pretty document.
    count: usize,
    collected: Out,
    w: std::io::BufWriter<std::io::StdoutLock<'static>>,
    /// Stdout was closed (`| head`): stop writing, not an error.
    closed: bool,
}

impl Streamer {
    /// A streamer for the output `out` stands for (plain or JSON).
    pub fn new(out: Out, pretty: bool) -> Streamer {
        Streamer {
            json: out.is_json(),
            pretty,
            count: 0,
            collected: out,
            w: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
            closed: false,
        }
    }

    /// A fresh `Out` to render the next object into.
    pub fn out(&self) -> Out {
        if self.json {
            Out::json()
        } else {
            Out::plain()
        }
    }

    /// Writes what `o` holds (one or more rendered objects).
    pub fn push(&mut self, o: Out) -> std::io::Result<()> {
        if self.json && self.pretty {
            if let Json::Array(items) = o.into_json() {
                for v in items {
                    self.collected.put(None, v);
                }
            }
            return Ok(());
        }
        let mut bytes = Vec::new();
        if self.json {
            if let Json::Array(items) = o.into_json() {
                for v in items {
                    bytes.push(if self.count == 0 { b'[' } else { b',' });
                    serde_json::to_writer(&mut bytes, &v).map_err(std::io::Error::other)?;
                    self.count += 1;
                }
            }
        } else {
            bytes = o.text.into_bytes();
        }
        self.write(&bytes)
    }

    /// Ends the listing (closes the JSON array) and flushes.
    pub fn finish(mut self) -> std::io::Result<()> {
        if self.json && self.pretty {
            let doc = std::mem::replace(&mut self.collected, Out::plain()).finish(true);
            return self.write(doc.as_bytes()).and_then(|_| self.flush());
        }
        if self.json {
            let end: &[u8] = if self.count == 0 { b"[]\n" } else { b"]\n" };
            self.write(end)?;
        }
        self.flush()
    }

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        if self.closed {
            return Ok(());
        }
        match self.w.write_all(bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            r => r,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        match self.w.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r,
        }
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
