//! The MQ arithmetic encoder of ISO/IEC 15444-1 Annex C (C.2): probability estimation by the
//! Qe table (Table C.2), renormalisation, byte output with bit stuffing after 0xFF and the
//! flush procedure (C.2.9) that terminates a code-block's codeword segment.

/// One row of Table C.2: Qe, next index after an MPS, next index after an LPS, and whether an
/// LPS swaps the sense of the MPS.
struct QeRow {
    qe: u32,
    nmps: u8,
    nlps: u8,
    switch: bool,
}

const fn row(qe: u32, nmps: u8, nlps: u8, switch: u8) -> QeRow {
    QeRow {
        qe,
        nmps,
        nlps,
        switch: switch == 1,
    }
}

/// Table C.2, indices 0 to 46.
const QE: [QeRow; 47] = [
    row(0x5601, 1, 1, 1),
    row(0x3401, 2, 6, 0),
    row(0x1801, 3, 9, 0),
    row(0x0AC1, 4, 12, 0),
    row(0x0521, 5, 29, 0),
    row(0x0221, 38, 33, 0),
    row(0x5601, 7, 6, 1),
    row(0x5401, 8, 14, 0),
    row(0x4801, 9, 14, 0),
    row(0x3801, 10, 14, 0),
    row(0x3001, 11, 17, 0),
    row(0x2401, 12, 18, 0),
    row(0x1C01, 13, 20, 0),
    row(0x1601, 29, 21, 0),
    row(0x5601, 15, 14, 1),
    row(0x5401, 16, 14, 0),
    row(0x5101, 17, 15, 0),
    row(0x4801, 18, 16, 0),
    row(0x3801, 19, 17, 0),
    row(0x3401, 20, 18, 0),
    row(0x3001, 21, 19, 0),
    row(0x2801, 22, 19, 0),
    row(0x2401, 23, 20, 0),
    row(0x2201, 24, 21, 0),
    row(0x1C01, 25, 22, 0),
    row(0x1801, 26, 23, 0),
    row(0x1601, 27, 24, 0),
    row(0x1401, 28, 25, 0),
    row(0x1201, 29, 26, 0),
    row(0x1101, 30, 27, 0),
    row(0x0AC1, 31, 28, 0),
    row(0x09C1, 32, 29, 0),
    row(0x08A1, 33, 30, 0),
    row(0x0521, 34, 31, 0),
    row(0x0441, 35, 32, 0),
    row(0x02A1, 36, 33, 0),
    row(0x0221, 37, 34, 0),
    row(0x0141, 38, 35, 0),
    row(0x0111, 39, 36, 0),
    row(0x0085, 40, 37, 0),
    row(0x0049, 41, 38, 0),
    row(0x0025, 42, 39, 0),
    row(0x0015, 43, 40, 0),
    row(0x0009, 44, 41, 0),
    row(0x0005, 45, 42, 0),
    row(0x0001, 45, 43, 0),
    row(0x5601, 46, 46, 0),
];

/// Number of contexts used by the code-block coder (Table D.7).
pub(super) const CONTEXTS: usize = 19;

/// A context's state: index into [`QE`] and the current more probable symbol.
#[derive(Clone, Copy)]
struct State {
    index: u8,
    mps: u8,
}

/// The encoder registers A, C, CT and the output bytes; `out[0]` is the byte "before the start"
/// of C.2.1 and is dropped when the segment is flushed.
pub(super) struct MqEncoder {
    a: u32,
    c: u32,
    ct: u32,
    out: Vec<u8>,
    states: [State; CONTEXTS],
}

impl MqEncoder {
    /// INITENC (C.2.8) with the initial context states of Table D.7: every context at index
    /// 0 except the uniform context (46), the run-length context (3) and the all-zero
    /// neighbourhood significance context (4).
    pub(super) fn new() -> MqEncoder {
        let mut states = [State { index: 0, mps: 0 }; CONTEXTS];
        states[0].index = 4;
        states[17].index = 3;
        states[18].index = 46;
        MqEncoder {
            a: 0x8000,
            c: 0,
            ct: 12,
            out: vec![0],
            states,
        }
    }

