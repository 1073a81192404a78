//! The access configuration of a chip image (ICAO Doc 9303-11: PACE suites clause 4.4, Chip
//! Authentication clause 6.2, Active Authentication clause 6.1; BSI TR-03110-3 for Extended
//! Access Control and EF.CVCA) and its Document Signer (Doc 9303-12), checked as they are
//! turned into the chip side of each protocol.

use super::FileSource;
use crate::access::ca::{CaChip, CaDomain, CaVersion};
use crate::access::pace::PaceSuite;
use crate::crypto::ec::Curve;
use crate::error::{Error, Result};
use crate::lds::files::{EfId, FileLocation};
use crate::lds::security_infos::{PaceInfo, SecurityInfo};
use crate::oids::{CaProtocol, PaceProtocol};
use serde::{Deserialize, Serialize};

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

/// EF.CardAccess listing PACE suites: SET OF PACEInfo { OID, version 2, parameter id }.
pub(super) fn card_access(suites: &[PaceSuite]) -> Result<Vec<u8>> {
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

fn max_tries() -> u8 {
    3
}

/// A match-on-card reference of a chip image (ISO/IEC 7816-11): what the chip compares a
/// VERIFY probe with. The chip never lets it be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BiometricReferenceConfig {
    /// The reference data qualifier VERIFY names in P2.
    pub qualifier: u8,
    /// The ISO 19785-3 finger subtype (0x05 right thumb, 0x06 left thumb, ...).
    pub subtype: u8,
    /// The decision threshold: a comparison score at or above it is a match.
    pub threshold: u32,
    /// The minutiae in the ISO/IEC 19794-2 compact card format, hex (3 bytes a minutia).
    pub minutiae: String,
    /// Tries left before the reference blocks (0 to 3; default 3).
    #[serde(default = "max_tries")]
    pub tries_left: u8,
}
