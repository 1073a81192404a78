//! A chip's defence against guessing the BAC keys or the PACE password (ICAO Doc 9303-11
//! clause 4.3.4 and BSI TR-03110-2 recommend slowing down a terminal that fails): after each
//! failed BAC mutual authentication or PACE token check the chip answers later, the delay
//! doubling with every further failure up to a cap; a successful authentication resets it.

use std::time::Duration;

/// The longest the chip ever waits before answering.
pub const MAX_DELAY: Duration = Duration::from_secs(10);

/// The failure counter and the delay it imposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuessDefence {
    base: Duration,
    failures: u32,
}

impl GuessDefence {
    /// A defence that waits `base` after the first failure, twice that after the second, ...
    pub fn new(base: Duration) -> Self {
        GuessDefence { base, failures: 0 }
    }

    /// The delay the next failure will cost.
    pub fn next_delay(&self) -> Duration {
        let factor = 1u32.checked_shl(self.failures.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(MAX_DELAY)
    }

    /// Records a failure and waits; returns how long.
    pub fn failed(&mut self) -> Duration {
        let delay = self.next_delay();
        self.failures = self.failures.saturating_add(1);
        std::thread::sleep(delay);
        delay
    }

    /// A successful authentication: the counter starts again.
    pub fn succeeded(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_up_to_the_cap_and_resets() {
        let mut d = GuessDefence::new(Duration::from_millis(1));
        assert_eq!(d.failed(), Duration::from_millis(1));
        assert_eq!(d.failed(), Duration::from_millis(2));
        assert_eq!(d.next_delay(), Duration::from_millis(4));
        d.succeeded();
        assert_eq!(d.next_delay(), Duration::from_millis(1));
        let many = GuessDefence {
            base: Duration::from_millis(1),
            failures: 40,
        };
        assert_eq!(many.next_delay(), MAX_DELAY);
    }
}
