//! Document signing (ICAO Doc 9303-10 clause 4.6.2, 9303-12 clause 7.2; RFC 5652 clause 5):
//! hashes the data groups into an LDSSecurityObject and wraps it in a CMS SignedData signed by
//! the Document Signer, with content-type, signing-time and message-digest attributes and the
//! DSC embedded; EF.SOD is that ContentInfo under tag 77. EF.CardSecurity is the same
//! SignedData around SecurityInfos (9303-11 clause 9.2.2).

use crate::asn1;
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::signing_key::SigningKey;
use crate::error::Result;
use crate::lds::sod::{ID_LDS_SECURITY_OBJECT, LdsSecurityObject};
use crate::pki::cert::Certificate;
use crate::pki::cms::{
    ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA, ID_SIGNING_TIME,
};
use crate::time::Time;
use std::collections::BTreeMap;

/// What goes into an SOD besides the data groups.
#[derive(Clone, Debug)]
pub struct SodOptions {
    /// The signing-time attribute.
    pub signing_time: Time,
    /// LDS and Unicode versions for an LDSSecurityObject v1 (`("0108", "040000")`); `None`
    /// writes v0.
    pub versions: Option<(String, String)>,
    /// Hash of the data groups and of the content (default: the signature's hash).
    pub digest: Option<HashAlgorithm>,
    /// Name the signer by subject key identifier (SignerInfo v3) instead of issuer and serial.
    pub signer_by_key_id: bool,
    /// Declare the content as id-data, as some states' SODs do, instead of ldsSecurityObject.
    pub content_type_data: bool,
    /// Off-spec encodings seen on real documents, to test readers against; all off by default.
    pub quirks: SodQuirks,
}

/// Off-spec encodings some issuing states' SODs carry. dactyl never writes them for a real
/// document; tests use them to check that Passive Authentication accepts what real documents need
/// and says what is off-spec.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SodQuirks {
    /// Leave out the (optional) signing-time attribute.
    pub no_signing_time: bool,
    /// Name the signer with this encoded issuer Name instead of the DSC's issuer bytes (another
    /// RDN order, string type or case, or another name altogether).
    pub signer_issuer: Option<Vec<u8>>,
    /// Write data group numbers as the one-byte short file identifier form `0x80 | n`.
    pub sfi_data_group_numbers: bool,
    /// Write this SignedData version instead of 3.
    pub signed_data_version: Option<u8>,
    /// Write this SignerInfo version instead of 1 (issuer and serial) or 3 (key identifier).
    pub signer_info_version: Option<u8>,
    /// Leave the SignedData digestAlgorithms SET empty.
    pub empty_digest_algorithms: bool,
}

impl SodOptions {
    /// An LDSSecurityObject v1 signed at `signing_time`, with the signature's hash.
    pub fn new(signing_time: Time) -> Self {
        SodOptions {
            signing_time,
            versions: Some(("0108".into(), "040000".into())),
            digest: None,
            signer_by_key_id: false,
            content_type_data: false,
            quirks: SodQuirks::default(),
        }
    }
}

fn attribute(oid: &der::asn1::ObjectIdentifier, value: &[u8]) -> Vec<u8> {
    asn1::sequence(&[&asn1::encode_oid(oid), &asn1::encode(0x31, value)])
}

/// Builds EF.SOD over `data_groups` (number -> file content), signed with `dsc_key`, whose
/// certificate `dsc` is embedded and named by issuer and serial number.
pub fn sign_sod(
    data_groups: &BTreeMap<u8, Vec<u8>>,
    dsc: &Certificate,
    dsc_key: &SigningKey,
    options: &SodOptions,
) -> Result<Vec<u8>> {
    let hash = options.digest.unwrap_or_else(|| dsc_key.hash());
    let content_type = if options.content_type_data {
        ID_DATA
    } else {
        ID_LDS_SECURITY_OBJECT
    };
    let quirks = &options.quirks;
    let lso = LdsSecurityObject {
        version: u64::from(options.versions.is_some()),
        hash,
        hashes: data_groups
            .iter()
            .map(|(n, c)| (*n, hash.digest(c)))
            .collect(),
        lds_version: options.versions.as_ref().map(|v| v.0.clone()),
        unicode_version: options.versions.as_ref().map(|v| v.1.clone()),
        warnings: Vec::new(),
    };
    let lso = if quirks.sfi_data_group_numbers {
        lso.encode_with_sfi_numbers()
    } else {
        lso.encode()
    };
    let content_info = sign_content(&content_type, &lso, dsc, dsc_key, options)?;
    Ok(asn1::encode(0x77, &content_info))
}

