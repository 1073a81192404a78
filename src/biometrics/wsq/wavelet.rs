//! WSQ image reconstruction (FBI IAFIS-IC-0110 v3.1, Annex A.1.2 and A.3.2): the inverse of the
//! 20 two-dimensional splits, last split first, each as a column pass then a row pass of
//! two-channel synthesis filtering with symmetric extension at both ends of every line.
//!
//! The filtering follows the arithmetic of the NIST reference decoder operation by operation in
//! single precision (no fused multiply-add), including where its extension reads samples next
//! to a short line, so that the pixels agree with it exactly.
//!
//! The reference walks pointers through every line; where that walk goes depends only on the
//! line's length, the filters and the inversion flag, never on the samples. So each pass first
//! records the walk once ([`Plan`]): which samples each output sample sums, with which taps, in
//! which order. When every position of that record lies inside the line and every output
//! sample is set before anything is added to it (all real image sizes), the record becomes a
//! per-sample program run over every line with its geometry checked once: the column pass runs
//! it on whole image rows at a time, the row pass line by line. Otherwise (lines of a few
//! samples, where the reference reads next to the line) the record is replayed line by line
//! with every access checked against its buffer: a hostile geometry gives an error, never a
//! read outside.

use super::err;
use super::markers::Filters;
use super::tree::Split;
use crate::error::Result;

mod program;
#[cfg(test)]
mod tests;

/// Inverts the splits in place on `image` (`width` samples per line).
pub fn reconstruct(
    image: &mut [f32],
    width: usize,
    splits: &[Split; 20],
    f: &Filters,
) -> Result<()> {
    let mut scratch = vec![0f32; image.len()];
    let height = image.len().checked_div(width).unwrap_or(0);
    let w = isize::try_from(width).map_err(|_| err("image too wide"))?;
    for s in splits.iter().rev() {
        let outside = || {
            err(format!(
                "split at ({}, {}) of {}x{} outside the {width}x{height} image",
                s.x, s.y, s.width, s.height
            ))
        };
        let fits = |at: i64, len: i64, total: usize| {
            let (at, len) = (usize::try_from(at).ok()?, usize::try_from(len).ok()?);
            (at.checked_add(len)? <= total).then_some((at, len))
        };
        let (x, lenx) = fits(s.x, s.width, width).ok_or_else(outside)?;
        let (y, leny) = fits(s.y, s.height, height).ok_or_else(outside)?;
        let base = y * width + x;
        let ibase = isize::try_from(base).map_err(|_| outside())?;
        let (ilenx, ileny) = (lenx as isize, leny as isize);
        if lenx > 0 {
            let plan = Plan::record(ileny, s.invert_cols, f)?;
            match plan.program(leny) {
                Some(p) => p.columns(&mut scratch, 0, image, base, width, lenx)?,
                None => {
                    let cols = Line {
                        len1: ilenx,
                        pitch: 1,
                        stride: w,
                    };
                    plan.replay(&mut scratch, 0, image, ibase, cols)?
                }
            }
        }
        if leny > 0 {
            let plan = Plan::record(ilenx, s.invert_rows, f)?;
            match plan.program(lenx) {
                Some(p) => p.rows(image, base, &scratch, 0, width, leny)?,
                None => {
                    let rows = Line {
                        len1: ileny,
                        pitch: w,
                        stride: 1,
                    };
                    plan.replay(image, ibase, &scratch, 0, rows)?
                }
            }
        }
    }
    Ok(())
}

/// The lines of one pass in a buffer: `len1` lines `pitch` apart, samples `stride` apart.
#[derive(Clone, Copy)]
struct Line {
    len1: isize,
    pitch: isize,
    stride: isize,
}

/// One step of the reference's synthesis of a line, in sample positions within the line.
#[derive(Clone, Copy)]
enum Op {
    /// Output sample `k` set to zero.
    Zero(isize),
    /// Output sample `k` set to the sum, in order, of input sample times tap over
    /// `terms[start..end]`.
    Low { k: isize, start: usize, end: usize },
    /// `c * s` times input sample `r` (multiplied in that order: sample, tap, sign) added to
    /// output sample `k`.
    High { k: isize, r: isize, c: f32, s: f32 },
}

/// The recorded walk of one pass (see the module documentation).
struct Plan {
    ops: Vec<Op>,
    /// (input position, lowpass tap) of the `Low` steps.
    terms: Vec<(isize, f32)>,
}

/// Where the filter's reading position is and how it walks (the symmetric extension state).
#[derive(Clone, Copy)]
struct Walk {
    at: isize,
    step: isize,
    left_repeat: bool,
    right_repeat: bool,
}

