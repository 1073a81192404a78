//! Command and response APDU parsing (ISO/IEC 7816-4 clause 5.1): no input panics, and a parsed
//! command encodes and parses back to itself; the chip's parsers of the personalization commands
//! (CREATE FILE, UPDATE BINARY, PUT DATA) take every parsed command, and what they accept
//! encodes back to a command they accept alike.
#![no_main]

use dactyl::apdu::{Command, Response};
use dactyl::iso7816::perso::{CreateFile, PutData, UpdateBinary};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cmd) = Command::parse(data) {
        let bytes = cmd.to_bytes().expect("a parsed command encodes");
        assert_eq!(Command::parse(&bytes).expect("re-parse"), cmd);
        if let Ok(c) = CreateFile::parse(&cmd) {
            assert_eq!(CreateFile::parse(&c.command()), Ok(c));
        }
        if let Ok(u) = UpdateBinary::parse(&cmd) {
            let again = u.command().expect("an accepted update encodes");
            assert_eq!(UpdateBinary::parse(&again), Ok(u));
        }
        if let Ok(p) = PutData::parse(&cmd) {
            if let Ok(again) = p.command() {
                assert_eq!(PutData::parse(&again), Ok(p));
            }
        }
    }
    if let Ok(resp) = Response::parse(data) {
        assert_eq!(resp.to_bytes(), data);
    }
});
