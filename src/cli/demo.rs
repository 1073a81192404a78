//! `dactyl demo`: the reader flow against an in-process virtual chip, no hardware. The chip is
//! a Utopia specimen passport with the BSI TR-03105-5 reference face and fingerprints and an SOD
//! signed by the dactyl test PKI; chip and trust anchors are compiled into the binary so the demo
//! runs anywhere.

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

pub use crate::emulator::specimen::{demo_chip, demo_trust};

/// The demo border terminal's Terminal Authentication credentials (test CV PKI).
pub fn demo_terminal() -> Result<TerminalCredentials> {
    let chain = vec![
        Cvc::parse(include_bytes!("../../fixtures/eac/dv.cvcert"))?,
        Cvc::parse(include_bytes!("../../fixtures/eac/is.cvcert"))?,
    ];
    let key = CvSigningKey::from_pkcs8_pem(include_str!("../../fixtures/eac/is.key"))?;
    Ok(TerminalCredentials { chain, key })
}

fn read_demo(mrz: &Mrz, length: LengthPolicy, tamper: bool) -> Result<Document> {
    let (chip, _) = demo_chip(tamper)?;
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

/// Runs `dactyl demo`.
pub fn run(args: &DemoArgs) -> Result<()> {
    let (chip, mrz) = demo_chip(false)?;
    let doc = read_demo(&mrz, LengthPolicy::Auto, false)?;
    if args.json {
        outln!("{}", report::to_json(&doc))?;
        return Ok(());
    }
    outln!("dactyl demo: a border read of a virtual passport, in-process, no hardware\n")?;
    outln!(
        "1. The virtual chip: a Utopia specimen passport with the BSI reference face and fingerprints"
    )?;
    for (ef, content) in chip.files().iter() {
        outln!("     {:<16}{:>6} bytes", ef.name(), content.len())?;
    }
    outln!("\n2. The officer types the MRZ from the data page:")?;
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

    let short = read_demo(&mrz, LengthPolicy::ShortOnly, false)?;
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
    wrong.date_of_birth = "740813".into();
    match read_demo(&wrong, LengthPolicy::Auto, false) {
        Err(e @ (Error::AccessDenied | Error::PaceDenied { .. })) => {
            outln!("\n5. A mistyped birth date (740813): refused, \"{e}\"")?
        }
        Err(e) => {
            return Err(Error::Lds(format!(
                "wrong MRZ gave an unexpected error: {e}"
            )));
        }
        Ok(_) => return Err(Error::Lds("the chip accepted a wrong MRZ".into())),
    }

    let forged = read_demo(&mrz, LengthPolicy::Auto, true)?;
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
    outln!("\nNot in this build yet: issuance to a blank chip, match-on-card.")?;
    Ok(())
}
