//! `dactyl cvc init` (a test CV PKI for Terminal Authentication) and the `--ta-chain`/`--ta-key`
//! options of `dactyl read`.

use crate::access::cvc::{CvSigningKey, Cvc, init_test_cv_pki};
use crate::error::{Error, Result};
use crate::pki::signing_key::KeyAlgorithm;
use crate::reader::authenticity::TerminalCredentials;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `dactyl cvc ...`
#[derive(Debug, Subcommand)]
pub enum CvcCommand {
    /// Create a test CV PKI (CVCA, DV, inspection system with DG3/DG4 rights) in DIR.
    Init(CvcInitArgs),
}

/// Arguments of `dactyl cvc init`.
#[derive(Debug, Args)]
pub struct CvcInitArgs {
    /// Folder for cvca/dv/is.cvcert and their keys.
    pub dir: PathBuf,
    /// Two-letter country of the CHRs.
    #[arg(long, default_value = "UT")]
    pub country: String,
    /// Key type.
    #[arg(long, value_enum, default_value = "p256")]
    pub alg: KeyAlgorithm,
}

/// Runs `dactyl cvc init`.
pub fn init(args: &CvcInitArgs) -> Result<()> {
    let pki = init_test_cv_pki(&args.dir, &args.country.to_ascii_uppercase(), args.alg)?;
    for c in [&pki.cvca, &pki.dv, &pki.is] {
        outln!(
            "{:<14} CAR {:<14} valid {} to {}",
            c.chr(),
            c.car(),
            c.body().effective,
            c.body().expiration
        )?;
    }
    outln!(
        "wrote the certificates and keys to {}. TEST KEYS ONLY.",
        args.dir.display()
    )?;
    Ok(())
}

/// Terminal Authentication options of `dactyl read`.
#[derive(Debug, Args, Default)]
pub struct TaArgs {
    /// The terminal's CV certificates: its IS certificate, the DV certificate(s) that issued
    /// it and any CVCA link certificates (comma-separated, e.g. DV.cvcert,IS.cvcert). The
    /// reader picks the chain from a trust point the chip lists in EF.CVCA.
    #[arg(long, value_delimiter = ',', requires = "ta_key")]
    pub ta_chain: Vec<PathBuf>,
    /// The inspection system's private key (PKCS#8 PEM).
    #[arg(long)]
    pub ta_key: Option<PathBuf>,
}

impl TaArgs {
    /// The credentials, if given.
    pub fn load(&self) -> Result<Option<TerminalCredentials>> {
        let Some(key_path) = &self.ta_key else {
            return Ok(None);
        };
        let read = |p: &PathBuf| {
            crate::fsio::read_bounded(p, crate::fsio::MAX_LDS_FILE, "a CV certificate or key")
        };
        let chain = self
            .ta_chain
            .iter()
            .map(|p| Cvc::parse(&read(p)?))
            .collect::<Result<Vec<_>>>()?;
        if chain.is_empty() {
            return Err(Error::Usage(
                "--ta-key needs --ta-chain DV.cvcert,IS.cvcert".into(),
            ));
        }
        let key = CvSigningKey::from_pkcs8_pem(&String::from_utf8_lossy(&read(key_path)?))?;
        Ok(Some(TerminalCredentials { chain, key }))
    }
}
