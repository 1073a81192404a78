//! The access rules a real eMRTD enforces and the one inspection verdict a border reader gives:
//! Terminal Authentication only after Chip Authentication, once per session, its rights gone
//! with a new Chip Authentication (BSI TR-03110-1 clause 3.5); chip images that would serve
//! fingerprints without EAC, or advertise keys they do not hold, refused at load; EF.CardSecurity
//! on PACE-CAM chips (ICAO Doc 9303-11 clause 4.4.3.5, 9.2.2); an inspection that fails closed
//! (BSI TR-03105 Part 5.1 test cases named where they apply).

#[path = "common/fixtures.rs"]
mod fixtures;
use dactyl::access::aa::AaKey;
use dactyl::access::cvc::CvSigningKey;
use dactyl::access::ta::{ChipIdentifier, TaBinding, terminal_authentication};
use dactyl::apdu::sw;
use dactyl::emulator::ChipImage;
use dactyl::issuance::chip_image::{DocumentSignerConfig, FileSource};
use dactyl::lds::files::EfId;
use dactyl::lds::mrz::{Mrz, MrzKeyInfo};
use dactyl::lds::security_infos::{SecurityInfo, card_security, dg14};
use dactyl::pki::cert::Certificate;
use dactyl::pki::pa::Verdict;
use dactyl::pki::trust::TrustStore;
use dactyl::reader::authenticity::{TerminalCredentials, run_chip_authentication};
use dactyl::reader::open::open_chip;
use dactyl::reader::{
    AccessKeys, AccessPolicy, Document, NoObserver, ReadOptions, Session, read_document,
};
use dactyl::time::Time;
use dactyl::transport::memory::InMemory;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const UTOPIA_MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chips() -> PathBuf {
    root().join("fixtures/chips")
}

fn image(name: &str) -> ChipImage {
    ChipImage::load(&chips().join(name)).unwrap()
}

fn utopia_keys() -> MrzKeyInfo {
    Mrz::parse_verified(UTOPIA_MRZ).unwrap().key_info().unwrap()
}

fn terminal() -> TerminalCredentials {
    fixtures::test_terminal()
}

fn trust() -> TrustStore {
    let mut trust = TrustStore::new();
    let pem = std::fs::read(root().join("fixtures/pki/test/csca.pem")).unwrap();
    for c in Certificate::from_pem_or_der(&pem).unwrap() {
        trust.add_csca(c);
    }
    trust
}

fn read_and_verify(chip: dactyl::emulator::VirtualChip, opts: &ReadOptions) -> Document {
    let mut doc = read_document(Box::new(InMemory::new(chip)), opts, &mut NoObserver).unwrap();
    doc.verify_passive(&trust(), Time::now(), false);
    doc
}

/// TA after BAC: `ID_PICC` is the document number; the terminal key is the session's newest
/// (none before Chip Authentication, which the chip then refuses).
fn ta(session: &mut Session) -> dactyl::Result<()> {
    let creds = terminal();
    let (_, terminal_key) = session.terminal_authentication_binding();
    let binding = TaBinding {
        chip: ChipIdentifier::document_number(&utopia_keys()),
        terminal_key: terminal_key.map(<[u8]>::to_vec).unwrap_or_default(),
    };
    terminal_authentication(
        &mut |c| session.transmit(c),
        &creds.chain,
        &creds.key,
        &binding,
    )
    .map(|_| ())
}

