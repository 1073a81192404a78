//! Private keys of the issuer side (ICAO Doc 9303-12 clause 7: CSCA and Document Signer keys;
//! BSI TR-03110-3 for CV certificate and terminal keys): generation, signing (ECDSA with DER
//! signatures, RSASSA-PKCS1-v1_5, RSASSA-PSS) and PKCS#8 PEM storage.
//!
//! A key signs with its default algorithm ([`SigningKey::signature_algorithm`]) or with any
//! other hash the key type allows ([`SigningKey::sign_with`]): ECDSA with SHA-1 to SHA-512 on
//! its curve, RSA with PKCS#1 v1.5 or PSS (MGF1 with the message hash) over SHA-1 to SHA-512,
//! as the eleven id-TA-* algorithms of TR-03110-3 A.7.3 need.

use super::ec::Curve;
use super::hash::HashAlgorithm;
use super::signature::SignatureAlgorithm;
use crate::error::{Error, Result};
use ecdsa::signature::hazmat::PrehashSigner;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use zeroize::Zeroizing;

/// The key types the test PKI can generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
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
    /// ECDSA on NIST P-521 with SHA-512.
    P521,
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
    /// RSA (used with PSS by default).
    Rsa(Box<rsa::RsaPrivateKey>),
    /// P-521.
    P521(p521::ecdsa::SigningKey),
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
fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

