//! The reader's PACE against the virtual chip's PACE: every supported curve × mapping × cipher,
//! and DH (GM, IM) × cipher on the RFC 5114 groups, with the MRZ and with the CAN; wrong
//! passwords; PACE-only chips; the fallback to BAC.

use dactyl::Error;
use dactyl::access::aa::AaKey;
use dactyl::access::bac::BacKeys;
use dactyl::crypto::ec::Curve;
use dactyl::emulator::ChipImage;
use dactyl::emulator::{ChipConfig, FileSystem, VirtualChip};
use dactyl::issuance::chip_image::{
    AaConfig, CaConfig, DocumentSignerConfig, FileSource, PaceConfig,
};
use dactyl::lds::mrz::Mrz;
use dactyl::oids::{Cipher, DhGroup, KeyAgreement, PaceMapping, PaceProtocol};
use dactyl::reader::{AccessKeys, AccessPolicy, NoObserver, ReadOptions, read_document};
use dactyl::transport::memory::InMemory;
use std::path::Path;

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
const CAN: &str = "123456";

fn image(pace: Vec<PaceConfig>, bac: bool) -> ChipImage {
    ChipImage {
        mrz: MRZ.into(),
        can: Some(CAN.into()),
        bac,
        extended_length: true,
        pace,
        ..ChipImage::default()
    }
}

fn config(protocol: PaceProtocol, curve: Curve) -> PaceConfig {
    PaceConfig {
        protocol: protocol.name(),
        parameter_id: curve.pace_parameter_id(),
    }
}

fn read(
    image: &ChipImage,
    keys: AccessKeys,
    policy: AccessPolicy,
) -> dactyl::Result<dactyl::reader::Document> {
    let chip = image.build(Path::new("."))?;
    let mut opts = ReadOptions::with_keys(keys);
    opts.access = policy;
    read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver)
}

fn ca_config(curve: Curve, protocol: &str, version: u64) -> CaConfig {
    let sk = dactyl::access::pace::crypto::random_scalar(curve.params()).unwrap();
    CaConfig {
        protocol: protocol.into(),
        parameter_id: curve.pace_parameter_id(),
        private_key: hex::encode(&*sk),
        version,
        key_id: None,
    }
}

fn mrz_keys() -> AccessKeys {
    AccessKeys {
        mrz: Some(Mrz::parse_verified(MRZ).unwrap().key_info().unwrap()),
        can: None,
    }
}

fn can_keys(can: &str) -> AccessKeys {
    AccessKeys {
        mrz: None,
        can: Some(zeroize::Zeroizing::new(can.into())),
    }
}

#[test]
fn every_curve_mapping_and_cipher_with_mrz_and_can() {
    let curves = [
        Curve::P224,
        Curve::P256,
        Curve::P384,
        Curve::P521,
        Curve::BrainpoolP224r1,
        Curve::BrainpoolP256r1,
        Curve::BrainpoolP320r1,
        Curve::BrainpoolP384r1,
        Curve::BrainpoolP512r1,
    ];
    let mut runs = 0;
    for protocol in PaceProtocol::all()
        .into_iter()
        .filter(|p| p.agreement == KeyAgreement::Ecdh && p.oid().is_some())
    {
        for curve in curves {
            // The integrated mapping's point encoding needs p ≡ 3 mod 4, which P-224 lacks.
            if protocol.mapping == PaceMapping::Integrated && curve == Curve::P224 {
                continue;
            }
            let mut img = image(vec![config(protocol, curve)], true);
            if protocol.mapping == PaceMapping::ChipAuthentication {
                img.chip_authentication = Some(ca_config(curve, "id-CA-ECDH-AES-CBC-CMAC-128", 2));
                // A CAM chip carries EF.CardSecurity, signed by its Document Signer.
                img.document_signer = Some(test_document_signer());
            }
            for keys in [mrz_keys(), can_keys(CAN)] {
                let doc = read(&img, keys, AccessPolicy::PaceOnly)
                    .unwrap_or_else(|e| panic!("{} on {curve}: {e}", protocol.name()));
                let pace = doc.access.pace.as_ref().unwrap();
                assert_eq!(pace.protocol, protocol.name());
                assert_eq!(pace.curve, curve.name());
                assert_eq!(doc.dg1.as_ref().unwrap().mrz.primary_identifier, "ERIKSSON");
                if protocol.mapping == PaceMapping::ChipAuthentication {
                    let ca = doc.chip_authentication.as_ref().unwrap();
                    assert_eq!(ca.verdict, dactyl::pki::pa::Verdict::Pass, "{}", ca.detail);
                    assert!(ca.detail.contains("CAM"));
                }
                runs += 1;
            }
        }
    }
    // GM and IM with 4 ciphers, CAM with 3 (AES only), on 9 curves, twice; IM skips P-224.
    assert_eq!(runs, 2 * (9 * 4 + 8 * 4 + 9 * 3));
}

