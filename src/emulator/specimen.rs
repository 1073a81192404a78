//! The specimen chip compiled into the library: a Utopia TD3 passport (ICAO Doc 9303-4 specimen
//! MRZ) with the BSI TR-03105-5 reference face and fingerprints, PACE, CA, AA and EAC, its
//! EF.SOD and EF.CardSecurity signed at load by the committed test PKI, and the trust store
//! that verifies it. `dactyl demo`, the benchmarks and the fuzz targets use it, so it runs
//! anywhere without the fixtures folder. TEST KEYS ONLY.

use crate::emulator::{ChipImage, VirtualChip};
use crate::error::{Error, Result};
use crate::lds::files::EfId;
use crate::lds::mrz::Mrz;
use crate::pki::cert::Certificate;
use crate::pki::crl::Crl;
use crate::pki::trust::TrustStore;
use std::path::Path;

const IMAGE: &str = include_str!("../../fixtures/chips/utopia_passport.json");
const TEST_CSCA: &[u8] = include_bytes!("../../fixtures/pki/test/csca.pem");
const TEST_CRL: &[u8] = include_bytes!("../../fixtures/pki/test/csca.crl");

/// The files the demo image refers to, compiled in.
fn embedded(path: &Path) -> Result<Vec<u8>> {
    let bytes: &[u8] = match path.file_name().and_then(|n| n.to_str()).unwrap_or("") {
        "ds.pem" => include_bytes!("../../fixtures/chips/keys/ds.pem"),
        "ds.key" => include_bytes!("../../fixtures/chips/keys/ds.key"),
        "DG15_sk.pkcs8" => include_bytes!("../../fixtures/chips/bsi_passport/DG15_sk.pkcs8"),
        "Datagroup2.bin" => include_bytes!("../../fixtures/chips/bsi_passport/Datagroup2.bin"),
        "Datagroup3.bin" => include_bytes!("../../fixtures/chips/bsi_passport/Datagroup3.bin"),
        other => {
            return Err(Error::ChipImage(format!(
                "demo image refers to unknown file {other}"
            )));
        }
    };
    Ok(bytes.to_vec())
}

/// The specimen's files, EF.SOD and EF.CardSecurity freshly signed.
pub fn specimen_files() -> Result<crate::emulator::FileSystem> {
    ChipImage::from_json(IMAGE)?.file_system_with(&embedded)
}

/// The specimen chip around `files` (from [`specimen_files`], possibly altered), and the MRZ
/// printed on its data page. Cheaper than [`demo_chip`]: nothing is signed.
pub fn specimen_chip(files: crate::emulator::FileSystem) -> Result<(VirtualChip, Mrz)> {
    let image = ChipImage::from_json(IMAGE)?;
    Ok((image.build_from(files, &embedded)?, image.parsed_mrz()?))
}

/// The specimen chip and the MRZ printed on its data page; `tamper` flips one byte of the face
/// image, as a forger replacing the photo would.
pub fn demo_chip(tamper: bool) -> Result<(VirtualChip, Mrz)> {
    let mut fs = specimen_files()?;
    if tamper && let Some(dg2) = fs.get(EfId::Dg(2)) {
        let mut dg2 = dg2.to_vec();
        if let Some(b) = dg2.last_mut() {
            *b ^= 0x01;
        }
        fs.put(EfId::Dg(2), dg2);
    }
    specimen_chip(fs)
}

/// The specimen's trust store: the test CSCA and its CRL.
pub fn demo_trust() -> Result<TrustStore> {
    let mut trust = TrustStore::new();
    for c in Certificate::from_pem_or_der(TEST_CSCA)? {
        trust.add_csca(c);
    }
    trust.add_crl(Crl::from_der(TEST_CRL)?);
    Ok(trust)
}
