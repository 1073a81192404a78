//! SecurityInfos (ICAO Doc 9303-11 clause 9.2, BSI TR-03110-3 Appendix A.1.1), the `SET OF
//! SecurityInfo` that EF.CardAccess, EF.CardSecurity (inside a CMS SignedData, TR-03110-3 A.1.2)
//! and DG14 (tag 6E, ICAO Doc 9303-10 clause 4.7.14) carry: PACEInfo and PACEDomainParameterInfo,
//! ChipAuthenticationInfo, ChipAuthenticationDomainParameterInfo,
//! ChipAuthenticationPublicKeyInfo, TerminalAuthenticationInfo and ActiveAuthenticationInfo.
//!
//! A chip may carry infos this module does not know (CardInfoLocator, PrivilegedTerminalInfo,
//! Restricted Identification, ...): they are kept as [`SecurityInfo::Other`], never an error. A
//! known OID with a malformed body is kept the same way, with a line in
//! [`SecurityInfos::warnings`], so nothing a reader relies on is built from a body it could not
//! read. The encoder writes DER (the SET OF sorted) for the emulator's files.

use crate::asn1::{self, Object, Reader, tag};
use crate::crypto::domain::StandardizedDomainParameters;
use crate::crypto::ec::Curve;
use crate::crypto::keys::{ID_EC_PUBLIC_KEY, ec_curve_from_parameters};
use crate::error::{Error, Result};
use crate::oids::{
    self, CaProtocol, ID_AA, ID_SECURITY_OBJECT, ID_STANDARDIZED_DOMAIN_PARAMETERS, ID_TA,
    KeyAgreement, PaceMapping, PaceProtocol,
};
use crate::pki::cms::SignedData;
use crate::tlv::Tlv;
use der::asn1::ObjectIdentifier;

mod encode;
pub use encode::encode_dg14;

/// dhpublicnumber (ANSI X9.42, RFC 3279 clause 2.3.3): DomainParameters { p, g, q, ... }.
pub const ID_DH_PUBLIC_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10046.2.1");
/// dhKeyAgreement (PKCS #3): DHParameter { p, g, privateValueLength? }.
pub const ID_DH_KEY_AGREEMENT: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.3.1");

fn err(msg: impl Into<String>) -> Error {
    Error::Lds(msg.into())
}

pub(crate) fn ser_hex<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode_upper(b))
}

pub(crate) fn ser_hex_opt<S: serde::Serializer>(
    b: &Option<Vec<u8>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match b {
        Some(b) => s.serialize_some(&hex::encode_upper(b)),
        None => s.serialize_none(),
    }
}

pub(crate) fn ser_oid<S: serde::Serializer>(o: &ObjectIdentifier, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(o)
}

/// PACEInfo: a PACE protocol the chip supports.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PaceInfo {
    /// id-PACE-*.
    pub protocol: PaceProtocol,
    /// Version (2 today; 1 on early German ID cards).
    pub version: u64,
    /// The standardized domain parameters' id, or the parameterId of a
    /// PACEDomainParameterInfo; absent when the chip has one set of explicit parameters.
    pub parameter_id: Option<u64>,
}

impl PaceInfo {
    /// The standardized domain parameters `parameter_id` names, if it does.
    pub fn standardized(&self) -> Option<StandardizedDomainParameters> {
        StandardizedDomainParameters::from_id(self.parameter_id?)
            .filter(|s| s.agreement() == self.protocol.agreement)
    }

    /// The curve of a standardized ECDH parameter id.
    pub fn curve(&self) -> Option<Curve> {
        self.standardized()?.curve()
    }
}

/// An AlgorithmIdentifier of domain parameters, as it came, with what dactyl made of it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DomainParameters {
    /// The DER of the AlgorithmIdentifier.
    #[serde(serialize_with = "ser_hex")]
    pub algorithm_identifier: Vec<u8>,
    /// The id, for standardizedDomainParameters (0.4.0.127.0.7.1.2).
    pub standardized_id: Option<u64>,
    /// The curve: a standardized id, a namedCurve OID, or explicit parameters equal to a
    /// known curve. `None` for DH and for curves dactyl does not know.
    pub curve: Option<Curve>,
}

