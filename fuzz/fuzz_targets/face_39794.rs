//! The ISO/IEC 39794-5 face image data block decoder (ICAO eMRTD profile): what parses
//! re-encodes to the input byte for byte, its DER form parses back to the same value and
//! re-encodes to itself, and converting it to ISO/IEC 19794-5 never panics; the same bytes
//! wrapped as a DG2 record go through `Dg2::parse`.
#![no_main]

use dactyl::biometrics::face_39794::{FaceImageBlock, convert};
use dactyl::lds::biometric_group::BiometricData;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(block) = FaceImageBlock::parse(data) {
        assert_eq!(block.encode(), data);
        let der = block.to_der();
        let again = FaceImageBlock::parse(&der).expect("own DER parses");
        assert_eq!(again.to_der(), der);
        let _ = block.warnings();
        let _ = convert::to_19794(&block);
        let _ = format!("{block:?}");
    }
    let wrapped = BiometricData::extensible(data);
    let _ = wrapped.block().map(FaceImageBlock::parse);
});
