//! The protocols that open or prove a chip (ICAO Doc 9303-11), each in one file holding both the
//! terminal and the chip role.

pub mod aa;
pub mod bac;
pub mod ca;
pub mod cvc;
pub mod pace;
pub mod ta;
