//! BER-TLV (ISO/IEC 7816-4 clause 6.3, ISO/IEC 8825-1 definite lengths) as used by the LDS and by
//! secure messaging.
//!
//! Parsing is flat and lazy: [`Tlv::parse`] reads one object and borrows its value; children of a
//! constructed object are read on demand with [`Tlv::children`], so hostile nesting cannot exhaust
//! the stack. Encoding goes through the `iso7816-tlv` crate's `ber::Tlv`, which checks tags.

use crate::error::{Error, Result};

/// One BER-TLV data object borrowed from a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag, its bytes big-endian in a u32 (`0x7F61`, `0x5F1F`, `0x87`).
    pub tag: u32,
    /// The value field.
    pub value: &'a [u8],
    /// The whole encoding (tag, length, value).
    pub raw: &'a [u8],
}

/// The tag and length of an object, and where its value starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The tag.
    pub tag: u32,
    /// Bytes taken by tag and length.
    pub header_len: usize,
    /// Length of the value.
    pub value_len: usize,
}

impl Header {
    /// Total encoded length of the object.
    pub fn total_len(&self) -> usize {
        self.header_len + self.value_len
    }
}

/// Why a header could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// The bytes end before the header does: read more.
    Truncated,
    /// The bytes cannot be a BER-TLV header.
    Malformed(&'static str),
}

