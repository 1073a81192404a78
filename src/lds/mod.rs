//! The Logical Data Structure of an eMRTD (ICAO Doc 9303 Part 10): file identifiers, EF.COM and
//! the data groups dactyl understands.

pub mod com;
pub mod dg1;
pub mod dg15;
pub mod files;
pub mod mrz;
pub mod ca_public_key;
pub mod security_infos;
pub mod sod;
