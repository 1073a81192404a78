//! The applicant record an issuing station personalizes a document from (JSON): the data page
//! (ICAO Doc 9303-4/-5 MRZ fields: document type, number, issuing state, names, nationality,
//! birth date, sex, expiry), the enrolment facts the [`super::policy`] decides on, the face
//! image for DG2 (Doc 9303-10 clause 4.7.2, ISO/IEC 19794-5) and the finger captures for DG3
//! (clause 4.7.3, ISO/IEC 19794-4) with their positions, and the CAN (generated when absent).
//!
//! ```json
//! {
//!   "document": {"type": "passport", "number": "UT1234567", "issuing_state": "UTO",
//!                "date_of_expiry": "2036-05-31"},
//!   "holder": {"primary_identifier": "ERIKSSON", "secondary_identifier": "ANNA MARIA",
//!              "nationality": "UTO", "date_of_birth": "1990-04-01", "sex": "F"},
//!   "enrolment": {"status": "citizen", "category": "citizen_passport"},
//!   "face": "face.jpg",
//!   "fingers": [{"position": "right_thumb", "image": "right_thumb.wsq"},
//!               {"position": "left_thumb", "image": "left_thumb.wsq"}]
//! }
//! ```
//!
//! Unknown fields and invalid values are refused with the field named; file paths are
//! relative to the record's folder. Which captured fingers go into DG3 is the policy's choice,
//! never the record's.

mod finger_encoding;
mod images;
#[cfg(test)]
mod tests;

pub use finger_encoding::{
    EncodedFinger, FingerCompression, FingerEncoding, WSQ_MIN_PSNR_DB, encode_finger,
};
pub use images::{FaceFile, FingerFile, Loader, files_in, read_face, read_finger, read_template};

use super::policy::{
    Applicant, ApplicantCategory, FingerCondition, FingerPosition, FingerStatus, Hands, LegalStatus,
};
use crate::error::{Error, Result};
use crate::fsio::{MAX_LDS_FILE, read_text_bounded};
use crate::lds::mrz::{Mrz, MrzFormat};
use crate::time::Date;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The kind of document, which fixes the MRZ format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// A passport booklet: TD3 (Doc 9303-4), document code `P`.
    Passport,
    /// An identity card: TD1 (Doc 9303-5), document code `ID`.
    IdCard,
}

/// The document's own data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDetails {
    /// Passport or identity card.
    #[serde(rename = "type")]
    pub kind: DocumentType,
    /// The document code when not the default (`P` for a passport, `ID` for a card).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The document number (at most 9 characters on a passport; a card's longer number is
    /// continued in the optional data as Doc 9303-5 describes).
    pub number: String,
    /// The issuing state (three-letter code).
    pub issuing_state: String,
    /// The date of expiry.
    pub date_of_expiry: Date,
    /// The card access number printed on the document (six digits); generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can: Option<String>,
    /// Optional data of the MRZ (a passport's personal number).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub optional_data: String,
}

/// The holder as printed on the data page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    /// Surname(s), in MRZ characters (A-Z, spaces between words).
    pub primary_identifier: String,
    /// Given names.
    #[serde(default)]
    pub secondary_identifier: String,
    /// Nationality (three-letter code).
    pub nationality: String,
    /// Date of birth.
    pub date_of_birth: Date,
    /// `F`, `M` or `X`.
    pub sex: String,
}

/// The enrolment facts the policy decides on (the policy's [`Applicant`] without the birth
/// date, which the holder section gives).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// Citizen, foreigner or stateless person.
    pub status: LegalStatus,
    /// Why the person is enrolled (the law's categories).
    pub category: ApplicantCategory,
    /// For a seafarer: the decision to issue the card is on record.
    #[serde(default)]
    pub seafarer_card_decided: bool,
    /// A 12- to 15-year-old's consent is on record.
    #[serde(default)]
    pub child_consent: bool,
    /// A parent or guardian is present.
    #[serde(default)]
    pub guardian_present: bool,
    /// The person refuses dactyloscopic registration.
    #[serde(default)]
    pub refuses: bool,
    /// Which hands the person has (omitted: both).
    #[serde(default)]
    pub hands: Hands,
    /// Missing, amputated or damaged fingers (omitted: all usable).
    #[serde(default)]
    pub fingers: FingerStatus,
}

/// One finger as the scanner gave it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FingerCapture {
    /// Which finger.
    pub position: FingerPosition,
    /// The image file: WSQ, PNG, JPEG, JPEG 2000 or raw 8-bit grey (with `raw`), written in
    /// DG3 in the station's finger compression ([`FingerEncoding`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<PathBuf>,
    /// An ISO/IEC 19794-2 minutiae record of the finger (the match-on-card reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<PathBuf>,
    /// The image's resolution in pixels per inch (default 500).
    #[serde(default = "default_ppi")]
    pub resolution_ppi: u16,
    /// The scanner's quality score, 0 to 100 (default: 254, not reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<u8>,
    /// For a raw image (8-bit grey, rows top to bottom, no header): its size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawSize>,
}

/// The size of a raw finger image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

fn default_ppi() -> u16 {
    500
}

/// An applicant record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantRecord {
    /// The document.
    pub document: DocumentDetails,
    /// The holder.
    pub holder: Holder,
    /// The enrolment facts.
    pub enrolment: Enrolment,
    /// The face image for DG2 (JPEG or JPEG 2000).
    pub face: PathBuf,
    /// The fingers captured.
    #[serde(default)]
    pub fingers: Vec<FingerCapture>,
}

fn field(name: &str, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!("applicant record: {name}: {why}"))
}

