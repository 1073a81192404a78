//! Command and response APDUs (ISO/IEC 7816-4:2020 clause 5.1 and 5.6): the four command cases in
//! short and extended length, response parsing, and status words with their meaning.

use crate::error::{Error, Result};
use std::fmt;

/// Maximum Nc (command data length) for extended APDUs.
pub const MAX_EXTENDED_NC: usize = 65_535;
/// Maximum Ne (expected response length) for extended APDUs.
pub const MAX_EXTENDED_NE: usize = 65_536;
/// Maximum Ne for short APDUs.
pub const MAX_SHORT_NE: usize = 256;
/// Maximum Nc for short APDUs.
pub const MAX_SHORT_NC: usize = 255;

/// A command APDU. `le` is Ne, the number of response bytes expected: `None` for cases 1 and 3,
/// `Some(256)` encodes as short `00`, `Some(65536)` as extended `0000`.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Command data field (Nc bytes).
    pub data: Vec<u8>,
    /// Expected response length Ne, if any.
    pub le: Option<usize>,
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Command({:02X} {:02X} {:02X} {:02X} data={} le={:?})",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            hex::encode_upper(&self.data),
            self.le
        )
    }
}

impl Command {
    /// A case-1 command (no data, no Le).
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Command {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
        }
    }

    /// Sets the data field.
    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = data.into();
        self
    }

    /// Sets Ne.
    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// True when the command needs extended length fields.
    pub fn is_extended(&self) -> bool {
        self.data.len() > MAX_SHORT_NC || self.le.is_some_and(|le| le > MAX_SHORT_NE)
    }

    /// Encodes the command, choosing short or extended length as needed.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        if self.data.len() > MAX_EXTENDED_NC {
            return Err(Error::Apdu(format!(
                "command data of {} bytes exceeds {MAX_EXTENDED_NC}",
                self.data.len()
            )));
        }
        if let Some(le) = self.le
            && (le == 0 || le > MAX_EXTENDED_NE)
        {
            return Err(Error::Apdu(format!("Ne {le} outside 1..=65536")));
        }
        let mut out = Vec::with_capacity(9 + self.data.len());
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        let extended = self.is_extended();
        if !self.data.is_empty() {
            if extended {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if extended {
                if self.data.is_empty() {
                    out.push(0);
                }
                out.extend_from_slice(&((le % MAX_EXTENDED_NE) as u16).to_be_bytes());
            } else {
                out.push((le % MAX_SHORT_NE) as u8);
            }
        }
        Ok(out)
    }

    /// Parses a command APDU (ISO 7816-4 clause 5.1, all cases, short and extended).
    pub fn parse(bytes: &[u8]) -> Result<Command> {
        let (header, body) = bytes
            .split_first_chunk::<4>()
            .ok_or_else(|| Error::Apdu(format!("{} bytes, a header needs 4", bytes.len())))?;
        let mut cmd = Command::new(header[0], header[1], header[2], header[3]);
        match body {
            [] => {}
            [le] => cmd.le = Some(short_ne(*le)),
            [0, rest @ ..] if rest.len() >= 2 => {
                let n = u16::from_be_bytes([rest[0], rest[1]]) as usize;
                let rest = &rest[2..];
                if rest.is_empty() {
                    cmd.le = Some(extended_ne(n));
                } else {
                    if n == 0 {
                        return Err(Error::Apdu("extended Lc of 0".into()));
                    }
                    let data = rest.get(..n).ok_or_else(|| {
                        Error::Apdu(format!("Lc {n} but {} data bytes", rest.len()))
                    })?;
                    cmd.data = data.to_vec();
                    match &rest[n..] {
                        [] => {}
                        [a, b] => cmd.le = Some(extended_ne(u16::from_be_bytes([*a, *b]) as usize)),
                        other => {
                            return Err(Error::Apdu(format!(
                                "{} bytes after extended data, expected 0 or 2",
                                other.len()
                            )));
                        }
                    }
                }
            }
            [lc, rest @ ..] => {
                let n = *lc as usize;
                if n == 0 {
                    return Err(Error::Apdu("malformed length field".into()));
                }
                let data = rest
                    .get(..n)
                    .ok_or_else(|| Error::Apdu(format!("Lc {n} but {} data bytes", rest.len())))?;
                cmd.data = data.to_vec();
                match &rest[n..] {
                    [] => {}
                    [le] => cmd.le = Some(short_ne(*le)),
                    other => {
                        return Err(Error::Apdu(format!(
                            "{} bytes after short data, expected 0 or 1",
                            other.len()
                        )));
                    }
                }
            }
        }
        Ok(cmd)
    }
}

