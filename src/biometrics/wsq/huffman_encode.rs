//! Entropy coding of quantized WSQ coefficients (FBI IAFIS-IC-0110 v3.1, Annex A.2.5 and
//! Table A.2): the coefficients of a block become symbols (1..=100 zero runs, 105/106 longer
//! runs with 8/16 extra bits, 101..=104 large coefficients with 8/16 extra bits, 107..=254 the
//! coefficients -73..=74); the Huffman table comes from the symbol counts as in JPEG (ISO/IEC
//! 10918-1 Annex K.2: code sizes from repeated merging of the two rarest symbols, a reserved
//! code point so that no code is all ones, lengths limited to 16 bits); codes are emitted most
//! significant bit first with a zero byte stuffed after every 0xFF and the last byte padded
//! with ones.

/// One coded symbol and its extra bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub symbol: u8,
    pub extra_bits: u8,
    pub extra: u16,
}

const MAX_RUN_DIRECT: u32 = 100;
const MIN_DIRECT: i32 = -73;
const MAX_DIRECT: i32 = 74;

fn run(out: &mut Vec<Symbol>, n: u32) {
    let s = if n <= MAX_RUN_DIRECT {
        Symbol {
            symbol: n as u8,
            extra_bits: 0,
            extra: 0,
        }
    } else if n <= 0xFF {
        Symbol {
            symbol: 105,
            extra_bits: 8,
            extra: n as u16,
        }
    } else {
        Symbol {
            symbol: 106,
            extra_bits: 16,
            extra: n as u16,
        }
    };
    out.push(s);
}

fn coefficient(out: &mut Vec<Symbol>, p: i16) {
    let v = i32::from(p);
    let m = v.unsigned_abs() as u16;
    let s = if (MIN_DIRECT..=MAX_DIRECT).contains(&v) {
        Symbol {
            symbol: (v + 180) as u8,
            extra_bits: 0,
            extra: 0,
        }
    } else if m <= 0xFF {
        Symbol {
            symbol: if v > 0 { 101 } else { 102 },
            extra_bits: 8,
            extra: m,
        }
    } else {
        Symbol {
            symbol: if v > 0 { 103 } else { 104 },
            extra_bits: 16,
            extra: m,
        }
    };
    out.push(s);
}

/// The symbols of one block's coefficients (each in -32767..=32767).
pub fn symbols(coefficients: &[i16], out: &mut Vec<Symbol>) {
    out.clear();
    let mut zeros: u32 = 0;
    for &p in coefficients {
        if p == 0 {
            zeros += 1;
            if zeros == 0xFFFF {
                run(out, zeros);
                zeros = 0;
            }
            continue;
        }
        if zeros > 0 {
            run(out, zeros);
            zeros = 0;
        }
        coefficient(out, p);
    }
    if zeros > 0 {
        run(out, zeros);
    }
}

/// A Huffman table: the DHT form (codes per length, symbols in code order) and the code and
/// length of every symbol.
pub struct Table {
    pub counts: [u8; 16],
    pub values: Vec<u8>,
    code: [u16; 256],
    size: [u8; 256],
}

/// Builds the table for the symbol counts `freq`.
pub fn table(freq: &[u64; 256]) -> Table {
    const N: usize = 257;
    let mut f = [0u64; N];
    for (d, s) in f.iter_mut().zip(freq) {
        *d = *s;
    }
    // The reserved symbol: keeps the all-ones code unused.
    if let Some(r) = f.last_mut() {
        *r = 1;
    }
    let mut size = [0usize; N];
    let mut next = [usize::MAX; N];
    loop {
        // The rarest symbol (the larger index on ties), then the next rarest.
        let least = |skip: usize| {
            let mut best: Option<usize> = None;
            for (i, &v) in f.iter().enumerate() {
                if v > 0 && i != skip && best.is_none_or(|b| v <= f.get(b).copied().unwrap_or(0)) {
                    best = Some(i);
                }
            }
            best
        };
        let Some(c1) = least(usize::MAX) else { break };
        let Some(c2) = least(c1) else { break };
        let merged = f.get(c1).copied().unwrap_or(0) + f.get(c2).copied().unwrap_or(0);
        if let Some(v) = f.get_mut(c1) {
            *v = merged;
        }
        if let Some(v) = f.get_mut(c2) {
            *v = 0;
        }
        let mut i = c1;
        loop {
            if let Some(s) = size.get_mut(i) {
                *s += 1;
            }
            match next.get(i) {
                Some(&n) if n != usize::MAX => i = n,
                _ => break,
            }
        }
        if let Some(n) = next.get_mut(i) {
            *n = c2;
        }
        let mut i = c2;
        while let Some(s) = size.get_mut(i) {
            *s += 1;
            i = next.get(i).copied().unwrap_or(usize::MAX);
        }
    }
    // Codes per length (lengths up to N - 1), then limited to 16 bits (Annex K.3).
    let mut bits = [0usize; N + 1];
    for &s in &size {
        if let Some(b) = bits.get_mut(s).filter(|_| s > 0) {
            *b += 1;
        }
    }
    let mut i = N;
    while i > 16 {
        while bits.get(i).copied().unwrap_or(0) > 0 {
            let mut j = i - 2;
            while j > 0 && bits.get(j).copied().unwrap_or(0) == 0 {
                j -= 1;
            }
            bits[i] -= 2;
            bits[i - 1] += 1;
            bits[j + 1] += 2;
            bits[j] -= 1;
        }
        i -= 1;
    }
    // Drop the reserved symbol's code: the longest.
    if let Some(b) = bits
        .get_mut(1..=16)
        .and_then(|b| b.iter_mut().rev().find(|b| **b > 0))
    {
        *b -= 1;
    }
    let mut counts = [0u8; 16];
    for (c, &b) in counts.iter_mut().zip(bits.get(1..=16).unwrap_or_default()) {
        *c = b as u8;
    }
    // Symbols in order of code size, then value (the reserved symbol, 256, is last and dropped).
    let mut order: Vec<(usize, u8)> = size
        .iter()
        .enumerate()
        .take(256)
        .filter(|(_, s)| **s > 0)
        .map(|(v, &s)| (s, v as u8))
        .collect();
    order.sort_unstable();
    let values: Vec<u8> = order.into_iter().map(|(_, v)| v).collect();
    // Canonical codes from the counts (Annex C), as the decoder builds them.
    let mut code = [0u16; 256];
    let mut size8 = [0u8; 256];
    let mut c: u32 = 0;
    let mut k = values.iter();
    for (len, &n) in counts.iter().enumerate() {
        for _ in 0..n {
            if let Some(&v) = k.next()
                && let (Some(slot), Some(sz)) =
                    (code.get_mut(usize::from(v)), size8.get_mut(usize::from(v)))
            {
                *slot = c as u16;
                *sz = len as u8 + 1;
            }
            c += 1;
        }
        c <<= 1;
    }
    Table {
        counts,
        values,
        code,
        size: size8,
    }
}

