//! The crate's one error type: a variant per layer, each saying what was expected and what came.
//!
//! Nothing that input (a chip, a file, an argument) can reach panics; it ends up here instead.
//! Also the ISO/IEC 7816-4 status word (clause 5.6), which errors carry.

use std::fmt;

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
    /// A check that ran and gave a negative answer with its own exit code (a finger the chip
    /// did not match, a blocked reference): not a failure of the tool.
    #[error("{message}")]
    Verdict {
        /// The command's exit code.
        code: u8,
        /// What the answer was.
        message: String,
    },
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

/// A status word that prints with its meaning, e.g. `6982 (security status not satisfied)`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct StatusWord(pub u16);

impl StatusWord {
    /// What ISO 7816-4 / ICAO 9303-11 say this status word means.
    pub fn meaning(self) -> String {
        let [sw1, sw2] = self.0.to_be_bytes();
        let fixed = match self.0 {
            0x9000 => "success",
            0x6281 => "part of returned data may be corrupted",
            0x6282 => "end of file reached before reading Ne bytes",
            0x6283 => "selected file deactivated",
            0x6300 => "authentication failed",
            0x6581 => "memory failure",
            0x6700 => "wrong length",
            0x6881 => "logical channel not supported",
            0x6882 => "secure messaging not supported",
            0x6982 => "security status not satisfied",
            0x6983 => "authentication method blocked",
            0x6984 => "reference data not usable",
            0x6985 => "conditions of use not satisfied",
            0x6986 => "command not allowed (no current EF)",
            0x6987 => "expected secure messaging data objects missing",
            0x6988 => "incorrect secure messaging data objects",
            0x6A80 => "incorrect parameters in the command data field",
            0x6A81 => "function not supported",
            0x6A82 => "file or application not found",
            0x6A86 => "incorrect parameters P1-P2",
            0x6A87 => "Nc inconsistent with P1-P2",
            0x6A88 => "referenced data not found",
            0x6B00 => "wrong parameters P1-P2 (offset outside the EF)",
            0x6D00 => "instruction not supported",
            0x6E00 => "class not supported",
            0x6F00 => "no precise diagnosis",
            _ => "",
        };
        if !fixed.is_empty() {
            return fixed.to_string();
        }
        match sw1 {
            0x61 => format!("{sw2} more response bytes available (GET RESPONSE)"),
            0x6C => format!(
                "wrong Le: exactly {} bytes available",
                if sw2 == 0 { 256 } else { usize::from(sw2) }
            ),
            0x63 if sw2 & 0xF0 == 0xC0 => format!("verification failed, {} tries left", sw2 & 0x0F),
            0x62 | 0x63 => "warning".to_string(),
            0x64..=0x66 => "execution error".to_string(),
            0x67..=0x6F => "checking error".to_string(),
            _ => "unknown status".to_string(),
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X} ({})", self.0, self.meaning())
    }
}

impl fmt::Debug for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
