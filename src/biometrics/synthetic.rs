//! Seeded synthetic fingerprint impressions for testing and benchmarking the on-card comparator
//! ([`crate::biometrics::comparator`]) on minutiae in the ISO/IEC 19794-2 compact card format
//! (clause 8.2).
//!
//! A [`Finger`] is a master set of minutiae in 0.1 mm units. [`impression`] makes one seeded
//! capture of it: a global rotation about the minutiae's centre and a translation, a smooth
//! non-linear distortion (three rational bumps of displacement, each moving the skin by up to
//! [`Capture::warp_mm`] and turning minutiae by the field's local rotation), positional jitter of
//! up to one card unit and angle jitter, dropout of a random fraction of minutiae, spurious
//! minutiae at random places, ending/bifurcation swaps; a capture that the translation pushed
//! off the card's 0..=255 range is shifted back in (the sensor frames the finger) when it fits,
//! then quantised to card units and cropped; the order of the minutiae is shuffled.
//!
//! Real fingers come from real 19794-2 records ([`Finger::from_view`]). Since the public samples
//! hold only a handful of distinct fingers, [`synthetic_finger`] derives new ones: a count of
//! minutiae (0.8 to 1.2 times the real one's, so the same density) placed independently and uniformly (at least 0.8 mm apart) in the area of a real
//! template, each taking the ridge orientation of the nearest minutia of that template with a
//! random sense and noise, a random type, optionally mirrored and turned by up to 20 degrees.
//!
//! **What this models**: capture variation of one finger (placement, rotation up to the stated
//! limits, elastic skin distortion of about a millimetre, extractor noise, missed and false
//! minutiae, type confusion, partial overlap after cropping) and impostors whose minutiae have
//! the density and orientation structure of real fingers. **What it does not model**: real
//! populations (pattern class frequencies, twins, related fingers), low-quality captures, large
//! distortion or very small overlap, correlated extractor errors, the real minutiae layout
//! around cores and deltas. Figures measured on it are not real-world accuracy claims.
//!
//! Randomness is a SplitMix64 generator ([`Rng`]) and all arithmetic is basic IEEE operations
//! (trigonometry by series written here), so a seed gives the same output on every platform.

use super::compact::{self, CardFormat, CardMinutia, CardOptions};
use super::minutiae::{FingerMinutiae, Minutia, MinutiaType, MinutiaeRecord};
use crate::error::{Error, Result};

/// A small seeded pseudo-random generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in [-`m`, `m`).
    pub fn sym(&mut self, m: f64) -> f64 {
        (self.unit() * 2.0 - 1.0) * m
    }

    /// A number in 0..`n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const TURN: f64 = std::f64::consts::TAU;

/// sin and cos of `a` radians by Taylor series after reduction to [-pi, pi] (deterministic).
fn sin_cos(a: f64) -> (f64, f64) {
    let mut x = a % TURN;
    if x > std::f64::consts::PI {
        x -= TURN;
    } else if x < -std::f64::consts::PI {
        x += TURN;
    }
    let (mut s, mut c) = (0.0, 0.0);
    let (mut ts, mut tc) = (x, 1.0);
    for k in 0..15 {
        s += ts;
        c += tc;
        let n = 2.0 * f64::from(k);
        ts *= -x * x / ((n + 2.0) * (n + 3.0));
        tc *= -x * x / ((n + 1.0) * (n + 2.0));
    }
    (s, c)
}

/// A minutia of a master finger or impression: position in 0.1 mm with y pointing UP (the
/// record's y negated), direction in radians counter-clockwise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// x, 0.1 mm.
    pub x: f64,
    /// y, 0.1 mm, pointing up.
    pub y: f64,
    /// Direction, radians.
    pub angle: f64,
    /// Type.
    pub kind: MinutiaType,
    /// Quality as a record gives it (0: none).
    pub quality: u8,
}

/// A finger: its master minutiae.
#[derive(Clone, Debug, PartialEq)]
pub struct Finger {
    /// The minutiae.
    pub minutiae: Vec<Point>,
}

impl Finger {
    /// The minutiae of a record's view at `resolution` pixels per cm.
    pub fn from_view(view: &FingerMinutiae, resolution: (u16, u16)) -> Result<Finger> {
        let (rx, ry) = checked(resolution)?;
        let minutiae = view
            .minutiae
            .iter()
            .map(|m| Point {
                x: f64::from(m.x) * 100.0 / rx,
                y: -f64::from(m.y) * 100.0 / ry,
                angle: f64::from(m.angle) * TURN / 256.0,
                kind: m.kind,
                quality: m.quality,
            })
            .collect();
        Ok(Finger { minutiae })
    }

