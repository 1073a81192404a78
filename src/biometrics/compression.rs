//! Finger image compression algorithms and their codes, which differ between the editions of
//! ISO/IEC 19794-4:
//!
//! | algorithm | 2005 (Table 5) | 2011 (Table 9) |
//! |---|---|---|
//! | uncompressed, no bit packing | 0 | 0 |
//! | uncompressed, bit-packed | 1 | 1 |
//! | WSQ | 2 | 2 |
//! | JPEG (ISO/IEC 10918) | 3 | 3 ("JPEG lossy") |
//! | JPEG 2000 | 4 | 4 lossy, 5 lossless |
//! | PNG | 5 | 6 |
//!
//! A [`Compression`] is the algorithm, not the code: records convert with
//! [`Compression::from_code`] on read and [`Compression::code`] on write, each with its own
//! edition's table. [`Compression::check_image`] compares the algorithm with the image's magic
//! bytes (WSQ `FFA0`, JPEG `FFD8`, JPEG 2000 `0000000C6A502020` or codestream `FF4FFF51`, PNG
//! `89504E47`) so a record whose code disagrees with its image is reported.

use serde::ser::SerializeStruct;

/// An edition of ISO/IEC 19794-4 (the code tables differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FingerImageEdition {
    /// ISO/IEC 19794-4:2005 (record version "010").
    E2005,
    /// ISO/IEC 19794-4:2011 (record version "020").
    E2011,
}

/// An image compression algorithm of a finger image record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Compression {
    /// Uncompressed, one pixel per `pixel_depth` bits rounded up to bytes.
    #[default]
    Uncompressed,
    /// Uncompressed, bit-packed.
    BitPacked,
    /// Wavelet Scalar Quantization (FBI WSQ).
    Wsq,
    /// JPEG (ISO/IEC 10918).
    Jpeg,
    /// JPEG 2000 as the 2005 edition codes it (lossy or lossless not said).
    Jpeg2000,
    /// JPEG 2000, lossy (2011 edition).
    Jpeg2000Lossy,
    /// JPEG 2000, lossless (2011 edition).
    Jpeg2000Lossless,
    /// PNG (ISO/IEC 15948).
    Png,
    /// A code the edition's table does not define, kept as read.
    Unknown(u8),
}

impl Compression {
    /// Uncompressed.
    pub const UNCOMPRESSED: Compression = Compression::Uncompressed;
    /// Uncompressed, bit-packed.
    pub const BIT_PACKED: Compression = Compression::BitPacked;
    /// WSQ.
    pub const WSQ: Compression = Compression::Wsq;
    /// JPEG.
    pub const JPEG: Compression = Compression::Jpeg;
    /// JPEG 2000, lossy.
    pub const JPEG2000_LOSSY: Compression = Compression::Jpeg2000Lossy;
    /// JPEG 2000, lossless.
    pub const JPEG2000_LOSSLESS: Compression = Compression::Jpeg2000Lossless;
    /// PNG.
    pub const PNG: Compression = Compression::Png;

    /// The algorithm a code of `edition` names.
    pub fn from_code(code: u8, edition: FingerImageEdition) -> Compression {
        match (edition, code) {
            (_, 0) => Compression::Uncompressed,
            (_, 1) => Compression::BitPacked,
            (_, 2) => Compression::Wsq,
            (_, 3) => Compression::Jpeg,
            (FingerImageEdition::E2005, 4) => Compression::Jpeg2000,
            (FingerImageEdition::E2005, 5) => Compression::Png,
            (FingerImageEdition::E2011, 4) => Compression::Jpeg2000Lossy,
            (FingerImageEdition::E2011, 5) => Compression::Jpeg2000Lossless,
            (FingerImageEdition::E2011, 6) => Compression::Png,
            (_, n) => Compression::Unknown(n),
        }
    }

    /// The code of this algorithm in `edition`'s table. The 2005 edition has one code for JPEG
    /// 2000; the 2011 edition writes JPEG 2000 of unknown kind as lossy (it cannot claim lossless).
    pub fn code(self, edition: FingerImageEdition) -> u8 {
        match (edition, self) {
            (_, Compression::Uncompressed) => 0,
            (_, Compression::BitPacked) => 1,
            (_, Compression::Wsq) => 2,
            (_, Compression::Jpeg) => 3,
            (
                FingerImageEdition::E2005,
                Compression::Jpeg2000 | Compression::Jpeg2000Lossy | Compression::Jpeg2000Lossless,
            ) => 4,
            (FingerImageEdition::E2005, Compression::Png) => 5,
            (FingerImageEdition::E2011, Compression::Jpeg2000 | Compression::Jpeg2000Lossy) => 4,
            (FingerImageEdition::E2011, Compression::Jpeg2000Lossless) => 5,
            (FingerImageEdition::E2011, Compression::Png) => 6,
            (_, Compression::Unknown(n)) => n,
        }
    }

    /// The algorithm's name.
    pub fn name(self) -> String {
        let known = match self {
            Compression::Uncompressed => "uncompressed",
            Compression::BitPacked => "uncompressed, bit-packed",
            Compression::Wsq => "WSQ",
            Compression::Jpeg => "JPEG",
            Compression::Jpeg2000 => "JPEG 2000",
            Compression::Jpeg2000Lossy => "JPEG 2000 (lossy)",
            Compression::Jpeg2000Lossless => "JPEG 2000 (lossless)",
            Compression::Png => "PNG",
            Compression::Unknown(n) => return format!("compression {n}"),
        };
        known.to_string()
    }