/// TR-03110-1 3.5: no Terminal Authentication before Chip Authentication; one per session; a
/// new Chip Authentication ends the rights.
#[test]
fn terminal_authentication_needs_chip_authentication_first() {
    let chip = image("utopia_passport.json").build(&chips()).unwrap();
    let mut session = Session::new(Box::new(InMemory::new(chip)));
    let keys = AccessKeys {
        mrz: Some(utopia_keys()),
        can: None,
    };
    open_chip(&mut session, &keys, AccessPolicy::BacOnly).unwrap();
    let before_ca = ta(&mut session).unwrap_err();
    assert_eq!(before_ca.sw(), Some(sw::CONDITIONS), "{before_ca}");
    assert_eq!(
        session
            .read_file(EfId::Dg(3), &mut |_, _| {})
            .unwrap_err()
            .sw(),
        Some(sw::SECURITY_STATUS)
    );

    let dg14 = session.read_file(EfId::Dg(14), &mut |_, _| {}).unwrap();
    assert_eq!(
        run_chip_authentication(&mut session, &dg14).verdict,
        Verdict::Pass
    );
    ta(&mut session).unwrap();
    assert!(session.read_file(EfId::Dg(3), &mut |_, _| {}).is_ok());
    let again = ta(&mut session).unwrap_err();
    assert_eq!(again.sw(), Some(sw::CONDITIONS), "second TA: {again}");

    // A new Chip Authentication drops what TA granted.
    assert_eq!(
        run_chip_authentication(&mut session, &dg14).verdict,
        Verdict::Pass
    );
    assert_eq!(
        session
            .read_file(EfId::Dg(3), &mut |_, _| {})
            .unwrap_err()
            .sw(),
        Some(sw::SECURITY_STATUS)
    );
}

#[test]
fn an_image_serving_fingerprints_without_eac_is_refused_unless_opted_in() {
    let mut img = image("utopia_passport.json");
    img.eac = None;
    let e = img.build(&chips()).unwrap_err().to_string();
    assert!(
        e.contains("DG3") && e.contains("insecure_biometrics_without_eac"),
        "{e}"
    );
    assert!(img.announcements().is_empty());
    img.insecure_biometrics_without_eac = true;
    assert!(img.build(&chips()).is_ok());
    assert!(img.announcements()[0].contains("WARNING"));
}

#[test]
fn advertised_keys_must_be_configured() {
    let mut no_ca = image("bsi_passport.json");
    no_ca.chip_authentication = None;
    let e = no_ca.build(&chips()).unwrap_err().to_string();
    assert!(
        e.contains("DG14 advertises a Chip Authentication key"),
        "{e}"
    );

    let mut no_aa = image("bsi_passport.json");
    no_aa.active_authentication = None;
    let e = no_aa.build(&chips()).unwrap_err().to_string();
    assert!(e.contains("DG15 advertises"), "{e}");

    // A configured key that is not the advertised one.
    let mut other_ca = image("bsi_passport.json");
    if let Some(ca) = other_ca.chip_authentication.as_mut() {
        ca.private_key = "0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C".into();
    }
    let e = other_ca.build(&chips()).unwrap_err().to_string();
    assert!(e.contains("not the key"), "{e}");
}

#[test]
fn the_bsi_passport_runs_ca_and_ta_with_its_own_keys() {
    let mut opts = ReadOptions::new(MrzKeyInfo::new("C11T002JM", "960812", "231031").unwrap());
    opts.terminal = Some(Arc::new(terminal()));
    let chip = image("bsi_passport.json").build(&chips()).unwrap();
    // A chip offering Chip Authentication carries a signed EF.CardSecurity.
    let (infos, _) = card_security(chip.files().get(EfId::CardSecurity).unwrap()).unwrap();
    assert!(infos.ca_public_keys().next().is_some());
    let doc = read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap();
    // Its EF.COM does not list DG15 and its SOD does not sign it: Active Authentication is
    // not offered to a reader (the key is still checked against DG15 at load).
    assert!(doc.active_authentication.is_none());
    for c in [&doc.chip_authentication, &doc.terminal_authentication] {
        assert_eq!(
            c.as_ref().map(|c| c.verdict),
            Some(Verdict::Pass),
            "{c:?} {:?}",
            doc.files
        );
    }
    assert!(doc.raw.contains_key(&EfId::Dg(3)));
}

fn document_signer() -> DocumentSignerConfig {
    DocumentSignerConfig {
        certificate: FileSource::Path("keys/ds.pem".into()),
        key: FileSource::Path("keys/ds.key".into()),
    }
}

