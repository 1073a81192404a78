//! The common blocks of ISO/IEC 39794-1 (module `ID-ICAO-ISO-IEC-39794-1-ed-1-v1`, ICAO's
//! profile of ISO/IEC 39794-1:2019) that the finger image (39794-4) and face image (39794-5)
//! data blocks use: `VersionBlock`, `RegistryIdBlock` (and `CertificationIdBlocks`),
//! `DateTimeBlock` (`CaptureDateTimeBlock`), `QualityBlocks` with `ScoreOrError`,
//! `ExtendedDataBlock` and `PADDataBlock`, on the ASN.1 pieces of `ber` (the
//! `CHOICE { code, extensionBlock }` enumeration pattern of clause 9.3 is [`Enumerated`]).
//!
//! Every block keeps the elements it has no field for (later versions, vendor extensions) in
//! `extra`, each as its whole encoding, in the order read, and writes them back after the
//! named fields.

pub(crate) mod ber;

use crate::error::{Error, Result};
pub use ber::Enumerated;
use ber::{Fields, Writer, seq_of, seq_of_value};

/// `VersionBlock`: generation and year of the format.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VersionBlock {
    /// `generation [0]` (3 for the first edition).
    pub generation: i64,
    /// `year [1]`.
    pub year: i64,
    /// Extension elements, as read.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
}

impl VersionBlock {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(VersionBlock {
            generation: f.req_int(0)?,
            year: f.req_int(1)?,
            extra: f.rest(),
        })
    }
    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.int(0, self.generation);
        w.int(1, self.year);
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `RegistryIdBlock` (also `CertificationIdBlock`): organization and identifier.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RegistryId {
    /// `organization [0]`.
    pub organization: i64,
    /// `id [1]`.
    pub id: i64,
    /// Elements beyond the module's, as read.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
}

impl RegistryId {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(RegistryId {
            organization: f.req_int(0)?,
            id: f.req_int(1)?,
            extra: f.rest(),
        })
    }
    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.int(0, self.organization);
        w.int(1, self.id);
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `CertificationIdBlocks`: a SEQUENCE OF `RegistryIdBlock`.
pub(crate) fn parse_registry_ids(v: &[u8], what: &str) -> Result<Vec<RegistryId>> {
    seq_of(v, what, RegistryId::parse)
}

pub(crate) fn registry_ids_value(ids: &[RegistryId]) -> Vec<u8> {
    seq_of_value(ids.iter().map(RegistryId::value))
}

/// `DateTimeBlock` (`CaptureDateTimeBlock`), in UTC; only the year is mandatory.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DateTime {
    /// `year [0]`.
    pub year: i64,
    /// `month [1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<i64>,
    /// `day [2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<i64>,
    /// `hour [3]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hour: Option<i64>,
    /// `minute [4]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minute: Option<i64>,
    /// `second [5]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second: Option<i64>,
    /// `millisecond [6]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub millisecond: Option<i64>,
    /// Elements beyond the module's, as read.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
}

impl DateTime {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(DateTime {
            year: f.req_int(0)?,
            month: f.int(1)?,
            day: f.int(2)?,
            hour: f.int(3)?,
            minute: f.int(4)?,
            second: f.int(5)?,
            millisecond: f.int(6)?,
            extra: f.rest(),
        })
    }
    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.int(0, self.year);
        w.opt_int(1, self.month);
        w.opt_int(2, self.day);
        w.opt_int(3, self.hour);
        w.opt_int(4, self.minute);
        w.opt_int(5, self.second);
        w.opt_int(6, self.millisecond);
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `ScoreOrError`: a score 0 to 100, or the scoring error enumeration.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum ScoreOrError {
    /// `score [0]`.
    Score(i64),
    /// `error [1]` (`failureToAssess (0)`).
    Error(Enumerated),
}

impl ScoreOrError {
    /// Reads the explicit CHOICE wrapper's value.
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let inner =
            crate::tlv::Tlv::parse_exact(v).map_err(|e| Error::Lds(format!("{what}: {e}")))?;
        match inner.tag {
            0x80 => Ok(ScoreOrError::Score(ber::int(inner.value, what)?)),
            0xA1 => Ok(ScoreOrError::Error(Enumerated::parse(inner.value, what)?)),
            t => Err(Error::Lds(format!(
                "{what}: expected score 80 or error A1, found tag {t:X}"
            ))),
        }
    }
    pub(crate) fn encode(&self) -> Vec<u8> {
        match self {
            ScoreOrError::Score(s) => crate::tlv::encode(0x80, &ber::int_bytes(*s)),
            ScoreOrError::Error(e) => crate::tlv::encode(0xA1, &e.encode()),
        }
    }
}

/// `QualityBlock` (also the shape of `PADScoreBlock`): the algorithm (or PAD mechanism) and
/// its score.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct QualityBlock {
    /// `algorithmIdBlock [0]` (`mechanismIdBlock` for PAD).
    pub algorithm: RegistryId,
    /// `scoreOrError [1]`.
    pub score: ScoreOrError,
    /// Extension elements, as read.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
}

