//! The on-card fingerprint comparator: compares two templates in the ISO/IEC 19794-2:2005
//! compact card format (clause 8.2: 0.1 mm, 360/64 degrees) and returns a score that a
//! match-on-card chip (ISO/IEC 7816-11 VERIFY) compares with the threshold enrolled with the
//! reference.
//!
//! Interface: [`compare`] takes at most [`MAX_MINUTIAE`] minutiae a side (more are ignored from
//! the end), uses integer arithmetic only and constant working memory, and is deterministic.
//! A score at or above the reference's threshold is a match; [`DEFAULT_THRESHOLD`] is the
//! threshold enrolled when the issuer names none.
//!
//! This first version scores direct correspondences without alignment (a probe minutia counts
//! when a reference minutia of the same type lies within 1.5 mm and 3 angle steps); it serves the
//! card emulator until the neighbourhood matcher replaces it.

use super::compact::CardMinutia;

/// The most minutiae compared a side.
pub const MAX_MINUTIAE: usize = 60;

/// The threshold enrolled with a reference when the issuer names none.
pub const DEFAULT_THRESHOLD: u32 = 40;

/// The score of `probe` against `reference` (0 to 100; higher is more alike).
pub fn compare(reference: &[CardMinutia], probe: &[CardMinutia]) -> u32 {
    let reference = &reference[..reference.len().min(MAX_MINUTIAE)];
    let probe = &probe[..probe.len().min(MAX_MINUTIAE)];
    if reference.is_empty() || probe.is_empty() {
        return 0;
    }
    let paired = probe
        .iter()
        .filter(|p| {
            reference.iter().any(|r| {
                r.kind == p.kind
                    && r.x.abs_diff(p.x) <= 15
                    && r.y.abs_diff(p.y) <= 15
                    && angle_steps_apart(r.angle, p.angle) <= 3
            })
        })
        .count() as u32;
    paired * paired * 100 / (reference.len() as u32 * probe.len() as u32)
}

fn angle_steps_apart(a: u8, b: u8) -> u8 {
    let d = a.abs_diff(b) & 63;
    d.min(64 - d)
}
