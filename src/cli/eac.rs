//! `dactyl cvc init` and `dactyl cvc link` (a test CV PKI for Terminal Authentication and its
//! next CVCA generation, BSI TR-03110-3 clause 2.4) and the `--ta-chain`/`--ta-key`
//! options of `dactyl read`.

use super::KeyAlg;
use crate::access::cvc::{CvSigningKey, Cvc};
use crate::error::{Error, Result};
use crate::issuance::cv_pki::rollover::next_generation;
use crate::issuance::cv_pki::{TestCvPki, init_test_cv_pki};
use crate::reader::authenticity::TerminalCredentials;
use crate::time::Date;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `dactyl cvc ...`
#[derive(Debug, Subcommand)]
pub enum CvcCommand {
    /// Create a test CV PKI (CVCA, DV, inspection system with DG3/DG4 rights) in DIR.
    Init(CvcInitArgs),
    /// Create the next CVCA generation of a test CV PKI in DIR: a new CVCA key, the link
    /// certificate from the previous one (link.cvcert), a new DV and inspection system.
    Link(CvcLinkArgs),
}

/// Arguments of `dactyl cvc link`.
#[derive(Debug, Args)]
pub struct CvcLinkArgs {
    /// The folder of the current generation (from `dactyl cvc init` or an earlier link).
    #[arg(long)]
    pub from: PathBuf,
    /// Folder for the new generation.
    pub dir: PathBuf,
    /// Key type of the new keys.
    #[arg(long, value_enum, default_value = "p256")]
    pub alg: KeyAlg,
}

/// Runs `dactyl cvc link`.
pub fn link(args: &CvcLinkArgs) -> Result<()> {
    let old = TestCvPki::load(&args.from)?;
    let (new, link) = next_generation(&old, args.alg.into(), Date::today())?;
    let link_path = args.dir.join("link.cvcert");
    if link_path.exists() {
        return Err(Error::Usage(format!(
            "{}: exists, not overwritten",
            link_path.display()
        )));
    }
    new.write(&args.dir)?;
    std::fs::write(&link_path, link.raw())
        .map_err(|e| Error::io(format!("writing {}", link_path.display()), e))?;
    print_certificates(&[&link, &new.cvca, &new.dv, &new.is])?;
    outln!(
        "wrote the new generation and link.cvcert to {}: a chip trusting {} reads it with \
         --ta-chain {}/link.cvcert,{}/dv.cvcert,{}/is.cvcert. TEST KEYS ONLY.",
        args.dir.display(),
        old.cvca.chr(),
        args.dir.display(),
        args.dir.display(),
        args.dir.display()
    )?;
    Ok(())
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
    pub alg: KeyAlg,
}

/// One line per certificate: CHR, CAR and validity.
fn print_certificates(certs: &[&Cvc]) -> Result<()> {
    for c in certs {
        outln!(
            "{:<14} CAR {:<14} valid {} to {}",
            c.chr(),
            c.car(),
            c.body().effective,
            c.body().expiration
        )?;
    }
    Ok(())
}

/// Runs `dactyl cvc init`.
pub fn init(args: &CvcInitArgs) -> Result<()> {
    let pki = init_test_cv_pki(
        &args.dir,
        &args.country.to_ascii_uppercase(),
        args.alg.into(),
    )?;
    print_certificates(&[&pki.cvca, &pki.dv, &pki.is])?;
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
