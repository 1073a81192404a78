//! A test PKI for issuing stations and developers (ICAO Doc 9303-12 clause 7 roles): a
//! self-signed CSCA, a Document Signer it certifies, and the CSCA's CRL, written to and read from
//! a folder as `csca.pem`, `csca.key`, `ds.pem`, `ds.key`, `csca.crl`. TEST KEYS ONLY.

use super::certificates::{
    CertificateSpec, build_certificate, build_crl, encode_name, key_identifier,
};
use crate::crypto::pem;
use crate::crypto::signing_key::{KeyAlgorithm, SigningKey};
use crate::error::{Error, Result};
use crate::pki::cert::Certificate;
use crate::time::Time;
use std::path::{Path, PathBuf};

const YEAR: i64 = 365 * 86_400;

/// How to make a test PKI.
#[derive(Clone, Debug)]
pub struct PkiOptions {
    /// ISO 3166 alpha-2 country of CSCA and DSC (`UT` for the ICAO specimen state Utopia).
    pub country: String,
    /// Key type of both keys.
    pub algorithm: KeyAlgorithm,
    /// When the certificates start being valid.
    pub now: Time,
}

impl Default for PkiOptions {
    fn default() -> Self {
        PkiOptions {
            country: "UT".into(),
            algorithm: KeyAlgorithm::P256,
            now: Time::now(),
        }
    }
}

/// CSCA and Document Signer with their keys, and the CSCA's CRL.
#[derive(Debug)]
pub struct TestPki {
    /// The CSCA certificate.
    pub csca: Certificate,
    /// The CSCA key.
    pub csca_key: SigningKey,
    /// The Document Signer certificate.
    pub ds: Certificate,
    /// The Document Signer key.
    pub ds_key: SigningKey,
    /// The CSCA's CRL (DER).
    pub crl: Vec<u8>,
}

/// Validity of a Document Signer certificate to issue.
#[derive(Clone, Copy, Debug)]
pub struct DsValidity {
    /// Start.
    pub not_before: Time,
    /// End.
    pub not_after: Time,
}

impl TestPki {
    /// Generates a CSCA (valid 15 years) and a Document Signer (valid 11 years: 1 year of use
    /// plus a 10-year document), both from `opts.now`, and an empty CRL.
    pub fn generate(opts: &PkiOptions) -> Result<TestPki> {
        let csca_key = SigningKey::generate(opts.algorithm)?;
        let name = encode_name(&[
            ("C", &opts.country),
            ("O", "dactyl test PKI"),
            ("CN", "dactyl TEST CSCA"),
        ])?;
        let spec = CertificateSpec {
            subject: name.clone(),
            issuer: name,
            serial: vec![0x01],
            not_before: opts.now,
            not_after: Time {
                unix: opts.now.unix + 15 * YEAR,
            },
            spki: csca_key.public_spki()?,
            ca: true,
            authority_key_id: None,
            extra_extensions: Vec::new(),
        };
        let csca = Certificate::from_der(&build_certificate(&spec, &csca_key)?)?;
        let validity = DsValidity {
            not_before: opts.now,
            not_after: Time {
                unix: opts.now.unix + 11 * YEAR,
            },
        };
        let (ds, ds_key) = issue_ds_under(
            &csca,
            &csca_key,
            &opts.country,
            "dactyl TEST Document Signer",
            &[0x10, 0x01],
            validity,
            opts.algorithm,
        )?;
        let crl = crl_under(&csca, &csca_key, &[], opts.now)?;
        Ok(TestPki {
            csca,
            csca_key,
            ds,
            ds_key,
            crl,
        })
    }

    /// Issues another Document Signer certificate under this CSCA (tests use it for expired,
    /// revoked and foreign signers).
    pub fn issue_ds(
        &self,
        country: &str,
        common_name: &str,
        serial: &[u8],
        validity: DsValidity,
        algorithm: KeyAlgorithm,
    ) -> Result<(Certificate, SigningKey)> {
        issue_ds_under(
            &self.csca,
            &self.csca_key,
            country,
            common_name,
            serial,
            validity,
            algorithm,
        )
    }

    /// A CRL of this CSCA revoking `revoked` (serial, date), issued at `now`. Its next update is
    /// ten years on, so committed test fixtures stay usable (a real CSCA publishes every 90 days).
    pub fn crl_with(&self, revoked: &[(Vec<u8>, Time)], now: Time) -> Result<Vec<u8>> {
        crl_under(&self.csca, &self.csca_key, revoked, now)
    }