/// ICAO 9303-11 4.4.3.5 / 9.2.2: a PACE-CAM chip carries a signed EF.CardSecurity with PK_IC,
/// and the reader checks CAM against it.
#[test]
fn pace_cam_chips_carry_a_signed_card_security_the_reader_uses() {
    let img = image("pace_cam_bp384_aes192.json");
    let chip = img.build(&chips()).unwrap();
    let bytes = chip.files().get(EfId::CardSecurity).unwrap().to_vec();
    let (infos, signed) = card_security(&bytes).unwrap();
    assert!(infos.ca_public_keys().next().is_some());
    assert!(infos.pace_infos().next().is_some());
    assert_eq!(signed.signer_infos.len(), 1);

    let doc = read_and_verify(chip, &ReadOptions::with_can("918273"));
    let cam = doc.chip_authentication.as_ref().unwrap();
    assert_eq!(cam.verdict, Verdict::Pass, "{cam:?}");
    assert!(cam.detail.contains("EF.CardSecurity"), "{}", cam.detail);
    assert!(doc.raw.contains_key(&EfId::CardSecurity));
    let cs = doc
        .card_security
        .as_ref()
        .expect("EF.CardSecurity verified");
    assert!(cs.passed, "{cs:?}");
    assert!(
        doc.inspection.as_ref().unwrap().successful,
        "{:?}",
        doc.inspection
    );
    assert_eq!(doc.genuine, Some(true));

    // Without a Document Signer or a CardSecurity file, a CAM chip is refused at load.
    let mut unsigned = img.clone();
    unsigned.document_signer = None;
    let e = unsigned.build(&chips()).unwrap_err().to_string();
    assert!(e.contains("EF.CardSecurity"), "{e}");
}

/// 9303-11 9.2.9: an ECDSA Active Authentication key is announced with its algorithm in DG14.
#[test]
fn an_ecdsa_aa_key_is_announced_in_dg14() {
    let key = dactyl::crypto::signing_key::SigningKey::generate(
        dactyl::crypto::signing_key::KeyAlgorithm::P256,
    )
    .unwrap();
    let pem = key.to_pkcs8_pem().unwrap();
    let der = dactyl::crypto::pem::pem_blocks(pem.as_bytes(), "PRIVATE KEY")
        .unwrap()
        .remove(0);
    assert!(AaKey::from_pkcs8_der(&der).is_ok());
    let mut img = image("pace_im_p256_aes256.json");
    img.active_authentication = Some(dactyl::issuance::chip_image::AaConfig {
        pkcs8: FileSource::Hex(hex::encode(&der)),
    });
    let chip = img.build(&chips()).unwrap();
    let infos = dg14(chip.files().get(EfId::Dg(14)).unwrap()).unwrap();
    let aa = infos.aa_info().expect("ActiveAuthenticationInfo in DG14");
    assert_eq!(aa.signature_algorithm, "0.4.0.127.0.7.1.1.4.1.3");
    assert!(
        infos
            .infos
            .iter()
            .all(|i| !matches!(i, SecurityInfo::ChipAuthentication(_)))
    );
    let files = chip.files().clone();
    let doc = read_and_verify(chip, &ReadOptions::with_can("500540"));
    let aa = doc.active_authentication.as_ref().unwrap();
    assert_eq!(aa.verdict, Verdict::Pass, "{aa:?}");
    assert!(
        !aa.detail.contains("no ActiveAuthenticationInfo"),
        "{}",
        aa.detail
    );
    assert!(
        doc.inspection.as_ref().unwrap().successful,
        "{:?}",
        doc.inspection
    );

    // A DG14 without the info: an image is refused, and a chip built without the image check
    // (as a non-conforming card is) gets its absence reported by the reader.
    let mut no_info = img.clone();
    no_info
        .files
        .insert("DG14".into(), FileSource::Hex("6e023100".into()));
    let e = no_info.build(&chips()).unwrap_err().to_string();
    assert!(e.contains("ActiveAuthenticationInfo"), "{e}");
    let mut fs = files;
    fs.put(EfId::Dg(14), vec![0x6E, 0x02, 0x31, 0x00]);
    let chip = dactyl::emulator::VirtualChip::new(
        fs,
        Some(dactyl::access::bac::BacKeys::from_mrz(&utopia_keys())),
        dactyl::emulator::ChipConfig::default(),
    )
    .with_active_authentication(AaKey::from_pkcs8_der(&der).unwrap());
    let mut opts = ReadOptions::new(utopia_keys());
    opts.access = AccessPolicy::BacOnly;
    let doc = read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap();
    let aa = doc.active_authentication.as_ref().unwrap();
    assert_eq!(aa.verdict, Verdict::Pass, "{aa:?}");
    assert!(
        aa.detail.contains("no ActiveAuthenticationInfo"),
        "{}",
        aa.detail
    );
}

