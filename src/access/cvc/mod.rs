//! Card-verifiable certificates for Extended Access Control (BSI TR-03110-3 appendix C, public
//! keys per appendix D.3; ICAO Doc 9303-11 §7.1 and TR-03110-1 for EAC with eMRTDs): parse,
//! build, verify, and walk a CVCA -> DV -> terminal chain to the terminal's effective rights.
//!
//! ```text
//! 7F21 CV certificate
//!   7F4E body (signed)   5F29 profile identifier (00)   42 CAR   7F49 public key
//!                        5F20 CHR   7F4C CHAT { 06 terminal type, 53 template }
//!                        5F25 effective date   5F24 expiration date   [65 extensions]
//!   5F37 signature (ECDSA: plain r || s, TR-03111 §5.2.1)
//! ```
//!
//! The signature covers the encoded body exactly as it came, which [`Cvc`] keeps. Its algorithm
//! is the one the issuer's public key names (id-TA-ECDSA-SHA-*, id-TA-RSA-*). EC domain
//! parameters (81 p .. 85 n, 87 cofactor) are in CVCA keys and may be left out below; a key
//! without them takes those of its nearest ancestor that has them (the CVCA). Explicit
//! parameters must equal one of the named curves of [`crate::crypto::ec`].
//!
//! Effective rights (TR-03110-3 C.4) are the bitwise AND of the CHAT templates along the chain,
//! role bits aside. dactyl requires every CHAT in the chain to name the same terminal type and
//! grants no rights otherwise (fail closed). For inspection systems (id-IS) the template's bit 0
//! is read access to DG3 (fingerprints), bit 1 to DG4 (iris). Every certificate must be valid on
//! the date given (effective date <= date <= expiration date, both inclusive). The trust anchor
//! is taken as given: a self-signed CVCA certificate's signature is checked, a link
//! certificate's cannot be (its issuer is not at hand) and is noted in the report.

use crate::asn1::tag;
use crate::crypto::ec::Curve;
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::keys::PublicKey;
use crate::crypto::signature::{self, SignatureAlgorithm};
use crate::error::{Error, Result};
use crate::oids::{
    ID_TA_ECDSA_SHA_1, ID_TA_ECDSA_SHA_224, ID_TA_ECDSA_SHA_256, ID_TA_ECDSA_SHA_384,
    ID_TA_ECDSA_SHA_512, ID_TA_RSA_PSS_SHA_1, ID_TA_RSA_PSS_SHA_256, ID_TA_RSA_PSS_SHA_512,
    ID_TA_RSA_V1_5_SHA_1, ID_TA_RSA_V1_5_SHA_256, ID_TA_RSA_V1_5_SHA_512,
};
use crate::time::Date;
use crate::tlv::{Children, Tlv};
use crate::uint::strip_leading_zeros;
use der::asn1::ObjectIdentifier;
use num_bigint::BigUint;

/// id-IS (0.4.0.127.0.7.3.1.2.1): inspection systems (ePassport, TR-03110-3 C.4.1).
pub const ID_IS: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.3.1.2.1");
/// id-AT: authentication terminals (eID, C.4.2).
pub const ID_AT: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.3.1.2.2");
/// id-ST: signature terminals (eSign, C.4.3).
pub const ID_ST: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.3.1.2.3");
/// Read access to DG3 in an id-IS template.
pub const IS_READ_DG3: u8 = 0x01;
/// Read access to DG4 in an id-IS template.
pub const IS_READ_DG4: u8 = 0x02;

fn err(msg: impl Into<String>) -> Error {
    Error::protocol("CV certificate", msg)
}

/// The signature algorithm a Terminal Authentication key is for (TR-03110-3 A.7.3 / D.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum TaAlgorithm {
    /// id-TA-ECDSA-SHA-*: ECDSA, plain signature format.
    Ecdsa(HashAlgorithm),
    /// id-TA-RSA-v1-5-SHA-*.
    RsaPkcs1(HashAlgorithm),
    /// id-TA-RSA-PSS-SHA-*: MGF1 with the same hash, salt as long as the hash.
    RsaPss(HashAlgorithm),
}

