//! Links: `struct ifinfomsg` and the IFLA_* tables, including IFLA_LINKINFO
//! with per-kind IFLA_INFO_DATA tables (veth, bridge, vxlan, macvlan).

use crate::attr::{StructSpec, Table};
use crate::attr_table;
use crate::view::{u16_at, u32_at, FixedHeader, View};

/// `struct ifinfomsg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IfInfoMsg {
    /// Address family (AF_UNSPEC, or AF_BRIDGE for bridge port messages).
    pub family: u8,
    /// Device type (`ARPHRD_*`).
    pub kind: u16,
    /// Interface index.
    pub index: i32,
    /// `IFF_*` flags.
    pub flags: u32,
    /// Which flags a SETLINK changes.
    pub change: u32,
}

impl FixedHeader for IfInfoMsg {
    const NAME: &'static str = "ifinfomsg";
    const LEN: usize = 16;
    fn table() -> &'static Table {
        &LINK
    }
    fn decode(b: &[u8]) -> Self {
        IfInfoMsg {
            family: b[0],
            kind: u16_at(b, 2),
            index: u32_at(b, 4) as i32,
            flags: u32_at(b, 8),
            change: u32_at(b, 12),
        }
    }
    fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[self.family, 0]);
        out.extend_from_slice(&self.kind.to_ne_bytes());
        out.extend_from_slice(&self.index.to_ne_bytes());
        out.extend_from_slice(&self.flags.to_ne_bytes());
        out.extend_from_slice(&self.change.to_ne_bytes());
    }
}

const LINK_STATS_FIELDS: &[&str] = &[
    "rx_packets",
    "tx_packets",
    "rx_bytes",
    "tx_bytes",
    "rx_errors",
    "tx_errors",
    "rx_dropped",
    "tx_dropped",
    "multicast",
    "collisions",
    "rx_length_errors",
    "rx_over_errors",
    "rx_crc_errors",
    "rx_frame_errors",
    "rx_fifo_errors",
    "rx_missed_errors",
    "tx_aborted_errors",
    "tx_carrier_errors",
    "tx_fifo_errors",
    "tx_heartbeat_errors",
    "tx_window_errors",
    "rx_compressed",
    "tx_compressed",
    "rx_nohandler",
    "rx_otherhost_dropped",
];

/// `struct rtnl_link_stats64`.
pub static LINK_STATS64: StructSpec = StructSpec {
    name: "rtnl_link_stats64",
    width: 8,
    fields: LINK_STATS_FIELDS,
    big_endian: false,
};
/// `struct rtnl_link_stats` (32-bit counters).
pub static LINK_STATS32: StructSpec = StructSpec {
    name: "rtnl_link_stats",
    width: 4,
    fields: LINK_STATS_FIELDS,
    big_endian: false,
};

