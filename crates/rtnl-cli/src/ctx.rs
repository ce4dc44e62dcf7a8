//! What every command runs with: the global options, the RTNL socket
//! (opened on first use, in the namespace `-n` names), output, and errors
//! with `ip`'s exit codes.

use std::io::Write;

use rtnl::IpRoute;

use crate::names::LinkCache;
use crate::out::Out;

/// Options given before the object (`-j -p -d -4 -6 -n NETNS`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opts {
    /// `-j`: JSON output.
    pub json: bool,
    /// `-p`: indented JSON.
    pub pretty: bool,
    /// `-d`: details.
    pub details: bool,
    /// `-s`, given N times: link statistics (2: the error counters too).
    pub stats: u8,
    /// `-h`: counters in `-s` tables with unit prefixes (`2.58M`).
    pub human: bool,
    /// `-iec`: with `-h`, powers of 1024 (`2.46Mi`).
    pub iec: bool,
    /// `-o`: one line per object (inner line breaks print as `\`).
    pub oneline: bool,
    /// `-br`: the brief, tabular listing of links and addresses.
    pub brief: bool,
    /// `-4` / `-6` / `-f FAMILY`: AF_INET, AF_INET6 ... or 0.
    pub family: u8,
    /// `-n NETNS`: a namespace under /run/netns.
    pub netns: Option<String>,
    /// `-V`: print the version instead of running a command.
    pub version: bool,
    /// `-help`: print the usage instead of running a command.
    pub help: bool,
    /// `-batch FILE`: run the commands of FILE (`-` for stdin).
    pub batch: Option<String>,
    /// `-force`: in a batch, go on after a failing line.
    pub force: bool,
}

/// A failure, with the message to print and the exit code (`ip`'s codes:
/// 1 for an unknown object or device, 2 when a dump fails, 255 for a bad
/// command line or namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// What to print on stderr.
    pub msg: String,
    /// The process exit code.
    pub code: i32,
}

impl CliError {
    /// A bad command line (exit 255, as `ip`'s `exit(-1)`).
    pub fn usage(msg: impl Into<String>) -> CliError {
        CliError {
            msg: msg.into(),
            code: 255,
        }
    }

    /// A request that could not be done (exit 1).
    pub fn failed(msg: impl Into<String>) -> CliError {
        CliError {
            msg: msg.into(),
            code: 1,
        }
    }

    /// `Device "x" does not exist.`
    pub fn no_device(name: &str) -> CliError {
        CliError::failed(format!("Device \"{name}\" does not exist."))
    }
}

impl From<rtnl::Error> for CliError {
    fn from(e: rtnl::Error) -> CliError {
        CliError {
            msg: e.to_string(),
            code: 2,
        }
    }
}

/// The state one command runs with.
pub struct Ctx {
    /// Global options.
    pub opts: Opts,
    ipr: Option<IpRoute>,
}

impl Ctx {
    /// A context; nothing is opened yet.
    pub fn new(opts: Opts) -> Ctx {
        Ctx { opts, ipr: None }
    }

    /// The RTNL socket, opened on first use (in `-n`'s namespace).
    pub fn ipr(&mut self) -> Result<&mut IpRoute, CliError> {
        if self.ipr.is_none() {
            self.ipr = Some(open(self.opts.netns.as_deref())?);
        }
        Ok(self.ipr.as_mut().expect("opened above"))
    }

    /// Every link, and the index → name cache built from them.
    pub fn links(&mut self) -> Result<(Vec<rtnl_wire::Message>, LinkCache), CliError> {
        let links = self.ipr()?.get_links(&rtnl::LinkFilter::default())?;
        let cache = LinkCache::from_links(&links);
        Ok((links, cache))
    }

    /// The index → name cache alone, read straight from a streamed dump
    /// (no owned messages): what listings that only name devices need.
    pub fn link_cache(&mut self) -> Result<LinkCache, CliError> {
        let mut cache = LinkCache::default();
        let filter = rtnl::LinkFilter::default();
        let mut dump = self.ipr()?.stream(&filter)?;
        while let Some(v) = dump.next_view::<rtnl_wire::family::link::IfInfoMsg>() {
            match v {
                Ok(v) => cache.add_view(&v),
                // Changed while read: the collected dump retries.
                Err(rtnl::Error::DumpInterrupted { .. }) => {
                    drop(dump);
                    return self.links().map(|(_, cache)| cache);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(cache)
    }

    /// The index of the link named `dev` (or one of its alternative
    /// names), or `Device "dev" does not exist.`
    pub fn device_index(&mut self, cache: &LinkCache, dev: &str) -> Result<u32, CliError> {
        if let Some(i) = cache.index_of(dev) {
            return Ok(i);
        }
        match self.ipr()?.link_lookup(dev) {
            Ok(Some(i)) => Ok(i),
            _ => Err(CliError::no_device(dev)),
        }
    }

    /// A fresh output in the format the options ask for.
    pub fn out(&self) -> Out {
        if self.opts.json {
            Out::json()
        } else if self.opts.oneline {
            Out::oneline()
        } else {
            Out::plain()
        }
    }

    /// Writes a finished output to stdout.
    pub fn emit(&self, out: Out) -> Result<(), CliError> {
        write_stdout(out.finish(self.opts.pretty).as_bytes())
    }
}

#[cfg(target_os = "linux")]
fn open(netns: Option<&str>) -> Result<IpRoute, CliError> {
    match netns {
        None => Ok(IpRoute::new()?),
        Some(name) => IpRoute::in_netns(&rtnl::NetnsRef::Name(name.to_string())).map_err(|e| {
            CliError::usage(format!(
                "Cannot open network namespace \"{name}\": {}",
                io_cause(&e)
            ))
        }),
    }
}

#[cfg(not(target_os = "linux"))]
fn open(netns: Option<&str>) -> Result<IpRoute, CliError> {
    match netns {
        None => Ok(IpRoute::new()?),
        Some(_) => Err(CliError::usage(format!(
            "network namespaces (-n) are not supported on {}",
            IpRoute::platform()
        ))),
    }
}

/// The innermost cause of an error, for messages that name their own context.
#[cfg(target_os = "linux")]
fn io_cause(e: &rtnl::Error) -> String {
    match e {
        rtnl::Error::Io { source, .. } => {
            let s = source.to_string();
            // "path: No such file or directory" -> keep the OS text.
            s.rsplit(": ").next().unwrap_or(&s).to_string()
        }
        other => other.to_string(),
    }
}

/// Writes to stdout; a closed pipe (`rtnl link | head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::failed(format!("write to stdout: {e}"))),
    }
}
