//! The personalization writer: the terminal side of the personalization command set
//! ([`crate::iso7816::perso`]: CREATE FILE of ISO/IEC 7816-9 clause 6.1, UPDATE BINARY of
//! ISO/IEC 7816-4 clause 11.3.5, PUT DATA of clause 11.4.7) writing a [`Plan`] to a blank chip
//! in the fewest APDUs its buffer allows, optionally under secure messaging with the blank
//! stock's transport key (BAC, ICAO Doc 9303-11 clause 4.3, over a K_seed), then locking it.
//!
//! The order: EF.ATR/INFO read by short EF identifier (buffer sizes, ISO/IEC 7816-4 clause
//! 12.7.1), the master file's files (EF.CardAccess, EF.CardSecurity), SELECT of the LDS1
//! application, its files (each CREATE FILE leaves the new file current, so no SELECT
//! follows), the PUT DATA objects, and the lock.

use super::{ChipProfile, Plan};
use crate::access::bac::{self, BacKeys, TerminalNonces};
use crate::apdu::{Command, Response, sw};
use crate::error::{Error, Result};
use crate::iso7816::atr_info::{ExtendedLengthInfo, atr_extended_length};
use crate::iso7816::general_authenticate::CLA_CHAINING;
use crate::iso7816::perso::{
    CreateFile, DIGEST_LEN, JMRTD_MAX_UPDATE, PersoFile, PersoObject, PutData, UpdateBinary,
    perso_digest,
};
use crate::iso7816::read_binary::{FileRef, ReadBinary};
use crate::iso7816::select::Select;
use crate::lds::files::{EfId, LDS1_AID};
use crate::sm::SecureMessaging;
use crate::transport::{Transport, exchange};
use zeroize::Zeroizing;

/// What the writer learned of the chip, or was told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChipLimits {
    /// Extended length APDUs accepted.
    pub extended_length: bool,
    /// The largest command APDU the chip takes, in bytes.
    pub max_command: usize,
    /// The chip behaves as the JMRTD passport applet (no EF.ATR/INFO, 255 bytes an UPDATE).
    pub jmrtd_applet: bool,
}

/// Counts of one personalization.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteReport {
    /// The chip's limits as used.
    pub limits: Option<ChipLimits>,
    /// Command APDUs sent.
    pub apdus: u64,
    /// Bytes of command APDUs sent.
    pub bytes_sent: u64,
    /// Bytes of response APDUs received.
    pub bytes_received: u64,
    /// The files written, with their sizes.
    pub files: Vec<(String, usize)>,
    /// The least APDUs this chip's buffer allows for the same content: one CREATE FILE per
    /// file, ceil(size / largest UPDATE) per file, one PUT DATA per object, one lock.
    pub minimum_apdus: u64,
    /// The largest data field of one UPDATE BINARY.
    pub chunk: usize,
    /// The lock was sent but its answer was lost (the link failed): only the read-back can
    /// tell whether the chip locked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_answer_lost: Option<String>,
}

/// A transport that counts what crosses it.
struct Counting<'a> {
    inner: &'a mut dyn Transport,
    apdus: u64,
    sent: u64,
    received: u64,
}

impl Transport for Counting<'_> {
    fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
        self.apdus += 1;
        self.sent += apdu.len() as u64;
        let r = self.inner.transmit_raw(apdu)?;
        self.received += r.len() as u64;
        Ok(r)
    }
    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }
    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// The link to the chip: plain, or under the transport key's secure messaging.
struct Link<'a> {
    t: Counting<'a>,
    sm: Option<SecureMessaging>,
}

