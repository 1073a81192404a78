//! The subject and device parts of a face representation (module
//! `ID-ICAO-ISO-IEC-39794-5-ed-1-v1`, ICAO's eMRTD profile of ISO/IEC 39794-5:2019):
//! `CaptureDeviceBlock`, `IdentityMetadataBlock` (gender, eye and hair colour, height,
//! properties, expression, pose angles) and `LandmarkBlocks`.

use super::image::Flags;
use crate::biometrics::iso39794_1::ber::{Enumerated, Fields, Writer, seq_of, seq_of_value};
use crate::biometrics::iso39794_1::{RegistryId, parse_registry_ids, registry_ids_value};
use crate::error::{Error, Result};
use crate::tlv::{Tlv, encode};

/// Field names of `PropertiesBlock`.
pub const PROPERTIES: &[&str] = &[
    "glasses",
    "moustache",
    "beard",
    "teeth_visible",
    "pupil_or_iris_not_visible",
    "mouth_open",
    "left_eye_patch",
    "right_eye_patch",
    "dark_glasses",
    "biometric_absent",
    "head_coverings_present",
];

/// Field names of `ExpressionBlock`.
pub const EXPRESSION: &[&str] = &[
    "neutral",
    "smile",
    "raised_eyebrows",
    "eyes_looking_away_from_the_camera",
    "squinting",
    "frowning",
];

/// `CaptureDeviceBlock`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CaptureDevice {
    /// `modelIdBlock [0]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<RegistryId>,
    /// `certificationIdBlocks [1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certifications: Option<Vec<RegistryId>>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl CaptureDevice {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(CaptureDevice {
            model: f.with(0, RegistryId::parse)?,
            certifications: f.with(1, parse_registry_ids)?,
            extra: f.rest(),
        })
    }
    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        if let Some(m) = &self.model {
            w.cons(0, &m.value());
        }
        if let Some(c) = &self.certifications {
            w.cons(1, &registry_ids_value(c));
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `IdentityMetadataBlock`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct IdentityMetadata {
    /// `gender [0]` (other 1, male 2, female 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Enumerated>,
    /// `eyeColour [1]` (unknown 0, other 1, black 2, blue 3, brown 4, grey 5, green 6, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eye_colour: Option<Enumerated>,
    /// `hairColour [2]` (unknown 0, other 1, bald 2, black 3, blonde 4, brown 5, grey 6, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hair_colour: Option<Enumerated>,
    /// `subjectHeight [3]`, in cm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_height: Option<i64>,
    /// `propertiesBlock [4]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<Flags>,
    /// `expressionBlock [5]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<Flags>,
    /// `poseAngleBlock [6]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pose: Option<PoseAngles>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl IdentityMetadata {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(IdentityMetadata {
            gender: f.enumerated(0)?,
            eye_colour: f.enumerated(1)?,
            hair_colour: f.enumerated(2)?,
            subject_height: f.int(3)?,
            properties: f.with(4, |v, w| Flags::parse(PROPERTIES, v, w))?,
            expression: f.with(5, |v, w| Flags::parse(EXPRESSION, v, w))?,
            pose: f.with(6, PoseAngles::parse)?,
            extra: f.rest(),
        })
    }
    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.opt_enum(0, &self.gender);
        w.opt_enum(1, &self.eye_colour);
        w.opt_enum(2, &self.hair_colour);
        w.opt_int(3, self.subject_height);
        if let Some(p) = &self.properties {
            w.cons(4, &p.value());
        }
        if let Some(e) = &self.expression {
            w.cons(5, &e.value());
        }
        if let Some(p) = &self.pose {
            w.cons(6, &p.value());
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `PoseAngleBlock`: yaw, pitch and roll in degrees.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PoseAngles {
    /// `yawAngleBlock [0]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yaw: Option<Angle>,
    /// `pitchAngleBlock [1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitch: Option<Angle>,
    /// `rollAngleBlock [2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roll: Option<Angle>,
    /// Elements beyond the module's, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

/// `AngleDataBlock`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Angle {
    /// `angleValue [0]`, -180 to 180.
    pub value: i64,
    /// `angleUncertainty [1]`, 0 to 180.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<i64>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl Angle {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(Angle {
            value: f.req_int(0)?,
            uncertainty: f.int(1)?,
            extra: f.rest(),
        })
    }
    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.int(0, self.value);
        w.opt_int(1, self.uncertainty);
        w.extra(&self.extra);
        w.into_value()
    }
}

impl PoseAngles {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(PoseAngles {
            yaw: f.with(0, Angle::parse)?,
            pitch: f.with(1, Angle::parse)?,
            roll: f.with(2, Angle::parse)?,
            extra: f.rest(),
        })
    }
    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        for (n, a) in [&self.yaw, &self.pitch, &self.roll].into_iter().enumerate() {
            if let Some(a) = a {
                w.cons(n as u8, &a.value());
            }
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `LandmarkKind`, down the nested CHOICEs to its enumeration.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum LandmarkKind {
    /// `base [0] { mpeg4FeaturePoint [0] }`.
    Mpeg4(Enumerated),
    /// `base [0] { anthropometricLandmark [1] { base [0] { anthropometricLandmarkName [0] } } }`.
    AnthropometricName(Enumerated),
    /// `... anthropometricLandmarkPointName [1]`.
    AnthropometricPointName(Enumerated),
    /// `... anthropometricLandmarkPointId [2]`.
    AnthropometricPointId(Enumerated),
    /// An extension block or unknown alternative: the object inside the wrapper, as read.
    #[serde(serialize_with = "crate::biometrics::ser_hex")]
    Other(Vec<u8>),
}

fn one(v: &[u8]) -> Option<Tlv<'_>> {
    Tlv::parse_exact(v).ok()
}

