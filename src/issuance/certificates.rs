//! The issuer side's certificates and CRLs (RFC 5280 clauses 4 and 5 in the ICAO Doc 9303-12
//! clause 7 profile): X.509 v3 certificates for CSCAs (basicConstraints CA, keyCertSign and
//! cRLSign) and Document Signers (digitalSignature), and v2 CRLs, DER-encoded and signed.

use crate::asn1;
use crate::crypto::signing_key::SigningKey;
use crate::error::{Error, Result};
use crate::time::Time;
use der::asn1::ObjectIdentifier;
use sha1::{Digest, Sha1};

const OID_C: &str = "2.5.4.6";
const OID_O: &str = "2.5.4.10";
const OID_OU: &str = "2.5.4.11";
const OID_CN: &str = "2.5.4.3";
const OID_SERIAL: &str = "2.5.4.5";
const EXT_SKI: &str = "2.5.29.14";
const EXT_KEY_USAGE: &str = "2.5.29.15";
const EXT_BASIC_CONSTRAINTS: &str = "2.5.29.19";
const EXT_CRL_NUMBER: &str = "2.5.29.20";
const EXT_AKI: &str = "2.5.29.35";

fn oid(s: &str) -> Result<Vec<u8>> {
    let o = ObjectIdentifier::new(s).map_err(|e| Error::Asn1(format!("OID {s}: {e}")))?;
    Ok(asn1::encode_oid(&o))
}

/// Encodes a distinguished name from (type, value) pairs: `C`, `O`, `OU`, `CN`,
/// `serialNumber`. Country is a PrintableString, the rest UTF8String.
pub fn encode_name(attrs: &[(&str, &str)]) -> Result<Vec<u8>> {
    let mut rdns = Vec::new();
    for (kind, value) in attrs {
        let (o, string_tag) = match *kind {
            "C" => (OID_C, 0x13),
            "O" => (OID_O, 0x0C),
            "OU" => (OID_OU, 0x0C),
            "CN" => (OID_CN, 0x0C),
            "serialNumber" => (OID_SERIAL, 0x13),
            other => return Err(Error::Usage(format!("unsupported name attribute {other}"))),
        };
        let atv = asn1::sequence(&[&oid(o)?, &asn1::encode(string_tag, value.as_bytes())]);
        rdns.extend(asn1::encode(0x31, &atv));
    }
    Ok(asn1::encode(0x30, &rdns))
}

/// SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1).
pub fn key_identifier(spki: &[u8]) -> Result<Vec<u8>> {
    let seq = asn1::parse_exact(spki)?;
    let mut r = seq.reader();
    r.required("algorithm")?;
    let bits = r.required("subjectPublicKey")?.bit_string()?;
    Ok(Sha1::digest(bits).to_vec())
}

fn extension(id: &str, critical: bool, value: &[u8]) -> Result<Vec<u8>> {
    let mut parts = vec![oid(id)?];
    if critical {
        parts.push(vec![0x01, 0x01, 0xFF]);
    }
    parts.push(asn1::encode(0x04, value));
    Ok(asn1::encode(0x30, &parts.concat()))
}

/// What a certificate says.
#[derive(Clone, Debug)]
pub struct CertificateSpec {
    /// Encoded subject name ([`encode_name`]).
    pub subject: Vec<u8>,
    /// Encoded issuer name (the subject for a self-signed certificate).
    pub issuer: Vec<u8>,
    /// Serial number (positive, big-endian).
    pub serial: Vec<u8>,
    /// Validity start.
    pub not_before: Time,
    /// Validity end.
    pub not_after: Time,
    /// The subject's public key (SubjectPublicKeyInfo DER).
    pub spki: Vec<u8>,
    /// A CA (CSCA) certificate rather than a Document Signer.
    pub ca: bool,
    /// The issuer's key identifier (absent for a self-signed root).
    pub authority_key_id: Option<Vec<u8>>,
    /// Further extensions as (dotted OID, critical, extnValue content), written as given (tests
    /// use them for the off-spec extensions real certificates carry).
    pub extra_extensions: Vec<(String, bool, Vec<u8>)>,
}

