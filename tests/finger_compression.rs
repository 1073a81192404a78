//! The issuing side writes DG3's finger images in the station's compression
//! (`--finger-compression wsq|png|jp2`, WSQ at 0.75 bpp the default): a scanner's PNG, JPEG,
//! JPEG 2000, WSQ or raw file is decoded, kept when already in that format, transcoded
//! otherwise, and decoded again before it is written. Layer: issuance, biometrics.

#[path = "common/issuing.rs"]
mod issuing;

use dactyl::biometrics::Compression;
use dactyl::biometrics::finger_image::FingerImage;
use dactyl::biometrics::pixels::{GrayImage, Pixels, decode_image, encode_png, psnr};
use dactyl::biometrics::wsq;
use dactyl::issuance::applicant::{
    FingerCompression, FingerEncoding, WSQ_MIN_PSNR_DB, encode_finger, files_in,
};
use dactyl::issuance::personalization::{Issuer, Plan, PlanOptions, plan};
use dactyl::lds::dg3::Dg3;
use dactyl::lds::files::EfId;
use issuing::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn gray(bytes: &[u8]) -> Vec<u8> {
    decode_image(bytes).unwrap().to_gray().pixels
}

fn encoding(compression: FingerCompression) -> FingerEncoding {
    FingerEncoding {
        compression,
        ..FingerEncoding::default()
    }
}

#[test]
fn a_scanner_png_becomes_wsq_at_the_target_rate_by_default() {
    let png = fixture("wsq/finger_a.png");
    let out = encode_finger(&png, None, 500, &FingerEncoding::default()).unwrap();
    assert_eq!(out.compression, Compression::Wsq);
    assert_eq!(out.size, (620, 620));
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let decoded = wsq::decode(&out.bytes).unwrap();
    assert_eq!(decoded.ppi, Some(500));
    let target = 620.0 * 620.0 * 0.75 / 8.0;
    let size = out.bytes.len() as f64;
    assert!(
        (size - target).abs() <= 0.10 * target,
        "{size} bytes for a target of {target}"
    );
    let db = psnr(&gray(&png), &decoded.image.pixels);
    assert!(db > WSQ_MIN_PSNR_DB, "{db} dB");
}

#[test]
fn a_file_already_in_the_chosen_format_is_kept_byte_for_byte() {
    let wsq_file = fixture("applicants/images/finger_a.wsq");
    let out = encode_finger(&wsq_file, None, 500, &FingerEncoding::default()).unwrap();
    assert_eq!(out.bytes, wsq_file);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let png = fixture("applicants/images/finger_d.png");
    let out = encode_finger(&png, None, 500, &encoding(FingerCompression::Png)).unwrap();
    assert_eq!(out.bytes, png);
}

#[test]
fn lossless_targets_give_back_the_scanner_pixels_and_lossy_sources_are_named() {
    let wsq_file = fixture("applicants/images/finger_a.wsq");
    let source = gray(&wsq_file);
    for (target, compression, format) in [
        (FingerCompression::Png, Compression::Png, Compression::Png),
        (
            FingerCompression::Jpeg2000,
            Compression::Jpeg2000Lossless,
            Compression::Jpeg2000,
        ),
    ] {
        let out = encode_finger(&wsq_file, None, 500, &encoding(target)).unwrap();
        assert_eq!(out.compression, compression);
        assert_eq!(Compression::sniff(&out.bytes), Some(format));
        assert_eq!(gray(&out.bytes), source, "{target:?}");
        assert!(
            out.warnings
                .iter()
                .any(|w| w.contains("transcoded from WSQ") && w.contains("second generation")),
            "{:?}",
            out.warnings
        );
        // The resolution goes into the file too.
        let px = decode_image(&out.bytes).unwrap();
        let (h, v) = px.resolution.unwrap().ppi();
        assert!(
            (h - 500.0).abs() < 0.5 && (v - 500.0).abs() < 0.5,
            "{h} {v}"
        );
    }
}

