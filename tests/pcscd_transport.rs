//! PcscTransport and the vpcd card side through a real pcscd: an in-test card served on vpcd
//! port 35963 becomes a card in reader "Virtual PCD 00 00", and the PC/SC side talks to it.
//!
//! Needs pcscd with vsmartcard-vpcd (see tests/common/pcscd.rs): skipped without it, except in CI
//! (`CI` set), where it fails.

#[path = "common/pcscd.rs"]
mod pcscd;

use dactyl::Error;
use dactyl::apdu::Command;
use dactyl::transport::pcsc::{PcscTransport, list_readers};
use dactyl::transport::vpcd::{self, ServeOptions};
use dactyl::transport::{CardSide, Transport, exchange};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// ATR: TS 3B, T0 = 0x80 | 6 historical bytes (TD1 follows), TD1 = 0x01 (T=1), "dactyl", TCK.
fn test_atr() -> Vec<u8> {
    let mut atr = vec![0x3B, 0x86, 0x01];
    atr.extend_from_slice(b"dactyl");
    let tck = atr.iter().skip(1).fold(0u8, |x, b| x ^ b);
    atr.push(tck);
    atr
}

/// A tiny card: SELECT -> 9000, INS F0 echoes its data, INS B0 answers Ne bytes (4096 when the
/// command is extended with Ne = 65536), anything else 6D00. Counts resets.
#[derive(Default)]
struct TestCard {
    resets: usize,
    apdus: usize,
}

impl CardSide for TestCard {
    fn atr(&self) -> Vec<u8> {
        test_atr()
    }

    fn reset(&mut self) {
        self.resets += 1;
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.apdus += 1;
        let Ok(cmd) = Command::parse(apdu) else {
            return vec![0x67, 0x00];
        };
        let mut out = match cmd.ins {
            0xA4 => Vec::new(),
            0xF0 => cmd.data.clone(),
            0xB0 => {
                let n = match cmd.le {
                    Some(65_536) => 4096,
                    Some(n) => n,
                    None => 0,
                };
                (0..n).map(|i| (i % 251) as u8).collect()
            }
            _ => return vec![0x6D, 0x00],
        };
        out.extend_from_slice(&[0x90, 0x00]);
        out
    }
}

/// `vpcd::serve` in a thread, stopped without waiting for pcscd to notice.
fn serve_in_thread(addr: &str) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let opts = ServeOptions {
        stop: stop.clone(),
        ..ServeOptions::default()
    };
    let addr = addr.to_string();
    let h = std::thread::spawn(move || {
        vpcd::serve(&mut TestCard::default(), &addr, &opts).unwrap();
    });
    (stop, h)
}

fn connect(reader: &str) -> PcscTransport {
    let t = Instant::now();
    let tr = PcscTransport::wait_for_card(Some(reader), pcscd::CARD_WAIT)
        .unwrap_or_else(|e| panic!("no card in {reader}: {e}"));
    eprintln!("card seen after {:?}", t.elapsed());
    tr
}

