//! CV certificate encodings (BSI TR-03110-3 appendix C, public keys per D.3): RSA keys and
//! signatures, explicit domain parameters, truncated and garbled input; and real certificates
//! (German CVCAs, the BSI EAC worked example, OpenPACE's test chain), which parse and verify
//! when `../shared` has them. Those files are GPL-3.0 distributed and are read in place, never
//! copied; every construct they exercise is also covered by certificates generated on the spot.

#[path = "common/cvc_helpers.rs"]
mod cvc_helpers;

use cvc_helpers::*;
use dactyl::access::cvc::{CvKey, CvSigningKey, Cvc, Role, TaAlgorithm, verify_chain};
use dactyl::crypto::ec::Curve;
use dactyl::crypto::hash::HashAlgorithm;
use dactyl::crypto::signing_key::{KeyAlgorithm, SigningKey};
use dactyl::issuance::cv_pki::{self, TestCvPki};
use dactyl::tlv;

/// Re-signs a certificate's body with RSASSA-PKCS1-v1_5 over SHA-1 (for a test the library's
/// own signer does not cover: it signs RSA with PSS).
fn resign_pkcs1_sha1(cert: &Cvc, key: &rsa::RsaPrivateKey) -> Cvc {
    let hash = HashAlgorithm::Sha1;
    let mut em = hash.pkcs1_digest_info_prefix();
    em.extend(hash.digest(cert.signed_bytes()));
    let sig = key.sign(rsa::Pkcs1v15Sign::new_unprefixed(), &em).unwrap();
    let raw = tlv::encode(
        0x7F21,
        &[cert.signed_bytes().to_vec(), tlv::encode(0x5F37, &sig)].concat(),
    );
    Cvc::parse(&raw).unwrap()
}

#[test]
fn rsa_keys_and_signatures() {
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    let rsa_key = rsa::RsaPrivateKey::new(&mut rng, 1024).unwrap();
    let cvca_key = CvSigningKey::from_signing_key(SigningKey::Rsa(Box::new(rsa_key.clone())));
    assert_eq!(
        cvca_key.algorithm(),
        TaAlgorithm::RsaPss(HashAlgorithm::Sha256)
    );
    // RSA-PSS CVCA; the EC DV carries its own domain parameters, which the IS inherits.
    let dv_key = CvSigningKey::generate(KeyAlgorithm::P256).unwrap();
    let is_key = CvSigningKey::generate(KeyAlgorithm::P256).unwrap();
    let cvca = body(
        "UTCVCA00001",
        "UTCVCA00001",
        cvca_key.public_key(true).unwrap(),
        is_chat(Role::Cvca, true, true),
        today(),
        plus(900),
    );
    let dv = body(
        "UTCVCA00001",
        "UTDV00001",
        dv_key.public_key(true).unwrap(),
        is_chat(Role::DvDomestic, true, true),
        today(),
        plus(90),
    );
    let is = body(
        "UTDV00001",
        "UTIS00001",
        is_key.public_key(false).unwrap(),
        is_chat(Role::Terminal, true, true),
        today(),
        plus(30),
    );
    let (cvca_c, dv_c, is_c) = (
        issue(&cvca, &cvca_key),
        issue(&dv, &cvca_key),
        issue(&is, &dv_key),
    );
    assert!(matches!(cvca_c.body().public_key.key, CvKey::Rsa { .. }));
    assert_eq!(dv_c.domain(), Some(Curve::P256));
    let r = verify_chain(&cvca_c, &[dv_c, is_c.clone()], today()).unwrap();
    assert!(r.read_dg3);
    // The same CVCA key as id-TA-RSA-v1-5-SHA-1 (the BSI worked example's DH chain uses it).
    let mut v15 = cvca.clone();
    v15.public_key.algorithm = TaAlgorithm::RsaPkcs1(HashAlgorithm::Sha1);
    let cvca15 = resign_pkcs1_sha1(&issue(&v15, &cvca_key), &rsa_key);
    let dv15 = resign_pkcs1_sha1(&issue(&dv, &cvca_key), &rsa_key);
    let r = verify_chain(&cvca15, &[dv15.clone(), is_c.clone()], today()).unwrap();
    assert!(r.read_dg4);
    // A PSS signature under a v1.5 key fails, and so does v1.5 under PSS.
    assert!(verify_chain(&cvca15, &[issue(&dv, &cvca_key), is_c.clone()], today()).is_err());
    assert!(verify_chain(&cvca_c, &[dv15, is_c], today()).is_err());
}