impl<'a> Link<'a> {
    /// A plain link over `t`, counting from zero.
    fn plain(t: &'a mut dyn Transport) -> Link<'a> {
        Link {
            t: Counting {
                inner: t,
                apdus: 0,
                sent: 0,
                received: 0,
            },
            sm: None,
        }
    }

    fn send(&mut self, cmd: &Command) -> Result<Response> {
        match self.sm.as_mut() {
            None => exchange(&mut self.t, cmd),
            Some(sm) => {
                let wrapped = sm.wrap_command(cmd)?;
                let resp = exchange(&mut self.t, &wrapped)?;
                sm.unwrap_response(&resp)
            }
        }
    }

    /// Sends `cmd` and requires 9000.
    fn expect_ok(&mut self, cmd: &Command, what: &str) -> Result<Response> {
        let r = self.send(cmd)?;
        if r.sw != sw::OK {
            return Err(Error::status(
                format!("personalization: {what} refused"),
                r.sw,
            ));
        }
        Ok(r)
    }
}

/// Bytes a command with `n` data bytes takes on the wire, plain (`block` none) or under
/// secure messaging with cipher block `block` (DO 87 around the padded data, DO 8E, and the Le
/// the protected command always carries); `None` when its data field would not fit Lc.
fn wire_len(n: usize, block: Option<usize>, extended: bool) -> Option<usize> {
    let body = match block {
        None => n,
        Some(b) => {
            let padded = (n / b + 1) * b;
            1 + crate::tlv::encode_len(padded + 1).len() + 1 + padded + 10
        }
    };
    let long = body > 255;
    if body > 65_535 || (long && !extended) {
        return None;
    }
    let lc = if long { 3 } else { 1 };
    let le = match (block, long) {
        (None, _) => 0,
        (Some(_), false) => 1,
        (Some(_), true) => 2,
    };
    Some(4 + lc + body + le)
}

/// The largest UPDATE BINARY data field within `limits` (and 65535, two length bytes).
pub fn max_chunk(limits: &ChipLimits, block: Option<usize>) -> usize {
    if limits.jmrtd_applet {
        return JMRTD_MAX_UPDATE;
    }
    let cap = if limits.extended_length { 65_535 } else { 255 };
    let fits = |n: usize| {
        n <= cap
            && wire_len(n, block, limits.extended_length).is_some_and(|w| w <= limits.max_command)
    };
    let (mut lo, mut hi) = (1usize, cap);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) { lo = mid } else { hi = mid - 1 }
    }
    lo
}

/// Learns a blank chip's limits over `t` (the ATR and EF.ATR/INFO): what to plan for.
pub fn detect_chip(t: &mut dyn Transport) -> Result<ChipLimits> {
    detect_limits(&mut Link::plain(t))
}

/// Learns the chip's limits: the ATR's extended length bit and EF.ATR/INFO (read by SFI 01);
/// a chip without EF.ATR/INFO and extended length is taken for the JMRTD applet.
fn detect_limits(link: &mut Link<'_>) -> Result<ChipLimits> {
    let atr_extended = atr_extended_length(&link.t.atr()).unwrap_or(false);
    let read = ReadBinary::new(
        FileRef::Sfi(0x01),
        0,
        if atr_extended { 65_536 } else { 256 },
    );
    let r = link.send(&read.to_command()?)?;
    let info = if matches!(r.sw, sw::OK | sw::END_OF_FILE) {
        ExtendedLengthInfo::decode(&r.data)
    } else {
        None
    };
    Ok(match info {
        Some(i) => ChipLimits {
            extended_length: atr_extended,
            max_command: if atr_extended {
                i.max_command
            } else {
                i.max_command.min(261)
            },
            jmrtd_applet: false,
        },
        None => ChipLimits {
            extended_length: false,
            max_command: 261,
            jmrtd_applet: !atr_extended,
        },
    })
}

fn write_file(
    link: &mut Link<'_>,
    ef: EfId,
    content: &[u8],
    chunk: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    let size = u16::try_from(content.len()).map_err(|_| {
        Error::Usage(format!(
            "{} of {} bytes: beyond 65535",
            ef.name(),
            content.len()
        ))
    })?;
    let create = CreateFile {
        fid: ef.fid(),
        size,
    };
    link.expect_ok(&create.command(), &format!("CREATE FILE {}", ef.name()))?;
    let mut offset = 0usize;
    while offset < content.len() {
        let mut n = chunk.min(content.len() - offset);
        if offset > crate::iso7816::perso::MAX_EVEN_OFFSET {
            n = n.min(
                chunk
                    .saturating_sub(UpdateBinary::odd_overhead(offset, n))
                    .max(1),
            );
        }
        let data = content.get(offset..offset + n).unwrap_or_default().to_vec();
        let update = UpdateBinary { offset, data };
        link.expect_ok(
            &update.command()?,
            &format!("UPDATE BINARY {} at {offset}", ef.name()),
        )?;
        offset += n;
        progress(n as u64);
    }
    Ok(())
}

