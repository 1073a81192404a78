//! Signature verification across every backend: the real CSCA/DSC pairs of seven countries,
//! OpenSSL-made keys and signatures on every curve of ICAO Doc 9303-11 §9.5.1 and for RSA
//! PKCS#1 v1.5 and PSS, explicit EC parameters, and the ICAO 9303-11 App. G.1 PACE points
//! recomputed with the generic curve arithmetic.

use dactyl::pki::asn1::{self, Object, tag};
use dactyl::pki::ec::{self, Curve, Point, curve_from_explicit};
use dactyl::pki::hash::HashAlgorithm;
use dactyl::pki::keys::PublicKey;
use dactyl::pki::signature::{
    self, Backend, SignatureAlgorithm, backend, verify, verify_ecdsa_plain,
};
use num_bigint::BigUint;
use std::path::PathBuf;

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
    use dactyl::pki::keys::ID_RSASSA_PSS;
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

/// The signed message of every vector ("dactyl eMRTD signature test vector").
const MSG: &str = "64616374796c20654d525444207369676e6174757265207465737420766563746f72";

const P192: &str = "\
    3049301306072a8648ce3d020106082a8648ce3d0301010332000455bcf5c85a43a67f382a1b4e9b81f0a831f87b7746\
    db6e9287158389dfb9ab9737586f525365083799725e28f56ff8ff\
";
const P224: &str = "\
    304e301006072a8648ce3d020106052b81040021033a0004ff6d6208062c08368f5f6a72362c415f2304f11f60ce2d35\
    c6d97ed9d0ffd93c4c93c4d908fd8efa9456d67770b6ab87a92f2a7c066dda0f\
";
const P256: &str = "\
    3059301306072a8648ce3d020106082a8648ce3d03010703420004a72248553291aa984e07327fac0894d375f97e29ae\
    b468a9099dc8b67cb34036aa9ba220fc565557cd8a7b91010e20c305a623c55032c9d980b57516a95ee806\
";
const P384: &str = "\
    3076301006072a8648ce3d020106052b8104002203620004e8fc27c2adcbd7f385ec83bfb924d7baa5ce74042677ec5c\
    32d6eecaa794bfb2f18b47c8638c5e293e297d68310a25bed89109accfc826cd1f5f77ce99ec16495e1e24541d14ffaa\
    25d4822b60ba61a5bbdad098cf2027490b1d7fbbde0bf54e\
";
const P521: &str = "\
    30819b301006072a8648ce3d020106052b81040023038186000400ced2b6b507a6d6f4b6161907fc1488d9e6272fad08\
    e95e7a27bafc00bd8b22cc3add15b29c27c584d68a3586d42d5c699378a0d93185e7a731473834741a39f99801233108\
    f03bfb872e4cbd56a9164737eefa15574cf3842442eba48339f33b601fdf7bbeb2bc509958ae617b62061653fcc6aac4\
    bbca9ab3cbad7a5918360a989b94\
";
const BP192: &str = "\
    304a301406072a8648ce3d020106092b2403030208010103033200041b7260bb0f2f53f4b02b1e4f9f694b8f9bb99010\
    5ebdad1b240791adb366094d20ac1eb65c37c1ba1fde580fda03d1e5\
";
const BP224: &str = "\
    3052301406072a8648ce3d020106092b2403030208010105033a000446865042e1a7c19b96885b05d3b03592b58ac632\
    d8cf5f4c2f34bc1116b7cd9b91b4b6d3f6f8b592a7389d808f9b5de787dc9d3bc42fe1c8\
";
const BP256: &str = "\
    305a301406072a8648ce3d020106092b240303020801010703420004025ef41b8d55ae6183577cc22705744d441c5327\
    273cb5ed976df318bb1f0e6935ab22826c2fbf0b00b658c4103b68372c5788ba1812f39c30e7edcca38c18e6\
";
const BP320: &str = "\
    306a301406072a8648ce3d020106092b2403030208010109035200044967d67eca67d9897fea7a9cf57a207b475acd0d\
    7e1b63af0e5e8def0919847b07a509da0caffc69b41c13b65b79143c94aff34325c8cf712c45e86ad9287e2def59eb8b\
    e0165b29c43ed649ce8aa434\
";
const BP384: &str = "\
    307a301406072a8648ce3d020106092b240303020801010b0362000419c8b01e257f03a35cbe6201756dfad35b61837d\
    0579c9771ba6c7f5ecc66ef7458d52ad1a0d548d79a8740016ad3b985b168988313ae5553bf1f126323dff7421766783\
    7a098efdfe29b160e06f7a0d0eafade3db53185bd6a533a989bc27f8\
";
const BP512: &str = "\
    30819b301406072a8648ce3d020106092b240303020801010d0381820004464580127a0f1fef43600342eac6046db0f3\
    20d14fb3490beb8fcd1d4df6181ac066df0e645e142adc4613210678bbc9e07e2b91580b896ec06620b4320d4465691a\
    0be2a122a40b859b0ad3db3855b2ac87e8e5aa95a20d8b877bcef845667e98904fc0807b917d1ecdd17345d53f382438\
    ddbc073bff4f6a3b584a1fbb7a72\
";
const RSA1024: &str = "\
    30819f300d06092a864886f70d010101050003818d0030818902818100d0ada20f72211bc1e9d2e45797eecc409c2b21\
    4f83ca59a501efe1091577b6615def8dcb4c90ee233bd68e452b3bf93a52cc0680cfcce7e518a4ca5ba4a71959027d92\
    db8b22d76319bca64161b14f5cc3c77b986b4027ad1b301ee9b93f3a8752626865a30af7caed74909da9c8e53874e223\
    379b7eb560032d4b4e44b3a85b0203010001\
";
const RSA2048: &str = "\
    30820122300d06092a864886f70d01010105000382010f003082010a0282010100d4e2208621a97fc02fcf1b445bfde1\
    c8e5bef688da4b88754caaac83cea141a0b2bb0c8d7d31ea57af43e6ba9309e9e9e6fe80e76e93416f3c02abb54f373e\
    b2e3a1c033c19d38548d83091bca0a85a559c5169c73f619b4235220742705da2348840dbe2fb8ddf07f327d69a6907a\
    7f2b5bb43bb69f03168b44057ae5d385fb870e630a78d030a2b32e1046b5b859b7812e5dd09c98361cb9d8efc8ac727f\
    32ba811069b5e9d8ff1cbdeeb2a362626fd7e8f783ca6bb6bc2f3b85e044a27820960cc6772c46a67591a1062108f64c\
    2b9b05fbaf259b85bef13462477caf445ca6de0dd61b2fbdd9c2369ec80d36d0507e871826d3ddd136978147321c08d5\
    730203010001\
";

