//! The virtual chip under attack (ICAO Doc 9303-11 access control, BSI TR-03110 EAC): a
//! sequence of APDUs from the fuzzer, sent in plain, or wrapped in the secure messaging of a
//! BAC or PACE session a real terminal opened with the MRZ (what an attacker who read the data
//! page can do). Invariants: nothing panics, and no DG3 byte (fingerprints) ever leaves the
//! chip, since the fuzzer holds no inspection system key for Terminal Authentication.
#![no_main]

use dactyl::apdu::Command;
use dactyl::emulator::VirtualChip;
use dactyl::lds::files::EfId;
use dactyl::reader::{AccessKeys, AccessPolicy, Session};
use dactyl::transport::{CardSide, Transport};
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::OnceLock;

const WINDOW: usize = 24;

struct Fixture {
    files: dactyl::emulator::FileSystem,
    keys: AccessKeys,
    dg3_windows: HashSet<Vec<u8>>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let files = dactyl::emulator::specimen::specimen_files().expect("specimen files");
        let (chip, mrz) =
            dactyl::emulator::specimen::specimen_chip(files.clone()).expect("specimen chip");
        let dg3 = chip.files().get(EfId::Dg(3)).expect("DG3").to_vec();
        let dg3_windows = dg3.windows(WINDOW).map(<[u8]>::to_vec).collect();
        let keys = AccessKeys {
            mrz: Some(mrz.key_info().expect("MRZ")),
            can: None,
        };
        Fixture {
            files,
            keys,
            dg3_windows,
        }
    })
}

fn fresh() -> VirtualChip {
    dactyl::emulator::specimen::specimen_chip(fixture().files.clone())
        .expect("specimen chip")
        .0
}

fn leaks(data: &[u8]) -> bool {
    let set = &fixture().dg3_windows;
    data.windows(WINDOW).any(|w| set.contains(w))
}

/// The chip, shared between the terminal's session and raw injection.
#[derive(Clone)]
struct Shared(Rc<RefCell<VirtualChip>>);

impl Transport for Shared {
    fn transmit_raw(&mut self, apdu: &[u8]) -> dactyl::Result<Vec<u8>> {
        let out = self.0.borrow_mut().process(apdu);
        assert!(!leaks(&out), "DG3 bytes left the chip in plain");
        Ok(out)
    }
    fn atr(&self) -> Vec<u8> {
        self.0.borrow().atr()
    }
    fn describe(&self) -> String {
        "fuzzed virtual chip".into()
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, mut rest)) = data.split_first() else {
        return;
    };
    let chip = Shared(Rc::new(RefCell::new(fresh())));
    let mut raw = chip.clone();
    let mut session = Session::new(Box::new(chip));
    let policy = match mode % 3 {
        0 => None,
        1 => Some(AccessPolicy::BacOnly),
        _ => Some(AccessPolicy::PaceOnly),
    };
    if let Some(policy) = policy
        && dactyl::reader::open::open_chip(&mut session, &fixture().keys, policy).is_err()
    {
        return;
    }
    // Each step: a flag byte (bit 0: wrap in the session's secure messaging), a length byte,
    // then the APDU.
    while let [flag, len, tail @ ..] = rest {
        let n = (*len as usize).min(tail.len());
        let (apdu, next) = tail.split_at(n);
        rest = next;
        if flag & 1 == 1 {
            if let Ok(cmd) = Command::parse(apdu)
                && let Ok(resp) = session.transmit(&cmd)
            {
                assert!(!leaks(&resp.data), "DG3 bytes left the chip under SM");
            }
        } else {
            let _ = raw.transmit_raw(apdu);
        }
    }
});
