//! The border-reader flow (ICAO Doc 9303-11 clause 4 access control, 9303-10 LDS): open the chip,
//! read EF.COM and the data groups it lists, parse what dactyl understands, and report what was
//! done, with APDU and byte counts.

pub mod read_file;
pub mod session;

pub use session::{LengthPolicy, Limits, Session};

use crate::access::bac::BacKeys;
use crate::apdu::sw;
use crate::error::{Error, Result};
use crate::lds::com::Com;
use crate::lds::dg1::Dg1;
use crate::lds::files::EfId;
use crate::lds::mrz::MrzKeyInfo;
use crate::pki::asn1::Time;
use crate::pki::pa::{PaInput, PaReport, passive_authentication};
use crate::pki::trust::TrustStore;
use crate::transport::Transport;
use crate::transport::trace::{Trace, TraceLevel, TrafficStats};
use serde::Serialize;
use std::collections::BTreeMap;

/// What to read and how.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The MRZ key information (document number, birth date, expiry) for BAC.
    pub mrz: MrzKeyInfo,
    /// Files to read; `None` reads DG1, every data group EF.COM lists, and EF.SOD.
    pub files: Option<Vec<EfId>>,
    /// Extended length use.
    pub length: LengthPolicy,
    /// APDU trace on stderr.
    pub trace: TraceLevel,
}

impl ReadOptions {
    /// Read everything EF.COM lists, with BAC keys from `mrz`.
    pub fn new(mrz: MrzKeyInfo) -> Self {
        ReadOptions {
            mrz,
            files: None,
            length: LengthPolicy::Auto,
            trace: TraceLevel::Silent,
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
    /// `BAC`.
    pub access_control: String,
    /// Extended length APDUs used.
    pub extended_length: bool,
    /// EF.COM, parsed.
    pub com: Option<Com>,
    /// DG1, parsed.
    pub dg1: Option<Dg1>,
    /// Why DG1 or EF.COM did not parse, if they did not.
    pub parse_errors: Vec<String>,
    /// Each file tried.
    pub files: Vec<FileReport>,
    /// APDUs and bytes for the whole read, access control included.
    pub traffic: TrafficStats,
    /// Passive Authentication, when it was run.
    pub passive_authentication: Option<PaReport>,
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
    let (traced, stats) = Trace::new(transport, opts.trace);
    let mut session = Session::new(Box::new(traced));
    session.detect_length_support(opts.length)?;
    session.select_application().map_err(|e| match e.sw() {
        Some(sw::FILE_NOT_FOUND) => Error::Lds("this card has no eMRTD (LDS1) application".into()),
        _ => e,
    })?;
    session.open_bac(&BacKeys::from_mrz(&opts.mrz))?;

    let mut doc = Document {
        reader: session.describe(),
        access_control: "BAC".into(),
        extended_length: session.limits().extended,
        com: None,
        dg1: None,
        parse_errors: Vec::new(),
        files: Vec::new(),
        traffic: TrafficStats::default(),
        passive_authentication: None,
        raw: BTreeMap::new(),
    };
    let mut queue: Vec<EfId> = match &opts.files {
        Some(list) => list.clone(),
        None => vec![EfId::Com],
    };
    let mut i = 0;
    while let Some(&ef) = queue.get(i) {
        i += 1;
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
            _ => {}
        }
        doc.raw.insert(ef, content);
    }
    doc.traffic = stats.get();
    Ok(doc)
}

impl Document {
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
        let com = self.com.as_ref().map(Com::data_groups);
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
        self.passive_authentication
            .insert(passive_authentication(&input, trust))
    }
}