#[test]
fn apdus_round_trip_through_pcscd() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let emu = pcscd::spawn_emulator(TestCard::default(), pcscd.vpcd_addr());
    let mut t = connect(pcscd.reader());

    assert_eq!(t.atr(), test_atr());
    assert_eq!(t.describe(), pcscd.reader());
    assert_eq!(t.reader(), pcscd.reader());

    let readers = list_readers().unwrap();
    let me = readers
        .iter()
        .find(|r| r.name == pcscd.reader())
        .expect("vpcd reader listed");
    assert!(me.card_present, "{readers:?}");
    // The other vpcd reader (port 35964) is listed too, empty.
    assert!(
        readers.iter().any(|r| r.name == "Virtual PCD 00 01"),
        "{readers:?}"
    );

    // Short APDUs: SELECT by AID (case 3), echo (case 4).
    let select = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(vec![0xA0, 0, 0, 2, 0x47, 0x10, 1]);
    let r = exchange(&mut t, &select).unwrap();
    assert_eq!((r.sw, r.data.len()), (0x9000, 0));
    let echo = Command::new(0x00, 0xF0, 0, 0)
        .with_data(vec![1, 2, 3, 4, 5])
        .with_le(256);
    let r = exchange(&mut t, &echo).unwrap();
    assert_eq!((r.sw, r.data.as_slice()), (0x9000, &[1u8, 2, 3, 4, 5][..]));
    assert_eq!(
        t.transmit_raw(&[0x00, 0x12, 0x00, 0x00]).unwrap(),
        [0x6D, 0x00]
    );

    // Extended length: Ne = 65536 -> 4 KB; 1,000 bytes of data echoed; a 60,000-byte response.
    let read = Command::new(0x00, 0xB0, 0, 0).with_le(65_536);
    assert!(read.is_extended());
    let r = exchange(&mut t, &read).unwrap();
    assert_eq!((r.sw, r.data.len()), (0x9000, 4096));
    let data: Vec<u8> = (0..1000).map(|i| (i * 7) as u8).collect();
    let echo = Command::new(0x00, 0xF0, 0, 0)
        .with_data(data.clone())
        .with_le(65_536);
    let r = exchange(&mut t, &echo).unwrap();
    assert_eq!(r.sw, 0x9000);
    assert_eq!(r.data, data);
    let r = exchange(&mut t, &Command::new(0x00, 0xB0, 0, 0).with_le(60_000)).unwrap();
    assert_eq!((r.sw, r.data.len()), (0x9000, 60_000));
    assert!(
        r.data
            .iter()
            .enumerate()
            .all(|(i, b)| *b == (i % 251) as u8)
    );

    // Timing of a small exchange through pcscd and vpcd.
    let t0 = Instant::now();
    for _ in 0..50 {
        exchange(&mut t, &select).unwrap();
    }
    eprintln!("50 SELECTs through pcscd: {:?}", t0.elapsed());

    drop(t);
    let (card, stats) = emu.stop();
    assert!(card.resets >= 1, "power-on/reset reached the card");
    assert_eq!(card.apdus as u64, stats.apdus);
    assert!(stats.apdus >= 56, "{stats:?}");
}

#[test]
fn stopping_the_emulator_removes_the_card() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let emu = pcscd::spawn_emulator(TestCard::default(), pcscd.vpcd_addr());
    let mut t = connect(pcscd.reader());
    let select = [0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00];
    assert_eq!(t.transmit_raw(&select).unwrap(), [0x90, 0x00]);
    // `stop` returns once pcscd has seen the card go: then it is CardRemoved.
    emu.stop();
    let after = t.transmit_raw(&select);
    assert!(matches!(after, Err(Error::CardRemoved)), "{after:?}");
    assert!(
        !list_readers()
            .unwrap()
            .iter()
            .any(|r| r.name == pcscd.reader() && r.card_present)
    );

    // Waiting for a card that does not come: a clear error, in about the time asked.
    let t0 = Instant::now();
    let e =
        PcscTransport::wait_for_card(Some(pcscd.reader()), Duration::from_millis(700)).unwrap_err();
    let waited = t0.elapsed();
    assert!(matches!(e, Error::Pcsc(_)), "{e:?}");
    assert!(e.to_string().contains("no card in reader"), "{e}");
    assert!(
        waited >= Duration::from_millis(650) && waited < Duration::from_secs(3),
        "{waited:?}"
    );

    drop(t);

    // A new emulator on the same port is a new card: pcscd accepts the reconnect.
    let emu = pcscd::spawn_emulator(TestCard::default(), pcscd.vpcd_addr());
    let mut t = connect(pcscd.reader());
    assert_eq!(t.transmit_raw(&select).unwrap(), [0x90, 0x00]);
    drop(t);
    emu.stop();
}

