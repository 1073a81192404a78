//! Finger image records, ISO/IEC 19794-4:2011 clause 8 ("FIR\0", version "020\0"), the second
//! edition built on the ISO/IEC 19794-1:2011 framework.
//!
//! A 16-byte general header (record length in 4 bytes, number of representations, certification
//! flag, number of distinct finger positions) is followed by representations: a representation
//! header (length, capture date and time, capture device technology, vendor and type, quality
//! blocks, certification blocks when the flag is set, finger/palm position, representation
//! number, scale units, capture and image resolutions, bit depth, compression, impression type,
//! line lengths), the image data with its 4-byte length, and any extended data blocks
//! (segmentation, annotation, comment), which dactyl keeps as bytes.

use super::bytes::{Reader, fit, length_field, length_warnings};
use super::finger_image::{FORMAT_ID, ImageView};
use super::{
    CaptureTime, CertificationBlock, Compression, FingerImageEdition, FingerPosition,
    ImpressionType, QualityBlock, read_certification_blocks, read_quality_blocks, ser_hex, ser_len,
    write_quality_and_certification,
};
use crate::error::{Error, Result};

/// The version of the 2011 edition, "020\0".
pub const VERSION_2011: [u8; 4] = *b"020\0";
/// Bytes in the general header.
pub const GENERAL_HEADER_LEN: usize = 16;

const WHAT: &str = "ISO/IEC 19794-4:2011 finger image record";

/// A finger image record of ISO/IEC 19794-4:2011.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FingerImageRecord2011 {
    /// Certification flag: 0 none, 1 representations carry certification blocks.
    pub certification_flag: u8,
    /// Number of distinct finger/palm positions, as declared.
    pub position_count: u8,
    /// The representations.
    pub representations: Vec<FingerImageRepresentation>,
    /// Bytes after the last representation, kept so the record re-encodes as read.
    #[serde(serialize_with = "ser_hex", skip_serializing_if = "Vec::is_empty")]
    pub trailing: Vec<u8>,
    /// The record length field as read (none for records built in memory); written back when
    /// it was consistent with the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_length: Option<u32>,
    /// What was odd but readable.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One finger image with its representation header.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FingerImageRepresentation {
    /// Capture date and time.
    pub capture_time: CaptureTime,
    /// Capture device technology ID.
    pub device_technology: u8,
    /// Capture device vendor ID.
    pub device_vendor: u16,
    /// Capture device type ID.
    pub device_type: u16,
    /// Quality blocks.
    pub quality_blocks: Vec<QualityBlock>,
    /// Certification blocks (only with the record's certification flag).
    pub certification_blocks: Vec<CertificationBlock>,
    /// Finger or palm position.
    pub position: FingerPosition,
    /// Representation number.
    pub representation_number: u8,
    /// Scale units: 1 pixels per inch, 2 pixels per centimetre.
    pub scale_units: u8,
    /// Horizontal capture device spatial sampling rate.
    pub capture_resolution_h: u16,
    /// Vertical capture device spatial sampling rate.
    pub capture_resolution_v: u16,
    /// Horizontal image spatial sampling rate.
    pub image_resolution_h: u16,
    /// Vertical image spatial sampling rate.
    pub image_resolution_v: u16,
    /// Bits per pixel.
    pub bit_depth: u8,
    /// Compression algorithm.
    pub compression: Compression,
    /// Impression type.
    pub impression: ImpressionType,
    /// Horizontal line length (width in pixels).
    pub width: u16,
    /// Vertical line length (height in pixels).
    pub height: u16,
    /// The image data.
    #[serde(serialize_with = "ser_len")]
    pub image: Vec<u8>,
    /// Extended data blocks after the image, as bytes.
    #[serde(serialize_with = "ser_hex", skip_serializing_if = "Vec::is_empty")]
    pub extended: Vec<u8>,
}

