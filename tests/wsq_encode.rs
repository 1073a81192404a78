//! The WSQ encoder (FBI IAFIS-IC-0110 v3.1): round trips through dactyl's decoder, rate
//! control, refusals, and an independent check with NIST NBIS (PyPI `wsq` 0.9) by
//! `fixtures/wsq/make_encoder_check.sh`, which printed (0.75 bpp, PSNR of NBIS's decode of each
//! file against the original PNG):
//!
//! | image    | encoder | bytes | bpp   | PSNR dB |
//! |----------|---------|-------|-------|---------|
//! | finger_a | dactyl  | 36271 | 0.755 | 48.36   |
//! | finger_a | NBIS    | 16440 | 0.342 | 42.66   |
//! | finger_b | dactyl  | 35587 | 0.741 | 46.61   |
//! | finger_b | NBIS    | 16024 | 0.333 | 42.02   |
//! | finger_c | dactyl  | 61086 | 0.765 | 56.39   |
//! | finger_c | NBIS    | 34232 | 0.429 | 45.89   |
//!
//! (NBIS, asked for 0.75 bpp, writes far less, as its allocation alone does; dactyl's rate
//! control reaches the target. The PNGs were themselves decoded from 0.75 bpp WSQ files.)
//!
//! At the size NBIS wrote (dactyl asked for NBIS's bits per pixel):
//!
//! | image    | bytes | bpp   | PSNR dB | before the allocation followed NBIS |
//! |----------|-------|-------|---------|-------------------------------------|
//! | finger_a | 16459 | 0.343 | 44.48   | 16398 bytes, 40.20 dB               |
//! | finger_b | 16045 | 0.334 | 44.84   | 15954 bytes, 39.97 dB               |
//! | finger_c | 34749 | 0.435 | 46.23   | 35165 bytes, 43.82 dB               |
//!
//! Layer: biometrics (codecs) only.

use dactyl::biometrics::pixels::{self, GrayImage};
use dactyl::biometrics::wsq::{self, EncodeOptions};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn finger(name: &str) -> GrayImage {
    pixels::decode_image(&fixture(&format!("wsq/{name}.png")))
        .expect("reference PNG")
        .to_gray()
}

fn psnr(a: &GrayImage, b: &GrayImage) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    pixels::psnr(&a.pixels, &b.pixels)
}

fn at(rate: f32) -> EncodeOptions {
    EncodeOptions {
        bits_per_pixel: rate,
        ..EncodeOptions::default()
    }
}

/// Encodes, decodes, checks size against the target (within 10 %), and returns (bytes, PSNR).
fn round_trip(image: &GrayImage, rate: f32) -> (Vec<u8>, f64) {
    let bytes = wsq::encode(image, &at(rate)).expect("encodes");
    let target = f64::from(image.width) * f64::from(image.height) * f64::from(rate) / 8.0;
    let ratio = bytes.len() as f64 / target;
    let d = wsq::decode(&bytes).expect("decodes");
    assert_eq!((d.image.width, d.image.height), (image.width, image.height));
    let p = psnr(image, &d.image);
    eprintln!(
        "{}x{} at {rate}: {} bytes ({ratio:.3} of target), PSNR {p:.2} dB",
        image.width,
        image.height,
        bytes.len()
    );
    (bytes, p)
}

/// The three fingers at 0.75 bpp: size within 10 % of the target, the NIST comment, the PPI
/// and the size come back, and the PSNR of dactyl's decode is at least the value measured when
/// the encoder was written less 1 dB (measured: 48.36, 46.61 and 56.39 dB;
/// the PNGs were themselves decoded from WSQ files, hence the high values).
#[test]
fn fingers_round_trip_at_0_75_bpp() {
    for (name, bound) in [
        ("finger_a", BOUND_A),
        ("finger_b", BOUND_B),
        ("finger_c", BOUND_C),
    ] {
        let image = finger(name);
        let (bytes, p) = round_trip(&image, 0.75);
        let target = f64::from(image.width * image.height) * 0.75 / 8.0;
        let ratio = bytes.len() as f64 / target;
        assert!(
            (0.9..=1.1).contains(&ratio),
            "{name}: {} bytes, {ratio:.3} of the target",
            bytes.len()
        );
        assert!(p >= bound, "{name}: PSNR {p:.2} dB under {bound}");
        let d = wsq::decode(&bytes).unwrap();
        assert_eq!(d.ppi, Some(500));
        let nist = d.comments.first().expect("a comment");
        for field in [
            "NIST_COM 9".to_string(),
            format!("PIX_WIDTH {}", image.width),
            format!("PIX_HEIGHT {}", image.height),
            "PIX_DEPTH 8".into(),
            "PPI 500".into(),
            "LOSSY 1".into(),
            "COLORSPACE GRAY".into(),
            "COMPRESSION WSQ".into(),
            "WSQ_BITRATE 0.750000".into(),
        ] {
            assert!(
                nist.lines().any(|l| l == field),
                "{name}: {field} missing in {nist:?}"
            );
        }
    }
}

