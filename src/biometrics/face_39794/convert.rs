//! Conversion between the ISO/IEC 19794-5:2005 facial image ([`crate::biometrics::face`]) and the
//! ISO/IEC 39794-5 face image data block of ICAO's eMRTD profile, for the fields both carry:
//! image bytes and format, width and height, pose angles and their uncertainty, gender, eye
//! and hair colour, source type (capture device technology). What has no counterpart is
//! named in the returned list, not silently dropped.

use super::identity::{Angle, IdentityMetadata, PoseAngles};
use super::image::{
    CaptureDevice2D, FORMAT_JPEG, FORMAT_JPEG2000_LOSSY, Image2D, ImageInfo2D, ImageSize,
};
use super::{Enumerated, FaceImageBlock, ImageRepresentation, Representation};
use crate::biometrics::face::{FaceImage, FaceImageData};

/// A 19794-5 pose byte (units of 2 degrees, 1 is 0 degrees, 0 unspecified) as degrees.
fn angle_from_19794(b: u8) -> Option<i64> {
    let d = (i64::from(b) - 1).checked_mul(2)?;
    (b != 0).then_some(if d > 180 { d - 360 } else { d })
}

/// Degrees as a 19794-5 pose byte.
fn angle_to_19794(a: i64) -> u8 {
    u8::try_from(a.rem_euclid(360) / 2 + 1).unwrap_or(0)
}

/// A 19794-5 uncertainty byte (units of 2 degrees from 1, 0 unspecified) as degrees.
fn uncertainty_from_19794(b: u8) -> Option<i64> {
    (b != 0).then(|| (i64::from(b) - 1) * 2)
}

fn uncertainty_to_19794(u: Option<i64>) -> u8 {
    u.and_then(|u| u8::try_from(u.clamp(0, 180) / 2 + 1).ok())
        .unwrap_or(0)
}

/// A 19794-5 facial image as a 39794-5 block, and the 19794 fields that did not carry over.
pub fn from_19794(face: &FaceImage) -> (FaceImageBlock, Vec<String>) {
    let mut lost = Vec::new();
    let format = match face.image_data_type {
        FaceImageData::Jpeg => Enumerated::Code(FORMAT_JPEG),
        FaceImageData::Jpeg2000 => Enumerated::Code(FORMAT_JPEG2000_LOSSY),
        FaceImageData::Other(b) => {
            lost.push(format!("image data type {b}"));
            Enumerated::Code(i64::from(b))
        }
    };
    let mut info = ImageInfo2D::new(format);
    info.size = Some(ImageSize {
        width: i64::from(face.width),
        height: i64::from(face.height),
        extra: Vec::new(),
    });
    // 19794-5 colour space: 1 RGB 24 bit, 2 YUV422, 3 greyscale 8 bit; 39794-5 codes differ.
    info.colour_space = match face.colour_space {
        0 => None,
        1 => Some(Enumerated::fallback(2)),
        2 => Some(Enumerated::fallback(4)),
        3 => Some(Enumerated::fallback(5)),
        c => {
            lost.push(format!("colour space {c}"));
            None
        }
    };
    let technology = match face.source_type {
        0 => None,
        s @ 1..=7 => Some(Enumerated::fallback(i64::from(s) - 1)),
        s => {
            lost.push(format!("source type {s}"));
            None
        }
    };
    let image = Image2D {
        data: face.image.clone(),
        info,
        capture_device: technology.map(|t| CaptureDevice2D {
            spectral: None,
            technology: Some(t),
            extra: Vec::new(),
        }),
        extra: Vec::new(),
    };
    let angle = |i: usize| {
        let value = angle_from_19794(face.pose_angles.get(i).copied().unwrap_or(0))?;
        Some(Angle {
            value,
            uncertainty: uncertainty_from_19794(face.pose_uncertainty.get(i).copied().unwrap_or(0)),
            extra: Vec::new(),
        })
    };
    let pose = PoseAngles {
        yaw: angle(0),
        pitch: angle(1),
        roll: angle(2),
        extra: Vec::new(),
    };
    let code = |c: u8| match c {
        0 | 0xFF => None,
        c => Some(Enumerated::fallback(i64::from(c))),
    };
    let identity = IdentityMetadata {
        gender: match face.gender {
            1 => Some(Enumerated::fallback(2)),
            2 => Some(Enumerated::fallback(3)),
            _ => None,
        },
        eye_colour: code(face.eye_colour),
        hair_colour: code(face.hair_colour),
        pose: (pose != PoseAngles::default()).then_some(pose),
        ..IdentityMetadata::default()
    };
    if face.pose_angles.iter().any(|&b| b != 0) {
        lost.push(format!(
            "pose bytes {:?} (uncertainty {:?}) read as 2-degree steps from 1 = 0 degrees; \
             the 19794-5 scale was not checked against the standard's text, so the 39794 \
             angles may be offset",
            face.pose_angles, face.pose_uncertainty
        ));
    }
    if face.feature_mask != [0; 3] || face.expression != 0 {
        lost.push("feature mask and expression".into());
    }
    if !face.feature_points.is_empty() {
        lost.push(format!("{} feature points", face.feature_points.len()));
    }
    if face.device_type != 0 {
        lost.push(format!("device type {}", face.device_type));
    }
    if face.quality != 0 {
        lost.push(format!("quality {}", face.quality));
    }
    let mut rep = Representation::new(0, ImageRepresentation::TwoD(Box::new(image)));
    rep.identity = (identity != IdentityMetadata::default()).then_some(identity);
    (FaceImageBlock::new(vec![rep]), lost)
}