#[test]
fn raw_images_need_their_size_and_unknown_files_are_refused() {
    let source = gray(&fixture("applicants/images/finger_d.png"));
    let out = encode_finger(
        &source,
        Some((180, 220)),
        500,
        &encoding(FingerCompression::Jpeg2000),
    )
    .unwrap();
    assert_eq!(gray(&out.bytes), source);
    let short = encode_finger(
        &source[1..],
        Some((180, 220)),
        500,
        &FingerEncoding::default(),
    );
    assert!(
        short
            .unwrap_err()
            .to_string()
            .contains("is 39600 bytes, this file 39599")
    );
    let unknown = encode_finger(&source, None, 500, &FingerEncoding::default()).unwrap_err();
    assert!(unknown.to_string().contains("\"raw\""), "{unknown}");
}

#[test]
fn colour_odd_resolutions_and_broken_files_are_reported() {
    let grey = decode_image(&fixture("applicants/images/finger_d.png")).unwrap();
    let colour = Pixels {
        channels: 3,
        data: grey.data.iter().flat_map(|&g| [g, g, g]).collect(),
        ..grey.clone()
    };
    let out = encode_finger(
        &encode_png(&colour).unwrap(),
        None,
        1000,
        &FingerEncoding::default(),
    )
    .unwrap();
    let all = out.warnings.join(" | ");
    assert!(all.contains("a colour image, written as grey"), "{all}");
    assert!(all.contains("WSQ is specified for 500 ppi"), "{all}");
    let mut broken = fixture("wsq/finger_a.png");
    broken.truncate(broken.len() / 3);
    assert!(encode_finger(&broken, None, 500, &FingerEncoding::default()).is_err());
}

/// The centre `w`x`h` pixels of a fixture image.
fn crop(name: &str, w: u32, h: u32) -> GrayImage {
    decode_image(&fixture(name))
        .unwrap()
        .to_gray()
        .centre(w, h)
        .unwrap()
}

fn png_of(g: &GrayImage) -> Vec<u8> {
    encode_png(&Pixels {
        width: g.width,
        height: g.height,
        channels: 1,
        data: g.pixels.clone(),
        resolution: None,
    })
    .unwrap()
}

/// The plan for the `scanner_png` applicant whose two thumb files are `right` and `left`.
fn plan_with(right: Vec<u8>, left: Vec<u8>, opts: &PlanOptions) -> Plan {
    let (pki, cv) = issuer_pkis();
    let dir = applicants_dir();
    let files = files_in(&dir);
    let load = |p: &std::path::Path| -> dactyl::Result<Vec<u8>> {
        match p.to_str() {
            Some("images/right_thumb.png") => Ok(right.clone()),
            Some("images/left_thumb.png") => Ok(left.clone()),
            _ => files(p),
        }
    };
    plan(
        &applicant("scanner_png"),
        &load,
        &Issuer::from_test_pkis(&pki, Some(&cv)),
        opts,
    )
    .unwrap()
}

/// DG3 and warnings of [`plan_with`] in `encoding`.
fn dg3_of(right: Vec<u8>, left: Vec<u8>, encoding: FingerEncoding) -> (Dg3, Vec<String>) {
    let mut opts = PlanOptions::new(issuing_date());
    opts.finger_encoding = encoding;
    let p = plan_with(right, left, &opts);
    (
        Dg3::parse(p.files.get(EfId::Dg(3)).unwrap()).unwrap(),
        p.warnings,
    )
}

