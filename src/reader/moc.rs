//! Match-on-card from the terminal's side: read the chip's biometric information templates
//! (ISO/IEC 7816-11 clause 6, the BIT group `7F61` by GET DATA), turn a live probe (an
//! ISO/IEC 19794-2 record as scanner SDKs write it, 2005 or 2011 edition) into exactly the
//! card-format minutiae the BIT asks for (ISO/IEC 19794-2:2005 clause 8: units, angle steps,
//! pruning to the BIT's maximum, the BIT's order), and send it with VERIFY (ISO/IEC 7816-4
//! clause 11.5.6, INS 21; the biometric data object `7F2E { 81 minutiae }` of ISO/IEC 7816-11
//! and MINEX II), chained (7816-4 clause 5.3.3) when it does not fit one command.
//!
//! What the chip answers is the result: 9000 match, 63Cx no match with x tries left, 6983
//! blocked; any other status is reported as the chip's refusal, never as a match. A VERIFY
//! without data asks the tries left without spending one, so a blocked reference is not tried.

use crate::apdu::{Command, Response, sw};
use crate::biometrics::FingerPosition;
use crate::biometrics::compact::{self, AlgorithmParameters, CardFormat, CardTemplate};
use crate::biometrics::minutiae::MinutiaeRecord;
use crate::error::{Error, Result};
use crate::lds::moc_bit::{FORMAT_TYPE_COMPACT_CARD, MocBit, MocReference, encode_probe};
use crate::reader::Session;
use serde::Serialize;

/// INS of VERIFY.
pub const INS_VERIFY: u8 = 0x21;
/// The most plain command data one protected short APDU carries here: 239 bytes fit the 255
/// of a short Lc with AES padding, DO 87 and DO 8E; 223 leaves room for 3DES and DO 97.
pub const SHORT_CHUNK: usize = 223;

/// GET DATA of the BIT group as MINEX II sends it: odd INS CB, P1-P2 3FFF (the current DF), a
/// tag list `5C 02 7F61`.
pub fn get_bit_command() -> Command {
    Command::new(0x00, 0xCB, 0x3F, 0xFF)
        .with_data(vec![0x5C, 0x02, 0x7F, 0x61])
        .with_le(256)
}

/// GET DATA of the BIT group with the tag in P1-P2 (ISO/IEC 7816-4 even INS CA).
pub fn get_bit_command_even() -> Command {
    Command::new(0x00, 0xCA, 0x7F, 0x61).with_le(256)
}

/// Reads the BIT group: the MINEX II form first, the even-INS form when the chip does not know
/// the first. Both go under the session's secure messaging.
pub fn read_bit(session: &mut Session) -> Result<Vec<u8>> {
    let first = session.transmit(&get_bit_command())?;
    if first.is_success() {
        return Ok(first.data);
    }
    let second = session.transmit(&get_bit_command_even())?;
    if second.is_success() {
        return Ok(second.data);
    }
    Err(Error::protocol(
        "GET DATA of the biometric information templates",
        format!(
            "the chip answered {:04X} (odd INS) and {:04X} (even INS): it offers no match-on-card",
            first.sw, second.sw
        ),
    ))
}

/// The VERIFY commands that carry `data` for reference `qualifier`: one, or a chain whose
/// links all but the last have CLA bit b5 set, each at most `chunk` bytes.
pub fn verify_commands(qualifier: u8, data: &[u8], chunk: usize) -> Vec<Command> {
    let chunk = chunk.max(1);
    if data.len() <= chunk {
        return vec![Command::new(0x00, INS_VERIFY, 0x00, qualifier).with_data(data.to_vec())];
    }
    let links: Vec<&[u8]> = data.chunks(chunk).collect();
    let last = links.len().saturating_sub(1);
    links
        .into_iter()
        .enumerate()
        .map(|(i, link)| {
            let cla = if i < last { 0x10 } else { 0x00 };
            Command::new(cla, INS_VERIFY, 0x00, qualifier).with_data(link.to_vec())
        })
        .collect()
}

