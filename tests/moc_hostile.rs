//! Match-on-card against a hostile link: whatever an attacker between the reader and the chip
//! does to the chip's answers (a bare 9000 in place of the protected "no match", a flipped
//! bit in any answer of the match-on-card exchange), an impostor's finger is never reported as
//! a match. Under secure messaging only a MACed 9000 counts.

use dactyl::biometrics::FingerPosition;
use dactyl::biometrics::minutiae::MinutiaeRecord;
use dactyl::emulator::ChipImage;
use dactyl::reader::moc::{MocOutcome, MocRequest, match_on_card};
use dactyl::reader::{ReadOptions, read_document_then};
use dactyl::transport::Transport;
use dactyl::transport::fault::{Fault, Faulty};
use dactyl::transport::memory::InMemory;
use std::path::Path;

fn root(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Answers APDU `at` (0-based) with `answer` instead of the chip's.
struct Rewrite<T: Transport> {
    inner: T,
    at: u64,
    answer: Vec<u8>,
    sent: u64,
}

impl<T: Transport> Transport for Rewrite<T> {
    fn transmit_raw(&mut self, apdu: &[u8]) -> dactyl::Result<Vec<u8>> {
        let n = self.sent;
        self.sent += 1;
        let real = self.inner.transmit_raw(apdu)?;
        Ok(if n == self.at {
            self.answer.clone()
        } else {
            real
        })
    }
    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }
    fn describe(&self) -> String {
        self.inner.describe()
    }
}

fn chip() -> InMemory<dactyl::emulator::VirtualChip> {
    InMemory::new(ChipImage::load_chip(&root("fixtures/chips/utopia_moc.json")).unwrap())
}

/// A border check with the impostor's thumb over `transport`: the outcome, or `None` when the
/// check ended in an error; and the APDUs sent.
fn impostor_check(transport: Box<dyn Transport>) -> (Option<MocOutcome>, u64) {
    let probe = std::fs::read(root("fixtures/biometrics/sourceafis_iso-nonmatching.dat")).unwrap();
    let request = MocRequest {
        probe: MinutiaeRecord::parse(&probe).unwrap(),
        finger: FingerPosition::RIGHT_THUMB,
        chunk: None,
    };
    let mut outcome = None;
    let doc = read_document_then(
        transport,
        &ReadOptions::with_can("482193"),
        &mut dactyl::reader::NoObserver,
        |session, _| {
            outcome = match_on_card(session, &request)?.outcome;
            Ok(())
        },
    );
    let apdus = doc.as_ref().map_or(0, |d| d.traffic.apdus);
    (if doc.is_ok() { outcome } else { None }, apdus)
}

#[test]
fn no_rewritten_or_corrupted_answer_turns_an_impostor_into_a_match() {
    let (honest, total) = impostor_check(Box::new(chip()));
    assert_eq!(honest, Some(MocOutcome::NoMatch { tries_left: 2 }));
    // The last three APDUs are GET DATA of the BIT, the empty VERIFY and the VERIFY.
    let moc_apdus = total - 3..total;
    let mut runs = 0;
    for n in moc_apdus.clone() {
        for answer in [vec![0x90, 0x00], vec![0x63, 0xC3], vec![0x61, 0x00]] {
            let link = Rewrite {
                inner: chip(),
                at: n,
                answer: answer.clone(),
                sent: 0,
            };
            let (outcome, _) = impostor_check(Box::new(link));
            assert_ne!(
                outcome,
                Some(MocOutcome::Match),
                "APDU {n} answered {answer:02X?}"
            );
            runs += 1;
        }
        for byte_from_end in 0..12 {
            let link = Faulty::new(chip(), Fault::CorruptResponse { n, byte_from_end });
            let (outcome, _) = impostor_check(Box::new(link));
            assert_ne!(
                outcome,
                Some(MocOutcome::Match),
                "APDU {n}, byte {byte_from_end} from the end flipped"
            );
            runs += 1;
        }
    }
    assert_eq!(runs, 45);
}
