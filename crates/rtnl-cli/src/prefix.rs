//! Prefixes given as selectors on the command line, read and matched the
//! way iproute2 reads them (`get_prefix`, `inet_addr_match`): `route show
//! root 10/8`, `addr show to 10.0.0.0/8`, `neigh show to ...`.

use std::net::IpAddr;

use crate::ctx::CliError;
use crate::names::{AF_INET, AF_INET6};
use crate::setter::wrong;

/// A prefix selector as `ip` reads one (`get_prefix`): `family` 0 when it
/// names none (`default` without `-4`/`-6`), `addr` `None` for the zero
/// address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sel {
    family: u8,
    addr: Option<IpAddr>,
    bits: u8,
}

impl Sel {
    /// Reads `ADDR[/LEN]`, `default`, `all` or `any`; `family` is the one
    /// `-4`/`-6` asked for (0: any). `all`/`any` without a family select
    /// nothing and read as `None`.
    pub(crate) fn parse(key: &str, s: &str, family: u8) -> Result<Option<Sel>, CliError> {
        // `-0` (and `link show`, which lists link-layer addresses only):
        // `ip` refuses any prefix there.
        if !matches!(family, 0 | AF_INET | AF_INET6) {
            return Err(wrong(
                s,
                &format!("\"{key}\" takes an IP prefix, which this listing's family has not"),
            ));
        }
        match s {
            "default" => Ok(Some(Sel {
                family,
                addr: None,
                bits: 0,
            })),
            "all" | "any" if family == 0 => Ok(None),
            "all" | "any" => Ok(Some(Sel {
                family,
                addr: None,
                bits: 0,
            })),
            _ => {
                let bad = || wrong(s, &format!("\"{key}\" needs a prefix (ADDR[/LEN])"));
                let (a, len) = match s.split_once('/') {
                    Some((a, l)) => (a, Some(l)),
                    None => (s, None),
                };
                let addr: IpAddr = a.parse().ok().or_else(|| short_ipv4(a)).ok_or_else(bad)?;
                let (af, max) = match addr {
                    IpAddr::V4(_) => (AF_INET, 32),
                    IpAddr::V6(_) => (AF_INET6, 128),
                };
                if family != 0 && family != af {
                    return Err(wrong(s, "the address family differs from -4/-6"));
                }
                let bits = match len {
                    Some(l) => l.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(bad)?,
                    None => max,
                };
                Ok(Some(Sel {
                    family: af,
                    addr: Some(addr),
                    bits,
                }))
            }
        }
    }

    /// True when it names one whole address (`ip` then leaves the field
    /// it selects on out of each line).
    pub(crate) fn is_host(&self) -> bool {
        match self.family {
            AF_INET => self.bits == 32,
            AF_INET6 => self.bits == 128,
            _ => false,
        }
    }

    /// The family it names (0: none).
    pub(crate) fn family(&self) -> u8 {
        self.family
    }

    /// Its prefix length.
    pub(crate) fn bits(&self) -> u8 {
        self.bits
    }

    pub(crate) fn family_ok(&self, family: u8) -> bool {
        self.family == 0 || self.family == family
    }

    /// `root`: routes inside this prefix (as long or longer).
    pub(crate) fn root(&self, family: u8, addr: Option<IpAddr>, len: u8) -> bool {
        self.family_ok(family) && self.bits <= len && same_bits(addr, self.addr, self.bits)
    }

    /// `match`: routes that cover this prefix (as long or shorter).
    pub(crate) fn covers(&self, family: u8, addr: Option<IpAddr>, len: u8) -> bool {
        self.family_ok(family) && self.bits >= len && same_bits(addr, self.addr, len)
    }

    /// A plain address: routes whose address starts with this prefix.
    pub(crate) fn holds(&self, family: u8, addr: Option<IpAddr>) -> bool {
        self.family_ok(family) && same_bits(addr, self.addr, self.bits)
    }
}

