//! Finger image records, ISO/IEC 19794-4:2005 clause 8 ("FIR\0", version "010\0"): the record
//! ICAO Doc 9303-10 clause 4.7.3 prescribes for the biometric data blocks of DG3.
//!
//! A record is a 32-byte general record header (Table 2: record length in 6 bytes, capture
//! device, image acquisition level, number of fingers, scale units, scan and image resolutions,
//! pixel depth, compression algorithm) followed by finger records, each a 14-byte finger header
//! (Table 6: length, finger/palm position, count of views, view number, image quality, impression
//! type, horizontal and vertical line length) and the image data, kept as bytes (WSQ, JPEG,
//! JPEG 2000, PNG or raw pixels; dactyl does not decode pixels).
//!
//! [`FingerImage`] reads either edition: this one or ISO/IEC 19794-4:2011 ("020\0",
//! [`crate::biometrics::finger_image_2011`]).

use super::bytes::{Reader, fit, length_field, length_warnings, u48_bytes};
use super::finger_39794::{self, FingerImageDataBlock, Representation};
use super::finger_image_2011::{self, FingerImageRecord2011};
use super::{Compression, FingerImageEdition, FingerPosition, ImpressionType, ser_hex, ser_len};
use crate::error::{Error, Result};

/// The format identifier "FIR\0".
pub const FORMAT_ID: [u8; 4] = *b"FIR\0";
/// The version of the 2005 edition, "010\0".
pub const VERSION_2005: [u8; 4] = *b"010\0";
/// Bytes in the general record header.
pub const GENERAL_HEADER_LEN: usize = 32;
/// Bytes in a finger record's header.
pub const VIEW_HEADER_LEN: usize = 14;
/// Scale units: pixels per inch.
pub const PIXELS_PER_INCH: u8 = 1;
/// Scale units: pixels per centimetre.
pub const PIXELS_PER_CM: u8 = 2;

const WHAT: &str = "ISO/IEC 19794-4:2005 finger image record";

/// A finger image record of ISO/IEC 19794-4:2005.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FingerImageRecord {
    /// Capture device ID (0: not given).
    pub capture_device_id: u16,
    /// Image acquisition level (ISO/IEC 19794-4 Table 1: 10, 20, 30, 31, 40, 41).
    pub acquisition_level: u16,
    /// Scale units: 1 pixels per inch, 2 pixels per centimetre.
    pub scale_units: u8,
    /// Horizontal scan resolution.
    pub scan_resolution_h: u16,
    /// Vertical scan resolution.
    pub scan_resolution_v: u16,
    /// Horizontal image resolution.
    pub image_resolution_h: u16,
    /// Vertical image resolution.
    pub image_resolution_v: u16,
    /// Bits per pixel (8 for 256 grey levels).
    pub pixel_depth: u8,
    /// Compression algorithm of every image in the record.
    pub compression: Compression,
    /// The 2 reserved bytes, kept as found (0 when written by dactyl).
    pub reserved: u16,
    /// The finger records.
    pub views: Vec<FingerImageView>,
    /// Bytes after the last finger record, kept so the record re-encodes as read.
    #[serde(serialize_with = "ser_hex", skip_serializing_if = "Vec::is_empty")]
    pub trailing: Vec<u8>,
    /// The record length field as read (none for records built in memory). It is written back
    /// when it was consistent with the data; otherwise the true length is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_length: Option<u64>,
    /// What was odd but readable (a length field that disagrees with the data).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One finger record: a finger header and its image.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FingerImageView {
    /// Finger or palm position.
    pub position: FingerPosition,
    /// Number of views of this finger in the record.
    pub view_count: u8,
    /// This view's number (1 for the first).
    pub view_number: u8,
    /// Image quality, 0 to 100 (254: not computed, 255: failed).
    pub quality: u8,
    /// Impression type.
    pub impression: ImpressionType,
    /// Horizontal line length: the image width in pixels.
    pub width: u16,
    /// Vertical line length: the image height in pixels.
    pub height: u16,
    /// The reserved byte, kept as found.
    pub reserved: u8,
    /// The image data, compressed as the record's header says.
    #[serde(serialize_with = "ser_len")]
    pub image: Vec<u8>,
}

impl FingerImageView {
    /// A view of a single finger: view 1 of 1, live-scan plain.
    pub fn new(position: FingerPosition, width: u16, height: u16, image: Vec<u8>) -> Self {
        FingerImageView {
            position,
            view_count: 1,
            view_number: 1,
            quality: 254,
            impression: ImpressionType::LIVE_PLAIN,
            width,
            height,
            reserved: 0,
            image,
        }
    }
}

