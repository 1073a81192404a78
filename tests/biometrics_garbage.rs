//! Garbage in, errors out, no panics: truncated and garbled real biometric files, and random
//! input to every biometric parser (ISO/IEC 19794-2/-4, CBEFF, DG3, compact card formats);
//! random minutiae survive the card formats.

#[path = "common/biometric_files.rs"]
mod biometric_files;

use biometric_files::*;
#[path = "common/card_round_trip.rs"]
mod card_round_trip;

use card_round_trip::assert_round_trip;
use dactyl::biometrics::FingerPosition;
use dactyl::biometrics::compact::{
    self, AlgorithmParameters, CardFormat, CardOptions, MinutiaOrder,
};
use dactyl::biometrics::finger_image::{FingerImage, FingerImageRecord};
use dactyl::biometrics::minutiae::{FingerMinutiae, Minutia, MinutiaType, MinutiaeRecord};
use dactyl::lds::biometric_group::{BiometricData, BiometricGroup};
use dactyl::lds::dg3::Dg3;
use dactyl::lds::inspect::{describe, finger_images};
use proptest::prelude::*;
#[test]
fn truncated_and_garbled_real_files_are_errors() {
    let dg3 = fixture(BSI_DG3);
    for n in (0..dg3.len()).step_by(97).chain([dg3.len() - 1]) {
        assert!(Dg3::parse(&dg3[..n]).is_err(), "{n}");
    }
    // A 5F2E that is not a finger image record: DG3 fails, the group still reads.
    let g = BiometricGroup::parse(&dg3).unwrap();
    let mut broken = g.clone();
    broken.records[0].data = BiometricData::Plain(b"FIR\x00010\0garbage".to_vec());
    let bytes = broken.encode();
    assert!(Dg3::parse(&bytes).is_err());
    let d = describe(&bytes).unwrap();
    assert!(
        d.warnings.iter().any(|w| w.contains("not readable")),
        "{:?}",
        d.warnings
    );
    let mut enciphered = g;
    enciphered.records[1].data = BiometricData::Enciphered(vec![1, 2, 3]);
    assert!(Dg3::parse(&enciphered.encode()).is_err());
    let c2 = fixture(NIST_C2);
    for n in 0..c2.len() {
        assert!(MinutiaeRecord::parse(&c2[..n]).is_err(), "{n}");
    }
}

/// Runs every parser on `bytes`; none may panic.
fn parse_everything(bytes: &[u8]) {
    let _ = FingerImage::parse(bytes);
    let _ = FingerImageRecord::parse(bytes);
    let _ = MinutiaeRecord::parse(bytes).map(|r| r.encode());
    let _ = BiometricGroup::parse(bytes).map(|g| g.encode());
    let _ = Dg3::parse(bytes).map(|d| d.encode());
    let _ = compact::decode(CardFormat::Compact, bytes);
    let _ = compact::decode(CardFormat::Normal, bytes);
    let _ = AlgorithmParameters::parse(bytes);
    let _ = describe(bytes).map(|d| d.to_text());
    let _ = finger_images(bytes);
}

fn prefixed(prefix: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..400).prop_map(move |tail| {
        let mut v = prefix.to_vec();
        v.extend(tail);
        v
    })
}

