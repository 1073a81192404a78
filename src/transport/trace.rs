//! APDU trace and counters: wraps any transport, counts APDUs and bytes each way, and prints each
//! exchange to stderr when asked. Data that could reveal keys or the MRZ (the authentication
//! cryptograms of ISO 7816-4 INS 82/86/87/88 and responses to unprotected reads) is redacted
//! unless secrets are explicitly allowed in the trace.

use super::Transport;
use crate::error::Result;
use std::sync::{Arc, Mutex};

/// Traffic counters for one link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct TrafficStats {
    /// Command APDUs sent.
    pub apdus: u64,
    /// Bytes sent to the card (command APDUs).
    pub bytes_to_card: u64,
    /// Bytes received from the card (response APDUs including SW).
    pub bytes_from_card: u64,
}

/// A shared handle to the counters of a [`Trace`].
#[derive(Clone, Debug, Default)]
pub struct StatsHandle(Arc<Mutex<TrafficStats>>);

impl StatsHandle {
    /// The counters so far.
    pub fn get(&self) -> TrafficStats {
        self.0.lock().map(|s| *s).unwrap_or_default()
    }

    /// Sets the counters back to zero.
    pub fn reset(&self) {
        if let Ok(mut s) = self.0.lock() {
            *s = TrafficStats::default();
        }
    }

    fn add(&self, sent: usize, received: usize) {
        if let Ok(mut s) = self.0.lock() {
            s.apdus += 1;
            s.bytes_to_card += sent as u64;
            s.bytes_from_card += received as u64;
        }
    }
}

/// What a trace prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TraceLevel {
    /// Count only.
    #[default]
    Silent,
    /// Print each APDU with sensitive data redacted.
    Redacted,
    /// Print each APDU in full, keys and personal data included.
    Full,
}

/// A transport wrapper that counts and optionally prints every APDU.
pub struct Trace<T: Transport> {
    inner: T,
    stats: StatsHandle,
    level: TraceLevel,
}

impl<T: Transport> Trace<T> {
    /// Wraps `inner`; returns the wrapper and a handle to its counters.
    pub fn new(inner: T, level: TraceLevel) -> (Self, StatsHandle) {
        let stats = StatsHandle::default();
        (
            Trace {
                inner,
                stats: stats.clone(),
                level,
            },
            stats,
        )
    }

    /// The wrapped transport.
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

/// True when the command carries authentication cryptograms (BAC/PACE/AA/TA).
fn is_sensitive_ins(ins: u8) -> bool {
    matches!(ins, 0x82 | 0x86 | 0x87 | 0x88 | 0x2A)
}

/// Formats one command for the trace, redacting what must be redacted.
pub fn format_command(apdu: &[u8], level: TraceLevel) -> String {
    let ins = apdu.get(1).copied().unwrap_or(0);
    match (level, apdu.len() > 5 && is_sensitive_ins(ins)) {
        (TraceLevel::Redacted, true) => format!(
            "{} <{} bytes redacted>",
            hex::encode_upper(&apdu[..4]),
            apdu.len() - 4
        ),
        _ => hex::encode_upper(apdu),
    }
}

/// Formats one response for the trace, given the command that produced it.
pub fn format_response(cmd: &[u8], resp: &[u8], level: TraceLevel) -> String {
    let cla = cmd.first().copied().unwrap_or(0);
    let ins = cmd.get(1).copied().unwrap_or(0);
    let plain_read = cla & 0x0C == 0 && matches!(ins, 0xB0 | 0xB1);
    if level == TraceLevel::Redacted && resp.len() > 2 && (is_sensitive_ins(ins) || plain_read) {
        format!(
            "<{} bytes redacted> {}",
            resp.len() - 2,
            hex::encode_upper(&resp[resp.len() - 2..])
        )
    } else {
        hex::encode_upper(resp)
    }
}

impl<T: Transport> Transport for Trace<T> {
    fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
        if self.level != TraceLevel::Silent {
            eprintln!(">> {}", format_command(apdu, self.level));
        }
        let resp = self.inner.transmit_raw(apdu);
        match &resp {
            Ok(r) => {
                self.stats.add(apdu.len(), r.len());
                if self.level != TraceLevel::Silent {
                    eprintln!("<< {}", format_response(apdu, r, self.level));
                }
            }
            Err(e) => {
                self.stats.add(apdu.len(), 0);
                if self.level != TraceLevel::Silent {
                    eprintln!("<< error: {e}");
                }
            }
        }
        resp
    }

    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_authentication_cryptograms_and_plain_reads() {
        let ext_auth = hex::decode("008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728").unwrap();
        let shown = format_command(&ext_auth, TraceLevel::Redacted);
        assert!(!shown.contains("72C29C"), "{shown}");
        assert!(format_command(&ext_auth, TraceLevel::Full).contains("72C29C"));
        let read = [0x00, 0xB0, 0, 0, 0];
        assert!(
            !format_response(&read, &[0x61, 0x5B, 0x5F, 0x90, 0x00], TraceLevel::Redacted)
                .contains("615B")
        );
        let sm_read = [0x0C, 0xB0, 0, 0, 0];
        assert!(
            format_response(&sm_read, &[0x87, 0x09, 0x90, 0x00], TraceLevel::Redacted)
                .contains("8709")
        );
    }
}
