//! dactyl's lossless JPEG 2000 encoder fed any grey or RGB image (the first four bytes give
//! width and height, each 1 to 256, from their low bytes; the lowest bit of the width's high
//! byte asks for three channels, the next for a JP2 file rather than a bare codestream; the
//! rest are the samples, repeated to fill the frame): it must encode, and the JPEG 2000
//! decoder (`hayro-jpeg2000`, not dactyl's) must give back the same samples.
#![no_main]

use dactyl::biometrics::pixels::{self, Container, Pixels};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [w0, w1, h0, h1, pixels @ ..] = data else {
        return;
    };
    let width = u32::from(u16::from_le_bytes([*w0, *w1]) % 256 + 1);
    let height = u32::from(u16::from_le_bytes([*h0, *h1]) % 256 + 1);
    let channels: u8 = if w1 & 1 == 1 { 3 } else { 1 };
    let container = if w1 & 2 == 2 {
        Container::Jp2
    } else {
        Container::Codestream
    };
    let n = (width * height) as usize * usize::from(channels);
    let data: Vec<u8> = if pixels.is_empty() {
        vec![0; n]
    } else {
        pixels.iter().copied().cycle().take(n).collect()
    };
    let image = Pixels {
        width,
        height,
        channels,
        data,
        resolution: None,
    };
    let bytes = pixels::encode_lossless(&image, container).expect("encodes");
    let back = pixels::decode_image(&bytes).expect("decodes");
    assert_eq!(
        (back.width, back.height, back.channels),
        (width, height, channels)
    );
    assert_eq!(back.data, image.data, "lossless");
});
