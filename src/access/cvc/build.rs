//! The issuer side of CV certificates (BSI TR-03110-3 clause C): signing keys with plain ECDSA
//! signatures, certificate building, and a test CV PKI (CVCA -> DV -> inspection system) on disk.

use super::*;

/// A key that signs CV certificates (and, as a terminal key, Terminal Authentication).
#[derive(Debug)]
pub struct CvSigningKey(SigningKey);

impl CvSigningKey {
    /// A fresh key: P-256 and brainpoolP256r1 sign with SHA-256, P-384 and brainpoolP384r1 with
    /// SHA-384, RSA with PSS and SHA-256.
    pub fn generate(algorithm: KeyAlgorithm) -> Result<CvSigningKey> {
        SigningKey::generate(algorithm).map(CvSigningKey)
    }

    /// Wraps an existing key.
    pub fn from_signing_key(key: SigningKey) -> CvSigningKey {
        CvSigningKey(key)
    }

    /// The wrapped key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.0
    }

    /// Reads a PKCS#8 PEM key.
    pub fn from_pkcs8_pem(pem: &str) -> Result<CvSigningKey> {
        SigningKey::from_pkcs8_pem(pem).map(CvSigningKey)
    }

    /// PKCS#8 PEM.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        self.0.to_pkcs8_pem()
    }

    /// The TA algorithm its certificate names.
    pub fn algorithm(&self) -> TaAlgorithm {
        match self.0.signature_algorithm() {
            SignatureAlgorithm::Ecdsa(h) => TaAlgorithm::Ecdsa(h),
            SignatureAlgorithm::RsaPkcs1(h) => TaAlgorithm::RsaPkcs1(h),
            SignatureAlgorithm::RsaPss { hash, .. } => TaAlgorithm::RsaPss(hash),
        }
    }

    /// The public key object for its certificate, with EC domain parameters if `with_domain`.
    pub fn public_key(&self, with_domain: bool) -> Result<CvPublicKey> {
        let key = match PublicKey::from_spki(&self.0.public_spki()?)? {
            PublicKey::Ec { curve, point } => {
                let domain = with_domain.then_some(curve);
                CvKey::Ec { domain, point }
            }
            PublicKey::Rsa { n, e } => CvKey::Rsa { n, e },
        };
        let algorithm = self.algorithm();
        Ok(CvPublicKey { algorithm, key })
    }

    /// Signs `message`; ECDSA signatures come in the plain format r || s.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig = self.0.sign(message)?;
        let len = match self.0.algorithm() {
            KeyAlgorithm::P256 | KeyAlgorithm::Brainpool256 => 32,
            KeyAlgorithm::P384 | KeyAlgorithm::Brainpool384 => 48,
            KeyAlgorithm::RsaPss => return Ok(sig),
        };
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
        let cvca_key = CvSigningKey::generate(algorithm)?;
        let dv_key = CvSigningKey::generate(algorithm)?;
        let is_key = CvSigningKey::generate(algorithm)?;
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
            let key = CvSigningKey::from_pkcs8_pem(&String::from_utf8_lossy(&pem))?;
            Ok((Cvc::parse(&read(format!("{stem}.cvcert"))?)?, key))
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
