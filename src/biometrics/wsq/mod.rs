//! WSQ finger images to pixels: a decoder for the FBI "WSQ Gray-scale Fingerprint Image
//! Compression Specification" (IAFIS-IC-0110, version 3.1), the wavelet scalar quantization
//! codec that ANSI/NIST-ITL and ISO/IEC 19794-4 (compression code 2) use for 500 ppi fingerprints
//! and that the EU passport profile asks for in DG3.
//!
//! A WSQ file is a sequence of marker segments (`markers`): SOI, tables (transform DTT,
//! quantization DQT, Huffman DHT, comments COM, restart interval DRI), the frame header SOF,
//! then at least three blocks of Huffman-coded quantized coefficients (`huffman`) and EOI.
//! Decoding dequantizes the 60 transmitted subbands of the 64-subband decomposition
//! (`tree`, Annex A.3.1 of the specification), inverts the 20 two-dimensional splits with the
//! 9/7 synthesis filters carried in the DTT (`wavelet`), and scales and shifts the result
//! back to 8-bit grey. The arithmetic follows the NIST NBIS reference decoder in single
//! precision, so the pixels equal its output (the specification's conformance test asks for
//! 99.9 % identical and none off by more than one grey level).
//!
//! The input is untrusted: the image size is capped at [`pixels::MAX_PIXELS`] before anything
//! is allocated, every loop is bounded by the input or the image size, and every malformed
//! field gives an [`crate::Error::Lds`] naming the marker, table or offset.
//!
//! [`encode`] is the other direction: grey pixels to a WSQ file of a requested bit rate.

mod analysis;
mod encode;
mod huffman;
mod huffman_encode;
mod markers;
mod quantize;
mod tree;
mod wavelet;
mod writer;

use super::pixels::{self, GrayImage};
use crate::error::{Error, Result};
pub use encode::{EncodeOptions, encode};
pub use markers::FrameHeader;
use markers::{Cursor, HUFFMAN_TABLES, HuffmanSpec, Quantization};

pub(crate) fn err(msg: impl Into<String>) -> Error {
    Error::Lds(format!("WSQ: {}", msg.into()))
}

/// A decoded WSQ image.
#[derive(Clone, Debug, PartialEq)]
pub struct WsqImage {
    /// The pixels, 8-bit grey.
    pub image: GrayImage,
    /// Resolution in pixels per inch, from a NIST comment (`NIST_COM` ... `PPI 500`) when the
    /// file has one with a positive value.
    pub ppi: Option<u16>,
    /// The frame header (scanner levels, shift and scale, encoder and software numbers).
    pub frame: FrameHeader,
    /// Every comment segment's text, in file order (lossy UTF-8).
    pub comments: Vec<String>,
}

/// Decodes a WSQ file to grey pixels.
pub fn decode(bytes: &[u8]) -> Result<WsqImage> {
    let mut c = Cursor::new(bytes);
    let first = c.marker()?;
    if first != markers::SOI {
        return Err(err(format!(
            "the file starts with {}, not SOI (FFA0)",
            markers::name(first)
        )));
    }
    let mut filters = None;
    let mut quant: Option<Quantization> = None;
    let mut tables: [Option<HuffmanSpec>; HUFFMAN_TABLES] = Default::default();
    let mut comments = Vec::new();
    let mut ppi = None;
    let mut blocks = 0usize;

    // Tables before the frame header.
    let frame = loop {
        let at = c.pos;
        let m = c.marker()?;
        match m {
            markers::SOF => break markers::frame_header(&mut c)?,
            markers::DTT => filters = Some(markers::transform_table(&mut c)?),
            markers::DQT => quant = Some(markers::quantization_table(&mut c)?),
            markers::DHT => markers::huffman_tables(&mut c, &mut tables)?,
            markers::COM => keep_comment(&mut c, &mut comments, &mut ppi, blocks)?,
            other => {
                return Err(err(format!(
                    "{} at offset {at} before the frame header (SOF)",
                    markers::name(other)
                )));
            }
        }
    };
    let (width, height) = (usize::from(frame.width), usize::from(frame.height));
    let count = width.saturating_mul(height);
    if count == 0 || count > pixels::MAX_PIXELS {
        return Err(err(format!(
            "frame of {width}x{height} pixels (1 to {} pixels accepted)",
            pixels::MAX_PIXELS
        )));
    }
    let splits = tree::splits(i64::from(frame.width), i64::from(frame.height));
    let bands = tree::bands(&splits);
    for (i, b) in bands.iter().enumerate() {
        if b.x < 0 || b.y < 0 || b.width < 0 || b.height < 0 {
            return Err(err(format!(
                "subband {i} has a negative size for {width}x{height}"
            )));
        }
    }

    let mut coefficients: Vec<i16> = Vec::new();
    let mut next = 0usize;
    loop {
        let at = c.pos;
        let m = c.marker()?;
        match m {
            markers::EOI => break,
            markers::DTT => filters = Some(markers::transform_table(&mut c)?),
            markers::DQT => quant = Some(markers::quantization_table(&mut c)?),
            markers::DHT => markers::huffman_tables(&mut c, &mut tables)?,
            markers::COM => keep_comment(&mut c, &mut comments, &mut ppi, blocks)?,
            markers::DRI => {
                markers::restart_interval(&mut c)?;
            }
            markers::SOB => {
                let q = quant.as_ref().ok_or_else(|| {
                    err(format!(
                        "block at offset {at} before any quantization table (DQT)"
                    ))
                })?;
                if blocks == 0 {
                    coefficients = vec![0i16; transmitted(q, &bands, count)];
                }
                let id = markers::block_header(&mut c)?;
                let spec = tables
                    .get(usize::from(id))
                    .and_then(Option::as_ref)
                    .ok_or_else(|| {
                        err(format!(
                            "block at offset {at} selects Huffman table {id}, which is not defined"
                        ))
                    })?;
                let decoder = huffman::Decoder::new(spec);
                c.pos =
                    huffman::decode_block(bytes, c.pos, &decoder, &mut coefficients, &mut next)?;
                blocks += 1;
            }
            other => {
                return Err(err(format!(
                    "{} at offset {at} where a table, a block or EOI was expected",
                    markers::name(other)
                )));
            }
        }
    }
    if blocks == 0 {
        return Err(err("no coefficient block (SOB) before EOI"));
    }
    let filters = filters.ok_or_else(|| err("no transform table (DTT)"))?;
    let quant = quant.ok_or_else(|| err("no quantization table (DQT)"))?;

    let mut image = vec![0f32; count];
    dequantize(&mut image, width, &quant, &bands, &coefficients)?;
    wavelet::reconstruct(&mut image, width, &splits, &filters)?;
    let pixels = image
        .iter()
        .map(|&v| to_grey(v, frame.scale, frame.shift))
        .collect();
    Ok(WsqImage {
        image: GrayImage {
            width: u32::from(frame.width),
            height: u32::from(frame.height),
            pixels,
        },
        ppi,
        frame,
        comments,
    })
}

