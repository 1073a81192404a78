//! The eMRTD public key infrastructure (ICAO Doc 9303-12; RFC 5280, RFC 5652): ASN.1, X.509
//! certificates and CRLs, CMS SignedData, signature verification, trust stores and master lists,
//! Passive Authentication, and the issuer side (test PKI, document signing).

pub mod asn1;