attr_table! {
    /// IFLA_* attributes of RTM_*LINK messages.
    pub static LINK = "link" {
        IFLA_ADDRESS = 1 => LinkAddr,
        IFLA_BROADCAST = 2 => LinkAddr,
        IFLA_IFNAME = 3 => Str,
        IFLA_MTU = 4 => U32,
        IFLA_LINK = 5 => U32,
        IFLA_QDISC = 6 => Str,
        IFLA_STATS = 7 => Struct(&LINK_STATS32),
        IFLA_COST = 8 => U32,
        IFLA_PRIORITY = 9 => U32,
        IFLA_MASTER = 10 => U32,
        IFLA_WIRELESS = 11 => Bytes,
        IFLA_PROTINFO = 12 => Bytes,
        IFLA_TXQLEN = 13 => U32,
        IFLA_MAP = 14 => Bytes,
        IFLA_WEIGHT = 15 => U32,
        IFLA_OPERSTATE = 16 => U8,
        IFLA_LINKMODE = 17 => U8,
        IFLA_LINKINFO = 18 => Nested(&LINKINFO),
        IFLA_NET_NS_PID = 19 => U32,
        IFLA_IFALIAS = 20 => Str,
        IFLA_NUM_VF = 21 => U32,
        IFLA_VFINFO_LIST = 22 => Bytes,
        IFLA_STATS64 = 23 => Struct(&LINK_STATS64),
        IFLA_VF_PORTS = 24 => Bytes,
        IFLA_PORT_SELF = 25 => Bytes,
        IFLA_AF_SPEC = 26 => Nested(&af_spec::AF_SPEC),
        IFLA_GROUP = 27 => U32,
        IFLA_NET_NS_FD = 28 => U32,
        IFLA_EXT_MASK = 29 => U32,
        IFLA_PROMISCUITY = 30 => U32,
        IFLA_NUM_TX_QUEUES = 31 => U32,
        IFLA_NUM_RX_QUEUES = 32 => U32,
        IFLA_CARRIER = 33 => U8,
        IFLA_PHYS_PORT_ID = 34 => Bytes,
        IFLA_CARRIER_CHANGES = 35 => U32,
        IFLA_PHYS_SWITCH_ID = 36 => Bytes,
        IFLA_LINK_NETNSID = 37 => S32,
        IFLA_PHYS_PORT_NAME = 38 => Str,
        IFLA_PROTO_DOWN = 39 => U8,
        IFLA_GSO_MAX_SEGS = 40 => U32,
        IFLA_GSO_MAX_SIZE = 41 => U32,
        IFLA_PAD = 42 => Bytes,
        IFLA_XDP = 43 => Nested(&XDP),
        IFLA_EVENT = 44 => U32,
        IFLA_NEW_NETNSID = 45 => S32,
        IFLA_IF_NETNSID = 46 => S32,
        IFLA_CARRIER_UP_COUNT = 47 => U32,
        IFLA_CARRIER_DOWN_COUNT = 48 => U32,
        IFLA_NEW_IFINDEX = 49 => S32,
        IFLA_MIN_MTU = 50 => U32,
        IFLA_MAX_MTU = 51 => U32,
        IFLA_PROP_LIST = 52 => Nested(&prop::PROP_LIST),
        IFLA_ALT_IFNAME = 53 => Str,
        IFLA_PERM_ADDRESS = 54 => LinkAddr,
        IFLA_PROTO_DOWN_REASON = 55 => Bytes,
        IFLA_PARENT_DEV_NAME = 56 => Str,
        IFLA_PARENT_DEV_BUS_NAME = 57 => Str,
        IFLA_GRO_MAX_SIZE = 58 => U32,
        IFLA_TSO_MAX_SIZE = 59 => U32,
        IFLA_TSO_MAX_SEGS = 60 => U32,
        IFLA_ALLMULTI = 61 => U32,
        IFLA_DEVLINK_PORT = 62 => Bytes,
        IFLA_GSO_IPV4_MAX_SIZE = 63 => U32,
        IFLA_GRO_IPV4_MAX_SIZE = 64 => U32,
        IFLA_DPLL_PIN = 65 => Bytes,
        IFLA_MAX_PACING_OFFLOAD_HORIZON = 66 => U32,
        IFLA_NETNS_IMMUTABLE = 67 => U8,
        IFLA_HEADROOM = 68 => U16,
        IFLA_TAILROOM = 69 => U16,
    }
}

attr_table! {
    /// IFLA_XDP nest.
    pub static XDP = "xdp" {
        IFLA_XDP_FD = 1 => S32,
        IFLA_XDP_ATTACHED = 2 => U8,
        IFLA_XDP_FLAGS = 3 => U32,
        IFLA_XDP_PROG_ID = 4 => U32,
        IFLA_XDP_DRV_PROG_ID = 5 => U32,
        IFLA_XDP_SKB_PROG_ID = 6 => U32,
        IFLA_XDP_HW_PROG_ID = 7 => U32,
        IFLA_XDP_EXPECTED_FD = 8 => S32,
    }
}

/// IFLA_PROP_LIST holds IFLA_ALT_IFNAME entries, numbered as in the link table.
pub mod prop {
    use crate::attr_table;
    attr_table! {
        /// IFLA_PROP_LIST nest.
        pub static PROP_LIST = "prop_list" {
            IFLA_ALT_IFNAME = 53 => Str,
        }
    }
}

/// IFLA_AF_SPEC: one nest per address family.
pub mod af_spec {
    use crate::attr::StructSpec;
    use crate::attr_table;

