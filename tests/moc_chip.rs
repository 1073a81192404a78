//! Match-on-card on the virtual chip (ISO/IEC 7816-11 VERIFY, GET DATA of the BIT group), in
//! process over the memory transport under BAC secure messaging: the retry counter, blocking,
//! chaining, malformed probes, and that no command ever gives the reference away. Layers:
//! emulator, access (BAC), lds, biometrics.

#[path = "common/biometric_files.rs"]
mod biometric_files;

use biometric_files::fixture;
use dactyl::access::bac::{self, BacKeys, TerminalNonces};
use dactyl::apdu::{Command, Response};
use dactyl::biometrics::compact::{self, CardFormat, CardOptions};
use dactyl::biometrics::minutiae::MinutiaeRecord;
use dactyl::emulator::{ChipImage, VirtualChip};
use dactyl::issuance::chip_image::BiometricReferenceConfig;
use dactyl::lds::files::LDS1_AID;
use dactyl::lds::moc_bit::{MocBit, encode_probe};
use dactyl::lds::mrz::Mrz;
use dactyl::sm::SecureMessaging;
use dactyl::transport::memory::InMemory;
use dactyl::transport::{Transport, exchange};
use std::path::Path;

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
const RIGHT: u8 = 0x81;
const LEFT: u8 = 0x82;

/// The compact minutiae (at most 60) of a 19794-2 record's first view.
fn compact_of(path: &str) -> Vec<u8> {
    let rec = MinutiaeRecord::parse(&fixture(path)).unwrap();
    let view = &rec.views[0];
    let options = CardOptions {
        max_minutiae: Some(60),
        ..CardOptions::default()
    };
    compact::from_record(view, rec.resolution_of(view), CardFormat::Compact, &options)
        .unwrap()
        .encode()
        .unwrap()
}

fn right_thumb() -> Vec<u8> {
    compact_of("biometrics/sourceafis_iso-probe.dat")
}

fn left_thumb() -> Vec<u8> {
    compact_of("biometrics/NIST_ISO19794-2_2005_AnnexC2_Example.raw")
}

fn impostor() -> Vec<u8> {
    compact_of("biometrics/sourceafis_iso-nonmatching.dat")
}

fn reference(qualifier: u8, subtype: u8, minutiae: &[u8]) -> BiometricReferenceConfig {
    BiometricReferenceConfig {
        qualifier,
        subtype,
        threshold: 40,
        minutiae: hex::encode(minutiae),
        tries_left: 3,
    }
}

fn image() -> ChipImage {
    ChipImage {
        mrz: MRZ.into(),
        bac: true,
        extended_length: true,
        biometric_references: vec![
            reference(RIGHT, 0x05, &right_thumb()),
            reference(LEFT, 0x06, &left_thumb()),
        ],
        ..ChipImage::default()
    }
}

fn chip() -> InMemory<VirtualChip> {
    InMemory::new(image().build(Path::new(".")).unwrap())
}

fn send(t: &mut InMemory<VirtualChip>, cmd: &Command) -> Response {
    exchange(t, cmd).unwrap()
}

fn open_bac(t: &mut InMemory<VirtualChip>) -> SecureMessaging {
    let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(LDS1_AID.to_vec());
    assert_eq!(send(t, &select).sw, 0x9000);
    let keys = BacKeys::from_mrz(&Mrz::parse_verified(MRZ).unwrap().key_info().unwrap());
    let nonces = TerminalNonces::random().unwrap();
    bac::authenticate(&mut |c| exchange(t, c), &keys, &nonces).unwrap()
}

/// Sends `cmd` under `sm`; the answer unwrapped (or bare, when the chip ended the session).
fn protected(t: &mut InMemory<VirtualChip>, sm: &mut SecureMessaging, cmd: &Command) -> Response {
    let raw = t.transmit_raw(&sm.wrap_command(cmd).unwrap().to_bytes().unwrap());
    let resp = Response::parse(&raw.unwrap()).unwrap();
    if resp.data.is_empty() {
        return resp;
    }
    sm.unwrap_response(&resp).unwrap()
}

fn verify(qualifier: u8, minutiae: &[u8]) -> Command {
    Command::new(0, 0x21, 0, qualifier).with_data(encode_probe(minutiae))
}

