//! X.509 v3 certificates (RFC 5280 clause 4) in the profile of ICAO Doc 9303-12 clause 7
//! (CSCA, link and Document Signer certificates): a lenient BER parse through
//! [`crate::asn1`] that keeps the exact bytes signatures are computed over, the extensions
//! the eMRTD PKI uses (clause 7.1.1: key identifiers, basic constraints, key usage, private key
//! usage period, the document type list of clause 7.1.1.3), and PEM input (RFC 7468).
//!
//! Parsing is strict where meaning is at stake (the inner and outer signature algorithms must
//! agree, no trailing bytes, no duplicate extensions) and records critical extensions it does not
//! understand in [`Extensions::unknown_critical`] so that path validation can fail closed.

use crate::asn1::{self, Object, tag};
use crate::error::{Error, Result};
use crate::pki::name::Name;
use crate::time::Time;
use crate::uint::strip_leading_zeros_keep_one;
use der::asn1::ObjectIdentifier;
use sha2::{Digest, Sha256};

fn err(msg: impl Into<String>) -> Error {
    Error::Asn1(msg.into())
}

/// Parses exactly one object (no trailing bytes at all).
pub(crate) fn single<'a>(bytes: &'a [u8], what: &str) -> Result<Object<'a>> {
    let (obj, rest) = asn1::parse(bytes).map_err(|e| err(format!("{what}: {e}")))?;
    if !rest.is_empty() {
        return Err(err(format!("{what}: {} bytes after it", rest.len())));
    }
    Ok(obj)
}

/// An `AlgorithmIdentifier` (RFC 5280 clause 4.1.1.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlgorithmId {
    /// The algorithm.
    pub oid: ObjectIdentifier,
    /// The raw encoding of the parameters object, `None` if absent.
    pub parameters: Option<Vec<u8>>,
}

impl AlgorithmId {
    /// Parses `SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
    pub fn parse(obj: &Object<'_>) -> Result<AlgorithmId> {
        let seq = obj.expect(tag::SEQUENCE, "AlgorithmIdentifier")?;
        let mut r = seq.reader();
        let oid = r.required("algorithm")?.oid()?;
        let parameters = r.next()?.map(|p| p.raw.to_vec());
        if !r.is_empty() {
            return Err(err("AlgorithmIdentifier has more than two elements"));
        }
        Ok(AlgorithmId { oid, parameters })
    }

    /// True when the parameters are absent or NULL.
    pub fn has_no_parameters(&self) -> bool {
        matches!(self.parameters.as_deref(), None | Some([0x05, 0x00]))
    }

    /// The same algorithm with the same parameters, absent and NULL counting as equal.
    pub fn same_as(&self, other: &AlgorithmId) -> bool {
        self.oid == other.oid
            && (self.parameters == other.parameters
                || (self.has_no_parameters() && other.has_no_parameters()))
    }

    /// The DER encoding.
    pub fn to_der(&self) -> Vec<u8> {
        let oid = asn1::encode_oid(&self.oid);
        asn1::sequence(&[&oid, self.parameters.as_deref().unwrap_or_default()])
    }
}

impl std::fmt::Display for AlgorithmId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.oid)
    }
}

/// Basic constraints (RFC 5280 clause 4.2.1.9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BasicConstraints {
    /// The subject is a CA.
    pub ca: bool,
    /// The path length constraint.
    pub path_len: Option<u64>,
}