#[test]
fn a_wrong_can_is_refused_with_6300() {
    let gm = PaceProtocol {
        agreement: KeyAgreement::Ecdh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes128,
    };
    let img = image(vec![config(gm, Curve::BrainpoolP256r1)], true);
    let err = read(&img, can_keys("654321"), AccessPolicy::PaceThenBac).unwrap_err();
    match err {
        Error::PaceDenied { password, sw } => {
            assert_eq!(password, "CAN");
            assert_eq!(sw.0, 0x6300);
        }
        other => panic!("expected PaceDenied, got {other}"),
    }
}

#[test]
fn a_pace_only_chip_is_read_with_pace_first_and_refuses_bac() {
    let gm = PaceProtocol {
        agreement: KeyAgreement::Ecdh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes128,
    };
    let img = image(vec![config(gm, Curve::P256)], false);
    let doc = read(&img, mrz_keys(), AccessPolicy::PaceThenBac).unwrap();
    assert_eq!(doc.access_control, "PACE");
    let err = read(&img, mrz_keys(), AccessPolicy::BacOnly).unwrap_err();
    assert!(
        err.sw().is_some() || matches!(err, Error::AccessDenied | Error::Protocol { .. }),
        "{err}"
    );
}

#[test]
fn without_card_access_the_reader_falls_back_to_bac_and_says_why() {
    let img = image(Vec::new(), true);
    let doc = read(&img, mrz_keys(), AccessPolicy::PaceThenBac).unwrap();
    assert_eq!(doc.access_control, "BAC");
    assert!(
        doc.access
            .pace_not_used
            .as_deref()
            .unwrap()
            .contains("EF.CardAccess")
    );
    assert!(read(&img, mrz_keys(), AccessPolicy::PaceOnly).is_err());
    // A CAN alone cannot open a BAC-only chip.
    assert!(matches!(
        read(&img, can_keys(CAN), AccessPolicy::PaceThenBac),
        Err(Error::Usage(_))
    ));
}

#[test]
fn several_suites_name_the_parameters_and_the_first_supported_is_used() {
    let gm = PaceProtocol {
        agreement: KeyAgreement::Ecdh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes256,
    };
    let im = PaceProtocol {
        agreement: KeyAgreement::Ecdh,
        mapping: PaceMapping::Integrated,
        cipher: Cipher::Aes128,
    };
    let img = image(
        vec![config(gm, Curve::BrainpoolP384r1), config(im, Curve::P256)],
        true,
    );
    let doc = read(&img, can_keys(CAN), AccessPolicy::PaceOnly).unwrap();
    let pace = doc.access.pace.unwrap();
    assert_eq!(pace.curve, "brainpoolP384r1");
    assert_eq!(pace.cipher, "AES-256");
}

