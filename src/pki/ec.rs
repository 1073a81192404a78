//! Elliptic curves over prime fields for eMRTD signatures and PACE: the named curves of ICAO Doc
//! 9303-11 §9.5.1 (standardized domain parameters 8-18: NIST P-192..P-521 from FIPS 186-4 App.
//! D.1.2 / SEC 2, brainpool r1 curves from RFC 5639 §3), their object identifiers, generic
//! short-Weierstrass arithmetic (SEC 1 v2 §2.2, point encoding §2.3.3-2.3.4), ECDSA verification
//! (SEC 1 v2 §4.1.4, FIPS 186-4 §6.4). Explicit ANSI X9.62 `ECParameters` (RFC 3279 §2.3.5),
//! which real CSCA and DSC keys carry, are recognized by [`curve_from_explicit`] (in
//! [`crate::pki::keys`], next to the key encodings).
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
use der::asn1::ObjectIdentifier;
use num_bigint::BigUint;
use num_traits::{One, Zero};
use std::sync::OnceLock;

pub use crate::pki::keys::{ID_PRIME_FIELD, curve_from_explicit};

/// A named curve of the PACE standardized domain parameters (ICAO Doc 9303-11 §9.5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Curve {
    /// NIST P-192 (secp192r1), PACE parameter id 8.
    P192,
    /// NIST P-224 (secp224r1), id 10.
    P224,
    /// NIST P-256 (secp256r1), id 12.
    P256,
    /// NIST P-384 (secp384r1), id 15.
    P384,
    /// NIST P-521 (secp521r1), id 18.
    P521,
    /// brainpoolP192r1, id 9.
    BrainpoolP192r1,
    /// brainpoolP224r1, id 11.
    BrainpoolP224r1,
    /// brainpoolP256r1, id 13.
    BrainpoolP256r1,
    /// brainpoolP320r1, id 14.
    BrainpoolP320r1,
    /// brainpoolP384r1, id 16.
    BrainpoolP384r1,
    /// brainpoolP512r1, id 17.
    BrainpoolP512r1,
}

/// A hexadecimal domain-parameter constant as an integer. The constants are fixed and checked
/// by the unit tests (a typo would give 0 and fail them); no input reaches this.
fn big(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).unwrap_or_default()
}

