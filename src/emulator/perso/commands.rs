//! The commands a chip answers while it is personalized (ISO/IEC 7816-4 clauses 11.2.2 SELECT,
//! 11.3.3 READ BINARY, 11.3.5 UPDATE BINARY, 11.4.7 PUT DATA; ISO/IEC 7816-9 clause 6.1
//! CREATE FILE; ICAO Doc 9303-11 clause 4.3 BAC for the transport key), with the JMRTD passport
//! applet's limits on that profile.

use super::{FileKey, Object, PersoChip, Profile};
use crate::access::bac::{BacChip, CRYPTOGRAM_LEN};
use crate::access::cvc::{Cvc, Role};
use crate::apdu::{Command, MAX_EXTENDED_NE, MAX_SHORT_NE, Response, sw};
use crate::emulator::fs::atr_info;
use crate::iso7816::challenge::{
    CHALLENGE_LEN, INS_EXTERNAL_AUTHENTICATE, INS_GET_CHALLENGE, authentication_data,
    parse_get_challenge,
};
use crate::iso7816::perso::{
    CreateFile, INS_CREATE_FILE, INS_PUT_DATA, INS_UPDATE_BINARY, INS_UPDATE_BINARY_ODD,
    JMRTD_MAX_FILE, JMRTD_MAX_UPDATE, P1_DACTYL, PutData, UpdateBinary,
};
use crate::iso7816::read_binary::{self, FileRef, ReadBinary, encode_response};
use crate::iso7816::refusal::{ChipError, ChipResult, Refusal};
use crate::iso7816::select::{self, Select, SelectTarget};
use crate::lds::files::{EfId, LDS1_AID};
use crate::lds::mrz::MrzKeyInfo;
use crate::rand::fill_random;
use zeroize::Zeroizing;

/// EF.ATR/INFO's place in the master file.
const ATR_INFO: FileKey = (false, 0x2F01);

const NOT_PERSONALIZED: ChipError =
    ChipError::security_status("not personalized: nothing is readable but EF.ATR/INFO");

/// A certificate a CVCA slot takes: a CVCA certificate (BSI TR-03110-3 clause 2.2.3) whose
/// signature verifies when it is self-signed (a link certificate is taken as given, as the
/// chip's trust points are), so that a certificate corrupted on the wire never fills a
/// one-time slot.
fn trust_point(certificate: &[u8]) -> ChipResult<()> {
    let cvc =
        Cvc::parse(certificate).map_err(|_| ChipError::wrong_data("CVCA: not a CV certificate"))?;
    if cvc.role() != Role::Cvca {
        return Err(ChipError::wrong_data("CVCA: not a CVCA certificate"));
    }
    if cvc.is_self_signed() && cvc.verify_with(&cvc, cvc.domain()).is_err() {
        return Err(ChipError::wrong_data("CVCA: its signature does not verify"));
    }
    Ok(())
}

impl PersoChip {
    fn jmrtd(&self) -> bool {
        self.blank.profile == Profile::JmrtdApplet
    }

    /// One command, secure messaging removed.
    pub(super) fn command(&mut self, cmd: &Command, protected: bool) -> ChipResult<Response> {
        let perso = matches!(
            cmd.ins,
            INS_CREATE_FILE | INS_UPDATE_BINARY | INS_UPDATE_BINARY_ODD | INS_PUT_DATA
        );
        if perso && self.transport.is_some() && !protected {
            return Err(ChipError::security_status(
                "personalization needs secure messaging with the transport key",
            ));
        }
        match cmd.ins {
            select::INS => self.select(cmd),
            read_binary::INS_EVEN | read_binary::INS_ODD => self.read(cmd),
            INS_GET_CHALLENGE if self.transport.is_some() => self.get_challenge(cmd),
            INS_EXTERNAL_AUTHENTICATE if self.transport.is_some() && !protected => {
                self.external_authenticate(cmd)
            }
            INS_CREATE_FILE => self.create_file(cmd),
            INS_UPDATE_BINARY | INS_UPDATE_BINARY_ODD => self.update_binary(cmd),
            INS_PUT_DATA => self.put_data(cmd),
            _ => Err(ChipError::new(
                Refusal::InsNotSupported,
                "instruction not supported before the lock",
            )),
        }
    }

