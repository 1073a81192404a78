//! Chip side of Terminal Authentication version 1 (BSI TR-03110-1 v2.2 clause 3.5; TR-03110-3
//! clause 2.5 certificate validation, 2.6 trust points, 2.7 effective authorization, A.7.2.4
//! EF.CVCA, B.11 commands): the chip's trust points (at most two CVCA keys, the most recent
//! first) and current date, which link certificates and domestic certificates update and which
//! outlive a session, and the state of one run: the keys verified so far, the selected
//! terminal key and the challenge.

use super::binding::TaBinding;
use crate::access::cvc::{Cvc, Role, TaAlgorithm};
use crate::crypto::ec::Curve;
use crate::crypto::keys::PublicKey;
use crate::error::{Error, Result};
use crate::iso7816::mse::Mse;
use crate::iso7816::refusal::{ChipError, ChipResult};
use crate::time::Date;
use crate::tlv;

/// A key the chip has verified and may verify the next certificate with.
#[derive(Clone, Debug)]
struct Verified {
    key: PublicKey,
    cert: Cvc,
    /// The EC domain the chain's keys without parameters inherit.
    domain: Option<Curve>,
    /// The trust point at the root of the path that verified this key (its CHAT counts in the
    /// effective authorization). Kept whole: a link certificate may reorder the trust points.
    root: Cvc,
}

impl Verified {
    fn chr(&self) -> &str {
        self.cert.chr()
    }
}

/// What a successful Terminal Authentication granted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct AccessRights {
    /// Read DG3 (fingerprints).
    pub dg3: bool,
    /// Read DG4 (iris).
    pub dg4: bool,
}

/// Chip side: trust points and current date (persistent), and the state of one TA run.
#[derive(Clone, Debug)]
pub struct TaChip {
    /// Enabled trust points, the most recent effective date first (at most two).
    trust_points: Vec<Cvc>,
    /// The chip's notion of today (TR-03110-3 clause 2.5: raised by accepted certificates).
    pub current_date: Date,
    selected: Option<Verified>,
    verified: Vec<Verified>,
    terminal: Option<Verified>,
    challenge: Option<[u8; 8]>,
}

impl TaChip {
    /// A chip trusting `cvca`, believing today is `current_date`.
    pub fn new(cvca: Cvc, current_date: Date) -> Result<TaChip> {
        TaChip::with_trust_points(vec![cvca], current_date)
    }

    /// A chip with one or two trust points (CVCA certificates, self-signed or link), as the
    /// personalization agent stores them (TR-03110-3 clause 2.6).
    pub fn with_trust_points(mut trust_points: Vec<Cvc>, current_date: Date) -> Result<TaChip> {
        if trust_points.is_empty() || trust_points.len() > 2 {
            return Err(Error::protocol(
                "TA",
                format!("{} trust points: a chip has one or two", trust_points.len()),
            ));
        }
        for tp in &trust_points {
            if tp.role() != Role::Cvca {
                return Err(Error::protocol(
                    "TA",
                    format!("trust point {} is not a CVCA certificate", tp.chr()),
                ));
            }
            tp.public_key(trust_points[0].domain().or(tp.domain()))?;
        }
        trust_points.sort_by_key(|tp| std::cmp::Reverse(tp.body().effective));
        Ok(TaChip {
            trust_points,
            current_date,
            selected: None,
            verified: Vec::new(),
            terminal: None,
            challenge: None,
        })
    }

    /// The enabled trust points, the most recent first.
    pub fn trust_points(&self) -> &[Cvc] {
        &self.trust_points
    }

    /// EF.CVCA's content: the CARs of the trust points, the most recent first.
    pub fn ef_cvca(&self) -> Vec<u8> {
        let cars: Vec<&str> = self.trust_points.iter().map(|tp| tp.chr()).collect();
        super::ef_cvca::encode(&cars)
    }

    /// Forgets a half-finished run (reset, new session); trust points and date stay.
    pub fn reset(&mut self) {
        self.verified.clear();
        self.selected = None;
        self.terminal = None;
        self.challenge = None;
    }

    /// Remembers the challenge the chip handed out (GET CHALLENGE).
    pub fn set_challenge(&mut self, challenge: [u8; 8]) {
        self.challenge = Some(challenge);
    }

