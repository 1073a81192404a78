//! Running the `dactyl` binary the way a user does, for the command-line tests.

use std::process::{Command, Output};

/// Runs `dactyl` with `args` and waits for it.
pub fn dactyl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(args)
        .output()
        .expect("the dactyl binary runs")
}

/// Its stdout and stderr, one after the other.
#[allow(dead_code)]
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
