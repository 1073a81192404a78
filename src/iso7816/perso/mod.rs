//! The personalization commands an issuing station writes a blank chip with, both roles:
//! CREATE FILE (ISO/IEC 7816-9 clause 6.1), UPDATE BINARY (ISO/IEC 7816-4 clause 11.3.5; odd
//! INS D7 with the offset in DO 54 and the data in DO 53) and PUT DATA (ISO/IEC 7816-4 clause
//! 11.4.7), coded as the JMRTD passport applet (AID A0 00 00 02 47 10 01) codes them wherever
//! it defines a command, and dactyl's own PUT DATA objects (P1 = DC, a value the applet does
//! not use) for what the applet lacks.
//!
//! The applet's codings (the table in the README lists them with dactyl's differences):
//! - CREATE FILE `00 E0 00 00 06 | 63 04 <size:2> <fid:2>`;
//! - UPDATE BINARY `00 D6 <offset:P1P2> Lc <data>` (offsets up to 7FFF);
//! - PUT DATA `00 DA 00 62 | 62 L {04 09 <document number> 04 06 <birth YYMMDD> 04 06 <expiry
//!   YYMMDD>}`: the BAC key seed, computed by the chip;
//! - PUT DATA `00 DA 00 60` / `00 DA 00 61`: the RSA Active Authentication modulus / private
//!   exponent, `<P2> 00 04 81 80 <128 bytes>` (the outer length byte is 00 on that applet);
//! - PUT DATA `00 DA 01 64` / `00 DA 02 64`: a trusted CVCA certificate in slot 1 or 2;
//! - PUT DATA `00 DA DE AD`: lock; then every personalization command answers 6985.
//!
//! dactyl's own chips lock only with the personalization digest ([`digest`]): `00 DA DE AD
//! 22 | DC 20 <SHA-256 digest>`, refused (6984) when it differs from what the chip holds. And
//! they start over on `00 DA DC 00` (no data): every file and object written is forgotten, so
//! a writer re-running after a fault cannot be stopped by what a corrupted command left.
//!
//! The chip-side parsers refuse with a [`ChipError`]; the virtual chip turns it into the
//! status word (6700 wrong length, 6984 data invalid, 6A80 wrong data, 6A86 wrong P1-P2).

pub mod digest;
pub mod reference;

pub use digest::{DIGEST_LEN, PersoFile, PersoObject, TAG_LOCK_DIGEST, perso_digest};
pub use reference::ReferenceObject;

use super::read_binary::{TAG_DATA, TAG_OFFSET};
use super::refusal::{ChipError, ChipResult, Refusal};
use crate::apdu::Command;
use crate::error::{Error, Result};
use crate::tlv::{self, Tlv};
use crate::uint;
use zeroize::Zeroizing;

/// CREATE FILE.
pub const INS_CREATE_FILE: u8 = 0xE0;
/// UPDATE BINARY, offset in P1-P2.
pub const INS_UPDATE_BINARY: u8 = 0xD6;
/// UPDATE BINARY, offset in DO 54 and data in DO 53.
pub const INS_UPDATE_BINARY_ODD: u8 = 0xD7;
/// PUT DATA.
pub const INS_PUT_DATA: u8 = 0xDA;
/// The JMRTD passport applet's application identifier.
pub const JMRTD_APPLET_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];
/// The largest offset UPDATE BINARY D6 carries in P1-P2.
pub const MAX_EVEN_OFFSET: usize = 0x7FFF;
/// The largest file CREATE FILE's two size bytes describe on the JMRTD applet.
pub const JMRTD_MAX_FILE: usize = 0x7FFF;
/// The most data the JMRTD applet takes in one UPDATE BINARY.
pub const JMRTD_MAX_UPDATE: usize = 255;

const NO_UPDATE_DATA: ChipError = ChipError::wrong_length("UPDATE BINARY without data");
const BAD_ODD_UPDATE: ChipError = ChipError::wrong_data("UPDATE BINARY D7: not DO 54 then DO 53");
const BAD_KEY: ChipError = ChipError::wrong_data("PUT DATA: malformed key object");
const BAD_FIELD: ChipError = ChipError::wrong_data("PUT DATA: malformed field");

