//! Shared helper for integration tests that need a real pcscd with vsmartcard's vpcd driver.
//!
//! Use it from a test file with
//!
//! ```ignore
//! #[path = "common/pcscd.rs"]
//! mod pcscd;
//!
//! let Some(pcscd) = pcscd::require_pcscd() else { return };       // skipped outside CI
//! let emu = pcscd::spawn_emulator(my_card, pcscd.vpcd_addr());     // card in the reader
//! let t = PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)?;
//! ```
//!
//! What [`require_pcscd`] does:
//! - takes ONE machine-wide lock (a file lock, `std::fs::File::try_lock`, on
//!   `$TMPDIR/dactyl-pcscd-tests.lock`) held by the returned guard: every test that uses pcscd,
//!   in any test binary and any concurrent `cargo test` on the machine, runs alone, whatever vpcd
//!   port it uses. The lock goes away with the process, so a crashed test never leaves it held.
//! - uses the running pcscd if its reader list shows "Virtual PCD 00 00" (within 5 s: a pcscd
//!   that has just started lists its readers a little later); if no pcscd runs, as root with
//!   `/usr/sbin/pcscd` installed, starts `pcscd --foreground` (log in
//!   `$TMPDIR/dactyl-test-pcscd.log`), waits up to 10 s for the vpcd reader, and stops that pcscd
//!   (SIGTERM by PID, then SIGKILL) when the guard drops.
//! - waits until the reader is empty (the previous test's emulator is gone), so each test starts
//!   with no card in the reader.
//! - when pcscd cannot be had: panics if `CI` is set (tests must fail in CI, not skip), else
//!   prints "skipping: pcscd with vpcd not available" and returns `None`.
//!
//! Drop the emulator before the guard (declare the guard first). [`Emulator::stop`] returns only
//! once pcscd reports the card gone, so the next `wait_for_card` cannot catch the old card.
#![allow(dead_code)]

use dactyl::transport::CardSide;
use dactyl::transport::pcsc::list_readers;
use dactyl::transport::vpcd::{self, ServeOptions, ServeStats};
use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The vpcd reader the tests use, and where its driver listens.
pub const READER: &str = "Virtual PCD 00 00";
/// TCP address of the vpcd driver for [`READER`].
pub const VPCD_ADDR: &str = "127.0.0.1:35963";
/// How long a test should wait for pcscd to see an emulator's card (it polls about every 400 ms).
pub const CARD_WAIT: Duration = Duration::from_secs(10);

const PCSCD: &str = "/usr/sbin/pcscd";
const START_WAIT: Duration = Duration::from_secs(10);
const EMPTY_WAIT: Duration = Duration::from_secs(5);
const LOCK_WAIT: Duration = Duration::from_secs(300);

/// Why starting pcscd failed, once it has in this process.
static START_FAILED: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Exclusive use of pcscd's vpcd reader for one test; stops the pcscd it started on drop.
pub struct PcscdGuard {
    started: Option<Child>,
    _lock: File,
}

impl PcscdGuard {
    /// The reader name to connect to.
    pub fn reader(&self) -> &'static str {
        READER
    }

    /// The address to serve an emulator on.
    pub fn vpcd_addr(&self) -> &'static str {
        VPCD_ADDR
    }

    /// True when this guard started pcscd (rather than using one already running).
    pub fn started_pcscd(&self) -> bool {
        self.started.is_some()
    }
}

impl Drop for PcscdGuard {
    fn drop(&mut self) {
        if let Some(child) = self.started.as_mut() {
            stop_child(child);
        }
    }
}

