//! X.509 certificates, names, CRLs and country codes (RFC 5280; ICAO Doc 9303-12 clause 7,
//! 9303-3 clause 5) against real CSCA, link and Document Signer certificates and a real CRL.
//! Expected values were read with `openssl x509 -inform DER -noout -text` and `openssl crl`.

use dactyl::asn1;
use dactyl::pki::cert::{Certificate, Extensions, KeyUsage};
use dactyl::pki::country::{alpha2_for_mrz_code, mrz_code_for_alpha2, same_country};
use dactyl::pki::crl::Crl;
use dactyl::pki::name::Name;
use dactyl::time::Time;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pki")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn cert(rel: &str) -> Certificate {
    Certificate::from_der(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn all_cert_files() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["real_sod", "masterlists"] {
        for entry in std::fs::read_dir(fixture(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".cer") {
                out.push(format!("{dir}/{name}"));
            }
        }
    }
    out.sort();
    out
}

fn t(iso: &str) -> Time {
    let d: Vec<u32> = iso
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    Time::from_civil(d[0] as i64, d[1], d[2], d[3], d[4], d[5]).unwrap()
}

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// One line per certificate, as `openssl x509 -text` shows it: file, subject C, serial,
/// notBefore, notAfter, CA (basicConstraints CA:TRUE) or EE, SKI, AKI (`-`: none).
const EXPECTED: &str = "
real_sod/AT_CSCA.cer AT 047F 2019-09-02T07:13:44Z 2030-01-05T08:53:29Z CA 2692C7E398ABFBE35192D3F26E9A317D1FED53BD FF8DEA86AF18EEE58BA2D6BA8CFAAB39A169AF5B
real_sod/AT_DSC.cer AT 6189DB18B6EDE857 2023-01-31T08:04:02Z 2033-05-06T08:04:02Z EE E76EAA567ACF6568C660C985717C3C8A50BD024B 2692C7E398ABFBE35192D3F26E9A317D1FED53BD
real_sod/AU_CSCA.cer AU 311B 2013-11-18T00:01:55Z 2029-11-17T23:56:06Z CA 49B1429BF387CCCA9980A245831157A35F450598 49B1429BF387CCCA9980A245831157A35F450598
real_sod/AU_DSC.cer AU 3285 2016-10-31T13:00:01Z 2028-11-30T13:00:01Z EE C0E3AB554E2CCF5D3F5CA16C6F6B26BCA2A7E1B9 49B1429BF387CCCA9980A245831157A35F450598
real_sod/DE_CSCA.cer DE 048B 2021-11-23T06:24:15Z 2036-02-23T23:59:59Z CA A40A5FC380AE3E59AF1B32D6136AEFEEC8CA35E8 A40A5FC380AE3E59AF1B32D6136AEFEEC8CA35E8
real_sod/DE_DSC.cer DE 04A8 2023-01-04T06:04:42Z 2033-07-04T23:59:59Z EE AF9DD5E6565737A8804B5B4C6F45093D809AA865 A40A5FC380AE3E59AF1B32D6136AEFEEC8CA35E8
real_sod/FR_CSCA.cer FR 11201424CC5C44173F33CDF3F6D1DBF38E52 2015-09-04T00:00:00Z 2030-12-04T00:00:00Z CA 0FCC3251E4E92A50658CAF6A6871BC9E8FC86D59 0FCC3251E4E92A50658CAF6A6871BC9E8FC86D59
real_sod/FR_DSC.cer FR 1121A518DFA6CEFF481E5299E4F27FC32A77 2017-07-18T13:56:11Z 2027-10-18T13:56:11Z EE 638FAC8C6A37001F891ABC14849CFC9C33B79C79 0FCC3251E4E92A50658CAF6A6871BC9E8FC86D59
real_sod/NZ_CSCA.cer NZ 42E578F1 2015-08-25T02:31:12Z 2029-03-25T03:01:12Z CA F9D6C969FE97D184EEF2C1D7E520B66032BE3DF7 -
real_sod/NZ_DSC.cer NZ 42E57A41 2017-10-01T20:39:56Z 2028-02-12T11:00:00Z EE 24757F42B10EE096409789FFAD2D9150ECFDC5BE F9D6C969FE97D184EEF2C1D7E520B66032BE3DF7
real_sod/UK_CSCA.cer GB 492EEB29 2016-09-09T10:26:31Z 2033-01-09T10:56:31Z CA DB1D1657C76023089B0139E2613C082134B57CA1 DB1D1657C76023089B0139E2613C082134B57CA1
real_sod/UK_DSC.cer GB 492EFAE1 2021-02-01T00:00:00Z 2032-06-01T00:00:00Z EE 241401EEFFB0D8FE4D7795F04095099FF989324B DB1D1657C76023089B0139E2613C082134B57CA1
real_sod/US_CSCA.cer US 4E32D006 2019-11-14T16:37:12Z 2040-05-14T17:07:12Z CA F18A8BFB6A44A3468334D2D592158158824A4CFB -
real_sod/US_DSC.cer US 5DCDFDE3 2021-06-10T20:40:36Z 2036-10-02T08:46:45Z EE BBE9FE4B7CF03921F493096F7CC3E8ACBDE3A227 F18A8BFB6A44A3468334D2D592158158824A4CFB
masterlists/DE_ROOT_CA_CSCA07.cer DE 04CD 2024-10-01T05:17:55Z 2039-01-01T23:59:59Z CA E8A62993EAE208AA203E49D7649BBAE1BA3560CB E8A62993EAE208AA203E49D7649BBAE1BA3560CB
masterlists/IDN_2010-12_CSCA.cer ID 01 2010-12-29T17:00:00Z 2021-03-30T16:59:59Z CA D406B05881C6430672D6D057318DD13CD8DF8B77 D406B05881C6430672D6D057318DD13CD8DF8B77
masterlists/IDN_2016-01_CSCA.cer ID 53 2016-01-28T17:00:00Z 2026-04-29T16:59:59Z CA 167A5952CDCF977CEEC4065F1C28565F335DF0E7 167A5952CDCF977CEEC4065F1C28565F335DF0E7
masterlists/IDN_2016-01_CSCA_LINK.cer ID 4BF74B11E3171663 2016-01-28T17:00:00Z 2021-03-30T16:59:59Z CA 167A5952CDCF977CEEC4065F1C28565F335DF0E7 D406B05881C6430672D6D057318DD13CD8DF8B77
masterlists/IDN_2020-10_CSCA.cer ID 2599E901C043B8ED 2020-10-19T17:00:00Z 2036-01-20T16:59:59Z CA DF4FABDF15285BF16228A984AE63D2CFEDC68610 DF4FABDF15285BF16228A984AE63D2CFEDC68610
masterlists/IDN_2020-10_CSCA_LINK.cer ID 336FAA174F97C82A 2020-10-19T17:00:00Z 2026-04-29T16:59:59Z CA DF4FABDF15285BF16228A984AE63D2CFEDC68610 167A5952CDCF977CEEC4065F1C28565F335DF0E7
masterlists/NL_ROOT_CA.cer NL 026FE53B 2024-06-21T00:00:00Z 2037-06-30T00:00:00Z CA F2423BA9C13C6815D65081792BF7307129046F336C2389950B82E998AC3BBCA4 -
";

