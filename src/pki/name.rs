//! X.501 distinguished names as X.509 carries them (RFC 5280 clause 4.1.2.4, name comparison
//! after clause 7.1 simplified), with the profile of ICAO Doc 9303-12 clause 7.1 in mind: CSCA and
//! Document Signer names always carry a country (`C`) attribute, and real issuer names are
//! sometimes re-encoded with another string type than the CSCA's subject, so names match either
//! byte for byte or attribute by attribute after trimming and case folding.

use crate::asn1::{self, Object, tag};
use crate::error::{Error, Result};

/// A distinguished name: its encoding as found and its attributes in encoded order.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Name {
    /// The DER/BER of the Name (the whole SEQUENCE) exactly as found, for exact matching.
    #[serde(skip)]
    pub raw: Vec<u8>,
    /// `(type, value)` in encoded order, multi-valued RDNs flattened. The type is a short name
    /// (`C`, `CN`, `O`, `OU`, `L`, `ST`, `serialNumber`, ...) or the dotted OID. Values of
    /// non-string types are `#` and the hex of their encoding (RFC 4514 clause 2.4). The country
    /// (`C`) value is stored trimmed and upper-cased.
    pub attributes: Vec<(String, String)>,
}

/// Short names of the attribute types seen in eMRTD PKI names (RFC 4519, RFC 5280 appendix A).
const SHORT_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "street"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "title"),
    ("2.5.4.42", "GN"),
    ("2.5.4.46", "dnQualifier"),
    ("2.5.4.97", "organizationIdentifier"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
];

/// The short name of an attribute type, or its dotted form.
fn short_name(oid: &str) -> String {
    SHORT_NAMES
        .iter()
        .find(|(o, _)| *o == oid)
        .map_or_else(|| oid.to_string(), |(_, s)| (*s).to_string())
}

/// True for the universal character string types (X.680 clause 41).
fn is_string_type(obj: &Object<'_>) -> bool {
    obj.class == asn1::Class::Universal
        && matches!(
            obj.tag,
            tag::UTF8_STRING | 18..=22 | 25..=28 | tag::BMP_STRING
        )
}

/// Folds a value for comparison: trimmed, inner runs of white space as one space, lower case
/// (a simplified RFC 4518 string preparation).
fn fold(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Name {
    /// Parses a `Name` (`SEQUENCE OF RelativeDistinguishedName`, each a `SET OF
    /// AttributeTypeAndValue`).
    pub fn parse(obj: &Object<'_>) -> Result<Name> {
        let seq = obj.expect(tag::SEQUENCE, "Name")?;
        let mut attributes = Vec::new();
        for rdn in seq.children()? {
            let rdn = rdn.expect(tag::SET, "RelativeDistinguishedName")?;
            let atvs = rdn.children()?;
            if atvs.is_empty() {
                return Err(Error::Asn1("empty RelativeDistinguishedName".into()));
            }
            for atv in atvs {
                let atv = atv.expect(tag::SEQUENCE, "AttributeTypeAndValue")?;
                let mut r = atv.reader();
                let typ = r.required("attribute type")?.oid()?;
                let value = r.required("attribute value")?;
                if !r.is_empty() {
                    return Err(Error::Asn1(
                        "AttributeTypeAndValue has more than two elements".into(),
                    ));
                }
                let name = short_name(&typ.to_string());
                let text = if is_string_type(&value) {
                    value.string()?
                } else {
                    format!("#{}", hex::encode_upper(value.raw))
                };
                let text = if name == "C" {
                    text.trim().to_ascii_uppercase()
                } else {
                    text
                };
                attributes.push((name, text));
            }
        }
        Ok(Name {
            raw: obj.raw.to_vec(),
            attributes,
        })
    }

    /// Parses a Name from its encoding (exactly one object).
    pub fn from_der(bytes: &[u8]) -> Result<Name> {
        let (obj, rest) = asn1::parse(bytes)?;
        if !rest.is_empty() {
            return Err(Error::Asn1(format!("{} bytes after the Name", rest.len())));
        }
        Name::parse(&obj)
    }

    /// The first value of the attribute `short` (e.g. `"O"`).
    pub fn get(&self, short: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(t, _)| t == short)
            .map(|(_, v)| v.as_str())
    }

    /// The country (`C`) attribute, trimmed and upper-cased (ISO 3166-1 alpha-2 in a
    /// conforming certificate; some carry `UK` for GB, see [`crate::pki::country::same_country`]).
    pub fn country(&self) -> Option<&str> {
        self.get("C").map(str::trim).filter(|c| !c.is_empty())
    }

    /// The common name (`CN`).
    pub fn common_name(&self) -> Option<&str> {
        self.get("CN")
    }

    /// True when the two names are the same: equal encodings, or else the same attribute types
    /// in the same order with values equal after trimming, collapsing white space and case
    /// folding (RFC 5280 clause 7.1, simplified). Two empty names never match: an empty name
    /// identifies nobody.
    pub fn matches(&self, other: &Name) -> bool {
        if self.attributes.is_empty() || other.attributes.is_empty() {
            return false;
        }
        if !self.raw.is_empty() && self.raw == other.raw {
            return true;
        }
        self.attributes.len() == other.attributes.len()
            && self
                .attributes
                .iter()
                .zip(&other.attributes)
                .all(|((ta, va), (tb, vb))| ta == tb && fold(va) == fold(vb))
    }
}

