//! Real readers through PC/SC (PC/SC Workgroup specification Part 5, as implemented by
//! pcsc-lite's `SCard*` API): list readers, pick the one that holds a card, wait for a card, and
//! send APDUs to it as a [`Transport`].
//!
//! Errors say what the user can do about them: no daemon -> [`Error::PcscNotRunning`], no reader
//! -> [`Error::NoReaders`], a wrong or ambiguous reader -> [`Error::ReaderChoice`] listing the
//! readers there are, a card that went away (removed, or reset by another program) ->
//! [`Error::CardRemoved`]. Anything else is [`Error::Pcsc`] with pcsc-lite's own text. Nothing
//! here panics on what pcscd or a card sends back.

use super::Transport;
use crate::error::{Error, Result};
use pcsc::{Context, Protocols, ReaderState, Scope, ShareMode, State};
use std::ffi::{CStr, CString};
use std::time::{Duration, Instant};

/// Receive buffer size: room for an extended-length response (65,536 data bytes + SW1 SW2) and
/// the few bytes pcsc-lite adds to its own limit.
const RECV_BUFFER: usize = pcsc::MAX_BUFFER_SIZE_EXTENDED;

/// One reader as PC/SC reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderInfo {
    /// The reader name, as used by `--reader` (e.g. "Virtual PCD 00 00").
    pub name: String,
    /// True when a card is in the reader (SCARD_STATE_PRESENT).
    pub card_present: bool,
}

/// Lists the readers pcscd knows, with whether each holds a card.
///
/// No reader attached is not an error here: it returns an empty list (connecting is where
/// [`Error::NoReaders`] comes from). No pcscd running gives [`Error::PcscNotRunning`].
pub fn list_readers() -> Result<Vec<ReaderInfo>> {
    let ctx = establish()?;
    let names = match reader_names(&ctx) {
        Err(Error::NoReaders) => return Ok(Vec::new()),
        other => other?,
    };
    reader_infos(&ctx, &names)
}

/// A card in a PC/SC reader, connected in shared mode with T=0 or T=1.
///
/// Dropping it disconnects with SCARD_RESET_CARD, so no later program inherits this session;
/// after the card was seen gone it disconnects with SCARD_LEAVE_CARD instead (see its `Drop` impl).
pub struct PcscTransport {
    /// Always `Some` until dropped.
    card: Option<pcsc::Card>,
    reader: String,
    atr: Vec<u8>,
    buf: Vec<u8>,
    /// The card was seen removed or reset: do not ask pcscd to reset it on disconnect.
    gone: bool,
}

/// Disconnects. A reset of a card that is gone can only fail, and pcscd handles such failures
/// badly: with pcsc-lite 1.9.9 and vpcd, a handle left over from an earlier card that
/// disconnected with a reset just after the emulator left made pcscd lose track of the reader
/// (the next card was polled but never reported; `vpcd::serve` works around it). So a transport
/// that saw its card go leaves it instead.
impl Drop for PcscTransport {
    fn drop(&mut self) {
        if let Some(card) = self.card.take() {
            let how = if self.gone {
                pcsc::Disposition::LeaveCard
            } else {
                pcsc::Disposition::ResetCard
            };
            let _ = card.disconnect(how);
        }
    }
}

impl std::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .field("atr", &hex::encode_upper(&self.atr))
            .finish()
    }
}

impl PcscTransport {
    /// Connects to the card in `reader`, or, with `None`, to the card in the one reader that holds
    /// a card.
    ///
    /// A name matches a reader exactly, or else as a case-insensitive part of exactly one reader
    /// name ("PCD 00 01"). Errors: [`Error::ReaderChoice`] when the name matches no reader (or
    /// several), when the named reader is empty, when no reader holds a card, or when several do;
    /// the message lists the readers there are.
    pub fn connect(reader: Option<&str>) -> Result<PcscTransport> {
        let ctx = establish()?;
        let names = reader_names(&ctx)?;
        let infos = reader_infos(&ctx, &names)?;
        let chosen = choose(&infos, reader)?;
        Self::connect_to(&ctx, chosen)
    }

