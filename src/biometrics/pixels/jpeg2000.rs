//! JPEG 2000 (ISO/IEC 15444-1) to pixels: a JP2 file (Annex I: signature, `jp2h` header box,
//! `jp2c` codestream box) or a raw codestream (Annex A, `FF4F FF51`), decoded by the pure-Rust
//! `hayro-jpeg2000` crate. The image size is read from the SIZ marker and bounded by
//! [`MAX_PIXELS`] before any sample is allocated; the resolution comes from the JP2 `res ` box
//! (I.5.3.7, capture resolution `resc` preferred over display resolution `resd`).

use super::{MAX_PIXELS, Pixels, Resolution, ResolutionUnit, err};
use crate::error::Result;
use hayro_jpeg2000::{ColorSpace, DecodeSettings, DecoderContext, Image};

/// Decodes a JP2 file or a raw JPEG 2000 codestream to 8-bit grey or RGB pixels (an alpha
/// channel is dropped; higher bit depths are scaled to 8 bits).
pub fn decode(data: &[u8]) -> Result<Pixels> {
    // The decoder is memory-safe but a third-party crate: a panic on hostile input becomes an
    // error here instead of taking the caller down (fail closed: no image).
    std::panic::catch_unwind(|| decode_inner(data))
        .unwrap_or_else(|_| Err(err("JPEG 2000: the decoder gave up on malformed data")))
}

fn decode_inner(data: &[u8]) -> Result<Pixels> {
    let settings = DecodeSettings {
        strict: false,
        ..DecodeSettings::default()
    };
    let image = Image::new(data, &settings).map_err(|e| err(format!("JPEG 2000: {e}")))?;
    let (width, height) = (image.width(), image.height());
    let colour = image.color_space().num_channels();
    let alpha = usize::from(image.has_alpha());
    let channels = usize::from(colour) + alpha;
    let area = (width as usize).saturating_mul(height as usize);
    if width == 0 || height == 0 || area > MAX_PIXELS || !(1..=5).contains(&channels) {
        return Err(err(format!(
            "JPEG 2000 of {width}x{height} pixels in {channels} channels: at most {MAX_PIXELS} \
             pixels and 1 to 4 colour channels (plus alpha) are decoded"
        )));
    }
    let keep: usize = match image.color_space() {
        ColorSpace::Gray => 1,
        ColorSpace::RGB => 3,
        ColorSpace::Icc { num_channels, .. } if matches!(num_channels, 1 | 3) => {
            usize::from(*num_channels)
        }
        other => {
            return Err(err(format!(
                "JPEG 2000 in colour space {other:?}: only grey and RGB are decoded"
            )));
        }
    };
    let mut ctx = DecoderContext::default();
    let decoded = image
        .decode(&mut ctx)
        .map_err(|e| err(format!("JPEG 2000: {e}")))?;
    let samples = decoded.data_u8();
    let expected = area.saturating_mul(channels);
    if samples.len() != expected {
        return Err(err(format!(
            "JPEG 2000: {} samples for {width}x{height} pixels in {channels} channels",
            samples.len()
        )));
    }
    let pixels: Vec<u8> = if keep == channels {
        samples
    } else {
        samples
            .chunks_exact(channels)
            .flat_map(|p| p.iter().take(keep).copied())
            .collect()
    };
    Pixels::new(width, height, keep as u8, pixels)
        .map(|p| p.with_resolution(jp2_resolution(data_boxes(data))))
}

/// The JP2 boxes when `data` is a JP2 file; empty for a raw codestream.
fn data_boxes(data: &[u8]) -> &[u8] {
    if data.starts_with(&[0xFF, 0x4F]) {
        &[]
    } else {
        data
    }
}

/// The boxes in `data` (I.4: `LBox:4 TBox:4 [XLBox:8] contents`), as (type, contents);
/// stops at the first box that does not fit.
fn boxes(mut data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    std::iter::from_fn(move || {
        let lbox = u32::from_be_bytes(data.get(..4)?.try_into().ok()?);
        let tbox: [u8; 4] = data.get(4..8)?.try_into().ok()?;
        let (header, total) = match lbox {
            0 => (8, data.len()),
            1 => {
                let xl = u64::from_be_bytes(data.get(8..16)?.try_into().ok()?);
                (16, usize::try_from(xl).ok()?)
            }
            n => (8, usize::try_from(n).ok()?),
        };
        let contents = data.get(header..total)?;
        data = data.get(total..)?;
        Some((tbox, contents))
    })
}

fn find<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(data).find(|(t, _)| t == kind).map(|(_, c)| c)
}

/// The resolution of a JP2 file's `jp2h/res ` box, in pixels per metre: each of `resc`/`resd`
/// is `VR_N:2 VR_D:2 HR_N:2 HR_D:2 VR_E:1 HR_E:1`, resolution `N / D * 10^E` grid points per
/// metre (I.5.3.7.1).
pub(super) fn jp2_resolution(data: &[u8]) -> Option<Resolution> {
    let res = find(find(data, b"jp2h")?, b"res ")?;
    let b = find(res, b"resc").or_else(|| find(res, b"resd"))?;
    let u = |i: usize| -> Option<f64> {
        Some(f64::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?])))
    };
    let e = |i: usize| -> Option<i32> { Some(i32::from(i8::from_be_bytes([*b.get(i)?]))) };
    let value = |n: f64, d: f64, e: i32| -> Option<u32> {
        let v = (n / d * 10f64.powi(e)).round();
        (d > 0.0 && v >= 1.0 && v <= f64::from(u32::MAX)).then_some(v as u32)
    };
    let vertical = value(u(0)?, u(2)?, e(8)?)?;
    let horizontal = value(u(4)?, u(6)?, e(9)?)?;
    Some(Resolution {
        horizontal,
        vertical,
        unit: ResolutionUnit::PerMetre,
    })
}
