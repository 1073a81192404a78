//! Conversion between ISO/IEC 19794-4 finger image records (2005 and 2011 editions in, 2005
//! out: the DG3 edition of ICAO Doc 9303-10 clause 4.7.3) and ISO/IEC 39794-4 finger image data
//! blocks, for the fields both carry: finger position, impression, quality, image resolution,
//! image format and image bytes (the 39794 block has no width and height; they come back from
//! the image's header). Everything that does not carry over is listed, one line each.

use super::{FingerImageDataBlock, Representation, SamplingRate, UNIT_CM, UNIT_INCH, format};
use crate::biometrics::finger_image::{
    FingerImage, FingerImageRecord, FingerImageView, ImageView, PIXELS_PER_CM, PIXELS_PER_INCH,
};
use crate::biometrics::iso39794_1::{Enumerated, QualityBlock, RegistryId, ScoreOrError};
use crate::biometrics::{Compression, FingerPosition, ImpressionType};
use crate::error::{Error, Result};

/// The quality algorithm written for a 19794-4:2005 quality value, which names no algorithm
/// (19794-4:2005 clause 8.2.5 has a score only), while a 39794-1 quality block must name one:
/// organization 0x0101 (ISO/IEC JTC 1/SC 37, the CBEFF format owner) with id 0xFFFF. This is
/// dactyl's placeholder, not a registered algorithm; every conversion that writes it says so
/// in what did not carry over. 2011-edition quality blocks keep their own vendor and
/// algorithm.
pub const UNNAMED_QUALITY_ALGORITHM: RegistryId = RegistryId {
    organization: 0x0101,
    id: 0xFFFF,
    extra: Vec::new(),
};

/// The 39794-1 quality blocks for a 19794-4 view: the 2011 edition's blocks as they are, or the
/// 2005 score under [`UNNAMED_QUALITY_ALGORITHM`].
fn quality_blocks(
    image: &FingerImage,
    index: usize,
    view: &ImageView<'_>,
    lost: &mut Vec<String>,
) -> Vec<QualityBlock> {
    let name = view.position.name();
    let mut score = |q: u8| match q {
        255 => Some(ScoreOrError::Error(Enumerated::fallback(0))),
        0..=100 => Some(ScoreOrError::Score(q.into())),
        254 => None,
        q => {
            lost.push(format!("{name}: quality {q} is outside 0..100"));
            None
        }
    };
    let blocks: Vec<(RegistryId, Option<ScoreOrError>)> = match image {
        FingerImage::Iso2011(r) => r
            .representations
            .get(index)
            .map(|p| p.quality_blocks.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|q| {
                let id = RegistryId {
                    organization: q.vendor.into(),
                    id: q.algorithm.into(),
                    extra: Vec::new(),
                };
                (id, score(q.score))
            })
            .collect(),
        _ => match view.quality.map(&mut score) {
            Some(Some(s)) => {
                lost.push(format!(
                    "{name}: the 2005 quality names no algorithm; written under 0101/FFFF, \
                     dactyl's placeholder (no registered algorithm)"
                ));
                vec![(UNNAMED_QUALITY_ALGORITHM, Some(s))]
            }
            _ => Vec::new(),
        },
    };
    blocks
        .into_iter()
        .filter_map(|(algorithm, score)| {
            Some(QualityBlock {
                algorithm,
                score: score?,
                extra: Vec::new(),
            })
        })
        .collect()
}

/// A conversion's result and what did not carry over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted<T> {
    /// The converted record or block.
    pub value: T,
    /// One line per field or value that was dropped or approximated.
    pub not_carried: Vec<String>,
}

fn format_of(c: Compression, lost: &mut Vec<String>) -> Result<i64> {
    Ok(match c {
        Compression::Wsq => format::WSQ,
        Compression::Jpeg2000Lossy => format::JPEG2000_LOSSY,
        Compression::Jpeg2000Lossless => format::JPEG2000_LOSSLESS,
        Compression::Jpeg2000 => {
            lost.push("JPEG 2000 of unstated kind written as lossy".into());
            format::JPEG2000_LOSSY
        }
        Compression::Png => format::PNG,
        other => {
            return Err(Error::Lds(format!(
                "ISO/IEC 39794-4 has no image format for {} images (WSQ, JPEG 2000, PNG, PGM)",
                other.name()
            )));
        }
    })
}

