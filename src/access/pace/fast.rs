//! Constant-time scalar multiplication for PACE and CA on the curves RustCrypto implements
//! (NIST P-256, P-384, P-521, brainpoolP256r1, brainpoolP384r1): the generic `num-bigint` arithmetic
//! of `crypto::ec` stays the fallback for every other curve. Points go in and out as uncompressed
//! SEC 1 octet strings.

use crate::crypto::ec::Curve;
use elliptic_curve::PrimeField;
use elliptic_curve::sec1::{FromSec1Point, ToSec1Point};

macro_rules! mul_on {
    ($point:expr, $scalar:expr, $curve:ty, $affine:ty, $proj:ty, $scalar_ty:ty, $len:expr) => {{
        let mut repr = [0u8; $len];
        let s = crate::iso7816::uint::strip_leading_zeros($scalar);
        if s.len() > $len {
            return None;
        }
        repr[$len - s.len()..].copy_from_slice(s);
        let k = Option::<$scalar_ty>::from(<$scalar_ty>::from_repr(repr.into()))?;
        let sec1 = elliptic_curve::sec1::Sec1Point::<$curve>::from_bytes($point).ok()?;
        let p = Option::<$affine>::from(<$affine>::from_sec1_point(&sec1))?;
        let r = (<$proj>::from(p) * k).to_affine();
        let out = r.to_sec1_point(false);
        let bytes = out.as_bytes();
        // The point at infinity encodes as a single 00.
        (bytes.len() > 1).then(|| bytes.to_vec())
    }};
}

/// k·P with a RustCrypto implementation, or `None` when the curve has none here (or the input
/// does not decode: the caller's generic path then reports the error).
pub fn mul(curve: Curve, point: &[u8], scalar: &[u8]) -> Option<Vec<u8>> {
    match curve {
        Curve::P256 => mul_on!(
            point,
            scalar,
            p256::NistP256,
            p256::AffinePoint,
            p256::ProjectivePoint,
            p256::Scalar,
            32
        ),
        Curve::P384 => mul_on!(
            point,
            scalar,
            p384::NistP384,
            p384::AffinePoint,
            p384::ProjectivePoint,
            p384::Scalar,
            48
        ),
        Curve::BrainpoolP256r1 => mul_on!(
            point,
            scalar,
            bp256::BrainpoolP256r1,
            bp256::r1::AffinePoint,
            bp256::r1::ProjectivePoint,
            bp256::Scalar,
            32
        ),
        Curve::BrainpoolP384r1 => mul_on!(
            point,
            scalar,
            bp384::BrainpoolP384r1,
            bp384::r1::AffinePoint,
            bp384::r1::ProjectivePoint,
            bp384::Scalar,
            48
        ),
        Curve::P521 => mul_on!(
            point,
            scalar,
            p521::NistP521,
            p521::AffinePoint,
            p521::ProjectivePoint,
            p521::Scalar,
            66
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    /// The fast path and the generic ladder agree on random points and scalars of each curve.
    #[test]
    fn agrees_with_the_generic_arithmetic() {
        for curve in [
            Curve::P256,
            Curve::P384,
            Curve::P521,
            Curve::BrainpoolP256r1,
            Curve::BrainpoolP384r1,
        ] {
            let params = curve.params();
            for _ in 0..4 {
                let a = crate::access::pace::crypto::random_scalar(params).unwrap();
                let b = crate::access::pace::crypto::random_scalar(params).unwrap();
                let point = params
                    .encode_point(&params.mul(&params.generator(), &BigUint::from_bytes_be(&a)));
                let generic = params.encode_point(&params.mul(
                    &params.decode_point(&point).unwrap(),
                    &BigUint::from_bytes_be(&b),
                ));
                assert_eq!(mul(curve, &point, &b).unwrap(), generic, "{curve}");
            }
        }
        assert_eq!(mul(Curve::P224, &[4; 57], &[1]), None);
        assert_eq!(mul(Curve::P256, &[4; 3], &[1]), None);
    }
}
