//! How bytes reach a chip (ISO/IEC 7816-4 clause 5 transmission, ISO/IEC 7816-3 T=0 GET RESPONSE
//! handling): one [`Transport`] trait with PC/SC, in-memory, traced and fault-injecting
//! implementations, and [`CardSide`], the card end that the emulator implements for the in-memory
//! link and for vsmartcard's vpcd.

pub mod fault;
pub mod memory;
#[cfg(feature = "pcsc")]
pub mod pcsc;
pub mod trace;
pub mod vpcd;

use crate::apdu::{Command, Response};
use crate::error::{Error, Result};

/// The GET RESPONSE instruction (ISO/IEC 7816-4 clause 11.7.1).
pub const INS_GET_RESPONSE: u8 = 0xC0;
/// SW1 `61`: more response data, SW2 bytes (or 256 for `00`) to fetch with GET RESPONSE.
pub const SW1_MORE_DATA: u8 = 0x61;
/// SW1 `6C`: wrong Le, SW2 the exact length (or 256 for `00`) to ask again with.
pub const SW1_WRONG_LE: u8 = 0x6C;

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
/// command with Le = xx (unless the answer carries secure messaging data objects). Status
/// words are returned, not turned into errors.
pub fn exchange(t: &mut dyn Transport, cmd: &Command) -> Result<Response> {
    let mut resp = Response::parse(&t.transmit_raw(&cmd.to_bytes()?)?)?;
    // A 6Cxx carrying data is a secure messaging response (DO99 + DO8E): the layer above
    // re-asks, since a re-sent protected command would replay its MAC.
    if resp.sw1() == SW1_WRONG_LE && cmd.le.is_some() && resp.data.is_empty() {
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
    while resp.sw1() == SW1_MORE_DATA {
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
        let get = Command::new(cmd.cla & 0x0F, INS_GET_RESPONSE, 0, 0).with_le(le);
        resp = Response::parse(&t.transmit_raw(&get.to_bytes()?)?)?;
        data.append(&mut resp.data);
    }
    Ok(Response::new(data, resp.sw))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scripted card: answers each command with the next canned response, recording commands.
    struct Script {
        answers: Vec<Vec<u8>>,
        sent: Vec<Vec<u8>>,
    }

    impl Transport for Script {
        fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
            self.sent.push(apdu.to_vec());
            if self.answers.is_empty() {
                return Err(Error::Transport("script exhausted".into()));
            }
            Ok(self.answers.remove(0))
        }
        fn atr(&self) -> Vec<u8> {
            Vec::new()
        }
        fn describe(&self) -> String {
            "script".into()
        }
    }

    #[test]
    fn get_response_collects_61xx_chains() {
        let mut t = Script {
            answers: vec![
                vec![1, 2, 0x61, 0x03],
                vec![3, 4, 5, 0x61, 0x00],
                vec![6, 0x90, 0x00],
            ],
            sent: vec![],
        };
        let r = exchange(&mut t, &Command::new(0x00, 0xB0, 0, 0).with_le(256)).unwrap();
        assert_eq!(r, Response::new(vec![1, 2, 3, 4, 5, 6], 0x9000));
        assert_eq!(t.sent[1], [0x00, 0xC0, 0x00, 0x00, 0x03]);
        assert_eq!(t.sent[2], [0x00, 0xC0, 0x00, 0x00, 0x00]);
    }

    #[test]
    fn wrong_le_6cxx_resends_with_the_exact_length() {
        let mut t = Script {
            answers: vec![vec![0x6C, 0x05], vec![1, 2, 3, 4, 5, 0x90, 0x00]],
            sent: vec![],
        };
        let r = exchange(&mut t, &Command::new(0x00, 0xB0, 0, 0).with_le(231)).unwrap();
        assert_eq!(r.data, [1, 2, 3, 4, 5]);
        assert_eq!(t.sent[1], [0x00, 0xB0, 0x00, 0x00, 0x05]);
    }

    #[test]
    fn endless_61xx_is_an_error_not_a_hang() {
        let mut t = Script {
            answers: vec![vec![0xAA; 254].into_iter().chain([0x61, 0x00]).collect(); 400],
            sent: vec![],
        };
        assert!(exchange(&mut t, &Command::new(0x00, 0xB0, 0, 0).with_le(256)).is_err());
    }

    #[test]
    fn garbage_answers_are_errors() {
        let mut t = Script {
            answers: vec![vec![0x90]],
            sent: vec![],
        };
        assert!(exchange(&mut t, &Command::new(0x00, 0xA4, 0, 0)).is_err());
    }
}
