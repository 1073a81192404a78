//! A terminal's session with one chip: the transport, the secure messaging session once access
//! control has run, and the APDU lengths the chip accepts (ISO/IEC 7816-4 clause 12.1.1.9 card
//! capabilities in the ATR, clause 12.7.1 extended length information in EF.ATR/INFO, ICAO Doc
//! 9303-10 clause 3.11).

use crate::access::bac::{self, BacKeys, TerminalNonces};
use crate::access::pace::{PaceOutcome, PaceSuite, Password, establish};
use crate::access::ta::ChipIdentifier;
use crate::apdu::{Command, Response, sw};
use crate::error::{Error, Result};
use crate::iso7816::atr_info::{EF_ATR_INFO_SFI, ExtendedLengthInfo, atr_extended_length};
use crate::iso7816::read_binary::{self, FileRef, ReadBinary};
use crate::iso7816::select::Select;
use crate::lds::files::LDS1_AID;
use crate::sm::SecureMessaging;
use crate::transport::{Transport, exchange};

/// Whether the reader may use extended length APDUs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub enum LengthPolicy {
    /// Use extended length when the chip announces it.
    #[default]
    Auto,
    /// Never use extended length.
    ShortOnly,
}

/// The APDU sizes the reader uses with this chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Limits {
    /// Extended length in use.
    pub extended: bool,
    /// Largest response APDU (SW included) the reader will ask for.
    pub max_response: usize,
}

impl Limits {
    /// Short APDUs only: 256 data bytes + SW.
    pub const SHORT: Limits = Limits {
        extended: false,
        max_response: 258,
    };
}

/// What the reader has learned a chip does not support, kept for the rest of the session so
/// that each file does not meet the same refusal again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ChipHabits {
    /// READ BINARY by short EF identifier refused: files are selected by file identifier.
    pub no_sfi: bool,
    /// The most bytes one READ BINARY may ask for (the chip returned no more with 9000).
    pub max_read: Option<usize>,
    /// The smallest READ BINARY length answered 6700, while searching for the chip's limit.
    pub read_fail: Option<usize>,
    /// The largest READ BINARY length accepted since a 6700.
    pub read_ok: usize,
    /// Le = 256 (`00`) mishandled: ask for 255 at most.
    pub no_le_256: bool,
}

/// A session with one chip.
pub struct Session {
    transport: Box<dyn Transport>,
    sm: Option<SecureMessaging>,
    limits: Limits,
    habits: ChipHabits,
    last_bare: bool,
    warnings: Vec<String>,
    /// `ID_PICC` candidates for Terminal Authentication, the preferred first: after PACE the
    /// dynamic binding, then the static one of old documents; empty after BAC (the reader
    /// takes the document number from DG1).
    chip_identifiers: Vec<ChipIdentifier>,
    /// Comp of the terminal's ephemeral key of the newest Chip Authentication or PACE-CAM.
    terminal_key: Option<Vec<u8>>,
    /// The LDS1 application is the current DF (else the master file is).
    in_application: bool,
}

impl Session {
    /// A session over `transport`, using short APDUs until told otherwise.
    pub fn new(transport: Box<dyn Transport>) -> Self {
        Session {
            transport,
            sm: None,
            limits: Limits::SHORT,
            habits: ChipHabits::default(),
            last_bare: false,
            warnings: Vec::new(),
            chip_identifiers: Vec::new(),
            terminal_key: None,
            in_application: false,
        }
    }

    /// What the session noticed about the chip that a report should show (a malformed
    /// EF.ATR/INFO, ...); taken once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// The APDU sizes in use.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Replaces the APDU sizes (after a chip answered 6700 to an extended command, say).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// What the chip was found not to support so far.
    pub fn habits(&self) -> ChipHabits {
        self.habits
    }

    /// Replaces what is known of the chip's habits.
    pub fn set_habits(&mut self, habits: ChipHabits) {
        self.habits = habits;
    }

