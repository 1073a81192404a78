//! The DER encoding of SecurityInfos (ICAO Doc 9303-11 clause 9.2, BSI TR-03110-3 A.1.1): each
//! info as the SEQUENCE its OID defines, the SET OF sorted (X.690 clause 11.6), and DG14 (tag
//! 6E, Doc 9303-10 clause 4.7.14), for the files issuers and the emulator build.

use super::{SecurityInfo, SecurityInfos, checked_der, err, oid_of, opt_uint, uint};
use crate::asn1;
use crate::error::Result;
use crate::oids;
use crate::oids::{ID_AA, ID_PK_DH, ID_PK_ECDH, ID_TA, KeyAgreement};

impl SecurityInfo {
    /// The DER of this info; fails for values no OID or encoding exists for (an undefined PACE
    /// combination, a CA protocol without a cipher in a ChipAuthenticationInfo, a bad OID
    /// string, raw bytes that are not one SEQUENCE).
    pub fn encode(&self) -> Result<Vec<u8>> {
        let parts: Vec<Vec<u8>> = match self {
            SecurityInfo::Pace(p) => {
                let oid = p
                    .protocol
                    .oid()
                    .ok_or_else(|| err(format!("{} is not defined", p.protocol.name())))?;
                vec![
                    asn1::encode_oid(&oid),
                    uint(p.version),
                    opt_uint(p.parameter_id),
                ]
            }
            SecurityInfo::PaceDomainParameters(d) => vec![
                asn1::encode_oid(&oid_of(&d.protocol)?),
                checked_der(&d.domain_parameter.algorithm_identifier, "domainParameter")?,
                opt_uint(d.parameter_id),
            ],
            SecurityInfo::ChipAuthentication(c) => {
                if c.protocol.cipher.is_none() {
                    return Err(err(
                        "a ChipAuthenticationInfo needs an id-CA protocol with a cipher",
                    ));
                }
                vec![
                    asn1::encode_oid(&c.protocol.oid()),
                    uint(c.version),
                    opt_uint(c.key_id),
                ]
            }
            SecurityInfo::ChipAuthenticationDomainParameters(d) => vec![
                asn1::encode_oid(&oids::ca_domain_parameters_oid(d.agreement)),
                checked_der(&d.domain_parameter.algorithm_identifier, "domainParameter")?,
                opt_uint(d.key_id),
            ],
            SecurityInfo::ChipAuthenticationPublicKey(k) => {
                let oid = match k.key.key.agreement() {
                    KeyAgreement::Dh => ID_PK_DH,
                    KeyAgreement::Ecdh => ID_PK_ECDH,
                };
                vec![asn1::encode_oid(&oid), k.key.to_spki(), opt_uint(k.key_id)]
            }
            SecurityInfo::ActiveAuthentication(a) => vec![
                asn1::encode_oid(&ID_AA),
                uint(a.version),
                asn1::encode_oid(&oid_of(&a.signature_algorithm)?),
            ],
            SecurityInfo::TerminalAuthentication(t) => {
                let file = match (&t.file_id, t.short_file_id) {
                    (Some(fid), sfid) => asn1::sequence(&[
                        &asn1::encode(0x04, fid),
                        &sfid.map(|s| asn1::encode(0x04, &[s])).unwrap_or_default(),
                    ]),
                    (None, Some(_)) => {
                        return Err(err("efCVCA with a short file identifier but no fid"));
                    }
                    (None, None) => Vec::new(),
                };
                vec![asn1::encode_oid(&ID_TA), uint(t.version), file]
            }
            SecurityInfo::Other { raw, .. } => return checked_der(raw, "SecurityInfo"),
        };
        Ok(asn1::encode(0x30, &parts.concat()))
    }
}

impl SecurityInfos {
    /// The DER SET OF, sorted; fails if an info cannot be encoded (see [`SecurityInfo::encode`]).
    pub fn try_encode(&self) -> Result<Vec<u8>> {
        let mut parts = self
            .infos
            .iter()
            .map(SecurityInfo::encode)
            .collect::<Result<Vec<_>>>()?;
        parts.sort();
        Ok(asn1::encode(0x31, &parts.concat()))
    }

    /// The DER SET OF, sorted. Infos that cannot be encoded (see [`SecurityInfo::encode`]) are
    /// left out, so a chip never offers what it cannot name; use [`Self::try_encode`] to see them.
    pub fn encode(&self) -> Vec<u8> {
        let mut parts: Vec<Vec<u8>> = self.infos.iter().filter_map(|i| i.encode().ok()).collect();
        parts.sort();
        asn1::encode(0x31, &parts.concat())
    }
}

/// Encodes DG14 (see [`SecurityInfos::encode`]).
pub fn encode_dg14(infos: &SecurityInfos) -> Vec<u8> {
    crate::tlv::encode(0x6E, &infos.encode())
}
