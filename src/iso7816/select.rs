//! SELECT (ISO/IEC 7816-4:2020 clause 11.2.2; ICAO Doc 9303-10 clause 3.10), both roles: the
//! application by its AID (DF name, P1 04), a file by its file identifier (P1 00: MF, DF or
//! EF; P1 02: an EF under the current DF), the master file (P1 00 with no data or FID 3F00).
//! P2 says what the answer holds; eMRTD terminals ask for nothing (0C), so no Le is sent.

use super::refusal::{ChipError, ChipResult};
use crate::apdu::Command;

/// The SELECT instruction.
pub const INS: u8 = 0xA4;
/// The master file's file identifier.
pub const MF: u16 = 0x3F00;
/// P2: first or only occurrence, no response data.
pub const P2_NO_RESPONSE: u8 = 0x0C;

/// What a SELECT selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectTarget {
    /// The master file (P1 00 with no data, or FID 3F00 whatever P1).
    MasterFile,
    /// P1 00: an MF, DF or EF by file identifier.
    File(u16),
    /// P1 02: an EF under the current DF by file identifier.
    ElementaryFile(u16),
    /// P1 04: an application by its AID.
    Application(Vec<u8>),
}

/// One SELECT command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Select {
    /// What is selected.
    pub target: SelectTarget,
    /// P2: the occurrence and what the answer holds (0C: nothing).
    pub p2: u8,
}

impl Select {
    /// SELECT an application by AID, no response data (`00 A4 04 0C`).
    pub fn application(aid: &[u8]) -> Select {
        Select {
            target: SelectTarget::Application(aid.to_vec()),
            p2: P2_NO_RESPONSE,
        }
    }

    /// SELECT an EF under the current DF by file identifier, no response data (`00 A4 02 0C`).
    pub fn elementary_file(fid: u16) -> Select {
        Select {
            target: SelectTarget::ElementaryFile(fid),
            p2: P2_NO_RESPONSE,
        }
    }

    /// SELECT the master file by its identifier, no response data (`00 A4 00 0C 3F00`).
    pub fn master_file() -> Select {
        Select {
            target: SelectTarget::MasterFile,
            p2: P2_NO_RESPONSE,
        }
    }

    /// The command APDU (class 00, no Le).
    pub fn to_command(&self) -> Command {
        let (p1, data) = match &self.target {
            SelectTarget::MasterFile => (0x00, MF.to_be_bytes().to_vec()),
            SelectTarget::File(fid) => (0x00, fid.to_be_bytes().to_vec()),
            SelectTarget::ElementaryFile(fid) => (0x02, fid.to_be_bytes().to_vec()),
            SelectTarget::Application(aid) => (0x04, aid.clone()),
        };
        Command::new(0x00, INS, p1, self.p2).with_data(data)
    }

    /// Chip side: what `cmd` selects. FID 3F00 is the master file whatever P1 says. Refused: a
    /// file identifier that is not two bytes (wrong length), a P1 other than 00, 02 and 04
    /// (wrong P1-P2). The AID is not checked here.
    pub fn parse(cmd: &Command) -> ChipResult<Select> {
        let target = match cmd.p1 {
            0x04 => SelectTarget::Application(cmd.data.clone()),
            0x00 | 0x02 => match cmd.data.as_slice() {
                [] if cmd.p1 == 0x00 => SelectTarget::MasterFile,
                [a, b] => match u16::from_be_bytes([*a, *b]) {
                    MF => SelectTarget::MasterFile,
                    fid if cmd.p1 == 0x00 => SelectTarget::File(fid),
                    fid => SelectTarget::ElementaryFile(fid),
                },
                _ => {
                    return Err(ChipError::wrong_length(
                        "SELECT: file identifier not two bytes",
                    ));
                }
            },
            _ => return Err(ChipError::wrong_p1p2("SELECT: P1 other than 00, 02, 04")),
        };
        Ok(Select { target, p2: cmd.p2 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iso7816::refusal::Refusal;

    #[test]
    fn terminal_commands_parse_back_on_the_chip() {
        let aid = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];
        for (select, wire) in [
            (Select::application(&aid), "00A4040C07A0000002471001"),
            (Select::elementary_file(0x011E), "00A4020C02011E"),
            (Select::master_file(), "00A4000C023F00"),
            (
                Select {
                    target: SelectTarget::File(0x011C),
                    p2: 0x00,
                },
                "00A4000002011C",
            ),
        ] {
            let cmd = select.to_command();
            assert_eq!(hex::encode_upper(cmd.to_bytes().unwrap()), wire);
            assert_eq!(Select::parse(&cmd), Ok(select));
        }
    }

    #[test]
    fn the_chip_reads_the_master_file_in_each_form() {
        for cmd in [
            Command::new(0, INS, 0x00, 0x0C),
            Command::new(0, INS, 0x02, 0x0C).with_data([0x3F, 0x00]),
        ] {
            assert_eq!(
                Select::parse(&cmd).unwrap().target,
                SelectTarget::MasterFile
            );
        }
    }

    #[test]
    fn the_chip_refuses_malformed_commands() {
        for (cmd, status) in [
            (Command::new(0, INS, 0x02, 0x0C), Refusal::WrongLength),
            (
                Command::new(0, INS, 0x00, 0x0C).with_data([1]),
                Refusal::WrongLength,
            ),
            (
                Command::new(0, INS, 0x02, 0x0C).with_data([1, 2, 3]),
                Refusal::WrongLength,
            ),
            (
                Command::new(0, INS, 0x08, 0x0C).with_data([1, 2]),
                Refusal::WrongP1P2,
            ),
            (
                Command::new(0, INS, 0x01, 0x0C).with_data([1, 2]),
                Refusal::WrongP1P2,
            ),
        ] {
            assert_eq!(
                Select::parse(&cmd).map_err(|e| e.kind),
                Err(status),
                "{cmd:?}"
            );
        }
    }
}
