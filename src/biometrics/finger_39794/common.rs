//! The ISO/IEC 39794-1:2019 common blocks that the finger image data block uses (ICAO module
//! `ID-ICAO-ISO-IEC-39794-1-ed-1-v1`): `VersionBlock`, `RegistryIdBlock`, `DateTimeBlock`,
//! `QualityBlock` with `ScoreOrError`, `ExtendedDataBlock`, and the `CHOICE { code [0],
//! extensionBlock [1] SEQUENCE { fallback [0], ... } }` form every 39794 enumeration takes.
//!
//! Encoding is DER with IMPLICIT tags (39794-1 clause 9); reading goes through the crate's own
//! lenient TLV view ([`crate::tlv`]) so that elements dactyl does not know are kept as read.

use crate::biometrics::ser_hex;
use crate::error::{Error, Result};
use crate::tlv::{Children, Tlv, encode_len, tag_bytes};

/// Context-specific primitive tag `[n]` (n < 31).
pub(crate) const fn ctx(n: u32) -> u32 {
    0x80 | n
}

/// Context-specific constructed tag `[n]` (n < 31).
pub(crate) const fn ctx_cons(n: u32) -> u32 {
    0xA0 | n
}

/// ASN.1 SEQUENCE.
pub(crate) const SEQUENCE: u32 = 0x30;

pub(crate) fn bad(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::Lds(format!("ISO/IEC 39794 {what}: {detail}"))
}

/// An element kept as read (a whole TLV), because its tag has no named field.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RawElement(#[serde(serialize_with = "ser_hex")] pub Vec<u8>);

/// The children of a constructed value, each tag at most once; other tags and repeats go to
/// `extra` in order.
pub(crate) struct Fields<'a> {
    known: Vec<Tlv<'a>>,
    /// Elements with tags not asked for, in order.
    pub extra: Vec<RawElement>,
}

impl<'a> Fields<'a> {
    /// Splits `value` into the tags of `wanted` and the rest.
    pub fn read(value: &'a [u8], wanted: &[u32], what: &str) -> Result<Fields<'a>> {
        let mut known: Vec<Tlv<'a>> = Vec::new();
        let mut extra = Vec::new();
        for c in Children::of(value) {
            let c = c.map_err(|e| bad(what, e))?;
            if wanted.contains(&c.tag) && !known.iter().any(|k| k.tag == c.tag) {
                known.push(c);
            } else {
                extra.push(RawElement(c.raw.to_vec()));
            }
        }
        Ok(Fields { known, extra })
    }

    /// The element tagged `tag`, if present.
    pub fn get(&self, tag: u32) -> Option<Tlv<'a>> {
        self.known.iter().find(|k| k.tag == tag).copied()
    }

    /// The element tagged `tag`, or an error naming it.
    pub fn need(&self, tag: u32, what: &str) -> Result<Tlv<'a>> {
        self.get(tag)
            .ok_or_else(|| bad(what, format!("element {tag:02X} is missing")))
    }
}

/// Writes one TLV with a minimal length.
pub(crate) fn put(out: &mut Vec<u8>, tag: u32, value: &[u8]) {
    out.extend(tag_bytes(tag));
    out.extend(encode_len(value.len()));
    out.extend_from_slice(value);
}

/// Writes the kept elements.
pub(crate) fn put_extra(out: &mut Vec<u8>, extra: &[RawElement]) {
    for e in extra {
        out.extend_from_slice(&e.0);
    }
}

/// An INTEGER's content octets (two's complement, 1 to 8 bytes).
pub(crate) fn int(t: &Tlv<'_>, what: &str) -> Result<i64> {
    let v = t.value;
    if v.is_empty() || v.len() > 8 {
        return Err(bad(
            what,
            format!("an integer of 1 to 8 bytes, found {}", v.len()),
        ));
    }
    let neg = v.first().is_some_and(|b| b & 0x80 != 0);
    let start: i64 = if neg { -1 } else { 0 };
    Ok(v.iter().fold(start, |a, &b| (a << 8) | i64::from(b)))
}

