//! The enrolment law this toolkit serves, as explicit rules: who gives fingerprints, which
//! fingers go into DG3 (ICAO Doc 9303-10 §4.7.3, finger positions of ISO/IEC 19794-4 table 2),
//! and the check that refuses to issue a chip whose DG3 breaks the rules.
//!
//! The rules, in the order [`decide`] applies them:
//!
//! 1. A record whose date of birth is after the enrolment date, or whose hand and finger data
//!    contradict each other (no two hands recorded, yet usable fingers on both), is
//!    [`FingerprintDecision::Refused`]: the station must correct it before enrolment goes on.
//! 2. Under 12 years: no fingerprints, no DG3.
//! 3. From 12 to under 16: fingerprints only with the child's recorded consent **and** a
//!    guardian present; otherwise none are taken (a recorded reason, not an error).
//! 4. From 16: fingerprints are mandatory for every [`ApplicantCategory`].
//! 5. Exempt (no DG3, reason recorded): a person without both hands, or without papillary
//!    patterns on the nail phalanges of all fingers, i.e. anyone with no usable finger.
//! 6. The chip stores the two thumbs (positions 1 and 6). A thumb that is amputated or has no
//!    papillary pattern is replaced by the first usable finger of [`SUBSTITUTES`], stored under
//!    its own position code. With one usable finger in all, that one finger is stored.
//!
//! Ages count whole years: a person is a year older on the anniversary of the birth date; one
//! born on 29 February becomes a year older on 1 March in common years (the anniversary day
//! does not exist, so the year completes at the end of 28 February).

use crate::error::{Error, Result};
use crate::time::Date;
use serde::{Deserialize, Serialize};

const POLICY: &str = "enrolment policy";

/// Why a person applies: the law makes fingerprints mandatory from 16 for every category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantCategory {
    /// A citizen applying for a passport.
    CitizenPassport,
    /// A citizen applying for a national identity card.
    CitizenNationalId,
    /// A seafarer's identity card.
    SeafarerIdentityCard,
    /// A foreigner or stateless person residing permanently.
    PermanentResident,
    /// An applicant for a residence permit.
    ResidencePermit,
    /// A stateless-person certificate.
    StatelessPersonCertificate,
    /// A refugee certificate.
    RefugeeCertificate,
    /// An immigrant domestic worker.
    ImmigrantDomesticWorker,
    /// A person subject to expulsion or readmission.
    ExpulsionOrReadmission,
    /// A visa applicant.
    VisaApplicant,
    /// A person crossing the border.
    BorderCrossing,
}

impl ApplicantCategory {
    /// Every category.
    pub const ALL: [ApplicantCategory; 11] = [
        ApplicantCategory::CitizenPassport,
        ApplicantCategory::CitizenNationalId,
        ApplicantCategory::SeafarerIdentityCard,
        ApplicantCategory::PermanentResident,
        ApplicantCategory::ResidencePermit,
        ApplicantCategory::StatelessPersonCertificate,
        ApplicantCategory::RefugeeCertificate,
        ApplicantCategory::ImmigrantDomesticWorker,
        ApplicantCategory::ExpulsionOrReadmission,
        ApplicantCategory::VisaApplicant,
        ApplicantCategory::BorderCrossing,
    ];

    /// A readable description.
    pub fn describe(self) -> &'static str {
        match self {
            ApplicantCategory::CitizenPassport => "citizen applying for a passport",
            ApplicantCategory::CitizenNationalId => "citizen applying for a national ID card",
            ApplicantCategory::SeafarerIdentityCard => "seafarer's identity card",
            ApplicantCategory::PermanentResident => {
                "foreigner or stateless person residing permanently"
            }
            ApplicantCategory::ResidencePermit => "residence permit applicant",
            ApplicantCategory::StatelessPersonCertificate => "stateless-person certificate",
            ApplicantCategory::RefugeeCertificate => "refugee certificate",
            ApplicantCategory::ImmigrantDomesticWorker => "immigrant domestic worker",
            ApplicantCategory::ExpulsionOrReadmission => {
                "person subject to expulsion or readmission"
            }
            ApplicantCategory::VisaApplicant => "visa applicant",
            ApplicantCategory::BorderCrossing => "border crossing",
        }
    }
}

