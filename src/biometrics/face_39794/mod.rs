//! The ISO/IEC 39794-5 face image data block (`FaceImageDataBlock`, `[APPLICATION 5]`, tag
//! `65`) as ICAO's eMRTD application profile defines it (ASN.1 module
//! `ID-ICAO-ISO-IEC-39794-5-ed-1-v1`, IMPLICIT TAGS, with the common blocks of
//! `ID-ICAO-ISO-IEC-39794-1-ed-1-v1`; Doc 9303-10 clause 4.7.2 carries it in DG2 inside
//! `7F2E { A1 { block } }`).
//!
//! The codec is built on the crate's own BER-TLV view ([`crate::tlv`]), not on the `der` crate:
//! real blocks may use BER length forms and carry elements of later editions, and both must be
//! read and kept; `der` rejects the first and its derive cannot keep the second in order.
//! Every SEQUENCE keeps the elements it does not know (whole, as read) and writes them after
//! its own; every enumeration reads both `code [0]` and `extensionBlock [1]` forms
//! ([`Enumerated`]). [`FaceImageBlock::encode`] writes DER, and gives back the exact bytes
//! read while the decoded value is unchanged, so a block in any length form re-encodes byte
//! for byte. The 39794-1 blocks are [`crate::biometrics::iso39794_1`], shared with the finger
//! image block. Submodules: [`image`] (the 2D image and its information), [`identity`]
//! (capture device, identity metadata, landmarks), [`convert`] (to and from the ISO/IEC
//! 19794-5 record).

pub mod convert;
pub mod identity;
pub mod image;

pub use crate::biometrics::iso39794_1::Enumerated;
use crate::biometrics::iso39794_1::ber::{Fields, Writer, seq_of};
use crate::biometrics::iso39794_1::{DateTime, PadData, QualityBlock, VersionBlock};
use identity::{CaptureDevice, IdentityMetadata, Landmark};
pub use image::ImageRepresentation;

use crate::error::{Error, Result};
use crate::tlv::Tlv;

/// The tag of `FaceImageDataBlock`: `[APPLICATION 5]`, constructed.
pub const TAG: u32 = 0x65;

/// `FaceImageDataBlock`. Blocks compare by value, whatever bytes they were read from.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FaceImageBlock {
    /// `versionBlock [0]`.
    pub version: VersionBlock,
    /// `representationBlocks [1]` (the profile allows exactly one).
    pub representations: Vec<Representation>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
    /// The bytes this block was read from (empty when built).
    #[serde(skip)]
    source: Vec<u8>,
}

impl PartialEq for FaceImageBlock {
    fn eq(&self, other: &Self) -> bool {
        (&self.version, &self.representations, &self.extra)
            == (&other.version, &other.representations, &other.extra)
    }
}

impl Eq for FaceImageBlock {}

/// `RepresentationBlock`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Representation {
    /// `representationId [0]`.
    pub id: i64,
    /// `imageRepresentation [1]`.
    pub image: ImageRepresentation,
    /// `captureDateTimeBlock [2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_time: Option<DateTime>,
    /// `qualityBlocks [3]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<Vec<QualityBlock>>,
    /// `padDataBlock [4]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pad: Option<PadData>,
    /// `sessionId [5]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<i64>,
    /// `derivedFrom [6]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<i64>,
    /// `captureDeviceBlock [7]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_device: Option<CaptureDevice>,
    /// `identityMetadataBlock [8]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityMetadata>,
    /// `landmarkBlocks [9]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub landmarks: Option<Vec<Landmark>>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl Representation {
    /// A representation of one image and nothing else.
    pub fn new(id: i64, image: ImageRepresentation) -> Representation {
        Representation {
            id,
            image,
            capture_time: None,
            quality: None,
            pad: None,
            session_id: None,
            derived_from: None,
            capture_device: None,
            identity: None,
            landmarks: None,
            extra: Vec::new(),
        }
    }

    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(Representation {
            id: f.req_int(0)?,
            image: f.req(1, ImageRepresentation::parse)?,
            capture_time: f.with(2, DateTime::parse)?,
            quality: f.with(3, crate::biometrics::iso39794_1::parse_quality_blocks)?,
            pad: f.with(4, PadData::parse)?,
            session_id: f.int(5)?,
            derived_from: f.int(6)?,
            capture_device: f.with(7, CaptureDevice::parse)?,
            identity: f.with(8, IdentityMetadata::parse)?,
            landmarks: f.with(9, identity::parse_landmarks)?,
            extra: f.rest(),
        })
    }

    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.int(0, self.id);
        w.cons(1, &self.image.encode());
        if let Some(t) = &self.capture_time {
            w.cons(2, &t.value());
        }
        if let Some(q) = &self.quality {
            w.cons(3, &crate::biometrics::iso39794_1::quality_blocks_value(q));
        }
        if let Some(p) = &self.pad {
            w.cons(4, &p.value());
        }
        w.opt_int(5, self.session_id);
        w.opt_int(6, self.derived_from);
        if let Some(d) = &self.capture_device {
            w.cons(7, &d.value());
        }
        if let Some(i) = &self.identity {
            w.cons(8, &i.value());
        }
        if let Some(l) = &self.landmarks {
            w.cons(9, &identity::landmarks_value(l));
        }
        w.extra(&self.extra);
        w.into_value()
    }

    /// The 2D image block, when the representation holds one.
    pub fn image_2d(&self) -> Option<&image::Image2D> {
        match &self.image {
            ImageRepresentation::TwoD(i) => Some(i),
            ImageRepresentation::Other(_) => None,
        }
    }
}

