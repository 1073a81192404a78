//! The one reader of BER identifier and length octets (ITU-T X.690 clauses 8.1.2 and 8.1.3,
//! ISO/IEC 7816-4 clause 6.3) behind both views of BER-TLV: the ISO/IEC 7816-4 view of
//! [`Tlv`](super::Tlv) (LDS files, secure messaging, CV certificates) and the X.690 view of
//! [`crate::asn1`] (X.509, CMS). It reads a header, and finds where an object ends, walking the
//! contents of indefinite-length objects (clause 8.1.3.6) down to [`MAX_DEPTH`] levels.
//!
//! The two views differ only in what they accept as a tag ([`Rules`]); lengths are read alike:
//! short form, long form with up to four length octets, and the indefinite form on constructed
//! objects.

/// Deepest nesting of indefinite-length objects accepted.
pub const MAX_DEPTH: usize = 64;

/// Tag class (X.690 clause 8.1.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Universal.
    Universal,
    /// Application.
    Application,
    /// Context-specific (`[n]`).
    Context,
    /// Private.
    Private,
}

/// A length field's meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Length {
    /// The value has this many octets.
    Definite(usize),
    /// The value runs to the end-of-contents octets `00 00`.
    Indefinite,
}

/// What a view accepts as a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    /// ISO/IEC 7816-4 clause 6.3: tags of one to three octets; `00` and `FF` are not tags.
    Iso7816,
    /// X.690: any first octet; tags of up to four octets (tag numbers below 2^21).
    X690,
}

impl Rules {
    fn max_tag_len(self) -> usize {
        match self {
            Rules::Iso7816 => 3,
            Rules::X690 => 4,
        }
    }
}

/// The identifier and length of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The identifier octets big-endian in a u32 (`0x7F61`, `0x30`).
    pub tag: u32,
    /// Number of identifier octets.
    pub tag_len: usize,
    /// Tag class.
    pub class: Class,
    /// Constructed encoding.
    pub constructed: bool,
    /// Tag number (`0x7F61` is APPLICATION 97, `0x30` is universal 16).
    pub number: u32,
    /// Octets taken by identifier and length.
    pub header_len: usize,
    /// The length field.
    pub length: Length,
}

impl Header {
    /// Length of the value, when definite.
    pub fn value_len(&self) -> Option<usize> {
        match self.length {
            Length::Definite(n) => Some(n),
            Length::Indefinite => None,
        }
    }

    /// Total encoded length of the object, when its length is definite.
    pub fn total_len(&self) -> Option<usize> {
        self.value_len()
            .and_then(|n| self.header_len.checked_add(n))
    }
}

/// Why an object could not be read. Each view words these its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// No octets at all.
    Empty,
    /// The octets end inside the identifier.
    TruncatedTag,
    /// The octets end inside the length field.
    TruncatedLength,
    /// A first identifier octet `00` or `FF` (ISO/IEC 7816-4 only).
    TagByte(u8),
    /// More identifier octets than the view accepts (the limit).
    TagTooLong(usize),
    /// A length field of this many octets after the first (more than four).
    LengthFieldTooLong(usize),
    /// The indefinite form on a primitive object (the tag).
    IndefinitePrimitive(u32),
    /// An indefinite-length object (the tag) without its end-of-contents octets.
    NoEndOfContents(u32),
    /// Indefinite-length objects nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The length says more octets than follow.
    ValueTruncated {
        /// The object's tag.
        tag: u32,
        /// The length it states.
        len: usize,
        /// Octets after its header.
        available: usize,
    },
}

impl HeaderError {
    /// True when more octets could complete the header (it is not malformed).
    pub fn is_truncated(&self) -> bool {
        matches!(
            self,
            HeaderError::Empty | HeaderError::TruncatedTag | HeaderError::TruncatedLength
        )
    }
}

