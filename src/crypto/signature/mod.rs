//! Signature algorithms and their verification for certificates, CRLs, the SOD and Active
//! Authentication: AlgorithmIdentifiers (RFC 5280 §4.1.1.2; ECDSA per RFC 5758 §3.2, RSA PKCS#1
//! v1.5 per RFC 3279 §2.2.1 / RFC 4055 §5, RSASSA-PSS per RFC 4055 §3.1) as ICAO Doc 9303-12 §7.1
//! and §8 allow them, and `verify` over the backend fit for each (key, algorithm):
//!
//! | key / algorithm | backend |
//! |---|---|
//! | ECDSA P-256, P-384 with SHA-256 or SHA-384 | *ring* |
//! | ECDSA P-256, P-384 with SHA-1/224/512; P-521; brainpoolP256r1, brainpoolP384r1 | RustCrypto `p256`/`p384`/`p521`/`bp256`/`bp384` (prehash, through [`crate::crypto::ec::rustcrypto`]) |
//! | ECDSA P-192, P-224, brainpoolP192r1/224r1/320r1/512r1 | generic arithmetic in [`crate::crypto::ec`] |
//! | RSA ≥ 2048 bits, PKCS#1 v1.5 with SHA-1/256/384/512 | *ring* |
//! | RSA ≥ 2048 bits, PSS with MGF1 over the same hash and salt = hash length, SHA-256/384/512 | *ring* |
//! | other RSA (1024-2047 bits, SHA-224, other PSS salts, PSS with SHA-1) | `rsa` crate |
//! | RSA-PSS whose MGF1 hash differs from the message hash | RFC 8017 §9.1.2 here, over `num-bigint` |
//!
//! ECDSA signatures in X.509 and CMS are DER `SEQUENCE { r, s }` ([`verify`]); Active
//! Authentication uses the plain `r || s` form of BSI TR-03111 §5.2.1 ([`verify_ecdsa_plain`]).
//! RSA keys below 1024 or above 8192 bits are refused.

use crate::asn1::{self, tag};
use crate::crypto::ec::{self, Curve};
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::keys::{MAX_RSA_BITS, PublicKey};
use crate::error::{Error, Result};
use crate::uint::strip_leading_zeros;
use num_bigint::BigUint;
use std::borrow::Cow;

mod algorithm;
pub use algorithm::{ID_MGF1, MAX_SIGNATURE_LEN, SignatureAlgorithm};
use algorithm::{asn1_err, sig_err};

/// Which implementation checks a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Backend {
    /// *ring* (BoringSSL-derived assembly).
    Ring,
    /// The RustCrypto curve crates (`p256`, `p384`, `p521`, `bp256`, `bp384`).
    RustCrypto,
    /// The RustCrypto `rsa` crate.
    RsaCrate,
    /// This crate's own code (generic EC arithmetic, or PSS with a distinct MGF1 hash).
    Generic,
}

/// RSA modulus length in bits.
fn rsa_bits(n: &[u8]) -> usize {
    let n = strip_leading_zeros(n);
    match n.first() {
        Some(&top) => n.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    }
}

/// The backend [`verify`] uses for this key and algorithm, or why none fits.
pub fn backend(key: &PublicKey, alg: &SignatureAlgorithm) -> Result<Backend> {
    use HashAlgorithm::*;
    match (key, alg) {
        (PublicKey::Ec { curve, .. }, SignatureAlgorithm::Ecdsa(h)) => {
            Ok(ecdsa_backend(*curve, *h))
        }
        (PublicKey::Rsa { n, e }, SignatureAlgorithm::RsaPkcs1(h)) => {
            rsa_key_check(n, e)?;
            let ring = rsa_bits(n) >= 2048 && *h != Sha224;
            Ok(if ring {
                Backend::Ring
            } else {
                Backend::RsaCrate
            })
        }
        (
            PublicKey::Rsa { n, e },
            SignatureAlgorithm::RsaPss {
                hash,
                mgf_hash,
                salt_len,
            },
        ) => {
            rsa_key_check(n, e)?;
            Ok(if hash != mgf_hash {
                Backend::Generic
            } else if rsa_bits(n) >= 2048
                && matches!(hash, Sha256 | Sha384 | Sha512)
                && *salt_len == hash.output_len()
            {
                Backend::Ring
            } else {
                Backend::RsaCrate
            })
        }
        _ => Err(sig_err(format!(
            "an {} signature cannot be checked with an {} key",
            alg.name(),
            key.describe()
        ))),
    }
}