/// A pcscd with the vpcd reader, for this test alone; see the module docs.
pub fn require_pcscd() -> Option<PcscdGuard> {
    let lock = take_lock();
    let mut started = None;
    if list_readers().is_ok() {
        // A pcscd is running; one that has just started may not list its readers yet.
        if !wait_reader_listed(Duration::from_secs(5)) {
            return unavailable(&format!(
                "the running pcscd has no \"{READER}\" reader (is vsmartcard-vpcd installed? \
                 pcscd loads drivers at start: restart it after installing)"
            ));
        }
    } else if let Some(why) = START_FAILED.get() {
        // Starting pcscd already failed in this test binary: do not wait 10 s per test again.
        return unavailable(why);
    } else {
        match start_pcscd() {
            Ok(child) => started = Some(child),
            Err(why) => {
                let _ = START_FAILED.set(why.clone());
                return unavailable(&why);
            }
        }
    }
    let guard = PcscdGuard {
        started,
        _lock: lock,
    };
    wait_reader_empty();
    Some(guard)
}

fn unavailable(why: &str) -> Option<PcscdGuard> {
    if std::env::var("CI").is_ok_and(|v| !v.is_empty()) {
        panic!(
            "pcscd with the vpcd driver is required in CI but not available: {why}. \
             .ci/run installs pcscd + vsmartcard-vpcd and starts `pcscd --foreground`."
        );
    }
    eprintln!("skipping: pcscd with vpcd not available ({why})");
    None
}

fn vpcd_reader_listed() -> bool {
    list_readers().is_ok_and(|rs| rs.iter().any(|r| r.name == READER))
}

fn wait_reader_listed(limit: Duration) -> bool {
    let end = Instant::now() + limit;
    loop {
        if vpcd_reader_listed() {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        thread::sleep(Duration::from_millis(100));
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            == Some("0")
    })
}

fn start_pcscd() -> Result<Child, String> {
    if !std::path::Path::new(PCSCD).exists() {
        return Err(format!("{PCSCD} is not installed"));
    }
    if !is_root() {
        return Err("pcscd is not running and only root can start it".into());
    }
    let log_path = std::env::temp_dir().join("dactyl-test-pcscd.log");
    let log = File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let log2 = log.try_clone().map_err(|e| e.to_string())?;
    let mut child = Command::new(PCSCD)
        .arg("--foreground")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log2)
        .spawn()
        .map_err(|e| format!("cannot start {PCSCD}: {e}"))?;
    let end = Instant::now() + START_WAIT;
    while Instant::now() < end {
        if vpcd_reader_listed() {
            return Ok(child);
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "{PCSCD} --foreground exited ({status}); see {}",
                log_path.display()
            ));
        }
        thread::sleep(Duration::from_millis(100));
    }
    stop_child(&mut child);
    Err(format!(
        "pcscd started but \"{READER}\" was not listed within {} s; see {}",
        START_WAIT.as_secs(),
        log_path.display()
    ))
}

/// SIGTERM by PID (pcscd then removes its socket), SIGKILL if it has not gone in 3 s.
fn stop_child(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .stderr(Stdio::null())
        .status();
    let end = Instant::now() + Duration::from_secs(3);
    while Instant::now() < end {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn lock_path() -> PathBuf {
    std::env::temp_dir().join("dactyl-pcscd-tests.lock")
}

fn take_lock() -> File {
    let path = lock_path();
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("cannot open lock file {}: {e}", path.display()));
    let end = Instant::now() + LOCK_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return file,
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < end => {
                thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!(
                "cannot take the pcscd test lock {} within {} s: {e}",
                path.display(),
                LOCK_WAIT.as_secs()
            ),
        }
    }
}

