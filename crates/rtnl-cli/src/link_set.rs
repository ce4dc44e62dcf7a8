//! `rtnl link add | set | delete`, with `ip link`'s syntax.

use rtnl::request::{
    self, parse_lladdr, LinkChange, LinkKind, LinkSpec, MacvlanMode, Master, Request, VethPeer,
    Vxlan,
};

use crate::args::Parsed;
use crate::ctx::{CliError, Ctx};
use crate::setter::{describe, lib_err, parse_addr, run_plan, wrong, Devs, Words};

/// `rtnl link add [link DEV] [name] NAME [mtu N] [address LL] [txqueuelen N]
/// [master DEV] [netns NS] [up] type KIND [ARGS]`.
pub fn add(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_add)
}

/// `rtnl link set { dev DEV | DEV } [up|down] [mtu N] [name NEW]
/// [address LL] [master DEV|nomaster] [txqueuelen N] [alias TEXT] [netns NS]`.
pub fn set(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_set)
}

/// `rtnl link delete { dev DEV | DEV }`.
pub fn del(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    run_plan(ctx, p, plan_del)
}

/// A namespace by name (under /run/netns) or by pid, as `ip` takes it.
#[cfg(target_os = "linux")]
pub fn netns_ref(s: &str) -> rtnl::NetnsRef {
    let named = std::path::Path::new(rtnl::netns::NETNS_RUN_DIR).join(s);
    match s.parse::<u32>() {
        Ok(pid) if !named.exists() => rtnl::NetnsRef::Pid(pid),
        _ if s.starts_with('/') => rtnl::NetnsRef::Path(s.into()),
        _ => rtnl::NetnsRef::Name(s.to_string()),
    }
}

#[cfg(not(target_os = "linux"))]
fn no_netns() -> CliError {
    CliError::usage(format!(
        "network namespaces are not supported on {}",
        rtnl::IpRoute::platform()
    ))
}

