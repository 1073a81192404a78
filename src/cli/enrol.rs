//! `dactyl enrol`: the enrolment policy's decision for an applicant record, and the issuance
//! check of a DG3 against it (see [`crate::issuance::policy`]).

use crate::error::{Error, Result};
use crate::fsio::{MAX_LDS_FILE, read_bounded};
use crate::issuance::policy::{
    Applicant, ChipFingers, DocumentKind, FingerprintDecision, RefusalAction, StationSettings,
    SubstitutionOrder, check_for_issuance, decide,
};
use crate::time::Date;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Applicant and settings files are small JSON records.
const MAX_RECORD: usize = 64 * 1024;

/// Arguments of `dactyl enrol`.
#[derive(Debug, Args)]
pub struct EnrolArgs {
    /// The applicant record (JSON: date_of_birth, status, category, hands, fingers, ...).
    #[arg(value_name = "APPLICANT")]
    pub applicant: PathBuf,
    /// The enrolment (capture) date, YYYY-MM-DD: ages count on it (default: today).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// The station's policy settings.
    #[command(flatten)]
    pub station: StationArgs,
    /// Check this DG3 file against the decision: refuse (exit 1) unless it may be issued.
    #[arg(long, value_name = "FILE", conflicts_with = "no_dg3")]
    pub dg3: Option<PathBuf>,
    /// Check issuing the document with no DG3 at all: refuse (exit 1) unless it may be issued.
    #[arg(long)]
    pub no_dg3: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The issuing station's policy settings, shared by `enrol` and `personalize`.
#[derive(Debug, Args, Default)]
pub struct StationArgs {
    /// The station's settings (JSON: substitution, on_refusal, chip_documents).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Which fingers replace an unusable thumb (overrides the settings file).
    #[arg(long, value_enum)]
    pub substitution: Option<Substitution>,
    /// What happens to the document when the applicant refuses (overrides the settings file).
    #[arg(long, value_enum)]
    pub on_refusal: Option<OnRefusal>,
    /// A document, besides the passport and national ID, whose chip gets DG3 (repeatable).
    #[arg(long = "chip-document", value_enum, value_name = "DOCUMENT")]
    pub chip_documents: Vec<ExtraChipDocument>,
}

/// `--substitution`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Substitution {
    /// The law's reading: the ring finger of the same hand, then of the other hand.
    RingFinger,
    /// Index, middle, ring, little finger of the same hand, then of the other hand.
    IndexFinger,
}

/// `--on-refusal`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OnRefusal {
    /// Do not issue the document.
    Block,
    /// Issue it without DG3, flagged in the record and report.
    IssueWithoutDg3,
}

/// `--chip-document`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExtraChipDocument {
    /// The seafarer's identity card.
    SeafarerIdentityCard,
    /// The residence permit card.
    ResidencePermitCard,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let bytes = read_bounded(path, MAX_RECORD, what)?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::Usage(format!("{}: not a valid {what}: {e}", path.display())))
}

impl StationArgs {
    /// The settings: the file's (or the defaults), with the options' overrides.
    pub fn settings(&self) -> Result<StationSettings> {
        let args = self;
        let mut s = match &args.settings {
            Some(path) => read_json(path, "station settings file")?,
            None => StationSettings::default(),
        };
        if let Some(sub) = args.substitution {
            s.substitution = match sub {
                Substitution::RingFinger => SubstitutionOrder::RingFinger,
                Substitution::IndexFinger => SubstitutionOrder::IndexFinger,
            };
        }
        if let Some(action) = args.on_refusal {
            s.on_refusal = match action {
                OnRefusal::Block => RefusalAction::Block,
                OnRefusal::IssueWithoutDg3 => RefusalAction::IssueWithoutDg3,
            };
        }
        for doc in &args.chip_documents {
            let doc = match doc {
                ExtraChipDocument::SeafarerIdentityCard => DocumentKind::SeafarerIdentityCard,
                ExtraChipDocument::ResidencePermitCard => DocumentKind::ResidencePermitCard,
            };
            if !s.chip_documents.contains(&doc) {
                s.chip_documents.push(doc);
            }
        }
        Ok(s)
    }
}

