//! The image part of a face representation (module `ID-ICAO-ISO-IEC-39794-5-ed-1-v1`, ICAO's
//! eMRTD profile of ISO/IEC 39794-5:2019): `ImageRepresentation` with its
//! `ImageRepresentation2DBlock`, `ImageInformation2DBlock` (format, kind, post-acquisition
//! processing, lossy transformations, camera geometry, size, face measurements, colour space,
//! reference colour mapping) and `CaptureDevice2DBlock`; plus [`Flags`], the shape of every
//! SEQUENCE of optional BOOLEANs in the module.

use crate::biometrics::iso39794_1::ber::{Enumerated, Fields, Writer, seq_of, seq_of_value};
use crate::error::{Error, Result};
use serde::ser::SerializeMap;

/// A SEQUENCE of optional `[n] BOOLEAN` fields with names (`PropertiesBlock`,
/// `ExpressionBlock`, `PostAcquisitionProcessingBlock`, `CaptureDeviceSpectral2DBlock`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flags {
    /// The field names, by tag number.
    pub names: &'static [&'static str],
    /// The values by tag number (`None`: absent).
    pub values: Vec<Option<bool>>,
    /// Extension elements, as read.
    pub extra: Vec<Vec<u8>>,
}

impl Flags {
    /// No flag given.
    pub fn new(names: &'static [&'static str]) -> Flags {
        Flags {
            names,
            values: vec![None; names.len()],
            extra: Vec::new(),
        }
    }

    /// The value of the named flag.
    pub fn get(&self, name: &str) -> Option<bool> {
        let i = self.names.iter().position(|n| *n == name)?;
        self.values.get(i).copied().flatten()
    }

    /// Sets the named flag (unknown names are ignored).
    pub fn set(&mut self, name: &str, v: Option<bool>) {
        if let Some(i) = self.names.iter().position(|n| *n == name)
            && let Some(slot) = self.values.get_mut(i)
        {
            *slot = v;
        }
    }

    pub(crate) fn parse(names: &'static [&'static str], v: &[u8], what: &str) -> Result<Flags> {
        let mut f = Fields::new(v, what)?;
        let mut values = Vec::with_capacity(names.len());
        for n in 0..names.len() {
            values.push(f.bool(n as u8)?);
        }
        Ok(Flags {
            names,
            values,
            extra: f.rest(),
        })
    }

    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        for (n, v) in self.values.iter().enumerate() {
            w.opt_bool(n as u8, *v);
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

impl serde::Serialize for Flags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (name, v) in self.names.iter().zip(&self.values) {
            if let Some(v) = v {
                m.serialize_entry(name, v)?;
            }
        }
        m.end()
    }
}

/// Field names of `PostAcquisitionProcessingBlock`.
pub const POST_PROCESSING: &[&str] = &[
    "rotated",
    "cropped",
    "down_sampled",
    "white_balance_adjusted",
    "multiply_compressed",
    "interpolated",
    "contrast_stretched",
    "pose_corrected",
    "multi_view_image",
    "age_progressed",
    "super_resolution_processed",
    "normalised",
];

/// Field names of `CaptureDeviceSpectral2DBlock`.
pub const SPECTRAL: &[&str] = &["white_light", "near_infrared", "thermal"];

/// `ImageRepresentation`: the 2D image, or an extension block kept as read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum ImageRepresentation {
    /// `base [0] { imageRepresentation2DBlock [0] }`.
    TwoD(Box<Image2D>),
    /// `extensionBlock [1]`, or a base alternative this profile does not know: the whole
    /// object inside the CHOICE wrapper, as read.
    #[serde(serialize_with = "crate::biometrics::ser_len")]
    Other(Vec<u8>),
}

impl ImageRepresentation {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let inner =
            crate::tlv::Tlv::parse_exact(v).map_err(|e| Error::Lds(format!("{what}: {e}")))?;
        if inner.tag == 0xA0 {
            let block = crate::tlv::Tlv::parse_exact(inner.value)
                .map_err(|e| Error::Lds(format!("{what} base: {e}")))?;
            if block.tag == 0xA0 {
                return Ok(ImageRepresentation::TwoD(Box::new(Image2D::parse(
                    block.value,
                    &format!("{what} 2D block"),
                )?)));
            }
        }
        Ok(ImageRepresentation::Other(inner.raw.to_vec()))
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        match self {
            ImageRepresentation::TwoD(i) => {
                crate::tlv::encode(0xA0, &crate::tlv::encode(0xA0, &i.value()))
            }
            ImageRepresentation::Other(raw) => raw.clone(),
        }
    }
}

