//! Elliptic curves over prime fields for eMRTD signatures and PACE: the named curves of ICAO Doc
//! 9303-11 §9.5.1 (standardized domain parameters 8-18: NIST P-192..P-521 from FIPS 186-4 App.
//! D.1.2 / SEC 2, brainpool r1 curves from RFC 5639 §3), their object identifiers, generic
//! short-Weierstrass arithmetic (SEC 1 v2 §2.2, point encoding §2.3.3-2.3.4), ECDSA verification
//! (SEC 1 v2 §4.1.4, FIPS 186-4 §6.4). Explicit ANSI X9.62 `ECParameters` (RFC 3279 §2.3.5),
//! which real CSCA and DSC keys carry, are recognized by [`curve_from_explicit`] (in
//! [`crate::crypto::keys`], next to the key encodings).
//!
//! The operations the protocols call ([`public_key`], [`mul_secret`], [`ecdh_x`],
//! [`sign_ecdsa_prehash`], [`verify_ecdsa_prehash`]) run on the RustCrypto crates where
//! [`rustcrypto`], the one curve dispatch, covers the curve, and on the arithmetic here
//! otherwise.
//!
//! The arithmetic runs over `num_bigint::BigUint`. It serves the curves no RustCrypto crate covers
//! (P-192, P-224, brainpoolP192r1/224r1/320r1/512r1) and PACE's point mapping. **Timing:**
//! [`CurveParams::mul`] is a fixed-length Montgomery ladder (one addition and one doubling per
//! bit of the order, whatever the scalar), so its operation sequence does not depend on the
//! scalar; but `num-bigint` itself is not constant time (allocation, carries and division depend
//! on the values), so secret scalars can still leak through timing to a local attacker, and
//! `BigUint` cannot be zeroized: intermediate values of a secret multiplication stay in freed
//! memory. Use it with secrets only where that is acceptable (ephemeral PACE keys, which live for
//! one session), and prefer the constant-time RustCrypto or *ring* code where a curve is covered.
//! Verification handles only public data and uses faster variable-time code.

use crate::error::{Error, Result};
use num_bigint::BigUint;
use num_traits::{One, Zero};

pub use crate::crypto::keys::{ID_PRIME_FIELD, curve_from_explicit};

mod curves;
mod ops;
pub mod rustcrypto;
pub use curves::Curve;
pub use ops::{
    ecdh_x, mul_secret, private_scalar, public_key, sign_ecdsa_generic, sign_ecdsa_prehash,
    verify_ecdsa_generic, verify_ecdsa_prehash,
};

/// The domain parameters (p, a, b, G, n, h) of a curve y² = x³ + ax + b over GF(p).
#[derive(Debug)]
pub struct CurveParams {
    /// Which curve.
    pub curve: Curve,
    /// The field prime.
    pub p: BigUint,
    /// Coefficient a.
    pub a: BigUint,
    /// Coefficient b.
    pub b: BigUint,
    /// Base point x.
    pub gx: BigUint,
    /// Base point y.
    pub gy: BigUint,
    /// Order of the base point (prime).
    pub n: BigUint,
    /// Cofactor (1 for every curve here).
    pub h: u32,
    a_is_minus_3: bool,
    field_len: usize,
}

/// A point in affine coordinates, or the point at infinity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Point {
    /// The neutral element.
    Infinity,
    /// An affine point (x, y), coordinates reduced modulo p.
    Affine {
        /// x coordinate.
        x: BigUint,
        /// y coordinate.
        y: BigUint,
    },
}

impl Point {
    /// The x coordinate, unless at infinity.
    pub fn x(&self) -> Option<&BigUint> {
        match self {
            Point::Affine { x, .. } => Some(x),
            Point::Infinity => None,
        }
    }

    /// True for the point at infinity.
    pub fn is_infinity(&self) -> bool {
        matches!(self, Point::Infinity)
    }
}

/// Jacobian coordinates (X/Z², Y/Z³); Z = 0 is infinity.
#[derive(Clone)]
struct Jac {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

impl Jac {
    fn infinity() -> Jac {
        Jac {
            x: BigUint::one(),
            y: BigUint::one(),
            z: BigUint::zero(),
        }
    }

    fn from_point(p: &Point) -> Jac {
        match p {
            Point::Infinity => Jac::infinity(),
            Point::Affine { x, y } => Jac {
                x: x.clone(),
                y: y.clone(),
                z: BigUint::one(),
            },
        }
    }
}

/// `x` as exactly `len` big-endian bytes (left-padded; longer values are returned whole).
pub fn int_to_bytes(x: &BigUint, len: usize) -> Vec<u8> {
    let b = x.to_bytes_be();
    let mut out = vec![0u8; len.saturating_sub(b.len())];
    out.extend_from_slice(&b);
    out
}

fn ec_err(msg: impl Into<String>) -> Error {
    Error::protocol("EC", msg)
}

fn sig_fail() -> Error {
    Error::protocol("signature", "ECDSA signature does not verify")
}

impl CurveParams {
    /// Length of a field element in bytes.
    pub fn field_len(&self) -> usize {
        self.field_len
    }