fn ecdsa_backend(curve: Curve, hash: HashAlgorithm) -> Backend {
    use HashAlgorithm::*;
    match (curve, hash) {
        (Curve::P256 | Curve::P384, Sha256 | Sha384) => Backend::Ring,
        _ if ec::rustcrypto::covers(curve) => Backend::RustCrypto,
        _ => Backend::Generic,
    }
}

fn rsa_key_check(n: &[u8], e: &[u8]) -> Result<()> {
    let bits = rsa_bits(n);
    if !(1024..=MAX_RSA_BITS).contains(&bits) {
        return Err(sig_err(format!(
            "RSA key of {bits} bits is outside the supported 1024-{MAX_RSA_BITS}"
        )));
    }
    let e_bits = rsa_bits(e);
    if !(2..=33).contains(&e_bits) || e.last().is_some_and(|b| b & 1 == 0) {
        return Err(sig_err(
            "RSA public exponent is even, below 3 or above 2^33",
        ));
    }
    Ok(())
}

fn check_lengths(message: &[u8], signature: &[u8]) -> Result<()> {
    if message.is_empty() {
        return Err(sig_err("nothing to verify: the signed data is empty"));
    }
    if signature.is_empty() {
        return Err(sig_err("the signature is empty"));
    }
    if signature.len() > MAX_SIGNATURE_LEN {
        return Err(sig_err(format!(
            "signature of {} bytes is longer than any supported key allows",
            signature.len()
        )));
    }
    Ok(())
}

/// Verifies `signature` over `message` with `key` under `alg`. ECDSA signatures are DER
/// `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3).
pub fn verify(
    key: &PublicKey,
    alg: &SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    check_lengths(message, signature)?;
    let backend = backend(key, alg)?;
    match (key, alg) {
        (PublicKey::Ec { curve, point }, SignatureAlgorithm::Ecdsa(h)) => {
            let (r, s) = parse_ecdsa_der(signature)?;
            verify_ecdsa_rs(backend, *curve, point, *h, message, r, s)
        }
        (PublicKey::Rsa { n, e }, _) => verify_rsa(backend, n, e, alg, message, signature),
        _ => Err(sig_err("key and algorithm do not match")),
    }
}

/// Verifies a plain-format ECDSA signature `r || s` (BSI TR-03111 §5.2.1, as Active
/// Authentication returns it) over `message` hashed with `hash`.
pub fn verify_ecdsa_plain(
    key: &PublicKey,
    hash: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    check_lengths(message, signature)?;
    let PublicKey::Ec { curve, point } = key else {
        return Err(sig_err(format!(
            "plain ECDSA needs an EC key, not {}",
            key.describe()
        )));
    };
    if !signature.len().is_multiple_of(2) || signature.len() > 2 * curve.field_len() {
        return Err(sig_err(format!(
            "plain ECDSA signature of {} bytes does not fit {} (2 x {} bytes)",
            signature.len(),
            curve,
            curve.field_len()
        )));
    }
    let (r, s) = signature.split_at(signature.len() / 2);
    verify_ecdsa_rs(
        ecdsa_backend(*curve, hash),
        *curve,
        point,
        hash,
        message,
        r,
        s,
    )
}

/// r and s (unsigned magnitudes) from a DER (or BER) Ecdsa-Sig-Value.
fn parse_ecdsa_der(sig: &[u8]) -> Result<(&[u8], &[u8])> {
    let bad = |e: Error| asn1_err(format!("ECDSA signature is not SEQUENCE {{ r, s }}: {e}"));
    let seq = asn1::parse_exact(sig)
        .and_then(|o| o.expect(tag::SEQUENCE, "Ecdsa-Sig-Value"))
        .map_err(bad)?;
    let mut rd = seq.reader();
    let r = rd
        .required("r")
        .and_then(|o| o.unsigned_bytes())
        .map_err(bad)?;
    let s = rd
        .required("s")
        .and_then(|o| o.unsigned_bytes())
        .map_err(bad)?;
    if !rd.is_empty() {
        return Err(asn1_err("ECDSA signature has fields after r and s"));
    }
    Ok((r, s))
}