#[test]
fn chip_authentication_switches_keys_for_every_cipher_and_both_versions() {
    let gm = PaceProtocol {
        agreement: KeyAgreement::Ecdh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes128,
    };
    for (protocol, version) in [
        ("id-CA-ECDH-3DES-CBC-CBC", 1),
        ("id-CA-ECDH-AES-CBC-CMAC-128", 1),
        ("id-CA-ECDH-AES-CBC-CMAC-128", 2),
        ("id-CA-ECDH-AES-CBC-CMAC-192", 2),
        ("id-CA-ECDH-AES-CBC-CMAC-256", 2),
    ] {
        for pace in [vec![config(gm, Curve::P256)], Vec::new()] {
            let mut img = image(pace.clone(), true);
            img.chip_authentication = Some(ca_config(Curve::BrainpoolP256r1, protocol, version));
            let doc = read(&img, mrz_keys(), AccessPolicy::PaceThenBac)
                .unwrap_or_else(|e| panic!("{protocol} v{version}: {e}"));
            let ca = doc.chip_authentication.as_ref().unwrap();
            assert_eq!(
                ca.verdict,
                dactyl::pki::pa::Verdict::Pass,
                "{protocol} v{version}: {}",
                ca.detail
            );
            // EF.SOD is absent, but the reads after CA (DG1 came before) succeeded under the new keys.
            assert_eq!(
                doc.access_control,
                if pace.is_empty() { "BAC" } else { "PACE" }
            );
        }
    }
}

fn test_document_signer() -> DocumentSignerConfig {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pki/test");
    DocumentSignerConfig {
        certificate: FileSource::Hex(hex::encode(std::fs::read(dir.join("ds.pem")).unwrap())),
        key: FileSource::Hex(hex::encode(std::fs::read(dir.join("ds.key")).unwrap())),
    }
}

/// A chip built from `fs` without a chip image, as a clone would be: BAC with the test MRZ.
fn clone_chip(fs: FileSystem) -> VirtualChip {
    let keys = BacKeys::from_mrz(&Mrz::parse_verified(MRZ).unwrap().key_info().unwrap());
    VirtualChip::new(fs, Some(keys), ChipConfig::default())
}

fn bsi_aa() -> AaConfig {
    AaConfig {
        pkcs8: FileSource::Hex(hex::encode(
            std::fs::read(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("fixtures/chips/bsi_passport/DG15_sk.pkcs8"),
            )
            .unwrap(),
        )),
    }
}

#[test]
fn active_authentication_verifies_and_a_substituted_dg15_key_fails() {
    let mut img = image(Vec::new(), true);
    img.active_authentication = Some(bsi_aa());
    let doc = read(&img, mrz_keys(), AccessPolicy::PaceThenBac).unwrap();
    let aa = doc.active_authentication.as_ref().unwrap();
    assert_eq!(aa.verdict, dactyl::pki::pa::Verdict::Pass, "{}", aa.detail);

    // A clone: DG15 holds another key (the BSI passport's published DG15 belongs to this key,
    // so use the gmrtd RSA-1792 DG15 instead).
    let foreign = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lds/dg14_dg15/gmrtd_DG15_RSA1792.bin"),
    )
    .unwrap();
    let mut fs = img.file_system(Path::new(".")).unwrap();
    fs.put(dactyl::lds::files::EfId::Dg(15), foreign);
    let key = AaKey::from_pkcs8_der(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/bsi_passport/DG15_sk.pkcs8"),
        )
        .unwrap(),
    )
    .unwrap();
    // A chip image with that mismatch is refused at load; a clone is built directly.
    let chip = clone_chip(fs).with_active_authentication(key);
    let doc = read_document(
        Box::new(InMemory::new(chip)),
        &ReadOptions::with_keys(mrz_keys()),
        &mut NoObserver,
    )
    .unwrap();
    assert_eq!(
        doc.active_authentication.as_ref().unwrap().verdict,
        dactyl::pki::pa::Verdict::Fail
    );
}

