//! WSQ quantization on the encoder side (FBI IAFIS-IC-0110 v3.1, Annex A.3 and the encoder
//! guidelines of the specification's bit allocation): subband variances over the central
//! region of each subband, the bin widths Q and zero-bin widths Z = 1.2 Q from the target bit
//! rate, uniform scalar quantization with a dead zone, and the rate control that scales every
//! bin width by one factor until the file has the requested size.
//!
//! Subbands 0..=18 form block 1, 19..=51 block 2 and 52..=59 block 3; 60..=63 are never sent.

use super::tree::Band;

/// Subbands that carry coefficients.
pub const SENT: usize = 60;
/// First subband of blocks 2 and 3.
pub const BLOCK_2: usize = 19;
pub const BLOCK_3: usize = 52;
/// Subbands with a smaller variance are not transmitted.
const VARIANCE_THRESHOLD: f64 = 1.01;
/// When the central variances of subbands 0..=3 sum to less, the whole subbands are used.
const CENTRAL_SUM_THRESHOLD: f64 = 20000.0;
/// Ratio of the zero bin to the bin width.
pub const ZERO_BIN_RATIO: f64 = 1.2;

/// A subband's rectangle as unsigned numbers (checked by the caller against the image).
pub fn rect(b: &Band) -> (usize, usize, usize, usize) {
    let u = |v: i64| usize::try_from(v).unwrap_or(0);
    (u(b.x), u(b.y), u(b.width), u(b.height))
}

/// Variance of the samples of `image` in the rectangle, or 0 when it has fewer than two.
fn variance(image: &[f32], width: usize, x: usize, y: usize, w: usize, h: usize) -> f64 {
    let n = w * h;
    if n < 2 {
        return 0.0;
    }
    let (mut sum, mut squares) = (0f64, 0f64);
    for r in y..y + h {
        let start = r * width + x;
        for &v in image.get(start..start + w).unwrap_or_default() {
            let v = f64::from(v);
            sum += v;
            squares += v * v;
        }
    }
    let n = n as f64;
    ((squares - sum * sum / n) / (n - 1.0)).max(0.0)
}

/// The variance of every transmitted subband: over its central region (from 1/8 of the width
/// in, 3/4 of the width; from 9/32 of the height down, 7/16 of the height), or over the whole
/// subbands when the central variances of the four lowest subbands (0..=3) are small in total.
pub fn variances(image: &[f32], width: usize, bands: &[Band; 64]) -> [f64; SENT] {
    let mut v = [0f64; SENT];
    for (out, b) in v.iter_mut().zip(bands) {
        let (x, y, w, h) = rect(b);
        *out = variance(
            image,
            width,
            x + w / 8,
            y + 9 * h / 32,
            3 * w / 4,
            7 * h / 16,
        );
    }
    if v.iter().take(4).sum::<f64>() < CENTRAL_SUM_THRESHOLD {
        for (out, b) in v.iter_mut().zip(bands) {
            let (x, y, w, h) = rect(b);
            *out = variance(image, width, x, y, w, h);
        }
    }
    v
}

/// The relative weight A of each subband in the bin widths.
fn weight(k: usize) -> f64 {
    match k {
        52 | 56 => 1.32,
        53 | 55 | 58 | 59 => 1.08,
        54 | 57 => 1.42,
        _ => 1.0,
    }
}

/// The fraction of the image a subband covers (1/m in the specification's formula).
fn share(k: usize) -> f64 {
    match k {
        0..=3 => 1.0 / 1024.0,
        4..=50 => 1.0 / 256.0,
        _ => 1.0 / 16.0,
    }
}

/// Bin widths for `rate` bits per pixel from the subband variances (0: not transmitted).
/// Relative widths are 1 for subbands 0..=3 and 10 / (A ln(variance)) above. The common factor
/// q is the one that makes the modelled rates of the subbands with a positive rate add up to
/// `rate`: subbands whose width would reach five standard deviations are taken out of that sum
/// and q computed again, until none is. Every subband above the variance threshold is then
/// sent with its relative width over q, including those taken out of the sum (their coarse
/// bins still carry the few large coefficients; dropping them costs far more in distortion
/// than the bits they take).
pub fn allocate(var: &[f64; SENT], rate: f64) -> [f64; SENT] {
    let mut relative = [0f64; SENT];
    let mut kept = [false; SENT];
    for (k, (&v, (r, keep))) in var
        .iter()
        .zip(relative.iter_mut().zip(kept.iter_mut()))
        .enumerate()
    {
        if v >= VARIANCE_THRESHOLD {
            *r = if k < 4 {
                1.0
            } else {
                10.0 / (weight(k) * v.ln())
            };
            *keep = true;
        }
    }
    let mut factor = 1.0;
    loop {
        let (mut s, mut log_p) = (0f64, 0f64);
        for k in 0..SENT {
            if kept.get(k) == Some(&true) {
                let (v, r) = (
                    var.get(k).copied().unwrap_or(0.0),
                    relative.get(k).copied().unwrap_or(1.0),
                );
                s += share(k);
                log_p += share(k) * (v.sqrt() / r).ln();
            }
        }
        if s == 0.0 {
            break;
        }
        factor = 2f64.powf(rate / s - 1.0) / 2.5 / (log_p / s).exp();
        let mut dropped = false;
        for k in 0..SENT {
            let (v, r) = (
                var.get(k).copied().unwrap_or(0.0),
                relative.get(k).copied().unwrap_or(1.0),
            );
            if let Some(keep) = kept.get_mut(k)
                && *keep
                && r / factor >= 5.0 * v.sqrt()
            {
                *keep = false;
                dropped = true;
            }
        }
        if !dropped {
            break;
        }
    }
    let mut q = [0f64; SENT];
    for ((out, &r), &v) in q.iter_mut().zip(&relative).zip(var) {
        if v >= VARIANCE_THRESHOLD {
            *out = r / factor;
        }
    }
    q
}

