//! Tests of `tlv`: the ISO/IEC 7816-4 view, the shared header reader and the encoder.
use super::header::{Rules, read_object};
use super::*;

#[test]
fn parses_nested_objects() {
    let com = hex::decode("60145F0104303130365F36063034303030305C026175").unwrap();
    let t = Tlv::parse_exact(&com).unwrap();
    assert_eq!(t.tag, 0x60);
    assert!(t.is_constructed());
    assert!(!t.indefinite);
    assert_eq!(t.header(), [0x60, 0x14]);
    let tags: Vec<u32> = t.children().map(|c| c.unwrap().tag).collect();
    assert_eq!(tags, [0x5F01, 0x5F36, 0x5C]);
    assert_eq!(t.require(0x5C).unwrap().value, [0x61, 0x75]);
}

#[test]
fn headers_report_truncation_and_malformation() {
    assert_eq!(parse_header(&[]), Err(HeaderError::Empty));
    assert_eq!(parse_header(&[0x75]), Err(HeaderError::TruncatedLength));
    assert_eq!(
        parse_header(&[0x75, 0x82, 0x01]),
        Err(HeaderError::TruncatedLength)
    );
    assert_eq!(parse_header(&[0x7F]), Err(HeaderError::TruncatedTag));
    assert!(parse_header(&[0x7F]).unwrap_err().is_truncated());
    assert_eq!(parse_header(&[0x5F, 0x80]), Err(HeaderError::TruncatedTag));
    assert_eq!(
        parse_header(&[0x5F, 0x1F, 0x80]),
        Err(HeaderError::IndefinitePrimitive(0x5F1F))
    );
    assert_eq!(
        parse_header(&[0x75, 0x85, 0, 0, 0, 0, 1]),
        Err(HeaderError::LengthFieldTooLong(5))
    );
    assert_eq!(parse_header(&[0x00, 0x01]), Err(HeaderError::TagByte(0)));
    assert_eq!(parse_header(&[0xFF, 0x01]), Err(HeaderError::TagByte(0xFF)));
    assert_eq!(
        parse_header(&[0x7F, 0x81, 0x81, 0x01, 0x00]),
        Err(HeaderError::TagTooLong(3))
    );
    let h = parse_header(&[0x75, 0x82, 0x9F, 0xF0, 0xAA]).unwrap();
    assert_eq!(
        (h.tag, h.header_len, h.length),
        (0x75, 4, Length::Definite(0x9FF0))
    );
    assert_eq!(h.total_len(), Some(0x9FF4));
    let h = parse_header(&[0x7F, 0x61, 0x81, 0x80]).unwrap();
    assert_eq!((h.tag, h.tag_len, h.header_len), (0x7F61, 2, 4));
    assert_eq!(
        (h.class, h.number, h.value_len()),
        (Class::Application, 0x61, Some(0x80))
    );
    // The indefinite form on a constructed object is a header whose length is unknown.
    let h = parse_header(&[0x75, 0x80]).unwrap();
    assert_eq!((h.length, h.total_len()), (Length::Indefinite, None));
}

#[test]
fn error_messages_name_what_was_wrong() {
    let msg = |bytes: &[u8]| Tlv::parse(bytes).unwrap_err().to_string();
    assert!(msg(&[0x61, 0x05, 1, 2]).contains("tag 61: length 5 but only 2 bytes follow"));
    assert!(msg(&[0x7F]).contains("truncated header"));
    assert!(msg(&[0x00, 0x00]).contains("tag byte 00"));
    assert!(msg(&[0x7F, 0x81, 0x81, 0x01, 0x00]).contains("tag longer than 3 bytes"));
    assert!(msg(&[0x75, 0x85, 0, 0, 0, 0, 1]).contains("length field longer than 4 bytes"));
    assert!(msg(&[0x5F, 0x2E, 0x80, 0, 0]).contains("5F2E: indefinite length on a primitive"));
    assert!(
        msg(&[0x7F, 0x61, 0x80, 0x02, 0x01, 0x01])
            .contains("7F61: indefinite length without end-of-contents")
    );
}

#[test]
fn over_long_lengths_are_errors() {
    assert!(Tlv::parse(&[0x61, 0x05, 1, 2]).is_err());
    assert!(Tlv::parse(&[0x61, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]).is_err());
    assert!(Tlv::parse_exact(&[0x61, 0x01, 1, 2]).is_err());
}

