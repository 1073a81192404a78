//! PACE, Password Authenticated Connection Establishment (ICAO Doc 9303-11 clause 4.4; BSI
//! TR-03110-2 clause 3.2), both roles: [`establish`] is the terminal, [`PaceChip`] the chip.
//! ECDH on the standardized curves with the Generic, Integrated and Chip Authentication
//! mappings; DH on the RFC 5114 MODP groups (standardized domain parameters 0-2) with the
//! Generic and Integrated mappings ([`dh`], 9303-11 clause 4.4.3.3); 3DES and AES.
//!
//! The exchange: MSE:Set AT names the protocol, the password and the domain parameters (no Le);
//! four chained GENERAL AUTHENTICATE commands carry the encrypted nonce, the mapping data, the
//! ephemeral keys and the authentication tokens; both sides then switch to secure messaging
//! with SSC 0.

pub mod crypto;
pub mod dh;

use crate::apdu::{Command, Response, sw};
use crate::crypto::domain::StandardizedDomainParameters;
use crate::crypto::ec::Curve;
use crate::error::{Error, Result};
use crate::iso7816::data_objects::DataObjects;
use crate::iso7816::general_authenticate::{
    GeneralAuthenticate, TAG_80, TAG_81, TAG_82, TAG_CAM_DATA, TAG_CHIP_KEY, TAG_CHIP_TOKEN,
    TAG_TERMINAL_KEY, TAG_TERMINAL_TOKEN, response_object,
};
use crate::iso7816::mse::Mse;
use crate::oids::{DhGroup, KeyAgreement, PaceMapping, PaceProtocol};
use crate::sm::SecureMessaging;
pub use crypto::Password;
use crypto::*;
use num_bigint::BigUint;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The standardized domain parameters of a PACE suite (9303-11 clause 9.5.1): a named curve
/// (ids 8-18, ECDH) or an RFC 5114 MODP group (ids 0-2, DH).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum PaceDomain {
    /// A named curve, for ECDH.
    Ec(Curve),
    /// A MODP group, for DH.
    Dh(DhGroup),
}

impl PaceDomain {
    /// The domain parameters with a standardized id, if dactyl knows them.
    pub fn from_parameter_id(id: u8) -> Option<PaceDomain> {
        match StandardizedDomainParameters::from_id(id.into())? {
            StandardizedDomainParameters::Ec(curve) => Some(PaceDomain::Ec(curve)),
            StandardizedDomainParameters::Dh(group) => Some(PaceDomain::Dh(group)),
        }
    }

    /// The standardized domain parameter id.
    pub fn parameter_id(&self) -> u8 {
        match self {
            PaceDomain::Ec(curve) => curve.pace_parameter_id(),
            PaceDomain::Dh(group) => group.id(),
        }
    }

    /// The curve's name ("brainpoolP256r1") or the group's ("1024-bit MODP group with
    /// 160-bit prime order subgroup").
    pub fn name(&self) -> &'static str {
        match self {
            PaceDomain::Ec(curve) => curve.name(),
            PaceDomain::Dh(group) => group.name(),
        }
    }

    /// ECDH for a curve, DH for a group.
    pub fn agreement(&self) -> KeyAgreement {
        match self {
            PaceDomain::Ec(_) => KeyAgreement::Ecdh,
            PaceDomain::Dh(_) => KeyAgreement::Dh,
        }
    }

    /// The curve, for ECDH.
    pub fn curve(&self) -> Option<Curve> {
        match self {
            PaceDomain::Ec(curve) => Some(*curve),
            PaceDomain::Dh(_) => None,
        }
    }

    /// The MODP group, for DH.
    pub fn dh_group(&self) -> Option<DhGroup> {
        match self {
            PaceDomain::Dh(group) => Some(*group),
            PaceDomain::Ec(_) => None,
        }
    }
}

impl From<Curve> for PaceDomain {
    fn from(curve: Curve) -> Self {
        PaceDomain::Ec(curve)
    }
}

impl From<DhGroup> for PaceDomain {
    fn from(group: DhGroup) -> Self {
        PaceDomain::Dh(group)
    }
}