/// The file control parameter tag of the applet's CREATE FILE data.
const TAG_FCP: u8 = 0x63;
/// P1 of dactyl's own PUT DATA objects.
pub const P1_DACTYL: u8 = 0xDC;
/// P2 of dactyl's "start over" (with P1 = DC, no data).
pub const P2_START_OVER: u8 = 0x00;

/// CREATE FILE: an elementary file of `size` bytes under `fid`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreateFile {
    /// The file identifier.
    pub fid: u16,
    /// The size in bytes.
    pub size: u16,
}

impl CreateFile {
    /// The command.
    pub fn command(&self) -> Command {
        let [s1, s2] = self.size.to_be_bytes();
        let [f1, f2] = self.fid.to_be_bytes();
        Command::new(0x00, INS_CREATE_FILE, 0x00, 0x00).with_data([TAG_FCP, 0x04, s1, s2, f1, f2])
    }

    /// Chip side: the file to create, or the refusal (wrong length for data shorter or longer
    /// than six bytes, data invalid for another tag, wrong P1-P2 for other than 0000).
    pub fn parse(cmd: &Command) -> ChipResult<CreateFile> {
        if (cmd.p1, cmd.p2) != (0, 0) {
            return Err(ChipError::wrong_p1p2("CREATE FILE: P1-P2 must be 0000"));
        }
        match cmd.data.as_slice() {
            [TAG_FCP, 0x04, s1, s2, f1, f2] => Ok(CreateFile {
                size: u16::from_be_bytes([*s1, *s2]),
                fid: u16::from_be_bytes([*f1, *f2]),
            }),
            [_, _, _, _, _, _] => Err(ChipError::new(
                Refusal::DataInvalid,
                "CREATE FILE: not the 63 04 coding",
            )),
            _ => Err(ChipError::wrong_length(
                "CREATE FILE: the data is six bytes",
            )),
        }
    }
}

/// UPDATE BINARY of the current file: `data` written at `offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateBinary {
    /// Where the data goes.
    pub offset: usize,
    /// The bytes written.
    pub data: Vec<u8>,
}

impl UpdateBinary {
    /// Bytes the odd-INS data objects add around `n` data bytes at `offset`.
    pub fn odd_overhead(offset: usize, n: usize) -> usize {
        let offset_len = uint::to_minimal_be(offset as u64).len().max(1);
        2 + offset_len + 1 + tlv::encode_len(n).len()
    }

    /// The command: D6 with the offset in P1-P2 up to 7FFF, D7 with DO 54 / DO 53 beyond.
    pub fn command(&self) -> Result<Command> {
        if self.data.is_empty() {
            return Err(Error::Usage("UPDATE BINARY without data".into()));
        }
        if self.offset <= MAX_EVEN_OFFSET {
            let [p1, p2] = (self.offset as u16).to_be_bytes();
            return Ok(Command::new(0x00, INS_UPDATE_BINARY, p1, p2).with_data(self.data.clone()));
        }
        if self.offset > 0xFF_FFFF {
            return Err(Error::Usage(format!(
                "UPDATE BINARY offset {} beyond three bytes",
                self.offset
            )));
        }
        let mut data = tlv::encode(TAG_OFFSET, &uint::to_minimal_be(self.offset as u64));
        data.extend(tlv::encode(TAG_DATA, &self.data));
        Ok(Command::new(0x00, INS_UPDATE_BINARY_ODD, 0x00, 0x00).with_data(data))
    }

