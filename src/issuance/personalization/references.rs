//! The match-on-card references of a personalization plan (ISO/IEC 7816-11; ISO/IEC 19794-2:2005
//! clause 8.2 compact card format): one reference per finger the enrolment policy put in DG3
//! for which the applicant record gives a 19794-2 minutiae `template`, converted to compact
//! card minutiae with the chip's algorithm parameters ([`dactyl_parameters`]: at most 60
//! minutiae, the lowest-quality ones pruned first, no order), enrolled with the comparator's
//! [`DEFAULT_THRESHOLD`]. Qualifiers are 81, 82, ... in DG3's finger order. The JMRTD applet
//! has no match-on-card: its templates are left off and named.

use super::ChipProfile;
use crate::biometrics::FingerPosition;
use crate::biometrics::compact::{self, CardFormat};
use crate::biometrics::comparator::DEFAULT_THRESHOLD;
use crate::error::{Error, Result};
use crate::iso7816::perso::{PutData, ReferenceObject};
use crate::issuance::applicant::{ApplicantRecord, Loader, read_template};
use crate::lds::moc_bit::{DACTYL_MIN_MINUTIAE, dactyl_parameters, subtype_of};
use zeroize::Zeroizing;

/// The first qualifier.
pub const FIRST_QUALIFIER: u8 = 0x81;

/// The references' PUT DATA objects, and what was left off (for the report).
pub(super) fn plan_references(
    record: &ApplicantRecord,
    load: Loader<'_>,
    dg3_positions: &[u8],
    profile: ChipProfile,
) -> Result<(Vec<PutData>, Vec<String>)> {
    let with_template: Vec<_> = dg3_positions
        .iter()
        .filter_map(|p| record.fingers.iter().find(|f| f.position.code() == *p))
        .filter(|f| f.template.is_some())
        .collect();
    if profile == ChipProfile::JmrtdApplet {
        let names: Vec<String> = record
            .fingers
            .iter()
            .filter(|f| f.template.is_some())
            .map(|f| f.position.name().to_string())
            .collect();
        let note = (!names.is_empty()).then(|| {
            format!(
                "match-on-card references ({}): the JMRTD applet has no match-on-card",
                names.join(", ")
            )
        });
        return Ok((Vec::new(), note.into_iter().collect()));
    }
    let options = dactyl_parameters().options();
    let mut out = Vec::new();
    for (capture, qualifier) in with_template.into_iter().zip(FIRST_QUALIFIER..) {
        let name = capture.position.name();
        let code = capture.position.code();
        let template = read_template(capture, load)?
            .ok_or_else(|| Error::Usage(format!("{name}: no template")))?;
        // The view of this finger; a record of one view that names no finger (position 0,
        // as some SDKs write) stands for the finger the applicant record names.
        let (view, _) = template.view_of(FingerPosition(code)).map_err(|e| {
            Error::Usage(format!(
                "{name}: {e}: refusing to enrol another finger's minutiae as its reference"
            ))
        })?;
        let card = compact::from_record(
            view,
            template.resolution_of(view),
            CardFormat::Compact,
            &options,
        )?;
        if card.minutiae.len() < usize::from(DACTYL_MIN_MINUTIAE) {
            return Err(Error::Usage(format!(
                "{name}: the template gives {} minutiae on the card, match-on-card needs {}",
                card.minutiae.len(),
                DACTYL_MIN_MINUTIAE
            )));
        }
        let subtype = subtype_of(FingerPosition(code))
            .ok_or_else(|| Error::Usage(format!("{name}: not one finger")))?;
        out.push(PutData::BiometricReference(ReferenceObject {
            qualifier,
            subtype,
            threshold: DEFAULT_THRESHOLD,
            minutiae: Zeroizing::new(card.encode()?),
        }));
    }
    Ok((out, Vec::new()))
}
