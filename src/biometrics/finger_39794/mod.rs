//! ISO/IEC 39794-4:2019 finger image data blocks (module `ISO-IEC-39794-4-ed-1-v2`, the
//! tagged-binary encoding of clause 8): the extensible format ICAO Doc 9303-10 clause 4.7.3
//! allows in DG3 from 2026 (CBEFF format type 0028, [`crate::lds::biometric_group`]).
//!
//! ```text
//! FingerImageDataBlock ::= [APPLICATION 4] SEQUENCE {
//!   versionBlock [0] VersionBlock, representationBlocks [1] SEQUENCE OF RepresentationBlock, ... }
//! RepresentationBlock ::= SEQUENCE {
//!   position [0] Position, impression [1] Impression, imageDataFormat [2] ImageDataFormat,
//!   imageData [3] OCTET STRING, captureDateTimeBlock [4] OPTIONAL, captureDeviceBlock [5]
//!   OPTIONAL, qualityBlocks [6] OPTIONAL, spatialSamplingRateBlock [7] OPTIONAL,
//!   positionComputedByCaptureSystem [8] BOOLEAN OPTIONAL, originalRotation [9] INTEGER
//!   OPTIONAL, imageRotatedToVertical [10] BOOLEAN OPTIONAL, imageHasBeenLossilyCompressed [11]
//!   BOOLEAN OPTIONAL, segmentationBlocks [12] OPTIONAL, annotationBlocks [13] OPTIONAL,
//!   pADDataBlock [14] OPTIONAL, commentBlocks [15] SEQUENCE OF VisibleString OPTIONAL,
//!   vendorSpecificDataBlocks [16] SEQUENCE OF ExtendedDataBlock OPTIONAL, ... }
//! CaptureDeviceBlock ::= SEQUENCE { modelIdBlock [0] RegistryIdBlock, technologyId [1]
//!   OPTIONAL, certificationIdBlocks [2] OPTIONAL, ... }
//! SpatialSamplingRateBlock ::= SEQUENCE { samplesPerUnit [0] INTEGER (0..65535),
//!   unitDimension [1] ENUMERATED { inch(0), cm(1) } }
//! ```
//!
//! The common blocks are those of ISO/IEC 39794-1 ([`common`]). Segmentation, annotation and
//! PAD data blocks are kept as read (their bytes), not interpreted.
//!
//! Reading uses the crate's TLV view rather than the `der` crate: real blocks may carry
//! non-minimal lengths or integers and elements of later versions, which a strict DER decoder
//! rejects and a derived encoder would not write back. Every block and representation keeps the
//! bytes it was read from and writes them back unchanged while its fields still decode from
//! them; otherwise (built or edited in memory) it is encoded as DER, named elements in tag
//! order, then the unknown ones in the order read.

pub mod common;
pub mod convert;

use self::common::{
    Code, DateTime, ExtendedData, Fields, QualityBlock, RawElement, RegistryId, SEQUENCE,
    VersionBlock, bad, boolean, ctx, ctx_cons, int_in, put, put_extra, put_int, seq_of,
};
use super::{Compression, FingerPosition, ImpressionType, ser_len};
use crate::error::Result;
use crate::tlv::Tlv;

/// The tag of the finger image data block, `[APPLICATION 4]` constructed.
pub const TAG: u32 = 0x64;

/// Image data format codes (39794-4 `ImageDataFormatCode`).
pub mod format {
    /// PGM (uncompressed, ISO/IEC 39794-4 Annex).
    pub const PGM: i64 = 0;
    /// WSQ.
    pub const WSQ: i64 = 1;
    /// JPEG 2000, lossy.
    pub const JPEG2000_LOSSY: i64 = 2;
    /// JPEG 2000, lossless.
    pub const JPEG2000_LOSSLESS: i64 = 3;
    /// PNG.
    pub const PNG: i64 = 4;
}

