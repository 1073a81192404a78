//! The lock (PUT DATA DE AD): a personalized chip becomes the operational eMRTD (ICAO Doc
//! 9303-10 files, 9303-11 protocols) only when it can work as one. It refuses, and stays
//! unlocked, when
//! - the personalization digest ([`crate::iso7816::perso::digest`]) it is given is not the one
//!   of what it holds (6984), or none is given on the dactyl profile (6700);
//! - EF.COM, EF.SOD or DG1 is missing, DG1's MRZ does not verify or its key information is
//!   not the BAC seed put (6985);
//! - the chip image it assembles does not build (every check of
//!   [`ChipImage::build_from`](crate::emulator::ChipImage::build_from): keys against DG14 and
//!   DG15, DG3/DG4 without Extended Access Control, ...), a file sits at an identifier the LDS
//!   does not name, or the chip would have to add a file the writer did not write (6985).
//!
//! The chip image: the MRZ from DG1; the CAN from DC 01; the PACE suites from the PACEInfos of
//! EF.CardAccess; Chip Authentication from the DC 03 key and DG14's ChipAuthenticationInfo
//! (protocol, version, key id); Active Authentication from DC 04 (ECDSA) or from 00 60 / 00 61
//! (RSA modulus and private exponent, e from DG15, the primes recovered); Extended Access
//! Control from the CVCA slots (slot 1 the trust point, slot 2 the previous one) and the DC 05
//! date; the match-on-card references from DC 81..8F (three tries each); the length mode and largest response of the blank chip; the `jmrtd-applet` quirk on
//! that profile; every file as hex. [`PersoChip::lock_error`] says in full why a lock failed.

use super::{PersoChip, Profile};
use crate::access::aa::AaKey;
use crate::apdu::{Response, sw};
use crate::asn1;
use crate::crypto::ec::Curve;
use crate::crypto::keys::{ID_EC_PUBLIC_KEY, MAX_RSA_BITS, PublicKey};
use crate::emulator::chip::VirtualChip;
use crate::emulator::image::ChipImage;
use crate::emulator::quirks::Quirk;
use crate::error::{Error, Result};
use crate::iso7816::perso::{ChipEcKey, PersoFile, PersoObject, PutData, perso_digest};
use crate::iso7816::refusal::{ChipError, ChipResult, Refusal};
use crate::issuance::chip_image::{
    AaConfig, BiometricReferenceConfig, CaConfig, EacConfig, FileSource, PaceConfig,
};
use crate::lds::dg1::Dg1;
use crate::lds::dg15::Dg15;
use crate::lds::files::EfId;
use crate::lds::mrz::MrzKeyInfo;
use crate::lds::security_infos::{card_access, dg14};
use std::collections::BTreeMap;
use std::path::Path;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

fn refuse(msg: impl Into<String>) -> Error {
    Error::ChipImage(format!("lock refused: {}", msg.into()))
}

/// The LDS file at `fid` in the application (`in_app`) or the master file (EF.ATR/INFO, the
/// chip's own, left out).
pub(super) fn ef_at(in_app: bool, fid: u16) -> Option<EfId> {
    [
        EfId::CardAccess,
        EfId::CardSecurity,
        EfId::Com,
        EfId::Sod,
        EfId::Cvca,
    ]
    .into_iter()
    .chain((1..=16).map(EfId::Dg))
    .find(|ef| ef.in_master_file() != in_app && ef.fid() == fid)
}

/// A file's name in a chip image: `COM`, `DG1`, `CardAccess`, ...
fn image_name(ef: EfId) -> String {
    let name = ef.name();
    name.strip_prefix("EF.").map(str::to_string).unwrap_or(name)
}

fn no_paths(p: &Path) -> Result<Vec<u8>> {
    Err(refuse(format!(
        "{} is not on the chip (a personalized image has its files as hex)",
        p.display()
    )))
}

/// PKCS#8 PrivateKeyInfo of an EC key on a named curve (RFC 5208, RFC 5915).
fn ec_pkcs8(curve: Curve, scalar: &[u8]) -> Zeroizing<Vec<u8>> {
    let algorithm = asn1::sequence(&[
        &asn1::encode_oid(&ID_EC_PUBLIC_KEY),
        &asn1::encode_oid(&curve.oid()),
    ]);
    let ec_key = Zeroizing::new(asn1::sequence(&[
        &asn1::encode_uint(&[1]),
        &asn1::encode(0x04, scalar),
    ]));
    let octets = Zeroizing::new(asn1::encode(0x04, &ec_key));
    Zeroizing::new(asn1::sequence(&[
        &asn1::encode_uint(&[0]),
        &algorithm,
        &octets,
    ]))
}

