//! Helpers for the BSI TR-03105 Part 5.1 inspection-system tests: CV certificate chains named
//! as the plan names them (CVCA -> DV -> IS, link certificates), its default EAC passport
//! (CFG.DFLT.EAC: BAC, Chip and Active Authentication, DG3 under EAC) as a chip image, and one
//! inspection with dactyl's reader and its verdict.
#![allow(dead_code)]

use dactyl::access::cvc::{Chat, CvSigningKey, Cvc, CvcBody, Role, TaAlgorithm};
use dactyl::crypto::signing_key::{KeyAlgorithm, SigningKey};
use dactyl::emulator::{ChipImage, VirtualChip};
use dactyl::issuance::chip_image::{EacConfig, FileSource};
use dactyl::issuance::cv_pki::build;
use dactyl::lds::mrz::{Mrz, MrzKeyInfo};
use dactyl::pki::cert::Certificate;
use dactyl::pki::pa::{Check, Verdict};
use dactyl::pki::trust::TrustStore;
use dactyl::reader::authenticity::{TaReport, TerminalCredentials};
use dactyl::reader::{Document, NoObserver, ReadOptions, read_document};
use dactyl::time::Date;
use dactyl::time::Time;
use dactyl::transport::memory::InMemory;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub const UTOPIA_MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn chips() -> PathBuf {
    root().join("fixtures/chips")
}

/// Reads a file of a chip image (paths relative to fixtures/chips).
pub fn load(p: &Path) -> dactyl::Result<Vec<u8>> {
    Ok(std::fs::read(chips().join(p)).unwrap())
}

pub fn utopia_keys() -> MrzKeyInfo {
    Mrz::parse_verified(UTOPIA_MRZ).unwrap().key_info().unwrap()
}

/// The CSCA of the test PKI that signs the fixture chips' EF.SOD at load.
pub fn trust() -> TrustStore {
    let mut trust = TrustStore::new();
    let pem = std::fs::read(root().join("fixtures/pki/test/csca.pem")).unwrap();
    for c in Certificate::from_pem_or_der(&pem).unwrap() {
        trust.add_csca(c);
    }
    trust
}

/// dCVCAeff of the plan: today, so the chip's date and the reader's agree.
pub fn eff() -> Date {
    Date::today()
}

/// dCVCAeff + `n` days.
pub fn day(n: i64) -> Date {
    eff().plus_days(n).unwrap()
}

/// A copy of a key (keys are not `Clone`; tests reuse them), for the same TA algorithm.
pub fn copy_key(k: &CvSigningKey) -> CvSigningKey {
    CvSigningKey::from_pkcs8_pem(&k.to_pkcs8_pem().unwrap())
        .unwrap()
        .with_algorithm(k.algorithm())
        .unwrap()
}

/// Three RSA-2048 keys, made once per test binary (RSA key generation is the slow part).
pub fn rsa_keys(algorithm: TaAlgorithm) -> [CvSigningKey; 3] {
    static PEMS: OnceLock<Vec<String>> = OnceLock::new();
    let pems = PEMS.get_or_init(|| {
        (0..3)
            .map(|_| {
                SigningKey::generate_rsa(2048)
                    .unwrap()
                    .to_pkcs8_pem()
                    .unwrap()
                    .to_string()
            })
            .collect()
    });
    let key = |i: usize| {
        CvSigningKey::from_pkcs8_pem(&pems[i])
            .unwrap()
            .with_algorithm(algorithm)
            .unwrap()
    };
    [key(0), key(1), key(2)]
}

/// Three fresh keys of type `key` for `algorithm`.
pub fn ec_keys(key: KeyAlgorithm, algorithm: TaAlgorithm) -> [CvSigningKey; 3] {
    let k = || CvSigningKey::generate_with(key, algorithm).unwrap();
    [k(), k(), k()]
}

/// Issues one CV certificate: `holder`'s key (with EC domain parameters for a CVCA, self-signed
/// or link), signed by `signer`, an id-IS CHAT of `role` with read access to DG3/DG4.
#[allow(clippy::too_many_arguments)]
pub fn issue(
    car: &str,
    chr: &str,
    role: Role,
    rights: (bool, bool),
    from: Date,
    to: Date,
    holder: &CvSigningKey,
    signer: &CvSigningKey,
) -> Cvc {
    let body = CvcBody {
        car: car.into(),
        public_key: holder.public_key(role == Role::Cvca).unwrap(),
        chr: chr.into(),
        chat: Chat::inspection_system(role, rights.0, rights.1),
        effective: from,
        expiration: to,
        extensions: None,
    };
    Cvc::parse(&build(&body, signer).unwrap()).unwrap()
}