/// A finger by its ISO/IEC 19794-4 finger position code (1 right thumb .. 5 right little,
/// 6 left thumb .. 10 left little).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum FingerPosition {
    /// 1.
    RightThumb = 1,
    /// 2.
    RightIndex = 2,
    /// 3.
    RightMiddle = 3,
    /// 4.
    RightRing = 4,
    /// 5.
    RightLittle = 5,
    /// 6.
    LeftThumb = 6,
    /// 7.
    LeftIndex = 7,
    /// 8.
    LeftMiddle = 8,
    /// 9.
    LeftRing = 9,
    /// 10.
    LeftLittle = 10,
}

use FingerPosition::*;

impl FingerPosition {
    /// The ten fingers in position-code order.
    pub const ALL: [FingerPosition; 10] = [
        RightThumb,
        RightIndex,
        RightMiddle,
        RightRing,
        RightLittle,
        LeftThumb,
        LeftIndex,
        LeftMiddle,
        LeftRing,
        LeftLittle,
    ];

    /// The ISO/IEC 19794-4 finger position code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The finger with position code `code` (1 to 10).
    pub fn from_code(code: u8) -> Option<FingerPosition> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// "right thumb", "left index finger", ...
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 10] = [
            "right thumb",
            "right index finger",
            "right middle finger",
            "right ring finger",
            "right little finger",
            "left thumb",
            "left index finger",
            "left middle finger",
            "left ring finger",
            "left little finger",
        ];
        NAMES
            .get(usize::from(self.code()).wrapping_sub(1))
            .copied()
            .unwrap_or("finger")
    }

    /// True for positions 1 to 5.
    pub fn is_right(self) -> bool {
        self.code() <= 5
    }
}

/// The fingers that stand in for an unusable thumb, in the order they are tried: first for the
/// right thumb (position 1), then for the left thumb (position 6).
///
/// The index finger comes first because, after the thumb, it has the largest pattern area and is
/// the finger eMRTD schemes already capture (EU passports store the index fingers), then middle
/// and ring; the little finger, smallest and hardest to place flat on a scanner, comes last. The
/// same hand is preferred so that DG3 still holds one finger of each hand where it can; the other
/// hand's fingers come only when the thumb's own hand has none. The other thumb never stands in:
/// it is either stored for its own slot or unusable.
pub const SUBSTITUTES: [[FingerPosition; 8]; 2] = [
    [
        RightIndex,
        RightMiddle,
        RightRing,
        RightLittle,
        LeftIndex,
        LeftMiddle,
        LeftRing,
        LeftLittle,
    ],
    [
        LeftIndex,
        LeftMiddle,
        LeftRing,
        LeftLittle,
        RightIndex,
        RightMiddle,
        RightRing,
        RightLittle,
    ],
];

/// The state of one finger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FingerCondition {
    /// Present with a papillary pattern on the nail phalanx.
    #[default]
    Usable,
    /// Missing.
    Amputated,
    /// Present, but with no papillary pattern on the nail phalanx (pathology, injury).
    NoPapillaryPattern,
}

/// The condition of each of the ten fingers; in JSON an object whose omitted fingers are
/// usable (`{"right_thumb": "amputated"}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FingerStatus {
    /// The right thumb.
    pub right_thumb: FingerCondition,
    /// The right index finger.
    pub right_index: FingerCondition,
    /// The right middle finger.
    pub right_middle: FingerCondition,
    /// The right ring finger.
    pub right_ring: FingerCondition,
    /// The right little finger.
    pub right_little: FingerCondition,
    /// The left thumb.
    pub left_thumb: FingerCondition,
    /// The left index finger.
    pub left_index: FingerCondition,
    /// The left middle finger.
    pub left_middle: FingerCondition,
    /// The left ring finger.
    pub left_ring: FingerCondition,
    /// The left little finger.
    pub left_little: FingerCondition,
}

impl FingerStatus {
    /// Every finger in the same condition.
    pub fn all(c: FingerCondition) -> FingerStatus {
        let mut s = FingerStatus::default();
        for f in FingerPosition::ALL {
            s.set(f, c);
        }
        s
    }

    fn slot(&mut self, f: FingerPosition) -> &mut FingerCondition {
        match f {
            RightThumb => &mut self.right_thumb,
            RightIndex => &mut self.right_index,
            RightMiddle => &mut self.right_middle,
            RightRing => &mut self.right_ring,
            RightLittle => &mut self.right_little,
            LeftThumb => &mut self.left_thumb,
            LeftIndex => &mut self.left_index,
            LeftMiddle => &mut self.left_middle,
            LeftRing => &mut self.left_ring,
            LeftLittle => &mut self.left_little,
        }
    }

