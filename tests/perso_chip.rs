//! The virtual chip's personalization life cycle (blank -> personalizing -> locked), driven by
//! raw APDUs written out here from the command table (ISO/IEC 7816-9 CREATE FILE, ISO/IEC
//! 7816-4 UPDATE BINARY and PUT DATA, as the JMRTD passport applet codes them, and dactyl's
//! own objects), then read back over the operational path by the reader.

#[path = "common/cv_sets.rs"]
mod cv_sets;
#[path = "common/fixtures.rs"]
mod fixtures;
#[path = "common/perso_script.rs"]
mod perso_script;
use perso_script::*;

use dactyl::access::bac::{self, BacKeys, TerminalNonces};
use dactyl::emulator::perso::Profile;
use dactyl::emulator::{BlankChip, ChipImage, PersoState, VirtualChip};
use dactyl::iso7816::perso::{PersoFile, perso_digest};
use dactyl::iso7816::refusal::Refusal;
use dactyl::lds::files::EfId;
use dactyl::reader::{NoObserver, ReadOptions, read_document};
use dactyl::time::Time;
use dactyl::transport::memory::InMemory;
use dactyl::transport::{Transport, exchange};
use std::path::Path;
use std::sync::Arc;

#[test]
fn a_blank_chip_written_and_locked_reads_back_as_written() {
    let (_, fs) = fixture_files("td3_passport.json");
    let mut t = blank("{}");
    assert_eq!(t.card().state(), PersoState::Blank);
    let script = td3_script(&fs, 1000);
    run(&mut t, &script.apdus);
    assert_eq!(t.card().state(), PersoState::Personalizing);
    assert_eq!(t.card().digest(), script.digest());
    assert_eq!(send(&mut t, &Script::lock_apdu(&script.digest())), 0x9000);
    assert_eq!(t.card().state(), PersoState::Locked);
    let doc = bac_read(t.into_card());
    assert_eq!(doc.access_control, "BAC");
    for ef in [EfId::Com, EfId::Dg(1), EfId::Sod] {
        assert_eq!(doc.raw[&ef], fs.get(ef).unwrap(), "{ef:?}");
    }
}

#[test]
fn a_wrong_digest_or_none_leaves_the_chip_unlocked() {
    let (_, fs) = fixture_files("td3_passport.json");
    let mut t = blank("{}");
    let mut script = td3_script(&fs, 200);
    // One byte of DG1 corrupted on the wire: the writer's digest is not the chip's.
    let update = script
        .apdus
        .iter()
        .position(|a| a[..4] == h("00 D6 00 00") && a.len() > 20)
        .unwrap();
    let mut apdus = script.apdus.clone();
    *apdus[update].last_mut().unwrap() ^= 0x01;
    run(&mut t, &apdus);
    let lock = Script::lock_apdu(&script.digest());
    assert_eq!(send(&mut t, &lock), 0x6984);
    assert_eq!(t.card().state(), PersoState::Personalizing);
    assert_eq!(t.card().last_refusal().unwrap().kind, Refusal::DataInvalid);
    // dactyl's chips take no lock without the digest.
    assert_eq!(send(&mut t, &h("00 DA DE AD")), 0x6700);
    assert_eq!(t.card().state(), PersoState::Personalizing);
    // Re-running the write starts over cleanly; then the lock holds.
    script.apdus.retain(|a| a[1] != 0xA4);
    let mut again = vec![h("00 A4 04 0C 07 A0000002471001")];
    again.extend(script.apdus.iter().cloned());
    run(&mut t, &again);
    assert_eq!(send(&mut t, &lock), 0x9000);
    assert_eq!(t.card().state(), PersoState::Locked);
}

#[test]
fn the_lock_refuses_a_chip_that_would_not_work() {
    let (_, fs) = fixture_files("td3_passport.json");
    // The BAC seed put is another document's.
    let mut t = blank("{}");
    let mut script = td3_script(&fs, 1000);
    let mut other = h("62 1B 04 09");
    other.extend(b"L898902C<");
    other.extend(h("04 06"));
    other.extend(b"740812");
    other.extend(h("04 06"));
    other.extend(b"120415");
    script.put(0x00, 0x62, &other);
    run(&mut t, &script.apdus);
    assert_eq!(send(&mut t, &Script::lock_apdu(&script.digest())), 0x6985);
    assert_eq!(t.card().state(), PersoState::Personalizing);
    assert!(t.card().lock_error().unwrap().contains("BAC key seed"));
    // No EF.SOD: the chip could never pass Passive Authentication.
    let mut t = blank("{}");
    let mut script = Script::default();
    script.select_application();
    for ef in [EfId::Com, EfId::Dg(1)] {
        script.file(true, ef.fid(), fs.get(ef).unwrap(), 1000);
    }
    run(&mut t, &script.apdus);
    assert_eq!(send(&mut t, &Script::lock_apdu(&script.digest())), 0x6985);
    assert!(t.card().lock_error().unwrap().contains("EF.SOD"));
}

