//! `cargo bench --bench wsq_encode`: WSQ encode time (0.75 bpp, rate control included) of a
//! 512x512 centre crop of the SourceAFIS sample and of the BSI reference DG3's 620x620 finger,
//! in milliseconds per image on one core.

#[path = "common/timing.rs"]
mod timing;
use dactyl::biometrics::pixels::{self, GrayImage};
use dactyl::biometrics::wsq;
use std::time::Duration;

fn load(name: &str) -> GrayImage {
    let path = format!("{}/fixtures/wsq/{name}", env!("CARGO_MANIFEST_DIR"));
    pixels::decode_image(&std::fs::read(&path).expect("fixture"))
        .expect("PNG")
        .to_gray()
}

fn crop(image: &GrayImage, side: u32) -> GrayImage {
    let (x0, y0) = ((image.width - side) / 2, (image.height - side) / 2);
    let pixels = (y0..y0 + side)
        .flat_map(|y| {
            let start = (y * image.width + x0) as usize;
            image.pixels[start..start + side as usize].iter().copied()
        })
        .collect();
    GrayImage {
        width: side,
        height: side,
        pixels,
    }
}

fn main() {
    let c = crop(&load("finger_c.png"), 512);
    let a = load("finger_a.png");
    for (what, image) in [("finger_c centre 512x512", &c), ("finger_a 620x620", &a)] {
        let mut size = 0;
        let (n, secs) = timing::time(Duration::from_secs(3), || {
            size = wsq::encode(image, &wsq::EncodeOptions::default())
                .expect("encodes")
                .len();
        });
        println!(
            "wsq encode {what} ({size} bytes): {:.2} ms per image ({n} runs)",
            secs * 1000.0 / n as f64
        );
    }
}
