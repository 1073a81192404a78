//! BSI TR-03105 Part 3.2 v1.5.1 against dactyl's virtual chip, layer 7: unit LDS_F (EF.CVCA)
//! and unit LDS_G (DG3's general header: BIGT, BIT, BHT with the CBEFF format owner, format
//! type and biometric subtype, BDB), on the files as the chip serves them: EF.CVCA after Open
//! ePassport Application, DG3 after Terminal Authentication with certificate set 1.
//!
//! Not reproducible here: none of the two units' cases is left out.

#[path = "common/cv_sets.rs"]
mod cv_sets;

use cv_sets::*;
use dactyl::apdu::sw;
use dactyl::lds::files::EfId;
use dactyl::tlv::Tlv;

/// LDS_F_1: EF.CVCA is 36 bytes holding one or two CARs (tag 42, at most 16 bytes), the most
/// recent first, zero-padded; with one trust point and with two.
#[test]
fn lds_f_1_ef_cvca_content() {
    let new = cvca();
    // The previous CVCA key, a second trust point (self-signed, as stored).
    let old_key = key();
    let cvca_chat = chat(dactyl::access::cvc::Role::Cvca, true, true);
    let old = cert_for(
        "DETESTCVCA00000",
        "DETESTCVCA00000",
        cvca_chat,
        (eff(0, -30), eff(6, 0)),
        &old_key,
        &old_key,
    );
    for (trust_points, cars) in [
        (vec![&new.cert], vec![CVCA_CHR]),
        (vec![&new.cert, &old], vec![CVCA_CHR, "DETESTCVCA00000"]),
    ] {
        for open in BOTH {
            let mut t = Terminal::new(chip(&trust_points, CVCA_EFF, false), open);
            let content = t.ef_cvca();
            assert_eq!(ef_cvca_cars(&content), cars, "LDS_F_1 ({open:?})");
        }
    }
}

/// One Biometric Information Template of DG3, as LDS_G_5 to G_11 examine it.
fn check_bit(bit: &Tlv<'_>, first: bool, n: usize) {
    let ctx = |case: &str| format!("{case} (BIT {n})");
    // LDS_G_5: tag 7F60, its length covers exactly its value.
    assert_eq!(bit.tag, 0x7F60, "{}", ctx("LDS_G_5"));
    let mut parts = bit.children();
    // LDS_G_6: the BHT (A1) comes first.
    let bht = parts.next().unwrap().unwrap();
    assert_eq!(bht.tag, 0xA1, "{}", ctx("LDS_G_6"));
    let field = |tag: u32| {
        bht.children()
            .map(|c| c.unwrap())
            .find(|c| c.tag == tag)
            .map(|c| c.value.to_vec())
    };
    // LDS_G_7: format owner 87, two bytes, 0101 for the first BIT.
    let owner = field(0x87).expect("LDS_G_7: format owner (87)");
    assert_eq!(owner.len(), 2, "{}", ctx("LDS_G_7"));
    if first {
        assert_eq!(owner, [0x01, 0x01], "{}", ctx("LDS_G_7"));
    }
    // LDS_G_8: format type 88, two bytes, 0007 for the first BIT.
    let format = field(0x88).expect("LDS_G_8: format type (88)");
    assert_eq!(format.len(), 2, "{}", ctx("LDS_G_8"));
    if first {
        assert_eq!(format, [0x00, 0x07], "{}", ctx("LDS_G_8"));
    }
    // LDS_G_9: biometric subtype 82, one byte (ISO/IEC 19785-3: bits 1-2 side, 3-5 finger).
    let subtype = field(0x82).expect("LDS_G_9: biometric subtype (82)");
    assert_eq!(subtype.len(), 1, "{}", ctx("LDS_G_9"));
    assert!(
        subtype[0] & 0xE0 == 0,
        "{}: subtype {:02X}",
        ctx("LDS_G_9"),
        subtype[0]
    );
    // LDS_G_10: the BDB (5F2E or 7F2E) follows and ends the BIT.
    let bdb = parts.next().unwrap().unwrap();
    assert!(matches!(bdb.tag, 0x5F2E | 0x7F2E), "{}", ctx("LDS_G_10"));
    assert!(
        parts.next().is_none(),
        "{}: data after the BDB",
        ctx("LDS_G_10")
    );
    // LDS_G_11: the BDB is an ISO/IEC 19794-4 finger image record.
    assert_eq!(
        bdb.value.get(..4),
        Some(&b"FIR\0"[..]),
        "{}",
        ctx("LDS_G_11")
    );
}

/// LDS_G_1 to G_11: DG3 read after Terminal Authentication.
#[test]
fn lds_g_1_to_11_dg3_header() {
    let cvca = cvca();
    let (dv1, is1) = set1(&cvca);
    for open in BOTH {
        let mut t = Terminal::new(chip(&[&cvca.cert], CVCA_EFF, false), open);
        let s = t.terminal_authentication(&[&dv1.cert, &is1.cert], &is1.key);
        assert_eq!(s, sw::OK);
        let dg3 = t.session.read_file(EfId::Dg(3), &mut |_, _| {}).unwrap();
        // LDS_G_1: template tag 63.
        assert_eq!(dg3.first(), Some(&0x63), "LDS_G_1");
        // LDS_G_2: a valid length that covers exactly the rest of the file.
        let outer = Tlv::parse_exact(&dg3).expect("LDS_G_2");
        // LDS_G_3: the BIGT (7F61) is all of it.
        let bigt = Tlv::parse_exact(outer.value).expect("LDS_G_3");
        assert_eq!(bigt.tag, 0x7F61, "LDS_G_3");
        let mut items = bigt.children();
        // LDS_G_4: the number of instances (02) counts the BITs.
        let count = items.next().unwrap().unwrap();
        assert_eq!(count.tag, 0x02, "LDS_G_4");
        let bits: Vec<_> = items.map(|b| b.expect("LDS_G_5")).collect();
        let n = count
            .value
            .iter()
            .fold(0usize, |a, &b| (a << 8) | usize::from(b));
        assert_eq!(n, bits.len(), "LDS_G_4");
        assert!(n > 0, "the fixture's DG3 holds fingerprints");
        for (i, bit) in bits.iter().enumerate() {
            check_bit(bit, i == 0, i + 1);
        }
    }
}
