//! The next generation of a test CV PKI (BSI TR-03110-3 clause 2.4 "certificate scheduling"):
//! a new CVCA key, its self-signed certificate, the CVCA link certificate (the new key and
//! CHR, signed with the previous CVCA key, CAR = the previous CHR) by which chips that trust
//! the previous key take the new one as a trust point, and a new DV and inspection system under
//! the new key. CHRs keep their country and mnemonic; the 5-character sequence number
//! (TR-03110-3 appendix D.2) goes up by one. TEST KEYS ONLY.

use super::{TestCvPki, build};
use crate::access::cvc::{CvSigningKey, Cvc, CvcBody};
use crate::crypto::signing_key::KeyAlgorithm;
use crate::error::{Error, Result};
use crate::time::Date;

/// `chr` with its 5-character sequence number increased by one: the digits at its end count
/// up, a leading country code stays (TR-03110-3 appendix D.2: `DETESTDVDE019` ->
/// `DETESTDVDE020`).
pub fn next_reference(chr: &str) -> Result<String> {
    let bad = |why: &str| Error::Usage(format!("{chr:?}: {why}"));
    if !chr.is_ascii() || chr.len() < 5 {
        return Err(bad("no 5-character sequence number"));
    }
    let seq = &chr[chr.len() - 5..];
    let digits = seq.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(bad("the sequence number does not end in digits"));
    }
    let (head, tail) = chr.split_at(chr.len() - digits);
    let n: u32 = tail.parse().map_err(|_| bad("sequence number"))?;
    let next = format!("{:0width$}", n + 1, width = digits);
    if next.len() > digits {
        return Err(bad("the sequence number is exhausted"));
    }
    Ok(format!("{head}{next}"))
}

/// The next generation of `pki` from `today`, and the link certificate from its CVCA key to the
/// new one. Validity periods are those of [`TestCvPki::generate`].
pub fn next_generation(
    pki: &TestCvPki,
    algorithm: KeyAlgorithm,
    today: Date,
) -> Result<(TestCvPki, Cvc)> {
    let cvca_key = CvSigningKey::generate(algorithm)?;
    let dv_key = CvSigningKey::generate(algorithm)?;
    let is_key = CvSigningKey::generate(algorithm)?;
    let cvca_chr = next_reference(pki.cvca.chr())?;
    let dv_chr = next_reference(pki.dv.chr())?;
    let reissue = |old: &Cvc, car: &str, chr: &str, key: &CvSigningKey, with_domain, days| {
        Ok::<_, Error>(CvcBody {
            car: car.to_string(),
            public_key: key.public_key(with_domain)?,
            chr: chr.to_string(),
            chat: old.body().chat.clone(),
            effective: today,
            expiration: today.plus_days(days)?,
            extensions: None,
        })
    };
    let cvca_body = reissue(&pki.cvca, &cvca_chr, &cvca_chr, &cvca_key, true, 3 * 365)?;
    let cvca = Cvc::parse(&build(&cvca_body, &cvca_key)?)?;
    let mut link_body = cvca_body.clone();
    link_body.car = pki.cvca.chr().to_string();
    let link = Cvc::parse(&build(&link_body, &pki.cvca_key)?)?;
    let dv_body = reissue(&pki.dv, &cvca_chr, &dv_chr, &dv_key, false, 365)?;
    let is_chr = next_reference(pki.is.chr())?;
    let is_body = reissue(&pki.is, &dv_chr, &is_chr, &is_key, false, 365)?;
    let next = TestCvPki {
        cvca,
        dv: Cvc::parse(&build(&dv_body, &cvca_key)?)?,
        is: Cvc::parse(&build(&is_body, &dv_key)?)?,
        cvca_key,
        dv_key,
        is_key,
    };
    Ok((next, link))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_go_up_by_one() {
        assert_eq!(next_reference("UTCVCA00001").unwrap(), "UTCVCA00002");
        assert_eq!(next_reference("DETESTDVDE019").unwrap(), "DETESTDVDE020");
        assert!(next_reference("UTCVCA99999").is_err());
        assert_eq!(next_reference("UTCVCAXY009").unwrap(), "UTCVCAXY010");
        assert!(next_reference("UTCVCA0000Z").is_err());
        assert!(next_reference("1234").is_err());
    }

    #[test]
    fn the_link_certificate_carries_the_new_key_signed_by_the_old() {
        let today = Date::today();
        let old = TestCvPki::generate("UT", KeyAlgorithm::P256, today).unwrap();
        let (new, link) = next_generation(&old, KeyAlgorithm::P256, today).unwrap();
        assert_eq!(link.car(), "UTCVCA00001");
        assert_eq!(link.chr(), "UTCVCA00002");
        assert_eq!(link.body().public_key, new.cvca.body().public_key);
        link.verify_with(&old.cvca, old.cvca.domain()).unwrap();
        assert!(link.verify_with(&new.cvca, new.cvca.domain()).is_err());
        let report = crate::access::cvc::verify_chain(&old.cvca, &[link, new.dv, new.is], today);
        assert!(report.unwrap().read_dg3);
    }
}
