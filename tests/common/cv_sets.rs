//! The test equipment of BSI TR-03105 Part 3.2 v1.5.1 (EAC 1 chip conformance) for dactyl's
//! virtual chip: the certificate sets of its clause 2.4 (CVCA, link, DV domestic/foreign and IS
//! certificates with the set's CHATs and validity periods relative to the CVCA's effective date
//! `CVCAeff` and expiration date `CVCAexp`), chips built from `fixtures/chips/utopia_passport.json`
//! around one or two such trust points, and a terminal that drives the chip APDU by APDU after
//! the "Open ePassport Application" procedure (BAC with the document number binding, or PACE
//! with the MRZ and the dynamic binding) and Chip Authentication.
#![allow(dead_code)]

use dactyl::access::cvc::{Chat, CvSigningKey, Cvc, CvcBody, Role};
use dactyl::access::ta::{ChipIdentifier, TaBinding};
use dactyl::apdu::{Command, Response, sw};
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::emulator::{ChipImage, VirtualChip};
use dactyl::issuance::chip_image::{EacConfig, FileSource};
use dactyl::issuance::cv_pki::build;
use dactyl::lds::files::EfId;
use dactyl::lds::mrz::{Mrz, MrzKeyInfo};
use dactyl::reader::authenticity::run_chip_authentication;
use dactyl::reader::open::open_chip;
use dactyl::reader::{AccessKeys, AccessPolicy, Session};
use dactyl::time::Date;
use dactyl::tlv::{self, Tlv};
use dactyl::transport::{CardSide, Transport};
use der::asn1::ObjectIdentifier;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

const UTOPIA_MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

/// The CVCA's effective date (`CVCAeff`), the chip's current date at personalization.
pub const CVCA_EFF: Date = Date {
    year: 2025,
    month: 1,
    day: 10,
};

/// `CVCAeff` plus `months` and `days` (the day of the month, 10, exists in every month).
pub fn eff(months: u32, days: i64) -> Date {
    let total = u32::from(CVCA_EFF.month) - 1 + months;
    let base = Date::new(
        CVCA_EFF.year + u16::try_from(total / 12).unwrap(),
        u8::try_from(total % 12).unwrap() + 1,
        CVCA_EFF.day,
    )
    .unwrap();
    base.plus_days(days).unwrap()
}

/// `CVCAexp` (a year after `CVCAeff`) plus `months` and `days`.
pub fn exp(months: u32, days: i64) -> Date {
    eff(12 + months, days)
}

/// The CHR of the initial CVCA (the plan's "as defined by the CVCA").
pub const CVCA_CHR: &str = "DETESTCVCA00001";

/// A certificate with its holder's key.
pub struct Holder {
    pub cert: Cvc,
    pub key: CvSigningKey,
}

impl Holder {
    pub fn chr(&self) -> &str {
        self.cert.chr()
    }
}

/// A fresh key of the test chips' algorithm (ECDSA P-256 with SHA-256).
pub fn key() -> CvSigningKey {
    CvSigningKey::generate(KeyAlgorithm::P256).unwrap()
}

/// The id-IS CHAT of `role` with read access to DG3 and/or DG4.
pub fn chat(role: Role, dg3: bool, dg4: bool) -> Chat {
    Chat::inspection_system(role, dg3, dg4)
}

/// A certificate body: the holder's key (with domain parameters for a CVCA), the given
/// references, CHAT and validity.
pub fn body(
    car: &str,
    chr: &str,
    chat: Chat,
    from: Date,
    to: Date,
    holder: &CvSigningKey,
) -> CvcBody {
    CvcBody {
        car: car.into(),
        public_key: holder.public_key(chat.role() == Role::Cvca).unwrap(),
        chr: chr.into(),
        chat,
        effective: from,
        expiration: to,
        extensions: None,
    }
}

/// Issues a certificate for `holder` signed by `signer`.
pub fn issue(
    car: &str,
    chr: &str,
    chat: Chat,
    from: Date,
    to: Date,
    holder: CvSigningKey,
    signer: &CvSigningKey,
) -> Holder {
    let b = body(car, chr, chat, from, to, &holder);
    Holder {
        cert: Cvc::parse(&build(&b, signer).unwrap()).unwrap(),
        key: holder,
    }
}