/// Impression codes (39794-4 `ImpressionCode`): plain contact 0, rolled contact 1, latent 4,
/// swipe 8, contactless stationary plain 24 / rolled 25, other 28, unknown 29, contactless
/// moving plain 41 / rolled 42.
pub fn impression_name(code: i64) -> String {
    match code {
        0 => "plain contact".into(),
        1 => "rolled contact".into(),
        4 => "latent".into(),
        8 => "swipe contact".into(),
        24 => "contactless plain (stationary subject)".into(),
        25 => "contactless rolled (stationary subject)".into(),
        28 => "other".into(),
        29 => "unknown".into(),
        41 => "contactless plain (moving subject)".into(),
        42 => "contactless rolled (moving subject)".into(),
        n => format!("impression {n}"),
    }
}

/// The name of an image data format code.
pub fn format_name(code: i64) -> String {
    match code {
        format::PGM => "PGM".into(),
        format::WSQ => "WSQ".into(),
        format::JPEG2000_LOSSY => "JPEG 2000 (lossy)".into(),
        format::JPEG2000_LOSSLESS => "JPEG 2000 (lossless)".into(),
        format::PNG => "PNG".into(),
        n => format!("image format {n}"),
    }
}

/// The [`Compression`] that stands for an image data format code (PGM as uncompressed).
pub fn format_compression(code: i64) -> Compression {
    match code {
        format::PGM => Compression::Uncompressed,
        format::WSQ => Compression::Wsq,
        format::JPEG2000_LOSSY => Compression::Jpeg2000Lossy,
        format::JPEG2000_LOSSLESS => Compression::Jpeg2000Lossless,
        format::PNG => Compression::Png,
        n => Compression::Unknown(u8::try_from(n).unwrap_or(u8::MAX)),
    }
}

/// `CaptureDeviceBlock` (39794-4).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CaptureDevice {
    /// `[0]` the model.
    pub model: RegistryId,
    /// `[1]` the capture device technology (39794-4 `CaptureDeviceTechnologyIdCode`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technology: Option<Code>,
    /// `[2]` certifications.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<RegistryId>,
    /// Elements without a named field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<RawElement>,
}

impl CaptureDevice {
    fn read(value: &[u8]) -> Result<CaptureDevice> {
        const W: &str = "capture device block";
        let f = Fields::read(value, &[0xA0, 0xA1, 0xA2], W)?;
        Ok(CaptureDevice {
            model: RegistryId::read(f.need(0xA0, W)?.value)?,
            technology: f.get(0xA1).map(|t| Code::read(&t, W)).transpose()?,
            certifications: match f.get(0xA2) {
                Some(t) => RegistryId::read_list(t.value)?,
                None => Vec::new(),
            },
            extra: f.extra,
        })
    }

    fn value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, 0xA0, &self.model.value());
        if let Some(t) = &self.technology {
            t.write(&mut out, 1);
        }
        if !self.certifications.is_empty() {
            put(
                &mut out,
                0xA2,
                &RegistryId::list_value(&self.certifications),
            );
        }
        put_extra(&mut out, &self.extra);
        out
    }
}

/// `SpatialSamplingRateBlock` (39794-4): samples per inch (unit 0) or per centimetre (1).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SamplingRate {
    /// `[0]` samples per unit.
    pub samples_per_unit: u16,
    /// `[1]` unit: 0 inch, 1 cm.
    pub unit: u8,
    /// Elements without a named field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<RawElement>,
}

/// Unit dimension inch.
pub const UNIT_INCH: u8 = 0;
/// Unit dimension centimetre.
pub const UNIT_CM: u8 = 1;

impl SamplingRate {
    fn read(value: &[u8]) -> Result<SamplingRate> {
        const W: &str = "spatial sampling rate block";
        let f = Fields::read(value, &[0x80, 0x81], W)?;
        let n = int_in(&f.need(0x80, W)?, 0, 65535, W)?;
        let u = int_in(&f.need(0x81, W)?, 0, 255, W)?;
        Ok(SamplingRate {
            samples_per_unit: u16::try_from(n).map_err(|e| bad(W, e))?,
            unit: u8::try_from(u).map_err(|e| bad(W, e))?,
            extra: f.extra,
        })
    }

    fn value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_int(&mut out, 0x80, self.samples_per_unit.into());
        put_int(&mut out, 0x81, self.unit.into());
        put_extra(&mut out, &self.extra);
        out
    }
}