/// Reads the link-wide options common to `add` and `set`; `false` when
/// `word` is not one of them.
fn common(
    ctx: &mut Ctx,
    devs: &mut Devs,
    w: &mut Words,
    word: &str,
    c: &mut LinkChange,
) -> Result<bool, CliError> {
    match word {
        "up" => c.up = Some(true),
        "down" => c.up = Some(false),
        "mtu" => c.mtu = Some(w.num("mtu")?),
        "address" => c.address = Some(parse_lladdr(w.value("address")?).map_err(lib_err)?),
        "txqueuelen" | "txqlen" | "qlen" => c.txqueuelen = Some(w.num("txqueuelen")?),
        "master" => {
            let m = w.value("master")?;
            c.master = Some(Master::Index(devs.index(ctx, m)?));
        }
        "nomaster" => c.master = Some(Master::NoMaster),
        "alias" => c.alias = Some(w.value("alias")?.to_string()),
        "netns" => {
            let v = w.value("netns")?;
            #[cfg(target_os = "linux")]
            {
                c.netns = Some(netns_ref(v));
            }
            #[cfg(not(target_os = "linux"))]
            {
                let _ = v;
                return Err(no_netns());
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Plans `link add`.
pub fn plan_add(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let mut w = Words::new(words);
    let mut name = None;
    let mut parent = None;
    let mut c = LinkChange::default();
    let mut kind = None;
    while let Some(word) = w.next_word() {
        match word {
            "type" => {
                kind = Some(w.value("type")?);
                break;
            }
            "name" => name = Some(w.value("name")?),
            "link" => parent = Some(devs.index(ctx, w.value("link")?)?),
            "dev" => name = Some(w.value("dev")?),
            _ if common(ctx, devs, &mut w, word, &mut c)? => {}
            _ if name.is_none() => name = Some(word),
            _ => return Err(wrong(word, "unknown link option")),
        }
    }
    let name = name.ok_or_else(|| CliError::usage("Error: \"link add\" needs a device name."))?;
    let kind = kind
        .ok_or_else(|| CliError::usage("Not enough information: \"type\" argument is required"))?;
    let kind = kind_args(ctx, devs, &mut w, kind)?;
    let mut spec = LinkSpec::new(name, kind);
    spec.link = parent;
    spec.mtu = c.mtu;
    spec.address = c.address;
    spec.txqueuelen = c.txqueuelen;
    spec.master = match c.master {
        Some(Master::Index(i)) => Some(i),
        _ => None,
    };
    spec.up = c.up == Some(true);
    #[cfg(target_os = "linux")]
    {
        spec.netns = c.netns;
    }
    let mut req = request::link_add(&spec).map_err(lib_err)?;
    req.op = describe("add", "link", words);
    devs.clear();
    Ok(req)
}

/// The kind and its arguments, after `type KIND`.
fn kind_args(
    ctx: &mut Ctx,
    devs: &mut Devs,
    w: &mut Words,
    kind: &str,
) -> Result<LinkKind, CliError> {
    let unknown = |word: &str| wrong(word, &format!("unknown {kind} option"));
    Ok(match kind {
        "veth" => {
            let mut peer = VethPeer::default();
            while let Some(word) = w.next_word() {
                match word {
                    "peer" => {}
                    "name" => peer.name = w.value("name")?.to_string(),
                    "mtu" => peer.mtu = Some(w.num("mtu")?),
                    "address" => {
                        peer.address = Some(parse_lladdr(w.value("address")?).map_err(lib_err)?)
                    }
                    "netns" => {
                        let v = w.value("netns")?;
                        #[cfg(target_os = "linux")]
                        {
                            peer.netns = Some(netns_ref(v));
                        }
                        #[cfg(not(target_os = "linux"))]
                        {
                            let _ = v;
                            return Err(no_netns());
                        }
                    }
                    _ if peer.name.is_empty() => peer.name = word.to_string(),
                    _ => return Err(unknown(word)),
                }
            }
            if peer.name.is_empty() {
                return Err(CliError::usage(
                    "Error: a veth needs its peer: type veth peer name PEER",
                ));
            }
            LinkKind::Veth(peer)
        }
        "vxlan" => {
            let mut v = Vxlan::default();
            let mut id = None;
            while let Some(word) = w.next_word() {
                match word {
                    "id" | "vni" => id = Some(w.num::<u32>("id")?),
                    "dstport" => v.dstport = Some(w.num("dstport")?),
                    "local" => v.local = Some(parse_addr("local", w.value("local")?)?),
                    "remote" => v.remote = Some(parse_addr("remote", w.value("remote")?)?),
                    "group" => v.group = Some(parse_addr("group", w.value("group")?)?),
                    "dev" => v.dev = Some(devs.index(ctx, w.value("dev")?)?),
                    "ttl" | "hoplimit" => {
                        let t = w.value("ttl")?;
                        v.ttl = Some(if t == "inherit" || t == "auto" {
                            0
                        } else {
                            crate::setter::parse_num(t)
                                .ok_or_else(|| wrong(t, "\"ttl\" is 0 to 255"))?
                        });
                    }
                    "learning" => v.learning = Some(true),
                    "nolearning" => v.learning = Some(false),
                    _ => return Err(unknown(word)),
                }
            }
            v.id = id
                .ok_or_else(|| CliError::usage("Error: a vxlan needs its id: type vxlan id VNI"))?;
            LinkKind::Vxlan(v)
        }
        "macvlan" => {
            let mut mode = MacvlanMode::default();
            while let Some(word) = w.next_word() {
                match word {
                    "mode" => mode = MacvlanMode::from_name(w.value("mode")?).map_err(lib_err)?,
                    _ => return Err(unknown(word)),
                }
            }
            LinkKind::Macvlan(mode)
        }
        _ => {
            if let Some(word) = w.next_word() {
                return Err(unknown(word));
            }
            match kind {
                "bridge" => LinkKind::Bridge,
                "ifb" => LinkKind::Ifb,
                other => LinkKind::Other(other.to_string()),
            }
        }
    })
}

/// `dev DEV` or a bare `DEV`, first.
fn device<'a>(w: &mut Words<'a>, verb: &str) -> Result<&'a str, CliError> {
    match w.next_word() {
        Some("dev") => w.value("dev"),
        Some(d) => Ok(d),
        None => Err(CliError::usage(format!(
            "Not enough information: \"dev\" argument is required for \"link {verb}\"."
        ))),
    }
}

/// Plans `link set`.
pub fn plan_set(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let mut w = Words::new(words);
    let dev = device(&mut w, "set")?;
    let index = devs.index(ctx, dev)?;
    let mut c = LinkChange::default();
    while let Some(word) = w.next_word() {
        match word {
            "name" => c.name = Some(w.value("name")?.to_string()),
            _ if common(ctx, devs, &mut w, word, &mut c)? => {}
            _ => return Err(wrong(word, "unknown link option")),
        }
    }
    let mut req = request::link_set(index, &c).map_err(lib_err)?;
    req.op = describe("set", "link", words);
    if c.name.is_some() {
        devs.clear();
    }
    Ok(req)
}

/// Plans `link delete`.
pub fn plan_del(ctx: &mut Ctx, devs: &mut Devs, words: &[String]) -> Result<Request, CliError> {
    let mut w = Words::new(words);
    let dev = device(&mut w, "delete")?;
    while let Some(word) = w.next_word() {
        match word {
            // `ip link del dev X type veth`: the kind is not needed.
            "type" => {
                w.value("type")?;
            }
            _ => return Err(wrong(word, "unknown link option")),
        }
    }
    let index = devs.index(ctx, dev)?;
    let mut req = request::link_del(index).map_err(lib_err)?;
    req.op = describe("delete", "link", words);
    devs.clear();
    Ok(req)
}

use crate::args::Verb;
use crate::setter::{kw, verb};

/// `link add`.
pub const ADD: Verb = verb(
    &["add"],
    &[
        kw("NAME", None, "the new link's name"),
        kw("link", Some("DEV"), "the parent link (macvlan)"),
        kw("mtu", Some("MTU"), "MTU"),
        kw("address", Some("LLADDR"), "link-layer address"),
        kw("txqueuelen", Some("N"), "transmit queue length"),
        kw("master", Some("DEV"), "enslave to this bridge"),
        kw("netns", Some("NS|PID"), "create it in this namespace"),
        kw("up", None, "create it up"),
        kw(
            "type",
            Some("KIND [ARGS]"),
            "veth peer [name] P [netns NS] | bridge | ifb | macvlan mode M | vxlan id N [dstport P] [local A] [remote A|group A] [dev D] [ttl T]",
        ),
    ],
    "create a link",
    add,
);
/// `link set`.
pub const SET: Verb = verb(
    &["set", "change"],
    &[
        kw("dev", Some("DEV"), "the link (the word may be left out)"),
        kw("up|down", None, "bring it up or down"),
        kw("mtu", Some("MTU"), "MTU"),
        kw("name", Some("NAME"), "rename"),
        kw("address", Some("LLADDR"), "link-layer address"),
        kw("master", Some("DEV"), "enslave to this bridge"),
        kw("nomaster", None, "release from its master"),
        kw("txqueuelen", Some("N"), "transmit queue length"),
        kw("alias", Some("TEXT"), "alias"),
        kw("netns", Some("NS|PID"), "move it to this namespace"),
    ],
    "change a link",
    set,
);
/// `link delete`.
pub const DEL: Verb = verb(
    &["delete", "del"],
    &[kw(
        "dev",
        Some("DEV"),
        "the link (the word may be left out)",
    )],
    "delete a link (a veth's peer goes with it)",
    del,
);
