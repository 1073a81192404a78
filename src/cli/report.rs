//! Text and JSON renderings of reader reports.

use crate::lds::mrz::Mrz;
use crate::pki::pa::{PaReport, Verdict};
use crate::reader::Document;
use std::fmt::Write;

/// Pretty JSON of any report.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A YYMMDD date as YYYY-MM-DD is not knowable without a century rule; show it as given with
/// separators.
fn date(yymmdd: &str) -> String {
    match (yymmdd.get(0..2), yymmdd.get(2..4), yymmdd.get(4..6)) {
        (Some(y), Some(m), Some(d)) => format!("{y}-{m}-{d} (YY-MM-DD)"),
        _ => yymmdd.to_string(),
    }
}

/// The MRZ fields, one per line.
pub fn mrz_text(mrz: &Mrz) -> String {
    let mut s = String::new();
    let field = |s: &mut String, k: &str, v: &str| {
        let _ = writeln!(s, "  {k:<18}{v}");
    };
    field(
        &mut s,
        "Format",
        &format!("{:?}", mrz.format).to_uppercase(),
    );
    field(&mut s, "Document code", &mrz.document_code);
    field(&mut s, "Issuing state", &mrz.issuing_state);
    field(
        &mut s,
        "Name",
        &format!("{}, {}", mrz.primary_identifier, mrz.secondary_identifier),
    );
    field(&mut s, "Document number", &mrz.document_number);
    field(&mut s, "Nationality", &mrz.nationality);
    field(&mut s, "Date of birth", &date(&mrz.date_of_birth));
    field(&mut s, "Sex", &mrz.sex);
    field(&mut s, "Date of expiry", &date(&mrz.date_of_expiry));
    if !mrz.optional_data.is_empty() {
        field(&mut s, "Optional data", &mrz.optional_data);
    }
    if !mrz.optional_data_2.is_empty() {
        field(&mut s, "Optional data 2", &mrz.optional_data_2);
    }
    let failed: Vec<String> = mrz
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| format!("{} (is {}, should be {})", c.field, c.expected, c.computed))
        .collect();
    let checks = if failed.is_empty() {
        format!("all {} correct", mrz.checks.len())
    } else {
        format!("FAILED: {}", failed.join("; "))
    };
    field(&mut s, "Check digits", &checks);
    s
}

/// The whole read report as text.
pub fn document_text(doc: &Document) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Reader        {}", doc.reader);
    let access = match &doc.access.pace {
        Some(p) => format!(
            "PACE {} ({} mapping, {}, {}, {})",
            p.protocol, p.mapping, p.curve, p.cipher, p.password
        ),
        None => doc.access_control.clone(),
    };
    let extended = if doc.extended_length {
        "used"
    } else {
        "not used"
    };
    let _ = writeln!(s, "Access        {access}, extended length {extended}");
    if let Some(why) = &doc.access.pace_not_used {
        let _ = writeln!(s, "              (BAC because {why})");
    }
    if let Some(com) = &doc.com {
        let dgs: Vec<String> = com.data_groups().iter().map(|d| format!("DG{d}")).collect();
        let _ = writeln!(
            s,
            "EF.COM        LDS {}, Unicode {}, lists {}",
            com.lds_version_display(),
            com.unicode_version_display(),
            dgs.join(" ")
        );
    }
    if let Some(dg1) = &doc.dg1 {
        let _ = writeln!(s, "DG1 (MRZ)");
        s.push_str(&mrz_text(&dg1.mrz));
    }
    for w in &doc.warnings {
        let _ = writeln!(s, "Warning       {w}");
    }
    for e in &doc.parse_errors {
        let _ = writeln!(s, "Parse error   {e}");
    }
    let _ = writeln!(s, "Files");
    for f in &doc.files {
        if f.status == "read" {
            let _ = writeln!(
                s,
                "  {:<10}{:>7} bytes  {:>4} APDUs",
                f.file, f.bytes, f.apdus
            );
        } else {
            let _ = writeln!(s, "  {:<10}{}", f.file, f.status);
        }
    }
    for c in [
        &doc.chip_authentication,
        &doc.active_authentication,
        &doc.terminal_authentication,
    ]
    .into_iter()
    .flatten()
    {
        let mark = match c.verdict {
            Verdict::Pass => "pass",
            Verdict::Warning => "warn",
            _ => "FAIL",
        };
        let _ = writeln!(
            s,
            "{:<16}{mark:<5} {}",
            c.name.replace(" Authentication", " Auth."),
            c.detail
        );
    }
    if let Some(pa) = &doc.passive_authentication {
        s.push_str(&pa_text(pa));
    }
    if let Some(cs) = &doc.card_security {
        s.push_str(&pa_text(cs).replacen("Passive Authentication", "EF.CardSecurity signature", 1));
    }
    match doc.genuine {
        Some(true) => s.push_str("Verdict       GENUINE CHIP: data signed by the issuing state and the chip proved its key\n"),
        Some(false) => s.push_str("Verdict       NOT SHOWN GENUINE: Passive Authentication failed or no Chip/Active Authentication verified\n"),
        None => {}
    }
    if let Some(inspection) = &doc.inspection {
        let _ = writeln!(s, "Inspection    {}", inspection.headline().to_uppercase());
        for f in &inspection.failures {
            let _ = writeln!(s, "  failed      {f}");
        }
        for n in &inspection.notes {
            let _ = writeln!(s, "  note        {n}");
        }
    }
    if doc.access.downgraded {
        let _ = writeln!(
            s,
            "Downgrade     the chip offers PACE but BAC was used (--no-downgrade refuses this)"
        );
    }
    if let Some(m) = &doc.match_on_card {
        s.push_str(&moc_text(m));
    }
    let t = doc.traffic;
    let _ = writeln!(
        s,
        "Traffic       {} APDUs, {} bytes to the chip, {} bytes from it",
        t.apdus, t.bytes_to_card, t.bytes_from_card
    );
    s
}

/// The match-on-card part of a border check as text.
pub fn moc_text(m: &crate::reader::moc::MocReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Match-on-card {} ({})", m.headline(), m.finger);
    for r in &m.references {
        let _ = writeln!(s, "  reference   {r}");
    }
    if let Some(q) = m.qualifier {
        let _ = writeln!(
            s,
            "  probe       {} minutiae to reference {q:02X} in {} VERIFY command(s)",
            m.probe_minutiae, m.verify_commands
        );
    }
    if let Some(b) = &m.before {
        let _ = writeln!(s, "  before      {}", b.describe());
    }
    for w in &m.warnings {
        let _ = writeln!(s, "  warning     {w}");
    }
    s
}

/// A Passive Authentication report as text.
pub fn pa_text(pa: &PaReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Passive Authentication: {}",
        if pa.passed { "PASSED" } else { "FAILED" }
    );
    for c in &pa.checks {
        let mark = match c.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::NotChecked => "not checked",
            Verdict::Info => "info",
            Verdict::Warning => "warning",
        };
        let _ = writeln!(s, "  {mark:<12}{:<36}{}", c.name, c.detail);
    }
    if let Some(dsc) = &pa.dsc {
        let _ = writeln!(
            s,
            "  Document Signer  {} (serial {})",
            dsc.subject, dsc.serial
        );
    }
    if let Some(csca) = &pa.csca {
        let _ = writeln!(s, "  CSCA             {}", csca.subject);
    }
    s
}
