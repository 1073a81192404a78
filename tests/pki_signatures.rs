//! Signature verification across every backend: the real CSCA/DSC pairs of seven countries,
//! OpenSSL-made keys and signatures on every curve of ICAO Doc 9303-11 §9.5.1 and for RSA
//! PKCS#1 v1.5 and PSS, explicit EC parameters, and the ICAO 9303-11 App. G.1 PACE points
//! recomputed with the generic curve arithmetic.

use dactyl::asn1::{self, Object, tag};
use dactyl::crypto::ec::{self, Curve, Point, curve_from_explicit};
use dactyl::crypto::hash::HashAlgorithm;
use dactyl::crypto::keys::PublicKey;
use dactyl::crypto::signature::{
    self, Backend, SignatureAlgorithm, backend, verify, verify_ecdsa_plain,
};
use num_bigint::BigUint;
use std::path::PathBuf;

#[path = "common/signature_vectors.rs"]
mod signature_vectors;
use signature_vectors::{P256, RSA2048, VECTORS};

const COUNTRIES: [&str; 7] = ["AT", "AU", "DE", "FR", "NZ", "UK", "US"];

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pki/real_sod")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// The parts of an X.509 certificate a signature check needs.
struct Cert<'a> {
    tbs: &'a [u8],
    alg: SignatureAlgorithm,
    signature: &'a [u8],
    spki: Object<'a>,
}

fn split_cert(der: &[u8]) -> Cert<'_> {
    let cert = asn1::parse_exact(der)
        .unwrap()
        .expect(tag::SEQUENCE, "Certificate")
        .unwrap();
    let parts = cert.children().unwrap();
    assert_eq!(parts.len(), 3);
    let tbs_fields = parts[0].children().unwrap();
    // version [0] present: SPKI is the 7th element, else the 6th.
    let spki_at = if tbs_fields[0].is_context(0) { 6 } else { 5 };
    Cert {
        tbs: parts[0].raw,
        alg: SignatureAlgorithm::from_object(&parts[1]).unwrap(),
        signature: parts[2].bit_string().unwrap(),
        spki: tbs_fields[spki_at],
    }
}

/// The id-ecPublicKey parameters of a certificate's key.
fn ec_params<'a>(cert: &Cert<'a>) -> Object<'a> {
    let alg = cert.spki.children().unwrap()[0];
    alg.children().unwrap()[1]
}

