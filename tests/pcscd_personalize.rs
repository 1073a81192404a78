//! Personalization through a real pcscd with vsmartcard's vpcd driver: `dactyl emulate --blank`
//! is a blank card in "Virtual PCD 00 00", `dactyl personalize --reader` issues it, `dactyl
//! read` verifies it as genuine; and every sample applicant issued by the library over
//! `PcscTransport` to a blank chip served in-test. With `CI` set these tests fail when pcscd is
//! missing.

#[path = "common/pcscd.rs"]
mod pcscd;

#[path = "common/issuing.rs"]
mod issuing;

use dactyl::emulator::perso::{BlankChip, PersoState};
use dactyl::lds::dg3::Dg3;
use dactyl::lds::files::EfId;
use dactyl::transport::Transport;
use dactyl::transport::pcsc::PcscTransport;
use issuing::*;
use std::process::Command;

fn dactyl(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_clerk_issues_a_blank_card_in_pcscd_and_the_border_reads_it_genuine() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    assert!(dactyl(&["pki", "init", &p("pki")]).status.success());
    assert!(dactyl(&["cvc", "init", &p("cv")]).status.success());
    let saved = dir.path().join("issued.json");
    let _emulator = pcscd::EmulateProcess::start_blank(pcscd.vpcd_addr(), &saved);
    PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .expect("the blank card appears in the vpcd reader");
    let applicant = applicants_dir().join("adult_two_thumbs.json");
    let o = dactyl(&[
        "personalize",
        "--applicant",
        &applicant.display().to_string(),
        "--pki",
        &p("pki"),
        "--cv",
        &p("cv"),
        "--reader",
        pcscd.reader(),
        "--on",
        "2026-11-01",
    ]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("ISSUED: locked, read back equal, verified"),
        "{t}"
    );
    assert!(t.contains("1 (right thumb), 6 (left thumb)"), "{t}");
    // The border reader, knowing only the CAN printed on the card and the issuer's CSCA.
    let o = dactyl(&[
        "read",
        "--reader",
        pcscd.reader(),
        "--can",
        "482193",
        "--csca",
        &p("pki/csca.pem"),
        "--crl",
        &p("pki/csca.crl"),
        "--ta-chain",
        &format!("{},{}", p("cv/dv.cvcert"), p("cv/is.cvcert")),
        "--ta-key",
        &p("cv/is.key"),
    ]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("GENUINE CHIP"), "{t}");
    assert!(
        t.contains("DG3 hash                            matches the SOD"),
        "{t}"
    );
    // A second personalization of the locked card is refused.
    let o = dactyl(&[
        "personalize",
        "--applicant",
        &applicant.display().to_string(),
        "--pki",
        &p("pki"),
        "--cv",
        &p("cv"),
        "--reader",
        pcscd.reader(),
    ]);
    assert!(!o.status.success());
    assert!(text(&o).contains("6985"), "{}", text(&o));
    // The emulator saved the issued chip when it locked.
    let image = std::fs::read_to_string(&saved).unwrap();
    assert!(image.contains("\"can\": \"482193\""), "{image}");
}

#[test]
fn every_sample_is_issued_over_pcsc() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let (pki, cv) = issuer_pkis();
    let cases: [(&str, &[u8]); 5] = [
        ("adult_two_thumbs", &[1, 6]),
        ("adult_missing_thumb", &[4, 6]),
        ("child_with_consent", &[1, 6]),
        ("child_ten", &[]),
        ("exempt_no_patterns", &[]),
    ];
    for (name, fingers) in cases {
        let plan = plan_for(name, &pki, &cv).unwrap();
        let chip = blank_chip(BlankChip::default());
        let emulator = pcscd::spawn_emulator(chip.clone(), pcscd.vpcd_addr());
        let reader = pcscd.reader();
        let (trust, terminal) = verifier(&pki, &cv);
        let opts = dactyl::reader::readback::IssueOptions {
            trust: &trust,
            terminal: Some(terminal),
            transport_key: None,
            now: dactyl::time::Time::now(),
        };
        let mut connect = || -> dactyl::Result<Box<dyn Transport>> {
            Ok(Box::new(PcscTransport::wait_for_card(
                Some(reader),
                pcscd::CARD_WAIT,
            )?))
        };
        let done =
            dactyl::reader::readback::personalize(&mut connect, &plan, &opts, &mut |_, _| {})
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(done.passed(), "{name}: {:?}", done.read_back.failures);
        let read: Vec<u8> = done
            .read_back
            .document
            .raw
            .get(&EfId::Dg(3))
            .map(|d| {
                Dg3::parse(d)
                    .unwrap()
                    .positions()
                    .iter()
                    .map(|p| p.0)
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(read, fingers, "{name}");
        emulator.stop();
        assert_eq!(chip.lock().unwrap().state(), PersoState::Locked, "{name}");
    }
}