impl DomainParameters {
    /// standardizedDomainParameters with `id`.
    pub fn standardized(id: u8) -> DomainParameters {
        DomainParameters {
            algorithm_identifier: asn1::sequence(&[
                &asn1::encode_oid(&ID_STANDARDIZED_DOMAIN_PARAMETERS),
                &asn1::encode_uint(&[id]),
            ]),
            standardized_id: Some(id.into()),
            curve: StandardizedDomainParameters::from_id(id.into()).and_then(|s| s.curve()),
        }
    }

    /// id-ecPublicKey with the explicit ECParameters of `curve`.
    pub fn explicit(curve: Curve) -> DomainParameters {
        DomainParameters {
            algorithm_identifier: asn1::sequence(&[
                &asn1::encode_oid(&ID_EC_PUBLIC_KEY),
                &curve.params().to_explicit(),
            ]),
            standardized_id: None,
            curve: Some(curve),
        }
    }

    fn parse(obj: &Object<'_>) -> Result<DomainParameters> {
        let mut r = obj.expect(tag::SEQUENCE, "domainParameter")?.reader();
        let oid = r.required("domain parameter algorithm")?.oid()?;
        let params = r.next()?;
        let (standardized_id, curve) = if oid == ID_STANDARDIZED_DOMAIN_PARAMETERS {
            let id = params
                .ok_or_else(|| err("standardized id missing"))?
                .small_uint()?;
            let s = StandardizedDomainParameters::from_id(id);
            (Some(id), s.and_then(|s| s.curve()))
        } else {
            (None, params.and_then(|p| ec_curve_from_parameters(&p).ok()))
        };
        Ok(DomainParameters {
            algorithm_identifier: asn1::to_der(obj.raw)?,
            standardized_id,
            curve,
        })
    }
}

/// PACEDomainParameterInfo: explicit (or further standardized) PACE domain parameters.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PaceDomainParameterInfo {
    /// The protocol OID, dotted: id-PACE-DH-GM, id-PACE-ECDH-IM, ... (0.4.0.127.0.7.2.2.4.m).
    pub protocol: String,
    /// The parameters.
    pub domain_parameter: DomainParameters,
    /// The id PACEInfo refers to when the chip has several sets.
    pub parameter_id: Option<u64>,
}

impl PaceDomainParameterInfo {
    /// The agreement and mapping the protocol OID names.
    pub fn mapping(&self) -> Option<(KeyAgreement, PaceMapping)> {
        oids::pace_domain_parameters_protocol(&ObjectIdentifier::new(&self.protocol).ok()?)
    }
}

/// ChipAuthenticationInfo: a Chip Authentication protocol and version.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChipAuthenticationInfo {
    /// id-CA-{DH,ECDH}-cipher.
    pub protocol: CaProtocol,
    /// Version 1, 2 (or 3 in TR-03110 2.2).
    pub version: u64,
    /// The key the info belongs to, when the chip has several.
    pub key_id: Option<u64>,
}

/// ChipAuthenticationDomainParameterInfo (TR-03110-3 A.1.1.2).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChipAuthenticationDomainParameterInfo {
    /// id-CA-DH or id-CA-ECDH.
    pub agreement: KeyAgreement,
    /// The parameters.
    pub domain_parameter: DomainParameters,
    /// The key the parameters belong to.
    pub key_id: Option<u64>,
}

/// ChipAuthenticationPublicKeyInfo: the chip's static key agreement key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChipAuthenticationPublicKeyInfo {
    /// id-PK-DH or id-PK-ECDH (cipher `None`).
    pub protocol: CaProtocol,
    /// The SubjectPublicKeyInfo.
    pub key: PublicKeyInfo,
    /// Its key id, matching a ChipAuthenticationInfo.
    pub key_id: Option<u64>,
}

pub use super::ca_public_key::{CaPublicKey, KeyParameters, PublicKeyInfo};

