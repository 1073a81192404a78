//! `dactyl moc`, the border check that ends with match-on-card, against the sample applicant's
//! chip (`fixtures/chips/utopia_moc.json`, two thumb references): in process, and through
//! pcscd + vpcd where the running emulator keeps its tries left between connections, so the
//! counter counts down, resets on a match and blocks.

#[path = "common/pcscd.rs"]
mod pcscd;

use dactyl::transport::pcsc::PcscTransport;
use std::path::Path;
use std::process::Command;

fn root(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

const GENUINE_RIGHT: &str = "fixtures/moc/right_thumb_genuine_probe.fmr";
const IMPOSTOR: &str = "fixtures/biometrics/sourceafis_iso-nonmatching.dat";

/// Runs `dactyl moc` on `source` with a probe of `finger`; exit code and the JSON report.
fn moc(source: &[&str], probe: &str, finger: &str) -> (i32, serde_json::Value, String) {
    let mut args = vec!["moc"];
    args.extend_from_slice(source);
    let (csca, crl, probe) = (
        root("fixtures/pki/test/csca.pem"),
        root("fixtures/pki/test/csca.crl"),
        root(probe),
    );
    args.extend([
        "--can", "482193", "--csca", &csca, "--crl", &crl, "--probe", &probe, "--finger", finger,
        "--json",
    ]);
    let o = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(&args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    let text = format!("{stdout}{}", String::from_utf8_lossy(&o.stderr));
    (o.status.code().unwrap_or(-1), json, text)
}

fn outcome(json: &serde_json::Value) -> (String, Option<u64>) {
    let o = &json["match_on_card"]["outcome"];
    (
        o["result"].as_str().unwrap_or("none").to_string(),
        o["tries_left"].as_u64(),
    )
}

fn chip() -> String {
    root("fixtures/chips/utopia_moc.json")
}

#[test]
fn in_process_a_genuine_thumb_matches_and_another_finger_does_not() {
    let c = chip();
    let (code, json, text) = moc(&["--chip", &c], GENUINE_RIGHT, "right-thumb");
    assert_eq!(code, 0, "{text}");
    assert_eq!(outcome(&json).0, "match", "{text}");
    assert_eq!(json["match_on_card"]["qualifier"], 0x81, "{text}");
    assert_eq!(json["genuine"], true, "{text}");
    let (code, json, text) = moc(&["--chip", &c], IMPOSTOR, "right-thumb");
    assert_eq!(code, 5, "{text}");
    assert_eq!(outcome(&json), ("no_match".into(), Some(2)), "{text}");
    // The left thumb's reference is another finger: the right thumb's template (a record that
    // names no finger) does not match it.
    let (code, _, text) = moc(
        &["--chip", &c],
        "fixtures/biometrics/sourceafis_iso-probe.dat",
        "left-thumb",
    );
    assert_eq!(code, 5, "{text}");
    // A record of the right thumb is not sent as the left thumb.
    let (code, _, text) = moc(&["--chip", &c], GENUINE_RIGHT, "left-thumb");
    assert_eq!(code, 2, "{text}");
}

#[test]
fn nothing_is_sent_without_the_checks_that_must_come_first() {
    let c = chip();
    // No trust anchor: Passive Authentication cannot run, so match-on-card is refused (usage).
    let o = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args([
            "moc",
            "--chip",
            &c,
            "--can",
            "482193",
            "--probe",
            &root(GENUINE_RIGHT),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Passive Authentication"));
    // A probe record of another finger is refused before the chip is touched.
    let (code, _, text) = moc(
        &["--chip", &c],
        "fixtures/biometrics/NIST_ISO19794-2_2005_AnnexC2_Example.raw",
        "right-thumb",
    );
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("left index"), "{text}");
    // A CSCA that did not sign the chip: PA fails and the chip is never asked to compare.
    let other = tempfile::tempdir().unwrap();
    let pki = other.path().join("pki");
    let made = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(["pki", "init", pki.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let o = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args([
            "moc",
            "--chip",
            &c,
            "--can",
            "482193",
            "--csca",
            pki.join("csca.pem").to_str().unwrap(),
            "--probe",
            &root(GENUINE_RIGHT),
            "--json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        json["match_on_card"]["not_run"], "Passive Authentication failed",
        "{json}"
    );
    assert!(json["match_on_card"]["outcome"].is_null());
}

#[test]
fn through_pcscd_the_tries_count_down_reset_and_block() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let _emulator = pcscd::EmulateProcess::start(Path::new(&chip()), pcscd.vpcd_addr());
    PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .expect("card appears in the vpcd reader");
    let reader = ["--reader", pcscd.reader()];
    let run = |probe: &str| moc(&reader, probe, "right-thumb");
    let (code, json, text) = run(GENUINE_RIGHT);
    assert_eq!((code, outcome(&json).0.as_str()), (0, "match"), "{text}");
    // A miss spends a try; a match gives them back.
    let (code, json, text) = run(IMPOSTOR);
    assert_eq!(code, 5, "{text}");
    assert_eq!(outcome(&json), ("no_match".into(), Some(2)), "{text}");
    let (code, json, text) = run(GENUINE_RIGHT);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        json["match_on_card"]["before"]["tries_left"], 2,
        "the running chip kept the miss: {text}"
    );
    // Three misses in a row, then the reference is blocked, for the genuine finger too.
    for left in [2, 1, 0] {
        let (code, json, text) = run(IMPOSTOR);
        assert_eq!(code, 5, "{text}");
        assert_eq!(outcome(&json), ("no_match".into(), Some(left)), "{text}");
    }
    for probe in [IMPOSTOR, GENUINE_RIGHT] {
        let (code, json, text) = run(probe);
        assert_eq!(code, 6, "{text}");
        assert_eq!(outcome(&json).0, "blocked", "{text}");
        assert_eq!(json["match_on_card"]["verify_commands"], 0, "{text}");
    }
    // The other thumb's reference is untouched.
    let (code, json, text) = moc(
        &reader,
        "fixtures/biometrics/NIST_ISO19794-2_2005_AnnexC2_Example.raw",
        "left-index",
    );
    assert_eq!(code, 1, "no left index reference: {text}");
    assert!(
        json["match_on_card"]["not_run"]
            .as_str()
            .unwrap_or("")
            .contains("no match-on-card reference of the left index"),
        "{text}"
    );
}
