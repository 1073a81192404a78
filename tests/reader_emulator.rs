//! The reader against the virtual chip, in-process: BAC, EF.COM and DG1, files of awkward sizes
//! with and without extended length, access rules and secure messaging failures.

#[path = "common/fixtures.rs"]
mod fixtures;
use dactyl::Error;
use dactyl::access::bac::BacKeys;
use dactyl::apdu::{Command, Response};
use dactyl::emulator::{ChipConfig, ChipImage, FileSystem, LengthSupport, VirtualChip};
use dactyl::lds::files::EfId;
use dactyl::lds::mrz::{Mrz, MrzKeyInfo};
use dactyl::reader::{LengthPolicy, NoObserver, ReadObserver, ReadOptions, read_document};
use dactyl::transport::fault::{Fault, Faulty};
use dactyl::transport::memory::InMemory;
use dactyl::transport::{Transport, exchange};
use std::path::Path;

const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn key_info() -> MrzKeyInfo {
    Mrz::parse_verified(TD3).unwrap().key_info().unwrap()
}

fn bsi_key_info() -> MrzKeyInfo {
    MrzKeyInfo::new("C11T002JM", "960812", "231031").unwrap()
}

fn fixture(name: &str) -> VirtualChip {
    ChipImage::load_chip(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/chips")
            .join(name),
    )
    .unwrap()
}

/// A BER-TLV file of exactly `total` bytes (total >= 4), tag 65 (DG5).
fn tlv_file(total: usize) -> Vec<u8> {
    let header = match total {
        0..=0x81 => 2,
        0x82..=0x102 => 3,
        0x103..=0x10003 => 4,
        _ => 5,
    };
    let value: Vec<u8> = (0..total - header).map(|i| (i * 7 + 3) as u8).collect();
    let out = dactyl::tlv::encode(0x65, &value);
    assert_eq!(out.len(), total);
    out
}

fn chip_with(dg5: Vec<u8>, length: LengthSupport) -> VirtualChip {
    let mrz = Mrz::parse_verified(TD3).unwrap();
    let mut fs = FileSystem::new();
    fs.put(EfId::Dg(1), dactyl::lds::dg1::Dg1::encode(&mrz));
    fs.put(EfId::Dg(5), dg5);
    fs.put(
        EfId::Com,
        dactyl::lds::com::Com::for_data_groups(&[1, 5]).encode(),
    );
    VirtualChip::new(
        fs,
        Some(BacKeys::from_mrz(&key_info())),
        ChipConfig {
            length,
            ..ChipConfig::default()
        },
    )
}

fn read(chip: VirtualChip, policy: LengthPolicy) -> dactyl::reader::Document {
    let mut opts = ReadOptions::new(key_info());
    opts.length = policy;
    read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap()
}

#[test]
fn reads_com_and_dg1_of_the_td3_passport_fixture() {
    let doc = read(fixture("td3_passport.json"), LengthPolicy::Auto);
    assert_eq!(doc.access_control, "BAC");
    assert!(doc.extended_length);
    let dg1 = doc.dg1.as_ref().unwrap();
    assert_eq!(dg1.mrz.primary_identifier, "ERIKSSON");
    assert_eq!(dg1.mrz.secondary_identifier, "ANNA MARIA");
    assert_eq!(dg1.mrz.document_number, "L898902C3");
    assert!(dg1.mrz.all_checks_pass());
    assert_eq!(doc.com.as_ref().unwrap().data_groups(), [1]);
    // EF.ATR/INFO, EF.CardAccess (absent: no PACE), SELECT, GET CHALLENGE, EXTERNAL
    // AUTHENTICATE, EF.COM, DG1, EF.SOD.
    assert_eq!(doc.traffic.apdus, 8, "{:?}", doc.files);
    assert_eq!(doc.files.last().unwrap().file, "EF.SOD");
    assert_eq!(doc.files.last().unwrap().status, "read");
}