/// The rows of [`EXPECTED`].
fn expected() -> Vec<Vec<&'static str>> {
    EXPECTED
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split(' ').collect())
        .collect()
}

/// (certificate, its issuer): DSC -> CSCA, and the Indonesian link certificates.
const CHAINS: &[(&str, &str)] = &[
    ("real_sod/AT_DSC.cer", "real_sod/AT_CSCA.cer"),
    ("real_sod/AU_DSC.cer", "real_sod/AU_CSCA.cer"),
    ("real_sod/DE_DSC.cer", "real_sod/DE_CSCA.cer"),
    ("real_sod/FR_DSC.cer", "real_sod/FR_CSCA.cer"),
    ("real_sod/NZ_DSC.cer", "real_sod/NZ_CSCA.cer"),
    ("real_sod/UK_DSC.cer", "real_sod/UK_CSCA.cer"),
    ("real_sod/US_DSC.cer", "real_sod/US_CSCA.cer"),
    (
        "masterlists/IDN_2016-01_CSCA_LINK.cer",
        "masterlists/IDN_2010-12_CSCA.cer",
    ),
    (
        "masterlists/IDN_2020-10_CSCA_LINK.cer",
        "masterlists/IDN_2016-01_CSCA.cer",
    ),
];

#[test]
fn every_fixture_certificate_parses_with_openssl_values() {
    let files = all_cert_files();
    assert_eq!(files.len(), expected().len(), "{files:?}");
    for row in expected() {
        let [file, c, serial, nb, na, kind, ski, aki] = row[..] else {
            panic!("bad row {row:?}");
        };
        let ca = kind == "CA";
        assert!(files.iter().any(|f| f == file), "{file}");
        let x = cert(file);
        assert_eq!(x.version, 3, "{file}");
        assert_eq!(x.subject.country(), Some(c), "{file}");
        assert_eq!(x.country(), Some(c), "{file}");
        assert_eq!(x.serial_hex(), serial, "{file}");
        assert_eq!(x.not_before.to_iso(), nb, "{file}");
        assert_eq!(x.not_after.to_iso(), na, "{file}");
        assert_eq!(x.not_before, t(nb), "{file}");
        assert_eq!(x.is_ca(), ca, "{file}");
        let e = &x.extensions;
        assert_eq!(e.subject_key_id.as_deref(), Some(&h(ski)[..]), "{file}");
        let want_aki = (aki != "-").then(|| h(aki));
        assert_eq!(e.authority_key_id, want_aki, "{file}");
        let ku = e.key_usage.unwrap_or_else(|| panic!("{file}: no keyUsage"));
        if ca {
            assert_eq!(
                ku,
                KeyUsage(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN),
                "{file}"
            );
            let bc = e.basic_constraints.unwrap();
            assert_eq!(bc.path_len, Some(0), "{file}");
            assert!(e.document_types.is_none(), "{file}");
        } else {
            assert_eq!(ku, KeyUsage(KeyUsage::DIGITAL_SIGNATURE), "{file}");
            assert!(ku.digital_signature() && !ku.key_cert_sign(), "{file}");
            assert!(e.basic_constraints.is_none(), "{file}");
        }
        assert!(
            e.unknown_critical.is_empty(),
            "{file}: {:?}",
            e.unknown_critical
        );
        assert!(
            x.valid_at(x.not_before) && x.valid_at(x.not_after),
            "{file}"
        );
        assert!(
            !x.valid_at(Time {
                unix: x.not_after.unix + 1
            }),
            "{file}"
        );
        assert_eq!(x.raw, read(file), "{file}");
        assert!(x.public_key_bits().is_ok(), "{file}");
        assert!(!x.signature.is_empty(), "{file}");
    }
}

