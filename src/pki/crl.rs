//! X.509 certificate revocation lists (RFC 5280 clause 5) in the profile of ICAO Doc 9303-12
//! clause 7.1.4 (CSCA-issued CRLs: version 2, authorityKeyIdentifier and cRLNumber extensions,
//! nextUpdate present), from DER/BER or PEM (`X509 CRL`, RFC 7468).
//!
//! Critical CRL or CRL entry extensions not understood here are listed in
//! [`Crl::unknown_critical`]: RFC 5280 clause 5.2 says such a CRL must not be used to decide
//! revocation, so a verifier should treat it as unusable (fail closed).

use crate::asn1::{Object, tag};
use crate::error::{Error, Result};
use crate::pki::cert::{AlgorithmId, extension_list, oid, parse_authority_key_id, single};
use crate::pki::name::Name;
use crate::time::Time;
use crate::uint::strip_leading_zeros;
use der::asn1::ObjectIdentifier;

fn err(msg: impl Into<String>) -> Error {
    Error::Asn1(msg.into())
}

/// One revoked certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revoked {
    /// The userCertificate INTEGER's content octets as encoded.
    pub serial: Vec<u8>,
    /// revocationDate.
    pub date: Time,
}

/// A certificate revocation list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crl {
    /// The whole encoding as found.
    pub raw: Vec<u8>,
    /// The tbsCertList exactly as encoded: the signature is over these bytes.
    pub tbs: Vec<u8>,
    /// The outer signatureAlgorithm (equal to the one inside tbsCertList).
    pub signature_algorithm: AlgorithmId,
    /// Issuer (the CSCA).
    pub issuer: Name,
    /// thisUpdate.
    pub this_update: Time,
    /// nextUpdate.
    pub next_update: Option<Time>,
    /// The revoked certificates in encoded order.
    pub revoked: Vec<Revoked>,
    /// The signatureValue BIT STRING's bits.
    pub signature: Vec<u8>,
    /// authorityKeyIdentifier's keyIdentifier.
    pub authority_key_id: Option<Vec<u8>>,
    /// cRLNumber INTEGER content octets.
    pub crl_number: Option<Vec<u8>>,
    /// Critical CRL and CRL entry extensions not understood: the CRL must not be relied on.
    pub unknown_critical: Vec<ObjectIdentifier>,
}

fn time_or_none(obj: &Object<'_>) -> bool {
    obj.is(tag::UTC_TIME) || obj.is(tag::GENERALIZED_TIME)
}

impl Crl {
    /// Parses one CRL (BER accepted); bytes after it are an error.
    pub fn from_der(bytes: &[u8]) -> Result<Crl> {
        let obj = single(bytes, "CertificateList")?.expect(tag::SEQUENCE, "CertificateList")?;
        let mut r = obj.reader();
        let tbs = r.required("tbsCertList")?;
        let tbs = tbs.expect(tag::SEQUENCE, "tbsCertList")?;
        let signature_algorithm = AlgorithmId::parse(&r.required("signatureAlgorithm")?)?;
        let signature = r.required("signatureValue")?.bit_string()?.to_vec();
        if !r.is_empty() {
            return Err(err("CertificateList has elements after signatureValue"));
        }

        let mut t = tbs.reader();
        let version = match t.optional(tag::INTEGER)? {
            Some(v) => match v.small_uint()? {
                n @ 0..=1 => n + 1,
                n => return Err(err(format!("unknown CRL version {n}"))),
            },
            None => 1,
        };
        let inner = AlgorithmId::parse(&t.required("signature")?)?;
        if !inner.same_as(&signature_algorithm) {
            return Err(err(format!(
                "signature algorithm {inner} in tbsCertList differs from {signature_algorithm}"
            )));
        }
        let issuer = Name::parse(&t.required("issuer")?)?;
        if issuer.attributes.is_empty() {
            return Err(err("empty CRL issuer name"));
        }
        let this_update = t.required("thisUpdate")?.time()?;
        let next_update = t.next_if(time_or_none)?.map(|o| o.time()).transpose()?;
        let mut unknown_critical = Vec::new();
        let mut revoked = Vec::new();
        if let Some(list) = t.optional(tag::SEQUENCE)? {
            for entry in list.children()? {
                let entry = entry.expect(tag::SEQUENCE, "revoked certificate")?;
                let mut e = entry.reader();
                let serial = e.required("userCertificate")?.integer_bytes()?.to_vec();
                let date = e.required("revocationDate")?.time()?;
                if let Some(exts) = e.optional(tag::SEQUENCE)? {
                    if version < 2 {
                        return Err(err("CRL entry extensions in a version 1 CRL"));
                    }
                    // reasonCode and invalidityDate are informational; anything critical is not.
                    for (id, critical, _) in extension_list(&exts)? {
                        if critical && !unknown_critical.contains(&id) {
                            unknown_critical.push(id);
                        }
                    }
                }
                if !e.is_empty() {
                    return Err(err("revoked certificate entry has extra elements"));
                }
                revoked.push(Revoked { serial, date });
            }
        }
        let mut authority_key_id = None;
        let mut crl_number = None;
        if let Some(e) = t.optional_context(0)? {
            if version < 2 {
                return Err(err("extensions in a version 1 CRL"));
            }
            for (id, critical, value) in extension_list(&single(e.value, "crlExtensions")?)? {
                if id == oid::AUTHORITY_KEY_ID {
                    authority_key_id = parse_authority_key_id(&value)?;
                } else if id == oid::CRL_NUMBER {
                    let n = single(&value, "cRLNumber")?;
                    crl_number = Some(n.integer_bytes()?.to_vec());
                } else if critical {
                    unknown_critical.push(id);
                }
            }
        }
        if !t.is_empty() {
            return Err(err("tbsCertList has unexpected trailing elements"));
        }
        Ok(Crl {
            raw: obj.raw.to_vec(),
            tbs: tbs.raw.to_vec(),
            signature_algorithm,
            issuer,
            this_update,
            next_update,
            revoked,
            signature,
            authority_key_id,
            crl_number,
            unknown_critical,
        })
    }