/// The initial trust point: a self-signed CVCA certificate valid `CVCAeff` to `CVCAexp`.
pub fn cvca() -> Holder {
    cvca_with(key())
}

/// The initial trust point with a given key (a P-384 one for certificate set 14).
pub fn cvca_with(k: CvSigningKey) -> Holder {
    let b = body(
        CVCA_CHR,
        CVCA_CHR,
        chat(Role::Cvca, true, true),
        eff(0, 0),
        exp(0, 0),
        &k,
    );
    let cert = Cvc::parse(&build(&b, &k).unwrap()).unwrap();
    Holder { cert, key: k }
}

/// A DV certificate issued by `issuer` (a CVCA): `role`, rights, validity.
pub fn dv(issuer: &Holder, chr: &str, chat: Chat, from: Date, to: Date) -> Holder {
    issue(issuer.chr(), chr, chat, from, to, key(), &issuer.key)
}

/// An IS certificate issued by `issuer` (a DV) with rights and validity.
pub fn is(issuer: &Holder, chr: &str, dg3: bool, dg4: bool, from: Date, to: Date) -> Holder {
    let c = chat(Role::Terminal, dg3, dg4);
    issue(issuer.chr(), chr, c, from, to, key(), &issuer.key)
}

/// Certificate set 1: DV_CERT_1 (domestic, DG3+DG4, `CVCAeff` to +1 month) and IS_CERT_1
/// (DG3+DG4, `CVCAeff` to +14 days).
pub fn set1(cvca: &Holder) -> (Holder, Holder) {
    let dv1 = dv(
        cvca,
        "DETESTDVDE001",
        chat(Role::DvDomestic, true, true),
        eff(0, 0),
        eff(1, 0),
    );
    let is1 = is(&dv1, "DETESTISDE001", true, true, eff(0, 0), eff(0, 14));
    (dv1, is1)
}

/// The content of a certificate as PSO:Verify Certificate sends it: body and signature
/// (7F4E || 5F37), without the 7F21 envelope.
pub fn content(cert: &Cvc) -> Vec<u8> {
    Tlv::parse_tagged(cert.raw(), 0x7F21)
        .unwrap()
        .value
        .to_vec()
}

/// The data objects of a certificate body, each encoded (5F29, 42, 7F49, 5F20, 7F4C, 5F25,
/// 5F24), for building malformed certificates.
pub fn body_objects(cert: &Cvc) -> Vec<Vec<u8>> {
    let body = Tlv::parse_tagged(cert.signed_bytes(), 0x7F4E).unwrap();
    body.children().map(|c| c.unwrap().raw.to_vec()).collect()
}

/// The PSO:Verify Certificate content of a body made of `objects`, signed by `signer`.
pub fn signed_content(objects: &[Vec<u8>], signer: &CvSigningKey) -> Vec<u8> {
    let body = tlv::encode(0x7F4E, &objects.concat());
    let sig = tlv::encode(0x5F37, &signer.sign(&body).unwrap());
    [body, sig].concat()
}

/// The utopia passport image around `trust_points` (the most recent first) and the chip's
/// current date; with `dg4`, a DG4 (an empty biometric group template) is added.
pub fn chip_image(trust_points: &[&Cvc], date: Date, dg4: bool) -> ChipImage {
    let mut img = ChipImage::load(&chips_dir().join("utopia_passport.json")).unwrap();
    let hex = |c: &Cvc| FileSource::Hex(hex::encode(c.raw()));
    img.eac = Some(EacConfig {
        cvca: hex(trust_points[0]),
        previous_cvca: trust_points.get(1).map(|c| hex(c)),
        date: Some(date.to_string()),
        ef_cvca: None,
    });
    if dg4 {
        let bigt = tlv::encode(0x7F61, &tlv::encode(0x02, &[0x00]));
        img.files.insert(
            "DG4".into(),
            FileSource::Hex(hex::encode(tlv::encode(0x76, &bigt))),
        );
    }
    img
}

/// The chip of [`chip_image`].
pub fn chip(trust_points: &[&Cvc], date: Date, dg4: bool) -> VirtualChip {
    chip_image(trust_points, date, dg4)
        .build(&chips_dir())
        .unwrap()
}

fn chips_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips")
}

