//! Match-on-card on the virtual chip (ISO/IEC 7816-11 clause 5.1, static verification with
//! VERIFY; ISO/IEC 7816-4 clauses 11.5.6 VERIFY and 11.4.3 GET DATA; MINEX II coding of NIST
//! BiomDI): per enrolled finger a reference of compact card minutiae (ISO/IEC 19794-2:2005
//! clause 8.2) with its threshold, qualifier and retry counter. The reference and its threshold
//! are never readable: no command answers them, in any state.
//!
//! * GET DATA `00 CA 7F 61 00` or `00 CB 3F FF 04 5C 02 7F 61 00`: the BIT group
//!   ([`crate::lds::moc_bit`]), under secure messaging only (6982 without it); any other tag,
//!   or a chip without references, 6A88.
//! * VERIFY `00 21 00 <qualifier>` with `7F2E {81|90 <3n bytes>}`, under secure messaging
//!   only (6982): 9000 a match (the counter goes back to 3), `63Cx` a miss with x tries left,
//!   6983 once blocked (whatever the probe), 6A88 no such reference, 6A80 a malformed object,
//!   a length not a multiple of 3, fewer minutiae than the BAPT minimum or more than its
//!   maximum, 6700 more than [`MAX_VERIFY_DATA`] bytes, 6A86 P1 not 00. Without data VERIFY
//!   answers the state and spends no try: `63Cx` (x tries left; dactyl does not use the
//!   7816-4 "already verified" 9000, as a match opens nothing) or 6983.
//! * Command chaining (CLA bit 10): each link is answered 9000 and the chip verifies the
//!   joined data on the last. A chain is broken by any other command before its last link,
//!   or by a link to another qualifier: that command gets 6883 (last command of the chain
//!   expected, ISO/IEC 7816-4 clause 5.6) and the chain is dropped, no try spent.
//!
//! The outcomes of a verification (9000, `63Cx`, 6983) are the reference's state, not
//! refusals; they are answered here. The tries left belong to the chip, not to a session: they
//! survive resets and new sessions of the running chip, and [`VirtualChip::reference_tries`]
//! gives them to whoever saves the chip
//! ([`ChipImage::with_tries_of`](super::ChipImage::with_tries_of)).

use super::chip::VirtualChip;
use crate::apdu::{Command, Response, sw};
use crate::biometrics::compact::{self, CardFormat, CardMinutia};
use crate::biometrics::comparator::compare;
use crate::error::{Error, Result};
use crate::iso7816::refusal::{ChipError, ChipResult};
use crate::issuance::chip_image::BiometricReferenceConfig;
use crate::lds::moc_bit::{self, MocBit, MocReference, position_of};
use crate::tlv::Tlv;
use zeroize::Zeroizing;

/// VERIFY with BER-TLV data (odd instruction).
pub const INS_VERIFY: u8 = 0x21;
/// GET DATA, tag in P1-P2.
pub const INS_GET_DATA: u8 = 0xCA;
/// GET DATA, tag list in the data field.
pub const INS_GET_DATA_ODD: u8 = 0xCB;
/// Tries a reference has when it is enrolled or after a match.
pub const MAX_TRIES: u8 = 3;
/// The most data a VERIFY (chained or not) carries.
pub const MAX_VERIFY_DATA: usize = 1024;
/// 7816-4: last command of the chain expected.
const LAST_OF_CHAIN_EXPECTED: u16 = 0x6883;
const CLA_CHAINING: u8 = 0x10;
const BIT_GROUP_TAG: u16 = 0x7F61;

/// One enrolled reference.
pub(super) struct Reference {
    qualifier: u8,
    subtype: u8,
    threshold: u32,
    /// Compact card minutiae, 3 bytes each.
    minutiae: Zeroizing<Vec<u8>>,
    tries_left: u8,
}

/// The chip's references, kept across sessions and resets.
#[derive(Default)]
pub(super) struct MocState {
    references: Vec<Reference>,
}

fn bad(m: String) -> Error {
    Error::ChipImage(format!("biometric reference: {m}"))
}

