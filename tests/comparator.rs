//! The on-card comparator (biometrics::comparator) on real 19794-2 templates from fixtures/ and
//! seeded impressions of them (biometrics::synthetic), and the match-on-card probe fixtures in
//! fixtures/moc/. Layer: biometrics.

use dactyl::biometrics::FingerPosition;
use dactyl::biometrics::compact::{CardMinutia, decode};
use dactyl::biometrics::comparator::{
    DEFAULT_THRESHOLD, MAX_MINUTIAE, WORKING_STATE_BYTES, compare,
};
use dactyl::biometrics::minutiae::{MinutiaType, MinutiaeRecord};
use dactyl::biometrics::synthetic::{Capture, Finger, Rng, card_of, genuine_record, impression};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn record(name: &str) -> MinutiaeRecord {
    MinutiaeRecord::parse(&fixture(&format!("biometrics/{name}"))).unwrap()
}

/// The distinct real fingers of the fixtures: NIST's two views, the two sourceafis templates and
/// NIST's MINEX II compact card template. (fingerprintio's samples are NIST's fingers again.)
fn real_templates() -> Vec<(&'static str, Vec<CardMinutia>)> {
    let nist = record("NIST_ISO19794-2_2005_AnnexC2_Example.raw");
    vec![
        ("nist view 0", card_of(&nist, 0).unwrap()),
        ("nist view 1", card_of(&nist, 1).unwrap()),
        (
            "sourceafis probe",
            card_of(&record("sourceafis_iso-probe.dat"), 0).unwrap(),
        ),
        (
            "sourceafis nonmatching",
            card_of(&record("sourceafis_iso-nonmatching.dat"), 0).unwrap(),
        ),
        (
            "minex ii",
            decode(
                dactyl::biometrics::compact::CardFormat::Compact,
                &fixture("biometrics/NIST_MINEXII_ISOCC.min"),
            )
            .unwrap(),
        ),
    ]
}

#[test]
fn working_state_is_at_most_16_kilobytes() {
    let bytes = std::hint::black_box(WORKING_STATE_BYTES);
    assert!(bytes <= 16384, "{bytes}");
}

#[test]
fn identical_templates_match() {
    for (name, t) in real_templates() {
        let s = compare(&t, &t);
        assert!(s >= DEFAULT_THRESHOLD, "{name}: {s}");
    }
}

#[test]
fn the_same_finger_from_two_files_matches() {
    // fingerprintio's 2005 and 2011 samples carry NIST's Annex C.2 fingers.
    let nist = card_of(&record("NIST_ISO19794-2_2005_AnnexC2_Example.raw"), 0).unwrap();
    for f in [
        "fingerprintio_iso19794p2v2005-sample.dat",
        "fingerprintio_iso19794p2v2011-sample.dat",
    ] {
        let s = compare(&nist, &card_of(&record(f), 0).unwrap());
        assert!(s >= DEFAULT_THRESHOLD, "{f}: {s}");
    }
}

#[test]
fn different_real_fingers_do_not_match() {
    let all = real_templates();
    for (i, (a, ta)) in all.iter().enumerate() {
        for (j, (b, tb)) in all.iter().enumerate() {
            // NIST's MINEX II card template and Annex C.2's first view come from the same
            // project and score like two captures of one finger: their relation is unknown,
            // so they are not counted as an impostor pair.
            let related = [a, b].contains(&&"minex ii") && [a, b].contains(&&"nist view 0");
            if i != j && !related {
                let s = compare(ta, tb);
                assert!(s < DEFAULT_THRESHOLD, "{a} against {b}: {s}");
            }
        }
    }
}

#[test]
fn rotated_shifted_thinned_and_cluttered_impressions_match() {
    // The case: +-30 degrees, +-5 mm, 20 % dropped, 10 % spurious (all at the limit).
    let capture = Capture {
        rotation_deg: 30.0,
        shift_mm: 5.0,
        warp_mm: 0.0,
        jitter: 1.0,
        angle_jitter_deg: 0.0,
        dropout: 0.0,
        spurious: 0.0,
        type_flip: 0.0,
    };
    for (name, t) in real_templates() {
        let finger = Finger::from_card(&t);
        for seed in 0..8u64 {
            let mut rng = Rng::new(seed);
            let mut probe = impression(&finger, &capture, &mut rng);
            // Exactly 20 % dropped and 10 % spurious minutiae added.
            let drop = t.len() / 5;
            for _ in 0..drop {
                let k = rng.below(probe.len());
                probe.remove(k);
            }
            for _ in 0..t.len() / 10 {
                probe.push(CardMinutia {
                    kind: MinutiaType::Ending,
                    x: rng.below(256) as u16,
                    y: rng.below(256) as u16,
                    angle: rng.below(64) as u8,
                });
            }
            let s = compare(&t, &probe);
            assert!(s >= DEFAULT_THRESHOLD, "{name} seed {seed}: {s}");
        }
    }
}

#[test]
fn full_probe_captures_of_real_fingers_match() {
    for (name, t) in real_templates() {
        let finger = Finger::from_card(&t);
        let mut misses = 0;
        for seed in 0..20u64 {
            let mut rng = Rng::new(1000 + seed);
            let reference = impression(&finger, &Capture::ENROLMENT, &mut rng);
            let probe = impression(&finger, &Capture::PROBE, &mut rng);
            if compare(&reference, &probe) < DEFAULT_THRESHOLD {
                misses += 1;
            }
        }
        assert!(
            misses <= 1,
            "{name}: {misses} of 20 genuine captures missed"
        );
    }
}

