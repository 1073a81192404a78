//! Block-cipher primitives of ICAO Doc 9303-11 clause 9.8: ISO/IEC 9797-1 padding method 2,
//! two-key 3DES in CBC mode with the ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC"), and AES in
//! CBC mode with AES-CMAC (NIST SP 800-38B).

use crate::error::{Error, Result};
use aes::{Aes128, Aes192, Aes256};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, InnerIvInit};
use cmac::{Cmac, Mac};
use des::cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use des::{Des, TdesEde2};

/// ISO/IEC 9797-1 padding method 2: append 0x80, then zeros to a multiple of `block`.
pub fn pad(data: &[u8], block: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + block);
    out.extend_from_slice(data);
    out.push(0x80);
    while !out.len().is_multiple_of(block) {
        out.push(0);
    }
    out
}

/// Removes ISO/IEC 9797-1 method 2 padding.
pub fn unpad(data: &[u8]) -> Result<&[u8]> {
    let end = data
        .iter()
        .rposition(|&b| b != 0)
        .ok_or_else(|| Error::SecureMessaging("padding: no 80 marker".into()))?;
    if data[end] != 0x80 {
        return Err(Error::SecureMessaging(format!(
            "padding: expected 80 before the zeros, found {:02X}",
            data[end]
        )));
    }
    Ok(&data[..end])
}

fn key_error(what: &str, len: usize) -> Error {
    Error::SecureMessaging(format!("{what} key of {len} bytes"))
}

fn check_blocks(data: &[u8], block: usize) -> Result<()> {
    if !data.len().is_multiple_of(block) {
        return Err(Error::SecureMessaging(format!(
            "cryptogram of {} bytes is not a multiple of the {block}-byte block",
            data.len()
        )));
    }
    Ok(())
}

fn block_error(len: usize) -> Error {
    Error::SecureMessaging(format!("CBC over {len} bytes, not whole blocks"))
}

/// CBC encryption with `cipher` (`data` block-aligned: checked by the callers).
fn cbc_encrypt<C: BlockCipherEncrypt>(
    cipher: C,
    iv: &Array<u8, C::BlockSize>,
    data: &[u8],
) -> Result<Vec<u8>> {
    let mut out = vec![0u8; data.len()];
    cbc::Encryptor::inner_iv_init(cipher, iv)
        .encrypt_padded_b2b::<NoPadding>(data, &mut out)
        .map_err(|_| block_error(data.len()))?;
    Ok(out)
}

/// CBC decryption with `cipher`.
fn cbc_decrypt<C: BlockCipherDecrypt>(
    cipher: C,
    iv: &Array<u8, C::BlockSize>,
    data: &[u8],
) -> Result<Vec<u8>> {
    let mut out = vec![0u8; data.len()];
    cbc::Decryptor::inner_iv_init(cipher, iv)
        .decrypt_padded_b2b::<NoPadding>(data, &mut out)
        .map_err(|_| block_error(data.len()))?;
    Ok(out)
}

fn tdes(key: &[u8]) -> Result<TdesEde2> {
    TdesEde2::new_from_slice(key).map_err(|_| key_error("3DES", key.len()))
}

/// Two-key 3DES-CBC encryption with a zero IV (`data` must be block-aligned).
pub fn tdes_cbc_encrypt(key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    check_blocks(data, 8)?;
    cbc_encrypt(tdes(key)?, &Array::default(), data)
}

/// Two-key 3DES-CBC decryption with a zero IV.
pub fn tdes_cbc_decrypt(key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    check_blocks(data, 8)?;
    cbc_decrypt(tdes(key)?, &Array::default(), data)
}

/// ISO/IEC 9797-1 MAC algorithm 3 with DES (the "retail MAC") over already padded data:
/// single-DES CBC-MAC with K1, then the last block decrypted with K2 and encrypted with K1.
pub fn retail_mac(key: &[u8], padded: &[u8]) -> Result<[u8; 8]> {
    check_blocks(padded, 8)?;
    if key.len() != 16 || padded.is_empty() {
        return Err(key_error("retail MAC", key.len()));
    }
    let k1 = Des::new_from_slice(&key[..8]).map_err(|_| key_error("DES", 8))?;
    let k2 = Des::new_from_slice(&key[8..]).map_err(|_| key_error("DES", 8))?;
    let cbc = cbc_encrypt(k1.clone(), &Array::default(), padded)?;
    let mut last = [0u8; 8];
    last.copy_from_slice(&cbc[cbc.len() - 8..]);
    let a: &mut Array<u8, _> = (&mut last).into();
    k2.decrypt_block(a);
    k1.encrypt_block(a);
    Ok(last)
}

/// AES with a 16, 24 or 32 byte key.
enum AesKey {
    A128(Box<Aes128>),
    A192(Box<Aes192>),
    A256(Box<Aes256>),
}

impl AesKey {
    fn new(key: &[u8]) -> Result<AesKey> {
        Ok(match key.len() {
            16 => AesKey::A128(Box::new(
                Aes128::new_from_slice(key).map_err(|_| key_error("AES", 16))?,
            )),
            24 => AesKey::A192(Box::new(
                Aes192::new_from_slice(key).map_err(|_| key_error("AES", 24))?,
            )),
            32 => AesKey::A256(Box::new(
                Aes256::new_from_slice(key).map_err(|_| key_error("AES", 32))?,
            )),
            n => return Err(key_error("AES", n)),
        })
    }

    fn encrypt(&self, b: &mut [u8; 16]) {
        let a: &mut Array<u8, _> = b.into();
        match self {
            AesKey::A128(k) => k.encrypt_block(a),
            AesKey::A192(k) => k.encrypt_block(a),
            AesKey::A256(k) => k.encrypt_block(a),
        }
    }
}