impl Reference {
    fn from_config(c: &BiometricReferenceConfig) -> Result<Reference> {
        let q = c.qualifier;
        if position_of(c.subtype).is_none() {
            return Err(bad(format!(
                "{q:02X}: subtype {:02X} names no finger",
                c.subtype
            )));
        }
        if c.tries_left > MAX_TRIES {
            return Err(bad(format!(
                "{q:02X}: {} tries left, at most 3",
                c.tries_left
            )));
        }
        let bytes = Zeroizing::new(
            hex::decode(c.minutiae.split_whitespace().collect::<String>())
                .map_err(|e| bad(format!("{q:02X}: minutiae: {e}")))?,
        );
        let count = compact::decode(CardFormat::Compact, &bytes)?.len();
        let params = moc_bit::dactyl_parameters();
        let (min, max) = (
            usize::from(params.min_minutiae.unwrap_or(0)),
            usize::from(params.max_minutiae.unwrap_or(u8::MAX)),
        );
        if !(min..=max).contains(&count) {
            return Err(bad(format!(
                "{q:02X}: {count} minutiae, the chip takes {min} to {max}"
            )));
        }
        Ok(Reference {
            qualifier: q,
            subtype: c.subtype,
            threshold: c.threshold,
            minutiae: bytes,
            tries_left: c.tries_left,
        })
    }
}

impl MocState {
    /// The references of a chip image; qualifiers must differ.
    pub(super) fn from_configs(configs: &[BiometricReferenceConfig]) -> Result<MocState> {
        let mut references: Vec<Reference> = Vec::with_capacity(configs.len());
        for c in configs {
            if references.iter().any(|r| r.qualifier == c.qualifier) {
                return Err(bad(format!("qualifier {:02X} given twice", c.qualifier)));
            }
            references.push(Reference::from_config(c)?);
        }
        Ok(MocState { references })
    }

    fn bit(&self) -> MocBit {
        MocBit::new(
            self.references
                .iter()
                .map(|r| {
                    MocReference::compact_finger(
                        r.qualifier,
                        r.subtype,
                        moc_bit::dactyl_parameters(),
                    )
                })
                .collect(),
        )
    }
}

/// The tag a GET DATA asks for.
fn get_data_tag(cmd: &Command) -> ChipResult<u16> {
    let p1p2 = u16::from_be_bytes([cmd.p1, cmd.p2]);
    if cmd.ins == INS_GET_DATA {
        return Ok(p1p2);
    }
    if p1p2 != 0x3FFF {
        return Err(ChipError::wrong_p1p2(
            "GET DATA CB: P1-P2 3FFF (current DF)",
        ));
    }
    let list = Tlv::parse_exact(&cmd.data)
        .map_err(|_| ChipError::wrong_data("GET DATA CB: a tag list 5C"))?;
    match (list.tag, list.value) {
        (0x5C, [a, b]) => Ok(u16::from_be_bytes([*a, *b])),
        (0x5C, [a]) => Ok(u16::from(*a)),
        _ => Err(ChipError::wrong_data("GET DATA CB: one tag in 5C")),
    }
}

/// The status of a reference with `tries` left.
fn tries_status(tries: u8) -> Response {
    if tries == 0 {
        Response::sw(sw::AUTH_BLOCKED)
    } else {
        Response::sw(sw::VERIFICATION_FAILED | 0xC0 | u16::from(tries))
    }
}

impl super::ChipImage {
    /// This image with each reference's tries left as `chip` holds them now: what a saved
    /// chip must carry so that a restart does not give a blocked reference new tries.
    pub fn with_tries_of(mut self, chip: &VirtualChip) -> Self {
        for (qualifier, tries) in chip.reference_tries() {
            for r in self
                .biometric_references
                .iter_mut()
                .filter(|r| r.qualifier == qualifier)
            {
                r.tries_left = tries;
            }
        }
        self
    }
}

impl VirtualChip {
    /// Adds match-on-card references (from a chip image).
    pub fn with_biometric_references(
        mut self,
        configs: &[BiometricReferenceConfig],
    ) -> Result<Self> {
        self.moc = MocState::from_configs(configs)?;
        Ok(self)
    }

