//! The demo's issuing station: a blank virtual chip personalized from the sample applicant
//! with two thumbs (`fixtures/applicants/adult_two_thumbs.json`, compiled in with its images),
//! signed by the test Document Signer and trusting the test CVCA, then read back and verified
//! (see [`crate::issuance::personalization`] and [`crate::reader::readback`]).

use super::demo::{demo_terminal, demo_trust};
use crate::access::cvc::Cvc;
use crate::crypto::signing_key::SigningKey;
use crate::emulator::perso::{BlankChip, PersoChip};
use crate::emulator::{ChipImage, VirtualChip};
use crate::error::{Error, Result};
use crate::issuance::applicant::ApplicantRecord;
use crate::issuance::personalization::{Issuer, Plan, PlanOptions, plan};
use crate::lds::files::EfId;
use crate::pki::cert::Certificate;
use crate::reader::readback::{IssueOptions, Personalized, personalize};
use crate::time::{Date, Time};
use crate::transport::Transport;
use crate::transport::memory::InMemory;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The sample applicant whose thumbs come from the scanner as PNG (written into DG3 as WSQ).
const APPLICANT: &str = include_str!("../../fixtures/applicants/scanner_png.json");

/// The sample applicant's files, compiled in.
fn applicant_file(path: &Path) -> Result<Vec<u8>> {
    let bytes: &[u8] = match path.to_str().unwrap_or("") {
        "images/face.jp2" => include_bytes!("../../fixtures/applicants/images/face.jp2"),
        "images/right_thumb.png" => {
            include_bytes!("../../fixtures/applicants/images/right_thumb.png")
        }
        "images/left_thumb.png" => {
            include_bytes!("../../fixtures/applicants/images/left_thumb.png")
        }
        "templates/right_thumb.dat" => {
            include_bytes!("../../fixtures/applicants/templates/right_thumb.dat")
        }
        "templates/left_thumb.dat" => {
            include_bytes!("../../fixtures/applicants/templates/left_thumb.dat")
        }
        other => {
            return Err(Error::Usage(format!(
                "the demo applicant names an unknown file {other}"
            )));
        }
    };
    Ok(bytes.to_vec())
}

/// The issued chip: its image (to serve it again, or altered) and what issuing it reported.
pub struct Issued {
    /// The record.
    pub record: ApplicantRecord,
    /// What was built.
    pub plan: Plan,
    /// What was written and read back.
    pub done: Personalized,
    /// The locked chip's image.
    pub image: ChipImage,
}

impl Issued {
    /// A fresh copy of the issued chip; `tamper` flips one bit of the face image, as a forger
    /// replacing the photo would.
    pub fn chip(&self, tamper: bool) -> Result<VirtualChip> {
        let none = |p: &Path| -> Result<Vec<u8>> {
            Err(Error::Usage(format!("{}: not in the image", p.display())))
        };
        let mut fs = self.image.file_system_with(&none)?;
        if tamper && let Some(dg2) = fs.get(EfId::Dg(2)) {
            let mut dg2 = dg2.to_vec();
            if let Some(b) = dg2.last_mut() {
                *b ^= 0x01;
            }
            fs.put(EfId::Dg(2), dg2);
        }
        self.image.build_from(fs, &none)
    }
}

/// Personalizes a blank virtual chip from the sample applicant and verifies it.
pub fn issue_demo_chip() -> Result<Issued> {
    let record = ApplicantRecord::from_json(APPLICANT)?;
    let ds = Certificate::from_pem_or_der(include_bytes!("../../fixtures/chips/keys/ds.pem"))?
        .into_iter()
        .next()
        .ok_or_else(|| Error::Usage("no demo Document Signer".into()))?;
    let ds_key = SigningKey::from_pkcs8_pem(include_str!("../../fixtures/chips/keys/ds.key"))?;
    let cvca = Cvc::parse(include_bytes!("../../fixtures/eac/cvca.cvcert"))?;
    let issuer = Issuer {
        document_signer: &ds,
        document_signer_key: &ds_key,
        cvca: Some(&cvca),
    };
    let plan = plan(
        &record,
        &applicant_file,
        &issuer,
        &PlanOptions::new(Date::today()),
    )?;
    let chip = Arc::new(Mutex::new(PersoChip::new(BlankChip::default())?));
    let trust = demo_trust()?;
    let opts = IssueOptions {
        trust: &trust,
        terminal: Some(Arc::new(demo_terminal()?)),
        transport_key: None,
        now: Time::now(),
    };
    let shared = chip.clone();
    let mut connect =
        || -> Result<Box<dyn Transport>> { Ok(Box::new(InMemory::new(shared.clone()))) };
    let done = personalize(&mut connect, &plan, &opts, &mut |_, _| {})?;
    if !done.passed() {
        return Err(Error::protocol(
            "demo",
            format!(
                "the issued chip did not verify: {}",
                done.read_back.failures.join("; ")
            ),
        ));
    }
    let image = chip
        .lock()
        .ok()
        .and_then(|c| c.image().cloned())
        .ok_or_else(|| Error::protocol("demo", "the chip did not lock"))?;
    Ok(Issued {
        record,
        plan,
        done,
        image,
    })
}
