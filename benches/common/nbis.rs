//! The NIST NBIS WSQ codec as the reference in the WSQ benchmarks: it runs through the PyPI
//! package `wsq` 0.9 (its `_wsq` extension) in the Python named by `$WSQ_PYTHON` (default
//! `/tmp/wsqvenv/bin/python`). The timing loop runs inside that interpreter, so its start is
//! not counted.

use std::process::Command;

/// Times `_wsq.decompress` of a WSQ file, or `_wsq.compress` at 0.75 bpp of a raw 8-bit file
/// of `w`x`h` (after one warm-up call) for at least `runs` runs and about `secs` seconds; prints
/// one line per input: mean milliseconds per image, best run, runs.
const SCRIPT: &str = r#"
import sys, time
import _wsq
runs, secs, mode = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
for arg in sys.argv[4:]:
    path, w, h = arg.split(":")
    data = open(path, "rb").read()
    if mode == "decode":
        call = lambda: _wsq.decompress(data)
    else:
        call = lambda: _wsq.compress(data, int(h), int(w), 0.75)
    call()
    n, best, start = 0, float("inf"), time.perf_counter()
    while n < runs or time.perf_counter() - start < secs:
        t = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t)
        n += 1
    total = time.perf_counter() - start
    print(f"{total * 1000 / n:.3f} {best * 1000:.3f} {n}")
"#;

/// What NBIS is timed on (each benchmark uses one of the two).
#[allow(dead_code)]
pub enum Job<'a> {
    /// Decoding these WSQ files.
    Decode(&'a [String]),
    /// Encoding these raw 8-bit files of the given sizes at 0.75 bpp.
    Encode(&'a [(String, u32, u32)]),
}

/// NBIS's (mean ms, best ms, runs) per input, or why it is not available. `measuring` false
/// runs each input once (the benchmark in smoke-test mode).
pub fn reference(job: Job<'_>, measuring: bool) -> Result<Vec<(f64, f64, u64)>, String> {
    let python =
        std::env::var("WSQ_PYTHON").unwrap_or_else(|_| "/tmp/wsqvenv/bin/python".to_string());
    let (runs, secs) = if measuring { ("20", "3") } else { ("1", "0") };
    let (mode, args): (&str, Vec<String>) = match job {
        Job::Decode(paths) => ("decode", paths.iter().map(|p| format!("{p}:0:0")).collect()),
        Job::Encode(raws) => (
            "encode",
            raws.iter()
                .map(|(p, w, h)| format!("{p}:{w}:{h}"))
                .collect(),
        ),
    };
    let out = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .args([runs, secs, mode])
        .args(&args)
        .output()
        .map_err(|e| format!("{python}: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or("").to_string();
        return Err(format!("{python}: {last}"));
    }
    let times: Vec<(f64, f64, u64)> = String::from_utf8_lossy(&out.stdout)
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
        .collect::<Result<_, String>>()?;
    if times.len() != args.len() {
        return Err(format!("{} results for {} inputs", times.len(), args.len()));
    }
    Ok(times)
}

/// The line printed when NBIS is not available.
pub fn unavailable(why: &str) -> String {
    format!(
        "reference: not available ({why}; install it with `python3 -m venv /tmp/wsqvenv && \
         /tmp/wsqvenv/bin/pip install wsq==0.9` or set WSQ_PYTHON to a Python that has it)"
    )
}