/// The bytes a plan puts on the chip (the progress total).
pub fn total_bytes(plan: &Plan) -> u64 {
    let files: usize = plan.files.iter().map(|(_, c)| c.len()).sum();
    let objects: usize = plan
        .objects
        .iter()
        .filter_map(|o| o.command().ok())
        .map(|c| c.data.len())
        .sum();
    (files + objects) as u64
}

/// Writes `plan` to the blank chip behind `t` and locks it; `transport_key` is the blank
/// stock's K_seed when it has one; `progress` gets the bytes written so far of
/// [`total_bytes`]. Fails on the first refusal, leaving the chip unlocked.
pub fn write_plan(
    t: &mut dyn Transport,
    plan: &Plan,
    transport_key: Option<&Zeroizing<Vec<u8>>>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<WriteReport> {
    let total = total_bytes(plan);
    let mut done = 0u64;
    let mut link = Link::plain(t);
    let limits = detect_limits(&mut link)?;
    let for_applet = plan.profile == ChipProfile::JmrtdApplet;
    if limits.jmrtd_applet != for_applet {
        return Err(Error::Usage(format!(
            "the plan is for {}, but the chip {}: plan again with --profile {}",
            if for_applet {
                "the JMRTD applet"
            } else {
                "a dactyl chip"
            },
            if limits.jmrtd_applet {
                "looks like the JMRTD applet (no EF.ATR/INFO, short APDUs)"
            } else {
                "announces its buffers in EF.ATR/INFO, as a dactyl chip does"
            },
            if limits.jmrtd_applet {
                "jmrtd-applet"
            } else {
                "dactyl"
            }
        )));
    }
    if let Some(seed) = transport_key {
        link.expect_ok(
            &Select::application(&LDS1_AID).to_command(),
            "SELECT of the application",
        )?;
        let keys = BacKeys::from_seed(seed);
        let nonces = TerminalNonces::random()?;
        let t = &mut link.t;
        let sm = bac::authenticate(&mut |c: &Command| exchange(t, c), &keys, &nonces)
            .map_err(|e| Error::Usage(format!("transport key refused by the chip: {e}")))?;
        link.sm = Some(sm);
        link.expect_ok(
            &Select::master_file().to_command(),
            "SELECT of the master file",
        )?;
    }
    let block = link.sm.as_ref().map(|s| s.suite().block_size());
    let chunk = max_chunk(&limits, block);
    let mut report = WriteReport {
        limits: Some(limits),
        chunk,
        ..WriteReport::default()
    };
    let mut tick = |n: u64| {
        done += n;
        progress(done, total);
    };
    if let Err(e) = write_all(&mut link, plan, &limits, &mut report, &mut tick) {
        // The chip holds something else than the plan (a file left by an earlier, broken
        // run, a command corrupted on the wire): start over once, from nothing.
        if limits.jmrtd_applet || e.sw() != Some(sw::DATA_INVALID) {
            return Err(e);
        }
        link.expect_ok(&PutData::StartOver.command()?, "starting over")?;
        link.expect_ok(
            &Select::master_file().to_command(),
            "SELECT of the master file",
        )?;
        report.files.clear();
        report.minimum_apdus = 0;
        done = 0;
        let mut tick = |n: u64| {
            done += n;
            progress(done, total);
        };
        write_all(&mut link, plan, &limits, &mut report, &mut tick)?;
    }
    report.apdus = link.t.apdus;
    report.bytes_sent = link.t.sent;
    report.bytes_received = link.t.received;
    Ok(report)
}

/// One pass: the files (master file's first, the master file current), the objects, the lock.
fn write_all(
    link: &mut Link<'_>,
    plan: &Plan,
    limits: &ChipLimits,
    report: &mut WriteReport,
    tick: &mut dyn FnMut(u64),
) -> Result<()> {
    let chunk = report.chunk;
    let files = files_to_write(plan);
    let in_mf = files
        .iter()
        .take_while(|(ef, _)| ef.in_master_file())
        .count();
    for (i, (ef, content)) in files.iter().enumerate() {
        if i == in_mf {
            link.expect_ok(
                &Select::application(&LDS1_AID).to_command(),
                "SELECT of the application",
            )?;
        }
        write_file(link, *ef, content, chunk, tick)?;
        report.files.push((ef.name(), content.len()));
        report.minimum_apdus += 1 + content.len().div_ceil(chunk) as u64;
    }
    for object in &plan.objects {
        let cmd = object.command()?;
        let pieces = send_chained(link, &cmd, chunk, &format!("PUT DATA {object:?}"))?;
        tick(cmd.data.len() as u64);
        report.minimum_apdus += pieces;
    }
    report.minimum_apdus += 1;
    match link.send(&lock_command(plan, limits)?) {
        Ok(r) if r.sw == sw::OK => Ok(()),
        // An error status (ISO/IEC 7816-4 clause 5.6: 64xx to 6Fxx) is a refusal: unlocked.
        Ok(r) if (0x6400..=0x6FFF).contains(&r.sw) => {
            Err(Error::status("personalization: the lock refused", r.sw))
        }
        // Anything else is no answer a chip gives to the lock: garbled on the way back.
        Ok(r) => {
            report.lock_answer_lost = Some(format!("status word {:04X}", r.sw));
            Ok(())
        }
        Err(e) => {
            report.lock_answer_lost = Some(e.to_string());
            Ok(())
        }
    }
}

/// Sends `cmd`, in a chain of commands (ISO/IEC 7816-4 clause 5.3.3: CLA bit 10 on all but the
/// last) when its data exceeds `max` bytes; returns how many commands it took.
fn send_chained(link: &mut Link<'_>, cmd: &Command, max: usize, what: &str) -> Result<u64> {
    if cmd.data.len() <= max {
        link.expect_ok(cmd, what)?;
        return Ok(1);
    }
    let pieces: Vec<&[u8]> = cmd.data.chunks(max.max(1)).collect();
    for (i, piece) in pieces.iter().enumerate() {
        let last = i + 1 == pieces.len();
        let part = Command {
            cla: if last {
                cmd.cla
            } else {
                cmd.cla | CLA_CHAINING
            },
            data: piece.to_vec(),
            ..cmd.clone()
        };
        link.expect_ok(
            &part,
            &format!("{what} (part {} of {})", i + 1, pieces.len()),
        )?;
    }
    Ok(pieces.len() as u64)
}

/// The files the writer puts on the chip, in writing order: the master file's, then the
/// application's (EF.ATR/INFO is the chip's own, EF.CVCA the chip builds from its trust points).
type PlannedFile<'a> = (EfId, &'a [u8]);