    /// True when the last answer under secure messaging was a bare error status word (no DO 99
    /// or DO 8E): the chip refused the command, and the status is not authenticated.
    pub fn last_answer_unprotected(&self) -> bool {
        self.last_bare
    }

    /// The secure messaging session, if one is open.
    pub fn secure_messaging(&self) -> Option<&SecureMessaging> {
        self.sm.as_ref()
    }

    /// Ends the session and hands back the transport.
    pub fn into_transport(self) -> Box<dyn Transport> {
        self.transport
    }

    /// The transport's description.
    pub fn describe(&self) -> String {
        self.transport.describe()
    }

    /// Sends a command, protected when a secure messaging session is open. A secure messaging
    /// failure ends the session: later commands go out unprotected and the chip refuses them.
    /// Under secure messaging a bare error status word comes back as the chip's refusal (see
    /// [`Session::last_answer_unprotected`]); a bare success or warning is an error.
    pub fn transmit(&mut self, cmd: &Command) -> Result<Response> {
        self.last_bare = false;
        let Some(sm) = self.sm.as_mut() else {
            return exchange(self.transport.as_mut(), cmd);
        };
        let mut wrapped = sm.wrap_command(cmd)?;
        // A READ BINARY with a short Ne can still need more than 256 protected bytes (up to 256
        // plain bytes plus padding, DO 87, DO 99 and DO 8E): ask for them with an extended Le
        // when the chip takes extended length (the outer Le is not part of the MAC). Other
        // commands keep a short Le: some chips answer nothing to INTERNAL AUTHENTICATE with an
        // extended one.
        let odd = cmd.ins & 1 == 1;
        if self.limits.extended
            && matches!(cmd.ins, read_binary::INS_EVEN | read_binary::INS_ODD)
            && cmd
                .le
                .is_some_and(|le| sm.wrapped_response_len(le, odd) > crate::apdu::MAX_SHORT_NE)
        {
            wrapped.le = Some(crate::apdu::MAX_EXTENDED_NE);
        }
        let resp = exchange(self.transport.as_mut(), &wrapped)?;
        match sm.unwrap_response(&resp) {
            Ok(r) => {
                self.last_bare = resp.data.is_empty();
                Ok(r)
            }
            Err(e) => {
                self.sm = None;
                Err(e)
            }
        }
    }

