//! The chip side of PACE (ICAO Doc 9303-11 clauses 4.4.4 and 4.4.5): MSE:Set AT and the four
//! GENERAL AUTHENTICATE steps as a state machine, for ECDH and DH alike. Any error resets it; a
//! wrong token (wrong password) is a failed verification.

use super::crypto::*;
use super::{FixedRandomness, PaceSuite};
use crate::access::ta::{ChipIdentifier, compress};
use crate::apdu::Command;
use crate::crypto::ec::int_to_bytes;
use crate::iso7816::data_objects::DataObjects;
use crate::iso7816::general_authenticate::{
    GeneralAuthenticate, TAG_80, TAG_81, TAG_82, TAG_CAM_DATA, TAG_CHIP_KEY, TAG_CHIP_TOKEN,
    TAG_TERMINAL_KEY, TAG_TERMINAL_TOKEN, encode_template,
};
use crate::iso7816::mse::{TAG_MECHANISM, TAG_PRIVATE_REFERENCE, TAG_PUBLIC_REFERENCE};
use crate::iso7816::refusal::{ChipError, ChipResult};
use crate::lds::mrz::MrzKeyInfo;
use crate::oids::PaceMapping;
use crate::sm::SecureMessaging;
use num_bigint::BigUint;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The passwords a chip knows. The CAN is zeroized on drop; `Debug` shows which passwords
/// are set, never their values.
#[derive(Clone, Default)]
pub struct ChipPassword {
    /// From the MRZ printed on the document.
    pub mrz: Option<MrzKeyInfo>,
    /// The card access number.
    pub can: Option<String>,
}

impl std::fmt::Debug for ChipPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |b: bool| if b { "<redacted>" } else { "none" };
        f.debug_struct("ChipPassword")
            .field("mrz", &format_args!("{}", set(self.mrz.is_some())))
            .field("can", &format_args!("{}", set(self.can.is_some())))
            .finish()
    }
}

impl Drop for ChipPassword {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.can);
    }
}

enum State {
    Idle,
    Selected {
        suite: PaceSuite,
        pi: Zeroizing<Vec<u8>>,
    },
    NonceSent {
        suite: PaceSuite,
        s: Zeroizing<Vec<u8>>,
    },
    Mapped {
        suite: PaceSuite,
        g_hat: Generator,
        sk_map: Option<Zeroizing<Vec<u8>>>,
    },
    Agreed {
        suite: PaceSuite,
        sm: SecureMessaging,
        ks_enc: Zeroizing<Vec<u8>>,
        ks_mac: Zeroizing<Vec<u8>>,
        terminal_eph: Vec<u8>,
        chip_eph: Vec<u8>,
        sk_map: Option<Zeroizing<Vec<u8>>>,
    },
}

/// What a completed PACE gives the chip besides the response.
pub struct PaceSession {
    /// The secure messaging session to start once the answer has gone out.
    pub sm: SecureMessaging,
    /// `Comp` of the chip's ephemeral public key: `ID_PICC` of the dynamic binding.
    pub chip_key: Vec<u8>,
    /// `Comp` of the terminal's ephemeral public key, when PACE-CAM authenticated the chip
    /// (Terminal Authentication then binds it, BSI TR-03110-1 clause 3.5).
    pub cam_terminal_key: Option<Vec<u8>>,
    /// The password used: 01 MRZ, 02 CAN.
    pub password_reference: u8,
}

impl std::fmt::Debug for PaceSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PaceSession(password {:02X}, keys redacted)",
            self.password_reference
        )
    }
}

/// A chip's PACE: its suites (as listed in EF.CardAccess), passwords and, for CAM, its static
/// Chip Authentication private key.
pub struct PaceChip {
    suites: Vec<PaceSuite>,
    passwords: ChipPassword,
    cam_key: Option<Zeroizing<Vec<u8>>>,
    fixed: FixedRandomness,
    state: State,
    /// The password reference of the last MSE:Set AT.
    reference: u8,
}

type Answer = ChipResult<Vec<u8>>;

const OUT_OF_SEQUENCE: ChipError = ChipError::conditions("PACE: step out of sequence");
const INTERNAL: ChipError = ChipError::internal("PACE: the chip's own computation");
const BAD_KEY: ChipError = ChipError::wrong_data("PACE: the terminal's public key");

impl PaceChip {
    /// A chip offering `suites` (the first is the default when MSE:Set AT names no parameters).
    pub fn new(suites: Vec<PaceSuite>, passwords: ChipPassword, cam_key: Option<Vec<u8>>) -> Self {
        PaceChip {
            suites,
            passwords,
            cam_key: cam_key.map(Zeroizing::new),
            fixed: FixedRandomness::default(),
            state: State::Idle,
            reference: 0,
        }
    }

    /// Uses fixed nonce and keys (worked examples; tests only).
    #[cfg(any(test, feature = "test-vectors"))]
    pub fn with_fixed_randomness(mut self, fixed: FixedRandomness) -> Self {
        self.fixed = fixed;
        self
    }

