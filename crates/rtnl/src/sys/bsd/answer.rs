//! The request path of the BSD emulator, minus the system calls: find the
//! dumps a request needs ([`plan::sources`]), read them through a
//! [`Dumper`] (sysctl(3) on the host, byte fixtures in tests), translate
//! them with a [`Translator`] of the flavour, and let
//! [`rtnl_wire::emulate::emulate`] answer exactly as Linux would.

use std::io;

use rtnl_pfroute::{Flavor, Translator};
use rtnl_wire::Message;

use super::plan::{self, Source, Table};

/// Where routing dumps come from.
pub(crate) trait Dumper {
    /// The bytes of the sysctl dump `mib`; `Ok(None)` when the table it
    /// names does not exist (a FreeBSD fib or OpenBSD rtable out of range).
    fn dump(&mut self, mib: &[i32]) -> io::Result<Option<Vec<u8>>>;
    /// How many FreeBSD fibs there are (`net.fibs`).
    fn fibs(&mut self) -> io::Result<u32>;
}

/// The translated objects the dumps in `sources` hold, in dump order.
pub(crate) fn snapshot(
    flavor: Flavor,
    sources: &[Source],
    dumper: &mut dyn Dumper,
) -> io::Result<Vec<Message>> {
    let mut tr = Translator::new(flavor);
    let mut out = Vec::new();
    for &source in sources {
        // (BSD table for the translator, table in the MIB)
        let tables: Vec<(u32, Option<u32>)> = match source {
            Source::Routes {
                table: Table::One(t),
                ..
            } => {
                if !plan::has_tables(flavor) {
                    continue; // one table only: the others are empty.
                }
                vec![(t, Some(t))]
            }
            Source::Routes {
                table: Table::All, ..
            } if flavor == Flavor::FreeBsd => {
                (0..dumper.fibs()?.max(1)).map(|f| (f, Some(f))).collect()
            }
            // Every rtable id OpenBSD allows; those that do not exist dump
            // as `None` (ENOENT) and are skipped.
            Source::Routes {
                table: Table::All, ..
            } if flavor == Flavor::OpenBsd => (0..=plan::OPENBSD_RT_TABLEID_MAX)
                .map(|t| (t, Some(t)))
                .collect(),
            _ => vec![(0, None)],
        };
        for (bsd_table, mib_table) in tables {
            let Some(buf) = dumper.dump(&plan::mib(flavor, source, mib_table))? else {
                continue;
            };
            tr.set_table(bsd_table);
            out.extend(tr.snapshot(&buf));
        }
    }
    Ok(out)
}

