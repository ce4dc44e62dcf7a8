//! Names of the enumerations and flag sets inside RTNL messages, spelled as
//! iproute2 prints and parses them (`unicast`, `kernel`, `link`, `PERMANENT`
//! ...). Display, JSON and argument parsing all read these tables.

/// A value-to-name table.
#[derive(Debug)]
pub struct Names {
    /// `(value, name)` pairs.
    pub entries: &'static [(u32, &'static str)],
}

impl Names {
    /// The name of `v`.
    pub fn name(&self, v: u32) -> Option<&'static str> {
        self.entries.iter().find(|e| e.0 == v).map(|e| e.1)
    }
    /// The value named `name` (case-insensitive).
    pub fn value(&self, name: &str) -> Option<u32> {
        self.entries
            .iter()
            .find(|e| e.1.eq_ignore_ascii_case(name))
            .map(|e| e.0)
    }
    /// The names of the bits set in `v`, in table order, and the bits no
    /// entry names.
    pub fn flags(&self, v: u32) -> (Vec<&'static str>, u32) {
        let mut rest = v;
        let mut out = Vec::new();
        for &(bit, name) in self.entries {
            if bit != 0 && v & bit == bit {
                out.push(name);
                rest &= !bit;
            }
        }
        (out, rest)
    }
}

