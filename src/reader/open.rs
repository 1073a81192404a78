//! Opening a chip (ICAO Doc 9303-11 clause 4.2, access control order): read EF.CardAccess in
//! plain, run PACE with the CAN or the MRZ on the first suite dactyl supports, and fall back to
//! BAC when the chip offers no PACE or PACE fails for a reason other than a wrong password; then
//! select the LDS1 application.

use super::Session;
use crate::access::bac::BacKeys;
use crate::access::pace::{PaceOutcome, PaceSuite, Password};
use crate::apdu::sw;
use crate::error::{Error, Result};
use crate::lds::files::EfId;
use crate::lds::mrz::MrzKeyInfo;
use crate::lds::security_infos::SecurityInfos;
use serde::Serialize;
use zeroize::Zeroizing;

/// Which access control protocols the reader may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum AccessPolicy {
    /// PACE when the chip offers it, else BAC.
    #[default]
    PaceThenBac,
    /// PACE or nothing.
    PaceOnly,
    /// PACE when EF.CardAccess offers it, with no fallback to BAC after a PACE failure
    /// (`--no-downgrade`); BAC only for chips without PACE.
    NoDowngrade,
    /// BAC only (EF.CardAccess is not read).
    BacOnly,
}

/// The secrets a reader may use (redacted in `Debug`).
#[derive(Clone, Default)]
pub struct AccessKeys {
    /// The MRZ key information (PACE with MRZ, BAC).
    pub mrz: Option<MrzKeyInfo>,
    /// The card access number (PACE only).
    pub can: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for AccessKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKeys")
            .field("mrz", &self.mrz)
            .field("can", &self.can.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// How the chip was opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessReport {
    /// `PACE` or `BAC`.
    pub protocol: String,
    /// PACE details, when PACE was used.
    pub pace: Option<PaceReport>,
    /// Why PACE was not used, when BAC was.
    pub pace_not_used: Option<String>,
    /// The chip offered PACE, PACE failed, and BAC was used instead (a downgrade an attacker
    /// in the middle could force).
    pub downgraded: bool,
}

/// The PACE suite used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaceReport {
    /// BSI protocol name, e.g. `id-PACE-ECDH-GM-AES-CBC-CMAC-128`.
    pub protocol: String,
    /// `Generic`, `Integrated` or `ChipAuthentication`.
    pub mapping: String,
    /// Curve name, or the MODP group's for DH.
    pub curve: String,
    /// Cipher name.
    pub cipher: String,
    /// `MRZ` or `CAN`.
    pub password: String,
    /// The standardized domain parameter id.
    pub parameter_id: u8,
}

/// What opening the chip produced.
pub struct Opened {
    /// The report.
    pub report: AccessReport,
    /// PACE's outcome (CAM data), when PACE ran.
    pub pace: Option<PaceOutcome>,
    /// The PACE suites EF.CardAccess offered (for the report and for CAM's static key check).
    pub card_access: Option<Vec<u8>>,
    /// EF.CardSecurity, read after PACE-CAM (the signed source of PK_IC, ICAO Doc 9303-11
    /// clause 4.4.3.5), or why it could not be read.
    pub card_security: Option<std::result::Result<Vec<u8>, String>>,
}

/// The PACE suites of EF.CardAccess that dactyl can run (ECDH on a known curve, DH on an
/// RFC 5114 group), in the chip's order.
pub fn supported_suites(infos: &SecurityInfos) -> Vec<PaceSuite> {
    infos
        .pace_infos()
        .filter_map(|p| {
            let id = u8::try_from(p.parameter_id?).ok()?;
            PaceSuite::from_parameter_id(p.protocol, id)
        })
        .filter(|s| s.check().is_ok())
        .collect()
}

fn pace_report(suite: PaceSuite, password: &Password) -> PaceReport {
    PaceReport {
        protocol: suite.protocol.name(),
        mapping: format!("{:?}", suite.protocol.mapping),
        curve: suite.domain().name().to_string(),
        cipher: suite.protocol.cipher.name().to_string(),
        password: password.name().to_string(),
        parameter_id: suite.parameter_id(),
    }
}

