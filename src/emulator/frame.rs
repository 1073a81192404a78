//! The APDU framing every virtual chip shares (ISO/IEC 7816-3/-4 command APDUs, ICAO Doc
//! 9303-11 clause 9.8 for secure messaging): a command that does not parse is refused as a
//! wrong length, and ends the secure messaging session when its class claims secure messaging.

use crate::apdu::{Command, Response};
use crate::iso7816::refusal::ChipError;

/// A chip that handles parsed commands.
pub(super) trait ApduHandler {
    /// Handles one parsed command that arrived as `wire_len` bytes.
    fn handle(&mut self, cmd: &Command, wire_len: usize) -> Response;
    /// Ends the secure messaging session, if one is open.
    fn end_session(&mut self);
    /// The answer to a refused command.
    fn refuse(&mut self, e: ChipError) -> Response;
}

/// Processes one raw command APDU: parsed and handled, or refused.
pub(super) fn process(chip: &mut impl ApduHandler, apdu: &[u8]) -> Vec<u8> {
    let resp = match Command::parse(apdu) {
        Ok(cmd) => chip.handle(&cmd, apdu.len()),
        Err(_) => {
            // A malformed command in the secure messaging class ends the session.
            if apdu.first().is_some_and(|cla| cla & 0x0C == 0x0C) {
                chip.end_session();
            }
            chip.refuse(ChipError::wrong_length("malformed command APDU"))
        }
    };
    resp.to_bytes()
}
