//! `rtnl netns list | add | delete | exec`, compatible with `ip netns`:
//! namespaces are bind mounts under /run/netns, so each tool sees the
//! other's.

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
#[cfg(target_os = "linux")]
use crate::setter::lib_err;

fn one_name<'a>(p: &'a Parsed, verb: &str) -> Result<&'a str, CliError> {
    match p.words() {
        [name] => Ok(name),
        [] => Err(CliError::usage(format!(
            "No netns name specified: rtnl netns {verb} NAME"
        ))),
        [_, extra, ..] => Err(CliError::usage(format!(
            "Error: argument \"{extra}\" is not understood by \"rtnl netns {verb}\"."
        ))),
    }
}

#[cfg(not(target_os = "linux"))]
fn unsupported() -> CliError {
    CliError::failed(format!(
        "network namespaces are not supported on {}",
        rtnl::IpRoute::platform()
    ))
}

/// `rtnl netns list`: the named namespaces.
pub fn list(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    if let Some(w) = p.words().first() {
        return Err(CliError::usage(format!(
            "Error: argument \"{w}\" is not understood by \"rtnl netns list\"."
        )));
    }
    #[cfg(target_os = "linux")]
    {
        let names = rtnl::netns::list().map_err(lib_err)?;
        let mut o = ctx.out();
        for n in names {
            o.open_object(None);
            o.string("name", "{}", &n);
            o.close();
            o.eol();
        }
        ctx.emit(o)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = ctx;
        Err(unsupported())
    }
}

/// `rtnl netns add NAME`.
pub fn add(_: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = one_name(p, "add")?;
    #[cfg(target_os = "linux")]
    {
        rtnl::netns::add(name)
            .map(drop)
            .map_err(|e| CliError::failed(format!("Cannot create namespace: {e}")))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = name;
        Err(unsupported())
    }
}

/// `rtnl netns delete NAME`.
pub fn del(_: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = one_name(p, "delete")?;
    #[cfg(target_os = "linux")]
    {
        rtnl::netns::del(name).map_err(|e| match e {
            rtnl::Error::NotFound { .. } => CliError::failed(format!(
                "Cannot remove namespace file \"{}/{name}\": No such file or directory",
                rtnl::netns::NETNS_RUN_DIR
            )),
            e => lib_err(e),
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = name;
        Err(unsupported())
    }
}

/// `rtnl netns exec NAME CMD [ARGS...]`: runs CMD inside the namespace
/// (with /sys showing its devices), replacing this process.
pub fn exec(_: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let (name, cmd) = match p.words() {
        [name, cmd @ ..] if !cmd.is_empty() => (name, cmd),
        _ => {
            return Err(CliError::usage(
                "No command specified: rtnl netns exec NAME CMD [ARGS...]",
            ))
        }
    };
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        let ns = rtnl::NetnsRef::Name(name.clone());
        if !ns.path().exists() {
            return Err(CliError::usage(format!(
                "Cannot open network namespace \"{name}\": No such file or directory"
            )));
        }
        rtnl::netns::enter(&ns).map_err(lib_err)?;
        let e = std::process::Command::new(&cmd[0]).args(&cmd[1..]).exec();
        Err(CliError::failed(format!(
            "exec of \"{}\" failed: {e}",
            cmd[0]
        )))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (name, cmd);
        Err(unsupported())
    }
}

use crate::args::{Object, Verb};
use crate::setter::{kw, verb};

/// The `netns` object.
pub const OBJECT: Object = Object {
    names: &["netns"],
    help: "named network namespaces (shared with ip netns)",
    verbs: &[
        LIST,
        verb(
            &["add"],
            &[kw("NAME", None, "its name")],
            "create a named namespace",
            add,
        ),
        verb(
            &["delete", "del"],
            &[kw("NAME", None, "its name")],
            "delete a named namespace",
            del,
        ),
        verb(
            &["exec"],
            &[
                kw("NAME", None, "the namespace"),
                kw("CMD [ARGS...]", None, "the program to run"),
            ],
            "run a program inside a namespace",
            exec,
        ),
    ],
};

const LIST: Verb = verb(&["list", "show", "lst"], &[], "list named namespaces", list);
