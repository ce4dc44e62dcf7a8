#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ from the test
fixtures and a few hand-built examples. Rerun after fixtures change."""
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIX = os.path.join(ROOT, "crates/rtnl-wire/tests/fixtures")
PFR = os.path.join(ROOT, "crates/rtnl-pfroute/tests/data")


def put(target, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def split(buf):
    out, pos = [], 0
    while pos + 16 <= len(buf):
        (ln,) = struct.unpack_from("=I", buf, pos)
        if ln < 16 or pos + ln > len(buf):
            break
        out.append(buf[pos:pos + ln])
        pos += (ln + 3) & ~3
    return out


def nlmsg(kind, flags, payload, seq=1, pid=0):
    return struct.pack("=IHHII", 16 + len(payload), kind, flags, seq, pid) + payload


def nla(kind, payload):
    raw = struct.pack("=HH", 4 + len(payload), kind) + payload
    return raw + b"\0" * (-len(raw) % 4)


# Fixed header size and attr_tables index, by RTM type.
FAMILY = {16: (16, 0), 20: (8, 12), 24: (12, 14), 28: (12, 13), 32: (12, 15)}

for fname in sorted(os.listdir(FIX)):
    if not fname.endswith(".bin"):
        continue
    buf = open(os.path.join(FIX, fname), "rb").read()
    put("netlink_roundtrip", buf[:4096])
    put("views", buf[:4096])
    for m in split(buf):
        put("netlink_roundtrip", m)
        put("views", m)
        (kind,) = struct.unpack_from("=H", m, 4)
        fam = FAMILY.get(kind & ~3)
        if fam:
            hl, idx = fam
            put("attr_tables", bytes([idx]) + m[16 + hl:])

# route show, fast against generic: [mode][links then routes]. Every mode
# over a short listing; each route message alone under mode 0.
links = split(open(os.path.join(FIX, "links.bin"), "rb").read())[:4]
for fname in ["routes4.bin", "routes6.bin"]:
    routes = split(open(os.path.join(FIX, fname), "rb").read())
    listing = b"".join(m + b"\0" * (-len(m) % 4) for m in links + routes[:8])
    for mode in [0, 1, 2, 4, 5, 8, 9, 12, 0x80, 0x85]:
        put("route_show", bytes([mode]) + listing[:4000])
    for m in routes:
        put("route_show", b"\0" + m)

# Extended acks and dones: [flags u16][payload].
req = nlmsg(24, 0x405, b"\0" * 12 + nla(1, b"\x0a\0\0\x01"))
tlvs = nla(1, b"Nexthop has invalid gateway\0") + nla(2, struct.pack("=I", 28))
for flags, payload in [
    (0x100, struct.pack("=i", 0) + req[:16]),
    (0, struct.pack("=i", -22) + req),
    (0x300, struct.pack("=i", -22) + req[:16] + tlvs),
    (0x200, struct.pack("=i", -22) + req + tlvs + nla(5, struct.pack("=I", 3)) + nla(6, struct.pack("=I", 16))),
    (0x200, struct.pack("=i", -16) + tlvs),
    (0, struct.pack("=i", 0)),
]:
    put("ext_ack", struct.pack("=H", flags) + payload)
    put("netlink_roundtrip", nlmsg(2 if len(payload) > 4 else 3, flags, payload))

# Requests for the emulator.
REQ, ACK, DUMP = 1, 4, 0x300
link_hdr = struct.pack("=BxHiII", 0, 0, 0, 0, 0)
addr_hdr = struct.pack("=BBBBI", 0, 0, 0, 0, 0)
rt_hdr = lambda fam, table=0, proto=0, typ=0, flags=0: struct.pack("=BBBBBBBBI", fam, 0, 0, 0, table, proto, 0, typ, flags)
nd_hdr = struct.pack("=BxxxiHBB", 0, 0, 0, 0, 0)
reqs = [
    nlmsg(18, REQ | DUMP, link_hdr),
    nlmsg(18, REQ | DUMP, struct.pack("=BxHiII", 7, 0, 0, 0, 0)),
    nlmsg(18, REQ | DUMP, link_hdr + nla(10, struct.pack("=I", 2))),
    nlmsg(18, REQ | DUMP, link_hdr + nla(18 | 0x8000, nla(1, b"bridge\0"))),
    nlmsg(18, REQ | ACK, struct.pack("=BxHiII", 0, 0, 1, 0, 0)),
    nlmsg(18, REQ, link_hdr + nla(3, b"lo\0")),
    nlmsg(22, REQ | DUMP, addr_hdr),
    nlmsg(22, REQ | DUMP, struct.pack("=BBBBI", 2, 0, 0, 0, 1)),
    nlmsg(22, REQ | DUMP, struct.pack("=BBBBI", 10, 0, 0, 0, 99)),
    nlmsg(26, REQ | DUMP, rt_hdr(2)),
    nlmsg(26, REQ | DUMP, rt_hdr(10, 254)),
    nlmsg(26, REQ | DUMP, rt_hdr(0, 0, 2, 1, 0x200) + nla(4, struct.pack("=I", 1)) + nla(15, struct.pack("=I", 255))),
    nlmsg(30, REQ | DUMP, nd_hdr),
    nlmsg(30, REQ | DUMP, struct.pack("=BxxxiHBB", 0, 0, 0, 8, 0) + nla(8, struct.pack("=I", 2))),
    nlmsg(34, REQ | DUMP, rt_hdr(0)),
    nlmsg(24, REQ | ACK | 0x400, rt_hdr(2, 254) + nla(1, b"\x0a\0\0\0")),
    nlmsg(3, ACK, b""),
]
for r in reqs:
    put("emulate", r)
put("emulate", b"".join(r + b"\0" * (-len(r) % 4) for r in reqs))

# PF_ROUTE: [flavour index][bytes]; the recorded dump is FreeBSD's.
for fname in sorted(os.listdir(PFR)):
    buf = open(os.path.join(PFR, fname), "rb").read()
    for i in range(4):
        put("pfroute", bytes([i]) + buf)
    # Each message alone (rtm_msglen is the first u16).
    pos = 0
    while pos + 4 <= len(buf):
        (ln,) = struct.unpack_from("=H", buf, pos)
        if ln < 4:
            break
        put("pfroute", b"\0" + buf[pos:pos + ln])
        pos += ln

# Winsnap: arbitrary's byte stream; a few shapes.
for seed in [b"\x01" * 64, bytes(range(256)), b"\x02\x01\x01" + b"\x00" * 200, b"\xff" * 300]:
    put("winsnap", seed)

# CLI: first line a command line, the rest a batch file.
for text in [
    "-j -d link show dev lo",
    "-4 route show table all",
    "-n ns0 address add 10.0.0.1/24 dev veth0",
    "-batch - -force\naddress add 10.0.0.1/24 dev v0\nroute add 10.1.0.0/16 via 10.0.0.2 dev v0 metric 10\n"
    "neigh add 10.0.0.9 lladdr 02:00:00:00:00:01 dev v0 nud permanent\nrule add from 10.0.0.0/8 table 100 pref 1000\n"
    "link set dev v0 alias \"a b\" # comment\nlink add name br0 type bridge\n",
    "route get 1.1.1.1\nmonitor link address\ndecode -j --pfroute freebsd --events file.bin\n",
    "-V",
    "lnik sho\nroute add 'unterminated\n",
]:
    put("cli_args", text.encode())
