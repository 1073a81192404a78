//! `dactyl emulate`: a virtual chip as a card in pcscd's vpcd reader: a chip image, or a blank
//! chip to personalize (optionally saving the personalized image once it is locked).

use crate::emulator::perso::SaveOnLock;
use crate::emulator::{BlankChip, ChipImage, PersoChip, VirtualChip};
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
    /// locked, so it can be served again with --chip. With --chip: write the image with its
    /// match-on-card tries left to FILE whenever they change, so a restarted emulator keeps
    /// them (FILE may be the chip image itself; file paths in it stay as written).
    #[arg(long, value_name = "FILE")]
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
    match &args.save {
        Some(path) => {
            let mut card = SaveTries::new(chip, image, path.clone());
            serve_card(&mut card, &args.vpcd)
        }
        None => serve_card(&mut chip, &args.vpcd),
    }
}

/// A chip that writes its image, with the match-on-card tries left, whenever they change.
struct SaveTries {
    chip: VirtualChip,
    image: ChipImage,
    path: PathBuf,
    last: Vec<(u8, u8)>,
}

impl SaveTries {
    fn new(chip: VirtualChip, image: ChipImage, path: PathBuf) -> SaveTries {
        let last = chip.reference_tries();
        SaveTries {
            chip,
            image,
            path,
            last,
        }
    }
}

impl CardSide for SaveTries {
    fn atr(&self) -> Vec<u8> {
        self.chip.atr()
    }

    fn reset(&mut self) {
        self.chip.reset();
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        let answer = self.chip.process(apdu);
        let now = self.chip.reference_tries();
        if now != self.last {
            self.last = now;
            let image = self.image.clone().with_tries_of(&self.chip);
            if let Err(e) = write_whole(&self.path, &image.to_json()) {
                eprintln!("dactyl: could not save {}: {e}", self.path.display());
            }
        }
        answer
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::biometrics::FingerPosition;
    use crate::biometrics::minutiae::MinutiaeRecord;
    use crate::reader::moc::{MocOutcome, MocRequest, match_on_card};
    use crate::reader::{NoObserver, ReadOptions, read_document_then};
    use crate::transport::memory::InMemory;

    #[test]
    fn a_chip_served_with_save_keeps_its_tries_in_the_saved_image() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/utopia_moc.json");
        let image = ChipImage::load(&src).unwrap();
        let chip = image.build(src.parent().unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let saved = dir.path().join("chip.json");
        let card = SaveTries::new(chip, image, saved.clone());
        let probe = include_bytes!("../../fixtures/biometrics/sourceafis_iso-nonmatching.dat");
        let request = MocRequest {
            probe: MinutiaeRecord::parse(probe).unwrap(),
            finger: FingerPosition::RIGHT_THUMB,
            chunk: None,
        };
        let mut outcome = None;
        read_document_then(
            Box::new(InMemory::new(card)),
            &ReadOptions::with_can("482193"),
            &mut NoObserver,
            |session, _| {
                outcome = match_on_card(session, &request)?.outcome;
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(outcome, Some(MocOutcome::NoMatch { tries_left: 2 }));
        // The saved image starts the next emulator with two tries on the right thumb.
        let again = ChipImage::load(&saved).unwrap();
        let chip = again.build(src.parent().unwrap()).unwrap();
        assert_eq!(chip.reference_tries(), vec![(0x81, 2), (0x82, 3)]);
    }
}
