//! CV certificates (BSI TR-03110-3 appendix C): chains dactyl generates verify, and each way a
//! chain can be wrong is caught; real certificates (German CVCAs, the BSI EAC worked example,
//! OpenPACE's test chain) parse and verify when `../shared` has them. Those files are GPL-3.0
//! distributed and are read in place, never copied; every construct they exercise (explicit
//! domain parameters, inherited parameters, id-AT CHATs, extensions, RSA keys and signatures,
//! link-free three-level chains) is also covered here by certificates generated on the spot.

use dactyl::access::cvc::{
    self, ChainReport, Chat, CvKey, CvPublicKey, CvSigningKey, Cvc, CvcBody, ID_AT, ID_IS, Role,
    TaAlgorithm, verify_chain,
};
use dactyl::crypto::ec::Curve;
use dactyl::crypto::hash::HashAlgorithm;
use dactyl::crypto::signing_key::{KeyAlgorithm, SigningKey};
use dactyl::issuance::cv_pki::{self, TestCvPki};
use dactyl::time::Date;
use dactyl::tlv;
use std::path::PathBuf;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

const TODAY: &str = "2026-03-01";

fn today() -> Date {
    date(TODAY)
}

fn shared(name: &str) -> Option<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors/data/eac_cvc");
    match std::fs::read(dir.join(name)) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipping {name}: ../shared/vectors/data/eac_cvc not present");
            None
        }
    }
}

/// A certificate body for `holder` issued under `car`, valid `from`..`to`.
fn body(car: &str, chr: &str, key: CvPublicKey, chat: Chat, from: Date, to: Date) -> CvcBody {
    CvcBody {
        car: car.into(),
        public_key: key,
        chr: chr.into(),
        chat,
        effective: from,
        expiration: to,
        extensions: None,
    }
}

fn issue(b: &CvcBody, signer: &CvSigningKey) -> Cvc {
    Cvc::parse(&cv_pki::build(b, signer).unwrap()).unwrap()
}

fn is_chat(role: Role, dg3: bool, dg4: bool) -> Chat {
    Chat::inspection_system(role, dg3, dg4)
}

fn plus(days: i64) -> Date {
    today().plus_days(days).unwrap()
}

#[test]
fn generated_chains_verify_on_every_curve() {
    for alg in [
        KeyAlgorithm::P256,
        KeyAlgorithm::Brainpool256,
        KeyAlgorithm::P384,
        KeyAlgorithm::Brainpool384,
    ] {
        let pki = TestCvPki::generate("UT", alg, today()).unwrap();
        let r = verify_chain(&pki.cvca, &[pki.dv.clone(), pki.is.clone()], today()).unwrap();
        assert_eq!(r.path, ["UTCVCA00001", "UTDV00001", "UTIS00001"], "{alg:?}");
        assert_eq!(
            (r.role, r.read_dg3, r.read_dg4),
            (Role::Terminal, true, true)
        );
        assert_eq!(r.terminal_type, ID_IS.to_string());
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        // Only the CVCA carries domain parameters; the others inherit them.
        assert!(pki.cvca.domain().is_some());
        assert_eq!((pki.dv.domain(), pki.is.domain()), (None, None));
        assert!(pki.is.public_key(None).is_err());
        let curve = pki.cvca.domain().unwrap();
        assert!(pki.is.public_key(Some(curve)).is_ok());
        // The CVCA is self-signed; DV and IS verify under their issuers.
        assert!(pki.cvca.verify_with(&pki.cvca, None).is_ok());
        assert!(pki.dv.verify_with(&pki.cvca, None).is_ok());
        assert!(pki.is.verify_with(&pki.dv, Some(curve)).is_ok());
        // A DV-only chain is fine too: the report names the DV.
        let r = verify_chain(&pki.cvca, std::slice::from_ref(&pki.dv), today()).unwrap();
        assert_eq!(r.role, Role::DvDomestic);
        // The body round-trips through build and parse, and the IS key signs like its cert says.
        let again = issue(pki.is.body(), &pki.dv_key);
        assert_eq!(again.body(), pki.is.body());
        assert_eq!(
            pki.is_key.public_key(false).unwrap(),
            pki.is.body().public_key
        );
    }
}