/// A curve's table entry: names, identifiers and domain parameters (all with cofactor 1).
struct Info {
    curve: Curve,
    name: &'static str,
    oid: ObjectIdentifier,
    pace_id: u8,
    bits: u32,
    /// p, a, b, Gx, Gy, n.
    domain: [&'static str; 6],
    params: OnceLock<CurveParams>,
}

const fn info(
    curve: Curve,
    name: &'static str,
    oid: &str,
    pace_id: u8,
    bits: u32,
    d: [&'static str; 6],
) -> Info {
    Info {
        curve,
        name,
        oid: ObjectIdentifier::new_unwrap(oid),
        pace_id,
        bits,
        domain: d,
        params: OnceLock::new(),
    }
}

/// The table: name, OID, PACE id, bits, then p, a, b, Gx, Gy, n from FIPS 186-4 App. D.1.2 (NIST
/// curves, = SEC 2 secp*r1) and RFC 5639 §3.1-3.7 (brainpool), as OpenSSL 3.0 also tabulates
/// them. The unit test checks G is on the curve and n·G = O for each; the integration tests
/// verify OpenSSL's signatures on every curve.
#[rustfmt::skip]
mod table {
    use super::{info, Curve, Info};

    pub(super) static P192: Info = info(Curve::P192, "P-192", "1.2.840.10045.3.1.1", 8, 192, [
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFC",
        "64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1",
        "188DA80EB03090F67CBF20EB43A18800F4FF0AFD82FF1012",
        "07192B95FFC8DA78631011ED6B24CDD573F977A11E794811",
        "FFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831",
    ]);
    pub(super) static P224: Info = info(Curve::P224, "P-224", "1.3.132.0.33", 10, 224, [
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE",
        "B4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4",
        "B70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21",
        "BD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D",
    ]);
    pub(super) static P256: Info = info(Curve::P256, "P-256", "1.2.840.10045.3.1.7", 12, 256, [
        "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC",
        "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
        "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296",
        "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5",
        "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
    ]);
    pub(super) static P384: Info = info(Curve::P384, "P-384", "1.3.132.0.34", 15, 384, [
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFC",
        "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF",
        "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E3872760AB7",
        "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C90EA0E5F",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
    ]);
    pub(super) static P521: Info = info(Curve::P521, "P-521", "1.3.132.0.35", 18, 521, [
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC",
        "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF109E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00",
        "00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5BD66",
        "011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD16650",
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
    ]);
    pub(super) static BRAINPOOL_P192R1: Info = info(Curve::BrainpoolP192r1, "brainpoolP192r1", "1.3.36.3.3.2.8.1.1.3", 9, 192, [
        "C302F41D932A36CDA7A3463093D18DB78FCE476DE1A86297",
        "6A91174076B1E0E19C39C031FE8685C1CAE040E5C69A28EF",
        "469A28EF7C28CCA3DC721D044F4496BCCA7EF4146FBF25C9",
        "C0A0647EAAB6A48753B033C56CB0F0900A2F5C4853375FD6",
        "14B690866ABD5BB88B5F4828C1490002E6773FA2FA299B8F",
        "C302F41D932A36CDA7A3462F9E9E916B5BE8F1029AC4ACC1",
    ]);
    pub(super) static BRAINPOOL_P224R1: Info = info(Curve::BrainpoolP224r1, "brainpoolP224r1", "1.3.36.3.3.2.8.1.1.5", 11, 224, [
        "D7C134AA264366862A18302575D1D787B09F075797DA89F57EC8C0FF",
        "68A5E62CA9CE6C1C299803A6C1530B514E182AD8B0042A59CAD29F43",
        "2580F63CCFE44138870713B1A92369E33E2135D266DBB372386C400B",
        "0D9029AD2C7E5CF4340823B2A87DC68C9E4CE3174C1E6EFDEE12C07D",
        "58AA56F772C0726F24C6B89E4ECDAC24354B9E99CAA3F6D3761402CD",
        "D7C134AA264366862A18302575D0FB98D116BC4B6DDEBCA3A5A7939F",
    ]);
    pub(super) static BRAINPOOL_P256R1: Info = info(Curve::BrainpoolP256r1, "brainpoolP256r1", "1.3.36.3.3.2.8.1.1.7", 13, 256, [
        "A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377",
        "7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9",
        "26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6",
        "8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262",
        "547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997",
        "A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7",
    ]);
    pub(super) static BRAINPOOL_P320R1: Info = info(Curve::BrainpoolP320r1, "brainpoolP320r1", "1.3.36.3.3.2.8.1.1.9", 14, 320, [
        "D35E472036BC4FB7E13C785ED201E065F98FCFA6F6F40DEF4F92B9EC7893EC28FCD412B1F1B32E27",
        "3EE30B568FBAB0F883CCEBD46D3F3BB8A2A73513F5EB79DA66190EB085FFA9F492F375A97D860EB4",
        "520883949DFDBC42D3AD198640688A6FE13F41349554B49ACC31DCCD884539816F5EB4AC8FB1F1A6",
        "43BD7E9AFB53D8B85289BCC48EE5BFE6F20137D10A087EB6E7871E2A10A599C710AF8D0D39E20611",
        "14FDD05545EC1CC8AB4093247F77275E0743FFED117182EAA9C77877AAAC6AC7D35245D1692E8EE1",
        "D35E472036BC4FB7E13C785ED201E065F98FCFA5B68F12A32D482EC7EE8658E98691555B44C59311",
    ]);
    pub(super) static BRAINPOOL_P384R1: Info = info(Curve::BrainpoolP384r1, "brainpoolP384r1", "1.3.36.3.3.2.8.1.1.11", 16, 384, [
        "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123ACD3A729901D1A71874700133107EC53",
        "7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787139165EFBA91F90F8AA5814A503AD4EB04A8C7DD22CE2826",
        "04A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A62E880EA53EEB62D57CB4390295DBC9943AB78696FA504C11",
        "1D1C64F068CF45FFA2A63A81B7C13F6B8847A3E77EF14FE3DB7FCAFE0CBD10E8E826E03436D646AAEF87B2E247D4AF1E",
        "8ABE1D7520F9C2A45CB1EB8E95CFD55262B70B29FEEC5864E19C054FF99129280E4646217791811142820341263C5315",
        "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B31F166E6CAC0425A7CF3AB6AF6B7FC3103B883202E9046565",
    ]);
    pub(super) static BRAINPOOL_P512R1: Info = info(Curve::BrainpoolP512r1, "brainpoolP512r1", "1.3.36.3.3.2.8.1.1.13", 17, 512, [
        "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA703308717D4D9B009BC66842AECDA12AE6A380E62881FF2F2D82C68528AA6056583A48F3",
        "7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CA",
        "3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CADC083E67984050B75EBAE5DD2809BD638016F723",
        "81AEE4BDD82ED9645A21322E9C4C6A9385ED9F70B5D916C1B43B62EEF4D0098EFF3B1F78E2D0D48D50D1687B93B97D5F7C6D5047406A5E688B352209BCB9F822",
        "7DDE385D566332ECC0EABFA9CF7822FDF209F70024A57B1AA000C55B881F8111B2DCDE494A5F485E5BCA4BD88A2763AED1CA2B2FA8F0540678CD1E0F3AD80892",
        "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330870553E5C414CA92619418661197FAC10471DB1D381085DDADDB58796829CA90069",
    ]);
}
use table::*;

impl Curve {
    /// Every curve, in PACE standardized-parameter order (ids 8 to 18).
    pub const ALL: [Curve; 11] = [
        Curve::P192,
        Curve::BrainpoolP192r1,
        Curve::P224,
        Curve::BrainpoolP224r1,
        Curve::P256,
        Curve::BrainpoolP256r1,
        Curve::BrainpoolP320r1,
        Curve::P384,
        Curve::BrainpoolP384r1,
        Curve::BrainpoolP512r1,
        Curve::P521,
    ];

    fn info(self) -> &'static Info {
        match self {
            Curve::P192 => &P192,
            Curve::P224 => &P224,
            Curve::P256 => &P256,
            Curve::P384 => &P384,
            Curve::P521 => &P521,
            Curve::BrainpoolP192r1 => &BRAINPOOL_P192R1,
            Curve::BrainpoolP224r1 => &BRAINPOOL_P224R1,
            Curve::BrainpoolP256r1 => &BRAINPOOL_P256R1,
            Curve::BrainpoolP320r1 => &BRAINPOOL_P320R1,
            Curve::BrainpoolP384r1 => &BRAINPOOL_P384R1,
            Curve::BrainpoolP512r1 => &BRAINPOOL_P512R1,
        }
    }

    /// The usual name ("P-256", "brainpoolP256r1").
    pub fn name(&self) -> &'static str {
        self.info().name
    }

