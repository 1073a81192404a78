//! The fast form of a recorded synthesis pass (FBI IAFIS-IC-0110 v3.1, Annex A.3.2, in the
//! NIST reference decoder's arithmetic): per output sample, the lowpass sum that sets it (or
//! zero) and the highpass terms added after it, every position proven inside the line once, so
//! the loops over the lines need no per-sample checks beyond the slices' own.

use super::{Op, Plan};
use crate::biometrics::wsq::err;
use crate::error::Result;
use std::ops::Range;

/// What one output sample of a line is made of.
struct Sample {
    /// Lowpass terms that set it (`low`); empty: it is set to zero.
    low: Range<usize>,
    /// Highpass terms added to it afterwards, in order (`high`).
    high: Range<usize>,
}

/// A [`Plan`] checked for one line length and reordered per output sample.
pub(super) struct Program {
    samples: Vec<Sample>,
    /// (input position, tap).
    low: Vec<(usize, f32)>,
    /// (input position, tap, sign): added as `input * tap * sign`.
    high: Vec<(usize, f32, f32)>,
}

impl Plan {
    /// The program for lines of `len` samples, when every position the record uses lies in
    /// `0..len`, every output sample is set and nothing is added to a sample before it is set;
    /// `None` otherwise (then only [`Plan::replay`] reproduces the reference).
    pub(super) fn program(&self, len: usize) -> Option<Program> {
        let inside = |i: isize| usize::try_from(i).ok().filter(|&i| i < len);
        // Index of the first and of the last step that sets each sample.
        let mut first = vec![usize::MAX; len];
        let mut last = vec![usize::MAX; len];
        for (n, op) in self.ops.iter().enumerate() {
            match *op {
                Op::Zero(k) | Op::Low { k, .. } => {
                    if let Op::Low { start, end, .. } = *op {
                        for &(r, _) in self.terms.get(start..end)? {
                            inside(r)?;
                        }
                    }
                    let k = inside(k)?;
                    let f = first.get_mut(k)?;
                    *f = (*f).min(n);
                    *last.get_mut(k)? = n;
                }
                Op::High { k, r, .. } => {
                    inside(r)?;
                    if *first.get(inside(k)?)? > n {
                        return None;
                    }
                }
            }
        }
        let mut low = Vec::new();
        let mut bases = Vec::with_capacity(len);
        for &n in &last {
            let start = low.len();
            match *self.ops.get(n)? {
                Op::Zero(_) => {}
                Op::Low { start, end, .. } => {
                    for &(r, c) in self.terms.get(start..end)? {
                        low.push((inside(r)?, c));
                    }
                }
                Op::High { .. } => return None,
            }
            bases.push(start..low.len());
        }
        // The highpass terms that follow each sample's last setting, grouped by sample in
        // record order (a stable sort).
        let mut adds: Vec<(usize, usize, f32, f32)> = Vec::new();
        for (n, op) in self.ops.iter().enumerate() {
            if let Op::High { k, r, c, s } = *op {
                let (k, r) = (inside(k)?, inside(r)?);
                if n > *last.get(k)? {
                    adds.push((k, r, c, s));
                }
            }
        }
        adds.sort_by_key(|a| a.0);
        let mut high = Vec::with_capacity(adds.len());
        let mut samples = Vec::with_capacity(len);
        let mut next = adds.iter().peekable();
        for (k, base) in bases.into_iter().enumerate() {
            let start = high.len();
            while let Some(&(_, r, c, s)) = next.next_if(|a| a.0 == k) {
                high.push((r, c, s));
            }
            samples.push(Sample {
                low: base,
                high: start..high.len(),
            });
        }
        Some(Program { samples, low, high })
    }
}

impl Program {
    /// One line: `out[k]` from `inp` (both of the program's length).
    fn line(&self, inp: &[f32], out: &mut [f32]) {
        for (o, s) in out.iter_mut().zip(&self.samples) {
            let low = self.low.get(s.low.clone()).unwrap_or_default();
            let mut acc = 0.0f32;
            if let Some((&(r0, c0), rest)) = low.split_first() {
                acc = inp[r0] * c0;
                for &(r, c) in rest {
                    acc += inp[r] * c;
                }
            }
            for &(r, c, sf) in self.high.get(s.high.clone()).unwrap_or_default() {
                acc += inp[r] * c * sf;
            }
            *o = acc;
        }
    }

    /// The row pass: `count` lines of the program's length, `pitch` apart, from `old` at
    /// `obase` into `new` at `nbase`.
    pub(super) fn rows(
        &self,
        new: &mut [f32],
        nbase: usize,
        old: &[f32],
        obase: usize,
        pitch: usize,
        count: usize,
    ) -> Result<()> {
        let len = self.samples.len();
        for line in 0..count {
            let at = line * pitch;
            let inp = slice(old, obase + at, len)?;
            let out = new
                .get_mut(nbase + at..nbase + at + len)
                .ok_or_else(outside)?;
            self.line(inp, out);
        }
        Ok(())
    }

    /// The column pass: `width` columns starting at `obase` in `old` (lines `pitch` apart in
    /// memory) into `new` at `nbase`, all columns at once, one output row per sample, each column
    /// with exactly the arithmetic of [`Program::line`].
    pub(super) fn columns(
        &self,
        new: &mut [f32],
        nbase: usize,
        old: &[f32],
        obase: usize,
        pitch: usize,
        width: usize,
    ) -> Result<()> {
        let len = self.samples.len();
        // Every input row the program reads and every output row lie in the buffers.
        slice(old, obase + len.saturating_sub(1) * pitch, width)?;
        new.get(nbase + len.saturating_sub(1) * pitch..)
            .and_then(|rest| rest.get(..width))
            .ok_or_else(outside)?;
        let row = |r: usize| slice(old, obase + r * pitch, width);
        for (k, s) in self.samples.iter().enumerate() {
            let at = nbase + k * pitch;
            let out = new.get_mut(at..at + width).ok_or_else(outside)?;
            let low = self.low.get(s.low.clone()).unwrap_or_default();
            match low.split_first() {
                None => out.fill(0.0),
                Some((&(r0, c0), rest)) => {
                    for (o, &a) in out.iter_mut().zip(row(r0)?) {
                        *o = a * c0;
                    }
                    for &(r, c) in rest {
                        for (o, &a) in out.iter_mut().zip(row(r)?) {
                            *o += a * c;
                        }
                    }
                }
            }
            for &(r, c, sf) in self.high.get(s.high.clone()).unwrap_or_default() {
                for (o, &a) in out.iter_mut().zip(row(r)?) {
                    *o += a * c * sf;
                }
            }
        }
        Ok(())
    }
}

fn slice(buf: &[f32], at: usize, len: usize) -> Result<&[f32]> {
    at.checked_add(len)
        .and_then(|end| buf.get(at..end))
        .ok_or_else(outside)
}

fn outside() -> crate::Error {
    err("reconstruction outside the image (subband geometry)")
}
