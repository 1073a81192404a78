//! GENERAL AUTHENTICATE (ISO/IEC 7816-4:2020 clause 11.5.6), both roles: the command, chained
//! (class bit b5) for every PACE step but the last, and the dynamic authentication data template
//! 7C that command and response carry.
//!
//! Inside 7C, PACE (ICAO Doc 9303-11 clause 4.4.4.2; BSI TR-03110-3 clause B.11.2) sends 81
//! mapping data, 83 its ephemeral public key, 85 its authentication token, and the chip answers
//! 80 the encrypted nonce, 82 mapping data, 84 its ephemeral public key, 86 its token and, for
//! PACE-CAM, 8A the encrypted chip authentication data. Chip Authentication version 2
//! (TR-03110-3 clause B.11.1) sends 80 the terminal's ephemeral public key and gets 81 the nonce
//! r_PICC and 82 the token T_PICC (version 1 gets an empty template).

use super::data_objects::DataObjects;
use super::refusal::{ChipError, ChipResult};
use crate::apdu::{Command, MAX_SHORT_NE};
use crate::error::{Error, Result};
use crate::tlv::{self, Tlv};

/// The GENERAL AUTHENTICATE instruction.
pub const INS: u8 = 0x86;
/// The odd GENERAL AUTHENTICATE instruction (BER-TLV data field; no eMRTD protocol sends it,
/// but its data is as secret).
pub const INS_ODD: u8 = 0x87;
/// The class bit of command chaining: more commands follow.
pub const CLA_CHAINING: u8 = 0x10;
/// The dynamic authentication data template.
pub const TAG_TEMPLATE: u32 = 0x7C;
/// PACE: encrypted nonce (chip). CA: the terminal's ephemeral public key.
pub const TAG_80: u32 = 0x80;
/// PACE: the terminal's mapping data. CA: the chip's nonce r_PICC.
pub const TAG_81: u32 = 0x81;
/// PACE: the chip's mapping data. CA: the chip's token T_PICC.
pub const TAG_82: u32 = 0x82;
/// PACE: the terminal's ephemeral public key.
pub const TAG_TERMINAL_KEY: u32 = 0x83;
/// PACE: the chip's ephemeral public key.
pub const TAG_CHIP_KEY: u32 = 0x84;
/// PACE: the terminal's authentication token.
pub const TAG_TERMINAL_TOKEN: u32 = 0x85;
/// PACE: the chip's authentication token.
pub const TAG_CHIP_TOKEN: u32 = 0x86;
/// PACE-CAM: the encrypted chip authentication data.
pub const TAG_CAM_DATA: u32 = 0x8A;

/// One GENERAL AUTHENTICATE command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneralAuthenticate {
    /// More GENERAL AUTHENTICATE commands follow (class 10).
    pub chained: bool,
    /// The content of the dynamic authentication data template.
    pub data: DataObjects,
    /// Ne.
    pub ne: Option<usize>,
}

impl GeneralAuthenticate {
    /// A command carrying `data` in 7C, asking for up to 256 bytes.
    pub fn new(chained: bool, data: DataObjects) -> GeneralAuthenticate {
        GeneralAuthenticate {
            chained,
            data,
            ne: Some(MAX_SHORT_NE),
        }
    }

    /// The command APDU (class 00, or 10 when chained).
    pub fn to_command(&self) -> Command {
        let cla = if self.chained { CLA_CHAINING } else { 0x00 };
        let cmd = Command::new(cla, INS, 0x00, 0x00).with_data(encode_template(&self.data));
        match self.ne {
            Some(ne) => cmd.with_le(ne),
            None => cmd,
        }
    }

    /// Chip side: the command in `cmd`; wrong data when it does not start with a 7C template
    /// (what follows the template, or does not parse inside it, is marked malformed).
    pub fn parse(cmd: &Command) -> ChipResult<GeneralAuthenticate> {
        Ok(GeneralAuthenticate {
            chained: cmd.cla & CLA_CHAINING != 0,
            data: parse_template(&cmd.data).map_err(|_| {
                ChipError::wrong_data("no dynamic authentication data template (7C)")
            })?,
            ne: cmd.le,
        })
    }
}

