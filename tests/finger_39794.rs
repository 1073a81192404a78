//! ISO/IEC 39794-4 finger image data blocks: the codec, DG3 with 7F2E blocks (alone and mixed
//! with 19794-4 records), conversion to and from 19794-4, and inspection.

use dactyl::biometrics::finger_39794::convert::{from_19794, to_19794};
use dactyl::biometrics::finger_39794::{
    CaptureDevice, FingerImageDataBlock, Representation, SamplingRate, format,
};
use dactyl::biometrics::finger_image::FingerImage;
use dactyl::biometrics::iso39794_1::{
    DateTime, Enumerated, ExtendedData, PadData, QualityBlock, RegistryId, ScoreOrError,
};
use dactyl::biometrics::{Compression, FingerPosition};
use dactyl::lds::biometric_group::{BiometricData, FORMAT_TYPE_FINGER_IMAGE_39794};
use dactyl::lds::dg3::Dg3;
use std::path::PathBuf;
use std::process::Command;

const BSI_DG3: &str = "fixtures/chips/bsi_passport/Datagroup3.bin";

fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/data/iso39794/sample-39794-4-ed-1-v1.der")
}

/// The first bytes of a PNG with an IHDR of `w` x `h`.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    v.extend_from_slice(b"IHDR");
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&[8, 0, 0, 0, 0, 1, 2, 3, 4]);
    v
}

