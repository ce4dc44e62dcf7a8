//! `rtnl completion bash|zsh|fish`: shell completion scripts generated from
//! the same tables that parse the command line ([`crate::args`]), so every
//! object, verb and keyword the parser knows is completed, and nothing else.
//!
//! bash and zsh share one POSIX-shell function, `_rtnl_candidates`, that
//! reads the words typed so far (matching abbreviations the way the parser
//! does: the first table entry a prefix matches wins) and prints the
//! candidates for the next word; each shell only wraps it. fish gets
//! native `complete` lines with descriptions.

use crate::args::{Arg, Parsed, Verb, GLOBAL_OPTS, OBJECTS, WORDS};
use crate::ctx::{CliError, Ctx};

/// The shells a script can be generated for.
pub const SHELLS: &[&str] = &["bash", "zsh", "fish"];

/// What the value after a keyword can be completed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind {
    /// Link names (`/sys/class/net`).
    Device,
    /// Named network namespaces (`/run/netns`).
    Netns,
    /// File names.
    File,
    /// These words (the lowercase words of the metavar: `forever`, `all`).
    Choices(Vec<String>),
    /// Anything: nothing to offer.
    Free,
}

/// How a keyword's value is completed, from the keyword and its metavar.
pub fn value_kind(keyword: &str, metavar: &str) -> ValueKind {
    let words: Vec<&str> = metavar
        .split(|c: char| c == '|' || c == '{' || c == '}' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    if words.contains(&"FILE") {
        return ValueKind::File;
    }
    if words.iter().any(|w| *w == "NETNS" || *w == "NS") {
        return ValueKind::Netns;
    }
    if words.iter().any(|w| *w == "DEV" || *w == "DEVICE") || keyword == "dev" {
        return ValueKind::Device;
    }
    let choices: Vec<String> = words
        .iter()
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .map(|w| w.to_string())
        .collect();
    if choices.is_empty() {
        ValueKind::Free
    } else {
        ValueKind::Choices(choices)
    }
}

/// The literal keywords of an argument (`up|down` is two); none for a
/// placeholder (`ADDR`, `NAME`, `CMD [ARGS...]`).
pub fn keywords(a: &Arg) -> Vec<&'static str> {
    a.keyword
        .split('|')
        .filter(|k| !k.is_empty() && !k.contains(' ') && !k.chars().any(|c| c.is_ascii_uppercase()))
        .collect()
}

/// The argument a verb's bare words fill, if that is one of its keywords.
fn bare_arg(v: &Verb) -> Option<&'static Arg> {
    // A verb that reads its own words names the argument after `WORDS`.
    let bare = v.bare?;
    let bare = bare.strip_prefix(WORDS).unwrap_or(bare);
    v.args.iter().find(|a| a.keyword == bare)
}

/// Runs `rtnl completion SHELL`.
pub fn run(_ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let shell = p.get("shell").unwrap_or_default();
    let script = match shell {
        "bash" => bash(),
        "zsh" => zsh(),
        "fish" => fish(),
        _ => {
            return Err(CliError::usage(format!(
                "Error: \"{shell}\" is not a shell rtnl completes; try {}.",
                SHELLS.join(", ")
            )))
        }
    };
    crate::ctx::write_stdout(script.as_bytes())
}

