//! `rtnl -batch FILE` (`-` for stdin), like `ip -batch`: one command per
//! line, `#` comments, quotes for words with spaces. Address, route,
//! neighbour and rule changes are pipelined (many requests per `send`,
//! answers matched afterwards); everything else runs in order between
//! them. The first failing line stops the batch, naming its line number
//! and the reason, unless `-force` is given. Because pipelined requests are
//! sent in windows, lines after a failing one in the same window have
//! already taken effect; the message says which.

use std::io::Read;

use rtnl::request::Request;

use crate::args::{self, Parsed};
use crate::ctx::{CliError, Ctx, Opts};
use crate::setter::{lib_err, Devs, PlanFn};
use crate::{addr_set, neigh_set, route_set, rule_set};

/// Commands that are one request each, pipelined in a batch.
const PLANNERS: &[(&str, &str, PlanFn)] = &[
    ("address", "add", addr_set::plan_add),
    ("address", "replace", addr_set::plan_replace),
    ("address", "delete", addr_set::plan_del),
    ("route", "add", route_set::plan_add),
    ("route", "delete", route_set::plan_del),
    ("route", "replace", route_set::plan_replace),
    ("route", "append", route_set::plan_append),
    ("route", "change", route_set::plan_change),
    ("neighbour", "add", neigh_set::plan_add),
    ("neighbour", "replace", neigh_set::plan_replace),
    ("neighbour", "delete", neigh_set::plan_del),
    ("rule", "add", rule_set::plan_add),
    ("rule", "delete", rule_set::plan_del),
];

/// Lines queued before they are sent.
const QUEUE: usize = 4096;

/// Splits a line into words like iproute2's `makeargs`: whitespace
/// separates, `"..."` and `'...'` quote, `#` outside quotes starts a comment.
pub fn split_line(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '#' if !in_word => break,
            '"' | '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some(x) => cur.push(x),
                        None => return Err("unterminated quoted string".into()),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

struct Runner {
    ctx: Ctx,
    devs: Devs,
    file: String,
    force: bool,
    /// Queued requests and their line numbers.
    queue: Vec<(usize, Request)>,
    failures: usize,
}

/// How a batch stops.
struct Stop;

impl Runner {
    fn report(&mut self, line: usize, msg: &str) {
        self.failures += 1;
        eprintln!("{msg}\nCommand failed {}:{line}", self.file);
    }

    /// Sends the queue; `Err(Stop)` when a line failed and `-force` is off.
    fn flush(&mut self) -> Result<(), Stop> {
        if self.queue.is_empty() {
            return Ok(());
        }
        let (lines, mut reqs): (Vec<usize>, Vec<Request>) = self.queue.drain(..).unzip();
        let ipr = match self.ctx.ipr() {
            Ok(i) => i,
            Err(e) => {
                self.report(lines[0], &e.msg);
                return Err(Stop);
            }
        };
        let outcome = match ipr.request_batch(&mut reqs, !self.force) {
            Ok(o) => o,
            Err(e) => {
                let e = lib_err(e);
                self.report(lines[0], &e.msg);
                return Err(Stop);
            }
        };
        let mut stop = None;
        for (i, r) in outcome.results.iter().enumerate() {
            if let Err(e) = r {
                if stop.is_none() {
                    let mut msg = lib_err_ref(e);
                    if !self.force {
                        let after: Vec<usize> = outcome.results[i + 1..]
                            .iter()
                            .zip(&lines[i + 1..])
                            .filter(|(r, _)| r.is_ok())
                            .map(|(_, l)| *l)
                            .collect();
                        if let (Some(first), Some(last)) = (after.first(), after.last()) {
                            msg += &format!(
                                "\nnote: {} later line(s) ({first}..{last}) had already been sent with it and were applied",
                                after.len()
                            );
                        }
                        stop = Some(i);
                    }
                    self.report(lines[i], &msg);
                } else {
                    // A later failure in the same window: say so too.
                    self.report(lines[i], &lib_err_ref(e));
                }
            }
        }
        match stop {
            Some(_) => Err(Stop),
            None => Ok(()),
        }
    }

    fn line(&mut self, no: usize, words: Vec<String>) -> Result<(), Stop> {
        let planned = (|| -> Result<Option<Request>, CliError> {
            let obj = args::find_object(&words[0])?;
            let (verb, rest) = args::find_verb(obj, &words[1..])?;
            let key = verb.names.first().copied().unwrap_or("");
            if let Some((_, _, plan)) = PLANNERS
                .iter()
                .find(|(o, v, _)| *o == obj.names[0] && *v == key)
            {
                return plan(&mut self.ctx, &mut self.devs, rest).map(Some);
            }
            // Anything else runs now, after what is queued.
            if self.flush().is_err() {
                return Err(CliError::failed(String::new()));
            }
            if obj.names[0] == "link" || obj.names[0] == "netns" {
                self.devs.clear();
            }
            let parsed: Parsed = args::parse_args(obj, verb, rest)?;
            (verb.run)(&mut self.ctx, &parsed)?;
            Ok(None)
        })();
        match planned {
            Ok(Some(req)) => {
                self.queue.push((no, req));
                if self.queue.len() >= QUEUE {
                    self.flush()?;
                }
                Ok(())
            }
            Ok(None) => Ok(()),
            // The queue failed first: already reported.
            Err(e) if e.msg.is_empty() && e.code == 1 => Err(Stop),
            Err(e) => {
                // Lines before this one go first.
                self.flush()?;
                self.report(no, &e.msg);
                if self.force {
                    Ok(())
                } else {
                    Err(Stop)
                }
            }
        }
    }
}

fn lib_err_ref(e: &rtnl::Error) -> String {
    match e {
        rtnl::Error::InvalidArgument { .. } => format!("Error: {e}"),
        other => other.to_string(),
    }
}

/// Runs the commands of `file` (`-` for stdin).
pub fn run(opts: Opts, file: &str) -> Result<(), CliError> {
    let mut text = String::new();
    let read = if file == "-" {
        std::io::stdin().read_to_string(&mut text)
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_string(&mut text))
    };
    read.map_err(|e| CliError::failed(format!("Cannot open file \"{file}\" for reading: {e}")))?;
    let force = opts.force;
    let mut r = Runner {
        ctx: Ctx::new(opts),
        devs: Devs::default(),
        file: file.to_string(),
        force,
        queue: Vec::new(),
        failures: 0,
    };
    let mut stopped = false;
    for (i, line) in text.lines().enumerate() {
        let no = i + 1;
        let words = match split_line(line) {
            Ok(w) => w,
            Err(why) => {
                r.report(no, &format!("Error: {why}"));
                if force {
                    continue;
                }
                stopped = true;
                break;
            }
        };
        if words.is_empty() {
            continue;
        }
        if r.line(no, words).is_err() {
            stopped = true;
            break;
        }
    }
    if !stopped {
        let _ = r.flush();
    }
    if r.failures > 0 {
        // Each failure was reported as it happened.
        return Err(CliError::failed(String::new()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::split_line;

    #[test]
    fn lines_split_like_makeargs() {
        assert_eq!(
            split_line("link set dev v0 alias \"a b\" # comment").unwrap(),
            vec!["link", "set", "dev", "v0", "alias", "a b"]
        );
        assert!(split_line("# only a comment").unwrap().is_empty());
        assert_eq!(split_line("  a  'b c'd ").unwrap(), vec!["a", "b cd"]);
        assert!(split_line("alias \"open").is_err());
    }
}