/// One `RepresentationBlock` (39794-4): one finger image and what describes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Representation {
    /// `[0]` finger position (the 19794-4 position codes).
    pub position: Code,
    /// `[1]` impression (see [`impression_name`]).
    pub impression: Code,
    /// `[2]` image data format (see [`format`](mod@format)).
    pub image_format: Code,
    /// `[3]` the image.
    #[serde(serialize_with = "ser_len")]
    pub image: Vec<u8>,
    /// `[4]` capture date and time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_date_time: Option<DateTime>,
    /// `[5]` capture device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_device: Option<CaptureDevice>,
    /// `[6]` quality blocks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quality: Vec<QualityBlock>,
    /// `[7]` spatial sampling rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sampling_rate: Option<SamplingRate>,
    /// `[8]` the position was computed by the capture system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position_computed: Option<bool>,
    /// `[9]` original rotation in degrees (0..359).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_rotation: Option<u16>,
    /// `[10]` the image was rotated to vertical.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotated_to_vertical: Option<bool>,
    /// `[11]` the image has been lossily compressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lossily_compressed: Option<bool>,
    /// `[12]` segmentation blocks, the whole element as read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segmentation: Option<RawElement>,
    /// `[13]` annotation blocks, the whole element as read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<RawElement>,
    /// `[14]` PAD data block (39794-1), the whole element as read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pad: Option<RawElement>,
    /// `[15]` comments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
    /// `[16]` vendor-specific data blocks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vendor_data: Vec<ExtendedData>,
    /// Elements of later versions or unknown tags, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<RawElement>,
    /// The value this representation was read from.
    #[serde(skip)]
    pub source: Option<Vec<u8>>,
}

impl Representation {
    /// A representation of a single image with the mandatory fields.
    pub fn new(
        position: FingerPosition,
        impression: i64,
        image_format: i64,
        image: Vec<u8>,
    ) -> Self {
        Representation {
            position: Code::Code(position.0.into()),
            impression: Code::Code(impression),
            image_format: Code::Code(image_format),
            image,
            capture_date_time: None,
            capture_device: None,
            quality: Vec::new(),
            sampling_rate: None,
            position_computed: None,
            original_rotation: None,
            rotated_to_vertical: None,
            lossily_compressed: None,
            segmentation: None,
            annotation: None,
            pad: None,
            comments: Vec::new(),
            vendor_data: Vec::new(),
            extra: Vec::new(),
            source: None,
        }
    }

    /// Reads the value of a representation block.
    pub fn read(value: &[u8]) -> Result<Representation> {
        const W: &str = "finger image representation block";
        let tags: Vec<u32> = [
            0xA0, 0xA1, 0xA2, 0x83, 0xA4, 0xA5, 0xA6, 0xA7, 0x88, 0x89, 0x8A,
        ]
        .into_iter()
        .chain([0x8B, 0xAC, 0xAD, 0xAE, 0xAF, 0xB0])
        .collect();
        let f = Fields::read(value, &tags, W)?;
        let opt_bool = |t: u32| f.get(t).map(|t| boolean(&t, W)).transpose();
        let raw = |t: u32| f.get(t).map(|t| RawElement(t.raw.to_vec()));
        let position = Code::read(&f.need(0xA0, W)?, "finger position")?;
        if !(0..=255).contains(&position.value()) {
            return Err(bad(W, format!("finger position {}", position.value())));
        }
        let comments = match f.get(0xAF) {
            Some(t) => {
                let mut out = Vec::new();
                for c in crate::tlv::Children::of(t.value) {
                    let c = c.map_err(|e| bad(W, e))?;
                    out.push(String::from_utf8_lossy(c.value).into_owned());
                }
                out
            }
            None => Vec::new(),
        };
        Ok(Representation {
            position,
            impression: Code::read(&f.need(0xA1, W)?, "impression")?,
            image_format: Code::read(&f.need(0xA2, W)?, "image data format")?,
            image: f.need(0x83, W)?.value.to_vec(),
            capture_date_time: f.get(0xA4).map(|t| DateTime::read(t.value)).transpose()?,
            capture_device: f
                .get(0xA5)
                .map(|t| CaptureDevice::read(t.value))
                .transpose()?,
            quality: match f.get(0xA6) {
                Some(t) => seq_of(t.value, "quality blocks", QualityBlock::read)?,
                None => Vec::new(),
            },
            sampling_rate: f
                .get(0xA7)
                .map(|t| SamplingRate::read(t.value))
                .transpose()?,
            position_computed: opt_bool(0x88)?,
            original_rotation: f
                .get(0x89)
                .map(|t| int_in(&t, 0, 359, "original rotation"))
                .transpose()?
                .and_then(|n| u16::try_from(n).ok()),
            rotated_to_vertical: opt_bool(0x8A)?,
            lossily_compressed: opt_bool(0x8B)?,
            segmentation: raw(0xAC),
            annotation: raw(0xAD),
            pad: raw(0xAE),
            comments,
            vendor_data: match f.get(0xB0) {
                Some(t) => seq_of(t.value, "vendor-specific data blocks", ExtendedData::read)?,
                None => Vec::new(),
            },
            extra: f.extra,
            source: Some(value.to_vec()),
        })
    }

