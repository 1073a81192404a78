//! Encodes a grey image file (PNG, JPEG, ...) as WSQ at 500 ppi:
//! `cargo run --release --example wsq_encode -- in.png out.wsq [bits per pixel, default 0.75]`.

use dactyl::biometrics::{pixels, wsq};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, rest @ ..] = args.as_slice() else {
        return Err("usage: wsq_encode in.png out.wsq [bits per pixel]".into());
    };
    let mut options = wsq::EncodeOptions::default();
    if let Some(rate) = rest.first() {
        options.bits_per_pixel = rate.parse()?;
    }
    let image = pixels::decode_image(&std::fs::read(input)?)?.to_gray();
    let bytes = wsq::encode(&image, &options)?;
    std::fs::write(output, &bytes)?;
    println!(
        "{input}: {}x{} -> {output}: {} bytes, {:.3} bits per pixel",
        image.width,
        image.height,
        bytes.len(),
        bytes.len() as f64 * 8.0 / (f64::from(image.width) * f64::from(image.height))
    );
    Ok(())
}
