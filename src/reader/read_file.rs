//! Adaptive file reading (ISO/IEC 7816-4 clause 11.3.3 READ BINARY; ICAO Doc 9303-10 clause
//! 3.10.1): as few APDUs as the chip allows.
//!
//! The first READ BINARY selects the file by short EF identifier and asks for as many bytes as
//! one response can carry, so the TLV header arrives with the first chunk and small files need a
//! single APDU. The header then gives the file's length; the rest is read in chunks as large as
//! the secure messaging overhead and the chip's buffer allow (extended length when announced,
//! 231 bytes under 3DES or 223 under AES otherwise), with odd-INS B1 and the offset in DO 54 above
//! offset 32767. 6700 (wrong length) shrinks the chunk, 6Cxx re-asks with the exact length,
//! 6282 and short answers mark the end of the file; no byte already read is lost.

use super::session::{Limits, Session};
use crate::apdu::{Command, MAX_EXTENDED_NE, MAX_SHORT_NE, sw};
use crate::error::{Error, Result};
use crate::lds::files::EfId;
use crate::tlv::{self, Tlv, parse_header};

/// The largest file the reader accepts: a hostile chip must not fill the memory (real DG2/DG3
/// files are tens to a few hundred kilobytes).
pub const MAX_FILE_SIZE: usize = crate::fsio::MAX_LDS_FILE;

/// Highest offset READ BINARY B0 can address in P1-P2.
const MAX_B0_OFFSET: usize = 0x7FFF;

/// Bytes read so far and the total, when known.
pub type Progress<'a> = &'a mut dyn FnMut(usize, Option<usize>);

/// What one READ BINARY returned.
struct Chunk {
    data: Vec<u8>,
    end_of_file: bool,
}

/// Header length of DO 53 holding `n` bytes.
fn do53_header(n: usize) -> usize {
    1 + tlv::encode_len(n).len()
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
        if !odd {
            return plain;
        }
        let mut n = plain;
        while n > 0 && n + do53_header(n) > plain {
            n -= 1;
        }
        n
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
            let odd = offset > MAX_B0_OFFSET;
            let cmd = if odd {
                let off = (offset as u32).to_be_bytes();
                let skip = off.iter().take(3).take_while(|&&b| b == 0).count();
                Command::new(0x00, 0xB1, 0x00, 0x00)
                    .with_data(tlv::encode(0x54, &off[skip..]))
                    .with_le(want + do53_header(want))
            } else {
                let (p1, p2) = match sfi {
                    Some(s) => (0x80 | s, offset as u8),
                    None => ((offset >> 8) as u8, offset as u8),
                };
                Command::new(0x00, 0xB0, p1, p2).with_le(want)
            };
            let resp = self.transmit(&cmd)?;
            match resp.sw {
                sw::OK | sw::END_OF_FILE => {
                    let data = if odd {
                        if resp.data.is_empty() {
                            Vec::new()
                        } else {
                            Tlv::parse_tagged(&resp.data, 0x53)?.value.to_vec()
                        }
                    } else {
                        resp.data
                    };
                    if data.len() > want {
                        return Err(Error::Lds(format!(
                            "{what}: asked for {want} bytes at offset {offset}, chip sent {}",
                            data.len()
                        )));
                    }
                    let end_of_file = resp.sw == sw::END_OF_FILE || data.len() < want;
                    return Ok(Chunk { data, end_of_file });
                }
                sw::WRONG_PARAMS => {
                    return Ok(Chunk {
                        data: Vec::new(),
                        end_of_file: true,
                    });
                }
                sw::WRONG_LENGTH if self.limits().extended => self.set_limits(Limits::SHORT),
                sw::WRONG_LENGTH if want > 1 => want = want.div_ceil(2),
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
            want = want.min(self.chunk_capacity(odd));
        }
        Err(Error::Lds(format!(
            "{what}: chip keeps refusing READ BINARY lengths"
        )))
    }

    /// Reads a whole elementary file by short EF identifier, in as few APDUs as possible.
    pub fn read_file(&mut self, ef: EfId, progress: Progress<'_>) -> Result<Vec<u8>> {
        let what = ef.name();
        let first = self.read_chunk(Some(ef.sfi()), 0, self.chunk_capacity(false), &what)?;
        let mut data = first.data;
        let mut done = first.end_of_file;
        // A file that does not start with a TLV header (or is shorter than one) is read to its end.
        let total = parse_header(&data).ok().map(|h| h.total_len());
        if let Some(t) = total.filter(|&t| t > MAX_FILE_SIZE) {
            return Err(Error::Lds(format!(
                "{what}: header announces {t} bytes, more than any LDS file ({MAX_FILE_SIZE})"
            )));
        }
        progress(data.len(), total);
        while !done && total.is_none_or(|t| data.len() < t) {
            if data.len() >= MAX_FILE_SIZE {
                return Err(Error::Lds(format!(
                    "{what}: the chip sends more than {MAX_FILE_SIZE} bytes"
                )));
            }
            let offset = data.len();
            let cap = self.chunk_capacity(offset > MAX_B0_OFFSET);
            let want = total.map_or(cap, |t| (t - offset).min(cap));
            let chunk = self.read_chunk(None, offset, want, &what)?;
            done = chunk.end_of_file || chunk.data.is_empty();
            data.extend(chunk.data);
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
