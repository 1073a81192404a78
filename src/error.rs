//! The crate's one error type: a variant per layer, each saying what was expected and what came.
//!
//! Nothing that input (a chip, a file, an argument) can reach panics; it ends up here instead.

use crate::apdu::StatusWord;

/// Result alias used across dactyl.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in dactyl, grouped by layer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// pcscd is not running (SCARD_E_NO_SERVICE).
    #[error("PC/SC service not running: start pcscd")]
    PcscNotRunning,
    /// No PC/SC reader is attached.
    #[error("no smart card reader found")]
    NoReaders,
    /// The reader was named but does not exist, or none/several hold a card.
    #[error("{0}")]
    ReaderChoice(String),
    /// The card went away during a session.
    #[error("card removed from the reader")]
    CardRemoved,
    /// Any other PC/SC failure.
    #[error("PC/SC: {0}")]
    Pcsc(String),
    /// A transport-level failure (socket, framing, in-memory link).
    #[error("transport: {0}")]
    Transport(String),
    /// A byte string that is not a valid command or response APDU.
    #[error("malformed APDU: {0}")]
    Apdu(String),
    /// The card answered with an error status word.
    #[error("{context}: card returned {sw}")]
    Status {
        /// What was being done.
        context: String,
        /// The status word with its meaning.
        sw: StatusWord,
    },
    /// Malformed BER-TLV.
    #[error("TLV: {0}")]
    Tlv(String),
    /// Secure messaging failed: bad MAC, bad padding, missing data objects.
    #[error("secure messaging: {0}")]
    SecureMessaging(String),
    /// BAC (or later PACE) refused the keys.
    #[error("access denied: wrong MRZ/BAC keys")]
    AccessDenied,
    /// PACE refused the password.
    #[error("access denied: wrong {password} (chip answered {sw})")]
    PaceDenied {
        /// MRZ or CAN.
        password: &'static str,
        /// The chip's status word.
        sw: StatusWord,
    },
    /// A protocol step failed for a reason other than wrong keys.
    #[error("{protocol}: {reason}")]
    Protocol {
        /// BAC, PACE, ...
        protocol: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// An MRZ that does not parse or whose check digits fail.
    #[error("MRZ: {0}")]
    Mrz(String),
    /// Malformed ASN.1 (certificates, CMS, CRLs).
    #[error("ASN.1: {0}")]
    Asn1(String),
    /// A logical data structure file that does not parse.
    #[error("LDS: {0}")]
    Lds(String),
    /// A chip image file that cannot be loaded.
    #[error("chip image: {0}")]
    ChipImage(String),
    /// A bad command-line argument or option combination.
    #[error("{0}")]
    Usage(String),
    /// File system or socket I/O.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// An I/O error with context.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// A status-word error with context.
    pub fn status(context: impl Into<String>, sw: u16) -> Self {
        Error::Status {
            context: context.into(),
            sw: StatusWord(sw),
        }
    }

    /// The status word, if this error carries one.
    pub fn sw(&self) -> Option<u16> {
        match self {
            Error::Status { sw, .. } => Some(sw.0),
            _ => None,
        }
    }

    /// A protocol failure.
    pub fn protocol(protocol: &'static str, reason: impl Into<String>) -> Self {
        Error::Protocol {
            protocol,
            reason: reason.into(),
        }
    }
}
