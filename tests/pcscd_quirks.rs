//! A quirky chip through a real pcscd with vsmartcard's vpcd driver: the JMRTD passport applet
//! profile (no short EF identifiers, 223-byte reads, bare refusals under secure messaging, BAC
//! and Active Authentication) served in "Virtual PCD 00 00", read by `dactyl read` over PC/SC
//! completely and verified. With `CI` set the test fails when pcscd is missing.

#[path = "common/pcscd.rs"]
mod pcscd;

#[path = "common/quirk_chips.rs"]
mod quirk_chips;

use dactyl::transport::pcsc::PcscTransport;
use std::process::Command;

const TD3_MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

#[test]
fn dactyl_read_reads_a_jmrtd_applet_through_pcscd() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let chip = quirk_chips::build(&quirk_chips::jmrtd_passport());
    let emulator = pcscd::spawn_emulator(chip, pcscd.vpcd_addr());
    drop(
        PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
            .expect("card appears in the vpcd reader"),
    );

    let out = tempfile::tempdir().unwrap();
    let read = Command::new(env!("CARGO_BIN_EXE_dactyl"))
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
        .arg(quirk_chips::fixtures().join("pki/test"))
        .output()
        .unwrap();
    let (card, _) = emulator.stop();
    assert!(
        read.status.success(),
        "dactyl read failed: {}",
        String::from_utf8_lossy(&read.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    assert_eq!(report["reader"], pcscd.reader());
    quirk_chips::assert_jmrtd_report(&report, out.path());
    assert_eq!(card.stats().sm_aborts, 0);
}