    /// ENCODE (C.2.2): codes `bit` (0 or 1) in context `cx` (< [`CONTEXTS`]).
    pub(super) fn encode(&mut self, bit: u8, cx: usize) {
        let Some(state) = self.states.get(cx).copied() else {
            return;
        };
        let row = &QE[usize::from(state.index).min(QE.len() - 1)];
        let qe = row.qe;
        // A >= 0x8000 > Qe always holds here, so the subtraction cannot wrap.
        self.a -= qe;
        let next = if bit == state.mps {
            // CODEMPS (C.2.4)
            if self.a & 0x8000 != 0 {
                self.c += qe;
                return;
            }
            if self.a < qe {
                self.a = qe;
            } else {
                self.c += qe;
            }
            State {
                index: row.nmps,
                mps: state.mps,
            }
        } else {
            // CODELPS (C.2.5)
            if self.a < qe {
                self.c += qe;
            } else {
                self.a = qe;
            }
            State {
                index: row.nlps,
                mps: if row.switch { 1 - state.mps } else { state.mps },
            }
        };
        self.states[cx] = next;
        self.renormalise();
    }

    /// RENORME (C.2.6).
    fn renormalise(&mut self) {
        loop {
            self.a <<= 1;
            self.c <<= 1;
            self.ct -= 1;
            if self.ct == 0 {
                self.byte_out();
            }
            if self.a & 0x8000 != 0 {
                break;
            }
        }
    }

    /// BYTEOUT (C.2.7), with the carry into the last byte and bit stuffing after 0xFF.
    fn byte_out(&mut self) {
        let last = self.out.last().copied().unwrap_or(0);
        if last == 0xFF {
            self.push_7();
        } else if self.c < 0x800_0000 {
            self.push_8();
        } else {
            let carried = last.wrapping_add(1);
            if let Some(b) = self.out.last_mut() {
                *b = carried;
            }
            if carried == 0xFF {
                self.c &= 0x7FF_FFFF;
                self.push_7();
            } else {
                self.push_8();
            }
        }
    }

    fn push_7(&mut self) {
        self.out.push((self.c >> 20) as u8);
        self.c &= 0xF_FFFF;
        self.ct = 7;
    }

    fn push_8(&mut self) {
        self.out.push((self.c >> 19) as u8);
        self.c &= 0x7_FFFF;
        self.ct = 8;
    }

    /// FLUSH (C.2.9) and the codeword segment: SETBITS, two byte outputs, and a final 0xFF
    /// left out of the segment.
    pub(super) fn finish(mut self) -> Vec<u8> {
        let temp = self.c + self.a;
        self.c |= 0xFFFF;
        if self.c >= temp {
            self.c -= 0x8000;
        }
        self.c <<= self.ct;
        self.byte_out();
        self.c <<= self.ct;
        self.byte_out();
        if self.out.last() == Some(&0xFF) {
            self.out.pop();
        }
        if self.out.is_empty() {
            return Vec::new();
        }
        self.out.remove(0);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The MQ coder test sequence of ITU-T T.88 (JBIG2) Annex H.2, which uses the same coder
    /// and Qe table: 256 bits in one context starting at index 0, MPS 0.
    #[test]
    fn encodes_the_t88_test_sequence() {
        let input = hex::decode("00020051000000C00352872AAAAAAAAA82C02000FCD79EF6BF7FED904F46A3BF")
            .unwrap();
        let mut mq = MqEncoder::new();
        mq.states = [State { index: 0, mps: 0 }; CONTEXTS];
        for byte in input {
            for k in (0..8).rev() {
                mq.encode((byte >> k) & 1, 0);
            }
        }
        let out = mq.finish();
        // T.88 lists the same bytes followed by its own FF AC end marker, which JPEG 2000
        // does not use.
        let expected =
            hex::decode("84C73BFCE1A1430402200000410DBB86F4317FFF88FF37471ADB6ADF").unwrap();
        assert_eq!(hex::encode_upper(&out), hex::encode_upper(&expected));
    }
}
