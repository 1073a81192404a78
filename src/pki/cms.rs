//! CMS SignedData (RFC 5652 clause 5) as ICAO Doc 9303-10 clause 4.6.2 (EF.SOD) and 9303-12
//! clause 8 (master lists) use it: content, embedded certificates, signer infos with their
//! signed attributes, and the checks of one signer: content-type and message-digest
//! attributes (RFC 5652 clause 11) and the signature over the DER of the signed attributes.

use super::cert::{AlgorithmId, Certificate};
use super::name::Name;
use crate::asn1::{self, Object, tag};
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::keys::PublicKey;
use crate::crypto::signature::{SignatureAlgorithm, verify};
use crate::error::{Error, Result};
use crate::uint::strip_leading_zeros;
use der::asn1::ObjectIdentifier;
use subtle::ConstantTimeEq;

/// id-signedData.
pub const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// id-data.
pub const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
/// id-contentType attribute.
pub const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// id-messageDigest attribute.
pub const ID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// id-signingTime attribute.
pub const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");

fn err(msg: impl Into<String>) -> Error {
    Error::Asn1(format!("CMS: {}", msg.into()))
}

/// How a SignerInfo names its certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId {
    /// Issuer name and serial number.
    IssuerSerial {
        /// Issuer of the signer's certificate.
        issuer: Name,
        /// Serial number content octets.
        serial: Vec<u8>,
    },
    /// Subject key identifier.
    SubjectKeyId(Vec<u8>),
}

impl SignerId {
    /// True when `cert` is the certificate this identifier names.
    pub fn matches(&self, cert: &Certificate) -> bool {
        match self {
            SignerId::IssuerSerial { issuer, serial } => {
                cert.issuer.matches(issuer) && same_integer(&cert.serial, serial)
            }
            SignerId::SubjectKeyId(ski) => {
                cert.extensions.subject_key_id.as_deref() == Some(ski.as_slice())
            }
        }
    }
}

/// Compares two INTEGER encodings by value (ignoring leading 00 octets).
pub fn same_integer(a: &[u8], b: &[u8]) -> bool {
    strip_leading_zeros(a) == strip_leading_zeros(b)
}

/// The signed attributes of a SignerInfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedAttributes {
    /// The DER the signature covers: the `[0]` field re-tagged as SET OF (0x31).
    pub der: Vec<u8>,
    /// content-type attribute value.
    pub content_type: Option<ObjectIdentifier>,
    /// message-digest attribute value.
    pub message_digest: Option<Vec<u8>>,
    /// signing-time attribute value.
    pub signing_time: Option<crate::time::Time>,
}

/// One SignerInfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerInfo {
    /// CMSVersion.
    pub version: u64,
    /// Which certificate signed.
    pub sid: SignerId,
    /// Digest algorithm for the content and signed attributes.
    pub digest_algorithm: AlgorithmId,
    /// Signed attributes, if any.
    pub signed_attrs: Option<SignedAttributes>,
    /// Signature algorithm.
    pub signature_algorithm: AlgorithmId,
    /// Signature value.
    pub signature: Vec<u8>,
}

/// A parsed CMS SignedData.
#[derive(Clone, Debug)]
pub struct SignedData {
    /// CMSVersion.
    pub version: u64,
    /// eContentType.
    pub content_type: ObjectIdentifier,
    /// eContent octets (the OCTET STRING's content).
    pub content: Vec<u8>,
    /// Certificates carried in the SignedData.
    pub certificates: Vec<Certificate>,
    /// Raw CRLs carried in the SignedData.
    pub crls: Vec<Vec<u8>>,
    /// The signers.
    pub signer_infos: Vec<SignerInfo>,
    /// Off-spec encodings accepted outside the signed bytes (versions, digestAlgorithms,
    /// certificates that are not certificates), worded for a report.
    pub warnings: Vec<String>,
}

impl SignedData {
    /// Parses a ContentInfo holding SignedData (BER allowed, indefinite lengths included).
    pub fn parse(bytes: &[u8]) -> Result<SignedData> {
        let ci = asn1::parse_exact(bytes)?.expect(tag::SEQUENCE, "ContentInfo")?;
        let mut r = ci.reader();
        let ct = r.required("contentType")?.oid()?;
        if ct != ID_SIGNED_DATA {
            return Err(err(format!("content type {ct}, expected signedData")));
        }
        let explicit = r.required("content")?;
        if !explicit.is_context(0) {
            return Err(err("content is not [0]"));
        }
        let sd = explicit
            .reader()
            .required("SignedData")?
            .expect(tag::SEQUENCE, "SignedData")?;
        Self::parse_signed_data(&sd)
    }

