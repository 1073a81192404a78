//! A blank chip's description: what the chip can do before anything is written to it (APDU
//! lengths as ISO/IEC 7816-4 clause 5.1 and EF.ATR/INFO announce them, the curves it takes keys
//! on, a transport key protecting blank stock, the command profile), as JSON:
//!
//! ```json
//! {
//!   "description": "blank TD3 chip, short APDUs",
//!   "extended_length": false,
//!   "max_command_apdu": 261,
//!   "max_response_apdu": 258,
//!   "transport_key": "00112233445566778899AABBCCDDEEFF",
//!   "profile": "dactyl",
//!   "curves": [12, 13]
//! }
//! ```
//!
//! Every field is optional: `extended_length` (default true), `max_command_apdu` and
//! `max_response_apdu` (bytes on the wire, status word included; default the
//! [`LengthSupport`] of the length mode), `transport_key` (32 hex digits: a 16-byte BAC K_seed;
//! then every personalization command needs secure messaging opened by BAC with it),
//! `profile` (`"dactyl"` or `"jmrtd-applet"`, the JMRTD passport applet's command set: short
//! APDUs whatever `extended_length` says, no EF.ATR/INFO, no dactyl objects, no transport
//! key), `curves` (the standardized
//! domain parameter ids, ICAO Doc 9303-11 clause 9.5.1, of the curves the chip takes Chip and
//! Active Authentication keys on; default every curve dactyl knows). Unknown fields are refused.
//!
//! The largest command APDU applies while the chip is personalized; the operational chip keeps
//! the length mode and the largest response (a chip image has no field for the command size).

use crate::crypto::ec::Curve;
use crate::emulator::fs::LengthSupport;
use crate::error::{Error, Result};
use crate::fsio::read_text_bounded;
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

/// The command set a blank chip speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// dactyl's own chip: the applet's commands and dactyl's PUT DATA objects (P1 = DC), the
    /// lock with the personalization digest, EF.ATR/INFO readable from the start.
    #[default]
    Dactyl,
    /// The JMRTD passport applet: its commands only, short APDUs, at most 255 bytes an UPDATE
    /// BINARY, files up to 7FFF bytes, no DG3/DG4 without Terminal Authentication rights.
    JmrtdApplet,
}

/// A blank chip's description (see the module documentation). Its `Debug` keeps the transport
/// key out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlankChip {
    /// Free text shown when the chip starts.
    #[serde(default)]
    pub description: String,
    /// Extended length APDUs supported (default true; the jmrtd-applet profile ignores it:
    /// short APDUs only).
    #[serde(default = "yes")]
    pub extended_length: bool,
    /// The largest command APDU in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_command_apdu: Option<usize>,
    /// The largest response APDU in bytes, status word included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_response_apdu: Option<usize>,
    /// The transport key: a BAC K_seed, 32 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_key: Option<String>,
    /// The command set.
    #[serde(default)]
    pub profile: Profile,
    /// Standardized domain parameter ids of the curves keys may be on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curves: Option<Vec<u8>>,
}

impl std::fmt::Debug for BlankChip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlankChip")
            .field("description", &self.description)
            .field("length", &self.length_support())
            .field(
                "transport_key",
                &self.transport_key.as_ref().map(|_| "<secret>"),
            )
            .field("profile", &self.profile)
            .field("curves", &self.curves)
            .finish()
    }
}

fn yes() -> bool {
    true
}

impl Default for BlankChip {
    fn default() -> Self {
        BlankChip {
            description: String::new(),
            extended_length: true,
            max_command_apdu: None,
            max_response_apdu: None,
            transport_key: None,
            profile: Profile::Dactyl,
            curves: None,
        }
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::ChipImage(format!("blank chip: {}", msg.into()))
}

impl BlankChip {
    /// Parses and checks a description.
    pub fn from_json(text: &str) -> Result<BlankChip> {
        let blank: BlankChip = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        blank.check()?;
        Ok(blank)
    }

    /// Reads a description from a JSON file.
    pub fn load(path: &Path) -> Result<BlankChip> {
        let text = read_text_bounded(path, 64 * 1024, "a blank chip description")?;
        Self::from_json(&text).map_err(|e| Error::ChipImage(format!("{}: {e}", path.display())))
    }

