//! `cargo bench --bench pace`: the PACE handshake per curve and mapping, terminal and chip
//! together in one process (so the time is both sides' CPU), with its APDU count and bytes; and
//! Chip Authentication after it.

#[path = "common/timing.rs"]
mod timing;
use dactyl::crypto::ec::Curve;
use dactyl::emulator::ChipImage;
use dactyl::issuance::chip_image::{CaConfig, DocumentSignerConfig, FileSource, PaceConfig};
use dactyl::lds::files::EfId;
use dactyl::oids::{Cipher, KeyAgreement, PaceMapping, PaceProtocol};
use dactyl::reader::{AccessPolicy, NoObserver, ReadOptions, read_document};
use dactyl::transport::memory::InMemory;
use std::path::Path;
use std::time::{Duration, Instant};
use timing::measuring;

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let budget = if measuring() {
        Duration::from_millis(700)
    } else {
        Duration::ZERO
    };
    println!("PACE (CAN) + SELECT + read of EF.COM and DG1, terminal and chip in one process:");
    println!(
        "  {:<18}{:<12}{:>10}{:>8}{:>12}",
        "curve", "mapping", "ms/open", "APDUs", "bytes"
    );
    let curves = [
        Curve::P256,
        Curve::BrainpoolP256r1,
        Curve::P384,
        Curve::BrainpoolP384r1,
        Curve::P521,
        Curve::BrainpoolP512r1,
    ];
    for curve in curves {
        for mapping in [
            PaceMapping::Generic,
            PaceMapping::Integrated,
            PaceMapping::ChipAuthentication,
        ] {
            let protocol = PaceProtocol {
                agreement: KeyAgreement::Ecdh,
                mapping,
                cipher: Cipher::Aes128,
            };
            let mut image = ChipImage {
                mrz: MRZ.into(),
                can: Some("123456".into()),
                bac: true,
                extended_length: true,
                ..ChipImage::default()
            };
            image.pace = vec![PaceConfig {
                protocol: protocol.name(),
                parameter_id: curve.pace_parameter_id(),
            }];
            if mapping == PaceMapping::ChipAuthentication {
                let sk = dactyl::access::pace::crypto::random_scalar(curve.params()).unwrap();
                image.chip_authentication = Some(CaConfig {
                    protocol: "id-CA-ECDH-AES-CBC-CMAC-128".into(),
                    parameter_id: curve.pace_parameter_id(),
                    private_key: hex::encode(&*sk),
                    version: 2,
                    key_id: None,
                });
                // A CAM chip needs EF.CardSecurity: sign it once, outside the timed reads.
                let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pki/test");
                image.document_signer = Some(DocumentSignerConfig {
                    certificate: FileSource::Hex(hex::encode(
                        std::fs::read(dir.join("ds.pem")).unwrap(),
                    )),
                    key: FileSource::Hex(hex::encode(std::fs::read(dir.join("ds.key")).unwrap())),
                });
                let signed = image.build(Path::new(".")).unwrap();
                for (name, ef) in [("CardSecurity", EfId::CardSecurity), ("SOD", EfId::Sod)] {
                    let bytes = signed.files().get(ef).unwrap();
                    image
                        .files
                        .insert(name.into(), FileSource::Hex(hex::encode(bytes)));
                }
                image.document_signer = None;
            }
            let mut opts = ReadOptions::with_can("123456");
            opts.access = AccessPolicy::PaceOnly;
            opts.files = Some(vec![EfId::Com, EfId::Dg(1)]);
            let once = || {
                read_document(
                    Box::new(InMemory::new(image.build(Path::new(".")).unwrap())),
                    &opts,
                    &mut NoObserver,
                )
                .unwrap()
            };
            let doc = once();
            let start = Instant::now();
            let mut n = 0u32;
            while start.elapsed() < budget || n == 0 {
                once();
                n += 1;
            }
            let ms = start.elapsed().as_secs_f64() * 1000.0 / n as f64;
            let t = doc.traffic;
            println!(
                "  {:<18}{:<12}{:>10.2}{:>8}{:>12}",
                curve.name(),
                format!("{mapping:?}").replace("ChipAuthentication", "CAM"),
                ms,
                t.apdus,
                t.bytes_to_card + t.bytes_from_card
            );
        }
    }
}
