//! A chip's file system as an issuer assembles it (ICAO Doc 9303-10 clause 3.10 and 4.6;
//! ISO/IEC 7816-4 clause 7): the master file with EF.CardAccess, EF.CardSecurity and
//! EF.ATR/INFO, and the LDS1 application with EF.COM, EF.SOD and DG1..DG16, each file at its
//! default FID and SFI or where the image places it. The virtual chip serves it
//! ([`crate::emulator::fs`]).

use crate::lds::files::{EfId, FileLocation};
use std::collections::BTreeMap;

/// The chip's files, by identifier; a file may sit elsewhere than its default FID and SFI
/// ([`FileSystem::place`], for EF.CVCA where DG14's TerminalAuthenticationInfo says).
#[derive(Clone, Debug, Default)]
pub struct FileSystem {
    files: BTreeMap<EfId, Vec<u8>>,
    placed: BTreeMap<EfId, FileLocation>,
}

impl FileSystem {
    /// An empty file system.
    pub fn new() -> Self {
        FileSystem::default()
    }

    /// Adds or replaces a file.
    pub fn put(&mut self, ef: EfId, content: Vec<u8>) {
        self.files.insert(ef, content);
    }

    /// A file's content.
    pub fn get(&self, ef: EfId) -> Option<&[u8]> {
        self.files.get(&ef).map(Vec::as_slice)
    }

    /// Puts `ef` at `at` instead of its default identifiers (ISO/IEC 7816-4 clause 7.1: any
    /// FID, and an SFI or none); the file keeps its place when its content is replaced.
    pub fn place(&mut self, ef: EfId, at: FileLocation) {
        self.placed.insert(ef, at);
    }

    /// Where `ef` is: where [`FileSystem::place`] put it, else its default identifiers.
    pub fn location(&self, ef: EfId) -> FileLocation {
        self.placed.get(&ef).copied().unwrap_or(ef.location())
    }

    /// Removes a file.
    pub fn remove(&mut self, ef: EfId) -> Option<Vec<u8>> {
        self.files.remove(&ef)
    }

    /// The data groups, by number (what an SOD hashes).
    pub fn data_groups(&self) -> BTreeMap<u8, Vec<u8>> {
        self.files
            .iter()
            .filter_map(|(ef, c)| match ef {
                EfId::Dg(n) => Some((*n, c.clone())),
                _ => None,
            })
            .collect()
    }

    /// All files in identifier order.
    pub fn iter(&self) -> impl Iterator<Item = (EfId, &[u8])> {
        self.files.iter().map(|(k, v)| (*k, v.as_slice()))
    }

    /// Finds a file by FID: in the LDS1 application when it is selected, else in the master
    /// file. (011D is EF.SOD in the application and EF.CardSecurity in the master file.)
    pub fn by_fid(&self, fid: u16, in_application: bool) -> Option<EfId> {
        let fid_is = |ef: &EfId| self.location(*ef).fid == fid;
        self.files
            .keys()
            .copied()
            .filter(fid_is)
            .find(|ef| ef.in_master_file() != in_application)
            .or_else(|| {
                self.files
                    .keys()
                    .copied()
                    .find(|ef| fid_is(ef) && ef.in_master_file())
            })
    }

    /// Finds a file by short EF identifier, with the same scoping as [`FileSystem::by_fid`].
    pub fn by_sfi(&self, sfi: u8, in_application: bool) -> Option<EfId> {
        self.files
            .keys()
            .copied()
            .find(|ef| self.location(*ef).sfi == Some(sfi) && ef.in_master_file() != in_application)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sfi_and_fid_lookups_respect_the_current_df() {
        let mut fs = FileSystem::new();
        fs.put(EfId::Sod, vec![1]);
        fs.put(EfId::CardSecurity, vec![2]);
        fs.put(EfId::CardAccess, vec![3]);
        fs.put(EfId::Dg(1), vec![4]);
        fs.put(EfId::AtrInfo, vec![5]);
        assert_eq!(fs.by_fid(0x011D, true), Some(EfId::Sod));
        assert_eq!(fs.by_fid(0x011D, false), Some(EfId::CardSecurity));
        assert_eq!(fs.by_fid(0x011C, true), Some(EfId::CardAccess));
        assert_eq!(fs.by_sfi(0x01, true), Some(EfId::Dg(1)));
        assert_eq!(fs.by_sfi(0x01, false), Some(EfId::AtrInfo));
        assert_eq!(fs.by_fid(0x0102, true), None);
    }

    #[test]
    fn a_placed_file_is_found_where_it_was_put_only() {
        let mut fs = FileSystem::new();
        fs.put(EfId::Cvca, vec![0x42]);
        fs.put(EfId::Dg(1), vec![4]);
        let at = FileLocation {
            fid: 0x011A,
            sfi: None,
        };
        fs.place(EfId::Cvca, at);
        fs.put(EfId::Cvca, vec![0x42, 0x00]);
        assert_eq!(fs.location(EfId::Cvca), at);
        assert_eq!(fs.by_fid(0x011A, true), Some(EfId::Cvca));
        assert_eq!(fs.by_fid(0x011C, true), None);
        assert_eq!(fs.by_sfi(0x1C, true), None);
        assert_eq!(fs.location(EfId::Dg(1)), EfId::Dg(1).location());
    }
}
