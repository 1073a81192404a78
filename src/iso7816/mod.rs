//! The ISO/IEC 7816-4 commands and data objects an eMRTD exchange is made of, each coded once
//! for both roles: the terminal (the reader, the access protocols' terminal side) builds with the
//! same code the chip (the virtual chip, the access protocols' chip side) parses, and the
//! reverse for responses.
//!
//! This is the codecs layer: it imports only [`crate::error`], [`crate::tlv`] and
//! [`crate::apdu`]. Chip-side parsers refuse a command with a [`refusal::ChipError`]; the
//! virtual chip alone turns it into a status word.

pub mod atr_info;
pub mod challenge;
pub mod data_objects;
pub mod general_authenticate;
pub mod mse;
pub mod perso;
pub mod pso;
pub mod read_binary;
pub mod refusal;
pub mod select;
