//! A personalization script as raw APDUs, written out from the command table (ISO/IEC 7816-9
//! CREATE FILE, ISO/IEC 7816-4 UPDATE BINARY and PUT DATA as the JMRTD applet codes them, and
//! dactyl's lock with the personalization digest), with what it wrote for the digest.

use dactyl::iso7816::perso::{PersoFile, PersoObject, perso_digest};

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