    fn select(&mut self, cmd: &Command) -> ChipResult<Response> {
        match Select::parse(cmd)?.target {
            SelectTarget::Application(aid) => {
                if aid != LDS1_AID {
                    return Err(ChipError::new(
                        Refusal::FileNotFound,
                        "SELECT: not the LDS1 application",
                    ));
                }
                self.session.app_selected = true;
                self.session.current = None;
                self.session.bac = self.transport.clone().map(BacChip::new);
            }
            SelectTarget::MasterFile => {
                self.session.app_selected = false;
                self.session.current = None;
            }
            SelectTarget::File(fid) | SelectTarget::ElementaryFile(fid) => {
                let here = (self.session.app_selected, fid);
                let found = [here, (false, fid)]
                    .into_iter()
                    .find(|k| self.written.files.contains_key(k) || self.is_atr_info(*k))
                    .ok_or(ChipError::new(
                        Refusal::FileNotFound,
                        "SELECT: no such file",
                    ))?;
                self.session.current = Some(found);
            }
        }
        Ok(Response::sw(sw::OK))
    }

    fn is_atr_info(&self, key: FileKey) -> bool {
        key == ATR_INFO && !self.jmrtd()
    }

    /// READ BINARY: EF.ATR/INFO only.
    fn read(&mut self, cmd: &Command) -> ChipResult<Response> {
        let read = ReadBinary::parse(cmd)?;
        if self.jmrtd() && matches!(read.file, FileRef::Sfi(_)) {
            // As the operational applet answers (the `jmrtd-applet` quirk).
            return Err(ChipError::new(
                Refusal::NoCurrentEf,
                "jmrtd-applet: no READ BINARY by SFI",
            ));
        }
        let atr_info_read = match read.file {
            FileRef::Current => self.session.current == Some(ATR_INFO),
            FileRef::Sfi(sfi) => sfi == 0x01 && !self.session.app_selected,
            FileRef::Fid(fid) => fid == ATR_INFO.1,
        };
        if !atr_info_read || self.jmrtd() {
            return Err(NOT_PERSONALIZED);
        }
        self.session.current = Some(ATR_INFO);
        let content = atr_info(self.blank.length_support());
        let ne = read
            .ne
            .ok_or(ChipError::wrong_length("READ BINARY: no Le"))?;
        let rest = content.get(read.offset..).ok_or(ChipError::new(
            Refusal::OutsideFile,
            "READ BINARY: offset past the end of the file",
        ))?;
        let data = encode_response(rest, ne, read.odd);
        let wildcard = ne == MAX_SHORT_NE || ne == MAX_EXTENDED_NE;
        let status = if data.len() < ne && !wildcard {
            sw::END_OF_FILE
        } else {
            sw::OK
        };
        Ok(Response::new(data, status))
    }

    fn get_challenge(&mut self, cmd: &Command) -> ChipResult<Response> {
        if parse_get_challenge(cmd)? != CHALLENGE_LEN {
            return Err(ChipError::wrong_length(
                "GET CHALLENGE: the chip gives 8 bytes",
            ));
        }
        let bac = self.session.bac.as_mut().ok_or(ChipError::conditions(
            "BAC before SELECT of the application",
        ))?;
        let mut rnd = [0u8; CHALLENGE_LEN];
        fill_random(&mut rnd).map_err(|_| ChipError::internal("no randomness"))?;
        Ok(Response::new(bac.get_challenge(rnd).to_vec(), sw::OK))
    }

    fn external_authenticate(&mut self, cmd: &Command) -> ChipResult<Response> {
        let bac = self.session.bac.as_mut().ok_or(ChipError::conditions(
            "BAC before SELECT of the application",
        ))?;
        let data = authentication_data(cmd, Some(CRYPTOGRAM_LEN))?;
        let mut k_ic = Zeroizing::new([0u8; 16]);
        fill_random(k_ic.as_mut()).map_err(|_| ChipError::internal("no randomness"))?;
        let (answer, sm) = bac.external_authenticate(data, &k_ic)?;
        self.session.sm = Some(sm);
        Ok(Response::new(answer, sw::OK))
    }

