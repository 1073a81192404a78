//! `dactyl emulate`: a virtual chip as a card in pcscd's vpcd reader: a chip image, or a blank
//! chip to personalize (optionally saving the personalized image once it is locked).

use crate::emulator::perso::SaveOnLock;
use crate::emulator::{BlankChip, ChipImage, PersoChip};
use crate::error::{Error, Result};
use crate::transport::CardSide;
use crate::transport::vpcd::{ServeOptions, check_address, serve};
use clap::{ArgGroup, Args};
use std::path::{Path, PathBuf};

/// Arguments of `dactyl emulate`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("card").required(true).args(["chip", "blank"])))]
pub struct EmulateArgs {
    /// Where pcscd's vpcd driver listens (35963 = "Virtual PCD 00 00", 35964 = "... 00 01").
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:35963")]
    pub vpcd: String,
    /// The chip image (JSON or TOML) to emulate.
    #[arg(long, value_name = "FILE")]
    pub chip: Option<PathBuf>,
    /// Emulate a blank chip to personalize: its description (JSON: buffer sizes, extended
    /// length, curves, transport key, profile), or dactyl's default blank chip without FILE.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub blank: Option<Option<PathBuf>>,
    /// With --blank: write the personalized chip image (JSON) to FILE as soon as the chip is
    /// locked, so it can be served again with --chip.
    #[arg(long, value_name = "FILE", requires = "blank")]
    pub save: Option<PathBuf>,
    /// Let the chip image name files anywhere (absolute paths, '..', symlinks out of its
    /// folder). Only for images you wrote yourself.
    #[arg(long)]
    pub trust_image_paths: bool,
}

/// Runs `dactyl emulate` until interrupted.
pub fn run(args: &EmulateArgs) -> Result<()> {
    check_address(&args.vpcd)?;
    match (&args.chip, &args.blank) {
        (Some(chip), _) => run_image(args, chip),
        (None, Some(blank)) => run_blank(args, blank.as_deref()),
        (None, None) => Err(Error::Usage("give --chip FILE or --blank [FILE]".into())),
    }
}

fn run_image(args: &EmulateArgs, path: &Path) -> Result<()> {
    let image = ChipImage::load(path)?;
    let base = path.parent().map(PathBuf::from).unwrap_or_default();
    let mut chip = image.build_with(&base, super::read::path_trust(args.trust_image_paths))?;
    if !image.description.is_empty() {
        eprintln!("dactyl: emulating {}", image.description);
    }
    for warning in image.announcements() {
        eprintln!("dactyl: {warning}");
    }
    eprintln!("dactyl: {chip:?}");
    serve_card(&mut chip, &args.vpcd)
}

fn run_blank(args: &EmulateArgs, path: Option<&Path>) -> Result<()> {
    let blank = match path {
        Some(p) => BlankChip::load(p)?,
        None => BlankChip::default(),
    };
    let chip = PersoChip::new(blank)?;
    eprintln!(
        "dactyl: emulating a blank chip{}: {chip:?}",
        match chip.blank().description.as_str() {
            "" => String::new(),
            d => format!(" ({d})"),
        }
    );
    let save = args.save.clone();
    let mut card = SaveOnLock::new(chip, move |image: &ChipImage| {
        eprintln!("dactyl: the chip is locked");
        if let Some(path) = &save {
            match write_whole(path, &image.to_json()) {
                Ok(()) => eprintln!(
                    "dactyl: personalized chip image saved to {}",
                    path.display()
                ),
                Err(e) => eprintln!("dactyl: could not save {}: {e}", path.display()),
            }
        }
    });
    serve_card(&mut card, &args.vpcd)
}

/// Writes `text` to a temporary file beside `path`, then renames it: a reader never sees half
/// an image. The image holds the chip's private keys: on Unix only the owner may read it.
fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

fn serve_card(card: &mut dyn CardSide, vpcd: &str) -> Result<()> {
    let stats = serve(card, vpcd, &ServeOptions::default())?;
    if stats.connections == 0 {
        return Err(Error::Transport(format!("could not reach vpcd at {vpcd}")));
    }
    Ok(())
}
