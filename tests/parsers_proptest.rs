//! Property tests for the parsers that read untrusted bytes (APDUs, BER-TLV, DG1, EF.COM, EF.CVCA, MRZ):
//! arbitrary input never panics, valid objects survive an encode/parse round trip, and the
//! ISO/IEC 7816-4 and X.690 views of BER-TLV read the same objects alike.

use dactyl::apdu::{Command, Response};
use dactyl::asn1;
use dactyl::lds::com::Com;
use dactyl::lds::dg1::Dg1;
use dactyl::lds::mrz::{Mrz, check_digit};
use dactyl::tlv::{self, Children, Tlv};
use proptest::prelude::*;

/// Walks every object and, whatever its constructed bit says, its value as children, to depth 8.
fn walk(bytes: &[u8], depth: usize) -> usize {
    let mut seen = 0;
    for child in Children::of(bytes) {
        let Ok(child) = child else { break };
        seen += 1;
        let _ = child.is_constructed();
        if depth < 8 {
            seen += walk(child.value, depth + 1);
        }
    }
    seen
}

/// A TLV-ish prefix, so random bytes reach the parsers' inner layers more often.
fn wrapped(tag: u32, inner: &[u8]) -> Vec<u8> {
    tlv::encode(tag, inner)
}

fn cd(field: &str) -> char {
    char::from(b'0' + check_digit(field).expect("MRZ alphabet"))
}

prop_compose! {
    /// A TD3 MRZ with random fields and correct check digits.
    fn td3_lines()(
        code in "P[A-Z<]",
        state in "[A-Z]{1,3}",
        name in "[A-Z<]{39}",
        number in "[A-Z0-9<]{9}",
        nationality in "[A-Z]{1,3}",
        dob in "[0-9]{6}",
        sex in "[MFX<]",
        doe in "[0-9]{6}",
        personal in "[A-Z0-9<]{14}",
    ) -> [String; 2] {
        let pad = |s: &str| format!("{s:<<3}");
        let line1 = format!("{code}{}{name}", pad(&state));
        let upper = format!("{number}{}", cd(&number));
        let dob = format!("{dob}{}", cd(&dob));
        let doe = format!("{doe}{}", cd(&doe));
        let personal = format!("{personal}{}", cd(&personal));
        let composite = cd(&format!("{upper}{dob}{doe}{personal}"));
        let line2 = format!("{upper}{}{dob}{sex}{doe}{personal}{composite}", pad(&nationality));
        [line1, line2]
    }
}