    attr_table! {
        /// IFLA_AF_SPEC children, numbered by address family.
        pub static AF_SPEC = "af_spec" {
            AF_INET = 2 => Nested(&INET),
            AF_BRIDGE = 7 => Bytes,
            AF_INET6 = 10 => Nested(&INET6),
            AF_MPLS = 28 => Bytes,
        }
    }
    attr_table! {
        /// AF_INET part of IFLA_AF_SPEC.
        pub static INET = "inet" {
            IFLA_INET_CONF = 1 => Struct(&INET_CONF),
        }
    }
    /// `ipv4_devconf` values, indexed by IPV4_DEVCONF_* minus one.
    pub static INET_CONF: StructSpec = StructSpec {
        name: "ipv4_devconf",
        width: 4,
        fields: &[],
        big_endian: false,
    };
    /// IPv6 `devconf` values.
    pub static INET6_CONF: StructSpec = StructSpec {
        name: "ipv6_devconf",
        width: 4,
        fields: &[],
        big_endian: false,
    };
    /// IPv6 counters.
    pub static INET6_STATS: StructSpec = StructSpec {
        name: "ipstats",
        width: 8,
        fields: &[],
        big_endian: false,
    };
    /// `struct ifla_cacheinfo`.
    pub static INET6_CACHEINFO: StructSpec = StructSpec {
        name: "ifla_cacheinfo",
        width: 4,
        fields: &["max_reasm_len", "tstamp", "reachable_time", "retrans_time"],
        big_endian: false,
    };
    attr_table! {
        /// AF_INET6 part of IFLA_AF_SPEC.
        pub static INET6 = "inet6" {
            IFLA_INET6_FLAGS = 1 => U32,
            IFLA_INET6_CONF = 2 => Struct(&INET6_CONF),
            IFLA_INET6_STATS = 3 => Struct(&INET6_STATS),
            IFLA_INET6_MCAST = 4 => Bytes,
            IFLA_INET6_CACHEINFO = 5 => Struct(&INET6_CACHEINFO),
            IFLA_INET6_ICMP6STATS = 6 => Struct(&INET6_STATS),
            IFLA_INET6_TOKEN = 7 => Ip,
            IFLA_INET6_ADDR_GEN_MODE = 8 => U8,
            IFLA_INET6_RA_MTU = 9 => U32,
        }
    }
}

attr_table! {
    /// IFLA_LINKINFO nest.
    pub static LINKINFO = "linkinfo" {
        IFLA_INFO_KIND = 1 => Str,
        IFLA_INFO_DATA = 2 => NestedByKind { kind_attr: IFLA_INFO_KIND, lookup: info_data_table },
        IFLA_INFO_XSTATS = 3 => Bytes,
        IFLA_INFO_SLAVE_KIND = 4 => Str,
        IFLA_INFO_SLAVE_DATA = 5 => NestedByKind { kind_attr: IFLA_INFO_SLAVE_KIND, lookup: info_slave_data_table },
    }
}

/// The IFLA_INFO_DATA table for a link kind.
pub fn info_data_table(kind: &str) -> Option<&'static Table> {
    Some(match kind {
        "veth" => &VETH,
        "vxlan" => &VXLAN,
        "macvlan" | "macvtap" => &MACVLAN,
        "bridge" => &BRIDGE,
        _ => return None,
    })
}

/// The IFLA_INFO_SLAVE_DATA table for a port kind.
pub fn info_slave_data_table(kind: &str) -> Option<&'static Table> {
    Some(match kind {
        "bridge" => &BRIDGE_PORT,
        _ => return None,
    })
}

attr_table! {
    /// veth IFLA_INFO_DATA: the peer is an `ifinfomsg` plus IFLA_* attributes,
    /// kept as bytes (see [`crate::family::link::IfInfoMsg`]).
    pub static VETH = "veth" {
        VETH_INFO_PEER = 1 => Bytes,
    }
}