impl FingerImageRecord {
    /// A record of 500 ppi 8-bit images of `compression`, at acquisition level 31 (the level
    /// of the ICAO/BSI reference DG3), with `views`.
    pub fn new(compression: Compression, views: Vec<FingerImageView>) -> Self {
        FingerImageRecord {
            capture_device_id: 0,
            acquisition_level: 31,
            scale_units: PIXELS_PER_INCH,
            scan_resolution_h: 500,
            scan_resolution_v: 500,
            image_resolution_h: 500,
            image_resolution_v: 500,
            pixel_depth: 8,
            compression,
            reserved: 0,
            views,
            trailing: Vec::new(),
            declared_length: None,
            warnings: Vec::new(),
        }
    }

    /// Parses a 2005-edition record that fills `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<FingerImageRecord> {
        let mut r = Reader::new(bytes, WHAT);
        if r.array::<4>("format identifier")? != FORMAT_ID {
            return Err(Error::Lds(format!(
                "{WHAT}: format identifier {} is not \"FIR\\0\"",
                hex::encode_upper(bytes.get(..4).unwrap_or(bytes))
            )));
        }
        let version: [u8; 4] = r.array("version")?;
        if version != VERSION_2005 {
            return Err(Error::Lds(format!(
                "{WHAT}: version {:?} is not \"010\\0\"",
                String::from_utf8_lossy(&version)
            )));
        }
        let declared = r.u48("record length")?;
        let capture_device_id = r.u16("capture device ID")?;
        let acquisition_level = r.u16("image acquisition level")?;
        let count = r.u8("number of fingers")?;
        let scale_units = r.u8("scale units")?;
        let scan_resolution_h = r.u16("horizontal scan resolution")?;
        let scan_resolution_v = r.u16("vertical scan resolution")?;
        let image_resolution_h = r.u16("horizontal image resolution")?;
        let image_resolution_v = r.u16("vertical image resolution")?;
        let pixel_depth = r.u8("pixel depth")?;
        let compression =
            Compression::from_code(r.u8("compression algorithm")?, FingerImageEdition::E2005);
        let reserved = r.u16("reserved")?;
        let mut views = Vec::with_capacity(usize::from(count));
        for i in 0..count {
            views.push(read_view(&mut r, i)?);
        }
        let trailing = r.rest().to_vec();
        let mut warnings = length_warnings(declared, bytes.len() - trailing.len(), trailing.len());
        if let Compression::Unknown(code) = compression {
            warnings.push(format!(
                "compression algorithm code {code} is not in the 2005 table (0 to 5)"
            ));
        }
        for v in &views {
            if let Some(w) = compression.check_image(&v.image) {
                warnings.push(format!("{}: {w}", v.position.name()));
            }
        }
        Ok(FingerImageRecord {
            capture_device_id,
            acquisition_level,
            scale_units,
            scan_resolution_h,
            scan_resolution_v,
            image_resolution_h,
            image_resolution_v,
            pixel_depth,
            compression,
            reserved,
            views,
            trailing,
            declared_length: Some(declared),
            warnings,
        })
    }

    /// Encodes the record, with its length fields computed from the data.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let count: u8 = fit(self.views.len(), "number of finger records")?;
        let mut body = Vec::new();
        for v in &self.views {
            let len: u32 = fit(VIEW_HEADER_LEN + v.image.len(), "finger record length")?;
            body.extend_from_slice(&len.to_be_bytes());
            body.extend_from_slice(&[v.position.0, v.view_count, v.view_number, v.quality]);
            body.push(v.impression.0);
            body.extend_from_slice(&v.width.to_be_bytes());
            body.extend_from_slice(&v.height.to_be_bytes());
            body.push(v.reserved);
            body.extend_from_slice(&v.image);
        }
        let structure = GENERAL_HEADER_LEN + body.len();
        body.extend_from_slice(&self.trailing);
        let total = length_field(self.declared_length, structure, self.trailing.len());
        if total >= 1 << 48 {
            return Err(Error::Lds(format!("{WHAT}: {total} bytes is too long")));
        }
        let mut out = Vec::with_capacity(GENERAL_HEADER_LEN + body.len());
        out.extend_from_slice(&FORMAT_ID);
        out.extend_from_slice(&VERSION_2005);
        out.extend_from_slice(&u48_bytes(total));
        out.extend_from_slice(&self.capture_device_id.to_be_bytes());
        out.extend_from_slice(&self.acquisition_level.to_be_bytes());
        out.extend_from_slice(&[count, self.scale_units]);
        for v in [
            self.scan_resolution_h,
            self.scan_resolution_v,
            self.image_resolution_h,
            self.image_resolution_v,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&[
            self.pixel_depth,
            self.compression.code(FingerImageEdition::E2005),
        ]);
        out.extend_from_slice(&self.reserved.to_be_bytes());
        out.extend(body);
        Ok(out)
    }

    /// The file extension of the record's images ("wsq", "jpg", "jp2", "png", "raw").
    pub fn image_extension(&self) -> &'static str {
        self.compression.extension()
    }

    /// The finger positions of the views, in order.
    pub fn positions(&self) -> Vec<FingerPosition> {
        self.views.iter().map(|v| v.position).collect()
    }
}

