//! READ BINARY (ISO/IEC 7816-4:2020 clause 11.3.3; ICAO Doc 9303-10 clause 3.10.1), both roles:
//! even INS B0 with a 15-bit offset in P1-P2, or a short EF identifier in P1 (b8 set) and the
//! offset in P2; odd INS B1 with the offset in DO 54 and the file in P1-P2 (0000 the current EF,
//! 00xx a short EF identifier, else a file identifier), the data coming back in DO 53.
//!
//! The terminal builds a [`ReadBinary`] and turns it into a command; the chip parses the command
//! into the same struct, refusing what it cannot address with the status word to answer.

use super::refusal::{ChipError, ChipResult, Refusal};
use crate::apdu::Command;
use crate::error::{Error, Result};
use crate::tlv::{self, Tlv};
use crate::uint;

/// Even instruction: offset in P1-P2.
pub const INS_EVEN: u8 = 0xB0;
/// Odd instruction: offset in DO 54, data in DO 53.
pub const INS_ODD: u8 = 0xB1;
/// Highest offset B0 can address in P1-P2.
pub const MAX_EVEN_OFFSET: usize = 0x7FFF;
/// Highest offset B0 can address in P2 when P1 holds a short EF identifier.
pub const MAX_SFI_OFFSET: usize = 0xFF;
/// Highest offset DO 54 carries here (three octets).
pub const MAX_ODD_OFFSET: usize = 0xFF_FFFF;
/// The offset data object of a B1 command.
pub const TAG_OFFSET: u32 = 0x54;
/// The discretionary data object holding the data of a B1 response.
pub const TAG_DATA: u32 = 0x53;

/// The file a READ BINARY reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRef {
    /// The current EF (selected before, or read last).
    Current,
    /// A short EF identifier (1 to 30).
    Sfi(u8),
    /// A file identifier (B1 only).
    Fid(u16),
}

/// One READ BINARY command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadBinary {
    /// The file read.
    pub file: FileRef,
    /// Where reading starts.
    pub offset: usize,
    /// Odd instruction B1 (offset in DO 54, data in DO 53).
    pub odd: bool,
    /// Ne; for B1 it counts the DO 53 header as well as the data.
    pub ne: Option<usize>,
}

/// Bytes taken by the tag and length of DO 53 holding `n` bytes.
pub fn do53_header(n: usize) -> usize {
    1 + tlv::encode_len(n).len()
}

/// The most file bytes an answer of `ne` bytes carries: `ne` for B0, less the DO 53 header for
/// B1 (0 when not even the header fits).
pub fn data_capacity(ne: usize, odd: bool) -> usize {
    let mut n = ne;
    while odd && n > 0 && n + do53_header(n) > ne {
        n -= 1;
    }
    n
}

/// True when P1-P2 name the file by short EF identifier (B0 with P1 b8 set, B1 with P1-P2 0001
/// to 001E), whether or not the rest of the command is valid.
pub fn addressed_by_sfi(cmd: &Command) -> bool {
    (cmd.ins == INS_EVEN && cmd.p1 & 0x80 != 0)
        || (cmd.ins == INS_ODD && cmd.p1 == 0 && (1..=0x1E).contains(&cmd.p2))
}

impl ReadBinary {
    /// A READ BINARY of up to `want` bytes of `file` from `offset`: B0 where P1-P2 can hold
    /// the offset and the file, else B1 with Ne enlarged by the DO 53 header.
    pub fn new(file: FileRef, offset: usize, want: usize) -> ReadBinary {
        let odd = match file {
            FileRef::Current => offset > MAX_EVEN_OFFSET,
            FileRef::Sfi(_) => offset > MAX_SFI_OFFSET,
            FileRef::Fid(_) => true,
        };
        ReadBinary {
            file,
            offset,
            odd,
            ne: Some(if odd { want + do53_header(want) } else { want }),
        }
    }

