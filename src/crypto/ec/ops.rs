//! The EC operations the protocols use, on every curve of the table: private scalars (SEC 1 v2
//! §3.2.1), public keys, secret scalar multiplication (PACE mapping, ICAO Doc 9303-11 §4.4.3.3),
//! the ECDH shared secret (BSI TR-03111 §4.3.1), ECDSA signing (SEC 1 v2 §4.1.3) and
//! verification (§4.1.4) over a prehash. Each runs on the constant-time RustCrypto code where
//! [`super::rustcrypto`] covers the curve, else on the generic arithmetic of [`CurveParams`].

use super::{Curve, CurveParams, Point, ec_err, int_to_bytes, rustcrypto};
use crate::error::Result;
use num_bigint::BigUint;
use num_traits::Zero;
use zeroize::Zeroizing;

fn bad_scalar(curve: Curve) -> crate::error::Error {
    ec_err(format!("private key out of range for {curve}"))
}

impl CurveParams {
    /// A fresh random scalar in [1, n − 1] at field length (8 extra random bytes make the bias
    /// of the reduction negligible).
    pub fn random_scalar(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut bytes = Zeroizing::new(vec![0u8; self.field_len() + 8]);
        crate::rand::fill_random(&mut bytes)?;
        let k = BigUint::from_bytes_be(&bytes) % (&self.n - 1u32) + 1u32;
        Ok(Zeroizing::new(int_to_bytes(&k, self.field_len())))
    }
}

/// A private scalar as field-length bytes, checked to lie in [1, n − 1].
pub fn private_scalar(curve: Curve, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let params = curve.params();
    let k = BigUint::from_bytes_be(bytes);
    if k.is_zero() || k >= params.n {
        return Err(bad_scalar(curve));
    }
    Ok(Zeroizing::new(int_to_bytes(&k, params.field_len())))
}

/// The uncompressed public point d·G of a private scalar d in [1, n − 1].
pub fn public_key(curve: Curve, scalar: &[u8]) -> Result<Vec<u8>> {
    if let Some(point) = rustcrypto::public_key(curve, scalar) {
        return point;
    }
    let params = curve.params();
    let d = private_scalar(curve, scalar)?;
    match params.mul(&params.generator(), &BigUint::from_bytes_be(&d)) {
        Point::Infinity => Err(bad_scalar(curve)),
        p => Ok(params.encode_point(&p)),
    }
}

/// k·P for a secret scalar k.
pub fn mul_secret(params: &CurveParams, point: &Point, scalar: &[u8]) -> Point {
    let fast = rustcrypto::mul(params.curve, &params.encode_point(point), scalar)
        .and_then(|bytes| params.decode_point(&bytes).ok());
    fast.unwrap_or_else(|| params.mul(point, &BigUint::from_bytes_be(scalar)))
}

/// The ECDH shared secret: the x coordinate of d·Q at field length, Q the peer's SEC 1 point
/// (checked to lie on the curve).
pub fn ecdh_x(curve: Curve, scalar: &[u8], peer: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if let Some(x) = rustcrypto::ecdh_x(curve, scalar, peer) {
        return x;
    }
    let params = curve.params();
    let d = private_scalar(curve, scalar)?;
    let q = params.decode_point(peer)?;
    match params.mul(&q, &BigUint::from_bytes_be(&d)) {
        Point::Affine { x, .. } => Ok(Zeroizing::new(int_to_bytes(&x, params.field_len()))),
        Point::Infinity => Err(ec_err("shared secret is the point at infinity")),
    }
}

/// ECDSA over a digest of any length with the private scalar d, as r ‖ s at field length:
/// RustCrypto (RFC 6979 nonce hedged with randomness) where a crate covers the curve, else the
/// generic arithmetic with a random nonce.
pub fn sign_ecdsa_prehash(curve: Curve, scalar: &[u8], digest: &[u8]) -> Result<Vec<u8>> {
    if let Some(rs) = rustcrypto::sign_prehash(curve, scalar, digest) {
        return rs;
    }
    sign_ecdsa_generic(curve, scalar, digest)
}

/// ECDSA over a digest with the generic arithmetic only (SEC 1 v2 §4.1.3, a random nonce k
/// from [`CurveParams::random_scalar`]), r ‖ s at field length. Not constant time: see the
/// module documentation of [`super`].
pub fn sign_ecdsa_generic(curve: Curve, scalar: &[u8], digest: &[u8]) -> Result<Vec<u8>> {
    let params = curve.params();
    let n = &params.n;
    let d = BigUint::from_bytes_be(&private_scalar(curve, scalar)?);
    let e = params.hash_to_int(digest) % n;
    let fl = params.field_len();
    for _ in 0..64 {
        let k = BigUint::from_bytes_be(&params.random_scalar()?);
        let Point::Affine { x, .. } = params.mul(&params.generator(), &k) else {
            continue;
        };
        let r = x % n;
        let Some(k_inv) = k.modinv(n) else { continue };
        let s = (k_inv * ((&e + &r * &d) % n)) % n;
        if !r.is_zero() && !s.is_zero() {
            return Ok([int_to_bytes(&r, fl), int_to_bytes(&s, fl)].concat());
        }
    }
    Err(ec_err("no ECDSA signature from the random generator"))
}

/// ECDSA verification over a hash value on any curve of the table: RustCrypto where a crate
/// covers the curve, else the generic arithmetic. `point` is the public key (SEC 1 encoding),
/// `r` and `s` unsigned big-endian integers.
pub fn verify_ecdsa_prehash(
    curve: Curve,
    point: &[u8],
    hash: &[u8],
    r: &[u8],
    s: &[u8],
) -> Result<()> {
    let fl = curve.field_len();
    let (r, s) = (
        crate::uint::strip_leading_zeros(r),
        crate::uint::strip_leading_zeros(s),
    );
    if hash.is_empty() {
        return Err(crate::error::Error::protocol(
            "signature",
            "empty hash value",
        ));
    }
    if r.is_empty() || s.is_empty() || r.len() > fl || s.len() > fl {
        return Err(super::sig_fail());
    }
    let mut rs = Vec::with_capacity(2 * fl);
    for v in [r, s] {
        rs.resize(rs.len() + fl - v.len(), 0);
        rs.extend_from_slice(v);
    }
    if let Some(result) = rustcrypto::verify_prehash(curve, point, hash, &rs) {
        return result;
    }
    verify_ecdsa_generic(curve, point, hash, r, s)
}

/// ECDSA verification over a hash value with the generic arithmetic only, on every curve.
pub fn verify_ecdsa_generic(
    curve: Curve,
    point: &[u8],
    hash: &[u8],
    r: &[u8],
    s: &[u8],
) -> Result<()> {
    let params = curve.params();
    let q = params.decode_point(point)?;
    params.verify_ecdsa(&q, hash, r, s)
}
