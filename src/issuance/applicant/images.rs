//! The applicant's image files as the issuing station's camera and scanner give them, turned
//! into the biometric records of the data groups: a face image into an ISO/IEC 19794-5 face
//! record (DG2, Doc 9303-10 clause 4.7.2, the image kept byte for byte as given once it is
//! seen to decode), a finger image into an ISO/IEC 19794-4:2005 finger image record of one
//! view (DG3, clause 4.7.3) in the station's finger compression ([`super::finger_encoding`]).

use super::finger_encoding::{FingerEncoding, encode_finger};
use super::{ApplicantRecord, FingerCapture, field};
use crate::biometrics::face::{FaceImage, FaceRecord};
use crate::biometrics::finger_image::{
    FingerImage, FingerImageRecord, FingerImageView, PIXELS_PER_INCH,
};
use crate::biometrics::minutiae::MinutiaeRecord;
use crate::error::Result;
use crate::fsio::read_bounded;
use std::path::Path;

/// Largest image file accepted (a face of a few hundred KB, a finger of a few tens).
pub const MAX_IMAGE_FILE: usize = 1024 * 1024;

/// The face as DG2 will hold it.
#[derive(Clone, Debug)]
pub struct FaceFile {
    /// The face record around the image.
    pub record: FaceRecord,
    /// What is odd about it (the header disagrees with the image, ...).
    pub warnings: Vec<String>,
}

/// One finger as DG3 will hold it.
#[derive(Clone, Debug)]
pub struct FingerFile {
    /// The finger image record (2005 edition, one view).
    pub image: Option<FingerImage>,
    /// The minutiae template, when the record gives one.
    pub template: Option<MinutiaeRecord>,
    /// What the report must show about the image (transcoded, resolution, ...).
    pub warnings: Vec<String>,
}

/// Where the record's files come from: a path relative to the record in, its bytes out.
pub type Loader<'a> = &'a dyn Fn(&Path) -> Result<Vec<u8>>;

/// Reads the record's files from the folder `base` (each at most `MAX_IMAGE_FILE`, 1 MB).
pub fn files_in(base: &Path) -> impl Fn(&Path) -> Result<Vec<u8>> + '_ {
    move |p: &Path| read_bounded(&base.join(p), MAX_IMAGE_FILE, "an image or template")
}

/// Reads the record's face image (through `load`) into a face record; the holder's sex is
/// written as the record's gender (ISO/IEC 19794-5 clause 5.5.3: 1 male, 2 female).
pub fn read_face(record: &ApplicantRecord, load: Loader<'_>) -> Result<FaceFile> {
    let bytes = load(&record.face)?;
    // Every image written must decode: a face that does not is refused here.
    crate::biometrics::pixels::decode_image(&bytes)
        .map_err(|e| field("face", format!("the image does not decode: {e}")))?;
    let mut face = FaceImage::from_image(bytes).map_err(|e| field("face", e))?;
    face.gender = match record.holder.sex.as_str() {
        "M" => 1,
        "F" => 2,
        _ => 0,
    };
    let warnings = face.warnings();
    Ok(FaceFile {
        record: FaceRecord { images: vec![face] },
        warnings,
    })
}

/// Reads one finger capture: its image decoded and written as `encoding` asks
/// ([`encode_finger`]) into a 19794-4:2005 record (size from the image, resolution from the
/// capture), its template parsed as 19794-2.
pub fn read_finger(
    capture: &FingerCapture,
    load: Loader<'_>,
    encoding: &FingerEncoding,
) -> Result<FingerFile> {
    let name = format!("fingers ({})", capture.position.name());
    let mut warnings = Vec::new();
    let image = match &capture.image {
        Some(path) => {
            let bytes = load(path)?;
            let raw = capture.raw.map(|r| (r.width, r.height));
            let encoded = encode_finger(&bytes, raw, capture.resolution_ppi, encoding)
                .map_err(|e| field(&name, e))?;
            warnings.extend(encoded.warnings.iter().map(|w| format!("{name}: {w}")));
            let position = crate::biometrics::FingerPosition(capture.position.code());
            let (width, height) = encoded.size;
            let mut view = FingerImageView::new(position, width, height, encoded.bytes);
            if let Some(q) = capture.quality {
                view.quality = q;
            }
            let mut rec = FingerImageRecord::new(encoded.compression, vec![view]);
            rec.scale_units = PIXELS_PER_INCH;
            rec.scan_resolution_h = capture.resolution_ppi;
            rec.scan_resolution_v = capture.resolution_ppi;
            rec.image_resolution_h = capture.resolution_ppi;
            rec.image_resolution_v = capture.resolution_ppi;
            Some(FingerImage::Iso2005(rec))
        }
        None => None,
    };
    Ok(FingerFile {
        image,
        template: read_template(capture, load)?,
        warnings,
    })
}

/// Reads one finger capture's minutiae template (ISO/IEC 19794-2), if it has one.
pub fn read_template(capture: &FingerCapture, load: Loader<'_>) -> Result<Option<MinutiaeRecord>> {
    let name = format!("fingers ({})", capture.position.name());
    match &capture.template {
        Some(path) => {
            let bytes = load(path)?;
            Ok(Some(
                MinutiaeRecord::parse(&bytes).map_err(|e| field(&name, e))?,
            ))
        }
        None => Ok(None),
    }
}