    /// The command APDU (class 00); an offset or file the instruction cannot carry is an error.
    pub fn to_command(&self) -> Result<Command> {
        let bad = |what: String| Err(Error::Apdu(format!("READ BINARY: {what}")));
        if let FileRef::Sfi(s) = self.file
            && !(1..=0x1E).contains(&s)
        {
            return bad(format!("short EF identifier {s} outside 1..=30"));
        }
        if let FileRef::Fid(fid @ 0..=0x1E) = self.file {
            return bad(format!(
                "file identifier {fid:04X} reads as P1-P2 of an SFI"
            ));
        }
        let cmd = if self.odd {
            if self.offset > MAX_ODD_OFFSET {
                return bad(format!("offset {} needs more than 3 bytes", self.offset));
            }
            let [p1, p2] = match self.file {
                FileRef::Current => [0, 0],
                FileRef::Sfi(s) => [0, s],
                FileRef::Fid(fid) => fid.to_be_bytes(),
            };
            let offset = uint::to_minimal_be(self.offset as u64);
            Command::new(0x00, INS_ODD, p1, p2).with_data(tlv::encode(TAG_OFFSET, &offset))
        } else {
            let (p1, p2) = match self.file {
                FileRef::Current if self.offset <= MAX_EVEN_OFFSET => {
                    ((self.offset >> 8) as u8, self.offset as u8)
                }
                FileRef::Sfi(s) if self.offset <= MAX_SFI_OFFSET => (0x80 | s, self.offset as u8),
                FileRef::Fid(_) => return bad("B0 cannot name a file identifier".into()),
                _ => return bad(format!("offset {} does not fit P1-P2", self.offset)),
            };
            Command::new(0x00, INS_EVEN, p1, p2)
        };
        Ok(match self.ne {
            Some(ne) => cmd.with_le(ne),
            None => cmd,
        })
    }

    /// Chip side: what `cmd` (B0 or B1, secure messaging removed) reads. Refused: a B0 P1 with
    /// b7 or b6 set next to b8 (wrong P1-P2), a B1 without a DO 54 of one to three bytes (wrong
    /// data), another instruction. A missing Le is not refused
    /// here (the chip checks the file and access first).
    pub fn parse(cmd: &Command) -> ChipResult<ReadBinary> {
        let (file, offset) = match cmd.ins {
            INS_EVEN if cmd.p1 & 0x80 != 0 => {
                if cmd.p1 & 0x60 != 0 {
                    return Err(ChipError::wrong_p1p2(
                        "READ BINARY: P1 neither SFI nor offset",
                    ));
                }
                (FileRef::Sfi(cmd.p1 & 0x1F), cmd.p2 as usize)
            }
            INS_EVEN => (
                FileRef::Current,
                u16::from_be_bytes([cmd.p1, cmd.p2]) as usize,
            ),
            INS_ODD => {
                let offset = Tlv::parse_tagged(&cmd.data, TAG_OFFSET)
                    .ok()
                    .filter(|t| (1..=3).contains(&t.value.len()))
                    .and_then(|t| uint::from_be(t.value))
                    .ok_or(ChipError::wrong_data("READ BINARY: no offset (DO 54)"))?;
                let file = match (cmd.p1, cmd.p2) {
                    (0, 0) => FileRef::Current,
                    (0, sfi @ 1..=0x1E) => FileRef::Sfi(sfi),
                    (a, b) => FileRef::Fid(u16::from_be_bytes([a, b])),
                };
                (file, offset as usize)
            }
            _ => {
                return Err(ChipError::new(Refusal::InsNotSupported, "not READ BINARY"));
            }
        };
        Ok(ReadBinary {
            file,
            offset,
            odd: cmd.ins == INS_ODD,
            ne: cmd.le,
        })
    }
}

/// Chip side: the response data for the file bytes `rest` (from the offset to the end of the
/// file) within `ne`: plain for B0, in DO 53 for B1.
pub fn encode_response(rest: &[u8], ne: usize, odd: bool) -> Vec<u8> {
    let n = rest.len().min(data_capacity(ne, odd));
    if odd {
        tlv::encode(TAG_DATA, &rest[..n])
    } else {
        rest[..n].to_vec()
    }
}

