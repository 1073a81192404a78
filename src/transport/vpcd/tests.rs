//! Tests of `vpcd`.
use super::*;
use std::net::TcpListener;
use std::sync::atomic::AtomicUsize;
use std::thread;

/// Echoes the APDU back with 9000; answers INS 0xB0 with `big` bytes + 9000; counts resets.
struct Echo {
    resets: Arc<AtomicUsize>,
}

impl CardSide for Echo {
    fn atr(&self) -> Vec<u8> {
        vec![0x3B, 0x80, 0x80, 0x01, 0x01]
    }
    fn reset(&mut self) {
        self.resets.fetch_add(1, Ordering::SeqCst);
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        match apdu.get(1) {
            Some(0xB0) => {
                let mut r = vec![0x5A; 4096];
                r.extend_from_slice(&[0x90, 0x00]);
                r
            }
            Some(0xEE) => Vec::new(),
            Some(0xEF) => vec![0; 70_000],
            _ => {
                let mut r = apdu.to_vec();
                r.extend_from_slice(&[0x90, 0x00]);
                r
            }
        }
    }
}

struct Fixture {
    listener: TcpListener,
    stop: Arc<AtomicBool>,
    resets: Arc<AtomicUsize>,
    handle: thread::JoinHandle<Result<ServeStats>>,
}

fn start(max_wait: Option<Duration>) -> Fixture {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let resets = Arc::new(AtomicUsize::new(0));
    let opts = ServeOptions {
        max_reconnect_wait: max_wait,
        retry_interval: Duration::from_millis(50),
        stop: stop.clone(),
        log: false,
        power_on_timeout: None,
    };
    let (a, r) = (addr.clone(), resets.clone());
    let handle = thread::spawn(move || serve(&mut Echo { resets: r }, &a, &opts));
    Fixture {
        listener,
        stop,
        resets,
        handle,
    }
}

fn accept(l: &TcpListener) -> TcpStream {
    let (s, _) = l.accept().unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

fn send(s: &mut TcpStream, body: &[u8]) {
    let mut f = (body.len() as u16).to_be_bytes().to_vec();
    f.extend_from_slice(body);
    s.write_all(&f).unwrap();
}

fn recv(s: &mut TcpStream) -> Vec<u8> {
    let mut len = [0u8; 2];
    s.read_exact(&mut len).unwrap();
    let mut body = vec![0u8; u16::from_be_bytes(len) as usize];
    s.read_exact(&mut body).unwrap();
    body
}

fn finish(f: Fixture) -> ServeStats {
    f.stop.store(true, Ordering::SeqCst);
    f.handle.join().unwrap().unwrap()
}

fn wait_until(mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(5);
    while !cond() {
        assert!(Instant::now() < end, "condition not met in 5 s");
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn control_messages_atr_and_apdus() {
    let f = start(None);
    let mut s = accept(&f.listener);
    wait_until(|| f.resets.load(Ordering::SeqCst) == 1); // reset on connect
    send(&mut s, &[CTRL_ON]);
    send(&mut s, &[CTRL_ATR]);
    assert_eq!(recv(&mut s), [0x3B, 0x80, 0x80, 0x01, 0x01]);
    send(&mut s, &[CTRL_RESET]);
    send(&mut s, &[CTRL_OFF]);
    send(&mut s, &[0x07]); // unknown control: no answer
    send(&mut s, &[]); // empty frame: ignored
    let select = [0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00];
    send(&mut s, &select);
    let mut want = select.to_vec();
    want.extend_from_slice(&[0x90, 0x00]);
    assert_eq!(recv(&mut s), want);
    wait_until(|| f.resets.load(Ordering::SeqCst) == 4);
    // A 4 KB response, an empty one and an over-long one.
    send(&mut s, &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00]);
    let big = recv(&mut s);
    assert_eq!(big.len(), 4098);
    assert_eq!(&big[4096..], &[0x90, 0x00]);
    send(&mut s, &[0x00, 0xEE, 0x00, 0x00]);
    assert_eq!(recv(&mut s), [0x6F, 0x00]);
    send(&mut s, &[0x00, 0xEF, 0x00, 0x00]);
    assert_eq!(recv(&mut s), [0x6F, 0x00]);
    // A 65,535-byte command (the longest a frame holds) round-trips.
    let mut long = vec![0x00, 0xDA, 0x00, 0x00];
    long.resize(65_533, 0x11);
    send(&mut s, &long);
    let r = recv(&mut s);
    assert_eq!(r.len(), 65_535);
    let stats = finish(f);
    assert_eq!(stats.connections, 1);
    assert_eq!(stats.apdus, 5);
    assert_eq!(stats.controls, 5);
}

#[test]
fn reconnects_after_pcscd_drops_the_socket() {
    let f = start(None);
    let mut s = accept(&f.listener);
    send(&mut s, &[CTRL_ATR]);
    assert_eq!(recv(&mut s).len(), 5);
    drop(s);
    let mut s = accept(&f.listener);
    send(&mut s, &[0x00, 0x01, 0x02, 0x03]);
    assert_eq!(recv(&mut s), [0x00, 0x01, 0x02, 0x03, 0x90, 0x00]);
    // A frame cut short by the peer is a lost connection too.
    s.write_all(&[0x00, 0x10, 0x00, 0xA4]).unwrap();
    drop(s);
    let mut s = accept(&f.listener);
    send(&mut s, &[CTRL_ATR]);
    assert_eq!(recv(&mut s).len(), 5);
    let stats = finish(f);
    assert_eq!(stats.connections, 3);
    assert!(stats.apdus >= 1);
}

#[test]
fn waits_for_pcscd_to_come_up() {
    // Nothing listens yet: serve keeps retrying; then the "pcscd" appears on the port.
    let probe = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let stop = Arc::new(AtomicBool::new(false));
    let opts = ServeOptions {
        retry_interval: Duration::from_millis(50),
        stop: stop.clone(),
        log: false,
        ..ServeOptions::default()
    };
    let a = addr.to_string();
    let resets = Arc::new(AtomicUsize::new(0));
    let r = resets.clone();
    let h = thread::spawn(move || serve(&mut Echo { resets: r }, &a, &opts));
    thread::sleep(Duration::from_millis(200));
    let Ok(listener) = TcpListener::bind(addr) else {
        // Another process took the port meanwhile: nothing to check.
        stop.store(true, Ordering::SeqCst);
        return;
    };
    let mut s = accept(&listener);
    send(&mut s, &[CTRL_ATR]);
    assert_eq!(recv(&mut s).len(), 5);
    stop.store(true, Ordering::SeqCst);
    let stats = h.join().unwrap().unwrap();
    assert_eq!(stats.connections, 1);
}

#[test]
fn an_address_that_is_not_host_port_is_refused_at_once() {
    let stop = Arc::new(AtomicBool::new(false));
    let opts = ServeOptions {
        retry_interval: Duration::from_millis(50),
        stop: stop.clone(),
        log: false,
        ..ServeOptions::default()
    };
    // Without the check, serve would retry until stopped and then return Ok.
    let stopper = {
        let stop = stop.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(500));
            stop.store(true, Ordering::SeqCst);
        })
    };
    let mut card = Echo {
        resets: Arc::new(AtomicUsize::new(0)),
    };
    let e = serve(&mut card, "not an address", &opts).unwrap_err();
    assert!(matches!(e, Error::Usage(_)), "{e}");
    assert!(e.to_string().contains("HOST:PORT"), "{e}");
    stopper.join().unwrap();
    for bad in ["", "host", "host:", ":35963", "host:99999", "a b:1"] {
        assert!(check_address(bad).is_err(), "{bad}");
    }
    for good in [
        DEFAULT_ADDR,
        "localhost:35964",
        "[::1]:35963",
        "pcscd.example:1",
    ] {
        assert!(check_address(good).is_ok(), "{good}");
    }
}

