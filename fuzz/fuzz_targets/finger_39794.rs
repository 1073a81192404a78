//! ISO/IEC 39794-4 finger image data blocks and DG3 (ICAO Doc 9303-10 clause 4.7.3): no input
//! panics; a parsed block encodes to the bytes it came from, and its fields re-encoded as DER
//! parse back to the same fields; conversion to 19794-4 never panics; a DG3 wrapping the input
//! in 7F2E/A1 parses or fails cleanly and, when it parses, re-encodes byte for byte.
#![no_main]

use dactyl::biometrics::finger_39794::FingerImageDataBlock;
use dactyl::biometrics::finger_39794::convert::to_19794;
use dactyl::lds::biometric_group::{
    BIOMETRIC_TYPE_FINGER, BiometricData, BiometricGroup, BiometricHeader, BiometricRecord,
    DG3_TAG, FORMAT_OWNER_SC37, FORMAT_TYPE_FINGER_IMAGE_39794,
};
use dactyl::lds::dg3::Dg3;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(b) = FingerImageDataBlock::parse(data) {
        assert_eq!(b.encode(), data);
        let mut fresh = b.clone();
        fresh.source = None;
        for r in &mut fresh.representations {
            r.source = None;
        }
        let der = fresh.encode();
        let mut again = FingerImageDataBlock::parse(&der).expect("DER of parsed fields parses");
        again.source = None;
        for r in &mut again.representations {
            r.source = None;
        }
        again.warnings.clone_from(&fresh.warnings);
        assert_eq!(again, fresh);
        let _ = to_19794(&b);
    }
    let header = BiometricHeader::new(
        BIOMETRIC_TYPE_FINGER,
        0,
        FORMAT_OWNER_SC37,
        FORMAT_TYPE_FINGER_IMAGE_39794,
    );
    let mut rec = BiometricRecord::new(header, Vec::new());
    rec.data = BiometricData::extensible(data);
    let dg3 = BiometricGroup::new(Some(DG3_TAG), vec![rec]).encode();
    if let Ok(parsed) = Dg3::parse(&dg3) {
        assert_eq!(parsed.encode().expect("a parsed DG3 encodes"), dg3);
        let _ = parsed.positions();
    }
});
