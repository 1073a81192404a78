//! PEM (RFC 7468): base64 text between `-----BEGIN label-----` and `-----END label-----` lines.

use crate::error::{Error, Result};
use base64ct::{Base64, Base64Unpadded, Encoding};
use pem_rfc7468::LineEnding;

/// Base64-encodes `data` (RFC 4648, with padding).
pub fn base64_encode(data: &[u8]) -> String {
    Base64::encode_string(data)
}

/// Wraps DER in PEM armour with 64-character lines. A label RFC 7468 does not allow (outside
/// printable ASCII, a hyphen, leading, trailing or doubled spaces) is an error.
pub fn encode(label: &str, der: &[u8]) -> Result<String> {
    pem_rfc7468::encode_string(label, LineEnding::LF, der)
        .map_err(|e| Error::Usage(format!("PEM label {label:?}: {e}")))
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

/// Standard base64 (RFC 4648 clause 4), white space ignored; the padding may be left out.
fn base64_decode(text: &str) -> Result<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if let Some(c) = compact
        .bytes()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=')))
    {
        return Err(Error::Asn1(format!("PEM: byte {c:#04x} is not base64")));
    }
    let decoded = if !compact.len().is_multiple_of(4) && !compact.contains('=') {
        Base64Unpadded::decode_vec(&compact)
    } else {
        Base64::decode_vec(&compact)
    };
    decoded.map_err(|e| Error::Asn1(format!("PEM: bad base64 ({e})")))
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
        let text =
            encode("CERTIFICATE", &data).unwrap() + &encode("CERTIFICATE", &[1, 2, 3]).unwrap();
        assert_eq!(
            pem_blocks(text.as_bytes(), "CERTIFICATE").unwrap(),
            vec![data, vec![1, 2, 3]]
        );
        assert!(pem_blocks(b"-----BEGIN CERTIFICATE-----\nAAAA", "CERTIFICATE").is_err());
        assert!(encode("BAD--LABEL ", &[1]).is_err());
    }
}
