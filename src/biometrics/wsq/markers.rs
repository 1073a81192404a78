//! WSQ markers and table segments (FBI IAFIS-IC-0110 v3.1, Annex A.2 "Syntax": frame header,
//! transform table DTT, quantization table DQT, Huffman tables DHT, block header, comment COM,
//! restart interval DRI). Segment fields are read one by one; like the NIST reference decoder,
//! only the DHT and COM lengths bound what is read, the other lengths are skipped over.

use super::err;
use crate::error::Result;

/// Start of image.
pub const SOI: u16 = 0xFFA0;
/// End of image.
pub const EOI: u16 = 0xFFA1;
/// Start of frame.
pub const SOF: u16 = 0xFFA2;
/// Start of block.
pub const SOB: u16 = 0xFFA3;
/// Define transform table.
pub const DTT: u16 = 0xFFA4;
/// Define quantization table.
pub const DQT: u16 = 0xFFA5;
/// Define Huffman table(s).
pub const DHT: u16 = 0xFFA6;
/// Define restart interval.
pub const DRI: u16 = 0xFFA7;
/// Comment.
pub const COM: u16 = 0xFFA8;

/// Longest filter accepted (the specification allows 31 taps whole-sample symmetric and 32
/// half-sample symmetric).
pub const MAX_FILTER: usize = 32;
/// Number of subbands of the decomposition.
pub const SUBBANDS: usize = 64;
/// Number of Huffman table slots.
pub const HUFFMAN_TABLES: usize = 8;

/// The marker's name, for messages.
pub fn name(marker: u16) -> String {
    match marker {
        SOI => "SOI".into(),
        EOI => "EOI".into(),
        SOF => "SOF".into(),
        SOB => "SOB".into(),
        DTT => "DTT".into(),
        DQT => "DQT".into(),
        DHT => "DHT".into(),
        DRI => "DRI".into(),
        COM => "COM".into(),
        0xFFB0..=0xFFB7 => format!("RST{}", marker & 7),
        m => format!("marker {m:04X}"),
    }
}

/// A cursor over the file's bytes; every read names the field and offset that did not fit.
pub struct Cursor<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }

    pub fn u8(&mut self, what: &str) -> Result<u8> {
        let b = self.data.get(self.pos).copied().ok_or_else(|| {
            err(format!(
                "{what} expected at offset {}, the file ends there",
                self.pos
            ))
        })?;
        self.pos += 1;
        Ok(b)
    }

    pub fn u16(&mut self, what: &str) -> Result<u16> {
        Ok(u16::from_be_bytes([self.u8(what)?, self.u8(what)?]))
    }

    pub fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn bytes(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let slice = end
            .and_then(|e| self.data.get(self.pos..e))
            .ok_or_else(|| {
                err(format!(
                    "{what}: {n} bytes expected at offset {}, {} remain",
                    self.pos,
                    self.data.len().saturating_sub(self.pos)
                ))
            })?;
        self.pos += n;
        Ok(slice)
    }

    /// Reads a marker, skipping 0xFF fill bytes before it.
    pub fn marker(&mut self) -> Result<u16> {
        let at = self.pos;
        if self.u8("marker")? != 0xFF {
            return Err(err(format!("marker expected at offset {at}")));
        }
        loop {
            let b = self.u8("marker")?;
            if b != 0xFF {
                if b == 0 {
                    return Err(err(format!("marker expected at offset {at}, found FF00")));
                }
                return Ok(0xFF00 | u16::from(b));
            }
        }
    }

    /// Reads a scaled value (an exponent byte E and an unsigned 16-bit value V meaning V/10^E),
    /// dividing in double precision and rounding to single precision at each step as the
    /// reference decoder does.
    pub fn scaled(&mut self, what: &str) -> Result<f32> {
        let exponent = self.u8(what)?;
        let value = self.u16(what)?;
        Ok(descale(f32::from(value), exponent))
    }
}

fn descale(mut v: f32, exponent: u8) -> f32 {
    for _ in 0..exponent {
        v = (f64::from(v) / 10.0) as f32;
    }
    v
}