/// An IPv4 address as iproute2's `get_addr_ipv4` reads it: one to four
/// parts, the missing ones 0 (`10/8`, `10.1/16`), each part a C number
/// (`0x` hex, a leading `0` octal).
pub(crate) fn short_ipv4(s: &str) -> Option<IpAddr> {
    let mut octets = [0u8; 4];
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    for (o, p) in octets.iter_mut().zip(&parts) {
        let v = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            u32::from_str_radix(h, 16).ok()?
        } else if p.len() > 1 && p.starts_with('0') {
            u32::from_str_radix(&p[1..], 8).ok()?
        } else {
            p.parse::<u32>().ok()?
        };
        *o = u8::try_from(v).ok()?;
    }
    Some(IpAddr::from(octets))
}

/// True when the first `bits` bits of `a` and `b` agree (an absent
/// address is all zeros, as in iproute2's zeroed `inet_prefix`).
pub(crate) fn same_bits(a: Option<IpAddr>, b: Option<IpAddr>, bits: u8) -> bool {
    let bytes = |x: Option<IpAddr>| -> [u8; 16] {
        let mut o = [0; 16];
        match x {
            Some(IpAddr::V4(v)) => o[..4].copy_from_slice(&v.octets()),
            Some(IpAddr::V6(v)) => o = v.octets(),
            None => {}
        }
        o
    };
    let (a, b) = (bytes(a), bytes(b));
    let bits = usize::from(bits).min(128);
    let (whole, rest) = (bits / 8, bits % 8);
    a[..whole] == b[..whole] && (rest == 0 || (a[whole] ^ b[whole]) >> (8 - rest) == 0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A selector that must parse.
    pub(crate) fn sel(s: &str, family: u8) -> Sel {
        Sel::parse("to", s, family).unwrap().unwrap()
    }
    /// An address that must parse.
    pub(crate) fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn prefixes_read_as_ip_reads_them() {
        assert_eq!(sel("10.1.0.0/16", 0).bits, 16);
        assert_eq!(sel("10.1.2.3", 0).bits, 32);
        assert!(sel("10.1.2.3", 0).is_host());
        assert_eq!(sel("2001:db8::/32", 0).family, AF_INET6);
        assert_eq!(sel("default", AF_INET6).family, AF_INET6);
        assert_eq!(Sel::parse("to", "all", 0).unwrap(), None);
        // iproute2's short IPv4 forms.
        assert_eq!(sel("10/8", 0), sel("10.0.0.0/8", 0));
        assert_eq!(sel("10.1/16", 0), sel("10.1.0.0/16", 0));
        assert_eq!(sel("0x0a.010/16", 0), sel("10.8.0.0/16", 0));
        assert_eq!(sel("any", AF_INET).family, AF_INET);
        for bad in [
            "10.1.0.0/33",
            "10.1.0.0/x",
            "nonsense",
            "2001:db8::/129",
            "10.1.2.3.4",
            "10.256/16",
            "10..1",
        ] {
            let e = Sel::parse("to", bad, 0).unwrap_err();
            assert!(e.msg.contains(bad), "{}", e.msg);
        }
        assert!(Sel::parse("to", "10.0.0.0/8", AF_INET6).is_err());
        // A link-layer listing (`-0`, `link show`) takes no prefix.
        assert!(Sel::parse("to", "default", 17).is_err());
    }

    #[test]
    fn bits_compare_inside_a_byte() {
        assert!(same_bits(ip("10.0.0.0"), ip("10.0.0.127"), 25));
        assert!(!same_bits(ip("10.0.0.0"), ip("10.0.0.128"), 25));
        assert!(same_bits(ip("10.0.0.0"), ip("11.0.0.0"), 7));
        assert!(!same_bits(ip("10.0.0.0"), ip("11.0.0.0"), 8));
        assert!(same_bits(None, ip("0.0.0.0"), 32));
        assert!(same_bits(ip("2001:db8::1"), ip("2001:db8::2"), 126));
        assert!(!same_bits(ip("2001:db8::1"), ip("2001:db8::2"), 127));
    }
}
