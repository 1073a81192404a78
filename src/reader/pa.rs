//! Passive Authentication of what was read (ICAO Doc 9303-11 clause 5.1, 9303-12): EF.SOD's
//! data group hashes against the data groups, its signature and the Document Signer's chain to a
//! trusted CSCA; EF.CardSecurity verified the same way (9303-11 clause 9.2.2). The report types
//! and the signer/chain checks are PKI ([`crate::pki::pa`], [`crate::pki::signed_object`]); this
//! module adds what needs the LDS: the SOD's content and EF.CardSecurity's SecurityInfos.

use crate::lds::sod::Sod;
use crate::pki::pa::{PaInput, PaReport, Verdict, pass_fail};
use crate::pki::signed_object;
use crate::pki::trust::TrustStore;
use subtle::ConstantTimeEq;

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

/// Adds the "no data group verified" failure when no DG hash passed, and sets `passed`.
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