fn utopia_opts() -> ReadOptions {
    let mut opts = ReadOptions::new(utopia_keys());
    opts.terminal = Some(Arc::new(terminal()));
    opts
}

/// TR-03105-5.1 (ISO_A / ISO_B style "inspection procedure successful"): every mechanism passed.
#[test]
fn a_complete_read_is_a_successful_inspection() {
    let chip = image("utopia_passport.json").build(&chips()).unwrap();
    let doc = read_and_verify(chip, &utopia_opts());
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(inspection.successful, "{inspection:?}");
    assert!(inspection.notes.is_empty(), "{inspection:?}");
}

#[test]
fn a_failed_active_authentication_fails_the_inspection() {
    let img = image("utopia_passport.json");
    let load = |p: &Path| Ok(std::fs::read(chips().join(p)).unwrap());
    let fs = img.file_system_with(&load).unwrap();
    // The chip signs with another key than the one DG15 (signed in the SOD) publishes: a
    // clone that copied the data but not the key.
    let other =
        AaKey::from_pkcs8_der(&std::fs::read(chips().join("bsi_passport/DG14_sk.pkcs8")).unwrap())
            .unwrap();
    let chip = dactyl::emulator::VirtualChip::new(
        fs.clone(),
        Some(dactyl::access::bac::BacKeys::from_mrz(&utopia_keys())),
        dactyl::emulator::ChipConfig::default(),
    )
    .with_active_authentication(other);
    let mut opts = ReadOptions::new(utopia_keys());
    opts.access = AccessPolicy::BacOnly;
    let doc = read_and_verify(chip, &opts);
    assert!(doc.passive_authentication.as_ref().unwrap().passed);
    assert_eq!(
        doc.active_authentication.as_ref().unwrap().verdict,
        Verdict::Fail
    );
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(!inspection.successful);
    assert_mentions(&inspection.failures, "Active Authentication");
    assert_eq!(doc.genuine, Some(false));
}

#[test]
fn a_failed_terminal_authentication_fails_the_inspection() {
    let chip = image("utopia_passport.json").build(&chips()).unwrap();
    let mut creds = terminal();
    creds.key = CvSigningKey::generate(dactyl::crypto::signing_key::KeyAlgorithm::P256).unwrap();
    let mut opts = ReadOptions::new(utopia_keys());
    opts.terminal = Some(Arc::new(creds));
    let doc = read_and_verify(chip, &opts);
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(!inspection.successful, "{inspection:?}");
    assert_mentions(&inspection.failures, "Terminal Authentication");
}

#[test]
fn without_terminal_credentials_the_inspection_succeeds_with_fingerprints_not_shown() {
    let chip = image("utopia_passport.json").build(&chips()).unwrap();
    let doc = read_and_verify(chip, &ReadOptions::new(utopia_keys()));
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(inspection.successful, "{inspection:?}");
    assert_mentions(&inspection.notes, "fingerprints not shown");
}

#[test]
fn dg1_must_be_the_document_whose_mrz_was_typed() {
    // PACE with the CAN opens the chip; the officer also typed another document's MRZ.
    let chip = image("utopia_passport.json").build(&chips()).unwrap();
    let opts = ReadOptions::with_keys(AccessKeys {
        mrz: Some(MrzKeyInfo::new("C11T002JM", "960812", "231031").unwrap()),
        can: Some(zeroize::Zeroizing::new("123456".into())),
    });
    let doc = read_and_verify(chip, &opts);
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(!inspection.successful);
    assert_mentions(&inspection.failures, "DG1 is not the document");
}

#[test]
fn data_groups_the_sod_signs_but_ef_com_omits_are_read_and_checked() {
    let mut img = image("utopia_passport.json");
    // EF.COM lists DG1 and DG14 only; DG2, DG3 and DG15 are on the chip and in the SOD.
    img.files.insert(
        "COM".into(),
        FileSource::Hex(hex::encode(
            dactyl::lds::com::Com::for_data_groups(&[1, 14]).encode(),
        )),
    );
    let chip = img.build(&chips()).unwrap();
    let doc = read_and_verify(chip, &utopia_opts());
    let pa = doc.passive_authentication.as_ref().unwrap();
    for dg in ["DG2 hash", "DG15 hash"] {
        assert_eq!(pa.check(dg).map(|c| c.verdict), Some(Verdict::Pass), "{dg}");
    }
    assert!(doc.raw.contains_key(&EfId::Dg(2)));
}