/// The frame header (Annex A.2.2).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct FrameHeader {
    /// Scanner black level (A).
    pub black: u8,
    /// Scanner white level (B).
    pub white: u8,
    /// Number of lines (Y).
    pub height: u16,
    /// Samples per line (X).
    pub width: u16,
    /// Shift M added back after the inverse transform.
    pub shift: f32,
    /// Scale R the reconstructed samples are multiplied by.
    pub scale: f32,
    /// WSQ encoder number (Ev).
    pub encoder: u8,
    /// Software implementation number (Sf).
    pub software: u16,
}

pub fn frame_header(c: &mut Cursor<'_>) -> Result<FrameHeader> {
    c.u16("SOF length")?;
    Ok(FrameHeader {
        black: c.u8("SOF black level")?,
        white: c.u8("SOF white level")?,
        height: c.u16("SOF height")?,
        width: c.u16("SOF width")?,
        shift: c.scaled("SOF shift M")?,
        scale: c.scaled("SOF scale R")?,
        encoder: c.u8("SOF encoder number")?,
        software: c.u16("SOF software number")?,
    })
}

/// Synthesis filters built from a transform table (Annex A.2.3): the file carries the right
/// halves of the analysis lowpass and highpass filters; the synthesis highpass is the analysis
/// lowpass modulated by (-1)^k, the synthesis lowpass the analysis highpass modulated.
#[derive(Clone, Debug, PartialEq)]
pub struct Filters {
    /// Synthesis lowpass taps.
    pub lo: Vec<f32>,
    /// Synthesis highpass taps.
    pub hi: Vec<f32>,
}

fn sign(k: usize) -> f32 {
    if k.is_multiple_of(2) { 1.0 } else { -1.0 }
}

/// Reads one half filter of `len` taps and unfolds it; `shift` 0 for the highpass
/// (from the analysis lowpass), 1 for the lowpass.
fn half_filter(c: &mut Cursor<'_>, len: usize, shift: usize, what: &str) -> Result<Vec<f32>> {
    let mut taps = vec![0f32; len];
    let half = len.div_ceil(2);
    let a = half - 1;
    for k in 0..half {
        let negative = c.u8(what)? != 0;
        let exponent = c.u8(what)?;
        let magnitude = c.u32(what)?;
        let mut v = descale(magnitude as f32, exponent);
        if negative {
            v = -v;
        }
        if len % 2 == 1 {
            let t = sign(k) * v;
            set(&mut taps, a + k, t)?;
            if k > 0 {
                set(&mut taps, a - k, t)?;
            }
        } else if shift == 0 {
            let t = sign(k) * v;
            set(&mut taps, a + k + 1, t)?;
            set(&mut taps, a - k, -t)?;
        } else {
            let t = sign(k + 1) * v;
            set(&mut taps, a + k + 1, t)?;
            set(&mut taps, a - k, t)?;
        }
    }
    Ok(taps)
}

fn set(taps: &mut [f32], i: usize, v: f32) -> Result<()> {
    let slot = taps
        .get_mut(i)
        .ok_or_else(|| err(format!("filter tap {i} out of range")))?;
    *slot = v;
    Ok(())
}

pub fn transform_table(c: &mut Cursor<'_>) -> Result<Filters> {
    c.u16("DTT length")?;
    let at = c.pos;
    let hisz = usize::from(c.u8("DTT lowpass analysis filter length")?);
    let losz = usize::from(c.u8("DTT highpass analysis filter length")?);
    for (n, what) in [(hisz, "lowpass"), (losz, "highpass")] {
        if n == 0 || n > MAX_FILTER {
            return Err(err(format!(
                "DTT at offset {at}: {what} filter of {n} taps (1 to {MAX_FILTER} expected)"
            )));
        }
    }
    let hi = half_filter(c, hisz, 0, "DTT lowpass coefficient")?;
    let lo = half_filter(c, losz, 1, "DTT highpass coefficient")?;
    Ok(Filters { lo, hi })
}

/// The quantization table (Annex A.2.4): bin centre C and, per subband, bin width Q (0: not
/// transmitted) and zero-bin width Z.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantization {
    pub center: f32,
    pub q: [f32; SUBBANDS],
    pub z: [f32; SUBBANDS],
}

