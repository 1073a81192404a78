//! Tests of `policy`.
use super::*;

#[test]
fn substitution_lists_cover_every_non_thumb_once() {
    for list in SUBSTITUTES {
        let mut codes: Vec<u8> = list.iter().map(|f| f.code()).collect();
        codes.sort_unstable();
        assert_eq!(codes, [2, 3, 4, 5, 7, 8, 9, 10]);
    }
    assert!(SUBSTITUTES[0][0].is_right() && !SUBSTITUTES[1][0].is_right());
}

#[test]
fn dates_validate_and_round_trip() {
    assert!(Date::new(2023, 2, 29).is_err());
    assert!(Date::new(2024, 2, 29).is_ok());
    assert!(Date::new(1900, 2, 29).is_err());
    assert!(Date::new(2000, 2, 29).is_ok());
    assert!(Date::parse("2024-13-01").is_err());
    assert!(Date::parse("2024-1-01").is_err());
    assert!(Date::parse("２０２４-01-01").is_err());
    assert_eq!(Date::parse("0987-06-05").unwrap().to_string(), "0987-06-05");
}
