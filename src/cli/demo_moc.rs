//! The demo's last step, match-on-card (ISO/IEC 7816-11 VERIFY): the citizen puts a thumb on
//! the border scanner, and the chip issued in the demo compares it with the reference enrolled
//! at the issuing station. One running chip serves every attempt, so its tries left carry over:
//! another person's thumb spends them, the citizen's own thumb gives them back.

use super::demo::demo_trust;
use super::demo_issue::Issued;
use crate::biometrics::FingerPosition;
use crate::biometrics::minutiae::MinutiaeRecord;
use crate::emulator::VirtualChip;
use crate::error::{Error, Result};
use crate::lds::mrz::Mrz;
use crate::reader::moc::{self, MocOutcome, MocReport, MocRequest};
use crate::reader::{NoObserver, ReadOptions, read_document_then};
use crate::time::Time;
use crate::transport::memory::InMemory;
use std::sync::{Arc, Mutex};

/// A live scan of the citizen's right thumb at the border: another impression of the enrolled
/// finger (moved, turned, some minutiae lost and others added).
const GENUINE_PROBE: &[u8] = include_bytes!("../../fixtures/moc/right_thumb_genuine_probe.fmr");
/// Another person's thumb.
const IMPOSTOR_PROBE: &[u8] =
    include_bytes!("../../fixtures/biometrics/sourceafis_iso-nonmatching.dat");

/// One border check on the running chip: read, Passive and Chip Authentication, match-on-card.
fn check(chip: &Arc<Mutex<VirtualChip>>, mrz: &Mrz, probe: &[u8]) -> Result<MocReport> {
    let request = MocRequest {
        probe: MinutiaeRecord::parse(probe)?,
        finger: FingerPosition::RIGHT_THUMB,
        chunk: None,
    };
    let opts = ReadOptions::new(mrz.key_info()?);
    let trust = demo_trust()?;
    let doc = read_document_then(
        Box::new(InMemory::new(Arc::clone(chip))),
        &opts,
        &mut NoObserver,
        |session, doc| {
            doc.verify_passive(&trust, Time::now(), true);
            doc.match_on_card = Some(match moc::refusal(doc) {
                Some(why) => MocReport::not_run(request.finger, why),
                None => moc::match_on_card(session, &request)?,
            });
            Ok(())
        },
    )?;
    doc.match_on_card
        .ok_or_else(|| Error::protocol("demo", "match-on-card did not run"))
}

/// Runs the demo's match-on-card step and narrates it; an unexpected answer is an error.
pub fn run(issued: &Issued, mrz: &Mrz) -> Result<()> {
    let chip = Arc::new(Mutex::new(issued.chip(false)?));
    let steps: [(&str, &[u8], MocOutcome); 4] = [
        (
            "the citizen's right thumb",
            GENUINE_PROBE,
            MocOutcome::Match,
        ),
        (
            "another person's thumb",
            IMPOSTOR_PROBE,
            MocOutcome::NoMatch { tries_left: 2 },
        ),
        (
            "another person's thumb again",
            IMPOSTOR_PROBE,
            MocOutcome::NoMatch { tries_left: 1 },
        ),
        (
            "the citizen's right thumb",
            GENUINE_PROBE,
            MocOutcome::Match,
        ),
    ];
    outln!(
        "\n8. Match-on-card: the citizen puts a thumb on the scanner; after Passive and Chip \
         Authentication pass, the chip itself compares it with the reference enrolled at issuance \
         (the reference never leaves the chip):"
    )?;
    for (who, probe, expected) in steps {
        let report = check(&chip, mrz, probe)?;
        let before = report
            .before
            .map_or_else(String::new, |b| format!(" [{}]", b.describe()));
        outln!(
            "     {who:<30} {} minutiae -> {}{before}",
            report.probe_minutiae,
            report.headline()
        )?;
        if report.outcome != Some(expected) {
            return Err(Error::protocol(
                "demo",
                format!(
                    "match-on-card with {who}: expected {}, got {}",
                    expected.describe(),
                    report.headline()
                ),
            ));
        }
    }
    outln!("   Three misses in a row would block the reference; a match gives the tries back.")?;
    Ok(())
}