fn is_state_code(s: &str) -> bool {
    (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())
}

impl ApplicantRecord {
    /// Parses a record from JSON; the field a mistake is in is named.
    pub fn from_json(text: &str) -> Result<ApplicantRecord> {
        serde_json::from_str(text).map_err(|e| Error::Usage(format!("applicant record: {e}")))
    }

    /// Reads a record file (at most 4 MB).
    pub fn load(path: &Path) -> Result<ApplicantRecord> {
        let text = read_text_bounded(path, MAX_LDS_FILE, "an applicant record")?;
        Self::from_json(&text).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))
    }

    /// The policy's view of the applicant.
    pub fn policy_applicant(&self) -> Applicant {
        let e = &self.enrolment;
        Applicant {
            date_of_birth: self.holder.date_of_birth,
            status: e.status,
            category: e.category,
            seafarer_card_decided: e.seafarer_card_decided,
            child_consent: e.child_consent,
            guardian_present: e.guardian_present,
            refuses: e.refuses,
            hands: e.hands,
            fingers: e.fingers,
        }
    }

    /// Checks every value a chip would carry, on the issuing date `on`: MRZ characters and
    /// lengths, codes, dates in order, the CAN, finger entries (one source each, no position
    /// twice, no capture of a finger the record says is missing).
    pub fn check(&self, on: Date) -> Result<()> {
        let d = &self.document;
        let h = &self.holder;
        if !is_state_code(&d.issuing_state) {
            return Err(field(
                "document.issuing_state",
                format!("{:?} is not a three-letter code", d.issuing_state),
            ));
        }
        if !is_state_code(&h.nationality) {
            return Err(field(
                "holder.nationality",
                format!("{:?} is not a three-letter code", h.nationality),
            ));
        }
        if !matches!(h.sex.as_str(), "F" | "M" | "X") {
            return Err(field("holder.sex", format!("{:?} is not F, M or X", h.sex)));
        }
        if d.number.is_empty()
            || !d
                .number
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(field(
                "document.number",
                format!("{:?} is not capital letters and digits", d.number),
            ));
        }
        if d.kind == DocumentType::Passport && d.number.len() > 9 {
            return Err(field(
                "document.number",
                format!(
                    "{} characters; a passport number has at most 9",
                    d.number.len()
                ),
            ));
        }
        if let Some(can) = &d.can
            && (can.len() != 6 || !can.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(field("document.can", "the CAN is six digits"));
        }
        if h.date_of_birth > on {
            return Err(field(
                "holder.date_of_birth",
                format!("{} is after the issuing date {on}", h.date_of_birth),
            ));
        }
        if d.date_of_expiry <= on {
            return Err(field(
                "document.date_of_expiry",
                format!("{} is not after the issuing date {on}", d.date_of_expiry),
            ));
        }
        let mut seen = Vec::new();
        for (i, f) in self.fingers.iter().enumerate() {
            let name = format!("fingers[{i}] ({})", f.position.name());
            if seen.contains(&f.position) {
                return Err(field(&name, "this finger is given twice"));
            }
            seen.push(f.position);
            if f.image.is_none() && f.template.is_none() {
                return Err(field(&name, "give \"image\" or \"template\""));
            }
            if !(100..=2000).contains(&f.resolution_ppi) {
                return Err(field(
                    &name,
                    format!("resolution {} ppi is not 100 to 2000", f.resolution_ppi),
                ));
            }
            if f.quality.is_some_and(|q| q > 100) {
                return Err(field(&name, "quality is 0 to 100"));
            }
            let condition = self
                .enrolment
                .fingers
                .on(self.enrolment.hands)
                .get(f.position);
            if condition != FingerCondition::Usable {
                return Err(field(
                    &name,
                    format!(
                        "the record says this finger is {}, yet gives a capture",
                        condition.describe()
                    ),
                ));
            }
        }
        self.mrz().map(|_| ())
    }

    /// The MRZ of the data page, check digits computed (Doc 9303-3 clause 4.9), with the
    /// warnings of building it (a truncated name).
    pub fn mrz_with_warnings(&self) -> Result<(Mrz, Vec<String>)> {
        let d = &self.document;
        let h = &self.holder;
        let (format, code) = match d.kind {
            DocumentType::Passport => (MrzFormat::Td3, "P"),
            DocumentType::IdCard => (MrzFormat::Td1, "ID"),
        };
        let yymmdd = |x: Date| format!("{:02}{:02}{:02}", x.year % 100, x.month, x.day);
        let fields = Mrz {
            format,
            document_code: d.code.clone().unwrap_or_else(|| code.into()),
            issuing_state: d.issuing_state.clone(),
            primary_identifier: h.primary_identifier.clone(),
            secondary_identifier: h.secondary_identifier.clone(),
            document_number: d.number.clone(),
            nationality: h.nationality.clone(),
            date_of_birth: yymmdd(h.date_of_birth),
            sex: h.sex.clone(),
            date_of_expiry: yymmdd(d.date_of_expiry),
            optional_data: d.optional_data.clone(),
            optional_data_2: String::new(),
            checks: Vec::new(),
            lines: Vec::new(),
        };
        fields.build().map_err(|e| field("MRZ", e))
    }

    /// The MRZ of the data page.
    pub fn mrz(&self) -> Result<Mrz> {
        self.mrz_with_warnings().map(|(m, _)| m)
    }

    /// The captures of `position`, if the record has one.
    pub fn finger(&self, position: FingerPosition) -> Option<&FingerCapture> {
        self.fingers.iter().find(|f| f.position == position)
    }
}
