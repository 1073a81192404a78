//! The enrolment policy as a table: ages, consent, exemptions, thumb substitution, every
//! applicant category, birthdays, and the issuance check's refusals.

use FingerCondition::{Amputated, NoPapillaryPattern, Usable};
use FingerPosition::*;
use dactyl::Error;
use dactyl::issuance::policy::{
    Applicant, ApplicantCategory, FingerCondition, FingerPosition, FingerStatus,
    FingerprintDecision, SUBSTITUTES, check_for_issuance, decide,
};
use dactyl::time::Date;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

const TODAY: &str = "2026-06-15";

/// An applicant aged `age` on TODAY (born on 2026-06-15 minus `age` years).
fn aged(age: u16) -> Applicant {
    Applicant {
        date_of_birth: Date::new(2026 - age, 6, 15).unwrap(),
        category: ApplicantCategory::CitizenPassport,
        child_consent: false,
        guardian_present: false,
        fingers: FingerStatus::default(),
        has_both_hands: true,
    }
}

fn positions(a: &Applicant, on: &str) -> Vec<u8> {
    decide(a, date(on))
        .positions()
        .iter()
        .map(|f| f.code())
        .collect()
}

fn outcome(a: &Applicant) -> &'static str {
    match decide(a, date(TODAY)).fingerprints {
        FingerprintDecision::Required { .. } => "required",
        FingerprintDecision::NotTaken { .. } => "not taken",
        FingerprintDecision::Refused { .. } => "refused",
    }
}

fn reason(a: &Applicant) -> String {
    match decide(a, date(TODAY)).fingerprints {
        FingerprintDecision::NotTaken { reason } | FingerprintDecision::Refused { reason } => {
            reason
        }
        FingerprintDecision::Required { fingers } => format!("{fingers:?}"),
    }
}

#[test]
fn age_and_consent_table() {
    let consent = |mut a: Applicant, c: bool, g: bool| {
        a.child_consent = c;
        a.guardian_present = g;
        a
    };
    let table: Vec<(&str, Applicant, &str, Vec<u8>)> = vec![
        ("11", aged(11), "not taken", vec![]),
        (
            "11 with consent",
            consent(aged(11), true, true),
            "not taken",
            vec![],
        ),
        (
            "12 consent + guardian",
            consent(aged(12), true, true),
            "required",
            vec![1, 6],
        ),
        (
            "12 consent only",
            consent(aged(12), true, false),
            "not taken",
            vec![],
        ),
        (
            "12 guardian only",
            consent(aged(12), false, true),
            "not taken",
            vec![],
        ),
        ("12 neither", aged(12), "not taken", vec![]),
        (
            "15 consent + guardian",
            consent(aged(15), true, true),
            "required",
            vec![1, 6],
        ),
        (
            "15 no guardian",
            consent(aged(15), true, false),
            "not taken",
            vec![],
        ),
        ("16 without consent", aged(16), "required", vec![1, 6]),
        ("40", aged(40), "required", vec![1, 6]),
    ];
    for (name, a, want, pos) in table {
        assert_eq!(outcome(&a), want, "{name}: {:?}", decide(&a, date(TODAY)));
        assert_eq!(positions(&a, TODAY), pos, "{name}");
    }
    assert!(reason(&aged(11)).contains("under 12"));
    let r = reason(&consent(aged(14), true, false));
    assert!(
        r.contains("no guardian is present") && !r.contains("consent is not"),
        "{r}"
    );
    let r = reason(&aged(13));
    assert!(
        r.contains("consent is not recorded") && r.contains("no guardian"),
        "{r}"
    );
    let d = decide(&aged(40), date(TODAY));
    assert!(d.reasons[0].contains("age 40"), "{:?}", d.reasons);
    assert!(d.reasons[1].contains("mandatory"), "{:?}", d.reasons);
}

#[test]
fn every_category_is_mandatory_from_16() {
    for category in ApplicantCategory::ALL {
        for age in [16, 40, 90] {
            let a = Applicant {
                category,
                ..aged(age)
            };
            assert_eq!(positions(&a, TODAY), [1, 6], "{category:?} at {age}");
            let d = decide(&a, date(TODAY));
            assert!(
                d.reasons.iter().any(|r| r.contains(category.describe())),
                "{:?}",
                d.reasons
            );
            assert!(check_for_issuance(&a, &[6, 1], date(TODAY)).is_ok());
            assert!(check_for_issuance(&a, &[], date(TODAY)).is_err());
        }
        // Under 12 no category takes fingerprints.
        let child = Applicant {
            category,
            ..aged(8)
        };
        assert_eq!(outcome(&child), "not taken");
    }
}

