//! `dactyl read` and `dactyl readers`.

use super::report;
use crate::emulator::{ChipImage, PathTrust};
use crate::error::{Error, Result};
use crate::lds::files::EfId;
use crate::lds::mrz::{Mrz, MrzKeyInfo};
use crate::reader::{
    AccessKeys, AccessPolicy, Document, LengthPolicy, ReadObserver, ReadOptions, Session,
    read_document_then,
};
use crate::transport::Transport;
use crate::transport::memory::InMemory;
use crate::transport::pcsc::{PcscTransport, list_readers as pcsc_readers};
use crate::transport::trace::TraceLevel;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Arguments of `dactyl read`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// PC/SC reader name (default: the one reader holding a card).
    #[arg(long)]
    pub reader: Option<String>,
    /// Read an in-process virtual chip from this chip image instead of a PC/SC reader.
    #[arg(long, value_name = "CHIP_IMAGE", conflicts_with = "reader")]
    pub chip: Option<PathBuf>,
    /// Let the chip image name files anywhere (absolute paths, '..', symlinks out of its
    /// folder). Only for images you wrote yourself.
    #[arg(long, requires = "chip")]
    pub trust_image_paths: bool,
    /// The document's MRZ, lines separated by newlines or concatenated.
    #[arg(long, required_unless_present_any = ["document_number", "can"])]
    pub mrz: Option<String>,
    /// The card access number printed on the document (PACE).
    #[arg(long)]
    pub can: Option<String>,
    /// Use PACE only (fail rather than fall back to BAC).
    #[arg(long, conflicts_with = "bac_only")]
    pub pace_only: bool,
    /// Use BAC only (do not read EF.CardAccess or try PACE).
    #[arg(long)]
    pub bac_only: bool,
    /// Refuse to fall back to BAC when the chip offers PACE and PACE fails (a downgrade an
    /// attacker in the middle could force); chips without PACE are still read with BAC.
    #[arg(long, conflicts_with_all = ["bac_only", "pace_only"])]
    pub no_downgrade: bool,
    /// Document number (instead of --mrz).
    #[arg(long, conflicts_with = "mrz", requires_all = ["birth", "expiry"])]
    pub document_number: Option<String>,
    /// Date of birth, YYMMDD (with --document-number).
    #[arg(long)]
    pub birth: Option<String>,
    /// Date of expiry, YYMMDD (with --document-number).
    #[arg(long)]
    pub expiry: Option<String>,
    /// Only these files, comma separated (COM, SOD, DG1..DG16); default: all that EF.COM lists.
    #[arg(long, value_delimiter = ',')]
    pub files: Vec<String>,
    /// Save each file read into this folder (EF_COM.bin, DG1.bin, ...).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Never use extended length APDUs.
    #[arg(long)]
    pub short_only: bool,
    /// Print every APDU on stderr (authentication data and plain reads redacted).
    #[arg(short, long)]
    pub verbose: bool,
    /// With -v, print keys and personal data in the trace too.
    #[arg(long, requires = "verbose")]
    pub trace_secrets: bool,
    /// Trust anchors: with any of them, Passive Authentication runs on what was read.
    #[command(flatten)]
    pub trust: super::pki::TrustArgs,
    /// Terminal Authentication for DG3/DG4.
    #[command(flatten)]
    pub ta: super::eac::TaArgs,
}

impl ReadArgs {
    fn key_info(&self) -> Result<Option<MrzKeyInfo>> {
        match (&self.mrz, &self.document_number, &self.birth, &self.expiry) {
            (Some(mrz), _, _, _) => Ok(Some(Mrz::parse_verified(mrz)?.key_info()?)),
            (None, Some(doc), Some(birth), Some(expiry)) => {
                Ok(Some(MrzKeyInfo::new(doc, birth, expiry)?))
            }
            (None, None, _, _) if self.can.is_some() => Ok(None),
            _ => Err(Error::Usage(
                "give --mrz, --can, or --document-number with --birth and --expiry".into(),
            )),
        }
    }

    pub(super) fn options(&self) -> Result<ReadOptions> {
        let keys = AccessKeys {
            mrz: self.key_info()?,
            can: self.can.clone().map(zeroize::Zeroizing::new),
        };
        let mut opts = ReadOptions::with_keys(keys);
        opts.terminal = self.ta.load()?.map(std::sync::Arc::new);
        opts.access = match (self.pace_only, self.bac_only, self.no_downgrade) {
            (true, _, _) => AccessPolicy::PaceOnly,
            (_, true, _) => AccessPolicy::BacOnly,
            (_, _, true) => AccessPolicy::NoDowngrade,
            _ => AccessPolicy::PaceThenBac,
        };
        if !self.files.is_empty() {
            let files = self
                .files
                .iter()
                .map(|f| EfId::from_name(f))
                .collect::<Result<Vec<_>>>();
            opts.files = Some(files.map_err(|e| Error::Usage(e.to_string()))?);
        }
        opts.length = if self.short_only {
            LengthPolicy::ShortOnly
        } else {
            LengthPolicy::Auto
        };
        opts.trace = match (self.verbose, self.trace_secrets) {
            (false, _) => TraceLevel::Silent,
            (true, false) => TraceLevel::Redacted,
            (true, true) => TraceLevel::Full,
        };
        Ok(opts)
    }

