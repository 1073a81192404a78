//! `cargo bench --bench wsq`: WSQ decode time, dactyl and the NIST NBIS reference decoder side by
//! side in one run, on the BSI reference DG3's 620x620 finger image, the 832x768 SourceAFIS
//! sample and a 512x512 500 ppi file (`fixtures/wsq/bench_512.wsq`), in milliseconds per image
//! on one core.
//!
//! NBIS runs as `common/nbis.rs` says; without it only dactyl's times are printed.

#[path = "common/nbis.rs"]
mod nbis;
#[path = "common/timing.rs"]
mod timing;
use dactyl::biometrics::wsq;
use std::time::Duration;

const FILES: [&str; 3] = [
    "applicants/images/finger_a.wsq",
    "applicants/images/finger_c.wsq",
    "wsq/bench_512.wsq",
];

fn main() {
    let paths: Vec<String> = FILES
        .iter()
        .map(|f| format!("{}/fixtures/{f}", env!("CARGO_MANIFEST_DIR")))
        .collect();
    let mut ours = Vec::new();
    for (name, path) in FILES.iter().zip(&paths) {
        let data = std::fs::read(path).expect("fixture");
        let mut size = (0, 0);
        let mut best = f64::INFINITY;
        let (n, secs) = timing::time(Duration::from_secs(3), || {
            let start = std::time::Instant::now();
            let d = wsq::decode(&data).expect("decodes");
            best = best.min(start.elapsed().as_secs_f64());
            size = (d.image.width, d.image.height);
        });
        let ms = secs * 1000.0 / n as f64;
        println!(
            "wsq decode {name} ({}x{}, {} bytes): dactyl {ms:.2} ms per image (best {:.2}, {n} runs)",
            size.0,
            size.1,
            data.len(),
            best * 1000.0
        );
        ours.push((ms, best * 1000.0));
    }
    match nbis::reference(nbis::Job::Decode(&paths), timing::measuring()) {
        Ok(times) => {
            for ((name, (ms, best)), (rms, rbest, rn)) in FILES.iter().zip(&ours).zip(&times) {
                println!(
                    "wsq decode {name}: reference NBIS {rms:.2} ms per image (best {rbest:.2}, {rn} runs); dactyl/NBIS {:.2} (best {:.2})",
                    ms / rms,
                    best / rbest
                );
            }
        }
        Err(why) => println!("{}", nbis::unavailable(&why)),
    }
}
