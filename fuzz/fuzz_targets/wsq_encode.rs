//! The WSQ encoder fed any image (the first four bytes give width and height, each 1 to 256,
//! the fifth the bit rate; the rest are the pixels, repeated to fill the frame): it refuses
//! or encodes without panicking, and what it encodes decodes to an image of the same size.
#![no_main]

use dactyl::biometrics::pixels::GrayImage;
use dactyl::biometrics::wsq;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [w0, w1, h0, h1, rate, pixels @ ..] = data else {
        return;
    };
    let width = u32::from(u16::from_le_bytes([*w0, *w1]) % 256 + 1);
    let height = u32::from(u16::from_le_bytes([*h0, *h1]) % 256 + 1);
    let n = (width * height) as usize;
    let pixels: Vec<u8> = if pixels.is_empty() {
        vec![0; n]
    } else {
        pixels.iter().copied().cycle().take(n).collect()
    };
    let image = GrayImage {
        width,
        height,
        pixels,
    };
    let options = wsq::EncodeOptions {
        bits_per_pixel: 0.1 + f32::from(*rate) / 32.0,
        ..Default::default()
    };
    if let Ok(bytes) = wsq::encode(&image, &options) {
        let back = wsq::decode(&bytes).expect("dactyl's own WSQ decodes");
        assert_eq!((back.image.width, back.image.height), (width, height));
    }
});