attr_table! {
    /// macvlan / macvtap IFLA_INFO_DATA.
    pub static MACVLAN = "macvlan" {
        IFLA_MACVLAN_MODE = 1 => U32,
        IFLA_MACVLAN_FLAGS = 2 => U16,
        IFLA_MACVLAN_MACADDR_MODE = 3 => U32,
        IFLA_MACVLAN_MACADDR = 4 => LinkAddr,
        IFLA_MACVLAN_MACADDR_DATA = 5 => Bytes,
        IFLA_MACVLAN_MACADDR_COUNT = 6 => U32,
        IFLA_MACVLAN_BC_QUEUE_LEN = 7 => U32,
        IFLA_MACVLAN_BC_QUEUE_LEN_USED = 8 => U32,
        IFLA_MACVLAN_BC_CUTOFF = 9 => S32,
    }
}

attr_table! {
    /// vxlan IFLA_INFO_DATA.
    pub static VXLAN = "vxlan" {
        IFLA_VXLAN_ID = 1 => U32,
        IFLA_VXLAN_GROUP = 2 => Ip,
        IFLA_VXLAN_LINK = 3 => U32,
        IFLA_VXLAN_LOCAL = 4 => Ip,
        IFLA_VXLAN_TTL = 5 => U8,
        IFLA_VXLAN_TOS = 6 => U8,
        IFLA_VXLAN_LEARNING = 7 => U8,
        IFLA_VXLAN_AGEING = 8 => U32,
        IFLA_VXLAN_LIMIT = 9 => U32,
        IFLA_VXLAN_PORT_RANGE = 10 => Struct(&VXLAN_PORT_RANGE),
        IFLA_VXLAN_PROXY = 11 => U8,
        IFLA_VXLAN_RSC = 12 => U8,
        IFLA_VXLAN_L2MISS = 13 => U8,
        IFLA_VXLAN_L3MISS = 14 => U8,
        IFLA_VXLAN_PORT = 15 => U16Be,
        IFLA_VXLAN_GROUP6 = 16 => Ip,
        IFLA_VXLAN_LOCAL6 = 17 => Ip,
        IFLA_VXLAN_UDP_CSUM = 18 => U8,
        IFLA_VXLAN_UDP_ZERO_CSUM6_TX = 19 => U8,
        IFLA_VXLAN_UDP_ZERO_CSUM6_RX = 20 => U8,
        IFLA_VXLAN_REMCSUM_TX = 21 => U8,
        IFLA_VXLAN_REMCSUM_RX = 22 => U8,
        IFLA_VXLAN_GBP = 23 => Flag,
        IFLA_VXLAN_REMCSUM_NOPARTIAL = 24 => Flag,
        IFLA_VXLAN_COLLECT_METADATA = 25 => U8,
        IFLA_VXLAN_LABEL = 26 => U32Be,
        IFLA_VXLAN_GPE = 27 => Flag,
        // A flag (no payload) in requests, but dumps carry a u8 0 / 1:
        // decode what the kernel sends. Requests may still emit Value::Flag.
        IFLA_VXLAN_TTL_INHERIT = 28 => U8,
        IFLA_VXLAN_DF = 29 => U8,
        IFLA_VXLAN_VNIFILTER = 30 => U8,
        IFLA_VXLAN_LOCALBYPASS = 31 => U8,
        IFLA_VXLAN_LABEL_POLICY = 32 => U32,
        IFLA_VXLAN_RESERVED_BITS = 33 => Bytes,
    }
}

/// `struct ifla_vxlan_port_range { __be16 low, high; }`.
pub static VXLAN_PORT_RANGE: StructSpec = StructSpec {
    name: "ifla_vxlan_port_range",
    width: 2,
    fields: &["low", "high"],
    big_endian: true,
};

/// `struct br_boolopt_multi { u32 optval; u32 optmask; }`.
pub static BR_BOOLOPT_MULTI: StructSpec = StructSpec {
    name: "br_boolopt_multi",
    width: 4,
    fields: &["optval", "optmask"],
    big_endian: false,
};

