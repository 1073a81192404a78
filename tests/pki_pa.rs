//! Passive Authentication end to end: real SODs of seven countries with their DSC and CSCA, the
//! BSI reference passport, master lists, and SODs signed by dactyl's own test PKI with each way
//! they can fail.

use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::issuance::sod_signer::{SodOptions, sign_sod};
use dactyl::issuance::test_pki::{DsValidity, PkiOptions, TestPki};
use dactyl::lds::sod::Sod;
use dactyl::pki::cert::Certificate;
use dactyl::pki::pa::{PaInput, PaReport, Verdict};
use dactyl::pki::trust::TrustStore;
use dactyl::reader::pa::passive_authentication;
use dactyl::time::Time;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap()
}

fn cert(rel: &str) -> Certificate {
    Certificate::from_der(&read(rel)).unwrap()
}

fn verdict(r: &PaReport, name: &str) -> Verdict {
    r.check(name)
        .unwrap_or_else(|| panic!("no check {name:?} in {:#?}", r.checks))
        .verdict
}

fn input<'a>(
    sod: &'a [u8],
    dgs: &'a BTreeMap<u8, Vec<u8>>,
    state: Option<&'a str>,
    now: Time,
) -> PaInput<'a> {
    PaInput {
        sod,
        data_groups: dgs,
        com_data_groups: None,
        issuing_state: state,
        dsc: None,
        now,
        require_crl: false,
    }
}

#[test]
fn real_sods_of_seven_countries_verify_and_chain_to_their_csca() {
    let expected: serde_json::Value =
        serde_json::from_slice(&read("pki/real_sod/expected.json")).unwrap();
    let states = [
        ("AT", "AUT"),
        ("AU", "AUS"),
        ("DE", "D<<"),
        ("FR", "FRA"),
        ("NZ", "NZL"),
        ("UK", "GBR"),
        ("US", "USA"),
    ];
    for (cc, state) in states {
        let sod_bytes = read(&format!("pki/real_sod/{cc}_EF_SOD.bin"));
        let sod = Sod::parse(&sod_bytes).unwrap_or_else(|e| panic!("{cc}: {e}"));
        let exp = expected
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["label"] == cc)
            .unwrap();
        assert_eq!(
            hex::encode(&sod.lds.hashes[&1]),
            exp["dg1_hash"].as_str().unwrap(),
            "{cc} DG1 hash"
        );
        assert_eq!(
            hex::encode(&sod.lds.hashes[&2]),
            exp["dg2_hash"].as_str().unwrap(),
            "{cc} DG2 hash"
        );

        let mut trust = TrustStore::new();
        trust.add_csca(cert(&format!("pki/real_sod/{cc}_CSCA.cer")));
        let dsc = cert(&format!("pki/real_sod/{cc}_DSC.cer"));
        let now = Time {
            unix: dsc.not_before.unix + 86_400,
        };
        let dgs = BTreeMap::new();
        let mut pa_input = input(&sod_bytes, &dgs, Some(state), now);
        pa_input.dsc = Some(&dsc);
        let r = passive_authentication(&pa_input, &trust);
        for check in [
            "SOD structure",
            "signed attribute message-digest",
            "signature",
            "certificate chain",
            "DSC valid now",
            "country",
        ] {
            assert_eq!(
                verdict(&r, check),
                Verdict::Pass,
                "{cc}: {check}: {:#?}",
                r.checks
            );
        }
        // No data groups were given and no CRL: PA as a whole must not pass.
        assert!(!r.passed);
        assert_eq!(verdict(&r, "data groups not read"), Verdict::Info);
    }
}

#[test]
fn a_wrong_csca_breaks_the_chain_of_a_real_sod() {
    let sod = read("pki/real_sod/AT_EF_SOD.bin");
    let mut trust = TrustStore::new();
    trust.add_csca(cert("pki/real_sod/DE_CSCA.cer"));
    let dsc = cert("pki/real_sod/AT_DSC.cer");
    let dgs = BTreeMap::new();
    let mut i = input(
        &sod,
        &dgs,
        Some("AUT"),
        Time {
            unix: dsc.not_before.unix + 86_400,
        },
    );
    i.dsc = Some(&dsc);
    let r = passive_authentication(&i, &trust);
    assert_eq!(verdict(&r, "signature"), Verdict::Pass);
    assert_eq!(verdict(&r, "certificate chain"), Verdict::Fail);
    assert!(!r.passed);
}