    /// The static `ID_PICC` for a password reference (01 MRZ: the document number, 02 CAN:
    /// the CAN), as older documents bind Terminal Authentication after PACE.
    pub fn static_chip_identifier(&self, reference: u8) -> Option<ChipIdentifier> {
        match reference {
            0x01 => self
                .passwords
                .mrz
                .as_ref()
                .map(ChipIdentifier::document_number),
            0x02 => self.passwords.can.as_deref().map(ChipIdentifier::can),
            _ => None,
        }
    }

    /// The suites offered.
    pub fn suites(&self) -> &[PaceSuite] {
        &self.suites
    }

    /// Forgets any half-finished PACE.
    pub fn reset(&mut self) {
        self.state = State::Idle;
    }

    /// MSE:Set AT (P1P2 C1A4): protocol OID (80), password reference (83), parameter id (84);
    /// other objects are ignored, the last of each kind counts.
    pub fn mse_set_at(&mut self, data: &[u8]) -> ChipResult<()> {
        self.state = State::Idle;
        let crt = DataObjects::parse(data);
        if crt.malformed {
            return Err(ChipError::wrong_data("PACE: malformed MSE:Set AT"));
        }
        let mut oid = None;
        let mut reference = None;
        let mut param = None;
        for (tag, value) in &crt.objects {
            match (*tag, value.as_slice()) {
                (TAG_MECHANISM, v) => oid = Some(v.to_vec()),
                (TAG_PUBLIC_REFERENCE, [r]) => reference = Some(*r),
                (TAG_PRIVATE_REFERENCE, [p]) => param = Some(*p),
                _ => {}
            }
        }
        let (Some(oid), Some(reference)) = (oid, reference) else {
            return Err(ChipError::wrong_data(
                "PACE: MSE:Set AT without protocol or password",
            ));
        };
        let suite = self
            .suites
            .iter()
            .find(|s| {
                s.protocol
                    .oid()
                    .is_some_and(|o| o.as_bytes() == oid.as_slice())
                    && param.is_none_or(|p| p == s.parameter_id())
                    && s.check().is_ok()
            })
            .copied()
            .ok_or(ChipError::reference_not_found(
                "PACE: protocol or parameters not offered",
            ))?;
        let password = match reference {
            0x01 => self.passwords.mrz.clone().map(Password::Mrz),
            0x02 => self
                .passwords
                .can
                .as_deref()
                .and_then(|c| Password::can(c).ok()),
            _ => None,
        }
        .ok_or(ChipError::reference_not_found("PACE: password not known"))?;
        self.reference = reference;
        self.state = State::Selected {
            suite,
            pi: password.pi_key(suite.protocol.cipher),
        };
        Ok(())
    }

    fn scalar(&self, fixed: &Option<Vec<u8>>, suite: PaceSuite) -> ChipResult<Zeroizing<Vec<u8>>> {
        match fixed {
            Some(k) => Ok(Zeroizing::new(k.clone())),
            None => random_key(suite.domain).map_err(|_| INTERNAL),
        }
    }

    /// GENERAL AUTHENTICATE: one PACE step. Returns the response data and, after the last
    /// step, the secure messaging session to switch to.
    pub fn general_authenticate(
        &mut self,
        cmd: &Command,
    ) -> ChipResult<(Vec<u8>, Option<PaceSession>)> {
        let ga = GeneralAuthenticate::parse(cmd)?;
        let state = std::mem::replace(&mut self.state, State::Idle);
        let result = self.advance(state, &ga.data, ga.chained);
        match result {
            Ok((data, next, sm)) => {
                self.state = next;
                Ok((data, sm))
            }
            Err(status) => Err(status),
        }
    }

