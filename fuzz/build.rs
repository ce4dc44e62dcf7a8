//! The `cli_args` target compiles the `rtnl` binary's own modules (the CLI
//! is a binary-only crate and is not restructured for fuzzing): this reads
//! the `mod x;` lines of crates/rtnl-cli/src/main.rs and writes one
//! `#[path = ".../x.rs"] mod x;` per module, so a module added to the CLI is
//! picked up without editing the fuzz crate.
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let src = root.join("../crates/rtnl-cli/src");
    let main_rs = src.join("main.rs");
    println!("cargo:rerun-if-changed={}", main_rs.display());
    let text = std::fs::read_to_string(&main_rs).expect("read rtnl-cli main.rs");
    let mut out = String::new();
    for line in text.lines() {
        let l = line.trim();
        let Some(name) = l
            .strip_prefix("pub ")
            .unwrap_or(l)
            .strip_prefix("mod ")
            .and_then(|r| r.strip_suffix(';'))
        else {
            continue;
        };
        let file = if src.join(format!("{name}.rs")).exists() {
            src.join(format!("{name}.rs"))
        } else {
            src.join(name).join("mod.rs")
        };
        let file = file.canonicalize().expect("CLI module file");
        out += &format!("#[path = {:?}]\nmod {name};\n", file.display().to_string());
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("cli_mods.rs");
    std::fs::write(dest, out).unwrap();
}
