//! Extended Access Control on the virtual chip: DG3 (fingerprints) only after Terminal
//! Authentication with a chain to the chip's CVCA whose effective rights include DG3.

use dactyl::access::cvc::{Chat, CvSigningKey, Cvc, Role};
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::emulator::ChipImage;
use dactyl::issuance::chip_image::{EacConfig, FileSource};
use dactyl::issuance::cv_pki::{TestCvPki, build};
use dactyl::lds::files::EfId;
use dactyl::pki::pa::Verdict;
use dactyl::reader::authenticity::TerminalCredentials;
use dactyl::reader::{Document, NoObserver, ReadOptions, read_document};
use dactyl::time::Date;
use dactyl::transport::memory::InMemory;
use std::path::Path;
use std::sync::Arc;

fn chips() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips")
}

fn pki() -> TestCvPki {
    TestCvPki::generate("UT", KeyAlgorithm::P256, Date::today()).unwrap()
}

fn chip_image(pki: &TestCvPki) -> ChipImage {
    let mut img = ChipImage::load(&chips().join("utopia_passport.json")).unwrap();
    img.eac = Some(EacConfig {
        cvca: FileSource::Hex(hex::encode(pki.cvca.raw())),
        previous_cvca: None,
        date: None,
        ef_cvca: None,
    });
    img
}

fn read(img: &ChipImage, terminal: Option<TerminalCredentials>) -> Document {
    let chip = img.build(&chips()).unwrap();
    let mut opts = ReadOptions::with_can("123456");
    opts.terminal = terminal.map(Arc::new);
    read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap()
}

fn dg3_status(doc: &Document) -> String {
    doc.files
        .iter()
        .find(|f| f.file == "DG3")
        .unwrap()
        .status
        .clone()
}

/// An IS certificate under the test DV with `chat` and validity, signed by the DV key.
fn custom_is(
    pki: &TestCvPki,
    chat: Chat,
    effective: Date,
    expiration: Date,
) -> (Cvc, CvSigningKey) {
    let key = CvSigningKey::generate(KeyAlgorithm::P256).unwrap();
    let mut body = pki.is.body().clone();
    body.public_key = key.public_key(false).unwrap();
    body.chat = chat;
    body.effective = effective;
    body.expiration = expiration;
    (
        Cvc::parse(&build(&body, &pki.dv_key).unwrap()).unwrap(),
        key,
    )
}

#[test]
fn dg3_is_refused_after_pace_and_ca_only() {
    let pki = pki();
    let doc = read(&chip_image(&pki), None);
    assert_eq!(
        doc.chip_authentication.as_ref().unwrap().verdict,
        Verdict::Pass
    );
    assert!(
        dg3_status(&doc).contains("access denied"),
        "{}",
        dg3_status(&doc)
    );
    assert!(!doc.raw.contains_key(&EfId::Dg(3)));
}

#[test]
fn dg3_is_read_after_a_valid_terminal_authentication() {
    let pki = pki();
    let creds = TerminalCredentials {
        chain: vec![pki.dv.clone(), pki.is.clone()],
        key: CvSigningKey::from_pkcs8_pem(&pki.is_key.to_pkcs8_pem().unwrap()).unwrap(),
    };
    let doc = read(&chip_image(&pki), Some(creds));
    let ta = doc.terminal_authentication.as_ref().unwrap();
    assert_eq!(ta.verdict, Verdict::Pass, "{}", ta.detail);
    let expected = std::fs::read(chips().join("bsi_passport/Datagroup3.bin")).unwrap();
    assert!(doc.raw[&EfId::Dg(3)] == expected);
}

#[test]
fn a_chain_without_dg3_rights_is_refused() {
    let pki = pki();
    let (is, key) = custom_is(
        &pki,
        Chat::inspection_system(Role::Terminal, false, true),
        pki.is.body().effective,
        pki.is.body().expiration,
    );
    let creds = TerminalCredentials {
        chain: vec![pki.dv.clone(), is],
        key,
    };
    let doc = read(&chip_image(&pki), Some(creds));
    // The chip accepts the terminal but grants no DG3 access.
    assert_eq!(
        doc.terminal_authentication.as_ref().unwrap().verdict,
        Verdict::Pass
    );
    assert!(dg3_status(&doc).contains("access denied"));
}

#[test]
fn an_expired_is_certificate_is_refused() {
    let pki = pki();
    let today = Date::today();
    let (is, key) = custom_is(
        &pki,
        pki.is.body().chat.clone(),
        today.plus_days(-30).unwrap(),
        today.plus_days(-1).unwrap(),
    );
    let creds = TerminalCredentials {
        chain: vec![pki.dv.clone(), is],
        key,
    };
    let doc = read(&chip_image(&pki), Some(creds));
    let ta = doc.terminal_authentication.as_ref().unwrap();
    assert_eq!(ta.verdict, Verdict::Fail);
    assert!(ta.detail.contains("6982"), "{}", ta.detail);
    assert!(dg3_status(&doc).contains("access denied"));
}

#[test]
fn a_foreign_key_cannot_prove_the_is_certificate() {
    let pki = pki();
    let creds = TerminalCredentials {
        chain: vec![pki.dv.clone(), pki.is.clone()],
        key: CvSigningKey::generate(KeyAlgorithm::P256).unwrap(),
    };
    let doc = read(&chip_image(&pki), Some(creds));
    assert_eq!(
        doc.terminal_authentication.as_ref().unwrap().verdict,
        Verdict::Fail
    );
    assert!(dg3_status(&doc).contains("access denied"));
}
