//! The eMRTD public key infrastructure (ICAO Doc 9303-12; RFC 5280, RFC 5652): X.509
//! certificates and CRLs, CMS SignedData, trust stores and master lists, and the reports of
//! Passive Authentication. Hashes, curves and signatures are in [`crate::crypto`]; the ASN.1
//! reader in [`crate::asn1`]; the procedure that runs Passive Authentication on what was read
//! in [`crate::reader`]; the issuer side in [`crate::issuance`].

pub mod cert;
pub mod cms;
pub mod country;
pub mod crl;
pub mod name;
pub mod pa;
pub mod signed_object;
pub mod trust;
