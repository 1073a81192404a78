//! The forward WSQ transform (FBI IAFIS-IC-0110 v3.1, Annex A.1.1 and A.1.2): the 20
//! two-dimensional splits of the decomposition tree (`tree`), first split first, each a row
//! pass then a column pass of two-channel analysis filtering with the 9/7 biorthogonal filters
//! of Table A.1 and whole-sample symmetric extension at both ends of every line.
//!
//! A line of `n` samples gives `ceil(n/2)` lowpass outputs centred on the even samples and
//! `floor(n/2)` highpass outputs centred on the odd ones; a spectrally inverted split stores the
//! highpass half first. This is the exact inverse of the synthesis in `wavelet`.
//!
//! The geometry is checked once per split; the filtering itself runs on row slices, so there
//! is no per-sample bounds check or error path.

use super::err;
use super::tree::Split;
use crate::error::Result;

/// The analysis lowpass filter (9 taps, whole-sample symmetric), Table A.1.
pub const LOWPASS: [f64; 9] = [
    0.037_828_455_506_995,
    -0.023_849_465_019_380,
    -0.110_624_404_418_423,
    0.377_402_855_612_654,
    0.852_698_679_009_403,
    0.377_402_855_612_654,
    -0.110_624_404_418_423,
    -0.023_849_465_019_380,
    0.037_828_455_506_995,
];

/// The analysis highpass filter (7 taps, whole-sample symmetric), Table A.1.
pub const HIGHPASS: [f64; 7] = [
    0.064_538_882_628_938,
    -0.040_689_417_609_558,
    -0.418_092_273_222_212,
    0.788_485_616_405_664,
    -0.418_092_273_222_212,
    -0.040_689_417_609_558,
    0.064_538_882_628_938,
];

/// Half-lengths of the filters: the extension needed on each side of a line.
const LO_HALF: usize = 4;
const HI_HALF: usize = 3;

/// Whole-sample symmetric reflection of index `i` (may be negative or past the end) into a line
/// of `len` >= 2 samples.
fn reflect(i: isize, len: usize) -> usize {
    let len = len as isize;
    if len < 2 {
        return 0;
    }
    let period = 2 * (len - 1);
    let m = i.rem_euclid(period);
    (if m < len { m } else { period - m }) as usize
}

/// Applies the 20 splits in place to `image` (`width` samples per line, `height` lines).
pub fn decompose(
    image: &mut [f32],
    width: usize,
    height: usize,
    splits: &[Split; 20],
) -> Result<()> {
    if image.len() != width.saturating_mul(height) {
        return Err(err("transform: buffer does not match the image size"));
    }
    let lo: Vec<f32> = LOWPASS.iter().map(|&v| v as f32).collect();
    let hi: Vec<f32> = HIGHPASS.iter().map(|&v| v as f32).collect();
    let mut scratch = vec![0f32; image.len()];
    let mut line = Vec::new();
    let mut low = Vec::new();
    let mut high = Vec::new();
    for s in splits {
        let rect = Rect::of(s, width, height)?;
        // Row pass: image -> scratch.
        for r in rect.y..rect.y + rect.h {
            let start = r * width + rect.x;
            let (Some(src), Some(dst)) = (
                image.get(start..start + rect.w),
                scratch.get_mut(start..start + rect.w),
            ) else {
                return Err(err("transform: split outside the image"));
            };
            extend(src, &mut line);
            filter_line(&line, &lo, &hi, &mut low, &mut high);
            place(dst, &low, &high, s.invert_rows);
        }
        // Column pass: scratch -> image, a whole row of outputs at a time.
        columns(image, &scratch, width, &rect, &lo, &hi, s.invert_cols)?;
    }
    Ok(())
}

/// A split's rectangle, checked against the image.
struct Rect {
    x: usize,
    y: usize,
    w: usize,
    h: usize,
}

impl Rect {
    fn of(s: &Split, width: usize, height: usize) -> Result<Rect> {
        let conv = |v: i64| usize::try_from(v).ok();
        match (conv(s.x), conv(s.y), conv(s.width), conv(s.height)) {
            (Some(x), Some(y), Some(w), Some(h))
                if w >= 2 && h >= 2 && x + w <= width && y + h <= height =>
            {
                Ok(Rect { x, y, w, h })
            }
            _ => Err(err(format!(
                "transform: split {}x{} at ({}, {}) does not fit a {width}x{height} image",
                s.width, s.height, s.x, s.y
            ))),
        }
    }
}

/// Copies `src` into `out` with `LO_HALF` reflected samples on each side.
fn extend(src: &[f32], out: &mut Vec<f32>) {
    let n = src.len();
    out.clear();
    let pad = LO_HALF as isize;
    out.extend((-pad..n as isize + pad).map(|i| src.get(reflect(i, n)).copied().unwrap_or(0.0)));
}

