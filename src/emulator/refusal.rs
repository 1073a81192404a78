//! The one place where the virtual chip turns a refusal ([`ChipError`], from the codecs'
//! chip-side parsers and the access protocols' chip sides) into the status word it answers,
//! after ISO/IEC 7816-4:2020 clause 5.6 and the status words ICAO Doc 9303-11 and BSI
//! TR-03110-3 clause B.11 name for the eMRTD commands.

use super::chip::VirtualChip;
use crate::apdu::{Response, sw};
use crate::iso7816::refusal::{ChipError, Refusal};

/// The status word for a refusal of `kind`.
pub fn status_word(kind: Refusal) -> u16 {
    match kind {
        Refusal::VerificationFailed => sw::VERIFICATION_FAILED,
        Refusal::WrongLength => sw::WRONG_LENGTH,
        Refusal::SecurityStatus => sw::SECURITY_STATUS,
        Refusal::Conditions => sw::CONDITIONS,
        Refusal::DataInvalid => sw::DATA_INVALID,
        Refusal::NoCurrentEf => sw::NO_CURRENT_EF,
        Refusal::SmObjectsMissing => sw::SM_MISSING,
        Refusal::SmObjectsIncorrect => sw::SM_INCORRECT,
        Refusal::ChainingNotSupported => sw::CHAINING_NOT_SUPPORTED,
        Refusal::WrongData => sw::WRONG_DATA,
        Refusal::FileNotFound => sw::FILE_NOT_FOUND,
        Refusal::WrongP1P2 => sw::WRONG_P1P2,
        Refusal::DataInconsistent => sw::NC_INCONSISTENT,
        Refusal::ReferenceNotFound => sw::REF_NOT_FOUND,
        Refusal::OutsideFile => sw::WRONG_PARAMS,
        Refusal::InsNotSupported => sw::INS_NOT_SUPPORTED,
        Refusal::ClaNotSupported => sw::CLA_NOT_SUPPORTED,
        Refusal::Internal => sw::UNKNOWN,
    }
}

impl VirtualChip {
    /// The answer to a refused command; the refusal is kept for [`VirtualChip::last_refusal`].
    pub(super) fn refuse(&mut self, e: ChipError) -> Response {
        self.last_refusal = Some(e);
        Response::sw(status_word(e.kind))
    }

    /// Why the chip refused the last command it refused (its kind and reason), for traces and
    /// tests.
    pub fn last_refusal(&self) -> Option<ChipError> {
        self.last_refusal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_error_status_word() {
        let mut seen = std::collections::HashSet::new();
        for kind in Refusal::ALL {
            let status = status_word(kind);
            assert!(seen.insert(status), "{kind:?}: {status:04X} twice");
            // An error, never a normal or warning status (ISO/IEC 7816-4 clause 5.6).
            assert!(
                matches!(status >> 8, 0x63 | 0x67..=0x6F),
                "{kind:?}: {status:04X}"
            );
        }
    }
}
