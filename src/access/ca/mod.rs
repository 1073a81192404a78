//! Chip Authentication (ICAO Doc 9303-11 clause 6.2; BSI TR-03110-1 for version 1 and
//! TR-03110-2/-3, protocol and APDU specification, for version 2), both roles, with ECDH on every
//! curve of [`Curve`] and DH over any MODP group.
//!
//! The terminal sends an ephemeral public key, both sides agree on K = KA(SK, PK) (the x
//! coordinate for ECDH, `y^x mod p` at the length of p for DH) and restart secure messaging with
//! KSenc/KSmac = KDF(K, 1/2) (ICAO clause 9.7.1) and a zero SSC. Two command sequences exist:
//! - MSE:Set KAT (`00 22 41 A6`, data `91 PK` [`84 key id`]): version 1 with 3DES;
//! - MSE:Set AT (`00 22 41 A4`, data `80 OID` [`84 key id`]) then GENERAL AUTHENTICATE
//!   (`00 86 00 00`, data `7C {80 PK}`). Version 1 chips answer `7C 00`; version 2 chips answer
//!   `7C {81 r_PICC, 82 T_PICC}`, derive the keys from K ‖ r_PICC, and prove them with the token
//!   T_PICC = MAC(KSmac, `7F49 {06 OID, 86/84 PK_PCD}`), which the terminal checks in constant time.
//!
//! The answer to the last command still travels under the old session keys; everything after it
//! uses the new ones. Version 1 authenticates the chip only implicitly: the caller must see one
//! command succeed under the new keys before trusting the chip.
//!
//! Secrets: the chip's static EC key uses the constant-time RustCrypto arithmetic where a crate
//! covers the curve (P-256, P-384, P-521, brainpoolP256r1/P384r1); other curves, DH, and the
//! terminal's one-session ephemeral keys use `num-bigint`, with the limits [`crate::crypto::ec`]
//! describes.

use crate::apdu::{Command, Response, sw};
use crate::asn1;
use crate::crypto::cipher::{aes_cmac8, pad, retail_mac};
use crate::crypto::ec::{self, Curve, int_to_bytes};
use crate::crypto::kdf::{self, KeyKind};
use crate::error::{Error, Result};
use crate::iso7816::data_objects::DataObjects;
use crate::iso7816::general_authenticate::{
    GeneralAuthenticate, TAG_80, TAG_81, TAG_82, encode_template, parse_template,
};
use crate::iso7816::mse::{Mse, TAG_EPHEMERAL_KEY, TAG_MECHANISM, TAG_PRIVATE_REFERENCE};
use crate::iso7816::refusal::{ChipError, ChipResult};
use crate::oids::{CaProtocol, Cipher, KeyAgreement};
use crate::rand::fill_random;
use crate::sm::{SecureMessaging, Suite};
use crate::tlv;
use crate::uint;
use der::asn1::ObjectIdentifier;
use num_bigint::BigUint;
use num_traits::{One, Zero};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

fn ca_err(reason: impl Into<String>) -> Error {
    Error::protocol("CA", reason)
}

/// Eight random bytes (a nonce or challenge).
pub(crate) fn random8() -> Result<[u8; 8]> {
    let mut n = [0u8; 8];
    fill_random(&mut n)?;
    Ok(n)
}

mod domain;
pub use domain::CaDomain;

/// Chip Authentication version (the `version` of ChipAuthenticationInfo).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum CaVersion {
    /// Version 1 (ICAO Doc 9303-11, EAC 1): implicit authentication, KDF(K, c).
    V1,
    /// Version 2 (TR-03110 EAC 2): chip nonce and token, KDF(K ‖ r_PICC, c).
    V2,
}

impl CaVersion {
    /// The version of a ChipAuthenticationInfo (1 or 2).
    pub fn from_info(version: u64) -> Option<CaVersion> {
        match version {
            1 => Some(CaVersion::V1),
            2 => Some(CaVersion::V2),
            _ => None,
        }
    }
}

/// Which commands carry the terminal's ephemeral key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum CaCommands {
    /// MSE:Set KAT (version 1 only).
    MseSetKat,
    /// MSE:Set AT, then GENERAL AUTHENTICATE.
    MseSetAtGeneralAuthenticate,
}