/// Largest quantized magnitude (the 16-bit escape codes carry a magnitude the decoder reads
/// as a signed 16-bit number).
const MAX_INDEX: f32 = 32767.0;

/// Quantizes the transmitted subbands into the three blocks: |c| <= Z/2 gives 0, otherwise
/// sign(c) (floor((|c| - Z/2) / Q) + 1).
pub fn quantize(
    image: &[f32],
    width: usize,
    bands: &[Band; 64],
    q: &[f32; SENT],
    z: &[f32; SENT],
    blocks: &mut [Vec<i16>; 3],
) {
    for b in blocks.iter_mut() {
        b.clear();
    }
    for (k, ((band, &qk), &zk)) in bands.iter().zip(q).zip(z).enumerate() {
        if qk <= 0.0 {
            continue;
        }
        let block = match k {
            0..BLOCK_2 => 0,
            BLOCK_2..BLOCK_3 => 1,
            _ => 2,
        };
        let Some(out) = blocks.get_mut(block) else {
            continue;
        };
        let half = zk / 2.0;
        let (x, y, w, h) = rect(band);
        for r in y..y + h {
            let start = r * width + x;
            out.extend(
                image
                    .get(start..start + w)
                    .unwrap_or_default()
                    .iter()
                    .map(|&c| {
                        if c > half {
                            ((c - half) / qk + 1.0).min(MAX_INDEX) as i16
                        } else if c < -half {
                            ((c + half) / qk - 1.0).max(-MAX_INDEX) as i16
                        } else {
                            0
                        }
                    }),
            );
        }
    }
}

/// Finds the file whose size is nearest `target` bytes: `encode_at(t)` encodes at a setting t
/// in `lo..=hi` (larger t, coarser, smaller file, roughly in proportion to e^-t). Stops within `tolerance` (relative) of the target, or at the end of the range when
/// the target lies beyond it. Returns the file nearest the target (in ratio).
pub fn search(
    mut encode_at: impl FnMut(f64) -> crate::error::Result<Vec<u8>>,
    target: f64,
    tolerance: f64,
    lo: f64,
    hi: f64,
) -> crate::error::Result<Vec<u8>> {
    const STEPS: usize = 24;
    // (t, ln size) of the nearest points known above (too big) and below (too small).
    let mut big: Option<(f64, f64)> = None;
    let mut small: Option<(f64, f64)> = None;
    let mut best = (f64::INFINITY, Vec::new());
    let ln_target = target.ln();
    let mut t = 0f64.clamp(lo, hi);
    let mut last = None;
    for _ in 0..STEPS {
        let file = encode_at(t)?;
        let file_len = file.len();
        let size = file_len as f64;
        let miss = (size.ln() - ln_target).abs();
        let done = (size - target).abs() <= tolerance * target;
        if miss < best.0 {
            best = (miss, file);
        }
        // Done, or the size no longer changes (every subband at its finest or coarsest).
        if done || last == Some(file_len) {
            break;
        }
        last = Some(file_len);
        let point = (t, size.ln());
        if size > target {
            big = Some(point);
        } else {
            small = Some(point);
        }
        let next = match (big, small) {
            (Some((tb, sb)), Some((ts, ss))) => {
                // Interpolate ln size linearly in t, kept strictly inside the bracket.
                let f = ((sb - ln_target) / (sb - ss)).clamp(0.1, 0.9);
                tb + f * (ts - tb)
            }
            // Size falls about in proportion to the bin width: step by the log error.
            (Some((tb, sb)), None) => {
                if tb >= hi {
                    break;
                }
                (tb + (sb - ln_target).max(0.05)).min(hi)
            }
            (None, Some((ts, ss))) => {
                if ts <= lo {
                    break;
                }
                (ts - (ln_target - ss).max(0.05)).max(lo)
            }
            (None, None) => break,
        };
        if (next - t).abs() < 1e-9 {
            break;
        }
        t = next;
    }
    Ok(best.1)
}

