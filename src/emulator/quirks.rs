//! Named quirk profiles: ways real eMRTD chips depart from ICAO Doc 9303-10/-11 and ISO/IEC
//! 7816-4 (clause 11.3.3 READ BINARY, clause 5.1 length fields, 9303-11 clause 9.8 secure
//! messaging), and the failures BSI TR-03105 Part 5.1 has its chip simulator show an inspection
//! system, reproduced by the virtual chip so the reader can be tested against them.
//!
//! A chip image selects profiles with `"quirks": ["jmrtd-applet", "read-cap-160"]`. They act as
//! a filter in front of the chip's normal command processing (after secure messaging has been
//! removed from a command), and on the file system when the chip is built.

use super::chip::VirtualChip;
use super::fs::{FileSystem, LengthSupport};
use super::read;
use crate::apdu::{Command, MAX_SHORT_NE, Response, sw};
use crate::error::{Error, Result};
use crate::iso7816::challenge::{INS_GET_CHALLENGE, INS_INTERNAL_AUTHENTICATE};
use crate::iso7816::mse::{self, Mse, MseKind, TAG_PRIVATE_REFERENCE};
use crate::iso7816::read_binary::{self, INS_EVEN, INS_ODD};
use crate::iso7816::refusal::{ChipError, ChipResult, Refusal};
use crate::lds::com::Com;
use crate::lds::files::EfId;
use serde::{Deserialize, Serialize};

/// How many bytes a `le256-6282-short` chip returns to Le = 256.
const LE256_SHORT_ANSWER: usize = 100;
/// The most bytes the JMRTD passport applet returns to one READ BINARY.
const JMRTD_MAX_READ: usize = 223;

/// One named quirk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Quirk {
    /// `jmrtd-applet`: the JMRTD passport applet. No READ BINARY by short EF identifier (6986
    /// in plain, 6F00 under secure messaging), at most 223 bytes per READ BINARY, 9000 with
    /// short data at the end of a file, refusals under secure messaging as a bare status word
    /// (no DO 99/8E), short APDUs only, BAC but no PACE (no EF.CardAccess).
    JmrtdApplet,
    /// `mse-needs-do84`: MSE:Set AT for PACE without the domain parameter id (DO 84) gets 6A87.
    MseNeedsDo84,
    /// `le256-6b00`: READ BINARY with Le = 256 (`00`) gets 6B00.
    Le256WrongParams,
    /// `le256-6700`: READ BINARY with Le = 256 (`00`) gets 6700.
    Le256WrongLength,
    /// `le256-6282-short`: READ BINARY with Le = 256 (`00`) gets 100 bytes and 6282, even when
    /// the file goes on.
    Le256ShortAnswer,
    /// `read-cap-NNN`: READ BINARY asking for more than NNN bytes gets 6700, whatever EF.ATR/INFO
    /// and the ATR announce.
    ReadCap(u16),
    /// `extended-refused`: extended length is announced (ATR, EF.ATR/INFO) but every extended
    /// APDU gets 6700.
    ExtendedRefused,
    /// `aa-extended-le-empty`: INTERNAL AUTHENTICATE with Ne above 256 returns 9000 and no data.
    AaExtendedLeEmpty,
    /// `com-lists-absent`: EF.COM lists a data group the chip does not have.
    ComListsAbsent,
    /// `com-omits-present`: EF.COM leaves out the highest-numbered data group present (not DG1).
    ComOmitsPresent,
    /// `card-access-6982`, `-6a82`, `-6d00`, `-6e00`: the plain READ BINARY of EF.CardAccess
    /// gets this status word.
    CardAccessStatus(u16),
    /// `no-sfi`: READ BINARY by short EF identifier gets 6A86.
    NoSfi,
    /// `ta-static-binding`: after PACE, Terminal Authentication expects the static binding
    /// (`ID_PICC` = the document number, or the CAN when the CAN was the password), as some
    /// older documents do (BSI TR-03110-1 clause 3.5), and refuses the dynamic one.
    TaStaticBinding,
    /// `sm-challenge-NN`: GET CHALLENGE under secure messaging (Terminal Authentication)
    /// answers NN random bytes instead of 8; the unprotected one (BAC) still answers 8 (BSI
    /// TR-03105-5.1 ISO7816_E_12 and E_13: 7 and 9 bytes).
    SmChallenge(u8),
    /// `ta-wrong-document-number`: after BAC the chip expects another document number in
    /// `ID_PICC` than its MRZ's (the first character changed), so no terminal signature
    /// verifies (TR-03105-5.1 ISO7816_E_11).
    TaWrongDocumentNumber,
    /// `eac-dg11-dg12`: DG11 and DG12 are readable only after Terminal Authentication, as
    /// TR-03105-5.1 ISO7816_E_26 configures them.
    EacDg11Dg12,
}

