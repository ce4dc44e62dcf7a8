#!/usr/bin/env python3
"""Compares `rtnl -j OBJECT show` of the Windows build (under Wine) with the
Linux build's on the same network namespace. Usage:
    compare.py OBJECT linux.json windows.json
Exits 1 on a difference in the fields compared. What is not compared, and
why, is listed in scripts/windows-test.sh (NOT_COMPARED)."""
import json
import sys


def links(doc):
    out = {}
    for l in doc:
        key = {
            "ifindex": l["ifindex"],
            "ifname": l["ifname"],
            "address": l.get("address"),
            "broadcast": l.get("broadcast"),
            "mtu": l.get("mtu"),
            "link_type": l.get("link_type"),
            "flags": sorted(l.get("flags", [])),
        }
        # Linux's lo is UNKNOWN, Windows' loopback is up: not compared.
        if l.get("link_type") != "loopback":
            key["operstate"] = l.get("operstate")
        out[l["ifindex"]] = key
    return out


def addrs(doc):
    out = {}
    for l in doc:
        out[l["ifindex"]] = sorted(
            (a["family"], a["local"], a["prefixlen"], a.get("scope"),
             a.get("broadcast"), a.get("label"))
            for a in l.get("addr_info", [])
        )
    return out


def routes(doc):
    return sorted(
        (r["dst"], r.get("gateway"), r.get("dev"), r.get("scope"), r.get("prefsrc"))
        for r in doc
    )


def neighs(doc):
    return sorted(
        (n["dst"], n.get("dev"), n.get("lladdr"), tuple(n.get("state", [])))
        for n in doc
        if ":" not in n["dst"]  # IPv6 neighbours: Wine cannot report them
    )


KEYS = {"link": links, "addr": addrs, "route": routes, "neigh": neighs}


def main():
    obj, lin, win = sys.argv[1:4]
    f = KEYS[obj]
    with open(lin) as a, open(win) as b:
        l, w = f(json.load(a)), f(json.load(b))
    if l == w:
        print(f"{obj}: Linux and Windows builds agree ({len(l)} entries)")
        return 0
    print(f"{obj}: Linux and Windows builds DIFFER")
    print("  linux:  ", json.dumps(l, sort_keys=True))
    print("  windows:", json.dumps(w, sort_keys=True))
    return 1


if __name__ == "__main__":
    sys.exit(main())
