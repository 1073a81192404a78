//! EF.SOD, the Document Security Object (ICAO Doc 9303-10 clause 4.6.2): tag 77 around a CMS
//! SignedData whose content is the LDSSecurityObject (versions 0 and 1, 9303-10 Appendix D) with
//! one hash per data group.
//!
//! `DataGroupNumber ::= INTEGER { dataGroup1(1), ..., dataGroup16(16) }`. Some national ID cards
//! write instead the byte READ BINARY uses to select a data group by short file identifier
//! (bit 8 set and the SFI, 9303-10 clause 3.11.2: `0x81` for DG1 up to `0x90` for DG16) as a
//! one-byte INTEGER, which DER reads as the negative numbers -127 to -112. The parser maps those
//! to the data group they name and says so in [`LdsSecurityObject::warnings`]; any other number is
//! an error.

use crate::asn1::{self, tag};
use crate::crypto::hash::HashAlgorithm;
use crate::error::{Error, Result};
use crate::pki::cms::{ID_DATA, SignedData};
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
    /// Off-spec encodings accepted while parsing (empty for a conforming object).
    pub warnings: Vec<String>,
}

/// The data group a DataGroupNumber INTEGER names (its content octets), and whether it was
/// written in the off-spec SFI form (see the module documentation).
pub fn data_group_number(content: &[u8]) -> Option<(u8, bool)> {
    match content {
        [n @ 1..=16] => Some((*n, false)),
        [b @ 0x81..=0x90] => Some((b & 0x7F, true)),
        _ => None,
    }
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
        let mut warnings = Vec::new();
        for dgh in r
            .required("dataGroupHashValues")?
            .expect(tag::SEQUENCE, "dataGroupHashValues")?
            .children()?
        {
            let mut dr = dgh.expect(tag::SEQUENCE, "DataGroupHash")?.reader();
            let number = dr.required("dataGroupNumber")?;
            let content = number.integer_bytes()?;
            let (n, sfi_form) = data_group_number(content).ok_or_else(|| {
                err(format!(
                    "data group number {} (INTEGER {}) is not 1 to 16",
                    crate::asn1::signed_display(content),
                    hex::encode_upper(content)
                ))
            })?;
            if sfi_form {
                warnings.push(format!(
                    "data group number written as INTEGER {} ({}), the short file identifier \
                     byte of DG{n}, instead of {n}",
                    hex::encode_upper(content),
                    crate::asn1::signed_display(content),
                ));
            }
            let value = dr
                .required("dataGroupHashValue")?
                .octet_string()?
                .into_owned();
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
            warnings,
        })
    }

    /// Encodes as DER (the issuer side).
    pub fn encode(&self) -> Vec<u8> {
        self.encode_numbers(false)
    }

    /// Encodes with the data group numbers in the off-spec short file identifier form
    /// (`0x81`..`0x90`) some real cards use: for tests of readers only, never for issuance.
    pub fn encode_with_sfi_numbers(&self) -> Vec<u8> {
        self.encode_numbers(true)
    }

    fn encode_numbers(&self, sfi_form: bool) -> Vec<u8> {
        let groups: Vec<u8> = self
            .hashes
            .iter()
            .flat_map(|(n, h)| {
                let number = if sfi_form {
                    asn1::encode(0x02, &[0x80 | n])
                } else {
                    asn1::encode_uint(&[*n])
                };
                asn1::sequence(&[&number, &asn1::encode(0x04, h)])
            })
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