/// The dynamic authentication data template holding `data`.
pub fn encode_template(data: &DataObjects) -> Vec<u8> {
    tlv::encode(TAG_TEMPLATE, &data.encode())
}

/// The content of the 7C template `bytes` start with; bytes after the template mark it
/// malformed, as do bytes inside it that do not parse. An error when there is no template.
pub fn parse_template(bytes: &[u8]) -> Result<DataObjects> {
    let (template, rest) = Tlv::parse(bytes)?;
    if template.tag != TAG_TEMPLATE {
        return Err(Error::Tlv(format!(
            "expected tag {TAG_TEMPLATE:X}, found {:X}",
            template.tag
        )));
    }
    let mut data = DataObjects::parse(template.value);
    data.malformed |= !rest.is_empty();
    Ok(data)
}

/// Terminal side: the value of the object `tag` in the template of a response's data field.
pub fn response_object(bytes: &[u8], tag: u32) -> Result<Vec<u8>> {
    parse_template(bytes)?
        .get(tag)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| Error::Tlv(format!("tag {TAG_TEMPLATE:X} has no child {tag:X}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_steps_parse_back_on_the_chip() {
        for (ga, wire) in [
            (
                GeneralAuthenticate::new(true, DataObjects::new()),
                "10860000027C0000",
            ),
            (
                GeneralAuthenticate::new(true, DataObjects::new().with(0x81, &[4, 1, 2])),
                "10860000077C05810304010200",
            ),
            (
                GeneralAuthenticate::new(false, DataObjects::new().with(0x85, &[9; 8])),
                "008600000C7C0A8508090909090909090900",
            ),
        ] {
            let cmd = ga.to_command();
            assert_eq!(hex::encode_upper(cmd.to_bytes().unwrap()), wire);
            assert_eq!(GeneralAuthenticate::parse(&cmd), Ok(ga));
        }
    }

    #[test]
    fn chip_answers_read_back_on_the_terminal() {
        let answer = encode_template(
            &DataObjects::new()
                .with(TAG_CHIP_TOKEN, &[1; 8])
                .with(TAG_CAM_DATA, &[2; 16]),
        );
        assert_eq!(response_object(&answer, TAG_CHIP_TOKEN).unwrap(), [1; 8]);
        assert_eq!(response_object(&answer, TAG_CAM_DATA).unwrap(), [2; 16]);
        let e = response_object(&answer, TAG_CHIP_KEY).unwrap_err();
        assert_eq!(e.to_string(), "TLV: tag 7C has no child 84");
        assert_eq!(encode_template(&DataObjects::new()), [0x7C, 0x00]);
        assert_eq!(parse_template(&[0x7C, 0x00]).unwrap(), DataObjects::new());
    }

    #[test]
    fn the_chip_refuses_data_without_a_template() {
        for data in [&[][..], &[0x80, 0x00], &[0x7C, 0x05, 0x80]] {
            let cmd = Command::new(0x10, INS, 0, 0)
                .with_data(data.to_vec())
                .with_le(256);
            assert_eq!(
                GeneralAuthenticate::parse(&cmd).map_err(|e| e.kind),
                Err(crate::iso7816::refusal::Refusal::WrongData),
                "{data:02X?}"
            );
        }
        // Trailing bytes, or a broken object inside, reach the protocol marked.
        for data in [
            &[0x7C, 0x03, 0x81, 0x01, 0x05, 0x00][..],
            &[0x7C, 0x04, 0x81, 0x01, 0x05, 0x82],
        ] {
            let cmd = Command::new(0, INS, 0, 0).with_data(data.to_vec());
            let ga = GeneralAuthenticate::parse(&cmd).unwrap();
            assert!(ga.data.malformed && !ga.chained && ga.ne.is_none());
            assert_eq!(ga.data.get(0x81), Some(&[5][..]));
        }
    }
}