/// An INTEGER in `lo..=hi`.
pub(crate) fn int_in(t: &Tlv<'_>, lo: i64, hi: i64, what: &str) -> Result<i64> {
    let n = int(t, what)?;
    if n < lo || n > hi {
        return Err(bad(what, format!("{n} is outside {lo}..{hi}")));
    }
    Ok(n)
}

/// Minimal two's complement content octets of `n`.
pub(crate) fn int_bytes(n: i64) -> Vec<u8> {
    let b = n.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (Some(&cur), Some(&next)) = (b.get(start), b.get(start + 1)) else {
            break;
        };
        let redundant = (cur == 0 && next & 0x80 == 0) || (cur == 0xFF && next & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    b.get(start..).unwrap_or(&b).to_vec()
}

/// Writes an INTEGER under `tag`.
pub(crate) fn put_int(out: &mut Vec<u8>, tag: u32, n: i64) {
    put(out, tag, &int_bytes(n));
}

/// A BOOLEAN (one octet; any non-zero octet is true, as BER reads it).
pub(crate) fn boolean(t: &Tlv<'_>, what: &str) -> Result<bool> {
    match t.value {
        [b] => Ok(*b != 0),
        v => Err(bad(
            what,
            format!("a 1-byte boolean, found {} bytes", v.len()),
        )),
    }
}

/// An enumeration: `CHOICE { code [0] ENUMERATED, extensionBlock [1] SEQUENCE { fallback [0]
/// ENUMERATED, ... } }` (39794-1 clause 9.3, the pattern of every 39794 code list).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// `[0]`: the code.
    Code(i64),
    /// `[1]`: an extension block with its fallback code and the elements after it.
    Extension {
        /// The fallback code.
        fallback: i64,
        /// Extension elements, kept as read.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extra: Vec<RawElement>,
    },
}

impl Code {
    /// The code, or the fallback of an extension block.
    pub fn value(&self) -> i64 {
        match self {
            Code::Code(n) | Code::Extension { fallback: n, .. } => *n,
        }
    }

    /// Reads the CHOICE inside a constructed `[n]`.
    pub fn read(outer: &Tlv<'_>, what: &str) -> Result<Code> {
        let inner = Tlv::parse_exact(outer.value).map_err(|e| bad(what, e))?;
        match inner.tag {
            0x80 => Ok(Code::Code(int(&inner, what)?)),
            0xA1 => {
                let f = Fields::read(inner.value, &[0x80], what)?;
                Ok(Code::Extension {
                    fallback: int(&f.need(0x80, what)?, what)?,
                    extra: f.extra,
                })
            }
            t => Err(bad(
                what,
                format!("code [0] or extension block [1], found tag {t:02X}"),
            )),
        }
    }

    /// Writes the CHOICE under the constructed `[n]`.
    pub fn write(&self, out: &mut Vec<u8>, n: u32) {
        let mut inner = Vec::new();
        match self {
            Code::Code(c) => put_int(&mut inner, 0x80, *c),
            Code::Extension { fallback, extra } => {
                let mut ext = Vec::new();
                put_int(&mut ext, 0x80, *fallback);
                put_extra(&mut ext, extra);
                put(&mut inner, 0xA1, &ext);
            }
        }
        put(out, ctx_cons(n), &inner);
    }
}

/// `VersionBlock ::= SEQUENCE { generation [0], year [1], ... }` (39794-1).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VersionBlock {
    /// Generation (3..65535).
    pub generation: i64,
    /// Year (2019..9999).
    pub year: i64,
    /// Extension elements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<RawElement>,
}

