//! The reader against chips as they are: every quirk profile of the virtual chip gets a full
//! read that Passive Authentication verifies with the fixture test PKI, in a bounded number of
//! APDUs (what the chip does not support is remembered, not retried file after file).

#[path = "common/quirk_chips.rs"]
mod quirk_chips;

use dactyl::emulator::{ChipImage, Quirk};
use dactyl::lds::files::EfId;
use dactyl::pki::pa::Verdict;
use dactyl::reader::{AccessPolicy, Document, NoObserver, ReadOptions, read_document};
use dactyl::time::Time;
use dactyl::transport::memory::InMemory;
use quirk_chips::*;
use std::sync::Arc;

/// Reads `img` with the MRZ (PACE when possible, else BAC) and Terminal Authentication, then
/// runs Passive Authentication.
fn read(img: &ChipImage, access: AccessPolicy) -> Document {
    let mut opts = ReadOptions::new(mrz_key_info());
    opts.access = access;
    opts.terminal = Some(Arc::new(terminal()));
    let mut doc = read_document(Box::new(InMemory::new(build(img))), &opts, &mut NoObserver)
        .unwrap_or_else(|e| panic!("{:?}: {e}", img.quirks));
    doc.verify_passive(&trust(), Time::now(), true);
    doc
}

fn status<'a>(doc: &'a Document, file: &str) -> &'a str {
    doc.files
        .iter()
        .find(|f| f.file == file)
        .map_or("not tried", |f| f.status.as_str())
}

/// A full, verified read of the Utopia passport: every file, PA, CA, AA, TA.
fn assert_full_utopia_read(doc: &Document, what: &str) {
    let pa = doc.passive_authentication.as_ref().unwrap();
    assert!(pa.passed, "{what}: {:#?}", pa.checks);
    for dg in [1, 2, 3, 14, 15] {
        assert!(
            doc.raw.contains_key(&EfId::Dg(dg)),
            "{what}: DG{dg} {:?}",
            doc.files
        );
    }
    assert!(doc.raw[&EfId::Dg(2)] == dg2(), "{what}: DG2 differs");
    for (name, check) in [
        ("CA", &doc.chip_authentication),
        ("AA", &doc.active_authentication),
        ("TA", &doc.terminal_authentication),
    ] {
        let check = check
            .as_ref()
            .unwrap_or_else(|| panic!("{what}: no {name}"));
        assert_eq!(check.verdict, Verdict::Pass, "{what}: {name} {check:?}");
    }
    assert_eq!(doc.genuine, Some(true), "{what}");
}

/// READ BINARY commands a file of `len` bytes needs with `chunk`-byte reads, plus one for a
/// SELECT and one for a length probe.
fn reads(len: usize, chunk: usize) -> u64 {
    len.div_ceil(chunk) as u64 + 2
}

/// An APDU budget for the Utopia passport read with `chunk`-byte reads: opening, CA, TA and AA
/// (about 20 APDUs), a few for probes, and the files.
fn utopia_budget(chunk: usize) -> u64 {
    let files = [dg2().len(), 32_476, 400, 200, 100, 30, 2000];
    30 + files.iter().map(|&l| reads(l, chunk)).sum::<u64>()
}

fn utopia_profile(quirks: &[Quirk], extended: bool) -> Document {
    let mut img = utopia(quirks);
    img.extended_length = extended;
    read(&img, AccessPolicy::PaceThenBac)
}

#[test]
fn the_plain_utopia_read_is_the_baseline() {
    let doc = utopia_profile(&[], true);
    assert_full_utopia_read(&doc, "no quirks");
    assert_eq!(doc.access_control, "PACE");
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    eprintln!("APDUs, no quirks: {}", doc.traffic.apdus);
}

