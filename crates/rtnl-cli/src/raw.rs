//! RTNL bytes in and out: `rtnl dump [--raw]` and `rtnl decode [-j] [FILE]`.

use std::io::{IsTerminal, Read};

use rtnl_wire::Message;
use serde_json::Value as Json;

use crate::args::Parsed;
use crate::ctx::{write_stdout, CliError, Ctx};

/// `rtnl dump --raw`: the bytes of a full dump; without `--raw`, the
/// messages decoded.
pub fn dump(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut bytes = Vec::new();
    ctx.ipr()?.dump_raw(&mut bytes)?;
    if p.flag("--raw") {
        if std::io::stdout().is_terminal() {
            return Err(CliError::failed(
                "Not sending a binary stream to a terminal: redirect stdout (rtnl dump --raw > FILE)",
            ));
        }
        return write_stdout(&bytes);
    }
    print_messages(&bytes, ctx.opts.json, ctx.opts.pretty)
}

/// `rtnl decode [-j] [FILE]`.
pub fn decode(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let (bytes, source) = match p.get("file") {
        Some(path) => (
            std::fs::read(path).map_err(|e| CliError::failed(format!("decode: {path}: {e}")))?,
            path.to_string(),
        ),
        None => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| CliError::failed(format!("decode: stdin: {e}")))?;
            (b, "stdin".to_string())
        }
    };
    if bytes.is_empty() {
        return Err(CliError::failed(format!(
            "decode: {source} is empty: expected RTNL (netlink) messages"
        )));
    }
    let Some(name) = p.get("--pfroute") else {
        return print_messages(&bytes, ctx.opts.json || p.flag("-j"), ctx.opts.pretty)
            .map_err(|e| CliError::failed(format!("decode: {source}: {}", e.msg)));
    };
    let (rtnl, malformed) = translate_pfroute(name, p.flag("--events"), &bytes, &source)?;
    // What translated is shown (or written) first, then the error, if any.
    if p.flag("--raw") {
        write_stdout(&rtnl)?;
    } else {
        print_messages(&rtnl, ctx.opts.json || p.flag("-j"), ctx.opts.pretty)?;
    }
    match malformed {
        Some(e) => Err(CliError::failed(format!("decode: {source}: {e}"))),
        None => Ok(()),
    }
}

/// Translates BSD routing-socket bytes into the RTNL bytes a Linux kernel
/// would have sent. Messages with no RTNL counterpart are counted on stderr;
/// bytes that are not routing-socket messages give the RTNL bytes of the
/// messages before them and the error.
fn translate_pfroute(
    name: &str,
    events: bool,
    bytes: &[u8],
    source: &str,
) -> Result<(Vec<u8>, Option<String>), CliError> {
    use rtnl_pfroute::{Flavor, Ignored, Origin, Outcome, Translator};
    let flavor = Flavor::from_name(name).ok_or_else(|| {
        CliError::failed(format!(
            "decode: --pfroute {name:?}: unknown flavour; expected one of freebsd, openbsd, netbsd, darwin"
        ))
    })?;
    let origin = if events { Origin::Event } else { Origin::Dump };
    let mut out = rtnl_wire::netlink::MessageWriter::new();
    let mut ignored = 0usize;
    let mut malformed = None;
    for outcome in Translator::new(flavor).translate_buffer(bytes, origin) {
        match outcome {
            Outcome::Message(m) | Outcome::Overrun(m) => m.emit(&mut out),
            Outcome::Ignored(Ignored::Malformed(e)) => {
                malformed.get_or_insert(e);
            }
            Outcome::Ignored(_) => ignored += 1,
        }
    }
    if ignored > 0 {
        eprintln!(
            "decode: {source}: {ignored} {} routing-socket message(s) have no RTNL counterpart",
            flavor.name()
        );
    }
    let malformed =
        malformed.map(|e| format!("not {} routing-socket messages: {e}", flavor.name()));
    Ok((out.into_vec(), malformed))
}

/// Prints every message of `bytes`; the messages before a malformed one
/// are printed, then the error says what is wrong and where.
fn print_messages(bytes: &[u8], json: bool, pretty: bool) -> Result<(), CliError> {
    let mut good = Vec::new();
    let mut failure = None;
    for m in Message::parse_all(bytes) {
        match m {
            Ok(m) => good.push(m),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let text = if json {
        let doc = Json::Array(good.iter().map(Message::to_json).collect());
        let mut s = if pretty {
            serde_json::to_string_pretty(&doc)
        } else {
            serde_json::to_string(&doc)
        }
        .unwrap_or_default();
        s.push('\n');
        s
    } else {
        good.iter()
            .map(|m| {
                if pretty {
                    format!("{m:#?}\n")
                } else {
                    format!("{m:?}\n")
                }
            })
            .collect()
    };
    write_stdout(text.as_bytes())?;
    match failure {
        None => Ok(()),
        Some(e) => Err(CliError::failed(format!(
            "not RTNL: {e} (after {} well-formed message{})",
            good.len(),
            if good.len() == 1 { "" } else { "s" }
        ))),
    }
}
