//! The border reader's trust store (ICAO Doc 9303-12 clauses 5-8): CSCA certificates (self-signed
//! and link certificates) from files, folders and ICAO master lists (CMS SignedData with
//! eContentType id-icao-cscaMasterList, its signer checked against a given root), CRLs, and a
//! cache of verified certificate signatures so a chain costs one check per process.

use super::cert::Certificate;
use super::cms::{SignedData, check_signer};
use super::crl::Crl;
use crate::asn1::{self, tag};
use crate::crypto::keys::PublicKey;
use crate::crypto::signature::{SignatureAlgorithm, verify};
use crate::error::{Error, Result};
use crate::time::Time;
use der::asn1::ObjectIdentifier;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

/// id-icao-cscaMasterList.
pub const ID_CSCA_MASTER_LIST: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.2");

/// Verifies that `cert` is signed by `issuer`'s key.
pub fn verify_certificate(cert: &Certificate, issuer: &Certificate) -> Result<()> {
    let key = PublicKey::from_spki(&issuer.spki)?;
    let alg = SignatureAlgorithm::from_algorithm_identifier(
        &cert.signature_algorithm.oid,
        cert.signature_algorithm.parameters.as_deref(),
    )?;
    verify(&key, &alg, &cert.tbs, &cert.signature)
}

/// What loading a master list found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MasterListReport {
    /// Subject of the master list signer certificate.
    pub signer: String,
    /// Certificates in the list.
    pub certificates: usize,
    /// Certificates that did not parse (skipped).
    pub unparsable: usize,
}