/// One half (lowpass or highpass) of a line: its taps and its first and last positions.
struct Half<'a> {
    taps: &'a [f32],
    first: isize,
    last: isize,
}

/// Records the reference's pointer walk over one line into a [`Plan`].
struct Recorder<'a> {
    plan: Plan,
    lo: Half<'a>,
    hi: Half<'a>,
    /// Even-length filters (antisymmetric highpass).
    asym: bool,
    odd_data: bool,
}

impl Recorder<'_> {
    /// Lowpass taps for output sample `k`, starting at `tap`.
    fn low(&mut self, k: isize, tap: isize, w: Walk) -> Result<()> {
        let (mut lle, mut lre, mut px, mut step) = (w.left_repeat, w.right_repeat, w.at, w.step);
        let start = self.plan.terms.len();
        self.plan.terms.push((px, coef(self.lo.taps, tap)?));
        let mut i = tap + 2;
        while i < self.lo.taps.len() as isize {
            if px == self.lo.first {
                if lle {
                    step = 0;
                    lle = false;
                } else {
                    step = 1;
                }
            }
            if px == self.lo.last {
                if lre {
                    step = 0;
                    lre = false;
                } else {
                    step = -1;
                }
            }
            px += step;
            self.plan.terms.push((px, coef(self.lo.taps, i)?));
            i += 2;
        }
        let end = self.plan.terms.len();
        self.plan.ops.push(Op::Low { k, start, end });
        Ok(())
    }

    /// Highpass taps added into output sample `k`, starting at `tap`.
    fn high(&mut self, k: isize, tap: isize, w: Walk, sfac0: f32, fhre: &mut i32) -> Result<()> {
        let (mut hle, mut hre, mut px, mut step) = (w.left_repeat, w.right_repeat, w.at, w.step);
        let mut sfac = sfac0;
        let mut i = tap;
        while i < self.hi.taps.len() as isize {
            if px == self.hi.first {
                if hle {
                    step = 0;
                    hle = false;
                } else {
                    step = 1;
                    sfac = 1.0;
                }
            }
            if px == self.hi.last {
                if hre {
                    step = 0;
                    hre = false;
                    if self.asym && self.odd_data {
                        hre = true;
                        *fhre -= 1;
                        sfac = *fhre as f32;
                        if sfac == 0.0 {
                            hre = false;
                        }
                    }
                } else {
                    step = -1;
                    if self.asym {
                        sfac = -1.0;
                    }
                }
            }
            let c = coef(self.hi.taps, i)?;
            self.plan.ops.push(Op::High {
                k,
                r: px,
                c,
                s: sfac,
            });
            px += step;
            i += 2;
        }
        Ok(())
    }
}

