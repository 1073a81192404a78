//! Passive Authentication (ICAO Doc 9303-11 clause 5.1, 9303-12 clause 6): checks that the data
//! groups read from a chip are the ones the issuing state signed. Every check ends in pass, fail
//! or not checked, with the reason; the verdict is a pass only when every check passed (fail
//! closed).

use super::asn1::Time;
use super::cert::Certificate;
use super::cms::{SignerId, SignerInfo, check_signer, same_integer};
use super::country::same_country;
use super::keys::PublicKey;
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
    fn push(&mut self, name: impl Into<String>, verdict: Verdict, detail: impl Into<String>) {
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

fn pass_fail(ok: bool) -> Verdict {
    if ok { Verdict::Pass } else { Verdict::Fail }
}

/// Runs Passive Authentication.
pub fn passive_authentication(input: &PaInput<'_>, trust: &TrustStore) -> PaReport {
    let mut report = PaReport {
        passed: false,
        checks: Vec::new(),
        hash_algorithm: None,
        dsc: None,
        csca: None,
        signing_time: None,
    };
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

    let Some(si) = sod.signed.signer_infos.first() else {
        report.push("signature", Verdict::Fail, "no SignerInfo");
        return report;
    };
    report.signing_time = si.signed_attrs.as_ref().and_then(|a| a.signing_time);
    let Some((dsc, how)) = find_dsc(&sod, si, input.dsc) else {
        report.push(
            "Document Signer certificate",
            Verdict::Fail,
            "not in the SOD and none supplied that matches the signer",
        );
        return finish(report);
    };
    report.dsc = Some(dsc.into());
    report.push("Document Signer certificate", Verdict::Pass, dsc.describe());
    if let Some(w) = how {
        report.push("signer identifier", Verdict::Warning, w);
    }
    for w in &dsc.warnings {
        report.push("DSC encoding", Verdict::Warning, w.clone());
    }
    match PublicKey::from_spki(&dsc.spki) {
        Ok(key) => {
            let c = check_signer(&sod.signed, si, &key);
            let verdict = |r: &Result<(), String>| {
                (
                    pass_fail(r.is_ok()),
                    r.clone().err().unwrap_or_else(|| "ok".into()),
                )
            };
            let (v, d) = verdict(&c.content_type);
            report.push("signed attribute content-type", v, d);
            let (v, d) = verdict(&c.message_digest);
            report.push("signed attribute message-digest", v, d);
            let (v, d) = verdict(&c.signature);
            report.push(
                "signature",
                v,
                if v == Verdict::Pass {
                    key.describe()
                } else {
                    d
                },
            );
        }
        Err(e) => report.push("signature", Verdict::Fail, format!("DSC public key: {e}")),
    }
    check_chain(dsc, input, trust, &mut report);
    finish(report)
}

/// Finds the Document Signer certificate among the SOD's certificates and the one supplied
/// (RFC 5652 clause 5.3: by issuer and serial number, or by subject key identifier). Issuer names
/// match byte for byte, else after normalisation in any RDN order (RFC 5280 clause 7.1, with
/// the re-encodings real issuers use), else a certificate with the same serial number whose key
/// verifies the signature is taken. The second value says how it matched when not exactly.
fn find_dsc<'a>(
    sod: &'a Sod,
    si: &SignerInfo,
    supplied: Option<&'a Certificate>,
) -> Option<(&'a Certificate, Option<String>)> {
    let candidates = || sod.signed.certificates.iter().chain(supplied);
    let SignerId::IssuerSerial { issuer, serial } = &si.sid else {
        return candidates().find(|c| si.sid.matches(c)).map(|c| (c, None));
    };
    let same_serial = |c: &&Certificate| same_integer(&c.serial, serial);
    if let Some(c) = candidates().find(|c| same_serial(c) && c.issuer.raw == issuer.raw) {
        return Some((c, None));
    }
    if let Some(c) = candidates().find(|c| same_serial(c) && c.issuer.matches_any_order(issuer)) {
        let w = format!(
            "the SignerInfo names issuer \"{issuer}\", encoded differently from the DSC's issuer \"{}\" (matched after normalisation)",
            c.issuer
        );
        return Some((c, Some(w)));
    }
    candidates()
        .filter(same_serial)
        .find(|c| {
            PublicKey::from_spki(&c.spki)
                .is_ok_and(|key| check_signer(&sod.signed, si, &key).signature.is_ok())
        })
        .map(|c| {
            let w = format!(
                "the SignerInfo names issuer \"{issuer}\" but the DSC's issuer is \"{}\": matched by serial number and signature",
                c.issuer
            );
            (c, Some(w))
        })
}

