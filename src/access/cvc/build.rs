//! The issuer side of CV certificates (BSI TR-03110-3 clause C): signing keys with plain ECDSA
//! signatures, certificate building, and a test CV PKI (CVCA -> DV -> inspection system) on disk.

use super::*;

/// A key that signs CV certificates (and, as a terminal key, Terminal Authentication), with the
/// id-TA-* algorithm (TR-03110-3 A.7.3) its certificate names: by default the one its key type
/// suggests ([`CvSigningKey::generate`]), or any of the eleven the key type allows
/// ([`CvSigningKey::generate_for`], [`CvSigningKey::with_algorithm`]).
#[derive(Debug)]
pub struct CvSigningKey {
    key: SigningKey,
    algorithm: TaAlgorithm,
}

/// The TA algorithm a key type suggests: ECDSA with the curve's hash, RSA-PSS with SHA-256.
fn default_algorithm(key: &SigningKey) -> TaAlgorithm {
    match key.signature_algorithm() {
        SignatureAlgorithm::Ecdsa(h) => TaAlgorithm::Ecdsa(h),
        SignatureAlgorithm::RsaPkcs1(h) => TaAlgorithm::RsaPkcs1(h),
        SignatureAlgorithm::RsaPss { hash, .. } => TaAlgorithm::RsaPss(hash),
    }
}

/// The signature scheme of a TA algorithm (PSS: MGF1 with the same hash, salt as long as it).
fn signature_algorithm(algorithm: TaAlgorithm) -> SignatureAlgorithm {
    match algorithm {
        TaAlgorithm::Ecdsa(h) => SignatureAlgorithm::Ecdsa(h),
        TaAlgorithm::RsaPkcs1(h) => SignatureAlgorithm::RsaPkcs1(h),
        TaAlgorithm::RsaPss(hash) => SignatureAlgorithm::RsaPss {
            hash,
            mgf_hash: hash,
            salt_len: hash.output_len(),
        },
    }
}

impl CvSigningKey {
    /// A fresh key: P-256 and brainpoolP256r1 sign with SHA-256, P-384 and brainpoolP384r1 with
    /// SHA-384, P-521 with SHA-512, RSA (3072 bits) with PSS and SHA-256.
    pub fn generate(algorithm: KeyAlgorithm) -> Result<CvSigningKey> {
        SigningKey::generate(algorithm).map(CvSigningKey::from_signing_key)
    }

    /// A fresh key for `algorithm`, one of the eleven id-TA-* algorithms: RSA keys have 2048
    /// bits; ECDSA keys are on P-256 for SHA-1, SHA-224 and SHA-256, P-384 for SHA-384 and
    /// P-521 for SHA-512 (any curve signs with any hash: see [`CvSigningKey::generate_with`]).
    pub fn generate_for(algorithm: TaAlgorithm) -> Result<CvSigningKey> {
        let key = match algorithm {
            TaAlgorithm::RsaPkcs1(_) | TaAlgorithm::RsaPss(_) => SigningKey::generate_rsa(2048)?,
            TaAlgorithm::Ecdsa(HashAlgorithm::Sha384) => SigningKey::generate(KeyAlgorithm::P384)?,
            TaAlgorithm::Ecdsa(HashAlgorithm::Sha512) => SigningKey::generate(KeyAlgorithm::P521)?,
            TaAlgorithm::Ecdsa(_) => SigningKey::generate(KeyAlgorithm::P256)?,
        };
        CvSigningKey::from_signing_key(key).with_algorithm(algorithm)
    }

    /// A fresh key of type `key` for TA algorithm `algorithm` (as BSI TR-03105-5.1 does:
    /// ECDSA-SHA-384 and -SHA-512 with 256-bit keys). Fails when they do not fit (an RSA
    /// algorithm for an EC key or the reverse).
    pub fn generate_with(key: KeyAlgorithm, algorithm: TaAlgorithm) -> Result<CvSigningKey> {
        CvSigningKey::generate(key)?.with_algorithm(algorithm)
    }