#[test]
fn names_display_in_encoded_order() {
    let de = cert("real_sod/DE_CSCA.cer");
    assert_eq!(
        de.subject.to_string(),
        "C=DE, O=bund, OU=bsi, CN=csca-germany"
    );
    assert_eq!(de.subject.common_name(), Some("csca-germany"));
    assert!(de.is_self_signed_name());
    assert_eq!(de.describe(), "csca-germany (serial 048B)");
    let nl = cert("masterlists/NL_ROOT_CA.cer");
    assert_eq!(
        nl.subject.to_string(),
        "serialNumber=7, CN=CSCA NL, OU=Kingdom of the Netherlands, O=Kingdom of the Netherlands, C=NL"
    );
    let fr = cert("real_sod/FR_DSC.cer");
    assert_eq!(
        fr.subject.to_string(),
        "C=FR, O=Gouv, OU=Document Signer, CN=HSM-DS2, serialNumber=201707181355550"
    );
    assert!(!fr.is_self_signed_name());
    let dsc = cert("real_sod/DE_DSC.cer");
    assert_eq!(
        dsc.subject.to_string(),
        "C=DE, O=Bundesdruckerei GmbH, serialNumber=152, CN=Document Signer Passport"
    );
    let nz = cert("real_sod/NZ_CSCA.cer");
    assert_eq!(nz.subject.common_name(), None);
    assert_eq!(
        nz.describe(),
        "C=NZ, O=Government of New Zealand, OU=Passports, OU=Identity Services Passport CA \
         (serial 42E578F1)"
    );
    let idn = cert("masterlists/IDN_2010-12_CSCA.cer");
    assert_eq!(
        idn.subject.to_string(),
        "CN=CSCA, OU=Direktorat Sistem Informasi Keimigrasian, O=Direktorat Jenderal Imigrasi, C=ID"
    );
    // Same attributes, different order: not the same name.
    let idn20 = cert("masterlists/IDN_2020-10_CSCA.cer");
    let idn16 = cert("masterlists/IDN_2016-01_CSCA.cer");
    assert!(!idn20.subject.matches(&idn16.subject));
    let link = cert("masterlists/IDN_2020-10_CSCA_LINK.cer");
    assert!(link.subject.matches(&idn20.subject));
    assert!(!link.is_self_signed_name());
}

