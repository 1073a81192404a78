//! Biometric codecs against real files: the BSI reference DG2 and DG3 (CBEFF group, ISO/IEC
//! 19794-4 finger images), ISO/IEC 19794-2 records of NIST, FingerprintIO and SourceAFIS with the
//! values their authors decoded, the NIST MINEX-II BIT and compact card template; record to
//! compact card and back within the quantisation error; and garbage in, errors out, no panics.

use dactyl::biometrics::compact::{
    self, AlgorithmParameters, BAPT_TAG, CardFormat, CardOptions, MinutiaOrder, SortMethod,
};
use dactyl::biometrics::finger_image::{FingerImage, FingerImageRecord};
use dactyl::biometrics::minutiae::{Edition, FingerMinutiae, Minutia, MinutiaType, MinutiaeRecord};
use dactyl::biometrics::{Compression, FingerPosition};
use dactyl::lds::biometric_group::{
    BiometricData, BiometricGroup, BiometricHeader, BiometricRecord, FORMAT_OWNER_SC37,
    FORMAT_TYPE_FINGER_IMAGE, RawElement,
};
use dactyl::lds::dg3::Dg3;
use dactyl::lds::inspect::{describe, finger_images};
use proptest::prelude::*;
use serde_json::Value;
#[cfg(feature = "cli")]
use std::process::Command;

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn json_fixture(path: &str) -> Value {
    serde_json::from_slice(&fixture(path)).expect("fixture JSON")
}

const BSI_DG3: &str = "chips/bsi_passport/Datagroup3.bin";
const BSI_DG2: &str = "chips/bsi_passport/Datagroup2.bin";
const NIST_C2: &str = "biometrics/NIST_ISO19794-2_2005_AnnexC2_Example.raw";
const FPIO_2005: &str = "biometrics/fingerprintio_iso19794p2v2005-sample";
const FPIO_2011: &str = "biometrics/fingerprintio_iso19794p2v2011-sample";

#[test]
fn bsi_dg3_decodes_two_wsq_index_fingers_and_round_trips() {
    let bytes = fixture(BSI_DG3);
    let dg3 = Dg3::parse(&bytes).unwrap();
    assert!(dg3.warnings().is_empty(), "{:?}", dg3.warnings());
    assert_eq!(dg3.group.declared_count, Some(2));
    assert_eq!(
        dg3.positions(),
        [FingerPosition::RIGHT_INDEX, FingerPosition::LEFT_INDEX]
    );
    let subtypes: Vec<_> = dg3.group.records.iter().map(|r| r.header.subtype).collect();
    assert_eq!(subtypes, [Some(0x09), Some(0x0A)]);
    let expected_image_lens = [16389, 15931];
    for (image, len) in dg3.images.iter().zip(expected_image_lens) {
        let FingerImage::Iso2005(rec) = image else {
            panic!("DG3 holds 19794-4:2005 records")
        };
        assert_eq!(rec.compression, Compression::WSQ);
        assert_eq!(rec.image_extension(), "wsq");
        assert_eq!(
            (
                rec.scale_units,
                rec.image_resolution_h,
                rec.image_resolution_v
            ),
            (1, 500, 500)
        );
        assert_eq!((rec.acquisition_level, rec.pixel_depth), (31, 8));
        let v = &rec.views[0];
        assert_eq!(
            (v.width, v.height, v.quality, v.view_number),
            (620, 620, 100, 1)
        );
        assert_eq!(v.image.len(), len);
        assert_eq!(
            v.image.get(..2),
            Some(&[0xFF, 0xA0][..]),
            "WSQ start of image"
        );
    }
    assert_eq!(dg3.encode().unwrap(), bytes);
    assert_eq!(dg3.group.encode(), bytes);
    // Issuance: the same records built into a new DG3 give the same bytes.
    let rebuilt = Dg3::from_images(dg3.images.clone()).unwrap();
    assert_eq!(rebuilt.encode().unwrap(), bytes);
    let records: Vec<FingerImageRecord> = dg3
        .images
        .iter()
        .filter_map(|i| match i {
            FingerImage::Iso2005(r) => Some(r.clone()),
            FingerImage::Iso2011(_) => None,
        })
        .collect();
    assert_eq!(Dg3::from_records(records).unwrap().encode().unwrap(), bytes);
}