    /// The file extension for the image data: "wsq", "jpg", "jp2", "png", "raw" (uncompressed
    /// pixels) or "bin" (an unknown code).
    pub fn extension(self) -> &'static str {
        match self {
            Compression::Uncompressed | Compression::BitPacked => "raw",
            Compression::Wsq => "wsq",
            Compression::Jpeg => "jpg",
            Compression::Jpeg2000 | Compression::Jpeg2000Lossy | Compression::Jpeg2000Lossless => {
                "jp2"
            }
            Compression::Png => "png",
            Compression::Unknown(_) => "bin",
        }
    }

    /// The compressed format the image's first bytes announce, if any is recognised.
    pub fn sniff(image: &[u8]) -> Option<Compression> {
        const JP2_BOX: [u8; 8] = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20];
        const J2K_CODESTREAM: [u8; 4] = [0xFF, 0x4F, 0xFF, 0x51];
        const PNG: [u8; 4] = [0x89, 0x50, 0x4E, 0x47];
        if image.starts_with(&[0xFF, 0xA0]) {
            Some(Compression::Wsq)
        } else if image.starts_with(&[0xFF, 0xD8]) {
            Some(Compression::Jpeg)
        } else if image.starts_with(&JP2_BOX) || image.starts_with(&J2K_CODESTREAM) {
            Some(Compression::Jpeg2000)
        } else if image.starts_with(&PNG) {
            Some(Compression::Png)
        } else {
            None
        }
    }

    /// A warning when the image's magic bytes name another format than this algorithm (a
    /// compressed algorithm whose image has none of the known signatures, or raw pixels that
    /// start like a compressed file). `None` when they agree or nothing can be told.
    pub fn check_image(self, image: &[u8]) -> Option<String> {
        if image.is_empty() {
            return None;
        }
        let found = Compression::sniff(image);
        let family = |c: Compression| match c {
            Compression::Jpeg2000Lossy | Compression::Jpeg2000Lossless => Compression::Jpeg2000,
            other => other,
        };
        match (self, found) {
            (Compression::Unknown(_), _) => None,
            (Compression::Uncompressed | Compression::BitPacked, None) => None,
            (Compression::Uncompressed | Compression::BitPacked, Some(f)) => Some(format!(
                "the image is declared {} but starts like a {} file",
                self.name(),
                f.name()
            )),
            (_, Some(f)) if family(self) == f => None,
            (_, Some(f)) => Some(format!(
                "the image is declared {} but its first bytes are those of {}",
                self.name(),
                f.name()
            )),
            (_, None) => Some(format!(
                "the image is declared {} but does not start with its signature ({})",
                self.name(),
                hex::encode_upper(image.get(..4).unwrap_or(image))
            )),
        }
    }
}

impl serde::Serialize for Compression {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Compression", 1)?;
        st.serialize_field("name", &self.name())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_edition_reads_and_writes_its_own_table() {
        let table_2005 = [
            (0, Compression::Uncompressed),
            (1, Compression::BitPacked),
            (2, Compression::Wsq),
            (3, Compression::Jpeg),
            (4, Compression::Jpeg2000),
            (5, Compression::Png),
        ];
        let table_2011 = [
            (0, Compression::Uncompressed),
            (1, Compression::BitPacked),
            (2, Compression::Wsq),
            (3, Compression::Jpeg),
            (4, Compression::Jpeg2000Lossy),
            (5, Compression::Jpeg2000Lossless),
            (6, Compression::Png),
        ];
        for (code, c) in table_2005 {
            assert_eq!(Compression::from_code(code, FingerImageEdition::E2005), c);
            assert_eq!(c.code(FingerImageEdition::E2005), code);
        }
        for (code, c) in table_2011 {
            assert_eq!(Compression::from_code(code, FingerImageEdition::E2011), c);
            assert_eq!(c.code(FingerImageEdition::E2011), code);
        }
        assert_eq!(
            Compression::from_code(6, FingerImageEdition::E2005),
            Compression::Unknown(6)
        );
        assert_eq!(Compression::Unknown(6).code(FingerImageEdition::E2005), 6);
        assert_eq!(
            Compression::Jpeg2000Lossless.code(FingerImageEdition::E2005),
            4
        );
        assert_eq!(Compression::Jpeg2000.code(FingerImageEdition::E2011), 4);
        assert_eq!(
            Compression::from_code(5, FingerImageEdition::E2005).extension(),
            "png"
        );
        assert_eq!(
            Compression::from_code(9, FingerImageEdition::E2011).extension(),
            "bin"
        );
    }

    #[test]
    fn magic_bytes_are_checked_against_the_algorithm() {
        let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A];
        let jp2 = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D];
        let j2k = [0xFF, 0x4F, 0xFF, 0x51, 0x00];
        let wsq = [0xFF, 0xA0, 0xFF, 0xA8];
        let jpg = [0xFF, 0xD8, 0xFF, 0xE0];
        assert_eq!(Compression::Png.check_image(&png), None);
        assert_eq!(Compression::Jpeg2000Lossless.check_image(&jp2), None);
        assert_eq!(Compression::Jpeg2000.check_image(&j2k), None);
        assert_eq!(Compression::Wsq.check_image(&wsq), None);
        assert_eq!(Compression::Jpeg.check_image(&jpg), None);
        let w = Compression::Jpeg2000Lossless.check_image(&png).unwrap();
        assert!(w.contains("PNG"), "{w}");
        assert!(Compression::Wsq.check_image(&jpg).is_some());
        assert!(Compression::Png.check_image(&[1, 2, 3]).is_some());
        assert!(Compression::Uncompressed.check_image(&wsq).is_some());
        assert_eq!(Compression::Uncompressed.check_image(&[7, 7, 7]), None);
        assert_eq!(Compression::Unknown(9).check_image(&png), None);
        assert_eq!(Compression::Png.check_image(&[]), None);
    }
}
