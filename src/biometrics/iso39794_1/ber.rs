//! The ASN.1 pieces the ISO/IEC 39794 modules are built of, with IMPLICIT TAGS (ITU-T X.680
//! clause 31.2.7: a tagged CHOICE stays explicit), read leniently and written as DER
//! (ITU-T X.690 clauses 8 and 10): context-tagged INTEGER, BOOLEAN and OCTET STRING fields,
//! SEQUENCEs whose unknown elements are kept in order, and the 39794-1 enumeration pattern
//! `CHOICE { code [0], extensionBlock [1] SEQUENCE { fallback [0] code, ... } }`.

use crate::error::{Error, Result};
use crate::tlv::{Tlv, encode};

/// A 39794 enumeration (the pattern of every enumeration in the 39794-1 and 39794-5 modules): the plain code `[0]`, or the
/// extension block `[1]` with its optional fallback code and any further elements.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Enumerated {
    /// `code [0]`.
    Code(i64),
    /// `extensionBlock [1] { fallback [0], ... }`.
    Extension {
        /// The fallback code, when given.
        fallback: Option<i64>,
        /// Elements of the extension block after the fallback, as read.
        #[serde(
            serialize_with = "super::ser_hex_list",
            skip_serializing_if = "Vec::is_empty"
        )]
        extra: Vec<Vec<u8>>,
    },
}

impl Enumerated {
    /// The code, or the fallback of the extension form.
    pub fn code(&self) -> Option<i64> {
        match self {
            Enumerated::Code(c) => Some(*c),
            Enumerated::Extension { fallback, .. } => *fallback,
        }
    }

    /// The code, or the fallback of the extension form, or -1 for an extension block without
    /// a fallback (no 39794 code list has negative codes).
    pub fn value(&self) -> i64 {
        self.code().unwrap_or(-1)
    }

    /// The extension form with a fallback code: how the eMRTD profile writes most enumerations.
    pub fn fallback(code: i64) -> Enumerated {
        Enumerated::Extension {
            fallback: Some(code),
            extra: Vec::new(),
        }
    }

    /// Reads the alternative held by an explicit CHOICE wrapper's value.
    pub(crate) fn parse(wrapper_value: &[u8], what: &str) -> Result<Enumerated> {
        let inner = Tlv::parse_exact(wrapper_value).map_err(|e| ctx(what, e))?;
        match inner.tag {
            0x80 => Ok(Enumerated::Code(int(inner.value, what)?)),
            0xA1 => {
                let mut r = Fields::new(inner.value, what)?;
                let fallback = r.int(0)?;
                Ok(Enumerated::Extension {
                    fallback,
                    extra: r.rest(),
                })
            }
            t => Err(Error::Lds(format!(
                "{what}: expected code 80 or extension block A1, found tag {t:X}"
            ))),
        }
    }

    /// The explicit CHOICE value (one object).
    pub(crate) fn encode(&self) -> Vec<u8> {
        match self {
            Enumerated::Code(c) => encode(0x80, &int_bytes(*c)),
            Enumerated::Extension { fallback, extra } => {
                let mut w = Writer::default();
                w.opt_int(0, *fallback);
                w.extra(extra);
                w.finish(0xA1)
            }
        }
    }
}

fn ctx(what: &str, e: Error) -> Error {
    Error::Lds(format!("{what}: {e}"))
}

/// Reads an INTEGER's contents octets (two's complement, 1 to 8 octets; non-minimal forms are
/// accepted).
pub(crate) fn int(v: &[u8], what: &str) -> Result<i64> {
    if v.is_empty() || v.len() > 8 {
        return Err(Error::Lds(format!(
            "{what}: an INTEGER of 1 to 8 octets expected, found {}",
            v.len()
        )));
    }
    let neg = v.first().is_some_and(|b| b & 0x80 != 0);
    let mut buf = if neg { [0xFF; 8] } else { [0; 8] };
    let start = 8usize.saturating_sub(v.len());
    if let Some(dst) = buf.get_mut(start..) {
        dst.copy_from_slice(v);
    }
    Ok(i64::from_be_bytes(buf))
}

