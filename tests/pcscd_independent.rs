//! An independent PACE-CAM terminal against dactyl's virtual chip: the Python script
//! `tests/independent/pace_cam_terminal.py`, written from ICAO Doc 9303-11 clauses 4.4 (PACE,
//! Generic Mapping 4.4.3.3.1, Chip Authentication Mapping 4.4.3.5), 9.7 and 9.8 without dactyl's
//! code, opens `dactyl emulate` through pcscd + vpcd, reads EF.CardSecurity under secure
//! messaging and checks PK_map,IC = CA_IC · PK_IC. Its `--self-test` checks the ICAO App. G.1
//! and App. I worked examples. Runs with Debian's `/usr/bin/python3` (python3-pyscard,
//! python3-cryptography); with `CI` set a missing interpreter or module fails the test.

#[path = "common/pcscd.rs"]
mod pcscd;
#[path = "common/python_terminal.rs"]
mod python_terminal;
use python_terminal::{require_python, root, run_terminal};

use dactyl::transport::pcsc::PcscTransport;
use std::process::Output;

const CAM_CAN: &str = "918273";

fn terminal(args: &[&str]) -> (Output, serde_json::Value) {
    run_terminal("pace_cam_terminal.py", args)
}

#[test]
fn independent_terminal_reproduces_the_icao_worked_examples() {
    if !require_python() {
        return;
    }
    let (out, json) = terminal(&["--self-test"]);
    assert!(out.status.success(), "{json}");
    assert_eq!(json["self_test"], "passed", "{json}");
    assert!(json["checks"].as_u64().unwrap_or(0) >= 20, "{json}");
}

#[test]
fn independent_terminal_opens_the_cam_chip_and_verifies_pk_ic() {
    if !require_python() {
        return;
    }
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let chip = root().join("fixtures/chips/pace_cam_bp384_aes192.json");
    let _emulator = pcscd::EmulateProcess::start(&chip, pcscd.vpcd_addr());
    PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .expect("card appears in the vpcd reader");
    let ds = root().join("fixtures/pki/test/ds.pem");
    let ds = ds.to_str().expect("UTF-8 path");

    let (out, json) = terminal(&[
        "--reader",
        pcscd.reader(),
        "--can",
        CAM_CAN,
        "--require-cam",
        "--ds-cert",
        ds,
    ]);
    assert!(out.status.success(), "{json}");
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(json["mapping"], "ECDH-CAM", "{json}");
    assert_eq!(json["parameter_id"], 16, "{json}");
    assert_eq!(json["t_ic_verified"], true, "{json}");
    assert_eq!(json["pk_ic_verified"], true, "{json}");
    assert_eq!(json["card_security_signature_verified"], true, "{json}");

    // A wrong CAN: the chip refuses the terminal's token; the terminal exits non-zero.
    let (out, json) = terminal(&["--reader", pcscd.reader(), "--can", "918274"]);
    assert_eq!(out.status.code(), Some(1), "{json}");
    assert_eq!(json["ok"], false, "{json}");
    assert!(
        json["error"]
            .as_str()
            .is_some_and(|e| e.contains("GENERAL AUTHENTICATE")),
        "{json}"
    );
}