/// Terminal side: the file bytes in a response's data field (DO 53's value for B1; an empty B1
/// answer is no bytes).
pub fn decode_response(data: Vec<u8>, odd: bool) -> Result<Vec<u8>> {
    if odd && !data.is_empty() {
        Ok(Tlv::parse_tagged(&data, TAG_DATA)?.value.to_vec())
    } else {
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(rb: ReadBinary) -> Command {
        let cmd = rb.to_command().unwrap();
        assert_eq!(ReadBinary::parse(&cmd), Ok(rb), "{cmd:?}");
        cmd
    }

    #[test]
    fn terminal_commands_parse_back_on_the_chip() {
        let hex = |c: Command| hex::encode_upper(c.to_bytes().unwrap());
        let by_sfi = round_trip(ReadBinary::new(FileRef::Sfi(0x1E), 0, 231));
        assert_eq!(hex(by_sfi), "00B09E00E7");
        let current = round_trip(ReadBinary::new(FileRef::Current, 0x7FFF, 256));
        assert_eq!(hex(current), "00B07FFF00");
        let odd = round_trip(ReadBinary::new(FileRef::Current, 0x8000, 200));
        assert_eq!(hex(odd.clone()), "00B100000454028000CB");
        assert_eq!(odd.le, Some(200 + 3));
        round_trip(ReadBinary::new(FileRef::Sfi(1), 0x100, 10));
        round_trip(ReadBinary::new(FileRef::Fid(0x011E), 0, 10));
        round_trip(ReadBinary::new(FileRef::Current, 0xFF_FFFF, 65_000));
        let no_le = ReadBinary {
            ne: None,
            ..ReadBinary::new(FileRef::Current, 5, 1)
        };
        round_trip(no_le);
    }

    #[test]
    fn unencodable_reads_are_errors() {
        for rb in [
            ReadBinary::new(FileRef::Sfi(0), 0, 1),
            ReadBinary::new(FileRef::Sfi(31), 0, 1),
            ReadBinary::new(FileRef::Current, 0x100_0000, 1),
            ReadBinary::new(FileRef::Fid(0x001E), 0, 1),
            ReadBinary {
                odd: false,
                ..ReadBinary::new(FileRef::Fid(0x011E), 0, 1)
            },
            ReadBinary {
                odd: false,
                ..ReadBinary::new(FileRef::Current, 0x8000, 1)
            },
        ] {
            assert!(rb.to_command().is_err(), "{rb:?}");
        }
    }

    #[test]
    fn the_chip_refuses_malformed_commands() {
        let b1 = |p1p2: [u8; 2], data: &[u8]| {
            Command::new(0, INS_ODD, p1p2[0], p1p2[1])
                .with_data(data.to_vec())
                .with_le(10)
        };
        let cases: [(Command, Refusal); 6] = [
            (
                Command::new(0, INS_EVEN, 0xC1, 0).with_le(1),
                Refusal::WrongP1P2,
            ),
            (
                Command::new(0, INS_EVEN, 0xA1, 0).with_le(1),
                Refusal::WrongP1P2,
            ),
            (b1([0, 0], &[]), Refusal::WrongData),
            (b1([0, 0], &[0x53, 0x01, 0x00]), Refusal::WrongData),
            (b1([0, 0], &[0x54, 0x04, 1, 0, 0, 0]), Refusal::WrongData),
            (
                Command::new(0, 0xB2, 0, 0).with_le(1),
                Refusal::InsNotSupported,
            ),
        ];
        for (cmd, status) in cases {
            assert_eq!(
                ReadBinary::parse(&cmd).map_err(|e| e.kind),
                Err(status),
                "{cmd:?}"
            );
        }
        let sfi0 = ReadBinary::parse(&Command::new(0, INS_EVEN, 0x80, 7)).unwrap();
        assert_eq!(
            (sfi0.file, sfi0.offset, sfi0.ne),
            (FileRef::Sfi(0), 7, None)
        );
        let fid = ReadBinary::parse(&b1([0, 0x1F], &[0x54, 0x01, 0x09])).unwrap();
        assert_eq!((fid.file, fid.offset), (FileRef::Fid(0x001F), 9));
    }

    #[test]
    fn answers_fit_ne_and_unwrap_to_the_file_bytes() {
        let file: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        for (ne, odd) in [(1, false), (2, true), (3, true), (130, true), (256, true)] {
            let data = encode_response(&file, ne, odd);
            assert!(data.len() <= ne, "{ne} {odd}");
            let back = decode_response(data, odd).unwrap();
            assert_eq!(back, file[..data_capacity(ne, odd)]);
        }
        assert_eq!(data_capacity(2, true), 0);
        assert_eq!(data_capacity(131, true), 128);
        assert_eq!(data_capacity(132, true), 129);
        assert_eq!(data_capacity(133, true), 130);
        assert_eq!(data_capacity(65_536, true), 65_532);
        assert!(decode_response(vec![0x54, 0x00], true).is_err());
        assert_eq!(decode_response(vec![], true).unwrap(), [0u8; 0]);
        assert_eq!(decode_response(vec![0x53, 1], false).unwrap(), [0x53, 1]);
    }

    #[test]
    fn sfi_addressing_is_read_from_p1_p2_alone() {
        assert!(addressed_by_sfi(&Command::new(0, INS_EVEN, 0xE1, 0)));
        assert!(addressed_by_sfi(&Command::new(0, INS_ODD, 0, 0x1E)));
        assert!(!addressed_by_sfi(&Command::new(0, INS_ODD, 0, 0x1F)));
        assert!(!addressed_by_sfi(&Command::new(0, INS_EVEN, 0x7F, 0)));
    }
}