pub(crate) const TA_ALGORITHMS: [(ObjectIdentifier, TaAlgorithm); 11] = {
    use HashAlgorithm::*;
    use TaAlgorithm::*;
    [
        (ID_TA_ECDSA_SHA_1, Ecdsa(Sha1)),
        (ID_TA_ECDSA_SHA_224, Ecdsa(Sha224)),
        (ID_TA_ECDSA_SHA_256, Ecdsa(Sha256)),
        (ID_TA_ECDSA_SHA_384, Ecdsa(Sha384)),
        (ID_TA_ECDSA_SHA_512, Ecdsa(Sha512)),
        (ID_TA_RSA_V1_5_SHA_1, RsaPkcs1(Sha1)),
        (ID_TA_RSA_V1_5_SHA_256, RsaPkcs1(Sha256)),
        (ID_TA_RSA_V1_5_SHA_512, RsaPkcs1(Sha512)),
        (ID_TA_RSA_PSS_SHA_1, RsaPss(Sha1)),
        (ID_TA_RSA_PSS_SHA_256, RsaPss(Sha256)),
        (ID_TA_RSA_PSS_SHA_512, RsaPss(Sha512)),
    ]
};

impl TaAlgorithm {
    /// The algorithm an id-TA-* object identifier names.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<TaAlgorithm> {
        TA_ALGORITHMS.iter().find(|(o, _)| o == oid).map(|e| e.1)
    }

    /// Its object identifier, if TR-03110 defines one for it.
    pub fn oid(self) -> Option<ObjectIdentifier> {
        TA_ALGORITHMS.iter().find(|(_, a)| *a == self).map(|e| e.0)
    }

    fn is_ec(self) -> bool {
        matches!(self, TaAlgorithm::Ecdsa(_))
    }
}

/// The key material of a CV public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CvKey {
    /// An EC point; `domain` is the curve when the key carries explicit domain parameters.
    Ec {
        /// The curve its 81-85 (87) parameters equal, if present.
        domain: Option<Curve>,
        /// The public point (86), as encoded.
        point: Vec<u8>,
    },
    /// An RSA key: modulus (81) and public exponent (82), without leading zeros.
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Public exponent.
        e: Vec<u8>,
    },
}

/// A public key data object (7F49, TR-03110-3 D.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CvPublicKey {
    /// What it verifies (the 06 object identifier).
    pub algorithm: TaAlgorithm,
    /// The key.
    pub key: CvKey,
}

/// The role in the top two bits of a CHAT template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Role {
    /// 00: a terminal (inspection system, authentication or signature terminal).
    Terminal = 0,
    /// 01: a foreign (or non-official) document verifier.
    DvForeign = 1,
    /// 10: a domestic (official) document verifier.
    DvDomestic = 2,
    /// 11: the country verifying CA.
    Cvca = 3,
}

/// Certificate Holder Authorization Template (7F4C, TR-03110-3 C.1.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chat {
    /// id-IS, id-AT, id-ST.
    pub terminal_type: ObjectIdentifier,
    /// The discretionary data (53): role bits then rights, big-endian.
    pub template: Vec<u8>,
}

impl Chat {
    /// An id-IS CHAT: `role` with read access to DG3 and/or DG4.
    pub fn inspection_system(role: Role, dg3: bool, dg4: bool) -> Chat {
        let role_bits = (role as u8) << 6;
        let rights = (u8::from(dg3) * IS_READ_DG3) | (u8::from(dg4) * IS_READ_DG4);
        Chat {
            terminal_type: ID_IS,
            template: vec![role_bits | rights],
        }
    }

    /// The role (an empty template reads as a terminal, the least).
    pub fn role(&self) -> Role {
        match self.template.first().map(|b| b >> 6) {
            Some(3) => Role::Cvca,
            Some(2) => Role::DvDomestic,
            Some(1) => Role::DvForeign,
            _ => Role::Terminal,
        }
    }

    /// The template without its role bits.
    pub fn rights(&self) -> Vec<u8> {
        let mut r = self.template.clone();
        if let Some(first) = r.first_mut() {
            *first &= 0x3F;
        }
        r
    }

    fn is_right(&self, bit: u8) -> bool {
        self.terminal_type == ID_IS && self.rights().last().is_some_and(|b| b & bit != 0)
    }

