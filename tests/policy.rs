//! The enrolment policy as a table, one block per sentence of the law (module docs of
//! `dactyl::issuance::policy`): ages and consent, the law's start date, the eight categories
//! for registration and for the chip, thumb substitution, exemptions, refusals under both
//! station settings, birthdays, and the issuance check.

use FingerCondition::{Amputated, NoPapillaryPattern, Usable};
use FingerPosition::*;
use dactyl::Error;
use dactyl::issuance::policy::{
    Applicant, ApplicantCategory, ChipFingers, Consequence, DocumentKind, FingerCondition,
    FingerPosition, FingerStatus, FingerprintDecision, Hand, Hands, LegalStatus, RefusalAction,
    StationSettings, SubstitutionOrder, check_for_issuance, decide,
};
use dactyl::time::Date;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

const TODAY: &str = "2026-06-15";

/// A citizen applying for a passport, aged `age` on TODAY (born on 2026-06-15 minus `age`
/// years), every finger usable.
fn aged(age: u16) -> Applicant {
    Applicant {
        date_of_birth: Date::new(2026 - age, 6, 15).unwrap(),
        status: LegalStatus::Citizen,
        category: ApplicantCategory::CitizenPassport,
        seafarer_card_decided: false,
        child_consent: false,
        guardian_present: false,
        refuses: false,
        hands: Hands::Both,
        fingers: FingerStatus::default(),
    }
}

fn foreigner(category: ApplicantCategory) -> Applicant {
    Applicant {
        status: LegalStatus::Foreigner,
        category,
        ..aged(30)
    }
}

fn law() -> StationSettings {
    StationSettings::default()
}

fn outcome_on(a: &Applicant, on: &str) -> &'static str {
    match decide(a, &law(), date(on)).fingerprints {
        FingerprintDecision::Mandatory => "mandatory",
        FingerprintDecision::Permitted => "permitted",
        FingerprintDecision::NotTaken { .. } => "not taken",
        FingerprintDecision::Refused { .. } => "refused",
        FingerprintDecision::RefusedByApplicant { .. } => "refused by applicant",
    }
}

fn outcome(a: &Applicant) -> &'static str {
    outcome_on(a, TODAY)
}

fn reasons(a: &Applicant) -> String {
    decide(a, &law(), date(TODAY)).reasons.join("; ")
}

fn chip_with(a: &Applicant, settings: &StationSettings) -> Vec<u8> {
    decide(a, settings, date(TODAY))
        .positions()
        .iter()
        .map(|f| f.code())
        .collect()
}

fn chip(a: &Applicant) -> Vec<u8> {
    chip_with(a, &law())
}

fn issue(a: &Applicant, dg3: &[u8]) -> Result<Vec<String>, String> {
    issue_with(a, &law(), dg3)
}

fn issue_with(
    a: &Applicant,
    settings: &StationSettings,
    dg3: &[u8],
) -> Result<Vec<String>, String> {
    match check_for_issuance(a, settings, dg3, date(TODAY)) {
        Ok(check) => Ok(check.flags),
        Err(e @ Error::Protocol { protocol, .. }) => {
            assert_eq!(protocol, "enrolment policy");
            Err(e.to_string())
        }
        Err(other) => panic!("expected a policy refusal, got {other:?}"),
    }
}

fn child(age: u16, consent: bool, guardian: bool) -> Applicant {
    Applicant {
        child_consent: consent,
        guardian_present: guardian,
        ..aged(age)
    }
}

