//! DG2, the encoded face (ICAO Doc 9303-10 clause 4.7.2): the biometric information group of
//! [`crate::lds::biometric_group`] under tag `75`, one template per face, each data block an
//! ISO/IEC 19794-5 facial record ([`crate::biometrics::face`]).
//!
//! A parsed DG2 re-encodes to the bytes it came from; the issuer builds one with
//! [`Dg2::from_faces`].

use crate::biometrics::face::FaceRecord;
use crate::error::{Error, Result};
use crate::lds::biometric_group::{
    BIOMETRIC_TYPE_FACE, BiometricData, BiometricGroup, BiometricHeader, BiometricRecord,
    FORMAT_OWNER_SC37, FORMAT_TYPE_FACE_IMAGE,
};

/// The DG2 tag.
pub const TAG: u32 = 0x75;

/// A parsed DG2.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Dg2 {
    /// The biometric information group: headers and layout.
    pub group: BiometricGroup,
    /// The facial record of each template, in order.
    pub faces: Vec<FaceRecord>,
}

impl Dg2 {
    /// Parses DG2: tag `75`, every data block in clear and a 19794-5 record.
    pub fn parse(bytes: &[u8]) -> Result<Dg2> {
        if bytes.first() != Some(&(TAG as u8)) {
            return Err(Error::Lds("DG2 must start with tag 75".into()));
        }
        let group = BiometricGroup::parse(bytes)?;
        let mut faces = Vec::with_capacity(group.records.len());
        for (i, rec) in group.records.iter().enumerate() {
            let BiometricData::Plain(data) = &rec.data else {
                return Err(Error::Lds(format!(
                    "DG2 face {i}: no data block in clear (5F2E)"
                )));
            };
            faces.push(
                FaceRecord::parse(data).map_err(|e| Error::Lds(format!("DG2 face {i}: {e}")))?,
            );
        }
        Ok(Dg2 { group, faces })
    }

    /// A DG2 of facial records, one template each, with the header ICAO's reference DG2 uses:
    /// biometric type face, no subtype, format owner SC 37, format type face image.
    pub fn from_faces(faces: Vec<FaceRecord>) -> Result<Dg2> {
        let mut records = Vec::with_capacity(faces.len());
        for face in &faces {
            let header = BiometricHeader::new(
                BIOMETRIC_TYPE_FACE,
                0,
                FORMAT_OWNER_SC37,
                FORMAT_TYPE_FACE_IMAGE,
            );
            records.push(BiometricRecord::new(header, face.encode()?));
        }
        Ok(Dg2 {
            group: BiometricGroup::new(Some(TAG), records),
            faces,
        })
    }

    /// Encodes DG2.
    pub fn encode(&self) -> Result<Vec<u8>> {
        if self.faces.len() != self.group.records.len() {
            return Err(Error::Lds("DG2 headers and faces differ in number".into()));
        }
        let mut group = self.group.clone();
        for (rec, face) in group.records.iter_mut().zip(&self.faces) {
            rec.data = BiometricData::Plain(face.encode()?);
        }
        Ok(group.encode())
    }
}
