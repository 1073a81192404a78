//! The issuing station's flow (ICAO Doc 9303-10 LDS, Doc 9303-12 document signing): an applicant
//! record goes through the enrolment [`policy`], which says whether fingerprints are taken and
//! which fingers go into DG3, before the LDS files are built, signed and written to a blank chip.

pub mod certificates;
pub mod policy;
pub mod sod_signer;
pub mod test_pki;

pub use policy::{
    Applicant, ApplicantCategory, Decision, FingerCondition, FingerPosition, FingerStatus,
    FingerprintDecision, StationSettings, check_for_issuance, decide,
};