/// Lowpass outputs at the even samples, highpass outputs at the odd samples of the extended
/// line `ext` (`LO_HALF` samples of extension on each side).
fn filter_line(ext: &[f32], lo: &[f32], hi: &[f32], low: &mut Vec<f32>, high: &mut Vec<f32>) {
    let n = ext.len().saturating_sub(2 * LO_HALF);
    low.clear();
    high.clear();
    // Sample i sits at ext[i + LO_HALF]; the lowpass window of sample 2k starts at ext[2k],
    // the highpass window of sample 2k+1 at ext[2k + 1 + LO_HALF - HI_HALF].
    low.extend(
        ext.windows(lo.len())
            .step_by(2)
            .take(n.div_ceil(2))
            .map(|w| dot(w, lo)),
    );
    let offset = 1 + LO_HALF - HI_HALF;
    high.extend(
        ext.get(offset..)
            .unwrap_or_default()
            .windows(hi.len())
            .step_by(2)
            .take(n / 2)
            .map(|w| dot(w, hi)),
    );
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).fold(0.0, |acc, (x, y)| acc + x * y)
}

/// Stores the two halves of a split line: lowpass first, or highpass first when inverted.
fn place(dst: &mut [f32], low: &[f32], high: &[f32], invert: bool) {
    let (first, second) = if invert { (high, low) } else { (low, high) };
    for (d, v) in dst.iter_mut().zip(first.iter().chain(second)) {
        *d = *v;
    }
}

/// The column pass of one split: every output row is a weighted sum of (reflected) input rows.
fn columns(
    image: &mut [f32],
    scratch: &[f32],
    width: usize,
    rect: &Rect,
    lo: &[f32],
    hi: &[f32],
    invert: bool,
) -> Result<()> {
    let h = rect.h;
    let (nlow, nhigh) = (h.div_ceil(2), h / 2);
    let row = |r: usize| {
        let start = (rect.y + r) * width + rect.x;
        scratch.get(start..start + rect.w)
    };
    for out in 0..h {
        // Output row `out` holds lowpass k or highpass k depending on the inversion.
        let (is_low, k) = if invert {
            if out < nhigh {
                (false, out)
            } else {
                (true, out - nhigh)
            }
        } else if out < nlow {
            (true, out)
        } else {
            (false, out - nlow)
        };
        let (taps, centre, half) = if is_low {
            (lo, 2 * k, LO_HALF)
        } else {
            (hi, 2 * k + 1, HI_HALF)
        };
        let start = (rect.y + out) * width + rect.x;
        let dst = image
            .get_mut(start..start + rect.w)
            .ok_or_else(|| err("transform: split outside the image"))?;
        dst.fill(0.0);
        for (t, &c) in taps.iter().enumerate() {
            let i = centre as isize + t as isize - half as isize;
            let src =
                row(reflect(i, h)).ok_or_else(|| err("transform: split outside the image"))?;
            for (d, s) in dst.iter_mut().zip(src) {
                *d += c * s;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{markers, tree, wavelet};
    use super::*;

    /// The transform table as the writer emits it, read back by the decoder's parser.
    fn synthesis_filters() -> markers::Filters {
        let bytes = super::super::writer::transform_table();
        let mut c = markers::Cursor::new(&bytes);
        assert_eq!(c.marker().unwrap(), markers::DTT);
        markers::transform_table(&mut c).unwrap()
    }

    fn round_trip_error(width: usize, height: usize) -> f32 {
        let original: Vec<f32> = (0..width * height)
            .map(|i| ((i * 7919 % 251) as f32) - 125.0)
            .collect();
        let mut image = original.clone();
        let splits = tree::splits(width as i64, height as i64);
        decompose(&mut image, width, height, &splits).unwrap();
        if wavelet::reconstruct(&mut image, width, &splits, &synthesis_filters()).is_err() {
            return f32::INFINITY;
        }
        image
            .iter()
            .zip(&original)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max)
    }

    #[test]
    fn the_decoder_inverts_the_transform() {
        let sizes = (81..=97)
            .map(|w| (w, 128))
            .chain((81..=97).map(|h| (100, h)));
        for (w, h) in sizes.chain([(513, 511), (255, 300)]) {
            let e = round_trip_error(w, h);
            assert!(e < 0.01, "{w}x{h}: largest error {e}");
        }
    }

    /// Why the encoder refuses sides under 81: the deepest split then has lines of 5 samples
    /// or fewer, whose extension the decoder (like NBIS) does not invert exactly.
    #[test]
    fn sides_under_81_do_not_round_trip() {
        for (w, h) in [(80, 128), (128, 80), (64, 64), (32, 32)] {
            let e = round_trip_error(w, h);
            assert!(e > 0.5, "{w}x{h}: largest error {e}");
        }
    }

    #[test]
    fn reflection_is_whole_sample_symmetric() {
        let r: Vec<usize> = (-4..9).map(|i| reflect(i, 5)).collect();
        assert_eq!(r, [4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1, 0]);
    }
}
