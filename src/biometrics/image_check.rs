//! An image checked against the record around it: the face and finger image blocks of
//! ISO/IEC 19794-5 (clause 5.7: width, height, image data type), 19794-4 (clauses 8.3.9 to
//! 8.3.14: width, height, resolution and scale units, compression) and their 39794 successors
//! state what the image is, and the image file states it again in its own header. This module
//! decodes the image ([`super::pixels::decode_image`]; raw images need the record's size) and
//! says, in plain words, where the two disagree or why the image does not decode.
//!
//! It is used where a user looks at a document (`dactyl inspect`: lenient, the disagreements
//! are warnings) and where dactyl writes one (the issuing side: every image it writes must
//! decode, or the issue stops).

use super::Compression;
use super::pixels::{self, Pixels, ResolutionUnit};
use serde::Serialize;

/// What the record says the image is.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Declared {
    /// The compression code, when the record gives one.
    pub compression: Option<Compression>,
    /// Width and height in pixels, when the record gives them.
    pub size: Option<(u32, u32)>,
    /// Horizontal and vertical pixels per inch, when the record gives them (0 in a record
    /// means "not given" and is passed here as `None`).
    pub ppi: Option<(f64, f64)>,
}

/// What the image file itself gives, decoded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImageFacts {
    /// The format found by the file's first bytes ("WSQ", "PNG", ...), or "raw".
    pub format: String,
    /// Whether the image decoded to pixels.
    pub decodes: bool,
    /// Width in pixels (when it decoded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels (when it decoded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// 1 grey, 3 colour (when it decoded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<u8>,
    /// Pixels per inch (horizontal, vertical) the file states, rounded to 0.1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_ppi: Option<(f64, f64)>,
    /// How the file states its resolution ("pixels per inch", ...), when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_unit: Option<&'static str>,
    /// Where the file and the record disagree, and why it did not decode.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Two resolutions within 1 % are the same (500 ppi is 196.85 ppcm, stored as 197).
const RESOLUTION_TOLERANCE: f64 = 0.01;

/// Decodes `image` and compares what it states with `declared`.
pub fn check(image: &[u8], declared: &Declared) -> ImageFacts {
    let sniffed = Compression::sniff(image);
    let format = match (sniffed, declared.compression) {
        (Some(c), _) => c.name().to_string(),
        (None, _) if image.starts_with(b"P5") => "PGM".to_string(),
        (None, Some(Compression::Uncompressed | Compression::BitPacked)) => "raw".to_string(),
        (None, _) => "unknown".to_string(),
    };
    let decoded = match (sniffed, declared.size) {
        (None, None) if !image.starts_with(b"P5") => Err(crate::Error::Lds(
            "an image without a known header needs the record's width and height".into(),
        )),
        _ => {
            let (w, h) = declared.size.unwrap_or((0, 0));
            let compression = declared.compression.unwrap_or(Compression::Uncompressed);
            pixels::decode_view(image, compression, w, h)
        }
    };
    let mut facts = ImageFacts {
        format,
        decodes: false,
        width: None,
        height: None,
        channels: None,
        resolution_ppi: None,
        resolution_unit: None,
        warnings: Vec::new(),
    };
    match decoded {
        Ok(px) => compare(&px, declared, &mut facts),
        Err(e) => facts
            .warnings
            .push(format!("the image does not decode: {e}")),
    }
    if let (Some(found), Some(said)) = (sniffed, declared.compression)
        && !same_family(found, said)
    {
        facts.warnings.push(format!(
            "the record says {}, the image is {}",
            said.name(),
            found.name()
        ));
    }
    facts
}