fn minutia() -> impl Strategy<Value = Minutia> {
    (0u8..3, 0u16..0x3FFF, 0u16..0x3FFF, any::<u8>(), 0u8..=100)
        .prop_map(|(t, x, y, a, q)| Minutia::new(MinutiaType::from_bits(t), x, y, a, q))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        parse_everything(&bytes);
    }

    #[test]
    fn record_shaped_bytes_never_panic(
        bytes in prop_oneof![
            prefixed(b"FMR\0 20\0"),
            prefixed(b"FMR\x00030\0"),
            prefixed(b"FIR\x00010\0"),
            prefixed(b"FIR\x00020\0"),
            prefixed(&[0x63, 0x81, 0x80, 0x7F, 0x61, 0x7D, 0x02, 0x01, 0x01, 0x7F, 0x60]),
            prefixed(&[0x7F, 0x61, 0x40, 0x02, 0x01, 0x02, 0x7F, 0x60, 0x1C, 0xA1]),
        ]
    ) {
        parse_everything(&bytes);
    }

    #[test]
    fn mutated_real_files_never_panic(
        which in 0usize..4,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
    ) {
        let path = [format!("{FPIO_2011}.dat"), NIST_C2.to_string(),
                    "biometrics/NIST_MINEXII_BIT.dat".into(), format!("{FPIO_2005}.dat")];
        let mut bytes = fixture(&path[which]);
        for (at, b) in edits {
            let i = at % bytes.len();
            bytes[i] = b;
        }
        bytes.truncate(cut % (bytes.len() + 1));
        parse_everything(&bytes);
    }

    #[test]
    fn small_dg3_mutations_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
    ) {
        let dg3 = Dg3::parse(&fixture(BSI_DG3)).unwrap();
        let mut small = dg3.clone();
        for image in &mut small.images {
            if let FingerImage::Iso2005(r) = image {
                r.views[0].image.truncate(8);
            }
        }
        let mut bytes = small.encode().unwrap();
        prop_assert_eq!(Dg3::parse(&bytes).unwrap().encode().unwrap(), bytes.clone());
        for (at, b) in edits {
            let i = at % bytes.len();
            bytes[i] = b;
        }
        parse_everything(&bytes);
    }

    #[test]
    fn record_to_card_and_back_stays_within_quantisation(
        minutiae in proptest::collection::vec(minutia(), 0..80),
        res in 50u16..1200,
    ) {
        // Keep most minutiae inside the compact range (25.5 mm), some outside.
        let scaled: Vec<Minutia> = minutiae
            .into_iter()
            .map(|mut m| {
                m.x %= (u32::from(res) * 3 / 10) as u16 + 1;
                m.y %= (u32::from(res) * 3 / 10) as u16 + 1;
                m
            })
            .collect();
        let view = FingerMinutiae::new(FingerPosition::RIGHT_INDEX, 80, scaled);
        for format in [CardFormat::Compact, CardFormat::Normal] {
            assert_round_trip(&view, (res, res), format);
        }
        let rec = MinutiaeRecord::new_2005(1000, 1000, res, vec![view]);
        let bytes = rec.encode().unwrap();
        prop_assert_eq!(MinutiaeRecord::parse(&bytes).unwrap().encode().unwrap(), bytes);
    }

    #[test]
    fn pruning_and_sorting_respect_the_card(
        minutiae in proptest::collection::vec(minutia(), 0..120),
        max in 0usize..70,
        order in prop_oneof![Just(0x00u8), Just(0x05), Just(0x06), Just(0x09), Just(0x0A),
                             Just(0x0D), Just(0x0E), Just(0x11), Just(0x12)],
    ) {
        let small: Vec<Minutia> = minutiae.into_iter().map(|mut m| { m.x %= 500; m.y %= 500; m }).collect();
        let view = FingerMinutiae::new(FingerPosition::LEFT_THUMB, 50, small);
        let order = MinutiaOrder::from_byte(order).unwrap();
        let options = CardOptions { max_minutiae: Some(max), order };
        let card = compact::from_record(&view, (197, 197), CardFormat::Compact, &options).unwrap();
        prop_assert!(card.minutiae.len() <= max);
        prop_assert_eq!(card.minutiae.len() + card.pruned + card.out_of_range, view.minutiae.len());
        let mut resorted = card.minutiae.clone();
        compact::sort(&mut resorted, order);
        prop_assert_eq!(&resorted, &card.minutiae);
        let bytes = card.encode().unwrap();
        prop_assert_eq!(compact::decode(CardFormat::Compact, &bytes).unwrap(), card.minutiae);
    }
}
