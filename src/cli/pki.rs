//! `dactyl pki init`, `dactyl sign-sod` and `dactyl verify`, and the trust-store options that
//! `dactyl read` shares.

use super::KeyAlg;
use super::report;
use crate::error::{Error, Result};
use crate::fsio::{MAX_LDS_FILE, MAX_LIST_FILE, read_bounded};
use crate::issuance::sod_signer::{SodOptions, sign_sod};
use crate::issuance::test_pki::{PkiOptions, TestPki};
use crate::lds::dg1::Dg1;
use crate::pki::cert::Certificate;
use crate::pki::pa::{PaInput, PaReport};
use crate::pki::trust::TrustStore;
use crate::reader::pa::passive_authentication;
use crate::time::Time;
use clap::{Args, Subcommand};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `dactyl pki ...`
#[derive(Debug, Subcommand)]
pub enum PkiCommand {
    /// Create a test PKI (CSCA, Document Signer, CRL) in DIR. Test keys only.
    Init(InitArgs),
}

/// Arguments of `dactyl pki init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write csca.pem, csca.key, ds.pem, ds.key, csca.crl into.
    pub dir: PathBuf,
    /// Key type for CSCA and Document Signer.
    #[arg(long, value_enum, default_value = "p256")]
    pub alg: KeyAlg,
    /// ISO 3166 alpha-2 country in the certificates (UT = ICAO's specimen state Utopia).
    #[arg(long, default_value = "UT")]
    pub country: String,
    /// Overwrite an existing PKI in DIR.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `dactyl sign-sod`.
#[derive(Debug, Args)]
pub struct SignSodArgs {
    /// Test PKI folder (from `dactyl pki init`).
    #[arg(long)]
    pub pki: PathBuf,
    /// A data group: NUMBER=FILE (repeat).
    #[arg(long = "dg", value_name = "N=FILE", required = true)]
    pub dgs: Vec<String>,
    /// Where to write EF.SOD (DER, tag 77).
    #[arg(long)]
    pub out: PathBuf,
    /// Write an LDSSecurityObject v1 with LDS 1.8 / Unicode 4.0.0 version info.
    #[arg(long)]
    pub v1: bool,
}

/// Trust anchors and revocation data, shared by `verify` and `read`.
#[derive(Debug, Args, Default)]
pub struct TrustArgs {
    /// CSCA certificate(s): a file (DER or PEM) or a folder of .cer/.crt/.der/.pem/.crl (repeat).
    #[arg(long)]
    pub csca: Vec<PathBuf>,
    /// An ICAO master list (CMS); its signer must chain to --ml-root.
    #[arg(long, requires = "ml_root")]
    pub masterlist: Vec<PathBuf>,
    /// The root certificate the master list signer must be issued by.
    #[arg(long)]
    pub ml_root: Vec<PathBuf>,
    /// A CRL (DER or PEM) (repeat).
    #[arg(long)]
    pub crl: Vec<PathBuf>,
    /// Pass Passive Authentication without a CRL of the CSCA (revocation reported as not checked).
    #[arg(long)]
    pub no_crl_required: bool,
    /// Check validity at this time (YYYY-MM-DD or YYYYMMDDHHMMSSZ) instead of now.
    #[arg(long)]
    pub at: Option<String>,
}

impl TrustArgs {
    /// True when any trust source was given.
    pub fn any(&self) -> bool {
        !self.csca.is_empty() || !self.masterlist.is_empty()
    }

    /// Builds the trust store.
    pub fn load(&self) -> Result<TrustStore> {
        let mut store = TrustStore::new();
        for p in &self.csca {
            store.load_path(p)?;
        }
        let mut roots = Vec::new();
        for p in &self.ml_root {
            roots.extend(Certificate::from_pem_or_der(&read(p)?)?);
        }
        for p in &self.masterlist {
            let bytes = read_bounded(p, MAX_LIST_FILE, "a master list")?;
            store
                .load_master_list(&bytes, &roots)
                .map_err(|e| Error::Usage(format!("{}: {e}", p.display())))?;
        }
        for p in &self.crl {
            store.load_path(p)?;
        }
        Ok(store)
    }

    /// "Now" for validity checks.
    pub fn now(&self) -> Result<Time> {
        match &self.at {
            None => Ok(Time::now()),
            Some(s) => parse_time(s),
        }
    }
}

/// Parses `YYYY-MM-DD` or a GeneralizedTime.
pub fn parse_time(s: &str) -> Result<Time> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let full = match digits.len() {
        8 => format!("{digits}000000Z"),
        14 => format!("{digits}Z"),
        _ => {
            return Err(Error::Usage(format!(
                "--at {s:?}: use YYYY-MM-DD or YYYYMMDDHHMMSSZ"
            )));
        }
    };
    Time::parse_generalized(&full).map_err(|e| Error::Usage(format!("--at {s:?}: {e}")))
}