#[test]
fn explicit_domain_parameters_must_name_a_known_curve() {
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    let raw = pki.cvca.raw();
    let replace_field = |tag: u8, f: &dyn Fn(&mut Vec<u8>)| -> Vec<u8> {
        // The fields 81..87 sit in 7F49; rebuild the certificate with one value changed.
        let outer = tlv::Tlv::parse_exact(raw).unwrap();
        let body = outer.require(0x7F4E).unwrap();
        let sig = outer.require(0x5F37).unwrap();
        let mut new_body = Vec::new();
        for c in body.children() {
            let c = c.unwrap();
            if c.tag == 0x7F49 {
                let mut key = Vec::new();
                for k in c.children() {
                    let k = k.unwrap();
                    let mut v = k.value.to_vec();
                    if k.tag == u32::from(tag) {
                        f(&mut v);
                    }
                    key.extend(tlv::encode(k.tag, &v));
                }
                new_body.extend(tlv::encode(0x7F49, &key));
            } else {
                new_body.extend_from_slice(c.raw);
            }
        }
        tlv::encode(
            0x7F21,
            &[tlv::encode(0x7F4E, &new_body), sig.raw.to_vec()].concat(),
        )
    };
    assert_eq!(Cvc::parse(&replace_field(0x81, &|_| {})).unwrap(), pki.cvca);
    for (tag, what) in [
        (0x81, "p"),
        (0x82, "a"),
        (0x83, "b"),
        (0x85, "n"),
        (0x84, "G"),
        (0x86, "point"),
    ] {
        let bad = replace_field(tag, &|v| {
            let last = v.len() - 1;
            v[last] ^= 0x01;
        });
        assert!(Cvc::parse(&bad).is_err(), "changed {what}");
    }
    let cofactor = replace_field(0x87, &|v| *v = vec![0x02]);
    assert!(
        Cvc::parse(&cofactor)
            .unwrap_err()
            .to_string()
            .contains("cofactor")
    );
    // Leading zeros on a parameter are harmless.
    let padded = replace_field(0x82, &|v| v.insert(0, 0));
    assert!(Cvc::parse(&padded).is_ok());
}

