//! The virtual chip (ICAO Doc 9303 LDS1 eMRTD in software): file system, access rules, BAC and
//! secure messaging, loaded from a chip image file, or personalized from blank by an issuing
//! station and locked ([`perso`]). It implements
//! [`CardSide`](crate::transport::CardSide), so it runs in-process behind
//! [`InMemory`](crate::transport::memory::InMemory) or as a card in pcscd through vpcd.

mod auth;
pub mod chip;
mod frame;
pub mod fs;
pub mod guessing;
pub mod image;
mod image_checks;
pub mod moc;
pub mod paths;
pub mod perso;
pub mod quirks;
mod read;
pub mod refusal;
pub mod specimen;

pub use chip::{ChipConfig, ChipStats, VirtualChip};
pub use fs::{FileSystem, LengthSupport};
pub use image::ChipImage;
pub use paths::PathTrust;
pub use perso::{BlankChip, PersoChip, PersoState};
pub use quirks::Quirk;
