//! BER-TLV as ISO/IEC 7816-4 clause 6.3 sees it, for the LDS (ICAO Doc 9303-10), secure
//! messaging (9303-11 clause 9.8) and CV certificates: tags as their octets in a u32 (`0x7F61`).
//!
//! Parsing is flat and lazy: [`Tlv::parse`] reads one object and borrows its value; children of a
//! constructed object are read on demand with [`Tlv::children`]. Headers are read by
//! [`header`], the reader shared with [`crate::asn1`]; a constructed object may carry the
//! indefinite length form (X.690 clause 8.1.3.6), as some real DG2, DG3 and SOD encodings do:
//! its `value` is the contents without the end-of-contents octets and its `raw` the exact bytes
//! with them. Finding the end of such an object walks its contents, never deeper than
//! [`MAX_DEPTH`], so hostile nesting cannot exhaust the stack. Encoding is in [`mod@encode`].

use crate::error::{Error, Result};

pub mod encode;
pub mod header;

pub use encode::{encode, encode_len, tag_bytes, write, write_len};
pub use header::{Class, Header, HeaderError, Length, MAX_DEPTH};
use header::{Rules, object_end, read_header};

/// One BER-TLV data object borrowed from a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag, its bytes big-endian in a u32 (`0x7F61`, `0x5F1F`, `0x87`).
    pub tag: u32,
    /// The value field (for the indefinite form: without the end-of-contents octets).
    pub value: &'a [u8],
    /// The whole encoding (tag, length, value, and end-of-contents octets if any).
    pub raw: &'a [u8],
    /// Encoded with the indefinite length form.
    pub indefinite: bool,
}

/// Reads a tag and a length (definite, or indefinite on a constructed object) from the start of
/// `bytes`, as ISO/IEC 7816-4 allows them (tags of one to three octets, not starting `00`/`FF`).
pub fn parse_header(bytes: &[u8]) -> Result<Header, HeaderError> {
    read_header(bytes, Rules::Iso7816)
}

/// The ISO/IEC 7816-4 view's wording of a header error.
fn tlv_error(e: HeaderError) -> Error {
    Error::Tlv(match e {
        HeaderError::Empty | HeaderError::TruncatedTag | HeaderError::TruncatedLength => {
            "object: truncated header".into()
        }
        HeaderError::TagByte(b) => format!("object: tag byte {b:02X} (00 or FF)"),
        HeaderError::TagTooLong(_) => "object: tag longer than 3 bytes".into(),
        HeaderError::LengthFieldTooLong(n) => {
            format!("object: length field longer than 4 bytes ({n})")
        }
        HeaderError::IndefinitePrimitive(tag) => {
            format!("tag {tag:X}: indefinite length on a primitive object")
        }
        HeaderError::NoEndOfContents(tag) => {
            format!("tag {tag:X}: indefinite length without end-of-contents")
        }
        HeaderError::TooDeep => format!("object: nesting deeper than {MAX_DEPTH} levels"),
        HeaderError::ValueTruncated {
            tag,
            len,
            available,
        } => format!("tag {tag:X}: length {len} but only {available} bytes follow"),
    })
}

impl<'a> Tlv<'a> {
    /// Parses one object from the start of `bytes`; returns it and the bytes after it.
    pub fn parse(bytes: &'a [u8]) -> Result<(Tlv<'a>, &'a [u8])> {
        let h = read_header(bytes, Rules::Iso7816).map_err(tlv_error)?;
        let (value_end, end) = object_end(bytes, &h, Rules::Iso7816).map_err(tlv_error)?;
        let tlv = Tlv {
            tag: h.tag,
            value: bytes.get(h.header_len..value_end).unwrap_or(&[]),
            raw: bytes.get(..end).unwrap_or(&[]),
            indefinite: h.length == Length::Indefinite,
        };
        Ok((tlv, bytes.get(end..).unwrap_or(&[])))
    }

    /// The tag and length octets.
    pub fn header(&self) -> &'a [u8] {
        let eoc = if self.indefinite { 2 } else { 0 };
        let len = self.raw.len().saturating_sub(self.value.len() + eoc);
        self.raw.get(..len).unwrap_or(&[])
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

#[cfg(test)]
mod tests;