/// (SubjectPublicKeyInfo, algorithm, message, signature), all made by OpenSSL 3.0.
const VECTORS: &[(&str, &str, &str, &str)] = &[
    (
        P192,
        "ecdsa-sha1",
        MSG,
        "\
        3036021900d4c6e976b5429add5f85b3f7e4ebec9a79f6a86260237e2a021900d669584661e8b6832a6c76670da4301f\
        4821f7b9823b806c\
    ",
    ),
    (
        P192,
        "ecdsa-sha256",
        MSG,
        "\
        3035021864c32791f8d25d92a9675398703dd229ab239567a5eb8234021900847ce665466e74fd8ec981adf613797e17\
        02bb87c5b1b589\
    ",
    ),
    (
        P192,
        "ecdsa-sha512",
        MSG,
        "\
        3036021900d826b0282005ec1ecb197be6be3b010216faf643fdff8a0a021900969b451c54671f1d22dfdc6770975510\
        fea2e6a4999e6c24\
    ",
    ),
    (
        P224,
        "ecdsa-sha1",
        MSG,
        "\
        303c021c44d34999e08f6091c06d59192d9e78f48405e3a3c6c1cea732223fda021c2f9d27b8a5a22ef263fb04b53267\
        3541cf4e32b5632759052b99f3e3\
    ",
    ),
    (
        P224,
        "ecdsa-sha256",
        MSG,
        "\
        303c021c5de1a0168d4a3567a7f46209952c657696ce08aedb5f575d5d17c7e1021c10ec32184b65709410cd50085fad\
        3cf72e0425908469d9c8aa31b800\
    ",
    ),
    (
        P224,
        "ecdsa-sha512",
        MSG,
        "\
        303c021c3d26e0e79c70dbe56326a06dbd7f92fbdb4863b310aefbe211da32c3021c2c463773cb0374976cf801a948ad\
        333cbc51da29c5df32fe4c2ce46b\
    ",
    ),
    (
        P256,
        "ecdsa-sha1",
        MSG,
        "\
        3045022100dc7a790c0d8b26aff8bee0fdbd2518368c2878efb22528a8b86777148ca83795022075ce0d98f50888d166\
        7b73ea058dc8a3196b03acc3f4cc1b60efe503b9c3ddcc\
    ",
    ),
    (
        P256,
        "ecdsa-sha256",
        MSG,
        "\
        3045022042b03be23a34a1e0687be27f47fddc65c143877ba9d0d126de29b0ca1d2ac42d022100f74f44e4ffacb60854\
        dbf6df65b41d7f8933fe2e9a646b7af682e4b5ed42b3d3\
    ",
    ),
    (
        P256,
        "ecdsa-sha512",
        MSG,
        "\
        304402200405351befd2403b2680193ea86e5e4edbf27b9024589771a39325a24a53654002207874b1385395e178c57b\
        cb90c591f61aaf8809c12b10406ef12f5ecbea9f1eb9\
    ",
    ),
    (
        P384,
        "ecdsa-sha1",
        MSG,
        "\
        3065023100b5275ea7b07f6b809f1e99ad07bb113323dc08c29d5983bed509f080ce35fd3f5dd2ea381bf3a768bc45f2\
        d785118aa202303afa5a0568d99efc23c1b581793642dd3f8c502453558c318ecda97cd1cf92f653ea54a45ed8dd8b0e\
        9c4c031bf1cf8d\
    ",
    ),
    (
        P384,
        "ecdsa-sha256",
        MSG,
        "\
        30650230009fdb76f830b19c824937685c5302ce9bd872141979288b855af10c4e5dbdd94c67fbfc44bc0a29c3ddbf0d\
        aa7aa90c023100ebf6ca9e3a9006ea13b39a214788ff7a7ef102884bc5e655d28771d1c5c575ec939dba86d2aa91e039\
        eb090b7f71f8ed\
    ",
    ),
    (
        P384,
        "ecdsa-sha512",
        MSG,
        "\
        3065023100d94498c123ef6f5a77d8318230e04be7d2e0851b2eea62c2de9613465a8a120bb63d5b2c40644225a1e4fb\
        a734cd6d9b02306f4d8715350b78ab1cd47077f665493c23bd4f8d065861e909e7e85704f38fecc29f9f013ced1701e4\
        a9b9dd058a96d7\
    ",
    ),
    (
        P521,
        "ecdsa-sha1",
        MSG,
        "\
        30818702416d7362665417d6c0afa58e5620de30382193aa7350a69cf51782d51bd180b54d2cad8d202e89de5077deef\
        645707f41dfdaaaf243ee35e6b74e34e08098e0f8e620242013476284692257cce67d45e79130283bdd7a34abc07b39f\
        f29ef625072fdf4ef6da7cd4524e657bbbc45a8d1b00a615788a63467bc873306c5c630b8ca5415f6d85\
    ",
    ),
    (
        P521,
        "ecdsa-sha256",
        MSG,
        "\
        3081870241065c9298610c40791e750ad11fd27f0fc83fc9c04eb5e1bfe64f92dde727d47d779230a88a9c463f775fce\
        88acea3e7fba47ae26c0a55313db68f9289becd2ffed02420129afb771ddbcb358743dc5ec907de0d3cb3d398c27c4ed\
        2e714b596369a297fbd1eca96bb02b635a5a408f336f3e45805c72a8881f53a3afe8eada248b5ae97713\
    ",
    ),
    (
        P521,
        "ecdsa-sha512",
        MSG,
        "\
        30818702411829a5c98f11ea7ae61fa96af473c0a0b85136e22a4f00051950a5a0f363650cbf2f97c87d70780f43d898\
        92e1609827fd41e763234a1879e5228c70f6211362d50242008717cea58d0f822d4909290aa09a9c0c1e1423d864f127\
        79bda3b9b29abd120e856c6659f00af5b354c24ed23a4c383b69de27194458aef9c8553b1c7c01a0741c\
    ",
    ),
    (
        BP192,
        "ecdsa-sha1",
        MSG,
        "\
        3035021900911fbb469fed3e76629de46567e407e998908a94c219b2dd021873e76e8445dea91d84692c37e80da0a92c\
        c0d78c39648b81\
    ",
    ),
    (
        BP192,
        "ecdsa-sha256",
        MSG,
        "\
        303402184f7c0b27399097ae4881d65c7ff7d8c67db136122e8251e70218207d1f86d5219c6d80d450dbc5d9ddce1d78\
        fe606e039ff3\
    ",
    ),
    (
        BP192,
        "ecdsa-sha512",
        MSG,
        "\
        3035021818d7cff4daec069e3c54b140aeaad0611db01a3ca515f75c02190095fdb01fb7203bbacfa49ae206321e7c8b\
        8934a05973c239\
    ",
    ),
    (
        BP224,
        "ecdsa-sha1",
        MSG,
        "\
        303d021c35260b3fc5725a939a03080d31168df262e2f6def4b2802233cedadc021d00aad1340c60fc1c335eece3dde6\
        deed6846eaf847813621d1e4a9d13e\
    ",
    ),
    (
        BP224,
        "ecdsa-sha256",
        MSG,
        "\
        303c021c7be5ccf09d49cff4014a6944462b0e008ae3ca28a7127aa21871d930021c40cba947bd431402ea4e0b7a97d5\
        a879cbc53488ad156575b5d7c3dd\
    ",
    ),
    (
        BP224,
        "ecdsa-sha512",
        MSG,
        "\
        303e021d0097894dbbb4ef759c49b2dd1d960a5ea1628bdc7e75c3b520d996c174021d0091ae386bba528e2fbc5f7b30\
        8c6b9898e08cd5793dd1d0f8f57aea6b\
    ",
    ),
    (
        BP256,
        "ecdsa-sha1",
        MSG,
        "\
        30450221009f93536bdb71624d4f7c0a273f888f0aa63c5dc3839163e76a8a8bf38a32f77f022005ef45eadb5833d8be\
        59d7ed29019b596781665c739c5cc925be4f212edbae3d\
    ",
    ),
    (
        BP256,
        "ecdsa-sha256",
        MSG,
        "\
        30450220285075ee17721bfd065de9d7b155a2b9277fc9a121f48dd18d1f58c817eb3bb9022100816387cfa7a7ccd881\
        709a00a11f05452dd06ebed6b63a9049edca774d000a39\
    ",
    ),
    (
        BP256,
        "ecdsa-sha512",
        MSG,
        "\
        304502200980201f54ae0c48bf71a6035f5e071f41273c10ee62730ace75aac20181c5be02210090883bd2f20d045ddf\
        f6bf48f7f7cba96754923e0c61c494386936e39631b59b\
    ",
    ),
    (
        BP320,
        "ecdsa-sha1",
        MSG,
        "\
        305602290082294f515660031f168a29aa192882b6cc7405b940202e05254c5e3d07a703029130b8162b535388022900\
        b7dc40de2e42a0dab72b48d995135ff9a0b939c77d25837f53a1c811d0bbff12ca81f963023b5271\
    ",
    ),
    (
        BP320,
        "ecdsa-sha256",
        MSG,
        "\
        305402285e15505ecac41a3bad4597cc4d674b1dd180dbbe5cf6436d30b68cb2b821c7b731e061a7e0013bed02287d63\
        1d5ff0bfebbbb3c8f53e8b0bb4b01ede5abf7cd992412020decf12c1c39f7b2175d53149f0de\
    ",
    ),
    (
        BP320,
        "ecdsa-sha512",
        MSG,
        "\
        3055022900c0478f5b0d85568454e0b9862a53c8c33d5cf2e4fed2792d5dc558917c59babe30bb5e97fb58c0c402283e\
        551f3e72dbb9ae7e2d5c542b5341bcaead716bbc16631b89c16fc65114be5a383f73f4cd3d5b16\
    ",
    ),
    (
        BP384,
        "ecdsa-sha1",
        MSG,
        "\
        30650230676d66e86b126f97c19593ebe0d94337f1f2eb670cf0e2335daf4356779c3ab32ad4713fc123fd2eb14be5ee\
        c6a37298023100813a99f405ca731cb2f437456de2f37f2ab8094c166ff4bf76a1d37f52ddf7ebcf1175dc27c827074c\
        bc20e90e988a71\
    ",
    ),
    (
        BP384,
        "ecdsa-sha256",
        MSG,
        "\
        3064023061e600244d8f2c107efa8ac287728f0fff7240fcbe7eb722c8cbd85664afcb7935a0736f7b6407d7238fb3f3\
        42a4d89002304942ca5ba5d1374875095110942cd92cb5bbb1399afcf74c7a3aa24fa3ae3deb331a870140ea07235fbd\
        f66fbde77f44\
    ",
    ),
    (
        BP384,
        "ecdsa-sha512",
        MSG,
        "\
        30640230487ec84faaae3ee8486d4c4ca7e4d8084ed85fb02b22153d8bfdd0aa86debd4da2df9cf296a26af36dbfc1e7\
        aa4b058b02302980eb908d262da0292f3059c8fa4b08a49eea24b01f6516070f035de571635f908efb1489f2248346ae\
        508ac9b1b4a8\
    ",
    ),
    (
        BP512,
        "ecdsa-sha1",
        MSG,
        "\
        30818402401433fbd421dbff110ee359ba71d6ed0b91b91a0ecea579a8f9561da5d92b6ac5693f39cdc393a815de6e75\
        047f96237378dd951773fde6ec6049c3ffc16bd22c024052ff3ab7fedfadeafbeb3d4c1f4f7cdbffbf665daed828d939\
        bbc6c50a156705365bfa5b6a2801e74ac4f453bdc3277d72702f8d1a14b55a9ea8dc4de1502192\
    ",
    ),
    (
        BP512,
        "ecdsa-sha256",
        MSG,
        "\
        30818502401f00541b56212ba459c331780635a8f255193984c38c053a93c49c3440f8d959a4065e027d6d1d0ae98a8d\
        decb9288f5bfdd412a4234baa882cdb7532008340f0241008b64003202517650c0ae1c9e7e0e95d550b04f925084855e\
        f3cdb5891b98a8ebfd4ea90604aa285eff7ec1adec81eac859c2da62ced8686b3bf8228df225936f\
    ",
    ),
    (
        BP512,
        "ecdsa-sha512",
        MSG,
        "\
        30818502410097d5ec3ac9308d71612ebaf40784f1846391e422c9bde6fd6c38ece4034e1a5e88dfb8aa48d448d26708\
        79666613a5b09977f03ab097b0a7f00da65c665fbfeb02402249e22c34518f26f24139fcc099b29c09e1786221540d34\
        8be23001c252947007158f3286872b51085871a0f7228adc8091a865b127435115be86c65e2463d2\
    ",
    ),
    (
        RSA1024,
        "pkcs1-sha1",
        MSG,
        "\
        c50b8b3ee50429c9170b4964488a4cb4ed192dcfc37d6684f1310fe28fae1fb3c4440c98d2a0ba3c799ea79c99a2f99c\
        eb5101c11a958d15a75993253a870508af01bb3c22efcc31803cbdc6c87f5a7316add9f37682740b7997e84758ac8a07\
        5812c7b77313241837bbb24bf0183e37e6f10dc3ec0d57803051fa42c2035d41\
    ",
    ),
    (
        RSA2048,
        "pkcs1-sha256",
        MSG,
        "\
        cef5b7981bd52b20041402ee02ef81ef36ad871e59b7977492cbb7b5e8e64ee22737141ed088acb8dfe17968aaa3a651\
        3aecaf85f2a3ce2f3363d37c535cd6844f3616f8799973c8417b0c29e46c18f141b9a091873c13c5d55b30be1405ae45\
        6d1669a1f9e22a5c5f52feaebb307dbe0f0df416a275453340d120af613c2b5f91a68e5cb2be0e6adec32153a6d964e3\
        04ac3c2e2388a285242ad263356c225129ffa95a40e61cd6f4ac0f54d85ba6c907bd68afc6b0a5eb387d94181d6a5417\
        efbff8278ff2f5ee8344b8ba54ee0872ab0266c7cee81c276c94e0e51acd2575edb5bebd1177ff7b7ca0ef5938ce524c\
        54bea537b41fb1f8ffd57bdfd48b5ca1\
    ",
    ),
    (
        RSA2048,
        "pkcs1-sha1",
        MSG,
        "\
        b0b5718b8715167c17210bc7a6e3cea6b64fec7ea2125b3c9ffe152a8c0f55e3e6c9ea6c173c886c847221ee8d29f38a\
        a460916d2a966018980ccc89d8b8e53f5bc2ad10c916ef4d87b30adf68ff983f782035053c5971a79ca484226f8e0afc\
        d975746fe93aae978190c92247f4f3a2a180dff65521fdba1d2e95188d2192e3bb1f001d8f4c180170218c30d0036176\
        e1a5e964139caa14ad4c58f274f055f02d7b676ed70ffe54aee9afd59a7406e15af7160f407300edc43101e2a3c4932f\
        68ba09eac0e62b728b90b8e6264ba984b762abaef620a44609dadbd234416d3359c03f735d1ba9e15a4f81e41efad89b\
        5988a9877d493def530a1b635e1874d1\
    ",
    ),
    (
        RSA2048,
        "pkcs1-sha224",
        MSG,
        "\
        d2fe55f40874cc3610caebfb127b03c5f961a32b3c60369c0f68dc4274d0b7e12c3a66fce625ab6bb199ba071e1a5a1d\
        1c092365b9b28cd5f046efa354ff3c730440181dd1a59c0563d1b2cf46358ab33460a8c5bee0f63f6fc299e658d57acc\
        3385b01b77dd803bec05225cc5b73e97edd5302eca798c4007340ccb23078d32bd1d769efec775451251bba5071efcff\
        c54c8ab16394362ca1f38346660a2fa4ead31800a26f17200c4859ad3c852520f5c8260dad9f5e2f9efba3e34bb263d8\
        3f1b6cd2a36b6a552014a04744acabcf362c6dfdc1be2a282a1e394ffaa2f824a7e9fd66165bf5a39a80b5b5262051ff\
        21e82e687721ec90a9b03059f7ca2d15\
    ",
    ),
    (
        RSA2048,
        "pkcs1-sha512",
        MSG,
        "\
        a8df992e8b6124b338fcf1e3786bdfdfbef0526d3bf7fb6b6008f4c8e62f0ca23f757b1404490ac36d54e4c93e481d75\
        e53c9e257acb5e1b9ffc73f4f83214c1e489815a06a0a05fcfd8d855e35ef4db36a2c3576d80f1ef6c3d19b6fb048597\
        e191af878b7d3b8ca0aa467bfef1494415dacdeeccb2815274c82007f026246db04f8cd839978bcf8eedc8869a69a13b\
        15ea5d13c2003ba0f680221647d47d84c1b1fdba6c1d9c01de50846acb85a3dbf76fcd86c09d564af3160153eeff3726\
        11c7ef52ceeac41cf95602b565326ff4c5bee42cb91fc17fb801927acdc5a7e9123f23513d9bd032f9fdc6d2bfed0111\
        a1b449f3381d1d79a8fb6fce3d800d84\
    ",
    ),
    (
        RSA2048,
        "pss-sha256-sha256-32",
        MSG,
        "\
        7c8d586698a8ccd48c38869f1e8c534a955a8b6d7857ef1226568cbe012a5cc3b4abd4a58c529e548bfe184897168728\
        0d032e902fe4f5243b1224b1653dcc430f0df82acf958284fdf152a0593445014ed84025ab532a890a98bacc407218a3\
        0357e50553616bca8e3cba31cb37846b80462f4d2b670e82ee22f308d604873babc70a24fdd9795b93247fb551e29150\
        d82dbe51ec2368df9da26bd31211e963ccd7a60be4c6f2e236d3dd53340a287e1b88ee67b4e921218302ce96f1fa227c\
        9572a46977723e0c897298f81e1b88ddae2e6658416c469eb92449946c60ad39f54f545bb212cc7f3cf64318e7ed9aa5\
        5e1c7609b3f29808ade757d25cb789cd\
    ",
    ),
    (
        RSA2048,
        "pss-sha1-sha1-20",
        MSG,
        "\
        786e8b9f3e84accadd3706ac4f1ba9dda9498962b7423c68d7551eebe79dfec17241322d22b75f9ed2d7c01eaa13b6ad\
        b78ad9a92d1ec61f3640460e69d80b33d2526dbd862ea7875b49d94cedd47a8cd8966e036086c33a8c939af2c6210ab8\
        9027f837ad96e85c20a8a37a7d26465cfb4707c15c5212829254764a5a8dd0051d5bcc92a26f1e6b7624578314847d73\
        3a454762266008f12bde5b9d11d9f33ed611f4b41b2cfe3ce90254984ba24dc216ab515f1b032c3f41e592dec510212e\
        2acfffbb6582770afe32a6977d207e33e6df94b684e8fe66318992d358b4125bcd01a0afa2e4075c6277be9a7d75c25e\
        5b4f70870af48014647b9c8d3a9a673b\
    ",
    ),
    (
        RSA2048,
        "pss-sha512-sha256-64",
        MSG,
        "\
        894df7fb19197853162eb71d384dd7ec5a41491abe04c9907c76124322c2253d1a06673827f12a5ac0925de9101a041b\
        bc2a445c5c770b91ef9bda50a061f358f1af45263a58a5e09f06cb9e81a449571794c81588f593588ef511503ed53ddf\
        f760d75101579dad361344b20509813a72521cbdefc838094dd6c2d25c7850fd70cb1357b66a5ee1560d5fef9fbe8904\
        1a554eec2f0251c67ff911a8a422e3eb5f093683136e35b99382d68a3da7cb9d0b843f7ce85a353fc3978ea3406ccbc5\
        f3deb982c65005b0e2fcaca458a492ca241490381d8be79e5d5c84d3332cdf41205f4ecaf03a7cb36804a5ebb90e7850\
        5d87f2a4c85d3c524f54f2cf819e3920\
    ",
    ),
    (
        RSA2048,
        "pss-sha384-sha384-48",
        MSG,
        "\
        28103f93fb0c9e6ef4885c46c1b9cd2c5c1994950403332038b9fe4cd35d8cdb5017d316c7eae36f97b812dd4a592a35\
        3ccbde18744cf94cdee22cf59fbe6da550e37bd97489491c5258851e2f947a40465fcf40f3322df6a806b1f38fa247a5\
        f48ef23d8322db8ebf2531de9b2694bf04120f00dddd0a46421febe2d8479be5fa458ae85b8c55eca60d69017376ae64\
        6b6bac5184ea0296a58b1d6662bdb5437050b7bcd97836a58d5170bd9f18fdc81ea05e4b3d174c5ee226042f40b8faf2\
        b37600c552f022abe346837778f64afb4b9f9863e47e567f3e1314a928ac677f45809bca0c55e18036cda453db380aa5\
        4ed6aa5ec61232bdaa45142ca9dfce83\
    ",
    ),
    (
        RSA2048,
        "pss-sha256-sha256-20",
        MSG,
        "\
        63b120d7852415dec785a31954e302644f20d22bf5331d5e414435b09fa85e5ad70a50f3927b88e96bd8491d658b99d2\
        a503f41a062dbc1afab43a2093616757c19285e7f37681618075ba0f5ef1165775b606a72487de4235fb418902e2c491\
        6600398a5e4315ddcc0bf47b265da7cc4d6e095014adec18c1ec8a0b95acd0aae5eafa449cfe000ede8cc2b77593bc35\
        dadbd92c099bb227b460cca6a344762786682e588d28f8e00412f5efaa31fd35128b180a6bfdf21376d4efa323a60c7b\
        2a61f9377ee7eefa293c8b885fd16dcb4d524cd62e7100ec0c0727cf1ac6f1308ac9c520f32f1934fa6d922378d93f6b\
        3de9d2d6fe215598b642649de3895748\
    ",
    ),
    (
        RSA1024,
        "pss-sha256-sha256-32",
        MSG,
        "\
        bb0a0ffcf3727d19df67b96b21fed30fea3a31e122a99a0c920d95fd88cf11cb40d1492e4082ef57454d7cbe5d8e798c\
        1cf20675dd50645eebe9675b2bad8f1a076dc486c381f717f5028bc790c0c4ac925a8ad138ed4566bbebd8167eba18c0\
        847412468b78ac9bf3d654b2a4e32370592ce4f59e878f512868141ecab74fa0\
    ",
    ),
];
