//! The virtual chip before it is operational: a blank chip ([`BlankChip`]) personalized by
//! an issuing station with CREATE FILE (ISO/IEC 7816-9 clause 6.1), UPDATE BINARY and PUT DATA
//! (ISO/IEC 7816-4 clauses 11.3.5 and 11.4.7), coded by [`crate::iso7816::perso`], then locked
//! for good: the life cycle blank -> personalizing -> locked (the life cycle states of ISO/IEC
//! 7816-4, "initialisation" to "operational activated").
//!
//! Before the lock the chip answers SELECT (the LDS1 application, the master file, an EF by
//! FID in the current DF), the personalization commands, and a READ BINARY of EF.ATR/INFO (MF,
//! FID 2F01, SFI 01: the writer learns the buffer sizes from it; dactyl profile only); every
//! other READ BINARY gets 6982 and every other command 6D00. With a transport key the
//! personalization commands need secure messaging opened by BAC with that K_seed after SELECT
//! of the application (GET CHALLENGE, EXTERNAL AUTHENTICATE).
//!
//! What a writer leaves behind after a fault never blocks a re-run: CREATE FILE makes only the
//! LDS files of the current DF (ICAO Doc 9303-10 clause 4.6; not EF.CVCA, which the chip
//! builds from its trust points) and re-creates an existing one empty, objects replace earlier
//! ones, a CVCA slot takes only a CVCA certificate whose self-signature verifies, and PUT DATA
//! `DC 00` (dactyl profile) starts over from blank.
//!
//! PUT DATA may come in a chain of commands (ISO/IEC 7816-4 clause 5.3.3, CLA bit 10), so a
//! chip with short APDUs takes a CVCA certificate of more than 255 bytes; the parts are joined
//! before the command is processed, and any other command before the last part is refused.
//!
//! The lock (PUT DATA DE AD) checks that the chip can become a working one and refuses (6985,
//! or 6984 for a digest that is not the chip's) otherwise, staying unlocked: see [`lock`]. The
//! locked chip is the operational [`VirtualChip`] built from the chip image it assembled, and
//! behaves exactly like a chip loaded from that image.

pub mod blank;
mod commands;
pub mod lock;

pub use blank::{BlankChip, Profile};

use super::chip::VirtualChip;
use super::fs::atr;
use super::image::ChipImage;
use super::refusal::status_word;
use crate::access::bac::{BacChip, BacKeys};
use crate::apdu::{Command, Response, sw};
use crate::error::Result;
use crate::iso7816::perso::{INS_PUT_DATA, PutData};
use crate::iso7816::refusal::{ChipError, ChipResult, Refusal};
use crate::sm::{SecureMessaging, sm_error_status};
use crate::transport::CardSide;
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// ISO/IEC 7816-4 clause 5.3.3: the class bit of a command that is not the last of a chain.
const CLA_CHAINING: u8 = 0x10;
/// The most data a chained PUT DATA gathers.
const MAX_CHAINED: usize = 65_535;

/// Where a chip is in its life cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersoState {
    /// Nothing written yet.
    Blank,
    /// Files or objects written, not locked.
    Personalizing,
    /// Locked: the operational chip.
    Locked,
}

/// A file's place: in the LDS1 application (true) or the master file, and its FID.
pub(super) type FileKey = (bool, u16);

/// One PUT DATA object as the chip keeps it: the data field as sent (for the digest) and the
/// parsed value.
pub(super) struct Object {
    pub(super) data: Zeroizing<Vec<u8>>,
    pub(super) value: PutData,
}

/// What the writer has put on the chip.
#[derive(Default)]
pub(super) struct Written {
    pub(super) files: BTreeMap<FileKey, Vec<u8>>,
    pub(super) objects: BTreeMap<(u8, u8), Object>,
}

/// Volatile state, lost on reset.
#[derive(Default)]
pub(super) struct Session {
    pub(super) app_selected: bool,
    pub(super) current: Option<FileKey>,
    pub(super) sm: Option<SecureMessaging>,
    pub(super) bac: Option<BacChip>,
    /// A chained PUT DATA so far: its P1, P2 and the data of the parts received.
    pub(super) chain: Option<(u8, u8, Zeroizing<Vec<u8>>)>,
}

