//! `dactyl enrol` as an issuing clerk runs it: the decision for an applicant record, and the
//! check of a DG3 (the BSI reference DG3, which holds the two index fingers) against it.

#[path = "common/cli.rs"]
mod cli;
use cli::{dactyl, text};

use std::path::{Path, PathBuf};

/// The BSI reference DG3: finger positions 2 and 7.
fn index_fingers_dg3() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/chips/bsi_passport/Datagroup3.bin")
        .display()
        .to_string()
}

fn record(dir: &Path, name: &str, json: &str) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, json).unwrap();
    path.display().to_string()
}

const ADULT: &str = r#"{"date_of_birth": "1990-04-01", "status": "citizen",
    "category": "citizen_passport"}"#;
const NO_THUMBS: &str = r#"{"date_of_birth": "1990-04-01", "status": "citizen",
    "category": "citizen_passport",
    "fingers": {"right_thumb": "amputated", "left_thumb": "no_papillary_pattern"}}"#;
const REFUSING_FOREIGNER: &str = r#"{"date_of_birth": "1990-04-01", "status": "foreigner",
    "category": "residence_permit", "refuses": true}"#;

#[test]
fn the_decision_and_the_dg3_check() {
    let dir = tempfile::tempdir().unwrap();
    let adult = record(dir.path(), "adult.json", ADULT);
    let o = dactyl(&["enrol", &adult, "--on", "2026-06-15"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("Fingerprints: mandatory"), "{t}");
    assert!(
        t.contains("Chip (DG3): 1 (right thumb), 6 (left thumb)"),
        "{t}"
    );
    assert!(t.contains("palms right, left"), "{t}");
    // The index-finger DG3 is refused for an adult with usable thumbs.
    let dg3 = index_fingers_dg3();
    let o = dactyl(&["enrol", &adult, "--on", "2026-06-15", "--dg3", &dg3]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("requires 1 (right thumb), 6 (left thumb)"));
    // Both thumbs unusable: the law's reading wants the ring fingers (4, 9), so the index
    // fingers pass only under the alternative station setting, which the report names.
    let no_thumbs = record(dir.path(), "no_thumbs.json", NO_THUMBS);
    let o = dactyl(&["enrol", &no_thumbs, "--on", "2026-06-15", "--dg3", &dg3]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("4 (right ring finger)"), "{}", text(&o));
    let o = dactyl(&[
        "enrol",
        &no_thumbs,
        "--on",
        "2026-06-15",
        "--dg3",
        &dg3,
        "--substitution",
        "index-finger",
    ]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("DG3 check: may be issued"), "{t}");
    assert!(t.contains("substitution = index-finger"), "{t}");
}

#[test]
fn refusal_blocks_unless_the_station_opts_in_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let refusing = record(dir.path(), "refusing.json", REFUSING_FOREIGNER);
    let o = dactyl(&["enrol", &refusing, "--on", "2026-06-15", "--no-dg3"]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(
        t.contains("administrative expulsion") && t.contains("on_refusal = block"),
        "{t}"
    );
    let o = dactyl(&[
        "enrol",
        &refusing,
        "--on",
        "2026-06-15",
        "--no-dg3",
        "--on-refusal",
        "issue-without-dg3",
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["decision"]["fingerprints"]["consequence"],
        "administrative_expulsion"
    );
    let flags = v["dg3_check"]["flags"].as_array().unwrap();
    assert!(flags[0].as_str().unwrap().contains("issued without DG3"));
    assert_eq!(v["settings"]["on_refusal"], "issue-without-dg3");
}

#[test]
fn bad_records_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = record(
        dir.path(),
        "bad.json",
        r#"{"date_of_birth": "1990-02-30", "status": "citizen", "category": "citizen_passport"}"#,
    );
    let o = dactyl(&["enrol", &bad, "--on", "2026-06-15"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("not a valid applicant record"),
        "{}",
        text(&o)
    );
    let adult = record(dir.path(), "adult.json", ADULT);
    let o = dactyl(&["enrol", &adult, "--on", "2026-13-01"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// The DG3 of the 39794 fixture chip (thumbs 1 and 6 as ISO/IEC 39794-4 blocks).
fn thumbs_dg3_39794(dir: &Path) -> String {
    let image: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/utopia_39794.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let dg3 = hex::decode(image["files"]["DG3"]["hex"].as_str().unwrap()).unwrap();
    let path = dir.join("dg3_39794.bin");
    std::fs::write(&path, dg3).unwrap();
    path.display().to_string()
}

#[test]
fn the_dg3_check_reads_39794_finger_blocks_too() {
    let dir = tempfile::tempdir().unwrap();
    let adult = record(dir.path(), "adult.json", ADULT);
    let dg3 = thumbs_dg3_39794(dir.path());
    let o = dactyl(&["enrol", &adult, "--on", "2026-06-15", "--dg3", &dg3]);
    assert!(o.status.success(), "{}", text(&o));
    // With both thumbs amputated the policy wants the ring fingers: the thumbs are refused.
    let no_thumbs = record(dir.path(), "no_thumbs.json", NO_THUMBS);
    let o = dactyl(&["enrol", &no_thumbs, "--on", "2026-06-15", "--dg3", &dg3]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("finger positions [1, 6]"), "{}", text(&o));
}
