//! Chip images: what an issuer personalizes onto a chip (ICAO Doc 9303-10 files, Doc 9303-11
//! access protocols and their keys), as a human-readable description (JSON or TOML) with its
//! MRZ and CAN as text, its access configuration, its APDU length support and its files given
//! as hex or as paths relative to the image file. The virtual chip is built from one
//! ([`crate::emulator::image`]); a personalization writer writes the same files and keys.
//!
//! ```json
//! {
//!   "description": "TD3 passport, BAC",
//!   "mrz": "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
//!   "can": "123456",
//!   "extended_length": true,
//!   "files": { "DG2": { "path": "face.bin" }, "SOD": { "hex": "7782..." } }
//! }
//! ```
//!
//! DG1 is built from the MRZ and EF.COM from the data groups present when the image does not
//! give them; DG14, DG15 and EF.CardAccess from the keys and PACE suites it configures; EF.SOD
//! and EF.CardSecurity are signed by its Document Signer ([`security_files`]). Every file is
//! read with a 4 MB cap ([`crate::fsio`]).

mod config;
mod files;
pub mod security_files;

pub use config::{
    AaConfig, BiometricReferenceConfig, CaConfig, DocumentSignerConfig, EacConfig, EfCvcaConfig,
    PaceConfig,
};
pub use files::FileSystem;

use crate::access::aa::AaKey;
use crate::error::{Error, Result};
use crate::fsio::{MAX_LDS_FILE, read_text_bounded};
use crate::lds::com::Com;
use crate::lds::dg1::Dg1;
use crate::lds::dg15::Dg15;
use crate::lds::files::EfId;
use crate::lds::mrz::Mrz;
use crate::lds::security_infos::{
    SecurityInfo, SecurityInfos, TerminalAuthenticationInfo, encode_dg14,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The message of a chip-image error without its "chip image:" prefix.
pub(crate) fn bare(e: Error) -> String {
    match e {
        Error::ChipImage(m) => m,
        other => other.to_string(),
    }
}

/// One line from a TOML error: "line L, column C: message".
fn toml_error_line(text: &str, e: &toml::de::Error) -> String {
    let message = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// Where a file's content comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum FileSource {
    /// Hex digits (whitespace allowed).
    Hex(String),
    /// A file path, relative to the image file's folder.
    Path(PathBuf),
}

/// A chip image as written in a file: what the issuer puts on the chip (MRZ, CAN, access
/// protocols and their keys, the files, the Document Signer that signs EF.SOD and
/// EF.CardSecurity) and how the chip behaves (APDU lengths, defence against guessing, quirk
/// profiles `Q`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChipImage<Q> {
    /// Free text shown when the chip starts.
    #[serde(default)]
    pub description: String,
    /// The MRZ (lines separated by newlines); BAC keys and, unless given, DG1 come from it.
    pub mrz: String,
    /// The card access number printed on the document (for PACE).
    #[serde(default)]
    pub can: Option<String>,
    /// BAC offered (default true).
    #[serde(default = "yes")]
    pub bac: bool,
    /// Extended length APDUs supported (default true).
    #[serde(default = "yes")]
    pub extended_length: bool,
    /// Largest response APDU in bytes, SW included (default 65538 with extended length, else 258).
    #[serde(default)]
    pub max_response_apdu: Option<usize>,
    /// PACE suites offered, in order (EF.CardAccess is built from them unless given).
    #[serde(default)]
    pub pace: Vec<PaceConfig>,
    /// Chip Authentication (DG14 is built from it unless given; CAM uses the same key).
    #[serde(default)]
    pub chip_authentication: Option<CaConfig>,
    /// Active Authentication (DG15 is built from it unless given).
    #[serde(default)]
    pub active_authentication: Option<AaConfig>,
    /// Extended Access Control: DG3/DG4 only after Terminal Authentication under this CVCA.
    #[serde(default)]
    pub eac: Option<EacConfig>,
    /// The Document Signer that signs EF.SOD and EF.CardSecurity when the image does not give
    /// them (required for a chip offering PACE-CAM without a CardSecurity file).
    #[serde(default)]
    pub document_signer: Option<DocumentSignerConfig>,
    /// Defence against guessing: after a failed BAC or PACE authentication the chip waits this
    /// many milliseconds, doubling with each further failure (up to 10 s); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guess_delay_ms: Option<u64>,
    /// Serve DG3/DG4 without Extended Access Control (refused unless set; announced at start).
    /// For test chips that must behave like an insecure document, never for real data.
    #[serde(default)]
    pub insecure_biometrics_without_eac: bool,
    /// The files, by name: `COM`, `SOD`, `DG1`..`DG16`, `CardAccess`, `CardSecurity`, `CVCA`
    /// (which then replaces the EF.CVCA built from the trust points).
    #[serde(default)]
    pub files: BTreeMap<String, FileSource>,
    /// Quirk profiles of real chips the virtual chip imitates (`"jmrtd-applet"`, ...): `Q` is
    /// the emulator's [`Quirk`](crate::emulator::Quirk); the issuer passes them through.
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub quirks: Vec<Q>,
    /// Match-on-card references (ISO/IEC 7816-11 VERIFY), never readable from the chip.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub biometric_references: Vec<BiometricReferenceConfig>,
}

