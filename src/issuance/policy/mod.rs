//! The enrolment law this toolkit serves (dactyloscopic registration, in force from
//! 1 January 2021), as explicit rules: who is registered, what is captured for the national
//! database, which fingers go onto a chip document's DG3 (ICAO Doc 9303-10 §4.7.3, finger
//! positions of ISO/IEC 19794-4 table 2), and the check that refuses to issue a chip whose DG3
//! breaks the rules.
//!
//! The law's text, as the project has it (English translation):
//! - "An electronic code of papillary patterns will be recorded to biometric passports and
//!   national IDs of citizens."
//! - "Children under 12 years old are not subject to dactyloscopy. From January 1, 2021,
//!   children aged 12 to 16 can undergo dactyloscopy only upon their consent and in the presence
//!   of a guardian, while from the age of 16 dactyloscopy will be mandatory for all citizens."
//! - Individuals who have reached 16 are subject to registration in eight categories
//!   ([`ApplicantCategory`]).
//! - "The national dactyloscopy database will contain prints of fingers and palms, but the chip
//!   embedded into the document will only store thumbprints (in case of amputation or pathology
//!   of the ring fingers)."
//! - "Persons who do not have both hands or papillary patterns on the nail phalanges of all
//!   fingers of both hands will not undergo dactyloscopy."
//! - A citizen who refuses registration is liable to an administrative fine (2 MCI); a
//!   foreigner or stateless person who refuses faces administrative expulsion.
//!
//! [`decide`] applies, in order:
//!
//! 1. The record must hold together, or it is [`FingerprintDecision::Refused`] (corrected
//!    before enrolment goes on): a birth date after the enrolment date; a category whose scope
//!    excludes the person's legal status (category 1 is for citizens, categories 3 to 8 for
//!    foreigners and stateless persons); a seafarer's identity card without the decision to
//!    issue it on record.
//! 2. An enrolment dated before 2021-01-01 has no fingerprint requirement.
//! 3. Under 12: no fingerprints.
//! 4. 12 to 15: fingerprints are *permitted* with the child's consent and a guardian present,
//!    never mandatory; without both, none are taken. A document issued without DG3 is valid.
//! 5. From 16 (on the birthday): registration is mandatory.
//! 6. Exempt: a person without hands, or with no papillary pattern on the nail phalanx of any
//!    finger.
//! 7. A person of 16 or over who refuses gets [`FingerprintDecision::RefusedByApplicant`] with
//!    the consequence the law names; the station's [`RefusalAction`] says what happens to the
//!    document.
//! 8. Registration captures every usable finger and the palm of each hand present.
//! 9. The chip stores the two thumbs, and only on a chip document: the passport and national ID
//!    by law, other documents by [`StationSettings::chip_documents`]. An unusable thumb is
//!    replaced as [`SubstitutionOrder`] says (by default the law's reading: the ring finger of
//!    the same hand, then the other hand's ring finger), stored under its own position code.
//!
//! Ages are counted on the enrolment (capture) date, which every function takes explicitly.
//! Where the text does not settle a case the rule is an assumption, listed in [`ASSUMPTIONS`]
//! and named in each [`Decision`] it shaped.

mod category;
mod check;
mod choose;
mod fingers;
mod settings;

pub use category::{ApplicantCategory, DocumentKind, LegalStatus, Scope};
pub use check::{IssuanceCheck, check_for_issuance};
pub use fingers::{Digit, FingerCondition, FingerPosition, FingerStatus, Hand, Hands};
pub use settings::{RefusalAction, StationSettings, SubstitutionOrder};

use crate::time::Date;
use serde::{Deserialize, Serialize};

/// The day the law took effect.
pub const IN_FORCE_FROM: Date = Date {
    year: 2021,
    month: 1,
    day: 1,
};

/// The rules the law's text does not settle, as (name, rule) pairs.
pub const ASSUMPTIONS: [(&str, &str); 6] = [
    (
        "feb-29",
        "a person born on 29 February becomes a year older on 1 March in common years",
    ),
    (
        "one-hand",
        "\"persons who do not have both hands\" is read as persons with neither hand; a person \
         with one hand is fingerprinted on that hand",
    ),
    (
        "one-hand-without-patterns",
        "a person with one hand whose fingers all lack papillary patterns is exempt, as one \
         with no pattern on any finger",
    ),
    (
        "past-the-ring-fingers",
        "when a thumb and both ring fingers are unusable, the index, middle and little fingers \
         stand in (same hand first, then the other hand)",
    ),
    (
        "one-usable-finger",
        "a person with a single usable finger has that finger stored alone",
    ),
    (
        "immigrant-is-non-citizen",
        "category 5's \"immigrants\" are foreigners and stateless persons",
    ),
];

