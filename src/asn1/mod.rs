//! A lenient ASN.1 BER reader (ITU-T X.690 clause 8) for the PKI objects of ICAO Doc 9303-12:
//! certificates, CRLs, CMS SignedData, master lists. It accepts BER as real documents carry it
//! (indefinite lengths, constructed strings, non-minimal lengths), keeps the raw bytes of every
//! object (signatures are checked over them, not over a re-encoding), and never recurses deeper
//! than [`MAX_DEPTH`]. [`to_der`] turns BER into DER where a definite encoding is needed.
//!
//! Identifier and length octets are read by [`crate::tlv::header`] and written by
//! [`crate::tlv::encode()`], the codec shared with the ISO/IEC 7816-4 view of BER-TLV; this
//! module gives them their X.690 meaning.

use crate::error::{Error, Result};
use crate::tlv::header::{HeaderError, Length, Rules, object_end, read_header};
use crate::uint::strip_leading_zeros_keep_one;
use der::asn1::ObjectIdentifier;
use std::borrow::Cow;

pub use crate::tlv::{Class, MAX_DEPTH};

/// Universal tag numbers.
pub mod tag {
    /// BOOLEAN
    pub const BOOLEAN: u32 = 1;
    /// INTEGER
    pub const INTEGER: u32 = 2;
    /// BIT STRING
    pub const BIT_STRING: u32 = 3;
    /// OCTET STRING
    pub const OCTET_STRING: u32 = 4;
    /// NULL
    pub const NULL: u32 = 5;
    /// OBJECT IDENTIFIER
    pub const OID: u32 = 6;
    /// UTF8String
    pub const UTF8_STRING: u32 = 12;
    /// SEQUENCE
    pub const SEQUENCE: u32 = 16;
    /// SET
    pub const SET: u32 = 17;
    /// PrintableString
    pub const PRINTABLE_STRING: u32 = 19;
    /// TeletexString
    pub const T61_STRING: u32 = 20;
    /// IA5String
    pub const IA5_STRING: u32 = 22;
    /// UTCTime
    pub const UTC_TIME: u32 = 23;
    /// GeneralizedTime
    pub const GENERALIZED_TIME: u32 = 24;
    /// UniversalString
    pub const UNIVERSAL_STRING: u32 = 28;
    /// BMPString
    pub const BMP_STRING: u32 = 30;
}

/// One BER object borrowed from a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Object<'a> {
    /// Tag class.
    pub class: Class,
    /// Constructed encoding.
    pub constructed: bool,
    /// Tag number.
    pub tag: u32,
    /// Contents (for indefinite lengths: without the end-of-contents octets).
    pub value: &'a [u8],
    /// The whole encoding, identifier to last content (or end-of-contents) octet.
    pub raw: &'a [u8],
    /// Encoded with the indefinite length form.
    pub indefinite: bool,
}

fn err(msg: impl Into<String>) -> Error {
    Error::Asn1(msg.into())
}

/// Parses exactly one object filling `bytes` (trailing zero padding is tolerated, as chips pad
/// files).
pub fn parse_exact(bytes: &[u8]) -> Result<Object<'_>> {
    let (obj, rest) = parse(bytes)?;
    if rest.iter().any(|&b| b != 0 && b != 0xFF) {
        return Err(err(format!("{} bytes after the object", rest.len())));
    }
    Ok(obj)
}

/// The X.690 view's wording of a header error.
fn header_error(e: HeaderError) -> Error {
    err(match e {
        HeaderError::Empty => "expected an object, found the end".into(),
        HeaderError::TruncatedTag => "truncated tag".into(),
        HeaderError::TruncatedLength => "truncated length".into(),
        HeaderError::TagByte(b) => format!("identifier octet {b:02X}"),
        HeaderError::TagTooLong(n) => format!("tag number too large (more than {n} octets)"),
        HeaderError::LengthFieldTooLong(n) => format!("length field of {n} bytes"),
        HeaderError::IndefinitePrimitive(_) => "indefinite length on a primitive object".into(),
        HeaderError::NoEndOfContents(_) => "indefinite length without end-of-contents".into(),
        HeaderError::TooDeep => format!("nesting deeper than {MAX_DEPTH} levels"),
        HeaderError::ValueTruncated { len, available, .. } => {
            format!("length {len} but {available} bytes follow")
        }
    })
}

/// Parses one object from the start of `bytes`; returns it and what follows.
pub fn parse(bytes: &[u8]) -> Result<(Object<'_>, &[u8])> {
    let h = read_header(bytes, Rules::X690).map_err(header_error)?;
    let (value_end, end) = object_end(bytes, &h, Rules::X690).map_err(header_error)?;
    let obj = Object {
        class: h.class,
        constructed: h.constructed,
        tag: h.number,
        value: bytes.get(h.header_len..value_end).unwrap_or(&[]),
        raw: bytes.get(..end).unwrap_or(&[]),
        indefinite: h.length == Length::Indefinite,
    };
    Ok((obj, bytes.get(end..).unwrap_or(&[])))
}