impl FingerImageRepresentation {
    /// The representation as an [`ImageView`].
    pub fn view(&self) -> ImageView<'_> {
        ImageView {
            position: self.position,
            view_number: self.representation_number,
            quality: self.quality_blocks.first().map(|q| q.score),
            impression: self.impression,
            impression_is_39794: false,
            width: self.width,
            height: self.height,
            scale_units: self.scale_units,
            resolution: (self.image_resolution_h, self.image_resolution_v),
            compression: self.compression,
            image: &self.image,
        }
    }

    fn read(r: &mut Reader<'_>, flag: u8) -> Result<FingerImageRepresentation> {
        let capture_time = CaptureTime::read(r)?;
        let device_technology = r.u8("capture device technology ID")?;
        let device_vendor = r.u16("capture device vendor ID")?;
        let device_type = r.u16("capture device type ID")?;
        let quality_blocks = read_quality_blocks(r)?;
        let certification_blocks = if flag != 0 {
            read_certification_blocks(r)?
        } else {
            Vec::new()
        };
        let position = FingerPosition(r.u8("finger/palm position")?);
        let representation_number = r.u8("representation number")?;
        let scale_units = r.u8("scale units")?;
        let capture_resolution_h = r.u16("horizontal capture sampling rate")?;
        let capture_resolution_v = r.u16("vertical capture sampling rate")?;
        let image_resolution_h = r.u16("horizontal image sampling rate")?;
        let image_resolution_v = r.u16("vertical image sampling rate")?;
        let bit_depth = r.u8("bit depth")?;
        let compression =
            Compression::from_code(r.u8("compression algorithm")?, FingerImageEdition::E2011);
        let impression = ImpressionType(r.u8("impression type")?);
        let width = r.u16("horizontal line length")?;
        let height = r.u16("vertical line length")?;
        let image_len = r.u32("image data length")?;
        let image_len = usize::try_from(image_len)
            .map_err(|_| Error::Lds(format!("{WHAT}: image data length {image_len}")))?;
        let image = r.take(image_len, "image data")?.to_vec();
        let extended = r.rest().to_vec();
        Ok(FingerImageRepresentation {
            capture_time,
            device_technology,
            device_vendor,
            device_type,
            quality_blocks,
            certification_blocks,
            position,
            representation_number,
            scale_units,
            capture_resolution_h,
            capture_resolution_v,
            image_resolution_h,
            image_resolution_v,
            bit_depth,
            compression,
            impression,
            width,
            height,
            image,
            extended,
        })
    }

    fn write(&self, flag: u8) -> Result<Vec<u8>> {
        let mut body = Vec::new();
        self.capture_time.write(&mut body);
        body.push(self.device_technology);
        body.extend_from_slice(&self.device_vendor.to_be_bytes());
        body.extend_from_slice(&self.device_type.to_be_bytes());
        write_quality_and_certification(
            &mut body,
            &self.quality_blocks,
            flag,
            &self.certification_blocks,
        )?;
        body.extend_from_slice(&[
            self.position.0,
            self.representation_number,
            self.scale_units,
        ]);
        for v in [
            self.capture_resolution_h,
            self.capture_resolution_v,
            self.image_resolution_h,
            self.image_resolution_v,
        ] {
            body.extend_from_slice(&v.to_be_bytes());
        }
        body.extend_from_slice(&[
            self.bit_depth,
            self.compression.code(FingerImageEdition::E2011),
            self.impression.0,
        ]);
        body.extend_from_slice(&self.width.to_be_bytes());
        body.extend_from_slice(&self.height.to_be_bytes());
        let image_len: u32 = fit(self.image.len(), "image data length")?;
        body.extend_from_slice(&image_len.to_be_bytes());
        body.extend_from_slice(&self.image);
        body.extend_from_slice(&self.extended);
        let len: u32 = fit(body.len() + 4, "representation length")?;
        let mut out = len.to_be_bytes().to_vec();
        out.extend(body);
        Ok(out)
    }
}

