//! PKI parsers fed hostile bytes: EF.SOD (CMS SignedData, LDSSecurityObject), X.509
//! certificates, CRLs, subject public keys, the BER reader's BER->DER re-encoding (which must be
//! idempotent), and a full Passive Authentication run over whatever parses.
#![no_main]

use dactyl::asn1;
use dactyl::crypto::keys::PublicKey;
use dactyl::lds::sod::Sod;
use dactyl::pki::cert::Certificate;
use dactyl::pki::crl::Crl;
use dactyl::pki::pa::PaInput;
use dactyl::pki::trust::TrustStore;
use dactyl::reader::pa::passive_authentication;
use dactyl::time::Time;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    // The shared BER reader (indefinite lengths included): DER is a fixed point of to_der.
    if let Ok(der) = asn1::to_der(data) {
        let obj = asn1::parse_exact(&der).expect("to_der output parses");
        assert!(!obj.indefinite);
        assert_eq!(asn1::to_der(&der).expect("DER re-encodes"), der);
    }
    let _ = Certificate::from_pem_or_der(data);
    let _ = Crl::from_pem_or_der(data);
    let _ = PublicKey::from_spki(data);
    if Sod::parse(data).is_ok() {
        let dgs: BTreeMap<u8, Vec<u8>> = [(1, vec![0x61, 0x00])].into();
        let input = PaInput {
            sod: data,
            data_groups: &dgs,
            com_data_groups: Some(&[1, 2]),
            issuing_state: Some("UTO"),
            dsc: None,
            now: Time {
                unix: 1_800_000_000,
            },
            require_crl: true,
        };
        assert!(!passive_authentication(&input, &TrustStore::new()).passed);
    }
});