    /// Each reference's qualifier and tries left, to save with the chip.
    pub fn reference_tries(&self) -> Vec<(u8, u8)> {
        self.moc
            .references
            .iter()
            .map(|r| (r.qualifier, r.tries_left))
            .collect()
    }

    /// True when `cmd` breaks a pending VERIFY chain; the chain is then dropped.
    pub(super) fn breaks_verify_chain(&mut self, cmd: &Command) -> Option<Response> {
        let (p2, _) = self.state.verify_chain.as_ref()?;
        if cmd.ins == INS_VERIFY && cmd.p2 == *p2 {
            return None;
        }
        self.state.verify_chain = None;
        Some(Response::sw(LAST_OF_CHAIN_EXPECTED))
    }

    /// GET DATA: the BIT group, under secure messaging.
    pub(super) fn get_data(&mut self, cmd: &Command, protected: bool) -> ChipResult<Response> {
        let tag = get_data_tag(cmd)?;
        if !protected {
            return Err(ChipError::security_status(
                "GET DATA needs secure messaging",
            ));
        }
        if tag != BIT_GROUP_TAG || self.moc.references.is_empty() {
            return Err(ChipError::reference_not_found("GET DATA: no such object"));
        }
        Ok(Response::new(self.moc.bit().encode(), sw::OK))
    }

    /// VERIFY against the reference P2 names.
    pub(super) fn verify(&mut self, cmd: &Command, protected: bool) -> ChipResult<Response> {
        // Whatever happens to this link, a pending chain ends here unless it goes on below.
        let pending = self.state.verify_chain.take();
        if !protected {
            return Err(ChipError::security_status("VERIFY needs secure messaging"));
        }
        if cmd.p1 != 0x00 {
            return Err(ChipError::wrong_p1p2("VERIFY: P1 must be 00"));
        }
        let Some(index) = self
            .moc
            .references
            .iter()
            .position(|r| r.qualifier == cmd.p2)
        else {
            return Err(ChipError::reference_not_found("VERIFY: no such reference"));
        };
        let mut data = match pending {
            Some((_, so_far)) => so_far,
            None => Zeroizing::new(Vec::new()),
        };
        if data.len().saturating_add(cmd.data.len()) > MAX_VERIFY_DATA {
            return Err(ChipError::wrong_length(
                "VERIFY: more data than a probe takes",
            ));
        }
        data.extend_from_slice(&cmd.data);
        if cmd.cla & CLA_CHAINING != 0 {
            self.state.verify_chain = Some((cmd.p2, data));
            return Ok(Response::sw(sw::OK));
        }
        let reference = self
            .moc
            .references
            .get_mut(index)
            .ok_or(ChipError::internal("reference vanished"))?;
        if data.is_empty() || reference.tries_left == 0 {
            return Ok(tries_status(reference.tries_left));
        }
        let probe = moc_bit::parse_probe(&data)
            .map_err(|_| ChipError::wrong_data("VERIFY: not 7F2E {81 <3n bytes>}"))?;
        let probe = compact::decode(CardFormat::Compact, probe)
            .map_err(|_| ChipError::wrong_data("VERIFY: compact minutiae"))?;
        let params = moc_bit::dactyl_parameters();
        let min = usize::from(params.min_minutiae.unwrap_or(0));
        let max = usize::from(params.max_minutiae.unwrap_or(u8::MAX));
        if !(min..=max).contains(&probe.len()) {
            return Err(ChipError::wrong_data(
                "VERIFY: minutiae count outside the BAPT's range",
            ));
        }
        let enrolled: Vec<CardMinutia> = compact::decode(CardFormat::Compact, &reference.minutiae)
            .map_err(|_| ChipError::internal("reference minutiae"))?;
        if compare(&enrolled, &probe) >= reference.threshold {
            reference.tries_left = MAX_TRIES;
            return Ok(Response::sw(sw::OK));
        }
        reference.tries_left = reference.tries_left.saturating_sub(1);
        Ok(Response::sw(
            sw::VERIFICATION_FAILED | 0xC0 | u16::from(reference.tries_left),
        ))
    }
}