#[test]
fn bsi_dg2_round_trips_at_the_cbeff_level() {
    let bytes = fixture(BSI_DG2);
    let g = BiometricGroup::parse(&bytes).unwrap();
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    assert_eq!(
        (g.outer_tag, g.declared_count, g.records.len()),
        (Some(0x75), Some(1), 1)
    );
    let h = &g.records[0].header;
    assert_eq!((h.biometric_type, h.subtype), (Some(2), Some(0)));
    assert_eq!(
        (h.format_owner, h.format_type),
        (Some(0x0101), Some(0x0008))
    );
    let data = g.records[0].data.plain().unwrap();
    assert_eq!(data.len(), 15045);
    assert!(data.starts_with(b"FAC\x00010\0"));
    assert_eq!(g.encode(), bytes);
    assert!(Dg3::parse(&bytes).is_err(), "a DG2 is not a DG3");
}

fn finger_header() -> BiometricHeader {
    BiometricHeader::new(8, 0x09, FORMAT_OWNER_SC37, FORMAT_TYPE_FINGER_IMAGE)
}

#[test]
fn cbeff_groups_build_with_minimal_lengths() {
    let g = BiometricGroup::new(
        Some(0x63),
        vec![BiometricRecord::new(finger_header(), vec![1, 2])],
    );
    let bytes = g.encode();
    assert_eq!(
        hex::encode_upper(&bytes),
        "631E7F611B0201017F6015A10E81010882010987020101880200075F2E020102"
    );
    let back = BiometricGroup::parse(&bytes).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(
        back.records[0].header.subtype_name().unwrap(),
        "right index finger"
    );
    assert_eq!(back.encode(), bytes);
}

#[test]
fn cbeff_groups_keep_order_unknown_tags_and_long_lengths() {
    // 63 with an 82-form length, a 2-byte count, 88 before 87, a vendor tag 90, a long-form
    // A1 length, an empty 5F2E with a long-form length, and a B1 template after the data.
    let bytes = hex::decode(
        "638200247F6121020200017F601AA1810E880200078702010190015A8101085F2E8100B103810101",
    )
    .unwrap();
    let g = BiometricGroup::parse(&bytes).unwrap();
    assert_eq!(g.declared_count, Some(1));
    let h = &g.records[0].header;
    assert_eq!(
        (h.format_owner, h.format_type, h.biometric_type),
        (Some(0x0101), Some(7), Some(8))
    );
    assert_eq!(
        h.other,
        [RawElement {
            tag: 0x90,
            value: vec![0x5A]
        }]
    );
    assert_eq!(g.records[0].other[0].tag, 0xB1);
    assert_eq!(g.records[0].data, BiometricData::Plain(vec![]));
    assert_eq!(g.encode(), bytes);
    // A changed value gets a true (minimal) length; the count follows the records.
    let mut changed = g.clone();
    changed.records[0].data = BiometricData::Plain(vec![0; 3]);
    changed.records.push(changed.records[0].clone());
    let again = BiometricGroup::parse(&changed.encode()).unwrap();
    assert_eq!(again.declared_count, Some(2));
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
}

#[test]
fn cbeff_count_mismatch_is_a_warning_and_garbage_an_error() {
    let g = BiometricGroup::new(
        Some(0x63),
        vec![BiometricRecord::new(finger_header(), vec![])],
    );
    let mut bytes = g.encode();
    bytes[7] = 3;
    let parsed = BiometricGroup::parse(&bytes).unwrap();
    assert_eq!(parsed.declared_count, Some(3));
    assert_eq!(
        parsed.warnings,
        ["number of instances says 3, the group holds 1"]
    );
    assert_eq!(parsed.encode(), g.encode());
    for n in 0..bytes.len() {
        assert!(BiometricGroup::parse(&bytes[..n]).is_err(), "{n}");
    }
    for bad in ["6303020101", "7F61060201017F6000", "63047F610100"] {
        assert!(
            BiometricGroup::parse(&hex::decode(bad).unwrap()).is_err(),
            "{bad}"
        );
    }
}

