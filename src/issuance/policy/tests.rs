//! Tests of `policy`'s internals.
use super::*;

#[test]
fn substitution_orders_cover_every_non_thumb_once() {
    for order in [
        SubstitutionOrder::RingFinger,
        SubstitutionOrder::IndexFinger,
    ] {
        for hand in [Hand::Right, Hand::Left] {
            let mut codes: Vec<u8> = order.substitutes(hand).iter().map(|f| f.code()).collect();
            codes.sort_unstable();
            assert_eq!(codes, [2, 3, 4, 5, 7, 8, 9, 10]);
            assert_eq!(order.substitutes(hand)[0].hand(), hand);
        }
    }
    assert_eq!(
        SubstitutionOrder::RingFinger.substitutes(Hand::Left)[..2],
        [FingerPosition::LeftRing, FingerPosition::RightRing]
    );
}

#[test]
fn every_assumption_a_decision_names_is_listed() {
    let names: Vec<&str> = ASSUMPTIONS.iter().map(|a| a.0).collect();
    for name in [
        "feb-29",
        "one-hand",
        "one-hand-without-patterns",
        "past-the-ring-fingers",
        "one-usable-finger",
        "immigrant-is-non-citizen",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    assert_eq!(IN_FORCE_FROM, Date::new(2021, 1, 1).unwrap());
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