/// ActiveAuthenticationInfo (ICAO Doc 9303-11 clause 9.2.9): the signature algorithm of an EC
/// Active Authentication key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ActiveAuthenticationInfo {
    /// Version (1).
    pub version: u64,
    /// The signature algorithm OID, dotted (e.g. ecdsa-plain-SHA256 0.4.0.127.0.7.1.1.4.1.3).
    pub signature_algorithm: String,
}

/// TerminalAuthenticationInfo.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TerminalAuthenticationInfo {
    /// Version 1 or 2.
    pub version: u64,
    /// efCVCA's file identifier (2 bytes), when given.
    #[serde(serialize_with = "ser_hex_opt")]
    pub file_id: Option<Vec<u8>>,
    /// efCVCA's short file identifier, when given.
    pub short_file_id: Option<u8>,
}

/// One SecurityInfo.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum SecurityInfo {
    /// PACEInfo.
    Pace(PaceInfo),
    /// PACEDomainParameterInfo.
    PaceDomainParameters(PaceDomainParameterInfo),
    /// ChipAuthenticationInfo.
    ChipAuthentication(ChipAuthenticationInfo),
    /// ChipAuthenticationDomainParameterInfo.
    ChipAuthenticationDomainParameters(ChipAuthenticationDomainParameterInfo),
    /// ChipAuthenticationPublicKeyInfo.
    ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo),
    /// ActiveAuthenticationInfo.
    ActiveAuthentication(ActiveAuthenticationInfo),
    /// TerminalAuthenticationInfo.
    TerminalAuthentication(TerminalAuthenticationInfo),
    /// An info dactyl does not know, or a known one it could not read (see the warnings).
    Other {
        /// Its protocol OID, dotted ("" when it has none).
        oid: String,
        /// Its DER.
        #[serde(serialize_with = "ser_hex")]
        raw: Vec<u8>,
    },
}

pub(crate) fn end(r: &Reader<'_>, what: &str) -> Result<()> {
    if r.is_empty() {
        Ok(())
    } else {
        Err(err(format!("{what}: unexpected fields after the last one")))
    }
}

pub(crate) fn optional_uint(r: &mut Reader<'_>) -> Result<Option<u64>> {
    r.optional(tag::INTEGER)?
        .map(|o| o.small_uint())
        .transpose()
}

pub(crate) fn uint(v: u64) -> Vec<u8> {
    asn1::encode_uint(&v.to_be_bytes())
}

pub(crate) fn opt_uint(v: Option<u64>) -> Vec<u8> {
    v.map(uint).unwrap_or_default()
}

pub(crate) fn oid_of(dotted: &str) -> Result<ObjectIdentifier> {
    ObjectIdentifier::new(dotted).map_err(|e| err(format!("OID {dotted:?}: {e}")))
}

pub(crate) fn checked_der(raw: &[u8], what: &str) -> Result<Vec<u8>> {
    asn1::parse_exact(raw)?.expect(tag::SEQUENCE, what)?;
    Ok(raw.to_vec())
}

impl SecurityInfo {
    /// Reads one element of the SET; unknown and unreadable infos become `Other`.
    fn read(obj: &Object<'_>, warnings: &mut Vec<String>) -> SecurityInfo {
        let raw = asn1::to_der(obj.raw).unwrap_or_else(|_| obj.raw.to_vec());
        let oid = match obj.reader().next() {
            Ok(Some(o)) if obj.is(tag::SEQUENCE) => o.oid().ok(),
            _ => None,
        };
        let Some(oid) = oid else {
            warnings.push(format!(
                "a SecurityInfo ({}) has no protocol OID; kept as unknown",
                obj.describe()
            ));
            return SecurityInfo::Other {
                oid: String::new(),
                raw,
            };
        };
        let mut r = obj.reader();
        match r.next().and_then(|_| Self::read_known(&oid, r)) {
            Ok(Some(info)) => info,
            Ok(None) => SecurityInfo::Other {
                oid: oid.to_string(),
                raw,
            },
            Err(e) => {
                let name = oids::name(&oid).unwrap_or_else(|| oid.to_string());
                warnings.push(format!("{name}: {e}; kept as unknown"));
                SecurityInfo::Other {
                    oid: oid.to_string(),
                    raw,
                }
            }
        }
    }