impl LandmarkKind {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let inner = Tlv::parse_exact(v).map_err(|e| Error::Lds(format!("{what}: {e}")))?;
        let known = (|| {
            let base = one(inner.value).filter(|_| inner.tag == 0xA0)?;
            match base.tag {
                0xA0 => Some(Enumerated::parse(base.value, what).map(LandmarkKind::Mpeg4)),
                0xA1 => {
                    let a = one(base.value).filter(|a| a.tag == 0xA0)?;
                    let n = one(a.value)?;
                    let make = match n.tag {
                        0xA0 => LandmarkKind::AnthropometricName,
                        0xA1 => LandmarkKind::AnthropometricPointName,
                        0xA2 => LandmarkKind::AnthropometricPointId,
                        _ => return None,
                    };
                    Some(Enumerated::parse(n.value, what).map(make))
                }
                _ => None,
            }
        })();
        known.unwrap_or_else(|| Ok(LandmarkKind::Other(inner.raw.to_vec())))
    }
    fn encode(&self) -> Vec<u8> {
        let anthro = |tag: u32, e: &Enumerated| {
            encode(
                0xA0,
                &encode(0xA1, &encode(0xA0, &encode(tag, &e.encode()))),
            )
        };
        match self {
            LandmarkKind::Mpeg4(e) => encode(0xA0, &encode(0xA0, &e.encode())),
            LandmarkKind::AnthropometricName(e) => anthro(0xA0, e),
            LandmarkKind::AnthropometricPointName(e) => anthro(0xA1, e),
            LandmarkKind::AnthropometricPointId(e) => anthro(0xA2, e),
            LandmarkKind::Other(raw) => raw.clone(),
        }
    }
}

/// `LandmarkCoordinates`, in pixels.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Coordinates {
    /// `coordinateCartesian2DBlock [0]`: x, y.
    Cartesian2D(i64, i64),
    /// `coordinateTextureImageBlock [1]`: u, v.
    Texture(i64, i64),
    /// `coordinateCartesian3DBlock [2]`: x, y, z.
    Cartesian3D(i64, i64, i64),
    /// An extension block, unknown alternative or block with extra elements, as read.
    #[serde(serialize_with = "crate::biometrics::ser_hex")]
    Other(Vec<u8>),
}

impl Coordinates {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let inner = Tlv::parse_exact(v).map_err(|e| Error::Lds(format!("{what}: {e}")))?;
        let alt = one(inner.value).filter(|_| inner.tag == 0xA0);
        if let Some(alt) = alt {
            let mut f = Fields::new(alt.value, what)?;
            let (a, b) = (f.req_int(0)?, f.req_int(1)?);
            let c = if alt.tag == 0xA2 {
                Some(f.req_int(2)?)
            } else {
                None
            };
            if f.rest().is_empty() {
                match (alt.tag, c) {
                    (0xA0, None) => return Ok(Coordinates::Cartesian2D(a, b)),
                    (0xA1, None) => return Ok(Coordinates::Texture(a, b)),
                    (0xA2, Some(c)) => return Ok(Coordinates::Cartesian3D(a, b, c)),
                    _ => {}
                }
            }
        }
        Ok(Coordinates::Other(inner.raw.to_vec()))
    }
    fn encode(&self) -> Vec<u8> {
        let block = |tag: u32, vals: &[i64]| {
            let mut w = Writer::default();
            for (n, v) in vals.iter().enumerate() {
                w.int(n as u8, *v);
            }
            encode(0xA0, &w.finish(tag))
        };
        match self {
            Coordinates::Cartesian2D(x, y) => block(0xA0, &[*x, *y]),
            Coordinates::Texture(u, v) => block(0xA1, &[*u, *v]),
            Coordinates::Cartesian3D(x, y, z) => block(0xA2, &[*x, *y, *z]),
            Coordinates::Other(raw) => raw.clone(),
        }
    }
}

/// `LandmarkBlock`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Landmark {
    /// `landmarkKind [0]`.
    pub kind: LandmarkKind,
    /// `landmarkCoordinates [1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// Extension elements, as read.
    #[serde(
        serialize_with = "crate::biometrics::iso39794_1::ser_hex_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra: Vec<Vec<u8>>,
}

impl Landmark {
    fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(Landmark {
            kind: f.req(0, LandmarkKind::parse)?,
            coordinates: f.with(1, Coordinates::parse)?,
            extra: f.rest(),
        })
    }
    fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.cons(0, &self.kind.encode());
        if let Some(c) = &self.coordinates {
            w.cons(1, &c.encode());
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

pub(crate) fn parse_landmarks(v: &[u8], what: &str) -> Result<Vec<Landmark>> {
    seq_of(v, what, Landmark::parse)
}

pub(crate) fn landmarks_value(l: &[Landmark]) -> Vec<u8> {
    seq_of_value(l.iter().map(Landmark::value))
}