impl Quirk {
    /// Every profile name without a parameter, and the parameterized ones with an example.
    pub fn examples() -> Vec<Quirk> {
        vec![
            Quirk::JmrtdApplet,
            Quirk::MseNeedsDo84,
            Quirk::Le256WrongParams,
            Quirk::Le256WrongLength,
            Quirk::Le256ShortAnswer,
            Quirk::ReadCap(160),
            Quirk::ExtendedRefused,
            Quirk::AaExtendedLeEmpty,
            Quirk::ComListsAbsent,
            Quirk::ComOmitsPresent,
            Quirk::CardAccessStatus(sw::SECURITY_STATUS),
            Quirk::CardAccessStatus(sw::FILE_NOT_FOUND),
            Quirk::CardAccessStatus(sw::INS_NOT_SUPPORTED),
            Quirk::CardAccessStatus(sw::CLA_NOT_SUPPORTED),
            Quirk::NoSfi,
            Quirk::TaStaticBinding,
            Quirk::SmChallenge(7),
            Quirk::TaWrongDocumentNumber,
            Quirk::EacDg11Dg12,
        ]
    }

    /// The profile's name as written in chip images.
    pub fn name(self) -> String {
        match self {
            Quirk::JmrtdApplet => "jmrtd-applet".into(),
            Quirk::MseNeedsDo84 => "mse-needs-do84".into(),
            Quirk::Le256WrongParams => "le256-6b00".into(),
            Quirk::Le256WrongLength => "le256-6700".into(),
            Quirk::Le256ShortAnswer => "le256-6282-short".into(),
            Quirk::ReadCap(n) => format!("read-cap-{n}"),
            Quirk::ExtendedRefused => "extended-refused".into(),
            Quirk::AaExtendedLeEmpty => "aa-extended-le-empty".into(),
            Quirk::ComListsAbsent => "com-lists-absent".into(),
            Quirk::ComOmitsPresent => "com-omits-present".into(),
            Quirk::CardAccessStatus(s) => format!("card-access-{s:04x}"),
            Quirk::NoSfi => "no-sfi".into(),
            Quirk::TaStaticBinding => "ta-static-binding".into(),
            Quirk::SmChallenge(n) => format!("sm-challenge-{n}"),
            Quirk::TaWrongDocumentNumber => "ta-wrong-document-number".into(),
            Quirk::EacDg11Dg12 => "eac-dg11-dg12".into(),
        }
    }

    /// Parses a profile name.
    pub fn parse(name: &str) -> Result<Quirk> {
        let fixed = Quirk::examples()
            .into_iter()
            .find(|q| !matches!(q, Quirk::ReadCap(_) | Quirk::SmChallenge(_)) && q.name() == name);
        if let Some(q) = fixed {
            return Ok(q);
        }
        if let Some(n) = name.strip_prefix("read-cap-") {
            return match n.parse::<u16>() {
                Ok(n @ 1..=65535) => Ok(Quirk::ReadCap(n)),
                _ => Err(Error::ChipImage(format!(
                    "quirk {name:?}: the cap must be 1 to 65535 bytes"
                ))),
            };
        }
        if let Some(n) = name.strip_prefix("sm-challenge-") {
            return match n.parse::<u8>() {
                Ok(n) if n != 8 => Ok(Quirk::SmChallenge(n)),
                _ => Err(Error::ChipImage(format!(
                    "quirk {name:?}: the challenge must be 0 to 255 bytes, not 8"
                ))),
            };
        }
        let names: Vec<String> = Quirk::examples().into_iter().map(Quirk::name).collect();
        Err(Error::ChipImage(format!(
            "unknown quirk {name:?} (known: {})",
            names.join(", ")
        )))
    }
}

impl TryFrom<String> for Quirk {
    type Error = Error;
    fn try_from(s: String) -> Result<Quirk> {
        Quirk::parse(&s)
    }
}

impl From<Quirk> for String {
    fn from(q: Quirk) -> String {
        q.name()
    }
}

/// The quirks a chip has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quirks(Vec<Quirk>);

impl Quirks {
    /// The set of `list`.
    pub fn new(list: &[Quirk]) -> Self {
        let mut v = list.to_vec();
        v.sort();
        v.dedup();
        Quirks(v)
    }

    fn has(&self, q: Quirk) -> bool {
        self.0.contains(&q)
    }

    fn jmrtd(&self) -> bool {
        self.has(Quirk::JmrtdApplet)
    }