/// A DG3 skeleton with indefinite lengths on its constructed templates, as some real documents
/// encode it.
const DG3_INDEFINITE: &str = concat!(
    "6380",       // DG3, indefinite
    "7F6180",     // biometric information group template, indefinite
    "020101",     // one instance
    "7F6080",     // biometric information template, indefinite
    "A103810108", // header: type finger
    "5F2E02AABB", // data block
    "0000",       // end of 7F60
    "0000",       // end of 7F61
    "0000",       // end of 63
);

#[test]
fn constructed_objects_may_use_the_indefinite_form() {
    let file = hex::decode(format!("{DG3_INDEFINITE}FFFF")).unwrap();
    let (dg3, rest) = Tlv::parse(&file).unwrap();
    assert_eq!(rest, [0xFF, 0xFF]);
    assert!(dg3.indefinite && dg3.is_constructed());
    assert_eq!(dg3.tag, 0x63);
    assert_eq!(dg3.header(), [0x63, 0x80]);
    // raw is the exact bytes, end-of-contents included; value is the contents without them.
    assert_eq!(dg3.raw, &file[..file.len() - 2]);
    assert_eq!(dg3.value, &file[2..file.len() - 4]);
    let group = dg3.require(0x7F61).unwrap();
    assert!(group.indefinite);
    assert_eq!(group.require(0x02).unwrap().value, [1]);
    let bit = group.require(0x7F60).unwrap();
    assert!(bit.indefinite);
    assert_eq!(bit.require(0xA1).unwrap().require(0x81).unwrap().value, [8]);
    assert_eq!(bit.require(0x5F2E).unwrap().value, [0xAA, 0xBB]);
    assert_eq!(bit.header(), [0x7F, 0x60, 0x80]);
    // Without its end-of-contents octets the object is incomplete, not misread.
    assert!(Tlv::parse(&file[..file.len() - 4]).is_err());
}

#[test]
fn both_views_read_the_same_tag_length_and_raw() {
    let samples = [
        DG3_INDEFINITE.into(),
        "60145F0104303130365F36063034303030305C026175".into(),
        "3080020105248004026162040163000000".to_owned() + "00",
        "7F21820000".into(),
        "5F1F820003414243".into(),
        "A0030201029000".into(),
    ];
    for sample in samples {
        let bytes = hex::decode(&sample).unwrap();
        let (t, t_rest) = Tlv::parse(&bytes).unwrap();
        let (o, o_rest) = crate::asn1::parse(&bytes).unwrap();
        assert_eq!(t.raw, o.raw, "{sample}");
        assert_eq!(t.value, o.value, "{sample}");
        assert_eq!(t_rest, o_rest, "{sample}");
        assert_eq!(t.indefinite, o.indefinite, "{sample}");
        assert_eq!(t.is_constructed(), o.constructed, "{sample}");
        let h = parse_header(&bytes).unwrap();
        assert_eq!(
            (h.tag, h.number, h.class),
            (t.tag, o.tag, o.class),
            "{sample}"
        );
        assert_eq!(h.header_len, t.header().len(), "{sample}");
    }
}

#[test]
fn nesting_deeper_than_the_bound_is_an_error() {
    let nest = |levels: usize| -> Vec<u8> {
        let mut v: Vec<u8> = std::iter::repeat_n([0x7F, 0x61, 0x80], levels)
            .flatten()
            .collect();
        v.extend(std::iter::repeat_n(0u8, 2 * levels));
        v
    };
    // MAX_DEPTH levels inside the outermost object are fine...
    let ok = nest(MAX_DEPTH + 1);
    let (t, rest) = Tlv::parse(&ok).unwrap();
    assert!(rest.is_empty() && t.raw.len() == ok.len());
    // ...one more is an error, and so are 100,000 (not a stack overflow).
    for levels in [MAX_DEPTH + 2, 100_000] {
        let deep = nest(levels);
        let err = Tlv::parse(&deep).unwrap_err().to_string();
        assert!(err.contains("nesting deeper than 64 levels"), "{err}");
        assert_eq!(read_object(&deep, Rules::X690), Err(HeaderError::TooDeep));
        assert!(crate::asn1::parse(&deep).is_err());
    }
}

