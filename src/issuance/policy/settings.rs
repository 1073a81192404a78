//! The issuing station's settings for the points the law leaves to it: the order of fingers that
//! stand in for an unusable thumb, what happens to a document when the applicant refuses
//! registration, and which documents beyond the passport and national ID carry a chip with DG3.

use super::category::DocumentKind;
use super::fingers::{Digit, FingerPosition, Hand};
use serde::{Deserialize, Serialize};

/// The fingers tried, in order, when a thumb cannot be stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubstitutionOrder {
    /// The law's reading (default): "the chip will only store thumbprints (in case of
    /// amputation or pathology of the ring fingers)", read as: a thumb that is amputated or
    /// pathological is replaced by the ring finger of the same hand, then by the other hand's
    /// ring finger. Past the ring fingers the text is silent; the station then takes the index,
    /// middle and little fingers of the same hand, then of the other hand (assumption
    /// `past-the-ring-fingers`).
    #[default]
    RingFinger,
    /// The alternative some schemes use (the index finger has the largest pattern after the
    /// thumb): index, middle, ring, little of the same hand, then of the other hand.
    IndexFinger,
}

impl SubstitutionOrder {
    /// The substitutes of the thumb of `hand`, in the order they are tried.
    pub fn substitutes(self, hand: Hand) -> [FingerPosition; 8] {
        use Digit::*;
        let (own, other) = (hand, hand.other());
        let f = FingerPosition::of;
        match self {
            SubstitutionOrder::RingFinger => [
                f(own, Ring),
                f(other, Ring),
                f(own, Index),
                f(own, Middle),
                f(own, Little),
                f(other, Index),
                f(other, Middle),
                f(other, Little),
            ],
            SubstitutionOrder::IndexFinger => [
                f(own, Index),
                f(own, Middle),
                f(own, Ring),
                f(own, Little),
                f(other, Index),
                f(other, Middle),
                f(other, Ring),
                f(other, Little),
            ],
        }
    }

    /// How many leading entries of [`SubstitutionOrder::substitutes`] the law's text names;
    /// a substitute past them rests on an assumption.
    pub fn named_by_law(self) -> usize {
        match self {
            SubstitutionOrder::RingFinger => 2,
            SubstitutionOrder::IndexFinger => 0,
        }
    }
}

/// What the station does with the document when the applicant refuses registration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefusalAction {
    /// Do not issue the document (default); the reason is printed.
    #[default]
    Block,
    /// Issue the document without DG3; the record and the report carry the flag.
    IssueWithoutDg3,
}

/// The station's settings. In JSON every field may be omitted (the defaults above).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StationSettings {
    /// Which fingers replace an unusable thumb.
    pub substitution: SubstitutionOrder,
    /// What happens to the document when the applicant refuses.
    pub on_refusal: RefusalAction,
    /// The documents whose chip gets DG3: the passport and national ID by law, others (a
    /// seafarer's identity card, a residence permit card) only when listed here.
    pub chip_documents: Vec<DocumentKind>,
}

impl Default for StationSettings {
    fn default() -> Self {
        StationSettings {
            substitution: SubstitutionOrder::default(),
            on_refusal: RefusalAction::default(),
            chip_documents: DocumentKind::LAW_CHIP_DOCUMENTS.to_vec(),
        }
    }
}
