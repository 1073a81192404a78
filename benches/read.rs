//! `cargo bench --bench read`: what a border read costs against the in-process virtual chip.
//!
//! Prints APDUs and bytes on the wire per document read (the numbers that decide how fast a
//! border gate is on a real contactless link), whole-read time in-process, BAC handshakes per
//! second, emulator APDUs per second under secure messaging, and what the ISO/IEC 39794
//! encodings of DG2/DG3 cost next to the 19794 ones (bytes on the wire, parse time).

#[path = "common/timing.rs"]
mod timing;
use dactyl::access::bac::BacKeys;
use dactyl::apdu::Command;
use dactyl::emulator::{ChipConfig, ChipImage, FileSystem, LengthSupport, VirtualChip};
use dactyl::lds::files::EfId;
use dactyl::lds::mrz::MrzKeyInfo;
use dactyl::reader::{LengthPolicy, NoObserver, ReadOptions, Session, read_document};
use dactyl::transport::memory::InMemory;
use std::path::Path;
use std::time::Duration;
use timing::time;

fn bsi_chip(length: LengthSupport) -> VirtualChip {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/bsi_passport.json");
    let mut image = ChipImage::load(&path).unwrap();
    image.extended_length = length.extended;
    image.max_response_apdu = Some(length.max_response);
    image.build(path.parent().unwrap()).unwrap()
}

fn bsi_keys() -> MrzKeyInfo {
    MrzKeyInfo::new("C11T002JM", "960812", "231031").unwrap()
}

fn document_reads() {
    println!(
        "Full read of the BSI reference passport (EF.COM, DG1-4, DG14, EF.SOD = 63,249 bytes), BAC:"
    );
    println!(
        "  {:<44}{:>7}{:>10}{:>11}{:>12}",
        "chip / reader", "APDUs", "bytes out", "bytes in", "ms / read"
    );
    let cases = [
        (
            "extended length, 64 KB buffer",
            LengthSupport::EXTENDED,
            LengthPolicy::Auto,
        ),
        (
            "extended length, 4 KB buffer",
            LengthSupport {
                max_response: 4096,
                ..LengthSupport::EXTENDED
            },
            LengthPolicy::Auto,
        ),
        (
            "extended-capable chip, reader short only",
            LengthSupport::EXTENDED,
            LengthPolicy::ShortOnly,
        ),
        ("short-only chip", LengthSupport::SHORT, LengthPolicy::Auto),
    ];
    for (name, length, policy) in cases {
        let mut opts = ReadOptions::new(bsi_keys());
        opts.length = policy;
        let doc = read_document(
            Box::new(InMemory::new(bsi_chip(length))),
            &opts,
            &mut NoObserver,
        )
        .unwrap();
        let (n, secs) = time(Duration::from_millis(800), || {
            read_document(
                Box::new(InMemory::new(bsi_chip(length))),
                &opts,
                &mut NoObserver,
            )
            .unwrap();
        });
        let t = doc.traffic;
        println!(
            "  {:<44}{:>7}{:>10}{:>11}{:>12.2}",
            name,
            t.apdus,
            t.bytes_to_card,
            t.bytes_from_card,
            secs * 1000.0 / n as f64
        );
    }
}

fn forty_kb_file() {
    println!("\nA chip with one 40 KB data group (DG5) besides DG1 and EF.COM, full read, BAC:");
    let mrz = dactyl::lds::mrz::Mrz::parse_verified(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )
    .unwrap();
    let value = vec![0x5A; 40 * 1024 - 4];
    for (name, length) in [
        ("extended length", LengthSupport::EXTENDED),
        ("short APDUs", LengthSupport::SHORT),
    ] {
        let mut fs = FileSystem::new();
        fs.put(EfId::Dg(1), dactyl::lds::dg1::Dg1::encode(&mrz));
        fs.put(EfId::Dg(5), dactyl::tlv::encode(0x65, &value));
        fs.put(
            EfId::Com,
            dactyl::lds::com::Com::for_data_groups(&[1, 5]).encode(),
        );
        let chip = VirtualChip::new(
            fs,
            Some(BacKeys::from_mrz(&mrz.key_info().unwrap())),
            ChipConfig {
                length,
                ..ChipConfig::default()
            },
        );
        let opts = ReadOptions::new(mrz.key_info().unwrap());
        let doc = read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap();
        let dg5 = doc.files.iter().find(|f| f.file == "DG5").unwrap();
        println!(
            "  {:<20} whole read {:>4} APDUs ({} bytes out, {} in); DG5 alone {} APDUs",
            name,
            doc.traffic.apdus,
            doc.traffic.bytes_to_card,
            doc.traffic.bytes_from_card,
            dg5.apdus
        );
    }
}

fn bac_and_emulator_rates() {
    let keys = BacKeys::from_mrz(&bsi_keys());
    let mut session = Session::new(Box::new(InMemory::new(bsi_chip(LengthSupport::SHORT))));
    session.select_application().unwrap();
    let (n, secs) = time(Duration::from_secs(1), || session.open_bac(&keys).unwrap());
    println!(
        "\nBAC handshakes (terminal + chip, in-process): {:.0} / s",
        n as f64 / secs
    );

    // Emulator throughput: protected 231-byte READ BINARY of DG2, terminal wrap/unwrap included.
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(231);
    session.read_file(EfId::Dg(2), &mut |_, _| {}).unwrap();
    let (n, secs) = time(Duration::from_secs(1), || {
        session.transmit(&cmd).unwrap();
    });
    println!(
        "Protected READ BINARY round trips (3DES SM, 231 bytes): {:.0} APDUs / s",
        n as f64 / secs
    );
}