#[test]
fn bit_group_is_read_under_secure_messaging_only() {
    let mut t = chip();
    let plain = send(&mut t, &Command::new(0, 0xCA, 0x7F, 0x61).with_le(256));
    assert_eq!(plain.sw, 0x6982);
    let mut sm = open_bac(&mut t);
    let by_ca = protected(
        &mut t,
        &mut sm,
        &Command::new(0, 0xCA, 0x7F, 0x61).with_le(256),
    );
    assert_eq!(by_ca.sw, 0x9000);
    let nist_form = Command::new(0, 0xCB, 0x3F, 0xFF)
        .with_data(vec![0x5C, 0x02, 0x7F, 0x61])
        .with_le(256);
    let by_cb = protected(&mut t, &mut sm, &nist_form);
    assert_eq!((by_cb.sw, &by_cb.data), (0x9000, &by_ca.data));
    let bit = MocBit::parse(&by_ca.data).unwrap();
    let thumbs: Vec<(Option<u8>, Option<u8>)> = bit
        .references
        .iter()
        .map(|r| (r.qualifier, r.finger_position().map(|p| p.0)))
        .collect();
    assert_eq!(thumbs, [(Some(RIGHT), Some(1)), (Some(LEFT), Some(6))]);
    assert_eq!(bit.references[0].params.max_minutiae, Some(60));
    // Other tags are not there.
    let other = protected(
        &mut t,
        &mut sm,
        &Command::new(0, 0xCA, 0x7F, 0x60).with_le(256),
    );
    assert_eq!(other.sw, 0x6A88);
}

#[test]
fn genuine_impostor_blocking_and_reset() {
    let mut t = chip();
    let mut sm = open_bac(&mut t);
    let genuine = right_thumb();
    assert_eq!(
        protected(&mut t, &mut sm, &verify(RIGHT, &genuine)).sw,
        0x9000
    );
    // A slightly moved copy (0.3 mm right, 0.2 mm up) matches too.
    let moved: Vec<u8> = genuine
        .chunks(3)
        .flat_map(|m| [m[0].saturating_add(3), m[1].saturating_sub(2), m[2]])
        .collect();
    assert_eq!(
        protected(&mut t, &mut sm, &verify(RIGHT, &moved)).sw,
        0x9000
    );
    // A miss, then a genuine probe: back to 3 tries.
    assert_eq!(
        protected(&mut t, &mut sm, &verify(RIGHT, &impostor())).sw,
        0x63C2
    );
    assert_eq!(
        protected(&mut t, &mut sm, &verify(RIGHT, &genuine)).sw,
        0x9000
    );
    let empty = Command::new(0, 0x21, 0, RIGHT);
    assert_eq!(protected(&mut t, &mut sm, &empty).sw, 0x63C3);
    for expected in [0x63C2, 0x63C1, 0x63C0, 0x6983] {
        assert_eq!(
            protected(&mut t, &mut sm, &verify(RIGHT, &impostor())).sw,
            expected
        );
    }
    assert_eq!(
        protected(&mut t, &mut sm, &verify(RIGHT, &genuine)).sw,
        0x6983
    );
    assert_eq!(protected(&mut t, &mut sm, &empty).sw, 0x6983);
    // The other thumb is untouched; its own genuine probe matches.
    assert_eq!(
        protected(&mut t, &mut sm, &Command::new(0, 0x21, 0, LEFT)).sw,
        0x63C3
    );
    assert_eq!(
        protected(&mut t, &mut sm, &verify(LEFT, &left_thumb())).sw,
        0x9000
    );
    // The counter belongs to the chip: a reset and a new session keep it.
    dactyl::transport::CardSide::reset(t.card_mut());
    let mut sm = open_bac(&mut t);
    assert_eq!(protected(&mut t, &mut sm, &empty).sw, 0x6983);
    assert_eq!(t.card().reference_tries(), [(RIGHT, 0), (LEFT, 3)]);
}

#[test]
fn empty_verify_spends_no_try() {
    let mut t = chip();
    let mut sm = open_bac(&mut t);
    let empty = Command::new(0, 0x21, 0, LEFT);
    for _ in 0..5 {
        assert_eq!(protected(&mut t, &mut sm, &empty).sw, 0x63C3);
    }
    assert_eq!(
        protected(&mut t, &mut sm, &verify(LEFT, &impostor())).sw,
        0x63C2
    );
    assert_eq!(protected(&mut t, &mut sm, &empty).sw, 0x63C2);
}