    /// The namedCurve object identifier (RFC 5480 §2.1.1.1, RFC 5639 §4.1).
    pub fn oid(&self) -> ObjectIdentifier {
        self.info().oid
    }

    /// The curve a namedCurve object identifier names, if known.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Curve> {
        Self::ALL.into_iter().find(|c| c.oid() == *oid)
    }

    /// The standardized domain parameter id of ICAO Doc 9303-11 §9.5.1 (8 to 18).
    pub fn pace_parameter_id(&self) -> u8 {
        self.info().pace_id
    }

    /// The curve with PACE standardized domain parameter id `id`, if it is an EC id.
    pub fn from_pace_parameter_id(id: u8) -> Option<Curve> {
        Self::ALL.into_iter().find(|c| c.pace_parameter_id() == id)
    }

    /// The size of the field (and of the order) in bits.
    pub fn bits(&self) -> u32 {
        self.info().bits
    }

    /// The length of a field element (and of a scalar) in bytes.
    pub fn field_len(&self) -> usize {
        self.info().bits.div_ceil(8) as usize
    }

    /// The domain parameters, decoded once per process.
    pub fn params(&self) -> &'static CurveParams {
        let info = self.info();
        info.params.get_or_init(|| {
            let [p, a, b, gx, gy, n] = info.domain.map(big);
            CurveParams {
                curve: info.curve,
                a_is_minus_3: &a + 3u32 == p,
                p,
                a,
                b,
                gx,
                gy,
                n,
                h: 1,
                field_len: info.bits.div_ceil(8) as usize,
            }
        })
    }
}

impl std::fmt::Display for Curve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

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

/// ECDSA verification over a hash value on any curve of the table, with the generic arithmetic.
/// `point` is the public key (SEC 1 encoding), `r` and `s` unsigned big-endian integers.
pub fn verify_ecdsa_prehash(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generator_is_on_its_curve_with_order_n() {
        let ids: Vec<u8> = Curve::ALL.iter().map(|c| c.pace_parameter_id()).collect();
        assert_eq!(ids, (8..=18).collect::<Vec<u8>>());
        for c in Curve::ALL {
            assert_eq!(c.info().curve, c);
            let p = c.params();
            assert_eq!((p.p.bits(), p.n.bits()), (c.bits() as u64, c.bits() as u64));
            let g = p.generator();
            assert!(p.is_on_curve(&g), "{c}");
            assert_eq!(p.mul_vartime(&g, &p.n), Point::Infinity, "{c}");
            assert_eq!(p.mul_vartime(&g, &(&p.n - 1u32)), p.negate(&g), "{c}");
            assert_eq!(p.mul(&g, &(&p.n + 2u32)), p.double(&g), "{c}");
        }
    }
}