    /// The info for a known OID (`None` for an unknown one); `r` is after the OID.
    fn read_known(oid: &ObjectIdentifier, mut r: Reader<'_>) -> Result<Option<SecurityInfo>> {
        let info = if let Some(protocol) = PaceProtocol::from_oid(oid) {
            let version = r.required("version")?.small_uint()?;
            let parameter_id = optional_uint(&mut r)?;
            SecurityInfo::Pace(PaceInfo {
                protocol,
                version,
                parameter_id,
            })
        } else if oids::pace_domain_parameters_protocol(oid).is_some() {
            let domain_parameter = DomainParameters::parse(&r.required("domainParameter")?)?;
            let parameter_id = optional_uint(&mut r)?;
            let protocol = oid.to_string();
            SecurityInfo::PaceDomainParameters(PaceDomainParameterInfo {
                protocol,
                domain_parameter,
                parameter_id,
            })
        } else if let Some(protocol) = CaProtocol::from_oid(oid).filter(|p| p.cipher.is_some()) {
            let version = r.required("version")?.small_uint()?;
            let key_id = optional_uint(&mut r)?;
            SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                protocol,
                version,
                key_id,
            })
        } else if let Some(agreement) = oids::ca_domain_parameters_protocol(oid) {
            let domain_parameter = DomainParameters::parse(&r.required("domainParameter")?)?;
            let key_id = optional_uint(&mut r)?;
            SecurityInfo::ChipAuthenticationDomainParameters(
                ChipAuthenticationDomainParameterInfo {
                    agreement,
                    domain_parameter,
                    key_id,
                },
            )
        } else if let Some(protocol) = CaProtocol::from_oid(oid) {
            let key = PublicKeyInfo::parse(&r.required("chipAuthenticationPublicKey")?)?;
            let key_id = optional_uint(&mut r)?;
            if key.key.agreement() != protocol.agreement {
                return Err(err(format!(
                    "{} holds a {:?} key",
                    protocol.name(),
                    key.key.agreement()
                )));
            }
            SecurityInfo::ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo {
                protocol,
                key,
                key_id,
            })
        } else if *oid == ID_TA {
            let version = r.required("version")?.small_uint()?;
            let (mut file_id, mut short_file_id) = (None, None);
            if let Some(f) = r.optional(tag::SEQUENCE)? {
                let mut fr = f.reader();
                let fid = fr.required("efCVCA fid")?.octet_string()?.into_owned();
                if fid.len() != 2 {
                    return Err(err(format!("efCVCA fid of {} bytes", fid.len())));
                }
                if let Some(s) = fr.optional(tag::OCTET_STRING)? {
                    match *s.octet_string()? {
                        [sfid] => short_file_id = Some(sfid),
                        _ => return Err(err("efCVCA sfid is not one byte")),
                    }
                }
                end(&fr, "efCVCA")?;
                file_id = Some(fid);
            }
            SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo {
                version,
                file_id,
                short_file_id,
            })
        } else if *oid == ID_AA {
            let version = r.required("version")?.small_uint()?;
            let signature_algorithm = r.required("signatureAlgorithm")?.oid()?.to_string();
            SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo {
                version,
                signature_algorithm,
            })
        } else {
            return Ok(None);
        };
        end(&r, "SecurityInfo")?;
        Ok(Some(info))
    }
}

/// A parsed `SecurityInfos` SET.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SecurityInfos {
    /// The infos, in the file's order.
    pub infos: Vec<SecurityInfo>,
    /// What was ignored or could not be read (known infos kept as `Other`, trailing bytes).
    pub warnings: Vec<String>,
}

/// The infos of one variant: all of them, or the first.
macro_rules! select {
    ($self:ident, $variant:ident, all) => {
        $self.infos.iter().filter_map(|i| match i {
            SecurityInfo::$variant(x) => Some(x),
            _ => None,
        })
    };
    ($self:ident, $variant:ident, first) => {
        select!($self, $variant, all).next()
    };
}

