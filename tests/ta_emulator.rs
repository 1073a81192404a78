//! Terminal Authentication against the virtual chip, as BSI TR-03110-1 v2.2 clause 3.5 and
//! TR-03110-3 clauses 2.5, A.7.2.4 want it: the standard message accepted and the old one
//! (without Comp(PK~_PCD)) refused with 6300, a bad signature 6300, one TA per session, EF.CVCA
//! with the chip's trust points; the reader's fallback to the static binding for old documents,
//! TA after PACE-CAM, and chains chosen from EF.CVCA with link certificates.

#[path = "common/fixtures.rs"]
mod fixtures;
use dactyl::access::cvc::{Chat, CvSigningKey, Cvc, CvcBody, Role};
use dactyl::access::ta::{
    Binding, ChipIdentifier, SIGNATURE_FAILED, TaBinding, parse_ef_cvca, terminal_authentication,
};
use dactyl::apdu::sw;
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::emulator::ChipImage;
use dactyl::emulator::VirtualChip;
use dactyl::emulator::quirks::Quirk;
use dactyl::issuance::chip_image::{EacConfig, FileSource};
use dactyl::issuance::cv_pki::{TestCvPki, build};
use dactyl::lds::files::EfId;
use dactyl::pki::pa::Verdict;
use dactyl::reader::authenticity::{TerminalCredentials, run_chip_authentication};
use dactyl::reader::open::open_chip;
use dactyl::reader::{
    AccessKeys, AccessPolicy, Document, NoObserver, ReadOptions, Session, read_document,
};
use dactyl::time::Date;
use dactyl::transport::CardSide;
use dactyl::transport::memory::InMemory;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

fn chips() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips")
}

fn utopia(quirks: &[Quirk]) -> ChipImage {
    let mut img = ChipImage::load(&chips().join("utopia_passport.json")).unwrap();
    img.quirks = quirks.to_vec();
    img
}

/// A session on the Utopia chip opened with PACE (CAN) and Chip Authentication run.
fn pace_and_ca(img: &ChipImage) -> Session {
    let chip = img.build(&chips()).unwrap();
    let mut session = Session::new(Box::new(InMemory::new(chip)));
    let keys = AccessKeys {
        mrz: None,
        can: Some("123456".to_string().into()),
    };
    open_chip(&mut session, &keys, AccessPolicy::PaceOnly).unwrap();
    let dg14 = session.read_file(EfId::Dg(14), &mut |_, _| {}).unwrap();
    let ca = run_chip_authentication(&mut session, &dg14);
    assert_eq!(ca.verdict, Verdict::Pass, "{}", ca.detail);
    session
}

/// The binding of this session with `chip` as ID_PICC (the session's own by default).
fn binding(session: &Session, chip: Option<ChipIdentifier>) -> TaBinding {
    let (ids, key) = session.terminal_authentication_binding();
    TaBinding {
        chip: chip.unwrap_or_else(|| ids[0].clone()),
        terminal_key: key.unwrap().to_vec(),
    }
}

fn ta(session: &mut Session, creds: &TerminalCredentials, b: &TaBinding) -> dactyl::Result<()> {
    terminal_authentication(&mut |c| session.transmit(c), &creds.chain, &creds.key, b).map(|_| ())
}

fn dg3(session: &mut Session) -> Option<u16> {
    session.read_file(EfId::Dg(3), &mut |_, _| {}).err()?.sw()
}

#[test]
fn the_chip_accepts_the_standard_message_and_refuses_the_old_one() {
    let creds = fixtures::test_terminal();
    let mut session = pace_and_ca(&utopia(&[]));
    assert_eq!(dg3(&mut session), Some(sw::SECURITY_STATUS));

    // The message dactyl's chip and reader agreed on before: ID_PICC || r_PICC, no Comp.
    let mut old = binding(&session, None);
    old.terminal_key.clear();
    let e = ta(&mut session, &creds, &old).unwrap_err();
    assert_eq!(e.sw(), Some(SIGNATURE_FAILED), "{e}");
    // The document number instead of the dynamic binding on a new document: refused too.
    let doc_number = ChipIdentifier::document_number(
        &dactyl::lds::mrz::MrzKeyInfo::new("L898902C3", "740812", "120415").unwrap(),
    );
    let b = binding(&session, Some(doc_number));
    let e = ta(&mut session, &creds, &b).unwrap_err();
    assert_eq!(e.sw(), Some(SIGNATURE_FAILED), "{e}");
    // A key that is not the IS certificate's: refused.
    let stranger = TerminalCredentials {
        chain: creds.chain.clone(),
        key: CvSigningKey::generate(KeyAlgorithm::P256).unwrap(),
    };
    let standard = binding(&session, None);
    let e = ta(&mut session, &stranger, &standard).unwrap_err();
    assert_eq!(e.sw(), Some(SIGNATURE_FAILED), "{e}");
    assert_eq!(dg3(&mut session), Some(sw::SECURITY_STATUS));

    // The standard message after the failures, in the same session: accepted, DG3 readable.
    ta(&mut session, &creds, &standard).unwrap();
    assert_eq!(dg3(&mut session), None);
    // One Terminal Authentication per session.
    let e = ta(&mut session, &creds, &standard).unwrap_err();
    assert_eq!(e.sw(), Some(sw::CONDITIONS), "{e}");
}

