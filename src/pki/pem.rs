//! PEM (RFC 7468): base64 text between `-----BEGIN label-----` and `-----END label-----` lines.

use crate::error::{Error, Result};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64-encodes `data` (RFC 4648, with padding).
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from_be_bytes([0, b[0], b[1], b[2]]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 0x3F) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Wraps DER in PEM armour with 64-character lines.
pub fn encode(label: &str, der: &[u8]) -> String {
    let b64 = base64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// True for text holding a PEM boundary (possibly after other text, such as the `subject=`
/// lines openssl writes), as opposed to DER/BER, which starts with a SEQUENCE tag.
pub fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes.first() != Some(&0x30) && bytes.windows(11).any(|w| w == b"-----BEGIN ")
}

/// The decoded contents of every `-----BEGIN {label}-----` block (RFC 7468); none is an error.
/// Header lines (`Name: value`, RFC 1421) inside a block are skipped.
pub fn pem_blocks(bytes: &[u8], label: &str) -> Result<Vec<Vec<u8>>> {
    let text = String::from_utf8_lossy(bytes);
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        match current.as_mut() {
            None if line == begin => current = Some(String::new()),
            None => {}
            Some(body) if line == end => {
                blocks.push(base64_decode(body)?);
                current = None;
            }
            Some(_) if line.starts_with("-----") => {
                return Err(Error::Asn1(format!("PEM: {line} inside a {label} block")));
            }
            Some(_) if line.contains(':') => {}
            Some(body) => body.push_str(line),
        }
    }
    if current.is_some() {
        return Err(Error::Asn1(format!("PEM: no {end}")));
    }
    if blocks.is_empty() {
        return Err(Error::Asn1(format!("PEM: no {begin} block")));
    }
    Ok(blocks)
}

/// Standard base64 (RFC 4648 clause 4), white space ignored.
fn base64_decode(text: &str) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut nbits, mut pad) = (0u32, 0u32, 0usize);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            c => return Err(Error::Asn1(format!("PEM: byte {c:#04x} is not base64"))),
        };
        if pad > 0 {
            return Err(Error::Asn1("PEM: base64 data after padding".into()));
        }
        acc = (acc << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((acc >> nbits) as u8);
            acc &= (1 << nbits) - 1;
        }
    }
    if pad > 2 || nbits >= 6 {
        return Err(Error::Asn1(
            "PEM: base64 length is not a whole number of bytes".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_rfc4648_vectors() {
        for (plain, b64) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), b64);
            assert_eq!(base64_decode(b64).unwrap(), plain.as_bytes());
        }
        assert!(base64_decode("Zm9v!").is_err());
    }

    #[test]
    fn base64_vectors() {
        for (b64, plain) in [("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo")] {
            assert_eq!(base64_decode(b64).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64_decode("Zm9v\r\nYmFy").unwrap(), b"foobar");
        for bad in ["Zg=a", "Z", "Zm9v!", "Zg==="] {
            assert!(base64_decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pem_blocks_round_trip() {
        let data: Vec<u8> = (0..200).map(|i| i as u8).collect();
        let text = encode("CERTIFICATE", &data) + &encode("CERTIFICATE", &[1, 2, 3]);
        assert_eq!(
            pem_blocks(text.as_bytes(), "CERTIFICATE").unwrap(),
            vec![data, vec![1, 2, 3]]
        );
        assert!(pem_blocks(b"-----BEGIN CERTIFICATE-----\nAAAA", "CERTIFICATE").is_err());
    }
}
