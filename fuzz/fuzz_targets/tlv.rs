//! BER-TLV parsing through the one header reader both views share: headers under both rule
//! sets, objects (definite and indefinite lengths, nesting up to the depth bound) in the
//! ISO/IEC 7816-4 view (`Tlv`) and the X.690 view (`asn1`), which must agree on every object
//! both accept, a recursive walk of every value as children to depth 8, and re-encoding of what
//! parses with the shared encoder.
#![no_main]

use dactyl::asn1;
use dactyl::tlv::header::{Rules, read_header, read_object};
use dactyl::tlv::{self, Children, Length, Tlv, parse_header};
use libfuzzer_sys::fuzz_target;

fn walk(bytes: &[u8], depth: usize) {
    for child in Children::of(bytes) {
        let Ok(child) = child else { break };
        let _ = child.is_constructed();
        assert!(child.raw.starts_with(child.header()));
        if depth < 8 {
            walk(child.value, depth + 1);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = parse_header(data) {
        assert!(h.header_len <= data.len());
        assert_eq!(Ok(h), read_header(data, Rules::X690));
    }
    for rules in [Rules::Iso7816, Rules::X690] {
        if let Ok(span) = read_object(data, rules) {
            assert!(span.header.header_len <= span.value_end && span.value_end <= span.end);
            assert!(span.end <= data.len());
            let eoc = if span.header.length == Length::Indefinite {
                2
            } else {
                0
            };
            assert_eq!(span.end - span.value_end, eoc);
        }
    }
    let tlv = Tlv::parse(data);
    if let Ok((t, rest)) = tlv {
        assert_eq!(t.raw.len() + rest.len(), data.len());
        assert!(t.raw.ends_with(t.value) || t.indefinite);
        let _ = t.require(0x5F1F);
        // Re-encoded with a definite length, the object reads back with the same tag and value.
        let again = tlv::encode(t.tag, t.value);
        let back = Tlv::parse_exact(&again).expect("re-encoded object");
        assert_eq!((back.tag, back.value), (t.tag, t.value));
    }
    let x690 = asn1::parse(data);
    if let (Ok((t, t_rest)), Ok((o, o_rest))) = (tlv, x690) {
        assert_eq!(
            (t.raw, t.value, t.indefinite),
            (o.raw, o.value, o.indefinite)
        );
        assert_eq!(t_rest, o_rest);
    }
    let _ = asn1::to_der(data);
    let _ = Tlv::parse_exact(data);
    walk(data, 0);
});