#[test]
fn encodes_lengths_and_tags() {
    assert_eq!(encode(0x5C, &[0x61]), [0x5C, 0x01, 0x61]);
    assert_eq!(
        encode(0x5F1F, &[0x41; 3]),
        [0x5F, 0x1F, 3, 0x41, 0x41, 0x41]
    );
    assert_eq!(encode(0x61, &[0; 200])[..3], [0x61, 0x81, 200]);
    assert_eq!(encode(0x75, &[0; 300])[..4], [0x75, 0x82, 0x01, 0x2C]);
    assert_eq!(encode_len(0x12345), [0x83, 0x01, 0x23, 0x45]);
    assert_eq!(encode_len(0xFFFF_FFFF), [0x84, 0xFF, 0xFF, 0xFF, 0xFF]);
    assert_eq!(tag_bytes(0x7F8122), [0x7F, 0x81, 0x22]);
    assert_eq!(tag_bytes(0x30), [0x30]);
}

#[test]
fn encoder_round_trips_through_the_reader() {
    let lengths = [0usize, 1, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x1_0000];
    let expected_len_octets: [&[u8]; 8] = [
        &[0x00],
        &[0x01],
        &[0x7F],
        &[0x81, 0x80],
        &[0x81, 0xFF],
        &[0x82, 0x01, 0x00],
        &[0x82, 0xFF, 0xFF],
        &[0x83, 0x01, 0x00, 0x00],
    ];
    for tag in [0x04u32, 0x30, 0x5F2E, 0x7F61, 0x5F8101, 0x7F8122] {
        for (len, len_octets) in lengths.into_iter().zip(expected_len_octets) {
            let value: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let enc = encode(tag, &value);
            let tb = tag_bytes(tag);
            assert_eq!(&enc[..tb.len()], tb.as_slice());
            assert_eq!(&enc[tb.len()..tb.len() + len_octets.len()], len_octets);
            let t = Tlv::parse_exact(&enc).unwrap();
            assert_eq!((t.tag, t.value, t.raw.len()), (tag, &value[..], enc.len()));
            let o = crate::asn1::parse_exact(&enc).unwrap();
            assert_eq!((o.raw, o.value), (&enc[..], &value[..]));
            let mut again = Vec::new();
            write(&mut again, tag, &value);
            assert_eq!(again, enc);
        }
    }
}

/// The encoder writes what `iso7816-tlv` writes, except for a value of exactly 127 octets, for
/// which that crate (0.4) writes the non-minimal length `81 7F`: dactyl writes `7F`, as DER
/// (X.690 clause 10.1) requires and as it writes every other length.
#[test]
fn the_encoder_agrees_with_iso7816_tlv_but_for_its_127_octet_lengths() {
    use iso7816_tlv::ber::{Tag, Tlv as BerTlv, Value};
    for tag in [0x80u32, 0x5F2E, 0x5F8101, 0x9F1F] {
        for len in [0usize, 1, 0x7E, 0x7F, 0x80, 0xFF, 0x100, 0x1_0000] {
            let value = vec![0x5A; len];
            let theirs = BerTlv::new(Tag::try_from(tag).unwrap(), Value::Primitive(value.clone()))
                .unwrap()
                .to_vec();
            let ours = encode(tag, &value);
            let t = tag_bytes(tag).len();
            if len == 0x7F {
                assert_eq!(theirs[t..t + 2], [0x81, 0x7F]);
                assert_eq!(ours[t], 0x7F);
                assert_eq!(ours[t + 1..], theirs[t + 2..]);
            } else {
                assert_eq!(ours, theirs, "{tag:X} {len}");
            }
        }
    }
}

#[test]
fn tags_are_checked() {
    for good in [0x04, 0x30, 0x5F1F, 0x7F61, 0x7F8122, 0x9F1F] {
        assert!(encode::is_valid_tag(good), "{good:X}");
    }
    // 1F alone, a second octet announcing a third that is missing, four octets, a two-octet tag
    // whose first octet does not announce a second, zero.
    for bad in [0x1F, 0x7F81, 0x7F818101, 0x5C61, 0] {
        assert!(!encode::is_valid_tag(bad), "{bad:X}");
    }
}