/// What the chip said about a probe or about the reference's tries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum MocOutcome {
    /// 9000: the chip's comparator matched the probe with the reference.
    Match,
    /// 63Cx: no match; `tries_left` more attempts before the reference blocks.
    NoMatch {
        /// Tries left.
        tries_left: u8,
    },
    /// 63Cx to a VERIFY without data: the reference is not verified; tries left.
    TriesLeft {
        /// Tries left.
        tries_left: u8,
    },
    /// 6983: the reference is blocked; no probe is compared any more.
    Blocked,
    /// 6A88: the chip has no reference with that qualifier.
    NoSuchReference,
    /// Any other status: the chip refused the command.
    Refused {
        /// The status word.
        sw: u16,
    },
}

impl MocOutcome {
    /// Reads a status word of a VERIFY (`empty`: sent without data).
    pub fn from_sw(status: u16, empty: bool) -> MocOutcome {
        match status {
            sw::OK => MocOutcome::Match,
            s if s & 0xFFF0 == 0x63C0 => {
                let tries_left = (s & 0x0F) as u8;
                if empty {
                    MocOutcome::TriesLeft { tries_left }
                } else {
                    MocOutcome::NoMatch { tries_left }
                }
            }
            sw::AUTH_BLOCKED => MocOutcome::Blocked,
            0x6A88 => MocOutcome::NoSuchReference,
            s => MocOutcome::Refused { sw: s },
        }
    }

    /// A short phrase for the report.
    pub fn describe(&self) -> String {
        match self {
            MocOutcome::Match => {
                "MATCH: the chip matched the live finger with its reference".into()
            }
            MocOutcome::NoMatch { tries_left } => {
                format!(
                    "NO MATCH ({} left before the reference blocks)",
                    tries(*tries_left)
                )
            }
            MocOutcome::TriesLeft { tries_left } => format!("{} left", tries(*tries_left)),
            MocOutcome::Blocked => "BLOCKED: the chip compares no more probes".into(),
            MocOutcome::NoSuchReference => "the chip has no such reference".into(),
            MocOutcome::Refused { sw } => format!("the chip refused VERIFY ({sw:04X})"),
        }
    }
}

fn tries(n: u8) -> String {
    match n {
        1 => "1 try".into(),
        n => format!("{n} tries"),
    }
}

/// Sends a VERIFY carrying `data` (a chain when longer than `chunk`) and reads the outcome.
/// Every link but the last must be acknowledged with 9000; a refused link ends the chain.
pub fn send_verify(
    session: &mut Session,
    qualifier: u8,
    data: &[u8],
    chunk: usize,
) -> Result<MocOutcome> {
    let commands = verify_commands(qualifier, data, chunk);
    let last = commands.len().saturating_sub(1);
    for (i, cmd) in commands.iter().enumerate() {
        let resp: Response = session.transmit(cmd)?;
        if i < last && resp.sw != sw::OK {
            return Ok(MocOutcome::from_sw(resp.sw, false));
        }
        if i == last {
            return Ok(MocOutcome::from_sw(resp.sw, data.is_empty()));
        }
    }
    Err(Error::protocol("VERIFY", "no command was built"))
}

/// The probe as the BIT asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// The record's view that was used (its finger position).
    pub view_position: FingerPosition,
    /// The card-format minutiae, pruned and ordered.
    pub template: CardTemplate,
    /// What the conversion noticed.
    pub warnings: Vec<String>,
}

/// One line about a reference for the report.
pub fn describe(r: &MocReference) -> String {
    let finger = r
        .finger_position()
        .map_or_else(|| format!("subtype {:?}", r.subtype), FingerPosition::name);
    let qualifier = r.qualifier.map_or_else(
        || "no qualifier".to_string(),
        |q| format!("qualifier {q:02X}"),
    );
    let range = match (r.params.min_minutiae, r.params.max_minutiae) {
        (Some(a), Some(b)) => format!(", {a} to {b} minutiae"),
        _ => String::new(),
    };
    format!(
        "{finger} ({qualifier}, format {:04X}/{:04X}{range})",
        r.format_owner.unwrap_or(0),
        r.format_type.unwrap_or(0)
    )
}

