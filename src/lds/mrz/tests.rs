//! Tests of the MRZ parser against the ICAO 9303 specimens.
use super::*;

const ICAO_TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];
const BSI_TD3: [&str; 2] = [
    "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
    "C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<<4",
];
const ICAO_TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
const ICAO_TD2: [&str; 2] = [
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
];
const LONG_TD1: [&str; 3] = [
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
];

fn field_names(m: &Mrz) -> Vec<&'static str> {
    m.checks.iter().map(|c| c.field).collect()
}

#[test]
fn check_digits_of_9303_examples() {
    for (field, digit) in [
        ("520727", 3),
        ("790410", 7),
        ("200618", 7),
        ("340712", 7),
        ("950712", 2),
        ("AB2134<<<", 5),
        ("L898902C<", 3),
        ("690806", 1),
        ("940623", 6),
        ("", 0),
    ] {
        assert_eq!(check_digit(field).unwrap(), digit, "{field}");
    }
    let e = check_digit("AB-1").unwrap_err().to_string();
    assert!(e.contains("'-'"), "{e}");
    assert!(check_digit("abc").is_err());
}

#[test]
fn icao_td3_specimen() {
    let m = Mrz::from_lines(&ICAO_TD3).unwrap();
    assert_eq!(m.format, MrzFormat::Td3);
    assert!(m.all_checks_pass(), "{:?}", m.checks);
    assert_eq!(
        field_names(&m),
        [
            "document number",
            "date of birth",
            "date of expiry",
            "personal number",
            "composite"
        ]
    );
    assert_eq!(m.document_code, "P");
    assert_eq!(m.issuing_state, "UTO");
    assert_eq!(m.primary_identifier, "ERIKSSON");
    assert_eq!(m.secondary_identifier, "ANNA MARIA");
    assert_eq!(m.document_number, "L898902C3");
    assert_eq!(m.nationality, "UTO");
    assert_eq!(m.date_of_birth, "740812");
    assert_eq!(m.sex, "F");
    assert_eq!(m.date_of_expiry, "120415");
    assert_eq!(m.optional_data, "ZE184226B");
    assert_eq!(m.optional_data_2, "");
    assert_eq!(m.to_text(), ICAO_TD3.join("\n"));
}

#[test]
fn bsi_td3_specimen_with_empty_personal_number() {
    let m = Mrz::parse_verified(&BSI_TD3.join("\r\n")).unwrap();
    assert_eq!(m.issuing_state, "D");
    assert_eq!(m.nationality, "D");
    assert_eq!(m.document_number, "C11T002JM");
    assert_eq!(m.primary_identifier, "MUSTERMANN");
    assert_eq!(m.secondary_identifier, "ERIKA");
    assert_eq!(m.optional_data, "");
    let personal = &m.checks[3];
    assert_eq!(
        (personal.field, personal.expected, personal.ok),
        ("personal number", '<', true)
    );
    assert_eq!(
        m.key_info().unwrap().key_seed_string(),
        "C11T002JM496081222310314"
    );
}

#[test]
fn icao_td1_specimen() {
    let m = Mrz::parse_verified(&ICAO_TD1.join("\n")).unwrap();
    assert_eq!(m.format, MrzFormat::Td1);
    assert_eq!(
        field_names(&m),
        [
            "document number",
            "date of birth",
            "date of expiry",
            "composite"
        ]
    );
    assert_eq!(m.document_code, "I");
    assert_eq!(m.document_number, "D23145890");
    assert_eq!(m.primary_identifier, "ERIKSSON");
    assert_eq!(m.secondary_identifier, "ANNA MARIA");
    assert_eq!(
        (m.date_of_birth.as_str(), m.date_of_expiry.as_str()),
        ("740812", "120415")
    );
    assert_eq!(m.nationality, "UTO");
    assert_eq!(m.sex, "F");
    // Concatenated, as in DG1.
    assert_eq!(Mrz::parse(&ICAO_TD1.concat()).unwrap(), m);
}

#[test]
fn icao_td2_specimen() {
    let m = Mrz::parse(&format!("  {}\n{}\n", ICAO_TD2[0], ICAO_TD2[1])).unwrap();
    assert_eq!(m.format, MrzFormat::Td2);
    assert!(m.all_checks_pass(), "{:?}", m.checks);
    assert_eq!(m.document_number, "D23145890");
    assert_eq!(m.primary_identifier, "ERIKSSON");
    assert_eq!(m.secondary_identifier, "ANNA MARIA");
    assert_eq!(Mrz::parse(&ICAO_TD2.concat()).unwrap(), m);
}

#[test]
fn td1_long_document_number_is_reassembled() {
    let m = Mrz::parse_verified(&LONG_TD1.join("\n")).unwrap();
    assert_eq!(m.document_number, "D23145890734");
    let number = &m.checks[0];
    assert_eq!((number.expected, number.computed), ('9', '9'));
    assert_eq!(m.optional_data, "");
    assert_eq!(m.sex, "M");
    assert_eq!(m.primary_identifier, "STEVENSON");
    assert_eq!(m.secondary_identifier, "PETER JOHN");
    let seed = m.key_info().unwrap().key_seed_string();
    assert_eq!(seed, "D23145890734934071279507122");
}