/// An applicant record as the issuing station keeps it (JSON through serde).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// Date of birth.
    pub date_of_birth: Date,
    /// Citizen, foreigner or stateless person.
    pub status: LegalStatus,
    /// Why the person is enrolled.
    pub category: ApplicantCategory,
    /// For category 2: the decision to issue a seafarer's identity card is on record.
    #[serde(default)]
    pub seafarer_card_decided: bool,
    /// A 12- to 15-year-old's consent to fingerprinting is on record.
    #[serde(default)]
    pub child_consent: bool,
    /// A parent or guardian is present at enrolment.
    #[serde(default)]
    pub guardian_present: bool,
    /// The person refuses dactyloscopic registration.
    #[serde(default)]
    pub refuses: bool,
    /// Which hands the person has (omitted: both).
    #[serde(default)]
    pub hands: Hands,
    /// The condition of each finger (omitted: all usable).
    #[serde(default)]
    pub fingers: FingerStatus,
}

/// What the law says about fingerprints for one applicant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum FingerprintDecision {
    /// From 16: registration is mandatory.
    Mandatory,
    /// 12 to 15 with consent and a guardian present: fingerprints may be taken; a document
    /// without DG3 is valid.
    Permitted,
    /// No fingerprints (age, no consent, exemption, before the law applied).
    NotTaken {
        /// Why.
        reason: String,
    },
    /// The record cannot be enrolled as it stands: correct it first.
    Refused {
        /// What is wrong.
        reason: String,
    },
    /// The applicant, subject to registration, refuses it.
    RefusedByApplicant {
        /// What the law names for the refusal.
        consequence: Consequence,
    },
}

/// The consequence the law names for a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Consequence {
    /// A citizen: an administrative fine (2 MCI).
    AdministrativeFine,
    /// A foreigner or stateless person: administrative expulsion.
    AdministrativeExpulsion,
}

impl Consequence {
    /// The consequence for a person of `status`.
    pub fn for_status(status: LegalStatus) -> Consequence {
        match status {
            LegalStatus::Citizen => Consequence::AdministrativeFine,
            LegalStatus::Foreigner | LegalStatus::StatelessPerson => {
                Consequence::AdministrativeExpulsion
            }
        }
    }

    /// A readable description.
    pub fn describe(self) -> &'static str {
        match self {
            Consequence::AdministrativeFine => "an administrative fine (2 MCI)",
            Consequence::AdministrativeExpulsion => "administrative expulsion",
        }
    }
}

/// What registration captures for the national database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Capture {
    /// Every usable finger, in position order.
    pub fingers: Vec<FingerPosition>,
    /// The palm of each hand present.
    pub palms: Vec<Hand>,
}

/// One finger DG3 stores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredFinger {
    /// The finger stored, under its own position code.
    pub finger: FingerPosition,
    /// The thumb whose place it takes (the finger itself for a thumb).
    pub for_thumb: FingerPosition,
    /// Why this finger.
    pub why: String,
}

/// What goes onto the chip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "chip")]
pub enum ChipFingers {
    /// DG3 holds these fingers (right-thumb place first).
    Store {
        /// The fingers.
        fingers: Vec<StoredFinger>,
    },
    /// No DG3.
    Nothing {
        /// Why.
        reason: String,
    },
}

/// The policy's answer for an applicant on an enrolment date, with the trail of rules applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The fingerprint outcome.
    pub fingerprints: FingerprintDecision,
    /// What to capture for the national database (none when nothing is taken).
    pub capture: Option<Capture>,
    /// What the chip stores.
    pub chip: ChipFingers,
    /// Every rule that applied, in order.
    pub reasons: Vec<String>,
    /// The names of the [`ASSUMPTIONS`] this decision rests on.
    pub assumptions: Vec<&'static str>,
}

impl Decision {
    /// The finger positions DG3 must hold (empty when the chip stores none).
    pub fn positions(&self) -> Vec<FingerPosition> {
        match &self.chip {
            ChipFingers::Store { fingers } => fingers.iter().map(|f| f.finger).collect(),
            ChipFingers::Nothing { .. } => Vec::new(),
        }
    }
}

/// The rules applied so far.
#[derive(Default)]
struct Trail {
    reasons: Vec<String>,
    assumptions: Vec<&'static str>,
}

impl Trail {
    fn note(&mut self, reason: impl Into<String>) {
        self.reasons.push(reason.into());
    }

    fn assume(&mut self, name: &'static str) {
        if !self.assumptions.contains(&name) {
            self.assumptions.push(name);
        }
    }
}

fn not_taken(reason: impl Into<String>) -> FingerprintDecision {
    FingerprintDecision::NotTaken {
        reason: reason.into(),
    }
}

fn refused(reason: impl Into<String>) -> FingerprintDecision {
    FingerprintDecision::Refused {
        reason: reason.into(),
    }
}