#[test]
fn validity_is_inclusive_at_both_ends() {
    let pki = TestCvPki::generate("DE", KeyAlgorithm::P256, today()).unwrap();
    let chain = [pki.dv.clone(), pki.is.clone()];
    assert!(verify_chain(&pki.cvca, &chain, plus(365)).is_ok());
    let e = verify_chain(&pki.cvca, &chain, plus(366))
        .unwrap_err()
        .to_string();
    assert!(e.contains("DEDV00001") && e.contains("not valid on"), "{e}");
    let e = verify_chain(&pki.cvca, &chain, plus(-1))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("DECVCA00001") && e.contains("not valid on"),
        "{e}"
    );
}

#[test]
fn init_writes_and_loads_a_cv_pki() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cv");
    let pki = cv_pki::init_test_cv_pki(&path, "UT", KeyAlgorithm::Brainpool256).unwrap();
    for f in [
        "cvca.cvcert",
        "cvca.key",
        "dv.cvcert",
        "dv.key",
        "is.cvcert",
        "is.key",
    ] {
        assert!(path.join(f).is_file(), "{f}");
    }
    let key = std::fs::read_to_string(path.join("is.key")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{key}");
    let loaded = TestCvPki::load(&path).unwrap();
    assert_eq!(loaded.is, pki.is);
    let r = verify_chain(&loaded.cvca, &[loaded.dv, loaded.is], Date::today()).unwrap();
    assert!(r.read_dg3);
    // The loaded IS key is the one the IS certificate holds.
    assert_eq!(
        loaded.is_key.public_key(false).unwrap(),
        pki.is.body().public_key
    );
    // No overwriting, and a bad country is refused.
    assert!(cv_pki::init_test_cv_pki(&path, "UT", KeyAlgorithm::P256).is_err());
    assert!(TestCvPki::generate("Utopia", KeyAlgorithm::P256, today()).is_err());
    assert!(TestCvPki::generate("ut", KeyAlgorithm::P256, today()).is_err());
}

#[test]
fn wrong_car_is_refused() {
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    let mut b = pki.is.body().clone();
    b.car = "UTDV00002".into();
    let is = issue(&b, &pki.dv_key);
    let e = verify_chain(&pki.cvca, &[pki.dv.clone(), is], today())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("CAR UTDV00002") && e.contains("UTDV00001"),
        "{e}"
    );
    // Chain given in the wrong order: the IS's CAR does not name the CVCA.
    let e = verify_chain(&pki.cvca, &[pki.is.clone(), pki.dv.clone()], today());
    assert!(e.is_err());
}

#[test]
fn tampered_signatures_and_bodies_fail() {
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    let mut raw = pki.dv.raw().to_vec();
    let last = raw.len() - 1;
    raw[last] ^= 0x01;
    let dv = Cvc::parse(&raw).unwrap();
    let e = verify_chain(&pki.cvca, &[dv, pki.is.clone()], today())
        .unwrap_err()
        .to_string();
    assert!(e.contains("signature does not verify"), "{e}");
    // A changed right in the body (DG4 dropped from the IS CHAT byte) breaks the signature too.
    let mut raw = pki.is.raw().to_vec();
    let chat = raw
        .windows(3)
        .rposition(|w| w == [0x53, 0x01, 0x03])
        .unwrap();
    raw[chat + 2] = 0x01;
    let is = Cvc::parse(&raw).unwrap();
    assert!(!is.body().chat.reads_dg4());
    assert!(verify_chain(&pki.cvca, &[pki.dv.clone(), is], today()).is_err());
    // Signed by the wrong key (the IS signs its own certificate).
    let forged = issue(pki.is.body(), &pki.is_key);
    assert!(verify_chain(&pki.cvca, &[pki.dv.clone(), forged], today()).is_err());
    // A self-signed CVCA whose signature is broken is no trust anchor.
    let mut raw = pki.cvca.raw().to_vec();
    let last = raw.len() - 1;
    raw[last] ^= 0x80;
    let cvca = Cvc::parse(&raw).unwrap();
    assert!(verify_chain(&cvca, &[pki.dv.clone(), pki.is.clone()], today()).is_err());
}