/// TR-03105-5.1 ISO7816_G_08 (ICAO ISO7816_C_08): PACE aborted by a status word during MSE:Set
/// AT; the fallback to BAC is shown as a downgrade.
#[test]
fn a_pace_failure_is_a_visible_downgrade_and_no_downgrade_refuses_it() {
    // EF.CardAccess offers a suite the chip's PACE does not run: PACE fails (not a wrong
    // password), the reader falls back to BAC and says so.
    let mut img = image("utopia_passport.json");
    img.files.insert(
        "CardAccess".into(),
        FileSource::Hex(
            // SET { PACEInfo { id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, parameter id 13 } }
            "31143012060a04007f00070202040202020102 02010d".into(),
        ),
    );
    img.pace[0].protocol = "id-PACE-ECDH-IM-AES-CBC-CMAC-128".into();
    let chip = img.build(&chips()).unwrap();
    let doc = read_and_verify(chip, &utopia_opts());
    assert_eq!(doc.access_control, "BAC");
    assert!(doc.access.downgraded);
    let inspection = doc.inspection.as_ref().unwrap();
    assert_mentions(&inspection.notes, "downgrade");

    let chip = img.build(&chips()).unwrap();
    let mut opts = utopia_opts();
    opts.access = AccessPolicy::NoDowngrade;
    let e = read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap_err();
    assert!(e.to_string().contains("--no-downgrade"), "{e}");
}

#[test]
fn document_signer_must_match_its_key() {
    let mut img = image("pace_cam_bp384_aes192.json");
    img.document_signer = Some(DocumentSignerConfig {
        certificate: FileSource::Hex(hex::encode(
            std::fs::read(root().join("fixtures/pki/test/csca.pem")).unwrap(),
        )),
        ..document_signer()
    });
    let e = img.build(&chips()).unwrap_err().to_string();
    assert!(e.contains("does not belong"), "{e}");
}

/// TR-03105-5.1 ISO7816_E_14: a certificate that denies access to DG3 — "MRTD inspection
/// procedure successful" but fingerprints are not displayed.
#[test]
fn iso7816_e_14_terminal_without_dg3_rights_succeeds_without_fingerprints() {
    use dactyl::access::cvc::{Chat, Role};
    use dactyl::issuance::cv_pki::{TestCvPki, build};
    use dactyl::time::Date;
    let pki = TestCvPki::generate(
        "UT",
        dactyl::crypto::signing_key::KeyAlgorithm::P256,
        Date::today(),
    )
    .unwrap();
    let mut img = image("utopia_passport.json");
    img.eac = Some(dactyl::issuance::chip_image::EacConfig {
        cvca: FileSource::Hex(hex::encode(pki.cvca.raw())),
        previous_cvca: None,
        date: None,
        ef_cvca: None,
    });
    let key = CvSigningKey::generate(dactyl::crypto::signing_key::KeyAlgorithm::P256).unwrap();
    let mut body = pki.is.body().clone();
    body.public_key = key.public_key(false).unwrap();
    body.chat = Chat::inspection_system(Role::Terminal, false, false);
    let is = dactyl::access::cvc::Cvc::parse(&build(&body, &pki.dv_key).unwrap()).unwrap();
    let mut opts = ReadOptions::new(utopia_keys());
    opts.terminal = Some(Arc::new(TerminalCredentials {
        chain: vec![pki.dv.clone(), is],
        key,
    }));
    let doc = read_and_verify(img.build(&chips()).unwrap(), &opts);
    assert_eq!(
        doc.terminal_authentication.as_ref().map(|c| c.verdict),
        Some(Verdict::Pass)
    );
    assert!(!doc.raw.contains_key(&EfId::Dg(3)));
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(inspection.successful, "{inspection:?}");
    assert_eq!(inspection.headline(), "inspection procedure successful");
    assert!(
        inspection
            .notes
            .iter()
            .any(|n| n.contains("fingerprints not shown")
                && n.contains("after Terminal Authentication")),
        "{inspection:?}"
    );
}