/// Builds and signs an X.509 v3 certificate.
pub fn build_certificate(spec: &CertificateSpec, issuer_key: &SigningKey) -> Result<Vec<u8>> {
    let alg = issuer_key.signature_algorithm().to_algorithm_identifier();
    let ski = key_identifier(&spec.spki)?;
    let mut exts = Vec::new();
    if spec.ca {
        exts.extend(extension(
            EXT_BASIC_CONSTRAINTS,
            true,
            &asn1::sequence(&[&[0x01, 0x01, 0xFF], &asn1::encode_uint(&[0])]),
        )?);
        // keyCertSign (bit 5) and cRLSign (bit 6).
        exts.extend(extension(EXT_KEY_USAGE, true, &[0x03, 0x02, 0x01, 0x06])?);
    } else {
        // digitalSignature (bit 0).
        exts.extend(extension(EXT_KEY_USAGE, true, &[0x03, 0x02, 0x07, 0x80])?);
    }
    exts.extend(extension(EXT_SKI, false, &asn1::encode(0x04, &ski))?);
    if let Some(aki) = &spec.authority_key_id {
        exts.extend(extension(
            EXT_AKI,
            false,
            &asn1::sequence(&[&asn1::encode(0x80, aki)]),
        )?);
    }
    for (id, critical, value) in &spec.extra_extensions {
        exts.extend(extension(id, *critical, value)?);
    }
    let tbs = asn1::sequence(&[
        &asn1::encode(0xA0, &asn1::encode_uint(&[2])),
        &asn1::encode_uint(&spec.serial),
        &alg,
        &spec.issuer,
        &asn1::sequence(&[&spec.not_before.to_der(), &spec.not_after.to_der()]),
        &spec.subject,
        &spec.spki,
        &asn1::encode(0xA3, &asn1::encode(0x30, &exts)),
    ]);
    sign_structure(&tbs, &alg, issuer_key)
}

/// `SEQUENCE { tbs, algorithm, BIT STRING signature }`.
fn sign_structure(tbs: &[u8], alg: &[u8], key: &SigningKey) -> Result<Vec<u8>> {
    let sig = key.sign(tbs)?;
    let mut bits = vec![0u8];
    bits.extend(sig);
    Ok(asn1::sequence(&[tbs, alg, &asn1::encode(0x03, &bits)]))
}

/// Builds and signs a v2 CRL listing `revoked` (serial, revocation date).
pub fn build_crl(
    issuer: &[u8],
    issuer_key: &SigningKey,
    this_update: Time,
    next_update: Time,
    revoked: &[(Vec<u8>, Time)],
    crl_number: u64,
) -> Result<Vec<u8>> {
    let alg = issuer_key.signature_algorithm().to_algorithm_identifier();
    let aki = key_identifier(&issuer_key.public_spki()?)?;
    let mut parts = vec![
        asn1::encode_uint(&[1]),
        alg.clone(),
        issuer.to_vec(),
        this_update.to_der(),
        next_update.to_der(),
    ];
    if !revoked.is_empty() {
        let entries: Vec<u8> = revoked
            .iter()
            .flat_map(|(serial, when)| {
                asn1::sequence(&[&asn1::encode_uint(serial), &when.to_der()])
            })
            .collect();
        parts.push(asn1::encode(0x30, &entries));
    }
    let exts = [
        extension(
            EXT_AKI,
            false,
            &asn1::sequence(&[&asn1::encode(0x80, &aki)]),
        )?,
        extension(
            EXT_CRL_NUMBER,
            false,
            &asn1::encode_uint(&crl_number.to_be_bytes()),
        )?,
    ]
    .concat();
    parts.push(asn1::encode(0xA0, &asn1::encode(0x30, &exts)));
    let tbs = asn1::encode(0x30, &parts.concat());
    sign_structure(&tbs, &alg, issuer_key)
}
