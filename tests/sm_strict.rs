//! Secure messaging strictness (ICAO Doc 9303-11 clause 9.8): under secure messaging the reader
//! takes no unauthenticated success or warning from the chip (a bare 9000, 61xx, 62xx, 63xx),
//! and a bare error status word is at most a refusal, never data or the end of a file; the
//! virtual chip ends its session on malformed or oversized protected commands.

use dactyl::Error;
use dactyl::access::bac::{self, BacKeys, TerminalNonces};
use dactyl::apdu::{Command, Response};
use dactyl::emulator::{ChipConfig, ChipImage, FileSystem, LengthSupport, VirtualChip};
use dactyl::lds::files::{EfId, LDS1_AID};
use dactyl::lds::mrz::{Mrz, MrzKeyInfo};
use dactyl::reader::{Document, LengthPolicy, NoObserver, ReadOptions, read_document};
use dactyl::transport::memory::InMemory;
use dactyl::transport::{CardSide, Transport, exchange};
use std::path::Path;

const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn key_info() -> MrzKeyInfo {
    Mrz::parse_verified(TD3).unwrap().key_info().unwrap()
}

fn td3_chip() -> VirtualChip {
    ChipImage::load_chip(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/td3_passport.json"),
    )
    .unwrap()
}

/// Passes every APDU to the chip, but replaces the chip's answer to the first command `hit`
/// selects with a bare status word (the chip still processed the command).
struct BareAnswer<T: Transport> {
    inner: T,
    hit: fn(&[u8]) -> bool,
    sw: u16,
    fired: bool,
}

impl<T: Transport> Transport for BareAnswer<T> {
    fn transmit_raw(&mut self, apdu: &[u8]) -> dactyl::Result<Vec<u8>> {
        let resp = self.inner.transmit_raw(apdu)?;
        if !self.fired && (self.hit)(apdu) {
            self.fired = true;
            return Ok(self.sw.to_be_bytes().to_vec());
        }
        Ok(resp)
    }
    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }
    fn describe(&self) -> String {
        "bare-answer injector".into()
    }
}

/// The protected READ BINARY of EF.SOD by short EF identifier (1D).
fn sod_by_sfi(apdu: &[u8]) -> bool {
    apdu.starts_with(&[0x0C, 0xB0, 0x9D])
}

/// A protected READ BINARY at an offset (not by SFI): with short APDUs, EF.SOD's second chunk
/// (EF.COM and DG1 fit in one).
fn later_chunk(apdu: &[u8]) -> bool {
    apdu.len() > 3 && apdu[..2] == [0x0C, 0xB0] && apdu[2] & 0x80 == 0
}

/// The protected READ BINARY of DG1 by short EF identifier.
fn dg1_by_sfi(apdu: &[u8]) -> bool {
    apdu.starts_with(&[0x0C, 0xB0, 0x81])
}

fn read_with(hit: fn(&[u8]) -> bool, sw: u16) -> dactyl::Result<Document> {
    let link = BareAnswer {
        inner: InMemory::new(td3_chip()),
        hit,
        sw,
        fired: false,
    };
    let mut opts = ReadOptions::new(key_info());
    opts.length = LengthPolicy::ShortOnly;
    read_document(Box::new(link), &opts, &mut NoObserver)
}

fn sod_status(doc: &Document) -> Option<(String, usize)> {
    doc.files
        .iter()
        .find(|f| f.file == "EF.SOD")
        .map(|f| (f.status.clone(), f.bytes))
}

#[test]
fn the_unmodified_read_gets_ef_sod() {
    let doc = read_with(|_| false, 0x9000).unwrap();
    let (status, bytes) = sod_status(&doc).unwrap();
    assert_eq!(status, "read");
    assert!(bytes > 231, "EF.SOD needs more than one short READ BINARY");
}

/// TR-03105-5.1 ISO7816_B_07 (ICAO ISO7816_D_04): SM failure, secured status bytes missing.
#[test]
fn a_bare_success_or_warning_on_ef_sod_is_never_a_read() {
    for sw in [0x6282, 0x9000, 0x6100, 0x6110, 0x6300, 0x63C1, 0x6281] {
        match read_with(sod_by_sfi, sw) {
            // 61xx makes the terminal ask GET RESPONSE, which the chip answers by ending the
            // session; every other status is refused by the terminal itself.
            Err(Error::SecureMessaging(m)) => assert!(
                m.contains("unprotected") || (sw >> 8 == 0x61 && m.contains("ended the session")),
                "{sw:04X}: {m}"
            ),
            Err(e) => panic!("{sw:04X}: unexpected error {e}"),
            Ok(doc) => panic!("{sw:04X}: read succeeded: {:?}", sod_status(&doc)),
        }
    }
}

#[test]
fn a_bare_6b00_is_not_the_end_of_a_file() {
    // On the first READ BINARY of EF.SOD (it would have been "read" with 0 bytes) and in the
    // middle of it.
    for hit in [sod_by_sfi as fn(&[u8]) -> bool, later_chunk] {
        match read_with(hit, 0x6B00) {
            Err(e) => assert!(e.to_string().contains("EF.SOD"), "{e}"),
            Ok(doc) => panic!("read succeeded: {:?}", sod_status(&doc)),
        }
    }
}