impl PartialEq<Curve> for PaceDomain {
    fn eq(&self, curve: &Curve) -> bool {
        *self == PaceDomain::Ec(*curve)
    }
}

impl PartialEq<PaceDomain> for Curve {
    fn eq(&self, domain: &PaceDomain) -> bool {
        domain == self
    }
}

impl std::fmt::Display for PaceDomain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One PACE configuration: protocol (mapping, agreement, cipher) on standardized domain
/// parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PaceSuite {
    /// Mapping, agreement and cipher.
    pub protocol: PaceProtocol,
    /// The standardized domain parameters (9303-11 clause 9.5.1): a curve for ECDH, a MODP
    /// group for DH.
    pub domain: PaceDomain,
}

impl PaceSuite {
    /// A suite on `domain` (a [`Curve`], a [`DhGroup`] or a [`PaceDomain`]).
    pub fn new(protocol: PaceProtocol, domain: impl Into<PaceDomain>) -> PaceSuite {
        PaceSuite {
            protocol,
            domain: domain.into(),
        }
    }

    /// The suite on the domain parameters with a standardized id, if dactyl knows them.
    pub fn from_parameter_id(protocol: PaceProtocol, id: u8) -> Option<PaceSuite> {
        Some(PaceSuite::new(protocol, PaceDomain::from_parameter_id(id)?))
    }

    /// The domain parameters.
    pub fn domain(&self) -> PaceDomain {
        self.domain
    }

    /// The standardized domain parameter id.
    pub fn parameter_id(&self) -> u8 {
        self.domain.parameter_id()
    }

    /// Checks the protocol is defined and its key agreement fits the domain parameters.
    pub fn check(&self) -> Result<()> {
        if !self.protocol.is_defined() {
            return Err(err(format!(
                "{}: not a defined PACE protocol",
                self.protocol.name()
            )));
        }
        if self.protocol.agreement != self.domain.agreement() {
            return Err(err(format!(
                "{} needs {} domain parameters, {} (id {}) is not",
                self.protocol.name(),
                match self.protocol.agreement {
                    KeyAgreement::Dh => "DH",
                    KeyAgreement::Ecdh => "ECDH",
                },
                self.domain.name(),
                self.parameter_id()
            )));
        }
        Ok(())
    }
}

mod fixed {
    /// Fixed secrets for reproducing worked examples; `None` fields are random. Only tests and
    /// benchmarks can name it (the `test-vectors` feature): production code always draws fresh
    /// nonces and keys.
    #[derive(Clone, Debug, Default)]
    pub struct FixedRandomness {
        /// Mapping private key (GM, CAM).
        pub mapping_key: Option<Vec<u8>>,
        /// Terminal nonce t (IM), or the chip nonce s on the chip side.
        pub nonce: Option<Vec<u8>>,
        /// Ephemeral private key.
        pub ephemeral_key: Option<Vec<u8>>,
    }
}
#[cfg(any(test, feature = "test-vectors"))]
pub use fixed::FixedRandomness;
#[cfg(not(any(test, feature = "test-vectors")))]
use fixed::FixedRandomness;

/// What PACE established besides the secure messaging session.
#[derive(Clone, Debug)]
pub struct PaceOutcome {
    /// The suite used.
    pub suite: PaceSuite,
    /// The chip's mapping public key (CAM checks it against the chip's static key).
    pub chip_mapping_public: Option<Vec<u8>>,
    /// CAM: the decrypted chip authentication data CA_IC.
    pub cam_data: Option<Vec<u8>>,
    /// The chip's ephemeral public key (step 3): its Comp is `ID_PICC` for Terminal
    /// Authentication (the dynamic binding).
    pub chip_ephemeral_public: Vec<u8>,
    /// The terminal's ephemeral public key (step 3): after PACE-CAM, Terminal Authentication
    /// binds its Comp.
    pub terminal_ephemeral_public: Vec<u8>,
}

impl PaceOutcome {
    /// `ID_PICC` of the dynamic binding: Comp of the chip's ephemeral PACE key.
    pub fn dynamic_chip_identifier(&self) -> Result<crate::access::ta::ChipIdentifier> {
        crate::access::ta::ChipIdentifier::dynamic(
            self.suite.domain.agreement(),
            &self.chip_ephemeral_public,
        )
    }

