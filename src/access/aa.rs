//! Active Authentication (ICAO Doc 9303-11 clause 6.1), both roles: the terminal's INTERNAL
//! AUTHENTICATE with an 8-byte challenge RND.IFD and the check of the chip's signature, and the
//! chip's signing.
//!
//! RSA keys sign with ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery:
//! F = `6A` ‖ M1 ‖ H(M1 ‖ RND.IFD) ‖ trailer, s = F^d mod n. The trailer is `BC` (SHA-1) or two
//! bytes `xx CC` with an ISO/IEC 10118-3 hash identifier (`33` SHA-1, `34` SHA-256, `35` SHA-512,
//! `36` SHA-384, `38` SHA-224). ECDSA keys sign RND.IFD with the hash of ActiveAuthenticationInfo
//! (ecdsa-plain-SHA*, BSI TR-03111 clause 5.2.1), in the plain `r ‖ s` format; some chips send a
//! DER `SEQUENCE { r, s }` instead, which the terminal also accepts.
//!
//! The EC key handling under it (PKCS#8 parsing, public keys, ECDSA signing and verification on
//! every curve) is in [`crate::crypto::keys`] and [`crate::crypto::ec`].

use crate::access::ca::random8;
use crate::apdu::{Command, MAX_SHORT_NE, Response, sw};
use crate::asn1::{self, tag};
use crate::crypto::ec::{self, Curve, int_to_bytes};
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::keys::{MAX_RSA_BITS, PublicKey};
use crate::error::{Error, Result};
use crate::iso7816::challenge::{CHALLENGE_LEN, internal_authenticate};
use crate::iso7816::refusal::{ChipError, ChipResult};
use crate::oids;
use crate::rand::fill_random;
use der::asn1::ObjectIdentifier;
use num_bigint::BigUint;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

fn aa_err(reason: impl Into<String>) -> Error {
    Error::protocol("AA", reason)
}

/// How the chip signs: from ActiveAuthenticationInfo (ECDSA) or the key type (RSA).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum AaAlgorithm {
    /// ISO/IEC 9796-2 scheme 1; the trailer names the hash.
    Rsa,
    /// ECDSA with this hash; `None` (no ActiveAuthenticationInfo) tries the hash matching the
    /// curve size, then SHA-256.
    Ecdsa(Option<HashAlgorithm>),
}

const X962_ECDSA_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const X962_ECDSA_SHA2: [(ObjectIdentifier, HashAlgorithm); 4] = [
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.1"),
        HashAlgorithm::Sha224,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
        HashAlgorithm::Sha256,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3"),
        HashAlgorithm::Sha384,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4"),
        HashAlgorithm::Sha512,
    ),
];

impl AaAlgorithm {
    /// The algorithm of an ActiveAuthenticationInfo signatureAlgorithm: ecdsa-plain-SHA* (BSI
    /// TR-03111) or, as some chips write it, ecdsa-with-SHA* (ANSI X9.62).
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<AaAlgorithm> {
        let plain = [
            (oids::ECDSA_PLAIN_SHA1, HashAlgorithm::Sha1),
            (oids::ECDSA_PLAIN_SHA224, HashAlgorithm::Sha224),
            (oids::ECDSA_PLAIN_SHA256, HashAlgorithm::Sha256),
            (oids::ECDSA_PLAIN_SHA384, HashAlgorithm::Sha384),
            (oids::ECDSA_PLAIN_SHA512, HashAlgorithm::Sha512),
            (X962_ECDSA_SHA1, HashAlgorithm::Sha1),
        ];
        plain
            .iter()
            .chain(X962_ECDSA_SHA2.iter())
            .find(|(o, _)| o == oid)
            .map(|(_, h)| AaAlgorithm::Ecdsa(Some(*h)))
    }

    /// The algorithm for `key` given the ActiveAuthenticationInfo OID, if DG14 has one.
    pub fn for_key(key: &PublicKey, info: Option<&ObjectIdentifier>) -> Result<AaAlgorithm> {
        match (key, info) {
            (PublicKey::Rsa { .. }, _) => Ok(AaAlgorithm::Rsa),
            (PublicKey::Ec { .. }, None) => Ok(AaAlgorithm::Ecdsa(None)),
            (PublicKey::Ec { .. }, Some(oid)) => AaAlgorithm::from_oid(oid)
                .ok_or_else(|| aa_err(format!("unsupported signature algorithm {oid}"))),
        }
    }
}

/// The hash whose size matches the curve's (SHA-1 up to 192 bits, ..., SHA-512 above 384).
pub fn curve_hash(curve: Curve) -> HashAlgorithm {
    match curve.bits() {
        0..=192 => HashAlgorithm::Sha1,
        193..=224 => HashAlgorithm::Sha224,
        225..=256 => HashAlgorithm::Sha256,
        257..=384 => HashAlgorithm::Sha384,
        _ => HashAlgorithm::Sha512,
    }
}

