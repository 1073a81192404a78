//! The issuer side of personalization for each sample applicant: what the policy lets into
//! DG3, which files and PUT DATA objects a chip receives, and the records it refuses.

#[path = "common/issuing.rs"]
mod issuing;

use dactyl::iso7816::perso::PutData;
use dactyl::issuance::applicant::files_in;
use dactyl::issuance::personalization::{Issuer, PlanOptions, plan};
use dactyl::lds::com::Com;
use dactyl::lds::dg3::Dg3;
use dactyl::lds::files::EfId;
use issuing::*;

fn dg3_positions(p: &dactyl::issuance::personalization::Plan) -> Option<Vec<u8>> {
    p.files.get(EfId::Dg(3)).map(|d| {
        Dg3::parse(d)
            .unwrap()
            .positions()
            .iter()
            .map(|f| f.0)
            .collect()
    })
}

#[test]
fn each_sample_gets_the_fingers_the_policy_chose() {
    let (pki, cv) = issuer_pkis();
    let cases: [(&str, Option<Vec<u8>>); 6] = [
        ("adult_two_thumbs", Some(vec![1, 6])),
        ("adult_missing_thumb", Some(vec![4, 6])),
        ("child_with_consent", Some(vec![1, 6])),
        ("child_ten", None),
        ("exempt_no_hands", None),
        ("exempt_no_patterns", None),
    ];
    for (name, fingers) in cases {
        let p = plan_for(name, &pki, &cv).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(dg3_positions(&p), fingers, "{name}");
        let com = Com::parse(p.files.get(EfId::Com).unwrap()).unwrap();
        let mut expected = vec![1, 2, 14, 15];
        if fingers.is_some() {
            expected.insert(2, 3);
        }
        assert_eq!(com.data_groups(), expected, "{name}");
        for ef in [EfId::Sod, EfId::CardAccess, EfId::CardSecurity, EfId::Dg(1)] {
            assert!(p.files.get(ef).is_some(), "{name}: {}", ef.name());
        }
        assert!(
            p.files.get(EfId::Cvca).is_none(),
            "{name}: the chip builds EF.CVCA"
        );
        let has_cvca = p
            .objects
            .iter()
            .any(|o| matches!(o, PutData::TrustedCvca { .. }));
        assert_eq!(has_cvca, fingers.is_some(), "{name}: a CVCA only with DG3");
        assert_eq!(p.can.len(), 6);
        let why = p.policy.decision.reasons.join("; ");
        if name.starts_with("exempt") {
            assert!(
                why.contains("both hands") || why.contains("papillary"),
                "{name}: {why}"
            );
        }
    }
    // The adult's right index finger was captured for the database only.
    let p = plan_for("adult_two_thumbs", &pki, &cv).unwrap();
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("right index finger captured")),
        "{:?}",
        p.warnings
    );
    assert_eq!(p.can, "482193");
    // The 14-year-old with consent: permitted, not mandatory.
    let p = plan_for("child_with_consent", &pki, &cv).unwrap();
    assert_eq!(format!("{:?}", p.policy.decision.fingerprints), "Permitted");
}

#[test]
fn refused_records_produce_nothing() {
    let (pki, cv) = issuer_pkis();
    let e = plan_for("child_without_consent", &pki, &cv)
        .unwrap_err()
        .to_string();
    assert!(e.contains("may not be taken"), "{e}");
    // DG3 needs a CVCA for the chip to trust.
    let issuer = Issuer::from_test_pkis(&pki, None);
    let e = plan(
        &applicant("adult_two_thumbs"),
        &files_in(&applicants_dir()),
        &issuer,
        &PlanOptions::new(issuing_date()),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("--cv"), "{e}");
    // A mandatory thumb without an image.
    let mut r = applicant("adult_two_thumbs");
    r.fingers
        .retain(|f| f.image.as_deref() != Some("images/finger_b.wsq".as_ref()));
    let issuer = Issuer::from_test_pkis(&pki, Some(&cv));
    let e = plan(
        &r,
        &files_in(&applicants_dir()),
        &issuer,
        &PlanOptions::new(issuing_date()),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no image of left thumb"), "{e}");
    // A passport category on an ID card record.
    let mut r = applicant("adult_two_thumbs");
    r.document.kind = dactyl::issuance::applicant::DocumentType::IdCard;
    let e = plan(
        &r,
        &files_in(&applicants_dir()),
        &issuer,
        &PlanOptions::new(issuing_date()),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("document.type"), "{e}");
}

#[test]
fn a_template_of_another_finger_is_not_enrolled_as_a_reference() {
    let (pki, cv) = issuer_pkis();
    let issuer = Issuer::from_test_pkis(&pki, Some(&cv));
    let mut record = applicant("adult_two_thumbs");
    // The left thumb's template is NIST's Annex C.2 record as published: left index and right
    // index views, no left thumb.
    let left = record
        .fingers
        .iter_mut()
        .find(|f| {
            f.template
                .as_ref()
                .is_some_and(|t| t.ends_with("left_thumb.dat"))
        })
        .unwrap();
    left.template = Some("../biometrics/NIST_ISO19794-2_2005_AnnexC2_Example.raw".into());
    let e = match plan(
        &record,
        &files_in(&applicants_dir()),
        &issuer,
        &PlanOptions::new(issuing_date()),
    ) {
        Ok(_) => panic!("a left index template was enrolled as the left thumb"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("holds no left thumb"), "{e}");
    assert!(e.contains("left index finger"), "{e}");
    // The sample as committed enrols both thumbs.
    let p = plan_for("adult_two_thumbs", &pki, &cv).unwrap();
    let refs = p
        .objects
        .iter()
        .filter(|o| matches!(o, PutData::BiometricReference(_)))
        .count();
    assert_eq!(refs, 2);
}