/// Key usage bits (RFC 5280 clause 4.2.1.3): the first octet of the BIT STRING in the low byte
/// (`digitalSignature` = 0x80 ... `encipherOnly` = 0x01), `decipherOnly` = 0x8000.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature (bit 0).
    pub const DIGITAL_SIGNATURE: u16 = 0x80;
    /// nonRepudiation / contentCommitment (bit 1).
    pub const NON_REPUDIATION: u16 = 0x40;
    /// keyEncipherment (bit 2).
    pub const KEY_ENCIPHERMENT: u16 = 0x20;
    /// dataEncipherment (bit 3).
    pub const DATA_ENCIPHERMENT: u16 = 0x10;
    /// keyAgreement (bit 4).
    pub const KEY_AGREEMENT: u16 = 0x08;
    /// keyCertSign (bit 5).
    pub const KEY_CERT_SIGN: u16 = 0x04;
    /// cRLSign (bit 6).
    pub const CRL_SIGN: u16 = 0x02;
    /// encipherOnly (bit 7).
    pub const ENCIPHER_ONLY: u16 = 0x01;
    /// decipherOnly (bit 8).
    pub const DECIPHER_ONLY: u16 = 0x8000;

    /// True when all bits of `mask` are set.
    pub fn has(self, mask: u16) -> bool {
        self.0 & mask == mask
    }
    /// keyCertSign: may sign certificates (CSCA).
    pub fn key_cert_sign(self) -> bool {
        self.has(Self::KEY_CERT_SIGN)
    }
    /// cRLSign: may sign CRLs (CSCA).
    pub fn crl_sign(self) -> bool {
        self.has(Self::CRL_SIGN)
    }
    /// digitalSignature: may sign data such as an SOD (Document Signer).
    pub fn digital_signature(self) -> bool {
        self.has(Self::DIGITAL_SIGNATURE)
    }

    fn parse(obj: &Object<'_>) -> Result<KeyUsage> {
        let bits = obj.bit_string()?;
        let unused = obj.value.first().copied().unwrap_or(0);
        let mut b0 = bits.first().copied().unwrap_or(0);
        let mut b1 = bits.get(1).copied().unwrap_or(0);
        let mask = 0xFFu8.checked_shl(u32::from(unused)).unwrap_or(0);
        match bits.len() {
            1 => b0 &= mask,
            2 => b1 &= mask,
            _ => {}
        }
        Ok(KeyUsage(u16::from(b0) | (u16::from(b1) << 8)))
    }
}

/// OIDs of the extensions read here.
pub mod oid {
    use der::asn1::ObjectIdentifier;
    /// id-ce-subjectKeyIdentifier
    pub const SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
    /// id-ce-keyUsage
    pub const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
    /// id-ce-privateKeyUsagePeriod
    pub const PRIVATE_KEY_USAGE_PERIOD: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.16");
    /// id-ce-subjectAltName
    pub const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
    /// id-ce-issuerAltName
    pub const ISSUER_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.18");
    /// id-ce-basicConstraints
    pub const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
    /// id-ce-cRLNumber
    pub const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
    /// id-ce-cRLDistributionPoints
    pub const CRL_DISTRIBUTION_POINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");
    /// id-ce-certificatePolicies
    pub const CERTIFICATE_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
    /// id-ce-authorityKeyIdentifier
    pub const AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
    /// id-icao-mrtd-security-extensions-nameChange (ICAO 9303-12 clause 7.1.1.3)
    pub const NAME_CHANGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.6.1");
    /// id-icao-mrtd-security-extensions-documentTypeList (ICAO 9303-12 clause 7.1.1.3)
    pub const DOCUMENT_TYPE_LIST: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.23.136.1.1.6.2");
}

/// Extensions that carry no constraint this crate must enforce, so a critical one is not
/// "unknown" (alternative names, distribution points, policies, the ICAO name change flag).
const HARMLESS: &[ObjectIdentifier] = &[
    oid::SUBJECT_ALT_NAME,
    oid::ISSUER_ALT_NAME,
    oid::CRL_DISTRIBUTION_POINTS,
    oid::CERTIFICATE_POLICIES,
    oid::NAME_CHANGE,
];

/// One `Extension`: OID, criticality, the content of `extnValue`.
pub(crate) type RawExtension = (ObjectIdentifier, bool, Vec<u8>);

/// Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`; duplicates are an error
/// (RFC 5280 clause 4.2).
pub(crate) fn extension_list(obj: &Object<'_>) -> Result<Vec<RawExtension>> {
    let seq = obj.expect(tag::SEQUENCE, "Extensions")?;
    let mut out: Vec<RawExtension> = Vec::new();
    for ext in seq.children()? {
        let ext = ext.expect(tag::SEQUENCE, "Extension")?;
        let mut r = ext.reader();
        let id = r.required("extnID")?.oid()?;
        let critical = match r.optional(tag::BOOLEAN)? {
            Some(b) => b.boolean()?,
            None => false,
        };
        let value = r.required("extnValue")?.octet_string()?.into_owned();
        if !r.is_empty() {
            return Err(err(format!("extension {id} has extra elements")));
        }
        if out.iter().any(|(o, _, _)| *o == id) {
            return Err(err(format!("extension {id} appears twice")));
        }
        out.push((id, critical, value));
    }
    Ok(out)
}

/// The keyIdentifier of an AuthorityKeyIdentifier extension value (RFC 5280 clause 4.2.1.1).
pub(crate) fn parse_authority_key_id(value: &[u8]) -> Result<Option<Vec<u8>>> {
    let seq = single(value, "AuthorityKeyIdentifier")?.expect(tag::SEQUENCE, "AKI")?;
    let mut r = seq.reader();
    match r.optional_context(0)? {
        Some(k) if !k.constructed => Ok(Some(k.value.to_vec())),
        Some(_) => Err(err("AuthorityKeyIdentifier keyIdentifier is constructed")),
        None => Ok(None),
    }
}

/// A `[n] IMPLICIT GeneralizedTime`.
fn implicit_time(obj: &Object<'_>) -> Result<Time> {
    let text = std::str::from_utf8(obj.value).map_err(|_| err("time is not ASCII"))?;
    Time::parse_generalized(text)
}

/// The extensions of a certificate that the eMRTD PKI uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extensions {
    /// subjectKeyIdentifier.
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier's keyIdentifier.
    pub authority_key_id: Option<Vec<u8>>,
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// privateKeyUsagePeriod (notBefore, notAfter).
    pub private_key_usage_period: Option<(Option<Time>, Option<Time>)>,
    /// ICAO documentTypeList: the document types (e.g. `P`, `ID`) a Document Signer may sign.
    pub document_types: Option<Vec<String>>,
    /// Critical extensions not understood here, or that do not parse: a verifier must reject
    /// the certificate.
    pub unknown_critical: Vec<ObjectIdentifier>,
    /// Non-critical extensions whose content does not parse, kept raw.
    pub unparsed: Vec<RawExtension>,
    /// What was off-spec in the extensions, worded for a report.
    pub warnings: Vec<String>,
}

impl Extensions {
    /// Parses the `Extensions` SEQUENCE of a certificate. An extension whose content does not
    /// parse is kept raw in [`Extensions::unparsed`] with a warning when it is non-critical (RFC
    /// 5280 clause 4.2 lets a verifier ignore those), and listed in
    /// [`Extensions::unknown_critical`] when it is critical, so the chain fails.
    pub fn parse(obj: &Object<'_>) -> Result<Extensions> {
        let mut out = Extensions::default();
        for (id, critical, value) in extension_list(obj)? {
            match out.parse_one(&id, critical, &value) {
                Ok(()) => {}
                Err(e) if critical => {
                    out.warnings.push(format!(
                        "critical extension {} does not parse: {e}",
                        extension_name(&id)
                    ));
                    out.unknown_critical.push(id);
                }
                Err(e) => {
                    out.warnings.push(format!(
                        "non-critical extension {} does not parse ({e}); kept raw and ignored",
                        extension_name(&id)
                    ));
                    out.unparsed.push((id, critical, value));
                }
            }
        }
        Ok(out)
    }