const BOUND_A: f64 = 47.3;
const BOUND_B: f64 = 45.6;
const BOUND_C: f64 = 55.3;

/// NBIS's encoder on the three fingers, asked for 0.75 bpp, as `make_encoder_check.sh` printed
/// it (PyPI `wsq` 0.9): file size in bytes and the PSNR in dB of NBIS's decode of its own file
/// against the original PNG.
const NBIS_AT_0_75: [(&str, usize, f64); 3] = [
    ("finger_a", 16440, 42.66),
    ("finger_b", 16024, 42.02),
    ("finger_c", 34232, 45.89),
];

/// At the size NBIS's encoder writes, dactyl's file is at most 3 % larger (the rate control's
/// tolerance) and its PSNR is at most 0.3 dB under NBIS's (dactyl's decode equals NBIS's, see
/// `nbis_decodes_the_encoded_files_to_dactyls_pixels`).
#[test]
fn at_nbis_size_the_psnr_is_at_least_nbis_less_0_3_db() {
    for (name, nbis_bytes, nbis_psnr) in NBIS_AT_0_75 {
        let image = finger(name);
        let rate = nbis_bytes as f64 * 8.0 / f64::from(image.width * image.height);
        let (bytes, p) = round_trip(&image, rate as f32);
        assert!(
            bytes.len() as f64 <= nbis_bytes as f64 * 1.03,
            "{name}: {} bytes, NBIS {nbis_bytes}",
            bytes.len()
        );
        assert!(
            p >= nbis_psnr - 0.3,
            "{name}: PSNR {p:.2} dB at {} bytes; NBIS {nbis_psnr} dB at {nbis_bytes}",
            bytes.len()
        );
    }
}

/// Other rates land within 10 % of their targets, and more bits give a higher PSNR.
#[test]
fn other_rates_hit_their_targets_and_more_bits_look_better() {
    let image = finger("finger_a");
    let mut last = 0.0;
    for rate in [0.4f32, 0.75, 1.5] {
        let (bytes, p) = round_trip(&image, rate);
        let target = f64::from(image.width * image.height) * f64::from(rate) / 8.0;
        let ratio = bytes.len() as f64 / target;
        assert!(
            (0.9..=1.1).contains(&ratio),
            "{rate}: {ratio:.3} of the target"
        );
        assert!(p > last, "{rate} bpp: PSNR {p:.2} not above {last:.2}");
        last = p;
    }
}

/// A rate the image cannot use (finger_c was itself decoded from a 0.75 bpp WSQ: its finest
/// subbands are below the variance threshold and never sent) gives the finest quantization,
/// smaller than the target and at least as good as 1.5 bpp.
#[test]
fn an_unreachable_rate_gives_the_finest_file() {
    let image = finger("finger_c");
    let (_, p15) = round_trip(&image, 1.5);
    let (bytes, p4) = round_trip(&image, 4.0);
    assert!((bytes.len() as f64) < f64::from(image.width * image.height) * 4.0 / 8.0 * 0.9);
    assert!(p4 >= p15, "{p4} < {p15}");
}

#[test]
fn encoding_is_deterministic() {
    let image = finger("finger_b");
    let a = wsq::encode(&image, &EncodeOptions::default()).unwrap();
    let b = wsq::encode(&image, &EncodeOptions::default()).unwrap();
    assert_eq!(a, b);
}

fn gray(width: u32, height: u32, f: impl Fn(u32, u32) -> u8) -> GrayImage {
    let pixels = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .map(|(x, y)| f(x, y))
        .collect();
    GrayImage {
        width,
        height,
        pixels,
    }
}

fn refused(image: &GrayImage, options: &EncodeOptions, what: &str) {
    match wsq::encode(image, options) {
        Ok(_) => panic!("{what}: encoded"),
        Err(e) => assert!(e.to_string().contains("WSQ"), "{what}: {e}"),
    }
}

