//! The CLI's command-line and batch-file parsers. The `rtnl` binary is not
//! a library, so its modules are compiled here from their own files (see
//! build.rs); only the pure parsing functions are called (no verb runs, so
//! nothing opens a socket or touches a file).
//!
//! The input is text: the first line is a command line (words split on
//! whitespace), the rest a batch file.
#![no_main]
#![allow(dead_code, unused_imports, unused_macros)]

include!(concat!(env!("OUT_DIR"), "/cli_mods.rs"));

use libfuzzer_sys::fuzz_target;

fn command(words: &[String]) {
    let Some(first) = words.first() else { return };
    let Ok(obj) = args::find_object(first) else {
        return;
    };
    let _ = args::object_usage(obj);
    let Ok((verb, rest)) = args::find_verb(obj, &words[1..]) else {
        return;
    };
    let _ = args::parse_args(obj, verb, rest);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let argv: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if let Ok((_opts, rest)) = args::parse_opts(&argv) {
        command(rest);
    }
    for line in lines {
        if let Ok(words) = batch::split_line(line) {
            command(&words);
        }
    }
});