impl FingerImageRecord2011 {
    /// Parses a 2011-edition record that fills `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<FingerImageRecord2011> {
        let mut r = Reader::new(bytes, WHAT);
        let id: [u8; 4] = r.array("format identifier")?;
        let version: [u8; 4] = r.array("version")?;
        if id != FORMAT_ID || version != VERSION_2011 {
            return Err(Error::Lds(format!(
                "{WHAT}: header {}{} is not \"FIR\\0020\\0\"",
                hex::encode_upper(id),
                hex::encode_upper(version)
            )));
        }
        let declared = r.u32("record length")?;
        let count = r.u16("number of representations")?;
        let certification_flag = r.u8("certification flag")?;
        let position_count = r.u8("number of finger/palm positions")?;
        let mut representations = Vec::new();
        for i in 0..count {
            let len = r.u32("representation length")?;
            let body_len = usize::try_from(len)
                .ok()
                .and_then(|l| l.checked_sub(4))
                .ok_or_else(|| {
                    Error::Lds(format!("{WHAT}: representation {i} length {len} below 4"))
                })?;
            let body = r.take(body_len, "representation")?;
            let mut rr = Reader::new(body, WHAT);
            representations.push(FingerImageRepresentation::read(
                &mut rr,
                certification_flag,
            )?);
        }
        let trailing = r.rest().to_vec();
        let mut warnings = length_warnings(
            u64::from(declared),
            bytes.len() - trailing.len(),
            trailing.len(),
        );
        for rep in &representations {
            if let Compression::Unknown(code) = rep.compression {
                warnings.push(format!(
                    "{}: compression algorithm code {code} is not in the 2011 table (0 to 6)",
                    rep.position.name()
                ));
            } else if let Some(w) = rep.compression.check_image(&rep.image) {
                warnings.push(format!("{}: {w}", rep.position.name()));
            }
        }
        Ok(FingerImageRecord2011 {
            certification_flag,
            position_count,
            representations,
            trailing,
            declared_length: Some(declared),
            warnings,
        })
    }

    /// Encodes the record, with its length fields computed from the data.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let count: u16 = fit(self.representations.len(), "number of representations")?;
        let mut body = Vec::new();
        for p in &self.representations {
            body.extend(p.write(self.certification_flag)?);
        }
        let structure = GENERAL_HEADER_LEN + body.len();
        body.extend_from_slice(&self.trailing);
        let total = length_field(
            self.declared_length.map(u64::from),
            structure,
            self.trailing.len(),
        );
        let total: u32 = fit(total as usize, "record length")?;
        let mut out = Vec::with_capacity(GENERAL_HEADER_LEN + body.len());
        out.extend_from_slice(&FORMAT_ID);
        out.extend_from_slice(&VERSION_2011);
        out.extend_from_slice(&total.to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
        out.extend_from_slice(&[self.certification_flag, self.position_count]);
        out.extend(body);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::biometrics::finger_image::FingerImage;

    fn sample(flag: u8) -> FingerImageRecord2011 {
        FingerImageRecord2011 {
            certification_flag: flag,
            position_count: 1,
            representations: vec![FingerImageRepresentation {
                capture_time: CaptureTime {
                    year: 2011,
                    month: 12,
                    day: 15,
                    ..CaptureTime::default()
                },
                device_technology: 0,
                device_vendor: 0xABCD,
                device_type: 7,
                quality_blocks: vec![QualityBlock {
                    score: 80,
                    vendor: 0x0F,
                    algorithm: 0x1234,
                }],
                certification_blocks: if flag != 0 {
                    vec![CertificationBlock {
                        authority: 1,
                        scheme: 2,
                    }]
                } else {
                    vec![]
                },
                position: FingerPosition::LEFT_THUMB,
                representation_number: 1,
                scale_units: 2,
                capture_resolution_h: 197,
                capture_resolution_v: 197,
                image_resolution_h: 197,
                image_resolution_v: 197,
                bit_depth: 8,
                compression: Compression::PNG,
                impression: ImpressionType::LIVE_PLAIN,
                width: 2,
                height: 2,
                image: vec![0x89, b'P', b'N', b'G'],
                extended: vec![0, 3, 0, 5, 9],
            }],
            trailing: vec![],
            declared_length: None,
            warnings: vec![],
        }
    }

    #[test]
    fn conversion_to_39794_keeps_the_quality_algorithm() {
        use crate::biometrics::finger_39794::convert::from_19794;
        use crate::biometrics::iso39794_1::ScoreOrError;
        let block = from_19794(&FingerImage::Iso2011(sample(0))).unwrap();
        let q = &block.value.representations[0].quality;
        assert_eq!(q.len(), 1);
        assert_eq!(
            (q[0].algorithm.organization, q[0].algorithm.id),
            (0x0F, 0x1234)
        );
        assert_eq!(q[0].score, ScoreOrError::Score(80));
        assert!(
            !block.value.representations[0]
                .quality
                .iter()
                .any(|q| q.algorithm.id == 0xFFFF)
        );
        assert!(!block.not_carried.iter().any(|l| l.contains("placeholder")));
    }

    #[test]
    fn png_is_code_6_and_a_mismatched_code_is_a_warning() {
        let rec = sample(0);
        let bytes = rec.encode().unwrap();
        let back = FingerImageRecord2011::parse(&bytes).unwrap();
        assert_eq!(back.representations[0].compression, Compression::Png);
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        let mut lossless = sample(0);
        lossless.representations[0].compression = Compression::JPEG2000_LOSSLESS;
        let other = lossless.encode().unwrap();
        // The records differ only in the compression byte: 6 for PNG, 5 for lossless JPEG 2000.
        let diff: Vec<(u8, u8)> = bytes
            .iter()
            .zip(&other)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (*a, *b))
            .collect();
        assert_eq!(diff, vec![(6, 5)]);
        let back = FingerImageRecord2011::parse(&other).unwrap();
        assert_eq!(back.warnings.len(), 1, "{:?}", back.warnings);
        assert!(back.warnings[0].contains("left thumb"));
    }

    #[test]
    fn round_trips_with_and_without_certification() {
        for flag in [0, 1] {
            let rec = sample(flag);
            let bytes = rec.encode().unwrap();
            assert_eq!(&bytes[..8], b"FIR\x00020\0");
            let back = FingerImageRecord2011::parse(&bytes).unwrap();
            assert_eq!(back.declared_length, Some(bytes.len() as u32));
            assert_eq!(back.representations, rec.representations);
            let any = FingerImage::parse(&bytes).unwrap();
            assert_eq!(any.encode().unwrap(), bytes);
            let views = any.views();
            assert_eq!(views[0].quality, Some(80));
            assert_eq!(views[0].image_extension(), "png");
            for n in 0..bytes.len() {
                assert!(FingerImageRecord2011::parse(&bytes[..n]).is_err(), "{n}");
            }
        }
        let mut bad = sample(0);
        bad.representations[0]
            .certification_blocks
            .push(CertificationBlock::default());
        assert!(bad.encode().is_err());
    }
}
