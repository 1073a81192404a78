//! The chip role's one error type: why a chip refuses a command. The kinds follow the error
//! status words of ISO/IEC 7816-4:2020 clause 5.6 (tables 5 to 7) that eMRTDs give (ICAO Doc
//! 9303-11 clauses 4.3, 4.4 and 9.8; BSI TR-03110-3 clause B.11), and each refusal carries a
//! short reason for traces and tests.
//!
//! The chip-side parsers here and the chip sides of the access protocols return [`ChipError`];
//! only the virtual chip turns a refusal into a status word, in one function
//! (`emulator::refusal::status_word`), so both stay free of raw status words.

use std::fmt;

/// The kinds of refusal a chip gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// Authentication or verification failed: a wrong password token, cryptogram or signature.
    VerificationFailed,
    /// Wrong length: Lc, Le or the data field has a length the command does not allow.
    WrongLength,
    /// Security status not satisfied: the access rule asks for secure messaging or rights.
    SecurityStatus,
    /// Conditions of use not satisfied: the command comes out of sequence or is not offered.
    Conditions,
    /// Reference data not usable: the data field is coded otherwise than the command defines
    /// (CREATE FILE without its FCP tag) or contradicts the chip's state (a lock whose
    /// personalization digest is not the chip's).
    DataInvalid,
    /// No current elementary file.
    NoCurrentEf,
    /// Expected secure messaging data objects missing.
    SmObjectsMissing,
    /// Secure messaging data objects incorrect (a wrong MAC, a malformed object).
    SmObjectsIncorrect,
    /// Command chaining is not supported for this command.
    ChainingNotSupported,
    /// Incorrect parameters in the command data field.
    WrongData,
    /// File or application not found.
    FileNotFound,
    /// Incorrect parameters P1-P2.
    WrongP1P2,
    /// Nc inconsistent with P1-P2 (what a chip answers to a data field it expected otherwise).
    DataInconsistent,
    /// Referenced data (a key, a password, a protocol) not found.
    ReferenceNotFound,
    /// Wrong parameters P1-P2: an offset outside the file.
    OutsideFile,
    /// Instruction not supported.
    InsNotSupported,
    /// Class not supported.
    ClaNotSupported,
    /// No precise diagnosis: the chip itself failed (randomness, a cryptographic primitive).
    Internal,
}

impl Refusal {
    /// Every kind, for tests that must cover them all.
    pub const ALL: [Refusal; 18] = [
        Refusal::VerificationFailed,
        Refusal::WrongLength,
        Refusal::SecurityStatus,
        Refusal::Conditions,
        Refusal::DataInvalid,
        Refusal::NoCurrentEf,
        Refusal::SmObjectsMissing,
        Refusal::SmObjectsIncorrect,
        Refusal::ChainingNotSupported,
        Refusal::WrongData,
        Refusal::FileNotFound,
        Refusal::WrongP1P2,
        Refusal::DataInconsistent,
        Refusal::ReferenceNotFound,
        Refusal::OutsideFile,
        Refusal::InsNotSupported,
        Refusal::ClaNotSupported,
        Refusal::Internal,
    ];
}

/// A chip's refusal of a command: its kind and a short reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChipError {
    /// What kind of refusal (it decides the status word).
    pub kind: Refusal,
    /// Why, in a few words, for traces and tests.
    pub reason: &'static str,
}

/// The result of a chip-side step.
pub type ChipResult<T> = std::result::Result<T, ChipError>;

impl ChipError {
    /// A refusal of `kind` for `reason`.
    pub const fn new(kind: Refusal, reason: &'static str) -> Self {
        ChipError { kind, reason }
    }

    /// [`Refusal::VerificationFailed`].
    pub const fn verification_failed(reason: &'static str) -> Self {
        Self::new(Refusal::VerificationFailed, reason)
    }

    /// [`Refusal::WrongLength`].
    pub const fn wrong_length(reason: &'static str) -> Self {
        Self::new(Refusal::WrongLength, reason)
    }

    /// [`Refusal::SecurityStatus`].
    pub const fn security_status(reason: &'static str) -> Self {
        Self::new(Refusal::SecurityStatus, reason)
    }

    /// [`Refusal::Conditions`].
    pub const fn conditions(reason: &'static str) -> Self {
        Self::new(Refusal::Conditions, reason)
    }

    /// [`Refusal::WrongData`].
    pub const fn wrong_data(reason: &'static str) -> Self {
        Self::new(Refusal::WrongData, reason)
    }

    /// [`Refusal::WrongP1P2`].
    pub const fn wrong_p1p2(reason: &'static str) -> Self {
        Self::new(Refusal::WrongP1P2, reason)
    }

    /// [`Refusal::ReferenceNotFound`].
    pub const fn reference_not_found(reason: &'static str) -> Self {
        Self::new(Refusal::ReferenceNotFound, reason)
    }

    /// [`Refusal::Internal`].
    pub const fn internal(reason: &'static str) -> Self {
        Self::new(Refusal::Internal, reason)
    }
}

impl fmt::Display for ChipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.reason)
    }
}

impl std::error::Error for ChipError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_displays_its_reason() {
        let mut seen = std::collections::HashSet::new();
        for kind in Refusal::ALL {
            assert!(seen.insert(kind), "{kind:?} listed twice");
            // A new kind must be added to ALL: this match has no wildcard.
            match kind {
                Refusal::VerificationFailed
                | Refusal::WrongLength
                | Refusal::SecurityStatus
                | Refusal::Conditions
                | Refusal::DataInvalid
                | Refusal::NoCurrentEf
                | Refusal::SmObjectsMissing
                | Refusal::SmObjectsIncorrect
                | Refusal::ChainingNotSupported
                | Refusal::WrongData
                | Refusal::FileNotFound
                | Refusal::WrongP1P2
                | Refusal::DataInconsistent
                | Refusal::ReferenceNotFound
                | Refusal::OutsideFile
                | Refusal::InsNotSupported
                | Refusal::ClaNotSupported
                | Refusal::Internal => {}
            }
        }
        let e = ChipError::wrong_data("no key in MSE:Set KAT");
        assert_eq!(e.to_string(), "WrongData: no key in MSE:Set KAT");
    }
}