fn base64(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = alphabet.iter().position(|&a| a == c).expect("base64") as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

fn position_code(name: &str) -> u8 {
    let names = [
        "UNKNOWN",
        "RIGHT_THUMB",
        "RIGHT_INDEX",
        "RIGHT_MIDDLE",
        "RIGHT_RING",
        "RIGHT_LITTLE",
        "LEFT_THUMB",
        "LEFT_INDEX",
        "LEFT_MIDDLE",
        "LEFT_RING",
        "LEFT_LITTLE",
    ];
    names.iter().position(|&n| n == name).expect("position") as u8
}

fn kind(name: &str) -> MinutiaType {
    match name {
        "ENDING" => MinutiaType::Ending,
        "BIFURCATION" => MinutiaType::Bifurcation,
        "OTHER" => MinutiaType::Other,
        other => panic!("{other}"),
    }
}

fn num(v: &Value) -> u64 {
    v.as_u64().expect("number")
}

/// Compares one view with a FingerprintIO "fingerprints" entry.
fn check_view(view: &FingerMinutiae, f: &Value) {
    assert_eq!(
        view.position.0,
        position_code(f["position"].as_str().unwrap())
    );
    assert_eq!(u64::from(view.view_number), num(&f["view"]));
    assert_eq!(f["scanType"], "LIVE_PLAIN");
    assert_eq!(view.impression.0, 0);
    let ms = f["minutiae"].as_array().unwrap();
    assert_eq!(view.minutiae.len(), ms.len());
    for (m, j) in view.minutiae.iter().zip(ms) {
        assert_eq!(m.kind, kind(j["type"].as_str().unwrap()));
        assert_eq!(u64::from(m.x), num(&j["positionX"]));
        assert_eq!(u64::from(m.y), num(&j["positionY"]));
        assert_eq!(u64::from(m.angle), num(&j["angle"]));
        assert_eq!(u64::from(m.quality), num(&j["quality"]));
    }
    let blocks = view.extended_blocks().unwrap();
    let ext = f["extensions"].as_array().unwrap();
    assert_eq!(blocks.len(), ext.len());
    for (b, e) in blocks.iter().zip(ext) {
        assert_eq!(u64::from(b.type_id), num(&e["type"]));
        assert_eq!(b.data, base64(e["data"].as_str().unwrap()));
    }
}

#[test]
fn fingerprintio_2005_sample_decodes_to_its_json() {
    let bytes = fixture(&format!("{FPIO_2005}.dat"));
    let json = json_fixture(&format!("{FPIO_2005}.json"));
    let rec = MinutiaeRecord::parse(&bytes).unwrap();
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    assert_eq!(rec.edition, Edition::Iso2005);
    assert_eq!(u64::from(rec.equipment_id), num(&json["sensorId"]));
    assert_eq!(rec.equipment_compliance, 0, "sensorCertified false");
    assert_eq!(u64::from(rec.width), num(&json["width"]));
    assert_eq!(u64::from(rec.height), num(&json["height"]));
    assert_eq!(u64::from(rec.resolution_x), num(&json["resolutionX"]));
    assert_eq!(u64::from(rec.resolution_y), num(&json["resolutionY"]));
    let fingers = json["fingerprints"].as_array().unwrap();
    assert_eq!(rec.views.len(), fingers.len());
    for (v, f) in rec.views.iter().zip(fingers) {
        check_view(v, f);
        assert_eq!(u64::from(v.quality), num(&f["quality"]));
    }
    assert_eq!(rec.encode().unwrap(), bytes);
}

#[test]
fn fingerprintio_2011_sample_decodes_to_its_json() {
    let bytes = fixture(&format!("{FPIO_2011}.dat"));
    let json = json_fixture(&format!("{FPIO_2011}.json"));
    let rec = MinutiaeRecord::parse(&bytes).unwrap();
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    assert_eq!(rec.edition, Edition::Iso2011);
    let fingers = json["fingerprints"].as_array().unwrap();
    assert_eq!(rec.views.len(), fingers.len());
    for (v, f) in rec.views.iter().zip(fingers) {
        check_view(v, f);
        let p = v.representation.as_ref().unwrap();
        let t = &f["datetime"];
        let c = p.capture_time;
        let got = [
            c.year,
            c.month.into(),
            c.day.into(),
            c.hour.into(),
            c.minute.into(),
        ]
        .into_iter()
        .chain([c.second.into(), c.millisecond])
        .map(u64::from)
        .collect::<Vec<_>>();
        let fields = [
            "year",
            "month",
            "day",
            "hour",
            "minute",
            "second",
            "millisecond",
        ];
        assert_eq!(got, fields.map(|k| num(&t[k])));
        assert_eq!(f["sensorType"], "UNKNOWN");
        assert_eq!(p.device_technology, 0);
        assert_eq!(u64::from(p.device_vendor), num(&f["sensorVendor"]));
        assert_eq!(u64::from(p.device_type), num(&f["sensorId"]));
        let q = f["qrecords"].as_array().unwrap();
        assert_eq!(p.quality_blocks.len(), q.len());
        for (b, j) in p.quality_blocks.iter().zip(q) {
            assert_eq!(u64::from(b.score), num(&j["quality"]));
            assert_eq!(u64::from(b.vendor), num(&j["vendor"]));
            assert_eq!(u64::from(b.algorithm), num(&j["algorithm"]));
        }
        assert!(p.certification_blocks.is_empty());
        assert_eq!(u64::from(p.resolution_x), num(&f["resolutionX"]));
        assert_eq!(u64::from(p.resolution_y), num(&f["resolutionY"]));
        assert_eq!(u64::from(p.width), num(&f["width"]));
        assert_eq!(u64::from(p.height), num(&f["height"]));
        assert_eq!(p.minutia_size, 6);
    }
    assert_eq!(rec.encode().unwrap(), bytes);
    for n in 0..bytes.len() {
        assert!(MinutiaeRecord::parse(&bytes[..n]).is_err(), "{n} bytes");
    }
}

#[test]
fn nist_annex_c2_decodes_with_a_length_warning() {
    let bytes = fixture(NIST_C2);
    assert_eq!(bytes.len(), 341);
    let rec = MinutiaeRecord::parse(&bytes).unwrap();
    assert_eq!(
        rec.warnings,
        ["record length field says 340 bytes, the record has 341"]
    );
    assert_eq!((rec.width, rec.height, rec.resolution_x), (512, 512, 197));
    assert_eq!(rec.views.len(), 2);
    assert_eq!(rec.views[0].position, FingerPosition::LEFT_INDEX);
    assert_eq!(rec.views[0].minutiae.len(), 27);
    assert_eq!(rec.views[1].position, FingerPosition::RIGHT_INDEX);
    assert_eq!(rec.views[1].minutiae.len(), 22);
    // The same minutiae as FingerprintIO's sample, which corrected the length field.
    let fpio = MinutiaeRecord::parse(&fixture(&format!("{FPIO_2005}.dat"))).unwrap();
    for (a, b) in rec.views.iter().zip(&fpio.views) {
        assert_eq!(a.minutiae, b.minutiae);
    }
    let blocks = rec.views[1].extended_blocks().unwrap();
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].type_id, 1, "ridge count data");
    // The encoder writes the true length; everything else is as read.
    let mut expected = bytes.clone();
    expected[11] = 0x55;
    assert_eq!(rec.encode().unwrap(), expected);
    assert!(
        MinutiaeRecord::parse(&expected)
            .unwrap()
            .warnings
            .is_empty()
    );
}