    fn parse_signed_data(sd: &Object<'_>) -> Result<SignedData> {
        let mut r = sd.reader();
        let mut warnings = Vec::new();
        let version = r.required("version")?.small_uint()?;
        let digest_set = r
            .required("digestAlgorithms")?
            .expect(tag::SET, "digestAlgorithms")?;
        let mut digest_algorithms = Vec::new();
        for d in digest_set.children()? {
            match AlgorithmId::parse(&d) {
                Ok(a) => digest_algorithms.push(a),
                Err(e) => warnings.push(format!("SignedData digestAlgorithms: {e}")),
            }
        }
        let encap = r
            .required("encapContentInfo")?
            .expect(tag::SEQUENCE, "encapContentInfo")?;
        let mut er = encap.reader();
        let content_type = er.required("eContentType")?.oid()?;
        let content = match er.optional_context(0)? {
            Some(e) => e
                .reader()
                .required("eContent")?
                .octet_string()?
                .into_owned(),
            None => {
                return Err(err(
                    "no encapsulated content (detached signatures are not used here)",
                ));
            }
        };
        let mut certificates = Vec::new();
        if let Some(certs) = r.optional_context(0)? {
            for c in certs.children()? {
                if c.is(tag::SEQUENCE) {
                    certificates.push(Certificate::from_der(c.raw)?);
                } else {
                    warnings.push(format!(
                        "SignedData certificates: skipped a {} (not an X.509 certificate)",
                        c.describe()
                    ));
                }
            }
        }
        let mut crls = Vec::new();
        if let Some(list) = r.optional_context(1)? {
            crls = list.children()?.iter().map(|c| c.raw.to_vec()).collect();
        }
        let infos = r.required("signerInfos")?.expect(tag::SET, "signerInfos")?;
        let signer_infos = infos
            .children()?
            .iter()
            .map(SignerInfo::parse)
            .collect::<Result<Vec<_>>>()?;
        if signer_infos.is_empty() {
            return Err(err("no SignerInfo"));
        }
        // RFC 5652 clause 5.1: version 3 when eContentType is not id-data (every SOD and master
        // list); ICAO Doc 9303-10 clause 4.6.2.1 fixes v3 for EF.SOD.
        let expected_version = if content_type == ID_DATA { 1 } else { 3 };
        if version != expected_version && version != 3 {
            warnings.push(format!(
                "SignedData version is {version}, RFC 5652 requires {expected_version}"
            ));
        }
        if digest_algorithms.is_empty() {
            warnings.push("SignedData digestAlgorithms is empty".into());
        }
        for si in &signer_infos {
            if !digest_algorithms.is_empty()
                && !digest_algorithms
                    .iter()
                    .any(|d| d.oid == si.digest_algorithm.oid)
            {
                warnings.push(format!(
                    "SignedData digestAlgorithms does not list the signer's {}",
                    si.digest_algorithm.oid
                ));
            }
            let expected = match si.sid {
                SignerId::IssuerSerial { .. } => 1,
                SignerId::SubjectKeyId(_) => 3,
            };
            if si.version != expected {
                warnings.push(format!(
                    "SignerInfo version is {}, RFC 5652 requires {expected} for its signer identifier",
                    si.version
                ));
            }
        }
        Ok(SignedData {
            version,
            content_type,
            content,
            certificates,
            crls,
            signer_infos,
            warnings,
        })
    }

    /// The embedded certificate a signer names, if present.
    pub fn signer_certificate(&self, si: &SignerInfo) -> Option<&Certificate> {
        self.certificates.iter().find(|c| si.sid.matches(c))
    }
}

impl SignerInfo {
    fn parse(obj: &Object<'_>) -> Result<SignerInfo> {
        let mut r = obj.expect(tag::SEQUENCE, "SignerInfo")?.reader();
        let version = r.required("version")?.small_uint()?;
        let sid_obj = r.required("sid")?;
        let sid = if sid_obj.is(tag::SEQUENCE) {
            let mut sr = sid_obj.reader();
            let issuer = Name::parse(&sr.required("issuer")?)?;
            let serial = sr.required("serialNumber")?.integer_bytes()?.to_vec();
            SignerId::IssuerSerial { issuer, serial }
        } else if sid_obj.is_context(0) {
            SignerId::SubjectKeyId(sid_obj.value.to_vec())
        } else {
            return Err(err(format!("signer identifier is {}", sid_obj.describe())));
        };
        let digest_algorithm = AlgorithmId::parse(&r.required("digestAlgorithm")?)?;
        let signed_attrs = r
            .optional_context(0)?
            .map(|a| SignedAttributes::parse(&a))
            .transpose()?;
        let signature_algorithm = AlgorithmId::parse(&r.required("signatureAlgorithm")?)?;
        let signature = r.required("signature")?.octet_string()?.into_owned();
        Ok(SignerInfo {
            version,
            sid,
            digest_algorithm,
            signed_attrs,
            signature_algorithm,
            signature,
        })
    }

