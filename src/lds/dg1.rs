//! DG1, the machine readable zone stored on the chip (ICAO Doc 9303-10 clause 4.7.1): tag `61`
//! holding data element `5F1F` with the MRZ characters concatenated, without line breaks.
//!
//! Parsing reports the MRZ's check digits rather than rejecting a DG1 whose digits fail (see
//! [`Mrz::parse`]); bytes after the `61` object (padding read with the file) are ignored.

use crate::error::{Error, Result};
use crate::lds::mrz::Mrz;
use crate::tlv::{self, Tlv};

/// Tag of the DG1 template.
pub const TAG: u32 = 0x61;
/// Tag of the MRZ data element inside it.
pub const MRZ_TAG: u32 = 0x5F1F;

/// The content of DG1.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Dg1 {
    /// The machine readable zone.
    pub mrz: Mrz,
}

impl Dg1 {
    /// Parses DG1: `61 L 5F1F L <90, 72 or 88 MRZ characters>`.
    pub fn parse(bytes: &[u8]) -> Result<Dg1> {
        let outer = Tlv::parse_tagged(bytes, TAG)?;
        let data = outer.require(MRZ_TAG)?.value;
        if !matches!(data.len(), 90 | 72 | 88) {
            return Err(Error::Lds(format!(
                "DG1 MRZ data element has {} bytes: expected 90 (TD1), 72 (TD2) or 88 (TD3)",
                data.len()
            )));
        }
        if let Some(pos) = data
            .iter()
            .position(|&b| !(b.is_ascii_digit() || b.is_ascii_uppercase() || b == b'<'))
        {
            return Err(Error::Lds(format!(
                "DG1 MRZ byte {pos} is {:02X}, not an MRZ character (0-9, A-Z or <)",
                data.get(pos).copied().unwrap_or(0)
            )));
        }
        let text =
            std::str::from_utf8(data).map_err(|_| Error::Lds("DG1 MRZ is not ASCII".into()))?;
        Ok(Dg1 {
            mrz: Mrz::parse(text)?,
        })
    }

    /// Encodes DG1 for an MRZ: `61 L 5F1F L <lines concatenated>`.
    pub fn encode(mrz: &Mrz) -> Vec<u8> {
        let chars = mrz.lines.concat();
        tlv::encode(TAG, &tlv::encode(MRZ_TAG, chars.as_bytes()))
    }

    /// Encodes this DG1.
    pub fn to_bytes(&self) -> Vec<u8> {
        Dg1::encode(&self.mrz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Datagroup1.bin` of the BSI TR-03105-5 reference data set (93 bytes).
    const BSI_DG1: &str = "615B5F1F58503C443C3C4D55535445524D414E4E3C3C4552494B413C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C433131543030324A4D34443C3C3936303831323246323331303331343C3C3C3C3C3C3C3C3C3C3C3C3C3C3C34";

    #[test]
    fn bsi_reference_dg1_round_trips() {
        let bytes = hex::decode(BSI_DG1).unwrap();
        let dg1 = Dg1::parse(&bytes).unwrap();
        assert_eq!(dg1.mrz.primary_identifier, "MUSTERMANN");
        assert_eq!(dg1.mrz.secondary_identifier, "ERIKA");
        assert_eq!(dg1.mrz.document_number, "C11T002JM");
        assert!(dg1.mrz.all_checks_pass());
        assert_eq!(Dg1::encode(&dg1.mrz), bytes);
        assert_eq!(dg1.to_bytes(), bytes);
    }

    #[test]
    fn td1_dg1_round_trips() {
        let mrz = Mrz::from_lines(&[
            "I<UTOD231458907<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        ])
        .unwrap();
        let bytes = Dg1::encode(&mrz);
        assert_eq!(bytes[..5], [0x61, 0x5D, 0x5F, 0x1F, 0x5A]);
        assert_eq!(Dg1::parse(&bytes).unwrap().mrz, mrz);
    }

    #[test]
    fn truncated_and_garbage_input_is_an_error() {
        let bytes = hex::decode(BSI_DG1).unwrap();
        for n in 0..bytes.len() {
            assert!(Dg1::parse(&bytes[..n]).is_err(), "{n} bytes");
        }
        let mut wrong_tag = bytes.clone();
        wrong_tag[0] = 0x75;
        assert!(Dg1::parse(&wrong_tag).is_err());
        let mut lower = bytes.clone();
        lower[10] = b'a';
        assert!(Dg1::parse(&lower).is_err());
        let mut not_ascii = bytes.clone();
        not_ascii[10] = 0xC3;
        assert!(Dg1::parse(&not_ascii).is_err());
        assert!(Dg1::parse(&[0x61, 0x03, 0x5F, 0x1F, 0x00]).is_err());
        assert!(Dg1::parse(&[0xFF; 16]).is_err());
    }
}