#[test]
fn chains_match_by_name_and_key_identifier() {
    for (child, parent) in CHAINS {
        let (c, p) = (cert(child), cert(parent));
        assert!(c.issuer.matches(&p.subject), "{child} -> {parent}");
        assert!(!c.issuer.matches(&c.subject) || c.is_ca(), "{child}");
        if let (Some(aki), Some(ski)) =
            (&c.extensions.authority_key_id, &p.extensions.subject_key_id)
        {
            assert_eq!(aki, ski, "{child} -> {parent}");
        }
        assert_eq!(c.country(), p.country(), "{child}");
        // The CSCA was valid when the DSC was issued.
        assert!(p.valid_at(c.not_before), "{child} -> {parent}");
    }
    // A DSC is not issued by another country's CSCA.
    let (de, fr) = (cert("real_sod/DE_DSC.cer"), cert("real_sod/FR_CSCA.cer"));
    assert!(!de.issuer.matches(&fr.subject));
}

#[test]
fn validity_fields_and_icao_extensions() {
    let de = cert("real_sod/DE_CSCA.cer");
    assert!(de.valid_at(t("2025-01-01T00:00:00Z")));
    assert!(!de.valid_at(t("2036-02-24T00:00:00Z")));
    assert!(!de.valid_at(t("2021-11-23T06:24:14Z")));
    assert_eq!(
        de.extensions.private_key_usage_period,
        Some((
            Some(t("2021-11-23T06:24:15Z")),
            Some(t("2025-01-23T23:59:59Z"))
        ))
    );
    assert_eq!(
        de.signature_algorithm.oid.to_string(),
        "1.2.840.10045.4.3.4"
    );
    assert!(de.signature_algorithm.parameters.is_none());
    let at = cert("real_sod/AT_CSCA.cer");
    assert_eq!(
        at.extensions.private_key_usage_period,
        Some((None, Some(t("2024-12-09T07:13:44Z"))))
    );
    let types = |f: &str| cert(f).extensions.document_types;
    let v = |s: &[&str]| Some(s.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    assert_eq!(types("real_sod/AT_DSC.cer"), v(&["P", "AR", "ID"]));
    assert_eq!(types("real_sod/DE_DSC.cer"), v(&["P"]));
    assert_eq!(types("real_sod/FR_DSC.cer"), v(&["P", "IR"]));
    assert_eq!(types("real_sod/UK_DSC.cer"), v(&["P", "PT"]));
    assert_eq!(types("real_sod/NZ_DSC.cer"), None);
    let pss = cert("masterlists/IDN_2020-10_CSCA.cer");
    assert_eq!(
        pss.signature_algorithm.oid.to_string(),
        "1.2.840.113549.1.1.10"
    );
    assert!(pss.signature_algorithm.parameters.is_some());
    let au = cert("real_sod/AU_DSC.cer");
    assert_eq!(
        au.signature_algorithm.oid.to_string(),
        "1.2.840.113549.1.1.11"
    );
    assert!(au.signature_algorithm.has_no_parameters());
    assert_eq!(
        hex::encode_upper(cert("real_sod/UK_CSCA.cer").fingerprint()),
        "69A2D8063256E4AABAB200943BB1B735EC2CD11C35F6B36D892D88E92965435C"
    );
    assert_eq!(
        hex::encode_upper(de.fingerprint()),
        "66B09A816FF5C76D3D6EF10F035DED4A8AC4B961B75955F1D5926DC3C63ECB5B"
    );
    let json = serde_json::to_value(&de).unwrap();
    assert_eq!(json["subject"], "C=DE, O=bund, OU=bsi, CN=csca-germany");
    assert_eq!(json["not_after"], "2036-02-23T23:59:59Z");
    assert_eq!(json["serial"], "048B");
}

fn base64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for (i, chunk) in data.chunks(3).enumerate() {
        if i > 0 && i % 16 == 0 {
            s.push('\n');
        }
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from_be_bytes([0, b[0], b[1], b[2]]);
        for k in 0..4 {
            let c = if k <= chunk.len() {
                A[(n >> (18 - 6 * k) & 63) as usize]
            } else {
                b'='
            };
            s.push(c as char);
        }
    }
    s
}

