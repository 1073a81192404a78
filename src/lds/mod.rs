//! The Logical Data Structure of an eMRTD (ICAO Doc 9303 Part 10): file identifiers, EF.COM and
//! the data groups dactyl understands.

pub mod biometric_group;
pub mod ca_public_key;
pub mod com;
pub mod dg1;
pub mod dg15;
pub mod dg2;
pub mod dg3;
pub mod files;
pub mod inspect;
pub mod moc_bit;
pub mod mrz;
pub mod security_infos;
pub mod sod;
