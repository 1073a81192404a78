//! Chip images for the quirk-profile tests: the Utopia passport fixture with a quirk added, and
//! a JMRTD-applet-like passport (BAC, 3DES, Active Authentication, no PACE, no Chip
//! Authentication) whose EF.SOD is signed at test time by the fixture test PKI.
#![allow(dead_code)]

use dactyl::access::cvc::{CvSigningKey, Cvc};
use dactyl::emulator::{ChipImage, Quirk, VirtualChip};
use dactyl::issuance::chip_image::FileSource;
use dactyl::issuance::sod_signer::{SodOptions, sign_sod};
use dactyl::issuance::test_pki::TestPki;
use dactyl::lds::mrz::{Mrz, MrzKeyInfo};
use dactyl::pki::trust::TrustStore;
use dactyl::reader::authenticity::TerminalCredentials;
use dactyl::time::Time;
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

pub fn chips_dir() -> PathBuf {
    fixtures().join("chips")
}

/// The Utopia passport: PACE, BAC, CA, AA, DG2 and DG3 (EAC), extended length.
pub fn utopia(quirks: &[Quirk]) -> ChipImage {
    let mut img = ChipImage::load(&chips_dir().join("utopia_passport.json")).unwrap();
    img.quirks = quirks.to_vec();
    img
}

/// A passport as the JMRTD applet holds it: DG1, DG2 and DG15, BAC only, short APDUs, the
/// `jmrtd-applet` profile, EF.SOD signed now by the test Document Signer.
pub fn jmrtd_passport() -> ChipImage {
    let mut img = utopia(&[Quirk::JmrtdApplet]);
    img.description = "JMRTD passport applet: BAC, 3DES, AA".into();
    img.pace.clear();
    img.chip_authentication = None;
    img.eac = None;
    img.extended_length = false;
    img.files.remove("DG3");
    img.files.remove("SOD");
    let fs = img.file_system(&chips_dir()).unwrap();
    let dgs = fs.data_groups();
    assert_eq!(dgs.keys().copied().collect::<Vec<u8>>(), [1, 2, 15]);
    let pki = TestPki::load(&fixtures().join("pki/test")).unwrap();
    let sod = sign_sod(&dgs, &pki.ds, &pki.ds_key, &SodOptions::new(Time::now())).unwrap();
    img.files
        .insert("SOD".into(), FileSource::Hex(hex::encode(sod)));
    img
}

pub fn build(img: &ChipImage) -> VirtualChip {
    img.build(&chips_dir()).unwrap()
}

pub fn mrz_key_info() -> MrzKeyInfo {
    Mrz::parse_verified(&utopia(&[]).mrz)
        .unwrap()
        .key_info()
        .unwrap()
}

pub fn trust() -> TrustStore {
    let mut trust = TrustStore::new();
    trust.load_path(&fixtures().join("pki/test")).unwrap();
    trust
}

/// The test inspection system's Terminal Authentication credentials (fixtures/eac).
pub fn terminal() -> TerminalCredentials {
    let eac = fixtures().join("eac");
    let read = |f: &str| std::fs::read(eac.join(f)).unwrap();
    TerminalCredentials {
        chain: vec![
            Cvc::parse(&read("dv.cvcert")).unwrap(),
            Cvc::parse(&read("is.cvcert")).unwrap(),
        ],
        key: CvSigningKey::from_pkcs8_pem(&String::from_utf8_lossy(&read("is.key"))).unwrap(),
    }
}

/// The face image the Utopia passport carries in DG2.
pub fn dg2() -> Vec<u8> {
    std::fs::read(chips_dir().join("bsi_passport/Datagroup2.bin")).unwrap()
}

/// `img` with every file and key given as hex, so it can be written anywhere.
pub fn self_contained(img: &ChipImage) -> ChipImage {
    let mut img = img.clone();
    let load = |source: &FileSource| match source {
        FileSource::Path(p) => {
            FileSource::Hex(hex::encode(std::fs::read(chips_dir().join(p)).unwrap()))
        }
        other => other.clone(),
    };
    for source in img.files.values_mut() {
        *source = load(source);
    }
    if let Some(aa) = img.active_authentication.as_mut() {
        aa.pkcs8 = load(&aa.pkcs8);
    }
    if let Some(eac) = img.eac.as_mut() {
        eac.cvca = load(&eac.cvca);
    }
    if let Some(ds) = img.document_signer.as_mut() {
        ds.certificate = load(&ds.certificate);
        ds.key = load(&ds.key);
    }
    img
}

/// What `dactyl read --json --out DIR` must report for the JMRTD applet passport: BAC, short
/// APDUs, PA and AA passed, every file read, DG2 saved, and the APDU count of a read without
/// retries (5 to open, per file one SELECT and 223-byte reads, one INTERNAL AUTHENTICATE).
pub fn assert_jmrtd_report(report: &serde_json::Value, out: &Path) {
    assert_eq!(report["access_control"], "BAC", "{report:#}");
    assert_eq!(report["extended_length"], false);
    assert_eq!(
        report["passive_authentication"]["passed"], true,
        "{report:#}"
    );
    assert_eq!(
        report["active_authentication"]["verdict"], "pass",
        "{report:#}"
    );
    assert_eq!(report["genuine"], true, "{report:#}");
    let files = report["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().filter_map(|f| f["file"].as_str()).collect();
    assert_eq!(
        names,
        ["EF.COM", "DG1", "DG2", "DG15", "EF.SOD"],
        "{report:#}"
    );
    for f in files {
        assert_eq!(f["status"], "read", "{f}");
    }
    let saved = std::fs::read(out.join("DG2.bin")).unwrap();
    assert!(saved == dg2(), "DG2 differs");
    let file_apdus: u64 = files
        .iter()
        .map(|f| 1 + f["bytes"].as_u64().unwrap().div_ceil(223))
        .sum();
    assert_eq!(report["traffic"]["apdus"], 5 + file_apdus + 1, "{report:#}");
}
