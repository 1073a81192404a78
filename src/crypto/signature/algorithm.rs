//! Signature algorithm identifiers (RFC 3279, RFC 4055 RSASSA-PSS parameters, RFC 5758):
//! parsing an AlgorithmIdentifier into a [`SignatureAlgorithm`] and encoding it back.

use crate::asn1::{self, Object, tag};
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::keys::{ID_RSASSA_PSS, MAX_RSA_BITS};
use crate::error::{Error, Result};
use der::asn1::ObjectIdentifier;

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

/// ecdsa-with-SHA1, -SHA224, -SHA256, -SHA384, -SHA512 (RFC 3279, RFC 5758).
const ECDSA_OIDS: [(ObjectIdentifier, HashAlgorithm); 5] = [
    (oid("1.2.840.10045.4.1"), HashAlgorithm::Sha1),
    (oid("1.2.840.10045.4.3.1"), HashAlgorithm::Sha224),
    (oid("1.2.840.10045.4.3.2"), HashAlgorithm::Sha256),
    (oid("1.2.840.10045.4.3.3"), HashAlgorithm::Sha384),
    (oid("1.2.840.10045.4.3.4"), HashAlgorithm::Sha512),
];

/// sha1WithRSAEncryption .. sha512WithRSAEncryption (RFC 3279, RFC 4055).
const RSA_PKCS1_OIDS: [(ObjectIdentifier, HashAlgorithm); 5] = [
    (oid("1.2.840.113549.1.1.5"), HashAlgorithm::Sha1),
    (oid("1.2.840.113549.1.1.14"), HashAlgorithm::Sha224),
    (oid("1.2.840.113549.1.1.11"), HashAlgorithm::Sha256),
    (oid("1.2.840.113549.1.1.12"), HashAlgorithm::Sha384),
    (oid("1.2.840.113549.1.1.13"), HashAlgorithm::Sha512),
];

/// id-mgf1 (RFC 4055 §2.2).
pub const ID_MGF1: ObjectIdentifier = oid("1.2.840.113549.1.1.8");

/// Largest signature accepted, in bytes (an 8192-bit RSA signature).
pub const MAX_SIGNATURE_LEN: usize = MAX_RSA_BITS / 8;

/// A signature algorithm with its parameters.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum SignatureAlgorithm {
    /// ECDSA over the given hash.
    Ecdsa(HashAlgorithm),
    /// RSASSA-PKCS1-v1_5 over the given hash.
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS (trailer field 1).
    RsaPss {
        /// Message hash.
        hash: HashAlgorithm,
        /// Hash inside MGF1.
        mgf_hash: HashAlgorithm,
        /// Salt length in bytes.
        salt_len: usize,
    },
}

pub(super) fn sig_err(msg: impl Into<String>) -> Error {
    Error::protocol("signature", msg)
}

pub(super) fn asn1_err(msg: impl Into<String>) -> Error {
    Error::Asn1(msg.into())
}

/// Parameters that must be absent or NULL.
fn no_params(params: Option<&[u8]>, what: &str) -> Result<()> {
    match params {
        None | Some([0x05, 0x00]) => Ok(()),
        Some(_) => Err(asn1_err(format!(
            "{what}: parameters must be absent or NULL"
        ))),
    }
}

/// A hash AlgorithmIdentifier (parameters absent or NULL, RFC 4055 §2.1).
fn hash_from_alg_id(obj: &Object<'_>, what: &str) -> Result<HashAlgorithm> {
    let seq = obj.expect(tag::SEQUENCE, what)?;
    let mut r = seq.reader();
    let oid = r.required(what)?.oid()?;
    let params = r.next()?;
    no_params(params.map(|p| p.raw), what)?;
    HashAlgorithm::from_oid(&oid)
        .ok_or_else(|| sig_err(format!("unsupported hash algorithm {oid} in {what}")))
}

