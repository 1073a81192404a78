//! Helpers of the CV certificate tests (tests/cvc.rs, tests/cvc_formats.rs): dates around a
//! fixed day, certificate bodies issued and signed on the spot, and the real certificates of
//! `../shared` read in place when present.
#![allow(dead_code)]

use dactyl::access::cvc::{Chat, CvPublicKey, CvSigningKey, Cvc, CvcBody, Role};
use dactyl::issuance::cv_pki;
use dactyl::time::Date;
use std::path::PathBuf;

pub fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

pub const TODAY: &str = "2026-03-01";

pub fn today() -> Date {
    date(TODAY)
}

pub fn shared(name: &str) -> Option<Vec<u8>> {
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
pub fn body(car: &str, chr: &str, key: CvPublicKey, chat: Chat, from: Date, to: Date) -> CvcBody {
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

pub fn issue(b: &CvcBody, signer: &CvSigningKey) -> Cvc {
    Cvc::parse(&cv_pki::build(b, signer).unwrap()).unwrap()
}

pub fn is_chat(role: Role, dg3: bool, dg4: bool) -> Chat {
    Chat::inspection_system(role, dg3, dg4)
}

pub fn plus(days: i64) -> Date {
    today().plus_days(days).unwrap()
}