    /// True when Terminal Authentication after PACE uses the static binding.
    pub fn static_binding(&self) -> bool {
        self.has(Quirk::TaStaticBinding)
    }

    /// True when every extended-length APDU gets 6700.
    pub fn refuses_extended(&self) -> bool {
        self.has(Quirk::ExtendedRefused)
    }

    fn read_cap(&self) -> Option<usize> {
        self.0.iter().find_map(|q| match q {
            Quirk::ReadCap(n) => Some(*n as usize),
            _ => None,
        })
    }

    fn sm_challenge(&self) -> Option<usize> {
        self.0.iter().find_map(|q| match q {
            Quirk::SmChallenge(n) => Some(*n as usize),
            _ => None,
        })
    }

    fn card_access_status(&self) -> Option<u16> {
        self.0.iter().find_map(|q| match q {
            Quirk::CardAccessStatus(s) => Some(*s),
            _ => None,
        })
    }
}

/// EF.COM with its data group list changed by the COM quirks.
fn quirky_com(fs: &FileSystem, quirks: &Quirks) -> Option<Vec<u8>> {
    let com = Com::parse(fs.get(EfId::Com)?).ok()?;
    let mut dgs = com.data_groups();
    if quirks.has(Quirk::ComOmitsPresent) {
        let last = dgs.iter().rev().copied().find(|&d| d != 1)?;
        dgs.retain(|&d| d != last);
    }
    if quirks.has(Quirk::ComListsAbsent) {
        let absent = (2..=16u8).find(|&d| fs.get(EfId::Dg(d)).is_none() && !dgs.contains(&d))?;
        dgs.push(absent);
        dgs.sort_unstable();
    }
    let mut out = Com::for_data_groups(&dgs);
    out.lds_version = com.lds_version;
    out.unicode_version = com.unicode_version;
    Some(out.encode())
}

impl VirtualChip {
    /// Gives the chip quirk profiles (applied to its files and configuration at once, and to
    /// every command from then on).
    pub fn with_quirks(mut self, list: &[Quirk]) -> Self {
        let quirks = Quirks::new(list);
        if let Some(com) = quirky_com(&self.fs, &quirks) {
            self.fs.put(EfId::Com, com);
        }
        if quirks.has(Quirk::TaWrongDocumentNumber)
            && let Some(first) = self.document_id.as_mut().and_then(|d| d.bytes.first_mut())
        {
            *first = if *first == b'M' { b'N' } else { b'M' };
        }
        if quirks.jmrtd() {
            self.fs.remove(EfId::CardAccess);
            self.fs.remove(EfId::AtrInfo);
            self.pace = None;
            self.config.length = LengthSupport::SHORT;
        }
        self.quirks = quirks;
        self
    }

    /// The chip's quirks.
    pub fn quirks(&self) -> &Quirks {
        &self.quirks
    }

    /// Runs before the normal processing of a command (secure messaging removed): `Some`
    /// holds the quirk's own answer or refusal, `None` lets the chip process the command as
    /// usual.
    pub(super) fn quirk_filter(
        &mut self,
        cmd: &Command,
        protected: bool,
    ) -> Option<ChipResult<Response>> {
        let q = &self.quirks;
        if q.0.is_empty() {
            return None;
        }
        match cmd.ins {
            mse::INS if q.has(Quirk::MseNeedsDo84) && !protected => {
                if let Ok(mse) = Mse::parse(cmd)
                    && mse.kind == MseKind::PaceSetAt
                    && !mse.data.has(TAG_PRIVATE_REFERENCE)
                {
                    return Some(Err(ChipError::new(
                        Refusal::DataInconsistent,
                        "mse-needs-do84: MSE:Set AT without DO 84",
                    )));
                }
            }
            INS_INTERNAL_AUTHENTICATE
                if q.has(Quirk::AaExtendedLeEmpty) && cmd.le.is_some_and(|n| n > MAX_SHORT_NE) =>
            {
                return Some(Ok(Response::sw(sw::OK)));
            }
            INS_GET_CHALLENGE if protected && let Some(n) = q.sm_challenge() => {
                let mut challenge = vec![0u8; n];
                return Some(match crate::rand::fill_random(&mut challenge) {
                    Ok(()) => Ok(Response::new(challenge, sw::OK)),
                    Err(_) => Err(ChipError::internal("no randomness")),
                });
            }
            INS_EVEN | INS_ODD => return self.quirky_read(cmd, protected),
            _ => {}
        }
        None
    }