/// The single child of an explicit `[n]` tag.
fn explicit_inner<'a>(obj: &Object<'a>, what: &str) -> Result<Object<'a>> {
    let (inner, rest) = asn1::parse(obj.value)?;
    if !rest.is_empty() {
        return Err(asn1_err(format!("{what}: extra data after the value")));
    }
    Ok(inner)
}

/// RSASSA-PSS-params (RFC 4055 §3.1), defaults SHA-1, MGF1-SHA-1, salt 20, trailer 1.
fn parse_pss_params(params: Option<&[u8]>) -> Result<SignatureAlgorithm> {
    let (mut hash, mut mgf_hash, mut salt_len) = (HashAlgorithm::Sha1, HashAlgorithm::Sha1, 20);
    let Some(bytes) = params.filter(|p| *p != [0x05, 0x00]) else {
        return Ok(SignatureAlgorithm::RsaPss {
            hash,
            mgf_hash,
            salt_len,
        });
    };
    let seq = asn1::parse_exact(bytes)?.expect(tag::SEQUENCE, "RSASSA-PSS-params")?;
    let mut r = seq.reader();
    if let Some(o) = r.optional_context(0)? {
        hash = hash_from_alg_id(&explicit_inner(&o, "hashAlgorithm")?, "PSS hashAlgorithm")?;
    }
    if let Some(o) = r.optional_context(1)? {
        let mgf = explicit_inner(&o, "maskGenAlgorithm")?.expect(tag::SEQUENCE, "maskGen")?;
        let mut mr = mgf.reader();
        let mgf_oid = mr.required("mask generation function")?.oid()?;
        if mgf_oid != ID_MGF1 {
            return Err(sig_err(format!(
                "unsupported mask generation function {mgf_oid} (only MGF1)"
            )));
        }
        mgf_hash = hash_from_alg_id(&mr.required("MGF1 hash")?, "MGF1 hash")?;
    }
    if let Some(o) = r.optional_context(2)? {
        let v = explicit_inner(&o, "saltLength")?.small_uint()?;
        salt_len = usize::try_from(v)
            .ok()
            .filter(|&s| s <= MAX_SIGNATURE_LEN)
            .ok_or_else(|| sig_err(format!("PSS salt length {v} is larger than any key")))?;
    }
    if let Some(o) = r.optional_context(3)? {
        let t = explicit_inner(&o, "trailerField")?.small_uint()?;
        if t != 1 {
            return Err(sig_err(format!("unsupported PSS trailer field {t}")));
        }
    }
    if !r.is_empty() {
        return Err(asn1_err("RSASSA-PSS-params: unexpected trailing fields"));
    }
    Ok(SignatureAlgorithm::RsaPss {
        hash,
        mgf_hash,
        salt_len,
    })
}

/// A hash AlgorithmIdentifier with NULL parameters (as OpenSSL and RFC 4055 §2.1 write it).
fn hash_alg_id(h: HashAlgorithm) -> Vec<u8> {
    asn1::sequence(&[&asn1::encode_oid(&h.oid()), &[0x05, 0x00]])
}

impl SignatureAlgorithm {
    /// The algorithm an AlgorithmIdentifier names. `params` is the whole encoding of the
    /// parameters (tag and length included), or `None` when absent.
    pub fn from_algorithm_identifier(
        oid: &ObjectIdentifier,
        params: Option<&[u8]>,
    ) -> Result<Self> {
        if let Some((_, h)) = ECDSA_OIDS.iter().find(|(o, _)| o == oid) {
            no_params(params, "ECDSA AlgorithmIdentifier")?;
            return Ok(SignatureAlgorithm::Ecdsa(*h));
        }
        if let Some((_, h)) = RSA_PKCS1_OIDS.iter().find(|(o, _)| o == oid) {
            no_params(params, "RSA AlgorithmIdentifier")?;
            return Ok(SignatureAlgorithm::RsaPkcs1(*h));
        }
        if *oid == ID_RSASSA_PSS {
            return parse_pss_params(params);
        }
        Err(sig_err(format!("unsupported signature algorithm {oid}")))
    }

