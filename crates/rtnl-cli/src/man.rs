//! `rtnl man`: the manual page, in roff (`rtnl man | man -l -`), generated
//! from the tables that parse the command line ([`crate::args`]), like the
//! help text and the completion scripts.

use crate::args::{Parsed, GLOBAL_OPTS, OBJECTS};
use crate::ctx::{CliError, Ctx};

/// Runs `rtnl man`.
pub fn run(_ctx: &mut Ctx, _p: &Parsed) -> Result<(), CliError> {
    crate::ctx::write_stdout(page().as_bytes())
}

/// Escapes text for roff: backslashes, hyphens (so that they are not
/// turned into typographic dashes) and a control character at the start
/// of a line.
pub fn esc(s: &str) -> String {
    let s = s.replace('\\', r"\e").replace('-', r"\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!(r"\&{s}")
    } else {
        s
    }
}

/// A verb's synopsis: `rtnl link { show | list } [ dev NAME ] [ up ]`.
fn synopsis(obj: &str, names: &[&str], args: &[crate::args::Arg]) -> String {
    let mut s = format!(r"\fBrtnl {obj}\fR");
    match names {
        [] => {}
        [one] => s += &format!(r" \fB{one}\fR"),
        many => s += &format!(r" {{ \fB{}\fR }}", many.join(r"\fR | \fB")),
    }
    for a in args {
        let kw = if a.keyword.chars().any(|c| c.is_ascii_lowercase()) || a.keyword.starts_with('-')
        {
            format!(r"\fB{}\fR", esc(a.keyword))
        } else {
            format!(r"\fI{}\fR", esc(a.keyword))
        };
        match a.value {
            Some(m) => s += &format!(r" [ {kw} \fI{}\fR ]", esc(m)),
            None => s += &format!(" [ {kw} ]"),
        }
    }
    s
}

/// The whole page.
pub fn page() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let mut s = String::new();
    s += &format!(".TH RTNL 8 \"\" \"rtnl {version}\" \"System Manager's Manual\"\n");
    s += ".SH NAME\n";
    s += r"rtnl \- show and change links, addresses, routes, neighbours and rules, like ip(8), on every OS";
    s += "\n.SH SYNOPSIS\n";
    s += r".B rtnl
.RI [ \ OPTIONS\ ] \ OBJECT \ { \ COMMAND \ | \ help \ }
.br
.B rtnl
.RI [ \ OPTIONS\ ] \ \-batch \ FILE
";
    s += ".SH DESCRIPTION\n";
    s += "rtnl speaks RTNL (Linux rtnetlink) on every platform: the Linux kernel answers \
directly; on the BSDs, macOS and Windows an emulator answers as Linux would. \
Output follows ip(8), and with \\fB\\-json\\fR its JSON shapes.\n";
    s += ".PP\nOptions, objects and commands may be abbreviated to any prefix; the first \
match in the order listed here wins (\\fBl\\fR is \\fBlink\\fR, \\fBr\\fR is \\fBroute\\fR, \
\\fBru\\fR is \\fBrule\\fR). With no command, \\fBshow\\fR is run. \
\\fBrtnl\\fR \\fIOBJECT\\fR \\fBhelp\\fR prints an object's commands.\n";
    s += ".SH OPTIONS\n";
    for g in GLOBAL_OPTS {
        s += ".TP\n";
        match g.value {
            Some(v) => s += &format!(".BI {} \" {}\"\n", esc(g.name), esc(v)),
            None => s += &format!(".B {}\n", esc(g.name)),
        }
        s += &esc(g.help);
        s += "\n";
    }
    s += ".SH OBJECTS\n";
    for o in OBJECTS {
        s += &format!(".SS {}\n", o.names.join(" | "));
        s += &esc(o.help);
        s += "\n";
        for v in o.verbs {
            s += ".TP\n";
            s += &synopsis(o.names[0], v.names, v.args);
            s += "\n";
            s += &esc(v.help);
            s += "\n";
            let described: Vec<_> = v.args.iter().filter(|a| !a.help.is_empty()).collect();
            if !described.is_empty() {
                s += ".RS\n";
                for a in described {
                    s += &format!(".TP\n.B {}\n{}\n", esc(a.keyword), esc(a.help));
                }
                s += ".RE\n";
            }
        }
    }
    s += ".SH EXAMPLES\n";
    for (cmd, what) in [
        (
            "rtnl \\-j \\-p addr",
            "every address, as ip \\-j \\-p addr prints them",
        ),
        ("rtnl route show table all", "every route of every table"),
        (
            "rtnl \\-n test link add v0 type veth peer name v1",
            "a veth pair in namespace test",
        ),
        ("rtnl monitor all", "print changes as they happen"),
        (
            "rtnl completion bash > /etc/bash_completion.d/rtnl",
            "install bash completion",
        ),
    ] {
        s += &format!(".TP\n.B {cmd}\n{what}\n");
    }
    s += ".SH EXIT STATUS\n0 on success, 1 when a request failed, 255 for a usage error, as ip(8).\n";
    s += ".SH SEE ALSO\n.BR ip (8),\n.BR ip\\-netns (8),\n.BR rtnetlink (7)\n";
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(esc("-json"), r"\-json");
        assert_eq!(esc(".x"), r"\&.x");
        assert_eq!(esc(r"a\b"), r"a\eb");
    }
}
