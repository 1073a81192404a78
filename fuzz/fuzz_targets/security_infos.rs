//! SecurityInfos (EF.CardAccess, EF.CardSecurity, DG14) and DG15 fed hostile bytes; whatever
//! parses must encode without panicking.
#![no_main]

use dactyl::lds::dg15::Dg15;
use dactyl::lds::security_infos::{SecurityInfos, card_security, dg14};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(infos) = SecurityInfos::parse(data) {
        let _ = infos.encode();
        let _ = infos.pace_infos().count();
        let _ = infos.ca_public_keys().count();
    }
    let _ = dg14(data);
    let _ = card_security(data);
    let _ = Dg15::parse(data);
});
