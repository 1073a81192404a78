//! Test credentials shared by the integration tests: the committed test CV PKI's inspection
//! system (fixtures/eac), which the fixture chips with Extended Access Control trust.

use dactyl::access::cvc::{CvSigningKey, Cvc};
use dactyl::reader::authenticity::TerminalCredentials;
use std::path::Path;

/// The DV and IS certificates and the IS key of fixtures/eac.
pub fn test_terminal() -> TerminalCredentials {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/eac");
    let cvc = |n: &str| Cvc::parse(&std::fs::read(dir.join(n)).unwrap()).unwrap();
    TerminalCredentials {
        chain: vec![cvc("dv.cvcert"), cvc("is.cvcert")],
        key: CvSigningKey::from_pkcs8_pem(&std::fs::read_to_string(dir.join("is.key")).unwrap())
            .unwrap(),
    }
}