/// CSCAs, CRLs and the verification cache.
#[derive(Debug, Default)]
pub struct TrustStore {
    cscas: Vec<Certificate>,
    fingerprints: HashSet<[u8; 32]>,
    crls: Vec<Crl>,
    verified: Mutex<HashSet<([u8; 32], [u8; 32])>>,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        TrustStore::default()
    }

    /// The CSCA certificates.
    pub fn cscas(&self) -> &[Certificate] {
        &self.cscas
    }

    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// Adds a CSCA (or link) certificate; duplicates are ignored.
    pub fn add_csca(&mut self, cert: Certificate) {
        if self.fingerprints.insert(cert.fingerprint()) {
            self.cscas.push(cert);
        }
    }

    /// Adds a CRL.
    pub fn add_crl(&mut self, crl: Crl) {
        self.crls.push(crl);
    }

    /// Loads a file or every file of a folder: CA certificates (`.cer`, `.crt`, `.der`, `.pem`;
    /// others, such as Document Signer certificates, are passed over) as CSCAs and `.crl` files
    /// as CRLs. Returns how many objects were added.
    pub fn load_path(&mut self, path: &Path) -> Result<usize> {
        if path.is_dir() {
            let entries = crate::fsio::list_folder(path, crate::fsio::MAX_FOLDER_FILES)?;
            let mut n = 0;
            for p in entries {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(ext.as_str(), "cer" | "crt" | "der" | "pem" | "crl") {
                    n += self.load_path(&p)?;
                }
            }
            return Ok(n);
        }
        let bytes = crate::fsio::read_bounded(
            path,
            crate::fsio::MAX_LIST_FILE,
            "a certificate file or CRL",
        )?;
        let named = |e: Error| Error::Asn1(format!("{}: {e}", path.display()));
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("crl"))
        {
            self.add_crl(Crl::from_der(&bytes).map_err(named)?);
            return Ok(1);
        }
        let certs = Certificate::from_pem_or_der(&bytes).map_err(named)?;
        // Only CA certificates are trust anchors: a Document Signer certificate lying in the
        // same folder (as `dactyl pki init` writes them) is not one.
        let cas: Vec<Certificate> = certs.into_iter().filter(Certificate::is_ca).collect();
        let n = cas.len();
        cas.into_iter().for_each(|c| self.add_csca(c));
        Ok(n)
    }

    /// Loads an ICAO master list: its signature must verify under the embedded signer
    /// certificate, which must be signed by one of `roots`; then every CSCA in it is trusted.
    pub fn load_master_list(
        &mut self,
        bytes: &[u8],
        roots: &[Certificate],
    ) -> Result<MasterListReport> {
        let sd = SignedData::parse(bytes)?;
        if sd.content_type != ID_CSCA_MASTER_LIST {
            return Err(Error::Asn1(format!(
                "master list: eContentType {} is not cscaMasterList",
                sd.content_type
            )));
        }
        let si = sd
            .signer_infos
            .first()
            .ok_or_else(|| Error::Asn1("master list has no signer".into()))?;
        let signer = sd.signer_certificate(si).ok_or_else(|| {
            Error::Asn1("master list signer certificate is not in the list".into())
        })?;
        let anchored = roots.iter().any(|root| {
            signer.issuer.matches(&root.subject) && verify_certificate(signer, root).is_ok()
        });
        if !anchored {
            return Err(Error::protocol(
                "master list",
                format!("signer {} is not signed by the given root", signer.subject),
            ));
        }
        let check = check_signer(&sd, si, &PublicKey::from_spki(&signer.spki)?);
        if !check.ok() {
            return Err(Error::protocol(
                "master list",
                format!("signature check failed: {check:?}"),
            ));
        }
        let list = asn1::parse_exact(&sd.content)?.expect(tag::SEQUENCE, "CscaMasterList")?;
        let mut r = list.reader();
        r.required("version")?;
        let set = r.required("certList")?.expect(tag::SET, "certList")?;
        let mut report = MasterListReport {
            signer: signer.subject.to_string(),
            certificates: 0,
            unparsable: 0,
        };
        for c in set.children()? {
            match Certificate::from_der(c.raw) {
                Ok(cert) => {
                    report.certificates += 1;
                    self.add_csca(cert);
                }
                Err(_) => report.unparsable += 1,
            }
        }
        Ok(report)
    }

    /// The CSCAs that could have issued `cert` (name match, and key identifiers where both
    /// sides have them).
    pub fn candidate_issuers<'a>(
        &'a self,
        cert: &'a Certificate,
    ) -> impl Iterator<Item = &'a Certificate> + 'a {
        self.cscas.iter().filter(move |ca| {
            ca.subject.matches_any_order(&cert.issuer)
                && match (
                    &cert.extensions.authority_key_id,
                    &ca.extensions.subject_key_id,
                ) {
                    (Some(aki), Some(ski)) => aki == ski,
                    _ => true,
                }
        })
    }

    /// Runs `verify` unless the pair (signed object, CSCA) verified before; remembers successes.
    fn verified_by(
        &self,
        signed: [u8; 32],
        ca: &Certificate,
        verify: impl FnOnce() -> bool,
    ) -> bool {
        let pair = (signed, ca.fingerprint());
        if self
            .verified
            .lock()
            .map(|v| v.contains(&pair))
            .unwrap_or(false)
        {
            return true;
        }
        let ok = verify();
        if ok && let Ok(mut v) = self.verified.lock() {
            v.insert(pair);
        }
        ok
    }

    /// Finds the CSCA whose key verifies `cert`'s signature; verified pairs are cached.
    pub fn find_issuer<'a>(&'a self, cert: &'a Certificate) -> Option<&'a Certificate> {
        let fp = cert.fingerprint();
        self.candidate_issuers(cert)
            .find(|ca| self.verified_by(fp, ca, || verify_certificate(cert, ca).is_ok()))
    }

    /// The CRLs issued by `ca` whose signature verifies under its key (cached) and that are
    /// current at `now` (a CRL past its nextUpdate no longer vouches for anything).
    pub fn crls_of<'a>(
        &'a self,
        ca: &'a Certificate,
        now: Time,
    ) -> impl Iterator<Item = &'a Crl> + 'a {
        self.crls.iter().filter(move |crl| {
            crl.issuer.matches(&ca.subject)
                && crl.this_update <= now
                && crl.next_update.is_none_or(|next| now <= next)
                && self.verified_by(crl_fingerprint(crl), ca, || verify_crl(crl, ca).is_ok())
        })
    }
}

fn crl_fingerprint(crl: &Crl) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(&crl.raw).into()
}

/// Verifies that `crl` is signed by `ca`'s key.
pub fn verify_crl(crl: &Crl, ca: &Certificate) -> Result<()> {
    let key = PublicKey::from_spki(&ca.spki)?;
    let alg = SignatureAlgorithm::from_algorithm_identifier(
        &crl.signature_algorithm.oid,
        crl.signature_algorithm.parameters.as_deref(),
    )?;
    verify(&key, &alg, &crl.tbs, &crl.signature)
}
