//! The on-card fingerprint comparator: compares two templates in the ISO/IEC 19794-2:2005
//! compact card format (clause 8.2: 0.1 mm, 360/64 degrees) and returns a score that a
//! match-on-card chip (ISO/IEC 7816-11 VERIFY) compares with the threshold enrolled with the
//! reference.
//!
//! Interface: [`compare`] takes at most [`MAX_MINUTIAE`] minutiae a side (more are ignored from
//! the end), uses integer arithmetic only and a fixed working state of [`WORKING_STATE_BYTES`]
//! (no heap allocation), and is deterministic. A score at or above the reference's threshold is
//! a match; [`DEFAULT_THRESHOLD`] is the threshold enrolled when the issuer names none. The
//! score is not symmetric in general: the greedy pairing visits probe minutiae in their order.
//!
//! The method, a neighbourhood matcher in two stages:
//!
//! 1. **Local structures.** Each minutia is described by its [`NEIGHBOURS`] nearest neighbours:
//!    distance, the direction of the neighbour seen from the minutia relative to the minutia's
//!    own direction, and the neighbour's direction relative to it. These do not change when the
//!    finger is shifted or turned. Every reference minutia is compared with every probe minutia
//!    whose direction differs by at most [`MAX_TURN`] (the largest rotation supported) by
//!    pairing their neighbours within tolerances (computed lane-wise for all neighbour pairs,
//!    then paired greedily); the pairs with the most agreeing neighbours become seeds.
//! 2. **Consolidation.** For each seed, every other minutia of both sides is expressed in polar
//!    coordinates around the seed (distance, direction relative to the seed's direction,
//!    direction difference). Probe and reference minutiae are paired one to one when all three
//!    agree within tolerances that grow with the distance (skin distortion accumulates); a
//!    second pass corrects the seed's direction (quantised to 5.6 degrees) by the mean
//!    direction error of the first pass's pairs and pairs again with tighter angular tolerance.
//!    Pairs of the same minutia type count 4, of different types 3 (type confusion is common).
//!
//! The score of the best seed is `100 * w^2 / (16 * max(n_r, 12) * max(n_p, 12))`, `w` the
//! weighted pair count and `n_r`, `n_p` the minutiae counts: 0 to 100, 100 for identical
//! templates of 12 or more minutiae of known type. Fewer than 12 minutiae a side cannot reach
//! a high score (few minutiae match by chance too easily).

mod geometry;

use super::compact::CardMinutia;
use super::minutiae::MinutiaType;
use geometry::{apart64, apart256, direction, isqrt, signed256};

/// The most minutiae compared a side.
pub const MAX_MINUTIAE: usize = 60;

/// The threshold enrolled with a reference when the issuer names none: the threshold at a false
/// match rate of 1e-4 on the synthetic set of [`crate::biometrics::synthetic`] (175,980 impostor
/// comparisons of `benches/moc_accuracy.rs`: 23, where the false non-match rate of its 4,200
/// genuine comparisons is 0 %). Scores are integers, so no rounding was needed.
pub const DEFAULT_THRESHOLD: u32 = 23;

/// Neighbours in a local structure.
pub const NEIGHBOURS: usize = 6;

/// Seeds consolidated.
const SEEDS: usize = 4;

/// The largest rotation between reference and probe a seed pair may show, in 64ths of a turn
/// (56 degrees: a finger on a scanner turns by far less, and the limit spares most pairs).
pub const MAX_TURN: u32 = 10;

/// Minutiae counts below this are scored as if they were this many.
const MIN_COUNT: u32 = 12;