/// The minimal two's complement contents octets of an INTEGER (X.690 clause 8.3.2).
pub(crate) fn int_bytes(v: i64) -> Vec<u8> {
    let be = v.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (Some(&a), Some(&b)) = (be.get(start), be.get(start + 1)) else {
            break;
        };
        if (a == 0x00 && b & 0x80 == 0) || (a == 0xFF && b & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    be.get(start..).unwrap_or(&[0]).to_vec()
}

/// The elements of a SEQUENCE, taken by context tag number; what is not taken stays, in
/// order, for [`Fields::rest`].
pub(crate) struct Fields<'a> {
    items: Vec<Option<Tlv<'a>>>,
    what: String,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(value: &'a [u8], what: &str) -> Result<Fields<'a>> {
        let mut items = Vec::new();
        for c in crate::tlv::Children::of(value) {
            items.push(Some(c.map_err(|e| ctx(what, e))?));
        }
        Ok(Fields {
            items,
            what: what.to_string(),
        })
    }

    /// The first element not yet taken with this tag.
    pub(crate) fn take(&mut self, tag: u32) -> Option<Tlv<'a>> {
        self.items
            .iter_mut()
            .find(|t| t.is_some_and(|t| t.tag == tag))
            .and_then(Option::take)
    }

    fn name(&self, n: u8) -> String {
        format!("{} [{n}]", self.what)
    }

    /// `[n] INTEGER`.
    pub(crate) fn int(&mut self, n: u8) -> Result<Option<i64>> {
        let name = self.name(n);
        self.take(0x80 | u32::from(n))
            .map(|t| int(t.value, &name))
            .transpose()
    }

    /// `[n] INTEGER`, mandatory.
    pub(crate) fn req_int(&mut self, n: u8) -> Result<i64> {
        let name = self.name(n);
        self.int(n)?.ok_or_else(|| missing(&name))
    }

    /// `[n] BOOLEAN` (any non-zero octet is true).
    pub(crate) fn bool(&mut self, n: u8) -> Result<Option<bool>> {
        let name = self.name(n);
        self.take(0x80 | u32::from(n))
            .map(|t| match t.value {
                [b] => Ok(*b != 0),
                v => Err(Error::Lds(format!(
                    "{name}: a BOOLEAN of 1 octet expected, found {}",
                    v.len()
                ))),
            })
            .transpose()
    }

    /// `[n] OCTET STRING`.
    pub(crate) fn octets(&mut self, n: u8) -> Option<Vec<u8>> {
        self.take(0x80 | u32::from(n)).map(|t| t.value.to_vec())
    }

    /// `[n]` constructed (a SEQUENCE, SEQUENCE OF or an explicit CHOICE): its value.
    pub(crate) fn cons(&mut self, n: u8) -> Option<&'a [u8]> {
        self.take(0xA0 | u32::from(n)).map(|t| t.value)
    }

    /// `[n]` constructed, decoded by `f`.
    pub(crate) fn with<T>(
        &mut self,
        n: u8,
        f: impl FnOnce(&'a [u8], &str) -> Result<T>,
    ) -> Result<Option<T>> {
        let name = self.name(n);
        self.cons(n).map(|v| f(v, &name)).transpose()
    }

    /// `[n]` constructed and mandatory, decoded by `f`.
    pub(crate) fn req<T>(
        &mut self,
        n: u8,
        f: impl FnOnce(&'a [u8], &str) -> Result<T>,
    ) -> Result<T> {
        let name = self.name(n);
        self.with(n, f)?.ok_or_else(|| missing(&name))
    }

    /// `[n]` enumeration (an explicit CHOICE).
    pub(crate) fn enumerated(&mut self, n: u8) -> Result<Option<Enumerated>> {
        self.with(n, Enumerated::parse)
    }

    /// The elements not taken, each its whole encoding as read, in order.
    pub(crate) fn rest(self) -> Vec<Vec<u8>> {
        self.items
            .into_iter()
            .flatten()
            .map(|t| t.raw.to_vec())
            .collect()
    }
}

fn missing(name: &str) -> Error {
    Error::Lds(format!("{name}: mandatory element missing"))
}

/// Reads a `SEQUENCE OF` whose items are universal SEQUENCEs (`30`).
pub(crate) fn seq_of<'a, T>(
    value: &'a [u8],
    what: &str,
    f: impl Fn(&'a [u8], &str) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for (i, c) in crate::tlv::Children::of(value).enumerate() {
        let c = c.map_err(|e| ctx(what, e))?;
        let name = format!("{what} item {i}");
        if c.tag != 0x30 {
            return Err(Error::Lds(format!(
                "{name}: expected SEQUENCE 30, found tag {:X}",
                c.tag
            )));
        }
        out.push(f(c.value, &name)?);
    }
    Ok(out)
}

