//! The border reader against a hostile chip (ICAO Doc 9303-11 access control and secure
//! messaging, 9303-10 file reading): the fuzzer stands between the reader and a genuine
//! virtual chip and rewrites its answers (flips bytes, cuts them short, replaces status words,
//! answers from its own bytes), or plays the whole chip itself. Invariants: nothing panics, and
//! a document whose bytes were altered on the way never passes Passive Authentication with a
//! data group that differs from the chip's.
#![no_main]

use dactyl::lds::files::EfId;
use dactyl::reader::{AccessKeys, NoObserver, ReadOptions, read_document};
use dactyl::transport::{CardSide, Transport};
use libfuzzer_sys::fuzz_target;

struct Hostile {
    chip: dactyl::emulator::VirtualChip,
    script: Vec<u8>,
    at: usize,
    own_answers: bool,
}

impl Transport for Hostile {
    fn transmit_raw(&mut self, apdu: &[u8]) -> dactyl::Result<Vec<u8>> {
        let mut answer = self.chip.process(apdu);
        let mut next = || {
            let b = self.script.get(self.at).copied();
            self.at += 1;
            b
        };
        let Some(op) = next() else {
            return Ok(answer);
        };
        match op % 8 {
            0..=2 => {}
            3 => {
                let at = next().unwrap_or(0) as usize;
                let bit = next().unwrap_or(0);
                let len = answer.len().max(1);
                if let Some(b) = answer.get_mut(at % len) {
                    *b ^= bit | 1;
                }
            }
            4 => {
                let keep = next().unwrap_or(0) as usize;
                answer.truncate(keep.min(answer.len()));
            }
            5 => {
                let (a, b) = (next().unwrap_or(0), next().unwrap_or(0));
                answer = vec![a, b];
            }
            6 => {
                let n = next().unwrap_or(0) as usize;
                answer = (0..n).map_while(|_| next()).collect();
            }
            _ => return Err(dactyl::Error::CardRemoved),
        }
        if self.own_answers {
            answer = (0..op as usize).map_while(|_| next()).collect();
        }
        Ok(answer)
    }
    fn atr(&self) -> Vec<u8> {
        self.chip.atr()
    }
    fn describe(&self) -> String {
        "hostile chip".into()
    }
}

/// The specimen's signed files and trust store, made once.
fn fixture() -> &'static (dactyl::emulator::FileSystem, dactyl::pki::trust::TrustStore) {
    static F: std::sync::OnceLock<(dactyl::emulator::FileSystem, dactyl::pki::trust::TrustStore)> =
        std::sync::OnceLock::new();
    F.get_or_init(|| {
        (
            dactyl::emulator::specimen::specimen_files().expect("specimen files"),
            dactyl::emulator::specimen::demo_trust().expect("trust store"),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, script)) = data.split_first() else {
        return;
    };
    let (files, trust) = fixture();
    let Ok((chip, mrz)) = dactyl::emulator::specimen::specimen_chip(files.clone()) else {
        return;
    };
    let genuine: Vec<(EfId, Vec<u8>)> = chip.files().iter().map(|(e, c)| (e, c.to_vec())).collect();
    let Ok(key_info) = mrz.key_info() else {
        return;
    };
    let mut opts = ReadOptions::with_keys(AccessKeys {
        mrz: Some(key_info),
        can: None,
    });
    if mode & 1 == 1 {
        opts.access = dactyl::reader::AccessPolicy::BacOnly;
    }
    let link = Hostile {
        chip,
        script: script.to_vec(),
        at: 0,
        own_answers: mode & 0x80 != 0,
    };
    let Ok(mut doc) = read_document(Box::new(link), &opts, &mut NoObserver) else {
        return;
    };
    let pa = doc
        .verify_passive(trust, dactyl::time::Time::now(), false)
        .clone();
    if pa.passed {
        for (ef, content) in &genuine {
            if let (EfId::Dg(_), Some(read)) = (ef, doc.raw.get(ef)) {
                assert_eq!(read, content, "{ef:?} altered on the way yet PA passed");
            }
        }
    }
});
