//! `dactyl personalize`: the issuing clerk's one command, from an applicant record to a locked
//! chip that reads back as genuine (see [`crate::issuance::personalization`] for what is built
//! and written, [`crate::reader::readback`] for the read-back).

use super::enrol::StationArgs;
use super::report;
use crate::emulator::perso::{BlankChip, PersoChip, Profile};
use crate::error::{Error, Result};
use crate::issuance::applicant::{ApplicantRecord, FingerCompression, FingerEncoding, files_in};
use crate::issuance::cv_pki::TestCvPki;
use crate::issuance::personalization::writer::detect_chip;
use crate::issuance::personalization::{BiometricFormat, ChipProfile, Issuer, PlanOptions, plan};
use crate::issuance::test_pki::TestPki;
use crate::reader::authenticity::TerminalCredentials;
use crate::reader::readback::{IssueOptions, Personalized, personalize};
use crate::time::{Date, Time};
use crate::transport::Transport;
use crate::transport::memory::InMemory;
use crate::transport::pcsc::PcscTransport;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use zeroize::Zeroizing;

/// Arguments of `dactyl personalize`.
#[derive(Debug, Args)]
pub struct PersonalizeArgs {
    /// The applicant record (JSON; see the README for its fields).
    #[arg(long, value_name = "FILE")]
    pub applicant: PathBuf,
    /// The issuer's PKI folder (`dactyl pki init`): its Document Signer signs EF.SOD and
    /// EF.CardSecurity, its CSCA and CRL verify the read-back.
    #[arg(long, value_name = "DIR")]
    pub pki: PathBuf,
    /// The CV PKI folder (`dactyl cvc init`): the chip trusts its CVCA for Terminal
    /// Authentication, and its inspection system reads DG3 back. Required when DG3 is written.
    #[arg(long, value_name = "DIR")]
    pub cv: Option<PathBuf>,
    /// PC/SC reader holding the blank card (default: the one reader with a card).
    #[arg(long, conflicts_with = "chip")]
    pub reader: Option<String>,
    /// Personalize an in-process virtual blank chip described by this file (see `dactyl
    /// emulate --blank`).
    #[arg(long, value_name = "BLANK_CHIP", requires = "save")]
    pub chip: Option<PathBuf>,
    /// With --chip: write the personalized chip image here (serve it with `dactyl emulate`).
    #[arg(long, value_name = "FILE", requires = "chip")]
    pub save: Option<PathBuf>,
    /// The blank stock's transport key: 32 hex digits (a 16-byte K_seed).
    #[arg(long, value_name = "HEX")]
    pub transport_key: Option<String>,
    /// The issuing date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// The blank chip's command set: `auto` asks the chip (a chip without EF.ATR/INFO and
    /// extended length is taken for the JMRTD applet) or reads the blank chip's description.
    #[arg(long, value_enum, default_value = "auto")]
    pub profile: ProfileArg,
    /// On a chip that cannot hold DG3 (the JMRTD applet), issue without the fingers the policy
    /// chose; the report lists them. Refused otherwise.
    #[arg(long)]
    pub allow_dg3_left_off: bool,
    /// The encoding of the face and finger records: ISO/IEC 19794 (2005), or the extensible
    /// ISO/IEC 39794-5/-4 that issuers must write from 2030.
    #[arg(long, value_enum, default_value = "19794")]
    pub biometric_format: FormatArg,
    /// The curve of the chip's PACE, Chip and Active Authentication keys.
    #[arg(long, value_enum, default_value = "brainpool256")]
    pub curve: ChipCurve,
    /// How DG3's finger images are written: WSQ (the EU passport profile's choice), PNG or
    /// lossless JPEG 2000. A scanner file already in that format is kept as given, any other
    /// (PNG, JPEG, JPEG 2000, WSQ or raw) is transcoded; every image is decoded again before
    /// it is written.
    #[arg(long, value_enum, default_value = "wsq")]
    pub finger_compression: FingerCompressionArg,
    /// WSQ's bit rate, in bits per pixel (0.75 is the usual 15:1 for 500 ppi fingerprints).
    #[arg(long, value_name = "BPP", default_value = "0.75")]
    pub wsq_bitrate: f32,
    /// The station's policy settings.
    #[command(flatten)]
    pub station: StationArgs,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--biometric-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// ISO/IEC 19794-5:2005 and 19794-4:2005 records.
    #[value(name = "19794")]
    Iso19794,
    /// ISO/IEC 39794-5 and 39794-4 data blocks.
    #[value(name = "39794")]
    Iso39794,
}

/// `--finger-compression`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FingerCompressionArg {
    /// WSQ (FBI IAFIS-IC-0110 v3.1).
    Wsq,
    /// PNG.
    Png,
    /// JPEG 2000, lossless, in a JP2 file.
    Jp2,
}