/// Waits until pcscd shows no card in the reader: an emulator left by an earlier test (or by
/// someone's `dactyl emulate --vpcd`) would otherwise answer this test's commands.
fn wait_reader_empty() {
    let end = Instant::now() + EMPTY_WAIT;
    loop {
        let present = list_readers()
            .ok()
            .and_then(|rs| rs.into_iter().find(|r| r.name == READER))
            .is_some_and(|r| r.card_present);
        if !present {
            return;
        }
        if Instant::now() >= end {
            panic!(
                "\"{READER}\" still holds a card after {} s: another card emulator is connected \
                 to {VPCD_ADDR}; stop it and rerun",
                EMPTY_WAIT.as_secs()
            );
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// A card emulator served to pcscd's vpcd in a background thread.
///
/// Stopping it (or dropping it) also waits, up to 3 s, until pcscd reports the card gone: pcscd
/// polls about every 400 ms, and a `wait_for_card` in between would connect to the card that
/// just left and fail with SCARD_E_NOT_TRANSACTED.
pub struct Emulator<C: CardSide + Send + 'static> {
    stop: Arc<AtomicBool>,
    reader: String,
    handle: Option<JoinHandle<(C, dactyl::Result<ServeStats>)>>,
}

/// Serves `card` on `addr` (see [`PcscdGuard::vpcd_addr`]) until the returned handle is stopped
/// or dropped. Gives up if pcscd cannot be reached for 10 s.
pub fn spawn_emulator<C: CardSide + Send + 'static>(card: C, addr: &str) -> Emulator<C> {
    let stop = Arc::new(AtomicBool::new(false));
    let opts = ServeOptions {
        max_reconnect_wait: Some(Duration::from_secs(10)),
        retry_interval: Duration::from_millis(100),
        stop: stop.clone(),
        ..ServeOptions::default()
    };
    let port = addr
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(vpcd::DEFAULT_PORT);
    let reader = vpcd::reader_name(port);
    let addr = addr.to_string();
    let handle = thread::spawn(move || {
        let mut card = card;
        let r = vpcd::serve(&mut card, &addr, &opts);
        (card, r)
    });
    Emulator {
        stop,
        reader,
        handle: Some(handle),
    }
}

/// Waits until pcscd no longer shows a card in `reader` (at most `limit`).
fn wait_card_gone(reader: &str, limit: Duration) {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        let present = list_readers()
            .ok()
            .and_then(|rs| rs.into_iter().find(|r| r.name == reader))
            .is_some_and(|r| r.card_present);
        if !present {
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

impl<C: CardSide + Send + 'static> Emulator<C> {
    /// Stops serving (the card leaves the reader) and gives the card back with what was done.
    pub fn stop(mut self) -> (C, ServeStats) {
        self.stop.store(true, Ordering::SeqCst);
        let handle = self.handle.take().expect("emulator already stopped");
        let (card, r) = handle.join().expect("emulator thread panicked");
        wait_card_gone(&self.reader, Duration::from_secs(3));
        let stats = r.unwrap_or_else(|e| panic!("emulator failed: {e}"));
        (card, stats)
    }
}

impl<C: CardSide + Send + 'static> Drop for Emulator<C> {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
            wait_card_gone(&self.reader, Duration::from_secs(3));
        }
    }
}

/// The vpcd reader a card served on `addr` appears in.
fn reader_at(addr: &str) -> String {
    let port = addr
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(vpcd::DEFAULT_PORT);
    vpcd::reader_name(port)
}

/// `dactyl emulate` as a child process (a chip image served in pcscd's vpcd reader), killed on
/// drop.
pub struct EmulateProcess(Child, String);

impl EmulateProcess {
    /// Starts `dactyl emulate --vpcd ADDR --chip CHIP`.
    pub fn start(chip: &std::path::Path, addr: &str) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_dactyl"))
            .args(["emulate", "--vpcd", addr, "--chip"])
            .arg(chip)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dactyl emulate");
        EmulateProcess(child, reader_at(addr))
    }

    /// Starts `dactyl emulate --vpcd ADDR --blank --save SAVE`: a blank chip that writes its
    /// image to `save` when it is locked.
    pub fn start_blank(addr: &str, save: &std::path::Path) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_dactyl"))
            .args(["emulate", "--vpcd", addr, "--blank", "--save"])
            .arg(save)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dactyl emulate --blank");
        EmulateProcess(child, reader_at(addr))
    }
}

impl Drop for EmulateProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        // The next emulator must not be mistaken for this one's card, still listed by pcscd.
        wait_card_gone(&self.1, Duration::from_secs(3));
    }
}
