//! A bounds-checked big-endian reader for the fixed-layout binary records of ISO/IEC 19794:
//! every read names the field, so a short or garbled record says what it lacked and where.

use crate::error::{Error, Result};

/// Reads fields from a byte slice front to back.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader over `buf`; `what` names the record in errors.
    pub(crate) fn new(buf: &'a [u8], what: &'static str) -> Self {
        Reader { buf, pos: 0, what }
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The next `n` bytes.
    pub(crate) fn take(&mut self, n: usize, field: &str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end.and_then(|e| self.buf.get(self.pos..e)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(Error::Lds(format!(
                "{}: {field} at offset {} needs {n} bytes, {} left",
                self.what,
                self.pos,
                self.remaining()
            ))),
        }
    }

    /// The rest of the buffer.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = self.buf.get(self.pos..).unwrap_or(&[]);
        self.pos = self.buf.len();
        rest
    }

    /// Exactly `N` bytes.
    pub(crate) fn array<const N: usize>(&mut self, field: &str) -> Result<[u8; N]> {
        let s = self.take(N, field)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    pub(crate) fn u8(&mut self, field: &str) -> Result<u8> {
        Ok(u8::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn u16(&mut self, field: &str) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn u32(&mut self, field: &str) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }

    /// A 6-byte big-endian unsigned integer.
    pub(crate) fn u48(&mut self, field: &str) -> Result<u64> {
        let b: [u8; 6] = self.array(field)?;
        Ok(b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }
}

/// `n` as a field of the given width, or an error naming it.
pub(crate) fn fit<T: TryFrom<usize>>(n: usize, what: &str) -> Result<T> {
    T::try_from(n).map_err(|_| Error::Lds(format!("{what} ({n}) does not fit its field")))
}

/// The 6 low bytes of `n`, big-endian.
pub(crate) fn u48_bytes(n: u64) -> [u8; 6] {
    let b = n.to_be_bytes();
    [b[2], b[3], b[4], b[5], b[6], b[7]]
}

/// Checks a record length field against the record: `structure` bytes of header and views, then
/// `trailing` more. A field that counts the structure alone (the rest is padding) or everything
/// is consistent; anything else is a warning, as are trailing bytes.
pub(crate) fn length_warnings(declared: u64, structure: usize, trailing: usize) -> Vec<String> {
    let mut w = Vec::new();
    let (s, all) = (structure as u64, (structure + trailing) as u64);
    if declared != s && declared != all {
        w.push(format!(
            "record length field says {declared} bytes, the record has {structure}"
        ));
    }
    if trailing > 0 {
        let counted = if declared == all {
            ", counted by the record length"
        } else {
            ""
        };
        w.push(format!("{trailing} bytes after the last view{counted}"));
    }
    w
}

/// The record length to write: the declared one when it was consistent with the data (the
/// structure alone, trailing bytes not counted), else structure and trailing bytes together.
pub(crate) fn length_field(declared: Option<u64>, structure: usize, trailing: usize) -> u64 {
    match declared {
        Some(d) if d == structure as u64 => d,
        _ => (structure + trailing) as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_reports_short_fields() {
        let mut r = Reader::new(&[1, 2, 3, 0, 0, 0, 0, 1, 9], "test");
        assert_eq!(r.u8("a").unwrap(), 1);
        assert_eq!(r.u16("b").unwrap(), 0x0203);
        assert_eq!(r.u48("c").unwrap(), 0x0109);
        assert_eq!(r.remaining(), 0);
        let e = r.u8("d").unwrap_err().to_string();
        assert!(e.contains("d at offset 9"), "{e}");
        let mut r = Reader::new(&[0; 3], "t");
        assert!(r.take(usize::MAX, "huge").is_err());
        assert_eq!(u48_bytes(0x0102_0304_0506), [1, 2, 3, 4, 5, 6]);
        assert!(fit::<u8>(256, "count").is_err());
        assert!(length_warnings(10, 10, 0).is_empty());
        assert_eq!(length_warnings(10, 10, 5).len(), 1);
        assert_eq!(length_warnings(15, 10, 5).len(), 1);
        assert_eq!(length_warnings(9, 10, 0).len(), 1);
        assert_eq!(length_field(Some(10), 10, 5), 10);
        assert_eq!(length_field(Some(15), 10, 5), 15);
        assert_eq!(length_field(Some(9), 10, 5), 15);
        assert_eq!(length_field(None, 10, 0), 10);
    }
}