fn read_view(r: &mut Reader<'_>, i: u8) -> Result<FingerImageView> {
    let len = r.u32("finger record length")?;
    let image_len = usize::try_from(len)
        .ok()
        .and_then(|l| l.checked_sub(VIEW_HEADER_LEN))
        .ok_or_else(|| {
            Error::Lds(format!(
                "{WHAT}: finger record {i} length {len} is shorter than its {VIEW_HEADER_LEN}-byte header"
            ))
        })?;
    Ok(FingerImageView {
        position: FingerPosition(r.u8("finger position")?),
        view_count: r.u8("count of views")?,
        view_number: r.u8("view number")?,
        quality: r.u8("image quality")?,
        impression: ImpressionType(r.u8("impression type")?),
        width: r.u16("horizontal line length")?,
        height: r.u16("vertical line length")?,
        reserved: r.u8("reserved")?,
        image: r.take(image_len, "finger image data")?.to_vec(),
    })
}

/// A finger image record of either edition of ISO/IEC 19794-4.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "edition")]
pub enum FingerImage {
    /// ISO/IEC 19794-4:2005 ("010"), the DG3 format.
    #[serde(rename = "ISO/IEC 19794-4:2005")]
    Iso2005(FingerImageRecord),
    /// ISO/IEC 19794-4:2011 ("020").
    #[serde(rename = "ISO/IEC 19794-4:2011")]
    Iso2011(FingerImageRecord2011),
    /// An ISO/IEC 39794-4 finger image data block (`[APPLICATION 4]`).
    #[serde(rename = "ISO/IEC 39794-4")]
    Iso39794(FingerImageDataBlock),
}

/// One image of a record, whatever the edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageView<'a> {
    /// Finger or palm position.
    pub position: FingerPosition,
    /// View (2005) or representation (2011) number.
    pub view_number: u8,
    /// Image quality (2005; the first quality block's score in 2011).
    pub quality: Option<u8>,
    /// Impression type (a 19794 code; for 39794-4, the 39794 code where it fits a byte).
    pub impression: ImpressionType,
    /// Whether `impression` is a code of the 39794-4 list (which differs from 19794's from 24).
    pub impression_is_39794: bool,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Scale units (1 ppi, 2 ppcm).
    pub scale_units: u8,
    /// Horizontal and vertical image resolution.
    pub resolution: (u16, u16),
    /// Compression.
    pub compression: Compression,
    /// The image data.
    pub image: &'a [u8],
}

impl ImageView<'_> {
    /// The impression's name in the code list of the record's format.
    pub fn impression_name(&self) -> String {
        if self.impression_is_39794 {
            finger_39794::impression_name(self.impression.0.into())
        } else {
            self.impression.name()
        }
    }

    /// The file extension of the image data ("pgm" for uncompressed images with a PGM header).
    pub fn image_extension(&self) -> &'static str {
        if self.compression == Compression::Uncompressed && self.image.starts_with(b"P5") {
            return "pgm";
        }
        self.compression.extension()
    }
}

impl FingerImage {
    /// Parses a record of either edition, chosen by its version field, or a 39794-4 block
    /// (first byte `64`).
    pub fn parse(bytes: &[u8]) -> Result<FingerImage> {
        if bytes.first() == Some(&0x64) {
            return FingerImageDataBlock::parse(bytes).map(FingerImage::Iso39794);
        }
        match bytes.get(4..8) {
            Some(v) if v == finger_image_2011::VERSION_2011 => {
                FingerImageRecord2011::parse(bytes).map(FingerImage::Iso2011)
            }
            _ => FingerImageRecord::parse(bytes).map(FingerImage::Iso2005),
        }
    }

    /// Encodes the record.
    pub fn encode(&self) -> Result<Vec<u8>> {
        match self {
            FingerImage::Iso2005(r) => r.encode(),
            FingerImage::Iso2011(r) => r.encode(),
            FingerImage::Iso39794(b) => Ok(b.encode()),
        }
    }