/// Applies the enrolment rules (module docs) to `applicant` enrolled on `enrolled_on`.
pub fn decide(applicant: &Applicant, settings: &StationSettings, enrolled_on: Date) -> Decision {
    let mut trail = Trail::default();
    let fingerprints = outcome(applicant, enrolled_on, &mut trail);
    let (capture, chip) = match &fingerprints {
        FingerprintDecision::Mandatory | FingerprintDecision::Permitted => {
            let usable = applicant.fingers.on(applicant.hands).usable();
            let capture = Capture {
                fingers: usable.clone(),
                palms: applicant.hands.present(),
            };
            let chip = choose::chip_fingers(applicant, settings, &usable, &mut trail);
            (Some(capture), chip)
        }
        FingerprintDecision::NotTaken { reason } | FingerprintDecision::Refused { reason } => {
            trail.note(reason.clone());
            let reason = reason.clone();
            (None, ChipFingers::Nothing { reason })
        }
        FingerprintDecision::RefusedByApplicant { consequence } => {
            let reason = format!(
                "the applicant refuses dactyloscopic registration: the law names {} for a {}",
                consequence.describe(),
                applicant.status.describe()
            );
            trail.note(reason.clone());
            (None, ChipFingers::Nothing { reason })
        }
    };
    Decision {
        fingerprints,
        capture,
        chip,
        reasons: trail.reasons,
        assumptions: trail.assumptions,
    }
}

/// Rules 1 to 7 of the module docs.
fn outcome(a: &Applicant, on: Date, trail: &mut Trail) -> FingerprintDecision {
    if let Some(problem) = record_problem(a) {
        return refused(problem);
    }
    let born = a.date_of_birth;
    let Some(age) = born.age_on(on) else {
        return refused(format!(
            "date of birth {born} is after the enrolment date {on}"
        ));
    };
    if on < IN_FORCE_FROM {
        return not_taken(format!(
            "enrolled on {on}, before the law took effect on {IN_FORCE_FROM}: no fingerprint \
             requirement"
        ));
    }
    if (born.month, born.day) == (2, 29) && Date::new(on.year, 2, 29).is_err() {
        trail.assume("feb-29");
    }
    trail.note(format!(
        "age {age} on the enrolment date {on} (born {born})"
    ));
    let category = format!(
        "category {}: {}",
        a.category.law_category(),
        a.category.describe()
    );
    let fingerprints = if age < 12 {
        return not_taken("under 12: not subject to dactyloscopy");
    } else if age < 16 {
        if a.refuses {
            return not_taken(
                "aged 12 to 15 and declines: nothing is taken (fingerprinting is optional at this \
                 age, with no consequence)",
            );
        }
        let missing: Vec<&str> = [
            (!a.child_consent).then_some("the child's consent is not recorded"),
            (!a.guardian_present).then_some("no guardian is present"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !missing.is_empty() {
            return not_taken(format!(
                "aged 12 to 15, fingerprints only with the child's consent and a guardian \
                 present: {}",
                missing.join(" and ")
            ));
        }
        trail.note(format!(
            "aged 12 to 15 with the child's consent and a guardian present: fingerprinting is \
             permitted, not mandatory ({category})"
        ));
        FingerprintDecision::Permitted
    } else {
        trail.note(format!(
            "aged 16 or over: registration is mandatory ({category})"
        ));
        FingerprintDecision::Mandatory
    };
    if let Some(exemption) = exemption(a, trail) {
        return not_taken(exemption);
    }
    if a.refuses && fingerprints == FingerprintDecision::Mandatory {
        return FingerprintDecision::RefusedByApplicant {
            consequence: Consequence::for_status(a.status),
        };
    }
    fingerprints
}

/// Rule 1: what makes the record unusable as it stands.
fn record_problem(a: &Applicant) -> Option<String> {
    let n = a.category.law_category();
    let status = a.status.describe();
    match a.category.scope() {
        Scope::CitizensOnly if a.status != LegalStatus::Citizen => {
            return Some(format!(
                "category {n} ({}) covers citizens, but the record says {status}: correct the \
                 category or the status",
                a.category.describe()
            ));
        }
        Scope::NonCitizensOnly if a.status == LegalStatus::Citizen => {
            return Some(format!(
                "category {n} ({}) covers foreigners and stateless persons, but the record says \
                 citizen: correct the category or the status",
                a.category.describe()
            ));
        }
        _ => {}
    }
    if a.category == ApplicantCategory::SeafarerIdentityCard && !a.seafarer_card_decided {
        return Some(
            "category 2 covers persons in respect of whom a decision was made to issue a \
             seafarer's identity card, and no such decision is on record"
                .into(),
        );
    }
    None
}

/// Rule 6, and the one-hand reading.
fn exemption(a: &Applicant, trail: &mut Trail) -> Option<String> {
    if a.category == ApplicantCategory::ImmigrantDomesticWorker {
        trail.assume("immigrant-is-non-citizen");
    }
    let present = a.hands.present();
    if present.is_empty() {
        return Some("exempt: a person without both hands".into());
    }
    let usable = a.fingers.on(a.hands).usable();
    if let [hand] = present.as_slice() {
        trail.assume("one-hand");
        if usable.is_empty() {
            trail.assume("one-hand-without-patterns");
            return Some(format!(
                "exempt: one hand only, and no papillary pattern on any finger of the {} hand",
                hand.name()
            ));
        }
        trail.note(format!(
            "the {} hand only: fingerprints from its fingers",
            hand.name()
        ));
    }
    if usable.is_empty() {
        return Some(
            "exempt: no papillary pattern on the nail phalanx of any finger (missing or without \
             pattern)"
                .into(),
        );
    }
    None
}

#[cfg(test)]
mod tests;