fn short_ne(le: u8) -> usize {
    if le == 0 { MAX_SHORT_NE } else { le as usize }
}

fn extended_ne(le: usize) -> usize {
    if le == 0 { MAX_EXTENDED_NE } else { le }
}

/// A response APDU: data field and status word.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    /// Response data field.
    pub data: Vec<u8>,
    /// SW1-SW2.
    pub sw: u16,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Response({} {:04X})",
            hex::encode_upper(&self.data),
            self.sw
        )
    }
}

impl Response {
    /// A response with data.
    pub fn new(data: impl Into<Vec<u8>>, sw: u16) -> Self {
        Response {
            data: data.into(),
            sw,
        }
    }

    /// A response with only a status word.
    pub fn sw(sw: u16) -> Self {
        Response::new(Vec::new(), sw)
    }

    /// Parses `data || SW1 SW2`.
    pub fn parse(bytes: &[u8]) -> Result<Response> {
        let (data, sw) = bytes.split_last_chunk::<2>().ok_or_else(|| {
            Error::Apdu(format!(
                "response of {} bytes has no status word",
                bytes.len()
            ))
        })?;
        Ok(Response::new(data, u16::from_be_bytes(*sw)))
    }

    /// Encodes `data || SW1 SW2`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() + 2);
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.sw.to_be_bytes());
        out
    }

    /// SW1.
    pub fn sw1(&self) -> u8 {
        (self.sw >> 8) as u8
    }

    /// SW2.
    pub fn sw2(&self) -> u8 {
        self.sw as u8
    }

    /// 9000, or a warning (62xx/63xx) that still carries data.
    pub fn is_success(&self) -> bool {
        self.sw == sw::OK
    }

    /// Turns a non-9000 status into an error naming what was being done.
    pub fn check(self, context: &str) -> Result<Response> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(Error::status(context, self.sw))
        }
    }
}

/// Status words used by dactyl (ISO/IEC 7816-4 clause 5.6, ICAO 9303-11 clause 9.8).
pub mod sw {
    /// Normal processing.
    pub const OK: u16 = 0x9000;
    /// End of file reached before reading Ne bytes.
    pub const END_OF_FILE: u16 = 0x6282;
    /// Verification failed (a wrong cryptogram, token or signature; no retry counter).
    pub const VERIFICATION_FAILED: u16 = 0x6300;
    /// Wrong length.
    pub const WRONG_LENGTH: u16 = 0x6700;
    /// Security status not satisfied.
    pub const SECURITY_STATUS: u16 = 0x6982;
    /// Authentication method blocked.
    pub const AUTH_BLOCKED: u16 = 0x6983;
    /// Reference data not usable (ISO/IEC 7816-4); "data invalid" on CREATE FILE.
    pub const DATA_INVALID: u16 = 0x6984;
    /// Conditions of use not satisfied.
    pub const CONDITIONS: u16 = 0x6985;
    /// Command not allowed (no current EF).
    pub const NO_CURRENT_EF: u16 = 0x6986;
    /// Expected secure messaging data objects missing.
    pub const SM_MISSING: u16 = 0x6987;
    /// Incorrect secure messaging data objects.
    pub const SM_INCORRECT: u16 = 0x6988;
    /// Incorrect parameters in the data field.
    pub const WRONG_DATA: u16 = 0x6A80;
    /// Function not supported.
    pub const FUNC_NOT_SUPPORTED: u16 = 0x6A81;
    /// File or application not found.
    pub const FILE_NOT_FOUND: u16 = 0x6A82;
    /// Incorrect P1-P2.
    pub const WRONG_P1P2: u16 = 0x6A86;
    /// Nc inconsistent with P1-P2.
    pub const NC_INCONSISTENT: u16 = 0x6A87;
    /// Reference data not found.
    pub const REF_NOT_FOUND: u16 = 0x6A88;
    /// Wrong parameters P1-P2 (offset outside the EF).
    pub const WRONG_PARAMS: u16 = 0x6B00;
    /// Instruction not supported.
    pub const INS_NOT_SUPPORTED: u16 = 0x6D00;
    /// Class not supported.
    pub const CLA_NOT_SUPPORTED: u16 = 0x6E00;
    /// Command chaining not supported.
    pub const CHAINING_NOT_SUPPORTED: u16 = 0x6884;
    /// No precise diagnosis.
    pub const UNKNOWN: u16 = 0x6F00;
    /// Memory failure.
    pub const MEMORY_FAILURE: u16 = 0x6581;
}