impl FaceImageBlock {
    /// A block of the first edition (generation 3, year 2019) around `representations`.
    pub fn new(representations: Vec<Representation>) -> FaceImageBlock {
        FaceImageBlock {
            version: VersionBlock {
                generation: 3,
                year: 2019,
                extra: Vec::new(),
            },
            representations,
            extra: Vec::new(),
            source: Vec::new(),
        }
    }

    /// Parses one block (tag `65`) that fills `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<FaceImageBlock> {
        let what = "face image data block";
        let top = Tlv::parse_exact(bytes).map_err(|e| Error::Lds(format!("{what}: {e}")))?;
        if top.tag != TAG {
            return Err(Error::Lds(format!(
                "{what}: expected tag 65 ([APPLICATION 5]), found {:X}",
                top.tag
            )));
        }
        let mut f = Fields::new(top.value, what)?;
        let version = f.req(0, VersionBlock::parse)?;
        let representations = f.req(1, |v, w| seq_of(v, w, Representation::parse))?;
        Ok(FaceImageBlock {
            version,
            representations,
            extra: f.rest(),
            source: bytes.to_vec(),
        })
    }

    /// The block in DER; the bytes it was read from while its value is unchanged.
    pub fn encode(&self) -> Vec<u8> {
        if !self.source.is_empty()
            && FaceImageBlock::parse(&self.source).is_ok_and(|read| read == *self)
        {
            return self.source.clone();
        }
        self.to_der()
    }

    /// The block in DER, whatever form it was read in.
    pub fn to_der(&self) -> Vec<u8> {
        crate::biometrics::iso39794_1::data_block(
            TAG,
            &self.version,
            self.representations.iter().map(Representation::value),
            &self.extra,
        )
    }

    /// Forgets the bytes read, so [`FaceImageBlock::encode`] writes DER.
    pub fn clear_source(&mut self) {
        self.source.clear();
    }

    /// Warnings for what the eMRTD profile does not allow but is readable.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.representations.len() != 1 {
            w.push(format!(
                "{} representation blocks (the eMRTD profile allows exactly one)",
                self.representations.len()
            ));
        }
        if !self.extra.is_empty() {
            w.push(format!("{} unknown elements kept", self.extra.len()));
        }
        if (self.version.generation, self.version.year) != (3, 2019) {
            w.push(format!(
                "version generation {} year {} (the profile is generation 3 of 2019)",
                self.version.generation, self.version.year
            ));
        }
        for (i, r) in self.representations.iter().enumerate() {
            match r.image_2d() {
                None => w.push(format!("representation {i}: no 2D image")),
                Some(img) if img.info.extension() == "bin" => w.push(format!(
                    "representation {i}: image data format {:?} is not JPEG or JPEG 2000",
                    img.info.format.code()
                )),
                Some(_) => {}
            }
        }
        w
    }
}
