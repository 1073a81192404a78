//! The border-reader flow (ICAO Doc 9303-11 clause 4 access control, 9303-10 LDS): open the chip,
//! read EF.COM and the data groups it lists, parse what dactyl understands, and report what was
//! done, with APDU and byte counts.

pub mod authenticity;
pub mod moc;
pub mod open;
pub mod pa;
pub mod read_file;
pub mod readback;
pub mod session;
pub mod terminal;
pub mod verdict;

pub use open::{AccessKeys, AccessPolicy, AccessReport};
pub use session::{LengthPolicy, Limits, Session};
pub use verdict::{Expectations, Inspection};

use crate::apdu::sw;
use crate::error::{Error, Result};
use crate::lds::com::Com;
use crate::lds::dg1::Dg1;
use crate::lds::files::EfId;
use crate::lds::mrz::MrzKeyInfo;
use crate::pki::pa::{Check, PaInput, PaReport, Verdict};
use crate::pki::trust::TrustStore;
use crate::time::Time;
use crate::transport::Transport;
use crate::transport::trace::{Trace, TraceLevel, TrafficStats};
use pa::{passive_authentication, verify_card_security};
use serde::Serialize;
use std::collections::BTreeMap;

/// What to read and how.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The MRZ and/or CAN.
    pub keys: AccessKeys,
    /// PACE, BAC or both.
    pub access: AccessPolicy,
    /// Files to read; `None` reads DG1, every data group EF.COM lists, and EF.SOD.
    pub files: Option<Vec<EfId>>,
    /// Extended length use.
    pub length: LengthPolicy,
    /// APDU trace on stderr.
    pub trace: TraceLevel,
    /// Run Chip Authentication and Active Authentication when DG14/DG15 are read.
    pub authenticate: bool,
    /// Terminal Authentication credentials (for DG3/DG4 on chips with Extended Access Control).
    pub terminal: Option<std::sync::Arc<authenticity::TerminalCredentials>>,
}

impl ReadOptions {
    /// Read everything EF.COM lists, opening the chip with the MRZ (PACE, else BAC).
    pub fn new(mrz: MrzKeyInfo) -> Self {
        Self::with_keys(AccessKeys {
            mrz: Some(mrz),
            can: None,
        })
    }

    /// Read everything EF.COM lists, opening the chip with the CAN (PACE only).
    pub fn with_can(can: &str) -> Self {
        Self::with_keys(AccessKeys {
            mrz: None,
            can: Some(zeroize::Zeroizing::new(can.to_string())),
        })
    }

    /// Read everything EF.COM lists with these keys.
    pub fn with_keys(keys: AccessKeys) -> Self {
        ReadOptions {
            keys,
            access: AccessPolicy::default(),
            files: None,
            length: LengthPolicy::Auto,
            trace: TraceLevel::Silent,
            authenticate: true,
            terminal: None,
        }
    }
}

/// Receives progress and each file as soon as it is read (so nothing read is lost if the
/// card goes away later).
pub trait ReadObserver {
    /// `done` of `total` bytes of `file` read.
    fn progress(&mut self, _file: EfId, _done: usize, _total: Option<usize>) {}
    /// A whole file arrived.
    fn file_read(&mut self, _file: EfId, _content: &[u8]) -> Result<()> {
        Ok(())
    }
}

/// An observer that does nothing.
pub struct NoObserver;
impl ReadObserver for NoObserver {}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// `EF.COM`, `DG1`, ...
    pub file: String,
    /// Outcome: `read`, `access denied`, `not present`.
    pub status: String,
    /// Bytes read.
    pub bytes: usize,
    /// APDUs spent on this file.
    pub apdus: u64,
}