macro_rules! names {
    ($(#[$m:meta])* $name:ident { $($v:expr => $s:literal),* $(,)? }) => {
        $(#[$m])* pub static $name: Names = Names { entries: &[ $( ($v, $s) ),* ] };
    };
}

names! {
    /// Route types (`RTN_*`).
    ROUTE_TYPES {
        0 => "none", 1 => "unicast", 2 => "local", 3 => "broadcast", 4 => "anycast",
        5 => "multicast", 6 => "blackhole", 7 => "unreachable", 8 => "prohibit",
        9 => "throw", 10 => "nat", 11 => "xresolve",
    }
}
names! {
    /// Route protocols (`RTPROT_*`), as in /etc/iproute2/rt_protos.
    ROUTE_PROTOCOLS {
        0 => "unspec", 1 => "redirect", 2 => "kernel", 3 => "boot", 4 => "static",
        8 => "gated", 9 => "ra", 10 => "mrt", 11 => "zebra", 12 => "bird", 13 => "dnrouted",
        14 => "xorp", 15 => "ntk", 16 => "dhcp", 17 => "mrouted", 18 => "keepalived",
        42 => "babel", 99 => "openr", 186 => "bgp", 187 => "isis", 188 => "ospf", 189 => "rip",
        192 => "eigrp",
    }
}
names! {
    /// Scopes (`RT_SCOPE_*`).
    SCOPES { 0 => "global", 200 => "site", 253 => "link", 254 => "host", 255 => "nowhere" }
}
names! {
    /// Well-known routing tables (`RT_TABLE_*`).
    TABLES { 0 => "unspec", 252 => "compat", 253 => "default", 254 => "main", 255 => "local" }
}
names! {
    /// Address families (`AF_*`) as `ip` names them.
    FAMILIES { 0 => "unspec", 1 => "unix", 2 => "inet", 7 => "bridge", 10 => "inet6", 17 => "packet", 28 => "mpls" }
}
names! {
    /// Link flags (`IFF_*`), with `ip`'s spelling.
    LINK_FLAGS {
        0x1 => "UP", 0x2 => "BROADCAST", 0x4 => "DEBUG", 0x8 => "LOOPBACK",
        0x10 => "POINTOPOINT", 0x20 => "NOTRAILERS", 0x40 => "RUNNING", 0x80 => "NOARP",
        0x100 => "PROMISC", 0x200 => "ALLMULTI", 0x400 => "MASTER", 0x800 => "SLAVE",
        0x1000 => "MULTICAST", 0x2000 => "PORTSEL", 0x4000 => "AUTOMEDIA", 0x8000 => "DYNAMIC",
        0x10000 => "LOWER_UP", 0x20000 => "DORMANT", 0x40000 => "ECHO",
    }
}
names! {
    /// Operational states (`IF_OPER_*`).
    OPERSTATES {
        0 => "UNKNOWN", 1 => "NOTPRESENT", 2 => "DOWN", 3 => "LOWERLAYERDOWN",
        4 => "TESTING", 5 => "DORMANT", 6 => "UP",
    }
}
names! {
    /// Link modes (`IF_LINK_MODE_*`).
    LINK_MODES { 0 => "DEFAULT", 1 => "DORMANT", 2 => "TESTING" }
}
names! {
    /// Hardware types (`ARPHRD_*`), with `ip`'s spelling.
    LINK_TYPES {
        0 => "netrom", 1 => "ether", 2 => "eether", 3 => "ax25", 4 => "pronet", 5 => "chaos",
        6 => "ieee802", 7 => "arcnet", 8 => "atalk", 15 => "dlci", 19 => "atm", 23 => "metricom",
        24 => "ieee1394", 27 => "eui64", 32 => "infiniband", 256 => "slip", 257 => "cslip",
        258 => "slip6", 259 => "cslip6", 260 => "rsrvd", 264 => "adapt", 270 => "rose",
        271 => "x25", 272 => "hwx25", 280 => "can", 512 => "ppp", 513 => "hdlc", 516 => "lapb",
        517 => "ddcmp", 518 => "rawhdlc", 519 => "rawip", 768 => "ipip", 769 => "tunnel6",
        770 => "frad", 771 => "skip", 772 => "loopback", 773 => "localtlk", 774 => "fddi",
        775 => "bif", 776 => "sit", 777 => "ip/ddp", 778 => "gre", 779 => "pimreg",
        780 => "hippi", 781 => "ash", 782 => "econet", 783 => "irda", 784 => "fcpp",
        785 => "fcal", 786 => "fcpl", 787 => "fcfb0", 800 => "tr", 801 => "ieee802.11",
        802 => "ieee802.11/prism", 803 => "ieee802.11/radiotap", 804 => "ieee802.15.4",
        805 => "ieee802.15.4/monitor", 820 => "phonet", 821 => "phonet_pipe", 822 => "caif",
        823 => "ip6gre", 824 => "netlink", 825 => "6lowpan", 826 => "vsockmon",
        0xfffe => "none", 0xffff => "void",
    }
}
names! {
    /// Address flags (`IFA_F_*`), as `ip` prints them.
    ADDR_FLAGS {
        0x01 => "secondary", 0x02 => "nodad", 0x04 => "optimistic", 0x08 => "dadfailed",
        0x10 => "home", 0x20 => "deprecated", 0x40 => "tentative", 0x80 => "permanent",
        0x100 => "managetempaddr", 0x200 => "noprefixroute", 0x400 => "autojoin",
        0x800 => "stable-privacy",
    }
}
names! {
    /// Neighbour states (`NUD_*`), as `ip` prints them.
    NEIGH_STATES {
        0x01 => "INCOMPLETE", 0x02 => "REACHABLE", 0x04 => "STALE", 0x08 => "DELAY",
        0x10 => "PROBE", 0x20 => "FAILED", 0x40 => "NOARP", 0x80 => "PERMANENT",
    }
}
names! {
    /// Neighbour flags (`NTF_*`), as `ip` prints them.
    NEIGH_FLAGS {
        0x01 => "use", 0x02 => "self", 0x04 => "master", 0x08 => "proxy",
        0x10 => "extern_learn", 0x20 => "offload", 0x40 => "sticky", 0x80 => "router",
    }
}
names! {
    /// Rule actions (`FR_ACT_*`).
    RULE_ACTIONS {
        0 => "unspec", 1 => "to_tbl", 2 => "goto", 3 => "nop", 6 => "blackhole",
        7 => "unreachable", 8 => "prohibit",
    }
}
names! {
    /// Next-hop flags (`RTNH_F_*`), as `ip` prints them.
    NEXTHOP_FLAGS {
        0x01 => "dead", 0x02 => "pervasive", 0x04 => "onlink", 0x08 => "offload",
        0x10 => "linkdown", 0x20 => "unresolved", 0x40 => "trap",
    }
}
names! {
    /// Route message flags (`RTM_F_*`) that `ip` prints.
    ROUTE_FLAGS { 0x200 => "cloned", 0x4000 => "offload", 0x8000 => "trap", 0x2000_0000 => "offload_failed" }
}
names! {
    /// Route preference (RTA_PREF / `ICMPV6_ROUTER_PREF_*`).
    ROUTE_PREFS { 0 => "medium", 1 => "high", 3 => "low" }
}
names! {
    /// Metric names for RTA_METRICS (`RTAX_*`), as `ip` prints them.
    METRIC_NAMES {
        1 => "lock", 2 => "mtu", 3 => "window", 4 => "rtt", 5 => "rttvar", 6 => "ssthresh",
        7 => "cwnd", 8 => "advmss", 9 => "reordering", 10 => "hoplimit", 11 => "initcwnd",
        12 => "features", 13 => "rto_min", 14 => "initrwnd", 15 => "quickack",
        16 => "congctl", 17 => "fastopen_no_cookie",
    }
}