#[test]
fn ef_cvca_lists_the_trust_points() {
    let mut session = pace_and_ca(&utopia(&[]));
    let content = session.read_file(EfId::Cvca, &mut |_, _| {}).unwrap();
    assert_eq!(content.len(), 36);
    assert_eq!(&content[..2], [0x42, 11]);
    assert_eq!(parse_ef_cvca(&content).unwrap(), ["UTCVCA00001"]);
    assert!(content[13..].iter().all(|&b| b == 0));
    // Bad contents are refused, not guessed at.
    assert!(parse_ef_cvca(&[0x42, 0x05, b'A']).is_err());
    assert!(parse_ef_cvca(&[0x5F, 0x20, 0x01, b'A']).is_err());
    assert!(parse_ef_cvca(&[0x42, 0x01, b'A', 0x00, 0x42]).is_err());
    assert_eq!(parse_ef_cvca(&[0; 36]).unwrap(), Vec::<String>::new());
}

fn read(img: &ChipImage, opts: &ReadOptions) -> Document {
    let chip = img.build(&chips()).unwrap();
    read_document(Box::new(InMemory::new(chip)), opts, &mut NoObserver).unwrap()
}

fn with_terminal(mut opts: ReadOptions, creds: TerminalCredentials) -> ReadOptions {
    opts.terminal = Some(Arc::new(creds));
    opts
}

#[test]
fn the_reader_signs_the_dynamic_binding_and_reports_the_trust_point() {
    let opts = with_terminal(ReadOptions::with_can("123456"), fixtures::test_terminal());
    let doc = read(&utopia(&[]), &opts);
    let ta = doc.terminal_authentication.as_ref().unwrap();
    assert_eq!(ta.verdict, Verdict::Pass, "{}", ta.detail);
    let report = doc.terminal_authentication_report.as_ref().unwrap();
    assert_eq!(report.ef_cvca, ["UTCVCA00001"]);
    assert_eq!(report.trust_point.as_deref(), Some("UTCVCA00001"));
    assert_eq!(report.chain, ["UTDV00001", "UTIS00001"]);
    assert_eq!(report.binding, Some(Binding::Dynamic));
    assert!(!report.static_fallback);
    // 32-byte x-coordinate, 8-byte challenge, 32-byte x-coordinate (brainpoolP256r1).
    assert_eq!(
        report.signed_message.as_ref().unwrap().len(),
        2 * (32 + 8 + 32)
    );
    assert!(doc.raw.contains_key(&EfId::Dg(3)));
    assert!(
        doc.files
            .iter()
            .any(|f| f.file == "EF.CVCA" && f.bytes == 36)
    );
}

#[test]
fn an_old_document_with_the_static_binding_is_read_with_a_warning() {
    let img = utopia(&[Quirk::TaStaticBinding]);
    for (opts, expected) in [
        (ReadOptions::with_can("123456"), Binding::Can),
        (
            ReadOptions::new(
                dactyl::lds::mrz::MrzKeyInfo::new("L898902C3", "740812", "120415").unwrap(),
            ),
            Binding::DocumentNumber,
        ),
    ] {
        let doc = read(&img, &with_terminal(opts, fixtures::test_terminal()));
        let ta = doc.terminal_authentication.as_ref().unwrap();
        assert_eq!(ta.verdict, Verdict::Warning, "{}", ta.detail);
        assert!(
            ta.detail.contains("refused the dynamic binding"),
            "{}",
            ta.detail
        );
        let report = doc.terminal_authentication_report.as_ref().unwrap();
        assert_eq!(report.binding, Some(expected));
        assert!(report.static_fallback);
        let message = report.signed_message.as_deref().unwrap_or_default();
        eprintln!("signed message, {expected:?}: {message}");
        assert!(doc.raw.contains_key(&EfId::Dg(3)), "{expected:?}");
    }
}

