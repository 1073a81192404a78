//! The codestream syntax of ISO/IEC 15444-1 Annex A for a single-tile, single-layer lossless
//! image: SOC (A.4.1), SIZ (A.5.1), COD (A.6.1: LRCP, one layer, 64x64 code-blocks, no
//! code-block style, 5/3 reversible, default precincts), QCD (A.6.4: no quantization, one
//! exponent per subband, Annex E.1.1 `epsilon_b = R_I + log2(gain_b)`), one tile-part with SOT
//! (A.4.2) and SOD (A.4.3), and EOC (A.4.4).

use crate::error::Result;

use super::err;

/// What the main header says.
pub(super) struct Header {
    pub width: u32,
    pub height: u32,
    pub components: u16,
    /// Bits per sample (8, unsigned).
    pub depth: u8,
    pub levels: u8,
    /// Multiple component transform: the reversible colour transform (RCT, Annex G.2).
    pub mct: bool,
    pub guard_bits: u8,
}

fn marker(out: &mut Vec<u8>, code: u8, body: &[u8]) -> Result<()> {
    let len = u16::try_from(body.len() + 2).map_err(|_| err("marker segment too long"))?;
    out.extend_from_slice(&[0xFF, code]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(body);
    Ok(())
}

/// The exponent `epsilon_b` of each subband in QCD order (LL of the last level, then HL, LH,
/// HH from the last level to the first): bit depth plus the log2 gain of Table E.1 / E-5
/// (0 for LL, 1 for HL and LH, 2 for HH).
pub(super) fn exponents(depth: u8, levels: u8) -> Vec<u8> {
    let mut e = vec![depth];
    for _ in 0..levels {
        e.extend_from_slice(&[depth + 1, depth + 1, depth + 2]);
    }
    e
}

/// The whole codestream around the packets of the one tile.
pub(super) fn write(h: &Header, packets: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(packets.len() + 128);
    out.extend_from_slice(&[0xFF, 0x4F]);

    let mut siz = Vec::new();
    siz.extend_from_slice(&0u16.to_be_bytes()); // Rsiz: no restrictions beyond Part 1
    for v in [h.width, h.height, 0, 0, h.width, h.height, 0, 0] {
        siz.extend_from_slice(&v.to_be_bytes());
    }
    siz.extend_from_slice(&h.components.to_be_bytes());
    for _ in 0..h.components {
        siz.extend_from_slice(&[h.depth.saturating_sub(1), 1, 1]); // unsigned, no subsampling
    }
    marker(&mut out, 0x51, &siz)?;

    let cod = [
        0,               // Scod: default precincts, no SOP, no EPH
        0,               // progression LRCP
        0,               // layers (high byte)
        1,               // layers: 1
        u8::from(h.mct), // multiple component transform
        h.levels,        // decomposition levels
        4,               // code-block width 2^(4+2)
        4,               // code-block height 2^(4+2)
        0,               // code-block style: none
        1,               // 5/3 reversible
    ];
    marker(&mut out, 0x52, &cod)?;

    let mut qcd = vec![h.guard_bits << 5]; // no quantization
    qcd.extend(exponents(h.depth, h.levels).iter().map(|e| e << 3));
    marker(&mut out, 0x5C, &qcd)?;

    // SOT + SOD + data: Psot counts from the SOT marker to the end of the tile-part.
    let psot = u32::try_from(packets.len() + 14).map_err(|_| err("tile-part too long"))?;
    let mut sot = vec![0, 0]; // tile 0
    sot.extend_from_slice(&psot.to_be_bytes());
    sot.extend_from_slice(&[0, 1]); // tile-part 0 of 1
    marker(&mut out, 0x90, &sot)?;
    out.extend_from_slice(&[0xFF, 0x93]);
    out.extend_from_slice(packets);
    out.extend_from_slice(&[0xFF, 0xD9]);
    Ok(out)
}
