//! The match-on-card data objects (ISO/IEC 7816-11): the BIT group byte for byte against NIST's
//! MINEX II BIT, dactyl's own BIT with qualifiers, finger subtypes, and the VERIFY data object
//! against the worked example of VECTORS.md 12.4 (NIST_MINEXII_ISOCC.min in `7F2E 81 96 81 81
//! 93 ...`). Layers: lds, biometrics.

#[path = "common/biometric_files.rs"]
mod biometric_files;

use biometric_files::fixture;
use dactyl::biometrics::FingerPosition;
use dactyl::biometrics::compact::{AlgorithmParameters, MinutiaOrder, SortMethod};
use dactyl::lds::moc_bit::{
    FORMAT_TYPE_COMPACT_CARD, MocBit, MocReference, encode_probe, parse_probe, position_of,
    subtype_of,
};

#[test]
fn nist_minex_bit_parses_and_encodes_byte_for_byte() {
    let bytes = fixture("biometrics/NIST_MINEXII_BIT.dat");
    let bit = MocBit::parse(&bytes).unwrap();
    assert!(bit.warnings.is_empty(), "{:?}", bit.warnings);
    assert_eq!(bit.references.len(), 2);
    let first = &bit.references[0];
    assert_eq!(first.biometric_type, Some(8));
    assert_eq!(first.subtype, Some(0x02));
    assert_eq!(
        (first.format_owner, first.format_type),
        (Some(0xDEAD), Some(0xBEEF))
    );
    assert_eq!(first.qualifier, None);
    assert_eq!(
        (first.params.min_minutiae, first.params.max_minutiae),
        (Some(12), Some(64))
    );
    assert_eq!(
        first.params.order,
        Some(MinutiaOrder {
            method: SortMethod::Polar,
            descending: false
        })
    );
    assert_eq!(first.params.feature_handling, Some(0));
    // Subtype 02: left, no finger named; 07: both sides, thumb.
    assert_eq!(first.finger_position(), None);
    assert_eq!(bit.references[1].subtype, Some(0x07));
    assert_eq!(bit.references[1].finger_position(), None);
    assert_eq!(bit.encode(), bytes);
}

fn params() -> AlgorithmParameters {
    AlgorithmParameters {
        min_minutiae: Some(12),
        max_minutiae: Some(60),
        order: Some(MinutiaOrder::NONE),
        feature_handling: Some(0),
    }
}

#[test]
fn dactyl_bit_carries_qualifiers_and_thumbs() {
    let right = MocReference::compact_finger(0x81, 0x05, params());
    let left = MocReference::compact_finger(0x82, 0x06, params());
    let bit = MocBit::new(vec![right.clone(), left.clone()]);
    let bytes = bit.encode();
    let expected = concat!(
        "7F61 47 020102",
        " 7F60 1F A1 1A 810108 820105 87020101 88020003 B1 0A 8102 0C3C 820100 830100 830181",
        " 7F60 1F A1 1A 810108 820106 87020101 88020003 B1 0A 8102 0C3C 820100 830100 830182",
    )
    .replace(' ', "");
    assert_eq!(hex::encode_upper(&bytes), expected);
    let back = MocBit::parse(&bytes).unwrap();
    assert_eq!(back.references, [right, left]);
    assert_eq!(
        back.by_qualifier(0x82).unwrap().finger_position(),
        Some(FingerPosition::LEFT_THUMB)
    );
    assert_eq!(
        back.references[0].format_type,
        Some(FORMAT_TYPE_COMPACT_CARD)
    );
    assert!(back.by_qualifier(0x83).is_none());
    // A qualifier of two bytes is an error, not a guess.
    let two = concat!(
        "7F61 26 020101",
        " 7F60 20 A1 1A 810108 820105 87020101 88020003 B1 0A 8102 0C3C 820100 830100 83020181",
    )
    .replace(' ', "");
    assert!(MocBit::parse(&hex::decode(two).unwrap()).is_err());
}

#[test]
fn a_template_with_data_is_no_reference() {
    // DG3-like record: 7F60 { A1 {81 01 08}, 5F2E 01 00 }.
    let bytes = hex::decode("7F610F020101 7F6009 A103810108 5F2E0100".replace(' ', "")).unwrap();
    assert!(MocBit::parse(&bytes).is_err());
    // Wrapped in DG3's 63: not a bare BIT group.
    let wrapped = hex::decode("6305 7F6102020100".replace(' ', "")).unwrap();
    assert!(MocBit::parse(&wrapped).is_err());
}

#[test]
fn subtypes_and_positions_agree() {
    for p in 1..=10u8 {
        let s = subtype_of(FingerPosition(p)).unwrap();
        assert_eq!(position_of(s), Some(FingerPosition(p)), "{p}");
    }
    assert_eq!(subtype_of(FingerPosition::RIGHT_THUMB), Some(0x05));
    assert_eq!(subtype_of(FingerPosition::LEFT_THUMB), Some(0x06));
    assert_eq!(subtype_of(FingerPosition(0)), None);
    assert_eq!(subtype_of(FingerPosition(11)), None);
    for s in [0x00, 0x01, 0x04, 0x07, 0x19, 0x1D, 0x25] {
        assert_eq!(position_of(s), None, "{s:02X}");
    }
}

#[test]
fn verify_data_object_of_vectors_12_4() {
    let minutiae = fixture("biometrics/NIST_MINEXII_ISOCC.min");
    assert_eq!(minutiae.len(), 147);
    let object = encode_probe(&minutiae);
    // 7F2E, length 81 96 (150 = 1 + 2 + 147), tag 81, length 81 93 (147).
    assert_eq!(hex::encode_upper(&object[..7]), "7F2E8196818193");
    assert_eq!(&object[7..], minutiae.as_slice());
    assert_eq!(object.len(), 4 + 150);
    assert_eq!(parse_probe(&object).unwrap(), minutiae.as_slice());
    // Tag 90 in place of 81 is taken.
    let mut alt = object.clone();
    alt[4] = 0x90;
    assert_eq!(parse_probe(&alt).unwrap(), minutiae.as_slice());
}

#[test]
fn malformed_verify_data_is_refused() {
    for bad in [
        "",
        "7F2E00",
        "7F2E0481020102",              // 2 bytes of minutiae
        "7F2E058103010203 00",         // trailing byte
        "5F2E058103010203",            // wrong outer tag
        "7F2E058203010203",            // wrong inner tag
        "7F2E0A8103010203 8103010203", // two objects
        "7F2E058105010203",            // inner length beyond the value
    ] {
        let bytes = hex::decode(bad.replace(' ', "")).unwrap();
        assert!(parse_probe(&bytes).is_err(), "{bad}");
    }
    assert_eq!(
        parse_probe(&hex::decode("7F2E0281 00".replace(' ', "")).unwrap()).unwrap(),
        &[] as &[u8]
    );
}