    /// The condition of finger `f`.
    pub fn get(&self, f: FingerPosition) -> FingerCondition {
        let mut s = *self;
        *s.slot(f)
    }

    /// Sets the condition of finger `f`.
    pub fn set(&mut self, f: FingerPosition, c: FingerCondition) {
        *self.slot(f) = c;
    }

    /// The same with finger `f` in condition `c`.
    pub fn with(mut self, f: FingerPosition, c: FingerCondition) -> FingerStatus {
        self.set(f, c);
        self
    }

    /// The usable fingers, in position order.
    pub fn usable(&self) -> Vec<FingerPosition> {
        FingerPosition::ALL
            .into_iter()
            .filter(|&f| self.get(f) == FingerCondition::Usable)
            .collect()
    }
}

/// An applicant record as the issuing station keeps it (JSON through serde).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// Date of birth.
    pub date_of_birth: Date,
    /// What the person applies for.
    pub category: ApplicantCategory,
    /// A 12- to 15-year-old's consent to fingerprinting is on record.
    #[serde(default)]
    pub child_consent: bool,
    /// A parent or guardian is present at enrolment.
    #[serde(default)]
    pub guardian_present: bool,
    /// The condition of each finger (omitted: all usable).
    #[serde(default)]
    pub fingers: FingerStatus,
    /// False for a person who does not have both hands: one with no hands at all (exempt), or
    /// with one hand missing (fingerprints from the other hand's usable fingers).
    pub has_both_hands: bool,
}

/// What happens to fingerprints for one applicant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum FingerprintDecision {
    /// Capture these fingers and store them in DG3, each with why it was chosen.
    Required {
        /// One or two fingers, the right-thumb slot first.
        fingers: Vec<(FingerPosition, String)>,
    },
    /// No fingerprints and no DG3, as the law says (age, missing consent, exemption).
    NotTaken {
        /// Why.
        reason: String,
    },
    /// The record cannot be enrolled as it stands (it contradicts itself): correct it first.
    Refused {
        /// What is wrong.
        reason: String,
    },
}

/// The policy's answer for an applicant on a date, with the trail of rules applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The fingerprint outcome.
    pub fingerprints: FingerprintDecision,
    /// Every rule that applied, in order.
    pub reasons: Vec<String>,
}

impl Decision {
    /// The finger positions DG3 must hold (empty when no fingerprints are taken).
    pub fn positions(&self) -> Vec<FingerPosition> {
        match &self.fingerprints {
            FingerprintDecision::Required { fingers } => fingers.iter().map(|f| f.0).collect(),
            _ => Vec::new(),
        }
    }
}

