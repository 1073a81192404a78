//! Is the chip genuine, not a clone? (ICAO Doc 9303-11 clause 6: Chip Authentication with the
//! DG14 key, or Active Authentication with the DG15 key; PACE-CAM proves the DG14/CardSecurity
//! key during PACE.) A chip counts as genuine only when Passive Authentication passed and one of
//! these proofs verified (9303-11 clause 6, 9303-12: the keys are trusted only through the SOD).

use super::Session;
use crate::access::aa::{AaAlgorithm, active_authentication};
use crate::access::ca::{CaDomain, CaParams, CaVersion, chip_authentication};
use crate::access::pace::{PaceOutcome, verify_cam};
use crate::access::ta::compress;
use crate::error::{Error, Result};
use crate::lds::dg15::Dg15;
use crate::lds::security_infos::{CaPublicKey, SecurityInfos, dg14};
use crate::pki::pa::{Check, Verdict};
use der::asn1::ObjectIdentifier;

pub(super) fn check(name: &str, result: Result<String>) -> Check {
    match result {
        Ok(detail) => Check {
            name: name.into(),
            verdict: Verdict::Pass,
            detail,
        },
        Err(e) => Check {
            name: name.into(),
            verdict: Verdict::Fail,
            detail: e.to_string(),
        },
    }
}

/// The Chip Authentication parameters DG14 announces (the first key with a protocol).
pub fn ca_params(infos: &SecurityInfos) -> Result<CaParams> {
    let key = infos
        .ca_public_keys()
        .next()
        .ok_or_else(|| Error::protocol("CA", "DG14 holds no Chip Authentication public key"))?;
    let info = infos.ca_info_for(key).ok_or_else(|| {
        Error::protocol(
            "CA",
            "DG14 names no Chip Authentication protocol for its key",
        )
    })?;
    let version = CaVersion::from_info(info.version)
        .ok_or_else(|| Error::protocol("CA", format!("version {}", info.version)))?;
    let (domain, public) = match &key.key.key {
        CaPublicKey::Ec { curve, point } => (CaDomain::Ec(*curve), point.clone()),
        CaPublicKey::Dh { p, g, q, y } => (
            CaDomain::Dh {
                p: p.clone(),
                g: g.clone(),
                q: q.clone(),
            },
            y.clone(),
        ),
    };
    CaParams::new(
        info.protocol.oid(),
        version,
        domain,
        public,
        info.key_id.or(key.key_id),
    )
}

/// Runs Chip Authentication with the key in DG14 and switches the session to its keys.
pub fn run_chip_authentication(session: &mut Session, dg14_bytes: &[u8]) -> Check {
    let result = (|| {
        let params = ca_params(&dg14(dg14_bytes)?)?;
        let outcome = chip_authentication(&mut |c| session.transmit(c), &params, None)?;
        let agreement = params.domain.agreement();
        let terminal_key = compress(agreement, &outcome.terminal_ephemeral_public)?;
        session.chip_authenticated(outcome.sm, terminal_key);
        let proof = if outcome.chip_nonce.is_some() {
            "token T_PICC verified"
        } else {
            "new keys in use (implicit)"
        };
        Ok(format!("{}, {proof}", CaProtocolName(&params.protocol_oid)))
    })();
    check("Chip Authentication", result)
}

struct CaProtocolName<'a>(&'a ObjectIdentifier);

impl std::fmt::Display for CaProtocolName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::oids::name(self.0).unwrap_or_else(|| self.0.to_string()))
    }
}

/// Checks PACE-CAM's chip authentication data against the static key in DG14.
pub fn check_cam(outcome: &PaceOutcome, dg14_bytes: &[u8]) -> Check {
    check(
        "Chip Authentication",
        dg14(dg14_bytes).and_then(|infos| cam_against(outcome, &infos, "DG14")),
    )
}

/// Checks PACE-CAM's chip authentication data against PK_IC from EF.CardSecurity (ICAO Doc
/// 9303-11 clause 4.4.3.5.1: the terminal reads EF.CardSecurity after PACE-CAM); the file's
/// signature is checked with Passive Authentication.
pub fn check_cam_card_security(
    outcome: &PaceOutcome,
    card_security: std::result::Result<&[u8], &String>,
) -> Check {
    let result = card_security
        .map_err(|e| Error::protocol("CAM", format!("EF.CardSecurity could not be read: {e}")))
        .and_then(card_security_infos)
        .and_then(|infos| cam_against(outcome, &infos, "EF.CardSecurity"));
    check("Chip Authentication", result)
}