#[test]
fn verify_without_secure_messaging_is_refused() {
    let mut t = chip();
    let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(LDS1_AID.to_vec());
    assert_eq!(send(&mut t, &select).sw, 0x9000);
    assert_eq!(send(&mut t, &verify(RIGHT, &right_thumb())).sw, 0x6982);
    assert_eq!(send(&mut t, &verify(RIGHT, &impostor())).sw, 0x6982);
    assert_eq!(send(&mut t, &Command::new(0, 0x21, 0, RIGHT)).sw, 0x6982);
    // Nothing was spent.
    assert_eq!(t.card().reference_tries(), [(RIGHT, 3), (LEFT, 3)]);
}

#[test]
fn chained_verify_is_joined_and_a_broken_chain_spends_nothing() {
    let mut t = chip();
    let mut sm = open_bac(&mut t);
    let object = encode_probe(&right_thumb());
    let (a, b) = object.split_at(object.len() / 2);
    let first = Command::new(0x10, 0x21, 0, RIGHT).with_data(a.to_vec());
    let last = Command::new(0x00, 0x21, 0, RIGHT).with_data(b.to_vec());
    assert_eq!(protected(&mut t, &mut sm, &first).sw, 0x9000);
    assert_eq!(protected(&mut t, &mut sm, &last).sw, 0x9000);
    // Three links with an impostor: one try spent, on the last link only.
    let bad = encode_probe(&impostor());
    let parts: Vec<&[u8]> = bad.chunks(bad.len() / 3 + 1).collect();
    assert_eq!(parts.len(), 3);
    for (i, p) in parts.iter().enumerate() {
        let cla = if i + 1 < parts.len() { 0x10 } else { 0x00 };
        let sw = protected(
            &mut t,
            &mut sm,
            &Command::new(cla, 0x21, 0, RIGHT).with_data(p.to_vec()),
        )
        .sw;
        assert_eq!(sw, if i + 1 < parts.len() { 0x9000 } else { 0x63C2 });
    }
    // A chain broken by another command: 6883, the chain is dropped.
    assert_eq!(protected(&mut t, &mut sm, &first).sw, 0x9000);
    let read = Command::new(0, 0xB0, 0x81, 0).with_le(4);
    assert_eq!(protected(&mut t, &mut sm, &read).sw, 0x6883);
    assert_eq!(protected(&mut t, &mut sm, &last).sw, 0x6A80);
    // A link with a wrong P1 ends the chain as well: the next last link stands alone.
    assert_eq!(protected(&mut t, &mut sm, &first).sw, 0x9000);
    let p1 = Command::new(0x00, 0x21, 0x01, RIGHT).with_data(b.to_vec());
    assert_eq!(protected(&mut t, &mut sm, &p1).sw, 0x6A86);
    assert_eq!(protected(&mut t, &mut sm, &last).sw, 0x6A80);
    // Or by a link to another reference.
    assert_eq!(protected(&mut t, &mut sm, &first).sw, 0x9000);
    let other = Command::new(0x00, 0x21, 0, LEFT).with_data(b.to_vec());
    assert_eq!(protected(&mut t, &mut sm, &other).sw, 0x6883);
    assert_eq!(t.card().reference_tries(), [(RIGHT, 2), (LEFT, 3)]);
}