/// A verified Active Authentication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AaOutcome {
    /// RND.IFD as sent.
    pub challenge: [u8; 8],
    /// The chip's signature as received.
    pub signature: Vec<u8>,
    /// The hash the signature turned out to use.
    pub hash: HashAlgorithm,
}

/// Terminal side: INTERNAL AUTHENTICATE with `challenge` (random when `None`), then checks the
/// signature with the DG15 key. Any failure, including a status other than 9000, is an error.
pub fn active_authentication(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    key: &PublicKey,
    algorithm: AaAlgorithm,
    challenge: Option<[u8; 8]>,
) -> Result<AaOutcome> {
    let challenge = match challenge {
        Some(c) => c,
        None => random8()?,
    };
    let cmd = internal_authenticate(&challenge, MAX_SHORT_NE);
    let resp = transmit(&cmd)?;
    if resp.sw != sw::OK {
        return Err(Error::status("AA: INTERNAL AUTHENTICATE", resp.sw));
    }
    let hash = verify(key, algorithm, &challenge, &resp.data)?;
    Ok(AaOutcome {
        challenge,
        signature: resp.data,
        hash,
    })
}

/// Checks an Active Authentication signature over `challenge`; returns the hash it used.
pub fn verify(
    key: &PublicKey,
    algorithm: AaAlgorithm,
    challenge: &[u8],
    sig: &[u8],
) -> Result<HashAlgorithm> {
    match (key, algorithm) {
        (PublicKey::Rsa { n, e }, AaAlgorithm::Rsa) => verify_iso9796_2(n, e, challenge, sig),
        (PublicKey::Ec { curve, .. }, AaAlgorithm::Ecdsa(hash)) => {
            let mut hashes = vec![hash.unwrap_or(curve_hash(*curve))];
            if hash.is_none() && hashes[0] != HashAlgorithm::Sha256 {
                hashes.push(HashAlgorithm::Sha256);
            }
            verify_ecdsa(key, *curve, &hashes, challenge, sig)
        }
        _ => Err(aa_err(format!(
            "{algorithm:?} does not go with a {} key",
            key.describe()
        ))),
    }
}

/// r and s of a DER `SEQUENCE { r INTEGER, s INTEGER }` with nothing after it.
fn parse_der_signature(sig: &[u8]) -> Option<(&[u8], &[u8])> {
    let seq = asn1::parse_exact(sig)
        .ok()?
        .expect(tag::SEQUENCE, "ECDSA signature")
        .ok()?;
    let mut r = seq.reader();
    let rr = r.required("r").ok()?.unsigned_bytes().ok()?;
    let ss = r.required("s").ok()?.unsigned_bytes().ok()?;
    r.is_empty().then_some((rr, ss))
}

/// ECDSA over the challenge, on every curve and with every hash length (e.g. SHA-1 on P-384).
fn verify_ecdsa(
    key: &PublicKey,
    curve: Curve,
    hashes: &[HashAlgorithm],
    challenge: &[u8],
    sig: &[u8],
) -> Result<HashAlgorithm> {
    let PublicKey::Ec { point, .. } = key else {
        return Err(aa_err("ECDSA needs an EC key"));
    };
    let fl = curve.field_len();
    let mut candidates = Vec::new();
    if sig.len() == 2 * fl {
        candidates.push(sig.split_at(fl));
    }
    if let Some(rs) = parse_der_signature(sig) {
        candidates.push(rs);
    }
    if candidates.is_empty() {
        return Err(aa_err(format!(
            "ECDSA signature of {} bytes: neither r||s ({} bytes) nor DER",
            sig.len(),
            2 * fl
        )));
    }
    for &h in hashes {
        let digest = h.digest(challenge);
        for (r, s) in &candidates {
            if r.len() <= fl
                && s.len() <= fl
                && ec::verify_ecdsa_prehash(curve, point, &digest, r, s).is_ok()
            {
                return Ok(h);
            }
        }
    }
    Err(aa_err("the chip's ECDSA signature does not verify"))
}