/// The reply datagrams for `request`, as a Linux kernel would send them.
/// Requests that need no data (setters, rule dumps) are answered without
/// a single dump: with the emulator's EOPNOTSUPP.
pub(crate) fn answer(
    flavor: Flavor,
    platform: &str,
    request: &[u8],
    dumper: &mut dyn Dumper,
) -> io::Result<Vec<Vec<u8>>> {
    let sources = plan::sources(request);
    let snap = if sources.is_empty() {
        Vec::new()
    } else {
        snapshot(flavor, &sources, dumper)?
    };
    Ok(rtnl_wire::emulate::emulate(platform, request, &snap))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtnl_wire::netlink::{
        MessageWriter, Messages, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI,
        NLM_F_REQUEST,
    };
    use rtnl_wire::rtm;

    /// A FreeBSD `NET_RT_IFLIST` dump with one `RTM_IFINFO` for `em0`
    /// (index 2, UP|BROADCAST|RUNNING|MULTICAST, link up, MTU 1500) carrying
    /// its `sockaddr_dl`, laid out per the reference (§1.1, §4.3).
    fn freebsd_iflist() -> Vec<u8> {
        let mut sdl = vec![0u8; 8];
        sdl[1] = 18; // AF_LINK
        sdl[2..4].copy_from_slice(&2u16.to_le_bytes());
        sdl[4] = 6; // IFT_ETHER
        sdl[5] = 3; // nlen
        sdl[6] = 6; // alen
        sdl.extend_from_slice(b"em0");
        sdl.extend_from_slice(&[0x02, 0, 0, 0, 0, 0x01]);
        sdl[0] = sdl.len() as u8;
        sdl.resize(24, 0); // SA_SIZE: rounded to 8
        let mut m = vec![0u8; 168];
        m[2] = 5; // RTM_VERSION
        m[3] = 0xe; // RTM_IFINFO
        m[4..8].copy_from_slice(&0x10u32.to_le_bytes()); // RTA_IFP
        m[8..12].copy_from_slice(&(0x1u32 | 0x2 | 0x40 | 0x8000).to_le_bytes());
        m[12..14].copy_from_slice(&2u16.to_le_bytes());
        m[16] = 6; // ifi_type
        m[16 + 2] = 6; // ifi_addrlen
        m[16 + 4] = 2; // LINK_STATE_UP
        m[16 + 8..16 + 12].copy_from_slice(&1500u32.to_le_bytes());
        m.extend(sdl);
        let len = m.len() as u16;
        m[0..2].copy_from_slice(&len.to_le_bytes());
        m
    }

    #[derive(Default)]
    struct Fake {
        asked: Vec<Vec<i32>>,
        fibs: u32,
    }

    impl Dumper for Fake {
        fn dump(&mut self, mib: &[i32]) -> io::Result<Option<Vec<u8>>> {
            self.asked.push(mib.to_vec());
            Ok(match (mib[4], mib.get(6)) {
                (3, _) => Some(freebsd_iflist()),
                (_, Some(&t)) if t >= self.fibs as i32 => None,
                _ => Some(Vec::new()),
            })
        }
        fn fibs(&mut self) -> io::Result<u32> {
            Ok(self.fibs)
        }
    }

    fn request(kind: u16, flags: u16, payload: &[u8]) -> Vec<u8> {
        let mut w = MessageWriter::new();
        let m = w.begin_message(kind, NLM_F_REQUEST | flags, 9, 4242);
        w.put_bytes(payload);
        w.end_message(m);
        w.into_vec()
    }

    fn messages(datagrams: &[Vec<u8>]) -> Vec<(u16, u16, u32, u32, Vec<u8>)> {
        datagrams
            .iter()
            .flat_map(|d| {
                Messages::new(d)
                    .map(|m| {
                        let m = m.unwrap();
                        let h = m.header;
                        (h.kind, h.flags, h.seq, h.pid, m.payload.to_vec())
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn a_link_dump_reads_iflist_and_answers_like_linux() {
        let mut fake = Fake::default();
        let req = request(rtm::RTM_GETLINK, NLM_F_DUMP, &[0; 16]);
        let out = answer(Flavor::FreeBsd, "freebsd", &req, &mut fake).unwrap();
        assert_eq!(fake.asked, vec![vec![4, 17, 0, 0, 3, 0]]);
        let msgs = messages(&out);
        assert_eq!(msgs.len(), 2);
        let (kind, flags, seq, pid, payload) = &msgs[0];
        assert_eq!(
            (*kind, *flags, *seq, *pid),
            (rtm::RTM_NEWLINK, NLM_F_MULTI, 9, 4242)
        );
        let link = rtnl_wire::family::link::LinkView::parse(payload).unwrap();
        assert_eq!(link.hdr.index, 2);
        assert_eq!(link.name(), Some("em0"));
        assert_eq!(msgs[1].0, NLMSG_DONE);
    }

    #[test]
    fn setters_read_nothing_and_get_eopnotsupp() {
        let mut fake = Fake::default();
        let req = request(rtm::RTM_NEWROUTE, NLM_F_ACK, &[2; 12]);
        let out = answer(Flavor::FreeBsd, "freebsd", &req, &mut fake).unwrap();
        assert!(fake.asked.is_empty());
        let msgs = messages(&out);
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].0, NLMSG_ERROR);
        let code = i32::from_ne_bytes(msgs[0].4[..4].try_into().unwrap());
        assert_eq!(code, -rtnl_wire::errno::EOPNOTSUPP);
    }

    #[test]
    fn route_dumps_walk_every_openbsd_rtable_for_table_zero() {
        // rtables 0 and 3 exist; the fake answers `None` for the others.
        struct Rtables(Vec<Vec<i32>>);
        impl Dumper for Rtables {
            fn dump(&mut self, mib: &[i32]) -> io::Result<Option<Vec<u8>>> {
                self.0.push(mib.to_vec());
                Ok(match mib.get(6) {
                    Some(0 | 3) | None => Some(Vec::new()),
                    Some(_) => None,
                })
            }
            fn fibs(&mut self) -> io::Result<u32> {
                unreachable!("fibs are FreeBSD's")
            }
        }
        let mut fake = Rtables(Vec::new());
        let mut rt = vec![0u8; 12];
        rt[0] = 2;
        let req = request(rtm::RTM_GETROUTE, NLM_F_DUMP, &rt);
        let out = answer(Flavor::OpenBsd, "openbsd", &req, &mut fake).unwrap();
        assert_eq!(messages(&out).last().unwrap().0, NLMSG_DONE);
        let tables: Vec<i32> = fake.0.iter().filter_map(|m| m.get(6).copied()).collect();
        assert_eq!(tables, (0..=255).collect::<Vec<i32>>());
        // NetBSD has one table: table 0 reads it once, with no table element.
        fake.0.clear();
        answer(Flavor::NetBsd, "netbsd", &req, &mut fake).unwrap();
        assert!(fake.0.iter().all(|m| m.len() == 6), "{:?}", fake.0);
        assert_eq!(fake.0.iter().filter(|m| m[4] == 1).count(), 1);
    }

    #[test]
    fn route_dumps_walk_every_freebsd_fib_for_table_zero() {
        let mut fake = Fake {
            fibs: 3,
            ..Default::default()
        };
        let mut rt = vec![0u8; 12];
        rt[0] = 2;
        let req = request(rtm::RTM_GETROUTE, NLM_F_DUMP, &rt);
        answer(Flavor::FreeBsd, "freebsd", &req, &mut fake).unwrap();
        assert_eq!(
            fake.asked,
            vec![
                vec![4, 17, 0, 0, 3, 0],
                vec![4, 17, 0, 2, 1, 0, 0],
                vec![4, 17, 0, 2, 1, 0, 1],
                vec![4, 17, 0, 2, 1, 0, 2],
            ]
        );
        // Main: the process's table, no fib element.
        fake.asked.clear();
        rt[4] = 254;
        let req = request(rtm::RTM_GETROUTE, NLM_F_DUMP, &rt);
        answer(Flavor::FreeBsd, "freebsd", &req, &mut fake).unwrap();
        assert_eq!(fake.asked[1], vec![4, 17, 0, 2, 1, 0]);
        // A fib that does not exist: an empty dump, not an error.
        fake.asked.clear();
        rt[4] = 7;
        let req = request(rtm::RTM_GETROUTE, NLM_F_DUMP, &rt);
        let out = answer(Flavor::FreeBsd, "freebsd", &req, &mut fake).unwrap();
        assert_eq!(fake.asked[1], vec![4, 17, 0, 2, 1, 0, 7]);
        assert_eq!(messages(&out).last().unwrap().0, NLMSG_DONE);
        // Darwin has one table: other tables are not even read.
        fake.asked.clear();
        let out = answer(Flavor::Darwin, "macos", &req, &mut fake).unwrap();
        assert_eq!(fake.asked, vec![vec![4, 17, 0, 0, 6, 0]]);
        assert_eq!(messages(&out).last().unwrap().0, NLMSG_DONE);
    }
}
