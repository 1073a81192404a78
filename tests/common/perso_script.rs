//! A personalization script as raw APDUs, written out from the command table (ISO/IEC 7816-9
//! CREATE FILE, ISO/IEC 7816-4 UPDATE BINARY and PUT DATA as the JMRTD applet codes them, and
//! dactyl's lock with the personalization digest), with what it wrote for the digest.

#![allow(dead_code)]

use dactyl::access::bac::{self, BacKeys, TerminalNonces};
use dactyl::apdu::{Command, Response};
use dactyl::emulator::{BlankChip, ChipImage, FileSystem, PersoChip};
use dactyl::iso7816::perso::{PersoFile, PersoObject, perso_digest};
use dactyl::lds::mrz::{Mrz, MrzKeyInfo};
use dactyl::pki::cert::Certificate;
use dactyl::pki::trust::TrustStore;
use dactyl::reader::{Document, NoObserver, ReadOptions, read_document};
use dactyl::sm::SecureMessaging;
use dactyl::transport::memory::InMemory;
use dactyl::transport::{Transport, exchange};
use std::path::{Path, PathBuf};

/// Bytes from hex digits (spaces allowed).
pub fn h(s: &str) -> Vec<u8> {
    hex::decode(s.replace(' ', "")).unwrap()
}

/// Lc as written on the wire: one byte up to 255, else 00 and two bytes.
pub fn lc(n: usize) -> Vec<u8> {
    if n <= 255 {
        vec![n as u8]
    } else {
        vec![0, (n >> 8) as u8, n as u8]
    }
}

/// A command APDU: the header, Lc and the data.
pub fn apdu(header: &str, data: &[u8]) -> Vec<u8> {
    let mut out = h(header);
    out.extend(lc(data.len()));
    out.extend(data);
    out
}

/// What a writer sends, and what it wrote (for the digest).
#[derive(Default)]
pub struct Script {
    pub apdus: Vec<Vec<u8>>,
    pub files: Vec<(bool, u16, Vec<u8>)>,
    pub objects: Vec<(u8, u8, Vec<u8>)>,
}

impl Script {
    /// CREATE FILE, then UPDATE BINARY in chunks: D6 up to offset 7FFF, D7 with DO 54/53 after.
    pub fn file(&mut self, in_app: bool, fid: u16, content: &[u8], chunk: usize) {
        let [s1, s2] = (content.len() as u16).to_be_bytes();
        let [f1, f2] = fid.to_be_bytes();
        self.apdus
            .push(apdu("00 E0 00 00", &[0x63, 0x04, s1, s2, f1, f2]));
        for (i, part) in content.chunks(chunk).enumerate() {
            let offset = i * chunk;
            if offset <= 0x7FFF {
                self.apdus.push(apdu(&format!("00 D6 {offset:04X}"), part));
            } else {
                let mut data = h(&format!("54 03 {offset:06X} 53"));
                data.extend(dactyl::tlv::encode_len(part.len()));
                data.extend(part);
                self.apdus.push(apdu("00 D7 00 00", &data));
            }
        }
        self.files.push((in_app, fid, content.to_vec()));
    }

    /// PUT DATA P1 P2 with `data`.
    pub fn put(&mut self, p1: u8, p2: u8, data: &[u8]) {
        self.apdus
            .push(apdu(&format!("00 DA {p1:02X} {p2:02X}"), data));
        self.objects.push((p1, p2, data.to_vec()));
    }

    /// PUT DATA P1 P2 with `data` in a chain of short commands (CLA 10 but for the last).
    pub fn put_chained(&mut self, p1: u8, p2: u8, data: &[u8]) {
        let parts: Vec<&[u8]> = data.chunks(255).collect();
        for (i, part) in parts.iter().enumerate() {
            let cla = if i + 1 < parts.len() { "10" } else { "00" };
            self.apdus
                .push(apdu(&format!("{cla} DA {p1:02X} {p2:02X}"), part));
        }
        self.objects.push((p1, p2, data.to_vec()));
    }

    pub fn select_application(&mut self) {
        self.apdus.push(h("00 A4 04 0C 07 A0000002471001"));
    }

    /// The BAC seed of the TD3 specimen: `62 L {04 09 number 04 06 birth 04 06 expiry}`.
    pub fn seed(&mut self) {
        let mut seed = h("62 1B 04 09");
        seed.extend(b"L898902C3");
        seed.extend(h("04 06"));
        seed.extend(b"740812");
        seed.extend(h("04 06"));
        seed.extend(b"120415");
        self.put(0x00, 0x62, &seed);
    }

    pub fn digest(&self) -> [u8; 32] {
        perso_digest(
            self.files.iter().map(|(in_app, fid, c)| PersoFile {
                in_application: *in_app,
                fid: *fid,
                content: c,
            }),
            self.objects.iter().map(|(p1, p2, d)| PersoObject {
                p1: *p1,
                p2: *p2,
                data: d,
            }),
        )
    }

    /// `00 DA DE AD 22 DC 20 <digest>`.
    pub fn lock_apdu(digest: &[u8; 32]) -> Vec<u8> {
        let mut data = h("DC 20");
        data.extend(digest);
        apdu("00 DA DE AD", &data)
    }
}

pub const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
pub const TRANSPORT_KEY: &str = "0123456789ABCDEFFEDCBA9876543210";

pub fn chips() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips")
}