#[test]
fn expired_and_not_yet_valid_is_certificates_fail() {
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    let key = pki.is_key.public_key(false).unwrap();
    let chat = is_chat(Role::Terminal, true, true);
    for (from, to, what) in [
        (plus(-30), plus(-1), "expired"),
        (plus(1), plus(30), "future"),
    ] {
        let is = issue(
            &body(
                "UTDV00001",
                "UTIS00002",
                key.clone(),
                chat.clone(),
                from,
                to,
            ),
            &pki.dv_key,
        );
        let e = verify_chain(&pki.cvca, &[pki.dv.clone(), is], today())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("UTIS00002: not valid on 2026-03-01"),
            "{what}: {e}"
        );
    }
}

#[test]
fn rights_narrow_along_the_chain() {
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    let dv_key = pki.dv_key.public_key(false).unwrap();
    let is_key = pki.is_key.public_key(false).unwrap();
    let chain = |dv: (bool, bool), is: (bool, bool)| -> ChainReport {
        let d = body(
            "UTCVCA00001",
            "UTDV00001",
            dv_key.clone(),
            is_chat(Role::DvDomestic, dv.0, dv.1),
            today(),
            plus(90),
        );
        let i = body(
            "UTDV00001",
            "UTIS00001",
            is_key.clone(),
            is_chat(Role::Terminal, is.0, is.1),
            today(),
            plus(30),
        );
        verify_chain(
            &pki.cvca,
            &[issue(&d, &pki.cvca_key), issue(&i, &pki.dv_key)],
            today(),
        )
        .unwrap()
    };
    // DV without the DG3 right: the IS asks for DG3 and DG4 but gets DG4 only.
    let r = chain((false, true), (true, true));
    assert_eq!(
        (r.read_dg3, r.read_dg4, r.effective_rights.clone()),
        (false, true, vec![0x02])
    );
    let r = chain((true, true), (true, false));
    assert_eq!((r.read_dg3, r.read_dg4), (true, false));
    let r = chain((false, false), (true, true));
    assert_eq!((r.read_dg3, r.read_dg4), (false, false));
    // A CVCA without DG4 limits everyone under it.
    let cvca_key = pki.cvca_key.public_key(true).unwrap();
    let cb = body(
        "UTCVCA00001",
        "UTCVCA00001",
        cvca_key,
        is_chat(Role::Cvca, true, false),
        today(),
        plus(900),
    );
    let cvca = issue(&cb, &pki.cvca_key);
    let r = verify_chain(&cvca, &[pki.dv.clone(), pki.is.clone()], today()).unwrap();
    assert_eq!((r.read_dg3, r.read_dg4), (true, false));
}

#[test]
fn roles_must_descend() {
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    let is_key = pki.is_key.public_key(false).unwrap();
    // An IS issued directly by the CVCA.
    let direct = body(
        "UTCVCA00001",
        "UTIS00009",
        is_key.clone(),
        is_chat(Role::Terminal, true, true),
        today(),
        plus(30),
    );
    let e = verify_chain(&pki.cvca, &[issue(&direct, &pki.cvca_key)], today()).unwrap_err();
    assert!(e.to_string().contains("cannot be issued by"), "{e}");
    // A DV under a DV, and anything under a terminal.
    let dv2 = body(
        "UTDV00001",
        "UTDV00002",
        is_key.clone(),
        is_chat(Role::DvForeign, true, true),
        today(),
        plus(30),
    );
    assert!(
        verify_chain(
            &pki.cvca,
            &[pki.dv.clone(), issue(&dv2, &pki.dv_key)],
            today()
        )
        .is_err()
    );
    let under_is = body(
        "UTIS00001",
        "UTIS00002",
        is_key,
        is_chat(Role::Terminal, true, true),
        today(),
        plus(30),
    );
    let chain = [
        pki.dv.clone(),
        pki.is.clone(),
        issue(&under_is, &pki.is_key),
    ];
    assert!(verify_chain(&pki.cvca, &chain, today()).is_err());
    // A trust anchor that is not a CVCA, and an empty chain.
    assert!(verify_chain(&pki.dv, std::slice::from_ref(&pki.is), today()).is_err());
    assert!(verify_chain(&pki.cvca, &[], today()).is_err());
}