/// The hash named by an ISO/IEC 9796-2 trailer, and the trailer's length.
fn trailer_hash(f: &[u8]) -> Result<(HashAlgorithm, usize)> {
    match f {
        [.., 0xBC] => Ok((HashAlgorithm::Sha1, 1)),
        [.., id, 0xCC] => match id {
            0x33 => Ok((HashAlgorithm::Sha1, 2)),
            0x34 => Ok((HashAlgorithm::Sha256, 2)),
            0x35 => Ok((HashAlgorithm::Sha512, 2)),
            0x36 => Ok((HashAlgorithm::Sha384, 2)),
            0x38 => Ok((HashAlgorithm::Sha224, 2)),
            _ => Err(aa_err(format!(
                "unsupported hash identifier {id:02X} in the trailer"
            ))),
        },
        [.., t] => Err(aa_err(format!("trailer {t:02X} is neither BC nor xxCC"))),
        [] => Err(aa_err("empty message representative")),
    }
}

/// The trailer for `hash`: `BC` for SHA-1, else the two-byte form.
fn trailer(hash: HashAlgorithm) -> Vec<u8> {
    match hash {
        HashAlgorithm::Sha1 => vec![0xBC],
        HashAlgorithm::Sha256 => vec![0x34, 0xCC],
        HashAlgorithm::Sha512 => vec![0x35, 0xCC],
        HashAlgorithm::Sha384 => vec![0x36, 0xCC],
        HashAlgorithm::Sha224 => vec![0x38, 0xCC],
    }
}

/// ISO/IEC 9796-2 scheme 1 message representative F = `6A` ‖ M1 ‖ H(M1 ‖ M2) ‖ trailer.
pub fn iso9796_2_representative(m1: &[u8], m2: &[u8], hash: HashAlgorithm) -> Vec<u8> {
    let mut m = m1.to_vec();
    m.extend_from_slice(m2);
    let mut f = vec![0x6A];
    f.extend_from_slice(m1);
    f.extend(hash.digest(&m));
    f.extend(trailer(hash));
    f
}

/// Recovers M1 from an RSA signature and checks H(M1 ‖ challenge); returns the hash used.
fn verify_iso9796_2(n: &[u8], e: &[u8], challenge: &[u8], sig: &[u8]) -> Result<HashAlgorithm> {
    let n = BigUint::from_bytes_be(n);
    let e = BigUint::from_bytes_be(e);
    let bits = n.bits() as usize;
    if !(512..=MAX_RSA_BITS).contains(&bits) {
        return Err(aa_err(format!("RSA key of {bits} bits is not usable")));
    }
    if e < BigUint::from(3u32) || !e.bit(0) {
        return Err(aa_err("RSA public exponent is even or below 3"));
    }
    let k = bits.div_ceil(8);
    if sig.is_empty() || sig.len() > k {
        return Err(aa_err(format!(
            "RSA signature of {} bytes for a {k}-byte modulus",
            sig.len()
        )));
    }
    let s = BigUint::from_bytes_be(sig);
    if s >= n {
        return Err(aa_err("RSA signature is not smaller than the modulus"));
    }
    let f = Zeroizing::new(int_to_bytes(&s.modpow(&e, &n), k));
    if f.first() != Some(&0x6A) {
        return Err(aa_err(
            "recovered message has no 6A header (wrong key, or not ISO 9796-2 partial recovery)",
        ));
    }
    let (hash, t) = trailer_hash(&f)?;
    let hlen = hash.output_len();
    let m1_end = k
        .checked_sub(t + hlen)
        .filter(|&end| end >= 1)
        .ok_or_else(|| aa_err("modulus too short for the hash"))?;
    let (m1, h) = (&f[1..m1_end], &f[m1_end..k - t]);
    let mut m = m1.to_vec();
    m.extend_from_slice(challenge);
    if bool::from(hash.digest(&m).ct_eq(h)) {
        Ok(hash)
    } else {
        Err(aa_err(
            "ISO 9796-2 hash does not match: the signature is not over our challenge",
        ))
    }
}

/// An Active Authentication private key (the DG15 key's counterpart).
pub enum AaKey {
    /// RSA.
    Rsa(Box<rsa::RsaPrivateKey>),
    /// ECDSA: the curve and the scalar at field length.
    Ec {
        /// The curve.
        curve: Curve,
        /// The private scalar.
        scalar: Zeroizing<Vec<u8>>,
    },
}

impl std::fmt::Debug for AaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AaKey::Rsa(_) => f.write_str("AaKey::Rsa(<secret>)"),
            AaKey::Ec { curve, .. } => write!(f, "AaKey::Ec({curve}, <secret>)"),
        }
    }
}

/// The signature encoding an EC chip uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum EcdsaFormat {
    /// `r ‖ s`, each at field length (BSI TR-03111).
    Plain,
    /// DER `SEQUENCE { r INTEGER, s INTEGER }`.
    Der,
}