    /// Chip side: what to write, or the refusal. A short EF identifier in P1 is refused (wrong
    /// P1-P2: files are selected first), as is an odd command naming a file.
    pub fn parse(cmd: &Command) -> ChipResult<UpdateBinary> {
        match cmd.ins {
            INS_UPDATE_BINARY => {
                if cmd.p1 & 0x80 != 0 {
                    return Err(ChipError::wrong_p1p2(
                        "UPDATE BINARY: no short EF identifier",
                    ));
                }
                if cmd.data.is_empty() {
                    return Err(NO_UPDATE_DATA);
                }
                Ok(UpdateBinary {
                    offset: usize::from(u16::from_be_bytes([cmd.p1, cmd.p2])),
                    data: cmd.data.clone(),
                })
            }
            INS_UPDATE_BINARY_ODD => {
                if (cmd.p1, cmd.p2) != (0, 0) {
                    return Err(ChipError::wrong_p1p2(
                        "UPDATE BINARY D7: P1-P2 must be 0000",
                    ));
                }
                let (offset, rest) = Tlv::parse(&cmd.data).map_err(|_| BAD_ODD_UPDATE)?;
                let (data, rest) = Tlv::parse(rest).map_err(|_| BAD_ODD_UPDATE)?;
                if offset.tag != TAG_OFFSET || data.tag != TAG_DATA || !rest.is_empty() {
                    return Err(BAD_ODD_UPDATE);
                }
                let offset = match offset.value.len() {
                    1..=3 => uint::from_be(offset.value).ok_or(BAD_ODD_UPDATE)?,
                    _ => return Err(BAD_ODD_UPDATE),
                };
                if data.value.is_empty() {
                    return Err(NO_UPDATE_DATA);
                }
                Ok(UpdateBinary {
                    offset: usize::try_from(offset).map_err(|_| BAD_ODD_UPDATE)?,
                    data: data.value.to_vec(),
                })
            }
            _ => Err(ChipError::new(
                Refusal::InsNotSupported,
                "not an UPDATE BINARY",
            )),
        }
    }
}

/// dactyl's own PUT DATA objects (P1 = DC, P2 = the object).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum DactylObject {
    /// The card access number, ASCII digits.
    Can = 0x01,
    /// The Chip Authentication private key on a prime curve.
    ChipAuthenticationKey = 0x03,
    /// An ECDSA Active Authentication private key.
    ActiveAuthenticationEcKey = 0x04,
    /// The chip's current date for Terminal Authentication (six unpacked BCD digits YYMMDD).
    CurrentDate = 0x05,
}

impl DactylObject {
    fn from_p2(p2: u8) -> Option<DactylObject> {
        use DactylObject::*;
        [
            Can,
            ChipAuthenticationKey,
            ActiveAuthenticationEcKey,
            CurrentDate,
        ]
        .into_iter()
        .find(|o| *o as u8 == p2)
    }
}

/// An elliptic-curve private key for the chip: `80 01 <standardized domain parameter id>
/// 81 L <private scalar> [84 01 <key id>]`.
#[derive(Clone, PartialEq, Eq)]
pub struct ChipEcKey {
    /// The standardized domain parameter identifier (ICAO Doc 9303-11 clause 9.5.1).
    pub parameter_id: u8,
    /// The private scalar, big-endian.
    pub scalar: Zeroizing<Vec<u8>>,
    /// The key identifier (Chip Authentication with more than one key).
    pub key_id: Option<u8>,
}

impl std::fmt::Debug for ChipEcKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChipEcKey")
            .field("parameter_id", &self.parameter_id)
            .field("scalar", &"<secret>")
            .field("key_id", &self.key_id)
            .finish()
    }
}

impl ChipEcKey {
    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(tlv::encode(0x80, &[self.parameter_id]));
        out.extend(tlv::encode(0x81, &self.scalar));
        if let Some(id) = self.key_id {
            out.extend(tlv::encode(0x84, &[id]));
        }
        out
    }

    fn parse(data: &[u8]) -> ChipResult<ChipEcKey> {
        let (mut parameter_id, mut scalar, mut key_id) = (None, None, None);
        let mut rest = data;
        while !rest.is_empty() {
            let (obj, next) = Tlv::parse(rest).map_err(|_| BAD_KEY)?;
            rest = next;
            match (obj.tag, obj.value) {
                (0x80, [id]) if parameter_id.is_none() => parameter_id = Some(*id),
                (0x81, s) if scalar.is_none() && !s.is_empty() => {
                    scalar = Some(Zeroizing::new(s.to_vec()))
                }
                (0x84, [id]) if key_id.is_none() => key_id = Some(*id),
                _ => return Err(BAD_KEY),
            }
        }
        Ok(ChipEcKey {
            parameter_id: parameter_id.ok_or(BAD_KEY)?,
            scalar: scalar.ok_or(BAD_KEY)?,
            key_id,
        })
    }
}

