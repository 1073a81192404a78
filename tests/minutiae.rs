//! ISO/IEC 19794-2 minutiae records against real files (NIST, FingerprintIO and SourceAFIS, with
//! the values their authors decoded), the NIST MINEX-II BIT and compact card template, and
//! record to compact card and back within the quantisation error (ISO/IEC 19794-2 clause 9).

#[path = "common/biometric_files.rs"]
mod biometric_files;

use biometric_files::*;
#[path = "common/card_round_trip.rs"]
mod card_round_trip;

use card_round_trip::assert_round_trip;
use dactyl::biometrics::FingerPosition;
use dactyl::biometrics::compact::{
    self, AlgorithmParameters, BAPT_TAG, CardFormat, CardOptions, MinutiaOrder, SortMethod,
};
use dactyl::biometrics::minutiae::{Edition, FingerMinutiae, Minutia, MinutiaType, MinutiaeRecord};
use dactyl::lds::biometric_group::{BiometricData, BiometricGroup};
use serde_json::Value;
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
