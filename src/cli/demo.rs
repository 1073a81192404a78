//! `dactyl demo`: the reader flow against an in-process virtual chip, no hardware. The chip is
//! the BSI TR-03105-5 reference passport, compiled into the binary so the demo runs anywhere.

use super::report;
use crate::emulator::{ChipImage, VirtualChip};
use crate::error::{Error, Result};
use crate::lds::files::EfId;
use crate::lds::mrz::Mrz;
use crate::reader::{Document, LengthPolicy, NoObserver, ReadOptions, read_document};
use crate::transport::memory::InMemory;
use clap::Args;
use std::path::Path;

/// Arguments of `dactyl demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print the read report as JSON instead of the narrated run.
    #[arg(long)]
    pub json: bool,
}

const IMAGE: &str = include_str!("../../fixtures/chips/bsi_passport.json");

/// The files the BSI image refers to, compiled in.
fn embedded(path: &Path) -> Result<Vec<u8>> {
    let bytes: &[u8] = match path.file_name().and_then(|n| n.to_str()).unwrap_or("") {
        "EF_COM.bin" => include_bytes!("../../fixtures/chips/bsi_passport/EF_COM.bin"),
        "Datagroup1.bin" => include_bytes!("../../fixtures/chips/bsi_passport/Datagroup1.bin"),
        "Datagroup2.bin" => include_bytes!("../../fixtures/chips/bsi_passport/Datagroup2.bin"),
        "Datagroup3.bin" => include_bytes!("../../fixtures/chips/bsi_passport/Datagroup3.bin"),
        "Datagroup4.bin" => include_bytes!("../../fixtures/chips/bsi_passport/Datagroup4.bin"),
        "Datagroup14.bin" => include_bytes!("../../fixtures/chips/bsi_passport/Datagroup14.bin"),
        "Datagroup15.bin" => include_bytes!("../../fixtures/chips/bsi_passport/Datagroup15.bin"),
        "EF_SOD.bin" => include_bytes!("../../fixtures/chips/bsi_passport/EF_SOD.bin"),
        other => {
            return Err(Error::ChipImage(format!(
                "demo image refers to unknown file {other}"
            )));
        }
    };
    Ok(bytes.to_vec())
}

/// The demo chip and the MRZ printed on its data page.
pub fn demo_chip() -> Result<(VirtualChip, Mrz)> {
    let image = ChipImage::from_json(IMAGE)?;
    let chip = image.build_from(image.file_system_with(&embedded)?)?;
    Ok((chip, image.parsed_mrz()?))
}

fn read_demo(mrz: &Mrz, length: LengthPolicy) -> Result<Document> {
    let (chip, _) = demo_chip()?;
    let mut opts = ReadOptions::new(mrz.key_info()?);
    opts.length = length;
    read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver)
}

/// Runs `dactyl demo`.
pub fn run(args: &DemoArgs) -> Result<()> {
    let (chip, mrz) = demo_chip()?;
    let doc = read_demo(&mrz, LengthPolicy::Auto)?;
    if args.json {
        println!("{}", report::to_json(&doc));
        return Ok(());
    }
    println!("dactyl demo: a border read of a virtual passport, in-process, no hardware\n");
    println!("1. The virtual chip: BSI TR-03105-5 reference passport");
    for (ef, content) in chip.files().iter() {
        println!("     {:<12}{:>6} bytes", ef.name(), content.len());
    }
    println!("\n2. The officer types the MRZ from the data page:");
    for line in &mrz.lines {
        println!("     {line}");
    }
    println!("\n3. BAC with keys from the MRZ, then every file EF.COM lists (extended length):\n");
    for line in report::document_text(&doc).lines() {
        println!("     {line}");
    }
    let short = read_demo(&mrz, LengthPolicy::ShortOnly)?;
    println!(
        "\n4. The same read with short APDUs only: {} APDUs, {} bytes on the wire (extended length: {} APDUs, {} bytes)",
        short.traffic.apdus,
        short.traffic.bytes_to_card + short.traffic.bytes_from_card,
        doc.traffic.apdus,
        doc.traffic.bytes_to_card + doc.traffic.bytes_from_card,
    );
    if short.raw != doc.raw {
        return Err(Error::Lds(
            "short and extended reads returned different files".into(),
        ));
    }
    println!(
        "   Both reads returned identical bytes for all {} files.",
        doc.raw.len()
    );

    let mut wrong = mrz.clone();
    wrong.date_of_birth = "960813".into();
    let refused = read_demo(&wrong, LengthPolicy::Auto);
    match refused {
        Err(e @ Error::AccessDenied) => {
            println!("\n5. A mistyped birth date (960813): refused, \"{e}\"")
        }
        Err(e) => {
            return Err(Error::Lds(format!(
                "wrong MRZ gave an unexpected error: {e}"
            )));
        }
        Ok(_) => return Err(Error::Lds("the chip accepted a wrong MRZ".into())),
    }
    let dg3 = doc.raw.get(&EfId::Dg(3)).map_or(0, Vec::len);
    println!(
        "\nRead {} bytes of DG3 (fingerprints). Not in this build yet: Passive Authentication, PACE, Chip/Active/Terminal Authentication, match-on-card.",
        dg3
    );
    Ok(())
}
