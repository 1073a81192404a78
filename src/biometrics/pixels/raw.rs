//! Finger images without a compressed format (ISO/IEC 19794-4:2005 clause 8.3.14, compression
//! codes 0 "uncompressed, no bit packing" and 1 "uncompressed, bit-packed"; 2011 Table 9 the
//! same): the record's width and height say how to read them. Uncompressed samples take one
//! byte (8 bits) or two (16 bits, big-endian, the high byte kept); bit-packed samples are
//! 1 to 8 bits, most significant first, with the depth the data's length implies. Some writers
//! put a binary PGM (`P5`) header before the samples; it is read when present.

use super::{Pixels, err, too_large};
use crate::biometrics::Compression;
use crate::error::Result;

/// Any image of a DG2/DG3 record to pixels: a file with a format ([`super::decode_image`]),
/// or raw samples read with the record's `compression`, `width` and `height`.
pub fn decode_view(
    data: &[u8],
    compression: Compression,
    width: u32,
    height: u32,
) -> Result<Pixels> {
    if Compression::sniff(data).is_some() {
        return super::decode_image(data);
    }
    if data.starts_with(b"P5") {
        return pgm(data);
    }
    if too_large(width, height) || width == 0 || height == 0 {
        return Err(err(format!("a raw image of {width}x{height} pixels")));
    }
    let n = u64::from(width) * u64::from(height);
    let len = data.len() as u64;
    let samples = match compression {
        Compression::Uncompressed if len == n => data.to_vec(),
        Compression::Uncompressed if len == 2 * n => data.chunks_exact(2).map(|s| s[0]).collect(),
        Compression::BitPacked => unpack(data, n)?,
        Compression::Uncompressed => {
            return Err(err(format!(
                "an uncompressed {width}x{height} image is {n} bytes (8 bits) or {} (16 bits), \
                 this one {len}",
                2 * n
            )));
        }
        other => {
            return Err(err(format!(
                "the record says {}, but the image has no known header",
                other.name()
            )));
        }
    };
    Pixels::new(width, height, 1, samples)
}

/// Bit-packed samples: the depth is the one of 1, 2, 4 or 8 bits that makes `n` samples fill
/// exactly the data's bytes (the record's pixel depth would say the same).
fn unpack(data: &[u8], n: u64) -> Result<Vec<u8>> {
    let len = data.len() as u64;
    let depth = [1u32, 2, 4, 8]
        .into_iter()
        .find(|d| (n * u64::from(*d)).div_ceil(8) == len)
        .ok_or_else(|| {
            err(format!(
                "{len} bytes are not {n} bit-packed samples of 1, 2, 4 or 8 bits"
            ))
        })?;
    let max = (1u32 << depth) - 1;
    let per_byte = 8 / depth;
    let mut out = Vec::with_capacity(n as usize);
    'bytes: for byte in data {
        for k in 0..per_byte {
            if out.len() as u64 == n {
                break 'bytes;
            }
            let shift = 8 - depth * (k + 1);
            let v = (u32::from(*byte) >> shift) & max;
            out.push((v * 255 / max) as u8);
        }
    }
    Ok(out)
}

/// A binary PGM: `P5 <width> <height> <maxval>` (whitespace separated, `#` comments), one
/// whitespace byte, then one byte per sample (maxval up to 255).
fn pgm(data: &[u8]) -> Result<Pixels> {
    let mut pos = 2usize;
    let mut fields = [0u32; 3];
    for f in &mut fields {
        loop {
            match data.get(pos) {
                Some(b'#') => {
                    while data.get(pos).is_some_and(|b| *b != b'\n') {
                        pos += 1;
                    }
                }
                Some(b) if b.is_ascii_whitespace() => pos += 1,
                _ => break,
            }
        }
        let start = pos;
        while data.get(pos).is_some_and(u8::is_ascii_digit) && pos - start < 9 {
            pos += 1;
        }
        *f = std::str::from_utf8(data.get(start..pos).unwrap_or_default())
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| err("a PGM header without its width, height and maximum"))?;
    }
    let [width, height, maxval] = fields;
    if width == 0 || height == 0 {
        return Err(err(format!(
            "a PGM of {width}x{height} pixels holds no image"
        )));
    }
    if !(1..=255).contains(&maxval) || too_large(width, height) {
        return Err(err(format!(
            "a PGM of {width}x{height} with maximum {maxval}: only 8-bit PGMs are read"
        )));
    }
    let n = width as usize * height as usize;
    let body = data
        .get(pos + 1..)
        .and_then(|b| b.get(..n))
        .ok_or_else(|| err(format!("a PGM of {width}x{height} pixels is cut short")))?;
    let scale = |v: u8| (u32::from(v.min(maxval as u8)) * 255 / maxval) as u8;
    Pixels::new(width, height, 1, body.iter().map(|v| scale(*v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncompressed_bit_packed_and_pgm_samples_become_grey_pixels() {
        let raw = decode_view(&[0, 128, 255, 7, 8, 9], Compression::Uncompressed, 3, 2).unwrap();
        assert_eq!(raw.data, [0, 128, 255, 7, 8, 9]);
        let wide = decode_view(&[1, 2, 3, 4], Compression::Uncompressed, 2, 1).unwrap();
        assert_eq!(wide.data, [1, 3]);
        // 1 bit per sample: 1010 0000 -> white, black, white, black, black.
        let packed = decode_view(&[0b1010_0000], Compression::BitPacked, 5, 1).unwrap();
        assert_eq!(packed.data, [255, 0, 255, 0, 0]);
        // 4 bits per sample: F0 -> 255, 0; 81 -> 136, 17.
        let nibbles = decode_view(&[0xF0, 0x81], Compression::BitPacked, 2, 2).unwrap();
        assert_eq!(nibbles.data, [255, 0, 136, 17]);
        let pgm = decode_view(
            b"P5\n# dactyl\n2 2\n255\n\x01\x02\x03\x04",
            Compression::Uncompressed,
            0,
            0,
        )
        .unwrap();
        assert_eq!(
            (pgm.width, pgm.height, pgm.data.clone()),
            (2, 2, vec![1, 2, 3, 4])
        );
    }

    #[test]
    fn sizes_that_do_not_fit_are_refused() {
        assert!(decode_view(&[0; 5], Compression::Uncompressed, 3, 2).is_err());
        assert!(decode_view(&[0; 4], Compression::BitPacked, 5, 1).is_err());
        assert!(decode_view(&[0; 4], Compression::Wsq, 2, 2).is_err());
        assert!(decode_view(b"P5 2 2 255\n\x01", Compression::Uncompressed, 0, 0).is_err());
        assert!(decode_view(b"P5 2 2 65535\n", Compression::Uncompressed, 0, 0).is_err());
        assert!(decode_view(&[], Compression::Uncompressed, 0, 0).is_err());
    }

    #[test]
    fn a_pgm_without_pixels_is_refused() {
        // Seen while writing the image_check fuzz target: a 0x0 PGM decoded to an empty
        // image, where raw samples of a 0x0 record are refused.
        for pgm in [&b"P5 0 0 1 "[..], b"P5 0 7 255\n", b"P5 3 0 255\n"] {
            let e = decode_view(pgm, Compression::Uncompressed, 0, 0).unwrap_err();
            assert!(e.to_string().contains("PGM"), "{e}");
        }
    }
}