fn bsi_record() -> FingerImage {
    let bytes = std::fs::read(format!("{}/{BSI_DG3}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    Dg3::parse(&bytes).unwrap().images.remove(0)
}

/// A representation with every field set, both forms of the enumerations.
fn full_representation() -> Representation {
    let mut r = Representation::new(FingerPosition::RIGHT_INDEX, 1, format::PNG, png(24, 30));
    r.impression = Enumerated::Extension {
        fallback: Some(1),
        extra: vec![vec![0x81, 0x01, 0x07]],
    };
    r.capture_date_time = Some(DateTime {
        year: 2026,
        month: Some(1),
        day: Some(31),
        hour: Some(23),
        minute: Some(59),
        second: Some(58),
        millisecond: Some(999),
        extra: Vec::new(),
    });
    r.capture_device = Some(CaptureDevice {
        model: RegistryId {
            organization: 0x0101,
            id: 300,
            extra: Vec::new(),
        },
        technology: Some(Enumerated::Code(9)),
        certifications: vec![RegistryId {
            organization: 2,
            id: 3,
            extra: Vec::new(),
        }],
        extra: Vec::new(),
    });
    r.quality = vec![
        QualityBlock {
            algorithm: RegistryId {
                organization: 0x0101,
                id: 1,
                extra: Vec::new(),
            },
            score: ScoreOrError::Score(87),
            extra: Vec::new(),
        },
        QualityBlock {
            algorithm: RegistryId {
                organization: 0x0101,
                id: 2,
                extra: Vec::new(),
            },
            score: ScoreOrError::Error(Enumerated::Extension {
                fallback: Some(0),
                extra: Vec::new(),
            }),
            extra: Vec::new(),
        },
    ];
    r.sampling_rate = Some(SamplingRate {
        samples_per_unit: 197,
        unit: 1,
        extra: Vec::new(),
    });
    r.position_computed = Some(true);
    r.original_rotation = Some(359);
    r.rotated_to_vertical = Some(false);
    r.lossily_compressed = Some(false);
    r.segmentation = Some(vec![0xAC, 0x02, 0x30, 0x00]);
    r.annotation = Some(vec![0xAD, 0x00]);
    r.pad = Some(PadData {
        risk_level: Some(0x32),
        ..PadData::default()
    });
    r.comments = vec!["first".into(), "second".into()];
    r.vendor_data = vec![ExtendedData {
        data_type: RegistryId {
            organization: 9,
            id: 9,
            extra: Vec::new(),
        },
        data: vec![1, 2, 3],
        extra: Vec::new(),
    }];
    r
}

#[test]
fn the_lgpl_sample_decodes_and_reencodes_identically() {
    let Ok(bytes) = std::fs::read(sample_path()) else {
        eprintln!("skipped: ../shared is absent");
        return;
    };
    let b = FingerImageDataBlock::parse(&bytes).unwrap();
    assert_eq!((b.version.generation, b.version.year), (3, 2019));
    assert_eq!(b.representations.len(), 1);
    let r = &b.representations[0];
    assert!(r.finger_position().is_single_finger(), "{:?}", r.position);
    assert_eq!(r.image_format.value(), format::PNG);
    assert!(r.image.starts_with(b"\x89PNG"));
    assert_eq!(r.image_size(), Some((24, 24)));
    assert_eq!(r.comments.len(), 2);
    assert_eq!(r.comments[0], "ISO/IEC 39794-4 BDB encoding example");
    assert!(r.pad.is_some() && r.segmentation.is_some() && r.annotation.is_some());
    assert!(r.capture_device.is_some() && r.sampling_rate.is_some());
    assert_eq!(r.vendor_data.len(), 2);
    assert_eq!(b.encode(), bytes);
    // Re-encoded from its fields alone (no kept source), the sample is DER already.
    let mut fresh = b.clone();
    fresh.source = None;
    for r in &mut fresh.representations {
        r.source = None;
    }
    assert_eq!(fresh.encode(), bytes);
    let img = FingerImage::parse(&bytes).unwrap();
    let views = img.views();
    assert_eq!((views[0].width, views[0].height), (24, 24));
    assert_eq!(views[0].image_extension(), "png");
    assert_eq!(img.edition(), "ISO/IEC 39794-4");
}

#[test]
fn every_field_round_trips_and_unknown_elements_are_kept() {
    let mut block = FingerImageDataBlock::new(vec![
        full_representation(),
        Representation::new(FingerPosition::LEFT_THUMB, 0, format::WSQ, vec![0xFF, 0xA0]),
    ]);
    block.representations[1].position = Enumerated::Extension {
        fallback: Some(6),
        extra: Vec::new(),
    };
    block.representations[1].extra = vec![vec![0x9F, 0x20, 0x01, 0xAA]];
    block.extra = vec![vec![0x82, 0x01, 0x05]];
    let bytes = block.encode();
    let back = FingerImageDataBlock::parse(&bytes).unwrap();
    let mut strip = back.clone();
    strip.source = None;
    strip.warnings.clear();
    for r in &mut strip.representations {
        r.source = None;
    }
    assert_eq!(strip, block);
    assert_eq!(back.encode(), bytes);
    assert_eq!(
        back.representations[1].finger_position(),
        FingerPosition::LEFT_THUMB
    );
    assert_eq!(back.representations[0].impression.value(), 1);
    assert_eq!(back.representations[0].quality_score(), Some(87));
    // Every truncation is an error, never a panic.
    for n in 0..bytes.len() {
        assert!(FingerImageDataBlock::parse(&bytes[..n]).is_err(), "{n}");
    }
}

#[test]
fn non_minimal_lengths_are_written_back_and_edits_reencode() {
    let block = FingerImageDataBlock::new(vec![Representation::new(
        FingerPosition::RIGHT_THUMB,
        0,
        format::PNG,
        png(2, 2),
    )]);
    let der = block.encode();
    // Rewrite the image's [3] length in long form (81 nn).
    let rep_start = der.windows(2).position(|w| w == [0x83, 33]).unwrap();
    let mut odd = der[..rep_start].to_vec();
    odd.extend_from_slice(&[0x83, 0x81, 33]);
    odd.extend_from_slice(&der[rep_start + 2..]);
    // Fix the enclosing lengths (each grows by one).
    for at in [1usize, 12, 14] {
        odd[at] += 1;
    }
    let parsed = FingerImageDataBlock::parse(&odd).unwrap();
    assert_eq!(parsed.encode(), odd);
    let mut edited = parsed.clone();
    edited.representations[0].position = Enumerated::Code(2);
    let re = FingerImageDataBlock::parse(&edited.encode()).unwrap();
    assert_eq!(
        re.representations[0].finger_position(),
        FingerPosition::RIGHT_INDEX
    );
}

#[test]
fn conversion_19794_to_39794_and_back_keeps_the_shared_fields() {
    let original = bsi_record();
    let FingerImage::Iso2005(rec) = &original else {
        panic!("the BSI DG3 holds 2005-edition records");
    };
    let there = from_19794(&original).unwrap();
    // A 2005 quality names no algorithm: the placeholder written for it is said.
    assert!(
        there
            .not_carried
            .iter()
            .any(|l| l.contains("0101/FFFF") && l.contains("placeholder")),
        "{:?}",
        there.not_carried
    );
    let block = FingerImageDataBlock::parse(&there.value.encode()).unwrap();
    let back = to_19794(&block).unwrap().value;
    assert_eq!(back.compression, rec.compression);
    assert_eq!(back.scale_units, rec.scale_units);
    assert_eq!(
        (back.image_resolution_h, back.image_resolution_v),
        (rec.image_resolution_h, rec.image_resolution_v)
    );
    assert_eq!(back.views.len(), rec.views.len());
    for (a, b) in back.views.iter().zip(&rec.views) {
        assert_eq!(a.position, b.position);
        assert_eq!(a.impression, b.impression);
        assert_eq!(a.quality, b.quality);
        assert_eq!(a.image, b.image);
        assert_eq!((a.width, a.height), (b.width, b.height));
    }
    // JPEG has no 39794-4 image format: refused, not silently relabelled.
    let mut jpeg = rec.clone();
    jpeg.compression = Compression::Jpeg;
    assert!(from_19794(&FingerImage::Iso2005(jpeg)).is_err());
    // 39794-only fields are reported when going back.
    let full = FingerImageDataBlock::new(vec![full_representation()]);
    let lost = to_19794(&full).unwrap().not_carried;
    assert!(lost.iter().any(|l| l.contains("comments")), "{lost:?}");
}

fn mixed_dg3() -> (Vec<u8>, FingerImage, FingerImage) {
    let old = bsi_record();
    let new = FingerImage::Iso39794(FingerImageDataBlock::new(vec![full_representation()]));
    let dg3 = Dg3::from_images(vec![old.clone(), new.clone()]).unwrap();
    (dg3.encode().unwrap(), old, new)
}

#[test]
fn a_dg3_mixing_19794_and_39794_parses_and_reencodes() {
    let (bytes, old, new) = mixed_dg3();
    let dg3 = Dg3::parse(&bytes).unwrap();
    assert!(dg3.warnings().is_empty(), "{:?}", dg3.warnings());
    assert!(matches!(dg3.group.records[0].data, BiometricData::Plain(_)));
    assert!(matches!(
        dg3.group.records[1].data,
        BiometricData::Extensible(_)
    ));
    assert_eq!(
        dg3.group.records[1].header.format_type,
        Some(FORMAT_TYPE_FINGER_IMAGE_39794)
    );
    assert_eq!(dg3.images[0].views()[0].image, old.views()[0].image);
    assert_eq!(dg3.images[1].encode().unwrap(), new.encode().unwrap());
    let mut positions = old.views().iter().map(|v| v.position).collect::<Vec<_>>();
    positions.push(FingerPosition::RIGHT_INDEX);
    assert_eq!(dg3.positions(), positions);
    assert_eq!(dg3.encode().unwrap(), bytes);
    for n in 0..bytes.len() {
        let _ = Dg3::parse(&bytes[..n]);
    }
}

#[test]
fn inspect_shows_both_encodings_and_extracts_with_extensions() {
    let (bytes, _, _) = mixed_dg3();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dg3.bin");
    std::fs::write(&path, &bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .arg("inspect")
        .arg(&path)
        .args(["--json", "--extract"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = json.to_string();
    assert!(text.contains("ISO/IEC 19794-4:2005"), "{text}");
    assert!(text.contains("ISO/IEC 39794-4"), "{text}");
    assert!(text.contains("rolled contact"), "{text}");
    assert!(text.contains("\"original_rotation\":359"), "{text}");
    let png_out = std::fs::read(dir.path().join("finger2_right_index.png")).unwrap();
    assert_eq!(png_out, png(24, 30));
    let plain = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .arg("inspect")
        .arg(&path)
        .output()
        .unwrap();
    assert!(plain.status.success());
    let t = String::from_utf8_lossy(&plain.stdout);
    assert!(t.contains("39794-4") && t.contains("19794-4"), "{t}");
}

#[test]
fn pgm_images_have_their_size_and_extension() {
    let mut pgm = b"P5\n3 2\n255\n".to_vec();
    pgm.extend_from_slice(&[0, 1, 2, 3, 4, 5]);
    let img = FingerImage::Iso39794(FingerImageDataBlock::new(vec![Representation::new(
        FingerPosition::LEFT_LITTLE,
        0,
        format::PGM,
        pgm,
    )]));
    let v = img.views();
    assert_eq!((v[0].width, v[0].height), (3, 2));
    assert_eq!(v[0].image_extension(), "pgm");
    // 19794-4:2005 has no PGM: the conversion refuses it.
    let FingerImage::Iso39794(b) = &img else {
        unreachable!()
    };
    assert!(to_19794(b).is_err());
}

#[test]
fn impressions_are_named_from_the_39794_code_list() {
    // 24 is "contactless plain" in 39794-4 and has no 19794-4:2005 name.
    let block = FingerImageDataBlock::new(vec![Representation::new(
        FingerPosition::RIGHT_THUMB,
        24,
        format::PNG,
        png(2, 2),
    )]);
    let img = FingerImage::Iso39794(block);
    assert_eq!(
        img.views()[0].impression_name(),
        "contactless plain (stationary subject)"
    );
    assert_eq!(bsi_record().views()[0].impression_name(), "live-scan plain");
}

#[test]
fn inspect_reads_the_size_from_the_image_and_warns_when_the_record_disagrees() {
    let bsi = std::fs::read(format!("{}/{BSI_DG3}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let json = |bytes: &[u8]| {
        serde_json::to_string(&dactyl::lds::inspect::describe(bytes).unwrap()).unwrap()
    };
    let honest = json(&bsi);
    assert!(
        honest.contains(
            r#""image_file":{"channels":1,"decodes":true,"format":"WSQ","height":620,"width":620}"#
        ),
        "{honest}"
    );
    assert!(!honest.contains("the record says"), "{honest}");
    // A record whose header claims 600x620 around the same 620x620 WSQ image.
    let FingerImage::Iso2005(mut rec) = bsi_record() else {
        panic!("2005 record expected");
    };
    rec.views[0].width = 600;
    let dg3 = Dg3::from_images(vec![FingerImage::Iso2005(rec)])
        .unwrap()
        .encode()
        .unwrap();
    let lying = json(&dg3);
    assert!(
        lying.contains("the image is 620x620 pixels, the record says 600x620"),
        "{lying}"
    );
}
