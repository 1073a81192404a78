//! The cryptography under secure messaging, the PKI and the access protocols: hashes (FIPS
//! 180-4), block ciphers and MACs (ICAO Doc 9303-11 clause 9.8), the key derivation function
//! (clause 9.7.1), elliptic curves and standardized domain parameters (clause 9.5.1; BSI
//! TR-03110-3 clause A.2.1.1), public keys, signature algorithms and their verification (ICAO Doc
//! 9303-12 clause 7.1), issuer signing keys, and PEM (RFC 7468).

pub mod cipher;
pub mod domain;
pub mod ec;
pub mod hash;
pub mod kdf;
pub mod keys;
pub mod pem;
pub mod signature;
pub mod signing_key;
