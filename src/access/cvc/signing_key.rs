//! Keys that sign CV certificates and Terminal Authentication challenges (BSI TR-03110-3 A.7.3
//! id-TA-* algorithms; ECDSA signatures in the plain format of TR-03111 clause 5.2.1). Issuers
//! sign certificates with them ([`crate::issuance::cv_pki`]), terminals sign the chip's
//! challenge ([`crate::access::ta`]).

use super::{CvKey, CvPublicKey, Cvc, TaAlgorithm};
use crate::asn1::{self, tag};
use crate::crypto::ec::int_to_bytes;
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::keys::PublicKey;
use crate::crypto::signature::SignatureAlgorithm;
use crate::crypto::signing_key::{KeyAlgorithm, SigningKey};
use crate::error::{Error, Result};
use num_bigint::BigUint;
use zeroize::Zeroizing;

/// A key that signs CV certificates (and, as a terminal key, Terminal Authentication), with the
/// id-TA-* algorithm (TR-03110-3 A.7.3) its certificate names: by default the one its key type
/// suggests ([`CvSigningKey::generate`]), or any of the eleven the key type allows
/// ([`CvSigningKey::generate_for`], [`CvSigningKey::with_algorithm`]).
#[derive(Debug)]
pub struct CvSigningKey {
    key: SigningKey,
    algorithm: TaAlgorithm,
}

/// The TA algorithm a key type suggests: ECDSA with the curve's hash, RSA-PSS with SHA-256.
fn default_algorithm(key: &SigningKey) -> TaAlgorithm {
    match key.signature_algorithm() {
        SignatureAlgorithm::Ecdsa(h) => TaAlgorithm::Ecdsa(h),
        SignatureAlgorithm::RsaPkcs1(h) => TaAlgorithm::RsaPkcs1(h),
        SignatureAlgorithm::RsaPss { hash, .. } => TaAlgorithm::RsaPss(hash),
    }
}

/// The signature scheme of a TA algorithm (PSS: MGF1 with the same hash, salt as long as it).
pub(crate) fn signature_algorithm(algorithm: TaAlgorithm) -> SignatureAlgorithm {
    match algorithm {
        TaAlgorithm::Ecdsa(h) => SignatureAlgorithm::Ecdsa(h),
        TaAlgorithm::RsaPkcs1(h) => SignatureAlgorithm::RsaPkcs1(h),
        TaAlgorithm::RsaPss(hash) => SignatureAlgorithm::RsaPss {
            hash,
            mgf_hash: hash,
            salt_len: hash.output_len(),
        },
    }
}

impl CvSigningKey {
    /// A fresh key: P-256 and brainpoolP256r1 sign with SHA-256, P-384 and brainpoolP384r1 with
    /// SHA-384, P-521 with SHA-512, RSA (3072 bits) with PSS and SHA-256.
    pub fn generate(algorithm: KeyAlgorithm) -> Result<CvSigningKey> {
        SigningKey::generate(algorithm).map(CvSigningKey::from_signing_key)
    }

    /// A fresh key for `algorithm`, one of the eleven id-TA-* algorithms: RSA keys have 2048
    /// bits; ECDSA keys are on P-256 for SHA-1, SHA-224 and SHA-256, P-384 for SHA-384 and
    /// P-521 for SHA-512 (any curve signs with any hash: see [`CvSigningKey::generate_with`]).
    pub fn generate_for(algorithm: TaAlgorithm) -> Result<CvSigningKey> {
        let key = match algorithm {
            TaAlgorithm::RsaPkcs1(_) | TaAlgorithm::RsaPss(_) => SigningKey::generate_rsa(2048)?,
            TaAlgorithm::Ecdsa(HashAlgorithm::Sha384) => SigningKey::generate(KeyAlgorithm::P384)?,
            TaAlgorithm::Ecdsa(HashAlgorithm::Sha512) => SigningKey::generate(KeyAlgorithm::P521)?,
            TaAlgorithm::Ecdsa(_) => SigningKey::generate(KeyAlgorithm::P256)?,
        };
        CvSigningKey::from_signing_key(key).with_algorithm(algorithm)
    }

    /// A fresh key of type `key` for TA algorithm `algorithm` (as BSI TR-03105-5.1 does:
    /// ECDSA-SHA-384 and -SHA-512 with 256-bit keys). Fails when they do not fit (an RSA
    /// algorithm for an EC key or the reverse).
    pub fn generate_with(key: KeyAlgorithm, algorithm: TaAlgorithm) -> Result<CvSigningKey> {
        CvSigningKey::generate(key)?.with_algorithm(algorithm)
    }

