//! The border reader's Terminal Authentication (BSI TR-03110-1 v2.2 clause 3.5, TR-03110-3
//! clause A.7.2.4 EF.CVCA; ICAO Doc 9303-11 clause 7.1), so that DG3 (fingerprints) and DG4
//! become readable: read EF.CVCA (where DG14's TerminalAuthenticationInfo says, else at FID
//! 011C / SFI 1C), choose the chain that starts at a trust point the chip names (link
//! certificates first when it trusts an older CVCA), and sign `ID_PICC || r_PICC ||
//! Comp(PK~_PCD)` with the dynamic binding after PACE, falling back to the static binding of
//! older documents only when the chip refuses the dynamic one; the document number after BAC.
//!
//! EF.CVCA is the chip's word on what it trusts, and a wrong one fails Terminal Authentication
//! before any certificate is sent (BSI TR-03105-5.1 ISO7816_E_08, E_09, E_22, E_23, LDS_G_01,
//! LDS_G_02): a file that is not CAR data objects and padding, a CAR that is no certificate
//! reference, no CAR at all, a CAR no chain of the terminal starts at, or no EF.CVCA where
//! DG14 puts it. Only an EF.CVCA missing from its default place is tolerated (the chain is then
//! sent as given, and the chip decides).

use super::Session;
use crate::access::cvc::{CvKey, CvSigningKey, Cvc, Role};
use crate::access::ta::{
    Binding, ChipIdentifier, SIGNATURE_FAILED, TaBinding, choose_chain_on, parse_ef_cvca,
    terminal_authentication,
};
use crate::error::{Error, Result};
use crate::lds::files::FileLocation;
use crate::lds::security_infos::dg14;
use crate::pki::pa::{Check, Verdict};
use crate::time::Date;

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

/// EF.CVCA as the reader found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EfCvca<'a> {
    /// Its content, or why it could not be read.
    pub content: std::result::Result<&'a [u8], String>,
    /// Where it was read.
    pub location: FileLocation,
    /// DG14's TerminalAuthenticationInfo named the location (efCVCA).
    pub named_by_dg14: bool,
}

/// Where EF.CVCA is: where DG14's TerminalAuthenticationInfo puts it (efCVCA, BSI TR-03110-3
/// clause A.7.2.4: "the default file identifier is overridden"; without a short file
/// identifier the file is selected by its file identifier), else `None` for the default FID
/// 011C and SFI 1C. A DG14 that does not parse leaves the default (its own check reports it);
/// an efCVCA that names no usable file is an error.
pub fn ef_cvca_location(dg14_content: &[u8]) -> std::result::Result<Option<FileLocation>, String> {
    let Ok(infos) = dg14(dg14_content) else {
        return Ok(None);
    };
    let Some(fid) = infos.ta_info().and_then(|t| t.file_id.as_deref()) else {
        return Ok(None);
    };
    let sfi = infos.ta_info().and_then(|t| t.short_file_id);
    let fid = match fid {
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => {
            return Err(format!(
                "efCVCA file identifier {fid:02X?} is not two bytes"
            ));
        }
    };
    if let Some(s) = sfi.filter(|s| !(1..=30).contains(s)) {
        return Err(format!(
            "efCVCA short file identifier {s:02X} is not 1 to 30"
        ));
    }
    Ok(Some(FileLocation { fid, sfi }))
}