fn finish(mut report: PaReport) -> PaReport {
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

/// The issuing state matches a certificate's country. Utopia (`UTO`), the ICAO specimen state,
/// has no ISO 3166 code; dactyl's test PKI writes it as `UT`.
fn country_matches(state: &str, alpha2: &str) -> bool {
    same_country(state, alpha2)
        || (state.trim_matches('<') == "UTO" && alpha2.eq_ignore_ascii_case("UT"))
}

fn check_chain(dsc: &Certificate, input: &PaInput<'_>, trust: &TrustStore, report: &mut PaReport) {
    let csca = trust.find_issuer(dsc);
    match csca {
        Some(ca) => {
            report.csca = Some(ca.into());
            let critical: Vec<String> = [("DSC", dsc), ("CSCA", ca)]
                .iter()
                .flat_map(|(role, c)| {
                    c.extensions
                        .unknown_critical
                        .iter()
                        .map(move |id| format!("{role} {id}"))
                })
                .collect();
            if critical.is_empty() {
                report.push(
                    "certificate chain",
                    Verdict::Pass,
                    format!("DSC signed by CSCA {}", ca.describe()),
                );
            } else {
                report.push(
                    "certificate chain",
                    Verdict::Fail,
                    format!(
                        "critical extensions not understood or malformed: {}",
                        critical.join(", ")
                    ),
                );
            }
            if ca.subject.raw != dsc.issuer.raw {
                report.push(
                    "DSC issuer name",
                    Verdict::Warning,
                    format!(
                        "encoded differently from the CSCA's subject \"{}\" (matched after normalisation)",
                        ca.subject
                    ),
                );
            }
        }
        None => {
            let detail = if trust.candidate_issuers(dsc).next().is_some() {
                "no trusted CSCA's key verifies the DSC signature".to_string()
            } else {
                format!("no trusted CSCA named {}", dsc.issuer)
            };
            report.push("certificate chain", Verdict::Fail, detail);
        }
    }
    match report.signing_time {
        Some(t) => report.push(
            "DSC valid at signing time",
            pass_fail(dsc.valid_at(t)),
            format!(
                "signed {t}, DSC valid {} to {}",
                dsc.not_before, dsc.not_after
            ),
        ),
        None => report.push(
            "DSC valid at signing time",
            Verdict::Info,
            "the SOD has no signing-time attribute (optional in ICAO 9303): relying on the DSC being valid now",
        ),
    }
    let now_ok = dsc.valid_at(input.now);
    report.push(
        "DSC valid now",
        pass_fail(now_ok),
        format!(
            "{}: DSC valid {} to {}",
            input.now, dsc.not_before, dsc.not_after
        ),
    );
    if let Some(ca) = csca {
        let ok = ca.valid_at(dsc.not_before);
        report.push(
            "CSCA valid when the DSC was issued",
            pass_fail(ok),
            format!("CSCA valid {} to {}", ca.not_before, ca.not_after),
        );
        let crls: Vec<_> = trust.crls_of(ca, input.now).collect();
        if crls.is_empty() {
            let v = if input.require_crl {
                Verdict::NotChecked
            } else {
                Verdict::Pass
            };
            let d = if input.require_crl {
                "no current CRL of this CSCA loaded"
            } else {
                "no current CRL of this CSCA loaded (not required)"
            };
            report.push("DSC not revoked", v, d);
        } else {
            match crls.iter().find_map(|crl| crl.is_revoked(&dsc.serial)) {
                Some(when) => report.push(
                    "DSC not revoked",
                    Verdict::Fail,
                    format!("revoked on {when}"),
                ),
                None => report.push(
                    "DSC not revoked",
                    Verdict::Pass,
                    format!("not on the CSCA's CRL ({} loaded)", crls.len()),
                ),
            }
        }
    }
    let dsc_c = dsc.country().map(str::to_string);
    let ca_c = csca.and_then(|c| c.country()).map(str::to_string);
    match (input.issuing_state, dsc_c) {
        (Some(state), Some(dc)) => {
            let ok = country_matches(state, &dc)
                && ca_c.as_deref().is_none_or(|cc| country_matches(state, cc));
            report.push(
                "country",
                pass_fail(ok),
                format!(
                    "DG1 issuing state {state}, DSC country {dc}, CSCA country {}",
                    ca_c.as_deref().unwrap_or("?")
                ),
            );
        }
        (None, _) => report.push(
            "country",
            Verdict::NotChecked,
            "DG1 not read: issuing state unknown",
        ),
        (_, None) => report.push("country", Verdict::Fail, "the DSC names no country"),
    }
}