    /// READ BINARY through the quirks; `None` leaves it to the normal processing.
    fn quirky_read(&mut self, cmd: &Command, protected: bool) -> Option<ChipResult<Response>> {
        let q = self.quirks.clone();
        let by_sfi = read_binary::addressed_by_sfi(cmd);
        if by_sfi && q.jmrtd() {
            return Some(Err(if protected {
                ChipError::internal("jmrtd-applet: no READ BINARY by SFI")
            } else {
                ChipError::new(Refusal::NoCurrentEf, "jmrtd-applet: no READ BINARY by SFI")
            }));
        }
        if by_sfi && q.has(Quirk::NoSfi) {
            return Some(Err(ChipError::wrong_p1p2("no-sfi: no READ BINARY by SFI")));
        }
        if q.has(Quirk::EacDg11Dg12)
            && !self.state.ta_done
            && read::target(self, cmd).is_ok_and(|(ef, _)| matches!(ef, EfId::Dg(11 | 12)))
        {
            return Some(Err(ChipError::security_status(
                "eac-dg11-dg12: DG11/DG12 need Terminal Authentication",
            )));
        }
        if let (Some(status), false) = (q.card_access_status(), protected)
            && read::target(self, cmd).is_ok_and(|(ef, _)| ef == EfId::CardAccess)
        {
            // The profile names the status word itself.
            return Some(Ok(Response::sw(status)));
        }
        let ne = cmd.le.unwrap_or(0);
        if ne == MAX_SHORT_NE {
            if q.has(Quirk::Le256WrongParams) {
                return Some(Err(ChipError::new(
                    Refusal::OutsideFile,
                    "le256-6b00: Le 256 refused",
                )));
            }
            if q.has(Quirk::Le256WrongLength) {
                return Some(Err(ChipError::wrong_length("le256-6700: Le 256 refused")));
            }
            if q.has(Quirk::Le256ShortAnswer) {
                let fewer = cmd.clone().with_le(LE256_SHORT_ANSWER);
                return Some(read::read_binary(self, &fewer, protected).map(|mut resp| {
                    if resp.sw == sw::OK && !resp.data.is_empty() {
                        resp.sw = sw::END_OF_FILE;
                    }
                    resp
                }));
            }
        }
        if q.read_cap().is_some_and(|cap| ne > cap) {
            return Some(Err(ChipError::wrong_length("read-cap: Ne above the cap")));
        }
        if q.jmrtd() {
            let capped = cmd.clone().with_le(ne.min(JMRTD_MAX_READ));
            return Some(read::read_binary(self, &capped, protected).map(|mut resp| {
                if resp.sw == sw::END_OF_FILE {
                    resp.sw = sw::OK;
                }
                resp
            }));
        }
        None
    }

    /// A protected command as the quirks see it: an extended outer Le counts as an extended Ne
    /// for INTERNAL AUTHENTICATE (`aa-extended-le-empty`).
    pub(super) fn quirk_wire(&self, wire: &Command, mut plain: Command) -> Command {
        if self.quirks.has(Quirk::AaExtendedLeEmpty)
            && plain.ins == INS_INTERNAL_AUTHENTICATE
            && wire.is_extended()
        {
            plain.le = Some(crate::apdu::MAX_EXTENDED_NE);
        }
        plain
    }

    /// The JMRTD applet answers a refused protected command with a bare status word; its send
    /// sequence counter still moves on as if the answer had been protected.
    pub(super) fn bare_refusal(&mut self, resp: &Response, odd: bool) -> Option<Response> {
        let refusal = !matches!(resp.sw >> 8, 0x90 | 0x61 | 0x62 | 0x63);
        if !self.quirks.jmrtd() || !refusal {
            return None;
        }
        let sm = self.state.sm.as_mut()?;
        sm.wrap_response(resp, odd).ok()?;
        Some(Response::sw(resp.sw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_listed() {
        for q in Quirk::examples() {
            assert_eq!(Quirk::parse(&q.name()).unwrap(), q);
        }
        assert_eq!(Quirk::parse("read-cap-1000").unwrap(), Quirk::ReadCap(1000));
        assert_eq!(
            Quirk::parse("sm-challenge-9").unwrap(),
            Quirk::SmChallenge(9)
        );
        assert_eq!(
            Quirk::parse("card-access-6d00").unwrap(),
            Quirk::CardAccessStatus(0x6D00)
        );
        for bad in [
            "read-cap-0",
            "read-cap-x",
            "read-cap-70000",
            "jmrtd",
            "sm-challenge-8",
            "sm-challenge-300",
        ] {
            let e = Quirk::parse(bad).unwrap_err().to_string();
            assert!(e.contains(bad), "{e}");
        }
        assert!(
            Quirk::parse("nope")
                .unwrap_err()
                .to_string()
                .contains("no-sfi")
        );
    }
}
