//! Match-on-card data objects of ISO/IEC 7816-11 (clause 6, biometric information templates;
//! clause 5.1, VERIFY with a biometric probe), for fingers in the ISO/IEC 19794-2:2005 compact
//! card format (clause 8.2).
//!
//! * The BIT group a match-on-card chip announces (read by GET DATA): `7F61 {02 n, 7F60 {A1
//!   {81 type, 82 subtype, 87 owner, 88 format type, B1 {BAPT}}, [83 qualifier]}, ...}`. It is a
//!   bare [`BiometricGroup`] without data blocks; the BAPT sits inside the biometric header
//!   template as NIST's MINEX II tooling reads it (BiomDI `matchoncard` `isobit.h` and
//!   `get_bit_from_tlv`: BAPT `B1` found inside the BHT `A1`). The reference data qualifier
//!   (tag `83`, the value VERIFY takes in P2) is coded directly in the `7F60` template beside
//!   the BHT, where ISO/IEC 7816-11 Table 1 (biometric information data objects) puts it; the
//!   table's body was not available to check here, and NIST's sample BIT carries no `83`
//!   (its VERIFY uses P2 = 00). dactyl writes `83` after the BHT.
//! * The probe of VERIFY: `7F2E {81 <3n bytes>}` (NIST MINEX II `moc.c`), with `90` accepted
//!   in place of `81` (the biometric data template sub-tag other implementations use).
//!
//! The CBEFF format type of the compact card format under owner SC 37 (`0101`) was not found
//! in a citable public source (the SC 37 BDB format identifier registry itself was not
//! available); [`FORMAT_TYPE_COMPACT_CARD`] = `0003` is a dactyl choice.

use super::biometric_group::{
    BIOMETRIC_TYPE_FINGER, BiometricData, BiometricGroup, BiometricHeader, BiometricRecord,
    ENCIPHERED_DATA_TAG, FORMAT_OWNER_SC37, RawElement,
};
use crate::biometrics::FingerPosition;
use crate::biometrics::compact::{AlgorithmParameters, BAPT_TAG};
use crate::error::{Error, Result};
use crate::tlv::{self, Children, Tlv};

/// SC 37 format type dactyl announces for the compact card format (a dactyl choice, see the
/// module documentation).
pub const FORMAT_TYPE_COMPACT_CARD: u16 = 0x0003;
/// Tag of the reference data qualifier in a `7F60` template.
pub const QUALIFIER_TAG: u32 = 0x83;
/// Tag of the minutiae inside a VERIFY data object (NIST MINEX II).
pub const PROBE_MINUTIAE_TAG: u32 = 0x81;
/// The alternative tag of the minutiae inside `7F2E` (finger minutiae data template sub-tag).
pub const PROBE_MINUTIAE_TAG_ALT: u32 = 0x90;

/// The ISO 19785-3 finger subtype of a finger position (1..=10): side in bits 0-1 (01 right,
/// 10 left), finger in bits 2-4 (001 thumb .. 101 little).
pub fn subtype_of(position: FingerPosition) -> Option<u8> {
    match position.0 {
        p @ 1..=5 => Some(0x01 | (p << 2)),
        p @ 6..=10 => Some(0x02 | ((p - 5) << 2)),
        _ => None,
    }
}

/// The finger position (1..=10) of a finger subtype, if it names one finger of one hand.
pub fn position_of(subtype: u8) -> Option<FingerPosition> {
    let finger = (subtype >> 2) & 0x07;
    if subtype & 0xE0 != 0 || !(1..=5).contains(&finger) {
        return None;
    }
    match subtype & 0x03 {
        0x01 => Some(FingerPosition(finger)),
        0x02 => Some(FingerPosition(finger + 5)),
        _ => None,
    }
}

/// One biometric reference as a BIT announces it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MocReference {
    /// `83`: the reference data qualifier VERIFY takes in P2.
    pub qualifier: Option<u8>,
    /// `81`: CBEFF biometric type (0x08 finger).
    pub biometric_type: Option<u32>,
    /// `82`: ISO 19785-3 subtype (finger and side).
    pub subtype: Option<u8>,
    /// `87`: format owner.
    pub format_owner: Option<u16>,
    /// `88`: format type.
    pub format_type: Option<u16>,
    /// `B1`: what the chip takes as a probe.
    pub params: AlgorithmParameters,
}

impl MocReference {
    /// A finger reference in the compact card format under SC 37.
    pub fn compact_finger(qualifier: u8, subtype: u8, params: AlgorithmParameters) -> Self {
        MocReference {
            qualifier: Some(qualifier),
            biometric_type: Some(BIOMETRIC_TYPE_FINGER),
            subtype: Some(subtype),
            format_owner: Some(FORMAT_OWNER_SC37),
            format_type: Some(FORMAT_TYPE_COMPACT_CARD),
            params,
        }
    }

    /// The finger the subtype names.
    pub fn finger_position(&self) -> Option<FingerPosition> {
        self.subtype.and_then(position_of)
    }

