//! WSQ marker segments as the encoder writes them (FBI IAFIS-IC-0110 v3.1, Annex A.2 "Syntax"):
//! SOI, the NIST comment and an optional user comment (COM), the transform table (DTT), the
//! quantization table (DQT), the frame header (SOF), Huffman tables (DHT), block headers (SOB)
//! and EOI. Real numbers travel as scaled integers (an exponent E and an integer V meaning
//! V / 10^E); the encoder uses the values the decoder will read back, not its own unrounded ones.

use super::analysis::{HIGHPASS, LOWPASS};
use super::err;
use super::markers::{self, Cursor, SUBBANDS};
use crate::error::Result;

/// The bin centre C of the quantizer (Annex A.3.1; 0.44 as in the reference encoder).
pub const BIN_CENTER: f64 = 0.44;

/// A scaled 16-bit value: (exponent, value), the largest exponent that keeps the value in
/// 16 bits, and the number the decoder reads back from it.
pub fn scaled16(v: f64) -> Result<([u8; 3], f32)> {
    if !(0.0..=65535.0).contains(&v) {
        return Err(err(format!(
            "value {v} cannot be written as a scaled 16-bit number"
        )));
    }
    let mut e = 0u8;
    while e < 30 && (v * 10f64.powi(i32::from(e) + 1)).round() <= 65535.0 && v != 0.0 {
        e += 1;
    }
    let n = (v * 10f64.powi(i32::from(e))).round() as u16;
    let [hi, lo] = n.to_be_bytes();
    let bytes = [e, hi, lo];
    let back = Cursor::new(&bytes).scaled("scaled value")?;
    Ok((bytes, back))
}

/// A signed filter coefficient: sign byte, exponent, 32-bit magnitude.
fn coefficient(out: &mut Vec<u8>, v: f64) {
    let m = v.abs();
    let mut e = 0u8;
    while e < 30 && m != 0.0 && (m * 10f64.powi(i32::from(e) + 1)).round() <= f64::from(u32::MAX) {
        e += 1;
    }
    let n = (m * 10f64.powi(i32::from(e))).round() as u32;
    out.push(u8::from(v < 0.0));
    out.push(e);
    out.extend_from_slice(&n.to_be_bytes());
}

fn segment(out: &mut Vec<u8>, marker: u16, body: &[u8]) -> Result<()> {
    let len = u16::try_from(body.len() + 2).map_err(|_| {
        err(format!(
            "{} segment of {} bytes is too long",
            markers::name(marker),
            body.len()
        ))
    })?;
    out.extend_from_slice(&marker.to_be_bytes());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(body);
    Ok(())
}

/// SOI.
pub fn start(out: &mut Vec<u8>) {
    out.extend_from_slice(&markers::SOI.to_be_bytes());
}

/// EOI.
pub fn end(out: &mut Vec<u8>) {
    out.extend_from_slice(&markers::EOI.to_be_bytes());
}

/// A comment segment.
pub fn comment(out: &mut Vec<u8>, text: &[u8]) -> Result<()> {
    segment(out, markers::COM, text)
}

/// The DTT segment: the right halves (centre tap first) of the analysis lowpass and highpass
/// filters, lowpass first.
pub fn transform_table() -> Vec<u8> {
    let mut body = vec![LOWPASS.len() as u8, HIGHPASS.len() as u8];
    for taps in [&LOWPASS[..], &HIGHPASS[..]] {
        for &v in taps.get(taps.len() / 2..).unwrap_or_default() {
            coefficient(&mut body, v);
        }
    }
    let mut out = Vec::new();
    // 58 bytes: cannot exceed a segment.
    let _ = segment(&mut out, markers::DTT, &body);
    out
}

/// The DQT segment from already scaled bin widths and zero-bin widths (64 subbands, zeros for
/// those not transmitted).
pub fn quantization_table(
    out: &mut Vec<u8>,
    q: &[[u8; 3]; SUBBANDS],
    z: &[[u8; 3]; SUBBANDS],
) -> Result<()> {
    let mut body = Vec::with_capacity(3 + 6 * SUBBANDS);
    body.extend_from_slice(&scaled16(BIN_CENTER)?.0);
    for (qi, zi) in q.iter().zip(z) {
        body.extend_from_slice(qi);
        body.extend_from_slice(zi);
    }
    segment(out, markers::DQT, &body)
}

/// The frame header: black 0, white 255, size, shift M and scale R (already scaled), encoder
/// number 2, software number 0.
pub fn frame_header(
    out: &mut Vec<u8>,
    width: u16,
    height: u16,
    shift: [u8; 3],
    scale: [u8; 3],
) -> Result<()> {
    let mut body = vec![0u8, 255];
    body.extend_from_slice(&height.to_be_bytes());
    body.extend_from_slice(&width.to_be_bytes());
    body.extend_from_slice(&shift);
    body.extend_from_slice(&scale);
    body.push(2);
    body.extend_from_slice(&0u16.to_be_bytes());
    segment(out, markers::SOF, &body)
}

/// A DHT segment with one table.
pub fn huffman_table(out: &mut Vec<u8>, id: u8, counts: &[u8; 16], values: &[u8]) -> Result<()> {
    let mut body = Vec::with_capacity(17 + values.len());
    body.push(id);
    body.extend_from_slice(counts);
    body.extend_from_slice(values);
    segment(out, markers::DHT, &body)
}

/// A block header selecting Huffman table `id`.
pub fn block_header(out: &mut Vec<u8>, id: u8) -> Result<()> {
    segment(out, markers::SOB, &[id])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_values_keep_five_digits() {
        assert_eq!(scaled16(0.44).unwrap().0, [5, 0xab, 0xe0]);
        assert_eq!(scaled16(31.772).unwrap().0, [3, 0x7c, 0x1c]);
        assert_eq!(scaled16(209.07).unwrap().0, [2, 0x51, 0xab]);
        assert_eq!(scaled16(0.0).unwrap().0, [0, 0, 0]);
        let (_, back) = scaled16(1.633_312).unwrap();
        assert!((back - 1.6333).abs() < 1e-6, "{back}");
        assert!(scaled16(70000.0).is_err());
        assert!(scaled16(-1.0).is_err());
    }

    #[test]
    fn transform_table_carries_the_9_7_filters() {
        let t = transform_table();
        assert_eq!(t.len(), 2 + 58);
        assert_eq!(t.get(..6), Some(&[0xFF, 0xA4, 0, 58, 9, 7][..]));
        // Centre tap of the lowpass: +0.852698679 x 10^9.
        assert_eq!(t.get(6..12), Some(&[0, 9, 0x32, 0xd3, 0x26, 0x37][..]));
    }
}
