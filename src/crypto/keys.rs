//! Public keys as certificates carry them: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) with EC keys
//! on named or explicit domain parameters (RFC 5480 §2, RFC 3279 §2.3.5, ANSI X9.62; ICAO Doc
//! 9303-12 §7.1 allows both, and German, Austrian and UK keys use explicit ones) and RSA keys
//! under rsaEncryption or id-RSASSA-PSS (RFC 3279 §2.3.1, RFC 4055 §1.2); and EC private keys
//! in PKCS#8 (RFC 5208 with RFC 5915 `ECPrivateKey`), as chip keys are stored.

use crate::asn1::{self, Object, tag};
use crate::crypto::ec::{self, Curve, CurveParams, int_to_bytes};
use crate::error::{Error, Result};
use der::asn1::ObjectIdentifier;
use num_bigint::BigUint;
use zeroize::Zeroizing;

/// id-ecPublicKey (RFC 5480).
pub const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// rsaEncryption (RFC 3279).
pub const ID_RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-RSASSA-PSS (RFC 4055), as a key algorithm and as a signature algorithm.
pub const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// Largest RSA modulus accepted, in bits (what *ring* and the `rsa` crate verify).
pub const MAX_RSA_BITS: usize = 8192;

/// A signature verification key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    /// An EC key.
    Ec {
        /// The curve (explicit parameters are resolved to the named curve they equal).
        curve: Curve,
        /// The point, uncompressed (`04 || X || Y`), checked to lie on the curve.
        point: Vec<u8>,
    },
    /// An RSA key.
    Rsa {
        /// Modulus, big-endian without leading zeros.
        n: Vec<u8>,
        /// Public exponent, big-endian without leading zeros.
        e: Vec<u8>,
    },
}

fn asn1_err(msg: impl Into<String>) -> Error {
    Error::Asn1(msg.into())
}

impl PublicKey {
    /// Parses a DER (or BER) SubjectPublicKeyInfo.
    pub fn from_spki(spki_der: &[u8]) -> Result<PublicKey> {
        Self::from_spki_object(&asn1::parse_exact(spki_der)?)
    }

    /// Parses an already-read SubjectPublicKeyInfo object.
    pub fn from_spki_object(spki: &Object<'_>) -> Result<PublicKey> {
        let spki = spki.expect(tag::SEQUENCE, "SubjectPublicKeyInfo")?;
        let mut r = spki.reader();
        let alg = r
            .required("SubjectPublicKeyInfo algorithm")?
            .expect(tag::SEQUENCE, "AlgorithmIdentifier")?;
        let key_bits = r
            .required("subjectPublicKey")?
            .bit_string()
            .map_err(|e| asn1_err(format!("subjectPublicKey: {e}")))?;
        let mut ar = alg.reader();
        let oid = ar.required("key algorithm")?.oid()?;
        let params = ar.next()?;
        if oid == ID_EC_PUBLIC_KEY {
            let params = params
                .ok_or_else(|| Error::protocol("signature", "EC key without domain parameters"))?;
            let curve = ec_curve_from_parameters(&params)?;
            let point = curve.params().decode_point(key_bits)?;
            Ok(PublicKey::Ec {
                curve,
                point: curve.params().encode_point(&point),
            })
        } else if oid == ID_RSA_ENCRYPTION || oid == ID_RSASSA_PSS {
            // RSASSA-PSS key parameters restrict the key's use; the signature's own
            // AlgorithmIdentifier decides how a signature is checked.
            let seq = asn1::parse_exact(key_bits)?.expect(tag::SEQUENCE, "RSAPublicKey")?;
            let mut kr = seq.reader();
            let n = kr.required("RSA modulus")?.unsigned_bytes()?;
            let e = kr.required("RSA public exponent")?.unsigned_bytes()?;
            if n == [0] || e == [0] {
                return Err(asn1_err("RSA key with a zero modulus or exponent"));
            }
            Ok(PublicKey::Rsa {
                n: n.to_vec(),
                e: e.to_vec(),
            })
        } else {
            Err(Error::protocol(
                "signature",
                format!("unsupported public key algorithm {oid}"),
            ))
        }
    }

    /// The DER SubjectPublicKeyInfo (EC keys with the namedCurve form).
    pub fn to_spki(&self) -> Vec<u8> {
        let (alg, key) = match self {
            PublicKey::Ec { curve, point } => (
                asn1::sequence(&[
                    &asn1::encode_oid(&ID_EC_PUBLIC_KEY),
                    &asn1::encode_oid(&curve.oid()),
                ]),
                point.clone(),
            ),
            PublicKey::Rsa { n, e } => (
                asn1::sequence(&[&asn1::encode_oid(&ID_RSA_ENCRYPTION), &[0x05, 0x00]]),
                asn1::sequence(&[&asn1::encode_uint(n), &asn1::encode_uint(e)]),
            ),
        };
        let mut bits = Vec::with_capacity(key.len() + 1);
        bits.push(0);
        bits.extend(key);
        asn1::sequence(&[&alg, &asn1::encode(0x03, &bits)])
    }