/// `ImageRepresentation2DBlock`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Image2D {
    /// `representationData2D [0]`: the image file (JPEG, JPEG 2000).
    #[serde(serialize_with = "crate::biometrics::ser_len")]
    pub data: Vec<u8>,
    /// `imageInformation2DBlock [1]`.
    pub info: ImageInfo2D,
    /// `captureDevice2DBlock [2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_device: Option<CaptureDevice2D>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl Image2D {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        let data = f
            .octets(0)
            .ok_or_else(|| Error::Lds(format!("{what} [0]: no image data")))?;
        Ok(Image2D {
            data,
            info: f.req(1, ImageInfo2D::parse)?,
            capture_device: f.with(2, CaptureDevice2D::parse)?,
            extra: f.rest(),
        })
    }
    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.octets(0, &self.data);
        w.cons(1, &self.info.value());
        if let Some(d) = &self.capture_device {
            w.cons(2, &d.value());
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `ImageDataFormatCode`: JPEG.
pub const FORMAT_JPEG: i64 = 2;
/// `ImageDataFormatCode`: JPEG 2000 lossy.
pub const FORMAT_JPEG2000_LOSSY: i64 = 3;
/// `ImageDataFormatCode`: JPEG 2000 lossless.
pub const FORMAT_JPEG2000_LOSSLESS: i64 = 4;

/// `ImageInformation2DBlock`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ImageInfo2D {
    /// `imageDataFormat [0]` (jpeg 2, jpeg2000Lossy 3, jpeg2000Lossless 4).
    pub format: Enumerated,
    /// `faceImageKind2D [1]` (mrtd 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Enumerated>,
    /// `postAcquisitionProcessingBlock [2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_processing: Option<Flags>,
    /// `lossyTransformationAttempts [3]` (unknown 0, zero 1, one 2, moreThanOne 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lossy_transformation_attempts: Option<Enumerated>,
    /// `cameraToSubjectDistance [4]`, in mm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_to_subject_distance: Option<i64>,
    /// `sensorDiagonal [5]`, in mm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensor_diagonal: Option<i64>,
    /// `lensFocalLength [6]`, in mm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lens_focal_length: Option<i64>,
    /// `imageSizeBlock [7]`: width and height in pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<ImageSize>,
    /// `imageFaceMeasurementsBlock [8]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub face_measurements: Option<FaceMeasurements>,
    /// `imageColourSpace [9]` (rgb24Bit 2, greyscale8Bit 5, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colour_space: Option<Enumerated>,
    /// `referenceColourMappingBlock [10]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_colour_mapping: Option<ReferenceColourMapping>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl ImageInfo2D {
    /// Only the mandatory image data format.
    pub fn new(format: Enumerated) -> ImageInfo2D {
        ImageInfo2D {
            format,
            kind: None,
            post_processing: None,
            lossy_transformation_attempts: None,
            camera_to_subject_distance: None,
            sensor_diagonal: None,
            lens_focal_length: None,
            size: None,
            face_measurements: None,
            colour_space: None,
            reference_colour_mapping: None,
            extra: Vec::new(),
        }
    }

    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(ImageInfo2D {
            format: f.req(0, Enumerated::parse)?,
            kind: f.enumerated(1)?,
            post_processing: f.with(2, |v, w| Flags::parse(POST_PROCESSING, v, w))?,
            lossy_transformation_attempts: f.enumerated(3)?,
            camera_to_subject_distance: f.int(4)?,
            sensor_diagonal: f.int(5)?,
            lens_focal_length: f.int(6)?,
            size: f.with(7, ImageSize::parse)?,
            face_measurements: f.with(8, FaceMeasurements::parse)?,
            colour_space: f.enumerated(9)?,
            reference_colour_mapping: f.with(10, ReferenceColourMapping::parse)?,
            extra: f.rest(),
        })
    }

    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.cons(0, &self.format.encode());
        w.opt_enum(1, &self.kind);
        if let Some(p) = &self.post_processing {
            w.cons(2, &p.value());
        }
        w.opt_enum(3, &self.lossy_transformation_attempts);
        w.opt_int(4, self.camera_to_subject_distance);
        w.opt_int(5, self.sensor_diagonal);
        w.opt_int(6, self.lens_focal_length);
        if let Some(s) = &self.size {
            w.cons(7, &s.value());
        }
        if let Some(m) = &self.face_measurements {
            w.cons(8, &m.value());
        }
        w.opt_enum(9, &self.colour_space);
        if let Some(r) = &self.reference_colour_mapping {
            w.cons(10, &r.value());
        }
        w.extra(&self.extra);
        w.into_value()
    }

    /// The file extension the image data format calls for: "jpg", "jp2" or "bin".
    pub fn extension(&self) -> &'static str {
        match self.format.code() {
            Some(FORMAT_JPEG) => "jpg",
            Some(FORMAT_JPEG2000_LOSSY | FORMAT_JPEG2000_LOSSLESS) => "jp2",
            _ => "bin",
        }
    }
}