/// The MRZ key information of the utopia passport.
pub fn utopia_keys() -> MrzKeyInfo {
    Mrz::parse_verified(UTOPIA_MRZ).unwrap().key_info().unwrap()
}

/// A chip the test keeps a handle on while a [`Session`] talks to it: plain APDUs past the
/// session, a power cycle, and a look at the chip's state.
#[derive(Clone)]
pub struct Shared(pub Rc<RefCell<VirtualChip>>);

impl Transport for Shared {
    fn transmit_raw(&mut self, apdu: &[u8]) -> dactyl::Result<Vec<u8>> {
        Ok(self.0.borrow_mut().process(apdu))
    }

    fn atr(&self) -> Vec<u8> {
        self.0.borrow().atr()
    }

    fn describe(&self) -> String {
        "shared virtual chip".into()
    }
}

/// The "Open ePassport Application" procedure of the test plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    /// BAC; Terminal Authentication binds the document number and check digit.
    Bac,
    /// PACE with the MRZ; Terminal Authentication binds Comp of the chip's PACE key.
    Pace,
}

/// Both procedures, for the units to be run twice.
pub const BOTH: [Open; 2] = [Open::Bac, Open::Pace];

/// The terminal of the test plan: a session with the chip after "Open ePassport Application"
/// and Chip Authentication.
pub struct Terminal {
    pub chip: Shared,
    pub session: Session,
    pub open: Open,
}

impl Terminal {
    /// Inserts `chip`, opens it with `open` and runs Chip Authentication.
    pub fn new(chip: VirtualChip, open: Open) -> Terminal {
        let shared = Shared(Rc::new(RefCell::new(chip)));
        shared.0.borrow_mut().reset();
        let mut t = Terminal {
            session: Session::new(Box::new(shared.clone())),
            chip: shared,
            open,
        };
        t.open_application(open);
        t.chip_authentication();
        t
    }

    /// Runs "Open ePassport Application" with `open` on the current session.
    pub fn open_application(&mut self, open: Open) {
        let keys = AccessKeys {
            mrz: Some(utopia_keys()),
            can: None,
        };
        let policy = match open {
            Open::Bac => AccessPolicy::BacOnly,
            Open::Pace => AccessPolicy::PaceOnly,
        };
        let opened = open_chip(&mut self.session, &keys, policy).unwrap();
        assert_eq!(
            opened.report.protocol,
            match open {
                Open::Bac => "BAC",
                Open::Pace => "PACE",
            }
        );
        self.open = open;
    }

    /// Chip Authentication with the key in DG14.
    pub fn chip_authentication(&mut self) {
        let dg14 = self
            .session
            .read_file(EfId::Dg(14), &mut |_, _| {})
            .unwrap();
        let check = run_chip_authentication(&mut self.session, &dg14);
        assert_eq!(check.verdict, dactyl::pki::pa::Verdict::Pass, "{check:?}");
    }

    /// Switches the field off and on, then opens the application again (and Chip
    /// Authentication when `ca`): "reset the chip and restore the preconditions".
    pub fn power_cycle(&mut self, ca: bool) {
        self.chip.0.borrow_mut().reset();
        self.session = Session::new(Box::new(self.chip.clone()));
        self.open_application(self.open);
        if ca {
            self.chip_authentication();
        }
    }

    /// Sends `cmd` under secure messaging; the answer must be a valid SM response.
    pub fn sm(&mut self, cmd: &Command) -> Response {
        let r = self.session.transmit(cmd).unwrap();
        assert!(
            !self.session.last_answer_unprotected(),
            "{:02X} answered {:04X} without secure messaging",
            cmd.ins,
            r.sw
        );
        r
    }

    /// Sends `cmd` as given (plain, or with secure messaging bits but no session's protection)
    /// past the session; the raw answer.
    pub fn plain(&mut self, cmd: &Command) -> Response {
        let raw = self.chip.0.borrow_mut().process(&cmd.to_bytes().unwrap());
        Response::parse(&raw).unwrap()
    }

    /// MSE:Set DST with CAR `car`.
    pub fn set_dst(&mut self, car: &str) -> u16 {
        self.sm(&mse(0xB6, 0x83, car)).sw
    }

