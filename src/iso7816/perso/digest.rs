//! The personalization digest: one SHA-256 (FIPS 180-4) over everything a writer put on a chip,
//! computed alike by the writer (from what it wrote) and by dactyl's chips (from what they
//! hold), so that a chip locks only when it holds exactly what the writer meant: a command
//! corrupted or lost on the wire can never end as a locked chip with wrong data.
//!
//! The hash input, in this order:
//! - every file, the master file's first, then the LDS1 application's, each group by file
//!   identifier ascending: `00` (master file) or `01` (application), the FID (2 bytes), the
//!   content's length (4 bytes, big-endian), the content (as long as CREATE FILE made it);
//! - every PUT DATA object by (P1, P2) ascending, the lock excluded (the trusted CVCA slots
//!   01 64 and 02 64 included): P1, P2, the data field's length (4 bytes, big-endian), the data
//!   field as it was sent (for an object put twice, the last one).
//!
//! The lock carries the digest as `00 DA DE AD 22 | DC 20 <32 bytes>` (DO 'DC', a private
//! class tag, as dactyl's own PUT DATA objects use P1 = DC). The JMRTD applet locks with no data.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The length of the digest.
pub const DIGEST_LEN: usize = 32;
/// The tag of the data object holding the digest in the lock command.
pub const TAG_LOCK_DIGEST: u8 = 0xDC;

/// One file as written to the chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PersoFile<'a> {
    /// True for a file of the LDS1 application, false for one of the master file.
    pub in_application: bool,
    /// The file identifier.
    pub fid: u16,
    /// The whole content.
    pub content: &'a [u8],
}

/// One PUT DATA object as written to the chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PersoObject<'a> {
    /// P1.
    pub p1: u8,
    /// P2.
    pub p2: u8,
    /// The command's data field.
    pub data: &'a [u8],
}

fn len4(n: usize) -> [u8; 4] {
    u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes()
}

/// The personalization digest of `files` and `objects` (see the module documentation); the
/// order they come in does not matter, a later duplicate replaces an earlier one, and the lock
/// (DE AD) is left out.
pub fn perso_digest<'a>(
    files: impl IntoIterator<Item = PersoFile<'a>>,
    objects: impl IntoIterator<Item = PersoObject<'a>>,
) -> [u8; DIGEST_LEN] {
    let files: BTreeMap<(bool, u16), &[u8]> = files
        .into_iter()
        .map(|f| ((f.in_application, f.fid), f.content))
        .collect();
    let objects: BTreeMap<(u8, u8), &[u8]> = objects
        .into_iter()
        .filter(|o| (o.p1, o.p2) != (0xDE, 0xAD))
        .map(|o| ((o.p1, o.p2), o.data))
        .collect();
    let mut h = Sha256::new();
    for ((in_app, fid), content) in files {
        h.update([u8::from(in_app)]);
        h.update(fid.to_be_bytes());
        h.update(len4(content.len()));
        h.update(content);
    }
    for ((p1, p2), data) in objects {
        h.update([p1, p2]);
        h.update(len4(data.len()));
        h.update(data);
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    #[test]
    fn the_digest_hashes_the_documented_coding() {
        let (card_access, dg1, com) = (hex("31 00"), hex("61 02 5F 1F"), hex("60 01 00"));
        let (seed, can) = (hex("62 00"), b"123456".to_vec());
        let files = [
            PersoFile {
                in_application: true,
                fid: 0x0101,
                content: &dg1,
            },
            PersoFile {
                in_application: true,
                fid: 0x011E,
                content: &com,
            },
            PersoFile {
                in_application: false,
                fid: 0x011C,
                content: &card_access,
            },
        ];
        let objects = [
            PersoObject {
                p1: 0xDC,
                p2: 0x01,
                data: &can,
            },
            PersoObject {
                p1: 0xDE,
                p2: 0xAD,
                data: &[0xFF],
            },
            PersoObject {
                p1: 0x00,
                p2: 0x62,
                data: &seed,
            },
        ];
        // The hash input written out by hand from the module documentation.
        let input = hex("00 011C 00000002 3100 \
             01 0101 00000004 61025F1F \
             01 011E 00000003 600100 \
             00 62 00000002 6200 \
             DC 01 00000006 313233343536");
        let want: [u8; 32] = Sha256::digest(&input).into();
        assert_eq!(perso_digest(files, objects), want);
        // The known answer (computed apart from this code), and the order of the inputs does
        // not matter.
        assert_eq!(
            hex::encode(want),
            "6d61727d8008c518c3d7626c0719eff9771bf3145bd1a194420b4550d741a836"
        );
        assert_eq!(perso_digest(files.iter().rev().copied(), objects), want);
        // Every byte counts: another file content, another object, the lock's data does not.
        let other = hex("61 02 5F 1E");
        let mut changed = files;
        changed[0].content = &other;
        assert_ne!(perso_digest(changed, objects), want);
        assert_ne!(perso_digest(files, objects[..1].iter().copied()), want);
        let mut lock = objects;
        lock[1].data = &[];
        assert_eq!(perso_digest(files, lock), want);
    }
}