/// A 39794-4 block with one representation per image of a 19794-4 record (either edition).
pub fn from_19794(image: &FingerImage) -> Result<Converted<FingerImageDataBlock>> {
    let mut lost = Vec::new();
    if let FingerImage::Iso2005(r) = image {
        lost.push(format!(
            "capture device ID {}, acquisition level {}, pixel depth {}: not in 39794-4",
            r.capture_device_id, r.acquisition_level, r.pixel_depth
        ));
        if (r.scan_resolution_h, r.scan_resolution_v)
            != (r.image_resolution_h, r.image_resolution_v)
        {
            lost.push(format!(
                "scan resolution {}x{}: 39794-4 keeps the image's sampling rate only",
                r.scan_resolution_h, r.scan_resolution_v
            ));
        }
    } else {
        lost.push("2011-edition capture device and certification blocks: not converted".into());
    }
    let mut reps = Vec::new();
    for (index, v) in image.views().iter().enumerate() {
        let name = v.position.name();
        let impression = match v.impression.0 {
            c @ (0 | 1 | 4 | 8) => i64::from(c),
            2 => {
                lost.push(format!("{name}: non-live plain written as plain contact"));
                0
            }
            3 => {
                lost.push(format!("{name}: non-live rolled written as rolled contact"));
                1
            }
            c => {
                lost.push(format!("{name}: impression {c} written as unknown (29)"));
                29
            }
        };
        let mut rep = Representation::new(
            v.position,
            impression,
            format_of(v.compression, &mut lost)?,
            v.image.to_vec(),
        );
        rep.quality = quality_blocks(image, index, v, &mut lost);
        let unit = match v.scale_units {
            PIXELS_PER_INCH => Some(UNIT_INCH),
            PIXELS_PER_CM => Some(UNIT_CM),
            u => {
                lost.push(format!("{name}: scale units {u} unknown, no sampling rate"));
                None
            }
        };
        if let Some(unit) = unit {
            if v.resolution.0 != v.resolution.1 {
                lost.push(format!(
                    "{name}: vertical resolution {} differs from horizontal {}; 39794-4 has one",
                    v.resolution.1, v.resolution.0
                ));
            }
            rep.sampling_rate = Some(SamplingRate {
                samples_per_unit: v.resolution.0,
                unit,
                extra: Vec::new(),
            });
        }
        reps.push(rep);
    }
    Ok(Converted {
        value: FingerImageDataBlock::new(reps),
        not_carried: lost,
    })
}

