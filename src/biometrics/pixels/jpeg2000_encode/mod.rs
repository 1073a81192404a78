//! A lossless JPEG 2000 encoder (ISO/IEC 15444-1, Part 1) for 8-bit grey and RGB images:
//! DC level shift (G.1.2), for RGB the reversible colour transform (G.2.1), the reversible
//! 5/3 wavelet (`dwt53`, Annex F), no quantization (Annex E.1.1), EBCOT bit-plane coding of
//! 64x64 code-blocks (`tier1`, Annex D) with the MQ coder (`mq`, Annex C), one quality
//! layer of LRCP packets with one precinct per resolution (`tier2`, Annex B), the codestream
//! markers (`codestream`, Annex A) and optionally the JP2 file boxes (`jp2`, Annex I).
//!
//! The output is deterministic, and every sample comes back exactly from a conforming decoder
//! (tested against `hayro-jpeg2000` in `tests/jpeg2000_encode.rs` and against OpenJPEG's
//! `opj_decompress` by `fixtures/jp2/check_encoder.sh`).

mod codestream;
mod dwt53;
mod jp2;
mod mq;
mod tier1;
mod tier2;

use super::{MAX_PIXELS, Pixels};
use crate::error::{Error, Result};
use dwt53::{Plane, low_len};
use tier1::{CodedBlock, Orientation};
use tier2::BandBlocks;

/// What [`encode_lossless`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// A JP2 file (Annex I): boxes around the codestream, with colourspace and resolution.
    Jp2,
    /// A bare codestream (Annex A), from SOC to EOC.
    Codestream,
}

fn err(msg: impl Into<String>) -> Error {
    Error::Lds(format!("JPEG 2000 encoder: {}", msg.into()))
}

/// Code-block side (COD's 2^(4+2)).
const BLOCK: usize = 64;
/// Most decomposition levels used.
const MAX_LEVELS: u32 = 5;
/// Sample depth in bits.
const DEPTH: u8 = 8;

/// A subband rectangle in the transformed plane.
struct Band {
    x0: usize,
    y0: usize,
    w: usize,
    h: usize,
    orientation: Orientation,
}

/// The subbands of resolution `r` (0 = the lowest LL) for `levels` decompositions of `w x h`.
fn bands(w: usize, h: usize, levels: u32, r: u32) -> Vec<Band> {
    if r == 0 {
        return vec![Band {
            x0: 0,
            y0: 0,
            w: low_len(w, levels),
            h: low_len(h, levels),
            orientation: Orientation::Ll,
        }];
    }
    let d = levels + 1 - r;
    let (cw, ch) = (low_len(w, d - 1), low_len(h, d - 1));
    let (lw, lh) = (low_len(w, d), low_len(h, d));
    vec![
        Band {
            x0: lw,
            y0: 0,
            w: cw - lw,
            h: lh,
            orientation: Orientation::Hl,
        },
        Band {
            x0: 0,
            y0: lh,
            w: lw,
            h: ch - lh,
            orientation: Orientation::Lh,
        },
        Band {
            x0: lw,
            y0: lh,
            w: cw - lw,
            h: ch - lh,
            orientation: Orientation::Hh,
        },
    ]
}

/// Decomposition levels: up to 5, fewer when the smaller side is short, so that every
/// subband of every level holds at least one sample.
fn levels_for(w: usize, h: usize) -> u32 {
    let small = w.min(h).max(1);
    (usize::BITS - 1 - small.leading_zeros()).min(MAX_LEVELS)
}

/// The level-shifted components, transformed by the RCT when there are three.
fn components(px: &Pixels, w: usize, h: usize) -> Vec<Plane> {
    let n = w * h;
    let plane = |data: Vec<i32>| Plane {
        width: w,
        height: h,
        data,
    };
    if px.channels == 1 {
        return vec![plane(px.data.iter().map(|&v| i32::from(v) - 128).collect())];
    }
    let (mut y, mut cb, mut cr) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for rgb in px.data.chunks_exact(3) {
        let (r, g, b) = (
            i32::from(rgb[0]) - 128,
            i32::from(rgb[1]) - 128,
            i32::from(rgb[2]) - 128,
        );
        y.push((r + 2 * g + b) >> 2);
        cb.push(b - g);
        cr.push(r - g);
    }
    vec![plane(y), plane(cb), plane(cr)]
}