pub use crate::error::StatusWord;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_all_four_cases_short() {
        let c1 = Command::new(0x00, 0x84, 0, 0);
        assert_eq!(c1.to_bytes().unwrap(), [0x00, 0x84, 0, 0]);
        let c2 = Command::new(0x00, 0x84, 0, 0).with_le(8);
        assert_eq!(hex::encode_upper(c2.to_bytes().unwrap()), "0084000008");
        let c3 = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data([0x01, 0x1E]);
        assert_eq!(hex::encode_upper(c3.to_bytes().unwrap()), "00A4020C02011E");
        let c4 = Command::new(0x00, 0x82, 0, 0)
            .with_data([1, 2])
            .with_le(256);
        assert_eq!(
            hex::encode_upper(c4.to_bytes().unwrap()),
            "0082000002010200"
        );
    }

    #[test]
    fn encodes_extended() {
        let c2 = Command::new(0x00, 0xB0, 0, 0).with_le(65536);
        assert_eq!(hex::encode_upper(c2.to_bytes().unwrap()), "00B00000000000");
        let c4 = Command::new(0x0C, 0xB0, 0, 0)
            .with_data(vec![0xAA; 300])
            .with_le(1000);
        let b = c4.to_bytes().unwrap();
        assert_eq!(&b[4..7], &[0x00, 0x01, 0x2C]);
        assert_eq!(&b[b.len() - 2..], &[0x03, 0xE8]);
        assert_eq!(Command::parse(&b).unwrap(), c4);
    }

    #[test]
    fn parse_round_trips_each_case() {
        for cmd in [
            Command::new(1, 2, 3, 4),
            Command::new(1, 2, 3, 4).with_le(1),
            Command::new(1, 2, 3, 4).with_le(256),
            Command::new(1, 2, 3, 4).with_le(257),
            Command::new(1, 2, 3, 4).with_le(65536),
            Command::new(1, 2, 3, 4).with_data(vec![7; 255]),
            Command::new(1, 2, 3, 4).with_data(vec![7; 256]),
            Command::new(1, 2, 3, 4).with_data(vec![7; 5]).with_le(256),
            Command::new(1, 2, 3, 4).with_data(vec![7; 5]).with_le(4096),
        ] {
            assert_eq!(Command::parse(&cmd.to_bytes().unwrap()).unwrap(), cmd);
        }
    }

    #[test]
    fn rejects_malformed_commands() {
        for bad in [
            &[0u8, 1, 2][..],
            &[0, 1, 2, 3, 5, 1, 2],
            &[0, 1, 2, 3, 0, 0, 3, 1],
            &[0, 1, 2, 3, 1, 9, 9, 9],
        ] {
            assert!(Command::parse(bad).is_err(), "{bad:02X?}");
        }
        assert!(Command::new(0, 0, 0, 0).with_le(0).to_bytes().is_err());
        assert!(
            Command::new(0, 0, 0, 0)
                .with_data(vec![0; 65536])
                .to_bytes()
                .is_err()
        );
    }

    #[test]
    fn response_parsing_and_meanings() {
        let r = Response::parse(&[0x60, 0x14, 0x90, 0x00]).unwrap();
        assert_eq!(r.data, [0x60, 0x14]);
        assert!(r.is_success());
        assert!(Response::parse(&[0x90]).is_err());
        assert_eq!(
            StatusWord(0x6982).to_string(),
            "6982 (security status not satisfied)"
        );
        assert!(StatusWord(0x6C10).meaning().contains("16"));
        assert!(StatusWord(0x6110).meaning().contains("GET RESPONSE"));
        assert!(StatusWord(0x6987).meaning().contains("secure messaging"));
    }
}