fn alg(name: &str) -> SignatureAlgorithm {
    let hash = |s: &str| match s {
        "sha1" => HashAlgorithm::Sha1,
        "sha224" => HashAlgorithm::Sha224,
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        _ => panic!("{s}"),
    };
    let f: Vec<&str> = name.split('-').collect();
    match f[0] {
        "ecdsa" => SignatureAlgorithm::Ecdsa(hash(f[1])),
        "pkcs1" => SignatureAlgorithm::RsaPkcs1(hash(f[1])),
        _ => SignatureAlgorithm::RsaPss {
            hash: hash(f[1]),
            mgf_hash: hash(f[2]),
            salt_len: f[3].parse().unwrap(),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// (a), (b), (d): real certificates.

#[test]
fn real_dscs_verify_under_their_cscas_and_cscas_under_themselves() {
    let expect = [
        (
            "AT",
            "ECDSA brainpoolP384r1",
            "ECDSA brainpoolP256r1",
            Backend::RustCrypto,
        ),
        ("AU", "RSA 4096", "RSA 2048", Backend::Ring),
        (
            "DE",
            "ECDSA brainpoolP512r1",
            "ECDSA brainpoolP384r1",
            Backend::Generic,
        ),
        ("FR", "RSA 4096", "RSA 2048", Backend::Ring),
        ("NZ", "RSA 4096", "RSA 2048", Backend::Ring),
        ("UK", "ECDSA P-384", "ECDSA P-256", Backend::Ring),
        ("US", "RSA 4096", "RSA 2048", Backend::Ring),
    ];
    for (cc, csca_kind, dsc_kind, via) in expect {
        let csca_der = fixture(&format!("{cc}_CSCA.cer"));
        let dsc_der = fixture(&format!("{cc}_DSC.cer"));
        let (csca, dsc) = (split_cert(&csca_der), split_cert(&dsc_der));
        let csca_key = PublicKey::from_spki_object(&csca.spki).unwrap();
        let dsc_key = PublicKey::from_spki_object(&dsc.spki).unwrap();
        assert_eq!(csca_key.describe(), csca_kind, "{cc}");
        assert_eq!(dsc_key.describe(), dsc_kind, "{cc}");
        assert_eq!(backend(&csca_key, &dsc.alg).unwrap(), via, "{cc}");
        verify(&csca_key, &dsc.alg, dsc.tbs, dsc.signature)
            .unwrap_or_else(|e| panic!("{cc} DSC: {e}"));
        let self_signed = verify(&csca_key, &csca.alg, csca.tbs, csca.signature);
        if cc == "AT" {
            // AT_CSCA.cer is a link certificate (authority key id FF8DEA.. differs from its
            // subject key id 2692C7..): the previous CSCA key signed it. OpenSSL agrees.
            assert!(self_signed.is_err());
        } else {
            self_signed.unwrap_or_else(|e| panic!("{cc} CSCA: {e}"));
        }
        // The DSC's key is not the CSCA's.
        assert!(
            verify(&dsc_key, &dsc.alg, dsc.tbs, dsc.signature).is_err(),
            "{cc}"
        );
    }
}

#[test]
fn one_flipped_byte_fails_every_real_certificate() {
    for cc in COUNTRIES {
        let csca_der = fixture(&format!("{cc}_CSCA.cer"));
        let csca_key = PublicKey::from_spki_object(&split_cert(&csca_der).spki).unwrap();
        for file in ["CSCA", "DSC"] {
            let der = fixture(&format!("{cc}_{file}.cer"));
            let c = split_cert(&der);
            for at in [0, c.tbs.len() / 2, c.tbs.len() - 1] {
                let mut tbs = c.tbs.to_vec();
                tbs[at] ^= 0x01;
                let e = verify(&csca_key, &c.alg, &tbs, c.signature).unwrap_err();
                assert!(
                    e.to_string().contains("does not verify"),
                    "{cc} {file}: {e}"
                );
            }
            for at in [0, c.signature.len() / 2, c.signature.len() - 1] {
                let mut sig = c.signature.to_vec();
                sig[at] ^= 0x01;
                assert!(
                    verify(&csca_key, &c.alg, c.tbs, &sig).is_err(),
                    "{cc} {file} sig {at}"
                );
            }
        }
    }
}

#[test]
fn explicit_parameters_of_real_keys_are_recognized() {
    let expect = [
        ("AT_CSCA.cer", Curve::BrainpoolP384r1),
        ("AT_DSC.cer", Curve::BrainpoolP256r1),
        ("DE_CSCA.cer", Curve::BrainpoolP512r1),
        ("DE_DSC.cer", Curve::BrainpoolP384r1),
        ("UK_CSCA.cer", Curve::P384),
        ("UK_DSC.cer", Curve::P256),
    ];
    for (file, curve) in expect {
        let der = fixture(file);
        let cert = split_cert(&der);
        let params = ec_params(&cert);
        assert!(params.is(tag::SEQUENCE), "{file} has explicit parameters");
        assert_eq!(curve_from_explicit(params.raw).unwrap(), curve, "{file}");
        // Every single-bit change of p, a, b, G or n is refused (or breaks the encoding);
        // none panics.
        for at in 0..params.raw.len() {
            let mut bad = params.raw.to_vec();
            bad[at] ^= 0x04;
            if let Ok(c) = curve_from_explicit(&bad) {
                // Only bytes outside the compared values (e.g. the seed) may change harmlessly.
                assert_eq!(c, curve, "{file} byte {at}");
            }
        }
        let e = curve_from_explicit(&params.raw[..params.raw.len() - 3]).unwrap_err();
        assert!(matches!(e, dactyl::Error::Asn1(_)), "{e}");
        // Named-curve re-encoding parses to the same key.
        let key = PublicKey::from_spki_object(&cert.spki).unwrap();
        assert_eq!(PublicKey::from_spki(&key.to_spki()).unwrap(), key);
    }
    // Generated explicit parameters of every curve round-trip; a changed coefficient does not.
    for c in Curve::ALL {
        let der = c.params().to_explicit();
        assert_eq!(curve_from_explicit(&der).unwrap(), c);
        let mut bad = der.clone();
        let at = der.len() / 3;
        bad[at] ^= 0x01;
        let e = curve_from_explicit(&bad).unwrap_err();
        assert!(e.to_string().contains("match no known curve"), "{c}: {e}");
    }
}

#[test]
fn hostile_keys_and_signatures_give_errors_not_panics() {
    for cc in COUNTRIES {
        for file in ["CSCA", "DSC"] {
            let der = fixture(&format!("{cc}_{file}.cer"));
            let c = split_cert(&der);
            let spki = c.spki.raw;
            for len in 0..spki.len() {
                let _ = PublicKey::from_spki(&spki[..len]);
            }
            for at in 0..spki.len().min(200) {
                let mut bad = spki.to_vec();
                bad[at] = bad[at].wrapping_add(0x41);
                let _ = PublicKey::from_spki(&bad);
            }
            let key = PublicKey::from_spki(spki).unwrap();
            for len in [0, 1, 2, 8, c.signature.len() - 1, 2000] {
                let sig: Vec<u8> = c.signature.iter().copied().cycle().take(len).collect();
                assert!(verify(&key, &c.alg, c.tbs, &sig).is_err());
                let _ = verify_ecdsa_plain(&key, HashAlgorithm::Sha256, c.tbs, &sig);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (c): OpenSSL-made keys and signatures.

#[test]
fn openssl_vectors_verify_and_fail_on_a_changed_message() {
    let mut seen = std::collections::BTreeSet::new();
    for (i, (spki, name, msg, sig)) in VECTORS.iter().enumerate() {
        let spki = h(spki);
        let key = PublicKey::from_spki(&spki).unwrap_or_else(|e| panic!("#{i} {name}: {e}"));
        assert_eq!(
            key.to_spki(),
            spki,
            "#{i}: SubjectPublicKeyInfo re-encodes identically"
        );
        let (a, msg, sig) = (alg(name), h(msg), h(sig));
        seen.insert(format!("{:?}", backend(&key, &a).unwrap()));
        verify(&key, &a, &msg, &sig)
            .unwrap_or_else(|e| panic!("#{i} {} {name}: {e}", key.describe()));
        let mut other = msg.clone();
        other[3] ^= 0x20;
        let e = verify(&key, &a, &other, &sig).unwrap_err();
        assert!(
            e.to_string().contains("does not verify"),
            "#{i} {name}: {e}"
        );
        // Another hash than the one signed fails too.
        let wrong = match a {
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha1) => {
                SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256)
            }
            SignatureAlgorithm::Ecdsa(_) => SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha1),
            _ => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha384),
        };
        assert!(verify(&key, &wrong, &msg, &sig).is_err(), "#{i} {name}");
    }
    assert_eq!(seen.len(), 4, "every backend exercised: {seen:?}");
}

/// The generic arithmetic agrees with OpenSSL on every curve, whatever backend `verify` picks,
/// and the plain r || s form of Active Authentication verifies the same signatures.
#[test]
fn generic_ecdsa_and_plain_signatures_agree_on_every_curve() {
    let mut curves = std::collections::BTreeSet::new();
    for (spki, name, msg, sig) in VECTORS.iter().filter(|v| v.1.starts_with("ecdsa")) {
        let key = PublicKey::from_spki(&h(spki)).unwrap();
        let PublicKey::Ec { curve, point } = &key else {
            panic!()
        };
        curves.insert(curve.name());
        let hash = alg(name).hash();
        let sig = h(sig);
        let parts = asn1::parse_exact(&sig).unwrap().children().unwrap();
        let (r, s) = (
            parts[0].unsigned_bytes().unwrap(),
            parts[1].unsigned_bytes().unwrap(),
        );
        let digest = hash.digest(&h(msg));
        ec::verify_ecdsa_prehash(*curve, point, &digest, r, s).unwrap();
        let mut bad = digest.clone();
        bad[0] ^= 1;
        assert!(ec::verify_ecdsa_prehash(*curve, point, &bad, r, s).is_err());
        let fl = curve.field_len();
        let plain = [
            ec::int_to_bytes(&BigUint::from_bytes_be(r), fl),
            ec::int_to_bytes(&BigUint::from_bytes_be(s), fl),
        ]
        .concat();
        verify_ecdsa_plain(&key, hash, &h(msg), &plain).unwrap();
        assert!(verify_ecdsa_plain(&key, hash, b"other", &plain).is_err());
        assert!(verify_ecdsa_plain(&key, hash, &h(msg), &plain[1..]).is_err());
    }
    assert_eq!(curves.len(), Curve::ALL.len());
}

#[test]
fn algorithm_identifiers_parse_and_round_trip() {
    use dactyl::crypto::keys::ID_RSASSA_PSS;
    let defaults = SignatureAlgorithm::RsaPss {
        hash: HashAlgorithm::Sha1,
        mgf_hash: HashAlgorithm::Sha1,
        salt_len: 20,
    };
    let pss = |p: Option<&[u8]>| SignatureAlgorithm::from_algorithm_identifier(&ID_RSASSA_PSS, p);
    assert_eq!(pss(Some(&[0x30, 0x00])).unwrap(), defaults);
    assert_eq!(pss(None).unwrap(), defaults);
    for name in [
        "ecdsa-sha224",
        "pkcs1-sha384",
        "pss-sha512-sha256-64",
        "pss-sha1-sha1-20",
    ] {
        let a = alg(name);
        assert_eq!(
            SignatureAlgorithm::from_der(&a.to_algorithm_identifier()).unwrap(),
            a
        );
    }
    // OpenSSL's encodings.
    let cases = [
        (
            "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120",
            "pss-sha256-sha256-32",
        ),
        ("300a06082a8648ce3d040302", "ecdsa-sha256"),
        ("300d06092a864886f70d01010b0500", "pkcs1-sha256"),
    ];
    for (der, name) in cases {
        assert_eq!(hex::encode(alg(name).to_algorithm_identifier()), der);
        assert_eq!(SignatureAlgorithm::from_der(&h(der)).unwrap(), alg(name));
    }
    let e = SignatureAlgorithm::from_der(&h("300506032a0304")).unwrap_err();
    assert!(
        e.to_string()
            .contains("unsupported signature algorithm 1.2.3.4"),
        "{e}"
    );
    let ecdsa_with_params = h("300d06082a8648ce3d040302020100");
    assert!(SignatureAlgorithm::from_der(&ecdsa_with_params).is_err());
    for bad in [
        "3007a2030201000500",
        "3005a303020102",
        "30",
        "3003a20100",
        "3004a0020500",
    ] {
        assert!(pss(Some(&h(bad))).is_err(), "{bad}");
    }
    assert_eq!(
        alg("pss-sha512-sha256-64").name(),
        "RSA-PSS SHA-512 (MGF1 SHA-256, salt 64)"
    );
}

#[test]
fn keys_and_algorithms_that_do_not_fit_are_refused() {
    let ec_key = PublicKey::from_spki(&h(P256)).unwrap();
    let rsa_key = PublicKey::from_spki(&h(RSA2048)).unwrap();
    assert_eq!(ec_key.bits(), 256);
    assert_eq!(rsa_key.bits(), 2048);
    let sha256 = HashAlgorithm::Sha256;
    assert!(
        verify(
            &ec_key,
            &SignatureAlgorithm::RsaPkcs1(sha256),
            b"m",
            &[1; 256]
        )
        .is_err()
    );
    assert!(
        verify(
            &rsa_key,
            &SignatureAlgorithm::Ecdsa(sha256),
            b"m",
            &[0x30, 0]
        )
        .is_err()
    );
    assert!(verify_ecdsa_plain(&rsa_key, sha256, b"m", &[1; 64]).is_err());
    let a = SignatureAlgorithm::Ecdsa(sha256);
    for sig in [&[][..], &[0x30, 0x00], &[0x30; 2000]] {
        assert!(verify(&ec_key, &a, b"m", sig).is_err());
    }
    assert!(verify(&ec_key, &a, b"", &[0x30, 0x06, 2, 1, 1, 2, 1, 1]).is_err());
    // An RSA key of 512 bits is refused before any arithmetic.
    let small = PublicKey::Rsa {
        n: vec![0xC5; 64],
        e: vec![1, 0, 1],
    };
    let e = verify(
        &small,
        &SignatureAlgorithm::RsaPkcs1(sha256),
        b"m",
        &[1; 64],
    )
    .unwrap_err();
    assert!(e.to_string().contains("512 bits"), "{e}");
    let e = PublicKey::from_spki(&h("3013300906072a8648ce3d02010306000401020304")).unwrap_err();
    assert!(
        e.to_string().contains("without domain parameters") || e.to_string().contains("expected"),
        "{e}"
    );
}

/// Which backend each (key, algorithm) goes to; the table in `signature`'s module docs.
#[test]
fn backends_per_key_and_algorithm() {
    use HashAlgorithm::*;
    use SignatureAlgorithm::{Ecdsa, RsaPkcs1};
    let ec = |curve| PublicKey::Ec {
        curve,
        point: vec![4],
    };
    let rsa = |bits: usize| PublicKey::Rsa {
        n: vec![0xC5; bits / 8],
        e: vec![1, 0, 1],
    };
    let pss = |hash, mgf_hash, salt_len| SignatureAlgorithm::RsaPss {
        hash,
        mgf_hash,
        salt_len,
    };
    #[rustfmt::skip]
    let cases = [
        (ec(Curve::P256), Ecdsa(Sha256), Backend::Ring),
        (ec(Curve::P256), Ecdsa(Sha384), Backend::Ring),
        (ec(Curve::P384), Ecdsa(Sha256), Backend::Ring),
        (ec(Curve::P384), Ecdsa(Sha384), Backend::Ring),
        (ec(Curve::P256), Ecdsa(Sha1), Backend::RustCrypto),
        (ec(Curve::P384), Ecdsa(Sha512), Backend::RustCrypto),
        (ec(Curve::P521), Ecdsa(Sha512), Backend::RustCrypto),
        (ec(Curve::BrainpoolP256r1), Ecdsa(Sha256), Backend::RustCrypto),
        (ec(Curve::BrainpoolP384r1), Ecdsa(Sha384), Backend::RustCrypto),
        (ec(Curve::P192), Ecdsa(Sha256), Backend::Generic),
        (ec(Curve::P224), Ecdsa(Sha224), Backend::Generic),
        (ec(Curve::BrainpoolP192r1), Ecdsa(Sha1), Backend::Generic),
        (ec(Curve::BrainpoolP224r1), Ecdsa(Sha224), Backend::Generic),
        (ec(Curve::BrainpoolP320r1), Ecdsa(Sha256), Backend::Generic),
        (ec(Curve::BrainpoolP512r1), Ecdsa(Sha512), Backend::Generic),
        (rsa(2048), RsaPkcs1(Sha1), Backend::Ring),
        (rsa(4096), RsaPkcs1(Sha256), Backend::Ring),
        (rsa(3072), RsaPkcs1(Sha384), Backend::Ring),
        (rsa(2048), RsaPkcs1(Sha512), Backend::Ring),
        (rsa(2048), RsaPkcs1(Sha224), Backend::RsaCrate),
        (rsa(1024), RsaPkcs1(Sha1), Backend::RsaCrate),
        (rsa(1536), RsaPkcs1(Sha256), Backend::RsaCrate),
        (rsa(2048), pss(Sha256, Sha256, 32), Backend::Ring),
        (rsa(2048), pss(Sha512, Sha512, 64), Backend::Ring),
        (rsa(2048), pss(Sha256, Sha256, 20), Backend::RsaCrate),
        (rsa(2048), pss(Sha1, Sha1, 20), Backend::RsaCrate),
        (rsa(1024), pss(Sha256, Sha256, 32), Backend::RsaCrate),
        (rsa(2048), pss(Sha512, Sha256, 64), Backend::Generic),
    ];
    for (key, alg, want) in cases {
        let got = backend(&key, &alg).unwrap();
        assert_eq!(got, want, "{} {}", key.describe(), alg.name());
    }
    assert!(backend(&rsa(512), &RsaPkcs1(Sha256)).is_err());
    assert!(backend(&rsa(16384), &RsaPkcs1(Sha256)).is_err());
    let even_e = PublicKey::Rsa {
        n: vec![0xC5; 256],
        e: vec![1, 0, 0],
    };
    assert!(backend(&even_e, &RsaPkcs1(Sha256)).is_err());
    assert!(backend(&ec(Curve::P256), &RsaPkcs1(Sha256)).is_err());
    assert!(backend(&rsa(2048), &Ecdsa(Sha256)).is_err());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Arbitrary bytes as keys, algorithm identifiers, parameters, points or signatures give
    /// errors, never panics.
    #[test]
    fn arbitrary_input_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let _ = PublicKey::from_spki(&bytes);
        let _ = SignatureAlgorithm::from_der(&bytes);
        let _ = curve_from_explicit(&bytes);
        for c in Curve::ALL {
            let _ = c.params().decode_point(&bytes);
        }
        for (spki, name, msg, _) in VECTORS.iter().step_by(3) {
            let key = PublicKey::from_spki(&h(spki)).unwrap();
            let _ = verify(&key, &alg(name), &h(msg), &bytes);
            let _ = verify_ecdsa_plain(&key, HashAlgorithm::Sha256, &h(msg), &bytes);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (e): ICAO Doc 9303-11 App. G.1 (PACE ECDH Generic Mapping on brainpoolP256r1).

#[test]
fn icao_g1_generic_mapping_points_match() {
    let p = Curve::BrainpoolP256r1.params();
    let int = |s: &str| BigUint::from_bytes_be(&h(s));
    let point = |s: &str| p.decode_point(&h(s)).unwrap();
    let hexu = |pt: &Point| hex::encode_upper(p.encode_point(pt));
    let g = p.generator();
    let s = int("3F00C4D39D153F2B2A214A078D899B22");
    let sk_map_ifd = int("7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99");
    let pk_map_ifd = "047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D";
    let sk_map_ic = int("498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560");
    let pk_map_ic = "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54";
    let shared_h = "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD50840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181";
    let g_hat = "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E28C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522";
    assert_eq!(hexu(&p.mul(&g, &sk_map_ifd)), pk_map_ifd);
    assert_eq!(hexu(&p.mul(&g, &sk_map_ic)), pk_map_ic);
    let hp = p.mul(&point(pk_map_ic), &sk_map_ifd);
    assert_eq!(hexu(&hp), shared_h);
    assert_eq!(hexu(&p.mul(&point(pk_map_ifd), &sk_map_ic)), shared_h);
    let mapped = p.add(&p.mul(&g, &s), &hp);
    assert_eq!(hexu(&mapped), g_hat);
    // Key agreement on the mapped generator Ĝ.
    let sk_eph_ifd = int("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595");
    let sk_eph_ic = int("107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A");
    let pk_eph_ifd = p.mul(&mapped, &sk_eph_ifd);
    let pk_eph_ic = p.mul(&mapped, &sk_eph_ic);
    assert_eq!(
        hexu(&pk_eph_ifd),
        "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
    );
    assert_eq!(
        hexu(&pk_eph_ic),
        "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"
    );
    let k = p.mul(&pk_eph_ic, &sk_eph_ifd);
    assert_eq!(k, p.mul(&pk_eph_ifd, &sk_eph_ic));
    let kx = ec::int_to_bytes(k.x().unwrap(), 32);
    assert_eq!(
        hex::encode_upper(kx),
        "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"
    );
}

#[test]
fn curve_table_and_point_codecs() {
    for c in Curve::ALL {
        assert_eq!(Curve::from_oid(&c.oid()), Some(c));
        assert_eq!(
            Curve::from_pace_parameter_id(c.pace_parameter_id()),
            Some(c)
        );
        let p = c.params();
        let q = p.mul(&p.generator(), &BigUint::from(0x0BAD_CAFEu32));
        let enc = p.encode_point(&q);
        assert_eq!(enc.len(), 1 + 2 * c.field_len());
        assert_eq!(p.decode_point(&enc).unwrap(), q);
        // Compressed form (Tonelli-Shanks on P-224, whose p is 1 mod 4).
        let Point::Affine { x, y } = &q else { panic!() };
        let mut comp = vec![if y.bit(0) { 3 } else { 2 }];
        comp.extend(ec::int_to_bytes(x, c.field_len()));
        assert_eq!(p.decode_point(&comp).unwrap(), q, "{c}");
        let mut bad = enc.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert!(p.decode_point(&bad).is_err());
        assert!(p.decode_point(&enc[..enc.len() - 1]).is_err());
        for k in [1u32, 2, 3, 7, 0xDEAD_BEEF] {
            let k = BigUint::from(k) * 0x1234_5678_9ABCu64 + 5u32;
            assert_eq!(
                p.mul(&p.generator(), &k),
                p.mul_vartime(&p.generator(), &k),
                "{c}"
            );
        }
        assert_eq!(p.mul(&p.generator(), &BigUint::from(0u32)), Point::Infinity);
    }
    assert_eq!(Curve::from_pace_parameter_id(7), None);
    let p = Curve::P256.params();
    // A caller's own unreduced, off-curve point: wrong answers, but no panic.
    let junk = Point::Affine {
        x: &p.p * 7u32 + 3u32,
        y: &p.p * 5u32 + 1u32,
    };
    let k = BigUint::from(12345u32);
    assert!(!p.is_on_curve(&junk));
    let _ = (
        p.add(&junk, &p.generator()),
        p.double(&junk),
        p.negate(&junk),
    );
    let _ = (
        p.mul(&junk, &k),
        p.mul_vartime(&junk, &k),
        p.mul_add_vartime(&k, &k, &junk),
    );
    assert!(p.verify_ecdsa(&junk, &[1; 32], &[1], &[1]).is_err());
    for bad in [&[][..], &[0], &[4], &[5; 65]] {
        assert!(p.decode_point(bad).is_err());
    }
    // Hash truncation to the order's bit length (FIPS 186-4 §6.4).
    assert_eq!(Curve::P224.params().hash_to_int(&[0xFF; 32]).bits(), 224);
    assert_eq!(Curve::P521.params().hash_to_int(&[0x80; 64]).bits(), 512);
    let _ = signature::MAX_SIGNATURE_LEN;
}

// ---------------------------------------------------------------------------------------------
// The vectors (generated with OpenSSL 3.0.19: `openssl ecparam -genkey`, `openssl genpkey`,
// `openssl dgst -<hash> -sign [-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:N
// -sigopt rsa_mgf1_md:H]`).