#[test]
fn malformed_probes_and_unknown_references() {
    let mut t = chip();
    let mut sm = open_bac(&mut t);
    let genuine = right_thumb();
    let with = |data: Vec<u8>| Command::new(0, 0x21, 0, RIGHT).with_data(data);
    let cases: Vec<(Vec<u8>, u16)> = vec![
        // Not a multiple of 3.
        (encode_probe(&genuine[..genuine.len() - 1]), 0x6A80),
        // Fewer than the BAPT minimum of 12.
        (encode_probe(&genuine[..33]), 0x6A80),
        // More than its maximum of 60.
        (
            encode_probe(&[genuine.as_slice(); 3].concat()[..183]),
            0x6A80,
        ),
        // Wrong tags, trailing bytes, a broken length.
        (genuine.clone(), 0x6A80),
        ([encode_probe(&genuine), vec![0]].concat(), 0x6A80),
        (vec![0x7F, 0x2E, 0x81], 0x6A80),
        // More than a probe ever takes.
        (vec![0u8; 1100], 0x6700),
    ];
    for (data, expected) in cases {
        assert_eq!(protected(&mut t, &mut sm, &with(data)).sw, expected);
    }
    assert_eq!(
        protected(&mut t, &mut sm, &verify(0x83, &genuine)).sw,
        0x6A88
    );
    assert_eq!(
        protected(&mut t, &mut sm, &verify(0x00, &genuine)).sw,
        0x6A88
    );
    let p1 = Command::new(0, 0x21, 0x01, RIGHT).with_data(encode_probe(&genuine));
    assert_eq!(protected(&mut t, &mut sm, &p1).sw, 0x6A86);
    // No try was spent on any of them.
    assert_eq!(t.card().reference_tries(), [(RIGHT, 3), (LEFT, 3)]);
}

/// True when `needle` occurs in `hay`.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_command_gives_the_reference_away() {
    let mut t = chip();
    let secrets = [right_thumb(), left_thumb()];
    let mut answers: Vec<Vec<u8>> = Vec::new();
    let mut commands = Vec::new();
    for fid in (0x0101..=0x011Fu16).chain([0x3FFF, 0x3F00, 0x011C, 0x011D, 0x2F01]) {
        let [hi, lo] = fid.to_be_bytes();
        commands.push(Command::new(0, 0xA4, 0x02, 0x0C).with_data(vec![hi, lo]));
        commands.push(Command::new(0, 0xB0, 0, 0).with_le(256));
        commands.push(
            Command::new(0, 0xB1, hi, lo)
                .with_data(vec![0x54, 0x01, 0x00])
                .with_le(256),
        );
    }
    for sfi in 1..=0x1Fu8 {
        commands.push(Command::new(0, 0xB0, 0x80 | sfi, 0).with_le(256));
    }
    for (p1, p2) in [
        (0x7F, 0x61),
        (0x7F, 0x60),
        (0x7F, 0x2E),
        (0x5F, 0x2E),
        (0x00, 0xC0),
        (0x3F, 0xFF),
        (0x00, 0x81),
        (0x00, 0x82),
        (0x00, 0x83),
        (0xBF, 0x81),
    ] {
        commands.push(Command::new(0, 0xCA, p1, p2).with_le(256));
        commands.push(
            Command::new(0, 0xCB, 0x3F, 0xFF)
                .with_data(vec![0x5C, 0x02, p1, p2])
                .with_le(256),
        );
    }
    commands.push(
        Command::new(0, 0xCB, 0x3F, 0xFF)
            .with_data(vec![0x5C, 0x01, 0xC0])
            .with_le(256),
    );
    for q in [RIGHT, LEFT] {
        commands.push(Command::new(0, 0x21, 0, q).with_le(256));
        commands.push(Command::new(0, 0x20, 0, q).with_le(256));
    }
    // Plain first, then under secure messaging.
    let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(LDS1_AID.to_vec());
    send(&mut t, &select);
    for c in &commands {
        answers.push(send(&mut t, c).data);
    }
    let mut sm = open_bac(&mut t);
    for c in &commands {
        let r = protected(&mut t, &mut sm, c);
        answers.push(r.data);
        if r.sw == 0x6987 || r.sw == 0x6988 {
            sm = open_bac(&mut t);
        }
    }
    let read_any = answers.iter().filter(|a| !a.is_empty()).count();
    assert!(read_any > 5, "the probe reads nothing at all: {read_any}");
    for a in &answers {
        for s in &secrets {
            assert!(!contains(a, &s[..12]), "reference bytes answered");
        }
    }
    // The image itself serializes the references (the issuer's file), the BIT does not.
    let bit = protected(
        &mut t,
        &mut sm,
        &Command::new(0, 0xCA, 0x7F, 0x61).with_le(256),
    )
    .data;
    assert!(!bit.is_empty());
    for s in &secrets {
        assert!(!contains(&bit, &s[..12]));
    }
}

