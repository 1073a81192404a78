//! The issuing station's flow (ICAO Doc 9303-10 LDS, Doc 9303-12 document signing): an applicant
//! record goes through the enrolment [`policy`], which says whether fingerprints are taken and
//! which fingers go into DG3, before the LDS files are built, signed and written to a blank chip.
//!
//! Everything an issuer builds lives here: X.509 certificates and CRLs ([`certificates`]), the
//! test PKI ([`test_pki`]), SOD and EF.CardSecurity signing ([`sod_signer`]), CV certificates
//! and the test CV PKI ([`cv_pki`]), and chip images with the files and keys they put on a
//! chip ([`chip_image`]), which the virtual chip is built from.

pub mod applicant;
pub mod certificates;
pub mod chip_image;
pub mod cv_pki;
pub mod personalization;
pub mod policy;
pub mod sod_signer;
pub mod test_pki;

pub use policy::{
    Applicant, ApplicantCategory, Decision, FingerCondition, FingerPosition, FingerStatus,
    FingerprintDecision, StationSettings, check_for_issuance, decide,
};
