//! Adaptive file reading (ISO/IEC 7816-4 clause 11.3.3 READ BINARY, clause 11.2.2 SELECT;
//! ICAO Doc 9303-10 clause 3.10.1): as few APDUs as the chip allows, and complete on chips that
//! do not follow the standard to the letter.
//!
//! The first READ BINARY selects the file by short EF identifier and asks for as many bytes as
//! one response can carry, so the TLV header arrives with the first chunk and small files need a
//! single APDU. A chip refusing short EF identifiers (6986, 6A81, 6A86, 6F00) gets a SELECT by
//! file identifier instead, for this file and every later one. The header then gives the file's
//! length; the rest is read in chunks as large as the secure messaging overhead and the chip's
//! buffer allow (extended length when announced, 231 bytes under 3DES or 223 under AES
//! otherwise), with odd-INS B1 and the offset in DO 54 above offset 32767.
//!
//! What the chip does wrong is remembered for the session: 6700 (wrong length) shrinks the
//! chunk, 6Cxx re-asks with the exact length, Le = 256 answered with 6700, 6B00 or a short 6282
//! is not asked again, and a chip returning fewer bytes than asked while the header says the
//! file goes on is read on (its cap kept). 6282 and short answers end a file only where its
//! header says it ends (or, for a file without a header, where the chip says so); an
//! unauthenticated status word under secure messaging never ends a file. No byte already read
//! is lost.

use super::session::{Limits, Session};
use crate::apdu::{MAX_EXTENDED_NE, MAX_SHORT_NE, sw};
use crate::error::{Error, Result};
use crate::iso7816::read_binary::{
    FileRef, MAX_EVEN_OFFSET, ReadBinary, data_capacity, decode_response,
};
use crate::iso7816::select::Select;
use crate::lds::files::{EfId, FileLocation};
use crate::tlv::parse_header;

/// The largest file the reader accepts: a hostile chip must not fill the memory (real DG2/DG3
/// files are tens to a few hundred kilobytes).
pub const MAX_FILE_SIZE: usize = crate::fsio::MAX_LDS_FILE;

/// Bytes read so far and the total, when known.
pub type Progress<'a> = &'a mut dyn FnMut(usize, Option<usize>);

/// What one READ BINARY returned.
struct Chunk {
    data: Vec<u8>,
    /// The chip says the file ends here (6282, 6B00, or fewer bytes than asked).
    end_of_file: bool,
    /// Fewer bytes than asked, with 9000.
    short_ok: bool,
}

/// Status words with which chips refuse READ BINARY by short EF identifier.
fn refuses_sfi(status: Option<u16>) -> bool {
    matches!(
        status,
        Some(sw::NO_CURRENT_EF | sw::FUNC_NOT_SUPPORTED | sw::WRONG_P1P2 | sw::UNKNOWN)
    )
}

impl Session {
    /// The most file bytes one READ BINARY can return now (B1 when `odd`).
    fn chunk_capacity(&self, odd: bool) -> usize {
        let limits = self.limits();
        let budget = if limits.extended {
            (limits.max_response.saturating_sub(2)).min(MAX_EXTENDED_NE)
        } else {
            MAX_SHORT_NE
        };
        let plain = match self.secure_messaging() {
            Some(sm) => sm.max_plain_response(budget, odd),
            None => budget,
        };
        data_capacity(plain, odd)
    }

    /// [`Session::chunk_capacity`] within what the chip was found to accept.
    fn chunk_limit(&self, odd: bool) -> usize {
        let habits = self.habits();
        let mut n = self.chunk_capacity(odd);
        if let Some(cap) = habits.max_read {
            n = n.min(cap);
        }
        if let Some(fail) = habits.read_fail {
            // Bisect between the largest length accepted and the smallest refused.
            let ok = habits.read_ok;
            let probe = if fail.saturating_sub(ok) > 8 {
                ok + (fail - ok) / 2
            } else {
                ok
            };
            n = n.min(probe.max(1));
        }
        if habits.no_le_256 && n == MAX_SHORT_NE {
            n -= 1;
        }
        n
    }

