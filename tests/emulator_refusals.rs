//! Every kind of chip refusal (`iso7816::refusal::Refusal`) driven through the virtual chip by a
//! command that provokes it: the status word on the wire is the one ISO/IEC 7816-4 clause 5.6,
//! ICAO Doc 9303-11 and BSI TR-03110-3 clause B.11 give for it, the one mapping
//! (`emulator::refusal::status_word`) agrees, and the chip remembers the refusal with a reason.

use dactyl::access::bac::{self, BacKeys, TerminalNonces};
use dactyl::apdu::{Command, Response};
use dactyl::crypto::ec::Curve;
use dactyl::emulator::refusal::status_word;
use dactyl::emulator::{BlankChip, ChipImage, PersoChip, Quirk, VirtualChip};
use dactyl::iso7816::refusal::{ChipError, Refusal};
use dactyl::issuance::chip_image::PaceConfig;
use dactyl::lds::files::LDS1_AID;
use dactyl::lds::mrz::Mrz;
use dactyl::oids::{Cipher, KeyAgreement, PaceMapping, PaceProtocol};
use dactyl::sm::SecureMessaging;
use dactyl::transport::memory::InMemory;
use dactyl::transport::{Transport, exchange};
use std::collections::HashSet;
use std::path::Path;

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn chip(quirks: &[Quirk]) -> InMemory<VirtualChip> {
    let pace = PaceProtocol {
        agreement: KeyAgreement::Ecdh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes128,
    };
    let image = ChipImage {
        mrz: MRZ.into(),
        bac: true,
        extended_length: true,
        pace: vec![PaceConfig {
            protocol: pace.name(),
            parameter_id: Curve::P256.pace_parameter_id(),
        }],
        ..ChipImage::default()
    };
    let chip = image.build(Path::new(".")).unwrap().with_quirks(quirks);
    InMemory::new(chip)
}

fn keys() -> BacKeys {
    BacKeys::from_mrz(&Mrz::parse_verified(MRZ).unwrap().key_info().unwrap())
}

fn send(t: &mut InMemory<VirtualChip>, cmd: Command) -> u16 {
    exchange(t, &cmd).unwrap().sw
}

fn select_application(t: &mut InMemory<VirtualChip>) {
    let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(LDS1_AID.to_vec());
    assert_eq!(send(t, select), 0x9000);
}

fn open_bac(t: &mut InMemory<VirtualChip>) -> SecureMessaging {
    select_application(t);
    let nonces = TerminalNonces::random().unwrap();
    bac::authenticate(&mut |c| exchange(t, c), &keys(), &nonces).unwrap()
}

/// Sends `cmd` under `sm` and returns the status word, protected or bare.
fn send_protected(t: &mut InMemory<VirtualChip>, sm: &mut SecureMessaging, cmd: &Command) -> u16 {
    let raw = t.transmit_raw(&sm.wrap_command(cmd).unwrap().to_bytes().unwrap());
    let resp = Response::parse(&raw.unwrap()).unwrap();
    if resp.data.is_empty() {
        return resp.sw;
    }
    sm.unwrap_response(&resp).unwrap().sw
}