    /// The value of the representation block: the bytes it was read from while its fields
    /// are unchanged, else DER.
    pub fn value(&self) -> Vec<u8> {
        if let Some(src) = &self.source
            && Representation::read(src).is_ok_and(|r| r == *self)
        {
            return src.clone();
        }
        let mut out = Vec::new();
        self.position.write(&mut out, 0);
        self.impression.write(&mut out, 1);
        self.image_format.write(&mut out, 2);
        put(&mut out, ctx(3), &self.image);
        if let Some(d) = &self.capture_date_time {
            put(&mut out, ctx_cons(4), &d.value());
        }
        if let Some(d) = &self.capture_device {
            put(&mut out, ctx_cons(5), &d.value());
        }
        if !self.quality.is_empty() {
            let mut q = Vec::new();
            for b in &self.quality {
                put(&mut q, SEQUENCE, &b.value());
            }
            put(&mut out, ctx_cons(6), &q);
        }
        if let Some(s) = &self.sampling_rate {
            put(&mut out, ctx_cons(7), &s.value());
        }
        let flag = |out: &mut Vec<u8>, n: u32, b: Option<bool>| {
            if let Some(b) = b {
                put(out, ctx(n), &[if b { 0xFF } else { 0 }]);
            }
        };
        flag(&mut out, 8, self.position_computed);
        if let Some(r) = self.original_rotation {
            put_int(&mut out, ctx(9), r.into());
        }
        flag(&mut out, 10, self.rotated_to_vertical);
        flag(&mut out, 11, self.lossily_compressed);
        for e in [&self.segmentation, &self.annotation, &self.pad]
            .into_iter()
            .flatten()
        {
            out.extend_from_slice(&e.0);
        }
        if !self.comments.is_empty() {
            let mut c = Vec::new();
            for s in &self.comments {
                put(&mut c, 0x1A, s.as_bytes());
            }
            put(&mut out, ctx_cons(15), &c);
        }
        if !self.vendor_data.is_empty() {
            let mut v = Vec::new();
            for b in &self.vendor_data {
                put(&mut v, SEQUENCE, &b.value());
            }
            put(&mut out, ctx_cons(16), &v);
        }
        put_extra(&mut out, &self.extra);
        out
    }

    /// The finger position (codes outside 0..255 were refused when read; built ones saturate).
    pub fn finger_position(&self) -> FingerPosition {
        FingerPosition(u8::try_from(self.position.value()).unwrap_or(u8::MAX))
    }

    /// The impression as a 19794 impression type where the code fits a byte.
    pub fn impression_type(&self) -> ImpressionType {
        ImpressionType(u8::try_from(self.impression.value()).unwrap_or(u8::MAX))
    }

    /// The first quality block's score.
    pub fn quality_score(&self) -> Option<u8> {
        self.quality.iter().find_map(|q| match q.score {
            common::ScoreOrError::Score(s) => Some(s),
            common::ScoreOrError::Error(_) => None,
        })
    }

    /// The width and height the image's header gives, if it can be read.
    pub fn image_size(&self) -> Option<(u16, u16)> {
        super::image_size::image_size(&self.image)
            .ok()
            .map(|(_, w, h)| (w, h))
            .or_else(|| pgm_size(&self.image))
    }
}

