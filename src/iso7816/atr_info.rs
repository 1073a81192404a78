//! What a chip says about APDU lengths before the first command, both roles: the card
//! capabilities in the ATR's historical bytes (ISO/IEC 7816-4:2020 clause 12.1.1.9, compact-TLV
//! tag 7, third byte b7 "extended Lc and Le fields") and the extended length information in
//! EF.ATR/INFO (clause 12.7.1, DO 7F66 holding two INTEGERs: the largest command and response
//! APDU in bytes). ICAO Doc 9303-10 clause 3.11 has eMRTDs with extended length announce it so.
//!
//! The virtual chip encodes its ATR and EF.ATR/INFO here; the reader decodes them here.

use crate::tlv::{self, Children};
use crate::uint;

/// EF.ATR/INFO's short EF identifier in the master file (its FID is 2F01).
pub const EF_ATR_INFO_SFI: u8 = 0x01;
/// The extended length information data object.
pub const TAG_EXTENDED_LENGTH_INFO: u32 = 0x7F66;
/// Card capabilities bit: extended Lc and Le fields (third byte, b7).
pub const EXTENDED_LENGTH_BIT: u8 = 0x40;

/// The card capabilities (compact-TLV tag 7): one to three bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardCapabilities(pub Vec<u8>);

impl CardCapabilities {
    /// Three bytes: no selection methods or data coding announced, and the extended length bit
    /// as given.
    pub fn with_extended_length(extended: bool) -> CardCapabilities {
        CardCapabilities(vec![
            0x00,
            0x00,
            if extended { EXTENDED_LENGTH_BIT } else { 0x00 },
        ])
    }

    /// The "extended Lc and Le fields" bit, if the third byte is there.
    pub fn extended_length(&self) -> Option<bool> {
        self.0.get(2).map(|b| b & EXTENDED_LENGTH_BIT != 0)
    }
}

/// Historical bytes in the compact-TLV format (category indicator 80) holding only the card
/// capabilities.
pub fn historical_bytes(caps: &CardCapabilities) -> Vec<u8> {
    let mut out = vec![0x80, 0x70 | (caps.0.len() as u8 & 0x0F)];
    out.extend_from_slice(&caps.0);
    out
}

/// The card capabilities in historical bytes in the compact-TLV format (category indicator 80,
/// or 00 with a three-byte status indicator at the end): the first object with tag 7.
pub fn card_capabilities(historical: &[u8]) -> Option<CardCapabilities> {
    let (cat, body) = historical.split_first()?;
    let body = match cat {
        0x80 => body,
        0x00 => body.get(..body.len().checked_sub(3)?)?,
        _ => return None,
    };
    let mut rest = body;
    while let Some((&head, tail)) = rest.split_first() {
        let len = (head & 0x0F) as usize;
        let value = tail.get(..len)?;
        if head >> 4 == 0x7 {
            return Some(CardCapabilities(value.to_vec()));
        }
        rest = &tail[len..];
    }
    None
}

/// An ATR for T=1 (TD1 announcing T=0 and TD2, TD2 announcing T=1) with `historical` bytes
/// (at most 15) and the check byte TCK.
pub fn atr(historical: &[u8]) -> Vec<u8> {
    let k = historical.len().min(15);
    let mut out = vec![0x3B, 0x80 | k as u8, 0x80, 0x01];
    out.extend_from_slice(&historical[..k]);
    let tck = out[1..].iter().fold(0u8, |acc, b| acc ^ b);
    out.push(tck);
    out
}

/// The historical bytes of an ATR, past the interface bytes; `None` when the ATR ends early.
pub fn atr_historical_bytes(atr: &[u8]) -> Option<&[u8]> {
    let t0 = *atr.get(1)?;
    let k = (t0 & 0x0F) as usize;
    let mut pos = 2;
    // Interface bytes: each Y nibble says which of TA, TB, TC, TD follow.
    let mut y = t0 >> 4;
    loop {
        pos += (y & 0x7).count_ones() as usize;
        if y & 0x8 == 0 {
            break;
        }
        let td = *atr.get(pos)?;
        pos += 1;
        y = td >> 4;
    }
    atr.get(pos..pos + k)
}

/// The "extended Lc and Le fields" bit of the card capabilities in the ATR's historical bytes,
/// if the ATR states it.
pub fn atr_extended_length(atr: &[u8]) -> Option<bool> {
    card_capabilities(atr_historical_bytes(atr)?)?.extended_length()
}

/// The extended length information of EF.ATR/INFO (DO 7F66).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtendedLengthInfo {
    /// The largest command APDU the chip accepts, in bytes.
    pub max_command: usize,
    /// The largest response APDU the chip sends, in bytes (SW included).
    pub max_response: usize,
}