    /// Notes how a READ BINARY of `want` bytes fared, while the chip's limit is being searched.
    fn note_length(&mut self, want: usize, accepted: bool) {
        let mut habits = self.habits();
        if accepted {
            if habits.read_fail.is_some() {
                habits.read_ok = habits.read_ok.max(want);
            }
        } else {
            habits.read_fail = Some(habits.read_fail.map_or(want, |f| f.min(want)));
        }
        self.set_habits(habits);
    }

    /// Remembers a smaller READ BINARY size.
    fn cap_reads(&mut self, cap: usize) {
        let mut habits = self.habits();
        habits.max_read = Some(habits.max_read.map_or(cap, |c| c.min(cap)).max(1));
        self.set_habits(habits);
    }

    /// Le = 256 refused or mishandled: try 255 if that is what was asked. True when it was.
    fn avoid_le_256(&mut self, want: usize) -> bool {
        let mut habits = self.habits();
        if want != MAX_SHORT_NE || habits.no_le_256 {
            return false;
        }
        habits.no_le_256 = true;
        self.set_habits(habits);
        true
    }

    /// SELECT an elementary file by file identifier (no FCI asked).
    fn select_ef(&mut self, fid: u16, what: &str) -> Result<()> {
        let resp = self.transmit(&Select::elementary_file(fid).to_command())?;
        if resp.sw != sw::OK {
            return Err(Error::status(format!("{what}: SELECT"), resp.sw));
        }
        Ok(())
    }

    /// One READ BINARY of up to `want` bytes at `offset`; `sfi` addresses the file on the first
    /// read. Handles 6700 and 6Cxx by asking again.
    fn read_chunk(
        &mut self,
        sfi: Option<u8>,
        offset: usize,
        mut want: usize,
        what: &str,
    ) -> Result<Chunk> {
        for _ in 0..16 {
            let file = sfi.map_or(FileRef::Current, FileRef::Sfi);
            let read = ReadBinary::new(file, offset, want);
            let odd = read.odd;
            let resp = self.transmit(&read.to_command()?)?;
            let bare = self.last_answer_unprotected();
            match resp.sw {
                // Under secure messaging a bare status word is at most a refusal, never the
                // end of a file (a bare 6282 or 9000 does not even get here).
                s if bare => {
                    return Err(Error::status(
                        format!(
                            "{what}: READ BINARY at offset {offset} refused (unprotected answer)"
                        ),
                        s,
                    ));
                }
                sw::OK | sw::END_OF_FILE => {
                    self.note_length(want, true);
                    let data = decode_response(resp.data, odd)?;
                    if data.len() > want {
                        return Err(Error::Lds(format!(
                            "{what}: asked for {want} bytes at offset {offset}, chip sent {}",
                            data.len()
                        )));
                    }
                    if resp.sw == sw::END_OF_FILE && !data.is_empty() && self.avoid_le_256(want) {
                        // Le = 256 answered short: not necessarily the end; ask 255 next time.
                        return Ok(Chunk {
                            data,
                            end_of_file: false,
                            short_ok: false,
                        });
                    }
                    let short = data.len() < want;
                    return Ok(Chunk {
                        end_of_file: resp.sw == sw::END_OF_FILE || short,
                        short_ok: resp.sw == sw::OK && short,
                        data,
                    });
                }
                sw::WRONG_PARAMS if self.avoid_le_256(want) => want = MAX_SHORT_NE - 1,
                sw::WRONG_PARAMS => {
                    return Ok(Chunk {
                        data: Vec::new(),
                        end_of_file: true,
                        short_ok: false,
                    });
                }
                sw::WRONG_LENGTH if self.avoid_le_256(want) => want = MAX_SHORT_NE - 1,
                sw::WRONG_LENGTH if self.limits().extended => self.set_limits(Limits::SHORT),
                sw::WRONG_LENGTH if want > 1 => self.note_length(want, false),
                s if s >> 8 == 0x6C && !odd => {
                    let exact = if s & 0xFF == 0 {
                        256
                    } else {
                        (s & 0xFF) as usize
                    };
                    if exact >= want {
                        return Err(Error::status(format!("{what}: READ BINARY"), s));
                    }
                    want = exact;
                }
                s => {
                    return Err(Error::status(
                        format!("{what}: READ BINARY at offset {offset}"),
                        s,
                    ));
                }
            }
            want = want.min(self.chunk_limit(odd));
        }
        Err(Error::Lds(format!(
            "{what}: chip keeps refusing READ BINARY lengths"
        )))
    }