    fn parse_one(&mut self, id: &ObjectIdentifier, critical: bool, value: &[u8]) -> Result<()> {
        let what = format!("extension {id}");
        if *id == oid::SUBJECT_KEY_ID {
            let o = single(value, &what)?;
            self.subject_key_id = Some(o.octet_string()?.into_owned());
        } else if *id == oid::AUTHORITY_KEY_ID {
            self.authority_key_id = parse_authority_key_id(value)?;
        } else if *id == oid::BASIC_CONSTRAINTS {
            let seq = single(value, &what)?.expect(tag::SEQUENCE, &what)?;
            let mut r = seq.reader();
            let ca = match r.optional(tag::BOOLEAN)? {
                Some(b) => b.boolean()?,
                None => false,
            };
            let path_len = match r.optional(tag::INTEGER)? {
                Some(i) => Some(i.small_uint()?),
                None => None,
            };
            if !r.is_empty() {
                return Err(err("basicConstraints has extra elements"));
            }
            self.basic_constraints = Some(BasicConstraints { ca, path_len });
        } else if *id == oid::KEY_USAGE {
            self.key_usage = Some(KeyUsage::parse(&single(value, &what)?)?);
        } else if *id == oid::PRIVATE_KEY_USAGE_PERIOD {
            let seq = single(value, &what)?.expect(tag::SEQUENCE, &what)?;
            let mut r = seq.reader();
            let nb = r
                .optional_context(0)?
                .map(|o| implicit_time(&o))
                .transpose()?;
            let na = r
                .optional_context(1)?
                .map(|o| implicit_time(&o))
                .transpose()?;
            if !r.is_empty() {
                return Err(err("privateKeyUsagePeriod has extra elements"));
            }
            self.private_key_usage_period = Some((nb, na));
        } else if *id == oid::DOCUMENT_TYPE_LIST {
            self.document_types = Some(parse_document_types(value)?);
        } else if critical && !HARMLESS.contains(id) {
            self.unknown_critical.push(*id);
        }
        Ok(())
    }
}

/// `DocumentTypeListSyntax ::= SEQUENCE { version DocumentTypeListVersion, docTypeList SET OF
/// DocumentType }` (ICAO Doc 9303-12 clause 7.1.1.3), each type a PrintableString.
fn parse_document_types(value: &[u8]) -> Result<Vec<String>> {
    let what = "documentTypeList";
    let seq = single(value, what)?.expect(tag::SEQUENCE, what)?;
    let mut r = seq.reader();
    r.required("documentTypeList version")?.small_uint()?;
    let set = r.required("docTypeList")?.expect(tag::SET, "docTypeList")?;
    if !r.is_empty() {
        return Err(err("documentTypeList has extra elements"));
    }
    set.children()?.iter().map(|t| t.string()).collect()
}

/// A readable name for the extensions this module knows, else the dotted OID.
fn extension_name(id: &ObjectIdentifier) -> String {
    let name = match *id {
        oid::SUBJECT_KEY_ID => "subjectKeyIdentifier",
        oid::AUTHORITY_KEY_ID => "authorityKeyIdentifier",
        oid::BASIC_CONSTRAINTS => "basicConstraints",
        oid::KEY_USAGE => "keyUsage",
        oid::PRIVATE_KEY_USAGE_PERIOD => "privateKeyUsagePeriod",
        oid::DOCUMENT_TYPE_LIST => "ICAO documentTypeList",
        _ => return id.to_string(),
    };
    format!("{name} ({id})")
}

