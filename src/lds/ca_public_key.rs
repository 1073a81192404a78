//! Chip Authentication public keys as SecurityInfos carry them (BSI TR-03110-3 clause A.1.2,
//! ICAO Doc 9303-11 clause 9.2.5): a SubjectPublicKeyInfo for ECDH or DH with standardized,
//! named or explicit domain parameters.

use super::security_infos::{
    ID_DH_KEY_AGREEMENT, ID_DH_PUBLIC_NUMBER, end, ser_hex, ser_hex_opt, ser_oid,
};
use crate::asn1::{self, Object, tag};
use crate::crypto::domain::StandardizedDomainParameters;
use crate::crypto::ec::Curve;
use crate::crypto::keys::{ID_EC_PUBLIC_KEY, ec_curve_from_parameters};
use crate::error::{Error, Result};
use crate::oids::{ID_PK_DH, ID_PK_ECDH, ID_STANDARDIZED_DOMAIN_PARAMETERS, KeyAgreement};
use der::asn1::ObjectIdentifier;
use num_bigint::BigUint;

fn err(msg: impl Into<String>) -> Error {
    Error::Lds(msg.into())
}

/// How a public key's domain parameters are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum KeyParameters {
    /// standardizedDomainParameters with this id (as the algorithm itself, or nested as the
    /// parameters of id-PK-*/id-ecPublicKey).
    Standardized(u64),
    /// A namedCurve OID.
    NamedCurve,
    /// Explicit ECParameters or DH domain parameters.
    Explicit,
}

/// A Chip Authentication public key: ECDH or DH, with its domain parameters resolved.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum CaPublicKey {
    /// An EC key.
    Ec {
        /// The curve.
        curve: Curve,
        /// The point, uncompressed (`04 || X || Y`), checked to lie on the curve.
        #[serde(serialize_with = "ser_hex")]
        point: Vec<u8>,
    },
    /// A DH key.
    Dh {
        /// The prime, big-endian.
        #[serde(serialize_with = "ser_hex")]
        p: Vec<u8>,
        /// The generator.
        #[serde(serialize_with = "ser_hex")]
        g: Vec<u8>,
        /// The order of g, when the parameters give it.
        #[serde(serialize_with = "ser_hex_opt")]
        q: Option<Vec<u8>>,
        /// The public value y, 1 < y < p − 1.
        #[serde(serialize_with = "ser_hex")]
        y: Vec<u8>,
    },
}

impl CaPublicKey {
    /// DH or ECDH.
    pub fn agreement(&self) -> KeyAgreement {
        match self {
            CaPublicKey::Ec { .. } => KeyAgreement::Ecdh,
            CaPublicKey::Dh { .. } => KeyAgreement::Dh,
        }
    }

    /// The public value: the uncompressed point or y.
    pub fn public_value(&self) -> &[u8] {
        match self {
            CaPublicKey::Ec { point, .. } => point,
            CaPublicKey::Dh { y, .. } => y,
        }
    }
}

/// A SubjectPublicKeyInfo of a Chip Authentication key (TR-03110-3 A.1.1.2 and D.3.1).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PublicKeyInfo {
    /// The SubjectPublicKeyInfo algorithm: id-PK-ECDH, id-ecPublicKey, id-PK-DH,
    /// dhpublicnumber, dhKeyAgreement, or standardizedDomainParameters itself.
    #[serde(serialize_with = "ser_oid")]
    pub algorithm: ObjectIdentifier,
    /// How the domain parameters are written.
    pub parameters: KeyParameters,
    /// The key.
    pub key: CaPublicKey,
}

/// The group a key lives in, from its AlgorithmIdentifier.
enum Domain {
    Ec(Curve),
    Dh(Vec<u8>, Vec<u8>, Option<Vec<u8>>),
}

fn standardized_domain(id: u64) -> Result<Domain> {
    match StandardizedDomainParameters::from_id(id) {
        Some(StandardizedDomainParameters::Ec(c)) => Ok(Domain::Ec(c)),
        Some(StandardizedDomainParameters::Dh(g)) => Ok(Domain::Dh(g.p(), g.g(), Some(g.q()))),
        None => Err(err(format!("unknown standardized domain parameters {id}"))),
    }
}

fn key_domain(
    alg: &ObjectIdentifier,
    params: Option<Object<'_>>,
) -> Result<(Domain, KeyParameters)> {
    let params = params.ok_or_else(|| err(format!("key algorithm {alg} without parameters")))?;
    if *alg == ID_STANDARDIZED_DOMAIN_PARAMETERS {
        let id = params.small_uint()?;
        return Ok((standardized_domain(id)?, KeyParameters::Standardized(id)));
    }
    let mut pr = params.reader();
    if params.is(tag::SEQUENCE)
        && let Some(first) = pr.next()?
        && first.is(tag::OID)
    {
        // An AlgorithmIdentifier as the parameters: standardizedDomainParameters nested.
        if first.oid()? != ID_STANDARDIZED_DOMAIN_PARAMETERS {
            return Err(err(format!("key parameters name {}", first.oid()?)));
        }
        let id = pr.required("standardized id")?.small_uint()?;
        return Ok((standardized_domain(id)?, KeyParameters::Standardized(id)));
    }
    if *alg == ID_EC_PUBLIC_KEY || *alg == ID_PK_ECDH {
        let form = if params.is(tag::OID) {
            KeyParameters::NamedCurve
        } else {
            KeyParameters::Explicit
        };
        return Ok((Domain::Ec(ec_curve_from_parameters(&params)?), form));
    }
    if *alg == ID_PK_DH || *alg == ID_DH_PUBLIC_NUMBER || *alg == ID_DH_KEY_AGREEMENT {
        let mut r = params
            .expect(tag::SEQUENCE, "DH domain parameters")?
            .reader();
        let p = r.required("DH prime p")?.unsigned_bytes()?.to_vec();
        let g = r.required("DH generator g")?.unsigned_bytes()?.to_vec();
        // PKCS #3 has privateValueLength where X9.42 has q.
        let q = match (*alg == ID_DH_KEY_AGREEMENT, r.optional(tag::INTEGER)?) {
            (false, Some(q)) => Some(q.unsigned_bytes()?.to_vec()),
            _ => None,
        };
        let (pn, gn) = (BigUint::from_bytes_be(&p), BigUint::from_bytes_be(&g));
        if !(512..=8192).contains(&pn.bits()) || gn <= BigUint::from(1u32) || gn >= pn {
            return Err(err("DH domain parameters out of range"));
        }
        return Ok((Domain::Dh(p, g, q), KeyParameters::Explicit));
    }
    Err(err(format!("unsupported key algorithm {alg}")))
}

