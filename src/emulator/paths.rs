//! Where the files a chip image names come from: paths stay inside the image's folder unless
//! the image is trusted explicitly. An image is data from elsewhere; without this, `"path":
//! "/etc/shadow"` or `"../../secret"` would be served to any terminal as a data group.

use crate::error::{Error, Result};
use crate::fsio::{MAX_LDS_FILE, read_bounded};
use std::path::{Path, PathBuf};

/// How the path sources of a chip image are resolved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PathTrust {
    /// Relative paths inside the image's folder only (the default).
    #[default]
    Contained,
    /// Any path the image names, absolute or outside its folder: only for images you wrote.
    TrustImagePaths,
}

/// Resolves `p`, named by a chip image, against the image's folder `base_dir`.
pub fn resolve_image_path(base_dir: &Path, p: &Path, trust: PathTrust) -> Result<PathBuf> {
    use std::path::Component;
    let full = base_dir.join(p);
    if trust == PathTrust::TrustImagePaths {
        return Ok(full);
    }
    let refuse = |why: &str| {
        Err(Error::ChipImage(format!(
            "path {}: {why} (the image's files must stay in its folder; \
             use --trust-image-paths for an image you trust)",
            p.display()
        )))
    };
    if p.components()
        .any(|c| matches!(c, Component::RootDir | Component::Prefix(_)))
    {
        return refuse("absolute path");
    }
    if p.components().any(|c| c == Component::ParentDir) {
        return refuse("'..' leads out of the image's folder");
    }
    // Symlinks: the file itself must resolve inside the folder.
    let reading = |q: &Path, e| Error::io(format!("reading {}", q.display()), e);
    let base = base_dir
        .canonicalize()
        .or_else(|_| Path::new(".").canonicalize())
        .map_err(|e| reading(base_dir, e))?;
    let real = full.canonicalize().map_err(|e| reading(&full, e))?;
    if !real.starts_with(&base) {
        return refuse("a symbolic link leads out of the image's folder");
    }
    Ok(real)
}

/// Reads a file named by a chip image: contained per `trust`, at most 4 MB.
pub fn read_image_file(base_dir: &Path, p: &Path, trust: PathTrust) -> Result<Vec<u8>> {
    let full = resolve_image_path(base_dir, p, trust)?;
    read_bounded(&full, MAX_LDS_FILE, "a chip file")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let img = dir.path().join("img");
        std::fs::create_dir_all(img.join("sub")).unwrap();
        std::fs::write(img.join("sub/dg2.bin"), [0x75, 0]).unwrap();
        std::fs::write(dir.path().join("secret.bin"), [1, 2, 3]).unwrap();
        (dir, img)
    }

    #[test]
    fn relative_paths_inside_the_folder_are_read() {
        let (_dir, img) = folder();
        let got = read_image_file(&img, Path::new("sub/dg2.bin"), PathTrust::Contained).unwrap();
        assert_eq!(got, [0x75, 0]);
    }

    #[test]
    fn absolute_paths_and_dot_dot_are_refused_unless_trusted() {
        let (dir, img) = folder();
        let secret = dir.path().join("secret.bin");
        for p in [secret.clone(), PathBuf::from("../secret.bin")] {
            let e = read_image_file(&img, &p, PathTrust::Contained)
                .unwrap_err()
                .to_string();
            assert!(e.contains("--trust-image-paths"), "{e}");
            let got = read_image_file(&img, &p, PathTrust::TrustImagePaths).unwrap();
            assert_eq!(got, [1, 2, 3]);
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_refused() {
        let (dir, img) = folder();
        std::os::unix::fs::symlink(dir.path().join("secret.bin"), img.join("dg2.bin")).unwrap();
        std::os::unix::fs::symlink("sub/dg2.bin", img.join("inside.bin")).unwrap();
        let e = read_image_file(&img, Path::new("dg2.bin"), PathTrust::Contained)
            .unwrap_err()
            .to_string();
        assert!(e.contains("symbolic link"), "{e}");
        let inside = read_image_file(&img, Path::new("inside.bin"), PathTrust::Contained);
        assert_eq!(inside.unwrap(), [0x75, 0]);
    }
}
