//! `dactyl personalize` as the issuing clerk runs it, on in-process virtual blank chips: the
//! JSON report, records refused before anything is written, and the secure default that keeps
//! fingerprints off a chip that could not protect them.

#[path = "common/cli.rs"]
mod cli;

use cli::{dactyl, text};
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

struct Station {
    dir: tempfile::TempDir,
}

impl Station {
    fn new() -> Station {
        let dir = tempfile::tempdir().unwrap();
        let s = Station { dir };
        assert!(dactyl(&["pki", "init", &s.path("pki")]).status.success());
        assert!(dactyl(&["cvc", "init", &s.path("cv")]).status.success());
        s
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn personalize(&self, applicant: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
        let save = self.dir.path().join(format!("{}.chip.json", extra.len()));
        let _ = std::fs::remove_file(&save);
        let mut args = vec![
            "personalize".to_string(),
            "--applicant".into(),
            applicant.to_string(),
            "--pki".into(),
            self.path("pki"),
            "--chip".into(),
            fixture("fixtures/blank/dactyl.json"),
            "--save".into(),
            save.display().to_string(),
            "--on".into(),
            "2026-11-01".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        (dactyl(&refs), save)
    }
}

#[test]
fn issued_with_a_json_report_and_served_again() {
    let s = Station::new();
    let cv = s.path("cv");
    let (o, save) = s.personalize(
        &fixture("fixtures/applicants/adult_missing_thumb.json"),
        &["--cv", &cv, "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["passed"], true);
    assert_eq!(v["dg3_fingers"], serde_json::json!([4, 6]));
    assert_eq!(
        v["policy"]["decision"]["fingerprints"]["outcome"],
        "mandatory"
    );
    let write = &v["personalization"]["write"];
    assert!(write["apdus"].as_u64().unwrap() <= write["minimum_apdus"].as_u64().unwrap() + 2);
    let can = v["can"].as_str().unwrap();
    assert_eq!(can.len(), 6);
    // The saved chip is the issued one: `dactyl read` verifies it against the issuer's CSCA.
    let o = dactyl(&[
        "read",
        "--chip",
        &save.display().to_string(),
        "--can",
        can,
        "--csca",
        &s.path("pki/csca.pem"),
        "--crl",
        &s.path("pki/csca.crl"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("GENUINE CHIP"), "{}", text(&o));
}

#[test]
fn refused_records_write_nothing() {
    let s = Station::new();
    let cv = s.path("cv");
    // A 14-year-old without consent whose record carries thumbprints.
    let (o, save) = s.personalize(
        &fixture("fixtures/applicants/child_without_consent.json"),
        &["--cv", &cv],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("may not be taken"), "{}", text(&o));
    assert!(!save.exists());
    // An unknown field, named.
    let bad = s.dir.path().join("bad.json");
    let record = std::fs::read_to_string(fixture("fixtures/applicants/child_ten.json"))
        .unwrap()
        .replace("\"sex\"", "\"eye_colour\": \"blue\", \"sex\"");
    std::fs::write(&bad, record).unwrap();
    let (o, save) = s.personalize(&bad.display().to_string(), &["--cv", &cv]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("eye_colour"), "{}", text(&o));
    assert!(!save.exists());
    // Fingerprints, but no CV PKI: the chip could not protect DG3.
    let (o, save) = s.personalize(&fixture("fixtures/applicants/adult_two_thumbs.json"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--cv"), "{}", text(&o));
    assert!(!save.exists());
    // No fingerprints to protect: issued without a CV PKI.
    let (o, save) = s.personalize(&fixture("fixtures/applicants/exempt_no_hands.json"), &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("exempt: a person without both hands"),
        "{}",
        text(&o)
    );
    assert!(save.exists());
}

#[test]
fn the_demo_starts_at_the_issuing_station() {
    let o = dactyl(&["demo"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    let issuing = t
        .find("1. The issuing station personalizes a blank chip")
        .unwrap();
    let border = t.find("2. At the border").unwrap();
    assert!(issuing < border, "{t}");
    assert!(t.contains("locked with the personalization digest"), "{t}");
    assert!(t.contains("every file equal, Passive, Chip, Active and Terminal Authentication pass"));
    assert!(t.contains("GENUINE CHIP"), "{t}");
    assert!(
        t.contains("right thumb (416x512, wsq), left thumb (416x512, wsq)"),
        "{t}"
    );
    assert!(
        t.contains("right thumb: the scanner's PNG written as WSQ"),
        "{t}"
    );
}

#[test]
fn finger_compression_writes_the_scanner_images_as_asked() {
    use dactyl::biometrics::Compression;
    use dactyl::emulator::image::ChipImage;
    use dactyl::lds::dg3::Dg3;
    use dactyl::lds::files::EfId;
    let s = Station::new();
    let cv = s.path("cv");
    let dg3_of = |save: &Path| {
        let image = ChipImage::load(save).unwrap();
        let fs = image.file_system(save.parent().unwrap()).unwrap();
        Dg3::parse(fs.get(EfId::Dg(3)).unwrap()).unwrap()
    };
    // The default: the scanner's PNGs become WSQ.
    let scanner = fixture("fixtures/applicants/scanner_png.json");
    let (o, save) = s.personalize(&scanner, &["--cv", &cv]);
    assert!(o.status.success(), "{}", text(&o));
    for img in &dg3_of(&save).images {
        assert_eq!(img.views()[0].compression, Compression::Wsq);
        assert_eq!(
            Compression::sniff(img.views()[0].image),
            Some(Compression::Wsq)
        );
    }
    // Lossless PNG thumbs of 416x512 would make a DG3 beyond one chip file: refused, nothing
    // written.
    let (o, save) = s.personalize(&scanner, &["--cv", &cv, "--finger-compression", "png"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("DG3 would be"), "{}", text(&o));
    assert!(!save.exists());
    // Raw 8-bit scans of 160x200 written as lossless JPEG 2000.
    let dir = s.dir.path().join("raw_applicant");
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    for t in ["right_thumb.dat", "left_thumb.dat"] {
        std::fs::copy(
            fixture(&format!("fixtures/applicants/templates/{t}")),
            dir.join("templates").join(t),
        )
        .unwrap();
    }
    std::fs::copy(
        fixture("fixtures/applicants/images/face.jp2"),
        dir.join("face.jp2"),
    )
    .unwrap();
    let mut raw = Vec::new();
    for (i, name) in ["right.raw", "left.raw"].iter().enumerate() {
        let pixels: Vec<u8> = (0..160u32 * 200)
            .map(|k| ((k % 160) * 3 + (k / 160) * (i as u32 + 1)) as u8)
            .collect();
        std::fs::write(dir.join(name), &pixels).unwrap();
        raw.push(pixels);
    }
    let record = std::fs::read_to_string(&scanner)
        .unwrap()
        .replace("images/face.jp2", "face.jp2")
        .replace(
            "\"images/right_thumb.png\"",
            "\"right.raw\", \"raw\": {\"width\": 160, \"height\": 200}",
        )
        .replace(
            "\"images/left_thumb.png\"",
            "\"left.raw\", \"raw\": {\"width\": 160, \"height\": 200}",
        );
    std::fs::write(dir.join("applicant.json"), record).unwrap();
    let (o, save) = s.personalize(
        &dir.join("applicant.json").display().to_string(),
        &["--cv", &cv, "--finger-compression", "jp2"],
    );
    assert!(o.status.success(), "{}", text(&o));
    for (img, pixels) in dg3_of(&save).images.iter().zip(&raw) {
        let view = &img.views()[0];
        assert_eq!(view.compression, Compression::Jpeg2000);
        let back = dactyl::biometrics::pixels::decode_image(view.image).unwrap();
        assert_eq!(&back.data, pixels, "lossless");
    }
    // A bit rate WSQ cannot be asked for is refused before anything is written.
    let (o, save) = s.personalize(&scanner, &["--cv", &cv, "--wsq-bitrate", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!save.exists());
}
