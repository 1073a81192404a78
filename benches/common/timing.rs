//! Timing shared by the benchmarks: under `cargo bench` each measurement runs for its budget;
//! under `cargo test --all-targets` it runs once, as a smoke test.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// True under `cargo bench`.
pub fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Runs `f` repeatedly for about `budget` (once when not measuring) and returns (iterations,
/// seconds).
pub fn time(budget: Duration, mut f: impl FnMut()) -> (u64, f64) {
    let budget = if measuring() { budget } else { Duration::ZERO };
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < budget || n < 1 {
        f();
        n += 1;
    }
    (n, start.elapsed().as_secs_f64())
}