impl QualityBlock {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(QualityBlock {
            algorithm: f.req(0, RegistryId::parse)?,
            score: f.req(1, ScoreOrError::parse)?,
            extra: f.rest(),
        })
    }
    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.cons(0, &self.algorithm.value());
        w.cons(1, &self.score.encode());
        w.extra(&self.extra);
        w.into_value()
    }
}

pub(crate) fn parse_quality_blocks(v: &[u8], what: &str) -> Result<Vec<QualityBlock>> {
    seq_of(v, what, QualityBlock::parse)
}

pub(crate) fn quality_blocks_value(q: &[QualityBlock]) -> Vec<u8> {
    seq_of_value(q.iter().map(QualityBlock::value))
}

/// `ExtendedDataBlock`: data of a registered type.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExtendedData {
    /// `dataTypeIdBlock [0]`.
    pub data_type: RegistryId,
    /// `data [1]`.
    #[serde(serialize_with = "crate::biometrics::ser_hex")]
    pub data: Vec<u8>,
    /// Elements beyond the module's, as read.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
}

impl ExtendedData {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        let data_type = f.req(0, RegistryId::parse)?;
        let data = f
            .octets(1)
            .ok_or_else(|| Error::Lds(format!("{what} [1]: mandatory element missing")))?;
        Ok(ExtendedData {
            data_type,
            data,
            extra: f.rest(),
        })
    }
    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.cons(0, &self.data_type.value());
        w.octets(1, &self.data);
        w.extra(&self.extra);
        w.into_value()
    }
}

/// `PADDataBlock`: presentation attack detection results.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PadData {
    /// `decision [0]` (noAttack 0, attack 1, failureToAssess 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Enumerated>,
    /// `scoreBlocks [1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<Vec<QualityBlock>>,
    /// `extendedDataBlocks [2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_data: Option<Vec<ExtendedData>>,
    /// `captureContext [3]` (enrolment 0, verification 1, identification 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_context: Option<Enumerated>,
    /// `supervisionLevel [4]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supervision_level: Option<Enumerated>,
    /// `riskLevel [5]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_level: Option<i64>,
    /// `criteriaCategory [6]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria_category: Option<Enumerated>,
    /// `parameter [7]`.
    #[serde(serialize_with = "crate::biometrics::ser_opt_hex")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<Vec<u8>>,
    /// `challenges [8]`: a SEQUENCE OF OCTET STRING, each item's whole encoding as read.
    #[serde(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenges: Option<Vec<Vec<u8>>>,
    /// `captureDateTimeBlock [9]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_time: Option<DateTime>,
    /// Extension elements, as read.
    #[serde(serialize_with = "ser_hex_list", skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Vec<u8>>,
}

impl PadData {
    pub(crate) fn parse(v: &[u8], what: &str) -> Result<Self> {
        let mut f = Fields::new(v, what)?;
        Ok(PadData {
            decision: f.enumerated(0)?,
            scores: f.with(1, parse_quality_blocks)?,
            extended_data: f.with(2, |v, w| seq_of(v, w, ExtendedData::parse))?,
            capture_context: f.enumerated(3)?,
            supervision_level: f.enumerated(4)?,
            risk_level: f.int(5)?,
            criteria_category: f.enumerated(6)?,
            parameter: f.octets(7),
            challenges: f.with(8, |v, w| Ok(Fields::new(v, w)?.rest()))?,
            capture_time: f.with(9, DateTime::parse)?,
            extra: f.rest(),
        })
    }
    pub(crate) fn value(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.opt_enum(0, &self.decision);
        if let Some(s) = &self.scores {
            w.cons(1, &quality_blocks_value(s));
        }
        if let Some(d) = &self.extended_data {
            w.cons(2, &seq_of_value(d.iter().map(ExtendedData::value)));
        }
        w.opt_enum(3, &self.capture_context);
        w.opt_enum(4, &self.supervision_level);
        w.opt_int(5, self.risk_level);
        w.opt_enum(6, &self.criteria_category);
        w.opt_octets(7, &self.parameter);
        if let Some(c) = &self.challenges {
            w.cons(8, &c.concat());
        }
        if let Some(t) = &self.capture_time {
            w.cons(9, &t.value());
        }
        w.extra(&self.extra);
        w.into_value()
    }
}

/// A data block of 39794-4 or -5 in DER: `[APPLICATION n] SEQUENCE { versionBlock [0],
/// representationBlocks [1] SEQUENCE OF RepresentationBlock, ... }` from the representations'
/// contents and the kept elements.
pub(crate) fn data_block(
    tag: u32,
    version: &VersionBlock,
    representations: impl IntoIterator<Item = Vec<u8>>,
    extra: &[Vec<u8>],
) -> Vec<u8> {
    let mut w = Writer::default();
    w.cons(0, &version.value());
    w.cons(1, &seq_of_value(representations));
    w.extra(extra);
    w.finish(tag)
}

/// Serialises kept elements as hexadecimal strings.
pub(crate) fn ser_hex_list<S: serde::Serializer>(
    items: &[Vec<u8>],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(hex::encode_upper))
}
