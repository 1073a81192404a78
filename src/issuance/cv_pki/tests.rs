//! Certificates built and signed with each of the eleven id-TA-* algorithms.

use super::*;
use crate::access::cvc::{TA_ALGORITHMS, signature_algorithm};
use crate::crypto::signature::{self, verify_ecdsa_plain};
use crate::crypto::signing_key::SigningKey;

/// Every id-TA-* algorithm signs a self-signed CVCA certificate that verifies, and a
/// terminal's message that verifies under the certificate's key.
#[test]
fn the_eleven_ta_algorithms_sign_certificates_and_messages() {
    let rsa_pem = SigningKey::generate_rsa(2048)
        .unwrap()
        .to_pkcs8_pem()
        .unwrap();
    let today = Date::new(2030, 1, 1).unwrap();
    for (_, algorithm) in TA_ALGORITHMS {
        let key = if matches!(algorithm, TaAlgorithm::Ecdsa(_)) {
            CvSigningKey::generate_for(algorithm).unwrap()
        } else {
            CvSigningKey::from_pkcs8_pem(&rsa_pem)
                .unwrap()
                .with_algorithm(algorithm)
                .unwrap()
        };
        assert_eq!(key.algorithm(), algorithm);
        let body = CvcBody {
            car: "UTCVCA00001".into(),
            public_key: key.public_key(true).unwrap(),
            chr: "UTCVCA00001".into(),
            chat: Chat::inspection_system(Role::Cvca, true, true),
            effective: today,
            expiration: today.plus_days(30).unwrap(),
            extensions: None,
        };
        let cvca = Cvc::parse(&build(&body, &key).unwrap()).unwrap();
        assert_eq!(cvca.body().public_key.algorithm, algorithm);
        cvca.verify_with(&cvca, cvca.domain())
            .unwrap_or_else(|e| panic!("{algorithm:?}: {e}"));
        let message = b"ID_PICC || r_PICC || Comp(PK_PCD)";
        let sig = key.sign(message).unwrap();
        let public = cvca.public_key(None).unwrap();
        let checked = match algorithm {
            TaAlgorithm::Ecdsa(h) => {
                let curve = key.signing_key().curve().unwrap();
                assert_eq!(sig.len(), 2 * curve.field_len(), "{algorithm:?}");
                verify_ecdsa_plain(&public, h, message, &sig)
            }
            _ => signature::verify(&public, &signature_algorithm(algorithm), message, &sig),
        };
        checked.unwrap_or_else(|e| panic!("{algorithm:?}: {e}"));
    }
}