/// One AES block encryption (used to derive the SM IV from the SSC).
pub fn aes_ecb_block(key: &[u8], block: [u8; 16]) -> Result<[u8; 16]> {
    let k = AesKey::new(key)?;
    let mut b = block;
    k.encrypt(&mut b);
    Ok(b)
}

/// AES-CBC encryption with the given IV (`data` must be block-aligned).
pub fn aes_cbc_encrypt(key: &[u8], iv: [u8; 16], data: &[u8]) -> Result<Vec<u8>> {
    check_blocks(data, 16)?;
    match AesKey::new(key)? {
        AesKey::A128(k) => cbc_encrypt(*k, &iv.into(), data),
        AesKey::A192(k) => cbc_encrypt(*k, &iv.into(), data),
        AesKey::A256(k) => cbc_encrypt(*k, &iv.into(), data),
    }
}

/// AES-CBC decryption with the given IV.
pub fn aes_cbc_decrypt(key: &[u8], iv: [u8; 16], data: &[u8]) -> Result<Vec<u8>> {
    check_blocks(data, 16)?;
    match AesKey::new(key)? {
        AesKey::A128(k) => cbc_decrypt(*k, &iv.into(), data),
        AesKey::A192(k) => cbc_decrypt(*k, &iv.into(), data),
        AesKey::A256(k) => cbc_decrypt(*k, &iv.into(), data),
    }
}

/// AES-CMAC over `data`, truncated to 8 bytes as secure messaging uses it.
pub fn aes_cmac8(key: &[u8], data: &[u8]) -> Result<[u8; 8]> {
    fn run<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Result<[u8; 8]> {
        let mut m =
            <M as KeyInit>::new_from_slice(key).map_err(|_| key_error("CMAC", key.len()))?;
        m.update(data);
        let tag = m.finalize().into_bytes();
        let mut out = [0u8; 8];
        out.copy_from_slice(&tag[..8]);
        Ok(out)
    }
    match key.len() {
        16 => run::<Cmac<Aes128>>(key, data),
        24 => run::<Cmac<Aes192>>(key, data),
        32 => run::<Cmac<Aes256>>(key, data),
        n => Err(key_error("CMAC", n)),
    }
}

/// Sets the parity bit of each byte of a DES key (odd parity, ICAO 9303-11 clause 9.7.1).
pub fn adjust_des_parity(key: &mut [u8]) {
    for b in key.iter_mut() {
        let ones = (*b & 0xFE).count_ones();
        *b = (*b & 0xFE) | u8::from(ones % 2 == 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    #[test]
    fn padding_round_trips_and_rejects_garbage() {
        assert_eq!(pad(&[1, 2], 8), [1, 2, 0x80, 0, 0, 0, 0, 0]);
        assert_eq!(pad(&[0; 8], 8).len(), 16);
        assert_eq!(unpad(&pad(&[1, 2, 0x80], 8)).unwrap(), [1, 2, 0x80]);
        assert!(unpad(&[0; 8]).is_err());
        assert!(unpad(&[1, 2, 3, 4, 5, 6, 7, 8]).is_err());
    }

    #[test]
    fn bac_worked_example_cryptogram_and_mac() {
        // ICAO 9303-11 App. D.3 (VECTORS.md section 2).
        let kenc = h("AB94FDECF2674FDFB9B391F85D7F76F2");
        let kmac = h("7962D9ECE03D1ACD4C76089DCE131543");
        let s = h("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
        let e = tdes_cbc_encrypt(&kenc, &s).unwrap();
        assert_eq!(
            hex::encode_upper(&e),
            "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
        );
        assert_eq!(tdes_cbc_decrypt(&kenc, &e).unwrap(), s);
        let m = retail_mac(&kmac, &pad(&e, 8)).unwrap();
        assert_eq!(hex::encode_upper(m), "5F1448EEA8AD90A7");
    }

    #[test]
    fn parity_adjustment_matches_worked_example() {
        let mut k = h("AB94FCEDF2664EDFB9B291F85D7F77F2");
        adjust_des_parity(&mut k);
        assert_eq!(hex::encode_upper(k), "AB94FDECF2674FDFB9B391F85D7F76F2");
    }

    #[test]
    fn aes_sm_worked_example() {
        // BSI EAC worked example v1.01 (VECTORS.md section 9): SSC = 1 for encryption.
        let ksenc = h("68406B4162100563D9C901A6154D2901");
        let ksmac = h("73FF268784F72AF833FDC9464049AFC9");
        let mut ssc = [0u8; 16];
        ssc[15] = 1;
        let iv = aes_ecb_block(&ksenc, ssc).unwrap();
        let c =
            aes_cbc_encrypt(&ksenc, iv, &pad(&h("830D44454356434141543030303031"), 16)).unwrap();
        assert_eq!(hex::encode_upper(c), "BE90237EEB4BA0FF253EA246AE31C8B8");
        ssc[15] = 2;
        let mut n = ssc.to_vec();
        n.extend(h("99029000"));
        assert_eq!(
            hex::encode_upper(aes_cmac8(&ksmac, &pad(&n, 16)).unwrap()),
            "A89570A68664A7D6"
        );
    }

    #[test]
    fn bad_lengths_are_errors() {
        assert!(tdes_cbc_encrypt(&[0; 16], &[0; 7]).is_err());
        assert!(tdes_cbc_encrypt(&[0; 15], &[0; 8]).is_err());
        assert!(aes_cbc_decrypt(&[0; 17], [0; 16], &[0; 16]).is_err());
        assert!(retail_mac(&[0; 16], &[]).is_err());
    }
}