fn read(p: &Path) -> Result<Vec<u8>> {
    read_bounded(p, MAX_LDS_FILE, "a data group, EF.SOD or certificate")
}

/// Parses `N=FILE` arguments into data group contents.
pub fn read_dg_args(args: &[String]) -> Result<BTreeMap<u8, Vec<u8>>> {
    let mut out = BTreeMap::new();
    for a in args {
        let (n, file) = a
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--dg {a:?}: expected NUMBER=FILE")))?;
        let n: u8 = n
            .trim()
            .trim_start_matches(['D', 'G', 'd', 'g'])
            .parse()
            .ok()
            .filter(|n| (1..=16).contains(n))
            .ok_or_else(|| Error::Usage(format!("--dg {a:?}: data groups are numbered 1 to 16")))?;
        out.insert(n, read(Path::new(file))?);
    }
    Ok(out)
}

/// Runs `dactyl pki init`.
pub fn init(args: &InitArgs) -> Result<()> {
    if args.dir.join("csca.key").exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already holds a PKI (use --force to replace it)",
            args.dir.display()
        )));
    }
    let opts = PkiOptions {
        country: args.country.to_ascii_uppercase(),
        algorithm: args.alg.into(),
        now: Time::now(),
    };
    let pki = TestPki::generate(&opts)?;
    for f in pki.write(&args.dir)? {
        outln!("wrote {}", f.display())?;
    }
    outln!(
        "CSCA {} valid to {}; Document Signer valid to {}. TEST KEYS ONLY.",
        pki.csca.subject,
        pki.csca.not_after,
        pki.ds.not_after
    )?;
    Ok(())
}

/// Runs `dactyl sign-sod`.
pub fn sign(args: &SignSodArgs) -> Result<()> {
    let pki = TestPki::load(&args.pki)?;
    let dgs = read_dg_args(&args.dgs)?;
    let mut opts = SodOptions::new(Time::now());
    if !args.v1 {
        opts.versions = None;
    }
    let sod = sign_sod(&dgs, &pki.ds, &pki.ds_key, &opts)?;
    std::fs::write(&args.out, &sod)
        .map_err(|e| Error::io(format!("writing {}", args.out.display()), e))?;
    outln!(
        "wrote {} ({} bytes, {} data groups, signed by {})",
        args.out.display(),
        sod.len(),
        dgs.len(),
        pki.ds.subject
    )?;
    Ok(())
}

/// Arguments of `dactyl verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// EF.SOD file.
    #[arg(long)]
    pub sod: PathBuf,
    /// A data group as read: NUMBER=FILE (repeat).
    #[arg(long = "dg", value_name = "N=FILE")]
    pub dgs: Vec<String>,
    /// EF.COM, to check that every data group it lists is signed.
    #[arg(long)]
    pub com: Option<PathBuf>,
    /// The Document Signer certificate, when the SOD does not carry it.
    #[arg(long)]
    pub dsc: Option<PathBuf>,
    /// Issuing state (three-letter MRZ code) when DG1 is not given.
    #[arg(long)]
    pub issuing_state: Option<String>,
    /// Trust anchors.
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs Passive Authentication for files at rest; exit status 1 unless it passed.
pub fn verify(args: &VerifyArgs) -> Result<()> {
    let trust = args.trust.load()?;
    let dgs = read_dg_args(&args.dgs)?;
    let sod = read(&args.sod)?;
    let dsc = args
        .dsc
        .as_deref()
        .map(read)
        .transpose()?
        .map(|b| Certificate::from_pem_or_der(&b))
        .transpose()?;
    let com = args
        .com
        .as_deref()
        .map(read)
        .transpose()?
        .map(|b| crate::lds::com::Com::parse(&b))
        .transpose()?;
    let com_dgs = com.as_ref().map(|c| c.data_groups());
    let dg1 = dgs.get(&1).and_then(|b| Dg1::parse(b).ok());
    let state = dg1
        .map(|d| d.mrz.issuing_state)
        .or_else(|| args.issuing_state.clone());
    let input = PaInput {
        sod: &sod,
        data_groups: &dgs,
        com_data_groups: com_dgs.as_deref(),
        issuing_state: state.as_deref(),
        dsc: dsc.as_ref().and_then(|d| d.first()),
        now: args.trust.now()?,
        require_crl: !args.trust.no_crl_required,
    };
    let pa = passive_authentication(&input, &trust);
    if args.json {
        outln!("{}", report::to_json(&pa))?;
    } else {
        out!("{}", report::pa_text(&pa))?;
    }
    verdict(&pa)
}

/// Turns a failed PA into a one-line error (the report was printed already).
pub fn verdict(pa: &PaReport) -> Result<()> {
    if pa.passed {
        return Ok(());
    }
    let failed: Vec<String> = pa.failures().iter().map(|c| c.name.clone()).collect();
    Err(Error::protocol(
        "Passive Authentication",
        format!("FAILED ({})", failed.join(", ")),
    ))
}
