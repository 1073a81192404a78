//! Secure messaging (ICAO Doc 9303-11 clause 9.8; ISO/IEC 7816-4 clause 10), both roles: the
//! terminal wraps commands and unwraps responses, the chip unwraps commands and wraps responses.
//! Two suites: 3DES with the retail MAC and an 8-byte SSC (BAC), AES with CMAC and a 16-byte SSC
//! whose encryption gives the IV (PACE, CA).

use crate::apdu::{Command, MAX_EXTENDED_NE, MAX_SHORT_NC, MAX_SHORT_NE, Response, sw};
use crate::crypto::cipher;
use crate::error::{Error, Result};
use crate::tlv::{self, Children};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The cipher suite of a secure messaging session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Suite {
    /// Two-key 3DES-CBC, ISO 9797-1 MAC algorithm 3, 8-byte SSC.
    Tdes,
    /// AES-CBC (key of 16, 24 or 32 bytes), AES-CMAC, 16-byte SSC.
    Aes,
}

impl Suite {
    /// Cipher block size.
    pub fn block_size(self) -> usize {
        match self {
            Suite::Tdes => 8,
            Suite::Aes => 16,
        }
    }
}

/// One secure messaging session: keys and send sequence counter.
pub struct SecureMessaging {
    suite: Suite,
    ksenc: Zeroizing<Vec<u8>>,
    ksmac: Zeroizing<Vec<u8>>,
    ssc: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for SecureMessaging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecureMessaging({:?}, keys redacted)", self.suite)
    }
}

fn sm_err(msg: impl Into<String>) -> Error {
    Error::SecureMessaging(msg.into())
}

/// Length of a data object with a value of `n` bytes.
fn do_len(n: usize) -> usize {
    1 + tlv::encode_len(n).len() + n
}

impl SecureMessaging {
    /// Starts a session with the given keys and initial SSC.
    pub fn new(suite: Suite, ksenc: &[u8], ksmac: &[u8], ssc: &[u8]) -> Result<Self> {
        let bs = suite.block_size();
        if ssc.len() != bs {
            return Err(sm_err(format!(
                "SSC of {} bytes, {suite:?} needs {bs}",
                ssc.len()
            )));
        }
        let key_ok = match suite {
            Suite::Tdes => ksenc.len() == 16 && ksmac.len() == 16,
            Suite::Aes => [16, 24, 32].contains(&ksenc.len()) && ksenc.len() == ksmac.len(),
        };
        if !key_ok {
            return Err(sm_err(format!(
                "{suite:?} keys of {} and {} bytes",
                ksenc.len(),
                ksmac.len()
            )));
        }
        Ok(SecureMessaging {
            suite,
            ksenc: Zeroizing::new(ksenc.to_vec()),
            ksmac: Zeroizing::new(ksmac.to_vec()),
            ssc: Zeroizing::new(ssc.to_vec()),
        })
    }

    /// The suite in use.
    pub fn suite(&self) -> Suite {
        self.suite
    }

    /// The current send sequence counter.
    pub fn ssc(&self) -> &[u8] {
        &self.ssc
    }

    fn increment_ssc(&mut self) {
        for b in self.ssc.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
    }

    fn iv(&self) -> Result<[u8; 16]> {
        let mut block = [0u8; 16];
        block.copy_from_slice(&self.ssc);
        cipher::aes_ecb_block(&self.ksenc, block)
    }

    fn encrypt(&self, plain: &[u8]) -> Result<Vec<u8>> {
        let padded = Zeroizing::new(cipher::pad(plain, self.suite.block_size()));
        match self.suite {
            Suite::Tdes => cipher::tdes_cbc_encrypt(&self.ksenc, &padded),
            Suite::Aes => cipher::aes_cbc_encrypt(&self.ksenc, self.iv()?, &padded),
        }
    }

    fn decrypt(&self, cryptogram: &[u8]) -> Result<Vec<u8>> {
        let padded = Zeroizing::new(match self.suite {
            Suite::Tdes => cipher::tdes_cbc_decrypt(&self.ksenc, cryptogram)?,
            Suite::Aes => cipher::aes_cbc_decrypt(&self.ksenc, self.iv()?, cryptogram)?,
        });
        Ok(cipher::unpad(&padded)?.to_vec())
    }