/// "Children under 12 years old are not subject to dactyloscopy. [...] children aged 12 to 16
/// can undergo dactyloscopy only upon their consent and in the presence of a guardian, while
/// from the age of 16 dactyloscopy will be mandatory."
#[test]
fn ages_consent_and_guardian() {
    // (age, consent, guardian, outcome, DG3 the chip may hold)
    let table: [(u16, bool, bool, &str, &[u8]); 12] = [
        (11, true, true, "not taken", &[]),
        (11, false, false, "not taken", &[]),
        (12, true, true, "permitted", &[1, 6]),
        (12, true, false, "not taken", &[]),
        (12, false, true, "not taken", &[]),
        (12, false, false, "not taken", &[]),
        (15, true, true, "permitted", &[1, 6]),
        (15, false, true, "not taken", &[]),
        (16, false, false, "mandatory", &[1, 6]),
        (16, true, true, "mandatory", &[1, 6]),
        (40, false, false, "mandatory", &[1, 6]),
        (90, false, false, "mandatory", &[1, 6]),
    ];
    for (age, consent, guardian, want, dg3) in table {
        let a = child(age, consent, guardian);
        assert_eq!(
            outcome(&a),
            want,
            "age {age} consent {consent} guardian {guardian}"
        );
        assert_eq!(chip(&a), dg3, "age {age}");
        // The DG3 the decision names is issuable.
        assert_eq!(issue(&a, dg3).map(|_| ()), Ok(()), "age {age}");
        if !dg3.is_empty() && want == "permitted" {
            // 12 to 15: optional, so a document without DG3 is valid too, flagged.
            let flags = issue(&a, &[]).unwrap();
            assert!(flags[0].contains("optional at 12 to 15"), "{flags:?}");
        }
        if want == "mandatory" {
            let e = issue(&a, &[]).unwrap_err();
            assert!(
                e.contains("mandatory") && e.contains("1 (right thumb)"),
                "{e}"
            );
        }
        if want == "not taken" {
            let e = issue(&a, &[1, 6]).unwrap_err();
            assert!(
                e.contains("no fingerprints may be stored") && e.contains("[1, 6]"),
                "{e}"
            );
        }
    }
    assert!(reasons(&child(11, true, true)).contains("under 12"));
    let missing = reasons(&child(13, false, false));
    assert!(
        missing.contains("consent is not recorded") && missing.contains("no guardian"),
        "{missing}"
    );
    assert!(reasons(&child(14, true, true)).contains("permitted, not mandatory"));
}

/// The law applies "from January 1, 2021": an earlier enrolment has no fingerprint requirement.
#[test]
fn the_law_applies_from_2021() {
    let a = Applicant {
        date_of_birth: date("1980-05-05"),
        ..aged(0)
    };
    assert_eq!(outcome_on(&a, "2020-12-31"), "not taken");
    assert_eq!(outcome_on(&a, "2021-01-01"), "mandatory");
    let d = decide(&a, &law(), date("2020-12-31"));
    assert!(
        d.reasons
            .join(";")
            .contains("before the law took effect on 2021-01-01")
    );
    assert!(check_for_issuance(&a, &law(), &[1, 6], date("2020-12-31")).is_err());
    assert!(check_for_issuance(&a, &law(), &[], date("2020-12-31")).is_ok());
}

