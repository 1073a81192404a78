//! Chip images on the virtual chip: an issuer's chip image
//! ([`crate::issuance::chip_image::ChipImage`], with the emulator's [`Quirk`] profiles) built
//! into a [`VirtualChip`] (ICAO Doc 9303-11 protocols on the chip side), with the consistency
//! checks of `image_checks` and the APDU lengths, guessing defence and quirks it asks for.
//!
//! Paths stay inside the image's folder: absolute paths, `..` components and symlinks that lead
//! out of it are refused unless the image is trusted explicitly ([`PathTrust::TrustImagePaths`],
//! `--trust-image-paths` on the command line), so an image from elsewhere cannot serve, say,
//! `/etc/shadow` as DG2.

use super::chip::{ChipConfig, VirtualChip};
use super::fs::{FileSystem, LengthSupport};
use super::paths::{PathTrust, read_image_file};
use super::quirks::Quirk;
use crate::access::aa::AaKey;
use crate::access::bac::BacKeys;
use crate::access::cvc::Cvc;
use crate::access::pace::{ChipPassword, PaceChip};
use crate::access::ta::{ChipIdentifier, TaChip};
use crate::error::{Error, Result};
use crate::issuance::chip_image::PaceConfig;
use crate::time::Date;
use std::path::Path;

/// A chip image with the quirk profiles the virtual chip knows.
pub type ChipImage = crate::issuance::chip_image::ChipImage<Quirk>;

impl ChipImage {
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
        chip = chip.with_biometric_references(&self.biometric_references)?;
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
    use crate::lds::com::Com;
    use crate::lds::dg1::Dg1;
    use crate::lds::files::EfId;

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