/// One template's minutiae and local structures.
#[derive(Clone, Copy)]
struct Side {
    n: usize,
    x: [i16; MAX_MINUTIAE],
    y: [i16; MAX_MINUTIAE],
    /// Direction in 64ths of a turn.
    a: [u8; MAX_MINUTIAE],
    kind: [u8; MAX_MINUTIAE],
    /// Neighbours: count, distance (0.1 mm), direction relative to the minutia (256ths) and
    /// direction difference (64ths).
    nb_n: [u8; MAX_MINUTIAE],
    nb_d: [[u16; NEIGHBOURS]; MAX_MINUTIAE],
    nb_phi: [[u8; NEIGHBOURS]; MAX_MINUTIAE],
    nb_psi: [[u8; NEIGHBOURS]; MAX_MINUTIAE],
    /// Polar coordinates around the current seed.
    pd: [u16; MAX_MINUTIAE],
    pphi: [u8; MAX_MINUTIAE],
    ppsi: [u8; MAX_MINUTIAE],
}

/// The comparator's whole working state.
#[derive(Clone, Copy)]
struct State {
    reference: Side,
    probe: Side,
    /// Best seeds: (similarity, reference index, probe index).
    seeds: [(u32, u8, u8); SEEDS],
    /// Reference minutiae already paired in the current pass.
    taken: [bool; MAX_MINUTIAE],
}

/// Bytes of working state [`compare`] uses (held on the stack).
pub const WORKING_STATE_BYTES: usize = std::mem::size_of::<State>();

// The build fails if the state outgrows a match-on-card chip's 16 KB.
const _: () = assert!(WORKING_STATE_BYTES <= 16 * 1024);

const EMPTY_SIDE: Side = Side {
    n: 0,
    x: [0; MAX_MINUTIAE],
    y: [0; MAX_MINUTIAE],
    a: [0; MAX_MINUTIAE],
    kind: [0; MAX_MINUTIAE],
    nb_n: [0; MAX_MINUTIAE],
    nb_d: [[0; NEIGHBOURS]; MAX_MINUTIAE],
    nb_phi: [[0; NEIGHBOURS]; MAX_MINUTIAE],
    nb_psi: [[0; NEIGHBOURS]; MAX_MINUTIAE],
    pd: [0; MAX_MINUTIAE],
    pphi: [0; MAX_MINUTIAE],
    ppsi: [0; MAX_MINUTIAE],
};

/// The score of `probe` against `reference` (0 to 100; higher is more alike).
pub fn compare(reference: &[CardMinutia], probe: &[CardMinutia]) -> u32 {
    let mut st = State {
        reference: EMPTY_SIDE,
        probe: EMPTY_SIDE,
        seeds: [(0, 0, 0); SEEDS],
        taken: [false; MAX_MINUTIAE],
    };
    st.reference.load(reference);
    st.probe.load(probe);
    if st.reference.n == 0 || st.probe.n == 0 {
        return 0;
    }
    st.find_seeds();
    let mut best = 0;
    for s in 0..SEEDS {
        let (sim, i, j) = st.seeds[s];
        if sim == 0 {
            break;
        }
        best = best.max(st.consolidate(usize::from(i), usize::from(j)));
    }
    let nr = (st.reference.n as u32).max(MIN_COUNT);
    let np = (st.probe.n as u32).max(MIN_COUNT);
    (best * best * 100 / (16 * nr * np)).min(100)
}

fn kind_code(k: MinutiaType) -> u8 {
    k.bits()
}

impl Side {
    fn load(&mut self, minutiae: &[CardMinutia]) {
        let mut n = 0;
        for m in minutiae.iter().take(MAX_MINUTIAE) {
            // Card coordinates are at most 14 bits; anything larger is clamped.
            self.x[n] = m.x.min(0x3FFF) as i16;
            self.y[n] = m.y.min(0x3FFF) as i16;
            self.a[n] = m.angle & 63;
            self.kind[n] = kind_code(m.kind);
            n += 1;
        }
        self.n = n;
        for i in 0..n {
            self.neighbours(i);
        }
    }

    /// Distance and direction (256ths, y up) from minutia `i` to minutia `j`.
    fn polar(&self, i: usize, j: usize) -> (u16, u8) {
        let dx = i32::from(self.x[j]) - i32::from(self.x[i]);
        let dy = i32::from(self.y[i]) - i32::from(self.y[j]);
        let d2 = (dx * dx + dy * dy) as u32;
        (isqrt(d2).min(u32::from(u16::MAX)) as u16, direction(dx, dy))
    }

