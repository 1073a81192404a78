//! The issuer side of personalization: from an applicant record to the LDS a blank chip
//! receives (ICAO Doc 9303-10 clause 4: EF.COM, DG1 with the MRZ, DG2 face, DG3 fingers as the
//! enrolment policy chose, DG14, DG15, EF.SOD; Doc 9303-11: EF.CardAccess, EF.CardSecurity) and
//! the keys and data the chip takes by PUT DATA (fresh Chip and Active Authentication keys, the
//! BAC key seed, the CAN, the trusted CVCA and the chip's date for Terminal Authentication,
//! and a match-on-card reference for each DG3 finger whose record gives a template).
//!
//! The files are built and signed by the chip-image builder ([`super::chip_image`]), so a
//! personalized chip holds exactly what a virtual chip built from the same image would. The
//! fresh private keys live only in the [`Plan`] (zeroized on drop) until the writer
//! ([`writer`]) sends them into the chip.

mod references;
pub mod writer;

use super::applicant::{
    ApplicantRecord, DocumentType, FingerCompression, FingerEncoding, Loader, read_face,
    read_finger,
};
use super::chip_image::{
    AaConfig, CaConfig, ChipImage, DocumentSignerConfig, EacConfig, FileSource, FileSystem,
    PaceConfig,
};
use super::cv_pki::TestCvPki;
use super::policy::{
    DocumentKind, FingerprintDecision, IssuanceCheck, StationSettings, check_for_issuance, decide,
};
use super::test_pki::TestPki;
use crate::access::cvc::Cvc;
use crate::biometrics::finger_image::FingerImage;
use crate::biometrics::{face_39794, finger_39794};
use crate::crypto::ec::Curve;
use crate::crypto::keys::ec_private_key_from_pkcs8;
use crate::crypto::pem::pem_blocks;
use crate::crypto::signing_key::{KeyAlgorithm, SigningKey};
use crate::error::{Error, Result};
use crate::iso7816::perso::{ChipEcKey, PutData};
use crate::lds::dg2::Dg2;
use crate::lds::dg3::Dg3;
use crate::lds::files::EfId;
use crate::lds::mrz::Mrz;
use crate::pki::cert::Certificate;
use crate::rand::fill_random;
use crate::time::Date;
use std::path::Path;
use zeroize::Zeroizing;

/// The PACE suite a dactyl-personalized chip offers (Doc 9303-11 clause 4.4, generic mapping).
pub const PACE_PROTOCOL: &str = "id-PACE-ECDH-GM-AES-CBC-CMAC-128";
/// The Chip Authentication protocol it runs (clause 6.2).
pub const CA_PROTOCOL: &str = "id-CA-ECDH-AES-CBC-CMAC-128";

/// The command set of the chip a plan is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChipProfile {
    /// A dactyl chip: PACE, Chip Authentication and ECDSA Active Authentication on the chip's
    /// curve, EAC for DG3, dactyl's own PUT DATA objects and the lock with the digest.
    #[default]
    Dactyl,
    /// The JMRTD passport applet: BAC, RSA-1024 Active Authentication (PUT DATA 60/61), no
    /// PACE, no prime-curve Chip Authentication, no DG3 (it refuses to create DG3 without
    /// Terminal Authentication rights), files up to 32,767 bytes.
    JmrtdApplet,
}

/// The encoding of the biometric records in DG2 and DG3 (ICAO Doc 9303-10 clause 4.7.2.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub enum BiometricFormat {
    /// ISO/IEC 19794-5:2005 faces and 19794-4:2005 finger images (the default until issuers
    /// must move, in 2030).
    #[default]
    Iso19794,
    /// ISO/IEC 39794-5 face and 39794-4 finger image data blocks.
    Iso39794,
}

/// What the issuing station knows and decides beyond the record.
#[derive(Clone, Debug)]
pub struct PlanOptions {
    /// The encoding of the biometric records.
    pub biometric_format: BiometricFormat,
    /// The chip's command set.
    pub profile: ChipProfile,
    /// On a chip that cannot hold DG3, issue without the fingers the policy chose (reported);
    /// refused otherwise.
    pub allow_dg3_left_off: bool,
    /// The station's policy settings.
    pub settings: StationSettings,
    /// The issuing date (the policy's enrolment date and the chip's date for TA).
    pub on: Date,
    /// The curve of the chip's PACE, Chip and Active Authentication keys.
    pub curve: Curve,
    /// How DG3's finger images are written (WSQ at 0.75 bpp by default).
    pub finger_encoding: FingerEncoding,
}

