//! PACE with Diffie-Hellman (ICAO Doc 9303-11 clause 4.4.3.3, Generic and Integrated Mapping
//! for DH; clause 9.5.1 standardized domain parameters 0-2, the RFC 5114 MODP groups; BSI
//! TR-03110-3 clause A.3.4.1 for the encoding of public values).
//!
//! - Generic Mapping: both sides send mapping keys `g^x mod p`; with `h = Y_map^x mod p` the
//!   ephemeral generator is `ĝ = g^s · h mod p`.
//! - Integrated Mapping: `ĝ = (R_p(s,t) mod p)^((p−1)/q) mod p`, with the pseudo-random function
//!   R of [`super::crypto::prf`].
//! - Key agreement on ĝ: `K = Y^x mod p`, as an octet string of the length of p.
//!
//! Public values travel as big-endian octet strings of the length of p. A peer's value is
//! accepted only when `1 < Y < p − 1` and `Y^q mod p = 1` (it lies in the subgroup of order q);
//! these checks and the modular exponentiations are those of Chip Authentication's
//! [`CaDomain::Dh`], which this module reuses.
//!
//! **Timing:** the arithmetic is `num_bigint::BigUint::modpow`, which is not constant time, and
//! `BigUint` cannot be zeroized, so the nonce s, the private keys and h can leak through timing
//! to a local attacker and stay in freed memory (the limits [`crate::crypto::ec`] describes for its
//! curve arithmetic). The keys are ephemeral, used for one session; the byte strings holding
//! secrets here are zeroized on drop.

use super::crypto::prf;
use crate::access::ca::CaDomain;
use crate::crypto::ec::int_to_bytes;
use crate::error::{Error, Result};
use crate::oids::{Cipher, DhGroup};
use num_bigint::BigUint;
use num_traits::{One, Zero};
use std::sync::OnceLock;
use zeroize::Zeroizing;

fn err(reason: impl Into<String>) -> Error {
    Error::protocol("PACE", reason)
}

/// Re-labels an error of the shared DH code (which speaks as "CA") as a PACE error about `what`.
fn relabel(e: Error, what: &str) -> Error {
    match e {
        Error::Protocol { reason, .. } => err(format!("{what}: {reason}")),
        other => other,
    }
}

/// A MODP group ready for computation: p, g, q as integers and the length of p in octets.
#[derive(Debug)]
pub struct DhParams {
    /// Which group.
    pub group: DhGroup,
    /// The prime modulus.
    pub p: BigUint,
    /// The generator of the subgroup of order q.
    pub g: BigUint,
    /// The prime order of the subgroup.
    pub q: BigUint,
    /// The length of p in octets: the length of every public value and of K.
    pub len: usize,
}

impl DhParams {
    /// The parameters of `group`, computed once.
    pub fn of(group: DhGroup) -> &'static DhParams {
        static CACHE: [OnceLock<DhParams>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = match group {
            DhGroup::Modp1024_160 => &CACHE[0],
            DhGroup::Modp2048_224 => &CACHE[1],
            DhGroup::Modp2048_256 => &CACHE[2],
        };
        slot.get_or_init(|| {
            let p = group.p();
            DhParams {
                group,
                len: p.len(),
                p: BigUint::from_bytes_be(&p),
                g: BigUint::from_bytes_be(&group.g()),
                q: BigUint::from_bytes_be(&group.q()),
            }
        })
    }

    /// The value `x` as an octet string of the length of p.
    pub fn encode(&self, x: &BigUint) -> Vec<u8> {
        int_to_bytes(x, self.len)
    }

    /// The group as Chip Authentication's DH domain, with `base` as its generator.
    fn domain(&self, base: &BigUint) -> CaDomain {
        CaDomain::Dh {
            p: self.encode(&self.p),
            g: self.encode(base),
            q: Some(self.q.to_bytes_be()),
        }
    }

    /// A random private key in [1, q − 1].
    pub fn random_key(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.domain(&self.g)
            .random_private_key()
            .map_err(|e| relabel(e, "DH private key"))
    }

    /// The public value `base^sk mod p`, at the length of p.
    pub fn public_key(&self, base: &BigUint, sk: &[u8]) -> Result<Vec<u8>> {
        self.domain(base)
            .public_key(sk)
            .map_err(|e| relabel(e, "DH public key"))
    }