/// A random scalar accepted by `make` (retrying the rare out-of-range value).
fn random_ec<K>(len: usize, make: impl Fn(&[u8]) -> Option<K>) -> Result<K> {
    for _ in 0..64 {
        let mut bytes = Zeroizing::new(vec![0u8; len]);
        crate::rand::fill_random(&mut bytes)?;
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
            KeyAlgorithm::RsaPss => SigningKey::generate_rsa(3072)?,
            // 66 random bytes are 528 bits: keep the top 521 so that half the draws are < n.
            KeyAlgorithm::P521 => SigningKey::P521(random_ec(66, |b| {
                let mut b = Zeroizing::new(b.to_vec());
                b[0] &= 0x01;
                p521::ecdsa::SigningKey::from_slice(&b).ok()
            })?),
        })
    }

    /// A fresh RSA key with a modulus of `bits` bits (2048 to 4096; exponent 65537).
    pub fn generate_rsa(bits: usize) -> Result<SigningKey> {
        if !(2048..=4096).contains(&bits) {
            return Err(Error::Usage(format!(
                "an RSA key of {bits} bits: choose 2048 to 4096"
            )));
        }
        Ok(SigningKey::Rsa(Box::new(
            rsa::RsaPrivateKey::new(&mut rng(), bits).map_err(key_err)?,
        )))
    }

    /// A fresh RSA key for a chip's Active Authentication (1024 to 4096 bits, exponent
    /// 65537): chips still use 1024-bit keys, which no signer here may.
    pub fn generate_rsa_chip_key(bits: usize) -> Result<rsa::RsaPrivateKey> {
        if !(1024..=4096).contains(&bits) {
            return Err(Error::Usage(format!(
                "an RSA chip key of {bits} bits: choose 1024 to 4096"
            )));
        }
        rsa::RsaPrivateKey::new(&mut rng(), bits).map_err(key_err)
    }

    /// The curve of an ECDSA key (`None` for RSA).
    pub fn curve(&self) -> Option<Curve> {
        match self {
            SigningKey::P256(_) => Some(Curve::P256),
            SigningKey::P384(_) => Some(Curve::P384),
            SigningKey::Bp256(_) => Some(Curve::BrainpoolP256r1),
            SigningKey::Bp384(_) => Some(Curve::BrainpoolP384r1),
            SigningKey::P521(_) => Some(Curve::P521),
            SigningKey::Rsa(_) => None,
        }
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self {
            SigningKey::P256(_) => KeyAlgorithm::P256,
            SigningKey::P384(_) => KeyAlgorithm::P384,
            SigningKey::Bp256(_) => KeyAlgorithm::Brainpool256,
            SigningKey::Bp384(_) => KeyAlgorithm::Brainpool384,
            SigningKey::Rsa(_) => KeyAlgorithm::RsaPss,
            SigningKey::P521(_) => KeyAlgorithm::P521,
        }
    }

    /// The signature algorithm this key signs with by default.
    pub fn signature_algorithm(&self) -> SignatureAlgorithm {
        match self {
            SigningKey::P256(_) | SigningKey::Bp256(_) => {
                SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256)
            }
            SigningKey::P384(_) | SigningKey::Bp384(_) => {
                SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384)
            }
            SigningKey::P521(_) => SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
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
            SigningKey::P521(k) => k.verifying_key().to_public_key_der(),
        };
        Ok(doc.map_err(key_err)?.as_bytes().to_vec())
    }

    /// Signs `message` with the default algorithm: ECDSA signatures come DER-encoded, as X.509
    /// and CMS carry them.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.sign_with(&self.signature_algorithm(), message)
    }

    /// Signs `message` with `alg`, which must suit the key: ECDSA (any of the five hashes;
    /// DER-encoded signature) for an EC key, RSASSA-PKCS1-v1_5 or RSASSA-PSS for an RSA key.
    /// PSS uses MGF1 with the message hash (`mgf_hash` must equal `hash`).
    pub fn sign_with(&self, alg: &SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        let mismatch = || {
            Error::Usage(format!(
                "a {:?} key cannot sign with {alg:?}",
                self.algorithm()
            ))
        };
        match (self, alg) {
            (SigningKey::Rsa(k), SignatureAlgorithm::RsaPkcs1(h)) => {
                let mut em = h.pkcs1_digest_info_prefix();
                em.extend(h.digest(message));
                k.sign_with_rng(&mut rng(), rsa::Pkcs1v15Sign::new_unprefixed(), &em)
                    .map_err(key_err)
            }
            (
                SigningKey::Rsa(k),
                SignatureAlgorithm::RsaPss {
                    hash,
                    mgf_hash,
                    salt_len,
                },
            ) if hash == mgf_hash => {
                use rsa::Pss;
                let digest = hash.digest(message);
                let salt = *salt_len;
                let mut r = rng();
                match hash {
                    HashAlgorithm::Sha1 => {
                        k.sign_with_rng(&mut r, Pss::<sha1::Sha1>::new_with_salt(salt), &digest)
                    }
                    HashAlgorithm::Sha224 => {
                        k.sign_with_rng(&mut r, Pss::<sha2::Sha224>::new_with_salt(salt), &digest)
                    }
                    HashAlgorithm::Sha256 => {
                        k.sign_with_rng(&mut r, Pss::<sha2::Sha256>::new_with_salt(salt), &digest)
                    }
                    HashAlgorithm::Sha384 => {
                        k.sign_with_rng(&mut r, Pss::<sha2::Sha384>::new_with_salt(salt), &digest)
                    }
                    HashAlgorithm::Sha512 => {
                        k.sign_with_rng(&mut r, Pss::<sha2::Sha512>::new_with_salt(salt), &digest)
                    }
                }
                .map_err(key_err)
            }
            (SigningKey::Rsa(_), _) => Err(mismatch()),
            (_, SignatureAlgorithm::Ecdsa(h)) => self.sign_ecdsa_prehash(&h.digest(message)),
            _ => Err(mismatch()),
        }
    }

    /// ECDSA over a message digest of any length (RFC 6979 nonces; a digest longer than the
    /// group order is truncated to its leftmost bits, X9.62), DER-encoded.
    fn sign_ecdsa_prehash(&self, digest: &[u8]) -> Result<Vec<u8>> {
        macro_rules! der {
            ($k:expr, $sig:ty) => {{
                let sig: $sig = PrehashSigner::sign_prehash($k, digest).map_err(key_err)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }};
        }
        match self {
            SigningKey::P256(k) => der!(k, p256::ecdsa::Signature),
            SigningKey::P384(k) => der!(k, p384::ecdsa::Signature),
            SigningKey::Bp256(k) => der!(k, bp256::r1::ecdsa::Signature),
            SigningKey::Bp384(k) => der!(k, bp384::r1::ecdsa::Signature),
            SigningKey::P521(k) => der!(k, p521::ecdsa::Signature),
            SigningKey::Rsa(_) => Err(Error::Usage("an RSA key does not sign ECDSA".into())),
        }
    }

    /// PKCS#8 PEM ("PRIVATE KEY").
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        let pem = match self {
            SigningKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::Bp256(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::Bp384(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
            SigningKey::P521(k) => k.to_pkcs8_pem(LineEnding::LF),
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
        if let Ok(k) = p521::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Ok(SigningKey::P521(k));
        }
        if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_pem(pem) {
            return Ok(SigningKey::Rsa(Box::new(k)));
        }
        Err(key_err(
            "not a PKCS#8 PEM private key of a supported type (P-256, P-384, P-521, \
             brainpoolP256r1/P384r1, RSA)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::keys::PublicKey;
    use crate::crypto::signature::verify;

    fn roundtrip(key: &SigningKey, alg: &SignatureAlgorithm) {
        let msg = b"ID_PICC || r_PICC || Comp(PK_PCD)";
        let sig = key.sign_with(alg, msg).unwrap();
        let public = PublicKey::from_spki(&key.public_spki().unwrap()).unwrap();
        verify(&public, alg, msg, &sig).unwrap_or_else(|e| panic!("{alg:?}: {e}"));
        let mut bad = msg.to_vec();
        bad[0] ^= 1;
        assert!(verify(&public, alg, &bad, &sig).is_err(), "{alg:?}");
    }

    #[test]
    fn ecdsa_signs_with_every_hash_on_its_curve() {
        for k in [
            KeyAlgorithm::P256,
            KeyAlgorithm::Brainpool256,
            KeyAlgorithm::P521,
        ] {
            let key = SigningKey::generate(k).unwrap();
            for h in HashAlgorithm::ALL {
                roundtrip(&key, &SignatureAlgorithm::Ecdsa(h));
            }
            assert!(
                key.sign_with(&SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256), b"m")
                    .is_err()
            );
        }
        let p521 = SigningKey::generate(KeyAlgorithm::P521).unwrap();
        assert_eq!(p521.curve(), Some(Curve::P521));
        let pem = p521.to_pkcs8_pem().unwrap();
        assert_eq!(
            SigningKey::from_pkcs8_pem(&pem).unwrap().algorithm(),
            KeyAlgorithm::P521
        );
    }

    #[test]
    fn rsa_signs_pkcs1_and_pss_with_every_hash() {
        let key = SigningKey::generate_rsa(2048).unwrap();
        for h in HashAlgorithm::ALL {
            roundtrip(&key, &SignatureAlgorithm::RsaPkcs1(h));
            let pss = SignatureAlgorithm::RsaPss {
                hash: h,
                mgf_hash: h,
                salt_len: h.output_len(),
            };
            roundtrip(&key, &pss);
        }
        let mixed = SignatureAlgorithm::RsaPss {
            hash: HashAlgorithm::Sha256,
            mgf_hash: HashAlgorithm::Sha1,
            salt_len: 32,
        };
        assert!(key.sign_with(&mixed, b"m").is_err());
        assert!(
            key.sign_with(&SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256), b"m")
                .is_err()
        );
        assert!(SigningKey::generate_rsa(1024).is_err());
    }
}