/// Turns the view of `finger` in a 19794-2 record (or its only view, when that names no
/// finger) into the card minutiae `params` asks for. Fewer minutiae than the BIT's minimum is
/// an error: the chip would refuse them, and a try is not spent on them.
pub fn probe_for(
    record: &MinutiaeRecord,
    finger: FingerPosition,
    format: CardFormat,
    params: &AlgorithmParameters,
) -> Result<Probe> {
    let mut warnings = Vec::new();
    let (view, assumed) = record.view_of(finger).map_err(|e| match e {
        Error::Usage(m) => Error::Usage(format!("the probe: {m}")),
        e => e,
    })?;
    if assumed {
        warnings.push(format!(
            "the probe record names no finger; taken as the {}",
            finger.name()
        ));
    }
    let template =
        compact::from_record(view, record.resolution_of(view), format, &params.options())?;
    if template.out_of_range > 0 {
        warnings.push(format!(
            "{} minutiae lie outside the card format's coordinate range and were left out",
            template.out_of_range
        ));
    }
    if template.pruned > 0 {
        warnings.push(format!(
            "{} lowest-quality minutiae pruned to the chip's maximum of {}",
            template.pruned,
            params.max_minutiae.unwrap_or(0)
        ));
    }
    if let Some(min) = params.min_minutiae
        && template.minutiae.len() < usize::from(min)
    {
        return Err(Error::Usage(format!(
            "the probe has {} usable minutiae; the chip compares no fewer than {min}: \
             take the finger again",
            template.minutiae.len()
        )));
    }
    Ok(Probe {
        view_position: view.position,
        template,
        warnings,
    })
}

/// The chip's reference for `finger` in its BIT group.
pub fn reference_for(bit: &MocBit, finger: FingerPosition) -> Result<&MocReference> {
    bit.references
        .iter()
        .find(|r| r.finger_position() == Some(finger))
        .ok_or_else(|| {
            Error::Usage(format!(
                "the chip holds no match-on-card reference of the {} (it holds: {})",
                finger.name(),
                crate::biometrics::position_names(
                    bit.references
                        .iter()
                        .filter_map(MocReference::finger_position)
                )
            ))
        })
}

/// What a border check asks of match-on-card.
#[derive(Clone, Debug)]
pub struct MocRequest {
    /// The live probe, a 19794-2 record from the scanner.
    pub probe: MinutiaeRecord,
    /// The finger the citizen put on the scanner.
    pub finger: FingerPosition,
    /// The most command data in one VERIFY; `None`: one command when the chip takes extended
    /// length, else [`SHORT_CHUNK`].
    pub chunk: Option<usize>,
}

/// The match-on-card part of a border check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MocReport {
    /// The finger asked for.
    pub finger: String,
    /// Why match-on-card did not run, when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_run: Option<String>,
    /// The references the chip's BIT lists, one line each.
    pub references: Vec<String>,
    /// VERIFY's P2 for the finger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<u8>,
    /// Minutiae sent.
    pub probe_minutiae: usize,
    /// VERIFY commands sent with the probe (more than one: chained).
    pub verify_commands: usize,
    /// The reference's state before the probe (a VERIFY without data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<MocOutcome>,
    /// The chip's answer to the probe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<MocOutcome>,
    /// What was noticed on the way.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl MocReport {
    /// A report of a check that did not run, and why.
    pub fn not_run(finger: FingerPosition, why: impl Into<String>) -> MocReport {
        MocReport {
            not_run: Some(why.into()),
            ..MocReport::new(finger)
        }
    }

    fn new(finger: FingerPosition) -> MocReport {
        MocReport {
            finger: finger.name(),
            not_run: None,
            references: Vec::new(),
            qualifier: None,
            probe_minutiae: 0,
            verify_commands: 0,
            before: None,
            outcome: None,
            warnings: Vec::new(),
        }
    }

    /// True only when the chip answered 9000 to the probe.
    pub fn matched(&self) -> bool {
        self.outcome == Some(MocOutcome::Match)
    }

    /// The report's headline.
    pub fn headline(&self) -> String {
        match (&self.not_run, &self.outcome) {
            (Some(why), _) => format!("NOT RUN: {why}"),
            (None, Some(o)) => o.describe(),
            (None, None) => "NOT RUN".into(),
        }
    }
}