#[test]
fn jmrtd_applet_is_read_completely_with_select_by_fid() {
    let doc = read(&jmrtd_passport(), AccessPolicy::PaceThenBac);
    let pa = doc.passive_authentication.as_ref().unwrap();
    assert!(pa.passed, "{:#?}", pa.checks);
    assert_eq!(doc.access_control, "BAC");
    assert!(!doc.extended_length);
    assert!(doc.raw[&EfId::Dg(2)] == dg2());
    assert_eq!(
        doc.active_authentication.as_ref().unwrap().verdict,
        Verdict::Pass
    );
    assert_eq!(doc.genuine, Some(true));
    // EF.CardAccess probe (6986), SELECT EF.CardAccess (6A82), SELECT application, GET
    // CHALLENGE, EXTERNAL AUTHENTICATE; per file one SELECT and 223-byte reads (the first DG2
    // read asks 231, gets 223 with 9000 and the cap is kept); INTERNAL AUTHENTICATE.
    let files: u64 = doc
        .files
        .iter()
        .map(|f| 1 + f.bytes.div_ceil(223) as u64)
        .sum();
    let expected = 5 + files + 1;
    eprintln!(
        "APDUs, jmrtd-applet: {} (expected {expected})",
        doc.traffic.apdus
    );
    assert_eq!(doc.traffic.apdus, expected, "{:?}", doc.files);
}

#[test]
fn jmrtd_applet_with_bac_only_meets_6f00_under_secure_messaging_and_falls_back() {
    let doc = read(&jmrtd_passport(), AccessPolicy::BacOnly);
    assert!(doc.passive_authentication.as_ref().unwrap().passed);
    assert!(doc.raw[&EfId::Dg(2)] == dg2());
    // The protected READ BINARY by SFI of EF.COM got a bare 6F00 once; then SELECT + READ.
    let com = doc.files.iter().find(|f| f.file == "EF.COM").unwrap();
    assert_eq!(com.apdus, 3, "{:?}", doc.files);
    assert_eq!(doc.files.iter().find(|f| f.file == "DG1").unwrap().apdus, 2);
}

#[test]
fn mse_needs_do84_chips_are_opened_with_pace() {
    let doc = utopia_profile(&[Quirk::MseNeedsDo84], true);
    assert_eq!(doc.access_control, "PACE", "{:?}", doc.access.pace_not_used);
    assert_full_utopia_read(&doc, "mse-needs-do84");
    eprintln!("APDUs, mse-needs-do84: {}", doc.traffic.apdus);
    assert!(doc.traffic.apdus <= 30);
}

#[test]
fn le256_quirks_do_not_lose_ef_card_access_or_pace() {
    for quirk in [
        Quirk::Le256WrongParams,
        Quirk::Le256WrongLength,
        Quirk::Le256ShortAnswer,
    ] {
        let doc = utopia_profile(&[quirk], false);
        let what = quirk.name();
        assert_eq!(
            doc.access_control, "PACE",
            "{what}: {:?}",
            doc.access.pace_not_used
        );
        assert_full_utopia_read(&doc, &what);
        let budget = utopia_budget(223);
        eprintln!("APDUs, {what}: {} (budget {budget})", doc.traffic.apdus);
        assert!(doc.traffic.apdus <= budget, "{what}");
    }
}

#[test]
fn a_read_cap_below_the_announced_buffer_is_found_once() {
    let doc = utopia_profile(&[Quirk::ReadCap(160)], true);
    assert_full_utopia_read(&doc, "read-cap-160");
    // The cap is searched for once (a handful of 6700s), then every file uses it.
    let budget = utopia_budget(152) + 10;
    eprintln!(
        "APDUs, read-cap-160: {} (budget {budget})",
        doc.traffic.apdus
    );
    assert!(doc.traffic.apdus <= budget);
    // DG3 (32476 bytes) in 160-byte reads at the most.
    let dg3 = doc.files.iter().find(|f| f.file == "DG3").unwrap();
    assert!(dg3.apdus <= reads(32_476, 152), "{dg3:?}");
}

#[test]
fn extended_length_announced_then_refused_falls_back_to_short_once() {
    let doc = utopia_profile(&[Quirk::ExtendedRefused], true);
    assert_full_utopia_read(&doc, "extended-refused");
    assert!(!doc.extended_length);
    let budget = utopia_budget(223);
    eprintln!(
        "APDUs, extended-refused: {} (budget {budget})",
        doc.traffic.apdus
    );
    assert!(doc.traffic.apdus <= budget);
}

#[test]
fn extended_length_refused_is_found_out_before_secure_messaging_with_bac_only() {
    let img = utopia(&[Quirk::ExtendedRefused]);
    let doc = read(&img, AccessPolicy::BacOnly);
    assert_eq!(doc.access_control, "BAC");
    assert!(!doc.extended_length);
    assert_full_utopia_read(&doc, "extended-refused, BAC only");
}