impl Plan {
    /// The reference's synthesis of a line of `len2` samples (lowpass half first, or highpass
    /// half first when `invert`), recorded.
    fn record(len2: isize, invert: bool, f: &Filters) -> Result<Plan> {
        let lsz = f.lo.len() as isize;
        let hsz = f.hi.len() as isize;
        let odd_data = len2 % 2 == 1;
        let odd_filter = lsz % 2 == 1;
        let (llen, hlen) = if odd_data {
            ((len2 + 1) / 2, (len2 + 1) / 2 - 1)
        } else {
            (len2 / 2, len2 / 2)
        };
        let asym = !odd_filter;
        let hi: Vec<f32> = if asym {
            f.hi.iter().map(|&h| -h).collect()
        } else {
            f.hi.clone()
        };
        let (ssfac, ofhre, mut loc, mut hoc, lotap, hotap, mut olle, olre, mut ohle, ohre);
        if odd_filter {
            ssfac = 1.0f32;
            ofhre = 0i32;
            loc = (lsz - 1) / 4;
            hoc = (hsz + 1) / 4 - 1;
            lotap = ((lsz - 1) / 2) % 2;
            hotap = ((hsz + 1) / 2) % 2;
            (olle, olre, ohle, ohre) = if odd_data {
                (false, false, true, true)
            } else {
                (false, true, true, false)
            };
        } else {
            ssfac = -1.0;
            ofhre = 2;
            loc = lsz / 4 - 1;
            hoc = hsz / 4 - 1;
            lotap = (lsz / 2) % 2;
            hotap = (hsz / 2) % 2;
            (olle, olre, ohle, ohre) = if odd_data {
                (true, false, true, true)
            } else {
                (true, true, true, true)
            };
            if loc == -1 {
                loc = 0;
                olle = false;
            }
            if hoc == -1 {
                hoc = 0;
                ohle = false;
            }
        }
        let (lopass, hipass) = if invert { (hlen, 0) } else { (0, llen) };
        let mut rec = Recorder {
            plan: Plan {
                ops: Vec::new(),
                terms: Vec::new(),
            },
            lo: Half {
                taps: &f.lo,
                first: lopass,
                last: lopass + llen - 1,
            },
            hi: Half {
                taps: &hi,
                first: hipass,
                last: hipass + hlen - 1,
            },
            asym,
            odd_data,
        };
        let (lp0, hp0) = (rec.lo.first, rec.hi.first);
        let mut fhre = 0i32;
        let (mut limg, mut himg) = (0isize, 0isize);
        rec.plan.ops.push(Op::Zero(himg));
        rec.plan.ops.push(Op::Zero(himg + 1));
        let mut lw = Walk {
            at: lp0 + loc,
            step: -1,
            left_repeat: olle,
            right_repeat: olre,
        };
        let mut lstap = lotap;
        let mut hw = Walk {
            at: hp0 + hoc,
            step: -1,
            left_repeat: ohle,
            right_repeat: ohre,
        };
        let mut hstap = hotap;
        let mut osfac = ssfac;

        for _ in 0..hlen {
            let mut tap = lstap;
            while tap >= 0 {
                rec.low(limg, tap, lw)?;
                limg += 1;
                tap -= 1;
            }
            if lw.at == lp0 {
                if lw.left_repeat {
                    lw.step = 0;
                    lw.left_repeat = false;
                } else {
                    lw.step = 1;
                }
            }
            lw.at += lw.step;
            lstap = 1;

            let mut tap = hstap;
            while tap >= 0 {
                fhre = ofhre;
                rec.high(himg, tap, hw, osfac, &mut fhre)?;
                himg += 1;
                tap -= 1;
            }
            if hw.at == hp0 {
                if hw.left_repeat {
                    hw.step = 0;
                    hw.left_repeat = false;
                } else {
                    hw.step = 1;
                    osfac = 1.0;
                }
            }
            hw.at += hw.step;
            hstap = 1;
        }

        let lstop = match (odd_data, lotap != 0) {
            (true, true) => 1,
            (true, false) => 0,
            (false, true) => 2,
            (false, false) => 1,
        };
        let mut tap = 1;
        while tap >= lstop {
            rec.low(limg, tap, lw)?;
            limg += 1;
            tap -= 1;
        }

        let hstop;
        if odd_data {
            hstop = if hotap != 0 { 1 } else { 0 };
            if hsz == 2 {
                hw.at -= hw.step;
                fhre = 1;
            }
        } else {
            hstop = if hotap != 0 { 2 } else { 1 };
        }
        let mut tap = 1;
        while tap >= hstop {
            if hsz != 2 {
                fhre = ofhre;
            }
            rec.high(himg, tap, hw, osfac, &mut fhre)?;
            himg += 1;
            tap -= 1;
        }
        Ok(rec.plan)
    }

    /// Replays the record on every line with each access checked (the reference's order).
    fn replay(
        &self,
        new: &mut [f32],
        nbase: isize,
        old: &[f32],
        obase: isize,
        l: Line,
    ) -> Result<()> {
        for line in 0..l.len1 {
            let (nb, ob) = (nbase + line * l.pitch, obase + line * l.pitch);
            for op in &self.ops {
                match *op {
                    Op::Zero(k) => wr(new, nb + k * l.stride, 0.0)?,
                    Op::Low { k, start, end } => {
                        let terms = self.terms.get(start..end).unwrap_or_default();
                        let Some((&(r0, c0), rest)) = terms.split_first() else {
                            continue;
                        };
                        let mut acc = rd(old, ob + r0 * l.stride)? * c0;
                        for &(r, c) in rest {
                            acc += rd(old, ob + r * l.stride)? * c;
                        }
                        wr(new, nb + k * l.stride, acc)?;
                    }
                    Op::High { k, r, c, s } => {
                        let at = nb + k * l.stride;
                        let v = rd(new, at)? + rd(old, ob + r * l.stride)? * c * s;
                        wr(new, at, v)?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn rd(buf: &[f32], i: isize) -> Result<f32> {
    usize::try_from(i)
        .ok()
        .and_then(|i| buf.get(i))
        .copied()
        .ok_or_else(|| err("reconstruction reads outside the image (subband geometry)"))
}

fn wr(buf: &mut [f32], i: isize, v: f32) -> Result<()> {
    let slot = usize::try_from(i)
        .ok()
        .and_then(|i| buf.get_mut(i))
        .ok_or_else(|| err("reconstruction writes outside the image (subband geometry)"))?;
    *slot = v;
    Ok(())
}

fn coef(taps: &[f32], i: isize) -> Result<f32> {
    usize::try_from(i)
        .ok()
        .and_then(|i| taps.get(i))
        .copied()
        .ok_or_else(|| err("filter tap out of range"))
}