    /// MAC over `SSC || data`, padded to the block size.
    fn mac(&self, data: &[u8]) -> Result<[u8; 8]> {
        let mut n = self.ssc.to_vec();
        n.extend_from_slice(data);
        let n = cipher::pad(&n, self.suite.block_size());
        match self.suite {
            Suite::Tdes => cipher::retail_mac(&self.ksmac, &n),
            Suite::Aes => cipher::aes_cmac8(&self.ksmac, &n),
        }
    }

    fn check_mac(&self, data: &[u8], cc: &[u8]) -> Result<()> {
        let expected = self.mac(data)?;
        if cc.len() == 8 && bool::from(expected.ct_eq(cc)) {
            Ok(())
        } else {
            Err(sm_err("MAC check failed (DO8E)"))
        }
    }

    /// The cryptogram data object: DO87 with padding-content indicator for even INS, DO85
    /// without it for odd INS (ICAO 9303-11 clause 9.8.5).
    fn cryptogram_do(&self, plain: &[u8], odd_ins: bool) -> Result<Vec<u8>> {
        let c = self.encrypt(plain)?;
        Ok(if odd_ins {
            tlv::encode(0x85, &c)
        } else {
            let mut v = vec![0x01];
            v.extend(c);
            tlv::encode(0x87, &v)
        })
    }

    fn open_cryptogram(&self, tag: u32, value: &[u8]) -> Result<Vec<u8>> {
        let c = match tag {
            0x85 => value,
            _ => match value.split_first() {
                Some((0x01, c)) => c,
                _ => return Err(sm_err("DO87 without padding-content indicator 01")),
            },
        };
        self.decrypt(c)
    }

    /// Terminal side: protects a command APDU.
    pub fn wrap_command(&mut self, cmd: &Command) -> Result<Command> {
        if cmd.cla & 0x0C != 0 {
            return Err(sm_err("command already has secure messaging bits in CLA"));
        }
        self.increment_ssc();
        let cla = cmd.cla | 0x0C;
        let mut dos = Vec::new();
        if !cmd.data.is_empty() {
            dos.extend(self.cryptogram_do(&cmd.data, cmd.ins & 1 == 1)?);
        }
        if let Some(le) = cmd.le {
            if le <= MAX_SHORT_NE {
                dos.extend(tlv::encode(0x97, &[(le % MAX_SHORT_NE) as u8]));
            } else {
                dos.extend(tlv::encode(
                    0x97,
                    &((le % MAX_EXTENDED_NE) as u16).to_be_bytes(),
                ));
            }
        }
        let mut m = cipher::pad(&[cla, cmd.ins, cmd.p1, cmd.p2], self.suite.block_size());
        m.extend_from_slice(&dos);
        let cc = self.mac(&m)?;
        dos.extend(tlv::encode(0x8E, &cc));
        let extended = cmd.is_extended() || dos.len() > MAX_SHORT_NC;
        Ok(Command {
            cla,
            ins: cmd.ins,
            p1: cmd.p1,
            p2: cmd.p2,
            data: dos,
            le: Some(if extended {
                MAX_EXTENDED_NE
            } else {
                MAX_SHORT_NE
            }),
        })
    }

