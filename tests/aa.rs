//! Active Authentication, both roles (ICAO Doc 9303-11 clause 6.1): the ICAO AA worked example,
//! a real passport's RSA AA over secure messaging (gmrtd transcript), the BSI reference
//! passport's DG15 key, ECDSA in plain and DER formats, and hostile signatures and answers.

use dactyl::access::aa::{self, AaAlgorithm, AaKey, EcdsaFormat};
use dactyl::access::ca::CaDomain;
use dactyl::apdu::Response;
use dactyl::crypto::ec::Curve;
use dactyl::crypto::hash::HashAlgorithm;
use dactyl::crypto::keys::PublicKey;
use dactyl::emulator::refusal::status_word;
use dactyl::sm::Suite;
use dactyl::{Error, Result};

#[path = "common/chip_auth.rs"]
#[allow(dead_code)]
mod chip_auth;
use chip_auth::*;

// ---------------------------------------------------------------------------------------------
// Active Authentication.

#[test]
fn icao_aa_worked_example_message_representative() {
    // VECTORS.md section 10 (ICAO 9303-11 AA worked example): F = 6A || M1 || SHA-1(M1 || RND.IFD) || BC.
    let m1 = h(
        "9D2784A67F8E7C659973EA1AEA25D95B6C8F91E5002F369F0FBDCE8A3CEC1991B543F1696546C5524CF23A5303CD6C98599F40B79F377B5F3A1406B3B4D8F96784D23AA88DB7E1032A405E69325FA91A6E86F5C71AEA978264C4A207446DAD4E7292E2DCDA3024B47DA8",
    );
    let rnd = h("F173589974BF40C6");
    let f = aa::iso9796_2_representative(&m1, &rnd, HashAlgorithm::Sha1);
    assert_eq!(
        hx(&f),
        format!("6A{}C063AA1E6D22FBD976AB0FE73D94D2D9C6D88127BC", hx(&m1))
    );
    assert_eq!(f.len(), 128);
    // gmrtd decodeF vectors: the two-byte trailers of ISO/IEC 10118-3 hash identifiers.
    let m1 = h("1234567890ABCDEF1234567890ABCDEF11223344");
    let rnd = h("0102030405060708");
    for (hash, tail) in [
        (HashAlgorithm::Sha224, "2BD315E47DDBE2045D38CC"),
        (HashAlgorithm::Sha256, "465438F8E1FF13377DE8308934CC"),
        (
            HashAlgorithm::Sha384,
            "C6EAB5804DF4E0A70169D4D0D6C07E7536CC",
        ),
        (
            HashAlgorithm::Sha512,
            "C517D8D3B05F4EEB177E990AE1E80895C8BB28F51635CC",
        ),
    ] {
        assert!(
            hx(&aa::iso9796_2_representative(&m1, &rnd, hash)).ends_with(tail),
            "{hash}"
        );
    }
}

#[test]
fn real_rsa_1792_passport_aa_over_secure_messaging() {
    // gmrtd activeauth/active_auth_test.go TestDoActiveAuth (VECTORS.md section 10).
    let key = dg15_key(&h(
        "6F8201023081FF300D06092A864886F70D01010105000381ED003081E90281E100BB8F93F4DC95E205CDA17C6927AB1E365B13065D03CD12E0FCE95D96840529453202F56CC4C13F77CD062930C8BC89A2873B257045C286E601CF3C09323A53103314902804AA10A314628CE222206A8866946A36B442041BB54AC81E6855DD1D6E16101833D65A191C20AC8B33B8A1A32920F46043F8031CF2BC17417030865FC5BE5A39DEE423BCBA3CA8177168EB23CFE01BA43EC87711B1CFFF85DB46F300DD8AE317B50D543B573E119E23AF7070D0B2FED6A3B2313A5EC02A531AAED1741F4390D1013E2A0F081EAC5DC8B0A1B2C6BDB1206F08D30E3643E1E5BDF536110203010001",
    ));
    let mut s = sm(
        Suite::Tdes,
        "b99d546108eaa251570876b6d3456dce",
        "e3857ca24946251c151c540e13f2cd51",
        "00000000000000cc",
    );
    let out = aa::active_authentication(
        &mut |cmd| {
            assert_eq!(hx(&cmd.to_bytes()?), "008800000896302B0F3D7E786400");
            let wire = s.wrap_command(cmd)?;
            assert_eq!(hx(&wire.to_bytes()?), "0C88000020871101ED7F8CB47A4EEA086324A7F9DD7427809701008E0897F54BAE49AA71F800");
            s.unwrap_response(&Response::parse(&h("8781e901d04ca80f527df94f4a430d3d6e6cb6c2af4c6756c068a93132d147fa27833125304132981b8bd8009448e89f259eec8552b54285cef9d8f1b7fb31b9f279221c7e925f4951811f3fe2e01d76e68dbc7cde9c873c5f61862f3c5469792a72f92c8943b890436f5e9feaead9f2a361fcd7a615493d1b3519865f32ee9a125886588eb21fee0e709353d0731139fdc958d6b2127fad6947b438998b526819803f70f78614cd42f4a6619c6af95dfd2ab09bedf71e707abc39a250aee68006d522ad37d159674984a07d11c001022c853aeb7acdb059ede5721a3b9f20441bda7e242ee8df1369d25316990290008e08fd2493147866f0ed9000"))?)
        },
        &key,
        AaAlgorithm::Rsa,
        Some(h("96302b0f3d7e7864").try_into().unwrap()),
    )
    .unwrap();
    // A real chip: 224-byte signature, two-byte trailer 34CC (SHA-256).
    assert_eq!(out.hash, HashAlgorithm::Sha256);
    assert!(hx(&out.signature).starts_with("474256306840C0AB"));
    assert_eq!(s.ssc(), h("00000000000000ce"));
    // The same signature against another challenge or the BSI key fails.
    assert!(aa::verify(&key, AaAlgorithm::Rsa, &[0; 8], &out.signature).is_err());
    let bsi = dg15_key(&fixture("Datagroup15.bin"));
    assert!(aa::verify(&bsi, AaAlgorithm::Rsa, &out.challenge, &out.signature).is_err());
}