impl ExtendedLengthInfo {
    /// EF.ATR/INFO content holding DO 7F66 and nothing else.
    pub fn encode(&self) -> Vec<u8> {
        let int = |n: usize| {
            let mut v = uint::to_minimal_be(n as u64);
            if v[0] & 0x80 != 0 {
                v.insert(0, 0);
            }
            tlv::encode(0x02, &v)
        };
        let mut inner = int(self.max_command);
        inner.extend(int(self.max_response));
        tlv::encode(TAG_EXTENDED_LENGTH_INFO, &inner)
    }

    /// The first DO 7F66 of EF.ATR/INFO's content and its first two INTEGERs of one to four
    /// bytes; `None` when there is no such object.
    pub fn decode(atr_info: &[u8]) -> Option<ExtendedLengthInfo> {
        let mut objects = Children::of(atr_info);
        let info = objects.find_map(|o| o.ok().filter(|o| o.tag == TAG_EXTENDED_LENGTH_INFO))?;
        let mut ints = info
            .children()
            .filter_map(|c| c.ok())
            .filter(|c| c.tag == 0x02 && !c.value.is_empty() && c.value.len() <= 4)
            .filter_map(|c| uint::from_be(c.value).map(|n| n as usize));
        Some(ExtendedLengthInfo {
            max_command: ints.next()?,
            max_response: ints.next()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ATR of a chip announcing (or not) extended length, as the virtual chip sends it.
    fn chip_atr(extended: bool) -> Vec<u8> {
        atr(&historical_bytes(&CardCapabilities::with_extended_length(
            extended,
        )))
    }

    #[test]
    fn atrs_round_trip_the_extended_length_bit() {
        let a = chip_atr(true);
        assert_eq!(hex::encode_upper(&a), "3B8580018073000040B7");
        assert_eq!(a.iter().skip(1).fold(0u8, |x, b| x ^ b), 0);
        assert_eq!(atr_extended_length(&a), Some(true));
        assert_eq!(atr_extended_length(&chip_atr(false)), Some(false));
        let caps = CardCapabilities(vec![0xF8, 0x21, 0xC0]);
        let back = card_capabilities(atr_historical_bytes(&atr(&historical_bytes(&caps))).unwrap());
        assert_eq!(back, Some(caps));
    }

    #[test]
    fn atrs_without_the_bit_say_nothing() {
        // vpcd's default ATR has no historical bytes.
        assert_eq!(atr_extended_length(&[0x3B, 0x80, 0x80, 0x01, 0x01]), None);
        for junk in [&[][..], &[0x3B], &[0x3B, 0xFF], &[0x3B, 0x8F, 0x80]] {
            assert_eq!(atr_extended_length(junk), None);
        }
        // Two-byte capabilities, another category indicator, a truncated object.
        assert_eq!(
            card_capabilities(&[0x80, 0x72, 0, 0])
                .unwrap()
                .extended_length(),
            None
        );
        assert_eq!(card_capabilities(&[0x10, 0x73, 0, 0, 0x40]), None);
        assert_eq!(card_capabilities(&[0x80, 0x73, 0, 0]), None);
        // Category 00: the last three bytes are the status indicator.
        let hist = [0x00, 0x31, 0xFE, 0x73, 0, 0, 0x40, 0x00, 0x90, 0x00];
        assert_eq!(
            card_capabilities(&hist).unwrap().extended_length(),
            Some(true)
        );
    }

    #[test]
    fn extended_length_info_round_trips() {
        let info = ExtendedLengthInfo {
            max_command: 65_544,
            max_response: 65_538,
        };
        assert_eq!(
            hex::encode_upper(info.encode()),
            "7F660A02030100080203010002"
        );
        assert_eq!(ExtendedLengthInfo::decode(&info.encode()), Some(info));
        for (cmd, resp) in [(5, 3), (0x80, 0xFF), (261, 258), (0x7FFF_FFFF, 0x7FFF_FFFF)] {
            let info = ExtendedLengthInfo {
                max_command: cmd,
                max_response: resp,
            };
            assert_eq!(ExtendedLengthInfo::decode(&info.encode()), Some(info));
        }
        let fixed = hex::decode("7F660802020400020204FF").unwrap();
        assert_eq!(
            ExtendedLengthInfo::decode(&fixed),
            Some(ExtendedLengthInfo {
                max_command: 1024,
                max_response: 1279
            })
        );
    }

    #[test]
    fn malformed_atr_info_has_no_sizes() {
        assert_eq!(ExtendedLengthInfo::decode(&[0x7F, 0x66, 0x00]), None);
        assert_eq!(ExtendedLengthInfo::decode(&[0xFF]), None);
        assert_eq!(ExtendedLengthInfo::decode(&[]), None);
        // One INTEGER only, or a five-byte one.
        assert_eq!(
            ExtendedLengthInfo::decode(&hex::decode("7F660402020400").unwrap()),
            None
        );
        assert_eq!(
            ExtendedLengthInfo::decode(&hex::decode("7F660B0205010000000002020400").unwrap()),
            None
        );
    }
}