fn files_to_write(plan: &Plan) -> Vec<PlannedFile<'_>> {
    let mut files: Vec<PlannedFile<'_>> = plan
        .files
        .iter()
        .filter(|(ef, _)| !matches!(ef, EfId::AtrInfo | EfId::Cvca))
        .collect();
    files.sort_by_key(|(ef, _)| !ef.in_master_file());
    files
}

/// The personalization digest of `plan` ([`perso_digest`]): what a dactyl chip must hold to
/// accept the lock.
pub fn plan_digest(plan: &Plan) -> Result<[u8; DIGEST_LEN]> {
    let planned = files_to_write(plan);
    let files = planned.iter().map(|(ef, content)| PersoFile {
        in_application: !ef.in_master_file(),
        fid: ef.fid(),
        content,
    });
    let commands = plan
        .objects
        .iter()
        .map(PutData::command)
        .collect::<Result<Vec<_>>>()?;
    let objects = commands.iter().map(|c| PersoObject {
        p1: c.p1,
        p2: c.p2,
        data: &c.data,
    });
    Ok(perso_digest(files, objects))
}

/// The lock: with the personalization digest, except on the JMRTD applet, which takes none.
fn lock_command(plan: &Plan, limits: &ChipLimits) -> Result<Command> {
    if limits.jmrtd_applet {
        return PutData::Lock.command();
    }
    PutData::LockWithDigest(plan_digest(plan)?).command()
}
