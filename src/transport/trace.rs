//! APDU trace and counters: wraps any transport, counts APDUs and bytes each way, and prints each
//! exchange to stderr when asked. Data that could reveal keys or the MRZ (the authentication
//! cryptograms of ISO 7816-4 INS 82/86/87/88, the certificates of PSO 2A, and responses to unprotected reads) is redacted
//! unless secrets are explicitly allowed in the trace. A T=0 card answers such a command with
//! 61xx and hands the data over in GET RESPONSE (ISO/IEC 7816-4 clause 5.3.4): the GET RESPONSE
//! chain belongs to the command that started it and is redacted with it.

use super::{INS_GET_RESPONSE, SW1_MORE_DATA, Transport};
use crate::error::Result;
use crate::iso7816::challenge::{INS_EXTERNAL_AUTHENTICATE, INS_INTERNAL_AUTHENTICATE};
use crate::iso7816::{general_authenticate, pso, read_binary};
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

/// Where trace lines go.
type Sink = Box<dyn FnMut(&str) + Send>;

/// A transport wrapper that counts and optionally prints every APDU.
pub struct Trace<T: Transport> {
    inner: T,
    stats: StatsHandle,
    level: TraceLevel,
    /// The last response was 61xx to a command whose data is redacted: the GET RESPONSE that
    /// follows carries that data.
    redacted_chain: bool,
    sink: Sink,
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
                redacted_chain: false,
                sink: Box::new(|line| eprintln!("{line}")),
            },
            stats,
        )
    }

    /// Sends the trace lines to `sink` instead of stderr.
    pub fn with_sink(mut self, sink: impl FnMut(&str) + Send + 'static) -> Self {
        self.sink = Box::new(sink);
        self
    }

    /// The wrapped transport.
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

/// True when the command carries authentication cryptograms (BAC/PACE/AA/TA).
fn is_sensitive_ins(ins: u8) -> bool {
    matches!(
        ins,
        INS_EXTERNAL_AUTHENTICATE
            | general_authenticate::INS
            | general_authenticate::INS_ODD
            | INS_INTERNAL_AUTHENTICATE
            | pso::INS
    )
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

/// True when the response to `cmd` must be redacted: authentication data, or a plain read.
fn is_sensitive_response(cmd: &[u8]) -> bool {
    let cla = cmd.first().copied().unwrap_or(0);
    let ins = cmd.get(1).copied().unwrap_or(0);
    let plain_read = cla & 0x0C == 0 && matches!(ins, read_binary::INS_EVEN | read_binary::INS_ODD);
    is_sensitive_ins(ins) || plain_read
}

/// Formats one response for the trace, given the command that produced it.
pub fn format_response(cmd: &[u8], resp: &[u8], level: TraceLevel) -> String {
    format_response_redacted(resp, is_sensitive_response(cmd), level)
}

fn format_response_redacted(resp: &[u8], sensitive: bool, level: TraceLevel) -> String {
    if level == TraceLevel::Redacted && resp.len() > 2 && sensitive {
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
        let printing = self.level != TraceLevel::Silent;
        if printing {
            (self.sink)(&format!(">> {}", format_command(apdu, self.level)));
        }
        let get_response = apdu.get(1) == Some(&INS_GET_RESPONSE);
        let sensitive = is_sensitive_response(apdu) || (get_response && self.redacted_chain);
        self.redacted_chain = false;
        let resp = self.inner.transmit_raw(apdu);
        match &resp {
            Ok(r) => {
                self.stats.add(apdu.len(), r.len());
                let sw1 = r.len().checked_sub(2).and_then(|i| r.get(i));
                self.redacted_chain = sensitive && sw1 == Some(&SW1_MORE_DATA);
                if printing {
                    let line = format_response_redacted(r, sensitive, self.level);
                    (self.sink)(&format!("<< {line}"));
                }
            }
            Err(e) => {
                self.stats.add(apdu.len(), 0);
                if printing {
                    (self.sink)(&format!("<< error: {e}"));
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

    /// A T=0 card: every answer with data comes as 61xx, then GET RESPONSE.
    struct T0Card {
        data: Vec<u8>,
    }

    impl Transport for T0Card {
        fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
            Ok(match apdu.get(1) {
                Some(0xC0) => [self.data.as_slice(), &[0x90, 0x00]].concat(),
                _ => vec![0x61, self.data.len() as u8],
            })
        }
        fn atr(&self) -> Vec<u8> {
            Vec::new()
        }
        fn describe(&self) -> String {
            "T=0".into()
        }
    }

    fn traced(cmd: &crate::apdu::Command, data: &[u8], level: TraceLevel) -> String {
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = lines.clone();
        let card = T0Card {
            data: data.to_vec(),
        };
        let (t, stats) = Trace::new(card, level);
        let mut t = t.with_sink(move |l| sink.lock().unwrap().push(l.to_string()));
        let r = crate::transport::exchange(&mut t, cmd).unwrap();
        assert_eq!(r.data, data);
        assert_eq!(stats.get().apdus, 2);
        lines.lock().unwrap().join("\n")
    }

    #[test]
    fn get_response_chains_of_redacted_commands_are_redacted() {
        use crate::apdu::Command;
        let cryptogram = hex::decode(
            "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449",
        )
        .unwrap();
        let ext_auth = Command::new(0x00, 0x82, 0, 0)
            .with_data(vec![0x11; 40])
            .with_le(40);
        let shown = traced(&ext_auth, &cryptogram, TraceLevel::Redacted);
        assert!(!shown.contains("46B9342A"), "{shown}");
        assert!(shown.contains("<40 bytes redacted> 9000"), "{shown}");
        let full = traced(&ext_auth, &cryptogram, TraceLevel::Full);
        assert!(full.contains("46B9342A"), "{full}");
        // A plain read through GET RESPONSE is redacted too; a SELECT's answer is not.
        let read = Command::new(0x00, 0xB0, 0, 0).with_le(4);
        assert!(
            !traced(&read, &[0x61, 0x5B, 0x5F, 0x1F], TraceLevel::Redacted).contains("615B5F1F")
        );
        let select = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(vec![0xA0, 0, 0, 2, 0x47, 1]);
        assert!(traced(&select, &[0x6F, 0x00], TraceLevel::Redacted).contains("6F009000"));
    }
}
