//! The reversible 5/3 discrete wavelet transform of ISO/IEC 15444-1 Annex F, forward direction
//! (F.4): one-dimensional lifting (F.4.8.2, equation F-9) with the periodic symmetric extension
//! of F.4.8.1 (F.3.7), applied as 2D_SD (F.4.8.2: columns, then rows) over `levels` dyadic
//! decompositions of the LL band. The tile's origin is 0, so every low-pass band has
//! `ceil(n / 2)` samples and every high-pass band `floor(n / 2)`; a signal of one sample passes
//! unchanged (F.4.8.2, i0 even).

/// A plane of signed samples, rows top to bottom.
pub(super) struct Plane {
    pub width: usize,
    pub height: usize,
    pub data: Vec<i32>,
}

/// One level of the lifting of F-9 on `x` (length >= 2), leaving the low-pass samples first and
/// the high-pass samples after them in `x`; `tmp` is scratch of at least the same length.
fn lift_1d(x: &mut [i32], tmp: &mut [i32]) {
    let n = x.len();
    if n < 2 || tmp.len() < n {
        return;
    }
    // Symmetric extension: index -1 reflects to 1, index n reflects to n - 2.
    let at = |x: &[i32], i: isize| -> i32 {
        let n = x.len() as isize;
        let j = if i < 0 {
            -i
        } else if i >= n {
            2 * (n - 1) - i
        } else {
            i
        };
        x.get(j as usize).copied().unwrap_or(0)
    };
    // Step 1: odd samples, y(2k+1) = x(2k+1) - floor((x(2k) + x(2k+2)) / 2).
    for i in (1..n).step_by(2) {
        let i = i as isize;
        let v = at(x, i) - ((at(x, i - 1) + at(x, i + 1)) >> 1);
        x[i as usize] = v;
    }
    // Step 2: even samples, y(2k) = x(2k) + floor((y(2k-1) + y(2k+1) + 2) / 4).
    for i in (0..n).step_by(2) {
        let i = i as isize;
        let v = at(x, i) + ((at(x, i - 1) + at(x, i + 1) + 2) >> 2);
        x[i as usize] = v;
    }
    let low = n.div_ceil(2);
    for (k, v) in x.iter().enumerate() {
        let dst = if k % 2 == 0 { k / 2 } else { low + k / 2 };
        tmp[dst] = *v;
    }
    x.copy_from_slice(&tmp[..n]);
}

/// Size of the LL band after `level` decompositions of an `n`-sample signal with origin 0.
pub(super) fn low_len(n: usize, level: u32) -> usize {
    let mut n = n;
    for _ in 0..level {
        n = n.div_ceil(2);
    }
    n
}

/// `levels` decompositions in place: after it, the top-left `low_len(width, levels) x
/// low_len(height, levels)` samples are the LL band, and each level's HL, LH and HH bands sit
/// to the right of, below and diagonally from that level's low-pass region.
pub(super) fn forward(plane: &mut Plane, levels: u32) {
    let (w, h) = (plane.width, plane.height);
    let mut line = vec![0i32; w.max(h)];
    let mut tmp = vec![0i32; w.max(h)];
    for level in 0..levels {
        let (cw, ch) = (low_len(w, level), low_len(h, level));
        if ch >= 2 {
            for x in 0..cw {
                for (y, v) in line[..ch].iter_mut().enumerate() {
                    *v = plane.data[y * w + x];
                }
                lift_1d(&mut line[..ch], &mut tmp);
                for (y, v) in line[..ch].iter().enumerate() {
                    plane.data[y * w + x] = *v;
                }
            }
        }
        if cw >= 2 {
            for y in 0..ch {
                let row = &mut plane.data[y * w..y * w + cw];
                lift_1d(row, &mut tmp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifting_of_a_short_signal_matches_equation_f9_by_hand() {
        // x = [10, 20, 40, 30, 0]: odd y1 = 20 - floor(50/2) = -5, y3 = 30 - floor(40/2) = 10;
        // even y0 = 10 + floor((-5 + -5 + 2)/4) = 8, y2 = 40 + floor((-5 + 10 + 2)/4) = 41,
        // y4 = 0 + floor((10 + 10 + 2)/4) = 5 (reflection at both ends).
        let mut x = [10, 20, 40, 30, 0];
        let mut tmp = [0; 5];
        lift_1d(&mut x, &mut tmp);
        assert_eq!(x, [8, 41, 5, -5, 10]);
    }
}