impl VersionBlock {
    /// Reads the value of a version block.
    pub fn read(value: &[u8]) -> Result<VersionBlock> {
        const W: &str = "version block";
        let f = Fields::read(value, &[0x80, 0x81], W)?;
        Ok(VersionBlock {
            generation: int_in(&f.need(0x80, W)?, 0, 65535, W)?,
            year: int_in(&f.need(0x81, W)?, 0, 9999, W)?,
            extra: f.extra,
        })
    }

    /// The value of the block.
    pub fn value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_int(&mut out, 0x80, self.generation);
        put_int(&mut out, 0x81, self.year);
        put_extra(&mut out, &self.extra);
        out
    }
}

/// `RegistryIdBlock ::= SEQUENCE { organization [0], id [1] }` (39794-1; also
/// `CertificationIdBlock`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RegistryId {
    /// Registered organization (1..65535).
    pub organization: u16,
    /// Identifier within it (1..65535).
    pub id: u16,
}

impl RegistryId {
    /// Reads the value of a registry ID block.
    pub fn read(value: &[u8]) -> Result<RegistryId> {
        const W: &str = "registry ID block";
        let f = Fields::read(value, &[0x80, 0x81], W)?;
        let n = |t| -> Result<u16> {
            u16::try_from(int_in(&f.need(t, W)?, 0, 65535, W)?).map_err(|e| bad(W, e))
        };
        Ok(RegistryId {
            organization: n(0x80)?,
            id: n(0x81)?,
        })
    }

    /// The value of the block.
    pub fn value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_int(&mut out, 0x80, self.organization.into());
        put_int(&mut out, 0x81, self.id.into());
        out
    }

    /// Reads `SEQUENCE OF RegistryIdBlock`.
    pub fn read_list(value: &[u8]) -> Result<Vec<RegistryId>> {
        seq_of(value, "registry ID blocks", RegistryId::read)
    }

    /// The value of `SEQUENCE OF RegistryIdBlock`.
    pub fn list_value(list: &[RegistryId]) -> Vec<u8> {
        let mut out = Vec::new();
        for r in list {
            put(&mut out, SEQUENCE, &r.value());
        }
        out
    }
}

/// Reads a `SEQUENCE OF` whose elements are SEQUENCEs.
pub(crate) fn seq_of<T>(
    value: &[u8],
    what: &str,
    f: impl Fn(&[u8]) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for c in Children::of(value) {
        let c = c.map_err(|e| bad(what, e))?;
        if c.tag != SEQUENCE {
            return Err(bad(
                what,
                format!("SEQUENCE (30) items, found {:02X}", c.tag),
            ));
        }
        out.push(f(c.value)?);
    }
    Ok(out)
}

/// `DateTimeBlock ::= SEQUENCE { year [0], month [1] .. millisecond [6] OPTIONAL }` (39794-1).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DateTime {
    /// Year (0..9999).
    pub year: u16,
    /// Month, day, hour, minute, second, millisecond, each optional.
    pub month: Option<u16>,
    /// Day of month.
    pub day: Option<u16>,
    /// Hour.
    pub hour: Option<u16>,
    /// Minute.
    pub minute: Option<u16>,
    /// Second.
    pub second: Option<u16>,
    /// Millisecond.
    pub millisecond: Option<u16>,
    /// Elements without a named field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<RawElement>,
}

impl DateTime {
    const LIMITS: [(i64, i64); 7] = [
        (0, 9999),
        (1, 12),
        (1, 31),
        (0, 23),
        (0, 59),
        (0, 59),
        (0, 999),
    ];

    /// Reads the value of a date-time block.
    pub fn read(value: &[u8]) -> Result<DateTime> {
        const W: &str = "date-time block";
        let tags: Vec<u32> = (0..7).map(ctx).collect();
        let f = Fields::read(value, &tags, W)?;
        let mut parts = [None; 7];
        for ((slot, (lo, hi)), n) in parts.iter_mut().zip(Self::LIMITS).zip(0u32..) {
            if let Some(t) = f.get(ctx(n)) {
                *slot = Some(u16::try_from(int_in(&t, lo, hi, W)?).map_err(|e| bad(W, e))?);
            }
        }
        let [year, month, day, hour, minute, second, millisecond] = parts;
        Ok(DateTime {
            year: year.ok_or_else(|| bad(W, "the year [0] is missing"))?,
            month,
            day,
            hour,
            minute,
            second,
            millisecond,
            extra: f.extra,
        })
    }

