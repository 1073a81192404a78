//! ISO/IEC 19794-5:2005 facial image records, as DG2 carries them (ICAO Doc 9303-10 clause
//! 4.7.2): the general header (clause 5.4: "FAC\0", version "010\0", record length, number of
//! images), per image the facial information block (clause 5.5: block length, feature points,
//! gender, eye and hair colour, feature mask, expression, pose angles and uncertainties), the
//! feature points (clause 5.6, eight bytes each), the image information (clause 5.7: face image
//! type, image data type, width, height, colour space, source type, device type, quality) and
//! the image data (JPEG or JPEG 2000) kept as given.
//!
//! A parsed record encodes to the bytes it came from; the issuer builds one around an image with
//! [`FaceImage::from_image`], which reads the width and height from the image itself.

use super::bytes::{Reader, fit};
use crate::error::{Error, Result};

/// "FAC\0".
pub const FORMAT_ID: [u8; 4] = *b"FAC\0";
/// "010\0", the 2005 edition.
pub const VERSION: [u8; 4] = *b"010\0";
/// Bytes of the general header.
const GENERAL_HEADER: usize = 14;
/// Bytes of the facial information block before the feature points.
const FACIAL_INFO: usize = 20;
/// Bytes of one feature point.
const FEATURE_POINT: usize = 8;
/// Bytes of the image information.
const IMAGE_INFO: usize = 12;

/// The image data type (clause 5.7.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum FaceImageData {
    /// 00: JPEG.
    Jpeg,
    /// 01: JPEG 2000.
    Jpeg2000,
    /// Another value, kept.
    Other(u8),
}

impl FaceImageData {
    fn from_byte(b: u8) -> FaceImageData {
        match b {
            0 => FaceImageData::Jpeg,
            1 => FaceImageData::Jpeg2000,
            other => FaceImageData::Other(other),
        }
    }

    fn byte(self) -> u8 {
        match self {
            FaceImageData::Jpeg => 0,
            FaceImageData::Jpeg2000 => 1,
            FaceImageData::Other(b) => b,
        }
    }

    /// "jpg", "jp2" or "bin".
    pub fn extension(self) -> &'static str {
        match self {
            FaceImageData::Jpeg => "jpg",
            FaceImageData::Jpeg2000 => "jp2",
            FaceImageData::Other(_) => "bin",
        }
    }
}

/// One facial image with its information blocks.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FaceImage {
    /// Gender (0 unspecified, 1 male, 2 female, FF unknown).
    pub gender: u8,
    /// Eye colour code.
    pub eye_colour: u8,
    /// Hair colour code.
    pub hair_colour: u8,
    /// Feature mask (three bytes).
    pub feature_mask: [u8; 3],
    /// Expression.
    pub expression: u16,
    /// Pose angles: yaw, pitch, roll.
    pub pose_angles: [u8; 3],
    /// Pose angle uncertainties.
    pub pose_uncertainty: [u8; 3],
    /// The feature points, eight bytes each, kept as found.
    #[serde(skip)]
    pub feature_points: Vec<[u8; FEATURE_POINT]>,
    /// Face image type (0 basic, 1 full frontal, 2 token frontal).
    pub face_image_type: u8,
    /// JPEG or JPEG 2000.
    pub image_data_type: FaceImageData,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Image colour space.
    pub colour_space: u8,
    /// Source type (2 digital still camera, ...).
    pub source_type: u8,
    /// Device type.
    pub device_type: u16,
    /// Quality.
    pub quality: u16,
    /// The image as stored.
    #[serde(skip)]
    pub image: Vec<u8>,
}

/// A facial record: one or more images.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FaceRecord {
    /// The images.
    pub images: Vec<FaceImage>,
}

/// The width and height an image file declares: JPEG (a SOFn segment, ISO/IEC 10918-1 B.2.2)
/// or JPEG 2000 (the `ihdr` box of the JP2 header, ISO/IEC 15444-1 I.5.3.1), with its type.
pub fn image_dimensions(image: &[u8]) -> Result<(FaceImageData, u16, u16)> {
    if image.starts_with(&[0xFF, 0xD8]) {
        return jpeg_dimensions(image).map(|(w, h)| (FaceImageData::Jpeg, w, h));
    }
    if image.starts_with(&[0x00, 0x00, 0x00, 0x0C, b'j', b'P', b' ', b' ']) {
        return jp2_dimensions(image).map(|(w, h)| (FaceImageData::Jpeg2000, w, h));
    }
    Err(Error::Lds(
        "face image: neither JPEG (FF D8) nor JPEG 2000 (a JP2 signature box)".into(),
    ))
}

