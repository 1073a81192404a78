//! Bounded reading of the files dactyl is given (data groups, EF.SOD, certificates, CRLs, master
//! lists, keys, chip images and the files they name, PKI folders): a file can be hostile or
//! simply wrong (`/dev/zero`, a disk image, an endless pipe), so nothing is read past a cap.
//!
//! Caps:
//! - [`MAX_LDS_FILE`] (4 MB): any one LDS file, certificate, CV certificate, key or chip image.
//!   The reader refuses files over this size from chips too; real DG2/DG3 files are tens to a
//!   few hundred kilobytes.
//! - [`MAX_LIST_FILE`] (16 MB): master lists and CRLs, which hold hundreds of certificates or
//!   revocation entries (the ICAO master lists are around 1 MB).
//! - [`MAX_FOLDER_FILES`] (10,000): entries in one trust-store folder.
//!
//! Non-regular files (devices, pipes) are read too, but only up to the cap.

use crate::error::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest LDS file, certificate, key or chip image dactyl reads (4 MB).
pub const MAX_LDS_FILE: usize = 4 * 1024 * 1024;

/// The largest master list or CRL dactyl reads (16 MB).
pub const MAX_LIST_FILE: usize = 16 * 1024 * 1024;

/// The most entries dactyl looks at in one trust-store folder.
pub const MAX_FOLDER_FILES: usize = 10_000;

fn too_large(path: &Path, cap: usize, what: &str) -> Error {
    Error::io(
        path.display().to_string(),
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {}, not {what}", size_text(cap)),
        ),
    )
}

/// "4 MB", "512 KB", "100 bytes".
fn size_text(n: usize) -> String {
    const MB: usize = 1024 * 1024;
    if n >= MB && n.is_multiple_of(MB) {
        format!("{} MB", n / MB)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// Reads at most `cap` bytes of `path`; a longer file is an error saying it is larger than
/// `cap` and so not `what` (e.g. "a data group or certificate").
pub fn read_bounded(path: &Path, cap: usize, what: &str) -> Result<Vec<u8>> {
    let reading = |e| Error::io(format!("reading {}", path.display()), e);
    let file = std::fs::File::open(path).map_err(reading)?;
    let meta = file.metadata().map_err(reading)?;
    if meta.is_dir() {
        return Err(Error::io(
            path.display().to_string(),
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("a folder, not {what}"),
            ),
        ));
    }
    if meta.is_file() && meta.len() > cap as u64 {
        return Err(too_large(path, cap, what));
    }
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let mut out = Vec::new();
    file.take(limit).read_to_end(&mut out).map_err(reading)?;
    if out.len() > cap {
        return Err(too_large(path, cap, what));
    }
    Ok(out)
}

/// [`read_bounded`] for UTF-8 text.
pub fn read_text_bounded(path: &Path, cap: usize, what: &str) -> Result<String> {
    let bytes = read_bounded(path, cap, what)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::io(
            path.display().to_string(),
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not UTF-8 text, not {what}"),
            ),
        )
    })
}

/// The regular files of a folder, sorted; more than `max` entries is an error.
pub fn list_folder(path: &Path, max: usize) -> Result<Vec<PathBuf>> {
    let reading = |e| Error::io(format!("reading {}", path.display()), e);
    let mut files = Vec::new();
    for (n, entry) in std::fs::read_dir(path).map_err(reading)?.enumerate() {
        if n >= max {
            return Err(Error::io(
                path.display().to_string(),
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("more than {max} entries, not a folder of certificates"),
                ),
            ));
        }
        let Ok(entry) = entry else { continue };
        let p = entry.path();
        if p.is_file() {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_small_files_and_refuses_large_ones() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.bin");
        std::fs::write(&p, [7u8; 100]).unwrap();
        assert_eq!(read_bounded(&p, 100, "x").unwrap().len(), 100);
        let e = read_bounded(&p, 99, "a data group")
            .unwrap_err()
            .to_string();
        assert!(e.contains("larger than 99 bytes, not a data group"), "{e}");
        assert!(e.starts_with(&p.display().to_string()), "{e}");
    }

    #[test]
    fn endless_devices_are_read_only_up_to_the_cap() {
        let p = Path::new("/dev/zero");
        if !p.exists() {
            return;
        }
        let e = read_bounded(p, MAX_LDS_FILE, "a data group")
            .unwrap_err()
            .to_string();
        assert!(e.contains("larger than 4 MB"), "{e}");
    }

    #[test]
    fn folders_are_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_bounded(dir.path(), 10, "a certificate")
            .unwrap_err()
            .to_string();
        assert!(e.contains("a folder, not a certificate"), "{e}");
    }

    #[test]
    fn folder_listing_is_capped() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..5 {
            std::fs::write(dir.path().join(format!("{i}.cer")), [0u8]).unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert_eq!(list_folder(dir.path(), 6).unwrap().len(), 5);
        let e = list_folder(dir.path(), 5).unwrap_err().to_string();
        assert!(e.contains("more than 5 entries"), "{e}");
    }
}