    /// The minutiae of a compact card template.
    pub fn from_card(minutiae: &[CardMinutia]) -> Finger {
        let minutiae = minutiae
            .iter()
            .map(|m| Point {
                x: f64::from(m.x),
                y: -f64::from(m.y),
                angle: f64::from(m.angle) * TURN / 64.0,
                kind: m.kind,
                quality: 0,
            })
            .collect();
        Finger { minutiae }
    }

    fn centre(&self) -> (f64, f64) {
        let n = self.minutiae.len().max(1) as f64;
        let sx: f64 = self.minutiae.iter().map(|p| p.x).sum();
        let sy: f64 = self.minutiae.iter().map(|p| p.y).sum();
        (sx / n, sy / n)
    }

    fn bounds(&self) -> (f64, f64, f64, f64) {
        let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in &self.minutiae {
            b = (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x), b.3.max(p.y));
        }
        if self.minutiae.is_empty() {
            (0.0, 0.0, 0.0, 0.0)
        } else {
            b
        }
    }
}

fn checked(resolution: (u16, u16)) -> Result<(f64, f64)> {
    match resolution {
        (0, _) | (_, 0) => Err(Error::Lds(format!(
            "resolution {}x{} pixels per cm cannot scale minutiae",
            resolution.0, resolution.1
        ))),
        (x, y) => Ok((f64::from(x), f64::from(y))),
    }
}

/// How far one capture may differ from the master finger (each impression draws its own values
/// uniformly up to these limits).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Capture {
    /// Largest rotation, degrees either way.
    pub rotation_deg: f64,
    /// Largest shift on each axis, mm either way.
    pub shift_mm: f64,
    /// Largest displacement of each of the three distortion bumps, mm.
    pub warp_mm: f64,
    /// Positional jitter, 0.1 mm either way.
    pub jitter: f64,
    /// Angle jitter, degrees either way.
    pub angle_jitter_deg: f64,
    /// Largest fraction of minutiae missed.
    pub dropout: f64,
    /// Largest number of spurious minutiae, as a fraction of the master's count.
    pub spurious: f64,
    /// Probability that an ending and a bifurcation swap types.
    pub type_flip: f64,
}

impl Capture {
    /// A live capture at the border: up to 30 degrees, 5 mm, 1 mm of distortion, 20 % missed,
    /// 10 % spurious, 10 % type swaps.
    pub const PROBE: Capture = Capture {
        rotation_deg: 30.0,
        shift_mm: 5.0,
        warp_mm: 1.0,
        jitter: 1.0,
        angle_jitter_deg: 5.625,
        dropout: 0.2,
        spurious: 0.1,
        type_flip: 0.1,
    };

    /// A careful capture at enrolment: no placement change, 0.5 mm of distortion, 10 % missed,
    /// 5 % spurious, 5 % type swaps.
    pub const ENROLMENT: Capture = Capture {
        rotation_deg: 0.0,
        shift_mm: 0.0,
        warp_mm: 0.5,
        jitter: 1.0,
        angle_jitter_deg: 5.625,
        dropout: 0.1,
        spurious: 0.05,
        type_flip: 0.05,
    };
}

/// A smooth displacement field: bumps (centre, radius, displacement) of shape 1/(1+r^2/s^2)^2.
struct Warp([(f64, f64, f64, f64, f64); 3]);

impl Warp {
    fn new(f: &Finger, max: f64, rng: &mut Rng) -> Warp {
        let (x0, y0, x1, y1) = f.bounds();
        let mut bump = || {
            let (s, c) = sin_cos(rng.unit() * TURN);
            let m = rng.unit() * max;
            (
                x0 + rng.unit() * (x1 - x0),
                y0 + rng.unit() * (y1 - y0),
                40.0 + rng.unit() * 40.0,
                m * c,
                m * s,
            )
        };
        Warp([bump(), bump(), bump()])
    }

    fn at(&self, x: f64, y: f64) -> (f64, f64) {
        let (mut dx, mut dy) = (0.0, 0.0);
        for &(cx, cy, s, vx, vy) in &self.0 {
            let r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (s * s);
            let w = 1.0 / ((1.0 + r2) * (1.0 + r2));
            dx += vx * w;
            dy += vy * w;
        }
        (dx, dy)
    }