/// The session keys KSenc, KSmac derived from K (and the chip's nonce, in version 2).
pub fn session_keys(
    cipher: Cipher,
    k: &[u8],
    nonce: Option<&[u8]>,
) -> (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>) {
    let mut seed = Zeroizing::new(k.to_vec());
    seed.extend_from_slice(nonce.unwrap_or_default());
    (
        kdf::derive(&seed, kdf::ENC, KeyKind::from(cipher)),
        kdf::derive(&seed, kdf::MAC, KeyKind::from(cipher)),
    )
}

fn new_session(cipher: Cipher, ksenc: &[u8], ksmac: &[u8]) -> Result<SecureMessaging> {
    let suite = match cipher {
        Cipher::Tdes => Suite::Tdes,
        _ => Suite::Aes,
    };
    SecureMessaging::new(suite, ksenc, ksmac, &vec![0u8; suite.block_size()])
}

/// T_PICC = MAC(KSmac, `7F49 {06 OID, 86/84 PK_PCD}`): CMAC for AES, the retail MAC over the
/// padded data for 3DES, 8 bytes.
pub fn authentication_token(
    cipher: Cipher,
    ksmac: &[u8],
    protocol_oid: &ObjectIdentifier,
    domain: &CaDomain,
    terminal_public_key: &[u8],
) -> Result<[u8; 8]> {
    let mut inner = asn1::encode_oid(protocol_oid);
    inner.extend(tlv::encode(domain.key_tag(), terminal_public_key));
    let data = tlv::encode(0x7F49, &inner);
    match cipher {
        Cipher::Tdes => retail_mac(ksmac, &pad(&data, 8)),
        _ => aes_cmac8(ksmac, &data),
    }
}

/// What the terminal knows before Chip Authentication (from DG14 or EF.CardSecurity).
#[derive(Clone, Debug)]
pub struct CaParams {
    /// The key agreement group of the chip's key.
    pub domain: CaDomain,
    /// The cipher of the new secure messaging session.
    pub cipher: Cipher,
    /// Version 1 or 2.
    pub version: CaVersion,
    /// MSE:Set KAT or MSE:Set AT + GENERAL AUTHENTICATE.
    pub commands: CaCommands,
    /// The key reference, when the chip has several keys.
    pub key_id: Option<u64>,
    /// The chip's static public key: an uncompressed point, or DH `y`.
    pub chip_public_key: Vec<u8>,
    /// The id-CA-* protocol OID (sent in MSE:Set AT and covered by T_PICC).
    pub protocol_oid: ObjectIdentifier,
}

impl CaParams {
    /// Parameters for the id-CA-* protocol `protocol_oid`; the commands default to MSE:Set KAT
    /// for version 1 with 3DES (as ICAO 9303-11 describes it) and MSE:Set AT + GENERAL
    /// AUTHENTICATE otherwise. Refuses an OID that is not id-CA-DH/ECDH-cipher, one that does
    /// not match the domain, and a chip key that is not a valid key of the domain.
    pub fn new(
        protocol_oid: ObjectIdentifier,
        version: CaVersion,
        domain: CaDomain,
        chip_public_key: Vec<u8>,
        key_id: Option<u64>,
    ) -> Result<CaParams> {
        let protocol = CaProtocol::from_oid(&protocol_oid).ok_or_else(|| {
            ca_err(format!(
                "{protocol_oid} is not a Chip Authentication protocol"
            ))
        })?;
        let cipher = protocol
            .cipher
            .ok_or_else(|| ca_err(format!("{} names a key, not a protocol", protocol.name())))?;
        let commands = if cipher == Cipher::Tdes && version == CaVersion::V1 {
            CaCommands::MseSetKat
        } else {
            CaCommands::MseSetAtGeneralAuthenticate
        };
        let params = CaParams {
            domain,
            cipher,
            version,
            commands,
            key_id,
            chip_public_key,
            protocol_oid,
        };
        params.check()?;
        Ok(params)
    }