#[test]
fn ansi_378_is_told_apart() {
    let e = MinutiaeRecord::parse(&fixture("biometrics/NIST_ANSI378_2004_AnnexB2_Example.raw"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("ANSI/INCITS 378"), "{e}");
}

#[test]
fn sourceafis_templates_round_trip() {
    for (name, count) in [("probe", 38), ("nonmatching", 39)] {
        let bytes = fixture(&format!("biometrics/sourceafis_iso-{name}.dat"));
        let rec = MinutiaeRecord::parse(&bytes).unwrap();
        // SourceAFIS pads its templates with zeros after the record.
        let padding = bytes.len() - rec.declared_length.unwrap() as usize;
        assert!(rec.trailing.iter().all(|&b| b == 0) && rec.trailing.len() == padding);
        assert_eq!(
            rec.warnings,
            [format!("{padding} bytes after the last view")],
            "{name}"
        );
        assert_eq!(rec.views.len(), 1, "{name}");
        assert_eq!(rec.views[0].minutiae.len(), count, "{name}");
        assert_eq!(rec.encode().unwrap(), bytes, "{name}");
    }
}

#[test]
fn minex_bit_and_compact_template() {
    let bit = fixture("biometrics/NIST_MINEXII_BIT.dat");
    let g = BiometricGroup::parse(&bit).unwrap();
    assert_eq!(
        (g.outer_tag, g.declared_count, g.records.len()),
        (None, Some(2), 2)
    );
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    let h = &g.records[0].header;
    assert_eq!((h.biometric_type, h.subtype), (Some(8), Some(0x02)));
    assert_eq!(g.records[0].data, BiometricData::Absent);
    let bapt = h.other.iter().find(|e| e.tag == BAPT_TAG).unwrap();
    let params = AlgorithmParameters::parse(&bapt.value).unwrap();
    assert_eq!(
        (params.min_minutiae, params.max_minutiae),
        (Some(12), Some(64))
    );
    let order = params.order.unwrap();
    assert_eq!((order.method, order.descending), (SortMethod::Polar, false));
    assert_eq!(params.feature_handling, Some(0));
    assert_eq!(params.encode(), bapt.value);
    assert_eq!(g.encode(), bit);

    let cc = fixture("biometrics/NIST_MINEXII_ISOCC.min");
    let minutiae = compact::decode(CardFormat::Compact, &cc).unwrap();
    assert_eq!(minutiae.len(), 49);
    assert_eq!(compact::encode(CardFormat::Compact, &minutiae).unwrap(), cc);
    assert!(minutiae.iter().all(|m| m.kind != MinutiaType::Reserved));
    // Polar ascending: squared distance from the (truncated) centre of mass never decreases.
    let mut sorted = minutiae.clone();
    compact::sort(&mut sorted, order);
    let n = sorted.len() as i64;
    let cx = sorted.iter().map(|m| i64::from(m.x)).sum::<i64>() / n;
    let cy = sorted.iter().map(|m| i64::from(m.y)).sum::<i64>() / n;
    let d: Vec<i64> = sorted
        .iter()
        .map(|m| (i64::from(m.x) - cx).pow(2) + (i64::from(m.y) - cy).pow(2))
        .collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
}

/// The largest coordinate error in pixels of a round trip through `format`.
fn bound(format: CardFormat, res: u16) -> f64 {
    f64::from(res) / (2.0 * f64::from(format.units_per_cm())) + 0.5
}

fn circular(a: u8, b: u8) -> u8 {
    let d = a.wrapping_sub(b);
    d.min(d.wrapping_neg())
}

fn assert_round_trip(view: &FingerMinutiae, res: (u16, u16), format: CardFormat) {
    let card = compact::from_record(view, res, format, &CardOptions::default()).unwrap();
    let back = compact::to_record(&card.minutiae, format, res).unwrap();
    let kept: Vec<&Minutia> = view
        .minutiae
        .iter()
        .filter(|m| {
            let units = f64::from(format.units_per_cm());
            let max = f64::from(format.max_coordinate());
            (f64::from(m.x) * units / f64::from(res.0)).round() <= max
                && (f64::from(m.y) * units / f64::from(res.1)).round() <= max
        })
        .collect();
    assert_eq!(back.len(), kept.len());
    assert_eq!(card.out_of_range, view.minutiae.len() - kept.len());
    let max_angle = match format {
        CardFormat::Compact => 2,
        CardFormat::Normal => 0,
    };
    for (a, b) in kept.iter().zip(&back) {
        assert_eq!(a.kind, b.kind);
        assert!(
            f64::from(a.x.abs_diff(b.x)) <= bound(format, res.0),
            "{a:?} {b:?}"
        );
        assert!(
            f64::from(a.y.abs_diff(b.y)) <= bound(format, res.1),
            "{a:?} {b:?}"
        );
        assert!(circular(a.angle, b.angle) <= max_angle, "{a:?} {b:?}");
    }
}

#[test]
fn sample_records_survive_the_card_formats() {
    for path in [
        format!("{FPIO_2005}.dat"),
        format!("{FPIO_2011}.dat"),
        "biometrics/sourceafis_iso-probe.dat".into(),
        NIST_C2.into(),
    ] {
        let rec = MinutiaeRecord::parse(&fixture(&path)).unwrap();
        for v in &rec.views {
            for format in [CardFormat::Compact, CardFormat::Normal] {
                assert_round_trip(v, rec.resolution_of(v), format);
            }
        }
    }
}

#[test]
fn pruning_keeps_the_best_minutiae_in_card_order() {
    let rec = MinutiaeRecord::parse(&fixture(&format!("{FPIO_2005}.dat"))).unwrap();
    let view = &rec.views[0];
    let options = CardOptions {
        max_minutiae: Some(12),
        order: MinutiaOrder::from_byte(0x05).unwrap(),
    };
    let card = compact::from_record(view, (197, 197), CardFormat::Compact, &options).unwrap();
    assert_eq!((card.minutiae.len(), card.pruned), (12, 15));
    assert!(
        card.minutiae
            .windows(2)
            .all(|w| (w[0].x, w[0].y) <= (w[1].x, w[1].y))
    );
    // The 11 minutiae of quality 90 survive, with one of quality 80.
    let survivors = compact::to_record(&card.minutiae, CardFormat::Compact, (197, 197)).unwrap();
    let original = |s: &Minutia| {
        view.minutiae
            .iter()
            .find(|m| s.x.abs_diff(m.x) <= 1 && s.y.abs_diff(m.y) <= 1 && m.kind == s.kind)
            .map(|m| m.quality)
    };
    let mut qualities: Vec<u8> = survivors.iter().filter_map(original).collect();
    qualities.sort_unstable();
    assert_eq!(qualities, [80, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90]);
    assert_eq!(card.encode().unwrap().len(), 36);
}

#[test]
fn inspect_describes_and_extracts() {
    let dg3 = describe(&fixture(BSI_DG3)).unwrap();
    assert_eq!(dg3.kind, "DG3 (encoded fingers)");
    let text = dg3.to_text();
    assert!(text.contains("right index finger (2)"), "{text}");
    assert!(text.contains("left index finger (7)"), "{text}");
    let images = finger_images(&fixture(BSI_DG3)).unwrap();
    let names: Vec<String> = images.iter().map(|i| i.file_name()).collect();
    assert_eq!(names, ["finger1_right_index.wsq", "finger2_left_index.wsq"]);
    for (path, kind) in [
        (BSI_DG2, "DG2 (encoded face)"),
        (
            "chips/bsi_passport/Datagroup1.bin",
            "DG1 (machine readable zone)",
        ),
        (
            "chips/bsi_passport/Datagroup14.bin",
            "DG14 (security options)",
        ),
        (
            "chips/bsi_passport/Datagroup15.bin",
            "DG15 (Active Authentication public key)",
        ),
        (
            "chips/bsi_passport/EF_SOD.bin",
            "EF.SOD (document security object)",
        ),
        ("chips/bsi_passport/EF_COM.bin", "EF.COM"),
        ("chips/bsi_passport/Datagroup4.bin", "DG4 (encoded irises)"),
        (
            "lds/card_access/gmrtd_AT_passport_EF_CardAccess.bin",
            "EF.CardAccess (SecurityInfos)",
        ),
        ("pki/masterlists/DE_ROOT_CA_CSCA07.cer", "X.509 certificate"),
        (NIST_C2, "finger minutiae record (ISO/IEC 19794-2)"),
        (
            "biometrics/NIST_MINEXII_BIT.dat",
            "biometric information group (ISO/IEC 7816-11)",
        ),
    ] {
        let d = describe(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(d.kind, kind, "{path}");
        assert!(!d.to_text().is_empty());
    }
    let c2 = describe(&fixture(NIST_C2)).unwrap();
    assert_eq!(c2.warnings.len(), 1);
}

#[test]
#[cfg(feature = "cli")]
fn cli_inspect_prints_json_and_extracts_images() {
    let dir = tempfile::tempdir().unwrap();
    let path = format!("{}/fixtures/{BSI_DG3}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(["inspect", &path, "--json", "--extract"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["kind"], "DG3 (encoded fingers)");
    assert_eq!(json["details"]["fingers"].as_array().map(Vec::len), Some(2));
    let wsq = std::fs::read(dir.path().join("finger2_left_index.wsq")).unwrap();
    assert_eq!(wsq.len(), 15931);
    let bad = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(["inspect", "/nonexistent/file"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

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

mod pixel_decoding {
    use dactyl::biometrics::finger_image::{FingerImage, FingerImageRecord, FingerImageView};
    use dactyl::biometrics::pixels::{GrayImage, decode};
    use dactyl::biometrics::{Compression, FingerPosition};
    use dactyl::lds::dg3::Dg3;
    use std::path::Path;

    fn probe_png() -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/biometrics/sourceafis_probe.png"),
        )
        .unwrap()
    }

    #[test]
    fn png_decodes_to_grey_pixels_and_travels_through_dg3() {
        let img = decode(Compression::PNG, &probe_png()).unwrap();
        assert_eq!((img.width, img.height), (388, 374));
        assert_eq!(img.pixels.len(), 388 * 374);
        // A fingerprint has dark ridges and light valleys.
        let (min, max) = (
            img.pixels.iter().min().unwrap(),
            img.pixels.iter().max().unwrap(),
        );
        assert!(*max as i32 - *min as i32 > 100, "{min}..{max}");

        let view = FingerImageView::new(FingerPosition::RIGHT_THUMB, 388, 374, probe_png());
        let record = FingerImageRecord::new(Compression::PNG, vec![view]);
        let dg3 = Dg3::from_images(vec![FingerImage::Iso2005(record)]).unwrap();
        let parsed = Dg3::parse(&dg3.encode().unwrap()).unwrap();
        let views = parsed.images[0].views();
        assert_eq!(views[0].image_extension(), "png");
        assert_eq!(decode(views[0].compression, views[0].image).unwrap(), img);
    }

    #[test]
    fn jpeg_decodes_to_grey_pixels() {
        let png = decode(Compression::PNG, &probe_png()).unwrap();
        let mut jpeg = Vec::new();
        jpeg_encoder::Encoder::new(&mut jpeg, 90)
            .encode(
                &png.pixels,
                png.width as u16,
                png.height as u16,
                jpeg_encoder::ColorType::Luma,
            )
            .unwrap();
        let img: GrayImage = decode(Compression::JPEG, &jpeg).unwrap();
        assert_eq!((img.width, img.height), (388, 374));
        let diff: u64 = img
            .pixels
            .iter()
            .zip(&png.pixels)
            .map(|(a, b)| (*a as i64 - *b as i64).unsigned_abs())
            .sum();
        assert!(
            diff / (img.pixels.len() as u64) < 6,
            "mean error {}",
            diff / img.pixels.len() as u64
        );
    }

    #[test]
    fn undecodable_and_hostile_images_are_errors() {
        let png = probe_png();
        for cut in [0, 8, 33, 100, png.len() / 2] {
            assert!(decode(Compression::PNG, &png[..cut]).is_err(), "{cut}");
        }
        assert!(decode(Compression::JPEG, &[0xFF, 0xD8, 0xFF]).is_err());
        let e = decode(Compression::WSQ, &[0xFF, 0xA0]).unwrap_err();
        assert!(e.to_string().contains("kept as bytes"), "{e}");
    }
}

/// ISO/IEC 19794-4 compression codes, edition by edition (2005 Table 5: PNG is 5; 2011
/// Table 9: JPEG 2000 lossy 4, lossless 5, PNG 6), and the image magic-byte cross-check.
mod compression_editions {
    use dactyl::biometrics::finger_image::{FingerImageRecord, FingerImageView};
    use dactyl::biometrics::{Compression, FingerPosition};

    /// Offset of the compression algorithm byte in a 2005 general record header.
    const COMPRESSION_AT: usize = 29;
    const PNG_MAGIC: [u8; 8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    fn record(compression: Compression, image: &[u8]) -> Vec<u8> {
        let view = FingerImageView::new(FingerPosition::RIGHT_INDEX, 10, 10, image.to_vec());
        FingerImageRecord::new(compression, vec![view])
            .encode()
            .unwrap()
    }

    #[test]
    fn a_2005_record_writes_png_as_code_5_and_reads_it_back_as_png() {
        let bytes = record(Compression::PNG, &PNG_MAGIC);
        assert_eq!(&bytes[..8], b"FIR\x00010\0");
        assert_eq!(bytes[COMPRESSION_AT], 5);
        let parsed = FingerImageRecord::parse(&bytes).unwrap();
        assert_eq!(parsed.compression, Compression::Png);
        assert_eq!(parsed.compression.name(), "PNG");
        assert_eq!(parsed.image_extension(), "png");
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.encode().unwrap(), bytes);
    }

    #[test]
    fn a_2005_record_reads_code_4_as_jpeg_2000_and_code_6_as_unknown() {
        let jp2 = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A];
        let mut bytes = record(Compression::JPEG2000_LOSSLESS, &jp2);
        assert_eq!(bytes[COMPRESSION_AT], 4);
        let parsed = FingerImageRecord::parse(&bytes).unwrap();
        assert_eq!(parsed.compression, Compression::Jpeg2000);
        assert_eq!(parsed.compression.name(), "JPEG 2000");
        assert_eq!(parsed.image_extension(), "jp2");
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        bytes[COMPRESSION_AT] = 6;
        let parsed = FingerImageRecord::parse(&bytes).unwrap();
        assert_eq!(parsed.compression, Compression::Unknown(6));
        assert!(
            parsed
                .warnings
                .iter()
                .any(|w| w.contains("not in the 2005 table")),
            "{:?}",
            parsed.warnings
        );
        assert_eq!(parsed.encode().unwrap(), bytes);
    }

    #[test]
    fn a_code_that_disagrees_with_the_image_magic_is_a_warning() {
        // Declared JPEG 2000, carries a PNG.
        let mut bytes = record(Compression::PNG, &PNG_MAGIC);
        bytes[COMPRESSION_AT] = 4;
        let parsed = FingerImageRecord::parse(&bytes).unwrap();
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].contains("PNG"), "{}", parsed.warnings[0]);
        assert!(parsed.warnings[0].contains("right index"));
        // Declared WSQ, carries bytes of no known format.
        let parsed = FingerImageRecord::parse(&record(Compression::WSQ, &[1, 2, 3, 4])).unwrap();
        assert!(
            parsed.warnings.iter().any(|w| w.contains("signature")),
            "{:?}",
            parsed.warnings
        );
    }
}