#[test]
fn reader_choice_errors_list_the_readers() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let e = PcscTransport::connect(Some("No Such Reader 99")).unwrap_err();
    assert!(matches!(e, Error::ReaderChoice(_)), "{e:?}");
    assert!(e.to_string().contains(pcscd.reader()), "{e}");

    // The reader exists but is empty.
    let e = PcscTransport::connect(Some(pcscd.reader())).unwrap_err();
    assert!(matches!(e, Error::ReaderChoice(_)), "{e:?}");
    assert!(e.to_string().contains("no card"), "{e}");

    // No reader holds a card (true here unless a real card sits in a real reader).
    let readers = list_readers().unwrap();
    if readers.iter().all(|r| !r.card_present) {
        let e = PcscTransport::connect(None).unwrap_err();
        assert!(e.to_string().starts_with("no card in any reader: "), "{e}");
    }

    // With the emulator on, `connect(None)` finds the one card.
    let emu = pcscd::spawn_emulator(TestCard::default(), pcscd.vpcd_addr());
    let t = connect(pcscd.reader());
    drop(t);
    if list_readers()
        .unwrap()
        .iter()
        .filter(|r| r.card_present)
        .count()
        == 1
    {
        let t = PcscTransport::connect(None).unwrap();
        assert_eq!(t.describe(), pcscd.reader());
        assert_eq!(t.atr(), test_atr());
    }
    emu.stop();
}

/// Runs in a child process whose pcsc-lite looks for pcscd's socket at a path where there is none:
/// the same as pcscd not running, without stopping the real one.
#[test]
fn no_pcscd_gives_pcsc_not_running() {
    if std::env::var_os("DACTYL_NO_PCSCD_CHILD").is_some() {
        assert!(matches!(list_readers(), Err(Error::PcscNotRunning)));
        let e = PcscTransport::connect(None).unwrap_err();
        assert!(matches!(e, Error::PcscNotRunning), "{e:?}");
        assert_eq!(e.to_string(), "PC/SC service not running: start pcscd");
        let e = PcscTransport::wait_for_card(None, Duration::from_millis(100)).unwrap_err();
        assert!(matches!(e, Error::PcscNotRunning), "{e:?}");
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "no_pcscd_gives_pcsc_not_running", "--nocapture"])
        .env("DACTYL_NO_PCSCD_CHILD", "1")
        .env("PCSCLITE_CSOCK_NAME", "/nonexistent/dactyl-test/pcscd.comm")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{text}");
    assert!(text.contains("1 passed"), "child ran no test:\n{text}");
}

/// pcsc-lite 1.9.9 loses track of the vpcd reader when a client's disconnect-with-reset hits an
/// emulator that has just gone: the next card is polled but never reported. `vpcd::serve`
/// notices (ATR polls, no power-on) and reconnects, so the card still shows up.
#[test]
fn a_stale_handle_does_not_hide_the_next_card() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let emu = pcscd::spawn_emulator(TestCard::default(), pcscd.vpcd_addr());
    let stale = connect(pcscd.reader());
    emu.stop();
    let (stop, thread) = serve_in_thread(pcscd.vpcd_addr());
    let mut t = connect(pcscd.reader());
    // The emulator leaves; before pcscd polls (400 ms), a transmit fails (NOT_TRANSACTED) ...
    stop.store(true, Ordering::SeqCst);
    thread.join().unwrap();
    let first = t.transmit_raw(&[0x00, 0xA4, 0x00, 0x0C]);
    eprintln!("transmit right after the emulator left: {first:?}");
    assert!(first.is_err());
    drop(t);
    // ... and the stale handle disconnects with SCARD_RESET_CARD (it never saw a card go),
    // which pcscd tries on the card that just left.
    drop(stale);
    let emu = pcscd::spawn_emulator(TestCard::default(), pcscd.vpcd_addr());
    let t0 = Instant::now();
    let mut t = PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .unwrap_or_else(|e| panic!("card never reported after the stale reset: {e}"));
    eprintln!("card after the stale reset seen in {:?}", t0.elapsed());
    assert_eq!(
        t.transmit_raw(&[0x00, 0xA4, 0x00, 0x0C]).unwrap(),
        [0x90, 0x00]
    );
    drop(t);
    emu.stop();
}
