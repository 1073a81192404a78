//! EF.COM, the LDS version and the list of data groups present (ICAO Doc 9303-10 clause
//! 4.6.1): tag `60` holding `5F01` (LDS version "aabb"), `5F36` (Unicode version "aabbcc") and
//! `5C` (the tags of the data groups present).
//!
//! Bytes after the `60` object (padding read with the file) are ignored.

use crate::error::{Error, Result};
use crate::lds::files::{dg_from_tag, dg_tag};
use crate::tlv::{self, Tlv};

/// Tag of the EF.COM template.
pub const TAG: u32 = 0x60;
const LDS_VERSION_TAG: u32 = 0x5F01;
const UNICODE_VERSION_TAG: u32 = 0x5F36;
const TAG_LIST_TAG: u32 = 0x5C;

/// The content of EF.COM.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Com {
    /// The LDS version as stored: 4 digits, e.g. "0107" for LDS 1.7.
    pub lds_version: String,
    /// The Unicode version as stored: 6 digits, e.g. "040000" for Unicode 4.0.0.
    pub unicode_version: String,
    /// The tags of the data groups present (`61` for DG1, `75` for DG2, ...).
    pub tags: Vec<u8>,
}

impl Com {
    /// Parses EF.COM.
    pub fn parse(bytes: &[u8]) -> Result<Com> {
        let outer = Tlv::parse_tagged(bytes, TAG)?;
        let lds_version = digits(outer.require(LDS_VERSION_TAG)?.value, 4, "LDS version")?;
        let unicode_version = digits(
            outer.require(UNICODE_VERSION_TAG)?.value,
            6,
            "Unicode version",
        )?;
        let tags = outer.require(TAG_LIST_TAG)?.value.to_vec();
        Ok(Com {
            lds_version,
            unicode_version,
            tags,
        })
    }

    /// Encodes EF.COM.
    pub fn encode(&self) -> Vec<u8> {
        let mut value = tlv::encode(LDS_VERSION_TAG, self.lds_version.as_bytes());
        value.extend(tlv::encode(
            UNICODE_VERSION_TAG,
            self.unicode_version.as_bytes(),
        ));
        value.extend(tlv::encode(TAG_LIST_TAG, &self.tags));
        tlv::encode(TAG, &value)
    }

    /// The numbers of the data groups listed; tags that name no data group are skipped.
    pub fn data_groups(&self) -> Vec<u8> {
        self.tags
            .iter()
            .filter_map(|&t| dg_from_tag(t.into()))
            .collect()
    }

    /// The LDS version as "1.7".
    pub fn lds_version_display(&self) -> String {
        dotted(&self.lds_version)
    }

    /// The Unicode version as "4.0.0".
    pub fn unicode_version_display(&self) -> String {
        dotted(&self.unicode_version)
    }

    /// EF.COM for LDS 1.7 and Unicode 4.0.0 listing `dgs` (numbers outside 1..=16 and repeats
    /// are skipped).
    pub fn for_data_groups(dgs: &[u8]) -> Com {
        let mut tags: Vec<u8> = Vec::with_capacity(dgs.len());
        for tag in dgs.iter().filter_map(|&n| dg_tag(n)) {
            // Data group tags are one byte (9303-10 Table 38).
            if let Ok(tag) = u8::try_from(tag)
                && !tags.contains(&tag)
            {
                tags.push(tag);
            }
        }
        Com {
            lds_version: "0107".into(),
            unicode_version: "040000".into(),
            tags,
        }
    }
}

/// Checks a version element: exactly `len` ASCII digits.
fn digits(value: &[u8], len: usize, what: &str) -> Result<String> {
    if value.len() != len || !value.iter().all(u8::is_ascii_digit) {
        return Err(Error::Lds(format!(
            "EF.COM {what} must be {len} ASCII digits, found {}",
            hex::encode_upper(value)
        )));
    }
    Ok(value.iter().map(|&b| char::from(b)).collect())
}

/// "0107" -> "1.7", "040000" -> "4.0.0": two-digit groups as numbers joined by dots; anything
/// else is returned unchanged.
fn dotted(version: &str) -> String {
    let groups: Option<Vec<String>> = version
        .as_bytes()
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .filter(|s| s.len() == 2)
                .and_then(|s| s.parse::<u8>().ok())
                .map(|n| n.to_string())
        })
        .collect();
    match groups {
        Some(g) if !g.is_empty() => g.join("."),
        _ => version.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COM_0106: &str = "60145F0104303130365F36063034303030305C026175";
    const COM_0107: &str = "60175F0104303130375F36063034303030305C05617563766E";

    #[test]
    fn parses_and_round_trips_9303_examples() {
        let bytes = hex::decode(COM_0106).unwrap();
        let com = Com::parse(&bytes).unwrap();
        assert_eq!(com.lds_version, "0106");
        assert_eq!(com.unicode_version, "040000");
        assert_eq!(com.data_groups(), [1, 2]);
        assert_eq!(com.lds_version_display(), "1.6");
        assert_eq!(com.unicode_version_display(), "4.0.0");
        assert_eq!(com.encode(), bytes);

        let bytes = hex::decode(COM_0107).unwrap();
        let com = Com::parse(&bytes).unwrap();
        assert_eq!(com.data_groups(), [1, 2, 3, 4, 14]);
        assert_eq!(com.lds_version_display(), "1.7");
        assert_eq!(com.encode(), bytes);
        assert_eq!(Com::for_data_groups(&[1, 2, 3, 4, 14]), com);
    }

    #[test]
    fn for_data_groups_skips_unknown_and_repeated() {
        let com = Com::for_data_groups(&[1, 0, 17, 2, 1, 15]);
        assert_eq!(com.tags, [0x61, 0x75, 0x6F]);
        assert_eq!(Com::parse(&com.encode()).unwrap(), com);
        let odd = Com {
            tags: vec![0x61, 0x99],
            ..com
        };
        assert_eq!(odd.data_groups(), [1]);
    }

    #[test]
    fn malformed_ef_com_is_an_error() {
        let bytes = hex::decode(COM_0106).unwrap();
        for n in 0..bytes.len() {
            assert!(Com::parse(&bytes[..n]).is_err(), "{n} bytes");
        }
        for bad in [
            "61145F0104303130365F36063034303030305C026175", // wrong outer tag
            "600D5F36063034303030305C026175",               // no LDS version
            "600B5F0104303130365C026175",                   // no Unicode version
            "60115F0104303130365F3606303430303030",         // no tag list
            "60135F01033031305F36063034303030305C026175",   // 3-digit LDS version
            "60145F0104303141365F36063034303030305C026175", // not digits
        ] {
            assert!(Com::parse(&hex::decode(bad).unwrap()).is_err(), "{bad}");
        }
    }
}
