//! WSQ image reconstruction (FBI IAFIS-IC-0110 v3.1, Annex A.1.2 and A.3.2): the inverse of the
//! 20 two-dimensional splits, last split first, each as a column pass then a row pass of
//! two-channel synthesis filtering with symmetric extension at both ends of every line.
//!
//! The filtering follows the arithmetic of the NIST reference decoder operation by operation in
//! single precision (no fused multiply-add), including where its extension reads samples next
//! to a short line, so that the pixels agree with it exactly. Every sample access is checked
//! against its buffer: a hostile geometry gives an error, never a read outside.

use super::err;
use super::markers::Filters;
use super::tree::Split;
use crate::error::Result;

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

/// Inverts the splits in place on `image` (`width` samples per line).
pub fn reconstruct(
    image: &mut [f32],
    width: usize,
    splits: &[Split; 20],
    f: &Filters,
) -> Result<()> {
    let mut scratch = vec![0f32; image.len()];
    let w = isize::try_from(width).map_err(|_| err("image too wide"))?;
    for s in splits.iter().rev() {
        let base = isize::try_from(s.y * width as i64 + s.x).map_err(|_| err("split offset"))?;
        let (lenx, leny) = (s.width as isize, s.height as isize);
        let cols = Line {
            len1: lenx,
            len2: leny,
            pitch: 1,
            stride: w,
            invert: s.invert_cols,
        };
        join(&mut scratch, 0, image, base, cols, f)?;
        let rows = Line {
            len1: leny,
            len2: lenx,
            pitch: w,
            stride: 1,
            invert: s.invert_rows,
        };
        join(image, base, &scratch, 0, rows, f)?;
    }
    Ok(())
}

/// One pass: `len1` lines `pitch` apart, each of `len2` samples `stride` apart.
#[derive(Clone, Copy)]
struct Line {
    len1: isize,
    len2: isize,
    pitch: isize,
    stride: isize,
    invert: bool,
}

/// Where the filter's reading position is and how it walks (the symmetric extension state).
#[derive(Clone, Copy)]
struct Walk {
    at: isize,
    step: isize,
    left_repeat: bool,
    right_repeat: bool,
}

/// Synthesis of one pass: lowpass half and highpass half of every line (highpass first when the
/// split is spectrally inverted) merge into `len2` samples.
fn join(
    new: &mut [f32],
    nbase: isize,
    old: &[f32],
    obase: isize,
    l: Line,
    f: &Filters,
) -> Result<()> {
    let (lo, lsz) = (&f.lo[..], f.lo.len() as isize);
    let hsz = f.hi.len() as isize;
    let odd_data = l.len2 % 2 == 1;
    let odd_filter = lsz % 2 == 1;
    let (pstr, nstr) = (l.stride, -l.stride);
    let (llen, hlen) = if odd_data {
        ((l.len2 + 1) / 2, (l.len2 + 1) / 2 - 1)
    } else {
        (l.len2 / 2, l.len2 / 2)
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
    let mut fhre = 0i32;
    for line in 0..l.len1 {
        let mut limg = nbase + line * l.pitch;
        let mut himg = limg;
        wr(new, himg, 0.0)?;
        wr(new, himg + l.stride, 0.0)?;
        let (lopass, hipass) = if l.invert {
            let h = obase + line * l.pitch;
            (h + l.stride * hlen, h)
        } else {
            let lp = obase + line * l.pitch;
            (lp, lp + l.stride * llen)
        };
        let (lp0, lp1) = (lopass, lopass + (llen - 1) * l.stride);
        let mut lw = Walk {
            at: lp0 + loc * l.stride,
            step: nstr,
            left_repeat: olle,
            right_repeat: olre,
        };
        let mut lstap = lotap;
        let (hp0, hp1) = (hipass, hipass + (hlen - 1) * l.stride);
        let mut hw = Walk {
            at: hp0 + hoc * l.stride,
            step: nstr,
            left_repeat: ohle,
            right_repeat: ohre,
        };
        let mut hstap = hotap;
        let mut osfac = ssfac;

        // Lowpass taps for one output sample, starting at `tap`.
        let low = |new: &mut [f32], limg: isize, tap: isize, w: Walk| -> Result<()> {
            let (mut lle, mut lre, mut px, mut step) =
                (w.left_repeat, w.right_repeat, w.at, w.step);
            let mut acc = rd(old, px)? * coef(lo, tap)?;
            let mut i = tap + 2;
            while i < lsz {
                if px == lp0 {
                    if lle {
                        step = 0;
                        lle = false;
                    } else {
                        step = pstr;
                    }
                }
                if px == lp1 {
                    if lre {
                        step = 0;
                        lre = false;
                    } else {
                        step = nstr;
                    }
                }
                px += step;
                acc += rd(old, px)? * coef(lo, i)?;
                i += 2;
            }
            wr(new, limg, acc)
        };
        // Highpass taps added into one output sample, starting at `tap`.
        let high = |new: &mut [f32],
                    himg: isize,
                    tap: isize,
                    w: Walk,
                    sfac0: f32,
                    fhre: &mut i32|
         -> Result<()> {
            let (mut hle, mut hre, mut px, mut step) =
                (w.left_repeat, w.right_repeat, w.at, w.step);
            let mut sfac = sfac0;
            let mut i = tap;
            while i < hsz {
                if px == hp0 {
                    if hle {
                        step = 0;
                        hle = false;
                    } else {
                        step = pstr;
                        sfac = 1.0;
                    }
                }
                if px == hp1 {
                    if hre {
                        step = 0;
                        hre = false;
                        if asym && odd_data {
                            hre = true;
                            *fhre -= 1;
                            sfac = *fhre as f32;
                            if sfac == 0.0 {
                                hre = false;
                            }
                        }
                    } else {
                        step = nstr;
                        if asym {
                            sfac = -1.0;
                        }
                    }
                }
                let v = rd(new, himg)? + rd(old, px)? * coef(&hi, i)? * sfac;
                wr(new, himg, v)?;
                px += step;
                i += 2;
            }
            Ok(())
        };

        for _ in 0..hlen {
            let mut tap = lstap;
            while tap >= 0 {
                low(new, limg, tap, lw)?;
                limg += l.stride;
                tap -= 1;
            }
            if lw.at == lp0 {
                if lw.left_repeat {
                    lw.step = 0;
                    lw.left_repeat = false;
                } else {
                    lw.step = pstr;
                }
            }
            lw.at += lw.step;
            lstap = 1;

            let mut tap = hstap;
            while tap >= 0 {
                fhre = ofhre;
                high(new, himg, tap, hw, osfac, &mut fhre)?;
                himg += l.stride;
                tap -= 1;
            }
            if hw.at == hp0 {
                if hw.left_repeat {
                    hw.step = 0;
                    hw.left_repeat = false;
                } else {
                    hw.step = pstr;
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
            low(new, limg, tap, lw)?;
            limg += l.stride;
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
            high(new, himg, tap, hw, osfac, &mut fhre)?;
            himg += l.stride;
            tap -= 1;
        }
    }
    Ok(())
}

fn coef(taps: &[f32], i: isize) -> Result<f32> {
    usize::try_from(i)
        .ok()
        .and_then(|i| taps.get(i))
        .copied()
        .ok_or_else(|| err("filter tap out of range"))
}