/// An X.509 certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// The whole encoding as found.
    pub raw: Vec<u8>,
    /// The tbsCertificate exactly as encoded: the signature is over these bytes.
    pub tbs: Vec<u8>,
    /// The X.509 version as people count it: 1, 2 or 3 (the encoded value plus one).
    pub version: u8,
    /// The serialNumber INTEGER's content octets as encoded.
    pub serial: Vec<u8>,
    /// The outer signatureAlgorithm (equal to the one inside tbsCertificate).
    pub signature_algorithm: AlgorithmId,
    /// Issuer.
    pub issuer: Name,
    /// Start of validity.
    pub not_before: Time,
    /// End of validity.
    pub not_after: Time,
    /// Subject.
    pub subject: Name,
    /// The SubjectPublicKeyInfo encoding.
    pub spki: Vec<u8>,
    /// The signatureValue BIT STRING's bits.
    pub signature: Vec<u8>,
    /// Extensions (all empty for v1/v2 certificates).
    pub extensions: Extensions,
    /// What was off-spec but accepted (extensions that do not parse, a signature BIT STRING with
    /// unused bits), worded for a report.
    pub warnings: Vec<String>,
}

impl Certificate {
    /// Parses one certificate (BER accepted); bytes after it are an error.
    pub fn from_der(bytes: &[u8]) -> Result<Certificate> {
        let obj = single(bytes, "Certificate")?.expect(tag::SEQUENCE, "Certificate")?;
        let mut r = obj.reader();
        let tbs = r.required("tbsCertificate")?;
        let tbs = tbs.expect(tag::SEQUENCE, "tbsCertificate")?;
        let signature_algorithm = AlgorithmId::parse(&r.required("signatureAlgorithm")?)?;
        let signature_obj = r.required("signatureValue")?;
        let signature = signature_obj.bit_string()?.to_vec();
        let mut warnings = Vec::new();
        if let Some(&unused) = signature_obj.value.first()
            && unused != 0
        {
            warnings.push(format!(
                "signatureValue BIT STRING declares {unused} unused bits (should be 0)"
            ));
        }
        if !r.is_empty() {
            return Err(err("Certificate has elements after signatureValue"));
        }

        let mut t = tbs.reader();
        let version = match t.optional_context(0)? {
            Some(v) => match single(v.value, "version")?.small_uint()? {
                n @ 0..=2 => n as u8 + 1,
                n => return Err(err(format!("unknown certificate version {n}"))),
            },
            None => 1,
        };
        let serial = t.required("serialNumber")?.integer_bytes()?.to_vec();
        let inner = AlgorithmId::parse(&t.required("signature")?)?;
        if !inner.same_as(&signature_algorithm) {
            return Err(err(format!(
                "signature algorithm {inner} in tbsCertificate differs from {signature_algorithm}"
            )));
        }
        let issuer = Name::parse(&t.required("issuer")?)?;
        if issuer.attributes.is_empty() {
            return Err(err("empty issuer name"));
        }
        let validity = t.required("validity")?;
        let mut v = validity.expect(tag::SEQUENCE, "validity")?.reader();
        let not_before = v.required("notBefore")?.time()?;
        let not_after = v.required("notAfter")?.time()?;
        if !v.is_empty() {
            return Err(err("validity has extra elements"));
        }
        let subject = Name::parse(&t.required("subject")?)?;
        let spki = t.required("subjectPublicKeyInfo")?;
        spki_parts(spki.raw)?;
        t.optional_context(1)?;
        t.optional_context(2)?;
        let extensions = match t.optional_context(3)? {
            Some(_) if version != 3 => {
                return Err(err(format!(
                    "extensions in a version {version} certificate"
                )));
            }
            Some(e) => Extensions::parse(&single(e.value, "extensions")?)?,
            None => Extensions::default(),
        };
        if !t.is_empty() {
            return Err(err("tbsCertificate has unexpected trailing elements"));
        }
        warnings.extend(extensions.warnings.iter().cloned());
        Ok(Certificate {
            raw: obj.raw.to_vec(),
            tbs: tbs.raw.to_vec(),
            version,
            serial,
            signature_algorithm,
            issuer,
            not_before,
            not_after,
            subject,
            spki: spki.raw.to_vec(),
            signature,
            extensions,
            warnings,
        })
    }