pub fn key_info() -> MrzKeyInfo {
    Mrz::parse_verified(TD3).unwrap().key_info().unwrap()
}

pub fn status(answer: &[u8]) -> u16 {
    match answer {
        [.., a, b] => u16::from_be_bytes([*a, *b]),
        _ => panic!("answer without status word"),
    }
}

pub fn send(t: &mut InMemory<PersoChip>, bytes: &[u8]) -> u16 {
    status(&t.transmit_raw(bytes).unwrap())
}

pub fn run(t: &mut InMemory<PersoChip>, apdus: &[Vec<u8>]) {
    for a in apdus {
        assert_eq!(send(t, a), 0x9000, "{}", hex::encode_upper(a));
    }
}

/// The files of a fixture chip image, as its issuer would write them.
pub fn fixture_files(name: &str) -> (ChipImage, FileSystem) {
    let image = ChipImage::load(&chips().join(name)).unwrap();
    let fs = image.file_system(&chips()).unwrap();
    (image, fs)
}

/// The script writing `fs` (master file first, then the application), the TD3 seed and CAN.
pub fn td3_script(fs: &FileSystem, chunk: usize) -> Script {
    let mut s = Script::default();
    for (ef, content) in fs.iter().filter(|(ef, _)| ef.in_master_file()) {
        s.file(false, ef.fid(), content, chunk);
    }
    s.select_application();
    for (ef, content) in fs.iter().filter(|(ef, _)| !ef.in_master_file()) {
        s.file(true, ef.fid(), content, chunk);
    }
    s.seed();
    s.put(0xDC, 0x01, b"123456");
    s
}

pub fn blank(json: &str) -> InMemory<PersoChip> {
    InMemory::new(PersoChip::new(BlankChip::from_json(json).unwrap()).unwrap())
}

pub fn bac_read(chip: impl dactyl::transport::CardSide + 'static) -> Document {
    let opts = ReadOptions::new(key_info());
    read_document(Box::new(InMemory::new(chip)), &opts, &mut NoObserver).unwrap()
}

pub fn open_bac(t: &mut dyn Transport, keys: &BacKeys) -> SecureMessaging {
    let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(h("A0000002471001"));
    assert_eq!(exchange(t, &select).unwrap().sw, 0x9000);
    let nonces = TerminalNonces::random().unwrap();
    bac::authenticate(&mut |c| exchange(t, c), keys, &nonces).unwrap()
}

/// Sends raw `bytes` under `sm`; the status word, unwrapped.
pub fn send_protected(t: &mut dyn Transport, sm: &mut SecureMessaging, bytes: &[u8]) -> u16 {
    let cmd = Command::parse(bytes).unwrap();
    let raw = t
        .transmit_raw(&sm.wrap_command(&cmd).unwrap().to_bytes().unwrap())
        .unwrap();
    let resp = Response::parse(&raw).unwrap();
    assert!(!resp.data.is_empty(), "{:04X} not protected", resp.sw);
    sm.unwrap_response(&resp).unwrap().sw
}

pub fn trust() -> TrustStore {
    let pem =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pki/test/csca.pem"))
            .unwrap();
    let mut trust = TrustStore::new();
    for c in Certificate::from_pem_or_der(&pem).unwrap() {
        trust.add_csca(c);
    }
    trust
}

/// The Utopia passport's files and keys as a script: PACE, Chip Authentication (DC 03), RSA
/// Active Authentication (00 60 / 00 61), and, with `eac`, its CVCA (01 64) and date (DC 05).
pub fn utopia_script(eac: bool) -> (FileSystem, Script) {
    utopia_script_with(eac, 4000)
}

/// [`utopia_script`] with UPDATE BINARY chunks of `chunk` bytes, and the CVCA chained when
/// `chunk` is at most 255 (short APDUs).
pub fn utopia_script_with(eac: bool, chunk: usize) -> (FileSystem, Script) {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let (image, fs) = fixture_files("utopia_passport.json");
    let mut script = td3_script(&fs, chunk);
    let ca = image.chip_authentication.as_ref().unwrap();
    let mut ca_key = h("80 01 0D 81 20");
    ca_key.extend(h(&ca.private_key));
    script.put(0xDC, 0x03, &ca_key);
    let aa = rsa::RsaPrivateKey::from_pkcs8_der(
        &std::fs::read(chips().join("bsi_passport/DG15_sk.pkcs8")).unwrap(),
    )
    .unwrap();
    let field = |tag: &str, v: &[u8]| {
        let mut out = h(&format!("{tag} 00 04 81 80"));
        out.extend(std::iter::repeat_n(0, 128 - v.len()));
        out.extend(v);
        out
    };
    let d = aa.d().to_be_bytes();
    let d: Vec<u8> = d.iter().copied().skip_while(|&b| b == 0).collect();
    script.put(0x00, 0x60, &field("60", &aa.n_bytes()));
    script.put(0x00, 0x61, &field("61", &d));
    let cvca = match &image.eac.as_ref().unwrap().cvca {
        dactyl::issuance::chip_image::FileSource::Hex(x) => h(x),
        other => panic!("{other:?}"),
    };
    if eac {
        if chunk <= 255 {
            script.put_chained(0x01, 0x64, &cvca);
        } else {
            script.put(0x01, 0x64, &cvca);
        }
        script.put(0xDC, 0x05, &[2, 6, 1, 1, 2, 5]);
    }
    (fs, script)
}
