//! The cryptographic steps of PACE (ICAO Doc 9303-11 clauses 4.4.3 and 9.4), shared by the
//! terminal and the chip: password keys, nonce encryption, the Generic and Integrated mappings
//! (with the pseudo-random function R_p(s,t) and the point encoding f_G), key derivation,
//! authentication tokens over public key data objects, and the CAM data encryption.
//! [`Generator`] and the functions after it run a step on either kind of domain parameters,
//! a curve (ECDH, here) or a MODP group (DH, in [`super::dh`]).

use super::PaceDomain;
use super::dh::DhParams;
use crate::crypto::cipher::{
    aes_cbc_decrypt, aes_cbc_encrypt, aes_cmac8, aes_ecb_block, pad, retail_mac, tdes_cbc_decrypt,
    tdes_cbc_encrypt, unpad,
};
use crate::crypto::ec::{CurveParams, Point, int_to_bytes};
use crate::crypto::kdf::KeyKind;
use crate::crypto::kdf::{self, derive};
use crate::error::{Error, Result};
use crate::lds::mrz::MrzKeyInfo;
use crate::oids::{Cipher, KeyAgreement, PaceProtocol};
use crate::sm::{SecureMessaging, Suite};
use crate::tlv;
use der::asn1::ObjectIdentifier;
use num_bigint::BigUint;
use num_traits::{One, Zero};
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

/// The shared secret PACE starts from. `Debug` names the kind, never the value.
#[derive(Clone)]
pub enum Password {
    /// The MRZ key information (document number, birth date, expiry).
    Mrz(MrzKeyInfo),
    /// The card access number printed on the document.
    Can(Zeroizing<String>),
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Password::{}(<redacted>)", self.name())
    }
}

impl Password {
    /// A CAN, checked to be 6 digits (some documents use other lengths; digits only).
    pub fn can(can: &str) -> Result<Password> {
        let can = can.trim();
        if can.is_empty() || can.len() > 10 || !can.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Usage(format!(
                "CAN {can:?}: expected the digits printed on the document"
            )));
        }
        Ok(Password::Can(Zeroizing::new(can.to_string())))
    }

    /// The password reference of MSE:Set AT (9303-11 clause 4.4.4.1): 01 MRZ, 02 CAN.
    pub fn reference(&self) -> u8 {
        match self {
            Password::Mrz(_) => 0x01,
            Password::Can(_) => 0x02,
        }
    }

    /// "MRZ" or "CAN".
    pub fn name(&self) -> &'static str {
        match self {
            Password::Mrz(_) => "MRZ",
            Password::Can(_) => "CAN",
        }
    }

    /// K: SHA-1 of the MRZ information, or the CAN's characters.
    pub fn key(&self) -> Zeroizing<Vec<u8>> {
        match self {
            Password::Mrz(info) => {
                Zeroizing::new(Sha1::digest(info.key_seed_string().as_bytes()).to_vec())
            }
            Password::Can(can) => Zeroizing::new(can.as_bytes().to_vec()),
        }
    }

    /// Kπ = KDF(K, 3).
    pub fn pi_key(&self, cipher: Cipher) -> Zeroizing<Vec<u8>> {
        derive(&self.key(), kdf::PACE, KeyKind::from(cipher))
    }
}

fn err(reason: impl Into<String>) -> Error {
    Error::protocol("PACE", reason)
}

/// The length of the chip's nonce s: l = 128 bits for 3DES and AES-128, 256 bits for AES-192
/// and AES-256 (the block length of the integrated mapping's pseudo-random function).
pub fn nonce_len(cipher: Cipher) -> usize {
    match cipher {
        Cipher::Tdes | Cipher::Aes128 => 16,
        Cipher::Aes192 | Cipher::Aes256 => 32,
    }
}

/// The length of the terminal's nonce t (integrated mapping): the key length.
pub fn terminal_nonce_len(cipher: Cipher) -> usize {
    match cipher {
        Cipher::Tdes | Cipher::Aes128 => 16,
        Cipher::Aes192 => 24,
        Cipher::Aes256 => 32,
    }
}

/// E(key, data) in CBC mode with a zero IV (`data` block-aligned).
pub fn cbc_encrypt(cipher: Cipher, key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    match cipher {
        Cipher::Tdes => tdes_cbc_encrypt(key, data),
        _ => aes_cbc_encrypt(key, [0; 16], data),
    }
}