/// A locked chip (personalized here, or a fixture chip) refuses every personalization command
/// with 6985, in plain and under secure messaging.
#[test]
fn a_locked_chip_refuses_personalization() {
    let perso_commands = [
        h("00 E0 00 00 06 63 04 00 10 01 05"),
        h("00 D6 00 00 01 AA"),
        h("00 D7 00 00 06 54 01 00 53 01 AA"),
        h("00 DA DC 01 04 31 32 33 34"),
        h("00 DA DE AD"),
    ];
    let (_, fs) = fixture_files("td3_passport.json");
    let mut t = blank("{}");
    let script = td3_script(&fs, 1000);
    run(&mut t, &script.apdus);
    assert_eq!(send(&mut t, &Script::lock_apdu(&script.digest())), 0x9000);
    for cmd in &perso_commands {
        assert_eq!(send(&mut t, cmd), 0x6985, "{}", hex::encode_upper(cmd));
    }
    let mut sm = open_bac(&mut t, &BacKeys::from_mrz(&key_info()));
    for cmd in &perso_commands {
        assert_eq!(send_protected(&mut t, &mut sm, cmd), 0x6985);
    }
    let refusal = t.card().last_refusal().unwrap();
    assert_eq!(refusal.kind, Refusal::Conditions);
    assert!(refusal.reason.contains("locked"), "{refusal}");
    // A fixture chip is a locked chip.
    let mut fixture: InMemory<VirtualChip> =
        InMemory::new(ChipImage::load_chip(&chips().join("td3_passport.json")).unwrap());
    for cmd in &perso_commands {
        assert_eq!(status(&fixture.transmit_raw(cmd).unwrap()), 0x6985);
    }
    let mut sm = open_bac(&mut fixture, &BacKeys::from_mrz(&key_info()));
    for cmd in &perso_commands {
        assert_eq!(send_protected(&mut fixture, &mut sm, cmd), 0x6985);
    }
}