    fn advance(
        &self,
        state: State,
        template: &DataObjects,
        chained: bool,
    ) -> ChipResult<(Vec<u8>, State, Option<PaceSession>)> {
        let value = |tag: u32| {
            template
                .get(tag)
                .map(<[u8]>::to_vec)
                .ok_or(ChipError::wrong_data("PACE: a data object missing"))
        };
        let reply = |tag: u32, v: &[u8]| encode_template(&DataObjects::new().with(tag, v));
        match state {
            State::Idle => Err(OUT_OF_SEQUENCE),
            State::Selected { suite, pi } => {
                if !chained {
                    return Err(OUT_OF_SEQUENCE);
                }
                let cipher = suite.protocol.cipher;
                let s = match &self.fixed.nonce {
                    Some(s) => Zeroizing::new(s.clone()),
                    None => {
                        let mut s = Zeroizing::new(vec![0u8; nonce_len(cipher)]);
                        crate::rand::fill_random(&mut s).map_err(|_| INTERNAL)?;
                        s
                    }
                };
                let z = cbc_encrypt(cipher, &pi, &s).map_err(|_| INTERNAL)?;
                Ok((reply(TAG_80, &z), State::NonceSent { suite, s }, None))
            }
            State::NonceSent { suite, s } => {
                if !chained {
                    return Err(OUT_OF_SEQUENCE);
                }
                let domain = suite.domain;
                let terminal = value(TAG_81)?;
                match suite.protocol.mapping {
                    PaceMapping::Integrated => {
                        let g_hat = map_integrated(domain, suite.protocol.cipher, &s, &terminal)
                            .map_err(|_| BAD_KEY)?;
                        Ok((
                            encode_template(&DataObjects::new()),
                            State::Mapped {
                                suite,
                                g_hat,
                                sk_map: None,
                            },
                            None,
                        ))
                    }
                    _ => {
                        let sk = self.scalar(&self.fixed.mapping_key, suite)?;
                        let g_hat = map_generic(domain, &s, &sk, &terminal, "terminal mapping key")
                            .map_err(|_| BAD_KEY)?;
                        let pk = Generator::standard(domain)
                            .public_key(&sk)
                            .map_err(|_| INTERNAL)?;
                        Ok((
                            reply(TAG_82, &pk),
                            State::Mapped {
                                suite,
                                g_hat,
                                sk_map: Some(sk),
                            },
                            None,
                        ))
                    }
                }
            }
            State::Mapped {
                suite,
                g_hat,
                sk_map,
            } => {
                if !chained {
                    return Err(OUT_OF_SEQUENCE);
                }
                let terminal_eph = value(TAG_TERMINAL_KEY)?;
                let sk = self.scalar(&self.fixed.ephemeral_key, suite)?;
                let chip_eph = g_hat.public_key(&sk).map_err(|_| INTERNAL)?;
                if chip_eph == terminal_eph {
                    return Err(ChipError::wrong_data(
                        "PACE: the terminal echoed the chip's key",
                    ));
                }
                let k = agree(suite.domain, &sk, &terminal_eph, "terminal ephemeral key")
                    .map_err(|_| BAD_KEY)?;
                let (sm, ks_enc, ks_mac) =
                    session(suite.protocol.cipher, &k).map_err(|_| INTERNAL)?;
                let data = reply(TAG_CHIP_KEY, &chip_eph);
                Ok((
                    data,
                    State::Agreed {
                        suite,
                        sm,
                        ks_enc,
                        ks_mac,
                        terminal_eph,
                        chip_eph,
                        sk_map,
                    },
                    None,
                ))
            }
            State::Agreed {
                suite,
                sm,
                ks_enc,
                ks_mac,
                terminal_eph,
                chip_eph,
                sk_map,
            } => {
                if chained {
                    return Err(OUT_OF_SEQUENCE);
                }
                let cipher = suite.protocol.cipher;
                let oid = suite.protocol.oid().ok_or(INTERNAL)?;
                let t_ifd = value(TAG_TERMINAL_TOKEN)?;
                let expected = token(cipher, &ks_mac, &oid, &chip_eph).map_err(|_| INTERNAL)?;
                if !bool::from(expected.ct_eq(t_ifd.as_slice())) {
                    return Err(ChipError::verification_failed("PACE: the terminal's token"));
                }
                let t_ic = token(cipher, &ks_mac, &oid, &terminal_eph).map_err(|_| INTERNAL)?;
                let mut answer = DataObjects::new().with(TAG_CHIP_TOKEN, &t_ic);
                let cam = suite.protocol.mapping == PaceMapping::ChipAuthentication;
                if cam {
                    let sk_map = sk_map.as_ref().map(|k| k.as_slice());
                    answer = answer.with(TAG_CAM_DATA, &self.cam_data(suite, &ks_enc, sk_map)?);
                }
                let agreement = suite.domain.agreement();
                let comp = |key: &[u8]| compress(agreement, key).map_err(|_| INTERNAL);
                let session = PaceSession {
                    sm,
                    chip_key: comp(&chip_eph)?,
                    cam_terminal_key: if cam {
                        Some(comp(&terminal_eph)?)
                    } else {
                        None
                    },
                    password_reference: self.reference,
                };
                Ok((encode_template(&answer), State::Idle, Some(session)))
            }
        }
    }

    /// CA_IC = SK_map · SK_IC⁻¹ mod n, encrypted under KSenc.
    fn cam_data(&self, suite: PaceSuite, ks_enc: &[u8], sk_map: Option<&[u8]>) -> Answer {
        let params = suite
            .domain
            .curve()
            .ok_or(ChipError::conditions("PACE-CAM: not an EC domain"))?
            .params();
        let (Some(sk_ic), Some(sk_map)) = (self.cam_key.as_deref(), sk_map) else {
            return Err(ChipError::conditions("PACE-CAM: no chip key"));
        };
        let n = &params.n;
        let inv = BigUint::from_bytes_be(sk_ic).modpow(&(n - 2u32), n);
        let ca = (BigUint::from_bytes_be(sk_map) * inv) % n;
        let ca = Zeroizing::new(int_to_bytes(&ca, params.field_len()));
        cam_encrypt(ks_enc, &ca).map_err(|_| INTERNAL)
    }
}