    /// Terminal side: verifies and decrypts a protected response. A bare `6987`/`6988` means the
    /// chip ended the session. A bare success or warning (`9000`, `61xx`, `62xx`, `63xx`) cannot
    /// be trusted and is an error; other bare error status words are passed through as the
    /// chip's refusal of the command (some chips answer refusals that way).
    pub fn unwrap_response(&mut self, resp: &Response) -> Result<Response> {
        self.increment_ssc();
        if resp.data.is_empty() {
            if matches!(resp.sw, sw::SM_MISSING | sw::SM_INCORRECT) {
                return Err(sm_err(format!(
                    "chip rejected the secure messaging and ended the session ({})",
                    crate::apdu::StatusWord(resp.sw)
                )));
            }
            if matches!(resp.sw >> 8, 0x90 | 0x61 | 0x62 | 0x63) {
                return Err(sm_err(format!(
                    "unprotected {} response inside a secure session (no DO99/DO8E)",
                    crate::apdu::StatusWord(resp.sw)
                )));
            }
            return Ok(Response::sw(resp.sw));
        }
        let mut cryptogram = None;
        let mut status = None;
        let mut mac_input = Vec::new();
        let mut cc = None;
        for obj in Children::of(&resp.data) {
            let obj = obj?;
            if cc.is_some() {
                return Err(sm_err(format!("data object {:X} after DO8E", obj.tag)));
            }
            match obj.tag {
                0x85 | 0x87 if cryptogram.is_none() && status.is_none() => {
                    cryptogram = Some((obj.tag, obj.value))
                }
                0x99 if status.is_none() => status = Some(obj.value),
                0x8E => cc = Some(obj.value),
                t => return Err(sm_err(format!("unexpected data object {t:X} in response"))),
            }
            if obj.tag != 0x8E {
                mac_input.extend_from_slice(obj.raw);
            }
        }
        let cc = cc.ok_or_else(|| sm_err("response has no MAC (DO8E)"))?;
        self.check_mac(&mac_input, cc)?;
        let status = match status {
            Some([a, b]) => u16::from_be_bytes([*a, *b]),
            Some(v) => return Err(sm_err(format!("DO99 of {} bytes", v.len()))),
            None => return Err(sm_err("response has no status (DO99)")),
        };
        let data = match cryptogram {
            Some((tag, value)) => self.open_cryptogram(tag, value)?,
            None => Vec::new(),
        };
        Ok(Response::new(data, status))
    }

    /// Chip side: verifies and decrypts a protected command. Errors map to `6987` (objects
    /// missing) or `6988` (objects incorrect); see [`sm_error_status`].
    pub fn unwrap_command(&mut self, cmd: &Command) -> Result<Command> {
        if cmd.cla & 0x0C != 0x0C {
            return Err(sm_err("missing: command is not protected"));
        }
        self.increment_ssc();
        let mut cryptogram = None;
        let mut le = None;
        let mut cc = None;
        let mut mac_input =
            cipher::pad(&[cmd.cla, cmd.ins, cmd.p1, cmd.p2], self.suite.block_size());
        for obj in Children::of(&cmd.data) {
            let obj = obj?;
            if cc.is_some() {
                return Err(sm_err(format!("data object {:X} after DO8E", obj.tag)));
            }
            match obj.tag {
                0x85 | 0x87 if cryptogram.is_none() && le.is_none() => {
                    cryptogram = Some((obj.tag, obj.value))
                }
                0x97 if le.is_none() => le = Some(obj.value),
                0x8E => cc = Some(obj.value),
                t => return Err(sm_err(format!("unexpected data object {t:X} in command"))),
            }
            if obj.tag != 0x8E {
                mac_input.extend_from_slice(obj.raw);
            }
        }
        let cc = cc.ok_or_else(|| sm_err("missing: command has no MAC (DO8E)"))?;
        self.check_mac(&mac_input, cc)?;
        let le = match le {
            None => None,
            Some([]) => None,
            Some([n]) => Some(if *n == 0 { MAX_SHORT_NE } else { *n as usize }),
            Some([a, b]) => Some(match u16::from_be_bytes([*a, *b]) {
                0 => MAX_EXTENDED_NE,
                n => n as usize,
            }),
            Some(v) => return Err(sm_err(format!("DO97 of {} bytes", v.len()))),
        };
        let data = match cryptogram {
            Some((tag, value)) => self.open_cryptogram(tag, value)?,
            None => Vec::new(),
        };
        Ok(Command {
            cla: cmd.cla & !0x0C,
            ins: cmd.ins,
            p1: cmd.p1,
            p2: cmd.p2,
            data,
            le,
        })
    }

    /// Chip side: protects a response.
    pub fn wrap_response(&mut self, resp: &Response, odd_ins: bool) -> Result<Response> {
        self.increment_ssc();
        let mut dos = Vec::new();
        if !resp.data.is_empty() {
            dos.extend(self.cryptogram_do(&resp.data, odd_ins)?);
        }
        dos.extend(tlv::encode(0x99, &resp.sw.to_be_bytes()));
        let cc = self.mac(&dos)?;
        dos.extend(tlv::encode(0x8E, &cc));
        Ok(Response::new(dos, resp.sw))
    }