    /// The base point G.
    pub fn generator(&self) -> Point {
        Point::Affine {
            x: self.gx.clone(),
            y: self.gy.clone(),
        }
    }

    fn fmul(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a * b) % &self.p
    }

    fn fsqr(&self, a: &BigUint) -> BigUint {
        (a * a) % &self.p
    }

    fn fsmall(&self, a: &BigUint, k: u32) -> BigUint {
        (a * k) % &self.p
    }

    fn fadd(&self, a: &BigUint, b: &BigUint) -> BigUint {
        let s = a + b;
        if s >= self.p { s - &self.p } else { s }
    }

    /// a − b mod p; never panics, even on unreduced operands (a caller's own `Point`).
    fn fsub(&self, a: &BigUint, b: &BigUint) -> BigUint {
        if a >= b {
            return a - b;
        }
        let d = b - a;
        let d = if d >= self.p { d % &self.p } else { d };
        if d.is_zero() { d } else { &self.p - d }
    }

    /// x³ + ax + b.
    fn rhs(&self, x: &BigUint) -> BigUint {
        let x3 = self.fmul(&self.fsqr(x), x);
        self.fadd(&self.fadd(&x3, &self.fmul(&self.a, x)), &self.b)
    }

    /// True if `pt` is infinity or satisfies the curve equation with reduced coordinates.
    pub fn is_on_curve(&self, pt: &Point) -> bool {
        match pt {
            Point::Infinity => true,
            Point::Affine { x, y } => x < &self.p && y < &self.p && self.fsqr(y) == self.rhs(x),
        }
    }

    /// A square root modulo p (Tonelli-Shanks; one exponentiation when p ≡ 3 mod 4).
    fn sqrt(&self, a: &BigUint) -> Option<BigUint> {
        let p = &self.p;
        let one = BigUint::one();
        if a.is_zero() {
            return Some(BigUint::zero());
        }
        let pm1 = p - &one;
        let half = &pm1 >> 1u32;
        if a.modpow(&half, p) != one {
            return None;
        }
        if p.bit(1) {
            let y = a.modpow(&((p + &one) >> 2u32), p);
            return (self.fsqr(&y) == *a).then_some(y);
        }
        let s = pm1.trailing_zeros()?;
        let q = &pm1 >> s;
        let mut z = BigUint::from(2u32);
        while z.modpow(&half, p) != pm1 {
            z += 1u32;
            if z.bits() > 16 {
                return None;
            }
        }
        let (mut m, mut c) = (s, z.modpow(&q, p));
        let mut t = a.modpow(&q, p);
        let mut r = a.modpow(&((&q + 1u32) >> 1u32), p);
        while t != one {
            let (mut i, mut t2) = (0u64, t.clone());
            while t2 != one {
                t2 = self.fsqr(&t2);
                i += 1;
                if i >= m {
                    return None;
                }
            }
            let b = c.modpow(&(BigUint::one() << (m - i - 1)), p);
            m = i;
            c = self.fsqr(&b);
            t = self.fmul(&t, &c);
            r = self.fmul(&r, &b);
        }
        Some(r)
    }

    /// Decodes an uncompressed (`04 || X || Y`) or compressed (`02`/`03 || X`) point (SEC 1 v2
    /// §2.3.4) and checks it lies on the curve. Infinity and hybrid encodings are refused.
    pub fn decode_point(&self, bytes: &[u8]) -> Result<Point> {
        let fl = self.field_len;
        let name = self.curve.name();
        match bytes.split_first() {
            Some((0x04, rest)) if rest.len() == 2 * fl => {
                let (xb, yb) = rest.split_at(fl);
                let pt = Point::Affine {
                    x: BigUint::from_bytes_be(xb),
                    y: BigUint::from_bytes_be(yb),
                };
                if !self.is_on_curve(&pt) {
                    return Err(ec_err(format!("the point is not on {name}")));
                }
                Ok(pt)
            }
            Some((prefix @ (0x02 | 0x03), xb)) if xb.len() == fl => {
                let x = BigUint::from_bytes_be(xb);
                if x >= self.p {
                    return Err(ec_err(format!("x coordinate out of range for {name}")));
                }
                let mut y = self
                    .sqrt(&self.rhs(&x))
                    .ok_or_else(|| ec_err(format!("no point on {name} has this x")))?;
                if y.bit(0) != (*prefix == 0x03) {
                    if y.is_zero() {
                        return Err(ec_err("compressed point with an impossible y parity"));
                    }
                    y = &self.p - y;
                }
                Ok(Point::Affine { x, y })
            }
            Some((0x00, [])) => Err(ec_err("the point at infinity is not a valid key")),
            _ => Err(ec_err(format!(
                "expected a {} or {}-byte {name} point starting 04 or 02/03, found {} bytes",
                1 + 2 * fl,
                1 + fl,
                bytes.len()
            ))),
        }
    }

