//! Chip image files: a human-readable description of a virtual chip (JSON or TOML) with its MRZ
//! and CAN as text, its access configuration, its APDU length support and its files (ICAO Doc
//! 9303-10 file names) given as hex or as paths relative to the image file.
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
//! give them.
//!
//! Paths stay inside the image's folder: absolute paths, `..` components and symlinks that lead
//! out of it are refused unless the image is trusted explicitly ([`PathTrust::TrustImagePaths`],
//! `--trust-image-paths` on the command line), so an image from elsewhere cannot serve, say,
//! `/etc/shadow` as DG2. Every file is read with a 4 MB cap ([`crate::fsio`]).

use super::chip::{ChipConfig, VirtualChip};
use super::fs::{FileSystem, LengthSupport};
use super::paths::{PathTrust, read_image_file};
use super::security_files;
use crate::access::aa::AaKey;
use crate::access::bac::BacKeys;
use crate::access::ca::{CaChip, CaDomain, CaVersion};
use crate::access::cvc::Cvc;
use crate::access::pace::{ChipPassword, PaceChip, PaceSuite};
use crate::access::ta::{ChipIdentifier, TaChip};
use crate::crypto::ec::Curve;
use crate::error::{Error, Result};
use crate::fsio::{MAX_LDS_FILE, read_text_bounded};
use crate::lds::com::Com;
use crate::lds::dg1::Dg1;
use crate::lds::dg15::Dg15;
use crate::lds::files::{EfId, FileLocation};
use crate::lds::mrz::Mrz;
use crate::lds::security_infos::PaceInfo;
use crate::lds::security_infos::{
    SecurityInfo, SecurityInfos, TerminalAuthenticationInfo, encode_dg14,
};
use crate::oids::{CaProtocol, PaceProtocol};
use crate::time::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The message of a chip-image error without its "chip image:" prefix.
fn bare(e: Error) -> String {
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

/// A chip image as written in a file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChipImage {
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
    /// Quirk profiles of real chips the virtual chip imitates (`"jmrtd-applet"`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quirks: Vec<super::quirks::Quirk>,
}

/// The Document Signer of a chip image: certificate (PEM or DER) and PKCS#8 PEM private key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSignerConfig {
    /// The Document Signer certificate.
    pub certificate: FileSource,
    /// Its private key.
    pub key: FileSource,
}

/// The Chip Authentication key of a chip image (ECDH on a standardized curve).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaConfig {
    /// BSI protocol name (`id-CA-ECDH-AES-CBC-CMAC-128`) or dotted OID.
    pub protocol: String,
    /// Standardized domain parameter id of the key's curve.
    pub parameter_id: u8,
    /// The private scalar, hex.
    pub private_key: String,
    /// Version of ChipAuthenticationInfo (1: MSE:Set KAT for 3DES; 2: with nonce and token).
    #[serde(default = "one")]
    pub version: u64,
    /// Key reference, for chips with several keys.
    #[serde(default)]
    pub key_id: Option<u64>,
}

fn one() -> u64 {
    1
}

/// The Extended Access Control trust anchor of a chip image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EacConfig {
    /// The CVCA certificate the chip trusts: the key with the most recent effective date.
    pub cvca: FileSource,
    /// The previous CVCA key, a second trust point (BSI TR-03110-3 clause 2.6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_cvca: Option<FileSource>,
    /// The chip's current date (YYYY-MM-DD); default: the CVCA's effective date.
    #[serde(default)]
    pub date: Option<String>,
    /// Where EF.CVCA is, when not at its default FID 011C and SFI 1C; the DG14 built from the
    /// image then names it in TerminalAuthenticationInfo (efCVCA, BSI TR-03110-3 A.7.2.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ef_cvca: Option<EfCvcaConfig>,
}

/// Another place for EF.CVCA in the eMRTD application. EF.CVCA's content is built from the
/// trust points unless the image gives a `CVCA` file (for tests of wrong contents; it then
/// stays as given when a link certificate changes the trust points).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EfCvcaConfig {
    /// The file identifier, four hex digits (`"011A"`).
    pub fid: String,
    /// The short EF identifier (1 to 30); without one the file must be selected by `fid`.
    #[serde(default)]
    pub sfi: Option<u8>,
}

