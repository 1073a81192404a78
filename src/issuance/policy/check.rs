//! The issuance check: before a chip is personalized, the finger positions of its DG3 must be
//! what the enrolment policy asks for (ICAO Doc 9303-10 §4.7.3 DG3; ISO/IEC 19794-4 finger
//! position codes).

use super::settings::RefusalAction;
use super::{Applicant, ChipFingers, Decision, FingerprintDecision, StationSettings, decide};
use crate::error::{Error, Result};
use crate::time::Date;
use serde::Serialize;

const POLICY: &str = "enrolment policy";

/// A document the policy lets the station issue, with what the record and report must say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssuanceCheck {
    /// The policy's decision.
    pub decision: Decision,
    /// What the record and the report must carry (a document issued without DG3 after a
    /// refusal, optional fingerprints not taken).
    pub flags: Vec<String>,
}

/// Checks the DG3 finger positions (`dg3_positions`, ISO/IEC 19794-4 codes of its finger
/// records, in any order; empty for no DG3) against the policy for `applicant` enrolled on
/// `enrolled_on`. Refuses with the reason when the document must not be issued as it is.
pub fn check_for_issuance(
    applicant: &Applicant,
    settings: &StationSettings,
    dg3_positions: &[u8],
    enrolled_on: Date,
) -> Result<IssuanceCheck> {
    let decision = decide(applicant, settings, enrolled_on);
    let refuse = |why: String| Err(Error::protocol(POLICY, why));
    let Some(document) = applicant.category.document() else {
        return refuse(format!(
            "category {} ({}) issues no document: nothing to personalize",
            applicant.category.law_category(),
            applicant.category.describe()
        ));
    };
    let mut given = dg3_positions.to_vec();
    given.sort_unstable();
    let mut flags = Vec::new();
    match &decision.fingerprints {
        FingerprintDecision::Refused { reason } => {
            return refuse(format!("record refused: {reason}"));
        }
        FingerprintDecision::RefusedByApplicant { consequence } => {
            let refusal = format!(
                "the applicant refused dactyloscopic registration ({} for a {})",
                consequence.describe(),
                applicant.status.describe()
            );
            match settings.on_refusal {
                RefusalAction::Block => {
                    return refuse(format!(
                        "{refusal}; station setting on_refusal = block: the {} is not issued",
                        document.describe()
                    ));
                }
                RefusalAction::IssueWithoutDg3 => flags.push(format!(
                    "issued without DG3: {refusal} (station setting on_refusal = \
                     issue-without-dg3)"
                )),
            }
        }
        _ => {}
    }
    let wanted = decision.positions();
    if wanted.is_empty() {
        if !given.is_empty() {
            let why = match &decision.chip {
                ChipFingers::Nothing { reason } => reason.clone(),
                ChipFingers::Store { .. } => "the policy stores no finger".into(),
            };
            return refuse(format!(
                "DG3 holds {} finger record(s) {given:?}, but no fingerprints may be stored: \
                 {why}",
                given.len()
            ));
        }
        return Ok(IssuanceCheck { decision, flags });
    }
    let mut codes: Vec<u8> = wanted.iter().map(|f| f.code()).collect();
    codes.sort_unstable();
    let names: Vec<String> = wanted
        .iter()
        .map(|f| format!("{} ({})", f.code(), f.name()))
        .collect();
    if given.is_empty() {
        if decision.fingerprints == FingerprintDecision::Permitted {
            flags.push(
                "issued without DG3: fingerprinting is optional at 12 to 15 and was not taken"
                    .into(),
            );
            return Ok(IssuanceCheck { decision, flags });
        }
        return refuse(format!(
            "no DG3 fingerprints, but they are mandatory and no exemption applies ({}): \
             required positions {}",
            decision.reasons.join("; "),
            names.join(", ")
        ));
    }
    if given != codes {
        return refuse(format!(
            "DG3 holds finger positions {given:?}, but the policy requires {}",
            names.join(", ")
        ));
    }
    Ok(IssuanceCheck { decision, flags })
}