#[test]
fn bsi_reference_passport_hashes_match_and_dg15_is_reported_unsigned() {
    let dir = "chips/bsi_passport";
    let files = [
        (1, "Datagroup1.bin"),
        (2, "Datagroup2.bin"),
        (3, "Datagroup3.bin"),
        (4, "Datagroup4.bin"),
        (14, "Datagroup14.bin"),
        (15, "Datagroup15.bin"),
    ];
    let dgs: BTreeMap<u8, Vec<u8>> = files
        .iter()
        .map(|(n, f)| (*n, read(&format!("{dir}/{f}"))))
        .collect();
    let sod = read(&format!("{dir}/EF_SOD.bin"));
    let com = dactyl::lds::com::Com::parse(&read(&format!("{dir}/EF_COM.bin"))).unwrap();
    let com_dgs = com.data_groups();
    assert!(!com_dgs.contains(&15));
    let mut i = input(
        &sod,
        &dgs,
        Some("D"),
        Time::parse_utc("200101000000Z").unwrap(),
    );
    i.com_data_groups = Some(&com_dgs);
    let r = passive_authentication(&i, &TrustStore::new());
    for n in [1, 2, 3, 4, 14] {
        assert_eq!(verdict(&r, &format!("DG{n} hash")), Verdict::Pass, "DG{n}");
    }
    let dg15 = r.check("DG15 hash").unwrap();
    assert_eq!(dg15.verdict, Verdict::Fail);
    assert!(dg15.detail.contains("not in the SOD"));
    assert_eq!(verdict(&r, "EF.COM consistent with SOD"), Verdict::Pass);
    assert_eq!(verdict(&r, "signature"), Verdict::Pass, "{:#?}", r.checks);
    // BSI's CSCA is not published with the data set.
    assert_eq!(verdict(&r, "certificate chain"), Verdict::Fail);
    assert!(!r.passed);
}

#[test]
fn german_and_dutch_master_lists_load_against_their_roots() {
    for (ml, root, min) in [
        ("DE_ML_2026-05-28-08-28-45.ml", "DE_ROOT_CA_CSCA07.cer", 300),
        ("NL_ML_2026-07-22.ml", "NL_ROOT_CA.cer", 300),
    ] {
        let mut trust = TrustStore::new();
        let roots = vec![cert(&format!("pki/masterlists/{root}"))];
        let report = trust
            .load_master_list(&read(&format!("pki/masterlists/{ml}")), &roots)
            .unwrap_or_else(|e| panic!("{ml}: {e}"));
        assert!(report.certificates >= min, "{ml}: {report:?}");
        assert!(trust.cscas().len() >= min);
        // The wrong root is refused.
        let wrong = vec![cert("pki/real_sod/US_CSCA.cer")];
        assert!(
            TrustStore::new()
                .load_master_list(&read(&format!("pki/masterlists/{ml}")), &wrong)
                .is_err()
        );
    }
}

#[test]
fn the_german_master_list_anchors_the_real_german_sod() {
    let mut trust = TrustStore::new();
    let roots = vec![cert("pki/masterlists/DE_ROOT_CA_CSCA07.cer")];
    trust
        .load_master_list(
            &read("pki/masterlists/DE_ML_2026-05-28-08-28-45.ml"),
            &roots,
        )
        .unwrap();
    let sod = read("pki/real_sod/DE_EF_SOD.bin");
    let dsc = cert("pki/real_sod/DE_DSC.cer");
    let dgs = BTreeMap::new();
    let mut i = input(
        &sod,
        &dgs,
        Some("D"),
        Time {
            unix: dsc.not_before.unix + 86_400,
        },
    );
    i.dsc = Some(&dsc);
    let r = passive_authentication(&i, &trust);
    assert_eq!(
        verdict(&r, "certificate chain"),
        Verdict::Pass,
        "{:#?}",
        r.checks
    );
}

/// A test PKI, two data groups and an SOD over them.
struct Issued {
    pki: TestPki,
    dgs: BTreeMap<u8, Vec<u8>>,
    sod: Vec<u8>,
    trust: TrustStore,
    now: Time,
}

fn issue(alg: KeyAlgorithm) -> Issued {
    let now = Time::now();
    let pki = TestPki::generate(&PkiOptions {
        country: "UT".into(),
        algorithm: alg,
        now: Time {
            unix: now.unix - 86_400,
        },
    })
    .unwrap();
    let dgs: BTreeMap<u8, Vec<u8>> = [
        (1, vec![0x61, 0x03, 0x5F, 0x1F, 0x00]),
        (2, vec![0x75, 0x02, 0xAB, 0xCD]),
    ]
    .into();
    let sod = sign_sod(&dgs, &pki.ds, &pki.ds_key, &SodOptions::new(now)).unwrap();
    let mut trust = TrustStore::new();
    trust.add_csca(pki.csca.clone());
    trust.add_crl(dactyl::pki::crl::Crl::from_der(&pki.crl).unwrap());
    Issued {
        pki,
        dgs,
        sod,
        trust,
        now,
    }
}

