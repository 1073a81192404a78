//! The front door: the four things most library users do, each in a few lines. Everything
//! here is a thin composition of the layered modules below (ICAO Doc 9303-10/-11 reading and
//! access control in [`crate::reader`], Doc 9303-11 clause 5.1 Passive Authentication in
//! [`crate::reader::pa`], ISO/IEC 19794-4 records in [`crate::lds::dg3`], the vpcd protocol in
//! [`crate::transport::vpcd`]); reach for those when you need more control.
//!
//! Security defaults: Passive Authentication requires the CSCA's CRL (a document whose DSC
//! cannot be checked for revocation does not pass), and a chip's fingerprints are read only
//! with Terminal Authentication credentials given in [`ReadOptions::terminal`].

use crate::emulator::{ChipImage, VirtualChip};
use crate::error::{Error, Result};
use crate::pki::pa::{PaInput, PaReport};
use crate::pki::trust::TrustStore;
use crate::reader::{Document, NoObserver, ReadOptions, read_document};
use crate::time::Time;
use crate::transport::Transport;
use crate::transport::memory::InMemory;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Loads CSCA certificates, CRLs and master lists from each file or folder in `paths`.
///
/// ```
/// let trust = dactyl::easy::load_trust(&["fixtures/pki/test"])?;
/// assert_eq!(trust.cscas().len(), 1);
/// assert_eq!(trust.crls().len(), 1);
/// # Ok::<(), dactyl::Error>(())
/// ```
pub fn load_trust(paths: &[impl AsRef<Path>]) -> Result<TrustStore> {
    let mut trust = TrustStore::new();
    for path in paths {
        trust.load_path(path.as_ref())?;
    }
    Ok(trust)
}

/// A virtual chip from a chip image file (JSON or TOML), reached in-process like a card.
///
/// ```
/// let card = dactyl::easy::virtual_chip("fixtures/chips/utopia_passport.json")?;
/// # Ok::<(), dactyl::Error>(())
/// ```
pub fn virtual_chip(image: impl AsRef<Path>) -> Result<Box<dyn Transport>> {
    let chip = ChipImage::load_chip(image.as_ref())?;
    Ok(Box::new(InMemory::new(chip)))
}

/// Reads the document on `card` (a PC/SC reader's card, see `PcscTransport::wait_for_card` in
/// `dactyl::transport::pcsc`, or a [`virtual_chip`]), then runs Passive Authentication
/// against `trust` and gives the inspection verdict (`doc.inspection`).
///
/// ```
/// use dactyl::reader::ReadOptions;
/// let trust = dactyl::easy::load_trust(&["fixtures/pki/test"])?;
/// let card = dactyl::easy::virtual_chip("fixtures/chips/utopia_passport.json")?;
/// let doc = dactyl::easy::read_and_verify(card, &ReadOptions::with_can("123456"), &trust)?;
/// assert!(doc.passive_authentication.as_ref().unwrap().passed);
/// assert_eq!(doc.dg1.as_ref().unwrap().mrz.document_number, "L898902C3");
/// // Without Terminal Authentication credentials the fingerprints stay on the chip.
/// assert!(!doc.raw.contains_key(&dactyl::lds::files::EfId::Dg(3)));
/// # Ok::<(), dactyl::Error>(())
/// ```
pub fn read_and_verify(
    card: Box<dyn Transport>,
    opts: &ReadOptions,
    trust: &TrustStore,
) -> Result<Document> {
    let mut doc = read_document(card, opts, &mut NoObserver)?;
    doc.verify_passive(trust, Time::now(), true);
    Ok(doc)
}

/// Verifies an EF.SOD and data group files at rest (no chip): their hashes, the signature, the
/// Document Signer's chain to a CSCA in `trust` and its revocation.
///
/// ```
/// use std::collections::BTreeMap;
/// let trust = dactyl::easy::load_trust(&["fixtures/pki/test"])?;
/// let sod = std::fs::read("fixtures/chips/td3_passport_sod.bin")?;
/// let image = dactyl::emulator::ChipImage::load_chip("fixtures/chips/td3_passport.json".as_ref())?;
/// let dgs: BTreeMap<u8, Vec<u8>> = image.files().data_groups();
/// let report = dactyl::easy::verify_files(&sod, &dgs, &trust);
/// assert!(report.passed, "{:?}", report.checks);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_files(
    sod: &[u8],
    data_groups: &BTreeMap<u8, Vec<u8>>,
    trust: &TrustStore,
) -> PaReport {
    let issuing_state = data_groups
        .get(&1)
        .and_then(|b| crate::lds::dg1::Dg1::parse(b).ok())
        .map(|d| d.mrz.issuing_state);
    let input = PaInput {
        sod,
        data_groups,
        com_data_groups: None,
        issuing_state: issuing_state.as_deref(),
        dsc: None,
        now: Time::now(),
        require_crl: true,
    };
    crate::reader::pa::passive_authentication(&input, trust)
}