/// Reads a tag and a definite length from the start of `bytes`.
pub fn parse_header(bytes: &[u8]) -> Result<Header, HeaderError> {
    let first = *bytes.first().ok_or(HeaderError::Truncated)?;
    if first == 0x00 || first == 0xFF {
        return Err(HeaderError::Malformed("tag byte 00 or FF"));
    }
    let mut tag = first as u32;
    let mut pos = 1;
    if first & 0x1F == 0x1F {
        loop {
            let b = *bytes.get(pos).ok_or(HeaderError::Truncated)?;
            pos += 1;
            if pos > 4 {
                return Err(HeaderError::Malformed("tag longer than 3 bytes"));
            }
            tag = (tag << 8) | b as u32;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let len_byte = *bytes.get(pos).ok_or(HeaderError::Truncated)?;
    pos += 1;
    let value_len = match len_byte {
        0x00..=0x7F => len_byte as usize,
        0x80 => return Err(HeaderError::Malformed("indefinite length")),
        0x81..=0x84 => {
            let n = (len_byte & 0x7F) as usize;
            let len_bytes = bytes.get(pos..pos + n).ok_or(HeaderError::Truncated)?;
            pos += n;
            len_bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | b as usize)
        }
        _ => return Err(HeaderError::Malformed("length field longer than 4 bytes")),
    };
    Ok(Header {
        tag,
        header_len: pos,
        value_len,
    })
}

fn tlv_error(e: HeaderError, what: &str) -> Error {
    match e {
        HeaderError::Truncated => Error::Tlv(format!("{what}: truncated header")),
        HeaderError::Malformed(m) => Error::Tlv(format!("{what}: {m}")),
    }
}

impl<'a> Tlv<'a> {
    /// Parses one object from the start of `bytes`; returns it and the bytes after it.
    pub fn parse(bytes: &'a [u8]) -> Result<(Tlv<'a>, &'a [u8])> {
        let h = parse_header(bytes).map_err(|e| tlv_error(e, "object"))?;
        let end = h
            .header_len
            .checked_add(h.value_len)
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| {
                Error::Tlv(format!(
                    "tag {:X}: length {} but only {} bytes follow",
                    h.tag,
                    h.value_len,
                    bytes.len() - h.header_len
                ))
            })?;
        let tlv = Tlv {
            tag: h.tag,
            value: &bytes[h.header_len..end],
            raw: &bytes[..end],
        };
        Ok((tlv, &bytes[end..]))
    }

    /// Parses exactly one object that fills `bytes`.
    pub fn parse_exact(bytes: &'a [u8]) -> Result<Tlv<'a>> {
        let (tlv, rest) = Tlv::parse(bytes)?;
        if !rest.is_empty() {
            return Err(Error::Tlv(format!(
                "{} bytes after tag {:X}",
                rest.len(),
                tlv.tag
            )));
        }
        Ok(tlv)
    }

    /// Parses `bytes` as one object with the expected tag.
    pub fn parse_tagged(bytes: &'a [u8], tag: u32) -> Result<Tlv<'a>> {
        let tlv = Tlv::parse(bytes)?.0;
        if tlv.tag != tag {
            return Err(Error::Tlv(format!(
                "expected tag {tag:X}, found {:X}",
                tlv.tag
            )));
        }
        Ok(tlv)
    }

    /// True if the tag's constructed bit is set.
    pub fn is_constructed(&self) -> bool {
        let first = self
            .tag
            .to_be_bytes()
            .into_iter()
            .find(|&b| b != 0)
            .unwrap_or(0);
        first & 0x20 != 0
    }

    /// The children of this object's value.
    pub fn children(&self) -> Children<'a> {
        Children { rest: self.value }
    }

    /// The first child with `tag`.
    pub fn child(&self, tag: u32) -> Result<Option<Tlv<'a>>> {
        for c in self.children() {
            let c = c?;
            if c.tag == tag {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    /// The first child with `tag`, or an error naming it.
    pub fn require(&self, tag: u32) -> Result<Tlv<'a>> {
        self.child(tag)?
            .ok_or_else(|| Error::Tlv(format!("tag {:X} has no child {tag:X}", self.tag)))
    }
}

/// Iterator over consecutive objects in a buffer; stops after the first error.
pub struct Children<'a> {
    rest: &'a [u8],
}

impl<'a> Children<'a> {
    /// Iterates over the objects in `bytes`.
    pub fn of(bytes: &'a [u8]) -> Self {
        Children { rest: bytes }
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Tlv<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Tlv::parse(self.rest) {
            Ok((tlv, rest)) => {
                self.rest = rest;
                Some(Ok(tlv))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// Encodes a BER length field.
pub fn encode_len(len: usize) -> Vec<u8> {
    match len {
        0..=0x7F => vec![len as u8],
        0x80..=0xFF => vec![0x81, len as u8],
        0x100..=0xFFFF => vec![0x82, (len >> 8) as u8, len as u8],
        0x1_0000..=0xFF_FFFF => vec![0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8],
        _ => {
            let b = (len as u32).to_be_bytes();
            vec![0x84, b[0], b[1], b[2], b[3]]
        }
    }
}

/// Encodes a primitive or constructed object from a tag and its value bytes.
///
/// Tags are checked by `iso7816-tlv`; dactyl only passes constants, so a bad tag is a bug and
/// falls back to a plain encoding rather than failing.
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    use iso7816_tlv::ber::{Tag, Tlv as BerTlv, Value};
    if let Ok(t) = Tag::try_from(tag)
        && !t.is_constructed()
        && let Ok(obj) = BerTlv::new(t, Value::Primitive(value.to_vec()))
    {
        return obj.to_vec();
    }
    let mut out = tag_bytes(tag);
    out.extend(encode_len(value.len()));
    out.extend_from_slice(value);
    out
}

/// The bytes of a tag number, without leading zero bytes.
pub fn tag_bytes(tag: u32) -> Vec<u8> {
    let b = tag.to_be_bytes();
    let skip = b.iter().take(3).take_while(|&&x| x == 0).count();
    b[skip..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_objects() {
        let com = hex::decode("60145F0104303130365F36063034303030305C026175").unwrap();
        let t = Tlv::parse_exact(&com).unwrap();
        assert_eq!(t.tag, 0x60);
        assert!(t.is_constructed());
        let tags: Vec<u32> = t.children().map(|c| c.unwrap().tag).collect();
        assert_eq!(tags, [0x5F01, 0x5F36, 0x5C]);
        assert_eq!(t.require(0x5C).unwrap().value, [0x61, 0x75]);
    }

    #[test]
    fn headers_report_truncation_and_malformation() {
        assert_eq!(parse_header(&[]), Err(HeaderError::Truncated));
        assert_eq!(parse_header(&[0x75]), Err(HeaderError::Truncated));
        assert_eq!(
            parse_header(&[0x75, 0x82, 0x01]),
            Err(HeaderError::Truncated)
        );
        assert_eq!(parse_header(&[0x7F]), Err(HeaderError::Truncated));
        assert!(matches!(
            parse_header(&[0x75, 0x80]),
            Err(HeaderError::Malformed(_))
        ));
        assert!(matches!(
            parse_header(&[0x75, 0x85, 0, 0, 0, 0, 1]),
            Err(HeaderError::Malformed(_))
        ));
        assert!(matches!(
            parse_header(&[0x00, 0x01]),
            Err(HeaderError::Malformed(_))
        ));
        let h = parse_header(&[0x75, 0x82, 0x9F, 0xF0, 0xAA]).unwrap();
        assert_eq!((h.tag, h.header_len, h.value_len), (0x75, 4, 0x9FF0));
        let h = parse_header(&[0x7F, 0x61, 0x81, 0x80]).unwrap();
        assert_eq!((h.tag, h.header_len, h.value_len), (0x7F61, 4, 0x80));
    }

    #[test]
    fn over_long_lengths_are_errors() {
        assert!(Tlv::parse(&[0x61, 0x05, 1, 2]).is_err());
        assert!(Tlv::parse(&[0x61, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]).is_err());
        assert!(Tlv::parse_exact(&[0x61, 0x01, 1, 2]).is_err());
    }

    #[test]
    fn encodes_lengths_and_tags() {
        assert_eq!(encode(0x5C, &[0x61]), [0x5C, 0x01, 0x61]);
        assert_eq!(
            encode(0x5F1F, &[0x41; 3]),
            [0x5F, 0x1F, 3, 0x41, 0x41, 0x41]
        );
        assert_eq!(encode(0x61, &[0; 200])[..3], [0x61, 0x81, 200]);
        assert_eq!(encode(0x75, &[0; 300])[..4], [0x75, 0x82, 0x01, 0x2C]);
        assert_eq!(encode_len(0x12345), [0x83, 0x01, 0x23, 0x45]);
    }
}