fn pem(label: &str, der: &[u8]) -> String {
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        base64(der)
    )
}

#[test]
fn pem_input() {
    let (a, b) = (read("real_sod/DE_CSCA.cer"), read("real_sod/DE_DSC.cer"));
    let text = format!(
        "subject=...\n{}\r\n{}",
        pem("CERTIFICATE", &a),
        pem("CERTIFICATE", &b)
    );
    let certs = Certificate::from_pem_or_der(text.as_bytes()).unwrap();
    assert_eq!(certs.len(), 2);
    assert_eq!((&certs[0].raw, &certs[1].raw), (&a, &b));
    assert_eq!(Certificate::from_pem_or_der(&a).unwrap(), certs[..1]);
    assert!(Certificate::from_pem_or_der(pem("X509 CRL", &a).as_bytes()).is_err());
    let open = "-----BEGIN CERTIFICATE-----\nMIIB\n";
    assert!(Certificate::from_pem_or_der(open.as_bytes()).is_err());
    let crl = read("crl/COL.crl");
    let crls = Crl::from_pem_or_der(pem("X509 CRL", &crl).as_bytes()).unwrap();
    assert_eq!(crls.len(), 1);
    assert_eq!(crls[0].raw, crl);
}

#[test]
fn colombian_crl() {
    let crl = Crl::from_der(&read("crl/COL.crl")).unwrap();
    assert_eq!(crl.issuer.country(), Some("CO"));
    assert_eq!(
        crl.issuer.to_string(),
        "C=CO, O=Colombia, OU=Certification Authorities, CN=Government of Colombia CSCA"
    );
    assert_eq!(crl.this_update, t("2020-05-08T12:38:29Z"));
    assert_eq!(crl.next_update, Some(t("2020-08-06T12:38:29Z")));
    assert_eq!(crl.revoked.len(), 15);
    assert_eq!(crl.crl_number_hex().as_deref(), Some("037B")); // 891
    assert_eq!(
        crl.authority_key_id,
        Some(h("8D205418D2AA9237DCB3072520176B4D49F2A6D1"))
    );
    assert_eq!(
        crl.signature_algorithm.oid.to_string(),
        "1.2.840.113549.1.1.11"
    );
    assert_eq!(
        crl.is_revoked(&h("55780B03")),
        Some(t("2020-03-09T21:19:27Z"))
    );
    assert_eq!(
        crl.is_revoked(&h("0055770AEB")),
        Some(t("2015-06-09T19:49:39Z"))
    );
    assert_eq!(crl.is_revoked(&h("55780B01")), None);
    assert!(crl.unknown_critical.is_empty());
    assert!(crl.is_current_at(t("2020-06-01T00:00:00Z")));
    assert!(!crl.is_current_at(t("2020-08-06T12:38:30Z")));
    assert!(crl.tbs.len() < crl.raw.len());
}

#[test]
fn truncated_and_corrupted_input_gives_errors_not_panics() {
    let mut inputs: Vec<Vec<u8>> = all_cert_files().iter().map(|f| read(f)).collect();
    inputs.push(read("crl/COL.crl"));
    for der in &inputs {
        for n in (0..der.len()).step_by(7) {
            assert!(Certificate::from_der(&der[..n]).is_err(), "length {n}");
            assert!(Crl::from_der(&der[..n]).is_err(), "length {n}");
            assert!(
                Certificate::from_pem_or_der(&der[..n]).is_err(),
                "length {n}"
            );
        }
    }
    let der = read("real_sod/DE_DSC.cer");
    // Flipped tag bytes: outer SEQUENCE, tbsCertificate, version [0], serialNumber.
    for pos in [0, 4, 8, 13] {
        let mut bad = der.clone();
        bad[pos] ^= 0x01;
        assert!(Certificate::from_der(&bad).is_err(), "tag at {pos}");
    }
    // Trailing garbage, and a CRL is not a certificate (nor the reverse).
    let mut long = der.clone();
    long.extend_from_slice(&[0x05, 0x00]);
    assert!(Certificate::from_der(&long).is_err());
    assert!(Certificate::from_der(&read("crl/COL.crl")).is_err());
    assert!(Crl::from_der(&der).is_err());
    // Every single-byte corruption of a certificate and the CRL: never a panic.
    for base in [der, read("crl/COL.crl")] {
        for pos in 0..base.len() {
            for x in [0x01u8, 0x80, 0xFF] {
                let mut bad = base.clone();
                bad[pos] ^= x;
                let _ = Certificate::from_der(&bad);
                let _ = Crl::from_der(&bad);
            }
        }
    }
}

