//! `cargo bench --bench personalize`: what issuing a chip costs against the in-process virtual
//! blank chip: APDUs and bytes of a personalization with a 20 KB face and two 10 KB thumbs
//! against the least the chip's buffer allows (one CREATE FILE per file, ceil(size / largest
//! UPDATE) writes per file, one PUT DATA per object, one lock), with extended length, with a
//! 4 KB buffer, with short APDUs only and under a transport key; the time of the write alone
//! and of the whole issuance (plan, write, lock, read-back with PACE, CA, TA, AA and PA).

#[path = "common/timing.rs"]
mod timing;
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::emulator::perso::{BlankChip, PersoChip};
use dactyl::issuance::applicant::ApplicantRecord;
use dactyl::issuance::cv_pki::TestCvPki;
use dactyl::issuance::personalization::writer::write_plan;
use dactyl::issuance::personalization::{Issuer, Plan, PlanOptions, plan as make_plan};
use dactyl::issuance::test_pki::{PkiOptions, TestPki};
use dactyl::reader::authenticity::TerminalCredentials;
use dactyl::reader::readback::{IssueOptions, personalize};
use dactyl::time::{Date, Time};
use dactyl::transport::Transport;
use dactyl::transport::memory::InMemory;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use timing::time;

const RECORD: &str = r#"{
  "document": {"type": "passport", "number": "UT0000001", "issuing_state": "UTO",
               "date_of_expiry": "2036-11-30", "can": "482193"},
  "holder": {"primary_identifier": "ERIKSSON", "secondary_identifier": "ANNA MARIA",
             "nationality": "UTO", "date_of_birth": "1974-08-12", "sex": "F"},
  "enrolment": {"status": "citizen", "category": "citizen_passport"},
  "face": "face.jp2",
  "fingers": [{"position": "right_thumb", "image": "a.wsq"},
              {"position": "left_thumb", "image": "b.wsq"}]
}"#;

/// The face padded to 20,000 bytes with a JP2 `free` box; the thumbs are the scanner sample's
/// 416x512 PNGs encoded as WSQ at 0.3756 bit per pixel, about 10,000 bytes each.
fn load(path: &Path) -> dactyl::Result<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/applicants/images");
    let name = path.to_str().unwrap_or("");
    Ok(match name {
        "face.jp2" => {
            let mut face = std::fs::read(dir.join("face.jp2")).unwrap();
            let pad = 20_000 - face.len();
            face.extend((pad as u32).to_be_bytes());
            face.extend(b"free");
            face.resize(20_000, 0);
            face
        }
        _ => {
            let file = if name == "a.wsq" {
                "right_thumb.png"
            } else {
                "left_thumb.png"
            };
            let png = std::fs::read(dir.join(file)).unwrap();
            let gray = dactyl::biometrics::pixels::decode_image(&png)?.to_gray();
            let options = dactyl::biometrics::wsq::EncodeOptions {
                bits_per_pixel: 10_000.0 * 8.0 / (416.0 * 512.0),
                ..Default::default()
            };
            dactyl::biometrics::wsq::encode(&gray, &options)?
        }
    })
}

fn main() {
    let pki = TestPki::generate(&PkiOptions::default()).unwrap();
    let cv = TestCvPki::generate("UT", KeyAlgorithm::P256, Date::today()).unwrap();
    let record = ApplicantRecord::from_json(RECORD).unwrap();
    let issuer = Issuer::from_test_pkis(&pki, Some(&cv));
    let opts = PlanOptions::new(Date::today());
    let plan: Plan = make_plan(&record, &load, &issuer, &opts).unwrap();
    let files: Vec<String> = plan
        .files
        .iter()
        .map(|(ef, c)| format!("{} {}", ef.name(), c.len()))
        .collect();
    println!("Personalization of a passport: {}", files.join(", "));
    println!(
        "  {:<34}{:>7}{:>9}{:>8}{:>11}{:>10}{:>12}",
        "blank chip", "APDUs", "minimum", "ratio", "bytes out", "bytes in", "ms / write"
    );
    let key = zeroize::Zeroizing::new(vec![0x42u8; 16]);
    let cases: [(&str, &str, bool); 4] = [
        ("extended length, 64 KB buffer", "{}", false),
        (
            "extended length, 4 KB buffer",
            r#"{"max_command_apdu": 4096}"#,
            false,
        ),
        ("short APDUs only", r#"{"extended_length": false}"#, false),
        (
            "extended, transport key (BAC SM)",
            r#"{"transport_key": "42424242424242424242424242424242"}"#,
            true,
        ),
    ];
    for (name, blank, with_key) in cases {
        let blank = BlankChip::from_json(blank).unwrap();
        let key = with_key.then_some(&key);
        let mut chip = InMemory::new(PersoChip::new(blank.clone()).unwrap());
        let report = write_plan(&mut chip, &plan, key, &mut |_, _| {}).unwrap();
        let (n, secs) = time(Duration::from_millis(800), || {
            let mut chip = InMemory::new(PersoChip::new(blank.clone()).unwrap());
            write_plan(&mut chip, &plan, key, &mut |_, _| {}).unwrap();
        });
        println!(
            "  {:<34}{:>7}{:>9}{:>8.3}{:>11}{:>10}{:>12.2}",
            name,
            report.apdus,
            report.minimum_apdus,
            report.apdus as f64 / report.minimum_apdus as f64,
            report.bytes_sent,
            report.bytes_received,
            secs * 1000.0 / n as f64
        );
    }
    let trust = pki.trust_store().unwrap();
    let terminal = Arc::new(TerminalCredentials {
        chain: vec![cv.dv.clone(), cv.is.clone()],
        key: dactyl::access::cvc::CvSigningKey::from_pkcs8_pem(&cv.is_key.to_pkcs8_pem().unwrap())
            .unwrap(),
    });
    let issue = IssueOptions {
        trust: &trust,
        terminal: Some(terminal),
        transport_key: None,
        now: Time::now(),
    };
    let (n, secs) = time(Duration::from_secs(2), || {
        let plan = make_plan(&record, &load, &issuer, &opts).unwrap();
        let chip = Arc::new(Mutex::new(PersoChip::new(BlankChip::default()).unwrap()));
        let mut connect =
            || -> dactyl::Result<Box<dyn Transport>> { Ok(Box::new(InMemory::new(chip.clone()))) };
        let done = personalize(&mut connect, &plan, &issue, &mut |_, _| {}).unwrap();
        assert!(done.passed());
    });
    println!(
        "\nWhole issuance (plan with fresh keys and signatures, write, lock, read-back with PACE, CA,\nTA, AA and PA): {:.1} ms each ({n} runs)",
        secs * 1000.0 / n as f64
    );
}