proptest! {
    #[test]
    fn command_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(cmd) = Command::parse(&bytes) {
            // What parses must encode again (possibly in a different but equivalent form).
            prop_assert!(cmd.to_bytes().is_ok());
        }
    }

    #[test]
    fn response_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(r) = Response::parse(&bytes) {
            prop_assert_eq!(r.to_bytes(), bytes);
        }
    }

    #[test]
    fn command_round_trips(
        header in any::<[u8; 4]>(),
        data in proptest::collection::vec(any::<u8>(), 0..=300),
        le in proptest::option::of(1usize..=65536),
    ) {
        let mut cmd = Command::new(header[0], header[1], header[2], header[3]).with_data(data);
        cmd.le = le;
        let bytes = cmd.to_bytes().unwrap();
        prop_assert_eq!(Command::parse(&bytes).unwrap(), cmd);
    }

    #[test]
    fn tlv_parse_and_walk_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok((t, rest)) = Tlv::parse(&bytes) {
            prop_assert_eq!(t.raw.len() + rest.len(), bytes.len());
            prop_assert!(t.raw.ends_with(t.value));
            let _ = t.children().count();
            let _ = t.child(0x5F1F);
        }
        let _ = Tlv::parse_exact(&bytes);
        walk(&bytes, 0);
    }

    #[test]
    fn nested_tlv_walk_never_panics(inner in proptest::collection::vec(any::<u8>(), 0..200)) {
        let bytes = wrapped(0x7F61, &wrapped(0x7F60, &inner));
        prop_assert!(walk(&bytes, 0) >= 2);
    }

    #[test]
    fn encoded_objects_read_back_alike_in_both_views(
        tag in prop::sample::select(vec![0x04u32, 0x30, 0x53, 0x5F2E, 0x7F61, 0x7F8122]),
        len in prop_oneof![0usize..300, 0xFF00usize..0x10100],
    ) {
        let value = vec![0xA5; len];
        let enc = tlv::encode(tag, &value);
        let t = Tlv::parse_exact(&enc).unwrap();
        prop_assert_eq!((t.tag, t.value), (tag, &value[..]));
        let o = asn1::parse_exact(&enc).unwrap();
        prop_assert_eq!((o.raw, o.value), (&enc[..], &value[..]));
        // Minimal lengths: one octet below 128, else 80+n with no leading zero octet.
        let len_octets = &t.header()[tlv::tag_bytes(tag).len()..];
        prop_assert_eq!(len_octets, &tlv::encode_len(len)[..]);
        prop_assert!(len < 0x80 || len_octets.get(1) != Some(&0));
    }

    #[test]
    fn indefinite_wrappers_read_alike_in_both_views(
        children in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..5),
        depth in 1usize..6,
        tail in proptest::collection::vec(any::<u8>(), 0..4),
    ) {
        let mut inner: Vec<u8> = children.iter().flat_map(|c| tlv::encode(0x04, c)).collect();
        for _ in 0..depth {
            inner = [&[0x30, 0x80][..], &inner, &[0, 0]].concat();
        }
        let bytes = [&inner[..], &tail].concat();
        let (t, t_rest) = Tlv::parse(&bytes).unwrap();
        let (o, o_rest) = asn1::parse(&bytes).unwrap();
        prop_assert_eq!(t.raw, &inner[..]);
        prop_assert_eq!((t.raw, t.value, t.indefinite), (o.raw, o.value, o.indefinite));
        prop_assert_eq!(t_rest, &tail[..]);
        prop_assert_eq!(o_rest, &tail[..]);
        // Cut anywhere before its end-of-contents octets, the object is an error, not a misread.
        for cut in 0..inner.len() {
            prop_assert!(Tlv::parse(&inner[..cut]).is_err());
        }
    }

    #[test]
    fn parse_header_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
        if let Ok(h) = tlv::parse_header(&bytes) {
            prop_assert!(h.header_len <= bytes.len());
        }
    }

    #[test]
    fn dg1_and_com_parse_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Dg1::parse(&bytes);
        let _ = Com::parse(&bytes);
        let _ = Dg1::parse(&wrapped(0x61, &wrapped(0x5F1F, &bytes)));
        let _ = Com::parse(&wrapped(0x60, &bytes));
    }

    #[test]
    fn dg1_with_mrz_alphabet_never_panics(text in "[0-9A-Z<]{88}|[0-9A-Z<]{90}|[0-9A-Z<]{72}") {
        let dg1 = Dg1::parse(&wrapped(0x61, &wrapped(0x5F1F, text.as_bytes()))).unwrap();
        prop_assert_eq!(dg1.mrz.lines.concat(), text);
    }

    #[test]
    fn mrz_parse_never_panics(text in any::<String>()) {
        let _ = Mrz::parse(&text);
        let _ = Mrz::parse_verified(&text);
    }

    #[test]
    fn mrz_shaped_text_parses(
        text in "[0-9A-Z<]{30}\n[0-9A-Z<]{30}\n[0-9A-Z<]{30}|[0-9A-Z<]{36}\r\n[0-9A-Z<]{36}|[0-9A-Z<]{44}\n[0-9A-Z<]{44}"
    ) {
        let mrz = Mrz::parse(&text).unwrap();
        prop_assert_eq!(mrz.to_text(), text.replace('\r', ""));
        prop_assert_eq!(Mrz::parse(&mrz.to_text()).unwrap(), mrz.clone());
        let _ = mrz.key_info().map(|k| k.key_seed_string());
    }

    #[test]
    fn mrz_with_noise_never_panics(text in "[0-9A-Za-z< \n\r\u{e9}\u{663}]{0,100}") {
        let _ = Mrz::parse(&text);
    }

    #[test]
    fn dg1_round_trips_a_valid_td3(lines in td3_lines()) {
        let mrz = Mrz::from_lines(&[&lines[0], &lines[1]]).unwrap();
        prop_assert!(mrz.all_checks_pass(), "{:?}", mrz.checks);
        let bytes = Dg1::encode(&mrz);
        let back = Dg1::parse(&bytes).unwrap();
        prop_assert_eq!(&back.mrz, &mrz);
        prop_assert_eq!(Dg1::encode(&back.mrz), bytes);
    }

    #[test]
    fn ef_cvca_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        let _ = dactyl::access::ta::parse_ef_cvca(&bytes);
    }

    #[test]
    fn ef_cvca_round_trips_one_or_two_cars(cars in proptest::collection::vec("[A-Z0-9]{1,16}", 1..3)) {
        let mut bytes: Vec<u8> = cars.iter().flat_map(|c| tlv::encode(0x42, c.as_bytes())).collect();
        bytes.resize(bytes.len().max(36), 0);
        prop_assert_eq!(dactyl::access::ta::parse_ef_cvca(&bytes).unwrap(), cars);
    }
}