fn yes() -> bool {
    true
}

impl<Q> Default for ChipImage<Q> {
    fn default() -> Self {
        ChipImage {
            description: String::new(),
            mrz: String::new(),
            can: None,
            bac: false,
            extended_length: false,
            max_response_apdu: None,
            pace: Vec::new(),
            chip_authentication: None,
            active_authentication: None,
            eac: None,
            document_signer: None,
            guess_delay_ms: None,
            insecure_biometrics_without_eac: false,
            files: BTreeMap::new(),
            quirks: Vec::new(),
            biometric_references: Vec::new(),
        }
    }
}

impl<Q> ChipImage<Q> {
    /// Reads an image from a `.json` or `.toml` file.
    pub fn load(path: &Path) -> Result<ChipImage<Q>>
    where
        Q: DeserializeOwned,
    {
        let text = read_text_bounded(path, MAX_LDS_FILE, "a chip image")?;
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let image = if is_toml {
            Self::from_toml(&text)
        } else {
            Self::from_json(&text)
        };
        image.map_err(|e| Error::ChipImage(format!("{}: {}", path.display(), bare(e))))
    }

    /// Parses JSON.
    pub fn from_json(text: &str) -> Result<ChipImage<Q>>
    where
        Q: DeserializeOwned,
    {
        serde_json::from_str(text).map_err(|e| Error::ChipImage(e.to_string()))
    }

    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<ChipImage<Q>>
    where
        Q: DeserializeOwned,
    {
        toml::from_str(text).map_err(|e| Error::ChipImage(toml_error_line(text, &e)))
    }

