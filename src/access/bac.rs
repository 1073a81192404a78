//! Basic Access Control (ICAO Doc 9303-11 clause 4.3 and Appendix D), both roles: document
//! basic access keys from the MRZ, the terminal's GET CHALLENGE / EXTERNAL AUTHENTICATE, the
//! chip's answer, and the session keys and SSC that start 3DES secure messaging.

use crate::apdu::sw;
use crate::apdu::{Command, Response};
use crate::crypto::cipher::{pad, retail_mac, tdes_cbc_decrypt, tdes_cbc_encrypt};
use crate::crypto::kdf::{self, KeyKind};
use crate::error::{Error, Result};
use crate::iso7816::challenge::{CHALLENGE_LEN, external_authenticate, get_challenge};
use crate::iso7816::refusal::{ChipError, ChipResult};
use crate::lds::mrz::MrzKeyInfo;
use crate::sm::{SecureMessaging, Suite};
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// EXTERNAL AUTHENTICATE's data both ways: the 32-byte cryptogram and its 8-byte MAC.
pub const CRYPTOGRAM_LEN: usize = 40;

/// The document basic access keys K_enc and K_mac.
#[derive(Clone)]
pub struct BacKeys {
    k_enc: Zeroizing<Vec<u8>>,
    k_mac: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for BacKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BacKeys(<redacted>)")
    }
}

impl BacKeys {
    /// Derives the keys from the MRZ key information (App. D.2): K_seed = first 16 bytes of
    /// SHA-1(MRZ_information).
    pub fn from_mrz(info: &MrzKeyInfo) -> BacKeys {
        let seed_str = info.key_seed_string();
        let digest = Sha1::digest(seed_str.as_bytes());
        let seed = Zeroizing::new(digest[..16].to_vec());
        BacKeys::from_seed(&seed)
    }

    /// Derives the keys from K_seed.
    pub fn from_seed(seed: &[u8]) -> BacKeys {
        BacKeys {
            k_enc: kdf::derive(seed, kdf::ENC, KeyKind::Tdes),
            k_mac: kdf::derive(seed, kdf::MAC, KeyKind::Tdes),
        }
    }

    /// K_enc (for tests against the worked example).
    pub fn k_enc(&self) -> &[u8] {
        &self.k_enc
    }

    /// K_mac.
    pub fn k_mac(&self) -> &[u8] {
        &self.k_mac
    }

    /// E = 3DES(K_enc, data) and M = MAC(K_mac, E): the 40-byte authentication cryptogram.
    fn seal(&self, plain: &[u8; 32]) -> Result<Vec<u8>> {
        let mut out = tdes_cbc_encrypt(&self.k_enc, plain)?;
        let m = retail_mac(&self.k_mac, &pad(&out, 8))?;
        out.extend_from_slice(&m);
        Ok(out)
    }

    /// Checks the MAC of a 40-byte cryptogram and decrypts it.
    fn open(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if sealed.len() != 40 {
            return Err(Error::protocol(
                "BAC",
                format!("authentication data of {} bytes, expected 40", sealed.len()),
            ));
        }
        let (e, m) = sealed.split_at(32);
        let expected = retail_mac(&self.k_mac, &pad(e, 8))?;
        if !bool::from(expected.ct_eq(m)) {
            return Err(Error::AccessDenied);
        }
        Ok(Zeroizing::new(tdes_cbc_decrypt(&self.k_enc, e)?))
    }
}

/// Session keys from K.IFD xor K.IC and the SSC from the two nonces (App. D.3).
fn session(k_ifd: &[u8], k_ic: &[u8], rnd_ic: &[u8], rnd_ifd: &[u8]) -> Result<SecureMessaging> {
    let seed: Zeroizing<Vec<u8>> =
        Zeroizing::new(k_ifd.iter().zip(k_ic).map(|(a, b)| a ^ b).collect());
    let ks_enc = kdf::derive(&seed, kdf::ENC, KeyKind::Tdes);
    let ks_mac = kdf::derive(&seed, kdf::MAC, KeyKind::Tdes);
    let mut ssc = rnd_ic[4..8].to_vec();
    ssc.extend_from_slice(&rnd_ifd[4..8]);
    SecureMessaging::new(Suite::Tdes, &ks_enc, &ks_mac, &ssc)
}