/// The chip after the lock.
struct Locked {
    chip: VirtualChip,
    image: ChipImage,
}

/// A virtual chip that starts blank and becomes operational when it is locked.
pub struct PersoChip {
    pub(super) blank: BlankChip,
    pub(super) transport: Option<BacKeys>,
    pub(super) written: Written,
    pub(super) session: Session,
    locked: Option<Locked>,
    last_refusal: Option<ChipError>,
    /// Why the last lock was refused, in full.
    pub(super) lock_error: Option<String>,
    apdus: u64,
}

impl std::fmt::Debug for PersoChip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PersoChip({:?}, {:?}, {} files, {} objects)",
            self.state(),
            self.blank.profile,
            self.written.files.len(),
            self.written.objects.len()
        )
    }
}

impl PersoChip {
    /// A blank chip as `blank` describes it (checked).
    pub fn new(blank: BlankChip) -> Result<PersoChip> {
        blank.check()?;
        let transport = blank
            .transport_seed()?
            .map(|seed| BacKeys::from_seed(&seed));
        Ok(PersoChip {
            blank,
            transport,
            written: Written::default(),
            session: Session::default(),
            locked: None,
            last_refusal: None,
            lock_error: None,
            apdus: 0,
        })
    }

    /// Where the chip is in its life cycle.
    pub fn state(&self) -> PersoState {
        if self.locked.is_some() {
            PersoState::Locked
        } else if self.written.files.is_empty() && self.written.objects.is_empty() {
            PersoState::Blank
        } else {
            PersoState::Personalizing
        }
    }

    /// The blank chip's description.
    pub fn blank(&self) -> &BlankChip {
        &self.blank
    }

    /// The personalized chip image, once the chip is locked.
    pub fn image(&self) -> Option<&ChipImage> {
        self.locked.as_ref().map(|l| &l.image)
    }

    /// The operational chip, once locked (its stats, its last refusal).
    pub fn operational(&self) -> Option<&VirtualChip> {
        self.locked.as_ref().map(|l| &l.chip)
    }

    /// Why the chip refused the last command it refused: the operational chip's after the lock.
    pub fn last_refusal(&self) -> Option<ChipError> {
        match &self.locked {
            Some(l) => l.chip.last_refusal(),
            None => self.last_refusal,
        }
    }

    /// Why the last lock was refused, in full (the refusal's reason is short).
    pub fn lock_error(&self) -> Option<&str> {
        self.lock_error.as_deref()
    }

    /// APDUs processed before the lock.
    pub fn perso_apdus(&self) -> u64 {
        self.apdus
    }

    fn refuse(&mut self, e: ChipError) -> Response {
        self.last_refusal = Some(e);
        Response::sw(status_word(e.kind))
    }

    fn end_session(&mut self) {
        self.session.sm = None;
    }

    fn handle_command(&mut self, cmd: &Command, wire_len: usize) -> Response {
        let len = self.blank.length_support();
        let protected = cmd.cla & 0x0C == 0x0C;
        if wire_len > len.max_command || (cmd.is_extended() && !len.extended) {
            if protected {
                self.end_session();
            }
            return self.refuse(ChipError::wrong_length(
                "APDU longer than the chip takes, or extended length",
            ));
        }
        if !protected {
            // An unprotected command ends a secure messaging session (9303-11 clause 9.8.1).
            self.end_session();
            return self.dispatch(cmd, false);
        }
        let Some(sm) = self.session.sm.as_mut() else {
            return self.refuse(ChipError::new(
                Refusal::SmObjectsIncorrect,
                "protected command outside a session",
            ));
        };
        let plain = match sm.unwrap_command(cmd) {
            Ok(p) => p,
            Err(e) => {
                let kind = if sm_error_status(&e) == sw::SM_MISSING {
                    Refusal::SmObjectsMissing
                } else {
                    Refusal::SmObjectsIncorrect
                };
                self.end_session();
                return self.refuse(ChipError::new(kind, "secure messaging objects"));
            }
        };
        let resp = self.dispatch(&plain, true);
        let odd = plain.ins & 1 == 1;
        match self
            .session
            .sm
            .as_mut()
            .map(|sm| sm.wrap_response(&resp, odd))
        {
            Some(Ok(wrapped)) => wrapped,
            _ => {
                self.end_session();
                self.refuse(ChipError::new(
                    Refusal::SmObjectsIncorrect,
                    "answer could not be protected",
                ))
            }
        }
    }

