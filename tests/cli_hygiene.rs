//! The command line on hostile or mistaken input: file size caps, chip-image path containment,
//! a closed stdout, one-line chip-image errors, a bad vpcd address, a three-line TD3 MRZ.

#[path = "common/cli.rs"]
mod cli;
use cli::dactyl;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

#[test]
fn endless_and_oversized_files_are_refused() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let t = Instant::now();
    let o = dactyl(&["inspect", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("/dev/zero: larger than 4 MB"),
        "{}",
        stderr(&o)
    );
    assert!(t.elapsed() < Duration::from_secs(20));

    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.bin");
    std::fs::write(&big, vec![0u8; 4 * 1024 * 1024 + 1]).unwrap();
    let big = big.display().to_string();
    let o = dactyl(&["verify", "--sod", &big, "--no-crl-required"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("larger than 4 MB"), "{}", stderr(&o));
    let o = dactyl(&["inspect", &big]);
    assert!(stderr(&o).contains("larger than 4 MB"), "{}", stderr(&o));
    // Trust stores: a CSCA file (or each file of a folder) and master lists up to 16 MB.
    let sod = fixture("chips/td3_passport_sod.bin").display().to_string();
    let o = dactyl(&["verify", "--sod", &sod, "--csca", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("/dev/zero: larger than 16 MB"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn chip_image_paths_stay_in_the_image_folder_unless_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.bin");
    std::fs::copy(fixture("chips/bsi_passport/Datagroup2.bin"), &outside).unwrap();
    std::fs::create_dir(dir.path().join("img")).unwrap();
    let image = dir.path().join("img/chip.json");
    for dg2 in [outside.display().to_string(), "../outside.bin".to_string()] {
        let json = format!(r#"{{"mrz": {MRZ:?}, "files": {{"DG2": {{"path": {dg2:?}}}}}}}"#);
        std::fs::write(&image, json).unwrap();
        let image = image.display().to_string();
        let o = dactyl(&["read", "--chip", &image, "--mrz", MRZ, "--files", "DG2"]);
        assert_eq!(o.status.code(), Some(1), "{dg2}: {}", stderr(&o));
        assert!(stderr(&o).contains("--trust-image-paths"), "{}", stderr(&o));
        let o = dactyl(&["emulate", "--chip", &image]);
        assert_eq!(o.status.code(), Some(1), "{dg2}: {}", stderr(&o));
        assert!(stderr(&o).contains("stay in its folder"), "{}", stderr(&o));

        let o = dactyl(&[
            "read",
            "--chip",
            &image,
            "--mrz",
            MRZ,
            "--files",
            "DG2",
            "--trust-image-paths",
        ]);
        assert!(o.status.success(), "{dg2}: {}", stderr(&o));
    }
}

#[test]
fn a_closed_stdout_ends_the_demo_quietly() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .arg("demo")
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn chip_image_errors_take_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("bad.toml", "mrz = \nfoo = 1\n", "line 1, column 7"),
        (
            "field.toml",
            "mrz = \"x\"\nfilez = 3\n",
            "unknown field `filez`",
        ),
        (
            "bad.json",
            r#"{"mrz": "x", "filez": {}}"#,
            "unknown field `filez`",
        ),
    ];
    for (name, text, expected) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let o = dactyl(&["emulate", "--chip", &p.display().to_string()]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{e}");
        assert_eq!(e.trim_end().lines().count(), 1, "{e}");
        assert_eq!(e.matches("chip image").count(), 1, "{e}");
        assert!(e.contains(expected), "{e}");
        assert!(e.contains(name), "{e}");
    }
}

#[test]
fn a_vpcd_address_that_is_not_host_port_is_a_usage_error() {
    let image = fixture("chips/td3_passport.json").display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(["emulate", "--chip", &image, "--vpcd", "not an address"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if t.elapsed() > Duration::from_secs(15) {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let o = child.wait_with_output().unwrap();
    let status = status.expect("emulate kept retrying a malformed address");
    assert_eq!(status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("HOST:PORT"), "{}", stderr(&o));
}

#[test]
fn a_three_line_mrz_of_44_characters_is_named_td3() {
    let line2 = MRZ.lines().nth(1).unwrap();
    let three = format!("{MRZ}\n{line2}");
    let image = fixture("chips/td3_passport.json").display().to_string();
    let o = dactyl(&["read", "--chip", &image, "--mrz", &three]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("that is a TD3 MRZ"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("TD1 needs"), "{}", stderr(&o));
}
