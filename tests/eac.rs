//! Extended Access Control on the virtual chip: DG3 (fingerprints) only after Terminal
//! Authentication with a chain to the chip's CVCA whose effective rights include DG3.

use dactyl::access::cvc::{Chat, CvSigningKey, Cvc, Role, TestCvPki, build};
use dactyl::emulator::ChipImage;
use dactyl::emulator::image::{EacConfig, FileSource};
use dactyl::issuance::policy::Date;
use dactyl::lds::files::EfId;
use dactyl::pki::pa::Verdict;
use dactyl::pki::signing_key::KeyAlgorithm;
use dactyl::reader::authenticity::TerminalCredentials;
use dactyl::reader::{Document, NoObserver, ReadOptions, read_document};
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
        date: None,
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

/// BSI "Worked Example for EAC" v1.01 (VECTORS.md section 9), TA part: the terminal's signature
/// over ID_PICC || r_PICC || Comp(PK_PCD,CA) verifies under the worked example's terminal
/// certificate (TA version 2 after PACE: ID_PICC = Comp(the chip's PACE ephemeral key), Comp = x).
/// The certificates are OpenPACE's copies (GPL), read from ../shared when present.
#[test]
fn bsi_eac_worked_example_terminal_signature() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors/data/eac_cvc");
    let Ok(cvca) = std::fs::read(dir.join("BSI_EACWE_ECDH_CVCA.cvcert")) else {
        eprintln!("skipping: ../shared/vectors not present");
        return;
    };
    let cvca = Cvc::parse(&cvca).unwrap();
    let dv = Cvc::parse(&std::fs::read(dir.join("BSI_EACWE_ECDH_DV.cvcert")).unwrap()).unwrap();
    let term =
        Cvc::parse(&std::fs::read(dir.join("BSI_EACWE_ECDH_Terminal.cvcert")).unwrap()).unwrap();
    let h = |s: &str| hex::decode(s).unwrap();
    let x = |p: &[u8]| p[1..1 + (p.len() - 1) / 2].to_vec();
    let id_picc = x(&h(
        "04282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD6804DF3658B835AC2E7133F13691184542BB50B109963A4662ABDC08B9763AF4B5B",
    ));
    let r_picc = h("547E4EAB03B235D2");
    let pcd_ca = x(&h(
        "045A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF3799A34EE57EC55268CF8B1C3EC489F8BF4CF4C68D3FD9670E89C0D5D3FFF1AAF89F",
    ));
    let sig = h(
        "81A2D9E5891B86A0F01ADD0341C89D6E9EF3E20C223884F27B2F2040E9721C46C9C3CF7C0EE0A422263BA6F1EAFC693BD8738F34760B5998584F58DD25B8D60D99D7C45957C2E2F10C0E5F91A8DC88BD7CFA33CBF784A9DA83C800324165179DBE71C69B2C0FD811270E436C43278184DDB542142342DBF156E82D2A1BC19085",
    );
    let key = term.public_key(cvca.domain()).unwrap();
    let alg = term.body().public_key.algorithm;
    let _ = (&dv, &alg);
    let message = [id_picc, r_picc, pcd_ca].concat();
    let result = match (alg, &key) {
        (dactyl::access::cvc::TaAlgorithm::Ecdsa(hash), _) => {
            dactyl::pki::signature::verify_ecdsa_plain(&key, hash, &message, &sig)
        }
        (dactyl::access::cvc::TaAlgorithm::RsaPkcs1(hash), _) => dactyl::pki::signature::verify(
            &key,
            &dactyl::pki::signature::SignatureAlgorithm::RsaPkcs1(hash),
            &message,
            &sig,
        ),
        (dactyl::access::cvc::TaAlgorithm::RsaPss(hash), _) => dactyl::pki::signature::verify(
            &key,
            &dactyl::pki::signature::SignatureAlgorithm::RsaPss {
                hash,
                mgf_hash: hash,
                salt_len: hash.output_len(),
            },
            &message,
            &sig,
        ),
    };
    result.unwrap_or_else(|e| panic!("{alg:?} {}: {e}", key.describe()));
}