/// Counts the symbols of a block into `freq`.
pub fn count(symbols: &[Symbol], freq: &mut [u64; 256]) {
    for s in symbols {
        if let Some(f) = freq.get_mut(usize::from(s.symbol)) {
            *f += 1;
        }
    }
}

/// Writes the entropy-coded data of one block to `out`.
pub fn emit(symbols: &[Symbol], table: &Table, out: &mut Vec<u8>) {
    let mut acc: u64 = 0;
    let mut nbits: u32 = 0;
    let flush = |acc: &mut u64, nbits: &mut u32, out: &mut Vec<u8>| {
        while *nbits >= 8 {
            *nbits -= 8;
            let b = (*acc >> *nbits) as u8;
            out.push(b);
            if b == 0xFF {
                out.push(0);
            }
        }
        *acc &= (1u64 << *nbits) - 1;
    };
    for s in symbols {
        let i = usize::from(s.symbol);
        let (code, len) = (
            table.code.get(i).copied().unwrap_or(0),
            table.size.get(i).copied().unwrap_or(0),
        );
        acc = (acc << len) | u64::from(code);
        nbits += u32::from(len);
        if s.extra_bits > 0 {
            acc = (acc << s.extra_bits) | u64::from(s.extra);
            nbits += u32::from(s.extra_bits);
        }
        flush(&mut acc, &mut nbits, out);
    }
    if nbits > 0 {
        let pad = 8 - nbits;
        acc = (acc << pad) | ((1u64 << pad) - 1);
        nbits += pad;
        flush(&mut acc, &mut nbits, out);
    }
}

#[cfg(test)]
mod tests {
    use super::super::huffman;
    use super::super::markers::HuffmanSpec;
    use super::*;

    #[test]
    fn symbols_follow_table_a2() {
        let mut out = Vec::new();
        symbols(&[0, 0, 5, -73, 74, -74, 300, -300, 0], &mut out);
        let s: Vec<(u8, u16)> = out.iter().map(|s| (s.symbol, s.extra)).collect();
        assert_eq!(
            s,
            [
                (2, 0),
                (185, 0),
                (107, 0),
                (254, 0),
                (102, 74),
                (103, 300),
                (104, 300),
                (1, 0)
            ]
        );
        let mut zeros = vec![0i16; 300];
        zeros.push(1);
        symbols(&zeros, &mut out);
        assert_eq!((out[0].symbol, out[0].extra), (106, 300));
        symbols(&zeros[..150], &mut out);
        assert_eq!((out[0].symbol, out[0].extra), (105, 150));
    }

    #[test]
    fn codes_are_limited_to_16_bits_and_decode_back() {
        // Fibonacci-like counts force code sizes past 16 before the limit.
        let mut freq = [0u64; 256];
        let mut a = 1u64;
        let mut b = 1u64;
        for f in freq.iter_mut().skip(1).take(40) {
            *f = a;
            (a, b) = (b, a + b);
        }
        let t = table(&freq);
        assert_eq!(t.counts.iter().map(|&c| usize::from(c)).sum::<usize>(), 40);
        assert!(t.size.iter().all(|&s| s <= 16));
        let coefficients: Vec<i16> = (0..2000).map(|i| ((i * 37) % 41) as i16 - 20).collect();
        let mut syms = Vec::new();
        symbols(&coefficients, &mut syms);
        let mut freq = [0u64; 256];
        count(&syms, &mut freq);
        let t = table(&freq);
        let mut data = Vec::new();
        emit(&syms, &t, &mut data);
        data.extend_from_slice(&[0xFF, 0xA1]);
        let spec = HuffmanSpec {
            counts: t.counts,
            values: t.values.clone(),
        };
        let d = huffman::Decoder::new(&spec);
        let mut out = vec![0i16; coefficients.len()];
        let mut next = 0;
        let end = huffman::decode_block(&data, 0, &d, &mut out, &mut next).unwrap();
        assert_eq!(end, data.len() - 2);
        assert_eq!(out, coefficients);
    }

    #[test]
    fn empty_and_single_symbol_tables() {
        let t = table(&[0; 256]);
        assert_eq!(t.counts, [0; 16]);
        let mut freq = [0u64; 256];
        freq[7] = 9;
        let t = table(&freq);
        assert_eq!(t.counts[0], 1);
        assert_eq!(t.values, [7]);
    }
}
