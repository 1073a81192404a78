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

use super::chip::{ChipConfig, VirtualChip};
use super::fs::{FileSystem, LengthSupport};
use crate::access::bac::BacKeys;
use crate::error::{Error, Result};
use crate::lds::com::Com;
use crate::lds::dg1::Dg1;
use crate::lds::files::EfId;
use crate::lds::mrz::Mrz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// The files, by name: `COM`, `SOD`, `DG1`..`DG16`, `CardAccess`, `CardSecurity`.
    #[serde(default)]
    pub files: BTreeMap<String, FileSource>,
}

fn yes() -> bool {
    true
}

impl ChipImage {
    /// Reads an image from a `.json` or `.toml` file.
    pub fn load(path: &Path) -> Result<ChipImage> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let image = if is_toml {
            Self::from_toml(&text)
        } else {
            Self::from_json(&text)
        };
        image.map_err(|e| Error::ChipImage(format!("{}: {e}", path.display())))
    }

    /// Parses JSON.
    pub fn from_json(text: &str) -> Result<ChipImage> {
        serde_json::from_str(text).map_err(|e| Error::ChipImage(e.to_string()))
    }

    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<ChipImage> {
        toml::from_str(text).map_err(|e| Error::ChipImage(e.to_string()))
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

    /// The file system the image describes; relative paths are resolved against `base_dir`.
    pub fn file_system(&self, base_dir: &Path) -> Result<FileSystem> {
        self.file_system_with(&|p: &Path| {
            let full = base_dir.join(p);
            std::fs::read(&full).map_err(|e| Error::io(format!("reading {}", full.display()), e))
        })
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
                    load(p).map_err(|e| Error::ChipImage(format!("file {name}: {e}")))?
                }
            };
            fs.put(ef, content);
        }
        if fs.get(EfId::Dg(1)).is_none() {
            fs.put(EfId::Dg(1), Dg1::encode(&self.parsed_mrz()?));
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
        Ok(fs)
    }

    /// Builds the virtual chip, reading path sources relative to `base_dir`.
    pub fn build(&self, base_dir: &Path) -> Result<VirtualChip> {
        self.build_from(self.file_system(base_dir)?)
    }

    /// Builds the virtual chip around a file system made by [`ChipImage::file_system_with`].
    pub fn build_from(&self, fs: FileSystem) -> Result<VirtualChip> {
        let keys = BacKeys::from_mrz(&self.parsed_mrz()?.key_info()?);
        let config = ChipConfig {
            length: self.length_support(),
            bac: self.bac,
            wrong_le_6cxx: false,
        };
        Ok(VirtualChip::new(fs, Some(keys), config))
    }

    /// Loads an image file and builds its chip.
    pub fn load_chip(path: &Path) -> Result<VirtualChip> {
        let base = path.parent().unwrap_or(Path::new("."));
        Self::load(path)?.build(base)
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