#[test]
fn after_bac_the_document_number_is_signed_without_fallback() {
    let mut opts = ReadOptions::new(
        dactyl::lds::mrz::MrzKeyInfo::new("L898902C3", "740812", "120415").unwrap(),
    );
    opts.access = AccessPolicy::BacOnly;
    let doc = read(
        &utopia(&[]),
        &with_terminal(opts, fixtures::test_terminal()),
    );
    assert_eq!(doc.access_control, "BAC");
    let report = doc.terminal_authentication_report.as_ref().unwrap();
    assert_eq!(report.binding, Some(Binding::DocumentNumber));
    assert!(!report.static_fallback);
    let message = hex::decode(report.signed_message.as_ref().unwrap()).unwrap();
    assert!(message.starts_with(b"L898902C36"));
    assert!(doc.raw.contains_key(&EfId::Dg(3)));
}

#[test]
fn terminal_authentication_binds_the_pace_cam_key() {
    // The PACE-CAM chip with DG3 under EAC: no Chip Authentication runs (CAM proved the chip),
    // so the TA message binds Comp of the terminal's ephemeral PACE key.
    let mut img = ChipImage::load(&chips().join("pace_cam_bp384_aes192.json")).unwrap();
    img.eac = utopia(&[]).eac;
    img.files.insert(
        "DG3".into(),
        FileSource::Path("bsi_passport/Datagroup3.bin".into()),
    );
    let opts = with_terminal(ReadOptions::with_can("918273"), fixtures::test_terminal());
    let doc = read(&img, &opts);
    assert!(
        doc.chip_authentication
            .as_ref()
            .unwrap()
            .detail
            .contains("PACE-CAM"),
        "{:?}",
        doc.chip_authentication
    );
    let ta = doc.terminal_authentication.as_ref().unwrap();
    assert_eq!(ta.verdict, Verdict::Pass, "{}", ta.detail);
    // brainpoolP384r1: 48-byte x-coordinates around the 8-byte challenge.
    let report = doc.terminal_authentication_report.as_ref().unwrap();
    assert_eq!(
        report.signed_message.as_ref().unwrap().len(),
        2 * (48 + 8 + 48)
    );
    assert!(doc.raw.contains_key(&EfId::Dg(3)));
}

/// A CVCA key pair and its self-signed certificate, effective `from`.
fn cvca(chr: &str, from: Date) -> (Cvc, CvSigningKey) {
    let key = CvSigningKey::generate(KeyAlgorithm::P256).unwrap();
    let body = CvcBody {
        car: chr.into(),
        public_key: key.public_key(true).unwrap(),
        chr: chr.into(),
        chat: Chat::inspection_system(Role::Cvca, true, true),
        effective: from,
        expiration: from.plus_days(3 * 365).unwrap(),
        extensions: None,
    };
    (Cvc::parse(&build(&body, &key).unwrap()).unwrap(), key)
}

/// `holder`'s certificate re-issued by `issuer` (CAR = the issuer's CHR).
fn issue(holder: &Cvc, issuer: &Cvc, issuer_key: &CvSigningKey) -> Cvc {
    let mut body = holder.body().clone();
    body.car = issuer.chr().to_string();
    Cvc::parse(&build(&body, issuer_key).unwrap()).unwrap()
}

fn chip_trusting(trust: &[&Cvc], date: Date) -> ChipImage {
    let mut img = utopia(&[]);
    let hex_of = |c: &Cvc| FileSource::Hex(hex::encode(c.raw()));
    img.eac = Some(EacConfig {
        cvca: hex_of(trust[0]),
        previous_cvca: trust.get(1).map(|c| hex_of(c)),
        date: Some(date.to_string()),
        ef_cvca: None,
    });
    img
}

