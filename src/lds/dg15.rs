//! DG15, the Active Authentication public key (ICAO Doc 9303-10 clause 4.7.15; its use in
//! 9303-11 clause 6.1): tag 6F around a SubjectPublicKeyInfo, RSA or EC (named or explicit
//! parameters, resolved to a known curve).

use crate::asn1;
use crate::crypto::keys::PublicKey;
use crate::error::{Error, Result};
use crate::tlv::Tlv;

/// The DG15 tag.
pub const TAG: u32 = 0x6F;

/// A parsed DG15.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg15 {
    /// The SubjectPublicKeyInfo as the file carries it.
    pub spki: Vec<u8>,
    /// The key.
    pub key: PublicKey,
}

impl Dg15 {
    /// Parses DG15 (bytes after the 6F object, such as padding, are ignored).
    pub fn parse(bytes: &[u8]) -> Result<Dg15> {
        let outer = Tlv::parse_tagged(bytes, TAG)?;
        let spki = asn1::parse_exact(outer.value)
            .map_err(|e| Error::Lds(format!("DG15: {e}")))?
            .raw
            .to_vec();
        let key = PublicKey::from_spki(&spki).map_err(|e| Error::Lds(format!("DG15 key: {e}")))?;
        Ok(Dg15 { spki, key })
    }

    /// A DG15 for a key, with its DER SubjectPublicKeyInfo (EC keys as namedCurve).
    pub fn from_key(key: PublicKey) -> Dg15 {
        Dg15 {
            spki: key.to_spki(),
            key,
        }
    }

    /// Encodes DG15 around a DER SubjectPublicKeyInfo.
    pub fn encode(spki: &[u8]) -> Vec<u8> {
        crate::tlv::encode(TAG, spki)
    }

    /// This DG15's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        Self::encode(&self.spki)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsi_reference_rsa_1024_key() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/chips/bsi_passport/Datagroup15.bin"
        ))
        .unwrap();
        let dg = Dg15::parse(&bytes).unwrap();
        assert_eq!(dg.key.describe(), "RSA 1024");
        assert_eq!(dg.to_bytes(), bytes);
        assert_eq!(Dg15::from_key(dg.key.clone()).key, dg.key);
    }

    #[test]
    fn refuses_wrong_tags_and_truncation() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/chips/bsi_passport/Datagroup15.bin"
        ))
        .unwrap();
        for n in 0..bytes.len() {
            assert!(Dg15::parse(&bytes[..n]).is_err(), "{n}");
        }
        let mut wrong = bytes.clone();
        wrong[0] = 0x6E;
        assert!(Dg15::parse(&wrong).is_err());
        assert!(Dg15::parse(&Dg15::encode(&[0x30, 0x00])).is_err());
    }
}