    fn dispatch(&mut self, cmd: &Command, protected: bool) -> Response {
        match self.dispatch_checked(cmd, protected) {
            Ok(resp) => resp,
            Err(e) => self.refuse(e),
        }
    }

    fn dispatch_checked(&mut self, cmd: &Command, protected: bool) -> ChipResult<Response> {
        if cmd.cla & 0xE0 != 0 {
            return Err(ChipError::new(
                Refusal::ClaNotSupported,
                "proprietary or reserved class",
            ));
        }
        let chained = cmd.cla & CLA_CHAINING != 0;
        if chained && cmd.ins != INS_PUT_DATA {
            return Err(ChipError::new(
                Refusal::ChainingNotSupported,
                "chaining for PUT DATA only",
            ));
        }
        let Some((p1, p2, mut data)) = self.session.chain.take() else {
            if chained {
                self.session.chain = Some((cmd.p1, cmd.p2, Zeroizing::new(cmd.data.clone())));
                return Ok(Response::sw(sw::OK));
            }
            return self.command(cmd, protected);
        };
        if cmd.ins != INS_PUT_DATA || (cmd.p1, cmd.p2) != (p1, p2) {
            return Err(ChipError::conditions("a chained PUT DATA was not finished"));
        }
        if data.len().saturating_add(cmd.data.len()) > MAX_CHAINED {
            return Err(ChipError::wrong_length("chained PUT DATA above 64 KB"));
        }
        data.extend_from_slice(&cmd.data);
        if chained {
            self.session.chain = Some((p1, p2, data));
            return Ok(Response::sw(sw::OK));
        }
        let whole = Command {
            data: data.to_vec(),
            ..cmd.clone()
        };
        self.command(&whole, protected)
    }

    /// The lock succeeded: the operational chip takes over from the next command.
    pub(super) fn become_operational(&mut self, chip: VirtualChip, image: ChipImage) {
        self.locked = Some(Locked { chip, image });
        self.lock_error = None;
    }
}

impl super::frame::ApduHandler for PersoChip {
    fn handle(&mut self, cmd: &Command, wire_len: usize) -> Response {
        self.handle_command(cmd, wire_len)
    }
    fn end_session(&mut self) {
        PersoChip::end_session(self);
    }
    fn refuse(&mut self, e: ChipError) -> Response {
        PersoChip::refuse(self, e)
    }
}

impl CardSide for PersoChip {
    fn atr(&self) -> Vec<u8> {
        match &self.locked {
            Some(l) => l.chip.atr(),
            None => atr(self.blank.length_support()),
        }
    }

    fn reset(&mut self) {
        self.session = Session::default();
        if let Some(l) = self.locked.as_mut() {
            l.chip.reset();
        }
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        if let Some(l) = self.locked.as_mut() {
            return l.chip.process(apdu);
        }
        self.apdus = self.apdus.saturating_add(1);
        super::frame::process(self, apdu)
    }
}

/// A [`PersoChip`] that hands its chip image to `on_lock` once, as soon as it is locked (for
/// `dactyl emulate --blank --save FILE`).
pub struct SaveOnLock<F: FnMut(&ChipImage)> {
    chip: PersoChip,
    on_lock: F,
    saved: bool,
}

impl<F: FnMut(&ChipImage)> SaveOnLock<F> {
    /// Wraps `chip`.
    pub fn new(chip: PersoChip, on_lock: F) -> Self {
        SaveOnLock {
            chip,
            on_lock,
            saved: false,
        }
    }

    /// The chip.
    pub fn chip(&self) -> &PersoChip {
        &self.chip
    }
}

impl<F: FnMut(&ChipImage)> CardSide for SaveOnLock<F> {
    fn atr(&self) -> Vec<u8> {
        self.chip.atr()
    }

    fn reset(&mut self) {
        self.chip.reset();
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        let answer = self.chip.process(apdu);
        if !self.saved
            && let Some(image) = self.chip.image()
        {
            self.saved = true;
            (self.on_lock)(image);
        }
        answer
    }
}