    /// PSO:Verify Certificate with `content` (7F4E || 5F37).
    pub fn pso_raw(&mut self, content: Vec<u8>) -> u16 {
        self.sm(&Command::new(0x00, 0x2A, 0x00, 0xBE).with_data(content))
            .sw
    }

    /// PSO:Verify Certificate with `cert`.
    pub fn pso(&mut self, cert: &Cvc) -> u16 {
        self.pso_raw(content(cert))
    }

    /// MSE:Set DST with its CAR, then PSO:Verify Certificate: the two status words.
    pub fn verify(&mut self, cert: &Cvc) -> [u16; 2] {
        [self.set_dst(cert.car()), self.pso(cert)]
    }

    /// Presents a chain; every step must answer 9000.
    pub fn chain(&mut self, chain: &[&Cvc]) {
        for c in chain {
            assert_eq!(self.verify(c), [sw::OK; 2], "chain step {}", c.chr());
        }
    }

    /// MSE:Set AT with CHR `chr`.
    pub fn set_at(&mut self, chr: &str) -> u16 {
        self.sm(&mse(0xA4, 0x83, chr)).sw
    }

    /// GET CHALLENGE for `le` bytes: the answer.
    pub fn get_challenge_le(&mut self, le: usize) -> Response {
        self.sm(&Command::new(0x00, 0x84, 0x00, 0x00).with_le(le))
    }

    /// GET CHALLENGE for eight bytes, which must come.
    pub fn challenge(&mut self) -> Vec<u8> {
        let r = self.get_challenge_le(8);
        assert_eq!((r.sw, r.data.len()), (sw::OK, 8), "GET CHALLENGE");
        r.data
    }

    /// What the terminal signs binds: `ID_PICC` of the opening procedure and Comp of the
    /// terminal's Chip Authentication key.
    pub fn binding(&self) -> TaBinding {
        let (ids, terminal_key) = self.session.terminal_authentication_binding();
        let chip = match self.open {
            Open::Bac => ChipIdentifier::document_number(&utopia_keys()),
            Open::Pace => ids[0].clone(),
        };
        TaBinding {
            chip,
            terminal_key: terminal_key.unwrap().to_vec(),
        }
    }

    /// The terminal's signature with `key` over the message for `challenge`.
    pub fn signature(&self, key: &CvSigningKey, challenge: &[u8]) -> Vec<u8> {
        key.sign(&self.binding().message(challenge)).unwrap()
    }

    /// EXTERNAL AUTHENTICATE with `signature`.
    pub fn external_authenticate(&mut self, signature: Vec<u8>) -> u16 {
        self.sm(&Command::new(0x00, 0x82, 0x00, 0x00).with_data(signature))
            .sw
    }

    /// The whole Terminal Authentication: chain, MSE:Set AT for the last certificate, GET
    /// CHALLENGE and EXTERNAL AUTHENTICATE signed by `key`; the last status word.
    pub fn terminal_authentication(&mut self, chain: &[&Cvc], key: &CvSigningKey) -> u16 {
        self.chain(chain);
        let holder = chain.last().unwrap().chr();
        assert_eq!(self.set_at(holder), sw::OK, "MSE:Set AT");
        let challenge = self.challenge();
        let sig = self.signature(key, &challenge);
        self.external_authenticate(sig)
    }

    /// READ BINARY of one byte of the file with short identifier `sfi`.
    pub fn read_sfi(&mut self, sfi: u8) -> Response {
        self.sm(&Command::new(0x00, 0xB0, 0x80 | sfi, 0x00).with_le(1))
    }

    /// SELECT EF.CVCA (011C) and READ BINARY of 36 bytes, which must succeed.
    pub fn ef_cvca(&mut self) -> Vec<u8> {
        let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1C]);
        assert_eq!(self.sm(&select).sw, sw::OK, "SELECT EF.CVCA");
        let r = self.sm(&Command::new(0x00, 0xB0, 0x00, 0x00).with_le(36));
        assert_eq!((r.sw, r.data.len()), (sw::OK, 36), "READ BINARY EF.CVCA");
        r.data
    }

    /// The chip's current date.
    pub fn current_date(&self) -> Date {
        self.chip.0.borrow().current_date().unwrap()
    }
}

/// MSE:Set (P1 81) for template `p2` with a reference in data object `tag`.
pub fn mse(p2: u8, tag: u32, reference: &str) -> Command {
    Command::new(0x00, 0x22, 0x81, p2).with_data(tlv::encode(tag, reference.as_bytes()))
}