impl<'a> Object<'a> {
    /// True for a universal object with tag number `tag`.
    pub fn is(&self, tag: u32) -> bool {
        self.class == Class::Universal && self.tag == tag
    }

    /// True for a context-specific `[n]` object.
    pub fn is_context(&self, n: u32) -> bool {
        self.class == Class::Context && self.tag == n
    }

    /// A short name for error messages.
    pub fn describe(&self) -> String {
        match self.class {
            Class::Universal => format!("universal tag {}", self.tag),
            Class::Context => format!("[{}]", self.tag),
            Class::Application => format!("[APPLICATION {}]", self.tag),
            Class::Private => format!("[PRIVATE {}]", self.tag),
        }
    }

    /// Checks the object is the universal `tag`; `what` names it in the error.
    pub fn expect(self, tag: u32, what: &str) -> Result<Object<'a>> {
        if self.is(tag) {
            Ok(self)
        } else {
            Err(err(format!(
                "{what}: expected universal tag {tag}, found {}",
                self.describe()
            )))
        }
    }

    /// A reader over the children of a constructed object.
    pub fn reader(&self) -> Reader<'a> {
        Reader { rest: self.value }
    }

    /// All children.
    pub fn children(&self) -> Result<Vec<Object<'a>>> {
        let mut r = self.reader();
        let mut out = Vec::new();
        while let Some(o) = r.next()? {
            out.push(o);
        }
        Ok(out)
    }

    /// An OBJECT IDENTIFIER's value.
    pub fn oid(&self) -> Result<ObjectIdentifier> {
        if !self.is(tag::OID) {
            return Err(err(format!(
                "expected an OBJECT IDENTIFIER, found {}",
                self.describe()
            )));
        }
        ObjectIdentifier::from_bytes(self.value)
            .map_err(|e| err(format!("bad OBJECT IDENTIFIER: {e}")))
    }

    /// An INTEGER's two's-complement content octets.
    pub fn integer_bytes(&self) -> Result<&'a [u8]> {
        if !self.is(tag::INTEGER) || self.value.is_empty() {
            return Err(err(format!(
                "expected an INTEGER, found {}",
                self.describe()
            )));
        }
        Ok(self.value)
    }

    /// An INTEGER as an unsigned magnitude (leading zero octets removed).
    pub fn unsigned_bytes(&self) -> Result<&'a [u8]> {
        Ok(strip_leading_zeros_keep_one(self.integer_bytes()?))
    }

    /// A small non-negative INTEGER.
    pub fn small_uint(&self) -> Result<u64> {
        let v = self.unsigned_bytes()?;
        if v.len() > 8 || self.value.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(err("INTEGER out of range"));
        }
        Ok(v.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64))
    }

    /// A BOOLEAN.
    pub fn boolean(&self) -> Result<bool> {
        match (self.is(tag::BOOLEAN), self.value) {
            (true, [b]) => Ok(*b != 0),
            _ => Err(err(format!(
                "expected a BOOLEAN, found {}",
                self.describe()
            ))),
        }
    }

    /// A BIT STRING's bits (the unused-bits count must be 0 for keys and signatures).
    pub fn bit_string(&self) -> Result<&'a [u8]> {
        if !self.is(tag::BIT_STRING) || self.constructed {
            return Err(err(format!(
                "expected a primitive BIT STRING, found {}",
                self.describe()
            )));
        }
        match self.value.split_first() {
            Some((0, bits)) => Ok(bits),
            Some((n, bits)) if *n < 8 && !bits.is_empty() => Ok(bits),
            _ => Err(err("malformed BIT STRING")),
        }
    }

    /// An OCTET STRING's content, joining the segments of a constructed (BER) encoding.
    pub fn octet_string(&self) -> Result<Cow<'a, [u8]>> {
        if !self.is(tag::OCTET_STRING) {
            return Err(err(format!(
                "expected an OCTET STRING, found {}",
                self.describe()
            )));
        }
        self.string_content()
    }

    /// The content of a string type, primitive or constructed.
    fn string_content(&self) -> Result<Cow<'a, [u8]>> {
        if !self.constructed {
            return Ok(Cow::Borrowed(self.value));
        }
        let mut out = Vec::new();
        for seg in self.children()? {
            out.extend_from_slice(&seg.string_content()?);
        }
        Ok(Cow::Owned(out))
    }

    /// A character string (PrintableString, UTF8String, IA5String, TeletexString as Latin-1,
    /// BMPString, UniversalString).
    pub fn string(&self) -> Result<String> {
        let bytes = self.string_content()?;
        match self.tag {
            tag::BMP_STRING => {
                let units: Vec<u16> = bytes
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect();
                Ok(String::from_utf16_lossy(&units))
            }
            tag::UNIVERSAL_STRING => Ok(bytes
                .chunks(4)
                .filter(|c| c.len() == 4)
                .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                .map(|u| char::from_u32(u).unwrap_or('\u{FFFD}'))
                .collect()),
            tag::T61_STRING => Ok(bytes.iter().map(|&b| b as char).collect()),
            _ => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }

    /// A UTCTime or GeneralizedTime.
    pub fn time(&self) -> Result<Time> {
        let text = std::str::from_utf8(self.value).map_err(|_| err("time is not ASCII"))?;
        match self.tag {
            tag::UTC_TIME if self.class == Class::Universal => Time::parse_utc(text),
            tag::GENERALIZED_TIME if self.class == Class::Universal => {
                Time::parse_generalized(text)
            }
            _ => Err(err(format!("expected a time, found {}", self.describe()))),
        }
    }
}

