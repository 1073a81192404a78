//! The one BER-TLV encoder (ISO/IEC 7816-4 clause 6.3, ITU-T X.690 clause 8.1 with the DER
//! length rules of clause 10.1): every tag and length dactyl writes, for the LDS, secure
//! messaging, CV certificates and the ASN.1 of [`crate::asn1`], goes through [`write_header`].
//! Lengths are definite and minimal; tags are checked with the `iso7816-tlv` crate.

use crate::uint::strip_leading_zeros_keep_one;

/// Appends the minimal definite length field for `len` (short form below 128, else `80 + n`
/// then n octets big-endian).
pub fn write_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let be = (len as u64).to_be_bytes();
    let octets = strip_leading_zeros_keep_one(&be);
    out.push(0x80 | octets.len() as u8);
    out.extend_from_slice(octets);
}

/// The minimal definite length field for `len`.
pub fn encode_len(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(5);
    write_len(&mut out, len);
    out
}

/// The identifier octets of a tag given big-endian in a u32 (`0x7F61` -> `7F 61`), without
/// leading zero octets.
pub fn tag_bytes(tag: u32) -> Vec<u8> {
    strip_leading_zeros_keep_one(&tag.to_be_bytes()).to_vec()
}

/// True if `tag` is a BER-TLV tag of one to three octets whose octets agree with each other
/// (ISO/IEC 7816-4 clause 6.3): the `iso7816-tlv` crate's check, plus that a multi-octet tag
/// starts with the five low bits set.
pub fn is_valid_tag(tag: u32) -> bool {
    let be = tag.to_be_bytes();
    let octets = strip_leading_zeros_keep_one(&be);
    let first_ok = match octets {
        [_] => true,
        [first, ..] => first & 0x1F == 0x1F,
        [] => false,
    };
    first_ok && iso7816_tlv::ber::Tag::try_from(tag).is_ok()
}

/// Appends the identifier octets of `tag` and the length field for `len`.
///
/// dactyl passes its own constants and tags it has parsed (which are valid by construction):
/// a tag that fails [`is_valid_tag`] is a bug, caught by a debug assertion in tests; release
/// builds write its octets as given.
pub fn write_header(out: &mut Vec<u8>, tag: u32, len: usize) {
    debug_assert!(is_valid_tag(tag), "invalid BER-TLV tag {tag:X}");
    write_header_as_read(out, tag, len);
}

/// Appends identifier octets read from input (any X.690 identifier of up to four octets, given
/// big-endian in a u32, written as read) and the minimal length field for `len`: for
/// re-encoding what was parsed, such as [`crate::asn1::to_der`].
pub fn write_header_as_read(out: &mut Vec<u8>, tag: u32, len: usize) {
    out.extend_from_slice(strip_leading_zeros_keep_one(&tag.to_be_bytes()));
    write_len(out, len);
}

/// Appends one object: tag, minimal length, value.
pub fn write(out: &mut Vec<u8>, tag: u32, value: &[u8]) {
    write_header(out, tag, value.len());
    out.extend_from_slice(value);
}

/// Encodes one object (primitive or constructed) from its tag and value octets.
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 8);
    write(&mut out, tag, value);
    out
}
