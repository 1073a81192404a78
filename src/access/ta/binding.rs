//! What a Terminal Authentication signature binds (BSI TR-03110-1 v2.2 clause 3.5, TR-03110-3
//! clause A.2.2.3): the terminal signs `ID_PICC || r_PICC || Comp(PK~_PCD)`.
//!
//! - `ID_PICC` identifies the chip: after PACE the x-coordinate (ECDH) or SHA-1 (DH) of the
//!   chip's ephemeral PACE public key (the *dynamic binding*); after BAC the document number
//!   with its check digit. Some older documents use a *static binding* after PACE: the document
//!   number when the MRZ was the password, the CAN when the CAN was.
//! - `Comp(PK~_PCD)` compresses the terminal's ephemeral public key of the newest of Chip
//!   Authentication or PACE-CAM, so the rights Terminal Authentication grants belong to that
//!   secure messaging session.

use crate::crypto::hash::HashAlgorithm;
use crate::error::{Error, Result};
use crate::oids::KeyAgreement;

/// `Comp(PK)` of TR-03110-3 clause A.2.2.3: the x-coordinate of an uncompressed EC point
/// (`04 || x || y`, ceil(log256 p) octets), or the SHA-1 hash of a DH public value.
pub fn compress(agreement: KeyAgreement, public: &[u8]) -> Result<Vec<u8>> {
    match agreement {
        KeyAgreement::Ecdh => match public.split_first() {
            Some((0x04, xy)) if !xy.is_empty() && xy.len() % 2 == 0 => {
                Ok(xy[..xy.len() / 2].to_vec())
            }
            _ => Err(Error::protocol(
                "TA",
                "an ephemeral EC key that is not an uncompressed point",
            )),
        },
        KeyAgreement::Dh => Ok(HashAlgorithm::Sha1.digest(public)),
    }
}

/// How `ID_PICC` was formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Comp of the chip's ephemeral PACE key (documents using PACE).
    Dynamic,
    /// The document number with its check digit (after BAC, or an old document after PACE
    /// with the MRZ).
    DocumentNumber,
    /// The CAN (an old document after PACE with the CAN).
    Can,
}

impl Binding {
    /// Words for a report.
    pub fn describe(self) -> &'static str {
        match self {
            Binding::Dynamic => "dynamic binding (Comp of the chip's ephemeral PACE key)",
            Binding::DocumentNumber => "static binding (document number and check digit)",
            Binding::Can => "static binding (CAN)",
        }
    }
}

/// The chip identifier `ID_PICC` and how it was formed.
#[derive(Clone, PartialEq, Eq)]
pub struct ChipIdentifier {
    /// How it was formed.
    pub binding: Binding,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for ChipIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The static identifiers are the document number or the CAN: not for logs.
        write!(
            f,
            "ChipIdentifier({:?}, {} bytes)",
            self.binding,
            self.bytes.len()
        )
    }
}

impl ChipIdentifier {
    /// The dynamic binding: Comp of the chip's ephemeral PACE public key.
    pub fn dynamic(agreement: KeyAgreement, chip_pace_public: &[u8]) -> Result<Self> {
        Ok(ChipIdentifier {
            binding: Binding::Dynamic,
            bytes: compress(agreement, chip_pace_public)?,
        })
    }

    /// The document number with its check digit, as in the MRZ.
    pub fn document_number(mrz: &crate::lds::mrz::MrzKeyInfo) -> Self {
        ChipIdentifier {
            binding: Binding::DocumentNumber,
            bytes: super::id_picc(mrz),
        }
    }

    /// The CAN's digits.
    pub fn can(can: &str) -> Self {
        ChipIdentifier {
            binding: Binding::Can,
            bytes: can.as_bytes().to_vec(),
        }
    }
}

/// Everything but the challenge that a Terminal Authentication signature binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaBinding {
    /// `ID_PICC`.
    pub chip: ChipIdentifier,
    /// `Comp(PK~_PCD)` of the newest Chip Authentication or PACE-CAM.
    pub terminal_key: Vec<u8>,
}

impl TaBinding {
    /// The message the terminal signs for challenge `r_picc`: `ID_PICC || r_PICC || Comp(PK~_PCD)`.
    pub fn message(&self, r_picc: &[u8]) -> Vec<u8> {
        [self.chip.bytes.as_slice(), r_picc, &self.terminal_key].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comp_is_the_x_coordinate_or_a_sha1_hash() {
        let point = [[0x04].as_slice(), &[1u8; 32], &[2u8; 32]].concat();
        assert_eq!(compress(KeyAgreement::Ecdh, &point).unwrap(), [1u8; 32]);
        assert!(compress(KeyAgreement::Ecdh, &point[1..]).is_err());
        assert!(compress(KeyAgreement::Ecdh, &[0x04]).is_err());
        assert_eq!(
            hex::encode(compress(KeyAgreement::Dh, b"abc").unwrap()),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn the_message_is_id_then_challenge_then_terminal_key() {
        let b = TaBinding {
            chip: ChipIdentifier::can("123456"),
            terminal_key: vec![0xAA, 0xBB],
        };
        assert_eq!(b.message(&[1, 2]), b"123456\x01\x02\xAA\xBB");
        assert!(!format!("{b:?}").contains("123456"));
    }
}