    /// Parses PEM (one or more `X509 CRL` blocks) or a single DER/BER CRL.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Vec<Crl>> {
        if crate::crypto::pem::looks_like_pem(bytes) {
            crate::crypto::pem::pem_blocks(bytes, "X509 CRL")?
                .iter()
                .map(|der| Crl::from_der(der))
                .collect()
        } else {
            Ok(vec![Crl::from_der(bytes)?])
        }
    }

    /// The revocation date if the certificate with this serial number (INTEGER content octets,
    /// with or without leading 00 sign octets) is listed.
    pub fn is_revoked(&self, serial: &[u8]) -> Option<Time> {
        let wanted = strip_leading_zeros(serial);
        self.revoked
            .iter()
            .find(|r| strip_leading_zeros(&r.serial) == wanted)
            .map(|r| r.date)
    }

    /// True when `t` lies within thisUpdate..=nextUpdate. A CRL without nextUpdate is never
    /// current (ICAO 9303-12 requires the field; fail closed).
    pub fn is_current_at(&self, t: Time) -> bool {
        self.this_update <= t && self.next_update.is_some_and(|n| t <= n)
    }

    /// The cRLNumber in upper-case hex, without leading zero octets.
    pub fn crl_number_hex(&self) -> Option<String> {
        self.crl_number
            .as_deref()
            .map(|n| hex::encode_upper(strip_leading_zeros(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asn1;

    /// A minimal v2 CRL with one entry, built by hand.
    fn sample(entry_ext_critical: bool) -> Vec<u8> {
        let alg = asn1::sequence(&[&hex::decode("06092A864886F70D01010B0500").unwrap()]);
        let name = hex::decode("300D310B3009060355040613024E5A").unwrap();
        let ext = asn1::sequence(&[
            &hex::decode("0603551D15").unwrap(),
            if entry_ext_critical {
                &[0x01, 0x01, 0xFF][..]
            } else {
                &[][..]
            },
            &asn1::encode(0x04, &[0x0A, 0x01, 0x01]),
        ]);
        let entry = asn1::sequence(&[
            &[0x02, 0x02, 0x00, 0x85],
            &asn1::encode(0x17, b"200309211927Z"),
            &asn1::sequence(&[&ext]),
        ]);
        let tbs = asn1::sequence(&[
            &[0x02, 0x01, 0x01],
            &alg,
            &name,
            &asn1::encode(0x17, b"200508123829Z"),
            &asn1::sequence(&[&entry]),
        ]);
        asn1::sequence(&[&tbs, &alg, &[0x03, 0x02, 0x00, 0xAA]])
    }

    #[test]
    fn parses_a_minimal_crl() {
        let crl = Crl::from_der(&sample(false)).unwrap();
        assert_eq!(crl.issuer.country(), Some("NZ"));
        assert_eq!(crl.next_update, None);
        assert!(!crl.is_current_at(crl.this_update));
        assert_eq!(crl.revoked.len(), 1);
        assert!(crl.is_revoked(&[0x85]).is_some());
        assert!(crl.is_revoked(&[0x00, 0x00, 0x85]).is_some());
        assert!(crl.is_revoked(&[0x86]).is_none());
        assert!(crl.unknown_critical.is_empty());
        let crl = Crl::from_der(&sample(true)).unwrap();
        assert_eq!(crl.unknown_critical.len(), 1);
    }

    #[test]
    fn truncations_are_errors() {
        let der = sample(false);
        for n in 0..der.len() {
            assert!(Crl::from_der(&der[..n]).is_err(), "{n}");
        }
    }
}