    fn trust_point(&self, index: usize) -> ChipResult<Verified> {
        let cert = self
            .trust_points
            .get(index)
            .ok_or(ChipError::reference_not_found("TA: no such trust point"))?;
        let domain = cert.domain();
        Ok(Verified {
            key: cert
                .public_key(domain)
                .map_err(|_| ChipError::wrong_data("TA: trust point key"))?,
            cert: cert.clone(),
            domain,
            root: cert.clone(),
        })
    }

    /// MSE:Set DST (81B6): selects the key named by CAR (83): a key verified in this run, else
    /// a trust point.
    pub fn set_dst(&mut self, data: &[u8]) -> ChipResult<()> {
        let car = Mse::reference(data)?;
        self.selected = None;
        if let Some(v) = self.verified.iter().rev().find(|v| v.chr() == car) {
            self.selected = Some(v.clone());
            return Ok(());
        }
        let index = self
            .trust_points
            .iter()
            .position(|tp| tp.chr() == car)
            .ok_or(ChipError::reference_not_found(
                "TA: MSE:Set DST names an unknown key",
            ))?;
        self.selected = Some(self.trust_point(index)?);
        Ok(())
    }

    /// PSO:Verify Certificate: checks the certificate with the selected key and the current
    /// date (TR-03110-3 clause 2.5), then imports its key; a CVCA link certificate becomes a
    /// trust point. Returns true when the trust points changed (EF.CVCA must follow).
    pub fn verify_certificate(&mut self, data: &[u8]) -> ChipResult<bool> {
        let issuer = self
            .selected
            .take()
            .ok_or(ChipError::conditions("TA: no key selected (MSE:Set DST)"))?;
        let cert = Cvc::parse(&tlv::encode(0x7F21, data))
            .map_err(|_| ChipError::wrong_data("TA: not a CV certificate"))?;
        if cert.car() != issuer.chr() {
            return Err(ChipError::reference_not_found(
                "TA: CAR is not the selected key",
            ));
        }
        let allowed = match issuer.cert.role() {
            Role::Cvca => cert.role() != Role::Terminal,
            Role::DvDomestic | Role::DvForeign => cert.role() == Role::Terminal,
            Role::Terminal => false,
        };
        if !allowed {
            return Err(ChipError::security_status(
                "TA: issuer may not certify this role",
            ));
        }
        // A validity period that ends before it begins, or a CHAT for another terminal type
        // than the chain's (TR-03110-3 clause 2.7), makes no certificate the chip accepts.
        let body = cert.body();
        if body.expiration < body.effective
            || body.chat.terminal_type != issuer.cert.body().chat.terminal_type
        {
            return Err(ChipError::wrong_data("TA: validity or terminal type"));
        }
        let issuer_is_trust_point = issuer.cert.role() == Role::Cvca;
        let expired = |c: &Cvc, date: Date| c.body().expiration < date;
        if cert.role() != Role::Cvca {
            // DV and terminal certificates must be current; an expired trust point may still
            // verify link certificates but no DV certificate (clause 2.5.1).
            if expired(&cert, self.current_date)
                || (issuer_is_trust_point && expired(&issuer.cert, self.current_date))
            {
                return Err(ChipError::security_status("TA: certificate expired"));
            }
        }
        cert.verify_signature(&issuer.key, issuer.cert.body().public_key.algorithm)
            .map_err(|_| ChipError::security_status("TA: certificate signature"))?;
        let domain = cert.domain().or(issuer.domain);
        let key = cert
            .public_key(domain)
            .map_err(|_| ChipError::wrong_data("TA: certificate public key"))?;
        // DV and terminal keys keep the CVCA's cryptosystem (TR-03110-3 clause 2.3): no other
        // kind of key and no shorter one (only link certificates may migrate).
        if cert.role() != Role::Cvca && !as_strong(&key, &issuer.key) {
            return Err(ChipError::wrong_data("TA: key weaker than its issuer's"));
        }
        // Sources of time: link, DV and accurate (domestic DV's) terminal certificates.
        let source_of_time = match cert.role() {
            Role::Cvca | Role::DvDomestic | Role::DvForeign => true,
            Role::Terminal => issuer.cert.role() == Role::DvDomestic,
        };
        if source_of_time && cert.body().effective > self.current_date {
            self.current_date = cert.body().effective;
        }
        let mut root = issuer.root;
        let mut trust_changed = false;
        if cert.role() == Role::Cvca {
            self.add_trust_point(cert.clone());
            root = cert.clone();
            trust_changed = true;
        }
        self.verified.push(Verified {
            key,
            cert,
            domain,
            root,
        });
        Ok(trust_changed)
    }

