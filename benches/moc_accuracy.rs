//! Accuracy and speed of the on-card comparator (biometrics::comparator) on the seeded synthetic
//! genuine/impostor set of biometrics::synthetic built from the real 19794-2 templates in
//! fixtures/biometrics (and ../shared/vectors/data/fingerprint/iso19794_2 when present; its
//! 19794-2 files are the same fingers, so they add nothing and are only noted).
//!
//! `cargo bench --bench moc_accuracy` prints FNMR at FMR 1e-3 and 1e-4 with the threshold of
//! each, comparisons per second on one core and the comparator's working state. Under
//! `cargo test --all-targets` it runs a small set once. The set models capture variation and
//! impostors with realistic density and orientation; it is not a real-world accuracy claim.

#[path = "common/timing.rs"]
mod timing;

use dactyl::biometrics::compact::CardMinutia;
use dactyl::biometrics::comparator::{DEFAULT_THRESHOLD, WORKING_STATE_BYTES, compare};
use dactyl::biometrics::minutiae::MinutiaeRecord;
use dactyl::biometrics::synthetic::{Capture, Finger, Rng, impression, synthetic_finger};
use std::time::Instant;
use timing::measuring;

const SEED: u64 = 0x00DA_C7F1;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/biometrics/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The distinct real fingers: NIST Annex C.2's two views, sourceafis' probe and non-matching
/// templates.
fn real_fingers() -> Vec<Finger> {
    let mut out = Vec::new();
    for (file, views) in [
        ("NIST_ISO19794-2_2005_AnnexC2_Example.raw", 2),
        ("sourceafis_iso-probe.dat", 1),
        ("sourceafis_iso-nonmatching.dat", 1),
    ] {
        let r = MinutiaeRecord::parse(&fixture(file)).expect("fixture parses");
        for v in r.views.iter().take(views) {
            out.push(Finger::from_view(v, r.resolution_of(v)).expect("resolution"));
        }
    }
    // NIST's MINEX II compact template (NIST_MINEXII_ISOCC.min) is left out: it scores like a
    // capture of Annex C.2's first finger, so it may not be a distinct finger.
    out
}

fn threshold_at(impostor: &[u32], fmr: f64) -> u32 {
    // The lowest threshold t with (impostor scores >= t) / n <= fmr.
    let allowed = (fmr * impostor.len() as f64).floor() as usize;
    let mut sorted = impostor.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    match sorted.get(allowed) {
        Some(&s) => s + 1,
        None => 0,
    }
}

fn main() {
    let (fingers_n, genuine_per) = if measuring() { (420, 10) } else { (20, 2) };
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/data/fingerprint/iso19794_2");
    let real = real_fingers();
    let mut rng = Rng::new(SEED);
    let mut fingers = real.clone();
    while fingers.len() < fingers_n {
        let source = &real[rng.below(real.len())];
        if let Some(f) = synthetic_finger(source, &mut rng) {
            fingers.push(f);
        }
    }
    let mut genuine_pairs: Vec<(Vec<CardMinutia>, Vec<CardMinutia>)> = Vec::new();
    let mut references = Vec::new();
    let mut probes = Vec::new();
    for f in &fingers {
        for _ in 0..genuine_per {
            let r = impression(f, &Capture::ENROLMENT, &mut rng);
            let p = impression(f, &Capture::PROBE, &mut rng);
            genuine_pairs.push((r, p));
        }
        references.push(impression(f, &Capture::ENROLMENT, &mut rng));
        probes.push(impression(f, &Capture::PROBE, &mut rng));
    }
    let start = Instant::now();
    let genuine: Vec<u32> = genuine_pairs.iter().map(|(r, p)| compare(r, p)).collect();
    let mut impostor = Vec::with_capacity(fingers.len() * fingers.len());
    for (i, r) in references.iter().enumerate() {
        for (j, p) in probes.iter().enumerate() {
            if i != j {
                impostor.push(compare(r, p));
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let comparisons = genuine.len() + impostor.len();
    println!(
        "moc_accuracy: {} fingers ({} real, {} synthetic), seed {SEED:#x}{}",
        fingers.len(),
        real.len(),
        fingers.len() - real.len(),
        if shared.is_dir() {
            "; ../shared fingerprint records are the same fingers as fixtures/"
        } else {
            ""
        }
    );
    println!(
        "  {} genuine, {} impostor comparisons",
        genuine.len(),
        impostor.len()
    );
    for fmr in [1e-3, 1e-4] {
        let t = threshold_at(&impostor, fmr);
        let misses = genuine.iter().filter(|&&s| s < t).count();
        println!(
            "  FMR {fmr:.0e}: threshold {t}, FNMR {:.2} % ({misses} of {})",
            100.0 * misses as f64 / genuine.len() as f64,
            genuine.len()
        );
    }
    let fm = impostor.iter().filter(|&&s| s >= DEFAULT_THRESHOLD).count();
    let fnm = genuine.iter().filter(|&&s| s < DEFAULT_THRESHOLD).count();
    println!(
        "  DEFAULT_THRESHOLD {DEFAULT_THRESHOLD}: FMR {:.1e} ({fm}), FNMR {:.2} % ({fnm})",
        fm as f64 / impostor.len() as f64,
        100.0 * fnm as f64 / genuine.len() as f64
    );
    let max_impostor = impostor.iter().max().copied().unwrap_or(0);
    let mut g = genuine.clone();
    g.sort_unstable();
    println!(
        "  highest impostor score {max_impostor}; genuine scores: 1st percentile {}, median {}",
        g.get(g.len() / 100).copied().unwrap_or(0),
        g.get(g.len() / 2).copied().unwrap_or(0)
    );
    println!(
        "  speed: {:.0} comparisons/s on one core ({comparisons} in {seconds:.2} s)",
        comparisons as f64 / seconds
    );
    println!("  working state: {WORKING_STATE_BYTES} bytes");
}