/// What Terminal Authentication did, for the report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TaReport {
    /// Where EF.CVCA was read.
    pub ef_cvca_location: FileLocation,
    /// DG14's TerminalAuthenticationInfo put EF.CVCA there (efCVCA).
    pub ef_cvca_named_by_dg14: bool,
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
/// EF.CVCA's content (or why it could not be read) and where it was read.
pub fn run_terminal_authentication(
    session: &mut Session,
    creds: &TerminalCredentials,
    mrz: &crate::lds::mrz::Mrz,
    ef_cvca: EfCvca<'_>,
) -> (Check, TaReport) {
    let mut report = TaReport {
        ef_cvca_location: ef_cvca.location,
        ef_cvca_named_by_dg14: ef_cvca.named_by_dg14,
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
    ef_cvca: EfCvca<'_>,
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

/// The certificates of `creds` a chain may use: every link and DV certificate, and the IS
/// certificates that certify the terminal's own key (a chain ending in another key cannot be
/// proven).
fn usable_certificates(creds: &TerminalCredentials, notes: &mut Vec<String>) -> Result<Vec<Cvc>> {
    let own = creds.key.public_key(false)?.key;
    let same_key = |c: &Cvc| match (&c.body().public_key.key, &own) {
        (CvKey::Ec { point: a, .. }, CvKey::Ec { point: b, .. }) => a == b,
        (CvKey::Rsa { n: a, e: x }, CvKey::Rsa { n: b, e: y }) => a == b && x == y,
        _ => false,
    };
    let (terminals, others): (Vec<&Cvc>, Vec<&Cvc>) =
        creds.chain.iter().partition(|c| c.role() == Role::Terminal);
    let (mine, foreign): (Vec<&Cvc>, Vec<&Cvc>) = terminals.into_iter().partition(|c| same_key(c));
    if mine.is_empty() {
        let chrs: Vec<&str> = foreign.iter().map(|c| c.chr()).collect();
        return Err(Error::protocol(
            "TA",
            if chrs.is_empty() {
                "no inspection system certificate in the chain".to_string()
            } else {
                format!(
                    "the terminal's key is not the one its IS certificate(s) {} certify",
                    chrs.join(", ")
                )
            },
        ));
    }
    if !foreign.is_empty() {
        let chrs: Vec<&str> = foreign.iter().map(|c| c.chr()).collect();
        notes.push(format!(
            "IS certificate(s) {} left out: they certify another key",
            chrs.join(", ")
        ));
    }
    // Kept in the credentials' order: the chain choice prefers later IS certificates.
    Ok(creds
        .chain
        .iter()
        .filter(|c| others.contains(c) || mine.contains(c))
        .cloned()
        .collect())
}

/// Picks the chain from a trust point EF.CVCA names (see the module documentation for what
/// fails). Without EF.CVCA at its default place the usable certificates are sent as given.
fn select_chain(
    ef_cvca: EfCvca<'_>,
    creds: &TerminalCredentials,
    report: &mut TaReport,
    notes: &mut Vec<String>,
) -> Result<Vec<Cvc>> {
    let certificates = usable_certificates(creds, notes)?;
    let fail = |why: String| Error::protocol("EF.CVCA", why);
    let at = ef_cvca.location.describe();
    let content = match ef_cvca.content {
        Ok(c) if ef_cvca.named_by_dg14 => {
            notes.push(format!(
                "EF.CVCA at {at}, as DG14's TerminalAuthenticationInfo says"
            ));
            c
        }
        Ok(c) => c,
        Err(e) if ef_cvca.named_by_dg14 => {
            return Err(fail(format!(
                "DG14's TerminalAuthenticationInfo puts EF.CVCA at {at}, where the chip has no \
                 readable EF.CVCA ({e})"
            )));
        }
        Err(e) => {
            notes.push(format!(
                "EF.CVCA could not be read ({e}): the chain is sent as given"
            ));
            return Ok(certificates);
        }
    };
    let cars = parse_ef_cvca(content).map_err(|e| {
        let why = match e {
            Error::Protocol { reason, .. } => reason,
            other => other.to_string(),
        };
        fail(format!("{at}: not CAR data objects and padding: {why}"))
    })?;
    if let Some(bad) = cars.iter().find(|c| !is_reference(c)) {
        return Err(fail(format!(
            "a CAR that is no certificate reference ({:02X?}): 1 to 16 printable characters",
            bad.as_bytes()
        )));
    }
    report.ef_cvca = cars.clone();
    if cars.is_empty() {
        return Err(fail(
            "no CAR: the chip names no trust point, so no chain can be verified (TR-03110-3 \
             A.7.2.4)"
                .into(),
        ));
    }
    let today = Date::today();
    let (trust_point, chain) = choose_chain_on(&cars, &certificates, today)?;
    notes.push(format!(
        "trust point {trust_point} (EF.CVCA lists {})",
        cars.join(", ")
    ));
    for c in chain.iter().filter(|c| !c.valid_on(today)) {
        let b = c.body();
        notes.push(format!(
            "{} is not valid today, {today} ({} to {}): the chip decides by its own date",
            c.chr(),
            b.effective,
            b.expiration
        ));
    }
    report.trust_point = Some(trust_point);
    Ok(chain)
}

/// A certificate reference (CAR, CHR): 1 to 16 printable ASCII characters (TR-03110-3 A.6.1).
fn is_reference(r: &str) -> bool {
    (1..=16).contains(&r.len()) && r.bytes().all(|b| (0x20..0x7F).contains(&b))
}
