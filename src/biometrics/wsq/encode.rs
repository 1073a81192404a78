//! The WSQ encoder (FBI IAFIS-IC-0110 v3.1, the encoder side of Annex A): 8-bit grey pixels
//! are shifted by their mean M and scaled by R = max(M - min, max - M) / 128, decomposed into
//! 64 subbands (`analysis`), quantized with bin widths from the subband variances and the
//! target bit rate (`quantize`), and Huffman coded (`huffman_encode`) in three blocks, one table
//! for block 1 and one for blocks 2 and 3, behind the marker segments of `writer`.
//!
//! Rate control: the specification's allocation for the requested rate does not give a file of
//! that size (its rate model is rough), so the allocation's rate parameter is searched instead
//! (re-allocating, re-quantizing and re-coding only; the transform is done once) until the
//! file is within 3 % of `width * height * bits_per_pixel / 8` bytes. Searching the parameter
//! rather than scaling the widths lets subbands the allocation left out at one rate come back
//! at a higher one. When no parameter reaches the target (a near-blank image is smaller than the
//! target even at the finest bin width allowed, [`MIN_BIN`]; a tiny image's headers are larger
//! than the target), the file nearest the target is returned: for a too-simple image that is
//! the finest quantization, the least distortion. The output is a function of the input only.

use super::analysis;
use super::huffman_encode::{self as he, Symbol};
use super::quantize::{self, SENT};
use super::writer;
use super::{err, tree};
use crate::biometrics::pixels::{self, GrayImage};
use crate::error::Result;

/// Encoder settings.
#[derive(Clone, Debug, PartialEq)]
pub struct EncodeOptions {
    /// Target size in bits per pixel (0.1 to 8; 0.75 is the FBI's rate for 500 ppi prints).
    pub bits_per_pixel: f32,
    /// Resolution written to the NIST comment (`PPI -1` when unknown).
    pub ppi: Option<u16>,
    /// An extra comment segment after the NIST comment.
    pub comment: Option<String>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            bits_per_pixel: 0.75,
            ppi: Some(500),
            comment: None,
        }
    }
}

/// Smallest width and height: the deepest split of the tree works on lines of about a sixteenth
/// of the side, and the decoders (dactyl's and NBIS's) invert the symmetric extension of the
/// 9-tap filter exactly only from 6 samples up (81 -> 41 -> 21 -> 11 -> 6).
pub const MIN_SIDE: u32 = 81;
/// Accepted bit rates.
pub const RATES: std::ops::RangeInclusive<f32> = 0.1..=8.0;
/// Finest bin width the rate control goes to.
pub const MIN_BIN: f64 = 0.25;
/// Coarsest bin width (its zero bin still fits a scaled 16-bit number).
const MAX_BIN: f64 = 50000.0;
/// How close to the target size the rate control stops.
const TOLERANCE: f64 = 0.03;