fn pa(i: &Issued, sod: &[u8], dgs: &BTreeMap<u8, Vec<u8>>, state: &str) -> PaReport {
    let mut inp = input(sod, dgs, Some(state), i.now);
    inp.require_crl = true;
    passive_authentication(&inp, &i.trust)
}

#[test]
fn dactyl_signed_sods_pass_for_every_key_type() {
    for alg in [
        KeyAlgorithm::P256,
        KeyAlgorithm::P384,
        KeyAlgorithm::Brainpool256,
        KeyAlgorithm::Brainpool384,
        KeyAlgorithm::RsaPss,
    ] {
        let i = issue(alg);
        let r = pa(&i, &i.sod, &i.dgs, "UTO");
        assert!(r.passed, "{alg:?}: {:#?}", r.checks);
        let sod = Sod::parse(&i.sod).unwrap();
        assert_eq!(sod.lds.version, 1);
        assert_eq!(sod.lds.lds_version.as_deref(), Some("0108"));
    }
}

#[test]
fn each_tampering_fails_its_own_check() {
    let i = issue(KeyAlgorithm::P256);
    // One byte of a data group.
    let mut dgs = i.dgs.clone();
    dgs.get_mut(&2).unwrap()[3] ^= 1;
    let r = pa(&i, &i.sod, &dgs, "UTO");
    assert_eq!(verdict(&r, "DG2 hash"), Verdict::Fail);
    assert_eq!(verdict(&r, "signature"), Verdict::Pass);
    assert!(!r.passed);
    // The last byte of the SOD is in the signature.
    let mut sod = i.sod.clone();
    let last = sod.len() - 1;
    sod[last] ^= 1;
    let r = pa(&i, &sod, &i.dgs, "UTO");
    assert_eq!(verdict(&r, "signature"), Verdict::Fail);
    assert!(!r.passed);
    // A byte inside the embedded DSC's signature: the chain breaks.
    let dsc_sig_tail = i.pki.ds.raw[i.pki.ds.raw.len() - 3];
    let pos = i
        .sod
        .windows(i.pki.ds.raw.len())
        .position(|w| w == i.pki.ds.raw.as_slice())
        .unwrap()
        + i.pki.ds.raw.len()
        - 3;
    let mut sod = i.sod.clone();
    assert_eq!(sod[pos], dsc_sig_tail);
    sod[pos] ^= 1;
    let r = pa(&i, &sod, &i.dgs, "UTO");
    assert_eq!(
        verdict(&r, "certificate chain"),
        Verdict::Fail,
        "{:#?}",
        r.checks
    );
    assert!(!r.passed);
}

#[test]
fn expired_revoked_and_foreign_signers_each_fail_their_check() {
    let i = issue(KeyAlgorithm::P256);
    let sign = |ds: &Certificate, key: &dactyl::crypto::signing_key::SigningKey| {
        sign_sod(
            &i.dgs,
            ds,
            key,
            &SodOptions {
                versions: None,
                ..SodOptions::new(i.now)
            },
        )
        .unwrap()
    };
    // Expired: valid for one day, two years ago.
    let old = Time {
        unix: i.now.unix - 2 * 365 * 86_400,
    };
    let (ds, key) = i
        .pki
        .issue_ds(
            "UT",
            "expired DS",
            &[0x20],
            DsValidity {
                not_before: old,
                not_after: Time {
                    unix: old.unix + 86_400,
                },
            },
            KeyAlgorithm::P256,
        )
        .unwrap();
    let r = pa(&i, &sign(&ds, &key), &i.dgs, "UTO");
    assert_eq!(verdict(&r, "DSC valid now"), Verdict::Fail);
    assert_eq!(verdict(&r, "DSC valid at signing time"), Verdict::Fail);
    assert_eq!(verdict(&r, "certificate chain"), Verdict::Pass);
    assert!(!r.passed);

    // Revoked: on the CSCA's CRL.
    let validity = DsValidity {
        not_before: Time {
            unix: i.now.unix - 86_400,
        },
        not_after: Time {
            unix: i.now.unix + 365 * 86_400,
        },
    };
    let (ds, key) = i
        .pki
        .issue_ds("UT", "revoked DS", &[0x21], validity, KeyAlgorithm::P256)
        .unwrap();
    let crl = i.pki.crl_with(&[(vec![0x21], i.now)], i.now).unwrap();
    let mut trust = TrustStore::new();
    trust.add_csca(i.pki.csca.clone());
    trust.add_crl(dactyl::pki::crl::Crl::from_der(&crl).unwrap());
    let sod = sign(&ds, &key);
    let mut inp = input(&sod, &i.dgs, Some("UTO"), i.now);
    inp.require_crl = true;
    let r = passive_authentication(&inp, &trust);
    assert_eq!(verdict(&r, "DSC not revoked"), Verdict::Fail);
    assert!(!r.passed);

    // Country: a DSC of another state, or a document of another state.
    let (ds, key) = i
        .pki
        .issue_ds("NL", "foreign DS", &[0x22], validity, KeyAlgorithm::P256)
        .unwrap();
    let r = pa(&i, &sign(&ds, &key), &i.dgs, "UTO");
    assert_eq!(verdict(&r, "country"), Verdict::Fail);
    assert!(!r.passed);
    let r = pa(&i, &i.sod, &i.dgs, "NLD");
    assert_eq!(verdict(&r, "country"), Verdict::Fail);

    // No CRL at all: revocation not checked, so no pass.
    let mut trust = TrustStore::new();
    trust.add_csca(i.pki.csca.clone());
    let mut inp = input(&i.sod, &i.dgs, Some("UTO"), i.now);
    inp.require_crl = true;
    let r = passive_authentication(&inp, &trust);
    assert_eq!(verdict(&r, "DSC not revoked"), Verdict::NotChecked);
    assert!(!r.passed);
}