impl EfCvcaConfig {
    /// The location, checked: a FID that is not the master file's or reserved, an SFI from 1
    /// to 30, neither taken by EF.COM, EF.SOD or a data group.
    pub fn location(&self) -> Result<FileLocation> {
        let bad = |why: String| Error::ChipImage(format!("eac.ef_cvca: {why}"));
        let fid = match hex::decode(self.fid.trim()).as_deref() {
            Ok([a, b]) => u16::from_be_bytes([*a, *b]),
            _ => return Err(bad(format!("fid {:?} is not four hex digits", self.fid))),
        };
        if matches!(fid, 0x3F00 | 0x3FFF | 0xFFFF) {
            return Err(bad(format!(
                "fid {fid:04X} is reserved (ISO/IEC 7816-4 7.1.1)"
            )));
        }
        if let Some(sfi) = self.sfi.filter(|s| !(1..=30).contains(s)) {
            return Err(bad(format!("sfi {sfi} is not 1 to 30")));
        }
        let others = [EfId::Com, EfId::Sod]
            .into_iter()
            .chain((1..=16).map(EfId::Dg));
        for ef in others {
            if ef.fid() == fid || self.sfi == Some(ef.sfi()) {
                return Err(bad(format!(
                    "{} is where {} is",
                    FileLocation { fid, sfi: self.sfi }.describe(),
                    ef.name()
                )));
            }
        }
        Ok(FileLocation { fid, sfi: self.sfi })
    }
}

/// The Active Authentication key of a chip image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AaConfig {
    /// PKCS#8 PrivateKeyInfo (DER), RSA or EC.
    pub pkcs8: FileSource,
}

impl CaConfig {
    /// The chip side of Chip Authentication.
    pub fn chip(&self) -> Result<CaChip> {
        let protocol = CaProtocol::from_oid(&parse_oid_or_name(
            &self.protocol,
            CaProtocol::all_with_cipher(),
        )?)
        .ok_or_else(|| Error::ChipImage(format!("unknown CA protocol {:?}", self.protocol)))?;
        let curve = Curve::from_pace_parameter_id(self.parameter_id).ok_or_else(|| {
            Error::ChipImage(format!(
                "CA parameter id {} is not a curve dactyl knows",
                self.parameter_id
            ))
        })?;
        let version = CaVersion::from_info(self.version)
            .ok_or_else(|| Error::ChipImage(format!("CA version {}", self.version)))?;
        let key = hex::decode(self.private_key.trim())
            .map_err(|e| Error::ChipImage(format!("CA private key: {e}")))?;
        CaChip::new(
            CaDomain::Ec(curve),
            &key,
            protocol.oid(),
            version,
            self.key_id,
        )
    }
}

fn parse_oid_or_name(
    s: &str,
    named: Vec<(String, der::asn1::ObjectIdentifier)>,
) -> Result<der::asn1::ObjectIdentifier> {
    if let Some((_, oid)) = named.into_iter().find(|(n, _)| n == s) {
        return Ok(oid);
    }
    der::asn1::ObjectIdentifier::new(s)
        .map_err(|_| Error::ChipImage(format!("{s:?} is neither a protocol name nor an OID")))
}

/// One PACE suite of a chip image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaceConfig {
    /// BSI protocol name (`id-PACE-ECDH-GM-AES-CBC-CMAC-128`) or dotted OID.
    pub protocol: String,
    /// Standardized domain parameter id (0-2 = the RFC 5114 MODP groups for DH; 12 = P-256,
    /// 13 = brainpoolP256r1, ... for ECDH).
    pub parameter_id: u8,
}

impl PaceConfig {
    /// The suite this configuration names.
    pub fn suite(&self) -> Result<PaceSuite> {
        let protocol = PaceProtocol::all()
            .into_iter()
            .find(|p| {
                p.name() == self.protocol || p.oid().is_some_and(|o| o.to_string() == self.protocol)
            })
            .ok_or_else(|| {
                Error::ChipImage(format!("unknown PACE protocol {:?}", self.protocol))
            })?;
        let suite = PaceSuite::from_parameter_id(protocol, self.parameter_id).ok_or_else(|| {
            Error::ChipImage(format!(
                "PACE parameter id {} is not domain parameters dactyl knows",
                self.parameter_id
            ))
        })?;
        suite.check().map_err(|e| Error::ChipImage(e.to_string()))?;
        Ok(suite)
    }
}