/// DG2 and DG3 of the 39794 fixture chip next to the same images converted to 19794: bytes
/// and parse time (the wire cost follows from the bytes: one extended READ BINARY per 64 KB,
/// one short one per 231 bytes under 3DES/AES SM).
fn biometric_encodings() {
    use dactyl::biometrics::face_39794::convert as face_convert;
    use dactyl::biometrics::finger_39794::convert as finger_convert;
    use dactyl::biometrics::finger_image::FingerImage;
    use dactyl::lds::{dg2::Dg2, dg3::Dg3};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/utopia_39794.json");
    let fs = ChipImage::load(&path)
        .unwrap()
        .file_system(path.parent().unwrap())
        .unwrap();
    let dg2_39794 = fs.get(EfId::Dg(2)).unwrap().to_vec();
    let dg3_39794 = fs.get(EfId::Dg(3)).unwrap().to_vec();
    let dg2 = Dg2::parse(&dg2_39794).unwrap();
    let faces: Vec<_> = dg2
        .blocks
        .iter()
        .map(|(_, b)| dactyl::biometrics::face::FaceRecord {
            images: vec![face_convert::to_19794(b).unwrap().0],
        })
        .collect();
    let dg2_19794 = Dg2::from_faces(faces).unwrap().encode().unwrap();
    let images: Vec<_> = Dg3::parse(&dg3_39794)
        .unwrap()
        .images
        .iter()
        .map(|i| match i {
            FingerImage::Iso39794(b) => {
                FingerImage::Iso2005(finger_convert::to_19794(b).unwrap().value)
            }
            other => other.clone(),
        })
        .collect();
    let dg3_19794 = Dg3::from_images(images).unwrap().encode().unwrap();
    println!("DG2/DG3 of fixtures/chips/utopia_39794.json, and the same images as 19794 records:");
    println!(
        "  {:<28}{:>9}{:>14}{:>16}",
        "file", "bytes", "short APDUs", "parse us / file"
    );
    type Parse = fn(&[u8]) -> bool;
    let rows: [(&str, &[u8], Parse); 4] = [
        ("DG2, 39794-5", &dg2_39794, |b| Dg2::parse(b).is_ok()),
        ("DG2, 19794-5", &dg2_19794, |b| Dg2::parse(b).is_ok()),
        ("DG3, 39794-4", &dg3_39794, |b| Dg3::parse(b).is_ok()),
        ("DG3, 19794-4", &dg3_19794, |b| Dg3::parse(b).is_ok()),
    ];
    for (name, bytes, parse) in rows {
        assert!(parse(bytes), "{name} parses");
        let (n, secs) = time(Duration::from_millis(300), || {
            assert!(parse(std::hint::black_box(bytes)));
        });
        println!(
            "  {:<28}{:>9}{:>14}{:>16.1}",
            name,
            bytes.len(),
            bytes.len().div_ceil(231),
            secs * 1e6 / n as f64
        );
    }
}

/// A border check with match-on-card on the sample applicant's chip (in process): what the
/// match-on-card part adds to the read in APDUs and bytes, and the whole check's time.
fn match_on_card_costs() {
    use dactyl::biometrics::FingerPosition;
    use dactyl::biometrics::minutiae::MinutiaeRecord;
    use dactyl::reader::moc::{MocRequest, match_on_card};
    use dactyl::reader::read_document_then;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("fixtures/chips/utopia_moc.json");
    let probe = std::fs::read(root.join("fixtures/moc/right_thumb_genuine_probe.fmr")).unwrap();
    let request = MocRequest {
        probe: MinutiaeRecord::parse(&probe).unwrap(),
        finger: FingerPosition::RIGHT_THUMB,
        chunk: None,
    };
    let check = |with_moc: bool| {
        let chip = ChipImage::load_chip(&path).unwrap();
        let doc = read_document_then(
            Box::new(InMemory::new(chip)),
            &ReadOptions::with_can("482193"),
            &mut NoObserver,
            |session, doc| {
                if with_moc {
                    let report = match_on_card(session, &request)?;
                    assert!(report.matched());
                    doc.match_on_card = Some(report);
                }
                Ok(())
            },
        )
        .unwrap();
        doc.traffic
    };
    let (read, both) = (check(false), check(true));
    let (n, secs) = time(Duration::from_secs(1), || {
        check(true);
    });
    println!(
        "Match-on-card on fixtures/chips/utopia_moc.json (PACE-CAN read, then GET DATA BIT, empty VERIFY, VERIFY):"
    );
    println!(
        "  match-on-card adds {} APDUs, {} bytes out, {} bytes in; whole check {:.1} ms in process",
        both.apdus - read.apdus,
        both.bytes_to_card - read.bytes_to_card,
        both.bytes_from_card - read.bytes_from_card,
        secs * 1e3 / n as f64
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    match_on_card_costs();
    document_reads();
    forty_kb_file();
    bac_and_emulator_rates();
    biometric_encodings();
}