#[test]
fn reads_the_td1_id_card_fixture_with_short_apdus() {
    let chip = fixture("td1_id_card.toml");
    let mrz = Mrz::parse_verified(
        &ChipImage::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/td1_id_card.toml"),
        )
        .unwrap()
        .mrz,
    )
    .unwrap();
    let opts = ReadOptions::new(mrz.key_info().unwrap());
    let doc = read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap();
    assert!(!doc.extended_length);
    let dg1 = doc.dg1.unwrap();
    assert_eq!(dg1.mrz.document_number, "D23145890734");
    assert_eq!(dg1.mrz.primary_identifier, "STEVENSON");
}

#[test]
fn reads_the_bsi_reference_passport_byte_for_byte() {
    let mut opts = ReadOptions::new(bsi_key_info());
    opts.terminal = Some(std::sync::Arc::new(fixtures::test_terminal()));
    let doc = read_document(
        Box::new(InMemory::new(fixture("bsi_passport.json"))),
        &opts,
        &mut NoObserver,
    )
    .unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/bsi_passport");
    for (ef, file) in [
        (EfId::Dg(2), "Datagroup2.bin"),
        (EfId::Dg(3), "Datagroup3.bin"),
        (EfId::Sod, "EF_SOD.bin"),
    ] {
        assert_eq!(
            doc.raw[&ef],
            std::fs::read(dir.join(file)).unwrap(),
            "{ef:?}"
        );
    }
    assert_eq!(doc.dg1.unwrap().mrz.primary_identifier, "MUSTERMANN");
}

#[test]
fn files_of_awkward_sizes_read_exactly_with_and_without_extended_length() {
    let raw = |n: usize| (0..n).map(|i| (i % 251) as u8 ^ 0xA5).collect::<Vec<u8>>();
    let mut cases: Vec<Vec<u8>> = vec![Vec::new(), vec![0x65], raw(231), raw(232), raw(40 * 1024)];
    cases.extend([231, 232, 40 * 1024, 65_000].map(tlv_file));
    for content in cases {
        for (length, policy) in [
            (LengthSupport::SHORT, LengthPolicy::Auto),
            (LengthSupport::EXTENDED, LengthPolicy::Auto),
            (LengthSupport::EXTENDED, LengthPolicy::ShortOnly),
            (
                LengthSupport {
                    max_response: 1024,
                    ..LengthSupport::EXTENDED
                },
                LengthPolicy::Auto,
            ),
        ] {
            let doc = read(chip_with(content.clone(), length), policy);
            assert_eq!(
                doc.raw[&EfId::Dg(5)],
                content,
                "{} bytes, {length:?}, {policy:?}",
                content.len()
            );
        }
    }
}

fn apdus_for_dg5(content: Vec<u8>, length: LengthSupport) -> u64 {
    let doc = read(chip_with(content, length), LengthPolicy::Auto);
    doc.files.iter().find(|f| f.file == "DG5").unwrap().apdus
}

#[test]
fn apdu_counts_are_minimal() {
    // Under 3DES secure messaging a short response carries at most 231 plain bytes.
    assert_eq!(apdus_for_dg5(tlv_file(231), LengthSupport::SHORT), 1);
    assert_eq!(apdus_for_dg5(tlv_file(232), LengthSupport::SHORT), 2);
    assert_eq!(
        apdus_for_dg5(tlv_file(40 * 1024), LengthSupport::SHORT),
        40960_usize.div_ceil(231) as u64
    );
    // With extended length and a 64 KB buffer, one READ BINARY per file.
    assert_eq!(
        apdus_for_dg5(tlv_file(40 * 1024), LengthSupport::EXTENDED),
        1
    );
    assert_eq!(apdus_for_dg5(tlv_file(65_000), LengthSupport::EXTENDED), 1);
    assert_eq!(apdus_for_dg5(tlv_file(70_000), LengthSupport::EXTENDED), 2);
}

