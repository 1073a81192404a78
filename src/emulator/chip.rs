//! The virtual chip's command processor: an ICAO Doc 9303 LDS1 eMRTD answering ISO/IEC 7816-4
//! APDUs (SELECT, GET CHALLENGE, EXTERNAL AUTHENTICATE, READ BINARY B0/B1) with BAC and secure
//! messaging (9303-11 clauses 4.3 and 9.8) and the access rule of 9303-10 clause 4.6: only the
//! master file's EF.CardAccess and EF.ATR/INFO are readable in plain, everything else only under
//! secure messaging; a secure messaging error ends the session (6987/6988). The chip is
//! operational: the personalization commands (CREATE FILE, UPDATE BINARY, PUT DATA) are
//! refused, as on a locked chip ([`super::perso`] is the chip before it). Handlers refuse
//! with a [`ChipError`]; [`super::refusal::status_word`] alone turns it into the status word.

use super::fs::{FileSystem, LengthSupport, atr, atr_info};
use super::{moc, read};
use crate::access::aa::AaKey;
use crate::access::bac::{BacChip, BacKeys, CRYPTOGRAM_LEN};
use crate::access::ca::CaChip;
use crate::access::pace::PaceChip;
use crate::access::ta::{AccessRights, ChipIdentifier, TaChip};
use crate::apdu::{Command, Response, sw};
use crate::iso7816::challenge::{
    CHALLENGE_LEN, INS_EXTERNAL_AUTHENTICATE, INS_GET_CHALLENGE, INS_INTERNAL_AUTHENTICATE,
    authentication_data, parse_get_challenge,
};
use crate::iso7816::general_authenticate::{self, CLA_CHAINING};
use crate::iso7816::refusal::{ChipError, ChipResult, Refusal};
use crate::iso7816::select::{self, Select, SelectTarget};
use crate::iso7816::{mse, perso, pso, read_binary};
use crate::lds::files::{EfId, LDS1_AID};
use crate::rand::fill_random;
use crate::sm::{SecureMessaging, sm_error_status};
use crate::transport::CardSide;

/// How a virtual chip behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChipConfig {
    /// APDU length support and buffer sizes.
    pub length: LengthSupport,
    /// BAC offered (a PACE-only chip refuses it).
    pub bac: bool,
    /// Answer `6Cxx` (xx = bytes left) instead of a short read with `6282` when Ne asks for
    /// more than the rest of the file, as some cards do (ISO/IEC 7816-4 clause 5.6).
    pub wrong_le_6cxx: bool,
}

impl Default for ChipConfig {
    fn default() -> Self {
        ChipConfig {
            length: LengthSupport::EXTENDED,
            bac: true,
            wrong_le_6cxx: false,
        }
    }
}

/// Volatile state, lost on reset.
#[derive(Default)]
pub(super) struct Volatile {
    pub(super) app_selected: bool,
    pub(super) current_ef: Option<EfId>,
    pub(super) sm: Option<SecureMessaging>,
    /// A session to switch to once the current response has gone out (Chip Authentication).
    pub(super) next_sm: Option<SecureMessaging>,
    /// What Terminal Authentication granted in this session.
    pub(super) rights: Option<AccessRights>,
    /// `ID_PICC` of this session: Comp of the chip's PACE key (or the static identifier of
    /// an old document), or the document number after BAC.
    pub(super) chip_id: Option<ChipIdentifier>,
    /// Comp of the terminal's ephemeral key from the newest Chip Authentication or PACE-CAM:
    /// Terminal Authentication needs one and binds it (BSI TR-03110-1 clause 3.5, EAC 1).
    pub(super) terminal_key: Option<Vec<u8>>,
    /// Terminal Authentication succeeded in this session (at most one per session).
    pub(super) ta_done: bool,
    /// A chained VERIFY so far: its qualifier and the data of the links received.
    pub(super) verify_chain: Option<(u8, zeroize::Zeroizing<Vec<u8>>)>,
}

/// Counters a test or benchmark can read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChipStats {
    /// APDUs processed since creation.
    pub apdus: u64,
    /// Secure messaging sessions ended by an error.
    pub sm_aborts: u64,
    /// Failed BAC/PACE authentications since the last success.
    pub failed_authentications: u64,
    /// The delay the guessing defence imposed on the last failure, in milliseconds.
    pub last_guess_delay_ms: u64,
}

