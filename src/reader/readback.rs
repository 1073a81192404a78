//! The issuing station's read-back: a freshly locked chip is opened as a border reader would
//! open it (PACE with the CAN, else BAC with the MRZ; ICAO Doc 9303-11 clauses 4.3-4.4), read
//! whole (Terminal Authentication for DG3, BSI TR-03110-1 clause 3), every file compared with
//! what was written, and verified: Passive Authentication against the issuer's CSCA (Doc
//! 9303-11 clause 5.1), Chip and Active Authentication proving the keys written (clauses 6.1
//! and 6.2). The chip counts as issued only when all of it holds.

use super::authenticity::TerminalCredentials;
use super::open::AccessKeys;
use super::{Document, NoObserver, ReadOptions, read_document};
use crate::error::Result;
use crate::issuance::chip_image::FileSystem;
use crate::issuance::personalization::Plan;
use crate::issuance::personalization::writer::{WriteReport, write_plan};
use crate::lds::files::EfId;
use crate::lds::mrz::MrzKeyInfo;
use crate::pki::pa::{Check, Verdict};
use crate::pki::trust::TrustStore;
use crate::time::Time;
use crate::transport::Transport;
use serde::Serialize;
use std::sync::Arc;

/// One file compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileComparison {
    /// `DG2`, `EF.SOD`, ...
    pub file: String,
    /// Bytes written.
    pub written: usize,
    /// Bytes read back (none: not read).
    pub read: Option<usize>,
    /// The same bytes.
    pub equal: bool,
}

/// The outcome of the read-back.
#[derive(Debug, Serialize)]
pub struct ReadBack {
    /// Every written file against what came back.
    pub files: Vec<FileComparison>,
    /// What failed (empty: the chip is issued).
    pub failures: Vec<String>,
    /// The document as the reader saw it (PA, CA, AA, TA reports, traffic).
    pub document: Document,
}

impl ReadBack {
    /// Everything read back equal and every check passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

fn check_passed(name: &str, check: Option<&Check>, failures: &mut Vec<String>) {
    match check {
        Some(c) if c.verdict == Verdict::Pass => {}
        Some(c) => failures.push(format!("{name}: {:?}: {}", c.verdict, c.detail)),
        None => failures.push(format!("{name}: not run")),
    }
}

/// Opens the locked chip behind `transport` with `can` (PACE) or `mrz` (BAC), reads every file
/// in `written` (DG3 through Terminal Authentication with `terminal`), compares, and verifies
/// against `trust` at `now`. Each check the written files call for must pass: Chip
/// Authentication when DG14 was written, Active Authentication when DG15 was, Terminal
/// Authentication when DG3 was.
pub fn read_back(
    transport: Box<dyn Transport>,
    written: &FileSystem,
    can: &str,
    mrz: MrzKeyInfo,
    terminal: Option<Arc<TerminalCredentials>>,
    trust: &TrustStore,
    now: Time,
) -> Result<ReadBack> {
    let mut opts = ReadOptions::with_keys(AccessKeys {
        mrz: Some(mrz),
        can: Some(zeroize::Zeroizing::new(can.to_string())),
    });
    opts.terminal = terminal;
    // A border reader's order: DG1 (its MRZ binds Terminal Authentication), DG14 (Chip
    // Authentication then protects the rest), the other data groups, EF.SOD, and the master
    // file's EF.CardAccess and EF.CardSecurity last.
    let rank = |ef: &EfId| match ef {
        EfId::Com => (0, 0),
        EfId::Dg(1) => (1, 0),
        EfId::Dg(14) => (2, 0),
        EfId::Dg(n) => (3, *n),
        EfId::Sod => (4, 0),
        _ => (5, 0),
    };
    let mut wanted: Vec<EfId> = written
        .iter()
        .map(|(ef, _)| ef)
        .filter(|ef| !matches!(ef, EfId::AtrInfo | EfId::Cvca))
        .collect();
    wanted.sort_by_key(rank);
    opts.files = Some(wanted.clone());
    let mut document = read_document(transport, &opts, &mut NoObserver)?;
    document.verify_passive(trust, now, true);
    let mut failures = Vec::new();
    let mut files = Vec::new();
    for ef in wanted {
        let expected = written.get(ef).unwrap_or_default();
        let got = document.raw.get(&ef);
        let equal = got.is_some_and(|g| g.as_slice() == expected);
        if !equal {
            failures.push(match got {
                Some(g) => format!(
                    "{}: read back {} bytes that differ from the {} written",
                    ef.name(),
                    g.len(),
                    expected.len()
                ),
                None => format!("{}: not read back", ef.name()),
            });
        }
        files.push(FileComparison {
            file: ef.name(),
            written: expected.len(),
            read: got.map(Vec::len),
            equal,
        });
    }
    match &document.passive_authentication {
        Some(pa) if pa.passed => {}
        Some(pa) => failures.push(format!(
            "Passive Authentication failed: {}",
            pa.checks
                .iter()
                .filter(|c| c.verdict == Verdict::Fail || c.verdict == Verdict::NotChecked)
                .map(|c| format!("{}: {}", c.name, c.detail))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        None => failures.push("Passive Authentication not run".into()),
    }
    if written.get(EfId::Dg(14)).is_some() {
        check_passed(
            "Chip Authentication",
            document.chip_authentication.as_ref(),
            &mut failures,
        );
    }
    if written.get(EfId::Dg(15)).is_some() {
        check_passed(
            "Active Authentication",
            document.active_authentication.as_ref(),
            &mut failures,
        );
    }
    if written.get(EfId::Dg(3)).is_some() {
        check_passed(
            "Terminal Authentication",
            document.terminal_authentication.as_ref(),
            &mut failures,
        );
    }
    Ok(ReadBack {
        files,
        failures,
        document,
    })
}

/// What the issuing station needs besides the plan: the trust it verifies against, the
/// terminal credentials that open DG3, and the blank stock's transport key.
pub struct IssueOptions<'a> {
    /// The issuer's CSCA and its CRL.
    pub trust: &'a TrustStore,
    /// Terminal Authentication credentials (required when the plan writes DG3).
    pub terminal: Option<Arc<TerminalCredentials>>,
    /// The blank chip's transport key (K_seed), if it has one.
    pub transport_key: Option<&'a zeroize::Zeroizing<Vec<u8>>>,
    /// The time verification runs at.
    pub now: Time,
}

/// A personalization: what was written and what the read-back found.
#[derive(Debug, Serialize)]
pub struct Personalized {
    /// The write.
    pub write: WriteReport,
    /// The read-back.
    pub read_back: ReadBack,
}

impl Personalized {
    /// The chip is issued: written, locked, read back equal and verified.
    pub fn passed(&self) -> bool {
        self.read_back.passed()
    }
}

/// Writes `plan` to the blank chip `connect` reaches and locks it, then reconnects (a fresh
/// session, as a border reader would start) and reads it back ([`read_back`]). A refusal or a
/// lost card during the write is an error and leaves the chip unlocked; the read-back's
/// findings are in the result.
pub fn personalize(
    connect: &mut dyn FnMut() -> Result<Box<dyn Transport>>,
    plan: &Plan,
    opts: &IssueOptions<'_>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Personalized> {
    let write = {
        let mut t = connect()?;
        write_plan(&mut *t, plan, opts.transport_key, progress)?
    };
    let read_back = read_back(
        connect()?,
        &plan.files,
        &plan.can,
        plan.mrz.key_info()?,
        opts.terminal.clone(),
        opts.trust,
        opts.now,
    )?;
    Ok(Personalized { write, read_back })
}