    /// The displaced point and the local rotation of the field there (radians).
    fn apply(&self, x: f64, y: f64) -> (f64, f64, f64) {
        let (dx, dy) = self.at(x, y);
        let h = 1.0;
        let (_, dyx) = self.at(x + h, y);
        let (dxy, _) = self.at(x, y + h);
        let curl = ((dyx - dy) - (dxy - dx)) / (2.0 * h);
        (x + dx, y + dy, curl)
    }
}

fn flip(kind: MinutiaType) -> MinutiaType {
    match kind {
        MinutiaType::Ending => MinutiaType::Bifurcation,
        MinutiaType::Bifurcation => MinutiaType::Ending,
        k => k,
    }
}

/// One seeded capture of `finger`, as master-frame points (0.1 mm, y up); not cropped.
pub fn impression_points(finger: &Finger, capture: &Capture, rng: &mut Rng) -> Vec<Point> {
    let (cx, cy) = finger.centre();
    let (x0, y0, x1, y1) = finger.bounds();
    let warp = Warp::new(finger, capture.warp_mm * 10.0, rng);
    let theta = rng.sym(capture.rotation_deg).to_radians();
    let (s, c) = sin_cos(theta);
    let (tx, ty) = (
        rng.sym(capture.shift_mm * 10.0),
        rng.sym(capture.shift_mm * 10.0),
    );
    let dropout = rng.unit() * capture.dropout;
    let spurious = (rng.unit() * capture.spurious * finger.minutiae.len() as f64).round() as usize;
    let mut out: Vec<Point> = Vec::with_capacity(finger.minutiae.len() + spurious);
    for p in &finger.minutiae {
        if rng.chance(dropout) {
            continue;
        }
        out.push(*p);
    }
    for _ in 0..spurious {
        out.push(Point {
            x: x0 + rng.unit() * (x1 - x0),
            y: y0 + rng.unit() * (y1 - y0),
            angle: rng.unit() * TURN,
            kind: if rng.chance(0.5) {
                MinutiaType::Ending
            } else {
                MinutiaType::Bifurcation
            },
            quality: 20 + rng.below(40) as u8,
        });
    }
    for p in &mut out {
        let (wx, wy, curl) = warp.apply(p.x, p.y);
        let (rx, ry) = (wx - cx, wy - cy);
        p.x = cx + rx * c - ry * s + tx + rng.sym(capture.jitter);
        p.y = cy + rx * s + ry * c + ty + rng.sym(capture.jitter);
        p.angle = (p.angle + theta + curl + rng.sym(capture.angle_jitter_deg).to_radians())
            .rem_euclid(TURN);
        if rng.chance(capture.type_flip) {
            p.kind = flip(p.kind);
        }
    }
    // The sensor frames the finger: shift the capture back inside the card's range where the
    // translation pushed it out.
    let (mut lo_x, mut lo_y, mut hi_x, mut hi_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in &out {
        (lo_x, lo_y, hi_x, hi_y) = (lo_x.min(p.x), lo_y.min(p.y), hi_x.max(p.x), hi_y.max(p.y));
    }
    let back = |lo: f64, hi: f64| {
        if lo < 0.0 && hi - lo <= 255.0 {
            -lo
        } else if hi > 255.0 && hi - lo <= 255.0 {
            255.0 - hi
        } else {
            0.0
        }
    };
    // Card y is the negated point y.
    let (bx, by) = (back(lo_x, hi_x), -back(-hi_y, -lo_y));
    for p in &mut out {
        p.x += bx;
        p.y += by;
    }
    // Fisher-Yates shuffle: the order carries no information.
    for i in (1..out.len()).rev() {
        out.swap(i, rng.below(i + 1));
    }
    out
}

/// One seeded capture of `finger` in the compact card format, cropped to 0..=255.
pub fn impression(finger: &Finger, capture: &Capture, rng: &mut Rng) -> Vec<CardMinutia> {
    impression_points(finger, capture, rng)
        .iter()
        .filter_map(|p| {
            let (x, y) = (p.x.round(), (-p.y).round());
            if !(0.0..=255.0).contains(&x) || !(0.0..=255.0).contains(&y) {
                return None;
            }
            let angle = ((p.angle / TURN * 64.0).round() as i64).rem_euclid(64) as u8;
            Some(CardMinutia {
                kind: p.kind,
                x: x as u16,
                y: y as u16,
                angle,
            })
        })
        .collect()
}

/// A new finger derived from `source` (see the module documentation); none when the source
/// has no minutiae.
pub fn synthetic_finger(source: &Finger, rng: &mut Rng) -> Option<Finger> {
    if source.minutiae.is_empty() {
        return None;
    }
    let (x0, y0, x1, y1) = source.bounds();
    let n = source.minutiae.len() as f64;
    let count = ((n * (0.8 + 0.4 * rng.unit())).round() as usize).clamp(12, 60);
    let mut minutiae: Vec<Point> = Vec::with_capacity(count);
    let mut attempts = 0;
    while minutiae.len() < count && attempts < 4000 {
        attempts += 1;
        let (x, y) = (x0 + rng.unit() * (x1 - x0), y0 + rng.unit() * (y1 - y0));
        let near = |p: &Point| (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
        if minutiae.iter().any(|p| near(p) < 64.0) {
            continue;
        }
        let mut orientation = 0.0;
        let mut best = f64::MAX;
        for p in &source.minutiae {
            if near(p) < best {
                best = near(p);
                orientation = p.angle;
            }
        }
        let sense = if rng.chance(0.5) { 0.0 } else { TURN / 2.0 };
        minutiae.push(Point {
            x,
            y,
            angle: (orientation + sense + rng.sym(10f64.to_radians())).rem_euclid(TURN),
            kind: if rng.chance(0.55) {
                MinutiaType::Ending
            } else {
                MinutiaType::Bifurcation
            },
            quality: 40 + rng.below(60) as u8,
        });
    }
    let mut finger = Finger { minutiae };
    let (cx, cy) = finger.centre();
    let mirror = rng.chance(0.5);
    let theta = rng.sym(20f64.to_radians());
    let (s, c) = sin_cos(theta);
    for p in &mut finger.minutiae {
        let (mut rx, ry) = (p.x - cx, p.y - cy);
        if mirror {
            rx = -rx;
            p.angle = TURN / 2.0 - p.angle;
        }
        p.x = cx + rx * c - ry * s;
        p.y = cy + rx * s + ry * c;
        p.angle = (p.angle + theta).rem_euclid(TURN);
    }
    Some(finger)
}

/// A seeded genuine impression of every view of a 19794-2 record: the same header, resolution,
/// image size and finger positions, the minutiae of a [`Capture::PROBE`]-like capture made with
/// `capture`, cropped to the image, in pixels; extended data (which would name minutiae that
/// moved or vanished) is dropped.
pub fn genuine_record(
    record: &MinutiaeRecord,
    capture: &Capture,
    seed: u64,
) -> Result<MinutiaeRecord> {
    let mut rng = Rng::new(seed);
    let mut out = record.clone();
    out.views.clear();
    out.warnings.clear();
    out.declared_length = None;
    out.trailing.clear();
    for view in &record.views {
        let resolution = record.resolution_of(view);
        let (rx, ry) = checked(resolution)?;
        let (width, height) = record.size_of(view);
        let finger = Finger::from_view(view, resolution)?;
        let mut minutiae = Vec::new();
        for p in impression_points(&finger, capture, &mut rng) {
            let (x, y) = ((p.x * rx / 100.0).round(), (-p.y * ry / 100.0).round());
            if x < 0.0 || y < 0.0 || x >= f64::from(width) || y >= f64::from(height) {
                continue;
            }
            let angle = ((p.angle / TURN * 256.0).round() as i64).rem_euclid(256) as u8;
            minutiae.push(Minutia::new(p.kind, x as u16, y as u16, angle, p.quality));
        }
        let mut new_view = view.clone();
        new_view.minutiae = minutiae;
        new_view.extended.clear();
        out.views.push(new_view);
    }
    Ok(out)
}

/// The compact card template of a record's view (no limit, no order), for comparisons.
pub fn card_of(record: &MinutiaeRecord, view: usize) -> Result<Vec<CardMinutia>> {
    let v = record
        .views
        .get(view)
        .ok_or_else(|| Error::Lds(format!("record has no finger view {view}")))?;
    let t = compact::from_record(
        v,
        record.resolution_of(v),
        CardFormat::Compact,
        &CardOptions::default(),
    )?;
    Ok(t.minutiae)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_trigonometry_is_accurate() {
        for k in -20..20 {
            let a = f64::from(k) * 0.4;
            let (s, c) = sin_cos(a);
            assert!(
                (s - a.sin()).abs() < 1e-9 && (c - a.cos()).abs() < 1e-9,
                "{a}"
            );
        }
    }

    #[test]
    fn the_generator_is_seeded() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(a.next_u64(), b.next_u64());
        assert_ne!(a.next_u64(), Rng::new(8).next_u64());
    }
}
