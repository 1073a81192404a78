//! The issuing station's inputs for tests: the sample applicants of `fixtures/applicants/`, a
//! fresh test PKI and CV PKI, and the issuing date the samples are written for.

use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::issuance::applicant::{ApplicantRecord, files_in};
use dactyl::issuance::cv_pki::TestCvPki;
use dactyl::issuance::personalization::{Issuer, Plan, PlanOptions, plan};
use dactyl::issuance::test_pki::{PkiOptions, TestPki};
use dactyl::time::Date;
use std::path::PathBuf;

/// The folder of the sample applicants.
pub fn applicants_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/applicants")
}

/// The date the samples are issued on (the 14-year-olds are 14 then).
pub fn issuing_date() -> Date {
    Date::parse("2026-11-01").unwrap()
}

/// A sample applicant by file stem.
pub fn applicant(name: &str) -> ApplicantRecord {
    ApplicantRecord::load(&applicants_dir().join(format!("{name}.json"))).unwrap()
}

/// A fresh issuer: CSCA + Document Signer (P-256) and a CV PKI.
pub fn issuer_pkis() -> (TestPki, TestCvPki) {
    let pki = TestPki::generate(&PkiOptions::default()).unwrap();
    let cv = TestCvPki::generate("UT", KeyAlgorithm::P256, Date::today()).unwrap();
    (pki, cv)
}

/// The plan for a sample applicant.
pub fn plan_for(name: &str, pki: &TestPki, cv: &TestCvPki) -> dactyl::Result<Plan> {
    let issuer = Issuer::from_test_pkis(pki, Some(cv));
    plan(
        &applicant(name),
        &files_in(&applicants_dir()),
        &issuer,
        &PlanOptions::new(issuing_date()),
    )
}