/// `ImageSizeBlock`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ImageSize {
    /// `width [0]`.
    pub width: i64,
    /// `height [1]`.
    pub height: i64,
    /// Elements beyond the module's, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl ImageSize {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(ImageSize {
            width: f.req_int(0)?,
            height: f.req_int(1)?,
            extra: f.rest(),
        })
    }
    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.int(0, self.width);
        w.int(1, self.height);
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `ImageFaceMeasurementsBlock`, in pixels.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FaceMeasurements {
    /// `imageHeadWidth [0]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_width: Option<i64>,
    /// `imageInterEyeDistance [1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inter_eye_distance: Option<i64>,
    /// `imageEyeToMouthDistance [2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eye_to_mouth_distance: Option<i64>,
    /// `imageHeadLength [3]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_length: Option<i64>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl FaceMeasurements {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(FaceMeasurements {
            head_width: f.int(0)?,
            inter_eye_distance: f.int(1)?,
            eye_to_mouth_distance: f.int(2)?,
            head_length: f.int(3)?,
            extra: f.rest(),
        })
    }
    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.opt_int(0, self.head_width);
        w.opt_int(1, self.inter_eye_distance);
        w.opt_int(2, self.eye_to_mouth_distance);
        w.opt_int(3, self.head_length);
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `ReferenceColourMappingBlock`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReferenceColourMapping {
    /// `referenceColourSchema [0]`.
    #[serde(serialize_with = "crate::biometrics::ser_opt_hex")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Vec<u8>>,
    /// `referenceColourDefinitionAndValueBlocks [1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colours: Option<Vec<ReferenceColour>>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

/// `ReferenceColourDefinitionAndValueBlock`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReferenceColour {
    /// `referenceColourDefinition [0]`.
    #[serde(serialize_with = "crate::biometrics::ser_opt_hex")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<Vec<u8>>,
    /// `referenceColourValue [1]`.
    #[serde(serialize_with = "crate::biometrics::ser_opt_hex")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Vec<u8>>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl ReferenceColourMapping {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(ReferenceColourMapping {
            schema: f.octets(0),
            colours: f.with(1, |v, w| {
                seq_of(v, w, |v, w| {
                    let mut f = Fields::new(v, w)?;
                    Ok(ReferenceColour {
                        definition: f.octets(0),
                        value: f.octets(1),
                        extra: f.rest(),
                    })
                })
            })?,
            extra: f.rest(),
        })
    }
    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.opt_octets(0, &self.schema);
        if let Some(c) = &self.colours {
            w.cons(
                1,
                &seq_of_value(c.iter().map(|c| {
                    let mut w = Writer::default();
                    w.opt_octets(0, &c.definition);
                    w.opt_octets(1, &c.value);
                    w.extra(&c.extra);
                    w.into_value()
                })),
            );
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `CaptureDevice2DBlock`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CaptureDevice2D {
    /// `captureDeviceSpectral2DBlock [0]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spectral: Option<Flags>,
    /// `captureDeviceTechnologyId2D [1]` (staticPhotographFromDigitalStillImageCamera 2, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technology: Option<Enumerated>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl CaptureDevice2D {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(CaptureDevice2D {
            spectral: f.with(0, |v, w| Flags::parse(SPECTRAL, v, w))?,
            technology: f.enumerated(1)?,
            extra: f.rest(),
        })
    }
    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        if let Some(s) = &self.spectral {
            w.cons(0, &s.value());
        }
        w.opt_enum(1, &self.technology);
        w.extra(&self.extra);
        w.into_value()
    }
}
