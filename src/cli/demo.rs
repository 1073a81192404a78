//! `dactyl demo`: the whole flow on in-process virtual chips, no hardware. It begins at the
//! issuing station: a blank chip is personalized from the sample applicant whose two thumbs
//! come from the scanner as PNG and are written as WSQ ([`super::demo_issue`]), with an SOD signed by the dactyl test PKI and the test CVCA as its
//! trust point; then the border reader opens that chip, reads it, verifies it and ends with
//! match-on-card ([`super::demo_moc`]). Applicant,
//! keys and trust anchors are compiled into the binary so the demo runs anywhere.

use super::report;
use crate::access::cvc::{CvSigningKey, Cvc};
use crate::error::{Error, Result};
use crate::lds::files::EfId;
use crate::lds::mrz::Mrz;
use crate::reader::authenticity::TerminalCredentials;
use crate::reader::{Document, LengthPolicy, NoObserver, ReadOptions, read_document};
use crate::time::Time;
use crate::transport::memory::InMemory;
use clap::Args;

/// Arguments of `dactyl demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print the read report as JSON instead of the narrated run.
    #[arg(long)]
    pub json: bool,
}

use super::demo_issue::{Issued, issue_demo_chip};
pub use crate::emulator::specimen::demo_trust;

/// The demo border terminal's Terminal Authentication credentials (test CV PKI).
pub fn demo_terminal() -> Result<TerminalCredentials> {
    let chain = vec![
        Cvc::parse(include_bytes!("../../fixtures/eac/dv.cvcert"))?,
        Cvc::parse(include_bytes!("../../fixtures/eac/is.cvcert"))?,
    ];
    let key = CvSigningKey::from_pkcs8_pem(include_str!("../../fixtures/eac/is.key"))?;
    Ok(TerminalCredentials { chain, key })
}

fn read_demo(issued: &Issued, mrz: &Mrz, length: LengthPolicy, tamper: bool) -> Result<Document> {
    let chip = issued.chip(tamper)?;
    let mut opts = ReadOptions::new(mrz.key_info()?);
    opts.length = length;
    opts.terminal = Some(std::sync::Arc::new(demo_terminal()?));
    let mut doc = read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver)?;
    doc.verify_passive(&demo_trust()?, Time::now(), true);
    Ok(doc)
}

fn indent(text: &str) -> Result<()> {
    for line in text.lines() {
        outln!("     {line}")?;
    }
    Ok(())
}

/// One line per DG3 finger image: the scanner's PNG as written (WSQ by default).
fn finger_lines(plan: &crate::issuance::personalization::Plan) -> Result<Vec<String>> {
    let Some(dg3) = plan.files.get(EfId::Dg(3)) else {
        return Ok(Vec::new());
    };
    let dg3 = crate::lds::dg3::Dg3::parse(dg3)?;
    let mut lines = Vec::new();
    for img in &dg3.images {
        for v in img.views() {
            let pixels = f64::from(v.width) * f64::from(v.height);
            lines.push(format!(
                "{}: the scanner's PNG written as {}, {} bytes ({:.2} bits per pixel)",
                v.position.name(),
                v.compression.name(),
                v.image.len(),
                v.image.len() as f64 * 8.0 / pixels.max(1.0)
            ));
        }
    }
    Ok(lines)
}