/// The eight categories: registration applies to each (within its scope), the chip only to
/// chip documents.
#[test]
fn categories_registration_and_chip() {
    use ApplicantCategory::*;
    // (variant, law category, a status it covers, DG3 under the law's settings)
    let table: [(ApplicantCategory, u8, LegalStatus, &[u8]); 11] = [
        (CitizenPassport, 1, LegalStatus::Citizen, &[1, 6]),
        (CitizenNationalId, 1, LegalStatus::Citizen, &[1, 6]),
        (SeafarerIdentityCard, 2, LegalStatus::Foreigner, &[]),
        (PermanentResident, 3, LegalStatus::StatelessPerson, &[]),
        (ResidencePermit, 4, LegalStatus::Foreigner, &[]),
        (
            StatelessPersonCertificate,
            4,
            LegalStatus::StatelessPerson,
            &[],
        ),
        (RefugeeCertificate, 4, LegalStatus::Foreigner, &[]),
        (ImmigrantDomesticWorker, 5, LegalStatus::Foreigner, &[]),
        (ExpulsionOrReadmission, 6, LegalStatus::StatelessPerson, &[]),
        (VisaApplicant, 7, LegalStatus::Foreigner, &[]),
        (BorderCrossing, 8, LegalStatus::Foreigner, &[]),
    ];
    for (category, n, status, dg3) in table {
        let a = Applicant {
            status,
            category,
            seafarer_card_decided: true,
            ..aged(30)
        };
        assert_eq!(category.law_category(), n);
        assert_eq!(outcome(&a), "mandatory", "{category:?}");
        let d = decide(&a, &law(), date(TODAY));
        // Registration: all ten fingers and both palms.
        let capture = d.capture.as_ref().unwrap();
        assert_eq!(capture.fingers.len(), 10, "{category:?}");
        assert_eq!(capture.palms, [Hand::Right, Hand::Left]);
        assert_eq!(chip(&a), dg3, "{category:?}");
    }
    // A visa applicant: registered, no DG3, and no document to personalize.
    let visa = foreigner(VisaApplicant);
    let d = decide(&visa, &law(), date(TODAY));
    let ChipFingers::Nothing { reason } = &d.chip else {
        panic!("{:?}", d.chip)
    };
    assert!(
        reason.contains("registered in the national database"),
        "{reason}"
    );
    assert!(
        issue(&visa, &[])
            .unwrap_err()
            .contains("issues no document")
    );
    // A citizen's passport: DG3.
    assert_eq!(issue(&aged(30), &[1, 6]), Ok(vec![]));
    // Seafarer's card and residence permit card carry DG3 only when the station says so.
    let seafarer = Applicant {
        seafarer_card_decided: true,
        ..foreigner(SeafarerIdentityCard)
    };
    let permit = foreigner(ResidencePermit);
    let e = issue(&seafarer, &[1, 6]).unwrap_err();
    assert!(e.contains("not a chip document at this station"), "{e}");
    let station = StationSettings {
        chip_documents: vec![
            DocumentKind::Passport,
            DocumentKind::NationalId,
            DocumentKind::SeafarerIdentityCard,
            DocumentKind::ResidencePermitCard,
        ],
        ..law()
    };
    assert_eq!(chip_with(&seafarer, &station), [1, 6]);
    assert_eq!(chip_with(&permit, &station), [1, 6]);
    assert_eq!(issue_with(&seafarer, &station, &[6, 1]), Ok(vec![]));
    assert!(issue_with(&seafarer, &station, &[]).is_err());
    // A station that lists the seafarer's card only still gives a citizen's passport no DG3
    // only if it drops the passport: the list is what counts.
    let only_seafarer = StationSettings {
        chip_documents: vec![DocumentKind::SeafarerIdentityCard],
        ..law()
    };
    assert!(chip_with(&aged(30), &only_seafarer).is_empty());
}

/// Scopes: "foreigners and stateless persons" only where the text says so; category 1 is the
/// citizen's; the seafarer's card "in respect of whom a decision was made to issue".
#[test]
fn category_scopes() {
    use ApplicantCategory::*;
    for category in [
        PermanentResident,
        ResidencePermit,
        StatelessPersonCertificate,
        RefugeeCertificate,
        ImmigrantDomesticWorker,
        ExpulsionOrReadmission,
        VisaApplicant,
        BorderCrossing,
    ] {
        let citizen = Applicant {
            category,
            ..aged(30)
        };
        assert_eq!(outcome(&citizen), "refused", "{category:?}");
        assert!(reasons(&citizen).contains("covers foreigners and stateless persons"));
        for status in [LegalStatus::Foreigner, LegalStatus::StatelessPerson] {
            let a = Applicant {
                status,
                ..citizen.clone()
            };
            assert_eq!(outcome(&a), "mandatory", "{category:?} {status:?}");
        }
    }
    for category in [CitizenPassport, CitizenNationalId] {
        let a = foreigner(category);
        assert_eq!(outcome(&a), "refused");
        assert!(issue(&a, &[1, 6]).unwrap_err().contains("covers citizens"));
    }
    // The seafarer's card: citizens, foreigners and stateless persons, once the decision to
    // issue is on record.
    for status in [
        LegalStatus::Citizen,
        LegalStatus::Foreigner,
        LegalStatus::StatelessPerson,
    ] {
        let undecided = Applicant {
            status,
            category: SeafarerIdentityCard,
            ..aged(30)
        };
        assert_eq!(outcome(&undecided), "refused");
        assert!(reasons(&undecided).contains("decision was made to issue"));
        let decided = Applicant {
            seafarer_card_decided: true,
            ..undecided
        };
        assert_eq!(outcome(&decided), "mandatory");
    }
    // Category 5's immigrants are read as non-citizens: the decision names the assumption.
    let worker = decide(&foreigner(ImmigrantDomesticWorker), &law(), date(TODAY));
    assert!(worker.assumptions.contains(&"immigrant-is-non-citizen"));
}