/// The result of reading a document.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    /// Where the chip was read.
    pub reader: String,
    /// `PACE` or `BAC`.
    pub access_control: String,
    /// How the chip was opened.
    pub access: AccessReport,
    /// Extended length APDUs used.
    pub extended_length: bool,
    /// EF.COM, parsed.
    pub com: Option<Com>,
    /// DG1, parsed.
    pub dg1: Option<Dg1>,
    /// Why DG1 or EF.COM did not parse, if they did not.
    pub parse_errors: Vec<String>,
    /// What the chip does that real documents do but the standard does not foresee (EF.COM
    /// out of step with the files present, ...), and how the reader coped.
    pub warnings: Vec<String>,
    /// Each file tried.
    pub files: Vec<FileReport>,
    /// APDUs and bytes for the whole read, access control included.
    pub traffic: TrafficStats,
    /// Passive Authentication, when it was run.
    pub passive_authentication: Option<PaReport>,
    /// EF.CardSecurity's signature and chain, checked with Passive Authentication when the
    /// file was read (after PACE-CAM).
    pub card_security: Option<PaReport>,
    /// Chip Authentication (or PACE-CAM's proof), when DG14 was read.
    pub chip_authentication: Option<Check>,
    /// Active Authentication, when DG15 was read.
    pub active_authentication: Option<Check>,
    /// Terminal Authentication, when it ran (before DG3/DG4).
    pub terminal_authentication: Option<Check>,
    /// Terminal Authentication's details: EF.CVCA, the trust point, chain and binding used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminal_authentication_report: Option<terminal::TaReport>,
    /// "Genuine chip": Passive Authentication passed and CA (or CAM) or AA verified. `None`
    /// until Passive Authentication has run.
    pub genuine: Option<bool>,
    /// The inspection verdict (every mechanism the chip offers and the reader ran passed).
    /// `None` until Passive Authentication has run.
    pub inspection: Option<Inspection>,
    /// Match-on-card, when it was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_on_card: Option<moc::MocReport>,
    /// What the reader was asked to do (the verdict depends on it).
    #[serde(skip)]
    pub expectations: Expectations,
    /// The raw files.
    #[serde(skip)]
    pub raw: BTreeMap<EfId, Vec<u8>>,
}

fn file_status(e: &Error) -> Option<&'static str> {
    match e.sw() {
        Some(sw::SECURITY_STATUS) => Some("access denied (needs Extended Access Control)"),
        Some(sw::FILE_NOT_FOUND) => Some("not present"),
        _ => None,
    }
}

/// Opens the chip with BAC and reads its files.
pub fn read_document(
    transport: Box<dyn Transport>,
    opts: &ReadOptions,
    observer: &mut dyn ReadObserver,
) -> Result<Document> {
    read_document_then(transport, opts, observer, |_, _| Ok(()))
}

