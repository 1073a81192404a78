//! Personalization through a real pcscd with vsmartcard's vpcd driver: `dactyl emulate --blank`
//! is a blank card in "Virtual PCD 00 00", `dactyl personalize --reader` issues it, `dactyl
//! read` verifies it as genuine; and every sample applicant issued by the library over
//! `PcscTransport` to a blank chip served in-test. With `CI` set these tests fail when pcscd is
//! missing.

#[path = "common/pcscd.rs"]
mod pcscd;

#[path = "common/issuing.rs"]
mod issuing;

#[path = "common/python_terminal.rs"]
mod python_terminal;

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
fn the_clerk_issues_each_sample_in_pcscd_and_the_border_reads_it_genuine() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let python = python_terminal::require_python();
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    assert!(dactyl(&["pki", "init", &p("pki")]).status.success());
    assert!(dactyl(&["cvc", "init", &p("cv")]).status.success());
    let samples = [
        ("adult_two_thumbs", "1 (right thumb), 6 (left thumb)"),
        ("scanner_png", "1 (right thumb), 6 (left thumb)"),
        (
            "adult_missing_thumb",
            "4 (right ring finger), 6 (left thumb)",
        ),
        ("child_with_consent", "1 (right thumb), 6 (left thumb)"),
        ("child_ten", "none (under 12"),
        (
            "exempt_no_hands",
            "none (exempt: a person without both hands)",
        ),
    ];
    for (name, fingers) in samples {
        let saved = dir.path().join(format!("{name}.chip.json"));
        let emulator = pcscd::EmulateProcess::start_blank(pcscd.vpcd_addr(), &saved);
        PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
            .expect("the blank card appears in the vpcd reader");
        let applicant = applicants_dir().join(format!("{name}.json"));
        let personalize = |extra: &[&str]| {
            let mut args = vec![
                "personalize",
                "--applicant",
                applicant.to_str().unwrap(),
                "--reader",
                pcscd.reader(),
                "--on",
                "2026-11-01",
            ];
            let (pki, cv) = (p("pki"), p("cv"));
            let owned = [pki, cv];
            let mut all: Vec<String> = args.drain(..).map(String::from).collect();
            all.extend([
                "--pki".into(),
                owned[0].clone(),
                "--cv".into(),
                owned[1].clone(),
            ]);
            all.extend(extra.iter().map(|s| s.to_string()));
            let refs: Vec<&str> = all.iter().map(String::as_str).collect();
            dactyl(&refs)
        };
        let o = personalize(&[]);
        let t = text(&o);
        assert!(o.status.success(), "{name}: {t}");
        assert!(
            t.contains("ISSUED: locked, read back equal, verified"),
            "{name}: {t}"
        );
        assert!(
            t.contains(&format!("DG3 fingers   {fingers}")),
            "{name}: {t}"
        );
        let can = t
            .lines()
            .find_map(|l| l.strip_prefix("CAN           "))
            .unwrap()
            .to_string();
        // The border reader, knowing only the CAN printed on the card and the issuer's CSCA.
        let o = dactyl(&[
            "read",
            "--reader",
            pcscd.reader(),
            "--can",
            &can,
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
        assert!(o.status.success(), "{name}: {t}");
        assert!(t.contains("GENUINE CHIP"), "{name}: {t}");
        let has_dg3 = !fingers.starts_with("none");
        assert_eq!(
            t.contains("DG3 hash                            matches the SOD"),
            has_dg3,
            "{name}: {t}"
        );
        // An inspection system written from BSI TR-03110 without dactyl's code: PACE with the
        // CAN, Chip Authentication v1, Terminal Authentication v1 with the issuer's CV PKI, DG3.
        if python && has_dg3 {
            let (out, json) = python_terminal::run_terminal(
                "eac_terminal.py",
                &[
                    "--reader",
                    pcscd.reader(),
                    "--can",
                    &can,
                    "--cv-dir",
                    &p("cv"),
                ],
            );
            assert!(out.status.success(), "{name}: {json}");
        }
        if name == "adult_two_thumbs" {
            // Match-on-card on the card just issued, through pcscd: the citizen's right thumb
            // matches the reference enrolled from the applicant's template, another person's
            // thumb does not and spends a try.
            let moc = |probe: &str| {
                dactyl(&[
                    "moc",
                    "--reader",
                    pcscd.reader(),
                    "--can",
                    &can,
                    "--csca",
                    &p("pki/csca.pem"),
                    "--crl",
                    &p("pki/csca.crl"),
                    "--probe",
                    probe,
                    "--finger",
                    "right-thumb",
                ])
            };
            let genuine =
                python_terminal::root().join("fixtures/moc/right_thumb_genuine_probe.fmr");
            let impostor =
                python_terminal::root().join("fixtures/biometrics/sourceafis_iso-nonmatching.dat");
            let o = moc(genuine.to_str().unwrap());
            assert!(o.status.success(), "{}", text(&o));
            assert!(text(&o).contains("Match-on-card MATCH"), "{}", text(&o));
            let o = moc(impostor.to_str().unwrap());
            assert_eq!(o.status.code(), Some(5), "{}", text(&o));
            assert!(text(&o).contains("NO MATCH (2 tries left"), "{}", text(&o));
            // A second personalization of the locked card is refused.
            let o = personalize(&["--profile", "dactyl"]);
            assert!(!o.status.success());
            assert!(text(&o).contains("6985"), "{}", text(&o));
        }
        drop(emulator);
        // The emulator saved the issued chip when it locked.
        let image = std::fs::read_to_string(&saved).unwrap();
        assert!(image.contains(&format!("\"can\": \"{can}\"")), "{name}");
    }
}

#[test]
fn every_sample_is_issued_over_pcsc() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let (pki, cv) = issuer_pkis();
    let cases: [(&str, &[u8]); 6] = [
        ("adult_two_thumbs", &[1, 6]),
        ("scanner_png", &[1, 6]),
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