/// D(key, data) in CBC mode with a zero IV.
pub fn cbc_decrypt(cipher: Cipher, key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    match cipher {
        Cipher::Tdes => tdes_cbc_decrypt(key, data),
        _ => aes_cbc_decrypt(key, [0; 16], data),
    }
}

/// A random scalar in [1, n-1].
pub fn random_scalar(params: &CurveParams) -> Result<Zeroizing<Vec<u8>>> {
    params.random_scalar()
}

/// SK·P for a secret scalar.
pub fn mul_secret(params: &CurveParams, point: &Point, scalar: &[u8]) -> Point {
    crate::crypto::ec::mul_secret(params, point, scalar)
}

/// Decodes a peer's point and checks it is on the curve and not at infinity.
pub fn peer_point(params: &CurveParams, bytes: &[u8], what: &str) -> Result<Point> {
    let p = params
        .decode_point(bytes)
        .map_err(|e| err(format!("{what}: {e}")))?;
    if p.is_infinity() || !params.is_on_curve(&p) {
        return Err(err(format!("{what} is not a point of {}", params.curve)));
    }
    Ok(p)
}

/// Generic Mapping: Ĝ = s·G + H with H = SK_map·PK_map(peer).
pub fn generic_mapping(
    params: &CurveParams,
    s: &[u8],
    sk_map: &[u8],
    peer_map: &Point,
) -> Result<Point> {
    let h = mul_secret(params, peer_map, sk_map);
    if h.is_infinity() {
        return Err(err("mapping produced the point at infinity"));
    }
    let g_hat = params.add(&mul_secret(params, &params.generator(), s), &h);
    if g_hat.is_infinity() {
        return Err(err("mapped generator is the point at infinity"));
    }
    Ok(g_hat)
}

/// The integrated mapping's pseudo-random function R_p(s,t) (9303-11 clause 4.4.3.3.2): an
/// octet string of n·l bits, n the smallest with n·l ≥ log2(p) + 64.
pub fn prf(cipher: Cipher, s: &[u8], t: &[u8], p: &BigUint) -> Result<Zeroizing<Vec<u8>>> {
    const C0_128: [u8; 16] = hex_literal(b"A668892A7C41E3CA739F40B057D85904");
    const C1_128: [u8; 16] = hex_literal(b"A4E136AC725F738B01C1F60217C188AD");
    const C0_256: [u8; 32] =
        hex_literal(b"D463D65234124EF7897054986DCA0A174E28DF758CBAA03F240616414D5A1676");
    const C1_256: [u8; 32] =
        hex_literal(b"54BD7255F0AAF831BEC3423FCF39D69B6CBF066677D0FAAE5AADD99DF8E53517");
    let (c0, c1, key_len): (&[u8], &[u8], usize) = match cipher {
        Cipher::Tdes | Cipher::Aes128 => (&C0_128, &C1_128, 16),
        Cipher::Aes192 => (&C0_256, &C1_256, 24),
        Cipher::Aes256 => (&C0_256, &C1_256, 32),
    };
    let l_bits = c0.len() as u64 * 8;
    let n = (p.bits() + 64).div_ceil(l_bits);
    if t.len() != key_len {
        return Err(err(format!(
            "terminal nonce of {} bytes, the cipher needs {key_len}",
            t.len()
        )));
    }
    // k_0 = E(t, s); every k_i is cut to the key length (AES-192 uses 24 of 32 octets).
    let mut k = Zeroizing::new(cbc_encrypt(cipher, t, s)?);
    let mut out = Zeroizing::new(Vec::with_capacity(n as usize * c0.len()));
    for _ in 0..n {
        let mut key = k.to_vec();
        key.resize(key_len, 0);
        out.extend(cbc_encrypt(cipher, &key, c1)?);
        k = Zeroizing::new(cbc_encrypt(cipher, &key, c0)?);
    }
    Ok(out)
}

const fn hex_literal<const N: usize>(s: &[u8]) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'F' => c - b'A' + 10,
            _ => 0,
        }
    }
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(s[2 * i]) << 4) | nibble(s[2 * i + 1]);
        i += 1;
    }
    out
}