/// PKCS#8 of the RSA key with modulus `n`, private exponent `d` and DG15's public exponent.
fn rsa_pkcs8(n: &[u8], d: &[u8], dg15: Option<&[u8]>) -> Result<Zeroizing<Vec<u8>>> {
    use rsa::BoxedUint;
    use rsa::pkcs8::EncodePrivateKey;
    let dg15 = dg15.ok_or_else(|| refuse("an RSA Active Authentication key without DG15"))?;
    let PublicKey::Rsa { n: published, e } = Dg15::parse(dg15)?.key else {
        return Err(refuse("DG15 holds no RSA key for the RSA key put"));
    };
    let strip = |b: &[u8]| {
        b.iter()
            .skip_while(|&&x| x == 0)
            .copied()
            .collect::<Vec<_>>()
    };
    if strip(n) != strip(&published) {
        return Err(refuse("the RSA modulus put is not DG15's"));
    }
    if n.len() > MAX_RSA_BITS / 8 || d.len() > MAX_RSA_BITS / 8 {
        return Err(refuse(format!("an RSA key above {MAX_RSA_BITS} bits")));
    }
    let key = rsa::RsaPrivateKey::from_components(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(&e),
        BoxedUint::from_be_slice_vartime(d),
        Vec::new(),
    )
    .map_err(|e| refuse(format!("the RSA key does not hold together: {e}")))?;
    let der = key
        .to_pkcs8_der()
        .map_err(|e| refuse(format!("RSA key: {e}")))?;
    Ok(Zeroizing::new(der.as_bytes().to_vec()))
}

impl PersoChip {
    /// The personalization digest of what the chip holds.
    pub fn digest(&self) -> [u8; 32] {
        perso_digest(
            self.written
                .files
                .iter()
                .map(|((in_application, fid), content)| PersoFile {
                    in_application: *in_application,
                    fid: *fid,
                    content,
                }),
            self.written
                .objects
                .iter()
                .map(|((p1, p2), o)| PersoObject {
                    p1: *p1,
                    p2: *p2,
                    data: &o.data,
                }),
        )
    }

    /// PUT DATA DE AD.
    pub(super) fn lock(&mut self, value: &PutData) -> ChipResult<Response> {
        match value {
            PutData::LockWithDigest(given) if !bool::from(self.digest().ct_eq(given)) => {
                self.lock_error = Some("the personalization digest is not the chip's".into());
                return Err(ChipError::new(
                    Refusal::DataInvalid,
                    "lock: the personalization digest is not the chip's",
                ));
            }
            PutData::LockWithDigest(_) => {}
            _ if self.blank.profile == Profile::Dactyl => {
                self.lock_error = Some("dactyl's chips lock with the digest only".into());
                return Err(ChipError::wrong_length(
                    "lock: dactyl's chips lock with the personalization digest",
                ));
            }
            _ => {}
        }
        match self.operational_chip() {
            Ok((image, chip)) => {
                self.become_operational(chip, image);
                Ok(Response::sw(sw::OK))
            }
            Err(e) => {
                self.lock_error = Some(e.to_string());
                Err(ChipError::conditions(
                    "lock: the chip would not work (see lock_error)",
                ))
            }
        }
    }

    fn object(&self, p1: u8, p2: u8) -> Option<&PutData> {
        self.written.objects.get(&(p1, p2)).map(|o| &o.value)
    }

    fn file(&self, ef: EfId) -> Option<&[u8]> {
        let key = (!ef.in_master_file(), ef.fid());
        self.written.files.get(&key).map(Vec::as_slice)
    }

