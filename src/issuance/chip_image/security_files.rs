//! The security files a chip image's keys call for, built when the image does not give them:
//! DG14 (ICAO Doc 9303-11 clause 9.2: ChipAuthenticationInfo and its public key,
//! ActiveAuthenticationInfo for an ECDSA Active Authentication key, TerminalAuthenticationInfo
//! on a chip with Extended Access Control), EF.CardSecurity (clause 9.2.2: every SecurityInfo of
//! EF.CardAccess and DG14, signed like the SOD; required on a chip offering PACE-CAM, whose
//! terminal takes PK_IC from it) and EF.SOD (9303-10 clause 4.6.2) over every data group, both
//! signed by the image's Document Signer.

use super::{ChipImage, FileSystem};
use crate::access::aa::{AaKey, curve_hash};
use crate::access::ca::CaChip;
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::signing_key::SigningKey;
use crate::error::{Error, Result};
use crate::issuance::sod_signer::{SodOptions, sign_card_security, sign_sod};
use crate::lds::files::EfId;
use crate::lds::security_infos::{
    ActiveAuthenticationInfo, CaPublicKey, ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo,
    PublicKeyInfo, SecurityInfo, SecurityInfos, TerminalAuthenticationInfo,
};
use crate::oids::{
    self, CaProtocol, ECDSA_PLAIN_SHA1, ECDSA_PLAIN_SHA224, ECDSA_PLAIN_SHA256, ECDSA_PLAIN_SHA384,
    ECDSA_PLAIN_SHA512,
};
use crate::pki::cert::Certificate;
use crate::time::Time;
use std::collections::BTreeMap;
use std::path::Path;

/// The Chip Authentication infos of DG14 for a chip key (ECDH): version 1 keys carry explicit
/// domain parameters (BSI TR-03110-3 clause A.2.1.3: "Chip Authentication in version 1 MUST
/// provide at least one set of explicit domain parameters"), later versions the standardized
/// parameter id.
pub fn ca_infos(chip: &CaChip, version: u64, key_id: Option<u64>) -> Result<Vec<SecurityInfo>> {
    let params = chip.terminal_params();
    let protocol = CaProtocol::from_oid(&params.protocol_oid)
        .ok_or_else(|| Error::ChipImage("CA protocol".into()))?;
    let crate::access::ca::CaDomain::Ec(curve) = params.domain.clone() else {
        return Err(Error::ChipImage(
            "only ECDH Chip Authentication keys can be configured".into(),
        ));
    };
    let public = CaPublicKey::Ec {
        curve,
        point: chip.public_key().to_vec(),
    };
    let key = if version == 1 {
        PublicKeyInfo::explicit(public)
    } else {
        PublicKeyInfo::standardized(public)?
    };
    Ok(vec![
        SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
            protocol,
            version,
            key_id,
        }),
        SecurityInfo::ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo {
            protocol: CaProtocol {
                agreement: oids::KeyAgreement::Ecdh,
                cipher: None,
            },
            key,
            key_id,
        }),
    ])
}

/// The ActiveAuthenticationInfo an ECDSA Active Authentication key needs in DG14 (9303-11
/// clause 9.2.9), naming the plain-format algorithm the chip signs with; RSA keys need none.
pub fn aa_info(key: &AaKey) -> Option<SecurityInfo> {
    let AaKey::Ec { curve, .. } = key else {
        return None;
    };
    let oid = match curve_hash(*curve) {
        HashAlgorithm::Sha1 => ECDSA_PLAIN_SHA1,
        HashAlgorithm::Sha224 => ECDSA_PLAIN_SHA224,
        HashAlgorithm::Sha256 => ECDSA_PLAIN_SHA256,
        HashAlgorithm::Sha384 => ECDSA_PLAIN_SHA384,
        HashAlgorithm::Sha512 => ECDSA_PLAIN_SHA512,
    };
    Some(SecurityInfo::ActiveAuthentication(
        ActiveAuthenticationInfo {
            version: 1,
            signature_algorithm: oid.to_string(),
        },
    ))
}

/// TerminalAuthenticationInfo version 1 (BSI TR-03110-3 A.1.1.3), for a chip with EAC.
pub fn ta_info() -> SecurityInfo {
    SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo {
        version: 1,
        file_id: None,
        short_file_id: None,
    })
}