    fn check(&self) -> Result<()> {
        match CaProtocol::from_oid(&self.protocol_oid) {
            Some(CaProtocol {
                agreement,
                cipher: Some(c),
            }) if agreement == self.domain.agreement() && c == self.cipher => {}
            _ => {
                return Err(ca_err(format!(
                    "protocol {} does not match a {:?} key with {}",
                    self.protocol_oid,
                    self.domain.agreement(),
                    self.cipher.name()
                )));
            }
        }
        if self.commands == CaCommands::MseSetKat && self.version == CaVersion::V2 {
            return Err(ca_err(
                "version 2 needs GENERAL AUTHENTICATE, not MSE:Set KAT",
            ));
        }
        if self.commands == CaCommands::MseSetKat && self.cipher != Cipher::Tdes {
            // TR-03110-3 B.1: MSE:Set KAT is for 3DES; AES keys use MSE:Set AT + GA.
            return Err(ca_err("MSE:Set KAT is for 3DES only; AES needs MSE:Set AT"));
        }
        self.domain
            .check_public_key(&self.chip_public_key)
            .map_err(|e| ca_err(format!("chip's public key: {e}")))
    }
}

/// The result of Chip Authentication on the terminal side.
#[derive(Debug)]
pub struct CaOutcome {
    /// The new secure messaging session; the old one must not be used again.
    pub sm: SecureMessaging,
    /// The terminal's ephemeral public key as sent (TA version 2 signs over its hash).
    pub terminal_ephemeral_public: Vec<u8>,
    /// r_PICC in version 2 (after T_PICC verified); `None` in version 1.
    pub chip_nonce: Option<Vec<u8>>,
}

fn expect_ok(resp: &Response, step: &str) -> Result<()> {
    if resp.sw == sw::OK {
        Ok(())
    } else {
        Err(Error::status(format!("CA: {step}"), resp.sw))
    }
}

/// Terminal side: runs Chip Authentication through `transmit` (which applies the current secure
/// messaging, if any) and returns the new session. `ephemeral_secret` fixes the terminal's key
/// (for test vectors); `None` draws a random one.
pub fn chip_authentication(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    params: &CaParams,
    ephemeral_secret: Option<&[u8]>,
) -> Result<CaOutcome> {
    params.check()?;
    let domain = &params.domain;
    let secret = match ephemeral_secret {
        Some(s) => domain.private_key(s)?,
        None => domain.random_private_key()?,
    };
    let public = domain.public_key(&secret)?;
    let k = domain.shared_secret(&secret, &params.chip_public_key)?;
    let key_ref = params.key_id.map(uint::to_minimal_be);
    let nonce = match params.commands {
        CaCommands::MseSetKat => {
            let kat = Mse::ca_set_kat(&public, key_ref.as_deref());
            let resp = transmit(&kat.to_command())?;
            expect_ok(&resp, "MSE:Set KAT")?;
            None
        }
        CaCommands::MseSetAtGeneralAuthenticate => {
            let at = Mse::ca_set_at(params.protocol_oid.as_bytes(), key_ref.as_deref());
            let resp = transmit(&at.to_command())?;
            expect_ok(&resp, "MSE:Set AT")?;
            let ga = GeneralAuthenticate::new(false, DataObjects::new().with(TAG_80, &public));
            let resp = transmit(&ga.to_command())?;
            expect_ok(&resp, "GENERAL AUTHENTICATE")?;
            read_ga_response(&resp.data, params.version)?
        }
    };
    let (ksenc, ksmac) = session_keys(params.cipher, &k, nonce.as_ref().map(|(r, _)| r.as_slice()));
    if let Some((_, token)) = &nonce {
        let expected =
            authentication_token(params.cipher, &ksmac, &params.protocol_oid, domain, &public)?;
        if !bool::from(expected.ct_eq(token.as_slice())) {
            return Err(ca_err(
                "T_PICC: the chip's authentication token does not verify",
            ));
        }
    }
    Ok(CaOutcome {
        sm: new_session(params.cipher, &ksenc, &ksmac)?,
        terminal_ephemeral_public: public,
        chip_nonce: nonce.map(|(r, _)| r),
    })
}

/// Reads the GENERAL AUTHENTICATE answer: `7C 00` (or nothing) in version 1; `7C {81 r, 82 T}`
/// with an 8-byte token in version 2.
fn read_ga_response(data: &[u8], version: CaVersion) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
    let bad = |m: String| ca_err(format!("GENERAL AUTHENTICATE response: {m}"));
    if version == CaVersion::V1 && data.is_empty() {
        return Ok(None);
    }
    let dad = parse_template(data).map_err(|e| bad(e.to_string()))?;
    if dad.malformed {
        return Err(bad("malformed dynamic authentication data".into()));
    }
    if version == CaVersion::V1 {
        return match dad.objects.as_slice() {
            [] => Ok(None),
            _ => Err(bad(
                "version 1 expects empty dynamic authentication data".into()
            )),
        };
    }
    let (mut nonce, mut token) = (None, None);
    for (tag, value) in dad.objects {
        match tag {
            TAG_81 if nonce.is_none() => nonce = Some(value),
            TAG_82 if token.is_none() => token = Some(value),
            t => return Err(bad(format!("unexpected data object {t:X}"))),
        }
    }
    match (nonce, token) {
        (Some(r), Some(t)) if !r.is_empty() && t.len() == 8 => Ok(Some((r, t))),
        _ => Err(bad("expected a nonce (81) and an 8-byte token (82)".into())),
    }
}