#[test]
fn active_authentication_does_not_ask_for_an_extended_le() {
    let doc = utopia_profile(&[Quirk::AaExtendedLeEmpty], true);
    assert_full_utopia_read(&doc, "aa-extended-le-empty");
    eprintln!("APDUs, aa-extended-le-empty: {}", doc.traffic.apdus);
    assert!(doc.traffic.apdus <= 30);
}

#[test]
fn ef_com_listing_an_absent_group_is_a_warning_not_a_pa_failure() {
    let doc = utopia_profile(&[Quirk::ComListsAbsent], true);
    assert_full_utopia_read(&doc, "com-lists-absent");
    assert_eq!(status(&doc, "DG4"), "not present");
    assert!(
        doc.warnings.iter().any(|w| w.contains("DG4")),
        "{:?}",
        doc.warnings
    );
    eprintln!("APDUs, com-lists-absent: {}", doc.traffic.apdus);
    assert!(doc.traffic.apdus <= 31);
}

#[test]
fn ef_com_omitting_a_group_the_sod_hashes_still_gets_it_read() {
    let doc = utopia_profile(&[Quirk::ComOmitsPresent], true);
    assert_eq!(doc.com.as_ref().unwrap().data_groups(), [1, 2, 3, 14]);
    assert_full_utopia_read(&doc, "com-omits-present");
    assert!(
        doc.warnings.iter().any(|w| w.contains("DG15")),
        "{:?}",
        doc.warnings
    );
    eprintln!("APDUs, com-omits-present: {}", doc.traffic.apdus);
    assert!(doc.traffic.apdus <= 30);
}

#[test]
fn an_unreadable_ef_card_access_means_bac() {
    for status in [0x6982, 0x6A82, 0x6D00, 0x6E00] {
        let quirk = Quirk::CardAccessStatus(status);
        let doc = utopia_profile(&[quirk], true);
        assert_eq!(doc.access_control, "BAC", "{}", quirk.name());
        let why = doc.access.pace_not_used.as_deref().unwrap_or_default();
        assert!(why.contains(&format!("{status:04X}")), "{why}");
        assert_full_utopia_read(&doc, &quirk.name());
        eprintln!("APDUs, {}: {}", quirk.name(), doc.traffic.apdus);
        assert!(doc.traffic.apdus <= 30);
    }
}

#[test]
fn a_chip_without_short_ef_identifiers_is_read_by_fid() {
    let doc = utopia_profile(&[Quirk::NoSfi], true);
    assert_eq!(doc.access_control, "PACE");
    assert_full_utopia_read(&doc, "no-sfi");
    // Every file after the first costs one SELECT more, and no second SFI attempt.
    let files = doc.files.len() as u64;
    let baseline = utopia_profile(&[], true).traffic.apdus;
    eprintln!("APDUs, no-sfi: {} (baseline {baseline})", doc.traffic.apdus);
    assert!(doc.traffic.apdus <= baseline + files + 1 + 1);
}

#[test]
fn profiles_are_written_and_read_in_chip_images() {
    let mut img = utopia(&[Quirk::JmrtdApplet, Quirk::ReadCap(300)]);
    img.quirks.push(Quirk::CardAccessStatus(0x6D00));
    let json = img.to_json();
    assert!(json.contains("\"jmrtd-applet\""), "{json}");
    assert!(json.contains("\"read-cap-300\""), "{json}");
    assert!(json.contains("\"card-access-6d00\""), "{json}");
    assert_eq!(ChipImage::from_json(&json).unwrap(), img);
    let bad = json.replace("read-cap-300", "read-cap-many");
    let e = ChipImage::from_json(&bad).unwrap_err().to_string();
    assert!(e.contains("read-cap-many"), "{e}");
    // Without quirks the field is left out.
    assert!(!utopia(&[]).to_json().contains("quirks"));
}

