//! The key agreement groups of Chip Authentication and PACE-DH (BSI TR-03110-3 clause A.2.1,
//! ICAO Doc 9303-11 clause 9.5): ECDH on the standardized curves and DH modulo a prime, with
//! key generation, public keys, the checks on a peer's key and the shared secret.

use super::*;

/// Largest DH modulus accepted, in bits.
const MAX_DH_BITS: u64 = 8192;

/// The DH prime as an integer: odd, above 3, at most [`MAX_DH_BITS`] (hostile parameters would
/// otherwise divide by zero or cost minutes).
fn dh_modulus(p: &[u8]) -> Result<BigUint> {
    let p = BigUint::from_bytes_be(p);
    if p.bits() > MAX_DH_BITS || p < BigUint::from(5u32) || !p.bit(0) {
        return Err(ca_err(format!(
            "DH modulus of {} bits is not usable",
            p.bits()
        )));
    }
    Ok(p)
}

/// The group the key agreement runs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaDomain {
    /// ECDH on a named curve; public keys are uncompressed points.
    Ec(Curve),
    /// DH modulo `p` with generator `g` of order `q` (when known); public keys are `y`.
    Dh {
        /// The prime modulus, big-endian.
        p: Vec<u8>,
        /// The generator, big-endian.
        g: Vec<u8>,
        /// The order of `g`, big-endian, if the parameters give it.
        q: Option<Vec<u8>>,
    },
}

impl CaDomain {
    /// DH or ECDH.
    pub fn agreement(&self) -> KeyAgreement {
        match self {
            CaDomain::Ec(_) => KeyAgreement::Ecdh,
            CaDomain::Dh { .. } => KeyAgreement::Dh,
        }
    }

    /// The tag of the public key in a public key data object: 86 (EC point) or 84 (DH y).
    pub(super) fn key_tag(&self) -> u32 {
        match self {
            CaDomain::Ec(_) => 0x86,
            CaDomain::Dh { .. } => 0x84,
        }
    }

    /// Checks DH parameters are usable (see [`dh_modulus`]; 1 < g < p, q < p); EC always is.
    fn validate(&self) -> Result<()> {
        if let CaDomain::Dh { p, g, q } = self {
            let pn = dh_modulus(p)?;
            let g = BigUint::from_bytes_be(g);
            let q_ok = q.as_ref().is_none_or(|q| BigUint::from_bytes_be(q) < pn);
            if g <= BigUint::one() || g >= pn || !q_ok {
                return Err(ca_err("DH domain parameters out of range"));
            }
        }
        Ok(())
    }

    /// The bound of private keys: n for EC, q (or p − 1 without q) for DH.
    fn scalar_bound(&self) -> BigUint {
        match self {
            CaDomain::Ec(c) => c.params().n.clone(),
            CaDomain::Dh { q: Some(q), .. } => BigUint::from_bytes_be(q),
            CaDomain::Dh { p, q: None, .. } => {
                let p = BigUint::from_bytes_be(p);
                if p.is_zero() { p } else { p - 1u32 }
            }
        }
    }

    fn scalar_len(&self) -> usize {
        self.scalar_bound().bits().div_ceil(8) as usize
    }

    /// A private key as fixed-length bytes, checked to lie in [1, bound − 1].
    pub fn private_key(&self, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        self.validate()?;
        let k = BigUint::from_bytes_be(bytes);
        let bound = self.scalar_bound();
        if k.is_zero() || k >= bound || bound.bits() < 2 {
            return Err(ca_err("private key out of range for the domain parameters"));
        }
        Ok(Zeroizing::new(int_to_bytes(&k, self.scalar_len())))
    }

    /// A fresh random private key.
    pub fn random_private_key(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.validate()?;
        let bound = self.scalar_bound();
        if bound.bits() < 2 {
            return Err(ca_err("domain parameters without a usable group order"));
        }
        let mut raw = Zeroizing::new(vec![0u8; self.scalar_len() + 8]);
        fill_random(&mut raw)?;
        let k = BigUint::from_bytes_be(&raw) % (&bound - 1u32) + 1u32;
        Ok(Zeroizing::new(int_to_bytes(&k, self.scalar_len())))
    }

    /// The public key of a private key from [`CaDomain::private_key`].
    pub fn public_key(&self, private_key: &[u8]) -> Result<Vec<u8>> {
        match self {
            CaDomain::Ec(curve) => ec::public_key(*curve, private_key),
            CaDomain::Dh { p, g, .. } => {
                let y = BigUint::from_bytes_be(g)
                    .modpow(&BigUint::from_bytes_be(private_key), &dh_modulus(p)?);
                Ok(int_to_bytes(&y, p.len()))
            }
        }
    }

    /// Checks a peer's public key: a point on the curve, or `1 < y < p − 1` in the subgroup.
    pub fn check_public_key(&self, public_key: &[u8]) -> Result<()> {
        self.validate()?;
        match self {
            CaDomain::Ec(curve) => curve.params().decode_point(public_key).map(|_| ()),
            CaDomain::Dh { p, q, .. } => {
                let pn = dh_modulus(p)?;
                let y = BigUint::from_bytes_be(public_key);
                let in_range = y > BigUint::one() && &y + 1u32 < pn && public_key.len() <= p.len();
                let in_group = match q {
                    Some(q) if in_range => y.modpow(&BigUint::from_bytes_be(q), &pn).is_one(),
                    _ => in_range,
                };
                if in_range && in_group {
                    Ok(())
                } else {
                    Err(ca_err("DH public key outside the group"))
                }
            }
        }
    }

    /// The shared secret K = KA(private, peer): the x coordinate (field length) for ECDH,
    /// `peer^private mod p` at the length of p for DH. The peer key is checked first.
    pub fn shared_secret(&self, private_key: &[u8], peer: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        self.check_public_key(peer)?;
        match self {
            CaDomain::Ec(curve) => ec::ecdh_x(*curve, private_key, peer),
            CaDomain::Dh { p, .. } => {
                let k = BigUint::from_bytes_be(peer)
                    .modpow(&BigUint::from_bytes_be(private_key), &dh_modulus(p)?);
                Ok(Zeroizing::new(int_to_bytes(&k, p.len())))
            }
        }
    }
}
