//! Helpers shared by tests/ca_aa.rs and tests/aa.rs: hex, the BSI reference passport's files,
//! CA protocol OIDs, secure messaging sessions from hex keys, a P-256 CA chip, a DG15's key.

use dactyl::access::ca::{CaChip, CaDomain, CaVersion};
use dactyl::asn1;
use dactyl::crypto::ec::Curve;
use dactyl::crypto::keys::PublicKey;
use dactyl::oids::{CaProtocol, Cipher, KeyAgreement};
use dactyl::sm::{SecureMessaging, Suite};
use der::asn1::ObjectIdentifier;

pub fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

pub fn hx(b: &[u8]) -> String {
    hex::encode_upper(b)
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/chips/bsi_passport/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

pub fn ca_oid(agreement: KeyAgreement, cipher: Cipher) -> ObjectIdentifier {
    CaProtocol {
        agreement,
        cipher: Some(cipher),
    }
    .oid()
}

pub fn sm(suite: Suite, enc: &str, mac: &str, ssc: &str) -> SecureMessaging {
    SecureMessaging::new(suite, &h(enc), &h(mac), &h(ssc)).unwrap()
}

pub fn p256_chip(version: CaVersion, cipher: Cipher) -> CaChip {
    let d = CaDomain::Ec(Curve::P256);
    CaChip::new(
        d.clone(),
        &d.random_private_key().unwrap(),
        ca_oid(KeyAgreement::Ecdh, cipher),
        version,
        None,
    )
    .unwrap()
}

pub fn dg15_key(dg15: &[u8]) -> PublicKey {
    let outer = asn1::parse_exact(dg15).unwrap();
    PublicKey::from_spki_object(&outer.reader().required("spki").unwrap()).unwrap()
}