    /// The uncompressed encoding `04 || X || Y` (SEC 1 v2 §2.3.3); infinity encodes as `00`.
    pub fn encode_point(&self, pt: &Point) -> Vec<u8> {
        match pt {
            Point::Infinity => vec![0x00],
            Point::Affine { x, y } => {
                let mut out = Vec::with_capacity(1 + 2 * self.field_len);
                out.push(0x04);
                out.extend(int_to_bytes(x, self.field_len));
                out.extend(int_to_bytes(y, self.field_len));
                out
            }
        }
    }

    /// −P.
    pub fn negate(&self, pt: &Point) -> Point {
        match pt {
            Point::Infinity => Point::Infinity,
            Point::Affine { x, y } => Point::Affine {
                x: x.clone(),
                y: self.fsub(&BigUint::zero(), y),
            },
        }
    }

    fn to_affine(&self, j: &Jac) -> Point {
        let Some(zi) = j.z.modinv(&self.p) else {
            return Point::Infinity;
        };
        let zi2 = self.fsqr(&zi);
        Point::Affine {
            x: self.fmul(&j.x, &zi2),
            y: self.fmul(&j.y, &self.fmul(&zi2, &zi)),
        }
    }

    fn double_j(&self, j: &Jac) -> Jac {
        if j.z.is_zero() || j.y.is_zero() {
            return Jac::infinity();
        }
        let yy = self.fsqr(&j.y);
        let s = self.fsmall(&self.fmul(&j.x, &yy), 4);
        let zz = self.fsqr(&j.z);
        let m = if self.a_is_minus_3 {
            let t = self.fmul(&self.fsub(&j.x, &zz), &self.fadd(&j.x, &zz));
            self.fsmall(&t, 3)
        } else {
            let t = self.fmul(&self.a, &self.fsqr(&zz));
            self.fadd(&self.fsmall(&self.fsqr(&j.x), 3), &t)
        };
        let x3 = self.fsub(&self.fsqr(&m), &self.fsmall(&s, 2));
        let y3 = self.fsub(
            &self.fmul(&m, &self.fsub(&s, &x3)),
            &self.fsmall(&self.fsqr(&yy), 8),
        );
        let z3 = self.fsmall(&self.fmul(&j.y, &j.z), 2);
        Jac {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// Shared tail of the addition formulas (add-2007-bl): U1, U2, S1, S2 and Z1·Z2 given.
    fn add_tail(&self, u: [BigUint; 2], s: [BigUint; 2], z1z2: BigUint, p1: &Jac) -> Jac {
        let [u1, u2] = u;
        let [s1, s2] = s;
        if u1 == u2 {
            return if s1 == s2 {
                self.double_j(p1)
            } else {
                Jac::infinity()
            };
        }
        let h = self.fsub(&u2, &u1);
        let r = self.fsub(&s2, &s1);
        let hh = self.fsqr(&h);
        let hhh = self.fmul(&h, &hh);
        let v = self.fmul(&u1, &hh);
        let x3 = self.fsub(&self.fsub(&self.fsqr(&r), &hhh), &self.fsmall(&v, 2));
        let y3 = self.fsub(&self.fmul(&r, &self.fsub(&v, &x3)), &self.fmul(&s1, &hhh));
        Jac {
            x: x3,
            y: y3,
            z: self.fmul(&z1z2, &h),
        }
    }

    fn add_j(&self, p1: &Jac, p2: &Jac) -> Jac {
        if p1.z.is_zero() {
            return p2.clone();
        }
        if p2.z.is_zero() {
            return p1.clone();
        }
        let z1z1 = self.fsqr(&p1.z);
        let z2z2 = self.fsqr(&p2.z);
        let u = [self.fmul(&p1.x, &z2z2), self.fmul(&p2.x, &z1z1)];
        let s = [
            self.fmul(&p1.y, &self.fmul(&p2.z, &z2z2)),
            self.fmul(&p2.y, &self.fmul(&p1.z, &z1z1)),
        ];
        self.add_tail(u, s, self.fmul(&p1.z, &p2.z), p1)
    }

    /// P1 + (x2, y2) with the second point affine (Z2 = 1).
    fn add_mixed(&self, p1: &Jac, x2: &BigUint, y2: &BigUint) -> Jac {
        if p1.z.is_zero() {
            return Jac {
                x: x2.clone(),
                y: y2.clone(),
                z: BigUint::one(),
            };
        }
        let z1z1 = self.fsqr(&p1.z);
        let u = [p1.x.clone(), self.fmul(x2, &z1z1)];
        let s = [p1.y.clone(), self.fmul(y2, &self.fmul(&p1.z, &z1z1))];
        self.add_tail(u, s, p1.z.clone(), p1)
    }

    /// P + Q.
    pub fn add(&self, p: &Point, q: &Point) -> Point {
        self.to_affine(&self.add_j(&Jac::from_point(p), &Jac::from_point(q)))
    }

    /// 2P.
    pub fn double(&self, p: &Point) -> Point {
        self.to_affine(&self.double_j(&Jac::from_point(p)))
    }

    /// k·P for a point of order n (any point on these cofactor-1 curves), by a Montgomery
    /// ladder over a fixed number of bits: k is reduced mod n and n or 2n added, so the ladder
    /// always runs over bit length(n) + 1 bits with one addition and one doubling per bit. See
    /// the module documentation for what this does and does not hide.
    pub fn mul(&self, pt: &Point, k: &BigUint) -> Point {
        if pt.is_infinity() {
            return Point::Infinity;
        }
        let t = self.n.bits();
        let mut k1 = (k % &self.n) + &self.n;
        if !k1.bit(t) {
            k1 += &self.n;
        }
        let base = Jac::from_point(pt);
        let mut r1 = self.double_j(&base);
        let mut r0 = base;
        for i in (0..t).rev() {
            let bit = k1.bit(i);
            if bit {
                std::mem::swap(&mut r0, &mut r1);
            }
            r1 = self.add_j(&r0, &r1);
            r0 = self.double_j(&r0);
            if bit {
                std::mem::swap(&mut r0, &mut r1);
            }
        }
        self.to_affine(&r0)
    }

    /// k·P by plain double-and-add, k not reduced. Variable time: public scalars only.
    pub fn mul_vartime(&self, pt: &Point, k: &BigUint) -> Point {
        let Point::Affine { x, y } = pt else {
            return Point::Infinity;
        };
        let mut acc = Jac::infinity();
        for i in (0..k.bits()).rev() {
            acc = self.double_j(&acc);
            if k.bit(i) {
                acc = self.add_mixed(&acc, x, y);
            }
        }
        self.to_affine(&acc)
    }

    /// u1·G + u2·Q (Shamir's trick). Variable time: public data only.
    pub fn mul_add_vartime(&self, u1: &BigUint, u2: &BigUint, q: &Point) -> Point {
        let g = self.generator();
        let gq = self.add(&g, q);
        let table = [&g, q, &gq];
        let mut acc = Jac::infinity();
        for i in (0..u1.bits().max(u2.bits())).rev() {
            acc = self.double_j(&acc);
            let pick = match (u1.bit(i), u2.bit(i)) {
                (true, true) => table.get(2),
                (true, false) => table.first(),
                (false, true) => table.get(1),
                (false, false) => None,
            };
            match pick {
                Some(Point::Affine { x, y }) => acc = self.add_mixed(&acc, x, y),
                Some(Point::Infinity) | None => {}
            }
        }
        self.to_affine(&acc)
    }

    /// The leftmost bit length(n) bits of a hash as an integer (FIPS 186-4 §6.4, SEC 1 §4.1.3).
    pub fn hash_to_int(&self, hash: &[u8]) -> BigUint {
        let e = BigUint::from_bytes_be(hash);
        let hbits = hash.len() as u64 * 8;
        let nbits = self.n.bits();
        if hbits > nbits {
            e >> (hbits - nbits)
        } else {
            e
        }
    }

    /// ECDSA verification (SEC 1 v2 §4.1.4) of (r, s), unsigned big-endian, over a hash value.
    pub fn verify_ecdsa(&self, q: &Point, hash: &[u8], r: &[u8], s: &[u8]) -> Result<()> {
        if hash.is_empty() {
            return Err(Error::protocol("signature", "empty hash value"));
        }
        if q.is_infinity() || !self.is_on_curve(q) {
            return Err(ec_err(format!(
                "public key is not a point on {}",
                self.curve
            )));
        }
        let n = &self.n;
        let (r, s) = (BigUint::from_bytes_be(r), BigUint::from_bytes_be(s));
        if r.is_zero() || s.is_zero() || &r >= n || &s >= n {
            return Err(sig_fail());
        }
        let w = s.modinv(n).ok_or_else(sig_fail)?;
        let u1 = (self.hash_to_int(hash) * &w) % n;
        let u2 = (&r * &w) % n;
        match self.mul_add_vartime(&u1, &u2, q) {
            Point::Affine { x, .. } if &x % n == r => Ok(()),
            _ => Err(sig_fail()),
        }
    }
}

#[cfg(test)]
mod tests;