impl PublicKeyInfo {
    /// Parses a DER SubjectPublicKeyInfo.
    pub fn from_spki(der: &[u8]) -> Result<PublicKeyInfo> {
        Self::parse(&asn1::parse_exact(der)?)
    }

    pub(crate) fn parse(obj: &Object<'_>) -> Result<PublicKeyInfo> {
        let mut r = obj.expect(tag::SEQUENCE, "SubjectPublicKeyInfo")?.reader();
        let alg = r
            .required("algorithm")?
            .expect(tag::SEQUENCE, "AlgorithmIdentifier")?;
        let bits = r.required("subjectPublicKey")?.bit_string()?;
        end(&r, "SubjectPublicKeyInfo")?;
        let mut ar = alg.reader();
        let algorithm = ar.required("key algorithm")?.oid()?;
        let (domain, parameters) = key_domain(&algorithm, ar.next()?)?;
        end(&ar, "AlgorithmIdentifier")?;
        let key = match domain {
            Domain::Ec(curve) => {
                let params = curve.params();
                let point = params.encode_point(&params.decode_point(bits)?);
                CaPublicKey::Ec { curve, point }
            }
            Domain::Dh(p, g, q) => {
                let y = asn1::parse_exact(bits)?.unsigned_bytes()?.to_vec();
                let (yn, pn) = (BigUint::from_bytes_be(&y), BigUint::from_bytes_be(&p));
                if yn <= BigUint::from(1u32) || yn >= pn - 1u32 {
                    return Err(err("DH public value out of range"));
                }
                CaPublicKey::Dh { p, g, q, y }
            }
        };
        Ok(PublicKeyInfo {
            algorithm,
            parameters,
            key,
        })
    }

    /// A key with standardizedDomainParameters as its algorithm (as German documents write
    /// it); refuses DH parameters that are not an RFC 5114 group.
    pub fn standardized(key: CaPublicKey) -> Result<PublicKeyInfo> {
        let id = match &key {
            CaPublicKey::Ec { curve, .. } => curve.pace_parameter_id(),
            CaPublicKey::Dh { p, g, .. } => (0..=2)
                .filter_map(|i| match StandardizedDomainParameters::from_id(i) {
                    Some(StandardizedDomainParameters::Dh(d)) => Some(d),
                    _ => None,
                })
                .find(|d| d.p() == *p && d.g() == *g)
                .map(|d| d.id())
                .ok_or_else(|| err("DH parameters are not a standardized group"))?,
        };
        Ok(PublicKeyInfo {
            algorithm: ID_STANDARDIZED_DOMAIN_PARAMETERS,
            parameters: KeyParameters::Standardized(id.into()),
            key,
        })
    }

    /// A key with explicit parameters: id-ecPublicKey with ECParameters, or dhpublicnumber
    /// (dhKeyAgreement without q).
    pub fn explicit(key: CaPublicKey) -> PublicKeyInfo {
        let algorithm = match &key {
            CaPublicKey::Ec { .. } => ID_EC_PUBLIC_KEY,
            CaPublicKey::Dh { q: Some(_), .. } => ID_DH_PUBLIC_NUMBER,
            CaPublicKey::Dh { q: None, .. } => ID_DH_KEY_AGREEMENT,
        };
        PublicKeyInfo {
            algorithm,
            parameters: KeyParameters::Explicit,
            key,
        }
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn to_spki(&self) -> Vec<u8> {
        let params = match (self.parameters, &self.key) {
            (KeyParameters::Standardized(id), _) => {
                let int = asn1::encode_uint(&id.to_be_bytes());
                if self.algorithm == ID_STANDARDIZED_DOMAIN_PARAMETERS {
                    int
                } else {
                    asn1::sequence(&[&asn1::encode_oid(&ID_STANDARDIZED_DOMAIN_PARAMETERS), &int])
                }
            }
            (KeyParameters::NamedCurve, CaPublicKey::Ec { curve, .. }) => {
                asn1::encode_oid(&curve.oid())
            }
            (_, CaPublicKey::Ec { curve, .. }) => curve.params().to_explicit(),
            (_, CaPublicKey::Dh { p, g, q, .. }) => {
                let q = q.as_deref().map(asn1::encode_uint).unwrap_or_default();
                asn1::sequence(&[&asn1::encode_uint(p), &asn1::encode_uint(g), &q])
            }
        };
        let key = match &self.key {
            CaPublicKey::Ec { point, .. } => point.clone(),
            CaPublicKey::Dh { y, .. } => asn1::encode_uint(y),
        };
        let alg = asn1::sequence(&[&asn1::encode_oid(&self.algorithm), &params]);
        asn1::sequence(&[&alg, &asn1::encode(0x03, &[&[0u8][..], &key].concat())])
    }
}