/// Single-quotes `s` for sh.
fn sq(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn words(ws: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    ws.into_iter()
        .map(|w| sq(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The candidates of a value, as sh `printf` lines or a marker.
fn sh_value(kind: &ValueKind) -> String {
    match kind {
        ValueKind::Device => "_rtnl_list /sys/class/net".into(),
        ValueKind::Netns => "_rtnl_list /run/netns".into(),
        ValueKind::File => "echo @files".into(),
        ValueKind::Choices(c) => format!("printf '%s\\n' {}", words(c)),
        ValueKind::Free => ":".into(),
    }
}

/// `obj` is the canonical object name; the verb is its first name, or
/// empty for an object whose only verb is implicit.
fn verb_key(v: &Verb) -> &'static str {
    v.names.first().copied().unwrap_or("")
}

/// The POSIX-shell function shared by bash and zsh.
fn candidates_fn() -> String {
    let mut s = String::new();
    s += "# _rtnl_candidates WORD...: the words typed after `rtnl`, except the\n";
    s += "# one being completed; prints the candidates for that one, one a line\n";
    s += "# (`@files` asks for file names).\n";
    s += "_rtnl_list() { [ -d \"$1\" ] && ls -1 \"$1\" 2>/dev/null; return 0; }\n";
    s += "_rtnl_prefix() {\n";
    s += "    _rtnl_w=$1; shift\n";
    s += "    [ -n \"$_rtnl_w\" ] || return 1\n";
    s += "    for _rtnl_c in \"$@\"; do\n";
    s += "        case $_rtnl_c in \"$_rtnl_w\"*) printf '%s' \"$_rtnl_c\"; return 0;; esac\n";
    s += "    done\n";
    s += "    return 1\n";
    s += "}\n";
    s += "_rtnl_candidates() {\n";
    s += "    _rtnl_obj= _rtnl_verb= _rtnl_prev= _rtnl_named=0\n";
    // Global options.
    let opt_names: Vec<&str> = GLOBAL_OPTS.iter().map(|g| g.name).collect();
    s += "    while [ $# -gt 0 ]; do\n";
    s += "        case $1 in\n";
    s += "            --) shift; break;;\n";
    s += "            -|[!-]*) break;;\n";
    s += "        esac\n";
    s += "        _rtnl_o=$1; case $_rtnl_o in --*) _rtnl_o=${_rtnl_o#-};; esac\n";
    s += &format!(
        "        _rtnl_o=$(_rtnl_prefix \"$_rtnl_o\" {}) || _rtnl_o=\n",
        words(&opt_names)
    );
    s += "        _rtnl_prev=$1; shift\n";
    s += "        # An option's value, unless it is the word being completed.\n";
    s += "        case $_rtnl_o in\n";
    for g in GLOBAL_OPTS.iter().filter(|g| g.value.is_some()) {
        s += &format!(
            "            {}) if [ $# -gt 0 ]; then _rtnl_prev=; shift; fi;;\n",
            sq(g.name)
        );
    }
    s += "        esac\n";
    s += "    done\n";
    s += "    if [ $# -eq 0 ]; then\n";
    s += "        case $(_rtnl_prefix \"$_rtnl_prev\" ";
    s += &words(&opt_names);
    s += ") in\n";
    for g in GLOBAL_OPTS {
        if let Some(m) = g.value {
            s += &format!(
                "            {}) {}; return;;\n",
                sq(g.name),
                sh_value(&value_kind(&g.name[1..], m))
            );
        }
    }
    s += "        esac\n";
    let mut all_names = Vec::new();
    for o in OBJECTS {
        all_names.extend(o.names.iter().copied());
    }
    s += &format!(
        "        printf '%s\\n' {} {}\n",
        words(OBJECTS.iter().map(|o| o.names[0])),
        words(&opt_names)
    );
    s += "        return\n";
    s += "    fi\n";
    // The object.
    s += &format!(
        "    _rtnl_obj=$(_rtnl_prefix \"$1\" {}) || return 0\n",
        words(&all_names)
    );
    s += "    case $_rtnl_obj in\n";
    for o in OBJECTS.iter().filter(|o| o.names.len() > 1) {
        for alias in &o.names[1..] {
            s += &format!("        {}) _rtnl_obj={};;\n", sq(alias), sq(o.names[0]));
        }
    }
    s += "    esac\n";
    s += "    shift\n";
    // The verb.
    s += "    case $_rtnl_obj in\n";
    for o in OBJECTS {
        if o.verbs[0].names.is_empty() {
            continue;
        }
        let names: Vec<&str> = o
            .verbs
            .iter()
            .flat_map(|v| v.names.iter().copied())
            .collect();
        s += &format!("        {})\n", sq(o.names[0]));
        s += "            if [ $# -eq 0 ]; then\n";
        s += &format!("                printf '%s\\n' {} help\n", words(&names));
        // A bare word of the default verb (`rtnl link eth0`).
        if let Some(b) = bare_arg(&o.verbs[0]) {
            if let Some(m) = b.value {
                s += &format!("                {}\n", sh_value(&value_kind(b.keyword, m)));
            }
        }
        s += "                return\n";
        s += "            fi\n";
        s += &format!(
            "            _rtnl_verb=$(_rtnl_prefix \"$1\" {}) && shift || _rtnl_verb={}\n",
            words(&names),
            sq(verb_key(&o.verbs[0]))
        );
        s += "            case $_rtnl_verb in\n";
        for v in o.verbs {
            for alias in v.names.iter().skip(1) {
                s += &format!(
                    "                {}) _rtnl_verb={};;\n",
                    sq(alias),
                    sq(v.names[0])
                );
            }
        }
        s += "            esac;;\n";
    }
    s += "    esac\n";
    // The arguments: after a keyword that takes a value, its value.
    s += "    _rtnl_prev=\n";
    s += "    for _rtnl_a in \"$@\"; do _rtnl_prev=$_rtnl_a; done\n";
    s += "    case \"$_rtnl_obj:$_rtnl_verb:$_rtnl_prev\" in\n";
    for o in OBJECTS {
        for v in o.verbs {
            for a in v.args {
                let Some(m) = a.value else { continue };
                for k in keywords(a) {
                    s += &format!(
                        "        {}) {}; return;;\n",
                        sq(&format!("{}:{}:{k}", o.names[0], verb_key(v))),
                        sh_value(&value_kind(k, m))
                    );
                }
            }
        }
    }
    s += "    esac\n";
    s += "    case \"$_rtnl_obj:$_rtnl_verb\" in\n";
    for o in OBJECTS {
        for v in o.verbs {
            let kws: Vec<&str> = v.args.iter().flat_map(keywords).collect();
            s += &format!(
                "        {})\n",
                sq(&format!("{}:{}", o.names[0], verb_key(v)))
            );
            if !kws.is_empty() {
                s += &format!("            printf '%s\\n' {}\n", words(&kws));
            }
            if let Some(b) = bare_arg(v) {
                if let Some(m) = b.value {
                    s += &format!("            {}\n", sh_value(&value_kind(b.keyword, m)));
                }
            }
            s += "            ;;\n";
        }
    }
    s += "    esac\n";
    s += "}\n";
    s
}

/// The bash script: `source <(rtnl completion bash)`.
pub fn bash() -> String {
    let mut s = String::from(
        "# bash completion for rtnl, generated by `rtnl completion bash`.\n\
         # Install: rtnl completion bash > /etc/bash_completion.d/rtnl\n",
    );
    s += &candidates_fn();
    s += r#"_rtnl() {
    local cur=${COMP_WORDS[COMP_CWORD]} cands
    COMPREPLY=()
    cands=$(_rtnl_candidates "${COMP_WORDS[@]:1:COMP_CWORD-1}")
    case $'\n'$cands$'\n' in
        *$'\n'@files$'\n'*) COMPREPLY=($(compgen -f -- "$cur"));;
    esac
    cands=${cands//@files/}
    COMPREPLY+=($(compgen -W "$cands" -- "$cur"))
}
complete -F _rtnl rtnl
"#;
    s
}

/// The zsh script: put it in `$fpath` as `_rtnl`, or `source` it.
pub fn zsh() -> String {
    let mut s = String::from(
        "#compdef rtnl\n\
         # zsh completion for rtnl, generated by `rtnl completion zsh`.\n\
         # Install: rtnl completion zsh > \"${fpath[1]}/_rtnl\"\n",
    );
    s += &candidates_fn();
    s += r#"_rtnl() {
    local -a cands
    cands=(${(f)"$(_rtnl_candidates "${(@)words[2,CURRENT-1]}")"})
    if (( ${cands[(Ie)@files]} )); then
        _files
    fi
    compadd -- ${cands:#@files}
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _rtnl "$@"
else
    compdef _rtnl rtnl
fi
"#;
    s
}

/// fish's quoting.
fn fq(s: &str) -> String {
    format!("'{}'", s.replace('\\', r"\\").replace('\'', r"\'"))
}

fn fish_value(kind: &ValueKind) -> Option<String> {
    Some(match kind {
        ValueKind::Device => "-a '(__rtnl_list /sys/class/net)'".into(),
        ValueKind::Netns => "-a '(__rtnl_list /run/netns)'".into(),
        ValueKind::File => "-F".into(),
        ValueKind::Choices(c) => format!("-a {}", fq(&c.join(" "))),
        ValueKind::Free => return None,
    })
}

/// `__rtnl_object`: prints the canonical name of the object typed so far
/// and succeeds, or fails while none is; `__rtnl_in OBJ` tests for one. It reads the words as the parser
/// does: global options by their first prefix match, skipping the value of
/// those that take one, then the object by its first prefix match.
fn fish_object_fn() -> String {
    let opt_names: Vec<&str> = GLOBAL_OPTS.iter().map(|g| g.name).collect();
    let valued: Vec<&str> = GLOBAL_OPTS
        .iter()
        .filter(|g| g.value.is_some())
        .map(|g| g.name)
        .collect();
    let fq_all = |ws: &[&str]| ws.iter().map(|w| fq(w)).collect::<Vec<_>>().join(" ");
    let mut objects = Vec::new();
    let mut canonical = Vec::new();
    for o in OBJECTS {
        for n in o.names {
            objects.push(*n);
            canonical.push(o.names[0]);
        }
    }
    let mut s = String::from("function __rtnl_object\n");
    s += "    set -l t (commandline -opc)\n";
    s += "    set -e t[1]\n";
    s += &format!("    set -l opts {}\n", fq_all(&opt_names));
    s += &format!("    set -l valued {}\n", fq_all(&valued));
    s += &format!("    set -l objects {}\n", fq_all(&objects));
    s += &format!("    set -l canonical {}\n", fq_all(&canonical));
    s += "    while set -q t[1]\n";
    s += "        set -l w $t[1]\n";
    s += "        set -e t[1]\n";
    s += "        if test \"$w\" = --\n";
    s += "            set w $t[1]\n";
    s += "        else if string match -q -- '-?*' $w\n";
    s += "            set w (string replace -r -- '^--' - $w)\n";
    s += "            for o in $opts\n";
    s += "                if string match -q -- \"$w*\" $o\n";
    s += "                    contains -- $o $valued; and set -e t[1]\n";
    s += "                    break\n";
    s += "                end\n";
    s += "            end\n";
    s += "            continue\n";
    s += "        end\n";
    s += "        test -n \"$w\"; or return 1\n";
    s += "        for i in (seq (count $objects))\n";
    s += "            if string match -q -- \"$w*\" $objects[$i]\n";
    s += "                echo $canonical[$i]\n";
    s += "                return 0\n";
    s += "            end\n";
    s += "        end\n";
    s += "        return 1\n";
    s += "    end\n";
    s += "    return 1\n";
    s += "end\n";
    s += "function __rtnl_in\n";
    s += "    set -l o (__rtnl_object); and test \"$o\" = $argv[1]\n";
    s += "end\n";
    s
}

/// The fish script: `rtnl completion fish > ~/.config/fish/completions/rtnl.fish`.
pub fn fish() -> String {
    let mut s = String::from(
        "# fish completion for rtnl, generated by `rtnl completion fish`.\n\
         # Install: rtnl completion fish > ~/.config/fish/completions/rtnl.fish\n\
         function __rtnl_list\n    test -d $argv[1]; and ls -1 $argv[1] 2>/dev/null\nend\n\
         function __rtnl_prev\n    set -l t (commandline -opc)\n    test (count $t) -gt 1; and contains -- $t[-1] $argv\nend\n",
    );
    s += &fish_object_fn();
    s += "complete -c rtnl -f\n";
    // fish completes an option's value from the option's own line: a
    // separate line conditioned on the previous word is never asked.
    for g in GLOBAL_OPTS {
        let long = &g.name[1..];
        let value = match g.value.map(|m| value_kind(long, m)) {
            None => String::new(),
            Some(ValueKind::File) => " -r -F".into(),
            Some(kind) => match fish_value(&kind) {
                Some(v) => format!(" -x {v}"),
                None => " -x".into(),
            },
        };
        s += &format!(
            "complete -c rtnl -n 'not __rtnl_object' -o {} -l {} -d {}{value}\n",
            fq(long),
            fq(long),
            fq(g.help)
        );
    }
    for o in OBJECTS {
        s += &format!(
            "complete -c rtnl -n 'not __rtnl_object' -a {} -d {}\n",
            fq(o.names[0]),
            fq(o.help)
        );
        let in_obj = format!("__rtnl_in {}", o.names[0]);
        let verb_names: Vec<&str> = o
            .verbs
            .iter()
            .flat_map(|v| v.names.iter().copied())
            .collect();
        if !verb_names.is_empty() {
            for v in o.verbs {
                s += &format!(
                    "complete -c rtnl -n {} -a {} -d {}\n",
                    fq(&format!(
                        "{in_obj}; and not __fish_seen_subcommand_from {}",
                        verb_names.join(" ")
                    )),
                    fq(&v.names.join(" ")),
                    fq(v.help)
                );
            }
        }
        for (i, v) in o.verbs.iter().enumerate() {
            // The default verb's arguments also apply when no verb is typed.
            let cond = if v.names.is_empty() {
                in_obj.clone()
            } else if i == 0 {
                format!(
                    "{in_obj}; and begin; __fish_seen_subcommand_from {}; or not __fish_seen_subcommand_from {}; end",
                    v.names.join(" "),
                    verb_names.join(" ")
                )
            } else {
                format!(
                    "{in_obj}; and __fish_seen_subcommand_from {}",
                    v.names.join(" ")
                )
            };
            for a in v.args {
                for k in keywords(a) {
                    s += &format!(
                        "complete -c rtnl -n {} -a {} -d {}\n",
                        fq(&cond),
                        fq(k),
                        fq(a.help)
                    );
                    if let Some(val) = a.value.and_then(|m| fish_value(&value_kind(k, m))) {
                        s += &format!(
                            "complete -c rtnl -n {} {val}\n",
                            fq(&format!("{cond}; and __rtnl_prev {k}"))
                        );
                    }
                }
            }
            if let Some(b) = bare_arg(v) {
                if let Some(val) = b.value.and_then(|m| fish_value(&value_kind(b.keyword, m))) {
                    s += &format!("complete -c rtnl -n {} {val}\n", fq(&cond));
                }
            }
        }
    }
    s
}

/// Every object's canonical name and every verb name, for tests.
#[cfg(test)]
pub fn all_words() -> Vec<&'static str> {
    let mut w = Vec::new();
    for o in OBJECTS {
        w.extend(o.names.iter().copied());
        for v in o.verbs {
            w.extend(v.names.iter().copied());
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_kinds() {
        assert_eq!(value_kind("dev", "NAME"), ValueKind::Device);
        assert_eq!(value_kind("master", "DEV"), ValueKind::Device);
        assert_eq!(value_kind("-netns", "NETNS"), ValueKind::Netns);
        assert_eq!(value_kind("-batch", "FILE"), ValueKind::File);
        assert_eq!(
            value_kind("-family", "{ inet | inet6 | link }"),
            ValueKind::Choices(vec!["inet".into(), "inet6".into(), "link".into()])
        );
        assert_eq!(
            value_kind("table", "ID|NAME|all"),
            ValueKind::Choices(vec!["all".into()])
        );
        assert_eq!(value_kind("mtu", "MTU"), ValueKind::Free);
    }

    #[test]
    fn scripts_name_every_object_and_verb() {
        for (shell, script) in [("bash", bash()), ("zsh", zsh()), ("fish", fish())] {
            for w in all_words() {
                assert!(script.contains(w), "{shell} script lacks {w}");
            }
        }
    }
}