impl From<FingerCompressionArg> for FingerCompression {
    fn from(a: FingerCompressionArg) -> Self {
        match a {
            FingerCompressionArg::Wsq => FingerCompression::Wsq,
            FingerCompressionArg::Png => FingerCompression::Png,
            FingerCompressionArg::Jp2 => FingerCompression::Jpeg2000,
        }
    }
}

/// `--profile`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// Ask the chip.
    Auto,
    /// A dactyl chip.
    Dactyl,
    /// The JMRTD passport applet.
    JmrtdApplet,
}

/// `--curve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChipCurve {
    /// brainpoolP256r1.
    Brainpool256,
    /// brainpoolP384r1.
    Brainpool384,
    /// NIST P-256.
    P256,
    /// NIST P-384.
    P384,
}

impl From<ChipCurve> for crate::crypto::ec::Curve {
    fn from(c: ChipCurve) -> Self {
        use crate::crypto::ec::Curve;
        match c {
            ChipCurve::Brainpool256 => Curve::BrainpoolP256r1,
            ChipCurve::Brainpool384 => Curve::BrainpoolP384r1,
            ChipCurve::P256 => Curve::P256,
            ChipCurve::P384 => Curve::P384,
        }
    }
}

fn transport_key(hex_key: &Option<String>) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let Some(h) = hex_key else { return Ok(None) };
    match hex::decode(h.trim()) {
        Ok(k) if k.len() == 16 => Ok(Some(Zeroizing::new(k))),
        _ => Err(Error::Usage(
            "--transport-key: 32 hex digits (a 16-byte K_seed)".into(),
        )),
    }
}

/// A progress bar on a terminal.
fn progress_bar() -> Option<ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("writing [{bar:30}] {bytes}/{total_bytes} {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    })
}

