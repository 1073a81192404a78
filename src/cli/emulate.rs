//! `dactyl emulate`: a virtual chip as a card in pcscd's vpcd reader.

use crate::emulator::ChipImage;
use crate::error::{Error, Result};
use crate::transport::vpcd::{ServeOptions, check_address, serve};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `dactyl emulate`.
#[derive(Debug, Args)]
pub struct EmulateArgs {
    /// Where pcscd's vpcd driver listens (35963 = "Virtual PCD 00 00", 35964 = "... 00 01").
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:35963")]
    pub vpcd: String,
    /// The chip image (JSON or TOML) to emulate.
    #[arg(long, value_name = "FILE")]
    pub chip: PathBuf,
    /// Let the chip image name files anywhere (absolute paths, '..', symlinks out of its
    /// folder). Only for images you wrote yourself.
    #[arg(long)]
    pub trust_image_paths: bool,
}

/// Runs `dactyl emulate` until interrupted.
pub fn run(args: &EmulateArgs) -> Result<()> {
    check_address(&args.vpcd)?;
    let image = ChipImage::load(&args.chip)?;
    let base = args.chip.parent().map(PathBuf::from).unwrap_or_default();
    let mut chip = image.build_with(&base, super::read::path_trust(args.trust_image_paths))?;
    if !image.description.is_empty() {
        eprintln!("dactyl: emulating {}", image.description);
    }
    for warning in image.announcements() {
        eprintln!("dactyl: {warning}");
    }
    eprintln!("dactyl: {chip:?}");
    let stats = serve(&mut chip, &args.vpcd, &ServeOptions::default())?;
    if stats.connections == 0 {
        return Err(Error::Transport(format!(
            "could not reach vpcd at {}",
            args.vpcd
        )));
    }
    Ok(())
}