    /// The chip image the chip's content makes, and the chip built from it.
    fn operational_chip(&self) -> Result<(ChipImage, VirtualChip)> {
        let mut files = BTreeMap::new();
        for ((in_app, fid), content) in &self.written.files {
            let ef = ef_at(*in_app, *fid).ok_or_else(|| {
                refuse(format!(
                    "no LDS file has FID {fid:04X} in the {}",
                    if *in_app {
                        "application"
                    } else {
                        "master file"
                    }
                ))
            })?;
            files.insert(image_name(ef), FileSource::Hex(hex::encode_upper(content)));
        }
        for ef in [EfId::Com, EfId::Sod, EfId::Dg(1)] {
            if self.file(ef).is_none() {
                return Err(refuse(format!("{} was not written", ef.name())));
            }
        }
        let mrz = Dg1::parse(self.file(EfId::Dg(1)).unwrap_or_default())?.mrz;
        let key_info = mrz.key_info()?;
        if let Some(PutData::BacKeySeed {
            document_number,
            date_of_birth,
            date_of_expiry,
        }) = self.object(0x00, 0x62)
            && MrzKeyInfo::new(document_number, date_of_birth, date_of_expiry)? != key_info
        {
            return Err(refuse("DG1's MRZ is not the BAC key seed put"));
        }
        let mut image = ChipImage {
            description: self.blank.description.clone(),
            mrz: mrz.to_text(),
            bac: true,
            extended_length: self.blank.length_support().extended,
            max_response_apdu: self.blank.max_response_apdu,
            files,
            ..ChipImage::default()
        };
        if let Some(PutData::Can(can)) = self.object(0xDC, 0x01) {
            image.can = Some(can.clone());
        }
        if let Some(bytes) = self.file(EfId::CardAccess) {
            for info in card_access(bytes)?.pace_infos() {
                let id = info
                    .parameter_id
                    .and_then(|id| u8::try_from(id).ok())
                    .ok_or_else(|| refuse("a PACEInfo without standardized domain parameters"))?;
                image.pace.push(PaceConfig {
                    protocol: info.protocol.name(),
                    parameter_id: id,
                });
            }
        }
        if let Some(PutData::ChipAuthenticationKey(key)) = self.object(0xDC, 0x03) {
            image.chip_authentication = Some(self.ca_config(key)?);
        }
        image.active_authentication = self.aa_config()?;
        image.eac = self.eac_config()?;
        image.biometric_references = self
            .written
            .objects
            .values()
            .filter_map(|o| match &o.value {
                PutData::BiometricReference(r) => Some(BiometricReferenceConfig {
                    qualifier: r.qualifier,
                    subtype: r.subtype,
                    threshold: r.threshold,
                    minutiae: hex::encode_upper(&*r.minutiae),
                    tries_left: crate::emulator::moc::MAX_TRIES,
                }),
                _ => None,
            })
            .collect();
        if self.blank.profile == Profile::JmrtdApplet {
            image.quirks = vec![Quirk::JmrtdApplet];
        }
        image.parsed_mrz()?;
        let fs = image.file_system_with(&no_paths)?;
        for (ef, content) in fs.iter() {
            let written = self.file(ef);
            if written != Some(content) && !matches!(ef, EfId::Cvca | EfId::AtrInfo) {
                return Err(refuse(format!(
                    "the chip would have to make up {}, which was not written",
                    ef.name()
                )));
            }
        }
        let chip = image.build_from(fs, &no_paths)?;
        Ok((image, chip))
    }

    fn ca_config(&self, key: &ChipEcKey) -> Result<CaConfig> {
        let bytes = self
            .file(EfId::Dg(14))
            .ok_or_else(|| refuse("a Chip Authentication key without DG14"))?;
        let infos = dg14(bytes)?;
        let info = infos
            .ca_infos()
            .find(|i| i.key_id == key.key_id.map(u64::from))
            .ok_or_else(|| refuse("DG14 has no ChipAuthenticationInfo for the key put"))?;
        Ok(CaConfig {
            protocol: info.protocol.oid().to_string(),
            parameter_id: key.parameter_id,
            private_key: hex::encode_upper(key.scalar.as_slice()),
            version: info.version,
            key_id: info.key_id,
        })
    }

    fn aa_config(&self) -> Result<Option<AaConfig>> {
        let ec = self.object(0xDC, 0x04);
        let modulus = self.object(0x00, 0x60);
        let exponent = self.object(0x00, 0x61);
        let pkcs8 = match (ec, modulus, exponent) {
            (None, None, None) => return Ok(None),
            (Some(PutData::ActiveAuthenticationEcKey(k)), None, None) => {
                let curve = Curve::from_pace_parameter_id(k.parameter_id)
                    .ok_or_else(|| refuse("the AA key's curve"))?;
                ec_pkcs8(curve, &k.scalar)
            }
            (None, Some(PutData::AaRsaModulus(n)), Some(PutData::AaRsaPrivateExponent(d))) => {
                rsa_pkcs8(n, d, self.file(EfId::Dg(15)))?
            }
            _ => {
                return Err(refuse(
                    "Active Authentication needs one EC key, or an RSA modulus with its exponent",
                ));
            }
        };
        // The key must read back as an AA key.
        AaKey::from_pkcs8_der(&pkcs8)?;
        Ok(Some(AaConfig {
            pkcs8: FileSource::Hex(hex::encode_upper(pkcs8.as_slice())),
        }))
    }

    fn eac_config(&self) -> Result<Option<EacConfig>> {
        let slot = |n: u8| match self.object(n, 0x64) {
            Some(PutData::TrustedCvca { certificate, .. }) => {
                Some(FileSource::Hex(hex::encode_upper(certificate)))
            }
            _ => None,
        };
        let (cvca, previous) = match (slot(1), slot(2)) {
            (Some(a), b) => (a, b),
            (None, Some(b)) => (b, None),
            (None, None) => return Ok(None),
        };
        let date = match self.object(0xDC, 0x05) {
            Some(PutData::CurrentDate([y1, y2, m1, m2, d1, d2])) => {
                Some(format!("20{y1}{y2}-{m1}{m2}-{d1}{d2}"))
            }
            _ => None,
        };
        Ok(Some(EacConfig {
            cvca,
            previous_cvca: previous,
            date,
            ef_cvca: None,
        }))
    }
}
