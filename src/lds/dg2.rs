//! DG2, the encoded face (ICAO Doc 9303-10 clause 4.7.2): the biometric information group of
//! [`crate::lds::biometric_group`] under tag `75`, one template per face, each data block an
//! ISO/IEC 19794-5 facial record ([`crate::biometrics::face`]) in `5F2E` or an ISO/IEC 39794-5
//! face image data block ([`crate::biometrics::face_39794`]) in `7F2E { A1 { 65 } }`, mixed as
//! the group has them.
//!
//! A parsed DG2 re-encodes to the bytes it came from; the issuer builds one with
//! [`Dg2::from_faces`].

use crate::biometrics::face::FaceRecord;
use crate::biometrics::face_39794::FaceImageBlock;
use crate::error::{Error, Result};
use crate::lds::biometric_group::{
    BIOMETRIC_TYPE_FACE, BiometricData, BiometricGroup, BiometricHeader, BiometricRecord,
    FORMAT_OWNER_SC37, FORMAT_TYPE_FACE_IMAGE, FORMAT_TYPE_FACE_IMAGE_39794,
};

/// The DG2 tag.
pub const TAG: u32 = 0x75;

/// A parsed DG2.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Dg2 {
    /// The biometric information group: headers and layout.
    pub group: BiometricGroup,
    /// The ISO/IEC 19794-5 facial record of each template that holds one, in order.
    pub faces: Vec<FaceRecord>,
    /// The ISO/IEC 39794-5 face image data block of each template that holds one, in order,
    /// with the template's index in the group.
    pub blocks: Vec<(usize, FaceImageBlock)>,
}

/// One face image of a DG2, whichever encoding carried it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dg2Image<'a> {
    /// The template's index in the group.
    pub template: usize,
    /// The image file's bytes.
    pub data: &'a [u8],
    /// Its file extension: "jpg", "jp2" or "bin".
    pub extension: &'static str,
}

impl Dg2 {
    /// Parses DG2: tag `75`, every data block a 19794-5 record in clear (`5F2E`) or a 39794-5
    /// face image data block (`7F2E { A1 { 65 } }`).
    pub fn parse(bytes: &[u8]) -> Result<Dg2> {
        if bytes.first() != Some(&(TAG as u8)) {
            return Err(Error::Lds("DG2 must start with tag 75".into()));
        }
        let group = BiometricGroup::parse(bytes)?;
        let mut faces = Vec::with_capacity(group.records.len());
        let mut blocks = Vec::new();
        for (i, rec) in group.records.iter().enumerate() {
            match &rec.data {
                BiometricData::Plain(data) => faces.push(
                    FaceRecord::parse(data)
                        .map_err(|e| Error::Lds(format!("DG2 face {i}: {e}")))?,
                ),
                d @ BiometricData::Extensible(_) => {
                    let block = d.block().unwrap_or(&[]);
                    blocks.push((
                        i,
                        FaceImageBlock::parse(block)
                            .map_err(|e| Error::Lds(format!("DG2 face {i}: {e}")))?,
                    ));
                }
                _ => {
                    return Err(Error::Lds(format!(
                        "DG2 face {i}: neither a record in clear (5F2E) nor a 39794 block (7F2E A1)"
                    )));
                }
            }
        }
        Ok(Dg2 {
            group,
            faces,
            blocks,
        })
    }

    /// A DG2 of 39794-5 face image data blocks, one template each: biometric type face, no
    /// subtype, format owner SC 37, format type 002A.
    pub fn from_blocks(blocks: Vec<FaceImageBlock>) -> Dg2 {
        let records = blocks
            .iter()
            .map(|b| {
                let header = BiometricHeader::new(
                    BIOMETRIC_TYPE_FACE,
                    0,
                    FORMAT_OWNER_SC37,
                    FORMAT_TYPE_FACE_IMAGE_39794,
                );
                let mut rec = BiometricRecord::new(header, Vec::new());
                rec.data = BiometricData::extensible(&b.encode());
                rec
            })
            .collect();
        Dg2 {
            group: BiometricGroup::new(Some(TAG), records),
            faces: Vec::new(),
            blocks: blocks.into_iter().enumerate().collect(),
        }
    }

    /// Every face image, 19794-5 and 39794-5 alike, in template order.
    pub fn images(&self) -> Vec<Dg2Image<'_>> {
        let mut out = Vec::new();
        let mut faces = self.faces.iter();
        for (i, rec) in self.group.records.iter().enumerate() {
            if let BiometricData::Plain(_) = rec.data {
                for img in faces.next().map(|f| f.images.as_slice()).unwrap_or(&[]) {
                    out.push(Dg2Image {
                        template: i,
                        data: &img.image,
                        extension: img.image_data_type.extension(),
                    });
                }
            }
            for (_, b) in self.blocks.iter().filter(|(t, _)| *t == i) {
                for r in &b.representations {
                    if let Some(img) = r.image_2d() {
                        out.push(Dg2Image {
                            template: i,
                            data: &img.data,
                            extension: img.info.extension(),
                        });
                    }
                }
            }
        }
        out
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
            blocks: Vec::new(),
        })
    }

    /// Encodes DG2.
    pub fn encode(&self) -> Result<Vec<u8>> {
        if self.faces.len() + self.blocks.len() != self.group.records.len() {
            return Err(Error::Lds("DG2 headers and faces differ in number".into()));
        }
        let mut group = self.group.clone();
        let mut faces = self.faces.iter();
        for (i, rec) in group.records.iter_mut().enumerate() {
            if let Some((_, b)) = self.blocks.iter().find(|(t, _)| *t == i) {
                let block = b.encode();
                if rec.data.block() != Some(block.as_slice()) {
                    rec.data = BiometricData::extensible(&block);
                }
            } else {
                let face = faces.next().ok_or_else(|| {
                    Error::Lds(format!("DG2 template {i}: neither a record nor a block"))
                })?;
                rec.data = BiometricData::Plain(face.encode()?);
            }
        }
        Ok(group.encode())
    }
}
