//! JPEG 2000 decoding (ISO/IEC 15444-1, `biometrics::pixels`) fed hostile files: the input
//! as it is (JP2 file or raw codestream when its first bytes say so) through `decode_image`,
//! and, whatever it starts with, after a codestream's SOC+SIZ markers. An image that decodes
//! is within `MAX_PIXELS` and holds exactly width x height x channels samples.
#![no_main]

use dactyl::biometrics::pixels::{MAX_PIXELS, Pixels, decode_image};
use libfuzzer_sys::fuzz_target;

fn check(image: &Pixels) {
    let area = image.width as usize * image.height as usize;
    assert!(area <= MAX_PIXELS);
    assert!(matches!(image.channels, 1 | 3));
    assert_eq!(image.data.len(), area * usize::from(image.channels));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(image) = decode_image(data) {
        check(&image);
    }
    if !data.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) && !data.starts_with(&[0, 0, 0, 0x0C]) {
        let mut codestream = vec![0xFF, 0x4F, 0xFF, 0x51];
        codestream.extend_from_slice(data);
        if let Ok(image) = decode_image(&codestream) {
            check(&image);
        }
    }
});