    /// Waits up to `timeout` for a card to be in `reader` (or, with `None`, in any reader), then
    /// connects to it as [`PcscTransport::connect`] does. Readers plugged in while waiting count.
    ///
    /// With `None` and cards already in several readers, fails at once as `connect` does. When
    /// the time is up: [`Error::Pcsc`] saying how long it waited and which readers there are.
    pub fn wait_for_card(reader: Option<&str>, timeout: Duration) -> Result<PcscTransport> {
        let deadline = Instant::now() + timeout;
        let ctx = establish()?;
        loop {
            let names = match reader_names(&ctx) {
                Err(Error::NoReaders) => Vec::new(),
                other => other?,
            };
            let infos = reader_infos(&ctx, &names)?;
            match choose(&infos, reader) {
                Ok(chosen) if !infos.iter().any(|r| r.name == chosen && r.card_present) => {}
                Ok(chosen) => match Self::connect_to(&ctx, chosen) {
                    // The card left between the status query and the connect: keep waiting.
                    Err(Error::CardRemoved) | Err(Error::ReaderChoice(_)) => {}
                    other => return other,
                },
                Err(e @ Error::ReaderChoice(_)) if several_cards(&infos, reader) => return Err(e),
                Err(Error::ReaderChoice(_)) => {}
                Err(e) => return Err(e),
            }
            let now = Instant::now();
            if now >= deadline {
                let place = match reader {
                    Some(r) => format!("reader \"{r}\""),
                    None => "any reader".to_string(),
                };
                return Err(Error::Pcsc(format!(
                    "no card in {place} after waiting {:.1} s (readers: {})",
                    timeout.as_secs_f64(),
                    describe_list(&infos)
                )));
            }
            // Block until a reader's state or the reader list changes, at most 250 ms at a time
            // so that a reader without change notification is still polled.
            let slice = (deadline - now).min(Duration::from_millis(250));
            wait_for_change(&ctx, &names, slice)?;
        }
    }

    fn connect_to(ctx: &Context, reader: &str) -> Result<PcscTransport> {
        let cname = CString::new(reader)
            .map_err(|_| Error::ReaderChoice(format!("reader name {reader:?} holds a NUL byte")))?;
        let card = ctx
            .connect(&cname, ShareMode::Shared, Protocols::T0 | Protocols::T1)
            .map_err(|e| match e {
                pcsc::Error::NoSmartcard => {
                    Error::ReaderChoice(format!("no card in reader \"{reader}\""))
                }
                pcsc::Error::UnknownReader => {
                    Error::ReaderChoice(format!("reader \"{reader}\" went away"))
                }
                other => map_err(other),
            })?;
        let atr = card_atr(&card).unwrap_or_default();
        Ok(PcscTransport {
            card: Some(card),
            reader: reader.to_string(),
            atr,
            buf: vec![0u8; RECV_BUFFER],
            gone: false,
        })
    }

    /// The reader this transport talks through.
    pub fn reader(&self) -> &str {
        &self.reader
    }
}

impl Transport for PcscTransport {
    fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
        let Some(card) = self.card.as_ref() else {
            return Err(Error::CardRemoved);
        };
        let result = match card.transmit(apdu, &mut self.buf) {
            Ok(resp) if resp.len() >= 2 => return Ok(resp.to_vec()),
            // A driver that lost its card may report success with fewer than 2 bytes.
            Ok(resp) => Err(Error::Transport(format!(
                "reader \"{}\" returned {} byte(s), not a response APDU (data || SW1 SW2)",
                self.reader,
                resp.len()
            ))),
            Err(pcsc::Error::NotTransacted) => {
                // pcsc-lite's text for this one ("end a non-existent transaction") misleads.
                self.gone = true;
                Err(Error::Pcsc(format!(
                    "reader \"{}\" could not exchange the APDU with the card \
                     (SCARD_E_NOT_TRANSACTED): card removed or not answering",
                    self.reader
                )))
            }
            Err(e) => {
                // The card or the link to it died: a reset on disconnect would fail too.
                use pcsc::Error as P;
                if matches!(
                    e,
                    P::CommError | P::UnresponsiveCard | P::UnpoweredCard | P::ReaderUnavailable
                ) {
                    self.gone = true;
                }
                Err(map_err(e))
            }
        };
        // A failed exchange: when pcscd already knows the card is gone, say so.
        let result = match card.status2_owned() {
            Err(e) if matches!(map_err(e), Error::CardRemoved) => Err(Error::CardRemoved),
            _ => result,
        };
        if let Err(Error::CardRemoved) = result {
            self.gone = true;
        }
        result
    }

    /// The ATR the card has now, as pcscd reports it (SCardStatus); the one seen at connect time
    /// if the card cannot be asked any more.
    fn atr(&self) -> Vec<u8> {
        match self.card.as_ref().map(card_atr) {
            Some(Ok(atr)) if !atr.is_empty() => atr,
            _ => self.atr.clone(),
        }
    }

    fn describe(&self) -> String {
        self.reader.clone()
    }
}