pub fn quantization_table(c: &mut Cursor<'_>) -> Result<Quantization> {
    c.u16("DQT length")?;
    let center = c.scaled("DQT bin centre")?;
    let mut q = [0f32; SUBBANDS];
    let mut z = [0f32; SUBBANDS];
    for (qi, zi) in q.iter_mut().zip(z.iter_mut()) {
        *qi = c.scaled("DQT bin width Q")?;
        *zi = c.scaled("DQT zero bin width Z")?;
    }
    Ok(Quantization { center, q, z })
}

/// One Huffman table as transmitted: code counts per length 1..16 and the symbols.
#[derive(Clone, Debug, PartialEq)]
pub struct HuffmanSpec {
    pub counts: [u8; 16],
    pub values: Vec<u8>,
}

/// Reads a DHT segment (one or more tables) into the table slots.
pub fn huffman_tables(
    c: &mut Cursor<'_>,
    slots: &mut [Option<HuffmanSpec>; HUFFMAN_TABLES],
) -> Result<()> {
    let at = c.pos;
    let len = usize::from(c.u16("DHT length")?);
    let body = c.bytes(
        len.checked_sub(2)
            .filter(|&n| n > 0)
            .ok_or_else(|| err(format!("DHT at offset {at}: length {len} too short")))?,
        "DHT tables",
    )?;
    let mut t = Cursor::new(body);
    while t.pos < body.len() {
        let id = t.u8("DHT table id")?;
        let slot = slots.get_mut(usize::from(id)).ok_or_else(|| {
            err(format!(
                "DHT at offset {at}: table id {id} (0 to {} expected)",
                HUFFMAN_TABLES - 1
            ))
        })?;
        let mut counts = [0u8; 16];
        for n in counts.iter_mut() {
            *n = t.u8("DHT code count")?;
        }
        let total: usize = counts.iter().map(|&n| usize::from(n)).sum();
        if total > 256 {
            return Err(err(format!(
                "DHT at offset {at}: table {id} has {total} codes (at most 256)"
            )));
        }
        let values = t.bytes(total, "DHT symbol values")?.to_vec();
        *slot = Some(HuffmanSpec { counts, values });
    }
    Ok(())
}

/// Reads a COM segment's text.
pub fn comment(c: &mut Cursor<'_>) -> Result<Vec<u8>> {
    let at = c.pos;
    let len = usize::from(c.u16("COM length")?);
    let n = len
        .checked_sub(2)
        .ok_or_else(|| err(format!("COM at offset {at}: length {len} too short")))?;
    Ok(c.bytes(n, "COM text")?.to_vec())
}

/// Reads a DRI segment: the restart interval (0: none).
pub fn restart_interval(c: &mut Cursor<'_>) -> Result<u16> {
    let at = c.pos;
    let len = usize::from(c.u16("DRI length")?);
    if len != 4 {
        return Err(err(format!(
            "DRI at offset {at}: length {len} (4 expected)"
        )));
    }
    c.u16("DRI restart interval")
}

/// Reads a block header (Annex A.2.6): its Huffman table selector.
pub fn block_header(c: &mut Cursor<'_>) -> Result<u8> {
    c.u16("SOB length")?;
    c.u8("SOB Huffman table selector")
}

/// The resolution from a NIST comment (`NIST_COM` followed by `NAME value` lines): the last
/// `PPI` entry, when it is a positive number.
pub fn nist_ppi(text: &[u8]) -> Option<u16> {
    let text = text.split(|&b| b == 0).next().unwrap_or_default();
    let text = String::from_utf8_lossy(text);
    if !text.starts_with("NIST_COM") {
        return None;
    }
    let mut ppi = None;
    for line in text.lines() {
        let line = line.trim_start();
        let (name, value) = line
            .split_once([' ', '\t'])
            .map_or((line, ""), |(n, v)| (n, v.trim()));
        if name == "PPI" {
            ppi = value
                .parse::<i64>()
                .ok()
                .filter(|&p| p > 0)
                .and_then(|p| u16::try_from(p).ok());
        }
    }
    ppi
}
