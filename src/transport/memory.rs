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