/// Builds EF.CardSecurity (ICAO Doc 9303-11 clause 9.2.2; BSI TR-03110-3 A.1.2): SecurityInfos
/// (DER) as the content of a SignedData of type id-SecurityObject, signed like an SOD.
pub fn sign_card_security(
    security_infos: &[u8],
    dsc: &Certificate,
    dsc_key: &SigningKey,
    options: &SodOptions,
) -> Result<Vec<u8>> {
    sign_content(
        &crate::oids::ID_SECURITY_OBJECT,
        security_infos,
        dsc,
        dsc_key,
        options,
    )
}

/// A CMS ContentInfo holding SignedData over `content` of `content_type`, with the
/// content-type, signing-time and message-digest attributes and the DSC embedded (and the
/// off-spec encodings `options.quirks` asks for).
fn sign_content(
    content_type: &der::asn1::ObjectIdentifier,
    content: &[u8],
    dsc: &Certificate,
    dsc_key: &SigningKey,
    options: &SodOptions,
) -> Result<Vec<u8>> {
    let hash = options.digest.unwrap_or_else(|| dsc_key.hash());
    let quirks = &options.quirks;
    let digest_alg = asn1::sequence(&[&asn1::encode_oid(&hash.oid())]);

    // DER orders SET OF by encoding.
    let mut attrs = vec![
        attribute(&ID_CONTENT_TYPE, &asn1::encode_oid(content_type)),
        attribute(
            &ID_MESSAGE_DIGEST,
            &asn1::encode(0x04, &hash.digest(content)),
        ),
    ];
    if !quirks.no_signing_time {
        attrs.push(attribute(&ID_SIGNING_TIME, &options.signing_time.to_der()));
    }
    attrs.sort();
    let attrs = attrs.concat();
    let signature = dsc_key.sign(&asn1::encode(0x31, &attrs))?;

    let (version, sid) = match (&dsc.extensions.subject_key_id, options.signer_by_key_id) {
        (Some(ski), true) => (3, asn1::encode(0x80, ski)),
        _ => (
            1,
            asn1::sequence(&[
                quirks.signer_issuer.as_deref().unwrap_or(&dsc.issuer.raw),
                &asn1::encode(0x02, &dsc.serial),
            ]),
        ),
    };
    let version = quirks.signer_info_version.unwrap_or(version);
    let signer_info = asn1::sequence(&[
        &asn1::encode_uint(&[version]),
        &sid,
        &digest_alg,
        &asn1::encode(0xA0, &attrs),
        &dsc_key.signature_algorithm().to_algorithm_identifier(),
        &asn1::encode(0x04, &signature),
    ]);
    let digest_algs: &[u8] = if quirks.empty_digest_algorithms {
        &[]
    } else {
        &digest_alg
    };
    let signed_data = asn1::sequence(&[
        &asn1::encode_uint(&[quirks.signed_data_version.unwrap_or(3)]),
        &asn1::encode(0x31, digest_algs),
        &asn1::sequence(&[
            &asn1::encode_oid(content_type),
            &asn1::encode(0xA0, &asn1::encode(0x04, content)),
        ]),
        &asn1::encode(0xA0, &dsc.raw),
        &asn1::encode(0x31, &signer_info),
    ]);
    Ok(asn1::sequence(&[
        &asn1::encode_oid(&ID_SIGNED_DATA),
        &asn1::encode(0xA0, &signed_data),
    ]))
}