/// The size a binary PGM ("P5") header gives.
fn pgm_size(image: &[u8]) -> Option<(u16, u16)> {
    let head = image.strip_prefix(b"P5")?;
    let text = String::from_utf8_lossy(head.get(..head.len().min(64))?);
    let mut nums = text
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|s| !s.is_empty());
    let w = nums.next()?.parse().ok()?;
    let h = nums.next()?.parse().ok()?;
    Some((w, h))
}

/// An ISO/IEC 39794-4 finger image data block.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FingerImageDataBlock {
    /// `[0]` the version of the format.
    pub version: VersionBlock,
    /// `[1]` the representations, one image each.
    pub representations: Vec<Representation>,
    /// Elements of later versions or unknown tags, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<RawElement>,
    /// Odd but readable things.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The whole block as read.
    #[serde(skip)]
    pub source: Option<Vec<u8>>,
}

impl FingerImageDataBlock {
    /// A block of 39794-4 edition 1 (generation 3, year 2019) with `representations`.
    pub fn new(representations: Vec<Representation>) -> Self {
        FingerImageDataBlock {
            version: VersionBlock {
                generation: 3,
                year: 2019,
                extra: Vec::new(),
            },
            representations,
            extra: Vec::new(),
            warnings: Vec::new(),
            source: None,
        }
    }

    /// Parses a whole `[APPLICATION 4]` block filling `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<FingerImageDataBlock> {
        const W: &str = "finger image data block";
        let t = Tlv::parse_exact(bytes).map_err(|e| bad(W, e))?;
        if t.tag != TAG {
            return Err(bad(
                W,
                format!("tag 64 ([APPLICATION 4]), found {:X}", t.tag),
            ));
        }
        let f = Fields::read(t.value, &[0xA0, 0xA1], W)?;
        let version = VersionBlock::read(f.need(0xA0, W)?.value)?;
        let representations = seq_of(f.need(0xA1, W)?.value, "representation blocks", |v| {
            Representation::read(v)
        })?;
        let mut warnings = Vec::new();
        if representations.is_empty() {
            warnings.push("no representation block".to_string());
        }
        if (version.generation, version.year) != (3, 2019) {
            warnings.push(format!(
                "version generation {} year {} (edition 1 is 3/2019)",
                version.generation, version.year
            ));
        }
        for r in &representations {
            let fmt = r.image_format.value();
            if let Some(w) = format_compression(fmt).check_image(&r.image) {
                warnings.push(format!("{}: {w}", r.finger_position().name()));
            }
        }
        Ok(FingerImageDataBlock {
            version,
            representations,
            extra: f.extra,
            warnings,
            source: Some(bytes.to_vec()),
        })
    }

    /// Encodes the block: the bytes it was read from while nothing changed, else DER.
    pub fn encode(&self) -> Vec<u8> {
        if let Some(src) = &self.source
            && FingerImageDataBlock::parse(src).is_ok_and(|b| b == *self)
        {
            return src.clone();
        }
        let mut reps = Vec::new();
        for r in &self.representations {
            put(&mut reps, SEQUENCE, &r.value());
        }
        let mut value = Vec::new();
        put(&mut value, ctx_cons(0), &self.version.value());
        put(&mut value, ctx_cons(1), &reps);
        put_extra(&mut value, &self.extra);
        let mut out = Vec::new();
        put(&mut out, TAG, &value);
        out
    }
}

/// The block's fields for a report: everything serialised, with the codes named.
pub fn block_json(b: &FingerImageDataBlock) -> serde_json::Value {
    let mut v = serde_json::to_value(b).unwrap_or(serde_json::Value::Null);
    if let Some(reps) = v.get_mut("representations").and_then(|r| r.as_array_mut()) {
        for (j, r) in reps.iter_mut().zip(&b.representations) {
            if let serde_json::Value::Object(m) = j {
                m.insert("position_name".into(), r.finger_position().name().into());
                m.insert(
                    "impression_name".into(),
                    impression_name(r.impression.value()).into(),
                );
                m.insert(
                    "image_format_name".into(),
                    format_name(r.image_format.value()).into(),
                );
            }
        }
    }
    v
}