    /// Checks a peer's public value (`1 < Y < p − 1`, `Y^q mod p = 1`) and returns it.
    pub fn check_public(&self, bytes: &[u8], what: &str) -> Result<BigUint> {
        self.domain(&self.g)
            .check_public_key(bytes)
            .map_err(|e| relabel(e, what))?;
        Ok(BigUint::from_bytes_be(bytes))
    }

    /// `peer^sk mod p` at the length of p, after checking `peer` (as [`Self::check_public`]);
    /// refuses a result of 1.
    pub fn shared_secret(&self, sk: &[u8], peer: &[u8], what: &str) -> Result<Zeroizing<Vec<u8>>> {
        let k = self
            .domain(&self.g)
            .shared_secret(sk, peer)
            .map_err(|e| relabel(e, what))?;
        if BigUint::from_bytes_be(&k) <= BigUint::one() {
            return Err(err(format!("{what}: the shared value is degenerate")));
        }
        Ok(k)
    }

    /// Generic Mapping: `ĝ = g^s · h mod p` with `h = peer_map^sk_map mod p`.
    pub fn generic_mapping(&self, s: &[u8], sk_map: &[u8], peer_map: &[u8]) -> Result<BigUint> {
        if self.q.is_zero() {
            return Err(err("DH group without a subgroup order"));
        }
        let h = self.shared_secret(sk_map, peer_map, "peer mapping key")?;
        // g has order q: reducing s first gives the same g^s and bounds the work whatever
        // length the (decrypted, peer-chosen) nonce has.
        let gs = self
            .g
            .modpow(&(BigUint::from_bytes_be(s) % &self.q), &self.p);
        let g_hat = (gs * BigUint::from_bytes_be(&h)) % &self.p;
        self.check_generator(g_hat)
    }

    /// Integrated Mapping: `ĝ = (R_p(s,t) mod p)^((p−1)/q) mod p`.
    pub fn integrated_mapping(&self, cipher: Cipher, s: &[u8], t: &[u8]) -> Result<BigUint> {
        let r = prf(cipher, s, t, &self.p)?;
        let x = BigUint::from_bytes_be(&r) % &self.p;
        if self.q.is_zero() {
            return Err(err("DH group without a subgroup order"));
        }
        let cofactor = (&self.p - 1u32) / &self.q;
        self.check_generator(x.modpow(&cofactor, &self.p))
    }

    fn check_generator(&self, g_hat: BigUint) -> Result<BigUint> {
        if g_hat <= BigUint::one() || g_hat >= &self.p - 1u32 {
            return Err(err("the mapped generator is degenerate"));
        }
        Ok(g_hat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_values_outside_the_subgroup_are_refused() {
        let dh = DhParams::of(DhGroup::Modp1024_160);
        let p_minus_1 = dh.encode(&(&dh.p - 1u32));
        for bad in [
            vec![0u8; 128],
            dh.encode(&BigUint::one()),
            p_minus_1,
            dh.encode(&dh.p),
            // 2 is not in the subgroup of order q.
            dh.encode(&BigUint::from(2u32)),
            vec![0xFF; 129],
        ] {
            assert!(dh.check_public(&bad, "test").is_err());
        }
        let sk = dh.random_key().unwrap();
        let pk = dh.public_key(&dh.g, &sk).unwrap();
        assert_eq!(pk.len(), 128);
        assert!(dh.check_public(&pk, "test").is_ok());
    }

    #[test]
    fn both_sides_agree_on_every_group() {
        for group in [
            DhGroup::Modp1024_160,
            DhGroup::Modp2048_224,
            DhGroup::Modp2048_256,
        ] {
            let dh = DhParams::of(group);
            let (a, b) = (dh.random_key().unwrap(), dh.random_key().unwrap());
            let (pa, pb) = (
                dh.public_key(&dh.g, &a).unwrap(),
                dh.public_key(&dh.g, &b).unwrap(),
            );
            let s = [7u8; 16];
            let ga = dh.generic_mapping(&s, &a, &pb).unwrap();
            let gb = dh.generic_mapping(&s, &b, &pa).unwrap();
            assert_eq!(ga, gb);
            let g_im = dh
                .integrated_mapping(Cipher::Aes256, &[1; 32], &[2; 32])
                .unwrap();
            assert!(g_im.modpow(&dh.q, &dh.p).is_one());
        }
    }
}