#[test]
fn missing_thumbs_are_replaced_in_the_documented_order() {
    let with = |f: FingerStatus| Applicant {
        fingers: f,
        ..aged(30)
    };
    let ok = FingerStatus::default();
    let table: Vec<(&str, FingerStatus, Vec<u8>)> = vec![
        (
            "right thumb amputated",
            ok.with(RightThumb, Amputated),
            vec![2, 6],
        ),
        (
            "left thumb amputated",
            ok.with(LeftThumb, Amputated),
            vec![1, 7],
        ),
        (
            "right thumb without pattern",
            ok.with(RightThumb, NoPapillaryPattern),
            vec![2, 6],
        ),
        (
            "left thumb without pattern",
            ok.with(LeftThumb, NoPapillaryPattern),
            vec![1, 7],
        ),
        (
            "both thumbs missing",
            ok.with(RightThumb, Amputated).with(LeftThumb, Amputated),
            vec![2, 7],
        ),
        (
            "right thumb and index missing",
            ok.with(RightThumb, Amputated).with(RightIndex, Amputated),
            vec![3, 6],
        ),
        (
            "whole right hand's fingers missing",
            [RightThumb, RightIndex, RightMiddle, RightRing, RightLittle]
                .into_iter()
                .fold(ok, |s, f| s.with(f, Amputated)),
            vec![6, 7],
        ),
        (
            "only the right little finger and left ring finger",
            FingerStatus::all(Amputated)
                .with(RightLittle, Usable)
                .with(LeftRing, Usable),
            vec![5, 9],
        ),
        (
            "only two left fingers",
            FingerStatus::all(NoPapillaryPattern)
                .with(LeftMiddle, Usable)
                .with(LeftLittle, Usable),
            vec![8, 10],
        ),
        (
            "only one finger",
            FingerStatus::all(Amputated).with(LeftRing, Usable),
            vec![9],
        ),
        (
            "only one thumb",
            FingerStatus::all(Amputated).with(RightThumb, Usable),
            vec![1],
        ),
    ];
    for (name, fingers, want) in table {
        let a = with(fingers);
        let mut got = positions(&a, TODAY);
        got.sort_unstable();
        assert_eq!(got, want, "{name}: {:?}", decide(&a, date(TODAY)));
        assert!(check_for_issuance(&a, &want, date(TODAY)).is_ok(), "{name}");
    }
    // The reasons name the replaced thumb and its stand-in; one finger says why it is alone.
    let d = decide(&with(ok.with(LeftThumb, Amputated)), date(TODAY));
    let FingerprintDecision::Required { fingers } = &d.fingerprints else {
        panic!("{d:?}")
    };
    assert_eq!(fingers[0].0, RightThumb);
    assert!(
        fingers[1].1.contains("left thumb (amputated)"),
        "{fingers:?}"
    );
    assert!(fingers[1].1.contains("left index finger"), "{fingers:?}");
    let d = decide(
        &with(FingerStatus::all(Amputated).with(LeftRing, Usable)),
        date(TODAY),
    );
    assert!(
        d.reasons
            .iter()
            .any(|r| r.contains("only one usable finger")),
        "{d:?}"
    );
    // The order really is one constant: same hand first, index to little.
    assert_eq!(
        SUBSTITUTES[0][..4],
        [RightIndex, RightMiddle, RightRing, RightLittle]
    );
    assert_eq!(
        SUBSTITUTES[1][..4],
        [LeftIndex, LeftMiddle, LeftRing, LeftLittle]
    );
}

#[test]
fn exemptions() {
    let no_patterns = Applicant {
        fingers: FingerStatus::all(NoPapillaryPattern),
        ..aged(30)
    };
    assert_eq!(outcome(&no_patterns), "not taken");
    assert!(
        reason(&no_patterns).contains("no papillary pattern"),
        "{}",
        reason(&no_patterns)
    );
    let mixed = Applicant {
        fingers: FingerStatus::all(NoPapillaryPattern)
            .with(RightThumb, Amputated)
            .with(LeftLittle, Amputated),
        ..aged(30)
    };
    assert_eq!(outcome(&mixed), "not taken");
    let no_hands = Applicant {
        fingers: FingerStatus::all(Amputated),
        has_both_hands: false,
        ..aged(30)
    };
    assert_eq!(outcome(&no_hands), "not taken");
    assert!(reason(&no_hands).contains("without both hands"));
    for a in [&no_patterns, &mixed, &no_hands] {
        assert!(check_for_issuance(a, &[], date(TODAY)).is_ok());
        assert!(check_for_issuance(a, &[1, 6], date(TODAY)).is_err());
    }
    // One hand missing: the other hand gives both fingers.
    let one_hand = Applicant {
        fingers: [RightThumb, RightIndex, RightMiddle, RightRing, RightLittle]
            .into_iter()
            .fold(FingerStatus::default(), |s, f| s.with(f, Amputated)),
        has_both_hands: false,
        ..aged(30)
    };
    assert_eq!(positions(&one_hand, TODAY), [7, 6]);
    // "Not both hands" yet usable fingers on both: the record contradicts itself.
    let contradictory = Applicant {
        has_both_hands: false,
        ..aged(30)
    };
    assert_eq!(outcome(&contradictory), "refused");
    let e = check_for_issuance(&contradictory, &[1, 6], date(TODAY)).unwrap_err();
    assert!(e.to_string().contains("both hands"), "{e}");
    // An exemption does not matter to an 11-year-old: the age rule comes first.
    let child = Applicant {
        fingers: FingerStatus::all(Amputated),
        ..aged(11)
    };
    assert!(reason(&child).contains("under 12"));
}