fn jpeg_dimensions(image: &[u8]) -> Result<(u16, u16)> {
    let bad = || Error::Lds("face image: JPEG without a frame header (SOFn)".into());
    let mut pos = 2usize;
    loop {
        let marker = pos
            .checked_add(2)
            .and_then(|end| image.get(pos..end))
            .ok_or_else(bad)?;
        if marker[0] != 0xFF {
            return Err(bad());
        }
        let kind = marker[1];
        let len = usize::from(u16::from_be_bytes(
            image
                .get(pos + 2..pos + 4)
                .ok_or_else(bad)?
                .try_into()
                .map_err(|_| bad())?,
        ));
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&kind) && !matches!(kind, 0xC4 | 0xC8 | 0xCC) {
            let sof = image.get(pos + 5..pos + 9).ok_or_else(bad)?;
            let height = u16::from_be_bytes([sof[0], sof[1]]);
            let width = u16::from_be_bytes([sof[2], sof[3]]);
            return Ok((width, height));
        }
        if len < 2 {
            return Err(bad());
        }
        pos = pos.checked_add(2 + len).ok_or_else(bad)?;
    }
}

fn jp2_dimensions(image: &[u8]) -> Result<(u16, u16)> {
    let bad = || Error::Lds("face image: JPEG 2000 without an ihdr box".into());
    // Boxes: 4-byte length, 4-byte type; jp2h is a superbox holding ihdr first.
    let mut pos = 0usize;
    while let Some(header) = pos.checked_add(8).and_then(|end| image.get(pos..end)) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        if kind == b"jp2h" {
            let ihdr = pos
                .checked_add(24)
                .and_then(|end| image.get(end - 16..end))
                .ok_or_else(bad)?;
            if &ihdr[4..8] != b"ihdr" {
                return Err(bad());
            }
            let height = u32::from_be_bytes([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]);
            let width = u32::from_be_bytes([ihdr[12], ihdr[13], ihdr[14], ihdr[15]]);
            return Ok((
                fit(width as usize, "image width")?,
                fit(height as usize, "image height")?,
            ));
        }
        if len < 8 {
            return Err(bad());
        }
        pos = pos.checked_add(len).ok_or_else(bad)?;
    }
    Err(bad())
}

impl FaceImage {
    /// A full frontal image from a digital still camera around `image` (JPEG or JPEG 2000),
    /// its size read from the image; every descriptive field unspecified.
    pub fn from_image(image: Vec<u8>) -> Result<FaceImage> {
        let (image_data_type, width, height) = image_dimensions(&image)?;
        Ok(FaceImage {
            gender: 0,
            eye_colour: 0,
            hair_colour: 0,
            feature_mask: [0; 3],
            expression: 0,
            pose_angles: [0; 3],
            pose_uncertainty: [0; 3],
            feature_points: Vec::new(),
            face_image_type: 1,
            image_data_type,
            width,
            height,
            colour_space: 1,
            source_type: 2,
            device_type: 0,
            quality: 0,
            image,
        })
    }

    /// Where the record and its image disagree: the image's own type and size against the
    /// header's (the BSI reference DG2 declares 337 x 449 for a 413 x 531 JPEG 2000 image).
    pub fn warnings(&self) -> Vec<String> {
        match image_dimensions(&self.image) {
            Ok((kind, width, height)) => {
                let mut w = Vec::new();
                if kind != self.image_data_type {
                    w.push(format!(
                        "image data type {:?} but the image is {kind:?}",
                        self.image_data_type
                    ));
                }
                if (width, height) != (self.width, self.height) {
                    w.push(format!(
                        "header says {} x {} pixels, the image itself {width} x {height}",
                        self.width, self.height
                    ));
                }
                w
            }
            Err(e) => vec![e.to_string()],
        }
    }