    /// "ISO/IEC 19794-4:2005", "ISO/IEC 19794-4:2011" or "ISO/IEC 39794-4".
    pub fn edition(&self) -> &'static str {
        match self {
            FingerImage::Iso2005(_) => "ISO/IEC 19794-4:2005",
            FingerImage::Iso2011(_) => "ISO/IEC 19794-4:2011",
            FingerImage::Iso39794(_) => "ISO/IEC 39794-4",
        }
    }

    /// The images, in order.
    pub fn views(&self) -> Vec<ImageView<'_>> {
        match self {
            FingerImage::Iso2005(r) => r
                .views
                .iter()
                .map(|v| ImageView {
                    position: v.position,
                    view_number: v.view_number,
                    quality: Some(v.quality),
                    impression: v.impression,
                    impression_is_39794: false,
                    width: v.width,
                    height: v.height,
                    scale_units: r.scale_units,
                    resolution: (r.image_resolution_h, r.image_resolution_v),
                    compression: r.compression,
                    image: &v.image,
                })
                .collect(),
            FingerImage::Iso2011(r) => r.representations.iter().map(|p| p.view()).collect(),
            FingerImage::Iso39794(b) => b.representations.iter().map(view_39794).collect(),
        }
    }

    /// The parser's warnings.
    pub fn warnings(&self) -> &[String] {
        match self {
            FingerImage::Iso2005(r) => &r.warnings,
            FingerImage::Iso2011(r) => &r.warnings,
            FingerImage::Iso39794(b) => &b.warnings,
        }
    }

    /// True for an ISO/IEC 39794-4 block (written in DG3 as `7F2E { A1 { block } }`).
    pub fn is_extensible(&self) -> bool {
        matches!(self, FingerImage::Iso39794(_))
    }
}

/// The common view of a 39794-4 representation: size from the image header (0 when
/// unreadable), resolution from the sampling rate (scale units 1 ppi, 2 ppcm; 0 when absent).
fn view_39794(r: &Representation) -> ImageView<'_> {
    let (width, height) = r.image_size().unwrap_or((0, 0));
    let (scale_units, res) = match &r.sampling_rate {
        Some(s) if s.unit == finger_39794::UNIT_CM => (PIXELS_PER_CM, s.samples_per_unit),
        Some(s) => (PIXELS_PER_INCH, s.samples_per_unit),
        None => (0, 0),
    };
    ImageView {
        position: r.finger_position(),
        view_number: 1,
        quality: r.quality_score(),
        impression: r.impression_type(),
        impression_is_39794: true,
        width,
        height,
        scale_units,
        resolution: (res, res),
        compression: finger_39794::format_compression(r.image_format.value()),
        image: &r.image,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FingerImageRecord {
        FingerImageRecord::new(
            Compression::WSQ,
            vec![
                FingerImageView::new(FingerPosition::RIGHT_INDEX, 3, 2, vec![0xFF, 0xA0, 1]),
                FingerImageView::new(FingerPosition::LEFT_INDEX, 1, 1, vec![]),
            ],
        )
    }

    #[test]
    fn encodes_and_parses_back() {
        let rec = sample();
        let bytes = rec.encode().unwrap();
        assert_eq!(bytes.len(), 32 + 14 + 3 + 14);
        assert_eq!(&bytes[..8], b"FIR\x00010\0");
        assert_eq!(&bytes[8..14], &[0, 0, 0, 0, 0, 63]);
        let back = FingerImageRecord::parse(&bytes).unwrap();
        assert_eq!(
            back,
            FingerImageRecord {
                declared_length: Some(63),
                ..rec
            }
        );
        assert_eq!(back.image_extension(), "wsq");
        assert_eq!(FingerImage::parse(&bytes).unwrap().views().len(), 2);
    }

    #[test]
    fn bad_lengths_are_errors_or_warnings() {
        let mut bytes = sample().encode().unwrap();
        for n in 0..bytes.len() {
            assert!(FingerImageRecord::parse(&bytes[..n]).is_err(), "{n}");
        }
        bytes.push(0);
        let rec = FingerImageRecord::parse(&bytes).unwrap();
        assert_eq!(rec.trailing, [0]);
        assert_eq!(rec.warnings.len(), 1, "{:?}", rec.warnings);
        assert_eq!(rec.encode().unwrap(), bytes);
        assert_eq!(rec.encode().unwrap().len(), bytes.len());
        let mut short_view = sample().encode().unwrap();
        short_view[35] = 13; // first finger record length below its header
        assert!(FingerImageRecord::parse(&short_view).is_err());
        let mut wrong = sample().encode().unwrap();
        wrong[5] = b'2';
        assert!(FingerImageRecord::parse(&wrong).is_err());
    }
}
