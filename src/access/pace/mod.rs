//! PACE, Password Authenticated Connection Establishment (ICAO Doc 9303-11 clause 4.4; BSI
//! TR-03110-2 clause 3.2), ECDH with the Generic, Integrated and Chip Authentication mappings,
//! 3DES and AES, both roles: [`establish`] is the terminal, [`PaceChip`] the chip.
//!
//! The exchange: MSE:Set AT names the protocol, the password and the domain parameters (no Le);
//! four chained GENERAL AUTHENTICATE commands carry the encrypted nonce, the mapping data, the
//! ephemeral keys and the authentication tokens; both sides then switch to secure messaging
//! with SSC 0.

pub mod crypto;

use crate::access::oids::{KeyAgreement, PaceMapping, PaceProtocol};
use crate::apdu::{Command, Response, sw};
use crate::error::{Error, Result};
use crate::pki::ec::Curve;
use crate::sm::SecureMessaging;
use crate::tlv::{self, Tlv};
pub use crypto::Password;
use crypto::*;
use num_bigint::BigUint;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// One PACE configuration: protocol (mapping, cipher) on a standardized curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PaceSuite {
    /// Mapping, agreement and cipher.
    pub protocol: PaceProtocol,
    /// The standardized domain parameters (9303-11 clause 9.5.1).
    pub curve: Curve,
}

impl PaceSuite {
    /// The standardized domain parameter id.
    pub fn parameter_id(&self) -> u8 {
        self.curve.pace_parameter_id()
    }

    fn check(&self) -> Result<()> {
        if self.protocol.agreement != KeyAgreement::Ecdh {
            return Err(Error::protocol(
                "PACE",
                "DH domain parameters are not supported; use an ECDH protocol",
            ));
        }
        Ok(())
    }
}

/// Fixed secrets for reproducing worked examples; `None` fields are random.
#[derive(Clone, Debug, Default)]
pub struct FixedRandomness {
    /// Mapping private key (GM, CAM).
    pub mapping_key: Option<Vec<u8>>,
    /// Terminal nonce t (IM), or the chip nonce s on the chip side.
    pub nonce: Option<Vec<u8>>,
    /// Ephemeral private key.
    pub ephemeral_key: Option<Vec<u8>>,
}

/// What PACE established besides the secure messaging session.
#[derive(Clone, Debug)]
pub struct PaceOutcome {
    /// The suite used.
    pub suite: PaceSuite,
    /// The chip's mapping public key (CAM checks it against the chip's static key).
    pub chip_mapping_public: Option<Vec<u8>>,
    /// CAM: the decrypted chip authentication data CA_IC.
    pub cam_data: Option<Vec<u8>>,
}

fn err(reason: impl Into<String>) -> Error {
    Error::protocol("PACE", reason)
}

/// The value of the single data object inside a `7C` dynamic authentication template.
fn template_value(data: &[u8], tag: u32) -> Result<Vec<u8>> {
    let outer = Tlv::parse_tagged(data, 0x7C)
        .map_err(|e| err(format!("GENERAL AUTHENTICATE response: {e}")))?;
    Ok(outer
        .require(tag)
        .map_err(|e| err(format!("GENERAL AUTHENTICATE response: {e}")))?
        .value
        .to_vec())
}