    /// Decides on extended length: the ATR's card capabilities first; unless they rule it
    /// out, EF.ATR/INFO (read in plain by short EF identifier 01, before the application is
    /// selected) gives the buffer sizes. Costs at most one APDU.
    pub fn detect_length_support(&mut self, policy: LengthPolicy) -> Result<()> {
        self.limits = Limits::SHORT;
        if policy == LengthPolicy::ShortOnly {
            return Ok(());
        }
        let from_atr = atr_extended_length(&self.transport.atr());
        if from_atr == Some(false) {
            return Ok(());
        }
        // When the ATR announces extended length, EF.ATR/INFO is asked for with an extended Le:
        // a chip that announces it and then refuses it (6700) is found out before secure
        // messaging, at no extra cost.
        let le = if from_atr == Some(true) {
            crate::apdu::MAX_EXTENDED_NE
        } else {
            256
        };
        let read = ReadBinary::new(FileRef::Sfi(EF_ATR_INFO_SFI), 0, le);
        let info = self.transmit(&read.to_command()?)?;
        if le > 256 && info.sw == sw::WRONG_LENGTH {
            return Ok(());
        }
        let sizes = if info.sw == sw::OK || info.sw == sw::END_OF_FILE {
            let sizes =
                ExtendedLengthInfo::decode(&info.data).map(|i| (i.max_command, i.max_response));
            match sizes {
                None if !info.data.is_empty() => self.warnings.push(format!(
                    "EF.ATR/INFO is malformed (no extended length information 7F66 with two \
                     sizes in its {} bytes): buffer sizes from the ATR are used",
                    info.data.len()
                )),
                Some((cmd, resp)) if cmd < 5 || resp < 3 => self.warnings.push(format!(
                    "EF.ATR/INFO announces impossible buffer sizes ({cmd} bytes a command, \
                     {resp} a response)"
                )),
                _ => {}
            }
            sizes.filter(|&(cmd, resp)| cmd >= 5 && resp >= 3)
        } else {
            None
        };
        match (sizes, from_atr) {
            (Some((_, max_response)), _) => {
                self.limits = Limits {
                    extended: max_response > Limits::SHORT.max_response,
                    max_response: max_response.min(65_538),
                }
            }
            (None, Some(true)) => {
                self.limits = Limits {
                    extended: true,
                    max_response: 65_538,
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// SELECT the LDS1 application by AID (no response data asked, so no Le).
    pub fn select_application(&mut self) -> Result<()> {
        let cmd = Select::application(&LDS1_AID).to_command();
        self.transmit(&cmd)?.check("SELECT eMRTD application")?;
        self.in_application = true;
        Ok(())
    }

    /// SELECT the master file (its EF.CardAccess and EF.CardSecurity share FIDs and SFIs with
    /// the application's EF.CVCA and EF.SOD, ICAO Doc 9303-10 clause 3.11).
    pub fn select_master_file(&mut self) -> Result<()> {
        let cmd = Select::master_file().to_command();
        self.transmit(&cmd)?.check("SELECT master file")?;
        self.in_application = false;
        Ok(())
    }

    /// True while the LDS1 application is the current DF.
    pub fn in_application(&self) -> bool {
        self.in_application
    }

    /// Runs PACE (unprotected) and starts its secure messaging; returns what PACE established
    /// besides the session (CAM data, the chip's mapping key).
    pub fn open_pace(
        &mut self,
        password: &Password,
        suite: PaceSuite,
        name_parameters: bool,
    ) -> Result<PaceOutcome> {
        self.sm = None;
        self.chip_identifiers.clear();
        self.terminal_key = None;
        let transport = self.transport.as_mut();
        let (sm, outcome) = establish(
            &mut |c| exchange(transport, c),
            password,
            suite,
            name_parameters,
        )?;
        self.sm = Some(sm);
        let static_id = match password {
            Password::Mrz(info) => ChipIdentifier::document_number(info),
            Password::Can(can) => ChipIdentifier::can(can),
        };
        self.chip_identifiers = vec![outcome.dynamic_chip_identifier()?, static_id];
        self.terminal_key = outcome.cam_terminal_key()?;
        Ok(outcome)
    }

    /// Switches to Chip Authentication's session; `terminal_key` is Comp of the terminal's
    /// ephemeral key, which a following Terminal Authentication binds.
    pub fn chip_authenticated(&mut self, sm: SecureMessaging, terminal_key: Vec<u8>) {
        self.sm = Some(sm);
        self.terminal_key = Some(terminal_key);
    }

    /// What Terminal Authentication binds in this session: the `ID_PICC` candidates (empty
    /// after BAC) and Comp of the terminal's newest ephemeral key (`None` before Chip
    /// Authentication or PACE-CAM).
    pub fn terminal_authentication_binding(&self) -> (&[ChipIdentifier], Option<&[u8]>) {
        (&self.chip_identifiers, self.terminal_key.as_deref())
    }

    /// Runs BAC and starts 3DES secure messaging.
    pub fn open_bac(&mut self, keys: &BacKeys) -> Result<()> {
        self.sm = None;
        self.chip_identifiers.clear();
        self.terminal_key = None;
        let nonces = TerminalNonces::random()?;
        let transport = self.transport.as_mut();
        self.sm = Some(bac::authenticate(
            &mut |c| exchange(transport, c),
            keys,
            &nonces,
        )?);
        Ok(())
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Session({}, {:?}, sm: {})",
            self.transport.describe(),
            self.limits,
            self.sm.is_some()
        )
    }
}

/// Maps "no such file" to a clearer error.
pub fn not_found(name: &str, e: Error) -> Error {
    match e.sw() {
        Some(sw::FILE_NOT_FOUND) => Error::Lds(format!("{name} is not on this chip")),
        _ => e,
    }
}
