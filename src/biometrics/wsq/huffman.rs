//! Entropy-coded WSQ blocks (FBI IAFIS-IC-0110 v3.1, Annex A.2.5 and A.3.1): canonical Huffman
//! codes of up to 16 bits built from the DHT counts, 0xFF00 byte stuffing, and the symbol
//! alphabet of Table A.2 — 1..=100 a run of that many zero coefficients, 101/102 a positive or
//! negative coefficient in the next 8 bits, 103/104 the same in 16 bits, 105/106 a zero run
//! whose length is in the next 8 or 16 bits, 107..=254 the coefficient `symbol - 180`.

use super::err;
use super::markers::HuffmanSpec;
use crate::error::Result;

/// Decoding tables for one Huffman table (lengths 1..=16, index 0 unused).
pub struct Decoder<'t> {
    values: &'t [u8],
    max_code: [i32; 17],
    min_code: [i32; 17],
    first_value: [usize; 17],
}

impl<'t> Decoder<'t> {
    pub fn new(spec: &'t HuffmanSpec) -> Decoder<'t> {
        let mut max_code = [-1i32; 17];
        let mut min_code = [0i32; 17];
        let mut first_value = [0usize; 17];
        let mut code: i32 = 0;
        let mut k = 0usize;
        for (len, &count) in spec.counts.iter().enumerate() {
            let l = len + 1;
            let n = usize::from(count);
            if n > 0 {
                first_value[l] = k;
                min_code[l] = code;
                code += i32::from(count);
                k += n;
                max_code[l] = code - 1;
            }
            // 16 lengths of at most 256 codes each: no overflow in i32.
            code <<= 1;
        }
        Decoder {
            values: &spec.values,
            max_code,
            min_code,
            first_value,
        }
    }
}

/// Reads the bits of one block's entropy-coded data.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    byte: u8,
    left: u8,
}

/// What reading a bit met.
enum Bit {
    Value(u32),
    /// A marker starts at this offset.
    Marker(usize),
}

impl Bits<'_> {
    fn bit(&mut self) -> Bit {
        if self.left == 0 {
            let Some(&b) = self.data.get(self.pos) else {
                return Bit::Marker(self.pos);
            };
            if b == 0xFF {
                match self.data.get(self.pos + 1) {
                    Some(0) => self.pos += 2,
                    _ => return Bit::Marker(self.pos),
                }
            } else {
                self.pos += 1;
            }
            self.byte = b;
            self.left = 8;
        }
        self.left -= 1;
        Bit::Value(u32::from((self.byte >> self.left) & 1))
    }

    fn bits(&mut self, n: u32, what: &str) -> Result<u32> {
        let mut v = 0;
        for _ in 0..n {
            match self.bit() {
                Bit::Value(b) => v = (v << 1) | b,
                Bit::Marker(at) => {
                    return Err(err(format!(
                        "{what}: {n} bits expected, a marker or the end of the file comes at offset {at}"
                    )));
                }
            }
        }
        Ok(v)
    }
}

/// Decodes one block starting at `start` into `out` from position `*next`; returns the offset
/// of the marker that ends the block. Restart markers (RST0..7) inside the block restart the
/// bit stream at a byte boundary.
pub fn decode_block(
    data: &[u8],
    start: usize,
    table: &Decoder<'_>,
    out: &mut [i16],
    next: &mut usize,
) -> Result<usize> {
    let mut bits = Bits {
        data,
        pos: start,
        byte: 0,
        left: 0,
    };
    loop {
        // One Huffman code, bit by bit.
        let mut code: i32 = 0;
        let mut len = 0usize;
        let symbol = loop {
            match bits.bit() {
                Bit::Value(b) => code = (code << 1) | b as i32,
                Bit::Marker(at) => {
                    let m = data.get(at + 1).copied();
                    if matches!(m, Some(0xB0..=0xB7)) {
                        bits.pos = at + 2;
                        bits.left = 0;
                        len = 0;
                        code = 0;
                        continue;
                    }
                    return Ok(at);
                }
            }
            len += 1;
            let (Some(&max), Some(&min), Some(&first)) = (
                table.max_code.get(len),
                table.min_code.get(len),
                table.first_value.get(len),
            ) else {
                return Err(err(format!(
                    "Huffman code longer than 16 bits before offset {}",
                    bits.pos
                )));
            };
            if code <= max {
                let index = usize::try_from(code - min)
                    .ok()
                    .and_then(|d| first.checked_add(d))
                    .unwrap_or(usize::MAX);
                break *table.values.get(index).ok_or_else(|| {
                    err(format!(
                        "Huffman code with no symbol before offset {}",
                        bits.pos
                    ))
                })?;
            }
        };
        let at = bits.pos;
        match symbol {
            1..=100 => run(out, next, usize::from(symbol), at)?,
            105 => {
                let n = bits.bits(8, "zero run length")?;
                run(out, next, n as usize, at)?
            }
            106 => {
                let n = bits.bits(16, "zero run length")?;
                run(out, next, n as usize, at)?
            }
            101 => store(out, next, bits.bits(8, "coefficient")? as i16, at)?,
            102 => store(
                out,
                next,
                (bits.bits(8, "coefficient")? as i16).wrapping_neg(),
                at,
            )?,
            103 => store(out, next, bits.bits(16, "coefficient")? as u16 as i16, at)?,
            104 => store(
                out,
                next,
                (bits.bits(16, "coefficient")? as u16 as i16).wrapping_neg(),
                at,
            )?,
            107..=254 => store(out, next, i16::from(symbol) - 180, at)?,
            s => {
                return Err(err(format!(
                    "Huffman symbol {s} before offset {at} is not in the WSQ alphabet"
                )));
            }
        }
    }
}

fn run(out: &[i16], next: &mut usize, n: usize, at: usize) -> Result<()> {
    let end = next.saturating_add(n);
    if end > out.len() {
        return Err(err(format!(
            "zero run before offset {at} goes past the {} coefficients of the image",
            out.len()
        )));
    }
    *next = end;
    Ok(())
}

fn store(out: &mut [i16], next: &mut usize, v: i16, at: usize) -> Result<()> {
    let total = out.len();
    let slot = out.get_mut(*next).ok_or_else(|| {
        err(format!(
            "coefficient before offset {at} goes past the {total} coefficients of the image"
        ))
    })?;
    *slot = v;
    *next += 1;
    Ok(())
}
