//! The issuer side of CV certificates (BSI TR-03110-3 clause 2 and appendix C): building and
//! signing certificates ([`build`]), a test CV PKI (CVCA -> DV -> inspection system) on disk,
//! and its next generation with a link certificate ([`rollover`]). Parsing, verification and
//! chain checks stay in [`crate::access::cvc`]. TEST KEYS ONLY in [`TestCvPki`].

use crate::access::cvc::TaAlgorithm;
use crate::access::cvc::{Chat, CvSigningKey, Cvc, CvcBody, Role};
use crate::crypto::signing_key::KeyAlgorithm;
use crate::error::{Error, Result};
use crate::time::Date;
use crate::tlv;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

pub mod rollover;

/// Encodes `body` and signs it with `signer` (the issuer's key; the holder's own for a
/// self-signed CVCA certificate): 7F21 { 7F4E body, 5F37 signature }.
pub fn build(body: &CvcBody, signer: &CvSigningKey) -> Result<Vec<u8>> {
    let signed = body.encode()?;
    let sig = tlv::encode(0x5F37, &signer.sign(&signed)?);
    Ok(tlv::encode(0x7F21, &[signed, sig].concat()))
}

/// A three-level CV PKI for tests and developers: CVCA, a domestic DV, an inspection system,
/// all with read access to DG3 and DG4. TEST KEYS ONLY.
#[derive(Debug)]
pub struct TestCvPki {
    /// The self-signed CVCA certificate (with domain parameters).
    pub cvca: Cvc,
    /// Its key.
    pub cvca_key: CvSigningKey,
    /// The DV certificate.
    pub dv: Cvc,
    /// Its key.
    pub dv_key: CvSigningKey,
    /// The inspection system certificate.
    pub is: Cvc,
    /// Its key (the Terminal Authentication key).
    pub is_key: CvSigningKey,
}

impl TestCvPki {
    /// Generates the PKI for `country` (two capital letters) from `today`: CVCA valid 3 years,
    /// DV and IS 1 year. CHRs are `{country}CVCA00001`, `{country}DV00001`, `{country}IS00001`.
    pub fn generate(country: &str, algorithm: KeyAlgorithm, today: Date) -> Result<TestCvPki> {
        Self::generate_keys(country, today, &|| CvSigningKey::generate(algorithm))
    }

    /// The same PKI with every key for the TA algorithm `algorithm`
    /// ([`CvSigningKey::generate_for`]): the certificates name it, the signatures use it.
    pub fn generate_for(country: &str, algorithm: TaAlgorithm, today: Date) -> Result<TestCvPki> {
        Self::generate_keys(country, today, &|| CvSigningKey::generate_for(algorithm))
    }

    fn generate_keys(
        country: &str,
        today: Date,
        new_key: &dyn Fn() -> Result<CvSigningKey>,
    ) -> Result<TestCvPki> {
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::Usage(format!(
                "country {country:?} is not two capital letters"
            )));
        }
        let chr = |m: &str| format!("{country}{m}00001");
        let issue = |issuer: &str, holder: &CvSigningKey, role, days, signer| {
            let body = CvcBody {
                car: chr(issuer),
                public_key: holder.public_key(role == Role::Cvca)?,
                chr: chr(match role {
                    Role::Cvca => "CVCA",
                    Role::Terminal => "IS",
                    _ => "DV",
                }),
                chat: Chat::inspection_system(role, true, true),
                effective: today,
                expiration: today.plus_days(days)?,
                extensions: None,
            };
            Cvc::parse(&build(&body, signer)?)
        };
        let (cvca_key, dv_key, is_key) = (new_key()?, new_key()?, new_key()?);
        Ok(TestCvPki {
            cvca: issue("CVCA", &cvca_key, Role::Cvca, 3 * 365, &cvca_key)?,
            dv: issue("CVCA", &dv_key, Role::DvDomestic, 365, &cvca_key)?,
            is: issue("DV", &is_key, Role::Terminal, 365, &dv_key)?,
            cvca_key,
            dv_key,
            is_key,
        })
    }

    fn parts(&self) -> [(&str, &Cvc, &CvSigningKey); 3] {
        [
            ("cvca", &self.cvca, &self.cvca_key),
            ("dv", &self.dv, &self.dv_key),
            ("is", &self.is, &self.is_key),
        ]
    }

    /// Writes `cvca.cvcert`, `dv.cvcert`, `is.cvcert` (DER) and `cvca.key`, `dv.key`, `is.key`
    /// (PKCS#8 PEM) into `dir`, creating it; refuses to overwrite an existing CV PKI.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let io = |what: &str, p: &Path, e| Error::io(format!("{what} {}", p.display()), e);
        std::fs::create_dir_all(dir).map_err(|e| io("creating", dir, e))?;
        let mut files = Vec::new();
        for (stem, cert, key) in self.parts() {
            files.push((
                dir.join(format!("{stem}.cvcert")),
                Zeroizing::new(cert.raw().to_vec()),
            ));
            let pem = key.to_pkcs8_pem()?.as_bytes().to_vec();
            files.push((dir.join(format!("{stem}.key")), Zeroizing::new(pem)));
        }
        if let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
            return Err(Error::Usage(format!(
                "{}: exists, not overwritten",
                p.display()
            )));
        }
        for (path, content) in &files {
            std::fs::write(path, &content[..]).map_err(|e| io("writing", path, e))?;
        }
        Ok(files.into_iter().map(|f| f.0).collect())
    }

    /// Reads a PKI written by [`TestCvPki::write`].
    pub fn load(dir: &Path) -> Result<TestCvPki> {
        let read = |name: String| {
            let p = dir.join(name);
            crate::fsio::read_bounded(&p, crate::fsio::MAX_LDS_FILE, "a CV certificate or key")
        };
        let pair = |stem: &str| -> Result<(Cvc, CvSigningKey)> {
            let pem = Zeroizing::new(read(format!("{stem}.key"))?);
            let cert = Cvc::parse(&read(format!("{stem}.cvcert"))?)?;
            let key = CvSigningKey::from_pkcs8_pem(&String::from_utf8_lossy(&pem))?
                .for_certificate(&cert)?;
            Ok((cert, key))
        };
        let ((cvca, cvca_key), (dv, dv_key), (is, is_key)) =
            (pair("cvca")?, pair("dv")?, pair("is")?);
        Ok(TestCvPki {
            cvca,
            cvca_key,
            dv,
            dv_key,
            is,
            is_key,
        })
    }
}

/// Generates a [`TestCvPki`] valid from today and writes it into `dir` (for `dactyl cvc init`).
pub fn init_test_cv_pki(dir: &Path, country: &str, algorithm: KeyAlgorithm) -> Result<TestCvPki> {
    let pki = TestCvPki::generate(country, algorithm, Date::today())?;
    pki.write(dir)?;
    Ok(pki)
}

#[cfg(test)]
mod tests;