impl PlanOptions {
    /// Defaults: the law's settings, brainpoolP256r1, issued on `on`.
    pub fn new(on: Date) -> PlanOptions {
        PlanOptions {
            biometric_format: BiometricFormat::Iso19794,
            profile: ChipProfile::Dactyl,
            allow_dg3_left_off: false,
            settings: StationSettings::default(),
            on,
            curve: Curve::BrainpoolP256r1,
            finger_encoding: FingerEncoding::default(),
        }
    }
}

/// The issuer's keys: the Document Signer that signs EF.SOD and EF.CardSecurity and, for DG3,
/// the CVCA the chip will trust for Terminal Authentication.
pub struct Issuer<'a> {
    /// The Document Signer certificate.
    pub document_signer: &'a Certificate,
    /// Its private key.
    pub document_signer_key: &'a SigningKey,
    /// The CVCA certificate; required when DG3 is written.
    pub cvca: Option<&'a Cvc>,
}

impl<'a> Issuer<'a> {
    /// The Document Signer of a test PKI (`dactyl pki init`) and the CVCA of a CV PKI
    /// (`dactyl cvc init`).
    pub fn from_test_pkis(pki: &'a TestPki, cv: Option<&'a TestCvPki>) -> Issuer<'a> {
        Issuer {
            document_signer: &pki.ds,
            document_signer_key: &pki.ds_key,
            cvca: cv.map(|c| &c.cvca),
        }
    }
}

/// Everything a chip receives, built and checked; the private keys live only here.
pub struct Plan {
    /// The files to write (EF.CVCA excepted: the chip builds it from its trust points).
    pub files: FileSystem,
    /// The PUT DATA objects, in the order they are sent (the lock excepted).
    pub objects: Vec<PutData>,
    /// The MRZ of the data page.
    pub mrz: Mrz,
    /// The card access number.
    pub can: String,
    /// The enrolment policy's decision and the flags the record carries.
    pub policy: IssuanceCheck,
    /// The finger positions DG3 holds (empty: no DG3).
    pub dg3_positions: Vec<u8>,
    /// What the report must show (a truncated name, an image header disagreeing, fingers
    /// captured for the database but not stored on the chip).
    pub warnings: Vec<String>,
    /// The chip's command set the plan is for.
    pub profile: ChipProfile,
    /// What the chip could not hold and was left off (DG3 on the JMRTD applet).
    pub not_written: Vec<String>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|(ef, c)| format!("{} ({} B)", ef.name(), c.len()))
            .collect();
        write!(f, "Plan({}; {:?})", files.join(", "), self.objects)
    }
}

fn yymmdd(d: Date) -> String {
    format!("{:02}{:02}{:02}", d.year % 100, d.month, d.day)
}

/// Six random decimal digits.
fn random_can() -> Result<String> {
    let mut out = String::new();
    while out.len() < 6 {
        let mut b = [0u8; 1];
        fill_random(&mut b)?;
        // 250 = 25 * 10: keep the draw unbiased.
        if b[0] < 250 {
            out.push(char::from(b'0' + b[0] % 10));
        }
    }
    Ok(out)
}

fn algorithm_of(curve: Curve) -> Result<KeyAlgorithm> {
    Ok(match curve {
        Curve::P256 => KeyAlgorithm::P256,
        Curve::P384 => KeyAlgorithm::P384,
        Curve::BrainpoolP256r1 => KeyAlgorithm::Brainpool256,
        Curve::BrainpoolP384r1 => KeyAlgorithm::Brainpool384,
        Curve::P521 => KeyAlgorithm::P521,
        other => {
            return Err(Error::Usage(format!(
                "chip keys on {other}: choose P-256, P-384, P-521, brainpoolP256r1 or \
                 brainpoolP384r1"
            )));
        }
    })
}

/// The chip's Active Authentication key.
enum ChipAaKey {
    /// ECDSA on the chip's curve (a dactyl chip).
    Ec(FreshKey),
    /// RSA (the JMRTD applet).
    Rsa(Box<rsa::RsaPrivateKey>),
}

impl ChipAaKey {
    /// PKCS#8 DER.
    fn pkcs8(&self) -> Result<Zeroizing<Vec<u8>>> {
        use rsa::pkcs8::EncodePrivateKey;
        match self {
            ChipAaKey::Ec(k) => Ok(k.pkcs8.clone()),
            ChipAaKey::Rsa(k) => Ok(Zeroizing::new(
                k.to_pkcs8_der()
                    .map_err(|e| Error::Usage(format!("AA key: {e}")))?
                    .as_bytes()
                    .to_vec(),
            )),
        }
    }
}