/// A virtual eMRTD chip.
pub struct VirtualChip {
    pub(super) fs: FileSystem,
    pub(super) config: ChipConfig,
    bac: Option<BacChip>,
    pub(super) pace: Option<PaceChip>,
    pub(super) ca: Option<CaChip>,
    pub(super) aa: Option<AaKey>,
    pub(super) ta: Option<TaChip>,
    /// The document number and check digit: `ID_PICC` after BAC.
    pub(super) document_id: Option<ChipIdentifier>,
    pub(super) guessing: Option<super::guessing::GuessDefence>,
    pub(super) state: Volatile,
    stats: ChipStats,
    pub(super) quirks: super::quirks::Quirks,
    /// EF.CVCA came with the files and does not follow the trust points.
    ef_cvca_as_given: bool,
    /// The last refusal, with its reason.
    pub(super) last_refusal: Option<ChipError>,
    /// Match-on-card references and their tries left (kept across sessions).
    pub(super) moc: super::moc::MocState,
}

impl std::fmt::Debug for VirtualChip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<String> = self
            .fs
            .iter()
            .map(|(ef, c)| format!("{} ({} B)", ef.name(), c.len()))
            .collect();
        write!(
            f,
            "VirtualChip({:?}, files: {})",
            self.config,
            files.join(", ")
        )
    }
}

impl VirtualChip {
    /// A chip with the given files; `bac_keys` are the document basic access keys (from the MRZ).
    /// EF.ATR/INFO is added when the chip supports extended length.
    pub fn new(mut fs: FileSystem, bac_keys: Option<BacKeys>, config: ChipConfig) -> Self {
        if config.length.extended && fs.get(EfId::AtrInfo).is_none() {
            fs.put(EfId::AtrInfo, atr_info(config.length));
        }
        VirtualChip {
            fs,
            config,
            bac: bac_keys.map(BacChip::new),
            pace: None,
            ca: None,
            aa: None,
            ta: None,
            document_id: None,
            guessing: None,
            state: Volatile::default(),
            stats: ChipStats::default(),
            quirks: Default::default(),
            ef_cvca_as_given: false,
            last_refusal: None,
            moc: Default::default(),
        }
    }

    /// Adds Chip Authentication (its key should be in DG14).
    pub fn with_chip_authentication(mut self, ca: CaChip) -> Self {
        self.ca = Some(ca);
        self
    }

    /// Adds Active Authentication (its public key should be in DG15).
    pub fn with_active_authentication(mut self, aa: AaKey) -> Self {
        self.aa = Some(aa);
        self
    }

    /// Adds Extended Access Control: DG3 and DG4 are then readable only after Terminal
    /// Authentication with rights to them; `document` identifies the chip after BAC (the
    /// document number and check digit). EF.CVCA lists the trust points, unless the file
    /// system already holds an EF.CVCA (a test chip with a wrong one), which then stays.
    pub fn with_terminal_authentication(mut self, ta: TaChip, document: ChipIdentifier) -> Self {
        self.ef_cvca_as_given = self.fs.get(EfId::Cvca).is_some();
        self.ta = Some(ta);
        self.refresh_ef_cvca();
        self.document_id = Some(document);
        self
    }

    /// The trust points' CARs changed (a link certificate): EF.CVCA follows.
    pub(super) fn refresh_ef_cvca(&mut self) {
        if let Some(ta) = self.ta.as_ref().filter(|_| !self.ef_cvca_as_given) {
            self.fs.put(EfId::Cvca, ta.ef_cvca());
        }
    }

    /// The chip's current date for certificate checks, when it has Terminal Authentication.
    pub fn current_date(&self) -> Option<crate::time::Date> {
        self.ta.as_ref().map(|t| t.current_date)
    }

    /// Slows down password guessing: after each failed BAC or PACE authentication the chip
    /// waits `base`, doubling with each further failure (see [`super::guessing`]).
    pub fn with_guess_defence(mut self, base: std::time::Duration) -> Self {
        self.guessing = Some(super::guessing::GuessDefence::new(base));
        self
    }

    /// Records the outcome of a BAC or PACE authentication (for the guessing defence).
    pub(super) fn authentication_outcome(&mut self, success: bool) {
        if success {
            self.stats.failed_authentications = 0;
            if let Some(g) = self.guessing.as_mut() {
                g.succeeded();
            }
            return;
        }
        self.stats.failed_authentications += 1;
        if let Some(g) = self.guessing.as_mut() {
            let delay = g.failed();
            self.stats.last_guess_delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        }
    }

    /// Adds PACE (its suites should be listed in EF.CardAccess).
    pub fn with_pace(mut self, pace: PaceChip) -> Self {
        self.pace = Some(pace);
        self
    }

    /// The chip's files.
    pub fn files(&self) -> &FileSystem {
        &self.fs
    }

    /// The chip's configuration.
    pub fn config(&self) -> ChipConfig {
        self.config
    }

    /// Counters.
    pub fn stats(&self) -> ChipStats {
        self.stats
    }

    /// True while a secure messaging session is open.
    pub fn in_secure_session(&self) -> bool {
        self.state.sm.is_some()
    }

