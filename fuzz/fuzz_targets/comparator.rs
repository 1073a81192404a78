//! The on-card comparator fed hostile templates: the first byte splits the input into a
//! reference and a probe in the compact card format (whole minutiae only); `compare` must not
//! panic, must stay within 0..=100 and must give the same score twice.
#![no_main]

use dactyl::biometrics::compact::{CardFormat, decode};
use dactyl::biometrics::comparator::compare;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let cut = (usize::from(split) * 3).min(rest.len());
    let (a, b) = rest.split_at(cut);
    let whole = |s: &[u8]| s.len() - s.len() % 3;
    let (Ok(reference), Ok(probe)) = (
        decode(CardFormat::Compact, &a[..whole(a)]),
        decode(CardFormat::Compact, &b[..whole(b)]),
    ) else {
        return;
    };
    let score = compare(&reference, &probe);
    assert!(score <= 100);
    assert_eq!(compare(&reference, &probe), score);
});