    /// After PACE-CAM, Comp of the terminal's ephemeral PACE key; `None` for other mappings.
    pub fn cam_terminal_key(&self) -> Result<Option<Vec<u8>>> {
        if self.cam_data.is_none() {
            return Ok(None);
        }
        let agreement = self.suite.domain.agreement();
        crate::access::ta::compress(agreement, &self.terminal_ephemeral_public).map(Some)
    }
}

fn err(reason: impl Into<String>) -> Error {
    Error::protocol("PACE", reason)
}

/// The value of the data object `tag` inside a `7C` dynamic authentication template.
fn template_value(data: &[u8], tag: u32) -> Result<Vec<u8>> {
    response_object(data, tag).map_err(|e| err(format!("GENERAL AUTHENTICATE response: {e}")))
}

/// A GENERAL AUTHENTICATE step carrying `objects`, chained unless it is the last.
fn ga(last: bool, objects: DataObjects) -> Command {
    GeneralAuthenticate::new(!last, objects).to_command()
}

/// A GENERAL AUTHENTICATE step carrying one data object.
fn ga_with(last: bool, tag: u32, value: &[u8]) -> Command {
    ga(last, DataObjects::new().with(tag, value))
}

/// Sends `cmd` and requires 9000; a 63xx/6982/6300 on the token step means a wrong password.
fn step(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    cmd: &Command,
    what: &str,
    password: &Password,
) -> Result<Response> {
    let resp = transmit(cmd)?;
    match resp.sw {
        sw::OK => Ok(resp),
        s if s >> 8 == 0x63 || s == sw::SECURITY_STATUS => Err(Error::PaceDenied {
            password: password.name(),
            sw: crate::apdu::StatusWord(s),
        }),
        s => Err(Error::status(format!("PACE {what}"), s)),
    }
}

/// Terminal side: runs PACE with `password` on `suite`. `name_parameters` adds the domain
/// parameter id (tag 84) to MSE:Set AT, as needed when the chip offers more than one; the
/// border reader always sets it, since some chips refuse MSE:Set AT without it (6A87) even
/// when they offer a single suite.
pub fn establish(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    password: &Password,
    suite: PaceSuite,
    name_parameters: bool,
) -> Result<(SecureMessaging, PaceOutcome)> {
    run(
        transmit,
        password,
        suite,
        name_parameters,
        &FixedRandomness::default(),
    )
}

/// [`establish`] with fixed nonce and keys, to reproduce worked examples (tests only).
#[cfg(any(test, feature = "test-vectors"))]
pub fn establish_fixed(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    password: &Password,
    suite: PaceSuite,
    name_parameters: bool,
    fixed: &FixedRandomness,
) -> Result<(SecureMessaging, PaceOutcome)> {
    run(transmit, password, suite, name_parameters, fixed)
}