#[cfg(test)]
mod tests {
    use super::super::tree;
    use super::*;

    /// Variances typical of a fingerprint, with subband 53 small but above the threshold and
    /// subband 58 below it.
    fn fingerprint_like() -> [f64; SENT] {
        let mut var = [0f64; SENT];
        for (k, v) in var.iter_mut().enumerate() {
            *v = match k {
                0..=3 => 8000.0 + 500.0 * k as f64,
                53 => 2.0,
                58 => 0.5,
                _ => 200.0 + 37.0 * (k % 7) as f64,
            };
        }
        var
    }

    /// The modelled rate of an allocation: the sum over the subbands with a positive rate
    /// (width under five standard deviations) of share * (1 + log2(2.5 sigma / Q)).
    fn modelled_rate(var: &[f64; SENT], q: &[f64; SENT]) -> f64 {
        (0..SENT)
            .filter(|&k| q[k] > 0.0 && q[k] < 5.0 * var[k].sqrt())
            .map(|k| share(k) * (1.0 + (2.5 * var[k].sqrt() / q[k]).log2()))
            .sum()
    }

    #[test]
    fn subbands_without_a_positive_rate_are_still_sent() {
        let var = fingerprint_like();
        let q = allocate(&var, 0.75);
        // Subband 53's width is beyond five standard deviations: it has no positive rate ...
        assert!(q[53] >= 5.0 * var[53].sqrt(), "width {}", q[53]);
        // ... but is sent, with its relative width over the common factor like the others.
        let expected = 10.0 / (weight(53) * var[53].ln()) * q[0];
        assert!(
            (q[53] - expected).abs() < 1e-9 * expected,
            "{} {expected}",
            q[53]
        );
        // Below the variance threshold nothing is sent.
        assert_eq!(q[58], 0.0);
        assert!(q.iter().enumerate().all(|(k, &w)| (w > 0.0) == (k != 58)));
    }

    #[test]
    fn the_common_factor_gives_the_requested_modelled_rate() {
        let var = fingerprint_like();
        for rate in [0.3, 0.75, 2.0] {
            let q = allocate(&var, rate);
            let r = modelled_rate(&var, &q);
            assert!((r - rate).abs() < 1e-9, "asked {rate}, model gives {r}");
        }
    }

    /// A 256x256 transform-domain image that is zero except subband 20, whose central region
    /// alternates +-a (variance a^2 there, less over the whole subband), and subbands 0..=3,
    /// which alternate +-b.
    fn image_with(a: f32, b: f32) -> (Vec<f32>, [Band; 64]) {
        let bands = tree::bands(&tree::splits(256, 256));
        let mut image = vec![0f32; 256 * 256];
        let mut fill = |k: usize, value: f32, central: bool| {
            let (x, y, w, h) = rect(&bands[k]);
            let (x0, y0, w0, h0) = if central {
                (x + w / 8, y + 9 * h / 32, 3 * w / 4, 7 * h / 16)
            } else {
                (x, y, w, h)
            };
            for r in y0..y0 + h0 {
                for c in x0..x0 + w0 {
                    image[r * 256 + c] = if (r + c) % 2 == 0 { value } else { -value };
                }
            }
        };
        for k in 0..4 {
            fill(k, b, false);
        }
        fill(20, a, true);
        (image, bands)
    }

    #[test]
    fn the_lowest_four_subbands_choose_the_variance_region() {
        // Subband 20's central variance alone passes the threshold; the lowest four are small,
        // so the variances are taken over the whole subbands.
        let (image, bands) = image_with(200.0, 10.0);
        let v = variances(&image, 256, &bands);
        let (x, y, w, h) = rect(&bands[20]);
        let whole = variance(&image, 256, x, y, w, h);
        assert!(v[..4].iter().sum::<f64>() < CENTRAL_SUM_THRESHOLD);
        assert!((v[20] - whole).abs() < 1e-6 * whole, "{} {whole}", v[20]);
        assert!(v[20] < 0.5 * 200.0 * 200.0);
        // With the lowest four above the threshold, the central regions count.
        let (image, bands) = image_with(200.0, 80.0);
        let v = variances(&image, 256, &bands);
        assert!(v[..4].iter().sum::<f64>() >= CENTRAL_SUM_THRESHOLD);
        let central = variance(
            &image,
            256,
            x + w / 8,
            y + 9 * h / 32,
            3 * w / 4,
            7 * h / 16,
        );
        assert!(
            (v[20] - central).abs() < 1e-6 * central,
            "{} {central}",
            v[20]
        );
        assert!(v[20] > 200.0 * 200.0);
    }
}
