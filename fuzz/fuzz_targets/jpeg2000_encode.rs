//! dactyl's lossless JPEG 2000 encoder fed any grey image (the first four bytes give width and
//! height, each 1 to 256; the rest are the pixels, repeated to fill the frame): it must encode,
//! and the JPEG 2000 decoder (`hayro-jpeg2000`, not dactyl's) must give back the same pixels.
#![no_main]

use dactyl::biometrics::pixels::{self, Container, Pixels};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [w0, w1, h0, h1, pixels @ ..] = data else {
        return;
    };
    let width = u32::from(u16::from_le_bytes([*w0, *w1]) % 256 + 1);
    let height = u32::from(u16::from_le_bytes([*h0, *h1]) % 256 + 1);
    let n = (width * height) as usize;
    let data: Vec<u8> = if pixels.is_empty() {
        vec![0; n]
    } else {
        pixels.iter().copied().cycle().take(n).collect()
    };
    let image = Pixels {
        width,
        height,
        channels: 1,
        data,
        resolution: None,
    };
    let bytes = pixels::encode_lossless(&image, Container::Codestream).expect("encodes");
    let back = pixels::decode_image(&bytes).expect("decodes");
    assert_eq!((back.width, back.height), (width, height));
    assert_eq!(back.data, image.data, "lossless");
});
