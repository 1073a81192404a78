//! Biometric parsers fed hostile bytes: the CBEFF group, DG2 and DG3, 19794-5 face, 19794-4
//! finger image and 19794-2 minutiae records, the card formats, CV certificates, and `inspect`.
#![no_main]

use dactyl::access::cvc::Cvc;
use dactyl::biometrics::compact::{CardFormat, decode};
use dactyl::biometrics::face::{FaceRecord, image_dimensions};
use dactyl::biometrics::finger_image::FingerImage;
use dactyl::biometrics::minutiae::MinutiaeRecord;
use dactyl::lds::biometric_group::BiometricGroup;
use dactyl::lds::dg2::Dg2;
use dactyl::lds::dg3::Dg3;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(g) = BiometricGroup::parse(data) {
        let _ = g.encode();
    }
    if let Ok(d) = Dg3::parse(data) {
        let _ = d.encode();
    }
    if let Ok(d) = Dg2::parse(data) {
        let _ = d.encode();
    }
    if let Ok(f) = FaceRecord::parse(data) {
        // A parsed facial record encodes to the bytes it came from.
        assert_eq!(f.encode().expect("a parsed face record encodes"), data);
        for image in &f.images {
            let _ = image.warnings();
        }
    }
    let _ = image_dimensions(data);
    if let Ok(f) = FingerImage::parse(data) {
        let _ = f.encode();
    }
    if let Ok(m) = MinutiaeRecord::parse(data) {
        let _ = m.encode();
    }
    let _ = decode(CardFormat::Compact, data);
    let _ = decode(CardFormat::Normal, data);
    let _ = Cvc::parse(data);
    let _ = dactyl::lds::inspect::describe(data);
});