#[test]
fn chip_files_without_references_still_load_and_bad_ones_are_refused() {
    let old = format!(r#"{{"mrz": {MRZ:?}}}"#);
    let chip = ChipImage::from_json(&old)
        .unwrap()
        .build(Path::new("."))
        .unwrap();
    assert!(chip.reference_tries().is_empty());
    let mut t = InMemory::new(chip);
    let mut sm = open_bac(&mut t);
    assert_eq!(
        protected(
            &mut t,
            &mut sm,
            &Command::new(0, 0xCA, 0x7F, 0x61).with_le(256)
        )
        .sw,
        0x6A88
    );
    assert_eq!(
        protected(&mut t, &mut sm, &verify(RIGHT, &right_thumb())).sw,
        0x6A88
    );
    let json = serde_json::to_string(&image()).unwrap();
    let back = ChipImage::from_json(&json).unwrap();
    assert_eq!(back.biometric_references, image().biometric_references);
    for broken in [
        BiometricReferenceConfig {
            subtype: 0x07,
            ..reference(RIGHT, 5, &right_thumb())
        },
        BiometricReferenceConfig {
            tries_left: 4,
            ..reference(RIGHT, 5, &right_thumb())
        },
        reference(RIGHT, 5, &right_thumb()[..30]),
        reference(RIGHT, 5, &right_thumb()[..31]),
    ] {
        let img = ChipImage {
            biometric_references: vec![broken],
            ..image()
        };
        assert!(img.build(Path::new(".")).is_err());
    }
    let twice = ChipImage {
        biometric_references: vec![
            reference(RIGHT, 5, &right_thumb()),
            reference(RIGHT, 6, &left_thumb()),
        ],
        ..image()
    };
    assert!(twice.build(Path::new(".")).is_err());
}

#[path = "common/issuing.rs"]
mod issuing;

#[test]
fn personalized_chip_holds_two_thumb_references_covered_by_the_lock_digest() {
    use dactyl::emulator::perso::BlankChip;
    use dactyl::iso7816::perso::PutData;
    use dactyl::issuance::personalization::writer::plan_digest;
    let (pki, cv) = issuing::issuer_pkis();
    let mut plan = issuing::plan_for("adult_two_thumbs", &pki, &cv).unwrap();
    let refs: Vec<(u8, u8, u8)> = plan
        .objects
        .iter()
        .filter_map(|o| match o {
            PutData::BiometricReference(r) => Some((o.p1p2().1, r.qualifier, r.subtype)),
            _ => None,
        })
        .collect();
    assert_eq!(refs, [(0x81, 0x81, 0x05), (0x82, 0x82, 0x06)]);
    let chip = issuing::blank_chip(BlankChip::default());
    let done = issuing::personalize_in_process(&chip, &plan, &pki, &cv).unwrap();
    assert!(done.passed(), "{:?}", done.read_back.failures);
    let image = chip.lock().unwrap().image().unwrap().clone();
    let enrolled: Vec<(u8, u8, u8)> = image
        .biometric_references
        .iter()
        .map(|r| (r.qualifier, r.subtype, r.tries_left))
        .collect();
    assert_eq!(enrolled, [(RIGHT, 0x05, 3), (LEFT, 0x06, 3)]);
    // The enrolled right thumb is the record's template on the card.
    assert_eq!(
        image.biometric_references[0].minutiae,
        hex::encode_upper(right_thumb())
    );
    // A changed reference changes the digest the lock must carry.
    let before = plan_digest(&plan).unwrap();
    for o in plan.objects.iter_mut() {
        if let PutData::BiometricReference(r) = o
            && r.qualifier == RIGHT
        {
            r.minutiae = zeroize::Zeroizing::new(impostor());
        }
    }
    assert_ne!(plan_digest(&plan).unwrap(), before);
}

#[path = "common/perso_script.rs"]
mod perso_script;

/// `82 01 <subtype> 84 01 28 81 L <minutiae>`: dactyl's PUT DATA of a reference.
fn reference_object(subtype: u8, minutiae: &[u8]) -> Vec<u8> {
    let mut out = vec![0x82, 0x01, subtype, 0x84, 0x01, 40];
    out.extend(dactyl::tlv::encode(0x81, minutiae));
    out
}

#[test]
fn a_reference_changed_after_the_digest_gets_the_lock_refused() {
    use perso_script::{Script, apdu, blank, run, send, utopia_script};
    let (_, mut script) = utopia_script(true);
    script.put(0xDC, RIGHT, &reference_object(0x05, &right_thumb()));
    script.put(0xDC, LEFT, &reference_object(0x06, &left_thumb()));
    let planned = script.digest();
    let mut t = blank("{}");
    run(&mut t, &script.apdus);
    // Before the lock nothing answers GET DATA or VERIFY.
    assert_eq!(send(&mut t, &apdu("00 CA 7F 61", &[])), 0x6D00);
    assert_eq!(
        send(&mut t, &apdu("00 21 00 81", &encode_probe(&right_thumb()))),
        0x6D00
    );
    // A malformed reference object is refused.
    assert_eq!(
        send(&mut t, &apdu("00 DA DC 81", &[0x82, 0x01, 0x05])),
        0x6A80
    );
    // The right thumb replaced by another finger after the digest was made: 6984, unlocked.
    let changed = reference_object(0x05, &impostor());
    assert_eq!(send(&mut t, &apdu("00 DA DC 81", &changed)), 0x9000);
    assert_eq!(send(&mut t, &Script::lock_apdu(&planned)), 0x6984);
    assert!(t.card().image().is_none());
    // Written back as planned, the chip locks with the references.
    assert_eq!(
        send(
            &mut t,
            &apdu("00 DA DC 81", &reference_object(0x05, &right_thumb()))
        ),
        0x9000
    );
    assert_eq!(send(&mut t, &Script::lock_apdu(&planned)), 0x9000);
    let image = t.card().image().unwrap();
    assert_eq!(image.biometric_references.len(), 2);
    let keys = BacKeys::from_mrz(&Mrz::parse_verified(MRZ).unwrap().key_info().unwrap());
    let mut sm = perso_script::open_bac(&mut t, &keys);
    let genuine = Command::new(0, 0x21, 0, RIGHT).with_data(encode_probe(&right_thumb()));
    let sw = perso_script::send_protected(&mut t, &mut sm, &genuine.to_bytes().unwrap());
    assert_eq!(sw, 0x9000);
}

#[test]
fn the_jmrtd_applet_gets_no_references_and_says_so() {
    use dactyl::iso7816::perso::PutData;
    use dactyl::issuance::applicant::files_in;
    use dactyl::issuance::personalization::{ChipProfile, Issuer, PlanOptions, plan};
    let (pki, cv) = issuing::issuer_pkis();
    let issuer = Issuer::from_test_pkis(&pki, Some(&cv));
    let mut opts = PlanOptions::new(issuing::issuing_date());
    opts.profile = ChipProfile::JmrtdApplet;
    opts.allow_dg3_left_off = true;
    let dir = issuing::applicants_dir();
    let p = plan(
        &issuing::applicant("adult_two_thumbs"),
        &files_in(&dir),
        &issuer,
        &opts,
    )
    .unwrap();
    assert!(
        !p.objects
            .iter()
            .any(|o| matches!(o, PutData::BiometricReference(_)))
    );
    let note = p.not_written.iter().find(|n| n.contains("match-on-card"));
    assert!(
        note.is_some_and(|n| n.contains("right thumb") && n.contains("left thumb")),
        "{:?}",
        p.not_written
    );
}

#[test]
fn a_saved_chip_keeps_its_tries_left() {
    let mut t = chip();
    let mut sm = open_bac(&mut t);
    for expected in [0x63C2, 0x63C1] {
        assert_eq!(
            protected(&mut t, &mut sm, &verify(LEFT, &impostor())).sw,
            expected
        );
    }
    let saved = image().with_tries_of(t.card()).to_json();
    let again = ChipImage::from_json(&saved)
        .unwrap()
        .build(Path::new("."))
        .unwrap();
    assert_eq!(again.reference_tries(), [(RIGHT, 3), (LEFT, 1)]);
    let mut t = InMemory::new(again);
    let mut sm = open_bac(&mut t);
    assert_eq!(
        protected(&mut t, &mut sm, &Command::new(0, 0x21, 0, LEFT)).sw,
        0x63C1
    );
}