fn compare(px: &Pixels, declared: &Declared, facts: &mut ImageFacts) {
    facts.decodes = true;
    facts.width = Some(px.width);
    facts.height = Some(px.height);
    facts.channels = Some(px.channels);
    if let Some((w, h)) = declared.size
        && (w, h) != (px.width, px.height)
    {
        facts.warnings.push(format!(
            "the image is {}x{} pixels, the record says {w}x{h}",
            px.width, px.height
        ));
    }
    let Some(r) = px.resolution else {
        return;
    };
    let (h, v) = r.ppi();
    let round = |x: f64| (x * 10.0).round() / 10.0;
    facts.resolution_ppi = Some((round(h), round(v)));
    facts.resolution_unit = Some(match r.unit {
        ResolutionUnit::PerInch => "pixels per inch",
        ResolutionUnit::PerCentimetre => "pixels per centimetre",
        ResolutionUnit::PerMetre => "pixels per metre",
    });
    if let Some((rh, rv)) = declared.ppi
        && (differs(h, rh) || differs(v, rv))
    {
        facts.warnings.push(format!(
            "the image states {:.0}x{:.0} ppi, the record says {rh:.0}x{rv:.0} ppi",
            h, v
        ));
    }
}

fn differs(a: f64, b: f64) -> bool {
    (a - b).abs() > RESOLUTION_TOLERANCE * b.abs().max(1.0)
}

/// JPEG 2000 has three codes (lossy, lossless, either) for one file format.
fn same_family(a: Compression, b: Compression) -> bool {
    let family = |c: Compression| match c {
        Compression::Jpeg2000 | Compression::Jpeg2000Lossy | Compression::Jpeg2000Lossless => {
            Compression::Jpeg2000
        }
        other => other,
    };
    family(a) == family(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::biometrics::pixels::{Resolution, encode_png};

    fn png(w: u32, h: u32, ppi: Option<u32>) -> Vec<u8> {
        let mut px = Pixels {
            width: w,
            height: h,
            channels: 1,
            data: vec![7; (w * h) as usize],
            resolution: None,
        };
        px.resolution = ppi.map(|p| Resolution {
            horizontal: p,
            vertical: p,
            unit: ResolutionUnit::PerInch,
        });
        encode_png(&px).unwrap()
    }

    #[test]
    fn an_image_that_agrees_gives_no_warning() {
        let f = check(
            &png(20, 30, Some(500)),
            &Declared {
                compression: Some(Compression::Png),
                size: Some((20, 30)),
                ppi: Some((500.0, 500.0)),
            },
        );
        assert!(f.decodes);
        assert_eq!(
            (f.width, f.height, f.channels),
            (Some(20), Some(30), Some(1))
        );
        // PNG stores pixels per metre: 19685 per metre is 500.0 ppi.
        assert_eq!(f.resolution_ppi, Some((500.0, 500.0)));
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    }

    #[test]
    fn size_resolution_and_format_disagreements_are_named() {
        let f = check(
            &png(20, 30, Some(1000)),
            &Declared {
                compression: Some(Compression::Wsq),
                size: Some((30, 20)),
                ppi: Some((500.0, 500.0)),
            },
        );
        assert!(f.decodes);
        let all = f.warnings.join(" | ");
        assert!(
            all.contains("the image is 20x30 pixels, the record says 30x20"),
            "{all}"
        );
        assert!(
            all.contains("the image states 1000x1000 ppi, the record says 500x500 ppi"),
            "{all}"
        );
        assert!(
            all.contains("the record says WSQ, the image is PNG"),
            "{all}"
        );
    }

    #[test]
    fn raw_images_use_the_record_size_and_a_broken_image_says_why() {
        let raw = vec![1u8; 12];
        let declared = Declared {
            compression: Some(Compression::Uncompressed),
            size: Some((4, 3)),
            ppi: None,
        };
        let f = check(&raw, &declared);
        assert!(f.decodes && f.format == "raw" && f.warnings.is_empty());
        let short = check(&raw[..11], &declared);
        assert!(!short.decodes);
        assert!(short.warnings[0].contains("is 12 bytes (8 bits)"));
        assert!(short.warnings[0].contains("this one 11"));
        let mut broken = png(20, 30, None);
        broken.truncate(40);
        let f = check(&broken, &Declared::default());
        assert!(!f.decodes);
        assert!(f.warnings[0].starts_with("the image does not decode:"));
    }
}