#[test]
fn failed_check_digits_are_reported_then_rejected() {
    // Date of birth check digit 2 -> 3; the composite then fails too.
    let line2 = ICAO_TD3[1].replacen("7408122F", "7408123F", 1);
    let text = format!("{}\n{line2}", ICAO_TD3[0]);
    let m = Mrz::parse(&text).unwrap();
    assert!(!m.all_checks_pass());
    let dob = &m.checks[1];
    assert_eq!(
        (dob.field, dob.expected, dob.computed, dob.ok),
        ("date of birth", '3', '2', false)
    );
    let e = Mrz::parse_verified(&text).unwrap_err().to_string();
    assert!(
        e.contains("check digit of date of birth is 3, computed 2"),
        "{e}"
    );
    assert!(e.contains("composite"), "{e}");
}

#[test]
fn malformed_zones_are_errors() {
    let short = format!("{}\n{}", ICAO_TD3[0], &ICAO_TD3[1][..43]);
    let e = Mrz::parse(&short).unwrap_err().to_string();
    assert!(e.contains("line 2 has 43 characters, TD3 needs 44"), "{e}");
    let three = format!("{}\n{}", ICAO_TD3.join("\n"), ICAO_TD3[1]);
    let e = Mrz::parse(&three).unwrap_err().to_string();
    assert!(
        e.contains("that is a TD3 MRZ, which has 2 lines of 44"),
        "{e}"
    );
    assert!(!e.contains("TD1 needs"), "{e}");
    let four = format!("{}\n{}", ICAO_TD1.join("\n"), ICAO_TD1[0]);
    assert!(
        Mrz::parse(&four)
            .unwrap_err()
            .to_string()
            .contains("4 lines")
    );
    let lower = ICAO_TD3.join("\n").replace("ERIKSSON", "Eriksson");
    assert!(
        Mrz::parse(&lower)
            .unwrap_err()
            .to_string()
            .contains("upper case")
    );
    let odd = ICAO_TD3.join("\n").replace("ANNA<", "ANNA ");
    assert!(Mrz::parse(&odd).is_err());
    let accent = ICAO_TD3.join("\n").replace("ANNA<", "ANNÉ");
    assert!(Mrz::parse(&accent).is_err());
    for bad in ["", "   ", "P<", &ICAO_TD3.concat()[..87], "<\n<", "\n\n\n"] {
        assert!(Mrz::parse(bad).is_err(), "{bad:?}");
    }
    let td1_in_two = format!("{}\n{}", ICAO_TD1[0], ICAO_TD1[1]);
    assert!(
        Mrz::parse(&td1_in_two)
            .unwrap_err()
            .to_string()
            .contains("3 lines")
    );
}

#[test]
fn key_seed_strings_of_9303_11() {
    for (number, dob, doe, seed) in [
        ("L898902C<", "690806", "940623", "L898902C<369080619406236"),
        ("L898902C", "690806", "940623", "L898902C<369080619406236"),
        ("T22000129", "640812", "101031", "T22000129364081251010318"),
        ("C11T002JM", "960812", "231031", "C11T002JM496081222310314"),
    ] {
        let k = MrzKeyInfo::new(number, dob, doe).unwrap();
        assert_eq!(k.key_seed_string(), seed);
        assert_eq!(k.document_number(), number.trim_end_matches('<'));
        assert_eq!((k.date_of_birth(), k.date_of_expiry()), (dob, doe));
    }
    // ICAO 9303-11 appendix D.2 line 2.
    let m =
        Mrz::from_lines(&[ICAO_TD3[0], "L898902C<3UTO6908061F9406236ZE184226B<<<<<14"]).unwrap();
    assert!(m.all_checks_pass(), "{:?}", m.checks);
    assert_eq!(
        m.key_info().unwrap().key_seed_string(),
        "L898902C<369080619406236"
    );
}

#[test]
fn key_info_validates_redacts_and_compares() {
    for (n, dob, doe) in [
        ("", "690806", "940623"),
        ("<<<", "690806", "940623"),
        ("l898902c", "690806", "940623"),
        ("L8989-02C", "690806", "940623"),
        ("L898902C", "69080", "940623"),
        ("L898902C", "691306", "940623"),
        ("L898902C", "690800", "940623"),
        ("L898902C", "690806", "94062A"),
        ("L898902C", "690806", "9406٢3"),
    ] {
        assert!(MrzKeyInfo::new(n, dob, doe).is_err(), "{n} {dob} {doe}");
    }
    let k = MrzKeyInfo::new("L898902C", "690806", "940623").unwrap();
    assert_eq!(format!("{k:?}"), "MrzKeyInfo(<redacted>)");
    assert_eq!(k, MrzKeyInfo::new("L898902C<", "690806", "940623").unwrap());
    assert_ne!(k, MrzKeyInfo::new("L898902C", "690806", "940624").unwrap());
}
