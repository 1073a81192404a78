//! dactyl: a toolkit for the chips in biometric passports and national ID cards (ICAO Doc 9303
//! eMRTDs).
//!
//! It talks to a chip over PC/SC with ISO/IEC 7816-4 APDUs ([`apdu`], [`iso7816`],
//! [`transport`]), opens it with Basic Access Control ([`access::bac`]) and secure messaging
//! ([`sm`]), reads its files with as few APDUs as the chip allows ([`reader`]), parses the
//! logical data structure ([`lds`]), and emulates a chip in software ([`emulator`]), in-process
//! or as a card behind pcscd's vpcd driver. The `dactyl` binary (module `cli`, feature `cli`) is a thin layer over
//! these modules.
//!
//! # Layers
//!
//! Each module imports only from its own layer and the layers below it; `tests/layers.rs`
//! reads every `crate::` path in the sources and fails on an import from a layer above.
//!
//! | layer | what | modules |
//! |---|---|---|
//! | 0 | base: the error type, object identifiers, randomness, dates and times, bounded file reads, big-endian unsigned integers | error, oids, rand, time, fsio, uint |
//! | 1 | codecs: BER-TLV and ASN.1, APDUs, the ISO/IEC 7816-4 commands both roles build and parse alike | tlv, asn1, apdu, iso7816 |
//! | 2 | cryptography: hashes, ciphers and MACs, key derivation, curves, public keys, signatures, PEM | crypto |
//! | 3 | transports and secure messaging | transport, sm |
//! | 4 | PKI: X.509, CRLs, CMS, trust store, Passive Authentication reports | pki |
//! | 5 | biometric records | biometrics |
//! | 6 | the logical data structure: data groups, SOD content, SecurityInfos | lds |
//! | 7 | access protocols, both roles: BAC, PACE, CA, TA, AA, CV certificates | access |
//! | 8 | issuance: the enrolment policy, X.509 certificates and CRLs, SOD and EF.CardSecurity signing, test PKIs, CV certificates and test CV PKIs, chip images | issuance |
//! | 9 | the border reader, with Passive Authentication of what it read | reader |
//! | 10 | the virtual chip | emulator |
//! | 11 | the front door ([`easy`]) and the command line | easy, cli |

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod access;
pub mod apdu;
pub mod asn1;
pub mod biometrics;
#[cfg(feature = "cli")]
pub mod cli;
pub mod crypto;
pub mod easy;
pub mod emulator;
pub mod error;
pub mod fsio;
pub mod iso7816;
pub mod issuance;
pub mod lds;
pub mod oids;
pub mod pki;
pub mod rand;
pub mod reader;
pub mod sm;
pub mod time;
pub mod tlv;
pub mod transport;
pub mod uint;

pub use error::{Error, Result};