    /// Parses PEM (one or more `CERTIFICATE` blocks) or a single DER/BER certificate.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Vec<Certificate>> {
        if crate::crypto::pem::looks_like_pem(bytes) {
            crate::crypto::pem::pem_blocks(bytes, "CERTIFICATE")?
                .iter()
                .map(|der| Certificate::from_der(der))
                .collect()
        } else {
            Ok(vec![Certificate::from_der(bytes)?])
        }
    }

    /// True when the issuer name matches the subject name (self-issued; a CSCA root, not a link
    /// certificate). Says nothing about the signature.
    pub fn is_self_signed_name(&self) -> bool {
        self.issuer.matches(&self.subject)
    }

    /// True when basicConstraints says CA.
    pub fn is_ca(&self) -> bool {
        self.extensions.basic_constraints.is_some_and(|b| b.ca)
    }

    /// SHA-256 of the whole encoding.
    pub fn fingerprint(&self) -> [u8; 32] {
        Sha256::digest(&self.raw).into()
    }

    /// True when `t` lies within notBefore..=notAfter.
    pub fn valid_at(&self, t: Time) -> bool {
        self.not_before <= t && t <= self.not_after
    }

    /// The subject's country, else the issuer's.
    pub fn country(&self) -> Option<&str> {
        self.subject.country().or_else(|| self.issuer.country())
    }

    /// The serial number in upper-case hex without leading zero sign octets (as `openssl x509
    /// -serial` prints it).
    pub fn serial_hex(&self) -> String {
        hex::encode_upper(strip_leading_zeros_keep_one(&self.serial))
    }

    /// A short human description: the subject CN (or the whole subject) and the serial.
    pub fn describe(&self) -> String {
        match self.subject.common_name() {
            Some(cn) => format!("{cn} (serial {})", self.serial_hex()),
            None => format!("{} (serial {})", self.subject, self.serial_hex()),
        }
    }

    /// The subject public key's algorithm.
    pub fn public_key_algorithm(&self) -> Result<AlgorithmId> {
        Ok(spki_parts(&self.spki)?.0)
    }

    /// The subject public key's bits (e.g. an uncompressed EC point or an RSAPublicKey).
    pub fn public_key_bits(&self) -> Result<&[u8]> {
        Ok(spki_parts(&self.spki)?.1)
    }
}

/// Splits `SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }`.
pub fn spki_parts(spki: &[u8]) -> Result<(AlgorithmId, &[u8])> {
    let seq = single(spki, "SubjectPublicKeyInfo")?.expect(tag::SEQUENCE, "SPKI")?;
    let mut r = seq.reader();
    let alg = AlgorithmId::parse(&r.required("SPKI algorithm")?)?;
    let key = r.required("subjectPublicKey")?.bit_string()?;
    if !r.is_empty() {
        return Err(err("SubjectPublicKeyInfo has extra elements"));
    }
    Ok((alg, key))
}

impl serde::Serialize for Certificate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Certificate", 7)?;
        st.serialize_field("subject", &self.subject.to_string())?;
        st.serialize_field("issuer", &self.issuer.to_string())?;
        st.serialize_field("serial", &self.serial_hex())?;
        st.serialize_field("not_before", &self.not_before)?;
        st.serialize_field("not_after", &self.not_after)?;
        st.serialize_field("signature_algorithm", &self.signature_algorithm.to_string())?;
        st.serialize_field("sha256", &hex::encode(self.fingerprint()))?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_masks_unused_bits() {
        let ku = KeyUsage::parse(&single(&[0x03, 0x02, 0x01, 0x87], "ku").unwrap()).unwrap();
        assert_eq!(ku.0, 0x86);
        let two = [0x03, 0x03, 0x07, 0x80, 0x80];
        assert_eq!(
            KeyUsage::parse(&single(&two, "ku").unwrap()).unwrap().0,
            0x8080
        );
    }
}
