//! The hash functions of eMRTD signatures and data-group hashes: SHA-1 and the SHA-2 family
//! (FIPS 180-4), named by their object identifiers (RFC 3279 §2.2.1 for SHA-1, RFC 5754 §2 for
//! SHA-224/256/384/512). ICAO Doc 9303-12 §7.1 permits all five for the SOD and certificates.

use der::asn1::ObjectIdentifier;
use sha2::Digest;

/// id-sha1 (RFC 3279).
pub const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
/// id-sha224 (RFC 5754).
pub const ID_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
/// id-sha256 (RFC 5754).
pub const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// id-sha384 (RFC 5754).
pub const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
/// id-sha512 (RFC 5754).
pub const ID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// A hash function allowed by ICAO Doc 9303-12.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum HashAlgorithm {
    /// SHA-1 (160 bits); legacy, still found in older documents.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// Every supported hash function.
    pub const ALL: [HashAlgorithm; 5] = [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ];

    /// The hash function an object identifier names, if supported.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|h| h.oid() == *oid)
    }

    /// The object identifier of this hash function.
    pub fn oid(&self) -> ObjectIdentifier {
        match self {
            HashAlgorithm::Sha1 => ID_SHA1,
            HashAlgorithm::Sha224 => ID_SHA224,
            HashAlgorithm::Sha256 => ID_SHA256,
            HashAlgorithm::Sha384 => ID_SHA384,
            HashAlgorithm::Sha512 => ID_SHA512,
        }
    }

    /// The digest of `data`.
    pub fn digest(&self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlgorithm::Sha1 => sha1::Sha1::digest(data).to_vec(),
            HashAlgorithm::Sha224 => sha2::Sha224::digest(data).to_vec(),
            HashAlgorithm::Sha256 => sha2::Sha256::digest(data).to_vec(),
            HashAlgorithm::Sha384 => sha2::Sha384::digest(data).to_vec(),
            HashAlgorithm::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    /// The digest length in bytes.
    pub fn output_len(&self) -> usize {
        match self {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// The name as the standards write it ("SHA-256").
    pub fn name(&self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "SHA-1",
            HashAlgorithm::Sha224 => "SHA-224",
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Sha384 => "SHA-384",
            HashAlgorithm::Sha512 => "SHA-512",
        }
    }

    /// The DER DigestInfo prefix of EMSA-PKCS1-v1_5 (RFC 8017 §9.2 note 1): the encoding of
    /// `DigestInfo { AlgorithmIdentifier { oid, NULL }, OCTET STRING (len) }` up to the digest.
    pub fn pkcs1_digest_info_prefix(&self) -> Vec<u8> {
        let oid = crate::asn1::encode_oid(&self.oid());
        let alg = crate::asn1::sequence(&[&oid, &[0x05, 0x00]]);
        let len = self.output_len();
        // SEQUENCE { alg, OCTET STRING } with all lengths below 128.
        let mut out = vec![0x30, (alg.len() + 2 + len) as u8];
        out.extend_from_slice(&alg);
        out.extend_from_slice(&[0x04, len as u8]);
        out
    }
}

impl std::fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips_180_4_abc() {
        // FIPS 180-4 examples (NIST CSRC "SHA_All.pdf"): the message "abc".
        let cases = [
            (
                HashAlgorithm::Sha1,
                "a9993e364706816aba3e25717850c26c9cd0d89d",
            ),
            (
                HashAlgorithm::Sha224,
                "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
            ),
            (
                HashAlgorithm::Sha256,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
        ];
        for (h, want) in cases {
            assert_eq!(hex::encode(h.digest(b"abc")), want, "{h}");
            assert_eq!(h.digest(b"").len(), h.output_len());
        }
        assert!(hex::encode(HashAlgorithm::Sha512.digest(b"abc")).starts_with("ddaf35a193617aba"));
        assert!(hex::encode(HashAlgorithm::Sha384.digest(b"abc")).starts_with("cb00753f45a35e8b"));
    }

    #[test]
    fn oids_round_trip() {
        for h in HashAlgorithm::ALL {
            assert_eq!(HashAlgorithm::from_oid(&h.oid()), Some(h));
        }
        assert_eq!(
            HashAlgorithm::from_oid(&ObjectIdentifier::new_unwrap("1.2.3.4")),
            None
        );
        assert_eq!(HashAlgorithm::Sha256.name(), "SHA-256");
    }

    #[test]
    fn digest_info_prefixes_match_rfc_8017() {
        assert_eq!(
            hex::encode(HashAlgorithm::Sha1.pkcs1_digest_info_prefix()),
            "3021300906052b0e03021a05000414"
        );
        assert_eq!(
            hex::encode(HashAlgorithm::Sha256.pkcs1_digest_info_prefix()),
            "3031300d060960864801650304020105000420"
        );
        assert_eq!(
            hex::encode(HashAlgorithm::Sha512.pkcs1_digest_info_prefix()),
            "3051300d060960864801650304020305000440"
        );
    }
}
