//! EF.SOD, the Document Security Object (ICAO Doc 9303-10 clause 4.6.2): tag 77 around a CMS
//! SignedData whose content is the LDSSecurityObject (versions 0 and 1, 9303-10 Appendix D) with
//! one hash per data group.

use crate::error::{Error, Result};
use crate::pki::asn1::{self, tag};
use crate::pki::cms::{ID_DATA, SignedData};
use crate::pki::hash::HashAlgorithm;
use crate::tlv::Tlv;
use der::asn1::ObjectIdentifier;
use std::collections::BTreeMap;

/// id-icao-mrtd-security-ldsSecurityObject.
pub const ID_LDS_SECURITY_OBJECT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.1");

/// The LDSSecurityObject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LdsSecurityObject {
    /// 0 (LDS 1.7) or 1 (LDS 1.8, with version info).
    pub version: u64,
    /// The hash algorithm of the data group hashes.
    pub hash: HashAlgorithm,
    /// Data group number to hash value.
    pub hashes: BTreeMap<u8, Vec<u8>>,
    /// LDS version from LDSVersionInfo (v1), e.g. "0108".
    pub lds_version: Option<String>,
    /// Unicode version from LDSVersionInfo (v1).
    pub unicode_version: Option<String>,
}

/// A parsed EF.SOD.
#[derive(Clone, Debug)]
pub struct Sod {
    /// The CMS SignedData.
    pub signed: SignedData,
    /// Its content.
    pub lds: LdsSecurityObject,
}

fn err(msg: impl Into<String>) -> Error {
    Error::Lds(format!("EF.SOD: {}", msg.into()))
}

impl Sod {
    /// Parses EF.SOD: tag 77 (or a bare ContentInfo), SignedData, LDSSecurityObject.
    pub fn parse(bytes: &[u8]) -> Result<Sod> {
        let inner = match bytes.first() {
            Some(0x77) => Tlv::parse(bytes)?.0.value,
            Some(_) => bytes,
            None => return Err(err("empty file")),
        };
        let signed = SignedData::parse(inner)?;
        if signed.content_type != ID_LDS_SECURITY_OBJECT && signed.content_type != ID_DATA {
            return Err(err(format!(
                "eContentType {} is not ldsSecurityObject",
                signed.content_type
            )));
        }
        let lds = LdsSecurityObject::parse(&signed.content)?;
        Ok(Sod { signed, lds })
    }
}

impl LdsSecurityObject {
    /// Parses the DER of an LDSSecurityObject.
    pub fn parse(bytes: &[u8]) -> Result<LdsSecurityObject> {
        let seq = asn1::parse_exact(bytes)?.expect(tag::SEQUENCE, "LDSSecurityObject")?;
        let mut r = seq.reader();
        let version = r.required("version")?.small_uint()?;
        if version > 1 {
            return Err(err(format!("LDSSecurityObject version {version}")));
        }
        let alg = r
            .required("hashAlgorithm")?
            .expect(tag::SEQUENCE, "hashAlgorithm")?;
        let oid = alg.reader().required("algorithm")?.oid()?;
        let hash = HashAlgorithm::from_oid(&oid)
            .ok_or_else(|| err(format!("unsupported hash algorithm {oid}")))?;
        let mut hashes = BTreeMap::new();
        for dgh in r
            .required("dataGroupHashValues")?
            .expect(tag::SEQUENCE, "dataGroupHashValues")?
            .children()?
        {
            let mut dr = dgh.expect(tag::SEQUENCE, "DataGroupHash")?.reader();
            let n = dr.required("dataGroupNumber")?.small_uint()?;
            let value = dr
                .required("dataGroupHashValue")?
                .octet_string()?
                .into_owned();
            let n = u8::try_from(n)
                .ok()
                .filter(|n| (1..=16).contains(n))
                .ok_or_else(|| err(format!("data group number {n}")))?;
            if value.len() != hash.output_len() {
                return Err(err(format!(
                    "DG{n} hash has {} bytes, {} gives {}",
                    value.len(),
                    hash.name(),
                    hash.output_len()
                )));
            }
            if hashes.insert(n, value).is_some() {
                return Err(err(format!("DG{n} is hashed twice")));
            }
        }
        let (mut lds_version, mut unicode_version) = (None, None);
        if let Some(info) = r.optional(tag::SEQUENCE)? {
            let mut ir = info.reader();
            lds_version = Some(ir.required("ldsVersion")?.string()?);
            unicode_version = Some(ir.required("unicodeVersion")?.string()?);
        }
        Ok(LdsSecurityObject {
            version,
            hash,
            hashes,
            lds_version,
            unicode_version,
        })
    }

    /// Encodes as DER (the issuer side).
    pub fn encode(&self) -> Vec<u8> {
        let groups: Vec<u8> = self
            .hashes
            .iter()
            .flat_map(|(n, h)| asn1::sequence(&[&asn1::encode_uint(&[*n]), &asn1::encode(0x04, h)]))
            .collect();
        let alg = asn1::sequence(&[&asn1::encode_oid(&self.hash.oid())]);
        let mut parts = vec![
            asn1::encode_uint(&[self.version as u8]),
            alg,
            asn1::encode(0x30, &groups),
        ];
        if let (Some(l), Some(u)) = (&self.lds_version, &self.unicode_version) {
            parts.push(asn1::sequence(&[
                &asn1::encode(0x13, l.as_bytes()),
                &asn1::encode(0x13, u.as_bytes()),
            ]));
        }
        asn1::encode(0x30, &parts.concat())
    }
}
