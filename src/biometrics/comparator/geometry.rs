//! Integer geometry for the comparator: square roots, directions in 256ths of a turn by a
//! tangent table, and circular differences. No floating point.

/// tan((k + 1/2) * 45/32 degrees) * 4096 for k = 0..32: the boundaries between the 32 steps of
/// 1/256 turn in the first octant.
const TAN_BOUNDS: [u32; 32] = [
    50, 151, 252, 353, 454, 556, 659, 763, 867, 973, 1080, 1188, 1298, 1409, 1523, 1638, 1756,
    1876, 1999, 2125, 2254, 2387, 2524, 2665, 2810, 2961, 3116, 3278, 3446, 3622, 3805, 3997,
];

/// The integer square root (floor) of `v`.
pub(crate) fn isqrt(v: u32) -> u32 {
    if v < 2 {
        return v;
    }
    if v < 1 << 18 {
        // Card distances: nine halvings without a division.
        let mut root = 0u32;
        let mut bit = 1u32 << 8;
        while bit != 0 {
            let t = root | bit;
            if t * t <= v {
                root = t;
            }
            bit >>= 1;
        }
        return root;
    }
    // Newton's method from a power of two at or above the root; it decreases to the floor.
    let mut x = 1u32 << (32 - v.leading_zeros()).div_ceil(2);
    loop {
        let y = (x + v / x) / 2;
        if y >= x {
            return x;
        }
        x = y;
    }
}

/// The direction of the vector (`dx`, `dy`) in 256ths of a turn, counter-clockwise from the x
/// axis with y pointing up (callers negate image y). The zero vector has direction 0.
pub(crate) fn direction(dx: i32, dy: i32) -> u8 {
    let (ax, ay) = (dx.unsigned_abs(), dy.unsigned_abs());
    let (small, large) = if ay <= ax { (ay, ax) } else { (ax, ay) };
    if large == 0 {
        return 0;
    }
    // Coordinates here are at most a few thousand, so the product cannot overflow.
    let ratio = small.saturating_mul(4096) / large;
    // The table is increasing: the count of bounds at or below the ratio, by bisection.
    let step = TAN_BOUNDS.partition_point(|&b| b <= ratio) as u32;
    let in_quadrant = if ay <= ax { step } else { 64 - step };
    let angle = match (dx >= 0, dy >= 0) {
        (true, true) => in_quadrant,
        (false, true) => 128 - in_quadrant,
        (false, false) => 128 + in_quadrant,
        (true, false) => 256 - in_quadrant,
    };
    (angle & 0xFF) as u8
}

/// The distance between two angles on a circle of 256 steps (0 to 128).
pub(crate) fn apart256(a: u8, b: u8) -> u32 {
    let d = u32::from(a.wrapping_sub(b));
    d.min(256 - d)
}

/// The signed difference `a - b` on a circle of 256 steps (-128 to 127).
pub(crate) fn signed256(a: u8, b: u8) -> i32 {
    i32::from(a.wrapping_sub(b) as i8)
}

/// The distance between two angles on a circle of 64 steps (0 to 32).
pub(crate) fn apart64(a: u8, b: u8) -> u32 {
    let d = u32::from(a.wrapping_sub(b) & 63);
    d.min(64 - d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_roots() {
        for v in [
            0u32,
            1,
            2,
            3,
            4,
            15,
            16,
            17,
            99,
            100,
            130_050,
            1 << 20,
            u32::MAX,
        ] {
            let r = isqrt(v);
            assert!(u64::from(r) * u64::from(r) <= u64::from(v), "{v}");
            assert!(u64::from(r + 1) * u64::from(r + 1) > u64::from(v), "{v}");
        }
    }

    #[test]
    fn directions_of_the_compass_and_between() {
        assert_eq!(direction(10, 0), 0);
        assert_eq!(direction(10, 10), 32);
        assert_eq!(direction(0, 10), 64);
        assert_eq!(direction(-10, 0), 128);
        assert_eq!(direction(0, -10), 192);
        assert_eq!(direction(-10, -10), 160);
        // 30 degrees is 21.33 steps; 120 degrees is 85.33.
        assert_eq!(direction(866, 500), 21);
        assert_eq!(direction(-500, 866), 85);
        assert_eq!(direction(0, 0), 0);
    }

    #[test]
    fn circular_differences() {
        assert_eq!(apart256(250, 4), 10);
        assert_eq!(signed256(4, 250), 10);
        assert_eq!(signed256(250, 4), -10);
        assert_eq!(apart64(63, 1), 2);
        assert_eq!(apart64(0, 32), 32);
    }
}