/// The finger position codes of a DG3 file's images.
fn dg3_positions(path: &Path) -> Result<Vec<u8>> {
    let bytes = read_bounded(path, MAX_LDS_FILE, "a DG3 file")?;
    let dg3 = crate::lds::dg3::Dg3::parse(&bytes)
        .map_err(|e| Error::Lds(format!("{}: {e}", path.display())))?;
    Ok(dg3.positions().iter().map(|p| p.0).collect())
}

/// The fingerprint outcome in a few words.
pub fn outcome(fingerprints: &FingerprintDecision) -> String {
    match fingerprints {
        FingerprintDecision::Mandatory => "mandatory".to_string(),
        FingerprintDecision::Permitted => "permitted (optional at 12 to 15)".to_string(),
        FingerprintDecision::NotTaken { .. } => "not taken".to_string(),
        FingerprintDecision::Refused { .. } => "record refused: correct it first".to_string(),
        FingerprintDecision::RefusedByApplicant { consequence } => {
            format!("refused by the applicant ({})", consequence.describe())
        }
    }
}

/// Runs `dactyl enrol`.
pub fn run(args: &EnrolArgs) -> Result<()> {
    let applicant: Applicant = read_json(&args.applicant, "applicant record")?;
    let settings = args.station.settings()?;
    let on = match &args.on {
        Some(s) => Date::parse(s)?,
        None => Date::today(),
    };
    let dg3 = match &args.dg3 {
        Some(path) => Some(dg3_positions(path)?),
        None => args.no_dg3.then(Vec::new),
    };
    let (decision, flags) = match dg3 {
        Some(positions) => {
            let check = check_for_issuance(&applicant, &settings, &positions, on)?;
            (check.decision, Some(check.flags))
        }
        None => (decide(&applicant, &settings, on), None),
    };
    if args.json {
        let report = serde_json::json!({
            "enrolled_on": on.to_string(),
            "settings": settings,
            "decision": decision,
            "dg3_check": flags.as_ref().map(|f| serde_json::json!({"issuable": true, "flags": f})),
        });
        return outln!("{}", super::report::to_json(&report));
    }
    let outcome = outcome(&decision.fingerprints);
    outln!(
        "Enrolment on {on}: category {} ({}), {}",
        applicant.category.law_category(),
        applicant.category.describe(),
        applicant.status.describe()
    )?;
    outln!("Fingerprints: {outcome}")?;
    if let Some(capture) = &decision.capture {
        let fingers: Vec<String> = capture
            .fingers
            .iter()
            .map(|f| f.code().to_string())
            .collect();
        let palms: Vec<&str> = capture.palms.iter().map(|h| h.name()).collect();
        outln!(
            "Database: fingers {} and palms {}",
            fingers.join(", "),
            palms.join(", ")
        )?;
    }
    match &decision.chip {
        ChipFingers::Store { fingers } => {
            let names: Vec<String> = fingers
                .iter()
                .map(|f| format!("{} ({})", f.finger.code(), f.finger.name()))
                .collect();
            outln!("Chip (DG3): {}", names.join(", "))?;
        }
        ChipFingers::Nothing { .. } => outln!("Chip (DG3): none")?,
    }
    outln!("Why:")?;
    for reason in &decision.reasons {
        outln!("  - {reason}")?;
    }
    if !decision.assumptions.is_empty() {
        outln!("Assumptions (the law's text does not settle these):")?;
        for name in &decision.assumptions {
            let text = crate::issuance::policy::ASSUMPTIONS
                .iter()
                .find(|a| a.0 == *name)
                .map_or("", |a| a.1);
            outln!("  - {name}: {text}")?;
        }
    }
    if let Some(flags) = flags {
        outln!("DG3 check: may be issued")?;
        for flag in flags {
            outln!("  flag: {flag}")?;
        }
    }
    Ok(())
}
