//! The card end of vsmartcard's vpcd protocol: makes a [`CardSide`] (the emulator) a card in the
//! "Virtual PCD" reader that pcscd's vpcd driver offers, so any PC/SC program can talk to it.
//!
//! The vpcd driver (Debian `vsmartcard-vpcd`) listens on TCP: port 35963 is reader
//! "Virtual PCD 00 00", 35964 is "Virtual PCD 00 01" (on all interfaces). The emulator connects as
//! a client. Every message either way is a frame: a 2-byte big-endian length, then that many
//! bytes. From pcscd, a 1-byte payload is a control message: 0 power off, 1 power on, 2 reset
//! (no answer to any of these), 4 "send the ATR" (answered with a frame holding the ATR). Any longer
//! payload is a command APDU, answered with a frame holding the response APDU.
//!
//! What pcscd (pcsc-lite 1.9.9, vsmartcard-vpcd 3.3) does, as measured here:
//! - it polls for card presence every 400 ms by asking for the ATR, so a card appears or goes
//!   away up to 400 ms after the emulator connects or closes its socket;
//! - it keeps the ATR read at power-on/reset: `SCardStatus` does not see an ATR that the
//!   emulator changes later, until the card is reset or inserted again;
//! - it takes one emulator per port: a second one's TCP connect succeeds (it waits in the
//!   kernel's accept queue) but pcscd talks to it only once the first has gone;
//! - when it restarts, the connection drops: [`serve`] reconnects every
//!   [`ServeOptions::retry_interval`] until pcscd is back (the card reappeared about 0.5 s after
//!   the new pcscd started), or until [`ServeOptions::max_reconnect_wait`] has passed, or
//!   [`ServeOptions::stop`] is set;
//! - it writes each frame's length and payload in two `send` calls without TCP_NODELAY, which
//!   with delayed ACKs costs ~40 ms per message; [`serve`] sets TCP_QUICKACK to avoid it.

use super::CardSide;
use crate::error::{Error, Result};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// TCP port of reader "Virtual PCD 00 00"; the next reader is on the next port.
pub const DEFAULT_PORT: u16 = 35963;
/// Where pcscd's vpcd driver listens for reader "Virtual PCD 00 00".
pub const DEFAULT_ADDR: &str = "127.0.0.1:35963";

/// Control message: power off.
pub const CTRL_OFF: u8 = 0;
/// Control message: power on.
pub const CTRL_ON: u8 = 1;
/// Control message: reset.
pub const CTRL_RESET: u8 = 2;
/// Control message: send the ATR.
pub const CTRL_ATR: u8 = 4;

/// The answer sent when the card's response cannot be framed (empty, or longer than 65,535 bytes):
/// SW 6F00, "no precise diagnosis". An empty frame would make vpcd drop the card.
const UNFRAMEABLE_SW: [u8; 2] = [0x6F, 0x00];

/// How often a blocked read wakes up to look at the stop flag.
const POLL: Duration = Duration::from_millis(100);

/// The PC/SC reader name for a vpcd port (35963 -> "Virtual PCD 00 00").
pub fn reader_name(port: u16) -> String {
    format!("Virtual PCD 00 {:02}", port.saturating_sub(DEFAULT_PORT))
}

/// How [`serve`] behaves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Give up when pcscd cannot be reached for this long (from start, or from losing the
    /// connection); `None` retries forever.
    pub max_reconnect_wait: Option<Duration>,
    /// Time between connection attempts (500 ms by default).
    pub retry_interval: Duration,
    /// Set it to make [`serve`] close the connection and return `Ok` (checked about every 100 ms).
    pub stop: Arc<AtomicBool>,
    /// Print a line to stderr on connect and on losing the connection (true by default).
    pub log: bool,
    /// Reconnect when pcscd, after a new connection, keeps asking for the ATR but has not
    /// powered the card on within this time (3 s by default; `None` never). pcsc-lite 1.9.9 can
    /// lose track of a vpcd reader (seen when a client's stale handle disconnected with a reset
    /// just after the previous emulator left): it then polls the new card but never reports it
    /// to clients, until the card is removed and inserted again, which a reconnect does.
    pub power_on_timeout: Option<Duration>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            max_reconnect_wait: None,
            retry_interval: Duration::from_millis(500),
            stop: Arc::new(AtomicBool::new(false)),
            log: true,
            power_on_timeout: Some(Duration::from_secs(3)),
        }
    }
}