attr_table! {
    /// bridge IFLA_INFO_DATA.
    pub static BRIDGE = "bridge" {
        IFLA_BR_FORWARD_DELAY = 1 => U32,
        IFLA_BR_HELLO_TIME = 2 => U32,
        IFLA_BR_MAX_AGE = 3 => U32,
        IFLA_BR_AGEING_TIME = 4 => U32,
        IFLA_BR_STP_STATE = 5 => U32,
        IFLA_BR_PRIORITY = 6 => U16,
        IFLA_BR_VLAN_FILTERING = 7 => U8,
        IFLA_BR_VLAN_PROTOCOL = 8 => U16Be,
        IFLA_BR_GROUP_FWD_MASK = 9 => U16,
        IFLA_BR_ROOT_ID = 10 => Bytes,
        IFLA_BR_BRIDGE_ID = 11 => Bytes,
        IFLA_BR_ROOT_PORT = 12 => U16,
        IFLA_BR_ROOT_PATH_COST = 13 => U32,
        IFLA_BR_TOPOLOGY_CHANGE = 14 => U8,
        IFLA_BR_TOPOLOGY_CHANGE_DETECTED = 15 => U8,
        IFLA_BR_HELLO_TIMER = 16 => U64,
        IFLA_BR_TCN_TIMER = 17 => U64,
        IFLA_BR_TOPOLOGY_CHANGE_TIMER = 18 => U64,
        IFLA_BR_GC_TIMER = 19 => U64,
        IFLA_BR_GROUP_ADDR = 20 => LinkAddr,
        IFLA_BR_FDB_FLUSH = 21 => Flag,
        IFLA_BR_MCAST_ROUTER = 22 => U8,
        IFLA_BR_MCAST_SNOOPING = 23 => U8,
        IFLA_BR_MCAST_QUERY_USE_IFADDR = 24 => U8,
        IFLA_BR_MCAST_QUERIER = 25 => U8,
        IFLA_BR_MCAST_HASH_ELASTICITY = 26 => U32,
        IFLA_BR_MCAST_HASH_MAX = 27 => U32,
        IFLA_BR_MCAST_LAST_MEMBER_CNT = 28 => U32,
        IFLA_BR_MCAST_STARTUP_QUERY_CNT = 29 => U32,
        IFLA_BR_MCAST_LAST_MEMBER_INTVL = 30 => U64,
        IFLA_BR_MCAST_MEMBERSHIP_INTVL = 31 => U64,
        IFLA_BR_MCAST_QUERIER_INTVL = 32 => U64,
        IFLA_BR_MCAST_QUERY_INTVL = 33 => U64,
        IFLA_BR_MCAST_QUERY_RESPONSE_INTVL = 34 => U64,
        IFLA_BR_MCAST_STARTUP_QUERY_INTVL = 35 => U64,
        IFLA_BR_NF_CALL_IPTABLES = 36 => U8,
        IFLA_BR_NF_CALL_IP6TABLES = 37 => U8,
        IFLA_BR_NF_CALL_ARPTABLES = 38 => U8,
        IFLA_BR_VLAN_DEFAULT_PVID = 39 => U16,
        IFLA_BR_PAD = 40 => Bytes,
        IFLA_BR_VLAN_STATS_ENABLED = 41 => U8,
        IFLA_BR_MCAST_STATS_ENABLED = 42 => U8,
        IFLA_BR_MCAST_IGMP_VERSION = 43 => U8,
        IFLA_BR_MCAST_MLD_VERSION = 44 => U8,
        IFLA_BR_VLAN_STATS_PER_PORT = 45 => U8,
        IFLA_BR_MULTI_BOOLOPT = 46 => Struct(&BR_BOOLOPT_MULTI),
        IFLA_BR_MCAST_QUERIER_STATE = 47 => Bytes,
        IFLA_BR_FDB_N_LEARNED = 48 => U32,
        IFLA_BR_FDB_MAX_LEARNED = 49 => U32,
    }
}