    /// Parses a whole AlgorithmIdentifier `SEQUENCE { algorithm, parameters ANY OPTIONAL }`.
    pub fn from_der(alg_id: &[u8]) -> Result<Self> {
        Self::from_object(&asn1::parse_exact(alg_id)?)
    }

    /// Same as [`SignatureAlgorithm::from_der`] for an object already read.
    pub fn from_object(alg_id: &Object<'_>) -> Result<Self> {
        let seq = alg_id.expect(tag::SEQUENCE, "signature AlgorithmIdentifier")?;
        let mut r = seq.reader();
        let oid = r.required("signature algorithm")?.oid()?;
        let params = r.next()?;
        if !r.is_empty() {
            return Err(asn1_err("AlgorithmIdentifier: more than two fields"));
        }
        Self::from_algorithm_identifier(&oid, params.map(|p| p.raw))
    }

    /// The DER AlgorithmIdentifier (ECDSA without parameters, PKCS#1 with NULL, PSS with its
    /// parameters, defaults omitted as DER requires).
    pub fn to_algorithm_identifier(&self) -> Vec<u8> {
        match self {
            SignatureAlgorithm::Ecdsa(h) => {
                let oid = ECDSA_OIDS.iter().find(|(_, x)| x == h).map(|(o, _)| o);
                asn1::sequence(&[&oid.map(asn1::encode_oid).unwrap_or_default()])
            }
            SignatureAlgorithm::RsaPkcs1(h) => {
                let oid = RSA_PKCS1_OIDS.iter().find(|(_, x)| x == h).map(|(o, _)| o);
                let oid = oid.map(asn1::encode_oid).unwrap_or_default();
                asn1::sequence(&[&oid, &[0x05, 0x00]])
            }
            SignatureAlgorithm::RsaPss {
                hash,
                mgf_hash,
                salt_len,
            } => {
                let mut fields = Vec::new();
                if *hash != HashAlgorithm::Sha1 {
                    fields.extend(asn1::encode(0xA0, &hash_alg_id(*hash)));
                }
                if *mgf_hash != HashAlgorithm::Sha1 {
                    let mgf =
                        asn1::sequence(&[&asn1::encode_oid(&ID_MGF1), &hash_alg_id(*mgf_hash)]);
                    fields.extend(asn1::encode(0xA1, &mgf));
                }
                if *salt_len != 20 {
                    let salt = asn1::encode_uint(&(*salt_len as u64).to_be_bytes());
                    fields.extend(asn1::encode(0xA2, &salt));
                }
                let params = asn1::encode(0x30, &fields);
                asn1::sequence(&[&asn1::encode_oid(&ID_RSASSA_PSS), &params])
            }
        }
    }

    /// The message hash.
    pub fn hash(&self) -> HashAlgorithm {
        match self {
            SignatureAlgorithm::Ecdsa(h) | SignatureAlgorithm::RsaPkcs1(h) => *h,
            SignatureAlgorithm::RsaPss { hash, .. } => *hash,
        }
    }

    /// A readable name: "ECDSA SHA-256", "RSA PKCS#1 v1.5 SHA-1", "RSA-PSS SHA-512 (MGF1
    /// SHA-256, salt 64)".
    pub fn name(&self) -> String {
        match self {
            SignatureAlgorithm::Ecdsa(h) => format!("ECDSA {h}"),
            SignatureAlgorithm::RsaPkcs1(h) => format!("RSA PKCS#1 v1.5 {h}"),
            SignatureAlgorithm::RsaPss {
                hash,
                mgf_hash,
                salt_len,
            } => format!("RSA-PSS {hash} (MGF1 {mgf_hash}, salt {salt_len})"),
        }
    }
}
