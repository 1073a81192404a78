//! The 39794 fixture chip (`fixtures/chips/utopia_39794.json`: DG2 and DG3 as ISO/IEC 39794-5/-4
//! blocks, written by dactyl's own encoder through `dactyl personalize --biometric-format
//! 39794`) read end to end by `dactyl read` with Terminal Authentication and Passive
//! Authentication, in-process and as a card in pcscd's vpcd reader; the images it saves are the
//! ones that were encoded. With `CI` set the pcscd test fails when pcscd is missing.

#[path = "common/pcscd.rs"]
mod pcscd;

use dactyl::transport::pcsc::PcscTransport;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

/// `dactyl read` of the fixture chip (`source`: `--chip FILE` or `--reader NAME`), saving into
/// `out`; returns the report.
fn read(source: &[&str], out: &Path) -> String {
    let mut args = vec!["read"];
    args.extend_from_slice(source);
    let (csca, crl) = (
        root("fixtures/pki/test/csca.pem"),
        root("fixtures/pki/test/csca.crl"),
    );
    let chain = format!(
        "{},{}",
        root("fixtures/eac/dv.cvcert"),
        root("fixtures/eac/is.cvcert")
    );
    let key = root("fixtures/eac/is.key");
    let out_s = out.display().to_string();
    args.extend([
        "--can",
        "482193",
        "--csca",
        &csca,
        "--crl",
        &crl,
        "--ta-chain",
        &chain,
        "--ta-key",
        &key,
        "--out",
        &out_s,
    ]);
    let o = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(&args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{text}");
    text
}

fn check(text: &str, out: &Path) {
    assert!(text.contains("GENUINE CHIP"), "{text}");
    assert!(
        text.contains("DG3 hash                            matches the SOD"),
        "{text}"
    );
    assert!(text.contains("Terminal Auth.  pass"), "{text}");
    let image = |rel: &str| std::fs::read(root(rel)).unwrap();
    let saved = |name: &str| std::fs::read(out.join(name)).unwrap();
    assert_eq!(
        saved("DG2_1.jp2"),
        image("fixtures/applicants/images/face.jp2")
    );
    assert_eq!(
        saved("DG3_1_right_thumb.wsq"),
        image("fixtures/applicants/images/finger_a.wsq")
    );
    assert_eq!(
        saved("DG3_2_left_thumb.wsq"),
        image("fixtures/applicants/images/finger_b.wsq")
    );
    // Beside each image, its pixels as PNG: the thumbs equal NBIS's decoding of the same WSQ
    // files (fixtures/wsq/), the face is the JPEG 2000 decoded.
    let pixels = |bytes: &[u8]| dactyl::biometrics::pixels::decode_image(bytes).unwrap();
    for (png, reference) in [
        ("DG3_1_right_thumb.png", "fixtures/wsq/finger_a.png"),
        ("DG3_2_left_thumb.png", "fixtures/wsq/finger_b.png"),
    ] {
        let (ours, nbis) = (pixels(&saved(png)), pixels(&image(reference)));
        assert_eq!((ours.width, ours.height), (620, 620), "{png}");
        assert_eq!(ours.to_gray().pixels, nbis.to_gray().pixels, "{png}");
    }
    let face = pixels(&saved("DG2_1.png"));
    assert_eq!(
        face.data,
        pixels(&image("fixtures/applicants/images/face.jp2")).data
    );
}

fn chip() -> PathBuf {
    PathBuf::from(root("fixtures/chips/utopia_39794.json"))
}

#[test]
fn the_39794_chip_reads_genuine_in_process() {
    let out = tempfile::tempdir().unwrap();
    let text = read(&["--chip", chip().to_str().unwrap()], out.path());
    check(&text, out.path());
}

#[test]
fn the_39794_chip_reads_genuine_through_pcscd() {
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let _emulator = pcscd::EmulateProcess::start(&chip(), pcscd.vpcd_addr());
    PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .expect("card appears in the vpcd reader");
    let out = tempfile::tempdir().unwrap();
    let text = read(&["--reader", pcscd.reader()], out.path());
    check(&text, out.path());
}