#[test]
fn the_utopia_chip_is_genuine_and_a_chip_failing_pa_never_is() {
    use dactyl::pki::trust::TrustStore;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut trust = TrustStore::new();
    trust.load_path(&dir.join("pki/test")).unwrap();
    let base = ChipImage::load(&dir.join("chips/utopia_passport.json")).unwrap();
    let read_chip = |chip: VirtualChip| {
        let mut doc = read_document(
            Box::new(InMemory::new(chip)),
            &ReadOptions::with_can(CAN),
            &mut NoObserver,
        )
        .unwrap();
        doc.verify_passive(&trust, dactyl::time::Time::now(), true);
        doc
    };
    let doc = read_chip(base.build(&dir.join("chips")).unwrap());
    assert_eq!(
        doc.genuine,
        Some(true),
        "{:?} {:?}",
        doc.chip_authentication,
        doc.active_authentication
    );

    // A DG2 altered after signing: CA and AA still verify (same chip keys), PA fails.
    let load = |p: &Path| Ok(std::fs::read(dir.join("chips").join(p)).unwrap());
    let mut fs = base.file_system_with(&load).unwrap();
    let mut dg2 = fs.get(dactyl::lds::files::EfId::Dg(2)).unwrap().to_vec();
    dg2[500] ^= 1;
    fs.put(dactyl::lds::files::EfId::Dg(2), dg2);
    let doc = read_chip(base.build_from(fs, &load).unwrap());
    assert_eq!(
        doc.chip_authentication.as_ref().unwrap().verdict,
        dactyl::pki::pa::Verdict::Pass
    );
    assert!(!doc.passive_authentication.as_ref().unwrap().passed);
    assert_eq!(doc.genuine, Some(false));

    // A clone with its own CA key (and no AA key) but the original signed files: CA fails.
    let original = base.file_system_with(&load).unwrap();
    let own_ca = ca_config(Curve::BrainpoolP256r1, "id-CA-ECDH-AES-CBC-CMAC-128", 1);
    let chip = clone_chip(original).with_chip_authentication(own_ca.chip().unwrap());
    let result = read_document(
        Box::new(InMemory::new(chip)),
        &ReadOptions::with_keys(mrz_keys()),
        &mut NoObserver,
    );
    // CA v1 with the wrong key leaves terminal and chip with different keys: the read stops
    // with a secure messaging error, or CA is reported failed; never genuine.
    match result {
        Err(e) => assert!(
            matches!(e, Error::SecureMessaging(_) | Error::Protocol { .. }),
            "{e}"
        ),
        Ok(mut doc) => {
            doc.verify_passive(&trust, dactyl::time::Time::now(), true);
            assert_eq!(doc.genuine, Some(false));
        }
    }
}

fn dh_config(protocol: PaceProtocol, group: DhGroup) -> PaceConfig {
    PaceConfig {
        protocol: protocol.name(),
        parameter_id: group.id(),
    }
}

#[test]
fn dh_generic_and_integrated_mapping_with_every_cipher_with_mrz_and_can() {
    let mut runs = 0;
    for group in [DhGroup::Modp1024_160, DhGroup::Modp2048_256] {
        for mapping in [PaceMapping::Generic, PaceMapping::Integrated] {
            for cipher in [Cipher::Tdes, Cipher::Aes128, Cipher::Aes192, Cipher::Aes256] {
                let protocol = PaceProtocol {
                    agreement: KeyAgreement::Dh,
                    mapping,
                    cipher,
                };
                let img = image(vec![dh_config(protocol, group)], true);
                for keys in [mrz_keys(), can_keys(CAN)] {
                    let doc = read(&img, keys, AccessPolicy::PaceOnly)
                        .unwrap_or_else(|e| panic!("{} on {}: {e}", protocol.name(), group.name()));
                    let pace = doc.access.pace.as_ref().unwrap();
                    assert_eq!(pace.protocol, protocol.name());
                    assert_eq!(pace.curve, group.name());
                    assert_eq!(pace.cipher, cipher.name());
                    assert_eq!(pace.parameter_id, group.id());
                    assert_eq!(doc.access_control, "PACE");
                    assert_eq!(doc.dg1.as_ref().unwrap().mrz.primary_identifier, "ERIKSSON");
                    runs += 1;
                }
            }
        }
    }
    assert_eq!(runs, 2 * 2 * 4 * 2);
}