    fn from_record(r: &BiometricRecord) -> Result<MocReference> {
        let h = &r.header;
        let params = match h.other.iter().find(|e| e.tag == BAPT_TAG) {
            Some(b) => AlgorithmParameters::parse(&b.value)?,
            None => AlgorithmParameters::default(),
        };
        let qualifier = match r.other.iter().find(|e| e.tag == QUALIFIER_TAG) {
            Some(RawElement { value, .. }) => match value.as_slice() {
                [q] => Some(*q),
                v => {
                    return Err(Error::Lds(format!(
                        "BIT reference data qualifier: 1 byte expected, {} came",
                        v.len()
                    )));
                }
            },
            None => None,
        };
        Ok(MocReference {
            qualifier,
            biometric_type: h.biometric_type,
            subtype: h.subtype,
            format_owner: h.format_owner,
            format_type: h.format_type,
            params,
        })
    }

    fn to_record(&self) -> BiometricRecord {
        let mut header = BiometricHeader::default();
        header.biometric_type = self.biometric_type;
        header.subtype = self.subtype;
        header.format_owner = self.format_owner;
        header.format_type = self.format_type;
        header.other.push(RawElement {
            tag: BAPT_TAG,
            value: self.params.encode(),
        });
        let mut record = BiometricRecord::new(header, Vec::new());
        record.data = BiometricData::Absent;
        if let Some(q) = self.qualifier {
            record.other.push(RawElement {
                tag: QUALIFIER_TAG,
                value: vec![q],
            });
        }
        record
    }
}

/// A match-on-card BIT group: the references a chip compares against.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MocBit {
    /// The references, in the group's order.
    pub references: Vec<MocReference>,
    /// What was odd but readable (from [`BiometricGroup::parse`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl MocBit {
    /// A group of `references`.
    pub fn new(references: Vec<MocReference>) -> MocBit {
        MocBit {
            references,
            warnings: Vec::new(),
        }
    }

    /// Parses a bare `7F61` BIT group. A template with a data block is not a match-on-card
    /// reference and is refused.
    pub fn parse(bytes: &[u8]) -> Result<MocBit> {
        let group = BiometricGroup::parse(bytes)?;
        if let Some(tag) = group.outer_tag {
            return Err(Error::Lds(format!(
                "BIT group: a bare 7F61 expected, tag {tag:X} came"
            )));
        }
        let mut references = Vec::with_capacity(group.records.len());
        for (i, r) in group.records.iter().enumerate() {
            if r.data != BiometricData::Absent {
                return Err(Error::Lds(format!(
                    "BIT group: template {i} carries biometric data, a reference never does"
                )));
            }
            references.push(MocReference::from_record(r)?);
        }
        Ok(MocBit {
            references,
            warnings: group.warnings,
        })
    }

    /// Encodes the group (minimal lengths; in each header 81, 82, 87, 88, then B1).
    pub fn encode(&self) -> Vec<u8> {
        let records = self
            .references
            .iter()
            .map(MocReference::to_record)
            .collect();
        BiometricGroup::new(None, records).encode()
    }

    /// The reference with qualifier `q`.
    pub fn by_qualifier(&self, q: u8) -> Option<&MocReference> {
        self.references.iter().find(|r| r.qualifier == Some(q))
    }
}

/// The VERIFY data object around compact minutiae: `7F2E {81 <minutiae>}`.
pub fn encode_probe(minutiae: &[u8]) -> Vec<u8> {
    tlv::encode(
        ENCIPHERED_DATA_TAG,
        &tlv::encode(PROBE_MINUTIAE_TAG, minutiae),
    )
}

/// The minutiae of a VERIFY data object: exactly one `7F2E` holding exactly one `81` (or `90`)
/// whose length is a multiple of 3.
pub fn parse_probe(data: &[u8]) -> Result<&[u8]> {
    let outer = Tlv::parse_exact(data)?;
    if outer.tag != ENCIPHERED_DATA_TAG {
        return Err(Error::Lds(format!(
            "VERIFY data: 7F2E expected, tag {:X} came",
            outer.tag
        )));
    }
    let mut inner = Children::of(outer.value);
    let minutiae = match (inner.next(), inner.next()) {
        (Some(m), None) => m?,
        (None, _) => return Err(Error::Lds("VERIFY data: 7F2E is empty".into())),
        (Some(_), Some(_)) => {
            return Err(Error::Lds(
                "VERIFY data: 7F2E holds more than one object".into(),
            ));
        }
    };
    if !matches!(minutiae.tag, PROBE_MINUTIAE_TAG | PROBE_MINUTIAE_TAG_ALT) {
        return Err(Error::Lds(format!(
            "VERIFY data: minutiae under 81 or 90 expected, tag {:X} came",
            minutiae.tag
        )));
    }
    if !minutiae.value.len().is_multiple_of(3) {
        return Err(Error::Lds(format!(
            "VERIFY data: {} bytes of compact minutiae is not a multiple of 3",
            minutiae.value.len()
        )));
    }
    Ok(minutiae.value)
}

/// The fewest minutiae a dactyl chip compares.
pub const DACTYL_MIN_MINUTIAE: u8 = 12;

/// The algorithm parameters a dactyl chip announces for every reference: 12 to 60 compact
/// minutiae (60 = [`MAX_MINUTIAE`](crate::biometrics::comparator::MAX_MINUTIAE)), in no
/// particular order, no extra features.
pub fn dactyl_parameters() -> AlgorithmParameters {
    AlgorithmParameters {
        min_minutiae: Some(DACTYL_MIN_MINUTIAE),
        max_minutiae: u8::try_from(crate::biometrics::comparator::MAX_MINUTIAE).ok(),
        order: Some(crate::biometrics::compact::MinutiaOrder::NONE),
        feature_handling: Some(0),
    }
}