    /// Wraps an existing key, with the TA algorithm its type suggests.
    pub fn from_signing_key(key: SigningKey) -> CvSigningKey {
        let algorithm = default_algorithm(&key);
        CvSigningKey { key, algorithm }
    }

    /// The same key for another TA algorithm; an ECDSA algorithm needs an EC key, an RSA one an
    /// RSA key.
    pub fn with_algorithm(self, algorithm: TaAlgorithm) -> Result<CvSigningKey> {
        self.check_fits(algorithm)?;
        Ok(CvSigningKey {
            key: self.key,
            algorithm,
        })
    }

    /// The same key for the algorithm `certificate` names for its holder's key (a key read
    /// from PKCS#8 knows its type, not the algorithm it is certified for).
    pub fn for_certificate(self, certificate: &Cvc) -> Result<CvSigningKey> {
        self.with_algorithm(certificate.body().public_key.algorithm)
    }

    fn check_fits(&self, algorithm: TaAlgorithm) -> Result<()> {
        let rsa_key = matches!(self.key, SigningKey::Rsa(_));
        if rsa_key == algorithm.is_ec() {
            return Err(Error::Usage(format!(
                "a {:?} key cannot sign with {algorithm:?}",
                self.key.algorithm()
            )));
        }
        Ok(())
    }

    /// The wrapped key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// Reads a PKCS#8 PEM key (with the TA algorithm its type suggests; see
    /// [`CvSigningKey::for_certificate`]).
    pub fn from_pkcs8_pem(pem: &str) -> Result<CvSigningKey> {
        SigningKey::from_pkcs8_pem(pem).map(CvSigningKey::from_signing_key)
    }

    /// PKCS#8 PEM.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        self.key.to_pkcs8_pem()
    }

    /// The TA algorithm its certificate names and its signatures use.
    pub fn algorithm(&self) -> TaAlgorithm {
        self.algorithm
    }

    /// The public key object for its certificate, with EC domain parameters if `with_domain`.
    pub fn public_key(&self, with_domain: bool) -> Result<CvPublicKey> {
        let key = match PublicKey::from_spki(&self.key.public_spki()?)? {
            PublicKey::Ec { curve, point } => {
                let domain = with_domain.then_some(curve);
                CvKey::Ec { domain, point }
            }
            PublicKey::Rsa { n, e } => CvKey::Rsa { n, e },
        };
        let algorithm = self.algorithm;
        Ok(CvPublicKey { algorithm, key })
    }

    /// Signs `message` with its TA algorithm; ECDSA signatures come in the plain format r || s.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.sign_as(self.algorithm, message)
    }

    /// Signs `message` with `algorithm` (which must fit the key), as a terminal does for the
    /// algorithm its certificate names; ECDSA signatures come in the plain format r || s
    /// (TR-03111 clause 5.2.1), each half as long as the curve's field elements.
    pub fn sign_as(&self, algorithm: TaAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        self.check_fits(algorithm)?;
        let sig = self
            .key
            .sign_with(&signature_algorithm(algorithm), message)?;
        let Some(curve) = self.key.curve() else {
            return Ok(sig);
        };
        let len = curve.field_len();
        let seq = asn1::parse_exact(&sig)?.expect(tag::SEQUENCE, "Ecdsa-Sig-Value")?;
        let mut r = seq.reader();
        let mut plain = |what| -> Result<Vec<u8>> {
            let x = BigUint::from_bytes_be(r.required(what)?.unsigned_bytes()?);
            Ok(int_to_bytes(&x, len))
        };
        Ok([plain("r")?, plain("s")?].concat())
    }
}

