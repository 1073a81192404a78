//! The virtual chip's file system: the files of its chip image
//! ([`crate::issuance::chip_image::FileSystem`], ICAO Doc 9303-10 clause 3.10 and 4.6), and
//! the answer-to-reset and the extended length information a chip announces (ISO/IEC 7816-4
//! clause 12.7.1, DO 7F66), encoded by [`crate::iso7816::atr_info`], where the reader decodes
//! them.

use crate::iso7816::atr_info::{self, CardCapabilities, ExtendedLengthInfo};
pub use crate::issuance::chip_image::FileSystem;

/// What the chip can do with APDU lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LengthSupport {
    /// Extended Lc/Le accepted.
    pub extended: bool,
    /// Largest command APDU the chip accepts (bytes on the wire).
    pub max_command: usize,
    /// Largest response APDU the chip can send, SW included.
    pub max_response: usize,
}

impl LengthSupport {
    /// A chip limited to short APDUs.
    pub const SHORT: LengthSupport = LengthSupport {
        extended: false,
        max_command: 261,
        max_response: 258,
    };

    /// A chip with extended length and a 64 KB buffer.
    pub const EXTENDED: LengthSupport = LengthSupport {
        extended: true,
        max_command: 65_544,
        max_response: 65_538,
    };
}

/// EF.ATR/INFO content announcing extended length support and buffer sizes (DO 7F66 holding two
/// INTEGERs: the largest command and response APDU), as [`ExtendedLengthInfo::encode`] writes it.
pub fn atr_info(len: LengthSupport) -> Vec<u8> {
    ExtendedLengthInfo {
        max_command: len.max_command,
        max_response: len.max_response,
    }
    .encode()
}

/// The answer-to-reset: T=1, with historical bytes holding the card capabilities (ISO/IEC
/// 7816-4 clause 12.1.1.9, compact-TLV tag 7): the "extended Lc and Le fields" bit is set when
/// the chip supports extended length.
pub fn atr(len: LengthSupport) -> Vec<u8> {
    let caps = CardCapabilities::with_extended_length(len.extended);
    atr_info::atr(&atr_info::historical_bytes(&caps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atr_and_atr_info_announce_extended_length() {
        let a = atr(LengthSupport::EXTENDED);
        assert_eq!(a[..2], [0x3B, 0x85]);
        assert_eq!(a[8], 0x40);
        assert_eq!(a.iter().skip(1).fold(0u8, |x, b| x ^ b), 0);
        assert_eq!(
            hex::encode_upper(atr_info(LengthSupport::EXTENDED)),
            "7F660A02030100080203010002"
        );
    }

    #[test]
    fn the_reader_reads_back_what_the_chip_announces() {
        use crate::iso7816::atr_info::atr_extended_length;
        assert_eq!(
            atr_extended_length(&atr(LengthSupport::EXTENDED)),
            Some(true)
        );
        assert_eq!(atr_extended_length(&atr(LengthSupport::SHORT)), Some(false));
        let info = ExtendedLengthInfo::decode(&atr_info(LengthSupport::EXTENDED)).unwrap();
        assert_eq!((info.max_command, info.max_response), (65_544, 65_538));
    }
}
