//! In-memory transport: a direct link from the terminal code to a [`CardSide`] (the emulator),
//! no PC/SC involved. Used by `dactyl demo`, the tests and the benchmarks.

use super::{CardSide, Transport};
use crate::error::Result;

/// A terminal-side link that hands each APDU straight to a card.
pub struct InMemory<C: CardSide> {
    card: C,
}

impl<C: CardSide> InMemory<C> {
    /// Links to `card`, resetting it as inserting a card would.
    pub fn new(mut card: C) -> Self {
        card.reset();
        InMemory { card }
    }

    /// The card, for inspection in tests.
    pub fn card(&self) -> &C {
        &self.card
    }

    /// The card, mutably (to change its configuration between sessions).
    pub fn card_mut(&mut self) -> &mut C {
        &mut self.card
    }

    /// Takes the card back.
    pub fn into_card(self) -> C {
        self.card
    }
}

impl<C: CardSide> Transport for InMemory<C> {
    fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
        Ok(self.card.process(apdu))
    }

    fn atr(&self) -> Vec<u8> {
        self.card.atr()
    }

    fn describe(&self) -> String {
        "in-memory virtual chip".into()
    }
}

/// A card shared between links (written over one, read back over another), as a card that
/// stays in the reader between two sessions; each link resets it when it is made.
impl<C: CardSide> CardSide for std::sync::Arc<std::sync::Mutex<C>> {
    fn atr(&self) -> Vec<u8> {
        self.lock().map(|c| c.atr()).unwrap_or_default()
    }

    fn reset(&mut self) {
        if let Ok(mut c) = self.lock() {
            c.reset();
        }
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        match self.lock() {
            Ok(mut c) => c.process(apdu),
            // A poisoned chip answers like a mute card: "no precise diagnosis".
            Err(_) => vec![0x6F, 0x00],
        }
    }
}
