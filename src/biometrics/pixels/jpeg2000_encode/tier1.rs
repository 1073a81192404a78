//! Tier-1 coding of ISO/IEC 15444-1 Annex D: the bit-plane coder of one code-block (EBCOT)
//! without the optional code-block styles (Table A.19, all zero). Coefficients are scanned in
//! stripes of four rows (D.1, Figure D.1); each bit-plane below the most significant is coded
//! by a significance propagation pass (D.3.1), a magnitude refinement pass (D.3.3) and a
//! cleanup pass with run-length coding (D.3.4); the most significant bit-plane has only a
//! cleanup pass. Contexts follow Tables D.1 (significance, by subband orientation), D.2/D.3
//! (sign) and D.4 (refinement); the bits go to the MQ coder of Annex C (`mq`).

use super::mq::MqEncoder;

/// Subband orientation, which selects the significance context table (Table D.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Orientation {
    /// Low-pass both ways.
    Ll,
    /// Horizontally high-pass.
    Hl,
    /// Vertically high-pass.
    Lh,
    /// High-pass both ways.
    Hh,
}

/// The coded form of one code-block.
pub(super) struct CodedBlock {
    /// The MQ codeword segment of all passes (terminated once, at the end).
    pub data: Vec<u8>,
    /// Number of coding passes, `3 * bitplanes - 2`, 0 when every coefficient is 0.
    pub passes: u32,
    /// Number of magnitude bit-planes coded (the bit length of the largest magnitude).
    pub bitplanes: u32,
}

const SIG: u8 = 1;
const VISITED: u8 = 2;
const REFINED: u8 = 4;
const NEGATIVE: u8 = 8;

const CX_RUN: usize = 17;
const CX_UNIFORM: usize = 18;

/// The code-block's state, padded by one sample on every side so neighbours never fall out.
struct Block<'a> {
    w: usize,
    h: usize,
    /// Padded row length, `w + 2`.
    stride: usize,
    flags: Vec<u8>,
    magnitude: &'a [u32],
    orientation: Orientation,
    mq: MqEncoder,
}

