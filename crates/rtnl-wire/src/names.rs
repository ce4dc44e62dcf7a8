//! Names of the enumerations and flag sets inside RTNL messages: the C
//! constant (`RTN_UNICAST`) and its spelling as iproute2 prints and parses it
//! (`unicast`). Each entry is written once; it defines the `pub const`, and
//! the tables drive display, JSON and argument parsing. Flag tables are in
//! the order `ip` prints the flags.

use crate::family::route::{
    RTAX_ADVMSS, RTAX_CC_ALGO, RTAX_CWND, RTAX_FASTOPEN_NO_COOKIE, RTAX_FEATURES, RTAX_HOPLIMIT,
    RTAX_INITCWND, RTAX_INITRWND, RTAX_LOCK, RTAX_MTU, RTAX_QUICKACK, RTAX_REORDERING,
    RTAX_RTO_MIN, RTAX_RTT, RTAX_RTTVAR, RTAX_SSTHRESH, RTAX_WINDOW,
};

/// A value-to-name table.
#[derive(Debug)]
pub struct Names {
    /// `(value, name)` pairs, names spelled as `ip` spells them.
    pub entries: &'static [(u32, &'static str)],
    /// The C constant of each entry, in the same order as `entries`.
    pub c_names: &'static [&'static str],
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
    /// The names of the bits set in `v`, in table order (which is `ip`'s
    /// print order), and the bits no entry names.
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

