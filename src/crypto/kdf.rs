//! The key derivation function of ICAO Doc 9303-11 clause 9.7.1: `KDF(K, c) = H(K || c)` with
//! the 32-bit counter `c` (1 = encryption, 2 = MAC, 3 = PACE password key), truncated to the
//! cipher's key length; SHA-1 for 3DES and AES-128, SHA-256 for AES-192/256.

use super::cipher::adjust_des_parity;
use sha1::{Digest, Sha1};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Counter for the encryption key.
pub const ENC: u32 = 1;
/// Counter for the MAC key.
pub const MAC: u32 = 2;
/// Counter for the PACE password key.
pub const PACE: u32 = 3;

/// The cipher a derived key is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum KeyKind {
    /// Two-key 3DES (16 bytes, parity adjusted).
    Tdes,
    /// AES with a key of 16, 24 or 32 bytes.
    Aes(usize),
}

impl From<crate::oids::Cipher> for KeyKind {
    fn from(cipher: crate::oids::Cipher) -> KeyKind {
        match cipher {
            crate::oids::Cipher::Tdes => KeyKind::Tdes,
            other => KeyKind::Aes(other.key_len()),
        }
    }
}

/// Derives a key from the shared secret `k` and counter `c`.
pub fn derive(k: &[u8], c: u32, kind: KeyKind) -> Zeroizing<Vec<u8>> {
    let mut input = Zeroizing::new(Vec::with_capacity(k.len() + 4));
    input.extend_from_slice(k);
    input.extend_from_slice(&c.to_be_bytes());
    match kind {
        KeyKind::Tdes => {
            let digest = Sha1::digest(&*input);
            let mut key = Zeroizing::new(digest[..16].to_vec());
            adjust_des_parity(&mut key);
            key
        }
        KeyKind::Aes(16) => Zeroizing::new(Sha1::digest(&*input)[..16].to_vec()),
        KeyKind::Aes(n) => {
            let digest = Sha256::digest(&*input);
            Zeroizing::new(digest[..n.min(32)].to_vec())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bac_key_derivation_worked_example() {
        // ICAO 9303-11 App. D.1/D.3 (VECTORS.md sections 1-2).
        let kseed = hex::decode("239AB9CB282DAF66231DC5A4DF6BFBAE").unwrap();
        assert_eq!(
            hex::encode_upper(&*derive(&kseed, ENC, KeyKind::Tdes)),
            "AB94FDECF2674FDFB9B391F85D7F76F2"
        );
        assert_eq!(
            hex::encode_upper(&*derive(&kseed, MAC, KeyKind::Tdes)),
            "7962D9ECE03D1ACD4C76089DCE131543"
        );
        let session = hex::decode("0036D272F5C350ACAC50C3F572D23600").unwrap();
        assert_eq!(
            hex::encode_upper(&*derive(&session, ENC, KeyKind::Tdes)),
            "979EC13B1CBFE9DCD01AB0FED307EAE5"
        );
        assert_eq!(
            hex::encode_upper(&*derive(&session, MAC, KeyKind::Tdes)),
            "F1CB1F1FB5ADF208806B89DC579DC1F8"
        );
    }

    #[test]
    fn pace_key_derivation_worked_example() {
        // ICAO 9303-11 App. G.1 (VECTORS.md section 4).
        let k = hex::decode("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD").unwrap();
        assert_eq!(
            hex::encode_upper(&*derive(&k, PACE, KeyKind::Aes(16))),
            "89DED1B26624EC1E634C1989302849DD"
        );
        let shared =
            hex::decode("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925")
                .unwrap();
        assert_eq!(
            hex::encode_upper(&*derive(&shared, ENC, KeyKind::Aes(16))),
            "F5F0E35C0D7161EE6724EE513A0D9A7F"
        );
        assert_eq!(
            hex::encode_upper(&*derive(&shared, MAC, KeyKind::Aes(16))),
            "FE251C7858B356B24514B3BD5F4297D1"
        );
    }
}
