//! File identifiers and short EF identifiers of the LDS1 application and the master file
//! (ICAO Doc 9303-10 clause 3.10, Table 38 and clause 4.6.1).

use crate::error::{Error, Result};

/// The LDS1 eMRTD application identifier.
pub const LDS1_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// Where an elementary file is: its file identifier (SELECT) and, if it has one, its short EF
/// identifier (READ BINARY by SFI). EF.CVCA may be elsewhere than its defaults, as DG14's
/// TerminalAuthenticationInfo then says (BSI TR-03110-3 clause A.7.2.4, efCVCA).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileLocation {
    /// The file identifier.
    pub fid: u16,
    /// The short EF identifier (1 to 30), if the file can be read by one.
    pub sfi: Option<u8>,
}

/// Serialized as its description, `"FID 011C, SFI 1C"`.
impl serde::Serialize for FileLocation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.describe())
    }
}

impl FileLocation {
    /// "FID 011C, SFI 1C" or "FID 011C, no SFI".
    pub fn describe(&self) -> String {
        match self.sfi {
            Some(s) => format!("FID {:04X}, SFI {s:02X}", self.fid),
            None => format!("FID {:04X}, no SFI", self.fid),
        }
    }
}

/// An elementary file of an eMRTD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EfId {
    /// EF.CardAccess (master file, readable without access control).
    CardAccess,
    /// EF.ATR/INFO (master file, readable without access control).
    AtrInfo,
    /// EF.CardSecurity (master file).
    CardSecurity,
    /// EF.COM (LDS1 application).
    Com,
    /// EF.SOD (LDS1 application).
    Sod,
    /// EF.CVCA (LDS1 application): the trust points for Terminal Authentication (BSI
    /// TR-03110-3 clause A.7.2.4; the default identifiers; TerminalAuthenticationInfo may name
    /// others).
    Cvca,
    /// Data group 1..=16.
    Dg(u8),
}

impl EfId {
    /// The file identifier used by SELECT.
    pub fn fid(self) -> u16 {
        match self {
            EfId::CardAccess => 0x011C,
            EfId::AtrInfo => 0x2F01,
            EfId::CardSecurity => 0x011D,
            EfId::Com => 0x011E,
            EfId::Sod => 0x011D,
            EfId::Cvca => 0x011C,
            EfId::Dg(n) => 0x0100 + n as u16,
        }
    }

    /// The short EF identifier used in READ BINARY P1.
    pub fn sfi(self) -> u8 {
        match self {
            EfId::CardAccess => 0x1C,
            EfId::AtrInfo => 0x01,
            EfId::CardSecurity => 0x1D,
            EfId::Com => 0x1E,
            EfId::Sod => 0x1D,
            EfId::Cvca => 0x1C,
            EfId::Dg(n) => n,
        }
    }

    /// Its default location: [`EfId::fid`] and [`EfId::sfi`].
    pub fn location(self) -> FileLocation {
        FileLocation {
            fid: self.fid(),
            sfi: Some(self.sfi()),
        }
    }

    /// True for files of the master file rather than the LDS1 application.
    pub fn in_master_file(self) -> bool {
        matches!(self, EfId::CardAccess | EfId::AtrInfo | EfId::CardSecurity)
    }

    /// The tag the file's content starts with, where the LDS fixes one.
    pub fn tag(self) -> Option<u32> {
        match self {
            EfId::Com => Some(0x60),
            EfId::Sod => Some(0x77),
            EfId::Dg(n) => dg_tag(n),
            _ => None,
        }
    }

    /// True when the file is one TLV object whose header gives its length; EF.CVCA is a
    /// sequence of CAR objects padded with zeros to 36 bytes.
    pub fn is_single_object(self) -> bool {
        self != EfId::Cvca
    }

    /// A data group from its number.
    pub fn dg(n: u8) -> Result<EfId> {
        if (1..=16).contains(&n) {
            Ok(EfId::Dg(n))
        } else {
            Err(Error::Lds(format!(
                "there is no data group {n}; they are numbered 1 to 16"
            )))
        }
    }

    /// The file's conventional name: `EF.COM`, `DG1`, ...
    pub fn name(self) -> String {
        match self {
            EfId::CardAccess => "EF.CardAccess".into(),
            EfId::AtrInfo => "EF.ATR/INFO".into(),
            EfId::CardSecurity => "EF.CardSecurity".into(),
            EfId::Com => "EF.COM".into(),
            EfId::Sod => "EF.SOD".into(),
            EfId::Cvca => "EF.CVCA".into(),
            EfId::Dg(n) => format!("DG{n}"),
        }
    }

    /// Parses a name as written in chip images and on the command line: `COM`, `EF.COM`,
    /// `SOD`, `DG1`, `CardAccess`, `ATR/INFO`.
    pub fn from_name(name: &str) -> Result<EfId> {
        let upper = name.trim().to_ascii_uppercase();
        let n = upper.strip_prefix("EF.").unwrap_or(&upper);
        match n {
            "COM" => Ok(EfId::Com),
            "SOD" => Ok(EfId::Sod),
            "CVCA" => Ok(EfId::Cvca),
            "CARDACCESS" => Ok(EfId::CardAccess),
            "CARDSECURITY" => Ok(EfId::CardSecurity),
            "ATR/INFO" | "ATRINFO" | "ATR_INFO" => Ok(EfId::AtrInfo),
            _ => match n.strip_prefix("DG").map(str::parse::<u8>) {
                Some(Ok(d)) => EfId::dg(d),
                _ => Err(Error::Lds(format!(
                    "unknown file name {name:?}: expected COM, SOD, DG1..DG16, CVCA, CardAccess, CardSecurity or ATR/INFO"
                ))),
            },
        }
    }
}

/// The data group whose content starts with `tag` (as listed in EF.COM).
pub fn dg_from_tag(tag: u32) -> Option<u8> {
    (1..=16).find(|&n| dg_tag(n) == Some(tag))
}

/// The tag a data group's content starts with (ICAO 9303-10 Table 38).
pub fn dg_tag(n: u8) -> Option<u32> {
    Some(match n {
        1 => 0x61,
        2 => 0x75,
        3 => 0x63,
        4 => 0x76,
        5 => 0x65,
        6 => 0x66,
        7 => 0x67,
        8 => 0x68,
        9 => 0x69,
        10 => 0x6A,
        11 => 0x6B,
        12 => 0x6C,
        13 => 0x6D,
        14 => 0x6E,
        15 => 0x6F,
        16 => 0x70,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_9303_10() {
        assert_eq!(EfId::Com.fid(), 0x011E);
        assert_eq!(EfId::Dg(1).fid(), 0x0101);
        assert_eq!(EfId::Dg(16).fid(), 0x0110);
        assert_eq!(EfId::Sod.sfi(), 0x1D);
        assert_eq!(dg_tag(2), Some(0x75));
        assert_eq!(dg_from_tag(0x63), Some(3));
        assert_eq!(EfId::from_name("dg14").unwrap(), EfId::Dg(14));
        assert_eq!(EfId::from_name("EF.COM").unwrap(), EfId::Com);
        assert!(EfId::from_name("DG17").is_err());
    }
}