/// A 19794-4:2005 record with one finger record per representation of a 39794-4 block. The
/// record has one image format and resolution: representations must share the format.
pub fn to_19794(block: &FingerImageDataBlock) -> Result<Converted<FingerImageRecord>> {
    let mut lost = Vec::new();
    let first = block
        .representations
        .first()
        .ok_or_else(|| Error::Lds("ISO/IEC 39794-4 block without representations".into()))?;
    let fmt = first.image_format.value();
    let compression = match fmt {
        format::WSQ => Compression::Wsq,
        format::JPEG2000_LOSSY | format::JPEG2000_LOSSLESS => {
            lost.push("JPEG 2000 lossy/lossless distinction: not in the 2005 edition".into());
            Compression::Jpeg2000
        }
        format::PNG => Compression::Png,
        n => {
            return Err(Error::Lds(format!(
                "{} has no ISO/IEC 19794-4:2005 compression code",
                super::format_name(n)
            )));
        }
    };
    let mut views: Vec<FingerImageView> = Vec::new();
    let mut rate: Option<&SamplingRate> = None;
    for r in &block.representations {
        let pos = r.finger_position();
        let name = pos.name();
        if r.image_format.value() != fmt {
            return Err(Error::Lds(format!(
                "{name}: {} differs from the record's {}",
                super::format_name(r.image_format.value()),
                super::format_name(fmt)
            )));
        }
        let (width, height) = r.image_size().unwrap_or_else(|| {
            lost.push(format!("{name}: image size unreadable, written as 0x0"));
            (0, 0)
        });
        let imp = r.impression.value();
        let impression = match u8::try_from(imp) {
            Ok(c @ (0 | 1 | 4 | 8)) => ImpressionType(c),
            _ => {
                lost.push(format!(
                    "{name}: impression {} has no 2005 code, written as 29",
                    super::impression_name(imp)
                ));
                ImpressionType(29)
            }
        };
        let quality = match r.quality.first() {
            None => 254,
            Some(q) => {
                if q.algorithm != UNNAMED_QUALITY_ALGORITHM {
                    lost.push(format!(
                        "{name}: quality algorithm {:04X}/{:04X}",
                        q.algorithm.organization, q.algorithm.id
                    ));
                }
                match q.score {
                    ScoreOrError::Score(s) => u8::try_from(s).unwrap_or(255),
                    ScoreOrError::Error(_) => 255,
                }
            }
        };
        if r.quality.len() > 1 {
            lost.push(format!(
                "{name}: {} more quality blocks",
                r.quality.len() - 1
            ));
        }
        match (rate, &r.sampling_rate) {
            (None, Some(s)) => rate = Some(s),
            (Some(a), Some(b)) if a.samples_per_unit != b.samples_per_unit || a.unit != b.unit => {
                lost.push(format!(
                    "{name}: its own sampling rate (the record has one)"
                ))
            }
            _ => {}
        }
        note_39794_only(r, &name, &mut lost);
        let mut view = FingerImageView::new(pos, width, height, r.image.clone());
        view.quality = quality;
        view.impression = impression;
        views.push(view);
    }
    number_views(&mut views);
    let mut rec = FingerImageRecord::new(compression, views);
    match rate {
        Some(s) => {
            rec.scale_units = if s.unit == UNIT_CM {
                PIXELS_PER_CM
            } else {
                PIXELS_PER_INCH
            };
            for v in [
                &mut rec.scan_resolution_h,
                &mut rec.scan_resolution_v,
                &mut rec.image_resolution_h,
                &mut rec.image_resolution_v,
            ] {
                *v = s.samples_per_unit;
            }
        }
        None => lost.push("no sampling rate: 500 ppi written".into()),
    }
    if !block.extra.is_empty() {
        lost.push(format!("{} unknown block elements", block.extra.len()));
    }
    Ok(Converted {
        value: rec,
        not_carried: lost,
    })
}

/// View count and number per finger position, in order.
fn number_views(views: &mut [FingerImageView]) {
    let positions: Vec<FingerPosition> = views.iter().map(|v| v.position).collect();
    for (i, v) in views.iter_mut().enumerate() {
        let same = positions.iter().filter(|p| **p == v.position);
        v.view_count = u8::try_from(same.count()).unwrap_or(u8::MAX);
        let before = positions
            .iter()
            .take(i)
            .filter(|p| **p == v.position)
            .count();
        v.view_number = u8::try_from(before + 1).unwrap_or(u8::MAX);
    }
}

fn note_39794_only(r: &Representation, name: &str, lost: &mut Vec<String>) {
    let present = [
        ("capture date and time", r.capture_date_time.is_some()),
        ("capture device", r.capture_device.is_some()),
        ("position computed flag", r.position_computed.is_some()),
        ("original rotation", r.original_rotation.is_some()),
        ("rotated to vertical flag", r.rotated_to_vertical.is_some()),
        ("lossy compression flag", r.lossily_compressed.is_some()),
        ("segmentation blocks", r.segmentation.is_some()),
        ("annotation blocks", r.annotation.is_some()),
        ("PAD data", r.pad.is_some()),
        ("comments", !r.comments.is_empty()),
        ("vendor-specific data", !r.vendor_data.is_empty()),
        ("unknown elements", !r.extra.is_empty()),
    ];
    for (what, here) in present {
        if here {
            lost.push(format!("{name}: {what} (not in 19794-4:2005)"));
        }
    }
}
