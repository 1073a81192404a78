//! Biometric data interchange formats carried by eMRTD data groups and used for match-on-card:
//! ISO/IEC 19794-4 finger images ([`finger_image`], [`finger_image_2011`]), ISO/IEC 19794-2
//! finger minutiae records ([`minutiae`], [`minutiae_2011`]) and their card formats with the ISO/IEC 7816-11
//! algorithm parameters ([`compact`]).
//!
//! Every parser here reads untrusted bytes: it returns [`crate::Error::Lds`] naming the field
//! and offset that did not fit, and never panics. Encoders are byte-exact for well-formed input:
//! what they read, they write back unchanged (length fields that disagree with the data are the
//! one thing they correct, after reporting them as warnings).

pub(crate) mod bytes;
pub mod compact;
pub mod comparator;
mod compression;
pub mod face;
pub mod face_39794;
pub mod finger_39794;
pub mod finger_image;
pub mod finger_image_2011;
pub mod image_check;
pub mod image_size;
pub mod iso39794_1;
pub mod minutiae;
pub mod minutiae_2011;
pub mod pixels;
pub mod synthetic;
pub mod wsq;

use serde::ser::SerializeStruct;

/// A finger or palm position code (ISO/IEC 19794-4:2005 Table 2, ISO/IEC 19794-2 clause 7.5.2;
/// the codes of ANSI/NIST-ITL 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FingerPosition(pub u8);

impl FingerPosition {
    /// Unknown finger.
    pub const UNKNOWN: FingerPosition = FingerPosition(0);
    /// Right thumb.
    pub const RIGHT_THUMB: FingerPosition = FingerPosition(1);
    /// Right index finger.
    pub const RIGHT_INDEX: FingerPosition = FingerPosition(2);
    /// Right middle finger.
    pub const RIGHT_MIDDLE: FingerPosition = FingerPosition(3);
    /// Right ring finger.
    pub const RIGHT_RING: FingerPosition = FingerPosition(4);
    /// Right little finger.
    pub const RIGHT_LITTLE: FingerPosition = FingerPosition(5);
    /// Left thumb.
    pub const LEFT_THUMB: FingerPosition = FingerPosition(6);
    /// Left index finger.
    pub const LEFT_INDEX: FingerPosition = FingerPosition(7);
    /// Left middle finger.
    pub const LEFT_MIDDLE: FingerPosition = FingerPosition(8);
    /// Left ring finger.
    pub const LEFT_RING: FingerPosition = FingerPosition(9);
    /// Left little finger.
    pub const LEFT_LITTLE: FingerPosition = FingerPosition(10);

    /// The position's name ("right index finger"); codes without one are "position N".
    pub fn name(self) -> String {
        let known = match self.0 {
            0 => "unknown finger",
            1 => "right thumb",
            2 => "right index finger",
            3 => "right middle finger",
            4 => "right ring finger",
            5 => "right little finger",
            6 => "left thumb",
            7 => "left index finger",
            8 => "left middle finger",
            9 => "left ring finger",
            10 => "left little finger",
            11 => "plain right thumb",
            12 => "plain left thumb",
            13 => "plain right four fingers",
            14 => "plain left four fingers",
            15 => "plain thumbs",
            20..=38 => return format!("palm (code {})", self.0),
            _ => return format!("position {}", self.0),
        };
        known.to_string()
    }

    /// A short name for file names: "right_index", "left_thumb", "pos_17".
    pub fn slug(self) -> String {
        match self.0 {
            1..=10 => {
                let hand = if self.0 <= 5 { "right" } else { "left" };
                let finger = ["thumb", "index", "middle", "ring", "little"]
                    .get(usize::from((self.0 - 1) % 5))
                    .copied()
                    .unwrap_or("finger");
                format!("{hand}_{finger}")
            }
            0 => "unknown".into(),
            n => format!("pos_{n}"),
        }
    }

    /// True for the ten single fingers (codes 1 to 10).
    pub fn is_single_finger(self) -> bool {
        (1..=10).contains(&self.0)
    }

    /// The CBEFF biometric subtype of a single finger (ISO/IEC 19785-3, ICAO 9303-10 clause
    /// 4.7.2.1): bit 0x01 right, 0x02 left, finger in bits 0x1C (thumb 0x04 .. little 0x14).
    /// Unknown and multi-finger positions give 0 ("no information").
    pub fn cbeff_subtype(self) -> u8 {
        match self.0 {
            1..=5 => 0x01 | (self.0 << 2),
            6..=10 => 0x02 | ((self.0 - 5) << 2),
            _ => 0,
        }
    }
}

/// Finger positions as a list for a message ("right thumb, left thumb"), or "none".
pub fn position_names(positions: impl IntoIterator<Item = FingerPosition>) -> String {
    let names: Vec<String> = positions.into_iter().map(FingerPosition::name).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

impl serde::Serialize for FingerPosition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("FingerPosition", 2)?;
        st.serialize_field("code", &self.0)?;
        st.serialize_field("name", &self.name())?;
        st.end()
    }
}

/// Impression type (ISO/IEC 19794-4:2005 Table 3, 19794-2 clause 7.5.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ImpressionType(pub u8);

impl ImpressionType {
    /// Live-scan plain, the usual eMRTD capture.
    pub const LIVE_PLAIN: ImpressionType = ImpressionType(0);

    /// The impression type's name.
    pub fn name(self) -> String {
        let known = match self.0 {
            0 => "live-scan plain",
            1 => "live-scan rolled",
            2 => "non-live-scan plain",
            3 => "non-live-scan rolled",
            4 => "latent impression",
            5 => "latent tracing",
            6 => "latent photo",
            7 => "latent lift",
            8 => "swipe",
            _ => return format!("impression type {}", self.0),
        };
        known.to_string()
    }
}