    /// An inspection system CHAT granting read access to DG3.
    pub fn reads_dg3(&self) -> bool {
        self.is_right(IS_READ_DG3)
    }

    /// An inspection system CHAT granting read access to DG4.
    pub fn reads_dg4(&self) -> bool {
        self.is_right(IS_READ_DG4)
    }
}

/// The fields of a certificate body, as parsed or to build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CvcBody {
    /// Certification Authority Reference: the issuer's CHR.
    pub car: String,
    /// The holder's public key.
    pub public_key: CvPublicKey,
    /// Certificate Holder Reference (country, mnemonic, sequence number).
    pub chr: String,
    /// Role and rights.
    pub chat: Chat,
    /// First day of validity.
    pub effective: Date,
    /// Last day of validity.
    pub expiration: Date,
    /// The value of the extensions object (65), if any, as it came.
    pub extensions: Option<Vec<u8>>,
}

/// A parsed CV certificate with the bytes its signature covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cvc {
    raw: Vec<u8>,
    signed: Vec<u8>,
    body: CvcBody,
    signature: Vec<u8>,
}

fn next_tagged<'a>(it: &mut Children<'a>, tag: u32, what: &str) -> Result<Tlv<'a>> {
    match it.next() {
        Some(Ok(t)) if t.tag == tag => Ok(t),
        Some(Ok(t)) => Err(err(format!("expected {what} ({tag:X}), found {:X}", t.tag))),
        Some(Err(e)) => Err(e),
        None => Err(err(format!("ends before {what} ({tag:X})"))),
    }
}

fn is_reference(r: &[u8]) -> bool {
    (1..=16).contains(&r.len()) && r.iter().all(|b| (0x20..0x7F).contains(b))
}

fn reference(t: Tlv<'_>, what: &str) -> Result<String> {
    if !is_reference(t.value) {
        let v = t.value;
        return Err(err(format!(
            "{what} is not 1-16 printable characters: {v:02X?}"
        )));
    }
    Ok(String::from_utf8_lossy(t.value).into_owned())
}

fn parse_oid(t: Tlv<'_>, what: &str) -> Result<ObjectIdentifier> {
    ObjectIdentifier::from_bytes(t.value).map_err(|e| err(format!("{what}: bad OID: {e}")))
}

/// A date as six unpacked BCD digits YYMMDD (years 2000-2099).
fn parse_date(t: Tlv<'_>, what: &str) -> Result<Date> {
    let bad = || err(format!("{what} is not six digits YYMMDD: {:02X?}", t.value));
    let d: [u8; 6] = t.value.try_into().map_err(|_| bad())?;
    if d.iter().any(|&x| x > 9) {
        return Err(bad());
    }
    let [y1, y2, m1, m2, d1, d2] = d;
    Date::new(2000 + u16::from(y1 * 10 + y2), m1 * 10 + m2, d1 * 10 + d2)
        .map_err(|e| err(format!("{what}: {e}")))
}

/// The named curve whose p, a, b, G, n equal the given ones (leading zeros aside).
fn curve_from_params(p: &[u8], a: &[u8], b: &[u8], g: &[u8], n: &[u8]) -> Result<Curve> {
    let int = BigUint::from_bytes_be;
    let c = Curve::ALL
        .iter()
        .map(|c| c.params())
        .find(|c| c.p == int(p))
        .ok_or_else(|| err("EC domain parameters: the prime is not one of a known curve"))?;
    let same_g = c.decode_point(g).is_ok_and(|pt| pt == c.generator());
    if c.a != int(a) || c.b != int(b) || c.n != int(n) || !same_g {
        let name = c.curve.name();
        return Err(err(format!(
            "EC domain parameters: prime of {name}, other a, b, G or n"
        )));
    }
    Ok(c.curve)
}

