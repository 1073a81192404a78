//! The signer side of a Document Signer's CMS SignedData (ICAO Doc 9303-12 clause 6, RFC 5652
//! clause 5, RFC 5280 clause 6): find the signer's certificate, check the signed attributes and
//! the signature, and chain the DSC to a trusted CSCA (validity, revocation, country). EF.SOD
//! (9303-10 clause 4.6.2) and EF.CardSecurity (9303-11 clause 9.2.2) are both checked this way.

use super::cert::Certificate;
use super::cms::{SignedData, SignerId, SignerInfo, check_signer, same_integer};
use super::country::same_country;
use super::pa::{PaInput, PaReport, Verdict, pass_fail};
use super::trust::TrustStore;
use crate::crypto::keys::PublicKey;

/// Checks the signer, the signature and the chain of `signed` into `report`. Returns true when
/// the check stopped early (no SignerInfo), so the report is final as it stands.
pub fn check_signed_data(
    signed: &SignedData,
    input: &PaInput<'_>,
    trust: &TrustStore,
    report: &mut PaReport,
) -> bool {
    let Some(si) = signed.signer_infos.first() else {
        report.push("signature", Verdict::Fail, "no SignerInfo");
        return true;
    };
    report.signing_time = si.signed_attrs.as_ref().and_then(|a| a.signing_time);
    let Some((dsc, how)) = find_dsc(signed, si, input.dsc) else {
        report.push(
            "Document Signer certificate",
            Verdict::Fail,
            "not in the signed object and none supplied that matches the signer",
        );
        return false;
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
            let c = check_signer(signed, si, &key);
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
    check_chain(dsc, input, trust, report);
    false
}

/// Finds the Document Signer certificate among the signed object's certificates and the one supplied
/// (RFC 5652 clause 5.3: by issuer and serial number, or by subject key identifier). Issuer names
/// match byte for byte, else after normalisation in any RDN order (RFC 5280 clause 7.1, with
/// the re-encodings real issuers use), else a certificate with the same serial number whose key
/// verifies the signature is taken. The second value says how it matched when not exactly.
fn find_dsc<'a>(
    signed: &'a SignedData,
    si: &SignerInfo,
    supplied: Option<&'a Certificate>,
) -> Option<(&'a Certificate, Option<String>)> {
    let candidates = || signed.certificates.iter().chain(supplied);
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
                .is_ok_and(|key| check_signer(signed, si, &key).signature.is_ok())
        })
        .map(|c| {
            let w = format!(
                "the SignerInfo names issuer \"{issuer}\" but the DSC's issuer is \"{}\": matched by serial number and signature",
                c.issuer
            );
            (c, Some(w))
        })
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
