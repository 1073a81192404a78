//! Command and response APDU parsing (ISO/IEC 7816-4 clause 5.1): no input panics, and a parsed
//! command encodes and parses back to itself.
#![no_main]

use dactyl::apdu::{Command, Response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cmd) = Command::parse(data) {
        let bytes = cmd.to_bytes().expect("a parsed command encodes");
        assert_eq!(Command::parse(&bytes).expect("re-parse"), cmd);
    }
    if let Ok(resp) = Response::parse(data) {
        assert_eq!(resp.to_bytes(), data);
    }
});
