//! Tier-2 coding of ISO/IEC 15444-1 Annex B: packet headers (B.10) for one quality layer —
//! the zero-length-packet bit, code-block inclusion and zero bit-planes by tag trees (B.10.2,
//! B.10.4, B.10.5), the number of coding passes (B.10.6, Table B.4) and the codeword segment
//! length with its `Lblock` state (B.10.7.1) — written with the bit stuffing of B.10.1, each
//! followed by its body of code-block contributions.

use super::tier1::CodedBlock;

/// Packet header bits, MSB first, with a 0 bit stuffed after every 0xFF byte (B.10.1).
struct BitWriter {
    out: Vec<u8>,
    byte: u8,
    /// Bits still free in `byte`.
    free: u8,
}

impl BitWriter {
    fn new() -> BitWriter {
        BitWriter {
            out: Vec::new(),
            byte: 0,
            free: 8,
        }
    }

    fn put(&mut self, bit: bool) {
        self.free -= 1;
        if bit {
            self.byte |= 1 << self.free;
        }
        if self.free == 0 {
            self.emit();
        }
    }

    fn emit(&mut self) {
        self.out.push(self.byte);
        // After 0xFF the next byte carries only 7 bits: its MSB is the stuffed 0.
        self.free = if self.byte == 0xFF { 7 } else { 8 };
        self.byte = 0;
    }

    fn put_bits(&mut self, value: u32, count: u32) {
        for k in (0..count).rev() {
            self.put((value >> k) & 1 == 1);
        }
    }

    /// Pads the last byte with zeros; a header ending in 0xFF gets a 0x00 after it (B.10.1).
    fn finish(mut self) -> Vec<u8> {
        if self.free < 8 && !(self.free == 7 && self.out.last() == Some(&0xFF) && self.byte == 0) {
            self.emit();
        }
        if self.out.last() == Some(&0xFF) {
            self.out.push(0);
        }
        self.out
    }
}

/// A tag tree (B.10.2) over a `w x h` grid of leaf values, coded up to thresholds.
struct TagTree {
    /// Per level (leaves first): width, and each node's value, current lower bound, known.
    levels: Vec<(usize, Vec<Node>)>,
}

#[derive(Clone, Copy)]
struct Node {
    value: u32,
    low: u32,
    known: bool,
}

impl TagTree {
    fn new(w: usize, h: usize, values: &[u32]) -> TagTree {
        let leaf: Vec<Node> = values
            .iter()
            .map(|&value| Node {
                value,
                low: 0,
                known: false,
            })
            .collect();
        let mut levels = vec![(w, leaf)];
        let (mut cw, mut ch) = (w, h);
        while cw > 1 || ch > 1 {
            let (nw, nh) = (cw.div_ceil(2), ch.div_ceil(2));
            let below = &levels[levels.len() - 1].1;
            let mut nodes = Vec::with_capacity(nw * nh);
            for y in 0..nh {
                for x in 0..nw {
                    let mut value = u32::MAX;
                    for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                        let (cx, cy) = (2 * x + dx, 2 * y + dy);
                        if cx < cw && cy < ch {
                            value = value.min(below[cy * cw + cx].value);
                        }
                    }
                    nodes.push(Node {
                        value,
                        low: 0,
                        known: false,
                    });
                }
            }
            levels.push((nw, nodes));
            cw = nw;
            ch = nh;
        }
        TagTree { levels }
    }

    /// Codes leaf `(x, y)` against `threshold`: enough bits for the decoder to learn whether the
    /// value is below it, and the value itself if so.
    fn encode(&mut self, bits: &mut BitWriter, x: usize, y: usize, threshold: u32) {
        let mut path = Vec::with_capacity(self.levels.len());
        let (mut px, mut py) = (x, y);
        for (w, _) in &self.levels {
            path.push(py * w + px);
            px /= 2;
            py /= 2;
        }
        let mut low = 0;
        for (level, &index) in path.iter().enumerate().rev() {
            let node = &mut self.levels[level].1[index];
            if low > node.low {
                node.low = low;
            } else {
                low = node.low;
            }
            while low < threshold {
                if low >= node.value {
                    if !node.known {
                        bits.put(true);
                        node.known = true;
                    }
                    break;
                }
                bits.put(false);
                low += 1;
            }
            node.low = low;
        }
    }
}

/// One subband's code-blocks within the precinct: grid size and blocks in raster order.
pub(super) struct BandBlocks<'a> {
    pub cols: usize,
    pub rows: usize,
    pub blocks: &'a [CodedBlock],
    /// `Mb` of the subband (E-2): zero bit-planes are `Mb - bitplanes`.
    pub mb: u32,
}

/// The packet of one precinct in the single layer 0: header then body.
pub(super) fn packet(bands: &[BandBlocks]) -> Vec<u8> {
    let mut bits = BitWriter::new();
    let any = bands.iter().any(|b| b.blocks.iter().any(|c| c.passes > 0));
    bits.put(any);
    if !any {
        return bits.finish();
    }
    let mut body = Vec::new();
    for band in bands {
        let included: Vec<u32> = band
            .blocks
            .iter()
            .map(|c| u32::from(c.passes == 0))
            .collect();
        let zeros: Vec<u32> = band
            .blocks
            .iter()
            .map(|c| band.mb.saturating_sub(c.bitplanes))
            .collect();
        let mut inclusion = TagTree::new(band.cols, band.rows, &included);
        let mut zero_planes = TagTree::new(band.cols, band.rows, &zeros);
        for (k, block) in band.blocks.iter().enumerate() {
            let (x, y) = (k % band.cols.max(1), k / band.cols.max(1));
            inclusion.encode(&mut bits, x, y, 1);
            if block.passes == 0 {
                continue;
            }
            let p = zeros[k];
            zero_planes.encode(&mut bits, x, y, p + 1);
            passes(&mut bits, block.passes);
            length(&mut bits, block.passes, block.data.len() as u32);
            body.extend_from_slice(&block.data);
        }
    }
    let mut out = bits.finish();
    out.extend_from_slice(&body);
    out
}

/// The number of coding passes, codewords of Table B.4 (1 to 164).
fn passes(bits: &mut BitWriter, n: u32) {
    match n {
        1 => bits.put_bits(0, 1),
        2 => bits.put_bits(0b10, 2),
        3..=5 => bits.put_bits(0b1100 | (n - 3), 4),
        6..=36 => bits.put_bits(0b1_1110_0000 | (n - 6), 9),
        _ => bits.put_bits((0b1_1111_1111 << 7) | (n - 37).min(127), 16),
    }
}

/// The segment length in `Lblock + floor(log2(passes))` bits, after the `Lblock` increment
/// signalled as that many 1 bits and a 0 (B.10.7.1). `Lblock` starts at 3 for every block
/// and each block appears in one packet only, so the state is not kept.
fn length(bits: &mut BitWriter, passes: u32, len: u32) {
    let extra = u32::BITS - 1 - passes.max(1).leading_zeros();
    let needed = (u32::BITS - len.leading_zeros()).max(1);
    let mut lblock = 3;
    while lblock + extra < needed {
        bits.put(true);
        lblock += 1;
    }
    bits.put(false);
    bits.put_bits(len, lblock + extra);
}