#[test]
fn a_link_certificate_leads_from_the_chips_old_trust_point_and_updates_it() {
    let today = Date::today();
    // The terminal's PKI is under the new CVCA key; the chip still trusts the old one.
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today).unwrap();
    let (old, old_key) = cvca("UTCVCA00000", today.plus_days(-400).unwrap());
    let link = issue(&pki.cvca, &old, &old_key);
    let creds = TerminalCredentials {
        chain: vec![link.clone(), pki.dv.clone(), pki.is.clone()],
        key: CvSigningKey::from_pkcs8_pem(&pki.is_key.to_pkcs8_pem().unwrap()).unwrap(),
    };
    let img = chip_trusting(&[&old], today.plus_days(-1).unwrap());
    let chip = Shared(Arc::new(Mutex::new(img.build(&chips()).unwrap())));
    let transport = || Box::new(InMemory::new(chip.clone()));
    let opts = with_terminal(ReadOptions::with_can("123456"), creds);
    let doc = read_document(transport(), &opts, &mut NoObserver).unwrap();
    let report = doc.terminal_authentication_report.as_ref().unwrap();
    assert_eq!(report.ef_cvca, ["UTCVCA00000"]);
    assert_eq!(report.trust_point.as_deref(), Some("UTCVCA00000"));
    assert_eq!(report.chain, ["UTCVCA00001", "UTDV00001", "UTIS00001"]);
    assert!(doc.raw.contains_key(&EfId::Dg(3)));
    // The chip took the new CVCA key as a trust point: EF.CVCA lists it first now, and the
    // next reader needs no link certificate.
    let cvca_now = chip
        .0
        .lock()
        .unwrap()
        .files()
        .get(EfId::Cvca)
        .unwrap()
        .to_vec();
    assert_eq!(
        parse_ef_cvca(&cvca_now).unwrap(),
        ["UTCVCA00001", "UTCVCA00000"]
    );
    let direct = with_terminal(ReadOptions::with_can("123456"), fixtures_for(&pki));
    let doc = read_document(transport(), &direct, &mut NoObserver).unwrap();
    let report = doc.terminal_authentication_report.as_ref().unwrap();
    assert_eq!(report.trust_point.as_deref(), Some("UTCVCA00001"));
    assert!(doc.raw.contains_key(&EfId::Dg(3)));
}

/// One virtual chip shared by several readers in turn (its trust points outlive a session).
#[derive(Clone)]
struct Shared(Arc<Mutex<VirtualChip>>);

impl CardSide for Shared {
    fn atr(&self) -> Vec<u8> {
        self.0.lock().unwrap().atr()
    }
    fn reset(&mut self) {
        self.0.lock().unwrap().reset()
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.0.lock().unwrap().process(apdu)
    }
}

fn fixtures_for(pki: &TestCvPki) -> TerminalCredentials {
    TerminalCredentials {
        chain: vec![pki.dv.clone(), pki.is.clone()],
        key: CvSigningKey::from_pkcs8_pem(&pki.is_key.to_pkcs8_pem().unwrap()).unwrap(),
    }
}

#[test]
fn the_reader_picks_the_chain_of_the_trust_point_it_holds() {
    let today = Date::today();
    // The chip trusts a newer CVCA (not the terminal's) and the terminal's older one.
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today.plus_days(-10).unwrap()).unwrap();
    let (newer, _) = cvca("UTCVCA00002", today);
    let img = chip_trusting(&[&newer, &pki.cvca], today);
    let doc = read(
        &img,
        &with_terminal(ReadOptions::with_can("123456"), fixtures_for(&pki)),
    );
    let report = doc.terminal_authentication_report.as_ref().unwrap();
    assert_eq!(report.ef_cvca, ["UTCVCA00002", "UTCVCA00001"]);
    assert_eq!(report.trust_point.as_deref(), Some("UTCVCA00001"));
    assert!(doc.raw.contains_key(&EfId::Dg(3)));

    // A terminal with no chain to any trust point: TA fails with a clear reason, DG3 stays
    // unread, the rest of the document is read.
    let (foreign, _) = cvca("XXCVCA00001", today);
    let doc = read(
        &chip_trusting(&[&foreign], today),
        &with_terminal(ReadOptions::with_can("123456"), fixtures_for(&pki)),
    );
    let ta = doc.terminal_authentication.as_ref().unwrap();
    assert_eq!(ta.verdict, Verdict::Fail);
    assert!(ta.detail.contains("XXCVCA00001"), "{}", ta.detail);
    assert!(!doc.raw.contains_key(&EfId::Dg(3)));
    assert!(doc.raw.contains_key(&EfId::Dg(2)));
}