#[test]
fn refusals_are_errors_not_panics() {
    let ok = gray(100, 100, |x, y| (x + y) as u8);
    refused(
        &gray(80, 100, |_, _| 9),
        &EncodeOptions::default(),
        "too narrow",
    );
    refused(
        &gray(100, 80, |_, _| 9),
        &EncodeOptions::default(),
        "too low",
    );
    refused(&gray(0, 0, |_, _| 9), &EncodeOptions::default(), "empty");
    let mut short = ok.clone();
    short.pixels.pop();
    refused(&short, &EncodeOptions::default(), "one pixel missing");
    let mut long = ok.clone();
    long.pixels.push(0);
    refused(&long, &EncodeOptions::default(), "one pixel too many");
    for rate in [0.0f32, 0.09, 8.1, -1.0, f32::NAN, f32::INFINITY] {
        refused(&ok, &at(rate), &format!("rate {rate}"));
    }
    refused(
        &gray(70000, 100, |_, _| 0),
        &EncodeOptions::default(),
        "too wide for the frame",
    );
    let huge = GrayImage {
        width: 5000,
        height: 5000,
        pixels: Vec::new(),
    };
    refused(&huge, &EncodeOptions::default(), "over MAX_PIXELS");
    let comment = EncodeOptions {
        comment: Some("x".repeat(70000)),
        ..EncodeOptions::default()
    };
    refused(&ok, &comment, "comment too long for a segment");
    // The smallest accepted size encodes.
    assert!(
        wsq::encode(
            &gray(81, 81, |x, y| (x * y) as u8),
            &EncodeOptions::default()
        )
        .is_ok()
    );
}

/// A flat image is the mean alone: exact. Noise cannot be compressed much: it decodes, with a
/// low PSNR. Sizes printed for the report.
#[test]
fn flat_and_noise_images() {
    let flat = gray(200, 150, |_, _| 77);
    let bytes = wsq::encode(&flat, &EncodeOptions::default()).unwrap();
    let d = wsq::decode(&bytes).unwrap();
    eprintln!("flat 200x150: {} bytes", bytes.len());
    assert_eq!(d.image, flat);
    let noise = gray(256, 256, |x, y| {
        let mut h =
            (x.wrapping_mul(0x9E37_79B9) ^ y.wrapping_mul(0x85EB_CA6B)).wrapping_add(0x2545_F491);
        h ^= h >> 15;
        h = h.wrapping_mul(0x2C1B_3C6D);
        h ^= h >> 12;
        (h >> 24) as u8
    });
    let (bytes, p) = round_trip(&noise, 0.75);
    eprintln!("noise 256x256: {} bytes, PSNR {p:.2}", bytes.len());
    assert!(p.is_finite() && p > 5.0);
}

/// Synthetic images of awkward sizes encode and decode with a finite PSNR (loose bounds under
/// the measured 32, 14, 54 and 53 dB: the headers take most of a small file),
/// never lower at 2 bpp.
#[test]
fn synthetic_images_round_trip() {
    let cases: [(&str, GrayImage, f64); 4] = [
        (
            "gradient 128x128",
            gray(128, 128, |x, y| (x + y) as u8),
            30.0,
        ),
        (
            "checkerboard 100x97",
            gray(
                100,
                97,
                |x, y| if (x / 8 + y / 8) % 2 == 0 { 30 } else { 220 },
            ),
            10.0,
        ),
        (
            "rings 513x511",
            gray(513, 511, |x, y| {
                let (dx, dy) = (f64::from(x) - 256.0, f64::from(y) - 255.0);
                (128.0 + 100.0 * ((dx * dx + dy * dy).sqrt() / 6.0).sin()) as u8
            }),
            10.0,
        ),
        (
            "gradient 97x300",
            gray(97, 300, |x, y| (x / 2 + y / 3) as u8),
            35.0,
        ),
    ];
    for (what, image, bound) in cases {
        let mut last = 0.0;
        for rate in [0.75f32, 2.0] {
            let (_, p) = round_trip(&image, rate);
            assert!(
                p.is_finite() && p >= bound && p >= last,
                "{what} at {rate}: PSNR {p:.2} under {bound} or {last:.2}"
            );
            last = p;
        }
    }
}

/// Today's encoder gives the bytes `make_encoder_check.sh` committed (a change to the encoder
/// must re-run the script, and with it the NBIS check below).
#[test]
fn encoder_output_equals_the_committed_files() {
    for name in ["finger_a", "finger_b", "finger_c"] {
        let bytes = wsq::encode(&finger(name), &EncodeOptions::default()).unwrap();
        assert!(
            bytes == fixture(&format!("wsq/encoded/{name}.wsq")),
            "{name}: the encoder's output changed; re-run fixtures/wsq/make_encoder_check.sh"
        );
    }
}

/// NBIS decodes dactyl's files to the same pixels as dactyl's decoder: 0 pixels differ.
#[test]
fn nbis_decodes_the_encoded_files_to_dactyls_pixels() {
    for name in ["finger_a", "finger_b", "finger_c"] {
        let d = wsq::decode(&fixture(&format!("wsq/encoded/{name}.wsq"))).unwrap();
        let nbis = pixels::decode_image(&fixture(&format!("wsq/encoded/{name}.nbis.png")))
            .unwrap()
            .to_gray();
        assert_eq!((d.image.width, d.image.height), (nbis.width, nbis.height));
        let differ = d
            .image
            .pixels
            .iter()
            .zip(&nbis.pixels)
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(differ, 0, "{name}: {differ} pixels differ from NBIS");
    }
}
