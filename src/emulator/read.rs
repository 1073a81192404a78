//! READ BINARY on the virtual chip (ISO/IEC 7816-4 clause 11.3.3): even INS B0 with a 15-bit
//! offset in P1-P2 or a short EF identifier in P1, odd INS B1 with the offset in DO 54 and the
//! data in DO 53 (ICAO Doc 9303-10 clause 3.10.1 for offsets above 32767).

use super::chip::VirtualChip;
use crate::apdu::{Command, Response, sw};
use crate::lds::files::EfId;
use crate::tlv::{self, Tlv};

/// Files readable without secure messaging (9303-10 clause 4.6 and 3.11).
fn readable_in_plain(ef: EfId) -> bool {
    matches!(ef, EfId::CardAccess | EfId::AtrInfo)
}

/// Which file and offset a READ BINARY addresses.
pub(super) fn target(chip: &VirtualChip, cmd: &Command) -> Result<(EfId, usize), u16> {
    let in_app = chip.state.app_selected;
    let current = || chip.state.current_ef.ok_or(sw::NO_CURRENT_EF);
    if cmd.ins == 0xB0 {
        if cmd.p1 & 0x80 != 0 {
            if cmd.p1 & 0x60 != 0 {
                return Err(sw::WRONG_P1P2);
            }
            let ef = chip
                .fs
                .by_sfi(cmd.p1 & 0x1F, in_app)
                .ok_or(sw::FILE_NOT_FOUND)?;
            return Ok((ef, cmd.p2 as usize));
        }
        return Ok((current()?, u16::from_be_bytes([cmd.p1, cmd.p2]) as usize));
    }
    let offset = Tlv::parse_tagged(&cmd.data, 0x54)
        .ok()
        .filter(|t| (1..=3).contains(&t.value.len()))
        .map(|t| {
            t.value
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | b as usize)
        })
        .ok_or(sw::WRONG_DATA)?;
    let ef = match (cmd.p1, cmd.p2) {
        (0, 0) => current()?,
        (0, sfi @ 1..=0x1E) => chip.fs.by_sfi(sfi, in_app).ok_or(sw::FILE_NOT_FOUND)?,
        (a, b) => chip
            .fs
            .by_fid(u16::from_be_bytes([a, b]), in_app)
            .ok_or(sw::FILE_NOT_FOUND)?,
    };
    Ok((ef, offset))
}

/// Answers READ BINARY: `min(Ne, rest of file)` bytes; 6282 when the file ends before Ne bytes
/// (unless Ne was the "as many as available" maximum), 6B00 for an offset at or past the end.
pub(super) fn read_binary(chip: &mut VirtualChip, cmd: &Command, protected: bool) -> Response {
    let (ef, offset) = match target(chip, cmd) {
        Ok(t) => t,
        Err(status) => return Response::sw(status),
    };
    if !protected && !readable_in_plain(ef) {
        return Response::sw(sw::SECURITY_STATUS);
    }
    // Extended Access Control: DG3 and DG4 need Terminal Authentication with the right.
    if chip.ta.is_some() {
        let rights = chip.state.rights.unwrap_or_default();
        if (ef == EfId::Dg(3) && !rights.dg3) || (ef == EfId::Dg(4) && !rights.dg4) {
            return Response::sw(sw::SECURITY_STATUS);
        }
    }
    let Some(content) = chip.fs.get(ef) else {
        return Response::sw(sw::FILE_NOT_FOUND);
    };
    chip.state.current_ef = Some(ef);
    let Some(ne) = cmd.le else {
        return Response::sw(sw::WRONG_LENGTH);
    };
    let odd = cmd.ins == 0xB1;
    // DO 53 with its header needs at least 3 bytes.
    if odd && ne < 3 {
        return Response::sw(sw::WRONG_LENGTH);
    }
    // An offset past the last byte is outside the file (ISO/IEC 7816-4 clause 5.6: 6B00);
    // BSI TR-03105-3.2 ISO7816_M_6 reads EF.CVCA at offset 36.
    if offset > content.len() || (offset == content.len() && offset > 0) {
        return Response::sw(sw::WRONG_PARAMS);
    }
    let rest = &content[offset..];
    // For B1 the data travels in DO 53, whose header counts against Ne.
    let mut n = rest.len().min(ne);
    while odd && n > 0 && n + 1 + tlv::encode_len(n).len() > ne {
        n -= 1;
    }
    let data = if odd {
        tlv::encode(0x53, &rest[..n])
    } else {
        rest[..n].to_vec()
    };
    let wildcard = ne == crate::apdu::MAX_SHORT_NE || ne == crate::apdu::MAX_EXTENDED_NE;
    let short_read = data.len() < ne && !wildcard;
    if short_read && chip.config.wrong_le_6cxx && !odd && (1..=256).contains(&rest.len()) {
        return Response::sw(0x6C00 | (rest.len() % 256) as u16);
    }
    if data.is_empty() && !rest.is_empty() {
        // Ne too small for even the DO 53 header.
        return Response::sw(sw::WRONG_LENGTH);
    }
    Response::new(data, if short_read { sw::END_OF_FILE } else { sw::OK })
}
