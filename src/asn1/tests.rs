//! Tests of `asn1`.
use super::*;

#[test]
fn reads_definite_and_indefinite_lengths() {
    // SEQUENCE (indefinite) { INTEGER 5, OCTET STRING (constructed, indefinite) { "ab", "c" } }
    let ber = hex::decode("3080020105248004026162040163000000".to_owned() + "00").unwrap();
    let (seq, rest) = parse(&ber).unwrap();
    assert!(rest.is_empty());
    assert!(seq.indefinite);
    let kids = seq.children().unwrap();
    assert_eq!(kids[0].small_uint().unwrap(), 5);
    assert_eq!(&*kids[1].octet_string().unwrap(), b"abc");
    assert_eq!(
        hex::encode_upper(to_der(&ber).unwrap()),
        "30080201050403616263"
    );
}

#[test]
fn rejects_hostile_encodings() {
    for bad in [
        "3080",
        "30800201",
        "0485FFFFFFFFFF",
        "3005020105",
        "1F",
        "0280",
    ] {
        assert!(parse(&hex::decode(bad).unwrap()).is_err(), "{bad}");
    }
    // 10,000 nested indefinite SEQUENCEs: an error, not a stack overflow.
    let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 10_000)
        .flatten()
        .collect();
    assert!(parse(&deep).is_err());
}

#[test]
fn times_parse_and_print() {
    let t = Time::parse_utc("260528082845Z").unwrap();
    assert_eq!(t.to_iso(), "2026-05-28T08:28:45Z");
    assert_eq!(
        Time::parse_utc("491231235959Z").unwrap().to_iso(),
        "2049-12-31T23:59:59Z"
    );
    assert_eq!(
        Time::parse_utc("500101000000Z").unwrap().to_iso(),
        "1950-01-01T00:00:00Z"
    );
    assert_eq!(
        Time::parse_generalized("20500101000000Z").unwrap().to_der()[0],
        0x18
    );
    assert_eq!(t.to_der(), encode(0x17, b"260528082845Z"));
    assert_eq!(
        Time::parse_utc("2605280828Z").unwrap().to_iso(),
        "2026-05-28T08:28:00Z"
    );
    assert!(Time::parse_utc("261328082845Z").is_err());
    assert!(Time::parse_utc("260528082845+0100").is_err());
}

#[test]
fn oids_and_integers() {
    let oid = parse_exact(&hex::decode("06062A864886F70D").unwrap())
        .unwrap()
        .oid()
        .unwrap();
    assert_eq!(oid.to_string(), "1.2.840.113549");
    assert_eq!(encode_oid(&oid), hex::decode("06062A864886F70D").unwrap());
    assert_eq!(encode_uint(&[0x80]), [0x02, 0x02, 0x00, 0x80]);
    assert_eq!(encode_uint(&[0, 0, 1]), [0x02, 0x01, 0x01]);
    let i = parse_exact(&[0x02, 0x02, 0x00, 0x80]).unwrap();
    assert_eq!(i.unsigned_bytes().unwrap(), [0x80]);
}
