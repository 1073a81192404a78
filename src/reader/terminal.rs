//! The border reader's Terminal Authentication (BSI TR-03110-1 v2.2 clause 3.5, TR-03110-3
//! clause A.7.2.4 EF.CVCA; ICAO Doc 9303-11 clause 7.1), so that DG3 (fingerprints) and DG4
//! become readable: read EF.CVCA, choose the chain that starts at a trust point the chip names
//! (link certificates first when it trusts an older CVCA), and sign `ID_PICC || r_PICC ||
//! Comp(PK~_PCD)` with the dynamic binding after PACE, falling back to the static binding of
//! older documents only when the chip refuses the dynamic one; the document number after BAC.

use super::Session;
use crate::access::cvc::{CvSigningKey, Cvc};
use crate::access::ta::{
    Binding, ChipIdentifier, SIGNATURE_FAILED, TaBinding, choose_chain, parse_ef_cvca,
    terminal_authentication,
};
use crate::error::{Error, Result};
use crate::pki::pa::{Check, Verdict};

/// The inspection system's certificates and its key: its IS certificate, the DV certificate(s)
/// that issued it, and any CVCA link certificates that lead to them from older trust points.
pub struct TerminalCredentials {
    /// The certificates, any order (conventionally issuer first, the IS certificate last).
    pub chain: Vec<Cvc>,
    /// The IS private key.
    pub key: CvSigningKey,
}

impl std::fmt::Debug for TerminalCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let chrs: Vec<&str> = self.chain.iter().map(|c| c.chr()).collect();
        write!(f, "TerminalCredentials({chrs:?}, key redacted)")
    }
}

/// What Terminal Authentication did, for the report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TaReport {
    /// The CARs EF.CVCA lists (the most recent first); empty when it could not be read.
    pub ef_cvca: Vec<String>,
    /// The trust point the chain started at.
    pub trust_point: Option<String>,
    /// The CHRs of the certificates sent.
    pub chain: Vec<String>,
    /// How `ID_PICC` was formed in the accepted signature (or the last one tried).
    pub binding: Option<Binding>,
    /// The chip refused the dynamic binding and accepted the static one (an old document).
    pub static_fallback: bool,
    /// The accepted signed message `ID_PICC || r_PICC || Comp(PK~_PCD)`, hex.
    pub signed_message: Option<String>,
}

/// Runs Terminal Authentication (after Chip Authentication or PACE-CAM) so DG3/DG4 become
/// readable. `mrz` gives the document number for the static binding after BAC; `ef_cvca` is
/// EF.CVCA's content, or why it could not be read.
pub fn run_terminal_authentication(
    session: &mut Session,
    creds: &TerminalCredentials,
    mrz: &crate::lds::mrz::Mrz,
    ef_cvca: std::result::Result<&[u8], String>,
) -> (Check, TaReport) {
    let mut report = TaReport {
        ef_cvca: Vec::new(),
        trust_point: None,
        chain: Vec::new(),
        binding: None,
        static_fallback: false,
        signed_message: None,
    };
    let mut notes = Vec::new();
    let result = authenticate(session, creds, mrz, ef_cvca, &mut report, &mut notes);
    let check = match result {
        Ok(()) => Check {
            name: "Terminal Authentication".into(),
            verdict: if report.static_fallback {
                Verdict::Warning
            } else {
                Verdict::Pass
            },
            detail: notes.join("; "),
        },
        Err(e) => {
            notes.push(e.to_string());
            Check {
                name: "Terminal Authentication".into(),
                verdict: Verdict::Fail,
                detail: notes.join("; "),
            }
        }
    };
    (check, report)
}

fn authenticate(
    session: &mut Session,
    creds: &TerminalCredentials,
    mrz: &crate::lds::mrz::Mrz,
    ef_cvca: std::result::Result<&[u8], String>,
    report: &mut TaReport,
    notes: &mut Vec<String>,
) -> Result<()> {
    let (ids, terminal_key) = session.terminal_authentication_binding();
    let terminal_key = terminal_key
        .ok_or_else(|| {
            Error::protocol(
                "TA",
                "no Chip Authentication or PACE-CAM in this session, which Terminal \
                 Authentication version 1 needs first",
            )
        })?
        .to_vec();
    let mut candidates = ids.to_vec();
    if candidates.is_empty() {
        candidates.push(ChipIdentifier::document_number(&mrz.key_info()?));
    }
    let chain = select_chain(ef_cvca, creds, report, notes)?;
    report.chain = chain.iter().map(|c| c.chr().to_string()).collect();
    notes.push(format!("chain {}", report.chain.join(" -> ")));
    for (i, chip) in candidates.iter().enumerate() {
        let binding = TaBinding {
            chip: chip.clone(),
            terminal_key: terminal_key.clone(),
        };
        report.binding = Some(chip.binding);
        let outcome =
            terminal_authentication(&mut |c| session.transmit(c), &chain, &creds.key, &binding);
        match outcome {
            Ok(message) => {
                report.signed_message = Some(hex::encode_upper(&message));
                report.static_fallback = i > 0 && chip.binding != Binding::Dynamic;
                if report.static_fallback {
                    notes.push(format!(
                        "the chip refused the dynamic binding and accepted the {}: a document \
                         issued before TR-03110 v2 required the dynamic binding",
                        chip.binding.describe()
                    ));
                } else {
                    notes.push(format!("key proven, {}", chip.binding.describe()));
                }
                return Ok(());
            }
            Err(e) if e.sw() == Some(SIGNATURE_FAILED) && i + 1 < candidates.len() => {
                notes.push(format!(
                    "the chip refused the signature with the {} ({e})",
                    chip.binding.describe()
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Err(Error::protocol("TA", "no chip identifier to sign"))
}

/// Picks the chain from a trust point EF.CVCA names; without EF.CVCA the credentials' chain
/// is sent as given.
fn select_chain(
    ef_cvca: std::result::Result<&[u8], String>,
    creds: &TerminalCredentials,
    report: &mut TaReport,
    notes: &mut Vec<String>,
) -> Result<Vec<Cvc>> {
    let ef_cvca = ef_cvca.map_err(|e| Error::protocol("EF.CVCA", e));
    match ef_cvca.and_then(parse_ef_cvca) {
        Ok(cars) if !cars.is_empty() => {
            report.ef_cvca = cars.clone();
            let (trust_point, chain) = choose_chain(&cars, &creds.chain)?;
            notes.push(format!(
                "trust point {trust_point} (EF.CVCA lists {})",
                cars.join(", ")
            ));
            report.trust_point = Some(trust_point);
            Ok(chain)
        }
        Ok(_) => {
            notes.push("EF.CVCA names no trust point: the chain is sent as given".into());
            Ok(creds.chain.clone())
        }
        Err(e) => {
            notes.push(format!(
                "EF.CVCA could not be read ({e}): the chain is sent as given"
            ));
            Ok(creds.chain.clone())
        }
    }
}