fn ecdsa_fail() -> Error {
    sig_err("ECDSA signature does not verify")
}

fn verify_ecdsa_rs(
    backend: Backend,
    curve: Curve,
    point: &[u8],
    hash: HashAlgorithm,
    message: &[u8],
    r: &[u8],
    s: &[u8],
) -> Result<()> {
    let fl = curve.field_len();
    let (r, s) = (strip_leading_zeros(r), strip_leading_zeros(s));
    if r.is_empty() || s.is_empty() || r.len() > fl || s.len() > fl {
        return Err(ecdsa_fail());
    }
    if backend == Backend::Ring {
        use ring::signature as rs;
        let alg = match (curve, hash) {
            (Curve::P256, HashAlgorithm::Sha256) => &rs::ECDSA_P256_SHA256_ASN1,
            (Curve::P256, _) => &rs::ECDSA_P256_SHA384_ASN1,
            (_, HashAlgorithm::Sha256) => &rs::ECDSA_P384_SHA256_ASN1,
            _ => &rs::ECDSA_P384_SHA384_ASN1,
        };
        let der = asn1::sequence(&[&asn1::encode_uint(r), &asn1::encode_uint(s)]);
        return rs::UnparsedPublicKey::new(alg, point)
            .verify(message, &der)
            .map_err(|_| ecdsa_fail());
    }
    // RustCrypto or the generic arithmetic, as `ecdsa_backend` reported.
    ec::verify_ecdsa_prehash(curve, point, &hash.digest(message), r, s)
}

fn rsa_fail(alg: &SignatureAlgorithm) -> Error {
    sig_err(format!("{} signature does not verify", alg.name()))
}

fn verify_rsa(
    backend: Backend,
    n: &[u8],
    e: &[u8],
    alg: &SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let n = strip_leading_zeros(n);
    // Some signers drop leading zero octets: restore the modulus length (RFC 8017 §8.2.2 step 1
    // compares lengths; the value is unchanged).
    let extra = signature.len().saturating_sub(n.len());
    if signature.iter().take(extra).any(|&b| b != 0) {
        return Err(rsa_fail(alg));
    }
    let signature = &signature[extra..];
    let sig: Cow<'_, [u8]> = if signature.len() < n.len() {
        let mut v = vec![0u8; n.len() - signature.len()];
        v.extend_from_slice(signature);
        Cow::Owned(v)
    } else {
        Cow::Borrowed(signature)
    };
    match backend {
        Backend::Ring => verify_rsa_ring(n, e, alg, message, &sig),
        Backend::RsaCrate => verify_rsa_crate(n, e, alg, message, &sig),
        _ => verify_pss_generic(n, e, alg, message, &sig),
    }
}

fn verify_rsa_ring(
    n: &[u8],
    e: &[u8],
    alg: &SignatureAlgorithm,
    message: &[u8],
    sig: &[u8],
) -> Result<()> {
    use HashAlgorithm::*;
    use ring::signature as rs;
    let params: &rs::RsaParameters = match alg {
        SignatureAlgorithm::RsaPkcs1(Sha1) => &rs::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
        SignatureAlgorithm::RsaPkcs1(Sha256) => &rs::RSA_PKCS1_2048_8192_SHA256,
        SignatureAlgorithm::RsaPkcs1(Sha384) => &rs::RSA_PKCS1_2048_8192_SHA384,
        SignatureAlgorithm::RsaPkcs1(Sha512) => &rs::RSA_PKCS1_2048_8192_SHA512,
        SignatureAlgorithm::RsaPss { hash: Sha256, .. } => &rs::RSA_PSS_2048_8192_SHA256,
        SignatureAlgorithm::RsaPss { hash: Sha384, .. } => &rs::RSA_PSS_2048_8192_SHA384,
        SignatureAlgorithm::RsaPss { hash: Sha512, .. } => &rs::RSA_PSS_2048_8192_SHA512,
        _ => return verify_rsa_crate(n, e, alg, message, sig),
    };
    rs::RsaPublicKeyComponents { n, e }
        .verify(params, message, sig)
        .map_err(|_| rsa_fail(alg))
}

