//! Private keys of the issuer side (ICAO Doc 9303-12 clause 7: CSCA and Document Signer keys):
//! generation, signing (ECDSA with DER signatures, RSASSA-PSS) and PKCS#8 PEM storage.

use super::hash::HashAlgorithm;
use super::signature::SignatureAlgorithm;
use crate::error::{Error, Result};
use ecdsa::signature::{RandomizedSigner, Signer};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use zeroize::Zeroizing;

/// The key types the test PKI can generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
pub enum KeyAlgorithm {
    /// ECDSA on NIST P-256 with SHA-256.
    P256,
    /// ECDSA on NIST P-384 with SHA-384.
    P384,
    /// ECDSA on brainpoolP256r1 with SHA-256.
    Brainpool256,
    /// ECDSA on brainpoolP384r1 with SHA-384.
    Brainpool384,
    /// RSASSA-PSS, 3072-bit modulus, SHA-256, MGF1-SHA-256, 32-byte salt.
    RsaPss,
}

/// A private signing key.
pub enum SigningKey {
    /// P-256.
    P256(p256::ecdsa::SigningKey),
    /// P-384.
    P384(p384::ecdsa::SigningKey),
    /// brainpoolP256r1.
    Bp256(ecdsa::SigningKey<bp256::BrainpoolP256r1>),
    /// brainpoolP384r1.
    Bp384(ecdsa::SigningKey<bp384::BrainpoolP384r1>),
    /// RSA (used with PSS).
    Rsa(Box<rsa::RsaPrivateKey>),
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({:?}, <secret>)", self.algorithm())
    }
}

fn key_err(what: impl std::fmt::Display) -> Error {
    Error::protocol("signing key", what.to_string())
}

/// The operating system's random generator as a `rand_core` generator.
fn rng() -> rand_core::UnwrapErr<getrandom04::SysRng> {
    rand_core::UnwrapErr(getrandom04::SysRng)
}

/// A random scalar accepted by `make` (retrying the rare out-of-range value).
fn random_ec<K>(len: usize, make: impl Fn(&[u8]) -> Option<K>) -> Result<K> {
    for _ in 0..64 {
        let mut bytes = Zeroizing::new(vec![0u8; len]);
        crate::access::fill_random(&mut bytes)?;
        if let Some(k) = make(&bytes) {
            return Ok(k);
        }
    }
    Err(key_err("no valid scalar from the random generator"))
}

impl SigningKey {
    /// Generates a fresh key.
    pub fn generate(alg: KeyAlgorithm) -> Result<SigningKey> {
        Ok(match alg {
            KeyAlgorithm::P256 => SigningKey::P256(random_ec(32, |b| {
                p256::ecdsa::SigningKey::from_slice(b).ok()
            })?),
            KeyAlgorithm::P384 => SigningKey::P384(random_ec(48, |b| {
                p384::ecdsa::SigningKey::from_slice(b).ok()
            })?),
            KeyAlgorithm::Brainpool256 => SigningKey::Bp256(random_ec(32, |b| {
                ecdsa::SigningKey::<bp256::BrainpoolP256r1>::from_slice(b).ok()
            })?),
            KeyAlgorithm::Brainpool384 => SigningKey::Bp384(random_ec(48, |b| {
                ecdsa::SigningKey::<bp384::BrainpoolP384r1>::from_slice(b).ok()
            })?),
            KeyAlgorithm::RsaPss => SigningKey::Rsa(Box::new(
                rsa::RsaPrivateKey::new(&mut rng(), 3072).map_err(key_err)?,
            )),
        })
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self {
            SigningKey::P256(_) => KeyAlgorithm::P256,
            SigningKey::P384(_) => KeyAlgorithm::P384,
            SigningKey::Bp256(_) => KeyAlgorithm::Brainpool256,
            SigningKey::Bp384(_) => KeyAlgorithm::Brainpool384,
            SigningKey::Rsa(_) => KeyAlgorithm::RsaPss,
        }
    }