/// Why the chip may not be asked to compare: Passive Authentication must have passed (the BIT
/// and the reference belong to a genuine document) and Chip (or PACE-CAM) Authentication must
/// have passed (the chip answering is that document's chip, not a clone that says 9000).
pub fn refusal(doc: &crate::reader::Document) -> Option<String> {
    use crate::pki::pa::Verdict;
    match &doc.passive_authentication {
        None => return Some("Passive Authentication did not run (give a CSCA)".into()),
        Some(pa) if !pa.passed => return Some("Passive Authentication failed".into()),
        Some(_) => {}
    }
    match &doc.chip_authentication {
        Some(c) if c.verdict == Verdict::Pass => None,
        Some(c) => Some(format!(
            "Chip Authentication did not pass ({}): a cloned chip could answer 9000",
            c.detail
        )),
        None => Some(
            "the chip offers no Chip Authentication (no DG14): a cloned chip could answer 9000"
                .into(),
        ),
    }
}

/// Runs match-on-card on an open session whose document passed [`refusal`]'s conditions:
/// reads the BIT, picks the finger's reference, asks its tries left, and sends the probe
/// unless the reference is blocked.
pub fn match_on_card(session: &mut Session, request: &MocRequest) -> Result<MocReport> {
    let mut report = MocReport::new(request.finger);
    let bit = MocBit::parse(&read_bit(session)?)?;
    report.warnings.extend(bit.warnings.iter().cloned());
    report.references = bit.references.iter().map(describe).collect();
    let reference = reference_for(&bit, request.finger)?;
    let qualifier = reference.qualifier.unwrap_or_else(|| {
        report.warnings.push(
            "the BIT names no reference data qualifier (7816-11 tag 83): VERIFY with P2 = 00, \
             as MINEX II cards take it"
                .into(),
        );
        0
    });
    report.qualifier = Some(qualifier);
    if reference.format_type != Some(FORMAT_TYPE_COMPACT_CARD) {
        report.warnings.push(format!(
            "the BIT names format type {:04X}, not dactyl's compact card code {:04X}: the \
             probe goes in the compact card format (3 bytes a minutia), as MINEX II cards take it",
            reference.format_type.unwrap_or(0),
            FORMAT_TYPE_COMPACT_CARD
        ));
    }
    let probe = probe_for(
        &request.probe,
        request.finger,
        CardFormat::Compact,
        &reference.params,
    )?;
    report.warnings.extend(probe.warnings.iter().cloned());
    report.probe_minutiae = probe.template.minutiae.len();
    let before = send_verify(session, qualifier, &[], SHORT_CHUNK)?;
    report.before = Some(before);
    match before {
        MocOutcome::TriesLeft { .. } | MocOutcome::Match => {}
        other => {
            report.outcome = Some(other);
            return Ok(report);
        }
    }
    let data = encode_probe(&probe.template.encode()?);
    let chunk = request.chunk.unwrap_or(if session.limits().extended {
        crate::apdu::MAX_EXTENDED_NC - 64
    } else {
        SHORT_CHUNK
    });
    report.verify_commands = verify_commands(qualifier, &data, chunk).len();
    report.outcome = Some(send_verify(session, qualifier, &data, chunk)?);
    Ok(report)
}