impl CvPublicKey {
    fn parse(t: Tlv<'_>) -> Result<CvPublicKey> {
        let mut it = t.children();
        let oid = parse_oid(next_tagged(&mut it, tag::OID, "key OID")?, "public key")?;
        let algorithm = TaAlgorithm::from_oid(&oid)
            .ok_or_else(|| err(format!("key algorithm {oid} is not an id-TA algorithm")))?;
        // Objects 81..87, each at most once and in increasing order.
        let mut f: [Option<&[u8]>; 7] = [None; 7];
        let mut last = 0x80;
        for c in it {
            let c = c?;
            let slot = (c.tag > last)
                .then(|| c.tag.checked_sub(0x81))
                .flatten()
                .and_then(|i| f.get_mut(i as usize))
                .ok_or_else(|| err(format!("public key: unexpected tag {:X}", c.tag)))?;
            *slot = Some(c.value);
            last = c.tag;
        }
        let key = match (algorithm.is_ec(), f) {
            (false, [Some(n), Some(e), None, None, None, None, None]) => {
                let (n, e) = (
                    strip_leading_zeros(n).to_vec(),
                    strip_leading_zeros(e).to_vec(),
                );
                if n.is_empty() || e.is_empty() {
                    return Err(err("RSA public key with a zero modulus or exponent"));
                }
                CvKey::Rsa { n, e }
            }
            (true, [None, None, None, None, None, Some(point), None]) => CvKey::Ec {
                domain: None,
                point: point.to_vec(),
            },
            (true, [Some(p), Some(a), Some(b), Some(g), Some(n), Some(point), h]) => {
                if h.is_some_and(|h| strip_leading_zeros(h) != [1]) {
                    return Err(err("EC domain parameters with a cofactor other than 1"));
                }
                let curve = curve_from_params(p, a, b, g, n)?;
                curve.params().decode_point(point)?;
                let (domain, point) = (Some(curve), point.to_vec());
                CvKey::Ec { domain, point }
            }
            _ => {
                return Err(err(format!(
                    "key objects do not fit {oid}: RSA takes 81 n, 82 e; ECDSA takes 86 and all \
                     or none of 81-85"
                )));
            }
        };
        Ok(CvPublicKey { algorithm, key })
    }
}

impl Cvc {
    /// Parses a DER CV certificate (7F21), strictly in the order of TR-03110-3 C.1.
    pub fn parse(bytes: &[u8]) -> Result<Cvc> {
        let outer = Tlv::parse_exact(bytes)?;
        if outer.tag != 0x7F21 {
            return Err(err(format!("tag {:X} is not 7F21", outer.tag)));
        }
        let mut it = outer.children();
        let body = next_tagged(&mut it, 0x7F4E, "certificate body")?;
        let sig = next_tagged(&mut it, 0x5F37, "signature")?;
        if it.next().is_some() {
            return Err(err("data after the signature"));
        }
        let mut b = body.children();
        let mut next = |tag: u32, what: &str| next_tagged(&mut b, tag, what);
        let profile = next(0x5F29, "profile identifier")?;
        if profile.value != [0x00] {
            return Err(err(format!(
                "profile identifier {:02X?} is not 00",
                profile.value
            )));
        }
        let car = reference(next(0x42, "CAR")?, "CAR")?;
        let public_key = CvPublicKey::parse(next(0x7F49, "public key")?)?;
        let chr = reference(next(0x5F20, "CHR")?, "CHR")?;
        let mut c = next(0x7F4C, "CHAT")?.children();
        let terminal_type = parse_oid(next_tagged(&mut c, tag::OID, "terminal type")?, "CHAT")?;
        let template = next_tagged(&mut c, 0x53, "CHAT template")?.value.to_vec();
        if template.is_empty() || c.next().is_some() {
            return Err(err("CHAT must be one OID and a non-empty template"));
        }
        let effective = parse_date(next(0x5F25, "effective date")?, "effective date")?;
        let expiration = parse_date(next(0x5F24, "expiration date")?, "expiration date")?;
        let extensions = match b.next().transpose()? {
            None => None,
            Some(t) if t.tag == 0x65 => Some(t.value.to_vec()),
            Some(t) => return Err(err(format!("unexpected tag {:X} after the dates", t.tag))),
        };
        if b.next().is_some() {
            return Err(err("data after the extensions"));
        }
        let chat = Chat {
            terminal_type,
            template,
        };
        Ok(Cvc {
            raw: outer.raw.to_vec(),
            signed: body.raw.to_vec(),
            body: CvcBody {
                car,
                public_key,
                chr,
                chat,
                effective,
                expiration,
                extensions,
            },
            signature: sig.value.to_vec(),
        })
    }