    /// The signature algorithm this key signs with.
    pub fn signature_algorithm(&self) -> SignatureAlgorithm {
        match self {
            SigningKey::P256(_) | SigningKey::Bp256(_) => {
                SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256)
            }
            SigningKey::P384(_) | SigningKey::Bp384(_) => {
                SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384)
            }
            SigningKey::Rsa(_) => SignatureAlgorithm::RsaPss {
                hash: HashAlgorithm::Sha256,
                mgf_hash: HashAlgorithm::Sha256,
                salt_len: 32,
            },
        }
    }

    /// The hash the signature algorithm uses (also the SOD's digest algorithm).
    pub fn hash(&self) -> HashAlgorithm {
        match self.signature_algorithm() {
            SignatureAlgorithm::Ecdsa(h) | SignatureAlgorithm::RsaPkcs1(h) => h,
            SignatureAlgorithm::RsaPss { hash, .. } => hash,
        }
    }

    /// The public key as SubjectPublicKeyInfo DER.
    pub fn public_spki(&self) -> Result<Vec<u8>> {
        let doc = match self {
            SigningKey::P256(k) => k.verifying_key().to_public_key_der(),
            SigningKey::P384(k) => k.verifying_key().to_public_key_der(),
            SigningKey::Bp256(k) => k.verifying_key().to_public_key_der(),
            SigningKey::Bp384(k) => k.verifying_key().to_public_key_der(),
            SigningKey::Rsa(k) => k.to_public_key().to_public_key_der(),
        };
        Ok(doc.map_err(key_err)?.as_bytes().to_vec())
    }

    /// Signs `message`: ECDSA signatures come DER-encoded, as X.509 and CMS carry them.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(match self {
            SigningKey::P256(k) => Signer::<p256::ecdsa::Signature>::try_sign(k, message)
                .map_err(key_err)?
                .to_der()
                .as_bytes()
                .to_vec(),
            SigningKey::P384(k) => Signer::<p384::ecdsa::Signature>::try_sign(k, message)
                .map_err(key_err)?
                .to_der()
                .as_bytes()
                .to_vec(),
            SigningKey::Bp256(k) => Signer::<bp256::r1::ecdsa::Signature>::try_sign(k, message)
                .map_err(key_err)?
                .to_der()
                .as_bytes()
                .to_vec(),
            SigningKey::Bp384(k) => Signer::<bp384::r1::ecdsa::Signature>::try_sign(k, message)
                .map_err(key_err)?
                .to_der()
                .as_bytes()
                .to_vec(),
            SigningKey::Rsa(k) => {
                let signer = rsa::pss::SigningKey::<sha2::Sha256>::new((**k).clone());
                let sig = signer
                    .try_sign_with_rng(&mut rng(), message)
                    .map_err(key_err)?;
                Box::<[u8]>::from(sig).to_vec()
            }
        })
    }

    /// PKCS#8 PEM ("PRIVATE KEY").
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        let pem = match self {
            SigningKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::Bp256(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::Bp384(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
        };
        Ok(Zeroizing::new(pem.map_err(key_err)?.to_string()))
    }

    /// Reads a PKCS#8 PEM key of any supported type.
    pub fn from_pkcs8_pem(pem: &str) -> Result<SigningKey> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Ok(SigningKey::P256(k));
        }
        if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Ok(SigningKey::P384(k));
        }
        if let Ok(k) = ecdsa::SigningKey::<bp256::BrainpoolP256r1>::from_pkcs8_pem(pem) {
            return Ok(SigningKey::Bp256(k));
        }
        if let Ok(k) = ecdsa::SigningKey::<bp384::BrainpoolP384r1>::from_pkcs8_pem(pem) {
            return Ok(SigningKey::Bp384(k));
        }
        if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_pem(pem) {
            return Ok(SigningKey::Rsa(Box::new(k)));
        }
        Err(key_err(
            "not a PKCS#8 PEM private key of a supported type (P-256, P-384, brainpoolP256r1/P384r1, RSA)",
        ))
    }
}