/// Opens the chip: PACE, else BAC; then selects the LDS1 application.
pub fn open_chip(session: &mut Session, keys: &AccessKeys, policy: AccessPolicy) -> Result<Opened> {
    let mut not_used = None;
    let mut card_access = None;
    let mut downgraded = false;
    if policy != AccessPolicy::BacOnly {
        match session.read_file(EfId::CardAccess, &mut |_, _| {}) {
            Ok(bytes) => card_access = Some(bytes),
            Err(e) if card_access_refused(e.sw()) => {
                not_used = Some(format!(
                    "the chip has no EF.CardAccess (no PACE): {}",
                    crate::apdu::StatusWord(e.sw().unwrap_or_default())
                ));
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(bytes) = &card_access {
        match try_pace(session, keys, bytes) {
            Ok((report, outcome)) => {
                // PACE-CAM: PK_IC comes from EF.CardSecurity in the master file, read before
                // the application is selected.
                let card_security = outcome.cam_data.is_some().then(|| {
                    session
                        .read_file(EfId::CardSecurity, &mut |_, _| {})
                        .map_err(|e| e.to_string())
                });
                select_application(session)?;
                return Ok(Opened {
                    report: AccessReport {
                        protocol: "PACE".into(),
                        pace: Some(report),
                        pace_not_used: None,
                        downgraded: false,
                    },
                    pace: Some(outcome),
                    card_access,
                    card_security,
                });
            }
            Err(e @ Error::PaceDenied { .. }) => return Err(e),
            Err(e) if policy == AccessPolicy::NoDowngrade => {
                return Err(Error::protocol(
                    "PACE",
                    format!("{e}; not falling back to BAC (--no-downgrade)"),
                ));
            }
            Err(e) => {
                downgraded = true;
                not_used = Some(format!("PACE failed: {e}"));
            }
        }
    }
    if policy == AccessPolicy::PaceOnly {
        return Err(Error::protocol(
            "PACE",
            not_used.unwrap_or_else(|| "not possible".into()),
        ));
    }
    let mrz = keys.mrz.as_ref().ok_or_else(|| {
        Error::Usage(format!(
            "{}; BAC needs the MRZ (--mrz or --document-number/--birth/--expiry), a CAN is not enough",
            not_used.clone().unwrap_or_else(|| "PACE was not used".into())
        ))
    })?;
    select_application(session)?;
    session.open_bac(&BacKeys::from_mrz(mrz))?;
    Ok(Opened {
        report: AccessReport {
            protocol: "BAC".into(),
            pace: None,
            pace_not_used: not_used,
            downgraded,
        },
        pace: None,
        card_access,
        card_security: None,
    })
}

fn try_pace(
    session: &mut Session,
    keys: &AccessKeys,
    card_access: &[u8],
) -> Result<(PaceReport, PaceOutcome)> {
    let infos = SecurityInfos::parse(card_access)?;
    let suites = supported_suites(&infos);
    let suite = *suites.first().ok_or_else(|| {
        Error::protocol(
            "PACE",
            "EF.CardAccess offers no PACE suite dactyl supports (standardized domain parameters)",
        )
    })?;
    let password = match (&keys.can, &keys.mrz) {
        (Some(can), _) => Password::can(can)?,
        (None, Some(mrz)) => Password::Mrz(mrz.clone()),
        (None, None) => return Err(Error::Usage("PACE needs a CAN or the MRZ".into())),
    };
    // The domain parameter id (DO 84) goes into MSE:Set AT even when the chip offers a single
    // suite: some chips refuse MSE:Set AT without it (6A87).
    let outcome = session.open_pace(&password, suite, true)?;
    Ok((pace_report(suite, &password), outcome))
}

/// Status words with which chips answer the plain EF.CardAccess probe when they have none (or
/// do not let it be read): not found, security status, wrong P1-P2, command not allowed,
/// function, instruction or class not supported.
fn card_access_refused(status: Option<u16>) -> bool {
    matches!(
        status,
        Some(
            sw::FILE_NOT_FOUND
                | sw::SECURITY_STATUS
                | sw::WRONG_P1P2
                | sw::NO_CURRENT_EF
                | sw::FUNC_NOT_SUPPORTED
                | sw::INS_NOT_SUPPORTED
                | sw::CLA_NOT_SUPPORTED
        )
    )
}

fn select_application(session: &mut Session) -> Result<()> {
    session.select_application().map_err(|e| match e.sw() {
        Some(sw::FILE_NOT_FOUND) => Error::Lds("this card has no eMRTD (LDS1) application".into()),
        _ => e,
    })
}