    /// The key size in bits: the curve size, or the RSA modulus length.
    pub fn bits(&self) -> usize {
        match self {
            PublicKey::Ec { curve, .. } => curve.bits() as usize,
            PublicKey::Rsa { n, .. } => BigUint::from_bytes_be(n).bits() as usize,
        }
    }

    /// A short description: "ECDSA brainpoolP256r1", "RSA 2048".
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Ec { curve, .. } => format!("ECDSA {}", curve.name()),
            PublicKey::Rsa { .. } => format!("RSA {}", self.bits()),
        }
    }
}

/// The curve of id-ecPublicKey parameters: a namedCurve OID or explicit `ECParameters`
/// (implicitlyCA is refused: a key must say its curve).
pub fn ec_curve_from_parameters(params: &Object<'_>) -> Result<Curve> {
    if params.is(tag::OID) {
        let oid = params.oid()?;
        Curve::from_oid(&oid)
            .ok_or_else(|| Error::protocol("signature", format!("unsupported named curve {oid}")))
    } else if params.is(tag::SEQUENCE) {
        curve_from_explicit(params.raw)
    } else {
        Err(Error::protocol(
            "signature",
            format!(
                "EC key parameters are {} (implicitlyCA or unknown), not a curve",
                params.describe()
            ),
        ))
    }
}

impl CurveParams {
    /// The explicit `ECParameters` of this curve (RFC 3279 §2.3.5), version 1, no seed.
    pub fn to_explicit(&self) -> Vec<u8> {
        let fl = self.field_len();
        let field = asn1::sequence(&[
            &asn1::encode_oid(&ID_PRIME_FIELD),
            &asn1::encode_uint(&self.p.to_bytes_be()),
        ]);
        let curve = asn1::sequence(&[
            &asn1::encode(0x04, &int_to_bytes(&self.a, fl)),
            &asn1::encode(0x04, &int_to_bytes(&self.b, fl)),
        ]);
        asn1::sequence(&[
            &asn1::encode_uint(&[1]),
            &field,
            &curve,
            &asn1::encode(0x04, &self.encode_point(&self.generator())),
            &asn1::encode_uint(&self.n.to_bytes_be()),
            &asn1::encode_uint(&self.h.to_be_bytes()),
        ])
    }
}

/// prime-field (ANSI X9.62, RFC 3279 §2.3.5).
pub const ID_PRIME_FIELD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");

/// Recognizes explicit `ECParameters` (ANSI X9.62 / RFC 3279 §2.3.5: version, fieldID {
/// prime-field, p }, curve { a, b, seed? }, base, order, cofactor? ) as one of the named curves,
/// comparing p, a, b, G, n and h. Parameters of any other curve are refused.
pub fn curve_from_explicit(params_der: &[u8]) -> Result<Curve> {
    let bad = |m: String| Error::Asn1(format!("ECParameters: {m}"));
    let seq = asn1::parse_exact(params_der)?.expect(tag::SEQUENCE, "ECParameters")?;
    let mut r = seq.reader();
    let version = r.required("ECParameters version")?.small_uint()?;
    if !(1..=3).contains(&version) {
        return Err(bad(format!("unknown version {version}")));
    }
    let field = r.required("fieldID")?.expect(tag::SEQUENCE, "fieldID")?;
    let mut fr = field.reader();
    let field_type = fr.required("fieldType")?.oid()?;
    if field_type != ID_PRIME_FIELD {
        return Err(Error::protocol(
            "signature",
            format!("EC field type {field_type} is not supported (only prime fields)"),
        ));
    }
    let p = BigUint::from_bytes_be(fr.required("prime p")?.unsigned_bytes()?);
    let curve = r.required("curve")?.expect(tag::SEQUENCE, "curve")?;
    let mut cr = curve.reader();
    let a = BigUint::from_bytes_be(&cr.required("coefficient a")?.octet_string()?);
    let b = BigUint::from_bytes_be(&cr.required("coefficient b")?.octet_string()?);
    let base = r.required("base point")?.octet_string()?;
    let n = BigUint::from_bytes_be(r.required("order")?.unsigned_bytes()?);
    let h = match r.next()? {
        Some(o) => Some(o.small_uint()?),
        None => None,
    };
    let no_match = |why: &str| {
        Error::protocol(
            "signature",
            format!("EC parameters match no known curve ({why})"),
        )
    };
    let params = Curve::ALL
        .iter()
        .map(|c| c.params())
        .find(|c| c.p == p)
        .ok_or_else(|| no_match(&format!("{}-bit prime not in the table", p.bits())))?;
    let name = params.curve.name();
    if params.a != a || params.b != b {
        return Err(no_match(&format!("prime of {name}, other coefficients")));
    }
    if params.n != n || h.is_some_and(|h| h != 1) {
        return Err(no_match(&format!(
            "prime of {name}, other order or cofactor"
        )));
    }
    let g = params
        .decode_point(&base)
        .map_err(|_| no_match(&format!("base point not on {name}")))?;
    if g != params.generator() {
        return Err(no_match(&format!("prime of {name}, other base point")));
    }
    Ok(params.curve)
}