/// What a successful Chip Authentication gives the chip: the new session, and `Comp` of the
/// terminal's ephemeral public key, which Terminal Authentication binds (BSI TR-03110-1 3.5).
pub struct CaSession {
    /// The secure messaging session to switch to once the answer has gone out.
    pub sm: SecureMessaging,
    /// `Comp(PK~_PCD)`: the x-coordinate (ECDH) or SHA-1 (DH) of the terminal's key.
    pub terminal_key: Vec<u8>,
}

impl std::fmt::Debug for CaSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaSession(keys redacted)")
    }
}

/// Chip side of Chip Authentication: the static key pair and what MSE:Set AT selected.
pub struct CaChip {
    params: CaParams,
    private_key: Zeroizing<Vec<u8>>,
    fixed_nonce: Option<[u8; 8]>,
    selected: bool,
}

impl std::fmt::Debug for CaChip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = &self.params;
        write!(
            f,
            "CaChip({}, {:?}, key redacted)",
            p.protocol_oid, p.version
        )
    }
}

impl CaChip {
    /// A chip with the static private key `private_key` for the id-CA-* protocol `protocol_oid`.
    pub fn new(
        domain: CaDomain,
        private_key: &[u8],
        protocol_oid: ObjectIdentifier,
        version: CaVersion,
        key_id: Option<u64>,
    ) -> Result<CaChip> {
        let private_key = domain.private_key(private_key)?;
        let public_key = domain.public_key(&private_key)?;
        Ok(CaChip {
            params: CaParams::new(protocol_oid, version, domain, public_key, key_id)?,
            private_key,
            fixed_nonce: None,
            selected: false,
        })
    }

    /// A chip whose EC key comes from a PKCS#8 PrivateKeyInfo (named or explicit curve), as
    /// the BSI reference data set ships the DG14 key.
    pub fn from_pkcs8_der(
        der: &[u8],
        protocol_oid: ObjectIdentifier,
        version: CaVersion,
        key_id: Option<u64>,
    ) -> Result<CaChip> {
        let (curve, scalar) = crate::crypto::keys::ec_private_key_from_pkcs8(der)?;
        CaChip::new(CaDomain::Ec(curve), &scalar, protocol_oid, version, key_id)
    }

    /// Uses `nonce` as r_PICC instead of a random one (for test vectors).
    pub fn with_fixed_nonce(mut self, nonce: [u8; 8]) -> CaChip {
        self.fixed_nonce = Some(nonce);
        self
    }

    /// The static public key, as DG14 publishes it.
    pub fn public_key(&self) -> &[u8] {
        &self.params.chip_public_key
    }

    /// The parameters a terminal builds from this chip's DG14 (with the default commands).
    pub fn terminal_params(&self) -> &CaParams {
        &self.params
    }

    fn check_key_ref(&self, value: &[u8]) -> ChipResult<()> {
        match (uint::from_be(value), self.params.key_id) {
            (Some(a), Some(b)) if a == b => Ok(()),
            _ => Err(ChipError::reference_not_found("CA: unknown key reference")),
        }
    }

    /// KSenc and KSmac from the terminal's key; a key off the curve or group is refused.
    fn agree(
        &self,
        terminal_public: &[u8],
        nonce: Option<&[u8]>,
    ) -> ChipResult<[Zeroizing<Vec<u8>>; 2]> {
        let k = (self.params.domain)
            .shared_secret(&self.private_key, terminal_public)
            .map_err(|_| ChipError::wrong_data("CA: terminal's public key is not valid"))?;
        let (ksenc, ksmac) = session_keys(self.params.cipher, &k, nonce);
        Ok([ksenc, ksmac])
    }