fn yes() -> bool {
    true
}

/// EF.CardAccess listing PACE suites: SET OF PACEInfo { OID, version 2, parameter id }.
fn card_access(suites: &[PaceSuite]) -> Result<Vec<u8>> {
    // Kept in the image's order (the reader takes the first suite it supports), so the SET is
    // built here rather than by `SecurityInfos::encode`, which sorts it.
    let mut infos = Vec::new();
    for s in suites {
        let info = SecurityInfo::Pace(PaceInfo {
            protocol: s.protocol,
            version: 2,
            parameter_id: Some(s.parameter_id().into()),
        });
        infos.extend(info.encode()?);
    }
    Ok(crate::asn1::encode(0x31, &infos))
}

impl ChipImage {
    /// Reads an image from a `.json` or `.toml` file.
    pub fn load(path: &Path) -> Result<ChipImage> {
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
    pub fn from_json(text: &str) -> Result<ChipImage> {
        serde_json::from_str(text).map_err(|e| Error::ChipImage(e.to_string()))
    }

    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<ChipImage> {
        toml::from_str(text).map_err(|e| Error::ChipImage(toml_error_line(text, &e)))
    }

    /// Writes the image as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The parsed MRZ (all check digits must hold).
    pub fn parsed_mrz(&self) -> Result<Mrz> {
        Mrz::parse_verified(&self.mrz).map_err(|e| Error::ChipImage(format!("mrz: {e}")))
    }

    /// The APDU length support the image asks for.
    pub fn length_support(&self) -> LengthSupport {
        let base = if self.extended_length {
            LengthSupport::EXTENDED
        } else {
            LengthSupport::SHORT
        };
        LengthSupport {
            max_response: self.max_response_apdu.unwrap_or(base.max_response),
            ..base
        }
    }

    /// The file system the image describes; relative paths are resolved inside `base_dir`.
    pub fn file_system(&self, base_dir: &Path) -> Result<FileSystem> {
        self.file_system_with(&|p: &Path| read_image_file(base_dir, p, PathTrust::Contained))
    }

    /// The file system the image describes, with `load` fetching the content of path sources
    /// (from disk, or from data compiled into the binary).
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
            fs.put(EfId::CardAccess, card_access(&suites)?);
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

    /// What the emulator must announce when it starts this chip (insecure opt-outs).
    pub fn announcements(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.insecure_biometrics_without_eac {
            out.push(super::image_checks::BIOMETRICS_WITHOUT_EAC_WARNING);
        }
        out
    }

    /// Builds the virtual chip, reading path sources inside `base_dir`.
    pub fn build(&self, base_dir: &Path) -> Result<VirtualChip> {
        self.build_with(base_dir, PathTrust::Contained)
    }

    /// Builds the virtual chip, resolving path sources against `base_dir` as `trust` allows.
    pub fn build_with(&self, base_dir: &Path, trust: PathTrust) -> Result<VirtualChip> {
        let load = |p: &Path| read_image_file(base_dir, p, trust);
        self.build_from(self.file_system_with(&load)?, &load)
    }

    pub(super) fn source(
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

    /// Builds the virtual chip around a file system made by [`ChipImage::file_system_with`];
    /// `load` fetches key files.
    pub fn build_from(
        &self,
        fs: FileSystem,
        load: &dyn Fn(&Path) -> Result<Vec<u8>>,
    ) -> Result<VirtualChip> {
        let key_info = self.parsed_mrz()?.key_info()?;
        let keys = BacKeys::from_mrz(&key_info);
        let config = ChipConfig {
            length: self.length_support(),
            bac: self.bac,
            wrong_le_6cxx: false,
        };
        let mut chip = VirtualChip::new(fs, Some(keys), config);
        let ca_key = match &self.chip_authentication {
            Some(ca) => {
                chip = chip.with_chip_authentication(ca.chip()?);
                Some(
                    hex::decode(ca.private_key.trim())
                        .map_err(|e| Error::ChipImage(format!("CA private key: {e}")))?,
                )
            }
            None => None,
        };
        if let Some(aa) = &self.active_authentication {
            chip = chip.with_active_authentication(AaKey::from_pkcs8_der(
                &self.source(&aa.pkcs8, "AA key", load)?,
            )?);
        }
        if let Some(eac) = &self.eac {
            let cvca = Cvc::parse(&self.source(&eac.cvca, "CVCA", load)?)?;
            let date = match &eac.date {
                Some(d) => Date::parse(d)?,
                None => cvca.body().effective,
            };
            let mut trust_points = vec![cvca];
            if let Some(previous) = &eac.previous_cvca {
                let previous = self.source(previous, "previous CVCA", load)?;
                trust_points.push(Cvc::parse(&previous)?);
            }
            let ta = TaChip::with_trust_points(trust_points, date)?;
            chip =
                chip.with_terminal_authentication(ta, ChipIdentifier::document_number(&key_info));
        }
        if !self.pace.is_empty() {
            let suites = self
                .pace
                .iter()
                .map(PaceConfig::suite)
                .collect::<Result<Vec<_>>>()?;
            let passwords = ChipPassword {
                mrz: Some(key_info),
                can: self.can.clone(),
            };
            chip = chip.with_pace(PaceChip::new(suites, passwords, ca_key));
        }
        if let Some(ms) = self.guess_delay_ms {
            chip = chip.with_guess_defence(std::time::Duration::from_millis(ms));
        }
        super::image_checks::check_chip(&chip, self.insecure_biometrics_without_eac)?;
        Ok(chip.with_quirks(&self.quirks))
    }

    /// Loads an image file and builds its chip (paths contained in the image's folder).
    pub fn load_chip(path: &Path) -> Result<VirtualChip> {
        Self::load_chip_with(path, PathTrust::Contained)
    }

    /// Loads an image file and builds its chip, resolving its paths as `trust` allows.
    pub fn load_chip_with(path: &Path, trust: PathTrust) -> Result<VirtualChip> {
        let base = path.parent().unwrap_or(Path::new("."));
        Self::load(path)?.build_with(base, trust)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MRZ: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn json_and_toml_give_the_same_chip() {
        let json =
            format!(r#"{{"mrz": {MRZ:?}, "files": {{"DG2": {{"hex": "75 03 01 02 03"}}}}}}"#);
        let toml =
            format!("mrz = \"\"\"\n{MRZ}\"\"\"\n[files]\nDG2 = {{ hex = \"7503010203\" }}\n");
        let a = ChipImage::from_json(&json).unwrap();
        let b = ChipImage::from_toml(&toml).unwrap();
        let fs = a.file_system(Path::new(".")).unwrap();
        let fs_toml = b.file_system(Path::new(".")).unwrap();
        assert!(fs.iter().eq(fs_toml.iter()));
        assert_eq!(fs.get(EfId::Dg(2)).unwrap(), [0x75, 3, 1, 2, 3]);
        let com = Com::parse(fs.get(EfId::Com).unwrap()).unwrap();
        assert_eq!(com.data_groups(), [1, 2]);
        assert_eq!(
            Dg1::parse(fs.get(EfId::Dg(1)).unwrap())
                .unwrap()
                .mrz
                .document_number,
            "L898902C3"
        );
    }

    #[test]
    fn mistakes_are_named() {
        let e = ChipImage::from_json(r#"{"mrz": "x", "filez": {}}"#).unwrap_err();
        assert!(e.to_string().contains("filez"), "{e}");
        let bad_mrz = ChipImage::from_json(r#"{"mrz": "P<UTO"}"#).unwrap();
        assert!(bad_mrz.build(Path::new(".")).is_err());
        let bad_name = ChipImage::from_json(&format!(
            r#"{{"mrz": {MRZ:?}, "files": {{"DG17": {{"hex": ""}}}}}}"#
        ))
        .unwrap();
        assert!(
            bad_name
                .build(Path::new("."))
                .unwrap_err()
                .to_string()
                .contains("DG17")
        );
    }
}