/// An ISO checking error (ISO/IEC 7816-4 clause 5.6: SW1 64 to 6F).
pub fn checking_error(status: u16) -> bool {
    (0x6400..=0x6FFF).contains(&status)
}

/// "ISO checking error or '63 00'".
pub fn refused(status: u16) -> bool {
    checking_error(status) || status == 0x6300
}

/// The CARs in EF.CVCA's content, checked as LDS_F_1 asks: 36 bytes, one or two data objects
/// 42 of at most 16 bytes, zero padding.
pub fn ef_cvca_cars(content: &[u8]) -> Vec<String> {
    assert_eq!(content.len(), 36, "EF.CVCA is 36 bytes");
    let mut cars = Vec::new();
    let mut rest = content;
    while rest.first().is_some_and(|&b| b != 0) {
        let (t, after) = Tlv::parse(rest).unwrap();
        assert_eq!(t.tag, 0x42, "EF.CVCA holds CARs (42)");
        assert!((1..=16).contains(&t.value.len()), "a CAR of 1-16 bytes");
        cars.push(String::from_utf8(t.value.to_vec()).unwrap());
        rest = after;
    }
    assert!(rest.iter().all(|&b| b == 0), "EF.CVCA padded with 00");
    assert!((1..=2).contains(&cars.len()), "one or two trust points");
    cars
}

// ---- Malformed certificates -----------------------------------------------------------------

pub fn date_object(tag: u32, digits: [u8; 6]) -> Vec<u8> {
    tlv::encode(tag, &digits)
}

pub fn digits(d: Date) -> [u8; 6] {
    let y = (d.year - 2000) as u8;
    [
        y / 10,
        y % 10,
        d.month / 10,
        d.month % 10,
        d.day / 10,
        d.day % 10,
    ]
}

pub fn oid(dotted: &str) -> Vec<u8> {
    tlv::encode(0x06, ObjectIdentifier::new_unwrap(dotted).as_bytes())
}

/// The public key object of `objects` with its OID replaced (or removed for `None`) and
/// `extra` appended.
pub fn with_key(
    objects: &[Vec<u8>],
    new_oid: Option<Option<Vec<u8>>>,
    drop_point: bool,
    extra: &[u8],
) -> Vec<Vec<u8>> {
    let key = Tlv::parse_tagged(&objects[2], 0x7F49).unwrap();
    let mut parts: Vec<Vec<u8>> = key.children().map(|c| c.unwrap().raw.to_vec()).collect();
    match new_oid {
        Some(Some(o)) => parts[0] = o,
        Some(None) => {
            parts.remove(0);
        }
        None => {}
    }
    if drop_point {
        parts.retain(|p| p.first() != Some(&0x86));
    }
    parts.push(extra.to_vec());
    let mut out = objects.to_vec();
    out[2] = tlv::encode(0x7F49, &parts.concat());
    out
}

/// `content` (7F4E || 5F37) split into the body's value and the signature.
pub fn split(content: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (body, rest) = Tlv::parse(content).unwrap();
    let sig = Tlv::parse_tagged(rest, 0x5F37).unwrap();
    (body.value.to_vec(), sig.value.to_vec())
}

/// A content with the signature changed by `f`.
pub fn resign(content: &[u8], f: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let (body, mut sig) = split(content);
    f(&mut sig);
    [tlv::encode(0x7F4E, &body), tlv::encode(0x5F37, &sig)].concat()
}

/// Replaces the first bytes (a tag) of the data object at `offset` of `content`.
pub fn retag(content: &[u8], offset: usize, tag: &[u8]) -> Vec<u8> {
    let mut c = content.to_vec();
    c[offset..offset + tag.len()].copy_from_slice(tag);
    c
}

/// A certificate for `holder`'s key, as `body` makes it, signed by `signer`.
pub fn cert_for(
    car: &str,
    chr: &str,
    chat: Chat,
    (from, to): (Date, Date),
    holder: &CvSigningKey,
    signer: &CvSigningKey,
) -> Cvc {
    let b = body(car, chr, chat, from, to, holder);
    Cvc::parse(&build(&b, signer).unwrap()).unwrap()
}
