//! Terminal Authentication (BSI TR-03110-1 clause 3.4 / -3 clause B.11; ICAO Doc 9303-11
//! Extended Access Control), both roles, in the form passports use after Chip Authentication:
//! the terminal sends its certificate chain (MSE:Set DST + PSO:Verify Certificate per link),
//! selects its key (MSE:Set AT), asks for a challenge (GET CHALLENGE) and proves its key with
//! EXTERNAL AUTHENTICATE: a signature over ID_PICC || r_PICC, where ID_PICC is the document number
//! with its check digit. The chip grants the chain's effective rights (read DG3, DG4).

use super::cvc::{ChainReport, CvSigningKey, Cvc, Role, TaAlgorithm};
use crate::apdu::{Command, Response, sw};
use crate::error::{Error, Result};
use crate::issuance::policy::Date;
use crate::lds::mrz::MrzKeyInfo;
use crate::pki::ec::Curve;
use crate::pki::keys::PublicKey;
use crate::tlv::{self, Tlv};

fn err(reason: impl Into<String>) -> Error {
    Error::protocol("TA", reason)
}

/// ID_PICC: the document number (at least 9 characters, `<`-filled) and its check digit.
pub fn id_picc(mrz: &MrzKeyInfo) -> Vec<u8> {
    let seed = mrz.key_seed_string(); // zeroized on drop
    // The seed is number || cd || birth date || cd || expiry || cd; the last 14 are the dates.
    seed.as_bytes()[..seed.len().saturating_sub(14)].to_vec()
}

/// The PSO:Verify Certificate data: the certificate's body and signature (7F21's content).
fn certificate_content(cert: &Cvc) -> Result<Vec<u8>> {
    Ok(Tlv::parse_tagged(cert.raw(), 0x7F21)?.value.to_vec())
}

/// Terminal side: presents `chain` (DV, then IS; link CVCA certificates first if needed) and
/// proves the IS key. `transmit` applies the current secure messaging.
pub fn terminal_authentication(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    chain: &[Cvc],
    is_key: &CvSigningKey,
    id_picc: &[u8],
) -> Result<()> {
    let holder = chain.last().ok_or_else(|| err("empty certificate chain"))?;
    let expect_ok = |resp: Response, step: &str| -> Result<Response> {
        if resp.sw == sw::OK {
            Ok(resp)
        } else {
            Err(Error::status(format!("TA: {step}"), resp.sw))
        }
    };
    for cert in chain {
        let dst = Command::new(0x00, 0x22, 0x81, 0xB6)
            .with_data(tlv::encode(0x83, cert.car().as_bytes()));
        expect_ok(transmit(&dst)?, &format!("MSE:Set DST {}", cert.car()))?;
        let pso = Command::new(0x00, 0x2A, 0x00, 0xBE).with_data(certificate_content(cert)?);
        expect_ok(
            transmit(&pso)?,
            &format!("PSO:Verify Certificate {}", cert.chr()),
        )?;
    }
    let at =
        Command::new(0x00, 0x22, 0x81, 0xA4).with_data(tlv::encode(0x83, holder.chr().as_bytes()));
    expect_ok(transmit(&at)?, "MSE:Set AT")?;
    let challenge = expect_ok(
        transmit(&Command::new(0x00, 0x84, 0x00, 0x00).with_le(8))?,
        "GET CHALLENGE",
    )?;
    if challenge.data.len() != 8 {
        return Err(err(format!("challenge of {} bytes", challenge.data.len())));
    }
    let signature = is_key.sign(&[id_picc, &challenge.data].concat())?;
    let ext = Command::new(0x00, 0x82, 0x00, 0x00).with_data(signature);
    expect_ok(transmit(&ext)?, "EXTERNAL AUTHENTICATE")?;
    Ok(())
}

/// A key the chip has verified and may verify the next certificate with.
#[derive(Clone, Debug)]
struct Verified {
    chr: String,
    key: PublicKey,
    cert: Cvc,
}

/// What a successful Terminal Authentication granted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct AccessRights {
    /// Read DG3 (fingerprints).
    pub dg3: bool,
    /// Read DG4 (iris).
    pub dg4: bool,
}

/// Chip side: the trusted CVCA, the chip's current date, and the state of one TA run.
#[derive(Clone, Debug)]
pub struct TaChip {
    cvca: Cvc,
    domain: Option<Curve>,
    /// The chip's notion of today (TR-03110-3 A.4: raised by accepted domestic certificates).
    pub current_date: Date,
    selected: Option<Verified>,
    verified: Vec<Verified>,
    terminal: Option<Verified>,
    challenge: Option<[u8; 8]>,
}

impl TaChip {
    /// A chip trusting `cvca`, believing today is `current_date`.
    pub fn new(cvca: Cvc, current_date: Date) -> Result<TaChip> {
        let domain = cvca.domain();
        let key = cvca.public_key(domain)?;
        let anchor = Verified {
            chr: cvca.chr().to_string(),
            key,
            cert: cvca.clone(),
        };
        Ok(TaChip {
            cvca,
            domain,
            current_date,
            selected: None,
            verified: vec![anchor],
            terminal: None,
            challenge: None,
        })
    }