fn ec_key_err(reason: impl Into<String>) -> Error {
    Error::protocol("EC key", reason)
}

/// The curve and private scalar (field length) of a PKCS#8 PrivateKeyInfo holding an EC key
/// (RFC 5915 `ECPrivateKey` inside RFC 5208), on a named curve or explicit parameters. An
/// embedded public key must belong to the private key.
pub fn ec_private_key_from_pkcs8(der: &[u8]) -> Result<(Curve, Zeroizing<Vec<u8>>)> {
    let info = asn1::parse_exact(der)?.expect(tag::SEQUENCE, "PrivateKeyInfo")?;
    let mut r = info.reader();
    let version = r.required("PKCS#8 version")?.small_uint()?;
    if version > 1 {
        return Err(Error::Asn1(format!("PKCS#8 version {version}")));
    }
    let alg = r
        .required("privateKeyAlgorithm")?
        .expect(tag::SEQUENCE, "AlgorithmIdentifier")?;
    let mut ar = alg.reader();
    let oid = ar.required("key algorithm")?.oid()?;
    if oid != ID_EC_PUBLIC_KEY {
        return Err(ec_key_err(format!(
            "key algorithm {oid} is not id-ecPublicKey"
        )));
    }
    let curve = ec_curve_from_parameters(&ar.required("EC domain parameters")?)?;
    let inner = r.required("privateKey")?.octet_string()?;
    let ec = asn1::parse_exact(&inner)?.expect(tag::SEQUENCE, "ECPrivateKey")?;
    let mut er = ec.reader();
    if er.required("ECPrivateKey version")?.small_uint()? != 1 {
        return Err(Error::Asn1("ECPrivateKey version is not 1".into()));
    }
    let scalar = ec::private_scalar(curve, &er.required("privateKey")?.octet_string()?)?;
    let _params = er.optional_context(0)?;
    if let Some(pk) = er.optional_context(1)? {
        let bits = pk.reader().required("publicKey")?;
        let embedded = curve.params().decode_point(bits.bit_string()?)?;
        if curve.params().encode_point(&embedded) != ec::public_key(curve, &scalar)? {
            return Err(ec_key_err(
                "PKCS#8 public key does not belong to the private key",
            ));
        }
    }
    Ok((curve, scalar))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::signing_key::{KeyAlgorithm, SigningKey};

    fn pkcs8_and_point(alg: KeyAlgorithm) -> (Vec<u8>, Vec<u8>) {
        let key = SigningKey::generate(alg).unwrap();
        let pem = key.to_pkcs8_pem().unwrap();
        let der = crate::crypto::pem::pem_blocks(pem.as_bytes(), "PRIVATE KEY").unwrap();
        let spki = PublicKey::from_spki(&key.public_spki().unwrap()).unwrap();
        let PublicKey::Ec { point, .. } = spki else {
            panic!("{alg:?} is not an EC key")
        };
        (der[0].clone(), point)
    }

    /// The scalar read from PKCS#8 gives back the key's public point; an embedded public key
    /// of another private key is refused.
    #[test]
    fn an_ec_pkcs8_key_gives_its_scalar_and_must_match_its_public_key() {
        for (alg, curve) in [
            (KeyAlgorithm::P256, Curve::P256),
            (KeyAlgorithm::Brainpool384, Curve::BrainpoolP384r1),
            (KeyAlgorithm::P521, Curve::P521),
        ] {
            let (der, point) = pkcs8_and_point(alg);
            let (read, scalar) = ec_private_key_from_pkcs8(&der).unwrap();
            assert_eq!(read, curve);
            assert_eq!(scalar.len(), curve.field_len());
            assert_eq!(ec::public_key(curve, &scalar).unwrap(), point, "{curve}");

            assert!(der.ends_with(&point), "{curve}: the public key is embedded");
            let (_, other) = pkcs8_and_point(alg);
            let mut swapped = der[..der.len() - point.len()].to_vec();
            swapped.extend_from_slice(&other);
            let err = ec_private_key_from_pkcs8(&swapped).unwrap_err();
            assert!(
                err.to_string().contains("does not belong"),
                "{curve}: {err}"
            );
        }
    }
}