/// One PUT DATA of personalization.
#[derive(Clone, PartialEq, Eq)]
pub enum PutData {
    /// `00 62`: the BAC key seed inputs; the chip computes check digits and K_seed.
    BacKeySeed {
        /// The document number, '<'-filled to at least nine characters.
        document_number: String,
        /// Date of birth, YYMMDD.
        date_of_birth: String,
        /// Date of expiry, YYMMDD.
        date_of_expiry: String,
    },
    /// `00 60`: the RSA Active Authentication modulus.
    AaRsaModulus(Vec<u8>),
    /// `00 61`: the RSA Active Authentication private exponent.
    AaRsaPrivateExponent(Zeroizing<Vec<u8>>),
    /// `01 64` / `02 64`: a trusted CVCA certificate in slot 1 or 2.
    TrustedCvca {
        /// The slot, 1 or 2.
        slot: u8,
        /// The CV certificate (7F21).
        certificate: Vec<u8>,
    },
    /// `DE AD` without data: lock the chip for good, as the JMRTD applet takes it.
    Lock,
    /// `DE AD` with `DC 20 <digest>`: lock, if the chip holds what the personalization
    /// digest ([`perso_digest`]) says was written (dactyl's own chips lock only so).
    LockWithDigest([u8; DIGEST_LEN]),
    /// `DC 00` without data: start over, before the lock: the chip forgets every file and
    /// object written (dactyl's chips; a re-run after a fault begins with it).
    StartOver,
    /// `DC 01`: the card access number.
    Can(String),
    /// `DC 03`: the Chip Authentication private key.
    ChipAuthenticationKey(ChipEcKey),
    /// `DC 04`: an ECDSA Active Authentication private key.
    ActiveAuthenticationEcKey(ChipEcKey),
    /// `DC 05`: the chip's current date, YYMMDD digits.
    CurrentDate([u8; 6]),
    /// `DC 81`..`DC 8F`: a match-on-card reference, P2 its qualifier ([`ReferenceObject`]).
    BiometricReference(ReferenceObject),
}

impl std::fmt::Debug for PutData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PutData::AaRsaPrivateExponent(_) => f.write_str("AaRsaPrivateExponent(<secret>)"),
            PutData::Can(_) => f.write_str("Can(<secret>)"),
            PutData::BacKeySeed { .. } => f.write_str("BacKeySeed(<secret>)"),
            PutData::ChipAuthenticationKey(k) => write!(f, "ChipAuthenticationKey({k:?})"),
            PutData::ActiveAuthenticationEcKey(k) => write!(f, "ActiveAuthenticationEcKey({k:?})"),
            PutData::AaRsaModulus(m) => write!(f, "AaRsaModulus({} bytes)", m.len()),
            PutData::TrustedCvca { slot, certificate } => {
                write!(f, "TrustedCvca(slot {slot}, {} bytes)", certificate.len())
            }
            PutData::Lock => f.write_str("Lock"),
            PutData::StartOver => f.write_str("StartOver"),
            PutData::LockWithDigest(d) => write!(f, "LockWithDigest({})", hex::encode_upper(d)),
            PutData::CurrentDate(d) => write!(f, "CurrentDate({:?})", d),
            PutData::BiometricReference(r) => write!(f, "BiometricReference({r:?})"),
        }
    }
}

fn ascii_field(value: &[u8]) -> ChipResult<String> {
    std::str::from_utf8(value)
        .ok()
        .filter(|s| {
            s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<')
        })
        .map(str::to_string)
        .ok_or(BAD_FIELD)
}

fn is_yymmdd(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `<tag> 00 04 <BER length> <value>`: the applet's coding of an RSA key part.
fn applet_key_part(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag, 0x00];
    out.extend(tlv::encode(0x04, value));
    out
}

fn parse_applet_key_part(tag: u8, data: &[u8]) -> ChipResult<Vec<u8>> {
    // The applet's own writer sends an outer length of 00; a correct length is accepted too.
    let inner = match data {
        [t, 0x00, inner @ ..] if *t == tag => inner,
        [t, ..] if *t == tag => Tlv::parse_exact(data).map_err(|_| BAD_KEY)?.value,
        _ => return Err(BAD_KEY),
    };
    let octets = Tlv::parse_exact(inner).map_err(|_| BAD_KEY)?;
    if octets.tag != 0x04 || octets.value.is_empty() {
        return Err(BAD_KEY);
    }
    Ok(octets.value.to_vec())
}

