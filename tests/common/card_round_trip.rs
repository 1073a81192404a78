//! Minutiae through a compact or normal card format (ISO/IEC 19794-2 clause 9) and back, within
//! the quantisation error of the format, for tests/minutiae.rs and tests/biometrics_garbage.rs.
#![allow(dead_code)]

use dactyl::biometrics::compact::{self, CardFormat, CardOptions};
use dactyl::biometrics::minutiae::{FingerMinutiae, Minutia};

/// The largest coordinate error in pixels of a round trip through `format`.
pub fn bound(format: CardFormat, res: u16) -> f64 {
    f64::from(res) / (2.0 * f64::from(format.units_per_cm())) + 0.5
}

/// The distance between two angles on the circle of 256 units.
pub fn circular(a: u8, b: u8) -> u8 {
    let d = a.wrapping_sub(b);
    d.min(d.wrapping_neg())
}

/// Asserts that `view` goes through `format` and back within the error bounds.
pub fn assert_round_trip(view: &FingerMinutiae, res: (u16, u16), format: CardFormat) {
    let card = compact::from_record(view, res, format, &CardOptions::default()).unwrap();
    let back = compact::to_record(&card.minutiae, format, res).unwrap();
    let kept: Vec<&Minutia> = view
        .minutiae
        .iter()
        .filter(|m| {
            let units = f64::from(format.units_per_cm());
            let max = f64::from(format.max_coordinate());
            (f64::from(m.x) * units / f64::from(res.0)).round() <= max
                && (f64::from(m.y) * units / f64::from(res.1)).round() <= max
        })
        .collect();
    assert_eq!(back.len(), kept.len());
    assert_eq!(card.out_of_range, view.minutiae.len() - kept.len());
    let max_angle = match format {
        CardFormat::Compact => 2,
        CardFormat::Normal => 0,
    };
    for (a, b) in kept.iter().zip(&back) {
        assert_eq!(a.kind, b.kind);
        assert!(
            f64::from(a.x.abs_diff(b.x)) <= bound(format, res.0),
            "{a:?} {b:?}"
        );
        assert!(
            f64::from(a.y.abs_diff(b.y)) <= bound(format, res.1),
            "{a:?} {b:?}"
        );
        assert!(circular(a.angle, b.angle) <= max_angle, "{a:?} {b:?}");
    }
}
