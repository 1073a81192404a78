//! Encodes a PNG (or any image dactyl decodes) as a lossless JPEG 2000 file:
//! `cargo run --release --example jp2_encode -- in.png out.jp2 [input.png]` (`.j2k`/`.j2c`
//! for a bare codestream). `in` may also be a synthetic image, `noise:W:H:C:SEED` or
//! `gradient:W:H:C` (C = 1 grey, 3 RGB; the same generators as tests/jpeg2000_encode.rs);
//! the optional third argument receives the input pixels as PNG, for comparison. Used by
//! fixtures/jp2/check_encoder.sh to check the encoder with OpenJPEG.

use dactyl::biometrics::pixels::{Container, Pixels, decode_image, encode_lossless, encode_png};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output, copy) = match args.as_slice() {
        [i, o] => (i, o, None),
        [i, o, c] => (i, o, Some(c)),
        _ => {
            eprintln!("usage: jp2_encode IN OUT.jp2|OUT.j2k [INPUT_COPY.png]");
            return ExitCode::from(2);
        }
    };
    let run = || -> Result<(), String> {
        let px = match synthetic(input) {
            Some(px) => px,
            None => {
                let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
                decode_image(&bytes).map_err(|e| format!("{input}: {e}"))?
            }
        };
        if let Some(copy) = copy {
            let png = encode_png(&px).map_err(|e| e.to_string())?;
            std::fs::write(copy, png).map_err(|e| format!("{copy}: {e}"))?;
        }
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

/// `noise:W:H:C:SEED` (xorshift32, top byte) or `gradient:W:H:C` (`(7x + 3y + 50c) mod 256`).
fn synthetic(spec: &str) -> Option<Pixels> {
    let mut parts = spec.split(':');
    let kind = parts.next()?;
    let nums: Vec<u32> = parts.map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (w, h, c) = (*nums.first()?, *nums.get(1)?, *nums.get(2)?);
    let n = (w as usize) * (h as usize) * (c as usize);
    let data = match kind {
        "noise" => {
            let mut s = nums.get(3)?.max(&1).to_owned();
            (0..n)
                .map(|_| {
                    s ^= s << 13;
                    s ^= s >> 17;
                    s ^= s << 5;
                    (s >> 24) as u8
                })
                .collect()
        }
        "gradient" => {
            let mut v = Vec::with_capacity(n);
            for y in 0..h {
                for x in 0..w {
                    for k in 0..c {
                        v.push(((x * 7 + y * 3 + k * 50) % 256) as u8);
                    }
                }
            }
            v
        }
        _ => return None,
    };
    Some(Pixels {
        width: w,
        height: h,
        channels: u8::try_from(c).ok()?,
        data,
        resolution: None,
    })
}