    pub(super) fn end_session(&mut self) {
        if self.state.sm.take().is_some() {
            self.stats.sm_aborts += 1;
        }
        self.state.terminal_key = None;
        self.state.chip_id = None;
        self.drop_terminal_rights();
    }

    /// Forgets what Terminal Authentication granted and any half-finished run (a new Chip
    /// Authentication or PACE starts, or the session ends).
    pub(super) fn drop_terminal_rights(&mut self) {
        self.state.rights = None;
        self.state.ta_done = false;
        if let Some(ta) = self.ta.as_mut() {
            ta.reset();
        }
    }

    /// Handles one parsed command, arriving as `wire_len` bytes.
    fn handle_command(&mut self, cmd: &Command, wire_len: usize) -> Response {
        let len = self.config.length;
        let extended_ok = len.extended && !self.quirks.refuses_extended();
        if wire_len > len.max_command || (cmd.is_extended() && !extended_ok) {
            // Under secure messaging this is an error like any other: the session ends.
            if cmd.cla & 0x0C == 0x0C {
                self.end_session();
            }
            return self.refuse(ChipError::wrong_length(
                "APDU longer than the chip takes, or extended length",
            ));
        }
        if cmd.cla & 0x0C == 0x0C {
            return self.handle_protected(cmd);
        }
        // An unprotected command ends a secure messaging session (9303-11 clause 9.8.1).
        self.end_session();
        self.dispatch(cmd, false)
    }

    fn handle_protected(&mut self, cmd: &Command) -> Response {
        let Some(sm) = self.state.sm.as_mut() else {
            return self.refuse(ChipError::new(
                Refusal::SmObjectsIncorrect,
                "protected command outside a session",
            ));
        };
        let plain = match sm.unwrap_command(cmd) {
            Ok(p) => self.quirk_wire(cmd, p),
            Err(e) => {
                let refusal = if sm_error_status(&e) == sw::SM_MISSING {
                    ChipError::new(
                        Refusal::SmObjectsMissing,
                        "secure messaging objects missing",
                    )
                } else {
                    ChipError::new(
                        Refusal::SmObjectsIncorrect,
                        "secure messaging objects wrong",
                    )
                };
                self.end_session();
                return self.refuse(refusal);
            }
        };
        let mut resp = self.dispatch(&plain, true);
        if let Some(bare) = self.bare_refusal(&resp, plain.ins & 1 == 1) {
            return bare;
        }
        let budget = cmd
            .le
            .unwrap_or(usize::MAX)
            .min(self.config.length.max_response.saturating_sub(2));
        let Some(sm) = self.state.sm.as_mut() else {
            return resp;
        };
        let odd = plain.ins & 1 == 1;
        if sm.wrapped_response_len(resp.data.len(), odd) > budget {
            resp = self.refuse(ChipError::wrong_length("protected answer longer than Ne"));
        }
        let Some(sm) = self.state.sm.as_mut() else {
            return resp;
        };
        let wrapped = match sm.wrap_response(&resp, odd) {
            Ok(r) => r,
            Err(_) => {
                self.end_session();
                return self.refuse(ChipError::new(
                    Refusal::SmObjectsIncorrect,
                    "answer could not be protected",
                ));
            }
        };
        if let Some(next) = self.state.next_sm.take() {
            self.state.sm = Some(next);
        }
        wrapped
    }

    /// Processes a command (secure messaging removed); a refusal becomes its status word here.
    fn dispatch(&mut self, cmd: &Command, protected: bool) -> Response {
        let answer = match self.quirk_filter(cmd, protected) {
            Some(answer) => answer,
            None => self.dispatch_plain(cmd, protected),
        };
        answer.unwrap_or_else(|e| self.refuse(e))
    }

    fn dispatch_plain(&mut self, cmd: &Command, protected: bool) -> ChipResult<Response> {
        if cmd.cla & 0xE0 != 0 {
            return Err(ChipError::new(
                Refusal::ClaNotSupported,
                "proprietary or reserved class",
            ));
        }
        if let Some(broken) = self.breaks_verify_chain(cmd) {
            return Ok(broken);
        }
        if cmd.cla & CLA_CHAINING != 0
            && cmd.ins != general_authenticate::INS
            && cmd.ins != moc::INS_VERIFY
        {
            // Command chaining is only used by GENERAL AUTHENTICATE and VERIFY.
            return Err(ChipError::new(
                Refusal::ChainingNotSupported,
                "chaining outside GENERAL AUTHENTICATE and VERIFY",
            ));
        }
        match cmd.ins {
            mse::INS => self.manage_security_environment(cmd, protected),
            general_authenticate::INS => self.general_authenticate(cmd, protected),
            INS_INTERNAL_AUTHENTICATE => self.internal_authenticate(cmd, protected),
            pso::INS => self.verify_certificate(cmd, protected),
            select::INS => self.select(cmd),
            INS_GET_CHALLENGE => self.get_challenge(cmd),
            INS_EXTERNAL_AUTHENTICATE => self.external_authenticate(cmd, protected),
            read_binary::INS_EVEN | read_binary::INS_ODD => read::read_binary(self, cmd, protected),
            moc::INS_VERIFY => self.verify(cmd, protected),
            moc::INS_GET_DATA | moc::INS_GET_DATA_ODD => self.get_data(cmd, protected),
            // An operational chip's personalization is over (ISO/IEC 7816-9 life cycle status
            // "operational"): it refuses every personalization command, whatever its data.
            perso::INS_CREATE_FILE
            | perso::INS_UPDATE_BINARY
            | perso::INS_UPDATE_BINARY_ODD
            | perso::INS_PUT_DATA => Err(ChipError::conditions(
                "personalization is over: the chip is locked",
            )),
            _ => Err(ChipError::new(
                Refusal::InsNotSupported,
                "instruction not supported",
            )),
        }
    }

