//! CV certificates (BSI TR-03110-3 appendix C) that dactyl generates: chains verify on every
//! curve, and each way a chain can be wrong (CAR, signature, dates, rights, roles, links, CHATs)
//! is caught. Encodings (RSA, explicit domain parameters, broken input) and real certificates
//! are in tests/cvc_formats.rs.

#[path = "common/cvc_helpers.rs"]
mod cvc_helpers;

use cvc_helpers::*;
use dactyl::access::cvc::{
    self, ChainReport, Chat, CvSigningKey, Cvc, ID_AT, ID_IS, Role, verify_chain,
};
use dactyl::crypto::ec::Curve;
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::issuance::cv_pki::{self, TestCvPki};
use dactyl::time::Date;
use dactyl::tlv;

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