/// Builds the contents of a SEQUENCE, field by field, in DER.
#[derive(Default)]
pub(crate) struct Writer(Vec<u8>);

impl Writer {
    pub(crate) fn int(&mut self, n: u8, v: i64) {
        crate::tlv::write(&mut self.0, 0x80 | u32::from(n), &int_bytes(v));
    }
    pub(crate) fn opt_int(&mut self, n: u8, v: Option<i64>) {
        if let Some(v) = v {
            self.int(n, v);
        }
    }
    pub(crate) fn opt_bool(&mut self, n: u8, v: Option<bool>) {
        if let Some(v) = v {
            crate::tlv::write(
                &mut self.0,
                0x80 | u32::from(n),
                &[if v { 0xFF } else { 0 }],
            );
        }
    }
    pub(crate) fn octets(&mut self, n: u8, v: &[u8]) {
        crate::tlv::write(&mut self.0, 0x80 | u32::from(n), v);
    }
    pub(crate) fn opt_octets(&mut self, n: u8, v: &Option<Vec<u8>>) {
        if let Some(v) = v {
            self.octets(n, v);
        }
    }
    pub(crate) fn cons(&mut self, n: u8, value: &[u8]) {
        crate::tlv::write(&mut self.0, 0xA0 | u32::from(n), value);
    }
    pub(crate) fn opt_enum(&mut self, n: u8, v: &Option<Enumerated>) {
        if let Some(v) = v {
            self.cons(n, &v.encode());
        }
    }
    /// Appends whole objects (kept elements, SEQUENCE OF items).
    pub(crate) fn extra(&mut self, items: &[Vec<u8>]) {
        for i in items {
            self.0.extend_from_slice(i);
        }
    }
    /// The contents built so far.
    pub(crate) fn into_value(self) -> Vec<u8> {
        self.0
    }
    /// The object with `tag` around the contents.
    pub(crate) fn finish(self, tag: u32) -> Vec<u8> {
        encode(tag, &self.0)
    }
}

/// The contents of a `SEQUENCE OF` SEQUENCEs from each item's contents.
pub(crate) fn seq_of_value(items: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    for v in items {
        crate::tlv::write(&mut out, 0x30, &v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip_minimal_twos_complement() {
        for v in [
            0i64,
            1,
            127,
            128,
            255,
            256,
            -1,
            -128,
            -129,
            65535,
            -180,
            180,
            i64::MAX,
            i64::MIN,
        ] {
            let b = int_bytes(v);
            assert_eq!(int(&b, "x").unwrap(), v, "{v}");
        }
        assert_eq!(int_bytes(128), vec![0x00, 0x80]);
        assert_eq!(int_bytes(-128), vec![0x80]);
        assert_eq!(int(&[0x00, 0x05], "x").unwrap(), 5);
        assert!(int(&[], "x").is_err());
        assert!(int(&[0; 9], "x").is_err());
    }

    #[test]
    fn enumerations_decode_both_forms() {
        assert_eq!(
            Enumerated::parse(&[0x80, 0x01, 0x02], "e").unwrap(),
            Enumerated::Code(2)
        );
        let ext = Enumerated::parse(&[0xA1, 0x03, 0x80, 0x01, 0x03], "e").unwrap();
        assert_eq!(ext, Enumerated::fallback(3));
        assert_eq!(ext.encode(), vec![0xA1, 0x03, 0x80, 0x01, 0x03]);
        assert!(Enumerated::parse(&[0x81, 0x01, 0x02], "e").is_err());
    }
}