    /// Wraps an existing key, with the TA algorithm its type suggests.
    pub fn from_signing_key(key: SigningKey) -> CvSigningKey {
        let algorithm = default_algorithm(&key);
        CvSigningKey { key, algorithm }
    }

    /// The same key for another TA algorithm; an ECDSA algorithm needs an EC key, an RSA one an
    /// RSA key.
    pub fn with_algorithm(self, algorithm: TaAlgorithm) -> Result<CvSigningKey> {
        self.check_fits(algorithm)?;
        Ok(CvSigningKey {
            key: self.key,
            algorithm,
        })
    }

    /// The same key for the algorithm `certificate` names for its holder's key (a key read
    /// from PKCS#8 knows its type, not the algorithm it is certified for).
    pub fn for_certificate(self, certificate: &Cvc) -> Result<CvSigningKey> {
        self.with_algorithm(certificate.body().public_key.algorithm)
    }

    fn check_fits(&self, algorithm: TaAlgorithm) -> Result<()> {
        let rsa_key = matches!(self.key, SigningKey::Rsa(_));
        if rsa_key == algorithm.is_ec() {
            return Err(Error::Usage(format!(
                "a {:?} key cannot sign with {algorithm:?}",
                self.key.algorithm()
            )));
        }
        Ok(())
    }

    /// The wrapped key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// Reads a PKCS#8 PEM key (with the TA algorithm its type suggests; see
    /// [`CvSigningKey::for_certificate`]).
    pub fn from_pkcs8_pem(pem: &str) -> Result<CvSigningKey> {
        SigningKey::from_pkcs8_pem(pem).map(CvSigningKey::from_signing_key)
    }

    /// PKCS#8 PEM.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        self.key.to_pkcs8_pem()
    }

    /// The TA algorithm its certificate names and its signatures use.
    pub fn algorithm(&self) -> TaAlgorithm {
        self.algorithm
    }

    /// The public key object for its certificate, with EC domain parameters if `with_domain`.
    pub fn public_key(&self, with_domain: bool) -> Result<CvPublicKey> {
        let key = match PublicKey::from_spki(&self.key.public_spki()?)? {
            PublicKey::Ec { curve, point } => {
                let domain = with_domain.then_some(curve);
                CvKey::Ec { domain, point }
            }
            PublicKey::Rsa { n, e } => CvKey::Rsa { n, e },
        };
        let algorithm = self.algorithm;
        Ok(CvPublicKey { algorithm, key })
    }

    /// Signs `message` with its TA algorithm; ECDSA signatures come in the plain format r || s.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.sign_as(self.algorithm, message)
    }

    /// Signs `message` with `algorithm` (which must fit the key), as a terminal does for the
    /// algorithm its certificate names; ECDSA signatures come in the plain format r || s
    /// (TR-03111 clause 5.2.1), each half as long as the curve's field elements.
    pub fn sign_as(&self, algorithm: TaAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        self.check_fits(algorithm)?;
        let sig = self
            .key
            .sign_with(&signature_algorithm(algorithm), message)?;
        let Some(curve) = self.key.curve() else {
            return Ok(sig);
        };
        let len = curve.field_len();
        let seq = asn1::parse_exact(&sig)?.expect(tag::SEQUENCE, "Ecdsa-Sig-Value")?;
        let mut r = seq.reader();
        let mut plain = |what| -> Result<Vec<u8>> {
            let x = BigUint::from_bytes_be(r.required(what)?.unsigned_bytes()?);
            Ok(int_to_bytes(&x, len))
        };
        Ok([plain("r")?, plain("s")?].concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ta_algorithm_must_fit_the_key() {
        let ec = CvSigningKey::generate(KeyAlgorithm::P256).unwrap();
        assert_eq!(ec.algorithm(), TaAlgorithm::Ecdsa(HashAlgorithm::Sha256));
        let rsa = TaAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
        assert!(ec.sign_as(rsa, b"m").is_err());
        assert!(ec.with_algorithm(rsa).is_err());
        // The plan's 256-bit keys with SHA-512.
        let k = CvSigningKey::generate_with(
            KeyAlgorithm::Brainpool256,
            TaAlgorithm::Ecdsa(HashAlgorithm::Sha512),
        )
        .unwrap();
        assert_eq!(k.sign(b"m").unwrap().len(), 64);
        assert!(CvSigningKey::generate_with(KeyAlgorithm::P256, rsa).is_err());
    }
}