#[test]
fn small_and_oversized_inputs_do_not_panic() {
    let one = [CardMinutia {
        kind: MinutiaType::Ending,
        x: 10,
        y: 20,
        angle: 3,
    }];
    assert_eq!(compare(&[], &[]), 0);
    assert_eq!(compare(&one, &[]), 0);
    assert_eq!(compare(&[], &one), 0);
    assert!(compare(&one, &one) < DEFAULT_THRESHOLD);
    let mut rng = Rng::new(5);
    let many: Vec<CardMinutia> = (0..200)
        .map(|_| CardMinutia {
            kind: MinutiaType::from_bits(rng.below(4) as u8),
            x: rng.below(0x4000) as u16 | if rng.chance(0.1) { 0xC000 } else { 0 },
            y: rng.below(256) as u16,
            angle: rng.below(256) as u8,
        })
        .collect();
    let _ = compare(&many, &many);
    let _ = compare(&many, &one);
    // Only the first MAX_MINUTIAE count.
    assert_eq!(
        compare(&many, &many[..100]),
        compare(&many[..MAX_MINUTIAE], &many[..MAX_MINUTIAE])
    );
    let same = vec![one[0]; 80];
    let _ = compare(&same, &same);
}

#[test]
fn scores_are_deterministic() {
    let all = real_templates();
    let finger = Finger::from_card(&all[2].1);
    let probe = impression(&finger, &Capture::PROBE, &mut Rng::new(3));
    let first = compare(&all[2].1, &probe);
    for _ in 0..3 {
        assert_eq!(compare(&all[2].1, &probe), first);
    }
    assert_eq!(
        impression(&finger, &Capture::PROBE, &mut Rng::new(3)),
        probe,
        "impressions are seeded"
    );
}

/// The match-on-card probes: (file, reference record, its view, seed, finger position).
const PROBES: [(&str, &str, u64, u8); 2] = [
    (
        "right_thumb_genuine_probe.fmr",
        "sourceafis_iso-probe.dat",
        14,
        1,
    ),
    (
        "left_thumb_genuine_probe.fmr",
        "NIST_ISO19794-2_2005_AnnexC2_Example.raw",
        6,
        6,
    ),
];

/// A moderate border capture: the probes must match reliably.
const FIXTURE_CAPTURE: Capture = Capture {
    rotation_deg: 15.0,
    shift_mm: 2.0,
    warp_mm: 0.5,
    jitter: 1.0,
    angle_jitter_deg: 3.0,
    dropout: 0.1,
    spurious: 0.05,
    type_flip: 0.05,
};

/// The reference of a thumb as enrolled: the record's first view, at the thumb's position.
fn thumb_reference(source: &str, position: u8) -> MinutiaeRecord {
    let mut r = record(source);
    r.views.truncate(1);
    if let Some(v) = r.views.first_mut() {
        v.position = FingerPosition(position);
    }
    r
}

fn make_probe(source: &str, seed: u64, position: u8) -> Vec<u8> {
    let reference = thumb_reference(source, position);
    genuine_record(&reference, &FIXTURE_CAPTURE, seed)
        .unwrap()
        .encode()
        .unwrap()
}

/// Regenerates fixtures/moc/ with DACTYL_WRITE_FIXTURES=1; otherwise checks the committed files
/// are what the generator makes.
#[test]
fn regenerate_moc_fixtures() {
    for (file, source, seed, position) in PROBES {
        let bytes = make_probe(source, seed, position);
        let path = format!("{}/fixtures/moc/{file}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("DACTYL_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(fixture(&format!("moc/{file}")), bytes, "{file} is stale");
    }
}

#[test]
fn moc_probes_match_their_thumb_and_nothing_else() {
    let right = card_of(&thumb_reference("sourceafis_iso-probe.dat", 1), 0).unwrap();
    let left = card_of(
        &thumb_reference("NIST_ISO19794-2_2005_AnnexC2_Example.raw", 6),
        0,
    )
    .unwrap();
    let other = card_of(&record("sourceafis_iso-nonmatching.dat"), 0).unwrap();
    let probe = |f: &str| {
        let r = MinutiaeRecord::parse(&fixture(&format!("moc/{f}"))).unwrap();
        assert_eq!(r.views.len(), 1);
        (r.views[0].position.0, card_of(&r, 0).unwrap())
    };
    let (pos_r, right_probe) = probe("right_thumb_genuine_probe.fmr");
    let (pos_l, left_probe) = probe("left_thumb_genuine_probe.fmr");
    assert_eq!((pos_r, pos_l), (1, 6));
    let s = |a: &[CardMinutia], b: &[CardMinutia]| compare(a, b);
    assert!(s(&right, &right_probe) >= DEFAULT_THRESHOLD);
    assert!(s(&left, &left_probe) >= DEFAULT_THRESHOLD);
    for (name, score) in [
        ("right probe vs left", s(&left, &right_probe)),
        ("left probe vs right", s(&right, &left_probe)),
        ("right probe vs nonmatching", s(&other, &right_probe)),
        ("left probe vs nonmatching", s(&other, &left_probe)),
    ] {
        assert!(score < DEFAULT_THRESHOLD, "{name}: {score}");
    }
}
