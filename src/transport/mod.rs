//! How bytes reach a chip (ISO/IEC 7816-4 clause 5 transmission, ISO/IEC 7816-3 T=0 GET RESPONSE
//! handling): one [`Transport`] trait with PC/SC, in-memory, traced and fault-injecting
//! implementations, and [`CardSide`], the card end that the emulator implements for the in-memory
//! link and for vsmartcard's vpcd.

pub mod fault;
pub mod memory;
pub mod pcsc;
pub mod trace;
pub mod vpcd;

use crate::apdu::{Command, Response};
use crate::error::{Error, Result};

/// A link to one card: sends a raw command APDU, returns the raw response (data || SW1 SW2).
pub trait Transport {
    /// Sends one command APDU exactly as given and returns the card's answer.
    fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>>;

    /// The card's answer-to-reset.
    fn atr(&self) -> Vec<u8>;

    /// A short description of where the card is (reader name, "in-memory", ...).
    fn describe(&self) -> String;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
        (**self).transmit_raw(apdu)
    }
    fn atr(&self) -> Vec<u8> {
        (**self).atr()
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// The card end of a link: what an emulated chip must do. Used by [`memory::InMemory`] and by the
/// vpcd client, which turns vpcd's power/reset control messages into these calls.
pub trait CardSide {
    /// The answer-to-reset.
    fn atr(&self) -> Vec<u8>;
    /// Power off or reset: all volatile state (selected files, sessions) is lost.
    fn reset(&mut self);
    /// Processes one raw command APDU and returns the raw response. Never fails: a malformed
    /// command gets an error status word.
    fn process(&mut self, apdu: &[u8]) -> Vec<u8>;
}

/// Sends a command and returns its response, doing what ISO 7816-4 asks of the terminal:
/// on `61xx` it issues GET RESPONSE until all data is collected, on `6Cxx` it re-sends the
/// command with Le = xx. Status words are returned, not turned into errors.
pub fn exchange(t: &mut dyn Transport, cmd: &Command) -> Result<Response> {
    let mut resp = Response::parse(&t.transmit_raw(&cmd.to_bytes()?)?)?;
    if resp.sw1() == 0x6C && cmd.le.is_some() {
        let retry = Command {
            le: Some(if resp.sw2() == 0 {
                256
            } else {
                resp.sw2() as usize
            }),
            ..cmd.clone()
        };
        resp = Response::parse(&t.transmit_raw(&retry.to_bytes()?)?)?;
    }
    let mut data = std::mem::take(&mut resp.data);
    let mut rounds = 0;
    while resp.sw1() == 0x61 {
        rounds += 1;
        if rounds > 256 || data.len() > crate::apdu::MAX_EXTENDED_NE {
            return Err(Error::Transport(
                "card keeps answering 61xx: more than 64 KB of GET RESPONSE data".into(),
            ));
        }
        let le = if resp.sw2() == 0 {
            256
        } else {
            resp.sw2() as usize
        };
        let get = Command::new(cmd.cla & 0x0F, 0xC0, 0, 0).with_le(le);
        resp = Response::parse(&t.transmit_raw(&get.to_bytes()?)?)?;
        data.append(&mut resp.data);
    }
    Ok(Response::new(data, resp.sw))
}
