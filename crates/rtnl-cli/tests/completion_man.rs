//! `rtnl --help`, `rtnl OBJECT help`, `rtnl completion SHELL` and `rtnl man`
//! all come from the same tables: every object and verb the help lists is
//! in each completion script and in the man page. No root needed.

use std::process::{Command, Output};

fn rtnl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rtnl"))
        .args(args)
        .output()
        .expect("run rtnl")
}

fn stdout(args: &[&str]) -> String {
    let out = rtnl(args);
    assert!(out.status.success(), "rtnl {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// `(object, verbs)` from the COMMANDS section of `rtnl --help`.
fn commands() -> Vec<(String, Vec<String>)> {
    let help = stdout(&["--help"]);
    let section = help
        .split("COMMANDS")
        .nth(1)
        .expect("--help has a COMMANDS section");
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("    rtnl ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let obj = words[1].to_string();
        let verbs: Vec<String> = match words.get(2) {
            Some(&"{") => words[3..]
                .iter()
                .take_while(|w| **w != "}")
                .filter(|w| **w != "|")
                .map(|w| w.to_string())
                .collect(),
            Some(w) if !w.starts_with('[') => vec![w.to_string()],
            _ => vec![],
        };
        match out.iter_mut().find(|(o, _)| *o == obj) {
            Some((_, v)) => v.extend(verbs),
            None => out.push((obj, verbs)),
        }
    }
    out
}

#[test]
fn help_lists_objects_commands_and_arguments() {
    let cmds = commands();
    for obj in [
        "link",
        "address",
        "route",
        "rule",
        "neighbour",
        "netns",
        "monitor",
        "completion",
        "man",
    ] {
        assert!(cmds.iter().any(|(o, _)| o == obj), "--help lacks {obj}");
    }
    let route = &cmds.iter().find(|(o, _)| o == "route").unwrap().1;
    for v in ["show", "add", "delete", "get", "flush"] {
        assert!(route.contains(&v.to_string()), "--help lacks route {v}");
    }
    // `rtnl OBJECT help` is the object's part, with each argument explained.
    let h = stdout(&["route", "help"]);
    assert!(
        h.contains("Usage: rtnl route add [ TYPE ] [ PREFIX ] [ via ADDR ]"),
        "{h}"
    );
    assert!(h.contains("    via "), "{h}");
}

#[test]
fn unknown_words_suggest_the_nearest() {
    let out = rtnl(&["lnik"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("Did you mean \"link\"?"), "{err}");
    let out = rtnl(&["route", "flsuh"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Did you mean \"flush\"?"), "{err}");
    let out = rtnl(&["completion", "tcsh"]);
    assert_eq!(out.status.code(), Some(255));
}

#[test]
fn completion_scripts_hold_every_object_and_verb() {
    let cmds = commands();
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&["completion", shell]);
        for (obj, verbs) in &cmds {
            assert!(
                script.contains(&format!("'{obj}'")),
                "{shell}: no object {obj}"
            );
            for v in verbs {
                assert!(script.contains(v.as_str()), "{shell}: no verb {obj} {v}");
            }
        }
        for opt in ["json", "netns", "family"] {
            let (sh, fish) = (format!("'-{opt}'"), format!("-o '{opt}'"));
            assert!(
                script.contains(&sh) || script.contains(&fish),
                "{shell}: no option {opt}"
            );
        }
    }
}

#[test]
fn bash_completion_parses_and_completes() {
    let script = stdout(&["completion", "bash"]);
    let path = std::env::temp_dir().join(format!("rtnl-completion-{}.bash", std::process::id()));
    std::fs::write(&path, &script).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output();
    let Ok(check) = check else {
        let _ = std::fs::remove_file(&path);
        eprintln!("skipped: no bash");
        return;
    };
    assert!(check.status.success(), "bash -n: {check:?}");
    // Complete `rtnl ro fl` and `rtnl -fam` the way bash would.
    let run = Command::new("bash")
        .arg("-c")
        .arg(format!(
            ". {}; COMP_WORDS=(rtnl ro fl); COMP_CWORD=2; _rtnl; echo \"${{COMPREPLY[*]}}\"; \
             COMP_WORDS=(rtnl -fam ''); COMP_CWORD=2; _rtnl; echo \"${{COMPREPLY[*]}}\"; \
             COMP_WORDS=(rtnl link set dev lo ''); COMP_CWORD=5; _rtnl; echo \"${{COMPREPLY[*]}}\"",
            path.display()
        ))
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let out = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.first(), Some(&"flush"), "{out}");
    assert_eq!(lines.get(1), Some(&"inet inet6 link"), "{out}");
    assert!(
        lines
            .get(2)
            .is_some_and(|l| l.contains("mtu") && l.contains("master")),
        "{out}"
    );
}

