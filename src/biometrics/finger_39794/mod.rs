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
//! The common blocks are those of ISO/IEC 39794-1 ([`crate::biometrics::iso39794_1`], shared
//! with the face image data block), the PAD data block among them. Segmentation and annotation
//! blocks are kept as read (their bytes), not interpreted.
//!
//! Reading uses the crate's TLV view rather than the `der` crate: real blocks may carry
//! non-minimal lengths or integers and elements of later versions, which a strict DER decoder
//! rejects and a derived encoder would not write back. Every block and representation keeps the
//! bytes it was read from and writes them back unchanged while its fields still decode from
//! them; otherwise (built or edited in memory) it is encoded as DER, named elements in tag
//! order, then the unknown ones in the order read.

pub mod convert;

use super::iso39794_1::ber::{Fields, Writer, seq_of, seq_of_value};
use super::iso39794_1::{
    DateTime, Enumerated, ExtendedData, PadData, QualityBlock, RegistryId, ScoreOrError,
    VersionBlock, parse_quality_blocks, parse_registry_ids, quality_blocks_value,
    registry_ids_value, ser_hex_list,
};
use super::{Compression, FingerPosition, ImpressionType, ser_len, ser_opt_hex};
use crate::error::{Error, Result};
use crate::tlv::Tlv;

fn bad(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::Lds(format!("ISO/IEC 39794-4 {what}: {detail}"))
}

/// An INTEGER read by `read` that must lie in `lo..=hi`.
fn in_range<T: TryFrom<i64>>(v: i64, lo: i64, hi: i64, what: &str) -> Result<T> {
    if (lo..=hi).contains(&v) {
        T::try_from(v).map_err(|_| bad(what, format!("{v} out of range")))
    } else {
        Err(bad(what, format!("{v} is outside {lo}..={hi}")))
    }
}

/// An enumeration that must give a code (in either form).
fn required_code(e: Option<Enumerated>, what: &str) -> Result<Enumerated> {
    match e {
        Some(e) if e.code().is_some() => Ok(e),
        Some(_) => Err(bad(what, "extension block without a fallback code")),
        None => Err(bad(what, "mandatory element missing")),
    }
}

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
    pub technology: Option<Enumerated>,
    /// `[2]` certifications.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<RegistryId>,
    /// Elements without a named field, each as read.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
}