#[test]
fn a_blank_chip_reads_nothing_but_its_atr_info() {
    let mut t = blank(r#"{"max_command_apdu": 1000}"#);
    // EF.ATR/INFO by SFI 01 right after reset: DO 7F66 with the buffer sizes.
    let answer = t.transmit_raw(&h("00 B0 81 00 00")).unwrap();
    assert_eq!(status(&answer), 0x9000);
    assert_eq!(
        hex::encode_upper(&answer[..answer.len() - 2]),
        "7F6609020203E80203010002"
    );
    let (_, fs) = fixture_files("td3_passport.json");
    run(&mut t, &td3_script(&fs, 500).apdus);
    // DG1 by SFI, by FID after SELECT, EF.COM: 6982 until the chip is locked.
    assert_eq!(send(&mut t, &h("00 B0 81 00 04")), 0x6982);
    assert_eq!(send(&mut t, &h("00 A4 02 0C 02 01 01")), 0x9000);
    assert_eq!(send(&mut t, &h("00 B0 00 00 04")), 0x6982);
    assert_eq!(send(&mut t, &h("00 B1 00 00 03 54 01 00 00")), 0x6982);
    assert_eq!(
        t.card().last_refusal().unwrap().kind,
        Refusal::SecurityStatus
    );
    // Other instructions are not there yet.
    assert_eq!(
        send(&mut t, &h("00 88 00 00 08 0102030405060708 00")),
        0x6D00
    );
    assert_eq!(send(&mut t, &h("00 84 00 00 08")), 0x6D00);
}

#[test]
fn updates_stay_inside_the_current_file_and_a_recreated_file_starts_empty() {
    let mut t = blank("{}");
    // No current EF yet.
    assert_eq!(send(&mut t, &h("00 D6 00 00 01 AA")), 0x6986);
    run(
        &mut t,
        &[
            h("00 A4 04 0C 07 A0000002471001"),
            h("00 E0 00 00 06 63 04 00 04 01 05"),
            h("00 D6 00 00 04 AA BB CC DD"),
        ],
    );
    // An application file in the master file (a SELECT of the application lost on the way).
    assert_eq!(send(&mut t, &h("00 A4 00 0C 02 3F00")), 0x9000);
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 63 04 00 04 01 01")), 0x6A80);
    assert_eq!(send(&mut t, &h("00 A4 04 0C 07 A0000002471001")), 0x9000);
    assert_eq!(send(&mut t, &h("00 A4 02 0C 02 01 05")), 0x9000);
    // EF.CVCA is the chip's, built from its trust points.
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 63 04 00 04 01 1C")), 0x6985);
    // Past the end, size 0, another tag, a short EF identifier.
    assert_eq!(send(&mut t, &h("00 D6 00 03 02 EE FF")), 0x6B00);
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 63 04 00 00 01 06")), 0x6A80);
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 62 04 00 04 01 06")), 0x6984);
    assert_eq!(send(&mut t, &h("00 D6 85 00 01 AA")), 0x6A86);
    let written = |content: &[u8]| {
        perso_digest(
            [PersoFile {
                in_application: true,
                fid: 0x0105,
                content,
            }],
            [],
        )
    };
    assert_eq!(t.card().digest(), written(&h("AA BB CC DD")));
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 63 04 00 04 01 05")), 0x9000);
    assert_eq!(t.card().digest(), written(&[0; 4]));
    // Offsets above 7FFF by the odd UPDATE BINARY (DO 54 offset, DO 53 data).
    let mut big = vec![0u8; 0x8004];
    run(
        &mut t,
        &[
            h("00 E0 00 00 06 63 04 80 04 01 05"),
            h("00 D7 00 00 09 54 03 00 80 01 53 02 12 34"),
        ],
    );
    big[0x8001..0x8003].copy_from_slice(&[0x12, 0x34]);
    assert_eq!(t.card().digest(), written(&big));
}

#[test]
fn a_transport_key_guards_personalization_until_bac() {
    let json = format!(r#"{{"transport_key": "{TRANSPORT_KEY}"}}"#);
    let (_, fs) = fixture_files("td3_passport.json");
    let mut t = blank(&json);
    // EF.CardAccess goes to the master file, selected under secure messaging.
    let (_, utopia) = fixture_files("utopia_passport.json");
    let mut script = Script::default();
    script.apdus.push(h("00 A4 00 0C 02 3F00"));
    script.file(false, 0x011C, utopia.get(EfId::CardAccess).unwrap(), 1000);
    script.select_application();
    for ef in [EfId::Com, EfId::Dg(1), EfId::Sod] {
        script.file(true, ef.fid(), fs.get(ef).unwrap(), 1000);
    }
    script.seed();
    // In plain: refused.
    assert_eq!(send(&mut t, &h("00 A4 04 0C 07 A0000002471001")), 0x9000);
    assert_eq!(send(&mut t, &script.apdus[1]), 0x6982);
    assert_eq!(send(&mut t, &script.apdus[5]), 0x6982);
    // BAC with the wrong key fails; with the transport key, everything is accepted.
    let nonces = TerminalNonces::random().unwrap();
    let wrong = BacKeys::from_mrz(&key_info());
    assert!(bac::authenticate(&mut |c| exchange(&mut t, c), &wrong, &nonces).is_err());
    let mut sm = open_bac(&mut t, &BacKeys::from_seed(&h(TRANSPORT_KEY)));
    for a in &script.apdus {
        assert_eq!(send_protected(&mut t, &mut sm, a), 0x9000);
    }
    let lock = Script::lock_apdu(&script.digest());
    assert_eq!(send_protected(&mut t, &mut sm, &lock), 0x9000);
    assert_eq!(t.card().state(), PersoState::Locked);
    let doc = bac_read(t.into_card());
    assert_eq!(doc.access_control, "PACE");
    assert_eq!(doc.raw[&EfId::Dg(1)], fs.get(EfId::Dg(1)).unwrap());
}

#[test]
fn the_jmrtd_applet_profile_has_the_applets_limits() {
    let mut t = blank(r#"{"profile": "jmrtd-applet"}"#);
    assert_eq!(t.card().blank().profile, Profile::JmrtdApplet);
    // No EF.ATR/INFO, and no READ BINARY by SFI (6986, as the operational applet answers).
    assert_eq!(send(&mut t, &h("00 B0 81 00 00")), 0x6986);
    assert_eq!(send(&mut t, &h("00 B1 2F 01 03 54 01 00 00")), 0x6982);
    assert_eq!(send(&mut t, &h("00 A4 04 0C 07 A0000002471001")), 0x9000);
    // DG3 and DG4 need Terminal Authentication rights the writer has not.
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 63 04 01 00 01 03")), 0x6982);
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 63 04 01 00 01 04")), 0x6982);
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 63 04 80 00 01 02")), 0x6A80);
    assert_eq!(send(&mut t, &h("00 E0 00 00 06 63 04 01 00 01 02")), 0x9000);
    // 255 bytes an UPDATE BINARY; 256 need extended length, which the applet lacks.
    assert_eq!(send(&mut t, &apdu("00 D6 00 00", &[0x11; 255])), 0x9000);
    assert_eq!(send(&mut t, &apdu("00 D6 00 00", &[0x11; 256])), 0x6700);
    // No dactyl objects.
    assert_eq!(send(&mut t, &h("00 DA DC 01 06 313233343536")), 0x6A86);
    // The applet's lock takes no data, and the locked chip is the applet.
    let (_, fs) = fixture_files("td3_passport.json");
    let mut script = Script::default();
    for ef in [EfId::Com, EfId::Dg(1), EfId::Sod] {
        script.file(true, ef.fid(), fs.get(ef).unwrap(), 255);
    }
    script.seed();
    run(&mut t, &script.apdus);
    // DG2 (0102) was created above with a test pattern; start it over as a real file.
    run(
        &mut t,
        &[
            h("00 E0 00 00 06 63 04 00 04 01 02"),
            h("00 D6 00 00 04 75 02 00 00"),
        ],
    );
    assert_eq!(send(&mut t, &h("00 DA DE AD")), 0x9000);
    let image = t.card().image().unwrap();
    assert_eq!(image.quirks, vec![dactyl::emulator::Quirk::JmrtdApplet]);
    assert!(!image.extended_length);
}

#[test]
fn keys_on_other_curves_and_a_second_cvca_are_refused() {
    let mut t = blank(r#"{"curves": [13]}"#);
    // A Chip Authentication key on P-256 (id 12) on a chip that takes brainpoolP256r1 only.
    assert_eq!(send(&mut t, &h("00 DA DC 03 06 80 01 0C 81 01 05")), 0x6A80);
    assert_eq!(send(&mut t, &h("00 DA DC 03 06 80 01 0D 81 01 05")), 0x9000);
    let cvca = std::fs::read(chips().join("keys/cvca.cvcert")).unwrap();
    let other = cv_sets::cvca().cert.raw().to_vec();
    let dv = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/eac/dv.cvcert"))
        .unwrap();
    // A corrupted signature, a DV certificate: refused, the slot stays free.
    let mut corrupted = cvca.clone();
    *corrupted.last_mut().unwrap() ^= 0x01;
    assert_eq!(send(&mut t, &apdu("00 DA 01 64", &corrupted)), 0x6A80);
    assert_eq!(send(&mut t, &apdu("00 DA 01 64", &dv)), 0x6A80);
    // One CVCA a slot, as often as it is the same.
    assert_eq!(send(&mut t, &apdu("00 DA 01 64", &cvca)), 0x9000);
    assert_eq!(send(&mut t, &apdu("00 DA 01 64", &cvca)), 0x9000);
    assert_eq!(send(&mut t, &apdu("00 DA 01 64", &other)), 0x6985);
    assert_eq!(send(&mut t, &apdu("00 DA 02 64", &other)), 0x9000);
    // A BAC seed that is no MRZ (month 13).
    let mut seed = h("62 1B 04 09");
    seed.extend(b"L898902C3");
    seed.extend(h("04 06"));
    seed.extend(b"741312");
    seed.extend(h("04 06"));
    seed.extend(b"120415");
    assert_eq!(send(&mut t, &apdu("00 DA 00 62", &seed)), 0x6A80);
}

/// The Utopia passport (PACE, Chip Authentication, RSA Active Authentication, DG3 under
/// Extended Access Control) written to a blank chip with its keys, locked, and inspected: every
/// mechanism passes, and the saved image serves the same chip again.
#[test]
fn a_full_chip_personalized_with_its_keys_passes_inspection_and_is_served_again() {
    let (fs, script) = utopia_script(true);
    let mut t = blank("{}");
    run(&mut t, &script.apdus);
    let lock = Script::lock_apdu(&script.digest());
    assert_eq!(send(&mut t, &lock), 0x9000, "{:?}", t.card().lock_error());
    let saved = t.card().image().unwrap().to_json();

    let mut opts = ReadOptions::new(key_info());
    opts.terminal = Some(Arc::new(fixtures::test_terminal()));
    let inspect = |chip: Box<dyn Transport>| {
        let mut doc = read_document(chip, &opts, &mut NoObserver).unwrap();
        doc.verify_passive(&trust(), Time::now(), false);
        doc
    };
    let doc = inspect(Box::new(InMemory::new(t.into_card())));
    assert_eq!(doc.access_control, "PACE");
    let inspection = doc.inspection.as_ref().unwrap();
    assert!(inspection.successful, "{inspection:?}");
    for ef in [2, 3, 14, 15].map(EfId::Dg).into_iter().chain([EfId::Sod]) {
        assert_eq!(doc.raw[&ef], fs.get(ef).unwrap(), "{ef:?}");
    }
    // The saved image is the same chip.
    let again = ChipImage::from_json(&saved).unwrap();
    assert_eq!(again.to_json(), saved);
    let doc = inspect(Box::new(InMemory::new(
        again.build(Path::new(".")).unwrap(),
    )));
    assert!(doc.inspection.as_ref().unwrap().successful);
    assert_eq!(doc.raw[&EfId::Dg(3)], fs.get(EfId::Dg(3)).unwrap());
}

/// A chip with short APDUs only is personalized in commands of at most 255 data bytes: the
/// CVCA certificate (432 bytes) comes as a chained PUT DATA; the chip then passes inspection
/// over short APDUs. A chain interrupted by another command is refused and forgotten.
#[test]
fn a_short_apdu_chip_takes_a_chained_cvca_and_passes_inspection() {
    let (fs, script) = utopia_script_with(true, 255);
    assert!(script.apdus.iter().all(|a| a.len() <= 260));
    assert!(script.apdus.iter().any(|a| a[0] == 0x10));
    let mut t = blank(r#"{"extended_length": false}"#);
    run(&mut t, &script.apdus);
    let lock = Script::lock_apdu(&script.digest());
    assert_eq!(send(&mut t, &lock), 0x9000, "{:?}", t.card().lock_error());
    let mut opts = ReadOptions::new(key_info());
    opts.terminal = Some(Arc::new(fixtures::test_terminal()));
    let mut doc = read_document(Box::new(t), &opts, &mut NoObserver).unwrap();
    doc.verify_passive(&trust(), Time::now(), false);
    assert!(!doc.extended_length);
    assert!(doc.inspection.as_ref().unwrap().successful);
    assert_eq!(doc.raw[&EfId::Dg(3)], fs.get(EfId::Dg(3)).unwrap());
    // Another command in the middle of a chain; chaining outside PUT DATA.
    let mut t = blank(r#"{"extended_length": false}"#);
    assert_eq!(send(&mut t, &apdu("10 DA 01 64", &[0x7F; 10])), 0x9000);
    assert_eq!(send(&mut t, &h("00 A4 04 0C 07 A0000002471001")), 0x6985);
    assert_eq!(send(&mut t, &apdu("00 DA 01 64", &[0x7F; 10])), 0x6A80);
    assert_eq!(send(&mut t, &apdu("10 D6 00 00", &[0; 4])), 0x6884);
    assert_eq!(t.card().state(), PersoState::Blank);
}

/// The chip's half of the issue's fault sweep: whichever APDU of a whole personalization is
/// lost (the card pulled there) or has its last byte corrupted on the wire, the chip never
/// locks with the writer's digest; after a reset, the same script run again from the start
/// (after a lost APDU), or after `00 DA DC 00` start over (after a corrupted one, which may
/// have created a file the script does not write), locks it, and the chip holds what was
/// written.
#[test]
fn a_personalization_cut_at_any_apdu_never_locks_and_starts_over_cleanly() {
    let (fs, script) = utopia_script(true);
    let lock = Script::lock_apdu(&script.digest());
    for (cut, lost) in (0..script.apdus.len()).flat_map(|i| [(i, true), (i, false)]) {
        let mut t = blank("{}");
        let mut sent = script.apdus.clone();
        if lost {
            sent.remove(cut);
        } else if let Some(last) = sent[cut].last_mut() {
            *last ^= 0x01;
        }
        for a in &sent {
            // A lost APDU may make later ones fail (an UPDATE with no file): keep going.
            t.transmit_raw(a).unwrap();
        }
        assert_ne!(
            send(&mut t, &lock),
            0x9000,
            "APDU {cut} lost ({lost}), yet locked"
        );
        assert_ne!(t.card().state(), PersoState::Locked);
        dactyl::transport::CardSide::reset(t.card_mut());
        if !lost {
            assert_eq!(send(&mut t, &h("00 DA DC 00")), 0x9000);
        }
        run(&mut t, &script.apdus);
        assert_eq!(send(&mut t, &lock), 0x9000, "after APDU {cut} ({lost})");
        let chip = t.card().operational().unwrap();
        for (ef, content) in fs.iter() {
            assert_eq!(
                chip.files().get(ef),
                Some(content),
                "{ef:?} after APDU {cut}"
            );
        }
    }
}

/// The command line (`dactyl emulate`), built with the `cli` feature only.
#[cfg(feature = "cli")]
mod emulate_command {
    use super::*;

    /// Kills the emulator this test started when the test ends, however it ends.
    struct Child(std::process::Child);

    impl Drop for Child {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn frame(s: &mut std::net::TcpStream, body: &[u8]) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut f = (body.len() as u16).to_be_bytes().to_vec();
        f.extend(body);
        s.write_all(&f).unwrap();
        let mut len = [0u8; 2];
        s.read_exact(&mut len).unwrap();
        let mut out = vec![0u8; usize::from(u16::from_be_bytes(len))];
        s.read_exact(&mut out).unwrap();
        out
    }

    /// `dactyl emulate --blank --save FILE` behind a stand-in for pcscd's vpcd driver: the chip is
    /// written over the vpcd protocol, saved when locked, and the saved image reads back.
    #[test]
    fn the_emulator_serves_a_blank_chip_and_saves_it_once_locked() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let saved = dir.join("chip.json");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let _emulator = Child(
            std::process::Command::new(env!("CARGO_BIN_EXE_dactyl"))
                .args(["emulate", "--blank", "--save"])
                .arg(&saved)
                .args(["--vpcd", &addr])
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        );
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        let (_, fs) = fixture_files("td3_passport.json");
        let script = td3_script(&fs, 1000);
        for a in &script.apdus {
            assert_eq!(status(&frame(&mut s, a)), 0x9000);
        }
        assert!(!saved.exists());
        assert_eq!(
            status(&frame(&mut s, &Script::lock_apdu(&script.digest()))),
            0x9000
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&saved).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o077,
                0,
                "the saved image holds private keys: {mode:o}"
            );
        }
        let image = ChipImage::load(&saved).unwrap();
        let doc = bac_read(image.build(dir).unwrap());
        assert_eq!(doc.raw[&EfId::Dg(1)], fs.get(EfId::Dg(1)).unwrap());
    }

    #[test]
    fn emulate_wants_a_chip_or_a_blank_and_saves_only_a_blank() {
        let run = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_dactyl"))
                .args(args)
                .output()
                .unwrap()
        };
        let text = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
        let none = run(&["emulate"]);
        assert!(!none.status.success());
        assert!(text(&none).contains("--blank"), "{}", text(&none));
        let save_image = run(&["emulate", "--chip", "x.json", "--save", "y.json"]);
        assert!(!save_image.status.success());
        let bad = run(&["emulate", "--blank", "/nonexistent/blank.json"]);
        assert!(!bad.status.success());
        assert!(text(&bad).contains("blank.json"), "{}", text(&bad));
    }
}

/// Hostile and random APDUs (seeded, so a failure repeats) never make a blank chip panic, and
/// never lock it.
#[test]
fn random_commands_never_panic_nor_lock() {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for profile in ["{}", r#"{"profile": "jmrtd-applet"}"#] {
        let mut t = blank(profile);
        for _ in 0..20_000 {
            let r = next();
            let ins = [0xE0, 0xD6, 0xD7, 0xDA, 0xA4, 0xB0, 0xB1, 0x84, 0x82][(r % 9) as usize];
            let len = ((r >> 8) % 48) as usize;
            let mut apdu = vec![
                (r >> 16) as u8 & 0x1C,
                ins,
                (r >> 24) as u8,
                (r >> 32) as u8,
            ];
            apdu.extend((0..len).map(|_| next() as u8));
            if r >> 40 & 1 == 0 {
                // A well-formed case 3 command around the random data.
                apdu.truncate(4);
                apdu.push(len as u8);
                apdu.extend((0..len).map(|_| next() as u8));
            }
            let answer = t.transmit_raw(&apdu).unwrap();
            assert!(answer.len() >= 2);
        }
        assert_ne!(t.card().state(), PersoState::Locked);
    }
}

#[test]
fn the_lock_runs_every_check_of_a_chip_image() {
    // DG3 without Extended Access Control: no CVCA was put.
    let (_, script) = utopia_script(false);
    let mut t = blank("{}");
    run(&mut t, &script.apdus);
    assert_eq!(send(&mut t, &Script::lock_apdu(&script.digest())), 0x6985);
    assert!(
        t.card().lock_error().unwrap().contains("eac"),
        "{:?}",
        t.card().lock_error()
    );
    // A Chip Authentication key that is not DG14's.
    let (_, mut script) = utopia_script(true);
    script.put(
        0xDC,
        0x03,
        &h("80 01 0D 81 20 0000000000000000000000000000000000000000000000000000000000000007"),
    );
    let mut t = blank("{}");
    run(&mut t, &script.apdus);
    assert_eq!(send(&mut t, &Script::lock_apdu(&script.digest())), 0x6985);
    assert!(
        t.card().lock_error().unwrap().contains("DG14"),
        "{:?}",
        t.card().lock_error()
    );
    assert_eq!(t.card().state(), PersoState::Personalizing);
}

/// An ECDSA Active Authentication key put as DC 04 signs as DG15 says.
#[test]
fn an_ecdsa_active_authentication_key_works_once_locked() {
    use dactyl::crypto::signing_key::{KeyAlgorithm, SigningKey};
    let pem = SigningKey::generate(KeyAlgorithm::Brainpool256)
        .unwrap()
        .to_pkcs8_pem()
        .unwrap();
    let der = dactyl::crypto::pem::pem_blocks(pem.as_bytes(), "PRIVATE KEY")
        .unwrap()
        .remove(0);
    let (_, scalar) = dactyl::crypto::keys::ec_private_key_from_pkcs8(&der).unwrap();
    let mut image = ChipImage::load(&chips().join("td3_passport.json")).unwrap();
    image.active_authentication = Some(dactyl::issuance::chip_image::AaConfig {
        pkcs8: dactyl::issuance::chip_image::FileSource::Hex(hex::encode(&der)),
    });
    let fs = image.file_system(&chips()).unwrap();
    let mut script = td3_script(&fs, 1000);
    let mut key = h("80 01 0D 81 20");
    key.extend(scalar.as_slice());
    script.put(0xDC, 0x04, &key);
    let mut t = blank("{}");
    run(&mut t, &script.apdus);
    assert_eq!(
        send(&mut t, &Script::lock_apdu(&script.digest())),
        0x9000,
        "{:?}",
        t.card().lock_error()
    );
    let doc = bac_read(t.into_card());
    let aa = doc.active_authentication.as_ref().unwrap();
    assert_eq!(aa.verdict, dactyl::pki::pa::Verdict::Pass, "{}", aa.detail);
}

#[test]
fn the_blank_fixtures_describe_the_chips_they_say() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/blank");
    let load = |name: &str| BlankChip::load(&dir.join(name)).unwrap();
    assert_eq!(
        load("dactyl.json").length_support(),
        BlankChip::default().length_support()
    );
    let short = load("short_apdus.json");
    assert!(!short.length_support().extended);
    assert!(short.accepts_curve(13) && !short.accepts_curve(16));
    assert_eq!(
        load("transport_key.json")
            .transport_seed()
            .unwrap()
            .unwrap()
            .as_slice(),
        h(TRANSPORT_KEY)
    );
    assert_eq!(load("jmrtd_applet.json").profile, Profile::JmrtdApplet);
}
