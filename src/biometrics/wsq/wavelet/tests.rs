//! The fast per-sample programs against the checked replay of the same recorded walk (which
//! follows the reference decoder's order), for every short line length, both inversion flags
//! and odd and even filter lengths; and split geometry outside the image.

use super::{Line, Plan, reconstruct};
use crate::biometrics::wsq::markers::Filters;
use crate::biometrics::wsq::tree::{self, Split};

/// Deterministic values in -128..128 with fractions (a small linear congruential generator).
fn noise(n: usize, seed: u32) -> Vec<f32> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 8) as f32 / 65536.0 - 128.0
        })
        .collect()
}

fn filters(lo: usize, hi: usize) -> Filters {
    Filters {
        lo: noise(lo, 7).iter().map(|v| v / 256.0).collect(),
        hi: noise(hi, 11).iter().map(|v| v / 256.0).collect(),
    }
}

/// Bit patterns, so that -0.0 and NaN compare as they are.
fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn programs_compute_exactly_what_the_checked_replay_computes() {
    let mut fast = 0;
    for (lo, hi) in [(9, 7), (7, 9), (8, 8), (6, 4), (2, 2)] {
        let f = filters(lo, hi);
        for len in 1..48usize {
            for invert in [false, true] {
                let plan = Plan::record(len as isize, invert, &f).expect("records");
                let Some(program) = plan.program(len) else {
                    continue;
                };
                fast += 1;
                // Three lines, `len` samples each, in a 64-wide buffer at column 5.
                let (width, lines, x) = (64usize, 3usize, 5usize);
                let old = noise(width * lines, len as u32);
                let mut want = vec![f32::NAN; width * lines];
                let line = Line {
                    len1: lines as isize,
                    pitch: width as isize,
                    stride: 1,
                };
                plan.replay(&mut want, x as isize, &old, x as isize, line)
                    .expect("replays");
                let mut got = vec![f32::NAN; width * lines];
                program
                    .rows(&mut got, x, &old, x, width, lines)
                    .expect("runs");
                assert_eq!(bits(&got), bits(&want), "rows {lo}/{hi} len {len} {invert}");
                // The same lines as columns: sample k of every line in row k.
                let old_t = noise(width * len, len as u32 + 99);
                let mut want = vec![f32::NAN; width * len];
                let cols = Line {
                    len1: lines as isize,
                    pitch: 1,
                    stride: width as isize,
                };
                plan.replay(&mut want, x as isize, &old_t, x as isize, cols)
                    .expect("replays");
                let mut got = vec![f32::NAN; width * len];
                program
                    .columns(&mut got, x, &old_t, x, width, lines)
                    .expect("runs");
                assert_eq!(
                    bits(&got),
                    bits(&want),
                    "columns {lo}/{hi} len {len} {invert}"
                );
            }
        }
    }
    // Most lengths take the fast form; the shortest lines do not.
    assert!(fast > 300, "{fast}");
    let f = filters(9, 7);
    for len in [1, 2] {
        let plan = Plan::record(len, false, &f).expect("records");
        assert!(plan.program(len as usize).is_none(), "length {len}");
    }
}

#[test]
fn images_of_every_small_size_reconstruct_without_panicking() {
    let f = filters(9, 7);
    for (w, h) in [(1, 1), (1, 7), (7, 1), (2, 3), (5, 5), (13, 9), (33, 40)] {
        let splits = tree::splits(w, h);
        let mut image = noise((w * h) as usize, 3);
        // Short lines read next to the line: inside the image that is the reference's result,
        // outside it an error.
        let _ = reconstruct(&mut image, w as usize, &splits, &f);
    }
}

#[test]
fn a_split_outside_the_image_is_refused() {
    let f = filters(9, 7);
    let mut splits = tree::splits(64, 64);
    splits[0] = Split {
        x: 10,
        y: 0,
        width: 60,
        height: 64,
        invert_rows: false,
        invert_cols: false,
    };
    let mut image = vec![0f32; 64 * 64];
    let e = reconstruct(&mut image, 64, &splits, &f)
        .unwrap_err()
        .to_string();
    assert!(e.contains("outside the 64x64 image"), "{e}");
    splits[0].x = 0;
    splits[0].y = -1;
    let e = reconstruct(&mut image, 64, &splits, &f)
        .unwrap_err()
        .to_string();
    assert!(e.contains("outside"), "{e}");
}