impl Block<'_> {
    fn at(&self, x: usize, y: usize) -> usize {
        (y + 1) * self.stride + x + 1
    }

    fn sig(&self, i: usize) -> u8 {
        self.flags.get(i).map_or(0, |f| f & SIG)
    }

    /// The significance context (Table D.1) of padded position `i`.
    fn zc_context(&self, i: usize) -> usize {
        let s = self.stride;
        let mut h = self.sig(i - 1) + self.sig(i + 1);
        let mut v = self.sig(i - s) + self.sig(i + s);
        let d =
            self.sig(i - s - 1) + self.sig(i - s + 1) + self.sig(i + s - 1) + self.sig(i + s + 1);
        match self.orientation {
            Orientation::Hh => {
                let hv = h + v;
                match (d, hv) {
                    (3.., _) => 8,
                    (2, 1..) => 7,
                    (2, 0) => 6,
                    (1, 2..) => 5,
                    (1, 1) => 4,
                    (1, 0) => 3,
                    (0, 2..) => 2,
                    (0, 1) => 1,
                    _ => 0,
                }
            }
            o => {
                if o == Orientation::Hl {
                    std::mem::swap(&mut h, &mut v);
                }
                match (h, v, d) {
                    (2.., _, _) => 8,
                    (1, 1.., _) => 7,
                    (1, 0, 1..) => 6,
                    (1, 0, 0) => 5,
                    (0, 2.., _) => 4,
                    (0, 1, _) => 3,
                    (0, 0, 2..) => 2,
                    (0, 0, 1) => 1,
                    _ => 0,
                }
            }
        }
    }

    /// Contribution of a neighbour to the sign context: 1 significant positive, -1 significant
    /// negative, 0 insignificant (Table D.2).
    fn sign_of(&self, i: usize) -> i32 {
        match self.flags.get(i) {
            Some(f) if f & SIG != 0 => {
                if f & NEGATIVE != 0 {
                    -1
                } else {
                    1
                }
            }
            _ => 0,
        }
    }

    /// Codes the sign of padded position `i` (Table D.3) and marks it significant.
    fn code_sign(&mut self, i: usize) {
        let s = self.stride;
        let hc = (self.sign_of(i - 1) + self.sign_of(i + 1)).clamp(-1, 1);
        let vc = (self.sign_of(i - s) + self.sign_of(i + s)).clamp(-1, 1);
        let (cx, xor) = match (hc, vc) {
            (1, 1) => (13, 0),
            (1, 0) => (12, 0),
            (1, -1) => (11, 0),
            (0, 1) => (10, 0),
            (0, 0) => (9, 0),
            (0, -1) => (10, 1),
            (-1, 1) => (11, 1),
            (-1, 0) => (12, 1),
            _ => (13, 1),
        };
        let flags = self.flags.get(i).copied().unwrap_or(0);
        let negative = u8::from(flags & NEGATIVE != 0);
        self.mq.encode(negative ^ xor, cx);
        if let Some(f) = self.flags.get_mut(i) {
            *f |= SIG;
        }
    }

    fn bit(&self, x: usize, y: usize, plane: u32) -> u8 {
        let m = self.magnitude.get(y * self.w + x).copied().unwrap_or(0);
        ((m >> plane) & 1) as u8
    }

    /// The stripe-oriented scan of D.1: calls `f(x, y)` in coding order.
    fn scan(w: usize, h: usize, mut f: impl FnMut(usize, usize, usize)) {
        for y0 in (0..h).step_by(4) {
            let rows = (h - y0).min(4);
            for x in 0..w {
                f(x, y0, rows);
            }
        }
    }

    /// Significance propagation pass (D.3.1).
    fn significance_pass(&mut self, plane: u32) {
        Self::scan(self.w, self.h, |x, y0, rows| {
            for y in y0..y0 + rows {
                let i = self.at(x, y);
                let f = self.flags[i];
                if f & SIG != 0 {
                    continue;
                }
                let cx = self.zc_context(i);
                if cx == 0 {
                    continue;
                }
                let b = self.bit(x, y, plane);
                self.mq.encode(b, cx);
                self.flags[i] |= VISITED;
                if b == 1 {
                    self.code_sign(i);
                }
            }
        });
    }

    /// Magnitude refinement pass (D.3.3, contexts of Table D.4).
    fn refinement_pass(&mut self, plane: u32) {
        Self::scan(self.w, self.h, |x, y0, rows| {
            for y in y0..y0 + rows {
                let i = self.at(x, y);
                let f = self.flags[i];
                if f & SIG == 0 || f & VISITED != 0 {
                    continue;
                }
                let cx = if f & REFINED != 0 {
                    16
                } else if self.zc_context_raw(i) == 0 {
                    14
                } else {
                    15
                };
                let b = self.bit(x, y, plane);
                self.mq.encode(b, cx);
                self.flags[i] |= REFINED;
            }
        });
    }

    /// Whether any of the eight neighbours is significant (1) or none (0).
    fn zc_context_raw(&self, i: usize) -> u8 {
        let s = self.stride;
        [
            i - s - 1,
            i - s,
            i - s + 1,
            i - 1,
            i + 1,
            i + s - 1,
            i + s,
            i + s + 1,
        ]
        .iter()
        .map(|&j| self.sig(j))
        .max()
        .unwrap_or(0)
    }

    /// Cleanup pass (D.3.4) with run-length coding of four-sample columns, then clears the
    /// per-plane visited marks.
    fn cleanup_pass(&mut self, plane: u32) {
        Self::scan(self.w, self.h, |x, y0, rows| {
            let mut start = y0;
            if rows == 4 {
                let all_quiet = (y0..y0 + 4).all(|y| {
                    let i = self.at(x, y);
                    self.flags[i] & (SIG | VISITED) == 0 && self.zc_context_raw(i) == 0
                });
                if all_quiet {
                    let first = (y0..y0 + 4).find(|&y| self.bit(x, y, plane) == 1);
                    match first {
                        None => {
                            self.mq.encode(0, CX_RUN);
                            return;
                        }
                        Some(y) => {
                            self.mq.encode(1, CX_RUN);
                            let k = y - y0;
                            self.mq.encode(((k >> 1) & 1) as u8, CX_UNIFORM);
                            self.mq.encode((k & 1) as u8, CX_UNIFORM);
                            let i = self.at(x, y);
                            self.code_sign(i);
                            start = y + 1;
                        }
                    }
                }
            }
            for y in start..y0 + rows {
                let i = self.at(x, y);
                if self.flags[i] & (SIG | VISITED) != 0 {
                    continue;
                }
                let cx = self.zc_context(i);
                let b = self.bit(x, y, plane);
                self.mq.encode(b, cx);
                if b == 1 {
                    self.code_sign(i);
                }
            }
        });
        for f in self.flags.iter_mut() {
            *f &= !VISITED;
        }
    }
}

/// Codes a code-block of `w x h` coefficients (row-major, `w * h` values, `w, h <= 64`).
pub(super) fn encode_block(
    coeffs: &[i32],
    w: usize,
    h: usize,
    orientation: Orientation,
) -> CodedBlock {
    let magnitude: Vec<u32> = coeffs.iter().map(|c| c.unsigned_abs()).collect();
    let max = magnitude.iter().copied().max().unwrap_or(0);
    let bitplanes = u32::BITS - max.leading_zeros();
    if bitplanes == 0 || magnitude.len() != w * h {
        return CodedBlock {
            data: Vec::new(),
            passes: 0,
            bitplanes: 0,
        };
    }
    let stride = w + 2;
    let mut flags = vec![0u8; stride * (h + 2)];
    for (k, c) in coeffs.iter().enumerate() {
        if *c < 0 {
            flags[(k / w + 1) * stride + k % w + 1] |= NEGATIVE;
        }
    }
    let mut block = Block {
        w,
        h,
        stride,
        flags,
        magnitude: &magnitude,
        orientation,
        mq: MqEncoder::new(),
    };
    let top = bitplanes - 1;
    block.cleanup_pass(top);
    for plane in (0..top).rev() {
        block.significance_pass(plane);
        block.refinement_pass(plane);
        block.cleanup_pass(plane);
    }
    CodedBlock {
        data: block.mq.finish(),
        passes: 3 * bitplanes - 2,
        bitplanes,
    }
}
