//! Running the independent Python terminals of `tests/independent/` (written from the
//! standards without dactyl's code) from Rust tests: Debian's `/usr/bin/python3` with pyscard and
//! `cryptography`; with `CI` set a missing interpreter or module fails the test instead of
//! skipping it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PYTHON: &str = "/usr/bin/python3";

/// The crate's root folder.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// True when Debian's python3 with pyscard and cryptography is there; otherwise fails in CI
/// and skips (with a message) elsewhere.
pub fn require_python() -> bool {
    let probe = Command::new(PYTHON)
        .args(["-c", "import smartcard.System, cryptography"])
        .output();
    let why = match probe {
        Ok(out) if out.status.success() => return true,
        Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_string(),
        Err(e) => format!("cannot run {PYTHON}: {e}"),
    };
    if std::env::var("CI").is_ok_and(|v| !v.is_empty()) {
        panic!(
            "{PYTHON} with pyscard and cryptography is required in CI ({why}); \
             .ci/run installs python3-pyscard and python3-cryptography"
        );
    }
    eprintln!("skipping: {PYTHON} lacks pyscard/cryptography ({why})");
    false
}

/// Runs `tests/independent/<script>` with `args`; returns its exit and the JSON line it prints
/// last.
pub fn run_terminal(script: &str, args: &[&str]) -> (Output, serde_json::Value) {
    let path: PathBuf = root().join("tests/independent").join(script);
    let out = Command::new(PYTHON)
        .arg(path)
        .args(args)
        .output()
        .expect("run the Python terminal");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    let json = serde_json::from_str(line).unwrap_or_else(|e| {
        panic!(
            "terminal printed no JSON line ({e}): stdout {stdout:?} stderr {:?}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, json)
}