/// Maps a pcsc-lite error to dactyl's: the ones a user can act on get their own variant.
pub(crate) fn map_err(e: pcsc::Error) -> Error {
    use pcsc::Error as P;
    match e {
        P::NoReadersAvailable => Error::NoReaders,
        P::NoService | P::ServiceStopped => Error::PcscNotRunning,
        P::RemovedCard | P::ResetCard | P::NoSmartcard => Error::CardRemoved,
        other => Error::Pcsc(format!("{other} ({})", error_name(other))),
    }
}

/// The pcsc crate's name for an error (`SharingViolation`, ...), for messages people search for.
fn error_name(e: pcsc::Error) -> String {
    format!("{e:?}")
}

fn establish() -> Result<Context> {
    Context::establish(Scope::User).map_err(map_err)
}

fn reader_names(ctx: &Context) -> Result<Vec<String>> {
    let names = ctx.list_readers_owned().map_err(map_err)?;
    if names.is_empty() {
        return Err(Error::NoReaders);
    }
    Ok(names
        .iter()
        .map(|n| n.to_string_lossy().into_owned())
        .collect())
}

/// The state of each named reader (SCardGetStatusChange with "unaware" states returns at once).
fn reader_infos(ctx: &Context, names: &[String]) -> Result<Vec<ReaderInfo>> {
    let mut states = reader_states(names)?;
    if states.is_empty() {
        return Ok(Vec::new());
    }
    match ctx.get_status_change(Duration::ZERO, &mut states) {
        Ok(()) | Err(pcsc::Error::Timeout) => {}
        // A reader unplugged between listing and asking: report what is left.
        Err(pcsc::Error::UnknownReader) => {
            let names = match reader_names(ctx) {
                Err(Error::NoReaders) => return Ok(Vec::new()),
                other => other?,
            };
            let mut states = reader_states(&names)?;
            match ctx.get_status_change(Duration::ZERO, &mut states) {
                Ok(()) | Err(pcsc::Error::Timeout) => {}
                Err(e) => return Err(map_err(e)),
            }
            return Ok(infos_of(&states));
        }
        Err(e) => return Err(map_err(e)),
    }
    Ok(infos_of(&states))
}

fn reader_states(names: &[String]) -> Result<Vec<ReaderState>> {
    names
        .iter()
        .map(|n| {
            CString::new(n.as_str())
                .map(|c| ReaderState::new(c, State::UNAWARE))
                .map_err(|_| Error::Pcsc(format!("reader name {n:?} holds a NUL byte")))
        })
        .collect()
}

fn infos_of(states: &[ReaderState]) -> Vec<ReaderInfo> {
    states
        .iter()
        .map(|s| ReaderInfo {
            name: s.name().to_string_lossy().into_owned(),
            card_present: s.event_state().contains(State::PRESENT)
                && !s.event_state().contains(State::MUTE),
        })
        .collect()
}

/// Blocks until a reader's state or the reader list changes, or `timeout` passes.
fn wait_for_change(ctx: &Context, names: &[String], timeout: Duration) -> Result<()> {
    let mut states = reader_states(names)?;
    let pnp: &CStr = pcsc::PNP_NOTIFICATION();
    states.push(ReaderState::new(pnp, State::UNAWARE));
    // First learn the current states, then wait for any of them to change.
    match ctx.get_status_change(Duration::ZERO, &mut states) {
        Ok(()) | Err(pcsc::Error::Timeout) => {}
        Err(pcsc::Error::UnknownReader) => return Ok(()),
        Err(e) => return Err(map_err(e)),
    }
    for s in states.iter_mut() {
        s.sync_current_state();
    }
    match ctx.get_status_change(timeout, &mut states) {
        Ok(()) | Err(pcsc::Error::Timeout) | Err(pcsc::Error::UnknownReader) => Ok(()),
        Err(e) => Err(map_err(e)),
    }
}

