//! Fault injection for tests: a transport wrapper that flips a bit in the Nth command or
//! response, or behaves as if the card were pulled out after N APDUs.

use super::Transport;
use crate::error::{Error, Result};

/// What to break, counted in APDUs sent through the wrapper (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Flip the lowest bit of byte `byte` (from the end if it is past the end) of command `n`.
    CorruptCommand {
        /// Which APDU.
        n: u64,
        /// Which byte, counted from the end of the APDU.
        byte_from_end: usize,
    },
    /// Flip a bit of the response to command `n`, `byte_from_end` bytes before its end.
    CorruptResponse {
        /// Which APDU.
        n: u64,
        /// Which byte, counted from the end of the response.
        byte_from_end: usize,
    },
    /// Every APDU from `n` on fails as if the card had been removed.
    RemoveCardAt {
        /// First APDU that fails.
        n: u64,
    },
}

/// A transport that injects one fault.
pub struct Faulty<T: Transport> {
    inner: T,
    fault: Fault,
    sent: u64,
}

impl<T: Transport> Faulty<T> {
    /// Wraps `inner` with `fault`.
    pub fn new(inner: T, fault: Fault) -> Self {
        Faulty {
            inner,
            fault,
            sent: 0,
        }
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }
}

fn flip(bytes: &mut [u8], from_end: usize) {
    let len = bytes.len();
    if len > 0 {
        let i = len - 1 - from_end.min(len - 1);
        bytes[i] ^= 0x01;
    }
}

impl<T: Transport> Transport for Faulty<T> {
    fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
        let n = self.sent;
        self.sent += 1;
        match self.fault {
            Fault::RemoveCardAt { n: at } if n >= at => Err(Error::CardRemoved),
            Fault::CorruptCommand {
                n: at,
                byte_from_end,
            } if n == at => {
                let mut bad = apdu.to_vec();
                flip(&mut bad, byte_from_end);
                self.inner.transmit_raw(&bad)
            }
            Fault::CorruptResponse {
                n: at,
                byte_from_end,
            } if n == at => {
                let mut resp = self.inner.transmit_raw(apdu)?;
                flip(&mut resp, byte_from_end);
                Ok(resp)
            }
            _ => self.inner.transmit_raw(apdu),
        }
    }

    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }

    fn describe(&self) -> String {
        format!("{} (with injected fault)", self.inner.describe())
    }
}