    /// Forgets a half-finished run (reset, new session).
    pub fn reset(&mut self) {
        self.verified.truncate(1);
        self.selected = None;
        self.terminal = None;
        self.challenge = None;
    }

    /// Remembers the challenge the chip handed out (GET CHALLENGE).
    pub fn set_challenge(&mut self, challenge: [u8; 8]) {
        self.challenge = Some(challenge);
    }

    /// MSE:Set DST (81B6): selects the key named by CAR (83).
    pub fn set_dst(&mut self, data: &[u8]) -> Result<(), u16> {
        let car = reference(data)?;
        self.selected = self.verified.iter().rev().find(|v| v.chr == car).cloned();
        self.selected.as_ref().map(|_| ()).ok_or(sw::REF_NOT_FOUND)
    }

    /// PSO:Verify Certificate: checks the certificate with the selected key and the current
    /// date, then keeps its key for the next link.
    pub fn verify_certificate(&mut self, data: &[u8]) -> Result<(), u16> {
        let issuer = self.selected.take().ok_or(sw::CONDITIONS)?;
        let cert = Cvc::parse(&tlv::encode(0x7F21, data)).map_err(|_| sw::WRONG_DATA)?;
        if cert.car() != issuer.chr {
            return Err(sw::REF_NOT_FOUND);
        }
        cert.verify_with(&issuer.cert, self.domain)
            .map_err(|_| sw::SECURITY_STATUS)?;
        if cert.body().expiration < self.current_date {
            return Err(sw::SECURITY_STATUS);
        }
        // Domestic (CVCA, DV domestic) certificates advance the chip's date.
        if matches!(cert.role(), Role::Cvca | Role::DvDomestic)
            && cert.body().effective > self.current_date
        {
            self.current_date = cert.body().effective;
        }
        let key = cert.public_key(self.domain).map_err(|_| sw::WRONG_DATA)?;
        self.verified.push(Verified {
            chr: cert.chr().to_string(),
            key,
            cert,
        });
        Ok(())
    }

    /// MSE:Set AT (81A4): selects the terminal's key by CHR (83); it must be the last link.
    pub fn set_at(&mut self, data: &[u8]) -> Result<(), u16> {
        let chr = reference(data)?;
        let last = self
            .verified
            .last()
            .filter(|v| v.chr == chr && v.cert.role() == Role::Terminal);
        self.terminal = Some(last.cloned().ok_or(sw::REF_NOT_FOUND)?);
        Ok(())
    }

    /// EXTERNAL AUTHENTICATE: checks the signature over ID_PICC || r_PICC and returns the
    /// rights the chain grants. The challenge is used up either way.
    pub fn external_authenticate(
        &mut self,
        signature: &[u8],
        id_picc: &[u8],
    ) -> Result<AccessRights, u16> {
        let challenge = self.challenge.take().ok_or(sw::CONDITIONS)?;
        let terminal = self.terminal.take().ok_or(sw::CONDITIONS)?;
        let message = [id_picc, &challenge].concat();
        verify_terminal_signature(&terminal, &message, signature)
            .map_err(|_| sw::SECURITY_STATUS)?;
        let report = self.chain_report().map_err(|_| sw::SECURITY_STATUS)?;
        self.reset();
        Ok(AccessRights {
            dg3: report.read_dg3,
            dg4: report.read_dg4,
        })
    }

    fn chain_report(&self) -> Result<ChainReport> {
        let chain: Vec<Cvc> = self
            .verified
            .iter()
            .skip(1)
            .map(|v| v.cert.clone())
            .collect();
        super::cvc::verify_chain(&self.cvca, &chain, self.current_date)
    }
}

/// Checks a signature made with the terminal's key, under its certificate's algorithm.
fn verify_terminal_signature(terminal: &Verified, message: &[u8], signature: &[u8]) -> Result<()> {
    use crate::pki::signature::{SignatureAlgorithm, verify, verify_ecdsa_plain};
    match terminal.cert.body().public_key.algorithm {
        TaAlgorithm::Ecdsa(h) => verify_ecdsa_plain(&terminal.key, h, message, signature),
        TaAlgorithm::RsaPkcs1(h) => verify(
            &terminal.key,
            &SignatureAlgorithm::RsaPkcs1(h),
            message,
            signature,
        ),
        TaAlgorithm::RsaPss(h) => {
            let alg = SignatureAlgorithm::RsaPss {
                hash: h,
                mgf_hash: h,
                salt_len: h.output_len(),
            };
            verify(&terminal.key, &alg, message, signature)
        }
    }
}

fn reference(data: &[u8]) -> Result<String, u16> {
    let t = Tlv::parse_tagged(data, 0x83).map_err(|_| sw::WRONG_DATA)?;
    String::from_utf8(t.value.to_vec()).map_err(|_| sw::WRONG_DATA)
}