fn run(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    password: &Password,
    suite: PaceSuite,
    name_parameters: bool,
    fixed: &FixedRandomness,
) -> Result<(SecureMessaging, PaceOutcome)> {
    suite.check()?;
    let domain = suite.domain;
    let oid = suite
        .protocol
        .oid()
        .ok_or_else(|| err("no protocol OID for this combination"))?;
    let cipher = suite.protocol.cipher;

    let set_at = Mse::pace_set_at(
        oid.as_bytes(),
        password.reference(),
        name_parameters.then(|| suite.parameter_id()),
    );
    step(transmit, &set_at.to_command(), "MSE:Set AT", password)?;

    // 1. Encrypted nonce.
    let z = template_value(
        &step(transmit, &ga(false, DataObjects::new()), "step 1", password)?.data,
        TAG_80,
    )?;
    let s = Zeroizing::new(cbc_decrypt(cipher, &password.pi_key(cipher), &z)?);

    // 2. Mapping.
    let mut chip_mapping_public = None;
    let g_hat = match suite.protocol.mapping {
        PaceMapping::Generic | PaceMapping::ChipAuthentication => {
            let sk = key_or_random(domain, fixed.mapping_key.as_deref())?;
            let pk = Generator::standard(domain).public_key(&sk)?;
            let resp = step(
                transmit,
                &ga_with(false, TAG_81, &pk),
                "step 2 (mapping)",
                password,
            )?;
            let chip_pk = template_value(&resp.data, TAG_82)?;
            let g_hat = map_generic(domain, &s, &sk, &chip_pk, "chip mapping key")?;
            chip_mapping_public = Some(chip_pk);
            g_hat
        }
        PaceMapping::Integrated => {
            let t = match &fixed.nonce {
                Some(t) => Zeroizing::new(t.clone()),
                None => {
                    let mut t = Zeroizing::new(vec![0u8; terminal_nonce_len(cipher)]);
                    crate::rand::fill_random(&mut t)?;
                    t
                }
            };
            step(
                transmit,
                &ga_with(false, TAG_81, &t),
                "step 2 (mapping)",
                password,
            )?;
            map_integrated(domain, cipher, &s, &t)?
        }
    };

    // 3. Ephemeral key agreement on Ĝ (ĝ).
    let sk_eph = key_or_random(domain, fixed.ephemeral_key.as_deref())?;
    let pk_eph = g_hat.public_key(&sk_eph)?;
    let resp = step(
        transmit,
        &ga_with(false, TAG_TERMINAL_KEY, &pk_eph),
        "step 3 (key agreement)",
        password,
    )?;
    let chip_eph = template_value(&resp.data, TAG_CHIP_KEY)?;
    if chip_eph == pk_eph {
        return Err(err("the chip echoed the terminal's ephemeral key"));
    }
    let k = agree(domain, &sk_eph, &chip_eph, "chip ephemeral key")?;
    let (sm, ks_enc, ks_mac) = session(cipher, &k)?;

    // 4. Mutual authentication.
    let t_ifd = token(cipher, &ks_mac, &oid, &chip_eph)?;
    let resp = step(
        transmit,
        &ga_with(true, TAG_TERMINAL_TOKEN, &t_ifd),
        "step 4 (authentication)",
        password,
    )?;
    let t_ic = template_value(&resp.data, TAG_CHIP_TOKEN)?;
    let expected = token(cipher, &ks_mac, &oid, &pk_eph)?;
    if !bool::from(expected.ct_eq(t_ic.as_slice())) {
        return Err(err("the chip's authentication token is wrong"));
    }
    let cam_data = if suite.protocol.mapping == PaceMapping::ChipAuthentication {
        let enc = template_value(&resp.data, TAG_CAM_DATA)
            .map_err(|_| err("CAM: no chip authentication data (8A)"))?;
        Some(cam_decrypt(&ks_enc, &enc)?)
    } else {
        None
    };
    Ok((
        sm,
        PaceOutcome {
            suite,
            chip_mapping_public,
            cam_data,
            chip_ephemeral_public: chip_eph,
            terminal_ephemeral_public: pk_eph,
        },
    ))
}

/// A fixed key when given (worked examples), else a random one.
fn key_or_random(domain: PaceDomain, fixed: Option<&[u8]>) -> Result<Zeroizing<Vec<u8>>> {
    match fixed {
        Some(k) => Ok(Zeroizing::new(k.to_vec())),
        None => random_key(domain),
    }
}

/// Terminal side of CAM: the chip proves its static key by PK_map = CA_IC · PK_IC.
pub fn verify_cam(
    outcome: &PaceOutcome,
    suite: PaceSuite,
    chip_static_public: &[u8],
) -> Result<()> {
    let params = suite
        .domain
        .curve()
        .ok_or_else(|| err("CAM exists only for ECDH"))?
        .params();
    let (Some(ca), Some(pk_map)) = (&outcome.cam_data, &outcome.chip_mapping_public) else {
        return Err(err("CAM: no chip authentication data to check"));
    };
    let static_point = peer_point(params, chip_static_public, "chip static key")?;
    let expected =
        params.encode_point(&params.mul_vartime(&static_point, &BigUint::from_bytes_be(ca)));
    if bool::from(expected.ct_eq(pk_map.as_slice())) {
        Ok(())
    } else {
        Err(err("CAM: the chip does not hold the static key it claims"))
    }
}

mod chip;
pub use chip::{ChipPassword, PaceChip, PaceSession};
