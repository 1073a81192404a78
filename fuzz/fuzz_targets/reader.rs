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

struct Hostile<'a> {
    chip: dactyl::emulator::VirtualChip,
    script: &'a [u8],
    own_answers: bool,
}

impl Transport for Hostile<'_> {
    fn transmit_raw(&mut self, apdu: &[u8]) -> dactyl::Result<Vec<u8>> {
        let mut answer = self.chip.process(apdu);
        let Some((&op, rest)) = self.script.split_first() else {
            return Ok(answer);
        };
        self.script = rest;
        let arg = |s: &mut &[u8]| -> u8 {
            let Some((&b, r)) = s.split_first() else {
                return 0;
            };
            *s = r;
            b
        };
        match op % 8 {
            0 | 1 | 2 => {}
            3 => {
                let at = arg(&mut self.script) as usize;
                let bit = arg(&mut self.script);
                if let Some(b) = answer.get_mut(at % answer.len().max(1)) {
                    *b ^= bit | 1;
                }
            }
            4 => {
                let keep = arg(&mut self.script) as usize;
                answer.truncate(keep.min(answer.len()));
            }
            5 => {
                let (a, b) = (arg(&mut self.script), arg(&mut self.script));
                answer = vec![a, b];
            }
            6 => {
                let n = arg(&mut self.script) as usize;
                let n = n.min(self.script.len());
                answer = self.script[..n].to_vec();
                self.script = &self.script[n..];
            }
            _ => return Err(dactyl::Error::CardRemoved),
        }
        if self.own_answers {
            let n = (op as usize).min(self.script.len());
            answer = self.script[..n].to_vec();
            self.script = &self.script[n..];
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

fuzz_target!(|data: &[u8]| {
    let Some((&mode, script)) = data.split_first() else {
        return;
    };
    let Ok((chip, mrz)) = dactyl::cli::demo::demo_chip(false) else {
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
        script,
        own_answers: mode & 0x80 != 0,
    };
    let Ok(mut doc) = read_document(Box::new(link), &opts, &mut NoObserver) else {
        return;
    };
    let Ok(trust) = dactyl::cli::demo::demo_trust() else {
        return;
    };
    let pa = doc.verify_passive(&trust, dactyl::pki::asn1::Time::now(), false).clone();
    if pa.passed {
        for (ef, content) in &genuine {
            if let (EfId::Dg(_), Some(read)) = (ef, doc.raw.get(ef)) {
                assert_eq!(read, content, "{ef:?} altered on the way yet PA passed");
            }
        }
    }
});