    /// CREATE FILE: a zero-filled EF in the current DF, which becomes the current EF (ISO/IEC
    /// 7816-9 clause 6.1); an existing file of that FID starts over empty. The FID must be an
    /// LDS file's in that DF (ICAO Doc 9303-10 clause 4.6: EF.CardAccess and EF.CardSecurity
    /// in the master file; EF.COM, EF.SOD, EF.CVCA and the data groups in the application).
    fn create_file(&mut self, cmd: &Command) -> ChipResult<Response> {
        let create = CreateFile::parse(cmd)?;
        let key = (self.session.app_selected, create.fid);
        let limit = if self.jmrtd() {
            JMRTD_MAX_FILE
        } else {
            usize::from(u16::MAX)
        };
        let size = usize::from(create.size);
        if size == 0 || size > limit {
            return Err(ChipError::wrong_data(
                "CREATE FILE: size 0 or above the limit",
            ));
        }
        if key == ATR_INFO {
            return Err(ChipError::conditions(
                "CREATE FILE: EF.ATR/INFO is the chip's own",
            ));
        }
        // Only the files an eMRTD has, where it has them: an application file created in the
        // master file (a SELECT lost on the way) is refused at once, not left to block the lock.
        match super::lock::ef_at(key.0, create.fid) {
            None => {
                return Err(ChipError::wrong_data(
                    "CREATE FILE: no LDS file has this FID in the current DF",
                ));
            }
            // BSI TR-03110-3 A.7.2.4: the chip's EF.CVCA lists its trust points (PUT DATA 01 64,
            // 02 64) and follows them.
            Some(EfId::Cvca) => {
                return Err(ChipError::conditions(
                    "CREATE FILE: EF.CVCA follows the chip's trust points",
                ));
            }
            Some(_) => {}
        }
        if self.jmrtd() && key.0 && matches!(create.fid, 0x0103 | 0x0104) {
            return Err(ChipError::security_status(
                "jmrtd-applet: DG3/DG4 need Terminal Authentication rights",
            ));
        }
        self.written.files.insert(key, vec![0; size]);
        self.session.current = Some(key);
        Ok(Response::sw(sw::OK))
    }

    /// UPDATE BINARY into the current EF.
    fn update_binary(&mut self, cmd: &Command) -> ChipResult<Response> {
        if self.jmrtd() && cmd.ins == INS_UPDATE_BINARY_ODD {
            return Err(ChipError::new(
                Refusal::InsNotSupported,
                "jmrtd-applet: no odd UPDATE BINARY",
            ));
        }
        let update = UpdateBinary::parse(cmd)?;
        if self.jmrtd() && update.data.len() > JMRTD_MAX_UPDATE {
            return Err(ChipError::wrong_length(
                "jmrtd-applet: at most 255 bytes an UPDATE BINARY",
            ));
        }
        let no_ef = ChipError::new(Refusal::NoCurrentEf, "UPDATE BINARY: no current EF");
        let key = self.session.current.ok_or(no_ef)?;
        let file = self.written.files.get_mut(&key).ok_or(no_ef)?;
        let outside = ChipError::new(
            Refusal::OutsideFile,
            "UPDATE BINARY: past the end of the file",
        );
        let end = update
            .offset
            .checked_add(update.data.len())
            .ok_or(outside)?;
        file.get_mut(update.offset..end)
            .ok_or(outside)?
            .copy_from_slice(&update.data);
        Ok(Response::sw(sw::OK))
    }

    /// PUT DATA: an object replaces an earlier one, but for a CVCA slot holding another
    /// certificate; the lock is [`PersoChip::lock`].
    fn put_data(&mut self, cmd: &Command) -> ChipResult<Response> {
        if self.jmrtd() && cmd.p1 == P1_DACTYL {
            return Err(ChipError::wrong_p1p2("jmrtd-applet: no dactyl objects"));
        }
        let value = PutData::parse(cmd)?;
        match &value {
            PutData::Lock | PutData::LockWithDigest(_) => return self.lock(&value),
            PutData::StartOver => {
                self.written = Default::default();
                self.session.current = None;
                return Ok(Response::sw(sw::OK));
            }
            PutData::TrustedCvca { slot, certificate } => {
                trust_point(certificate)?;
                let held = self.written.objects.get(&(*slot, 0x64));
                if held.is_some_and(|o| o.data.as_slice() != certificate.as_slice()) {
                    return Err(ChipError::conditions(
                        "CVCA slot already holds another certificate",
                    ));
                }
            }
            PutData::ChipAuthenticationKey(k) | PutData::ActiveAuthenticationEcKey(k)
                if !self.blank.accepts_curve(k.parameter_id) =>
            {
                return Err(ChipError::wrong_data("a curve the chip does not take"));
            }
            PutData::BacKeySeed {
                document_number,
                date_of_birth,
                date_of_expiry,
            } => {
                MrzKeyInfo::new(document_number, date_of_birth, date_of_expiry)
                    .map_err(|_| ChipError::wrong_data("BAC seed: not MRZ fields"))?;
            }
            _ => {}
        }
        let object = Object {
            data: Zeroizing::new(cmd.data.clone()),
            value,
        };
        self.written.objects.insert((cmd.p1, cmd.p2), object);
        Ok(Response::sw(sw::OK))
    }
}