    /// The new session under `keys`, bound to the terminal's key.
    fn session(
        &self,
        keys: &[Zeroizing<Vec<u8>>; 2],
        terminal_public: &[u8],
    ) -> ChipResult<CaSession> {
        let agreement = self.params.domain.agreement();
        let internal = |_| ChipError::internal("CA: new session");
        Ok(CaSession {
            sm: new_session(self.params.cipher, &keys[0], &keys[1]).map_err(internal)?,
            terminal_key: crate::access::ta::compress(agreement, terminal_public)
                .map_err(internal)?,
        })
    }

    /// MSE:Set KAT (version 1, 3DES): returns the new session. The chip answers 9000 under the
    /// old keys, then switches.
    pub fn set_kat(&self, data: &[u8]) -> ChipResult<CaSession> {
        if self.params.version != CaVersion::V1 || self.params.cipher != Cipher::Tdes {
            return Err(ChipError::conditions(
                "CA: MSE:Set KAT is for version 1 with 3DES",
            ));
        }
        let crt = DataObjects::parse(data);
        let mut public = None;
        for (tag, value) in &crt.objects {
            match *tag {
                TAG_EPHEMERAL_KEY if public.is_none() => public = Some(value.as_slice()),
                TAG_PRIVATE_REFERENCE => self.check_key_ref(value)?,
                _ => return Err(ChipError::wrong_data("CA: unexpected data in MSE:Set KAT")),
            }
        }
        if crt.malformed {
            return Err(ChipError::wrong_data("CA: malformed MSE:Set KAT"));
        }
        let public = public.ok_or(ChipError::wrong_data("CA: MSE:Set KAT without key"))?;
        self.session(&self.agree(public, None)?, public)
    }

    /// MSE:Set AT for Chip Authentication: checks the protocol OID and key reference.
    pub fn set_at(&mut self, data: &[u8]) -> ChipResult<()> {
        self.selected = false;
        let crt = DataObjects::parse(data);
        let mut oid_ok = false;
        for (tag, value) in &crt.objects {
            match *tag {
                TAG_MECHANISM if value == self.params.protocol_oid.as_bytes() => oid_ok = true,
                TAG_MECHANISM => {
                    return Err(ChipError::reference_not_found("CA: protocol not supported"));
                }
                TAG_PRIVATE_REFERENCE => self.check_key_ref(value)?,
                _ => return Err(ChipError::wrong_data("CA: unexpected data in MSE:Set AT")),
            }
        }
        if crt.malformed {
            return Err(ChipError::wrong_data("CA: malformed MSE:Set AT"));
        }
        if !oid_ok {
            return Err(ChipError::wrong_data("CA: MSE:Set AT without protocol"));
        }
        self.selected = true;
        Ok(())
    }

    /// GENERAL AUTHENTICATE after MSE:Set AT: returns the response data (`7C 00` in version 1,
    /// `7C {81 r_PICC, 82 T_PICC}` in version 2) and the new session, which starts after this
    /// response has gone out under the old keys.
    pub fn general_authenticate(&mut self, data: &[u8]) -> ChipResult<(Vec<u8>, CaSession)> {
        if !std::mem::take(&mut self.selected) {
            return Err(ChipError::conditions(
                "CA: GENERAL AUTHENTICATE without MSE:Set AT",
            ));
        }
        let malformed = || ChipError::wrong_data("CA: malformed dynamic authentication data");
        let dad = parse_template(data).map_err(|_| malformed())?;
        let public = match dad.objects.as_slice() {
            [(TAG_80, public)] if !dad.malformed => public.as_slice(),
            _ => return Err(malformed()),
        };
        if self.params.version == CaVersion::V1 {
            let keys = self.agree(public, None)?;
            let empty = encode_template(&DataObjects::new());
            return Ok((empty, self.session(&keys, public)?));
        }
        let nonce = match self.fixed_nonce {
            Some(n) => n,
            None => random8().map_err(|_| ChipError::internal("CA: no randomness"))?,
        };
        let keys = self.agree(public, Some(&nonce))?;
        let p = &self.params;
        let token = authentication_token(p.cipher, &keys[1], &p.protocol_oid, &p.domain, public)
            .map_err(|_| ChipError::internal("CA: authentication token"))?;
        let answer = DataObjects::new().with(TAG_81, &nonce).with(TAG_82, &token);
        Ok((encode_template(&answer), self.session(&keys, public)?))
    }
}