/// Codes every code-block of a band, raster order; returns the grid size and blocks.
fn code_band(plane: &Plane, band: &Band) -> (usize, usize, Vec<CodedBlock>) {
    let cols = band.w.div_ceil(BLOCK);
    let rows = band.h.div_ceil(BLOCK);
    let mut blocks = Vec::with_capacity(cols * rows);
    let mut buf = Vec::with_capacity(BLOCK * BLOCK);
    for by in 0..rows {
        for bx in 0..cols {
            let x0 = band.x0 + bx * BLOCK;
            let y0 = band.y0 + by * BLOCK;
            let bw = (band.w - bx * BLOCK).min(BLOCK);
            let bh = (band.h - by * BLOCK).min(BLOCK);
            buf.clear();
            for y in y0..y0 + bh {
                let row = y * plane.width;
                buf.extend_from_slice(&plane.data[row + x0..row + x0 + bw]);
            }
            blocks.push(tier1::encode_block(&buf, bw, bh, band.orientation));
        }
    }
    (cols, rows, blocks)
}

/// Encodes 8-bit grey (1 channel) or RGB (3 channels, through the RCT) pixels as lossless
/// JPEG 2000, as a JP2 file (with the resolution in a `resc` box when known) or a bare
/// codestream. Refuses empty images, images over [`MAX_PIXELS`] and other channel counts.
pub fn encode_lossless(px: &Pixels, container: Container) -> Result<Vec<u8>> {
    let (w, h) = (px.width as usize, px.height as usize);
    if w == 0 || h == 0 {
        return Err(err(format!("empty image ({}x{})", px.width, px.height)));
    }
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(err(format!(
            "{}x{} pixels is over the limit of {MAX_PIXELS}",
            px.width, px.height
        )));
    }
    if !matches!(px.channels, 1 | 3) {
        return Err(err(format!(
            "{} channels: only 1 (grey) or 3 (RGB)",
            px.channels
        )));
    }
    let expected = w * h * usize::from(px.channels);
    if px.data.len() != expected {
        return Err(err(format!(
            "{} samples for {}x{}x{}, expected {expected}",
            px.data.len(),
            px.width,
            px.height,
            px.channels
        )));
    }
    let levels = levels_for(w, h);
    let mut planes = components(px, w, h);
    for p in &mut planes {
        dwt53::forward(p, levels);
    }
    // Code every block of every band; coded[c][r] = bands of resolution r of component c.
    let exps = codestream::exponents(DEPTH, levels as u8);
    let mut coded = Vec::with_capacity(planes.len());
    let mut guard: u32 = 2;
    for p in &planes {
        let mut per_res = Vec::new();
        for r in 0..=levels {
            let mut per_band = Vec::new();
            for (k, band) in bands(w, h, levels, r).iter().enumerate() {
                let (cols, rows, blocks) = code_band(p, band);
                let qcd_index = if r == 0 {
                    0
                } else {
                    1 + 3 * (r as usize - 1) + k
                };
                let eps = u32::from(exps.get(qcd_index).copied().unwrap_or(DEPTH));
                let most = blocks.iter().map(|b| b.bitplanes).max().unwrap_or(0);
                // Mb = G + eps - 1 (E-2) must hold every coded bit-plane.
                guard = guard.max((most + 1).saturating_sub(eps));
                per_band.push((cols, rows, blocks, eps));
            }
            per_res.push(per_band);
        }
        coded.push(per_res);
    }
    if guard > 7 {
        return Err(err(format!(
            "{guard} guard bits needed, at most 7 can be signalled"
        )));
    }
    let mut packets = Vec::new();
    for r in 0..=levels as usize {
        for comp in &coded {
            let Some(per_band) = comp.get(r) else {
                continue;
            };
            let bands: Vec<BandBlocks> = per_band
                .iter()
                .map(|(cols, rows, blocks, eps)| BandBlocks {
                    cols: *cols,
                    rows: *rows,
                    blocks,
                    mb: guard + eps - 1,
                })
                .collect();
            packets.extend(tier2::packet(&bands));
        }
    }
    let header = codestream::Header {
        width: px.width,
        height: px.height,
        components: u16::from(px.channels),
        depth: DEPTH,
        levels: levels as u8,
        mct: px.channels == 3,
        guard_bits: guard as u8,
    };
    let cs = codestream::write(&header, &packets)?;
    Ok(match container {
        Container::Codestream => cs,
        Container::Jp2 => jp2::wrap(&cs, px.width, px.height, header.components, px.resolution),
    })
}