/// TR-03105-5.1 ISO7816_C_06: reading the end of a file answered with 6Cxx.
#[test]
fn a_chip_answering_6cxx_is_read_completely() {
    for content in [
        vec![0x00; 100],
        tlv_file(100),
        tlv_file(500),
        vec![0xFF; 1000],
    ] {
        let mut chip = chip_with(content.clone(), LengthSupport::SHORT);
        let mut config = chip.config();
        config.wrong_le_6cxx = true;
        chip = VirtualChip::new(
            chip.files().clone(),
            Some(BacKeys::from_mrz(&key_info())),
            config,
        );
        let doc = read(chip, LengthPolicy::Auto);
        assert!(doc.raw[&EfId::Dg(5)] == content, "{} bytes", content.len());
    }
}

#[test]
fn a_chip_overstating_its_buffer_gets_6700_and_the_reader_falls_back() {
    // EF.ATR/INFO claims a 64 KB response buffer, but the chip only manages 1 KB.
    let content = tlv_file(40 * 1024);
    let mut fs = chip_with(content.clone(), LengthSupport::SHORT)
        .files()
        .clone();
    fs.put(
        EfId::AtrInfo,
        dactyl::emulator::fs::atr_info(LengthSupport::EXTENDED),
    );
    let length = LengthSupport {
        max_response: 1024,
        ..LengthSupport::EXTENDED
    };
    let chip = VirtualChip::new(
        fs,
        Some(BacKeys::from_mrz(&key_info())),
        ChipConfig {
            length,
            ..ChipConfig::default()
        },
    );
    let doc = read(chip, LengthPolicy::Auto);
    assert!(doc.raw[&EfId::Dg(5)] == content);
    // DG5's first READ BINARY (asking for 64 KB) met 6700; one retry, then short APDUs.
    assert_eq!(
        doc.files.iter().find(|f| f.file == "DG5").unwrap().apdus,
        1 + 40960_usize.div_ceil(231) as u64
    );
}

#[test]
fn wrong_mrz_is_refused_as_access_denied() {
    let wrong = MrzKeyInfo::new("L898902C3", "740813", "120415").unwrap();
    let opts = ReadOptions::new(wrong);
    let err = read_document(
        Box::new(InMemory::new(fixture("td3_passport.json"))),
        &opts,
        &mut NoObserver,
    )
    .unwrap_err();
    assert!(matches!(err, Error::AccessDenied), "{err}");
    assert_eq!(err.to_string(), "access denied: wrong MRZ/BAC keys");
}

#[test]
fn plain_reads_are_refused_except_card_access() {
    let mut fs = FileSystem::new();
    fs.put(EfId::CardAccess, vec![0x31, 0x00]);
    fs.put(EfId::Dg(1), vec![0x61, 0x00]);
    let mut t = InMemory::new(VirtualChip::new(fs, None, ChipConfig::default()));
    let r = exchange(&mut t, &Command::new(0, 0xB0, 0x9C, 0).with_le(256)).unwrap();
    assert_eq!(r, Response::new(vec![0x31, 0x00], 0x9000));
    let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(dactyl::lds::files::LDS1_AID);
    assert_eq!(exchange(&mut t, &select).unwrap().sw, 0x9000);
    assert_eq!(
        exchange(&mut t, &Command::new(0, 0xB0, 0x81, 0).with_le(256))
            .unwrap()
            .sw,
        0x6982
    );
}

/// Runs a read of the BSI passport through a fault and returns the error.
fn read_with_fault(fault: Fault) -> Error {
    let link = Faulty::new(InMemory::new(fixture("bsi_passport.json")), fault);
    let mut opts = ReadOptions::new(bsi_key_info());
    opts.length = LengthPolicy::ShortOnly;
    let boxed: Box<dyn Transport> = Box::new(link);
    read_document(boxed, &opts, &mut NoObserver).unwrap_err()
}