/// Applies the enrolment rules (module docs) to `applicant` enrolling on `on`.
pub fn decide(applicant: &Applicant, on: Date) -> Decision {
    let mut reasons = Vec::new();
    let end = |outcome: FingerprintDecision, reasons: &mut Vec<String>| {
        let why = match &outcome {
            FingerprintDecision::NotTaken { reason } | FingerprintDecision::Refused { reason } => {
                Some(reason.clone())
            }
            FingerprintDecision::Required { .. } => None,
        };
        reasons.extend(why);
        Decision {
            fingerprints: outcome,
            reasons: std::mem::take(reasons),
        }
    };
    let born = applicant.date_of_birth;
    let Some(age) = born.age_on(on) else {
        let reason = format!("date of birth {born} is after the enrolment date {on}");
        return end(FingerprintDecision::Refused { reason }, &mut reasons);
    };
    reasons.push(format!("age {age} on {on} (born {born})"));
    if age < 12 {
        let reason = "under 12: no fingerprints are taken".to_string();
        return end(FingerprintDecision::NotTaken { reason }, &mut reasons);
    }
    if age < 16 {
        let missing: Vec<&str> = [
            (!applicant.child_consent).then_some("the child's consent is not recorded"),
            (!applicant.guardian_present).then_some("no guardian is present"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !missing.is_empty() {
            let reason = format!(
                "aged 12 to 15, fingerprints need the child's consent and a guardian present: {}",
                missing.join(" and ")
            );
            return end(FingerprintDecision::NotTaken { reason }, &mut reasons);
        }
        reasons.push("aged 12 to 15: child's consent recorded, guardian present".into());
    } else {
        reasons.push(format!(
            "aged 16 or over: fingerprints are mandatory ({})",
            applicant.category.describe()
        ));
    }
    let usable = applicant.fingers.usable();
    let on_right = usable.iter().any(|f| f.is_right());
    let on_left = usable.iter().any(|f| !f.is_right());
    if !applicant.has_both_hands && on_right && on_left {
        let reason = "the record says the applicant does not have both hands, yet fingers of \
                      both hands are recorded usable: correct the finger or hand data"
            .to_string();
        return end(FingerprintDecision::Refused { reason }, &mut reasons);
    }
    if usable.is_empty() {
        let reason = if !applicant.has_both_hands {
            "exempt: a person without both hands".to_string()
        } else {
            "exempt: no papillary pattern on the nail phalanx of any finger (missing or without \
             pattern)"
                .to_string()
        };
        return end(FingerprintDecision::NotTaken { reason }, &mut reasons);
    }
    if !applicant.has_both_hands {
        reasons.push("one hand missing: fingers come from the other hand".into());
    }
    let fingers = choose_fingers(&applicant.fingers, &usable, &mut reasons);
    end(FingerprintDecision::Required { fingers }, &mut reasons)
}

/// The thumbs, or their substitutes from [`SUBSTITUTES`], or the one usable finger.
fn choose_fingers(
    status: &FingerStatus,
    usable: &[FingerPosition],
    reasons: &mut Vec<String>,
) -> Vec<(FingerPosition, String)> {
    if let [only] = usable {
        let why = format!(
            "only one usable finger in all: the {} is stored alone",
            only.name()
        );
        reasons.push(why.clone());
        return vec![(*only, why)];
    }
    let condition = |f: FingerPosition| match status.get(f) {
        FingerCondition::Amputated => "amputated",
        FingerCondition::NoPapillaryPattern => "without papillary pattern",
        FingerCondition::Usable => "usable",
    };
    let thumbs = [RightThumb, LeftThumb];
    let mut chosen: Vec<(FingerPosition, String)> = Vec::new();
    let mut picks: [Option<FingerPosition>; 2] = thumbs.map(|t| usable.contains(&t).then_some(t));
    for (slot, thumb) in thumbs.into_iter().enumerate() {
        let taken: Vec<FingerPosition> = picks.iter().flatten().copied().collect();
        if picks[slot].is_none() {
            picks[slot] = SUBSTITUTES[slot]
                .into_iter()
                .find(|f| usable.contains(f) && !taken.contains(f));
        }
        // With two or more usable fingers each slot finds one (module docs); the guard stays.
        let Some(finger) = picks[slot] else { continue };
        let why = if finger == thumb {
            format!("the {}", thumb.name())
        } else {
            format!(
                "the {} ({}) replaced by the {}, the first usable finger in the substitution order",
                thumb.name(),
                condition(thumb),
                finger.name()
            )
        };
        reasons.push(why.clone());
        chosen.push((finger, why));
    }
    chosen
}

/// Refuses to issue when the DG3 finger positions (`finger_records_positions`, ISO/IEC 19794-4
/// codes of the finger records, in any order) do not match what [`decide`] asks for.
pub fn check_for_issuance(
    applicant: &Applicant,
    finger_records_positions: &[u8],
    on: Date,
) -> Result<()> {
    let decision = decide(applicant, on);
    let refuse = |why: String| Err(Error::protocol(POLICY, why));
    let mut given: Vec<u8> = finger_records_positions.to_vec();
    given.sort_unstable();
    match &decision.fingerprints {
        FingerprintDecision::Refused { reason } => refuse(format!("record refused: {reason}")),
        FingerprintDecision::NotTaken { reason } if !given.is_empty() => refuse(format!(
            "DG3 holds {} finger record(s) {given:?}, but no fingerprints may be stored: {reason}",
            given.len()
        )),
        FingerprintDecision::NotTaken { .. } => Ok(()),
        FingerprintDecision::Required { fingers } => {
            let mut wanted: Vec<u8> = fingers.iter().map(|f| f.0.code()).collect();
            wanted.sort_unstable();
            let names: Vec<String> = fingers
                .iter()
                .map(|(f, _)| format!("{} ({})", f.code(), f.name()))
                .collect();
            if given.is_empty() {
                refuse(format!(
                    "no DG3 fingerprints, but they are mandatory and no exemption applies ({}): \
                     required positions {}",
                    decision.reasons.join("; "),
                    names.join(", ")
                ))
            } else if given != wanted {
                refuse(format!(
                    "DG3 holds finger positions {given:?}, but the policy requires {}",
                    names.join(", ")
                ))
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests;