impl AaKey {
    /// Reads a PKCS#8 DER private key: RSA, or EC on a named or explicit curve.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<AaKey> {
        use rsa::pkcs8::DecodePrivateKey;
        if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
            return Ok(AaKey::Rsa(Box::new(k)));
        }
        let (curve, scalar) = crate::crypto::keys::ec_private_key_from_pkcs8(der)?;
        Ok(AaKey::Ec { curve, scalar })
    }

    /// The public key DG15 publishes for this key.
    pub fn public_key(&self) -> Result<PublicKey> {
        use rsa::traits::PublicKeyParts;
        Ok(match self {
            AaKey::Rsa(k) => PublicKey::Rsa {
                n: k.n_bytes().to_vec(),
                e: k.e_bytes().to_vec(),
            },
            AaKey::Ec { curve, scalar } => PublicKey::Ec {
                curve: *curve,
                point: ec::public_key(*curve, scalar)?,
            },
        })
    }

    /// INTERNAL AUTHENTICATE: RSA signs with ISO 9796-2 scheme 1 and SHA-1 (trailer `BC`),
    /// ECDSA with the curve-size hash in the plain format. The chip refuses a challenge that is
    /// not 8 bytes.
    pub fn internal_authenticate(&self, challenge: &[u8]) -> ChipResult<Vec<u8>> {
        if challenge.len() != CHALLENGE_LEN {
            return Err(ChipError::wrong_length("AA: challenge is not 8 bytes"));
        }
        match self {
            AaKey::Rsa(_) => self.sign_rsa(challenge, HashAlgorithm::Sha1),
            AaKey::Ec { curve, .. } => {
                self.sign_ecdsa(challenge, curve_hash(*curve), EcdsaFormat::Plain)
            }
        }
        .map_err(|_| ChipError::internal("AA: signing"))
    }

    fn check_challenge(challenge: &[u8]) -> Result<()> {
        if challenge.len() == 8 {
            Ok(())
        } else {
            Err(Error::status(
                "AA: challenge is not 8 bytes",
                sw::WRONG_LENGTH,
            ))
        }
    }

    /// ISO/IEC 9796-2 scheme 1 signature with a random M1 filling the modulus. The private
    /// exponentiation is crypto-bigint's fixed-window Montgomery power (constant time in d),
    /// checked with the public exponent against faults.
    pub fn sign_rsa(&self, challenge: &[u8], hash: HashAlgorithm) -> Result<Vec<u8>> {
        use ecdsa::elliptic_curve::bigint::modular::BoxedMontyForm;
        use rsa::traits::{PrivateKeyParts, PublicKeyParts};
        Self::check_challenge(challenge)?;
        let AaKey::Rsa(key) = self else {
            return Err(aa_err("RSA signing needs an RSA key"));
        };
        let n = BigUint::from_bytes_be(&key.n_bytes());
        let k = (n.bits() as usize).div_ceil(8);
        let m1_len = k
            .checked_sub(1 + hash.output_len() + trailer(hash).len())
            .ok_or_else(|| aa_err("RSA key too small for the hash"))?;
        let mut m1 = Zeroizing::new(vec![0u8; m1_len]);
        fill_random(&mut m1)?;
        let f = Zeroizing::new(iso9796_2_representative(&m1, challenge, hash));
        if BigUint::from_bytes_be(&f) >= n {
            return Err(aa_err(
                "message representative is not smaller than the modulus",
            ));
        }
        let precision = key.n().as_ref().bits_precision();
        let fx = rsa::BoxedUint::from_be_slice(&f, precision)
            .map_err(|_| aa_err("message representative does not fit the modulus"))?;
        let s = BoxedMontyForm::new(fx, key.n_params())
            .pow(key.d())
            .retrieve();
        let s = BigUint::from_bytes_be(&s.to_be_bytes());
        let e = BigUint::from_bytes_be(&key.e_bytes());
        if s.modpow(&e, &n) != BigUint::from_bytes_be(&f) {
            return Err(aa_err("RSA signing failed its own check"));
        }
        Ok(int_to_bytes(&s, k))
    }

    /// ECDSA over `challenge` with `hash` and a fresh random nonce.
    pub fn sign_ecdsa(
        &self,
        challenge: &[u8],
        hash: HashAlgorithm,
        format: EcdsaFormat,
    ) -> Result<Vec<u8>> {
        Self::check_challenge(challenge)?;
        let AaKey::Ec { curve, scalar } = self else {
            return Err(aa_err("ECDSA signing needs an EC key"));
        };
        let rs = ec::sign_ecdsa_prehash(*curve, scalar, &hash.digest(challenge))?;
        Ok(match format {
            EcdsaFormat::Plain => rs,
            EcdsaFormat::Der => {
                let (r, s) = rs.split_at(rs.len() / 2);
                asn1::sequence(&[&asn1::encode_uint(r), &asn1::encode_uint(s)])
            }
        })
    }
}