/// The point encoding f_G of the integrated mapping (9303-11 clause 4.4.3.3.2, Icart-style
/// encoding for p ≡ 3 mod 4).
pub fn point_encoding(params: &CurveParams, t: &BigUint) -> Result<Point> {
    let p = &params.p;
    if (p % 4u32) != BigUint::from(3u32) {
        return Err(err(format!(
            "integrated mapping needs p ≡ 3 mod 4, {} has not",
            params.curve
        )));
    }
    let t = t % p;
    let modp = |x: BigUint| x % p;
    let neg = |x: &BigUint| {
        if x.is_zero() {
            BigUint::zero()
        } else {
            p - (x % p)
        }
    };
    let inv = |x: &BigUint| x.modpow(&(p - 2u32), p);
    let a = &params.a;
    let b = &params.b;
    let alpha = neg(&modp(&t * &t));
    let alpha2 = modp(&alpha * &alpha);
    let denom = modp(a * modp(&alpha + &alpha2));
    if denom.is_zero() {
        return Err(err("point encoding: degenerate input"));
    }
    let x2 = modp(neg(b) * modp(BigUint::one() + &alpha + &alpha2) * inv(&denom));
    let x3 = modp(&alpha * &x2);
    let curve_rhs = |x: &BigUint| modp(modp(x * x) * x + modp(a * x) + b);
    let h2 = curve_rhs(&x2);
    let u = modp(modp(&t * &t) * &t * &h2);
    let exp = p - 1u32 - ((p + 1u32) >> 2);
    let big_a = h2.modpow(&exp, p);
    let (x, y) = if modp(&big_a * &big_a * &h2) == BigUint::one() {
        (x2, modp(&big_a * &h2))
    } else {
        (x3, modp(&big_a * &u))
    };
    let point = Point::Affine { x, y };
    if !params.is_on_curve(&point) {
        return Err(err("point encoding left the curve"));
    }
    Ok(point)
}

/// Integrated Mapping: Ĝ = f_G(R_p(s,t) mod p).
pub fn integrated_mapping(
    params: &CurveParams,
    cipher: Cipher,
    s: &[u8],
    t: &[u8],
) -> Result<Point> {
    let r = prf(cipher, s, t, &params.p)?;
    point_encoding(params, &(BigUint::from_bytes_be(&r) % &params.p))
}

/// A session key.
pub type SecretKey = Zeroizing<Vec<u8>>;

/// KSenc and KSmac from the shared secret, and the new secure messaging session (SSC 0).
pub fn session(cipher: Cipher, k: &[u8]) -> Result<(SecureMessaging, SecretKey, SecretKey)> {
    let ks_enc = derive(k, kdf::ENC, KeyKind::from(cipher));
    let ks_mac = derive(k, kdf::MAC, KeyKind::from(cipher));
    let (suite, ssc) = match cipher {
        Cipher::Tdes => (Suite::Tdes, vec![0u8; 8]),
        _ => (Suite::Aes, vec![0u8; 16]),
    };
    let sm = SecureMessaging::new(suite, &ks_enc, &ks_mac, &ssc)?;
    Ok((sm, ks_enc, ks_mac))
}

/// The public key data object an authentication token is computed over (9303-11 clause 9.4):
/// `7F49 { 06 protocol OID, 86 point }` for ECDH, `7F49 { 06 protocol OID, 84 value }` for DH
/// (the protocol OID says which).
pub fn public_key_object(oid: &ObjectIdentifier, point: &[u8]) -> Vec<u8> {
    let tag = match PaceProtocol::from_oid(oid).map(|p| p.agreement) {
        Some(KeyAgreement::Dh) => 0x84,
        _ => 0x86,
    };
    let mut inner = Vec::with_capacity(point.len() + 24);
    tlv::write(&mut inner, 0x06, oid.as_bytes());
    tlv::write(&mut inner, tag, point);
    tlv::encode(0x7F49, &inner)
}

/// The authentication token: the MAC of the peer's public key data object under KSmac
/// (`peer_point` is the peer's encoded point or DH public value).
pub fn token(
    cipher: Cipher,
    ks_mac: &[u8],
    oid: &ObjectIdentifier,
    peer_point: &[u8],
) -> Result<[u8; 8]> {
    let data = public_key_object(oid, peer_point);
    match cipher {
        Cipher::Tdes => retail_mac(ks_mac, &pad(&data, 8)),
        _ => aes_cmac8(ks_mac, &data),
    }
}

/// The CAM chip authentication data: AES-CBC with IV = E(KSenc, -1), padded.
pub fn cam_encrypt(ks_enc: &[u8], ca_ic: &[u8]) -> Result<Vec<u8>> {
    let iv = aes_ecb_block(ks_enc, [0xFF; 16])?;
    aes_cbc_encrypt(ks_enc, iv, &pad(ca_ic, 16))
}

