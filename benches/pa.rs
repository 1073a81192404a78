//! `cargo bench --bench pa`: full Passive Authentication per second on one core (parse EF.SOD,
//! hash five data groups of 40 KB in all, verify the SOD signature and the DSC->CSCA chain, check
//! the CRL), next to OpenSSL's bare ECDSA verify rate for the same curve measured in the same run.

#[path = "common/timing.rs"]
mod timing;
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::issuance::sod_signer::{SodOptions, sign_sod};
use dactyl::issuance::test_pki::{PkiOptions, TestPki};
use dactyl::pki::crl::Crl;
use dactyl::pki::pa::PaInput;
use dactyl::pki::trust::TrustStore;
use dactyl::reader::pa::passive_authentication;
use dactyl::time::Time;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use timing::measuring;

fn rate(mut f: impl FnMut()) -> f64 {
    let budget = if measuring() {
        Duration::from_secs(2)
    } else {
        Duration::ZERO
    };
    f();
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget || n == 0 {
        f();
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Five data groups, 40 KB in all: DG1 (MRZ), DG2 (face), DG3 (fingers), DG14, DG15.
fn data_groups() -> BTreeMap<u8, Vec<u8>> {
    let sizes = [
        (1u8, 93usize),
        (2, 15_000),
        (3, 24_000),
        (14, 700),
        (15, 1_167),
    ];
    sizes
        .iter()
        .map(|&(n, len)| (n, (0..len).map(|i| (i * 31 + n as usize) as u8).collect()))
        .collect()
}

fn openssl_verify_rate(alg: &str) -> Option<f64> {
    let out = std::process::Command::new("openssl")
        .args([
            "speed",
            "-seconds",
            if measuring() { "2" } else { "1" },
            alg,
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // The last line reads e.g. " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  46000.0  10600.0".
    let line = text
        .lines()
        .rev()
        .find(|l| l.contains("bits ecdsa") || l.contains("bits ecdsa"))?;
    line.split_whitespace().last()?.parse().ok()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let now = Time::now();
    let dgs = data_groups();
    println!(
        "Full Passive Authentication, 5 data groups / {} bytes, SHA-256 (one core):",
        dgs.values().map(Vec::len).sum::<usize>()
    );
    for (alg, openssl) in [
        (KeyAlgorithm::P256, Some("ecdsap256")),
        (KeyAlgorithm::P384, Some("ecdsap384")),
        (KeyAlgorithm::Brainpool256, Some("ecdsabrp256r1")),
        (KeyAlgorithm::RsaPss, None),
    ] {
        let pki = TestPki::generate(&PkiOptions {
            country: "UT".into(),
            algorithm: alg,
            now: Time {
                unix: now.unix - 60,
            },
        })
        .unwrap();
        let sod = sign_sod(&dgs, &pki.ds, &pki.ds_key, &SodOptions::new(now)).unwrap();
        let mut trust = TrustStore::new();
        trust.add_csca(pki.csca.clone());
        trust.add_crl(Crl::from_der(&pki.crl).unwrap());
        let input = PaInput {
            sod: &sod,
            data_groups: &dgs,
            com_data_groups: None,
            issuing_state: Some("UTO"),
            dsc: None,
            now,
            require_crl: true,
        };
        assert!(passive_authentication(&input, &trust).passed);
        let warm = rate(|| assert!(passive_authentication(&input, &trust).passed));
        let cold = rate(|| {
            let mut t = TrustStore::new();
            t.add_csca(pki.csca.clone());
            t.add_crl(Crl::from_der(&pki.crl).unwrap());
            assert!(passive_authentication(&input, &t).passed);
        });
        let reference = openssl.and_then(openssl_verify_rate);
        println!(
            "  {:<14} {:>8.0} PA/s with the chain cached, {:>7.0} PA/s cold (chain + CRL verified each time); OpenSSL bare verify: {}",
            format!("{alg:?}"),
            warm,
            cold,
            reference.map_or("n/a".to_string(), |r| format!(
                "{r:.0}/s (PA cached = {:.0}% of it)",
                100.0 * warm / r
            )),
        );
    }
}
