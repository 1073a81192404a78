//! An independent match-on-card terminal against dactyl's virtual chip: the Python script
//! `tests/independent/moc_terminal.py`, written from ISO/IEC 7816-11 (BIT group, VERIFY with a
//! biometric data object), ISO/IEC 7816-4 (VERIFY status words, command chaining), ISO/IEC
//! 19785-3 (subtype bits) and ISO/IEC 19794-2 (2005/2011 records, clause 8 conversion to the
//! compact card format) and the README's status-word table, without dactyl's match-on-card
//! code. It opens `dactyl emulate` on `fixtures/chips/utopia_moc.json` through pcscd + vpcd,
//! runs PACE with the CAN, reads the BIT group, converts the probe record itself and sends
//! VERIFY: empty (63C3), genuine (9000), chained (9000), one miss then a match (counter reset),
//! the other thumb's reference blocked (63C2, 63C1, 63C0, 6983, then 6983 for its genuine probe)
//! and the refusals without secure messaging (6982). Runs with Debian's `/usr/bin/python3`
//! (python3-pyscard, python3-cryptography); with `CI` set a missing interpreter, module or
//! pcscd fails the test.

#[path = "common/pcscd.rs"]
mod pcscd;
#[path = "common/python_terminal.rs"]
mod python_terminal;
use python_terminal::{require_python, root, run_terminal};

use dactyl::transport::pcsc::PcscTransport;

const CAN: &str = "482193";
const CHIP: &str = "fixtures/chips/utopia_moc.json";
const PROBE: &str = "fixtures/biometrics/sourceafis_iso-probe.dat";
const IMPOSTOR: &str = "fixtures/biometrics/sourceafis_iso-nonmatching.dat";
const LEFT_THUMB: &str = "fixtures/biometrics/NIST_ISO19794-2_2005_AnnexC2_Example.raw";

fn path(rel: &str) -> String {
    root().join(rel).to_str().expect("UTF-8 path").to_string()
}

fn has_check(json: &serde_json::Value, id: &str) -> bool {
    json["checks"]
        .as_array()
        .is_some_and(|c| c.iter().any(|v| v == id))
}

/// The enrolled minutiae (hex) of the reference with that qualifier in the chip image.
fn enrolled_minutiae(qualifier: u64) -> String {
    let text = std::fs::read_to_string(root().join(CHIP)).expect("chip image");
    let chip: serde_json::Value = serde_json::from_str(&text).expect("chip image JSON");
    let refs = chip["biometric_references"]
        .as_array()
        .expect("biometric_references");
    let r = refs
        .iter()
        .find(|r| r["qualifier"] == qualifier)
        .expect("reference of that qualifier");
    r["minutiae"].as_str().expect("minutiae hex").to_uppercase()
}