/// TR-03105-5.1 ISO7816_G_39 (ICAO ISO7816_C_37): EF.CardSecurity with a wrong
/// chipAuthenticationPublicKey during PACE-CAM — the inspection fails.
#[test]
fn iso7816_g_39_card_security_with_a_wrong_ca_key_fails_pace_cam() {
    let img = image("pace_cam_bp384_aes192.json");
    let other = with_another_ca_key(&img);
    let forged = with_card_security_of(&img, &other);
    let doc = read_and_verify(
        forged.build(&chips()).unwrap(),
        &ReadOptions::with_can("918273"),
    );
    let cam = doc.chip_authentication.as_ref().unwrap();
    assert_eq!(cam.verdict, Verdict::Fail, "{cam:?}");
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(!inspection.successful);
    assert_eq!(doc.genuine, Some(false));
}

/// A clone with its own PACE-CAM key and an EF.CardSecurity for it (signed by anyone) next to
/// the original's signed DG14: the CAM proof does not count.
#[test]
fn a_card_security_key_counts_only_when_the_signed_dg14_confirms_it() {
    use dactyl::reader::authenticity::card_security_key_confirmed;
    let img = image("pace_cam_bp384_aes192.json");
    let other = with_another_ca_key(&img);
    let original = img.build(&chips()).unwrap();
    let clone = other.build(&chips()).unwrap();
    let cs =
        |c: &dactyl::emulator::VirtualChip| c.files().get(EfId::CardSecurity).unwrap().to_vec();
    let dg14 = original.files().get(EfId::Dg(14)).unwrap().to_vec();
    assert!(card_security_key_confirmed(&cs(&original), Some(&dg14), true).is_ok());
    let e = card_security_key_confirmed(&cs(&clone), Some(&dg14), true).unwrap_err();
    assert!(e.contains("differs"), "{e}");
    let e = card_security_key_confirmed(&cs(&original), Some(&dg14), false).unwrap_err();
    assert!(e.contains("not verified"), "{e}");
    assert!(card_security_key_confirmed(&cs(&original), None, true).is_err());
}

/// ICAO 9303-11 9.2.2: EF.CardSecurity is verified like the SOD. A chip whose EF.CardSecurity
/// is signed by a Document Signer no trusted CSCA issued fails the inspection, and its CAM key
/// does not count unless the signed DG14 confirms it.
#[test]
fn a_card_security_from_an_untrusted_signer_fails_the_inspection() {
    use dactyl::issuance::test_pki::{PkiOptions, TestPki};
    let rogue = TestPki::generate(&PkiOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    rogue.write(dir.path()).unwrap();
    let hex_of = |n: &str| FileSource::Hex(hex::encode(std::fs::read(dir.path().join(n)).unwrap()));
    let img = image("pace_cam_bp384_aes192.json");
    let mut rogue_img = img.clone();
    rogue_img.document_signer = Some(DocumentSignerConfig {
        certificate: hex_of("ds.pem"),
        key: hex_of("ds.key"),
    });
    let forged = with_card_security_of(&img, &rogue_img);
    let doc = read_and_verify(
        forged.build(&chips()).unwrap(),
        &ReadOptions::with_can("918273"),
    );
    let cs = doc.card_security.as_ref().unwrap();
    assert!(!cs.passed);
    assert_eq!(
        cs.check("certificate chain").map(|c| c.verdict),
        Some(Verdict::Fail)
    );
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(!inspection.successful);
    assert_mentions(&inspection.failures, "EF.CardSecurity");
    // Here the key is the chip's own and DG14 (signed by the trusted SOD) confirms it.
    let cam = doc.chip_authentication.as_ref().unwrap();
    assert_eq!(cam.verdict, Verdict::Pass, "{cam:?}");
    assert!(cam.detail.contains("signed DG14"), "{}", cam.detail);
}

/// A malformed EF.ATR/INFO is reported (and the ATR's announcement used instead).
#[test]
fn a_malformed_ef_atr_info_is_reported() {
    let img = image("utopia_passport.json");
    let load = |p: &Path| Ok(std::fs::read(chips().join(p)).unwrap());
    let mut fs = img.file_system_with(&load).unwrap();
    fs.put(EfId::AtrInfo, vec![0x7F, 0x66, 0x05, 0x02, 0x01]);
    let chip = img.build_from(fs, &load).unwrap();
    let doc = read_and_verify(chip, &utopia_opts());
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("EF.ATR/INFO is malformed")),
        "{:?}",
        doc.warnings
    );
    assert!(doc.extended_length);
    assert!(doc.inspection.as_ref().unwrap().successful);
}

