//! Platforms without a backend yet: opening fails with a clear error.

use std::io;

use super::Recv;

/// A transport that cannot be opened.
#[derive(Debug)]
pub struct Socket {
    _private: (),
}

impl Socket {
    /// The platform name used in messages.
    pub fn platform() -> &'static str {
        std::env::consts::OS
    }
    /// Always fails: no backend on this platform yet.
    pub fn open() -> io::Result<Socket> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("rtnl has no backend for {} yet", std::env::consts::OS),
        ))
    }
    /// Unreachable: no socket can exist.
    pub fn send(&mut self, _bytes: &[u8]) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }
    /// Unreachable: no socket can exist.
    pub fn recv(&mut self, _buf: &mut Vec<u8>) -> io::Result<Recv> {
        Err(io::ErrorKind::Unsupported.into())
    }
    /// Unreachable: no socket can exist.
    pub fn try_recv(&mut self, _buf: &mut Vec<u8>) -> io::Result<Option<Recv>> {
        Err(io::ErrorKind::Unsupported.into())
    }
    /// Unreachable: no socket can exist.
    pub fn emulator(&self) -> Option<&'static str> {
        None
    }
    /// Unreachable: no socket can exist.
    pub fn port_id(&self) -> u32 {
        0
    }
    /// Unreachable: no socket can exist.
    pub fn bind(&mut self, _groups: crate::Groups, _capacity: usize) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }
}
