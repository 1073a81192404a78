//! Passive Authentication (ICAO Doc 9303-11 clause 5.1, 9303-12 clause 6): checks that the data
//! groups read from a chip are the ones the issuing state signed. Every check ends in pass, fail
//! or not checked, with the reason; the verdict is a pass only when every check passed (fail
//! closed).

use super::asn1::Time;
use super::cert::Certificate;
use super::signed_object;
use super::trust::TrustStore;
use crate::lds::sod::Sod;
use serde::Serialize;
use std::collections::BTreeMap;
use subtle::ConstantTimeEq;

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
    fn empty() -> PaReport {
        PaReport {
            passed: false,
            checks: Vec::new(),
            hash_algorithm: None,
            dsc: None,
            csca: None,
            signing_time: None,
        }
    }

    pub(super) fn push(
        &mut self,
        name: impl Into<String>,
        verdict: Verdict,
        detail: impl Into<String>,
    ) {
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

pub(super) fn pass_fail(ok: bool) -> Verdict {
    if ok { Verdict::Pass } else { Verdict::Fail }
}

/// Runs Passive Authentication.
pub fn passive_authentication(input: &PaInput<'_>, trust: &TrustStore) -> PaReport {
    let mut report = PaReport::empty();
    let sod = match Sod::parse(input.sod) {
        Ok(s) => s,
        Err(e) => {
            report.push("SOD structure", Verdict::Fail, e.to_string());
            return report;
        }
    };
    report.hash_algorithm = Some(sod.lds.hash.name().to_string());
    report.push(
        "SOD structure",
        Verdict::Pass,
        format!(
            "LDSSecurityObject v{}, {}",
            sod.lds.version,
            sod.lds.hash.name()
        ),
    );
    for w in sod.signed.warnings.iter().chain(&sod.lds.warnings) {
        report.push("SOD encoding", Verdict::Warning, w.clone());
    }
    check_hashes(&sod, input, &mut report);

    if signed_object::check_signed_data(&sod.signed, input, trust, &mut report) {
        return report;
    }
    finish(report)
}

pub(super) fn finish(mut report: PaReport) -> PaReport {
    let dg_verified = report.checks.iter().any(|c| {
        c.name.starts_with("DG") && c.name.ends_with(" hash") && c.verdict == Verdict::Pass
    });
    if !dg_verified {
        let given = report
            .checks
            .iter()
            .any(|c| c.name.starts_with("DG") && c.name.ends_with(" hash"));
        report.push(
            "data group hashes",
            Verdict::Fail,
            if given {
                "no data group matched its hash in the SOD"
            } else {
                "no data group was given: at least one must match its hash in the SOD"
            },
        );
    }
    report.passed = report.checks.iter().all(|c| c.verdict.is_acceptable());
    report
}

fn check_hashes(sod: &Sod, input: &PaInput<'_>, report: &mut PaReport) {
    for (n, content) in input.data_groups {
        let name = format!("DG{n} hash");
        match sod.lds.hashes.get(n) {
            Some(expected) => {
                let ok = bool::from(sod.lds.hash.digest(content).ct_eq(expected));
                let detail = if ok {
                    "matches the SOD"
                } else {
                    "differs from the SOD: the data group was altered"
                };
                report.push(name, pass_fail(ok), detail);
            }
            None => report.push(
                name,
                Verdict::Fail,
                "not in the SOD: its content is not signed",
            ),
        }
    }
    let missing: Vec<String> = sod
        .lds
        .hashes
        .keys()
        .filter(|n| !input.data_groups.contains_key(n))
        .map(|n| format!("DG{n}"))
        .collect();
    if !missing.is_empty() {
        report.push(
            "data groups not read",
            Verdict::Info,
            format!(
                "{} in the SOD but not read (e.g. EAC-protected)",
                missing.join(", ")
            ),
        );
    }
    if let Some(com) = input.com_data_groups {
        let unsigned: Vec<String> = com
            .iter()
            .filter(|n| !sod.lds.hashes.contains_key(n))
            .map(|n| format!("DG{n}"))
            .collect();
        let (v, d) = if unsigned.is_empty() {
            (
                Verdict::Pass,
                "every data group EF.COM lists is in the SOD".to_string(),
            )
        } else {
            (
                Verdict::Fail,
                format!(
                    "EF.COM lists {} but the SOD does not hash it",
                    unsigned.join(", ")
                ),
            )
        };
        report.push("EF.COM consistent with SOD", v, d);
    }
}

/// Verifies EF.CardSecurity (ICAO Doc 9303-11 clause 9.2.2) as an SOD is verified: its
/// SecurityInfos parse, and its Document Signer, signed attributes, signature and chain to a
/// trusted CSCA all pass (`input.sod` and `input.data_groups` are not used). The report passes
/// only when every check did.
pub fn verify_card_security(bytes: &[u8], input: &PaInput<'_>, trust: &TrustStore) -> PaReport {
    let mut report = PaReport::empty();
    let signed = match crate::lds::security_infos::card_security(bytes) {
        Ok((_, signed)) => signed,
        Err(e) => {
            report.push("EF.CardSecurity structure", Verdict::Fail, e.to_string());
            return report;
        }
    };
    report.push(
        "EF.CardSecurity structure",
        Verdict::Pass,
        "SignedData over SecurityInfos (id-SecurityObject)",
    );
    for w in &signed.warnings {
        report.push("EF.CardSecurity encoding", Verdict::Warning, w.clone());
    }
    signed_object::check_signed_data(&signed, input, trust, &mut report);
    report.passed = report.checks.iter().all(|c| c.verdict.is_acceptable());
    report
}