/// Decrypts the CAM chip authentication data.
pub fn cam_decrypt(ks_enc: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    let iv = aes_ecb_block(ks_enc, [0xFF; 16])?;
    Ok(unpad(&aes_cbc_decrypt(ks_enc, iv, data)?)?.to_vec())
}

/// The x coordinate of a shared point, as K.
pub fn shared_secret(params: &CurveParams, point: &Point) -> Result<Zeroizing<Vec<u8>>> {
    let x = point
        .x()
        .ok_or_else(|| err("shared secret is the point at infinity"))?;
    Ok(Zeroizing::new(int_to_bytes(x, params.field_len())))
}

/// A generator of the key agreement: G or the mapped Ĝ on a curve, g or ĝ in a MODP group.
#[derive(Clone, Debug)]
pub enum Generator {
    /// A point of the curve.
    Ec(&'static CurveParams, Point),
    /// An element of the subgroup of order q.
    Dh(&'static DhParams, BigUint),
}

impl Generator {
    /// The standard generator of the domain parameters (G, or g).
    pub fn standard(domain: PaceDomain) -> Generator {
        match domain {
            PaceDomain::Ec(curve) => {
                let params = curve.params();
                Generator::Ec(params, params.generator())
            }
            PaceDomain::Dh(group) => {
                let dh = DhParams::of(group);
                Generator::Dh(dh, dh.g.clone())
            }
        }
    }

    /// The encoded generator: an uncompressed point, or a value at the length of p.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Generator::Ec(params, point) => params.encode_point(point),
            Generator::Dh(dh, g) => dh.encode(g),
        }
    }

    /// The public key of the private key `sk`: SK·G, or g^SK mod p.
    pub fn public_key(&self, sk: &[u8]) -> Result<Vec<u8>> {
        match self {
            Generator::Ec(params, point) => Ok(params.encode_point(&mul_secret(params, point, sk))),
            Generator::Dh(dh, g) => dh.public_key(g, sk),
        }
    }
}

/// A random private key for the domain parameters: in [1, n − 1], or [1, q − 1].
pub fn random_key(domain: PaceDomain) -> Result<SecretKey> {
    match domain {
        PaceDomain::Ec(curve) => random_scalar(curve.params()),
        PaceDomain::Dh(group) => DhParams::of(group).random_key(),
    }
}

/// The Generic Mapping on either domain; `peer_map` is the peer's encoded mapping key, checked.
pub fn map_generic(
    domain: PaceDomain,
    s: &[u8],
    sk_map: &[u8],
    peer_map: &[u8],
    what: &str,
) -> Result<Generator> {
    match domain {
        PaceDomain::Ec(curve) => {
            let params = curve.params();
            let peer = peer_point(params, peer_map, what)?;
            Ok(Generator::Ec(
                params,
                generic_mapping(params, s, sk_map, &peer)?,
            ))
        }
        PaceDomain::Dh(group) => {
            let dh = DhParams::of(group);
            Ok(Generator::Dh(dh, dh.generic_mapping(s, sk_map, peer_map)?))
        }
    }
}

/// The Integrated Mapping on either domain.
pub fn map_integrated(domain: PaceDomain, cipher: Cipher, s: &[u8], t: &[u8]) -> Result<Generator> {
    match domain {
        PaceDomain::Ec(curve) => {
            let params = curve.params();
            Ok(Generator::Ec(
                params,
                integrated_mapping(params, cipher, s, t)?,
            ))
        }
        PaceDomain::Dh(group) => {
            let dh = DhParams::of(group);
            Ok(Generator::Dh(dh, dh.integrated_mapping(cipher, s, t)?))
        }
    }
}

/// The shared secret K of the ephemeral key agreement: the x coordinate of SK·PK (field
/// length), or PK^SK mod p (length of p). The peer's key `peer` is checked first.
pub fn agree(domain: PaceDomain, sk: &[u8], peer: &[u8], what: &str) -> Result<SecretKey> {
    match domain {
        PaceDomain::Ec(curve) => {
            let params = curve.params();
            let point = peer_point(params, peer, what)?;
            shared_secret(params, &mul_secret(params, &point, sk))
        }
        PaceDomain::Dh(group) => DhParams::of(group).shared_secret(sk, peer, what),
    }
}