    /// Enables a new trust point; of more than two, the least recent is disabled.
    fn add_trust_point(&mut self, cert: Cvc) {
        self.trust_points.retain(|tp| tp.chr() != cert.chr());
        self.trust_points.insert(0, cert);
        self.trust_points
            .sort_by_key(|tp| std::cmp::Reverse(tp.body().effective));
        self.trust_points.truncate(2);
    }

    /// MSE:Set AT (81A4): selects the terminal's key by CHR (83); it must be the last link.
    pub fn set_at(&mut self, data: &[u8]) -> ChipResult<()> {
        let chr = Mse::reference(data)?;
        let last = self
            .verified
            .last()
            .filter(|v| v.chr() == chr && v.cert.role() == Role::Terminal);
        self.terminal = Some(last.cloned().ok_or(ChipError::reference_not_found(
            "TA: MSE:Set AT names no verified terminal",
        ))?);
        Ok(())
    }

    /// EXTERNAL AUTHENTICATE: checks the signature over `ID_PICC || r_PICC || Comp(PK~_PCD)`
    /// and returns the rights the chain grants. A signature that does not verify answers
    /// a failed verification and ends the run (the terminal starts again with its chain).
    pub fn external_authenticate(
        &mut self,
        signature: &[u8],
        binding: &TaBinding,
    ) -> ChipResult<AccessRights> {
        let challenge = self
            .challenge
            .take()
            .ok_or(ChipError::conditions("TA: no challenge (GET CHALLENGE)"))?;
        let terminal = self
            .terminal
            .take()
            .ok_or(ChipError::conditions("TA: no terminal key (MSE:Set AT)"))?;
        let message = binding.message(&challenge);
        if verify_terminal_signature(&terminal, &message, signature).is_err() {
            self.reset();
            return Err(ChipError::verification_failed(
                "TA: the terminal's signature",
            ));
        }
        let rights = self.effective_rights(&terminal);
        self.reset();
        Ok(rights)
    }

    /// The effective authorization (TR-03110-3 clause 2.7): the AND of the CHATs of the
    /// terminal, its DV and the trust point at the root; nothing when the terminal types or
    /// template sizes differ.
    fn effective_rights(&self, terminal: &Verified) -> AccessRights {
        let dv = self
            .verified
            .iter()
            .rev()
            .find(|v| v.chr() == terminal.cert.car());
        let root = &terminal.root;
        let Some(dv) = dv else {
            return AccessRights::default();
        };
        let chats = [
            &terminal.cert.body().chat,
            &dv.cert.body().chat,
            &root.body().chat,
        ];
        let holder = chats[0];
        if chats.iter().any(|c| {
            c.terminal_type != holder.terminal_type || c.template.len() != holder.template.len()
        }) {
            return AccessRights::default();
        }
        let mut effective = holder.clone();
        for c in &chats[1..] {
            let rights = c.rights();
            for (e, r) in effective.template.iter_mut().zip(rights) {
                *e &= r;
            }
        }
        AccessRights {
            dg3: effective.reads_dg3(),
            dg4: effective.reads_dg4(),
        }
    }
}

/// Checks a signature made with the terminal's key, under its certificate's algorithm.
fn verify_terminal_signature(terminal: &Verified, message: &[u8], signature: &[u8]) -> Result<()> {
    use crate::crypto::signature::{SignatureAlgorithm, verify, verify_ecdsa_plain};
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

/// True when `key` is of the same kind as `issuer` (EC or RSA) and at least as long.
fn as_strong(key: &PublicKey, issuer: &PublicKey) -> bool {
    match (key, issuer) {
        (PublicKey::Ec { curve, .. }, PublicKey::Ec { curve: by, .. }) => {
            curve.field_len() >= by.field_len()
        }
        (PublicKey::Rsa { n, .. }, PublicKey::Rsa { n: by, .. }) => n.len() >= by.len(),
        _ => false,
    }
}