#[test]
fn gives_up_after_max_reconnect_wait() {
    let probe = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap().to_string();
    drop(probe);
    let opts = ServeOptions {
        max_reconnect_wait: Some(Duration::from_millis(300)),
        retry_interval: Duration::from_millis(50),
        log: false,
        ..ServeOptions::default()
    };
    let mut card = Echo {
        resets: Arc::new(AtomicUsize::new(0)),
    };
    let t = Instant::now();
    let e = serve(&mut card, &addr, &opts).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5));
    assert!(matches!(e, Error::Transport(_)));
    assert!(e.to_string().contains(&addr), "{e}");
}

#[test]
fn stop_ends_a_connected_session() {
    let f = start(Some(Duration::from_secs(1)));
    let _s = accept(&f.listener);
    wait_until(|| f.resets.load(Ordering::SeqCst) == 1);
    let t = Instant::now();
    let stats = finish(f);
    assert!(t.elapsed() < Duration::from_secs(2));
    assert_eq!(stats.connections, 1);
}

#[test]
fn bad_address_is_an_error_not_a_panic() {
    let opts = ServeOptions {
        max_reconnect_wait: Some(Duration::ZERO),
        log: false,
        ..ServeOptions::default()
    };
    let mut card = Echo {
        resets: Arc::new(AtomicUsize::new(0)),
    };
    assert!(serve(&mut card, "not an address", &opts).is_err());
}

#[test]
fn reconnects_when_pcscd_never_powers_the_card() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let opts = ServeOptions {
        retry_interval: Duration::from_millis(50),
        stop: stop.clone(),
        log: false,
        power_on_timeout: Some(Duration::from_millis(300)),
        ..ServeOptions::default()
    };
    let resets = Arc::new(AtomicUsize::new(0));
    let r = resets.clone();
    let h = thread::spawn(move || serve(&mut Echo { resets: r }, &addr, &opts));
    // A stuck pcscd: ATR polls only. The emulator answers until the timeout, then leaves.
    let mut s = accept(&listener);
    let t = Instant::now();
    loop {
        send(&mut s, &[CTRL_ATR]);
        let mut len = [0u8; 2];
        if s.read_exact(&mut len).is_err() {
            break;
        }
        let mut body = vec![0u8; u16::from_be_bytes(len) as usize];
        s.read_exact(&mut body).unwrap();
        assert!(t.elapsed() < Duration::from_secs(5), "never reconnected");
        thread::sleep(Duration::from_millis(50));
    }
    assert!(t.elapsed() >= Duration::from_millis(300));
    // A healthy pcscd: powered on at once, then polled for longer than the timeout.
    let mut s = accept(&listener);
    send(&mut s, &[CTRL_ATR]);
    assert_eq!(recv(&mut s).len(), 5);
    send(&mut s, &[CTRL_ON]);
    thread::sleep(Duration::from_millis(400));
    send(&mut s, &[CTRL_ATR]);
    assert_eq!(recv(&mut s).len(), 5);
    stop.store(true, Ordering::SeqCst);
    assert_eq!(h.join().unwrap().unwrap().connections, 2);
}

#[test]
fn reader_names_follow_ports() {
    assert_eq!(reader_name(35963), "Virtual PCD 00 00");
    assert_eq!(reader_name(35964), "Virtual PCD 00 01");
}