#[test]
fn link_certificates_and_a_change_of_curve() {
    // CVCA 1 on P-256 certifies CVCA 2 on brainpoolP256r1, which issues DV and IS.
    let old = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    let new_key = CvSigningKey::generate(KeyAlgorithm::Brainpool256).unwrap();
    let link = body(
        "UTCVCA00001",
        "UTCVCA00002",
        new_key.public_key(true).unwrap(),
        is_chat(Role::Cvca, true, true),
        today(),
        plus(900),
    );
    let link = issue(&link, &old.cvca_key);
    assert_eq!(link.domain(), Some(Curve::BrainpoolP256r1));
    let dv_key = CvSigningKey::generate(KeyAlgorithm::Brainpool256).unwrap();
    let is_key = CvSigningKey::generate(KeyAlgorithm::Brainpool256).unwrap();
    let dv = body(
        "UTCVCA00002",
        "UTDV00002",
        dv_key.public_key(false).unwrap(),
        is_chat(Role::DvDomestic, true, true),
        today(),
        plus(90),
    );
    let is = body(
        "UTDV00002",
        "UTIS00002",
        is_key.public_key(false).unwrap(),
        is_chat(Role::Terminal, true, false),
        today(),
        plus(30),
    );
    let chain = [link.clone(), issue(&dv, &new_key), issue(&is, &dv_key)];
    let r = verify_chain(&old.cvca, &chain, today()).unwrap();
    assert_eq!(r.path.len(), 4);
    assert_eq!((r.read_dg3, r.read_dg4), (true, false));
    // The link certificate as the trust anchor: accepted as given, with a note.
    let r = verify_chain(&link, &chain[1..], today()).unwrap();
    assert!(
        r.notes.iter().any(|n| n.contains("link certificate")),
        "{:?}",
        r.notes
    );
}

#[test]
fn authentication_terminal_chats_and_extensions() {
    // id-AT chats with five-byte templates, rights ANDed byte by byte; an extension (65) kept.
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, today()).unwrap();
    let at = |t: [u8; 5]| Chat {
        terminal_type: ID_AT,
        template: t.to_vec(),
    };
    let cvca = body(
        "UTCVCA00001",
        "UTCVCA00001",
        pki.cvca_key.public_key(true).unwrap(),
        at([0xFE, 0x0F, 0x01, 0xFF, 0xFF]),
        today(),
        plus(900),
    );
    let dv = body(
        "UTCVCA00001",
        "UTDV00001",
        pki.dv_key.public_key(false).unwrap(),
        at([0x40, 0x05, 0x01, 0xFF, 0x87]),
        today(),
        plus(90),
    );
    let mut term = body(
        "UTDV00001",
        "UTAT00001",
        pki.is_key.public_key(false).unwrap(),
        at([0x00, 0x01, 0x01, 0x98, 0x04]),
        today(),
        plus(30),
    );
    let ext = [
        tlv::encode(
            0x06,
            &[0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x03, 0x01],
        ),
        tlv::encode(0x80, &[0xAB; 32]),
    ]
    .concat();
    term.extensions = Some(tlv::encode(0x73, &ext));
    let term = issue(&term, &pki.dv_key);
    assert_eq!(
        term.body().extensions.as_deref(),
        Some(&tlv::encode(0x73, &ext)[..])
    );
    let cvca = issue(&cvca, &pki.cvca_key);
    let r = verify_chain(&cvca, &[issue(&dv, &pki.cvca_key), term.clone()], today()).unwrap();
    assert_eq!(r.effective_rights, [0x00, 0x01, 0x01, 0x98, 0x04]);
    assert_eq!(r.terminal_type, ID_AT.to_string());
    assert!(!r.read_dg3, "DG3/DG4 bits belong to id-IS only");
    assert_eq!(
        cvc::verify_chain(&cvca, &[issue(&dv, &pki.cvca_key)], today())
            .unwrap()
            .role,
        Role::DvForeign
    );
    // An IS CVCA over AT certificates: the chain verifies, but grants no rights.
    let r = verify_chain(&pki.cvca, &[issue(&dv, &pki.cvca_key), term], today()).unwrap();
    assert_eq!(r.effective_rights, [0; 5]);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("different terminal types")),
        "{:?}",
        r.notes
    );
}

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
