//! WSQ decoding (FBI IAFIS-IC-0110 v3.1) against an independent decoder: the pixels of NIST
//! NBIS, run through the PyPI `wsq` 0.9 package by `fixtures/wsq/make_reference.sh`, committed
//! as `fixtures/wsq/<name>.png`. dactyl's decoder does NBIS's single-precision arithmetic in the
//! same order (without fused multiply-add, as the x86_64 wheel is built), so the pixels are
//! required to be identical: measured 0 pixels differing on all four files. Also: sizes and
//! resolutions, and hostile input (truncations, bit flips, a huge frame) never panics.
//! Layer: biometrics (codecs) only.

use dactyl::biometrics::Compression;
use dactyl::biometrics::pixels::{self, GrayImage};
use dactyl::biometrics::wsq;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// Pixel agreement: (pixels that differ, largest difference).
fn compare(a: &GrayImage, b: &GrayImage) -> (usize, u8) {
    assert_eq!((a.width, a.height), (b.width, b.height));
    let mut n = 0;
    let mut max = 0;
    for (&x, &y) in a.pixels.iter().zip(&b.pixels) {
        let d = x.abs_diff(y);
        if d > 0 {
            n += 1;
            max = max.max(d);
        }
    }
    (n, max)
}

fn check_against_reference(wsq_file: &str, png: &str, size: (u32, u32), ppi: Option<u16>) {
    let decoded = wsq::decode(&fixture(wsq_file)).expect("decodes");
    let reference = pixels::decode(Compression::Png, &fixture(png)).expect("reference PNG");
    assert_eq!((decoded.image.width, decoded.image.height), size);
    assert_eq!(decoded.ppi, ppi, "{wsq_file}: resolution");
    let (differ, max) = compare(&decoded.image, &reference);
    assert_eq!(
        (differ, max),
        (0, 0),
        "{wsq_file}: {differ} pixels differ from NBIS, by at most {max}"
    );
}

#[test]
fn bsi_dg3_right_index_matches_nbis() {
    check_against_reference(
        "applicants/images/finger_a.wsq",
        "wsq/finger_a.png",
        (620, 620),
        None,
    );
}

#[test]
fn bsi_dg3_left_index_matches_nbis() {
    check_against_reference(
        "applicants/images/finger_b.wsq",
        "wsq/finger_b.png",
        (620, 620),
        None,
    );
}

#[test]
fn sourceafis_sample_matches_nbis_with_its_nist_comment() {
    check_against_reference(
        "applicants/images/finger_c.wsq",
        "wsq/finger_c.png",
        (832, 768),
        Some(500),
    );
    let d = wsq::decode(&fixture("applicants/images/finger_c.wsq")).unwrap();
    assert!(d.comments.iter().any(|c| c.starts_with("NIST_COM")));
}

/// The decode benchmark's 512x512 file (NBIS-encoded crop of the SourceAFIS sample, made by
/// `fixtures/wsq/make_bench_512.sh`) against NBIS's decode of it.
#[test]
fn bench_512_crop_matches_nbis() {
    check_against_reference(
        "wsq/bench_512.wsq",
        "wsq/bench_512.png",
        (512, 512),
        Some(500),
    );
}

/// The PyPI `wsq` 0.9 sample (CeCILL-C, not copied into fixtures): read from the shared
/// vectors when present, compared with the SHA-256 of NBIS's pixels printed by
/// `make_reference.sh`.
#[test]
fn pypi_wsq_sample_matches_nbis_hash() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/data/fingerprint/images/pypi_wsq-0.9_test.wsq"
    );
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    let d = wsq::decode(&bytes).expect("decodes");
    assert_eq!((d.image.width, d.image.height), (540, 520));
    use sha2::Digest;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&d.image.pixels)),
        "8cc0a0df684c056b6f7f3d3b1cd9fa69920dd577a991461ee8ece55f68c22345"
    );
}

/// Every error names WSQ; a decoded image has the frame's size.
fn decode_or_error(bytes: &[u8]) -> bool {
    match wsq::decode(bytes) {
        Ok(d) => {
            assert_eq!(
                d.image.pixels.len(),
                d.image.width as usize * d.image.height as usize
            );
            true
        }
        Err(e) => {
            assert!(e.to_string().contains("WSQ"), "{e}");
            false
        }
    }
}

#[test]
fn truncated_files_give_an_error_never_a_panic() {
    let data = fixture("applicants/images/finger_a.wsq");
    let start = std::time::Instant::now();
    // Every length through the tables and the first block header, then every 97th.
    let lengths = (0..700).chain((700..data.len()).step_by(97));
    let mut decoded = 0;
    for len in lengths {
        if decode_or_error(&data[..len]) {
            decoded += 1;
        }
    }
    // Without EOI there is no image.
    assert_eq!(decoded, 0);
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn bit_flips_give_an_error_or_an_image_never_a_panic() {
    let data = fixture("applicants/images/finger_a.wsq");
    // Offsets in the transform, quantization, frame and Huffman segments and in the blocks.
    let offsets = [
        1, 3, 5, 9, 40, 66, 70, 120, 200, 455, 460, 462, 474, 480, 500, 625, 626, 5741, 5868, 9000,
        12768, 16000, 16386, 16388,
    ];
    let start = std::time::Instant::now();
    let mut errors = 0;
    for (n, &offset) in offsets.iter().enumerate() {
        let mut bad = data.clone();
        bad[offset] ^= 1 << (n % 8);
        if !decode_or_error(&bad) {
            errors += 1;
        }
    }
    assert!(errors > 0, "some flips break the file");
    assert!(start.elapsed() < std::time::Duration::from_secs(120));
}

#[test]
fn a_frame_larger_than_the_cap_is_refused_before_allocation() {
    // SOI, SOF: black 0, white 255, 65535 x 65535, M = 0, R = 1, encoder 2, software 0.
    let header = [
        0xFF, 0xA0, 0xFF, 0xA2, 0x00, 0x11, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x02, 0x00, 0x00,
    ];
    let e = wsq::decode(&header).unwrap_err().to_string();
    assert!(e.contains("65535x65535"), "{e}");
    // 4097 x 4096 is just over pixels::MAX_PIXELS (16 Mi).
    let mut over = header;
    over[8..12].copy_from_slice(&[0x10, 0x00, 0x10, 0x01]);
    let e = wsq::decode(&over).unwrap_err().to_string();
    assert!(e.contains("4097x4096"), "{e}");
    // 4096 x 4096 passes the cap and then needs tables the header does not have.
    over[8..12].copy_from_slice(&[0x10, 0x00, 0x10, 0x00]);
    let e = wsq::decode(&over).unwrap_err().to_string();
    assert!(!e.contains("4096x4096"), "{e}");
}

#[test]
fn a_block_selecting_an_undefined_huffman_table_is_an_error() {
    let mut data = fixture("applicants/images/finger_a.wsq");
    // The first SOB (offset 623): length 2 bytes, then its table selector.
    assert_eq!(&data[623..625], &[0xFF, 0xA3]);
    data[627] = 7;
    let e = wsq::decode(&data).unwrap_err().to_string();
    assert!(e.contains("Huffman table 7"), "{e}");
}