fn without(fingers: &[FingerPosition], c: FingerCondition) -> FingerStatus {
    fingers
        .iter()
        .fold(FingerStatus::default(), |s, &f| s.with(f, c))
}

/// Unusable fingers, their condition, the DG3 positions, the assumption the decision names.
type SubstitutionRow = (
    &'static [FingerPosition],
    FingerCondition,
    &'static [u8],
    Option<&'static str>,
);

/// "The chip [...] will only store thumbprints (in case of amputation or pathology of the ring
/// fingers)": the ring finger stands in for an unusable thumb, under its own position code.
#[test]
fn the_ring_finger_replaces_a_thumb() {
    // (unusable fingers, condition, DG3 positions, assumption named)
    let table: [SubstitutionRow; 10] = [
        (&[], Usable, &[1, 6], None),
        (&[RightThumb], Amputated, &[4, 6], None),
        (&[RightThumb], NoPapillaryPattern, &[4, 6], None),
        (&[LeftThumb], Amputated, &[1, 9], None),
        (&[LeftThumb], NoPapillaryPattern, &[1, 9], None),
        (&[RightThumb, LeftThumb], Amputated, &[4, 9], None),
        // The own ring finger is gone: the other hand's ring finger.
        (&[RightThumb, RightRing], Amputated, &[9, 6], None),
        // Both thumbs and the right ring finger: the left ring finger for the left thumb, and
        // the right thumb's place goes past the ring fingers.
        (
            &[RightThumb, LeftThumb, RightRing],
            Amputated,
            &[2, 9],
            Some("past-the-ring-fingers"),
        ),
        (
            &[RightThumb, LeftThumb, RightRing, LeftRing],
            NoPapillaryPattern,
            &[2, 7],
            Some("past-the-ring-fingers"),
        ),
        // Everything but the left little finger and the right middle finger.
        (
            &[
                RightThumb,
                RightIndex,
                RightRing,
                RightLittle,
                LeftThumb,
                LeftIndex,
                LeftMiddle,
                LeftRing,
            ],
            Amputated,
            &[3, 10],
            Some("past-the-ring-fingers"),
        ),
    ];
    for (gone, condition, want, assumption) in table {
        let a = Applicant {
            fingers: without(gone, condition),
            ..aged(30)
        };
        let d = decide(&a, &law(), date(TODAY));
        let mut got: Vec<u8> = d.positions().iter().map(|f| f.code()).collect();
        got.sort_unstable();
        let mut sorted = want.to_vec();
        sorted.sort_unstable();
        assert_eq!(got, sorted, "{gone:?} {condition:?}");
        assert_eq!(
            d.assumptions.contains(&"past-the-ring-fingers"),
            assumption.is_some(),
            "{gone:?}: {:?}",
            d.assumptions
        );
        // The DG3 keeps the real finger position codes.
        assert_eq!(issue(&a, want), Ok(vec![]), "{gone:?}");
        if want != [1, 6] {
            assert!(issue(&a, &[1, 6]).is_err());
        }
    }
    // The reason names the thumb, its condition and the substitute.
    let a = Applicant {
        fingers: without(&[RightThumb], NoPapillaryPattern),
        ..aged(30)
    };
    let d = decide(&a, &law(), date(TODAY));
    let ChipFingers::Store { fingers } = &d.chip else {
        panic!()
    };
    assert_eq!(
        (fingers[0].finger, fingers[0].for_thumb),
        (RightRing, RightThumb)
    );
    assert!(
        fingers[0]
            .why
            .contains("right thumb (without papillary pattern) replaced by the right ring finger"),
        "{}",
        fingers[0].why
    );
    // The alternative reading, as a station setting: the index finger first.
    let index = StationSettings {
        substitution: SubstitutionOrder::IndexFinger,
        ..law()
    };
    let amputee = Applicant {
        fingers: without(&[RightThumb], Amputated),
        ..aged(30)
    };
    assert_eq!(chip_with(&amputee, &index), [2, 6]);
    assert_eq!(chip(&amputee), [4, 6]);
    let check = check_for_issuance(&amputee, &index, &[2, 6], date(TODAY)).unwrap();
    assert!(
        check
            .decision
            .reasons
            .join(";")
            .contains("substitution = index-finger"),
        "{:?}",
        check.decision.reasons
    );
    // Settings round-trip through JSON, with the law as the default.
    let s: StationSettings = serde_json::from_str("{}").unwrap();
    assert_eq!(s, law());
    assert_eq!(s.substitution, SubstitutionOrder::RingFinger);
    let s: StationSettings = serde_json::from_str(
        r#"{"substitution": "index-finger", "on_refusal": "issue-without-dg3"}"#,
    )
    .unwrap();
    assert_eq!(s.substitution, SubstitutionOrder::IndexFinger);
    assert_eq!(s.on_refusal, RefusalAction::IssueWithoutDg3);
    assert!(serde_json::from_str::<StationSettings>(r#"{"substitution": "thumb"}"#).is_err());
    assert!(serde_json::from_str::<StationSettings>(r#"{"extra": 1}"#).is_err());
}

/// "Persons who do not have both hands or papillary patterns on the nail phalanges of all
/// fingers of both hands will not undergo dactyloscopy."
#[test]
fn exemptions_and_one_hand() {
    let no_hands = Applicant {
        hands: Hands::None,
        ..aged(30)
    };
    assert_eq!(outcome(&no_hands), "not taken");
    assert!(reasons(&no_hands).contains("without both hands"));
    let no_patterns = Applicant {
        fingers: FingerStatus::all(NoPapillaryPattern),
        ..aged(30)
    };
    assert_eq!(outcome(&no_patterns), "not taken");
    assert!(reasons(&no_patterns).contains("no papillary pattern"));
    let mixed = Applicant {
        fingers: FingerStatus::all(NoPapillaryPattern)
            .with(RightThumb, Amputated)
            .with(LeftLittle, Amputated),
        ..aged(30)
    };
    assert_eq!(outcome(&mixed), "not taken");
    for a in [&no_hands, &no_patterns, &mixed] {
        assert_eq!(issue(a, &[]), Ok(vec![]));
        assert!(issue(a, &[1, 6]).is_err());
        assert!(decide(a, &law(), date(TODAY)).capture.is_none());
    }
    // One hand (assumption one-hand): fingerprinted on that hand; the thumb and the same
    // hand's ring finger go onto the chip, the palm of that hand into the database.
    let right_only = Applicant {
        hands: Hands::RightOnly,
        ..aged(30)
    };
    let d = decide(&right_only, &law(), date(TODAY));
    assert_eq!(d.fingerprints, FingerprintDecision::Mandatory);
    assert!(d.assumptions.contains(&"one-hand"));
    assert_eq!(d.capture.as_ref().unwrap().palms, [Hand::Right]);
    assert_eq!(d.capture.as_ref().unwrap().fingers.len(), 5);
    assert_eq!(chip(&right_only), [1, 4]);
    let left_only = Applicant {
        hands: Hands::LeftOnly,
        ..aged(30)
    };
    assert_eq!(chip(&left_only), [9, 6]);
    // One hand and no patterns on it: exempt (assumption one-hand-without-patterns).
    let one_hand_no_patterns = Applicant {
        hands: Hands::LeftOnly,
        fingers: FingerStatus::all(NoPapillaryPattern),
        ..aged(30)
    };
    let d = decide(&one_hand_no_patterns, &law(), date(TODAY));
    assert!(matches!(
        d.fingerprints,
        FingerprintDecision::NotTaken { .. }
    ));
    assert!(d.assumptions.contains(&"one-hand-without-patterns"));
    // A single usable finger is stored alone (assumption one-usable-finger).
    let single = Applicant {
        fingers: FingerStatus::all(Amputated).with(LeftMiddle, Usable),
        ..aged(30)
    };
    let d = decide(&single, &law(), date(TODAY));
    assert_eq!(chip(&single), [8]);
    assert!(d.assumptions.contains(&"one-usable-finger"));
    // The age rule comes first: an exemption does not matter to an 11-year-old.
    let young = Applicant {
        hands: Hands::None,
        ..aged(11)
    };
    assert!(reasons(&young).contains("under 12"));
}

/// Refusal: a citizen is fined, a foreigner or stateless person expelled; the station blocks
/// the document (default) or issues it without DG3, flagged.
#[test]
fn refusals_under_both_station_settings() {
    let citizen = Applicant {
        refuses: true,
        ..aged(30)
    };
    let permit = Applicant {
        refuses: true,
        ..foreigner(ApplicantCategory::ResidencePermit)
    };
    let stateless = Applicant {
        refuses: true,
        status: LegalStatus::StatelessPerson,
        ..foreigner(ApplicantCategory::RefugeeCertificate)
    };
    let cases = [
        (&citizen, Consequence::AdministrativeFine, "fine (2 MCI)"),
        (&permit, Consequence::AdministrativeExpulsion, "expulsion"),
        (
            &stateless,
            Consequence::AdministrativeExpulsion,
            "expulsion",
        ),
    ];
    let issue_anyway = StationSettings {
        on_refusal: RefusalAction::IssueWithoutDg3,
        ..law()
    };
    for (a, consequence, words) in cases {
        let d = decide(a, &law(), date(TODAY));
        assert_eq!(
            d.fingerprints,
            FingerprintDecision::RefusedByApplicant { consequence }
        );
        assert!(d.positions().is_empty() && d.capture.is_none());
        // Block (the default): not issued, the reason printed.
        let e = issue(a, &[]).unwrap_err();
        assert!(e.contains(words) && e.contains("on_refusal = block"), "{e}");
        // Issue without DG3: issued, flagged; a DG3 is still refused.
        let flags = issue_with(a, &issue_anyway, &[]).unwrap();
        assert!(
            flags.len() == 1 && flags[0].contains("issued without DG3") && flags[0].contains(words),
            "{flags:?}"
        );
        assert!(issue_with(a, &issue_anyway, &[1, 6]).is_err());
    }
    // At 12 to 15 a refusal is just no consent: nothing taken, nothing flagged.
    let declining = Applicant {
        refuses: true,
        ..child(14, true, true)
    };
    assert_eq!(outcome(&declining), "not taken");
    assert_eq!(issue(&declining, &[]), Ok(vec![]));
    // An exempt person's refusal changes nothing.
    let exempt = Applicant {
        refuses: true,
        hands: Hands::None,
        ..aged(30)
    };
    assert_eq!(outcome(&exempt), "not taken");
}

/// Ages count on the enrolment (capture) date, given explicitly; 16 on the birthday; 29 February.
#[test]
fn birthdays_and_the_enrolment_date() {
    let born = |s: &str| Applicant {
        date_of_birth: date(s),
        ..aged(0)
    };
    // 16 on the birthday, not the day before.
    assert_eq!(outcome_on(&born("2010-03-10"), "2026-03-09"), "not taken");
    assert_eq!(outcome_on(&born("2010-03-10"), "2026-03-10"), "mandatory");
    // Enrolled the day before the 16th birthday, personalized after it: the enrolment date
    // decides, so no DG3 is required.
    let a = born("2010-03-10");
    assert!(check_for_issuance(&a, &law(), &[], date("2026-03-09")).is_ok());
    assert!(check_for_issuance(&a, &law(), &[], date("2026-03-11")).is_err());
    // 29 February (assumption feb-29): a year older on 1 March in a common year.
    let leap = born("2008-02-29");
    assert_eq!(outcome_on(&leap, "2024-02-28"), "not taken");
    assert_eq!(outcome_on(&leap, "2024-02-29"), "mandatory");
    // Born 2100-02-29 cannot happen (2100 is a common year), so 12th and 16th birthdays always
    // fall in leap years before 2100; the rule decides other anniversaries, and is named.
    assert!(Date::parse("2100-02-29").is_err());
    let d = decide(&born("2004-02-29"), &law(), date("2021-02-28"));
    assert!(d.assumptions.contains(&"feb-29"), "{:?}", d.assumptions);
    assert_eq!(date("2004-02-29").age_on(date("2021-02-28")), Some(16));
    assert_eq!(date("2008-02-29").age_on(date("2023-02-28")), Some(14));
    assert_eq!(date("2008-02-29").age_on(date("2023-03-01")), Some(15));
    // A birth date after the enrolment date.
    let future = born("2027-01-01");
    assert_eq!(outcome(&future), "refused");
    assert!(issue(&future, &[]).is_err());
}

/// The issuance check rejects wrong DG3 contents.
#[test]
fn issuance_rejects_wrong_positions() {
    for given in [
        &[2u8, 7][..],
        &[1],
        &[1, 1],
        &[1, 6, 2],
        &[0, 6],
        &[1, 11],
        &[255, 6],
    ] {
        let e = issue(&aged(40), given).unwrap_err();
        assert!(e.contains("requires"), "{given:?}: {e}");
    }
    assert_eq!(issue(&aged(40), &[6, 1]), Ok(vec![]));
}

#[test]
fn applicant_records_round_trip_through_json() {
    let json = r#"{
        "date_of_birth": "2008-02-29",
        "status": "stateless_person",
        "category": "refugee_certificate",
        "child_consent": false,
        "guardian_present": true,
        "hands": "both",
        "fingers": {"right_thumb": "amputated", "left_index": "no_papillary_pattern"}
    }"#;
    let a: Applicant = serde_json::from_str(json).unwrap();
    assert_eq!(a.date_of_birth, date("2008-02-29"));
    assert_eq!(a.status, LegalStatus::StatelessPerson);
    assert_eq!(a.category, ApplicantCategory::RefugeeCertificate);
    assert_eq!(a.fingers.get(RightThumb), Amputated);
    assert_eq!(a.fingers.get(LeftIndex), NoPapillaryPattern);
    assert_eq!(a.fingers.get(LeftThumb), Usable);
    assert!(!a.refuses);
    let back: Applicant = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(back, a);
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
        json.replace("\"hands\": \"both\"", "\"hands\": \"two\""),
        json.replace("\"hands\": \"both\"", "\"hands\": \"both\", \"extra\": 1"),
        json.replace("\"status\": \"stateless_person\",", ""),
    ] {
        assert!(serde_json::from_str::<Applicant>(&bad).is_err(), "{bad}");
    }
    // The decision serializes for the station's log.
    let d = decide(&a, &law(), date("2026-06-15"));
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["fingerprints"]["outcome"], "mandatory");
    assert_eq!(v["chip"]["chip"], "nothing");
    assert_eq!(v["capture"]["fingers"].as_array().unwrap().len(), 8);
}
