//! Real biometric files of the fixtures folder for the biometric tests (tests/biometrics.rs,
//! tests/minutiae.rs, tests/biometrics_garbage.rs): where they are and how they are read.
#![allow(dead_code)]

use serde_json::Value;

pub fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

pub fn json_fixture(path: &str) -> Value {
    serde_json::from_slice(&fixture(path)).expect("fixture JSON")
}

pub const BSI_DG3: &str = "chips/bsi_passport/Datagroup3.bin";
pub const BSI_DG2: &str = "chips/bsi_passport/Datagroup2.bin";
pub const NIST_C2: &str = "biometrics/NIST_ISO19794-2_2005_AnnexC2_Example.raw";
pub const FPIO_2005: &str = "biometrics/fingerprintio_iso19794p2v2005-sample";
pub const FPIO_2011: &str = "biometrics/fingerprintio_iso19794p2v2011-sample";