/// Sequential reader over the children of a constructed object.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads the objects in `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    /// The next object, or `None` at the end.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Object<'a>>> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (obj, rest) = parse(self.rest)?;
        self.rest = rest;
        Ok(Some(obj))
    }

    /// The next object, which must exist.
    pub fn required(&mut self, what: &str) -> Result<Object<'a>> {
        self.next()?
            .ok_or_else(|| err(format!("{what} is missing")))
    }

    /// The next object if it is the context-specific `[n]`.
    pub fn optional_context(&mut self, n: u32) -> Result<Option<Object<'a>>> {
        self.next_if(|o| o.is_context(n))
    }

    /// The next object if it is the universal `tag`.
    pub fn optional(&mut self, tag: u32) -> Result<Option<Object<'a>>> {
        self.next_if(|o| o.is(tag))
    }

    /// The next object if `pred` accepts it.
    pub fn next_if(&mut self, pred: impl Fn(&Object<'a>) -> bool) -> Result<Option<Object<'a>>> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (obj, rest) = parse(self.rest)?;
        if pred(&obj) {
            self.rest = rest;
            Ok(Some(obj))
        } else {
            Ok(None)
        }
    }

    /// True when all objects have been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

mod time;
use crate::time::Time;

/// Re-encodes BER as DER where BER differs in encoding, not in meaning: indefinite lengths
/// become definite, constructed strings become primitive, long-form lengths become minimal.
/// (SET OF ordering is left as it came.)
pub fn to_der(bytes: &[u8]) -> Result<Vec<u8>> {
    let obj = parse_exact(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    write_der(&obj, &mut out, 0)?;
    Ok(out)
}

fn write_der(obj: &Object<'_>, out: &mut Vec<u8>, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(err("nesting deeper than 64 levels"));
    }
    let header = read_header(obj.raw, Rules::X690).map_err(header_error)?;
    let mut tag = header.tag;
    let is_string = obj.class == Class::Universal
        && matches!(obj.tag, tag::BIT_STRING | tag::OCTET_STRING | 12 | 18..=22 | 25..=30);
    let content = if obj.constructed && is_string && obj.tag != tag::BIT_STRING {
        // The constructed bit is bit 6 of the first identifier octet.
        tag &= !(0x20 << (8 * header.tag_len.saturating_sub(1)));
        obj.string_content()?.into_owned()
    } else if obj.constructed {
        let mut inner = Vec::new();
        for child in obj.children()? {
            write_der(&child, &mut inner, depth + 1)?;
        }
        inner
    } else {
        obj.value.to_vec()
    };
    crate::tlv::encode::write_header_as_read(out, tag, content.len());
    out.extend(content);
    Ok(())
}

/// The value of a two's-complement INTEGER's content octets in decimal, for messages (up to 16
/// octets; longer ones are shown as hex).
pub fn signed_display(content: &[u8]) -> String {
    if content.is_empty() || content.len() > 16 {
        return format!("0x{}", hex::encode_upper(content));
    }
    let negative = content.first().is_some_and(|b| b & 0x80 != 0);
    let init: i128 = if negative { -1 } else { 0 };
    let v = content
        .iter()
        .fold(init, |acc, &b| acc.wrapping_shl(8) | i128::from(b));
    v.to_string()
}

/// Encodes an object with a one-byte identifier (e.g. `0x30` SEQUENCE, `0xA0` `[0]`), through
/// the shared encoder [`crate::tlv::encode()`].
pub fn encode(identifier: u8, content: &[u8]) -> Vec<u8> {
    crate::tlv::encode(u32::from(identifier), content)
}

/// A SEQUENCE of already encoded parts.
pub fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    let len = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(len + 6);
    crate::tlv::encode::write_header(&mut out, 0x30, len);
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

/// An OBJECT IDENTIFIER.
pub fn encode_oid(oid: &ObjectIdentifier) -> Vec<u8> {
    encode(0x06, oid.as_bytes())
}

/// A non-negative INTEGER from big-endian magnitude bytes.
pub fn encode_uint(magnitude: &[u8]) -> Vec<u8> {
    let m = strip_leading_zeros_keep_one(magnitude);
    let mut v = Vec::with_capacity(m.len() + 1);
    if m.first().is_none_or(|b| b & 0x80 != 0) {
        v.push(0);
    }
    v.extend_from_slice(m);
    encode(0x02, &v)
}

#[cfg(test)]
mod tests;