/// A fresh EC private key, as PKCS#8 DER and as its bare scalar.
struct FreshKey {
    pkcs8: Zeroizing<Vec<u8>>,
    scalar: Zeroizing<Vec<u8>>,
}

/// A fresh EC key pair on `curve`.
fn fresh_ec_key(curve: Curve) -> Result<FreshKey> {
    let key = SigningKey::generate(algorithm_of(curve)?)?;
    let pem = key.to_pkcs8_pem()?;
    let der = Zeroizing::new(
        pem_blocks(pem.as_bytes(), "PRIVATE KEY")?
            .into_iter()
            .next()
            .ok_or_else(|| Error::Usage("fresh key: no PKCS#8 block".into()))?,
    );
    let (_, scalar) = ec_private_key_from_pkcs8(&der)?;
    Ok(FreshKey { pkcs8: der, scalar })
}

/// Checks the document type against the one the applicant's category issues.
fn check_document_kind(record: &ApplicantRecord) -> Result<()> {
    let Some(kind) = record.enrolment.category.document() else {
        return Ok(()); // the policy check names it
    };
    let expected = if kind == DocumentKind::Passport {
        DocumentType::Passport
    } else {
        DocumentType::IdCard
    };
    if record.document.kind != expected {
        return Err(Error::Usage(format!(
            "applicant record: document.type: category {} issues a {}, not a {}",
            record.enrolment.category.law_category(),
            kind.describe(),
            match record.document.kind {
                DocumentType::Passport => "passport",
                DocumentType::IdCard => "card",
            }
        )));
    }
    Ok(())
}

/// DG3 as the policy chose it.
struct Dg3Choice {
    /// The data group (none: no DG3).
    dg3: Option<Vec<u8>>,
    /// Its finger positions.
    positions: Vec<u8>,
    /// Captures left off the chip.
    warnings: Vec<String>,
}