/// Encodes `body` and signs it with `signer` (the issuer's key; the holder's own for a
/// self-signed CVCA certificate).
pub fn build(body: &CvcBody, signer: &CvSigningKey) -> Result<Vec<u8>> {
    for (what, r) in [("CAR", &body.car), ("CHR", &body.chr)] {
        if !is_reference(r.as_bytes()) {
            return Err(Error::Usage(format!(
                "{what} {r:?}: 1-16 printable ASCII characters"
            )));
        }
    }
    let oid = asn1::encode_oid(&body.chat.terminal_type);
    let chat = [oid, tlv::encode(0x53, &body.chat.template)].concat();
    let mut v = tlv::encode(0x5F29, &[0x00]);
    v.extend(tlv::encode(0x42, body.car.as_bytes()));
    v.extend(body.public_key.encode()?);
    v.extend(tlv::encode(0x5F20, body.chr.as_bytes()));
    v.extend(tlv::encode(0x7F4C, &chat));
    v.extend(encode_date(0x5F25, body.effective)?);
    v.extend(encode_date(0x5F24, body.expiration)?);
    if let Some(ext) = &body.extensions {
        v.extend(tlv::encode(0x65, ext));
    }
    let signed = tlv::encode(0x7F4E, &v);
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
                Zeroizing::new(cert.raw.clone()),
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
mod tests {
    use super::*;
    use crate::crypto::signature::{self, verify_ecdsa_plain};

    /// Every id-TA-* algorithm signs a self-signed CVCA certificate that verifies, and a
    /// terminal's message that verifies under the certificate's key.
    #[test]
    fn the_eleven_ta_algorithms_sign_certificates_and_messages() {
        let rsa_pem = SigningKey::generate_rsa(2048)
            .unwrap()
            .to_pkcs8_pem()
            .unwrap();
        let today = Date::new(2030, 1, 1).unwrap();
        for (_, algorithm) in TA_ALGORITHMS {
            let key = if algorithm.is_ec() {
                CvSigningKey::generate_for(algorithm).unwrap()
            } else {
                CvSigningKey::from_pkcs8_pem(&rsa_pem)
                    .unwrap()
                    .with_algorithm(algorithm)
                    .unwrap()
            };
            assert_eq!(key.algorithm(), algorithm);
            let body = CvcBody {
                car: "UTCVCA00001".into(),
                public_key: key.public_key(true).unwrap(),
                chr: "UTCVCA00001".into(),
                chat: Chat::inspection_system(Role::Cvca, true, true),
                effective: today,
                expiration: today.plus_days(30).unwrap(),
                extensions: None,
            };
            let cvca = Cvc::parse(&build(&body, &key).unwrap()).unwrap();
            assert_eq!(cvca.body().public_key.algorithm, algorithm);
            cvca.verify_with(&cvca, cvca.domain())
                .unwrap_or_else(|e| panic!("{algorithm:?}: {e}"));
            let message = b"ID_PICC || r_PICC || Comp(PK_PCD)";
            let sig = key.sign(message).unwrap();
            let public = cvca.public_key(None).unwrap();
            let checked = match algorithm {
                TaAlgorithm::Ecdsa(h) => {
                    let curve = key.signing_key().curve().unwrap();
                    assert_eq!(sig.len(), 2 * curve.field_len(), "{algorithm:?}");
                    verify_ecdsa_plain(&public, h, message, &sig)
                }
                _ => signature::verify(&public, &signature_algorithm(algorithm), message, &sig),
            };
            checked.unwrap_or_else(|e| panic!("{algorithm:?}: {e}"));
        }
    }

    #[test]
    fn a_ta_algorithm_must_fit_the_key() {
        let ec = CvSigningKey::generate(KeyAlgorithm::P256).unwrap();
        assert_eq!(ec.algorithm(), TaAlgorithm::Ecdsa(HashAlgorithm::Sha256));
        let rsa = TaAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
        assert!(ec.sign_as(rsa, b"m").is_err());
        assert!(ec.with_algorithm(rsa).is_err());
        // The plan's 256-bit keys with SHA-512.
        let k = CvSigningKey::generate_with(
            KeyAlgorithm::Brainpool256,
            TaAlgorithm::Ecdsa(HashAlgorithm::Sha512),
        )
        .unwrap();
        assert_eq!(k.sign(b"m").unwrap().len(), 64);
        assert!(CvSigningKey::generate_with(KeyAlgorithm::P256, rsa).is_err());
    }
}