fn verify_rsa_crate(
    n: &[u8],
    e: &[u8],
    alg: &SignatureAlgorithm,
    message: &[u8],
    sig: &[u8],
) -> Result<()> {
    use rsa::{BoxedUint, RsaPublicKey, pkcs1v15::Pkcs1v15Sign, pss::Pss};
    let key = RsaPublicKey::new(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
    )
    .map_err(|err| sig_err(format!("RSA key refused: {err}")))?;
    let digest = alg.hash().digest(message);
    let result = match alg {
        SignatureAlgorithm::RsaPkcs1(h) => {
            let scheme = Pkcs1v15Sign {
                hash_len: Some(h.output_len()),
                prefix: h.pkcs1_digest_info_prefix().into_boxed_slice(),
            };
            key.verify(scheme, &digest, sig)
        }
        SignatureAlgorithm::RsaPss {
            hash,
            mgf_hash,
            salt_len,
        } if hash == mgf_hash => match hash {
            HashAlgorithm::Sha1 => {
                key.verify(Pss::<sha1::Sha1>::new_with_salt(*salt_len), &digest, sig)
            }
            HashAlgorithm::Sha224 => {
                key.verify(Pss::<sha2::Sha224>::new_with_salt(*salt_len), &digest, sig)
            }
            HashAlgorithm::Sha256 => {
                key.verify(Pss::<sha2::Sha256>::new_with_salt(*salt_len), &digest, sig)
            }
            HashAlgorithm::Sha384 => {
                key.verify(Pss::<sha2::Sha384>::new_with_salt(*salt_len), &digest, sig)
            }
            HashAlgorithm::Sha512 => {
                key.verify(Pss::<sha2::Sha512>::new_with_salt(*salt_len), &digest, sig)
            }
        },
        _ => return verify_pss_generic(n, e, alg, message, sig),
    };
    result.map_err(|_| rsa_fail(alg))
}

/// MGF1 (RFC 8017 App. B.2.1).
fn mgf1(hash: HashAlgorithm, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.output_len());
    let mut counter = 0u32;
    while out.len() < len {
        out.extend(hash.digest(&[seed, &counter.to_be_bytes()].concat()));
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

/// RSASSA-PSS-VERIFY (RFC 8017 §8.1.2, EMSA-PSS-VERIFY §9.1.2) with any MGF1 hash, over
/// public data only (variable time).
fn verify_pss_generic(
    n: &[u8],
    e: &[u8],
    alg: &SignatureAlgorithm,
    message: &[u8],
    sig: &[u8],
) -> Result<()> {
    let SignatureAlgorithm::RsaPss {
        hash,
        mgf_hash,
        salt_len,
    } = alg
    else {
        return Err(rsa_fail(alg));
    };
    let (n_int, s) = (BigUint::from_bytes_be(n), BigUint::from_bytes_be(sig));
    if s >= n_int {
        return Err(rsa_fail(alg));
    }
    let m = s.modpow(&BigUint::from_bytes_be(e), &n_int);
    let em_bits = rsa_bits(n).saturating_sub(1);
    let em_len = em_bits.div_ceil(8);
    let h_len = hash.output_len();
    let em = ec::int_to_bytes(&m, em_len);
    if em.len() != em_len || em_len < h_len + salt_len + 2 || em.last() != Some(&0xBC) {
        return Err(rsa_fail(alg));
    }
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = rest.get(..h_len).ok_or_else(|| rsa_fail(alg))?;
    let top_mask = 0xFFu8 >> (8 * em_len - em_bits);
    if masked_db.first().is_some_and(|b| b & !top_mask != 0) {
        return Err(rsa_fail(alg));
    }
    let mut db: Vec<u8> = masked_db
        .iter()
        .zip(mgf1(*mgf_hash, h, masked_db.len()))
        .map(|(a, b)| a ^ b)
        .collect();
    if let Some(b) = db.first_mut() {
        *b &= top_mask;
    }
    let ps_len = em_len - h_len - salt_len - 2;
    let (ps, tail) = db.split_at(ps_len);
    let salt = tail.get(1..).unwrap_or_default();
    if ps.iter().any(|&b| b != 0) || tail.first() != Some(&0x01) {
        return Err(rsa_fail(alg));
    }
    let m_prime = [&[0u8; 8][..], &hash.digest(message), salt].concat();
    if hash.digest(&m_prime) != h {
        return Err(rsa_fail(alg));
    }
    Ok(())
}