impl PutData {
    /// P1 and P2.
    pub fn p1p2(&self) -> (u8, u8) {
        match self {
            PutData::BacKeySeed { .. } => (0x00, 0x62),
            PutData::AaRsaModulus(_) => (0x00, 0x60),
            PutData::AaRsaPrivateExponent(_) => (0x00, 0x61),
            PutData::TrustedCvca { slot, .. } => (*slot, 0x64),
            PutData::Lock | PutData::LockWithDigest(_) => (0xDE, 0xAD),
            PutData::StartOver => (P1_DACTYL, P2_START_OVER),
            PutData::Can(_) => (P1_DACTYL, DactylObject::Can as u8),
            PutData::ChipAuthenticationKey(_) => {
                (P1_DACTYL, DactylObject::ChipAuthenticationKey as u8)
            }
            PutData::ActiveAuthenticationEcKey(_) => {
                (P1_DACTYL, DactylObject::ActiveAuthenticationEcKey as u8)
            }
            PutData::CurrentDate(_) => (P1_DACTYL, DactylObject::CurrentDate as u8),
            PutData::BiometricReference(r) => (P1_DACTYL, r.qualifier),
        }
    }

    /// The command. Refuses values the chip could not take (a document number of more than
    /// nine characters is sent as it is; dates must be YYMMDD).
    pub fn command(&self) -> Result<Command> {
        let bad = |m: String| Err(Error::Usage(format!("PUT DATA: {m}")));
        let data: Vec<u8> = match self {
            PutData::BacKeySeed {
                document_number,
                date_of_birth,
                date_of_expiry,
            } => {
                if !is_yymmdd(date_of_birth) || !is_yymmdd(date_of_expiry) {
                    return bad("dates must be YYMMDD".into());
                }
                if document_number.is_empty() || !document_number.is_ascii() {
                    return bad(format!("document number {document_number:?}"));
                }
                let mut number = document_number.clone();
                while number.len() < 9 {
                    number.push('<');
                }
                let mut inner = tlv::encode(0x04, number.as_bytes());
                inner.extend(tlv::encode(0x04, date_of_birth.as_bytes()));
                inner.extend(tlv::encode(0x04, date_of_expiry.as_bytes()));
                tlv::encode(0x62, &inner)
            }
            PutData::AaRsaModulus(m) => applet_key_part(0x60, m),
            PutData::AaRsaPrivateExponent(d) => applet_key_part(0x61, d),
            PutData::TrustedCvca { slot, certificate } => {
                if !matches!(slot, 1 | 2) {
                    return bad(format!("CVCA slot {slot} (1 or 2)"));
                }
                certificate.clone()
            }
            PutData::Lock | PutData::StartOver => Vec::new(),
            PutData::LockWithDigest(d) => tlv::encode(u32::from(TAG_LOCK_DIGEST), d),
            PutData::Can(can) => {
                if can.is_empty() || !can.bytes().all(|b| b.is_ascii_digit()) {
                    return bad("the CAN must be digits".into());
                }
                can.as_bytes().to_vec()
            }
            PutData::ChipAuthenticationKey(k) | PutData::ActiveAuthenticationEcKey(k) => {
                k.encode().to_vec()
            }
            PutData::CurrentDate(d) => {
                if d.iter().any(|&b| b > 9) {
                    return bad("the date must be six unpacked BCD digits".into());
                }
                d.to_vec()
            }
            PutData::BiometricReference(r) => {
                if !reference::QUALIFIERS.contains(&r.qualifier) {
                    return bad(format!(
                        "reference qualifier {:02X} (81 to 8F)",
                        r.qualifier
                    ));
                }
                r.encode()
            }
        };
        let (p1, p2) = self.p1p2();
        let cmd = Command::new(0x00, INS_PUT_DATA, p1, p2);
        Ok(if data.is_empty() {
            cmd
        } else {
            cmd.with_data(data)
        })
    }

