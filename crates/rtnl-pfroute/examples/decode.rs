//! Decodes a BSD routing-socket capture (a sysctl dump or bytes read from a
//! PF_ROUTE socket) and prints each message, then the RTNL message Linux
//! would have sent for it. Works on any OS.
//!
//! Run: `cargo run -p rtnl-pfroute --example decode`
//! (`-- [--flavor freebsd|openbsd|netbsd|darwin] [--events] [FILE]`;
//! by default `tests/data/freebsd-dump.bin`, a FreeBSD dump).

use rtnl_pfroute::{Flavor, Messages, Origin, Outcome, Translator};

fn main() {
    let mut flavor = Flavor::FreeBsd;
    let mut origin = Origin::Dump;
    let mut file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/freebsd-dump.bin").to_string();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--flavor" => {
                let name = args.next().unwrap_or_default();
                flavor = Flavor::from_name(&name).unwrap_or_else(|| {
                    eprintln!("unknown flavor {name:?}: freebsd, openbsd, netbsd or darwin");
                    std::process::exit(2)
                });
            }
            "--events" => origin = Origin::Event,
            _ if !a.starts_with('-') => file = a,
            _ => {
                eprintln!("usage: decode [--flavor FLAVOR] [--events] [FILE]");
                std::process::exit(2);
            }
        }
    }
    let bytes = std::fs::read(&file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(1)
    });
    let mut translator = Translator::new(flavor);
    let (mut n, mut rtnl) = (0, 0);
    for view in Messages::new(flavor, &bytes) {
        let msg = match view.and_then(|v| v.parse()) {
            Ok(m) => m,
            Err(e) => {
                println!("error: {e}");
                break;
            }
        };
        n += 1;
        println!("{msg:?}");
        match translator.translate(&msg, origin) {
            Outcome::Message(m) | Outcome::Overrun(m) => {
                rtnl += 1;
                println!("  -> {m:?}");
            }
            other => println!("  -> {other:?}"),
        }
    }
    println!(
        "{n} routing-socket messages, {rtnl} RTNL messages ({} bytes)",
        bytes.len()
    );
}