    /// The first chunk of a file: by short EF identifier unless the chip refuses them (or the
    /// file has none), else after a SELECT by file identifier.
    fn first_chunk(&mut self, at: FileLocation, what: &str) -> Result<Chunk> {
        if let Some(sfi) = at.sfi.filter(|_| !self.habits().no_sfi) {
            let cap = self.chunk_limit(false);
            match self.read_chunk(Some(sfi), 0, cap, what) {
                Err(e) if refuses_sfi(e.sw()) => {
                    let mut habits = self.habits();
                    habits.no_sfi = true;
                    self.set_habits(habits);
                }
                other => return other,
            }
        }
        self.select_ef(at.fid, what)?;
        let cap = self.chunk_limit(false);
        self.read_chunk(None, 0, cap, what)
    }

    /// Reads a whole elementary file, in as few APDUs as possible. A master-file EF
    /// (EF.CardAccess, EF.CardSecurity) read while the application is selected is read after a
    /// SELECT of the master file, and the application is selected again after it.
    pub fn read_file(&mut self, ef: EfId, progress: Progress<'_>) -> Result<Vec<u8>> {
        if !(ef.in_master_file() && self.in_application()) {
            return self.read_file_at(ef, ef.location(), progress);
        }
        self.select_master_file()?;
        let content = self.read_file_at(ef, ef.location(), progress);
        self.select_application()?;
        content
    }

    /// Reads file `ef` where `at` says rather than at its default identifiers (EF.CVCA where
    /// DG14's TerminalAuthenticationInfo puts it): by `at.sfi` when given, else after a SELECT
    /// of `at.fid` (BSI TR-03110-3 clause A.7.2.4).
    pub fn read_file_at(
        &mut self,
        ef: EfId,
        at: FileLocation,
        progress: Progress<'_>,
    ) -> Result<Vec<u8>> {
        let what = ef.name();
        let first = self.first_chunk(at, &what)?;
        let mut data = first.data;
        let mut short_ok = first.short_ok.then_some(data.len());
        // A file that does not start with a TLV header (or is shorter than one), or holds a
        // sequence of objects (EF.CVCA), is read to its end.
        let total = parse_header(&data)
            .ok()
            .filter(|_| ef.is_single_object())
            .and_then(|h| h.total_len());
        if let Some(t) = total.filter(|&t| t > MAX_FILE_SIZE) {
            return Err(Error::Lds(format!(
                "{what}: header announces {t} bytes, more than any LDS file ({MAX_FILE_SIZE})"
            )));
        }
        // With a header, only the header says where the file ends; without one, the chip does.
        let mut done = total.map_or(first.end_of_file, |t| data.len() >= t);
        progress(data.len(), total);
        while !done {
            if data.len() >= MAX_FILE_SIZE {
                return Err(Error::Lds(format!(
                    "{what}: the chip sends more than {MAX_FILE_SIZE} bytes"
                )));
            }
            let offset = data.len();
            if let Some(got) = short_ok.take().filter(|&n| n > 0) {
                // The chip answered fewer bytes than asked with 9000 and the file goes on: that
                // is the most it returns at once.
                self.cap_reads(got);
            }
            let cap = self.chunk_limit(offset > MAX_EVEN_OFFSET);
            let want = total.map_or(cap, |t| t.saturating_sub(offset).min(cap));
            let chunk = self.read_chunk(None, offset, want, &what)?;
            let got = chunk.data.len();
            data.extend(chunk.data);
            short_ok = chunk.short_ok.then_some(got);
            done = got == 0 || total.map_or(chunk.end_of_file, |t| data.len() >= t);
            progress(data.len(), total);
        }
        if let Some(t) = total {
            if data.len() < t {
                return Err(Error::Lds(format!(
                    "{what}: file ended after {} of the {t} bytes its header announces",
                    data.len()
                )));
            }
            data.truncate(t);
        }
        Ok(data)
    }
}