/// Opens the chip, reads its files, then hands the open session and the document to `then`
/// (which may verify what was read and send more commands, e.g. match-on-card); the traffic
/// counted includes what `then` sent.
pub fn read_document_then(
    transport: Box<dyn Transport>,
    opts: &ReadOptions,
    observer: &mut dyn ReadObserver,
    then: impl FnOnce(&mut Session, &mut Document) -> Result<()>,
) -> Result<Document> {
    let (traced, stats) = Trace::new(transport, opts.trace);
    let mut session = Session::new(Box::new(traced));
    session.detect_length_support(opts.length)?;
    let opened = open::open_chip(&mut session, &opts.keys, opts.access)?;
    let session_warnings = session.take_warnings();

    let mut doc = Document {
        reader: session.describe(),
        access_control: opened.report.protocol.clone(),
        access: opened.report,
        extended_length: session.limits().extended,
        com: None,
        dg1: None,
        parse_errors: Vec::new(),
        warnings: session_warnings,
        files: Vec::new(),
        traffic: TrafficStats::default(),
        passive_authentication: None,
        card_security: None,
        chip_authentication: None,
        active_authentication: None,
        terminal_authentication: None,
        terminal_authentication_report: None,
        genuine: None,
        inspection: None,
        match_on_card: None,
        expectations: Expectations {
            typed_mrz: opts.keys.mrz.clone(),
            authenticate: opts.authenticate,
            terminal: opts.terminal.is_some(),
        },
        raw: BTreeMap::new(),
    };
    if let (Some(outcome), Some(card_security)) = (&opened.pace, &opened.card_security) {
        doc.chip_authentication = Some(authenticity::check_cam_card_security(
            outcome,
            card_security.as_ref().map(Vec::as_slice),
        ));
        if let Ok(bytes) = card_security {
            doc.files.push(FileReport {
                file: EfId::CardSecurity.name(),
                status: "read".into(),
                bytes: bytes.len(),
                apdus: 0,
            });
            doc.raw.insert(EfId::CardSecurity, bytes.clone());
        }
    }
    let mut queue: Vec<EfId> = match &opts.files {
        Some(list) => list.clone(),
        None => vec![EfId::Com],
    };
    let mut i = 0;
    while let Some(&ef) = queue.get(i) {
        i += 1;
        if matches!(ef, EfId::Dg(3) | EfId::Dg(4))
            && doc.terminal_authentication.is_none()
            && let (Some(creds), Some(dg1)) = (&opts.terminal, &doc.dg1)
        {
            // EF.CVCA names the chip's trust points, so the terminal picks its chain; DG14's
            // TerminalAuthenticationInfo may put it elsewhere than FID 011C / SFI 1C.
            let named = doc
                .raw
                .get(&EfId::Dg(14))
                .map_or(Ok(None), |b| terminal::ef_cvca_location(b));
            let location = named
                .clone()
                .ok()
                .flatten()
                .unwrap_or(EfId::Cvca.location());
            let before = stats.get().apdus;
            let ef_cvca = match &named {
                Err(why) => Err(Error::Lds(format!(
                    "DG14's TerminalAuthenticationInfo: {why}"
                ))),
                Ok(_) => session.read_file_at(EfId::Cvca, location, &mut |_, _| {}),
            };
            let apdus = stats.get().apdus - before;
            doc.files.push(FileReport {
                file: EfId::Cvca.name(),
                status: match &ef_cvca {
                    Ok(_) => "read".into(),
                    Err(e) => file_status(e).map_or_else(|| e.to_string(), str::to_string),
                },
                bytes: ef_cvca.as_ref().map_or(0, Vec::len),
                apdus,
            });
            if let Ok(bytes) = &ef_cvca {
                doc.raw.insert(EfId::Cvca, bytes.clone());
            }
            let ef_cvca = terminal::EfCvca {
                content: ef_cvca.as_deref().map_err(|e| e.to_string()),
                location,
                named_by_dg14: !matches!(named, Ok(None)),
            };
            let (check, report) =
                authenticity::run_terminal_authentication(&mut session, creds, &dg1.mrz, ef_cvca);
            doc.terminal_authentication = Some(check);
            doc.terminal_authentication_report = Some(report);
        }
        let before = stats.get().apdus;
        let result = session.read_file(ef, &mut |done, total| observer.progress(ef, done, total));
        let apdus = stats.get().apdus - before;
        let content = match result {
            Ok(c) => c,
            Err(e) => match file_status(&e) {
                Some(status) => {
                    doc.files.push(FileReport {
                        file: ef.name(),
                        status: status.into(),
                        bytes: 0,
                        apdus,
                    });
                    if ef == EfId::Com && opts.files.is_none() {
                        queue.extend([EfId::Dg(1), EfId::Sod]);
                    }
                    continue;
                }
                None => return Err(e),
            },
        };
        observer.file_read(ef, &content)?;
        doc.files.push(FileReport {
            file: ef.name(),
            status: "read".into(),
            bytes: content.len(),
            apdus,
        });
        match ef {
            EfId::Com => match Com::parse(&content) {
                Ok(com) => {
                    if opts.files.is_none() {
                        let mut dgs = com.data_groups();
                        if !dgs.contains(&1) {
                            dgs.insert(0, 1);
                        }
                        // DG14 right after DG1: Chip Authentication then protects the rest.
                        if let Some(i) = dgs.iter().position(|&d| d == 14) {
                            dgs.remove(i);
                            let at = dgs.iter().position(|&d| d == 1).map_or(0, |p| p + 1);
                            dgs.insert(at, 14);
                        }
                        queue.extend(dgs.into_iter().map(EfId::Dg));
                        queue.push(EfId::Sod);
                    }
                    doc.com = Some(com);
                }
                Err(e) => {
                    doc.parse_errors.push(format!("EF.COM: {e}"));
                    if opts.files.is_none() {
                        queue.extend([EfId::Dg(1), EfId::Sod]);
                    }
                }
            },
            EfId::Dg(1) => match Dg1::parse(&content) {
                Ok(dg1) => doc.dg1 = Some(dg1),
                Err(e) => doc.parse_errors.push(format!("DG1: {e}")),
            },
            EfId::Dg(14) if opts.authenticate => match &opened.pace {
                Some(outcome) if outcome.cam_data.is_some() => {
                    // PK_IC from EF.CardSecurity when it was read (its verdict stands); from
                    // DG14 only when EF.CardSecurity could not be read.
                    if !doc.raw.contains_key(&EfId::CardSecurity) {
                        doc.chip_authentication = Some(authenticity::check_cam(outcome, &content));
                    }
                }
                _ => {
                    doc.chip_authentication = Some(authenticity::run_chip_authentication(
                        &mut session,
                        &content,
                    ));
                }
            },
            EfId::Dg(15) if opts.authenticate => {
                let dg14 = doc.raw.get(&EfId::Dg(14)).map(Vec::as_slice);
                doc.active_authentication = Some(authenticity::run_active_authentication(
                    &mut session,
                    &content,
                    dg14,
                ));
            }
            EfId::Sod if opts.files.is_none() => {
                // Data groups EF.SOD hashes but EF.COM left out are read too.
                let hashed = crate::lds::sod::Sod::parse(&content)
                    .map(|s| s.lds.hashes.into_keys().collect::<Vec<u8>>())
                    .unwrap_or_default();
                for dg in hashed {
                    if !queue.contains(&EfId::Dg(dg)) {
                        doc.warnings.push(format!(
                            "EF.COM does not list DG{dg}, which EF.SOD hashes: read it anyway"
                        ));
                        queue.push(EfId::Dg(dg));
                    }
                }
            }
            _ => {}
        }
        doc.raw.insert(ef, content);
    }
    doc.traffic = stats.get();
    then(&mut session, &mut doc)?;
    doc.traffic = stats.get();
    Ok(doc)
}

