//! The report of Passive Authentication (ICAO Doc 9303-11 clause 5.1, 9303-12 clause 6) and of
//! any check a verifier makes: every check ends in pass, fail, not checked, info or warning,
//! with the reason; a report passes only when every check is acceptable (fail closed). The
//! procedure over an SOD's content is in [`crate::reader::pa`], the signer and chain checks in
//! [`crate::pki::signed_object`].

use super::cert::Certificate;
use crate::time::Time;
use serde::Serialize;
use std::collections::BTreeMap;

/// The result of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Verified.
    Pass,
    /// Verified to be wrong.
    Fail,
    /// Could not be verified (so not a pass).
    NotChecked,
    /// For information; does not affect the verdict (e.g. data groups that were not read).
    Info,
    /// Accepted although off-spec (what real documents need); does not affect the verdict.
    Warning,
}

/// One named check with its outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was checked.
    pub name: String,
    /// The outcome.
    pub verdict: Verdict,
    /// Why.
    pub detail: String,
}

/// What Passive Authentication needs besides the SOD.
#[derive(Clone, Debug)]
pub struct PaInput<'a> {
    /// EF.SOD as read.
    pub sod: &'a [u8],
    /// The data groups as read, by number.
    pub data_groups: &'a BTreeMap<u8, Vec<u8>>,
    /// Data groups EF.COM lists, if EF.COM was read.
    pub com_data_groups: Option<&'a [u8]>,
    /// The issuing state from DG1 (three-letter code), if DG1 was read.
    pub issuing_state: Option<&'a str>,
    /// A DSC supplied separately, for SODs that do not embed it.
    pub dsc: Option<&'a Certificate>,
    /// "Now" for validity checks.
    pub now: Time,
    /// Require a CRL of the CSCA (else revocation is "not checked" and PA does not pass).
    pub require_crl: bool,
}

/// A summary of a certificate for the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertSummary {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Not before.
    pub not_before: Time,
    /// Not after.
    pub not_after: Time,
}

impl From<&Certificate> for CertSummary {
    fn from(c: &Certificate) -> Self {
        CertSummary {
            subject: c.subject.to_string(),
            issuer: c.issuer.to_string(),
            serial: c.serial_hex(),
            not_before: c.not_before,
            not_after: c.not_after,
        }
    }
}

/// The Passive Authentication report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaReport {
    /// True only when every check passed.
    pub passed: bool,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The hash algorithm of the SOD.
    pub hash_algorithm: Option<String>,
    /// The Document Signer certificate used.
    pub dsc: Option<CertSummary>,
    /// The CSCA that issued it.
    pub csca: Option<CertSummary>,
    /// The signing-time attribute, if present.
    pub signing_time: Option<Time>,
}

impl PaReport {
    /// A report with no checks yet (not passed).
    pub fn empty() -> PaReport {
        PaReport {
            passed: false,
            checks: Vec::new(),
            hash_algorithm: None,
            dsc: None,
            csca: None,
            signing_time: None,
        }
    }

    /// Adds one check.
    pub fn push(&mut self, name: impl Into<String>, verdict: Verdict, detail: impl Into<String>) {
        self.checks.push(Check {
            name: name.into(),
            verdict,
            detail: detail.into(),
        });
    }

    /// The first check with this name.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// Names of the checks that did not pass.
    pub fn failures(&self) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| !c.verdict.is_acceptable())
            .collect()
    }

    /// The checks that passed with a warning (off-spec encodings accepted).
    pub fn warnings(&self) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| c.verdict == Verdict::Warning)
            .collect()
    }
}

impl Verdict {
    /// Pass, Info or Warning: does not stop the verdict from being a pass.
    pub fn is_acceptable(self) -> bool {
        matches!(self, Verdict::Pass | Verdict::Info | Verdict::Warning)
    }
}

/// Pass when `ok`, else Fail.
pub fn pass_fail(ok: bool) -> Verdict {
    if ok { Verdict::Pass } else { Verdict::Fail }
}