    pub(super) fn transport(&self) -> Result<Box<dyn Transport>> {
        match &self.chip {
            Some(image) => Ok(Box::new(InMemory::new(ChipImage::load_chip_with(
                image,
                path_trust(self.trust_image_paths),
            )?))),
            None => Ok(Box::new(PcscTransport::connect(self.reader.as_deref())?)),
        }
    }
}

/// The path policy for chip images: contained unless `--trust-image-paths`.
pub fn path_trust(trusted: bool) -> PathTrust {
    if trusted {
        PathTrust::TrustImagePaths
    } else {
        PathTrust::Contained
    }
}

/// The file name a file is saved under.
pub fn file_name(ef: EfId) -> String {
    match ef {
        EfId::Dg(n) => format!("DG{n}.bin"),
        other => format!("{}.bin", other.name().replace(['.', '/'], "_")),
    }
}

/// Saves files as they arrive and drives the progress bar.
struct Saver<'a> {
    out: Option<&'a Path>,
    bar: Option<ProgressBar>,
}

impl ReadObserver for Saver<'_> {
    fn progress(&mut self, file: EfId, done: usize, total: Option<usize>) {
        if let Some(bar) = &self.bar {
            bar.set_message(file.name());
            bar.set_length(total.unwrap_or(done) as u64);
            bar.set_position(done as u64);
        }
    }

    fn file_read(&mut self, file: EfId, content: &[u8]) -> Result<()> {
        if let Some(dir) = self.out {
            let path = dir.join(file_name(file));
            std::fs::write(&path, content)
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            if file == EfId::Dg(3) {
                save_finger_images(dir, content)?;
            }
            if file == EfId::Dg(2) {
                save_face_images(dir, content)?;
            }
        }
        Ok(())
    }
}

/// Reads the document as `args` say (saving files, showing progress), runs Passive
/// Authentication when trust anchors are given, then `then` on the still open session.
pub(super) fn read_and_verify(
    args: &ReadArgs,
    then: impl FnOnce(&mut Session, &mut Document) -> Result<()>,
) -> Result<Document> {
    let opts = args.options()?;
    let trust = args.trust.any().then(|| args.trust.load()).transpose()?;
    let now = args.trust.now()?;
    let require_crl = !args.trust.no_crl_required;
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }
    let bar = (std::io::stderr().is_terminal() && !args.verbose).then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{msg:>8} [{bar:30}] {bytes}/{total_bytes}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    });
    let mut saver = Saver {
        out: args.out.as_deref(),
        bar,
    };
    let result = read_document_then(args.transport()?, &opts, &mut saver, |session, doc| {
        if let Some(trust) = &trust {
            doc.verify_passive(trust, now, require_crl);
        }
        then(session, doc)
    });
    if let Some(bar) = &saver.bar {
        bar.finish_and_clear();
    }
    result
}

/// Runs `dactyl read`.
pub fn run(args: &ReadArgs) -> Result<()> {
    let doc = read_and_verify(args, |_, _| Ok(()))?;
    if args.json {
        outln!("{}", report::to_json(&doc))?;
    } else {
        out!("{}", report::document_text(&doc))?;
        if let Some(dir) = &args.out {
            outln!("Saved {} files to {}", doc.raw.len(), dir.display())?;
        }
    }
    match &doc.inspection {
        Some(inspection) if !inspection.successful => Err(Error::protocol(
            "inspection",
            format!("FAILED ({})", inspection.failures.join("; ")),
        )),
        _ => Ok(()),
    }
}

/// Runs `dactyl readers`.
pub fn list_readers() -> Result<()> {
    let readers = pcsc_readers()?;
    if readers.is_empty() {
        return Err(Error::NoReaders);
    }
    for r in readers {
        outln!(
            "{}\t{}",
            if r.card_present { "card" } else { "empty" },
            r.name
        )?;
    }
    Ok(())
}

/// Writes each face image of DG2 (19794-5 or 39794-5) as `DG2_<n>.<jpg|jp2|bin>`; a DG2 that
/// does not parse is saved only as the file.
fn save_face_images(dir: &Path, dg2: &[u8]) -> Result<()> {
    let Ok(dg2) = crate::lds::dg2::Dg2::parse(dg2) else {
        return Ok(());
    };
    for (n, img) in dg2.images().iter().enumerate() {
        crate::easy::write_image(
            &dir.join(format!("DG2_{}.{}", n + 1, img.extension)),
            img.data,
        )?;
    }
    Ok(())
}

/// Writes each finger image of DG3 as `DG3_<n>_<finger>.<ext>`.
fn save_finger_images(dir: &Path, dg3: &[u8]) -> Result<()> {
    crate::easy::save_finger_images(dg3, dir).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_a_39794_face_image_with_its_extension() {
        let dg2 =
            include_bytes!("../../fixtures/biometrics/iso39794/ICAO_39794_5_AP_DG2_MandFields.dat");
        let dir = tempfile::tempdir().unwrap();
        save_face_images(dir.path(), dg2).unwrap();
        let saved = std::fs::read(dir.path().join("DG2_1.jp2")).unwrap();
        let parsed = crate::lds::dg2::Dg2::parse(dg2).unwrap();
        assert_eq!(saved, parsed.images()[0].data);
        assert_eq!(saved.len(), 15000);
    }
}
