//! One inspection verdict per document, failing closed (BSI TR-03105 Part 5.1, the inspection
//! system test plan: each inspection ends "successful" or "failed"; ICAO Doc 9303-11 clause 6
//! and 9303-12 clause 6): every mechanism the chip offers and the reader was asked to run —
//! Passive Authentication, Chip Authentication (or PACE-CAM), Active Authentication, Terminal
//! Authentication — must pass, and DG1 must be the document whose MRZ the officer typed.
//! Terminal Authentication that passed followed by a refused DG3/DG4 is still a success, with
//! "fingerprints not shown".

use super::Document;
use crate::lds::files::EfId;
use crate::lds::mrz::MrzKeyInfo;
use crate::lds::security_infos::dg14;
use crate::pki::pa::{Check, PaReport, Verdict};
use serde::Serialize;

/// The outcome of one inspection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// True only when every mechanism that had to run passed.
    pub successful: bool,
    /// Why it failed (empty when successful).
    pub failures: Vec<String>,
    /// What the officer should know that does not fail the inspection (fingerprints not shown,
    /// BAC used after PACE failed, ...).
    pub notes: Vec<String>,
}

impl Inspection {
    /// "inspection procedure successful" or "inspection procedure failed".
    pub fn headline(&self) -> &'static str {
        if self.successful {
            "inspection procedure successful"
        } else {
            "inspection procedure failed"
        }
    }
}

/// What the reader was asked to do, as far as the verdict depends on it.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    /// The MRZ the officer typed (DG1 must match it).
    pub typed_mrz: Option<MrzKeyInfo>,
    /// Chip and Active Authentication were asked for.
    pub authenticate: bool,
    /// Terminal Authentication credentials were given.
    pub terminal: bool,
}

fn require(check: &Option<Check>, what: &str, failures: &mut Vec<String>) {
    match check {
        Some(c) if c.verdict == Verdict::Pass => {}
        Some(c) => failures.push(format!("{what} failed: {}", c.detail)),
        None => failures.push(format!("{what} offered by the chip but not performed")),
    }
}

fn status_of(doc: &Document, file: EfId) -> Option<&str> {
    let name = file.name();
    doc.files
        .iter()
        .rev()
        .find(|f| f.file == name)
        .map(|f| f.status.as_str())
}

/// Judges a document with its Passive Authentication report.
pub fn judge(doc: &Document, pa: Option<&PaReport>, expect: &Expectations) -> Inspection {
    let mut failures = Vec::new();
    let mut notes = Vec::new();
    match pa {
        Some(pa) if pa.passed => {}
        Some(pa) => {
            let reasons: Vec<String> = pa
                .failures()
                .iter()
                .map(|c| format!("{}: {}", c.name, c.detail))
                .collect();
            failures.push(format!(
                "Passive Authentication failed ({})",
                if reasons.is_empty() {
                    "no data group hash verified".to_string()
                } else {
                    reasons.join("; ")
                }
            ));
        }
        None => failures.push("Passive Authentication not performed".into()),
    }
    if let Some(cs) = doc.card_security.as_ref().filter(|r| !r.passed) {
        let reasons: Vec<String> = cs
            .failures()
            .iter()
            .map(|c| format!("{}: {}", c.name, c.detail))
            .collect();
        failures.push(format!(
            "EF.CardSecurity's signature or chain failed ({})",
            reasons.join("; ")
        ));
    }
    for e in &doc.parse_errors {
        failures.push(format!("malformed file: {e}"));
    }
    if expect.authenticate {
        let offers_ca = doc
            .access
            .pace
            .as_ref()
            .is_some_and(|p| p.mapping == "ChipAuthentication")
            || doc
                .raw
                .get(&EfId::Dg(14))
                .and_then(|b| dg14(b).ok())
                .is_some_and(|i| i.ca_public_keys().next().is_some());
        if offers_ca {
            require(
                &doc.chip_authentication,
                "Chip Authentication",
                &mut failures,
            );
        }
        if doc.raw.contains_key(&EfId::Dg(15)) {
            require(
                &doc.active_authentication,
                "Active Authentication",
                &mut failures,
            );
        }
    }
    match &doc.terminal_authentication {
        Some(ta) if ta.verdict == Verdict::Fail => {
            failures.push(format!("Terminal Authentication failed: {}", ta.detail));
        }
        Some(ta) if ta.verdict == Verdict::Warning => {
            notes.push(format!("Terminal Authentication: {}", ta.detail));
        }
        _ => {}
    }
    for dg in [3u8, 4] {
        let status = status_of(doc, EfId::Dg(dg));
        let Some(status) = status.filter(|s| *s != "read") else {
            continue;
        };
        let what = if dg == 3 { "fingerprints" } else { "irises" };
        let why = match (&doc.terminal_authentication, expect.terminal) {
            (Some(ta), _) if ta.verdict != Verdict::Fail => {
                format!("the chip refused DG{dg} after Terminal Authentication ({status})")
            }
            (_, false) => "no Terminal Authentication credentials given".to_string(),
            _ => status.to_string(),
        };
        notes.push(format!("{what} not shown: {why}"));
    }
    if let (Some(typed), Some(dg1)) = (&expect.typed_mrz, &doc.dg1) {
        match dg1.mrz.key_info() {
            Ok(on_chip) if on_chip == *typed => {}
            Ok(_) => failures.push(
                "DG1 is not the document whose MRZ was typed (document number, birth or expiry differ)"
                    .into(),
            ),
            Err(e) => failures.push(format!("DG1's MRZ: {e}")),
        }
    }
    if doc.dg1.is_none() {
        failures.push("DG1 not read".into());
    }
    if let Some(reason) = &doc.access.pace_not_used
        && doc.access.downgraded
    {
        notes.push(format!("BAC used after PACE failed (downgrade): {reason}"));
    }
    Inspection {
        successful: failures.is_empty(),
        failures,
        notes,
    }
}