/// What a [`serve`] run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServeStats {
    /// Connections made to pcscd.
    pub connections: u32,
    /// Command APDUs answered.
    pub apdus: u64,
    /// Control messages handled (power, reset, ATR).
    pub controls: u64,
}

/// Checks that `addr` has the form HOST:PORT (an IP address or host name, a port number), so
/// that a typing mistake is reported at once instead of retried for ever.
pub fn check_address(addr: &str) -> Result<()> {
    let bad = || {
        Error::Usage(format!(
            "vpcd address {addr:?}: expected HOST:PORT, e.g. {DEFAULT_ADDR}"
        ))
    };
    let (host, port) = addr.rsplit_once(':').ok_or_else(bad)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    if !host_ok || port.parse::<u16>().is_err() {
        return Err(bad());
    }
    Ok(())
}

/// Serves `card` to pcscd's vpcd driver at `addr` (e.g. [`DEFAULT_ADDR`]) until `opts.stop` is
/// set (-> `Ok`) or pcscd stays unreachable longer than `opts.max_reconnect_wait` (->
/// [`Error::Transport`]). An address that is not HOST:PORT is an [`Error::Usage`] at once. The
/// card is reset on every new connection and on every power/reset control message.
pub fn serve(card: &mut dyn CardSide, addr: &str, opts: &ServeOptions) -> Result<ServeStats> {
    check_address(addr)?;
    let mut stats = ServeStats::default();
    let mut unreachable_since = Instant::now();
    let mut said_waiting = false;
    loop {
        if stopped(opts) {
            return Ok(stats);
        }
        match connect(addr) {
            Ok(stream) => {
                stats.connections += 1;
                said_waiting = false;
                if opts.log {
                    eprintln!("vpcd: connected to pcscd at {addr}");
                }
                card.reset();
                let why = session(card, stream, opts, &mut stats);
                if stopped(opts) {
                    return Ok(stats);
                }
                if opts.log {
                    eprintln!(
                        "vpcd: lost the connection to pcscd at {addr} ({why}); reconnecting every {} ms",
                        opts.retry_interval.as_millis()
                    );
                }
                unreachable_since = Instant::now();
            }
            Err(e) => {
                if let Some(max) = opts.max_reconnect_wait
                    && unreachable_since.elapsed() >= max
                {
                    return Err(Error::Transport(format!(
                        "cannot reach pcscd's vpcd driver at {addr} for {:.1} s: {e} \
                         (is pcscd running with vsmartcard-vpcd installed?)",
                        max.as_secs_f64()
                    )));
                }
                if opts.log && !said_waiting && stats.connections == 0 {
                    eprintln!("vpcd: waiting for pcscd's vpcd driver at {addr} ({e})");
                    said_waiting = true;
                }
            }
        }
        sleep_unless_stopped(opts, opts.retry_interval);
    }
}

fn stopped(opts: &ServeOptions) -> bool {
    opts.stop.load(Ordering::SeqCst)
}

fn sleep_unless_stopped(opts: &ServeOptions, total: Duration) {
    let end = Instant::now() + total;
    while !stopped(opts) {
        let now = Instant::now();
        if now >= end {
            break;
        }
        std::thread::sleep((end - now).min(POLL));
    }
}

