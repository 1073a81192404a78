//! Unsigned big-endian integers as ISO/IEC 7816-4 (offsets in DO 54, key references, buffer
//! sizes in DO 7F66) and ASN.1 (ISO/IEC 8825-1 clause 8.3, INTEGER contents) write them: the
//! one place where leading 00 octets are stripped and small numbers are given their minimal
//! encoding.

/// `bytes` without its leading 00 octets (empty when every octet is 00).
pub fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[skip..]
}

/// `bytes` without leading 00 octets, but keeping the last octet: a magnitude of zero stays one
/// 00 octet (empty input stays empty).
pub fn strip_leading_zeros_keep_one(bytes: &[u8]) -> &[u8] {
    let skip = bytes
        .iter()
        .take(bytes.len().saturating_sub(1))
        .take_while(|&&b| b == 0)
        .count();
    &bytes[skip..]
}

/// The minimal big-endian encoding of `n`: no leading 00 octets, at least one octet.
pub fn to_minimal_be(n: u64) -> Vec<u8> {
    strip_leading_zeros_keep_one(&n.to_be_bytes()).to_vec()
}

/// The value of at most eight big-endian octets (leading 00 octets allowed); `None` when more
/// significant octets follow.
pub fn from_be(bytes: &[u8]) -> Option<u64> {
    let digits = strip_leading_zeros(bytes);
    (digits.len() <= 8).then(|| digits.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_and_keeps_what_each_caller_needs() {
        assert_eq!(strip_leading_zeros(&[0, 0, 1, 0]), [1, 0]);
        assert_eq!(strip_leading_zeros(&[0, 0]), [0u8; 0]);
        assert_eq!(strip_leading_zeros(&[]), [0u8; 0]);
        assert_eq!(strip_leading_zeros_keep_one(&[0, 0]), [0]);
        assert_eq!(strip_leading_zeros_keep_one(&[0, 0x80]), [0x80]);
        assert_eq!(strip_leading_zeros_keep_one(&[]), [0u8; 0]);
    }

    #[test]
    fn minimal_encodings_round_trip() {
        for n in [0u64, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x1_0000, u64::MAX] {
            let b = to_minimal_be(n);
            assert!(b.len() == 1 || b[0] != 0, "{n}: {b:02X?}");
            assert_eq!(from_be(&b), Some(n));
        }
        assert_eq!(to_minimal_be(0), [0]);
        assert_eq!(to_minimal_be(0x8000), [0x80, 0x00]);
        assert_eq!(from_be(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), Some(1));
        assert_eq!(from_be(&[1, 0, 0, 0, 0, 0, 0, 0, 0]), None);
        assert_eq!(from_be(&[]), Some(0));
    }
}
