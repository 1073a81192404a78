//! Encodes a PNG (or any image dactyl decodes) as a lossless JPEG 2000 file:
//! `cargo run --release --example jp2_encode -- in.png out.jp2` (`.j2k`/`.j2c` for a bare
//! codestream). Used by fixtures/jp2/check_encoder.sh to compare with OpenJPEG.

use dactyl::biometrics::pixels::{Container, decode_image, encode_lossless};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: jp2_encode IN OUT.jp2|OUT.j2k");
        return ExitCode::from(2);
    };
    let run = || -> Result<(), String> {
        let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
        let px = decode_image(&bytes).map_err(|e| format!("{input}: {e}"))?;
        let container = if output.ends_with(".j2k") || output.ends_with(".j2c") {
            Container::Codestream
        } else {
            Container::Jp2
        };
        let start = Instant::now();
        let out = encode_lossless(&px, container).map_err(|e| e.to_string())?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        std::fs::write(output, &out).map_err(|e| format!("{output}: {e}"))?;
        let samples = f64::from(px.width) * f64::from(px.height);
        eprintln!(
            "{input}: {}x{}x{} -> {} bytes, {:.3} bits/pixel, {ms:.1} ms",
            px.width,
            px.height,
            px.channels,
            out.len(),
            out.len() as f64 * 8.0 / samples
        );
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