/// The optional defence against guessing: each failed BAC or PACE attempt costs the terminal a
/// delay that doubles; a success resets it.
#[test]
fn a_chip_can_slow_down_password_guessing() {
    let mut img = image("utopia_passport.json");
    img.guess_delay_ms = Some(1);
    let chip = std::rc::Rc::new(std::cell::RefCell::new(InMemory::new(
        img.build(&chips()).unwrap(),
    )));
    // Each attempt is a new session with a freshly reset chip, as a terminal's next try is.
    let link = || {
        dactyl::transport::CardSide::reset(chip.borrow_mut().card_mut());
        Box::new(Shared(chip.clone()))
    };
    let wrong = MrzKeyInfo::new("L898902C3", "740813", "120415").unwrap();
    for (attempt, delay) in [(1u64, 1u64), (2, 2), (3, 4)] {
        let mut session = Session::new(link());
        let keys = AccessKeys {
            mrz: Some(wrong.clone()),
            can: None,
        };
        assert!(open_chip(&mut session, &keys, AccessPolicy::BacOnly).is_err());
        drop(session);
        let stats = chip.borrow().card().stats();
        assert_eq!(stats.failed_authentications, attempt);
        assert_eq!(stats.last_guess_delay_ms, delay);
    }
    // PACE with a wrong CAN counts too; the right MRZ resets the counter.
    let mut session = Session::new(link());
    let can = AccessKeys {
        mrz: None,
        can: Some(zeroize::Zeroizing::new("000000".into())),
    };
    let e = open_chip(&mut session, &can, AccessPolicy::PaceOnly)
        .err()
        .unwrap();
    assert!(e.to_string().contains("6300"), "{e}");
    drop(session);
    assert_eq!(chip.borrow().card().stats().last_guess_delay_ms, 8);
    let mut session = Session::new(link());
    let right = AccessKeys {
        mrz: Some(utopia_keys()),
        can: None,
    };
    open_chip(&mut session, &right, AccessPolicy::BacOnly).unwrap();
    drop(session);
    assert_eq!(chip.borrow().card().stats().failed_authentications, 0);
}

/// One in-memory chip shared by several sessions.
struct Shared(std::rc::Rc<std::cell::RefCell<InMemory<dactyl::emulator::VirtualChip>>>);

impl dactyl::transport::Transport for Shared {
    fn transmit_raw(&mut self, apdu: &[u8]) -> dactyl::Result<Vec<u8>> {
        self.0.borrow_mut().transmit_raw(apdu)
    }
    fn atr(&self) -> Vec<u8> {
        self.0.borrow().atr()
    }
    fn describe(&self) -> String {
        "shared in-memory chip".into()
    }
}

/// The same chip image with another Chip Authentication key (its last byte changed).
fn with_another_ca_key(img: &ChipImage) -> ChipImage {
    let mut other = img.clone();
    if let Some(ca) = other.chip_authentication.as_mut() {
        ca.private_key = format!("{}01", &ca.private_key[..ca.private_key.len() - 2]);
    }
    other
}

/// `img` carrying the EF.CardSecurity that `source` signs at load.
fn with_card_security_of(img: &ChipImage, source: &ChipImage) -> ChipImage {
    let chip = source.build(&chips()).unwrap();
    let mut forged = img.clone();
    forged.files.insert(
        "CardSecurity".into(),
        FileSource::Hex(hex::encode(chip.files().get(EfId::CardSecurity).unwrap())),
    );
    forged
}

/// One of `lines` (an inspection's failures or notes) mentions `text`.
fn assert_mentions(lines: &[String], text: &str) {
    assert!(
        lines.iter().any(|l| l.contains(text)),
        "{text:?} not in {lines:?}"
    );
}