    /// SELECT (parsed by [`Select::parse`]): the LDS1 application, the master file, or a file
    /// by identifier in the current DF.
    fn select(&mut self, cmd: &Command) -> ChipResult<Response> {
        let not_found = ChipError::new(Refusal::FileNotFound, "SELECT: no such file");
        match Select::parse(cmd)?.target {
            SelectTarget::Application(aid) => {
                if aid != LDS1_AID {
                    return Err(ChipError::new(
                        Refusal::FileNotFound,
                        "SELECT: not the LDS1 application",
                    ));
                }
                self.state.app_selected = true;
                self.state.current_ef = None;
            }
            SelectTarget::MasterFile => {
                self.state.app_selected = false;
                self.state.current_ef = None;
            }
            SelectTarget::File(fid) | SelectTarget::ElementaryFile(fid) => {
                let ef = self.fs.by_fid(fid, self.state.app_selected);
                self.state.current_ef = Some(ef.ok_or(not_found)?);
            }
        }
        Ok(Response::sw(sw::OK))
    }

    fn get_challenge(&mut self, cmd: &Command) -> ChipResult<Response> {
        if parse_get_challenge(cmd)? != CHALLENGE_LEN {
            return Err(ChipError::wrong_length(
                "GET CHALLENGE: the chip gives 8 bytes",
            ));
        }
        let mut rnd = [0u8; CHALLENGE_LEN];
        fill_random(&mut rnd).map_err(|_| ChipError::internal("no randomness"))?;
        if let Some(bac) = self.bac.as_mut() {
            bac.get_challenge(rnd);
        }
        if let Some(ta) = self.ta.as_mut() {
            ta.set_challenge(rnd);
        }
        Ok(Response::new(rnd.to_vec(), sw::OK))
    }

    fn external_authenticate(&mut self, cmd: &Command, protected: bool) -> ChipResult<Response> {
        if protected {
            return self.terminal_authenticate(cmd);
        }
        let Some(bac) = self.bac.as_mut().filter(|_| self.config.bac) else {
            return Err(ChipError::conditions("BAC not offered"));
        };
        if !self.state.app_selected {
            return Err(ChipError::conditions(
                "BAC before SELECT of the application",
            ));
        }
        let data = authentication_data(cmd, Some(CRYPTOGRAM_LEN))?;
        let mut k_ic = [0u8; 16];
        fill_random(&mut k_ic).map_err(|_| ChipError::internal("no randomness"))?;
        match bac.external_authenticate(data, &k_ic) {
            Ok((answer, sm)) => {
                self.state.sm = Some(sm);
                self.state.chip_id = self.document_id.clone();
                self.authentication_outcome(true);
                Ok(Response::new(answer, sw::OK))
            }
            Err(e) => {
                if e.kind == Refusal::VerificationFailed {
                    self.authentication_outcome(false);
                }
                Err(e)
            }
        }
    }
}

impl super::frame::ApduHandler for VirtualChip {
    fn handle(&mut self, cmd: &Command, wire_len: usize) -> Response {
        self.handle_command(cmd, wire_len)
    }
    fn end_session(&mut self) {
        VirtualChip::end_session(self);
    }
    fn refuse(&mut self, e: ChipError) -> Response {
        VirtualChip::refuse(self, e)
    }
}

impl CardSide for VirtualChip {
    fn atr(&self) -> Vec<u8> {
        atr(self.config.length)
    }

    fn reset(&mut self) {
        self.state = Volatile::default();
        if let Some(ta) = self.ta.as_mut() {
            ta.reset();
        }
        if let Some(p) = self.pace.as_mut() {
            p.reset();
        }
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.stats.apdus += 1;
        super::frame::process(self, apdu)
    }
}
