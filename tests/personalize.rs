//! Personalization end to end, in-process: each sample applicant written to a blank virtual
//! chip, locked, read back as a border reader reads it and verified; a locked chip refusing to
//! be written again; a transport key; and the fault sweep: a card pulled, or a command or
//! answer corrupted, at every APDU of a whole personalization never leaves a locked chip with
//! wrong or missing data, and a re-run on the same chip issues it.

#[path = "common/issuing.rs"]
mod issuing;

use dactyl::emulator::perso::{BlankChip, PersoState};
use dactyl::issuance::personalization::writer::write_plan;
use dactyl::lds::dg3::Dg3;
use dactyl::lds::files::EfId;
use dactyl::transport::fault::{Fault, Faulty};
use dactyl::transport::memory::InMemory;
use issuing::*;

#[test]
fn every_sample_is_issued_and_reads_back_genuine() {
    let (pki, cv) = issuer_pkis();
    let cases: [(&str, &[u8]); 5] = [
        ("adult_two_thumbs", &[1, 6]),
        ("adult_missing_thumb", &[4, 6]),
        ("child_with_consent", &[1, 6]),
        ("child_ten", &[]),
        ("exempt_no_hands", &[]),
    ];
    for (name, fingers) in cases {
        let plan = plan_for(name, &pki, &cv).unwrap();
        let chip = blank_chip(BlankChip::default());
        let done = personalize_in_process(&chip, &plan, &pki, &cv).unwrap();
        assert!(done.passed(), "{name}: {:?}", done.read_back.failures);
        assert_eq!(chip.lock().unwrap().state(), PersoState::Locked, "{name}");
        let doc = &done.read_back.document;
        assert_eq!(doc.genuine, Some(true), "{name}");
        let dg3 = doc.raw.get(&EfId::Dg(3));
        let read: Vec<u8> = dg3
            .map(|d| {
                Dg3::parse(d)
                    .unwrap()
                    .positions()
                    .iter()
                    .map(|p| p.0)
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(read, fingers, "{name}: DG3 as read back");
        assert_eq!(dg3.is_some(), !fingers.is_empty());
        // The write is within a tenth of the least APDUs this chip's buffer allows.
        let w = &done.write;
        assert!(
            w.apdus * 10 <= w.minimum_apdus * 11,
            "{name}: {} APDUs for a minimum of {}",
            w.apdus,
            w.minimum_apdus
        );
        // A locked chip takes no second personalization.
        let mut again = InMemory::new(chip.clone());
        let e = write_plan(&mut again, &plan, None, &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().contains("6985"), "{name}: {e}");
    }
}

#[test]
fn short_apdus_and_a_transport_key() {
    let (pki, cv) = issuer_pkis();
    let plan = plan_for("adult_two_thumbs", &pki, &cv).unwrap();
    let short = blank_chip(BlankChip::from_json(r#"{"extended_length": false}"#).unwrap());
    let done = personalize_in_process(&short, &plan, &pki, &cv).unwrap();
    assert!(done.passed(), "{:?}", done.read_back.failures);
    assert!(
        done.write.chunk <= 255 && done.write.chunk >= 250,
        "{}",
        done.write.chunk
    );
    assert!(done.write.apdus * 10 <= done.write.minimum_apdus * 11);

    let blank =
        BlankChip::from_json(r#"{"transport_key": "0123456789ABCDEFFEDCBA9876543210"}"#).unwrap();
    let key = zeroize::Zeroizing::new(hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap());
    // Without the key the chip takes nothing.
    let chip = blank_chip(blank.clone());
    let e = personalize_in_process(&chip, &plan, &pki, &cv).unwrap_err();
    assert!(e.to_string().contains("6982"), "{e}");
    assert_eq!(chip.lock().unwrap().state(), PersoState::Blank);
    // With a wrong key BAC fails.
    let wrong = zeroize::Zeroizing::new(vec![0x11; 16]);
    let e =
        personalize_with(&chip, &plan, &pki, &cv, Some(&wrong), &mut |t| Box::new(t)).unwrap_err();
    assert!(e.to_string().contains("transport key"), "{e}");
    assert_eq!(chip.lock().unwrap().state(), PersoState::Blank);
    // With it, the whole personalization runs under secure messaging.
    let done = personalize_with(&chip, &plan, &pki, &cv, Some(&key), &mut |t| Box::new(t)).unwrap();
    assert!(done.passed(), "{:?}", done.read_back.failures);
}

/// One fault at APDU `n` of the write, then the checks, then a clean re-run.
fn fault_at(
    fault: Fault,
    plan: &dactyl::issuance::personalization::Plan,
    pki: &dactyl::issuance::test_pki::TestPki,
    cv: &dactyl::issuance::cv_pki::TestCvPki,
) -> bool {
    let chip = blank_chip(BlankChip::default());
    let mut first = true;
    let result = personalize_with(&chip, plan, pki, cv, None, &mut |t| {
        // Only the write's link is faulty; the read-back's is clean.
        if std::mem::take(&mut first) {
            Box::new(Faulty::new(t, fault))
        } else {
            Box::new(t)
        }
    });
    let state = chip.lock().unwrap().state();
    let faulted = match &result {
        Ok(done) if done.passed() => {
            // The fault changed nothing that matters (a corrupted Le or padding the chip
            // ignores): the chip must then hold exactly the plan.
            assert_eq!(state, PersoState::Locked, "{fault:?}");
            false
        }
        Ok(done) => panic!(
            "{fault:?}: a chip was locked and read back wrong: {:?}",
            done.read_back.failures
        ),
        Err(_) => {
            assert_ne!(
                state,
                PersoState::Locked,
                "{fault:?}: failed write, locked chip"
            );
            true
        }
    };
    // Re-running on the same chip starts over and issues it (unless it is already issued).
    if state != PersoState::Locked {
        let done = personalize_in_process(&chip, plan, pki, cv)
            .unwrap_or_else(|e| panic!("{fault:?}: re-run failed: {e}"));
        assert!(done.passed(), "{fault:?}: {:?}", done.read_back.failures);
    }
    faulted
}

#[test]
fn no_fault_at_any_apdu_leaves_a_wrong_locked_chip() {
    let (pki, cv) = issuer_pkis();
    let plan = plan_for("adult_two_thumbs", &pki, &cv).unwrap();
    let clean =
        personalize_in_process(&blank_chip(BlankChip::default()), &plan, &pki, &cv).unwrap();
    let n = clean.write.apdus;
    assert!(n >= 20, "{n} APDUs");
    let mut failures = 0;
    for i in 0..n {
        for fault in [
            Fault::RemoveCardAt { n: i },
            Fault::CorruptCommand {
                n: i,
                byte_from_end: 1,
            },
            Fault::CorruptCommand {
                n: i,
                byte_from_end: 40,
            },
            Fault::CorruptResponse {
                n: i,
                byte_from_end: 0,
            },
        ] {
            failures += usize::from(fault_at(fault, &plan, &pki, &cv));
        }
    }
    // Every card pull fails the write; most corruptions do too.
    assert!(
        failures as u64 >= n * 2,
        "{failures} of {} faults failed the write",
        n * 4
    );
}

#[test]
fn the_jmrtd_applet_gets_what_it_can_hold_and_the_rest_is_named() {
    use dactyl::issuance::applicant::files_in;
    use dactyl::issuance::personalization::{ChipProfile, Issuer, PlanOptions, plan};
    let (pki, cv) = issuer_pkis();
    let applet = BlankChip::from_json(r#"{"profile": "jmrtd-applet"}"#).unwrap();
    let issuer = Issuer::from_test_pkis(&pki, Some(&cv));
    let mut opts = PlanOptions::new(issuing_date());
    opts.profile = ChipProfile::JmrtdApplet;
    let dir = applicants_dir();
    let load = files_in(&dir);
    // A ten-year-old: no DG3 to leave off; BAC, RSA-1024 Active Authentication via 60/61.
    let p = plan(&applicant("child_ten"), &load, &issuer, &opts).unwrap();
    let chip = blank_chip(applet.clone());
    let done = personalize_in_process(&chip, &p, &pki, &cv).unwrap();
    assert!(done.passed(), "{:?}", done.read_back.failures);
    assert_eq!(done.read_back.document.access_control, "BAC");
    assert!(done.write.chunk <= 255);
    let aa = done
        .read_back
        .document
        .active_authentication
        .as_ref()
        .unwrap();
    assert!(aa.detail.contains("RSA 1024"), "{}", aa.detail);
    // An adult: the applet cannot hold the thumbs; refused unless left off by name.
    let e = plan(&applicant("adult_two_thumbs"), &load, &issuer, &opts)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--allow-dg3-left-off"), "{e}");
    opts.allow_dg3_left_off = true;
    let p = plan(&applicant("adult_two_thumbs"), &load, &issuer, &opts).unwrap();
    assert!(p.files.get(EfId::Dg(3)).is_none());
    assert!(
        p.not_written[0].contains("finger positions 1, 6"),
        "{:?}",
        p.not_written
    );
    let done = personalize_in_process(&blank_chip(applet.clone()), &p, &pki, &cv).unwrap();
    assert!(done.passed(), "{:?}", done.read_back.failures);
    // A plan for a dactyl chip is not written to the applet, nor the other way round.
    let dactyl_plan = plan_for("child_ten", &pki, &cv).unwrap();
    let e = personalize_in_process(&blank_chip(applet), &dactyl_plan, &pki, &cv).unwrap_err();
    assert!(e.to_string().contains("--profile jmrtd-applet"), "{e}");
    let e = personalize_in_process(&blank_chip(BlankChip::default()), &p, &pki, &cv).unwrap_err();
    assert!(e.to_string().contains("--profile dactyl"), "{e}");
}

#[test]
fn dg2_and_dg3_in_39794_read_back_genuine() {
    use dactyl::biometrics::finger_image::FingerImage;
    use dactyl::issuance::applicant::files_in;
    use dactyl::issuance::personalization::{BiometricFormat, Issuer, PlanOptions, plan};
    use dactyl::lds::biometric_group::{BiometricData, BiometricGroup};
    let (pki, cv) = issuer_pkis();
    let issuer = Issuer::from_test_pkis(&pki, Some(&cv));
    let mut opts = PlanOptions::new(issuing_date());
    opts.biometric_format = BiometricFormat::Iso39794;
    let dir = applicants_dir();
    let record = applicant("adult_missing_thumb");
    let p = plan(&record, &files_in(&dir), &issuer, &opts).unwrap();
    let done = personalize_in_process(&blank_chip(BlankChip::default()), &p, &pki, &cv).unwrap();
    assert!(done.passed(), "{:?}", done.read_back.failures);
    let raw = &done.read_back.document.raw;
    // Both groups hold 39794 blocks in constructed 7F2E, and keep the images byte for byte.
    for n in [2u8, 3] {
        let g = BiometricGroup::parse(&raw[&EfId::Dg(n)]).unwrap();
        assert!(
            g.records
                .iter()
                .all(|r| matches!(r.data, BiometricData::Extensible(_))),
            "DG{n}"
        );
    }
    let dg3 = Dg3::parse(&raw[&EfId::Dg(3)]).unwrap();
    assert_eq!(
        dg3.positions().iter().map(|p| p.0).collect::<Vec<_>>(),
        [4, 6]
    );
    assert!(
        dg3.images
            .iter()
            .all(|i| matches!(i, FingerImage::Iso39794(_)))
    );
    let png = std::fs::read(dir.join("images/finger_d.png")).unwrap();
    let wsq = std::fs::read(dir.join("images/finger_a.wsq")).unwrap();
    let stored: Vec<Vec<u8>> = dg3
        .images
        .iter()
        .flat_map(|i| i.views().into_iter().map(|v| v.image.to_vec()))
        .collect();
    // The WSQ scan is kept as given; the PNG scan is written as WSQ (the default
    // compression), of the PNG's size.
    assert_eq!(stored[0], wsq);
    assert_eq!(
        dactyl::biometrics::Compression::sniff(&stored[1]),
        Some(dactyl::biometrics::Compression::Wsq)
    );
    let from_png = dactyl::biometrics::wsq::decode(&stored[1]).unwrap().image;
    let original = dactyl::biometrics::pixels::decode_image(&png).unwrap();
    assert_eq!(
        (from_png.width, from_png.height),
        (original.width, original.height)
    );
}