fn card_security_infos(bytes: &[u8]) -> Result<SecurityInfos> {
    crate::lds::security_infos::card_security(bytes).map(|(infos, _)| infos)
}

fn cam_against(outcome: &PaceOutcome, infos: &SecurityInfos, source: &str) -> Result<String> {
    {
        let point = infos
            .ca_public_keys()
            .find_map(|k| match &k.key.key {
                CaPublicKey::Ec { curve, point } if *curve == outcome.suite.domain => {
                    Some(point.clone())
                }
                _ => None,
            })
            .ok_or_else(|| {
                Error::protocol("CAM", format!("{source} has no key on the PACE curve"))
            })?;
        verify_cam(outcome, outcome.suite, &point)?;
        Ok(format!("PACE-CAM: the chip proved its {source} key"))
    }
}

/// Runs Active Authentication with the DG15 key (algorithm from DG14's ActiveAuthenticationInfo
/// when present).
pub fn run_active_authentication(
    session: &mut Session,
    dg15_bytes: &[u8],
    dg14_bytes: Option<&[u8]>,
) -> Check {
    let result = (|| {
        let key = Dg15::parse(dg15_bytes)?.key;
        let info_oid = dg14_bytes
            .and_then(|b| dg14(b).ok())
            .and_then(|i| i.aa_info().map(|a| a.signature_algorithm.clone()))
            .and_then(|s| ObjectIdentifier::new(&s).ok());
        let alg = AaAlgorithm::for_key(&key, info_oid.as_ref())?;
        let outcome = active_authentication(&mut |c| session.transmit(c), &key, alg, None)?;
        // ICAO 9303-11 clause 9.2.9: an ECDSA key must come with an ActiveAuthenticationInfo;
        // without it the hash was found by trying.
        let missing_info =
            matches!(key, crate::crypto::keys::PublicKey::Ec { .. }) && info_oid.is_none();
        Ok(format!(
            "{} signature over a fresh challenge ({}){}",
            key.describe(),
            outcome.hash.name(),
            if missing_info {
                "; DG14 has no ActiveAuthenticationInfo, the hash was found by trying"
            } else {
                ""
            }
        ))
    })();
    check("Active Authentication", result)
}

pub use super::terminal::{
    EfCvca, TaReport, TerminalCredentials, ef_cvca_location, run_terminal_authentication,
};

/// Whether PK_IC taken from EF.CardSecurity for PACE-CAM is authentic. dactyl does not verify
/// EF.CardSecurity's own signature yet, so the key counts only when DG14, whose hash Passive
/// Authentication verified, carries the same Chip Authentication public key (ICAO Doc 9303-11
/// clause 4.4.3.5.2: the terminal must authenticate PK_IC by Passive Authentication).
pub fn card_security_key_confirmed(
    card_security: &[u8],
    dg14_bytes: Option<&[u8]>,
    dg14_signed: bool,
) -> std::result::Result<(), String> {
    let keys = |infos: &SecurityInfos| -> Vec<CaPublicKey> {
        infos.ca_public_keys().map(|k| k.key.key.clone()).collect()
    };
    let from_card_security = card_security_infos(card_security)
        .map(|i| keys(&i))
        .map_err(|e| format!("EF.CardSecurity: {e}"))?;
    let Some(dg14_bytes) = dg14_bytes.filter(|_| dg14_signed) else {
        return Err(
            "PK_IC comes from EF.CardSecurity, whose signature is not verified here, \
                    and no DG14 verified by Passive Authentication confirms it"
                .into(),
        );
    };
    let from_dg14 = dg14(dg14_bytes)
        .map(|i| keys(&i))
        .map_err(|e| e.to_string())?;
    if from_card_security.iter().any(|k| from_dg14.contains(k)) {
        Ok(())
    } else {
        Err(
            "EF.CardSecurity's Chip Authentication key differs from DG14's (signed by the SOD)"
                .into(),
        )
    }
}