    /// Fills the local structure of minutia `i`: its nearest neighbours, closest first.
    fn neighbours(&mut self, i: usize) {
        let mut near: [(u32, u8); NEIGHBOURS] = [(u32::MAX, 0); NEIGHBOURS];
        let mut count = 0usize;
        for j in 0..self.n {
            if j == i {
                continue;
            }
            let dx = i32::from(self.x[j]) - i32::from(self.x[i]);
            let dy = i32::from(self.y[j]) - i32::from(self.y[i]);
            let d2 = (dx * dx + dy * dy) as u32;
            // Insert into the sorted list of the nearest.
            let mut pos = count.min(NEIGHBOURS);
            while pos > 0 && near[pos - 1].0 > d2 {
                pos -= 1;
            }
            if pos < NEIGHBOURS {
                let mut k = NEIGHBOURS - 1;
                while k > pos {
                    near[k] = near[k - 1];
                    k -= 1;
                }
                near[pos] = (d2, j as u8);
                count += 1;
            }
        }
        let count = count.min(NEIGHBOURS);
        let own = self.a[i].wrapping_mul(4);
        for (k, &(_, j)) in near.iter().take(count).enumerate() {
            let j = usize::from(j);
            let (d, dir) = self.polar(i, j);
            self.nb_d[i][k] = d;
            self.nb_phi[i][k] = dir.wrapping_sub(own);
            self.nb_psi[i][k] = self.a[j].wrapping_sub(self.a[i]) & 63;
        }
        self.nb_n[i] = count as u8;
    }

    /// Polar coordinates of every minutia around minutia `seed`, relative to its direction
    /// turned by `turn` 256ths.
    fn around(&mut self, seed: usize) {
        let own = self.a[seed].wrapping_mul(4);
        for m in 0..self.n {
            let (d, dir) = self.polar(seed, m);
            self.pd[m] = d;
            self.pphi[m] = dir.wrapping_sub(own);
            self.ppsi[m] = self.a[m].wrapping_sub(self.a[seed]) & 63;
        }
    }
}

/// Distance tolerance (0.1 mm) for a distance `d`: quantisation plus distortion growing with it.
fn distance_tolerance(d: u32) -> u32 {
    4 + d / 16
}

impl State {
    /// Similarity of the local structures of reference minutia `i` and probe minutia `j`.
    fn local_similarity(&self, i: usize, j: usize) -> u32 {
        let (r, p) = (&self.reference, &self.probe);
        let rn = usize::from(r.nb_n[i]).min(NEIGHBOURS);
        let pn = usize::from(p.nb_n[j]).min(NEIGHBOURS);
        let (r_d, r_phi, r_psi) = (&r.nb_d[i], &r.nb_phi[i], &r.nb_psi[i]);
        let (p_d, p_phi, p_psi) = (&p.nb_d[j], &p.nb_phi[j], &p.nb_psi[j]);
        let present = ((1u16 << pn) - 1) as u8;
        // Which probe neighbours each reference neighbour agrees with, computed without
        // branches over all slots (absent ones are masked off).
        let mut rows = [0u8; NEIGHBOURS];
        for (a, row) in rows.iter_mut().enumerate().take(rn) {
            let (rd, rphi, rpsi) = (r_d[a], r_phi[a], r_psi[a]);
            let tol_d = 4 + rd / 8;
            // Lane-wise agreement (0 or 1 a slot), then the eight lanes packed into a byte.
            let mut ok = [0u8; 8];
            for b in 0..NEIGHBOURS {
                let dphi = rphi.wrapping_sub(p_phi[b]);
                let dphi = dphi.min(dphi.wrapping_neg());
                let dpsi = rpsi.wrapping_sub(p_psi[b]) & 63;
                let dpsi = dpsi.min(64 - dpsi);
                ok[b] = u8::from(rd.abs_diff(p_d[b]) <= tol_d)
                    & u8::from(dphi <= 14)
                    & u8::from(dpsi <= 3);
            }
            let packed = u64::from_le_bytes(ok).wrapping_mul(0x0102_0408_1020_4080) >> 56;
            *row = (packed as u8) & present;
        }
        // Pair greedily, nearest reference neighbours first, each with its nearest free match.
        let mut used = 0u8;
        let mut matched = 0u32;
        for row in rows.iter().take(rn) {
            let free = row & !used;
            if free != 0 {
                used |= free & free.wrapping_neg();
                matched += 1;
            }
        }
        if matched < 2 {
            0
        } else {
            matched * 2 + u32::from(r.kind[i] == p.kind[j])
        }
    }