#[test]
fn truncated_and_garbled_inputs_are_errors_not_panics() {
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    for cert in [&pki.cvca, &pki.dv, &pki.is] {
        let raw = cert.raw();
        for n in 0..raw.len() {
            assert!(Cvc::parse(&raw[..n]).is_err(), "prefix of {n} bytes");
        }
        let mut extended = raw.to_vec();
        extended.push(0);
        assert!(Cvc::parse(&extended).is_err());
        // Every single-byte change fails to parse or to verify.
        let chain = |c: Cvc| -> bool {
            let mut chain = vec![pki.dv.clone(), pki.is.clone()];
            if c.chr() == "UTCVCA00001" {
                return verify_chain(&c, &chain, today()).is_ok();
            }
            let i = if c.role() == Role::Terminal { 1 } else { 0 };
            chain[i] = c;
            verify_chain(&pki.cvca, &chain, today()).is_ok()
        };
        for i in 0..raw.len() {
            for flip in [0x01, 0x80, 0xFF] {
                let mut bad = raw.to_vec();
                bad[i] ^= flip;
                if let Ok(c) = Cvc::parse(&bad) {
                    // A trust anchor is trusted as given: only its self-signature is checked, so
                    // a changed CAR turns it into a "link certificate" taken on trust.
                    let anchor_car = std::ptr::eq(cert, &pki.cvca) && !c.is_self_signed();
                    assert!(
                        anchor_car || !chain(c),
                        "byte {i} ^ {flip:02X} still verifies"
                    );
                }
            }
        }
    }
    // Pseudo-random garbage, and garbage behind a plausible header.
    let mut x: u32 = 0x1234_5678;
    for len in 0..400 {
        let mut g: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        let _ = Cvc::parse(&g);
        if len > 8 {
            g.splice(0..4, [0x7F, 0x21, 0x81, (len - 4).min(255) as u8]);
            let _ = Cvc::parse(&g);
        }
    }
    for bad in [
        &[][..],
        &[0x7F, 0x21, 0x00],
        &[0x7F, 0x21, 0x84, 0xFF, 0xFF, 0xFF, 0xFF],
    ] {
        assert!(Cvc::parse(bad).is_err());
    }
    // An algorithm TR-03110 gives no object identifier cannot be encoded.
    let mut b = pki.is.body().clone();
    b.public_key.algorithm = TaAlgorithm::RsaPkcs1(HashAlgorithm::Sha384);
    assert!(cv_pki::build(&b, &pki.dv_key).is_err());
    // Dates that are not BCD digits or not a calendar day.
    let mut b = pki.is.body().clone();
    b.expiration = date("2100-01-01");
    assert!(cv_pki::build(&b, &pki.dv_key).is_err());
    b.expiration = plus(30);
    b.chr = "UT\u{e9}IS".into();
    assert!(cv_pki::build(&b, &pki.dv_key).is_err());
    let raw = pki.is.raw();
    let at = raw
        .windows(3)
        .rposition(|w| w == [0x5F, 0x24, 0x06])
        .unwrap()
        + 3;
    let with_expiry = |d: [u8; 6]| {
        let mut r = raw.to_vec();
        r[at..at + 6].copy_from_slice(&d);
        Cvc::parse(&r)
    };
    let leap = with_expiry([2, 8, 0, 2, 2, 9]).unwrap();
    assert_eq!(leap.body().expiration, date("2028-02-29"));
    for d in [
        [0, 0, 1, 3, 0, 1],                   // month 13
        [0, 0, 0, 0, 0, 1],                   // month 0
        [0, 0, 0, 1, 0, 0],                   // day 0
        [0, 0, 0, 2, 3, 0],                   // 30 February
        [2, 7, 0, 2, 2, 9],                   // 29 February of a common year
        [0, 0, 0, 1, 0, 0x0A],                // not a digit
        [0x32, 0x36, 0x30, 0x31, 0x30, 0x31], // ASCII digits, not unpacked BCD
    ] {
        assert!(with_expiry(d).is_err(), "{d:?}");
    }
}

#[test]
fn real_german_cvca_certificates_parse_and_self_verify() {
    for (name, chr, ty) in [
        (
            "DECVCAEPASS00102.cvcert",
            "DECVCAEPASS00102",
            "0.4.0.127.0.7.3.1.2.1",
        ),
        (
            "DECVCAeID00102.cvcert",
            "DECVCAeID00102",
            "0.4.0.127.0.7.3.1.2.2",
        ),
        (
            "DECVCAeSign00102.cvcert",
            "DECVCAeSign00102",
            "0.4.0.127.0.7.3.1.2.3",
        ),
    ] {
        let Some(raw) = shared(name) else { return };
        let c = Cvc::parse(&raw).unwrap();
        assert_eq!(c.raw(), &raw[..]);
        assert_eq!((c.car(), c.chr(), c.role()), (chr, chr, Role::Cvca));
        assert_eq!(c.body().chat.terminal_type.to_string(), ty);
        assert_eq!(c.domain(), Some(Curve::BrainpoolP256r1));
        assert_eq!(
            c.body().public_key.algorithm,
            TaAlgorithm::Ecdsa(HashAlgorithm::Sha256)
        );
        c.verify_with(&c, None).unwrap();
        assert!(c.valid_on(date("2012-01-01")) && !c.valid_on(date("2017-01-01")));
        if name.contains("EPASS") {
            // The German ePassport CVCA grants DG3 (fingerprints), not DG4 (iris).
            assert!(c.body().chat.reads_dg3() && !c.body().chat.reads_dg4());
            assert_eq!(
                (c.body().effective, c.body().expiration),
                (date("2010-10-18"), date("2013-10-18"))
            );
        }
    }
}