    /// The trust store that verifies what this PKI signs: its CSCA and its CRL.
    pub fn trust_store(&self) -> Result<crate::pki::trust::TrustStore> {
        let mut trust = crate::pki::trust::TrustStore::new();
        trust.add_csca(self.csca.clone());
        trust.add_crl(crate::pki::crl::Crl::from_der(&self.crl)?);
        Ok(trust)
    }

    /// Writes the PKI to `dir`; returns the files written.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let files: [(&str, Vec<u8>); 6] = [
            (
                "csca.pem",
                pem::encode("CERTIFICATE", &self.csca.raw)?.into_bytes(),
            ),
            (
                "csca.key",
                self.csca_key.to_pkcs8_pem()?.as_bytes().to_vec(),
            ),
            (
                "ds.pem",
                pem::encode("CERTIFICATE", &self.ds.raw)?.into_bytes(),
            ),
            ("ds.key", self.ds_key.to_pkcs8_pem()?.as_bytes().to_vec()),
            ("csca.crl", self.crl.clone()),
            ("README.txt", README.as_bytes().to_vec()),
        ];
        let mut written = Vec::new();
        for (name, content) in files {
            let path = dir.join(name);
            std::fs::write(&path, content)
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            written.push(path);
        }
        Ok(written)
    }

    /// Reads a PKI written by [`TestPki::write`].
    pub fn load(dir: &Path) -> Result<TestPki> {
        let read = |name: &str| {
            let p = dir.join(name);
            crate::fsio::read_bounded(&p, crate::fsio::MAX_LIST_FILE, "a certificate, key or CRL")
        };
        let cert = |name: &str| -> Result<Certificate> {
            Certificate::from_pem_or_der(&read(name)?)?
                .into_iter()
                .next()
                .ok_or_else(|| Error::Asn1(format!("{name}: no certificate")))
        };
        let key = |name: &str| -> Result<SigningKey> {
            SigningKey::from_pkcs8_pem(&String::from_utf8_lossy(&read(name)?))
        };
        Ok(TestPki {
            csca: cert("csca.pem")?,
            csca_key: key("csca.key")?,
            ds: cert("ds.pem")?,
            ds_key: key("ds.key")?,
            crl: read("csca.crl")?,
        })
    }
}

fn crl_under(
    csca: &Certificate,
    key: &SigningKey,
    revoked: &[(Vec<u8>, Time)],
    now: Time,
) -> Result<Vec<u8>> {
    build_crl(
        &csca.subject.raw,
        key,
        now,
        Time {
            unix: now.unix + 10 * YEAR,
        },
        revoked,
        1,
    )
}

fn issue_ds_under(
    csca: &Certificate,
    csca_key: &SigningKey,
    country: &str,
    common_name: &str,
    serial: &[u8],
    validity: DsValidity,
    algorithm: KeyAlgorithm,
) -> Result<(Certificate, SigningKey)> {
    let key = SigningKey::generate(algorithm)?;
    let spec = CertificateSpec {
        subject: encode_name(&[
            ("C", country),
            ("O", "dactyl test PKI"),
            ("CN", common_name),
        ])?,
        issuer: csca.subject.raw.clone(),
        serial: serial.to_vec(),
        not_before: validity.not_before,
        not_after: validity.not_after,
        spki: key.public_spki()?,
        ca: false,
        authority_key_id: Some(key_identifier(&csca.spki)?),
        extra_extensions: Vec::new(),
    };
    Ok((
        Certificate::from_der(&build_certificate(&spec, csca_key)?)?,
        key,
    ))
}

const README: &str = "dactyl test PKI: TEST KEYS, NOT FOR REAL DOCUMENTS.\n\
csca.pem  CSCA certificate (self-signed)      csca.key  its private key (PKCS#8 PEM)\n\
ds.pem    Document Signer certificate         ds.key    its private key (PKCS#8 PEM)\n\
csca.crl  the CSCA's CRL (DER)\n\
Sign an SOD:   dactyl sign-sod --pki DIR --dg 1=DG1.bin --dg 2=DG2.bin --out EF_SOD.bin\n\
Verify it:     dactyl verify --sod EF_SOD.bin --dg 1=DG1.bin --dg 2=DG2.bin --csca DIR\n";