    /// The whole encoding.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The body's fields.
    pub fn body(&self) -> &CvcBody {
        &self.body
    }

    /// The encoded body (7F4E ...), which the signature covers.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed
    }

    /// The signature (5F37 value).
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Certification Authority Reference.
    pub fn car(&self) -> &str {
        &self.body.car
    }

    /// Certificate Holder Reference.
    pub fn chr(&self) -> &str {
        &self.body.chr
    }

    /// The holder's role.
    pub fn role(&self) -> Role {
        self.body.chat.role()
    }

    /// The curve of the key's explicit domain parameters, if it has them.
    pub fn domain(&self) -> Option<Curve> {
        match self.body.public_key.key {
            CvKey::Ec { domain, .. } => domain,
            CvKey::Rsa { .. } => None,
        }
    }

    /// True when CAR equals CHR (a self-signed CVCA certificate).
    pub fn is_self_signed(&self) -> bool {
        self.body.car == self.body.chr
    }

    /// True when `date` lies within the validity period (both ends inclusive).
    pub fn valid_on(&self, date: Date) -> bool {
        self.body.effective <= date && date <= self.body.expiration
    }

    /// The holder's key; an EC key without domain parameters uses `parent_domain` (the CVCA's).
    pub fn public_key(&self, parent_domain: Option<Curve>) -> Result<PublicKey> {
        let (domain, point) = match &self.body.public_key.key {
            CvKey::Rsa { n, e } => {
                return Ok(PublicKey::Rsa {
                    n: n.clone(),
                    e: e.clone(),
                });
            }
            CvKey::Ec { domain, point } => (domain, point),
        };
        let chr = &self.body.chr;
        let curve = domain.or(parent_domain).ok_or_else(|| {
            err(format!(
                "{chr}: EC key without domain parameters to inherit"
            ))
        })?;
        let pt = curve.params().decode_point(point)?;
        let point = curve.params().encode_point(&pt);
        Ok(PublicKey::Ec { curve, point })
    }

    /// Checks the signature with `key` under the issuer key's algorithm.
    pub fn verify_signature(&self, key: &PublicKey, algorithm: TaAlgorithm) -> Result<()> {
        let (m, s) = (&self.signed[..], &self.signature[..]);
        match algorithm {
            TaAlgorithm::Ecdsa(h) => signature::verify_ecdsa_plain(key, h, m, s),
            TaAlgorithm::RsaPkcs1(h) => {
                signature::verify(key, &SignatureAlgorithm::RsaPkcs1(h), m, s)
            }
            TaAlgorithm::RsaPss(hash) => {
                let salt_len = hash.output_len();
                let mgf_hash = hash;
                let alg = SignatureAlgorithm::RsaPss {
                    hash,
                    mgf_hash,
                    salt_len,
                };
                signature::verify(key, &alg, m, s)
            }
        }
        .map_err(|e| err(format!("{}: signature does not verify: {e}", self.body.chr)))
    }

    /// Checks that `issuer` issued this certificate: CAR = the issuer's CHR, and the signature
    /// verifies with the issuer's key (`domain` for an issuer key without parameters).
    pub fn verify_with(&self, issuer: &Cvc, domain: Option<Curve>) -> Result<()> {
        let (chr, car, by) = (&self.body.chr, &self.body.car, &issuer.body.chr);
        if car != by {
            return Err(err(format!(
                "{chr}: CAR {car} is not the issuer's CHR {by}"
            )));
        }
        let key = issuer.public_key(domain)?;
        self.verify_signature(&key, issuer.body.public_key.algorithm)
    }

    fn check_date(&self, date: Date) -> Result<()> {
        let b = &self.body;
        if !self.valid_on(date) {
            let (from, to) = (b.effective, b.expiration);
            return Err(err(format!(
                "{}: not valid on {date} ({from} to {to})",
                b.chr
            )));
        }
        Ok(())
    }
}

mod chain;
mod encode;
mod signing_key;
pub use chain::{ChainReport, verify_chain};
pub use signing_key::CvSigningKey;
#[cfg(test)]
pub(crate) use signing_key::signature_algorithm;
