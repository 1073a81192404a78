//! dactyl's PUT DATA object for a match-on-card reference (ISO/IEC 7816-11): `00 DA DC <P2>`
//! with P2 the reference data qualifier (81 to 8F, the value VERIFY takes in P2) and the data
//! `82 01 <finger subtype> 84 L <threshold, 1 to 4 bytes big-endian> 81 L <compact card
//! minutiae, 3 bytes each>` (ISO/IEC 19794-2:2005 clause 8.2). Written only by the issuing
//! flow, covered by the personalization digest like every object, and never readable back.

use crate::iso7816::refusal::{ChipError, ChipResult};
use crate::tlv::{self, Tlv};
use zeroize::Zeroizing;

/// The qualifiers a reference may have (P2 of its PUT DATA and of VERIFY).
pub const QUALIFIERS: std::ops::RangeInclusive<u8> = 0x81..=0x8F;

const BAD: ChipError = ChipError::wrong_data("reference: 82 subtype, 84 threshold, 81 minutiae");

/// A biometric reference for the chip.
#[derive(Clone, PartialEq, Eq)]
pub struct ReferenceObject {
    /// The reference data qualifier (81 to 8F).
    pub qualifier: u8,
    /// The ISO 19785-3 finger subtype.
    pub subtype: u8,
    /// The decision threshold.
    pub threshold: u32,
    /// Compact card minutiae.
    pub minutiae: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for ReferenceObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ReferenceObject({:02X}, subtype {:02X}, {} minutiae)",
            self.qualifier,
            self.subtype,
            self.minutiae.len() / 3
        )
    }
}

impl ReferenceObject {
    /// The data field.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = tlv::encode(0x82, &[self.subtype]);
        out.extend(tlv::encode(
            0x84,
            &crate::uint::to_minimal_be(self.threshold.into()),
        ));
        out.extend(tlv::encode(0x81, &self.minutiae));
        out
    }

    /// Chip side: the object of qualifier `p2`.
    pub fn parse(p2: u8, data: &[u8]) -> ChipResult<ReferenceObject> {
        let (mut subtype, mut threshold, mut minutiae) = (None, None, None);
        let mut rest = data;
        while !rest.is_empty() {
            let (obj, next) = Tlv::parse(rest).map_err(|_| BAD)?;
            rest = next;
            match (obj.tag, obj.value) {
                (0x82, [s]) if subtype.is_none() => subtype = Some(*s),
                (0x84, t) if threshold.is_none() && (1..=4).contains(&t.len()) => {
                    threshold = Some(t.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)));
                }
                (0x81, m) if minutiae.is_none() && m.len().is_multiple_of(3) => {
                    minutiae = Some(Zeroizing::new(m.to_vec()));
                }
                _ => return Err(BAD),
            }
        }
        Ok(ReferenceObject {
            qualifier: p2,
            subtype: subtype.ok_or(BAD)?,
            threshold: threshold.ok_or(BAD)?,
            minutiae: minutiae.ok_or(BAD)?,
        })
    }
}
