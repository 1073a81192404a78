//! Randomness from the operating system (base layer): nonces, challenges, session keys and
//! ephemeral keys all come from here.

use crate::error::{Error, Result};

/// Fills `buf` from the operating system's random number generator.
pub fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::Transport(format!("no randomness from the OS: {e}")))
}