/// Writes `rtnl completion SHELL` to a temporary directory (removed on
/// drop), which also serves as the shell's HOME.
struct Script {
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl Script {
    fn new(shell: &str) -> Script {
        let dir =
            std::env::temp_dir().join(format!("rtnl-completion-{shell}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("rtnl.{shell}"));
        std::fs::write(&path, stdout(&["completion", shell])).unwrap();
        Script { dir, path }
    }

    /// Runs `shell ARGS... -c CODE` with HOME and the XDG directories in
    /// the temporary directory; `None` when the shell is not installed.
    fn run(&self, shell: &str, args: &[&str], code: &str) -> Option<Output> {
        Command::new(shell)
            .args(args)
            .arg("-c")
            .arg(code)
            .current_dir(&self.dir)
            .env("HOME", &self.dir)
            .env("XDG_CONFIG_HOME", &self.dir)
            .env("XDG_DATA_HOME", &self.dir)
            .output()
            .ok()
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The output's lines, with fish's "\tdescription" cut off.
fn candidates(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

/// Checks that the candidates `out` printed include every word of `want`
/// and none of `not`.
fn offers(what: &str, out: &Output, want: &[&str], not: &[&str]) {
    let got = candidates(out);
    for w in want {
        assert!(got.iter().any(|g| g == w), "{what}: no {w} in {got:?}");
    }
    for w in not {
        assert!(!got.iter().any(|g| g == w), "{what}: {w} in {got:?}");
    }
}

/// The zsh script: syntax, registration with compinit, and the shared
/// candidate function under zsh's word-splitting rules. (scripts/test-all.sh
/// installs zsh; without it the test says so and passes.)
#[test]
fn zsh_completion_parses_and_completes() {
    let script = Script::new("zsh");
    let path = script.path.display();
    let Some(check) = script.run("zsh", &["-f", "-n"], &format!(". {path}")) else {
        eprintln!("skipped: no zsh (apt-get install zsh)");
        return;
    };
    assert!(check.status.success(), "zsh -n: {check:?}");
    let setup = format!("autoload -Uz compinit; compinit -u -D; . {path}");
    let cases: &[(&str, &[&str], &[&str])] = &[
        // (words typed before the one completed, must offer, must not offer)
        ("", &["link", "route", "-family"], &["flush"]),
        ("ro", &["show", "flush"], &["link"]),
        ("-fam", &["inet", "inet6", "link"], &["route"]),
        ("-family inet ro", &["show", "flush"], &[]),
        ("link set dev lo", &["mtu", "master"], &[]),
    ];
    for (typed, want, not) in cases {
        let out = script
            .run(
                "zsh",
                &["-f"],
                &format!("{setup}; _rtnl_candidates {typed}"),
            )
            .unwrap();
        assert!(out.status.success(), "{typed:?}: {out:?}");
        offers(&format!("zsh {typed:?}"), &out, want, not);
    }
    // compinit took the script's `compdef`.
    let out = script
        .run(
            "zsh",
            &["-f"],
            &format!("{setup}; print -r -- $_comps[rtnl]"),
        )
        .unwrap();
    assert_eq!(candidates(&out), ["_rtnl"], "{out:?}");
}

/// The fish script: syntax, then `complete -C` (fish's own completion of a
/// command line) for objects, verbs, option values and devices.
/// (scripts/test-all.sh installs fish; without it the test says so and
/// passes.)
#[test]
fn fish_completion_parses_and_completes() {
    let script = Script::new("fish");
    let path = script.path.display();
    let Some(check) = script.run("fish", &["--no-execute"], &format!("source {path}")) else {
        eprintln!("skipped: no fish (apt-get install fish)");
        return;
    };
    assert!(check.status.success(), "fish -n: {check:?}");
    std::fs::write(script.dir.join("capture.bin"), b"").unwrap();
    let cases: &[(&str, &[&str], &[&str])] = &[
        // (command line, must offer, must not offer)
        ("rtnl ", &["link", "route", "address"], &["flush"]),
        ("rtnl -", &["-family", "-netns", "-json"], &[]),
        ("rtnl ro", &["route"], &["link"]),
        ("rtnl route fl", &["flush"], &[]),
        ("rtnl -family ", &["inet", "inet6", "link"], &["route"]),
        // An option's value is not taken for the object.
        ("rtnl -family inet ", &["link", "route"], &["inet6"]),
        ("rtnl -fam inet ro", &["route"], &[]),
        ("rtnl -j -n x route fl", &["flush"], &[]),
        ("rtnl link set dev ", &["lo"], &[]),
        ("rtnl -batch ", &["capture.bin"], &[]),
    ];
    for (line, want, not) in cases {
        let out = script
            .run("fish", &[], &format!("source {path}; complete -C '{line}'"))
            .unwrap();
        assert!(out.status.success(), "{line:?}: {out:?}");
        assert!(
            out.stderr.is_empty(),
            "{line:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        offers(&format!("fish {line:?}"), &out, want, not);
    }
}

#[test]
fn man_page_is_well_formed_roff() {
    let page = stdout(&["man"]);
    assert!(page.starts_with(".TH RTNL 8 "), "{}", &page[..40]);
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH OBJECTS",
        ".SH SEE ALSO",
    ] {
        assert!(page.lines().any(|l| l == section), "no {section}");
    }
    // Every line that starts with a dot is a macro the page uses on purpose.
    for l in page.lines().filter(|l| l.starts_with('.')) {
        let mac = l.split_whitespace().next().unwrap();
        assert!(
            [".TH", ".SH", ".SS", ".TP", ".B", ".BI", ".BR", ".RI", ".PP", ".RS", ".RE", ".br"]
                .contains(&mac),
            "unexpected roff request {l:?}"
        );
    }
    // Hyphens are escaped, so options render as typed.
    assert!(page.contains(r"\-json"));
    assert!(!page.contains(" -json"));
    for (obj, verbs) in commands() {
        assert!(
            page.contains(&format!(r"\fBrtnl {obj}\fR")),
            "man: no {obj}"
        );
        for v in verbs {
            assert!(page.contains(&format!(r"\fB{v}\fR")), "man: no {obj} {v}");
        }
    }
    // Render it when groff is there (package groff-base); the structure
    // above is the test that always runs.
    let groff = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut groff) = groff else {
        eprintln!("skipped rendering: groff is not installed (apt-get install groff-base)");
        return;
    };
    use std::io::Write;
    groff
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = groff.wait_with_output().unwrap();
    assert!(out.status.success(), "groff: {out:?}");
    assert!(
        out.stderr.is_empty(),
        "groff warnings: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