#[test]
fn birthdays() {
    let born = |s: &str| Applicant {
        date_of_birth: date(s),
        ..aged(0)
    };
    // The day before a birthday, and the day itself.
    assert_eq!(date("2014-03-10").age_on(date("2026-03-09")), Some(11));
    assert_eq!(date("2014-03-10").age_on(date("2026-03-10")), Some(12));
    assert_eq!(date("2010-03-10").age_on(date("2026-03-09")), Some(15));
    assert_eq!(date("2010-03-10").age_on(date("2026-03-10")), Some(16));
    // Across a year end.
    assert_eq!(date("2010-12-31").age_on(date("2026-12-30")), Some(15));
    assert_eq!(date("2010-12-31").age_on(date("2026-12-31")), Some(16));
    assert_eq!(date("2010-01-01").age_on(date("2025-12-31")), Some(15));
    // 16 years old on the birthday: fingerprints from that day, not the day before.
    assert_eq!(outcome_on(&born("2010-03-10"), "2026-03-09"), "not taken");
    assert_eq!(positions(&born("2010-03-10"), "2026-03-10"), [1, 6]);
    // Born on 29 February: a year older on 1 March in common years, on 29 February in leap ones.
    let leap = date("2008-02-29");
    assert_eq!(leap.age_on(date("2020-02-28")), Some(11));
    assert_eq!(leap.age_on(date("2020-02-29")), Some(12));
    assert_eq!(leap.age_on(date("2021-02-28")), Some(12));
    assert_eq!(leap.age_on(date("2023-02-28")), Some(14));
    assert_eq!(leap.age_on(date("2023-03-01")), Some(15));
    assert_eq!(leap.age_on(date("2024-02-28")), Some(15));
    assert_eq!(leap.age_on(date("2024-02-29")), Some(16));
    let leap12 = date("2012-02-29");
    assert_eq!(leap12.age_on(date("2024-02-28")), Some(11));
    assert_eq!(leap12.age_on(date("2024-02-29")), Some(12));
    let leap2000 = date("2000-02-29");
    assert_eq!(leap2000.age_on(date("2016-02-28")), Some(15));
    assert_eq!(leap2000.age_on(date("2016-02-29")), Some(16));
    let common16 = date("2004-02-29");
    assert_eq!(common16.age_on(date("2021-02-28")), Some(16));
    assert_eq!(common16.age_on(date("2021-03-01")), Some(17));
    // The policy follows: 15 on 2024-02-28 (no fingerprints without consent), 16 and so
    // mandatory on 2024-02-29.
    let l = born("2008-02-29");
    assert_eq!(outcome_on(&l, "2024-02-28"), "not taken");
    assert_eq!(positions(&l, "2024-02-29"), [1, 6]);
    // A 12th birthday on 1 March of a common year: born 2011-03-01 vs born 2012-02-29.
    assert_eq!(date("2011-03-01").age_on(date("2023-02-28")), Some(11));
    assert_eq!(date("2011-03-01").age_on(date("2023-03-01")), Some(12));
    // Born on the enrolment day, and a date of birth in the future.
    assert_eq!(date(TODAY).age_on(date(TODAY)), Some(0));
    assert_eq!(date("2026-06-16").age_on(date(TODAY)), None);
    let future = born("2027-01-01");
    assert_eq!(outcome(&future), "refused");
    assert!(check_for_issuance(&future, &[], date(TODAY)).is_err());
    // Invalid dates never parse.
    assert!(Date::parse("2023-02-29").is_err());
    assert!(Date::parse("2024-04-31").is_err());
}

