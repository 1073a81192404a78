//! The JP2 file format of ISO/IEC 15444-1 Annex I around a codestream: the signature box
//! (I.5.1), the file type box with brand `jp2 ` (I.5.2), the header superbox (I.5.3) with the
//! image header (I.5.3.1), the colour specification by enumerated colourspace (I.5.3.3: 17
//! greyscale, 16 sRGB) and, when known, the capture resolution (`res `/`resc`, I.5.3.7), then
//! the contiguous codestream box (I.5.4).

use super::super::{Resolution, ResolutionUnit};

fn push_box(out: &mut Vec<u8>, kind: &[u8; 4], body: &[u8]) {
    let len = (body.len() + 8) as u32;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
}

/// A resolution in pixels per metre as `(numerator, denominator, exponent)` with
/// `value = n / d * 10^e` (I.5.3.7.1), exact for pixels per inch up to 65535.
fn per_metre(value: u32, unit: ResolutionUnit) -> (u16, u16, i8) {
    let (mut n, d, mut e) = match unit {
        // ppi / 0.0254 = ppi * 10^4 / 254
        ResolutionUnit::PerInch => (u64::from(value) * 10_000, 254u16, 0i8),
        ResolutionUnit::PerCentimetre => (u64::from(value), 1, 2),
        ResolutionUnit::PerMetre => (u64::from(value), 1, 0),
    };
    // Drop decimal digits (rounding) until the numerator fits; at most 10 steps for a u32.
    while n > u64::from(u16::MAX) {
        n = (n + 5) / 10;
        e = e.saturating_add(1);
    }
    (u16::try_from(n).unwrap_or(u16::MAX), d, e)
}

/// The JP2 file of `codestream`.
pub(super) fn wrap(
    codestream: &[u8],
    width: u32,
    height: u32,
    components: u16,
    resolution: Option<Resolution>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(codestream.len() + 128);
    push_box(&mut out, b"jP  ", &[0x0D, 0x0A, 0x87, 0x0A]);
    push_box(&mut out, b"ftyp", b"jp2 \0\0\0\0jp2 ");

    let mut jp2h = Vec::new();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&components.to_be_bytes());
    ihdr.extend_from_slice(&[7, 7, 0, 0]); // 8-bit unsigned, JPEG 2000, colourspace known, no IPR
    push_box(&mut jp2h, b"ihdr", &ihdr);
    let enumerated: u32 = if components == 3 { 16 } else { 17 };
    let mut colr = vec![1, 0, 0];
    colr.extend_from_slice(&enumerated.to_be_bytes());
    push_box(&mut jp2h, b"colr", &colr);
    if let Some(r) = resolution {
        let (vn, vd, ve) = per_metre(r.vertical, r.unit);
        let (hn, hd, he) = per_metre(r.horizontal, r.unit);
        let mut resc = Vec::new();
        for v in [vn, vd, hn, hd] {
            resc.extend_from_slice(&v.to_be_bytes());
        }
        resc.extend_from_slice(&[ve as u8, he as u8]);
        let mut res = Vec::new();
        push_box(&mut res, b"resc", &resc);
        push_box(&mut jp2h, b"res ", &res);
    }
    push_box(&mut out, b"jp2h", &jp2h);
    push_box(&mut out, b"jp2c", codestream);
    out
}
