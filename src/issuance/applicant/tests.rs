use super::*;

const ICAO_SPECIMEN: &str = r#"{
  "document": {"type": "passport", "number": "L898902C3", "issuing_state": "UTO",
               "date_of_expiry": "2012-04-15", "optional_data": "ZE184226B"},
  "holder": {"primary_identifier": "ERIKSSON", "secondary_identifier": "ANNA MARIA",
             "nationality": "UTO", "date_of_birth": "1974-08-12", "sex": "F"},
  "enrolment": {"status": "citizen", "category": "citizen_passport"},
  "face": "face.jp2"
}"#;

fn on(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn the_mrz_is_the_icao_specimen_byte_for_byte() {
    let r = ApplicantRecord::from_json(ICAO_SPECIMEN).unwrap();
    r.check(on("2010-01-01")).unwrap();
    // ICAO Doc 9303-4 Appendix A, the specimen TD3 MRZ.
    assert_eq!(
        r.mrz().unwrap().lines,
        [
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
        ]
    );
    let card = ICAO_SPECIMEN
        .replace("\"passport\"", "\"id_card\"")
        .replace("L898902C3", "D23145890734");
    let r = ApplicantRecord::from_json(&card).unwrap();
    r.check(on("2010-01-01")).unwrap();
    let mrz = r.mrz().unwrap();
    assert_eq!(mrz.lines.len(), 3);
    assert_eq!(mrz.document_number, "D23145890734");
    assert!(mrz.all_checks_pass());
}

#[test]
fn unknown_fields_and_invalid_values_name_the_field() {
    let unknown = ICAO_SPECIMEN.replace("\"sex\"", "\"gender\": \"F\", \"sex\"");
    let e = ApplicantRecord::from_json(&unknown)
        .unwrap_err()
        .to_string();
    assert!(e.contains("gender"), "{e}");
    let cases = [
        ("\"sex\": \"F\"", "\"sex\": \"Q\"", "holder.sex"),
        ("\"L898902C3\"", "\"l898902c3\"", "document.number"),
        ("\"L898902C3\"", "\"L898902C3X\"", "document.number"),
        (
            "\"issuing_state\": \"UTO\"",
            "\"issuing_state\": \"U1\"",
            "issuing_state",
        ),
        (
            "\"nationality\": \"UTO\"",
            "\"nationality\": \"UTOPIA\"",
            "nationality",
        ),
        ("\"2012-04-15\"", "\"2009-04-15\"", "date_of_expiry"),
        ("\"1974-08-12\"", "\"2011-08-12\"", "date_of_birth"),
        ("\"ERIKSSON\"", "\"ERIKSSÖN\"", "MRZ"),
        (
            "\"optional_data\": \"ZE184226B\"",
            "\"optional_data\": \"ZE184226B\", \"can\": \"12345\"",
            "document.can",
        ),
    ];
    for (from, to, named) in cases {
        let text = ICAO_SPECIMEN.replace(from, to);
        assert_ne!(text, ICAO_SPECIMEN, "{from}");
        let e = match ApplicantRecord::from_json(&text) {
            Ok(r) => r.check(on("2010-01-01")).unwrap_err().to_string(),
            Err(e) => e.to_string(),
        };
        assert!(e.contains(named), "{to}: {e}");
    }
    let bad_date = ICAO_SPECIMEN.replace("1974-08-12", "1974-02-30");
    assert!(ApplicantRecord::from_json(&bad_date).is_err());
}

#[test]
fn finger_entries_are_checked() {
    let with = |fingers: &str, enrolment: &str| {
        let text = ICAO_SPECIMEN
            .replace(
                "\"face\": \"face.jp2\"",
                &format!("\"face\": \"f\", \"fingers\": {fingers}"),
            )
            .replace(
                "{\"status\": \"citizen\", \"category\": \"citizen_passport\"}",
                enrolment,
            );
        ApplicantRecord::from_json(&text).and_then(|r| r.check(on("2010-01-01")))
    };
    let plain = "{\"status\": \"citizen\", \"category\": \"citizen_passport\"}";
    let ok = r#"[{"position": "right_thumb", "image": "a.wsq"}]"#;
    assert!(with(ok, plain).is_ok());
    let twice =
        r#"[{"position": "right_thumb", "image": "a"}, {"position": "right_thumb", "image": "b"}]"#;
    assert!(
        with(twice, plain)
            .unwrap_err()
            .to_string()
            .contains("twice")
    );
    let nothing = r#"[{"position": "left_thumb"}]"#;
    assert!(
        with(nothing, plain)
            .unwrap_err()
            .to_string()
            .contains("fingers[0] (left thumb)")
    );
    let amputated = r#"{"status": "citizen", "category": "citizen_passport",
        "fingers": {"right_thumb": "amputated"}}"#;
    let e = with(ok, amputated).unwrap_err().to_string();
    assert!(e.contains("amputated"), "{e}");
    let one_hand = r#"{"status": "citizen", "category": "citizen_passport", "hands": "left_only"}"#;
    assert!(with(ok, one_hand).is_err());
    let bad_position = r#"[{"position": "right_toe", "image": "a"}]"#;
    assert!(
        with(bad_position, plain)
            .unwrap_err()
            .to_string()
            .contains("right_toe")
    );
    let bad_ppi = r#"[{"position": "right_thumb", "image": "a", "resolution_ppi": 20}]"#;
    assert!(
        with(bad_ppi, plain)
            .unwrap_err()
            .to_string()
            .contains("resolution")
    );
}

#[test]
fn every_sample_record_in_fixtures_reads_and_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/applicants");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let r = ApplicantRecord::load(&path).unwrap();
            r.check(on("2026-11-01")).unwrap();
            let face = read_face(&r, &files_in(&dir)).unwrap();
            assert_eq!(face.record.images[0].width, 413, "{}", path.display());
            for f in &r.fingers {
                assert!(
                    read_finger(f, &files_in(&dir), &Default::default())
                        .unwrap()
                        .image
                        .is_some()
                );
            }
            n += 1;
        }
    }
    assert!(n >= 6, "{n} sample records");
}
