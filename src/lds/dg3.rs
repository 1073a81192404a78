//! DG3, the encoded finger(s) (ICAO Doc 9303-10 clause 4.7.3): the biometric information group
//! of [`crate::lds::biometric_group`] under tag `63`, one biometric information template per
//! finger, each data block an ISO/IEC 19794-4 finger image record
//! ([`crate::biometrics::finger_image`]) in `5F2E`, or an ISO/IEC 39794-4 finger image data
//! block ([`crate::biometrics::finger_39794`]) in `7F2E { A1 { block } }` (clause 4.7.2.1,
//! format type 0028); one DG3 may mix both.
//!
//! One codec for issuance (build from finger image records), reading (parse, check) and the
//! emulator (bytes): a parsed DG3 re-encodes to the bytes it came from.

use crate::biometrics::finger_image::{FingerImage, FingerImageRecord};
use crate::biometrics::{FingerPosition, finger_39794};
use crate::error::{Error, Result};
use crate::lds::biometric_group::{
    BIOMETRIC_TYPE_FINGER, BiometricData, BiometricGroup, BiometricHeader, BiometricRecord,
    DG3_TAG, FORMAT_OWNER_SC37, FORMAT_TYPE_FINGER_IMAGE, FORMAT_TYPE_FINGER_IMAGE_39794,
};

/// The DG3 tag.
pub const TAG: u32 = DG3_TAG;

/// A parsed DG3: the CBEFF group and the finger image record of each of its templates.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Dg3 {
    /// The biometric information group: headers and layout. Its data blocks are replaced by the
    /// encoded `images` when the DG3 is encoded.
    pub group: BiometricGroup,
    /// The finger image record of each template, in order.
    pub images: Vec<FingerImage>,
}

impl Dg3 {
    /// Parses DG3: tag `63`, every data block in clear and a 19794-4 record, or a 39794-4
    /// block in `7F2E`.
    pub fn parse(bytes: &[u8]) -> Result<Dg3> {
        if bytes.first() != Some(&(TAG as u8)) {
            return Err(Error::Lds(format!(
                "DG3 must start with tag 63, found {}",
                bytes
                    .first()
                    .map_or_else(|| "nothing".into(), |b| format!("{b:02X}"))
            )));
        }
        let mut group = BiometricGroup::parse(bytes)?;
        let mut images = Vec::with_capacity(group.records.len());
        let mut warnings = Vec::new();
        for (i, rec) in group.records.iter().enumerate() {
            let data = match &rec.data {
                BiometricData::Plain(b) => b,
                BiometricData::Extensible(_) => {
                    let block = rec.data.block().ok_or_else(|| {
                        Error::Lds(format!("DG3 finger {i}: 7F2E without one A1 block"))
                    })?;
                    if block.first() != Some(&(finger_39794::TAG as u8)) {
                        return Err(Error::Lds(format!(
                            "DG3 finger {i}: a 39794 block of tag {:02X}, not a finger image \
                             data block (64)",
                            block.first().copied().unwrap_or(0)
                        )));
                    }
                    block
                }
                BiometricData::Enciphered(_) => {
                    return Err(Error::Lds(format!(
                        "DG3 finger {i}: the data block is enciphered (7F2E)"
                    )));
                }
                BiometricData::Absent => {
                    return Err(Error::Lds(format!("DG3 finger {i}: no data block 5F2E")));
                }
            };
            let image =
                FingerImage::parse(data).map_err(|e| Error::Lds(format!("DG3 finger {i}: {e}")))?;
            check_header(i, &rec.header, &image, &mut warnings);
            warnings.extend(
                image
                    .warnings()
                    .iter()
                    .map(|w| format!("DG3 finger {i}: {w}")),
            );
            images.push(image);
        }
        group.warnings.extend(warnings);
        Ok(Dg3 { group, images })
    }

    /// A DG3 of finger image records, one template each, with the header the ICAO/BSI reference
    /// DG3 uses: biometric type finger, the subtype of the record's first finger position,
    /// format owner SC 37, format type finger image (0007 for a 19794-4 record in `5F2E`, 0028
    /// for a 39794-4 block in `7F2E { A1 }`).
    pub fn from_images(images: Vec<FingerImage>) -> Result<Dg3> {
        let mut records = Vec::with_capacity(images.len());
        for image in &images {
            let position = image
                .views()
                .first()
                .map_or(FingerPosition::UNKNOWN, |v| v.position);
            let header = BiometricHeader::new(
                BIOMETRIC_TYPE_FINGER,
                position.cbeff_subtype(),
                FORMAT_OWNER_SC37,
                format_type(image),
            );
            let mut rec = BiometricRecord::new(header, Vec::new());
            rec.data = data_block(image)?;
            records.push(rec);
        }
        Ok(Dg3 {
            group: BiometricGroup::new(Some(TAG), records),
            images,
        })
    }

