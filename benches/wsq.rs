//! `cargo bench --bench wsq`: WSQ decode time, dactyl and the NIST NBIS reference decoder side by
//! side in one run, on the BSI reference DG3's 620x620 finger image, the 832x768 SourceAFIS
//! sample and a 512x512 500 ppi file (`fixtures/wsq/bench_512.wsq`), in milliseconds per image
//! on one core.
//!
//! NBIS runs through the PyPI package `wsq` 0.9 (its `_wsq` extension) in the Python named by
//! `$WSQ_PYTHON` (default `/tmp/wsqvenv/bin/python`); the timing loop runs inside that
//! interpreter, so its start is not counted. Without it only dactyl's times are printed.

#[path = "common/timing.rs"]
mod timing;
use dactyl::biometrics::wsq;
use std::process::Command;
use std::time::Duration;

const FILES: [&str; 3] = [
    "applicants/images/finger_a.wsq",
    "applicants/images/finger_c.wsq",
    "wsq/bench_512.wsq",
];

/// Times `_wsq.decompress` on each file (after one warm-up decode) for at least `runs` runs and
/// about `secs` seconds; prints one line per file: milliseconds per image, best run, runs.
const REFERENCE: &str = r#"
import sys, time
import _wsq
runs, secs = int(sys.argv[1]), float(sys.argv[2])
for path in sys.argv[3:]:
    data = open(path, "rb").read()
    _wsq.decompress(data)
    n, best, start = 0, float("inf"), time.perf_counter()
    while n < runs or time.perf_counter() - start < secs:
        t = time.perf_counter()
        _wsq.decompress(data)
        best = min(best, time.perf_counter() - t)
        n += 1
    total = time.perf_counter() - start
    print(f"{total * 1000 / n:.3f} {best * 1000:.3f} {n}")
"#;

/// NBIS's (mean ms, best ms, runs) per file, or why it is not available.
fn reference(paths: &[String]) -> Result<Vec<(f64, f64, u64)>, String> {
    let python =
        std::env::var("WSQ_PYTHON").unwrap_or_else(|_| "/tmp/wsqvenv/bin/python".to_string());
    let (runs, secs) = if timing::measuring() {
        ("20", "3")
    } else {
        ("1", "0")
    };
    let out = Command::new(&python)
        .arg("-c")
        .arg(REFERENCE)
        .args([runs, secs])
        .args(paths)
        .output()
        .map_err(|e| format!("{python}: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or("").to_string();
        return Err(format!("{python}: {last}"));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            match f.as_slice() {
                [mean, best, n] => Ok((
                    mean.parse().map_err(|_| l.to_string())?,
                    best.parse().map_err(|_| l.to_string())?,
                    n.parse().map_err(|_| l.to_string())?,
                )),
                _ => Err(format!("unexpected output {l:?}")),
            }
        })
        .collect()
}

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
    match reference(&paths) {
        Ok(times) if times.len() == FILES.len() => {
            for ((name, (ms, best)), (rms, rbest, rn)) in FILES.iter().zip(&ours).zip(&times) {
                println!(
                    "wsq decode {name}: reference NBIS {rms:.2} ms per image (best {rbest:.2}, {rn} runs); dactyl/NBIS {:.2} (best {:.2})",
                    ms / rms,
                    best / rbest
                );
            }
        }
        Ok(times) => println!(
            "reference: not available ({} results for {} files)",
            times.len(),
            FILES.len()
        ),
        Err(why) => println!(
            "reference: not available ({why}; install it with `python3 -m venv /tmp/wsqvenv && \
             /tmp/wsqvenv/bin/pip install wsq==0.9` or set WSQ_PYTHON to a Python that has it)"
        ),
    }
}
