//! dactyl: a toolkit for the chips in biometric passports and national ID cards (ICAO Doc 9303
//! eMRTDs).
//!
//! It talks to a chip over PC/SC with ISO/IEC 7816-4 APDUs ([`apdu`], [`transport`]), opens it
//! with Basic Access Control ([`access::bac`]) and secure messaging ([`sm`]), reads its files
//! with as few APDUs as the chip allows ([`reader`]), parses the logical data structure ([`lds`]),
//! and emulates a chip in software ([`emulator`]), in-process or as a card behind pcscd's vpcd
//! driver. The `dactyl` binary ([`cli`]) is a thin layer over these modules.

pub mod access;
pub mod apdu;
pub mod biometrics;
#[cfg(feature = "cli")]
pub mod cli;
pub mod emulator;
pub mod error;
pub mod fsio;
pub mod issuance;
pub mod lds;
pub mod pki;
pub mod reader;
pub mod sm;
pub mod tlv;
pub mod transport;

pub use error::{Error, Result};