    /// The value of the block.
    pub fn value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let parts = [
            Some(self.year),
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.millisecond,
        ];
        for (p, n) in parts.iter().zip(0u32..) {
            if let Some(v) = p {
                put_int(&mut out, ctx(n), (*v).into());
            }
        }
        put_extra(&mut out, &self.extra);
        out
    }
}

/// `ScoreOrError ::= CHOICE { score [0] Score, error [1] ScoringError }` (39794-1).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreOrError {
    /// A score, 0..100.
    Score(u8),
    /// A scoring error: `ScoringError ::= CHOICE { extensionBlock [1] { fallback [0] } }`
    /// (0: failure to assess), kept as its code.
    Error(Code),
}

/// `QualityBlock ::= SEQUENCE { algorithmIdBlock [0], scoreOrError [1], ... }` (39794-1).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct QualityBlock {
    /// The quality algorithm.
    pub algorithm: RegistryId,
    /// Its score or error.
    pub score: ScoreOrError,
    /// Extension elements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<RawElement>,
}

impl QualityBlock {
    /// Reads the value of a quality block.
    pub fn read(value: &[u8]) -> Result<QualityBlock> {
        const W: &str = "quality block";
        let f = Fields::read(value, &[0xA0, 0xA1], W)?;
        let algorithm = RegistryId::read(f.need(0xA0, W)?.value)?;
        let soe = f.need(0xA1, W)?;
        let inner = Tlv::parse_exact(soe.value).map_err(|e| bad(W, e))?;
        let score = match inner.tag {
            0x80 => ScoreOrError::Score(
                u8::try_from(int_in(&inner, 0, 100, W)?).map_err(|e| bad(W, e))?,
            ),
            0xA1 => ScoreOrError::Error(Code::read(&inner, W)?),
            t => {
                return Err(bad(W, format!("score [0] or error [1], found tag {t:02X}")));
            }
        };
        Ok(QualityBlock {
            algorithm,
            score,
            extra: f.extra,
        })
    }

    /// The value of the block.
    pub fn value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, 0xA0, &self.algorithm.value());
        let mut soe = Vec::new();
        match &self.score {
            ScoreOrError::Score(s) => put_int(&mut soe, 0x80, (*s).into()),
            ScoreOrError::Error(c) => c.write(&mut soe, 1),
        }
        put(&mut out, 0xA1, &soe);
        put_extra(&mut out, &self.extra);
        out
    }
}

/// `ExtendedDataBlock ::= SEQUENCE { dataTypeIdBlock [0], data [1] OCTET STRING }` (39794-1).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExtendedData {
    /// The data type.
    pub data_type: RegistryId,
    /// The data.
    #[serde(serialize_with = "ser_hex")]
    pub data: Vec<u8>,
    /// Elements without a named field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<RawElement>,
}

impl ExtendedData {
    /// Reads the value of an extended data block.
    pub fn read(value: &[u8]) -> Result<ExtendedData> {
        const W: &str = "extended data block";
        let f = Fields::read(value, &[0xA0, 0x81], W)?;
        Ok(ExtendedData {
            data_type: RegistryId::read(f.need(0xA0, W)?.value)?,
            data: f.need(0x81, W)?.value.to_vec(),
            extra: f.extra,
        })
    }

    /// The value of the block.
    pub fn value(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, 0xA0, &self.data_type.value());
        put(&mut out, 0x81, &self.data);
        put_extra(&mut out, &self.extra);
        out
    }
}
