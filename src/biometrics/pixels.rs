//! Finger images to pixels (ISO/IEC 19794-4 clause 8.3 compression codes): PNG (ISO/IEC 15948)
//! and JPEG (ISO/IEC 10918) decode to 8-bit grey with well-kept crates; WSQ and JPEG 2000 stay as
//! bytes (extracted to files, not decoded). Sizes are bounded so a hostile image cannot exhaust
//! memory.

use super::Compression;
use crate::error::{Error, Result};

/// Largest image accepted, in pixels (a 500 ppi ten-print card is about 8 million).
pub const MAX_PIXELS: usize = 16 * 1024 * 1024;

/// An 8-bit greyscale image, rows top to bottom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrayImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` grey levels.
    pub pixels: Vec<u8>,
}

fn err(msg: impl Into<String>) -> Error {
    Error::Lds(format!("finger image: {}", msg.into()))
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114 + 500) / 1000) as u8
}

/// Decodes a finger image of the given compression to grey pixels.
pub fn decode(compression: Compression, data: &[u8]) -> Result<GrayImage> {
    match compression {
        Compression::Uncompressed => Err(err(
            "uncompressed images need the record's width and height: use the view's fields",
        )),
        Compression::Jpeg => decode_jpeg(data),
        Compression::Png => decode_png(data),
        _ => Err(err(format!(
            "{} images are kept as bytes, not decoded",
            compression.name()
        ))),
    }
}

fn decode_png(data: &[u8]) -> Result<GrayImage> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| err(format!("PNG: {e}")))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if (w as usize).saturating_mul(h as usize) > MAX_PIXELS {
        return Err(err(format!("PNG of {w}x{h} pixels is too large")));
    }
    let mut buf = vec![0u8; reader.output_buffer_size()];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|e| err(format!("PNG: {e}")))?;
    let bytes = buf
        .get(..frame.buffer_size())
        .ok_or_else(|| err("PNG: short frame"))?;
    let channels = frame.color_type.samples();
    let pixels: Vec<u8> = match channels {
        1 | 2 => bytes.chunks_exact(channels).map(|p| p[0]).collect(),
        3 | 4 => bytes
            .chunks_exact(channels)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect(),
        n => return Err(err(format!("PNG with {n} channels"))),
    };
    to_image(w, h, pixels)
}

fn decode_jpeg(data: &[u8]) -> Result<GrayImage> {
    let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(data));
    decoder.set_max_decoding_buffer_size(MAX_PIXELS * 4);
    let raw = decoder.decode().map_err(|e| err(format!("JPEG: {e}")))?;
    let info = decoder
        .info()
        .ok_or_else(|| err("JPEG: no image information"))?;
    let pixels: Vec<u8> = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => raw,
        jpeg_decoder::PixelFormat::L16 => raw.chunks_exact(2).map(|p| p[0]).collect(),
        jpeg_decoder::PixelFormat::RGB24 => raw
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect(),
        jpeg_decoder::PixelFormat::CMYK32 => raw.chunks_exact(4).map(|p| 255 - p[3]).collect(),
    };
    to_image(u32::from(info.width), u32::from(info.height), pixels)
}

fn to_image(width: u32, height: u32, pixels: Vec<u8>) -> Result<GrayImage> {
    if pixels.len() != width as usize * height as usize {
        return Err(err(format!(
            "{} pixels for a {width}x{height} image",
            pixels.len()
        )));
    }
    Ok(GrayImage {
        width,
        height,
        pixels,
    })
}
