//! The encoding of CV certificate bodies (BSI TR-03110-3 C.1, public keys per D.3, dates as
//! six unpacked BCD digits per D.2.1.3): the bytes an issuer signs
//! ([`crate::issuance::cv_pki::build`]) and [`super::Cvc::parse`] reads back.

use super::{CvKey, CvPublicKey, CvcBody, is_reference};
use crate::asn1;
use crate::crypto::ec::int_to_bytes;
use crate::error::{Error, Result};
use crate::time::Date;
use crate::tlv;

fn encode_date(tag: u32, d: Date) -> Result<Vec<u8>> {
    if !(2000..=2099).contains(&d.year) {
        return Err(Error::Usage(format!("{d}: CV dates span 2000 to 2099")));
    }
    let y = (d.year - 2000) as u8;
    let (m, d) = (d.month, d.day);
    Ok(tlv::encode(
        tag,
        &[y / 10, y % 10, m / 10, m % 10, d / 10, d % 10],
    ))
}

impl CvPublicKey {
    /// The public key object (7F49): the id-TA OID, then 81-87 or 81-82.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let oid = self.algorithm.oid().ok_or_else(|| {
            Error::Usage(format!(
                "{:?} has no id-TA object identifier",
                self.algorithm
            ))
        })?;
        let mut v = asn1::encode_oid(&oid);
        match &self.key {
            CvKey::Rsa { n, e } => {
                v.extend(tlv::encode(0x81, n));
                v.extend(tlv::encode(0x82, e));
            }
            CvKey::Ec { domain, point } => {
                let c = domain.map(|c| c.params());
                if let Some(c) = c {
                    let fl = c.field_len();
                    v.extend(tlv::encode(0x81, &int_to_bytes(&c.p, fl)));
                    v.extend(tlv::encode(0x82, &int_to_bytes(&c.a, fl)));
                    v.extend(tlv::encode(0x83, &int_to_bytes(&c.b, fl)));
                    v.extend(tlv::encode(0x84, &c.encode_point(&c.generator())));
                    v.extend(tlv::encode(0x85, &int_to_bytes(&c.n, fl)));
                }
                v.extend(tlv::encode(0x86, point));
                if c.is_some() {
                    v.extend(tlv::encode(0x87, &[0x01]));
                }
            }
        }
        Ok(tlv::encode(0x7F49, &v))
    }
}

impl CvcBody {
    /// The certificate body (7F4E) in the order of TR-03110-3 C.1: profile identifier 00, CAR,
    /// public key, CHR, CHAT, effective and expiration dates, extensions. Refuses references
    /// that are not 1-16 printable characters and dates outside 2000-2099.
    pub fn encode(&self) -> Result<Vec<u8>> {
        for (what, r) in [("CAR", &self.car), ("CHR", &self.chr)] {
            if !is_reference(r.as_bytes()) {
                return Err(Error::Usage(format!(
                    "{what} {r:?}: 1-16 printable ASCII characters"
                )));
            }
        }
        let oid = asn1::encode_oid(&self.chat.terminal_type);
        let chat = [oid, tlv::encode(0x53, &self.chat.template)].concat();
        let mut v = tlv::encode(0x5F29, &[0x00]);
        v.extend(tlv::encode(0x42, self.car.as_bytes()));
        v.extend(self.public_key.encode()?);
        v.extend(tlv::encode(0x5F20, self.chr.as_bytes()));
        v.extend(tlv::encode(0x7F4C, &chat));
        v.extend(encode_date(0x5F25, self.effective)?);
        v.extend(encode_date(0x5F24, self.expiration)?);
        if let Some(ext) = &self.extensions {
            v.extend(tlv::encode(0x65, ext));
        }
        Ok(tlv::encode(0x7F4E, &v))
    }
}