fn outcome_on(a: &Applicant, on: &str) -> &'static str {
    match decide(a, date(on)).fingerprints {
        FingerprintDecision::Required { .. } => "required",
        FingerprintDecision::NotTaken { .. } => "not taken",
        FingerprintDecision::Refused { .. } => "refused",
    }
}

fn refusal(a: &Applicant, given: &[u8]) -> String {
    match check_for_issuance(a, given, date(TODAY)) {
        Err(e @ Error::Protocol { protocol, .. }) => {
            assert_eq!(protocol, "enrolment policy");
            e.to_string()
        }
        other => panic!("expected a policy refusal for {given:?}, got {other:?}"),
    }
}

#[test]
fn issuance_refuses_records_that_break_the_policy() {
    // Fingers supplied for an 11-year-old.
    let e = refusal(&aged(11), &[1, 6]);
    assert!(e.contains("under 12") && e.contains("[1, 6]"), "{e}");
    // A 14-year-old without consent.
    let fourteen = Applicant {
        guardian_present: true,
        ..aged(14)
    };
    let e = refusal(&fourteen, &[1, 6]);
    assert!(e.contains("consent"), "{e}");
    assert!(check_for_issuance(&fourteen, &[], date(TODAY)).is_ok());
    // A 40-year-old with no DG3 and no exemption.
    let e = refusal(&aged(40), &[]);
    assert!(
        e.contains("mandatory") && e.contains("1 (right thumb)"),
        "{e}"
    );
    // Wrong positions: index fingers instead of thumbs, one thumb only, a duplicate, junk codes.
    for given in [
        &[2u8, 7][..],
        &[1],
        &[1, 1],
        &[1, 6, 2],
        &[0, 6],
        &[1, 11],
        &[255, 6],
    ] {
        let e = refusal(&aged(40), given);
        assert!(e.contains("requires"), "{given:?}: {e}");
    }
    // Right positions in any order pass; so does a correct substitute.
    assert!(check_for_issuance(&aged(40), &[6, 1], date(TODAY)).is_ok());
    let no_right_thumb = Applicant {
        fingers: FingerStatus::default().with(RightThumb, Amputated),
        ..aged(40)
    };
    assert!(check_for_issuance(&no_right_thumb, &[2, 6], date(TODAY)).is_ok());
    let e = refusal(&no_right_thumb, &[1, 6]);
    assert!(e.contains("2 (right index finger)"), "{e}");
    // Under 12 with no DG3, and 12 to 15 with consent and the thumbs: issued.
    assert!(check_for_issuance(&aged(11), &[], date(TODAY)).is_ok());
    let consenting = Applicant {
        child_consent: true,
        guardian_present: true,
        ..aged(13)
    };
    assert!(check_for_issuance(&consenting, &[1, 6], date(TODAY)).is_ok());
    assert!(check_for_issuance(&consenting, &[], date(TODAY)).is_err());
}

#[test]
fn applicant_records_round_trip_through_json() {
    let json = r#"{
        "date_of_birth": "2008-02-29",
        "category": "refugee_certificate",
        "child_consent": false,
        "guardian_present": true,
        "fingers": {"right_thumb": "amputated", "left_index": "no_papillary_pattern"},
        "has_both_hands": true
    }"#;
    let a: Applicant = serde_json::from_str(json).unwrap();
    assert_eq!(a.date_of_birth, date("2008-02-29"));
    assert_eq!(a.category, ApplicantCategory::RefugeeCertificate);
    assert_eq!(a.fingers.get(RightThumb), Amputated);
    assert_eq!(a.fingers.get(LeftIndex), NoPapillaryPattern);
    assert_eq!(a.fingers.get(LeftThumb), Usable);
    let back: Applicant = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(back, a);
    // Every category name round-trips.
    for c in ApplicantCategory::ALL {
        let s = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<ApplicantCategory>(&s).unwrap(), c);
    }
    // Bad records are refused by the parser, not accepted with defaults.
    for bad in [
        json.replace("2008-02-29", "2007-02-29"),
        json.replace("2008-02-29", "29.02.2008"),
        json.replace("refugee_certificate", "tourist"),
        json.replace("right_thumb", "right_tumb"),
        json.replace("amputated", "missing"),
        json.replace(
            "\"has_both_hands\": true",
            "\"has_both_hands\": true, \"extra\": 1",
        ),
        json.replace(",\n        \"has_both_hands\": true", ""),
    ] {
        assert!(serde_json::from_str::<Applicant>(&bad).is_err(), "{bad}");
    }
    // The decision serializes for the station's log.
    let d = decide(&a, date(TODAY));
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["fingerprints"]["outcome"], "required");
    assert_eq!(v["fingerprints"]["fingers"][0][0], "right_index");
}