/// `names! { TABLE: type { CONST = value => "ip name", OTHER => "name" } }`:
/// `CONST = value` defines `pub const CONST: type`; a bare `OTHER` uses a
/// constant already in scope (the RTAX_* numbers of the route table).
macro_rules! names {
    ($(#[$m:meta])* $name:ident: $ty:ty { $($c:ident $(= $v:expr)? => $s:literal),* $(,)? }) => {
        $( $( #[doc = concat!("`", stringify!($c), "` (`", $s, "` to `ip`).")] pub const $c: $ty = $v; )? )*
        $(#[$m])* pub static $name: Names = Names {
            entries: &[ $( ($c as u32, $s) ),* ],
            c_names: &[ $( stringify!($c) ),* ],
        };
    };
}

names! {
    /// Route types (`RTN_*`).
    ROUTE_TYPES: u8 {
        RTN_UNSPEC = 0 => "none", RTN_UNICAST = 1 => "unicast", RTN_LOCAL = 2 => "local",
        RTN_BROADCAST = 3 => "broadcast", RTN_ANYCAST = 4 => "anycast",
        RTN_MULTICAST = 5 => "multicast", RTN_BLACKHOLE = 6 => "blackhole",
        RTN_UNREACHABLE = 7 => "unreachable", RTN_PROHIBIT = 8 => "prohibit",
        RTN_THROW = 9 => "throw", RTN_NAT = 10 => "nat", RTN_XRESOLVE = 11 => "xresolve",
    }
}
names! {
    /// Route protocols (`RTPROT_*`), as in iproute2's rt_protos.
    ROUTE_PROTOCOLS: u8 {
        RTPROT_UNSPEC = 0 => "unspec", RTPROT_REDIRECT = 1 => "redirect",
        RTPROT_KERNEL = 2 => "kernel", RTPROT_BOOT = 3 => "boot", RTPROT_STATIC = 4 => "static",
        RTPROT_GATED = 8 => "gated", RTPROT_RA = 9 => "ra", RTPROT_MRT = 10 => "mrt",
        RTPROT_ZEBRA = 11 => "zebra", RTPROT_BIRD = 12 => "bird",
        RTPROT_DNROUTED = 13 => "dnrouted", RTPROT_XORP = 14 => "xorp", RTPROT_NTK = 15 => "ntk",
        RTPROT_DHCP = 16 => "dhcp", RTPROT_KEEPALIVED = 18 => "keepalived",
        RTPROT_BABEL = 42 => "babel", RTPROT_OPENR = 99 => "openr", RTPROT_BGP = 186 => "bgp",
        RTPROT_ISIS = 187 => "isis", RTPROT_OSPF = 188 => "ospf", RTPROT_RIP = 189 => "rip",
        RTPROT_EIGRP = 192 => "eigrp",
    }
}
names! {
    /// Scopes (`RT_SCOPE_*`).
    SCOPES: u8 {
        RT_SCOPE_UNIVERSE = 0 => "global", RT_SCOPE_SITE = 200 => "site",
        RT_SCOPE_LINK = 253 => "link", RT_SCOPE_HOST = 254 => "host",
        RT_SCOPE_NOWHERE = 255 => "nowhere",
    }
}
names! {
    /// Well-known routing tables (`RT_TABLE_*`), as in iproute2's rt_tables.
    TABLES: u32 {
        RT_TABLE_UNSPEC = 0 => "unspec", RT_TABLE_DEFAULT = 253 => "default",
        RT_TABLE_MAIN = 254 => "main", RT_TABLE_LOCAL = 255 => "local",
    }
}
/// `RT_TABLE_COMPAT`: what `rtm_table` says when the id does not fit in 8
/// bits (RTA_TABLE has the real one). `ip` has no name for it.
pub const RT_TABLE_COMPAT: u32 = 252;

names! {
    /// Address families (`AF_*`) as `ip` names them (`link` is AF_PACKET).
    FAMILIES: u8 {
        AF_UNSPEC = 0 => "unspec", AF_UNIX = 1 => "unix", AF_INET = 2 => "inet",
        AF_BRIDGE = 7 => "bridge", AF_INET6 = 10 => "inet6", AF_PACKET = 17 => "link",
        AF_MPLS = 28 => "mpls",
    }
}
names! {
    /// Link flags (`IFF_*`), in the order `ip link` prints them.
    LINK_FLAGS: u32 {
        IFF_LOOPBACK = 0x8 => "LOOPBACK", IFF_BROADCAST = 0x2 => "BROADCAST",
        IFF_POINTOPOINT = 0x10 => "POINTOPOINT", IFF_MULTICAST = 0x1000 => "MULTICAST",
        IFF_NOARP = 0x80 => "NOARP", IFF_ALLMULTI = 0x200 => "ALLMULTI",
        IFF_PROMISC = 0x100 => "PROMISC", IFF_MASTER = 0x400 => "MASTER",
        IFF_SLAVE = 0x800 => "SLAVE", IFF_DEBUG = 0x4 => "DEBUG",
        IFF_DYNAMIC = 0x8000 => "DYNAMIC", IFF_AUTOMEDIA = 0x4000 => "AUTOMEDIA",
        IFF_PORTSEL = 0x2000 => "PORTSEL", IFF_NOTRAILERS = 0x20 => "NOTRAILERS",
        IFF_UP = 0x1 => "UP", IFF_LOWER_UP = 0x10000 => "LOWER_UP",
        IFF_DORMANT = 0x20000 => "DORMANT", IFF_ECHO = 0x40000 => "ECHO",
        IFF_RUNNING = 0x40 => "RUNNING",
    }
}
names! {
    /// Operational states (`IF_OPER_*`).
    OPERSTATES: u8 {
        IF_OPER_UNKNOWN = 0 => "UNKNOWN", IF_OPER_NOTPRESENT = 1 => "NOTPRESENT",
        IF_OPER_DOWN = 2 => "DOWN", IF_OPER_LOWERLAYERDOWN = 3 => "LOWERLAYERDOWN",
        IF_OPER_TESTING = 4 => "TESTING", IF_OPER_DORMANT = 5 => "DORMANT", IF_OPER_UP = 6 => "UP",
    }
}
names! {
    /// Link modes (`IF_LINK_MODE_*`).
    LINK_MODES: u8 {
        IF_LINK_MODE_DEFAULT = 0 => "DEFAULT", IF_LINK_MODE_DORMANT = 1 => "DORMANT",
        IF_LINK_MODE_TESTING = 2 => "TESTING",
    }
}
names! {
    /// Hardware types (`ARPHRD_*`), with `ip`'s spelling.
    LINK_TYPES: u16 {
        ARPHRD_NETROM = 0 => "netrom", ARPHRD_ETHER = 1 => "ether", ARPHRD_EETHER = 2 => "eether",
        ARPHRD_AX25 = 3 => "ax25", ARPHRD_PRONET = 4 => "pronet", ARPHRD_CHAOS = 5 => "chaos",
        ARPHRD_IEEE802 = 6 => "ieee802", ARPHRD_ARCNET = 7 => "arcnet",
        ARPHRD_APPLETLK = 8 => "atalk", ARPHRD_DLCI = 15 => "dlci", ARPHRD_ATM = 19 => "atm",
        ARPHRD_METRICOM = 23 => "metricom", ARPHRD_IEEE1394 = 24 => "ieee1394",
        ARPHRD_EUI64 = 27 => "eui64", ARPHRD_INFINIBAND = 32 => "infiniband",
        ARPHRD_SLIP = 256 => "slip", ARPHRD_CSLIP = 257 => "cslip", ARPHRD_SLIP6 = 258 => "slip6",
        ARPHRD_CSLIP6 = 259 => "cslip6", ARPHRD_RSRVD = 260 => "rsrvd",
        ARPHRD_ADAPT = 264 => "adapt", ARPHRD_ROSE = 270 => "rose", ARPHRD_X25 = 271 => "x25",
        ARPHRD_HWX25 = 272 => "hwx25", ARPHRD_CAN = 280 => "can", ARPHRD_PPP = 512 => "ppp",
        ARPHRD_HDLC = 513 => "hdlc", ARPHRD_LAPB = 516 => "lapb", ARPHRD_DDCMP = 517 => "ddcmp",
        ARPHRD_RAWHDLC = 518 => "rawhdlc", ARPHRD_RAWIP = 519 => "rawip",
        ARPHRD_TUNNEL = 768 => "ipip", ARPHRD_TUNNEL6 = 769 => "tunnel6",
        ARPHRD_FRAD = 770 => "frad", ARPHRD_SKIP = 771 => "skip",
        ARPHRD_LOOPBACK = 772 => "loopback", ARPHRD_LOCALTLK = 773 => "ltalk",
        ARPHRD_FDDI = 774 => "fddi", ARPHRD_BIF = 775 => "bif", ARPHRD_SIT = 776 => "sit",
        ARPHRD_IPDDP = 777 => "ip/ddp", ARPHRD_IPGRE = 778 => "gre",
        ARPHRD_PIMREG = 779 => "pimreg", ARPHRD_HIPPI = 780 => "hippi", ARPHRD_ASH = 781 => "ash",
        ARPHRD_ECONET = 782 => "econet", ARPHRD_IRDA = 783 => "irda", ARPHRD_FCPP = 784 => "fcpp",
        ARPHRD_FCAL = 785 => "fcal", ARPHRD_FCPL = 786 => "fcpl",
        ARPHRD_FCFABRIC = 787 => "fcfb0", ARPHRD_IEEE802_TR = 800 => "tr",
        ARPHRD_IEEE80211 = 801 => "ieee802.11", ARPHRD_IEEE80211_PRISM = 802 => "ieee802.11/prism",
        ARPHRD_IEEE80211_RADIOTAP = 803 => "ieee802.11/radiotap",
        ARPHRD_IEEE802154 = 804 => "ieee802.15.4",
        ARPHRD_IEEE802154_MONITOR = 805 => "ieee802.15.4/monitor",
        ARPHRD_PHONET = 820 => "phonet", ARPHRD_PHONET_PIPE = 821 => "phonet_pipe",
        ARPHRD_CAIF = 822 => "caif", ARPHRD_IP6GRE = 823 => "gre6",
        ARPHRD_NETLINK = 824 => "netlink", ARPHRD_6LOWPAN = 825 => "6lowpan",
        ARPHRD_VSOCKMON = 826 => "vsockmon", ARPHRD_NONE = 0xfffe => "none",
        ARPHRD_VOID = 0xffff => "void",
    }
}
names! {
    /// Address flags (`IFA_F_*`), as `ip` prints them.
    ADDR_FLAGS: u32 {
        IFA_F_SECONDARY = 0x01 => "secondary", IFA_F_NODAD = 0x02 => "nodad",
        IFA_F_OPTIMISTIC = 0x04 => "optimistic", IFA_F_DADFAILED = 0x08 => "dadfailed",
        IFA_F_HOMEADDRESS = 0x10 => "home", IFA_F_DEPRECATED = 0x20 => "deprecated",
        IFA_F_TENTATIVE = 0x40 => "tentative", IFA_F_PERMANENT = 0x80 => "permanent",
        IFA_F_MANAGETEMPADDR = 0x100 => "mngtmpaddr", IFA_F_NOPREFIXROUTE = 0x200 => "noprefixroute",
        IFA_F_MCAUTOJOIN = 0x400 => "autojoin", IFA_F_STABLE_PRIVACY = 0x800 => "stable-privacy",
    }
}
/// `IFA_F_TEMPORARY`: the same bit as `IFA_F_SECONDARY`, used for IPv6.
pub const IFA_F_TEMPORARY: u32 = IFA_F_SECONDARY;

names! {
    /// Neighbour states (`NUD_*`), as `ip` prints them.
    NEIGH_STATES: u16 {
        NUD_INCOMPLETE = 0x01 => "INCOMPLETE", NUD_REACHABLE = 0x02 => "REACHABLE",
        NUD_STALE = 0x04 => "STALE", NUD_DELAY = 0x08 => "DELAY", NUD_PROBE = 0x10 => "PROBE",
        NUD_FAILED = 0x20 => "FAILED", NUD_NOARP = 0x40 => "NOARP",
        NUD_PERMANENT = 0x80 => "PERMANENT",
    }
}
names! {
    /// Neighbour flags (`NTF_*`), as `ip` prints them.
    NEIGH_FLAGS: u8 {
        NTF_USE = 0x01 => "use", NTF_SELF = 0x02 => "self", NTF_MASTER = 0x04 => "master",
        NTF_PROXY = 0x08 => "proxy", NTF_EXT_LEARNED = 0x10 => "extern_learn",
        NTF_OFFLOADED = 0x20 => "offload", NTF_STICKY = 0x40 => "sticky",
        NTF_ROUTER = 0x80 => "router",
    }
}
names! {
    /// Rule actions (`FR_ACT_*`).
    RULE_ACTIONS: u8 {
        FR_ACT_UNSPEC = 0 => "unspec", FR_ACT_TO_TBL = 1 => "to_tbl", FR_ACT_GOTO = 2 => "goto",
        FR_ACT_NOP = 3 => "nop", FR_ACT_BLACKHOLE = 6 => "blackhole",
        FR_ACT_UNREACHABLE = 7 => "unreachable", FR_ACT_PROHIBIT = 8 => "prohibit",
    }
}
names! {
    /// Next-hop flags (`RTNH_F_*`), in the order `ip route` prints them.
    NEXTHOP_FLAGS: u8 {
        RTNH_F_DEAD = 0x01 => "dead", RTNH_F_ONLINK = 0x04 => "onlink",
        RTNH_F_PERVASIVE = 0x02 => "pervasive", RTNH_F_OFFLOAD = 0x08 => "offload",
        RTNH_F_TRAP = 0x40 => "trap", RTNH_F_LINKDOWN = 0x10 => "linkdown",
        RTNH_F_UNRESOLVED = 0x20 => "unresolved",
    }
}
names! {
    /// Route message flags (`RTM_F_*`) that `ip` prints, in its order.
    ROUTE_FLAGS: u32 {
        RTM_F_CLONED = 0x200 => "cloned", RTM_F_OFFLOAD = 0x4000 => "offload",
        RTM_F_TRAP = 0x8000 => "trap", RTM_F_OFFLOAD_FAILED = 0x2000_0000 => "offload_failed",
    }
}
names! {
    /// Route preference (RTA_PREF / `ICMPV6_ROUTER_PREF_*`).
    ROUTE_PREFS: u8 {
        ICMPV6_ROUTER_PREF_MEDIUM = 0 => "medium", ICMPV6_ROUTER_PREF_HIGH = 1 => "high",
        ICMPV6_ROUTER_PREF_LOW = 3 => "low",
    }
}
names! {
    /// Metric names for RTA_METRICS (`RTAX_*` from the route table), as `ip` prints them.
    METRIC_NAMES: u16 {
        RTAX_LOCK => "lock", RTAX_MTU => "mtu", RTAX_WINDOW => "window", RTAX_RTT => "rtt",
        RTAX_RTTVAR => "rttvar", RTAX_SSTHRESH => "ssthresh", RTAX_CWND => "cwnd",
        RTAX_ADVMSS => "advmss", RTAX_REORDERING => "reordering", RTAX_HOPLIMIT => "hoplimit",
        RTAX_INITCWND => "initcwnd", RTAX_FEATURES => "features", RTAX_RTO_MIN => "rto_min",
        RTAX_INITRWND => "initrwnd", RTAX_QUICKACK => "quickack", RTAX_CC_ALGO => "congctl",
        RTAX_FASTOPEN_NO_COOKIE => "fastopen_no_cookie",
    }
}