    /// Keeps the [`SEEDS`] most similar pairs of local structures (ties: first found).
    fn find_seeds(&mut self) {
        for i in 0..self.reference.n {
            for j in 0..self.probe.n {
                if apart64(self.reference.a[i], self.probe.a[j]) > MAX_TURN {
                    continue;
                }
                let sim = self.local_similarity(i, j);
                if sim <= self.seeds[SEEDS - 1].0 {
                    continue;
                }
                let mut pos = SEEDS - 1;
                while pos > 0 && self.seeds[pos - 1].0 < sim {
                    self.seeds[pos] = self.seeds[pos - 1];
                    pos -= 1;
                }
                self.seeds[pos] = (sim, i as u8, j as u8);
            }
        }
    }

    /// The weighted count of minutiae pairs consistent with seed pair (`i`, `j`).
    fn consolidate(&mut self, i: usize, j: usize) -> u32 {
        self.reference.around(i);
        self.probe.around(j);
        let (_, turn_sum, turn_weight) = self.pair_up(i, j, 0, 8);
        let turn = if turn_weight > 0 {
            turn_sum / turn_weight
        } else {
            0
        };
        let (w, _, _) = self.pair_up(i, j, turn, 2);
        w
    }

    /// One pass of pairing around the seed: the probe's directions are turned by `turn`
    /// 256ths, with `slack` 256ths of angular tolerance on top of the distance-dependent one.
    /// Returns the weighted count and the distance-weighted sum and weight of the direction
    /// errors of the pairs.
    fn pair_up(&mut self, i: usize, j: usize, turn: i32, slack: u32) -> (u32, i32, i32) {
        let State {
            reference: r,
            probe: p,
            taken,
            ..
        } = self;
        *taken = [false; MAX_MINUTIAE];
        let same = |a: u8, b: u8| if a == b && a != 0 { 4 } else { 3 };
        let mut w = same(r.kind[i], p.kind[j]);
        taken[i] = true;
        let (mut turn_sum, mut turn_weight) = (0i32, 0i32);
        for b in 0..p.n {
            if b == j {
                continue;
            }
            let pd = u32::from(p.pd[b]);
            let pphi = (i32::from(p.pphi[b]) + turn) as u8;
            let tol_d = distance_tolerance(pd);
            let tol_phi = (slack + 250 / (pd + 5)).min(32);
            let mut best = (u32::MAX, usize::MAX);
            for (a, &done) in taken.iter().enumerate().take(r.n) {
                if done {
                    continue;
                }
                let dd = u32::from(r.pd[a]).abs_diff(pd);
                if dd > tol_d {
                    continue;
                }
                let dphi = apart256(r.pphi[a], pphi);
                let dpsi = apart64(r.ppsi[a], p.ppsi[b]);
                if dphi > tol_phi || dpsi > 3 {
                    continue;
                }
                let cost = dd * 16 / (tol_d + 1) + dphi * 16 / (tol_phi + 1) + dpsi * 4;
                if cost < best.0 {
                    best = (cost, a);
                }
            }
            if best.1 < MAX_MINUTIAE {
                let a = best.1;
                taken[a] = true;
                w += same(r.kind[a], p.kind[b]);
                let weight = pd.min(200) as i32;
                turn_sum += signed256(r.pphi[a], p.pphi[b]) * weight;
                turn_weight += weight;
            }
        }
        (w, turn_sum, turn_weight)
    }
}