    /// [`Dg3::from_images`] for 2005-edition records, the edition ICAO prescribes.
    pub fn from_records(records: Vec<FingerImageRecord>) -> Result<Dg3> {
        Dg3::from_images(records.into_iter().map(FingerImage::Iso2005).collect())
    }

    /// Encodes DG3 from the group's headers and the images.
    pub fn encode(&self) -> Result<Vec<u8>> {
        if self.images.len() != self.group.records.len() {
            return Err(Error::Lds(format!(
                "DG3 has {} headers but {} images",
                self.group.records.len(),
                self.images.len()
            )));
        }
        let mut group = self.group.clone();
        for (rec, image) in group.records.iter_mut().zip(&self.images) {
            let data = data_block(image)?;
            let same_block = matches!(rec.data, BiometricData::Extensible(_))
                && rec.data.block().is_some()
                && rec.data.block() == data.block();
            if !same_block {
                rec.data = data;
            }
        }
        Ok(group.encode())
    }

    /// The finger positions of all images, in order.
    pub fn positions(&self) -> Vec<FingerPosition> {
        self.images
            .iter()
            .flat_map(|i| i.views().into_iter().map(|v| v.position))
            .collect()
    }

    /// The warnings of the group and of its records.
    pub fn warnings(&self) -> &[String] {
        &self.group.warnings
    }
}

/// The CBEFF format type of an image's encoding.
fn format_type(image: &FingerImage) -> u16 {
    if image.is_extensible() {
        FORMAT_TYPE_FINGER_IMAGE_39794
    } else {
        FORMAT_TYPE_FINGER_IMAGE
    }
}

/// The data block of an image: `5F2E` for a 19794-4 record, `7F2E { A1 }` for a 39794-4 block.
fn data_block(image: &FingerImage) -> Result<BiometricData> {
    let bytes = image.encode()?;
    Ok(if image.is_extensible() {
        BiometricData::extensible(&bytes)
    } else {
        BiometricData::Plain(bytes)
    })
}

/// Warns when a header contradicts its record.
fn check_header(i: usize, h: &BiometricHeader, image: &FingerImage, warnings: &mut Vec<String>) {
    if h.biometric_type.is_some_and(|t| t != BIOMETRIC_TYPE_FINGER) {
        warnings.push(format!(
            "DG3 finger {i}: biometric type {:?} is not finger (8)",
            h.biometric_type
        ));
    }
    let expected = format_type(image);
    if h.format_owner == Some(FORMAT_OWNER_SC37) && h.format_type.is_some_and(|t| t != expected) {
        warnings.push(format!(
            "DG3 finger {i}: format type {:?} is not {} finger image ({expected:#06X})",
            h.format_type,
            image.edition()
        ));
    }
    let views = image.views();
    if let (Some(sub), Some(v)) = (h.subtype, views.first())
        && sub != 0
        && v.position.is_single_finger()
        && sub != v.position.cbeff_subtype()
    {
        warnings.push(format!(
            "DG3 finger {i}: header subtype {sub:#04X} but the image is of the {}",
            v.position.name()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::biometrics::Compression;
    use crate::biometrics::finger_image::FingerImageView;

    #[test]
    fn builds_parses_and_round_trips() {
        let rec = FingerImageRecord::new(
            Compression::JPEG,
            vec![FingerImageView::new(
                FingerPosition::LEFT_THUMB,
                2,
                2,
                vec![0xFF, 0xD8, 0xFF, 0xD9],
            )],
        );
        let dg3 = Dg3::from_records(vec![rec.clone(), rec]).unwrap();
        let bytes = dg3.encode().unwrap();
        let back = Dg3::parse(&bytes).unwrap();
        assert!(back.warnings().is_empty(), "{:?}", back.warnings());
        assert_eq!(back.positions(), [FingerPosition::LEFT_THUMB; 2]);
        assert_eq!(back.group.records[0].header.subtype, Some(0x06));
        assert_eq!(back.encode().unwrap(), bytes);
        for n in 0..bytes.len() {
            assert!(Dg3::parse(&bytes[..n]).is_err(), "{n}");
        }
        let mut wrong_tag = bytes.clone();
        wrong_tag[0] = 0x75;
        assert!(Dg3::parse(&wrong_tag).is_err());
        let mut mismatched = back.clone();
        mismatched.images.pop();
        assert!(mismatched.encode().is_err());
    }
}