/// Runs `dactyl demo`.
pub fn run(args: &DemoArgs) -> Result<()> {
    let issued = issue_demo_chip()?;
    let mrz = issued.plan.mrz.clone();
    let doc = read_demo(&issued, &mrz, LengthPolicy::Auto, false)?;
    if args.json {
        outln!("{}", report::to_json(&doc))?;
        return Ok(());
    }
    outln!(
        "dactyl demo: issuing a passport and reading it at the border, in-process, no hardware\n"
    )?;
    let r = &issued.record;
    let w = &issued.done.write;
    outln!(
        "1. The issuing station personalizes a blank chip for {} {} (born {}, {}):",
        r.holder.secondary_identifier,
        r.holder.primary_identifier,
        r.holder.date_of_birth,
        super::enrol::outcome(&issued.plan.policy.decision.fingerprints)
    )?;
    for (i, f) in issued
        .plan
        .policy
        .decision
        .reasons
        .iter()
        .enumerate()
        .take(2)
    {
        outln!("     {} {f}", if i == 0 { "policy:" } else { "       " })?;
    }
    for warning in &issued.plan.warnings {
        outln!("     note:  {warning}")?;
    }
    for (name, size) in &w.files {
        outln!("     {name:<16}{size:>6} bytes written")?;
    }
    for line in finger_lines(&issued.plan)? {
        outln!("     {line}")?;
    }
    outln!(
        "     {} APDUs ({} the least this chip allows), {} bytes sent; locked with the personalization digest",
        w.apdus,
        w.minimum_apdus,
        w.bytes_sent
    )?;
    outln!(
        "     read back over PACE with the CAN {}: every file equal, Passive, Chip, Active and Terminal Authentication pass",
        issued.plan.can
    )?;
    outln!("\n2. At the border, the officer types the MRZ from the data page:")?;
    for line in &mrz.lines {
        outln!("     {line}")?;
    }
    outln!(
        "\n3. PACE with the MRZ, every file EF.COM lists (extended length), Chip Authentication"
    )?;
    outln!("   after DG14, Terminal Authentication before DG3, Active Authentication after DG15,")?;
    outln!("   Passive Authentication against the test CSCA and its CRL:\n")?;
    indent(&report::document_text(&doc))?;
    let pa_passed = doc
        .passive_authentication
        .as_ref()
        .is_some_and(|p| p.passed);
    if !pa_passed || doc.genuine != Some(true) {
        return Err(Error::protocol(
            "demo",
            "the genuine chip was not shown genuine",
        ));
    }

    let short = read_demo(&issued, &mrz, LengthPolicy::ShortOnly, false)?;
    outln!(
        "\n4. The same read with short APDUs only: {} APDUs, {} bytes on the wire (extended length: {} APDUs, {} bytes)",
        short.traffic.apdus,
        short.traffic.bytes_to_card + short.traffic.bytes_from_card,
        doc.traffic.apdus,
        doc.traffic.bytes_to_card + doc.traffic.bytes_from_card,
    )?;
    if short.raw != doc.raw {
        return Err(Error::Lds(
            "short and extended reads returned different files".into(),
        ));
    }
    outln!(
        "   Both reads returned identical bytes for all {} files.",
        doc.raw.len()
    )?;

    let mut wrong = mrz.clone();
    let mut typo = mrz.date_of_birth.clone().into_bytes();
    if let Some(last) = typo.last_mut() {
        *last = if *last == b'9' { b'8' } else { *last + 1 };
    }
    wrong.date_of_birth = String::from_utf8_lossy(&typo).into_owned();
    match read_demo(&issued, &wrong, LengthPolicy::Auto, false) {
        Err(e @ (Error::AccessDenied | Error::PaceDenied { .. })) => outln!(
            "\n5. A mistyped birth date ({}): refused, \"{e}\"",
            wrong.date_of_birth
        )?,
        Err(e) => {
            return Err(Error::Lds(format!(
                "wrong MRZ gave an unexpected error: {e}"
            )));
        }
        Ok(_) => return Err(Error::Lds("the chip accepted a wrong MRZ".into())),
    }

    let forged = read_demo(&issued, &mrz, LengthPolicy::Auto, true)?;
    let Some(pa) = forged.passive_authentication.as_ref().filter(|p| !p.passed) else {
        return Err(Error::protocol(
            "demo",
            "a chip with an altered face image passed Passive Authentication",
        ));
    };
    let failed: Vec<String> = pa
        .failures()
        .iter()
        .map(|c| format!("{} ({})", c.name, c.detail))
        .collect();
    outln!(
        "\n6. A chip whose face image (DG2) was altered by one bit: Passive Authentication FAILED: {}",
        failed.join("; ")
    )?;
    if forged.genuine != Some(false) {
        return Err(Error::protocol(
            "demo",
            "an altered chip was reported genuine",
        ));
    }
    outln!(
        "   Chip and Active Authentication still pass (it is the real chip), yet the verdict is NOT genuine."
    )?;

    let dg3_bytes = doc
        .raw
        .get(&EfId::Dg(3))
        .ok_or_else(|| Error::protocol("demo", "DG3 was not read"))?;
    let dg3 = crate::lds::dg3::Dg3::parse(dg3_bytes)?;
    let fingers: Vec<String> = dg3
        .images
        .iter()
        .flat_map(|i| {
            i.views().into_iter().map(|v| {
                format!(
                    "{} ({}x{}, {})",
                    v.position.name(),
                    v.width,
                    v.height,
                    v.image_extension()
                )
            })
        })
        .collect();
    outln!(
        "\n7. DG3, read after Terminal Authentication and authenticated by the SOD: {} bytes, {} finger images: {}",
        dg3_bytes.len(),
        fingers.len(),
        fingers.join(", ")
    )?;
    super::demo_moc::run(&issued, &mrz)
}
