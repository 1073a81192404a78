//! The issuer and verifier commands as a user runs them: `dactyl pki init`, `dactyl sign-sod`,
//! `dactyl verify`, and `dactyl read --csca` on a virtual chip.

#[path = "common/cli.rs"]
mod cli;
use cli::{dactyl, text};

use std::path::Path;

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn init_sign_verify_and_tamper() {
    let dir = tempfile::tempdir().unwrap();
    let d = |f: &str| dir.path().join(f).display().to_string();
    let pki = d("pki");
    let o = dactyl(&["pki", "init", &pki, "--alg", "p384"]);
    assert!(o.status.success(), "{}", text(&o));
    for f in ["csca.pem", "csca.key", "ds.pem", "ds.key", "csca.crl"] {
        assert!(Path::new(&pki).join(f).exists(), "{f}");
    }
    // A second init refuses to overwrite the keys.
    let o = dactyl(&["pki", "init", &pki]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    let dg1 = fixture("chips/bsi_passport/Datagroup1.bin");
    let dg2 = fixture("chips/bsi_passport/Datagroup2.bin");
    let sod = d("EF_SOD.bin");
    let o = dactyl(&[
        "sign-sod",
        "--pki",
        &pki,
        "--dg",
        &format!("1={dg1}"),
        "--dg",
        &format!("2={dg2}"),
        "--out",
        &sod,
    ]);
    assert!(o.status.success(), "{}", text(&o));

    // The BSI DG1 says issuing state D; the test PKI is Utopia: the country check fails.
    let verify = |dg2: &str, extra: &[&str]| {
        let mut args = vec!["verify", "--sod", &sod, "--dg"];
        let a1 = format!("1={dg1}");
        let a2 = format!("2={dg2}");
        args.extend([a1.as_str(), "--dg", a2.as_str(), "--csca", &pki, "--json"]);
        args.extend(extra);
        dactyl(&args)
    };
    let o = verify(&dg2, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let failed: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] != "pass")
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["country"], "{report:#}");
    let o = verify(&dg2, &["--issuing-state", "UTO"]);
    assert_eq!(o.status.code(), Some(1));

    // A one-byte change to DG2 fails the DG2 hash.
    let mut bytes = std::fs::read(&dg2).unwrap();
    bytes[100] ^= 0x40;
    let bad = d("DG2.bin");
    std::fs::write(&bad, bytes).unwrap();
    let o = verify(&bad, &[]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let dg2_check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "DG2 hash")
        .unwrap();
    assert_eq!(dg2_check["verdict"], "fail");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn read_with_csca_reports_passive_authentication_passed() {
    let mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    for chip in ["chips/utopia_passport.json", "chips/td3_passport.json"] {
        let o = dactyl(&[
            "read",
            "--chip",
            &fixture(chip),
            "--mrz",
            mrz,
            "--csca",
            &fixture("pki/test"),
        ]);
        assert!(o.status.success(), "{chip}: {}", text(&o));
        assert!(
            text(&o).contains("Passive Authentication: PASSED"),
            "{}",
            text(&o)
        );
    }
    let td1 = "I<UTOD23145890<7349<<<<<<<<<<<3407127M9507122UTO<<<<<<<<<<<2STEVENSON<<PETER<JOHN<<<<<<<<<";
    let o = dactyl(&[
        "read",
        "--chip",
        &fixture("chips/td1_id_card.toml"),
        "--mrz",
        td1,
        "--csca",
        &fixture("pki/test"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["passive_authentication"]["passed"], true);
    // Another CSCA: the chain fails and so does the command.
    let o = dactyl(&[
        "read",
        "--chip",
        &fixture("chips/td3_passport.json"),
        "--mrz",
        mrz,
        "--csca",
        &fixture("pki/real_sod/DE_CSCA.cer"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("certificate chain"), "{}", text(&o));
}

#[test]
fn cvc_init_writes_a_test_cv_pki_and_read_uses_it_for_dg3() {
    let dir = tempfile::tempdir().unwrap();
    let cv = dir.path().join("cv");
    let o = dactyl(&["cvc", "init", cv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    for f in ["cvca.cvcert", "dv.cvcert", "is.cvcert", "is.key"] {
        assert!(cv.join(f).exists(), "{f}");
    }
    // That CVCA is not the chip's: TA fails and DG3 stays closed; the committed one opens it.
    let chain = |d: &Path| {
        format!(
            "{},{}",
            d.join("dv.cvcert").display(),
            d.join("is.cvcert").display()
        )
    };
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/eac");
    for (d, ok) in [(cv.as_path(), false), (committed.as_path(), true)] {
        let out = dir.path().join(if ok { "ok" } else { "no" });
        let o = dactyl(&[
            "read",
            "--chip",
            &fixture("chips/utopia_passport.json"),
            "--can",
            "123456",
            "--ta-chain",
            &chain(d),
            "--ta-key",
            d.join("is.key").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o));
        assert_eq!(
            out.join("DG3_1_right_index_finger.wsq").exists(),
            ok,
            "{}",
            text(&o)
        );
    }
}

/// `dactyl cvc init` then `dactyl cvc link`: the new generation's chain, led by the link
/// certificate, opens DG3 on a chip that trusts only the first CVCA; `dactyl read` picks it.
#[test]
fn cvc_link_makes_a_chain_a_chip_with_the_old_trust_point_accepts() {
    use dactyl::access::cvc::{CvSigningKey, Cvc};
    use dactyl::emulator::ChipImage;
    use dactyl::issuance::chip_image::{EacConfig, FileSource};
    use dactyl::lds::files::EfId;
    use dactyl::reader::authenticity::TerminalCredentials;
    use dactyl::reader::{NoObserver, ReadOptions, read_document};

    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let out = dactyl(&["cvc", "init", old.to_str().unwrap(), "--country", "UT"]);
    assert!(out.status.success(), "{}", text(&out));
    let link_args = [
        "cvc",
        "link",
        "--from",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ];
    let out = dactyl(&link_args);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("UTCVCA00002    CAR UTCVCA00001"),
        "{}",
        text(&out)
    );
    // A second run does not overwrite the new generation.
    assert!(!dactyl(&link_args).status.success());

    let read = |dir: &Path, name: &str| std::fs::read(dir.join(name)).unwrap();
    let mut img = ChipImage::load(Path::new(&fixture("chips/utopia_passport.json"))).unwrap();
    img.eac = Some(EacConfig {
        cvca: FileSource::Hex(hex::encode(read(&old, "cvca.cvcert"))),
        previous_cvca: None,
        date: None,
        ef_cvca: None,
    });
    let chain = ["link.cvcert", "dv.cvcert", "is.cvcert"]
        .map(|n| Cvc::parse(&read(&new, n)).unwrap())
        .to_vec();
    let key = String::from_utf8(read(&new, "is.key")).unwrap();
    let mut opts = ReadOptions::with_can("123456");
    opts.terminal = Some(std::sync::Arc::new(TerminalCredentials {
        chain,
        key: CvSigningKey::from_pkcs8_pem(&key).unwrap(),
    }));
    let chip = img.build(Path::new(&fixture("chips"))).unwrap();
    let transport = Box::new(dactyl::transport::memory::InMemory::new(chip));
    let doc = read_document(transport, &opts, &mut NoObserver).unwrap();
    let report = doc.terminal_authentication_report.as_ref().unwrap();
    assert_eq!(report.trust_point.as_deref(), Some("UTCVCA00001"));
    assert_eq!(report.chain, ["UTCVCA00002", "UTDV00002", "UTIS00002"]);
    assert!(doc.raw.contains_key(&EfId::Dg(3)));
}