fn keep_comment(
    c: &mut Cursor<'_>,
    comments: &mut Vec<String>,
    ppi: &mut Option<u16>,
    blocks: usize,
) -> Result<()> {
    let text = markers::comment(c)?;
    if ppi.is_none() && blocks == 0 {
        *ppi = markers::nist_ppi(&text);
    }
    comments.push(String::from_utf8_lossy(&text).into_owned());
    Ok(())
}

/// How many coefficients the blocks may carry: the image size less the subbands not
/// transmitted (Q = 0).
fn transmitted(q: &Quantization, bands: &[tree::Band; 64], count: usize) -> usize {
    let skipped: i64 =
        q.q.iter()
            .zip(bands)
            .filter(|(qi, _)| **qi == 0.0)
            .map(|(_, b)| b.width.saturating_mul(b.height))
            .sum();
    count.saturating_sub(usize::try_from(skipped).unwrap_or(usize::MAX))
}

/// Dequantization (Annex A.3.1): the coefficients of subbands 0 to 59 with Q != 0, in order,
/// fill their rectangles row by row; p > 0 gives Q(p - C) + Z/2, p < 0 gives Q(p + C) - Z/2.
fn dequantize(
    image: &mut [f32],
    width: usize,
    q: &Quantization,
    bands: &[tree::Band; 64],
    coefficients: &[i16],
) -> Result<()> {
    let mut source = coefficients.iter();
    for (i, band) in bands.iter().enumerate().take(60) {
        let (Some(&qi), Some(&zi)) = (q.q.get(i), q.z.get(i)) else {
            continue;
        };
        if qi == 0.0 {
            continue;
        }
        let (x, y) = (band.x as usize, band.y as usize);
        let (w, h) = (band.width as usize, band.height as usize);
        for row in y..y.saturating_add(h) {
            let start = row.saturating_mul(width).saturating_add(x);
            let line = start
                .checked_add(w)
                .and_then(|end| image.get_mut(start..end))
                .ok_or_else(|| err(format!("subband {i} lies outside the image")))?;
            for out in line {
                let p = source.next().copied().unwrap_or(0);
                *out = match p {
                    0 => 0.0,
                    p if p > 0 => {
                        (f64::from(qi * (f32::from(p) - q.center)) + f64::from(zi) / 2.0) as f32
                    }
                    p => (f64::from(qi * (f32::from(p) + q.center)) - f64::from(zi) / 2.0) as f32,
                };
            }
        }
    }
    Ok(())
}

/// Back to 8-bit grey: `v * R + M`, rounded half up, clamped to 0..=255 (NaN gives 0).
fn to_grey(v: f32, scale: f32, shift: f32) -> u8 {
    let t = v * scale + shift;
    let t = (f64::from(t) + 0.5) as f32;
    if t.is_nan() || t < 0.0 {
        0
    } else if t > 255.0 {
        255
    } else {
        t as u8
    }
}