/// The certificate with the last byte of its signature changed ("modify last byte").
pub fn with_wrong_signature(cert: &Cvc) -> Cvc {
    let mut raw = cert.raw().to_vec();
    *raw.last_mut().unwrap() ^= 0x01;
    Cvc::parse(&raw).unwrap()
}

/// A CVCA -> DV -> IS chain with the plan's validity: CVCA and DV from dCVCAeff for a month,
/// IS for 14 days; every certificate grants DG3 and DG4.
pub struct Chain {
    pub cvca: Cvc,
    pub cvca_key: CvSigningKey,
    pub dv: Cvc,
    pub dv_key: CvSigningKey,
    pub is: Cvc,
    pub is_key: CvSigningKey,
}

impl Chain {
    /// The chain under CVCA `cvca_chr` (`DETESTCVCA00001`): DV `DETESTDVDE00001`, IS
    /// `DETESTISDE00001` (the CVCA's sequence number), with `keys` for CVCA, DV and IS.
    pub fn new(cvca_chr: &str, keys: [CvSigningKey; 3]) -> Chain {
        let seq = &cvca_chr[cvca_chr.len() - 5..];
        let country = &cvca_chr[..2];
        let dv_chr = format!("{country}TESTDVDE{seq}");
        let is_chr = format!("{country}TESTISDE{seq}");
        Chain::named(cvca_chr, &dv_chr, &is_chr, keys)
    }

    /// The chain with these CHRs.
    pub fn named(cvca_chr: &str, dv_chr: &str, is_chr: &str, keys: [CvSigningKey; 3]) -> Chain {
        let [cvca_key, dv_key, is_key] = keys;
        let all = (true, true);
        let cvca = issue(
            cvca_chr,
            cvca_chr,
            Role::Cvca,
            all,
            eff(),
            day(30),
            &cvca_key,
            &cvca_key,
        );
        let dv = issue(
            cvca_chr,
            dv_chr,
            Role::DvDomestic,
            all,
            eff(),
            day(30),
            &dv_key,
            &cvca_key,
        );
        let is = issue(
            dv_chr,
            is_chr,
            Role::Terminal,
            all,
            eff(),
            day(14),
            &is_key,
            &dv_key,
        );
        Chain {
            cvca,
            cvca_key,
            dv,
            dv_key,
            is,
            is_key,
        }
    }

    /// The default chain of the plan (CVCA_Cert_01: ECDSA-SHA-256 with 256-bit keys).
    pub fn p256(cvca_chr: &str) -> Chain {
        let sha256 = TaAlgorithm::Ecdsa(dactyl::crypto::hash::HashAlgorithm::Sha256);
        Chain::new(cvca_chr, ec_keys(KeyAlgorithm::P256, sha256))
    }

    /// A DV certificate of this CVCA with other rights and validity, for `dv_key`.
    pub fn dv_with(&self, rights: (bool, bool), from: Date, to: Date) -> Cvc {
        issue(
            self.cvca.chr(),
            self.dv.chr(),
            Role::DvDomestic,
            rights,
            from,
            to,
            &self.dv_key,
            &self.cvca_key,
        )
    }

    /// An IS certificate of this DV with another validity, for `is_key`.
    pub fn is_with(&self, from: Date, to: Date) -> Cvc {
        issue(
            self.dv.chr(),
            self.is.chr(),
            Role::Terminal,
            (true, true),
            from,
            to,
            &self.is_key,
            &self.dv_key,
        )
    }

    /// The inspection system holding the DV and IS certificates and the IS key.
    pub fn terminal(&self) -> TerminalCredentials {
        self.terminal_with(vec![self.dv.clone(), self.is.clone()])
    }

    /// The inspection system holding `chain` and the IS key.
    pub fn terminal_with(&self, chain: Vec<Cvc>) -> TerminalCredentials {
        TerminalCredentials {
            chain,
            key: copy_key(&self.is_key),
        }
    }
}