#[test]
fn bsi_eac_worked_example_chains() {
    let load = |n: &str| shared(n).map(|b| Cvc::parse(&b).unwrap());
    // ECDH: brainpoolP512r1 with explicit parameters in the CVCA, ECDSA-SHA-512; an id-IS CVCA
    // above id-AT DV and terminal certificates.
    let (Some(cvca), Some(dv), Some(term)) = (
        load("BSI_EACWE_ECDH_CVCA.cvcert"),
        load("BSI_EACWE_ECDH_DV.cvcert"),
        load("BSI_EACWE_ECDH_Terminal.cvcert"),
    ) else {
        return;
    };
    assert_eq!(cvca.domain(), Some(Curve::BrainpoolP512r1));
    assert_eq!(
        cvca.body().public_key.algorithm,
        TaAlgorithm::Ecdsa(HashAlgorithm::Sha512)
    );
    let r = verify_chain(&cvca, &[dv.clone(), term.clone()], date("2010-10-15")).unwrap();
    assert_eq!(r.path, ["DECVCAAT00001", "DETESTDVDE019", "DETESTATDE019"]);
    assert_eq!(r.role, Role::Terminal);
    assert_eq!(
        r.effective_rights, [0; 5],
        "mixed terminal types grant nothing"
    );
    assert!(!r.notes.is_empty());
    assert!(verify_chain(&cvca, &[dv.clone(), term.clone()], date("2010-11-01")).is_err());
    let mut raw = term.raw().to_vec();
    let n = raw.len();
    raw[n - 5] ^= 0x10;
    assert!(verify_chain(&cvca, &[dv, Cvc::parse(&raw).unwrap()], date("2010-10-15")).is_err());
    // DH: RSA v1.5 SHA-1 keys (1024 bits) throughout.
    let (Some(cvca), Some(dv), Some(term)) = (
        load("BSI_EACWE_DH_CVCA.cvcert"),
        load("BSI_EACWE_DH_DV.cvcert"),
        load("BSI_EACWE_DH_Terminal.cvcert"),
    ) else {
        return;
    };
    assert_eq!(
        cvca.body().public_key.algorithm,
        TaAlgorithm::RsaPkcs1(HashAlgorithm::Sha1)
    );
    let r = verify_chain(&cvca, &[dv, term], date("2010-04-01")).unwrap();
    assert_eq!(r.holder, "DETESTATDE019");
}

#[test]
fn openpace_eid_chain_under_the_real_german_eid_cvca() {
    // DECVCAeID00102 -> a foreign (non-official) eID DV -> an authentication terminal whose
    // certificate carries an extension; all id-AT, so the rights are ANDed.
    let load = |n: &str| shared(n).map(|b| Cvc::parse(&b).unwrap());
    let (Some(cvca), Some(dv), Some(term)) = (
        load("DECVCAeID00102.cvcert"),
        load("openpace_kba_DV.cvcert"),
        load("openpace_kba_Terminal.cvcert"),
    ) else {
        return;
    };
    assert!(term.body().extensions.is_some());
    let r = verify_chain(&cvca, &[dv.clone(), term], date("2011-09-22")).unwrap();
    assert_eq!(r.effective_rights, [0x00, 0x01, 0x01, 0x98, 0x04]);
    assert_eq!(dv.role(), Role::DvForeign);
    // Every file in the folder parses or fails cleanly (requests and descriptions are not
    // certificates); the other certificate has an extension and no issuer here.
    for name in [
        "openpace_cvc1.cvcert",
        "openpace_req_18102010.cvreq",
        "openpace_csr_with_outer_sig.cvreq",
        "openpace_cvc1_description.bin",
        "openpace_kba_description.bin",
    ] {
        let Some(raw) = shared(name) else { return };
        assert_eq!(
            Cvc::parse(&raw).is_ok(),
            name.ends_with(".cvcert"),
            "{name}"
        );
    }
}