/// Encodes 8-bit grey pixels as WSQ.
pub fn encode(image: &GrayImage, options: &EncodeOptions) -> Result<Vec<u8>> {
    let (width, height) = (image.width, image.height);
    let rate = options.bits_per_pixel;
    if !RATES.contains(&rate) {
        return Err(err(format!(
            "bit rate {rate} bits per pixel ({} to {} accepted)",
            RATES.start(),
            RATES.end()
        )));
    }
    let count = (width as usize).saturating_mul(height as usize);
    if width < MIN_SIDE
        || height < MIN_SIDE
        || width > 0xFFFF
        || height > 0xFFFF
        || count > pixels::MAX_PIXELS
    {
        return Err(err(format!(
            "cannot encode {width}x{height} pixels: {MIN_SIDE} to 65535 pixels a side, at most {} in all",
            pixels::MAX_PIXELS
        )));
    }
    if image.pixels.len() != count {
        return Err(err(format!(
            "{width}x{height} image with {} pixels ({count} expected)",
            image.pixels.len()
        )));
    }
    let (w, h) = (width as usize, height as usize);

    // Normalization with the shift and scale as the decoder will read them.
    let (shift_bytes, scale_bytes, data) = normalize(&image.pixels)?;

    let splits = tree::splits(i64::from(width), i64::from(height));
    let bands = tree::bands(&splits);
    for b in &bands {
        let (x, y, bw, bh) = quantize::rect(b);
        if b.x < 0 || b.y < 0 || b.width < 1 || b.height < 1 || x + bw > w || y + bh > h {
            return Err(err(format!("subband geometry for {width}x{height}")));
        }
    }
    let mut data = data;
    analysis::decompose(&mut data, w, h, &splits)?;
    let var = quantize::variances(&data, w, &bands);
    let base = quantize::allocate(&var, f64::from(rate));

    let mut head = Vec::new();
    writer::start(&mut head);
    writer::comment(&mut head, nist_comment(width, height, options).as_bytes())?;
    if let Some(text) = &options.comment {
        writer::comment(&mut head, text.as_bytes())
            .map_err(|_| err(format!("comment of {} bytes (at most 65533)", text.len())))?;
    }
    head.extend_from_slice(&writer::transform_table());

    let mut blocks: [Vec<i16>; 3] = Default::default();
    let mut syms: [Vec<Symbol>; 3] = Default::default();
    let mut encode_at = |t: f64| -> Result<Vec<u8>> {
        let base = quantize::allocate(&var, f64::from(rate) * (-t).exp());
        let mut q = [0f32; SENT];
        let mut z = [0f32; SENT];
        let mut qb = [[0u8; 3]; 64];
        let mut zb = [[0u8; 3]; 64];
        for (k, &b) in base.iter().enumerate() {
            if b <= 0.0 {
                continue;
            }
            let (bytes, value) = writer::scaled16(b.clamp(MIN_BIN, MAX_BIN))?;
            let (zbytes, zvalue) = writer::scaled16(f64::from(value) * quantize::ZERO_BIN_RATIO)?;
            if let (Some(a), Some(b), Some(c), Some(d)) =
                (q.get_mut(k), z.get_mut(k), qb.get_mut(k), zb.get_mut(k))
            {
                (*a, *b, *c, *d) = (value, zvalue, bytes, zbytes);
            }
        }
        quantize::quantize(&data, w, &bands, &q, &z, &mut blocks);
        for (s, b) in syms.iter_mut().zip(&blocks) {
            he::symbols(b, s);
        }
        let [s1, s2, s3] = &syms;
        let mut out = head.clone();
        writer::quantization_table(&mut out, &qb, &zb)?;
        writer::frame_header(
            &mut out,
            width as u16,
            height as u16,
            shift_bytes,
            scale_bytes,
        )?;
        let mut freq = [0u64; 256];
        he::count(s1, &mut freq);
        let t1 = he::table(&freq);
        writer::huffman_table(&mut out, 0, &t1.counts, &t1.values)?;
        writer::block_header(&mut out, 0)?;
        he::emit(s1, &t1, &mut out);
        let mut freq = [0u64; 256];
        he::count(s2, &mut freq);
        he::count(s3, &mut freq);
        let t2 = he::table(&freq);
        writer::huffman_table(&mut out, 1, &t2.counts, &t2.values)?;
        for s in [s2, s3] {
            writer::block_header(&mut out, 1)?;
            he::emit(s, &t2, &mut out);
        }
        writer::end(&mut out);
        Ok(out)
    };

    if base.iter().all(|&b| b <= 0.0) {
        // Nothing above the variance threshold: the file is the mean alone.
        return encode_at(0.0);
    }
    let target = count as f64 * f64::from(rate) / 8.0;
    // The allocation's rate parameter goes from RATES.end() * 8 down to RATES.start() / 8.
    let r = f64::from(rate);
    let (lo, hi) = ((r / 64.0).ln(), (r / 0.0125).ln());
    quantize::search(encode_at, target, TOLERANCE, lo, hi)
}

/// The NIST comment (ANSI/NIST-ITL field list) every file carries.
fn nist_comment(width: u32, height: u32, options: &EncodeOptions) -> String {
    let ppi = options.ppi.map_or(-1, i64::from);
    let fields = [
        format!("PIX_WIDTH {width}"),
        format!("PIX_HEIGHT {height}"),
        "PIX_DEPTH 8".to_string(),
        format!("PPI {ppi}"),
        "LOSSY 1".to_string(),
        "COLORSPACE GRAY".to_string(),
        "COMPRESSION WSQ".to_string(),
        format!("WSQ_BITRATE {:.6}", options.bits_per_pixel),
    ];
    format!("NIST_COM {}\n{}", fields.len() + 1, fields.join("\n"))
}

/// Shift M (the mean) and scale R (the larger distance from the mean to the darkest or
/// brightest pixel, over 128; 1 for a flat image) as written, and the normalized samples
/// (p - M) / R computed with the values the decoder reads back.
fn normalize(px: &[u8]) -> Result<([u8; 3], [u8; 3], Vec<f32>)> {
    let n = px.len().max(1) as f64;
    let sum: u64 = px.iter().map(|&p| u64::from(p)).sum();
    let (lo, hi) = px
        .iter()
        .fold((255u8, 0u8), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    let mean = sum as f64 / n;
    let (shift_bytes, shift) = writer::scaled16(mean)?;
    let spread = (f64::from(shift) - f64::from(lo)).max(f64::from(hi) - f64::from(shift));
    let scale = if spread > 0.0 { spread / 128.0 } else { 1.0 };
    let (scale_bytes, scale) = writer::scaled16(scale)?;
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let data = px.iter().map(|&p| (f32::from(p) - shift) / scale).collect();
    Ok((shift_bytes, scale_bytes, data))
}