/// Reads the identifier and length octets at the start of `bytes`.
#[inline]
pub fn read_header(bytes: &[u8], rules: Rules) -> Result<Header, HeaderError> {
    let first = *bytes.first().ok_or(HeaderError::Empty)?;
    if rules == Rules::Iso7816 && (first == 0x00 || first == 0xFF) {
        return Err(HeaderError::TagByte(first));
    }
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::Context,
        _ => Class::Private,
    };
    let constructed = first & 0x20 != 0;
    let mut tag = u32::from(first);
    let mut number = u32::from(first & 0x1F);
    let mut pos = 1;
    if number == 0x1F {
        number = 0;
        loop {
            let b = *bytes.get(pos).ok_or(HeaderError::TruncatedTag)?;
            pos += 1;
            if pos > rules.max_tag_len() {
                return Err(HeaderError::TagTooLong(rules.max_tag_len()));
            }
            // At most three subsequent octets: 24 bits of tag, 21 of tag number.
            tag = (tag << 8) | u32::from(b);
            number = (number << 7) | u32::from(b & 0x7F);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let tag_len = pos;
    let len_byte = *bytes.get(pos).ok_or(HeaderError::TruncatedLength)?;
    pos += 1;
    let length = match len_byte {
        0x00..=0x7F => Length::Definite(usize::from(len_byte)),
        0x80 if constructed => Length::Indefinite,
        0x80 => return Err(HeaderError::IndefinitePrimitive(tag)),
        0x81..=0x84 => {
            let n = usize::from(len_byte & 0x7F);
            let octets = bytes
                .get(pos..pos + n)
                .ok_or(HeaderError::TruncatedLength)?;
            pos += n;
            Length::Definite(
                octets
                    .iter()
                    .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
            )
        }
        _ => {
            return Err(HeaderError::LengthFieldTooLong(usize::from(
                len_byte & 0x7F,
            )));
        }
    };
    Ok(Header {
        tag,
        tag_len,
        class,
        constructed,
        number,
        header_len: pos,
        length,
    })
}

/// Where an object lies at the start of a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Its header.
    pub header: Header,
    /// Offset of the end of its value (for the indefinite form: of the end-of-contents octets).
    pub value_end: usize,
    /// Offset just past the object.
    pub end: usize,
}

impl Span {
    /// The value: `bytes[header_len..value_end]` of the buffer the span was read from.
    pub fn value<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        bytes
            .get(self.header.header_len..self.value_end)
            .unwrap_or(&[])
    }

    /// The whole encoding: `bytes[..end]` of the buffer the span was read from.
    pub fn raw<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        bytes.get(..self.end).unwrap_or(&[])
    }
}

/// Reads one object at the start of `bytes` and finds its end.
#[inline]
pub fn read_object(bytes: &[u8], rules: Rules) -> Result<Span, HeaderError> {
    let header = read_header(bytes, rules)?;
    let (value_end, end) = object_end(bytes, &header, rules)?;
    Ok(Span {
        header,
        value_end,
        end,
    })
}

/// Where the object whose header starts `bytes` ends: the end of its value (for the indefinite
/// form: of its contents) and the end of its encoding.
#[inline]
pub fn object_end(
    bytes: &[u8],
    header: &Header,
    rules: Rules,
) -> Result<(usize, usize), HeaderError> {
    match header.length {
        Length::Definite(len) => definite_end(bytes, header, len),
        Length::Indefinite => indefinite_end(bytes, header, rules, 0),
    }
}

#[inline]
fn definite_end(bytes: &[u8], header: &Header, len: usize) -> Result<(usize, usize), HeaderError> {
    let start = header.header_len;
    match start.checked_add(len).filter(|&end| end <= bytes.len()) {
        Some(end) => Ok((end, end)),
        None => Err(HeaderError::ValueTruncated {
            tag: header.tag,
            len,
            available: bytes.len().saturating_sub(start),
        }),
    }
}

/// Finds the end of an indefinite-length object at nesting level `depth`: its contents are
/// whole objects up to the end-of-contents octets 00 00.
fn indefinite_end(
    bytes: &[u8],
    header: &Header,
    rules: Rules,
    depth: usize,
) -> Result<(usize, usize), HeaderError> {
    if depth > MAX_DEPTH {
        return Err(HeaderError::TooDeep);
    }
    let mut pos = header.header_len;
    loop {
        let rest = bytes.get(pos..).unwrap_or(&[]);
        if rest.starts_with(&[0, 0]) {
            return Ok((pos, pos + 2));
        }
        if rest.is_empty() {
            return Err(HeaderError::NoEndOfContents(header.tag));
        }
        let child = read_header(rest, rules)?;
        let (_, end) = match child.length {
            Length::Definite(len) => definite_end(rest, &child, len)?,
            Length::Indefinite => indefinite_end(rest, &child, rules, depth + 1)?,
        };
        pos += end;
    }
}
