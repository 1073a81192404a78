//! The protocols that open or prove a chip (ICAO Doc 9303-11), each in one file holding both the
//! terminal and the chip role.

pub mod aa;
pub mod bac;
pub mod ca;
pub mod cvc;
pub mod oids;
pub mod pace;
pub mod ta;

use crate::error::{Error, Result};

/// Fills `buf` from the operating system's random number generator.
pub fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::Transport(format!("no randomness from the OS: {e}")))
}