impl Name {
    /// True when the two names hold the same attributes, each value equal after trimming,
    /// collapsing white space and case folding, in any RDN order: the comparison for names
    /// that real issuers re-encode (another RDN order, string type or case). Use it only where a
    /// signature check follows, as it identifies less strictly than [`Name::matches`].
    pub fn matches_any_order(&self, other: &Name) -> bool {
        if self.matches(other) {
            return true;
        }
        if self.attributes.is_empty() || self.attributes.len() != other.attributes.len() {
            return false;
        }
        let folded = |n: &Name| {
            let mut v: Vec<(String, String)> = n
                .attributes
                .iter()
                .map(|(t, v)| (t.clone(), fold(v)))
                .collect();
            v.sort();
            v
        };
        folded(self) == folded(other)
    }
}

impl std::fmt::Display for Name {
    /// `C=DE, O=bund, OU=bsi, CN=csca-germany`: attributes in encoded order.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (t, v)) in self.attributes.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{t}={v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a Name from (OID bytes hex, string tag, value).
    fn name(parts: &[(&str, u8, &str)]) -> Vec<u8> {
        let rdns: Vec<Vec<u8>> = parts
            .iter()
            .map(|(oid, t, v)| {
                let atv = asn1::sequence(&[
                    &asn1::encode(0x06, &hex::decode(oid).unwrap_or_default()),
                    &asn1::encode(*t, v.as_bytes()),
                ]);
                asn1::encode(0x31, &atv)
            })
            .collect();
        let refs: Vec<&[u8]> = rdns.iter().map(Vec::as_slice).collect();
        asn1::sequence(&refs)
    }

    #[test]
    fn parses_and_displays() {
        let der = name(&[
            ("550406", 0x13, "de "),
            ("55040A", 0x0C, "bund"),
            ("55040B", 0x0C, "bsi"),
            ("550403", 0x0C, "csca-germany"),
        ]);
        let n = Name::from_der(&der).unwrap();
        assert_eq!(n.to_string(), "C=DE, O=bund, OU=bsi, CN=csca-germany");
        assert_eq!(n.country(), Some("DE"));
        assert_eq!(n.common_name(), Some("csca-germany"));
        assert_eq!(n.raw, der);
    }

    #[test]
    fn matches_across_string_types_and_case() {
        let a = Name::from_der(&name(&[
            ("550406", 0x13, "DE"),
            ("550403", 0x13, "CSCA  X"),
        ]))
        .unwrap();
        let b = Name::from_der(&name(&[
            ("550406", 0x0C, "DE"),
            ("550403", 0x0C, " csca x"),
        ]))
        .unwrap();
        let c =
            Name::from_der(&name(&[("550406", 0x0C, "DE"), ("55040A", 0x0C, "csca x")])).unwrap();
        assert!(a.matches(&a));
        assert!(a.matches(&b));
        assert!(!a.matches(&c));
        assert!(!Name::default().matches(&Name::default()));
        assert!(!Name::default().matches_any_order(&Name::default()));
        // Another RDN order: the same name for matches_any_order only.
        let reordered = Name::from_der(&name(&[
            ("550403", 0x0C, "csca X "),
            ("550406", 0x13, "de"),
        ]))
        .unwrap();
        assert!(!a.matches(&reordered));
        assert!(a.matches_any_order(&reordered));
        assert!(!a.matches_any_order(&c));
    }

    #[test]
    fn rejects_malformed_names() {
        for bad in [
            "3100",
            "30023100",
            "3005310330010A",
            "300F310D300B0603550406130144130145",
        ] {
            let bytes = hex::decode(bad).unwrap();
            assert!(Name::from_der(&bytes).is_err(), "{bad}");
        }
        // Non-string value: kept as #hex.
        let der = asn1::sequence(&[&asn1::encode(
            0x31,
            &asn1::sequence(&[&hex::decode("0603550405").unwrap(), &[0x02, 0x01, 0x07]]),
        )]);
        let n = Name::from_der(&der).unwrap();
        assert_eq!(n.to_string(), "serialNumber=#020107");
    }
}