attr_table! {
    /// bridge port IFLA_INFO_SLAVE_DATA.
    pub static BRIDGE_PORT = "bridge_slave" {
        IFLA_BRPORT_STATE = 1 => U8,
        IFLA_BRPORT_PRIORITY = 2 => U16,
        IFLA_BRPORT_COST = 3 => U32,
        IFLA_BRPORT_MODE = 4 => U8,
        IFLA_BRPORT_GUARD = 5 => U8,
        IFLA_BRPORT_PROTECT = 6 => U8,
        IFLA_BRPORT_FAST_LEAVE = 7 => U8,
        IFLA_BRPORT_LEARNING = 8 => U8,
        IFLA_BRPORT_UNICAST_FLOOD = 9 => U8,
        IFLA_BRPORT_PROXYARP = 10 => U8,
        IFLA_BRPORT_LEARNING_SYNC = 11 => U8,
        IFLA_BRPORT_PROXYARP_WIFI = 12 => U8,
        IFLA_BRPORT_ROOT_ID = 13 => Bytes,
        IFLA_BRPORT_BRIDGE_ID = 14 => Bytes,
        IFLA_BRPORT_DESIGNATED_PORT = 15 => U16,
        IFLA_BRPORT_DESIGNATED_COST = 16 => U16,
        IFLA_BRPORT_ID = 17 => U16,
        IFLA_BRPORT_NO = 18 => U16,
        IFLA_BRPORT_TOPOLOGY_CHANGE_ACK = 19 => U8,
        IFLA_BRPORT_CONFIG_PENDING = 20 => U8,
        IFLA_BRPORT_MESSAGE_AGE_TIMER = 21 => U64,
        IFLA_BRPORT_FORWARD_DELAY_TIMER = 22 => U64,
        IFLA_BRPORT_HOLD_TIMER = 23 => U64,
        IFLA_BRPORT_FLUSH = 24 => Flag,
        IFLA_BRPORT_MULTICAST_ROUTER = 25 => U8,
        IFLA_BRPORT_PAD = 26 => Bytes,
        IFLA_BRPORT_MCAST_FLOOD = 27 => U8,
        IFLA_BRPORT_MCAST_TO_UCAST = 28 => U8,
        IFLA_BRPORT_VLAN_TUNNEL = 29 => U8,
        IFLA_BRPORT_BCAST_FLOOD = 30 => U8,
        IFLA_BRPORT_GROUP_FWD_MASK = 31 => U16,
        IFLA_BRPORT_NEIGH_SUPPRESS = 32 => U8,
        IFLA_BRPORT_ISOLATED = 33 => U8,
        IFLA_BRPORT_BACKUP_PORT = 34 => U32,
        IFLA_BRPORT_MRP_RING_OPEN = 35 => U8,
        IFLA_BRPORT_MRP_IN_OPEN = 36 => U8,
        IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT = 37 => U32,
        IFLA_BRPORT_MCAST_EHT_HOSTS_CNT = 38 => U32,
        IFLA_BRPORT_LOCKED = 39 => U8,
        IFLA_BRPORT_MAB = 40 => U8,
        IFLA_BRPORT_MCAST_N_GROUPS = 41 => U32,
        IFLA_BRPORT_MCAST_MAX_GROUPS = 42 => U32,
        IFLA_BRPORT_NEIGH_VLAN_SUPPRESS = 43 => U8,
        IFLA_BRPORT_BACKUP_NHID = 44 => U32,
    }
}

/// A link message borrowed from a buffer.
pub type LinkView<'a> = View<'a, IfInfoMsg>;

impl<'a> LinkView<'a> {
    /// Interface index.
    pub fn index(&self) -> i32 {
        self.hdr.index
    }
    /// IFLA_IFNAME.
    pub fn name(&self) -> Option<&'a str> {
        self.attr(IFLA_IFNAME)?.str()
    }
    /// IFLA_MTU.
    pub fn mtu(&self) -> Option<u32> {
        self.attr(IFLA_MTU)?.u32()
    }
    /// IFLA_ADDRESS (hardware address).
    pub fn address(&self) -> Option<&'a [u8]> {
        self.attr(IFLA_ADDRESS).map(|a| a.payload())
    }
    /// IFLA_MASTER.
    pub fn master(&self) -> Option<u32> {
        self.attr(IFLA_MASTER)?.u32()
    }
    /// IFLA_LINK.
    pub fn link(&self) -> Option<u32> {
        self.attr(IFLA_LINK)?.u32()
    }
    /// IFLA_OPERSTATE.
    pub fn operstate(&self) -> Option<u8> {
        self.attr(IFLA_OPERSTATE)?.u8()
    }
    /// IFLA_LINKINFO / IFLA_INFO_KIND (`veth`, `bridge` ...).
    pub fn kind(&self) -> Option<&'a str> {
        self.attr(IFLA_LINKINFO)?
            .nested()
            .map_while(Result::ok)
            .find(|a| a.kind() == IFLA_INFO_KIND)?
            .str()
    }
}