#[test]
#[cfg(feature = "cli")]
fn dactyl_read_reads_a_jmrtd_applet_image_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("jmrtd.json");
    std::fs::write(&image, self_contained(&jmrtd_passport()).to_json()).unwrap();
    let out = dir.path().join("out");
    let read = std::process::Command::new(env!("CARGO_BIN_EXE_dactyl"))
        .args(["read", "--json", "--mrz", &utopia(&[]).mrz, "--chip"])
        .arg(&image)
        .arg("--out")
        .arg(&out)
        .arg("--csca")
        .arg(fixtures().join("pki/test"))
        .output()
        .unwrap();
    assert!(
        read.status.success(),
        "dactyl read failed: {}",
        String::from_utf8_lossy(&read.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    assert_jmrtd_report(&report, &out);
}

#[test]
fn le256_quirks_under_secure_messaging_with_extended_length() {
    // With a 1 KB response buffer a 3DES chunk holds 999 bytes: a file of 999 + 256 bytes ends
    // with a READ BINARY whose protected Le (DO 97) is 00, i.e. 256.
    use dactyl::access::bac::BacKeys;
    use dactyl::emulator::{ChipConfig, FileSystem, LengthSupport, VirtualChip};
    let mrz = dactyl::lds::mrz::Mrz::parse_verified(&utopia(&[]).mrz).unwrap();
    let value: Vec<u8> = (0..1255 - 4).map(|i| (i * 7 + 3) as u8).collect();
    let dg5 = dactyl::tlv::encode(0x65, &value);
    assert_eq!(dg5.len(), 1255);
    for quirk in [
        Quirk::Le256WrongParams,
        Quirk::Le256WrongLength,
        Quirk::Le256ShortAnswer,
    ] {
        let mut fs = FileSystem::new();
        fs.put(EfId::Dg(1), dactyl::lds::dg1::Dg1::encode(&mrz));
        fs.put(EfId::Dg(5), dg5.clone());
        let chip = VirtualChip::new(
            fs,
            Some(BacKeys::from_mrz(&mrz_key_info())),
            ChipConfig {
                length: LengthSupport {
                    max_response: 1024,
                    ..LengthSupport::EXTENDED
                },
                ..ChipConfig::default()
            },
        )
        .with_quirks(&[quirk]);
        let mut opts = ReadOptions::new(mrz_key_info());
        opts.files = Some(vec![EfId::Dg(5)]);
        let doc = read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver)
            .unwrap_or_else(|e| panic!("{}: {e}", quirk.name()));
        assert!(doc.raw[&EfId::Dg(5)] == dg5, "{}", quirk.name());
        let apdus = doc.files[0].apdus;
        // 999 bytes, Le 256 refused or answered short, 255 bytes, the last byte.
        assert!(apdus <= 4, "{}: {apdus} APDUs", quirk.name());
        assert!(doc.extended_length);
    }
}

#[test]
fn a_last_chunk_of_232_to_256_bytes_keeps_extended_length() {
    // 999 + 240 bytes on a chip with a 1 KB buffer: the second READ BINARY asks 240 plain
    // bytes, which take more than 256 protected bytes, so its outer Le must be extended.
    use dactyl::access::bac::BacKeys;
    use dactyl::emulator::{ChipConfig, FileSystem, LengthSupport, VirtualChip};
    let mrz = dactyl::lds::mrz::Mrz::parse_verified(&utopia(&[]).mrz).unwrap();
    let value: Vec<u8> = (0..1239 - 4).map(|i| (i * 5 + 1) as u8).collect();
    let file = dactyl::tlv::encode(0x65, &value);
    let mut fs = FileSystem::new();
    fs.put(EfId::Dg(1), dactyl::lds::dg1::Dg1::encode(&mrz));
    fs.put(EfId::Dg(5), file.clone());
    fs.put(EfId::Dg(6), file.clone());
    let chip = VirtualChip::new(
        fs,
        Some(BacKeys::from_mrz(&mrz_key_info())),
        ChipConfig {
            length: LengthSupport {
                max_response: 1024,
                ..LengthSupport::EXTENDED
            },
            ..ChipConfig::default()
        },
    );
    let mut opts = ReadOptions::new(mrz_key_info());
    opts.files = Some(vec![EfId::Dg(5), EfId::Dg(6)]);
    let doc = read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap();
    for dg in [5, 6] {
        assert!(doc.raw[&EfId::Dg(dg)] == file);
    }
    let apdus: Vec<u64> = doc.files.iter().map(|f| f.apdus).collect();
    assert_eq!(apdus, [2, 2]);
}
