//! The eMRTD public key infrastructure (ICAO Doc 9303-12; RFC 5280, RFC 5652): ASN.1, X.509
//! certificates and CRLs, CMS SignedData, signature verification, trust stores and master lists,
//! Passive Authentication, and the issuer side (test PKI, document signing).

pub mod asn1;
pub mod cert;
pub mod cms;
pub mod country;
pub mod crl;
pub mod domain;
pub mod ec;
pub mod hash;
pub mod keys;
pub mod name;
pub mod pa;
pub mod pem;
pub mod signature;
pub mod signed_object;
pub mod signing_key;
pub mod trust;