#[test]
fn a_bare_error_status_is_taken_as_a_refusal_only() {
    // A bare 6A82 to DG1 is the chip refusing: the file is reported absent, nothing is read,
    // and the secure session goes on (EF.SOD is read after it).
    let doc = read_with(dg1_by_sfi, 0x6A82).unwrap();
    let dg1 = doc.files.iter().find(|f| f.file == "DG1").unwrap();
    assert_eq!((dg1.status.as_str(), dg1.bytes), ("not present", 0));
    assert!(!doc.raw.contains_key(&EfId::Dg(1)));
    assert_eq!(sod_status(&doc).unwrap().0, "read");
}

/// A chip with short APDUs only and a BAC session opened on it.
fn chip_in_session() -> (InMemory<VirtualChip>, dactyl::sm::SecureMessaging) {
    let mrz = Mrz::parse_verified(TD3).unwrap();
    let mut fs = FileSystem::new();
    fs.put(EfId::Dg(1), dactyl::lds::dg1::Dg1::encode(&mrz));
    fs.put(EfId::CardAccess, vec![0x31, 0x03, 0x02, 0x01, 0x05]);
    let chip = VirtualChip::new(
        fs,
        Some(BacKeys::from_mrz(&key_info())),
        ChipConfig {
            length: LengthSupport::SHORT,
            ..ChipConfig::default()
        },
    );
    let mut t = InMemory::new(chip);
    let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(LDS1_AID);
    assert_eq!(exchange(&mut t, &select).unwrap().sw, 0x9000);
    let sm = bac::authenticate(
        &mut |c| exchange(&mut t, c),
        &BacKeys::from_mrz(&key_info()),
        &TerminalNonces::random().unwrap(),
    )
    .unwrap();
    assert!(t.card().in_secure_session());
    (t, sm)
}

#[test]
fn oversized_and_malformed_protected_commands_end_the_session() {
    for bad in [
        // Extended length to a chip that has none.
        vec![0x0C, 0xB0, 0x81, 0x00, 0x00, 0x00, 0x00],
        // Lc says 5, one byte follows.
        vec![0x0C, 0xB0, 0x81, 0x00, 0x05, 0x01],
        // Extended Lc of 0.
        vec![0x0C, 0xB0, 0x81, 0x00, 0x00, 0x00, 0x00, 0x01],
    ] {
        let (mut t, mut sm) = chip_in_session();
        assert_eq!(t.transmit_raw(&bad).unwrap(), [0x67, 0x00], "{bad:02X?}");
        assert!(!t.card().in_secure_session(), "{bad:02X?}");
        assert_eq!(t.card().stats().sm_aborts, 1, "{bad:02X?}");
        // A correctly protected command now meets no session.
        let read = sm
            .wrap_command(&Command::new(0, 0xB0, 0x81, 0).with_le(4))
            .unwrap();
        assert_eq!(exchange(&mut t, &read).unwrap().sw, 0x6988);
    }
}

#[test]
fn well_formed_protected_commands_keep_the_session() {
    let (mut t, mut sm) = chip_in_session();
    let read = sm
        .wrap_command(&Command::new(0, 0xB0, 0x81, 0).with_le(4))
        .unwrap();
    let resp = exchange(&mut t, &read).unwrap();
    let plain = sm.unwrap_response(&resp).unwrap();
    assert_eq!((plain.data.len(), plain.sw), (4, 0x9000));
    assert_eq!(t.card().stats().sm_aborts, 0);
}

#[test]
fn odd_read_binary_with_ne_below_3_gets_6700() {
    let (mut t, _) = chip_in_session();
    // Unprotected, before the application: EF.CardAccess is readable in plain.
    t.card_mut().reset();
    for (ne, expected) in [(1u8, vec![0x67, 0x00]), (2, vec![0x67, 0x00])] {
        let b1 = [0x00, 0xB1, 0x00, 0x1C, 0x03, 0x54, 0x01, 0x00, ne];
        assert_eq!(t.transmit_raw(&b1).unwrap(), expected, "Ne {ne}");
    }
    let b1 = [0x00, 0xB1, 0x00, 0x1C, 0x03, 0x54, 0x01, 0x00, 0x03];
    assert_eq!(
        Response::parse(&t.transmit_raw(&b1).unwrap()).unwrap(),
        Response::new(vec![0x53, 0x01, 0x31], 0x9000)
    );
}

#[test]
fn the_aa_extended_le_quirk_answers_nothing_to_an_extended_outer_le() {
    use dactyl::emulator::Quirk;
    let img = ChipImage::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/utopia_passport.json"),
    )
    .unwrap();
    let chip = img
        .build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips"))
        .unwrap()
        .with_quirks(&[Quirk::AaExtendedLeEmpty]);
    let mut t = InMemory::new(chip);
    let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(LDS1_AID);
    assert_eq!(exchange(&mut t, &select).unwrap().sw, 0x9000);
    let mut sm = bac::authenticate(
        &mut |c| exchange(&mut t, c),
        &BacKeys::from_mrz(&key_info()),
        &TerminalNonces::random().unwrap(),
    )
    .unwrap();
    let aa = Command::new(0, 0x88, 0, 0)
        .with_data(vec![7; 8])
        .with_le(256);
    for (extended, signature_len) in [(false, 128), (true, 0)] {
        let mut wire = sm.wrap_command(&aa).unwrap();
        if extended {
            wire.le = Some(65536);
        }
        let resp = sm
            .unwrap_response(&exchange(&mut t, &wire).unwrap())
            .unwrap();
        assert_eq!((resp.sw, resp.data.len()), (0x9000, signature_len));
    }
}