/// The first 2D representation of a 39794-5 block as a 19794-5 facial image, and the 39794
/// fields that did not carry over; `None` when the block holds no 2D image.
pub fn to_19794(block: &FaceImageBlock) -> Option<(FaceImage, Vec<String>)> {
    let rep = block
        .representations
        .iter()
        .find(|r| r.image_2d().is_some())?;
    let img = rep.image_2d()?;
    let mut lost = Vec::new();
    let image_data_type = match img.info.format.code() {
        Some(FORMAT_JPEG) => FaceImageData::Jpeg,
        Some(3 | 4) => FaceImageData::Jpeg2000,
        other => {
            lost.push(format!("image data format {other:?}"));
            FaceImageData::Other(0xFF)
        }
    };
    let size = |v: Option<i64>| v.and_then(|v| u16::try_from(v).ok()).unwrap_or(0);
    let id = rep.identity.clone().unwrap_or_default();
    let pose = id.pose.clone().unwrap_or_default();
    let angles = [&pose.yaw, &pose.pitch, &pose.roll];
    let code = |e: &Option<Enumerated>| {
        e.as_ref()
            .and_then(Enumerated::code)
            .and_then(|c| u8::try_from(c).ok())
            .unwrap_or(0)
    };
    if rep.quality.is_some() || rep.pad.is_some() || rep.landmarks.is_some() {
        lost.push("quality, PAD and landmark blocks".into());
    }
    if id.properties.is_some() || id.expression.is_some() || id.subject_height.is_some() {
        lost.push("properties, expression and subject height".into());
    }
    let face = FaceImage {
        gender: match code(&id.gender) {
            2 => 1,
            3 => 2,
            _ => 0,
        },
        eye_colour: code(&id.eye_colour),
        hair_colour: code(&id.hair_colour),
        feature_mask: [0; 3],
        expression: 0,
        pose_angles: angles.map(|a| a.as_ref().map_or(0, |a| angle_to_19794(a.value))),
        pose_uncertainty: angles
            .map(|a| uncertainty_to_19794(a.as_ref().and_then(|a| a.uncertainty))),
        feature_points: Vec::new(),
        face_image_type: 1,
        image_data_type,
        width: size(img.info.size.as_ref().map(|s| s.width)),
        height: size(img.info.size.as_ref().map(|s| s.height)),
        colour_space: match img.info.colour_space.as_ref().and_then(Enumerated::code) {
            Some(2) => 1,
            Some(4) => 2,
            Some(5) => 3,
            _ => 0,
        },
        source_type: img
            .capture_device
            .as_ref()
            .map(|d| code(&d.technology).saturating_add(1))
            .unwrap_or(0),
        device_type: 0,
        quality: 0,
        image: img.data.clone(),
    };
    Some((face, lost))
}
