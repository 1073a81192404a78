//! The two views of BER-TLV — ISO/IEC 7816-4 (`tlv::Tlv`, LDS and secure messaging) and X.690
//! (`asn1`, PKI) — read through one header reader: on real EF.SOD files (some with indefinite
//! lengths) every object, down to the leaves, has the same bytes, value and length form in both.

use dactyl::asn1;
use dactyl::tlv::{self, Tlv};
use std::path::Path;

const COUNTRIES: [&str; 7] = ["AT", "AU", "DE", "FR", "NZ", "UK", "US"];

fn sod(country: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pki/real_sod")
        .join(format!("{country}_EF_SOD.bin"));
    std::fs::read(path).unwrap()
}

#[derive(Default)]
struct Count {
    objects: usize,
    indefinite: usize,
}

/// Walks the objects of `bytes` in both views side by side, comparing each.
fn walk_both(bytes: &[u8], count: &mut Count) {
    let mut iso = tlv::Children::of(bytes);
    let mut x690 = asn1::Reader::new(bytes);
    loop {
        let (t, o) = match (iso.next(), x690.next().unwrap()) {
            (None, None) => return,
            (Some(t), Some(o)) => (t.unwrap(), o),
            (t, o) => panic!("the views disagree on the number of objects: {t:?} {o:?}"),
        };
        assert_eq!(t.raw, o.raw);
        assert_eq!(t.value, o.value);
        assert_eq!(t.indefinite, o.indefinite);
        assert_eq!(t.is_constructed(), o.constructed);
        let h = tlv::parse_header(t.raw).unwrap();
        assert_eq!((h.tag, h.number, h.class), (t.tag, o.tag, o.class));
        count.objects += 1;
        count.indefinite += usize::from(t.indefinite);
        if o.constructed {
            walk_both(o.value, count);
        }
    }
}

#[test]
fn both_views_read_every_object_of_real_sods_alike() {
    for country in COUNTRIES {
        let file = sod(country);
        let outer = Tlv::parse_tagged(&file, 0x77).unwrap();
        let mut count = Count::default();
        walk_both(outer.value, &mut count);
        assert!(count.objects > 30, "{country}: {} objects", count.objects);
        // New Zealand's SOD carries its CMS structure with indefinite lengths.
        assert_eq!(count.indefinite > 0, country == "NZ", "{country}");
    }
}

#[test]
fn the_lds_view_reads_indefinite_lengths_in_a_real_sod() {
    let file = sod("NZ");
    let outer = Tlv::parse_exact(&file).unwrap();
    let content_info = Tlv::parse_exact(outer.value).unwrap();
    assert_eq!(content_info.tag, 0x30);
    assert!(content_info.indefinite);
    assert_eq!(content_info.header(), [0x30, 0x80]);
    assert_eq!(content_info.raw, outer.value);
    assert!(content_info.raw.ends_with(&[0, 0]));
    // The contents: the signedData OID, then [0] EXPLICIT SignedData.
    let kids: Vec<Tlv> = content_info.children().map(Result::unwrap).collect();
    assert_eq!(kids.len(), 2);
    assert_eq!(kids[0].tag, 0x06);
    assert_eq!(kids[1].tag, 0xA0);
    // DER re-encoding gives the same content with definite lengths, read alike by both views.
    let der = asn1::to_der(outer.value).unwrap();
    let t = Tlv::parse_exact(&der).unwrap();
    assert!(!t.indefinite);
    assert_eq!(asn1::parse_exact(&der).unwrap().raw, t.raw);
    assert_ne!(der, outer.value);
}