#[test]
fn the_plan_writes_the_scanner_images_in_each_compression() {
    // PNG and lossless JPEG 2000 thumbs take about 5 bits per pixel: two of 416x512 would
    // not fit a chip file, so the lossless cases use 160x200 crops.
    for compression in [
        FingerCompression::Wsq,
        FingerCompression::Png,
        FingerCompression::Jpeg2000,
    ] {
        let (w, h) = match compression {
            FingerCompression::Wsq => (416, 512),
            _ => (160, 200),
        };
        let sources = [
            crop("applicants/images/right_thumb.png", w, h),
            crop("applicants/images/left_thumb.png", w, h),
        ];
        let (dg3, warnings) = dg3_of(
            png_of(&sources[0]),
            png_of(&sources[1]),
            encoding(compression),
        );
        assert!(warnings.is_empty(), "{compression:?}: {warnings:?}");
        assert_eq!(dg3.images.len(), 2);
        for (img, source) in dg3.images.iter().zip(&sources) {
            let FingerImage::Iso2005(rec) = img else {
                panic!("a 2005 record")
            };
            assert_eq!(rec.compression, compression.compression());
            let view = &rec.views[0];
            assert_eq!((u32::from(view.width), u32::from(view.height)), (w, h));
            let back = gray(&view.image);
            if compression == FingerCompression::Wsq {
                assert!(psnr(&source.pixels, &back) > WSQ_MIN_PSNR_DB);
            } else {
                assert_eq!(back, source.pixels, "{compression:?}");
            }
        }
    }
}

#[test]
fn the_plan_reports_a_transcoded_lossy_scan() {
    let wsq_of =
        |name: &str| wsq::encode(&crop(name, 160, 200), &wsq::EncodeOptions::default()).unwrap();
    let (dg3, warnings) = dg3_of(
        wsq_of("applicants/images/right_thumb.png"),
        wsq_of("applicants/images/left_thumb.png"),
        encoding(FingerCompression::Png),
    );
    assert_eq!(dg3.images.len(), 2);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("fingers (right thumb): transcoded from WSQ to PNG"),
        "{warnings:?}"
    );
}

#[test]
fn a_dg3_too_large_for_a_chip_file_is_refused_before_anything_is_written() {
    // Two 620x620 thumbs at 0.75 bpp: 2 x 36 KB, beyond the 65535 bytes of one chip file.
    let record = std::fs::read_to_string(applicants_dir().join("scanner_png.json"))
        .unwrap()
        .replace("images/right_thumb.png", "../wsq/finger_a.png")
        .replace("images/left_thumb.png", "../wsq/finger_b.png");
    let record = dactyl::issuance::applicant::ApplicantRecord::from_json(&record).unwrap();
    let (pki, cv) = issuer_pkis();
    let issuer = Issuer::from_test_pkis(&pki, Some(&cv));
    let dir = applicants_dir();
    let load = files_in(&dir);
    let mut opts = PlanOptions::new(issuing_date());
    let err = plan(&record, &load, &issuer, &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("DG3 would be") && err.contains("a lower --wsq-bitrate (now 0.75)"),
        "{err}"
    );
    opts.finger_encoding.wsq_bits_per_pixel = 0.5;
    let p = plan(&record, &load, &issuer, &opts).unwrap();
    assert!(p.files.get(EfId::Dg(3)).unwrap().len() <= 65535);
}

#[test]
fn lossless_jpeg_2000_is_named_lossless_in_39794_records() {
    use dactyl::biometrics::finger_39794::format;
    use dactyl::issuance::personalization::BiometricFormat;
    let mut opts = PlanOptions::new(issuing_date());
    opts.finger_encoding = encoding(FingerCompression::Jpeg2000);
    opts.biometric_format = BiometricFormat::Iso39794;
    let small = |name: &str| png_of(&crop(name, 160, 200));
    let p = plan_with(
        small("applicants/images/right_thumb.png"),
        small("applicants/images/left_thumb.png"),
        &opts,
    );
    let dg3 = Dg3::parse(p.files.get(EfId::Dg(3)).unwrap()).unwrap();
    for img in &dg3.images {
        let FingerImage::Iso39794(block) = img else {
            panic!("a 39794-4 block")
        };
        assert_eq!(
            block.representations[0].image_format.value(),
            format::JPEG2000_LOSSLESS
        );
    }
}