impl CaptureDevice {
    fn parse(value: &[u8], what: &str) -> Result<CaptureDevice> {
        let mut f = Fields::new(value, what)?;
        Ok(CaptureDevice {
            model: f.req(0, RegistryId::parse)?,
            technology: f.enumerated(1)?,
            certifications: f.with(2, parse_registry_ids)?.unwrap_or_default(),
            extra: f.rest(),
        })
    }

    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.cons(0, &self.model.value());
        w.opt_enum(1, &self.technology);
        if !self.certifications.is_empty() {
            w.cons(2, &registry_ids_value(&self.certifications));
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `SpatialSamplingRateBlock` (39794-4): samples per inch (unit 0) or per centimetre (1).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SamplingRate {
    /// `[0]` samples per unit.
    pub samples_per_unit: u16,
    /// `[1]` unit: 0 inch, 1 cm.
    pub unit: u8,
    /// Elements without a named field, each as read.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
}

/// Unit dimension inch.
pub const UNIT_INCH: u8 = 0;
/// Unit dimension centimetre.
pub const UNIT_CM: u8 = 1;

impl SamplingRate {
    fn parse(value: &[u8], what: &str) -> Result<SamplingRate> {
        let mut f = Fields::new(value, what)?;
        Ok(SamplingRate {
            samples_per_unit: in_range(f.req_int(0)?, 0, 65535, "samples per unit")?,
            unit: in_range(f.req_int(1)?, 0, 255, "unit dimension")?,
            extra: f.rest(),
        })
    }

    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.int(0, self.samples_per_unit.into());
        w.int(1, self.unit.into());
        w.extra(&self.extra);
        w.into_value()
    }
}

/// One `RepresentationBlock` (39794-4): one finger image and what describes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Representation {
    /// `[0]` finger position (the 19794-4 position codes).
    pub position: Enumerated,
    /// `[1]` impression (see [`impression_name`]).
    pub impression: Enumerated,
    /// `[2]` image data format (see [`format`](mod@format)).
    pub image_format: Enumerated,
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
    #[serde(
        serialize_with = "ser_opt_hex",
        skip_serializing_if = "Option::is_none"
    )]
    pub segmentation: Option<Vec<u8>>,
    /// `[13]` annotation blocks, the whole element as read.
    #[serde(
        serialize_with = "ser_opt_hex",
        skip_serializing_if = "Option::is_none"
    )]
    pub annotation: Option<Vec<u8>>,
    /// `[14]` PAD data block (39794-1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pad: Option<PadData>,
    /// `[15]` comments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
    /// `[16]` vendor-specific data blocks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vendor_data: Vec<ExtendedData>,
    /// Elements of later versions or unknown tags, each as read, in order.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
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
            position: Enumerated::Code(position.0.into()),
            impression: Enumerated::Code(impression),
            image_format: Enumerated::Code(image_format),
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
        Representation::parse(value, "finger image representation block")
    }

    fn parse(value: &[u8], what: &str) -> Result<Representation> {
        let mut f = Fields::new(value, what)?;
        let position = required_code(f.enumerated(0)?, "finger position")?;
        if !(0..=255).contains(&position.value()) {
            return Err(bad(what, format!("finger position {}", position.value())));
        }
        let impression = required_code(f.enumerated(1)?, "impression")?;
        let image_format = required_code(f.enumerated(2)?, "image data format")?;
        let image = f
            .octets(3)
            .ok_or_else(|| bad(what, "the image data [3] is missing"))?;
        Ok(Representation {
            position,
            impression,
            image_format,
            image,
            capture_date_time: f.with(4, DateTime::parse)?,
            capture_device: f.with(5, CaptureDevice::parse)?,
            quality: f.with(6, parse_quality_blocks)?.unwrap_or_default(),
            sampling_rate: f.with(7, SamplingRate::parse)?,
            position_computed: f.bool(8)?,
            original_rotation: f
                .int(9)?
                .map(|n| in_range(n, 0, 359, "original rotation"))
                .transpose()?,
            rotated_to_vertical: f.bool(10)?,
            lossily_compressed: f.bool(11)?,
            segmentation: f.take(0xAC).map(|t| t.raw.to_vec()),
            annotation: f.take(0xAD).map(|t| t.raw.to_vec()),
            pad: f.with(14, PadData::parse)?,
            comments: f
                .with(15, |v, w| {
                    crate::tlv::Children::of(v)
                        .map(|c| {
                            c.map(|c| String::from_utf8_lossy(c.value).into_owned())
                                .map_err(|e| bad(w, e))
                        })
                        .collect::<Result<Vec<_>>>()
                })?
                .unwrap_or_default(),
            vendor_data: f
                .with(16, |v, w| seq_of(v, w, ExtendedData::parse))?
                .unwrap_or_default(),
            extra: f.rest(),
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
        let mut w = Writer::default();
        w.cons(0, &self.position.encode());
        w.cons(1, &self.impression.encode());
        w.cons(2, &self.image_format.encode());
        w.octets(3, &self.image);
        if let Some(d) = &self.capture_date_time {
            w.cons(4, &d.value());
        }
        if let Some(d) = &self.capture_device {
            w.cons(5, &d.value());
        }
        if !self.quality.is_empty() {
            w.cons(6, &quality_blocks_value(&self.quality));
        }
        if let Some(s) = &self.sampling_rate {
            w.cons(7, &s.value());
        }
        w.opt_bool(8, self.position_computed);
        w.opt_int(9, self.original_rotation.map(i64::from));
        w.opt_bool(10, self.rotated_to_vertical);
        w.opt_bool(11, self.lossily_compressed);
        for e in [&self.segmentation, &self.annotation].into_iter().flatten() {
            w.extra(std::slice::from_ref(e));
        }
        if let Some(p) = &self.pad {
            w.cons(14, &p.value());
        }
        if !self.comments.is_empty() {
            let mut c = Vec::new();
            for s in &self.comments {
                crate::tlv::write(&mut c, 0x1A, s.as_bytes());
            }
            w.cons(15, &c);
        }
        if !self.vendor_data.is_empty() {
            w.cons(
                16,
                &seq_of_value(self.vendor_data.iter().map(ExtendedData::value)),
            );
        }
        w.extra(&self.extra);
        w.into_value()
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
            ScoreOrError::Score(s) => u8::try_from(s).ok(),
            ScoreOrError::Error(_) => None,
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
    /// Elements of later versions or unknown tags, each as read, in order.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
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
        let mut f = Fields::new(t.value, W)?;
        let version = f.req(0, VersionBlock::parse)?;
        let representations = f.req(1, |v, w| seq_of(v, w, Representation::parse))?;
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
            extra: f.rest(),
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
        crate::biometrics::iso39794_1::data_block(
            TAG,
            &self.version,
            self.representations.iter().map(Representation::value),
            &self.extra,
        )
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