fn ga(last: bool, tag: u32, value: &[u8]) -> Command {
    let cla = if last { 0x00 } else { 0x10 };
    let inner = if value.is_empty() && tag == 0 {
        Vec::new()
    } else {
        tlv::encode(tag, value)
    };
    Command::new(cla, 0x86, 0x00, 0x00)
        .with_data(tlv::encode(0x7C, &inner))
        .with_le(256)
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
/// parameter id (tag 84) to MSE:Set AT, as needed when the chip offers more than one.
pub fn establish(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    password: &Password,
    suite: PaceSuite,
    name_parameters: bool,
    fixed: &FixedRandomness,
) -> Result<(SecureMessaging, PaceOutcome)> {
    suite.check()?;
    let params = suite.curve.params();
    let oid = suite
        .protocol
        .oid()
        .ok_or_else(|| err("no protocol OID for this combination"))?;
    let cipher = suite.protocol.cipher;

    let mut set_at = [
        crate::pki::asn1::encode(0x80, oid.as_bytes()),
        tlv::encode(0x83, &[password.reference()]),
    ]
    .concat();
    if name_parameters {
        set_at.extend(tlv::encode(0x84, &[suite.parameter_id()]));
    }
    step(
        transmit,
        &Command::new(0x00, 0x22, 0xC1, 0xA4).with_data(set_at),
        "MSE:Set AT",
        password,
    )?;

    // 1. Encrypted nonce.
    let z = template_value(
        &step(transmit, &ga(false, 0, &[]), "step 1", password)?.data,
        0x80,
    )?;
    let s = Zeroizing::new(cbc_decrypt(cipher, &password.pi_key(cipher), &z)?);

    // 2. Mapping.
    let mut chip_mapping_public = None;
    let g_hat = match suite.protocol.mapping {
        PaceMapping::Generic | PaceMapping::ChipAuthentication => {
            let sk = match &fixed.mapping_key {
                Some(k) => Zeroizing::new(k.clone()),
                None => random_scalar(params)?,
            };
            let pk = params.encode_point(&mul_secret(params, &params.generator(), &sk));
            let resp = step(
                transmit,
                &ga(false, 0x81, &pk),
                "step 2 (mapping)",
                password,
            )?;
            let chip_pk = template_value(&resp.data, 0x82)?;
            let chip_point = peer_point(params, &chip_pk, "chip mapping key")?;
            chip_mapping_public = Some(chip_pk);
            generic_mapping(params, &s, &sk, &chip_point)?
        }
        PaceMapping::Integrated => {
            let t = match &fixed.nonce {
                Some(t) => Zeroizing::new(t.clone()),
                None => {
                    let mut t = Zeroizing::new(vec![0u8; terminal_nonce_len(cipher)]);
                    crate::access::fill_random(&mut t)?;
                    t
                }
            };
            step(transmit, &ga(false, 0x81, &t), "step 2 (mapping)", password)?;
            integrated_mapping(params, cipher, &s, &t)?
        }
    };

    // 3. Ephemeral key agreement on Ĝ.
    let sk_eph = match &fixed.ephemeral_key {
        Some(k) => Zeroizing::new(k.clone()),
        None => random_scalar(params)?,
    };
    let pk_eph = params.encode_point(&mul_secret(params, &g_hat, &sk_eph));
    let resp = step(
        transmit,
        &ga(false, 0x83, &pk_eph),
        "step 3 (key agreement)",
        password,
    )?;
    let chip_eph = template_value(&resp.data, 0x84)?;
    if chip_eph == pk_eph {
        return Err(err("the chip echoed the terminal's ephemeral key"));
    }
    let chip_point = peer_point(params, &chip_eph, "chip ephemeral key")?;
    let k = shared_secret(params, &mul_secret(params, &chip_point, &sk_eph))?;
    let (sm, ks_enc, ks_mac) = session(cipher, &k)?;

    // 4. Mutual authentication.
    let t_ifd = token(cipher, &ks_mac, &oid, &chip_eph)?;
    let resp = step(
        transmit,
        &ga(true, 0x85, &t_ifd),
        "step 4 (authentication)",
        password,
    )?;
    let t_ic = template_value(&resp.data, 0x86)?;
    let expected = token(cipher, &ks_mac, &oid, &pk_eph)?;
    if !bool::from(expected.ct_eq(t_ic.as_slice())) {
        return Err(err("the chip's authentication token is wrong"));
    }
    let cam_data = if suite.protocol.mapping == PaceMapping::ChipAuthentication {
        let enc = template_value(&resp.data, 0x8A)
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
        },
    ))
}

/// Terminal side of CAM: the chip proves its static key by PK_map = CA_IC · PK_IC.
pub fn verify_cam(
    outcome: &PaceOutcome,
    suite: PaceSuite,
    chip_static_public: &[u8],
) -> Result<()> {
    let params = suite.curve.params();
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
pub use chip::{ChipPassword, PaceChip};
