//! `dactyl inspect`: what a file is and what it holds (see [`crate::lds::inspect`]).

use crate::error::{Error, Result};
use crate::fsio::{MAX_LDS_FILE, read_bounded};
use crate::lds::inspect::{describe, finger_images};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `dactyl inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A data group, EF.COM, EF.SOD, EF.CardAccess, certificate, or ISO/IEC 19794-2/-4 record.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write the finger images of a DG3 or 19794-4 record into this directory.
    #[arg(long, value_name = "DIR")]
    pub extract: Option<PathBuf>,
}

/// Runs `dactyl inspect`.
pub fn run(args: &InspectArgs) -> Result<()> {
    let path = args.file.display();
    let bytes = read_bounded(
        &args.file,
        MAX_LDS_FILE,
        "a data group, EF.SOD or certificate",
    )?;
    let description = describe(&bytes).map_err(|e| match e {
        Error::Lds(m) => Error::Lds(format!("{path}: {m}")),
        other => other,
    })?;
    if args.json {
        outln!("{}", super::report::to_json(&description))?;
    } else {
        out!("{}", description.to_text())?;
    }
    if let Some(dir) = &args.extract {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        for image in finger_images(&bytes)? {
            let path = dir.join(image.file_name());
            for out in crate::easy::write_image_with(&path, &image.data, image.pixels().ok())? {
                eprintln!("dactyl: wrote {}", out.display());
            }
        }
    }
    Ok(())
}