    /// Chip side: the object, or the refusal (wrong P1-P2 for an unknown object, wrong data
    /// for data that does not parse, wrong length for missing data).
    pub fn parse(cmd: &Command) -> ChipResult<PutData> {
        let data = cmd.data.as_slice();
        let bad = |reason| Err(ChipError::wrong_data(reason));
        if (cmd.p1, cmd.p2) == (0xDE, 0xAD) {
            return match data {
                [] => Ok(PutData::Lock),
                [TAG_LOCK_DIGEST, 0x20, digest @ ..] => {
                    match <[u8; DIGEST_LEN]>::try_from(digest) {
                        Ok(d) => Ok(PutData::LockWithDigest(d)),
                        Err(_) => bad("lock: DO DC of 32 bytes"),
                    }
                }
                _ => bad("lock: DO DC of 32 bytes"),
            };
        }
        if (cmd.p1, cmd.p2) == (P1_DACTYL, P2_START_OVER) {
            return match data {
                [] => Ok(PutData::StartOver),
                _ => Err(ChipError::wrong_length("start over takes no data")),
            };
        }
        if data.is_empty() {
            return Err(if Self::known(cmd.p1, cmd.p2) {
                ChipError::wrong_length("PUT DATA without data")
            } else {
                ChipError::wrong_p1p2("PUT DATA: unknown object")
            });
        }
        Ok(match (cmd.p1, cmd.p2) {
            (0x00, 0x62) => {
                let seed = Tlv::parse_exact(data).map_err(|_| BAD_FIELD)?;
                if seed.tag != 0x62 {
                    return bad("BAC seed: not DO 62");
                }
                let fields: Vec<Tlv> = seed
                    .children()
                    .collect::<crate::error::Result<_>>()
                    .map_err(|_| BAD_FIELD)?;
                let [number, birth, expiry] = fields.as_slice() else {
                    return bad("BAC seed: three fields");
                };
                if [number.tag, birth.tag, expiry.tag] != [0x04; 3] || number.value.len() < 9 {
                    return bad("BAC seed: three DO 04, a number of nine or more");
                }
                let (date_of_birth, date_of_expiry) =
                    (ascii_field(birth.value)?, ascii_field(expiry.value)?);
                if !is_yymmdd(&date_of_birth) || !is_yymmdd(&date_of_expiry) {
                    return bad("BAC seed: dates are YYMMDD");
                }
                PutData::BacKeySeed {
                    document_number: ascii_field(number.value)?,
                    date_of_birth,
                    date_of_expiry,
                }
            }
            (0x00, 0x60) => PutData::AaRsaModulus(parse_applet_key_part(0x60, data)?),
            (0x00, 0x61) => {
                PutData::AaRsaPrivateExponent(Zeroizing::new(parse_applet_key_part(0x61, data)?))
            }
            (slot @ (0x01 | 0x02), 0x64) => {
                let cert = Tlv::parse_exact(data).map_err(|_| BAD_FIELD)?;
                if cert.tag != 0x7F21 {
                    return bad("CVCA: not a CV certificate (7F21)");
                }
                PutData::TrustedCvca {
                    slot,
                    certificate: data.to_vec(),
                }
            }
            (P1_DACTYL, p2) if reference::QUALIFIERS.contains(&p2) => {
                PutData::BiometricReference(ReferenceObject::parse(p2, data)?)
            }
            (P1_DACTYL, p2) => match DactylObject::from_p2(p2)
                .ok_or(ChipError::wrong_p1p2("PUT DATA: unknown dactyl object"))?
            {
                DactylObject::Can => {
                    if !data.iter().all(u8::is_ascii_digit) {
                        return bad("CAN: digits only");
                    }
                    PutData::Can(String::from_utf8_lossy(data).into_owned())
                }
                DactylObject::ChipAuthenticationKey => {
                    PutData::ChipAuthenticationKey(ChipEcKey::parse(data)?)
                }
                DactylObject::ActiveAuthenticationEcKey => {
                    PutData::ActiveAuthenticationEcKey(ChipEcKey::parse(data)?)
                }
                DactylObject::CurrentDate => match <[u8; 6]>::try_from(data) {
                    Ok(d) if d.iter().all(|&b| b <= 9) => PutData::CurrentDate(d),
                    _ => return bad("date: six unpacked BCD digits"),
                },
            },
            _ => return Err(ChipError::wrong_p1p2("PUT DATA: unknown object")),
        })
    }

    fn known(p1: u8, p2: u8) -> bool {
        matches!((p1, p2), (0x00, 0x60..=0x62) | (0x01 | 0x02, 0x64))
            || (p1 == P1_DACTYL
                && (DactylObject::from_p2(p2).is_some() || reference::QUALIFIERS.contains(&p2)))
    }
}

#[cfg(test)]
mod tests;