    /// Length of the protected response data field for `n` plain bytes.
    pub fn wrapped_response_len(&self, n: usize, odd_ins: bool) -> usize {
        let bs = self.suite.block_size();
        let cryptogram = if n == 0 {
            0
        } else {
            let c = (n / bs + 1) * bs + usize::from(!odd_ins);
            do_len(c)
        };
        cryptogram + 4 + 10
    }

    /// The largest plain response that still fits in `budget` protected bytes (data field only).
    pub fn max_plain_response(&self, budget: usize, odd_ins: bool) -> usize {
        let (mut lo, mut hi) = (0usize, budget);
        if self.wrapped_response_len(0, odd_ins) > budget {
            return 0;
        }
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.wrapped_response_len(mid, odd_ins) <= budget {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }
}

/// The status word a chip answers when [`SecureMessaging::unwrap_command`] fails.
pub fn sm_error_status(e: &Error) -> u16 {
    match e {
        Error::SecureMessaging(m) if m.starts_with("missing") => sw::SM_MISSING,
        _ => sw::SM_INCORRECT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn bac_example() -> SecureMessaging {
        // Session keys and SSC of ICAO 9303-11 App. D.3 (VECTORS.md section 2).
        SecureMessaging::new(
            Suite::Tdes,
            &h("979EC13B1CBFE9DCD01AB0FED307EAE5"),
            &h("F1CB1F1FB5ADF208806B89DC579DC1F8"),
            &h("887022120C06C226"),
        )
        .unwrap()
    }

    fn wrap_hex(sm: &mut SecureMessaging, plain: &str) -> String {
        let cmd = Command::parse(&h(plain)).unwrap();
        hex::encode_upper(sm.wrap_command(&cmd).unwrap().to_bytes().unwrap())
    }

    #[test]
    fn worked_example_d4_terminal_side() {
        // ICAO 9303-11 App. D.4 (VECTORS.md section 3), byte for byte.
        let mut sm = bac_example();
        assert_eq!(
            wrap_hex(&mut sm, "00A4020C02011E"),
            "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"
        );
        let r = sm
            .unwrap_response(&Response::parse(&h("990290008E08FA855A5D4C50A8ED9000")).unwrap())
            .unwrap();
        assert_eq!((r.data.len(), r.sw), (0, 0x9000));
        assert_eq!(
            wrap_hex(&mut sm, "00B0000004"),
            "0CB000000D9701048E08ED6705417E96BA5500"
        );
        let r = sm
            .unwrap_response(
                &Response::parse(&h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(hex::encode_upper(&r.data), "60145F01");
        assert_eq!(
            wrap_hex(&mut sm, "00B0000412"),
            "0CB000040D9701128E082EA28A70F3C7B53500"
        );
        let r = sm
            .unwrap_response(
                &Response::parse(&h(
                    "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
                ))
                .unwrap(),
            )
            .unwrap();
        assert_eq!(
            hex::encode_upper(&r.data),
            "04303130365F36063034303030305C026175"
        );
        assert_eq!(hex::encode_upper(sm.ssc()), "887022120C06C22C");
    }

    #[test]
    fn worked_example_d4_chip_side() {
        let mut chip = bac_example();
        let cmd = chip
            .unwrap_command(
                &Command::parse(&h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"))
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(hex::encode_upper(cmd.to_bytes().unwrap()), "00A4020C02011E");
        let resp = chip.wrap_response(&Response::sw(0x9000), false).unwrap();
        assert_eq!(
            hex::encode_upper(resp.to_bytes()),
            "990290008E08FA855A5D4C50A8ED9000"
        );
        let cmd = chip
            .unwrap_command(&Command::parse(&h("0CB000000D9701048E08ED6705417E96BA5500")).unwrap())
            .unwrap();
        assert_eq!(cmd.le, Some(4));
        let resp = chip
            .wrap_response(&Response::new(h("60145F01"), 0x9000), false)
            .unwrap();
        assert_eq!(
            hex::encode_upper(resp.to_bytes()),
            "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"
        );
    }

    #[test]
    fn tampering_is_detected_on_both_sides() {
        let mut chip = bac_example();
        let mut bad = h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
        bad[10] ^= 1;
        let e = chip
            .unwrap_command(&Command::parse(&bad).unwrap())
            .unwrap_err();
        assert_eq!(sm_error_status(&e), sw::SM_INCORRECT);
        let e = chip
            .unwrap_command(&Command::parse(&h("00A4020C02011E")).unwrap())
            .unwrap_err();
        assert_eq!(sm_error_status(&e), sw::SM_MISSING);

        let mut term = bac_example();
        term.wrap_command(&Command::parse(&h("00A4020C02011E")).unwrap())
            .unwrap();
        assert!(
            term.unwrap_response(&Response::parse(&h("990290008E08FA855A5D4C50A8EC9000")).unwrap())
                .is_err()
        );
        assert!(term.unwrap_response(&Response::sw(0x6988)).is_err());
        assert!(
            term.unwrap_response(&Response::new(h("9902"), 0x9000))
                .is_err()
        );
    }

    #[test]
    fn bare_success_and_warnings_are_refused_bare_errors_pass_as_refusals() {
        for bare in [0x9000, 0x6100, 0x61FF, 0x6282, 0x6281, 0x6300, 0x63C2] {
            let mut term = bac_example();
            let e = term.unwrap_response(&Response::sw(bare)).unwrap_err();
            assert!(e.to_string().contains("unprotected"), "{bare:04X}: {e}");
        }
        for bare in [0x6A82, 0x6982, 0x6B00, 0x6700, 0x6F00] {
            let mut term = bac_example();
            assert_eq!(
                term.unwrap_response(&Response::sw(bare)).unwrap(),
                Response::sw(bare)
            );
        }
    }

    #[test]
    fn round_trips_every_shape_in_both_suites() {
        for (suite, key_len) in [
            (Suite::Tdes, 16),
            (Suite::Aes, 16),
            (Suite::Aes, 24),
            (Suite::Aes, 32),
        ] {
            let ssc = vec![0u8; suite.block_size()];
            let k1: Vec<u8> = (0..key_len as u8).collect();
            let k2: Vec<u8> = (0..key_len as u8).map(|b| b ^ 0x5A).collect();
            let mut term = SecureMessaging::new(suite, &k1, &k2, &ssc).unwrap();
            let mut chip = SecureMessaging::new(suite, &k1, &k2, &ssc).unwrap();
            for (ins, data_len, le, resp_len) in [
                (0xB0, 0, Some(231), 231),
                (0xB1, 3, Some(4000), 4000),
                (0xA4, 2, None, 0),
                (0xB0, 0, Some(65536), 65000),
            ] {
                let cmd = Command::new(0, ins, 0, 0).with_data(vec![0xAB; data_len]);
                let cmd = Command { le, ..cmd };
                let wire = term.wrap_command(&cmd).unwrap();
                let wire = Command::parse(&wire.to_bytes().unwrap()).unwrap();
                assert_eq!(chip.unwrap_command(&wire).unwrap(), cmd);
                let resp = Response::new(vec![0x42; resp_len], 0x9000);
                let wrapped = chip.wrap_response(&resp, ins & 1 == 1).unwrap();
                assert_eq!(
                    wrapped.data.len(),
                    chip.wrapped_response_len(resp_len, ins & 1 == 1)
                );
                assert_eq!(term.unwrap_response(&wrapped).unwrap(), resp);
            }
        }
    }

    #[test]
    fn short_response_capacity_is_231_for_3des_and_223_for_aes() {
        let tdes = bac_example();
        assert_eq!(tdes.max_plain_response(256, false), 231);
        assert_eq!(tdes.wrapped_response_len(231, false), 250);
        assert_eq!(tdes.wrapped_response_len(232, false), 258);
        let aes = SecureMessaging::new(Suite::Aes, &[1; 16], &[2; 16], &[0; 16]).unwrap();
        assert_eq!(aes.max_plain_response(256, false), 223);
    }
}