/// DG3 as the policy chooses it: the images of exactly the fingers it stores, in its order.
/// Returns the DG3 (or none) and the warnings about captures left off the chip.
fn build_dg3(record: &ApplicantRecord, load: Loader<'_>, opts: &PlanOptions) -> Result<Dg3Choice> {
    let decision = decide(&record.policy_applicant(), &opts.settings, opts.on);
    let wanted = decision.positions();
    let mut warnings = Vec::new();
    if let FingerprintDecision::NotTaken { reason } = &decision.fingerprints
        && !record.fingers.is_empty()
    {
        return Err(Error::Usage(format!(
            "applicant record: fingers: fingerprints may not be taken ({reason}), yet the record \
             carries captures of {}: nothing is written",
            record
                .fingers
                .iter()
                .map(|f| f.position.name())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|p| record.finger(**p).and_then(|f| f.image.as_ref()).is_none())
        .map(|p| p.name())
        .collect();
    if !missing.is_empty() {
        if decision.fingerprints == FingerprintDecision::Permitted && missing.len() == wanted.len()
        {
            return Ok(Dg3Choice {
                dg3: None,
                positions: Vec::new(),
                warnings,
            });
        }
        if !wanted.is_empty() {
            return Err(Error::Usage(format!(
                "applicant record: fingers: the policy stores {} on the chip, but the record \
                 has no image of {}",
                wanted
                    .iter()
                    .map(|p| format!("{} ({})", p.code(), p.name()))
                    .collect::<Vec<_>>()
                    .join(", "),
                missing.join(", ")
            )));
        }
    }
    for capture in &record.fingers {
        if !wanted.contains(&capture.position) && capture.image.is_some() {
            warnings.push(format!(
                "{} captured but not stored on the chip (the policy stores {})",
                capture.position.name(),
                if wanted.is_empty() {
                    "no finger".to_string()
                } else {
                    wanted
                        .iter()
                        .map(|p| p.name())
                        .collect::<Vec<_>>()
                        .join(" and ")
                }
            ));
        }
    }
    if wanted.is_empty() {
        return Ok(Dg3Choice {
            dg3: None,
            positions: Vec::new(),
            warnings,
        });
    }
    let mut images = Vec::new();
    for position in &wanted {
        let capture = record
            .finger(*position)
            .ok_or_else(|| Error::Usage(format!("no capture of {}", position.name())))?;
        let finger = read_finger(capture, load, &opts.finger_encoding)?;
        warnings.extend(finger.warnings);
        if let Some(image) = finger.image {
            images.push(image);
        }
    }
    let images = match opts.biometric_format {
        BiometricFormat::Iso19794 => images,
        BiometricFormat::Iso39794 => {
            let mut blocks = Vec::with_capacity(images.len());
            for image in &images {
                // The 19794-4 record is dactyl's own wrapping of the scanner's image: what
                // 39794-4 has no field for (capture device 0, acquisition level, pixel depth)
                // are dactyl's defaults, not the applicant's data, so nothing is lost.
                let converted = finger_39794::convert::from_19794(image)?;
                blocks.push(FingerImage::Iso39794(converted.value));
            }
            blocks
        }
    };
    let dg3 = Dg3::from_images(images)?.encode()?;
    Ok(Dg3Choice {
        dg3: Some(dg3),
        positions: wanted.iter().map(|p| p.code()).collect(),
        warnings,
    })
}

/// The largest elementary file CREATE FILE can make (its size field has two bytes).
pub const MAX_FILE_SIZE: usize = 65535;

/// Refuses, before anything is written, a data group no chip file can hold.
fn fits_in_a_file(name: &str, len: usize, hint: &str) -> Result<()> {
    if len > MAX_FILE_SIZE {
        return Err(Error::Usage(format!(
            "{name} would be {len} bytes, more than the {MAX_FILE_SIZE} a chip file holds: \
             use {hint}"
        )));
    }
    Ok(())
}

/// Builds everything the chip receives for `record` (its files read through `load`, e.g.
/// [`files_in`](super::applicant::files_in) the record's folder): checks the
/// record, runs the enrolment policy (refusing what it refuses), builds the data groups,
/// generates the chip's keys and signs EF.SOD and EF.CardSecurity with the issuer's Document
/// Signer.
pub fn plan(
    record: &ApplicantRecord,
    load: Loader<'_>,
    issuer: &Issuer<'_>,
    opts: &PlanOptions,
) -> Result<Plan> {
    record.check(opts.on)?;
    check_document_kind(record)?;
    let (mrz, mut warnings) = record.mrz_with_warnings()?;
    let Dg3Choice {
        dg3,
        positions: mut dg3_positions,
        warnings: dg3_warnings,
    } = build_dg3(record, load, opts)?;
    warnings.extend(dg3_warnings);
    let policy = check_for_issuance(
        &record.policy_applicant(),
        &opts.settings,
        &dg3_positions,
        opts.on,
    )?;
    let mut not_written = Vec::new();
    let dg3 = match (dg3, opts.profile) {
        (Some(_), ChipProfile::JmrtdApplet) => {
            let fingers: Vec<String> = dg3_positions.iter().map(u8::to_string).collect();
            let what = format!(
                "DG3 (finger positions {}): the JMRTD applet refuses to create DG3 without \
                 Terminal Authentication rights (6982)",
                fingers.join(", ")
            );
            if !opts.allow_dg3_left_off {
                return Err(Error::Usage(format!(
                    "{what}; issue on a dactyl chip, or leave the fingers off by name with \
                     --allow-dg3-left-off"
                )));
            }
            not_written.push(what);
            dg3_positions.clear();
            None
        }
        (dg3, _) => dg3,
    };
    let (references, references_left_off) =
        references::plan_references(record, load, &dg3_positions, opts.profile)?;
    not_written.extend(references_left_off);
    let face = read_face(record, load)?;
    warnings.extend(face.warnings.iter().map(|w| format!("face: {w}")));
    let dg2 = match opts.biometric_format {
        BiometricFormat::Iso19794 => Dg2::from_faces(vec![face.record])?.encode()?,
        BiometricFormat::Iso39794 => {
            let mut blocks = Vec::new();
            for image in &face.record.images {
                let (block, lost) = face_39794::convert::from_19794(image);
                warnings.extend(lost.iter().map(|w| format!("DG2 (39794-5): {w}")));
                blocks.push(block);
            }
            Dg2::from_blocks(blocks).encode()?
        }
    };
    let can = match &record.document.can {
        Some(c) => c.clone(),
        None => random_can()?,
    };
    let parameter_id = opts.curve.pace_parameter_id();
    let dactyl_chip = opts.profile == ChipProfile::Dactyl;
    let ca = fresh_ec_key(opts.curve)?;
    let aa = match opts.profile {
        ChipProfile::Dactyl => ChipAaKey::Ec(fresh_ec_key(opts.curve)?),
        ChipProfile::JmrtdApplet => {
            ChipAaKey::Rsa(Box::new(SigningKey::generate_rsa_chip_key(1024)?))
        }
    };
    let ds_key = issuer.document_signer_key.to_pkcs8_pem()?;
    let cvca = match (&dg3, issuer.cvca) {
        (None, _) => None,
        (Some(_), Some(cvca)) => Some(cvca.raw().to_vec()),
        (Some(_), None) => {
            return Err(Error::Usage(
                "DG3 holds fingerprints, which only Terminal Authentication may open: give the \
                 CV PKI (--cv DIR from `dactyl cvc init`) whose CVCA the chip will trust"
                    .into(),
            ));
        }
    };
    fits_in_a_file("DG2", dg2.len(), "a smaller face image")?;
    if let Some(dg3) = &dg3 {
        let hint = match opts.finger_encoding.compression {
            FingerCompression::Wsq => format!(
                "a lower --wsq-bitrate (now {}) or smaller finger images",
                opts.finger_encoding.wsq_bits_per_pixel
            ),
            _ => "--finger-compression wsq or smaller finger images".to_string(),
        };
        fits_in_a_file("DG3", dg3.len(), &hint)?;
    }
    let mut files = std::collections::BTreeMap::new();
    files.insert("DG2".to_string(), FileSource::Hex(hex::encode(&dg2)));
    if let Some(dg3) = &dg3 {
        files.insert("DG3".to_string(), FileSource::Hex(hex::encode(dg3)));
    }
    let image: ChipImage<String> = ChipImage {
        mrz: mrz.to_text(),
        can: Some(can.clone()),
        bac: true,
        pace: if dactyl_chip {
            vec![PaceConfig {
                protocol: PACE_PROTOCOL.into(),
                parameter_id,
            }]
        } else {
            Vec::new()
        },
        chip_authentication: dactyl_chip.then(|| CaConfig {
            protocol: CA_PROTOCOL.into(),
            parameter_id,
            private_key: hex::encode(&*ca.scalar),
            version: 1,
            key_id: None,
        }),
        active_authentication: Some(AaConfig {
            pkcs8: FileSource::Hex(hex::encode(&*aa.pkcs8()?)),
        }),
        eac: cvca.as_ref().map(|c| EacConfig {
            cvca: FileSource::Hex(hex::encode(c)),
            previous_cvca: None,
            date: Some(opts.on.to_string()),
            ef_cvca: None,
        }),
        document_signer: Some(DocumentSignerConfig {
            certificate: FileSource::Hex(hex::encode(&issuer.document_signer.raw)),
            key: FileSource::Hex(hex::encode(ds_key.as_bytes())),
        }),
        files,
        ..ChipImage::default()
    };
    let no_files = |p: &Path| -> Result<Vec<u8>> {
        Err(Error::Usage(format!(
            "{}: not part of the plan",
            p.display()
        )))
    };
    let mut fs = image.file_system_with(&no_files)?;
    fs.remove(EfId::Cvca);
    let key_info = mrz.key_info()?;
    let seed = PutData::BacKeySeed {
        document_number: key_info.document_number().to_string(),
        date_of_birth: key_info.date_of_birth().to_string(),
        date_of_expiry: key_info.date_of_expiry().to_string(),
    };
    let mut objects = vec![seed];
    match aa {
        ChipAaKey::Ec(aa) => objects.extend([
            PutData::Can(can.clone()),
            PutData::ChipAuthenticationKey(ChipEcKey {
                parameter_id,
                scalar: ca.scalar,
                key_id: None,
            }),
            PutData::ActiveAuthenticationEcKey(ChipEcKey {
                parameter_id,
                scalar: aa.scalar,
                key_id: None,
            }),
        ]),
        ChipAaKey::Rsa(key) => {
            use rsa::traits::{PrivateKeyParts, PublicKeyParts};
            objects.push(PutData::AaRsaModulus(key.n_bytes().to_vec()));
            objects.push(PutData::AaRsaPrivateExponent(Zeroizing::new(
                key.d().to_be_bytes().to_vec(),
            )));
        }
    }
    if let Some(certificate) = cvca {
        objects.push(PutData::TrustedCvca {
            slot: 1,
            certificate,
        });
        let mut date = [0u8; 6];
        for (d, c) in date.iter_mut().zip(yymmdd(opts.on).bytes()) {
            *d = c - b'0';
        }
        objects.push(PutData::CurrentDate(date));
    }
    objects.extend(references);
    Ok(Plan {
        files: fs,
        objects,
        mrz,
        can,
        policy,
        dg3_positions,
        warnings,
        profile: opts.profile,
        not_written,
    })
}
