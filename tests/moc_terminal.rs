//! Match-on-card, the terminal's side without a chip: the GET DATA and VERIFY commands byte for
//! byte (ISO/IEC 7816-4, MINEX II as in VECTORS.md 12.3/12.4), command chaining, the status
//! words, and a 19794-2 probe turned into what a BIT asks for.

use dactyl::apdu::Command;
use dactyl::biometrics::FingerPosition;
use dactyl::biometrics::compact::{AlgorithmParameters, CardFormat, MinutiaOrder};
use dactyl::biometrics::minutiae::MinutiaeRecord;
use dactyl::reader::moc::{
    MocOutcome, get_bit_command, get_bit_command_even, probe_for, verify_commands,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn get_data_of_the_bit_group_is_coded_as_minex_ii_sends_it() {
    // NIST matchoncard mocapdu.c: 00 CB 3F FF 04 5C 02 7F 61 00.
    assert_eq!(
        get_bit_command().to_bytes().unwrap(),
        hex::decode("00CB3FFF045C027F6100").unwrap()
    );
    assert_eq!(
        get_bit_command_even().to_bytes().unwrap(),
        hex::decode("00CA7F6100").unwrap()
    );
}

#[test]
fn verify_is_one_command_or_a_chain_of_links() {
    let data: Vec<u8> = (0..=255u8).cycle().take(500).collect();
    let one = verify_commands(0x81, &data[..150], 223);
    assert_eq!(one.len(), 1);
    assert_eq!(
        (one[0].cla, one[0].ins, one[0].p1, one[0].p2),
        (0x00, 0x21, 0x00, 0x81)
    );
    let chain = verify_commands(0x82, &data, 223);
    assert_eq!(chain.len(), 3);
    assert!(chain[..2].iter().all(|c| c.cla == 0x10));
    assert_eq!(chain[2].cla, 0x00);
    let joined: Vec<u8> = chain
        .iter()
        .flat_map(|c: &Command| c.data.clone())
        .collect();
    assert_eq!(joined, data);
    assert!(chain.iter().all(|c| c.data.len() <= 223 && c.p2 == 0x82));
    // An empty VERIFY asks the tries left: no data field at all.
    let empty = verify_commands(0x81, &[], 223);
    assert_eq!(empty[0].to_bytes().unwrap(), vec![0x00, 0x21, 0x00, 0x81]);
}

#[test]
fn status_words_become_outcomes() {
    assert_eq!(MocOutcome::from_sw(0x9000, false), MocOutcome::Match);
    assert_eq!(
        MocOutcome::from_sw(0x63C2, false),
        MocOutcome::NoMatch { tries_left: 2 }
    );
    assert_eq!(
        MocOutcome::from_sw(0x63C3, true),
        MocOutcome::TriesLeft { tries_left: 3 }
    );
    assert_eq!(MocOutcome::from_sw(0x6983, false), MocOutcome::Blocked);
    assert_eq!(
        MocOutcome::from_sw(0x6A88, false),
        MocOutcome::NoSuchReference
    );
    // Anything else is a refusal, never a match.
    for sw in [0x6982, 0x6A80, 0x6700, 0x6300, 0x9001, 0x6283] {
        assert_eq!(MocOutcome::from_sw(sw, false), MocOutcome::Refused { sw });
    }
}

#[test]
fn a_probe_is_cut_to_what_the_bit_asks_for() {
    // NIST's Annex C.2 record: 27 minutiae of the left index finger at 197 px/cm.
    let record = MinutiaeRecord::parse(&fixture(
        "biometrics/NIST_ISO19794-2_2005_AnnexC2_Example.raw",
    ))
    .unwrap();
    let params = AlgorithmParameters {
        min_minutiae: Some(12),
        max_minutiae: Some(20),
        order: Some(MinutiaOrder::from_byte(0x11).unwrap()),
        feature_handling: Some(0),
    };
    let probe = probe_for(
        &record,
        FingerPosition::LEFT_INDEX,
        CardFormat::Compact,
        &params,
    )
    .unwrap();
    assert_eq!(probe.template.minutiae.len(), 20);
    assert_eq!(probe.template.pruned + probe.template.out_of_range, 7);
    assert!(probe.warnings.iter().any(|w| w.contains("pruned")));
    assert!(
        probe
            .template
            .minutiae
            .iter()
            .all(|m| m.x <= 255 && m.y <= 255 && m.angle < 64)
    );
    // Units: the record's first minutia, a ridge ending at (100, 14) px and 80 x 360/256
    // degrees at 197 px/cm, is (51, 7) in 0.1 mm and 20 x 360/64 degrees.
    let all = probe_for(
        &record,
        FingerPosition::LEFT_INDEX,
        CardFormat::Compact,
        &AlgorithmParameters::default(),
    )
    .unwrap();
    assert_eq!(all.template.minutiae.len(), 27);
    assert!(
        all.template
            .minutiae
            .iter()
            .any(|m| (m.x, m.y, m.angle) == (51, 7, 20)),
        "{:?}",
        &all.template.minutiae[..3]
    );
    // Another finger is refused, naming what the record holds.
    let e = probe_for(
        &record,
        FingerPosition::RIGHT_THUMB,
        CardFormat::Compact,
        &params,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("left index"), "{e}");
    // Fewer usable minutiae than the BIT's minimum is refused before a try is spent.
    let strict = AlgorithmParameters {
        min_minutiae: Some(40),
        ..params
    };
    assert!(
        probe_for(
            &record,
            FingerPosition::LEFT_INDEX,
            CardFormat::Compact,
            &strict
        )
        .is_err()
    );
}

#[test]
fn a_2011_edition_probe_is_converted_too() {
    // FingerprintIO's 2011-edition record (FMR\0 030\0) of NIST's Annex C.2 finger.
    let record = MinutiaeRecord::parse(&fixture(
        "biometrics/fingerprintio_iso19794p2v2011-sample.dat",
    ))
    .unwrap();
    let finger = record.views[0].position;
    let probe = probe_for(
        &record,
        finger,
        CardFormat::Compact,
        &AlgorithmParameters::default(),
    )
    .unwrap();
    let (rx, ry) = record.resolution_of(&record.views[0]);
    assert!(rx > 0 && ry > 0);
    assert_eq!(
        probe.template.minutiae.len() + probe.template.out_of_range,
        record.views[0].minutiae.len()
    );
    // Each minutia lands where its pixels put it: x px at rx px/cm is x * 100 / rx in 0.1 mm.
    for (m, c) in record.views[0]
        .minutiae
        .iter()
        .zip(&probe.template.minutiae)
    {
        let x = (f64::from(m.x) * 100.0 / f64::from(rx)).round() as u16;
        let y = (f64::from(m.y) * 100.0 / f64::from(ry)).round() as u16;
        assert_eq!((c.x, c.y), (x, y));
    }
}