/// Runs `dactyl personalize`.
pub fn run(args: &PersonalizeArgs) -> Result<()> {
    let record = ApplicantRecord::load(&args.applicant)?;
    let base = args.applicant.parent().unwrap_or(Path::new("."));
    let on = match &args.on {
        Some(s) => Date::parse(s)?,
        None => Date::today(),
    };
    let pki = TestPki::load(&args.pki)?;
    let cv = args.cv.as_deref().map(TestCvPki::load).transpose()?;
    let blank = args.chip.as_deref().map(BlankChip::load).transpose()?;
    let profile = match (args.profile, &blank) {
        (ProfileArg::Dactyl, _) => ChipProfile::Dactyl,
        (ProfileArg::JmrtdApplet, _) => ChipProfile::JmrtdApplet,
        (ProfileArg::Auto, Some(b)) => match b.profile {
            Profile::Dactyl => ChipProfile::Dactyl,
            Profile::JmrtdApplet => ChipProfile::JmrtdApplet,
        },
        (ProfileArg::Auto, None) => {
            let mut t = PcscTransport::connect(args.reader.as_deref())?;
            if detect_chip(&mut t)?.jmrtd_applet {
                ChipProfile::JmrtdApplet
            } else {
                ChipProfile::Dactyl
            }
        }
    };
    let mut opts = PlanOptions::new(on);
    opts.profile = profile;
    opts.biometric_format = match args.biometric_format {
        FormatArg::Iso19794 => BiometricFormat::Iso19794,
        FormatArg::Iso39794 => BiometricFormat::Iso39794,
    };
    opts.allow_dg3_left_off = args.allow_dg3_left_off;
    opts.settings = args.station.settings()?;
    opts.curve = args.curve.into();
    opts.finger_encoding = FingerEncoding {
        compression: args.finger_compression.into(),
        wsq_bits_per_pixel: args.wsq_bitrate,
    };
    let issuer = Issuer::from_test_pkis(&pki, cv.as_ref());
    let plan = plan(&record, &files_in(base), &issuer, &opts)?;
    let terminal = cv.map(|cv| {
        Arc::new(TerminalCredentials {
            chain: vec![cv.dv, cv.is],
            key: cv.is_key,
        })
    });
    let trust = pki.trust_store()?;
    let key = transport_key(&args.transport_key)?;
    let issue = IssueOptions {
        trust: &trust,
        terminal,
        transport_key: key.as_ref(),
        now: Time::now(),
    };
    let bar = progress_bar();
    let mut progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let started = Instant::now();
    let result = match &args.chip {
        Some(_) => {
            let blank = blank.ok_or_else(|| Error::Usage("--chip: no blank chip".into()))?;
            let chip = Arc::new(Mutex::new(PersoChip::new(blank)?));
            let shared = chip.clone();
            let mut connect =
                || -> Result<Box<dyn Transport>> { Ok(Box::new(InMemory::new(shared.clone()))) };
            let result = personalize(&mut connect, &plan, &issue, &mut progress);
            if let (Some(out), Ok(chip)) = (&args.save, chip.lock())
                && let Some(image) = chip.image()
            {
                std::fs::write(out, image.to_json())
                    .map_err(|e| Error::io(format!("writing {}", out.display()), e))?;
                eprintln!("dactyl: saved the personalized chip to {}", out.display());
            }
            result
        }
        None => {
            let reader = args.reader.clone();
            let mut connect = || -> Result<Box<dyn Transport>> {
                Ok(Box::new(PcscTransport::connect(reader.as_deref())?))
            };
            personalize(&mut connect, &plan, &issue, &mut progress)
        }
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let done = result?;
    let elapsed = started.elapsed();
    if args.json {
        let v = serde_json::json!({
            "policy": plan.policy,
            "warnings": plan.warnings,
            "dg3_fingers": plan.dg3_positions,
            "profile": plan.profile,
            "not_written": plan.not_written,
            "can": plan.can,
            "seconds": elapsed.as_secs_f64(),
            "passed": done.passed(),
            "personalization": done,
        });
        outln!("{}", report::to_json(&v))?;
    } else {
        out!("{}", text(&plan, &done, elapsed.as_secs_f64()))?;
    }
    if done.passed() {
        Ok(())
    } else {
        Err(Error::protocol(
            "personalization",
            format!(
                "the chip is locked but did not verify: {}",
                done.read_back.failures.join("; ")
            ),
        ))
    }
}

fn text(
    plan: &crate::issuance::personalization::Plan,
    done: &Personalized,
    seconds: f64,
) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let d = &plan.policy.decision;
    let _ = writeln!(s, "Document      {}", plan.mrz.lines.join(" / "));
    if plan.profile == ChipProfile::Dactyl {
        let _ = writeln!(s, "CAN           {}", plan.can);
    } else {
        let _ = writeln!(
            s,
            "CAN           none (no PACE on the JMRTD applet: BAC with the MRZ)"
        );
    }
    let _ = writeln!(
        s,
        "Fingerprints  {}",
        super::enrol::outcome(&d.fingerprints)
    );
    let names = |codes: &[u8]| {
        codes
            .iter()
            .map(|c| {
                let name = crate::issuance::policy::FingerPosition::from_code(*c)
                    .map_or("?", |f| f.name());
                format!("{c} ({name})")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let dg3 = if plan.dg3_positions.is_empty() {
        match &d.chip {
            crate::issuance::policy::ChipFingers::Nothing { reason } => format!("none ({reason})"),
            _ => "none".into(),
        }
    } else {
        names(&plan.dg3_positions)
    };
    let _ = writeln!(s, "DG3 fingers   {dg3}");
    for f in &plan.policy.flags {
        let _ = writeln!(s, "Flag          {f}");
    }
    for w in &plan.warnings {
        let _ = writeln!(s, "Warning       {w}");
    }
    for n in &plan.not_written {
        let _ = writeln!(s, "NOT WRITTEN   {n}");
    }
    let w = &done.write;
    let _ = writeln!(
        s,
        "Written       {} files, {} APDUs ({} the minimum for this chip), {} bytes sent, {} received, {:.2} s",
        w.files.len(),
        w.apdus,
        w.minimum_apdus,
        w.bytes_sent,
        w.bytes_received,
        seconds
    );
    if let Some(e) = &w.lock_answer_lost {
        let _ = writeln!(
            s,
            "Warning       the lock's answer was lost ({e}): the read-back decides"
        );
    }
    for f in &done.read_back.files {
        let _ = writeln!(
            s,
            "  {:<14}{:>7} B  {}",
            f.file,
            f.written,
            if f.equal {
                "read back equal"
            } else {
                "DIFFERS"
            }
        );
    }
    let doc = &done.read_back.document;
    let _ = writeln!(s, "Read back     {}", doc.access_control);
    if let Some(pa) = &doc.passive_authentication {
        let _ = writeln!(
            s,
            "Passive Auth  {}",
            if pa.passed { "PASSED" } else { "FAILED" }
        );
    }
    for (name, c) in [
        ("Chip Auth", &doc.chip_authentication),
        ("Active Auth", &doc.active_authentication),
        ("Terminal Auth", &doc.terminal_authentication),
    ] {
        if let Some(c) = c {
            let _ = writeln!(s, "{name:<14}{:?}: {}", c.verdict, c.detail);
        }
    }
    if done.passed() {
        let _ = writeln!(s, "Result        ISSUED: locked, read back equal, verified");
    } else {
        for f in &done.read_back.failures {
            let _ = writeln!(s, "Failure       {f}");
        }
    }
    s
}
