//! The emulator's reply queue: the datagrams `emulate()` produced for the
//! requests sent, handed out one by one, with a descriptor that is readable
//! exactly while one is waiting (the monitor machinery's
//! [`Signal`](crate::sys::signal::Signal): a pipe on the BSDs), so that
//! poll/select see replies as they see a netlink socket's.

use std::collections::VecDeque;
use std::io;

use crate::sys::signal::Signal;

/// Datagrams waiting to be received, oldest first.
#[derive(Debug)]
pub(crate) struct Replies {
    items: VecDeque<Vec<u8>>,
    signal: Signal,
}

impl Replies {
    /// An empty queue; its descriptor is not readable.
    pub(crate) fn new() -> io::Result<Replies> {
        Ok(Replies {
            items: VecDeque::new(),
            signal: Signal::new()?,
        })
    }

    /// Queues datagrams after those waiting.
    pub(crate) fn extend(&mut self, datagrams: impl IntoIterator<Item = Vec<u8>>) {
        self.items.extend(datagrams);
        self.refresh();
    }

    /// The oldest datagram, if any.
    pub(crate) fn pop(&mut self) -> Option<Vec<u8>> {
        let d = self.items.pop_front();
        self.refresh();
        d
    }

    /// How many datagrams wait.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The descriptor poll/select watch.
    #[cfg(unix)]
    pub(crate) fn fd(&self) -> std::os::fd::RawFd {
        self.signal.as_raw_fd()
    }

    fn refresh(&mut self) {
        if self.items.is_empty() {
            self.signal.clear();
        } else {
            self.signal.set();
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::sys::signal::wait_readable;

    #[test]
    fn fifo_and_readable_exactly_while_something_waits() {
        let mut q = Replies::new().unwrap();
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![false]);
        assert!(q.pop().is_none());
        q.extend(vec![vec![1], vec![2]]);
        assert_eq!(q.len(), 2);
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![true]);
        assert_eq!(q.pop(), Some(vec![1]));
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![true]);
        q.extend(vec![vec![3]]);
        assert_eq!(q.pop(), Some(vec![2]));
        assert_eq!(q.pop(), Some(vec![3]));
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![false]);
        assert!(q.pop().is_none());
        q.extend(Vec::new());
        assert_eq!(wait_readable(&[q.fd()], 0).unwrap(), vec![false]);
    }
}
