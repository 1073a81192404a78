//! An independent EAC inspection system against dactyl's virtual chip: the Python script
//! `tests/independent/eac_terminal.py`, written from BSI TR-03110 v2.2 (part 1 clauses 3.4/3.5,
//! part 3 appendices A, B, C, D, F) and ICAO Doc 9303-11 without dactyl's code, opens
//! `dactyl emulate` through pcscd + vpcd and runs PACE (CAN), reads EF.CVCA and DG14, performs
//! Chip Authentication version 1 (AES) and Terminal Authentication version 1 with the CV PKI in
//! `fixtures/eac`, and reads DG3. It signs `ID_PICC || r_PICC || Comp(PK~_PCD)` with
//! ID_PICC = Comp(PK~_PICC of PACE) (dynamic binding), and checks that the chip refuses DG3 before
//! TA, a signature without Comp(PK~_PCD) (6300) and a second TA in the same session. Its
//! `--self-test` verifies the TA signature of the BSI "Worked Example for EAC" (brainpoolP512r1,
//! SHA-512). Runs with Debian's `/usr/bin/python3` (python3-pyscard, python3-cryptography); with
//! `CI` set a missing interpreter or module fails the test.

#[path = "common/pcscd.rs"]
mod pcscd;
#[path = "common/python_terminal.rs"]
mod python_terminal;
use python_terminal::{require_python, root, run_terminal};

use dactyl::transport::pcsc::PcscTransport;
use std::process::Output;

const CAN: &str = "123456";

fn terminal(args: &[&str]) -> (Output, serde_json::Value) {
    run_terminal("eac_terminal.py", args)
}

/// Runs the terminal against the Utopia passport served by `dactyl emulate` in pcscd's vpcd
/// reader; `None` when pcscd or Python is missing outside CI.
fn against_the_utopia_passport(binding: &str) -> Option<(Output, serde_json::Value)> {
    if !require_python() {
        return None;
    }
    let pcscd = pcscd::require_pcscd()?;
    let chip = root().join("fixtures/chips/utopia_passport.json");
    let emulator = pcscd::EmulateProcess::start(&chip, pcscd.vpcd_addr());
    PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .expect("card appears in the vpcd reader");
    let cv_dir = root().join("fixtures/eac");
    let cv_dir = cv_dir.to_str().expect("UTF-8 path");
    let result = terminal(&[
        "--reader",
        pcscd.reader(),
        "--can",
        CAN,
        "--cv-dir",
        cv_dir,
        "--binding",
        binding,
    ]);
    drop(emulator);
    Some(result)
}

fn has_check(json: &serde_json::Value, id: &str) -> bool {
    json["checks"]
        .as_array()
        .is_some_and(|c| c.iter().any(|v| v == id))
}

#[test]
fn independent_ta_self_test_reproduces_the_bsi_worked_example() {
    if !require_python() {
        return;
    }
    let (out, json) = terminal(&["--self-test"]);
    assert!(out.status.success(), "{json}");
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(json["self_test"], "passed", "{json}");
    for id in [
        "we_ta_signature_verifies",
        "we_ta_signature_without_comp_fails",
        "plain_sign_roundtrip",
        "ef_cvca_one_car",
    ] {
        assert!(has_check(&json, id), "{id} missing: {json}");
    }
    assert!(
        json["icao_pace_checks"].as_u64().unwrap_or(0) >= 20,
        "{json}"
    );
}

#[test]
fn independent_terminal_runs_pace_ca_ta_and_reads_dg3() {
    let Some((out, json)) = against_the_utopia_passport("dynamic") else {
        return;
    };
    assert!(out.status.success(), "{json}");
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(json["id_picc_binding"], "dynamic", "{json}");
    assert_eq!(json["pace"]["mapping"], "ECDH-GM", "{json}");
    assert_eq!(json["pace"]["parameter_id"], 13, "{json}");
    assert_eq!(json["cv_pki"]["chain_verified_locally"], true, "{json}");
    assert!(
        json["ef_cvca_cars"]
            .as_array()
            .is_some_and(|c| c.iter().any(|v| v == "UTCVCA00001")),
        "{json}"
    );
    assert!(json["dg3_bytes"].as_u64().unwrap_or(0) > 0, "{json}");
    for id in [
        "pace_t_ic_verified",
        "ef_cvca_lists_dv_car",
        "dg14_ca_info",
        "dg14_ta_info",
        "ca_general_authenticate",
        "ca_session_keys_verified",
        "dg3_refused_before_ta",
        "ta_without_comp_refused",
        "ta_accepted",
        "dg3_read_and_parsed",
        "second_ta_refused",
    ] {
        assert!(has_check(&json, id), "{id} missing: {json}");
    }
    let negative = &json["negative"];
    assert_eq!(negative["dg3_refused_before_ta"]["sw"], "6982", "{json}");
    assert_eq!(
        negative["ta_without_comp_refused"]["step"], "EXTERNAL AUTHENTICATE",
        "{json}"
    );
    assert_eq!(negative["ta_without_comp_refused"]["sw"], "6300", "{json}");
    assert_eq!(negative["second_ta_refused"]["passed"], true, "{json}");
    assert_ne!(negative["second_ta_refused"]["sw"], "9000", "{json}");
    // ID_PICC (x of PK~_PICC, brainpoolP256r1) || r_PICC || Comp(PK~_PCD) (x, brainpoolP256r1)
    let message = json["ta_message_hex"].as_str().unwrap_or_default();
    assert_eq!(message.len(), 2 * (32 + 8 + 32), "{json}");
}

#[test]
fn independent_terminal_static_binding_is_refused_by_a_new_document() {
    let Some((out, json)) = against_the_utopia_passport("static") else {
        return;
    };
    // The fixture is a newly issued document: dynamic binding only (TR-03110-1 3.5).
    assert_eq!(out.status.code(), Some(1), "{json}");
    assert_eq!(json["ok"], false, "{json}");
    assert_eq!(json["id_picc_binding"], "static", "{json}");
    assert_eq!(json["ta_accepted"], false, "{json}");
    assert_eq!(json["ta"]["step"], "EXTERNAL AUTHENTICATE", "{json}");
    assert_eq!(json["ta"]["sw"], "6300", "{json}");
    assert_eq!(
        json["negative"]["dg3_refused_after_refused_ta"]["sw"], "6982",
        "{json}"
    );
}