/// The 3-byte minutiae of a hex string, sorted: the same set whatever order they come in.
fn minutiae_set(hex: &str) -> Vec<String> {
    let mut v: Vec<String> = hex
        .as_bytes()
        .chunks(6)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn independent_moc_terminal_conversion_matches_the_enrolled_references() {
    if !require_python() {
        return;
    }
    // The terminal's record-to-card conversion of each thumb's record gives the minutiae
    // dactyl's personalization enrolled from the same record.
    for (record, finger, qualifier) in [(PROBE, "1", 0x81), (LEFT_THUMB, "7", 0x82)] {
        let (out, json) = run_terminal(
            "moc_terminal.py",
            &["--convert", &path(record), "--finger", finger],
        );
        assert!(out.status.success(), "{json}");
        let sent = json["compact_hex"].as_str().unwrap_or_default();
        assert_eq!(
            minutiae_set(sent),
            minutiae_set(&enrolled_minutiae(qualifier)),
            "{record}: {json}"
        );
    }
}

#[test]
fn independent_moc_terminal_verifies_blocks_and_is_refused_without_sm() {
    if !require_python() {
        return;
    }
    let Some(pcscd) = pcscd::require_pcscd() else {
        return;
    };
    let emulator = pcscd::EmulateProcess::start(&root().join(CHIP), pcscd.vpcd_addr());
    PcscTransport::wait_for_card(Some(pcscd.reader()), pcscd::CARD_WAIT)
        .expect("card appears in the vpcd reader");
    let (out, json) = run_terminal(
        "moc_terminal.py",
        &[
            "--reader",
            pcscd.reader(),
            "--can",
            CAN,
            "--probe",
            &path(PROBE),
            "--finger",
            "1",
            "--impostor",
            &path(IMPOSTOR),
            "--other-probe",
            &path(LEFT_THUMB),
        ],
    );
    drop(emulator);
    assert_eq!(json["failures"], serde_json::json!([]), "{json}");
    assert!(out.status.success(), "{json}");
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(json["qualifier"], "81", "{json}");
    assert_eq!(json["blocked_qualifier"], "82", "{json}");
    assert_eq!(json["probe"]["sent"], 38, "{json}");
    let bits = json["bits"].as_array().expect("bits");
    assert_eq!(bits.len(), 2, "{json}");
    for (id, sw) in [
        ("bit_refused_without_sm", "6982"),
        ("verify_refused_without_sm", "6982"),
        ("empty_verify_63c3", "63C3"),
        ("genuine_match", "9000"),
        ("empty_verify_after_match_63c3", "63C3"),
        ("chained_first_link_9000", "9000"),
        ("chained_genuine_match", "9000"),
        ("unknown_reference_6a88", "6A88"),
        ("tag_90_genuine_match", "9000"),
        ("malformed_length_6a80", "6A80"),
        ("too_few_minutiae_6a80", "6A80"),
        ("chain_interrupted_6883", "6883"),
        ("no_try_spent_by_refused_commands", "63C3"),
        ("impostor_miss_63c2", "63C2"),
        ("genuine_after_miss_9000", "9000"),
        ("counter_reset_63c3", "63C3"),
        ("block_empty_63c3", "63C3"),
        ("block_impostor_63c2", "63C2"),
        ("block_impostor_63c1", "63C1"),
        ("block_impostor_63c0", "63C0"),
        ("block_fourth_6983", "6983"),
        ("blocked_genuine_6983", "6983"),
        ("blocked_empty_6983", "6983"),
        ("main_reference_still_matches", "9000"),
        ("verify_plain_after_select_refused", "6982"),
        ("bit_plain_after_select_refused", "6982"),
    ] {
        assert!(has_check(&json, id), "{id} missing: {json}");
        assert_eq!(json["sw"][id], sw, "{id}: {json}");
    }
    for id in ["pace_t_ic_verified", "bit_parsed", "reference_not_readable"] {
        assert!(has_check(&json, id), "{id} missing: {json}");
    }
}

/// FingerprintIO's name of a finger position to its ISO/IEC 19794-2 code.
fn position_code(name: &str) -> u64 {
    let fingers = ["THUMB", "INDEX", "MIDDLE", "RING", "LITTLE"];
    let (side, finger) = name.split_once('_').unwrap_or(("", name));
    let base = match side {
        "RIGHT" => 1,
        "LEFT" => 6,
        _ => return 0,
    };
    fingers
        .iter()
        .position(|f| *f == finger)
        .map_or(0, |i| base + i as u64)
}

#[test]
fn independent_moc_terminal_parses_records_as_fingerprintio_does() {
    if !require_python() {
        return;
    }
    // The terminal's own 2005 and 2011 record parser against the values FingerprintIO decodes
    // from the same files (fixtures/SOURCES.md).
    for name in [
        "fingerprintio_iso19794p2v2005-sample",
        "fingerprintio_iso19794p2v2011-sample",
    ] {
        let record = path(&format!("fixtures/biometrics/{name}.dat"));
        let text = std::fs::read_to_string(path(&format!("fixtures/biometrics/{name}.json")))
            .expect("decode");
        let oracle: serde_json::Value = serde_json::from_str(&text).expect("decode JSON");
        let (out, json) = run_terminal("moc_terminal.py", &["--parse", &record]);
        assert!(out.status.success(), "{json}");
        let views = json["views"].as_array().expect("views");
        let fingers = oracle["fingerprints"].as_array().expect("fingerprints");
        assert_eq!(views.len(), fingers.len(), "{name}: {json}");
        for (view, finger) in views.iter().zip(fingers) {
            let position = position_code(finger["position"].as_str().unwrap_or_default());
            assert_eq!(view["position"], position, "{name}: {json}");
            // 2005 keeps the resolution in the record header, 2011 in each representation.
            let xres = finger.get("resolutionX").unwrap_or(&oracle["resolutionX"]);
            assert_eq!(&view["xres"], xres, "{name}");
            let minutiae = view["minutiae"].as_array().expect("minutiae");
            let expected = finger["minutiae"].as_array().expect("minutiae");
            assert_eq!(minutiae.len(), expected.len(), "{name}");
            for (m, e) in minutiae.iter().zip(expected) {
                let kind = match e["type"].as_str() {
                    Some("ENDING") => 1,
                    Some("BIFURCATION") => 2,
                    _ => 0,
                };
                assert_eq!(m["type"], kind, "{name}: {m} vs {e}");
                assert_eq!(m["x"], e["positionX"], "{name}: {m} vs {e}");
                assert_eq!(m["y"], e["positionY"], "{name}: {m} vs {e}");
                assert_eq!(m["angle"], e["angle"], "{name}: {m} vs {e}");
                assert_eq!(m["quality"], e["quality"], "{name}: {m} vs {e}");
            }
        }
    }
}

#[test]
fn independent_moc_terminal_prunes_by_quality_and_orders_as_the_bit_asks() {
    if !require_python() {
        return;
    }
    // 27 minutiae of qualities 30..90 (the standard's Annex C.2 example), a BIT asking for at
    // most 12 in ascending x-y order (BAPT 82 = 0x05).
    let record = path(LEFT_THUMB);
    let (_, parsed) = run_terminal("moc_terminal.py", &["--parse", &record]);
    let view = &parsed["views"][0];
    let res = view["xres"].as_u64().expect("xres");
    let mut by_quality: Vec<(u64, usize, u64, u64)> = view["minutiae"]
        .as_array()
        .expect("minutiae")
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let unit = |px: u64| (200 * px + res) / (2 * res);
            let (x, y) = (m["x"].as_u64(), m["y"].as_u64());
            let q = m["quality"].as_u64().unwrap_or(0);
            (q, i, unit(x.unwrap_or(0)), unit(y.unwrap_or(0)))
        })
        .collect();
    by_quality.sort_by_key(|&(q, i, _, _)| (std::cmp::Reverse(q), i));
    let mut expected: Vec<(u64, u64)> = by_quality[..12].iter().map(|m| (m.2, m.3)).collect();
    expected.sort();

    let (out, json) = run_terminal(
        "moc_terminal.py",
        &[
            "--convert",
            &record,
            "--finger",
            "7",
            "--max",
            "12",
            "--order",
            "5",
        ],
    );
    assert!(out.status.success(), "{json}");
    assert_eq!(json["sent"], 12, "{json}");
    assert_eq!(json["pruned"], 15, "{json}");
    let hex = json["compact_hex"].as_str().unwrap_or_default();
    let bytes: Vec<u64> = (0..hex.len() / 2)
        .filter_map(|i| u64::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    let sent: Vec<(u64, u64)> = bytes.chunks(3).map(|c| (c[0], c[1])).collect();
    assert_eq!(sent, expected, "{json}");
}