/// Writes each finger image of a DG3 into `dir` as `DG3_<n>_<finger>.<ext>` (the extension
/// from the record's compression: `wsq`, `jpg`, `jp2`, `png`, `raw`), each with a PNG of its
/// pixels beside it when it decodes (raw images with the record's size,
/// [`crate::biometrics::pixels::decode_view`]), and returns the paths.
///
/// ```
/// let dg3 = std::fs::read("fixtures/chips/bsi_passport/Datagroup3.bin")?;
/// let dir = std::env::temp_dir().join(format!("dactyl-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let written = dactyl::easy::save_finger_images(&dg3, &dir)?;
/// assert_eq!(written.len(), 4);
/// assert!(written[0].ends_with("DG3_1_right_index_finger.wsq"));
/// assert!(written[1].ends_with("DG3_1_right_index_finger.png"));
/// assert!(written[2].ends_with("DG3_2_left_index_finger.wsq"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn save_finger_images(dg3: &[u8], dir: &Path) -> Result<Vec<PathBuf>> {
    let dg3 = crate::lds::dg3::Dg3::parse(dg3)?;
    let mut written = Vec::new();
    let views = dg3.images.iter().flat_map(|i| i.views());
    for (n, view) in views.enumerate() {
        let name = format!(
            "DG3_{}_{}.{}",
            n + 1,
            view.position.name().replace(' ', "_"),
            view.image_extension()
        );
        let pixels = crate::biometrics::pixels::decode_view(
            view.image,
            view.compression,
            view.width.into(),
            view.height.into(),
        );
        written.extend(write_image_with(&dir.join(name), view.image, pixels.ok())?);
    }
    Ok(written)
}

/// Writes a face or finger image file as it came, and beside it a PNG of its pixels when dactyl
/// decodes its format (WSQ, JPEG, JPEG 2000; a PNG is written once). Returns the paths written.
pub fn write_image(path: &Path, data: &[u8]) -> Result<Vec<PathBuf>> {
    write_image_with(
        path,
        data,
        crate::biometrics::pixels::decode_image(data).ok(),
    )
}

/// Writes an image file as it came, and beside it a PNG of `pixels` (its decoded form, e.g.
/// from [`crate::biometrics::pixels::decode_view`] for a raw image) unless the file is a PNG.
pub fn write_image_with(
    path: &Path,
    data: &[u8],
    pixels: Option<crate::biometrics::pixels::Pixels>,
) -> Result<Vec<PathBuf>> {
    let write = |p: &Path, bytes: &[u8]| {
        std::fs::write(p, bytes).map_err(|e| Error::io(format!("writing {}", p.display()), e))
    };
    write(path, data)?;
    let mut written = vec![path.to_path_buf()];
    let is_png = path.extension().is_some_and(|e| e == "png");
    if !is_png && let Some(px) = pixels {
        let png_path = path.with_extension("png");
        write(&png_path, &crate::biometrics::pixels::encode_png(&px)?)?;
        written.push(png_path);
    }
    Ok(written)
}

/// Serves `chip` to pcscd through vsmartcard's vpcd driver at `addr` (`localhost:35963` is
/// the first vpcd reader) until the connection is given up; PC/SC applications then see it as
/// a card in that reader.
///
/// ```no_run
/// let mut chip = dactyl::emulator::ChipImage::load_chip("fixtures/chips/utopia_passport.json".as_ref())?;
/// dactyl::easy::serve_vpcd(&mut chip, "localhost:35963")?;
/// # Ok::<(), dactyl::Error>(())
/// ```
pub fn serve_vpcd(
    chip: &mut VirtualChip,
    addr: &str,
) -> Result<crate::transport::vpcd::ServeStats> {
    crate::transport::vpcd::serve(chip, addr, &Default::default())
}