fn run_aa(chip: &AaKey, key: &PublicKey, alg: AaAlgorithm) -> Result<aa::AaOutcome> {
    aa::active_authentication(
        &mut |cmd| {
            assert_eq!((cmd.ins, cmd.data.len(), cmd.le), (0x88, 8, Some(256)));
            Ok(Response::new(
                chip.internal_authenticate(&cmd.data)
                    .map_err(|e| Error::protocol("AA", e.to_string()))?,
                0x9000,
            ))
        },
        key,
        alg,
        None,
    )
}

#[test]
fn bsi_reference_passport_aa_round_trip_and_substituted_key() {
    let chip = AaKey::from_pkcs8_der(&fixture("DG15_sk.pkcs8")).unwrap();
    let key = dg15_key(&fixture("Datagroup15.bin"));
    assert_eq!(chip.public_key().unwrap(), key);
    assert_eq!(key.bits(), 1024);
    let alg = AaAlgorithm::for_key(&key, None).unwrap();
    let out = run_aa(&chip, &key, alg).unwrap();
    assert_eq!((out.signature.len(), out.hash), (128, HashAlgorithm::Sha1));
    // Two-byte trailers verify too.
    for hash in [
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ] {
        let sig = chip.sign_rsa(&out.challenge, hash).unwrap();
        assert_eq!(aa::verify(&key, alg, &out.challenge, &sig).unwrap(), hash);
    }
    // Another RSA key (a real passport's DG15 modulus) does not verify the BSI chip.
    let other = PublicKey::Rsa {
        n: h(
            "BB8F93F4DC95E205CDA17C6927AB1E365B13065D03CD12E0FCE95D96840529453202F56CC4C13F77CD062930C8BC89A2873B257045C286E601CF3C09323A53103314902804AA10A314628CE222206A8866946A36B442041BB54AC81E6855DD1D6E16101833D65A191C20AC8B33B8A1A32920F46043F8031CF2BC17417030865FC5BE5A39DEE423BCBA3CA8177168EB23CFE01BA43EC87711B1CFFF85DB46F300DD8AE317B50D543B573E119E23AF7070D0B2FED6A3B2313A5EC02A531AAED1741F4390D1013E2A0F081EAC5DC8B0A1B2C6BDB1206F08D30E3643E1E5BDF53611",
        ),
        e: vec![1, 0, 1],
    };
    assert!(run_aa(&chip, &other, AaAlgorithm::Rsa).is_err());
    // A tampered signature fails, wherever the flip is.
    for i in [0, 64, 127] {
        let mut bad = out.signature.clone();
        bad[i] ^= 0x10;
        assert!(
            aa::verify(&key, alg, &out.challenge, &bad).is_err(),
            "byte {i}"
        );
    }
}