/// Picks the reader to use among `infos`.
fn choose<'a>(infos: &'a [ReaderInfo], wanted: Option<&str>) -> Result<&'a str> {
    if infos.is_empty() {
        return Err(Error::NoReaders);
    }
    match wanted {
        Some(name) => {
            if let Some(r) = infos.iter().find(|r| r.name == name) {
                return Ok(&r.name);
            }
            let lower = name.to_lowercase();
            let hits: Vec<&ReaderInfo> = infos
                .iter()
                .filter(|r| !lower.is_empty() && r.name.to_lowercase().contains(&lower))
                .collect();
            match hits.as_slice() {
                [one] => Ok(&one.name),
                [] => Err(Error::ReaderChoice(format!(
                    "no reader named \"{name}\"; readers: {}",
                    describe_list(infos)
                ))),
                _ => Err(Error::ReaderChoice(format!(
                    "\"{name}\" matches several readers, give the full name: {}",
                    describe_list(infos)
                ))),
            }
        }
        None => {
            let with_card: Vec<&ReaderInfo> = infos.iter().filter(|r| r.card_present).collect();
            match with_card.as_slice() {
                [one] => Ok(&one.name),
                [] => Err(Error::ReaderChoice(format!(
                    "no card in any reader: {}",
                    describe_list(infos)
                ))),
                _ => Err(Error::ReaderChoice(format!(
                    "cards in several readers, pick one with --reader: {}",
                    describe_list(infos)
                ))),
            }
        }
    }
}

fn several_cards(infos: &[ReaderInfo], wanted: Option<&str>) -> bool {
    wanted.is_none() && infos.iter().filter(|r| r.card_present).count() > 1
}

/// "\"A\" (card), \"B\" (empty)", or "none".
fn describe_list(infos: &[ReaderInfo]) -> String {
    if infos.is_empty() {
        return "none".into();
    }
    infos
        .iter()
        .map(|r| {
            format!(
                "\"{}\" ({})",
                r.name,
                if r.card_present { "card" } else { "empty" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn card_atr(card: &pcsc::Card) -> Result<Vec<u8>> {
    let status = card.status2_owned().map_err(map_err)?;
    Ok(status.atr().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infos(list: &[(&str, bool)]) -> Vec<ReaderInfo> {
        list.iter()
            .map(|(n, c)| ReaderInfo {
                name: n.to_string(),
                card_present: *c,
            })
            .collect()
    }

    #[test]
    fn errors_map_to_what_users_can_act_on() {
        assert!(matches!(
            map_err(pcsc::Error::NoService),
            Error::PcscNotRunning
        ));
        assert!(matches!(
            map_err(pcsc::Error::ServiceStopped),
            Error::PcscNotRunning
        ));
        assert!(matches!(
            map_err(pcsc::Error::NoReadersAvailable),
            Error::NoReaders
        ));
        assert!(matches!(
            map_err(pcsc::Error::RemovedCard),
            Error::CardRemoved
        ));
        assert!(matches!(
            map_err(pcsc::Error::ResetCard),
            Error::CardRemoved
        ));
        let e = map_err(pcsc::Error::SharingViolation);
        assert!(matches!(e, Error::Pcsc(_)));
        assert!(e.to_string().contains("SharingViolation"), "{e}");
        assert_eq!(
            Error::PcscNotRunning.to_string(),
            "PC/SC service not running: start pcscd"
        );
    }

    #[test]
    fn choose_by_exact_name_then_unique_part() {
        let list = infos(&[("Virtual PCD 00 00", false), ("Virtual PCD 00 01", true)]);
        assert_eq!(
            choose(&list, Some("Virtual PCD 00 00")).unwrap(),
            "Virtual PCD 00 00"
        );
        assert_eq!(
            choose(&list, Some("pcd 00 01")).unwrap(),
            "Virtual PCD 00 01"
        );
        let e = choose(&list, Some("Virtual")).unwrap_err();
        assert!(e.to_string().contains("several readers"), "{e}");
        let e = choose(&list, Some("ACS ACR122U")).unwrap_err();
        assert!(matches!(e, Error::ReaderChoice(_)));
        assert!(
            e.to_string().contains("\"Virtual PCD 00 01\" (card)"),
            "{e}"
        );
        assert!(matches!(choose(&[], None), Err(Error::NoReaders)));
    }

    #[test]
    fn choose_without_name_needs_exactly_one_card() {
        let one = infos(&[("A", false), ("B", true)]);
        assert_eq!(choose(&one, None).unwrap(), "B");
        let none = infos(&[("A", false), ("B", false)]);
        let e = choose(&none, None).unwrap_err().to_string();
        assert_eq!(e, "no card in any reader: \"A\" (empty), \"B\" (empty)");
        let two = infos(&[("A", true), ("B", true)]);
        let e = choose(&two, None).unwrap_err().to_string();
        assert!(
            e.starts_with("cards in several readers, pick one with --reader: "),
            "{e}"
        );
        assert!(several_cards(&two, None));
        assert!(!several_cards(&two, Some("A")));
    }
}
