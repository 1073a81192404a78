//! The issuing station's inputs for tests: the sample applicants of `fixtures/applicants/`, a
//! fresh test PKI and CV PKI, the issuing date the samples are written for, and in-process
//! personalization of blank virtual chips.
#![allow(dead_code)]

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

use dactyl::emulator::perso::{BlankChip, PersoChip};
use dactyl::pki::trust::TrustStore;
use dactyl::reader::authenticity::TerminalCredentials;
use dactyl::reader::readback::{IssueOptions, Personalized, personalize};
use dactyl::transport::Transport;
use dactyl::transport::memory::InMemory;
use std::sync::{Arc, Mutex};

/// A blank virtual chip, shared so it can be written over one link and read over another.
pub type SharedChip = Arc<Mutex<PersoChip>>;

/// A blank chip as `blank` describes it.
pub fn blank_chip(blank: BlankChip) -> SharedChip {
    Arc::new(Mutex::new(PersoChip::new(blank).unwrap()))
}

/// The issuer's trust (its CSCA and CRL) and the inspection system of its CV PKI.
pub fn verifier(pki: &TestPki, cv: &TestCvPki) -> (TrustStore, Arc<TerminalCredentials>) {
    let trust = pki.trust_store().unwrap();
    let terminal = TerminalCredentials {
        chain: vec![cv.dv.clone(), cv.is.clone()],
        key: dactyl::access::cvc::CvSigningKey::from_pkcs8_pem(&cv.is_key.to_pkcs8_pem().unwrap())
            .unwrap(),
    };
    (trust, Arc::new(terminal))
}

/// Personalizes `chip` with `plan` in-process, each link made by `link` around the chip.
pub fn personalize_with(
    chip: &SharedChip,
    plan: &Plan,
    pki: &TestPki,
    cv: &TestCvPki,
    transport_key: Option<&zeroize::Zeroizing<Vec<u8>>>,
    link: &mut dyn FnMut(InMemory<SharedChip>) -> Box<dyn Transport>,
) -> dactyl::Result<Personalized> {
    let (trust, terminal) = verifier(pki, cv);
    let opts = IssueOptions {
        trust: &trust,
        terminal: Some(terminal),
        transport_key,
        now: dactyl::time::Time::now(),
    };
    let mut connect =
        || -> dactyl::Result<Box<dyn Transport>> { Ok(link(InMemory::new(chip.clone()))) };
    personalize(&mut connect, plan, &opts, &mut |_, _| {})
}

/// Personalizes `chip` with `plan` over plain in-process links.
pub fn personalize_in_process(
    chip: &SharedChip,
    plan: &Plan,
    pki: &TestPki,
    cv: &TestCvPki,
) -> dactyl::Result<Personalized> {
    personalize_with(chip, plan, pki, cv, None, &mut |t| Box::new(t))
}