/// The terminal's random values: RND.IFD and K.IFD.
#[derive(Clone)]
pub struct TerminalNonces {
    /// RND.IFD.
    pub rnd_ifd: [u8; 8],
    /// K.IFD.
    pub k_ifd: Zeroizing<[u8; 16]>,
}

impl TerminalNonces {
    /// Fresh random nonces from the operating system.
    pub fn random() -> Result<Self> {
        let mut rnd_ifd = [0u8; 8];
        let mut k_ifd = Zeroizing::new([0u8; 16]);
        crate::rand::fill_random(&mut rnd_ifd)?;
        crate::rand::fill_random(&mut *k_ifd)?;
        Ok(TerminalNonces { rnd_ifd, k_ifd })
    }
}

/// Terminal side: runs BAC through `transmit` (unprotected commands, as PACE sends them) and
/// returns the secure messaging session.
pub fn authenticate(
    transmit: &mut dyn FnMut(&Command) -> Result<Response>,
    keys: &BacKeys,
    nonces: &TerminalNonces,
) -> Result<SecureMessaging> {
    let challenge = transmit(&get_challenge(CHALLENGE_LEN))?;
    if challenge.sw != sw::OK {
        return Err(Error::status("BAC: GET CHALLENGE", challenge.sw));
    }
    let rnd_ic: [u8; 8] = challenge.data.as_slice().try_into().map_err(|_| {
        Error::protocol(
            "BAC",
            format!("challenge of {} bytes, expected 8", challenge.data.len()),
        )
    })?;
    let mut s = Zeroizing::new([0u8; 32]);
    s[..8].copy_from_slice(&nonces.rnd_ifd);
    s[8..16].copy_from_slice(&rnd_ic);
    s[16..].copy_from_slice(&*nonces.k_ifd);
    let cmd = external_authenticate(&keys.seal(&s)?, Some(CRYPTOGRAM_LEN));
    let resp = transmit(&cmd)?;
    match resp.sw {
        sw::OK => {}
        sw::VERIFICATION_FAILED | sw::SECURITY_STATUS | sw::WRONG_DATA | sw::REF_NOT_FOUND => {
            return Err(Error::AccessDenied);
        }
        other => return Err(Error::status("BAC: EXTERNAL AUTHENTICATE", other)),
    }
    let r = keys.open(&resp.data)?;
    if r[..8] != rnd_ic || r[8..16] != nonces.rnd_ifd {
        return Err(Error::protocol(
            "BAC",
            "chip's answer does not carry our nonces",
        ));
    }
    session(&*nonces.k_ifd, &r[16..32], &rnd_ic, &nonces.rnd_ifd)
}

/// Chip side of BAC: keeps the last challenge and answers EXTERNAL AUTHENTICATE.
pub struct BacChip {
    keys: BacKeys,
    challenge: Option<[u8; 8]>,
}

impl BacChip {
    /// A chip holding the document basic access keys.
    pub fn new(keys: BacKeys) -> Self {
        BacChip {
            keys,
            challenge: None,
        }
    }

    /// GET CHALLENGE: remembers and returns RND.IC.
    pub fn get_challenge(&mut self, rnd_ic: [u8; 8]) -> [u8; 8] {
        self.challenge = Some(rnd_ic);
        rnd_ic
    }