impl serde::Serialize for ImpressionType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ImpressionType", 2)?;
        st.serialize_field("code", &self.0)?;
        st.serialize_field("name", &self.name())?;
        st.end()
    }
}

pub use compression::{Compression, FingerImageEdition};

/// Capture date and time of the 2011 editions (ISO/IEC 19794-1:2011 clause 13.4.2): 9 bytes,
/// year (2), month, day, hour, minute, second (1 each), millisecond (2), in UTC; all-ones
/// fields mean "not given". Values are kept as read, valid or not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CaptureTime {
    /// Year.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day, 1 to 31.
    pub day: u8,
    /// Hour, 0 to 23.
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Second.
    pub second: u8,
    /// Millisecond.
    pub millisecond: u16,
}

impl CaptureTime {
    pub(crate) fn read(r: &mut bytes::Reader<'_>) -> crate::Result<CaptureTime> {
        Ok(CaptureTime {
            year: r.u16("capture year")?,
            month: r.u8("capture month")?,
            day: r.u8("capture day")?,
            hour: r.u8("capture hour")?,
            minute: r.u8("capture minute")?,
            second: r.u8("capture second")?,
            millisecond: r.u16("capture millisecond")?,
        })
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.year.to_be_bytes());
        out.extend_from_slice(&[self.month, self.day, self.hour, self.minute, self.second]);
        out.extend_from_slice(&self.millisecond.to_be_bytes());
    }
}

/// A quality block of the 2011 editions (ISO/IEC 19794-1:2011 clause 13.4.5): score and the
/// algorithm that computed it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct QualityBlock {
    /// Quality score, 0 to 100 (255: failed to compute).
    pub score: u8,
    /// Quality algorithm vendor ID.
    pub vendor: u16,
    /// Quality algorithm ID.
    pub algorithm: u16,
}

/// A certification block of the 2011 editions (ISO/IEC 19794-1:2011 clause 13.4.6).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CertificationBlock {
    /// Certification authority ID.
    pub authority: u16,
    /// Certification scheme ID.
    pub scheme: u8,
}

/// Reads a count byte and that many quality blocks.
pub(crate) fn read_quality_blocks(r: &mut bytes::Reader<'_>) -> crate::Result<Vec<QualityBlock>> {
    let n = r.u8("number of quality blocks")?;
    (0..n)
        .map(|_| {
            Ok(QualityBlock {
                score: r.u8("quality score")?,
                vendor: r.u16("quality algorithm vendor ID")?,
                algorithm: r.u16("quality algorithm ID")?,
            })
        })
        .collect()
}

/// Reads a count byte and that many certification blocks.
pub(crate) fn read_certification_blocks(
    r: &mut bytes::Reader<'_>,
) -> crate::Result<Vec<CertificationBlock>> {
    let n = r.u8("number of certification blocks")?;
    (0..n)
        .map(|_| {
            Ok(CertificationBlock {
                authority: r.u16("certification authority ID")?,
                scheme: r.u8("certification scheme ID")?,
            })
        })
        .collect()
}

/// Writes quality blocks, and certification blocks when the record's certification flag is
/// set (they must be absent when it is not).
pub(crate) fn write_quality_and_certification(
    out: &mut Vec<u8>,
    quality: &[QualityBlock],
    certification_flag: u8,
    certifications: &[CertificationBlock],
) -> crate::Result<()> {
    out.push(bytes::fit(quality.len(), "number of quality blocks")?);
    for q in quality {
        out.push(q.score);
        out.extend_from_slice(&q.vendor.to_be_bytes());
        out.extend_from_slice(&q.algorithm.to_be_bytes());
    }
    if certification_flag != 0 {
        out.push(bytes::fit(
            certifications.len(),
            "number of certification blocks",
        )?);
        for c in certifications {
            out.extend_from_slice(&c.authority.to_be_bytes());
            out.push(c.scheme);
        }
    } else if !certifications.is_empty() {
        return Err(crate::Error::Lds(
            "certification blocks need the record's certification flag set".into(),
        ));
    }
    Ok(())
}

/// Serializes bytes as upper-case hex (for small opaque fields in reports).
pub(crate) fn ser_hex<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode_upper(b))
}

/// Serializes optional bytes as upper-case hex.
pub(crate) fn ser_opt_hex<S: serde::Serializer>(
    b: &Option<Vec<u8>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match b {
        Some(b) => s.serialize_str(&hex::encode_upper(b)),
        None => s.serialize_none(),
    }
}

/// Serializes a large byte field by its length only (image data in reports).
pub(crate) fn ser_len<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{} bytes", b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finger_positions_name_and_map_to_cbeff_subtypes() {
        assert_eq!(FingerPosition::RIGHT_INDEX.name(), "right index finger");
        assert_eq!(FingerPosition::LEFT_LITTLE.slug(), "left_little");
        assert_eq!(FingerPosition(17).slug(), "pos_17");
        assert_eq!(FingerPosition::RIGHT_INDEX.cbeff_subtype(), 0x09);
        assert_eq!(FingerPosition::LEFT_INDEX.cbeff_subtype(), 0x0A);
        assert_eq!(FingerPosition::RIGHT_THUMB.cbeff_subtype(), 0x05);
        assert_eq!(FingerPosition::LEFT_LITTLE.cbeff_subtype(), 0x16);
        assert_eq!(FingerPosition(13).cbeff_subtype(), 0);
        assert_eq!(Compression::WSQ.extension(), "wsq");
        assert_eq!(Compression::Unknown(9).extension(), "bin");
    }
}
