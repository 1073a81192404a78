//! The issuing side under attack: an applicant record as JSON (ISO/IEC 8859-free text the clerk's
//! system hands over: parsing, the field checks, the MRZ it builds, ICAO Doc 9303-3/-4/-5), and a
//! blank chip (ISO/IEC 7816-9 CREATE FILE, ISO/IEC 7816-4 UPDATE BINARY and PUT DATA, the lock)
//! fed any sequence of APDUs. Invariants: nothing panics; a chip that is not locked answers no
//! READ BINARY but EF.ATR/INFO's with data.
#![no_main]

use dactyl::emulator::perso::{BlankChip, PersoChip, PersoState};
use dactyl::issuance::applicant::ApplicantRecord;
use dactyl::time::Date;
use dactyl::transport::CardSide;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        if let Ok(text) = std::str::from_utf8(rest)
            && let Ok(record) = ApplicantRecord::from_json(text)
        {
            let _ = record.check(Date::new(2026, 11, 1).expect("date"));
            let _ = record.mrz();
            let _ = record.policy_applicant();
        }
        return;
    }
    let blank = if mode & 2 == 0 {
        BlankChip::default()
    } else {
        BlankChip::from_json(r#"{"profile": "jmrtd-applet"}"#).expect("blank")
    };
    let mut chip = PersoChip::new(blank).expect("blank chip");
    chip.reset();
    // APDUs, each preceded by its length (one byte).
    let mut rest = rest;
    while let Some((&len, tail)) = rest.split_first() {
        let n = usize::from(len).min(tail.len());
        let (apdu, next) = tail.split_at(n);
        rest = next;
        let answer = chip.process(apdu);
        if chip.state() != PersoState::Locked
            && apdu.get(1).is_some_and(|ins| *ins == 0xB0 || *ins == 0xB1)
            && answer.len() > 2
        {
            // Only EF.ATR/INFO is readable before the lock (its 7F66 object).
            assert_eq!(answer.first(), Some(&0x7F), "{apdu:02X?} -> {answer:02X?}");
        }
    }
});