fn connect(addr: &str) -> io::Result<TcpStream> {
    let addrs: Vec<SocketAddr> = addr.to_socket_addrs()?.collect();
    let mut last = io::Error::new(io::ErrorKind::InvalidInput, "address resolves to nothing");
    for a in addrs {
        match TcpStream::connect_timeout(&a, Duration::from_secs(2)) {
            Ok(s) => {
                s.set_nodelay(true)?;
                s.set_read_timeout(Some(POLL))?;
                quick_ack(&s);
                return Ok(s);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Answers frames on one connection until it drops or `stop` is set; returns why it ended.
fn session(
    card: &mut dyn CardSide,
    mut stream: TcpStream,
    opts: &ServeOptions,
    stats: &mut ServeStats,
) -> String {
    let mut payload = Vec::new();
    let connected = Instant::now();
    let mut powered = false;
    loop {
        let mut len = [0u8; 2];
        match read_full(&mut stream, &mut len, opts) {
            Ok(true) => {}
            Ok(false) => return "stopped".into(),
            Err(e) => return describe_io(&e),
        }
        let n = usize::from(u16::from_be_bytes(len));
        payload.clear();
        payload.resize(n, 0);
        match read_full(&mut stream, &mut payload, opts) {
            Ok(true) => {}
            Ok(false) => return "stopped".into(),
            Err(e) => return describe_io(&e),
        }
        let answer = match payload.as_slice() {
            // vpcd never sends an empty frame; ignore one rather than guess.
            [] => None,
            [ctrl] => {
                stats.controls += 1;
                match *ctrl {
                    CTRL_OFF | CTRL_ON | CTRL_RESET => {
                        powered |= *ctrl != CTRL_OFF;
                        card.reset();
                        None
                    }
                    CTRL_ATR => {
                        if let Some(limit) = opts.power_on_timeout
                            && !powered
                            && connected.elapsed() >= limit
                        {
                            return format!(
                                "pcscd polls the card but did not power it on within {:.1} s",
                                limit.as_secs_f64()
                            );
                        }
                        Some(card.atr())
                    }
                    // Unknown control codes get no answer, as vpcd expects none.
                    _ => None,
                }
            }
            apdu => {
                powered = true;
                stats.apdus += 1;
                let resp = card.process(apdu);
                if resp.is_empty() || resp.len() > usize::from(u16::MAX) {
                    Some(UNFRAMEABLE_SW.to_vec())
                } else {
                    Some(resp)
                }
            }
        };
        if let Some(body) = answer
            && let Err(e) = write_frame(&mut stream, &body)
        {
            return describe_io(&e);
        }
    }
}

fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "pcscd closed the connection".into(),
        _ => e.to_string(),
    }
}

/// Fills `buf` from the stream, waking every [`POLL`] to check the stop flag. `Ok(false)` when
/// stopped; `UnexpectedEof` when the peer closed the connection.
fn read_full(stream: &mut TcpStream, buf: &mut [u8], opts: &ServeOptions) -> io::Result<bool> {
    let mut got = 0;
    while got < buf.len() {
        if stopped(opts) {
            return Ok(false);
        }
        let rest = buf.get_mut(got..).unwrap_or_default();
        match stream.read(rest) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(k) => {
                got += k;
                quick_ack(stream);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Acknowledges received data at once. vpcd in pcscd writes a frame's length and its payload
/// in two `send` calls without TCP_NODELAY, so Nagle holds the payload until the length is
/// acknowledged; with Linux's delayed ACK that costs about 40 ms per message (measured: 50
/// exchanges took 2.4 s). Linux clears the flag as it goes, so it is set after every read.
fn quick_ack(stream: &TcpStream) {
    #[cfg(target_os = "linux")]
    {
        use std::os::linux::net::TcpStreamExt;
        let _ = stream.set_quickack(true);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = stream;
}

/// Writes one frame; a body longer than 65,535 bytes cannot be framed and is refused.
fn write_frame(stream: &mut TcpStream, body: &[u8]) -> io::Result<()> {
    let len = u16::try_from(body.len()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "vpcd frame longer than 65535 bytes",
        )
    })?;
    let mut frame = Vec::with_capacity(body.len() + 2);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(body);
    stream.write_all(&frame)?;
    stream.flush()
}

#[cfg(test)]
mod tests;