    /// Checks the fields together.
    pub fn check(&self) -> Result<()> {
        let len = self.length_support();
        let base = self.base_length();
        if !(LengthSupport::SHORT.max_command..=base.max_command).contains(&len.max_command) {
            return Err(bad(format!(
                "max_command_apdu {} is not {} to {}",
                len.max_command,
                LengthSupport::SHORT.max_command,
                base.max_command
            )));
        }
        if !(LengthSupport::SHORT.max_response..=base.max_response).contains(&len.max_response) {
            return Err(bad(format!(
                "max_response_apdu {} is not {} to {}",
                len.max_response,
                LengthSupport::SHORT.max_response,
                base.max_response
            )));
        }
        if self.profile == Profile::JmrtdApplet && self.transport_key.is_some() {
            return Err(bad("the jmrtd-applet profile has no transport key"));
        }
        self.transport_seed()?;
        for id in self.curves.iter().flatten() {
            if Curve::from_pace_parameter_id(*id).is_none() {
                return Err(bad(format!("curve {id} is not a curve dactyl knows")));
            }
        }
        Ok(())
    }

    fn base_length(&self) -> LengthSupport {
        if self.extended_length && self.profile == Profile::Dactyl {
            LengthSupport::EXTENDED
        } else {
            LengthSupport::SHORT
        }
    }

    /// The APDU lengths the chip takes while it is personalized.
    pub fn length_support(&self) -> LengthSupport {
        let base = self.base_length();
        LengthSupport {
            max_command: self.max_command_apdu.unwrap_or(base.max_command),
            max_response: self.max_response_apdu.unwrap_or(base.max_response),
            ..base
        }
    }

    /// The transport key's K_seed, if there is one.
    pub fn transport_seed(&self) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let Some(key) = &self.transport_key else {
            return Ok(None);
        };
        match hex::decode(key.trim()) {
            Ok(seed) if seed.len() == 16 => Ok(Some(Zeroizing::new(seed))),
            _ => Err(bad(
                "transport_key must be 32 hex digits (a 16-byte K_seed)",
            )),
        }
    }

    /// True when the chip takes keys on the curve with this standardized id.
    pub fn accepts_curve(&self, parameter_id: u8) -> bool {
        Curve::from_pace_parameter_id(parameter_id).is_some()
            && self
                .curves
                .as_ref()
                .is_none_or(|list| list.contains(&parameter_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_mistakes() {
        let blank = BlankChip::from_json("{}").unwrap();
        assert_eq!(blank, BlankChip::default());
        assert_eq!(blank.length_support(), LengthSupport::EXTENDED);
        assert!(blank.accepts_curve(Curve::P256.pace_parameter_id()));
        let e = BlankChip::from_json(r#"{"curvez": []}"#).unwrap_err();
        assert!(e.to_string().contains("curvez"), "{e}");
        for bad in [
            r#"{"transport_key": "0011"}"#,
            r#"{"curves": [99]}"#,
            r#"{"extended_length": false, "max_command_apdu": 1000}"#,
            r#"{"max_response_apdu": 10}"#,
            r#"{"profile": "jmrtd-applet", "extended_length": false,
                "transport_key": "00112233445566778899AABBCCDDEEFF"}"#,
            r#"{"profile": "jcop"}"#,
        ] {
            assert!(BlankChip::from_json(bad).is_err(), "{bad}");
        }
        let short = BlankChip::from_json(
            r#"{"extended_length": false, "curves": [13], "transport_key": "00112233445566778899AABBCCDDEEFF"}"#,
        )
        .unwrap();
        assert_eq!(short.length_support(), LengthSupport::SHORT);
        assert!(short.accepts_curve(13) && !short.accepts_curve(12));
        assert_eq!(short.transport_seed().unwrap().unwrap().len(), 16);
        let shown = format!("{short:?}");
        assert!(
            shown.contains("<secret>") && !shown.contains("AABBCC"),
            "{shown}"
        );
        // The applet's profile is short APDUs only, whatever extended_length says.
        let applet = BlankChip::from_json(r#"{"profile": "jmrtd-applet"}"#).unwrap();
        assert_eq!(applet.length_support(), LengthSupport::SHORT);
    }
}
