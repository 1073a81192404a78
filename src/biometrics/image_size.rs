//! The pixel size an image file declares in its header, for the finger image formats of
//! ISO/IEC 19794-4 clause 8.3.14 (compression codes): WSQ (the frame header SOF, FBI
//! IAFIS-IC-0110 v3.1 clause 3.3.2), PNG (the IHDR chunk, ISO/IEC 15948 clause 11.2.2), JPEG
//! and JPEG 2000 (through [`super::face::image_dimensions`]). Only headers are read.

use super::Compression;
use super::face::image_dimensions;
use crate::error::{Error, Result};

fn bad(what: &str) -> Error {
    Error::Lds(format!("finger image: {what}"))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at.checked_add(1)?)?,
    ]))
}

/// The format and the width and height in pixels an image file's header gives.
pub fn image_size(image: &[u8]) -> Result<(Compression, u16, u16)> {
    let compression = Compression::sniff(image)
        .ok_or_else(|| bad("not WSQ, JPEG, JPEG 2000 or PNG (by its first bytes)"))?;
    let (w, h) = match compression {
        Compression::Wsq => wsq_size(image)?,
        Compression::Png => png_size(image)?,
        _ => image_dimensions(image).map(|(_, w, h)| (w, h))?,
    };
    if w == 0 || h == 0 {
        return Err(bad(&format!("the header gives {w}x{h} pixels")));
    }
    Ok((compression, w, h))
}

/// WSQ: after SOI (FFA0), marker segments each `FFxx <length:2> ...`; the frame header SOF
/// (FFA2) is `<length:2> <black:1> <white:1> <height:2> <width:2> ...`.
fn wsq_size(image: &[u8]) -> Result<(u16, u16)> {
    let mut pos = 2usize;
    for _ in 0..64 {
        let marker = u16_at(image, pos).ok_or_else(|| bad("WSQ without a frame header"))?;
        if marker >> 8 != 0xFF {
            return Err(bad(&format!("WSQ: {marker:04X} where a marker belongs")));
        }
        if marker == 0xFFA2 {
            let height = u16_at(image, pos + 6).ok_or_else(|| bad("WSQ: short frame header"))?;
            let width = u16_at(image, pos + 8).ok_or_else(|| bad("WSQ: short frame header"))?;
            return Ok((width, height));
        }
        let len = u16_at(image, pos + 2).ok_or_else(|| bad("WSQ: short segment"))?;
        if len < 2 {
            return Err(bad("WSQ: segment length below 2"));
        }
        pos = pos
            .checked_add(2 + usize::from(len))
            .ok_or_else(|| bad("WSQ: segment past the end"))?;
    }
    Err(bad("WSQ: no frame header among the first 64 segments"))
}

/// PNG: the 8-byte signature, then IHDR: `<length:4> "IHDR" <width:4> <height:4> ...`.
fn png_size(image: &[u8]) -> Result<(u16, u16)> {
    let ihdr = image
        .get(8..24)
        .filter(|h| h.get(4..8) == Some(b"IHDR".as_slice()))
        .ok_or_else(|| bad("PNG without an IHDR chunk first"))?;
    let dim = |at: usize| -> Result<u16> {
        let v = u32::from_be_bytes([ihdr[at], ihdr[at + 1], ihdr[at + 2], ihdr[at + 3]]);
        u16::try_from(v).map_err(|_| bad(&format!("PNG {v} pixels across: beyond 65535")))
    };
    Ok((dim(8)?, dim(12)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_from_headers() {
        let wsq = [
            0xFF, 0xA0, 0xFF, 0xA8, 0x00, 0x04, 0x41, 0x42, 0xFF, 0xA2, 0x00, 0x11, 0x00, 0xFF,
            0x01, 0x2C, 0x00, 0xC8,
        ];
        assert_eq!(image_size(&wsq).unwrap(), (Compression::Wsq, 200, 300));
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend([0, 0, 0, 13]);
        png.extend(b"IHDR");
        png.extend(416u32.to_be_bytes());
        png.extend(560u32.to_be_bytes());
        assert_eq!(image_size(&png).unwrap(), (Compression::Png, 416, 560));
        assert!(image_size(&wsq[..12]).is_err());
        assert!(image_size(b"GIF89a").is_err());
        let mut huge = png.clone();
        huge[16..20].copy_from_slice(&70_000u32.to_be_bytes());
        assert!(image_size(&huge).is_err());
    }
}
