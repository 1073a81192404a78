//! READ BINARY on the virtual chip (ISO/IEC 7816-4 clause 11.3.3, ICAO Doc 9303-10 clause
//! 3.10.1): the command is parsed, and the answer put in DO 53 for B1, by the codec the reader
//! builds with ([`crate::iso7816::read_binary`]); here are the file system, the access rules
//! and the status words.

use super::chip::VirtualChip;
use crate::apdu::{Command, MAX_EXTENDED_NE, MAX_SHORT_NE, Response, sw};
use crate::iso7816::read_binary::{FileRef, ReadBinary, encode_response};
use crate::iso7816::refusal::{ChipError, ChipResult, Refusal};
use crate::lds::files::EfId;

/// The status word family `6Cxx`: wrong Le, xx the bytes available (ISO/IEC 7816-4 clause 5.6).
const WRONG_LE: u16 = 0x6C00;

const NOT_FOUND: ChipError = ChipError::new(Refusal::FileNotFound, "READ BINARY: no such file");
const NO_LE: ChipError = ChipError::wrong_length("READ BINARY: Ne too small or absent");

/// Files readable without secure messaging (9303-10 clause 4.6 and 3.11).
fn readable_in_plain(ef: EfId) -> bool {
    matches!(ef, EfId::CardAccess | EfId::AtrInfo)
}

/// Which file and offset a READ BINARY addresses, and what it asks for.
pub(super) fn target(chip: &VirtualChip, cmd: &Command) -> ChipResult<(EfId, ReadBinary)> {
    let read = ReadBinary::parse(cmd)?;
    let in_app = chip.state.app_selected;
    let ef = match read.file {
        FileRef::Current => chip.state.current_ef.ok_or(ChipError::new(
            Refusal::NoCurrentEf,
            "READ BINARY: no file selected",
        ))?,
        FileRef::Sfi(sfi) => chip.fs.by_sfi(sfi, in_app).ok_or(NOT_FOUND)?,
        FileRef::Fid(fid) => chip.fs.by_fid(fid, in_app).ok_or(NOT_FOUND)?,
    };
    Ok((ef, read))
}

/// Answers READ BINARY: `min(Ne, rest of file)` bytes; 6282 when the file ends before Ne bytes
/// (unless Ne was the "as many as available" maximum), 6B00 for an offset at or past the end.
pub(super) fn read_binary(
    chip: &mut VirtualChip,
    cmd: &Command,
    protected: bool,
) -> ChipResult<Response> {
    let (ef, read) = target(chip, cmd)?;
    let (offset, odd) = (read.offset, read.odd);
    if !protected && !readable_in_plain(ef) {
        return Err(ChipError::security_status(
            "READ BINARY: file needs secure messaging",
        ));
    }
    // Extended Access Control: DG3 and DG4 need Terminal Authentication with the right.
    if chip.ta.is_some() {
        let rights = chip.state.rights.unwrap_or_default();
        if (ef == EfId::Dg(3) && !rights.dg3) || (ef == EfId::Dg(4) && !rights.dg4) {
            return Err(ChipError::security_status(
                "READ BINARY: DG3/DG4 need Terminal Authentication",
            ));
        }
    }
    let content = chip.fs.get(ef).ok_or(NOT_FOUND)?;
    chip.state.current_ef = Some(ef);
    let ne = read.ne.ok_or(NO_LE)?;
    // DO 53 with its header needs at least 3 bytes.
    if odd && ne < 3 {
        return Err(NO_LE);
    }
    // An offset past the last byte is outside the file (ISO/IEC 7816-4 clause 5.6: 6B00);
    // BSI TR-03105-3.2 ISO7816_M_6 reads EF.CVCA at offset 36.
    if offset > content.len() || (offset == content.len() && offset > 0) {
        return Err(ChipError::new(
            Refusal::OutsideFile,
            "READ BINARY: offset past the end of the file",
        ));
    }
    let rest = &content[offset..];
    // For B1 the data travels in DO 53, whose header counts against Ne.
    let data = encode_response(rest, ne, odd);
    let wildcard = ne == MAX_SHORT_NE || ne == MAX_EXTENDED_NE;
    let short_read = data.len() < ne && !wildcard;
    if short_read && chip.config.wrong_le_6cxx && !odd && (1..=256).contains(&rest.len()) {
        return Ok(Response::sw(WRONG_LE | (rest.len() % 256) as u16));
    }
    if data.is_empty() && !rest.is_empty() {
        // Ne too small for even the DO 53 header.
        return Err(NO_LE);
    }
    Ok(Response::new(
        data,
        if short_read { sw::END_OF_FILE } else { sw::OK },
    ))
}