/// Provokes a refusal of `kind` and returns the status word the chip answered and the refusal
/// it remembers.
fn provoke(kind: Refusal) -> (u16, Option<ChipError>) {
    if kind == Refusal::DataInvalid {
        // A chip being personalized: CREATE FILE with another tag than the FCP's 63.
        let blank = PersoChip::new(BlankChip::default()).unwrap();
        let mut t = InMemory::new(blank);
        let create = Command::new(0, 0xE0, 0, 0).with_data(vec![0x62, 0x04, 0, 0x10, 1, 5]);
        let status = exchange(&mut t, &create).unwrap().sw;
        return (status, t.card().last_refusal());
    }
    let mut t = chip(match kind {
        Refusal::DataInconsistent => &[Quirk::MseNeedsDo84],
        Refusal::Internal => &[Quirk::JmrtdApplet],
        _ => &[],
    });
    let status = match kind {
        Refusal::VerificationFailed => {
            select_application(&mut t);
            assert_eq!(send(&mut t, Command::new(0, 0x84, 0, 0).with_le(8)), 0x9000);
            let wrong = Command::new(0, 0x82, 0, 0)
                .with_data(vec![0x5A; 40])
                .with_le(40);
            send(&mut t, wrong)
        }
        Refusal::WrongLength => send(&mut t, Command::new(0, 0x84, 0, 0).with_le(7)),
        Refusal::SecurityStatus => {
            select_application(&mut t);
            // DG1 by short EF identifier 01, without secure messaging.
            send(&mut t, Command::new(0, 0xB0, 0x81, 0).with_le(4))
        }
        Refusal::Conditions => {
            let ext = Command::new(0, 0x82, 0, 0)
                .with_data(vec![0; 40])
                .with_le(40);
            send(&mut t, ext)
        }
        Refusal::NoCurrentEf => send(&mut t, Command::new(0, 0xB0, 0, 0).with_le(4)),
        Refusal::SmObjectsMissing => {
            let _sm = open_bac(&mut t);
            // The secure messaging class, but no MAC object.
            send(&mut t, Command::new(0x0C, 0xB0, 0, 0).with_le(4))
        }
        Refusal::SmObjectsIncorrect => {
            let cmd = Command::new(0x0C, 0xA4, 0x02, 0x0C).with_data(vec![0x8E, 0x02, 0, 0]);
            send(&mut t, cmd)
        }
        Refusal::ChainingNotSupported => send(
            &mut t,
            Command::new(0x10, 0xA4, 0x02, 0x0C).with_data(vec![1, 0x1E]),
        ),
        Refusal::WrongData => send(&mut t, Command::new(0, 0xB1, 0, 0).with_le(4)),
        Refusal::FileNotFound => send(
            &mut t,
            Command::new(0, 0xA4, 0x02, 0x0C).with_data(vec![0x09, 0x99]),
        ),
        Refusal::WrongP1P2 => send(
            &mut t,
            Command::new(0, 0x22, 0x00, 0x00).with_data(vec![0x83, 0x01, 0x01]),
        ),
        Refusal::DataInconsistent | Refusal::ReferenceNotFound => {
            // PACE's MSE:Set AT for an unknown protocol, without domain parameter id.
            let data = vec![0x80, 0x03, 0x04, 0x00, 0x7F, 0x83, 0x01, 0x01];
            send(&mut t, Command::new(0, 0x22, 0xC1, 0xA4).with_data(data))
        }
        Refusal::OutsideFile => {
            // EF.CardAccess (readable in plain) at an offset past its end.
            let select = Command::new(0, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1C]);
            assert_eq!(send(&mut t, select), 0x9000);
            send(&mut t, Command::new(0, 0xB0, 0x7F, 0xFF).with_le(4))
        }
        Refusal::InsNotSupported => send(&mut t, Command::new(0, 0x10, 0, 0)),
        Refusal::ClaNotSupported => send(&mut t, Command::new(0x80, 0xA4, 0, 0)),
        Refusal::Internal => {
            // The JMRTD applet fails a protected READ BINARY by short EF identifier.
            let mut sm = open_bac(&mut t);
            send_protected(&mut t, &mut sm, &Command::new(0, 0xB0, 0x81, 0).with_le(4))
        }
        Refusal::DataInvalid => unreachable!("provoked on a blank chip above"),
    };
    (status, t.card().last_refusal())
}

#[test]
fn every_refusal_kind_reaches_the_wire_as_its_status_word() {
    let expected: [(Refusal, u16); 18] = [
        (Refusal::VerificationFailed, 0x6300),
        (Refusal::WrongLength, 0x6700),
        (Refusal::SecurityStatus, 0x6982),
        (Refusal::Conditions, 0x6985),
        (Refusal::DataInvalid, 0x6984),
        (Refusal::NoCurrentEf, 0x6986),
        (Refusal::SmObjectsMissing, 0x6987),
        (Refusal::SmObjectsIncorrect, 0x6988),
        (Refusal::ChainingNotSupported, 0x6884),
        (Refusal::WrongData, 0x6A80),
        (Refusal::FileNotFound, 0x6A82),
        (Refusal::WrongP1P2, 0x6A86),
        (Refusal::DataInconsistent, 0x6A87),
        (Refusal::ReferenceNotFound, 0x6A88),
        (Refusal::OutsideFile, 0x6B00),
        (Refusal::InsNotSupported, 0x6D00),
        (Refusal::ClaNotSupported, 0x6E00),
        (Refusal::Internal, 0x6F00),
    ];
    let covered: HashSet<Refusal> = expected.iter().map(|(k, _)| *k).collect();
    assert_eq!(covered, Refusal::ALL.into_iter().collect());
    for (kind, status) in expected {
        assert_eq!(status_word(kind), status, "{kind:?}");
        let (answered, refusal) = provoke(kind);
        assert_eq!(answered, status, "{kind:?}: chip answered {answered:04X}");
        let refusal = refusal.expect("a refusal is remembered");
        assert_eq!(refusal.kind, kind, "{refusal}");
        assert!(!refusal.reason.is_empty());
    }
}

#[test]
fn a_chip_that_refused_nothing_remembers_no_refusal() {
    let mut t = chip(&[]);
    select_application(&mut t);
    assert_eq!(t.card().last_refusal(), None);
}