    /// Writes the image as pretty JSON.
    pub fn to_json(&self) -> String
    where
        Q: Serialize,
    {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The parsed MRZ (all check digits must hold).
    pub fn parsed_mrz(&self) -> Result<Mrz> {
        Mrz::parse_verified(&self.mrz).map_err(|e| Error::ChipImage(format!("mrz: {e}")))
    }

    /// The files the image describes, with `load` fetching the content of path sources (from
    /// disk, or from data compiled into the binary): the files it gives, and those it does not
    /// give built from its MRZ and keys (DG1, EF.CardAccess, DG14, DG15, EF.COM) and signed by
    /// its Document Signer (EF.SOD, EF.CardSecurity).
    pub fn file_system_with(&self, load: &dyn Fn(&Path) -> Result<Vec<u8>>) -> Result<FileSystem> {
        let mut fs = FileSystem::new();
        for (name, source) in &self.files {
            let ef =
                EfId::from_name(name).map_err(|e| Error::ChipImage(format!("file {name}: {e}")))?;
            let content = match source {
                FileSource::Hex(h) => {
                    let digits: String = h.chars().filter(|c| !c.is_whitespace()).collect();
                    hex::decode(&digits)
                        .map_err(|e| Error::ChipImage(format!("{name}: bad hex: {e}")))?
                }
                FileSource::Path(p) => {
                    load(p).map_err(|e| Error::ChipImage(format!("file {name}: {}", bare(e))))?
                }
            };
            fs.put(ef, content);
        }
        if fs.get(EfId::Dg(1)).is_none() {
            fs.put(EfId::Dg(1), Dg1::encode(&self.parsed_mrz()?));
        }
        if fs.get(EfId::CardAccess).is_none() && !self.pace.is_empty() {
            let suites = self
                .pace
                .iter()
                .map(PaceConfig::suite)
                .collect::<Result<Vec<_>>>()?;
            fs.put(EfId::CardAccess, config::card_access(&suites)?);
        }
        let aa_key = match &self.active_authentication {
            Some(aa) => Some(AaKey::from_pkcs8_der(
                &self.source(&aa.pkcs8, "AA key", load)?,
            )?),
            None => None,
        };
        let mut dg14_infos = Vec::new();
        if let Some(ca) = &self.chip_authentication {
            dg14_infos.extend(security_files::ca_infos(
                &ca.chip()?,
                ca.version,
                ca.key_id,
            )?);
        }
        if let Some(info) = aa_key.as_ref().and_then(security_files::aa_info) {
            dg14_infos.push(info);
        }
        let cvca_at = match self.eac.as_ref().and_then(|e| e.ef_cvca.as_ref()) {
            Some(c) => Some(c.location()?),
            None => None,
        };
        if let Some(at) = cvca_at {
            if dg14_infos.is_empty() && fs.get(EfId::Dg(14)).is_none() {
                return Err(Error::ChipImage(
                    "eac.ef_cvca moves EF.CVCA, which only DG14's TerminalAuthenticationInfo \
                     can announce: configure Chip or Active Authentication, or give DG14"
                        .into(),
                ));
            }
            fs.place(EfId::Cvca, at);
        }
        if self.eac.is_some() && !dg14_infos.is_empty() {
            dg14_infos.push(match cvca_at {
                Some(at) => SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo {
                    version: 1,
                    file_id: Some(at.fid.to_be_bytes().to_vec()),
                    short_file_id: at.sfi,
                }),
                None => security_files::ta_info(),
            });
        }
        if fs.get(EfId::Dg(14)).is_none() && !dg14_infos.is_empty() {
            let infos = SecurityInfos {
                infos: dg14_infos,
                warnings: Vec::new(),
            };
            fs.put(EfId::Dg(14), encode_dg14(&infos));
        }
        if let (Some(key), None) = (&aa_key, fs.get(EfId::Dg(15))) {
            fs.put(EfId::Dg(15), Dg15::encode(&key.public_key()?.to_spki()));
        }
        if fs.get(EfId::Com).is_none() {
            let dgs: Vec<u8> = fs
                .iter()
                .filter_map(|(ef, _)| match ef {
                    EfId::Dg(n) => Some(n),
                    _ => None,
                })
                .collect();
            fs.put(EfId::Com, Com::for_data_groups(&dgs).encode());
        }
        security_files::sign_security_files(self, &mut fs, load)?;
        Ok(fs)
    }

    /// The content of `source`: hex digits, or a path `load` reads.
    pub fn source(
        &self,
        source: &FileSource,
        what: &str,
        load: &dyn Fn(&Path) -> Result<Vec<u8>>,
    ) -> Result<Vec<u8>> {
        match source {
            FileSource::Hex(h) => {
                let digits: String = h.chars().filter(|c| !c.is_whitespace()).collect();
                hex::decode(&digits).map_err(|e| Error::ChipImage(format!("{what}: bad hex: {e}")))
            }
            FileSource::Path(p) => {
                load(p).map_err(|e| Error::ChipImage(format!("{what}: {}", bare(e))))
            }
        }
    }
}