#[test]
fn dh_on_the_2048_bit_group_with_224_bit_subgroup() {
    let gm = PaceProtocol {
        agreement: KeyAgreement::Dh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes128,
    };
    let img = image(vec![dh_config(gm, DhGroup::Modp2048_224)], false);
    let doc = read(&img, can_keys(CAN), AccessPolicy::PaceOnly).unwrap();
    assert_eq!(doc.access.pace.unwrap().parameter_id, 1);
}

#[test]
fn dh_with_a_wrong_can_is_refused_with_6300() {
    let im = PaceProtocol {
        agreement: KeyAgreement::Dh,
        mapping: PaceMapping::Integrated,
        cipher: Cipher::Aes256,
    };
    let img = image(vec![dh_config(im, DhGroup::Modp1024_160)], true);
    match read(&img, can_keys("654321"), AccessPolicy::PaceThenBac).unwrap_err() {
        Error::PaceDenied { password, sw } => {
            assert_eq!(password, "CAN");
            assert_eq!(sw.0, 0x6300);
        }
        other => panic!("expected PaceDenied, got {other}"),
    }
}

#[test]
fn a_chip_offering_dh_and_ecdh_is_opened_with_its_first_suite() {
    let dh = PaceProtocol {
        agreement: KeyAgreement::Dh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes192,
    };
    let ec = PaceProtocol {
        agreement: KeyAgreement::Ecdh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes128,
    };
    // Parameters are named in MSE:Set AT (84), so the chip picks the suite the reader means.
    let img = image(
        vec![
            dh_config(dh, DhGroup::Modp2048_224),
            config(ec, Curve::BrainpoolP256r1),
        ],
        true,
    );
    let doc = read(&img, mrz_keys(), AccessPolicy::PaceOnly).unwrap();
    let pace = doc.access.pace.unwrap();
    assert_eq!(pace.protocol, dh.name());
    assert_eq!(pace.parameter_id, 1);
    let img = image(
        vec![
            config(ec, Curve::BrainpoolP256r1),
            dh_config(dh, DhGroup::Modp1024_160),
        ],
        true,
    );
    let pace = read(&img, mrz_keys(), AccessPolicy::PaceOnly)
        .unwrap()
        .access
        .pace
        .unwrap();
    assert_eq!(pace.curve, "brainpoolP256r1");
}

#[test]
fn a_chip_image_refuses_a_dh_protocol_on_a_curve_and_ecdh_on_a_group() {
    let dh = PaceProtocol {
        agreement: KeyAgreement::Dh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes128,
    };
    let ec = PaceProtocol {
        agreement: KeyAgreement::Ecdh,
        ..dh
    };
    assert!(config(dh, Curve::P256).suite().is_err());
    assert!(dh_config(ec, DhGroup::Modp1024_160).suite().is_err());
    assert!(dh_config(dh, DhGroup::Modp1024_160).suite().is_ok());
    for bad in [3, 7, 19] {
        let cfg = PaceConfig {
            protocol: dh.name(),
            parameter_id: bad,
        };
        assert!(cfg.suite().is_err(), "{bad}");
    }
}

#[test]
fn dh_2048_needs_extended_length_and_the_reader_says_so() {
    // GA step 2 carries a 256-byte public value: 264 bytes of data, over a short APDU's 255.
    let gm = PaceProtocol {
        agreement: KeyAgreement::Dh,
        mapping: PaceMapping::Generic,
        cipher: Cipher::Aes128,
    };
    let mut img = image(vec![dh_config(gm, DhGroup::Modp2048_224)], true);
    img.extended_length = false;
    let doc = read(&img, mrz_keys(), AccessPolicy::PaceThenBac).unwrap();
    assert_eq!(doc.access_control, "BAC");
    let why = doc.access.pace_not_used.unwrap();
    assert!(why.contains("6700"), "{why}");
    // The 1024-bit group fits short APDUs.
    let mut img = image(vec![dh_config(gm, DhGroup::Modp1024_160)], true);
    img.extended_length = false;
    let doc = read(&img, mrz_keys(), AccessPolicy::PaceOnly).unwrap();
    assert_eq!(doc.access_control, "PACE");
}
