//! The images inside the finger and face records `dactyl inspect` describes: each image file
//! decoded and checked against its record's fields (ISO/IEC 19794-4 clause 8.3, 39794-4
//! `FingerImageRepresentationBlock`, 39794-5 `ImageInformation2DBlock`) by
//! [`image_check`].

use super::to_value;
use crate::biometrics::Compression;
use crate::biometrics::finger_image::{FingerImage, ImageView};
use crate::biometrics::image_check;
use serde_json::{Value, json};

/// A view's facts; what its image file disagrees with goes to `warnings`, after `prefix`.
fn view_json(v: &ImageView<'_>, prefix: &str, warnings: &mut Vec<String>) -> Value {
    let facts = image_file(v);
    warnings.extend(facts.warnings.iter().map(|m| {
        format!(
            "{prefix}finger image {} ({}): {m}",
            v.view_number,
            v.position.name()
        )
    }));
    json!({
        "position": to_value(&v.position),
        "view_number": v.view_number,
        "quality": v.quality,
        "impression": v.impression_name(),
        "width": v.width,
        "height": v.height,
        "resolution": format!(
            "{}x{} {}",
            v.resolution.0,
            v.resolution.1,
            if v.scale_units == 2 { "ppcm" } else { "ppi" }
        ),
        "compression": v.compression.name(),
        "image_bytes": v.image.len(),
        "extension": v.image_extension(),
        "image_file": to_value(&facts),
    })
}

/// What the image file itself gives (decoded: size, channels, resolution), against the
/// record's fields ([`image_check`]).
fn image_file(v: &ImageView<'_>) -> image_check::ImageFacts {
    let ppi = match v.resolution {
        (0, _) | (_, 0) => None,
        (h, vv) if v.scale_units == 2 => Some((f64::from(h) * 2.54, f64::from(vv) * 2.54)),
        (h, vv) => Some((f64::from(h), f64::from(vv))),
    };
    let declared = image_check::Declared {
        compression: Some(v.compression),
        size: Some((u32::from(v.width), u32::from(v.height))),
        ppi,
    };
    image_check::check(v.image, &declared)
}

/// The image file of each representation of a 39794-5 face block, checked against the
/// block's image information (format, size); disagreements go to `warnings`.
pub(super) fn face_39794_images(
    block: &crate::biometrics::face_39794::FaceImageBlock,
    template: usize,
    warnings: &mut Vec<String>,
) -> Vec<Value> {
    use crate::biometrics::face_39794::image as img;
    let mut files = Vec::new();
    for (r, rep) in block.representations.iter().enumerate() {
        let Some(image) = rep.image_2d() else {
            continue;
        };
        let compression = match image.info.format.code() {
            Some(img::FORMAT_JPEG) => Some(Compression::Jpeg),
            Some(img::FORMAT_JPEG2000_LOSSY) => Some(Compression::Jpeg2000Lossy),
            Some(img::FORMAT_JPEG2000_LOSSLESS) => Some(Compression::Jpeg2000Lossless),
            _ => None,
        };
        let size = image
            .info
            .size
            .as_ref()
            .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)));
        let declared = image_check::Declared {
            compression,
            size,
            ppi: None,
        };
        let facts = image_check::check(&image.data, &declared);
        warnings.extend(
            facts
                .warnings
                .iter()
                .map(|m| format!("DG2 face {template} representation {r}: {m}")),
        );
        files.push(to_value(&facts));
    }
    files
}

pub(super) fn image_json(img: &FingerImage, prefix: &str, warnings: &mut Vec<String>) -> Value {
    let views: Vec<Value> = img
        .views()
        .iter()
        .map(|v| view_json(v, prefix, warnings))
        .collect();
    let mut v = json!({ "edition": img.edition(), "views": views });
    if let (FingerImage::Iso2005(r), Value::Object(m)) = (img, &mut v) {
        m.insert("capture_device_id".into(), r.capture_device_id.into());
        m.insert("acquisition_level".into(), r.acquisition_level.into());
        m.insert("pixel_depth".into(), r.pixel_depth.into());
    }
    if let (FingerImage::Iso39794(b), Value::Object(m)) = (img, &mut v) {
        m.insert(
            "block".into(),
            crate::biometrics::finger_39794::block_json(b),
        );
    }
    v
}
