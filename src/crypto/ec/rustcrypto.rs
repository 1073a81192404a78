//! The one curve dispatch of the crate: which [`Curve`]s a RustCrypto crate implements (NIST
//! P-256, P-384, P-521 from FIPS 186-4 App. D.1.2; brainpoolP256r1, brainpoolP384r1 from RFC 5639
//! §3.4, §3.6) and the operations run there: k·P (SEC 1 v2 §3.3.1), a public key from a private
//! scalar (§3.2.1), the ECDH x coordinate (§3.3.1), ECDSA signing (§4.1.3) and verification
//! (§4.1.4) over a prehash. The arithmetic there is constant time in the secret scalar.
//!
//! Every function returns `None` for a curve no crate covers; the callers in `super::ops`
//! then run the generic arithmetic of [`super::CurveParams`]. Points go in and out as SEC 1
//! octet strings (uncompressed out), scalars as unsigned big-endian integers.

use super::Curve;
use crate::error::{Error, Result};
use elliptic_curve::sec1::ToSec1Point;
use zeroize::Zeroizing;

/// Runs `$body` with `$C` bound to the RustCrypto curve type of `$curve` and gives
/// `Some(result)`, or `None` when no crate covers the curve. The only table of its kind.
#[rustfmt::skip]
macro_rules! on_curve {
    ($curve:expr, $C:ident => $body:expr) => {
        match $curve {
            Curve::P256 => { type $C = p256::NistP256; Some($body) }
            Curve::P384 => { type $C = p384::NistP384; Some($body) }
            Curve::P521 => { type $C = p521::NistP521; Some($body) }
            Curve::BrainpoolP256r1 => { type $C = bp256::BrainpoolP256r1; Some($body) }
            Curve::BrainpoolP384r1 => { type $C = bp384::BrainpoolP384r1; Some($body) }
            Curve::P192
            | Curve::P224
            | Curve::BrainpoolP192r1
            | Curve::BrainpoolP224r1
            | Curve::BrainpoolP320r1
            | Curve::BrainpoolP512r1 => None,
        }
    };
}

fn ec_err(msg: impl Into<String>) -> Error {
    Error::protocol("EC", msg)
}

fn bad_scalar(curve: Curve) -> Error {
    ec_err(format!("private key out of range for {curve}"))
}

fn ecdsa_fail() -> Error {
    Error::protocol("signature", "ECDSA signature does not verify")
}

/// The operating system's random generator as a `rand_core` generator.
fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

/// True when a RustCrypto crate implements `curve`.
pub fn covers(curve: Curve) -> bool {
    on_curve!(curve, C => std::mem::size_of::<C>()).is_some()
}

/// k·P, `None` when no crate covers the curve or the input does not decode (a point off the
/// curve, a scalar of n or more) or the result is the point at infinity: the generic path then
/// decides. `k` = 0 is not refused here.
pub fn mul(curve: Curve, point: &[u8], scalar: &[u8]) -> Option<Vec<u8>> {
    use elliptic_curve::PrimeField;
    on_curve!(curve, C => {
        let s = crate::uint::strip_leading_zeros(scalar);
        let mut repr = Zeroizing::new(elliptic_curve::FieldBytes::<C>::default());
        let offset = repr.len().checked_sub(s.len())?;
        repr.get_mut(offset..)?.copy_from_slice(s);
        let k = Option::<elliptic_curve::Scalar<C>>::from(
            elliptic_curve::Scalar::<C>::from_repr(*repr),
        )?;
        let p = elliptic_curve::PublicKey::<C>::from_sec1_bytes(point).ok()?;
        let r = elliptic_curve::group::Curve::to_affine(&(p.to_projective() * k));
        let out = r.to_sec1_point(false);
        // The point at infinity encodes as a single 00.
        let bytes = out.as_bytes();
        (bytes.len() > 1).then(|| bytes.to_vec())
    })
    .flatten()
}

/// The uncompressed public point d·G of a private scalar d in [1, n − 1].
pub fn public_key(curve: Curve, scalar: &[u8]) -> Option<Result<Vec<u8>>> {
    on_curve!(curve, C => {
        elliptic_curve::SecretKey::<C>::from_slice(scalar)
            .map(|sk| sk.public_key().to_sec1_point(false).as_bytes().to_vec())
            .map_err(|_| bad_scalar(curve))
    })
}

/// The x coordinate of d·Q at field length (ECDH), Q a SEC 1 point on the curve.
pub fn ecdh_x(curve: Curve, scalar: &[u8], peer: &[u8]) -> Option<Result<Zeroizing<Vec<u8>>>> {
    on_curve!(curve, C => {
        let sk = elliptic_curve::SecretKey::<C>::from_slice(scalar).map_err(|_| bad_scalar(curve));
        let pk = elliptic_curve::PublicKey::<C>::from_sec1_bytes(peer)
            .map_err(|_| ec_err(format!("the point is not on {curve}")));
        sk.and_then(|sk| {
            let shared = elliptic_curve::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk?.as_affine());
            Ok(Zeroizing::new(shared.raw_secret_bytes().to_vec()))
        })
    })
}

/// ECDSA verification over a prehash of any length; `rs` is r ‖ s, each at field length.
pub fn verify_prehash(curve: Curve, point: &[u8], digest: &[u8], rs: &[u8]) -> Option<Result<()>> {
    use ecdsa::signature::hazmat::PrehashVerifier;
    on_curve!(curve, C => {
        ecdsa::VerifyingKey::<C>::from_sec1_bytes(point)
            .map_err(|_| Error::protocol("signature", "EC public key is not a valid point"))
            .and_then(|key| {
                let sig = ecdsa::Signature::<C>::from_slice(rs).map_err(|_| ecdsa_fail())?;
                key.verify_prehash(digest, &sig).map_err(|_| ecdsa_fail())
            })
    })
}

/// ECDSA signing over a prehash of any length with an RFC 6979 nonce hedged with fresh
/// randomness; the signature is r ‖ s, each at field length.
pub fn sign_prehash(curve: Curve, scalar: &[u8], digest: &[u8]) -> Option<Result<Vec<u8>>> {
    use ecdsa::signature::hazmat::RandomizedPrehashSigner;
    on_curve!(curve, C => {
        ecdsa::SigningKey::<C>::from_slice(scalar)
            .map_err(|_| bad_scalar(curve))
            .and_then(|key| {
                RandomizedPrehashSigner::<ecdsa::Signature<C>>::sign_prehash_with_rng(
                    &key,
                    &mut rng(),
                    digest,
                )
                .map(|sig| sig.to_bytes().to_vec())
                .map_err(|_| ec_err(format!("ECDSA signing on {curve} failed")))
            })
    })
}