impl SecurityInfos {
    /// Parses the DER (or BER) of a SecurityInfos SET. Bytes after the SET (padding, or the
    /// garbage some cards append) are ignored with a warning.
    pub fn parse(bytes: &[u8]) -> Result<SecurityInfos> {
        let (set, rest) = asn1::parse(bytes)?;
        let set = set.expect(tag::SET, "SecurityInfos")?;
        let mut warnings = Vec::new();
        if rest.iter().any(|&b| b != 0 && b != 0xFF) {
            warnings.push(format!(
                "{} bytes after the SecurityInfos SET ignored",
                rest.len()
            ));
        }
        let infos = set
            .children()?
            .iter()
            .map(|o| SecurityInfo::read(o, &mut warnings))
            .collect();
        Ok(SecurityInfos { infos, warnings })
    }

    /// The PACEInfos, in the file's order.
    pub fn pace_infos(&self) -> impl Iterator<Item = &PaceInfo> + '_ {
        select!(self, Pace, all)
    }

    /// The PACEDomainParameterInfos.
    pub fn pace_domain_parameters(&self) -> impl Iterator<Item = &PaceDomainParameterInfo> + '_ {
        select!(self, PaceDomainParameters, all)
    }

    /// The ChipAuthenticationInfos.
    pub fn ca_infos(&self) -> impl Iterator<Item = &ChipAuthenticationInfo> + '_ {
        select!(self, ChipAuthentication, all)
    }

    /// The ChipAuthenticationDomainParameterInfos.
    pub fn ca_domain_parameters(
        &self,
    ) -> impl Iterator<Item = &ChipAuthenticationDomainParameterInfo> + '_ {
        select!(self, ChipAuthenticationDomainParameters, all)
    }

    /// The ChipAuthenticationPublicKeyInfos.
    pub fn ca_public_keys(&self) -> impl Iterator<Item = &ChipAuthenticationPublicKeyInfo> + '_ {
        select!(self, ChipAuthenticationPublicKey, all)
    }

    /// The ChipAuthenticationInfo for a public key: same agreement, and the same key id when
    /// either names one (ICAO 9303-11 clause 9.2.5: a lone info without key id covers a lone key).
    pub fn ca_info_for(
        &self,
        key: &ChipAuthenticationPublicKeyInfo,
    ) -> Option<&ChipAuthenticationInfo> {
        let same = |c: &&ChipAuthenticationInfo| c.protocol.agreement == key.protocol.agreement;
        self.ca_infos()
            .filter(same)
            .find(|c| c.key_id == key.key_id)
            .or_else(|| {
                let mut infos = self.ca_infos().filter(same);
                match (infos.next(), infos.next(), self.ca_public_keys().count()) {
                    (Some(c), None, 1) if c.key_id.is_none() || key.key_id.is_none() => Some(c),
                    _ => None,
                }
            })
    }

    /// The ActiveAuthenticationInfo (the first, if several).
    pub fn aa_info(&self) -> Option<&ActiveAuthenticationInfo> {
        select!(self, ActiveAuthentication, first)
    }

    /// The TerminalAuthenticationInfo (the first, if several).
    pub fn ta_info(&self) -> Option<&TerminalAuthenticationInfo> {
        select!(self, TerminalAuthentication, first)
    }
}

/// Parses EF.CardAccess (a bare SecurityInfos).
pub fn card_access(bytes: &[u8]) -> Result<SecurityInfos> {
    SecurityInfos::parse(bytes)
}

/// Parses EF.CardSecurity: a CMS SignedData whose eContentType is id-SecurityObject and whose
/// content is SecurityInfos. The signature is not checked here (Passive Authentication does).
pub fn card_security(bytes: &[u8]) -> Result<(SecurityInfos, SignedData)> {
    let signed = SignedData::parse(bytes)?;
    if signed.content_type != ID_SECURITY_OBJECT {
        return Err(err(format!(
            "EF.CardSecurity: eContentType {} is not id-SecurityObject",
            signed.content_type
        )));
    }
    let infos = SecurityInfos::parse(&signed.content)?;
    Ok((infos, signed))
}

/// Parses DG14: tag 6E around SecurityInfos.
pub fn dg14(bytes: &[u8]) -> Result<SecurityInfos> {
    SecurityInfos::parse(Tlv::parse_tagged(bytes, 0x6E)?.value)
}