/// CFG.DFLT.EAC: the Utopia passport (DG1-3, DG14, DG15; Chip Authentication on
/// brainpoolP256r1, Active Authentication, EF.SOD signed at load) with BAC only, trusting
/// `cvca`, its date the CVCA's effective date.
pub fn passport(cvca: &Cvc) -> ChipImage {
    let mut img = ChipImage::load(&chips().join("utopia_passport.json")).unwrap();
    img.pace.clear();
    img.eac = Some(EacConfig {
        cvca: FileSource::Hex(hex::encode(cvca.raw())),
        previous_cvca: None,
        date: None,
        ef_cvca: None,
    });
    img
}

/// The chip's current date.
pub fn set_date(img: &mut ChipImage, date: Date) {
    img.eac.as_mut().unwrap().date = Some(date.to_string());
}

/// EF.CVCA with this content instead of the one built from the trust points.
pub fn set_ef_cvca(img: &mut ChipImage, content: &[u8]) {
    img.files
        .insert("CVCA".into(), FileSource::Hex(hex::encode(content)));
}

/// EF.CVCA content listing `cars`, zero-padded to 36 bytes.
pub fn ef_cvca(cars: &[&str]) -> Vec<u8> {
    dactyl::access::ta::encode_ef_cvca(cars)
}

/// One inspection of `chip` with the MRZ typed and `terminal`'s credentials: read, then
/// Passive Authentication and the verdict.
pub fn inspect(chip: VirtualChip, terminal: TerminalCredentials) -> Document {
    inspect_with(Box::new(InMemory::new(chip)), terminal)
}

/// [`inspect`] over any transport.
pub fn inspect_with(
    transport: Box<dyn dactyl::transport::Transport>,
    terminal: TerminalCredentials,
) -> Document {
    let mut opts = ReadOptions::new(utopia_keys());
    opts.terminal = Some(Arc::new(terminal));
    let mut doc = read_document(transport, &opts, &mut NoObserver).unwrap();
    doc.verify_passive(&trust(), Time::now(), false);
    doc
}

/// [`inspect`] of an image's chip.
pub fn inspect_image(img: &ChipImage, terminal: TerminalCredentials) -> Document {
    inspect(img.build(&chips()).unwrap(), terminal)
}

pub fn ta(doc: &Document) -> &Check {
    doc.terminal_authentication
        .as_ref()
        .expect("Terminal Authentication ran")
}

pub fn report(doc: &Document) -> &TaReport {
    doc.terminal_authentication_report.as_ref().unwrap()
}

/// The reader's outcome for a file: `read`, `access denied ...`, `not present`.
pub fn status(doc: &Document, file: &str) -> Option<String> {
    doc.files
        .iter()
        .rev()
        .find(|f| f.file == file)
        .map(|f| f.status.clone())
}

/// "MRTD inspection procedure successful" after Terminal Authentication passed.
pub fn assert_successful(doc: &Document) {
    assert_eq!(ta(doc).verdict, Verdict::Pass, "{}", ta(doc).detail);
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(inspection.successful, "{inspection:?}");
    assert_eq!(inspection.headline(), "inspection procedure successful");
}

/// "MRTD inspection procedure failed" because Terminal Authentication failed, saying `why`;
/// no biometric data group was read, and the reader went on to the end (no error, no panic).
pub fn assert_failed(doc: &Document, why: &str) {
    let check = ta(doc);
    assert_eq!(check.verdict, Verdict::Fail, "{}", check.detail);
    assert!(
        check.detail.contains(why),
        "{why:?} not in {:?}",
        check.detail
    );
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(!inspection.successful, "{inspection:?}");
    assert_eq!(inspection.headline(), "inspection procedure failed");
    assert!(
        inspection
            .failures
            .iter()
            .any(|f| f.starts_with("Terminal Authentication failed")),
        "{inspection:?}"
    );
    for dg in ["DG3", "DG4"] {
        assert_ne!(status(doc, dg).as_deref(), Some("read"), "{dg}");
    }
    // Everything else was still read and checked.
    assert!(doc.passive_authentication.as_ref().unwrap().passed);
}

pub fn assert_mentions(lines: &[String], text: &str) {
    assert!(
        lines.iter().any(|l| l.contains(text)),
        "{text:?} not in {lines:?}"
    );
}
