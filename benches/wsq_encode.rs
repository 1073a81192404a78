//! `cargo bench --bench wsq_encode`: WSQ encode time (0.75 bpp, rate control included) of a
//! 512x512 centre crop of the SourceAFIS sample and of the BSI reference DG3's 620x620 finger,
//! in milliseconds per image on one core, and NIST NBIS's encoder (`_wsq.compress` at 0.75) on
//! the same pixels in the same run (`common/nbis.rs`; without it only dactyl's times).

#[path = "common/nbis.rs"]
mod nbis;
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

fn main() {
    let c = load("finger_c.png").centre(512, 512).expect("512x512 fits");
    let a = load("finger_a.png");
    let images = [("finger_c centre 512x512", &c), ("finger_a 620x620", &a)];
    let mut ours = Vec::new();
    for (what, image) in images {
        let mut size = 0;
        let mut best = f64::INFINITY;
        let (n, secs) = timing::time(Duration::from_secs(3), || {
            let start = std::time::Instant::now();
            size = wsq::encode(image, &wsq::EncodeOptions::default())
                .expect("encodes")
                .len();
            best = best.min(start.elapsed().as_secs_f64());
        });
        let ms = secs * 1000.0 / n as f64;
        println!(
            "wsq encode {what} ({size} bytes): dactyl {ms:.2} ms per image (best {:.2}, {n} runs)",
            best * 1000.0
        );
        ours.push((ms, best * 1000.0));
    }
    let dir = std::env::temp_dir().join(format!("dactyl-wsq-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let raws: Vec<(String, u32, u32)> = images
        .iter()
        .enumerate()
        .map(|(i, (_, image))| {
            let path = dir.join(format!("{i}.raw"));
            std::fs::write(&path, &image.pixels).expect("raw pixels");
            (path.display().to_string(), image.width, image.height)
        })
        .collect();
    match nbis::reference(nbis::Job::Encode(&raws), timing::measuring()) {
        Ok(times) => {
            for (((what, _), (ms, best)), (rms, rbest, rn)) in images.iter().zip(&ours).zip(&times)
            {
                println!(
                    "wsq encode {what}: reference NBIS {rms:.2} ms per image (best {rbest:.2}, {rn} runs); dactyl/NBIS {:.2} (best {:.2})",
                    ms / rms,
                    best / rbest
                );
            }
        }
        Err(why) => println!("{}", nbis::unavailable(&why)),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