#[test]
fn openssl_cms_verifies_a_dactyl_signed_sod() {
    if std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("CI").unwrap_or_default().is_empty(),
            "openssl is needed in CI"
        );
        return;
    }
    let i = issue(KeyAlgorithm::P256);
    let dir = tempfile::tempdir().unwrap();
    // openssl wants the ContentInfo without the 77 wrapper.
    let (inner, _) = dactyl::tlv::Tlv::parse(&i.sod).unwrap();
    std::fs::write(dir.path().join("sod.der"), inner.value).unwrap();
    std::fs::write(
        dir.path().join("csca.pem"),
        dactyl::crypto::pem::encode("CERTIFICATE", &i.pki.csca.raw).unwrap(),
    )
    .unwrap();
    let out = std::process::Command::new("openssl")
        .args([
            "cms", "-verify", "-inform", "DER", "-in", "sod.der", "-CAfile", "csca.pem",
            "-purpose", "any", "-out", "lso.der", "-binary",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lso = std::fs::read(dir.path().join("lso.der")).unwrap();
    assert_eq!(lso, Sod::parse(&i.sod).unwrap().signed.content);
}

#[test]
fn every_hash_algorithm_key_id_signers_and_id_data_content_pass() {
    use dactyl::crypto::hash::HashAlgorithm;
    let i = issue(KeyAlgorithm::P256);
    for digest in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ] {
        for (by_key_id, id_data) in [(false, false), (true, false), (false, true)] {
            let opts = SodOptions {
                digest: Some(digest),
                signer_by_key_id: by_key_id,
                content_type_data: id_data,
                ..SodOptions::new(i.now)
            };
            let sod = sign_sod(&i.dgs, &i.pki.ds, &i.pki.ds_key, &opts).unwrap();
            let parsed = Sod::parse(&sod).unwrap();
            assert_eq!(parsed.lds.hash, digest);
            assert_eq!(
                matches!(
                    parsed.signed.signer_infos[0].sid,
                    dactyl::pki::cms::SignerId::SubjectKeyId(_)
                ),
                by_key_id
            );
            let r = pa(&i, &sod, &i.dgs, "UTO");
            assert!(
                r.passed,
                "{digest:?} key id {by_key_id} id-data {id_data}: {:#?}",
                r.failures()
            );
        }
    }
}

#[test]
fn truncated_and_garbled_sods_are_errors_never_panics() {
    let i = issue(KeyAlgorithm::P256);
    for cut in (0..i.sod.len()).step_by(5) {
        let r = pa(&i, &i.sod[..cut], &i.dgs, "UTO");
        assert!(!r.passed);
    }
    // Bytes no signature covers (the SignedData's digestAlgorithms set, the issuer name in the
    // SignerInfo, which is matched leniently because real documents re-encode it) may change
    // without failing PA, but never silently: the report then carries a warning.
    for pos in 0..i.sod.len() {
        let mut sod = i.sod.clone();
        sod[pos] ^= 0xFF;
        let r = pa(&i, &sod, &i.dgs, "UTO");
        assert!(
            !r.passed || !r.warnings().is_empty(),
            "flipping byte {pos} still passed"
        );
    }
}