    fn block_len(&self) -> usize {
        FACIAL_INFO + FEATURE_POINT * self.feature_points.len() + IMAGE_INFO + self.image.len()
    }
}

impl FaceRecord {
    /// Parses a 19794-5:2005 record.
    pub fn parse(bytes: &[u8]) -> Result<FaceRecord> {
        let mut r = Reader::new(bytes, "face record");
        if r.array::<4>("format identifier")? != FORMAT_ID {
            return Err(Error::Lds(
                "face record: format identifier is not FAC\\0".into(),
            ));
        }
        let version = r.array::<4>("version")?;
        if version != VERSION {
            return Err(Error::Lds(format!(
                "face record: version {:?}, only 010 (ISO/IEC 19794-5:2005) is read",
                String::from_utf8_lossy(&version)
            )));
        }
        let declared = r.u32("record length")? as usize;
        if declared != bytes.len() {
            return Err(Error::Lds(format!(
                "face record: record length {declared} but {} bytes",
                bytes.len()
            )));
        }
        let count = r.u16("number of facial images")?;
        let mut images = Vec::with_capacity(usize::from(count).min(8));
        for i in 0..count {
            let block = r.u32("facial record block length")? as usize;
            let points = usize::from(r.u16("number of feature points")?);
            let fixed = FACIAL_INFO + points * FEATURE_POINT + IMAGE_INFO;
            let image_len = block.checked_sub(fixed).ok_or_else(|| {
                Error::Lds(format!(
                    "face record image {i}: block length {block} shorter than its {fixed} header bytes"
                ))
            })?;
            let gender = r.u8("gender")?;
            let eye_colour = r.u8("eye colour")?;
            let hair_colour = r.u8("hair colour")?;
            let feature_mask = r.array("feature mask")?;
            let expression = r.u16("expression")?;
            let pose_angles = r.array("pose angles")?;
            let pose_uncertainty = r.array("pose angle uncertainty")?;
            let mut feature_points = Vec::with_capacity(points.min(64));
            for _ in 0..points {
                feature_points.push(r.array("feature point")?);
            }
            images.push(FaceImage {
                gender,
                eye_colour,
                hair_colour,
                feature_mask,
                expression,
                pose_angles,
                pose_uncertainty,
                feature_points,
                face_image_type: r.u8("face image type")?,
                image_data_type: FaceImageData::from_byte(r.u8("image data type")?),
                width: r.u16("width")?,
                height: r.u16("height")?,
                colour_space: r.u8("image colour space")?,
                source_type: r.u8("source type")?,
                device_type: r.u16("device type")?,
                quality: r.u16("quality")?,
                image: r.take(image_len, "image data")?.to_vec(),
            });
        }
        if r.remaining() != 0 {
            return Err(Error::Lds(format!(
                "face record: {} bytes after the last image",
                r.remaining()
            )));
        }
        Ok(FaceRecord { images })
    }

    /// Encodes the record.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let total = GENERAL_HEADER + self.images.iter().map(FaceImage::block_len).sum::<usize>();
        let mut out = Vec::with_capacity(total);
        out.extend(FORMAT_ID);
        out.extend(VERSION);
        out.extend(fit::<u32>(total, "face record length")?.to_be_bytes());
        out.extend(fit::<u16>(self.images.len(), "number of facial images")?.to_be_bytes());
        for im in &self.images {
            out.extend(fit::<u32>(im.block_len(), "facial record block length")?.to_be_bytes());
            out.extend(
                fit::<u16>(im.feature_points.len(), "number of feature points")?.to_be_bytes(),
            );
            out.extend([im.gender, im.eye_colour, im.hair_colour]);
            out.extend(im.feature_mask);
            out.extend(im.expression.to_be_bytes());
            out.extend(im.pose_angles);
            out.extend(im.pose_uncertainty);
            for p in &im.feature_points {
                out.extend(p);
            }
            out.extend([im.face_image_type, im.image_data_type.byte()]);
            out.extend(im.width.to_be_bytes());
            out.extend(im.height.to_be_bytes());
            out.extend([im.colour_space, im.source_type]);
            out.extend(im.device_type.to_be_bytes());
            out.extend(im.quality.to_be_bytes());
            out.extend(&im.image);
        }
        Ok(out)
    }
}
