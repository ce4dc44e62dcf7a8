//! `rtnl dump --raw` / `rtnl decode`, and the error messages and exit
//! codes of bad command lines.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::{ip_out, rtnl_out, skip, Netns, RTNL};

fn decode(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(RTNL)
        .arg("decode")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rtnl decode");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn dump_raw_decodes_back() {
    if skip() {
        return;
    }
    let Some(ns) = Netns::with_topology() else {
        return;
    };
    let raw = rtnl_out(&ns.name, &["dump", "--raw"]);
    assert!(raw.status.success(), "{}", stderr(&raw));
    assert!(raw.stdout.len() > 1000);

    let text = decode(&[], &raw.stdout);
    assert!(text.status.success(), "{}", stderr(&text));
    let text = String::from_utf8(text.stdout).unwrap();
    for needle in [
        "RTM_NEWLINK",
        "RTM_NEWADDR",
        "RTM_NEWROUTE",
        "RTM_NEWNEIGH",
        "RTM_NEWRULE",
        "IFLA_IFNAME: \"vxlan42\"",
        "IFLA_VXLAN_ID: 42",
        "IFA_LABEL: \"veth0:main\"",
    ] {
        assert!(text.contains(needle), "decode output lacks {needle}");
    }

    let json = decode(&["-j"], &raw.stdout);
    assert!(json.status.success(), "{}", stderr(&json));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let msgs = doc.as_array().unwrap();
    assert_eq!(msgs.len(), text.lines().count());
    // The links in the dump are the links `ip` lists.
    let ip_links: serde_json::Value =
        serde_json::from_slice(&ip_out(&ns.name, &["-j", "link"]).stdout).unwrap();
    let dumped_links = msgs
        .iter()
        .filter(|m| m["header"]["type"] == "RTM_NEWLINK")
        .count();
    assert_eq!(dumped_links, ip_links.as_array().unwrap().len());

    // From a file too, and `-j` before the object works as well.
    let path = std::env::temp_dir().join(format!("{}.rtnl", ns.name));
    std::fs::write(&path, &raw.stdout).unwrap();
    let from_file = rtnl_out("", &["-j", "decode", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert!(from_file.status.success(), "{}", stderr(&from_file));
    assert_eq!(from_file.stdout, json.stdout);
}

#[test]
fn decode_rejects_garbage() {
    let out = decode(&[], b"hello, this is not netlink at all\n");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("not RTNL"), "{err}");
    assert!(err.contains("at offset 0"), "{err}");
    assert!(err.contains("claims length"), "{err}");

    // A header that promises more bytes than there are.
    let mut b = Vec::new();
    b.extend_from_slice(&100u32.to_ne_bytes());
    b.extend_from_slice(&16u16.to_ne_bytes());
    b.extend_from_slice(&[0; 14]);
    let out = decode(&["-j"], &b);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("claims length 100 but only 20 bytes remain"),
        "{err}"
    );

    // Fewer bytes than a header.
    let out = decode(&[], &[1, 2, 3]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("truncated netlink header at offset 0"));

    let out = decode(&[], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("empty"));

    let out = rtnl_out("", &["decode", "/nonexistent/file"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/nonexistent/file"));
}

#[test]
fn unknown_object_is_named_with_suggestion() {
    let out = rtnl_out("", &["foo"]);
    assert_eq!(out.status.code(), Some(1), "like ip");
    let err = stderr(&out);
    assert!(
        err.starts_with("Object \"foo\" is unknown, try \"rtnl help\".\n"),
        "{err}"
    );
    assert!(err.contains("link, ") && err.contains("route"), "{err}");

    let err = stderr(&rtnl_out("", &["lnik"]));
    assert!(err.contains("Did you mean \"link\"?"), "{err}");
    let err = stderr(&rtnl_out("", &["ruote"]));
    assert!(err.contains("Did you mean \"route\"?"), "{err}");
}

#[test]
fn unknown_command_and_arguments() {
    let out = rtnl_out("", &["link", "foo"]);
    assert_eq!(out.status.code(), Some(255), "like ip");
    let err = stderr(&out);
    assert!(
        err.starts_with("Command \"foo\" is unknown, try \"rtnl link help\".\n"),
        "{err}"
    );
    assert!(err.contains("show"), "{err}");
    let err = stderr(&rtnl_out("", &["route", "shwo"]));
    assert!(err.contains("Did you mean \"show\"?"), "{err}");

    let out = rtnl_out("", &["route", "show", "tabel", "100"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(stderr(&out).contains("Did you mean \"table\"?"));

    let out = rtnl_out("", &["-x", "link"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(stderr(&out).starts_with("Option \"-x\" is unknown, try \"rtnl -help\"."));

    let out = rtnl_out("", &["help"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: rtnl"));
    let out = rtnl_out("", &["link", "help"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: rtnl link"));
}

#[test]
fn unknown_device_and_namespace() {
    if skip() {
        return;
    }
    let Some(ns) = Netns::new() else {
        return;
    };
    for obj in ["link", "addr", "route", "neigh"] {
        let out = rtnl_out(&ns.name, &[obj, "show", "dev", "nope0"]);
        assert_eq!(out.status.code(), Some(1), "{obj}");
        assert_eq!(stderr(&out), "Device \"nope0\" does not exist.\n", "{obj}");
    }
    // The same text and code as ip for link and addr.
    let ip = ip_out(&ns.name, &["link", "show", "dev", "nope0"]);
    assert_eq!(stderr(&ip), "Device \"nope0\" does not exist.\n");
    assert_eq!(ip.status.code(), Some(1));

    let out = rtnl_out("rtnl-cli-no-such-namespace", &["link"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(
        stderr(&out).starts_with("Cannot open network namespace \"rtnl-cli-no-such-namespace\""),
        "{}",
        stderr(&out)
    );
}

/// The FreeBSD dump the rtnl-pfroute tests build (links em0/em1, addresses,
/// routes, neighbours), kept current by its `golden_dump_file_is_current` test.
const FREEBSD_DUMP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../rtnl-pfroute/tests/data/freebsd-dump.bin"
);

#[test]
fn decode_pfroute_translates_bsd_bytes() {
    let bsd = std::fs::read(FREEBSD_DUMP).expect("pfroute fixture");
    let out = decode(&["--pfroute", "freebsd", "-j"], &bsd);
    assert!(out.status.success(), "{}", stderr(&out));
    let msgs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let msgs = msgs.as_array().expect("array");
    let kinds: Vec<&str> = msgs
        .iter()
        .map(|m| m["header"]["type"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "RTM_NEWLINK").count(),
        2,
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"RTM_NEWADDR")
            && kinds.contains(&"RTM_NEWROUTE")
            && kinds.contains(&"RTM_NEWNEIGH")
    );
    let names: Vec<&str> = msgs
        .iter()
        .flat_map(|m| m["attrs"].as_array().into_iter().flatten())
        .filter(|a| a[0] == "IFLA_IFNAME")
        .filter_map(|a| a[1].as_str())
        .collect();
    assert_eq!(names, ["em1", "em0"]);

    // --raw writes RTNL bytes that plain decode reads back to the same messages.
    let raw = decode(&["--pfroute", "freebsd", "--raw"], &bsd);
    assert!(raw.status.success(), "{}", stderr(&raw));
    let again = decode(&["-j"], &raw.stdout);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&again.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        msgs.len()
    );
}

#[test]
fn decode_pfroute_refuses_bad_flavour_and_garbage() {
    let out = decode(&["--pfroute", "plan9"], b"x");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unknown flavour"), "{}", stderr(&out));

    // A message claiming 0x6000 bytes in a 64-byte buffer.
    let mut garbage = vec![0u8; 64];
    garbage[..2].copy_from_slice(&0x6000u16.to_le_bytes());
    garbage[2] = 5;
    let out = decode(&["--pfroute", "openbsd"], &garbage);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("not openbsd routing-socket messages") && err.contains("offset 0"),
        "{err}"
    );
}
