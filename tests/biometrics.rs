//! Finger images against real files: the BSI reference DG2 and DG3 (CBEFF group, ISO/IEC
//! 19794-4 finger images, pixel decoding, compression codes edition by edition) and what
//! `dactyl inspect` makes of them. Minutiae records are in tests/minutiae.rs, garbage input in
//! tests/biometrics_garbage.rs.

#[path = "common/biometric_files.rs"]
mod biometric_files;

use biometric_files::*;
use dactyl::biometrics::finger_image::{FingerImage, FingerImageRecord};
use dactyl::biometrics::{Compression, FingerPosition};
use dactyl::lds::biometric_group::{
    BiometricData, BiometricGroup, BiometricHeader, BiometricRecord, FORMAT_OWNER_SC37,
    FORMAT_TYPE_FINGER_IMAGE, RawElement,
};
use dactyl::lds::dg3::Dg3;
use dactyl::lds::inspect::{describe, finger_images};
#[cfg(feature = "cli")]
use serde_json::Value;
#[cfg(feature = "cli")]
use std::process::Command;

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
            _ => None,
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
        assert!(e.to_string().contains("WSQ"), "{e}");
    }

    #[test]
    fn any_image_decodes_through_one_function_wsq_included() {
        let wsq = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/applicants/images/finger_a.wsq"
        ))
        .unwrap();
        let px = dactyl::biometrics::pixels::decode_image(&wsq).unwrap();
        assert_eq!((px.width, px.height, px.channels), (620, 620, 1));
        assert_eq!(px.data.len(), 620 * 620);
        assert_eq!(decode(Compression::WSQ, &wsq).unwrap().pixels, px.data);
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
