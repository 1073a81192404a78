//! The WSQ decoder fed hostile files: `wsq::decode` must not panic, and what it decodes must be
//! an image of the frame's size.
#![no_main]

use dactyl::biometrics::wsq;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = wsq::decode(data) {
        assert_eq!(
            d.image.pixels.len(),
            d.image.width as usize * d.image.height as usize
        );
        assert_eq!(
            (d.image.width, d.image.height),
            (u32::from(d.frame.width), u32::from(d.frame.height))
        );
    }
});