#[test]
fn ecdsa_aa_round_trips_plain_and_der() {
    for curve in [
        Curve::P256,
        Curve::BrainpoolP256r1,
        Curve::BrainpoolP224r1,
        Curve::P384,
    ] {
        let scalar = CaDomain::Ec(curve).random_private_key().unwrap();
        let chip = AaKey::Ec { curve, scalar };
        let key = chip.public_key().unwrap();
        // Without ActiveAuthenticationInfo: the curve-size hash.
        let out = run_aa(&chip, &key, AaAlgorithm::for_key(&key, None).unwrap()).unwrap();
        assert_eq!(out.signature.len(), 2 * curve.field_len());
        assert_eq!(out.hash, aa::curve_hash(curve));
        for (oid, hash) in [
            ("0.4.0.127.0.7.1.1.4.1.3", HashAlgorithm::Sha256),
            ("0.4.0.127.0.7.1.1.4.1.1", HashAlgorithm::Sha1),
        ] {
            let alg = AaAlgorithm::from_oid(&oid.parse().unwrap()).unwrap();
            assert_eq!(alg, AaAlgorithm::Ecdsa(Some(hash)));
            for format in [EcdsaFormat::Plain, EcdsaFormat::Der] {
                let sig = chip.sign_ecdsa(&out.challenge, hash, format).unwrap();
                assert_eq!(
                    format == EcdsaFormat::Der,
                    sig[0] == 0x30 && sig.len() != 2 * curve.field_len()
                );
                assert_eq!(
                    aa::verify(&key, alg, &out.challenge, &sig).unwrap(),
                    hash,
                    "{curve}"
                );
                let mut bad = sig.clone();
                let last = bad.len() - 1;
                bad[last] ^= 1;
                assert!(aa::verify(&key, alg, &out.challenge, &bad).is_err());
                assert!(aa::verify(&key, alg, &[9; 8], &sig).is_err());
            }
        }
        // The right signature under another key fails.
        let other = AaKey::Ec {
            curve,
            scalar: CaDomain::Ec(curve).random_private_key().unwrap(),
        };
        assert!(
            aa::verify(
                &other.public_key().unwrap(),
                AaAlgorithm::Ecdsa(None),
                &out.challenge,
                &out.signature
            )
            .is_err()
        );
    }
}

#[test]
fn hostile_signatures_and_answers_are_errors_not_panics() {
    let rsa = dg15_key(&fixture("Datagroup15.bin"));
    let scalar = CaDomain::Ec(Curve::P256).random_private_key().unwrap();
    let ec = AaKey::Ec {
        curve: Curve::P256,
        scalar,
    }
    .public_key()
    .unwrap();
    let c = [7u8; 8];
    let mut cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![0],
        vec![0x6A],
        vec![0xFF; 128],
        vec![0xFF; 129],
        vec![0; 10_000],
        vec![0x30],
        h("3006020100020100"),
        h("30080201010201010500"),
        vec![0x30; 64],
    ];
    cases.push(vec![0; 65]);
    for sig in &cases {
        assert!(
            aa::verify(&rsa, AaAlgorithm::Rsa, &c, sig).is_err(),
            "{}",
            sig.len()
        );
        assert!(
            aa::verify(&ec, AaAlgorithm::Ecdsa(None), &c, sig).is_err(),
            "{}",
            sig.len()
        );
    }
    assert!(aa::verify(&rsa, AaAlgorithm::Ecdsa(None), &c, &[1; 64]).is_err());
    assert!(aa::verify(&ec, AaAlgorithm::Rsa, &c, &[1; 64]).is_err());
    let tiny = PublicKey::Rsa {
        n: vec![0xFF; 8],
        e: vec![3],
    };
    assert!(aa::verify(&tiny, AaAlgorithm::Rsa, &c, &[1; 8]).is_err());
    // Non-9000 status words and a chip that answers nothing.
    for answer in [
        Response::sw(0x6982),
        Response::sw(0x6D00),
        Response::sw(0x9000),
    ] {
        let e =
            aa::active_authentication(&mut |_| Ok(answer.clone()), &rsa, AaAlgorithm::Rsa, None)
                .unwrap_err();
        assert!(
            matches!(e, Error::Status { .. } | Error::Protocol { .. }),
            "{e}"
        );
    }
    // The chip refuses challenges that are not 8 bytes.
    let chip = AaKey::from_pkcs8_der(&fixture("DG15_sk.pkcs8")).unwrap();
    for bad in [&[][..], &[1; 7][..], &[1; 9][..]] {
        assert_eq!(
            status_word(chip.internal_authenticate(bad).unwrap_err().kind),
            0x6700
        );
    }
    assert!(AaKey::from_pkcs8_der(&[0x30, 0x00]).is_err());
    assert!(AaKey::from_pkcs8_der(&fixture("Datagroup15.bin")).is_err());
    assert!(matches!(
        AaKey::from_pkcs8_der(&fixture("DG14_sk.pkcs8")).unwrap(),
        AaKey::Ec {
            curve: Curve::BrainpoolP224r1,
            ..
        }
    ));
}
