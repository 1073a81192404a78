//! End to end through a real pcscd with vsmartcard's vpcd driver: `dactyl emulate` runs the
//! virtual chip as a card in "Virtual PCD 00 00", `dactyl readers` lists it and `dactyl read`
//! opens it with BAC over PC/SC. Also the library reader over `PcscTransport` against the
//! in-test emulator, for APDU counts. With `CI` set these tests fail when pcscd is missing.

#[path = "common/pcscd.rs"]
mod pcscd;

#[path = "common/fixtures.rs"]
mod fixtures;
use dactyl::emulator::ChipImage;
use dactyl::lds::files::EfId;
use dactyl::lds::mrz::MrzKeyInfo;
use dactyl::reader::{LengthPolicy, NoObserver, ReadOptions, read_document};
use dactyl::transport::pcsc::PcscTransport;
use std::path::{Path, PathBuf};
use std::process::Command;

const TD3_MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/chips")
        .join(name)
}

fn eac(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/eac")
        .join(file)
        .display()
        .to_string()
}

fn dactyl() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dactyl"))
}

#[test]
fn dactyl_read_reads_the_emulated_passport_through_pcscd() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let _emulator = pcscd::EmulateProcess::start(&fixture("td3_passport.json"), pcscd.vpcd_addr());
    PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .expect("card appears in the vpcd reader");

    let readers = dactyl().arg("readers").output().unwrap();
    assert!(
        readers.status.success(),
        "{}",
        String::from_utf8_lossy(&readers.stderr)
    );
    let listed = String::from_utf8_lossy(&readers.stdout);
    assert!(
        listed.contains(&format!("card\t{}", pcscd.reader())),
        "{listed}"
    );

    let out = tempfile::tempdir().unwrap();
    let read = dactyl()
        .args([
            "read",
            "--reader",
            pcscd.reader(),
            "--json",
            "--mrz",
            TD3_MRZ,
            "--out",
        ])
        .arg(out.path())
        .arg("--csca")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pki/test"))
        .output()
        .unwrap();
    assert!(
        read.status.success(),
        "dactyl read failed: {}",
        String::from_utf8_lossy(&read.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    assert_eq!(report["reader"], pcscd.reader());
    assert_eq!(report["access_control"], "BAC");
    assert_eq!(report["dg1"]["mrz"]["primary_identifier"], "ERIKSSON");
    assert_eq!(report["dg1"]["mrz"]["document_number"], "L898902C3");
    assert_eq!(report["com"]["lds_version"], "0107");
    assert_eq!(
        report["passive_authentication"]["passed"], true,
        "{report:#}"
    );
    let dg1 = std::fs::read(out.path().join("DG1.bin")).unwrap();
    assert_eq!(dg1[..2], [0x61, 0x5B]);

    // A wrong MRZ: exit code 3 and a one-line reason.
    let wrong = dactyl()
        .args([
            "read",
            "--reader",
            pcscd.reader(),
            "--document-number",
            "L898902C3",
            "--birth",
            "740813",
            "--expiry",
            "120415",
        ])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&wrong.stderr).trim(),
        "dactyl: access denied: wrong MRZ/BAC keys"
    );
}

/// Reads the BSI passport with the library reader over PC/SC; returns the APDU count.
fn read_bsi_over_pcsc(policy: LengthPolicy) -> Option<u64> {
    let pcscd = pcscd::require_pcscd()?;
    let chip = ChipImage::load_chip(&fixture("bsi_passport.json")).unwrap();
    let emulator = pcscd::spawn_emulator(chip, pcscd.vpcd_addr());
    let transport = PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT).unwrap();
    let mut opts = ReadOptions::new(MrzKeyInfo::new("C11T002JM", "960812", "231031").unwrap());
    opts.length = policy;
    opts.terminal = Some(std::sync::Arc::new(fixtures::test_terminal()));
    let doc = read_document(Box::new(transport), &opts, &mut NoObserver).unwrap();
    let expected = std::fs::read(fixture("bsi_passport/Datagroup3.bin")).unwrap();
    assert!(
        doc.raw[&EfId::Dg(3)] == expected,
        "DG3 differs ({policy:?})"
    );
    assert_eq!(doc.extended_length, policy == LengthPolicy::Auto);
    drop(emulator.stop());
    Some(doc.traffic.apdus)
}

#[test]
fn library_reader_over_pcsc_uses_extended_length() {
    if let Some(apdus) = read_bsi_over_pcsc(LengthPolicy::Auto) {
        // EF.CardAccess (absent), 11 for the read, Chip Authentication v1 (MSE:Set KAT) and
        // Terminal Authentication before DG3 (EF.CVCA, 2 x MSE:Set DST + PSO:Verify
        // Certificate, MSE:Set AT, GET CHALLENGE, EXTERNAL AUTHENTICATE).
        assert_eq!(apdus, 21);
    }
}

#[test]
fn library_reader_over_pcsc_with_short_apdus_only() {
    if let Some(apdus) = read_bsi_over_pcsc(LengthPolicy::ShortOnly) {
        assert_eq!(apdus, 291);
    }
}

#[test]
fn pace_with_can_chip_and_active_authentication_through_pcscd() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let _emulator =
        pcscd::EmulateProcess::start(&fixture("utopia_passport.json"), pcscd.vpcd_addr());
    PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .expect("card appears in the vpcd reader");
    let read = dactyl()
        .args([
            "read",
            "--reader",
            pcscd.reader(),
            "--json",
            "--can",
            "123456",
            "--pace-only",
            "--csca",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pki/test"))
        .arg("--ta-chain")
        .arg(format!("{},{}", eac("dv.cvcert"), eac("is.cvcert")))
        .arg("--ta-key")
        .arg(eac("is.key"))
        .output()
        .unwrap();
    assert!(
        read.status.success(),
        "dactyl read failed: {}",
        String::from_utf8_lossy(&read.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    assert_eq!(report["access_control"], "PACE");
    assert_eq!(report["access"]["pace"]["curve"], "brainpoolP256r1");
    assert_eq!(report["access"]["pace"]["password"], "CAN");
    assert_eq!(
        report["chip_authentication"]["verdict"], "pass",
        "{report:#}"
    );
    assert_eq!(
        report["active_authentication"]["verdict"], "pass",
        "{report:#}"
    );
    assert_eq!(report["genuine"], true, "{report:#}");
    assert_eq!(
        report["terminal_authentication"]["verdict"], "pass",
        "{report:#}"
    );
    let dg3 = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "DG3")
        .unwrap();
    assert_eq!(dg3["status"], "read", "{report:#}");
    assert_eq!(dg3["bytes"], 32476);

    let wrong = dactyl()
        .args(["read", "--reader", pcscd.reader(), "--can", "000000"])
        .output()
        .unwrap();
    assert_eq!(
        wrong.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong CAN"));
}