    /// EXTERNAL AUTHENTICATE: checks the terminal's cryptogram and returns the chip's answer and
    /// the new session. The challenge is used up either way. Wrong keys are a failed
    /// verification; no challenge before, unmet conditions.
    pub fn external_authenticate(
        &mut self,
        data: &[u8],
        k_ic: &[u8; 16],
    ) -> ChipResult<(Vec<u8>, SecureMessaging)> {
        let rnd_ic = self.challenge.take().ok_or(ChipError::conditions(
            "BAC: EXTERNAL AUTHENTICATE without GET CHALLENGE",
        ))?;
        let wrong = ChipError::verification_failed("BAC: the terminal's cryptogram");
        let s = self.keys.open(data).map_err(|e| match e {
            Error::AccessDenied => wrong,
            _ => ChipError::wrong_length("BAC: cryptogram not 40 bytes"),
        })?;
        if s[8..16] != rnd_ic {
            return Err(wrong);
        }
        let rnd_ifd = &s[..8];
        let mut r = Zeroizing::new([0u8; 32]);
        r[..8].copy_from_slice(&rnd_ic);
        r[8..16].copy_from_slice(rnd_ifd);
        r[16..].copy_from_slice(k_ic);
        let internal = |_| ChipError::internal("BAC: 3DES session");
        let answer = self.keys.seal(&r).map_err(internal)?;
        let sm = session(&s[16..32], k_ic, &rnd_ic, rnd_ifd).map_err(internal)?;
        Ok((answer, sm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iso7816::refusal::Refusal;
    use crate::transport::{Transport, exchange};

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn example_keys() -> BacKeys {
        BacKeys::from_mrz(&MrzKeyInfo::new("L898902C<", "690806", "940623").unwrap())
    }

    /// Replays the chip's answers of ICAO 9303-11 App. D.3 and records the commands.
    struct Replay {
        answers: Vec<&'static str>,
        sent: Vec<String>,
    }

    impl Transport for Replay {
        fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>> {
            self.sent.push(hex::encode_upper(apdu));
            Ok(h(self.answers.remove(0)))
        }
        fn atr(&self) -> Vec<u8> {
            Vec::new()
        }
        fn describe(&self) -> String {
            "replay".into()
        }
    }

    fn example_nonces() -> TerminalNonces {
        TerminalNonces {
            rnd_ifd: h("781723860C06C226").try_into().unwrap(),
            k_ifd: Zeroizing::new(h("0B795240CB7049B01C19B33E32804F0B").try_into().unwrap()),
        }
    }

    #[test]
    fn key_derivation_worked_example() {
        let k = example_keys();
        assert_eq!(
            hex::encode_upper(k.k_enc()),
            "AB94FDECF2674FDFB9B391F85D7F76F2"
        );
        assert_eq!(
            hex::encode_upper(k.k_mac()),
            "7962D9ECE03D1ACD4C76089DCE131543"
        );
    }

    #[test]
    fn terminal_side_worked_example_byte_for_byte() {
        let mut t = Replay {
            answers: vec![
                "4608F919887022129000",
                "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D74499000",
            ],
            sent: vec![],
        };
        let sm = authenticate(
            &mut |c| exchange(&mut t, c),
            &example_keys(),
            &example_nonces(),
        )
        .unwrap();
        assert_eq!(t.sent[0], "0084000008");
        assert_eq!(
            t.sent[1],
            "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728"
        );
        assert_eq!(hex::encode_upper(sm.ssc()), "887022120C06C226");
    }

    #[test]
    fn chip_side_worked_example_byte_for_byte() {
        let mut chip = BacChip::new(example_keys());
        chip.get_challenge(h("4608F91988702212").try_into().unwrap());
        let data =
            h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7");
        let k_ic: [u8; 16] = h("0B4F80323EB3191CB04970CB4052790B").try_into().unwrap();
        let (answer, mut sm) = chip.external_authenticate(&data, &k_ic).unwrap();
        assert_eq!(
            hex::encode_upper(answer),
            "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
        );
        // The session keys are those of App. D.3: the D.4 SELECT response MAC comes out right.
        let cmd =
            Command::parse(&h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")).unwrap();
        sm.unwrap_command(&cmd).unwrap();
        let resp = sm.wrap_response(&Response::sw(0x9000), false).unwrap();
        assert_eq!(
            hex::encode_upper(resp.to_bytes()),
            "990290008E08FA855A5D4C50A8ED9000"
        );
    }

    #[test]
    fn wrong_keys_are_access_denied() {
        let mut chip = BacChip::new(example_keys());
        let wrong = BacKeys::from_mrz(&MrzKeyInfo::new("L898902C<", "690807", "940623").unwrap());
        chip.get_challenge([1; 8]);
        let mut s = [0u8; 32];
        s[8..16].copy_from_slice(&[1; 8]);
        let data = wrong.seal(&s).unwrap();
        let kind = |r: ChipResult<_>| r.map(|_| ()).map_err(|e| e.kind);
        assert_eq!(
            kind(chip.external_authenticate(&data, &[0; 16])),
            Err(Refusal::VerificationFailed)
        );
        // The challenge was used up: a replay is out of sequence.
        assert_eq!(
            kind(chip.external_authenticate(&data, &[0; 16])),
            Err(Refusal::Conditions)
        );
    }
}