#[test]
fn a_corrupted_mac_in_a_command_ends_the_session() {
    // APDU 5 is the second protected READ BINARY; its last byte before Le is in the MAC.
    let err = read_with_fault(Fault::CorruptCommand {
        n: 5,
        byte_from_end: 1,
    });
    assert!(
        matches!(err, Error::SecureMessaging(ref m) if m.contains("6988")),
        "{err}"
    );
}

#[test]
fn a_corrupted_mac_in_a_response_is_detected() {
    let err = read_with_fault(Fault::CorruptResponse {
        n: 5,
        byte_from_end: 3,
    });
    assert!(
        matches!(err, Error::SecureMessaging(ref m) if m.contains("MAC")),
        "{err}"
    );
}

#[test]
fn after_a_secure_messaging_error_the_chip_answers_nothing_protected() {
    // APDU 3 is the first protected command after SELECT, GET CHALLENGE, EXTERNAL AUTHENTICATE.
    let link = Faulty::new(
        InMemory::new(fixture("td3_passport.json")),
        Fault::CorruptCommand {
            n: 3,
            byte_from_end: 2,
        },
    );
    let mut session = dactyl::reader::Session::new(Box::new(link));
    session.select_application().unwrap();
    session.open_bac(&BacKeys::from_mrz(&key_info())).unwrap();
    let err = session.read_file(EfId::Dg(1), &mut |_, _| {}).unwrap_err();
    assert!(
        matches!(err, Error::SecureMessaging(ref m) if m.contains("6988")),
        "{err}"
    );
    assert!(session.secure_messaging().is_none());
    // The session is gone on both sides: the same read now meets the plain-access rule.
    let err = session.read_file(EfId::Dg(1), &mut |_, _| {}).unwrap_err();
    assert_eq!(err.sw(), Some(0x6982), "{err}");
    // And a protected command arriving at a chip with no session gets 6988.
    let mut raw = InMemory::new(fixture("td3_passport.json"));
    assert_eq!(
        raw.transmit_raw(&[0x0C, 0xB0, 0x81, 0x00, 0x00]).unwrap(),
        [0x69, 0x88]
    );
}

struct Collect(Vec<EfId>);
impl ReadObserver for Collect {
    fn file_read(&mut self, file: EfId, _content: &[u8]) -> dactyl::Result<()> {
        self.0.push(file);
        Ok(())
    }
}

#[test]
fn a_card_pulled_mid_read_keeps_the_files_already_read() {
    let link = Faulty::new(
        InMemory::new(fixture("bsi_passport.json")),
        Fault::RemoveCardAt { n: 20 },
    );
    let mut opts = ReadOptions::new(bsi_key_info());
    opts.length = LengthPolicy::ShortOnly;
    let mut seen = Collect(Vec::new());
    let err = read_document(Box::new(link), &opts, &mut seen).unwrap_err();
    assert!(matches!(err, Error::CardRemoved), "{err}");
    // DG14 is read right after DG1 (Chip Authentication then protects the rest).
    assert_eq!(seen.0, [EfId::Com, EfId::Dg(1), EfId::Dg(14)]);
}

#[test]
fn a_header_announcing_gigabytes_is_refused_not_followed() {
    // DG5 claims 0x40000000 bytes but holds 300.
    let mut content = vec![0x65, 0x84, 0x40, 0x00, 0x00, 0x00];
    content.extend(vec![0xAB; 300]);
    let opts = ReadOptions {
        files: Some(vec![EfId::Dg(5)]),
        ..ReadOptions::new(key_info())
    };
    let err = read_document(
        Box::new(InMemory::new(chip_with(content, LengthSupport::SHORT))),
        &opts,
        &mut NoObserver,
    )
    .unwrap_err();
    assert!(err.to_string().contains("more than any LDS file"), "{err}");
}