impl Document {
    /// A PACE-CAM proof of a key from EF.CardSecurity counts only when EF.CardSecurity's
    /// signature and chain verified, or a DG14 that Passive Authentication verified carries the
    /// same key; a signed DG14 with another key fails it.
    fn confirm_cam_key(&mut self, pa: &PaReport) {
        let (Some(card_security), Some(cam)) = (
            self.raw.get(&EfId::CardSecurity),
            self.chip_authentication.as_mut(),
        ) else {
            return;
        };
        if cam.verdict != Verdict::Pass || !cam.detail.contains("EF.CardSecurity") {
            return;
        }
        let dg14_signed = pa
            .check("DG14 hash")
            .is_some_and(|c| c.verdict == Verdict::Pass);
        let dg14 = self.raw.get(&EfId::Dg(14)).map(Vec::as_slice);
        let signed = self.card_security.as_ref().is_some_and(|r| r.passed);
        match authenticity::card_security_key_confirmed(card_security, dg14, dg14_signed) {
            Err(why) if why.contains("differs") => {
                cam.verdict = Verdict::Fail;
                cam.detail = format!("{}; {why}", cam.detail);
            }
            Err(_) if signed => {
                cam.detail = format!("{}, EF.CardSecurity's signature verified", cam.detail);
            }
            Err(why) => {
                cam.verdict = Verdict::NotChecked;
                cam.detail = format!(
                    "{}; EF.CardSecurity's signature did not verify and {why}",
                    cam.detail
                );
            }
            Ok(()) => {
                cam.detail = format!("{}, the same key as the signed DG14", cam.detail);
            }
        }
    }

    /// Runs Passive Authentication on what was read (EF.SOD, the data groups, EF.COM and the
    /// issuing state from DG1) and stores the report. Without EF.SOD the report says so.
    pub fn verify_passive(
        &mut self,
        trust: &TrustStore,
        now: Time,
        require_crl: bool,
    ) -> &PaReport {
        let dgs: BTreeMap<u8, Vec<u8>> = self
            .raw
            .iter()
            .filter_map(|(ef, c)| match ef {
                EfId::Dg(n) => Some((*n, c.clone())),
                _ => None,
            })
            .collect();
        // A data group EF.COM lists but the chip does not have (6A82) holds nothing unsigned.
        let absent: Vec<u8> = self
            .files
            .iter()
            .filter(|f| f.status == "not present")
            .filter_map(|f| match EfId::from_name(&f.file) {
                Ok(EfId::Dg(n)) => Some(n),
                _ => None,
            })
            .collect();
        let com = self.com.as_ref().map(|c| {
            let (gone, listed): (Vec<u8>, Vec<u8>) = c
                .data_groups()
                .into_iter()
                .partition(|n| absent.contains(n));
            for n in gone {
                let w = format!("EF.COM lists DG{n}, which the chip does not have");
                if !self.warnings.contains(&w) {
                    self.warnings.push(w);
                }
            }
            listed
        });
        let state = self.dg1.as_ref().map(|d| d.mrz.issuing_state.clone());
        let empty = Vec::new();
        let input = PaInput {
            sod: self.raw.get(&EfId::Sod).unwrap_or(&empty),
            data_groups: &dgs,
            com_data_groups: com.as_deref(),
            issuing_state: state.as_deref(),
            dsc: None,
            now,
            require_crl,
        };
        let pa = passive_authentication(&input, trust);
        self.card_security = self
            .raw
            .get(&EfId::CardSecurity)
            .map(|cs| verify_card_security(cs, &input, trust));
        self.confirm_cam_key(&pa);
        let proofs = [&self.chip_authentication, &self.active_authentication];
        let proven = proofs
            .iter()
            .any(|c| c.as_ref().is_some_and(|c| c.verdict == Verdict::Pass));
        // One proof that failed outweighs one that passed: a genuine chip passes both.
        let refuted = proofs
            .iter()
            .any(|c| c.as_ref().is_some_and(|c| c.verdict != Verdict::Pass));
        self.genuine = Some(pa.passed && proven && !refuted);
        self.inspection = Some(verdict::judge(self, Some(&pa), &self.expectations));
        self.passive_authentication.insert(pa)
    }
}
