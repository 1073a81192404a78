//! `cargo bench --bench wsq`: WSQ decode time of the BSI reference DG3's 620x620 finger image
//! and of the 832x768 SourceAFIS sample, in milliseconds per image on one core.

#[path = "common/timing.rs"]
mod timing;
use dactyl::biometrics::wsq;
use std::time::Duration;

fn main() {
    for name in ["finger_a.wsq", "finger_c.wsq"] {
        let path = format!(
            "{}/fixtures/applicants/images/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let data = std::fs::read(&path).expect("fixture");
        let mut size = (0, 0);
        let (n, secs) = timing::time(Duration::from_secs(3), || {
            let d = wsq::decode(&data).expect("decodes");
            size = (d.image.width, d.image.height);
        });
        println!(
            "wsq decode {name} ({}x{}, {} bytes): {:.2} ms per image ({n} runs)",
            size.0,
            size.1,
            data.len(),
            secs * 1000.0 / n as f64
        );
    }
}