    /// The digest algorithm.
    pub fn hash(&self) -> Result<HashAlgorithm> {
        HashAlgorithm::from_oid(&self.digest_algorithm.oid).ok_or_else(|| {
            err(format!(
                "unsupported digest algorithm {}",
                self.digest_algorithm.oid
            ))
        })
    }

    /// The signature algorithm; a bare `rsaEncryption` or `id-ecPublicKey` (seen on documents)
    /// takes the digest algorithm's hash.
    pub fn signature_algorithm(&self) -> Result<SignatureAlgorithm> {
        let oid = self.signature_algorithm.oid.to_string();
        let hash = self.hash()?;
        match oid.as_str() {
            "1.2.840.113549.1.1.1" => Ok(SignatureAlgorithm::RsaPkcs1(hash)),
            "1.2.840.10045.2.1" => Ok(SignatureAlgorithm::Ecdsa(hash)),
            _ => SignatureAlgorithm::from_algorithm_identifier(
                &self.signature_algorithm.oid,
                self.signature_algorithm.parameters.as_deref(),
            ),
        }
    }
}

impl SignedAttributes {
    fn parse(obj: &Object<'_>) -> Result<SignedAttributes> {
        // The signature covers the attributes encoded as SET OF with DER lengths.
        let mut der = asn1::to_der(obj.raw)?;
        if let Some(first) = der.first_mut() {
            *first = 0x31;
        }
        let mut attrs = SignedAttributes {
            der,
            content_type: None,
            message_digest: None,
            signing_time: None,
        };
        for a in obj.children()? {
            let mut ar = a.expect(tag::SEQUENCE, "Attribute")?.reader();
            let oid = ar.required("attrType")?.oid()?;
            let values = ar.required("attrValues")?.expect(tag::SET, "attrValues")?;
            let Some(value) = values.reader().next()? else {
                return Err(err(format!("attribute {oid} has no value")));
            };
            if oid == ID_CONTENT_TYPE {
                attrs.content_type = Some(value.oid()?);
            } else if oid == ID_MESSAGE_DIGEST {
                attrs.message_digest = Some(value.octet_string()?.into_owned());
            } else if oid == ID_SIGNING_TIME {
                attrs.signing_time = Some(value.time()?);
            }
        }
        Ok(attrs)
    }
}

/// The outcome of checking one signer of a SignedData.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerCheck {
    /// The content-type attribute equals eContentType (`Err` says why not).
    pub content_type: std::result::Result<(), String>,
    /// The message-digest attribute equals the digest of the content.
    pub message_digest: std::result::Result<(), String>,
    /// The signature verifies under the signer's key.
    pub signature: std::result::Result<(), String>,
}

impl SignerCheck {
    /// All three checks passed.
    pub fn ok(&self) -> bool {
        self.content_type.is_ok() && self.message_digest.is_ok() && self.signature.is_ok()
    }
}

/// Checks a signer of `sd` with the signer's public key.
pub fn check_signer(sd: &SignedData, si: &SignerInfo, key: &PublicKey) -> SignerCheck {
    let Some(attrs) = &si.signed_attrs else {
        // Without signed attributes the signature is over the content itself.
        let signature = si
            .signature_algorithm()
            .and_then(|alg| verify(key, &alg, &sd.content, &si.signature))
            .map_err(|e| e.to_string());
        let none = Err("no signed attributes".to_string());
        return SignerCheck {
            content_type: none.clone(),
            message_digest: none,
            signature,
        };
    };
    let content_type = match attrs.content_type {
        Some(ct) if ct == sd.content_type => Ok(()),
        Some(ct) => Err(format!(
            "content-type attribute {ct} differs from eContentType {}",
            sd.content_type
        )),
        None => Err("no content-type attribute".into()),
    };
    let message_digest = match (&attrs.message_digest, si.hash()) {
        (Some(md), Ok(h)) => {
            if bool::from(h.digest(&sd.content).ct_eq(md)) {
                Ok(())
            } else {
                Err(format!(
                    "message-digest attribute is not the {} of the content",
                    h.name()
                ))
            }
        }
        (None, _) => Err("no message-digest attribute".into()),
        (_, Err(e)) => Err(e.to_string()),
    };
    let signature = si
        .signature_algorithm()
        .and_then(|alg| verify(key, &alg, &attrs.der, &si.signature))
        .map_err(|e| e.to_string());
    SignerCheck {
        content_type,
        message_digest,
        signature,
    }
}