#[test]
fn name_parsing_from_der() {
    let de = cert("real_sod/DE_CSCA.cer");
    let again = Name::from_der(&de.subject.raw).unwrap();
    assert_eq!(again, de.subject);
    assert!(Name::from_der(&de.raw).is_err());
    assert_eq!(Extensions::default().key_usage, None);
    // The same name re-encoded with UTF8String values and other case still matches.
    let rdns: Vec<Vec<u8>> = de
        .subject
        .attributes
        .iter()
        .map(|(typ, value)| {
            let oid = match typ.as_str() {
                "C" => "550406",
                "O" => "55040A",
                "OU" => "55040B",
                _ => "550403",
            };
            let atv = asn1::sequence(&[
                &asn1::encode(0x06, &h(oid)),
                &asn1::encode(0x0C, value.to_uppercase().as_bytes()),
            ]);
            asn1::encode(0x31, &atv)
        })
        .collect();
    let parts: Vec<&[u8]> = rdns.iter().map(Vec::as_slice).collect();
    let reencoded = Name::from_der(&asn1::sequence(&parts)).unwrap();
    assert_ne!(reencoded.raw, de.subject.raw);
    assert!(reencoded.matches(&de.subject) && de.subject.matches(&reencoded));
}

#[test]
fn ber_encoded_certificate_is_accepted() {
    // The outer SEQUENCE with the indefinite length form: BER, as some tools write it.
    let der = read("real_sod/NZ_DSC.cer");
    let mut ber = vec![0x30, 0x80];
    ber.extend_from_slice(&der[4..]);
    ber.extend_from_slice(&[0, 0]);
    let a = Certificate::from_der(&der).unwrap();
    let b = Certificate::from_der(&ber).unwrap();
    assert_eq!(b.raw, ber);
    assert_eq!(a.tbs, b.tbs);
    assert_eq!(a.subject, b.subject);
    assert_eq!(a.extensions, b.extensions);
    ber.truncate(ber.len() - 1);
    assert!(Certificate::from_der(&ber).is_err());
}

#[test]
fn country_codes() {
    for (mrz, a2) in [
        ("AUT", "AT"),
        ("D", "DE"),
        ("D<<", "DE"),
        ("GBR", "GB"),
        ("NZL", "NZ"),
        ("USA", "US"),
        ("FRA", "FR"),
        ("AUS", "AU"),
        ("COL", "CO"),
        ("NLD", "NL"),
        ("IDN", "ID"),
        ("GBD", "GB"),
        ("RKS", "XK"),
    ] {
        assert_eq!(alpha2_for_mrz_code(mrz), Some(a2), "{mrz}");
        assert!(same_country(mrz, a2), "{mrz}");
    }
    for mrz in ["UTO", "EUE", "UNO", "XXA", "XXX", "DEUX", ""] {
        assert_eq!(alpha2_for_mrz_code(mrz), None, "{mrz}");
    }
    assert!(same_country("GBR", "UK"));
    assert!(!same_country("UTO", "UT"));
    assert!(!same_country("AUT", "AU"));
    assert_eq!(mrz_code_for_alpha2("NL"), Some("NLD"));
    // Every real certificate's country maps back to an MRZ code and forth again.
    for file in all_cert_files() {
        let c = cert(&file).country().unwrap().to_string();
        let mrz = mrz_code_for_alpha2(&c).unwrap_or_else(|| panic!("{file}: {c}"));
        assert!(same_country(mrz, &c), "{file}");
    }
}