/// The Document Signer a chip image signs its EF.SOD and EF.CardSecurity with.
pub struct DocumentSigner {
    /// Its certificate (embedded in what it signs).
    pub certificate: Certificate,
    /// Its private key.
    pub key: SigningKey,
}

impl DocumentSigner {
    /// Reads a certificate (PEM or DER) and a PKCS#8 PEM key that belong together.
    pub fn from_files(certificate: &[u8], key: &[u8]) -> Result<DocumentSigner> {
        let certificate = Certificate::from_pem_or_der(certificate)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::ChipImage("document signer: no certificate".into()))?;
        let pem = std::str::from_utf8(key)
            .map_err(|_| Error::ChipImage("document signer key: not PKCS#8 PEM text".into()))?;
        let key = SigningKey::from_pkcs8_pem(pem)?;
        if key.public_spki()? != certificate.spki {
            return Err(Error::ChipImage(
                "document signer: the key does not belong to the certificate".into(),
            ));
        }
        Ok(DocumentSigner { certificate, key })
    }

    /// Signing options: an LDSSecurityObject v1, signed now (or, outside the certificate's
    /// validity, on its first day, so the signature stays verifiable against the DSC).
    fn options(&self) -> SodOptions {
        let now = Time::now();
        let at = if self.certificate.valid_at(now) {
            now
        } else {
            self.certificate.not_before
        };
        SodOptions::new(at)
    }

    /// EF.SOD over the data groups.
    pub fn sign_sod(&self, data_groups: &BTreeMap<u8, Vec<u8>>) -> Result<Vec<u8>> {
        sign_sod(data_groups, &self.certificate, &self.key, &self.options())
    }

    /// EF.CardSecurity over these SecurityInfos.
    pub fn sign_card_security(&self, infos: &SecurityInfos) -> Result<Vec<u8>> {
        sign_card_security(
            &infos.try_encode()?,
            &self.certificate,
            &self.key,
            &self.options(),
        )
    }
}

/// Signs EF.SOD and EF.CardSecurity with the image's Document Signer where the image does
/// not give them; refuses a chip offering PACE-CAM that would have no EF.CardSecurity.
pub(super) fn sign_security_files<Q>(
    image: &ChipImage<Q>,
    fs: &mut FileSystem,
    load: &dyn Fn(&Path) -> Result<Vec<u8>>,
) -> Result<()> {
    let offers_cam = image.pace.iter().any(|p| {
        p.suite()
            .is_ok_and(|s| s.protocol.mapping == crate::oids::PaceMapping::ChipAuthentication)
    });
    let Some(ds) = &image.document_signer else {
        if offers_cam && fs.get(EfId::CardSecurity).is_none() {
            return Err(Error::ChipImage(
                "the chip offers PACE-CAM but has no EF.CardSecurity (ICAO 9303-11 9.2.2): \
                 give \"document_signer\" to sign one, or a CardSecurity file"
                    .into(),
            ));
        }
        return Ok(());
    };
    let signer = DocumentSigner::from_files(
        &image.source(&ds.certificate, "document signer certificate", load)?,
        &image.source(&ds.key, "document signer key", load)?,
    )
    .map_err(|e| Error::ChipImage(format!("document signer: {e}")))?;
    if fs.get(EfId::CardSecurity).is_none() && (offers_cam || image.chip_authentication.is_some()) {
        let mut infos = Vec::new();
        if let Some(ca) = fs.get(EfId::CardAccess) {
            infos.extend(SecurityInfos::parse(ca)?.infos);
        }
        if let Some(dg14) = fs.get(EfId::Dg(14)) {
            infos.extend(crate::lds::security_infos::dg14(dg14)?.infos);
        }
        let infos = SecurityInfos {
            infos,
            warnings: Vec::new(),
        };
        fs.put(EfId::CardSecurity, signer.sign_card_security(&infos)?);
    }
    if fs.get(EfId::Sod).is_none() {
        let dgs = fs.data_groups();
        fs.put(EfId::Sod, signer.sign_sod(&dgs)?);
    }
    Ok(())
}
